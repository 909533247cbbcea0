"""/help: what the bot knows, every command with how to use it; and every command is well described."""

from __future__ import annotations

from typing import Any

import pytest

from bot.client import BriefingBot
from bot.standin import StandIn

pytestmark = pytest.mark.cogs("cogs.quotes", "cogs.search", "cogs.sources", "cogs.help")

NO_MENTIONS = {"parse": []}


async def help_description(standin: StandIn) -> str:
    return (await standin.slash("help")).embeds[0]["description"]


def described(definitions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(name, description) of every command, subcommand and option, at any depth."""
    found = []
    for item in definitions:
        found.append((item["name"], item.get("description", "")))
        found += described(item.get("options") or [])
    return found


async def test_help_counts_actors_events_and_statements(bot: BriefingBot, standin: StandIn) -> None:
    tables = (await bot.store.stats()).tables
    expected = (
        f"**{tables['actors']}** actors · **{tables['events']}** events · **{tables['quotes']}** statements"
    )
    assert expected in await help_description(standin)


async def test_help_counts_the_articles(bot, standin: StandIn) -> None:
    assert (await help_description(standin)).startswith("I answer from **1** article,")


async def test_help_lists_the_articles_by_title(bot, standin: StandIn) -> None:
    result = await standin.slash("help")
    assert result.embeds[0]["fields"][0] == {
        "name": "Articles",
        "value": "• Russia's Mediation Goals in Libya",
        "inline": False,
    }


@pytest.mark.parametrize(
    "line",
    [
        "`/help` — What I know and how to ask me",
        "`/quote [speaker] [topic]` — What people said, word for word, with date and source",
        "`/search text` — Find sentences in the articles that use these words",
        "`/source [article] [paragraph]` — List the articles I know, or read one paragraph of one",
    ],
)
async def test_help_shows_each_command_with_how_to_use_it(bot, standin: StandIn, line: str) -> None:
    assert line in (await help_description(standin)).splitlines()


async def test_help_is_sent_without_pings(bot, standin: StandIn) -> None:
    result = await standin.slash("help")
    assert result.message.allowed_mentions == NO_MENTIONS


async def test_every_command_and_option_has_a_description_of_1_to_100_characters(
    bot, standin: StandIn
) -> None:
    too_long_or_empty = [
        name for name, text in described(standin.commands[None]) if not 1 <= len(text) <= 100
    ]
    assert too_long_or_empty == []
