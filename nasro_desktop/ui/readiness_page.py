"""The Readiness page: where the program stands, what to fix, and the board report.

From top to bottom: the verdict in one sentence (a word and a symbol, never colour alone);
mandatory standards met x of y; the recommended practices score; bars per section; the
mandatory standards not yet met; the action plan (owner, target date and status editable by
keyboard: F2 or Enter on a cell); what falls due next. The buttons Save PDF report…, Print…
and Export… stay at the top, always in view.

Each action-plan edit emits `action_item_changed(ActionItem)`; the window saves it through
the session and calls `set_data` again with the new readiness.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.model import ActionItem, ActionStatus, Assessment, Form, Owner
from nasro_desktop.domain.results import Gap, Readiness, Verdict
from nasro_desktop.ui import report_actions
from nasro_desktop.ui.review_page import format_date
from nasro_desktop.ui.section_bars import SectionBars
from nasro_desktop.ui.table_model import ListTableModel

VERDICT_SYMBOL = {Verdict.READY: "\u2714", Verdict.NOT_READY: "\u2718"}
ACTION_SYMBOL = {
    ActionStatus.OPEN: "\u25cb",  # ○
    ActionStatus.IN_PROGRESS: "\u25d0",  # ◐
    ActionStatus.DONE: "\u2714",  # ✔
}
NO_DATE = "Not set"
DUE_ROWS_SHOWN = 12


def _set_role(widget: QWidget, role: str, factor: float, bold: bool) -> None:
    """Size relative to the page font; the shell's style sheet (textRole) wins when applied."""
    widget.setProperty("textRole", role)
    widget.setProperty("_fontFactor", factor)
    widget.setProperty("_fontBold", bold)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


VERDICT_ITEMS_SHOWN = 5


def verdict_text(readiness: Readiness) -> str:
    """The verdict as a short headline with its symbol and word: "✘ Not ready: 3 required
    items not met" (the items are listed under it by `verdict_items`)."""
    if not readiness.started:
        return "\u25cb Not started: nothing is answered yet"
    gaps = len(readiness.mandatory_gaps)
    if readiness.verdict is Verdict.READY:
        return f"{VERDICT_SYMBOL[Verdict.READY]} Ready: every required item is met"
    items = f"{gaps} required item{'s' if gaps != 1 else ''} not met"
    return f"{VERDICT_SYMBOL[readiness.verdict]} {readiness.verdict.label}: {items}"


def verdict_items(readiness: Readiness) -> str:
    """The required items not met, in plain words with their numbers after, one a line."""
    gaps = readiness.mandatory_gaps
    if not readiness.started or not gaps:
        return ""
    lines = [f"{r.status.symbol} {r.status.label}: {r.standard.title} ({r.standard.number})"
             for r in gaps[:VERDICT_ITEMS_SHOWN]]
    if len(gaps) > VERDICT_ITEMS_SHOWN:
        lines.append(f"…and {len(gaps) - VERDICT_ITEMS_SHOWN} more, listed below.")
    return "\n".join(lines)


def verdict_note(readiness: Readiness) -> str:
    """Whether the open questions could still change it ("" when none are left)."""
    if not readiness.started:
        return ("Every required item counts as not met until it is answered; the Home page "
                "says where to start.")
    from nasro_desktop.domain.scoring import open_questions_sentence  # the report's words

    return open_questions_sentence(readiness.open_questions, readiness.open_can_change_verdict)


def mandatory_figure_text(readiness: Readiness) -> str:
    return f"Required standards met: {readiness.mandatory_met} of {readiness.mandatory_total}"


def recommended_figure_text(readiness: Readiness) -> str:
    from nasro_desktop.domain.wording import PLAIN_LABELS

    label = PLAIN_LABELS["recommended_score"]
    if readiness.recommended_score is None:
        return f"{label}: not scored yet"
    return f"{label}: {round(readiness.recommended_score)}%"


def answered_figure_text(readiness: Readiness) -> str:
    return (
        f"Questions answered: {readiness.answered} of {readiness.total} "
        f"({readiness.percent_answered}%)"
    )


STATUS_CHIP = {"met": "good", "partly": "warn", "not_met": "bad", "unknown": "neutral",
               "na": "neutral"}


