"""`--json` output of `list`, `search`, `compare` and `status`: one JSON document on standard
output, for a district's IT to read with a script. The README documents each schema.

Every document starts with "schema" (which command's document it is, e.g.
"nasro-desktop/status") and "schema_version" (SCHEMA_VERSION). Within a version, fields are
only ever added, never renamed, removed or given another type; a change that would break a
reader raises the version. Dates are "YYYY-MM-DD", times ISO 8601 with their UTC offset,
nothing is null only where the schema says so. The text is ASCII (other characters as \\u
escapes), so any console shows it and no title can rewrite the terminal.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from nasro_desktop.store.tables import ACTION_COLUMNS, Table, action_rows

if TYPE_CHECKING:
    from nasro_desktop.domain.compare import Comparison
    from nasro_desktop.domain.model import Assessment, Form
    from nasro_desktop.domain.results import Readiness
    from nasro_desktop.store.reading import AssessmentSummary
    from nasro_desktop.store.search import SearchHit

SCHEMA_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON")


def emit(schema: str, **fields: Any) -> None:
    """Print the one JSON document of the `schema` command."""
    sys.stdout.write(json.dumps({"schema": f"nasro-desktop/{schema}",
                                 "schema_version": SCHEMA_VERSION, **fields},
                                indent=2, ensure_ascii=True, default=_plain) + "\n")
    sys.stdout.flush()


def summary_json(s: AssessmentSummary) -> dict[str, Any]:
    return {
        "id": s.id, "title": s.title, "agency": s.agency, "district": s.district,
        "assessment_date": s.as_of, "question_set": {"id": s.form_id, "version": s.form_version},
        "created": s.created, "updated": s.updated, "percent_answered": s.percent_answered,
        "verdict": s.verdict, "readable": s.problem is None, "problem": s.problem,
    }  # fmt: skip


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "assessment_id": hit.assessment_id, "assessment_title": hit.assessment_title,
        "assessment_date": hit.as_of, "kind": hit.kind, "kind_label": hit.kind_label,
        "question_id": hit.question_id, "standard_id": hit.standard_id,
        "subject": hit.subject, "text": hit.text, "snippet": hit.snippet,
    }  # fmt: skip


def assessment_ref(a: Assessment) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "agency": a.agency, "district": a.district,
            "assessment_date": a.as_of}


def comparison_json(c: Comparison) -> dict[str, Any]:
    return {
        "then": assessment_ref(c.then), "now": assessment_ref(c.now),
        "same_program": c.same_program,
        "mandatory_met": {
            "then": {"met": c.mandatory_then[0], "total": c.mandatory_then[1]},
            "now": {"met": c.mandatory_now[0], "total": c.mandatory_now[1]},
        },
        "recommended_score": {"then": _score(c.recommended_then),
                              "now": _score(c.recommended_now)},
        "standards": [{
            "id": s.standard.id, "number": s.standard.number, "title": s.standard.title,
            "class": s.standard.cls, "then": s.then, "now": s.now, "change": s.change,
            "then_score": s.then_score, "now_score": s.now_score,
        } for s in c.standards],
        "closed_since": [{
            "standard_id": i.standard_id, "next_step": i.next_step, "owner": i.owner,
            "target_date": i.target_date, "status": i.status,
        } for i in c.closed_since],
    }  # fmt: skip


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def status_json(assessment: Assessment, form: Form, readiness: Readiness) -> dict[str, Any]:
    """What `status ID --json` prints: the verdict, the counts, each standard's status and
    findings, and the action plan (as the Readiness page shows it)."""
    r = readiness
    plan = Table("action_plan", "Action plan", ACTION_COLUMNS,
                 tuple(action_rows(assessment, form, r)))
    return {
        "assessment": {**assessment_ref(assessment), "prepared_by": assessment.prepared_by,
                       "question_set": {"id": form.form_id, "version": form.version}},
        "verdict": r.verdict, "verdict_label": r.verdict.label,
        "verdict_sentence": r.verdict_sentence, "fingerprint": r.fingerprint,
        "counts": {
            "mandatory_met": r.mandatory_met, "mandatory_total": r.mandatory_total,
            "recommended_met": r.recommended_met, "recommended_total": r.recommended_total,
            "recommended_score": _score(r.recommended_score),
            "answered": r.answered, "questions": r.total, "open_questions": r.open_questions,
            "open_can_change_verdict": r.open_can_change_verdict, "gaps": len(r.gaps),
            "officers": len(assessment.officers), "schools": len(assessment.schools),
        },
        "standards": [{
            "id": x.standard.id, "number": x.standard.number, "title": x.standard.title,
            "class": x.standard.cls, "section": x.standard.section, "status": x.status,
            "status_label": x.status.label, "score": round(x.score, 3),
            "answered": x.answered, "questions": x.total, "summary": x.summary,
            "findings": [{
                "kind": f.kind, "key": f.key, "subject": f.subject, "status": f.status,
                "detail": f.detail, "due": f.due, "late": f.late, "decides": f.decides,
            } for f in x.findings],
        } for x in r.results],
        "action_plan": plan.dicts(),
    }  # fmt: skip
