"""Every reading the app makes of an ambiguous phrase (domain.scoring.READINGS) is printed on
"How this was scored" and has a test of its own here, named test_reading_<id>."""

from dataclasses import replace
from datetime import date

import pytest

from nasro_desktop.domain.model import Answer, Choice, RapidDeploymentReading
from nasro_desktop.domain.readings import READINGS, describe_rules
from nasro_desktop.domain.results import Status, SubjectKind
from nasro_desktop.domain.scoring import evaluate
from tests.test_verdict_trust import FORM, all_met

D = date.fromisoformat


def status(a, standard_id, as_of=None):
    return evaluate(FORM, a, D(as_of) if as_of else None).result(standard_id).status


def test_every_reading_is_printed_and_has_its_own_test():
    rules = describe_rules(RapidDeploymentReading.TWICE_A_YEAR, FORM)
    names = set(globals())
    for reading in READINGS:
        assert reading.text in rules
        assert f"test_reading_{reading.id}" in names, f"no test for the reading {reading.id!r}"
    assert len({r.id for r in READINGS}) == len(READINGS)
    for reading in READINGS:  # the board edition prints these: one line each
        assert reading.short and len(reading.short) <= 120 and "\n" not in reading.short, reading.id


def test_reading_examples_are_observations():
    a = all_met()
    a.answers["train.annual.topics"] = Answer("train.annual.topics", Choice.NOT_MET.value)
    a.answers["triad.teacher.traffic_stops"] = Answer("triad.teacher.traffic_stops", "not_met")
    assert status(a, "03.01.01") is Status.MET and status(a, "03.02.02") is Status.MET
    observed = describe_rules(form=FORM)[-1]
    assert observed.startswith("Asked as observations only") and "03.02.02" in observed


def test_reading_each_officer_each_school():
    a = all_met()
    a.officers[0] = replace(a.officers[0], basic_course_date=None, assignment_date=D("2024-01-01"))
    assert status(a, "03.02.01") is Status.NOT_MET  # never "partly" for one officer in four


def test_reading_met_another_way():
    a = all_met()
    a.answers["sel.youth.sros_willing"] = Answer("sel.youth.sros_willing", "alternate")
    assert status(a, "02.01.05") is Status.UNKNOWN
    a.answers["sel.youth.sros_willing"].na_reason = "."  # not an explanation a board can read
    assert status(a, "02.01.05") is Status.UNKNOWN
    a.answers["sel.youth.sros_willing"].na_reason = "Candidates spend a week shadowing an SRO."
    assert status(a, "02.01.05") is Status.MET
    readiness = evaluate(FORM, a)
    [result] = readiness.met_another_way
    assert result.alternates[0].explanation.startswith("Candidates spend")
    assert any("not something NASRO allows for" in rule for rule in readiness.rules)


@pytest.mark.parametrize(("as_of", "expected"), [("2026-03-01", Status.MET), ("2026-03-02", Status.NOT_MET)])
def test_reading_anniversary_day(as_of, expected):
    a = all_met()
    a.officers = [replace(o, last_annual_training=D("2025-03-01")) for o in a.officers]
    assert status(a, "03.01.01", as_of) is expected
    assert not any("year old" in rule for rule in describe_rules(form=FORM))


def test_reading_late_course_counts():
    a = all_met()
    a.officers[0] = replace(a.officers[0], assignment_date=D("2023-01-01"), basic_course_date=D("2024-05-01"))
    assert status(a, "03.02.01", "2024-04-30") is Status.NOT_MET
    assert status(a, "03.02.01", "2024-05-01") is Status.MET


@pytest.mark.parametrize(("as_of", "expected"), [("2022-08-30", Status.MET), ("2022-08-31", Status.NOT_MET)])
def test_reading_advanced_course_about_a_year(as_of, expected):
    a = all_met()
    a.officers = [replace(o, basic_course_date=D("2021-06-01"), advanced_course_date=None) for o in a.officers]
    assert status(a, "03.03.01", as_of) is expected  # due 2022-06-01, + 90 days: met through 2022-08-30


