"""The date and number rules, judged from the officer and school tables and the MOU dates.

Each rule returns findings with an identity (`Finding.kind` + `Finding.key`); the engine
(domain.scoring) combines them. The numbers are here so the printed rules quote them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from nasro_desktop.domain.dates import add_months, add_years, long_date, parse_date, service_text
from nasro_desktop.domain.links import links
from nasro_desktop.domain.model import Answer, Assessment, Choice, Officer, RapidDeploymentReading
from nasro_desktop.domain.results import Finding, Status, SubjectKind

# The numbers behind the date rules; describe_rules() prints them, so words and code agree.
EXPERIENCE_YEARS = 3  # 02.01.02
BASIC_COURSE_YEARS = 1  # 03.02.01: before assignment, or within a year of it
ADVANCED_COURSE_YEARS = 1  # 03.03.01: about a year after the basic course...
ADVANCED_COURSE_GRACE_DAYS = 90  # ...so three months' leeway before it counts as overdue
ANNUAL_TRAINING_YEARS = 1  # 03.01.01
MOU_REVIEW_YEARS = 1  # 04.01.02
DEFAULT_PROBATION_MONTHS = 12  # 04.01.05 when the program's probation length is not recorded
MOU_TOPIC_PREFIX = "01.01.04-"
MOU_STANDARD = "01.01.04"

MOU_EXISTS = "mou.exists"
MOU_SIGNED = "mou.signed_date"
MOU_REVIEWED = "mou.last_review_date"
MOU_IN_FORCE = "mou.in_force"
MOU_SIGNED_BY_BOTH = "mou.agreement.signed_by_both"
PROBATION_EXISTS = "sel.probation.exists"
# 03.01.01 "annual": how this assessment reads it (a choice answered in the question set; see
# the reading "annual_training_required"). Unanswered: within twelve months.
ANNUAL_READING = "train.annual.reading"
ANNUAL_TWELVE_MONTHS = "within_12_months"
ANNUAL_SCHOOL_YEAR = "once_each_school_year"
SCHOOL_YEAR_START_MONTH = 7  # a school year runs from July 1 to June 30
ANNUAL_READING_LABELS = {
    ANNUAL_TWELVE_MONTHS: "within the last 12 months",
    ANNUAL_SCHOOL_YEAR: "once in each school year (July 1 to June 30)",
}
PROBATION_MONTHS = "sel.probation.months"
# Facts (not status questions) a rule reads: an open one can change a status.
RULE_FACTS = (MOU_EXISTS, MOU_SIGNED, MOU_IN_FORCE, PROBATION_EXISTS, PROBATION_MONTHS)

RuleFn = Callable[[Assessment, date, Mapping[str, Answer]], list[Finding]]


def officer_key(officer: Officer, index: int) -> str:
    """An officer's identity in findings: the saved row id, or its place in an unsaved list."""
    return str(officer.id) if officer.id is not None else f"row{index}"


def officer_name(officer: Officer) -> str:
    return officer.name.strip() or "Unnamed officer"


def _past(day: date | None, as_of: date) -> date | None:
    """A recorded date counts only if it is not after the as-of date."""
    return day if day is not None and day <= as_of else None


def starts_later(officer: Officer, as_of: date) -> bool:
    """An officer whose assignment starts after the as-of date is not yet an SRO."""
    return officer.assignment_date is not None and officer.assignment_date > as_of


def _starts_later_finding(officer: Officer, name: str) -> Finding:
    start = officer.assignment_date
    assert start is not None
    return Finding(
        name,
        Status.NOT_APPLICABLE,
        f"{name} starts {long_date(start)}: not yet an SRO on the assessment date, so left "
        "out of the count.",
        starts=start,
    )


def _open_list(key: str, detail: str) -> Finding:
    """The list of officers or schools itself is missing: the rule cannot be judged yet."""
    return Finding(key.capitalize(), Status.UNKNOWN, detail, kind=SubjectKind.LIST, key=key)


