"""Discord-style snowflakes: milliseconds since the Discord epoch in the high bits, so ``id >> 22`` varies."""

from __future__ import annotations

import time
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000
_WORKER_BITS = 1 << 17  # worker 1, process 0: the low bits of an id are worker, process and an increment


class SnowflakeGenerator:
    """Hands out strictly increasing snowflakes based on the wall clock."""

    def __init__(self) -> None:
        self._last_ms = 0
        self._increment = 0

    def next(self, *, shard_id: int | None = None, shard_count: int = 1) -> int:
        """A new id; with ``shard_id`` it lands on that shard: ``(id >> 22) % shard_count == shard_id``."""
        ms = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, self._last_ms)
        if shard_id is not None:
            while ms % shard_count != shard_id:
                ms += 1
        if ms == self._last_ms:
            self._increment += 1
        else:
            self._last_ms, self._increment = ms, 0
        if self._increment >= 4096:  # the increment field is 12 bits: move to the next millisecond
            self._last_ms += 1 if shard_id is None else shard_count
            self._increment = 0
        return (self._last_ms << 22) | _WORKER_BITS | self._increment


def snowflake_time(snowflake: int) -> datetime:
    """When the id was made."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso_timestamp(snowflake: int) -> str:
    """The ISO-8601 timestamp Discord puts in payloads for an object with this id."""
    return snowflake_time(snowflake).isoformat()
