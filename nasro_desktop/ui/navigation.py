"""The workspace of one open assessment: the sidebar, the pages in a QStackedWidget, Back /
Next, and every move between pages (go_to, jumps to a question, Next unanswered).

`Workspace(session, parent)` is built by the window (ui/main_window.py) when an assessment
opens and thrown away when it closes, so nothing of one assessment outlives it. A page is built
the first time it is needed (the next ones, and Review and Readiness, in idle time, while the
user reads). The workspace says what the window shows elsewhere through signals: the page on
screen (`page_changed`), a line for the status bar (`status_message`), and the Readiness
page's and the upgrade bar's requests (`export_requested`, `upgrade_requested`).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.pages import PageSpec
from nasro_desktop.problem_log import note_problem
from nasro_desktop.session import Session
from nasro_desktop.ui import style
from nasro_desktop.ui.home_page import (
    HomePage,
    first_page_of_standard,
    first_unmet_question,
    open_questions,
)
from nasro_desktop.ui.interview_page import InterviewPage, MouChecklistPage, mou_topic_pages
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.page import (
    HOME,
    MOU_CHECKLIST,
    PROFILE,
    READINESS,
    REVIEW,
    IdlePrepared,
    Page,
    QuestionPage,
    scroll_to_top,
)
from nasro_desktop.ui.recovery import UpgradeBar
from nasro_desktop.ui.sidebar import NARROW_WIDTH, Sidebar, sidebar_width

PREPARE_DELAY_MS = 700  # quiet time before Review and Readiness are brought up to date
PREPARE_STEP_MS = 40  # then one step (build, fill, lay out one page) at a time
# Quiet time before the next pages are built: after the page on screen is painted, so a build
# never lands inside the frame the user waits for.
PREBUILD_DELAY_MS = 120
LAST_PAGE_DELAY_MS = 300  # the page on screen is remembered this long after it shows
# Pages drawn from the session when first shown (the others draw themselves when built).
FILLED_WHEN_SHOWN = (HOME, REVIEW, READINESS)


def _timer(parent: QWidget, interval: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval)
    timer.timeout.connect(slot)
    return timer


class Workspace(QWidget):
    """The open assessment's sidebar, pages and Back / Next."""

    page_changed = Signal(str)
    status_message = Signal(str, int)  # words for the window's status bar, for so many ms
    export_requested = Signal()  # the Readiness page's Export…
    upgrade_requested = Signal()  # the upgrade bar's Upgrade…

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pages: dict[str, QWidget] = {}  # the pages built so far
        self.current_page = ""
        self._stale: set[str] = set()  # pages to redraw when next shown
        self._cursor: tuple[str, str | None] = ("", None)  # the question last jumped to
        self._last_click = 0.0  # when Back or Next was last clicked (double-click guard)
        form = session.form
        # the Back / Next order (read-only: a tuple)
        self.page_ids = (HOME, PROFILE, *(p.id for p in session.pages), REVIEW, READINESS)
        self._specs = {p.id: p for p in session.pages}  # interview page id -> its spec
        topics = mou_topic_pages(session)
        # page id -> the page it belongs after (it is reached from there, not by Next)
        self._extra_pages: dict[str, str] = {}
        if topics:
            anchor = self.page_ids[self.page_ids.index(topics[0].id) - 1]
            self._extra_pages[MOU_CHECKLIST] = anchor
        self.sections = [(HOME, "Home"), (PROFILE, "Profile")]
        self.sections += [(s.id, s.title) for s in form.sections]
        self.sections += [(REVIEW, "Review"), (READINESS, "Readiness")]
        self.newer_form = session.newer_form()  # a newer question set, if any

        row = QHBoxLayout(self)
        row.setContentsMargins(8, 8, 8, 4)
        row.setSpacing(10)
        self.sidebar = Sidebar(session, self.sections, self)
        self.sidebar.set_width(self.sidebar_width())
        self.sidebar.section_chosen.connect(self._section_chosen)
        self.sidebar.standard_chosen.connect(self._standard_chosen)
        row.addWidget(self.sidebar)

        right = QVBoxLayout()
        self.upgrade_bar = UpgradeBar(self)
        self.upgrade_bar.upgrade_requested.connect(self.upgrade_requested)
        self.upgrade_bar.set_versions(
            form.version, None if self.newer_form is None else self.newer_form.version)
        right.addWidget(self.upgrade_bar)
        self.stack = QStackedWidget(self)
        right.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        self.back_button = QPushButton("‹ Back", self)
        self.back_button.setAccessibleName("Back")
        self.back_button.setAccessibleDescription("Go to the previous page (Alt+B). Nothing "
                                                  "is lost.")
        self.back_button.setToolTip("Previous page (Alt+B)")
        self.position = wrap_label("", "subtle", self)  # "Section: page 1 of 3 · step 4 of 20"
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = QPushButton("Next ›", self)
        self.next_button.setAccessibleName("Next")
        self.next_button.setAccessibleDescription("Go to the next page (Alt+N). Everything is "
                                                  "already saved.")
        self.next_button.setToolTip("Next page (Alt+N)")
        for button in (self.back_button, self.next_button):
            button.setMinimumSize(120, 36)
            button.setAutoDefault(False)
        self.back_button.clicked.connect(self._back_clicked)
        self.next_button.clicked.connect(self._next_clicked)
        nav.addWidget(self.back_button)
        nav.addWidget(self.position, 1)
        nav.addWidget(self.next_button)
        right.addLayout(nav)
        row.addLayout(right, 1)

        self._prebuild = _timer(self, PREBUILD_DELAY_MS, self._prebuild_next)
        # Review and Readiness are built and filled in idle time, while hidden.
        self._prepare_timer = _timer(self, PREPARE_DELAY_MS, self._prepare_summaries)
        self._last_page_timer = _timer(self, LAST_PAGE_DELAY_MS, self.remember_page)

    # -- sizes -----------------------------------------------------------------------------

    def sidebar_width(self) -> int:
        return sidebar_width(self.window().width())

    def _room(self) -> int:
        """The height the sidebar may take: the window's central area."""
        parent = self.parentWidget()
        return (parent or self).height()

    def refresh_sidebar(self) -> None:
        self.sidebar.refresh(self._room())

    def fit_sidebar(self) -> None:
        self.sidebar.fit_height(self._room())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # View > Larger text
            self.sidebar.set_width(self.sidebar_width())
            self.fit_sidebar()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if event.size().height() != event.oldSize().height():
            self.fit_sidebar()
        width = self.sidebar_width()
        if self.sidebar.section_list.width() != width:
            self.sidebar.set_width(width)
            self.fit_sidebar()
        if self.current_page:
            self._update_position()

    # -- the pages -------------------------------------------------------------------------

    def page_widget(self, page_id: str) -> QWidget:
        """The page's widget, built the first time it is needed."""
        widget = self.pages.get(page_id)
        if widget is None:
            widget = self._make_page(page_id)
            self.pages[page_id] = widget
            self.stack.addWidget(widget)
            if page_id in FILLED_WHEN_SHOWN:
                self._stale.add(page_id)
        return widget

    def _make_page(self, page_id: str) -> QWidget:
        session = self.session
        if page_id == HOME:
            home = HomePage(session, self.stack)
            home.last_page = session.assessment.last_page
            home.go_requested.connect(self.go_to_question)
            return home
        if page_id == MOU_CHECKLIST:
            checklist = MouChecklistPage(session, self.stack)
            checklist.page_requested.connect(lambda p: self.go_to(p))
            checklist.done_requested.connect(self._mou_checklist_done)
            return checklist
        if page_id == PROFILE:
            from nasro_desktop.ui.profile_page import ProfilePage  # pages: imported when built

            return ProfilePage(session, self.stack)
        if page_id == REVIEW:
            from nasro_desktop.ui.review_page import ReviewPage

            review = ReviewPage(self.stack, session=session)
            review.jump_requested.connect(self.jump_to_question)
            return review
        if page_id == READINESS:
            from nasro_desktop.ui.readiness_page import ReadinessPage

            readiness = ReadinessPage(self.stack, session=session)
            readiness.action_item_changed.connect(session.save_action_item)
            readiness.export_requested.connect(self.export_requested)
            readiness.fix_requested.connect(self.fix_standard)
            readiness.report.evidence_source = self._evidence_for_report  # issue 13: evidence register
            return readiness
        page = InterviewPage(self._specs[page_id], session, self.stack)
        if page_id == self._extra_pages.get(MOU_CHECKLIST):
            page.offer_checklist(self.show_mou_checklist)
        page.advance_requested.connect(self.go_next)
        page.profile_requested.connect(lambda: self.go_to(PROFILE))
        return page

    def _evidence_for_report(self) -> list:
        s = self.session
        # each file checked now: the register prints what was verified (issue 27)
        return s.store.evidence.records(s.assessment_id, check=True)

    def refresh(self) -> None:
        """Redraw what depends on the answers: the sidebar marks and the page on screen. The
        other pages are only marked stale: each is redrawn when it next shows (or in idle
        time, for Review and Readiness)."""
        self._stale = set(self.pages)
        self.refresh_sidebar()
        if self.current_page:
            self._refresh_page(self.current_page)
        self._prepare_timer.start(PREPARE_DELAY_MS)

    def _refresh_page(self, page_id: str) -> None:
        widget = self.pages.get(page_id)
        if widget is None:
            return
        self._stale.discard(page_id)
        assert isinstance(widget, Page)
        widget.refresh()

    def stop(self) -> None:
        """The assessment closes: the page on screen remembered, no idle work left."""
        self.remember_page()
        for timer in (self._prebuild, self._prepare_timer):
            timer.stop()

    # -- moving ----------------------------------------------------------------------------

    def spec(self, page_id: str) -> PageSpec | None:
        """An interview page's spec (its section, standard and questions); None for the others
        (Home, Profile, the MOU checklist, Review, Readiness)."""
        return self._specs.get(page_id)

    def opened_from(self, page_id: str) -> str | None:
        """The page a page outside the Back / Next order (the MOU checklist) is reached from."""
        return self._extra_pages.get(page_id)

    def current_question(self) -> str | None:
        """The question in hand on the page shown: the focused one, else the one last jumped
        to there (Ctrl+J, Review, Find), else None."""
        if self._cursor[0] != self.current_page:
            return self._focused_question()
        return self._focused_question() or self._cursor[1]

    def section_of(self, page_id: str) -> str:
        if page_id in (HOME, PROFILE, REVIEW, READINESS):
            return page_id
        if page_id in self._extra_pages:
            return self.section_of(self._extra_pages[page_id])
        return self._specs[page_id].section

    @Slot(str)
    def go_to(self, page_id: str, *, focus: bool = True) -> None:
        """Show a page. Nothing on the page being left is lost: every edit is already saved."""
        if page_id not in self.page_ids and page_id not in self._extra_pages:
            return
        widget = self.page_widget(page_id)
        if page_id == HOME and self.current_page in self._specs:
            assert isinstance(widget, HomePage)
            widget.last_page = self.current_page  # "Continue where you left off" goes back
            self._stale.add(HOME)
        if page_id in self._stale:
            self._refresh_page(page_id)
        old = self.stack.currentWidget()
        if focus and old is not None and old is not widget:
            focused = QApplication.focusWidget()
            if focused is not None and old.isAncestorOf(focused):
                # Park the focus on the stack while the pages change: left to Qt, it passed
                # through the sidebar on its way, which redrew the whole list on every Next.
                self.stack.setFocus(Qt.FocusReason.OtherFocusReason)
        self.stack.setCurrentWidget(widget)
        if self.current_page != page_id:
            scroll_to_top(widget)  # a page opens at its top; a jump then scrolls to its question
        self.current_page = page_id
        if self._cursor[0] != page_id:
            self._cursor = (page_id, None)
        index = self._index(page_id)
        self.back_button.setEnabled(index > 0 or page_id in self._extra_pages)
        self.next_button.setEnabled(index < len(self.page_ids) - 1)
        # on a question page Next is the one primary action; Home and Readiness have their own
        style.set_primary(self.next_button, page_id in self._specs or page_id in self._extra_pages)
        self._update_position()
        spec = self._specs.get(page_id)
        self.sidebar.show_section(self.section_of(page_id),
                                  spec.standard_id or "" if spec is not None else "")
        if focus:
            assert isinstance(widget, Page)
            widget.focus_first()
            if QApplication.focusWidget() is self.stack:  # nothing to focus first there
                self._focus_into(widget)
        self._last_page_timer.start()  # remember the page soon, not in the way of drawing it
        if self._prepare_timer.isActive():  # idle work waits until the user reads again
            self._prepare_timer.start(PREPARE_DELAY_MS)
        self.page_changed.emit(page_id)
        self._prebuild.start()

    def _focus_into(self, page: QWidget) -> None:
        """Where Qt's stack would have put the focus parked on it: the page's last focused
        control, else its first one that takes Tab."""
        target: QWidget | None = page.focusWidget()  # None when none had it (the stub says never)
        candidate = page.nextInFocusChain()
        while target is None and candidate is not None and candidate is not page:
            if page.isAncestorOf(candidate) and candidate.isEnabled() \
                    and candidate.isVisibleTo(page) \
                    and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus:
                target = candidate
            candidate = candidate.nextInFocusChain()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def remember_page(self) -> None:
        """Save which page is showing, so reopening returns there."""
        self._last_page_timer.stop()
        if self.current_page and self.current_page != HOME:
            try:
                self.session.set_last_page(self.current_page)
            except Exception as problem:  # only the place in the interview: no error box
                note_problem(self.session.store.data_dir, "remembering the page", problem)

    def _update_position(self) -> None:
        page_id = self.current_page
        index = self._index(page_id)
        section_id = self.section_of(page_id)
        title = dict(self.sections)[section_id]
        in_section = [p for p in self.page_ids if self.section_of(p) == section_id]
        where = f"{title}: page {in_section.index(page_id) + 1} of {len(in_section)}" \
            if len(in_section) > 1 and page_id in in_section else title
        text = f"{where}   ·   step {index + 1} of {len(self.page_ids)}"
        if self.window().width() >= NARROW_WIDTH and style.current_scale() <= 1.15:
            text += "   ·   Alt+N next, Alt+B back"  # else in the buttons' tooltips only
        self.position.setText(text)

    @Slot()
    def _prebuild_next(self) -> None:
        """Build the next couple of pages while the user reads, so Next is instant."""
        if not self.current_page:
            return
        index = self._index(self.current_page)
        for page_id in self.page_ids[index + 1 : index + 3]:
            if page_id not in self.pages and page_id not in (REVIEW, READINESS):
                self.page_widget(page_id)
                self._prebuild.start()
                return
        self._prepare_timer.start(PREPARE_DELAY_MS)

    @Slot()
    def _prepare_summaries(self) -> None:
        """One step at a time in idle time: build Review / Readiness, or bring a stale one up
        to date while it is hidden (each step re-arms the timer, so typing is never held)."""
        for page_id in (REVIEW, READINESS):
            if page_id == self.current_page:
                continue
            widget = self.pages.get(page_id)
            if widget is None:
                self.page_widget(page_id)
                self._prepare_timer.start(PREPARE_STEP_MS)
                return
            assert isinstance(widget, IdlePrepared)
            if page_id in self._stale or widget.has_idle_work():
                if page_id in self._stale:
                    self._refresh_page(page_id)
                widget.prepare()
                self._prepare_timer.start(PREPARE_STEP_MS)
                return

    @Slot()
    def go_next(self) -> None:
        if not self.current_page:
            return
        index = self._index(self.current_page)
        if index + 1 < len(self.page_ids):
            self.go_to(self.page_ids[index + 1])

    @Slot()
    def go_back(self) -> None:
        if not self.current_page:
            return
        index = self._index(self.current_page)
        if self.current_page in self._extra_pages:
            self.go_to(self.page_ids[index])  # back to the page it was opened from
        elif index > 0:
            self.go_to(self.page_ids[index - 1])

    def _index(self, page_id: str) -> int:
        """A page's place in the Back / Next order; a page outside it (the MOU checklist)
        stands just after the page it belongs to."""
        if page_id in self._extra_pages:
            page_id = self._extra_pages[page_id]
        return self.page_ids.index(page_id)

    @Slot()
    def show_mou_checklist(self) -> None:
        if MOU_CHECKLIST in self._extra_pages:
            self.go_to(MOU_CHECKLIST)

    @Slot()
    def _mou_checklist_done(self) -> None:
        topics = mou_topic_pages(self.session)
        if topics:
            index = self.page_ids.index(topics[-1].id)
            if index + 1 < len(self.page_ids):
                self.go_to(self.page_ids[index + 1])

    def _click_too_soon(self) -> bool:
        """A second click of a double-click on Back or Next: ignored, so a fast double-click
        moves one page, never two (Alt+N / Alt+B held down still move page by page)."""
        now = time.monotonic()
        too_soon = now - self._last_click < QApplication.doubleClickInterval() / 1000
        self._last_click = now
        return too_soon

    @Slot()
    def _next_clicked(self) -> None:
        if not self._click_too_soon():
            self.go_next()

    @Slot()
    def _back_clicked(self) -> None:
        if not self._click_too_soon():
            self.go_back()

    @Slot(str)
    def _section_chosen(self, section_id: str) -> None:
        if self.current_page and self.section_of(self.current_page) == section_id:
            return
        self.go_to_section(section_id, focus=False)

    @Slot(str)
    def _standard_chosen(self, standard_id: str) -> None:
        page_id = first_page_of_standard(self.session, standard_id)
        if page_id != self.current_page:
            self.go_to(page_id)

    @Slot(str, str)
    def go_to_question(self, page_id: str, question_id: str = "") -> None:
        """Show a page; with a question, focus it, scroll to it and highlight it."""
        self.go_to(page_id, focus=not question_id or page_id == PROFILE)
        self._cursor = (page_id, question_id or None)
        page = self.pages.get(page_id)
        # (`page is not None` first: mypy narrows only a plain QWidget to a protocol)
        if question_id and page is not None and isinstance(page, QuestionPage):
            page.focus_question(question_id)
            page.highlight_question(question_id)

    @Slot(str)
    def fix_standard(self, standard_id: str) -> None:
        """Open the first page of a standard, at its first question not met."""
        page_id = first_page_of_standard(self.session, standard_id)
        self.go_to_question(page_id, first_unmet_question(self.session, standard_id) or "")

    @Slot()
    def next_unanswered(self) -> None:
        """Go > Next unanswered question (Ctrl+J): the first question after the one in hand
        with no answer yet, wrapping round to the start; each in turn, none twice."""
        left = open_questions(self.session)
        if not left:  # said in a box: a jump that goes nowhere would look like a fault
            words = "Every question is answered."
            self.status_message.emit(words, 10000)
            box = QMessageBox(QMessageBox.Icon.NoIcon, words, words, QMessageBox.StandardButton.Ok,
                              self.window())
            box.setInformativeText("Home shows what is left to confirm or fix; Readiness shows "
                                   "the verdict and the report.")
            box.exec()
            return
        order = [PROFILE] + [p.id for p in self.session.pages]
        profile_ids = [q.question_id for q in left if q.page_id == PROFILE]

        def key(page_id: str, question_id: str | None) -> tuple[int, int]:
            if page_id not in order:
                return (-1, -1)
            if question_id is None:
                return (order.index(page_id), -1)
            if page_id == PROFILE:
                index = profile_ids.index(question_id) if question_id in profile_ids else -1
                return (0, index)
            ids = self._specs[page_id].question_ids
            return (order.index(page_id), ids.index(question_id) if question_id in ids else -1)

        position = key(self.current_page, self.current_question())
        after = [q for q in left if key(q.page_id, q.question_id) > position]
        target = (after or left)[0]
        self.go_to_question(target.page_id, target.question_id)

    def _focused_question(self) -> str | None:
        page = self.pages.get(self.current_page)
        focus = QApplication.focusWidget()
        if page is None or focus is None or not isinstance(page, QuestionPage):
            return None
        for block in page.blocks:
            if block.isAncestorOf(focus):
                return block.question.id
        return None

    def go_to_section(self, section_id: str, *, focus: bool = True) -> None:
        for page_id in self.page_ids:
            if self.section_of(page_id) == section_id:
                self.go_to(page_id, focus=focus)
                return

    @Slot(str)
    def jump_to_question(self, question_id: str) -> None:
        """From Review or Find: show the page holding this question, focus and highlight it."""
        for page_id, spec in self._specs.items():
            if question_id in spec.question_ids:
                self.go_to_question(page_id, question_id)
                return
        self.go_to(PROFILE)
