"""Dates users type in commands: one day, month or year, a range, or a part of a month.

``read_user_date`` reads the text alone: "April 2019", "2019-04-08", "8 Apr", "Apr 8 2019", "08/04/2019"
(day first unless impossible), "March"; ranges "2019-04-01..2019-04-15", "1 April to 15 April 2019",
"April–May 2019"; parts of a month "last week of March 2019", "first week of April", "early/mid/late
April 2019". A date typed without a year stays without one (:attr:`TypedDate.needs_year`): the bot
fills in the year the articles are about (:func:`nearest_year`) and says which year it assumed.
Anything it cannot read raises ``ValueError`` saying what it did understand.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil import parser as dateutil_parser

from bot.extract.model import PartialDate

MAX_CHARS = 64
HINT = "try 2019-04-08, 'April 2019', '8 Apr 2019' or '2019-04-01..2019-04-15'"
_MONTHS = [name.lower() for name in calendar.month_name[1:]]
_MONTH = r"(?P<month>" + "|".join(f"{m[:3]}(?:{m[3:]})?" for m in _MONTHS) + r"|sept)\.?"
_YEAR = r"(?P<year>\d{4})"
_ISO = re.compile(r"(?P<year>\d{4})(?:([-/.])(?P<month>\d{1,2})(?:\2(?P<day>\d{1,2}))?)?")  # year first
_RANGE = re.compile(r"\s*(?:\.\.|–|—|\s-\s|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*", re.IGNORECASE)
_WEEK_OF = re.compile(
    rf"(?:the\s+)?(?P<which>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+week\s+of\s+{_MONTH}"
    rf"(?:,?\s+{_YEAR})?",
    re.IGNORECASE,
)
_PART_OF = re.compile(
    rf"(?P<part>early|beginning\s+of|mid|middle\s+of|late|end\s+of)[\s-]+{_MONTH}(?:,?\s+{_YEAR})?",
    re.IGNORECASE,
)
_WEEK_STARTS = {"first": 1, "1st": 1, "second": 8, "2nd": 8, "third": 15, "3rd": 15, "fourth": 22, "4th": 22}
_PART_DAYS = {"early": (1, 10), "beginning": (1, 10), "mid": (11, 20), "middle": (11, 20)}
# dateutil reads any short number as a year; only believe it when the year looks like one.
_WRITTEN_YEAR = re.compile(r"\d{4}|['’]\d\d\b|\d[/.\-]\d{1,2}[/.\-]\d\d\b")
_PROBES = (dt.datetime(2000, 1, 1), dt.datetime(2004, 2, 2))  # leap years: 29 Feb parses
_NUMBER = re.compile(r"\d+")
_Fields = tuple[int | None, int | None, int | None]  # year, month, day


@dataclass(frozen=True)
class DateAsked:
    """The days asked about, from ``first`` to ``last`` at the precision typed; ``assumed_year`` is the
    year filled in for a date typed without one."""

    first: PartialDate
    last: PartialDate
    assumed_year: int | None = None

    @property
    def single(self) -> PartialDate | None:
        """The one day, month or year asked about, if it is one."""
        return self.first if self.first == self.last else None


@dataclass(frozen=True)
class TypedDate:
    """What was typed, before a missing year is filled in: the fields of each end."""

    start: _Fields
    end: _Fields

    @property
    def needs_year(self) -> tuple[int, int | None] | None:
        """(month, day) of a date typed without a year, else None."""
        if self.start[0] is not None or self.end[0] is not None or self.end[1] is None:
            return None
        return self.end[1], self.end[2]

    def dated(self, year: int | None = None) -> DateAsked:
        """The dates, the start taking the end's year when it has none ("1 to 15 April 2019"), and
        ``year`` filling in a year typed nowhere. ``ValueError`` for a day that does not exist."""
        typed = self.end[0] if self.end[0] is not None else self.start[0]
        end_year = typed if typed is not None else year
        start_year = self.start[0] if self.start[0] is not None else end_year
        if end_year is None or start_year is None:
            raise ValueError("a year is needed")
        first = _date((start_year, *self.start[1:]))
        last = _date((end_year, *self.end[1:]))
        if first.first_day() > last.last_day() and self.start[0] is None:
            first = _date((start_year - 1, *self.start[1:]))  # "December to February 2020"
        if first.first_day() > last.last_day():
            raise ValueError(f"it starts ({first.iso()}) after it ends ({last.iso()})")
        return DateAsked(first, last, year if typed is None else None)


def read_user_date(text: str) -> TypedDate:
    """The date or range ``text`` names; ``ValueError`` saying what was understood when it is none."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_CHARS or not cleaned.isprintable():
        raise ValueError(_not_read(text))
    for pattern, build in ((_WEEK_OF, _week_of), (_PART_OF, _part_of)):
        if (match := pattern.fullmatch(cleaned)) is not None:
            return build(match)
    pieces = [piece for piece in _RANGE.split(cleaned) if piece]
    if len(pieces) == 2 and _RANGE.search(cleaned):
        start, end = (_fields(piece) for piece in pieces)
        if start is not None and end is not None:
            return _range(start, end, cleaned)
    fields = _fields(cleaned)
    if fields is None:
        raise ValueError(_not_read(text))
    _check_real(fields, cleaned)
    return TypedDate(fields, fields)


