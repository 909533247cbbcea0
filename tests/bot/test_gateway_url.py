"""The gateway address comes from ``DISCORD_API_BASE`` (``GET /gateway/bot``), on connect and on reconnect.

These tests start the bot the way ``bot.runner`` does (the REST base applied, then ``bot.start``), without
``run_bot``, which would point discord.py's default gateway at the stand-in itself. discord.py's default
gateway is set to a closed port on 127.0.0.1 instead, so a connect that does not ask the API base fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.client import BriefingBot
from bot.config import load_settings
from bot.discord_api import apply_api_base
from bot.standin import StandIn

NOWHERE = yarl.URL("ws://127.0.0.1:9/")  # the discard port: nothing listens there


async def _no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before each re-IDENTIFY; the stand-in has no IDENTIFY limit."""


@asynccontextmanager
async def started(standin: StandIn, store_path: Path, **env: str) -> AsyncIterator[BriefingBot]:
    settings = load_settings(
        {
            "DISCORD_TOKEN": standin.config.token,
            "DISCORD_API_BASE": standin.api_base,
            "BRIEFING_DB": str(store_path),
            **env,
        },
        env_file=None,
    )
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    apply_api_base(settings.api_base)  # as bot.runner does before it builds the bot
    DiscordWebSocket.DEFAULT_GATEWAY = NOWHERE
    bot = BriefingBot(settings, cogs=("cogs.help",))
    bot.before_identify_hook = _no_identify_wait  # type: ignore[method-assign]
    bot._connection.guild_ready_timeout = 0.05  # no 2 s wait for GUILD_CREATEs that will not come
    task = asyncio.create_task(bot.start(settings.token or ""))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), timeout=8)
        yield bot
    finally:
        await bot.close()
        task.cancel()  # a connect that never reached a gateway retries forever, closed or not
        await asyncio.gather(task, return_exceptions=True)
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


@pytest.mark.parametrize("shards", [{}, {"SHARD_COUNT": "1"}], ids=["shard count asked", "shard count set"])
async def test_the_first_connect_goes_to_the_gateway_the_api_base_names(
    standin: StandIn, store_path: Path, shards: dict[str, str]
) -> None:
    async with started(standin, store_path, **shards):
        assert (await standin.slash("help")).embeds
    assert [record.path for record in standin.gateway.records("identify")] == ["/gateway"]


async def test_a_re_identify_after_a_lost_session_goes_to_the_same_gateway(
    standin: StandIn, store_path: Path
) -> None:
    async with started(standin, store_path):
        standin.close_connection(0, code=4009)  # the session ends: discord.py must IDENTIFY anew
        await standin.wait_for_gateway("identify", count=2, timeout=8)
        assert (await standin.slash("help")).embeds
    assert len(standin.gateway.records("identify")) == 2
