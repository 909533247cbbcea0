"""Login, READY, GUILD_CREATE and the discord.py URL settings, against the real client."""

from __future__ import annotations

import asyncio

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord.webhook import async_

from bot.discord_api import apply_api_base, use_gateway_from_api
from bot.standin import StandIn
from tests.standin.bots import make_bot
from tests.standin_fixtures import run_bot


async def test_login_ready_and_guild_create(standin: StandIn) -> None:
    bot = make_bot()
    guild = standin.find_guild("Test Guild")
    async with run_bot(bot, standin):
        assert bot.user is not None and bot.user.id == standin.bot_user.id
        assert bot.application_id == standin.application_id
        cached = bot.get_guild(guild.id)
        assert cached is not None and cached.name == "Test Guild"
        assert {c.name for c in cached.text_channels} == {"general", "briefings"}
        assert {r.name for r in cached.roles} >= {"@everyone", "Admin", standin.bot_user.username}
        assert cached.owner_id == standin.find_user("owner").id
        assert cached.member_count == 3
        assert cached.me is not None
        assert cached.me.guild_permissions.send_messages
    identify = standin.gateway.records("identify")
    assert [(r.shard_id, r.path) for r in identify] == [(0, "/gateway")]
    session = next(iter(standin.gateway.sessions.values()))
    assert session.intents == discord.Intents.default().value
    assert standin.unknown_routes == []


async def test_gateway_speaks_the_compression_discord_py_asks_for(standin: StandIn) -> None:
    requested = discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
    async with run_bot(make_bot(), standin) as bot:
        encoder = standin.gateway.connections[0].encode
        assert (
            encoder is not None
        )  # compressed frames were decoded by discord.py, or READY would never arrive
        assert bot.is_ready()
    assert requested in ("zlib-stream", "zstd-stream")


@pytest.mark.standin(heartbeat_interval=0.02)
async def test_heartbeats_are_acknowledged(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        connection = standin.gateway.connections[0]
        for _ in range(200):
            if connection.heartbeats >= 3:
                break
            await asyncio.sleep(0.01)
        assert connection.heartbeats >= 3
        assert bot.latency < 1.0  # discord.py measures it from our HEARTBEAT_ACKs; without them it is inf


async def test_wrong_token_fails_login(standin: StandIn) -> None:
    apply_api_base(standin.api_base)
    client = discord.Client(intents=discord.Intents.none())
    try:
        with pytest.raises(discord.LoginFailure):
            await client.login("not-the-token")
    finally:
        await client.close()
        apply_api_base("https://discord.com/api/v10")
    assert standin.requests[-1].status == 401


async def test_unknown_route_is_a_discord_404_and_logged(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        with pytest.raises(discord.NotFound) as caught:
            await bot.http.request(Route("GET", "/stickers/{sticker_id}", sticker_id=1))
    assert caught.value.code == 0
    assert caught.value.text == "404: Not Found"
    assert standin.unknown_routes == ["GET /api/v10/stickers/1"]


async def test_apply_api_base_covers_rest_and_interaction_webhooks() -> None:
    saved = Route.BASE
    try:
        apply_api_base("http://127.0.0.1:9/api/v10/")
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
        # interaction callbacks and follow-ups are built by the webhook adapter with the same Route class
        assert async_.Route is Route
    finally:
        Route.BASE = saved


async def test_use_gateway_from_api_sets_the_default_gateway(standin: StandIn) -> None:
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    client = discord.Client(intents=discord.Intents.none())
    try:
        apply_api_base(standin.api_base)
        await client.login(standin.config.token)
        assert DiscordWebSocket.DEFAULT_GATEWAY.host == "gateway.discord.gg"
        await use_gateway_from_api(client)
        assert yarl.URL(standin.gateway_url) == DiscordWebSocket.DEFAULT_GATEWAY
    finally:
        await client.close()
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
