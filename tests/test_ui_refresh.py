"""What the window redraws after an answer is coalesced and trimmed for speed (issue 11 §4):
changes in a burst are drawn once, only the sidebar rows that changed are touched, the start
screen's summary is written after the frame. None of it may lose an update: these tests fail if
the sidebar, the standards list, the page or the summary ever shows an older state than the
answers."""

from __future__ import annotations

from test_ui_shell import start_new
from ui_support import make_window

from nasro_desktop.ui.navigation import HOME


def sidebar_text(window, section_id: str) -> str:
    row = next(i for i, (sid, _t) in enumerate(window.workspace.sections) if sid == section_id)
    return window.workspace.sidebar.section_list.item(row).text()


def standards_texts(window) -> list[str]:
    listing = window.workspace.sidebar.standards_list
    return [listing.item(row).text() for row in range(listing.count())]


def status_questions(session, spec):
    return [q for q in spec.question_ids if session.form.question(q).type.value == "status"]


def test_a_burst_of_answers_is_drawn_once_and_the_last_state_wins(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    spec = next(p for p in session.pages if len(status_questions(session, p)) >= 2)
    window.go_to(spec.id)
    section = spec.section
    first, second = status_questions(session, spec)[:2]
    drawn = []
    real = window.refresh_now
    window.refresh_now = lambda: (drawn.append(1), real())
    # a burst: several changes before the event loop runs again
    session.set_answer(first, "met")
    session.set_answer(second, "met")
    session.set_answer(first, "not_met")
    qtbot.waitUntil(lambda: bool(drawn), timeout=2000)
    qtbot.wait(50)
    assert len(drawn) == 1  # one redraw for the burst...
    answered = sum(1 for q in session.pages if q.section == section
                   for qid in q.question_ids if qid in session.assessment.answers)
    assert f"{answered} of" in sidebar_text(window, section)  # ...showing its last state
    mark = session.readiness.result(spec.standard_id).status.label
    own = next(t for t in standards_texts(window) if t.startswith(
        session.form.standard(spec.standard_id).number + " "))
    assert mark in own
    page = window.workspace.pages[spec.id]
    assert page.block_for(first).chooser.value() == "not_met"
    assert page.block_for(second).chooser.value() == "met"


def test_an_answer_after_a_direct_redraw_is_not_lost(qtbot, store):
    """refresh_now() called directly clears the pending mark; an answer given after it must
    schedule its own redraw (the coalescing must never swallow a later change)."""
    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    spec = next(p for p in session.pages if status_questions(session, p))
    window.go_to(HOME)
    question = status_questions(session, spec)[0]
    session.set_answer(question, "met")
    window.refresh_now()  # drawn at once (the pending redraw then does nothing)
    home = window.workspace.pages[HOME]
    before = home.total_label.text()
    other = next(q for p in session.pages for q in status_questions(session, p)
                 if q not in session.assessment.answers)
    session.set_answer(other, "met")  # after the direct redraw: a new pending redraw
    qtbot.waitUntil(lambda: home.total_label.text() != before, timeout=2000)
    assert f"{session.readiness.answered} of {session.readiness.total}" in \
        home.total_label.text()
    assert "Not started" not in sidebar_text(window, HOME)


def test_only_changed_rows_are_touched_and_unchanged_rows_stay_right(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    session = window.session
    spec = session.pages[3]
    window.go_to(spec.id)
    window.refresh_now()
    rows_before = {sid: sidebar_text(window, sid) for sid, _t in window.workspace.sections}
    question = status_questions(session, spec)[0]
    value = "not_met" if session.value(question) != "not_met" else "met"
    session.set_answer(question, value)
    qtbot.waitUntil(lambda: not window._refresh_pending, timeout=2000)
    qtbot.wait(20)
    for sid, _title in window.workspace.sections:  # every row equals a full recomputation
        text = sidebar_text(window, sid)
        if sid != spec.section and sid not in ("home", "review", "readiness"):
            assert text == rows_before[sid]
    # the whole list rebuilt from scratch says the same as the rows updated in place
    in_place = standards_texts(window)
    window.workspace.sidebar.shown_section = ""
    window.workspace.sidebar.show_section(spec.section)
    assert standards_texts(window) == in_place


def test_the_start_screen_summary_is_saved_after_the_frame_and_never_lost(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    aid = session.assessment_id
    spec = next(p for p in session.pages if status_questions(session, p))
    session.set_answer(status_questions(session, spec)[0], "met")
    window.refresh_now()

    def saved_percent():
        return next(s for s in store.list_assessments() if s.id == aid).percent_answered

    qtbot.waitUntil(lambda: saved_percent() == session.readiness.percent_answered,
                    timeout=3000)
    # a change then straight to another assessment: the waiting summary is written first
    session.set_answer(status_questions(session, spec)[-1], "met")
    window.refresh_now()
    assert window._summary_timer.isActive()  # not written yet...
    window.open_sample()  # ...and written before the window turns to another assessment
    summary = next(s for s in store.list_assessments() if s.id == aid)
    assert summary.percent_answered > 0
    from nasro_desktop.domain.scoring import evaluate
    from nasro_desktop.session import Session

    again = Session.open(store, aid)
    assert summary.percent_answered == evaluate(again.form, again.assessment).percent_answered


def test_the_focus_parked_during_a_page_change_always_lands_on_the_new_page(qtbot, store):
    """go_to() parks the focus on the stack while the pages change (else it passed through the
    sidebar and redrew it); it must then always land on the page shown, even on a page with
    nothing to answer."""
    from PySide6.QtWidgets import QApplication

    window = make_window(qtbot, store)
    window.open_sample()
    for page_id in window.workspace.page_ids:
        window.go_to(page_id)
        focus = QApplication.focusWidget()
        page = window.workspace.pages[page_id]
        assert focus is not window.workspace.stack, page_id
        assert focus is page or page.isAncestorOf(focus), (page_id, type(focus).__name__)
