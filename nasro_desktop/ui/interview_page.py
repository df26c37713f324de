"""One interview page: the questions of one standard, a help panel, and live profile findings.

Every edit goes straight to the session (which saves it at once). Pages never hold answers of
their own: `refresh()` redraws from the session, so Back / Next / jumps can never lose anything.
Questions whose condition is false are hidden; their answers stay saved.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.dates import long_date, parse_date
from nasro_desktop.domain.model import AnswerType, Question
from nasro_desktop.session import InvalidEntry, PageSpec, Session
from nasro_desktop.ui.style import frame
from nasro_desktop.ui.widgets import (
    AnswerChooser,
    ClassBadge,
    OptionalDateEdit,
    OptionalNumberEdit,
    status_options,
    wrap_label,
)

HELP_WIDTH = 340
# Below this page width the help panel folds under the questions instead of beside them.
NARROW_PAGE = 820
HIGHLIGHT_MS = 4000


class GrowingNote(QPlainTextEdit):
    """A multi-line note that grows with its text (two lines empty, up to about ten, then it
    scrolls). Tab moves on, as in every other field; Enter starts a new line."""

    text_edited = Signal(str)  # typed by the user (not set by the program)
    MIN_LINES = 2
    MAX_LINES = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._setting = False
        self.textChanged.connect(self._changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 (QLineEdit's name)
        self._setting = True
        try:
            self.setPlainText(text)
        finally:
            self._setting = False

    @Slot()
    def _changed(self) -> None:
        if not self._setting:
            self.text_edited.emit(self.toPlainText())

    @Slot()
    def _fit(self, *_args) -> None:
        fm = self.fontMetrics()
        lines = 0
        block = self.document().begin()
        while block.isValid():
            layout = block.layout()
            lines += max(1, layout.lineCount() if layout is not None else 1)
            block = block.next()
        lines = max(self.MIN_LINES, min(self.MAX_LINES, lines))
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


def _choice_label(option: str) -> str:
    return option.replace("_", " ").strip().capitalize()


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


class QuestionBlock(QFrame):
    """A question in large type, its answer control, Not-applicable reason, note and flag."""

    advance = Signal()  # Enter pressed: move to the next question
    profile_requested = Signal()

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
        if question.observation:
            observation = wrap_label(
                "◇ An example from the standard, not a requirement: your answer is printed as "
                "an observation and never decides whether the standard is met.", "subtle", self)
            observation.setAccessibleName("Example, not scored")
            layout.addWidget(observation)

        self.chooser: AnswerChooser | None = None
        self.date_edit: OptionalDateEdit | None = None
        self.number_edit: OptionalNumberEdit | None = None
        self.text_edit: QLineEdit | None = None
        kind = question.type
        if kind in (AnswerType.STATUS, AnswerType.YESNO, AnswerType.CHOICE):
            if kind == AnswerType.STATUS:
                options = status_options(question.na_allowed, not question.observation)
            elif kind == AnswerType.YESNO:
                options = [("yes", "Yes"), ("no", "No")]
            else:
                options = [(o, _choice_label(o)) for o in question.options]
            self.chooser = AnswerChooser(options, name=question.text,
                                         description="Use the arrow keys to pick an answer; "
                                         "Enter moves on.",
                                         horizontal=kind != AnswerType.CHOICE
                                         or len(options) <= 4, parent=self)
            self._horizontal_chooser = kind != AnswerType.CHOICE or len(options) <= 4
            self.chooser.chosen.connect(self._on_chosen)
            self.chooser.advance.connect(self.advance)
            layout.addWidget(self.chooser)
        elif kind == AnswerType.DATE:
            self.date_edit = OptionalDateEdit(self, default_date=session.assessment.as_of,
                                              name=question.text)
            self.date_edit.value_changed.connect(self._on_date)
            self.date_edit.setMaximumWidth(520)
            layout.addWidget(self.date_edit)
        elif kind == AnswerType.INTEGER:
            self.number_edit = OptionalNumberEdit(self, name=question.text)
            self.number_edit.value_changed.connect(self._on_number)
            self.number_edit.setMaximumWidth(160)
            layout.addWidget(self.number_edit)
        elif kind == AnswerType.TEXT:
            self.text_edit = QLineEdit(self)
            self.text_edit.setAccessibleName(question.text)
            self.text_edit.setAccessibleDescription("Type your answer; it is saved as you type.")
            self.text_edit.textEdited.connect(self._on_text)
            self.text_edit.returnPressed.connect(self.advance)
            layout.addWidget(self.text_edit)
        else:  # officers / schools: captured in the Profile tables
            row = QHBoxLayout()
            row.addWidget(wrap_label("This is answered by the tables on the Profile page.",
                                     None, self), 1)
            button = QPushButton("Open the Profile page", self)
            button.setAccessibleDescription("Shows the officer and school tables.")
            button.clicked.connect(self.profile_requested)
            row.addWidget(button)
            layout.addLayout(row)

        self.na_reason = QLineEdit(self)
        self.na_reason.setPlaceholderText("Why does this not apply to your program? (required)")
        self.na_reason.setAccessibleName("Reason it does not apply")
        self.na_reason.setAccessibleDescription("Required when you answer Not applicable.")
        self.na_reason.textEdited.connect(self._on_na_reason)
        self.na_reason.returnPressed.connect(self.advance)
        self.na_message = wrap_label("", "subtle", self)
        self.na_label = wrap_label("Why it does not apply (required; printed in the report):",
                                   "subtle", self)
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
        self.note.text_edited.connect(self._on_note)
        bottom.addWidget(self.note, 1)
        self.flag = QCheckBox("Mark for review", self)
        self.flag.setAccessibleName("Mark for review")
        self.flag.setAccessibleDescription("Lists this question under Flagged on the Review page.")
        self.flag.toggled.connect(self._on_flag)
        bottom.addWidget(self.flag, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(bottom)
        if self.date_edit is not None:
            self.date_edit.line.installEventFilter(self)  # Enter there moves on
        if self.number_edit is not None:
            self.number_edit.installEventFilter(self)
        self.refresh()

    # -- drawing from the session ----------------------------------------------------------

    def refresh(self) -> None:
        answers = self.session.assessment.answers
        question = self.question
        text = question.text_for(answers)
        if question.element:
            text = f"({question.element}) {text}"
        self.text_label.setText(text)
        answer = answers.get(question.id)
        value = None if answer is None else answer.value
        self.reconfirm_label.setVisible(bool(answer and answer.reconfirm))
        if self.chooser is not None:
            self.chooser.set_value(value if isinstance(value, str) else None)
        if self.date_edit is not None:
            self.date_edit.default_date = self.session.assessment.as_of
            if self.date_edit.date_value() != parse_date(value):
                self.date_edit.set_date_value(parse_date(value))
        if self.number_edit is not None and self.number_edit.number() != value:
            self.number_edit.set_number(value if isinstance(value, int) else None)
        if self.text_edit is not None and self.text_edit.text() != (value or ""):
            self.text_edit.setText(str(value or ""))
        note = answer.note if answer else ""
        if self.note.text() != note:
            self.note.setText(note)
        self.flag.blockSignals(True)
        self.flag.setChecked(bool(answer and answer.flagged))
        self.flag.blockSignals(False)
        needs_reason = value in _REASON_WORDS
        reason = answer.na_reason if answer else ""
        if self.na_reason.text() != reason:
            self.na_reason.setText(reason)
        self._word_reason(value)
        self.na_reason.setVisible(needs_reason)
        self.na_label.setVisible(needs_reason)
        self.na_message.setVisible(needs_reason and not reason.strip())

    def _word_reason(self, value: object) -> None:
        """The one reason field serves Not applicable and Met another way: word it for each."""
        label, placeholder, message = _REASON_WORDS.get(str(value), _REASON_WORDS["na"])
        self.na_label.setText(label)
        self.na_reason.setPlaceholderText(placeholder)
        self.na_reason.setAccessibleName(label.split(" (")[0])
        self.na_message.setText(message)

    def fit_width(self, width: int) -> None:
        """Answers side by side when they fit in `width`, else one under the other (large
        text on a small screen), so no answer is ever cut off at the right."""
        if self.chooser is None or not getattr(self, "_horizontal_chooser", False):
            return
        fit_chooser(self.chooser, width)

    def set_highlighted(self, on: bool) -> None:
        """The question a jump landed on: a thick outline, a tint and a "➜" line in words."""
        import shiboken6

        if not shiboken6.isValid(self):
            return
        self.setProperty("highlighted", on)
        self.jumped_label.setVisible(on)
        self.setLineWidth(3 if on else 1)
        self.setFrameShape(QFrame.Shape.Box if on else QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(on)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase if on
                               else QPalette.ColorRole.Window)

    def focus_answer(self) -> None:
        if self.chooser is not None:
            self.chooser.focus_answer()
        else:
            target = self.date_edit or self.number_edit or self.text_edit or self.note
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if self.date_edit is not None and watched is self.date_edit.line:
                self.date_edit.interpretText()  # take what was typed, then move on
            else:
                watched.interpretText()
            self.advance.emit()
            return True
        return super().eventFilter(watched, event)

    # -- edits -----------------------------------------------------------------------------

    def _set(self, **parts) -> None:
        from nasro_desktop.store import StoreError

        try:
            self.session.set_answer(self.question.id, **parts)
        except InvalidEntry as problem:
            self.na_message.setText(f"✘ {problem}")
            self.na_message.show()
        except StoreError as problem:  # not a full disk (that is retried): say what to do
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Could not save this answer", str(problem))

    @Slot(object)
    def _on_chosen(self, value: str) -> None:
        self._set(value=value)
        if value in _REASON_WORDS:
            self._word_reason(value)
            self.na_label.show()
            self.na_reason.show()
            self.na_message.setVisible(not self.na_reason.text().strip())
            self.na_reason.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(object)
    def _on_date(self, value) -> None:
        self._set(value=value)

    @Slot(object)
    def _on_number(self, value) -> None:
        self._set(value=value)

    @Slot(str)
    def _on_text(self, text: str) -> None:
        self._set(value=text)

    @Slot(str)
    def _on_note(self, text: str) -> None:
        self._set(note=text)

    @Slot(str)
    def _on_na_reason(self, text: str) -> None:
        self._set(na_reason=text)
        self.na_message.setVisible(not text.strip())

    @Slot(bool)
    def _on_flag(self, checked: bool) -> None:
        self._set(flagged=checked)


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
        self.class_note.setText(standard.class_note)
        self.class_note.setVisible(bool(standard.class_note))
        from nasro_desktop.domain.model import StandardClass

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


class InterviewPage(QWidget):
    """The questions of one PageSpec with the help panel at the side."""

    advance_requested = Signal()  # Enter on the last question: go to the next page
    profile_requested = Signal()

    def __init__(self, spec: PageSpec, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.session = session
        form = session.form
        self.standard = form.standard(spec.standard_id) if spec.standard_id else None
        self.setAccessibleName(spec.title)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(12)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll = scroll
        body = QWidget(scroll)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 8, 4)
        column.setSpacing(10)
        section = form.section(spec.section)
        column.addWidget(wrap_label(f"Section {section.number}: {section.title}", "subtle", body))
        self.title = wrap_label(spec.title, "title", body)
        column.addWidget(self.title)
        if section.intro and spec == _first_page_of(spec, session):
            column.addWidget(wrap_label(section.intro, None, body))

        self.findings_box: QFrame | None = None
        if self.standard is not None and self.standard.rule:
            self.findings_box = QFrame(body)
            frame(self.findings_box, "help")
            box = QVBoxLayout(self.findings_box)
            box.addWidget(wrap_label("What your Profile shows", "heading", self.findings_box))
            self.findings_label = wrap_label("", None, self.findings_box)
            self.findings_label.setAccessibleName("Findings from the Profile")
            box.addWidget(self.findings_label)
            link = QPushButton("Edit officers and schools on the Profile page", self.findings_box)
            link.setAccessibleDescription("Dates and numbers for this standard come from there.")
            link.clicked.connect(self.profile_requested)
            box.addWidget(link, 0, Qt.AlignmentFlag.AlignLeft)
            column.addWidget(self.findings_box)

        self.blocks: list[QuestionBlock] = []
        for qid in spec.question_ids:
            block = QuestionBlock(form.question(qid), session, body)
            block.advance.connect(self._advance_from_block)
            block.profile_requested.connect(self.profile_requested)
            self.blocks.append(block)
            column.addWidget(block)
        self.empty_label = wrap_label(
            "No questions on this page apply to your program given your earlier answers. "
            "Press Next to go on.", None, body)
        column.addWidget(self.empty_label)
        column.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.help = HelpPanel(self)
        self.help.show_standard(self.standard)
        outer.addWidget(self.help)
        self.outer = outer
        self.column = column
        self.help_below = False
        self._listening = False  # to the app's focus changes: only while on screen
        if self.standard is not None:  # issue 13: the standard's evidence files
            from nasro_desktop.ui.evidence_panel import add_to_help

            self.evidence_files = add_to_help(self.help, session.store, session.assessment_id,
                                              self.standard.id, self.standard.number,
                                              session.assessment.as_of)
            self.evidence_files.changed.connect(session.evidence_changed)
        self.refresh()
        first = self.visible_blocks()
        self._show_help(first[0].question if first else None)

    def offer_checklist(self, slot) -> None:
        """On the page before the MOU's topics: a button to check them all on one page."""
        button = QPushButton("Check the MOU's topics on one page…", self)
        button.setAccessibleDescription("With the signed MOU in hand: every topic of the MOU "
                                        "on one page, answers only.")
        button.clicked.connect(slot)
        self.column.insertWidget(self.column.count() - 1, button, 0, Qt.AlignmentFlag.AlignLeft)

    # -- drawing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        answers = self.session.assessment.answers
        for block in self.blocks:
            visible = block.question.is_visible(answers)
            block.setVisible(visible)
            if visible:
                block.refresh()
        self.empty_label.setVisible(not self.visible_blocks())
        if self.findings_box is not None:
            self.findings_label.setText(self._findings_text())

    def _findings_text(self) -> str:
        try:
            result = self.session.readiness.result(self.standard.id)
        except StopIteration:
            return "Nothing to judge yet."
        # Findings about the answers are on the page already; show what comes from the profile.
        findings = [f for f in result.findings
                    if not f.subject.startswith(("Question", "Element"))]
        if not findings:
            return "Nothing to judge yet: add officers and schools on the Profile page."
        lines = []
        for finding in findings:
            detail = finding.detail
            if not detail.startswith(finding.subject):
                detail = f"{finding.subject}: {detail}"
            due = long_date(finding.due) if finding.due is not None else ""
            if due and due not in detail:
                detail += f" (due {due})"
            lines.append(f"{finding.status.symbol} {finding.status.label}: {detail}")
        return "\n".join(lines)

    def visible_blocks(self) -> list[QuestionBlock]:
        answers = self.session.assessment.answers
        return [b for b in self.blocks if b.question.is_visible(answers)]

    def focus_first(self) -> None:
        blocks = self.visible_blocks()
        if blocks:
            blocks[0].focus_answer()
            self.scroll.ensureWidgetVisible(blocks[0])
            self.scroll.horizontalScrollBar().setValue(0)

    # -- moving through the questions -------------------------------------------------------

    @Slot()
    def _advance_from_block(self) -> None:
        sender = self.sender()
        # An answer can reveal a follow-up question: recompute visibility first.
        self.refresh()
        blocks = self.visible_blocks()
        if sender in blocks:
            index = blocks.index(sender)
            if index + 1 < len(blocks):
                nxt = blocks[index + 1]
                nxt.focus_answer()
                self.scroll.ensureWidgetVisible(nxt, 0, 40)
                self.scroll.horizontalScrollBar().setValue(0)
                return
        self.advance_requested.emit()

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The help panel follows the question that has the keyboard focus."""
        if new is None or not self.isVisible() or not self.isAncestorOf(new):
            return
        for block in self.blocks:
            if block.isAncestorOf(new):
                self._show_help(block.question)
                return

    def _show_help(self, question: Question | None) -> None:
        others = tuple(
            f"({b.question.element})" if b.question.element else "another question"
            for b in self.visible_blocks()
            if b.question is not question and b.question.type == AnswerType.STATUS
            and b.question.na_allowed)
        self.help.show_question(question, others)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._listening:  # one page hears focus changes, not every page built
            QApplication.instance().focusChanged.connect(self._focus_changed)
            self._listening = True

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().hideEvent(event)
        if self._listening:
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
            self._listening = False

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._place_help(self.width() < NARROW_PAGE * max(1.0, _scale()))
        self._fit_blocks()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "help_below"):
            self._place_help(self.width() < NARROW_PAGE * max(1.0, _scale()))
            self._fit_blocks()

    def _fit_blocks(self) -> None:
        width = self.width() - (0 if self.help_below else HELP_WIDTH + 12) - 40
        for block in self.blocks:
            block.fit_width(width)

    def _place_help(self, below: bool) -> None:
        """Narrow: the help folds under the questions (scrolls with them); wide: beside them."""
        if below == self.help_below:
            return
        self.help_below = below
        if below:
            self.outer.removeWidget(self.help)
            self.help.setMinimumWidth(0)
            self.help.setMaximumWidth(16777215)
            self.column.insertWidget(self.column.count() - 1, self.help)
        else:
            self.column.removeWidget(self.help)
            self.help.setParent(self)
            self.help.setFixedWidth(HELP_WIDTH)
            self.outer.addWidget(self.help)
        self.help.show()

    def highlight_question(self, question_id: str) -> None:
        """Mark the question a jump landed on for a few seconds (and until then only it)."""
        for block in self.blocks:
            block.set_highlighted(block.question.id == question_id)
        block = self.block_for(question_id)
        if block is not None:
            QTimer.singleShot(HIGHLIGHT_MS, block, lambda: block.set_highlighted(False))

    def block_for(self, question_id: str) -> QuestionBlock | None:
        return next((b for b in self.blocks if b.question.id == question_id), None)

    def focus_question(self, question_id: str) -> None:
        block = self.block_for(question_id)
        if block is not None and block.isVisible():
            block.focus_answer()
            QApplication.processEvents()
            self.scroll.ensureWidgetVisible(block, 0, 40)
            self.scroll.horizontalScrollBar().setValue(0)


def fit_chooser(chooser: AnswerChooser, width: int) -> None:
    """Answers side by side when they fit in `width`, else one under the other."""
    from PySide6.QtWidgets import QBoxLayout

    buttons = chooser.buttons()
    need = sum(b.sizeHint().width() for b in buttons) + 18 * (len(buttons) - 1) + 32
    direction = (QBoxLayout.Direction.LeftToRight if need <= width
                 else QBoxLayout.Direction.TopToBottom)
    layout = chooser.layout()
    if isinstance(layout, QBoxLayout) and layout.direction() != direction:
        layout.setDirection(direction)
        layout.setSpacing(18 if direction == QBoxLayout.Direction.LeftToRight else 2)


def _scale() -> float:
    from nasro_desktop.ui.style import current_scale

    return current_scale()


def _first_page_of(spec: PageSpec, session: Session) -> PageSpec | None:
    return next((p for p in session.pages if p.section == spec.section), None)


MOU_CHECKLIST = "mou-checklist"
MOU_TOPIC_PREFIX = "01.01.04-"  # the MOU topics are standards 01.01.04-<topic>


def mou_topic_pages(session: Session) -> list[PageSpec]:
    return [p for p in session.pages
            if p.standard_id and p.standard_id.startswith(MOU_TOPIC_PREFIX)]


class MouChecklistPage(QWidget):
    """Every MOU topic on one page, for a reader with the signed MOU in hand: each topic's
    questions as compact rows (the answers only); "Details" opens the topic's own page, with
    its help, notes and flags. The answers are the same ones the topic pages show."""

    page_requested = Signal(str)
    done_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("The MOU's topics on one page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll)
        body = QWidget(self.scroll)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 8, 4)
        column.setSpacing(8)
        column.addWidget(wrap_label("Section 1: Administration and the MOU", "subtle", body))
        topics = mou_topic_pages(session)
        column.addWidget(wrap_label(f"The MOU's {len(topics)} topics on one page", "title",
                                    body))
        self.intro = wrap_label(
            "With the signed MOU in hand, check each topic here. Each answer is saved at once "
            "and is the same answer the topic's own page shows; “Details” opens that page for "
            "the help, a note or a flag.", None, body)
        column.addWidget(self.intro)
        self.closed_label = wrap_label("", "subtle", body)
        column.addWidget(self.closed_label)
        self.rows: dict[str, tuple[QWidget, AnswerChooser]] = {}
        self.topic_frames: list[QFrame] = []
        for spec in topics:
            box = QFrame(body)
            frame(box, "question")
            lay = QVBoxLayout(box)
            lay.setContentsMargins(12, 8, 12, 8)
            lay.setSpacing(4)
            head = QHBoxLayout()
            title = spec.title.split("  ", 1)[-1]
            head.addWidget(wrap_label(title, "heading", box), 1)
            details = QPushButton("Details…", box)
            details.setAccessibleName(f"Details: {title}")
            details.setAccessibleDescription("Opens this topic's own page with its help.")
            details.clicked.connect(lambda _c=False, p=spec.id: self.page_requested.emit(p))
            head.addWidget(details, 0, Qt.AlignmentFlag.AlignTop)
            lay.addLayout(head)
            for qid in spec.question_ids:
                question = session.form.question(qid)
                if question.type != AnswerType.STATUS:
                    continue
                row = QWidget(box)
                row_lay = QVBoxLayout(row)
                row_lay.setContentsMargins(0, 2, 0, 2)
                row_lay.setSpacing(0)
                text = f"({question.element}) {question.text}" if question.element \
                    else question.text
                row_lay.addWidget(wrap_label(text, None, row))
                chooser = AnswerChooser(status_options(question.na_allowed), name=question.text,
                                        description="Arrow keys pick an answer; Enter moves "
                                        "on.", horizontal=True, parent=row)
                chooser.chosen.connect(lambda v, q=qid: self._answer(q, v))
                chooser.advance.connect(lambda q=qid: self._advance(q))
                row_lay.addWidget(chooser)
                lay.addWidget(row)
                self.rows[qid] = (row, chooser)
            column.addWidget(box)
            self.topic_frames.append(box)
        done = QPushButton("Done: go on to the next section", body)
        done.clicked.connect(self.done_requested)
        column.addWidget(done, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        self.scroll.setWidget(body)
        self.refresh()

    def refresh(self) -> None:
        answers = self.session.assessment.answers
        hidden = 0
        for qid, (row, chooser) in self.rows.items():
            visible = self.session.form.question(qid).is_visible(answers)
            row.setVisible(visible)
            hidden += not visible
            answer = answers.get(qid)
            value = answer.value if answer is not None else None
            chooser.set_value(value if isinstance(value, str) else None)
        self.closed_label.setText(
            "Some topics are asked only once your answers say there is a signed MOU (page "
            "01.01.04)." if hidden else "")
        self.closed_label.setVisible(bool(hidden))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "rows"):
            self._fit()

    def _fit(self) -> None:
        for _row, chooser in self.rows.values():
            fit_chooser(chooser, self.width() - 64)

    def visible_choosers(self) -> list[tuple[str, AnswerChooser]]:
        return [(q, c) for q, (row, c) in self.rows.items() if not row.isHidden()]

    def focus_first(self) -> None:
        choosers = self.visible_choosers()
        if choosers:
            choosers[0][1].focus_answer()

    def _answer(self, question_id: str, value: str) -> None:
        self.session.set_answer(question_id, value=value)
        if value in ("na", "alternate"):  # a reason or an explanation: the topic page asks
            spec = next(p for p in self.session.pages if question_id in p.question_ids)
            self.page_requested.emit(spec.id)

    def _advance(self, question_id: str) -> None:
        choosers = self.visible_choosers()
        ids = [q for q, _c in choosers]
        if question_id in ids and ids.index(question_id) + 1 < len(ids):
            nxt = choosers[ids.index(question_id) + 1][1]
            nxt.focus_answer()
            self.scroll.ensureWidgetVisible(nxt, 0, 40)
            self.scroll.horizontalScrollBar().setValue(0)
