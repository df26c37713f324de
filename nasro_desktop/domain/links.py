"""Which officer serves which school.

An officer's schools are picked from the assessment's Schools list; one officer may serve
several schools. They are kept as the schools' names, one per line, in `Officer.school`, so
saved data, backups and exports need no new field. Older data held free text there: a line
that names no school on the list is kept as typed and reported as unlinked, for the user to
pick the right school on the Profile page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nasro_desktop.domain.model import Assessment, Officer

SEPARATOR = "\n"


def name_key(name: str) -> str:
    """Names match whatever their case or spacing."""
    return " ".join(name.split()).casefold()


def officer_school_names(officer: Officer) -> list[str]:
    """The schools an officer serves, as stored (duplicates and blank lines dropped)."""
    seen: set[str] = set()
    names = []
    for line in officer.school.split(SEPARATOR):
        name = " ".join(line.split())
        if name and name_key(name) not in seen:
            seen.add(name_key(name))
            names.append(name)
    return names


def with_schools(officer: Officer, names: list[str]) -> Officer:
    return replace(officer, school=SEPARATOR.join(" ".join(n.split()) for n in names if n.strip()))


@dataclass(frozen=True)
class Links:
    """Officers per school (by index in the lists) and the school names that match no school."""

    officers_of_school: tuple[tuple[int, ...], ...]  # one entry per school, in list order
    unlinked: tuple[tuple[int, str], ...]  # (officer index, name as typed)

    def sro_count(self, school_index: int) -> int:
        return len(self.officers_of_school[school_index])


def links(assessment: Assessment) -> Links:
    index: dict[str, int] = {}
    for number, school in enumerate(assessment.schools):
        index.setdefault(name_key(school.name), number)
    serving: list[list[int]] = [[] for _ in assessment.schools]
    unlinked: list[tuple[int, str]] = []
    for number, officer in enumerate(assessment.officers):
        for name in officer_school_names(officer):
            position = index.get(name_key(name))
            if position is None:
                unlinked.append((number, name))
            elif number not in serving[position]:
                serving[position].append(number)
    return Links(tuple(tuple(s) for s in serving), tuple(unlinked))


def renamed_school(officers: list[Officer], old: str, new: str) -> list[Officer]:
    """The officers whose links name `old`, linked to `new` instead (for saving)."""
    changed = []
    for officer in officers:
        names = officer_school_names(officer)
        if any(name_key(n) == name_key(old) for n in names):
            updated = [new if name_key(n) == name_key(old) else n for n in names]
            changed.append(with_schools(officer, updated))
    return changed
