"""What ``/feed`` says: the answer to an add, the list of feeds, and a new article's notice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.feeds import Item, one_line
from bot.render import add_field, lines_within, plural
from bot.store.feeds import FeedRow
from bot.text import EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT, escape, literal, truncate
from cogs.feeds._reader import Outcome

FEED_COLOUR = discord.Colour.orange()
FEEDS_PER_PAGE = 5


def refusal(reason: str) -> str:
    return truncate(f"Not followed: {reason}.", 300)


def _when(value: str | None) -> str:
    return f"<t:{int(datetime.fromisoformat(value).timestamp())}:R>" if value else "never"


def _item_line(item: Item, title: str | None) -> str:
    return f"• [{literal(title or item.title or item.url, 150)}]({item.url})"


def added_embed(row: FeedRow, outcome: Outcome, minutes: int) -> discord.Embed:
    """``/feed add``: what the feed gave at once, and what happens next."""
    embed = discord.Embed(title=truncate(f"Following: {row.name}", EMBED_TITLE_LIMIT), colour=FEED_COLOUR)
    lines = [_item_line(item, added.title) for item, added in outcome.added]
    head = f"Added {plural(len(outcome.added), 'article')} to this server's library"
    embed.description = lines_within([head + (":" if lines else "."), *lines], EMBED_DESCRIPTION_LIMIT - 300)
    if outcome.refused:
        refused = [f"{_item_line(item, None)}: {literal(reason, 150)}" for item, reason in outcome.refused]
        add_field(embed, f"Not added ({len(outcome.refused)})", lines_within(refused, 1000))
    if outcome.library_full:
        add_field(embed, "Library full", literal(outcome.library_full, 300))
    embed.set_footer(text=f"New items are read every {plural(minutes, 'minute')} · /feed list")
    if row.channel_id:
        add_field(embed, "Notices", f"A short notice of each new article goes to <#{row.channel_id}>.")
    return embed


def state_line(row: FeedRow) -> str:
    if row.state == "paused":
        return "⏸ paused after failing for a day: `/feed add` it again to resume"
    if row.failures:
        when = f"<t:{int(datetime.fromisoformat(row.next_poll_at).timestamp())}:R>"
        return f"⚠ backing off after {plural(row.failures, 'failure')}: next try {when}"
    return "✓ active"


def feed_entry(row: FeedRow) -> tuple[str, str]:
    """A feed's field in ``/feed list``: its name, and its state, times and last error."""
    value = [
        f"<{row.url}>",
        state_line(row),
        f"Checked {_when(row.last_checked_at)} · last new item {_when(row.last_new_item_at)}",
    ]
    if row.channel_id:
        value.append(f"Notices in <#{row.channel_id}>")
    if row.last_error:
        value.append(f"Last error: {literal(row.last_error, 300)}")
    return literal(row.name, 200), "\n".join(value)


def list_pages(rows: Sequence[FeedRow], limit: int) -> list[discord.Embed]:
    title = f"This server's feeds ({len(rows)} of {limit})"
    if not rows:
        return [discord.Embed(title=title, description="No feeds yet: `/feed add url:`.", colour=FEED_COLOUR)]
    pages = []
    for start in range(0, len(rows), FEEDS_PER_PAGE):
        embed = discord.Embed(title=title, colour=FEED_COLOUR)
        for row in rows[start : start + FEEDS_PER_PAGE]:
            add_field(embed, *feed_entry(row))
        pages.append(embed)
    return pages


def notice_embed(row: FeedRow, item: Item, title: str | None) -> discord.Embed:
    """A new article's notice: title (linked), one line, the source."""
    embed = discord.Embed(
        title=truncate(title or item.title or item.url, EMBED_TITLE_LIMIT),
        url=item.url,
        description=escape(one_line(item.content, 300)) or None,
        colour=FEED_COLOUR,
        timestamp=item.published,
    )
    embed.set_footer(text=truncate(f"{row.name} · added to this server's library", 200))
    return embed
