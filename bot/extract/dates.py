"""Finding, resolving and parsing dates in article text.

``find_dates`` lists the date expressions of one sentence, unresolved; ``DateResolver`` reads a
document's sentences in order and turns them into ``PartialDate`` values; ``infer_default_year``
guesses the year of yearless dates when an article has no publication date; ``parse_published`` and
``find_header_date`` read dates from front matter and article headers (dates typed in commands:
``bot/userdates.py``).

What counts as a date expression
    * Day dates: ``April 8``, ``Jan. 14``, ``April 8, 2019``, ``8 April 2019``, ``the 8th of April``,
      ``Monday, April 8``, ``2019-04-08``, and ranges (``April 4-16``, ``8 and 10 April``: one
      mention per day). Month dates: ``November 2018``, and a bare month name only after a
      temporal preposition (``in March``, ``since May``, ``between February and April``) or a
      qualifier (``mid-April``, ``early March``). This is what keeps the modal ``may``, ``a
      march on Tripoli`` and ``Theresa May`` out. Bare month names must be spelled in full.
    * A bare four-digit year (1900-2099) only after a temporal preposition or a qualifier
      (``in 2018``, ``since 2014``, ``late 2018``, ``the summer of 2018``, ``between 2011 and
      2014``). Attributive years (``the 2011 uprising``) name an event rather than date the
      clause, so they are not emitted; neither are counts (``300 troops``, ``2,000 fighters``),
      ``Resolution 2259``, decades (``the 1990s``) or ``the Second World War``.
    * Relative expressions: counted offsets (``three days later``, ``a week earlier``, ``two
      years ago``), ``the next/following/previous day|week|month|year``, ``the day before``,
      ``that day``, ``yesterday``/``today``/``tomorrow``, ``last/this/next week|month|year``
      (``earlier this month``, ``late last year``), weekdays (``on Tuesday``, ``last Tuesday``,
      ``the following Tuesday``) and ``last/next March``. Spans such as ``the past year``,
      ``the last year`` or ``over the next month`` are not dates and are not emitted.
    * A mention's span includes a leading preposition (``On April 8``, ``since 2014``) but not a
      list connector (``and``, ``to``). ``approximate`` marks week-level offsets and
      ``early/mid/late``, ``the end of`` and season qualifiers.

How ``DateResolver`` resolves
    * The *anchor* for relative expressions is the first date (the main clause's) of the most
      recent sentence that had one; within a sentence, the sentence's own first date is used.
      Explicit dates always count; relative ones only when they resolved to an exact day
      ("Three days later ... The next day ..." chains). Week-level results are approximate and
      never become anchors, so no exact day is built on a guess.
    * A date without a year: the *document year* is the publication year, else
      ``default_year``. The *year context* is the last anchoring date read. Without context the
      document year is used; without a document year, the context's year (so set
      ``default_year`` from ``infer_default_year`` when nothing better is known). While the
      context is in another year than the document (an explicit flashback such as ``in
      November 2018``), a yearless month at or after the context's month continues that year;
      an earlier month means the narrative moved on, so it takes the next year, capped at the
      document year. Finally, a result more than
      ``_FUTURE_MONTHS`` months after a month-precise publication date is moved back a year
      (published January 2020, ``in November`` -> November 2019). With no year anywhere the
      date is ``None``: a year is never invented.
    * Deictic expressions (``yesterday``, ``on Tuesday``, ``last month``) count from the
      publication date when it is precise enough (day for day/week/weekday offsets, month for
      month offsets, year for year offsets), else from the anchor under the same requirement;
      story-relative ones (``three days later``) count from the anchor only. A reference that
      is not precise enough gives ``None`` rather than an invented day. ``on Tuesday`` is the
      latest Tuesday on or before the reference, ``last Tuesday`` the latest strictly before,
      ``next Tuesday`` the first strictly after. Week offsets move by seven days.

Limits: a flashback that continues into later months of its own year without repeating the
year is read correctly only while its months keep increasing; ``the September 11 attacks``
resolves to September 11 of the document year; numeric dates (``08/04/2019``) are not read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

from bot.extract.model import PartialDate, Precision

# --- lexicon ---------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    **{word: value for value, word in enumerate(_ONES, start=1)},
    **{word: value for value, word in enumerate(_TEENS, start=10)},
    "twenty": 20,
    "thirty": 30,
    **{
        f"twenty{joint}{word}": 20 + value
        for value, word in enumerate(_ONES, start=1)
        for joint in ("-", " ")
    },
}
# Words that turn a following weekday into a name: "Bloody Sunday", "Good Friday".
WEEKDAY_NAME_WORDS = frozenset(
    {"bloody", "good", "black", "holy", "ash", "palm", "easter", "super", "cyber", "maundy", "shrove", "fat"}
)
# "over the next year", "for the following month": a stretch of time, not a date.
SPAN_WORDS = frozenset({"over", "within", "during", "for", "throughout", "in", "into", "across"})
PREPOSITIONS = (
    "throughout",
    "through",
    "since",
    "until",
    "till",
    "by",
    "from",
    "during",
    "before",
    "after",
    "between",
    "around",
    "circa",
    "as of",
    "on",
    "in",
)
CONNECTORS = frozenset({"and", "or", "to"})

# A yearless month more than this many months after the publication month is read as last year's.
_FUTURE_MONTHS = 3

# --- model -----------------------------------------------------------------------------------

Unit = Literal["day", "week", "month", "year", "weekday", "month_name"]


@dataclass(frozen=True)
class Offset:
    """A date relative to a reference: ``amount`` units after it (negative: before).

    For ``weekday`` and ``month_name`` the ``target`` is the weekday (0 = Monday) or month
    (1-12) and ``amount`` is -1 (latest strictly before), 0 (latest on or before; for months,
    the reference's year) or 1 (first strictly after).
    """

    amount: int
    unit: Unit
    deictic: bool  # counts from the publication date ("yesterday"), not the story ("the day before")
    target: int | None = None


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence; ``date`` is filled in by ``DateResolver``."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    offset: Offset | None = None
    approximate: bool = False
    date: PartialDate | None = None

    @property
    def relative(self) -> bool:
        return self.offset is not None


class _Candidate(NamedTuple):
    mention: DateMention
    linked: bool  # valid only right after another date: "and 2014" in "between 2011 and 2014"


# --- regular expressions ---------------------------------------------------------------------


def _words(names: Sequence[str]) -> str:
    """Alternation of the names as Capitalised or UPPER words, longest first."""
    forms = {form for name in names for form in (name.capitalize(), name.upper())}
    return "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))


def _any_case(names: Sequence[str]) -> str:
    escaped = (re.escape(name).replace(r"\ ", r"\s+") for name in sorted(names, key=len, reverse=True))
    return "(?i:" + "|".join(escaped) + ")"


_FULL_MONTH = rf"(?:{_words(list(MONTHS))})(?!\w)"
_MONTH = rf"(?P<month>{_FULL_MONTH}|(?:{_words(list(MONTH_ABBREVIATIONS))})\.?(?!\w))"
_WEEKDAY = rf"(?:{_words(list(WEEKDAYS))})(?!\w)"
_END_NUMBER = r"(?![\w%])(?![.,:]\d)"  # not part of a longer number, a time or a percentage
_RANGE = r"\s*(?:[-–—]|(?i:and|to|through|until|till)\s)\s*"
_PREFIX = rf"(?:(?<!\w)(?P<prep>{_any_case([*PREPOSITIONS, *CONNECTORS])})\s+)?"
_WEEKDAY_PREFIX = rf"(?:(?<!\w){_WEEKDAY},?\s+)?"
_MONTH_QUALIFIER = (
    r"(?P<qual>(?i:early|mid|late)(?:-|\s+)|(?i:end)-"
    r"|(?i:(?:the\s+)?(?:end|beginning|start|middle)\s+of)\s+)?"
)
_YEAR_QUALIFIER = (
    r"(?P<qual>(?i:early|mid|late)(?:-|\s+)|(?i:end)-"
    r"|(?i:(?:the\s+)?(?:end|beginning|start|middle)\s+of)\s+"
    r"|(?i:(?:the\s+)?(?:spring|summer|autumn|fall|winter)(?:\s+of)?)\s+)?"
)
_TIME = r"(?:(?:T|\s+)\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"


def _day(name: str) -> str:
    return rf"(?P<{name}>[0-3]?\d(?:st|nd|rd|th)?){_END_NUMBER}"


def _year(name: str) -> str:
    return rf"(?<![\w.,$£€])(?P<{name}>(?:19|20)\d\d){_END_NUMBER}"


_ISO_DATE = re.compile(
    _PREFIX + rf"(?<![\w-])(?P<year>\d{{4}})-(?P<month>\d\d)-(?P<day>\d\d){_TIME}(?![\w-])"
)
_MONTH_DAY = re.compile(
    _PREFIX
    + _WEEKDAY_PREFIX
    + rf"(?<!\w){_MONTH}\s+{_day('day')}(?:{_RANGE}{_day('day2')})?(?:,?\s+{_year('year')})?"
)
_DAY_MONTH = re.compile(
    _PREFIX
    + _WEEKDAY_PREFIX
    + rf"(?:(?i:the)\s+)?(?<![\w.,])(?:{_day('day0')}{_RANGE})?{_day('day')}\s+(?:(?i:of)\s+)?"
    + rf"{_MONTH}(?:,?\s+{_year('year')})?"
)
_MONTH_YEAR = re.compile(
    _PREFIX
    + _MONTH_QUALIFIER
    + rf"(?<!\w){_MONTH}(?:,?\s+{_year('year')}|\s+(?:(?i:of)\s+)?['’](?P<short_year>\d\d)(?!\w))"
)
_MONTH_ALONE = re.compile(_PREFIX + _MONTH_QUALIFIER + rf"(?<!\w)(?P<month>{_FULL_MONTH})(?!['’]s)")
_YEAR_ALONE = re.compile(
    _PREFIX + _YEAR_QUALIFIER + _year("year") + rf"(?:[-–](?P<year2>(?:19|20)\d\d|\d\d){_END_NUMBER})?"
)

_COUNT = rf"(?P<count>{_any_case(list(NUMBER_WORDS))}(?!\w)|\d{{1,3}}(?!\d))"
_COUNTED = re.compile(
    rf"(?<!\w){_COUNT}\s+(?P<unit>(?i:day|week|month|year)s?)\s+"
    r"(?P<direction>(?i:later|earlier|afterwards?|ago|on|after|before|prior))(?!\w)"
)
_THE_NEXT = re.compile(
    r"(?<!\w)(?i:the)\s+(?P<which>(?i:next|following|previous|preceding|same))\s+"
    r"(?P<unit>(?i:day|morning|afternoon|evening|night|week|month|year))(?![-\w])"
)
_THE_UNIT_BEFORE = re.compile(
    r"(?<!\w)(?i:the)\s+(?P<unit>(?i:day|week|month|year))\s+(?P<direction>(?i:before|after|earlier|later))(?!\w)"
)
_THAT_UNIT = re.compile(
    r"(?<!\w)(?:(?i:earlier|later)\s+)?(?i:that)\s+(?:(?i:same)\s+)?"
    r"(?P<unit>(?i:day|morning|afternoon|evening|night|week|month|year))(?![-\w])"
)
_TODAY = re.compile(
    r"(?<!\w)(?P<word>(?i:yesterday|today|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening)))(?!\w)"
)
_THIS_UNIT = re.compile(
    r"(?<!\w)(?:(?P<qual>(?i:early|late|earlier|later))\s+)?(?P<which>(?i:last|this|next))\s+"
    r"(?P<unit>(?i:week|month|year))(?![-\w])"
)
_NAMED_WEEKDAY = re.compile(
    r"(?:(?<!\w)(?P<lead>(?i:on|last|next|this|the\s+following|the\s+next|the\s+previous|the\s+preceding))\s+)?"
    rf"(?<!\w)(?P<weekday>{_WEEKDAY})"
)
_NAMED_MONTH = re.compile(
    rf"(?<!\w)(?P<lead>(?i:last|next|this))\s+(?P<month>{_FULL_MONTH})(?!\s+[0-3]?\d(?!\d))"
)

_ENDS_CLAUSE = re.compile(r"\s*(?:[,.;:!?)\]—–]|$)")
_CONNECTOR_GAP = re.compile(r"\s*,?\s*(?i:and|or|to)\s+")
_LIST_GAP = re.compile(r"\s*,?\s*(?:(?i:and|or|to|through|until|till)\s+|[-–—]\s*)")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_UNIT_WORDS: dict[str, Unit] = {
    "day": "day",
    "morning": "day",
    "afternoon": "day",
    "evening": "day",
    "night": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}

# --- finding ---------------------------------------------------------------------------------


def find_dates(sentence: str) -> list[DateMention]:
    """Every date expression in the sentence, in order, with ``date`` still ``None``."""
    candidates = [
        candidate
        for pattern, build in _RULES
        for match in pattern.finditer(sentence)
        for candidate in build(match)
    ]
    return _share_years(sentence, _select(sentence, candidates))


def _select(sentence: str, candidates: list[_Candidate]) -> list[DateMention]:
    """Leftmost-longest non-overlapping candidates; linked ones only right after a kept date."""
    kept: list[DateMention] = []
    for mention, linked in sorted(candidates, key=lambda c: (c.mention.start, -c.mention.end)):
        if kept and mention.start < kept[-1].end:
            continue
        if linked and not (kept and _CONNECTOR_GAP.fullmatch(sentence, kept[-1].end, mention.start)):
            continue
        kept.append(mention)
    return kept


def _share_years(sentence: str, mentions: list[DateMention]) -> list[DateMention]:
    """Give a listed yearless date the year of the next one: "March 3 and April 5, 2019"."""
    shared = list(mentions)
    for index in range(len(shared) - 2, -1, -1):
        first, second = shared[index], shared[index + 1]
        if (
            first.offset is None
            and first.year is None
            and first.month is not None
            and second.offset is None
            and second.year is not None
            and second.month is not None
            and _LIST_GAP.fullmatch(sentence, first.end, second.start)
        ):
            year = second.year - (first.month > second.month)
            if _valid_day(year, first.month, first.day):
                shared[index] = replace(first, year=year)
    return shared


def _word_before(match: re.Match[str], index: int | None = None) -> str:
    end = match.start() if index is None else index
    found = _WORD_BEFORE.search(match.string, max(0, end - 40), end)
    return found.group(1).lower() if found else ""


def _start(match: re.Match[str]) -> int:
    """Where the mention begins: a leading preposition belongs to it, a list connector does not."""
    if not _is_linked(match):
        return match.start()
    after_connector = match.string[match.end("prep") : match.end()]
    return match.end() - len(after_connector.lstrip())


def _mention(
    match: re.Match[str],
    start: int,
    end: int,
    *,
    year: int | None = None,
    month: int | None = None,
    day: int | None = None,
    offset: Offset | None = None,
    approximate: bool = False,
) -> DateMention:
    return DateMention(start, end, match.string[start:end], year, month, day, offset, approximate)


def _month_number(token: str) -> int:
    word = token.lower().rstrip(".")
    return MONTHS.get(word) or MONTH_ABBREVIATIONS[word]


def _day_number(token: str) -> int:
    return int(token.rstrip("stndrh"))


def _valid_day(year: int | None, month: int, day: int | None) -> bool:
    """Whether the day exists in the month (29 February counts when the year is unknown)."""
    return day is None or 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _is_linked(match: re.Match[str]) -> bool:
    prep = match.group("prep")
    return prep is not None and prep.lower() in CONNECTORS


def _build_iso(match: re.Match[str]) -> Iterator[_Candidate]:
    year, month, day = (int(match.group(name)) for name in ("year", "month", "day"))
    if 1 <= month <= 12 and _valid_day(year, month, day):
        yield _Candidate(_mention(match, _start(match), match.end(), year=year, month=month, day=day), False)


def _build_month_day(match: re.Match[str]) -> Iterator[_Candidate]:
    """``April 8``, ``April 8, 2019``, ``April 4-16``; the March 14 Alliance is a name."""
    year = int(match.group("year")) if match.group("year") else None
    month = _month_number(match.group("month"))
    if year is None and _word_before(match) == "the" and re.match(r"\s+[A-Z]", match.string[match.end() :]):
        return
    days = [("day", _day_number(match.group("day")))]
    if match.group("day2") and (year or not re.match(r"\s+[a-z]", match.string[match.end() :])):
        days.append(("day2", _day_number(match.group("day2"))))
    yield from _day_candidates(match, year, month, days)


def _build_day_month(match: re.Match[str]) -> Iterator[_Candidate]:
    """``8 April 2019``, ``the 14th of January``, ``8-10 April``."""
    year = int(match.group("year")) if match.group("year") else None
    days = [("day", _day_number(match.group("day")))]
    if match.group("day0"):
        days.insert(0, ("day0", _day_number(match.group("day0"))))
    yield from _day_candidates(match, year, _month_number(match.group("month")), days)


def _day_candidates(
    match: re.Match[str], year: int | None, month: int, days: list[tuple[str, int]]
) -> Iterator[_Candidate]:
    """One mention per day of a (possibly one-day) range; the last one runs to the match's end."""
    if not all(_valid_day(year, month, day) for _, day in days):
        return
    for index, (group, day) in enumerate(days):
        start = _start(match) if index == 0 else match.start(group)
        end = match.end() if index == len(days) - 1 else match.end(group)
        yield _Candidate(_mention(match, start, end, year=year, month=month, day=day), False)


def _build_month_year(match: re.Match[str]) -> Iterator[_Candidate]:
    """``March 2019``, ``August of ’23`` (a two-digit year is this century's)."""
    year = int(match.group("year")) if match.group("year") else 2000 + int(match.group("short_year"))
    mention = _mention(
        match,
        _start(match),
        match.end(),
        year=year,
        month=_month_number(match.group("month")),
        approximate=bool(match.group("qual")),
    )
    yield _Candidate(mention, False)


def _build_month_alone(match: re.Match[str]) -> Iterator[_Candidate]:
    """A bare month counts only after a preposition or qualifier: "in May", not "may"/"May said"."""
    if match.group("prep") is None and match.group("qual") is None:
        return
    mention = _mention(
        match,
        _start(match),
        match.end(),
        month=_month_number(match.group("month")),
        approximate=bool(match.group("qual")),
    )
    yield _Candidate(mention, _is_linked(match) and match.group("qual") is None)


def _build_year_alone(match: re.Match[str]) -> Iterator[_Candidate]:
    """A bare year counts only after a preposition or qualifier: "in 2018", "late 2018"."""
    if match.group("prep") is None and match.group("qual") is None:
        return
    year = int(match.group("year"))
    approximate = bool(match.group("qual"))
    linked = _is_linked(match) and not approximate
    if not match.group("year2"):
        mention = _mention(match, _start(match), match.end(), year=year, approximate=approximate)
        yield _Candidate(mention, linked)
        return
    second = int(match.group("year2"))
    second += 0 if second > 99 else year // 100 * 100
    if second > year:
        yield _Candidate(
            _mention(match, _start(match), match.end("year"), year=year, approximate=approximate), linked
        )
        yield _Candidate(_mention(match, match.start("year2"), match.end(), year=second), False)


def _relative(match: re.Match[str], offset: Offset, *, approximate: bool = False) -> _Candidate:
    mention = _mention(
        match, match.start(), match.end(), offset=offset, approximate=approximate or offset.unit == "week"
    )
    return _Candidate(mention, False)


def _build_counted(match: re.Match[str]) -> Iterator[_Candidate]:
    """``three days later``, ``a week earlier``, ``two years ago``."""
    direction = match.group("direction").lower()
    if direction in {"on", "after", "before", "prior"} and not _ENDS_CLAUSE.match(match.string, match.end()):
        return  # "three days after the vote" counts from an event, not from a date
    count = match.group("count").lower()
    amount = int(count) if count.isdigit() else NUMBER_WORDS[" ".join(count.split())]
    sign = -1 if direction in {"earlier", "ago", "before", "prior"} else 1
    unit = _UNIT_WORDS[match.group("unit").lower().rstrip("s")]
    yield _relative(match, Offset(sign * amount, unit, deictic=direction == "ago"))


def _build_the_next(match: re.Match[str]) -> Iterator[_Candidate]:
    """``the next day``, ``the following month``, ``the same day``; not "over the next year"."""
    unit = _UNIT_WORDS[match.group("unit").lower()]
    if unit != "day" and _word_before(match) in SPAN_WORDS:
        return
    which = match.group("which").lower()
    amount = {"next": 1, "following": 1, "same": 0}.get(which, -1)
    yield _relative(match, Offset(amount, unit, deictic=False))


def _build_unit_before(match: re.Match[str]) -> Iterator[_Candidate]:
    """``the day before``, ``the week after`` (but "the day after the vote" names an event)."""
    direction = match.group("direction").lower()
    if direction in {"before", "after"} and not _ENDS_CLAUSE.match(match.string, match.end()):
        return
    amount = -1 if direction in {"before", "earlier"} else 1
    yield _relative(match, Offset(amount, _UNIT_WORDS[match.group("unit").lower()], deictic=False))


def _build_that_unit(match: re.Match[str]) -> Iterator[_Candidate]:
    yield _relative(match, Offset(0, _UNIT_WORDS[match.group("unit").lower()], deictic=False))


def _build_today(match: re.Match[str]) -> Iterator[_Candidate]:
    before = match.string[: match.start()].rstrip()
    if match.group("word")[:1].isupper() and before and before.split()[-1][:1].isupper():
        return  # "Russia Today", "USA Today": a name
    word = " ".join(match.group("word").lower().split())
    amount = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    yield _relative(match, Offset(amount, "day", deictic=True))


def _build_this_unit(match: re.Match[str]) -> Iterator[_Candidate]:
    """``last week``, ``earlier this month``, ``late last year``; "the last year" is a span."""
    which = match.group("which").lower()
    if _word_before(match) in {"the", "past"}:
        return
    qualifier = (match.group("qual") or "").lower()
    amount = {"last": -1, "this": 0, "next": 1}[which]
    offset = Offset(amount, _UNIT_WORDS[match.group("unit").lower()], deictic=True)
    yield _relative(match, offset, approximate=qualifier in {"early", "late"})


def _build_weekday(match: re.Match[str]) -> Iterator[_Candidate]:
    """``on Tuesday``, ``last Tuesday``, ``the following Tuesday``; not "Good Friday"."""
    if _word_before(match, match.start("weekday")) in WEEKDAY_NAME_WORDS:
        return
    lead = " ".join((match.group("lead") or "on").lower().split())
    amount, deictic = {
        "last": (-1, True),
        "next": (1, True),
        "the following": (1, False),
        "the next": (1, False),
        "the previous": (-1, False),
        "the preceding": (-1, False),
    }.get(lead, (0, True))
    target = WEEKDAYS[match.group("weekday").lower()]
    yield _relative(match, Offset(amount, "weekday", deictic=deictic, target=target))


def _build_named_month(match: re.Match[str]) -> Iterator[_Candidate]:
    """``last March``: the latest March before the reference month."""
    amount = {"last": -1, "this": 0, "next": 1}[match.group("lead").lower()]
    target = _month_number(match.group("month"))
    yield _relative(match, Offset(amount, "month_name", deictic=True, target=target))


_Builder = Callable[[re.Match[str]], Iterator[_Candidate]]
_RULES: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_ISO_DATE, _build_iso),
    (_MONTH_DAY, _build_month_day),
    (_DAY_MONTH, _build_day_month),
    (_MONTH_YEAR, _build_month_year),
    (_MONTH_ALONE, _build_month_alone),
    (_YEAR_ALONE, _build_year_alone),
    (_COUNTED, _build_counted),
    (_THE_NEXT, _build_the_next),
    (_THE_UNIT_BEFORE, _build_unit_before),
    (_THAT_UNIT, _build_that_unit),
    (_TODAY, _build_today),
    (_THIS_UNIT, _build_this_unit),
    (_NAMED_WEEKDAY, _build_weekday),
    (_NAMED_MONTH, _build_named_month),
)

