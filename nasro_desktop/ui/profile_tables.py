"""The Profile's school and officer tables: row models with named columns, and the block
(heading, table, Add / Edit / Remove) that holds each one. Each officer row shows its
training status from the readiness findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.entries import officer_problems, school_problems
from nasro_desktop.domain.links import links, name_key, officer_school_names
from nasro_desktop.domain.model import (
    Officer,
    School,
)
from nasro_desktop.session import Session
from nasro_desktop.ui.labels import pick_list, short_day, wrap_label
from nasro_desktop.ui.table_model import ListTableModel

if TYPE_CHECKING:
    from nasro_desktop.ui.profile_dialogs import RowDialog


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def fit_columns(view: QTableView) -> None:
    """Columns for the room the table has: each as wide as its contents when they all fit,
    the first (names) and last (status) taking what is left; else each shrinks in proportion,
    never below its heading, and the text wraps onto more lines (rows grow), so a name is
    never cut to "J… P…" and the last column never goes off the right edge."""
    header = view.horizontalHeader()
    count = header.count()
    room = view.viewport().width()
    if count == 0 or room < 40:
        return
    heading = [header.sectionSizeHint(c) for c in range(count)]
    wanted = [max(view.sizeHintForColumn(c), heading[c]) for c in range(count)]
    if sum(wanted) <= room:
        widths = list(wanted)
        extra = room - sum(widths)
        widths[0] += extra // 2
        widths[-1] += extra - extra // 2
    else:
        least = [min(max(h, _longest_word(view, c)), w)
                 for c, (h, w) in enumerate(zip(heading, wanted, strict=True))]
        spare = max(0, room - sum(least))
        over = [w - lo for w, lo in zip(wanted, least, strict=True)]
        total_over = sum(over) or 1
        widths = [lo + spare * o // total_over for lo, o in zip(least, over, strict=True)]
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    view.resizeRowsToContents()
    fit_height(view)


def _longest_word(view: QTableView, column: int) -> int:
    """The width of the column's longest word (a wrapped cell is never narrower)."""
    model = view.model()
    metrics = view.fontMetrics()
    words = {word for row in range(model.rowCount())
             for word in str(model.index(row, column).data() or "").split()}
    return max((metrics.horizontalAdvance(w) for w in words), default=0) + 14


def fit_height(view: QTableView, min_rows: int = 3) -> None:
    """Make a table as tall as its rows (at least a few), so the page scrolls, not the table."""
    rows = view.model().rowCount()
    height = view.horizontalHeader().height() + 2 * view.frameWidth() + 4
    height += sum(view.rowHeight(r) for r in range(rows))
    height += max(0, min_rows - rows) * view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height)


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    tip: str = ""


