"""Keeping the store in order while the bot runs: servers the bot left are forgotten 30 days later unless
it comes back (:mod:`bot.store.servers`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from bot.store.servers import cancel_departures, forget_departed, record_departure

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger(__name__)


class Upkeep(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.forget_loop.start()

    async def cog_unload(self) -> None:
        self.forget_loop.cancel()

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
