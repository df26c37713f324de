"""The window's half of the answer-type registry (ui/editors.py): every answer type has an
editor, and each editor shows a stored value, gives it back as the session stores it, takes the
keyboard, and hands what a person types to the session."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from nasro_desktop.domain.answer_types import ANSWER_TYPES
from nasro_desktop.domain.model import AnswerType, Question
from nasro_desktop.session import Session, normalize_value
from nasro_desktop.ui.editors import EDITORS
from nasro_desktop.ui.question_block import QuestionBlock

AS_OF = date(2026, 3, 1)
# A stored value (Answer.value) for each type; the Profile's tables hold no value.
STORED = {
    AnswerType.STATUS: "partly",
    AnswerType.YESNO: "no",
    AnswerType.DATE: "2024-08-15",
    AnswerType.INTEGER: 7,
    AnswerType.TEXT: "Chief Ruiz and Principal Lee",
    AnswerType.CHOICE: "drafting",
    AnswerType.OFFICERS: None,
    AnswerType.SCHOOLS: None,
}


def test_every_answer_type_has_an_editor():
    """A type given a row in the domain's table (ANSWER_TYPES) and no editor fails here."""
    missing = sorted(set(ANSWER_TYPES) - set(EDITORS))
    assert not missing, f"no editor for {missing}: add its row to EDITORS in ui/editors.py"
    assert set(EDITORS) == set(ANSWER_TYPES)
    assert set(STORED) == set(ANSWER_TYPES)  # and a value for it in this test


@pytest.fixture
def session(store) -> Session:
    return Session.create(store, agency="Oak Hill Police", district="Oak Hill Schools",
                          prepared_by="Chief Ruiz", as_of=AS_OF)


def block_for(qtbot, session: Session, question: Question) -> QuestionBlock:
    block = QuestionBlock(question, session)
    qtbot.addWidget(block)
    block.resize(900, 400)
    block.show()
    qtbot.waitExposed(block)
    return block


@pytest.mark.parametrize("kind", list(AnswerType))
def test_each_editor_shows_a_stored_value_and_gives_it_back(qtbot, session, kind):
    question = Question(id="x.editor", section="s", type=kind, text="How is it done here?",
                        options=("signed", "drafting"), na_allowed=True)
    block = block_for(qtbot, session, question)
    editor = block.editor
    assert normalize_value(kind, editor.value()) is None  # unanswered: nothing shown
    editor.set_value(STORED[kind])
    assert normalize_value(kind, editor.value()) == STORED[kind]
    editor.set_value(None)
    assert normalize_value(kind, editor.value()) is None

    block.focus_answer()  # the keyboard lands in the answer (the note when there is none)
    qtbot.waitUntil(lambda: block.focusWidget() is not None)
    focused = block.focusWidget()
    if STORED[kind] is None:
        assert focused is block.note
    else:
        assert focused is not block.note
        named = focused.accessibleName() or focused.parentWidget().accessibleName()
        assert named  # a screen reader names the control it is on


def test_typed_text_and_a_typed_number_reach_the_session_and_enter_moves_on(qtbot, session):
    moved: list[str] = []
    text_block = block_for(qtbot, session, session.form.question("mou.parties"))
    text_block.advance.connect(lambda: moved.append("text"))
    field = text_block.editor.text_edit
    assert field.accessibleName() == text_block.question.text
    qtbot.keyClicks(field, "Oak Hill Police and Oak Hill Schools")
    assert session.value("mou.parties") == "Oak Hill Police and Oak Hill Schools"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert moved == ["text"]

    number_block = block_for(qtbot, session, session.form.question("sel.probation.months"))
    number_block.advance.connect(lambda: moved.append("number"))
    spin = number_block.editor.number_edit
    spin.selectAll()
    qtbot.keyClicks(spin, "12")
    qtbot.keyClick(spin, Qt.Key.Key_Return)  # the block's filter: take it, then move on
    assert session.value("sel.probation.months") == 12
    assert moved == ["text", "number"]
    session.set_answer("sel.probation.months", value=9)  # drawn again from the session
    number_block.refresh()
    assert spin.number() == 9


def test_a_chosen_status_that_needs_a_reason_opens_the_reason_field(qtbot, session):
    question = next(q for q in session.form.questions
                    if q.type is AnswerType.STATUS and q.na_allowed)
    block = block_for(qtbot, session, question)
    assert block.na_reason.isHidden()
    block.chooser.button("na").click()
    assert session.value(question.id) == "na"
    assert block.na_reason.isVisible() and block.focusWidget() is block.na_reason
    text = block_for(qtbot, session, session.form.question("mou.parties"))
    qtbot.keyClicks(text.editor.text_edit, "na")  # typed text is only text: no reason asked
    assert text.na_reason.isHidden()
    text.refresh()  # nor when the page is drawn again (Back, Next, a jump): it showed then
    assert text.na_reason.isHidden() and text.na_message.isHidden()
