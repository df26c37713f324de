"""The window's half of the answer-type registry: for each answer type, the control a question of
that type is answered with. The domain's half is `ANSWER_TYPES` in domain/answer_types.py
(parse, validate, normalise, describe, answered?); `EDITORS` here has one row per type too, and
tests/test_editors.py fails when a type has a domain row and no editor.

`EDITORS[question.type](block, layout)` builds the control inside a `QuestionBlock`
(ui/question_block.py, an `AnswerHost`), adds it to the block's layout and connects it: a
value the user gives goes to `block.answer_given(value)` (the session normalises it with the
type's row), Enter to `block.advance`. After that the block only asks the editor to show a stored value
(`set_value`), what it shows (`value`), to take the keyboard (`focus`), to take what was typed
when Enter is pressed in its field (`enter_field` / `take_typed`) and to fit a width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from nasro_desktop.domain.dates import parse_date
from nasro_desktop.domain.model import AnswerType, Question
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.widgets import (
    AnswerChooser,
    OptionalDateEdit,
    OptionalNumberEdit,
    fit_chooser,
    status_options,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from nasro_desktop.session import Session


class AnswerHost(QFrame):
    """What an editor is built in and talks to: a question's block (`QuestionBlock`,
    ui/question_block.py, derives from it), with its question and session, where an answer
    the user gives goes (`answer_given`), and Enter's and the Profile button's signals."""

    advance = Signal()  # Enter pressed: move to the next question
    profile_requested = Signal()
    question: Question
    session: Session

    def answer_given(self, value: object) -> None:
        raise NotImplementedError

    def enter_on_answers(self) -> None:
        raise NotImplementedError


class AnswerEditor:
    """One question's answer control: the base of each row of `EDITORS` (it has none)."""

    # A picked value may need a written reason (Not applicable, Met another way): the block
    # then shows its reason field.
    asks_reason: ClassVar[bool] = False

    def __init__(self, block: AnswerHost, layout: QVBoxLayout) -> None:
        self.question = block.question

    def value(self) -> object:
        """What the control shows, as the session takes it (None: nothing)."""
        return None

    def set_value(self, value: object) -> None:
        """Show a stored value (`Answer.value`, None when unanswered) without telling the block;
        a control already showing it is left alone (the user's cursor stays)."""

    def focus(self) -> bool:
        """Put the keyboard on the control; False when it has nothing to focus."""
        return False

    def enter_field(self) -> QWidget | None:
        """The field whose Enter takes what was typed and moves on (the block filters it)."""
        return None

    def take_typed(self) -> None:
        """Enter in `enter_field`: take what was typed now (two-digit years too)."""

    def fit_width(self, width: int) -> None:
        """Fit the control in `width` pixels."""


class ChooserEditor(AnswerEditor):
    """Answer buttons (radio buttons: number keys pick, arrows move and pick, Enter moves on
    without picking)."""

    asks_reason = True
    side_by_side: ClassVar[int | None] = None  # at most this many answers in a row (None: all)

    def options(self) -> list[tuple[str, str]]:
        """(stored value, words) for each answer offered."""
        raise NotImplementedError

    def __init__(self, block: AnswerHost, layout: QVBoxLayout) -> None:
        super().__init__(block, layout)
        options = self.options()
        self.horizontal = self.side_by_side is None or len(options) <= self.side_by_side
        self.chooser = AnswerChooser(options, name=self.question.text,
                                     description=f"Keys 1 to {min(9, len(options))}, the "
                                     "arrow keys or Space pick an answer; Enter moves on.",
                                     horizontal=self.horizontal, parent=block)
        self.chooser.chosen.connect(block.answer_given)
        self.chooser.advance.connect(block.enter_on_answers)
        layout.addWidget(self.chooser)

    def value(self) -> object:
        return self.chooser.value()

    def set_value(self, value: object) -> None:
        self.chooser.set_value(value if isinstance(value, str) else None)

    def focus(self) -> bool:
        self.chooser.focus_answer()
        return True

    def fit_width(self, width: int) -> None:
        """Answers side by side when they fit, else one under the other (large text on a small
        screen), so no answer is ever cut off at the right."""
        if self.horizontal:
            fit_chooser(self.chooser, width)


class StatusEditor(ChooserEditor):
    """Yes / Partly / No / Not sure, Met another way (not for an observation), Not applicable
    (where the question allows it)."""

    def options(self) -> list[tuple[str, str]]:
        return status_options(self.question.na_allowed, self.question.offers_alternate)


