"""One word per idea (issue 22): "Mandatory" and "Recommended" for NASRO's classes, "Assessment
date" for the date answers are judged as of, on every page of the window; the element "(c,
interviews)" (was "(c (interviews))"); the example line once per page; the unclassed MOU item
explained in a sentence; Next the one primary action on a question page; dialogs without stock
icons and wide enough for their titles. Pages opened with the sidebar's shortcuts and clicks."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QLabel
from ui_support import make_window

from nasro_desktop.ui.navigation import HOME, PROFILE, READINESS, REVIEW
from nasro_desktop.ui.question_block import MOU_UNCLASSED_NOTE

OLD_WORDS = re.compile(r"\bRequired\b(?! when)|required item|Best[- ]practice|Dates judged|"
                       r"as-of date")


def _texts(widget) -> list[str]:
    found = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if child.isVisibleTo(widget) and child.text():
            found.append(child.text())
    return found


def test_the_window_says_mandatory_recommended_and_assessment_date(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    seen = []
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_6, Qt.Key.Key_7):  # Go > a section
        qtbot.keyClick(QApplication.focusWidget() or window, key,
                       Qt.KeyboardModifier.ControlModifier)
        page = window.workspace.pages[window.current_page]
        seen += [(window.current_page, t) for t in _texts(page)]
    for page_id in (HOME, PROFILE, REVIEW, READINESS, window.session.pages[3].id):
        window.go_to(page_id)
        seen += [(page_id, t) for t in _texts(window.workspace.pages[page_id])]
    old = [(p, t) for p, t in seen if OLD_WORDS.search(t)]
    assert old == []
    readiness = _texts(window.workspace.pages[READINESS])
    assert any(t.startswith("Mandatory standards met:") for t in readiness)
    assert any(t.startswith("Recommended score:") for t in readiness)
    assert any(t.startswith("Assessment date:") for t in readiness)
    assert "Assessment date:" in _texts(window.workspace.pages[PROFILE])


def test_elements_examples_and_the_unclassed_mou(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    session = window.session
    noted = next(q for q in session.form.questions if " (" in q.element)
    window.workspace.jump_to_question(noted.id)
    block = window.workspace.pages[window.current_page].block_for(noted.id)
    assert block.text_label.text().startswith(
        "(" + noted.element.replace(" (", ", ").rstrip(")") + ") ")
    assert "((" not in block.text_label.text() and "))" not in block.text_label.text()
    # a page with several examples says what "◇" means once
    spec = next(p for p in session.pages if sum(
        session.form.question(q).observation and session.form.question(q).is_visible(
            session.assessment.answers) for q in p.question_ids) >= 2)
    window.go_to(spec.id)
    page = window.workspace.pages[spec.id]
    notes = [b for b in page.visible_blocks() if b.observation_note is not None
             and b.observation_note.isVisible()]
    examples = [b for b in page.visible_blocks() if b.question.observation]
    assert len(notes) == 1 and len(examples) >= 2
    assert all(b.text_label.text().startswith("◇ ") for b in examples)
    # the signed MOU: no class, said plainly
    mou = next(p for p in session.pages if p.standard_id == "01.01.04")
    window.go_to(mou.id)
    assert window.workspace.pages[mou.id].help.class_note.text() == MOU_UNCLASSED_NOTE


def test_next_is_the_one_primary_action_on_a_question_page(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(window.session.pages[2].id)
    assert window.workspace.next_button.property("primary")
    page = window.workspace.pages[window.current_page]
    assert not [b for b in page.findChildren(QAbstractButton) if b.property("primary")]
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier)  # Home has its own
    assert window.current_page == HOME
    assert not window.workspace.next_button.property("primary")
    assert window.workspace.pages[HOME].primary.property("primary")


def test_the_add_school_dialog_has_no_stock_icons_and_fits_its_title(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(PROFILE)
    seen: dict = {}

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        box = dialog.findChild(QDialogButtonBox)
        seen["icons"] = [b.text() for b in box.buttons() if not b.icon().isNull()]
        title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
        seen["wide"] = dialog.width() >= title + 150
        seen["title"] = dialog.windowTitle()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(200, in_dialog)
    qtbot.mouseClick(window.workspace.pages[PROFILE].schools.add_button, Qt.MouseButton.LeftButton)
    assert seen == {"icons": [], "wide": True, "title": "Add a school"}
