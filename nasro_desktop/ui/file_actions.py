"""File actions: import, export, back up, restore, recently deleted, upgrade the question set,
and the start-up maintenance (today's automatic backup, then the purge of old deletions).
Starting next year's assessment is on the start screen (ui/start_screen.py).

A mixin of `MainWindow` (ui/main_window.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QApplication

from nasro_desktop.problem_log import note_problem
from nasro_desktop.ui.window_parts import WindowParts


class FileActions(WindowParts):
    """File menu actions (mixed into MainWindow)."""

    @Slot()
    def import_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Import an assessment", str(Path.home()),
            "Exported assessments (*.zip *.json *.nasro);;All files (*)")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> int | None:
        """Import a file; if the same assessment is in the list already, ask first whether to
        open that one or import the file as a copy (labelled so in the list)."""
        from PySide6.QtCore import Qt

        from nasro_desktop.store.import_match import copy_title, same_assessment

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
        # with evidence files the export is a zip (format 2); without, plain JSON (format 1)
        suffix = ".zip" if self.store.list_evidence(self.session.assessment_id) else ".json"
        default = Path.home() / f"{safe or 'assessment'} {a.as_of:%Y-%m-%d}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, "Export this assessment", str(default),
                                              f"Exported assessments (*{suffix})")
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
    def print_report(self) -> None:
        """File > Print the report… (Ctrl+P): the Readiness page, whose verdict is printed,
        then its Print…, which asks for the edition and the printer."""
        page = self._readiness_page()
        if page is not None and page.print_button.isEnabled():
            page.print_report()

    @Slot()
    def save_report_pdf(self) -> None:
        """File > Save the report as PDF…: as the Readiness page's Save PDF report…."""
        page = self._readiness_page()
        if page is not None and page.save_button.isEnabled():
            page.save_pdf()

    def _readiness_page(self):
        from nasro_desktop.ui.navigation import READINESS

        if self.session is None:
            return None
        self.go_to(READINESS)
        return self.pages.get(READINESS)

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
            notes = self.store.backup_notes
            if notes:  # never "all" while an evidence file is missing or damaged (issue 27)
                QMessageBox.warning(self, "Backed up, but not every evidence file",
                                    f"All your assessments were copied to:\n{written}\n\n"
                                    + "\n".join(notes))
                return
            QMessageBox.information(self, "Backed up",
                                    f"All your assessments were copied to:\n{written}\n\nThe "
                                    "copy was checked after writing.")

        run_task(self, "Backing up…", work, done,
                 lambda error: self.show_error("Could not back up", error))

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
        import shiboken6

        notes = self.store.backup_notes if shiboken6.isValid(self) else []
        if notes:  # the daily check of the evidence files found something (issue 27)
            text = " ".join(notes)
            self.backup_label.setText(text)
            self.backup_label.setAccessibleDescription(text)
            self.backup_label.show()
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
        except Exception as problem:  # nothing is lost by waiting: tried again at next start
            note_problem(self.store.data_dir, "purging assessments deleted long ago", problem)
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
        from nasro_desktop.ui.open_store import open_store
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
        missing: list[str] = []
        try:
            missing = Store.restore_backup(data_dir, backup) or []
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
        if missing:
            n = len(missing)
            text += (f" {n} evidence file{'s' if n != 1 else ''} ({', '.join(missing[:3])}"
                     f"{'…' if n > 3 else ''}) {'was' if n == 1 else 'were'} not in the backup: "
                     "attach again any you still have.")
        self.statusBar().showMessage(text, 20000)
        self.start.undo_bar.hide()  # an undo of a deletion before the restore means nothing now
        self.start.message.show_messages([f"✔ {text}"])  # said on the page, not only below
        return True

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
