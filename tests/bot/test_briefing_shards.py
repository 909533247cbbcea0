"""Briefings with several bot processes on one store: each server is posted by exactly one, once a day.

Two processes split the shards (``SHARD_COUNT=2``, ``SHARD_IDS=0`` and ``1``): each posts the servers of
its own shards. Two processes that both run every shard (a restart that overlaps the old process) share
the work through the store's claim: each server's day is posted once, whichever process wins it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

from bot.client import BriefingBot
from bot.standin import Channel, StandIn
from bot.store import Store
from bot.store.briefings import Claim, claim, save_schedule
from tests.bot.conftest import FakeClock
from tests.bot.started import started

if TYPE_CHECKING:
    from cogs.briefing import Briefing

pytestmark = pytest.mark.standin(recommended_shards=2)

SET_UP_AT = datetime(2019, 4, 20, 6, 0, tzinfo=UTC)  # 09:00 in Moscow: 20 April's 08:00 has passed
FIRST_SLOT = datetime(2019, 4, 21, 5, 0, tzinfo=UTC)  # 08:00 in Moscow
COGS = ("cogs.briefing",)


def shard_of(guild_id: int) -> int:
    return (guild_id >> 22) % 2


def briefing_channels(standin: StandIn) -> dict[int, Channel]:
    """The test guild's #briefings and a second server's on the other shard: guild id → channel."""
    first = standin.find_channel("briefings")
    other_shard = 1 - shard_of(first.guild_id)
    guild = standin.add_guild("Second Guild", shard_id=other_shard)
    second = standin.add_channel(guild, "briefings")
    assert {shard_of(first.guild_id), shard_of(second.guild_id)} == {0, 1}
    return {first.guild_id: first, second.guild_id: second}


async def schedule_all(store_path: Path, channels: dict[int, Channel]) -> None:
    store = await Store.open(store_path)
    try:
        for guild_id, channel in channels.items():
            await save_schedule(
                store, guild_id, channel.id, time(8), "Europe/Moscow", date(2019, 4, 20), SET_UP_AT
            )
    finally:
        await store.close()


def cog_of(bot: BriefingBot) -> Briefing:
    return cast("Briefing", bot.get_cog("Briefing"))


async def stop_ticking(*bots: BriefingBot) -> None:
    """Stop each process's own minute loop: the test ticks them itself, at moments it chooses."""
    for bot in bots:
        loop = cog_of(bot).ticker
        task = loop.get_task()
        loop.cancel()
        await asyncio.gather(*([task] if task else []), return_exceptions=True)


async def tick_both(first: BriefingBot, second: BriefingBot) -> tuple[set[int], set[int]]:
    """One tick in each process at the same moment; the servers each one posted."""
    outcomes = await asyncio.gather(cog_of(first).run_due(), cog_of(second).run_due())
    return tuple({o.claim.guild_id for o in found if o.posted} for found in outcomes)  # type: ignore[return-value]


def post_counts(standin: StandIn, channels: dict[int, Channel]) -> dict[int, int]:
    return {guild_id: len(standin.messages_in(channel)) for guild_id, channel in channels.items()}


async def test_two_shard_processes_each_post_the_servers_of_their_shard_once_a_day(
    standin: StandIn, store_path: Path
) -> None:
    channels = briefing_channels(standin)
    await schedule_all(store_path, channels)
    clock = FakeClock(SET_UP_AT)
    async with (
        started(standin, store_path, cogs=COGS, clock=clock, SHARD_COUNT="2", SHARD_IDS="0") as shard0,
        started(standin, store_path, cogs=COGS, clock=clock, SHARD_COUNT="2", SHARD_IDS="1") as shard1,
    ):
        await stop_ticking(shard0, shard1)
        clock.now = FIRST_SLOT
        assert ({g.id for g in shard0.guilds}, {g.id for g in shard1.guilds}) == (
            {g for g in channels if shard_of(g) == 0},
            {g for g in channels if shard_of(g) == 1},
        )
        by_shard = await tick_both(shard0, shard1)
        assert by_shard == (
            {g for g in channels if shard_of(g) == 0},
            {g for g in channels if shard_of(g) == 1},
        )
        clock.now = FIRST_SLOT + timedelta(minutes=1)
        assert await tick_both(shard0, shard1) == (set(), set())
        assert post_counts(standin, channels) == dict.fromkeys(channels, 1)
        clock.now = FIRST_SLOT + timedelta(days=1)
        assert await tick_both(shard0, shard1) == by_shard
    assert post_counts(standin, channels) == dict.fromkeys(channels, 2)


async def test_two_processes_running_every_shard_post_each_server_once_a_day(
    standin: StandIn, store_path: Path
) -> None:
    channels = briefing_channels(standin)
    await schedule_all(store_path, channels)
    clock = FakeClock(SET_UP_AT)
    async with (
        started(standin, store_path, cogs=COGS, clock=clock) as old,
        started(standin, store_path, cogs=COGS, clock=clock) as new,
    ):
        await stop_ticking(old, new)
        for minute in range(3):
            clock.now = FIRST_SLOT + timedelta(minutes=minute)
            first, second = await tick_both(old, new)
            assert not first & second
    assert post_counts(standin, channels) == dict.fromkeys(channels, 1)


async def test_a_day_is_claimed_by_one_store_connection_only(store_path: Path) -> None:
    day = date(2019, 4, 21)
    await schedule_all(store_path, {1: Channel(id=2, name="briefings", guild_id=1)})
    wanted = Claim(guild_id=1, day=day, previous=date(2019, 4, 20))
    first, second = await Store.open(store_path), await Store.open(store_path)
    try:
        assert (await claim(first, [wanted]), await claim(second, [wanted])) == ([wanted], [])
        stale = Claim(guild_id=1, day=day + timedelta(days=1), previous=date(2019, 4, 20))
        assert await claim(second, [stale]) == []  # read before the first claim: refused
        again = Claim(guild_id=1, day=day, previous=day)
        assert await claim(second, [again]) == []  # a settled day is not claimed again without force
        assert await claim(second, [Claim(guild_id=1, day=day, previous=day, force=True)]) != []
    finally:
        await first.close()
        await second.close()
