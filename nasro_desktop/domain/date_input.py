"""Dates as people type them (US English), read without guessing: no Qt here.

Accepted, month first as in the US:

    3/15/2015   03/15/2015   03/15/15   3-15-2015   2015-03-15   2015/3/15
    Mar 15 2015   Mar 15, 2015   March 15, 2015   15 Mar 2015   Sept 15, 2015

`read_date(text)` says either the date understood or, in a plain sentence, why the text is not
a date (and what to type instead). It never turns a text it does not understand into some other
date: "15/03/2015" is refused (there is no month 15), not read as March 15 or as a date in 2016.

A two-digit year is read in the hundred years that end ten years after `today`: with today in
2026, "15" is 2015 and "37" is 1937.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nasro_desktop.domain.dates import MONTHS

EXPECTED = "MM/DD/YYYY"
EXAMPLE = "03/15/2015"
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)

_MONTH_NAMES: dict[str, int] = {}
for _number, _name in enumerate(MONTHS, start=1):
    _MONTH_NAMES[_name.lower()] = _number
    _MONTH_NAMES[_name[:3].lower()] = _number
_MONTH_NAMES["sept"] = 9

_NUMERIC_US = re.compile(r"^(\d{1,2})\s*([/\-.])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})$")
_NUMERIC_ISO = re.compile(r"^(\d{4})\s*([/\-.])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
_NAME_FIRST = re.compile(
    r"^(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(?P<year>\d{2}|\d{4})$")
_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?\s*,?\s+(?P<year>\d{2}|\d{4})$")
_DIGITS_ONLY = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class DateReading:
    """What a typed text means: `value` (None when empty or not a date) and a `problem`."""

    text: str
    value: date | None
    problem: str = ""  # empty when the text is a date or empty
    two_digit_year: bool = False  # the year was typed with two digits (shown to the user)

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def ok(self) -> bool:
        return not self.problem


def full_year(two_digits: int, today: date | None = None) -> int:
    """A two-digit year in the hundred years ending ten years after today."""
    today = today or date.today()
    limit = today.year + 10
    year = (limit // 100) * 100 + two_digits
    return year - 100 if year > limit else year


def read_date(text: str, today: date | None = None) -> DateReading:
    """Read a typed date (see the module doc). Empty text is an empty date, not a problem."""
    raw = text
    text = " ".join(text.strip().split())
    if not text:
        return DateReading(raw, None)
    if _DIGITS_ONLY.match(text):
        return _refuse(raw, "Please separate month, day and year with slashes, e.g. "
                       f"{EXAMPLE}.")
    match = _NUMERIC_US.match(text)
    if match:
        month, day, year_text = int(match.group(1)), int(match.group(3)), match.group(4)
        if month > 12 and day <= 12:
            return _refuse(raw, f"{month} is not a month. Dates are written month first: "
                           f"{EXPECTED}, e.g. {EXAMPLE} for March 15, 2015.")
        return _make(raw, year_text, month, day, today)
    match = _NUMERIC_ISO.match(text)
    if match:
        year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
        return _make(raw, str(year), month, day, today)
    match = _NAME_FIRST.match(text) or _DAY_FIRST.match(text)
    if match:
        month_number = _MONTH_NAMES.get(match["month"].lower().rstrip("."))
        if month_number is None:
            return _refuse(raw, f"“{match['month']}” is not a month name.")
        return _make(raw, match["year"], month_number, int(match["day"]), today)
    if re.match(r"^\d{1,2}\s*[/\-.]\s*\d{1,2}$", text) or re.match(r"^[A-Za-z]+\.?\s+\d{1,2}$",
                                                                    text):
        return _refuse(raw, f"Please add the year, e.g. {EXAMPLE}.")
    return _refuse(raw, f"Not a date. Type it as {EXPECTED}, e.g. {EXAMPLE}.")


def _refuse(raw: str, problem: str) -> DateReading:
    return DateReading(raw, None, problem)


def _make(raw: str, year_text: str, month: int, day: int, today: date | None) -> DateReading:
    two_digit = len(year_text) == 2
    year = full_year(int(year_text), today) if two_digit else int(year_text)
    if not 1 <= month <= 12:
        return _refuse(raw, f"{month} is not a month (1 to 12). Type the date as {EXPECTED}.")
    try:
        value = date(year, month, day)
    except ValueError:
        return _refuse(raw, f"{MONTHS[month - 1]} {year} has no day {day}.")
    if not EARLIEST <= value <= LATEST:
        return _refuse(raw, f"Please type a date between {EARLIEST.year} and {LATEST.year}.")
    return DateReading(raw, value, two_digit_year=two_digit)


def is_complete(text: str) -> bool:
    """True when the text could not be the start of a longer date being typed: a four-digit
    year is there. ("03/15/20" might become "03/15/2015"; it is read only once typing ends.)"""
    text = text.strip()
    return bool(re.search(r"\d{4}\s*$", text)) or bool(_NUMERIC_ISO.match(" ".join(text.split())))


# Each accepted form as a format of the date `d`, its month name `m` and `yy` (the year's last
# two digits); "us" is what a date field shows (03/15/2015).
_FORMATS = {
    "us": "{d.month:02d}/{d.day:02d}/{d.year:04d}",
    "us_short": "{d.month}/{d.day}/{d.year:04d}",
    "us_two_digit": "{d.month:02d}/{d.day:02d}/{yy:02d}",
    "iso": "{d.year:04d}-{d.month:02d}-{d.day:02d}",
    "abbrev": "{m:.3} {d.day} {d.year:04d}",
    "abbrev_comma": "{m:.3} {d.day}, {d.year:04d}",
    "long": "{m} {d.day}, {d.year:04d}",
    "day_first_name": "{d.day} {m:.3} {d.year:04d}",
}
STYLES = tuple(_FORMATS)


def format_date(value: date, style: str = "us") -> str:
    """One date in one of the accepted forms (`STYLES`)."""
    return _FORMATS[style].format(d=value, m=MONTHS[value.month - 1], yy=value.year % 100)


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def spoken_date(value: date) -> str:
    """'Sunday, March 15, 2015': the date understood, in words, never ambiguous."""
    return f"{_WEEKDAYS[value.weekday()]}, {MONTHS[value.month - 1]} {value.day}, {value.year}"
