"""Text size and palette-aware styling for the whole window.

Sizes follow the system font: the app font is the system font times the user's choice from
View > Larger text / Smaller text / Normal size (kept in the store's settings). Colours come only
from palette roles (`palette(window)`, `palette(mid)`...), so light and dark themes both work.
Widgets ask for a role with `set_role(widget, "question")`; the style sheet sizes each role
relative to the app font.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

SCALES = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
NORMAL = 1.0

# role -> (size relative to the app font, weight)
ROLES = {
    "title": (1.6, 700),
    "heading": (1.3, 700),
    "question": (1.3, 600),
    "subtle": (0.95, 400),
    "badge": (0.95, 700),
    "status": (1.0, 400),
    "big": (1.15, 400),
}

_base_point_size: float | None = None
_current_scale = NORMAL


def set_role(widget: QWidget, role: str) -> QWidget:
    widget.setProperty("textRole", role)
    return widget


def base_point_size() -> float:
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


def style_sheet() -> str:
    parts = []
    for role, (_factor, weight) in ROLES.items():
        parts.append(
            f'QLabel[textRole="{role}"], QCheckBox[textRole="{role}"], '
            f'QRadioButton[textRole="{role}"] '
            f"{{ font-size: {point_size(role)}pt; font-weight: {weight}; }}"
        )
    parts.append(
        'QLabel[textRole="badge"] { border: 2px solid palette(text); border-radius: 4px; '
        "padding: 1px 6px; }"
    )
    parts.append(
        'QFrame[frameRole="help"] { background: palette(alternate-base); '
        "border: 1px solid palette(mid); border-radius: 6px; }"
    )
    parts.append(
        'QFrame[frameRole="question"] { border: 1px solid palette(mid); border-radius: 6px; }'
    )
    parts.append(
        'QFrame[frameRole="message"] { background: palette(alternate-base); '
        "border: 2px solid palette(highlight); border-radius: 6px; }"
    )
    parts.append(f"QRadioButton {{ font-size: {point_size('big')}pt; spacing: 8px; }}")
    # the chosen answer is also bold and underlined: never shown by the little dot alone
    parts.append('QRadioButton[chosen="true"] { font-weight: 700; }')
    parts.append("QListWidget#sections::item { padding: 6px 4px; }")
    return "\n".join(parts)


def apply(app: QApplication | None = None, scale: float | None = None) -> None:
    """Set the app font and the style sheet for the given text scale (None keeps the current)."""
    global _current_scale
    app = app or QApplication.instance()
    if app is None:
        return
    if scale is not None:
        _current_scale = min(SCALES, key=lambda s: abs(s - scale))
    font = QFont(app.font())
    font.setPointSizeF(point_size())
    app.setFont(font)
    app.setStyleSheet(style_sheet())


def larger() -> float:
    index = SCALES.index(_current_scale)
    return SCALES[min(index + 1, len(SCALES) - 1)]


def smaller() -> float:
    index = SCALES.index(_current_scale)
    return SCALES[max(index - 1, 0)]
