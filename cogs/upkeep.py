"""Keeping the store in order while the bot runs: servers the bot left are forgotten 30 days later unless
it comes back (:mod:`bot.store.servers`), and once a week SQLite's full integrity check runs in a thread
(it reads every page, so it is no start-up step; ``python -m bot check`` runs it by hand)."""

from __future__ import annotations

import asyncio
import logging
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from bot.store.schema import connect, integrity_problems, transaction
from bot.store.servers import cancel_departures, forget_departed, record_departure
from bot.store.write import merge_search_indexes

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger(__name__)
CHECK_DELAY = 3600.0  # seconds after start before the first weekly check


def store_problems(path: Path) -> list[str]:
    """The full integrity check on a connection of its own (the bot's reader stays free); a sound store's
    full-text indexes are then merged, since articles added one at a time from Discord split them."""
    with closing(connect(path, create=False)) as conn:
        problems = integrity_problems(conn)
        if not problems:
            with transaction(conn):
                merge_search_indexes(conn)
        return problems


class Upkeep(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.forget_loop.start()
        self.check_loop.start()

    async def cog_unload(self) -> None:
        self.forget_loop.cancel()
        self.check_loop.cancel()

    @tasks.loop(hours=24 * 7)
    async def check_loop(self) -> None:
        problems = await asyncio.to_thread(store_problems, self.bot.store.path)
        if problems:
            log.error(
                "the store %s is damaged: %s (restore a backup; see the README)",
                self.bot.store.path,
                problems[0],
            )
        else:
            log.info("weekly integrity check of the store: sound")

    @check_loop.before_loop
    async def _check_after_a_day(self) -> None:
        await self.bot.wait_until_ready()
        await asyncio.sleep(CHECK_DELAY)  # not in the busy minutes after a start

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await record_departure(self.bot.store, guild.id, self.bot.clock())
        log.info("left guild %s: its library and settings go in 30 days unless I am added back", guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await cancel_departures(self.bot.store, [guild.id])

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        await cancel_departures(self.bot.store, [guild.id for guild in self.bot.guilds])

    @tasks.loop(hours=6)
    async def forget_loop(self) -> None:
        for guild_id in await forget_departed(self.bot.store, self.bot.clock()):
            log.info("forgot guild %s: 30 days since I was removed", guild_id)

    @forget_loop.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Upkeep(bot))
