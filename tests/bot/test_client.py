"""The bot as a whole: command sync only when definitions change, intents as small as the features need."""

from __future__ import annotations

from pathlib import Path

from bot.client import BriefingBot
from bot.standin import StandIn
from tests.bot.conftest import make_settings
from tests.standin_fixtures import run_bot

SYNC = r"/applications/\d+/commands$"


async def _start(standin: StandIn, store_path: Path, cogs: tuple[str, ...]) -> None:
    async with run_bot(BriefingBot(make_settings(standin, store_path), cogs=cogs), standin):
        pass


async def test_commands_are_synced_on_first_start(standin: StandIn, store_path: Path):
    await _start(standin, store_path, ("cogs.actors",))
    assert standin.count_requests("PUT", SYNC) == 1


async def test_a_restart_with_unchanged_commands_does_not_sync_again(standin: StandIn, store_path: Path):
    await _start(standin, store_path, ("cogs.actors",))
    await _start(standin, store_path, ("cogs.actors",))
    assert standin.count_requests("PUT", SYNC) == 1


async def test_changed_command_definitions_are_synced(standin: StandIn, store_path: Path):
    await _start(standin, store_path, ("cogs.actors",))
    await _start(standin, store_path, ("cogs.actors", "cogs.search"))
    assert standin.count_requests("PUT", SYNC) == 2


async def test_a_dev_guild_gets_its_own_sync(standin: StandIn, store_path: Path):
    guild = standin.find_guild("Test Guild")
    settings = make_settings(standin, store_path, dev_guild_id=guild.id)
    async with run_bot(BriefingBot(settings, cogs=("cogs.actors",)), standin):
        pass
    assert standin.count_requests("PUT", rf"/applications/\d+/guilds/{guild.id}/commands$") == 1


def test_default_intents_without_message_content_or_member_cache(standin: StandIn, store_path: Path):
    bot = BriefingBot(make_settings(standin, store_path))
    assert (bot.intents.message_content, bot.intents.members, bot.intents.presences) == (False, False, False)
    assert bot._connection.max_messages is None


def test_message_content_only_when_configured(standin: StandIn, store_path: Path):
    bot = BriefingBot(make_settings(standin, store_path, message_content=True))
    assert bot.intents.message_content is True


async def test_close_closes_the_store(standin: StandIn, store_path: Path):
    bot = BriefingBot(make_settings(standin, store_path), cogs=("cogs.help",))
    async with run_bot(bot, standin):
        assert Path(f"{store_path}-wal").exists()  # open in WAL mode
    assert not Path(f"{store_path}-wal").exists()  # the last connection closed: checkpointed, WAL removed
    assert (await standin.wait_for_gateway("close"))[-1].code == 1000
