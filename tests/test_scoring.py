"""The readiness engine: every date rule at and around its boundary, and the verdict logic."""

from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.domain.forms import load_form
from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Answer,
    Assessment,
    Officer,
    Owner,
    RapidDeploymentReading,
    School,
)
from nasro_desktop.domain.readings import describe_rules
from nasro_desktop.domain.results import Status, Verdict
from nasro_desktop.domain.scoring import evaluate

FORM = load_form(Path(__file__).parent / "domain_forms" / "mini.yaml")
D = date.fromisoformat

GOOD_OFFICER = dict(
    name="Dana Ruiz",
    school="Lincoln",
    sworn_date=D("2015-01-01"),
    assignment_date=D("2020-08-01"),
    basic_course_date=D("2020-06-01"),
    advanced_course_date=D("2021-07-01"),
    last_annual_training=D("2025-06-01"),
    last_rapid_deployment=D("2025-05-01"),
)


def assessment(officers=(), schools=(), answers=None, as_of="2025-09-01", **kw):
    base = {
        "def.fulltime": "met",
        "def.sworn": "met",
        "purpose.triad": "met",
        "mou.exists": "yes",
        "mou.signed_date": "2024-01-10",
        "mou.last_review_date": "2025-01-10",
        "mou.agreement.signed_by_both": "met",
        "mou.in_force": "yes",
        "mou.arrest": "met",
        "roles.set": "met",
    }
    base.update(answers or {})
    return Assessment(
        id=1,
        agency="Pine Ridge PD",
        as_of=D(as_of),
        form_id="mini",
        form_version=1,
        answers={k: Answer(k, v) for k, v in base.items() if v is not None},
        officers=[Officer(**o) for o in officers],
        schools=[School(**s) for s in schools] or [School(name="Lincoln")],
        **kw,
    )


def status(a, standard_id, as_of=None):
    return evaluate(FORM, a, D(as_of) if as_of else None).result(standard_id).status


# --- 03.02.01 basic course: before assignment, or within one year of it ---------------------


@pytest.mark.parametrize(
    ("assigned", "as_of", "expected"),
    [
        ("2024-03-01", "2025-02-28", Status.MET),  # inside the year: on schedule
        ("2024-03-01", "2025-03-01", Status.MET),  # exactly one year: still within
        ("2024-03-01", "2025-03-02", Status.NOT_MET),  # a day over: overdue
        ("2024-02-29", "2025-02-28", Status.MET),  # 29 Feb + 1 year = 28 Feb
        ("2024-02-29", "2025-03-01", Status.NOT_MET),
    ],
)
def test_basic_course_deadline_without_a_course(assigned, as_of, expected):
    a = assessment([dict(GOOD_OFFICER, assignment_date=D(assigned), basic_course_date=None)], as_of=as_of)
    assert status(a, "03.02.01") is expected


def test_basic_course_finished_within_the_year_is_met_and_late_is_noted():
    on_time = assessment([dict(GOOD_OFFICER, assignment_date=D("2024-03-01"), basic_course_date=D("2025-03-01"))])
    late = assessment([dict(GOOD_OFFICER, assignment_date=D("2024-03-01"), basic_course_date=D("2025-03-02"))])
    assert status(on_time, "03.02.01") is Status.MET
    finding = evaluate(FORM, late).result("03.02.01").findings[0]
    assert finding.status is Status.MET and finding.late and "completed the basic course late (due by March 1, 2025, done March 2, 2025)" in finding.detail


def test_a_course_date_after_the_as_of_date_does_not_count():
    """Overdue on the assessment date; the date recorded after it is flagged (issue 19)."""
    a = assessment([dict(GOOD_OFFICER, assignment_date=D("2023-01-01"), basic_course_date=D("2025-12-01"))])
    assert status(a, "03.02.01") is Status.NOT_MET
    finding = evaluate(FORM, a).result("03.02.01").findings[0]
    assert "⚠ Date to check: it is recorded as done on December 1, 2025" in finding.detail


