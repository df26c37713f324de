"""The analysis database: one or many assessments as a clean, documented SQLite file that a
district's IT or a state association opens in Datasette, DB Browser or any SQLite tool.

Built with sqlite-utils, which is what it is for: `insert_all` with `pk`, `foreign_keys`,
typed `columns` and `alter`, `enable_fts` on the notes and the steps, `create_view` for the
questions people ask first. (The app's own `nasro.db` stays plain sqlite3: its transaction
rules need that; this file is written once and never changed by the app.)

Tables (schema version SCHEMA_VERSION, also in the `meta` table):

- `assessments`: one row each: where it came from (`source`: the data folder or the export
  file's name, `source_id`: its number there), title, agency, district, prepared_by,
  assessment_date, the question set, the verdict (`ready`/`not_ready`) and its sentence, the
  counts (mandatory and recommended met and applying, the recommended score, questions
  answered and open, gaps, officers, schools) and the data fingerprint printed on the report.
- `standards_status`: each standard of each assessment (primary key assessment_id +
  standard_id): number, title, section, class (`mandatory`/`recommended`/`unclassified`),
  status (`met`, `partly`, `not_met`, `unknown`, `na`) and its words, score 0-1, questions
  answered, is_gap, and the date/number rule that judges it (if any).
- `findings`: what each standard was judged on (an element, an officer, a school, the MOU):
  kind, key, subject, status, detail, due (when it fell or falls due), late, decides.
- `answers` (primary key assessment_id + question_id), `officers`, `schools`, `action_items`
  (the action plan as the Readiness page shows it, with the LATE flag) and `evidence` (the
  register: name, media type, size, SHA-256, valid until): the columns of the workbook's
  sheets (store/tables.py), keys in snake_case. Every child table has `assessment_id`, a
  foreign key to `assessments.id`.
- Full-text search: `answers_fts` (note, reason) and `action_items_fts` (next_step, note).
- Views: `mandatory_gaps` (each mandatory standard not met, per assessment: what decides the
  verdict) and `overdue_training` (each officer's training overdue as of the assessment date).

Dates are ISO text ("2026-09-15"), times ISO with their UTC offset, yes/no 1/0.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from nasro_desktop import __version__
from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.forms import current_form, form_registry
from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.store import files
from nasro_desktop.store.errors import StoreError
from nasro_desktop.store.tables import (
    ACTION_COLUMNS,
    ANSWER_COLUMNS,
    EVIDENCE_COLUMNS,
    OFFICER_COLUMNS,
    SCHOOL_COLUMNS,
    Column,
    action_rows,
    answer_rows,
    evidence_rows,
    officer_rows,
    school_rows,
)

SCHEMA_VERSION = 1
TRAINING_RULES = ("annual_training", "basic_course", "advanced_course", "rapid_deployment")
_TYPES: dict[str, type] = {"text": str, "int": int, "float": float, "date": str,
                           "datetime": str, "bool": int, "flag": int, "any": str}
_FK = [("assessment_id", "assessments", "id")]

MANDATORY_GAPS = """
SELECT a.id AS assessment_id, a.title, a.agency, a.district, a.assessment_date,
       s.standard_id, s.number, s.title AS standard_title, s.status, s.status_label
FROM standards_status s JOIN assessments a ON a.id = s.assessment_id
WHERE s.class = 'mandatory' AND s.is_gap = 1
ORDER BY a.id, s.number, s.standard_id
"""
OVERDUE_TRAINING = f"""
SELECT a.id AS assessment_id, a.title, a.agency, a.assessment_date, f.key AS officer_key,
       f.subject AS officer, s.number, s.title AS training, f.due AS overdue_since, f.detail
FROM findings f
JOIN standards_status s ON s.assessment_id = f.assessment_id AND s.standard_id = f.standard_id
JOIN assessments a ON a.id = f.assessment_id
WHERE f.kind = 'officer' AND f.status = 'not_met' AND f.due IS NOT NULL
  AND s.rule IN ({", ".join(f"'{r}'" for r in TRAINING_RULES)})
