"""The main window: the start screen, then the interview with its section sidebar.

Not QWizard: a sidebar of sections plus a QStackedWidget with our own Back / Next (Alt+B /
Alt+N), so Back never resets anything and any section is one click or key away. Pages are built
the first time they are shown (and the next ones in idle time), so opening an assessment is fast.

All edits go through the `Session` (nasro_desktop/session.py); the window listens to it to
update the status bar ("Saved at …" or "Could not save — will retry…"), the sidebar's
completion marks and the page on screen.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop import __version__
from nasro_desktop.ui import style
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.start_screen import StartScreen, _plain

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from nasro_desktop.session import Session

# page ids (as in nasro_desktop.session, which is imported only when an assessment opens)
HOME = "home"
MOU_CHECKLIST = "mou-checklist"  # as in ui/interview_page.py
PROFILE = "profile"
REVIEW = "review"
READINESS = "readiness"

APP_TITLE = "SRO Program Readiness"
RETRY_MS = 5000
SIDEBAR_WIDTH = 250
SCALE_SETTING = "text_scale"
SAVE_FAILED_TEXT = "✘ Could not save — will retry; your answers are kept."
PREPARE_DELAY_MS = 700  # quiet time before Review and Readiness are brought up to date
PREPARE_STEP_MS = 40  # then one step (build, fill, lay out one page) at a time
# Quiet time before the next pages are built: after the page on screen is painted, so a build
# never lands inside the frame the user waits for.
PREBUILD_DELAY_MS = 120
SUMMARY_DELAY_MS = 400  # the start screen's summary saved this long after the last change
# The daily backup and the purge of old deletions start this long after the start screen shows.
MAINTENANCE_DELAY_MS = 1000


class StatusText(QLabel):
    """A status-bar label that keeps room for all of its text as the text or the font changes
    (the status bar does not re-measure it after View > Larger text, and clipped it)."""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        super().setText(text)
        self.setMinimumWidth(self.sizeHint().width())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.setMinimumWidth(self.sizeHint().width())


def scroll_to_top(widget: QWidget) -> None:
    """Every scroll area of a page back at its top-left (a page opens at its top)."""
    from PySide6.QtWidgets import QScrollArea

    for area in widget.findChildren(QScrollArea):
        area.verticalScrollBar().setValue(0)
        area.horizontalScrollBar().setValue(0)


def _send_pending_resize(widget: QWidget) -> None:
    """Deliver the resize a hidden widget would get when first shown, now (as Qt itself does
    on show), so that its column fitting runs in idle time rather than when it appears."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QResizeEvent

    if widget.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent):
        widget.setAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent, False)
        QApplication.sendEvent(widget, QResizeEvent(widget.size(), QSize()))


def lay_out_hidden(widget: QWidget) -> None:
    """Lay out a hidden page now, as showing it would: every pending resize delivered and every
    layout activated (a hidden widget only notes its new size; the labels' wrapping, the scroll
    area's body and the page's own fitting waited until it appeared). Idle-time work, so that
    showing the page is mostly painting it.

    Each pass goes top-down (each box needs its parent's size), then bottom-up (activating a
    layout tells its parent's layout to measure again). Then the scroll areas look again at
    what they hold (their scroll bar may go, which widens the page): until nothing moves."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractScrollArea

    def down(current: QWidget, order: list[QWidget]) -> None:
        # "created" (no native window: a flag, as show() sets it): a widget not created yet
        # takes every new geometry as a pending resize, even the same one
        if not current.testAttribute(Qt.WidgetAttribute.WA_WState_Created):
            current.create()
        _send_pending_resize(current)
        layout = current.layout()
        if layout is not None:
            layout.activate()
        order.append(current)
        for child in current.children():
            if isinstance(child, QWidget) and not child.isWindow() and not child.isHidden():
                down(child, order)

    pending = Qt.WidgetAttribute.WA_PendingResizeEvent
    for _round in range(3):
        order: list[QWidget] = []
        down(widget, order)
        for current in reversed(order):
            layout = current.layout()
            if layout is not None:
                layout.activate()
            _send_pending_resize(current)
        for area in widget.findChildren(QAbstractScrollArea):
            if not area.isHidden():
                QApplication.sendEvent(area, QEvent(QEvent.Type.LayoutRequest))
        if not any(w.testAttribute(pending) for w in order):
            return


class PageStack(QStackedWidget):
    """The interview's pages, one on screen. Not height-for-width: QStackedLayout asks every
    page built so far for its height at the window's width whenever anything around it moves
    (a status text, the position line), and that re-measured every wrapped label of every
    page: the cost of Next grew with each page visited. Each page scrolls or fits itself."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """The pages' least size with room to spare. QStackedLayout's own hint asked every page
        for its preferred size, and a wrapped page answers that by measuring its text at
        another width than the one it has (then again at its own): twice per page, per
        frame. The window is sized by the user, never by this hint."""
        return self.minimumSizeHint().expandedTo(QSize(480, 360))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """What QStackedLayout gives (the largest least size of the pages), without asking
        each page for its preferred size on the way (qSmartMinSize does, and throws it away
        for any page that may shrink)."""
        from PySide6.QtWidgets import QSizePolicy

        shrink = QSizePolicy.PolicyFlag.ShrinkFlag.value
        need = QSize(0, 0)
        for index in range(self.count()):
            page = self.widget(index)
            policy = page.sizePolicy()
            least = page.minimumSizeHint()
            width, height = least.width(), least.height()
            if not policy.horizontalPolicy().value & shrink:
                width = max(width, page.sizeHint().width())
            if not policy.verticalPolicy().value & shrink:
                height = max(height, page.sizeHint().height())
            width, height = min(width, page.maximumWidth()), min(height, page.maximumHeight())
            if page.minimumWidth() > 0:
                width = page.minimumWidth()
            if page.minimumHeight() > 0:
                height = page.minimumHeight()
            need = need.expandedTo(QSize(width, height))
        return need


class Placeholder(QWidget):
    """Shown where another part of the window is not built yet: says so plainly."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(wrap_label(title, "title", self))
        layout.addWidget(wrap_label(text, None, self))
        layout.addStretch(1)

    def set_data(self, *_args) -> None:
        pass