def test_every_officer_is_judged_and_one_overdue_officer_blocks_the_standard():
    ok = dict(GOOD_OFFICER)
    overdue = dict(GOOD_OFFICER, name="Zoë Nguyễn", assignment_date=D("2023-01-01"), basic_course_date=None)
    result = evaluate(FORM, assessment([ok, overdue])).result("03.02.01")
    assert result.status is not Status.MET
    assert [f.status for f in result.findings] == [Status.MET, Status.NOT_MET]
    assert "Zoë Nguyễn" in result.findings[1].detail


def test_no_officers_listed_is_not_met():
    assert status(assessment([]), "03.02.01") is Status.UNKNOWN


# --- 03.01.01 annual school-safety training --------------------------------------------------


@pytest.mark.parametrize(
    ("last", "as_of", "expected"),
    [
        ("2024-09-01", "2025-09-01", Status.MET),
        ("2024-09-01", "2025-09-02", Status.NOT_MET),
        ("2024-02-29", "2025-02-28", Status.MET),
        ("2024-02-29", "2025-03-01", Status.NOT_MET),
    ],
)
def test_annual_training_boundary(last, as_of, expected):
    a = assessment([dict(GOOD_OFFICER, last_annual_training=D(last))], as_of=as_of)
    assert status(a, "03.01.01") is expected


def test_new_officer_without_annual_training_is_on_schedule_for_a_year():
    officer = dict(GOOD_OFFICER, assignment_date=D("2025-03-01"), last_annual_training=None)
    assert status(assessment([officer], as_of="2026-03-01"), "03.01.01") is Status.MET
    assert status(assessment([officer], as_of="2026-03-02"), "03.01.01") is Status.NOT_MET


# --- 03.04.01 rapid deployment: the reading of "bi-annual" is a setting ---------------------


@pytest.mark.parametrize(
    ("reading", "as_of", "expected"),
    [
        (RapidDeploymentReading.TWICE_A_YEAR, "2025-07-31", Status.MET),
        (RapidDeploymentReading.TWICE_A_YEAR, "2025-08-01", Status.NOT_MET),
        (RapidDeploymentReading.EVERY_TWO_YEARS, "2025-08-01", Status.MET),
        (RapidDeploymentReading.EVERY_TWO_YEARS, "2027-01-31", Status.MET),
        (RapidDeploymentReading.EVERY_TWO_YEARS, "2027-02-01", Status.NOT_MET),
    ],
)
def test_rapid_deployment_interval_follows_the_reading(reading, as_of, expected):
    a = assessment([dict(GOOD_OFFICER, last_rapid_deployment=D("2025-01-31"))], as_of=as_of,
                   rapid_deployment_reading=reading)
    assert status(a, "03.04.01") is expected


def test_rules_state_which_reading_was_used():
    two_years = " ".join(describe_rules(RapidDeploymentReading.EVERY_TWO_YEARS))
    assert "every two years" in two_years.split("reads it as")[1]
    readiness = evaluate(FORM, assessment([GOOD_OFFICER], rapid_deployment_reading=RapidDeploymentReading.TWICE_A_YEAR))
    assert "twice a year" in readiness.rapid_deployment_reading
    assert any("twice a year (every 6 months)" in rule for rule in readiness.rules)


# --- 03.03.01 advanced course about a year after the basic course ----------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2025-01-15", Status.MET), ("2025-04-15", Status.MET), ("2025-04-16", Status.NOT_MET)],
)
def test_advanced_course_due_about_a_year_after_basic(as_of, expected):
    officer = dict(GOOD_OFFICER, basic_course_date=D("2024-01-15"), advanced_course_date=None,
                   last_annual_training=D("2024-12-01"))
    assert status(assessment([officer], as_of=as_of), "03.03.01") is expected


# --- 02.01.02 three years of experience ------------------------------------------------------


@pytest.mark.parametrize(
    ("sworn", "assigned", "expected"),
    [
        ("2020-05-10", "2023-05-10", Status.MET),
        ("2020-05-10", "2023-05-09", Status.NOT_MET),
        ("2020-02-29", "2023-02-28", Status.MET),
        ("2020-02-29", "2023-02-27", Status.NOT_MET),
    ],
)
def test_experience_boundary(sworn, assigned, expected):
    a = assessment([dict(GOOD_OFFICER, sworn_date=D(sworn), assignment_date=D(assigned))])
    assert status(a, "02.01.02") is expected


