"""The briefing schedule as pure arithmetic: slots, daylight saving, catch-up, and what people type."""

from __future__ import annotations

import functools
import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.schedule import (
    CATCH_UP,
    TimeOfDayError,
    due_slot,
    last_passed_day,
    next_slot,
    parse_time_of_day,
    read_zone,
    resolve_zone,
    slot_on,
    suggest_zones,
    utc_offset,
)

NEW_YORK = ZoneInfo("America/New_York")
MOSCOW = ZoneInfo("Europe/Moscow")
MINUTE = timedelta(minutes=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def posts_between(
    start: datetime, end: datetime, at: time, zone: ZoneInfo, step: timedelta = MINUTE
) -> list[tuple[date, datetime]]:
    """What a scheduler set up at ``start`` and ticking every ``step`` posts: (local date, tick) per post."""
    settled: date | None = last_passed_day(start, at, zone)
    posts = []
    now = start
    while now < end:
        slot = due_slot(now, at, zone, settled)
        if slot is not None:
            posts.append((slot.day, now))
            settled = slot.day
        now += step
    return posts


# -- slots -----------------------------------------------------------------------------------------------


def test_a_zone_without_daylight_saving_posts_at_the_same_utc_time_every_day() -> None:
    posts = posts_between(utc(2019, 4, 20), utc(2019, 4, 23), time(8), MOSCOW)
    assert [at for _, at in posts] == [utc(2019, 4, 20, 5), utc(2019, 4, 21, 5), utc(2019, 4, 22, 5)]


def test_a_time_skipped_by_spring_forward_posts_once_at_the_end_of_the_gap() -> None:
    assert slot_on(date(2019, 3, 10), time(2, 30), NEW_YORK) == utc(2019, 3, 10, 7)  # 03:00 EDT
    posts = posts_between(utc(2019, 3, 9, 12), utc(2019, 3, 11, 12), time(2, 30), NEW_YORK)
    assert posts == [(date(2019, 3, 10), utc(2019, 3, 10, 7)), (date(2019, 3, 11), utc(2019, 3, 11, 6, 30))]


def test_a_time_repeated_by_fall_back_posts_once_at_its_first_occurrence() -> None:
    assert slot_on(date(2019, 11, 3), time(1, 30), NEW_YORK) == utc(2019, 11, 3, 5, 30)  # 01:30 EDT
    posts = posts_between(utc(2019, 11, 2, 12), utc(2019, 11, 4, 12), time(1, 30), NEW_YORK)
    assert posts == [
        (date(2019, 11, 3), utc(2019, 11, 3, 5, 30)),
        (date(2019, 11, 4), utc(2019, 11, 4, 6, 30)),
    ]


def test_nothing_is_due_a_second_before_the_slot_and_it_is_due_at_the_slot() -> None:
    slot = utc(2019, 4, 20, 5)
    assert due_slot(slot - timedelta(seconds=1), time(8), MOSCOW, None) is None
    assert due_slot(slot, time(8), MOSCOW, None) == next_slot(slot, time(8), MOSCOW, None)


def test_a_settled_day_is_not_due_again_and_the_next_slot_is_tomorrow() -> None:
    now = utc(2019, 4, 20, 5, 30)
    assert due_slot(now, time(8), MOSCOW, date(2019, 4, 20)) is None
    assert next_slot(now, time(8), MOSCOW, date(2019, 4, 20)).at == utc(2019, 4, 21, 5)


@pytest.mark.parametrize(
    ("late", "due"),
    [
        (timedelta(0), True),
        (CATCH_UP - timedelta(seconds=1), True),
        (CATCH_UP, False),
        (timedelta(hours=9), False),
    ],
)
def test_a_missed_slot_is_caught_up_within_six_hours_and_skipped_after(late: timedelta, due: bool) -> None:
    slot = utc(2019, 4, 20, 5)
    assert (due_slot(slot + late, time(8), MOSCOW, date(2019, 4, 19)) is not None) is due


def test_after_the_catch_up_window_the_next_slot_is_tomorrow() -> None:
    assert next_slot(utc(2019, 4, 20, 12), time(8), MOSCOW, date(2019, 4, 19)) == next_slot(
        utc(2019, 4, 20, 12), time(8), MOSCOW, date(2019, 4, 20)
    )


def test_an_outage_across_midnight_catches_up_yesterdays_briefing() -> None:
    now = utc(2019, 4, 20, 21, 30)  # 00:30 on the 21st in Moscow; the 23:00 slot of the 20th passed 1.5 h ago
    slot = due_slot(now, time(23), MOSCOW, date(2019, 4, 19))
    assert slot is not None and slot.day == date(2019, 4, 20)
    assert next_slot(now, time(23), MOSCOW, slot.day).day == date(2019, 4, 21)


def test_setting_up_after_todays_slot_settles_today_and_before_it_leaves_today_open() -> None:
    assert last_passed_day(utc(2019, 4, 20, 7), time(8), MOSCOW) == date(2019, 4, 20)
    assert last_passed_day(utc(2019, 4, 20, 4, 59), time(8), MOSCOW) == date(2019, 4, 19)


DST_ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Europe/Moscow"]


def wall_clock_slot(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The oracle: the first minute whose wall-clock reading in ``zone`` is ``day`` at ``at`` or later,
    found by walking UTC minutes through zoneinfo's UTC-to-local conversion only (a time skipped by
    spring forward is reached at the end of the gap, a repeated one at its first occurrence)."""
    wanted = datetime.combine(day, at)
    instant = (wanted - timedelta(hours=15)).replace(tzinfo=UTC)
    while instant.astimezone(zone).replace(tzinfo=None) < wanted:
        instant += MINUTE
    return instant


@functools.cache
def offset_changes(zone: str) -> tuple[datetime, ...]:
    """Every instant from 2019 to 2024 at which ``zone``'s UTC offset changes, to the minute."""
    tz, changes = ZoneInfo(zone), []
    day = utc(2019, 1, 1)
    while day < utc(2025, 1, 1):
        if tz.utcoffset(day) != tz.utcoffset(day + timedelta(days=1)):
            instant = day
            while tz.utcoffset(instant) == tz.utcoffset(day):
                instant += MINUTE
            changes.append(instant)
        day += timedelta(days=1)
    return tuple(changes)


def expected_posts(begin: datetime, end: datetime, at: time, zone: ZoneInfo, step: timedelta):
    """From the oracle: every local day whose slot comes after set-up, posted at the first tick from it."""
    posts = []
    day = begin.astimezone(zone).date() - timedelta(days=1)
    while day <= end.astimezone(zone).date() + timedelta(days=1):
        slot = wall_clock_slot(day, at, zone)
        if slot > begin:
            tick = begin + step * math.ceil((slot - begin) / step)
            if tick < end:
                posts.append((day, tick))
        day += timedelta(days=1)
    return posts


@settings(max_examples=60, deadline=None)
@given(data=st.data(), zone=st.sampled_from(DST_ZONES[:-1]), step_minutes=st.integers(1, 30))  # not Moscow
def test_ticking_across_a_dst_change_posts_each_local_day_once_at_its_wall_clock_time(
    data: st.DataObject, zone: str, step_minutes: int
) -> None:
    tz, step = ZoneInfo(zone), timedelta(minutes=step_minutes)
    change = data.draw(st.sampled_from(offset_changes(zone)), label="change")
    lead = data.draw(st.timedeltas(timedelta(minutes=1), timedelta(days=3, hours=23)), label="lead")
    begin, end = change - lead, change - lead + timedelta(days=4)
    assert tz.utcoffset(begin) != tz.utcoffset(end)  # the window spans the change
    near_change = st.integers(-60, 60).map(
        lambda minutes: (change.astimezone(tz).replace(second=0) + timedelta(minutes=minutes)).time()
    )
    any_minute = st.times().map(lambda t: t.replace(second=0, microsecond=0))
    at = data.draw(st.one_of(near_change, near_change, any_minute), label="at")  # mostly skipped or repeated
    assert posts_between(begin, end, at, tz, step) == expected_posts(begin, end, at, tz, step)


# -- what people type ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("08:00", time(8)),
        ("8am", time(8)),
        ("8:30 pm", time(20, 30)),
        ("8:30 PM", time(20, 30)),
        ("8 a.m.", time(8)),
        ("20.15", time(20, 15)),
        ("0830", time(8, 30)),
        ("830pm", time(20, 30)),
        ("8h30", time(8, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("noon", time(12)),
        (" 7 ", time(7)),
    ],
)
def test_times_are_read_in_the_usual_ways(typed: str, expected: time) -> None:
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("25:00", "I read “25:00” as 25:00, but hours go from 0 to 23"),
        ("8:75", "minutes go from 00 to 59"),
        ("13pm", "as 13:00 pm, but with am/pm the hour goes from 1 to 12"),
        ("tomorrow", "I couldn't read “tomorrow” as a time of day. Write it like 08:00"),
        ("8:5", "couldn't read"),
    ],
)
def test_a_bad_time_says_what_was_understood(typed: str, says: str) -> None:
    with pytest.raises(TimeOfDayError, match=says):
        parse_time_of_day(typed)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("moscow", "Europe/Moscow"),
        ("Tripoli", "Africa/Tripoli"),
        ("new york", "America/New_York"),
        ("utc", "UTC"),
    ],
)
def test_zone_suggestions_match_city_names_first(typed: str, first: str) -> None:
    assert suggest_zones(typed)[0] == first


