"""Getting data back: File > Restore from a backup…, File > Recently deleted…, the quiet
automatic-backup line, and the bar that offers a newer question set.

Loaded only when one of them is first needed (never before the start screen shows). No SQL:
everything goes through the store's methods.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.dates import long_date
from nasro_desktop.store.db import KEEP_DELETED_DAYS
from nasro_desktop.ui.dialog_fit import ChoiceBox, FittedDialog
from nasro_desktop.ui.labels import MessageBox, local_time, pick_list, wrap_label
from nasro_desktop.ui.start_screen import _plain, listed
from nasro_desktop.ui.style import frame

KIND_WORDS = {
    "daily": "Daily (automatic)",
    "weekly": "Weekly (automatic)",
    "manual": "Made by you",
    "pre-migration": "Before an update",
}
KIND_PHRASES = {  # "Restore the daily backup made …?"
    "daily": "daily backup",
    "weekly": "weekly backup",
    "manual": "backup you made",
    "pre-migration": "backup made before an update,",
}


# --- words ------------------------------------------------------------------------------


def day_and_time(moment: datetime) -> str:
    """'September 15, 2026 at 14:05', in the user's local time."""
    moment = local_time(moment)
    return f"{long_date(moment.date())} at {moment:%H:%M}"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def kind_text(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.replace("-", " ").capitalize())


def backup_failure_reason(error: BaseException) -> str:
    """Why the automatic backup failed, as a short plain phrase (never a technical text)."""
    errno = None
    name = ""
    seen: BaseException | None = error
    while seen is not None:  # the store keeps the original cause in __cause__
        errno = errno or getattr(seen, "errno", None)
        name = name or (getattr(seen, "sqlite_errorname", "") or "")
        seen = seen.__cause__
    reason = str(getattr(error, "reason", ""))
    if errno == 28 or name.startswith("SQLITE_FULL") or "SQLITE_FULL" in reason:
        return "the disk is full"
    if errno in (1, 13, 30) or name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
        return "the backups folder cannot be written to"
    if errno in (17, 20, 21):  # something else sits where the backups folder should be
        return "the backups folder could not be made in your data folder"
    return "the disk reported a problem"


def backup_failed_text(error: BaseException) -> str:
    own = getattr(error, "backup_text", "")  # the store's own whole sentence (damage found)
    if own:
        return str(own)
    return (f"Today's automatic backup could not be made: {backup_failure_reason(error)}. "
            "Your answers are safe; use File > Back up now…")


