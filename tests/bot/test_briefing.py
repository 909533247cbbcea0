"""``/briefing`` end to end: the real bot on the stand-in and a real store, with the clock moved by hand.

The test guild's clock starts at 2019-04-20 06:00 UTC (09:00 in Moscow), so a briefing set up for 08:00
Moscow time first goes out on Sunday 21 April at 05:00 UTC.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import discord
import pytest

from bot.client import BriefingBot
from bot.standin import Channel, InteractionResult, Message, StandIn, User
from bot.standin.model import EMBED_LINKS, SEND_MESSAGES, VIEW_CHANNEL
from bot.store.briefings import save_schedule
from tests.bot.conftest import FakeClock, make_settings
from tests.standin_fixtures import run_bot

if TYPE_CHECKING:
    from cogs.briefing import Briefing

pytestmark = pytest.mark.cogs("cogs.briefing")

FIRST_SLOT = datetime(2019, 4, 21, 5, 0, tzinfo=UTC)  # 08:00 in Moscow
MESSAGES = r"^/channels/\d+/messages$"


@pytest.fixture
def owner(standin: StandIn) -> User:
    return standin.find_user("owner")


@pytest.fixture
def briefings(standin: StandIn) -> Channel:
    return standin.find_channel("briefings")


def cog_of(bot: BriefingBot) -> Briefing:
    """The loaded cog (discord.py re-imports an extension's modules on each load, so no isinstance)."""
    cog = bot.get_cog("Briefing")
    assert cog is not None
    return cast("Briefing", cog)


async def set_up(
    standin: StandIn, user: User, channel: Channel, time: str = "08:00", timezone: str = "Europe/Moscow"
) -> InteractionResult:
    return await standin.slash(
        "briefing setup", {"channel": channel, "time": time, "timezone": timezone}, user=user
    )


async def status(standin: StandIn, user: User) -> str:
    return (await standin.slash("briefing status", user=user)).content


async def tick_at(bot: BriefingBot, clock: FakeClock, when: datetime) -> None:
    clock.now = when
    await cog_of(bot).run_due()


def posts(standin: StandIn, channel: Channel) -> list[Message]:
    return standin.messages_in(channel)


def titles(standin: StandIn, channel: Channel) -> list[str]:
    return [message.embeds[0]["title"] for message in posts(standin, channel)]


def field(message: Message, name: str) -> str:
    return next(f["value"] for f in message.embeds[0]["fields"] if f["name"] == name)


@asynccontextmanager
async def another_bot(standin: StandIn, store_path: Path, clock: FakeClock) -> AsyncIterator[BriefingBot]:
    """A fresh bot process on the same store file: a restart."""
    restarted = BriefingBot(make_settings(standin, store_path), clock=clock, cogs=("cogs.briefing",))
    async with run_bot(restarted, standin):
        yield restarted


@asynccontextmanager
async def bot_sees(bot: BriefingBot, event: str, channel: Channel) -> AsyncIterator[None]:
    """Wait, after the block, until the bot has received ``event`` (e.g. ``guild_channel_update``) for
    ``channel``: its cache then shows the change."""
    seen = asyncio.ensure_future(bot.wait_for(event, check=lambda *args: args[-1].id == channel.id))
    try:
        yield
        await asyncio.wait_for(seen, timeout=5)
    finally:
        seen.cancel()


def open_to_everyone(standin: StandIn) -> dict[str, Any]:
    """What a server admin can do in Server Settings › Integrations: offer /briefing to all, in DMs too."""
    definition = standin.find_command("briefing", None)
    definition.update(default_member_permissions=None, contexts=[0, 1], dm_permission=True)
    return definition


# -- setup and who may use it ----------------------------------------------------------------------------


async def test_setup_saves_the_schedule_and_says_when_the_first_briefing_comes(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel
) -> None:
    result = await set_up(standin, owner, briefings, time="8am")
    assert result.ephemeral
    assert result.content.startswith(
        f"Done. Daily briefing in <#{briefings.id}> at **08:00 Europe/Moscow** (UTC+03:00)."
    )
    expected_next = f"Next: Sunday 21 April, 08:00 (Europe/Moscow) · <t:{int(FIRST_SLOT.timestamp())}:R>"
    assert expected_next in result.content
    assert expected_next in await status(standin, owner)


async def test_a_member_without_manage_server_is_not_offered_the_command(
    bot: BriefingBot, standin: StandIn, briefings: Channel
) -> None:
    with pytest.raises(PermissionError):
        await set_up(standin, standin.find_user("member"), briefings)


async def test_the_run_time_check_refuses_politely_when_admins_open_the_command_to_everyone(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel
) -> None:
    open_to_everyone(standin)
    result = await set_up(standin, standin.find_user("member"), briefings)
    assert result.ephemeral and result.content == "You need the Manage Server permission to do that."
    assert (await status(standin, owner)).startswith("No daily briefing is set up here yet.")


async def test_in_a_dm_it_is_not_offered_and_says_to_use_it_in_a_server(
    bot: BriefingBot, standin: StandIn
) -> None:
    with pytest.raises(LookupError):
        await standin.slash("briefing status", dm=True)
    open_to_everyone(standin)
    result = await standin.slash("briefing status", dm=True)
    assert result.ephemeral and result.content == "Use this command in a server."


@pytest.mark.parametrize(
    ("time", "timezone", "says"),
    [
        ("25:00", "Europe/Moscow", "I read “25:00” as 25:00, but hours go from 0 to 23."),
        (
            "soon",
            "Europe/Moscow",
            "I couldn't read “soon” as a time of day. Write it like 08:00, 8am or 8:30 pm.",
        ),
        ("8am", "Moskow", "I don't know the time zone “Moskow”. Did you mean `Europe/Moscow`?"),
        ("8am", "Xyzzy", "I don't know the time zone “Xyzzy”. Use a name like Europe/Moscow"),
    ],
)
async def test_a_bad_time_or_zone_is_explained_and_nothing_is_saved(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, time: str, timezone: str, says: str
) -> None:
    result = await set_up(standin, owner, briefings, time=time, timezone=timezone)
    assert result.ephemeral and result.content.startswith(says)
    assert (await status(standin, owner)).startswith("No daily briefing is set up here yet.")


@pytest.mark.parametrize(
    ("denied", "named"),
    [(VIEW_CHANNEL, "View Channel"), (SEND_MESSAGES, "Send Messages"), (EMBED_LINKS, "Embed Links")],
)
async def test_setup_names_the_permission_the_bot_lacks_in_another_channel(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, denied: int, named: str
) -> None:
    async with bot_sees(bot, "guild_channel_update", briefings):
        standin.deny(briefings, denied)
    result = await set_up(standin, owner, briefings)
    assert f"I can't post briefings in <#{briefings.id}>: I'm missing the **{named}** permission there." in (
        result.content
    )


async def test_setup_checks_the_bot_permissions_in_the_channel_it_is_run_from(
    bot: BriefingBot, standin: StandIn, owner: User
) -> None:
    general = standin.find_channel("general")
    standin.deny(general, SEND_MESSAGES | EMBED_LINKS)
    result = await set_up(standin, owner, general)
    assert "I'm missing the **Send Messages** permission there." in result.content


async def test_time_zones_autocomplete_on_city_names(bot: BriefingBot, standin: StandIn, owner: User) -> None:
    options = {"channel": standin.find_channel("briefings"), "time": "8", "timezone": "tripo"}
    result = await standin.autocomplete("briefing setup", options, "timezone", user=owner)
    assert result.choices == [{"name": "Africa/Tripoli (UTC+02:00)", "value": "Africa/Tripoli"}]
    options["timezone"] = ""
    assert len((await standin.autocomplete("briefing setup", options, "timezone", user=owner)).choices) <= 25


# -- posting on schedule ---------------------------------------------------------------------------------


async def test_the_briefing_posts_at_the_scheduled_moment_not_before_and_once(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    await tick_at(bot, clock, FIRST_SLOT - timedelta(seconds=1))
    assert posts(standin, briefings) == []
    await tick_at(bot, clock, FIRST_SLOT)
    await tick_at(bot, clock, FIRST_SLOT + timedelta(minutes=1))
    assert titles(standin, briefings) == ["Daily briefing · Sunday 21 April 2019"]
    message = posts(standin, briefings)[0]
    assert message.allowed_mentions == {"parse": []}
    assert "Russia's Mediation Goals in Libya, ¶" in field(message, "Latest articles")
    assert "Last posted: Sunday 21 April, 08:00" in await status(standin, owner)


async def test_the_next_day_brings_the_next_briefing_and_only_new_articles_count_as_new(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    await tick_at(bot, clock, FIRST_SLOT)
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=1))
    first, second = posts(standin, briefings)
    assert first.embeds[0]["fields"][0]["name"] == "Latest articles"
    assert (
        second.embeds[0]["description"]
        == "Nothing new since the last briefing, so here is a look back instead."
    )
    assert "New articles" not in [f["name"] for f in second.embeds[0]["fields"]]
    assert second.embeds[0]["title"] == "Daily briefing · Monday 22 April 2019"


@pytest.mark.cogs("cogs.briefing", "cogs.library")
async def test_a_briefing_after_an_article_came_in_lists_exactly_what_it_brought_once(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    await tick_at(bot, clock, FIRST_SLOT)
    swap = Path(__file__).resolve().parents[1] / "articles" / "yemen-prisoner-swap.txt"
    added = await standin.slash(
        "article add", {"file": (swap.name, swap.read_bytes())}, user=owner, timeout=120
    )
    assert added.embeds, added.content
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=1))
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=2))
    _, news, quiet = posts(standin, briefings)
    names = [f["name"] for f in news.embeds[0]["fields"]]
    assert names[:4] == ["New articles", "New actors", "New events", "Key statements"]
    assert news.embeds[0]["description"].startswith("1 new article since the last briefing")
    assert "Mohammed Abdulsalam" in field(news, "New actors")
    assert "Khalifa Haftar" not in field(news, "New actors") and "Russia" not in field(news, "New actors")
    assert "We hope this is the first step toward a lasting peace" in field(news, "Key statements")
    events = field(news, "New events").splitlines()
    assert all("Yemen's warring sides" in line for line in events)  # only what the new article brought
    assert [line.split(" · ")[0] for line in events] == [
        "**2015**",
        "**Dec 2019**",
        "**13 Jan 2020**",
        "**14 Jan 2020**",
    ]
    assert quiet.embeds[0]["description"].startswith("Nothing new since the last briefing")


