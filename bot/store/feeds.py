"""The feeds servers follow and the items seen in them: functions over :meth:`Store.transaction`.

Times are ISO 8601 strings in UTC. An item is remembered whatever became of it (added, refused as a
duplicate, or older than the newest few when the feed was added), so no cycle fetches its page again;
``document_key`` is the article it became, if any.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.feeds import Health
from bot.store.read import Store

_FEED_COLUMNS = """id, guild_id, url, url_key, title, link, channel_id, added_by, etag, last_modified,
    body_hash, last_checked_at, last_new_item_at, state, failures, first_failure_at, next_poll_at, last_error,
    created_at"""


@dataclass(frozen=True)
class FeedRow:
    id: int
    guild_id: int
    url: str
    url_key: str
    title: str | None
    link: str | None
    channel_id: int | None
    added_by: int | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None  # of the feed's last body, so one sent again unchanged is not parsed again
    last_checked_at: str | None
    last_new_item_at: str | None
    state: str
    failures: int
    first_failure_at: str | None
    next_poll_at: str
    last_error: str | None
    created_at: str

    @property
    def health(self) -> Health:
        return Health(
            state=self.state,
            failures=self.failures,
            first_failure_at=_time(self.first_failure_at),
            next_poll_at=datetime.fromisoformat(self.next_poll_at),
            last_error=self.last_error,
        )

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True)
class KnownItem:
    url_key: str
    content_hash: str | None
    document_key: str | None


@dataclass(frozen=True)
class SeenItem:
    url_key: str
    guid: str | None
    content_hash: str | None
    document_key: str | None
    published: str | None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _row(row: aiosqlite.Row) -> FeedRow:
    return FeedRow(*row)


async def guild_feeds(store: Store, guild_id: int) -> list[FeedRow]:
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE guild_id = ? ORDER BY coalesce(title, url), id",
            (guild_id,),
        )
    return [_row(row) for row in rows]


async def feed_by_key(store: Store, guild_id: int, url_key: str) -> FeedRow | None:
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE guild_id = ? AND url_key = ?", (guild_id, url_key)
        )
    return _row(rows[0]) if rows else None


async def feed_by_id(store: Store, feed_id: int) -> FeedRow | None:
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,))
    return _row(rows[0]) if rows else None


async def due_feeds(store: Store, now: datetime) -> list[FeedRow]:
    """Active feeds whose next poll has come, the longest waiting first."""
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(
            f"""SELECT {_FEED_COLUMNS} FROM feeds WHERE state = 'active' AND next_poll_at <= ?
                ORDER BY next_poll_at, id""",
            (now.isoformat(),),
        )
    return [_row(row) for row in rows]


async def count_feeds(store: Store, guild_id: int) -> int:
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall("SELECT count(*) FROM feeds WHERE guild_id = ?", (guild_id,))
    return int(rows[0][0])


async def add_feed(
    store: Store,
    *,
    guild_id: int,
    url: str,
    url_key: str,
    title: str | None,
    link: str | None,
    channel_id: int | None,
    added_by: int,
    etag: str | None,
    last_modified: str | None,
    now: datetime,
    next_poll_at: datetime,
) -> int:
    async with store.transaction(write=True) as conn:
        cursor = await conn.execute(
            """INSERT INTO feeds (guild_id, url, url_key, title, link, channel_id, added_by, etag,
                   last_modified, last_checked_at, next_poll_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                guild_id, url, url_key, title, link, channel_id, added_by, etag, last_modified,
                now.isoformat(), next_poll_at.isoformat(), now.isoformat(),
            ),
        )  # fmt: skip
        return int(cursor.lastrowid or 0)


async def resume_feed(store: Store, feed_id: int, channel_id: int | None, now: datetime) -> None:
    """A paused feed is asked again at the next tick; its failures are forgotten."""
    async with store.transaction(write=True) as conn:
        await conn.execute(
            """UPDATE feeds SET state = 'active', failures = 0, first_failure_at = NULL, next_poll_at = ?,
                   channel_id = coalesce(?, channel_id) WHERE id = ?""",
            (now.isoformat(), channel_id, feed_id),
        )


async def remove_feed(store: Store, guild_id: int, feed_id: int) -> int | None:
    """Delete the feed and its items; returns how many articles it had added (they stay), None if the
    server has no such feed."""
    async with store.transaction(write=True) as conn:
        rows = await conn.execute_fetchall(
            """SELECT count(i.document_key) FROM feeds f LEFT JOIN feed_items i ON i.feed_id = f.id
               WHERE f.id = ? AND f.guild_id = ? GROUP BY f.id""",
            (feed_id, guild_id),
        )
        if not rows:
            return None
        await conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
    return int(rows[0][0])


async def save_poll(
    store: Store,
    feed_id: int,
    health: Health,
    now: datetime,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    title: str | None = None,
    new_items: bool = False,
    body_hash: str | None = None,
) -> None:
    """The outcome of one poll: the feed's health, the validators for the next conditional GET (None: a
    full GET next time), and its title when it sent one."""
    async with store.transaction(write=True) as conn:
        await conn.execute(
            """UPDATE feeds SET state = ?, failures = ?, first_failure_at = ?, next_poll_at = ?,
                   last_error = ?, last_checked_at = ?, etag = ?, last_modified = ?, body_hash = ?,
                   title = coalesce(?, title),
                   last_new_item_at = CASE WHEN ? THEN ? ELSE last_new_item_at END
               WHERE id = ?""",
            (
                health.state, health.failures,
                health.first_failure_at.isoformat() if health.first_failure_at else None,
                health.next_poll_at.isoformat(), health.last_error, now.isoformat(), etag, last_modified,
                body_hash, title, new_items, now.isoformat(), feed_id,
            ),
        )  # fmt: skip


async def set_error(store: Store, feed_id: int, error: str | None) -> None:
    async with store.transaction(write=True) as conn:
        await conn.execute("UPDATE feeds SET last_error = ? WHERE id = ?", (error, feed_id))


async def stop_notices(store: Store, feed_id: int, error: str) -> None:
    async with store.transaction(write=True) as conn:
        await conn.execute(
            "UPDATE feeds SET channel_id = NULL, last_error = ? WHERE id = ?", (error, feed_id)
        )


async def known_items(store: Store, feed_id: int) -> dict[str, KnownItem]:
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(
            "SELECT url_key, content_hash, document_key FROM feed_items WHERE feed_id = ?", (feed_id,)
        )
    return {row[0]: KnownItem(row[0], row[1], row[2]) for row in rows}


async def remember_items(store: Store, feed_id: int, items: Iterable[SeenItem], now: datetime) -> None:
    """Record items as seen; an item seen before keeps its first sighting and gets the new hash and
    (when it has one) the new document key."""
    rows = [
        (feed_id, i.url_key, i.guid, i.content_hash, i.document_key, i.published, now.isoformat())
        for i in items
    ]
    if not rows:
        return
    async with store.transaction(write=True) as conn:
        await conn.executemany(
            """INSERT INTO feed_items (feed_id, url_key, guid, content_hash, document_key, published,
                   first_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (feed_id, url_key) DO UPDATE SET content_hash = excluded.content_hash,
                   document_key = coalesce(excluded.document_key, document_key)""",
            rows,
        )
