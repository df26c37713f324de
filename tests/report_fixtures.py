"""Assessments for the report tests, built on the real question set (not a fake of any module).

Named without the test_ prefix so pytest does not collect it; imported by tests/test_report*.py.
"""

from __future__ import annotations

from datetime import date

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
    School,
)

AS_OF = date(2026, 9, 15)
BAD_NAMES = [
    'Nguyễn Văn "Tiger" An',
    "Łukasz Wróbel & <Partners>",
    "Zoë O'Hara 🚓👮🏽‍♀️",
    "Søren Kierkegaard-Østergård",
    "Ödön Győrfi",
]
CHOICES = [Choice.MET, Choice.MET, Choice.PARTLY, Choice.NOT_MET, Choice.MET, Choice.NOT_SURE]


def answered(form: Form, *, as_of: date = AS_OF, note_every: int = 7) -> dict[str, Answer]:
    """A plausible answer for every question, cycling through the status choices."""
    answers: dict[str, Answer] = {}
    i = 0
    for q in form.questions:
        if q.type == AnswerType.STATUS:
            value = CHOICES[i % len(CHOICES)].value
            i += 1
        elif q.type == AnswerType.YESNO:
            value = "yes"
        elif q.type == AnswerType.DATE:
            value = date(as_of.year - 1, 10, 1).isoformat()
        elif q.type == AnswerType.INTEGER:
            value = 3
        elif q.type == AnswerType.CHOICE:
            value = q.options[0] if q.options else "yes"
        elif q.type == AnswerType.TEXT:
            value = "Chief of police and superintendent"
        else:
            continue
        note = f"Checked against the binder, item {i}." if i % note_every == 0 else ""
        answers[q.id] = Answer(q.id, value, note=note)
    return answers


def officer(n: int, name: str | None = None) -> Officer:
    return Officer(
        id=n,
        name=name or f"Officer {n:03d}",
        school=f"School {n % 7 + 1}",
        sworn_date=date(2010 + n % 12, 3, 1),
        assignment_date=date(2023 + n % 3, 8, 1),
        basic_course_date=date(2023 + n % 3, 6, 15) if n % 4 else None,
        advanced_course_date=date(2025, 6, 1) if n % 3 == 0 else None,
        last_annual_training=date(2025 + n % 2, 7, 1),
        last_rapid_deployment=date(2026, 1, 10) if n % 2 else date(2024, 1, 10),
        probation_end=date(2024, 8, 1),
        probation_review_with_school=[True, False, None][n % 3],
    )


def school(n: int, name: str | None = None) -> School:
    return School(
        id=n,
        name=name or f"School {n}",
        enrollment=300 + 37 * n,
        buildings=1 + n % 3,
        acreage=4.5 + n,
        calls_for_service=10 + n,
        sros_assigned=[1, 0, 2, None][n % 4],
        non_sworn_safety_staff=n % 3,
    )


def assessment(
    form: Form,
    *,
    officers: int = 4,
    schools: int = 3,
    answer_all: bool = True,
    agency: str = "Riverbend Police Department",
) -> Assessment:
    a = Assessment(
        id=1,
        title="2026-27 program review",
        agency=agency,
        district="Riverbend Unified School District",
        prepared_by="Lt. Maria Alvarez",
        as_of=AS_OF,
        form_id=form.form_id,
        form_version=form.version,
        answers=answered(form) if answer_all else {},
        officers=[officer(n) for n in range(1, officers + 1)],
        schools=[school(n) for n in range(1, schools + 1)],
    )
    a.action_items = [
        ActionItem(
            id=1,
            standard_id=form.standards[0].id,
            next_step="Ask the city attorney to review the draft & send it to the board",
            owner=Owner.AGENCY,
            target_date=date(2026, 11, 1),
            status=ActionStatus.IN_PROGRESS,
            note="Board meets on the first Tuesday.",
        )
    ]
    return a
