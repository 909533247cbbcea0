"""The bot's async reader over a store built from two small hand-written articles."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.extract.model import Actor, Extraction, Mention, PartialDate, Relation
from bot.resolve import resolver_for
from bot.store import LATEST_VERSION, Citation, Store, StoreError, TimelinePage
from bot.store.query import fts_match, parse_terms
from bot.store.read import RELATIONS_PER_GROUP, _footprint
from bot.store.schema import connect, transaction
from bot.store.write import Origin, finish_run, write_extraction
from tests.store_fixtures import assert_healthy, fake_extract, make_document, split_sentences

LIBYA = [
    "Khalifa Haftar is the commander of the Libyan National Army. Russia backs Khalifa Haftar.",
    "On 2019-04-04, Haftar launched an offensive on Tripoli.",
    "On 2019-04-08, Russia blocked a resolution at the UN Security Council.",
    "In 2019-03, Wagner Group deployed troops to Benghazi.",
    "On 2019-04-12, Moscow said “we support a political settlement in Libya”.",
    "Egypt backs Haftar as well. Fayez al-Serraj heads the Government of National Accord.",
    "On 2019-05-01, Serraj said “the aggression on Tripoli must stop”.",
]
MOSCOW = [
    "Field Marshal Haftar met Sergei Shoigu in Moscow.",
    "On 2018-11-07, Haftar met Sergei Shoigu and Yevgeny Prigozhin.",
    "In 2019, Shoigu said “Russia wants stability in Libya”.",
]


def write_documents(path: Path, *documents: tuple[str, str, PartialDate, list[str]]) -> None:
    conn = connect(path)
    with transaction(conn):
        for key, title, published, paragraphs in documents:
            document = make_document(key, paragraphs, title=title, published=published)
            write_extraction(conn, fake_extract(document), "v1", "2024-01-01T00:00:00+00:00")
        finish_run(conn, "v1", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00")
    conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    write_documents(
        path,
        ("libya-april", "Libya in April", PartialDate(2019, 4), LIBYA),
        ("moscow-talks", "Talks in Moscow", PartialDate(2018, 11), MOSCOW),
    )
    return path


@pytest.fixture
async def reader(db: Path) -> AsyncIterator[Store]:
    async with await Store.open(db) as store:
        yield store
    assert_healthy(db)


async def test_stats(reader: Store) -> None:
    stats = await reader.stats()
    assert stats.tables["documents"] == 2
    assert stats.tables["paragraphs"] == len(LIBYA) + len(MOSCOW)
    assert stats.tables["events"] == 7
    assert stats.tables["quotes"] == 3
    assert stats.schema_version == LATEST_VERSION
    assert stats.extractor_version == "v1"
    assert [(d.key, d.paragraphs, d.events, d.quotes) for d in stats.documents] == [
        ("libya-april", 7, 5, 2),
        ("moscow-talks", 3, 2, 1),
    ]


async def test_documents_newest_first(reader: Store) -> None:
    documents = await reader.documents()
    assert [(d.key, d.title, d.published, d.paragraphs) for d in documents] == [
        ("libya-april", "Libya in April", PartialDate(2019, 4), 7),
        ("moscow-talks", "Talks in Moscow", PartialDate(2018, 11), 3),
    ]


async def test_paragraph_by_key_or_title(reader: Store) -> None:
    by_key = await reader.paragraph("libya-april", 2)
    assert by_key is not None
    assert by_key.text == LIBYA[1]
    assert by_key.citation == Citation("libya-april", "Libya in April", 2)
    assert by_key.total == 7
    assert await reader.paragraph("LIBYA IN APRIL", 2) == by_key
    assert await reader.paragraph("libya-april", 99) is None
    assert await reader.paragraph("no such article", 1) is None


async def test_actor_profile(reader: Store) -> None:
    profile = await reader.actor("haftar")
    assert profile is not None
    assert profile.name == "Khalifa Haftar"
    assert profile.kind == "person"
    assert profile.aliases == ("Field Marshal Haftar", "Haftar")
    assert [(r.role, r.citation) for r in profile.roles] == [  # newest document first
        ("commander of the Libyan National Army", Citation("libya-april", "Libya in April", 1, 0)),
        ("commander of the Libyan National Army", Citation("moscow-talks", "Talks in Moscow", 1, 0)),
    ]
    backed = {(g.label, g.direction): [a.name for a in g.actors] for g in profile.relations}
    assert backed == {("backed by", "in"): ["Egypt", "Russia"]}
    russia = next(a for g in profile.relations for a in g.actors if a.name == "Russia")
    assert russia.citations == (Citation("libya-april", "Libya in April", 1, 1),)
    assert [e.date.iso() for e in profile.events] == ["2018-11-07", "2019-04-04"]
    assert profile.quotes == ()
    assert profile.mentions == sum(d.mentions for d in profile.documents) == 6
    assert [(d.key, d.paragraphs) for d in profile.documents] == [
        ("libya-april", (1, 2, 6)),
        ("moscow-talks", (1, 2)),
    ]


async def test_relations_read_both_ways(reader: Store) -> None:
    russia = await reader.actor("Russia")
    assert russia is not None
    assert [(g.type, g.direction, g.label, [a.name for a in g.actors]) for g in russia.relations] == [
        ("backs", "out", "backs", ["Khalifa Haftar"])
    ]
    assert [q.text for q in russia.quotes] == ["we support a political settlement in Libya"]


async def test_unknown_actor(reader: Store) -> None:
    assert await reader.actor("Nobody At All") is None
    assert await reader.actor("Hifter") is None  # profiles need an exact name; suggestions are fuzzy


async def test_actors_by_kind_and_mentions(reader: Store) -> None:
    countries = await reader.actors(kind="country")
    assert [a.name for a in countries] == ["Russia", "Egypt"]
    everyone = await reader.actors()
    assert everyone[0].name == "Khalifa Haftar"
    assert everyone[0].documents == 2
    assert [a.mentions for a in everyone] == sorted((a.mentions for a in everyone), reverse=True)


@pytest.mark.parametrize("guild", [None, 111])  # the operator's library alone, and with a server's own
async def test_actor_pages_read_one_at_a_time_make_the_whole_list(db: Path, guild: int | None) -> None:
    conn = connect(db)
    with transaction(conn):
        document = make_document(
            "own", ["Egypt backs Haftar. Cairo hosted Serraj."], published=PartialDate(2019, 6)
        )
        write_extraction(conn, fake_extract(document), "v1", "2024-02-01T00:00:00+00:00", Origin(library=111))
        finish_run(conn, "v1", "2024-02-01T00:00:00+00:00", "2024-02-01T00:00:00+00:00")
    conn.close()
    kinds = ["person", "organization", "country", "armed_group", "government", "other"]
    async with await Store.open(db) as store:
        whole = await store.actors(guild=guild, kinds=kinds)
        pages = [await store.actors(guild=guild, kinds=kinds, limit=3, offset=n) for n in range(0, 30, 3)]
        assert [a for page in pages for a in page] == whole
        assert len(whole) == sum((await store.actor_counts(guild=guild)).values())
        order = [(kinds.index(a.kind), -a.mentions, a.name) for a in whole]
        assert order == sorted(order)
        people = await store.actors("person", guild=guild, kinds=kinds, limit=2, offset=1)
        assert people == [a for a in whole if a.kind == "person"][1:3]
    assert_healthy(db)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Khalifa Haftar", "Khalifa Haftar"),
        ("HAFTAR", "Khalifa Haftar"),
        ("Khalīfa Ḥaftar", "Khalifa Haftar"),
        ("the Wagner Group", "Wagner Group"),
        ("LNA", "Libyan National Army"),
        ("moscow", "Russia"),
        ("Hifter", None),
        ("", None),
    ],
)
async def test_the_resolver_over_a_store_finds_names_and_aliases(
    reader: Store, text: str, expected: str | None
) -> None:
    assert (await resolver_for(reader)).exact(text) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Hifter", "Khalifa Haftar"),
        ("Sarraj", "Fayez al-Serraj"),
        ("Shoygu", "Sergei Shoigu"),
        ("wagner", "Wagner Group"),
        ("haf", "Khalifa Haftar"),
        ("HAFT", "Khalifa Haftar"),
        ("Prigojin", "Yevgeny Prigozhin"),
        ("egipt", "Egypt"),
        ("gna", "Government of National Accord"),
    ],
)
async def test_the_resolver_over_a_store_ranks_typed_names(reader: Store, typed: str, expected: str) -> None:
    suggestions = (await resolver_for(reader)).rank(typed, 5)
    assert suggestions[0].name == expected
    assert suggestions[0].kind != "other"


async def test_the_resolver_with_nothing_typed_lists_the_most_mentioned(reader: Store) -> None:
    resolver = await resolver_for(reader)
    suggestions = resolver.rank("", 3)
    assert suggestions[0].name == "Khalifa Haftar"
    assert len(suggestions) == 3
    assert resolver.rank("zzzzqqq") == []


async def test_actor_records_carry_aliases_roles_and_mentions(reader: Store) -> None:
    haftar = next(r for r in await reader.actor_records() if r.name == "Khalifa Haftar")
    assert "Haftar" in haftar.aliases
    assert haftar.roles and haftar.weight > 0


def _dates(page: TimelinePage) -> list[str]:
    return [event.date.iso() for event in page.events]


async def test_timeline_in_date_order(reader: Store) -> None:
    page = await reader.timeline(limit=50)
    assert _dates(page) == [
        "2018-11-07",
        "2019",
        "2019-03",
        "2019-04-04",
        "2019-04-08",
        "2019-04-12",
        "2019-05-01",
    ]
    assert page.total == 7
    first = page.events[0]
    assert first.citation == Citation("moscow-talks", "Talks in Moscow", 2, 0)
    assert first.actors == ("Khalifa Haftar", "Sergei Shoigu", "Yevgeny Prigozhin")
    assert first.evidence == MOSCOW[1]


@pytest.mark.parametrize(
    ("start", "end", "on", "expected"),
    [
        (PartialDate(2019, 3, 15), PartialDate(2019, 4, 5), None, ["2019", "2019-03", "2019-04-04"]),
        (PartialDate(2019, 4), None, None, ["2019", "2019-04-04", "2019-04-08", "2019-04-12", "2019-05-01"]),
        (None, PartialDate(2019, 3, 1), None, ["2018-11-07", "2019", "2019-03"]),
        (None, None, PartialDate(2019, 4), ["2019", "2019-04-04", "2019-04-08", "2019-04-12"]),
        (None, None, PartialDate(2019, 3, 20), ["2019", "2019-03"]),
        (None, None, PartialDate(2019, 4, 8), ["2019", "2019-04-08"]),
        (None, None, PartialDate(2018), ["2018-11-07"]),
        (PartialDate(2019, 4, 9), PartialDate(2019, 4, 11), None, ["2019"]),
        (PartialDate(2020), None, None, []),
    ],
)
async def test_timeline_ranges_overlap_by_precision(
    reader: Store,
    start: PartialDate | None,
    end: PartialDate | None,
    on: PartialDate | None,
    expected: list[str],
) -> None:
    page = await reader.timeline(start=start, end=end, on=on, limit=50)
    assert _dates(page) == expected
    assert page.total == len(expected)


async def test_a_ranges_pages_run_on_from_the_events_that_began_before_it(reader: Store) -> None:
    whole = _dates(await reader.timeline(start=PartialDate(2019, 4), limit=50))
    assert whole[0] == "2019"  # a year-precise event that began before April and runs through it
    for size in (1, 2, 3):
        pages = [
            await reader.timeline(start=PartialDate(2019, 4), limit=size, offset=n) for n in range(0, 6, size)
        ]
        assert [date for page in pages for date in _dates(page)] == whole
        assert {page.total for page in pages} == {len(whole)}


async def test_timeline_for_an_actor_and_pages(reader: Store) -> None:
    haftar = await reader.timeline(actor="Haftar")
    assert _dates(haftar) == ["2018-11-07", "2019-04-04"]
    assert (await reader.timeline(actor="Hifter")).total == 0
    page = await reader.timeline(limit=2, offset=2)
    assert _dates(page) == ["2019-03", "2019-04-04"]
    assert (page.total, page.offset, page.limit) == (7, 2, 2)


async def test_quotes(reader: Store) -> None:
    everything = await reader.quotes()
    assert [(q.speaker, q.date.iso() if q.date else None) for q in everything] == [
        ("Sergei Shoigu", "2019"),
        ("Russia", "2019-04-12"),
        ("Fayez al-Serraj", "2019-05-01"),
    ]
    serraj = await reader.quotes(speaker="Serraj")
    assert [q.text for q in serraj] == ["the aggression on Tripoli must stop"]
    assert serraj[0].citation == Citation("libya-april", "Libya in April", 7, 0)
    assert serraj[0].sentence == LIBYA[6]
    assert serraj[0].kind == "direct"
    assert [q.speaker for q in await reader.quotes(topic="stability")] == ["Sergei Shoigu"]
    assert len(await reader.quotes(topic="Libya")) == 2
    assert await reader.quotes(speaker="Shoigu", topic="Tripoli") == []
    assert await reader.quotes(speaker="Nobody") == []
    assert await reader.quotes(topic='AND( "NEAR ***') == []


async def test_random_quote_follows_the_rng(reader: Store) -> None:
    first = await reader.random_quote(random.Random(7))
    again = await reader.random_quote(random.Random(7))
    assert first is not None
    assert first == again
    picks = [await reader.random_quote(random.Random(seed)) for seed in range(30)]
    assert len({quote.text for quote in picks if quote}) == 3


async def test_a_random_statement_is_one_the_server_sees_even_when_others_hold_most(tmp_path: Path) -> None:
    path = tmp_path / "libraries.db"
    conn = connect(path)
    with transaction(conn):
        many = [f"On 2019-04-0{n % 9 + 1}, Moscow said “we count {n}”." for n in range(200)]
        for library, key, paragraphs in ((111, "crowded", many), (222, "lone", ["Moscow said “just one”."])):
            document = make_document(key, paragraphs, title=key, published=PartialDate(2019, 4))
            origin = Origin(library=library, text="\n\n".join(paragraphs))
            write_extraction(conn, fake_extract(document), "v1", "2024-01-01T00:00:00+00:00", origin)
        finish_run(conn, "v1", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00")
    conn.close()
    async with await Store.open(path) as store:
        picks = {(await store.random_quote(random.Random(seed), guild=222)).text for seed in range(20)}
        assert picks == {"just one"}
        assert await store.random_quote(random.Random(1), guild=333) is None  # it sees no statement
        assert await store.speakers(guild=222) == ["Russia"]  # "Moscow" speaks for Russia here
        assert [(await store.actor("Russia", guild=g)).total_quotes for g in (111, 222)] == [200, 1]


async def test_random_quote_on_an_empty_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    connect(path).close()
    async with await Store.open(path) as store:
        assert await store.random_quote(random.Random(1)) is None
        assert (await resolver_for(store)).rank("haf") == []
        assert (await store.timeline()).total == 0


async def test_search_highlights_and_cites(reader: Store) -> None:
    hits = await reader.search("offensive tripoli")
    assert [h.citation for h in hits] == [Citation("libya-april", "Libya in April", 2, 0)]
    assert "**offensive**" in hits[0].snippet
    assert "**Tripoli**" in hits[0].snippet
    assert hits[0].text == LIBYA[1]
    accented = await reader.search("Trípoli")
    assert {h.citation.paragraph for h in accented} == {2, 7}
    marked = await reader.search("Benghazi", marks=("[", "]"))
    assert marked[0].snippet.count("[Benghazi]") == 1


async def test_search_ranks_within_the_most_recent_matches_and_widens_when_too_few(
    reader: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = await reader.search("Tripoli", limit=10)
    assert len(everything) >= 2
    newest = max(everything, key=lambda hit: (hit.citation.document, hit.citation.paragraph))
    monkeypatch.setattr("bot.store.read.SEARCH_WINDOW", 1)
    assert [h.citation for h in await reader.search("Tripoli", limit=1)] == [newest.citation]
    assert len(await reader.search("Tripoli", limit=10)) == len(everything)  # too few: the whole store


async def test_a_topic_is_looked_for_among_the_recent_matches_then_everywhere(
    reader: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = await reader.quotes(topic="Libya")
    assert len(everything) == 2
    monkeypatch.setattr("bot.store.read.SEARCH_WINDOW", 1)
    assert await reader.quotes(topic="Libya", limit=1) in ([everything[0]], [everything[1]])
    assert await reader.quotes(topic="Libya") == everything  # the window gives too few: the whole store


async def test_search_falls_back_to_any_word(reader: Store) -> None:
    hits = await reader.search("Benghazi zebra")
    assert [h.citation.paragraph for h in hits] == [4]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        "AND(",
        "*",
        "NEAR(a b)",
        "((((",
        "a OR",
        '"unbalanced',
        "x" * 6000,
        "word " * 1500,
        "^col:x",
    ],
)
async def test_search_survives_hostile_text(reader: Store, text: str) -> None:
    assert isinstance(await reader.search(text), list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
async def test_search_never_raises(reader: Store, text: str) -> None:
    hits = await reader.search(text, limit=3)
    assert len(hits) <= 3
    assert isinstance(await reader.quotes(topic=text), list)


FTS_WORDS = ("Haftar", "Tripoli", "AND", "OR", "NOT", "NEAR", "and", "not", "x", "col", "1")
FTS_PUNCTUATION = (" ", " ", "*", "^", "-", ":", "(", ")", '"', "+", ",")


@settings(max_examples=200)
@given(
    words=st.lists(st.sampled_from(FTS_WORDS), min_size=1, max_size=8),
    marks=st.lists(st.sampled_from(FTS_PUNCTUATION), min_size=1, max_size=8),
)
def test_fts_query_takes_every_word_literally(words: list[str], marks: list[str]) -> None:
    """User text full of FTS5 operators finds a row holding those very words (an operator that stayed an
    operator would exclude it, combine words otherwise, or be a syntax error), and nothing else."""
    text = "".join(word + marks[i % len(marks)] for i, word in enumerate(words))
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')")
        conn.executemany("INSERT INTO t (x) VALUES (?)", [(" ".join(words),), ("unrelated text",)])
        for any_term in (False, True):
            query = fts_match(parse_terms(text), any_term=any_term)
            rows = conn.execute("SELECT x FROM t WHERE t MATCH ?", (query,)).fetchall()
            assert rows == [(" ".join(words),)]
    finally:
        conn.close()


@given(text=st.text(max_size=200))
def test_any_text_becomes_a_valid_fts_query(text: str) -> None:
    query = fts_match(parse_terms(text))
    if query is not None:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')")
        assert conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (query,)).fetchone() == (0,)
        conn.close()


async def test_calls_arriving_during_a_build_share_it(reader: Store) -> None:
    built = await asyncio.gather(*(resolver_for(reader) for _ in range(5)))
    assert all(resolver is built[0] for resolver in built)


async def test_refresh_sees_a_concurrent_ingest(db: Path, reader: Store) -> None:
    assert await reader.refresh() is False
    resolver = await resolver_for(reader)
    assert await resolver_for(reader) is resolver  # built once per store version
    before = (await reader.stats()).tables["documents"]
    write_documents(
        db, ("cairo", "Cairo", PartialDate(2019, 6), ["Cairo hosted talks. Egypt backs the GNA."])
    )
    assert (await reader.stats()).tables["documents"] == before + 1  # queries see new rows at once
    assert await reader.refresh() is True  # and the resolver is rebuilt
    assert await reader.refresh() is False
    assert await resolver_for(reader) is not resolver
    egypt = await reader.actor("Cairo")
    assert egypt is not None
    assert [g.label for g in egypt.relations] == ["backs"]


async def test_refresh_asks_sqlite_only_when_the_wal_changed_or_a_while_passed(
    reader: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await reader.refresh()
    asked: list[str] = []
    real = reader._conn.execute_fetchall

    async def counted(sql: str, *args: object) -> object:
        asked.append(sql)
        return await real(sql, *args)

    monkeypatch.setattr(reader._conn, "execute_fetchall", counted)
    assert await reader.refresh() is False and asked == []  # nothing written since: a stat, no query
    monkeypatch.setattr("bot.store.read.RECHECK_S", 0.0)
    assert await reader.refresh() is False and asked == ["PRAGMA data_version"]


async def test_meta_round_trip(reader: Store) -> None:
    assert await reader.meta("app_commands_hash") is None
    await reader.set_meta("app_commands_hash", "abc")
    assert await reader.meta("app_commands_hash") == "abc"


async def test_open_refuses_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        await Store.open(tmp_path / "absent.db")
    assert not (tmp_path / "absent.db").exists()
    notes = tmp_path / "notes.db"
    notes.write_text("not sqlite")
    with pytest.raises(StoreError, match="not a SQLite database"):
        await Store.open(notes)
    assert notes.read_text() == "not sqlite"


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
async def test_a_task_cancelled_while_its_transaction_begins_leaves_the_store_usable(
    reader: Store, write: bool
) -> None:
    """A briefing tick stopped at shutdown is cancelled wherever it waits, also on ``BEGIN`` itself."""

    async def meta_in_a_transaction() -> None:
        async with reader.transaction(write=write) as conn:
            await conn.execute("SELECT 1")

    task = asyncio.create_task(meta_in_a_transaction())
    await asyncio.sleep(0)  # one step: the task took the lock and waits for its BEGIN
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert task.cancelled()
    await reader.set_meta("after", "cancel")
    assert await reader.meta("after") == "cancel"
    assert len((await reader.stats()).documents) >= 1


async def test_cached_profiles_are_bounded_by_their_size_not_their_number(
    reader: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    haftar = await reader.actor("Khalifa Haftar")
    assert haftar is not None
    monkeypatch.setattr("bot.store.read.PROFILE_CACHE_BYTES", _footprint(haftar) + 10)
    for name in ("Russia", "Egypt", "Wagner Group", "Khalifa Haftar"):
        assert (await reader.actor(name)) is not None
        assert reader._profile_bytes <= _footprint(haftar) + 10 or len(reader._profiles) == 1
    assert list(reader._profiles) == [(0, "Khalifa Haftar")]  # the last asked, alone within the bound
    assert await reader.actor("Khalifa Haftar") == haftar


async def test_a_page_of_documents_merges_the_operators_and_the_servers_own_in_order(db: Path) -> None:
    conn = connect(db)
    with transaction(conn):
        document = make_document("own", ["Egypt backs Haftar."], title="Own", published=PartialDate(2019, 6))
        write_extraction(conn, fake_extract(document), "v1", "2023-01-01T00:00:00+00:00", Origin(library=111))
        finish_run(conn, "v1", "2023-01-01T00:00:00+00:00", "2023-01-01T00:00:00+00:00")
    conn.close()
    async with await Store.open(db) as store:
        assert [d.key for d in await store.documents(guild=111, limit=2)] == ["own", "libya-april"]
        assert [d.key for d in await store.documents(guild=222, limit=2)] == ["libya-april", "moscow-talks"]
        assert [d.key for d in await store.documents(guild=111, limit=2, containing="o")] == [
            "own",
            "moscow-talks",
        ]
        newest = await store.summary(guild=111, titles=2)  # by when they were stored: the server's is older
        assert (newest.documents, newest.titles) == (3, ("Libya in April", "Talks in Moscow"))


async def test_a_speakers_page_read_from_the_date_index_is_the_head_of_the_whole_list(tmp_path: Path) -> None:
    path = tmp_path / "speaker.db"
    conn = connect(path)
    with transaction(conn):
        for key in ("b-later-key", "a-early-key"):  # same dates in both: ties sort by article key
            said = [f"On 2019-04-0{n % 4 + 1}, Moscow said “we count {key} {n}”." for n in range(12)]
            said += [f"Moscow said “undated {key} {n}”." for n in range(3)]
            document = make_document(key, said, title=key, published=PartialDate(2019, 4))
            write_extraction(conn, fake_extract(document), "v1", "2024-01-01T00:00:00+00:00")
        finish_run(conn, "v1", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00")
    conn.close()
    async with await Store.open(path) as store:
        whole = await store.quotes(speaker="Russia", limit=-1)
        assert len(whole) == 30 and whole[-1].date is None
        for limit in (1, 5, 6, 7, 24, 25, 26, 30, 40):
            assert await store.quotes(speaker="Russia", limit=limit) == whole[:limit]
        assert (await store.actor("Russia")).quotes == tuple(whole[:15])


async def test_a_long_background_read_does_not_hold_up_the_commands_reads(reader: Store) -> None:
    inside, release = asyncio.Event(), asyncio.Event()

    async def long_read() -> None:
        async with reader.transaction(background=True) as conn:
            await conn.execute_fetchall("SELECT count(*) FROM sentences")
            inside.set()
            await release.wait()  # a briefing's material still being read

    reading = asyncio.create_task(long_read())
    await inside.wait()
    summary = await asyncio.wait_for(reader.summary(), timeout=5)  # not queued behind it
    release.set()
    await reading
    assert summary.documents == 2
    with pytest.raises(ValueError):
        async with reader.transaction(write=True, background=True):
            pass


async def test_a_profile_reads_a_page_of_each_kind_of_link_and_counts_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "links.db"
    sentence = ["Many back Haftar, who opposes his rivals."]

    def backer(number: int) -> Actor:  # backs Haftar in 1, 2 or 3 statements
        name = f"Backer {number:02d}"
        links = [Relation("backs", "Khalifa Haftar", 1, 0)] * (1 + number % 3)
        return Actor(name, "country", relations=links, mentions=[Mention(1, 0, name)])

    haftar = Actor(
        "Khalifa Haftar",
        "person",
        relations=[Relation("opposes", f"Rival {n}", 1, 0) for n in range(3)]
        + [Relation("ally_of", "Egypt", 1, 0)],
        mentions=[Mention(1, 0, "Haftar")],
    )
    egypt = Actor(
        "Egypt",
        "country",
        relations=[Relation("ally_of", "Khalifa Haftar", 1, 0)],
        mentions=[Mention(1, 0, "Egypt")],
    )
    actors = [haftar, egypt, *(backer(n) for n in range(40))]
    document = make_document("links", sentence, title="Links", published=PartialDate(2020, 1))
    conn = connect(path)
    with transaction(conn):
        write_extraction(conn, Extraction(document, split_sentences(sentence), actors, [], []), "v1", "t")
        finish_run(conn, "v1", "t", "t")
    conn.close()
    async with await Store.open(path) as store:
        profile = await store.actor("Khalifa Haftar")
    assert profile is not None
    groups = {(g.type, g.direction): g for g in profile.relations}
    assert list(groups) == [("ally_of", "both"), ("backs", "in"), ("opposes", "out")]
    ally = groups["ally_of", "both"]
    assert [(a.name, a.attested) for a in ally.actors] == [("Egypt", 2)] and ally.more == 0  # both ways, once
    backers = sorted(((f"Backer {n:02d}", 1 + n % 3) for n in range(40)), key=lambda b: (-b[1], b[0]))
    backed = groups["backs", "in"]
    assert [(a.name, a.attested) for a in backed.actors] == backers[:RELATIONS_PER_GROUP]
    assert backed.more == 40 - RELATIONS_PER_GROUP
    assert [a.name for a in groups["opposes", "out"].actors] == ["Rival 0", "Rival 1", "Rival 2"]
