"""/quote: statements verbatim, attributed, dated and cited; speaker autocomplete; helpful misses."""

from __future__ import annotations

import pytest

from bot.standin import StandIn

pytestmark = pytest.mark.cogs("cogs.quotes", "cogs.search", "cogs.sources", "cogs.help")

KORTUNOV_SAID = (
    "Russia has backed Haftar’s offensive because it wants the LNA to use its military successes as a "
    "bargaining chip to bolster its leverage in a diplomatic settlement"
)
NO_MENTIONS = {"parse": []}


async def kortunov_field(standin: StandIn) -> dict[str, str]:
    result = await standin.slash("quote", {"speaker": "Kortunov"})
    return result.embeds[0]["fields"][0]


async def test_quote_without_options_shows_one_statement(bot, standin: StandIn) -> None:
    result = await standin.slash("quote")
    assert len(result.embeds[0]["fields"]) == 1
    shown = result.embeds[0]["fields"][0]
    statements = await bot.store.quotes(limit=100)
    assert any(q.text in shown["value"] and shown["name"].startswith(q.speaker or "") for q in statements)


async def test_quote_without_options_cites_its_paragraph(bot, standin: StandIn) -> None:
    result = await standin.slash("quote")
    assert "Russia's Mediation Goals in Libya, ¶" in result.embeds[0]["fields"][0]["value"]


async def test_quote_by_speaker_gives_his_words_verbatim(bot, standin: StandIn) -> None:
    assert KORTUNOV_SAID in (await kortunov_field(standin))["value"]


async def test_quote_by_speaker_names_the_speaker_and_the_day(bot, standin: StandIn) -> None:
    assert (await kortunov_field(standin))["name"] == "Andrei Kortunov · 9 Apr 2019"


async def test_quote_by_speaker_cites_article_and_paragraph(bot, standin: StandIn) -> None:
    assert (await kortunov_field(standin))["value"].endswith("— *Russia's Mediation Goals in Libya, ¶14*")


async def test_quote_by_speaker_accepts_the_name_autocomplete_sends(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Maria Zakharova"})
    assert result.embeds[0]["fields"][0]["name"] == "Maria Zakharova · 16 Feb 2019"


async def test_quote_by_topic_finds_the_statement_about_it(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"topic": "manpower"})
    assert [f["name"] for f in result.embeds[0]["fields"]] == ["Grigory Lukyanov · undated"]


async def test_quote_by_speaker_and_topic_titles_both(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Kortunov", "topic": "bargaining"})
    assert result.embeds[0]["title"] == "Statements by Andrei Kortunov about “bargaining”"


async def test_quote_is_sent_without_pings(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"topic": "Haftar"})
    assert result.message.allowed_mentions == NO_MENTIONS


async def test_unknown_speaker_is_told_privately(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Napoleon Bonaparte"})
    assert (result.ephemeral, result.embeds) == (True, [])
    assert result.content.startswith("No actor like “Napoleon Bonaparte” in the articles")
    assert result.content.endswith("try /actors to see who is there.")


async def test_unknown_speaker_gets_close_names_suggested(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Andrei Smith Jones"})
    assert "Did you mean: **Andrei Kortunov**" in result.content


async def test_a_misspelt_speaker_is_answered_saying_who_is_shown(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Kortunv"})
    assert result.content == "Showing **Andrei Kortunov** (you typed “Kortunv”)."
    assert result.embeds[0]["title"] == "Statements by Andrei Kortunov"


async def test_topic_nobody_spoke_about_lists_who_has_statements(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"topic": "penguins"})
    assert result.ephemeral and "I have statements by Ahmed Maiteeq, Andrei Kortunov" in result.content


async def test_speaker_without_statements_is_told_so(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Egypt"})
    assert result.content.startswith("I found no statements by Egypt.")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Kortunov", "Andrei Kortunov"), ("zakharova", "Maria Zakharova"), ("Kortunv", "Andrei Kortunov")],
)
async def test_speaker_autocomplete_offers_the_person_first(
    bot, standin: StandIn, typed: str, expected: str
) -> None:
    result = await standin.autocomplete("quote", {"speaker": typed}, "speaker")
    assert result.choices[0]["value"] == expected
    assert result.choices[0]["name"].startswith(f"{expected} — ")  # the role beside the name


async def test_speaker_autocomplete_with_nothing_typed_offers_at_most_25_names(bot, standin: StandIn) -> None:
    result = await standin.autocomplete("quote", {"speaker": ""}, "speaker")
    assert 0 < len(result.choices) <= 25 and result.rejections == []


async def test_a_blank_topic_counts_as_no_topic(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Kortunov", "topic": "   "})
    assert result.embeds[0]["title"] == "Statements by Andrei Kortunov"


@pytest.mark.parametrize("topic", ["Khalifa Haftar", "offensives", "bargaining chips"])
async def test_topic_matches_names_by_any_alias_and_word_forms(bot, standin: StandIn, topic: str) -> None:
    result = await standin.slash("quote", {"speaker": "Kortunov", "topic": topic})
    assert KORTUNOV_SAID[:40] in result.embeds[0]["fields"][0]["value"]