@pytest.mark.parametrize(("years", "expected"), [(3, Status.MET), (2, Status.NOT_MET)])
def test_experience_from_years_when_no_sworn_date(years, expected):
    a = assessment([dict(GOOD_OFFICER, sworn_date=None, years_experience=years)])
    assert status(a, "02.01.02") is expected


# --- 02.01.03 at least one SRO per school ----------------------------------------------------


def test_each_school_needs_an_sro():
    one_short = assessment([GOOD_OFFICER], schools=[dict(name="Lincoln"), dict(name="Oak")])
    result = evaluate(FORM, one_short).result("02.01.03")
    assert result.status is Status.NOT_MET  # every school: one without an SRO is not met
    assert result.summary == "1 of 2 schools: no SRO assigned (Oak)."
    oak = next(f for f in result.findings if f.subject == "Oak")
    assert oak.status is Status.NOT_MET and oak.detail == "Oak has no SRO assigned."
    # a school name typed by hand that matches no school: the user must pick, so "?"
    typed = assessment([dict(GOOD_OFFICER, school="Oak St")], schools=[dict(name="Oak")])
    assert status(typed, "02.01.03") is Status.UNKNOWN


# --- 04.01.02 the MOU's annual review: an example method, shown but never deciding -------------


@pytest.mark.parametrize(
    ("answers", "as_of", "expected"),
    [
        ({"mou.last_review_date": "2024-06-30"}, "2025-06-30", Status.MET),
        ({"mou.last_review_date": "2024-06-30"}, "2025-07-01", Status.NOT_MET),
        ({"mou.last_review_date": None, "mou.signed_date": "2024-02-29"}, "2025-02-28", Status.MET),
        ({"mou.last_review_date": None, "mou.signed_date": "2024-02-29"}, "2025-03-01", Status.NOT_MET),
        ({"mou.exists": "no"}, "2025-01-01", Status.NOT_MET),
        ({"mou.exists": None}, "2025-01-01", Status.UNKNOWN),
    ],
)
def test_mou_review(answers, as_of, expected):
    result = evaluate(FORM, assessment([GOOD_OFFICER], answers=answers, as_of=as_of)).result("04.01.02")
    review = next(f for f in result.findings if f.key == "mou_review")
    assert review.status is expected and not review.decides
    assert result.status is Status.MET  # decided by the roles question alone


# --- answers, verdict, gaps ------------------------------------------------------------------


def test_fully_compliant_is_ready():
    readiness = evaluate(FORM, assessment([GOOD_OFFICER]))
    assert readiness.verdict is Verdict.READY, [(r.standard.id, r.status) for r in readiness.results]
    assert readiness.mandatory_met == readiness.mandatory_total == 4
    assert readiness.recommended_score == pytest.approx(100.0)
    assert readiness.verdict_sentence.startswith("Ready: Pine Ridge PD meets all 4 mandatory")


@pytest.mark.parametrize("value", [None, "not_sure", "not_met", "partly"])
def test_unanswered_and_not_sure_never_count_as_met(value):
    readiness = evaluate(FORM, assessment([GOOD_OFFICER], answers={"def.sworn": value}))
    assert readiness.verdict is Verdict.NOT_READY
    assert [r.standard.id for r in readiness.mandatory_gaps] == ["01.01.01"]
    assert "01.01.01 Definition" in readiness.verdict_sentence


def test_na_needs_an_allowed_question_and_a_reason():
    a = assessment([GOOD_OFFICER], answers={"purpose.triad": "na"})
    assert status(a, "01.01.02") is Status.UNKNOWN
    a.answers["purpose.triad"].na_reason = "We run no classes this year."
    assert status(a, "01.01.02") is Status.NOT_APPLICABLE
    a = assessment([GOOD_OFFICER], answers={"def.sworn": "na"})
    a.answers["def.sworn"].na_reason = "reason"
    assert status(a, "01.01.01") is Status.UNKNOWN  # N/A is not allowed there: the element is unknown


