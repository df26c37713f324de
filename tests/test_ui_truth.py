"""What the window says is true (issue 22): next year's copy asks for every carried-over answer
to be confirmed (Home's next step, Review's "To confirm" filter, the start screen's percentage of
confirmed answers); the counts agree between Home, its rows and the sidebar; no red cross next
to "All answered". Driven by clicks and key presses in the real window."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_ui_home import answer_everything
from test_ui_shell import start_new
from ui_support import make_window

from nasro_desktop.ui.home_page import to_confirm
from nasro_desktop.ui.navigation import HOME, REVIEW
from nasro_desktop.ui.review_rows import Filter


def _home_count_texts(home) -> list[str]:
    return [count.text() for _n, _b, count, _button in home.rows.values() if count.isVisible()]


def _next_years_copy(qtbot, store):
    """The window on next year's copy of the sample (every answer carried, none confirmed)."""
    window = make_window(qtbot, store)
    window.open_sample()
    last = window.session.assessment_id
    window.show_start()
    window.open_assessment(store.start_next_year(last, date(2027, 9, 15)).id)
    return window


def test_next_years_copy_asks_to_confirm_every_carried_answer(qtbot, store):
    window = _next_years_copy(qtbot, store)
    window.go_to(HOME)
    home = window.workspace.pages[HOME]
    carried = to_confirm(window.session)
    assert len(carried) > 50
    assert home.primary.text() == "Confirm last year's answers"
    assert home.explanation.text().startswith(f"{len(carried)} answers to confirm")
    assert f"{len(carried)} answers to confirm" in home.status.text()
    assert "All answered" not in home.status.text()
    # the Review page's "To confirm" filter lists exactly them
    window.go_to(REVIEW)
    review = window.workspace.pages[REVIEW]
    button = review.filter_buttons[Filter.TO_CONFIRM]
    assert button.isVisible() and f"({len(carried)})" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert review.model.rowCount() == len(carried)
    # Home's button goes to the first; Space on the answer already picked confirms it
    window.go_to(HOME)
    qtbot.mouseClick(home.primary, Qt.MouseButton.LeftButton)
    assert window.current_page == carried[0].page_id
    block = window.workspace.pages[window.current_page].block_for(carried[0].question_id)
    assert block.reconfirm_label.isVisible()
    focused = QApplication.focusWidget()
    assert block.isAncestorOf(focused)
    before = window.session.value(carried[0].question_id)
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    answer = window.session.answer(carried[0].question_id)
    assert answer.value == before and not answer.reconfirm
    assert len(to_confirm(window.session)) == len(carried) - 1
    # the start screen's percentage counts confirmed answers only
    copy_id = window.session.assessment_id
    window.show_start()
    summary = next(s for s in window.start.model.summaries if s.id == copy_id)
    assert summary.percent_answered is not None and summary.percent_answered < 50


