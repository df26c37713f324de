"""`run_gui(data_dir)`: the QApplication, the store (with plain dialogs when it cannot open),
and the main window on the start screen.

Set NASRO_STARTUP_PROBE=1 to print "startup: shown" once the start screen is on screen with its
list loaded, then quit (used by bench/bench_startup.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from nasro_desktop import DISPLAY_NAME
from nasro_desktop.paths import icon_files
from nasro_desktop.problem_log import LOG_NAME, log_to, note_problem
from nasro_desktop.ui import style
from nasro_desktop.ui.main_window import SCALE_SETTING, MainWindow
from nasro_desktop.ui.open_store import open_store

PROBE_ENV = "NASRO_STARTUP_PROBE"


def install_last_resort(log_folder) -> None:
    """An unexpected error in the window: a plain message, the details kept in a log file.

    Without it, an exception in a Qt slot is printed to a console the user never sees and the
    step silently does not happen."""
    log_path = Path(log_folder) / LOG_NAME
    log_to(log_folder)  # every module's warnings too (logging.getLogger(__name__))

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        note_problem(log_folder, "an unexpected error in the window", exc.with_traceback(tb))
        QMessageBox.warning(
            QApplication.activeWindow(), DISPLAY_NAME,
            "Something unexpected went wrong, and the last step did not finish. Everything the "
            "status bar said was saved is safe. Please try that step again; if it keeps "
            f"happening, send the file {log_path} to whoever helps you with this computer.")

    sys.excepthook = hook


def app_icon() -> QIcon:
    """The app icon (every PNG size of resources/icons), for the window and its dialogs."""
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon


def run_gui(data_dir: str | None) -> int:
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv[:1]))
    app.setApplicationName(DISPLAY_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setWindowIcon(app_icon())
    # Linux: the window belongs to the menu entry packaging/linux/add-to-menu.sh installs
    app.setDesktopFileName("org.nasro_desktop.readiness")
    store = open_store(data_dir)
    if store is None:
        return 1
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
