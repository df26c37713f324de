"""Issue 19: no answer can buy a READY. Each case goes through the path a user takes (the
Session, or the CLI's import and report) on the real question set; each failed before the fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from nasro_desktop.domain.model import AnswerType, Choice, Officer, School
from nasro_desktop.domain.results import Status, SubjectKind, Verdict
from nasro_desktop.session import Session

D = date.fromisoformat
AS_OF = D("2026-09-15")


def good_officer(name: str, school: str = "Millbrook High", **kw) -> Officer:
    base = dict(
        name=name, school=school, sworn_date=D("2012-01-01"), assignment_date=D("2020-08-01"),
        basic_course_date=D("2020-06-01"), advanced_course_date=D("2021-06-15"),
        last_annual_training=D("2026-03-01"), last_rapid_deployment=D("2026-06-01"),
        probation_review_with_school=True,
    )
    base.update(kw)
    return Officer(**base)


def ready_session(store) -> Session:
    """A session answered the way a compliant program answers: Ready."""
    session = Session.create(store, agency="Millbrook PD", district="Millbrook USD",
                             prepared_by="Chief R. Okafor", as_of=AS_OF)
    session.save_school(School(name="Millbrook High", enrollment=900, sros_assigned=1))
    session.save_officer(good_officer("Dana Ruiz"))
    answer_all_yes(session)
    return session


def answer_all_yes(session: Session) -> None:
    """Every visible question answered as a compliant program would, until nothing changes."""
    facts = {"mou.exists": "yes", "mou.signed_date": D("2025-08-01"), "mou.in_force": "yes",
             "sel.probation.exists": "yes"}
    for _ in range(4):
        for q in session.form.questions:
            if not q.is_visible(session.assessment.answers) or session.value(q.id) is not None:
                continue
            if q.id in facts:
                session.set_answer(q.id, facts[q.id])
            elif q.type is AnswerType.STATUS:
                session.set_answer(q.id, Choice.MET.value)
            elif q.type is AnswerType.YESNO:
                session.set_answer(q.id, "yes")


def test_a_ready_session_is_ready(store):
    readiness = ready_session(store).readiness
    assert readiness.verdict is Verdict.READY, [r.standard.id for r in readiness.mandatory_gaps]


# --- the domain API the report prints ---------------------------------------------------------


def test_the_readiness_names_the_question_set_and_what_was_met_another_way(store):
    session = ready_session(store)
    session.set_answer("admin.support.agency_head", Choice.ALTERNATE.value,
                       na_reason="The chief's support is written into the city council's budget.")
    readiness = session.readiness
    assert readiness.question_set == f"nasro-2018, version {session.form.version}"
    assert readiness.form_title == session.form.title
    [result] = readiness.met_another_way
    assert result.standard.number == "01.01.03"
    assert result.alternates[0].explanation.startswith("The chief's support")
    assert "met_another_way" in {r.id for r in readiness.deciding_readings}


def test_the_deciding_readings_are_those_of_the_mandatory_standards(store):
    readiness = ready_session(store).readiness
    ids = {r.id for r in readiness.deciding_readings}
    assert "annual_training_required" in ids  # 03.01.01 is mandatory
    assert "conflicting_dates" not in ids  # 02.01.02 is recommended
    assert "met_another_way" not in ids  # nothing was met another way


# --- one as-of date for every dated fact ------------------------------------------------------


def test_an_officer_who_starts_later_is_listed_and_left_out_of_every_standard(store):
    session = ready_session(store)
    session.save_officer(good_officer("Sam Lee", assignment_date=D("2026-09-01"),
                                      basic_course_date=None, last_annual_training=None,
                                      last_rapid_deployment=None, advanced_course_date=None,
                                      probation_review_with_school=None))
    session.save_details(as_of=D("2026-08-20"))  # the assessment date moved back
    readiness = session.readiness
    assert readiness.verdict is Verdict.READY
    assert readiness.officers_starting == (("Sam Lee", D("2026-09-01")),)
    for standard in ("03.01.01", "03.02.01", "04.01.05", "02.01.02", "03.04.01"):
        result = readiness.result(standard)
        [sam] = [f for f in result.findings if f.subject == "Sam Lee"]
        assert sam.status is Status.NOT_APPLICABLE and sam.starts == D("2026-09-01"), standard
        assert "starts September 1, 2026" in sam.detail
        assert "no assignment date" not in sam.detail


def test_a_training_date_after_the_as_of_date_is_a_date_to_check_not_overdue(store):
    session = ready_session(store)
    [dana] = session.assessment.officers
    session.save_officer(replace(dana, last_annual_training=D("2026-09-02")))
    session.save_details(as_of=D("2026-09-01"))  # a report as of a date before the training
    result = session.readiness.result("03.01.01")
    [finding] = [f for f in result.findings if f.kind is SubjectKind.OFFICER]
    assert finding.status is Status.UNKNOWN
    assert finding.detail.startswith("⚠ Date to check") and "overdue" not in finding.detail
    assert session.readiness.verdict is Verdict.NOT_READY


def test_a_finding_on_officers_says_how_many_and_what(store):
    session = ready_session(store)
    session.save_officer(good_officer("Ann Cole", basic_course_date=None))
    session.save_officer(good_officer("Bo Park"))
    result = session.readiness.result("03.02.01")
    assert result.summary == "1 of 3 officers: basic SRO course overdue (Ann Cole)."
