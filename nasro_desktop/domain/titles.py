"""Assessment titles: the one a new assessment is offered, and next year's."""

from __future__ import annotations

from datetime import date


def default_title(agency: str, district: str, as_of: date) -> str:
    """A title the user can keep: who, and which year."""
    who = agency.strip() or district.strip()
    if not who:
        return f"SRO program readiness {as_of.year}"
    return f"{who}: SRO program readiness {as_of.year}"
