"""Small shared widgets: the answer chooser, the class badge, optional date and number fields."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QPoint, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCalendarWidget,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.date_input import (
    EARLIEST,
    EXAMPLE,
    EXPECTED,
    LATEST,
    format_date,
    is_complete,
    read_date,
    spoken_date,
)
from nasro_desktop.domain.model import CHOICE_LABELS, StandardClass
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.style import indicators, set_chosen, set_role


class _ChoiceButton(QRadioButton):
    """A radio button of an AnswerChooser: Enter asks to move on (it never picks an answer:
    a chief who presses Enter as "Next" must not fill in Yes); the arrow keys move to the
    next or previous answer and pick it, as a radio group does; Space picks the focused one."""

    enter_pressed = Signal()
    arrow_pressed = Signal(int)  # -1: previous answer, +1: next one
    number_pressed = Signal(int)  # 1: the first answer, 2: the second...

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter_pressed.emit()
            return
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            # on an answer only: in a text field a digit is the text's
            self.number_pressed.emit(key - Qt.Key.Key_0)
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Right) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.arrow_pressed.emit(-1 if key in (Qt.Key.Key_Up, Qt.Key.Key_Left) else 1)
            return
        super().keyPressEvent(event)


class AnswerChooser(QFrame):
    """A row or column of radio buttons: the number keys pick (1 the first answer, 2 the
    second..., when an answer has the keyboard), the arrow keys move and pick (as a radio
    group does), Space or a click picks, Enter asks to move on without picking anything.

    `chosen(value)` fires when the user picks an option (`picked_by_arrow` says whether the
    arrow keys picked it: the block then leaves the keyboard on the answers); `advance()` when
    they press Enter.
    """

    chosen = Signal(object)
    advance = Signal()

    def __init__(self, options: list[tuple[str, str]], *, name: str, description: str = "",
                 horizontal: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        layout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2 if not horizontal else 18)
        self._group = QButtonGroup(self)
        self._buttons: dict[str, QRadioButton] = {}
        for number, (value, label) in enumerate(options, start=1):
            button = _ChoiceButton(label, self)
            button.setAccessibleName(f"{label}")
            key = f" Key {number} picks it." if number <= 9 else ""
            button.setAccessibleDescription(f"Answer {label} to: {name}.{key}")
            if key:
                button.setToolTip(f"Key {number}: {label}")
            button.enter_pressed.connect(self.advance)
            button.arrow_pressed.connect(self._arrow)
            button.number_pressed.connect(self._number)
            set_role(button, "big")
            self._group.addButton(button, number - 1)
            self._buttons[value] = button
            layout.addWidget(button)
        if horizontal:
            layout.addStretch(1)
        indicators(self)  # outlines that stand out, sizes that follow the text
        self.picked_by_arrow = False
        values = list(self._buttons)
        self._group.idClicked.connect(lambda index: self.chosen.emit(values[index]))
        # the chosen answer is drawn bold too, not only by the radio's dot
        self._group.buttonToggled.connect(set_chosen)

    @Slot(int)
    def _arrow(self, step: int) -> None:
        """Move to the previous or next answer (wrapping round) and pick it."""
        buttons = self.buttons()
        current = next((i for i, b in enumerate(buttons) if b.hasFocus()), None)
        if current is None:
            return
        target = buttons[(current + step) % len(buttons)]
        target.setFocus(Qt.FocusReason.TabFocusReason if step > 0
                        else Qt.FocusReason.BacktabFocusReason)
        if not target.isChecked():
            self.picked_by_arrow = True
            try:
                target.click()
            finally:
                self.picked_by_arrow = False

    @Slot(int)
    def _number(self, number: int) -> None:
        """Key 1 picks the first answer, 2 the second...: as a click on it (an answer that
        needs a reason then takes the keyboard to its reason)."""
        buttons = self.buttons()
        if 1 <= number <= len(buttons):
            target = buttons[number - 1]
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            target.click()

    def value(self) -> str | None:
        checked = self._group.checkedId()
        return list(self._buttons)[checked] if checked >= 0 else None

    def set_value(self, value: str | None) -> None:
        """Show a saved value without emitting `chosen`."""
        if value in self._buttons:
            self._buttons[value].setChecked(True)
            return
        self._group.setExclusive(False)
        for button in self._buttons.values():
            button.setChecked(False)
        self._group.setExclusive(True)

    def button(self, value: str) -> QRadioButton:
        return self._buttons[value]

    def buttons(self) -> list[QRadioButton]:
        return list(self._buttons.values())

    def focus_answer(self) -> None:
        """Put keyboard focus on the chosen option, or the first one."""
        checked = self._group.checkedButton()
        target = checked or next(iter(self._buttons.values()), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

def status_options(na_allowed: bool, alternate_allowed: bool = True) -> list[tuple[str, str]]:
    """Yes / Partly / No / Not sure, then Met another way (not for observations) and Not
    applicable (only where the question allows it)."""
    return [(c.value, label) for c, label in CHOICE_LABELS.items()
            if (na_allowed or c.value != "na") and (alternate_allowed or c.value != "alternate")]


class ClassBadge(QLabel):
    """The standard's class in words (never colour alone): Mandatory / Recommended / No class."""

    SYMBOLS = {
        StandardClass.MANDATORY: "■",
        StandardClass.RECOMMENDED: "□",
        StandardClass.UNCLASSIFIED: "○",
    }

    def __init__(self, cls: StandardClass | str = StandardClass.MANDATORY,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "badge")
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(2)
        self.setMargin(2)
        self.set_class(cls)

    def set_class(self, cls: StandardClass | str) -> None:
        cls = StandardClass(cls)
        self.setText(f"{self.SYMBOLS[cls]} {cls.label}")
        self.setAccessibleName(f"Class: {cls.label}")
        self.setAccessibleDescription(
            "How NASRO classes this standard: mandatory standards decide the verdict.")


