"""One harness to drive a bot on the stand-in, shared by the tests, the benchmarks and the playground.

async with StandIn() as standin:
    build_test_guild(standin)
    async with run_bot(MyBot(), standin):
        result = await standin.slash("ping")
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import Settings
from bot.discord_api import apply_api_base, use_gateway_from_api
from bot.standin.model import ADMINISTRATOR
from bot.standin.server import StandIn

__all__ = ["bot_settings", "build_test_guild", "run_bot"]

FAST_GUILD_READY_TIMEOUT = 0.05


def bot_settings(standin: StandIn, db_path: Path, articles_dir: Path, **overrides: object) -> Settings:
    """Settings for the briefing bot on this stand-in: its token and URL, one shard, global commands."""
    values: dict[str, object] = {
        "token": standin.config.token,
        "api_base": standin.api_base,
        "db_path": db_path,
        "articles_dir": articles_dir,
        "dev_guild_id": None,
        "log_level": "INFO",
        "shard_count": None,
        "shard_ids": None,
        "message_content": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


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
