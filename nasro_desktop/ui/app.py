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
    """Open the store, walking the user through each way it can fail. None: the user gave up."""
    from nasro_desktop.store import DamagedDatabase, DataInUse, NewerDatabase, Store, StoreError
    from nasro_desktop.ui.labels import local_time, long_day

    while True:
        try:
            return Store.open(data_dir)
        except StoreError as problem:
            error = problem
        from PySide6.QtWidgets import QMessageBox  # here: only needed when something is wrong

        if isinstance(error, DamagedDatabase):
            box = QMessageBox(parent)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(APP_NAME)
            box.setText("Your saved data could not be read: the file is damaged.")
            details = [str(error), f"The damaged file was kept here: {error.moved_to}"]
            restore = None
            if error.backups:
                newest = error.backups[0]
                when = local_time(newest.created)
                details.append(f"The newest backup is from {long_day(when.date())}, "
                               f"{when:%H:%M}.")
                restore = box.addButton("Restore the newest backup",
                                        QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Start with no saved assessments", QMessageBox.ButtonRole.DestructiveRole)
            quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.setInformativeText("\n\n".join(details))
            box.exec()
            clicked = box.clickedButton()
            if clicked is quit_button:
                return None
            if clicked is restore and restore is not None:
                try:
                    Store.restore_backup(data_dir, error.backups[0].path)
                except StoreError as problem:
                    QMessageBox.warning(parent, APP_NAME, str(problem))
            continue  # open again: the restored file, or a fresh empty one
        if isinstance(error, NewerDatabase):
            QMessageBox.warning(
                parent, APP_NAME,
                f"{error}\n\nPlease install the newer version of the app to open your data. "
                "Nothing was changed.")
        elif isinstance(error, DataInUse):
            QMessageBox.information(
                parent, APP_NAME,
                f"{error}\n\nNothing was changed.")
        else:
            QMessageBox.warning(parent, APP_NAME, str(error))
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
        try:
            with open(log_path, "a", encoding="utf-8") as log:
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
