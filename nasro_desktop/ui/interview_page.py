"""One interview page: the questions of one standard, a help panel, and live profile findings.

Every edit goes straight to the session (which saves it at once). Pages never hold answers of
their own: `refresh()` redraws from the session, so Back / Next / jumps can never lose anything.
Questions whose condition is false are hidden; their answers stay saved.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.model import AnswerType, Question
from nasro_desktop.domain.pages import PageSpec
from nasro_desktop.domain.rules import MOU_TOPIC_PREFIX
from nasro_desktop.session import Session
from nasro_desktop.ui.evidence_panel import add_to_help
from nasro_desktop.ui.labels import element_tag, wrap_label
from nasro_desktop.ui.question_block import (
    _REASON_WORDS,
    HELP_WIDTH,
    HIGHLIGHT_MS,
    NARROW_PAGE,
    HelpPanel,
    QuestionBlock,
    save_answer,
)
from nasro_desktop.ui.style import current_scale, frame
from nasro_desktop.ui.widgets import (
    AnswerChooser,
    fit_chooser,
    scrolling_column,
    show_in,
    status_options,
    vertical_scroll_area,
)


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
        self.scroll_area, body, column = scrolling_column(self, (4, 4, 8, 4), 10, outer)
        section = form.section(spec.section)
        column.addWidget(wrap_label(f"Section {section.number}: {section.title}", "subtle", body))
        self.title = wrap_label(spec.title, "title", body)
        column.addWidget(self.title)
        first_of_section = next((p for p in session.pages if p.section == spec.section), None)
        if section.intro and spec == first_of_section:
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

        self.help = HelpPanel(self)
        self.help.show_standard(self.standard)
        # beside the questions the help scrolls on its own on a short window, instead of
        # squeezing its fields (the evidence panel's "Valid until" after Remove showed Undo)
        self.help_side = vertical_scroll_area(self)
        self.help_side.setFixedWidth(HELP_WIDTH + self.help_side.verticalScrollBar()
                                     .sizeHint().width())
        self.help_side.setWidget(self.help)
        outer.addWidget(self.help_side)
        self.outer = outer
        self.column = column
        self.help_below = False
        self._listening = False  # to the app's focus changes: only while on screen
        if self.standard is not None:  # issue 13: the standard's evidence files
            self.evidence_files = add_to_help(self.help, session, self.standard.id,
                                              self.standard.number, session.assessment.as_of)
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
        first_example = True
        for block in self.blocks:
            visible = block.question.is_visible(answers)
            block.setVisible(visible)
            if visible:
                block.refresh()
            if block.observation_note is not None:  # said once a page, under the first
                block.observation_note.setVisible(visible and first_example)
                first_example = first_example and not visible
        self.empty_label.setVisible(not self.visible_blocks())
        if self.findings_box is not None:
            self.findings_label.setText(self._findings_text())

    def _findings_text(self) -> str:
        if self.standard is None:  # only a standard's page has a findings box
            return ""
        result = self.session.readiness.result(self.standard.id)  # the engine judges each one
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
            show_in(self.scroll_area, blocks[0])

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
                show_in(self.scroll_area, nxt)
                return
        self.advance_requested.emit()

    @Slot(QWidget, QWidget)
    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The help panel follows the question that has the keyboard focus."""
        if new is None or not self.isVisible() or not self.isAncestorOf(new):
            return
        for block in self.blocks:
            block.set_focus_frame(block.isAncestorOf(new))
            if block.isAncestorOf(new):
                self._show_help(block.question)

    def _show_help(self, question: Question | None) -> None:
        others = tuple(
            element_tag(b.question.element) if b.question.element else "another question"
            for b in self.visible_blocks()
            if b.question is not question and b.question.type == AnswerType.STATUS
            and b.question.na_allowed)
        self.help.show_question(question, others)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._listening:  # one page hears focus changes, not every page built
            cast(QApplication, QApplication.instance()).focusChanged.connect(self._focus_changed)
            self._listening = True

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().hideEvent(event)
        if self._listening:
            cast(QApplication, QApplication.instance()).focusChanged.disconnect(
                self._focus_changed)
            self._listening = False

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "help_below"):
            self._fit()

    def _fit(self) -> None:
        """For the page's width and text size: the help beside the questions or under them,
        and each question's answers side by side when they fit."""
        self._place_help(self.width() < NARROW_PAGE * max(1.0, current_scale()))
        width = self.width() - (0 if self.help_below else self.help_side.width() + 12) - 40
        for block in self.blocks:
            block.fit_width(width)

    def _place_help(self, below: bool) -> None:
        """Narrow: the help folds under the questions (scrolls with them); wide: beside them."""
        if below == self.help_below:
            return
        self.help_below = below
        if below:
            self.help_side.takeWidget()
            self.help_side.hide()
            self.help.setMinimumWidth(0)
            self.help.setMaximumWidth(16777215)
            self.column.insertWidget(self.column.count() - 1, self.help)
        else:
            self.column.removeWidget(self.help)
            self.help.setFixedWidth(HELP_WIDTH)
            self.help_side.setWidget(self.help)
            self.help_side.show()
        self.help.show()

    def highlight_question(self, question_id: str) -> None:
        """Mark the question a jump landed on for a few seconds (and until then only it)."""
        for block in self.blocks:
            block.set_highlighted(block.question.id == question_id)
        target = self.block_for(question_id)
        if target is not None:
            QTimer.singleShot(HIGHLIGHT_MS, target, lambda: target.set_highlighted(False))

    def block_for(self, question_id: str) -> QuestionBlock | None:
        return next((b for b in self.blocks if b.question.id == question_id), None)

    def focus_question(self, question_id: str) -> None:
        block = self.block_for(question_id)
        if block is not None and block.isVisible():
            block.focus_answer()
            QApplication.processEvents()
            show_in(self.scroll_area, block)


