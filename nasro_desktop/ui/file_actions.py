"""The File menu's actions on the window's data: import, export, back up, restore, recently
deleted, upgrade the question set, and the start-up maintenance (today's automatic backup,
then the purge of old deletions). Starting next year's assessment is on the start screen
(ui/start_screen.py).

`FileActions(window, parent)` is made once by the window (ui/main_window.py), whose menus and
start screen call it; it acts through what `Window` declares of the window (`open_assessment`,
`open_session`, `close_session`, `show_start`, `show_error`...), because a restore replaces
the window's store and an upgrade its open assessment; `parent` is the dialogs' parent.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QStatusBar,
    QWidget,
)

from nasro_desktop.problem_log import note_problem
from nasro_desktop.store import Store, exchange
from nasro_desktop.store.backups import restore_backup
from nasro_desktop.store.import_match import copy_title, same_assessment
from nasro_desktop.ui.dialog_fit import ChoiceBox
from nasro_desktop.ui.open_store import open_store
from nasro_desktop.ui.recovery import (
    RecentlyDeletedDialog,
    RestoreBackupDialog,
    backup_failed_text,
    confirm,
    day_and_time,
    upgrade_details,
)
from nasro_desktop.ui.start_screen import when_text
from nasro_desktop.ui.tasks import run_task

if TYPE_CHECKING:
    from nasro_desktop.session import Session
    from nasro_desktop.ui.navigation import Workspace
    from nasro_desktop.ui.start_screen import StartScreen


def safe_name(title: str) -> str:
    """A title as the start of a file name: letters, digits, spaces, - and _ only."""
    return "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title).strip()


class Window(Protocol):
    """What the File menu's actions use of the main window (ui/main_window.py)."""

    store: Store
    session: Session | None
    workspace: Workspace | None
    start: StartScreen
    backup_label: QLabel
    force_quit: bool

    @property
    def current_page(self) -> str: ...

    def open_assessment(self, assessment_id: int) -> None: ...

    def open_session(self, session: Session, page_id: str = ...) -> None: ...

    def close_session(self) -> None: ...

    def show_start(self) -> None: ...

    def show_error(self, title: str, error: Exception) -> None: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt name)

    def close(self) -> bool: ...


