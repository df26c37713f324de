"""Saved assessments for the export tests (CSV, workbook, JSON, analysis database), and what
each exported row must hold, worked out from the domain objects themselves (not from
store/tables.py, which the exports use).

Named without the test_ prefix so pytest does not collect it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from report_fixtures import AS_OF, answered, school

from nasro_desktop.domain.evidence import Evidence, EvidenceKind
from nasro_desktop.domain.links import links, officer_school_names
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Answer,
    AnswerType,
    Assessment,
    Choice,
    Form,
    Officer,
    Owner,
)
from nasro_desktop.domain.results import Readiness
from nasro_desktop.domain.scoring import evaluate, officer_status
from nasro_desktop.session import Session, form_for

# Text a spreadsheet would run, in every form we guard: plain, after spaces, after a no-break
# space, fullwidth, small, minus sign, a tab and a carriage return first.
FORMULAS = [
    '=HYPERLINK("http://x","click")', "+1+1", "-2 weeks late", "@SUM(A1)",
    "  =1+1", "\u00a0=1+1", "\uff1d1+1", "\ufe661+1", "\u22121", "\t=1", "\r=1",
    "\u200b=1+1", "\uff0bA1", "\uff20A1", "\uff0d3",
]  # fmt: skip


def add_awkward_rows(store, aid: int) -> None:
    """Accents, commas, quotes, new lines and a formula in every kind of text cell."""
    store.save_officer(aid, Officer(
        name="Nguyễn Văn An", school="Lincoln, East", sworn_date=date(2015, 3, 1),
        years_experience=11, probation_review_with_school=True,
        note='Says "hello"\nsecond line'))  # fmt: skip
    store.save_officer(aid, Officer(name="=cmd|' /C calc'!A0", note="\uff1dSUM(1)"))
    store.save_school(aid, dataclass_school("Zoë's Academy", note='=HYPERLINK("http://x")'))
    store.save_action_item(aid, ActionItem(
        standard_id="01.01.04", next_step="Renew the MOU", target_date=date(2027, 1, 31),
        note="-2 weeks late"))  # fmt: skip
    store.save_answer(aid, Answer("admin.sro.full_time_officer", "met",
                                  note="Checked with Łukasz, HR", flagged=True))
    store.save_answer(aid, Answer("admin.sro.sworn", "alternate", na_reason="@ the academy"))


def dataclass_school(name: str, **fields: Any):
    from nasro_desktop.domain.model import School

    return School(name=name, enrollment=812, acreage=12.5, **fields)


def saved_sample(store) -> Assessment:
    """The built-in sample, saved, with awkward rows added."""
    session = Session.open_sample(store)
    add_awkward_rows(store, session.assessment_id)
    return store.load_assessment(session.assessment_id)


def saved_sixty(store) -> Assessment:
    """60 officers over 9 schools, every question answered, formulas in notes, action items
    with and without a gap (two for one standard, one late, one done late)."""
    from nasro_desktop.domain.forms import current_form

    form = current_form()
    answers = answered(form, note_every=5)
    for number, answer in enumerate(answers.values()):
        if number % 11 == 0:
            answer.note = FORMULAS[number % len(FORMULAS)]
    # a Met another way with a formula for an explanation
    first_status = next(q for q in form.questions if q.type is AnswerType.STATUS)
    answers[first_status.id] = Answer(first_status.id, Choice.ALTERNATE.value,
                                      na_reason="=HYPERLINK(\"x\")")
    a = Assessment(
        title="=2026-27 district review, 60 officers", agency="Riverbend Police Department",
        district="Riverbend Unified School District", prepared_by="@Lt. Maria Alvarez",
        as_of=AS_OF, form_id=form.form_id, form_version=form.version, answers=answers,
        schools=[school(n) for n in range(1, 10)],
    )  # fmt: skip
    for n in range(1, 61):
        a.officers.append(Officer(
            name=f"Officer {n:03d}" if n % 13 else FORMULAS[n % len(FORMULAS)] + f" {n}",
            school="\n".join(f"School {k}" for k in {n % 9 + 1, (n * 4) % 9 + 1}),
            sworn_date=date(2008 + n % 15, 3, 1) if n % 10 else None,
            years_experience=None if n % 10 else 9,
            assignment_date=date(2023 + n % 3, 8, 1),
            basic_course_date=date(2023 + n % 3, 6, 15) if n % 4 else None,
            advanced_course_date=date(2025, 6, 1) if n % 3 == 0 else None,
            last_annual_training=date(2025 + n % 2, 7, 1),
            last_rapid_deployment=date(2026, 1, 10) if n % 2 else date(2024, 1, 10),
            probation_end=date(2024, 8, 1) if n % 5 else None,
            probation_review_with_school=[True, False, None][n % 3],
            note="" if n % 7 else f"Note for officer {n}, with a comma",
        ))  # fmt: skip
    saved = store.create_assessment(a)
    r = evaluate(form, saved)
    gaps = [g.standard.id for g in r.gaps]
    met = next(x.standard.id for x in r.results if x.status.value == "met")
    items = [
        ActionItem(standard_id=gaps[0], next_step="+ call the county", owner=Owner.DISTRICT,
                   target_date=date(2026, 8, 1), status=ActionStatus.OPEN, note="late"),
        ActionItem(standard_id=gaps[0], next_step="A second step for the same standard",
                   target_date=date(2026, 12, 1)),
        ActionItem(standard_id=gaps[1], next_step="Done, but after its date",
                   target_date=date(2026, 1, 1), status=ActionStatus.DONE),
        ActionItem(standard_id=met, next_step="Kept after the standard was met",
                   status=ActionStatus.DONE, note="\u00a0=kept"),
    ]
    for item in items:
        store.save_action_item(saved.id, item)
    return store.load_assessment(saved.id)


def hostile_evidence(assessment: Assessment) -> list[Evidence]:
    """Evidence records as an imported file may carry them: a formula for a media type."""
    added = datetime(2026, 9, 1, 12, 30, tzinfo=UTC)
    officer = assessment.officers[0]
    return [
        Evidence(1, assessment.id, EvidenceKind.STANDARD, "01.01.04", "signed MOU.pdf",
                 "application/pdf", 123_456, "a" * 64, added, "The signed MOU",
                 date(2027, 6, 30), "01.01.04"),
        Evidence(2, assessment.id, EvidenceKind.OFFICER, str(officer.id), "cert.pdf",
                 "=cmd|' /C calc'!A0", 2_000, "b" * 64, added, "-certificate"),
        Evidence(3, assessment.id, EvidenceKind.QUESTION, "admin.sro.sworn", "gone.pdf",
                 "application/pdf", 1, "c" * 64, added, deleted_at=added),
    ]


# --- what each table must hold, from the domain objects -------------------------------------


def judged(assessment: Assessment, evidence=()) -> tuple[Form, Readiness]:
    form = form_for(assessment)
    return form, evaluate(form, assessment, evidence=evidence)


def expected_plan(assessment: Assessment, readiness: Readiness) -> list[dict[str, Any]]:
    """The Readiness page's plan (one row per gap), then every other saved item."""
    rows: list[dict[str, Any]] = []
    first: dict[str, ActionItem] = {}
    for item in assessment.action_items:
        first.setdefault(item.standard_id, item)
    for gap in readiness.gaps:
        item = first.get(gap.standard.id)
        rows.append({
            "rank": gap.rank, "standard": gap.standard.number, "next_step": gap.next_step,
            "party": gap.owner.label, "target_date": gap.target_date,
            "status": gap.action_status.label, "note": item.note if item else "",
            "late": bool(gap.target_date and gap.target_date < readiness.as_of
                         and gap.action_status is not ActionStatus.DONE),
        })  # fmt: skip
    gap_ids = {g.standard.id for g in readiness.gaps}
    for item in assessment.action_items:
        if item.standard_id in gap_ids and first[item.standard_id] is item:
            continue
        rows.append({
            "rank": None, "standard": item.standard_id.split("-")[0],
            "next_step": item.next_step, "party": item.owner.label,
            "target_date": item.target_date, "status": item.status.label, "note": item.note,
            "late": bool(item.target_date and item.target_date < readiness.as_of
                         and item.status is not ActionStatus.DONE),
        })  # fmt: skip
    return rows


