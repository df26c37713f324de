"""The report fonts' parsed metrics, kept in the user's cache folder.

reportlab reads a whole TrueType file to register it (every glyph's width, the character
map, the glyph offsets): ~18 ms of CPU for each DejaVu face, on every report the command line
makes. What it reads is plain data; it is kept (nasro_desktop/cache.py: pickled, private,
keyed by the font file's sha256, reportlab's and Python's versions) and put back into a face
without reading the file's tables again. The font file's bytes are still read whole, as
reportlab keeps them to embed the subset in the PDF, so the PDF is the same byte for byte
(tests/test_report_fonts_cache.py).

Anything unexpected (no cache, a damaged one, a reportlab whose faces look different) and the
font is parsed by reportlab as before.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from nasro_desktop import cache as compiled

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# Face attributes that are not plain data: a scaling lambda (rebuilt from unitsPerEm as
# reportlab builds it) and the file's bytes (read again).
_NOT_KEPT = ("_pdfScale", "_ttf_data")


def cache_dir() -> Path:
    return compiled.cache_dir("fonts")


def _key(name: str, data: bytes) -> str:
    import reportlab

    return compiled.key_of("ttf", reportlab.Version, sys.version, name,
                           hashlib.sha256(data).digest())  # fmt: skip


def _scale(units_per_em: int) -> Any:
    """The face's font-units-to-PDF scale, as reportlab's TTFontFile.extractInfo makes it."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _restore(name: str, data: bytes, state: dict[str, Any]) -> Any:
    """A TTFont as `TTFont(name, path)` makes it, from a face's kept attributes."""
    from reportlab import rl_config
    from reportlab.pdfbase import ttfonts

    face: Any = ttfonts.TTFontFace.__new__(ttfonts.TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = data
    face._pdfScale = _scale(state["unitsPerEm"])
    font: Any = ttfonts.TTFont.__new__(ttfonts.TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    unshaped: list[str] = getattr(ttfonts, "unShapedFontGlob")  # noqa: B009 - untyped there
    font.shapable = not any(fnmatch(name, glob) for glob in unshaped)
    return font


def _state(font: Any) -> dict[str, Any] | None:
    """The face's attributes to keep, or None when reportlab's face is not what this expects."""
    state = {k: v for k, v in vars(font.face).items() if k not in _NOT_KEPT}
    expected = {"unitsPerEm", "charToGlyph", "charWidths", "glyphPos", "filename"}
    if not expected <= state.keys() or set(vars(font)) != _TTFONT_FIELDS:
        log.warning("reportlab's fonts look different from what the font cache expects; "
                    "the font is read from its file each time")  # fmt: skip
        return None
    return state


_TTFONT_FIELDS = {"fontName", "face", "encoding", "state", "_asciiReadable", "_shapable"}


def load_ttfont(name: str, path: Path) -> Any:
    """`reportlab.pdfbase.ttfonts.TTFont(name, path)`, from the cache when it holds this file."""
    from reportlab.pdfbase.ttfonts import TTFont

    data = path.read_bytes()
    key = _key(name, data)
    target = cache_dir() / f"{path.stem}.pickle"
    state = compiled.read(target, key)
    if isinstance(state, dict) and state.get("filename") == str(path):
        try:
            return _restore(name, data, state)
        except Exception as error:  # anything unexpected: parse the file as before
            log.warning("font cache for %s could not be used (%s); reading the font file",
                        path.name, error)  # fmt: skip
    font = TTFont(name, str(path))
    kept = _state(font)
    if kept is not None:
        compiled.write(target, key, kept)
    return font
