"""`run_gui(data_dir)`: the QApplication, the store (with plain dialogs when it cannot open),
and the main window on the start screen.

Set NASRO_STARTUP_PROBE=1 to print "startup: shown" once the start screen is on screen with its
list loaded, then quit (used by bench/bench_startup.py).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from nasro_desktop.ui import style

PROBE_ENV = "NASRO_STARTUP_PROBE"
APP_NAME = "SRO Program Readiness"


def open_store(data_dir: str | None, parent: QWidget | None = None):
    """Open the store, walking the user through each way it can fail. None: the user gave up.

    Every failure ends in a plain dialog: a recovery choice (the files are kept aside, the
    newest backup offered), a read-only view, or a message that says what to do."""
    from PySide6.QtWidgets import QMessageBox  # noqa: F401  (imported here for the dialogs)

    from nasro_desktop.store import DataInUse, NewerDatabase, RecoveryNeeded, Store, StoreError

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
            _say(parent, f"{error}\n\nNothing was changed.", QMessageBox.Icon.Information)
        elif isinstance(error, StoreError):
            _say(parent, str(error))
        else:
            _say(parent, "Your saved data could not be opened because of an unexpected problem "
                 f"({type(error).__name__}). Nothing was changed. Copy your data folder "
                 "somewhere safe and report the problem.")
        return None


def _say(parent, text: str, icon=None) -> None:
    from PySide6.QtWidgets import QMessageBox

    if icon == QMessageBox.Icon.Information:
        QMessageBox.information(parent, APP_NAME, text)
    else:
        QMessageBox.warning(parent, APP_NAME, text)


def _button(box, text: str, role):
    button = box.addButton(text, role)
    button.setAccessibleName(text)
    return button


def _recovery_choice(error, data_dir, parent):
    """The recovery dialog. Returns a Store, None (quit) or "again" (try opening again)."""
    from PySide6.QtWidgets import QMessageBox

    from nasro_desktop.store import DamagedDatabase, Store, StoreError
    from nasro_desktop.ui.labels import local_time, long_day

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(error.headline)
    details = [str(error)]
    if error.kept:
        what = "The damaged file was" if isinstance(error, DamagedDatabase) else "The files were"
        details.append(f"{what} kept here: " + ", ".join(str(p) for p in error.kept))
    role = QMessageBox.ButtonRole
    without_wal = restore = view = None
    fix = getattr(error, "fix", "without")
    if error.without_wal:
        without_wal = _button(box, {
            "without": "Open my data without the extra file",
            "readable": "Open my data with the saves that can be read",
            "swap": "Put the two files back in place",
        }.get(fix, "Open my data without the extra file"), role.AcceptRole)
    if error.backups:
        newest = error.backups[0]
        when = local_time(newest.created)
        line = f"The newest backup is from {long_day(when.date())}, {when:%H:%M}."
        if newest.future:
            line += (" Its date is later than today: the computer's clock was wrong when it "
                     "was made. It is still the newest by what it holds.")
        details.append(line)
        restore = _button(box, "Restore the newest backup", role.AcceptRole)
    if error.can_view:
        view = _button(box, "View it only (no changes)", role.AcceptRole)
    start_empty = _button(box, "Start with no saved assessments", role.DestructiveRole)
    quit_button = _button(box, "Quit", role.RejectRole)
    box.setDefaultButton(without_wal or restore or view or quit_button)
    box.setEscapeButton(quit_button)
    box.setInformativeText("\n\n".join(details))
    box.exec()
    clicked = box.clickedButton()
    try:
        if clicked is without_wal and without_wal is not None:
            Store.resolve_wal(data_dir, error.kept[-1], fix)
            return "again"
        if clicked is restore and restore is not None:
            Store.restore_backup(data_dir, error.backups[0].path)
            return "again"
        if clicked is view and view is not None:
            return Store.open(data_dir, read_only=True)
        if clicked is start_empty:
            return Store.start_empty(data_dir)
    except StoreError as problem:
        _say(parent, str(problem))
        return "again"
    return None


def _newer_choice(error, data_dir, parent):
    """A file from a newer version: view it read-only, or quit. Never written."""
    from PySide6.QtWidgets import QMessageBox

    from nasro_desktop.store import Store, StoreError

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText("Your data was saved by a newer version of this app.")
    box.setInformativeText(f"{error}\n\nNothing was changed.")
    view = _button(box, "View it only (no changes)", QMessageBox.ButtonRole.AcceptRole)
    quit_button = _button(box, "Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(view)
    box.setEscapeButton(quit_button)
    box.exec()
    if box.clickedButton() is not view:
        return None
    try:
        return Store.open(data_dir, read_only=True)
    except StoreError as problem:
        _say(parent, f"{problem}\n\nPlease install the newer version of the app to open your "
             "data. Nothing was changed.")
        return None


LOG_NAME = "problems.log"


def install_last_resort(log_folder) -> None:
    """An unexpected error in the window: a plain message, the details kept in a log file.

    Without it, an exception in a Qt slot is printed to a console the user never sees and the
    step silently does not happen."""
    import traceback
    from datetime import datetime
    from pathlib import Path

    log_path = Path(log_folder) / LOG_NAME

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:  # private like the data (0600), whatever the umask
            fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as log:
                log.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S}\n")
                log.write("".join(traceback.format_exception(exc_type, exc, tb)))
        except OSError:
            pass
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(
            QApplication.activeWindow(), APP_NAME,
            "Something unexpected went wrong, and the last step did not finish. Everything the "
            "status bar said was saved is safe. Please try that step again; if it keeps "
            f"happening, send the file {log_path} to whoever helps you with this computer.")

    sys.excepthook = hook


def app_icon():
    """The app icon (every PNG size of resources/icons), for the window and its dialogs."""
    from PySide6.QtGui import QIcon

    from nasro_desktop.paths import icon_files

    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon


def run_gui(data_dir: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("nasro-desktop")  # Linux: the window belongs to nasro-desktop.desktop
    store = open_store(data_dir)
    if store is None:
        return 1
    from nasro_desktop.ui.main_window import SCALE_SETTING, MainWindow

    install_last_resort(store.data_dir)

    try:
        scale = float(store.get_setting(SCALE_SETTING, style.NORMAL) or style.NORMAL)
    except Exception:
        scale = style.NORMAL
    style.apply(app, scale)
    window = MainWindow(store)
    if os.environ.get(PROBE_ENV):
        def shown() -> None:  # after the first paint: the event loop has run once
            print("startup: shown", flush=True)
            app.quit()

        window.start_shown.connect(lambda: QTimer.singleShot(0, shown))
    window.show()
    window.show_start()
    try:
        return app.exec()
    finally:
        store.close()
        window.store.close()  # the one opened again after File > Restore from a backup…
