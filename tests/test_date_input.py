"""Typed dates (domain.date_input): every accepted form, refusals in plain words, round trips."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nasro_desktop.domain.date_input import (
    EARLIEST,
    LATEST,
    STYLES,
    format_date,
    full_year,
    is_complete,
    read_date,
    spoken_date,
)

TODAY = date(2026, 9, 15)
MARCH_15 = date(2015, 3, 15)


@pytest.mark.parametrize("text", [
    "3/15/2015", "03/15/2015", "03/15/15", "3-15-2015", "03.15.2015", "2015-03-15", "2015/3/15",
    "Mar 15 2015", "Mar 15, 2015", "Mar. 15, 2015", "March 15, 2015", "march 15 2015",
    "15 Mar 2015", "15 March 2015", "  03/15/2015  ", "Mar 15th, 2015",
])
def test_each_accepted_form_means_march_15_2015(text):
    reading = read_date(text, TODAY)
    assert reading.ok and reading.value == MARCH_15, reading.problem


def test_empty_is_an_empty_date_not_a_problem():
    for text in ("", "   "):
        reading = read_date(text, TODAY)
        assert reading.empty and reading.ok and reading.value is None


@pytest.mark.parametrize("text, words", [
    ("15/03/2015", "month first"),  # day first: refused, never read as another date
    ("02/30/2015", "no day 30"),
    ("13/13/2015", "not a month"),
    ("3/15", "add the year"),
    ("Mar 15", "add the year"),
    ("Marz 15 2015", "not a month name"),
    ("03152015", "separate"),
    ("yesterday", "Not a date"),
    ("01/01/1850", "between 1900 and 2100"),
])
def test_what_is_not_a_date_is_refused_with_a_reason(text, words):
    reading = read_date(text, TODAY)
    assert reading.value is None
    assert words in reading.problem


def test_two_digit_years_fall_in_the_hundred_years_ending_ten_years_ahead():
    assert full_year(15, TODAY) == 2015
    assert full_year(36, TODAY) == 2036
    assert full_year(37, TODAY) == 1937
    assert full_year(85, TODAY) == 1985
    assert read_date("03/15/15", TODAY).two_digit_year


def test_a_date_being_typed_is_not_complete_until_its_year_has_four_digits():
    assert not is_complete("03/15/20")  # may still become 03/15/2015
    assert not is_complete("Mar 15 2")
    assert is_complete("03/15/2015") and is_complete("Mar 15 2015") and is_complete("2015-03-15")


def test_the_date_understood_is_said_in_words():
    assert spoken_date(MARCH_15) == "Sunday, March 15, 2015"


@given(st.dates(min_value=EARLIEST, max_value=LATEST), st.sampled_from(STYLES))
def test_any_date_in_any_accepted_form_round_trips(value, style):
    if style == "us_two_digit" and not (TODAY.year - 89 <= value.year <= TODAY.year + 10):
        return  # a two-digit year only names the hundred years around today
    reading = read_date(format_date(value, style), TODAY)
    assert reading.value == value, (format_date(value, style), reading.problem)


@given(st.text(max_size=20))
def test_any_text_is_either_a_date_or_a_reason(text):
    reading = read_date(text, TODAY)
    assert (reading.value is not None) != bool(reading.problem) or reading.empty
