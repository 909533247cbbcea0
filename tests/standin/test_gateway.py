"""Gateway resilience and sharding with the real client: RESUME, re-IDENTIFY, RECONNECT, shard routing."""

from __future__ import annotations

import asyncio
import json

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket

from bot.standin import StandIn
from bot.standin.gateway import Session
from tests.standin.bots import make_bot
from tests.standin_fixtures import run_bot


def events(session: Session, name: str) -> list[dict]:
    frames = (json.loads(frame.text) for frame in session.backlog)
    return [frame["d"] for frame in frames if frame["t"] == name]


async def test_dropped_connection_resumes_and_replays(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        await bot.tree.sync()
        standin.drop_connection()
        # sent while the client is reconnecting: delivered by the RESUME replay
        answered = await standin.slash("echo", {"text": "still here"})
        [resume] = await standin.wait_for_gateway("resume")
    assert answered.content == "still here"
    assert resume.path == "/gateway-resume"  # READY's resume_gateway_url
    assert len(standin.gateway.records("identify")) == 1
    assert len(standin.gateway.sessions) == 1


async def test_non_resumable_close_leads_to_a_new_identify(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        await bot.tree.sync()
        standin.close_connection(code=4009)
        await standin.wait_for_gateway("identify", 2)
        await bot.wait_until_ready()
        answered = await standin.slash("echo", {"text": "new session"})
    assert answered.content == "new session"
    assert len(standin.gateway.records("invalid_session")) == 1  # its RESUME was refused first
    assert len(standin.gateway.live_sessions()) == 1


async def test_invalid_session_leads_to_a_new_identify(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        await bot.tree.sync()
        standin.invalidate_session()
        await standin.wait_for_gateway("identify", 2)
        answered = await standin.slash("echo", {"text": "again"})
    assert answered.content == "again"
    assert standin.gateway.records("resume") == []


async def test_reconnect_request_resumes(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        await bot.tree.sync()
        standin.request_reconnect()
        await standin.wait_for_gateway("resume")
        answered = await standin.slash("echo", {"text": "resumed"})
    assert answered.content == "resumed"


async def test_reidentify_uses_the_gateway_from_the_api(standin: StandIn) -> None:
    """AutoShardedBot re-IDENTIFYs via DEFAULT_GATEWAY, which use_gateway_from_api points at the stand-in."""
    async with run_bot(make_bot(sharded=True), standin) as bot:
        assert yarl.URL(standin.gateway_url) == DiscordWebSocket.DEFAULT_GATEWAY
        await bot.tree.sync()
        standin.invalidate_session(0)
        await standin.wait_for_gateway("identify", 2)
        answered = await standin.slash("echo", {"text": "sharded"})
    assert [r.path for r in standin.gateway.records("identify")] == ["/gateway", "/gateway"]
    assert answered.content == "sharded"
    assert DiscordWebSocket.DEFAULT_GATEWAY.host == "gateway.discord.gg"  # run_bot restored it


@pytest.mark.standin(recommended_shards=2)
@pytest.mark.parametrize("shard_count", [2, None], ids=["explicit", "recommended"])
async def test_sharding_routes_guilds_and_events(standin: StandIn, shard_count: int | None) -> None:
    alpha = standin.add_guild("Alpha", owner=standin.find_user("owner"), shard_id=0)
    beta = standin.add_guild("Beta", owner=standin.find_user("owner"), shard_id=1)
    beta_news = standin.add_channel(beta, "news")
    async with run_bot(make_bot(sharded=True, shard_count=shard_count), standin) as bot:
        await bot.tree.sync()
        assert bot.shard_count == 2
        assert (bot.get_guild(alpha.id).shard_id, bot.get_guild(beta.id).shard_id) == (0, 1)
        answered = await standin.slash(
            "echo", {"text": "beta"}, channel=beta_news, user=standin.find_user("owner")
        )
    sessions = {session.shard_id: session for session in standin.gateway.sessions.values()}
    created = {shard: {int(g["id"]) for g in events(s, "GUILD_CREATE")} for shard, s in sessions.items()}
    assert alpha.id in created[0] and alpha.id not in created[1]
    assert beta.id in created[1] and beta.id not in created[0]
    assert all((guild_id >> 22) % 2 == shard for shard, ids in created.items() for guild_id in ids)
    assert answered.content == "beta"
    assert [int(i["guild_id"]) for i in events(sessions[1], "INTERACTION_CREATE")] == [beta.id]
    assert events(sessions[0], "INTERACTION_CREATE") == []
    assert sorted(r.shard_id for r in standin.gateway.records("identify")) == [0, 1]


async def test_identify_with_a_wrong_token_is_closed_4004(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        bot.http.token = "wrong"  # the next IDENTIFY carries it
        standin.invalidate_session()
        closes = await standin.wait_for_gateway("close", 2)
        assert closes[-1].code == 4004
        for _ in range(100):
            if bot.is_closed():
                break
            await asyncio.sleep(0.01)
        assert bot.is_closed()  # 4004 is fatal for discord.py


@pytest.mark.standin(allowed_intents=0)
async def test_privileged_intent_not_enabled_is_closed_4014(standin: StandIn) -> None:
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with run_bot(make_bot(intents=discord.Intents.all()), standin):
            pass
    assert standin.gateway.records("close")[-1].code == 4014
