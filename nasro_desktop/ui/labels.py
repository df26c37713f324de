"""The few widgets the start screen needs (kept apart from ui/widgets.py, whose answer fields
pull in more of Qt than the start screen should pay for)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QLabel, QTableView, QVBoxLayout, QWidget

from nasro_desktop.domain.dates import short_date
from nasro_desktop.ui.style import frame, set_role


class MessageBox(QFrame):
    """An in-page message (validation, save problems) that says what to do; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame(self, "message")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Message")
        layout.addWidget(self.label)
        self.hide()

    def show_messages(self, lines: list[str]) -> None:
        if not lines:
            self.label.clear()
            self.hide()
            return
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setText("\n".join(lines))
        self.label.setAccessibleDescription(" ".join(lines))
        self.show()

    def text(self) -> str:
        return self.label.text()


def wrap_label(text: str = "", role: str | None = None, parent: QWidget | None = None,
               *, plain: bool = True) -> QLabel:
    """A word-wrapped label. plain=False for fixed text on the start screen: it skips Qt's
    `Qt` namespace, whose first use costs ~25 ms of start-up (PySide6 builds all its enums)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if plain:
        label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        set_role(label, role)
    return label


def element_tag(element: str) -> str:
    """A standard's element as the question shows it: "(c)", and "(c, interviews)" for an
    element with a note (was "(c (interviews))")."""
    letter, _, note = element.partition(" (")
    return f"({letter}, {note.rstrip(')')})" if note else f"({letter})"


def short_day(day: date | None) -> str:
    """'Sep 15, 2026', for tables; a dash when there is none."""
    return "—" if day is None else short_date(day)


def local_time(moment: datetime) -> datetime:
    """A stored time (UTC) as the user's local time."""
    return moment.astimezone() if moment.tzinfo is not None else moment


def pick_list(table: QTableView, name: str, description: str) -> None:
    """A read-only table to pick one row from: whole rows, one at a time, Tab leaves it."""
    table.setAccessibleName(name)
    table.setAccessibleDescription(description)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
