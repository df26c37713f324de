"""The report's embedded fonts and the text-to-markup step that makes any name or note drawable.

DejaVu Sans (regular and bold) draws every Latin script (Nguyễn, Łukasz, Zoë, Søren),
Greek, Cyrillic and the status marks ✔ ✘ ◐. Symbola draws the emoji and symbols DejaVu lacks;
it is used only for runs of characters that DejaVu's cmap does not hold. A character neither
font can draw is printed as a visible "[U+XXXX]" marker, so nothing a user typed ever vanishes
or turns into a black box. Invisible joiners and variation selectors, which only tune how an
emoji looks, are dropped when no font has a glyph for them.

Fonts are registered with reportlab once per process (like pretix's invoice renderer).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import arabic_reshaper  # type: ignore[import-untyped]  # no types shipped
from bidi import get_display  # type: ignore[import-untyped]  # python-bidi ships no types
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from nasro_desktop.paths import resources_dir

BASE = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "Symbola"

_FILES = {
    BASE: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "Symbola.ttf",
}

_lock = threading.Lock()
_registered: set[str] = set()


class FontMissingError(RuntimeError):
    """A bundled font file is missing: the installation is damaged."""


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def _register(name: str) -> None:
    path = fonts_dir() / _FILES[name]
    if not path.is_file():
        raise FontMissingError(
            f"The report font {path.name} is missing from {path.parent}. Please reinstall the app."
        )
    pdfmetrics.registerFont(TTFont(name, str(path)))


def _fix_to_unicode_cmap() -> None:
    """reportlab writes code points above U+FFFF into the ToUnicode CMap as odd-length hex
    (<1F693>), which PDF readers reject: an emoji is drawn but copy, search and text extraction
    lose it. Write them as UTF-16 surrogate pairs, as the PDF reference asks."""
    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_nasro_fixed", False):
        return

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        text = original(fontname, subset)
        if all(code <= 0xFFFF for code in subset):
            return text
        for index, code in enumerate(subset):
            if code > 0xFFFF:  # UTF-16BE: an emoji becomes a surrogate pair
                pair = chr(code).encode("utf-16-be", "surrogatepass").hex().upper()
                text = text.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{pair}>")
        return text

    make_to_unicode_cmap._nasro_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


def register_fonts(family: str = BASE, bold: str = BOLD) -> None:
    """Register a font family once per process: DejaVu and its bold face (the fallback font,
    which has no bold, is registered on first use)."""
    if family in _registered:
        return

    with _lock:
        if family in _registered:
            return
        _fix_to_unicode_cmap()
        for name in dict.fromkeys((family, bold)):
            _register(name)
        for is_bold in (0, 1):
            for italic in (0, 1):  # no oblique face: parsing one costs ~25 ms per report
                addMapping(family, is_bold, italic, bold if is_bold else family)
        _registered.add(family)


@cache
def _cmap(name: str) -> frozenset[int]:
    if name == FALLBACK:
        register_fonts(FALLBACK, FALLBACK)
    else:
        register_fonts()
    font: Any = pdfmetrics.getFont(name)  # a TTFont (typed as the base Font there)
    return frozenset(font.face.charToGlyph)


def _is_invisible(ch: str) -> bool:
    """Joiners, variation selectors, skin-tone and other format marks that draw nothing alone."""
    return unicodedata.category(ch) in ("Cf", "Mn", "Me") or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _escape(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&#39;"})


def runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font, text) runs: DejaVu where it has the glyph, else Symbola, else a marker.

    The font of a marker run is the base font; invisible marks no font can draw are dropped.
    """
    base = _cmap(BASE)
    out: list[tuple[str, list[str]]] = []  # pieces joined once at the end: a 100,000-character
    fallback: frozenset[int] | None = None  # note must not be copied once per character
    for ch in clean(text):
        code = ord(ch)
        if code in base or ch == "\n":
            font, piece = BASE, ch
        elif 0x1F3FB <= code <= 0x1F3FF:  # skin-tone modifier: a colour swatch in mono fonts
            continue
        else:
            if fallback is None:
                fallback = _cmap(FALLBACK)
            if code in fallback:
                font, piece = FALLBACK, ch
            elif _is_invisible(ch):
                continue
            else:
                font, piece = BASE, f"[U+{code:04X}]"
        if out and out[-1][0] == font:
            out[-1][1].append(piece)
        else:
            out.append((font, [piece]))
    return [(font, "".join(pieces)) for font, pieces in out]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms: written right to left
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def visual(line: str) -> str:
    """One laid-out line in the order its characters are drawn: a right-to-left name
    (Arabic, Hebrew) inside the report's left-to-right text is turned around (Unicode's bidi
    algorithm, python-bidi), and Arabic letters take their joined forms (arabic-reshaper;
    DejaVu Sans has them). The text stays in logical order everywhere else (the Word edition,
    which Word lays out itself, and the tagged PDF's ActualText)."""
    if not RTL.search(line):
        return line
    if ARABIC.search(line):
        line = str(arabic_reshaper.reshape(line))
    return str(get_display(line, base_dir="L"))


def clean(text: str) -> str:
    """Text with tabs as spaces, Windows line ends as newlines and other control codes removed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def base_only(text: str) -> bool:
    """True when DejaVu alone can draw every character (so no fallback runs are needed)."""
    if text.isascii():
        return True
    base = _cmap(BASE)
    return all(ord(c) in base or c == "\n" for c in text)


def markup(text: object) -> str:
    """Any user text as safe Paragraph markup: escaped, fallback font runs, line breaks kept."""
    if text is None:
        return ""
    text = str(text)
    if text.isascii():  # the common case: no font lookup needed
        return _escape(clean(text)).replace("\n", "<br/>")
    parts = []
    for font, piece in runs(text):
        escaped = _escape(piece).replace("\n", "<br/>")
        if font == FALLBACK:
            parts.append(f'<font face="{FALLBACK}">{escaped}</font>')
        else:
            parts.append(escaped)
    return "".join(parts)
