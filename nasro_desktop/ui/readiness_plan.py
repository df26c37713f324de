"""The Readiness page's tables: the action plan (owner, target date and status editable by
keyboard: F2 or Enter on a cell; Delete clears a date) and what falls due next, both in a table
as tall as its rows so the page scrolls, not the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from nasro_desktop.domain.date_input import EXAMPLE, EXPECTED, read_date, spoken_date
from nasro_desktop.domain.date_input import format_date as typed_form
from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.model import ActionStatus, Owner
from nasro_desktop.domain.results import Gap
from nasro_desktop.ui.style import chip_colour
from nasro_desktop.ui.table_model import ListTableModel

ACTION_SYMBOL = {
    ActionStatus.OPEN: "\u25cb",  # ○
    ActionStatus.IN_PROGRESS: "\u25d0",  # ◐
    ActionStatus.DONE: "\u2714",  # ✔
}
NO_DATE = "Not set"
DUE_ROWS_SHOWN = 12


# --- tables that show every row (they live inside the page's scroll area) -------------------


class _FitTable(QTableView):
    """A read-mostly table as tall as its rows, so the page scrolls, not the table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)  # Tab moves on through the page; arrows move inside
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setHighlightSections(False)

    def fit(self) -> None:
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        for row in range(self.model().rowCount() if self.model() else 0):
            height += self.rowHeight(row)
        self.setFixedHeight(height + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def wheelEvent(self, event) -> None:  # noqa: N802
        event.ignore()  # let the page scroll


# --- the action plan ---------------------------------------------------------------------


class PlanColumn(IntEnum):
    STANDARD = 0
    NEXT_STEP = 1
    OWNER = 2
    PERSON = 3
    TARGET_DATE = 4
    STATUS = 5


# the editable columns and the PlanRow field each edits (Qt.EditRole holds its value)
EDITABLE_COLUMNS = {PlanColumn.NEXT_STEP: "next_step", PlanColumn.OWNER: "owner",
                    PlanColumn.PERSON: "person", PlanColumn.TARGET_DATE: "target_date",
                    PlanColumn.STATUS: "status"}  # fmt: skip
TEXT_COLUMNS = (PlanColumn.NEXT_STEP, PlanColumn.PERSON)  # typed: a line editor
STANDARD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PERSON = "No one named"


@dataclass
class PlanRow:
    gap: Gap
    owner: Owner
    target_date: date | None
    status: ActionStatus
    person: str = ""  # name and role, free text
    next_step: str = ""  # as shown: the user's step, else the engine's


def action_status_text(status: ActionStatus) -> str:
    return f"{ACTION_SYMBOL[status]} {status.label}"


class ActionPlanModel(ListTableModel):
    """One row per gap. Owner, target date and status are editable (Qt.EditRole holds the value)."""

    titles = ("Standard", "Next step", "Owner", "Person responsible", "Target date", "Status")
    row_edited = Signal(int)  # row whose owner, date or status the user changed

    def set_gaps(self, gaps: list[Gap], people: dict[str, str] | None = None) -> None:
        """One row per gap; `people`: standard id -> the person responsible, if named."""
        people = people or {}
        self.set_rows([PlanRow(g, g.owner, g.target_date, g.action_status,
                               people.get(g.standard.id, ""), g.next_step) for g in gaps])

    def row_of(self, standard_id: str) -> int | None:
        for i, r in enumerate(self._rows):
            if r.gap.standard.id == standard_id:
                return i
        return None

    wrapped_titles: frozenset[int] = frozenset()  # headings shown on two lines (narrow)

    def header_title(self, section: int) -> str:
        title = self.titles[section]
        return f"{title} \u270e" if section in EDITABLE_COLUMNS else title

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and section in self.wrapped_titles:
            return self.two_line_title(section)
        return super().headerData(section, orientation, role)

    def two_line_title(self, section: int) -> str:
        """"Person responsible ✎" as "Person\nresponsible ✎" (the pencil stays on a word)."""
        words = self.header_title(section).split(" ")
        half = max(1, (len(words) - (words[-1] == "\u270e")) // 2)
        return " ".join(words[:half]) + "\n" + " ".join(words[half:])

    def set_wrapped_titles(self, sections: set[PlanColumn]) -> None:
        wrapped = frozenset(int(s) for s in sections)
        if wrapped != self.wrapped_titles:
            self.wrapped_titles = wrapped
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(PlanColumn) - 1)

    def header_tip(self, section: int) -> str | None:
        if PlanColumn(section) in EDITABLE_COLUMNS:
            return "You can change this: choose a cell and press F2 or Enter."
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and PlanColumn(index.column()) in EDITABLE_COLUMNS:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._rows[index.row()]
        column = PlanColumn(index.column())
        if role == STANDARD_ID_ROLE:
            return row.gap.standard.id
        if role == Qt.ItemDataRole.EditRole:
            return getattr(row, EDITABLE_COLUMNS[column]) if column in EDITABLE_COLUMNS else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            std, status = row.gap.standard, row.gap.status
            return (  # in PlanColumn's order
                f"{std.number} {std.title}\n{std.cls.label} \u00b7 {status.symbol} {status.label}",
                row.next_step,
                row.owner.label,
                row.person or NO_PERSON,
                long_date(row.target_date) if row.target_date else NO_DATE,
                action_status_text(row.status),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in EDITABLE_COLUMNS:
            return "Press F2 or Enter to change; Delete clears a target date."
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        row = self._rows[index.row()]
        column = PlanColumn(index.column())
        if column not in EDITABLE_COLUMNS:
            return False
        if column in TEXT_COLUMNS:
            value = " ".join(str(value or "").split())
            if column is PlanColumn.NEXT_STEP and not value:
                return False  # a step is never emptied: the engine's would come back silently
        elif column is PlanColumn.OWNER:
            value = Owner(value)
        elif column is PlanColumn.STATUS:
            value = ActionStatus(value)
        elif value is not None and not isinstance(value, date):  # the target date
            return False
        if value == getattr(row, EDITABLE_COLUMNS[column]):
            return False
        setattr(row, EDITABLE_COLUMNS[column], value)
        self.dataChanged.emit(index, index)
        self.row_edited.emit(index.row())
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor over a fixed list of (label, value); Up/Down choose, Enter saves."""

    def __init__(self, options: list[tuple[str, Any]], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._options = options
        self._name = name

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for label, _value in self._options:
            combo.addItem(label)
        combo.setAccessibleName(self._name)
        combo.setAccessibleDescription("Up and Down choose; Enter saves; Escape cancels.")
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        assert isinstance(editor, QComboBox)
        for i, (_label, option) in enumerate(self._options):
            if option == value:
                editor.setCurrentIndex(i)
                return

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        if editor.currentIndex() >= 0:
            model.setData(index, self._options[editor.currentIndex()][1], Qt.ItemDataRole.EditRole)


class _TargetDateEdit(QLineEdit):
    """A target date typed as people type it (3/15/2027, 2027-03-15, Mar 15 2027: see
    domain.date_input); Up / Down move it by a day. The date understood is said in a tooltip
    under the cell as you type; a text that is not a date changes nothing."""

    def __init__(self, parent: QWidget | None, start: date) -> None:
        super().__init__(parent)
        self.setPlaceholderText(EXPECTED)
        self.setText(typed_form(start))
        self.selectAll()
        self.setAccessibleName("Target date")
        self._describe()
        self.textEdited.connect(self._describe)

    def value(self) -> date | None:
        """The date typed, or None when the text is not a date."""
        return read_date(self.text()).value

    def set_value(self, value: date) -> None:
        self.setText(typed_form(value))
        self._describe()

    def _describe(self, *_args) -> None:
        reading = read_date(self.text())
        if reading.value is not None:
            text = f"✔ {spoken_date(reading.value)}"
        elif reading.empty:
            text = f"Type a date as {EXPECTED}, e.g. {EXAMPLE}"
        else:
            text = f"✘ {reading.problem}"
        self.setToolTip(text)
        self.setAccessibleDescription(
            f"{text}. Up and Down move it by a day; Enter saves; Escape cancels.")
        if self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), text, self)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            current = self.value()
            if current is not None:
                step = 1 if event.key() == Qt.Key.Key_Up else -1
                self.set_value(current + timedelta(days=step))
            return
        super().keyPressEvent(event)


class DateDelegate(QStyledItemDelegate):
    """Typed-date editor; a cell without a date starts 90 days after the assessment date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_from = date.today()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QWidget:  # noqa: N802
        current = index.data(Qt.ItemDataRole.EditRole)
        start = current or (self.start_from + timedelta(days=90))
        return _TargetDateEdit(parent, start)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        current = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(current, date):
            editor.set_value(current)  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, _TargetDateEdit)
        value = editor.value()
        if value is not None:  # a text that is not a date changes nothing
            model.setData(index, value, Qt.ItemDataRole.EditRole)


class _PlanTable(_FitTable):
    """Enter starts editing an editable cell (as F2 does); Delete clears a target date.

    Its columns are fitted to its width whenever it is fitted (first shown, width changed,
    text size changed): each short column wide enough for its heading and its longest entry,
    the next step the rest; when they cannot all have that (large text on a small screen)
    they give way in proportion down to their longest word, never cut off at the right."""

    def fit(self) -> None:
        self.fit_columns()
        super().fit()

    def fit_columns(self) -> None:
        model = self.model()
        assert isinstance(model, ActionPlanModel)  # set when the page builds the table
        fm = self.fontMetrics()
        em = fm.horizontalAdvance("M")
        pad = em + 8  # the cell's margins, and an editor's arrow

        def widest(*texts: str) -> int:
            return max(fm.horizontalAdvance(t) for t in texts) + pad

        rows = range(model.rowCount())
        cells = {column: [str(model.index(r, column).data() or "") for r in rows]
                 for column in PlanColumn}
        titles = {column: str(model.headerData(column, Qt.Orientation.Horizontal) or "")
                  for column in PlanColumn}
        wanted = {
            PlanColumn.STANDARD: min(em * 18, widest(titles[PlanColumn.STANDARD], *(
                line for text in cells[PlanColumn.STANDARD] for line in text.split("\n")))),
            PlanColumn.OWNER: widest(titles[PlanColumn.OWNER], "Agency and district"),
            PlanColumn.PERSON: min(em * 14, widest(titles[PlanColumn.PERSON], NO_PERSON,
                                                   *cells[PlanColumn.PERSON])),
            PlanColumn.TARGET_DATE: widest(titles[PlanColumn.TARGET_DATE], "September 30, 2026"),
            PlanColumn.STATUS: widest(titles[PlanColumn.STATUS],
                                      *(action_status_text(s) for s in ActionStatus)),
        }
        least = {column: max(max(fm.horizontalAdvance(word) for text in cells[column]
                                 for word in text.split()) if model.rowCount() else 0,
                             *(fm.horizontalAdvance(line) for line in
                               model.two_line_title(column).split("\n"))) + 12
                 for column in PlanColumn}  # a word whole, with the cell's margins
        room = max(0, self.width() - 2 * self.frameWidth())
        step_room = max(em * 14, least[PlanColumn.NEXT_STEP])
        others = room - step_room
        if sum(wanted.values()) > others:  # give way in proportion, down to the least
            spare = sum(wanted[c] - min(least[c], wanted[c]) for c in wanted)
            scale = max(0.0, others - sum(min(least[c], wanted[c]) for c in wanted)) / max(1, spare)
            wanted = {c: min(least[c], w) + int((w - min(least[c], w)) * min(1.0, scale))
                      for c, w in wanted.items()}
        wanted[PlanColumn.NEXT_STEP] = max(least[PlanColumn.NEXT_STEP],
                                           room - sum(wanted.values()))
        header = self.horizontalHeader()
        for column, width in wanted.items():
            header.resizeSection(column, width)
        # a heading wider than its column goes on two lines (a heading is never wrapped)
        model.set_wrapped_titles({c for c, width in wanted.items()
                                  if fm.horizontalAdvance(model.header_title(c)) + 12 > width})

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        index = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if index.isValid() and not editing:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if index.flags() & Qt.ItemFlag.ItemIsEditable:
                    self.edit(index)
                    event.accept()
                    return
            if (
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and index.column() == PlanColumn.TARGET_DATE
            ):
                self.model().setData(index, None, Qt.ItemDataRole.EditRole)
                event.accept()
                return
        super().keyPressEvent(event)


# --- what falls due next ----------------------------------------------------------------


class DueColumn(IntEnum):
    WHEN = 0
    WHAT = 1
    WHO = 2
    STATE = 3


class DueModel(ListTableModel):
    titles = ("When", "What", "Who", "Overdue?")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (long_date(item.when), item.what, item.who,  # in DueColumn's order
                    "\u26a0 Overdue" if item.overdue else "Coming up")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == DueColumn.STATE \
                and item.overdue:
            return QColor(chip_colour("bad"))
        return None
