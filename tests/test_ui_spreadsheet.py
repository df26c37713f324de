"""File > Save as spreadsheet… in the window, driven by keyboard: Alt+F, the menu's S, a file
name typed in the save dialog; the workbook (or the CSV files) hold what was saved."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit, QMessageBox
from ui_support import make_window


def _answer_dialogs(qtbot, target: Path, file_type: str | None, seen: list[str]) -> QTimer:
    """The save dialog gets a folder and a typed name; the message box is read and closed."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            if file_type is not None:
                dialog.selectNameFilter(file_type)
                types = dialog.findChild(QComboBox, "fileTypeCombo")
                if types is not None:
                    types.setCurrentIndex(types.findText(file_type))
            dialog.setDirectory(str(target.parent))
            name = dialog.findChild(QLineEdit, "fileNameEdit")
            name.clear()
            qtbot.keyClicks(name, target.name)
            qtbot.keyClick(name, Qt.Key.Key_Return)
        elif isinstance(dialog, QMessageBox):
            seen.append(dialog.text())
            dialog.accept()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(answer)
    timer.start()
    return timer


def _open_file_menu_and_choose_spreadsheet(qtbot, window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(file_menu.isVisible, timeout=3000)
    # three items answer to S (sample, spreadsheet, Save now): S moves between them, as a
    # person presses it until "Save as spreadsheet…" is highlighted, then Enter
    for _ in range(3):
        qtbot.keyClick(file_menu, Qt.Key.Key_S)
        if file_menu.activeAction() is window.spreadsheet_action:
            break
    assert file_menu.activeAction() is window.spreadsheet_action
    qtbot.keyClick(file_menu, Qt.Key.Key_Return)


def test_save_as_spreadsheet_writes_one_checked_workbook(qtbot, store, tmp_path):
    window = make_window(qtbot, store)
    window.open_sample()
    target = tmp_path / "board clerk"  # no suffix typed: .xlsx is added
    seen: list[str] = []
    timer = _answer_dialogs(qtbot, target, None, seen)
    _open_file_menu_and_choose_spreadsheet(qtbot, window)
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    timer.stop()
    saved = tmp_path / "board clerk.xlsx"
    assert "read back to check it" in seen[0] and str(saved) in seen[0]
    book = load_workbook(saved, read_only=True)
    assert book.sheetnames == ["Summary", "Standards", "Action plan", "Officers", "Schools",
                               "Answers", "Evidence register"]
    plan = list(book["Action plan"].iter_rows(values_only=True))
    assert len(plan) - 1 >= len(window.session.readiness.gaps)
    schools = {row[1]: row[6] for row in book["Schools"].iter_rows(min_row=2, values_only=True)}
    assert schools["Pine Ridge High School"] == 1  # as the Profile counts the linked officers


def test_save_as_spreadsheet_can_write_csv_files(qtbot, store, tmp_path):
    from nasro_desktop.ui.spreadsheet_dialog import CSV_FILTER

    window = make_window(qtbot, store)
    window.open_sample()
    folder = tmp_path / "for IT"
    folder.mkdir()
    seen: list[str] = []
    timer = _answer_dialogs(qtbot, folder / "anything.csv", CSV_FILTER, seen)
    _open_file_menu_and_choose_spreadsheet(qtbot, window)
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    timer.stop()
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 7 and all(n.startswith("assessment-") for n in names)
    assert "read back to check them" in seen[0]
