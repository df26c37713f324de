"""Go > Find… (Ctrl+F) across all assessments: `find(window)`, from the main window's menu.

Searching goes through `Store.search` (store/search.py); this module writes no SQL. A result
opens its assessment (if another one is open) and the question it belongs to: a note or reason
its own question, an action item the first question of its standard, an officer or school note
the Profile page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.forms import FormError, current_form
from nasro_desktop.ui.dialog_fit import FittedDialog
from nasro_desktop.ui.labels import pick_list, wrap_label

SEARCH_DELAY_MS = 200  # typing pauses this long before the search runs
RESULT_LIMIT = 200


class FindDialog(FittedDialog):
    """Words in, results listed; Enter or double-click on a result opens it."""

    open_requested = Signal(object)  # a store.search.SearchHit

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.hits: list = []
        self.setWindowTitle("Find")
        self.setAccessibleName("Find in all assessments")
        self.resize(820, 480)
        layout = QVBoxLayout(self)

        intro = wrap_label("Look for words in notes, reasons for Not applicable or Met another "
                           "way, action items and officer and school notes, in every assessment.",
                           None, self)
        layout.addWidget(intro)
        row = QHBoxLayout()
        label = QLabel("&Words to find:", self)
        self.query = QLineEdit(self)
        self.query.setAccessibleName("Words to find")
        self.query.setAccessibleDescription("Enter or the Down arrow goes to the results.")
        self.query.setPlaceholderText("e.g. memorandum signed")
        self.query.setClearButtonEnabled(True)
        label.setBuddy(self.query)
        row.addWidget(label)
        row.addWidget(self.query, 1)
        layout.addLayout(row)

        self.status = wrap_label("", None, self)
        self.status.setAccessibleName("Find results")
        layout.addWidget(self.status)

        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Assessment", "Where", "Text found"])
        pick_list(self.table, "Results",
                  "Each place the words were found. Press Enter or double-click to open it.")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        # Enter or a double-click (one click where the platform opens on one)
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        layout.addWidget(self.table, 1)

        buttons = QDialogButtonBox(self)
        self.open_button = QPushButton("&Open", self)
        self.open_button.setAccessibleName("Open the selected result")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close Find")
        buttons.rejected.connect(self.reject)
        for button in (self.open_button, close):
            # Enter belongs to the words box (search) and the results (open), never to a button
            button.setAutoDefault(False)
            button.setDefault(False)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(
            lambda: self.open_button.setEnabled(bool(self.table.selectedItems())))

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _text: self.timer.start())
        self.query.returnPressed.connect(self._to_results)

    def show_for(self, store) -> None:
        """Show (again), with the last words selected so typing replaces them."""
        self.store = store  # a restored backup reopens the store
        self.show()
        self.raise_()
        self.activateWindow()
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()
        if self.query.text().strip():
            self.run_search()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # handled by the words box and the results, never "press a button"
            return
        if event.key() == Qt.Key.Key_Down and self.query.hasFocus():
            event.accept()  # Down from the words goes to the results, as in a search box
            self._to_results(searched=not self.timer.isActive())
            return
        super().keyPressEvent(event)

    @Slot()
    def _to_results(self, searched: bool = False) -> None:
        """Enter (or Down) in the words: their results found (unless `searched` already) and
        the focus in the results, on the row selected (the first at first)."""
        if not searched:
            self.run_search()
        if self.hits:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.selectRow(max(self.table.currentRow(), 0))

    @Slot()
    def run_search(self) -> None:
        self.timer.stop()
        words = self.query.text().strip()
        self.table.setRowCount(0)
        self.hits = []
        if not words:
            self.status.setText("")
            return
        try:
            self.hits = self.store.search(words, limit=RESULT_LIMIT)
        except Exception as error:  # a closed or unreadable store: say so, never crash
            self.status.setText(f"Could not search: {error}")
            return
        if not self.hits:
            self.status.setText(f"Nothing found for “{words}”. Try fewer words or the start "
                                "of a word.")
            return
        more = " (the most recent shown)" if len(self.hits) >= RESULT_LIMIT else ""
        count = "1 place" if len(self.hits) == 1 else f"{len(self.hits)} places"
        self.status.setText(f"Found in {count}{more}. Press Enter on a result to open it.")
        self.table.setRowCount(len(self.hits))
        for row, hit in enumerate(self.hits):
            title = hit.assessment_title or "Untitled assessment"
            where = hit.kind_label + (f": {hit.subject}" if hit.subject and hit.kind in (
                "officer_note", "school_note") else "")
            if hit.standard_id:
                where += f" ({_standard_words(hit.standard_id)})"
            cells = [f"{title}\n{long_date(hit.as_of)}", where, hit.snippet]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(hit.text if column == 2 else text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()

    @Slot()
    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        hit = self.hits[rows[0].row()]
        self.hide()
        self.open_requested.emit(hit)


def _standard_words(standard_id: str) -> str:
    """A standard as the reader knows it, "01.01.04 Information sharing" (an id the question
    set no longer has: as it is)."""
    try:
        standard = current_form().standard(standard_id)
    except (FormError, KeyError):
        return standard_id
    return f"{standard.number} {standard.title}"


def question_for(hit, form) -> str:
    """The question a result belongs to ('' for the Profile page)."""
    if hit.question_id:
        return hit.question_id
    if hit.standard_id:
        for question in form.questions:
            if question.standard == hit.standard_id:
                return question.id
    return ""


def open_hit(window, hit) -> None:
    """Open the result's assessment (if another is open) and go to its question."""
    session = window.session
    if session is None or session.assessment_id != hit.assessment_id \
            or window.workspace is None or window.outer.currentWidget() is not window.workspace:
        window.open_assessment(hit.assessment_id)
        session = window.session
        if session is None or session.assessment_id != hit.assessment_id:
            return  # could not open: the window has said why
    window.activateWindow()
    window.workspace.jump_to_question(question_for(hit, session.form))


def find(window) -> None:
    dialog = getattr(window, "_find_dialog", None)
    if dialog is None:
        dialog = FindDialog(window.store, window)
        dialog.open_requested.connect(lambda hit: open_hit(window, hit))
        window._find_dialog = dialog
    dialog.show_for(window.store)
