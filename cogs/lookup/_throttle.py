"""At most one automatic answer per channel per interval, so switching lookups on never floods a channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

MAX_TRACKED = 1024  # channels remembered before the expired ones are forgotten


class ChannelThrottle:
    """Remembers when each channel last got an answer, by an injectable clock (tests move a fake one)."""

    def __init__(self, clock: Callable[[], datetime], interval: timedelta) -> None:
        self._clock = clock
        self._interval = interval
        self._last: dict[int, datetime] = {}

    def allow(self, channel_id: int) -> bool:
        """True (and the channel's window starts now) unless the channel was answered within the interval."""
        now = self._clock()
        last = self._last.get(channel_id)
        if last is not None and now - last < self._interval:
            return False
        self._last[channel_id] = now
        if len(self._last) > MAX_TRACKED:
            self._last = {cid: at for cid, at in self._last.items() if now - at < self._interval}
        return True
