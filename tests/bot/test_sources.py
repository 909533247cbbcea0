"""/source: the list of articles, one paragraph with its citation, and helpful answers to bad references."""

from __future__ import annotations

import pytest

from bot.standin import StandIn

pytestmark = pytest.mark.cogs("cogs.quotes", "cogs.search", "cogs.sources", "cogs.help")

KEY = "russia-mediation-goals-in-libya"
TITLE = "Russia's Mediation Goals in Libya"
NO_MENTIONS = {"parse": []}


async def test_source_lists_each_article_with_title_author_date_and_source(bot, standin: StandIn) -> None:
    result = await standin.slash("source")
    assert result.embeds[0]["description"].startswith(
        f"**{TITLE}**\nby Samuel Ramani · Apr 2019 · Sada, Carnegie Endowment for International Peace;"
    )


async def test_source_list_counts_the_articles(bot, standin: StandIn) -> None:
    result = await standin.slash("source")
    assert result.embeds[0]["title"] == "Articles I know (1)"


async def test_source_shows_the_paragraph_text(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": KEY, "paragraph": 14})
    assert result.embeds[0]["description"].startswith("Andrei Kortunov, the director general")


async def test_source_titles_the_paragraph_with_its_citation(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": KEY, "paragraph": 14})
    assert result.embeds[0]["title"] == f"{TITLE}, ¶14"


async def test_source_finds_an_article_by_its_title_too(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": TITLE.lower(), "paragraph": 2})
    assert result.embeds[0]["footer"]["text"] == f"Paragraph 2 of 35 · {KEY}"


async def test_source_with_only_an_article_starts_at_its_first_paragraph(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": KEY})
    assert result.embeds[0]["footer"]["text"] == f"Paragraph 1 of 35 · {KEY}"


async def test_source_with_only_a_paragraph_reads_the_only_article(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"paragraph": 14})
    assert result.embeds[0]["title"] == f"{TITLE}, ¶14"


async def test_source_is_sent_without_pings(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": KEY, "paragraph": 3})
    assert result.message.allowed_mentions == NO_MENTIONS


async def test_paragraph_out_of_range_gives_the_valid_range(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": KEY, "paragraph": 36})
    assert (
        result.ephemeral and result.content == f"“{TITLE}” has paragraphs 1 to 35; there is no paragraph 36."
    )


async def test_paragraph_zero_is_out_of_range_too(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": KEY, "paragraph": 0})
    assert "has paragraphs 1 to 35" in result.content


async def test_unknown_article_lists_the_known_ones(bot, standin: StandIn) -> None:
    result = await standin.slash("source", {"article": "War and Peace", "paragraph": 1})
    assert result.ephemeral and result.content == (
        f"I have no article by that name. The articles I know: {TITLE}."
    )


@pytest.mark.parametrize("typed", ["", "mediation", "RUSSIA-MED"])
async def test_article_autocomplete_offers_the_title_with_the_key_as_value(
    bot, standin: StandIn, typed: str
) -> None:
    result = await standin.autocomplete("source", {"article": typed}, "article")
    assert result.choices == [{"name": TITLE, "value": KEY}]


async def test_article_autocomplete_offers_nothing_for_an_unknown_title(bot, standin: StandIn) -> None:
    result = await standin.autocomplete("source", {"article": "war and peace"}, "article")
    assert result.choices == []
