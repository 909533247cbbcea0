"""Posting briefings: every due server in one tick, concurrently, and ``/briefing now`` for one server.

A server's day is claimed in the store before its briefing is sent (see :mod:`bot.store.briefings`), so
nothing posts twice; ``sending`` does the same within this process, so ``/briefing now`` can tell a
briefing that is going out right now. A send that fails for a passing reason (5xx, timeout) releases the
claim and the next tick retries it; a 403 or a deleted channel switches the server's briefing off, with
the problem kept for ``/briefing status``, so a broken channel does not fail every day.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfoNotFoundError

import aiohttp
import discord

from bot.briefing import MAX_ARTICLES, ServerState, briefing_embed, compose
from bot.schedule import due_slot
from bot.store.briefings import (
    Claim,
    ItemType,
    Material,
    Posted,
    Schedule,
    claim,
    enabled_schedules,
    finish,
    guilds_with_libraries,
    load_material,
    shown_items,
)

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger("bot.briefing")

SEND_TIMEOUT = 30.0  # seconds before a send counts as failed (and is retried next tick)
# Briefings composed and in flight at once. Ten keep up with Discord's 50 requests/s at up to 200 ms a
# request, and composing a few at a time between network events keeps commands quick during a burst
# (bench/briefing.py: 1,000 posts in about 1 s; /briefing status 20 ms at the median instead of 85 at 50).
SEND_CONCURRENCY = 10
CHANNEL_DELETED = "The briefing channel was deleted."


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    posted: Posted | None = None
    problem: str | None = None  # why the briefing was switched off

    @property
    def retry(self) -> bool:
        return self.posted is None and self.problem is None


@dataclass(frozen=True)
class Job:
    schedule: Schedule
    claim: Claim


def refusal(error: discord.HTTPException, channel_id: int) -> str | None:
    """The lasting problem behind a failed send (403, or 404: the channel is gone); None if it may pass."""
    if isinstance(error, discord.NotFound):
        return CHANNEL_DELETED
    if isinstance(error, discord.Forbidden):
        reason = error.text or "missing permissions"
        return (
            f"Discord refused my post in <#{channel_id}> ({reason}): I need View Channel, Send Messages "
            "and Embed Links there."
        )
    return None


def due_day(schedule: Schedule, now: datetime) -> date | None:
    """The local date whose briefing this server should get now, if any; a zone the installed tz
    database no longer knows is logged and skipped rather than stopping every other server's tick."""
    try:
        slot = due_slot(now, schedule.time_of_day, schedule.zone, schedule.last_post_date)
    except (ZoneInfoNotFoundError, ValueError):
        log.error("briefing for guild %s has an unknown time zone %r", schedule.guild_id, schedule.timezone)
        return None
    return slot.day if slot else None


