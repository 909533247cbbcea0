"""Point discord.py at a Discord-compatible API: real Discord by default, or the loopback stand-in in tests.

discord.py builds every REST URL from ``discord.http.Route.BASE`` when a ``Route`` is made; the interaction
callback, ``@original`` and follow-up requests (``discord.webhook.async_``) use the same ``Route`` class, so
one assignment covers them. The gateway is separate: ``Client.connect`` never asks ``/gateway/bot`` and
connects to ``DiscordWebSocket.DEFAULT_GATEWAY``; ``AutoShardedClient`` asks only when ``shard_count`` is
None and falls back to ``DEFAULT_GATEWAY`` on every re-IDENTIFY and shard reconnect. Resumes use the
``resume_gateway_url`` from READY. Nothing else the bot uses has discord.com/discord.gg built in (the CDN
asset, invite and jump URLs are only formatted, not requested).
"""

from __future__ import annotations

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import DEFAULT_API_BASE

__all__ = ["DEFAULT_API_BASE", "apply_api_base", "use_gateway_from_api"]


def apply_api_base(base: str) -> None:
    """Send all REST traffic (bot routes, interaction responses, follow-ups) to ``base`` (``.../api/v10``)."""
    Route.BASE = base.rstrip("/")


async def use_gateway_from_api(client: discord.Client) -> None:
    """Make every gateway (re)connect go where ``GET /gateway/bot`` of the API base says; call after login."""
    _shards, url, _limits = await client.http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
