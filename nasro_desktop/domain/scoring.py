"""The readiness engine: every scoring rule lives here, and can state itself in words.

`evaluate(form, assessment, as_of)` judges each standard from its answers and, where the
standard has a `rule`, from the officer and school tables and the MOU dates, as of one explicit
date. `describe_rules(reading, form)` returns the same rules as sentences for the window and the
report, generated from the constants and readings below so words and code cannot drift.

Every place where the standards document can be read two ways is a `Reading` in `READINGS`;
tests/test_readings.py holds one test per reading (a test checks that none is missing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from nasro_desktop.domain.dates import add_months, add_years, long_date, parse_date, service_text
from nasro_desktop.domain.links import links
from nasro_desktop.domain.model import (
    ActionStatus,
    Answer,
    AnswerType,
    Assessment,
    Choice,
    Form,
    Officer,
    Question,
    RapidDeploymentReading,
    StandardClass,
)
from nasro_desktop.domain.results import (
    DueItem,
    Finding,
    Gap,
    Readiness,
    SectionFigure,
    StandardResult,
    Status,
    SubjectKind,
    Verdict,
)

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
PROBATION_AGREED = "sel.probation.agreed"
PROBATION_MONTHS = "sel.probation.months"
# Facts (not status questions) whose answer can decide a status: they count as open.
DECIDING_FACTS = (MOU_EXISTS,)

_SCORE = {Status.MET: 1.0, Status.PARTLY: 0.5}
CHOICE_STATUS = {
    Choice.MET.value: Status.MET,
    Choice.ALTERNATE.value: Status.MET,
    Choice.PARTLY.value: Status.PARTLY,
    Choice.NOT_MET.value: Status.NOT_MET,
    Choice.NOT_SURE.value: Status.UNKNOWN,
    Choice.NA.value: Status.NOT_APPLICABLE,
}
_CLASS_ORDER = {
    StandardClass.MANDATORY: 0,
    StandardClass.RECOMMENDED: 1,
    StandardClass.UNCLASSIFIED: 2,
}
_GAP_ORDER = {Status.NOT_MET: 0, Status.UNKNOWN: 1, Status.PARTLY: 2}


# --- readings: how the app reads the document where it can be read two ways ----------------


@dataclass(frozen=True)
class Reading:
    id: str  # tests/test_readings.py has test_reading_<id>
    standard: str  # the number it concerns, or "" for all
    text: str


READINGS: tuple[Reading, ...] = (
    Reading(
        "examples_are_observations",
        "",
        'Where the document gives examples ("such as", "may include", "include but are not '
        'limited to", "can be demonstrated in", "should include"), the app asks about them and '
        "prints the answers as observations, but they never decide whether a standard is met.",
    ),
    Reading(
        "each_officer_each_school",
        "",
        "A requirement that applies to each officer or each school is met only when every "
        "officer or school meets it; if one does not, the standard is not met and the finding "
        'says how many and who (for example "1 of 3 officers"). Partly met comes only from '
        "answers you chose.",
    ),
    Reading(
        "met_another_way",
        "",
        '"Met another way" counts as met only with a written explanation of the equivalent '
        "practice; the report prints the explanation beside the standard so the board can "
        "judge it.",
    ),
    Reading(
        "anniversary_day",
        "",
        'Yearly deadlines: "within a year" of a date includes the anniversary day itself, and '
        "a thing done a year ago to the day is still current; it is overdue from the next day. "
        "A year after February 29 is February 28.",
    ),
    Reading(
        "late_course_counts",
        "03.02.01",
        "03.02.01 Basic SRO course: a course finished after the one-year deadline counts from "
        "the day it was done; the report says it was completed late (due by, done on). Until "
        "then the course is overdue.",
    ),
    Reading(
        "advanced_course_about_a_year",
        "03.03.01",
        f'03.03.01 Advanced SRO course: "approximately one year" after the basic course is read '
        f"as due {ADVANCED_COURSE_YEARS} year after it, overdue "
        f"{ADVANCED_COURSE_GRACE_DAYS} days after that. A course done later counts, marked late.",
    ),
    Reading(
        "annual_training_required",
        "03.01.01",
        '03.01.01 Yearly training: the document says the SRO "should" attend it "at a minimum" '
        "under a standard marked mandatory; the app reads yearly school-safety training as "
        "required. The named topics are examples. An officer assigned less than a year ago who "
        "has not had it yet is on schedule.",
    ),
    Reading(
        "no_mou_no_topic",
        "01.01.04",
        "01.01.04 MOU: without a signed MOU the item \"A signed MOU\" is not met, and a topic that "
        "the draft MOU covers counts as partly met at most.",
    ),
    Reading(
        "mou_review_is_example",
        "04.01.02",
        "04.01.02 The yearly MOU review is one of the document's examples of how to support the "
        "partnership, so its date is shown (and listed under what falls due) but does not "
        "decide the standard.",
    ),
    Reading(
        "probation_only_if_any",
        "04.01.05",
        "04.01.05 Probation review: it applies only when the program has a probationary period "
        "(02.01.07, which is recommended, not required). With none, 04.01.05 is not applicable. "
        "An officer with no probation on record whose first months are over is left out of the "
        "count (the finding says so); an officer still in those months is on schedule.",
    ),
    Reading(
        "school_sro_from_officers",
        "02.01.03",
        "02.01.03 Number of SROs: a school's SROs are the officers linked to it on the Profile "
        "page (an officer may serve several schools). A school no officer serves is not met.",
    ),
    Reading(
        "conflicting_dates",
        "02.01.02",
        "02.01.02 Experience: an officer recorded as assigned before being sworn cannot be "
        "judged; the finding asks to check the dates and the report flags it.",
    ),
)


def describe_rules(
    reading: RapidDeploymentReading | str = RapidDeploymentReading.TWICE_A_YEAR,
    form: Form | None = None,
) -> list[str]:
    reading = RapidDeploymentReading(reading)
    rules = [
        "Each standard is judged from the answers given for it and, for the dated standards, "
        'from the officer and school tables, as of the assessment\'s "as of" date.',
        'Answers: Yes and Met another way (with an explanation) count as met; Partly counts '
        "half; No counts nothing. Unanswered questions and \"Not sure\" never count as met: "
        'they show as "?".',
        "Not applicable counts only where the question allows it and a reason is given; such "
        "questions are left out of the count.",
        "A standard is met when every part of it is met. When some parts are answered Yes or "
        "Partly and others No, it is partly met. When the only parts not met are still "
        'unanswered, it shows "?".',
        "The program is Ready when every mandatory standard is met; otherwise it is Not ready "
        "and each mandatory standard not met is listed. The verdict says whether the questions "
        "still open could change it.",
        "The best-practice score is the average of the recommended standards' scores, as a "
        "percentage. Items the document does not class as mandatory or recommended are shown "
        "and judged, but do not change the verdict or the score.",
        f"02.01.02 Experience: an officer needs at least {EXPERIENCE_YEARS} years of "
        "law-enforcement service when assigned as an SRO.",
        "02.01.03 Number of SROs: every school needs at least one SRO assigned.",
        f"03.01.01 Yearly training: each officer's last school-safety training must be within "
        f"the last {ANNUAL_TRAINING_YEARS} year.",
        f"03.02.01 Basic SRO course: completed before the assignment, or within "
        f"{BASIC_COURSE_YEARS} year of its start. An officer still inside that year is on "
        "schedule; after it, the course is overdue until it is done.",
        f'03.04.01 Rapid-deployment training: NASRO says "bi-annual", which can mean twice a '
        f"year or every two years. This assessment reads it as {reading.label}.",
        f"04.01.02 MOU review: shown as due {MOU_REVIEW_YEARS} year after the MOU was last "
        "reviewed or signed.",
        "04.01.05 Probation review: for each officer, the school must have taken part in the "
        "probation review; an officer still on probation is on schedule until it ends.",
    ]
    rules += [r.text for r in READINGS]
    if form is not None:
        observed = sorted({q.standard or "" for q in form.questions if q.observation})
        if observed:
            rules.append(
                "Asked as observations only (examples or good practice, never scored): "
                + ", ".join(observed)
                + "."
            )
    return rules


# --- answers: the one definition of "answered" and of what an answer counts as -------------


def answer_status(question: Question, answer: Answer | None) -> Status:
    """The status one status-question answer contributes."""
    if not answer_counts(question, answer):
        return Status.UNKNOWN
    assert answer is not None
    return CHOICE_STATUS.get(str(answer.value), Status.UNKNOWN)


def answer_counts(question: Question, answer: Answer | None) -> bool:
    """True when the answer is given in full: a value, and the written reason a Not
    applicable or Met another way needs (Not applicable only where the question allows it)."""
    if answer is None or not answer.is_answered:
        return False
    if question.type is AnswerType.STATUS:
        if str(answer.value) not in CHOICE_STATUS:
            return False
        if answer.value == Choice.NA.value:
            return question.na_allowed and bool(answer.na_reason.strip())
        if answer.value == Choice.ALTERNATE.value:
            return bool(answer.na_reason.strip())
    return True


def is_answered(question: Question, assessment: Assessment) -> bool:
    """The app's single definition of "answered": every page, the engine and the report use it."""
    if question.type is AnswerType.OFFICERS:
        return bool(assessment.officers)
    if question.type is AnswerType.SCHOOLS:
        return bool(assessment.schools)
    return answer_counts(question, assessment.answers.get(question.id))


