"""The Review page: every visible question with its answer, note and flag, to check and jump back.

Filters (All / Unanswered / Not met or partly met / Flagged) each show how many questions
they hold. Enter or a double-click on a row, or the "Change this answer" button, emits
`jump_requested(question_id)`; the main window then opens that question's page.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.model import (
    Assessment,
    Form,
    StandardClass,
)
from nasro_desktop.domain.results import Readiness
from nasro_desktop.ui.labels import pick_list, wrap_label
from nasro_desktop.ui.review_rows import (
    FLAG_TEXT,
    Filter,
    ReviewRow,
    build_rows,
)
from nasro_desktop.ui.style import set_role
from nasro_desktop.ui.table_model import ListTableModel


class Column(IntEnum):
    SECTION = 0
    STANDARD = 1
    QUESTION = 2
    ANSWER = 3
    NOTE = 4
    FLAG = 5

    @property
    def title(self) -> str:
        return ("Section", "Standard", "Question", "Answer", "Note", "Flag")[self.value]


QUESTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ReviewModel(ListTableModel):
    """The rows the table shows: those the filter and "Whose part" let through."""

    titles = tuple(c.title for c in Column)

    # Plain ints: data() runs thousands of times when rows are measured for word wrap.
    _DISPLAY = int(Qt.ItemDataRole.DisplayRole)
    _ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
    _TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
    _ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
    _ID = int(QUESTION_ID_ROLE)
    _TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    # Folded (large text on a small screen): two columns, the question under its section and
    # standard, the answer over its flag and note; the other columns are hidden.
    folded = False

    def set_folded(self, folded: bool) -> None:
        if folded != self.folded:
            self.beginResetModel()
            self.folded = folded
            self.endResetModel()

    def _text(self, row: ReviewRow, column: int) -> str:
        if self.folded and column == Column.QUESTION:
            where = " \u00b7 ".join(t for t in (row.section, row.standard) if t)
            return f"{where}\n{row.question}" if where else row.question
        if self.folded and column == Column.ANSWER:
            return "\n".join(t for t in (row.answer, row.flag, row.note) if t)
        return row.cells[column]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        role = int(role)
        row = self._rows[index.row()]
        if role == self._DISPLAY:
            return self._text(row, index.column()) if self.folded else row.cells[index.column()]
        if role == self._ALIGN:
            return self._TOP_LEFT
        if role == self._ID:
            return row.question_id
        if role == self._ACCESSIBLE:
            return self._text(row, index.column()).replace("\n", " \u2014 ") or "empty"
        if role == self._TOOLTIP and index.column() in (Column.QUESTION, Column.NOTE):
            return self._text(row, index.column()) or None
        return None


class _ReviewTable(QTableView):
    """Enter (and Return) activate the current row on every platform; `width_changed` when
    the room for the columns changes (first shown, window resized, scroll bar come or gone)."""

    width_changed = Signal()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            old, new = event.oldSize().width(), event.size().width()  # type: ignore[attr-defined]
            if old != new:
                self.width_changed.emit()
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.activated.emit(index)
                event.accept()
                return
        super().keyPressEvent(event)


class ReviewPage(QWidget):
    jump_requested = Signal(str)  # question id the user wants to edit

    def __init__(self, parent: QWidget | None = None, *, session: Any = None) -> None:
        super().__init__(parent)
        self.session = session  # in the window: refresh() draws from it (ui/page.py)
        self.setObjectName("reviewPage")
        self.setAccessibleName("Review your answers")

        title = QLabel("Review your answers")
        title.setAccessibleName("Review your answers")
        set_role(title, "title")  # as every page's title; View > Larger text resizes it
        self.title_label = title

        intro = wrap_label(
            "Every question you can see in the interview, with your answer. Choose a row and "
            "press Enter (or double-click it) to go back and change that answer."
        )

        self.rows: list[ReviewRow] = []  # every question's row; the model has those shown
        self.filter = Filter.ALL
        self.party = ""  # whose part: "agency", "district" or "" for every question
        self.model = ReviewModel(self)

        # The filters flow onto more lines when the page is narrow (large text on a small
        # screen): in one row they needed 1,172 px at 200% and widened the window.
        self.filter_box = QWidget(self)
        filter_row = QGridLayout(self.filter_box)
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.setHorizontalSpacing(6)
        filter_row.setVerticalSpacing(4)
        self.filter_row = filter_row
        show = QLabel("Show:", self.filter_box)
        self.show_label = show
        self._filter_columns = 0
        self.filter_group = QButtonGroup(self)
        self.filter_buttons: dict[Filter, QPushButton] = {}
        for which in Filter:
            button = QPushButton(which.label, self.filter_box)
            button.setCheckable(True)
            button.setAccessibleDescription(which.description)
            button.setToolTip(which.description)
            self.filter_group.addButton(button, list(Filter).index(which))
            self.filter_buttons[which] = button
        self.filter_buttons[Filter.ALL].setChecked(True)
        self.filter_group.idClicked.connect(lambda i: self.set_filter(list(Filter)[i]))

        # whose part: with the agency and the district answering their own parts
        # (File > Share with the other party), each can list its own questions
        self.party_box = QComboBox(self)
        for text, party in (("Every part", ""), ("The agency's part", "agency"),
                            ("The district's part", "district")):
            self.party_box.addItem(text, party)
        self.party_box.setAccessibleName("Whose part")
        self.party_box.setToolTip("Show every question, or only those of the agency or the "
                                  "district (questions both share are always shown).")
        party_label = QLabel("&Whose part:", self)
        party_label.setBuddy(self.party_box)
        self.party_box.currentIndexChanged.connect(self._on_party_changed)
        party_row = QHBoxLayout()
        party_row.addWidget(party_label)
        party_row.addWidget(self.party_box)
        party_row.addStretch(1)

        table = _ReviewTable(self)
        table.setObjectName("reviewTable")
        table.setModel(self.model)
        pick_list(table, "Questions and answers",
                  "One row per question. Press Enter on a row to go to that question and change "
                  "it.")
        table.setWordWrap(True)
        table.setAlternatingRowColors(True)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # every column Interactive (the default), the question's too: _fit_columns gives it
        # the room the others leave (not Stretch: a hidden page's header keeps its old width,
        # and Review is fitted while hidden)
        table.horizontalHeader().setHighlightSections(False)
        table.activated.connect(self._on_activated)
        self.table = table
        # columns and rows fitted to the room the table really has, once it is laid out
        # (shown from the sidebar or Ctrl+6 it opened with a 40 px answer column and 300 px
        # rows until the window was resized)
        self._fitted_width = -1
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_to_width)
        table.width_changed.connect(self._fit_timer.start)

        self.jump_button = QPushButton("&Change this answer")
        self.jump_button.setAccessibleDescription(
            "Go to the chosen question in the interview to change its answer."
        )
        self.jump_button.clicked.connect(lambda: self._on_activated(self.table.currentIndex()))
        self.jump_button.setEnabled(False)
        table.selectionModel().currentRowChanged.connect(self._update_jump_button)
        self.model.modelReset.connect(self._update_jump_button)

        self.empty_label = wrap_label()
        self.empty_label.setVisible(False)

        bottom = QHBoxLayout()
        bottom.addWidget(self.empty_label, 1)
        bottom.addWidget(self.jump_button, 0, Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.filter_box)
        layout.addLayout(party_row)
        layout.addWidget(table, 1)
        layout.addLayout(bottom)
        self._flow_filters()

        self.setTabOrder(self.filter_buttons[Filter.TO_CONFIRM], self.party_box)
        self.setTabOrder(self.party_box, table)
        self.setTabOrder(table, self.jump_button)
        self._pending: tuple[Form, Assessment] | None = None
        self._counts: dict[Filter, int] = dict.fromkeys(Filter, 0)
        self._update_counts()

    # --- data ------------------------------------------------------------------------------

    def set_data(self, form: Form, assessment: Assessment, readiness: Readiness) -> None:
        """Show these answers. While the page is hidden (another section is on screen) the
        work is put off until it is shown, so answering questions never waits for it."""
        self._pending = (form, assessment)
        if self.isVisible():
            self._refresh()

    # --- the window's Page protocol (ui/page.py) ---------------------------------------------

    def refresh(self) -> None:
        if self.session is not None:
            s = self.session
            self.set_data(s.form, s.assessment, s.readiness)

    def focus_first(self) -> None:
        self.setFocus()

    def has_idle_work(self) -> bool:
        return self._pending is not None

    def prepare(self) -> None:
        """Rows built and measured while hidden (idle time), at the size the page will show
        at (the stack's: a hidden page keeps its old size), so showing is painting."""
        parent = self.parentWidget()
        layout = self.layout()
        if parent is not None and layout is not None and not self.isVisible():
            if self.size() != parent.size():
                self.resize(parent.size())
            layout.activate()  # the table's width for that size
        self._refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh()
        self._fit_timer.start()

    @Slot()
    def _fit_to_width(self) -> None:
        """Columns and rows for the table's width now (when it changed since last fitted)."""
        if not self.isVisible() or self._room() == self._fitted_width or not self.rows:
            return
        self._fit_columns()
        self.table.resizeRowsToContents()

    def _room(self) -> int:
        """The width the columns share: the table's inside, less a scroll bar (it may appear
        once rows are filled). From the table's own width, right while the page is hidden."""
        table = self.table
        extent = table.style().pixelMetric(table.style().PixelMetric.PM_ScrollBarExtent)
        return max(0, table.width() - 2 * table.frameWidth() - extent)

    def _refresh(self) -> None:
        if self._pending is None:
            return
        form, assessment = self._pending
        self._pending = None
        current = self.current_question_id()
        self.rows = build_rows(form, assessment)
        self._update_counts()
        self._fit_columns()
        self._after_filter(keep=current)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._flow_filters()
            if self.rows:
                self._fit_columns()
                self.table.resizeRowsToContents()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._flow_filters()
            self._fit_timer.start()  # once the table has its new width

    def _flow_filters(self) -> None:
        """"Show:" and the four filters in as many columns as fit the page's width (one row
        when wide; two or one per row with large text on a small screen)."""
        layout = self.layout()
        margins = layout.contentsMargins() if layout else None
        room = self.width() - (margins.left() + margins.right() if margins else 0)
        spacing = self.filter_row.horizontalSpacing()
        widgets = [self.show_label, *self.filter_buttons.values()]
        widths = [w.sizeHint().width() for w in widgets]
        # the page may shrink to one filter a row: the grid's own least width (its columns
        # as now) must not hold the window wide
        self.filter_box.setMinimumWidth(max(widths))
        columns = len(widgets)
        while columns > 1:  # each grid column as wide as its widest item: all must fit
            need = sum(max(widths[i::columns]) for i in range(columns))
            if need + spacing * (columns - 1) <= room:
                break
            columns -= 1
        if columns == self._filter_columns:
            return
        self._filter_columns = columns
        for widget in widgets:
            self.filter_row.removeWidget(widget)
        for index, widget in enumerate(widgets):
            self.filter_row.addWidget(widget, index // columns, index % columns)
        for column in range(len(widgets) + 1):
            self.filter_row.setColumnStretch(column, 0)
        self.filter_row.setColumnStretch(columns, 1)  # the rows keep to the left

    def counts(self) -> dict[Filter, int]:
        self._refresh()
        return dict(self._counts)

    def visible_question_ids(self) -> list[str]:
        self._refresh()
        return [row.question_id for row in self.model.rows()]

    def current_question_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(QUESTION_ID_ROLE) if index.isValid() else None

    def select_question(self, question_id: str) -> bool:
        for r, row in enumerate(self.model.rows()):
            if row.question_id == question_id:
                index = self.model.index(r, Column.QUESTION)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    # --- filters ---------------------------------------------------------------------------

    @Slot(int)
    def _on_party_changed(self, _index: int) -> None:
        current = self.current_question_id()
        self.party = str(self.party_box.currentData() or "")
        self._after_filter(keep=current)

    def set_filter(self, which: Filter) -> None:
        self._refresh()
        current = self.current_question_id()
        self.filter_buttons[which].setChecked(True)
        self.filter = which
        self._after_filter(keep=current)

    def _after_filter(self, keep: str | None) -> None:
        """The rows the filter and "Whose part" let through, the question `keep` still chosen
        when it is one of them."""
        self.model.set_rows([r for r in self.rows
                             if r.matches(self.filter) and r.of_party(self.party)])
        self.table.resizeRowsToContents()
        if not (keep and self.select_question(keep)) and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, Column.QUESTION))
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.empty_label.setText(self.filter.empty if empty else "")
        self._update_jump_button()

    def _update_counts(self) -> None:
        rows = self.rows
        self._counts = {which: sum(1 for r in rows if r.matches(which)) for which in Filter}
        for which, button in self.filter_buttons.items():
            n = self._counts[which]
            button.setText(f"{which.label} ({n})")
            button.setAccessibleName(f"{which.label.replace('&', '')}: {n} questions")
            if which is Filter.TO_CONFIRM:  # only next year's copy has answers to confirm
                button.setVisible(bool(n) or button.isChecked())

    def _fit_columns(self) -> None:
        """Column widths for the text size and the room there is. When the columns would not
        leave the question a third of the table (large text, small screen), they give way in
        proportion and their text wraps (rows grow): never cut off at the right edge."""
        fm = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        em = fm.horizontalAdvance("M")
        pad = 2 * em
        wanted = {
            Column.SECTION: em * 11,
            Column.STANDARD: max(fm.horizontalAdvance(c.label) for c in StandardClass) + pad // 2,
            Column.FLAG: fm.horizontalAdvance(FLAG_TEXT) + pad,
            Column.ANSWER: fm.horizontalAdvance("\u2014 Not answered") + 16,
            Column.NOTE: max(em * 14, self.width() // 5),
        }
        room = self._room()
        self._fitted_width = room
        others = room - room // 3  # what the columns beside the question may take
        total = sum(wanted.values())
        least = self._least_widths(fm, em) if total > others > 0 else {}
        folded = bool(least) and sum(least.values()) > others
        if folded != self.model.folded:
            self.model.set_folded(folded)
            for column in (Column.SECTION, Column.STANDARD, Column.NOTE, Column.FLAG):
                self.table.setColumnHidden(column, folded)
        if folded:  # two columns: the answer (with its flag and note) whole words, at most
            # half the table
            note_words = {w for row in self.rows for w in row.note.split()}
            longest_note = max((fm.horizontalAdvance(w) for w in note_words), default=0)
            answer = min(room // 2, max(least[Column.ANSWER], least[Column.FLAG],
                                        longest_note + em + 8))
            header.resizeSection(Column.ANSWER, answer)
            header.resizeSection(Column.QUESTION, room - answer)
            return
        if least:
            spare = sum(wanted[c] - least[c] for c in wanted)
            scale = max(0.0, (others - sum(least.values())) / max(1, spare))
            wanted = {column: least[column] + int((width - least[column]) * min(1.0, scale))
                      for column, width in wanted.items()}
        for column, width in wanted.items():
            header.resizeSection(column, width)
        header.resizeSection(Column.QUESTION, max(room // 3, room - sum(wanted.values())))

    def _least_widths(self, fm, em: int) -> dict[Column, int]:
        """The narrowest each column may get: its heading and its longest word whole (a
        wrapped cell breaks between words; a word cut short would show as "offic…")."""
        pad = em + 8
        least: dict[Column, int] = {}
        rows = self.rows
        for column in (Column.SECTION, Column.STANDARD, Column.ANSWER, Column.FLAG):
            words = {word for row in rows for word in row.cells[column].split()}
            words.update(column.title.split())
            least[column] = max(fm.horizontalAdvance(word) for word in words) + pad
        least[Column.NOTE] = max(fm.horizontalAdvance(Column.NOTE.title), em * 6) + pad
        return least

    # --- jumping ---------------------------------------------------------------------------

    @Slot()
    def _update_jump_button(self, *_args: object) -> None:
        self.jump_button.setEnabled(self.table.currentIndex().isValid())

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        question_id = index.data(QUESTION_ID_ROLE)
        if question_id:
            self.jump_requested.emit(question_id)
