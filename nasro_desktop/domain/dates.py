"""Calendar arithmetic for the date rules. A year after 29 February is 28 February."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def parse_date(value: object) -> date | None:
    """An ISO date string (or a date) as a date; None for anything else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def long_date(day: date) -> str:
    """'15 September 2026': unambiguous in every English locale."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"
