"""Every dialog fits the screen (issue 22): the Edit officer dialog of an officer with an
evidence file, at normal and larger text, opens inside the screen's available area with Save and
Cancel in view; its fields scroll inside it; the date hints and error lines under the date fields
are never cut. Opened and typed into as a person does (clicks and key presses)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QScrollArea
from ui_support import make_window

from nasro_desktop.ui import style
from nasro_desktop.ui.navigation import PROFILE
from nasro_desktop.ui.profile_dialogs import OfficerDialog


def _inside_screen(dialog: QDialog) -> None:
    area = dialog.screen().availableGeometry()
    frame = dialog.frameGeometry()
    assert area.contains(frame), (frame, area)
    for button in dialog.buttons.buttons():
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert button.isVisible() and dialog.rect().contains(corner), button.text()


def _no_label_cut(dialog: QDialog) -> None:
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            need = label.heightForWidth(label.width())
            assert label.height() >= need, (label.text()[:60], label.height(), need)


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_edit_officer_with_an_evidence_file_fits_the_screen(qtbot, store, tmp_path, scale):
    window = make_window(qtbot, store)
    window.open_sample()
    session = window.session
    officer = session.assessment.officers[0]
    certificate = tmp_path / "basic course certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n% cert\n" + os.urandom(2000) + b"%%EOF\n")
    store.attach_evidence(session.assessment_id, certificate, "officer", str(officer.id))
    window.go_to(PROFILE)
    seen: dict = {}
    try:
        window.set_text_scale(scale)
        officers = window.workspace.pages[PROFILE].officers
        officers.table.selectRow(0)

        def in_dialog() -> None:
            dialog = QApplication.activeModalWidget()
            try:
                assert isinstance(dialog, OfficerDialog)
                seen["dialog"] = True
                _inside_screen(dialog)
                scroll = dialog.findChild(QScrollArea, "dialogBody")
                assert scroll is not None
                # a date no one can mean: the hint and the error line show whole
                edit = dialog.dates["last_annual_training"]
                edit.line.setFocus()
                edit.line.selectAll()
                qtbot.keyClicks(edit.line, "31/31/2031")
                qtbot.keyClick(edit.line, Qt.Key.Key_Tab)
                qtbot.keyClick(dialog.name, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                qtbot.keyClick(dialog.name, Qt.Key.Key_Delete)  # no name: an error line
                qtbot.wait(50)
                assert dialog.messages.isVisible()
                _inside_screen(dialog)
                _no_label_cut(dialog)
                assert edit.feedback.text(), "the date field says what it did not understand"
                dialog.grab().save(str(Path(os.environ.get("NASRO_SHOTS", tmp_path))
                                       / f"edit-officer-{scale}.png"))
                seen["ok"] = True
            finally:
                dialog.reject()

        QTimer.singleShot(200, in_dialog)
        qtbot.mouseClick(officers.edit_button, Qt.MouseButton.LeftButton)
    finally:
        window.set_text_scale(1.0)
        style.apply(None, 1.0)
    assert seen.get("dialog") and seen.get("ok"), seen


def test_back_up_now_closes_its_progress_box_before_saying_backed_up(qtbot, store, tmp_path,
                                                                     monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

    window = make_window(qtbot, store)
    window.open_sample()
    target = tmp_path / "backup.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "Backups (*.db)")))
    seen: dict = {}

    def in_message() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(100, in_message)
            return
        qtbot.wait(900)  # longer than the progress dialog's own delay before showing
        seen["title"] = box.windowTitle()
        seen["progress shown"] = [w.labelText() for w in QApplication.topLevelWidgets()
                                  if isinstance(w, QProgressDialog) and w.isVisible()]
        seen["on top"] = QApplication.activeModalWidget() is box
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    menu = window.menuBar().actions()[0].menu()
    action = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Back up"))
    QTimer.singleShot(50, in_message)
    action.trigger()
    qtbot.waitUntil(lambda: "title" in seen, timeout=20_000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    assert seen == {"title": "Backed up", "progress shown": [], "on top": True}
    assert target.exists()