class Poster:
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.sending: set[int] = set()  # guilds whose briefing is going out right now

    async def run_due(self) -> list[Outcome]:
        """One tick: claim every due server this process serves, post to them all at once, record."""
        now = self.bot.clock()
        jobs = [
            Job(schedule, Claim(schedule.guild_id, day, schedule.last_post_date))
            for schedule in await enabled_schedules(self.bot.store)
            if self._serves(schedule.guild_id)
            and schedule.guild_id not in self.sending
            and (day := due_day(schedule, now)) is not None
        ]
        return await self._claim_and_post(jobs)

    async def post_now(self, schedule: Schedule, day: date) -> Outcome | None:
        """``/briefing now``: today's briefing at once (it counts as today's post); None when another
        one is being sent for this server right now."""
        if schedule.guild_id in self.sending:
            return None
        wanted = Job(schedule, Claim(schedule.guild_id, day, schedule.last_post_date, force=True))
        outcomes = await self._claim_and_post([wanted])
        return outcomes[0] if outcomes else None

    def _serves(self, guild_id: int) -> bool:
        """Whether this process runs the shard of ``guild_id`` (every process reads the same store)."""
        shard_ids = self.bot.shard_ids
        return shard_ids is None or (guild_id >> 22) % (self.bot.shard_count or 1) in shard_ids

    async def _claim_and_post(self, wanted: Sequence[Job]) -> list[Outcome]:
        if not wanted:
            return []
        guilds = {job.claim.guild_id for job in wanted}
        self.sending |= guilds
        try:
            won = {c.guild_id for c in await claim(self.bot.store, [job.claim for job in wanted])}
            jobs = [job for job in wanted if job.claim.guild_id in won]
            return await self._post(jobs) if jobs else []
        finally:
            self.sending -= guilds

    async def _post(self, jobs: Sequence[Job]) -> list[Outcome]:
        """Send every claimed briefing concurrently (discord.py's limiter paces them; a slow server only
        holds one of the slots) and record the round in one write; a claim without an outcome (an error, or a
        cancelled tick) is released."""
        outcomes: dict[int, Outcome] = {}
        try:
            guild_ids = [job.claim.guild_id for job in jobs]
            shown = await shown_items(self.bot.store, guild_ids)
            # Servers that see the same articles and had their last briefing at the same point (most, after
            # one ingest) share one read of the material.
            own = await guilds_with_libraries(self.bot.store, guild_ids)
            materials: dict[tuple[int, str | None, date], Material] = {}
            for job in jobs:
                guild_id, since = job.claim.guild_id, job.schedule.last_briefing_at
                key = (guild_id if guild_id in own else 0, since, job.claim.day)
                if key not in materials:
                    materials[key] = await load_material(
                        self.bot.store, MAX_ARTICLES, key[0], since, day=job.claim.day
                    )

            slots = asyncio.Semaphore(SEND_CONCURRENCY)

            async def attempt(job: Job) -> None:
                guild_id = job.claim.guild_id
                key = (guild_id if guild_id in own else 0, job.schedule.last_briefing_at, job.claim.day)
                material = materials[key]
                async with slots:
                    outcomes[guild_id] = await self._send(job, material, shown[guild_id])

            results = await asyncio.gather(*(attempt(job) for job in jobs), return_exceptions=True)
            for job, result in zip(jobs, results, strict=True):
                if isinstance(result, Exception):
                    log.error("briefing for guild %s failed", job.claim.guild_id, exc_info=result)
        finally:
            await self._record(jobs, outcomes)
        return [outcomes.get(job.claim.guild_id) or Outcome(job.claim) for job in jobs]

    async def _send(self, job: Job, material: Material, shown: dict[ItemType, dict[str, date]]) -> Outcome:
        schedule, claimed = job.schedule, job.claim
        if self._channel_gone(schedule):
            return Outcome(claimed, problem=CHANNEL_DELETED)
        state = ServerState(schedule.guild_id, claimed.day, schedule.last_briefing_at, shown)
        briefing = compose(material, state)
        channel = self.bot.get_partial_messageable(schedule.channel_id, guild_id=schedule.guild_id)
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                await channel.send(
                    embed=briefing_embed(briefing), allowed_mentions=discord.AllowedMentions.none()
                )
        except discord.HTTPException as error:
            problem = refusal(error, schedule.channel_id)
            if problem is None:
                log.warning("briefing for guild %s not sent (%s); retrying", schedule.guild_id, error)
            return Outcome(claimed, problem=problem)
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            log.warning("briefing for guild %s not sent (%r); retrying", schedule.guild_id, error)
            return Outcome(claimed)
        posted = Posted(schedule.guild_id, claimed.day, self.bot.clock(), briefing.mark, briefing.shown)
        return Outcome(claimed, posted=posted)

    def _channel_gone(self, schedule: Schedule) -> bool:
        """The channel is known deleted: the guild is loaded and no longer has it (no request needed)."""
        guild = self.bot.get_guild(schedule.guild_id)
        return guild is not None and not guild.unavailable and guild.get_channel(schedule.channel_id) is None

    async def _record(self, jobs: Sequence[Job], outcomes: dict[int, Outcome]) -> None:
        posted = [o.posted for o in outcomes.values() if o.posted is not None]
        disabled = [(o.claim.guild_id, o.problem) for o in outcomes.values() if o.problem is not None]
        released = [job.claim for job in jobs if (o := outcomes.get(job.claim.guild_id)) is None or o.retry]
        for guild_id, problem in disabled:
            log.warning("briefing in guild %s switched off: %s", guild_id, problem)
        await finish(self.bot.store, self.bot.clock(), posted, released, disabled)
