"""The bot: a ``commands.AutoShardedBot`` that owns the store, loads one cog per capability, and syncs its
application commands only when their definitions change (Discord rate-limits command creation)."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.discord_api import use_gateway_from_api
from bot.library import Library
from bot.resolve import resolver_for
from bot.store import Store
from bot.web import FetchPolicy, open_session

log = logging.getLogger("bot")

COGS = (
    "cogs.actors",
    "cogs.timeline",
    "cogs.quotes",
    "cogs.search",
    "cogs.sources",
    "cogs.briefing",
    "cogs.help",
    "cogs.lookup",
    "cogs.library",
    "cogs.upkeep",
    "cogs.feeds",
)
COMMANDS_HASH_KEY = "app_commands_hash"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class UserFacingError(app_commands.AppCommandError):
    """An error whose message is meant for the user as it is (bad input, missing permission)."""


class BriefingTree(app_commands.CommandTree):
    """One error path for every app command: an ephemeral answer, a logged traceback with an id."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        client = interaction.client
        if isinstance(client, BriefingBot):
            await client.store.refresh()  # one PRAGMA; picks up an ingest done while the bot runs
        if interaction.command is not None:
            log.info(
                "command /%s guild=%s user=%s",
                interaction.command.qualified_name,
                interaction.guild_id,
                interaction.user.id,
            )
        return True

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        if isinstance(error, UserFacingError | app_commands.CheckFailure):
            message = str(error) or "You can't use this command here."
            if isinstance(error, app_commands.NoPrivateMessage):
                message = "Use this command in a server."
            elif isinstance(error, app_commands.MissingPermissions):
                message = "You need the Manage Server permission to do that."
        else:
            error_id = secrets.token_hex(4)
            log.error(
                "error %s in /%s",
                error_id,
                interaction.command and interaction.command.qualified_name,
                exc_info=original,
            )
            message = f"Sorry, something went wrong on my side (error `{error_id}`). Please try again."
        await send_ephemeral(interaction, message)


async def send_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """Answer in whichever state the interaction is in: response, follow-up, or (token gone) nothing."""
    mentions = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=mentions)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=mentions)
    except discord.HTTPException as exc:  # expired token or unknown interaction: nothing left to answer
        log.warning("could not deliver an error message: %s", exc)


def bot_intents(settings: Settings) -> discord.Intents:
    """Default intents; message content only when automatic chat lookups are configured."""
    intents = discord.Intents.default()
    intents.members = False
    intents.presences = False
    intents.message_content = settings.message_content
    return intents


class BriefingBot(commands.AutoShardedBot):
    def __init__(self, settings: Settings, *, cogs: tuple[str, ...] = COGS, clock: Clock = utc_now) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(settings),
            tree_cls=BriefingTree,
            max_messages=None,
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.none(),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=settings.shard_count,
            shard_ids=settings.shard_ids,
        )
        self.settings = settings
        self.cog_modules = cogs
        self.clock = clock
        self._store: Store | None = None
        self._web: aiohttp.ClientSession | None = None
        self._warm_up: asyncio.Task[None] | None = None
        self.library = Library(settings.db_path, article_limit=settings.server_article_limit)
        self.fetch_policy = FetchPolicy(allow_private=settings.allow_private_urls)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened in setup_hook")
        return self._store

    @property
    def web(self) -> aiohttp.ClientSession:
        """The session for fetching pages and feeds (not Discord's: its own limits and headers)."""
        if self._web is None:
            self._web = open_session(self.fetch_policy)
        return self._web

    async def setup_hook(self) -> None:
        if self.settings.api_base_is_custom:
            await use_gateway_from_api(self)
        self._store = await Store.open(self.settings.db_path)
        for module in self.cog_modules:
            await self.load_extension(module)
        await self.sync_commands()
        self._warm_up = asyncio.create_task(self._build_name_index())

    async def _build_name_index(self) -> None:
        """Build the operator's name index while the bot connects, so the first command naming an actor
        after a start does not wait for it (about half a second at 10,000 actors)."""
        try:
            await resolver_for(self.store)
        except Exception:  # the first command naming an actor builds it again and reports what fails
            log.warning("could not build the name index at start", exc_info=True)
            return
        # What start-up built lives as long as the bot: hundreds of thousands of objects at 10,000 actors,
        # which each full collection would walk again (a pause of ~50 ms in whatever command it hits).
        gc.freeze()

    async def close(self) -> None:
        if self._warm_up is not None:
            self._warm_up.cancel()
        await super().close()
        self.library.close()
        if self._web is not None:
            await self._web.close()
            self._web = None
        if self._store is not None:
            store, self._store = self._store, None  # a second close() while this one runs has nothing to do
            await store.close()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages only reach the lookup cog's listener (a mention is no command)."""

    def commands_hash(self) -> str:
        """A fingerprint of every command definition, so a restart with no changes syncs nothing."""
        definitions = sorted(
            (json.dumps(command.to_dict(self.tree), sort_keys=True) for command in self.tree.get_commands()),
        )
        return hashlib.sha256("\n".join(definitions).encode()).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Sync to ``DEV_GUILD_ID`` (instant) or globally, only when the definitions changed or forced."""
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        key = f"{COMMANDS_HASH_KEY}:{self.application_id}:{guild.id if guild else 'global'}"
        fingerprint = self.commands_hash()
        if not force and await self.store.meta(key) == fingerprint:
            return False
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        await self.store.set_meta(key, fingerprint)
        log.info("synced %d application commands (%s)", len(synced), "dev guild" if guild else "global")
        return True
