"""Assessment titles: the one a new assessment is offered, and next year's."""

from __future__ import annotations

import re
from datetime import date


def default_title(agency: str, district: str, as_of: date) -> str:
    """A title the user can keep: who, and which year."""
    who = agency.strip() or district.strip()
    if not who:
        return f"SRO program readiness {as_of.year}"
    return f"{who}: SRO program readiness {as_of.year}"


def title_for_year(title: str, old_year: int, new_year: int) -> str:
    """The title moved on by the years between: 'Review 2025' -> 'Review 2026'; a school year
    that holds the old date ('2025-26' for an as-of date in 2025 or in 2026) moves on the same;
    a title with no year gets the new one appended."""
    shift = new_year - old_year

    def school_year(match: re.Match[str]) -> str:
        first, second = int(match.group(1)), int(match.group(3))
        if (first + 1) % 100 != second or old_year not in (first, first + 1):
            return match.group(0)
        return f"{first + shift}{match.group(2)}{(second + shift) % 100:02d}"

    moved = re.sub(r"\b(\d{4})([-/])(\d{2})\b", school_year, title)
    if moved != title:
        return moved
    if re.search(rf"\b{old_year}\b", title):
        return re.sub(rf"\b{old_year}\b", str(new_year), title)
    return f"{title} {new_year}".strip()
