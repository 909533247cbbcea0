"""Every interaction driver against the real discord.py client: commands, options, replies, views, menus."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.standin import StandIn
from bot.standin.interactions import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    UPDATE_MESSAGE,
)
from bot.standin.model import ADMINISTRATOR, ALL_PERMISSIONS, BOT_PERMISSIONS, EVERYONE_PERMISSIONS
from tests.standin.bots import make_bot
from tests.standin_fixtures import run_bot


@pytest.fixture
async def bot(standin: StandIn) -> AsyncIterator[commands.Bot]:
    """The demo bot, running and with its commands synced globally."""
    async with run_bot(make_bot(), standin) as running:
        await running.tree.sync()
        yield running


async def test_tree_sync_global_and_guild(standin: StandIn) -> None:
    guild = standin.find_guild("Test Guild")
    async with run_bot(make_bot(), standin) as bot:
        synced = await bot.tree.sync()
        bot.tree.copy_global_to(guild=discord.Object(guild.id))
        guild_synced = await bot.tree.sync(guild=discord.Object(guild.id))
        fetched = await bot.tree.fetch_commands(guild=discord.Object(guild.id))
    assert {c.name for c in synced} >= {"echo", "brief", "Quote Message", "Inspect User"}
    assert all(c.guild_id == guild.id for c in guild_synced)
    assert {c.id for c in fetched} == {c.id for c in guild_synced}
    assert len(standin.commands[None]) == len(synced)


async def test_slash_command_with_options(standin: StandIn, bot: commands.Bot) -> None:
    result = await standin.slash("echo", {"text": "hi", "times": 3, "loud": True})
    assert result.callback_type == CHANNEL_MESSAGE
    assert result.content == "HI HI HI"
    assert not result.ephemeral
    assert result.message in standin.messages_in(standin.default_channel)
    assert result.message.type == 20


async def test_slash_command_ephemeral_reply_stays_out_of_the_channel(
    standin: StandIn, bot: commands.Bot
) -> None:
    result = await standin.slash("echo", {"text": "secret", "private": True})
    assert result.ephemeral and result.message.flags & 64
    assert result.message not in standin.messages_in(standin.default_channel)


async def test_subcommand_group_and_resolved_objects(standin: StandIn, bot: commands.Bot) -> None:
    guild = standin.find_guild("Test Guild")
    owner, briefings = standin.find_user("owner"), standin.find_channel("briefings")
    admin = next(role for role in guild.roles.values() if role.name == "Admin")
    nested = await standin.slash("brief config set", {"key": "depth", "value": 2})
    who = await standin.slash("whois", {"member": owner, "channel": briefings, "role": admin})
    picked = await standin.slash("pick", {"colour": "blue"})
    assert nested.content == "depth=2" and nested.ephemeral
    assert who.content == "owner in #briefings with @Admin"
    assert picked.content == "picked blue"


async def test_driver_refuses_what_a_discord_client_would_not_send(
    standin: StandIn, bot: commands.Bot
) -> None:
    with pytest.raises(LookupError):
        await standin.slash("nope")
    with pytest.raises(ValueError, match="required"):
        await standin.slash("echo", {})
    with pytest.raises(ValueError, match="choices"):
        await standin.slash("pick", {"colour": "green"})


async def test_commands_are_offered_only_where_discord_would(standin: StandIn) -> None:
    bot = make_bot()

    @bot.tree.command(description="Managers only")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def settings(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("settings")

    async with run_bot(bot, standin):
        await bot.tree.sync()
        with pytest.raises(PermissionError):
            await standin.slash("settings")
        with pytest.raises(LookupError, match="DMs"):
            await standin.slash("settings", user=standin.find_user("owner"), dm=True)
        allowed = await standin.slash("settings", user=standin.find_user("owner"))
    assert allowed.content == "settings"


async def test_attachment_option(standin: StandIn) -> None:
    bot = make_bot()

    @bot.tree.command(description="Count bytes")
    async def size(interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()
        await interaction.response.send_message(f"{file.filename}: {len(data)} bytes, {file.content_type}")

    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("size", {"file": ("notes.txt", b"12345")})
    assert result.content == "notes.txt: 5 bytes, text/plain"


async def test_deferred_answer_and_follow_ups(standin: StandIn, bot: commands.Bot) -> None:
    result = await standin.slash("slow")
    await result.wait_for(lambda r: len(r.followups) == 1)
    assert result.callback_type == DEFERRED_CHANNEL_MESSAGE and result.deferred
    assert result.content == "done thinking"  # the first follow-up fills the "thinking" message
    assert not result.loading
    assert [m.content for m in result.followups] == ["and one more thing"]


async def test_edit_of_original_response(standin: StandIn, bot: commands.Bot) -> None:
    result = await standin.slash("revise")
    await result.wait_for(lambda r: len(r.edits) == 1)
    assert result.content == "final"
    assert result.embeds[0]["title"] == "Revised"
    assert result.message.edited_at is not None
    assert standin.count_requests("PATCH", r"/messages/@original$") == 1


async def test_button_click_edits_the_message(standin: StandIn, bot: commands.Bot) -> None:
    asked = await standin.slash("confirm")
    assert asked.message.custom_ids().keys() == {"confirm"}
    clicked = await standin.click(asked.message, "confirm", user=standin.find_user("owner"))
    assert clicked.callback_type == UPDATE_MESSAGE
    assert clicked.message is asked.message
    assert asked.message.content == "Confirmed by owner"
    assert asked.message.components == []


async def test_autocomplete(standin: StandIn, bot: commands.Bot) -> None:
    result = await standin.autocomplete("brief latest", {"topic": "e"}, focused="topic")
    assert result.callback_type == AUTOCOMPLETE_RESULT
    assert result.choices == [
        {"name": "Elections", "value": "elections"},
        {"name": "Energy", "value": "energy"},
    ]


async def test_message_and_user_context_menus(standin: StandIn, bot: commands.Bot) -> None:
    posted = standin.user_message("the quick brown fox")
    quoted = await standin.message_command("Quote Message", posted)
    inspected = await standin.user_command("Inspect User", standin.find_user("owner"))
    assert quoted.content == "> the quick brown fox"
    assert quoted.message.type == 23
    assert inspected.content == "owner has 2 roles" and inspected.ephemeral


async def test_file_attachment_in_reply(standin: StandIn, bot: commands.Bot) -> None:
    result = await standin.slash("report")
    [attachment] = result.message.attachments
    assert (attachment.filename, attachment.data, attachment.content_type) == (
        "report.csv",
        b"a,b\n1,2\n",
        "text/csv",
    )
    channel = bot.get_channel(standin.default_channel.id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.fetch_message(result.message.id)
    assert await message.attachments[0].read() == b"a,b\n1,2\n"


async def test_permissions_seen_by_the_bot(standin: StandIn, bot: commands.Bot) -> None:
    plain = await standin.slash("perms")
    owner = await standin.slash("perms", user=standin.find_user("owner"))
    forced = await standin.slash("perms", permissions=ADMINISTRATOR)
    assert plain.content == f"user={EVERYONE_PERMISSIONS} app={BOT_PERMISSIONS}"
    assert owner.content == f"user={ALL_PERMISSIONS} app={BOT_PERMISSIONS}"
    assert forced.content.startswith(f"user={ADMINISTRATOR} ")
    assert discord.Permissions.all().value == ALL_PERMISSIONS


async def test_slash_command_in_a_dm(standin: StandIn, bot: commands.Bot) -> None:
    result = await standin.slash("echo", {"text": "psst"}, dm=True)
    assert result.content == "psst"
    assert result.guild_id is None
    assert "user" in result.payload and "member" not in result.payload


async def test_modal_response_is_recorded(standin: StandIn) -> None:
    bot = make_bot()

    class Feedback(discord.ui.Modal, title="Feedback"):
        text = discord.ui.TextInput(label="Text")

    @bot.tree.command(description="Open a form")
    async def form(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("form")
    assert result.callback_type == 9
    assert result.modal is not None and result.modal["title"] == "Feedback"


async def test_result_records_timestamps_for_benchmarks(standin: StandIn, bot: commands.Bot) -> None:
    result = await standin.slash("echo", {"text": "t"})
    assert result.dispatched_at is not None and result.acked_at is not None
    assert 0 <= result.ack_latency < standin.config.ack_deadline
    assert standin.interactions == [result]


async def test_app_command_error_does_not_hang_the_driver(standin: StandIn) -> None:
    bot = make_bot()

    @bot.tree.command(description="Fails")
    @app_commands.checks.has_permissions(administrator=True)
    async def admin_only(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    @bot.tree.error
    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await interaction.response.send_message("not allowed", ephemeral=True)

    async with run_bot(bot, standin):
        await bot.tree.sync()
        denied = await standin.slash("admin_only")
        allowed = await standin.slash("admin_only", user=standin.find_user("owner"))
    assert (denied.content, denied.ephemeral) == ("not allowed", True)
    assert allowed.content == "ok"
