"""Text size and palette-aware styling for the whole window, without a style sheet.

Sizes follow the system font: the app font is the system font times the user's choice from
View > Larger text / Smaller text / Normal size (kept in the store's settings). A widget that
needs a bigger or bolder text asks for a role with `set_role(widget, "question")`; `apply()`
resizes every such widget when the scale changes. Frames and colours come only from palette
roles (`frame(widget, "help")`), so light and dark themes both work. Every control's outline
stands out 3:1 (`_outline_palettes`: Qt's per-class palettes, in Fusion), and dialog buttons
carry words, never the stock icons some platforms add (`_NoButtonIcons`). A message box is
at least as wide as its title bar needs (`_TitleFits`): Qt sizes it to its text, and a window
manager then cuts the title ("Backed up — S… Readiness").

No application style sheet on purpose: Qt's style-sheet style slows down building and painting
every widget (measured: about 40% more time to build a question page), and the window must
start and switch pages fast.
"""

from __future__ import annotations

import weakref
from typing import cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QMessageBox,
    QProxyStyle,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QStyle,
    QWidget,
)

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
    """Mark a chosen answer (a widget with a text role) in bold, so the choice never shows by
    the radio's dot alone; it stays bold when the role's font is set again."""
    widget.setProperty("chosen", chosen)
    _apply_role(widget, _roles[widget])


def frame(widget: QFrame, role: str) -> QFrame:
    """A panel drawn from palette roles: "help" and "message" (shaded), "question" (outlined),
    "card" (a group on the page's base colour)."""
    widget.setFrameShape(QFrame.Shape.StyledPanel)
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


def focus_colour(palette: QPalette):
    """The focus frame's colour: the highlight, darkened on a light window and lightened on a
    dark one until it stands out 3:1 from the window (WCAG 1.4.11)."""
    window = palette.color(QPalette.ColorRole.Window)
    colour = palette.color(QPalette.ColorRole.Highlight)
    for _ in range(12):
        if contrast(colour, window) >= 3.0:
            break
        colour = colour.lighter(115) if is_dark(palette) else colour.darker(115)
    return colour


def luminance(colour) -> float:
    """WCAG relative luminance of a QColor."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a, b) -> float:
    """WCAG contrast ratio of two QColors (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def chip_colour(kind: str) -> str:
    light, dark = CHIP_COLOURS.get(kind, CHIP_COLOURS["neutral"])
    return dark if is_dark() else light


def chip(label: QWidget, kind: str) -> QWidget:
    """A status chip: symbol + word (the label's text) + a coloured outline and tint."""
    _chips[label] = kind
    label.setProperty("chip", kind)
    colour = chip_colour(kind)
    r, g, b = int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    sheet = (f"border: 2px solid {colour}; border-radius: 9px; padding: 3px 10px; "
             f"background: rgba({r}, {g}, {b}, 40); font-weight: bold;")
    if label.styleSheet() != sheet:  # a style sheet is costly: set only when it changes
        label.setStyleSheet(sheet)
    return label


def set_primary(button: QWidget, on: bool = True) -> QWidget:
    """The one primary action of a screen: filled with the highlight colour, bold, larger.
    `on=False` makes it an ordinary button again (Next is primary on question pages only)."""
    if not on:
        if button in _primaries:
            _primaries.discard(button)
            _roles.pop(button, None)
            button.setProperty("primary", False)
            button.setStyleSheet("")
            button.setFont(QFont())
        return button
    if button in _primaries:
        return button
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


class _NoButtonIcons(QProxyStyle):
    """The style as it is, without stock icons on dialog buttons: some platforms (Linux
    without a desktop's theme, KDE) put a green tick on OK and a red cross on Cancel in every
    message box; the words say it all. Used only where the platform's style adds them."""

    def styleHint(self, hint, option=None, widget=None, returnData=None):  # noqa: N802
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, returnData)


# the window frame's own room beside the title: the icon, minimise/maximise/close, margins
TITLE_FRAME_ALLOWANCE = 160


