"""/actor and /actors end to end: the real bot on the stand-in, over a store built from the seed article."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.ingest import ingest
from bot.standin import InteractionResult, StandIn
from tests.seed_facts import SEED_PEOPLE

pytestmark = pytest.mark.cogs("cogs.actors", "cogs.timeline")

NO_ROLE = "No role stated in the articles."
AUTOCOMPLETE_INPUTS = {
    "typo": "Hifter",
    "transliteration": "Sarraj",
    "transliteration_y": "Shoygu",
    "lowercase_alias": "wagner",
    "prefix": "haf",
    "empty": "",
    "six_thousand_chars": "x" * 6000,
    "mention": "@everyone",
}
TYPOS = {
    "Hifter": "Khalifa Haftar",
    "Sarraj": "Fayez al-Serraj",
    "Shoygu": "Sergei Shoigu",
    "wagner": "Wagner Group",
    "haf": "Khalifa Haftar",
}


def plain(text: str) -> str:
    """The text as Discord shows it: bold and italic markers dropped, escaped characters kept literally."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*", "", text))


def field(embed: dict, name: str) -> str | None:
    return next((plain(f["value"]) for f in embed.get("fields", []) if f["name"].startswith(name)), None)


def role_shown(embed: dict) -> str | None:
    """The first role line without its citation, None when the profile says there is none."""
    role = (field(embed, "Role") or "").split("\n")[0].split(" — ")[0]
    return None if role == NO_ROLE else role


def pings_nobody(result: InteractionResult) -> bool:
    return all(message.allowed_mentions == {"parse": []} for message in result.all_messages())


@pytest.mark.parametrize(("name", "role"), SEED_PEOPLE.items(), ids=list(SEED_PEOPLE))
async def test_actor_answers_the_profile_of_every_person_named(standin: StandIn, bot, name, role):
    result = await standin.slash("actor", {"name": name})
    assert (result.embeds[0]["title"], role_shown(result.embeds[0])) == (name, role)