NOT_SET = "Not set"


class _DateLine(QLineEdit):
    """The typing part of an OptionalDateEdit: Alt+Down or F4 opens the calendar; Up / Down
    step a day (from the assessment date when empty); Enter takes what was typed."""

    calendar_requested = Signal()
    step = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down
                                    and mods & Qt.KeyboardModifier.AltModifier):
            self.calendar_requested.emit()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods & (
                Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier):
            self.step.emit(1 if key == Qt.Key.Key_Up else -1)
            return
        super().keyPressEvent(event)


class OptionalDateEdit(QWidget):
    """A date typed as people type it, or left empty ("Not set").

    Accepts 3/15/2015, 03/15/15, 2015-03-15, Mar 15 2015 and more (domain.date_input). Under
    the field it says the expected form, the date understood in words, or why the text is not a
    date; what was typed is never replaced by another date. A text not yet understood changes
    nothing that was saved. Alt+Down or F4 opens a calendar (weeks start on Sunday); Up / Down
    step one day, starting from `default_date` (the assessment date) when the field is empty.
    """

    value_changed = Signal(object)  # date | None

    def __init__(self, parent: QWidget | None = None, *, default_date: date | None = None,
                 name: str = "", description: str = "", allow_empty: bool = True) -> None:
        super().__init__(parent)
        self.default_date = default_date or date.today()
        self.allow_empty = allow_empty
        self._value: date | None = None
        self._popup: QFrame | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.line = _DateLine(self)
        self.line.setPlaceholderText(EXPECTED)
        fm = self.line.fontMetrics()
        self.line.setMinimumWidth(fm.horizontalAdvance("September 30, 2015") + 16)
        self.line.textEdited.connect(self._on_edited)
        self.line.editingFinished.connect(self.interpretText)
        self.line.calendar_requested.connect(self.open_calendar)
        self.line.step.connect(self._step)
        row.addWidget(self.line, 1)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("▾ Calendar")
        self.calendar_button.setAccessibleName("Open the calendar")
        self.calendar_button.setToolTip("Pick the date on a calendar (Alt+Down or F4)")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys do it
        self.calendar_button.clicked.connect(self.open_calendar)
        row.addWidget(self.calendar_button)
        layout.addLayout(row)
        self.feedback = wrap_label("", "subtle", self)
        self.feedback.setAccessibleName("Date understood")
        layout.addWidget(self.feedback)
        self.setFocusProxy(self.line)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._description = description
        self.setAccessibleName(name or "Date")
        self._show_feedback()

    # -- the value -------------------------------------------------------------------------

    def date_value(self) -> date | None:
        return self._value

    def set_date_value(self, value: date | None) -> None:
        """Show a saved date (as MM/DD/YYYY) without emitting `value_changed`."""
        self._value = value
        self.line.setText("" if value is None else format_date(value))
        self._show_feedback()

    def text(self) -> str:
        return self.line.text()

    def _commit(self, value: date | None) -> None:
        changed = value != self._value
        self._value = value
        if changed:
            self.value_changed.emit(value)

    @Slot(str)
    def _on_edited(self, text: str) -> None:
        reading = read_date(text)
        if reading.value is not None and is_complete(text):  # empty: only when typing ends
            self._commit(reading.value)
        self._show_feedback(final=False)

    @Slot()
    def interpretText(self) -> None:  # noqa: N802 (the QDateEdit name callers use)
        """Take what was typed (Enter, or leaving the field): two-digit years too."""
        reading = read_date(self.line.text())
        if reading.empty and self.allow_empty:
            self._commit(None)
        elif reading.value is not None:
            self._commit(reading.value)
        self._show_feedback()

    def _show_feedback(self, final: bool = True) -> None:
        reading = read_date(self.line.text())
        saved = self._value
        if reading.empty and saved is not None and not final:
            text = f"Type the new date as {EXPECTED}, e.g. {EXAMPLE}."
        elif reading.empty:
            text = (f"{NOT_SET}. Type it as {EXPECTED} (e.g. {EXAMPLE}); "
                    "F4 opens a calendar.")
            if not self.allow_empty:
                text = f"Please type a date as {EXPECTED} (e.g. {EXAMPLE})."
        elif reading.value is not None and reading.value == saved:
            text = f"✔ {spoken_date(reading.value)}"
        elif reading.value is not None:  # a two-digit year still being typed
            text = f"Reads as {spoken_date(reading.value)} when you finish typing."
        elif not final:
            text = f"Type the date as {EXPECTED}, e.g. {EXAMPLE}."
        else:
            text = f"✘ {reading.problem}"
            if saved is not None:
                text += f" The saved date is still {spoken_date(saved)}."
            else:
                text += " Nothing was saved."
        self.feedback.setText(text)
        self.line.setAccessibleDescription(
            (self._description + " " if self._description else "") + text
            + " Alt+Down or F4: calendar.")

    @Slot(int)
    def _step(self, days: int) -> None:
        current = read_date(self.line.text()).value
        if current is None:
            target = self.default_date
        else:
            target = min(LATEST, max(EARLIEST, current + timedelta(days=days)))
        self._pick(target)

    def _pick(self, value: date) -> None:
        self.line.setText(format_date(value))
        self._commit(value)
        self._show_feedback()

    # -- the calendar ----------------------------------------------------------------------

    @Slot()
    def open_calendar(self) -> None:
        """A calendar below the field, weeks starting on Sunday; Enter or a click picks a
        date, Escape closes it, and focus comes back to the field."""
        popup = QFrame(self, Qt.WindowType.Popup)
        popup.setFrameShape(QFrame.Shape.Box)
        box = QVBoxLayout(popup)
        box.setContentsMargins(2, 2, 2, 2)
        calendar = QCalendarWidget(popup)
        calendar.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
        calendar.setGridVisible(True)
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        calendar.setAccessibleName("Calendar: arrow keys move, Enter picks, Escape closes")
        start = read_date(self.line.text()).value or self._value or self.default_date
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        box.addWidget(calendar)

        def picked(qdate: QDate) -> None:
            popup.close()
            self._pick(date(qdate.year(), qdate.month(), qdate.day()))
            self.line.setFocus()

        calendar.activated.connect(picked)
        calendar.clicked.connect(picked)
        popup.adjustSize()
        popup.move(self.line.mapToGlobal(QPoint(0, self.line.height())))
        self._popup = popup
        self.calendar = calendar
        popup.show()
        calendar.setFocus()

    # -- accessibility follows the field ---------------------------------------------------

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt name)
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def setAccessibleDescription(self, text: str) -> None:  # noqa: N802 (Qt name)
        self._description = text
        super().setAccessibleDescription(text)
        self._show_feedback()

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt name)
        super().setToolTip(text)
        self.line.setToolTip(text)


