"""Dates typed in commands (bot.userdates): single dates, ranges, parts of months, missing years."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract.model import PartialDate
from bot.userdates import DateAsked, nearest_year, read_user_date

TODAY = dt.date(2025, 6, 1)
D = PartialDate


def asked(text: str, year: int | None = None) -> DateAsked:
    return read_user_date(text).dated(year)


SINGLE = [
    ("April 2019", D(2019, 4)),
    ("2019-04-08", D(2019, 4, 8)),
    ("2019/04/08", D(2019, 4, 8)),
    ("2019-04", D(2019, 4)),
    ("2019", D(2019)),
    ("Apr 8 2019", D(2019, 4, 8)),
    ("april 8th, 2019", D(2019, 4, 8)),
    ("08/04/2019", D(2019, 4, 8)),  # day first
    ("04/23/2019", D(2019, 4, 23)),  # unless impossible
    ("8.4.2019", D(2019, 4, 8)),
    ("  14   January   2020 ", D(2020, 1, 14)),
]


@pytest.mark.parametrize(("text", "expected"), SINGLE, ids=[case[0] for case in SINGLE])
def test_a_date_with_a_year(text: str, expected: PartialDate) -> None:
    date = asked(text)
    assert (date.single, date.assumed_year) == (expected, None)


RANGES = [
    ("2019-04-01..2019-04-15", D(2019, 4, 1), D(2019, 4, 15)),
    ("1 April to 15 April 2019", D(2019, 4, 1), D(2019, 4, 15)),
    ("April–May 2019", D(2019, 4), D(2019, 5)),
    ("December to February 2020", D(2019, 12), D(2020, 2)),
    ("last week of March 2019", D(2019, 3, 25), D(2019, 3, 31)),
    ("the first week of April 2019", D(2019, 4, 1), D(2019, 4, 7)),
    ("mid-April 2019", D(2019, 4, 11), D(2019, 4, 20)),
    ("late February 2024", D(2024, 2, 21), D(2024, 2, 29)),
]


@pytest.mark.parametrize(("text", "first", "last"), RANGES, ids=[case[0] for case in RANGES])
def test_a_range(text: str, first: PartialDate, last: PartialDate) -> None:
    date = asked(text)
    assert (date.first, date.last, date.single) == (first, last, None)


@pytest.mark.parametrize(
    ("text", "wanted", "first", "last"),
    [
        ("8 Apr", (4, 8), D(2019, 4, 8), D(2019, 4, 8)),
        ("April 10", (4, 10), D(2019, 4, 10), D(2019, 4, 10)),
        ("March", (3, None), D(2019, 3), D(2019, 3)),
        ("last week of March", (3, 31), D(2019, 3, 25), D(2019, 3, 31)),
        ("8 April - 16 April", (4, 16), D(2019, 4, 8), D(2019, 4, 16)),
    ],
)
def test_a_date_without_a_year_asks_for_one(
    text: str, wanted: tuple[int, int | None], first: PartialDate, last: PartialDate
) -> None:
    typed = read_user_date(text)
    assert typed.needs_year == wanted
    assert typed.dated(2019) == DateAsked(first, last, 2019)


def test_the_year_assumed_is_the_nearest_with_events_then() -> None:
    assert nearest_year([2016, 2019, 2023], TODAY, 4, 8) == 2023
    assert nearest_year([2019], TODAY, 4, 8) == 2019
    assert nearest_year([2024, 2026], TODAY, 4, 8) == 2024  # a tie goes to the past
    assert nearest_year([], TODAY, 4, 8) == 2025  # no events then: the latest before today
    assert nearest_year([], TODAY, 12, 8) == 2024


BAD = [
    ("Aprill 2019", "I couldn't read 'Aprill 2019' as a date (I understood the month April, the year 2019)"),
    ("", "I couldn't read '' as a date; try 2019-04-08"),
    ("8", "I couldn't read '8' as a date (I understood the number 8)"),
    ("10:30", "I couldn't read '10:30'"),
    ("Tuesday", "I couldn't read 'Tuesday' as a date; try"),
    ("1 2 3", "I couldn't read '1 2 3'"),
    ("31 Apr 2019", "31 Apr 2019"),
    ("2019-02-30", "'2019-02-30' is not a real date"),
    ("0000-01-01", "'0000-01-01' is not a real date"),
    ("x" * 100, "I couldn't read 'xxxx"),
    ("2019\x00", "I couldn't read '2019'"),
    ("2019-04-15..2019-04-01", "it starts (2019-04-15) after it ends (2019-04-01)"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[case[0][:20] or "empty" for case in BAD])
def test_an_unreadable_date_says_what_was_understood(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        asked(text)


def test_29_february_of_a_year_that_has_none_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="29 Feb 2019 is not a real date"):
        read_user_date("29 Feb").dated(2019)


PIECES = st.sampled_from(["8", "Apr", "2019", "/", "-", "..", " to ", "29", "Feb", "31", "0", ":", ".", " "])


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.text(alphabet=st.characters(codec="ascii"), max_size=40),
        st.lists(PIECES, max_size=8).map("".join),
    )
)
def test_any_text_gives_dates_or_a_value_error(text: str) -> None:
    try:
        date = read_user_date(text).dated(2019)
    except ValueError as error:
        assert str(error)
    else:
        assert date.first.first_day() <= date.last.last_day()
