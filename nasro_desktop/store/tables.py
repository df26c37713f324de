"""One assessment as tables: what the CSV files, the workbook and the analysis database hold.

Every export of an assessment's data reads these tables, so the files agree with each other
and with the window: the action plan is the Readiness page's plan (one row per standard not
met, with what the user typed for it, and any other item the user kept), a school's SROs are
the officers linked to it on the Profile page, an officer's training status is the Profile's.

Values keep their type (dates are `date`, counts `int`, yes/no `bool`, nothing `None`, a class
or a status its enum); each writer turns them into what its format holds (text in a CSV, a real
date in a workbook, ISO text in SQLite; an enum as its words, `label`, for people and as its
stable code, `value`, in the analysis database and JSON). Each column has a title for people and a key for databases and JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.links import links, officer_school_names
from nasro_desktop.domain.merge import Provenance
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    AnswerType,
    Assessment,
    Form,
    Standard,
)
from nasro_desktop.domain.readings import READINGS
from nasro_desktop.domain.results import Readiness, Status
from nasro_desktop.domain.scoring import evaluate, officer_status
from nasro_desktop.domain.wording import choice_label

# Column kinds: text, int, float, date, datetime, bool, flag (True shown as "LATE"), any (a
# summary value of whatever type it has).
KINDS = frozenset({"text", "int", "float", "date", "datetime", "bool", "flag", "any"})


@dataclass(frozen=True)
class Column:
    title: str  # for people: the CSV header, the sheet's header row
    key: str  # for databases and JSON: snake_case
    kind: str = "text"

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


@dataclass(frozen=True)
class Table:
    key: str  # "answers": the CSV file's and the database table's name
    title: str  # "Answers": the sheet's name
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    @property
    def headers(self) -> list[str]:
        return [c.title for c in self.columns]

    def dicts(self) -> list[dict[str, Any]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


def _columns(*spec: tuple[str, str] | tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


SUMMARY_COLUMNS = _columns(("Item", "item"), ("Value", "value", "any"))
STANDARD_COLUMNS = _columns(
    ("Section", "section"), ("Standard", "standard"), ("Standard title", "title"),
    ("Class", "class"), ("Status", "status"), ("Score", "score", "float"),
    ("Questions answered", "answered", "int"), ("Questions", "questions", "int"),
    ("Summary", "summary"), ("Findings", "findings"), ("Notes", "notes"),
    ("Readings that applied", "readings"), ("Standard ID", "standard_id"),
)  # fmt: skip
ACTION_COLUMNS = _columns(
    ("Rank", "rank", "int"), ("Standard", "standard"), ("Standard title", "title"),
    ("Class", "class"), ("Standard status", "standard_status"), ("Next step", "next_step"),
    ("Party", "party"), ("Person", "person"), ("Target date", "target_date", "date"),
    ("Status", "status"), ("Late", "late", "flag"), ("Note", "note"),
    ("Standard ID", "standard_id"),
)  # fmt: skip
OFFICER_COLUMNS = _columns(
    ("ID", "id", "int"), ("Name", "name"), ("Schools", "schools"),
    ("Sworn date", "sworn_date", "date"), ("Years of experience", "years_experience", "int"),
    ("Assignment date", "assignment_date", "date"),
    ("Basic SRO course", "basic_course_date", "date"),
    ("Advanced SRO course", "advanced_course_date", "date"),
    ("Last annual training", "last_annual_training", "date"),
    ("Last rapid deployment training", "last_rapid_deployment", "date"),
    ("Probation ends", "probation_end", "date"),
    ("Probation review with the school", "probation_review_with_school", "bool"),
    ("Training status", "training_status"), ("Note", "note"),
)  # fmt: skip
SCHOOL_COLUMNS = _columns(
    ("ID", "id", "int"), ("Name", "name"), ("Enrollment", "enrollment", "int"),
    ("Buildings", "buildings", "int"), ("Acreage", "acreage", "float"),
    ("Calls for service", "calls_for_service", "int"), ("SROs assigned", "sros_assigned", "int"),
    ("Officers serving", "officers_serving"),
    ("Non-sworn safety staff", "non_sworn_safety_staff", "int"), ("Note", "note"),
)  # fmt: skip
ANSWER_COLUMNS = _columns(
    ("Section", "section"), ("Standard", "standard"), ("Standard title", "title"),
    ("Question ID", "question_id"), ("Question", "question"), ("Answer", "answer"),
    ("Answered by", "answered_by"), ("Note", "note"), ("Reason (Not applicable / Met another way)", "reason"),
    ("Marked for review", "flagged", "bool"), ("To re-confirm", "reconfirm", "bool"),
    ("Saved (UTC)", "saved", "datetime"),
)  # fmt: skip
EVIDENCE_COLUMNS = _columns(
    ("File", "file_name"), ("Description", "description"), ("Supports", "supports"),
    ("Standard", "standard"), ("Standard title", "title"), ("Media type", "media_type"),
    ("Size (bytes)", "size", "int"), ("SHA-256", "sha256"), ("Added (UTC)", "added", "datetime"),
    ("Valid until", "valid_until", "date"),
)  # fmt: skip


def words(value: Any) -> Any:
    """For people: an enum (class, status, party) as its words; anything else unchanged."""
    return value.label if isinstance(value, Enum) and hasattr(value, "label") else value


def answer_words(kind: AnswerType | None, value: Any) -> Any:
    """An answer as the window says it: status and yes/no in words, other values unchanged."""
    if value is None or value == "":
        return None
    if kind is AnswerType.STATUS:
        return choice_label(value)
    if kind is AnswerType.YESNO:
        return {"yes": "Yes", "no": "No", True: "Yes", False: "No"}.get(value, str(value))
    return value


def _section_title(form: Form, section_id: str) -> str:
    if section_id == "profile":
        return "Profile"
    return next((s.title for s in form.sections if s.id == section_id), section_id)


def summary_table(assessment: Assessment, form: Form, readiness: Readiness) -> Table:
    r = readiness
    rows: list[tuple[str, Any]] = [
        ("Title", assessment.title), ("Agency", assessment.agency),
        ("School district", assessment.district), ("Prepared by", assessment.prepared_by),
        ("Assessment date", r.as_of), ("Verdict", r.verdict.label),
        ("Verdict in words", r.verdict_sentence),
        ("Mandatory standards met", r.mandatory_met),
        ("Mandatory standards that apply", r.mandatory_total),
        ("Recommended standards met", r.recommended_met),
        ("Recommended standards that apply", r.recommended_total),
        ("Recommended score (%)",
         None if r.recommended_score is None else round(r.recommended_score, 1)),
        ("Questions answered", r.answered), ("Questions shown", r.total),
        ("Open questions that count for the verdict", r.open_questions),
        ("Open questions could change the verdict", r.open_can_change_verdict),
        ("Standards not met (action plan rows)", len(r.gaps)),
        ("Officers", len(assessment.officers)), ("Schools", len(assessment.schools)),
        ("Rapid deployment training read as", r.rapid_deployment_reading),
        ("Question set", f"{form.title} (version {form.version})"),
        ("Data fingerprint", r.fingerprint),
        ("Assessment number", assessment.id),
        ("Last saved (UTC)", assessment.updated),
    ]  # fmt: skip
    return Table("summary", "Summary", SUMMARY_COLUMNS, tuple(rows))


def standard_rows(form: Form, readiness: Readiness) -> list[tuple[Any, ...]]:
    out = []
    for result in readiness.results:
        s = result.standard
        findings = "\n".join(
            f"{f.status.symbol} {f.subject}: {f.detail}"
            + (f" (explanation: {f.explanation})" if f.explanation else "")
            + ("" if f.decides else " [observation]")
            for f in result.findings
        )
        readings = "\n".join(r.text for r in READINGS if r.standard == s.number)
        out.append((
            _section_title(form, s.section), s.number, s.title, s.cls,
            result.status, round(result.score, 3), result.answered, result.total,
            result.summary, findings, "\n".join(result.notes), readings, s.id,
        ))  # fmt: skip
    return out


def is_late(target: date | None, done: bool, as_of: date) -> bool:
    """LATE: a target date before the assessment date on a step not done."""
    return target is not None and target < as_of and not done


def action_rows(assessment: Assessment, form: Form, readiness: Readiness
                ) -> list[tuple[Any, ...]]:
    """The Readiness page's plan, in its order; then the items kept for standards that are
    no longer gaps (or a second item for one standard), so no typed step is left out."""
    as_of = readiness.as_of
    used: set[int] = set()
    items = list(assessment.action_items)
    out: list[tuple[Any, ...]] = []
    results = {r.standard.id: r for r in readiness.results}
    for gap in readiness.gaps:
        s = gap.standard
        index = next((i for i, a in enumerate(items) if a.standard_id == s.id), None)
        item: ActionItem | None = None if index is None else items[index]
        if index is not None:
            used.add(index)
        done = gap.action_status is ActionStatus.DONE
        out.append((
            gap.rank, s.number, s.title, s.cls, gap.status, gap.next_step,
            gap.owner, _person(item), gap.target_date, gap.action_status,
            is_late(gap.target_date, done, as_of), item.note if item else "", s.id,
        ))  # fmt: skip
    for index, item in enumerate(items):
        if index in used:
            continue
        standard: Standard | None = _standard(form, item.standard_id)
        result = results.get(item.standard_id)
        out.append((
            None, standard.number if standard else item.standard_id,
            standard.title if standard else "", standard.cls if standard else "",
            result.status if result else Status.UNKNOWN, item.next_step,
            item.owner, _person(item), item.target_date, item.status,
            is_late(item.target_date, item.status is ActionStatus.DONE, as_of), item.note,
            item.standard_id,
        ))  # fmt: skip
    return out


def _person(item: ActionItem | None) -> str:
    """The person who owns the step, once the action item has that field (issue 20 adds it);
    empty until then."""
    return str(getattr(item, "person", "") or "") if item is not None else ""


def _standard(form: Form, standard_id: str) -> Standard | None:
    try:
        return form.standard(standard_id)
    except KeyError:
        return None


def officer_rows(assessment: Assessment, readiness: Readiness) -> list[tuple[Any, ...]]:
    return [
        (o.id, o.name, "; ".join(officer_school_names(o)), o.sworn_date, o.years_experience,
         o.assignment_date, o.basic_course_date, o.advanced_course_date,
         o.last_annual_training, o.last_rapid_deployment, o.probation_end,
         o.probation_review_with_school, officer_status(readiness, o, index), o.note)
        for index, o in enumerate(assessment.officers)
    ]  # fmt: skip


def school_rows(assessment: Assessment) -> list[tuple[Any, ...]]:
    """A school's SROs are the officers linked to it (as the Profile page counts them)."""
    linked = links(assessment)
    out = []
    for index, s in enumerate(assessment.schools):
        serving = [assessment.officers[i].name for i in linked.officers_of_school[index]]
        out.append((
            s.id, s.name, s.enrollment, s.buildings, s.acreage, s.calls_for_service,
            linked.sro_count(index), "; ".join(serving), s.non_sworn_safety_staff, s.note,
        ))  # fmt: skip
    return out


