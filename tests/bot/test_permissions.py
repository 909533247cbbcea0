"""The run-time half of the Manage Server gate, for every subcommand that changes or reveals a setting.

``default_permissions(manage_guild=True)`` only decides who is *offered* a command; a server admin can open
it to everyone in Server Settings › Integrations. Each test here does that, then runs the subcommand as a
member without Manage Server: the bot must refuse, politely and privately, and change or show nothing.
"""

from __future__ import annotations

import pytest

from bot.client import BriefingBot
from bot.standin import Channel, StandIn, User
from bot.standin.model import MANAGE_GUILD
from bot.store.briefings import get_schedule
from bot.store.settings import lookup_enabled

pytestmark = [pytest.mark.cogs("cogs.lookup", "cogs.briefing"), pytest.mark.settings(message_content=True)]

REFUSED = "You need the Manage Server permission to do that."


def open_to_everyone(standin: StandIn, name: str) -> None:
    """What a server admin can do in Server Settings › Integrations: offer the command to every member."""
    standin.find_command(name, None)["default_member_permissions"] = None


@pytest.fixture
def owner(standin: StandIn) -> User:
    return standin.find_user("owner")


@pytest.fixture
def member(standin: StandIn) -> User:
    member = standin.find_user("member")
    assert not standin.world.guild_permissions(standin.find_guild("Test Guild"), member.id) & MANAGE_GUILD
    return member


@pytest.mark.parametrize("subcommand", ["on", "off", "status"])
async def test_lookup_refuses_a_member_without_manage_server_and_changes_nothing(
    bot: BriefingBot, standin: StandIn, owner: User, member: User, subcommand: str
) -> None:
    guild_id = standin.default_channel.guild_id
    assert "**on**" in (await standin.slash("lookup on", user=owner)).content
    if subcommand == "on":
        assert "**off**" in (await standin.slash("lookup off", user=owner)).content
    before = await lookup_enabled(bot.store, guild_id)
    open_to_everyone(standin, "lookup")
    result = await standin.slash(f"lookup {subcommand}", user=member)
    assert (result.ephemeral, result.content, result.embeds) == (True, REFUSED, [])
    assert await lookup_enabled(bot.store, guild_id) == before


@pytest.mark.parametrize("subcommand", ["status", "now", "preview", "off"])
async def test_briefing_refuses_a_member_without_manage_server_and_changes_or_shows_nothing(
    bot: BriefingBot, standin: StandIn, owner: User, member: User, subcommand: str
) -> None:
    briefings = standin.find_channel("briefings")
    setup = {"channel": briefings, "time": "08:00", "timezone": "Europe/Moscow"}
    assert (await standin.slash("briefing setup", setup, user=owner)).content.startswith("Done.")
    guild_id = standin.default_channel.guild_id
    before = await get_schedule(bot.store, guild_id)
    open_to_everyone(standin, "briefing")
    result = await standin.slash(f"briefing {subcommand}", user=member)
    assert (result.ephemeral, result.content, result.embeds) == (True, REFUSED, [])
    assert await get_schedule(bot.store, guild_id) == before
    assert standin.messages_in(briefings) == []


async def test_briefing_setup_refuses_a_member_without_manage_server_and_saves_nothing(
    bot: BriefingBot, standin: StandIn, member: User
) -> None:
    briefings: Channel = standin.find_channel("briefings")
    open_to_everyone(standin, "briefing")
    setup = {"channel": briefings, "time": "08:00", "timezone": "Europe/Moscow"}
    result = await standin.slash("briefing setup", setup, user=member)
    assert (result.ephemeral, result.content) == (True, REFUSED)
    assert await get_schedule(bot.store, standin.default_channel.guild_id) is None