class RowModel(ListTableModel):
    """Rows are the session's own objects; the model only shows them."""

    columns: tuple[Column, ...] = ()

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.titles = tuple(column.header for column in self.columns)

    def rows(self) -> list:
        raise NotImplementedError

    def text(self, row: Any, column: str) -> str:
        raise NotImplementedError

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows()[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self.text(row, column.name)
        return None

    def header_tip(self, section: int) -> str | None:
        return self.columns[section].tip or self.columns[section].header

    def reload(self) -> None:
        self.beginResetModel()
        self.endResetModel()


class SchoolModel(RowModel):
    columns = (
        Column("name", "School"),
        Column("enrollment", "Enrollment"),
        Column("buildings", "Buildings"),
        Column("acreage", "Acres"),
        Column("calls_for_service", "Calls for service", "Calls for service last school year"),
        Column("sros", "SROs", "Officers serving this school (picked on each officer's row)"),
        Column("non_sworn_safety_staff", "Non-sworn safety staff"),
        Column("check", "Check", "Anything to look at in this row"),
    )

    def rows(self) -> list[School]:
        return self.session.assessment.schools

    def text(self, row: School, column: str) -> str:
        if column == "name":
            return row.name
        if column in ("sros", "check"):
            schools = self.session.assessment.schools
            index = next((i for i, s in enumerate(schools) if s is row), None)
            count = 0 if index is None else links(self.session.assessment).sro_count(index)
            if column == "sros":
                return str(count)
            problems = school_problems(row)
            if problems:
                return "⚠ " + problems[0].message
            return "✔ OK" if count else "? No SRO assigned: pick this school on an officer's row"
        return _number(getattr(row, column))


class OfficerModel(RowModel):
    columns = (
        Column("name", "Officer"),
        Column("school", "Schools", "The schools this officer serves"),
        Column("sworn_date", "Sworn", "Sworn date (or years of experience)"),
        Column("assignment_date", "Assigned", "Date assigned to the school"),
        Column("basic_course_date", "Basic course"),
        Column("last_annual_training", "Safety training", "Last school-safety training"),
        Column("last_rapid_deployment", "Rapid deploy.", "Last rapid-deployment training"),
        Column("status", "Training status", "Met, due on a date, or overdue since a date"),
    )

    def rows(self) -> list[Officer]:
        return self.session.assessment.officers

    def text(self, row: Officer, column: str) -> str:
        if column == "name":
            return row.name
        if column == "school":
            known = {name_key(s.name) for s in self.session.assessment.schools}
            return ", ".join(
                name if name_key(name) in known else f"⚠ {name} (not on the Schools list: "
                "edit the officer and pick the school)"
                for name in officer_school_names(row)
            ) or "? No school picked"
        if column == "sworn_date":
            if row.sworn_date is None and row.years_experience is not None:
                return f"{row.years_experience} yrs"
            return short_day(row.sworn_date)
        if column == "status":
            warnings = [p.message for p in officer_problems(row, self.session.assessment.as_of)]
            status = self.session.officer_training_status(row)
            return status + ("  ⚠ " + warnings[0] if warnings else "")
        return short_day(getattr(row, column))


# --- Row editors ----------------------------------------------------------------------------


class TableBlock(QWidget):
    """A heading, a table and Add / Edit / Remove buttons."""

    changed = Signal()

    def __init__(self, title: str, intro: str, model: RowModel, noun: str,
                 open_dialog: Callable[[Any], RowDialog], remove_row: Callable[[Any], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.noun = noun
        self.open_dialog = open_dialog  # (row or None) -> the dialog that edits or adds it
        self.remove_row = remove_row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(wrap_label(title, "heading", self))
        layout.addWidget(wrap_label(intro, None, self))
        self.table = QTableView(self)
        self.table.setModel(model)
        model.modelReset.connect(lambda: fit_columns(self.table))  # the rows' new words
        pick_list(self.table, title, f"Enter or double-click a row to edit the {noun}.")
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        # columns sized by fit_columns to the room the table has, on every width change
        self.table.viewport().installEventFilter(self)
        # A double-click opens the editor, and Enter does (eventFilter). Not `activated`: on
        # some platforms it comes with a double-click too, which opened two editors in a row.
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.installEventFilter(self)
        self._editing = False
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(f"Add {noun}…", self)
        self.edit_button = QPushButton("Edit…", self)
        self.remove_button = QPushButton("Remove", self)
        for button, description in ((self.add_button, f"Add a new {noun}."),
                                    (self.edit_button, f"Edit the selected {noun}."),
                                    (self.remove_button, f"Remove the selected {noun}.")):
            button.setAccessibleDescription(description)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self.edit(new=True))
        self.edit_button.clicked.connect(lambda: self.edit())
        self.remove_button.clicked.connect(self.remove)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.edit()
            return True
        if (watched is self.table.viewport() and event.type() == QEvent.Type.Resize
                and event.size().width() != event.oldSize().width()):
            fit_columns(self.table)
        return super().eventFilter(watched, event)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            index = self.table.currentIndex()
            if not index.isValid():
                return None
            return self.model.row_at(index.row())
        return self.model.row_at(rows[0].row())

    def edit(self, new: bool = False) -> None:
        if self._editing:
            return
        row = None if new else self.selected()
        if not new and row is None:
            return
        self._editing = True
        try:
            dialog = self.open_dialog(row)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.model.reload()
                rows = self.model.rows()
                if dialog.saved in rows:
                    self.table.selectRow(rows.index(dialog.saved))
                self.changed.emit()
        finally:
            self._editing = False

    def remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, f"Remove {self.noun}",
            f"Remove “{row.name or 'this ' + self.noun}” from this assessment?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.remove_row(row)
        self.model.reload()
        self.changed.emit()  # a school's SRO count comes from the officers
