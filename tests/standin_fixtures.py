"""Fixtures for the Discord stand-in: ``standin`` (a started loopback Discord) and ``run_bot`` (a bot on it,
from :mod:`bot.standin.testing`, the harness the benchmarks and the playground use too).

@pytest.mark.standin(ack_deadline=0.5)  # optional StandInConfig overrides
async def test_ping(standin):
    bot = MyBot()
    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("ping")
    assert result.content == "pong"
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.standin import StandIn
from bot.standin.testing import build_test_guild, run_bot

__all__ = ["build_test_guild", "run_bot", "standin"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "standin(**settings): StandInConfig overrides for the standin fixture")


@pytest.fixture
async def standin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[StandIn]:
    """A started stand-in with the test guild; DISCORD_API_BASE points at it for settings-driven bots.

    Settings come from ``@pytest.mark.standin(ack_deadline=0.2, ...)`` (see ``StandInConfig``).
    """
    marker = request.node.get_closest_marker("standin")
    server = StandIn(**{"heartbeat_interval": 1.0, **(marker.kwargs if marker else {})})
    build_test_guild(server)
    async with server:
        monkeypatch.setenv("DISCORD_API_BASE", server.api_base)
        yield server
