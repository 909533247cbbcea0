"""The worker process: work runs outside the bot's process, a dead worker is replaced, an idle one goes."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from bot.workers import Worker, WorkerStopped


async def test_work_runs_in_another_process_and_keeps_it() -> None:
    worker = Worker()
    try:
        first = await worker.run(os.getpid)
        assert first != os.getpid()
        assert await worker.run(os.getpid) == first
    finally:
        worker.close()


async def test_a_killed_worker_fails_its_call_and_the_next_call_starts_a_new_one() -> None:
    worker = Worker()
    try:
        pid = await worker.run(os.getpid)
        with pytest.raises(WorkerStopped):
            await worker.run(os.kill, pid, signal.SIGKILL)
        assert await worker.run(os.getpid) not in (pid, os.getpid())
    finally:
        worker.close()


async def test_an_idle_worker_stops_and_a_busy_one_does_not() -> None:
    worker = Worker(idle_seconds=0.2)
    try:
        await worker.run(os.getpid)
        busy = asyncio.ensure_future(worker.run(time.sleep, 0.5))
        await asyncio.sleep(0.3)
        assert worker.started  # the timer waits for the running call
        await busy
        assert worker.started
        await asyncio.sleep(0.4)
        assert not worker.started
    finally:
        worker.close()


async def test_the_niceness_is_the_workers_alone() -> None:
    worker = Worker(niceness=5)
    try:
        assert await worker.run(os.nice, 0) == os.nice(0) + 5
    finally:
        worker.close()
