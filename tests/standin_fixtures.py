"""Fixtures for the Discord stand-in: ``standin`` (a started loopback Discord) and ``run_bot`` (a bot on it).

@pytest.mark.standin(ack_deadline=0.5)  # optional StandInConfig overrides
async def test_ping(standin):
    bot = MyBot()
    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("ping")
    assert result.content == "pong"
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.discord_api import apply_api_base, use_gateway_from_api
from bot.standin import StandIn
from bot.standin.model import ADMINISTRATOR

__all__ = ["build_test_guild", "run_bot", "standin"]

FAST_GUILD_READY_TIMEOUT = 0.05


def build_test_guild(standin: StandIn) -> None:
    """ "Test Guild" with #general and #briefings, "owner" (owner, Admin role) and "member" (no roles).

    Drivers default to #general and "member".
    """
    owner = standin.add_user("owner")
    member = standin.add_user("member")
    guild = standin.add_guild("Test Guild", owner=owner)
    standin.add_member(guild, owner, [standin.add_role(guild, "Admin", ADMINISTRATOR)])
    standin.add_member(guild, member)
    standin.default_channel = standin.add_channel(guild, "general", topic="General chat")
    standin.add_channel(guild, "briefings", topic="Daily briefings")
    standin.default_user = member


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


async def _no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py sleeps 5 s before every IDENTIFY but the first; the stand-in has no IDENTIFY limit."""


def _require_loopback() -> None:
    """Refuse to connect anywhere but 127.0.0.1 (e.g. a bot that reset the API base to discord.com)."""
    for url in (yarl.URL(Route.BASE), DiscordWebSocket.DEFAULT_GATEWAY):
        if url.host != "127.0.0.1":
            raise RuntimeError(f"discord.py is pointed at {url}, not the stand-in")


async def _wait_ready(
    bot: discord.Client, standin: StandIn, connect: asyncio.Task[None], timeout: float
) -> None:
    """Until READY and every GUILD_CREATE reached the bot; a failed connect raises its error at once."""
    guild_ids = list(standin.world.guilds)

    async def ready() -> None:
        await bot.wait_until_ready()
        while not all((g := bot.get_guild(gid)) is not None and not g.unavailable for gid in guild_ids):
            await asyncio.sleep(0.01)

    waiter = asyncio.create_task(ready())
    done, _ = await asyncio.wait({waiter, connect}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if waiter in done:
        return
    waiter.cancel()
    if connect in done:
        connect.result()
        raise RuntimeError("the bot stopped before it was ready")
    raise TimeoutError(f"the bot was not ready within {timeout}s")


@asynccontextmanager
async def run_bot(
    bot: discord.Client, standin: StandIn, *, timeout: float = 10.0, fast_start: bool = True
) -> AsyncIterator[discord.Client]:
    """Log ``bot`` in on the stand-in (its ``setup_hook`` runs), connect, wait until ready; close it after.

    ``fast_start`` removes discord.py's start-up pauses (2 s wait for late GUILD_CREATEs, 5 s before each
    re-IDENTIFY) by setting the bot's ``guild_ready_timeout`` and ``before_identify_hook``.
    discord.py's REST base and default gateway are restored afterwards.
    """
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    apply_api_base(standin.api_base)
    if fast_start:
        bot._connection.guild_ready_timeout = FAST_GUILD_READY_TIMEOUT
        bot.before_identify_hook = _no_identify_wait  # type: ignore[method-assign]
    connect: asyncio.Task[None] | None = None
    try:
        await bot.login(standin.config.token)
        await use_gateway_from_api(bot)
        _require_loopback()
        connect = asyncio.create_task(bot.connect())
        await _wait_ready(bot, standin, connect, timeout)
        yield bot
    finally:
        await bot.close()
        if connect is not None:
            await asyncio.gather(connect, return_exceptions=True)
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