def decides(question: Question) -> bool:
    """Can this question's answer change a standard's status (and so the verdict)?"""
    if question.type in (AnswerType.OFFICERS, AnswerType.SCHOOLS):
        return True
    if question.type is AnswerType.STATUS:
        return not question.observation
    return question.id in DECIDING_FACTS


def combine(statuses: Iterable[Status]) -> Status:
    """A standard's status from the statuses of its parts (see describe_rules)."""
    statuses = list(statuses)
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not statuses:
        return Status.UNKNOWN
    if not applicable:
        return Status.NOT_APPLICABLE
    if all(s is Status.MET for s in applicable):
        return Status.MET
    if all(s in (Status.MET, Status.UNKNOWN) for s in applicable):
        return Status.UNKNOWN
    if any(s in (Status.MET, Status.PARTLY) for s in applicable):
        return Status.PARTLY
    return Status.NOT_MET


def all_must_meet(statuses: Iterable[Status]) -> Status:
    """A per-officer or per-school requirement: met only when every one meets it."""
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not applicable:
        return Status.NOT_APPLICABLE
    if any(s in (Status.NOT_MET, Status.PARTLY) for s in applicable):
        return Status.NOT_MET
    if all(s is Status.MET for s in applicable):
        return Status.MET
    return Status.UNKNOWN