def status_brush(status) -> QColor:
    """A status's colour (chip colours, for the palette in use); never the only sign."""
    from nasro_desktop.ui.style import chip_colour

    return QColor(chip_colour(STATUS_CHIP.get(str(status.value), "neutral")))


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


# --- mandatory gaps ----------------------------------------------------------------------


class GapColumn(IntEnum):
    NUMBER = 0
    STANDARD = 1
    STATUS = 2

    @property
    def title(self) -> str:
        return ("Number", "Standard", "Status")[self.value]


class GapsModel(ListTableModel):
    titles = tuple(c.title for c in GapColumn)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            column = GapColumn(index.column())
            if column is GapColumn.NUMBER:
                return result.standard.number
            if column is GapColumn.STANDARD:
                return result.standard.title
            return f"{result.status.symbol} {result.status.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            details = [f.detail for f in result.findings if f.detail]
            return "\n".join(details[:8]) or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == GapColumn.STATUS:
            return status_brush(result.status)  # repeats the symbol and word in colour
        return None


# --- the action plan ---------------------------------------------------------------------


class PlanColumn(IntEnum):
    STANDARD = 0
    NEXT_STEP = 1
    OWNER = 2
    TARGET_DATE = 3
    STATUS = 4

    @property
    def title(self) -> str:
        return ("Standard", "Next step", "Owner", "Target date", "Status")[self.value]


EDITABLE_COLUMNS = (PlanColumn.OWNER, PlanColumn.TARGET_DATE, PlanColumn.STATUS)
STANDARD_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class PlanRow:
    gap: Gap
    owner: Owner
    target_date: date | None
    status: ActionStatus


def action_status_text(status: ActionStatus) -> str:
    return f"{ACTION_SYMBOL[status]} {status.label}"


