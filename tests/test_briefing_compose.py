"""Composing a briefing: new articles, anniversaries, the rotation of actors and statements, the embed."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.briefing import (
    MAX_ARTICLES,
    Briefing,
    ServerState,
    anniversaries_on,
    briefing_embed,
    coming_up,
    compose,
    rotate,
    summarize,
)
from bot.extract.model import PartialDate
from bot.store import Store
from bot.store.briefings import (
    ActorItem,
    ArticleOpening,
    DatedEvent,
    Material,
    NewEvent,
    News,
    load_material,
)
from bot.store.models import Citation, QuoteFact
from bot.text import EMBED_TOTAL_LIMIT, FIELD_VALUE_LIMIT

DAY = date(2020, 4, 8)


def cited(paragraph: int = 1, title: str = "Russia's Mediation Goals in Libya") -> Citation:
    return Citation("russia", title, paragraph, 0)


def opening(
    key: str, ingested_at: str, *sentences: tuple[int, str], author: str | None = None
) -> ArticleOpening:
    return ArticleOpening(key, key.title(), author, ingested_at, sentences)


def event(when: date, summary: str = "Something happened") -> DatedEvent:
    return DatedEvent(when, summary, cited(3))


def actor(name: str, role: str | None = "a role") -> ActorItem:
    return ActorItem(name, "person", role, cited(2), 1)


def quote(text: str, speaker: str | None = "Andrei Kortunov") -> QuoteFact:
    return QuoteFact(speaker, "direct", text, PartialDate(2019, 4, 9), f"He said “{text}”.", cited(14))


def material(
    articles: tuple[ArticleOpening, ...] = (),
    events: tuple[DatedEvent, ...] = (),
    actors: tuple[ActorItem, ...] = (),
    quotes: tuple[QuoteFact, ...] = (),
) -> Material:
    times = tuple(sorted(a.ingested_at for a in articles))
    latest = tuple(sorted(articles, key=lambda a: a.ingested_at, reverse=True))
    return Material(latest, times, events, actors, quotes)


def embed_text(embed: discord.Embed) -> str:
    return "\n".join(
        [embed.title or "", embed.description or ""] + [f"{f.name}\n{f.value}" for f in embed.fields]
    )


# -- articles --------------------------------------------------------------------------------------------


def test_only_articles_ingested_after_the_last_briefing_are_new() -> None:
    old = opening("old", "2020-04-01T00:00:00+00:00", (1, "Old news."))
    new = opening("new", "2020-04-07T00:00:00+00:00", (1, "Fresh news."))
    briefing = compose(material((old, new)), ServerState(1, DAY, since="2020-04-02T00:00:00+00:00"))
    assert [a.title for a in briefing.articles] == ["New"]
    assert briefing.more_articles == 0 and not briefing.first
    assert briefing.mark == "2020-04-07T00:00:00+00:00"


def test_a_first_briefing_shows_the_latest_articles() -> None:
    articles = tuple(opening(f"a{n}", f"2020-04-0{n}T00:00:00+00:00", (1, "Text.")) for n in range(1, 8))
    briefing = compose(material(articles), ServerState(1, DAY))
    assert briefing.first and [a.title for a in briefing.articles] == ["A7", "A6", "A5", "A4", "A3"]


def test_more_new_articles_than_fit_are_counted() -> None:
    articles = tuple(opening(f"a{n}", f"2020-04-0{n}T00:00:00+00:00", (1, "Text.")) for n in range(1, 9))
    briefing = compose(material(articles), ServerState(1, DAY, since="2020-04-01T00:00:00+00:00"))
    assert len(briefing.articles) == MAX_ARTICLES and briefing.more_articles == 2
    assert "…and 2 more (/source lists them all)." in briefing_embed(briefing).fields[0].value


def test_a_gist_comes_from_the_first_sentences_without_the_byline_and_cites_its_paragraph() -> None:
    article = summarize(
        opening(
            "seed",
            "2020-04-01T00:00:00+00:00",
            (1, "By Samuel Ramani"),
            (2, "Russia is seeking to bolster Haftar."),
            (2, "Moscow hedges."),
            (3, "Later text."),
            author="Samuel Ramani",
        )
    )
    assert article is not None
    assert article.gist == "Russia is seeking to bolster Haftar. Moscow hedges."
    assert article.citation.paragraph == 2


def test_a_sentence_starting_with_by_is_not_taken_for_a_byline() -> None:
    article = summarize(opening("seed", "t", (1, "By April, Haftar had reached Tripoli.")))
    assert article is not None and article.gist.startswith("By April")


# -- anniversaries ---------------------------------------------------------------------------------------


def test_on_this_day_matches_month_and_day_in_any_earlier_year() -> None:
    events = [event(date(2019, 4, 8), "a"), event(date(2019, 4, 9), "b"), event(date(2021, 4, 8), "future")]
    assert [e.summary for e in anniversaries_on(events, DAY)] == ["a"]


def test_a_leap_day_is_remembered_on_the_28th_in_other_years() -> None:
    leap = event(date(2016, 2, 29))
    assert anniversaries_on([leap], date(2019, 2, 28)) == [leap]
    assert anniversaries_on([leap], date(2020, 2, 28)) == []


def test_coming_up_lists_the_next_three_month_days_and_wraps_the_year() -> None:
    events = [event(date(2018, m, d)) for m, d in ((12, 30), (1, 2), (1, 5), (1, 9), (6, 1))]
    ahead = coming_up(events, date(2019, 12, 29))
    assert [when for when, _ in ahead] == [date(2019, 12, 30), date(2020, 1, 2), date(2020, 1, 5)]


# -- rotation --------------------------------------------------------------------------------------------


def shown_after(keys: list[str], guild: int, days: int) -> list[tuple[str, bool]]:
    """The picks of ``days`` consecutive posted briefings, recording each as the store does."""
    shown: dict[str, date] = {}
    picks = []
    for offset in range(days):
        state = ServerState(guild, DAY + timedelta(days=offset))
        pick = rotate(keys, shown, state)
        assert pick is not None
        key, reset = pick
        if reset:
            shown.clear()
        shown[key] = state.day
        picks.append(pick)
    return picks


@settings(max_examples=50, deadline=None)
@given(count=st.integers(1, 30), guild=st.integers(1, 2**63 - 1))
def test_no_item_repeats_until_every_one_was_shown_then_the_cycle_restarts(count: int, guild: int) -> None:
    keys = [f"item {n}" for n in range(count)]
    picks = shown_after(keys, guild, 2 * count)
    first, second = [k for k, _ in picks[:count]], [k for k, _ in picks[count:]]
    assert sorted(first) == sorted(keys) and sorted(second) == sorted(keys)
    assert [reset for _, reset in picks] == [False] * count + [True] + [False] * (count - 1)
    if count > 1:
        assert second[0] != first[-1]


def test_the_pick_is_fixed_for_a_server_and_day_and_varies_between_servers() -> None:
    keys = [f"item {n}" for n in range(20)]
    assert rotate(keys, {}, ServerState(1, DAY)) == rotate(keys, {}, ServerState(1, DAY))
    assert len({rotate(keys, {}, ServerState(guild, DAY)) for guild in range(10)}) > 1


def test_an_item_already_shown_today_is_shown_again_today() -> None:
    keys = ["a", "b", "c"]
    assert rotate(keys, {"b": DAY}, ServerState(1, DAY)) == ("b", False)


# -- the embed -------------------------------------------------------------------------------------------


def test_with_nothing_new_the_briefing_says_so_in_one_line_and_looks_back() -> None:
    seen = opening("seen", "2020-04-01T00:00:00+00:00", (1, "Old."))
    found = material((seen,), (event(date(2019, 4, 8)),), (actor("Khalifa Haftar"),), (quote("we talk"),))
    briefing = compose(found, ServerState(1, DAY, since="2020-04-01T00:00:00+00:00"))
    embed = briefing_embed(briefing)
    assert embed.description == "Nothing new since the last briefing, so here is a look back instead."
    assert [f.name for f in embed.fields] == [
        "On this day",
        "Actor of the day",
        "Statement of the day",
        "Coming up",
    ]
    assert {item.item_type for item in briefing.shown} == {"actor", "quote"}


NEWS_DAY_SECTIONS = ["New articles", "New actors", "New events", "Key statements", "On this day", "Coming up"]


def news(
    actors: tuple[ActorItem, ...] = (),
    events: tuple[NewEvent, ...] = (),
    statements: tuple[QuoteFact, ...] = (),
    counts: tuple[int, int, int] | None = None,
) -> News:
    a, e, q = counts or (len(actors), len(events), len(statements))
    return News(actors, a, events, e, statements, q)


def test_a_day_with_news_leads_with_it_each_item_cited_then_looks_back_and_ahead() -> None:
    new = opening("fresh", "2020-04-07T10:00:00+00:00", (1, "Talks resumed in Geneva."))
    new = dataclasses.replace(new, source="Wire", published=PartialDate(2020, 4, 7), url="https://x.org/a")
    found = dataclasses.replace(
        material((new,), (event(date(2019, 4, 8)), event(date(2019, 4, 9)))),
        news=news(
            (actor("Stephanie Williams", "UN envoy"),),
            (
                NewEvent(PartialDate(2020, 4, 6), "Talks resumed", cited(2)),
                NewEvent(PartialDate(2020, 3), "A truce", cited(3)),
            ),
            (quote("we talk", "A"), quote("again", "A"), quote("no", None)),
        ),
    )
    briefing = compose(found, ServerState(1, DAY, since="2020-04-01T00:00:00+00:00"))
    embed = briefing_embed(briefing)
    values = {f.name: f.value for f in embed.fields}
    assert list(values) == NEWS_DAY_SECTIONS
    assert embed.description.startswith("1 new article since the last briefing")
    assert values["New articles"] == (
        "**Fresh** — Wire · 7 Apr 2020\nTalks resumed in Geneva. *(Fresh, ¶1)* [link](https://x.org/a)"
    )
    assert values["New actors"].startswith("**Stephanie Williams** · person\nUN envoy *(")
    assert values["New events"].splitlines() == [
        "**6 Apr 2020** · Talks resumed *(Russia's Mediation Goals in Libya, ¶2)*",
        "**Mar 2020** · A truce *(Russia's Mediation Goals in Libya, ¶3)*",
    ]  # in the order the store gives: date order
    assert values["Key statements"].count("“") == 2  # one per speaker: A once, the unnamed one once
    assert "…and 1 more (/quote)." in values["Key statements"]
    assert briefing.actor is None and briefing.quote is None and briefing.shown == ()


def test_every_section_cites_its_article_and_paragraph() -> None:
    found = material(
        (opening("seed", "2020-04-01T00:00:00+00:00", (4, "Russia hedges.")),),
        (event(date(2019, 4, 8)), event(date(2019, 4, 9))),
        (actor("Khalifa Haftar", "Libyan National Army leader"),),
        (quote("we will talk to everyone"),),
    )
    found = dataclasses.replace(found, news=news(statements=(quote("we will talk to everyone"),)))
    embed = briefing_embed(compose(found, ServerState(1, DAY)))
    values = {f.name: f.value for f in embed.fields}
    assert list(values) == ["Latest articles", "Key statements", "On this day", "Coming up"]
    assert "*(Seed, ¶4)*" in values["Latest articles"]
    assert "**2019** · Something happened *(Russia's Mediation Goals in Libya, ¶3)*" in values["On this day"]
    assert values["Key statements"] == (
        "“we will talk to everyone”\n— Andrei Kortunov, 9 Apr 2019 *(Russia's Mediation Goals in Libya, ¶14)*"
    )
    assert values["Coming up"].startswith("**9 Apr** (tomorrow) · 2019: Something happened")
    assert embed.title == "Daily briefing · Wednesday 8 April 2020"


def test_an_unsafe_address_gets_no_link() -> None:
    for url in ("javascript:alert(1)", "https://x.org/a) [evil](https://y", "ftp://x.org/file"):
        new = dataclasses.replace(opening("a", "2020-04-07T00:00:00+00:00", (1, "Text.")), url=url)
        embed = briefing_embed(compose(material((new,)), ServerState(1, DAY, since="2020-04-01")))
        assert "[link]" not in embed.fields[0].value


def test_six_full_sections_share_the_embeds_6000_characters() -> None:
    long = "*_Ä " * 2000
    title = Citation("x", long, 99, 0)
    articles = tuple(opening(f"a{n}", f"2020-04-0{n}T00:00:00+00:00", (1, long)) for n in range(2, 9))
    found = dataclasses.replace(
        material(articles, tuple(DatedEvent(date(2000 + n, 4, 9 - n % 2), long, title) for n in range(15))),
        news=news(
            tuple(ActorItem(f"{long}{n}", "person", long, title, 1) for n in range(20)),
            tuple(NewEvent(PartialDate(2020, 4, 1), long, title) for _ in range(20)),
            tuple(QuoteFact(f"{long}{n}", "direct", long, None, long, title) for n in range(20)),
            counts=(50, 60, 70),
        ),
    )
    embed = briefing_embed(compose(found, ServerState(1, DAY, since="2020-04-01T00:00:00+00:00")))
    assert [f.name for f in embed.fields] == NEWS_DAY_SECTIONS
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert all(0 < len(f.value or "") <= FIELD_VALUE_LIMIT for f in embed.fields)
    assert "more (/timeline)." in embed.fields[2].value and "more (/actors)." in embed.fields[1].value


def test_huge_material_stays_within_discords_embed_limits() -> None:
    long = "*_Ä " * 2000
    articles = tuple(
        opening(f"a{n}", f"2020-04-0{n}T00:00:00+00:00", (1, long), author=long) for n in range(1, 9)
    )
    title = Citation("x", long, 99, 0)
    found = material(
        articles,
        tuple(DatedEvent(date(2000 + n, 4, 8), long, title) for n in range(15)),
        (ActorItem(long, "armed_group", long, title, 3),),
        (QuoteFact(long, "reported", long, None, long, title),),
    )
    briefing = compose(found, ServerState(1, DAY, since="2020-04-01T00:00:00+00:00"))
    embed = briefing_embed(briefing)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert all(len(f.value or "") <= FIELD_VALUE_LIMIT for f in embed.fields)
    assert "…and" in embed.fields[1].value


def test_an_empty_store_gives_a_short_briefing() -> None:
    briefing: Briefing = compose(material(), ServerState(1, DAY))
    assert briefing.actor is None and briefing.quote is None and briefing.shown == ()
    assert next(f.value for f in briefing_embed(briefing).fields) == "My store has no articles yet."


async def test_a_briefing_from_the_seed_article_is_cited_throughout(store: Store) -> None:
    found = await load_material(store, MAX_ARTICLES)
    embed = briefing_embed(compose(found, ServerState(7, date(2020, 4, 8))))
    text = embed_text(embed)
    assert "Russia blocked a resolution in the UN Security Council" in text  # 8 April 2019
    assert text.count("Russia's Mediation Goals in Libya, ¶") >= 5
    assert "Samuel Ramani" in text and len(embed) <= EMBED_TOTAL_LIMIT


@pytest.mark.parametrize("day", [date(2020, 4, 8), date(2020, 4, 30), date(2020, 12, 31), date(2021, 3, 1)])
async def test_reading_only_the_days_anniversaries_gives_the_same_briefing(store: Store, day: date) -> None:
    whole = compose(await load_material(store, MAX_ARTICLES), ServerState(7, day))
    read = await load_material(store, MAX_ARTICLES, day=day)
    narrow = compose(read, ServerState(7, day))
    assert (narrow.on_this_day, narrow.coming_up) == (whole.on_this_day, whole.coming_up)
    assert len(read.events) <= len(whole.on_this_day) + 40  # not every event of the store
