"""/timeline: dated events in order, by actor and dates, paged; optionally with a picture of them."""

from __future__ import annotations

import datetime as dt
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.actor_option import ActorOption, pick_actor
from bot.chart import FILENAME, MAX_ROWS, render_timeline
from bot.client import BriefingBot, UserFacingError, send_ephemeral
from bot.extract.model import PartialDate
from bot.pager import DEFAULT_TIMEOUT
from bot.render import date_span, literal
from bot.resolve import Resolution
from bot.store import Store
from bot.store.models import TimelinePage
from bot.text import format_date
from bot.timeline_view import timeline_pager
from bot.userdates import DateAsked, nearest_year, read_user_date
from bot.workers import Worker, WorkerStopped

CHART_WORKER_IDLE_SECONDS = 600  # then matplotlib's memory goes back to the system until the next chart


async def read_option(
    store: Store, option: str, text: str | None, today: dt.date, notes: list[str], guild: int | None = None
) -> DateAsked | None:
    """A date option as typed, a missing year filled in with the year the articles are about (and a note
    saying so), or a message saying which option was not understood and why."""
    if text is None:
        return None
    try:
        typed = read_user_date(text)
        if (wanted := typed.needs_year) is None:
            return typed.dated()
        years = await store.event_years(*wanted, guild=guild)
        asked = typed.dated(nearest_year(years, today, *wanted))
    except ValueError as error:
        raise UserFacingError(f"`{option}`: {error}") from None
    why = "the year of the articles' events then" if years else "the latest before today (no events then)"
    notes.append(f"No year in `{option}`, so I took {asked.assumed_year}, {why}.")
    return asked


def narrow(
    start: DateAsked | None, end: DateAsked | None, on: DateAsked | None
) -> tuple[PartialDate | None, PartialDate | None, PartialDate | None]:
    """(from, to, on) for the store: a range typed in ``on`` narrows ``from`` and ``to``."""
    first, last = (start.first if start else None), (end.last if end else None)
    if on is None or on.single is not None:
        return first, last, on.single if on else None
    if first is None or on.first.first_day() > first.first_day():
        first = on.first
    if last is None or on.last.last_day() < last.last_day():
        last = on.last
    return first, last, None


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
        self.charts = Worker(idle_seconds=CHART_WORKER_IDLE_SECONDS)

    async def cog_unload(self) -> None:
        self.charts.close()

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
        today, store, notes = self.bot.clock().date(), self.bot.store, []
        first, last, day = narrow(
            await read_option(store, "from", start, today, notes, interaction.guild_id),
            await read_option(store, "to", end, today, notes, interaction.guild_id),
            await read_option(store, "on", on, today, notes, interaction.guild_id),
        )
        check_order(first, last)
        canonical = None
        if actor is not None:
            picked = await pick_actor(interaction, actor, timeout=self.pager_timeout)
            if picked is None:
                return
            canonical, interaction = picked.name, picked.interaction
            notes.insert(0, picked.note or "")
        note = " ".join(filter(None, notes)) or None
        span = date_span(first, last, day)
        title = f"Timeline: {canonical}" if canonical else "Timeline"
        drawn, read_first = None, None
        if chart:
            await interaction.response.defer(thinking=True)  # drawing can take longer than Discord's 3 s
            read_first = await store.timeline(
                canonical, first, last, day, limit=MAX_ROWS, guild=interaction.guild_id
            )
            drawn = await self._chart(read_first, f"{title} {span}") if read_first.events else None
            if read_first.events and drawn is None:
                note = " ".join(filter(None, [note, "The chart could not be drawn this time; try again."]))
        pager, found = await timeline_pager(
            store,
            interaction.user,
            title,
            header=span[:1].upper() + span[1:],
            actor=canonical,
            dates=(first, last, day),
            guild=interaction.guild_id,
            timeout=self.pager_timeout,
            image=f"attachment://{FILENAME}" if drawn else None,
            read_first=read_first,
        )
        if not found.events:
            await send_ephemeral(interaction, " ".join(filter(None, [note, empty_message(canonical, span)])))
            return
        await pager.start(interaction, file=drawn, content=note)

    async def _chart(self, found: TimelinePage, title: str) -> discord.File | None:
        """The picture of the first events found, drawn in the chart process; None when the drawing process
        died."""
        try:
            png = await render_timeline(self.charts, found.events, title.strip(), found.total)
        except WorkerStopped:
            return None
        return discord.File(io.BytesIO(png), filename=FILENAME)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Timeline(bot))
