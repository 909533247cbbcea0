"""Plain messages both ways: what the bot receives (intent rules) and what it posts (stored as sent)."""

from __future__ import annotations

import asyncio
import io

import discord
import pytest
from discord.ext import commands

from bot.standin import StandIn
from bot.standin.model import VIEW_CHANNEL
from tests.standin.bots import make_bot
from tests.standin_fixtures import run_bot


def listening_bot(intents: discord.Intents) -> tuple[commands.Bot, asyncio.Queue[discord.Message]]:
    bot = make_bot(intents=intents)
    seen: asyncio.Queue[discord.Message] = asyncio.Queue()

    @bot.listen()
    async def on_message(message: discord.Message) -> None:
        if message.author != bot.user:
            seen.put_nowait(message)

    return bot, seen


async def test_content_needs_the_intent_or_a_mention(standin: StandIn) -> None:
    bot, seen = listening_bot(discord.Intents.default())
    async with run_bot(bot, standin):
        standin.user_message("hello everyone")
        plain = await asyncio.wait_for(seen.get(), 5)
        standin.user_message("what's new?", mention_bot=True)
        mentioned = await asyncio.wait_for(seen.get(), 5)
        standin.user_message("just us", dm=True)
        direct = await asyncio.wait_for(seen.get(), 5)
    assert plain.content == "" and plain.author.name == "member"
    assert mentioned.content == f"<@{standin.bot_user.id}> what's new?"
    assert bot.user in mentioned.mentions
    assert direct.content == "just us" and direct.guild is None


async def test_content_with_the_message_content_intent(standin: StandIn) -> None:
    intents = discord.Intents.default()
    intents.message_content = True
    bot, seen = listening_bot(intents)
    async with run_bot(bot, standin):
        standin.user_message("see attachment", files={"notes.txt": b"hello"})
        message = await asyncio.wait_for(seen.get(), 5)
        data = await message.attachments[0].read()
    assert message.content == "see attachment"
    assert (message.attachments[0].filename, data) == ("notes.txt", b"hello")


async def test_no_guild_messages_without_the_intent(standin: StandIn) -> None:
    intents = discord.Intents.default()
    intents.guild_messages = False
    bot, seen = listening_bot(intents)
    async with run_bot(bot, standin):
        standin.user_message("ignored", mention_bot=True)
        standin.user_message("but DMs arrive", dm=True)
        first = await asyncio.wait_for(seen.get(), 5)
    assert first.content == "but DMs arrive"


async def test_bot_reply_to_a_prefix_command(standin: StandIn) -> None:
    intents = discord.Intents.default()
    intents.message_content = True
    bot = make_bot(intents=intents)

    @bot.command()
    async def ping(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.reply("pong", mention_author=False)

    async with run_bot(bot, standin):
        standin.user_message("!ping")
        reply = await standin.wait_for_message(standin.default_channel, lambda m: m.content == "pong")
    assert reply.author is standin.bot_user
    assert reply.type == 19 and reply.reference is not None
    assert reply.allowed_mentions is not None and reply.allowed_mentions["replied_user"] is False


async def test_posted_message_is_stored_as_sent(standin: StandIn) -> None:
    briefings = standin.find_channel("briefings")
    async with run_bot(make_bot(), standin) as bot:
        channel = bot.get_channel(briefings.id)
        assert isinstance(channel, discord.TextChannel)
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="Source", url="https://example.org/a"))
        embed = discord.Embed(title="Daily briefing", description="Three things").add_field(
            name="1", value="one"
        )
        sent = await channel.send(
            "Today <@1>",
            embed=embed,
            view=view,
            file=discord.File(io.BytesIO(b"%PDF"), "brief.pdf"),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        await sent.edit(content="Today (updated)")
        history = [m async for m in channel.history(limit=10)]
        await sent.delete()
    [stored] = [m for m in standin.world.messages.values() if m.id == sent.id]
    assert stored.content == "Today (updated)" and stored.edited_at is not None
    assert stored.embeds[0]["title"] == "Daily briefing" and stored.embeds[0]["fields"][0]["value"] == "one"
    assert stored.components[0]["components"][0]["url"] == "https://example.org/a"
    assert [(a.filename, a.data, a.content_type) for a in stored.attachments] == [
        ("brief.pdf", b"%PDF", "application/pdf")
    ]
    assert stored.allowed_mentions == {"parse": []}
    assert [m.id for m in history] == [sent.id]
    assert stored.deleted and standin.messages_in(briefings) == []


async def test_editing_someone_elses_message_is_forbidden(standin: StandIn) -> None:
    async with run_bot(make_bot(), standin) as bot:
        theirs = standin.user_message("mine")
        channel = bot.get_channel(standin.default_channel.id)
        assert isinstance(channel, discord.TextChannel)
        message = await channel.fetch_message(theirs.id)
        with pytest.raises(discord.Forbidden) as caught:
            await message.edit(content="yours now")
    assert caught.value.code == 50005


async def test_messages_in_channels_the_bot_cannot_see_do_not_arrive(standin: StandIn) -> None:
    bot, seen = listening_bot(discord.Intents.default())
    briefings = standin.find_channel("briefings")
    async with run_bot(bot, standin):
        standin.deny(briefings, VIEW_CHANNEL)
        standin.user_message("hidden", channel=briefings, mention_bot=True)
        standin.user_message("visible", mention_bot=True)
        first = await asyncio.wait_for(seen.get(), 5)
    assert first.content.endswith("visible")
