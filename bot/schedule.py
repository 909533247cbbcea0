"""When a server's daily briefing goes out, as pure arithmetic on an aware UTC instant, a wall-clock time
and an IANA zone; and reading the time and zone an administrator types.

A day's *slot* is its local briefing time as a UTC instant. Where daylight saving makes that wall time not
exist (spring forward) the slot is the first valid instant after the gap (02:30 → 03:00); where the wall
time happens twice (fall back) the slot is its first occurrence. Either way a day has exactly one slot.

A server has *settled* every local date up to ``last_post_date`` (posted, or set up after its slot). The
next slot is the first unsettled one that is in the future or passed less than :data:`CATCH_UP` ago: a
slot missed while the bot was down still goes out, late, once; an older one is skipped for that day.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.text import escape, truncate

CATCH_UP = timedelta(hours=6)
ONE_DAY = timedelta(days=1)
POPULAR_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Cairo",
    "Africa/Tripoli",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
)
_UNUSABLE_ZONES = frozenset({"Factory", "localtime", "posixrules"})
_CLOSE_MATCH_CUTOFF = 0.72
_TIME_EXAMPLES = "Write it like 08:00, 8am or 8:30 pm."
_CLOCK = re.compile(r"(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?")
_COMPACT = re.compile(r"(?P<hour>\d{1,2})(?P<minute>\d{2})")
_HALF = re.compile(r"\s*(?P<half>[ap])\.?\s*(?:m\.?)?", re.IGNORECASE)
_WORDS = {"noon": time(12), "midday": time(12), "midnight": time(0)}


class TimeOfDayError(ValueError):
    """A typed time that is not a time of day; the message says what was understood, for the user."""


@dataclass(frozen=True)
class Slot:
    day: date  # the local date this briefing belongs to
    at: datetime  # when it goes out, in UTC


# -- slots -----------------------------------------------------------------------------------------------


def local_date(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def slot_on(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``day``'s briefing: the first occurrence of the wall time ``at``, or the end of
    the gap when daylight saving skips it."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wall:
        return first
    return _end_of_gap(wall, zone)


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """The first instant whose local time is at or after the nonexistent ``wall``: the transition itself.

    Read with the offset after the transition, ``wall`` lands before it; with the offset before, after it.
    Offsets change on whole seconds, so a binary search over seconds finds the transition exactly."""
    before = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    after = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    while after - before > 1:
        middle = (before + after) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), zone) >= wall:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


def next_slot(now: datetime, at: time, zone: ZoneInfo, settled: date | None) -> Slot:
    """The next briefing: the first unsettled day whose slot is ahead or passed less than CATCH_UP ago
    (yesterday's slot counts too, so an outage across midnight is caught up)."""
    day = local_date(now, zone) - ONE_DAY
    if settled is not None and settled >= day:
        day = settled + ONE_DAY
    while now - (moment := slot_on(day, at, zone)) >= CATCH_UP:
        day += ONE_DAY
    return Slot(day, moment)


def due_slot(now: datetime, at: time, zone: ZoneInfo, settled: date | None) -> Slot | None:
    """The briefing to post now, if any (on time or caught up within CATCH_UP)."""
    slot = next_slot(now, at, zone, settled)
    return slot if slot.at <= now else None


def last_passed_day(now: datetime, at: time, zone: ZoneInfo) -> date:
    """The latest local date whose slot is not after ``now``: a new schedule settles it, so setting up at
    10:00 for 08:00 waits for tomorrow instead of posting a "late" briefing at once."""
    day = local_date(now, zone)
    return day if slot_on(day, at, zone) <= now else day - ONE_DAY


# -- what people type ------------------------------------------------------------------------------------


def parse_time_of_day(text: str) -> time:
    """ "08:00", "8am", "8:30 pm", "20.15", "0830", "noon" → a time; :class:`TimeOfDayError` otherwise."""
    typed = text.strip()
    shown = escape(truncate(" ".join(typed.split()), 40))
    if typed.lower() in _WORDS:
        return _WORDS[typed.lower()]
    found = _read_clock(typed)
    if found is None:
        raise TimeOfDayError(f"I couldn't read “{shown}” as a time of day. {_TIME_EXAMPLES}")
    hour, minute, suffix = found
    if minute > 59:
        raise TimeOfDayError(f"I read “{shown}” as {hour} h {minute} min, but minutes go from 00 to 59.")
    if suffix is None:
        if hour > 23:
            raise TimeOfDayError(f"I read “{shown}” as {hour}:{minute:02d}, but hours go from 0 to 23.")
        return time(hour, minute)
    if not 1 <= hour <= 12:
        raise TimeOfDayError(
            f"I read “{shown}” as {hour}:{minute:02d} {suffix}, but with am/pm the hour goes from 1 to 12."
        )
    return time(hour % 12 + (12 if suffix == "pm" else 0), minute)


def _read_clock(typed: str) -> tuple[int, int, str | None] | None:
    """(hour, minute, "am"/"pm"/None) as written, before any range check; None if it is no clock time."""
    for pattern in (_CLOCK, _COMPACT):
        found = pattern.match(typed)
        if found is None:
            continue
        rest = typed[found.end() :]
        half = _HALF.fullmatch(rest) if rest else None
        if rest and half is None:
            continue
        suffix = half["half"].lower() + "m" if half else None
        return int(found["hour"]), int(found["minute"] or 0), suffix
    return None


@cache
def _zones_by_key() -> dict[str, str]:
    return {_zone_key(name): name for name in available_timezones() - _UNUSABLE_ZONES}


@cache
def zone_names() -> tuple[str, ...]:
    """The names worth offering: Area/City ones and UTC (no legacy aliases such as "EST5EDT", and no
    "Etc/GMT+3", whose sign is the reverse of what people expect)."""
    names = _zones_by_key().values()
    return tuple(sorted(n for n in names if n == "UTC" or ("/" in n and not n.startswith("Etc/"))))


def _zone_key(text: str) -> str:
    return "_".join(text.strip().lower().replace("_", " ").split())


def resolve_zone(text: str) -> str | None:
    """The IANA name ``text`` means, ignoring case and spaces for underscores ("europe/moscow",
    "America/New York"); None when there is no such zone."""
    return _zones_by_key().get(_zone_key(text))


_OFFSET = re.compile(r"(?:utc|gmt|z)?\s*(?P<sign>[+-−])\s*(?P<hours>\d{1,2})(?:\s*:?\s*(?P<minutes>\d{2}))?")
_NAMED_UTC = frozenset({"utc", "gmt", "z", "zulu", "utc+0", "utc-0", "gmt+0", "gmt-0"})


@dataclass(frozen=True)
class ZoneChoice:
    """The zone to use for what was typed, and a warning to show with it (or None)."""

    zone: str
    note: str | None = None


def read_zone(text: str, now: datetime) -> ZoneChoice | None:
    """An IANA name, a city that names a zone ("Tripoli", "new york"), or a UTC offset ("UTC+2",
    "GMT-5", "+05:30") answered with a zone that has that offset today; None when it is none of these."""
    if (exact := resolve_zone(text)) is not None:
        return ZoneChoice(exact)
    query = " ".join(text.strip().lower().replace("_", " ").split(","))
    query = " ".join(query.split())
    if query in _NAMED_UTC:
        return ZoneChoice("UTC")
    if (offset := _typed_offset(query)) is not None:
        return _zone_with_offset(offset, now.date())
    for candidate in (query, query.split(" ")[0] if " " in query else None):
        cities = _zones_by_city().get(candidate or "")
        if cities:
            return ZoneChoice(min(cities, key=lambda name: (name not in POPULAR_ZONES, len(name), name)))
    return None


def _city(name: str) -> str:
    return name.rsplit("/", 1)[-1].lower().replace("_", " ")


@cache
def _zones_by_city() -> dict[str, list[str]]:
    """Zone names by their city, lower case ("new york": ["America/New_York"]), built once."""
    cities: dict[str, list[str]] = {}
    for name in zone_names():
        cities.setdefault(_city(name), []).append(name)
    return cities


@cache
def _zone_forms() -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """Each zone name with the forms a typed query is matched against (lower case, "_" as spaces): the
    whole name, its city, and its words; built once, since every keystroke ranks them all."""
    forms = []
    for name in zone_names():
        full = name.lower().replace("_", " ")
        parts = full.split("/")
        forms.append((name, full, tuple(parts), tuple(word for part in parts for word in part.split())))
    return tuple(forms)


def _typed_offset(query: str) -> timedelta | None:
    match = _OFFSET.fullmatch(query)
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if hours > 14 or minutes >= 60:
        return None
    offset = timedelta(hours=hours, minutes=minutes)
    return -offset if match["sign"] in "-−" else offset


def _popular_first(name: str) -> tuple[bool, str]:
    return name not in POPULAR_ZONES, name


def follows_daylight_saving(zone: ZoneInfo, year: int) -> bool:
    winter, summer = (datetime(year, month, 15, 12, tzinfo=UTC).astimezone(zone) for month in (1, 7))
    return winter.utcoffset() != summer.utcoffset()


@cache
def _zone_with_offset(offset: timedelta, day: date) -> ZoneChoice | None:
    """A real place that is at ``offset`` on ``day``, preferring ones that stay there all year, and a
    warning either way: a fixed offset does not follow daylight saving, a place that does will change.
    (Cached per day: it looks at every zone.)"""
    now = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    places = [
        name
        for name in zone_names()
        if "/" in name
        and not name.startswith(("Etc/", "SystemV/"))
        and now.astimezone(ZoneInfo(name)).utcoffset() == offset
    ]
    if not places:
        return None
    fixed = [name for name in places if not follows_daylight_saving(ZoneInfo(name), now.year)]
    seasonal = [name for name in places if name not in fixed]
    typed = utc_offset(ZoneInfo(places[0]), now)
    if fixed:
        zone = min(fixed, key=_popular_first)
        note = f"{zone} is {typed} all year: it does not follow daylight saving time."
        if seasonal:
            example = min(seasonal, key=_popular_first)
            note += f" If your clocks change in summer, set your city instead (e.g. {example})."
        return ZoneChoice(zone, note)
    zone = min(seasonal, key=_popular_first)
    other = utc_offset(ZoneInfo(zone), now + timedelta(days=182))
    return ZoneChoice(zone, f"{zone} is {typed} today and {other} in half a year (daylight saving).")


def _match_rank(query: str, full: str, parts: tuple[str, ...], words: tuple[str, ...]) -> int | None:
    """How well ``query`` (lower case, words) matches a zone (its :func:`_zone_forms`): 0 best, None when
    it does not."""
    city = parts[-1]
    if query == full:
        return 0
    if query == city:
        return 1
    if city.startswith(query):
        return 2
    if full.startswith(query) or any(word.startswith(query) for word in words):
        return 3
    return 4 if query in full else None


def suggest_zones(text: str, limit: int = 25) -> list[str]:
    """Zones for autocomplete: exact, city, prefix and substring matches, then near spellings of city
    names ("moskow" → Europe/Moscow); popular zones when nothing is typed."""
    query = " ".join(text.strip().lower().replace("_", " ").split())
    if not query:
        return list(POPULAR_ZONES[:limit])
    ranked = sorted(
        (rank, name) for name, *forms in _zone_forms() if (rank := _match_rank(query, *forms)) is not None
    )
    found = [name for _, name in ranked[:limit]]
    if len(found) < limit:
        found += [name for name in _close_spellings(query, limit) if name not in found]
    return found[:limit]


def _close_spellings(query: str, limit: int) -> list[str]:
    cities = _zones_by_city()
    close = difflib.get_close_matches(query, list(cities), n=limit, cutoff=_CLOSE_MATCH_CUTOFF)
    return [name for city in close for name in cities[city]]


def utc_offset(zone: ZoneInfo, at: datetime) -> str:
    """ "UTC+03:00" for Moscow, "UTC-04:00" for New York in summer."""
    return _utc_offset(zone, at.replace(second=0, microsecond=0))


@lru_cache(maxsize=4096)
def _utc_offset(zone: ZoneInfo, minute: datetime) -> str:
    """Per zone and minute (offsets change on the minute): autocomplete shows 25 at every keystroke."""
    offset = minute.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