def _by_due(name: str, due: date, as_of: date, on_time: str, overdue: str) -> Finding:
    """Met through the due day itself (the reading "anniversary_day"), not met after it."""
    if as_of <= due:
        return Finding(name, Status.MET, on_time, due)
    return Finding(name, Status.NOT_MET, overdue, due)


def _per_officer(
    assessment: Assessment, as_of: date, judge: Callable[[Officer, str], Finding]
) -> list[Finding]:
    """One finding per officer; an officer who starts after `as_of` is listed ("starts
    <date>") and left out. With no officer serving on `as_of`, the list itself is open."""
    if not assessment.officers:
        return [_open_list("officers", "No officers are listed on the Profile page yet.")]
    findings = [
        replace(
            _starts_later_finding(officer, officer_name(officer))
            if starts_later(officer, as_of)
            else judge(officer, officer_name(officer)),
            kind=SubjectKind.OFFICER,
            key=officer_key(officer, index),
        )
        for index, officer in enumerate(assessment.officers)
    ]
    if all(starts_later(o, as_of) for o in assessment.officers):
        findings.insert(0, _open_list(
            "officers", "No listed officer is serving as an SRO on the assessment date (each "
            "starts later), so this cannot be judged yet."))
    return findings


def _each_officer(judge: Callable[[Officer, str, date], Finding]) -> RuleFn:
    """A rule judged officer by officer (see _per_officer) from the officer's row alone."""
    return lambda assessment, as_of, answers: _per_officer(
        assessment, as_of, lambda officer, name: judge(officer, name, as_of))


def _date_to_check(name: str, what: str, day: date, as_of: date) -> Finding:
    """A date recorded after the assessment date: to check, never counted either way."""
    return Finding(
        name,
        Status.UNKNOWN,
        f"⚠ Date to check: {name}'s {what} is recorded on {long_date(day)}, after the "
        f"assessment date ({long_date(as_of)}); it is not counted.",
    )


def _experience(officer: Officer, name: str, as_of: date) -> Finding:
    sworn = _past(officer.sworn_date, as_of)
    assigned = _past(officer.assignment_date, as_of)
    if sworn is not None:
        if assigned is not None and assigned < sworn:
            return Finding(
                name,
                Status.UNKNOWN,
                f"⚠ Dates to check: {name} is recorded as assigned on {long_date(assigned)}, "
                f"before being sworn on {long_date(sworn)}; experience cannot be judged.",
            )
        at = assigned or as_of
        enough = add_years(sworn, EXPERIENCE_YEARS) <= at
        when = "when assigned" if assigned else "so far"
        return Finding(
            name,
            Status.MET if enough else Status.NOT_MET,
            f"{name} had {service_text(sworn, at)} of service {when}.",
        )
    if officer.years_experience is not None:
        enough = officer.years_experience >= EXPERIENCE_YEARS
        years = officer.years_experience
        return Finding(
            name,
            Status.MET if enough else Status.NOT_MET,
            f"{name} had {years} year{'s' if years != 1 else ''} of service when assigned.",
        )
    return Finding(
        name, Status.UNKNOWN, f"No sworn date or years of service recorded for {name}."
    )


