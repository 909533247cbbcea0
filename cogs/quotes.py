"""``/quote``: statements from the articles, verbatim, attributed, dated and cited."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.actor_option import ActorOption, pick_actor
from bot.client import UserFacingError
from bot.pager import DEFAULT_TIMEOUT
from bot.render import said, speaker_name
from bot.resolve import Resolution, resolver_for
from bot.store import QuoteFact, Store
from bot.store.query import parse_terms
from bot.text import (
    CONTENT_LIMIT,
    EMBED_FIELDS_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    cite,
    escape,
    fitting,
    format_date,
    literal,
    truncate,
)

if TYPE_CHECKING:
    from bot.client import BriefingBot

FOOTER_RESERVE = 200  # room kept in the embed's 6,000 characters for the footer


def quote_field(quote: QuoteFact) -> tuple[str, str]:
    """(name, value) of one statement: who and when, then the words and where they come from."""
    name = truncate(f"{speaker_name(quote, 200)} · {format_date(quote.date)}", FIELD_NAME_LIMIT)
    source = f"\n— *{literal(cite(quote.citation), 300)}*"
    return name, said(quote, FIELD_VALUE_LIMIT - len(source)) + source


def quotes_embed(title: str, quotes: list[QuoteFact], more: bool) -> discord.Embed:
    """As many statements as fit Discord's embed limits, with a footer saying when some were left out."""
    embed = discord.Embed(title=truncate(title, EMBED_TITLE_LIMIT))
    budget = EMBED_TOTAL_LIMIT - len(embed.title or "") - FOOTER_RESERVE
    fields = [quote_field(quote) for quote in quotes[:EMBED_FIELDS_LIMIT]]
    for name, value in fitting(fields, budget, size=lambda field: len(field[0]) + len(field[1])):
        embed.add_field(name=name, value=value, inline=False)
    shown = len(embed.fields)
    if shown < len(quotes) or more:
        footer = f"Showing {shown} statements; add a speaker or topic to narrow them down."
        embed.set_footer(text=truncate(footer, FOOTER_LIMIT))
    return embed


def describe_query(speaker: str | None, topic: str | None, what: str = "Statements") -> str:
    """A title like 'Statements by X about “Y”', the topic made one printable line (users type anything)."""
    parts = [what]
    if speaker:
        parts.append(f"by {speaker}")
    if topic:
        printable = "".join(c if c.isprintable() else " " for c in topic)
        parts.append(f"about “{truncate(' '.join(printable.split()), 80)}”")
    return escape(" ".join(parts))


class Quotes(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.rng = random.Random()
        self.menu_timeout = DEFAULT_TIMEOUT  # seconds a menu of several speakers stays live; tests shorten it

    @property
    def store(self) -> Store:
        return self.bot.store

    @app_commands.command(name="quote", description="What people said, word for word, with date and source")
    @app_commands.describe(
        speaker="Who said it (start typing a name); leave empty for any speaker",
        topic="Words the statement should be about, e.g. Tripoli",
    )
    async def quote(
        self,
        interaction: discord.Interaction,
        speaker: app_commands.Transform[Resolution, ActorOption] | None = None,
        topic: str | None = None,
    ) -> None:
        topic = (topic or "").strip() or None
        name, note = None, None
        if speaker is not None:
            picked = await pick_actor(interaction, speaker, timeout=self.menu_timeout)
            if picked is None:
                return
            name, note, interaction = picked.name, picked.note, picked.interaction
        guild = interaction.guild_id
        if name is None and topic is None:
            embed = await self._random_quote(guild)
        else:
            embed = await self._matching_quotes(name, topic, guild)
        await interaction.response.send_message(
            content=note, embed=embed, allowed_mentions=discord.AllowedMentions.none()
        )

    async def _random_quote(self, guild: int | None) -> discord.Embed:
        found = await self.store.random_quote(self.rng, guild=guild)
        if found is None:
            raise UserFacingError("I have no statements yet: the articles in my store quote nobody.")
        return quotes_embed("A statement from the articles", [found], more=False)

    async def _matching_quotes(self, name: str | None, topic: str | None, guild: int | None) -> discord.Embed:
        terms = (await resolver_for(self.store, guild)).expand_names(parse_terms(topic)) if topic else None
        found = await self.store.quotes(speaker=name, topic=terms, limit=EMBED_FIELDS_LIMIT + 1, guild=guild)
        if not found:
            raise UserFacingError(await self._nothing_found(name, topic, guild))
        return quotes_embed(describe_query(name, topic), found, more=len(found) > EMBED_FIELDS_LIMIT)

    async def _nothing_found(self, speaker: str | None, topic: str | None, guild: int | None) -> str:
        speakers = sorted(escape(name) for name in await self.store.speakers(guild=guild))
        message = f"I found no {describe_query(speaker, topic, 'statements')}."
        if speakers:
            message += f" I have statements by {', '.join(speakers)}."
        return truncate(message + " Try /quote with fewer words, or /search for any mention.", CONTENT_LIMIT)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Quotes(bot))
