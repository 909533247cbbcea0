"""Daily briefings in the store: each server's schedule, which actors and statements it was shown, and the
material a briefing is composed from. Functions over :meth:`Store.transaction`.

``last_post_date`` is the latest local date the server has *settled*: claimed for posting (before the
send, by a compare-and-set, so two ticks or a tick and ``/briefing now`` never both post), or passed
before the schedule was set up. A send that fails for a passing reason releases the claim.
``last_briefing_at`` is the ``ingested_at`` of the newest article the last briefing saw: the store's own
clock, so "new articles" stays right whatever clock the bot runs on.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

import aiosqlite

from bot.extract.model import ActorKind, PartialDate
from bot.store.models import Citation, QuoteFact
from bot.store.read import Store
from bot.store.schema import visible

ItemType = Literal["actor", "quote"]
OPENING_PARAGRAPHS = 4  # where an article's gist is looked for
_IN_CHUNK = 500  # guild ids per IN (...) list

_SCHEDULE_SQL = """SELECT guild_id, channel_id, time_of_day, timezone, enabled, problem, last_post_date,
    last_posted_at, last_briefing_at FROM briefing_schedules"""
_SAVE_SQL = """
INSERT INTO briefing_schedules (guild_id, channel_id, time_of_day, timezone, enabled, problem, last_post_date,
                                created_at, updated_at)
VALUES (:guild, :channel, :at, :zone, 1, NULL, :settled, :now, :now)
ON CONFLICT (guild_id) DO UPDATE SET
    channel_id = excluded.channel_id, time_of_day = excluded.time_of_day, timezone = excluded.timezone,
    enabled = 1, problem = NULL, updated_at = excluded.updated_at,
    last_post_date = max(coalesce(last_post_date, ''), excluded.last_post_date)"""
_CLAIM_SQL = """UPDATE briefing_schedules SET last_post_date = max(coalesce(last_post_date, ''), :day)
    WHERE guild_id = :guild AND enabled = 1 AND last_post_date IS :previous
      AND (:force OR last_post_date IS NULL OR last_post_date < :day)"""
_RELEASE_SQL = """UPDATE briefing_schedules SET last_post_date = :previous
    WHERE guild_id = :guild AND last_post_date = :day"""
_POSTED_SQL = """UPDATE briefing_schedules SET last_posted_at = :posted_at, problem = NULL, updated_at = :now,
    last_briefing_at = coalesce(:mark, last_briefing_at) WHERE guild_id = :guild"""
_SHOWN_SQL = """INSERT OR REPLACE INTO briefing_shown (guild_id, item_type, item_key, shown_on)
    VALUES (?, ?, ?, ?)"""
_DISABLE_SQL = """UPDATE briefing_schedules SET enabled = 0, problem = :problem, updated_at = :now
    WHERE guild_id = :guild"""
# The material queries below read what one server sees: ``{seen}`` is :func:`visible` for it, and
# ``{fresh}`` picks the documents that count as new (``d`` is the document).
# The rows a briefing's statements and events are read as.
_QUOTE_ROWS = """
SELECT a.name AS speaker, q.kind, q.text, q.date, s.text AS context, d.key, coalesce(d.title, d.key) AS title,
       q.paragraph, q.sentence
FROM quotes q
JOIN documents d ON d.id = q.document_id
JOIN sentences s ON s.document_id = q.document_id AND s.paragraph = q.paragraph AND s.position = q.sentence
LEFT JOIN actors a ON a.id = q.speaker_id
"""
_EVENT_ROWS = """
SELECT e.date, e.summary, d.key, coalesce(d.title, d.key) AS title, e.paragraph, e.sentence
FROM events e JOIN documents d ON d.id = e.document_id
"""
_COUNT_SQL = "SELECT count(*) FROM {table} t JOIN documents d ON d.id = t.document_id WHERE {fresh}"
_NEW_EVENTS_SQL = (
    _EVENT_ROWS
    + """WHERE {fresh}
ORDER BY e.date_first, e.date_last, d.key, e.paragraph, e.sentence LIMIT ?"""
)
_NEW_QUOTES_SQL = (
    _QUOTE_ROWS
    + """WHERE {fresh}
ORDER BY q.speaker_id IS NULL, q.kind != 'direct', d.ingested_at, d.key, q.paragraph, q.sentence LIMIT ?"""
)
# Actors in the new documents that no earlier document the server sees names; the role a new document
# gives (cited), else the first mention; most mentioned first.
_NEW_ACTORS_SQL = """
WITH new(actor_id) AS (  -- first: which actors of the new documents are new (few), then their details
    SELECT DISTINCT ad.actor_id FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
    WHERE {fresh}
      AND NOT EXISTS (SELECT 1 FROM actor_documents x JOIN documents old ON old.id = x.document_id
                      WHERE x.actor_id = ad.actor_id AND {seen_old} AND old.ingested_at <= ?))
