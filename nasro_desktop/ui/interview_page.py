"""One interview page: the questions of one standard, a help panel, and live profile findings.

Every edit goes straight to the session (which saves it at once). Pages never hold answers of
their own: `refresh()` redraws from the session, so Back / Next / jumps can never lose anything.
Questions whose condition is false are hidden; their answers stay saved.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
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
            self.chooser.chosen.connect(self._on_chosen)
            self.chooser.advance.connect(self.advance)
            layout.addWidget(self.chooser)
        elif kind == AnswerType.DATE:
            self.date_edit = OptionalDateEdit(self, default_date=session.assessment.as_of,
                                              name=question.text)
            self.date_edit.value_changed.connect(self._on_date)
            self.date_edit.setMaximumWidth(220)
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

        bottom = QHBoxLayout()
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Note (optional): where the evidence is, who to ask…")
        self.note.setAccessibleName("Note")
        self.note.setAccessibleDescription("Your own note on this question; saved as you type.")
        self.note.textEdited.connect(self._on_note)
        self.note.returnPressed.connect(self.advance)
        bottom.addWidget(self.note, 1)
        self.flag = QCheckBox("Mark for review", self)
        self.flag.setAccessibleName("Mark for review")
        self.flag.setAccessibleDescription("Lists this question under Flagged on the Review page.")
        self.flag.toggled.connect(self._on_flag)
        bottom.addWidget(self.flag)
        layout.addLayout(bottom)
        for edit in (self.date_edit, self.number_edit):
            if edit is not None:
                edit.installEventFilter(self)  # Enter there moves on
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

    def focus_answer(self) -> None:
        if self.chooser is not None:
            self.chooser.focus_answer()
        else:
            target = self.date_edit or self.number_edit or self.text_edit or self.note
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            watched.interpretText()  # take what was typed, then move on
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
        self.owner.setText(f"Who usually fixes a gap here: {standard.owner.label}")
        self.owner.show()

    def show_question(self, question: Question | None) -> None:
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
                na = "Not applicable: allowed here, with a reason. " + question.na_note
            elif question.na_note:
                na = "Not applicable is not offered here: " + question.na_note
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
        if self.standard is not None:  # issue 13: the standard's evidence files
            from nasro_desktop.ui.evidence_panel import add_to_help

            self.evidence_files = add_to_help(self.help, session.store, session.assessment_id,
                                              self.standard.id, self.standard.number,
                                              session.assessment.as_of)
        app = QApplication.instance()
        app.focusChanged.connect(self._focus_changed)
        self.refresh()
        first = self.visible_blocks()
        self.help.show_question(first[0].question if first else None)

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
                return
        self.advance_requested.emit()

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The help panel follows the question that has the keyboard focus."""
        if new is None or not self.isVisible() or not self.isAncestorOf(new):
            return
        for block in self.blocks:
            if block.isAncestorOf(new):
                self.help.show_question(block.question)
                return

    def block_for(self, question_id: str) -> QuestionBlock | None:
        return next((b for b in self.blocks if b.question.id == question_id), None)

    def focus_question(self, question_id: str) -> None:
        block = self.block_for(question_id)
        if block is not None and block.isVisible():
            block.focus_answer()
            self.scroll.ensureWidgetVisible(block, 0, 40)
            QApplication.processEvents()


def _first_page_of(spec: PageSpec, session: Session) -> PageSpec | None:
    return next((p for p in session.pages if p.section == spec.section), None)
