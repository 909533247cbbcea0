"""The bot as an operator runs it: `python -m bot run` in its own process against the stand-in."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.standin import StandIn
from tests.store_fixtures import ARTICLES, assert_healthy

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


async def _start_bot(standin: StandIn, store_path: Path, token: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DISCORD_TOKEN": token,
        "DISCORD_API_BASE": standin.api_base,
        "BRIEFING_DB": str(store_path),
        "BRIEFING_ARTICLES": str(ARTICLES),
        "LOG_LEVEL": "INFO",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_stop_signal_closes_the_bot_and_the_store_cleanly(standin: StandIn, store_path: Path, signum):
    process = await _start_bot(standin, store_path, standin.config.token)
    await standin.wait_for_gateway("identify", timeout=20)
    result = await standin.slash("help")
    process.send_signal(signum)
    code = await asyncio.wait_for(process.wait(), timeout=10)
    _, stderr = await process.communicate()
    assert (result.callback_type, code) == (4, 0)
    assert standin.config.token not in stderr.decode()
    assert_healthy(store_path)


async def test_a_rejected_token_is_one_clear_line_and_exit_code_1(standin: StandIn, store_path: Path):
    process = await _start_bot(standin, store_path, "not-the-token")
    code = await asyncio.wait_for(process.wait(), timeout=20)
    _, stderr = await process.communicate()
    lines = [line for line in stderr.decode().splitlines() if line.startswith("error:")]
    assert (code, len(lines), "Traceback" in stderr.decode()) == (1, 1, False)
    assert "DISCORD_TOKEN" in lines[0]


async def test_a_corrupt_store_is_one_clear_line_exit_code_1_and_left_untouched(
    standin: StandIn, tmp_path: Path
):
    corrupt = tmp_path / "briefing.db"
    corrupt.write_bytes(b"this is not a database\n" * 10)
    process = await _start_bot(standin, corrupt, standin.config.token)
    code = await asyncio.wait_for(process.wait(), timeout=20)
    _, stderr = await process.communicate()
    assert (code, stderr.decode().count("error:"), "Traceback" in stderr.decode()) == (1, 1, False)
    assert corrupt.read_bytes() == b"this is not a database\n" * 10
