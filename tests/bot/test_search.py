"""/search: highlighted, cited sentences; any text at all is answered safely and never pings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.standin import StandIn
from bot.standin.limits import embed_size
from bot.store import Citation, SearchHit
from cogs.search import CLOSE, OPEN, by_article, highlight

pytestmark = pytest.mark.cogs("cogs.quotes", "cogs.search", "cogs.sources", "cogs.help")

NO_MENTIONS = {"parse": []}
HOSTILE = [
    '"',
    "AND(",
    "*",
    "NEAR",
    "NEAR(a b)",
    "@everyone",
    "<@&123>",
    "<@1>",
    "\x00",
    "\x1b[2J",
    "OR",
    "-",
]
hostile_text = st.one_of(
    st.text(max_size=6000),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), max_size=40).map(" ".join),
    st.sampled_from(HOSTILE).map(lambda piece: piece * 500),
)


async def test_search_puts_matched_words_in_bold(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": "Haftar offensive"})
    assert "**Haftar**’s **offensive**" in result.embeds[0]["description"]


async def test_search_cites_article_and_paragraph(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": "Haftar offensive"})
    assert "— *Russia's Mediation Goals in Libya, ¶5*" in result.embeds[0]["description"]


async def test_search_falls_back_to_any_of_the_words(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": "Zakharova penguins"})
    assert "Zakharova**" in result.embeds[0]["description"]


async def test_search_is_sent_without_pings(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": "Haftar"})
    assert result.message.allowed_mentions == NO_MENTIONS


async def test_search_without_matches_says_what_to_try(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": "penguins"})
    assert result.ephemeral and result.content.startswith("No sentence in the articles uses those words.")


async def test_search_without_any_word_asks_for_one(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": " ?! "})
    assert result.ephemeral and result.content.startswith("Type a word or two")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text)
async def test_search_answers_any_text_within_limits_without_pinging(
    bot, standin: StandIn, text: str
) -> None:
    result = await standin.slash("search", {"text": text})
    assert result.rejections == []
    assert result.callback_type == 4
    assert result.message.allowed_mentions == NO_MENTIONS
    assert len(result.content) <= 2000 and sum(embed_size(e) for e in result.embeds) <= 6000


def test_a_snippet_cut_inside_a_match_still_closes_the_bold() -> None:
    snippet = "word " * 10 + OPEN + "Haftar " * 60 + CLOSE
    assert highlight(snippet, limit=200).endswith("Haftar…**")


def test_markdown_in_article_text_is_escaped_in_snippets() -> None:
    assert highlight(f"a *b* {OPEN}c{CLOSE}") == r"a \*b\* **c**"


@pytest.mark.parametrize(("typed", "found"), [("tank", "**tanks**"), ("delivery", "**deliveries**")])
async def test_search_matches_word_forms(bot, standin: StandIn, typed: str, found: str) -> None:
    result = await standin.slash("search", {"text": typed})
    assert found in result.embeds[0]["description"]


async def test_search_keeps_a_quoted_phrase_together(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": '"southern suburbs"'})
    assert "**southern suburbs**" in result.embeds[0]["description"].replace("** **", " ")
    reversed_phrase = await standin.slash("search", {"text": '"suburbs southern"'})
    assert reversed_phrase.ephemeral and reversed_phrase.content.startswith("No sentence")


async def test_search_finds_an_actor_under_any_of_its_names(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": "Khalifa Haftar offensive"})
    entries = result.embeds[0]["description"].split("\n\n")
    assert any("Khalifa" not in entry and "**Haftar**" in entry for entry in entries)


async def test_search_groups_results_under_their_article(bot, standin: StandIn) -> None:
    result = await standin.slash("search", {"text": "Haftar"})
    assert result.embeds[0]["description"].startswith("__Russia's Mediation Goals in Libya__\n**1.**")


def test_hits_are_grouped_by_article_best_article_first() -> None:
    hits = [hit("b", 1), hit("a", 2), hit("b", 3), hit("c", 4), hit("a", 5)]
    assert [(h.citation.document, h.citation.paragraph) for h in by_article(hits, 4)] == [
        ("b", 1), ("b", 3), ("a", 2), ("c", 4)
    ]  # fmt: skip


def hit(document: str, paragraph: int) -> SearchHit:
    return SearchHit(Citation(document, document.upper(), paragraph, 0), "snippet", "text")
