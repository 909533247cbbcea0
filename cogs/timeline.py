"""/timeline: dated events in order, by actor and dates, paged; optionally with a picture of them."""

from __future__ import annotations

import datetime as dt
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.actor_option import ActorOption, pick_actor
from bot.chart import FILENAME, render_timeline
from bot.client import BriefingBot, UserFacingError, send_ephemeral
from bot.extract.dates import parse_user_date
from bot.extract.model import PartialDate
from bot.pager import DEFAULT_TIMEOUT, Pager
from bot.render import date_span, literal, timeline_pages
from bot.resolve import Resolution
from bot.store.models import TimelinePage
from bot.text import format_date

MAX_EVENTS = 200  # pre-rendered into pages; beyond this the footer asks for narrower dates


def parse_option(option: str, text: str | None, today: dt.date) -> PartialDate | None:
    """A date option as typed, or a message saying which option was not understood and why."""
    if text is None:
        return None
    try:
        return parse_user_date(text, today)
    except ValueError as error:
        raise UserFacingError(f"`{option}`: {error}") from None


def check_order(start: PartialDate | None, end: PartialDate | None) -> None:
    if start and end and start.first_day() > end.last_day():
        raise UserFacingError(
            f"`from` ({format_date(start)}) is after `to` ({format_date(end)}): swap them, or leave one out."
        )


def empty_message(actor: str | None, span: str) -> str:
    """Nothing matched: say what was asked, and how to widen it."""
    who = f" for **{literal(actor, 100)}**" if actor else ""
    when = f" {span}" if span else ""
    advice = "Try a wider range of dates, or leave them out." if span else "Try /timeline without an actor."
    return f"No dated events{who}{when} in the articles. {advice}"


class Timeline(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.pager_timeout = DEFAULT_TIMEOUT  # seconds the buttons stay live; tests shorten it

    @app_commands.command(
        name="timeline", description="Dated events in order, with sources; filter by actor or dates"
    )
    @app_commands.rename(start="from", end="to")
    @app_commands.describe(
        actor="Only events this person, group or country takes part in",
        start="Earliest date, e.g. April 2019, 2019-04-08 or 8 Apr",
        end="Latest date, e.g. April 2019, 2019-04-16 or 16 Apr",
        on="One day, month or year, e.g. 8 Apr 2019 or April 2019",
        chart="Also attach a picture of the timeline",
    )
    async def timeline(
        self,
        interaction: discord.Interaction[BriefingBot],
        actor: app_commands.Transform[Resolution, ActorOption] | None = None,
        start: str | None = None,
        end: str | None = None,
        on: str | None = None,
        chart: bool = False,
    ) -> None:
        today = self.bot.clock().date()
        first = parse_option("from", start, today)
        last = parse_option("to", end, today)
        day = parse_option("on", on, today)
        check_order(first, last)
        canonical, note = None, None
        if actor is not None:
            picked = await pick_actor(interaction, actor, timeout=self.pager_timeout)
            if picked is None:
                return
            canonical, note, interaction = picked.name, picked.note, picked.interaction
        found = await self.bot.store.timeline(canonical, first, last, day, limit=MAX_EVENTS)
        span = date_span(first, last, day)
        if not found.events:
            await send_ephemeral(interaction, " ".join(filter(None, [note, empty_message(canonical, span)])))
            return
        await self._answer(interaction, found, canonical, span, chart=chart, note=note)

    async def _answer(
        self,
        interaction: discord.Interaction[BriefingBot],
        found: TimelinePage,
        actor: str | None,
        span: str,
        *,
        chart: bool,
        note: str | None = None,
    ) -> None:
        title = f"Timeline: {actor}" if actor else "Timeline"
        pages = timeline_pages(found.events, title, span[:1].upper() + span[1:], total=found.total)
        file = None
        if chart:
            await interaction.response.defer(thinking=True)  # drawing can take longer than Discord's 3 s
            png = await render_timeline(found.events, f"{title} {span}".strip())
            file = discord.File(io.BytesIO(png), filename=FILENAME)
            for page in pages:
                page.set_image(url=f"attachment://{FILENAME}")
        pager = Pager(pages, interaction.user, timeout=self.pager_timeout)
        await pager.start(interaction, file=file, content=note)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Timeline(bot))
