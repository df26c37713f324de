"""One question on an interview page (its answer editor, note, reason and flag) and the help
panel beside the questions; ui/interview_page.py lays the page out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QRectF, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.answer_types import explanation_problem
from nasro_desktop.domain.entries import InvalidEntry
from nasro_desktop.domain.model import AnswerType, Question, StandardClass
from nasro_desktop.session import Session
from nasro_desktop.store import StoreError
from nasro_desktop.ui.editors import EDITORS, AnswerEditor, AnswerHost, ChooserEditor, DateEditor
from nasro_desktop.ui.labels import element_tag, wrap_label
from nasro_desktop.ui.style import focus_colour, frame, indicators
from nasro_desktop.ui.widgets import AnswerChooser, ClassBadge, OptionalDateEdit

HELP_WIDTH = 340
# Below this page width the help panel folds under the questions instead of beside them.
NARROW_PAGE = 820
HIGHLIGHT_MS = 4000


def save_answer(owner: QWidget, session: Session, question_id: str, message: QLabel,
                **parts: Any) -> bool:
    """Save a part of one answer as the user gave it (a question block, a checklist row). An
    entry the question refuses says why in `message`; a store that can't take it (not a full
    disk or a busy file: those are kept and retried) says what to do in a message box. False
    when it was refused."""
    try:
        session.set_answer(question_id, **parts)
    except InvalidEntry as problem:
        message.setText(f"✘ {problem}")
        message.show()
        return False
    except StoreError as problem:
        QMessageBox.warning(owner, "Could not save this answer", str(problem))
        return False
    return True


class GrowingNote(QPlainTextEdit):
    """A multi-line note that grows with its text (two lines empty, up to about ten, then it
    scrolls). Tab moves on, as in every other field; Enter starts a new line."""

    text_edited = Signal(str)  # typed by the user (not set by the program)
    MIN_LINES = 2
    MAX_LINES = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(lambda: self.text_edited.emit(self.toPlainText()))
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 (QLineEdit's name)
        with QSignalBlocker(self):  # set by the program: no text_edited
            self.setPlainText(text)

    @Slot()
    def _fit(self, *_args) -> None:
        fm = self.fontMetrics()
        lines = max(self.MIN_LINES, min(self.MAX_LINES, self.document().lineCount()))
        margins = self.contentsMargins()
        height = (lines * fm.lineSpacing() + 2 * int(self.document().documentMargin())
                  + margins.top() + margins.bottom() + 2)
        if self.height() != height:
            self.setFixedHeight(height)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit()


# label, placeholder, message when empty: for each answer that needs a written reason
_REASON_WORDS = {
    "na": (
        "Why it does not apply (required; printed in the report):",
        "Why does this not apply to your program? (required)",
        "✘ Please say why this does not apply; the report prints your reason.",
    ),
    "alternate": (
        "How you meet it another way (required; printed beside the standard):",
        "What do you do instead, and how does it achieve the same? (required)",
        "✘ Please describe the practice you use instead; the board reads it in the report.",
    ),
}


class QuestionBlock(AnswerHost):
    """A question in large type, its answer control, Not-applicable reason, note and flag
    (`advance` and `profile_requested`: see AnswerHost)."""

    def __init__(self, question: Question, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.session = session
        frame(self, "question")
        self.setAccessibleName(f"Question {question.id}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)

        self.text_label = wrap_label("", "question", self)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.text_label)
        self.reconfirm_label = wrap_label(
            "↻ Carried over from last year's assessment: please check it is still true and "
            "answer again.", "subtle", self)
        self.reconfirm_label.hide()
        layout.addWidget(self.reconfirm_label)
        # an example question is marked "◇" before its text; what the mark means is said once
        # per page, under the first one (the page decides: show_observation_note)
        self.observation_note = None
        if question.observation:
            self.observation_note = wrap_label(
                "◇ An example from the standard, not a requirement: your answer is printed as "
                "an observation and never decides whether the standard is met. Each question "
                "marked ◇ on this page is one.", "subtle", self)
            self.observation_note.setAccessibleName("Example, not scored")
            layout.addWidget(self.observation_note)

        # the answer control of the question's type (ui/editors.py), built and connected
        self.editor: AnswerEditor = EDITORS[question.type](self, layout)

        self.na_reason = QLineEdit(self)  # worded for the answer picked: _show_reason
        self.na_reason.setAccessibleDescription("Required when you answer Not applicable.")
        self.na_reason.textEdited.connect(self._on_na_reason)
        self.na_reason.returnPressed.connect(self.enter_on_answers)
        self.na_message = wrap_label("", "subtle", self)
        self.na_label = wrap_label("", "subtle", self)
        self.na_label.setBuddy(self.na_reason)
        layout.addWidget(self.na_label)
        layout.addWidget(self.na_reason)
        layout.addWidget(self.na_message)

        self.jumped_label = wrap_label("➜ You are here", "subtle", self)
        self.jumped_label.hide()
        layout.insertWidget(0, self.jumped_label)
        bottom = QHBoxLayout()
        self.note = GrowingNote(self)
        self.note.setPlaceholderText("Note (optional): where the evidence is, who to ask… "
                                     "(Enter: new line; Tab: move on)")
        self.note.setAccessibleName("Note")
        self.note.setAccessibleDescription("Your own note on this question, on as many lines "
                                           "as you like; saved as you type.")
        self.note.text_edited.connect(lambda text: self._set(note=text))
        bottom.addWidget(self.note, 1)
        self.flag = QCheckBox("Mark for review", self)
        self.flag.setAccessibleName("Mark for review")
        self.flag.setAccessibleDescription("Lists this question under Flagged on the Review page.")
        self.flag.toggled.connect(lambda checked: self._set(flagged=checked))
        indicators(self.flag)
        bottom.addWidget(self.flag, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(bottom)
        enter_field = self.editor.enter_field()
        if enter_field is not None:
            enter_field.installEventFilter(self)  # Enter there moves on
        self.refresh()

    @property
    def chooser(self) -> AnswerChooser | None:
        """The answer buttons of a status, yes / no or choice question; else None."""
        return self.editor.chooser if isinstance(self.editor, ChooserEditor) else None

    @property
    def date_edit(self) -> OptionalDateEdit | None:
        """The date field of a date question; else None."""
        return self.editor.date_edit if isinstance(self.editor, DateEditor) else None

    # -- drawing from the session ----------------------------------------------------------

    def refresh(self) -> None:
        answers = self.session.assessment.answers
        question = self.question
        text = question.text_for(answers)
        if question.element:
            text = f"{element_tag(question.element)} {text}"
        if question.observation:
            text = f"◇ {text}"
            self.text_label.setAccessibleDescription("An example, not scored.")
        self.text_label.setText(text)
        answer = answers.get(question.id)
        value = None if answer is None else answer.value
        self.reconfirm_label.setVisible(bool(answer and answer.reconfirm))
        self.editor.set_value(value)
        note = answer.note if answer else ""
        if self.note.text() != note:
            self.note.setText(note)
        with QSignalBlocker(self.flag):
            self.flag.setChecked(bool(answer and answer.flagged))
        reason = answer.na_reason if answer else ""
        if self.na_reason.text() != reason:
            self.na_reason.setText(reason)
        self._show_reason(value)

    def _show_reason(self, value: object) -> bool:
        """The reason field when a picked answer needs one, with what it still needs: the one
        field serves Not applicable and Met another way, worded for each (a typed text "na"
        is only text). True when it is shown."""
        needs_reason = self.editor.asks_reason and value in _REASON_WORDS
        label, placeholder = _REASON_WORDS.get(str(value), _REASON_WORDS["na"])[:2]
        self.na_label.setText(label)
        self.na_reason.setPlaceholderText(placeholder)
        self.na_reason.setAccessibleName(label.split(" (")[0])
        self.na_label.setVisible(needs_reason)
        self.na_reason.setVisible(needs_reason)
        self._say_reason_problem(value, needs_reason)
        return needs_reason

    def fit_width(self, width: int) -> None:
        """Answers side by side when they fit in `width`, else one under the other (large
        text on a small screen), so no answer is ever cut off at the right."""
        self.editor.fit_width(width)

    def set_highlighted(self, on: bool) -> None:
        """The question a jump landed on: a thick outline, a tint and a "➜" line in words (its
        page's timer, which takes it off, dies with the block: QTimer.singleShot's context)."""
        self.setProperty("highlighted", on)
        self.jumped_label.setVisible(on)
        self.setLineWidth(3 if on else 1)
        self.setFrameShape(QFrame.Shape.Box if on else QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(on)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase if on
                               else QPalette.ColorRole.Window)

    def set_focus_frame(self, on: bool) -> None:
        """The question holding the keyboard: a thick frame in the highlight colour (drawn in
        paintEvent) and a "Now answering" line for screen readers and the colour-blind."""
        if bool(self.property("focusFrame")) != on:
            self.setProperty("focusFrame", on)
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        if self.property("focusFrame"):
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(focus_colour(self.palette()), 3)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4)
            painter.end()

    def focus_answer(self) -> None:
        if not self.editor.focus():  # nothing to answer here (a Profile table): the note
            self.note.setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and watched is self.editor.enter_field()):
            self.editor.take_typed()  # take what was typed, then move on
            self.advance.emit()
            return True
        return super().eventFilter(watched, event)

    # -- edits -----------------------------------------------------------------------------

    def _set(self, **parts) -> None:
        save_answer(self, self.session, self.question.id, self.na_message, **parts)

    @Slot(object)
    def answer_given(self, value: object) -> None:
        """A value the user gave in the answer control (ui/editors.py connects it here). An
        answer that needs a reason shows the reason field; picked by a click or Space the
        keyboard goes there (picked by the arrow keys it stays on the answers, so the arrows
        can go on past it)."""
        self._set(value=value)
        chooser = self.chooser
        if self._show_reason(value) and not (chooser is not None and chooser.picked_by_arrow):
            self.na_reason.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def enter_on_answers(self) -> None:
        """Enter on the answer buttons or in the reason field: move on, never answering for
        the user. An answer that still needs its reason stops in the reason field instead,
        which says what it needs."""
        if self.chooser is not None and self.chooser.value() in _REASON_WORDS \
                and self._say_reason_problem(self.chooser.value(), True):
            self.na_reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.advance.emit()

    @Slot(str)
    def _on_na_reason(self, text: str) -> None:
        self._set(na_reason=text)
        value = self.chooser.value() if self.chooser is not None else "na"
        # while typing, only an empty reason is pointed out; a too-short explanation is said
        # when the user moves on (Enter) or comes back to the question
        self._say_reason_problem(value, True, typing=True)

    def _say_reason_problem(self, value: object, shown: bool, *, typing: bool = False) -> bool:
        """Show under the reason field what it still needs (empty; or, for Met another way, an
        explanation too short for the board to read: it would not count); True if anything."""
        text = self.na_reason.text()
        words = _REASON_WORDS.get(str(value), _REASON_WORDS["na"])
        problem = "" if text.strip() else words[2]
        if not problem and str(value) == "alternate" and not typing:
            found = explanation_problem(text)
            problem = f"✘ {found}. Until then this answer does not count." if found else ""
        self.na_message.setText(problem or words[2])
        self.na_message.setVisible(shown and bool(problem))
        return bool(problem)

# Why a standard without a class shows no Mandatory or Recommended, in a chief's words
UNCLASSED_NOTE = (
    "NASRO's standards do not mark this item Mandatory or Recommended. So the app asks about "
    "it and prints your answer, but it cannot make your program “Not ready” on its own.")
MOU_UNCLASSED_NOTE = (
    "NASRO's standards say a program should have a signed MOU, but they do not mark this item "
    "Mandatory or Recommended. So the app asks about it and prints your answer, but it cannot "
    "make your program “Not ready” on its own. The MOU's topics on the next pages are marked, "
    "and most are Mandatory: those do count.")


class HelpPanel(QFrame):
    """The standard's number, its class in words, why the question matters and the evidence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame(self, "help")
        self.setFixedWidth(HELP_WIDTH)
        self.setAccessibleName("Help")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        self.number = wrap_label("", "heading", self)
        self.badge = ClassBadge(parent=self)
        self.badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.class_note = wrap_label("", "subtle", self)
        self.owner = wrap_label("", "subtle", self)
        self.why_title = wrap_label("Why it matters", "heading", self)
        self.why = wrap_label("", None, self)
        self.evidence_title = wrap_label("What counts as evidence", "heading", self)
        self.evidence = wrap_label("", None, self)
        self.na = wrap_label("", "subtle", self)
        for widget in (self.number, self.badge, self.class_note, self.owner, self.why_title,
                       self.why, self.evidence_title, self.evidence, self.na):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_standard(self, standard) -> None:
        if standard is None:
            self.number.setText("About this section")
            self.badge.hide()
            self.class_note.hide()
            self.owner.hide()
            return
        self.number.setText(f"Standard {standard.number}")
        self.badge.set_class(standard.cls)
        self.badge.show()
        note = standard.class_note
        if StandardClass(standard.cls) is StandardClass.UNCLASSIFIED:
            # in a chief's words, not the standard's bookkeeping
            note = MOU_UNCLASSED_NOTE if standard.id == "01.01.04" else UNCLASSED_NOTE
        self.class_note.setText(note)
        self.class_note.setVisible(bool(note))

        self.owner.setText(f"Who usually fixes a gap here: {standard.owner.label}")
        self.owner.setToolTip("Who usually does what this standard asks: the police agency, "
                              "the school district, or both together.")
        self.owner.show()
        explanation = StandardClass(standard.cls).explanation
        self.badge.setToolTip(explanation)
        self.badge.setAccessibleDescription(explanation)

    def show_question(self, question: Question | None,
                      others_with_na: tuple[str, ...] = ()) -> None:
        """Help for one question; `others_with_na` names the other questions on the page
        that do offer Not applicable (so the panel never says it is offered nowhere)."""
        why = question.help_why if question else ""
        evidence = question.help_evidence if question else ""
        self.why.setText(why)
        self.evidence.setText(evidence)
        for widget, text in ((self.why, why), (self.why_title, why),
                             (self.evidence, evidence), (self.evidence_title, evidence)):
            widget.setVisible(bool(text))
        na = ""
        if question is not None and question.type == AnswerType.STATUS:
            if question.na_allowed:
                na = ("Not applicable: this question offers it, with a reason. "
                      + question.na_note)
            elif question.na_note or others_with_na:
                na = "Not applicable is not offered for this question"
                na += f": {question.na_note}" if question.na_note else "."
                if others_with_na:
                    na += (" On this page it is offered for "
                           + ", ".join(others_with_na) + ".")
        self.na.setText(na.strip())
        self.na.setVisible(bool(na))

