"""Profile > Officers > Import from a spreadsheet…, driven as a person does: the button
clicked, the file typed in the file dialog, the preview read, Import pressed (or not); the
rows saved through the Session, a re-import updating instead of duplicating, a hostile file
changing nothing."""

from __future__ import annotations

import csv
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from ui_support import make_window

from nasro_desktop.ui.navigation import PROFILE
from nasro_desktop.ui.roster_dialog import RosterImportDialog


def write_roster(path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Officer name", "Sworn date", "Basic SRO course", "School", "Notes"])
        writer.writerows(rows)


class Driver:
    """Answers the dialogs in turn: the roster dialog's Choose, the file dialog's name, then
    Import or Cancel once the preview is shown."""

    def __init__(self, qtbot, path, press: str, shot=None) -> None:
        self.qtbot, self.path, self.press, self.shot = qtbot, path, press, shot
        self.stage = "choose"
        self.seen: dict[str, object] = {}
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.step)
        self.timer.start()

    def step(self) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QFileDialog) and self.stage == "file":
            self.stage = "preview"
            widget.setDirectory(str(self.path.parent))
            name = widget.findChild(QLineEdit, "fileNameEdit")
            name.clear()
            self.qtbot.keyClicks(name, self.path.name)
            self.qtbot.keyClick(name, Qt.Key.Key_Return)
        elif isinstance(widget, RosterImportDialog):
            if self.stage == "choose":
                self.stage = "file"
                QTimer.singleShot(0, lambda: self.qtbot.mouseClick(widget.choose_button,
                                                                   Qt.MouseButton.LeftButton))
            elif self.stage == "preview" and widget.table_data is not None or (
                    self.stage == "preview" and widget.problems.isVisible()):
                self.stage = "done"
                screen = widget.screen().availableGeometry().height()
                self.seen = {"summary": widget.summary.text(),
                             "room": widget.height() >= min(  # it grew to show what it holds
                                 widget.sizeHint().height(), screen - 60),
                             "problems": widget.problems.toPlainText(),
                             "enabled": widget.import_button.isEnabled(),
                             "rows": widget.preview.rowCount(),
                             "actions": [widget.preview.item(r, 1).text()
                                         for r in range(widget.preview.rowCount())]}
                if self.shot:
                    widget.grab().save(str(self.shot))
                if self.press == "import":
                    button = widget.import_button
                else:
                    from PySide6.QtWidgets import QDialogButtonBox

                    button = widget.buttons.button(QDialogButtonBox.StandardButton.Cancel)
                QTimer.singleShot(0, lambda: self.qtbot.mouseClick(button,
                                                                   Qt.MouseButton.LeftButton))


def open_profile(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(PROFILE)
    page = window.workspace.page_widget(PROFILE)
    page.refresh()
    return window, page


def test_sixty_officers_imported_then_updated(qtbot, store, tmp_path):
    window, page = open_profile(qtbot, store)
    session = window.session
    before = list(session.assessment.officers)
    known = before[0]
    rows = [[known.name, known.sworn_date.strftime("%m/%d/%Y"), "", "", "updated by import"]]
    rows += [[f"Imported Officer {k:02d}", f"3/{k % 28 + 1}/2015", "6/1/2024",
              "Pine Ridge High School", ""] for k in range(59)]
    path = tmp_path / "roster.csv"
    write_roster(path, rows)
    driver = Driver(qtbot, path, "import", tmp_path / "roster-dialog.png")
    qtbot.mouseClick(page.import_officers, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: driver.stage == "done", timeout=20000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=20000)
    driver.timer.stop()
    assert driver.seen["enabled"] and driver.seen["rows"] == 60
    assert "add 59 new officers and update 1" in driver.seen["summary"]
    assert driver.seen["actions"][0] == f"Update “{known.name}”"
    officers = session.assessment.officers
    assert len(officers) == len(before) + 59
    saved = store.load_assessment(session.assessment_id)
    assert len(saved.officers) == len(before) + 59  # saved, not only shown
    kept = next(o for o in saved.officers if o.id == known.id)
    assert kept.note == "updated by import" and kept.basic_course_date == \
        known.basic_course_date  # an empty cell keeps what was there
    new = next(o for o in saved.officers if o.name == "Imported Officer 05")
    assert new.sworn_date == date(2015, 3, 6) and new.school == "Pine Ridge High School"
    assert page.officer_model.rowCount() == len(saved.officers)

    again = Driver(qtbot, path, "import")  # the same file again: all 60 are updates
    qtbot.mouseClick(page.import_officers, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.stage == "done", timeout=20000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=20000)
    again.timer.stop()
    assert "add 0 new officers and update 60" in again.seen["summary"]
    assert len(store.load_assessment(session.assessment_id).officers) == len(before) + 59


def test_a_hostile_file_changes_nothing(qtbot, store, tmp_path):
    window, page = open_profile(qtbot, store)
    session = window.session
    before = store.load_assessment(session.assessment_id).officers
    path = tmp_path / "hostile.csv"
    write_roster(path, [
        ["Dana Ruiz", "15/03/2024", "", "", ""],  # day first
        ["=cmd|' /C calc'!A0", "3/1/2015", "", "", ""],  # a formula
        ["Dana \u202eziuR", "3/1/2015", "", "", ""],  # a direction override
        ["Sam Lee", "3/1/2015", "soon", "", ""],  # not a date
        ["Sam Lee", "3/1/2015", "", "", ""],
        ["Sam Lee", "3/1/2015", "", "", ""],  # a repeated row
    ])
    driver = Driver(qtbot, path, "cancel", tmp_path / "hostile-dialog.png")
    qtbot.mouseClick(page.import_officers, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: driver.stage == "done", timeout=20000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=20000)
    driver.timer.stop()
    assert driver.seen["enabled"] is False
    assert driver.seen["room"]  # the problems box did not squeeze the words over the table
    problems = driver.seen["problems"].splitlines()
    assert problems[0].startswith("row 2, Sworn date: 15/03/2024 is not a date")
    assert any(p.startswith("row 3, Officer name:") and "formula" in p for p in problems)
    assert any(p.startswith("row 4, Officer name:") and "direction" in p for p in problems)
    assert any(p.startswith("row 5, Basic SRO course: soon is not a date") for p in problems)
    assert "row 7 repeats row 5 (the same name and sworn date)" in problems
    assert "Nothing is imported" in driver.seen["summary"]
    assert store.load_assessment(session.assessment_id).officers == before


def test_a_file_that_is_not_a_table_says_so(qtbot, store, tmp_path):
    window, page = open_profile(qtbot, store)
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    driver = Driver(qtbot, path, "cancel")
    qtbot.mouseClick(page.import_schools, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: driver.stage == "done", timeout=20000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=20000)
    driver.timer.stop()
    assert "not an Excel workbook this app can read" in driver.seen["problems"]
    assert driver.seen["enabled"] is False
