"""Profile > Officers (or Schools) > Import from a spreadsheet…: choose a CSV, TSV, JSON or
Excel file, check which column holds what (guessed from the headers), see every row as it will
be saved (New, or Update of the officer already in the list) and every problem by row and
column, then Import. Nothing is saved before Import, and Import stays off while any problem
is left: the user fixes the file and chooses it again. The rows are saved through Session.

The reading, checking and matching are store/roster.py's (no Qt); this is only the window.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.store import StoreError
from nasro_desktop.store.roster import (
    FIELDS,
    SKIP,
    Plan,
    RawTable,
    guess_mapping,
    plan,
    read_table,
    shown,
)
from nasro_desktop.ui.dialog_fit import FittedDialog, accept_and_cancel, grow_to_show
from nasro_desktop.ui.labels import wrap_label

FILE_TYPES = "Spreadsheets (*.csv *.tsv *.txt *.json *.xlsx);;All files (*)"
NOUNS = {"officers": ("officer", "officers"), "schools": ("school", "schools")}


class RosterImportDialog(FittedDialog):
    def __init__(self, session, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.table_data: RawTable | None = None
        self.current: Plan | None = None
        self.saved = 0
        one, many = NOUNS[kind]
        self.setWindowTitle(f"Import {many} from a spreadsheet")
        self.setMinimumWidth(720)
        self.resize(860, 680)  # fit_to_screen shrinks it on a small screen
        layout = QVBoxLayout(self)
        intro = wrap_label(
            f"Choose a spreadsheet with one row per {one} and a header row (CSV, TSV, JSON or "
            "an Excel workbook). Nothing is saved until you press Import. Dates are read month "
            f"first (03/15/2015). An {one} already in the list is updated, not added twice.",
            None, self)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.choose_button = QPushButton("&Choose a file…", self)
        self.choose_button.setAccessibleDescription("Choose the spreadsheet to import from.")
        self.file_label = wrap_label("No file chosen yet.", None, self)
        row.addWidget(self.choose_button)
        row.addWidget(self.file_label, 1)
        layout.addLayout(row)

        self.mapping_box = QGroupBox("Which column holds what", self)
        self.mapping_form = QFormLayout(self.mapping_box)
        layout.addWidget(self.mapping_box)
        self.mapping_box.hide()
        self.combos: list[QComboBox] = []

        self.preview = QTableWidget(self)
        self.preview.setAccessibleName(f"The {many} as they will be saved")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setTabKeyNavigation(False)
        self.preview.verticalHeader().hide()
        self.preview.setMinimumHeight(160)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.preview, 1)

        self.summary = wrap_label("", None, self)
        self.summary.setAccessibleName("What Import will do")
        layout.addWidget(self.summary)
        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems to fix in the file")
        self.problems.setMaximumHeight(140)
        self.problems.hide()
        layout.addWidget(self.problems)

        self.buttons, self.import_button = accept_and_cancel(self, "&Import", self.import_rows)
        self.import_button.setEnabled(False)
        layout.addWidget(self.buttons)
        self.choose_button.clicked.connect(self.choose)

    # -- the file ------------------------------------------------------------------------------

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.windowTitle(), str(Path.home()), FILE_TYPES)
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        try:
            self.table_data = read_table(path)
        except StoreError as error:
            self.table_data = None
            self.file_label.setText(path.name)
            self._show_problems([str(error)], "Nothing can be imported from this file.")
            self.mapping_box.hide()
            self.preview.clear()
            self.preview.setRowCount(0)
            self.import_button.setEnabled(False)
            return
        self.file_label.setText(f"{path.name}: {len(self.table_data.rows)} rows")
        self._build_mapping(guess_mapping(self.table_data.headers, self.kind))
        self.refresh()

    def _build_mapping(self, guessed: list[str]) -> None:
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.combos = []
        assert self.table_data is not None
        for header, key in zip(self.table_data.headers, guessed, strict=True):
            combo = QComboBox(self.mapping_box)
            combo.addItem("Not imported", SKIP)
            for f in FIELDS[self.kind]:
                combo.addItem(f.label, f.key)
            combo.setCurrentIndex(max(0, combo.findData(key)))
            name = header or "(no header)"
            combo.setAccessibleName(f"Column {name}")
            combo.currentIndexChanged.connect(self.refresh)
            self.mapping_form.addRow(f"{name}:", combo)
            self.combos.append(combo)
        self.mapping_box.show()
        grow_to_show(self, self.mapping_box)  # its minimum width leaves the height to us

    def mapping(self) -> list[str]:
        return [combo.currentData() for combo in self.combos]

    # -- the preview ---------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.table_data is None:
            return
        existing = (self.session.assessment.officers if self.kind == "officers"
                    else self.session.assessment.schools)
        self.current = plan(self.table_data, self.mapping(), self.kind, existing,
                            self.session.assessment.as_of)
        self._fill_preview(self.current)
        one, many = NOUNS[self.kind]
        p = self.current
        if p.problems:
            self._show_problems(p.problems, f"{len(p.problems)} problem"
                                f"{'s' if len(p.problems) != 1 else ''} to fix in the file "
                                "first (or pick another column above). Nothing is imported "
                                "until every row can be read.")
        else:
            self.problems.hide()
            self.summary.setText(f"Import will add {p.new} new {one if p.new == 1 else many} "
                                 f"and update {p.updates} already in the list.")
        self.import_button.setEnabled(p.ready)

    def _show_problems(self, problems: list[str], summary: str) -> None:
        self.summary.setText(summary)
        self.problems.setPlainText("\n".join(problems))
        self.problems.show()
        grow_to_show(self, self.problems)  # else the words sit over the table's last rows

    def _fill_preview(self, p: Plan) -> None:
        keys = [k for k in dict.fromkeys(self.mapping()) if k and k != "id"]
        labels = {f.key: f.label for f in FIELDS[self.kind]}
        self.preview.clear()
        self.preview.setColumnCount(2 + len(keys))
        self.preview.setHorizontalHeaderLabels(["Row", "Import as"] + [labels[k] for k in keys])
        self.preview.setRowCount(len(p.rows))
        for r, row in enumerate(p.rows):
            action = row.action
            if row.match is not None and not row.problems:
                action = f"Update “{row.match.name}”"
            cells = [str(row.number), action]
            mapping = self.mapping()
            raw = self.table_data.rows[row.number - 2] if self.table_data else []
            for key in keys:
                if row.item is None:  # as the file has it, so the problem can be found
                    column = mapping.index(key)
                    value = raw[column] if column < len(raw) else None
                    cells.append("" if value is None else shown(value))
                    continue
                value = getattr(row.item, "school" if key == "schools" else key, None)
                cells.append(_text(value))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.problems:
                    item.setToolTip("\n".join(row.problems))
                self.preview.setItem(r, c, item)

    # -- saving --------------------------------------------------------------------------------

    def import_rows(self) -> None:
        p = self.current
        if p is None or not p.ready:
            return
        save = self.session.save_officer if self.kind == "officers" else self.session.save_school
        self.saved = 0
        try:
            for row in p.rows:
                if row.item is not None:
                    save(row.item)
                    self.saved += 1
        except Exception as error:  # a save the store refused: say so, keep what was saved
            QMessageBox.warning(
                self, "Import stopped",
                f"{self.saved} of {len(p.rows)} rows were saved; the next could not be "
                f"({error}). Check the list, then import the file again: rows already saved "
                "are updated, not added twice.")
        self.accept()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    return " ".join(str(value).split("\n")) if not isinstance(value, float) else f"{value:g}"


def add_import_button(block, session, kind: str) -> QPushButton:
    """The Profile's hook: "Import from a spreadsheet…" after a table's Remove button."""
    button = QPushButton("Import from a spreadsheet…", block)
    button.setAccessibleDescription(
        f"Add or update {NOUNS[kind][1]} from a CSV, TSV, JSON or Excel file.")
    outer = block.layout()
    for index in range(outer.count()):
        row = outer.itemAt(index).layout()
        if row is not None and row.indexOf(block.remove_button) >= 0:
            row.insertWidget(row.indexOf(block.remove_button) + 1, button)
            break

    def run() -> None:
        dialog = RosterImportDialog(session, kind, block)
        dialog.exec()
        if dialog.saved:  # rows saved
            block.model.reload()
            block.changed.emit()

    button.clicked.connect(run)
    return button
