"""The lookup cog: the "Look up actors" message menu, answers when mentioned, and opt-in automatic
answers to "who is …?" questions (``/lookup on|off|status``)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import UserFacingError
from bot.mentions import find_actors, parse_question, resolve_subject, strip_markup
from bot.resolve import ActorResolver, resolver_for
from bot.store import Store
from bot.store.settings import lookup_enabled, set_lookup_enabled
from cogs.lookup._render import (
    MAX_PROFILES,
    NO_SUBJECT,
    NONE_FOUND,
    profiles_answer,
    short_profile,
    unknown_answer,
)
from cogs.lookup._throttle import ChannelThrottle

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger("bot.lookup")

AUTO_ANSWER_SECONDS = 30  # per channel: Discord allows about 5 messages per 5 s, chat needs far fewer
SUGGESTIONS = 5
NO_MENTIONS = discord.AllowedMentions.none()
INTENT_MISSING = (
    "I can't read messages that don't mention me: my operator has to set `MESSAGE_CONTENT_INTENT=true` "
    "and switch on the Message Content intent for this bot in the Discord Developer Portal, then restart "
    "me. Until then, members can mention me with a question or use **Look up actors** on a message."
)
TURNED_ON = (
    "Automatic answers are **on**: I answer questions like “who is Maiteeq?” or “what is the LNA?” in "
    f"channels I can read, at most once every {AUTO_ANSWER_SECONDS} s per channel. `/lookup off` stops them."
)
TURNED_OFF = "Automatic answers are **off**. Members can still mention me or use **Look up actors**."


def _guild_id(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


def _manages_server(interaction: discord.Interaction) -> bool:
    """The run-time half of the double gate: a server admin can widen who is offered ``/lookup``, but only
    members with Manage Server may change the setting."""
    _guild_id(interaction)
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


class Lookup(commands.Cog):
    lookup = app_commands.Group(
        name="lookup",
        description="Automatic answers to “who is …?” questions in this server",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.throttle = ChannelThrottle(bot.clock, timedelta(seconds=AUTO_ANSWER_SECONDS))
        self._enabled: dict[int, bool] = {}  # guild id → setting, so chat messages cost no query
        self.menu = app_commands.ContextMenu(name="Look up actors", callback=self.look_up_actors)

    @property
    def store(self) -> Store:
        return self.bot.store

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    # -- the message menu ------------------------------------------------------------------------------------

    async def look_up_actors(self, interaction: discord.Interaction, message: discord.Message) -> None:
        guild = interaction.guild_id
        resolver = await self._resolver(guild)
        content, embeds = await self._answer(find_actors(resolver, message_text(message)), guild)
        if content is None and not embeds:
            content = NONE_FOUND
        await interaction.response.send_message(
            content, embeds=embeds, ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    # -- chat ------------------------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None or self.bot.user is None:
            return
        if any(user.id == self.bot.user.id for user in message.mentions):
            await self._answer_mention(message)
        elif self.bot.settings.message_content and message.guild is not None:
            await self._answer_question(message, message.guild.id)

    async def _answer_mention(self, message: discord.Message) -> None:
        """A profile for the name or question addressed to me, the actors the text names, or suggestions."""
        text = strip_markup(message.content)
        subject = parse_question(text) or text
        if not subject:
            await self._reply(message, NO_SUBJECT)
            return
        guild = message.guild.id if message.guild else None
        resolver = await self._resolver(guild)
        actor = resolve_subject(resolver, subject)
        content, embeds = await self._answer([actor] if actor else find_actors(resolver, subject), guild)
        if content is None and not embeds:
            content = unknown_answer(subject, resolver.rank(subject, SUGGESTIONS))
        await self._reply(message, content, embeds)

    async def _answer_question(self, message: discord.Message, guild_id: int) -> None:
        """Unprompted: only a clear question about a known actor, where enabled, once per channel window."""
        subject = parse_question(message.content)
        if subject is None or not await self._lookup_enabled(guild_id):
            return
        actor = resolve_subject(await self._resolver(guild_id), subject)
        if actor is None or not self.throttle.allow(message.channel.id):
            return
        profile = await self.store.actor(actor, guild=guild_id)
        if profile is not None:
            await self._reply(message, embeds=[short_profile(profile)])

    async def _reply(
        self, message: discord.Message, content: str | None = None, embeds: list[discord.Embed] | None = None
    ) -> None:
        try:
            await message.channel.send(
                content,
                embeds=embeds or [],
                reference=message.to_reference(fail_if_not_exists=False),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as error:  # no permission to post here, or the channel is gone
            log.warning("could not answer in channel %s: %s", message.channel.id, error)

    async def _resolver(self, guild: int | None) -> ActorResolver:
        await self.store.refresh()  # messages do not pass the command tree's refresh
        return await resolver_for(self.store, guild)

    async def _answer(self, names: list[str], guild: int | None) -> tuple[str | None, list[discord.Embed]]:
        """Short profiles of the first few actors, the others by name; (None, []) for no actor."""
        profiles = [await self.store.actor(name, guild=guild) for name in names[:MAX_PROFILES]]
        found = [profile for profile in profiles if profile is not None]
        return profiles_answer(found, names[MAX_PROFILES:])

    async def _lookup_enabled(self, guild_id: int) -> bool:
        if guild_id not in self._enabled:
            self._enabled[guild_id] = await lookup_enabled(self.store, guild_id)
        return self._enabled[guild_id]

    # -- /lookup ---------------------------------------------------------------------------------------------

    @lookup.command(name="on", description="Answer “who is …?” questions in this server without a mention")
    @app_commands.check(_manages_server)
    async def lookup_on(self, interaction: discord.Interaction) -> None:
        if not self.bot.settings.message_content:
            raise UserFacingError(INTENT_MISSING)
        await self._set(interaction, enabled=True)
        await interaction.response.send_message(TURNED_ON, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @lookup.command(name="off", description="Stop answering questions that don't mention me")
    @app_commands.check(_manages_server)
    async def lookup_off(self, interaction: discord.Interaction) -> None:
        await self._set(interaction, enabled=False)
        await interaction.response.send_message(TURNED_OFF, ephemeral=True, allowed_mentions=NO_MENTIONS)

    @lookup.command(name="status", description="Whether I answer questions here without a mention")
    @app_commands.check(_manages_server)
    async def lookup_status(self, interaction: discord.Interaction) -> None:
        enabled = await self._lookup_enabled(_guild_id(interaction))
        if not self.bot.settings.message_content:
            text = "Automatic answers are **unavailable**. " + INTENT_MISSING
        elif enabled:
            text = TURNED_ON
        else:
            text = TURNED_OFF + " `/lookup on` starts automatic answers."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def _set(self, interaction: discord.Interaction, *, enabled: bool) -> None:
        guild_id = _guild_id(interaction)
        await set_lookup_enabled(self.store, guild_id, enabled, now=self.bot.clock())
        self._enabled[guild_id] = enabled
        log.info("automatic lookups %s in guild %s", "on" if enabled else "off", guild_id)


def message_text(message: discord.Message) -> str:
    """The words a message shows: its content, then its embeds' titles and descriptions."""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
    return "\n".join(part for part in parts if part)
