"""The bot started as ``bot.runner`` starts it: settings from environment variables, the REST base applied,
then ``bot.start``. Unlike ``run_bot``, nothing points discord.py's gateway anywhere for the bot: its
default gateway is a closed port on 127.0.0.1, so a bot that does not ask its API base cannot connect."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.client import COGS, BriefingBot, Clock, utc_now
from bot.config import load_settings
from bot.discord_api import apply_api_base
from bot.standin import StandIn

NOWHERE = yarl.URL("ws://127.0.0.1:9/")  # the discard port: nothing listens there


async def _no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before each re-IDENTIFY; the stand-in has no IDENTIFY limit."""


@asynccontextmanager
async def started(
    standin: StandIn,
    store_path: Path,
    *,
    cogs: tuple[str, ...] = COGS,
    clock: Clock = utc_now,
    **env: str,
) -> AsyncIterator[BriefingBot]:
    """A ready bot whose settings come from ``DISCORD_API_BASE``, ``BRIEFING_DB`` and ``env``."""
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
    bot = BriefingBot(settings, cogs=cogs, clock=clock)
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