def score_of(statuses: Iterable[Status]) -> float:
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not applicable:
        return 0.0
    return sum(_SCORE.get(s, 0.0) for s in applicable) / len(applicable)


# --- rules --------------------------------------------------------------------------------

RuleFn = Callable[[Assessment, date, Mapping[str, Answer]], list[Finding]]


def officer_key(officer: Officer, index: int) -> str:
    """An officer's identity in findings: the saved row id, or its place in an unsaved list."""
    return str(officer.id) if officer.id is not None else f"row{index}"


def _officer_name(officer: Officer) -> str:
    return officer.name.strip() or "Unnamed officer"


def _past(day: date | None, as_of: date) -> date | None:
    """A recorded date counts only if it is not after the as-of date."""
    return day if day is not None and day <= as_of else None


def _per_officer(
    assessment: Assessment, judge: Callable[[Officer, str], Finding]
) -> list[Finding]:
    if not assessment.officers:
        return [
            Finding(
                "Officers",
                Status.UNKNOWN,
                "No officers are listed on the Profile page yet.",
                kind=SubjectKind.LIST,
                key="officers",
            )
        ]
    return [
        replace(
            judge(officer, _officer_name(officer)),
            kind=SubjectKind.OFFICER,
            key=officer_key(officer, index),
        )
        for index, officer in enumerate(assessment.officers)
    ]


