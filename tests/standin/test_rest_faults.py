"""Injected REST failures as discord.py sees them: 429 retried, 403 Forbidden, 404 Unknown Channel."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.standin import StandIn
from tests.standin.bots import make_bot
from tests.standin_fixtures import run_bot


def text_channel(bot: discord.Client, channel_id: int) -> discord.TextChannel:
    channel = bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_rate_limited_send_is_retried_by_discord_py(standin: StandIn) -> None:
    fault = standin.rate_limit(r"^/channels/\d+/messages$", times=2, retry_after=0.05, method="POST")
    async with run_bot(make_bot(), standin) as bot:
        sent = await text_channel(bot, standin.default_channel.id).send("after the wait")
    statuses = [r.status for r in standin.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert statuses == [429, 429, 200]
    assert fault.remaining == 0
    assert standin.messages_in(standin.default_channel)[-1].id == sent.id
    retry_gap = standin.requests[-1].at - standin.requests[-2].at
    assert retry_gap >= 0.05


async def test_rate_limited_interaction_callback_is_retried(standin: StandIn) -> None:
    standin.rate_limit(r"^/interactions/\d+/[^/]+/callback$", retry_after=0.05)
    async with run_bot(make_bot(), standin) as bot:
        await bot.tree.sync()
        result = await standin.slash("echo", {"text": "patience"})
    assert result.content == "patience"
    assert standin.count_requests("POST", r"/callback$") == 2


async def test_missing_permissions_is_forbidden(standin: StandIn) -> None:
    briefings = standin.find_channel("briefings")
    async with run_bot(make_bot(), standin) as bot:
        standin.deny(briefings)
        channel = text_channel(bot, briefings.id)
        for _ in range(100):  # CHANNEL_UPDATE reaches the bot's cache
            if not channel.permissions_for(channel.guild.me).send_messages:
                break
            await asyncio.sleep(0.01)
        assert not channel.permissions_for(channel.guild.me).send_messages
        with pytest.raises(discord.Forbidden) as caught:
            await channel.send("hello?")
        await text_channel(bot, standin.default_channel.id).send("elsewhere is fine")
    assert caught.value.code == 50013
    assert standin.messages_in(briefings) == []


async def test_deleted_channel_is_unknown(standin: StandIn) -> None:
    briefings = standin.find_channel("briefings")
    async with run_bot(make_bot(), standin) as bot:
        stale = text_channel(bot, briefings.id)
        standin.delete_channel(briefings, notify=False)
        with pytest.raises(discord.NotFound) as caught:
            await stale.send("anyone there?")
        general = standin.default_channel
        standin.delete_channel(general)
        for _ in range(100):
            if bot.get_channel(general.id) is None:
                break
            await asyncio.sleep(0.01)
        assert bot.get_channel(general.id) is None
    assert caught.value.code == 10003
