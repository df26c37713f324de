"""The sharing dialogs fit the screen as the other dialogs do (ui/dialog_fit.py): Share with the
other party and Merge the returned copy open inside the screen's available area at normal and
larger text, with their buttons in view, and a merge with many long conflicts scrolls inside
while the chief still reaches every choice and Merge by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea
from ui_support import make_window

from nasro_desktop.domain.merge import Change, Difference, MergePlan
from nasro_desktop.domain.model import Owner
from nasro_desktop.ui import style
from nasro_desktop.ui.sharing_dialog import KEEP_OURS, MergeDialog


def _inside_screen(dialog: QDialog) -> None:
    area = dialog.screen().availableGeometry()
    frame = dialog.frameGeometry()
    assert area.contains(frame), (frame, area)
    assert dialog.findChild(QScrollArea, "dialogBody") is not None, "the body scrolls inside"
    for button in dialog.buttons.buttons():
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert button.isVisible() and dialog.rect().contains(corner), button.text()


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_share_dialog_fits_and_enter_shares(qtbot, store, tmp_path, monkeypatch, scale):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    window = make_window(qtbot, store)
    window.open_sample()
    target = tmp_path / "for the district.nasro-share"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: None))
    seen: dict = {}
    try:
        window.set_text_scale(scale)

        def in_dialog() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, in_dialog)
                return
            try:
                _inside_screen(dialog)
                seen["fits"] = True
            finally:
                qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

        QTimer.singleShot(0, in_dialog)
        window.share_menu.aboutToShow.emit()
        window.share_actions["share"].trigger()
    finally:
        window.set_text_scale(1.0)
        style.apply(None, 1.0)
    assert seen.get("fits") and target.exists()


def _many_conflicts(count: int) -> MergePlan:
    long = "Met, with a signed copy on file; " * 12
    plan = MergePlan()
    for i in range(count):
        label = f"Question {i + 1}: does the MOU say who supervises the officer day to day?"
        plan.differences.append(Difference(
            "answers", f"q{i}", label, Owner.DISTRICT, Change.CONFLICT,
            {"value": "not_met"}, {"value": "partly", "note": long},
            {"value": "met", "note": long}))
    for i in range(40):
        plan.differences.append(Difference(
            "answers", f"t{i}", f"Taken {i}", Owner.DISTRICT, Change.TAKEN,
            None, None, {"value": "met"}))
    return plan


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_merge_with_many_long_conflicts_fits_and_is_chosen_by_keyboard(qtbot, store, scale):
    window = make_window(qtbot, store)
    try:
        window.set_text_scale(scale)
        dialog = MergeDialog(window, _many_conflicts(25), "Millbrook USD (Dr. Reyes)",
                             Owner.DISTRICT, None)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        _inside_screen(dialog)
        assert not dialog.merge_button.isEnabled()
        for chooser in dialog.choosers.values():
            chooser.setFocus()
            qtbot.keyClick(chooser, Qt.Key.Key_Down)
        assert all(c.currentText() == KEEP_OURS for c in dialog.choosers.values())
        assert dialog.merge_button.isEnabled()
        _inside_screen(dialog)
        qtbot.keyClick(dialog.merge_button, Qt.Key.Key_Space)
        assert dialog.result() == QDialog.DialogCode.Accepted
    finally:
        window.set_text_scale(1.0)
        style.apply(None, 1.0)


def test_share_dialog_is_wide_enough_for_its_whole_title(qtbot, store):
    """The title bar shows the dialog's title and the app's name ('Share with the other party
    — SRO Program Readiness'): the dialog is wide enough that a window manager need not cut
    it to 'Share with the oth…ogram Readiness'."""
    from nasro_desktop.ui.sharing_dialog import ShareDialog

    window = make_window(qtbot, store)
    dialog = ShareDialog(window, sending_back=False, party=Owner.AGENCY, name="Chief Ann")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    whole = f"{dialog.windowTitle()} — {QApplication.applicationDisplayName()}"
    assert QApplication.applicationDisplayName()
    assert dialog.width() >= dialog.fontMetrics().horizontalAdvance(whole) + 100
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