def expected_officers(assessment: Assessment, readiness: Readiness) -> list[dict[str, Any]]:
    return [{
        "id": o.id, "name": o.name, "schools": "; ".join(officer_school_names(o)),
        "sworn_date": o.sworn_date, "years_experience": o.years_experience,
        "assignment_date": o.assignment_date, "basic_course_date": o.basic_course_date,
        "advanced_course_date": o.advanced_course_date,
        "last_annual_training": o.last_annual_training,
        "last_rapid_deployment": o.last_rapid_deployment, "probation_end": o.probation_end,
        "probation_review_with_school": o.probation_review_with_school,
        "training_status": officer_status(readiness, o, i), "note": o.note,
    } for i, o in enumerate(assessment.officers)]  # fmt: skip


def expected_schools(assessment: Assessment) -> list[dict[str, Any]]:
    """SROs assigned: the officers linked to the school, as the Profile page counts them."""
    linked = links(assessment)
    return [{
        "id": s.id, "name": s.name, "enrollment": s.enrollment, "buildings": s.buildings,
        "acreage": s.acreage, "calls_for_service": s.calls_for_service,
        "sros_assigned": linked.sro_count(i),
        "officers_serving": "; ".join(assessment.officers[k].name
                                      for k in linked.officers_of_school[i]),
        "non_sworn_safety_staff": s.non_sworn_safety_staff, "note": s.note,
    } for i, s in enumerate(assessment.schools)]  # fmt: skip


def expected_answers(assessment: Assessment, form: Form) -> list[dict[str, Any]]:
    words = {"met": "Yes", "partly": "Partly", "not_met": "No", "not_sure": "Not sure",
             "alternate": "Met another way", "na": "Not applicable"}
    rows = []
    for q in form.questions:
        if q.type in (AnswerType.OFFICERS, AnswerType.SCHOOLS):
            continue
        a = assessment.answers.get(q.id)
        value = None if a is None or a.value in (None, "") else a.value
        if value is not None and q.type is AnswerType.STATUS:
            value = words[value]
        elif value is not None and q.type is AnswerType.YESNO:
            value = {"yes": "Yes", "no": "No"}[value]
        rows.append({
            "question_id": q.id, "question": q.text, "answer": value,
            "note": a.note if a else "", "reason": a.na_reason if a else "",
            "flagged": a.flagged if a else None, "reconfirm": a.reconfirm if a else None,
            "saved": a.updated if a else None,
            "standard": form.standard(q.standard).number if q.standard else "",
        })  # fmt: skip
    return rows


def expected_standards(readiness: Readiness) -> list[dict[str, Any]]:
    return [{
        "standard": r.standard.number, "title": r.standard.title, "class": r.standard.cls.label,
        "status": r.status.label, "answered": r.answered, "questions": r.total,
        "findings": [f.detail for f in r.findings],
    } for r in readiness.results]  # fmt: skip


def expected_evidence(evidence: list[Evidence]) -> list[dict[str, Any]]:
    return [{"file_name": e.file_name, "description": e.description,
             "media_type": e.media_type, "size": e.size, "sha256": e.sha256,
             "added": e.added, "valid_until": e.valid_until}
            for e in evidence if e.deleted_at is None]
