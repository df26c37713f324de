"""The session controller, without any window: every edit saved at once, nothing ever lost."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.entries import InvalidEntry, officer_problems, school_problems
from nasro_desktop.domain.model import ActionItem, ActionStatus, Officer, Owner, School
from nasro_desktop.domain.pages import interview_pages
from nasro_desktop.domain.titles import default_title
from nasro_desktop.session import Session
from nasro_desktop.store import Store, StoreError

AS_OF = date(2026, 9, 15)


def new_session(store) -> Session:
    return Session.create(store, agency="Millbrook PD", district="Millbrook USD",
                          prepared_by="Chief R. Okafor", as_of=AS_OF)


def test_new_assessment_gets_a_title_and_appears_in_the_list(store):
    session = new_session(store)
    assert session.assessment.title == default_title("Millbrook PD", "Millbrook USD", AS_OF)
    [summary] = store.list_assessments()
    assert summary.id == session.assessment_id
    assert summary.agency == "Millbrook PD"
    assert summary.percent_answered == 0
    assert summary.verdict == "not_ready"


def test_every_edit_is_saved_at_once_and_reopens_the_same(data_dir):
    events = []
    with Store.open(data_dir) as store:
        session = new_session(store)
        session.add_listener(lambda event, payload: events.append(event))
        session.set_answer("mou.exists", "yes")
        session.set_answer("mou.signed_date", date(2024, 8, 1))
        session.set_answer("admin.sro.full_time_officer", "met", note="Payroll record, 2026")
        session.set_answer("admin.sro.full_time_officer", flagged=True)
        session.save_details(district="Millbrook Unified", rapid_deployment_reading="every_two_years")
        officer = session.save_officer(Officer(name="Dana Ruiz", assignment_date=date(2025, 8, 1)))
        session.save_school(School(name="Millbrook High", enrollment=900, sros_assigned=1))
        session.set_last_page("std:01.01.04")
        assessment_id = session.assessment_id
        assert officer.id is not None
        assert "saved" in events and "changed" in events
        assert not session.has_unsaved
    # a different process-lifetime: open the file again
    with Store.open(data_dir) as store:
        again = Session.open(store, assessment_id)
        a = again.assessment
        assert a.value("mou.exists") == "yes"
        assert a.value("mou.signed_date") == "2024-08-01"
        full_time = a.answers["admin.sro.full_time_officer"]
        assert (full_time.value, full_time.note, full_time.flagged) == ("met", "Payroll record, 2026", True)
        assert a.district == "Millbrook Unified"
        assert a.rapid_deployment_reading == "every_two_years"
        assert [o.name for o in a.officers] == ["Dana Ruiz"]
        assert [s.name for s in a.schools] == ["Millbrook High"]
        assert a.last_page == "std:01.01.04"


def test_a_hidden_answer_is_kept_not_deleted(data_dir):
    with Store.open(data_dir) as store:
        session = new_session(store)
        question = session.form.question("mou.signed_date")
        session.set_answer("mou.exists", "yes")
        assert question.is_visible(session.assessment.answers)
        session.set_answer("mou.signed_date", date(2023, 7, 17))
        session.set_answer("mou.exists", "no")
        assert not question.is_visible(session.assessment.answers)
        assert session.value("mou.signed_date") == "2023-07-17"
        assessment_id = session.assessment_id
    with Store.open(data_dir) as store:
        again = Session.open(store, assessment_id)
        assert again.value("mou.signed_date") == "2023-07-17"
        again.set_answer("mou.exists", "yes")
        assert again.form.question("mou.signed_date").is_visible(again.assessment.answers)


def test_readiness_follows_the_answers_and_the_list_summary_follows_readiness(store):
    session = Session.open_sample(store)
    before = session.readiness
    assert before.verdict == "not_ready"
    gap_ids = {r.standard.id for r in before.mandatory_gaps}
    assert gap_ids
    [summary] = store.list_assessments()
    assert (summary.percent_answered, summary.verdict) == (before.percent_answered, "not_ready")
    unanswered = [q for q in session.form.visible_questions(session.assessment.answers)
                  if q.type == "status" and not session.assessment.answers.get(q.id)]
    for question in unanswered:
        session.set_answer(question.id, "met")
    assert session.readiness is not before  # recomputed after the change
    session.refresh_summary()
    [summary] = store.list_assessments()
    assert summary.percent_answered == session.readiness.percent_answered


def test_the_sample_is_saved_as_a_copy_each_time(store):
    first = Session.open_sample(store)
    second = Session.open_sample(store)
    assert first.assessment_id != second.assessment_id
    assert len(store.list_assessments()) == 2


def test_officer_checks_say_what_to_fix():
    future = Officer(name="A. Officer", basic_course_date=date(2026, 10, 1))
    problems = officer_problems(future, AS_OF)
    assert [p.field for p in problems] == ["basic_course_date"]
    assert problems[0].blocking
    assert "after the Assessment date" in problems[0].message
    assert long_date(AS_OF) in problems[0].message

    early = Officer(name="B. Officer", sworn_date=date(2020, 5, 1), assignment_date=date(2019, 8, 1))
    [problem] = officer_problems(early, AS_OF)
    assert problem.field == "assignment_date" and not problem.blocking
    assert "before the sworn date" in problem.message

    nameless = officer_problems(Officer(), AS_OF)
    assert [p.message for p in nameless] == ["Please type the officer's name."]


def test_school_checks_refuse_negative_numbers():
    problems = school_problems(School(name="X", enrollment=-3, calls_for_service=-1))
    assert {p.field for p in problems} == {"enrollment", "calls_for_service"}
    assert all(p.blocking and "cannot be negative" in p.message for p in problems)
    assert school_problems(School(name="Y", enrollment=0)) == []


def test_invalid_rows_are_refused_and_nothing_is_saved(store):
    session = new_session(store)
    with pytest.raises(InvalidEntry) as refused:
        session.save_officer(Officer(name="Late", last_annual_training=date(2027, 1, 1)))
    assert "after the Assessment date" in str(refused.value)
    with pytest.raises(InvalidEntry):
        session.save_school(School(name="Neg", buildings=-1))
    assert session.assessment.officers == [] and session.assessment.schools == []
    assert store.load_assessment(session.assessment_id).officers == []


def test_officer_training_status_reads_met_due_or_overdue(store):
    session = Session.open_sample(store)
    statuses = {o.name: session.officer_training_status(o) for o in session.assessment.officers}
    assert statuses["José Ramírez"] == "✘ Basic SRO course overdue since June 2, 2026", statuses
    assert any(s.startswith("✔ Met") for s in statuses.values()), statuses
    # a new officer with no dates yet: said plainly, not as an error
    fresh = session.save_officer(Officer(name="New Hire"))
    assert session.officer_training_status(fresh)


def test_edits_and_deletes_of_rows(store):
    session = new_session(store)
    school = session.save_school(School(name="Oak Elementary", enrollment=300))
    school_copy = School(**{**school.__dict__, "enrollment": 320})
    session.save_school(school_copy)
    assert [s.enrollment for s in session.assessment.schools] == [320]
    assert [s.enrollment for s in store.load_assessment(session.assessment_id).schools] == [320]
    session.delete_school(school)
    assert store.load_assessment(session.assessment_id).schools == []


def test_one_action_item_per_standard(store):
    session = Session.open_sample(store)
    gap = session.readiness.gaps[0]
    session.save_action_item(ActionItem(standard_id=gap.standard.id, next_step=gap.next_step,
                                        owner=Owner.AGENCY, target_date=date(2026, 12, 1)))
    session.save_action_item(ActionItem(standard_id=gap.standard.id, next_step=gap.next_step,
                                        owner=Owner.AGENCY, status=ActionStatus.IN_PROGRESS))
    items = [i for i in store.load_assessment(session.assessment_id).action_items
             if i.standard_id == gap.standard.id]
    assert len(items) == 1 and items[0].status == ActionStatus.IN_PROGRESS


def test_interview_pages_hold_every_interview_question_once(store):
    session = new_session(store)
    form = session.form
    pages = interview_pages(form)
    on_pages = [qid for page in pages for qid in page.question_ids]
    expected = [q.id for s in form.sections for q in form.questions_in(s.id)]
    assert sorted(on_pages) == sorted(expected)
    assert len(on_pages) == len(set(on_pages))
    assert len({p.id for p in pages}) == len(pages)
    triad = [p for p in pages if p.standard_id == "03.02.02"]
    assert len(triad) == 3  # one page per TRIAD list
    assert all(len(p.question_ids) <= 12 for p in pages)


# --- a real full disk: a tiny tmpfs, filled up, then emptied ------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip("cannot mount a small disk here (needs root); the store's own tests cover it")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder) -> None:
    with open(folder / "filler", "wb", buffering=0) as handle:  # unbuffered: close has nothing left
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


def test_a_full_disk_keeps_the_change_and_saves_it_later(tiny_disk, monkeypatch):
    monkeypatch.setenv("NASRO_DATA_DIR", str(tiny_disk / "data"))
    events = []
    with Store.open(tiny_disk / "data") as store:
        session = new_session(store)
        session.add_listener(lambda event, payload: events.append((event, payload)))
        fill(tiny_disk)
        note = "Signed copy is in the chief's binder. " * 40
        saved = True
        for n in range(30):  # the file's spare room runs out within a few saves
            saved = session.set_answer("admin.sro.full_time_officer", "met", note=f"{n} {note}")
            if not saved:
                break
        assert not saved
        assert session.has_unsaved
        assert ("save_failed", session.state.message) in events
        assert "disk is full" in session.state.message
        assert session.value("admin.sro.full_time_officer") == "met"  # kept in memory
        assert not session.retry()  # still full
        with pytest.raises(StoreError, match="not saved yet, so the questions were not changed"):
            session.upgraded(session.form)  # refused, as sharing and merging are
        (tiny_disk / "filler").unlink()
        assert session.retry()
        assert not session.has_unsaved
        assert events[-1][0] == "saved"
        assessment_id = session.assessment_id
    with Store.open(tiny_disk / "data") as store:
        answer = store.load_assessment(assessment_id).answers["admin.sro.full_time_officer"]
        assert answer.value == "met" and answer.note.startswith(f"{n} ")


def test_events_are_typed_and_say_what_changed(data_dir):
    from nasro_desktop.events import Change, ChangeKind, SessionEvent

    heard: list[tuple[SessionEvent, object]] = []
    with Store.open(data_dir) as store:
        session = new_session(store)
        session.add_listener(lambda event, payload: heard.append((event, payload)))
        session.set_answer("mou.exists", "yes")
        session.save_school(School(name="Millbrook High"))
    changes = [p for e, p in heard if e is SessionEvent.CHANGED]
    assert changes[0] == Change(ChangeKind.ANSWER, "mou.exists")
    assert str(changes[0]) == "answer:mou.exists"
    assert Change(ChangeKind.SCHOOLS) in changes
    assert {e for e, _ in heard} <= set(SessionEvent)
    assert any(e is SessionEvent.SAVED for e, _ in heard)
