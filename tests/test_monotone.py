"""Issue 19 §1: a worse answer never gives a better verdict (domain/monotone.py), over random
assessments on the real question set: answers (imported raw values included), officers,
schools and dates on both sides of the as-of date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from nasro_desktop.domain.answers import decides
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.model import Answer, AnswerType, Assessment, Choice, Officer, School
from nasro_desktop.domain.monotone import no_better, worse_answers
from nasro_desktop.domain.results import Status, Verdict
from nasro_desktop.domain.scoring import evaluate
from tests.test_verdict_trust import all_met

FORM = current_form()
AS_OF = date(2026, 9, 15)
EXPLANATIONS = ["", ".", "x", "Our county policy covers this point in full."]
REASONS = ["", "No such schools in the district."]
# No shrinking: an assessment is large, and the failing move is printed as it is found.
SETTINGS = settings(max_examples=150, deadline=None,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def day(draw) -> date | None:
    """A date: none, well before the as-of date, just before or on it, or after it."""
    offset = draw(st.sampled_from([None, -4000, -900, -400, -200, -30, 0, 10, 60]))
    return None if offset is None else AS_OF + timedelta(days=offset)


@st.composite
def officer(draw, schools: list[str]) -> Officer:
    return Officer(
        name=draw(st.sampled_from(["Dana Ruiz", "Sam Lee", "Ann Cole"])),
        school=draw(st.sampled_from(schools or [""])),
        sworn_date=AS_OF - timedelta(days=draw(st.sampled_from([400, 3000, 6000]))),
        assignment_date=day(draw),
        basic_course_date=day(draw),
        advanced_course_date=day(draw),
        last_annual_training=day(draw),
        last_rapid_deployment=day(draw),
        probation_end=day(draw),
        probation_review_with_school=draw(st.sampled_from([None, True, False])),
    )


def status_value(draw, question) -> Answer | None:
    value = draw(st.sampled_from([c.value for c in Choice] + [None, "maybe"]))
    if value is None:
        return None
    reason = draw(st.sampled_from(EXPLANATIONS if value == "alternate" else REASONS))
    return Answer(question.id, value, na_reason=reason)


@st.composite
def assessment(draw) -> Assessment:
    answers: dict[str, Answer] = {}
    for q in FORM.questions:
        given: Answer | None = None
        if q.type is AnswerType.STATUS:
            given = status_value(draw, q)
        elif q.type is AnswerType.YESNO:
            value = draw(st.sampled_from(["yes", "yes", "no", None]))
            given = Answer(q.id, value) if value else None
        elif q.type is AnswerType.DATE:
            when = day(draw)
            given = Answer(q.id, when.isoformat()) if when else None
        elif q.type is AnswerType.INTEGER:
            number = draw(st.sampled_from([None, 1, 6, 12]))
            given = Answer(q.id, number) if number is not None else None
        if given is not None:
            answers[q.id] = given
    school_names = draw(st.lists(st.sampled_from(["Millbrook High", "Oak Middle"]),
                                 max_size=2, unique=True))
    officers = draw(st.lists(officer(school_names), max_size=3))
    return Assessment(
        form_id=FORM.form_id, form_version=FORM.version, as_of=AS_OF, answers=answers,
        officers=[replace(o, id=n + 1) for n, o in enumerate(officers)],
        schools=[School(id=n + 1, name=name) for n, name in enumerate(school_names)],
    )


def with_answer(a: Assessment, question_id: str, value: object, reason: str) -> Assessment:
    answers = dict(a.answers)
    if value is None:
        answers.pop(question_id, None)
    else:
        answers[question_id] = Answer(question_id, value, na_reason=reason)
    return replace(a, answers=answers)


@SETTINGS
@given(data=st.data())
def test_a_worse_answer_never_gives_a_better_status_or_verdict(data):
    a = data.draw(assessment())
    moves = [(q, worse) for q in FORM.questions if q.id in a.answers
             for worse in worse_answers(q, a.answers[q.id])]
    if not moves:
        return
    question, worse = data.draw(st.sampled_from(moves))
    reason = a.answers[question.id].na_reason
    after = with_answer(a, question.id, worse, reason)
    assert no_better(evaluate(FORM, a), evaluate(FORM, after)) == [], (question.id, worse)


@SETTINGS
@given(data=st.data())
def test_an_unreadable_explanation_never_helps(data):
    a = data.draw(assessment())
    alternates = [qid for qid, ans in a.answers.items() if ans.value == "alternate"]
    if not alternates:
        return
    qid = data.draw(st.sampled_from(alternates))
    worse = data.draw(st.sampled_from(["", ".", "x", "ok", "-- ?? --"]))
    after = with_answer(a, qid, "alternate", worse)
    assert no_better(evaluate(FORM, a), evaluate(FORM, after)) == []


@SETTINGS
@given(data=st.data())
def test_an_unanswered_applicability_fact_never_switches_a_standard_off(data):
    a = data.draw(assessment())
    for fact in (q for q in FORM.questions if q.applicability):
        known = evaluate(FORM, with_answer(a, fact.id, "yes", ""))
        unknown = evaluate(FORM, with_answer(a, fact.id, None, ""))
        for yes, open_ in zip(known.results, unknown.results, strict=True):
            if open_.status is Status.NOT_APPLICABLE:
                assert yes.status is Status.NOT_APPLICABLE, (fact.id, yes.standard.id)


def answer_the_open_questions(a: Assessment, data, day: date) -> dict[str, Answer]:
    """`a`'s answers with every open question that counts answered (drawn; dates as `day`),
    and the questions those answers show answered too."""
    answers = dict(a.answers)
    for _ in range(4):
        for q in FORM.questions:
            if q.id in answers or not q.is_visible(answers) or not decides(q):
                continue
            if q.type is AnswerType.STATUS:
                answers[q.id] = Answer(q.id, data.draw(st.sampled_from(["met", "not_met"])))
            elif q.type is AnswerType.YESNO:
                answers[q.id] = Answer(q.id, data.draw(st.sampled_from(["yes", "no"])))
            elif q.type is AnswerType.DATE:
                answers[q.id] = Answer(q.id, day.isoformat())
            elif q.type is AnswerType.INTEGER:
                answers[q.id] = Answer(q.id, data.draw(st.sampled_from([1, 12, 60])))
    return answers


@SETTINGS
@given(data=st.data())
def test_open_questions_said_not_to_change_the_verdict_really_cannot(data):
    a = data.draw(assessment())
    readiness = evaluate(FORM, a)
    if not readiness.open_questions or readiness.open_can_change_verdict:
        return
    answers = answer_the_open_questions(a, data, AS_OF)
    assert evaluate(FORM, replace(a, answers=answers)).verdict is readiness.verdict


@pytest.mark.parametrize("fact", [q.id for q in FORM.questions if q.applicability])
def test_every_applicability_fact_is_a_printed_reading(fact):
    from nasro_desktop.domain.readings import READINGS, describe_rules

    reading = next(r for r in READINGS if r.id == FORM.question(fact).applicability)
    assert reading.text in describe_rules(form=FORM)


OFFICER_DATES = ("basic_course_date", "advanced_course_date", "last_annual_training",
                 "last_rapid_deployment")


@SETTINGS
@given(data=st.data())
def test_a_forgotten_training_date_or_a_worse_review_never_helps(data):
    """The officer rows too: a training date left out, or the school's part in a probation
    review changed from taken to not taken (or to not recorded), never gives a better status."""
    a = data.draw(assessment())
    if not a.officers:
        return
    n = data.draw(st.integers(0, len(a.officers) - 1))
    officer = a.officers[n]
    moves = [{field: None} for field in OFFICER_DATES if getattr(officer, field) is not None]
    if officer.probation_review_with_school is True:
        moves += [{"probation_review_with_school": False},
                  {"probation_review_with_school": None}]
    if not moves:
        return
    worse = replace(officer, **data.draw(st.sampled_from(moves)))
    after = replace(a, officers=[*a.officers[:n], worse, *a.officers[n + 1:]])
    assert no_better(evaluate(FORM, a), evaluate(FORM, after)) == []


def test_an_advanced_course_date_after_the_assessment_date_never_hurts():
    """Found by the property test in CI: an officer on schedule for the advanced course (basic
    course a month ago) with the advanced course recorded ten days after the assessment date
    (a typo to check) was Not sure, and forgetting that date made the officer Met."""
    officer = Officer(name="Dana Ruiz", sworn_date=date(2010, 4, 12),
                      assignment_date=date(2015, 10, 3), basic_course_date=AS_OF - timedelta(30),
                      advanced_course_date=AS_OF + timedelta(10))
    a = Assessment(as_of=AS_OF, form_id=FORM.form_id, form_version=FORM.version,
                   officers=[officer])
    with_date, without = (evaluate(FORM, x).result("03.03.01") for x in (
        a, replace(a, officers=[replace(officer, advanced_course_date=None)])))
    assert with_date.status is without.status is Status.MET
    # and a basic course recorded after it, with the advanced course done: never worse than
    # no basic course date at all (found next by the same property)
    done = replace(officer, basic_course_date=AS_OF + timedelta(10), advanced_course_date=AS_OF)
    with_date, without = (evaluate(FORM, replace(a, officers=[o])).result("03.03.01")
                          for o in (done, replace(done, basic_course_date=None)))
    assert with_date.status is without.status is Status.MET


@SETTINGS
@given(data=st.data())
def test_a_ready_verdict_with_open_questions_never_falls_when_they_are_answered(data):
    """From a Ready assessment, leave any questions open: if it is still Ready, no answers to
    them, however bad, make it Not ready, and the verdict never says they could (the branch of
    scoring._open_can_change that checks a Ready verdict is a guard this test keeps honest)."""
    ready = all_met()
    dropped = data.draw(st.sets(st.sampled_from(sorted(ready.answers)), max_size=12))
    a = replace(ready, answers={k: v for k, v in ready.answers.items() if k not in dropped})
    readiness = evaluate(FORM, a)
    if readiness.verdict is not Verdict.READY or not readiness.open_questions:
        return
    assert not readiness.open_can_change_verdict
    answers = answer_the_open_questions(a, data, AS_OF - timedelta(days=4000))
    assert evaluate(FORM, replace(a, answers=answers)).verdict is Verdict.READY
