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
    store.evidence.attach(session.assessment_id, certificate, "officer", str(officer.id))
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


@pytest.fixture
def icons_on_dialog_buttons(monkeypatch):
    """The platform's style as on Linux without a desktop's theme (or KDE): it asks for a
    green tick on OK and a red cross on Cancel (the offscreen platform does not)."""
    from PySide6.QtWidgets import QProxyStyle, QStyle

    class LinuxLike(QProxyStyle):
        def styleHint(self, hint, option=None, widget=None, returnData=None):  # noqa: N802
            if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
                return 1
            return super().styleHint(hint, option, widget, returnData)

    app = QApplication.instance()
    style.set_appearance(app, "system")
    set_style = QApplication.setStyle

    def platform_style(name):  # each style by name as that platform draws it
        set_style(LinuxLike(name) if isinstance(name, str) else name)

    set_style(LinuxLike("Fusion"))
    monkeypatch.setattr(QApplication, "setStyle", staticmethod(platform_style))
    yield
    monkeypatch.undo()
    style.set_appearance(app, "system")
    set_style("Fusion")


def test_message_boxes_have_words_on_their_buttons_no_stock_icons(
        qtbot, store, tmp_path, monkeypatch, icons_on_dialog_buttons):
    """Back up now's "Backed up" and the Add school dialog's OK and Cancel: words only, in
    light and after a switch to dark (a new style each time)."""
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox

    window = make_window(qtbot, store)
    window.open_sample()
    target = tmp_path / "backup.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "Backups (*.db)")))
    seen: list = []

    def answer_the_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer_the_box)
            return
        box.grab().save(str(tmp_path / f"box-{len(seen)}.png"))
        seen.append((box.windowTitle(), [(b.text(), b.icon().isNull())
                                         for b in box.findChildren(QAbstractButton)]))
        ok = box.button(QMessageBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    file_menu = window.menuBar().actions()[0].menu()
    backup = next(a for a in file_menu.actions()
                  if a.text().replace("&", "").startswith("Back up"))
    for number, appearance in enumerate(("light", "dark"), start=1):
        window.appearance_actions[appearance].trigger()
        QTimer.singleShot(50, answer_the_box)
        backup.trigger()
        qtbot.waitUntil(lambda n=number: len(seen) == n, timeout=20_000)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)
    for title, buttons in seen:
        assert title == "Backed up" and buttons
        for text, no_icon in buttons:
            assert text and no_icon, (title, text)
    # a dialog of the app's own: OK and Cancel in words only too
    from nasro_desktop.ui.navigation import PROFILE

    window.go_to(PROFILE)
    page = window.workspace.pages[PROFILE]
    opened: list = []

    def look_at_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(50, look_at_dialog)
            return
        opened.append([(b.text(), b.icon().isNull()) for b in dialog.buttons.buttons()])
        dialog.reject()

    QTimer.singleShot(50, look_at_dialog)
    qtbot.mouseClick(page.schools.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=5_000)
    assert opened[0] and all(text and no_icon for text, no_icon in opened[0]), opened
