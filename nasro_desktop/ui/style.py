"""Text size and palette-aware styling for the whole window, without a style sheet.

Sizes follow the system font: the app font is the system font times the user's choice from
View > Larger text / Smaller text / Normal size (kept in the store's settings). A widget that
needs a bigger or bolder text asks for a role with `set_role(widget, "question")`; `apply()`
resizes every such widget when the scale changes. Frames and colours come only from palette
roles (`frame(widget, "help")`), so light and dark themes both work.

No application style sheet on purpose: Qt's style-sheet style slows down building and painting
every widget (measured: about 40% more time to build a question page), and the window must
start and switch pages fast.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QWidget

SCALES = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
NORMAL = 1.0

# role -> (size relative to the app font, bold)
ROLES = {
    "title": (1.6, True),
    "heading": (1.3, True),
    "question": (1.3, True),
    "subtle": (0.95, False),
    "badge": (0.95, True),
    "status": (1.0, False),
    "big": (1.15, False),
}

_base_point_size: float | None = None
_current_scale = NORMAL
_roles: weakref.WeakKeyDictionary[QWidget, str] = weakref.WeakKeyDictionary()


def base_point_size() -> float:
    """The system font size, read once (before any scaling)."""
    global _base_point_size
    if _base_point_size is None:
        size = QApplication.font().pointSizeF()
        _base_point_size = size if size > 0 else 10.0
    return _base_point_size


def current_scale() -> float:
    return _current_scale


def point_size(role: str | None = None) -> float:
    factor = ROLES[role][0] if role else 1.0
    return round(base_point_size() * _current_scale * factor, 1)


def set_role(widget: QWidget, role: str) -> QWidget:
    """Give a widget a text role (size and weight relative to the app font)."""
    _roles[widget] = role
    _apply_role(widget, role)
    return widget


def _apply_role(widget: QWidget, role: str) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(point_size(role))
    font.setBold(ROLES[role][1] or bool(widget.property("chosen")))
    widget.setFont(font)


def set_chosen(widget: QWidget, chosen: bool) -> None:
    """Mark a chosen answer in bold, so the choice never shows by the radio's dot alone."""
    widget.setProperty("chosen", chosen)
    role = _roles.get(widget)
    if role is not None:
        _apply_role(widget, role)
    else:
        font = QFont(widget.font())
        font.setBold(chosen)
        widget.setFont(font)


def frame(widget: QFrame, role: str) -> QFrame:
    """A panel drawn from palette roles: "help" and "message" (shaded), "question" (outlined)."""
    widget.setFrameShape(QFrame.Shape.StyledPanel)
    widget.setFrameShadow(QFrame.Shadow.Plain)
    if role in ("help", "message"):
        widget.setAutoFillBackground(True)
        widget.setBackgroundRole(QPalette.ColorRole.AlternateBase)
    if role == "message":
        widget.setFrameShape(QFrame.Shape.Box)
        widget.setLineWidth(2)
    widget.setProperty("frameRole", role)
    return widget


def apply(app: QApplication | None = None, scale: float | None = None) -> None:
    """Set the app font (and every role's font) for the given text scale; None keeps it."""
    global _current_scale
    app = app or QApplication.instance()
    if app is None:
        return
    base_point_size()  # read the system size before the first change
    if scale is not None:
        _current_scale = min(SCALES, key=lambda s: abs(s - scale))
    font = QFont(app.font())
    font.setPointSizeF(point_size())
    app.setFont(font)
    for widget, role in list(_roles.items()):
        if shiboken6.isValid(widget):
            _apply_role(widget, role)
        else:  # its window was closed and deleted
            _roles.pop(widget, None)


def larger() -> float:
    index = SCALES.index(_current_scale)
    return SCALES[min(index + 1, len(SCALES) - 1)]


def smaller() -> float:
    index = SCALES.index(_current_scale)
    return SCALES[max(index - 1, 0)]