# --- resolving -------------------------------------------------------------------------------

_NEEDS: dict[Unit, Precision] = {
    "day": "day",
    "week": "day",
    "weekday": "day",
    "month": "month",
    "month_name": "month",
    "year": "year",
}
_RANK: dict[Precision, int] = {"year": 0, "month": 1, "day": 2}


_CHAIN_PARAGRAPHS = 2


class DateResolver:
    """Resolves the date mentions of one document, read sentence by sentence in order."""

    def __init__(self, published: PartialDate | None, default_year: int | None) -> None:
        self._published = published
        self._document_year = published.year if published is not None else default_year
        self._anchor: PartialDate | None = None
        self._anchor_paragraph: int | None = None
        self._context: PartialDate | None = None
        self._context_paragraph: int | None = None
        self._paragraph: int | None = None

    def resolve(self, sentence: str, paragraph: int | None = None) -> list[DateMention]:
        """The sentence's mentions with ``date`` filled in where possible; moves the anchor.

        "Two days later" counts from a date at most ``_CHAIN_PARAGRAPHS`` paragraphs back (``paragraph``
        given): a date further back belongs to another part of the story, so the mention stays unresolved.
        """
        resolved: list[DateMention] = []
        first: PartialDate | None = None
        last = self._anchor_paragraph
        self._paragraph = paragraph
        near = paragraph is None or last is None or paragraph - last <= _CHAIN_PARAGRAPHS
        anchor = self._anchor if near else None
        for mention in find_dates(sentence):
            date = self._date_for(mention, first or anchor)
            if date is not None and _anchors(mention, date):
                first = first or date
                self._context = date
                self._context_paragraph = paragraph
            resolved.append(replace(mention, date=date))
        if first is not None:
            self._anchor = first
            self._anchor_paragraph = paragraph
        return resolved

    def _date_for(self, mention: DateMention, anchor: PartialDate | None) -> PartialDate | None:
        if mention.offset is not None:
            reference = self._reference(mention.offset, anchor)
            return _apply(mention.offset, reference) if reference is not None else None
        if mention.year is not None:
            return PartialDate(mention.year, mention.month, mention.day)
        if mention.month is None:
            return None
        year = self._year_for(mention.month)
        if year is None or not _valid_day(year, mention.month, mention.day):
            return None
        return PartialDate(year, mention.month, mention.day)

    def _reference(self, offset: Offset, anchor: PartialDate | None) -> PartialDate | None:
        this_named_month = offset.unit == "month_name" and offset.amount == 0  # needs only a year
        needed: Precision = "year" if this_named_month else _NEEDS[offset.unit]
        candidates = (self._published, anchor) if offset.deictic else (anchor,)
        return next((c for c in candidates if c is not None and _RANK[c.precision] >= _RANK[needed]), None)

    def _year_for(self, month: int) -> int | None:
        """The year of a yearless month (see the module docstring)."""
        context, document = self._context, self._document_year
        if context is not None and context.precision == "year" and self._context_paragraph != self._paragraph:
            context = None  # "in 1987" two paragraphs back does not date "On July 28"
        if context is None:
            year = document
        elif document is None or context.year == document or context.month is None or month >= context.month:
            year = context.year
        else:
            year = min(context.year + 1, document)
        if year is None:
            return None
        published = self._published
        if (
            published is not None
            and published.month is not None
            and ((year - published.year) * 12 + month - published.month > _FUTURE_MONTHS)
        ):
            year -= 1
        return year


