"""Officers' names taken out of free text for a public paper (the board edition).

A chief types "Sgt. García (ask Ana first)", "Ramirez" without its accent, "J. Ramírez" or
"RAMÍREZ, José": every one of them is a name. `Redactor(names).redact(text)` replaces any run of
an officer's name parts (surnames, first names, initials before a name part, "Surname, First",
a rank before them) with "[officer]", whatever the case or accents. A run of several becomes
"[officers]". Parts of two letters ("An", "Li") are taken only beside another part of the
name, never alone (they are English words too); particles ("de", "van") likewise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

LABEL = "[officer]"
MANY = "[officers]"
PARTICLES = frozenset({"de", "del", "della", "la", "le", "da", "di", "du", "dos", "das", "van",
                       "von", "der", "den", "ten", "ter", "al", "el", "bin", "ben", "ibn", "jr",
                       "sr", "ii", "iii", "iv", "mc", "st", "officer", "deputy", "sergeant"})
RANKS = (r"officer|ofc|sgt|sergeant|deputy|dep|cpl|corporal|lt|lieutenant|det|detective|sro|"
         r"trooper|tpr|capt|captain|chief|mr|mrs|ms|miss|dr")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-"})


def fold(text: str) -> tuple[str, list[int]]:
    """Text without accents, case-folded, and for each folded character its index in `text`."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.translate(_APOSTROPHES)):
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for c in part.casefold():
                out.append(c)
                index.append(i)
    return "".join(out), index


def name_parts(name: str) -> set[str]:
    """A name's folded parts: "Mary-Kate de la Cruz" -> mary-kate, mary, kate, de, la, cruz."""
    folded, _ = fold(name)
    parts = set()
    for word in re.findall(r"[\w'-]+", folded):
        word = word.strip("'-")
        if word:
            parts.add(word)
            parts.update(p for p in re.split(r"[-']", word) if len(p) > 1)
    return parts


class Redactor:
    """Replaces officers' names in free text (see the module's docstring)."""

    def __init__(self, names: Iterable[str]) -> None:
        parts: set[str] = set()
        for name in names:
            parts |= name_parts(name)
        strong = sorted((p for p in parts if len(p) >= 3 and p not in PARTICLES and
                         not p.isdigit()), key=len, reverse=True)  # fmt: skip
        weak = sorted(parts, key=len, reverse=True)
        initials = sorted({p[0] for p in strong if p[0].isalpha()})
        self.pattern: re.Pattern[str] | None = None
        if not strong:
            return
        s = "|".join(re.escape(p) for p in strong)
        w = "|".join(re.escape(p) for p in weak)
        i = "".join(re.escape(c) for c in initials)
        part = rf"(?:(?:{w})\s+)*(?:{s})"  # "de la cruz", "van an": weak parts only before one
        after = rf"(?:{w}|[{i}]\.(?!\w))" if i else rf"(?:{w})"
        self.pattern = re.compile(
            rf"(?<![\w'-])(?:(?:{RANKS})\.?\s+)?(?:[{i}]\.?\s*)?{part}"
            rf"(?:(?:\s*,\s*|\s+){after}(?![\w'-]))*(?![\w'-])"
            if i else
            rf"(?<![\w'-])(?:(?:{RANKS})\.?\s+)?{part}(?:\s+{after})*(?![\w'-])"
        )

    def redact(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        folded, index = fold(text)
        spans = [(index[m.start()], index[m.end() - 1] + 1) for m in self.pattern.finditer(folded)]
        if not spans:
            return text
        out, last = [], 0
        for start, end in spans:
            out.append(text[last:start])
            out.append(LABEL)
            last = end
        out.append(text[last:])
        joined = "".join(out)
        return re.sub(rf"{re.escape(LABEL)}(?:\s*(?:,|&|\band\b|/)\s*{re.escape(LABEL)})+",
                      MANY, joined)