class ActionPlanModel(ListTableModel):
    """One row per gap. Owner, target date and status are editable (Qt.EditRole holds the value)."""

    titles = tuple(c.title for c in PlanColumn)
    row_edited = Signal(int)  # row whose owner, date or status the user changed

    def set_gaps(self, gaps: list[Gap]) -> None:
        self.set_rows([PlanRow(g, g.owner, g.target_date, g.action_status) for g in gaps])

    def plan_row(self, row: int) -> PlanRow:
        return self._rows[row]

    def row_of(self, standard_id: str) -> int | None:
        for i, r in enumerate(self._rows):
            if r.gap.standard.id == standard_id:
                return i
        return None

    def header_title(self, section: int) -> str:
        column = PlanColumn(section)
        return f"{column.title} \u270e" if column in EDITABLE_COLUMNS else column.title

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
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = PlanColumn(index.column())
        if role == STANDARD_ID_ROLE:
            return row.gap.standard.id
        if role == Qt.ItemDataRole.EditRole:
            return {
                PlanColumn.OWNER: row.owner,
                PlanColumn.TARGET_DATE: row.target_date,
                PlanColumn.STATUS: row.status,
            }.get(column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            std = row.gap.standard
            if column is PlanColumn.STANDARD:
                return (
                    f"{std.number} {std.title}\n"
                    f"{std.cls.label} \u00b7 {row.gap.status.symbol} {row.gap.status.label}"
                )
            if column is PlanColumn.NEXT_STEP:
                return row.gap.next_step
            if column is PlanColumn.OWNER:
                return row.owner.label
            if column is PlanColumn.TARGET_DATE:
                return format_date(row.target_date) if row.target_date else NO_DATE
            return action_status_text(row.status)
        if role == Qt.ItemDataRole.ToolTipRole and column in EDITABLE_COLUMNS:
            return "Press F2 or Enter to change; Delete clears a target date."
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = self._rows[index.row()]
        column = PlanColumn(index.column())
        if column is PlanColumn.OWNER:
            new = Owner(value)
            if new == row.owner:
                return False
            row.owner = new
        elif column is PlanColumn.TARGET_DATE:
            if value is not None and not isinstance(value, date):
                return False
            if value == row.target_date:
                return False
            row.target_date = value
        elif column is PlanColumn.STATUS:
            new_status = ActionStatus(value)
            if new_status == row.status:
                return False
            row.status = new_status
        else:
            return False
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
        from nasro_desktop.domain.date_input import EXPECTED
        from nasro_desktop.domain.date_input import format_date as typed_form

        self.setPlaceholderText(EXPECTED)
        self.setText(typed_form(start))
        self.selectAll()
        self.setAccessibleName("Target date")
        self._describe()
        self.textEdited.connect(self._describe)

    def value(self) -> date | None:
        """The date typed, or None when the text is not a date."""
        from nasro_desktop.domain.date_input import read_date

        return read_date(self.text()).value

    def set_value(self, value: date) -> None:
        from nasro_desktop.domain.date_input import format_date as typed_form

        self.setText(typed_form(value))
        self._describe()

    def _describe(self, *_args) -> None:
        from PySide6.QtCore import QPoint
        from PySide6.QtWidgets import QToolTip

        from nasro_desktop.domain.date_input import EXAMPLE, EXPECTED, read_date, spoken_date

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
    """Typed-date editor; a cell without a date starts `default_days` after the assessment
    date."""

    def __init__(self, parent: QWidget | None = None, default_days: int = 90) -> None:
        super().__init__(parent)
        self.start_from = date.today()
        self.default_days = default_days

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QWidget:  # noqa: N802
        current = index.data(Qt.ItemDataRole.EditRole)
        start = current or (self.start_from + timedelta(days=self.default_days))
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
    """Enter starts editing an editable cell (as F2 does); Delete clears a target date."""

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

    @property
    def title(self) -> str:
        return ("When", "What", "Who", "Overdue?")[self.value]


class DueModel(ListTableModel):
    titles = tuple(c.title for c in DueColumn)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            column = DueColumn(index.column())
            if column is DueColumn.WHEN:
                return format_date(item.when)
            if column is DueColumn.WHAT:
                return item.what
            if column is DueColumn.WHO:
                return item.who
            return "\u26a0 Overdue" if item.overdue else "Coming up"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == DueColumn.STATE \
                and item.overdue:
            from nasro_desktop.ui.style import chip_colour

            return QColor(chip_colour("bad"))
        return None


# --- the page ------------------------------------------------------------------------------


class ReadinessPage(QWidget):
    action_item_changed = Signal(object)  # an ActionItem (new: id None) the user edited
    export_requested = Signal()  # the shell runs the store export with a file dialog
    fix_requested = Signal(str)  # a standard id: the window opens its first question page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readinessPage")
        self.setAccessibleName("Readiness")
        self._form: Form | None = None
        self._assessment: Assessment | None = None
        self._readiness: Readiness | None = None
        self._busy = False
        self._stale = False  # set_data came while hidden: refresh when shown
        self._edits: list[ActionItem] = []  # waiting for the cell editor to close

        # Header: title and the report buttons, always in view.
        title = QLabel("Readiness")
        _set_role(title, "title", 1.6, True)
        self.title_label = title

        self.paper_combo = QComboBox()
        self.paper_combo.addItem("Letter paper", "letter")
        self.paper_combo.addItem("A4 paper", "a4")
        self.paper_combo.setAccessibleName("Paper size for the report")
        self.paper_combo.setAccessibleDescription("Letter (US) or A4, for Save PDF report.")
        self.paper_combo.setToolTip("Paper size for the saved report")

        self.save_button = QPushButton("&Save PDF report\u2026")
        self.save_button.setAccessibleName("Save PDF report")
        self.print_button = QPushButton("&Print\u2026")
        self.print_button.setAccessibleName("Print the report")
        # Not a document: a data file of the assessment. Named so, and set apart from the
        # report buttons (File > Export this assessment… does the same).
        self.export_button = QPushButton("Save a data file\u2026")
        self.export_button.setFlat(True)
        self.export_button.setAccessibleName("Save this assessment as a data file")
        self.export_button.setAccessibleDescription(
            "Not a report: saves this whole assessment as one data file, to keep a copy or to "
            "open it on another computer with this app (File > Import a file…)."
        )
        self.export_button.setToolTip(self.export_button.accessibleDescription())
        # Bound slots, not lambdas: a lambda holding the page keeps PySide from tearing the
        # connection down cleanly when the page is deleted (a "shared QObject" heap error).
        self.save_button.clicked.connect(self._on_save_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.export_button.clicked.connect(self.export_requested)

        # One row when it fits; on a small screen or with large text the buttons go under the
        # title (see _fit_rows), so the window never has to grow wider than the screen.
        header = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        header.addWidget(title)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.button_grid = QGridLayout()
        self.button_grid.setHorizontalSpacing(8)
        self._button_columns = 0
        self._arrange_buttons(4)
        buttons.addLayout(self.button_grid)
        header.addLayout(buttons, 1)
        self.header = header

        # Body, in a vertical scroll area.
        self.verdict_label = QLabel("")
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _set_role(self.verdict_label, "heading", 1.45, True)
        self.verdict_frame = QFrame()
        self.verdict_frame.setObjectName("verdictFrame")
        # A shaded box from palette roles (right in light and dark themes), no style sheet.
        self.verdict_frame.setProperty("frameRole", "message")
        self.verdict_frame.setFrameShape(QFrame.Shape.Box)
        self.verdict_frame.setFrameShadow(QFrame.Shadow.Plain)
        self.verdict_frame.setLineWidth(2)
        self.verdict_frame.setAutoFillBackground(True)
        self.verdict_frame.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        frame_layout = QVBoxLayout(self.verdict_frame)
        frame_layout.setContentsMargins(16, 12, 16, 12)
        frame_layout.setSpacing(8)
        frame_layout.addWidget(self.verdict_label)
        self.verdict_list = QLabel("")
        self.verdict_list.setWordWrap(True)
        self.verdict_list.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict_list.setAccessibleName("Required items not met")
        _set_role(self.verdict_list, "big", 1.1, False)
        frame_layout.addWidget(self.verdict_list)
        self.verdict_note = QLabel("")
        self.verdict_note.setWordWrap(True)
        frame_layout.addWidget(self.verdict_note)
        self.fix_button = QPushButton("")
        self.fix_button.setAccessibleName("Fix the first required item")
        self.fix_button.clicked.connect(self._on_fix_clicked)
        from nasro_desktop.ui.style import set_primary

        set_primary(self.fix_button)
        frame_layout.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.fix_button.hide()

        self.mandatory_label = QLabel("")
        self.recommended_label = QLabel("")
        self.answered_label = QLabel("")
        self.as_of_label = QLabel("")
        self.fingerprint_label = QLabel("")
        self.fingerprint_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        for label in (self.mandatory_label, self.recommended_label):
            _set_role(label, "big", 1.15, True)
        for label in (self.mandatory_label, self.recommended_label, self.answered_label,
                      self.as_of_label):
            label.setWordWrap(True)
        figures = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        figures.addWidget(self.mandatory_label)
        figures.addSpacing(24)
        figures.addWidget(self.recommended_label)
        figures.addStretch(1)
        small = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        small.addWidget(self.answered_label)
        small.addSpacing(24)
        small.addWidget(self.as_of_label)
        small.addSpacing(24)
        small.addWidget(self.fingerprint_label)
        small.addStretch(1)
        self.rows = (figures, small)

        self.bars = SectionBars()

        self.gaps_heading = self._heading("Required standards not yet met")
        self.gaps_model = GapsModel(self)
        self.gaps_table = _FitTable()
        self.gaps_table.setObjectName("gapsTable")
        self.gaps_table.setModel(self.gaps_model)
        self.gaps_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.gaps_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gaps_table.setAccessibleName("Required standards not yet met")
        gh = self.gaps_table.horizontalHeader()
        gh.setSectionResizeMode(GapColumn.NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        gh.setSectionResizeMode(GapColumn.STANDARD, QHeaderView.ResizeMode.Stretch)
        gh.setSectionResizeMode(GapColumn.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.no_gaps_label = QLabel("\u2714 Every required standard is met.")

        self.plan_heading = self._heading("Action plan")
        self.plan_intro = QLabel(
            "One row for each standard not yet fully met, most urgent first. To change the "
            "owner, target date or status, choose the cell and press F2 or Enter (or "
            "double-click it); Enter saves. Delete clears a target date."
        )
        self.plan_intro.setWordWrap(True)
        self.plan_model = ActionPlanModel(self)
        self.plan_model.row_edited.connect(self._on_row_edited)
        self.plan_table = _PlanTable()
        self.plan_table.setObjectName("actionPlanTable")
        self.plan_table.setModel(self.plan_model)
        self.plan_table.setAccessibleName("Action plan")
        self.plan_table.setAccessibleDescription(
            "Columns: standard, next step, owner, target date, status. Owner, target date and "
            "status can be changed: F2 or Enter to edit, Enter to save, Escape to cancel."
        )
        self.plan_table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.owner_delegate = ChoiceDelegate([(o.label, o) for o in Owner], "Owner", self)
        self.status_delegate = ChoiceDelegate(
            [(action_status_text(s), s) for s in ActionStatus], "Status", self
        )
        self.date_delegate = DateDelegate(self)
        self.plan_table.setItemDelegateForColumn(PlanColumn.OWNER, self.owner_delegate)
        self.plan_table.setItemDelegateForColumn(PlanColumn.TARGET_DATE, self.date_delegate)
        self.plan_table.setItemDelegateForColumn(PlanColumn.STATUS, self.status_delegate)
        ph = self.plan_table.horizontalHeader()
        ph.setSectionResizeMode(PlanColumn.STANDARD, QHeaderView.ResizeMode.Stretch)
        ph.setSectionResizeMode(PlanColumn.NEXT_STEP, QHeaderView.ResizeMode.Stretch)
        for column in EDITABLE_COLUMNS:
            ph.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.no_plan_label = QLabel("\u2714 Nothing to do: every standard is met or not applicable.")

        self.due_heading = self._heading("What falls due next")
        self.due_model = DueModel(self)
        self.due_table = _FitTable()
        self.due_table.setObjectName("dueTable")
        self.due_table.setModel(self.due_model)
        self.due_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.due_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.due_table.setAccessibleName("What falls due next")
        dh = self.due_table.horizontalHeader()
        dh.setSectionResizeMode(DueColumn.WHEN, QHeaderView.ResizeMode.ResizeToContents)
        dh.setSectionResizeMode(DueColumn.WHAT, QHeaderView.ResizeMode.Stretch)
        dh.setSectionResizeMode(DueColumn.WHO, QHeaderView.ResizeMode.ResizeToContents)
        dh.setSectionResizeMode(DueColumn.STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.no_due_label = QLabel("Nothing falls due: no training or review dates are recorded yet.")
        self.due_more_label = QLabel("")

        body = QWidget()
        body.setObjectName("readinessBody")
        column = QVBoxLayout(body)
        column.addWidget(self.verdict_frame)
        column.addLayout(figures)
        column.addLayout(small)
        column.addWidget(self._heading("By section"))
        column.addWidget(self.bars)
        column.addWidget(self.gaps_heading)
        column.addWidget(self.gaps_table)
        column.addWidget(self.no_gaps_label)
        column.addWidget(self.plan_heading)
        column.addWidget(self.plan_intro)
        column.addWidget(self.plan_table)
        column.addWidget(self.no_plan_label)
        column.addWidget(self.due_heading)
        column.addWidget(self.due_table)
        column.addWidget(self.due_more_label)
        column.addWidget(self.no_due_label)
        from nasro_desktop.domain.wording import DISCLAIMER

        self.disclaimer = QLabel(DISCLAIMER)
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setAccessibleName("Disclaimer")
        column.addSpacing(12)
        column.addWidget(self.disclaimer)
        column.addStretch(1)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("readinessScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)

        # Keyboard order: the buttons first (the thing most people came for), then the page.
        self.setTabOrder(self.paper_combo, self.save_button)
        self.setTabOrder(self.save_button, self.print_button)
        self.setTabOrder(self.print_button, self.export_button)
        self.setTabOrder(self.export_button, self.fix_button)
        self.setTabOrder(self.fix_button, self.bars)
        self.setTabOrder(self.bars, self.gaps_table)
        self.setTabOrder(self.gaps_table, self.plan_table)
        self.setTabOrder(self.plan_table, self.due_table)

        self._explain()
        self._apply_fonts()
        self._update_buttons()
        self._fit_rows()
        for widget in (self.gaps_table, self.no_gaps_label, self.plan_table, self.no_plan_label,
                       self.due_table, self.no_due_label, self.due_more_label):
            widget.setVisible(False)

    # --- construction helpers -------------------------------------------------------------

    def _explain(self) -> None:
        """Plain words on hover and focus for the document's terms (domain.wording)."""
        from nasro_desktop.domain.model import StandardClass
        from nasro_desktop.domain.wording import GLOSSARY

        for widget, text in (
            (self.mandatory_label, GLOSSARY["Mandatory"]),
            (self.recommended_label, GLOSSARY["Recommended"] + " The score counts Met as 1 "
             "and Partly met as a half, over the best practices that apply."),
            (self.as_of_label, "Training, course and review dates are checked as they stand "
             "on this day: is something overdue on it? Change it on the Profile page."),
            (self.fingerprint_label, "A short code for the answers shown here. Every page of "
             "the report made from them prints the same code, so a signed paper can be matched "
             "to what is saved; any change of an answer changes it."),
        ):
            widget.setToolTip(text)
            widget.setAccessibleDescription(text)
        self.gaps_heading.setToolTip(StandardClass.MANDATORY.explanation)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        _set_role(label, "heading", 1.25, True)
        label.setAccessibleName(text)
        return label

    def _apply_fonts(self) -> None:
        """Size headings relative to the page font, so they follow View > Larger text."""
        base = self.font()
        for label in self.findChildren(QLabel):
            factor = label.property("_fontFactor")
            if factor is None:
                continue
            font = QFont(base)
            if base.pointSizeF() > 0:
                font.setPointSizeF(base.pointSizeF() * float(factor))
            else:
                font.setPixelSize(round(base.pixelSize() * float(factor)))
            font.setBold(bool(label.property("_fontBold")))
            label.setFont(font)
        fm = self.plan_table.fontMetrics()
        ph = self.plan_table.horizontalHeader()
        ph.resizeSection(PlanColumn.OWNER, fm.horizontalAdvance("Agency and district") + 48)
        ph.resizeSection(PlanColumn.TARGET_DATE, max(
            fm.horizontalAdvance("Target date \u270e"), fm.horizontalAdvance("September 30, 2026")
        ) + 24)
        ph.resizeSection(PlanColumn.STATUS, fm.horizontalAdvance("\u25d0 In progress") + 48)
        self._update_verdict_colour()

    def _update_verdict_colour(self) -> None:
        readiness = self._readiness
        palette = self.verdict_label.palette()
        role = QPalette.ColorRole.WindowText
        if readiness is None:
            self.verdict_label.setPalette(self.palette())
            return
        dark = _is_dark(self.palette())
        if readiness.verdict is Verdict.READY:
            colour = QColor("#7bd88f" if dark else "#1b6e2e")
        else:
            colour = QColor("#ff8a80" if dark else "#a4161a")
        palette.setColor(role, colour)
        self.verdict_label.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._apply_fonts()
            self._refit()
            if hasattr(self, "rows"):
                self._fit_rows()
        elif event.type() == QEvent.Type.PaletteChange:
            self._update_verdict_colour()
        super().changeEvent(event)

    # --- data ------------------------------------------------------------------------------

    def set_data(self, form: Form, assessment: Assessment, readiness: Readiness) -> None:
        """Show this readiness. While the page is hidden the widgets are brought up to date
        when it is next shown, so answering questions never waits for this page."""
        self._form = form
        self._assessment = assessment
        self._readiness = readiness
        self._stale = True
        self._update_buttons()
        if self.isVisible():
            self._refresh()

    def fingerprint(self) -> str:
        """The same identifier the report prints (domain.fingerprint), for this as-of date."""
        from nasro_desktop.domain.fingerprint import fingerprint

        if self._assessment is None or self._readiness is None:
            return ""
        return fingerprint(self._assessment, self._readiness.as_of)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh()
        self._fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_rows()

    def _arrange_buttons(self, columns: int) -> None:
        """The report buttons in one row (4 columns) or two (2), as the width allows."""
        if columns == self._button_columns:
            return
        self._button_columns = columns
        widgets = (self.paper_combo, self.save_button, self.print_button, self.export_button)
        for widget in widgets:
            self.button_grid.removeWidget(widget)
        for n, widget in enumerate(widgets):
            self.button_grid.addWidget(widget, n // columns, n % columns)

    def _fit_rows(self) -> None:
        """Rows that do not fit the page's width are stacked (header, figures)."""
        if not hasattr(self, "rows"):
            return
        # the room the window gives the page (its own width can be a wider one it forced)
        parent = self.parentWidget()
        width = (parent.width() if parent is not None and parent.width() > 0
                 else self.width()) - 40
        header_need = (self.title_label.sizeHint().width() + 60 + sum(
            w.sizeHint().width() + 8 for w in (self.paper_combo, self.save_button,
                                               self.print_button, self.export_button)))
        pairs = [(self.header, header_need)]
        for row, labels in zip(self.rows, ((self.mandatory_label, self.recommended_label),
                                           (self.answered_label, self.as_of_label,
                                            self.fingerprint_label)),
                               strict=True):
            pairs.append((row, sum(label.sizeHint().width() for label in labels) + 48))
        buttons_need = header_need - self.title_label.sizeHint().width() - 60
        self._arrange_buttons(4 if buttons_need <= width else 2)
        for layout, need in pairs:
            direction = (QBoxLayout.Direction.LeftToRight if need <= width
                         else QBoxLayout.Direction.TopToBottom)
            if layout.direction() != direction:
                layout.setDirection(direction)

    def _refresh(self) -> None:
        readiness = self._readiness
        if not self._stale or readiness is None:
            return
        self._stale = False

        self.verdict_label.setText(verdict_text(readiness))
        self.verdict_label.setAccessibleName(verdict_text(readiness)[2:])
        items = verdict_items(readiness)
        self.verdict_list.setText(items)
        self.verdict_list.setVisible(bool(items))
        self.verdict_note.setText(verdict_note(readiness))
        self.verdict_note.setVisible(bool(verdict_note(readiness)))
        first = readiness.mandatory_gaps[0] if readiness.mandatory_gaps else None
        self._fix_standard = first.standard.id if first is not None else ""
        if first is not None and readiness.started:
            self.fix_button.setText("Fix the first item")
            self.fix_button.setAccessibleDescription(
                f"Opens the questions of {first.standard.title} ({first.standard.number}).")
        self.fix_button.setVisible(first is not None and readiness.started)
        self.verdict_frame.setAccessibleName("Verdict")
        self.mandatory_label.setText(mandatory_figure_text(readiness))
        self.recommended_label.setText(recommended_figure_text(readiness))
        self.answered_label.setText(answered_figure_text(readiness))
        self.as_of_label.setText(f"Dates judged as of {format_date(readiness.as_of)}")
        self.fingerprint_label.setText(f"Data fingerprint {self.fingerprint()}")
        self._update_verdict_colour()

        self.bars.set_figures(readiness.sections)

        gaps = list(readiness.mandatory_gaps)
        self.gaps_model.set_rows(gaps)
        self.gaps_table.setVisible(bool(gaps))
        self.no_gaps_label.setVisible(not gaps)
        self.gaps_heading.setText(
            f"Required standards not yet met ({len(gaps)})" if gaps
            else "Required standards not yet met"
        )

        current = self.plan_table.currentIndex()
        keep_id = current.data(STANDARD_ID_ROLE) if current.isValid() else None
        keep_column = current.column() if current.isValid() else PlanColumn.OWNER
        self.plan_model.set_gaps(list(readiness.gaps))
        self.date_delegate.start_from = readiness.as_of
        self.plan_table.setVisible(bool(readiness.gaps))
        self.no_plan_label.setVisible(not readiness.gaps)
        if keep_id is not None:
            row = self.plan_model.row_of(keep_id)
            if row is not None:
                self.plan_table.setCurrentIndex(self.plan_model.index(row, keep_column))
        elif readiness.gaps:
            self.plan_table.setCurrentIndex(self.plan_model.index(0, PlanColumn.OWNER))

        due = list(readiness.due_next)
        self.due_model.set_rows(due[:DUE_ROWS_SHOWN])
        self.due_table.setVisible(bool(due))
        self.no_due_label.setVisible(not due)
        more = len(due) - DUE_ROWS_SHOWN
        self.due_more_label.setVisible(more > 0)
        self.due_more_label.setText(f"And {more} more later dates." if more > 0 else "")

        self._refit()
        self._update_buttons()

    def readiness(self) -> Readiness | None:
        return self._readiness

    def prepare(self) -> None:
        """Bring the widgets up to date now, even while hidden (the window calls this in idle
        time, so that showing the page later is only painting it)."""
        self._refresh()

    def _refit(self) -> None:
        for table in (self.gaps_table, self.plan_table, self.due_table):
            table.fit()

    # --- action plan edits -----------------------------------------------------------------

    def action_item_for(self, row: int) -> ActionItem:
        """The ActionItem for a plan row as it now stands (existing id kept, else id None)."""
        plan = self.plan_model.plan_row(row)
        standard_id = plan.gap.standard.id
        existing = None
        if self._assessment is not None:
            existing = next(
                (a for a in self._assessment.action_items if a.standard_id == standard_id), None
            )
        if existing is not None:
            return dataclasses.replace(
                existing,
                owner=plan.owner,
                target_date=plan.target_date,
                status=plan.status,
            )
        return ActionItem(
            id=None,
            standard_id=standard_id,
            next_step=plan.gap.next_step,
            owner=plan.owner,
            target_date=plan.target_date,
            status=plan.status,
        )

    @Slot(int)
    def _on_row_edited(self, row: int) -> None:
        # Emitted once the cell editor has closed: the window saves and calls set_data, which
        # rebuilds the table; doing that inside the editor's own commit would pull the cell
        # out from under it.
        self._edits.append(self.action_item_for(row))
        QTimer.singleShot(0, self, self._emit_edits)

    @Slot()
    def _emit_edits(self) -> None:
        edits, self._edits = self._edits, []
        for item in edits:
            self.action_item_changed.emit(item)

    # --- report buttons --------------------------------------------------------------------

    def paper(self) -> str:
        return str(self.paper_combo.currentData() or "letter")

    def _update_buttons(self) -> None:
        has_data = self._readiness is not None
        available = has_data and report_actions.report_available()
        printable = available and report_actions.printing_available()
        self.save_button.setEnabled(available and not self._busy)
        self.paper_combo.setEnabled(available and not self._busy)
        self.print_button.setEnabled(printable and not self._busy)
        self.export_button.setEnabled(has_data)
        if not has_data:
            why = "Open an assessment first."
            self.save_button.setToolTip(why)
            self.print_button.setToolTip(why)
        elif not available:
            self.save_button.setToolTip(report_actions.REPORT_UNAVAILABLE)
            self.print_button.setToolTip(report_actions.REPORT_UNAVAILABLE)
        else:
            self.save_button.setToolTip("Save the board-ready readiness report as a PDF file.")
            self.print_button.setToolTip(
                "Print the readiness report."
                if printable
                else "Printing is not available on this computer; use Save PDF report\u2026 "
                "and print the saved file."
            )
        self.save_button.setAccessibleDescription(self.save_button.toolTip())
        self.print_button.setAccessibleDescription(self.print_button.toolTip())

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    @Slot()
    def _on_fix_clicked(self) -> None:
        if getattr(self, "_fix_standard", ""):
            self.fix_requested.emit(self._fix_standard)

    @Slot()
    def _on_save_clicked(self) -> None:
        self.save_pdf()

    @Slot()
    def _on_print_clicked(self) -> None:
        self.print_report()

    def save_pdf(self, path: str | None = None) -> None:
        if self._readiness is None or self._form is None or self._assessment is None:
            return
        self._set_busy(True)
        report_actions.save_pdf_report(
            self, self._form, self._assessment, self._readiness, evidence=self._evidence(),
            paper=self.paper(), path=path, open_when_done=path is None,
            on_finished=lambda _p: self._set_busy(False),
        )

    def _evidence(self) -> list:
        """The evidence records for the report's register (set by the main window)."""
        source = getattr(self, "evidence_source", None)
        try:
            return list(source()) if source is not None else []
        except Exception:  # the report is still made without its register
            return []

    def print_report(self) -> None:
        if self._readiness is None or self._form is None or self._assessment is None:
            return
        self._set_busy(True)
        report_actions.print_report(
            self, self._form, self._assessment, self._readiness, evidence=self._evidence(),
            on_finished=lambda _n: self._set_busy(False),
        )
