"""Assessments for the report tests, built on the real question set (not a fake of any module).

Named without the test_ prefix so pytest does not collect it; imported by tests/test_report*.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from nasro_desktop.domain.model import (
    METHOD,
    PARTICIPANTS,
    SCOPE,
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
            person="Lt. Maria Alvarez, patrol commander",
        )
    ]
    return a


# --- the report's test bed (issue 20): six assessments a board packet must survive ---------------
# Each builder returns (assessment, as_of, today): today is the day the paper is printed.
# The tagged helper's tests (issue 24) reuse these; keep them plain domain objects.

TEXT_LIMIT = 100_000  # the app's input limit for a note, reason or text answer (store/exchange.py)
NAME_LIMIT = 32_767  # a name or title: a one-line field's limit (QLineEdit, store/exchange.py)
HOSTILE = (
    "<b>Bold?</b> & <i>x</i> ]]> %s \"quotes\" ‘curly’ \\ / #1 = café naïve — "
    "مرحبا بالعالم עברית 🚓👮🏽‍♀️ \u200b\u200d Ünïcödé ẞ ﬁ "
    "Supercalifragilisticexpialidocious" * 2 + "\n\n\t"
)


def at_limit(seed: str, limit: int = TEXT_LIMIT) -> str:
    """`seed`, hostile text (markup, right-to-left, emoji, one unbroken 400-character run no
    line can break), then ordinary accented prose with markup characters, to exactly `limit`
    characters. (Emoji all the way down would only measure reportlab's font switching.)"""
    text = seed + " " + HOSTILE + "X" * 400 + " "
    filler = "Café & <school> review: the officer's notes, naïve “quotes”, 100% checked. "
    while len(text) < limit:
        text += filler
    return text[:limit]


def officer_names(n: int) -> list[str]:
    """n plausible, messy names: accents, particles, a hyphen, two officers with one name."""
    first = ["José", "Ana", "Zoë", "Łukasz", "Dana", "Mary-Kate", "Søren", "Nguyễn", "Ödön",
             "Sean", "Aisha", "Kwame"]
    last = ["Ramírez", "García", "O'Hara", "Kowalczyk", "Ruiz", "de la Cruz", "Østergård",
            "Van An", "Győrfi", "McCarthy", "Al-Sayed", "Mensah", "Smith"]
    names = [f"{first[i % len(first)]} {last[(i * 5) % len(last)]}" for i in range(n)]
    if n >= 4:
        names[3] = names[0]  # two officers with the same name
    return names


def large_assessment(form: Form, *, officers: int = 60, schools: int = 25) -> Assessment:
    """A 60-officer, 25-school program with ordinary, real-length texts."""
    a = assessment(form, officers=officers, schools=schools)
    names = officer_names(officers)
    for o, name in zip(a.officers, names, strict=True):
        o.name = name
    for o in a.officers[::3]:
        o.note = " ".join(["Met with the principal to review the plan."] * 8)
    for sc in a.schools[::4]:
        sc.note = " ".join(["Shares a campus with the district office."] * 8)
    a.answers[PARTICIPANTS] = Answer(PARTICIPANTS, f"Chief, superintendent, {names[0]} and "
                                     f"Sgt. {names[1].split()[-1]}")
    a.answers[SCOPE] = Answer(SCOPE, f"All {schools} schools of the district, school year 2026-27")
    a.answers[METHOD] = Answer(METHOD, "Interviews, the binder of training records, the MOU")
    return a


def hostile_assessment(form: Form) -> Assessment:
    """The large assessment with hostile text in every free-text field, each kind of field at
    the app's input limit at least once (every profile text, title, agency, district, preparer;
    one action's step and note, one officer's and one school's name and note, an answer's note
    and reason), the others at 2,000 characters (every note long, every name messy)."""
    a = large_assessment(form)
    names = [o.name for o in a.officers]
    mention = f"Sgt. {names[1].split()[-1]} (ask {names[1].split()[0]} first), " \
              f"{names[0].upper()}, {names[0].split()[-1].replace('í', 'i')}, " \
              f"{names[0].split()[0][0]}. {names[0].split()[-1]}, " \
              f"{names[2].split()[-1]}, {names[2].split()[0]}"
    a.title = at_limit("Program review " + mention, NAME_LIMIT)
    a.agency = at_limit("Riverbend Police Department", NAME_LIMIT)
    a.district = at_limit("Riverbend Unified School District", NAME_LIMIT)
    a.prepared_by = at_limit("Lt. Maria Alvarez", NAME_LIMIT)
    for qid in (PARTICIPANTS, SCOPE, METHOD, "mou.parties"):
        a.answers[qid] = Answer(qid, at_limit(f"{qid}: {mention}"), note=at_limit("Note", 2_000))
    first = True
    for q in form.questions:
        ans = a.answers.get(q.id)
        if ans is None or q.type != AnswerType.STATUS:
            continue
        ans.note = at_limit(f"Note on {q.id}: {mention}", TEXT_LIMIT if first else 2_000)
        if ans.value in (Choice.PARTLY.value, Choice.NOT_SURE.value) and first:
            ans.value, ans.na_reason = Choice.ALTERNATE.value, at_limit("Another way: " + mention)
        first = False
    a.officers[0].name = at_limit(a.officers[0].name, NAME_LIMIT)
    a.officers[0].note = at_limit(mention)
    a.officers[0].school = at_limit("Riverbend High School", NAME_LIMIT)
    for o in a.officers[1:]:
        o.note = at_limit(mention, 2_000)
    a.schools[0].name = at_limit("Riverbend High School", NAME_LIMIT)
    a.schools[0].note = at_limit(mention)
    for sc in a.schools[1:]:
        sc.note = at_limit(mention, 2_000)
    gaps = [s for s in form.standards][:12]
    a.action_items = [
        ActionItem(id=i + 1, standard_id=s.id,
                   next_step=at_limit(f"Step: {mention}", TEXT_LIMIT if i == 0 else 2_000),
                   owner=Owner.BOTH, target_date=date(2026, 8, 1) if i % 2 else None,
                   status=ActionStatus.DONE if i == 3 else ActionStatus.OPEN,
                   note=at_limit(f"Note: {mention}", TEXT_LIMIT if i == 0 else 2_000),
                   person=at_limit(f"{mention}, school liaison", NAME_LIMIT if i == 0 else 300))
        for i, s in enumerate(gaps)
    ]
    return a


def sample(form: Form) -> Assessment:
    from nasro_desktop.domain.sample import sample_assessment

    return sample_assessment(form)


def empty_draft(form: Form) -> Assessment:
    """A new draft: nothing answered, no officers, schools or actions."""
    return Assessment(id=1, title="", agency="", district="", as_of=AS_OF, form_id=form.form_id,
                      form_version=form.version)


def next_year_copy(form: Form) -> Assessment:
    """Next year's copy of the sample: every answer carried and still to be confirmed."""
    from nasro_desktop.domain.carry import next_year
    from nasro_desktop.domain.sample import sample_assessment

    old = sample_assessment(form)
    return next_year(old, date(old.as_of.year + 1, old.as_of.month, old.as_of.day))


def ready_assessment(form: Form) -> Assessment:
    """Every mandatory standard met as of AS_OF; one officer's yearly school-safety training
    (mandatory) lapses on November 7, so a paper printed 80 days after AS_OF is stale."""
    a = assessment(form, officers=3, schools=3)
    for q in form.questions:
        ans = a.answers.get(q.id)
        if ans is not None and q.type == AnswerType.STATUS:
            ans.value = Choice.MET.value
    for o in a.officers:
        o.sworn_date = date(2012, 3, 1)
        o.assignment_date = date(2022, 8, 1)
        o.basic_course_date = date(2022, 6, 1)
        o.advanced_course_date = date(2023, 6, 1)
        o.last_annual_training = date(2026, 7, 1)
        o.last_rapid_deployment = date(2026, 5, 1)
        o.probation_end = date(2023, 2, 1)
        o.probation_review_with_school = True
    a.officers[1].last_annual_training = date(2025, 11, 7)  # lapses on November 7, 2026
    for sc in a.schools:
        sc.sros_assigned = 1
    a.action_items = []
    return a


def not_ready_assessment(form: Form, gaps: int = 10) -> Assessment:
    """Not ready, with `gaps` mandatory standards not met (answered No), and every recommended
    one not met too, so recommended rows compete for the board table."""
    a = ready_assessment(form)
    mandatory = [s for s in form.standards if s.cls.value == "mandatory" and not s.rule]
    chosen = {s.id for s in mandatory[:gaps]}
    for q in form.questions:
        ans = a.answers.get(q.id)
        if ans is None or q.type != AnswerType.STATUS:
            continue
        std = form.standard(q.standard) if q.standard else None
        if std is not None and (std.id in chosen or std.cls.value == "recommended"):
            ans.value = Choice.NOT_MET.value
    return a


REPORT_CASES = {
    # name: (builder, the printing day)
    "sample": (sample, AS_OF + timedelta(days=3)),
    "empty_draft": (empty_draft, AS_OF),
    "hostile": (hostile_assessment, AS_OF + timedelta(days=3)),
    "next_year": (next_year_copy, date(AS_OF.year + 1, AS_OF.month, AS_OF.day + 2)),
    "ready_80_days": (ready_assessment, AS_OF + timedelta(days=80)),
    "not_ready_10": (not_ready_assessment, AS_OF + timedelta(days=3)),
}
