"""Small shared widgets: the answer chooser, the class badge, optional date and number fields."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.domain.model import StandardClass
from nasro_desktop.ui.labels import (  # noqa: F401  (MessageBox, wrap_label: shared here too)
    DATE_EDIT_FORMAT,
    MessageBox,
    english_locale,
    wrap_label,
)
from nasro_desktop.ui.style import set_chosen, set_role


class _ChoiceButton(QRadioButton):
    """A radio button where Enter picks it (if not picked yet) and asks to move on."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self.isChecked():
                self.click()
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)


class AnswerChooser(QFrame):
    """A column of radio buttons: arrow keys move, Space or Enter chooses, Enter also moves on.

    `chosen(value)` fires when the user picks an option; `advance()` when they press Enter
    (after picking the focused option if it was not picked yet).
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
        self._group.setExclusive(True)
        self._buttons: dict[str, QRadioButton] = {}
        for value, label in options:
            button = _ChoiceButton(label, self)
            button.setAccessibleName(f"{label}")
            button.setAccessibleDescription(f"Answer {label} to: {name}")
            button.enter_pressed.connect(self.advance)
            set_role(button, "big")
            self._group.addButton(button)
            self._buttons[value] = button
            layout.addWidget(button)
        if horizontal:
            layout.addStretch(1)
        self._group.buttonClicked.connect(self._on_clicked)
        self._group.buttonToggled.connect(self._mark_chosen)

    @Slot(QAbstractButton, bool)
    def _mark_chosen(self, button: QAbstractButton, checked: bool) -> None:
        """The chosen answer is drawn bold too, not only by the radio's dot."""
        set_chosen(button, checked)

    def value(self) -> str | None:
        for value, button in self._buttons.items():
            if button.isChecked():
                return value
        return None

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
        from PySide6.QtCore import Qt

        checked = self._group.checkedButton()
        target = checked or next(iter(self._buttons.values()), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    @Slot(object)
    def _on_clicked(self, button: QRadioButton) -> None:
        for value, candidate in self._buttons.items():
            if candidate is button:
                self.chosen.emit(value)
                return


def status_options(na_allowed: bool, alternate_allowed: bool = True) -> list[tuple[str, str]]:
    """Yes / Partly / No / Not sure, then Met another way (not for observations) and Not
    applicable (only where the question allows it)."""
    from nasro_desktop.domain.model import CHOICE_LABELS

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
        self.setFrameShadow(QFrame.Shadow.Plain)
        self.setLineWidth(2)
        self.setMargin(2)
        self.setSizePolicy(self.sizePolicy().horizontalPolicy(), self.sizePolicy().verticalPolicy())
        self.set_class(cls)

    def set_class(self, cls: StandardClass | str) -> None:
        cls = StandardClass(cls)
        self.setText(f"{self.SYMBOLS[cls]} {cls.label}")
        self.setAccessibleName(f"Class: {cls.label}")
        self.setAccessibleDescription(
            "How NASRO classes this standard: mandatory standards decide the verdict.")


NOT_SET = "Not set"
_EMPTY_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date that may be empty ("Not set"). Delete clears it; typing or arrows start from
    `default_date` (the assessment date) rather than from 1900."""

    value_changed = Signal(object)  # date | None

    def __init__(self, parent: QWidget | None = None, *, default_date: date | None = None,
                 name: str = "", description: str = "") -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setLocale(english_locale())
        self.setDisplayFormat(DATE_EDIT_FORMAT)
        self.setMinimumDate(_EMPTY_DATE)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText(NOT_SET)
        self.default_date = default_date or date.today()
        self.setDate(_EMPTY_DATE)
        self._page_to_default()
        if name:
            self.setAccessibleName(name)
        self.setAccessibleDescription(
            (description + " " if description else "")
            + "Type a date or press Alt+Down for a calendar; Delete clears it.")
        self.dateChanged.connect(self._on_changed)

    def date_value(self) -> date | None:
        qdate = self.date()
        if qdate == _EMPTY_DATE:
            return None
        return date(qdate.year(), qdate.month(), qdate.day())

    def set_date_value(self, value: date | None) -> None:
        self.blockSignals(True)
        if value is None:
            self.setDate(_EMPTY_DATE)
            self._page_to_default()
        else:
            self.setDate(QDate(value.year, value.month, value.day))
        self.blockSignals(False)

    def _page_to_default(self) -> None:
        d = self.default_date
        self.calendarWidget().setCurrentPage(d.year, d.month)

    @Slot(QDate)
    def _on_changed(self, _qdate: QDate) -> None:
        self.value_changed.emit(self.date_value())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Delete:
            self.setDate(_EMPTY_DATE)
            return
        if self.date_value() is None and (
            event.text().isdigit() or event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down,
                                                      Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
        ):
            d = self.default_date
            self.setDate(QDate(d.year, d.month, d.day))
            if not event.text().isdigit():
                return
        super().keyPressEvent(event)


class OptionalNumberEdit(QSpinBox):
    """A whole number of zero or more, or "Not set". Negative numbers cannot be entered."""

    value_changed = Signal(object)  # int | None

    def __init__(self, parent: QWidget | None = None, *, maximum: int = 1_000_000,
                 name: str = "", description: str = "") -> None:
        super().__init__(parent)
        self.setRange(-1, maximum)
        self.setSpecialValueText(NOT_SET)
        self.setValue(-1)
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        if name:
            self.setAccessibleName(name)
        self.setAccessibleDescription((description + " " if description else "")
                                      + "A whole number, zero or more.")
        self.valueChanged.connect(lambda _v: self.value_changed.emit(self.number()))

    def number(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_number(self, value: int | None) -> None:
        self.blockSignals(True)
        self.setValue(-1 if value is None else max(0, int(value)))
        self.blockSignals(False)


class OptionalDecimalEdit(QDoubleSpinBox):
    """A number with one decimal (acres), zero or more, or "Not set"."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "") -> None:
        super().__init__(parent)
        self.setDecimals(1)
        self.setRange(-1.0, 100_000.0)
        self.setSpecialValueText(NOT_SET)
        self.setValue(-1.0)
        if name:
            self.setAccessibleName(name)
        self.setAccessibleDescription("A number of zero or more.")

    def number(self) -> float | None:
        return None if self.value() < 0 else self.value()

    def set_number(self, value: float | None) -> None:
        self.setValue(-1.0 if value is None else max(0.0, float(value)))