def title_width(box: QWidget) -> int:
    """The width a window needs for its whole title in a window manager's title bar (bold, as
    most draw it, with the app's name the platform adds on Linux), capped at the screen."""
    title = box.windowTitle()
    name = QApplication.applicationDisplayName()
    if name and name not in title:
        title = f"{title} — {name}"
    font = QFont(box.font())
    font.setBold(True)
    need = QFontMetrics(font).horizontalAdvance(title) + TITLE_FRAME_ALLOWANCE
    screen = box.screen() or QApplication.primaryScreen()
    return min(need, screen.availableGeometry().width() - 40) if screen is not None else need


class _TitleFits(QObject):
    """Every message box, as it is shown, at least `title_width` wide: a spacer in its grid
    (QMessageBox fixes its own size from its layout when shown, so a minimum width would not
    hold). One place for the static QMessageBox.information/warning/question calls too."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Show and isinstance(watched, QMessageBox):
            grid = watched.layout()
            if isinstance(grid, QGridLayout):
                width = title_width(watched)
                sizes = (width, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
                last = grid.itemAtPosition(grid.rowCount() - 1, 0)
                spacer = last.spacerItem() if last is not None else None
                if watched.property("titleFits") and spacer is not None:
                    spacer.changeSize(*sizes)  # shown again, perhaps with another title
                    grid.invalidate()
                else:
                    grid.addItem(QSpacerItem(*sizes), grid.rowCount(), 0, 1,
                                 max(1, grid.columnCount()))
                    watched.setProperty("titleFits", True)
        return False


_title_fits: _TitleFits | None = None  # installed once, on the running application


def style_name(app: QApplication) -> str:
    """The application style's name in lower case ("fusion", "windowsvista"...), the one
    under `_NoButtonIcons` when it is there."""
    current = app.style()
    while isinstance(current, QProxyStyle):
        current = current.baseStyle()
    return current.name().lower()


def _set_style(app: QApplication, name: str | None = None) -> None:
    """The style `name` (None: the one in use), without stock icons on dialog buttons."""
    if name is not None:
        app.setStyle(name)
    current = app.style()
    if not isinstance(current, _NoButtonIcons) and current.styleHint(
            QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons):
        app.setStyle(_NoButtonIcons(current))  # it takes the style in use (Qt: its parent)


def set_appearance(app: QApplication | None, appearance: str) -> None:
    """System (the operating system's light or dark, as the platform gives it), Light or
    Dark (Qt's Fusion style with our palette, which every platform style honours)."""
    global _system_palette, _system_style, _appearance, _title_fits
    app = app or cast(QApplication, QApplication.instance())
    if _title_fits is None:  # every window start passes here
        _title_fits = _TitleFits(app)
        app.installEventFilter(_title_fits)
    if appearance not in APPEARANCES:
        appearance = "system"
    if appearance == _appearance == "system":
        if not isinstance(app.style(), _NoButtonIcons):
            _set_style(app)  # at start-up: only where the platform adds the icons
            if isinstance(app.style(), _NoButtonIcons):
                restyle()
        return  # nothing else to change: start-up pays nothing for the default
    if _system_palette is None:  # still the system's: we change it only below
        _system_palette = QPalette(app.palette())
        _system_style = style_name(app)
    _appearance = appearance
    if appearance == "system":
        _set_style(app, _system_style or None)
        app.setPalette(_system_palette)
    else:
        _set_style(app, "Fusion")
        app.setPalette(dark_palette() if appearance == "dark" else app.style().standardPalette())
    restyle()


def restyle() -> None:
    """Chips, primary buttons and indicators again, in the palette's colours (after a palette
    change)."""
    for widget, kind in list(_chips.items()):
        if shiboken6.isValid(widget):
            chip(widget, kind)
    for widget in list(_primaries):
        if shiboken6.isValid(widget):
            _style_primary(widget)
    _restyle_indicators()


# -- radio buttons and check boxes: an outline that stands out, a size that follows the text ----

_indicator_widgets: weakref.WeakSet[QWidget] = weakref.WeakSet()
INDICATOR_PX = 14  # Fusion's radio and check box at normal size


def indicator_outline(palette: QPalette):
    """A grey between the window's colour and its text that stands out from the window, the
    fields' base colour and the shaded panels: the outline of every radio and check box. WCAG
    1.4.11 asks 3:1; 4:1 here, as Fusion draws a check box's edge a little softer."""
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    shaded = palette.color(QPalette.ColorRole.AlternateBase)  # help panels
    text = palette.color(QPalette.ColorRole.WindowText)
    best = QColor(text)
    for step in range(10, 101, 5):  # from the window's colour towards the text's
        t = step / 100
        colour = QColor.fromRgbF(window.redF() + (text.redF() - window.redF()) * t,
                                 window.greenF() + (text.greenF() - window.greenF()) * t,
                                 window.blueF() + (text.blueF() - window.blueF()) * t)
        if min(contrast(colour, window), contrast(colour, base),
               contrast(colour, shaded)) >= 4.0:
            best = colour
            break
    return best


# The controls whose outline Fusion draws in the palette's window colour made 40% darker
# (1.1:1 to 2:1 in light and dark): they get an application palette of their own (Qt's
# per-class palette) whose window colour makes that darker colour the contrasted grey.
# Per class, not per widget: a widget under a style sheet (Larger text) takes the
# application's palette for its class, not its parent's.
OUTLINED_CLASSES = ("QRadioButton", "QCheckBox", "QAbstractItemView", "QLineEdit",
                    "QAbstractSpinBox", "QComboBox", "QPlainTextEdit", "QTextEdit",
                    "QPushButton", "QToolButton", "QProgressBar")


def _outline_palettes() -> None:
    """Give the outlined controls their palette (Fusion only: other styles draw their own),
    again when the application's palette or style changed (a new style drops them)."""
    if style_name(cast(QApplication, QApplication.instance())) != "fusion":
        return  # a style set anew drops them: nothing to undo
    palette = QPalette(QApplication.palette())
    palette.setColor(QPalette.ColorRole.Window, indicator_outline(palette).lighter(140))
    for name in OUTLINED_CLASSES:  # PySide6 takes the class name as a str (its stubs: bytes)
        if QApplication.palette(name) != palette:  # type: ignore[call-overload]
            QApplication.setPalette(palette, name)  # type: ignore[arg-type]


def indicators(widget: QWidget) -> QWidget:
    """Radio buttons and check boxes in `widget` (itself or its children, a list's item check
    boxes too) with indicators that grow with View > Larger text; their outline (and every
    control's) meets 3:1 in light and dark (`_outline_palettes`)."""
    _outline_palettes()
    _indicator_widgets.add(widget)
    _style_indicators(widget)
    return widget


def _style_indicators(widget: QWidget) -> None:
    size = round(INDICATOR_PX * _current_scale)
    sheet = "" if _current_scale <= NORMAL else (
        f"QRadioButton::indicator, QCheckBox::indicator, QAbstractItemView::indicator "
        f"{{ width: {size}px; height: {size}px; }}")
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def _restyle_indicators() -> None:
    _outline_palettes()
    for widget in list(_indicator_widgets):
        if shiboken6.isValid(widget):
            _style_indicators(widget)


def apply(app: QApplication | None = None, scale: float | None = None) -> None:
    """Set the app font (and every role's font) for the given text scale; None keeps it."""
    global _current_scale
    app = app or cast(QApplication, QApplication.instance())
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
    _restyle_indicators()  # their size follows the text


def larger() -> float:
    index = SCALES.index(_current_scale)
    return SCALES[min(index + 1, len(SCALES) - 1)]


def smaller() -> float:
    index = SCALES.index(_current_scale)
    return SCALES[max(index - 1, 0)]
