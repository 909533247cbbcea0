"""What the store keeps per server beyond settings: its departure date, and forgetting it altogether.

When the bot is removed from a server, that server's library and settings are deleted
:data:`RETENTION` later unless the bot is added back before then (``python -m bot forget-server`` deletes at
once).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

from bot.store.read import Store
from bot.store.schema import connect, transaction
from bot.store.write import finish_run, get_meta

RETENTION = timedelta(days=30)
# Every per-server table, keyed by guild_id (children with ON DELETE CASCADE follow their parent).
_SERVER_TABLES = ("guild_settings", "briefing_schedules", "guild_departures", "feeds")


def forget_server(conn: sqlite3.Connection, guild_id: int, now: str) -> int:
    """Delete the server's articles (and every fact only they gave) and its settings; the caller owns the
    transaction. Returns how many articles went."""
    actors = {
        actor_id
        for (actor_id,) in conn.execute(
            """SELECT ad.actor_id FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
               WHERE d.library = ?""",
            (guild_id,),
        )
    }
    articles = conn.execute("DELETE FROM documents WHERE library = ? AND library != 0", (guild_id,)).rowcount
    for table in _SERVER_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
    if articles:
        version = get_meta(conn, "extractor_version") or ""
        finish_run(conn, version, finished_at=now, started_at=now, actor_ids=actors)
    return articles


async def record_departure(store: Store, guild_id: int, now: datetime) -> None:
    async with store.transaction(write=True) as conn:
        await conn.execute(
            "INSERT INTO guild_departures (guild_id, left_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (guild_id, now.isoformat()),
        )


async def cancel_departures(store: Store, guild_ids: Iterable[int]) -> None:
    """The bot is in these servers (again): keep what they have."""
    ids = [(int(guild_id),) for guild_id in guild_ids]
    async with store.transaction(write=True) as conn:
        await conn.executemany("DELETE FROM guild_departures WHERE guild_id = ?", ids)


async def forget_departed(store: Store, now: datetime) -> list[int]:
    """Forget every server the bot left more than :data:`RETENTION` ago; returns their ids."""
    cutoff = (now - RETENTION).isoformat()
    async with store.transaction() as conn:
        rows = await conn.execute_fetchall(
            "SELECT guild_id FROM guild_departures WHERE left_at <= ?", (cutoff,)
        )
    due = [row[0] for row in rows]
    for guild_id in due:
        await asyncio.to_thread(forget_now, store.path, guild_id, now)
    if due:
        await store.refresh()
    return due


def forget_now(path: Path, guild_id: int, now: datetime) -> int:
    """:func:`forget_server` in a transaction of its own on the store at ``path``."""
    with closing(connect(path, create=False)) as conn, transaction(conn):
        return forget_server(conn, guild_id, now.isoformat())