def test_counts_agree_and_no_red_cross_beside_all_answered(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    answer_everything(session)
    # one mandatory gap: the first status question of a mandatory standard answered No
    gap = next(q for q in session.form.questions if q.type.value == "status"
               and not q.observation and q.standard
               and session.form.standard(q.standard).cls.value == "mandatory"
               and q.is_visible(session.assessment.answers))
    session.set_answer(gap.id, "not_met")
    window.refresh_now()
    window.go_to(HOME)
    home = window.workspace.pages[HOME]
    readiness = session.readiness
    status = home.status.text()
    assert "✘" not in status and status.startswith("⚠ 1 mandatory item not met")
    # Home's total and the sidebar's Review entry say the same
    assert f"In all: {readiness.answered} of {readiness.total} answered" in \
        home.total_label.text()
    review_row = [s for s, _t in window.workspace.sections].index(REVIEW)
    assert f"{readiness.answered} of {readiness.total} answered" in \
        window.workspace.sidebar.section_list.item(review_row).text()


def test_home_rows_and_time_estimates_add_up_on_a_new_assessment(qtbot, store):
    from test_ui_shell import compliant_people

    window = make_window(qtbot, store)
    start_new(window)
    compliant_people(window.session)  # the Profile's questions answered, the rest not
    window.refresh_now()
    window.go_to(HOME)
    home = window.workspace.pages[HOME]
    readiness = window.session.readiness
    shown = [(bar.value(), bar.maximum()) for _n, bar, _c, _b in home.rows.values()
             if bar.isVisible()]
    assert sum(v for v, _m in shown) == readiness.answered > 0
    assert sum(m for _v, m in shown) == readiness.total
    left = readiness.total - readiness.answered
    from nasro_desktop.ui.home_page import minutes_text

    assert f"the rest takes about {minutes_text(left)}" in home.total_label.text()
    review_row = [s for s, _t in window.workspace.sections].index(REVIEW)
    assert f"{readiness.answered} of {readiness.total} answered" in \
        window.workspace.sidebar.section_list.item(review_row).text()


def test_one_count_of_questions_left_everywhere(qtbot, store):
    """The sample leaves two questions: one that counts for the verdict and an example from
    the standard (an observation). Home's next step, its section rows, its total, the
    sidebar, Review's Unanswered filter and Ctrl+J all say and walk the same two (Home said
    "1 question left" beside rows that left 2)."""
    import re

    window = make_window(qtbot, store)
    window.open_sample()
    readiness = window.session.readiness
    left = readiness.total - readiness.answered
    assert left == 2 and readiness.open_questions == 1  # the sample's shape
    window.refresh_now()
    window.go_to(HOME)
    home = window.workspace.pages[HOME]
    assert f"{left} questions left" in home.explanation.text()
    row_left = 0
    for _name, _bar, count, _button in home.rows.values():
        found = re.search(r"(\d+) of (\d+)", count.text())
        if found:
            row_left += int(found[2]) - int(found[1])
    assert row_left == left
    assert f"{readiness.answered} of {readiness.total} answered" in home.total_label.text()
    sections = sum(f.total - f.answered for f in readiness.sections)
    assert sections == left  # the Profile's questions all answered in the sample
    # Review: the Unanswered filter, clicked, lists the same two
    review_row = [s for s, _t in window.workspace.sections].index(REVIEW)
    assert f"{readiness.answered} of {readiness.total} answered" in \
        window.workspace.sidebar.section_list.item(review_row).text()
    window.go_to(REVIEW)
    review = window.workspace.pages[REVIEW]
    qtbot.mouseClick(review.filter_buttons[Filter.UNANSWERED], Qt.MouseButton.LeftButton)
    assert review.model.rowCount() == left
    from nasro_desktop.ui.review_page import QUESTION_ID_ROLE

    listed = {review.model.index(r, 0).data(QUESTION_ID_ROLE) for r in range(left)}
    assert None not in listed
    # Ctrl+J visits each of them, then comes round to the first again
    window.go_to(HOME)
    visited = []
    for _ in range(left + 1):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_J,
                       Qt.KeyboardModifier.ControlModifier)
        visited.append(window.workspace.current_question())
    assert len(set(visited[:left])) == left and visited[left] == visited[0]
    assert set(visited) == listed
    # the start screen: the same percentage
    window.show_start()
    summary = next(s for s in window.start.model.summaries
                   if s.id == window.session.assessment_id)
    assert summary.percent_answered == readiness.percent_answered


def _mnemonics(widget) -> list[str]:
    """The Alt+letter of each text shown in `widget` ("&&" is a plain ampersand)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    found = []
    for child in widget.findChildren(QAbstractButton) + widget.findChildren(QLabel):
        if not child.isVisible() or (isinstance(child, QLabel) and child.buddy() is None):
            continue
        text = child.text().replace("&&", "")
        if "&" in text:
            found.append(text[text.index("&") + 1].lower())
    return found


def test_review_on_next_years_copy_picks_to_confirm_by_its_own_key(qtbot, store):
    """On next year's copy the Review page shows "To confirm" beside "Change this answer": each
    keeps a key of its own (they shared Alt+C, so Alt+C only moved between them)."""
    window = _next_years_copy(qtbot, store)
    window.go_to(REVIEW)
    review = window.workspace.pages[REVIEW]
    button = review.filter_buttons[Filter.TO_CONFIRM]
    assert button.isVisible()
    keys = _mnemonics(review) + [a.text()[a.text().index("&") + 1].lower()
                                 for a in window.menuBar().actions() if "&" in a.text()]
    assert len(keys) == len(set(keys)), sorted(keys)
    key = Qt.Key(ord(button.text()[button.text().index("&") + 1].upper()))
    qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: review.filter is Filter.TO_CONFIRM)
    assert review.model.rowCount() == len(to_confirm(window.session))
    # Alt+C still changes the chosen answer: its question's page opens
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.current_page != REVIEW)