def answer_rows(assessment: Assessment, form: Form, provenance: Provenance | None = None
                ) -> list[tuple[Any, ...]]:
    """Every question (the Profile tables are the officers and schools), then any answer kept
    from an older question set. "Answered by" says which side's answer stands, and whose
    where known, when the agency and the district answered on their own copies
    (`provenance`); empty otherwise."""
    standards = {s.id: s for s in form.standards}

    def who(qid: str) -> str:
        return provenance.who(qid) if provenance is not None else ""

    out = []
    seen: set[str] = set()
    for q in form.questions:
        if q.type in (AnswerType.OFFICERS, AnswerType.SCHOOLS):
            continue
        seen.add(q.id)
        a = assessment.answers.get(q.id)
        s = standards.get(q.standard or "")
        out.append((
            _section_title(form, q.section), s.number if s else "", s.title if s else "",
            q.id, q.text, answer_words(q.type, a.value) if a else None, who(q.id),
            a.note if a else "", a.na_reason if a else "",
            a.flagged if a else None, a.reconfirm if a else None, a.updated if a else None,
        ))  # fmt: skip
    for qid, a in sorted(assessment.answers.items()):
        if qid in seen:
            continue
        out.append(("", "", "", qid, "(not in this version of the questions)",
                    answer_words(None, a.value), who(qid), a.note, a.na_reason, a.flagged, a.reconfirm,
                    a.updated))  # fmt: skip
    return out


