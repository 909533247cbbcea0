"""Per-server settings the bot keeps in ``guild_settings`` (schema version 3): automatic chat lookups.

Functions over the bot's :class:`Store` rather than methods on it, so the reader stays about cited facts.
They use ``Store.transaction``, so a settings write never lands inside another answer's read transaction.
"""

from __future__ import annotations

from datetime import datetime

from bot.store.read import Store

_SET_LOOKUP_SQL = """
INSERT INTO guild_settings (guild_id, lookup_enabled, updated_at) VALUES (?, ?, ?)
ON CONFLICT (guild_id) DO UPDATE
SET lookup_enabled = excluded.lookup_enabled, updated_at = excluded.updated_at
"""


async def lookup_enabled(store: Store, guild_id: int) -> bool:
    """Whether the server switched automatic lookups on; off for a server that never chose."""
    async with store.transaction() as conn:
        sql = "SELECT lookup_enabled FROM guild_settings WHERE guild_id = ?"
        rows = list(await conn.execute_fetchall(sql, (guild_id,)))
    return bool(rows and rows[0]["lookup_enabled"])


async def set_lookup_enabled(store: Store, guild_id: int, enabled: bool, *, now: datetime) -> None:
    """Switch automatic lookups on or off for a server."""
    async with store.transaction(write=True) as conn:
        await conn.execute(_SET_LOOKUP_SQL, (guild_id, int(enabled), now.isoformat()))