ORDER BY a.id, f.due, f.subject
"""


@dataclass
class Source:
    """One assessment to put in: where it came from, and its evidence records."""

    label: str
    assessment: Assessment
    evidence: Sequence[Evidence] = ()


@dataclass
class Built:
    path: Path
    assessments: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _column_types(columns: Iterable[Column]) -> dict[str, type]:
    return {c.key: _TYPES[c.kind] for c in columns}


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value  # its stable code
    return value


def _records(columns: Sequence[Column], rows: Iterable[tuple[Any, ...]], **extra: Any
             ) -> list[dict[str, Any]]:
    keys = [c.key for c in columns]
    return [{**extra, **{k: _value(v) for k, v in zip(keys, row, strict=True)}} for row in rows]


def _assessment_row(number: int, source: Source, form: Form, r: Readiness) -> dict[str, Any]:
    a = source.assessment
    return {
        "id": number, "source": source.label, "source_id": a.id, "title": a.title,
        "agency": a.agency, "district": a.district, "prepared_by": a.prepared_by,
        "assessment_date": r.as_of.isoformat(), "question_set": form.form_id,
        "question_set_version": form.version, "verdict": r.verdict.value,
        "verdict_sentence": r.verdict_sentence, "mandatory_met": r.mandatory_met,
        "mandatory_total": r.mandatory_total, "recommended_met": r.recommended_met,
        "recommended_total": r.recommended_total,
        "recommended_score": None if r.recommended_score is None
        else round(r.recommended_score, 1),
        "answered": r.answered, "questions": r.total, "open_questions": r.open_questions,
        "gaps": len(r.gaps), "officers": len(a.officers), "schools": len(a.schools),
        "fingerprint": r.fingerprint,
    }  # fmt: skip


def _tables_of(number: int, source: Source) -> dict[str, list[dict[str, Any]]]:
    a = source.assessment
    form = form_registry().get(a.form_id, a.form_version) if a.form_id else current_form()
    r = evaluate(form, a, evidence=source.evidence)
    ref = {"assessment_id": number}
    standards = [{
        **ref, "standard_id": x.standard.id, "number": x.standard.number,
        "title": x.standard.title, "section": x.standard.section,
        "class": x.standard.cls.value, "status": x.status.value, "status_label": x.status.label,
        "score": round(x.score, 3), "answered": x.answered, "questions": x.total,
        "summary": x.summary, "is_gap": int(x.is_gap), "rule": x.standard.rule,
    } for x in r.results]  # fmt: skip
    findings = [{
        **ref, "standard_id": x.standard.id, "kind": f.kind.value, "key": f.key,
        "subject": f.subject, "status": f.status.value, "detail": f.detail,
        "due": f.due.isoformat() if f.due else None, "late": int(f.late),
        "decides": int(f.decides),
    } for x in r.results for f in x.findings]  # fmt: skip
    officers = _records(OFFICER_COLUMNS, officer_rows(a, r), **ref)
    schools = _records(SCHOOL_COLUMNS, school_rows(a), **ref)
    for row in officers + schools:
        row["source_row_id"] = row.pop("id")
    return {
        "assessments": [_assessment_row(number, source, form, r)],
        "standards_status": standards,
        "findings": findings,
        "answers": _records(ANSWER_COLUMNS, answer_rows(a, form), **ref),
        "officers": officers,
        "schools": schools,
        "action_items": _records(ACTION_COLUMNS, action_rows(a, form, r), **ref),
        "evidence": _records(EVIDENCE_COLUMNS, evidence_rows(a, form, source.evidence), **ref),
    }


def _create(db: Any) -> None:
    """Empty tables with their types and keys, so an empty column still has its type."""
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["assessments"].create({
        "id": int, "source": str, "source_id": int, "title": str, "agency": str,
        "district": str, "prepared_by": str, "assessment_date": str, "question_set": str,
        "question_set_version": int, "verdict": str, "verdict_sentence": str,
        "mandatory_met": int, "mandatory_total": int, "recommended_met": int,
        "recommended_total": int, "recommended_score": float, "answered": int,
        "questions": int, "open_questions": int, "gaps": int, "officers": int, "schools": int,
        "fingerprint": str,
    }, pk="id")  # fmt: skip
    db["standards_status"].create({
        "assessment_id": int, "standard_id": str, "number": str, "title": str, "section": str,
        "class": str, "status": str, "status_label": str, "score": float, "answered": int,
        "questions": int, "summary": str, "is_gap": int, "rule": str,
    }, pk=("assessment_id", "standard_id"), foreign_keys=_FK)  # fmt: skip
    db["findings"].create({
        "id": int, "assessment_id": int, "standard_id": str, "kind": str, "key": str,
        "subject": str, "status": str, "detail": str, "due": str, "late": int, "decides": int,
    }, pk="id", foreign_keys=_FK)  # fmt: skip
    db["answers"].create({"assessment_id": int, **_column_types(ANSWER_COLUMNS)},
                         pk=("assessment_id", "question_id"), foreign_keys=_FK)
    for table, columns in (("officers", OFFICER_COLUMNS), ("schools", SCHOOL_COLUMNS)):
        types = _column_types(columns)
        types.pop("id")
        db[table].create({"id": int, "assessment_id": int, "source_row_id": int, **types},
                         pk="id", foreign_keys=_FK)
    for table, columns in (("action_items", ACTION_COLUMNS), ("evidence", EVIDENCE_COLUMNS)):
        db[table].create({"id": int, "assessment_id": int, **_column_types(columns)},
                         pk="id", foreign_keys=_FK)


_PKS: dict[str, str | tuple[str, ...]] = {
    "assessments": "id", "standards_status": ("assessment_id", "standard_id"),
    "findings": "id", "answers": ("assessment_id", "question_id"), "officers": "id",
    "schools": "id", "action_items": "id", "evidence": "id",
}  # fmt: skip


def build(dest: Path | str, sources: Iterable[Source]) -> Built:
    """Write the analysis database to `dest` (replacing it): built in a private temporary
    folder, then published atomically; the row counts."""
    import sqlite_utils

    dest = Path(dest).expanduser()
    files.check_dest(dest, "Give a file name ending in .db.")
    built = Built(dest)
    with tempfile.TemporaryDirectory(prefix="nasro-analysis-") as folder:
        path = Path(folder) / "analysis.db"
        db = sqlite_utils.Database(path)
        # A scratch file until it is published (which syncs the finished copy): no journal
        # and no sync per insert (they were 70% of the time).
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        try:
            _create(db)
            with db.conn:  # one transaction: many small inserts, one disk sync
                for number, source in enumerate(sources, start=1):
                    for table, records in _tables_of(number, source).items():
                        if records:
                            db.table(table).insert_all(records, pk=_PKS[table], alter=True,
                                                 foreign_keys=None if table == "assessments"
                                                 else _FK)
                        built.rows[table] = built.rows.get(table, 0) + len(records)
                    built.assessments = number
            db.table("meta").insert_all([
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                {"key": "app_version", "value": __version__},
                {"key": "built_at", "value": datetime.now(UTC).isoformat(timespec="seconds")},
                {"key": "assessments", "value": str(built.assessments)},
            ], pk="key")  # fmt: skip
            db.table("answers").enable_fts(["note", "reason"])
            db.table("action_items").enable_fts(["next_step", "note"])
            db.create_view("mandatory_gaps", MANDATORY_GAPS)
            db.create_view("overdue_training", OVERDUE_TRAINING)
            db.conn.execute("PRAGMA foreign_keys = ON")
            problems = db.conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StoreError("The analysis database did not check out (a row points at "
                                 "no assessment). Please report the problem.")
            db.vacuum()
        finally:
            db.close()
        try:
            files.publish(dest, path)
        except OSError as error:
            raise StoreError(
                f"Could not save the analysis database as {dest}: check there is room and "
                "that you may write there, then try again."
            ) from error
    return built


__all__ = ["MANDATORY_GAPS", "OVERDUE_TRAINING", "SCHEMA_VERSION", "Built", "Source", "build"]
