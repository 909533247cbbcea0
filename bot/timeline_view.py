"""A timeline as pages read from the store when they are turned to: /timeline and a profile's Timeline
button answer with one page of events, however many the store holds."""

from __future__ import annotations

from dataclasses import replace

import discord

from bot.extract.model import PartialDate
from bot.pager import LazyPager
from bot.render import EVENTS_PER_PAGE, timeline_page
from bot.store import Store
from bot.store.models import TimelinePage


async def timeline_pager(
    store: Store,
    owner: discord.abc.User,
    title: str,
    *,
    header: str = "",
    actor: str | None = None,
    dates: tuple[PartialDate | None, PartialDate | None, PartialDate | None] = (None, None, None),
    guild: int | None,
    timeout: float,
    image: str | None = None,
    read_first: TimelinePage | None = None,
) -> tuple[LazyPager, TimelinePage]:
    """The pager over the events of ``actor`` (canonical name) within ``dates`` (from, to, on), and the
    first page as read (its ``total`` says how many there are; no events: an empty page). ``image``: an
    attachment URL every page shows (the chart). ``read_first``: the first events, already read from
    offset 0 (for the chart), so they are not read again."""

    async def read(number: int) -> TimelinePage:
        offset = number * EVENTS_PER_PAGE
        return await store.timeline(actor, *dates, limit=EVENTS_PER_PAGE, offset=offset, guild=guild)

    async def page(number: int, found: TimelinePage | None = None) -> discord.Embed:
        found = found or await read(number)
        embed = timeline_page(found.events, title, number, first.total, header)
        return embed.set_image(url=image) if image else embed

    if read_first is not None:
        first = replace(read_first, events=read_first.events[:EVENTS_PER_PAGE], limit=EVENTS_PER_PAGE)
    else:
        first = await read(0)
    pages = -(-first.total // EVENTS_PER_PAGE)
    return LazyPager(await page(0, first), pages, page, owner, timeout=timeout), first