def test_zone_suggestions_forgive_misspelt_cities_and_stay_within_25() -> None:
    assert "Europe/Moscow" in suggest_zones("moskow")
    assert all(len(suggest_zones(typed)) <= 25 for typed in ("", "a", "america", "e"))
    assert "UTC" in suggest_zones("")


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Moscow", "Europe/Moscow"),
        ("europe/moscow", "Europe/Moscow"),
        ("America/New York", "America/New_York"),
        ("utc", "UTC"),
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_zones_resolve_regardless_of_case(typed: str, zone: str | None) -> None:
    assert resolve_zone(typed) == zone


def test_offsets_read_like_utc_plus_hours() -> None:
    assert utc_offset(MOSCOW, utc(2019, 4, 20)) == "UTC+03:00"
    assert utc_offset(NEW_YORK, utc(2019, 7, 1)) == "UTC-04:00"


NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Moscow", "Europe/Moscow"),
        ("Tripoli", "Africa/Tripoli"),
        ("tripoli, libya", "Africa/Tripoli"),
        ("New York", "America/New_York"),
        ("GMT", "GMT"),
        ("utc", "UTC"),
        ("UTC+2", "Africa/Johannesburg"),  # Cairo keeps daylight saving again from 2023
        ("utc+3", "Europe/Istanbul"),
        ("+05:30", "Asia/Kolkata"),
        ("UTC−3:30", "America/St_Johns"),  # only a place with daylight saving is at −3:30 in January
    ],
)
def test_a_zone_is_read_from_a_name_a_city_or_an_offset(typed: str, zone: str) -> None:
    choice = read_zone(typed, NOW)
    assert choice is not None and choice.zone == zone


def test_an_offset_warns_about_daylight_saving_either_way() -> None:
    fixed = read_zone("UTC+2", NOW)
    assert fixed is not None and fixed.note == (
        "Africa/Johannesburg is UTC+02:00 all year: it does not follow daylight saving time. If your clocks "
        "change in summer, set your city instead (e.g. Africa/Cairo)."
    )
    seasonal = read_zone("UTC-3:30", NOW)
    assert seasonal is not None
    assert seasonal.note == (
        "America/St_Johns is UTC-03:30 today and UTC-02:30 in half a year (daylight saving)."
    )
    assert read_zone("Europe/Moscow", NOW).note is None  # type: ignore[union-attr]


@pytest.mark.parametrize("typed", ["UTC+15", "Benghazi", "GMT+1:75", "", "+"])
def test_what_is_no_zone_gives_none(typed: str) -> None:
    assert read_zone(typed, NOW) is None
