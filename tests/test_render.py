"""The pure renderers: embeds stay within Discord's limits whatever the data, and read as intended."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chart import timeline_png
from bot.extract.model import PartialDate
from bot.render import (
    ACTORS_PER_PAGE,
    EVENTS_PER_PAGE,
    actor_page,
    date_span,
    lines_within,
    literal,
    paragraph_ranges,
    profile_embed,
    said,
    statement_pages,
    timeline_page,
)
from bot.standin.limits import check_message
from bot.store.models import (
    ActorDocument,
    ActorProfile,
    ActorSummary,
    Citation,
    EventFact,
    QuoteFact,
    RelatedActor,
    RelationGroup,
    RoleFact,
)
from bot.text import fitting

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CITATION = Citation("doc", "An Article", 3, 0)
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3000)


def within_limits(*embeds) -> bool:
    return not check_message({"embeds": [embed.to_dict() for embed in embeds]}).tree


def event(summary: str = "Something happened", day: int = 8) -> EventFact:
    return EventFact(PartialDate(2019, 4, day), summary, ("Khalifa Haftar",), summary, CITATION)


def quote(words: str = "We will win", kind: str = "direct", date: PartialDate | None = None) -> QuoteFact:
    return QuoteFact("Khalifa Haftar", kind, words, date, words, CITATION)  # type: ignore[arg-type]


def profile(size: str = "x", count: int = 1) -> ActorProfile:
    """A profile whose every text is ``size`` and every list ``count`` long."""
    citation = Citation("doc", size, 1)
    return ActorProfile(
        name=size,
        kind="person",
        roles=tuple(RoleFact(size, citation) for _ in range(count)),
        aliases=tuple(size for _ in range(count)),
        relations=tuple(
            RelationGroup("backs", "in", size, tuple(RelatedActor(size, (citation,)) for _ in range(count)))
            for _ in range(min(count, 30))
        ),
        events=tuple(event(size) for _ in range(count)),
        quotes=tuple(quote(size) for _ in range(count)),
        mentions=count,
        documents=tuple(
            ActorDocument(size, size, tuple(range(1, count * 2, 2)), count) for _ in range(count)
        ),
    )


def summary(name: str, kind: str = "person", role: str | None = "leader") -> ActorSummary:
    return ActorSummary(name, kind, role, 3, 1)  # type: ignore[arg-type]


@given(text, st.integers(min_value=0, max_value=5000))
def test_literal_never_exceeds_its_limit(value, limit):
    assert len(literal(value, limit)) <= limit


def test_literal_escapes_markdown():
    assert literal("**bold** _x_", 100) == r"\*\*bold\*\* \_x\_"


def test_literal_cuts_at_a_word_with_an_ellipsis():
    assert literal("one two three four", 12) == "one two…"


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["", "a", "word " * 30, "*_" * 700, "x" * 5000]), st.integers(0, 60))
def test_profile_embed_fits_discords_limits_whatever_the_data(size, count):
    assert within_limits(profile_embed(profile(size, count)))


def test_profile_embed_points_to_the_timeline_button_for_more_events():
    embed = profile_embed(profile("word " * 40, 12))
    events = next(f.value for f in embed.fields if f.name.startswith("Events"))
    assert events.endswith("more: press Timeline")


def test_a_relation_with_hundreds_of_actors_shows_a_field_and_counts_the_rest():
    backers = tuple(RelatedActor(f"Backer {n:03d}", (CITATION,)) for n in range(300))
    base = profile("x", 1)
    crowded = ActorProfile(
        **{**vars(base), "relations": (RelationGroup("backs", "in", "Backed by", backers),)}
    )
    field = next(f for f in profile_embed(crowded).fields if f.name == "Backed by")
    shown = field.value.splitlines()
    assert shown[0].startswith("Backer 000") and shown[-2].startswith(f"Backer {len(shown) - 2:03d}")
    assert shown[-1] == f"…and {300 - (len(shown) - 1)} more"


def test_profile_without_a_role_says_so():
    embed = profile_embed(profile("x", 0))
    assert embed.fields[0].value == "No role stated in the articles."


def test_lines_within_keeps_whole_lines_and_counts_the_rest():
    assert lines_within(["aaaa", "bbbb", "cccc", "dddd", "eeee"], 16) == "aaaa\n…and 4 more"


def test_lines_within_keeps_everything_that_fits():
    assert lines_within(["aaaa", "bbbb"], 9) == "aaaa\nbbbb"


@settings(max_examples=30, deadline=None)
@given(st.lists(text, min_size=1, max_size=EVENTS_PER_PAGE), st.integers(0, 10**6))
def test_a_timeline_page_fits_discords_limits(summaries, total):
    page = timeline_page([event(s) for s in summaries], "Timeline " * 40, 3, total, "From Apr 2019 " * 20)
    assert within_limits(page)


def test_a_timeline_page_shows_its_events_in_order_and_counts_them_all():
    page = timeline_page([event(f"event {n}") for n in range(6, 12)], "Timeline", 1, 13)
    assert [int(n) for n in re.findall(r"\bevent (\d+)\b", page.description or "")] == list(range(6, 12))
    assert page.footer.text == "Page 2/3 · 13 events"
    assert timeline_page([event()], "Timeline", 0, 1).footer.text == "1 event"


def test_event_shows_its_date_at_its_precision_and_its_citation():
    month = EventFact(PartialDate(2018, 11), "A meeting", (), "A meeting", CITATION)
    assert timeline_page([month], "T", 0, 1).description == "**Nov 2018** — A meeting\n*An Article, ¶3*"


def test_direct_statements_are_quoted_verbatim():
    page = statement_pages([quote("@everyone out", date=PartialDate(2019, 4, 9))], "Statements")[0]
    assert page.description.startswith("**Khalifa Haftar**, 9 Apr 2019: “@everyone out”")


def test_reported_statements_are_marked_as_reported():
    page = statement_pages([quote("they would win", kind="reported")], "Statements")[0]
    assert page.description.startswith("**Khalifa Haftar**, undated: they would win *(reported)*")


def pages_of(actors: list, kind=None) -> list:
    """The actor list as /actors pages it: ACTORS_PER_PAGE actors a page, in the order given."""
    chunks = [actors[n : n + ACTORS_PER_PAGE] for n in range(0, len(actors), ACTORS_PER_PAGE)] or [[]]
    counts: dict[str, int] = {}
    for actor in actors:
        counts[actor.kind] = counts.get(actor.kind, 0) + 1
    return [actor_page(chunk, n, len(chunks), counts, kind) for n, chunk in enumerate(chunks)]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(text, st.sampled_from(["person", "country", "other"]), text | st.none()), max_size=300)
)
def test_actor_pages_fit_discords_limits(actors):
    pages = pages_of([summary(name or "?", kind, role) for name, kind, role in actors])
    assert all(within_limits(page) for page in pages)


def test_actor_pages_show_every_actor_once():
    pages = pages_of([summary(f"Actor {n:03}") for n in range(70)])
    assert sum(field.value.count("**Actor ") for page in pages for field in page.fields) == 70
    assert pages[-1].footer.text == "Page 4/4 · 70 actors"


def test_actor_pages_show_every_actor_once_even_with_long_roles():
    pages = pages_of([summary(f"Actor {n:03} " + "n" * 100, role="word " * 60) for n in range(70)])
    assert sum(field.value.count("**Actor ") for page in pages for field in page.fields) == 70


def test_actor_page_groups_by_kind_in_the_order_given():
    [page] = pages_of([summary("Haftar", "person"), summary("Egypt", "country")])
    assert [field.name for field in page.fields] == ["People (1)", "Countries (1)"]


def test_paragraph_ranges_join_consecutive_paragraphs():
    assert paragraph_ranges([7, 1, 2, 3, 5, 8]) == "¶1–3, ¶5, ¶7–8"


def test_date_span_reads_as_asked():
    assert date_span(PartialDate(2019, 4), PartialDate(2019, 4, 11), None) == "from Apr 2019 to 11 Apr 2019"


def test_timeline_chart_is_a_png():
    events = [event("costs $5 and $6 _x_", day) for day in range(1, 29)]
    events.append(EventFact(PartialDate(2018), "A whole year", (), "", CITATION))
    assert timeline_png(events, "Timeline $x$")[:8] == PNG_MAGIC


def test_timeline_chart_of_many_events_is_drawn_quickly():
    events = [event(f"event {n}", 1 + n % 28) for n in range(300)]
    started = dt.datetime.now()
    timeline_png(events, "Many")
    assert dt.datetime.now() - started < dt.timedelta(seconds=3)


@pytest.mark.parametrize(
    ("sizes", "limit", "gap", "kept"),
    [
        ([3, 3, 3], 9, 0, 3),
        ([3, 3, 3], 8, 0, 2),
        ([3, 3, 3], 11, 1, 3),  # 3 + 1 + 3 + 1 + 3
        ([3, 3, 3], 10, 1, 2),
        ([5, 1], 4, 0, 0),  # stops at the first that does not fit, even if a later one would
        ([], 10, 2, 0),
    ],
)
def test_fitting_keeps_the_longest_prefix_within_the_limit(
    sizes: list[int], limit: int, gap: int, kept: int
) -> None:
    items = ["x" * size for size in sizes]
    assert fitting(items, limit, gap=gap) == items[:kept]


@pytest.mark.parametrize("kind", ["direct", "reported"])
def test_a_statement_is_said_within_its_limit_whatever_the_text(kind: str) -> None:
    text = said(quote("*bold* " * 400, kind=kind), 300)
    assert 250 <= len(text) <= 300  # cut to fit, not far shorter
    assert text.startswith("“\\*bold\\*") if kind == "direct" else text.endswith("… *(reported)*")


def test_a_relation_counts_the_actors_the_store_did_not_read():
    base = profile("x", 1)
    read = (RelatedActor("Egypt", (CITATION,)), RelatedActor("Russia", (CITATION,)))
    group = RelationGroup("backs", "in", "Backed by", read, more=40)
    embed = profile_embed(ActorProfile(**{**vars(base), "relations": (group,)}))
    field = next(f for f in embed.fields if f.name == "Backed by")
    assert field.value.splitlines()[-1] == "…and 40 more"
