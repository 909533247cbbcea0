"""The bot as an operator runs it: `python -m bot run` in its own process against the stand-in."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.standin import StandIn
from tests.store_fixtures import ARTICLES, assert_healthy

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


StartBot = Callable[..., Awaitable[asyncio.subprocess.Process]]


@pytest.fixture
async def start_bot(standin: StandIn) -> AsyncIterator[StartBot]:
    """``await start_bot(store_path, token, LOG_LEVEL=...)``: `python -m bot run` in its own process; any
    process still running when the test ends (a failed test) is killed."""
    processes: list[asyncio.subprocess.Process] = []

    async def start(store_path: Path, token: str, **env: str) -> asyncio.subprocess.Process:
        environment = {
            **os.environ,
            "DISCORD_TOKEN": token,
            "DISCORD_API_BASE": standin.api_base,
            "BRIEFING_DB": str(store_path),
            "BRIEFING_ARTICLES": str(ARTICLES),
            "LOG_LEVEL": "INFO",
            **env,
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=environment,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.returncode is None:
            process.kill()
        await process.communicate()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_stop_signal_closes_the_gateway_and_the_store_cleanly(
    standin: StandIn, store_path: Path, start_bot: StartBot, signum: int
) -> None:
    process = await start_bot(store_path, standin.config.token)
    await standin.wait_for_gateway("identify", timeout=20)
    result = await standin.slash("help")
    assert Path(f"{store_path}-wal").exists()  # the bot has the store open (WAL mode)
    process.send_signal(signum)
    code = await asyncio.wait_for(process.wait(), timeout=10)
    closes = await standin.wait_for_gateway("close")
    assert (result.callback_type, code) == (4, 0)
    assert [record.code for record in closes] == [1000]  # the bot closed its gateway connection itself
    assert not Path(f"{store_path}-wal").exists()  # the last connection closed: checkpointed, WAL removed
    assert_healthy(store_path)


async def test_the_token_is_never_logged_from_start_up_to_exit(
    standin: StandIn, store_path: Path, start_bot: StartBot
) -> None:
    process = await start_bot(store_path, standin.config.token, LOG_LEVEL="DEBUG")
    await standin.wait_for_gateway("identify", timeout=20)
    await standin.slash("help")
    standin.drop_connection(0)
    await standin.wait_for_gateway("resume", timeout=10)
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
    log = stderr.decode()
    assert "DEBUG" in log and "synced" in log and "command /help" in log  # start-up and commands were logged
    assert standin.config.token not in log


async def test_a_rejected_token_is_one_clear_line_and_exit_code_1(
    standin: StandIn, store_path: Path, start_bot: StartBot
):
    process = await start_bot(store_path, "not-the-token")
    code = await asyncio.wait_for(process.wait(), timeout=20)
    _, stderr = await process.communicate()
    lines = [line for line in stderr.decode().splitlines() if line.startswith("error:")]
    assert (code, len(lines), "Traceback" in stderr.decode()) == (1, 1, False)
    assert "DISCORD_TOKEN" in lines[0]


async def test_a_corrupt_store_is_one_clear_line_exit_code_1_and_left_untouched(
    standin: StandIn, tmp_path: Path, start_bot: StartBot
):
    corrupt = tmp_path / "briefing.db"
    corrupt.write_bytes(b"this is not a database\n" * 10)
    process = await start_bot(corrupt, standin.config.token)
    code = await asyncio.wait_for(process.wait(), timeout=20)
    _, stderr = await process.communicate()
    assert (code, stderr.decode().count("error:"), "Traceback" in stderr.decode()) == (1, 1, False)
    assert corrupt.read_bytes() == b"this is not a database\n" * 10
