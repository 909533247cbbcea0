"""Starting the bot for real (``run``), syncing its commands (``sync``), or the local ``playground``.

The store is opened by the bot itself (``setup_hook``) and closed by ``bot.close()``, which SIGINT and
SIGTERM trigger, so a stop closes the gateway and the store cleanly within a few seconds.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import signal
import sys

import discord

from bot.client import BriefingBot
from bot.config import Settings
from bot.discord_api import apply_api_base
from bot.ingest import Refusal, ensure_store

log = logging.getLogger("bot")


def setup_logging(settings: Settings) -> None:
    discord.utils.setup_logging(level=getattr(logging, settings.log_level), root=True)
    logging.getLogger("discord.http").setLevel(logging.WARNING)
    logging.getLogger("discord.gateway").setLevel(logging.WARNING)


M_ARENA_MAX = -8  # glibc's mallopt parameter for the number of malloc arenas
MALLOC_ARENAS = 2


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas before any thread starts, unless the operator set MALLOC_ARENA_MAX.

    By default each thread that allocates gets an arena of its own (up to 8 per core), and each keeps the
    memory freed in it: with the store's reader, its two other connections and the worker threads, about
    12 MB of the bot's resident memory at 10,000 articles (docs/benchmarks.md). False where there is no
    glibc ``mallopt`` (nothing to do there)."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))


def run(settings: Settings) -> int:
    """Build the store if needed, then run on Discord (with a token) or the local playground (without)."""
    limit_malloc_arenas()
    if not settings.token:
        return playground(settings)
    prepare_store(settings)
    setup_logging(settings)
    return asyncio.run(_run_bot(settings, sync_only=False))


def prepare_store(settings: Settings) -> None:
    """Bring the store up to date; name each refused article file on stderr, one line each."""
    refused = ensure_store(settings).refused
    if refused:
        print(refused_summary(refused), file=sys.stderr, flush=True)


def refused_summary(refused: tuple[Refusal, ...]) -> str:
    lines = [f"skipped {refusal}" for refusal in refused]
    lines.append(
        f"{len(refused)} article file{'s' if len(refused) != 1 else ''} skipped; the bot starts with the "
        "others. Fix or remove them, then restart (or run `python -m bot ingest` on them)."
    )
    return "\n".join(lines)


def sync(settings: Settings) -> int:
    """Push the application command definitions to Discord now (global, or DEV_GUILD_ID)."""
    if not settings.token:
        print("error: set DISCORD_TOKEN (in the environment or .env) to sync commands", file=sys.stderr)
        return 1
    prepare_store(settings)
    setup_logging(settings)
    return asyncio.run(_run_bot(settings, sync_only=True))


def playground(settings: Settings) -> int:
    from bot.playground import run_playground

    prepare_store(settings)
    return asyncio.run(run_playground(settings))


async def _run_bot(settings: Settings, *, sync_only: bool) -> int:
    apply_api_base(settings.api_base)
    bot = BriefingBot(settings)
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Future[None]] = []  # waited for below: the run ends when the bot has closed
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, lambda: stopping.append(asyncio.ensure_future(bot.close())))
    try:
        async with bot:
            if sync_only:
                await bot.login(settings.token or "")
                await bot.sync_commands(force=True)
                return 0
            await bot.start(settings.token or "")
    except discord.LoginFailure:
        print("error: Discord rejected DISCORD_TOKEN; check the token in .env", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print(
            "error: MESSAGE_CONTENT_INTENT is on but the Message Content intent is not enabled for this bot "
            "in the Discord developer portal",
            file=sys.stderr,
        )
        return 1
    finally:
        # The gateway closes first, which ends start(); the store and workers close after it, in the task
        # the signal started, which asyncio.run would otherwise cancel half-way.
        await asyncio.gather(*stopping, return_exceptions=True)
    return 0