def test_reading_annual_training_required():
    a = all_met()
    a.officers = [replace(o, last_annual_training=None, assignment_date=D("2026-01-10")) for o in a.officers]
    assert status(a, "03.01.01") is Status.MET  # new officers: on schedule for a year
    a.officers = [replace(o, last_annual_training=None, assignment_date=D("2020-01-10")) for o in a.officers]
    assert status(a, "03.01.01") is Status.NOT_MET


def test_reading_no_mou_no_topic():
    a = all_met()
    a.answers["mou.exists"] = Answer("mou.exists", "no")
    assert status(a, "01.01.04-arrest") is Status.PARTLY
    assert status(a, "01.01.04") is Status.NOT_MET


def test_reading_mou_review_is_example():
    a = all_met()
    a.answers["mou.last_review_date"] = Answer("mou.last_review_date", "2020-01-01")
    result = evaluate(FORM, a).result("04.01.02")
    assert result.status is Status.MET
    review = result.finding(SubjectKind.MOU, "mou_review")
    assert review.status is Status.NOT_MET and not review.decides
    assert any(d.what == "Yearly MOU review" and d.overdue for d in evaluate(FORM, a).due_next)


def test_reading_probation_only_if_any():
    a = all_met()
    a.answers["sel.probation.exists"] = Answer("sel.probation.exists", "no")
    a.officers = [replace(o, probation_review_with_school=None) for o in a.officers]
    assert status(a, "04.01.05") is Status.NOT_APPLICABLE
    # unknown: 04.01.05 applies, and the officer rows decide
    del a.answers["sel.probation.exists"]
    assert status(a, "04.01.05") is Status.UNKNOWN
    # whether or not the probation is agreed with the district (02.01.07)
    a.answers["sel.probation.exists"] = Answer("sel.probation.exists", "yes")
    a.answers["sel.probation.agreed"] = Answer("sel.probation.agreed", Choice.NOT_MET.value)
    a.answers["sel.probation.months"] = Answer("sel.probation.months", 12)
    a.officers = [replace(o, probation_end=None) for o in a.officers]
    result = evaluate(FORM, a).result("04.01.05")
    # long-serving officers with nothing recorded: to record, never left out
    assert result.status is Status.UNKNOWN
    assert all("record whether the school took part" in f.detail
               for f in result.findings if f.kind is SubjectKind.OFFICER)
    a.officers[0] = replace(a.officers[0], assignment_date=D("2026-03-01"))
    new = evaluate(FORM, a).result("04.01.05").finding(SubjectKind.OFFICER, "1")
    assert new.status is Status.MET and new.due == D("2027-03-01")
    a.officers = [replace(o, probation_review_with_school=False) for o in a.officers]
    assert status(a, "04.01.05") is Status.NOT_MET


def test_reading_mou_signed_in_force():
    a = all_met()
    assert status(a, "01.01.04-arrest") is Status.MET
    for qid, value in (("mou.signed_date", "2026-10-01"), ("mou.in_force", "no"),
                       ("mou.agreement.signed_by_both", Choice.NOT_MET.value)):
        b = replace(a, answers=dict(a.answers))
        b.answers[qid] = Answer(qid, value)
        assert status(b, "01.01.04-arrest") is Status.PARTLY, qid
        assert evaluate(FORM, b).result("01.01.04").finding(
            SubjectKind.MOU, "mou_signed").status is Status.NOT_MET, qid
    b = replace(a, answers=dict(a.answers))
    del b.answers["mou.in_force"]
    assert status(b, "01.01.04-arrest") is Status.PARTLY  # not yet known: does not count
    # "No" hides the dates; unanswered, they are asked
    b.answers["mou.exists"] = Answer("mou.exists", "no")
    assert not FORM.question("mou.signed_date").is_visible(b.answers)
    del b.answers["mou.exists"]
    assert FORM.question("mou.signed_date").is_visible(b.answers)


def test_reading_school_sro_from_officers():
    a = all_met()
    a.schools[0] = replace(a.schools[0], sros_assigned=0)  # the old typed count is not used
    assert status(a, "02.01.03") is Status.MET
    a.officers = [o for o in a.officers if o.school != "Cedar Hollow Elementary School"]
    assert status(a, "02.01.03") is Status.NOT_MET


