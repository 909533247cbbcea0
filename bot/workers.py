"""A process of its own for CPU work that would hold the event loop's GIL in a thread (extraction, feed
parsing, charts), started on first use and replaced when it dies; one that goes idle can be let go, so
what it imported (spaCy, matplotlib) does not stay in memory for a rare command."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerStopped(Exception):
    """The worker process died (killed, out of memory) while running a call; the next call starts anew."""


class Worker:
    def __init__(self, *, niceness: int = 0, idle_seconds: float | None = None) -> None:
        """``niceness``: added to the process's (background work: the bot's own process comes first for
        the CPU). ``idle_seconds``: stop the process after that long without a call (None: keep it)."""
        self.niceness = niceness
        self.idle_seconds = idle_seconds
        self._pool: ProcessPoolExecutor | None = None
        self._running = 0
        self._idle: asyncio.TimerHandle | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in the worker process (``function`` and its arguments must pickle)."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=os.nice,
                initargs=(self.niceness,),
            )
        loop = asyncio.get_running_loop()
        self._running += 1
        try:
            return await loop.run_in_executor(self._pool, function, *args)
        except BrokenProcessPool:
            self.close()
            raise WorkerStopped from None
        finally:
            self._running -= 1
            if not self._running and self.idle_seconds is not None and self._pool is not None:
                self._idle = loop.call_later(self.idle_seconds, self.close)

    def close(self) -> None:
        """Stop the process now; calls still queued fail (cancelled), a running one finishes first."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