class YesNoEditor(ChooserEditor):
    def options(self) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No")]


class OptionsEditor(ChooserEditor):
    """The question's own options; more than four go one under the other."""

    side_by_side = 4

    def options(self) -> list[tuple[str, str]]:
        return [(o, o.replace("_", " ").strip().capitalize()) for o in self.question.options]


class DateEditor(AnswerEditor):
    """A date typed as people type it, or a calendar (ui/widgets.py OptionalDateEdit); Up /
    Down start from the assessment's as-of date."""

    def __init__(self, block: AnswerHost, layout: QVBoxLayout) -> None:
        super().__init__(block, layout)
        self.session = block.session
        self.date_edit = OptionalDateEdit(block, default_date=self.session.assessment.as_of,
                                          name=self.question.text)
        self.date_edit.value_changed.connect(block.answer_given)
        self.date_edit.setMaximumWidth(520)
        layout.addWidget(self.date_edit)

    def value(self) -> object:
        return self.date_edit.date_value()

    def set_value(self, value: object) -> None:
        self.date_edit.default_date = self.session.assessment.as_of
        if self.date_edit.date_value() != parse_date(value):
            self.date_edit.set_date_value(parse_date(value))

    def focus(self) -> bool:
        self.date_edit.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def enter_field(self) -> QWidget | None:
        return self.date_edit.line

    def take_typed(self) -> None:
        self.date_edit.interpretText()


class NumberEditor(AnswerEditor):
    """A whole number of zero or more, or "Not set"."""

    def __init__(self, block: AnswerHost, layout: QVBoxLayout) -> None:
        super().__init__(block, layout)
        self.number_edit = OptionalNumberEdit(block, name=self.question.text)
        self.number_edit.value_changed.connect(block.answer_given)
        self.number_edit.setMaximumWidth(160)
        layout.addWidget(self.number_edit)

    def value(self) -> object:
        return self.number_edit.number()

    def set_value(self, value: object) -> None:
        if self.number_edit.number() != value:
            self.number_edit.set_number(value if isinstance(value, int) else None)

    def focus(self) -> bool:
        self.number_edit.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def enter_field(self) -> QWidget | None:
        return self.number_edit

    def take_typed(self) -> None:
        self.number_edit.interpretText()


class TextEditor(AnswerEditor):
    """One line of text, saved as it is typed; Enter moves on."""

    def __init__(self, block: AnswerHost, layout: QVBoxLayout) -> None:
        super().__init__(block, layout)
        self.text_edit = QLineEdit(block)
        self.text_edit.setAccessibleName(self.question.text)
        self.text_edit.setAccessibleDescription("Type your answer; it is saved as you type.")
        self.text_edit.textEdited.connect(block.answer_given)
        self.text_edit.returnPressed.connect(block.advance)
        layout.addWidget(self.text_edit)

    def value(self) -> object:
        return self.text_edit.text()

    def set_value(self, value: object) -> None:
        if self.text_edit.text() != (value or ""):
            self.text_edit.setText(str(value or ""))

    def focus(self) -> bool:
        self.text_edit.setFocus(Qt.FocusReason.TabFocusReason)
        return True


class ProfileTableEditor(AnswerEditor):
    """Officers and schools are answered by the Profile page's tables: a way there."""

    def __init__(self, block: AnswerHost, layout: QVBoxLayout) -> None:
        super().__init__(block, layout)
        row = QHBoxLayout()
        row.addWidget(wrap_label("This is answered by the tables on the Profile page.",
                                 None, block), 1)
        button = QPushButton("Open the Profile page", block)
        button.setAccessibleDescription("Shows the officer and school tables.")
        button.clicked.connect(block.profile_requested)
        row.addWidget(button)
        layout.addLayout(row)


# One row per answer type (domain/answer_types.py ANSWER_TYPES has the other half).
EDITORS: dict[AnswerType, Callable[[AnswerHost, QVBoxLayout], AnswerEditor]] = {
    AnswerType.STATUS: StatusEditor,
    AnswerType.YESNO: YesNoEditor,
    AnswerType.CHOICE: OptionsEditor,
    AnswerType.DATE: DateEditor,
    AnswerType.INTEGER: NumberEditor,
    AnswerType.TEXT: TextEditor,
    AnswerType.OFFICERS: ProfileTableEditor,
    AnswerType.SCHOOLS: ProfileTableEditor,
}