class FileActions(QObject):
    """File menu actions on the window's store and open assessment."""

    maintenance_done = Signal()  # the start-up backup and purge have finished (or failed)

    def __init__(self, window: Window, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self.parent_widget = parent  # the dialogs' parent
        self.backup_running = False  # the start-up automatic backup is being made
        self.already_box: QMessageBox | None = None  # "Already in your list", while asked

    @Slot()
    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget, "Import an assessment", str(Path.home()),
            "Exported assessments (*.zip *.json *.nasro);;All files (*)")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> int | None:
        """Import a file; if the same assessment is in the list already, ask first whether to
        open that one or import the file as a copy (labelled so in the list)."""
        existing, same = same_assessment(self.window.store, path)
        if existing is not None:
            choice = self.ask_already_imported(path, existing, same)
            if choice == "open":
                self.window.open_assessment(existing.id)
                self.window.statusBar().showMessage(
                    f"Opened “{existing.title}”, already in your list; nothing was imported.",
                    10000)
                return existing.id
            if choice != "copy":
                return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            taken = {s.title for s in self.window.store.list_assessments()}
            new_id = exchange.import_assessment(self.window.store, path)
            if existing is not None:
                title = copy_title(existing.title, taken, "imported copy")
                self.window.store.rename(new_id, title)
        except Exception as error:
            QApplication.restoreOverrideCursor()
            self.window.show_error("Could not import that file", error)
            return None
        QApplication.restoreOverrideCursor()
        self.window.open_assessment(new_id)
        self.window.statusBar().showMessage(f"Imported {path.name}.", 8000)
        return new_id

    def ask_already_imported(self, path: Path, existing, same: bool) -> str:
        """"open", "copy" or "" (cancel), asked in plain words."""
        box = ChoiceBox(
            self.parent_widget, "Already in your list",
            f"“{existing.title}” is already in your list"
            + (", with the same answers." if same else
               ", with different answers (one of them was changed after the export)."),
            f"Last edited: {when_text(existing.updated)}. Open the one in your list, or import "
            f"{path.name} as a separate copy (its title will say “imported copy”)?")
        box.setDefaultButton(box.choice("open", "Open the one in my list",
                                        QMessageBox.ButtonRole.AcceptRole))
        box.choice("copy", "Import as a copy", QMessageBox.ButtonRole.ActionRole)
        box.setEscapeButton(box.choice("", "Cancel", QMessageBox.ButtonRole.RejectRole))
        self.already_box = box
        return box.ask()

    @Slot()
    def export_current(self) -> None:
        if self.window.session is None:
            return
        self.window.session.save_now()
        a = self.window.session.assessment
        # with evidence files the export is a zip (format 2); without, plain JSON (format 1)
        suffix = ".zip" if self.window.store.evidence.records(self.window.session.assessment_id) else ".json"
        default = Path.home() / f"{safe_name(a.title) or 'assessment'} {a.as_of:%Y-%m-%d}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Export this assessment",
                                              str(default), f"Exported assessments (*{suffix})")
        if not path:
            return
        try:
            written = exchange.export_assessment(self.window.store, self.window.session.assessment_id, Path(path))
        except Exception as error:
            self.window.show_error("Could not export", error)
            return
        QMessageBox.information(self.parent_widget, "Exported",
                                f"The assessment was saved to:\n{written}\n\nThe file was "
                                "read back and checked.")

    @Slot()
    def backup_now(self) -> None:
        default = Path.home() / f"SRO readiness backup {datetime.now():%Y-%m-%d}.db"
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Back up all assessments",
                                              str(default), "Backups (*.db)")
        if not path:
            return
        if self.window.session is not None:
            self.window.session.save_now()
        def work(progress):
            progress(0.1)
            return self.window.store.backups.save_to(Path(path))

        def done(written) -> None:
            self.window.backup_label.hide()  # a failed automatic backup is made up for
            notes = self.window.store.backups.notes
            if notes:  # never "all" while an evidence file is missing or damaged (issue 27)
                QMessageBox.warning(self.parent_widget, "Backed up, but not every evidence file",
                                    f"All your assessments were copied to:\n{written}\n\n"
                                    + "\n".join(notes))
                return
            QMessageBox.information(self.parent_widget, "Backed up",
                                    f"All your assessments were copied to:\n{written}\n\nThe "
                                    "copy was checked after writing.")

        run_task(self.parent_widget, "Backing up…", work, done,
                 lambda error: self.window.show_error("Could not back up", error))

    @Slot()
    def start_maintenance(self) -> None:
        """Once, after the start screen shows: today's automatic backup on a worker thread
        (no dialog), then the purge of assessments deleted more than 30 days ago (after the
        backup, so the last copy of them stays in a backup for a few more days)."""
        store = self.window.store
        self.backup_running = True
        run_task(None, "Automatic backup", lambda _progress: store.backups.auto(),
                 self._auto_backup_done, self._after_maintenance)

    def _auto_backup_done(self, _path) -> None:
        notes = self.window.store.backups.notes if shiboken6.isValid(self) else []
        if notes:  # the daily check of the evidence files found something (issue 27)
            text = " ".join(notes)
            self.window.backup_label.setText(text)
            self.window.backup_label.setAccessibleDescription(text)
            self.window.backup_label.show()
        self._after_maintenance(None)

    def _after_maintenance(self, error: Exception | None) -> None:
        if not shiboken6.isValid(self):  # the window closed while the backup ran
            return
        self.backup_running = False
        if error is not None:
            text = backup_failed_text(error)
            self.window.backup_label.setText(text)
            self.window.backup_label.setAccessibleDescription(text)
            self.window.backup_label.show()
        try:
            self.window.store.purge_deleted()
        except Exception as problem:  # nothing is lost by waiting: tried again at next start
            note_problem(self.window.store.data_dir, "purging assessments deleted long ago",
                         problem)
        self.maintenance_done.emit()

    @Slot()
    def show_restore(self) -> None:
        dialog = self.restore_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.restore_from(dialog.chosen)

    def restore_dialog(self):
        return RestoreBackupDialog(self.window.store, self.parent_widget)

    def restore_from(self, backup: Path) -> bool:
        """Close the data, restore `backup` (the current data is copied aside first), open it
        again and show the start screen with the restored list. True when restored."""
        if self.backup_running:
            QMessageBox.information(self.parent_widget, "Restore from a backup",
                                    "Today's automatic backup is being made right now. Try "
                                    "again in a few seconds; nothing was changed.")
            return False
        if self.window.session is not None:
            if not self.window.session.save_now():
                QMessageBox.warning(self.parent_widget, "Restore from a backup",
                                    "Some of your latest changes are not saved yet, so nothing "
                                    "was restored. Wait until the status bar says Saved (or "
                                    "free some disk space), then try again.")
                return False
            self.window.close_session()
        data_dir = self.window.store.data_dir
        self.window.store.close()
        problem: Exception | None = None
        missing: list[str] = []
        try:
            missing = restore_backup(data_dir, backup) or []
        except Exception as error:
            problem = error
        store = open_store(str(data_dir), self.parent_widget)  # says plainly why, if it cannot open
        if store is None:
            self.window.force_quit = True
            self.window.close()
            return False
        self.window.store = store
        self.window.start.store = store
        self.window.show_start()
        if problem is not None:
            self.window.show_error("Could not restore the backup", problem)
            return False
        made = next((b for b in store.backups.all() if b.path == Path(backup)), None)
        when = f"made {day_and_time(made.created)}" if made else f"“{Path(backup).name}”"
        text = (f"Your assessments were restored from the backup {when}. Your data from "
                "before is kept as a backup made by you (File > Restore from a backup…).")
        if missing:
            n = len(missing)
            text += (f" {n} evidence file{'s' if n != 1 else ''} ({', '.join(missing[:3])}"
                     f"{'…' if n > 3 else ''}) {'was' if n == 1 else 'were'} not in the backup: "
                     "attach again any you still have.")
        # short below (the "Saved at…" beside it cut a long one); the whole of it on the page
        self.window.statusBar().showMessage(
            "✔ Restored from the backup: the start screen says what changed.", 20000)
        self.window.start.undo_bar.hide()  # an undo of a deletion before the restore means nothing now
        self.window.start.message.show_messages([f"✔ {text}"])  # said on the page, not only below
        return True

    @Slot()
    def show_recently_deleted(self) -> None:
        self.recently_deleted_dialog().exec()

    def recently_deleted_dialog(self):
        dialog = RecentlyDeletedDialog(self.window.store, self.parent_widget)
        dialog.restored.connect(self.window.start.restored)
        return dialog

    @Slot()
    def upgrade_questions(self) -> None:
        """Move the open assessment to the newest question set, after saying what happens."""
        session, workspace = self.window.session, self.window.workspace
        new_form = None if workspace is None else workspace.newer_form
        if session is None or new_form is None:
            return
        old = session.form.version
        if not confirm(self.parent_widget, "Upgrade the questions",
                       f"Move this assessment to version {new_form.version} of the questions?",
                       upgrade_details(old, new_form.version), "Upgrade"):
            return
        try:
            session.save_now()
            upgraded = session.upgraded(new_form)
        except Exception as error:
            self.window.show_error("Could not upgrade the questions", error)
            return
        before = {q.id for q in session.form.questions}
        new_ids = [q.id for q in new_form.questions  # neither there before nor a rewording
                   if q.id not in before and not set(q.replaces or ()) & before]
        page = self.window.current_page
        self.window.open_session(upgraded, page)
        count = len(new_ids)
        self.window.statusBar().showMessage(
            f"This assessment now uses version {new_form.version} of the questions. "
            + ("Your answers were kept." if not count else
               f"{count} new question{'s' if count != 1 else ''} to answer; your other "
               "answers were kept."), 20000)
