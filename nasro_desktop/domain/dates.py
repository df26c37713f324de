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


# Fixed English names: every text in the app is English, whatever the machine's locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(day: date) -> str:
    """'September 15, 2026': how the app's US readers write a date; never ambiguous."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def short_date(day: date) -> str:
    """'Sep 15, 2026', for tables."""
    return f"{MONTHS[day.month - 1][:3]} {day.day}, {day.year}"


def years_and_months(start: date, end: date) -> tuple[int, int]:
    """Whole years and months from `start` to `end`; (0, 0) when `end` is not after `start`."""
    if end <= start:
        return 0, 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return divmod(months, 12)


def service_text(start: date, end: date) -> str:
    """'2 years 3 months', '7 months', 'less than a month': never negative."""
    years, months = years_and_months(start, end)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts) or "less than a month"