SELECT a.name, a.kind, d.key, coalesce(d.title, d.key) AS title,
       coalesce(ad.role_paragraph, m.paragraph) AS paragraph,
       iif(ad.role_paragraph IS NULL, m.sentence, ad.role_sentence) AS sentence,
       iif(ad.role_paragraph IS NULL, NULL, ad.role) AS role,
       (SELECT count(*) FROM actor_documents x JOIN documents d ON d.id = x.document_id
        WHERE x.actor_id = a.id AND {fresh}) AS documents,
       (SELECT count(*) FROM mentions x JOIN documents d ON d.id = x.document_id
        WHERE x.actor_id = a.id AND {fresh}) AS mentions
FROM new
JOIN actors a ON a.id = new.actor_id
JOIN actor_documents ad ON ad.actor_id = a.id
JOIN documents d ON d.id = ad.document_id
JOIN mentions m ON m.id = (SELECT min(id) FROM mentions WHERE actor_id = a.id AND document_id = d.id)
WHERE {fresh}
  AND ad.document_id = (SELECT x.document_id FROM actor_documents x JOIN documents d ON d.id = x.document_id
                        WHERE x.actor_id = a.id AND {fresh}
                        ORDER BY x.role_paragraph IS NULL, d.ingested_at, d.key LIMIT 1)
ORDER BY mentions DESC, a.name"""
# The actors the given documents (``{documents}``: a query of their ids) name: where each is first
# mentioned in them and in how many of them, grouped from those documents' rows (not per actor over all).
_ACTORS_SQL = """
SELECT a.id, a.name, a.kind, d.key, coalesce(d.title, d.key) AS title, m.paragraph, m.sentence,
       coalesce(c.documents, 0) AS documents
FROM (SELECT actor_id, min(id) AS mention_id FROM mentions WHERE document_id IN ({documents})
      GROUP BY actor_id) f
JOIN actors a ON a.id = f.actor_id
JOIN mentions m ON m.id = f.mention_id
JOIN documents d ON d.id = m.document_id
LEFT JOIN (SELECT actor_id, count(*) AS documents FROM actor_documents WHERE document_id IN ({documents})
           GROUP BY actor_id) c ON c.actor_id = a.id
ORDER BY a.name"""
_ROLES_SQL = """
SELECT ad.actor_id, ad.role, d.key, coalesce(d.title, d.key) AS title, ad.role_paragraph AS paragraph,
       ad.role_sentence AS sentence
FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
WHERE ad.role IS NOT NULL AND ad.role_paragraph IS NOT NULL AND {seen}
ORDER BY d.published DESC NULLS LAST, d.key"""
_QUOTES_SQL = (
    _QUOTE_ROWS
    + """WHERE {seen}
ORDER BY q.id"""
)
_EVENTS_SQL = (
    _EVENT_ROWS
    + """WHERE e.precision = 'day' AND {seen}
