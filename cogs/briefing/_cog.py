"""``/briefing setup|status|now|preview|off`` and the one loop that posts every server's briefing.

The loop ticks each minute on ``bot.clock()`` (UTC) and asks the store which servers are due; tests call
:meth:`Briefing.run_due` directly after moving the clock.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.briefing import MAX_ARTICLES, ServerState, briefing_embed, compose
from bot.client import UserFacingError
from bot.schedule import (
    TimeOfDayError,
    last_passed_day,
    local_date,
    parse_time_of_day,
    read_zone,
    suggest_zones,
    utc_offset,
)
from bot.store.briefings import Schedule, disable, get_schedule, load_material, save_schedule, shown_items
from bot.text import AUTOCOMPLETE_CHOICES
from cogs.briefing import _replies as replies
from cogs.briefing._poster import Outcome, Poster

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger("bot.briefing")

TICK_SECONDS = 60
# What posting an embed in a channel takes: (attribute of discord.Permissions, its name in Discord).
NEEDED = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)
MENTIONS = discord.AllowedMentions.none()


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Briefing(
    commands.GroupCog, group_name="briefing", group_description="A daily briefing from the articles"
):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.poster = Poster(bot)

    async def cog_load(self) -> None:
        self.ticker.start()

    async def cog_unload(self) -> None:
        """Stop the loop; a tick cut short releases the claims it did not finish (see Poster._post)."""
        task = self.ticker.get_task()
        self.ticker.cancel()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    @tasks.loop(seconds=TICK_SECONDS)
    async def ticker(self) -> None:
        try:
            await self.run_due()
        except Exception:  # the loop must outlive one bad tick (a locked store, say)
            log.exception("briefing tick failed")

    @ticker.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def run_due(self) -> list[Outcome]:
        """Post every briefing that is due now; what the loop runs each minute."""
        await self.bot.store.refresh()  # articles ingested since the last tick count as new
        return await self.poster.run_due()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """The run-time half of the Manage Server gate (server admins can widen the default one)."""
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    # -- commands ----------------------------------------------------------------------------------------

    @app_commands.command(name="setup", description="Post a daily briefing in a channel at a time of day")
    @app_commands.describe(
        channel="Where to post it",
        time="When, e.g. 08:00, 8am or 8:30 pm",
        timezone="Your time zone: start typing a city, e.g. Moscow or Tripoli",
    )
    async def setup_briefing(
        self, interaction: discord.Interaction, channel: discord.TextChannel, time: str, timezone: str
    ) -> None:
        try:
            at = parse_time_of_day(time)
        except TimeOfDayError as error:
            raise UserFacingError(str(error)) from None
        now = self.bot.clock()
        choice = await asyncio.to_thread(read_zone, timezone, now)  # an offset looks at every zone
        if choice is None:
            raise UserFacingError(replies.unknown_zone(timezone))
        zone = choice.zone
        missing = self._missing_permission(interaction, channel)
        if missing:
            raise UserFacingError(replies.missing_permission(channel.id, missing))
        guild_id = self._guild_id(interaction)
        settled = last_passed_day(now, at, ZoneInfo(zone))
        await save_schedule(self.bot.store, guild_id, channel.id, at, zone, settled, now)
        schedule = await self._schedule(guild_id)
        reply = replies.set_up(schedule, now) + (f"\n⚠️ {choice.note}" if choice.note else "")
        await interaction.response.send_message(reply, ephemeral=True)

    @setup_briefing.autocomplete("timezone")
    async def zone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        now = self.bot.clock()
        zones = suggest_zones(current, AUTOCOMPLETE_CHOICES)
        if current.strip() and (choice := read_zone(current, now)) is not None:  # "UTC+2", "New York"
            zones = [choice.zone, *(zone for zone in zones if zone != choice.zone)][:AUTOCOMPLETE_CHOICES]
        return [
            app_commands.Choice(name=f"{zone} ({utc_offset(ZoneInfo(zone), now)})", value=zone)
            for zone in zones
        ]

    @app_commands.command(
        name="status", description="Where and when the daily briefing posts, and any problem"
    )
    async def status(self, interaction: discord.Interaction) -> None:
        schedule = await get_schedule(self.bot.store, self._guild_id(interaction))
        reply = replies.status(schedule, self.bot.clock())
        await interaction.response.send_message(reply, ephemeral=True, allowed_mentions=MENTIONS)

    @app_commands.command(name="now", description="Post today's briefing now (it counts as today's)")
    async def post_now(self, interaction: discord.Interaction) -> None:
        schedule = await self._schedule(self._guild_id(interaction))
        if not schedule.enabled:
            raise UserFacingError(f"The daily briefing is off here. {replies.TURN_ON}")
        today = local_date(self.bot.clock(), schedule.zone)
        if (
            schedule.last_posted_at is not None
            and local_date(schedule.last_posted_at, schedule.zone) == today
        ):
            raise UserFacingError(replies.already_posted(schedule))
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.poster.post_now(schedule, today)
        await interaction.followup.send(replies.posted_now(outcome, schedule.channel_id), ephemeral=True)

    @app_commands.command(name="preview", description="See today's briefing, just for you; changes nothing")
    async def preview(self, interaction: discord.Interaction) -> None:
        guild_id = self._guild_id(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # first: all of it takes a while
        schedule = await get_schedule(self.bot.store, guild_id)
        zone = schedule.zone if schedule else ZoneInfo("UTC")
        shown = await shown_items(self.bot.store, [guild_id])
        since = schedule.last_briefing_at if schedule else None
        state = ServerState(guild_id, local_date(self.bot.clock(), zone), since, shown[guild_id])
        material = await load_material(self.bot.store, MAX_ARTICLES, guild_id, since, day=state.day)
        embed = briefing_embed(compose(material, state))
        note = "Preview: only you can see this, and it changes nothing."
        if schedule is None:
            note += " Dates are in UTC until `/briefing setup` sets your time zone."
        await interaction.followup.send(note, embed=embed, ephemeral=True, allowed_mentions=MENTIONS)

    @app_commands.command(name="off", description="Stop posting the daily briefing")
    async def off(self, interaction: discord.Interaction) -> None:
        if not await disable(self.bot.store, self._guild_id(interaction), self.bot.clock()):
            raise UserFacingError("There is no daily briefing here to turn off.")
        await interaction.response.send_message(
            "The daily briefing is off. `/briefing setup` turns it back on.", ephemeral=True
        )

    # -- helpers -----------------------------------------------------------------------------------------

    @staticmethod
    def _guild_id(interaction: discord.Interaction) -> int:
        if interaction.guild_id is None:  # interaction_check already refused DMs
            raise app_commands.NoPrivateMessage()
        return interaction.guild_id

    async def _schedule(self, guild_id: int) -> Schedule:
        schedule = await get_schedule(self.bot.store, guild_id)
        if schedule is None:
            raise UserFacingError("No daily briefing is set up here yet: use `/briefing setup` first.")
        return schedule

    @staticmethod
    def _missing_permission(interaction: discord.Interaction, channel: discord.abc.Snowflake) -> str | None:
        """The first permission the bot lacks in ``channel`` (without View Channel or Send Messages, the
        later ones do not apply), from what it can know without the member cache: the interaction's own
        ``app_permissions`` for the channel it came from; else the cached channel's overwrites against the
        bot's own member (Discord sends it with every guild even when members are not cached). When neither
        is known nothing is refused here: the first post tells, and a 403 then switches the briefing off
        with the problem shown by /briefing status."""
        if channel.id == interaction.channel_id:
            granted: discord.Permissions | None = interaction.app_permissions
        else:
            guild = interaction.guild
            resolved = guild.get_channel(channel.id) if guild else None
            me = guild.me if guild else None
            granted = resolved.permissions_for(me) if resolved is not None and me is not None else None
        if granted is None:
            return None
        return next((name for attribute, name in NEEDED if not getattr(granted, attribute)), None)
