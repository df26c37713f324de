"""The main window: its menus and status bar, the start screen, and the workspace of the open
assessment.

Not QWizard: a sidebar of sections plus a QStackedWidget with our own Back / Next (Alt+B /
Alt+N), so Back never resets anything and any section is one click or key away; that is the
`Workspace` (ui/navigation.py), built when an assessment opens and thrown away when it closes.
The File menu's actions on the data are a `FileActions` (ui/file_actions.py); the Help dialogs
are built by ui/help_dialogs.py. The window joins them: menu actions call them, their signals
reach the status bar and the menus.

All edits go through the `Session` (nasro_desktop/session.py); the window listens to it to
update the status bar ("Saved at …" or "Could not save — will retry…") and the workspace (the
sidebar's completion marks and the page on screen).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from nasro_desktop import DISPLAY_NAME
from nasro_desktop.events import Change, ChangeKind, SessionEvent
from nasro_desktop.problem_log import note_problem
from nasro_desktop.store.import_match import copy_title
from nasro_desktop.ui import find_dialog, style
from nasro_desktop.ui.dialog_fit import FRAME_GUESS, fit_to_screen
from nasro_desktop.ui.file_actions import FileActions
from nasro_desktop.ui.page import HOME, READINESS
from nasro_desktop.ui.start_screen import StartScreen, _plain

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from nasro_desktop.session import Session
    from nasro_desktop.ui.navigation import Workspace
    from nasro_desktop.ui.readiness_page import ReadinessPage

RETRY_MS = 5000
SCALE_SETTING = "text_scale"
SAVE_FAILED_TEXT = "✘ Could not save — will retry; your answers are kept."
SUMMARY_DELAY_MS = 400  # the start screen's summary saved this long after the last change
# The daily backup and the purge of old deletions start this long after the start screen shows.
MAINTENANCE_DELAY_MS = 1000
# The question set (YAML read and checked, ~80 ms of CPU) is loaded this long after the start
# screen shows, while the user reads it, so opening an assessment does not wait for it.
LOAD_QUESTIONS_DELAY_MS = 300


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


class MainWindow(QMainWindow):
    """`MainWindow(store)`; `show_start()` / `open_assessment(id)` / `go_to(page_id)`.

    Here are the menus, the start screen, opening and closing an assessment (its
    `Workspace`), keeping the workspace in step with the session, saving and the view
    settings."""

    page_changed = Signal(str)  # the workspace's page on screen
    start_shown = Signal()  # the start screen is on screen with its list loaded

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.session: Session | None = None
        self.workspace: Workspace | None = None  # while an assessment is open
        self._refresh_pending = False
        self.force_quit = False  # closing without asking again
        self._maintenance_scheduled = False
        self.setWindowTitle(DISPLAY_NAME)
        self.resize(self._first_size())
        self.files = FileActions(self, self)

        self.outer = QStackedWidget(self)  # the start screen or the workspace
        self.setCentralWidget(self.outer)
        self.start = StartScreen(store, self.outer)
        self.outer.addWidget(self.start)
        self.start.open_requested.connect(self.open_assessment)
        self.start.new_requested.connect(self.create_assessment)
        self.start.sample_requested.connect(self.open_sample)
        self.start.import_requested.connect(self.files.import_file)
        self.start.backup_requested.connect(self.files.backup_now)

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
        self._build_menus()
        self._apply_saved_appearance()
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
        self._action(file_menu, "&Import a file…", self.files.import_file, None,
                     "Open an assessment exported to a file.")
        self.export_action = self._action(file_menu, "&Export this assessment…",
                                          self.files.export_current, None,
                                          "Save this assessment as one file to share or keep.")
        self.spreadsheet_action = self._action(
            file_menu, "Save as &spreadsheet…", self.save_as_spreadsheet, None,
            "Save this assessment as an Excel workbook (or CSV files): summary, standards, "
            "action plan, officers, schools, answers and evidence.")
        self.share_menu = file_menu.addMenu("S&hare with the other party")  # ui/sharing_dialog
        self.share_menu.aboutToShow.connect(self._fill_share_menu)
        file_menu.addSeparator()
        self.print_action = self._action(file_menu, "&Print the report…", self.print_report,
                                         QKeySequence("Ctrl+P"),
                                         "Print the readiness report for the board (Ctrl+P).")
        self.pdf_action = self._action(file_menu, "Save the report as P&DF…",
                                       self.save_report_pdf, None,
                                       "Save the readiness report as a PDF file.")
        file_menu.addSeparator()
        self._action(file_menu, "&Back up now…", self.files.backup_now, None,
                     "Save a copy of all your assessments.")
        self._action(file_menu, "&Restore from a backup…", self.files.show_restore, None,
                     "Bring back all your assessments as they were in a backup.")
        self._action(file_menu, "Recently &deleted…", self.files.show_recently_deleted, None,
                     "Bring back an assessment deleted in the last 30 days.")
        self.upgrade_action = self._action(file_menu, "&Upgrade to the newest questions…",
                                           self.files.upgrade_questions, None,
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
        self.back_action = self._action(go_menu, "&Back", self._in_workspace("go_back"),
                                        QKeySequence("Alt+B"), "Previous page.")
        self.next_action = self._action(go_menu, "&Next", self._in_workspace("go_next"),
                                        QKeySequence("Alt+N"), "Next page.")
        self.home_action = self._action(go_menu, "&Home: what is left",
                                        lambda: self.go_to(HOME), QKeySequence("Ctrl+H"),
                                        "The assessment's home page: what is answered, what "
                                        "is left and what to do next.")
        self.mou_action = self._action(go_menu, "The &MOU's topics on one page",
                                       self._in_workspace("show_mou_checklist"), None,
                                       "With the signed MOU in hand: check every topic on one "
                                       "page.")
        self.unanswered_action = self._action(
            go_menu, "Next &unanswered question", self._in_workspace("next_unanswered"),
            QKeySequence("Ctrl+J"), "Go to the next question with no answer yet (Ctrl+J).")
        self.find_action = self._action(
            go_menu, "&Find…", lambda: find_dialog.find(self), QKeySequence("Ctrl+F"),
            "Find words in notes, reasons and action items of every assessment.")
        go_menu.addSeparator()
        self.go_menu = go_menu
        self.section_actions: list[QAction] = []  # Go > a section (Ctrl+1...)

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

    def _in_workspace(self, move: str):
        """A Go menu slot: the workspace's `move` (its method's name), when one is open."""
        def slot() -> None:
            if self.workspace is not None:
                getattr(self.workspace, move)()
        return slot

    def _update_actions(self) -> None:
        open_ = self.workspace is not None and self.outer.currentWidget() is self.workspace
        for action in (self.export_action, self.spreadsheet_action, self.print_action,
                       self.pdf_action,
                       self.close_action, self.back_action,
                       self.next_action, self.home_action, self.unanswered_action,
                       self.mou_action,
                       *self.section_actions):
            action.setEnabled(open_)
        self.upgrade_action.setEnabled(self.workspace is not None and open_
                                       and self.workspace.newer_form is not None)

    # -- the start screen ------------------------------------------------------------------

    @Slot()
    def show_start(self) -> None:
        if self.workspace is not None:
            self.workspace.remember_page()
        if self.session is not None:
            self.session.refresh_summary()
            self.session.retry()
        self.outer.setCurrentWidget(self.start)
        self.setWindowTitle(DISPLAY_NAME)
        self.start.reload()
        if self.session is not None and self.session.assessment.id is not None:
            self.start.select_id(self.session.assessment.id)
        self.start.focus_default()
        self._update_actions()
        self.start_shown.emit()
        if not self._maintenance_scheduled:
            self._maintenance_scheduled = True
            QTimer.singleShot(LOAD_QUESTIONS_DELAY_MS, self, self._load_question_set)
            QTimer.singleShot(MAINTENANCE_DELAY_MS, self, self.files.start_maintenance)

    @Slot()
    def _load_question_set(self) -> None:
        """Idle time on the start screen: the current question set, loaded once per process. A
        question set that can't be loaded is said when an assessment is opened, not here."""
        from nasro_desktop.domain.forms import FormError, current_form  # PyYAML: when first used

        try:
            current_form()
        except FormError:
            pass

    @Slot()
    def new_assessment(self) -> None:
        self.show_start()
        self.start.ask_new()

    @Slot(dict)
    def create_assessment(self, values: dict) -> None:
        self._start("Could not start the assessment",
                    lambda sessions: sessions.create(self.store, **values))

    @Slot()
    def open_sample(self) -> None:
        def sample(sessions: type[Session]) -> Session:
            taken = {s.title for s in self.store.list_assessments()}
            session = sessions.open_sample(self.store)
            session.save_details(title=copy_title(
                f"Sample (fictional): {session.assessment.title}", taken, "copy"))
            return session

        if self._start("Could not open the sample", sample):
            self.statusBar().showMessage(
                "A copy of the fictional sample: change anything, your own assessments are "
                "safe.", 15000)  # short: the "Saved at…" beside it must stay whole at larger text

    @Slot(int)
    def open_assessment(self, assessment_id: int) -> None:
        self._start("Could not open the assessment",
                    lambda sessions: sessions.open(self.store, assessment_id))

    def _start(self, failed: str, make: Callable[[type[Session]], Session]) -> bool:
        """Open the session `make` returns (given the Session class), or say why not."""
        from nasro_desktop.session import Session  # the session and engine: when one opens

        try:
            session = make(Session)
        except Exception as error:
            self.show_error(failed, error)
            return False
        self.open_session(session)
        return True

    # -- the open assessment ---------------------------------------------------------------

    def open_session(self, session: Session, page_id: str = HOME) -> None:
        """Show `session` in a new workspace, at `page_id` (Home if it has no such page)."""
        from nasro_desktop.ui.navigation import Workspace  # the pages: when one first opens

        self._drop_workspace()
        self.session = session
        session.add_listener(self._on_session_event)
        workspace = Workspace(session, self.outer)
        workspace.page_changed.connect(self.page_changed)
        workspace.status_message.connect(self.statusBar().showMessage)
        workspace.export_requested.connect(self.files.export_current)
        workspace.upgrade_requested.connect(self.files.upgrade_questions)
        self.workspace = workspace
        self.outer.addWidget(workspace)
        workspace.refresh_sidebar()
        for index, (section_id, title) in enumerate(workspace.sections[1:10]):
            self.section_actions.append(self._action(
                self.go_menu, title,
                lambda _c=False, s=section_id: workspace.go_to_section(s),
                QKeySequence(f"Ctrl+{index + 1}")))
        self.outer.setCurrentWidget(workspace)
        self.setWindowTitle(f"{session.assessment.title} — {DISPLAY_NAME}")
        self._update_actions()
        workspace.go_to(page_id if page_id in workspace.page_ids else HOME)
        self._show_saved(session.state.saved_at)

    def close_session(self) -> None:
        """Forget the open assessment (everything in it is saved) and its pages."""
        self._drop_workspace()
        self.session = None
        self.retry_timer.stop()
        self._update_actions()

    def _drop_workspace(self) -> None:
        """The open assessment's place remembered, its summary saved and its workspace gone."""
        if self.workspace is not None:
            self.workspace.stop()
        self._flush_summary()
        if self.session is not None:
            self.session.remove_listener(self._on_session_event)
        if self.workspace is not None:
            self.outer.setCurrentWidget(self.start)
            self.outer.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        for action in self.section_actions:  # deleted, not kept: each holds its workspace
            self.go_menu.removeAction(action)
            action.deleteLater()
        self.section_actions = []

    @property
    def current_page(self) -> str:
        """The workspace's page ("" when no assessment is open)."""
        return self.workspace.current_page if self.workspace is not None else ""

    def go_to(self, page_id: str, *, focus: bool = True) -> None:
        """Show a page of the open assessment (as Go > Home does)."""
        if self.workspace is not None:
            self.workspace.go_to(page_id, focus=focus)

    def _readiness_page(self) -> ReadinessPage | None:
        if self.workspace is None:
            return None
        self.workspace.go_to(READINESS)
        return self.workspace.pages.get(READINESS)  # type: ignore[return-value]

    @Slot()
    def print_report(self) -> None:
        """File > Print the report… (Ctrl+P): the Readiness page, whose verdict is printed,
        then its Print…, which asks for the edition and the printer."""
        page = self._readiness_page()
        if page is not None:
            page.report.print_button.click()  # nothing while it is disabled (busy, no data)

    @Slot()
    def save_report_pdf(self) -> None:
        """File > Save the report as PDF…: as the Readiness page's Save PDF report…."""
        page = self._readiness_page()
        if page is not None:
            page.report.save_button.click()

    # -- keeping everything up to date -----------------------------------------------------

    def _on_session_event(self, event: SessionEvent, payload: object) -> None:
        if event is SessionEvent.SAVED:
            self._show_saved(payload)
            self.retry_timer.stop()
        elif event is SessionEvent.SAVE_FAILED:
            self.status_label.setText(SAVE_FAILED_TEXT)
            self.status_label.setToolTip(str(payload))
            self.status_label.setAccessibleDescription(str(payload))
            if not self.retry_timer.isActive():
                self.retry_timer.start()
        elif event is SessionEvent.CHANGED and isinstance(payload, Change):
            self._schedule_refresh(payload)

    def _show_saved(self, when) -> None:
        if when is None:
            self.status_label.setText("✔ Everything is saved as you go.")
        else:
            self.status_label.setText(f"✔ Saved at {when:%H:%M:%S}")
        self.status_label.setToolTip("")

    def _schedule_refresh(self, what: Change) -> None:
        if what.kind is ChangeKind.DETAILS and self.session is not None:
            self.setWindowTitle(f"{self.session.assessment.title} — {DISPLAY_NAME}")
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
        """Redraw what depends on the answers (the workspace), and save the start screen's
        summary soon."""
        self._refresh_pending = False
        if self.session is None or self.workspace is None:
            return
        self.workspace.refresh()
        self._summary_timer.start()

    @Slot()
    def _save_summary(self) -> None:
        if self.session is not None:
            self.session.refresh_summary()

    def _flush_summary(self) -> None:
        """The summary of the assessment being left, saved now if it was still waiting."""
        if self._summary_timer.isActive():
            self._summary_timer.stop()
            self._save_summary()

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
        session = self.session
        if self.workspace is not None:
            self.workspace.remember_page()
        if session is not None and not self.force_quit:
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
        self.force_quit = True  # asked once; a second close does not ask again
        event.accept()

    # -- view and help ---------------------------------------------------------------------

    @staticmethod
    def _first_size() -> QSize:
        """1366x768, or less: the screen's free area less the window's frame (title bar and
        borders), so the whole window and its status bar's "Saved at…" are on screen at
        1366x768 and 1024x640."""
        screen = QApplication.primaryScreen()
        size = QSize(1366, 768)
        if screen is not None:
            free = screen.availableGeometry().size()
            frame_w, frame_h = FRAME_GUESS if QApplication.platformName() != "offscreen" \
                else (4, 4)
            size = QSize(min(size.width(), free.width() - frame_w),
                         min(size.height(), free.height() - frame_h))
        return size

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not getattr(self, "_placed", False):
            self._placed = True
            # once the window manager has framed it, its real frame is known
            QTimer.singleShot(0, self, self.keep_on_screen)

    @Slot()
    def keep_on_screen(self) -> None:
        """The whole window inside the screen's free area, frame included (not when the user
        maximized it: the system places that)."""
        if self.isMaximized() or self.isFullScreen():
            return
        if QApplication.platformName() == "offscreen":  # tests and benchmarks draw at sizes
            return  # larger than its pretend screen, on purpose
        fit_to_screen(self, grow=False)

    def _apply_saved_appearance(self) -> None:
        try:
            saved = self.store.get_setting(style.APPEARANCE_SETTING, "system") or "system"
        except Exception:
            saved = "system"
        self.set_appearance(str(saved), remember=False)

    def set_appearance(self, appearance: str, *, remember: bool = True) -> None:
        """View > Appearance: System (follow the computer), Light or Dark; kept for next time."""
        style.set_appearance(None, appearance)  # None: the running QApplication
        if self.workspace is not None:  # the icons are drawn in the palette's colours
            self.workspace.sidebar.forget_icons()
            self.workspace.refresh_sidebar()
        current = style.current_appearance()
        for key, action in self.appearance_actions.items():
            action.setChecked(key == current)
        if remember:
            try:
                self.store.set_setting(style.APPEARANCE_SETTING, current)
            except Exception as problem:  # a setting is not worth an error message
                note_problem(self.store.data_dir, "saving the appearance", problem)
            names = {"system": "as the computer is set", "light": "light", "dark": "dark"}
            self.statusBar().showMessage(f"Appearance: {names[current]}.", 4000)

    def set_text_scale(self, scale: float) -> None:
        style.apply(None, scale)  # None: the running QApplication
        try:
            self.store.set_setting(SCALE_SETTING, style.current_scale())
        except Exception as problem:  # a setting is not worth an error message
            note_problem(self.store.data_dir, "saving the text size", problem)
        self.statusBar().showMessage(f"Text size: {round(style.current_scale() * 100)}%", 4000)

    @Slot()
    def show_scoring_help(self) -> None:
        from nasro_desktop.ui import help_dialogs  # dialogs: imported when first shown

        help_dialogs.scoring_help_dialog(self, self.session).exec()

    @Slot()
    def show_about(self) -> None:
        from nasro_desktop.ui import help_dialogs

        help_dialogs.show_about(self, self.store.data_dir)

    @Slot()
    def save_as_spreadsheet(self) -> None:
        from nasro_desktop.ui.spreadsheet_dialog import save_as_spreadsheet  # when first used

        save_as_spreadsheet(self)

    def _fill_share_menu(self) -> None:
        from nasro_desktop.ui import sharing_dialog  # loaded when the menu is first opened

        sharing_dialog.fill(self, self.share_menu)

    def show_error(self, title: str, error: Exception) -> None:
        QMessageBox.warning(self, title, _plain(error))