def nearest_year(years: Iterable[int], today: dt.date, month: int, day: int | None) -> int:
    """The year the articles are about for a day or month typed without one: the year nearest to today
    among ``years`` (those with events then), else the latest such day on or before today."""
    candidates = sorted(set(years))
    if candidates:
        return min(candidates, key=lambda year: (abs(today.year - year), year))  # a tie: the past
    return today.year - ((month, day or 1) > (today.month, today.day))


# -- pieces ----------------------------------------------------------------------------------------------


def _fields(text: str) -> _Fields | None:
    """One date as typed: ISO first (so "2019-04" is a month), then anything dateutil reads."""
    if (iso := _ISO.fullmatch(text)) is not None:
        return tuple(int(v) if v else None for v in iso.group("year", "month", "day"))  # type: ignore[return-value]
    return _dateutil_fields(text)


def _dateutil_fields(text: str) -> _Fields | None:
    """Fields dateutil reads, keeping only those it did not fill in from its default."""
    try:
        first, second = (
            dateutil_parser.parse(text, default=default, dayfirst=True, ignoretz=True) for default in _PROBES
        )
    except (ValueError, OverflowError, TypeError):
        return None
    year = first.year if first.year == second.year and _WRITTEN_YEAR.search(text) else None
    month = first.month if first.month == second.month else None
    day = first.day if first.day == second.day else None
    if month is None and (day is not None or year is None):
        return None
    if first.year == second.year and year is None:
        return None  # a number dateutil took for a year that does not look like one
    if re.search(r"[a-z]", text, re.IGNORECASE) and not re.search(_MONTH, text, re.IGNORECASE):
        return None  # words dateutil skipped ("Tuesday 8", "mid-April")
    return year, month, day


def _range(start: _Fields, end: _Fields, text: str) -> TypedDate:
    if end[1] is None and start[1] is not None and end[0] is None:
        raise ValueError(_not_read(text))
    if start[0] is None and start[1] is None:
        raise ValueError(_not_read(text))
    _check_real(start, text)
    _check_real(end, text)
    return TypedDate(start, end)


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return 9 if name == "sept" else next(n for n, m in enumerate(_MONTHS, 1) if m.startswith(name[:3]))


def _week_of(match: re.Match[str]) -> TypedDate:
    month = _month_number(match["month"])
    year = int(match["year"]) if match["year"] else None
    which = match["which"].lower()
    last_day = calendar.monthrange(year or 2001, month)[1]
    start = last_day - 6 if which in {"last", "final"} else _WEEK_STARTS[which]
    return TypedDate((year, month, start), (year, month, min(start + 6, last_day)))


def _part_of(match: re.Match[str]) -> TypedDate:
    month = _month_number(match["month"])
    year = int(match["year"]) if match["year"] else None
    part = match["part"].split()[0].lower()
    first, last = _PART_DAYS.get(part, (21, calendar.monthrange(year or 2001, month)[1]))
    return TypedDate((year, month, first), (year, month, last))


def _date(fields: _Fields) -> PartialDate:
    year, month, day = fields
    if year is None or not 1000 <= year <= 9999:
        raise ValueError(f"{year} is not a year I can look up")
    try:
        return PartialDate(year, month, day)
    except ValueError:
        raise ValueError(f"{day} {calendar.month_abbr[month or 1]} {year} is not a real date") from None


def _check_real(fields: _Fields, text: str) -> None:
    """Refuse 31 April or month 13 now, whatever year is filled in later (29 February waits)."""
    year, month, day = fields
    if year is not None and not 1000 <= year <= 9999:
        raise ValueError(f"'{_shown(text)}' is not a real date; {HINT}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"'{_shown(text)}' is not a real date; {HINT}")
    if month is not None and day is not None and day > calendar.monthrange(year or 2000, month)[1]:
        raise ValueError(f"'{_shown(text)}' is not a real date; {HINT}")


def _not_read(text: str) -> str:
    """What could not be read, and what in it was understood."""
    shown = _shown(text)
    understood = [f"the month {m.title()}" for m in _MONTHS if re.search(rf"\b{m[:3]}", text, re.IGNORECASE)]
    understood += [f"the year {n}" for n in _NUMBER.findall(text) if len(n) == 4 and 1000 <= int(n) <= 9999]
    understood += [f"the number {n}" for n in _NUMBER.findall(text) if len(n) <= 2]
    understood = list(dict.fromkeys(understood))
    if not understood:
        return f"I couldn't read '{shown}' as a date; {HINT}"
    return f"I couldn't read '{shown}' as a date (I understood {', '.join(understood[:4])}); {HINT}"


def _shown(text: str) -> str:
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    shown = " ".join(printable.split())
    return shown if len(shown) <= 40 else shown[:39] + "…"