ORDER BY e.date_first, d.key, e.paragraph, e.sentence"""
)


@dataclass(frozen=True)
class Schedule:
    guild_id: int
    channel_id: int
    time_of_day: time
    timezone: str
    enabled: bool
    problem: str | None  # why the bot switched it off (channel deleted, permission lost)
    last_post_date: date | None  # latest settled local date
    last_posted_at: datetime | None
    last_briefing_at: str | None  # ingested_at of the newest article the last briefing saw

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Claim:
    guild_id: int
    day: date
    previous: date | None  # last_post_date before the claim, restored on release
    force: bool = False  # claim a day settled without a post (``/briefing now`` after setting up late)


@dataclass(frozen=True)
class ShownItem:
    item_type: ItemType
    key: str
    reset: bool  # every item of this type had been shown: the cycle starts again with this one


@dataclass(frozen=True)
class Posted:
    guild_id: int
    day: date
    posted_at: datetime
    mark: str | None
    shown: tuple[ShownItem, ...]


@dataclass(frozen=True)
class ArticleOpening:
    key: str
    title: str
    author: str | None
    ingested_at: str
    sentences: tuple[tuple[int, str], ...]  # (paragraph, text) from the first paragraphs, in order
    source: str | None = None
    published: PartialDate | None = None
    url: str | None = None


@dataclass(frozen=True)
class DatedEvent:
    date: date
    summary: str
    citation: Citation


@dataclass(frozen=True)
class ActorItem:
    name: str
    kind: ActorKind
    role: str | None  # only a role an article states, cited by ``citation``
    citation: Citation  # the role's sentence, else the actor's first mention
    documents: int


@dataclass(frozen=True)
class NewEvent:
    date: PartialDate
    summary: str
    citation: Citation


@dataclass(frozen=True)
class News:
    """What the articles ingested after ``since`` brought (a first briefing: the latest few articles'):
    the first items of each kind, in the order shown, and how many there are in all."""

    actors: tuple[ActorItem, ...] = ()  # seen for the first time (only when there was a last briefing)
    actor_count: int = 0
    events: tuple[NewEvent, ...] = ()  # in date order
    event_count: int = 0
    statements: tuple[QuoteFact, ...] = ()  # named and verbatim first
    statement_count: int = 0


@dataclass(frozen=True)
class Material:
    """Everything a briefing is made from for what one server sees, read once per tick and shared by every
    server that sees the same articles and had its last briefing at the same point."""

    latest: tuple[ArticleOpening, ...]  # newest ingested first
    ingest_times: tuple[str, ...]  # every document's ingested_at, ascending
    events: tuple[DatedEvent, ...]  # events known to the day
    actors: tuple[ActorItem, ...]
    quotes: tuple[QuoteFact, ...]
    news: News = News()


def _schedule(row: sqlite3.Row) -> Schedule:
    hour, minute = (int(part) for part in row["time_of_day"].split(":"))
    return Schedule(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        time_of_day=time(hour, minute),
        timezone=row["timezone"],
        enabled=bool(row["enabled"]),
        problem=row["problem"],
        last_post_date=date.fromisoformat(row["last_post_date"]) if row["last_post_date"] else None,
        last_posted_at=datetime.fromisoformat(row["last_posted_at"]) if row["last_posted_at"] else None,
        last_briefing_at=row["last_briefing_at"],
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# -- schedules -------------------------------------------------------------------------------------------


async def get_schedule(store: Store, guild_id: int) -> Schedule | None:
    async with store.transaction() as conn:
        rows = list(await conn.execute_fetchall(_SCHEDULE_SQL + " WHERE guild_id = ?", (guild_id,)))
    return _schedule(rows[0]) if rows else None


async def enabled_schedules(store: Store) -> list[Schedule]:
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(_SCHEDULE_SQL + " WHERE enabled = 1 ORDER BY guild_id")
    return [_schedule(row) for row in rows]


async def save_schedule(
    store: Store, guild_id: int, channel_id: int, at: time, zone: str, settled: date, now: datetime
) -> None:
    """Create or change a server's schedule and switch it on; ``settled`` only ever moves forward."""
    params = {
        "guild": guild_id,
        "channel": channel_id,
        "at": f"{at:%H:%M}",
        "zone": zone,
        "settled": settled.isoformat(),
        "now": now.isoformat(),
    }
    async with store.transaction(write=True) as conn:
        await conn.execute(_SAVE_SQL, params)


async def disable(store: Store, guild_id: int, now: datetime) -> bool:
    """``/briefing off``: switch the server's briefing off (no problem to show); False if it has none."""
    async with store.transaction(write=True) as conn:
        cursor = await conn.execute(
            _DISABLE_SQL, {"guild": guild_id, "problem": None, "now": now.isoformat()}
        )
        return cursor.rowcount > 0


# -- posting ---------------------------------------------------------------------------------------------


async def claim(store: Store, claims: Iterable[Claim]) -> list[Claim]:
    """Settle each claim's day if nobody did since it was read; the claims won, to post now."""
    won = []
    async with store.transaction(write=True) as conn:
        for item in claims:
            params = {
                "guild": item.guild_id,
                "day": item.day.isoformat(),
                "previous": _iso(item.previous),
                "force": item.force,
            }
            cursor = await conn.execute(_CLAIM_SQL, params)
            if cursor.rowcount:
                won.append(item)
    return won


async def finish(
    store: Store,
    now: datetime,
    posted: Sequence[Posted] = (),
    released: Sequence[Claim] = (),
    disabled: Sequence[tuple[int, str]] = (),
) -> None:
    """Record one round of sends at once: what was posted and shown, claims to retry next tick, and
    servers switched off with their problem."""
    stamp = now.isoformat()
    async with store.transaction(write=True) as conn:
        await conn.executemany(
            _POSTED_SQL,
            [
                {"guild": p.guild_id, "posted_at": p.posted_at.isoformat(), "mark": p.mark, "now": stamp}
                for p in posted
            ],
        )
        await conn.executemany(
            "DELETE FROM briefing_shown WHERE guild_id = ? AND item_type = ?",
            [(p.guild_id, item.item_type) for p in posted for item in p.shown if item.reset],
        )
        await conn.executemany(
            _SHOWN_SQL,
            [(p.guild_id, item.item_type, item.key, p.day.isoformat()) for p in posted for item in p.shown],
        )
        await conn.executemany(
            _RELEASE_SQL,
            [{"guild": c.guild_id, "day": c.day.isoformat(), "previous": _iso(c.previous)} for c in released],
        )
        await conn.executemany(
            _DISABLE_SQL, [{"guild": guild, "problem": problem, "now": stamp} for guild, problem in disabled]
        )


async def shown_items(store: Store, guild_ids: Sequence[int]) -> dict[int, dict[ItemType, dict[str, date]]]:
    """For each server: item type → key → the day it was shown, in the current cycle."""
    shown: dict[int, dict[ItemType, dict[str, date]]] = {guild: {} for guild in guild_ids}
    async with store.transaction() as conn:
        for start in range(0, len(guild_ids), _IN_CHUNK):
            chunk = guild_ids[start : start + _IN_CHUNK]
            rows = await conn.execute_fetchall(
                "SELECT guild_id, item_type, item_key, shown_on FROM briefing_shown"
                f" WHERE guild_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for row in rows:
                by_type = shown[row["guild_id"]].setdefault(row["item_type"], {})
                by_type[row["item_key"]] = date.fromisoformat(row["shown_on"])
    return shown


# -- material --------------------------------------------------------------------------------------------


async def guilds_with_libraries(store: Store, guild_ids: Sequence[int]) -> set[int]:
    """Which of these servers have articles of their own (the others all see the same material)."""
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(
            "SELECT DISTINCT library FROM documents WHERE library IN (SELECT value FROM json_each(?))",
            (json.dumps([int(g) for g in guild_ids if g]),),
        )
    return {row[0] for row in rows}


RECENT_ARTICLES = 200  # the actor and the statement of the day come from the newest articles
DAYS_AHEAD = 4  # month-days after the day whose anniversaries are read (the briefing shows three)


async def load_material(
    store: Store,
    articles: int,
    guild: int | None = None,
    since: str | None = None,
    news_items: int = 40,
    day: date | None = None,
) -> Material:
    """What one server sees, in one read transaction; the ``articles`` newest with their opening
    sentences (a briefing lists at most that many, and the newest after any point in time are among them),
    and what came in after ``since`` (at most ``news_items`` of each kind, with their counts). With
    ``day``, only the events whose anniversaries fall on it or on the next days with any are read; the
    actors and statements to rotate through come from the :data:`RECENT_ARTICLES` newest: a briefing reads
    what it can show, not the whole store."""
    seen = visible(guild)
    recent_ids = (
        f"SELECT d.id FROM documents d WHERE {seen}"
        f" ORDER BY d.ingested_at DESC, d.key LIMIT {RECENT_ARTICLES}"
    )
    async with store.transaction(background=True) as conn:
        latest_rows = await conn.execute_fetchall(
            "SELECT d.id, d.key, coalesce(d.title, d.key) AS title, d.author, d.ingested_at, d.source,"
            f" d.published, d.url FROM documents d WHERE {seen} ORDER BY d.ingested_at DESC, d.key LIMIT ?",
            (articles,),
        )
        latest = [await _opening(conn, row) for row in latest_rows]
        times = await conn.execute_fetchall(
            f"SELECT d.ingested_at FROM documents d WHERE {seen} ORDER BY d.ingested_at"
        )
        events = await _anniversary_events(conn, guild, day)
        actors = await _actors(conn, recent_ids)
        quotes = await conn.execute_fetchall(_QUOTES_SQL.format(seen=f"d.id IN ({recent_ids})"))
        news = await _news(conn, guild, since, [row["id"] for row in latest_rows], news_items)
    return Material(
        latest=tuple(latest),
        ingest_times=tuple(row[0] for row in times),
        events=tuple(DatedEvent(date.fromisoformat(r["date"]), r["summary"], _citation(r)) for r in events),
        actors=actors,
        quotes=tuple(_quote(row) for row in quotes),
        news=news,
    )


async def _anniversary_events(
    conn: aiosqlite.Connection, guild: int | None, day: date | None
) -> list[sqlite3.Row]:
    """Day-precise events; with ``day``, those on its month-day and the next :data:`DAYS_AHEAD` month-days
    that have any (29 February goes with the 28th)."""
    seen = visible(guild)
    if day is None:
        return list(await conn.execute_fetchall(_EVENTS_SQL.format(seen=seen)))
    # A day-precise event starts and ends on its day: the index of those by month-day is read alone.
    day_precise = f"e.date_first = e.date_last AND {visible(guild, 'e')}"
    rows = await conn.execute_fetchall(
        f"SELECT DISTINCT substr(e.date_first, 6, 5) FROM events e WHERE {day_precise}"
    )
    today = f"{day:%m-%d}"
    days = sorted({"02-28" if row[0] == "02-29" else row[0] for row in rows})
    ahead = [md for md in days if md > today] + [md for md in days if md < today]  # on into next year
    wanted = {today, *ahead[:DAYS_AHEAD]}
    if "02-28" in wanted:
        wanted.add("02-29")
    condition = f"{day_precise} AND substr(e.date_first, 6, 5) IN (SELECT value FROM json_each(?))"
    return list(
        await conn.execute_fetchall(_EVENTS_SQL.format(seen=condition), (json.dumps(sorted(wanted)),))
    )


async def _news(
    conn: aiosqlite.Connection, guild: int | None, since: str | None, latest: list[int], limit: int
) -> News:
    """New actors, events and statements: from the articles ingested after ``since``, or for a first
    briefing from the latest articles (then no actor counts as new: every one would)."""
    if since is None:
        fresh, params = "d.id IN (SELECT value FROM json_each(?))", [json.dumps(latest)]
    else:
        fresh, params = f"{visible(guild)} AND d.ingested_at > ?", [since]
    events = await conn.execute_fetchall(_NEW_EVENTS_SQL.format(fresh=fresh), [*params, limit])
    event_count = (await conn.execute_fetchall(_COUNT_SQL.format(table="events", fresh=fresh), params))[0][0]
    statements = await conn.execute_fetchall(_NEW_QUOTES_SQL.format(fresh=fresh), [*params, limit])
    statement_count = (await conn.execute_fetchall(_COUNT_SQL.format(table="quotes", fresh=fresh), params))[
        0
    ][0]
    actors: list[sqlite3.Row] = []
    if since is not None:
        sql = _NEW_ACTORS_SQL.format(fresh=fresh, seen_old=visible(guild, "old"))
        actors = list(await conn.execute_fetchall(sql, [since] * sql.count("?")))  # each ? is `since`
    return News(
        actors=tuple(_new_actor(row) for row in actors[:limit]),
        actor_count=len(actors),
        events=tuple(NewEvent(PartialDate.from_iso(r["date"]), r["summary"], _citation(r)) for r in events),
        event_count=event_count,
        statements=tuple(_quote(row) for row in statements),
        statement_count=statement_count,
    )


def _new_actor(row: sqlite3.Row) -> ActorItem:
    citation = Citation(row["key"], row["title"], row["paragraph"], row["sentence"])
    return ActorItem(row["name"], row["kind"], row["role"], citation, row["documents"])


def _citation(row: sqlite3.Row) -> Citation:
    return Citation(row["key"], row["title"], row["paragraph"], row["sentence"])


def _quote(row: sqlite3.Row) -> QuoteFact:
    when = PartialDate.from_iso(row["date"]) if row["date"] else None
    return QuoteFact(row["speaker"], row["kind"], row["text"], when, row["context"], _citation(row))


async def _opening(conn: aiosqlite.Connection, row: sqlite3.Row) -> ArticleOpening:
    sentences = await conn.execute_fetchall(
        "SELECT paragraph, text FROM sentences WHERE document_id = ? AND paragraph <= ?"
        " ORDER BY paragraph, position",
        (row["id"], OPENING_PARAGRAPHS),
    )
    return ArticleOpening(
        row["key"],
        row["title"],
        row["author"],
        row["ingested_at"],
        tuple((s["paragraph"], s["text"]) for s in sentences),
        source=row["source"],
        published=PartialDate.from_iso(row["published"]) if row["published"] else None,
        url=row["url"],
    )


async def _actors(conn: aiosqlite.Connection, documents: str) -> tuple[ActorItem, ...]:
    """Every actor the articles (``documents``: a query of their ids) mention, with a role only where an
    article states (and so cites) it."""
    roles: dict[int, sqlite3.Row] = {}
    for row in await conn.execute_fetchall(_ROLES_SQL.format(seen=f"d.id IN ({documents})")):
        roles.setdefault(row["actor_id"], row)
    actors = []
    for row in await conn.execute_fetchall(_ACTORS_SQL.format(documents=documents)):
        role = roles.get(row["id"])
        actors.append(
            ActorItem(
                name=row["name"],
                kind=row["kind"],
                role=role["role"] if role else None,
                citation=_citation(role or row),
                documents=row["documents"],
            )
        )
    return tuple(actors)
