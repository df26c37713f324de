"""A short identifier of the data a report was made from, so a signed paper can be matched
to the saved assessment: the window and every printed page show the same one.

It is the start of a SHA-256 hash of a canonical JSON form of the Assessment's contents (every
answer, note, officer, school and action item, whatever fields the dataclasses hold), its
evidence records (what each file supports, its name, SHA-256, description and valid-until
date) and the Assessment date it was judged as of. Bookkeeping that does not change what the
report says is left out: row ids (an exported and re-imported assessment keeps its
fingerprint; a file attached to an officer or school is keyed by that row's place in its list),
when each answer was saved or file attached, removed files, and which page the window last
showed. Built from domain objects only.

One home: `scoring.evaluate` computes it from exactly what it judged (`Readiness.fingerprint`);
the report, the window, `status` and the data exports print that.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any

from nasro_desktop.domain.evidence import Evidence
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


def _evidence(assessment: Assessment, evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    """The evidence records in force, in a canonical order; an officer's or school's file
    keyed by the row's place in its list (row ids change on import)."""
    places = {("officer", str(o.id)): f"officer {i}" for i, o in enumerate(assessment.officers)}
    places.update({("school", str(s.id)): f"school {i}" for i, s in enumerate(assessment.schools)})
    rows = []
    for item in evidence:
        if item.deleted_at is not None:
            continue
        kind = str(item.kind.value if isinstance(item.kind, Enum) else item.kind)
        rows.append({
            "kind": kind, "key": places.get((kind, str(item.key)), str(item.key)),
            "standard_id": item.standard_id, "file_name": item.file_name,
            "sha256": item.sha256, "description": item.description,
            "valid_until": item.valid_until.isoformat() if item.valid_until else None,
        })  # fmt: skip
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def fingerprint(assessment: Assessment, as_of: date | None = None,
                evidence: Iterable[Evidence] = ()) -> str:  # fmt: skip
    """'3F9A-C21B-7E0D': changes when any answer, note, person, school, action, date or evidence
    record changes. Use `Readiness.fingerprint` (scoring.evaluate computes it from what it
    judged) rather than calling this beside it."""
    data: dict[str, Any] = {"assessment": _canonical(assessment),
                            "judged_as_of": (as_of or assessment.as_of).isoformat()}
    records = _evidence(assessment, evidence)
    if records:  # an assessment without files keeps the code it had before files counted
        data["evidence"] = records
    # the hash of a canonical JSON text: sorted keys, no spaces, UTF-8
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)  # fmt: skip
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    short = digest[:LENGTH].upper()
    return "-".join(short[i : i + 4] for i in range(0, LENGTH, 4))