class MainWindow(QMainWindow):
    """`MainWindow(store)`; `show_start()` / `open_assessment(id)` / `go_to(page_id)`."""

    page_changed = Signal(str)
    start_shown = Signal()  # the start screen is on screen with its list loaded
    maintenance_done = Signal()  # the start-up backup and purge have finished (or failed)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.session: Session | None = None
        self.page_ids: list[str] = []
        self.pages: dict[str, QWidget] = {}
        self.sections: list[tuple[str, str]] = []
        self.current_page: str = ""
        self._refresh_pending = False
        self._stale: set[str] = set()
        self._force_quit = False
        self._maintenance_scheduled = False
        self.backup_running = False
        self.newer_form = None  # a newer question set for the open assessment, if any
        self.upgrade_bar = None
        self.setWindowTitle(APP_TITLE)
        self.resize(self._first_size())

        self.outer = PageStack(self)
        self.setCentralWidget(self.outer)
        self.start = StartScreen(store, self.outer)
        self.outer.addWidget(self.start)
        self.start.open_requested.connect(self.open_assessment)
        self.start.new_requested.connect(self.create_assessment)
        self.start.sample_requested.connect(self.open_sample)
        self.start.import_requested.connect(self.import_file)
        self.start.backup_requested.connect(self.backup_now)
        self.workspace: QWidget | None = None

        self.status_label = StatusText("", self)
        self.status_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.status_label)
        self.backup_label = QLabel("", self)  # only when the automatic backup failed
        self.backup_label.setAccessibleName("Automatic backup")
        self.backup_label.hide()
        self.statusBar().addWidget(self.backup_label, 1)
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(self.retry_saves)
        self._last_click = 0.0  # when Back or Next was last clicked (double-click guard)
        self._cursor: tuple[str, str | None] = ("", None)  # the question last jumped to
        self._extra_pages: dict[str, str] = {}
        self._build_menus()
        self._apply_saved_appearance()
        self._prebuild = QTimer(self)
        self._prebuild.setSingleShot(True)
        self._prebuild.setInterval(PREBUILD_DELAY_MS)
        self._prebuild.timeout.connect(self._prebuild_next)
        # Review and Readiness are made ready in idle time (built, filled, laid out while
        # hidden), so showing them is only painting them.
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(PREPARE_DELAY_MS)
        self._prepare_timer.timeout.connect(self._prepare_summaries)
        self._last_page_timer = QTimer(self)
        self._last_page_timer.setSingleShot(True)
        self._last_page_timer.setInterval(300)
        self._last_page_timer.timeout.connect(self.remember_page)
        # The start screen's "% answered" and verdict are written after the frame, not in it.
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self._save_summary)

    # -- menus -----------------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            # setShortcuts (a list) on purpose: setShortcut's overloads make PySide6 build every
            # enum of the Qt namespace (~25 ms) before the start screen can show
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New assessment…", self.new_assessment,
                     QKeySequence("Ctrl+N"), "Start a new assessment.")
        self._action(file_menu, "Open the built-in &sample", self.open_sample, None,
                     "Open a copy of a fictional program to look around.")
        self._action(file_menu, "&Import a file…", self.import_file, None,
                     "Open an assessment exported to a file.")
        self.export_action = self._action(file_menu, "&Export this assessment…",
                                          self.export_current, None,
                                          "Save this assessment as one file to share or keep.")
        self._action(file_menu, "&Back up now…", self.backup_now, None,
                     "Save a copy of all your assessments.")
        self._action(file_menu, "&Restore from a backup…", self.show_restore, None,
                     "Bring back all your assessments as they were in a backup.")
        self._action(file_menu, "Recently &deleted…", self.show_recently_deleted, None,
                     "Bring back an assessment deleted in the last 30 days.")
        self.upgrade_action = self._action(file_menu, "&Upgrade to the newest questions…",
                                           self.upgrade_questions, None,
                                           "Move this assessment to the newest version of "
                                           "the questions; your answers carry over.")
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, "&Save now", self.save_now,
                                        QKeySequence("Ctrl+S"),
                                        "Everything is saved as you go; this saves anything "
                                        "still waiting, now.")
        self.close_action = self._action(file_menu, "&Close this assessment", self.show_start,
                                         QKeySequence("Ctrl+W"), "Back to the start screen.")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence("Ctrl+Q"))

        go_menu = bar.addMenu("G&o")  # Alt+O: Alt+G is the Review page's Flagged filter
        self.back_action = self._action(go_menu, "&Back", self.go_back, QKeySequence("Alt+B"),
                                        "Previous page.")
        self.next_action = self._action(go_menu, "&Next", self.go_next, QKeySequence("Alt+N"),
                                        "Next page.")
        self.home_action = self._action(go_menu, "&Home: what is left", self.go_home,
                                        QKeySequence("Ctrl+H"),
                                        "The assessment's home page: what is answered, what "
                                        "is left and what to do next.")
        self.mou_action = self._action(go_menu, "The &MOU's topics on one page",
                                       self.show_mou_checklist, None,
                                       "With the signed MOU in hand: check every topic on one "
                                       "page.")
        self.unanswered_action = self._action(
            go_menu, "Next &unanswered question", self.next_unanswered, QKeySequence("Ctrl+J"),
            "Go to the next question with no answer yet (Ctrl+J).")
        go_menu.addSeparator()
        self.go_menu = go_menu
        self.section_actions: list[QAction] = []
        from nasro_desktop.ui import find_dialog  # Find (Ctrl+F), Save as spreadsheet…

        find_dialog.install(self, file_menu, go_menu)

        view = bar.addMenu("&View")
        self._action(view, "&Larger text", lambda: self.set_text_scale(style.larger()),
                     [QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        self._action(view, "&Smaller text", lambda: self.set_text_scale(style.smaller()),
                     QKeySequence("Ctrl+-"))
        self._action(view, "&Normal size", lambda: self.set_text_scale(style.NORMAL),
                     QKeySequence("Ctrl+0"))
        view.addSeparator()
        appearance = view.addMenu("&Appearance")
        self.appearance_actions: dict[str, QAction] = {}
        for key, text, tip in (("system", "&System (follow the computer)",
                                "Light or dark as the operating system is set."),
                               ("light", "&Light", "Dark text on a light background."),
                               ("dark", "&Dark", "Light text on a dark background.")):
            action = self._action(appearance, text,
                                  lambda _c=False, k=key: self.set_appearance(k), None, tip)
            action.setCheckable(True)
            self.appearance_actions[key] = action
        self.appearance_actions["system"].setChecked(True)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "How &scoring works", self.show_scoring_help)
        self._action(help_menu, "&About", self.show_about)
        self._update_actions()

    def _update_actions(self) -> None:
        open_ = self.session is not None and self.outer.currentWidget() is self.workspace
        for action in (self.export_action, self.close_action, self.back_action,
                       self.next_action, self.home_action, self.unanswered_action,
                       self.mou_action,
                       *self.section_actions):
            action.setEnabled(open_)
        self.upgrade_action.setEnabled(open_ and self.newer_form is not None)

    # -- start screen ----------------------------------------------------------------------

    @Slot()
    def show_start(self) -> None:
        self.remember_page()
        if self.session is not None:
            self.session.refresh_summary()
            self.session.retry()
        self.outer.setCurrentWidget(self.start)
        self.setWindowTitle(APP_TITLE)
        self.start.reload()
        if self.session is not None and self.session.assessment.id is not None:
            self.start.select_id(self.session.assessment.id)
        self.start.focus_default()
        self._update_actions()
        self.start_shown.emit()
        if not self._maintenance_scheduled:
            self._maintenance_scheduled = True
            QTimer.singleShot(MAINTENANCE_DELAY_MS, self, self.start_maintenance)

    @Slot()
    def new_assessment(self) -> None:
        self.show_start()
        self.start.ask_new()

    @Slot(dict)
    def create_assessment(self, values: dict) -> None:
        from nasro_desktop.session import Session

        try:
            session = Session.create(self.store, **values)
        except Exception as error:
            self.show_error("Could not start the assessment", error)
            return
        self._open_session(session, HOME)

    @Slot()
    def open_sample(self) -> None:
        from nasro_desktop.session import Session
        from nasro_desktop.ui.start_screen import copy_title

        try:
            taken = {s.title for s in self.store.list_assessments()}
            session = Session.open_sample(self.store)
            title = copy_title(f"Sample (fictional): {session.assessment.title}", taken,
                               "copy")
            session.save_details(title=title)
        except Exception as error:
            self.show_error("Could not open the sample", error)
            return
        self._open_session(session, HOME)
        self.statusBar().showMessage(
            "This is a copy of the built-in sample: a fictional program. Change anything; "
            "your own assessments are not touched.", 15000)

    @Slot(int)
    def open_assessment(self, assessment_id: int) -> None:
        from nasro_desktop.session import Session

        try:
            session = Session.open(self.store, assessment_id)
        except Exception as error:
            self.show_error("Could not open the assessment", error)
            return
        self._open_session(session, HOME)

    # -- the interview ---------------------------------------------------------------------

    def _open_session(self, session: Session, page_id: str) -> None:
        self.remember_page()
        self._flush_summary()
        if self.session is not None:
            self.session.remove_listener(self._on_session_event)
        self.session = session
        session.add_listener(self._on_session_event)
        self._cursor = ("", None)
        self._build_workspace()
        self.outer.setCurrentWidget(self.workspace)
        self.setWindowTitle(f"{session.assessment.title} — {APP_TITLE}")
        self._update_actions()
        if page_id not in self.page_ids:
            page_id = HOME
        self.go_to(page_id)
        self._show_saved(session.state.saved_at)

    def _build_workspace(self) -> None:
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
        self._extra_pages: dict[str, str] = {}
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
        self.upgrade_bar.set_versions(form.version, self.newer_form and self.newer_form.version)
        right.addWidget(self.upgrade_bar)
        self.stack = PageStack(workspace)
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

    def page_widget(self, page_id: str) -> QWidget:
        """The page's widget, built the first time it is needed."""
        widget = self.pages.get(page_id)
        if widget is None:
            widget = self._make_page(page_id)
            self.pages[page_id] = widget
            self.stack.addWidget(widget)
            if hasattr(widget, "set_data"):
                self._stale.add(page_id)  # filled in when first shown
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
            try:
                from nasro_desktop.ui.review_page import ReviewPage
            except ImportError:
                return Placeholder("Review", "The review list is not part of this build yet.")
            page = ReviewPage(self.stack)
            page.jump_requested.connect(self.jump_to_question)
            return page
        if page_id == READINESS:
            try:
                from nasro_desktop.ui.readiness_page import ReadinessPage
            except ImportError:
                return Placeholder("Readiness", "The readiness summary is not part of this "
                                   "build yet.")
            page = ReadinessPage(self.stack)
            page.action_item_changed.connect(self.save_action_item)
            page.export_requested.connect(self.export_current)
            page.fix_requested.connect(self.fix_standard)
            page.evidence_source = self._evidence_for_report  # issue 13: evidence register
            return page
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
        self._update_position()
        self._select_section(self.section_of(page_id))
        self._fill_standards(self.section_of(page_id))
        if focus:
            focus_first = getattr(widget, "focus_first", None)
            if focus_first is not None:
                focus_first()
            else:
                widget.setFocus()
        self._last_page_timer.start()  # remember the page soon, not in the way of drawing it
        if self._prepare_timer.isActive():  # idle work waits until the user reads again
            self._prepare_timer.start(PREPARE_DELAY_MS)
        self.page_changed.emit(page_id)
        self._prebuild.start()

    @Slot()
    def remember_page(self) -> None:
        """Save which page is showing, so reopening returns there."""
        self._last_page_timer.stop()
        if self.session is not None and self.current_page and self.current_page != HOME:
            try:
                self.session.set_last_page(self.current_page)
            except Exception:  # only the place in the interview; never worth an error box
                pass

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
                widget = self.page_widget(page_id)
                # lay it out now at the size it will have, so showing it only paints it
                widget.setGeometry(self.stack.currentWidget().geometry())
                widget.ensurePolished()
                lay_out_hidden(widget)
                self._prebuild.start()
                return
        self._prepare_timer.start(PREPARE_DELAY_MS)

    @Slot()
    def _prepare_summaries(self) -> None:
        """One step at a time in idle time: build Review / Readiness, or bring a stale one up
        to date while it is hidden (each step re-arms the timer, so typing is never held)."""
        from PySide6.QtCore import Qt

        if self.session is None or self.workspace is None:
            return
        for page_id in (REVIEW, READINESS):
            if page_id == self.current_page:
                continue
            widget = self.pages.get(page_id)
            if widget is None:
                widget = self.page_widget(page_id)
                widget.setGeometry(self.stack.currentWidget().geometry())
                self._prepare_timer.start(PREPARE_STEP_MS)
                return
            prepare = getattr(widget, "prepare", None) or getattr(widget, "counts", None)
            if page_id in self._stale or getattr(widget, "_pending", None) is not None \
                    or getattr(widget, "_stale", False):
                if page_id in self._stale:
                    self._refresh_page(page_id)
                if prepare is not None:
                    prepare()
                self._prepare_timer.start(PREPARE_STEP_MS)
                return
            if widget.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent):
                lay_out_hidden(widget)  # laid out at its size, so showing it is painting it
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
        if question_id and hasattr(page, "focus_question"):
            page.focus_question(question_id)
            if hasattr(page, "highlight_question"):
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
        if not left:
            self.statusBar().showMessage("Every question is answered. Home and Readiness say "
                                         "what is left to fix.", 10000)
            self.go_to(HOME)
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
        for block in getattr(page, "blocks", ()):
            if focus is not None and block.isAncestorOf(focus):
                return block.question.id
        return None

    def go_to_section(self, section_id: str, *, focus: bool = True) -> None:
        for page_id in self.page_ids:
            if self.section_of(page_id) == section_id:
                self.go_to(page_id, focus=focus)
                return

    @Slot(int)
    def _sidebar_changed(self, row: int) -> None:
        if row < 0 or row >= len(self.sections):
            return
        section_id = self.sections[row][0]
        if self.current_page and self.section_of(self.current_page) == section_id:
            return
        self.go_to_section(section_id, focus=False)

    def _fill_standards(self, section_id: str, *, force: bool = False) -> None:
        """The standards list under the sidebar: the section on screen, opened up. Rebuilt
        only when the section or the answers changed; otherwise only the selection moves."""
        from PySide6.QtCore import Qt

        session = self.session
        if session is None:
            return
        if section_id == self._standards_section and not force:
            current = self._specs.get(self.current_page)
            listing = self.standards_list
            for row in range(listing.count()):
                item = listing.item(row)
                if current is not None and item.data(Qt.ItemDataRole.UserRole) == \
                        current.standard_id:
                    if listing.currentRow() != row:
                        listing.blockSignals(True)
                        listing.setCurrentRow(row)
                        listing.blockSignals(False)
                        listing.scrollToItem(item)
                    break
            return
        if section_id not in {s.id for s in session.form.sections}:
            self.standards_list.hide()
            self._standards_section = ""
            return
        readiness = session.readiness
        rows = []
        for standard in session.form.standards_in(section_id):
            try:
                result = readiness.result(standard.id)
            except StopIteration:
                continue
            if result.not_started:
                mark = "○ Not answered yet"
            else:
                mark = f"{result.status.symbol} {result.status.label}"
            rows.append((standard, mark))
        listing = self.standards_list
        current = self._specs.get(self.current_page)
        listing.blockSignals(True)
        same = section_id == self._standards_section and listing.count() == len(rows) and all(
            listing.item(row).data(Qt.ItemDataRole.UserRole) == standard.id
            for row, (standard, _mark) in enumerate(rows))
        if not same:
            listing.clear()
        for row, (standard, mark) in enumerate(rows):
            text = f"{standard.number} {standard.title}\n    {mark}"
            if same:  # after an answer: only the rows whose status changed are touched
                item = listing.item(row)
                if item.text() == text:
                    continue
                item.setText(text)
            else:
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, standard.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{standard.number} {standard.title}: {mark}")
            item.setToolTip(f"{standard.cls.label} standard. {mark}. Enter opens it.")
            if not same:
                listing.addItem(item)
                if current is not None and current.standard_id == standard.id:
                    listing.setCurrentItem(item)
        listing.blockSignals(False)
        if same:
            self._standards_section = section_id
            listing.show()
            return
        if self.standards_list.currentItem() is not None:
            self.standards_list.scrollToItem(self.standards_list.currentItem())
        self._standards_section = section_id
        self.standards_list.show()

    @Slot(QListWidgetItem)
    def _standard_chosen(self, item: QListWidgetItem) -> None:
        from PySide6.QtCore import Qt

        from nasro_desktop.ui.home_page import first_page_of_standard

        if self.session is None:
            return
        page_id = first_page_of_standard(self.session, item.data(Qt.ItemDataRole.UserRole))
        if page_id != self.current_page:
            self.go_to(page_id)

    def _select_section(self, section_id: str) -> None:
        for row, (sid, _title) in enumerate(self.sections):
            if sid == section_id and self.sidebar.currentRow() != row:
                # only when it moves: setting the same row again repainted the whole list
                self.sidebar.blockSignals(True)
                self.sidebar.setCurrentRow(row)
                self.sidebar.blockSignals(False)

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

    # -- keeping everything up to date -----------------------------------------------------

    def _on_session_event(self, event: str, payload: object) -> None:
        if event == "saved":
            self._show_saved(payload)
            self.retry_timer.stop()
        elif event == "save_failed":
            self.status_label.setText(SAVE_FAILED_TEXT)
            self.status_label.setToolTip(str(payload))
            self.status_label.setAccessibleDescription(str(payload))
            if not self.retry_timer.isActive():
                self.retry_timer.start()
        elif event == "changed":
            self._schedule_refresh(str(payload))

    def _show_saved(self, when) -> None:
        if when is None:
            self.status_label.setText("✔ Everything is saved as you go.")
        else:
            self.status_label.setText(f"✔ Saved at {when:%H:%M:%S}")
        self.status_label.setToolTip("")

    def _schedule_refresh(self, what: str) -> None:
        if what == "details" and self.session is not None:
            self.setWindowTitle(f"{self.session.assessment.title} — {APP_TITLE}")
        if not self._refresh_pending:
            # Changes coming together (a burst of typing, an answer that reveals another
            # question) are drawn once, when the events in hand are handled.
            self._refresh_pending = True
            QTimer.singleShot(0, self, self._refresh_if_pending)

    @Slot()
    def _refresh_if_pending(self) -> None:
        if self._refresh_pending:  # not drawn meanwhile by a direct refresh_now()
            self.refresh_now()

    @Slot()
    def refresh_now(self) -> None:
        """Redraw what depends on the answers: the sidebar marks and the page on screen. The
        other pages are only marked stale: each is redrawn when it next shows (or in idle
        time, for Review and Readiness)."""
        self._refresh_pending = False
        if self.session is None or self.workspace is None:
            return
        self._stale = set(self.pages)
        self._refresh_sidebar()
        if self._standards_section:
            self._fill_standards(self._standards_section, force=True)
        if self.current_page:
            self._refresh_page(self.current_page)
        self._summary_timer.start()
        self._prepare_timer.start(PREPARE_DELAY_MS)

    @Slot()
    def _save_summary(self) -> None:
        if self.session is not None:
            self.session.refresh_summary()

    def _flush_summary(self) -> None:
        """The summary of the assessment being left, saved now if it was still waiting."""
        if self._summary_timer.isActive():
            self._summary_timer.stop()
            self._save_summary()

    def _refresh_page(self, page_id: str) -> None:
        widget = self.pages.get(page_id)
        if widget is None or self.session is None:
            return
        self._stale.discard(page_id)
        set_data = getattr(widget, "set_data", None)
        if set_data is not None:
            s = self.session
            set_data(s.form, s.assessment, s.readiness)
        else:
            widget.refresh()

    def _evidence_for_report(self) -> list:
        s = self.session
        return [] if s is None else s.store.list_evidence(s.assessment_id)

    def _refresh_sidebar(self) -> None:
        from PySide6.QtCore import Qt

        session = self.session
        if session is None:
            return
        readiness = session.readiness
        figures = {f.section.id: f for f in readiness.sections}
        changed = False
        for row, (section_id, title) in enumerate(self.sections):
            if section_id == HOME:
                from nasro_desktop.ui.home_page import status_words

                mark = status_words(readiness)[1].split(":")[0].split(";")[0]
            elif section_id == PROFILE:
                done, of = session.profile_progress()
                mark = "✔ filled in" if done >= of else f"{done} of {of} filled in"
            elif section_id == REVIEW:
                mark = f"{readiness.answered} of {readiness.total} answered"
            elif section_id == READINESS:
                symbol = "✔" if readiness.verdict.value == "ready" else "✘"
                mark = f"{symbol} {readiness.verdict.label}"
                if not readiness.started:
                    mark = "○ Not started"
                elif not readiness.complete:
                    mark += " so far"
            else:
                figure = figures.get(section_id)
                if figure is None or figure.total == 0:
                    mark = "nothing to answer"
                elif figure.answered >= figure.total:
                    mark = "✔ all answered"  # answered, not met: the Readiness entry says that
                else:
                    mark = f"{figure.answered} of {figure.total} answered"
            item = self.sidebar.item(row)
            if item.icon().isNull():
                number = next((s.number for s in session.form.sections if s.id == section_id),
                              None)
                item.setIcon(style.section_icon(section_id, number))
                changed = True
            text = f"{title}\n{mark}"
            if item.text() != text:  # only the rows that changed: each set relays the list
                item.setText(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {mark}")
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, f"Go to {title}")
                changed = True
        if changed:
            self._fit_sidebar_height()

    def _fit_sidebar_height(self) -> None:
        """The section list as tall as its entries (never scrolled); the standards under it
        take the rest of the height."""
        sidebar = self.sidebar
        sidebar.doItemsLayout()
        height = 2 * sidebar.frameWidth() + 4
        for row in range(sidebar.count()):
            height += sidebar.visualItemRect(sidebar.item(row)).height() + 2 * sidebar.spacing()
        room = self.outer.height() - 16
        if room > 0:  # large text on a small screen: it scrolls rather than push the window
            height = min(height, int(room * 0.62))
        if sidebar.height() != height:
            sidebar.setFixedHeight(height)

    @Slot(object)
    def save_action_item(self, item) -> None:
        if self.session is not None:
            self.session.save_action_item(item)

    # -- saving ----------------------------------------------------------------------------

    @Slot()
    def save_now(self) -> None:
        if self.session is None:
            self.statusBar().showMessage("Nothing to save: your work is saved as you go.", 5000)
            return
        if self.session.save_now():
            self.statusBar().showMessage(
                f"All changes are saved (at {datetime.now():%H:%M:%S}).", 8000)
        else:
            self.statusBar().showMessage(
                "Could not save yet. Your answers are kept in the window and saving is "
                "retried every few seconds. " + self.session.state.message, 15000)

    @Slot()
    def retry_saves(self) -> None:
        if self.session is None or self.session.retry():
            self.retry_timer.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        from PySide6.QtWidgets import QMessageBox

        session = self.session
        self.remember_page()
        if session is not None and not self._force_quit:
            try:
                session.refresh_summary()
                all_saved = not session.has_unsaved or session.retry()
            except Exception:  # the store is gone (closed by its owner): nothing more to save
                all_saved = not session.has_unsaved
            if not all_saved:
                answer = QMessageBox.warning(
                    self, "Some changes are not saved",
                    "Some of your latest changes could not be saved: "
                    f"{session.state.message}\n\nIf you quit now, those changes are "
                    "lost. Keep the window open to let it try again (for example after freeing "
                    "disk space).",
                    QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel)
                if answer != QMessageBox.StandardButton.Discard:
                    event.ignore()
                    return
        self.retry_timer.stop()
        self._force_quit = True  # asked once; a second close does not ask again
        event.accept()

    # -- files -----------------------------------------------------------------------------

    @Slot()
    def import_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Import an assessment", str(Path.home()),
            "Exported assessments (*.json *.nasro);;All files (*)")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> int | None:
        """Import a file; if the same assessment is in the list already, ask first whether to
        open that one or import the file as a copy (labelled so in the list)."""
        from PySide6.QtCore import Qt

        from nasro_desktop.ui.start_screen import copy_title, same_assessment

        existing, same = same_assessment(self.store, path)
        if existing is not None:
            choice = self.ask_already_imported(path, existing, same)
            if choice == "open":
                self.open_assessment(existing.id)
                self.statusBar().showMessage(
                    f"Opened “{existing.title}”, already in your list; nothing was imported.",
                    10000)
                return existing.id
            if choice != "copy":
                return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            taken = {s.title for s in self.store.list_assessments()}
            new_id = self.store.import_assessment(path)
            if existing is not None:
                title = copy_title(existing.title, taken, "imported copy")
                self.store.rename(new_id, title)
        except Exception as error:
            QApplication.restoreOverrideCursor()
            self.show_error("Could not import that file", error)
            return None
        QApplication.restoreOverrideCursor()
        self.open_assessment(new_id)
        self.statusBar().showMessage(f"Imported {path.name}.", 8000)
        return new_id

    def ask_already_imported(self, path: Path, existing, same: bool) -> str:
        """"open", "copy" or "" (cancel), asked in plain words."""
        from PySide6.QtWidgets import QMessageBox

        from nasro_desktop.ui.start_screen import when_text

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Already in your list")
        box.setText(f"“{existing.title}” is already in your list"
                    + (", with the same answers." if same else
                       ", with different answers (one of them was changed after the export)."))
        box.setInformativeText(
            f"Last edited: {when_text(existing.updated)}. Open the one in your list, or import "
            f"{path.name} as a separate copy (its title will say “imported copy”)?")
        open_button = box.addButton("Open the one in my list", QMessageBox.ButtonRole.AcceptRole)
        copy_button = box.addButton("Import as a copy", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(open_button)
        self.already_box = box
        box.exec()
        clicked = box.clickedButton()
        return "open" if clicked is open_button else "copy" if clicked is copy_button else ""

    @Slot()
    def export_current(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        if self.session is None:
            return
        self.session.save_now()
        a = self.session.assessment
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in a.title).strip()
        default = Path.home() / f"{safe or 'assessment'} {a.as_of:%Y-%m-%d}.json"
        path, _ = QFileDialog.getSaveFileName(self, "Export this assessment", str(default),
                                              "Exported assessments (*.json)")
        if not path:
            return
        try:
            written = self.store.export_assessment(self.session.assessment_id, Path(path))
        except Exception as error:
            self.show_error("Could not export", error)
            return
        QMessageBox.information(self, "Exported",
                                f"The assessment was saved to:\n{written}\n\nThe file was "
                                "read back and checked.")

    @Slot()
    def backup_now(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        default = Path.home() / f"SRO readiness backup {datetime.now():%Y-%m-%d}.db"
        path, _ = QFileDialog.getSaveFileName(self, "Back up all assessments", str(default),
                                              "Backups (*.db)")
        if not path:
            return
        if self.session is not None:
            self.session.save_now()
        from nasro_desktop.ui.tasks import run_task

        def work(progress):
            progress(0.1)
            return self.store.backup_to(Path(path))

        def done(written) -> None:
            self.backup_label.hide()  # a failed automatic backup is made up for
            QMessageBox.information(self, "Backed up",
                                    f"All your assessments were copied to:\n{written}\n\nThe "
                                    "copy was checked after writing.")

        run_task(self, "Backing up…", work, done,
                 lambda error: self.show_error("Could not back up", error))

    # -- getting data back -----------------------------------------------------------------

    @Slot()
    def start_maintenance(self) -> None:
        """Once, after the start screen shows: today's automatic backup on a worker thread
        (no dialog), then the purge of assessments deleted more than 30 days ago (after the
        backup, so the last copy of them stays in a backup for a few more days)."""
        from nasro_desktop.ui.tasks import run_task

        store = self.store
        self.backup_running = True
        run_task(None, "Automatic backup", lambda _progress: store.auto_backup(),
                 self._auto_backup_done, self._auto_backup_failed)

    def _auto_backup_done(self, _path) -> None:
        self._after_maintenance(None)

    def _auto_backup_failed(self, error: Exception) -> None:
        self._after_maintenance(error)

    def _after_maintenance(self, error: Exception | None) -> None:
        import shiboken6

        if not shiboken6.isValid(self):  # the window closed while the backup ran
            return
        self.backup_running = False
        if error is not None:
            from nasro_desktop.ui.recovery import backup_failed_text

            text = backup_failed_text(error)
            self.backup_label.setText(text)
            self.backup_label.setAccessibleDescription(text)
            self.backup_label.show()
        try:
            self.store.purge_deleted()
        except Exception:  # nothing is lost by waiting: it is tried again at the next start
            pass
        self.maintenance_done.emit()

    @Slot()
    def show_restore(self) -> None:
        from PySide6.QtWidgets import QDialog

        dialog = self.restore_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.restore_from(dialog.chosen)

    def restore_dialog(self):
        from nasro_desktop.ui.recovery import RestoreBackupDialog

        return RestoreBackupDialog(self.store, self)

    def restore_from(self, backup: Path) -> bool:
        """Close the data, restore `backup` (the current data is copied aside first), open it
        again and show the start screen with the restored list. True when restored."""
        from PySide6.QtWidgets import QMessageBox

        from nasro_desktop.store import Store
        from nasro_desktop.ui.app import open_store
        from nasro_desktop.ui.recovery import day_and_time

        if self.backup_running:
            QMessageBox.information(self, "Restore from a backup",
                                    "Today's automatic backup is being made right now. Try "
                                    "again in a few seconds; nothing was changed.")
            return False
        if self.session is not None:
            if not self.session.save_now():
                QMessageBox.warning(self, "Restore from a backup",
                                    "Some of your latest changes are not saved yet, so nothing "
                                    "was restored. Wait until the status bar says Saved (or "
                                    "free some disk space), then try again.")
                return False
            self._close_session()
        data_dir = self.store.data_dir
        self.store.close()
        problem: Exception | None = None
        try:
            Store.restore_backup(data_dir, backup)
        except Exception as error:
            problem = error
        store = open_store(str(data_dir), self)  # says plainly why, if it cannot open
        if store is None:
            self._force_quit = True
            self.close()
            return False
        self.store = store
        self.start.store = store
        self.show_start()
        if problem is not None:
            self.show_error("Could not restore the backup", problem)
            return False
        made = next((b for b in store.list_backups() if b.path == Path(backup)), None)
        when = f"made {day_and_time(made.created)}" if made else f"“{Path(backup).name}”"
        text = (f"Your assessments were restored from the backup {when}. Your data from "
                "before is kept as a backup made by you (File > Restore from a backup…).")
        self.statusBar().showMessage(text, 20000)
        self.start.undo_bar.hide()  # an undo of a deletion before the restore means nothing now
        self.start.message.show_messages([f"✔ {text}"])  # said on the page, not only below
        return True

    def _close_session(self) -> None:
        """Forget the open assessment (everything in it is saved) and its pages."""
        self.remember_page()
        self._flush_summary()
        if self.session is not None:
            self.session.remove_listener(self._on_session_event)
        self.session = None
        self.newer_form = None
        self.retry_timer.stop()
        self._prebuild.stop()
        self._prepare_timer.stop()
        if self.workspace is not None:
            self.outer.setCurrentWidget(self.start)
            self.outer.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        for action in self.section_actions:
            self.go_menu.removeAction(action)
        self.section_actions = []
        self.pages = {}
        self.current_page = ""
        self._update_actions()

    @Slot()
    def show_recently_deleted(self) -> None:
        self.recently_deleted_dialog().exec()

    def recently_deleted_dialog(self):
        from nasro_desktop.ui.recovery import RecentlyDeletedDialog

        dialog = RecentlyDeletedDialog(self.store, self)
        dialog.restored.connect(self._restored_assessment)
        return dialog

    @Slot(int)
    def _restored_assessment(self, assessment_id: int) -> None:
        self.start.reload()
        self.start.select_id(assessment_id)

    @Slot()
    def upgrade_questions(self) -> None:
        """Move the open assessment to the newest question set, after saying what happens."""
        from nasro_desktop.ui.recovery import confirm, upgrade_details

        session, new_form = self.session, self.newer_form
        if session is None or new_form is None:
            return
        old = session.form.version
        if not confirm(self, "Upgrade the questions",
                       f"Move this assessment to version {new_form.version} of the questions?",
                       upgrade_details(old, new_form.version), "Upgrade"):
            return
        try:
            session.save_now()
            upgraded = session.upgraded(new_form)
        except Exception as error:
            self.show_error("Could not upgrade the questions", error)
            return
        before = {q.id for q in session.form.questions}
        new_ids = [q.id for q in new_form.questions  # neither there before nor a rewording
                   if q.id not in before and not set(q.replaces or ()) & before]
        page = self.current_page
        self._open_session(upgraded, page)
        count = len(new_ids)
        self.statusBar().showMessage(
            f"This assessment now uses version {new_form.version} of the questions. "
            + ("Your answers were kept." if not count else
               f"{count} new question{'s' if count != 1 else ''} to answer; your other "
               "answers were kept."), 20000)

    # -- view and help ---------------------------------------------------------------------

    NARROW_WIDTH = 1200

    @staticmethod
    def _first_size() -> QSize:
        """1366x768, or the screen's free area when it is smaller (a 1024x640 screen got a
        window wider than itself, its right edge cut off)."""
        screen = QApplication.primaryScreen()
        size = QSize(1366, 768)
        # offscreen (tests, benchmarks) has no real screen: keep the designed size there
        if screen is not None and QApplication.platformName() != "offscreen":
            free = screen.availableGeometry().size()
            size = QSize(min(size.width(), free.width()), min(size.height(), free.height()))
        return size

    def _sidebar_width(self) -> int:
        """Narrower on a small screen, wider (up to 1.4x) with larger text; items wrap."""
        base = SIDEBAR_WIDTH if self.width() >= self.NARROW_WIDTH else SIDEBAR_WIDTH - 50
        return round(base * min(1.4, max(1.0, style.current_scale())))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.workspace is not None:
            for side in (self.sidebar, self.standards_list):
                side.setFixedWidth(self._sidebar_width())
                side.doItemsLayout()  # wrapped items measured again at the new size
            self._fit_sidebar_height()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        if self.workspace is not None:
            if event.size().height() != event.oldSize().height():
                self._fit_sidebar_height()
            width = self._sidebar_width()
            if self.sidebar.width() != width:
                self.sidebar.setFixedWidth(width)
                self.standards_list.setFixedWidth(width)
                self.standards_list.doItemsLayout()
                self._fit_sidebar_height()
            if self.current_page:
                self._update_position()

    def _apply_saved_appearance(self) -> None:
        try:
            saved = self.store.get_setting(style.APPEARANCE_SETTING, "system") or "system"
        except Exception:
            saved = "system"
        self.set_appearance(str(saved), remember=False)

    def set_appearance(self, appearance: str, *, remember: bool = True) -> None:
        """View > Appearance: System (follow the computer), Light or Dark; kept for next time."""
        style.set_appearance(QApplication.instance(), appearance)
        if self.workspace is not None:  # the icons are drawn in the palette's colours
            for row in range(self.sidebar.count()):
                self.sidebar.item(row).setIcon(QIcon())
            self._refresh_sidebar()
        current = style.current_appearance()
        for key, action in self.appearance_actions.items():
            action.setChecked(key == current)
        if remember:
            try:
                self.store.set_setting(style.APPEARANCE_SETTING, current)
            except Exception:  # a setting is not worth an error message
                pass
            names = {"system": "as the computer is set", "light": "light", "dark": "dark"}
            self.statusBar().showMessage(f"Appearance: {names[current]}.", 4000)

    def set_text_scale(self, scale: float) -> None:
        style.apply(QApplication.instance(), scale)
        try:
            self.store.set_setting(SCALE_SETTING, style.current_scale())
        except Exception:  # a setting is not worth an error message
            pass
        self.statusBar().showMessage(f"Text size: {round(style.current_scale() * 100)}%", 4000)

    @Slot()
    def show_scoring_help(self) -> None:
        self.scoring_help_dialog().exec()

    def scoring_help_dialog(self):
        """Help > How scoring works: the rules in words (domain.scoring.describe_rules)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QScrollArea

        from nasro_desktop.domain.model import RapidDeploymentReading
        from nasro_desktop.domain.scoring import describe_rules

        reading = (self.session.assessment.rapid_deployment_reading if self.session
                   else RapidDeploymentReading.TWICE_A_YEAR)
        dialog = QDialog(self)
        dialog.setWindowTitle("How scoring works")
        dialog.resize(720, 560)
        layout = QVBoxLayout(dialog)
        layout.addWidget(wrap_label("How the verdict is reached", "heading", dialog))
        scroll = QScrollArea(dialog)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form = self.session.form if self.session else None
        text = wrap_label("\n\n".join(f"• {line}" for line in describe_rules(reading, form)),
                          None, scroll)
        text.setAccessibleName("How scoring works")
        text.setMargin(8)
        scroll.setWidget(text)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        return dialog

    @Slot()
    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from nasro_desktop.domain.wording import DISCLAIMER

        QMessageBox.about(
            self, f"About {APP_TITLE}",
            f"{APP_TITLE} {__version__}\n\nA guided check of a School Resource Officer "
            "program against the standards NASRO published in 2018 for SRO programs. "
            "The questions are written in plain words and cite "
            "each standard's number; they are not NASRO's text.\n\n"
            f"{DISCLAIMER}\n\nWorks offline; your data "
            f"stays on this computer, in:\n{self.store.data_dir}")

    def show_error(self, title: str, error: Exception) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, _plain(error))