class OptionalNumberEdit(QSpinBox):
    """A whole number of zero or more, or "Not set". Negative numbers cannot be entered."""

    value_changed = Signal(object)  # int | None

    def __init__(self, parent: QWidget | None = None, *, maximum: int = 1_000_000,
                 name: str = "") -> None:
        super().__init__(parent)
        self.setRange(-1, maximum)
        self.setSpecialValueText(NOT_SET)
        self.setValue(-1)
        if name:
            self.setAccessibleName(name)
        self.setAccessibleDescription("A whole number, zero or more.")
        self.valueChanged.connect(lambda _v: self.value_changed.emit(self.number()))

    def number(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_number(self, value: int | None) -> None:
        with QSignalBlocker(self):
            self.setValue(-1 if value is None else max(0, int(value)))


class OptionalDecimalEdit(QDoubleSpinBox):
    """A number with one decimal (acres), zero or more, or "Not set"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(1)
        self.setRange(-1.0, 100_000.0)
        self.setSpecialValueText(NOT_SET)
        self.setValue(-1.0)
        self.setAccessibleDescription("A number of zero or more.")

    def number(self) -> float | None:
        return None if self.value() < 0 else self.value()

    def set_number(self, value: float | None) -> None:
        self.setValue(-1.0 if value is None else max(0.0, float(value)))


def vertical_scroll_area(parent: QWidget) -> QScrollArea:
    """A frameless area whose content scrolls up and down, never sideways."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll


def scrolling_column(page: QWidget, margins: tuple[int, int, int, int], spacing: int,
                     outer: QBoxLayout | None = None) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
    """A page whose content scrolls up and down (never sideways), in `outer` (else in a
    layout of its own): (the scroll area, its body, the body's column layout)."""
    if outer is None:
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
    scroll = vertical_scroll_area(page)
    outer.addWidget(scroll, 1)
    body = QWidget(scroll)
    column = QVBoxLayout(body)
    column.setContentsMargins(*margins)
    column.setSpacing(spacing)
    scroll.setWidget(body)
    return scroll, body, column


def show_in(scroll: QScrollArea, widget: QWidget) -> None:
    """Scroll `widget` into view (with room above and below), the area at its left edge."""
    scroll.ensureWidgetVisible(widget, 0, 40)
    scroll.horizontalScrollBar().setValue(0)


def fit_chooser(chooser: AnswerChooser, width: int) -> None:
    """Answers side by side when they fit in `width`, else one under the other."""
    buttons = chooser.buttons()
    need = sum(b.sizeHint().width() for b in buttons) + 18 * (len(buttons) - 1) + 32
    direction = (QBoxLayout.Direction.LeftToRight if need <= width
                 else QBoxLayout.Direction.TopToBottom)
    layout = chooser.layout()
    if isinstance(layout, QBoxLayout) and layout.direction() != direction:
        layout.setDirection(direction)
        layout.setSpacing(18 if direction == QBoxLayout.Direction.LeftToRight else 2)
