"""``/source``: the articles the bot knows, and any paragraph of one of them, cited."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import UserFacingError
from bot.store import DocumentInfo, Paragraph, Store
from bot.text import (
    AUTOCOMPLETE_CHOICES,
    CHOICE_NAME_LIMIT,
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    cite,
    escape,
    fitting,
    format_date,
    truncate,
)

if TYPE_CHECKING:
    from bot.client import BriefingBot

ENTRY_LIMIT = 600  # one article's lines in the list
TITLE_LIMIT = 200  # a title inside a longer text
MORE_ROOM = 100  # for "…and N more" after the articles that fit
LISTED = 40  # articles read for the list (more than its 4,096 characters can hold)


def article_entry(document: DocumentInfo) -> str:
    """Title, then author · date · source, then size and the key to pass as ``article``."""
    title = escape(truncate(document.title or document.key, TITLE_LIMIT))
    details = [f"by {escape(document.author)}" if document.author else "author unknown"]
    details.append(format_date(document.published))
    if document.source:
        details.append(escape(document.source))
    size = f"{document.paragraphs} paragraphs · {escape(document.key)}"
    return truncate("\n".join((f"**{title}**", " · ".join(details), size)), ENTRY_LIMIT)


def articles_embed(documents: list[DocumentInfo], total: int | None = None) -> discord.Embed:
    """The newest articles that fit the description, saying how many of ``total`` were left out."""
    total = len(documents) if total is None else total
    entries = fitting([article_entry(d) for d in documents], EMBED_DESCRIPTION_LIMIT - MORE_ROOM, gap=2)
    if len(entries) < total:
        entries.append(f"…and {total - len(entries)} more: type in the article option to find one.")
    embed = discord.Embed(title=f"Articles I know ({total})", description="\n\n".join(entries))
    embed.set_footer(text="Read a paragraph with /source article:<title> paragraph:<number>")
    return embed


def paragraph_embed(paragraph: Paragraph) -> discord.Embed:
    citation = paragraph.citation
    embed = discord.Embed(
        title=truncate(escape(cite(citation)), EMBED_TITLE_LIMIT),
        description=truncate(escape(paragraph.text), EMBED_DESCRIPTION_LIMIT),
    )
    embed.set_footer(text=f"Paragraph {citation.paragraph} of {paragraph.total} · {citation.document}")
    return embed


def known_articles(documents: list[DocumentInfo]) -> str:
    titles = "; ".join(escape(truncate(d.title or d.key, TITLE_LIMIT)) for d in documents)
    return f"The articles I know: {titles}." if documents else "I have no articles yet."


class Sources(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @property
    def store(self) -> Store:
        return self.bot.store

    @app_commands.command(name="source", description="List the articles I know, or read one paragraph of one")
    @app_commands.describe(
        article="The article (start typing its title); leave empty to list them all",
        paragraph="Paragraph number to read, starting at 1",
    )
    async def source(
        self,
        interaction: discord.Interaction,
        article: str | None = None,
        paragraph: app_commands.Range[int, 1] | None = None,
    ) -> None:
        guild = interaction.guild_id
        documents = await self.store.documents(guild=guild, limit=LISTED)
        if article is None and paragraph is None:
            embed = articles_embed(documents, (await self.store.summary(guild=guild, titles=0)).documents)
        else:
            embed = paragraph_embed(
                await self._paragraph(documents, article, 1 if paragraph is None else paragraph, guild)
            )
        await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())

    async def _paragraph(
        self, documents: list[DocumentInfo], article: str | None, number: int, guild: int | None
    ) -> Paragraph:
        """The asked paragraph, or an error naming the known articles or the valid range."""
        if article is None:
            if len(documents) != 1:
                message = "Pick an article too. " + known_articles(documents)
                raise UserFacingError(truncate(message, CONTENT_LIMIT))
            article = documents[0].key
        found = await self.store.paragraph(article, number, guild=guild)
        if found is not None:
            return found
        first = await self.store.paragraph(article, 1, guild=guild)
        if first is None:
            message = "I have no article by that name. " + known_articles(documents)
            raise UserFacingError(truncate(message, CONTENT_LIMIT))
        title = escape(truncate(first.citation.title, TITLE_LIMIT))
        raise UserFacingError(f"“{title}” has paragraphs 1 to {first.total}; there is no paragraph {number}.")

    @source.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Articles whose title or key contains what was typed; the value is the key."""
        matches = await self.store.documents(
            guild=interaction.guild_id, containing=current.strip(), limit=AUTOCOMPLETE_CHOICES * 2
        )
        return [
            app_commands.Choice(name=truncate(d.title or d.key, CHOICE_NAME_LIMIT), value=d.key)
            for d in matches[:AUTOCOMPLETE_CHOICES]
            if len(d.key) <= CHOICE_NAME_LIMIT
        ]


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Sources(bot))