def _rule_sro_per_school(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    if not assessment.schools:
        return [_open_list("schools", "No schools are listed on the Profile page yet.")]
    linked = links(assessment)
    unlinked_names = sorted({officer_name(assessment.officers[i]) for i, _ in linked.unlinked})
    findings = []
    for index, school in enumerate(assessment.schools):
        name = school.name.strip() or "Unnamed school"
        key = str(school.id) if school.id is not None else f"row{index}"
        mine = [assessment.officers[i] for i in linked.officers_of_school[index]]
        serving = [officer_name(o) for o in mine if not starts_later(o, as_of)]
        later = [o for o in mine if starts_later(o, as_of)]
        if serving:
            count = len(serving)
            status = Status.MET
            detail = f"{name} has {count} SRO{'s' if count != 1 else ''}: {', '.join(serving)}."
        elif later:
            status = Status.NOT_MET
            detail = f"{name} has no SRO yet on the assessment date: " + ", ".join(
                f"{officer_name(o)} starts {long_date(o.assignment_date or as_of)}"
                for o in later
            ) + "."
        elif not assessment.officers:
            status = Status.UNKNOWN
            detail = f"No officers are listed yet, so no SRO is linked to {name}."
        elif unlinked_names:
            status = Status.UNKNOWN
            detail = (
                f"No officer is linked to {name}; check the school picked for "
                f"{', '.join(unlinked_names)} on the Profile page."
            )
        else:
            status = Status.NOT_MET
            detail = f"{name} has no SRO assigned."
        findings.append(Finding(name, status, detail, kind=SubjectKind.SCHOOL, key=key))
    return findings


def annual_reading(answers: Mapping[str, Answer]) -> str:
    """How "annual" (03.01.01) is read in this assessment: ANNUAL_TWELVE_MONTHS (the default)
    or ANNUAL_SCHOOL_YEAR."""
    value = answer_value(answers, ANNUAL_READING)
    return ANNUAL_SCHOOL_YEAR if value == ANNUAL_SCHOOL_YEAR else ANNUAL_TWELVE_MONTHS


def end_of_next_school_year(day: date) -> date:
    """The last day (June 30) of the school year after the one `day` falls in."""
    year = day.year + (1 if day.month >= SCHOOL_YEAR_START_MONTH else 0)
    return date(year + 1, SCHOOL_YEAR_START_MONTH, 1) - timedelta(days=1)


Due = Callable[[date], date]


def _renewal(
    name: str, what: str, last: date | None, assigned: date | None, as_of: date, due_after: Due
) -> Finding:
    """A training that must be renewed: next due `due_after` the last one; a new officer gets
    one interval to start."""
    if last is not None:
        due = due_after(last)
        if assigned is not None and due_after(assigned) > due:
            # done before the assignment: a new SRO still gets one interval to start, so
            # a date recorded never makes the officer due sooner than none would
            due = due_after(assigned)
        return _by_due(
            name, due, as_of,
            f"{name}: {what} last done {long_date(last)}; next due by {long_date(due)}.",
            f"{name}: {what} overdue since {long_date(due)} (last done {long_date(last)}).")
    if assigned is not None:
        due = due_after(assigned)
        return _by_due(name, due, as_of, f"{name}: first {what} due by {long_date(due)}.",
                       f"{name}: no {what} recorded; it was due by {long_date(due)}.")
    return Finding(name, Status.UNKNOWN, f"{name}: no {what} date and no assignment date recorded.")


def _renewal_rule(
    what: str, last: Callable[[Officer], date | None], months: int,
    next_due: Callable[[Mapping[str, Answer]], Due | None] = lambda answers: None,
) -> RuleFn:
    """A per-officer training renewed every `months`, or by the date `next_due` gives for the
    assessment's answers (see _renewal)."""

    def judge(officer: Officer, name: str, as_of: date, due: Due) -> Finding:
        day = last(officer)
        assigned = _past(officer.assignment_date, as_of)
        if day is not None and day > as_of:  # on schedule without it, or a date to check
            without = _renewal(name, what, None, assigned, as_of, due)
            if without.status is Status.MET:
                return without
            return _date_to_check(name, what, day, as_of)
        return _renewal(name, what, day, assigned, as_of, due)

    def rule(assessment: Assessment, as_of: date, answers: Mapping[str, Answer]) -> list[Finding]:
        due = next_due(answers) or (lambda day: add_months(day, months))
        return _per_officer(assessment, as_of, lambda o, name: judge(o, name, as_of, due))

    return rule


_rule_annual_training = _renewal_rule(
    "yearly school-safety training", lambda o: o.last_annual_training, 12 * ANNUAL_TRAINING_YEARS,
    lambda answers: end_of_next_school_year
    if annual_reading(answers) == ANNUAL_SCHOOL_YEAR else None,
)


def make_rapid_rule(reading: RapidDeploymentReading) -> RuleFn:
    return _renewal_rule(
        "rapid-deployment training", lambda o: o.last_rapid_deployment, reading.months
    )


def _basic_course(officer: Officer, name: str, as_of: date) -> Finding:
    done = _past(officer.basic_course_date, as_of)
    assigned = officer.assignment_date
    recorded = officer.basic_course_date
    if recorded is not None and done is None and assigned is None:
        return _date_to_check(name, "basic course", recorded, as_of)
    if assigned is None:
        if done is not None:
            return Finding(
                name, Status.MET, f"{name} completed the basic course on {long_date(done)}."
            )
        return Finding(
            name,
            Status.UNKNOWN,
            f"No assignment date or basic course date recorded for {name}.",
        )
    deadline = add_years(assigned, BASIC_COURSE_YEARS)
    if done is not None:
        if done <= deadline:
            when = ("before the assignment" if done <= assigned
                    else "within a year of the assignment")
            return Finding(name, Status.MET, f"{name} completed the basic course on "
                           f"{long_date(done)}, {when}.")
        return Finding(
            name,
            Status.MET,
            f"{name} completed the basic course late (due by {long_date(deadline)}, done "
            f"{long_date(done)}).",
            deadline,
            late=True,
        )
    later = ""
    if recorded is not None and recorded > as_of:
        later = (f" ⚠ Date to check: it is recorded as done on {long_date(recorded)}, after "
                 "the assessment date.")
    return _by_due(
        name, deadline, as_of,
        f"{name} is on schedule: the basic course is due by {long_date(deadline)}.",
        f"{name}'s basic course is overdue: it was due by {long_date(deadline)}.{later}")


def _advanced_course(officer: Officer, name: str, as_of: date) -> Finding:
    # a course recorded after the assessment date is judged as if it were not there (a
    # date to check never helps and never hurts): met without it stays met, else it is a
    # date to check
    for what, day, forgotten in (
            ("advanced course", officer.advanced_course_date,
             replace(officer, advanced_course_date=None)),
            ("basic course", officer.basic_course_date,
             replace(officer, basic_course_date=None))):
        if day is not None and day > as_of:
            without = _advanced_course(forgotten, name, as_of)
            return without if without.status is Status.MET else _date_to_check(
                name, what, day, as_of)
    done = _past(officer.advanced_course_date, as_of)
    basic = _past(officer.basic_course_date, as_of)
    latest = None
    if basic is not None:
        due = add_years(basic, ADVANCED_COURSE_YEARS)
        latest = due + timedelta(days=ADVANCED_COURSE_GRACE_DAYS)  # "about" a year
    if done is not None:
        if latest is not None and done > latest:
            return Finding(
                name,
                Status.MET,
                f"{name} completed the advanced course late (due by {long_date(latest)}, "
                f"done {long_date(done)}).",
                latest,
                late=True,
            )
        return Finding(
            name, Status.MET, f"{name} completed the advanced course on {long_date(done)}."
        )
    if basic is None or latest is None:
        return Finding(
            name,
            Status.UNKNOWN,
            f"{name}: the advanced course falls due about a year after the basic course, "
            "which is not recorded yet.",
        )
    due = add_years(basic, ADVANCED_COURSE_YEARS)
    return _by_due(
        name, latest, as_of,
        f"{name} is on schedule: the advanced course is due around {long_date(due)} "
        f"(at the latest {long_date(latest)}).",
        f"{name}'s advanced course is overdue: it was due around {long_date(due)}, "
        f"at the latest {long_date(latest)}.")


def signed_mou(answers: Mapping[str, Answer], as_of: date) -> tuple[Status, str]:
    """Does a signed MOU count on `as_of`? Met only when there is one, signed on or before
    `as_of` (the date recorded), by someone with authority on both sides (answered Yes), and
    still in force (answered Yes); see the reading "mou_signed_in_force". The detail says why."""
    exists = answer_value(answers, MOU_EXISTS)
    if exists == "no":
        return Status.NOT_MET, "There is no signed MOU yet; a draft does not count."
    if exists is None:
        return Status.UNKNOWN, "It is not yet recorded whether a signed MOU exists."
    signed = parse_date(answer_value(answers, MOU_SIGNED))
    both = answer_value(answers, MOU_SIGNED_BY_BOTH)
    in_force = answer_value(answers, MOU_IN_FORCE)
    if signed is not None and signed > as_of:
        return Status.NOT_MET, (
            f"The MOU was signed on {long_date(signed)}, after the Assessment date "
            f"({long_date(as_of)}), so it does not count as of that date.")
    if both == Choice.NOT_MET.value or both == Choice.PARTLY.value:
        return Status.NOT_MET, (
            "The MOU is not signed by someone with authority on both sides, so it does not "
            "count as signed.")
    if in_force == "no":
        return Status.NOT_MET, (
            "The MOU was no longer in force on the assessment date (expired, ended or "
            "withdrawn), so it does not count.")
    missing = []
    if signed is None:
        missing.append("the date it was signed")
    if both != Choice.MET.value:
        missing.append("whether someone with authority signed it on both sides")
    if in_force != "yes":
        missing.append("whether it was still in force on the assessment date")
    if missing:
        return Status.UNKNOWN, (
            "A signed MOU is recorded, but not yet " + _and_list(missing) + ", so it does "
            "not count yet.")
    assert signed is not None
    return Status.MET, f"A signed MOU in force counts (signed on {long_date(signed)})."


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _mou_finding(status: Status, detail: str) -> Finding:
    return Finding("MOU review", status, detail, kind=SubjectKind.MOU, key="mou_review")


def _rule_mou_review(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    status, detail = signed_mou(answers, as_of)
    if status is not Status.MET:
        return [_mou_finding(status, detail)]
    reviewed = _past(parse_date(answer_value(answers, MOU_REVIEWED)), as_of)
    signed = _past(parse_date(answer_value(answers, MOU_SIGNED)), as_of)
    last = max((d for d in (reviewed, signed) if d is not None), default=None)
    if last is None:
        return [_mou_finding(Status.UNKNOWN, "The MOU's signing and review dates are not recorded.")]
    due = add_years(last, MOU_REVIEW_YEARS)
    what = "reviewed" if last == reviewed else "signed"
    finding = _by_due(
        "MOU review", due, as_of,
        f"The MOU was last {what} on {long_date(last)}; next review due by {long_date(due)}.",
        f"The MOU review is overdue since {long_date(due)} (last {what} {long_date(last)}).")
    return [replace(finding, kind=SubjectKind.MOU, key="mou_review")]


def program_has_probation(answers: Mapping[str, Answer]) -> bool | None:
    """Do the SROs serve a probationary period (the applicability fact of 04.01.05; see the
    reading "probation_only_if_any")? None while not known, which never switches 04.01.05 off."""
    value = answer_value(answers, PROBATION_EXISTS)
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else None


def _rule_probation_review(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    if program_has_probation(answers) is False:
        return [
            Finding(
                "Probation",
                Status.NOT_APPLICABLE,
                "Your SROs serve no probationary period (answered No), so the school's part in "
                "a probation review does not apply.",
                kind=SubjectKind.LIST,
                key="probation",
            )
        ]
    months = answer_value(answers, PROBATION_MONTHS)
    months = months if isinstance(months, int) and months > 0 else DEFAULT_PROBATION_MONTHS

    def judge(officer: Officer, name: str) -> Finding:
        if officer.probation_review_with_school is True:
            return Finding(name, Status.MET, f"The school took part in {name}'s probation review.")
        if officer.probation_review_with_school is False:
            return Finding(
                name, Status.NOT_MET, f"The school did not take part in {name}'s probation review."
            )
        end = officer.probation_end
        if end is not None:
            if as_of <= end:
                return Finding(
                    name,
                    Status.MET,
                    f"{name} is on probation until {long_date(end)}; the school should take "
                    "part in the review.",
                    end,
                )
            return Finding(
                name,
                Status.UNKNOWN,
                f"{name}'s probation ended {long_date(end)}: record whether the school took "
                "part in the review.",
            )
        assigned = officer.assignment_date
        if assigned is not None and as_of <= add_months(assigned, months):
            end = add_months(assigned, months)
            return Finding(
                name,
                Status.MET,
                f"{name} was assigned {long_date(assigned)}; the probation review falls due "
                f"about {long_date(end)}.",
                end,
            )
        if assigned is not None:
            return Finding(
                name,
                Status.UNKNOWN,
                f"{name}'s probation (assigned {long_date(assigned)}) is over or its end is not "
                "recorded: record whether the school took part in the review.",
            )
        return Finding(
            name,
            Status.UNKNOWN,
            f"Not recorded whether the school took part in {name}'s probation review.",
        )

    return _per_officer(assessment, as_of, judge)


RULES: dict[str, RuleFn] = {
    "experience": _each_officer(_experience),
    "sro_per_school": _rule_sro_per_school,
    "annual_training": _rule_annual_training,
    "basic_course": _each_officer(_basic_course),
    "advanced_course": _each_officer(_advanced_course),
    "mou_review": _rule_mou_review,
    "probation_review": _rule_probation_review,
}
# Rules whose findings are shown and listed as due, but never decide (see READINGS).
OBSERVED_RULES = {"mou_review"}
DUE_WHAT = {
    "annual_training": "Yearly school-safety training",
    "basic_course": "Basic SRO course",
    "advanced_course": "Advanced SRO course",
    "rapid_deployment": "Rapid-deployment training",
    "mou_review": "Yearly MOU review",
    "probation_review": "Probation review with the school",
}
# Next steps that name who a per-officer or per-school rule failed for.
RULE_STEPS = {
    "experience": "Check the experience of {who} against the three-year mark before the next "
    "assignment",
    "sro_per_school": "Assign an SRO to {who}",
    "annual_training": "Book yearly school-safety training for {who}",
    "basic_course": "Book the basic SRO course for {who}",
    "advanced_course": "Book the advanced SRO course for {who}",
    "rapid_deployment": "Book rapid-deployment training for {who}",
    "probation_review": "Have a school administrator take part in the probation review of {who}",
}
# What a per-officer or per-school rule's failure is, for the counted finding
# ("1 of 3 officers: basic course overdue (Dana Ruiz).").
RULE_GAP = {
    "experience": "fewer than three years of service when assigned",
    "sro_per_school": "no SRO assigned",
    "annual_training": "yearly school-safety training overdue",
    "basic_course": "basic SRO course overdue",
    "advanced_course": "advanced SRO course overdue",
    "rapid_deployment": "rapid-deployment training overdue",
    "probation_review": "the school took no part in the probation review",
}
OFFICER_TRAINING_RULES = ("annual_training", "basic_course", "advanced_course", "rapid_deployment")
# Every rule a standard may name with `rule:` in the question set: RULES, and the
# rapid-deployment rule, made for each assessment from its reading (make_rapid_rule).
RULE_NAMES = frozenset(RULES) | {"rapid_deployment"}
# The rules that judge each officer (findings of kind OFFICER, keyed by officer_key), in the
# order the report's officer table prints them; tests/test_scoring.py checks it is all of them.
OFFICER_RULES = ("experience", "basic_course", "advanced_course", "annual_training",
                 "rapid_deployment", "probation_review")


def answer_value(answers: Mapping[str, Answer], question_id: str) -> Any:
    answer = answers.get(question_id)
    if answer is None or not answer.has_value:
        return None
    return answer.value
