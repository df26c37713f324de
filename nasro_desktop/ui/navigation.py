"""Moving through the interview: the workspace (sidebar, the pages in a QStackedWidget,
Back / Next), building a page the first time it is needed (and the next ones in idle time),
go_to, jumps to a question, Next unanswered, and the Review / Readiness pages made ready while
the user reads.

A mixin of `MainWindow` (ui/main_window.py): it uses the window's session,
pages, timers and status bar. The sidebar's lists live in ui/sidebar.py.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.problem_log import note_problem
from nasro_desktop.ui import style
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.page import IdlePrepared, Page, QuestionPage, scroll_to_top
from nasro_desktop.ui.window_parts import WindowParts
from nasro_desktop.ui.wrapped_rows import WrappedRowsDelegate

# page ids besides the interview's (domain/pages.py names those)
HOME = "home"
MOU_CHECKLIST = "mou-checklist"
PROFILE = "profile"
REVIEW = "review"
READINESS = "readiness"

SIDEBAR_WIDTH = 250
NARROW_WIDTH = 1200
PREPARE_DELAY_MS = 700  # quiet time before Review and Readiness are brought up to date
PREPARE_STEP_MS = 40  # then one step (build, fill, lay out one page) at a time
# Quiet time before the next pages are built: after the page on screen is painted, so a build
# never lands inside the frame the user waits for.
PREBUILD_DELAY_MS = 120
# Pages drawn from the session when first shown (the others draw themselves when built).
FILLED_WHEN_SHOWN = (HOME, REVIEW, READINESS)


class Navigation(WindowParts):
    """The window's moves between pages (mixed into MainWindow)."""

    def _build_workspace(self) -> QWidget:
        from PySide6.QtCore import Qt  # not at start-up: see ui/style.py

        session = self.session
        assert session is not None
        if self.workspace is not None:
            self.outer.removeWidget(self.workspace)
            self.workspace.deleteLater()
        for action in self.section_actions:
            self.go_menu.removeAction(action)
        self.pages = {}
        self.current_page = ""
        form = session.form
        self.page_ids = [HOME, PROFILE] + [p.id for p in session.pages] + [REVIEW, READINESS]
        self._specs = {p.id: p for p in session.pages}
        from nasro_desktop.ui.interview_page import mou_topic_pages

        topics = mou_topic_pages(session)
        # page id -> the page it belongs after (it is reached from there, not by Next)
        self._extra_pages = {}
        if topics:
            anchor = self.page_ids[self.page_ids.index(topics[0].id) - 1]
            self._extra_pages[MOU_CHECKLIST] = anchor
        self.sections = [(HOME, "Home"), (PROFILE, "Profile")]
        self.sections += [(s.id, s.title) for s in form.sections]
        self.sections += [(REVIEW, "Review"), (READINESS, "Readiness")]

        workspace = QWidget(self.outer)
        row = QHBoxLayout(workspace)
        row.setContentsMargins(8, 8, 8, 4)
        row.setSpacing(10)
        self.sidebar = QListWidget(workspace)
        self.sidebar.setObjectName("sections")
        self.sidebar.setFixedWidth(self._sidebar_width())
        self.sidebar.setWordWrap(True)
        self.sidebar.setItemDelegate(WrappedRowsDelegate(self.sidebar))
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.sidebar.setSpacing(3)
        self.sidebar.setIconSize(QSize(28, 28))
        self.sidebar.setAccessibleName("Sections")
        self.sidebar.setAccessibleDescription(
            "Each section with how much of it is done. Choose one to go there.")
        for index, (section_id, title) in enumerate(self.sections[1:]):
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, section_id)
            if index == 0:
                home = QListWidgetItem("Home")
                home.setData(Qt.ItemDataRole.UserRole, HOME)
                self.sidebar.addItem(home)
            self.sidebar.addItem(item)
            if index < 9:
                action = self._action(self.go_menu, title,
                                      lambda _c=False, s=section_id: self.go_to_section(s),
                                      QKeySequence(f"Ctrl+{index + 1}"))
                self.section_actions.append(action)
        self.sidebar.currentRowChanged.connect(self._sidebar_changed)
        side = QVBoxLayout()
        side.setSpacing(6)
        side.addWidget(self.sidebar)
        # The section on screen, opened into its standards, each with its status in a symbol
        # and words (never colour alone); Enter or a click opens the standard's page.
        self.standards_list = QListWidget(workspace)
        self.standards_list.setObjectName("standards")
        self.standards_list.setFixedWidth(self._sidebar_width())
        self.standards_list.setWordWrap(True)
        self.standards_list.setItemDelegate(WrappedRowsDelegate(self.standards_list))
        self.standards_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.standards_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.standards_list.setAccessibleName("Standards in this section")
        self.standards_list.setAccessibleDescription(
            "Each standard of the section on screen with its status. Enter opens it.")
        self.standards_list.itemActivated.connect(self._standard_chosen)
        self.standards_list.itemClicked.connect(self._standard_chosen)
        self._standards_section = ""
        side.addWidget(self.standards_list, 1)
        side.addStretch(0)  # keeps the sections at the top when the standards are hidden
        row.addLayout(side)

        right = QVBoxLayout()
        from nasro_desktop.ui.recovery import UpgradeBar

        self.upgrade_bar = UpgradeBar(workspace)
        self.upgrade_bar.upgrade_requested.connect(self.upgrade_questions)
        self.newer_form = session.newer_form()
        self.upgrade_bar.set_versions(
            form.version, None if self.newer_form is None else self.newer_form.version)
        right.addWidget(self.upgrade_bar)
        self.stack = QStackedWidget(workspace)
        right.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        self.back_button = QPushButton("‹ Back", workspace)
        self.back_button.setAccessibleName("Back")
        self.back_button.setAccessibleDescription("Go to the previous page (Alt+B). Nothing "
                                                  "is lost.")
        self.back_button.setToolTip("Previous page (Alt+B)")
        self.position = wrap_label("", "subtle", workspace)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = QPushButton("Next ›", workspace)
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
        self.workspace = workspace
        self.outer.addWidget(workspace)
        self._refresh_sidebar()
        return workspace

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
        assert session is not None
        if page_id == HOME:
            from nasro_desktop.ui.home_page import HomePage

            home = HomePage(session, self.stack)
            home.last_page = session.assessment.last_page
            home.go_requested.connect(self.go_to_question)
            return home
        if page_id == MOU_CHECKLIST:
            from nasro_desktop.ui.interview_page import MouChecklistPage

            checklist = MouChecklistPage(session, self.stack)
            checklist.page_requested.connect(lambda p: self.go_to(p))
            checklist.done_requested.connect(self._mou_checklist_done)
            return checklist
        if page_id == PROFILE:
            from nasro_desktop.ui.profile_page import ProfilePage

            return ProfilePage(session, self.stack)
        if page_id == REVIEW:
            from nasro_desktop.ui.review_page import ReviewPage

            review = ReviewPage(self.stack, session=session)
            review.jump_requested.connect(self.jump_to_question)
            return review
        if page_id == READINESS:
            from nasro_desktop.ui.page import readiness_page

            readiness = readiness_page(session, self.stack)
            readiness.action_item_changed.connect(self.save_action_item)
            readiness.export_requested.connect(self.export_current)
            readiness.fix_requested.connect(self.fix_standard)
            readiness.evidence_source = self._evidence_for_report  # issue 13: evidence register
            return readiness
        from nasro_desktop.ui.interview_page import InterviewPage

        page = InterviewPage(self._specs[page_id], session, self.stack)
        if page_id == self._extra_pages.get(MOU_CHECKLIST):
            page.offer_checklist(self.show_mou_checklist)
        page.advance_requested.connect(self._advance_page)
        page.profile_requested.connect(lambda: self.go_to(PROFILE))
        return page

    def section_of(self, page_id: str) -> str:
        if page_id in (HOME, PROFILE, REVIEW, READINESS):
            return page_id
        if page_id in self._extra_pages:
            return self.section_of(self._extra_pages[page_id])
        return self._specs[page_id].section

    @Slot(str)
    def go_to(self, page_id: str, *, focus: bool = True) -> None:
        """Show a page. Nothing on the page being left is lost: every edit is already saved."""
        if self.session is None or (page_id not in self.page_ids
                                    and page_id not in self._extra_pages):
            return
        widget = self.page_widget(page_id)
        if page_id == HOME and self.current_page in self._specs:
            from nasro_desktop.ui.home_page import HomePage  # built: imported already

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
                from PySide6.QtCore import Qt

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
        self._select_section(self.section_of(page_id))
        self._fill_standards(self.section_of(page_id))
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
        from PySide6.QtCore import Qt

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
        if self.session is not None and self.current_page and self.current_page != HOME:
            try:
                self.session.set_last_page(self.current_page)
            except Exception as problem:  # only the place in the interview: no error box
                note_problem(self.store.data_dir, "remembering the page", problem)

    def _update_position(self) -> None:
        page_id = self.current_page
        index = self._index(page_id)
        section_id = self.section_of(page_id)
        title = dict(self.sections)[section_id]
        in_section = [p for p in self.page_ids if self.section_of(p) == section_id]
        where = f"{title}: page {in_section.index(page_id) + 1} of {len(in_section)}" \
            if len(in_section) > 1 and page_id in in_section else title
        text = f"{where}   ·   step {index + 1} of {len(self.page_ids)}"
        if self.width() >= self.NARROW_WIDTH and style.current_scale() <= 1.15:
            text += "   ·   Alt+N next, Alt+B back"  # else in the buttons' tooltips only
        self.position.setText(text)

    @Slot()
    def _prebuild_next(self) -> None:
        """Build the next couple of pages while the user reads, so Next is instant."""
        if self.session is None or not self.current_page:
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

        if self.session is None or self.workspace is None:
            return
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
        if self.session is None or not self.current_page:
            return
        index = self._index(self.current_page)
        if index + 1 < len(self.page_ids):
            self.go_to(self.page_ids[index + 1])

    @Slot()
    def go_back(self) -> None:
        if self.session is None or not self.current_page:
            return
        index = self._index(self.current_page)
        if self.current_page in self._extra_pages:
            self.go_to(self.page_ids[index])  # back to the page it was opened from
        elif index > 0:
            self.go_to(self.page_ids[index - 1])

    @Slot()
    def _advance_page(self) -> None:
        self.go_next()

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
        from nasro_desktop.ui.interview_page import mou_topic_pages

        topics = mou_topic_pages(self.session) if self.session else []
        if topics:
            index = self.page_ids.index(topics[-1].id)
            if index + 1 < len(self.page_ids):
                self.go_to(self.page_ids[index + 1])

    def _click_too_soon(self) -> bool:
        """A second click of a double-click on Back or Next: ignored, so a fast double-click
        moves one page, never two (Alt+N / Alt+B held down still move page by page)."""
        import time

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

    @Slot()
    def go_home(self) -> None:
        self.go_to(HOME)

    @Slot(str, str)
    def go_to_question(self, page_id: str, question_id: str = "") -> None:
        """Show a page; with a question, focus it, scroll to it and highlight it."""
        if self.session is None:
            return
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
        from nasro_desktop.ui.home_page import first_page_of_standard, first_unmet_question

        if self.session is None:
            return
        page_id = first_page_of_standard(self.session, standard_id)
        self.go_to_question(page_id, first_unmet_question(self.session, standard_id) or "")

    @Slot()
    def next_unanswered(self) -> None:
        """Go > Next unanswered question (Ctrl+J): the first question after the one in hand
        with no answer yet, wrapping round to the start; each in turn, none twice."""
        from nasro_desktop.ui.home_page import open_questions

        if self.session is None:
            return
        left = open_questions(self.session)
        if not left:  # said in a box: a jump that goes nowhere would look like a fault
            from PySide6.QtWidgets import QMessageBox

            words = "Every question is answered."
            self.statusBar().showMessage(words, 10000)
            box = QMessageBox(QMessageBox.Icon.NoIcon, words, words, QMessageBox.StandardButton.Ok,
                              self)
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

        here = self._focused_question() or self._cursor[1] \
            if self._cursor[0] == self.current_page else self._focused_question()
        position = key(self.current_page, here)
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
        """From the Review page: show the page holding this question, focus and highlight it."""
        if self.session is None:
            return
        for page_id, spec in self._specs.items():
            if question_id in spec.question_ids:
                self.go_to_question(page_id, question_id)
                return
        self.go_to(PROFILE)
