"""``/feed add|list|remove`` and the one poll loop over every server's feeds.

Adding and removing need Manage Server (the group's default permission, checked again at run time), like
``/article``. New articles found by the poll loop get a notice in the feed's channel when it has one.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.client import UserFacingError
from bot.feeds import FeedError
from bot.pager import DEFAULT_TIMEOUT, NO_MENTIONS, Pager
from bot.render import plural
from bot.store import feeds as feed_store
from bot.store.feeds import FeedRow
from bot.text import CHOICE_NAME_LIMIT, literal, truncate
from bot.web import FetchError, normalize_url
from cogs.feeds._reader import FIRST_ITEMS, FeedReader, Outcome, body_hash
from cogs.feeds._replies import added_embed, list_pages, notice_embed, refusal

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger(__name__)

AUTOCOMPLETE_CHOICES = 25


def _require_manage_server(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return interaction.guild_id


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Feeds(commands.GroupCog, group_name="feed", group_description="RSS and Atom feeds this server follows"):
    """``/feed``: feeds whose new articles go into this server's library."""

    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.reader = FeedReader(bot)
        self.timeout = DEFAULT_TIMEOUT

    async def cog_load(self) -> None:
        self.poll_loop.start()

    async def cog_unload(self) -> None:
        self.poll_loop.cancel()
        self.reader.close()

    # -- /feed add -----------------------------------------------------------------------------------------

    @app_commands.command(
        name="add", description="Follow an RSS or Atom feed: its articles join this server's"
    )
    @app_commands.describe(
        url="The feed's address", channel="Where to post a short notice of each new article (optional)"
    )
    async def add(
        self,
        interaction: discord.Interaction[BriefingBot],
        url: app_commands.Range[str, 1, 2000],
        channel: discord.TextChannel | None = None,
    ) -> None:
        guild_id = _require_manage_server(interaction)
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise UserFacingError(refusal("only http:// and https:// addresses can be fetched"))
        store, now = self.bot.store, self.bot.clock()
        channel_id = channel.id if channel else None
        known = await feed_store.feed_by_key(store, guild_id, normalize_url(url))
        if known is not None:
            if known.state == "paused":
                await feed_store.resume_feed(store, known.id, channel_id, now)
                message = f"Resumed **{literal(known.name, 200)}**: it is read again at the next check."
            else:
                message = f"This server already follows **{literal(known.name, 200)}** (`/feed list`)."
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        limit = self.bot.settings.server_feed_limit
        if await feed_store.count_feeds(store, guild_id) >= limit:
            raise UserFacingError(
                refusal(f"this server follows {limit} feeds, the most it may; `/feed remove` one")
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            got, feed = await self.reader.read_feed(url)
        except FetchError as error:
            await self._say(interaction, refusal(error.reason))
            return
        except FeedError as error:
            await self._say(interaction, refusal(str(error)))
            return
        if (same := await feed_store.feed_by_key(store, guild_id, normalize_url(got.url))) is not None:
            await self._say(interaction, f"This server already follows **{literal(same.name, 200)}**.")
            return
        feed_id = await feed_store.add_feed(
            store, guild_id=guild_id, url=url, url_key=normalize_url(url), title=feed.title, link=feed.link,
            channel_id=channel_id, added_by=interaction.user.id, etag=got.etag,
            last_modified=got.last_modified, now=now, next_poll_at=now + self.reader.interval,
        )  # fmt: skip
        row = await feed_store.feed_by_id(store, feed_id)
        assert row is not None
        outcome = await self.reader.take(row, feed, first=FIRST_ITEMS, now=now)
        full = outcome.library_full is not None  # no validators then: the waiting items need a full GET
        await feed_store.save_poll(
            store, row.id, replace(row.health, last_error=outcome.library_full), now,
            etag=None if full else got.etag, last_modified=None if full else got.last_modified,
            new_items=bool(outcome.added), body_hash=None if full else body_hash(got.body),
        )  # fmt: skip
        await store.refresh()
        embed = added_embed(row, outcome, self.bot.settings.feed_poll_minutes)
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @staticmethod
    async def _say(interaction: discord.Interaction, message: str) -> None:
        await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)

    # -- /feed list, /feed remove -------------------------------------------------------------------------

    @app_commands.command(name="list", description="The feeds this server follows, with their state")
    async def list_feeds(self, interaction: discord.Interaction[BriefingBot]) -> None:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        rows = await feed_store.guild_feeds(self.bot.store, interaction.guild_id)
        pages = list_pages(rows, self.bot.settings.server_feed_limit)
        await Pager(pages, interaction.user, timeout=self.timeout).start(interaction, ephemeral=True)

    @app_commands.command(name="remove", description="Stop following a feed (its articles stay)")
    @app_commands.describe(feed="The feed (start typing its title)")
    async def remove(self, interaction: discord.Interaction[BriefingBot], feed: str) -> None:
        guild_id = _require_manage_server(interaction)
        rows = await feed_store.guild_feeds(self.bot.store, guild_id)
        row = next((r for r in rows if str(r.id) == feed.strip()), None) or next(
            (r for r in rows if feed.casefold().strip() in {r.name.casefold(), r.url.casefold()}), None
        )
        if row is None:
            raise UserFacingError("This server follows no feed by that name; `/feed list` shows them.")
        articles = await feed_store.remove_feed(self.bot.store, guild_id, row.id)
        kept = (
            f" The {plural(articles or 0, 'article')} it added stay in this server's library "
            "(`/article remove` removes one)."
            if articles
            else ""
        )
        await interaction.response.send_message(
            f"Stopped following **{literal(row.name, 200)}**.{kept}",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @remove.autocomplete("feed")
    async def feed_choices(
        self, interaction: discord.Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        typed = current.casefold().strip()
        rows = await feed_store.guild_feeds(self.bot.store, interaction.guild_id)
        return [
            app_commands.Choice(name=truncate(row.name, CHOICE_NAME_LIMIT), value=str(row.id))
            for row in rows
            if typed in f"{row.name}\n{row.url}".casefold()
        ][:AUTOCOMPLETE_CHOICES]

    # -- polling -------------------------------------------------------------------------------------------

    @tasks.loop(minutes=1)
    async def poll_loop(self) -> None:
        await self.poll_cycle()

    @poll_loop.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def poll_cycle(self) -> None:
        """Every feed whose time has come (each one every FEED_POLL_MINUTES, later when it backs off), then
        the notices of what they brought."""
        for row, outcome in await self.reader.poll_cycle():
            if row.channel_id and outcome.added:
                await self._notify(row, outcome)

    async def _notify(self, row: FeedRow, outcome: Outcome) -> None:
        assert row.channel_id is not None
        channel = self.bot.get_partial_messageable(row.channel_id, guild_id=row.guild_id)
        for item, added in outcome.added:
            try:
                await channel.send(embed=notice_embed(row, item, added.title), allowed_mentions=NO_MENTIONS)
            except (discord.Forbidden, discord.NotFound) as error:
                problem = f"notices stopped: Discord refused my post in the channel ({error.status})"
                await feed_store.stop_notices(self.bot.store, row.id, problem)
                return
            except discord.HTTPException as error:
                log.warning("feed %s: a notice could not be posted (%s)", row.id, error.status)
                return
