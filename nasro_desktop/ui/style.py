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
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QPushButton, QWidget

if TYPE_CHECKING:  # used by the fast outlines, imported there when first drawn
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QStyle

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
    """A panel drawn from palette roles: "help" and "message" (shaded), "question" (outlined),
    "card" (a group on the page's base colour)."""
    widget.setFrameShape(QFrame.Shape.StyledPanel)
    widget.setFrameShadow(QFrame.Shadow.Plain)
    if role in ("help", "message"):
        widget.setAutoFillBackground(True)
        widget.setBackgroundRole(QPalette.ColorRole.AlternateBase)
    if role == "card":
        widget.setAutoFillBackground(True)
        widget.setBackgroundRole(QPalette.ColorRole.Base)
    if role == "message":
        widget.setFrameShape(QFrame.Shape.Box)
        widget.setLineWidth(2)
    widget.setProperty("frameRole", role)
    return widget


# -- status chips, the primary action, appearance -----------------------------------------------

# chip kind -> (colour on a light window, colour on a dark window). Always with a symbol and a
# word on the chip: the colour only repeats what they say.
CHIP_COLOURS = {
    "good": ("#1a7f37", "#56d364"),
    "bad": ("#b3261e", "#ff7b72"),
    "warn": ("#9a6700", "#e3b341"),
    "progress": ("#0b62c4", "#79c0ff"),
    "neutral": ("#57606a", "#8b949e"),
}
_chips: weakref.WeakKeyDictionary[QWidget, str] = weakref.WeakKeyDictionary()
_primaries: weakref.WeakSet[QWidget] = weakref.WeakSet()


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def chip_colour(kind: str, palette: QPalette | None = None) -> str:
    light, dark = CHIP_COLOURS.get(kind, CHIP_COLOURS["neutral"])
    return dark if is_dark(palette) else light


def chip(label: QWidget, kind: str) -> QWidget:
    """A status chip: symbol + word (the label's text) + a coloured outline and tint."""
    _chips[label] = kind
    label.setProperty("chip", kind)
    colour = chip_colour(kind)
    r, g, b = int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    label.setStyleSheet(
        f"border: 2px solid {colour}; border-radius: 9px; padding: 3px 10px; "
        f"background: rgba({r}, {g}, {b}, 40); font-weight: bold;")
    return label


def set_primary(button: QWidget) -> QWidget:
    """The one primary action of a screen: filled with the highlight colour, bold, larger."""
    _primaries.add(button)
    button.setProperty("primary", True)
    set_role(button, "big")
    _style_primary(button)
    if isinstance(button, QPushButton):
        button.setAutoDefault(True)
    return button


def _style_primary(button: QWidget) -> None:
    pal = QApplication.palette()
    high = pal.color(QPalette.ColorRole.Highlight).name()
    text = pal.color(QPalette.ColorRole.HighlightedText).name()
    ring = pal.color(QPalette.ColorRole.WindowText).name()
    button.setStyleSheet(
        f"QPushButton {{ background: {high}; color: {text}; border: 2px solid {high}; "
        "border-radius: 6px; padding: 8px 20px; font-weight: bold; }"
        f"QPushButton:focus {{ border: 2px solid {ring}; }}"
        "QPushButton:disabled { background: palette(mid); border-color: palette(mid); }")


# The sidebar's icons: a glyph in a rounded square of the highlight colour, drawn from the
# palette (right in light, dark and high contrast); the entry's words say the same.
SECTION_GLYPHS = {"home": "⌂", "profile": "☰", "review": "☑", "readiness": "⚑"}


def section_icon(key: str, number: int | None = None, size: int = 28):
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QIcon, QPainter, QPixmap

    glyph = SECTION_GLYPHS.get(key) or (str(number) if number is not None else "•")
    pal = QApplication.palette()
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 6, 6)
    font = QFont(QApplication.font())
    font.setBold(True)
    font.setPixelSize(int(size * 0.55))
    painter.setFont(font)
    painter.setPen(pal.color(QPalette.ColorRole.HighlightedText))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


