"""Dialogs that fit the screen: every dialog opens inside the screen's available area (its
window frame counted), and a form taller than that scrolls inside the dialog while its buttons
stay in view (issue 22: the Edit officer dialog was 807-827 px tall on a 768 px screen, its Save
and Cancel off-screen even maximized).

`scroll_body(dialog)` gives a form dialog its scrolling body; `fit_to_screen(dialog)`, called
from each dialog's showEvent, sizes and places it; `grow_to_show` makes room for a message.
`ChoiceBox` is the one home of a question whose buttons say what each does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop.ui.style import title_width

# Until the window manager has framed a dialog its frame is unknown: assume a title bar and
# borders this big (Windows 10/11: about 31 + 8 px; openbox: about 24 + 8).
FRAME_GUESS = (16, 40)


def scroll_body(dialog: QDialog) -> tuple[QVBoxLayout, QVBoxLayout]:
    """Give `dialog` a body that scrolls when the screen is too small for it. Returns (the
    body's layout, for the form and its messages; the dialog's own layout, for the buttons)."""
    outer = QVBoxLayout(dialog)
    scroll = QScrollArea(dialog)
    scroll.setObjectName("dialogBody")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    body = QWidget(scroll)  # the scrolling part
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    scroll.setWidget(body)
    outer.addWidget(scroll, 1)
    return layout, outer


def accept_and_cancel(dialog: QDialog, text: str, on_accept: Callable[[], object] | None = None
                      ) -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's buttons: OK, worded `text`, which accepts (`on_accept`, else the dialog's
    `accept`), and Cancel. Returns (the box, the OK button)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    accept = buttons.button(QDialogButtonBox.StandardButton.Ok)
    accept.setText(text)
    buttons.accepted.connect(on_accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, accept


class ChoiceBox(QMessageBox):
    """A question with plainly named buttons (`choice(key, text, role)`); `ask()` shows it and
    returns the key of the button clicked, "" when none was (closed, or a button without key)."""

    def __init__(self, parent: QWidget | None, title: str, text: str, details: str = "", *,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Question) -> None:
        super().__init__(parent)
        self.setIcon(icon)
        self.setWindowTitle(title)
        self.setText(text)
        self.setInformativeText(details)
        self._keys: dict[str, QPushButton] = {}

    def choice(self, key: str, text: str, role: QMessageBox.ButtonRole) -> QPushButton:
        button = self.addButton(text, role)
        button.setAccessibleName(text.replace("&", ""))
        self._keys[key] = button
        return button

    def ask(self) -> str:
        self.exec()
        return next((key for key, button in self._keys.items()
                     if button is self.clickedButton()), "")


def _frame_extra(dialog: QWidget) -> tuple[int, int]:
    extra_w = dialog.frameGeometry().width() - dialog.width()
    extra_h = dialog.frameGeometry().height() - dialog.height()
    if extra_h <= 0 and QApplication.platformName() not in ("offscreen", "minimal"):
        return FRAME_GUESS
    return max(0, extra_w), max(0, extra_h)


def _wanted(dialog: QWidget) -> tuple[int, int]:
    """The size the dialog would like: with a scrolling body, the whole body shown."""
    width, height = dialog.sizeHint().width(), dialog.sizeHint().height()
    width = max(width, dialog.minimumWidth(), dialog.width() if dialog.isVisible() else 0)
    scroll = dialog.findChild(QScrollArea, "dialogBody")
    body = scroll.widget() if scroll is not None else None
    if scroll is not None and body is not None:
        outer = dialog.layout()
        margins = outer.contentsMargins() if outer is not None else None
        side = (margins.left() + margins.right()) if margins is not None else 0
        bar = scroll.verticalScrollBar().sizeHint().width()
        width = max(width, body.minimumSizeHint().width() + side + bar)
        inner = width - side - bar
        body_height = (body.heightForWidth(inner) if body.hasHeightForWidth()
                       else body.sizeHint().height())
        body_height = max(body_height, body.sizeHint().height())
        others = dialog.sizeHint().height() - scroll.sizeHint().height()
        height = max(height, body_height + max(0, others) + 2)
    return width, height


def fit_to_screen(dialog: QWidget, *, grow: bool = True) -> None:
    """Size the dialog (or window) to what it wants (`grow`; else its size now), no bigger
    than the screen's available area with its frame, and move it inside that area."""
    screen = dialog.screen()
    parent = dialog.parentWidget()
    if parent is not None and parent.screen() is not None:
        screen = parent.screen()
    if screen is None:
        return
    area = screen.availableGeometry()
    extra_w, extra_h = _frame_extra(dialog)
    most_w, most_h = area.width() - extra_w, area.height() - extra_h
    want_w, want_h = _wanted(dialog) if grow else (dialog.width(), dialog.height())
    width, height = min(max(want_w, dialog.width()), most_w), min(want_h, most_h)
    if not grow:
        height = min(dialog.height(), most_h)
    if dialog.minimumWidth() > most_w or dialog.minimumHeight() > most_h:
        dialog.setMinimumSize(min(dialog.minimumWidth(), most_w),
                              min(dialog.minimumHeight(), most_h))
    dialog.resize(width, height)
    geometry = dialog.frameGeometry()
    x = min(max(geometry.x(), area.x()), area.right() + 1 - (width + extra_w))
    y = min(max(geometry.y(), area.y()), area.bottom() + 1 - (height + extra_h))
    if (x, y) != (geometry.x(), geometry.y()):
        dialog.move(x, y)


def grow_to_show(dialog: QDialog, widget: QWidget) -> None:
    """A message appeared in the dialog's body: grow the dialog (up to the screen) and scroll
    the message into view."""
    if dialog.isVisible():
        fit_to_screen(dialog)
    scroll = dialog.findChild(QScrollArea, "dialogBody")
    if scroll is not None and widget.isVisibleTo(dialog):
        QApplication.processEvents()
        scroll.ensureWidgetVisible(widget, 0, 8)


class FittedDialog(QDialog):
    """A dialog that opens inside the screen's available area (see `fit_to_screen`), wide
    enough for its whole title in the title bar (`style.title_width`, as every message box).
    Its buttons carry words only, as every dialog's (the style, `style._NoButtonIcons`)."""

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        title = title_width(self)
        if self.minimumWidth() < title:
            self.setMinimumWidth(title)
        super().showEvent(event)
        fit_to_screen(self)