async def test_actor_finds_a_person_by_alias(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Serraj"})
    assert result.embeds[0]["title"] == "Fayez al-Serraj"


async def test_actor_profile_cites_the_role(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    assert (
        field(result.embeds[0], "Role")
        == "Libyan National Army leader — Russia's Mediation Goals in Libya, ¶2"
    )


async def test_actor_profile_groups_relations_by_label(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    names = [f["name"] for f in result.embeds[0]["fields"]]
    assert {"Ally of", "Backed by", "Leads"} <= set(names)


async def test_actor_profile_lists_dated_events_with_citations(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Mikhail Bogdanov"})
    assert "7 Apr 2019 — Russian Deputy Minister" in (field(result.embeds[0], "Events") or "")


async def test_actor_profile_quotes_statements_attributed_dated_and_cited(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Andrei Kortunov"})
    first = (field(result.embeds[0], "Statements") or "").splitlines()[0]
    assert first.startswith("Andrei Kortunov, 9 Apr 2019: Russia has backed Haftar’s offensive")
    assert first.endswith(" (reported)")


async def test_actor_profile_says_where_the_actor_is_mentioned(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Fayez al-Serraj"})
    assert field(result.embeds[0], "Mentioned in") == (
        "Russia's Mediation Goals in Libya: 4 mentions in ¶13, ¶26, ¶32–33"
    )


async def test_every_actor_profile_fits_discords_limits(standin: StandIn, bot):
    listing = await bot.store.actors()
    results = [await standin.slash("actor", {"name": actor.name}) for actor in listing]
    assert [r.rejections for r in results if r.rejections or r.callback_type != 4] == []


async def test_unknown_actor_answers_privately_with_the_closest_names(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Khalifa Smith Jones"})
    assert (result.ephemeral, "Khalifa Haftar" in result.content) == (True, True)


async def test_unknown_actor_without_any_close_name_points_to_actors(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Qqqqq Zzzzz"})
    assert (result.ephemeral, "/actors" in result.content) == (True, True)


@pytest.mark.parametrize("typed", AUTOCOMPLETE_INPUTS.values(), ids=list(AUTOCOMPLETE_INPUTS))
async def test_actor_autocomplete_answers_at_most_25_valid_choices(standin: StandIn, bot, typed):
    result = await standin.autocomplete("actor", {"name": typed}, "name")
    known = {actor.name for actor in await bot.store.actors()}
    valid = all(1 <= len(c["name"]) <= 100 and c["value"] in known for c in result.choices or [])
    assert (result.rejections, result.choices is not None, len(result.choices or []) <= 25, valid) == (
        [], True, True, True,
    )  # fmt: skip


async def test_actor_autocomplete_of_a_huge_input_is_answered_in_time(standin: StandIn, bot):
    """The stand-in refuses a late answer (10062), so an accepted answer is a timely one."""
    result = await standin.autocomplete("actor", {"name": "Haftar " * 900}, "name")
    assert (result.rejections, result.choices is not None) == ([], True)


@pytest.mark.parametrize(("typed", "actor"), TYPOS.items(), ids=list(TYPOS))
async def test_actor_autocomplete_tolerates_typos_and_transliterations(standin: StandIn, bot, typed, actor):
    result = await standin.autocomplete("actor", {"name": typed}, "name")
    assert result.choices[0]["value"] == actor


async def test_profile_timeline_button_pages_the_actors_events(standin: StandIn, bot):
    profile = await standin.slash("actor", {"name": "Khalifa Haftar"})
    result = await standin.click(profile.message, "profile:timeline")
    assert (result.embeds[0]["title"], result.embeds[0]["footer"]["text"]) == (
        "Timeline: Khalifa Haftar", "Page 1/2 · 9 events",
    )  # fmt: skip


async def test_profile_statements_button_shows_the_actors_statements(standin: StandIn, bot):
    profile = await standin.slash("actor", {"name": "Grigory Lukyanov"})
    result = await standin.click(profile.message, "profile:statements")
    first = plain(result.embeds[0]["description"]).splitlines()[0]
    assert first.startswith("Grigory Lukyanov, undated: Haftar lacks the manpower")
    assert first.endswith(" (reported)")


async def test_profile_button_answers_only_the_clicker(standin: StandIn, bot):
    profile = await standin.slash("actor", {"name": "Khalifa Haftar"})
    result = await standin.click(profile.message, "profile:timeline")
    assert result.ephemeral


async def test_profile_without_statements_disables_its_statements_button(standin: StandIn, bot):
    profile = await standin.slash("actor", {"name": "Khalifa Haftar"})
    assert profile.message.custom_ids()["profile:statements"]["disabled"] is True


async def test_profile_buttons_are_disabled_when_they_time_out(standin: StandIn, bot):
    bot.get_cog("Actors").pager_timeout = 0.2
    profile = await standin.slash("actor", {"name": "Khalifa Haftar"})
    await profile.wait_for(lambda r: r.message.custom_ids()["profile:timeline"].get("disabled") is True, 3)
    assert profile.rejections == []


async def test_actor_answers_ping_nobody(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    assert pings_nobody(result)


async def test_an_unknown_name_typed_as_everyone_pings_nobody(standin: StandIn, bot):
    result = await standin.slash("actor", {"name": "@everyone"})
    assert (result.ephemeral, pings_nobody(result)) == (True, True)


async def test_actors_lists_everyone_grouped_by_kind(standin: StandIn, bot):
    result = await standin.slash("actors")
    groups = [f["name"] for f in result.embeds[0]["fields"]]
    assert groups[:2] == ["People (16)", "People (continued)"]


async def test_actors_with_a_kind_lists_only_that_kind(standin: StandIn, bot):
    result = await standin.slash("actors", {"kind": "country"})
    assert [f["name"] for f in result.embeds[0]["fields"]] == ["Countries (6)"]


async def test_actors_pages_a_long_list(standin: StandIn, bot):
    result = await standin.slash("actors")
    assert result.embeds[0]["footer"]["text"] == "Page 1/2 · 33 actors"


async def test_actors_of_a_kind_nobody_has_says_so_privately(standin: StandIn, bot):
    result = await standin.slash("actors", {"kind": "other"})
    assert (result.ephemeral, "/actors without a kind" in result.content) == (True, True)


HOSTILE_ARTICLE = """---
title: A **hostile** _test_ article @everyone
published: 2019-05
---
On May 2, Khalifa Haftar said: “@everyone must leave Tripoli now, and <@123> too.”
"""


class TestArticleTextThatLooksLikeMentions:
    @pytest.fixture
    def store_path(self, tmp_path: Path) -> Path:
        articles = tmp_path / "articles"
        articles.mkdir()
        (articles / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
        path = tmp_path / "hostile.db"
        ingest([articles], path)
        return path

    async def test_a_quote_with_everyone_pings_nobody(self, standin: StandIn, bot):
        profile = await standin.slash("actor", {"name": "Khalifa Haftar"})
        statements = await standin.click(profile.message, "profile:statements")
        shown = "@everyone" in statements.embeds[0]["description"]
        assert (shown, pings_nobody(profile), pings_nobody(statements)) == (True, True, True)

    async def test_markdown_in_an_article_title_shows_literally(self, standin: StandIn, bot):
        profile = await standin.slash("actor", {"name": "Khalifa Haftar"})
        mentioned = next(f["value"] for f in profile.embeds[0]["fields"] if f["name"] == "Mentioned in")
        assert mentioned.startswith(r"*A \*\*hostile\*\* \_test\_ article @everyone*")


@pytest.mark.parametrize(
    ("actor", "label", "other"),
    [("Khalifa Haftar", "Backed by", "Russia"), ("Russia", "Backs", "Khalifa Haftar")],
)
async def test_a_relation_shows_on_both_profiles_with_its_citation(
    standin: StandIn, bot, actor: str, label: str, other: str
) -> None:
    result = await standin.slash("actor", {"name": actor})
    value = plain(field(result.embeds[0], label) or "")
    assert re.search(rf"{other} \(Russia's Mediation Goals in Libya, ¶\d+\)", value), value


async def test_the_timeline_includes_events_that_name_the_actor_by_an_alias(standin: StandIn, bot) -> None:
    """Haftar is no party to the 7 April call, but its sentence names him ("Haftar’s forces")."""
    result = await standin.slash("timeline", {"actor": "the LNA leader", "on": "7 Apr 2019"})
    shown = plain(result.embeds[0]["description"])
    assert "Bogdanov had a telephone conversation with Ahmed Maiteeq" in shown


async def test_actor_pages_are_read_one_at_a_time_and_together_list_everyone_once(bot, standin) -> None:
    from bot.render import KIND_NAMES

    first = await standin.slash("actors")
    seen, page = [], first.message
    while True:
        seen += [
            line.split("**")[1] for field in page.embeds[0]["fields"] for line in field["value"].splitlines()
        ]
        if page.custom_ids()["pager:next"].get("disabled"):
            break
        await standin.click(page, "pager:next")
        page = first.message
    expected = await bot.store.actors(kinds=list(KIND_NAMES))
    assert seen == [actor.name.replace("*", "\\\\*") for actor in expected]  # same order, no gap, none twice
    assert len(seen) > 20  # more than one page