APPEARANCES = ("system", "light", "dark")
APPEARANCE_SETTING = "appearance"
_system_palette: QPalette | None = None
_system_style: str | None = None
_appearance = "system"


def current_appearance() -> str:
    return _appearance


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for every role the window uses."""
    from PySide6.QtGui import QColor

    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#1f2328"), (roles.WindowText, "#e6edf3"), (roles.Base, "#161b22"),
        (roles.AlternateBase, "#262c36"), (roles.Text, "#e6edf3"), (roles.Button, "#2d333b"),
        (roles.ButtonText, "#e6edf3"), (roles.Highlight, "#2f81f7"),
        (roles.HighlightedText, "#ffffff"), (roles.ToolTipBase, "#262c36"),
        (roles.ToolTipText, "#e6edf3"), (roles.PlaceholderText, "#8b949e"),
        (roles.Link, "#79c0ff"), (roles.Mid, "#545d68"), (roles.Midlight, "#3d444d"),
        (roles.Dark, "#0d1117"), (roles.Light, "#484f58"), (roles.Shadow, "#010409"),
        (roles.BrightText, "#ffffff"),
    ):
        p.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor("#7d8590"))
    return p


def set_appearance(app: QApplication | None, appearance: str) -> None:
    """System (the operating system's light or dark, as the platform gives it), Light or
    Dark (Qt's Fusion style with our palette, which every platform style honours)."""
    global _system_palette, _system_style, _appearance
    app = app or cast("QApplication | None", QApplication.instance())
    if app is None:
        return
    if appearance not in APPEARANCES:
        appearance = "system"
    if appearance == _appearance == "system":
        return  # nothing to change: start-up pays nothing for the default
    if _system_palette is None:  # still the system's: we change it only below
        _system_palette = QPalette(app.palette())
        _system_style = app.style().name()
    _appearance = appearance
    if appearance == "system":
        if _system_style:
            app.setStyle(_system_style)
        app.setPalette(_system_palette)
    else:
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if appearance == "dark" else app.style().standardPalette())
    restyle()


def restyle() -> None:
    """Chips and primary buttons again, in the palette's colours (after a palette change)."""
    for widget, kind in list(_chips.items()):
        if shiboken6.isValid(widget):
            chip(widget, kind)
    for widget in list(_primaries):
        if shiboken6.isValid(widget):
            _style_primary(widget)


def apply(app: QApplication | None = None, scale: float | None = None) -> None:
    """Set the app font (and every role's font) for the given text scale; None keeps it."""
    global _current_scale
    app = app or cast("QApplication | None", QApplication.instance())
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


# -- panel outlines, drawn fast ------------------------------------------------------------------

# An outline learnt from the style: its small image, where each corner is taken from in it,
# and each band's fills (side 0-3: top, bottom, left, right; offset from the edge; colour).
_Outline = tuple["QImage", list[tuple[int, int, tuple[int, int]]], list[tuple[int, int, "QColor"]]]
# (style, palette, colour group, frame option) -> the outline the style draws, learnt from it
# (None: the style draws something else there, left to it)
_outlines: dict[tuple[object, ...], _Outline | None] = {}
_OUTLINE_SLICE = 4  # the outline's corners and bands, in pixels from the edge
FAST_OUTLINES = True  # False: every outline drawn by the style itself (tests compare the two)


def paint_outline(widget: QFrame) -> bool:
    """Draw a StyledPanel frame's outline as the style draws it, but with a few fills: Qt's
    Fusion style strokes it with antialiased lines, pixel by pixel, which was a sixth of the
    time of a Next (a page has a dozen framed panels, fields and lists). The outline is learnt
    once per style, palette and state by letting the style draw a small frame: its corners are
    copied and its edges, the same all along, are filled. Returns False (the caller lets Qt
    draw it) when the style draws anything else, on a scaled (high-DPI) screen, or for other
    shapes."""
    from PySide6.QtGui import QPainter

    if not FAST_OUTLINES:
        return False
    rect = widget.frameRect()
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    edge = _OUTLINE_SLICE
    if w < 2 * edge or h < 2 * edge or widget.devicePixelRatioF() != 1:
        return False
    style = widget.style()
    # what the style's drawing depends on: its option (palette, state, shape), as QFrame fills it
    # (the style's name too: a new style object may take a deleted one's address)
    key = (id(style), style.name(), widget.palette().cacheKey(), widget.frameStyle(),
           widget.lineWidth(), widget.midLineWidth(), widget.isEnabled(),
           widget.isActiveWindow(), widget.hasFocus(), widget.underMouse(),
           widget.isRightToLeft())
    if key not in _outlines:
        _outlines[key] = _learn_outline(widget, style)
    ink = _outlines[key]
    if ink is None:
        return False
    image, corners, fills = ink
    painter = QPainter(widget)
    for dx, dy, source in corners:
        painter.drawImage(x + (w - edge if dx else 0), y + (h - edge if dy else 0), image,
                          source[0], source[1], edge, edge)
    for side, offset, colour in fills:
        if side == 0:
            painter.fillRect(x + edge, y + offset, w - 2 * edge, 1, colour)
        elif side == 1:
            painter.fillRect(x + edge, y + h - edge + offset, w - 2 * edge, 1, colour)
        elif side == 2:
            painter.fillRect(x + offset, y + edge, 1, h - 2 * edge, colour)
        else:
            painter.fillRect(x + w - edge + offset, y + edge, 1, h - 2 * edge, colour)
    painter.end()
    return True


def _learn_outline(widget: QFrame, style: QStyle) -> _Outline | None:
    """Let the style draw the widget's frame, small, and read its outline from it."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    if widget.frameShape() != QFrame.Shape.StyledPanel:
        return None
    edge = _OUTLINE_SLICE
    size = 4 * edge
    option = QStyleOptionFrame()
    widget.initStyleOption(option)
    option.rect = QRect(0, 0, size, size)
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_Frame, option, painter, widget)
    painter.end()
    bands = _outline_bands(image, edge)
    if bands is None:
        return None
    corners = [(dx, dy, (dx * (size - edge), dy * (size - edge))) for dx in (0, 1)
               for dy in (0, 1)]
    fills = [(side, offset, QColor.fromRgba(colour))
             for side, band in enumerate(bands) for offset, colour in band]
    return image, corners, fills


def _outline_bands(image, edge: int):
    """The bands (top, bottom, left, right) of the style's small frame, or None if it is not an
    outline whose edges are the same all along and whose inside is left alone. Each band:
    (offset, colour) pairs, the colour unpremultiplied (ARGB), for the rows or columns that are
    not transparent."""
    from PySide6.QtGui import QImage

    size = image.width()
    straight = image.convertToFormat(QImage.Format.Format_ARGB32)

    def line(offsets, along):
        pairs = []
        for offset in offsets:
            colours = {along(offset, i) for i in range(edge, size - edge)}
            if len(colours) != 1:
                return None
            colour = colours.pop()
            if colour >> 24:
                pairs.append((offset - offsets[0], colour))
        return pairs

    inside = {straight.pixel(i, j) for i in range(edge, size - edge)
              for j in range(edge, size - edge)}
    if inside != {0}:
        return None
    top = line(list(range(edge)), lambda o, i: straight.pixel(i, o))
    bottom = line(list(range(size - edge, size)), lambda o, i: straight.pixel(i, o))
    left = line(list(range(edge)), lambda o, i: straight.pixel(o, i))
    right = line(list(range(size - edge, size)), lambda o, i: straight.pixel(o, i))
    if None in (top, bottom, left, right):
        return None
    return top, bottom, left, right
