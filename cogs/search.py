"""``/search``: full-text search over every sentence of the articles (word forms, phrases in quotes, an
actor under any of its names), matches in bold, grouped by article with the best first."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import UserFacingError
from bot.resolve import resolver_for
from bot.store import SearchHit
from bot.store.query import parse_terms
from bot.text import EMBED_DESCRIPTION_LIMIT, cite, escape, fitting, truncate

if TYPE_CHECKING:
    from bot.client import BriefingBot

RESULTS = 8
CANDIDATES = 40  # sentences fetched, so that grouping by article still shows the best of each
SNIPPET_LIMIT = 400
# The store wraps matched words in these; private-use characters never occur in articles, so the snippet
# can be escaped as a whole and the markers turned into bold afterwards.
OPEN, CLOSE = "\ue000", "\ue001"
_WORD = re.compile(r"\w")


def highlight(snippet: str, limit: int = SNIPPET_LIMIT) -> str:
    """The snippet cut at a word, markdown in the article text escaped, matched words in bold."""
    text = truncate(snippet, limit)
    if text.count(OPEN) > text.count(CLOSE):  # the cut fell inside a match
        text += CLOSE
    return escape(text).replace(OPEN, "**").replace(CLOSE, "**")


def hit_entry(number: int, hit: SearchHit) -> str:
    return f"**{number}.** {highlight(hit.snippet)}\n— *{escape(cite(hit.citation))}*"


def by_article(hits: list[SearchHit], limit: int = RESULTS) -> list[SearchHit]:
    """The best ``limit`` hits, grouped by article: the article of the best hit first, each article's
    hits in their own order of relevance."""
    chosen = hits[:limit]
    order = {key: rank for rank, key in reversed(list(enumerate(h.citation.document for h in chosen)))}
    return sorted(chosen, key=lambda hit: order[hit.citation.document])


def results_embed(hits: list[SearchHit]) -> discord.Embed:
    """One numbered entry per matching sentence under its article's title, as many as fit."""
    entries: list[str] = []
    article = None
    for number, hit in enumerate(hits, start=1):
        entry = hit_entry(number, hit)
        if hit.citation.document != article:
            article = hit.citation.document
            entry = f"__{escape(truncate(hit.citation.title, 200))}__\n{entry}"
        entries.append(entry)
    entries = fitting(entries, EMBED_DESCRIPTION_LIMIT, gap=len("\n\n"))
    embed = discord.Embed(title="Found in the articles", description="\n\n".join(entries))
    noun = "sentence" if len(entries) == 1 else "sentences"
    embed.set_footer(text=f"{len(entries)} matching {noun}, best first · /source shows a whole paragraph")
    return embed


class Search(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="search", description="Find sentences in the articles that use these words")
    @app_commands.describe(text="Words to look for, e.g. Haftar offensive")
    async def search(self, interaction: discord.Interaction, text: str) -> None:
        if not _WORD.search(text):
            raise UserFacingError("Type a word or two to look for, e.g. /search text:Haftar offensive")
        guild = interaction.guild_id
        terms = (await resolver_for(self.bot.store, guild)).expand_names(parse_terms(text))
        hits = by_article(
            await self.bot.store.search(terms, limit=CANDIDATES, marks=(OPEN, CLOSE), guild=guild)
        )
        if not hits:
            raise UserFacingError(
                "No sentence in the articles uses those words. Try other or fewer words, a name "
                "(e.g. Haftar), or /help to see what I know."
            )
        await interaction.response.send_message(
            embed=results_embed(hits), allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Search(bot))
