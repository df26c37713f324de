"""The first screen: start a new assessment, resume a saved one, open the sample, import, back up.

Only the store's list is needed here, so this module imports nothing heavy (no form loader, no
scoring engine, no report code): the window appears fast.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop import DISPLAY_NAME
from nasro_desktop.domain.dates import add_years, long_date
from nasro_desktop.errors import UserError
from nasro_desktop.ui.dialog_fit import fit_to_screen
from nasro_desktop.ui.labels import (
    MessageBox,
    local_time,
    pick_list,
    short_day,
    wrap_label,
)
from nasro_desktop.ui.style import set_primary

VERDICT_LABELS = {"ready": "✔ Ready", "not_ready": "✘ Not ready"}


def when_text(moment: datetime | None, now: datetime | None = None) -> str:
    """'Today 14:05', 'Yesterday 09:12', '3 Mar 2026'."""
    if moment is None:
        return "—"
    moment = local_time(moment)
    now = local_time(now) if now is not None else datetime.now(moment.tzinfo)
    if moment.date() == now.date():
        return f"Today {moment:%H:%M}"
    if (now.date() - moment.date()).days == 1:
        return f"Yesterday {moment:%H:%M}"
    return short_day(moment.date())


def verdict_text(verdict: str | None, percent: int | None) -> str:
    if verdict is None:
        return "Not judged yet"
    label = VERDICT_LABELS.get(str(verdict), str(verdict))
    if percent is not None and percent < 100:
        return f"{label} so far"
    return label


class SummaryModel(QStandardItemModel):
    """The saved assessments as plain items (no Python data() calls: fast to show)."""

    columns = {"title": "Title", "agency": "Agency", "district": "District",
               "updated": "Last edited", "percent": "Answered", "verdict": "Verdict"}

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(self.columns), parent)
        self.setHorizontalHeaderLabels(list(self.columns.values()))
        self.summaries: list = []

    def set_summaries(self, summaries: list) -> None:
        self.summaries = list(summaries)
        self.setRowCount(0)
        for summary in self.summaries:
            row = []
            for column in self.columns:
                item = QStandardItem(self.text(summary, column))
                item.setEditable(False)
                item.setToolTip(f"{summary.title}: press Enter or double-click to open")
                row.append(item)
            self.appendRow(row)

    @staticmethod
    def text(summary, column: str) -> str:
        if column == "updated":
            return when_text(summary.updated)
        if column == "percent":
            return "—" if summary.percent_answered is None else f"{summary.percent_answered}%"
        if column == "verdict":
            return verdict_text(summary.verdict, summary.percent_answered)
        return getattr(summary, column) or "—"


class StartScreen(QWidget):
    """Lists saved assessments and offers the ways to begin."""

    open_requested = Signal(int)
    new_requested = Signal(dict)  # NewAssessmentDialog.values()
    sample_requested = Signal()
    import_requested = Signal()
    backup_requested = Signal()
    list_loaded = Signal()

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._undo_id: int | None = None
        self.rename_dialog: QInputDialog | None = None  # while Rename… asks
        self.setAccessibleName("Start")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 28, 40, 20)
        layout.setSpacing(12)
        layout.addWidget(wrap_label(DISPLAY_NAME, "title", self, plain=False))
        layout.addWidget(wrap_label(
            "Check your School Resource Officer program against the NASRO standards (2018), "
            "one plain question at a time, and print a report for your board. Everything is "
            "saved on this computer as you go.", "big", self, plain=False))

        actions = QHBoxLayout()
        self.new_button = QPushButton("New assessment…", self)
        self.sample_button = QPushButton("Open the built-in sample", self)
        self.import_button = QPushButton("Import a file…", self)
        self.backup_button = QPushButton("Back up now…", self)
        for button, description in (
            (self.new_button, "Start a new assessment for your agency and district."),
            (self.sample_button, "Opens a copy of a fictional, partly compliant program so "
             "you can look around. Your own work is not touched."),
            (self.import_button, "Open an assessment someone exported to a file."),
            (self.backup_button, "Save a copy of all your assessments to a file."),
        ):
            button.setAccessibleDescription(description)
            button.setToolTip(description)
            button.setMinimumHeight(36)
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.new_button.setDefault(False)
        set_primary(self.new_button)  # the one primary action of the start screen
        self.new_button.clicked.connect(self.ask_new)
        self.sample_button.clicked.connect(self.sample_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.backup_button.clicked.connect(self.backup_requested)

        layout.addWidget(wrap_label("Your saved assessments", "heading", self, plain=False))
        self.empty = wrap_label(
            "No saved assessments yet. Start a new one, or open the sample to see what a "
            "finished assessment looks like.", None, self, plain=False)
        layout.addWidget(self.empty)
        self.model = SummaryModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        pick_list(self.table, "Saved assessments", "Press Enter or double-click to open one.")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (0, 1, 2):  # long names share the room: never a horizontal scroll bar
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.filler = QWidget(self)  # takes the table's room while the list is empty
        layout.addWidget(self.filler, 1)

        row = QHBoxLayout()
        self.open_button = QPushButton("Open", self)
        self.rename_button = QPushButton("Rename…", self)
        self.delete_button = QPushButton("Delete", self)
        self.next_year_button = QPushButton("Start next year's from this…", self)
        for button, description in (
            (self.open_button, "Open the selected assessment where you left off."),
            (self.rename_button, "Change the selected assessment's title."),
            (self.delete_button, "Delete the selected assessment. You can undo this."),
            (self.next_year_button, "Copy the selected assessment's facts and answers into a "
             "new one for next year; each answer is marked to be confirmed again."),
        ):
            button.setAccessibleDescription(description)
            button.setToolTip(description)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.open_button.clicked.connect(self._open_selected)
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.next_year_button.clicked.connect(self.next_year_selected)

        self.undo_bar = QWidget(self)
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        self.undo_label = QLabel(self.undo_bar)
        self.undo_button = QPushButton("Undo", self.undo_bar)
        self.undo_button.setAccessibleDescription("Bring back the assessment you just deleted.")
        self.undo_button.clicked.connect(self.undo_delete)
        undo_row.addWidget(self.undo_label)
        undo_row.addWidget(self.undo_button)
        undo_row.addStretch(1)
        self.undo_bar.hide()
        layout.addWidget(self.undo_bar)
        self.message = MessageBox(self)
        layout.addWidget(self.message)

    # -- list ------------------------------------------------------------------------------

    def reload(self) -> None:
        summaries = listed(self.message, self.store.list_assessments)
        self.model.set_summaries(summaries)
        has_rows = bool(summaries)
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self.filler.setVisible(not has_rows)
        for button in (self.open_button, self.rename_button, self.delete_button,
                       self.next_year_button):
            button.setEnabled(has_rows)
        if has_rows:
            self.table.selectRow(0)
        self.list_loaded.emit()

    def selected_summary(self):
        index = self.table.currentIndex()
        if not index.isValid() or not self.model.summaries:
            return None
        return self.model.summaries[index.row()]

    def select_id(self, assessment_id: int) -> None:
        for row, summary in enumerate(self.model.summaries):
            if summary.id == assessment_id:
                self.table.selectRow(row)
                return

    def focus_default(self) -> None:
        if self.model.summaries:
            self.table.setFocus()
        else:
            self.new_button.setFocus()

    # -- actions ---------------------------------------------------------------------------

    @Slot()
    def ask_new(self) -> None:
        from nasro_desktop.ui.new_assessment import NewAssessmentDialog  # when first asked

        dialog = NewAssessmentDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.new_requested.emit(dialog.values())

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.summaries[index.row()].id)

    @Slot()
    def _open_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.open_requested.emit(summary.id)

    @Slot()
    def rename_selected(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename assessment")
        dialog.setLabelText("New title:")
        dialog.setTextValue(summary.title)
        # wide enough for a real title (Qt sizes it to the label: a long title was clipped)
        dialog.resize(max(dialog.sizeHint().width(),
                          dialog.fontMetrics().horizontalAdvance("M" * 36)),
                      dialog.sizeHint().height())
        fit_to_screen(dialog, grow=False)
        self.rename_dialog = dialog  # for tests, as the window's other dialogs
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        title = dialog.textValue()
        self.rename_dialog = None
        dialog.deleteLater()
        if accepted and title.strip():
            self.run(lambda: self.store.rename(summary.id, title.strip()))
            self.reload()
            self.select_id(summary.id)

    @Slot()
    def delete_selected(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        if self.run(lambda: self.store.delete_assessment(summary.id)):
            self._undo_id = summary.id
            self.undo_label.setTextFormat(Qt.TextFormat.PlainText)
            self.undo_label.setText(f"“{summary.title}” was deleted. You can undo this for "
                                    "30 days.")
            self.undo_bar.show()
            self.reload()
            self.undo_button.setFocus()

    @Slot()
    def undo_delete(self) -> None:
        if self._undo_id is None:
            return
        restored = self._undo_id
        if self.run(lambda: self.store.restore_assessment(restored)):
            self._undo_id = None
            self.undo_bar.hide()
            self.reload()
            self.select_id(restored)
            self.table.setFocus()

    @Slot(int)
    def restored(self, assessment_id: int) -> None:
        """An assessment is back (File > Recently deleted… > Restore): list and select it; the
        Undo line of its deletion goes, as that deletion is undone now."""
        if self._undo_id == assessment_id:
            self._undo_id = None
            self.undo_bar.hide()
        self.reload()
        self.select_id(assessment_id)

    @Slot()
    def next_year_selected(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        as_of = max(date.today(), add_years(summary.as_of, 1))
        answer = QMessageBox.question(
            self, "Start next year's assessment",
            f"Start a new assessment from “{summary.title}”, judged as of "
            f"{long_date(as_of)}? The facts, officers, schools and answers are copied; each "
            "answer is marked so you confirm it again. The old assessment stays as it is.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        result: list = []
        if self.run(lambda: result.append(self.store.start_next_year(summary.id, as_of))):
            self.reload()
            self.open_requested.emit(result[0].id)

    def run(self, operation) -> bool:
        """Run a store operation; on failure show its plain message and return False."""
        try:
            operation()
        except Exception as error:
            QMessageBox.warning(self, "That did not work", _plain(error))
            return False
        self.message.show_messages([])
        return True


def listed(message: MessageBox, read: Callable[[], list]) -> list:
    """What `read` lists from the store; on a store problem nothing, and `message` says it
    plainly, so the screen stays usable."""
    try:
        return list(read())
    except Exception as error:
        message.show_messages([_plain(error)])
        return []


def _plain(error: Exception) -> str:
    if isinstance(error, UserError):  # its words are for the user (the store's among them)
        return str(error)
    return ("Something went wrong and nothing was changed. Please try again; if it keeps "
            "happening, use Back up now and contact whoever supports you.")