def _anchors(mention: DateMention, date: PartialDate) -> bool:
    """Explicit dates anchor; relative ones only when they gave an exact day."""
    return mention.offset is None or (date.precision == "day" and not mention.approximate)


def _apply(offset: Offset, reference: PartialDate) -> PartialDate:
    if offset.unit == "day":
        return PartialDate.from_date(reference.first_day() + dt.timedelta(days=offset.amount))
    if offset.unit == "week":  # "last week", "a week later": a week is no day, only its month is sure
        day = reference.first_day() + dt.timedelta(days=7 * offset.amount)
        return PartialDate(day.year, day.month)
    if offset.unit == "weekday":
        return PartialDate.from_date(_weekday(reference.first_day(), offset))
    if offset.unit == "month":
        index = reference.year * 12 + (reference.month or 1) - 1 + offset.amount
        return PartialDate(index // 12, index % 12 + 1)
    if offset.unit == "year":
        return PartialDate(reference.year + offset.amount)
    return _named_month(reference, offset)


def _weekday(reference: dt.date, offset: Offset) -> dt.date:
    target = offset.target or 0
    if offset.amount > 0:
        return reference + dt.timedelta(days=(target - reference.weekday()) % 7 or 7)
    back = (reference.weekday() - target) % 7
    return reference - dt.timedelta(days=back or (7 if offset.amount < 0 else 0))


def _named_month(reference: PartialDate, offset: Offset) -> PartialDate:
    target = offset.target or 1
    if offset.amount == 0 or reference.month is None:
        return PartialDate(reference.year, target)
    if offset.amount < 0:
        return PartialDate(reference.year - (target >= reference.month), target)
    return PartialDate(reference.year + (target <= reference.month), target)


# --- default year ----------------------------------------------------------------------------


def infer_default_year(texts: list[str]) -> int | None:
    """The year yearless dates most likely belong to, from the article's own explicit dates.

    Writers put a year on dates outside the story's year. So with explicitly yeared month
    dates, yearless months that all fall before the latest yeared month belong to the year
    after it ("November 2018" ... "February 16", "In March", "April 4" -> 2019); otherwise to
    that year ("January 2020" ... "March 3" -> 2020). A bare year later than every yeared month is
    a guess: the latest year if it is also the last mentioned, else ``None``. Bare years alone
    ("a border war in 1987") say nothing of the story's year: ``None``. It misreads articles that
    put a year on some current-year dates ("April 8, 2019 ... In March" -> 2020).
    """
    mentions = [m for text in texts for m in find_dates(text) if m.offset is None]
    yeared = [(m.year, m.month) for m in mentions if m.year is not None and m.month is not None]
    years = [m.year for m in mentions if m.year is not None]
    if not years:
        return None
    if yeared and max(yeared)[0] == max(years):
        latest_year, latest_month = max(yeared)
        yearless = [m.month for m in mentions if m.year is None and m.month is not None]
        moved_on = bool(yearless) and all(month < latest_month for month in yearless)
        return latest_year + 1 if moved_on else latest_year
    if not yeared:
        return None  # only bare years ("in 1987"): historical, no evidence of the story's year
    return years[-1] if years[-1] == max(years) else None


# --- parsing standalone dates ----------------------------------------------------------------

_Fields = tuple[int | None, int | None, int | None]
_ISO_PREFIX = re.compile(r"\s*(?P<year>\d{4})(?:([-/.])(?P<month>\d{1,2})(?:\2(?P<day>\d{1,2}))?)?")
_TIME_TAIL = re.compile(
    r"(?:(?:,?\s+(?:at\s+)?|T)\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:Z|[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}))?)?\s*",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]+")
_LEADING_PREPOSITION = re.compile(rf"{_any_case([*PREPOSITIONS, *CONNECTORS])}\s")


def _standalone(text: str) -> _Fields | None:
    """The date a string consists of, allowing a trailing time of day; ``None`` if it is not one."""
    iso = _ISO_PREFIX.match(text)
    if iso and _TIME_TAIL.fullmatch(text, iso.end()):
        year, month, day = (int(v) if v else None for v in iso.group("year", "month", "day"))
        return year, month, day
    capitalised = _LETTERS.sub(lambda word: word.group().capitalize(), text.strip())
    mentions = find_dates(capitalised)
    if len(mentions) != 1:
        return None
    mention = mentions[0]
    whole = mention.start == 0 and _TIME_TAIL.fullmatch(capitalised, mention.end)
    if mention.offset or mention.approximate or not whole or _LEADING_PREPOSITION.match(capitalised):
        return None
    return mention.year, mention.month, mention.day


def parse_published(value: str) -> PartialDate:
    """A front-matter publication date: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (time allowed) or
    a written date with a year ("14 January 2020", "January 14, 2020", "Jan 2020")."""
    fields = _standalone(value)
    if fields is None or fields[0] is None:
        raise ValueError(
            f"unreadable publication date {value!r}: expected YYYY, YYYY-MM, YYYY-MM-DD "
            "or a date with a year such as '14 January 2020'"
        )
    date = _safe_date(fields)
    if date is None:
        raise ValueError(f"publication date {value!r} is not a real date")
    return date


# --- header dates ----------------------------------------------------------------------------

_HEADER_LINES = 8
_HEADER_WORDS = 14
_LABEL = re.compile(
    r"(?i:(?P<published>(?:first\s+)?published|posted|dated?)|(?:last\s+)?(?:updated|modified))(?!\w)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*(?P<rest>.*)"
)
_DATELINE = re.compile(r"[A-Z][^(),]{0,40}(?P<when>,[^()]{0,60})?\([^()]{2,40}\)\s*[-–—]")


def find_header_date(lines: list[str], default_year: int | None = None) -> PartialDate | None:
    """The date a raw article gives itself in its first lines, or ``None``.

    Looks, in this order of preference, for a "Published:"/"Posted"/"Date:" label, a wire
    dateline ("MOSCOW, April 12 (Reuters) -"), a line that is only a date (a time may follow),
    or a short byline-like line (at most ``_HEADER_WORDS`` words, no closing full stop) holding
    a month or day with a year ("By AFP, 14 January 2020"), then an "Updated"/"Modified" label.
    A dateline without a year gives a date only if the caller knows ``default_year``; a year is
    never invented.
    """
    head = [line.strip() for line in lines if line.strip()][:_HEADER_LINES]
    best: tuple[int, PartialDate] | None = None
    for line in head:
        rank, date = _header_line_date(line, default_year)
        if date is not None and (best is None or rank < best[0]):
            best = rank, date
    return best[1] if best else None


def _header_line_date(line: str, default_year: int | None) -> tuple[int, PartialDate | None]:
    """(preference rank, date) for one header line."""
    label = _LABEL.match(line)
    if label:
        return (0 if label.group("published") else 2), _first_yeared(label.group("rest"), None)
    dateline = _DATELINE.match(line)
    if dateline:
        return 1, _first_yeared(dateline.group("when") or "", default_year)
    fields = _standalone(line)
    if fields is not None and fields[0] is not None:
        return 1, _safe_date(fields)
    if len(line.split()) <= _HEADER_WORDS and not line.endswith((".", "!", "?", "”", '"')):
        # needs a month: a headline such as "War in Yemen since 2014" is not dated 2014
        return 1, _first_yeared(line, None, need_month=True)
    return 3, None


def _first_yeared(text: str, default_year: int | None, *, need_month: bool = False) -> PartialDate | None:
    for mention in find_dates(text):
        year = mention.year or default_year
        explicit = mention.offset is None and not mention.approximate
        if explicit and year is not None and (mention.month or not need_month):
            return _safe_date((year, mention.month, mention.day))
    return None


def _safe_date(fields: _Fields) -> PartialDate | None:
    """The date, or ``None`` for 31 April, month 13 or a year outside 1000-9999."""
    year, month, day = fields
    if year is None or not 1000 <= year <= 9999:
        return None
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None
