"""A short identifier of the data a report was made from, so a signed paper can be matched
to the saved assessment: the window and every printed page show the same one.

It is the start of a SHA-256 hash of a canonical JSON form of the Assessment's contents (every
answer, note, officer, school and action item, whatever fields the dataclasses hold) and the
as-of date the report judged them on. Bookkeeping that does not change what the report says is
left out: row ids (an exported and re-imported assessment keeps its fingerprint), when each
answer was saved, and which page the window last showed. Built from domain objects only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from nasro_desktop.domain.model import Assessment

# field names that are bookkeeping, not content, at any depth
_LEFT_OUT = frozenset({"id", "updated", "created", "last_page"})
LENGTH = 12  # hex digits shown: 48 bits, printed as three groups of four


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _LEFT_OUT and not f.name.startswith("_")
        }
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 4.0 acres and 4 acres are the same fact
    return value


def canonical_json(assessment: Assessment, as_of: date) -> str:
    """The text the fingerprint is a hash of (sorted keys, no spaces, UTF-8)."""
    data = {"assessment": _canonical(assessment), "judged_as_of": as_of.isoformat()}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)  # fmt: skip


def fingerprint(assessment: Assessment, as_of: date | None = None) -> str:
    """'3F9A-C21B-7E0D': changes when any answer, note, person, school, action or date changes."""
    day = as_of or assessment.as_of
    digest = hashlib.sha256(canonical_json(assessment, day).encode("utf-8")).hexdigest()
    short = digest[:LENGTH].upper()
    return "-".join(short[i : i + 4] for i in range(0, LENGTH, 4))


__all__ = ["canonical_json", "fingerprint"]
