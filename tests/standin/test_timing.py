"""Interaction timing rules: the ack deadline (10062), one acknowledgement (40060), token lifetime (50027)."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.http import MultipartParameters
from discord.webhook.async_ import async_context

from bot.standin import StandIn
from tests.standin.bots import make_bot
from tests.standin_fixtures import run_bot


@pytest.mark.standin(ack_deadline=0.2)
async def test_late_acknowledgement_is_unknown_interaction(standin: StandIn) -> None:
    bot = make_bot()
    errors: list[discord.HTTPException] = []

    @bot.tree.command(description="Too slow")
    async def dawdle(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)
        try:
            await interaction.response.send_message("finally")
        except discord.NotFound as error:
            errors.append(error)

    @bot.tree.command(description="Just in time")
    async def prompt(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.1)
        await interaction.response.send_message("on time")

    async with run_bot(bot, standin):
        await bot.tree.sync()
        late = await standin.slash("dawdle")
        on_time = await standin.slash("prompt")
    assert late.callback_type is None
    assert [(r.status, r.code) for r in late.rejections] == [(404, 10062)]
    assert [e.code for e in errors] == [10062]
    assert on_time.content == "on time"


async def test_second_acknowledgement_is_refused(standin: StandIn) -> None:
    bot = make_bot()
    errors: list[discord.HTTPException] = []

    @bot.tree.command(description="Answers twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        params = MultipartParameters(
            payload={"type": 4, "data": {"content": "second"}}, multipart=None, files=None
        )
        try:  # discord.py refuses a second response itself, so go around it as a buggy bot might
            await async_context.get().create_interaction_response(
                interaction.id, interaction.token, session=interaction._session, params=params
            )
        except discord.HTTPException as error:
            errors.append(error)

    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("twice")
    assert result.content == "first"
    assert [(r.status, r.code) for r in result.rejections] == [(400, 40060)]
    assert [e.code for e in errors] == [40060]


@pytest.mark.standin(token_ttl=0.3)
async def test_follow_up_after_token_expiry_is_refused(standin: StandIn) -> None:
    bot = make_bot()
    errors: list[discord.HTTPException] = []

    @bot.tree.command(description="Answers too late")
    async def eventually(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await asyncio.sleep(0.4)
        try:
            await interaction.followup.send("here you go")
        except discord.HTTPException as error:
            errors.append(error)

    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("eventually")
    assert result.loading
    assert [(r.status, r.code) for r in result.rejections] == [(401, 50027)]
    assert [(e.status, e.code) for e in errors] == [(401, 50027)]


async def test_follow_up_before_acknowledgement_is_unknown_webhook(standin: StandIn) -> None:
    bot = make_bot()
    errors: list[discord.HTTPException] = []

    @bot.tree.command(description="Follows up first")
    async def hasty(interaction: discord.Interaction) -> None:
        try:
            await interaction.followup.send("too early")
        except discord.NotFound as error:
            errors.append(error)
        await interaction.response.send_message("then answers")

    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("hasty")
    assert result.content == "then answers"
    assert [e.code for e in errors] == [10015]
