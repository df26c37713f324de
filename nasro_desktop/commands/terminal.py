"""Printing for a terminal: titles and names are shown with control characters, escape
sequences and bidi overrides made visible (\\x1b, \\u202e), so a title can't rewrite the screen
or reorder a line; text the terminal's encoding can't show is escaped, never an error."""

from __future__ import annotations

import sys
import unicodedata
from typing import TextIO

# bidi embeddings, overrides, isolates and marks: they reorder what follows on the line
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                  "\u2066\u2067\u2068\u2069")


def visible(text: object) -> str:
    """One line of text safe to print: control, bidi and line-breaking characters escaped."""
    out = []
    for char in str(text):
        if char in _BIDI or unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def cut(text: str, width: int = 70) -> str:
    """`visible`, on one line, cut to `width` characters (an ellipsis says so)."""
    text = visible(" ".join(str(text).split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def plain(text: str) -> str:
    """User text made safe for a terminal: control characters, escape sequences and bidi
    overrides become spaces or visible escapes; runs of spaces become one."""
    out = []
    for ch in str(text):
        category = unicodedata.category(ch)
        if ch in "\n\t\r":
            out.append(" ")
        elif category in ("Cc", "Cf") or category.startswith("Z") and ch != " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def plain_lines(text: str) -> str:
    """`plain` line by line, keeping each line's indent."""
    return "".join(
        (line[: len(line) - len(line.lstrip(" "))] + plain(line)) + "\n"
        for line in text.splitlines()
    )


def say(text: str, stream: TextIO | None = None) -> None:
    """Print a line in whatever encoding the terminal has (unknown characters escaped)."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    print(text, file=stream, flush=True)
