"""Evidence files: what a saved file proves, and when its proof runs out.

No Qt, no SQL, no file access here: the store (store/evidence.py) keeps the files and hands
back `Evidence` records; the engine turns an expiry into an item for "What falls due next"
through `evidence_due` (domain/scoring.py evaluate).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from nasro_desktop.domain.model import Labelled
from nasro_desktop.domain.results import DueItem

# An expiry this close after the as-of date already shows in "What falls due next".
DUE_SOON_DAYS = 90


VERIFIED, MISSING, CHANGED = "verified", "missing", "changed"


class EvidenceKind(Labelled):
    """What a file supports: a standard, one question, an officer or a school."""

    STANDARD = "standard", "Standard"
    QUESTION = "question", "Question"
    OFFICER = "officer", "Officer"
    SCHOOL = "school", "School"


@dataclass(frozen=True)
class Evidence:
    """One attached file. `key` names what it supports: a standard id ("01.01.04"), a
    question id, or an officer's / school's row id as text. `standard_id` is the standard it
    was attached under (may be "" for a person or place attached from the profile)."""

    id: int | None
    assessment_id: int
    kind: EvidenceKind
    key: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    added: datetime
    description: str = ""
    valid_until: date | None = None
    standard_id: str = ""
    deleted_at: datetime | None = None
    # what the store found when the list was read with check=True (EvidenceFiles.records):
    # VERIFIED (the stored file, or its backup copy, still has this SHA-256), MISSING,
    # CHANGED (a file is there but not this one); "" when not checked
    on_disk: str = ""

    @property
    def short_hash(self) -> str:
        """The first 12 hex digits: enough to tell two files apart on paper."""
        return self.sha256[:12]

    @property
    def title(self) -> str:
        """The description if one was given, else the file's name."""
        return self.description.strip() or self.file_name

    def expired(self, as_of: date) -> bool:
        return self.valid_until is not None and self.valid_until < as_of

    @property
    def supports(self) -> str:
        """'Standard 01.01.04', 'Officer 3' ...: the register's "what it supports" column
        (the report replaces officer and school ids by their names)."""
        return f"{self.kind.label} {self.key}".strip()


def size_text(size: int) -> str:
    """A file size in plain words: '820 bytes', '14 KB', '3.2 MB'."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


def evidence_due(
    evidence: Iterable[Evidence],
    as_of: date,
    *,
    soon_days: int = DUE_SOON_DAYS,
    names: Mapping[tuple[EvidenceKind, str], str] | None = None,
) -> list[DueItem]:
    """Items for "What falls due next": every file whose "valid until" date has passed on the
    as-of date (overdue) or comes within `soon_days` after it. Removed files are left out.
    `names` gives an officer's or school's name for its (kind, row id); the item's "who" is
    that name (else "Officer 3"), or "Agency and district" for a standard or a question.
    Sorted like the engine's list: overdue first, then by date."""
    names = names or {}
    horizon = as_of + timedelta(days=soon_days)

    items: list[DueItem] = []
    for item in evidence:
        if item.deleted_at is not None or item.valid_until is None or item.valid_until > horizon:
            continue
        overdue = item.valid_until < as_of
        what = f"{'Expired' if overdue else 'Expires'}: {item.title}"
        if item.kind in (EvidenceKind.OFFICER, EvidenceKind.SCHOOL):
            who = names.get((item.kind, item.key)) or item.supports
        else:
            who = "Agency and district"
        items.append(
            DueItem(
                when=item.valid_until,
                what=what,
                who=who,
                standard_id=item.standard_id or (
                    item.key if item.kind is EvidenceKind.STANDARD else ""
                ),
                overdue=overdue,
            )
        )
    items.sort(key=lambda d: (not d.overdue, d.when, d.what, d.who))
    return items
