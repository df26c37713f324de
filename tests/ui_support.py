"""Shared by the window tests: the main window on the start screen, active and 1366x768."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from nasro_desktop.ui.main_window import MainWindow


def make_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_start()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    return window
