"""`open_store(data_dir, parent)`: open the data, walking the user through each way it can fail
(a damaged file, a stale extra file, a newer version, a second copy of the app). Used at start-up
(ui/app.py) and after File > Restore from a backup (ui/file_actions.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from nasro_desktop import DISPLAY_NAME
from nasro_desktop.domain.dates import long_date
from nasro_desktop.store import (
    DamagedDatabase,
    DataInUse,
    NewerDatabase,
    RecoveryNeeded,
    Store,
    StoreError,
)
from nasro_desktop.store.backups import restore_backup
from nasro_desktop.ui.dialog_fit import ChoiceBox
from nasro_desktop.ui.labels import local_time


def open_store(data_dir: str | None, parent: QWidget | None = None):
    """Open the store, walking the user through each way it can fail. None: the user gave up.

    Every failure ends in a plain dialog: a recovery choice (the files are kept aside, the
    newest backup offered), a read-only view, or a message that says what to do."""
    while True:
        try:
            return Store.open(data_dir)
        except StoreError as problem:
            error: BaseException = problem
        except Exception as problem:  # last resort: never quit without a word
            error = problem
        if isinstance(error, RecoveryNeeded):
            outcome = _recovery_choice(error, data_dir, parent)
            if outcome == "again":
                continue
            return outcome
        if isinstance(error, NewerDatabase):
            return _newer_choice(error, data_dir, parent)
        if isinstance(error, DataInUse):
            QMessageBox.information(parent, DISPLAY_NAME, f"{error}\n\nNothing was changed.")
        elif isinstance(error, StoreError):
            QMessageBox.warning(parent, DISPLAY_NAME, str(error))
        else:
            QMessageBox.warning(
                parent, DISPLAY_NAME, "Your saved data could not be opened because of an "
                f"unexpected problem ({type(error).__name__}). Nothing was changed. Copy your "
                "data folder somewhere safe and report the problem.")
        return None


def _recovery_choice(error, data_dir, parent):
    """The recovery dialog. Returns a Store, None (quit) or "again" (try opening again)."""
    details = [str(error)]
    if error.kept:
        what = "The damaged file was" if isinstance(error, DamagedDatabase) else "The files were"
        details.append(f"{what} kept here: " + ", ".join(str(p) for p in error.kept))
    box = ChoiceBox(parent, DISPLAY_NAME, error.headline, icon=QMessageBox.Icon.Warning)
    role = QMessageBox.ButtonRole
    fix = getattr(error, "fix", "without")
    offered = []  # the first is the default
    if error.without_wal:
        offered.append(box.choice("without_wal", {
            "without": "Open my data without the extra file",
            "readable": "Open my data with the saves that can be read",
            "swap": "Put the two files back in place",
        }.get(fix, "Open my data without the extra file"), role.AcceptRole))
    if error.backups:
        newest = error.backups[0]
        when = local_time(newest.created)
        line = f"The newest backup is from {long_date(when.date())}, {when:%H:%M}."
        if newest.future:
            line += (" Its date is later than today: the computer's clock was wrong when it "
                     "was made. It is still the newest by what it holds.")
        details.append(line)
        offered.append(box.choice("restore", "Restore the newest backup", role.AcceptRole))
    if error.can_view:
        offered.append(box.choice("view", "View it only (no changes)", role.AcceptRole))
    box.choice("start_empty", "Start with no saved assessments", role.DestructiveRole)
    quit_button = box.choice("", "Quit", role.RejectRole)
    box.setDefaultButton((offered or [quit_button])[0])
    box.setEscapeButton(quit_button)
    box.setInformativeText("\n\n".join(details))
    try:
        match box.ask():
            case "without_wal":
                Store.resolve_wal(data_dir, error.kept[-1], fix)
                return "again"
            case "restore":
                restore_backup(data_dir, error.backups[0].path)
                return "again"
            case "view":
                return Store.open(data_dir, read_only=True)
            case "start_empty":
                return Store.start_empty(data_dir)
    except StoreError as problem:
        QMessageBox.warning(parent, DISPLAY_NAME, str(problem))
        return "again"
    return None


def _newer_choice(error, data_dir, parent):
    """A file from a newer version: view it read-only, or quit. Never written."""
    box = ChoiceBox(parent, DISPLAY_NAME, "Your data was saved by a newer version of this app.",
                    f"{error}\n\nNothing was changed.", icon=QMessageBox.Icon.Warning)
    box.setDefaultButton(box.choice("view", "View it only (no changes)",
                                    QMessageBox.ButtonRole.AcceptRole))
    box.setEscapeButton(box.choice("", "Quit", QMessageBox.ButtonRole.RejectRole))
    if box.ask() != "view":
        return None
    try:
        return Store.open(data_dir, read_only=True)
    except StoreError as problem:
        QMessageBox.warning(parent, DISPLAY_NAME, f"{problem}\n\nPlease install the newer "
                            "version of the app to open your data. Nothing was changed.")
        return None