def test_mou_topics_are_capped_at_partly_met_until_the_mou_is_signed():
    a = assessment([GOOD_OFFICER], answers={"mou.exists": "no"})
    readiness = evaluate(FORM, a)
    assert readiness.result("01.01.04-arrest").status is Status.PARTLY
    assert readiness.verdict is Verdict.NOT_READY


def test_unclassified_standards_are_judged_but_never_change_the_verdict():
    readiness = evaluate(FORM, assessment([GOOD_OFFICER], answers={"mou.agreement.signed_by_both": "not_met"}))
    assert readiness.result("01.01.04").status is Status.NOT_MET  # not signed by both sides
    assert readiness.result("01.01.04").standard.cls.label == "Not classed"
    # 01.01.04 is no gap of its own; the MOU topic it caps is (issue 19: an MOU not signed
    # by both sides does not count)
    assert [r.standard.id for r in readiness.mandatory_gaps] == ["01.01.04-arrest"]
    assert readiness.result("01.01.04-arrest").status is Status.PARTLY


def test_gaps_rank_mandatory_first_and_use_the_action_plan():
    a = assessment(
        [dict(GOOD_OFFICER, last_rapid_deployment=None, assignment_date=D("2020-08-01"))],
        answers={"purpose.triad": "not_met", "mou.arrest": "not_met"},
        action_items=[ActionItem(1, "01.01.02", "Write a one-page purpose.", Owner.DISTRICT, D("2025-12-01"), ActionStatus.IN_PROGRESS)],
    )
    gaps = evaluate(FORM, a).gaps
    assert gaps[0].standard.id == "01.01.04-arrest" and gaps[0].rank == 1
    purpose = next(g for g in gaps if g.standard.id == "01.01.02")
    assert purpose.next_step == "Write a one-page purpose."
    assert purpose.owner is Owner.DISTRICT and purpose.target_date == D("2025-12-01")
    assert purpose.action_status is ActionStatus.IN_PROGRESS
    classes = [g.standard.cls.value for g in gaps]
    assert classes == sorted(classes, key=["mandatory", "recommended", "unclassified"].index)


def test_due_next_lists_overdue_first_then_by_date():
    officers = [
        dict(GOOD_OFFICER, name="A", last_annual_training=D("2024-01-01")),  # overdue since 2025-01-01
        dict(GOOD_OFFICER, name="B", last_annual_training=D("2025-03-01")),  # due 2026-03-01
    ]
    due = evaluate(FORM, assessment(officers)).due_next
    assert due[0].overdue and due[0].who == "A" and due[0].when == D("2025-01-01")
    later = [d for d in due if not d.overdue]
    assert [d.when for d in later] == sorted(d.when for d in later)
    assert any(d.what == "Yearly MOU review" and d.who == "Agency and district" for d in due)


def test_section_figures_and_progress():
    readiness = evaluate(FORM, assessment([GOOD_OFFICER], answers={"def.sworn": None}))
    admin = next(s for s in readiness.sections if s.section.id == "administration")
    assert admin.mandatory_total == 2 and admin.mandatory_met == 1
    assert readiness.answered == readiness.total - 1
    assert not readiness.complete


def test_hidden_questions_are_not_counted_but_their_answers_are_kept():
    a = assessment([GOOD_OFFICER], answers={"mou.exists": "no"})
    readiness = evaluate(FORM, a)
    assert "mou.signed_date" in a.answers  # kept
    visible_ids = {q.id for q in FORM.visible_questions(a.answers)}
    assert "mou.signed_date" not in visible_ids
    assert readiness.total == len(visible_ids)


def test_advanced_course_in_its_leeway_is_listed_by_its_latest_date():
    officer = dict(GOOD_OFFICER, basic_course_date=D("2024-01-15"), advanced_course_date=None,
                   last_annual_training=D("2024-12-01"))
    due = evaluate(FORM, assessment([officer], as_of="2025-03-01")).due_next
    advanced = next(d for d in due if d.what == "Advanced SRO course")
    assert advanced.when == D("2025-04-15") and not advanced.overdue
    assert advanced.when >= D("2025-03-01")  # never a past date shown as coming up