def evidence_rows(assessment: Assessment, form: Form, evidence: Sequence[Evidence]
                  ) -> list[tuple[Any, ...]]:
    """One row per evidence file not removed; officers and schools by name."""
    names = {("officer", str(o.id)): o.name for o in assessment.officers}
    names |= {("school", str(s.id)): s.name for s in assessment.schools}
    out = []
    for item in evidence:
        if item.deleted_at is not None:
            continue
        sid = item.standard_id or (item.key if item.kind.value == "standard" else "")
        if not sid and item.kind.value == "question" and form.has_question(item.key):
            sid = form.question(item.key).standard or ""
        standard = _standard(form, sid)
        who = names.get((item.kind.value, item.key))
        supports = f"{item.kind.label}: {who}" if who else f"{item.kind.label} {item.key}"
        out.append((
            item.file_name, item.description, supports,
            standard.number if standard else sid, standard.title if standard else "",
            item.media_type, item.size, item.sha256, item.added, item.valid_until,
        ))  # fmt: skip
    return out


def assessment_tables(assessment: Assessment, form: Form, readiness: Readiness,
                      evidence: Sequence[Evidence] = (), provenance: Provenance | None = None
                      ) -> list[Table]:
    """Summary, Standards, Action plan, Officers, Schools, Answers, Evidence register."""
    return [
        summary_table(assessment, form, readiness),
        Table("standards", "Standards", STANDARD_COLUMNS,
              tuple(standard_rows(form, readiness))),
        Table("action_plan", "Action plan", ACTION_COLUMNS,
              tuple(action_rows(assessment, form, readiness))),
        Table("officers", "Officers", OFFICER_COLUMNS, tuple(officer_rows(assessment, readiness))),
        Table("schools", "Schools", SCHOOL_COLUMNS, tuple(school_rows(assessment))),
        Table("answers", "Answers", ANSWER_COLUMNS, tuple(answer_rows(assessment, form, provenance))),
        Table("evidence", "Evidence register", EVIDENCE_COLUMNS,
              tuple(evidence_rows(assessment, form, evidence))),
    ]


TABLE_KEYS = ("summary", "standards", "action_plan", "officers", "schools", "answers",
              "evidence")


def judged(assessment: Assessment, form: Form, evidence: Sequence[Evidence] = ()
           ) -> list[Table]:
    """The tables of a saved assessment judged as of its own assessment date."""
    return assessment_tables(assessment, form, evaluate(form, assessment, evidence=evidence),
                             evidence)


__all__ = ["Column", "Table", "answer_words", "words", "assessment_tables", "is_late", "judged",
           "TABLE_KEYS"]
