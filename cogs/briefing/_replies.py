"""What ``/briefing`` says back: the schedule in the server's local time, refusals and confirmations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.schedule import next_slot, suggest_zones, utc_offset
from bot.store.briefings import Schedule
from bot.text import escape, truncate
from cogs.briefing._poster import Outcome

TURN_ON = "Run `/briefing setup` to turn it back on."
ZONE_SUGGESTIONS = 3


def local_time(instant: datetime, zone: ZoneInfo) -> str:
    """ "Sunday 21 April, 08:00" in ``zone``."""
    local = instant.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


def relative(instant: datetime) -> str:
    """Discord renders it in each reader's language: "in 3 hours", "2 days ago"."""
    return f"<t:{int(instant.timestamp())}:R>"


def schedule_line(schedule: Schedule, now: datetime) -> str:
    offset = utc_offset(schedule.zone, now)
    at = f"{schedule.time_of_day:%H:%M}"
    return f"Daily briefing in <#{schedule.channel_id}> at **{at} {schedule.timezone}** ({offset})."


def next_line(schedule: Schedule, now: datetime) -> str:
    slot = next_slot(now, schedule.time_of_day, schedule.zone, schedule.last_post_date)
    if slot.at <= now:
        late = local_time(slot.at, schedule.zone)
        return f"Next: now — the briefing of {late} is late and goes out within a minute."
    return f"Next: {local_time(slot.at, schedule.zone)} ({schedule.timezone}) · {relative(slot.at)}"


def status(schedule: Schedule | None, now: datetime) -> str:
    if schedule is None:
        return (
            "No daily briefing is set up here yet. `/briefing setup` picks a channel, a time and a time zone."
        )
    lines = [schedule_line(schedule, now)]
    if schedule.enabled:
        lines.append(next_line(schedule, now))
    elif schedule.problem:
        lines.append(f"⚠️ Off: {schedule.problem} {TURN_ON}")
    else:
        lines.append(f"Off: switched off with `/briefing off`. {TURN_ON}")
    if schedule.last_posted_at is None:
        lines.append("Last posted: not yet.")
    else:
        posted = schedule.last_posted_at
        lines.append(f"Last posted: {local_time(posted, schedule.zone)} · {relative(posted)}")
    return "\n".join(lines)


def set_up(schedule: Schedule, now: datetime) -> str:
    return (
        f"Done. {schedule_line(schedule, now)}\n{next_line(schedule, now)}\n"
        "`/briefing preview` shows what it looks like; `/briefing now` posts today's at once."
    )


def unknown_zone(typed: str) -> str:
    shown = escape(truncate(" ".join(typed.split()), 60))
    suggestions = suggest_zones(typed, ZONE_SUGGESTIONS)
    if suggestions:
        return f"I don't know the time zone “{shown}”. Did you mean {_either(suggestions)}?"
    return (
        f"I don't know the time zone “{shown}”. Use a name like Europe/Moscow, Africa/Tripoli or UTC: "
        "the list opens as you type a city."
    )


def _either(names: Sequence[str]) -> str:
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def missing_permission(channel_id: int, missing: str) -> str:
    return (
        f"I can't post briefings in <#{channel_id}>: I'm missing the **{missing}** permission there. Give me "
        "View Channel, Send Messages and Embed Links in that channel, then run `/briefing setup` again."
    )


def posted_now(outcome: Outcome | None, channel_id: int) -> str:
    if outcome is None:
        return f"Today's briefing is going out in <#{channel_id}> right now."
    if outcome.posted is not None:
        return (
            f"Posted today's briefing in <#{channel_id}>. It counts as today's: the next one comes tomorrow."
        )
    if outcome.problem is not None:
        return f"I couldn't post it. {outcome.problem} I switched the daily briefing off; {TURN_ON}"
    return "Discord didn't take the message just now. Please try again in a minute."


def already_posted(schedule: Schedule) -> str:
    posted = schedule.last_posted_at
    when = f" at {posted.astimezone(schedule.zone):%H:%M}" if posted else ""
    return (
        f"Today's briefing already went out in <#{schedule.channel_id}>{when}. "
        "`/briefing preview` shows it again, just to you."
    )