def mou_topic_pages(session: Session) -> list[PageSpec]:
    return [p for p in session.pages
            if p.standard_id and p.standard_id.startswith(MOU_TOPIC_PREFIX)]


class ChecklistRow(QWidget):
    """One MOU question on the checklist: its text, its answers and, when the answer is Not
    applicable or Met another way, the reason asked right here (the page never moves away)."""

    answered = Signal()  # Enter on a complete answer: the next question, please

    def __init__(self, question: Question, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.question = question
        self.session = session
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        lay.setSpacing(2)
        text = f"{element_tag(question.element)} {question.text}" if question.element \
            else question.text
        lay.addWidget(wrap_label(text, None, self))
        self.chooser = AnswerChooser(status_options(question.na_allowed), name=question.text,
                                     description="Arrow keys or Space pick an answer; Enter "
                                     "moves on.", horizontal=True, parent=self)
        self.chooser.chosen.connect(self._chosen)
        self.chooser.advance.connect(self._enter)
        lay.addWidget(self.chooser)
        self.reason_label = wrap_label("", "subtle", self)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(2000)
        self.reason_label.setBuddy(self.reason)
        self.reason.textEdited.connect(self._reason_typed)
        self.reason.returnPressed.connect(self._enter)
        self.reason_message = wrap_label("", "subtle", self)
        for widget in (self.reason_label, self.reason, self.reason_message):
            lay.addWidget(widget)
            widget.hide()

    def refresh(self) -> None:
        answer = self.session.assessment.answers.get(self.question.id)
        value = answer.value if answer is not None else None
        self.chooser.set_value(value if isinstance(value, str) else None)
        reason = answer.na_reason if answer is not None else ""
        if self.reason.text() != reason:
            self.reason.setText(reason)
        self._show_reason(value)

    def _show_reason(self, value: object) -> None:
        needs = value in _REASON_WORDS
        if needs:
            label, placeholder, message = _REASON_WORDS[str(value)]
            self.reason_label.setText(label)
            self.reason.setPlaceholderText(placeholder)
            self.reason.setAccessibleName(f"{label.split(' (')[0]}: {self.question.text}")
            self.reason_message.setText(message)
        self.reason_label.setVisible(needs)
        self.reason.setVisible(needs)
        self.reason_message.setVisible(needs and not self.reason.text().strip())

    def _chosen(self, value: str) -> None:
        if not save_answer(self, self.session, self.question.id, self.reason_message,
                           value=value):
            return
        self._show_reason(value)
        if value in _REASON_WORDS and not self.chooser.picked_by_arrow:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enter(self) -> None:
        """Enter on the answers or in the reason: the next question, once the answer has the
        reason it needs; else the keyboard goes to the reason, which says it is needed."""
        if self.chooser.value() in _REASON_WORDS and not self.reason.text().strip():
            self.reason_message.show()
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.answered.emit()

    def _reason_typed(self, text: str) -> None:
        save_answer(self, self.session, self.question.id, self.reason_message, na_reason=text)
        self.reason_message.setVisible(not text.strip())


class MouChecklistPage(QWidget):
    """Every MOU topic on one page, for a reader with the signed MOU in hand: each topic's
    questions as compact rows (the answers, and the reason where one is needed); "Details"
    opens the topic's own page, with its help, notes and flags. The answers are the same ones
    the topic pages show. Nothing here ever moves to another page unasked."""

    page_requested = Signal(str)
    done_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName("The MOU's topics on one page")
        self.scroll_area, body, column = scrolling_column(self, (4, 4, 8, 4), 8)
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
        self.rows: dict[str, ChecklistRow] = {}
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
                row = ChecklistRow(question, session, box)
                row.answered.connect(lambda q=qid: self._advance(q))
                lay.addWidget(row)
                self.rows[qid] = row
            column.addWidget(box)
        done = QPushButton("Done: go on to the next section", body)
        done.clicked.connect(self.done_requested)
        column.addWidget(done, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        answers = self.session.assessment.answers
        hidden = 0
        for qid, row in self.rows.items():
            visible = self.session.form.question(qid).is_visible(answers)
            row.setVisible(visible)
            hidden += not visible
            row.refresh()
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
        for row in self.rows.values():
            fit_chooser(row.chooser, self.width() - 64)

    def visible_choosers(self) -> list[tuple[str, AnswerChooser]]:
        return [(q, row.chooser) for q, row in self.rows.items() if not row.isHidden()]

    def focus_first(self) -> None:
        choosers = self.visible_choosers()
        if choosers:
            choosers[0][1].focus_answer()

    def _advance(self, question_id: str) -> None:
        if not self.isVisible():  # never move the keyboard on a page that is not on screen
            return
        choosers = self.visible_choosers()
        ids = [q for q, _c in choosers]
        if question_id in ids and ids.index(question_id) + 1 < len(ids):
            nxt = choosers[ids.index(question_id) + 1][1]
            nxt.focus_answer()
            show_in(self.scroll_area, nxt)
