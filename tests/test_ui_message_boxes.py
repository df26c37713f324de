"""Message boxes as a window manager shows them (issue 22, found by the QA pass under openbox):
a box is wide enough for its whole title (with the app's name Linux adds), so the title bar does
not cut it ("Backed up — S… ram Readiness"); and File > Share with the other party > Undo the
last merge with no merge to undo says so without claiming a save ("Saved at…" unchanged)."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_support import make_window

from nasro_desktop import DISPLAY_NAME


def _item(menu, words: str):
    menu.aboutToShow.emit()  # menus filled when shown (Share with the other party)
    return next(a for a in menu.actions() if a.text().replace("&", "").startswith(words))


@pytest.fixture
def app_named():
    """The application's name as run_gui sets it (Linux adds it to every window's title)."""
    app = QApplication.instance()
    was = app.applicationDisplayName()
    app.setApplicationDisplayName(DISPLAY_NAME)
    yield
    app.setApplicationDisplayName(was)


def test_undo_merge_with_nothing_to_undo_fits_its_title_and_claims_no_save(qtbot, store,
                                                                            app_named):
    window = make_window(qtbot, store)
    window.open_sample()
    qtbot.waitUntil(lambda: window.session is not None)
    window.session.clock = lambda: datetime(2031, 1, 1, 12, 34, 56)
    before = window.status_label.text()
    seen: dict = {}

    def in_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, in_box)
            return
        qtbot.wait(50)
        seen["title"] = box.windowTitle()
        bold = QFont(box.font())
        bold.setBold(True)
        whole = QFontMetrics(bold).horizontalAdvance(f"{box.windowTitle()} — {DISPLAY_NAME}")
        seen["room"] = box.width() - whole  # beside the title: icon and frame buttons
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    file_menu = window.menuBar().actions()[0].menu()
    share = _item(file_menu, "Share with the other party").menu()
    QTimer.singleShot(50, in_box)
    _item(share, "Undo the last merge").trigger()
    qtbot.waitUntil(lambda: "room" in seen, timeout=10_000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    assert seen["title"] == "Nothing to undo"
    assert seen["room"] >= 120, seen  # openbox: icon, three buttons and margins
    assert window.status_label.text() == before
    assert "12:34:56" not in window.status_label.text()