async def test_moving_the_time_later_after_todays_post_does_not_post_today_again(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    await tick_at(bot, clock, FIRST_SLOT)
    clock.now = FIRST_SLOT + timedelta(hours=1)  # 09:00 in Moscow: move the briefing to 10:00
    assert "Next: Monday 22 April, 10:00" in (await set_up(standin, owner, briefings, time="10:00")).content
    await tick_at(bot, clock, FIRST_SLOT + timedelta(hours=2))
    assert titles(standin, briefings) == ["Daily briefing · Sunday 21 April 2019"]


async def test_a_restart_within_six_hours_posts_the_missed_briefing_late_once(
    standin: StandIn, store_path: Path, clock: FakeClock, owner: User, briefings: Channel
) -> None:
    async with another_bot(standin, store_path, clock):
        await set_up(standin, owner, briefings)
    clock.now = FIRST_SLOT + timedelta(hours=5, minutes=59)
    async with another_bot(standin, store_path, clock) as restarted:
        await standin.wait_for_message(briefings)  # the first tick after start catches up
        await cog_of(restarted).run_due()
        assert titles(standin, briefings) == ["Daily briefing · Sunday 21 April 2019"]


async def test_a_restart_after_more_than_six_hours_skips_that_day_and_posts_the_next(
    standin: StandIn, store_path: Path, clock: FakeClock, owner: User, briefings: Channel
) -> None:
    async with another_bot(standin, store_path, clock):
        await set_up(standin, owner, briefings)
    clock.now = FIRST_SLOT + timedelta(hours=6, minutes=1)
    async with another_bot(standin, store_path, clock) as restarted:
        await cog_of(restarted).run_due()
        assert posts(standin, briefings) == []
        assert "Next: Monday 22 April, 08:00 (Europe/Moscow)" in await status(standin, owner)
        await tick_at(restarted, clock, FIRST_SLOT + timedelta(days=1))
        assert titles(standin, briefings) == ["Daily briefing · Monday 22 April 2019"]


async def test_briefing_now_during_a_tick_posting_the_same_server_does_not_post_twice(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    clock.now = FIRST_SLOT - timedelta(hours=1)
    await set_up(standin, owner, briefings)
    clock.now = FIRST_SLOT
    standin.rate_limit(MESSAGES, retry_after=0.3)  # holds the tick's send while /briefing now runs
    tick = asyncio.create_task(cog_of(bot).run_due())
    await standin.changed.wait_until(lambda: standin.count_requests("POST", MESSAGES) == 1, 5.0)
    now = await standin.slash("briefing now", user=owner)
    await tick
    await cog_of(bot).run_due()
    assert len(posts(standin, briefings)) == 1
    assert now.content == f"Today's briefing is going out in <#{briefings.id}> right now."


async def test_a_tick_during_briefing_now_does_not_post_twice(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    clock.now = FIRST_SLOT - timedelta(hours=1)
    await set_up(standin, owner, briefings)
    clock.now = FIRST_SLOT
    standin.rate_limit(MESSAGES, retry_after=0.3)  # holds /briefing now's send while the tick runs
    now = asyncio.create_task(standin.slash("briefing now", user=owner))
    await standin.changed.wait_until(lambda: standin.count_requests("POST", MESSAGES) == 1, 5.0)
    await cog_of(bot).run_due()
    assert (await now).content.startswith(f"Posted today's briefing in <#{briefings.id}>.")
    await cog_of(bot).run_due()
    assert len(posts(standin, briefings)) == 1


async def test_a_send_that_fails_on_discords_side_is_retried_on_the_next_tick(
    bot: BriefingBot,
    standin: StandIn,
    owner: User,
    briefings: Channel,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await set_up(standin, owner, briefings)
    real_send = bot.http.send_message

    async def unavailable(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(bot.http, "send_message", real_send)
        raise discord.DiscordServerError(SimpleNamespace(status=503, reason="Service Unavailable"), "down")

    monkeypatch.setattr(bot.http, "send_message", unavailable)
    await tick_at(bot, clock, FIRST_SLOT)
    assert posts(standin, briefings) == []
    assert "Next: now — the briefing of Sunday 21 April, 08:00 is late" in await status(standin, owner)
    await tick_at(bot, clock, FIRST_SLOT + timedelta(minutes=1))
    assert titles(standin, briefings) == ["Daily briefing · Sunday 21 April 2019"]


async def test_a_tick_cut_short_by_a_shutdown_leaves_the_briefing_to_the_next_tick(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    clock.now = FIRST_SLOT
    standin.rate_limit(MESSAGES, retry_after=5.0)  # the send is still waiting when the bot stops
    tick = asyncio.create_task(cog_of(bot).run_due())
    await standin.changed.wait_until(lambda: standin.count_requests("POST", MESSAGES) == 1, 5.0)
    tick.cancel()
    await asyncio.gather(tick, return_exceptions=True)
    assert "Next: now — the briefing of Sunday 21 April, 08:00 is late" in await status(standin, owner)
    standin.rate_limits.clear()
    await tick_at(bot, clock, FIRST_SLOT + timedelta(minutes=1))
    assert titles(standin, briefings) == ["Daily briefing · Sunday 21 April 2019"]


# -- channels that stop working --------------------------------------------------------------------------


async def test_a_403_switches_the_briefing_off_and_status_shows_why_until_setup_is_run_again(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    standin.deny(briefings, SEND_MESSAGES)
    await tick_at(bot, clock, FIRST_SLOT)
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=1))
    assert posts(standin, briefings) == []
    assert standin.count_requests("POST", MESSAGES) == 1  # one refusal, then no more attempts
    shown = await status(standin, owner)
    assert f"⚠️ Off: Discord refused my post in <#{briefings.id}> (Missing Permissions)" in shown
    assert "I'm missing the **Send Messages** permission" in (await set_up(standin, owner, briefings)).content
    general = standin.find_channel("general")
    assert (await set_up(standin, owner, general)).content.startswith("Done.")
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=2))
    assert titles(standin, general) == ["Daily briefing · Tuesday 23 April 2019"]


@pytest.mark.parametrize("bot_saw_it", [True, False])
async def test_a_deleted_channel_switches_the_briefing_off(
    bot: BriefingBot,
    standin: StandIn,
    owner: User,
    briefings: Channel,
    clock: FakeClock,
    bot_saw_it: bool,
) -> None:
    await set_up(standin, owner, briefings)
    if bot_saw_it:
        async with bot_sees(bot, "guild_channel_delete", briefings):
            standin.delete_channel(briefings, notify=True)
    else:
        standin.delete_channel(briefings, notify=False)
    await tick_at(bot, clock, FIRST_SLOT)
    await tick_at(bot, clock, FIRST_SLOT + timedelta(minutes=1))
    assert standin.count_requests("POST", MESSAGES) == (0 if bot_saw_it else 1)
    assert (
        "⚠️ Off: The briefing channel was deleted. Run `/briefing setup` to turn it back on."
        in await status(standin, owner)
    )
    assert (await set_up(standin, owner, standin.find_channel("general"))).content.startswith("Done.")
    assert "Off" not in await status(standin, owner)


# -- now, preview, off -----------------------------------------------------------------------------------


async def test_now_posts_todays_briefing_which_counts_as_todays_post(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    clock.now = FIRST_SLOT - timedelta(hours=2)
    await set_up(standin, owner, briefings)
    now = await standin.slash("briefing now", user=owner)
    assert now.ephemeral and now.content.startswith(f"Posted today's briefing in <#{briefings.id}>.")
    await tick_at(bot, clock, FIRST_SLOT)
    assert titles(standin, briefings) == ["Daily briefing · Sunday 21 April 2019"]
    again = await standin.slash("briefing now", user=owner)
    assert again.content.startswith(f"Today's briefing already went out in <#{briefings.id}> at 06:00.")


async def test_now_works_after_setting_up_later_than_todays_time(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel
) -> None:
    await set_up(standin, owner, briefings)  # 09:00 in Moscow: today's 08:00 has passed
    await standin.slash("briefing now", user=owner)
    assert titles(standin, briefings) == ["Daily briefing · Saturday 20 April 2019"]


async def test_preview_is_ephemeral_and_counts_for_nothing(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    clock.now = FIRST_SLOT
    preview = await standin.slash("briefing preview", user=owner)
    assert preview.ephemeral and preview.content.startswith("Preview: only you can see this")
    assert posts(standin, briefings) == [] and "Last posted: not yet." in await status(standin, owner)
    await cog_of(bot).run_due()
    assert posts(standin, briefings)[0].embeds == preview.embeds  # same day, same briefing


async def test_preview_without_a_schedule_uses_utc(bot: BriefingBot, standin: StandIn, owner: User) -> None:
    preview = await standin.slash("briefing preview", user=owner)
    assert "Dates are in UTC" in preview.content and preview.embeds[0]["title"].startswith("Daily briefing")


async def test_off_stops_the_briefing_and_setup_turns_it_back_on(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    off = await standin.slash("briefing off", user=owner)
    assert off.content == "The daily briefing is off. `/briefing setup` turns it back on."
    await tick_at(bot, clock, FIRST_SLOT)
    assert posts(standin, briefings) == []
    assert "Off: switched off with `/briefing off`." in await status(standin, owner)
    await set_up(standin, owner, briefings)  # at 08:00: today's has passed, so the next is tomorrow's
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=1))
    assert titles(standin, briefings) == ["Daily briefing · Monday 22 April 2019"]


# -- rotation --------------------------------------------------------------------------------------------


async def test_statements_and_actors_do_not_repeat_until_all_were_shown(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, clock: FakeClock
) -> None:
    await set_up(standin, owner, briefings)
    for day in range(8):  # the seed article has six statements; the first briefing brings the news
        await tick_at(bot, clock, FIRST_SLOT + timedelta(days=day))
    messages = posts(standin, briefings)[1:]
    statements = [field(m, "Statement of the day") for m in messages]
    actors = [field(m, "Actor of the day") for m in messages]
    assert len(messages) == 7
    assert len(set(statements[:6])) == 6 and statements[6] in statements[:5]
    assert len(set(actors)) == 7


@pytest.mark.parametrize(
    ("typed", "zone", "warning"),
    [
        ("Africa/Tripoli", "Africa/Tripoli", None),
        ("Tripoli", "Africa/Tripoli", None),
        ("new york", "America/New_York", None),
        ("UTC+2", "Africa/Cairo", "Africa/Cairo is UTC+02:00 all year: it does not follow"),  # in 2019
        ("GMT-5", "America/", "is UTC-05:00 all year: it does not follow daylight saving time."),
        ("+05:30", "Asia/Kolkata", "Asia/Kolkata is UTC+05:30 all year"),
    ],
)
async def test_setup_takes_a_zone_a_city_or_an_offset(
    bot: BriefingBot, standin: StandIn, owner: User, briefings: Channel, typed: str, zone: str, warning: str
) -> None:
    result = await set_up(standin, owner, briefings, timezone=typed)
    assert result.content.startswith("Done. Daily briefing in")
    assert f"at **08:00 {zone}" in result.content
    assert (warning in result.content) if warning else ("⚠️" not in result.content)


async def test_an_offset_is_autocompleted_with_a_zone_at_that_offset_today(
    bot: BriefingBot, standin: StandIn, owner: User
) -> None:
    options = {"channel": standin.find_channel("briefings"), "time": "8", "timezone": "UTC+2"}
    result = await standin.autocomplete("briefing setup", options, "timezone", user=owner)
    assert result.choices[0] == {"name": "Africa/Cairo (UTC+02:00)", "value": "Africa/Cairo"}


# -- a bad tick or a bad row does not stop the others ---------------------------------------------------


async def test_a_failing_tick_is_logged_and_the_loop_survives_it(
    bot: BriefingBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def locked() -> list[object]:
        raise sqlite3.OperationalError("database is locked")

    cog = cog_of(bot)
    monkeypatch.setattr(cog.poster, "run_due", locked)
    with caplog.at_level(logging.ERROR, logger="bot.briefing"):
        await cog.ticker()  # one pass of the loop's body, as the loop runs it each minute
    logged = {(r.getMessage(), r.exc_info and r.exc_info[0]) for r in caplog.records}
    assert logged == {("briefing tick failed", sqlite3.OperationalError)}  # the loop's own pass may log too


async def test_a_server_whose_time_zone_is_unknown_is_skipped_and_the_others_are_posted(
    bot: BriefingBot,
    standin: StandIn,
    owner: User,
    briefings: Channel,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    other = standin.add_guild("Other Guild")
    other_channel = standin.add_channel(other, "briefings")
    # a zone the tz database knew when it was set up, gone after an upgrade
    settled = FIRST_SLOT.date() - timedelta(days=1)
    await save_schedule(bot.store, other.id, other_channel.id, time(8), "Europe/Atlantis", settled, clock())
    await set_up(standin, owner, briefings)
    with caplog.at_level(logging.ERROR, logger="bot.briefing"):
        await tick_at(bot, clock, FIRST_SLOT)
    assert titles(standin, briefings) == ["Daily briefing · Sunday 21 April 2019"]
    assert posts(standin, other_channel) == []
    assert f"briefing for guild {other.id} has an unknown time zone 'Europe/Atlantis'" in caplog.messages
