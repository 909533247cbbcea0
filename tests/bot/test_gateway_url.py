"""The gateway address comes from ``DISCORD_API_BASE`` (``GET /gateway/bot``), on connect and on reconnect.

The bot is started as ``bot.runner`` starts it (``tests/bot/started.py``), not with ``run_bot``, which
points discord.py's default gateway at the stand-in itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.standin import StandIn
from tests.bot.started import started


@pytest.mark.parametrize("shards", [{}, {"SHARD_COUNT": "1"}], ids=["shard count asked", "shard count set"])
async def test_the_first_connect_goes_to_the_gateway_the_api_base_names(
    standin: StandIn, store_path: Path, shards: dict[str, str]
) -> None:
    async with started(standin, store_path, cogs=("cogs.help",), **shards):
        assert (await standin.slash("help")).embeds
    assert [record.path for record in standin.gateway.records("identify")] == ["/gateway"]


async def test_a_re_identify_after_a_lost_session_goes_to_the_same_gateway(
    standin: StandIn, store_path: Path
) -> None:
    async with started(standin, store_path, cogs=("cogs.help",)):
        standin.close_connection(0, code=4009)  # the session ends: discord.py must IDENTIFY anew
        await standin.wait_for_gateway("identify", count=2, timeout=8)
        assert (await standin.slash("help")).embeds
    assert len(standin.gateway.records("identify")) == 2