def _rule_experience(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    def judge(officer: Officer, name: str) -> Finding:
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

    return _per_officer(assessment, judge)


def _rule_sro_per_school(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    if not assessment.schools:
        return [
            Finding(
                "Schools",
                Status.UNKNOWN,
                "No schools are listed on the Profile page yet.",
                kind=SubjectKind.LIST,
                key="schools",
            )
        ]
    linked = links(assessment)
    unlinked_names = sorted({_officer_name(assessment.officers[i]) for i, _ in linked.unlinked})
    findings = []
    for index, school in enumerate(assessment.schools):
        name = school.name.strip() or "Unnamed school"
        key = str(school.id) if school.id is not None else f"row{index}"
        serving = [_officer_name(assessment.officers[i]) for i in linked.officers_of_school[index]]
        if serving:
            count = len(serving)
            status = Status.MET
            detail = f"{name} has {count} SRO{'s' if count != 1 else ''}: {', '.join(serving)}."
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


def _renewal(
    name: str, what: str, last: date | None, assigned: date | None, as_of: date, months: int
) -> Finding:
    """A training that must be renewed every `months`; a new officer gets one interval to start.
    Due by the anniversary day itself (see the reading "anniversary_day")."""
    if last is not None:
        due = add_months(last, months)
        if as_of <= due:
            return Finding(
                name,
                Status.MET,
                f"{name}: {what} last done {long_date(last)}; next due by {long_date(due)}.",
                due,
            )
        return Finding(
            name,
            Status.NOT_MET,
            f"{name}: {what} overdue since {long_date(due)} (last done {long_date(last)}).",
            due,
        )
    if assigned is not None:
        due = add_months(assigned, months)
        if as_of <= due:
            return Finding(name, Status.MET, f"{name}: first {what} due by {long_date(due)}.", due)
        return Finding(
            name,
            Status.NOT_MET,
            f"{name}: no {what} recorded; it was due by {long_date(due)}.",
            due,
        )
    return Finding(name, Status.UNKNOWN, f"{name}: no {what} date and no assignment date recorded.")


def _rule_annual_training(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    return _per_officer(
        assessment,
        lambda o, name: _renewal(
            name,
            "yearly school-safety training",
            _past(o.last_annual_training, as_of),
            _past(o.assignment_date, as_of),
            as_of,
            12 * ANNUAL_TRAINING_YEARS,
        ),
    )


def _make_rapid_rule(reading: RapidDeploymentReading) -> RuleFn:
    def rule(assessment: Assessment, as_of: date, answers: Mapping[str, Answer]) -> list[Finding]:
        return _per_officer(
            assessment,
            lambda o, name: _renewal(
                name,
                "rapid-deployment training",
                _past(o.last_rapid_deployment, as_of),
                _past(o.assignment_date, as_of),
                as_of,
                reading.months,
            ),
        )

    return rule


def _rule_basic_course(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    def judge(officer: Officer, name: str) -> Finding:
        done = _past(officer.basic_course_date, as_of)
        assigned = officer.assignment_date
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
            if done <= assigned:
                return Finding(
                    name,
                    Status.MET,
                    f"{name} completed the basic course on {long_date(done)}, before the "
                    "assignment.",
                )
            if done <= deadline:
                return Finding(
                    name,
                    Status.MET,
                    f"{name} completed the basic course on {long_date(done)}, within a year of "
                    "the assignment.",
                )
            return Finding(
                name,
                Status.MET,
                f"{name} completed the basic course late (due by {long_date(deadline)}, done "
                f"{long_date(done)}).",
                deadline,
                late=True,
            )
        if as_of <= deadline:
            return Finding(
                name,
                Status.MET,
                f"{name} is on schedule: the basic course is due by {long_date(deadline)}.",
                deadline,
            )
        return Finding(
            name,
            Status.NOT_MET,
            f"{name}'s basic course is overdue: it was due by {long_date(deadline)}.",
            deadline,
        )

    return _per_officer(assessment, judge)


def _rule_advanced_course(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    def judge(officer: Officer, name: str) -> Finding:
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
        if as_of <= latest:
            return Finding(
                name,
                Status.MET,
                f"{name} is on schedule: the advanced course is due around {long_date(due)} "
                f"(at the latest {long_date(latest)}).",
                latest,
            )
        return Finding(
            name,
            Status.NOT_MET,
            f"{name}'s advanced course is overdue: it was due around {long_date(due)}, "
            f"at the latest {long_date(latest)}.",
            latest,
        )

    return _per_officer(assessment, judge)


def _mou_finding(status: Status, detail: str, due: date | None = None) -> Finding:
    return Finding("MOU review", status, detail, due, kind=SubjectKind.MOU, key="mou_review")


def _rule_mou_review(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    exists = _value(answers, MOU_EXISTS)
    if exists is None:
        return [_mou_finding(Status.UNKNOWN, "It is not yet recorded whether a signed MOU exists.")]
    if exists != "yes":
        return [
            _mou_finding(
                Status.NOT_MET, "There is no signed MOU yet, so it cannot have been reviewed."
            )
        ]
    reviewed = _past(parse_date(_value(answers, MOU_REVIEWED)), as_of)
    signed = _past(parse_date(_value(answers, MOU_SIGNED)), as_of)
    last = max((d for d in (reviewed, signed) if d is not None), default=None)
    if last is None:
        return [_mou_finding(Status.UNKNOWN, "The MOU's signing and review dates are not recorded.")]
    due = add_years(last, MOU_REVIEW_YEARS)
    what = "reviewed" if last == reviewed else "signed"
    if as_of <= due:
        return [
            _mou_finding(
                Status.MET,
                f"The MOU was last {what} on {long_date(last)}; next review due by "
                f"{long_date(due)}.",
                due,
            )
        ]
    return [
        _mou_finding(
            Status.NOT_MET,
            f"The MOU review is overdue since {long_date(due)} (last {what} {long_date(last)}).",
            due,
        )
    ]


def program_has_probation(answers: Mapping[str, Answer]) -> bool | None:
    """02.01.07: does the program have a probationary period? None while not known."""
    value = _value(answers, PROBATION_AGREED)
    if value in (Choice.MET.value, Choice.PARTLY.value, Choice.ALTERNATE.value):
        return True
    if value in (Choice.NOT_MET.value, Choice.NA.value):
        return False
    return None


def _rule_probation_review(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    if program_has_probation(answers) is False:
        return [
            Finding(
                "Probation",
                Status.NOT_APPLICABLE,
                "The program has no probationary period for SROs (02.01.07, recommended), so "
                "the school's part in a probation review does not apply.",
                kind=SubjectKind.LIST,
                key="probation",
            )
        ]
    months = _value(answers, PROBATION_MONTHS)
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
                Status.NOT_APPLICABLE,
                f"No probation is recorded for {name} (assigned {long_date(assigned)}), so "
                f"{name} is left out of the count. If {name} served one, record whether the "
                "school took part.",
            )
        return Finding(
            name,
            Status.UNKNOWN,
            f"Not recorded whether the school took part in {name}'s probation review.",
        )

    return _per_officer(assessment, judge)


_RULES: dict[str, RuleFn] = {
    "experience": _rule_experience,
    "sro_per_school": _rule_sro_per_school,
    "annual_training": _rule_annual_training,
    "basic_course": _rule_basic_course,
    "advanced_course": _rule_advanced_course,
    "mou_review": _rule_mou_review,
    "probation_review": _rule_probation_review,
}
# Rules whose findings are shown and listed as due, but never decide (see READINGS).
_OBSERVED_RULES = {"mou_review"}
_DUE_WHAT = {
    "annual_training": "Yearly school-safety training",
    "basic_course": "Basic SRO course",
    "advanced_course": "Advanced SRO course",
    "rapid_deployment": "Rapid-deployment training",
    "mou_review": "Yearly MOU review",
    "probation_review": "Probation review with the school",
}
# Next steps that name who a per-officer or per-school rule failed for.
_RULE_STEP = {
    "experience": "Check the experience of {who} against the three-year mark before the next "
    "assignment",
    "sro_per_school": "Assign an SRO to {who}",
    "annual_training": "Book yearly school-safety training for {who}",
    "basic_course": "Book the basic SRO course for {who}",
    "advanced_course": "Book the advanced SRO course for {who}",
    "rapid_deployment": "Book rapid-deployment training for {who}",
    "probation_review": "Have a school administrator take part in the probation review of {who}",
}
OFFICER_TRAINING_RULES = ("annual_training", "basic_course", "advanced_course", "rapid_deployment")


def _value(answers: Mapping[str, Answer], question_id: str):
    answer = answers.get(question_id)
    if answer is None or not answer.is_answered:
        return None
    return answer.value


# --- the engine ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Judged:
    results: list[StandardResult]
    due: list[DueItem]
    visible: list[Question]


def _question_findings(
    standard_id: str, questions: list[Question], answers: Mapping[str, Answer], mou_signed: bool
) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    notes: list[str] = []
    for question in questions:
        answer = answers.get(question.id)
        if answer is not None and answer.note.strip():
            notes.append(answer.note.strip())
        if question.type is not AnswerType.STATUS:
            continue
        status = answer_status(question, answer)
        detail = question.text_for(dict(answers))
        explanation = ""
        if status is Status.MET and answer is not None and answer.value == Choice.ALTERNATE.value:
            explanation = answer.na_reason.strip()
            detail += f" Met another way: {explanation}"
        if (
            status is Status.MET
            and standard_id.startswith(MOU_TOPIC_PREFIX)
            and not mou_signed
            and not question.observation
        ):
            status = Status.PARTLY
            detail += " (planned in the draft MOU: counts as partly met until the MOU is signed)"
        subject = f"Element {question.element}" if question.element else "Question"
        findings.append(
            Finding(
                subject,
                status,
                detail,
                kind=SubjectKind.QUESTION,
                key=question.id,
                decides=not question.observation,
                explanation=explanation,
            )
        )
    return findings, notes


def _mou_signed_finding(answers: Mapping[str, Answer]) -> Finding:
    exists = _value(answers, MOU_EXISTS)
    signed = parse_date(_value(answers, MOU_SIGNED))
    if exists == "yes":
        when = f" on {long_date(signed)}" if signed else ""
        status, detail = Status.MET, f"A signed MOU exists (signed{when})."
    elif exists is None:
        status, detail = Status.UNKNOWN, "It is not yet recorded whether a signed MOU exists."
    else:
        status, detail = Status.NOT_MET, "There is no signed MOU yet; a draft does not count."
    return Finding("Signed MOU", status, detail, kind=SubjectKind.MOU, key="mou_signed")


def _standard_status(findings: list[Finding]) -> Status:
    questions = [f.status for f in findings if f.decides and f.kind is SubjectKind.QUESTION]
    facts = [f.status for f in findings if f.decides and f.kind is not SubjectKind.QUESTION]
    if not questions and not facts:
        return Status.UNKNOWN
    parts = list(questions)
    if facts:
        whole = all_must_meet(facts)
        if whole is Status.NOT_MET:
            return Status.NOT_MET
        parts.append(whole)
    return combine(parts)


def _summary(findings: list[Finding]) -> str:
    """ "1 of 3 officers: Dana Ruiz" for a per-officer or per-school rule not met by all."""
    for kind, word in ((SubjectKind.OFFICER, "officer"), (SubjectKind.SCHOOL, "school")):
        people = [f for f in findings if f.kind is kind and f.decides]
        counted = [f for f in people if f.status is not Status.NOT_APPLICABLE]
        failing = [f for f in counted if f.status in (Status.NOT_MET, Status.PARTLY)]
        unknown = [f for f in counted if f.status is Status.UNKNOWN]
        total = len(counted)
        plural = word + ("s" if total != 1 else "")
        if failing:
            names = ", ".join(f.subject for f in failing)
            return f"{len(failing)} of {total} {plural} not met: {names}."
        if unknown:
            names = ", ".join(f.subject for f in unknown)
            return f"{len(unknown)} of {total} {plural} not yet known: {names}."
    return ""


def _judge(form: Form, assessment: Assessment, as_of: date) -> _Judged:
    answers = assessment.answers
    reading = RapidDeploymentReading(assessment.rapid_deployment_reading)
    rules = dict(_RULES, rapid_deployment=_make_rapid_rule(reading))
    mou_signed = _value(answers, MOU_EXISTS) == "yes"

    visible = [q for q in form.questions if q.is_visible(answers)]
    results: list[StandardResult] = []
    due_items: list[DueItem] = []
    for standard in form.standards:
        questions = [q for q in visible if q.standard == standard.id]
        findings, notes = _question_findings(standard.id, questions, answers, mou_signed)
        if standard.id == MOU_STANDARD:
            findings.insert(0, _mou_signed_finding(answers))
        if standard.rule:
            rule_findings = rules[standard.rule](assessment, as_of, answers)
            if standard.rule in _OBSERVED_RULES:
                rule_findings = [replace(f, decides=False) for f in rule_findings]
            findings.extend(rule_findings)
            due_items.extend(
                DueItem(
                    when=finding.due,
                    what=_DUE_WHAT.get(standard.rule, standard.title),
                    who="Agency and district" if standard.rule == "mou_review" else finding.subject,
                    standard_id=standard.id,
                    overdue=finding.status is Status.NOT_MET,
                )
                for finding in rule_findings
                if finding.due is not None and not finding.late
            )
        status = _standard_status(findings)
        deciding = [f.status for f in findings if f.decides]
        answered = sum(1 for q in questions if is_answered(q, assessment))
        results.append(
            StandardResult(
                standard,
                status,
                score_of(deciding) if status is not Status.NOT_APPLICABLE else 0.0,
                tuple(findings),
                tuple(notes),
                answered,
                len(questions),
                summary=_summary(findings),
            )
        )
    return _Judged(results, due_items, visible)


def _verdict_of(results: list[StandardResult]) -> Verdict:
    mandatory = [
        r
        for r in results
        if r.standard.cls is StandardClass.MANDATORY and r.status is not Status.NOT_APPLICABLE
    ]
    return Verdict.READY if all(r.status is Status.MET for r in mandatory) else Verdict.NOT_READY


def open_questions(form: Form, assessment: Assessment) -> list[Question]:
    """Visible questions that can decide a status and are not answered yet."""
    answers = assessment.answers
    return [
        q
        for q in form.questions
        if q.is_visible(answers) and decides(q) and not is_answered(q, assessment)
    ]


def _verdict_if_answered(form: Form, assessment: Assessment, as_of: date, value: str) -> Verdict:
    """The verdict if every open question were answered `value` ("met" or "not_met")."""
    answers = dict(assessment.answers)
    for _ in range(3):  # an answer can reveal later questions; they get the same answer
        added = False
        for question in form.questions:
            if answer_counts(question, answers.get(question.id)):
                continue
            if not question.is_visible(answers) or not decides(question):
                continue
            if question.type is AnswerType.STATUS:
                answers[question.id] = Answer(question.id, value)
                added = True
            elif question.type is AnswerType.YESNO:
                answers[question.id] = Answer(question.id, "yes" if value == "met" else "no")
                added = True
        if not added:
            break
    trial = replace(assessment, answers=answers)
    return _verdict_of(_judge(form, trial, as_of).results)


def evaluate(form: Form, assessment: Assessment, as_of: date | None = None) -> Readiness:
    as_of = as_of or assessment.as_of
    judged = _judge(form, assessment, as_of)
    results, visible = judged.results, judged.visible
    reading = RapidDeploymentReading(assessment.rapid_deployment_reading)

    def counted(cls: StandardClass) -> list[StandardResult]:
        return [
            r for r in results if r.standard.cls is cls and r.status is not Status.NOT_APPLICABLE
        ]

    mandatory = counted(StandardClass.MANDATORY)
    recommended = counted(StandardClass.RECOMMENDED)
    mandatory_met = sum(1 for r in mandatory if r.status is Status.MET)
    recommended_score = (
        (100 * sum(r.score for r in recommended) / len(recommended)) if recommended else None
    )
    verdict = _verdict_of(results)

    still_open = open_questions(form, assessment)
    lists_missing = not assessment.officers or not assessment.schools
    can_change = bool(still_open) and (
        lists_missing
        or _verdict_if_answered(form, assessment, as_of, "met") is not verdict
        or _verdict_if_answered(form, assessment, as_of, "not_met") is not verdict
    )
    answered_total = sum(1 for q in visible if is_answered(q, assessment))
    sentence = _verdict_sentence(
        verdict, assessment, as_of, mandatory, answered_total, len(still_open), can_change
    )
    return Readiness(
        as_of=as_of,
        verdict=verdict,
        verdict_sentence=sentence,
        results=tuple(results),
        mandatory_met=mandatory_met,
        mandatory_total=len(mandatory),
        recommended_score=recommended_score,
        recommended_met=sum(1 for r in recommended if r.status is Status.MET),
        recommended_total=len(recommended),
        sections=tuple(_section_figures(form, assessment, results, visible)),
        gaps=tuple(_gaps(assessment, results)),
        due_next=tuple(
            sorted(judged.due, key=lambda d: (not d.overdue, d.when, d.what, d.who))
        ),
        rules=tuple(describe_rules(reading, form)),
        answered=answered_total,
        total=len(visible),
        open_questions=len(still_open),
        open_can_change_verdict=can_change,
        form_id=form.form_id,
        form_version=form.version,
        rapid_deployment_reading=reading.label,
    )


def open_questions_sentence(count: int, can_change: bool) -> str:
    if count == 0:
        return ""
    if count == 1:
        return (
            "1 question that counts is still open; answering it could change the verdict."
            if can_change
            else "1 question that counts is still open; it cannot change the verdict."
        )
    return (
        f"{count} questions that count are still open; answering them could change the verdict."
        if can_change
        else f"{count} questions that count are still open; none of them can change the verdict."
    )


def _verdict_sentence(
    verdict: Verdict,
    assessment: Assessment,
    as_of: date,
    mandatory: list[StandardResult],
    answered: int,
    still_open: int,
    can_change: bool,
) -> str:
    who = assessment.agency.strip() or "The program"
    when = long_date(as_of)
    if answered == 0:
        return "Not started: no questions have been answered yet."
    unassessed = [r for r in mandatory if r.not_started]
    if unassessed:
        names = "; ".join(f"{r.standard.number} {r.standard.title}" for r in unassessed[:3])
        more = f"; and {len(unassessed) - 3} more" if len(unassessed) > 3 else ""
        return (
            f"Not yet assessed: {len(unassessed)} mandatory standard"
            f"{'s have' if len(unassessed) != 1 else ' has'} no answers yet ({names}{more})."
        )
    if verdict is Verdict.READY:
        sentence = (
            f"Ready: {who} meets all {len(mandatory)} mandatory NASRO standards as of {when}."
        )
    else:
        gaps = [r for r in mandatory if r.status is not Status.MET]
        names = "; ".join(f"{r.standard.number} {r.standard.title}" for r in gaps[:3])
        more = f"; and {len(gaps) - 3} more" if len(gaps) > 3 else ""
        sentence = (
            f"Not ready: {len(gaps)} of {len(mandatory)} mandatory standards "
            f"{'is' if len(gaps) == 1 else 'are'} not yet met as of {when} ({names}{more})."
        )
    suffix = open_questions_sentence(still_open, can_change)
    return f"{sentence} {suffix}" if suffix else sentence


def _section_figures(
    form: Form, assessment: Assessment, results: list[StandardResult], visible: list[Question]
) -> list[SectionFigure]:
    figures = []
    for section in form.sections:
        mine = [
            r
            for r in results
            if r.standard.section == section.id and r.status is not Status.NOT_APPLICABLE
        ]
        mandatory = [r for r in mine if r.standard.cls is StandardClass.MANDATORY]
        recommended = [r for r in mine if r.standard.cls is StandardClass.RECOMMENDED]
        questions = [q for q in visible if q.section == section.id]
        figures.append(
            SectionFigure(
                section=section,
                mandatory_met=sum(1 for r in mandatory if r.status is Status.MET),
                mandatory_total=len(mandatory),
                recommended_score=(100 * sum(r.score for r in recommended) / len(recommended))
                if recommended
                else None,
                answered=sum(1 for q in questions if is_answered(q, assessment)),
                total=len(questions),
            )
        )
    return figures


def next_step_for(result: StandardResult, assessment: Assessment) -> str:
    """What to do, from the parts that failed: never a step that contradicts an answer."""
    failing = [
        f for f in result.findings if f.decides and f.status not in (Status.MET, Status.NOT_APPLICABLE)
    ]
    steps: list[str] = []
    rule = result.standard.rule
    people = [f for f in failing if f.kind in (SubjectKind.OFFICER, SubjectKind.SCHOOL)]
    if rule in _RULE_STEP and people:
        who = ", ".join(f.subject for f in people)
        steps.append(_RULE_STEP[rule].format(who=who) + ".")
    if any(f.kind is SubjectKind.LIST for f in failing):
        steps.append("List the officers and schools on the Profile page.")
    questions = [f for f in failing if f.kind is SubjectKind.QUESTION]
    unanswered = [f for f in questions if f.status is Status.UNKNOWN]
    answered_no = [f for f in questions if f.status is not Status.UNKNOWN]
    mou = result.finding(SubjectKind.MOU, "mou_signed")
    if mou is not None and mou.status is Status.MET and answered_no:
        steps.append(
            "Check that the signed MOU sets goals for the program and that both sides use "
            "them to judge how it is going; amend it where it does not."
        )
    elif answered_no or (mou is not None and mou.status is Status.NOT_MET):
        steps.append(result.standard.next_step)
    if unanswered:
        steps.append(
            f"Answer the {len(unanswered)} open question{'s' if len(unanswered) != 1 else ''} "
            "for this standard."
        )
    return " ".join(steps) or result.standard.next_step


def _gaps(assessment: Assessment, results: list[StandardResult]) -> list[Gap]:
    open_gaps = [r for r in results if r.is_gap]
    open_gaps.sort(key=lambda r: (_CLASS_ORDER[r.standard.cls], _GAP_ORDER.get(r.status, 3)))
    actions = {}
    for item in assessment.action_items:
        actions.setdefault(item.standard_id, item)
    gaps = []
    for rank, result in enumerate(open_gaps, start=1):
        item = actions.get(result.standard.id)
        gaps.append(
            Gap(
                standard=result.standard,
                status=result.status,
                next_step=(
                    item.next_step.strip()
                    if item and item.next_step.strip()
                    else next_step_for(result, assessment)
                ),
                owner=item.owner if item else result.standard.owner,
                target_date=item.target_date if item else None,
                action_status=item.status if item else ActionStatus.OPEN,
                rank=rank,
            )
        )
    return gaps


def officer_status(readiness: Readiness, officer: Officer, index: int) -> str:
    """One line for an officer's training, naming which training is due or overdue."""
    key = officer_key(officer, index)
    found: list[tuple[str, Finding]] = []
    for result in readiness.results:
        rule = result.standard.rule
        if rule in OFFICER_TRAINING_RULES:
            finding = result.finding(SubjectKind.OFFICER, key)
            if finding is not None:
                found.append((_DUE_WHAT[rule], finding))
    if not found:
        return "? No training dates to judge yet"
    overdue = sorted(
        ((what, f) for what, f in found if f.status is Status.NOT_MET and f.due is not None),
        key=lambda pair: pair[1].due or readiness.as_of,
    )
    if overdue:
        what, finding = overdue[0]
        more = f" (+{len(overdue) - 1} more)" if len(overdue) > 1 else ""
        return f"✘ {what} overdue since {long_date(finding.due)}{more}"  # type: ignore[arg-type]
    unknown = [what for what, f in found if f.status is Status.UNKNOWN]
    if unknown:
        return "? " + _lower_first(", ".join(unknown)) + ": dates missing"
    parts = ["✔ Met"]
    late = [what for what, f in found if f.late]
    if late:
        parts.append(_lower_first(", ".join(late)) + " completed late")
    upcoming = sorted(
        ((what, f.due) for what, f in found
         if f.due is not None and f.due > readiness.as_of and not f.late),
        key=lambda pair: pair[1],
    )
    if upcoming:
        what, due = upcoming[0]
        parts.append(f"{_lower_first(what)} next due {long_date(due)}")
    return "; ".join(parts)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def unlinked_schools(assessment: Assessment) -> list[tuple[int, str]]:
    """(officer index, school name as typed) for each officer school that is not on the list."""
    return list(links(assessment).unlinked)

