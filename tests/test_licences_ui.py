"""Help > About > Third-party licences: the licences of everything the app is built on, as a
person reaches them (the menu, then the button), with Qt's LGPL and its source offer."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QPushButton
from ui_support import make_window

from nasro_desktop import __version__


def about_action(window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return next(a for a in help_menu.actions() if a.text() == "&About")


def test_about_leads_to_the_third_party_licences(qtbot, store):
    window = make_window(qtbot, store)
    seen: dict[str, str] = {}

    def in_about_box():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["about"] = box.text()
        button = next(b for b in box.findChildren(QPushButton) if "licences" in b.text())
        QTimer.singleShot(0, in_licences)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def in_licences():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QMessageBox) or dialog is None:  # the box is still closing
            QTimer.singleShot(20, in_licences)
            return
        seen["title"] = dialog.windowTitle()
        text = dialog.findChild(QPlainTextEdit)
        seen["text"] = text.toPlainText()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is text, timeout=2000)
        seen["focus"] = str(QApplication.focusWidget() is text)
        seen["name"] = text.accessibleName()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, in_about_box)
    about_action(window).trigger()
    assert f"SRO Program Readiness {__version__}" in seen["about"]
    assert "Third-party licences" in seen["about"]
    assert seen["title"] == "Third-party licences" and seen["name"] == "Third-party licences"
    assert seen["focus"] == "True"  # arrows and Page Down scroll it at once
    text = seen["text"]
    for needed in ("GNU LESSER GENERAL PUBLIC LICENSE", "Source offer", "PySide6_Essentials",
                   "PSF", "reportlab", "pypdfium2", "PDFium", "pillow", "PyYAML",
                   "platformdirs", "sqlite-utils", "click", "DejaVu"):
        assert needed.lower() in text.lower(), needed
    assert QApplication.activeModalWidget() is None  # Escape closed it
