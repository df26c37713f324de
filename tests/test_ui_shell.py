"""The guided interview window, end to end (pytest-qt, offscreen).

The interview itself is driven with key presses only: focus starts on the first answer of each
page, arrow keys pick an option, Enter chooses it and moves on, Enter on the last question of a
page goes to the next page.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateEdit, QSpinBox

from nasro_desktop.domain.model import AnswerType, Officer, School
from nasro_desktop.session import PROFILE, READINESS, REVIEW
from nasro_desktop.store import Store
from nasro_desktop.ui.main_window import MainWindow

AS_OF = date(2026, 9, 15)
DISCIPLINE = "01.01.04-discipline"


@pytest.fixture
def store(data_dir):
    with Store.open(data_dir) as opened:
        yield opened


def make_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_start()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    return window


def start_new(window) -> None:
    window.create_assessment({"agency": "Millbrook Police Department",
                              "district": "Millbrook Unified School District",
                              "prepared_by": "Chief R. Okafor", "as_of": AS_OF, "title": ""})


def compliant_people(session) -> None:
    """Officers and schools that meet every date and number rule as of AS_OF."""
    for name in ("Millbrook High", "Millbrook Elementary"):
        session.save_school(School(name=name, enrollment=600, buildings=2, acreage=12.0,
                                   calls_for_service=40, sros_assigned=1,
                                   non_sworn_safety_staff=1))
    for name, school in (("Dana Ruiz", "Millbrook High"), ("Sam Okoye", "Millbrook Elementary")):
        session.save_officer(Officer(
            name=name, school=school, sworn_date=date(2012, 3, 1),
            assignment_date=date(2022, 8, 1), basic_course_date=date(2022, 6, 10),
            advanced_course_date=date(2023, 6, 12), last_annual_training=date(2026, 6, 20),
            last_rapid_deployment=date(2026, 7, 15), probation_end=date(2023, 2, 1),
            probation_review_with_school=True))


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    for _ in range(times):
        widget = focused()
        assert widget is not None, "keyboard focus was lost"
        qtbot.keyClick(widget, key, modifier)


def answer_by_keys(qtbot, window, *, not_met: set[str] = frozenset()) -> None:
    """Answer every visible question from the current page to the end, by keyboard only.

    Status questions: Enter picks the focused first option (Met); for ids in `not_met`, two
    Right arrows reach Not met first. Yes/no: Enter picks Yes. Dates: Up sets the assessment
    date. Numbers: Up arrows. Text: typed."""
    form = window.session.form
    guard = 0
    while window.current_page not in (REVIEW, READINESS):
        guard += 1
        assert guard < 2000, (window.current_page, type(focused()).__name__, getattr(focused(), "text", lambda: "")())
        page = window.pages[window.current_page]
        block = next((b for b in page.blocks if b.isAncestorOf(focused())), None)
        assert block is not None, f"no question has focus on {window.current_page}"
        question = form.question(block.question.id)
        if question.type == AnswerType.STATUS and question.id in not_met:
            press(qtbot, Qt.Key.Key_Right, times=2)
        elif question.type == AnswerType.DATE:
            assert isinstance(focused(), QDateEdit)
            press(qtbot, Qt.Key.Key_Up)
        elif question.type == AnswerType.INTEGER:
            assert isinstance(focused(), QSpinBox)
            press(qtbot, Qt.Key.Key_Up, times=13)
        elif question.type == AnswerType.TEXT:
            qtbot.keyClicks(focused(), "Millbrook PD and Millbrook USD")
        press(qtbot, Qt.Key.Key_Return)


def test_keyboard_only_interview_of_a_compliant_program_reaches_ready(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    assert window.current_page == PROFILE
    compliant_people(window.session)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # Alt+N: first question page
    assert window.current_page == window.session.pages[0].id
    answer_by_keys(qtbot, window)
    assert window.current_page == REVIEW
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert window.current_page == READINESS
    readiness = window.session.readiness
    assert readiness.complete, (readiness.answered, readiness.total)
    assert readiness.verdict == "ready", [r.standard.id for r in readiness.mandatory_gaps]
    qtbot.waitUntil(lambda: "✔ Ready" in window.sidebar.item(len(window.sections) - 1).text())
    # every answer reached the file
    saved = store.load_assessment(window.session.assessment_id)
    asked = {q.id for q in window.session.form.visible_questions(saved.answers)
             if q.section != "profile"}
    assert saved.answers.keys() >= asked
    assert {k: saved.answers[k].value for k in asked} == {
        k: window.session.assessment.answers[k].value for k in asked}


def test_missing_one_mandatory_mou_topic_is_not_ready_with_that_gap(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    compliant_people(window.session)
    discipline = [q.id for q in window.session.form.questions_for(DISCIPLINE)]
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    answer_by_keys(qtbot, window, not_met={discipline[0]})
    readiness = window.session.readiness
    assert readiness.complete
    assert readiness.verdict == "not_ready"
    assert [r.standard.id for r in readiness.mandatory_gaps] == [DISCIPLINE]
    window.go_to(READINESS)
    page = window.pages[READINESS]
    title = window.session.form.standard(DISCIPLINE).title
    texts = " ".join(w.text() for w in page.findChildren(type(window.position)))
    assert "Not ready" in texts
    model_texts = []
    from PySide6.QtWidgets import QAbstractItemView

    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                model_texts.append(str(model.index(row, column).data()))
    assert any(title in text for text in model_texts + [texts])
