"""The readiness engine: every scoring rule lives here, and can state itself in words.

`evaluate(form, assessment, as_of)` judges each standard from its answers and, where the
standard has a `rule`, from the officer and school tables and the MOU dates, as of one explicit
date. `describe_rules(reading)` returns the same rules as sentences for the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from nasro_desktop.domain.dates import add_months, add_years, long_date, parse_date
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
    Verdict,
)

# The numbers behind the date rules; describe_rules() prints them, so words and code agree.
EXPERIENCE_YEARS = 3  # 02.01.02
BASIC_COURSE_YEARS = 1  # 03.02.01: before assignment, or within a year of it
ADVANCED_COURSE_YEARS = 1  # 03.03.01: about a year after the basic course...
ADVANCED_COURSE_GRACE_DAYS = 90  # ...so three months' leeway before it counts as overdue
ANNUAL_TRAINING_YEARS = 1  # 03.01.01
MOU_REVIEW_YEARS = 1  # 04.01.02
MOU_TOPIC_PREFIX = "01.01.04-"

MOU_EXISTS = "mou.exists"
MOU_SIGNED = "mou.signed_date"
MOU_REVIEWED = "mou.last_review_date"

_SCORE = {Status.MET: 1.0, Status.PARTLY: 0.5}
_CHOICE_STATUS = {
    Choice.MET.value: Status.MET,
    Choice.PARTLY.value: Status.PARTLY,
    Choice.NOT_MET.value: Status.NOT_MET,
    Choice.NOT_SURE.value: Status.UNKNOWN,
}
_CLASS_ORDER = {
    StandardClass.MANDATORY: 0,
    StandardClass.RECOMMENDED: 1,
    StandardClass.UNCLASSIFIED: 2,
}
_GAP_ORDER = {Status.NOT_MET: 0, Status.UNKNOWN: 1, Status.PARTLY: 2}


def describe_rules(
    reading: RapidDeploymentReading | str = RapidDeploymentReading.TWICE_A_YEAR,
) -> list[str]:
    reading = RapidDeploymentReading(reading)
    return [
        "Each standard is judged from the answers given for it and, for the dated standards, "
        'from the officer and school tables, as of the assessment\'s "as of" date.',
        "Answers count as follows: Met counts fully, Partly met counts half, Not met counts "
        'nothing. Unanswered questions and "Not sure" never count as met.',
        "Not applicable counts only where the question allows it and a reason is given; such "
        "questions are left out of the count.",
        "A standard is met when every part of it is met. When some parts are met and others "
        "are not, it is partly met. Where a rule applies to each officer or each school, the "
        "standard is met only if it is met for every one of them.",
        "The program is Ready when every mandatory standard is met; otherwise it is Not ready "
        "and each mandatory standard not met is listed.",
        "The recommended score is the average of the recommended standards' scores, as a "
        "percentage. Standards for which the document prints no class are shown and judged, "
        "but do not change the verdict or the score.",
        "Memorandum of understanding topics: while no MOU is signed, a topic that the draft "
        "covers counts as partly met at most.",
        f"02.01.02 Experience: an officer needs at least {EXPERIENCE_YEARS} years of "
        "law-enforcement service when assigned as an SRO.",
        "02.01.03 Number of SROs: every school needs at least one SRO assigned.",
        f"03.01.01 Annual training: each officer's last school-safety training must be less than "
        f"{ANNUAL_TRAINING_YEARS} year old. An officer assigned less than a year ago who has not "
        "had it yet is on schedule.",
        f"03.02.01 Basic SRO course: completed before the assignment, or within "
        f"{BASIC_COURSE_YEARS} year of its start. An officer still inside that year is on "
        "schedule; after it, the course is overdue.",
        f"03.03.01 Advanced SRO course: due about {ADVANCED_COURSE_YEARS} year after the basic "
        f"course; counted as overdue {ADVANCED_COURSE_GRACE_DAYS} days after that.",
        f'03.04.01 Rapid-deployment training: NASRO says "bi-annual", which can mean twice a '
        f"year or every two years. This assessment reads it as {reading.label}.",
        f"04.01.02 MOU review: the MOU must have been reviewed (or signed) in the last "
        f"{MOU_REVIEW_YEARS} year.",
        "04.01.05 Probation review: for each officer, the school must have taken part in the "
        "probation review; an officer still on probation is on schedule until it ends.",
        'A year after 29 February is 28 February. "Within a year" includes the anniversary '
        "day itself.",
    ]


# --- answers ------------------------------------------------------------------------------


def answer_status(question: Question, answer: Answer | None) -> Status:
    """The status one status-question answer contributes."""
    if answer is None or not answer.is_answered:
        return Status.UNKNOWN
    if answer.value == Choice.NA.value:
        if question.na_allowed and answer.na_reason.strip():
            return Status.NOT_APPLICABLE
        return Status.UNKNOWN
    return _CHOICE_STATUS.get(str(answer.value), Status.UNKNOWN)


def is_answered(question: Question, assessment: Assessment) -> bool:
    if question.type is AnswerType.OFFICERS:
        return bool(assessment.officers)
    if question.type is AnswerType.SCHOOLS:
        return bool(assessment.schools)
    answer = assessment.answers.get(question.id)
    if answer is None or not answer.is_answered:
        return False
    if question.type is AnswerType.STATUS and answer.value == Choice.NA.value:
        return question.na_allowed and bool(answer.na_reason.strip())
    return True


def combine(statuses: Iterable[Status]) -> Status:
    statuses = list(statuses)
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not statuses:
        return Status.UNKNOWN
    if not applicable:
        return Status.NOT_APPLICABLE
    if all(s is Status.MET for s in applicable):
        return Status.MET
    if any(s in (Status.MET, Status.PARTLY) for s in applicable):
        return Status.PARTLY
    if any(s is Status.NOT_MET for s in applicable):
        return Status.NOT_MET
    return Status.UNKNOWN


def score_of(statuses: Iterable[Status]) -> float:
    applicable = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not applicable:
        return 0.0
    return sum(_SCORE.get(s, 0.0) for s in applicable) / len(applicable)


# --- rules --------------------------------------------------------------------------------

def _officer_name(officer: Officer) -> str:
    return officer.name.strip() or "Unnamed officer"


def _past(day: date | None, as_of: date) -> date | None:
    """A recorded date counts only if it is not after the as-of date."""
    return day if day is not None and day <= as_of else None


def _per_officer(assessment: Assessment, judge: Callable[[Officer], Finding]) -> list[Finding]:
    if not assessment.officers:
        return [
            Finding("Officers", Status.UNKNOWN, "No officers are listed on the Profile page yet.")
        ]
    return [judge(officer) for officer in assessment.officers]


def _rule_experience(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    def judge(officer: Officer) -> Finding:
        name = _officer_name(officer)
        sworn = _past(officer.sworn_date, as_of)
        if sworn is not None:
            at = _past(officer.assignment_date, as_of) or as_of
            enough = add_years(sworn, EXPERIENCE_YEARS) <= at
            years = (at - sworn).days // 365
            when = "when assigned" if officer.assignment_date else "so far"
            return Finding(
                name,
                Status.MET if enough else Status.NOT_MET,
                f"{name} had about {years} year{'s' if years != 1 else ''} of service {when}.",
            )
        if officer.years_experience is not None:
            enough = officer.years_experience >= EXPERIENCE_YEARS
            return Finding(
                name,
                Status.MET if enough else Status.NOT_MET,
                f"{name} had {officer.years_experience} years of service when assigned.",
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
            Finding("Schools", Status.UNKNOWN, "No schools are listed on the Profile page yet.")
        ]
    findings = []
    for school in assessment.schools:
        name = school.name.strip() or "Unnamed school"
        if school.sros_assigned is None:
            findings.append(
                Finding(name, Status.UNKNOWN, f"The number of SROs at {name} is not recorded.")
            )
        elif school.sros_assigned >= 1:
            findings.append(
                Finding(
                    name,
                    Status.MET,
                    f"{name} has {school.sros_assigned} SRO{'s' if school.sros_assigned != 1 else ''} assigned.",
                )
            )
        else:
            findings.append(Finding(name, Status.NOT_MET, f"{name} has no SRO assigned."))
    return findings


def _renewal(
    name: str, what: str, last: date | None, assigned: date | None, as_of: date, months: int
) -> Finding:
    """A training that must be renewed every `months`; a new officer gets one interval to start."""
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
        lambda o: _renewal(
            _officer_name(o),
            "annual school-safety training",
            _past(o.last_annual_training, as_of),
            _past(o.assignment_date, as_of),
            as_of,
            12 * ANNUAL_TRAINING_YEARS,
        ),
    )


def _make_rapid_rule(reading: RapidDeploymentReading):
    def rule(assessment: Assessment, as_of: date, answers: Mapping[str, Answer]) -> list[Finding]:
        return _per_officer(
            assessment,
            lambda o: _renewal(
                _officer_name(o),
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
    def judge(officer: Officer) -> Finding:
        name = _officer_name(officer)
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
                    f"{name} completed the basic course on {long_date(done)}, before the assignment.",
                )
            if done <= deadline:
                return Finding(
                    name,
                    Status.MET,
                    f"{name} completed the basic course on {long_date(done)}, within a year of assignment.",
                )
            return Finding(
                name,
                Status.MET,
                f"{name} completed the basic course on {long_date(done)}, later than the deadline of {long_date(deadline)}.",
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
    def judge(officer: Officer) -> Finding:
        name = _officer_name(officer)
        done = _past(officer.advanced_course_date, as_of)
        if done is not None:
            return Finding(
                name, Status.MET, f"{name} completed the advanced course on {long_date(done)}."
            )
        basic = _past(officer.basic_course_date, as_of)
        if basic is None:
            return Finding(
                name,
                Status.UNKNOWN,
                f"{name}: the advanced course falls due about a year after the basic course, which is not recorded yet.",
            )
        due = add_years(basic, ADVANCED_COURSE_YEARS)
        latest = due + timedelta(days=ADVANCED_COURSE_GRACE_DAYS)  # "about" a year: the leeway
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


def _rule_mou_review(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    exists = _value(answers, MOU_EXISTS)
    if exists is None:
        return [
            Finding(
                "MOU review", Status.UNKNOWN, "It is not yet recorded whether a signed MOU exists."
            )
        ]
    if exists != "yes":
        return [
            Finding(
                "MOU review",
                Status.NOT_MET,
                "There is no signed MOU yet, so it cannot have been reviewed.",
            )
        ]
    reviewed = _past(parse_date(_value(answers, MOU_REVIEWED)), as_of)
    signed = _past(parse_date(_value(answers, MOU_SIGNED)), as_of)
    last = max((d for d in (reviewed, signed) if d is not None), default=None)
    if last is None:
        return [
            Finding(
                "MOU review", Status.UNKNOWN, "The MOU's signing and review dates are not recorded."
            )
        ]
    due = add_years(last, MOU_REVIEW_YEARS)
    what = "reviewed" if last == reviewed else "signed"
    if as_of <= due:
        return [
            Finding(
                "MOU review",
                Status.MET,
                f"The MOU was last {what} on {long_date(last)}; next review due by {long_date(due)}.",
                due,
            )
        ]
    return [
        Finding(
            "MOU review",
            Status.NOT_MET,
            f"The MOU review is overdue since {long_date(due)} (last {what} {long_date(last)}).",
            due,
        )
    ]


def _rule_probation_review(
    assessment: Assessment, as_of: date, answers: Mapping[str, Answer]
) -> list[Finding]:
    def judge(officer: Officer) -> Finding:
        name = _officer_name(officer)
        if officer.probation_review_with_school is True:
            return Finding(name, Status.MET, f"The school took part in {name}'s probation review.")
        if officer.probation_review_with_school is False:
            return Finding(
                name, Status.NOT_MET, f"The school did not take part in {name}'s probation review."
            )
        end = officer.probation_end
        if end is not None and as_of <= end:
            return Finding(
                name,
                Status.MET,
                f"{name} is on probation until {long_date(end)}; the school should take part in the review.",
                end,
            )
        return Finding(
            name,
            Status.UNKNOWN,
            f"Not recorded whether the school took part in {name}'s probation review.",
        )

    return _per_officer(assessment, judge)


_RULES: dict[str, Callable[[Assessment, date, Mapping[str, Answer]], list[Finding]]] = {
    "experience": _rule_experience,
    "sro_per_school": _rule_sro_per_school,
    "annual_training": _rule_annual_training,
    "basic_course": _rule_basic_course,
    "advanced_course": _rule_advanced_course,
    "mou_review": _rule_mou_review,
    "probation_review": _rule_probation_review,
}
_DUE_WHAT = {
    "annual_training": "Annual school-safety training",
    "basic_course": "Basic SRO course",
    "advanced_course": "Advanced SRO course",
    "rapid_deployment": "Rapid-deployment training",
    "mou_review": "Annual MOU review",
    "probation_review": "Probation review with the school",
}


def _value(answers: Mapping[str, Answer], question_id: str):
    answer = answers.get(question_id)
    if answer is None or not answer.is_answered:
        return None
    return answer.value


# --- the engine ---------------------------------------------------------------------------


def evaluate(form: Form, assessment: Assessment, as_of: date | None = None) -> Readiness:
    as_of = as_of or assessment.as_of
    answers = assessment.answers
    reading = RapidDeploymentReading(assessment.rapid_deployment_reading)
    rules = dict(_RULES, rapid_deployment=_make_rapid_rule(reading))
    mou_signed = _value(answers, MOU_EXISTS) == "yes"

    visible = [q for q in form.questions if q.is_visible(answers)]
    results: list[StandardResult] = []
    due_items: list[DueItem] = []
    for standard in form.standards:
        findings: list[Finding] = []
        notes: list[str] = []
        questions = [q for q in visible if q.standard == standard.id]
        for question in questions:
            answer = answers.get(question.id)
            if answer is not None and answer.note.strip():
                notes.append(answer.note.strip())
            if question.type is not AnswerType.STATUS:
                continue
            status = answer_status(question, answer)
            detail = question.text_for(answers)
            if status is Status.MET and standard.id.startswith(MOU_TOPIC_PREFIX) and not mou_signed:
                status = Status.PARTLY
                detail += (
                    " (planned in the draft MOU: counts as partly met until the MOU is signed)"
                )
            subject = f"Element {question.element}" if question.element else "Question"
            findings.append(Finding(subject, status, detail))
        if standard.rule:
            rule_findings = rules[standard.rule](assessment, as_of, answers)
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
                if finding.due is not None
            )
        statuses = [f.status for f in findings]
        answered = sum(1 for q in questions if is_answered(q, assessment))
        results.append(
            StandardResult(
                standard,
                combine(statuses),
                score_of(statuses),
                tuple(findings),
                tuple(notes),
                answered,
                len(questions),
            )
        )

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
    verdict = Verdict.READY if mandatory_met == len(mandatory) else Verdict.NOT_READY

    answered_total = sum(1 for q in visible if is_answered(q, assessment))
    sentence = _verdict_sentence(
        verdict, assessment, as_of, mandatory, answered_total < len(visible)
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
        due_next=tuple(sorted(due_items, key=lambda d: (not d.overdue, d.when, d.what, d.who))),
        rules=tuple(describe_rules(reading)),
        answered=answered_total,
        total=len(visible),
        open_questions=len(visible) - answered_total,
        open_can_change_verdict=answered_total < len(visible),
        form_id=form.form_id,
        form_version=form.version,
        rapid_deployment_reading=reading.label,
    )


def _verdict_sentence(
    verdict: Verdict,
    assessment: Assessment,
    as_of: date,
    mandatory: list[StandardResult],
    incomplete: bool,
) -> str:
    who = assessment.agency.strip() or "The program"
    when = long_date(as_of)
    if verdict is Verdict.READY:
        return f"Ready: {who} meets all {len(mandatory)} mandatory NASRO standards as of {when}."
    gaps = [r for r in mandatory if r.status is not Status.MET]
    names = "; ".join(f"{r.standard.number} {r.standard.title}" for r in gaps[:3])
    more = f"; and {len(gaps) - 3} more" if len(gaps) > 3 else ""
    sentence = (
        f"Not ready: {len(gaps)} of {len(mandatory)} mandatory standards "
        f"{'is' if len(gaps) == 1 else 'are'} not yet met as of {when} ({names}{more})."
    )
    if incomplete:
        sentence += " Some questions are still unanswered, and they count as not met."
    return sentence


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
                    else result.standard.next_step
                ),
                owner=item.owner if item else result.standard.owner,
                target_date=item.target_date if item else None,
                action_status=item.status if item else ActionStatus.OPEN,
                rank=rank,
            )
        )
    return gaps