def confirm(parent: QWidget | None, title: str, text: str, details: str, yes: str) -> bool:
    """A question with plainly named buttons; Cancel is the default (Esc and Enter are safe)."""
    box = ChoiceBox(parent, title, text, details)
    box.choice("yes", yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.choice("", "Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box.ask() == "yes"


def _table(parent: QWidget, headers: list[str], name: str, description: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    pick_list(table, name, description)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _cell(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tip:
        item.setToolTip(tip)
    return item


def _show_rows(dialog, cells: list[list[QTableWidgetItem]]) -> bool:
    """Fill the dialog's table (or show its "nothing here" line); select the first row."""
    table = dialog.table
    table.setRowCount(len(cells))
    for row, items in enumerate(cells):
        for column, item in enumerate(items):
            table.setItem(row, column, item)
    has_rows = bool(cells)
    table.setVisible(has_rows)
    dialog.empty.setVisible(not has_rows)
    dialog.restore_button.setEnabled(has_rows)
    if has_rows:
        table.selectRow(0)
        table.setFocus()
    return has_rows


def _button(text: str, description: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(text.rstrip("…"))
    button.setAccessibleDescription(description)
    button.setToolTip(description)
    button.setMinimumHeight(34)
    button.setAutoDefault(False)
    return button


# --- File > Restore from a backup… ------------------------------------------------------


class RestoreBackupDialog(FittedDialog):
    """The backups in the data folder, newest first (by what they hold, not by their date). After a confirmed choice, `chosen` holds
    the file to restore and the dialog is accepted; the window does the restoring."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.chosen: Path | None = None
        self.setWindowTitle("Restore from a backup")
        self.setAccessibleName("Restore from a backup")
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        layout.addWidget(wrap_label("Restore from a backup", "heading", self))
        layout.addWidget(wrap_label(
            "Pick a backup to bring back all your assessments as they were when it was made. "
            "Your data as it is now is kept aside first, so you can come back to it.",
            None, self))
        self.table = _table(self, ["Made", "Kind", "Size"], "Backups",
                            "Your backups, newest first. Press Enter to restore the selected "
                            "one.")
        self.table.doubleClicked.connect(self.restore_selected)
        self.table.activated.connect(self.restore_selected)
        layout.addWidget(self.table, 1)
        self.empty = wrap_label(
            "There are no backups here yet. The app makes one automatically each day you "
            "use it; you can also restore a file you saved with Back up now.", None, self)
        layout.addWidget(self.empty)
        self.message = MessageBox(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.restore_button = _button("Restore…", "Replace your assessments with the selected "
                                      "backup. Your current data is kept aside first.", self)
        self.file_button = _button("Restore from a file…", "Choose a backup file saved "
                                   "elsewhere, for example with Back up now.", self)
        self.close_button = _button("Close", "Close without changing anything.", self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button.clicked.connect(self.restore_from_file)
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.restore_button)
        row.addWidget(self.file_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.backups: list = []
        self.reload()

    def reload(self) -> None:
        self.backups = listed(self.message, self.store.backups.all)
        cells = []
        for backup in self.backups:
            when = day_and_time(backup.created)
            tip = f"Backup made {when}"
            if getattr(backup, "future", False):
                when += " (later than today: the clock was wrong)"
                tip += (". Its date is later than today because the computer's clock was wrong "
                        "when it was made; the list is in the order of what the backups hold.")
            cells.append([_cell(when, tip), _cell(kind_text(backup.kind)),
                          _cell(size_text(backup.size))])
        if not _show_rows(self, cells):
            self.file_button.setFocus()

    def selected(self):
        row = self.table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    @Slot()
    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        made = f"{KIND_PHRASES.get(backup.kind, 'backup')} made {day_and_time(backup.created)}"
        if self.confirm_restore(made):
            self.chosen = backup.path
            self.accept()

    @Slot()
    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore from a backup file",
                                              str(Path.home()), "Backups (*.db);;All files (*)")
        if path and self.confirm_restore(f"backup in the file {Path(path).name}"):
            self.chosen = Path(path)
            self.accept()

    def confirm_restore(self, which: str) -> bool:
        return confirm(
            self, "Restore from a backup",
            f"Restore the {which}?",
            "All your assessments will be replaced by the ones in that backup. Your data as it "
            "is now is kept aside first, as a backup listed here as “Made by you” with "
            "today's date, so nothing is lost and you can go back to it.",
            "Restore")


# --- File > Recently deleted… -----------------------------------------------------------


class RecentlyDeletedDialog(FittedDialog):
    """Assessments deleted in the last 30 days, with Restore. `restored(id)` after each."""

    restored = Signal(int)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Recently deleted")
        self.setAccessibleName("Recently deleted")
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(wrap_label("Recently deleted assessments", "heading", self))
        layout.addWidget(wrap_label(
            f"A deleted assessment is kept for {KEEP_DELETED_DAYS} days, then removed for "
            "good. Restore puts it back in your list, with all its answers.", None, self))
        self.table = _table(self, ["Title", "Agency", "Deleted", "Kept until"],
                            "Deleted assessments",
                            "Press Enter to restore the selected assessment.")
        self.table.doubleClicked.connect(self.restore_selected)
        self.table.activated.connect(self.restore_selected)
        layout.addWidget(self.table, 1)
        self.empty = wrap_label(f"Nothing was deleted in the last {KEEP_DELETED_DAYS} days.",
                                None, self)
        layout.addWidget(self.empty)
        self.message = MessageBox(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.restore_button = _button("Restore", "Put the selected assessment back in your "
                                      "list.", self)
        self.restore_button.clicked.connect(self.restore_selected)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)  # Enter in the list restores; it must not also close
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.deleted: list = []
        self.reload()

    def reload(self) -> None:
        self.deleted = listed(self.message, self.store.list_deleted)
        cells = []
        for summary in self.deleted:
            until = local_time(summary.deleted_at + timedelta(days=KEEP_DELETED_DAYS))
            cells.append([_cell(summary.title, summary.title), _cell(summary.agency or "—"),
                          _cell(day_and_time(summary.deleted_at)), _cell(long_date(until.date()))])
        _show_rows(self, cells)

    @Slot()
    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.deleted):
            return
        summary = self.deleted[row]
        try:
            self.store.restore_assessment(summary.id)
        except Exception as error:
            self.message.show_messages([_plain(error)])
            return
        self.reload()
        self.message.show_messages([f"“{summary.title}” is back in your list of saved "
                                    "assessments."])
        self.restored.emit(summary.id)


# --- the newer question set -------------------------------------------------------------


class UpgradeBar(QFrame):
    """A slim line above the interview pages: a newer version of the questions exists."""

    upgrade_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame(self, "message")
        self.setAccessibleName("Newer questions available")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = wrap_label("", None, self)
        self.button = _button("Upgrade…", "Move this assessment to the newest version of the "
                              "questions. Your answers carry over.", self)
        self.button.clicked.connect(self.upgrade_requested)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()

    def set_versions(self, old: int | None, new: int | None) -> None:
        if old is None or new is None or new <= old:
            self.hide()
            return
        text = (f"This assessment uses version {old} of the questions; version {new} is "
                "available.")
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
        self.show()


def upgrade_details(old: int, new: int) -> str:
    return (f"Your answers carry over wherever the question is the same in version {new}. "
            "Where a question now asks something different, your old answer carries over "
            "marked \u201cconfirm again\u201d (listed under To confirm on the Review page): "
            "check each one. Questions that are new in version "
            f"{new} appear unanswered, so the verdict may change until you answer them. "
            "A copy of all your assessments is saved first (listed under File > Restore from "
            "a backup… as “Before an update”).")