def test_reading_conflicting_dates():
    a = all_met()
    a.officers[0] = replace(a.officers[0], sworn_date=D("2021-01-01"), assignment_date=D("2020-01-01"))
    assert status(a, "02.01.02") is Status.UNKNOWN


def test_reading_should_under_mandatory():
    a = all_met()
    a.answers["mou.weapons.duty_gear"] = Answer("mou.weapons.duty_gear", Choice.NOT_MET.value)
    assert status(a, "01.01.04-weapons-storage") is not Status.MET
    ids = {r.id for r in evaluate(FORM, all_met()).deciding_readings}
    assert "should_under_mandatory" in ids


def test_reading_full_time_is_employment():
    question = FORM.question("admin.sro.full_time_officer")
    assert "full-time officer" in question.text and not question.offers_alternate
    a = all_met()
    a.answers[question.id] = Answer(question.id, Choice.ALTERNATE.value,
                                    na_reason="Our officers work half days at the school.")
    assert status(a, "01.01.01") is not Status.MET


def test_reading_arrest_decision_alone():
    a = all_met()
    a.answers["mou.arrest.school_input"] = Answer("mou.arrest.school_input", Choice.NOT_MET.value)
    assert status(a, "01.01.04-arrest") is Status.MET
    a.answers["mou.arrest.sro_decides"] = Answer("mou.arrest.sro_decides", Choice.NOT_MET.value)
    assert status(a, "01.01.04-arrest") is Status.NOT_MET


def test_reading_willingness_of_the_officers():
    a = all_met()
    for qid in ("sel.youth.willingness", "sel.youth.past_work"):
        a.answers[qid] = Answer(qid, Choice.NOT_MET.value)
    assert status(a, "02.01.05") is Status.MET
    a.answers["sel.youth.sros_willing"] = Answer("sel.youth.sros_willing", Choice.NOT_MET.value)
    assert status(a, "02.01.05") is Status.NOT_MET


def test_reading_basic_course_from_officers():
    a = all_met()
    a.answers["train.basic.required"] = Answer("train.basic.required", Choice.NOT_MET.value)
    assert status(a, "03.02.01") is Status.MET
    a.officers[0] = replace(a.officers[0], assignment_date=D("2023-01-01"), basic_course_date=None)
    assert status(a, "03.02.01") is Status.NOT_MET


def test_reading_practice_not_paper():
    a = all_met()
    for qid in ("sel.experience.requirement", "train.advanced.planned", "train.policies.ferpa",
                "train.policies.discipline"):
        a.answers[qid] = Answer(qid, Choice.NOT_MET.value)
    for number in ("02.01.02", "03.03.01", "03.02.03"):
        assert status(a, number) is Status.MET, number
    a.answers["train.policies.ongoing"] = Answer("train.policies.ongoing", Choice.NOT_MET.value)
    assert status(a, "03.02.03") is Status.NOT_MET
    office = [q.id for q in FORM.questions_for("01.01.04-office-space") if not q.observation]
    assert office == ["mou.office.place_set", "mou.office.room_available", "mou.office.supplies"]
    assert "MOU" not in FORM.question("mou.office.room_available").text
    assert "practice_not_paper" not in {r.id for r in evaluate(FORM, a).deciding_readings}


@pytest.mark.parametrize(("reading", "as_of", "expected"), [
    (None, "2026-03-01", Status.MET), (None, "2026-03-02", Status.NOT_MET),
    ("once_each_school_year", "2026-06-30", Status.MET),
    ("once_each_school_year", "2026-07-01", Status.NOT_MET),
])
def test_reading_annual_training_by_school_year(reading, as_of, expected):
    """Trained March 1, 2025 (school year 2024-25): read by school year, due by June 30,
    2026; read as 12 months, due by March 1, 2026. The report prints the reading."""
    a = all_met()
    a.officers = [replace(o, last_annual_training=D("2025-03-01")) for o in a.officers]
    if reading:
        a.answers["train.annual.reading"] = Answer("train.annual.reading", reading)
    assert status(a, "03.01.01", as_of) is expected
    readiness = evaluate(FORM, a, D(as_of))
    words = "once in each school year" if reading else "within the last 12 months"
    assert words in readiness.annual_training_reading
    assert any(f'reads "annual" as {words}' in rule for rule in readiness.rules)
