"""Is a file about to be imported already in the list? The window asks (open that one, or
import a copy); the command line refuses unless given --copy. And the title a copy gets, so the
list tells the two apart. Read-only: nothing here writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nasro_desktop.store.errors import StoreError
from nasro_desktop.store.exchange import read_import

if TYPE_CHECKING:
    from nasro_desktop.store.db import Store
    from nasro_desktop.store.reading import AssessmentSummary


def copy_title(title: str, taken: set[str], kind: str) -> str:
    """A title that tells a copy apart in the list: "Title (sample copy 2)"."""
    if title not in taken:
        return title
    n = 2
    while f"{title} ({kind} {n})" in taken:
        n += 1
    return f"{title} ({kind} {n})"


def same_assessment(store: Store, path: Path | str) -> tuple[AssessmentSummary | None, bool]:
    """An assessment in the list that a file to import already is: (its summary, whether
    its answers are the same too), or (None, False). Read-only: nothing is written."""
    try:  # a format 2 zip is checked without reading its evidence files
        incoming = read_import(Path(path), check_files=False)
    except (StoreError, OSError, ValueError):  # the import itself says what is wrong
        return None, False
    matches = [s for s in store.list_assessments()
               if (s.title, s.agency, s.district, s.as_of)
               == (incoming.title, incoming.agency, incoming.district, incoming.as_of)]
    for summary in sorted(matches, key=lambda s: s.updated, reverse=True):
        try:
            existing = store.load_assessment(summary.id)
        except Exception:
            continue
        mine = {k: (a.value, a.note) for k, a in existing.answers.items() if a.has_value}
        theirs = {k: (a.value, a.note) for k, a in incoming.answers.items() if a.has_value}
        if mine == theirs:
            return summary, True
    return (matches[0], False) if matches else (None, False)
