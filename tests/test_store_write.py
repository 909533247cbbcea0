"""The synchronous writer, fed with hand-built extractions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from bot.extract.model import Actor, Event, Extraction, Mention, PartialDate, Quote, Relation
from bot.store.schema import connect, transaction
from bot.store.write import Origin, delete_document, document_actor_ids, finish_run, write_extraction
from tests.store_fixtures import assert_healthy, make_document, split_sentences

PARAGRAPHS_A = [
    "Khalifa Haftar is the commander of the Libyan National Army. Russia backs Haftar.",
    "On April 4, 2019, Haftar launched an offensive on Tripoli.",
]
PARAGRAPHS_B = [
    "Field Marshal Haftar met Sergei Shoigu in Moscow.",
    "Shoigu said “Russia wants peace in Libya”.",
]


def build(
    key: str,
    paragraphs: list[str],
    actors: Iterable[Actor],
    events: Iterable[Event] = (),
    quotes: Iterable[Quote] = (),
    **meta: Any,
) -> Extraction:
    return Extraction(
        make_document(key, paragraphs, **meta),
        split_sentences(paragraphs),
        list(actors),
        list(events),
        list(quotes),
    )


def haftar_a() -> Actor:
    return Actor(
        "Khalifa Haftar",
        "person",
        ["Haftar"],
        "commander of the Libyan National Army",
        mentions=[Mention(1, 0, "Khalifa Haftar"), Mention(1, 1, "Haftar"), Mention(2, 0, "Haftar")],
    )


def russia_a() -> Actor:
    return Actor(
        "Russia",
        "country",
        ["Moscow"],
        relations=[Relation("backs", "Khalifa Haftar", 1, 1)],
        mentions=[Mention(1, 1, "Russia")],
    )


def extraction_a() -> Extraction:
    event = Event(
        PartialDate(2019, 4, 4),
        "Haftar launched an offensive on Tripoli",
        ["Khalifa Haftar"],
        2,
        0,
        PARAGRAPHS_A[1],
    )
    return build(
        "a", PARAGRAPHS_A, [haftar_a(), russia_a()], [event], title="Doc A", published=PartialDate(2019, 4)
    )


def extraction_b() -> Extraction:
    haftar = Actor(
        "Field Marshal Haftar", "person", ["Haftar"], "field marshal", mentions=[Mention(1, 0, "Haftar")]
    )
    shoigu = Actor(
        "Sergei Shoigu",
        "person",
        ["Shoigu"],
        "Minister of Defense",
        mentions=[Mention(1, 0, "Sergei Shoigu"), Mention(2, 0, "Shoigu")],
    )
    quote = Quote("Sergei Shoigu", "direct", "Russia wants peace in Libya", None, 2, 0)
    return build(
        "b", PARAGRAPHS_B, [haftar, shoigu], quotes=[quote], title="Doc B", published=PartialDate(2019, 5)
    )


def write(path: Path, *extractions: Extraction, version: str = "v1") -> None:
    conn = connect(path)
    with transaction(conn):
        for extraction in extractions:
            write_extraction(conn, extraction, version, "2024-01-01T00:00:00+00:00")
        finish_run(conn, version, "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00")
    conn.close()
    assert_healthy(path)


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_writes_document_text_and_facts(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    write(path, extraction_a())
    assert rows(path, "SELECT key, title, published, published_precision FROM documents") == [
        ("a", "Doc A", "2019-04", "month")
    ]
    assert rows(path, "SELECT count(*) FROM paragraphs") == [(2,)]
    assert rows(path, "SELECT paragraph, position FROM sentences ORDER BY id") == [(1, 0), (1, 1), (2, 0)]
    assert rows(path, "SELECT name, kind, role FROM actors ORDER BY name") == [
        ("Khalifa Haftar", "person", "commander of the Libyan National Army"),
        ("Russia", "country", None),
    ]
    assert rows(path, "SELECT date, precision, date_first, date_last FROM events") == [
        ("2019-04-04", "day", "2019-04-04", "2019-04-04")
    ]
    assert rows(
        path,
        """SELECT s.name, r.type, t.name, r.paragraph, r.sentence FROM relations r
           JOIN actors s ON s.id = r.actor_id JOIN actors t ON t.id = r.target_id""",
    ) == [("Russia", "backs", "Khalifa Haftar", 1, 1)]


def test_role_is_cited_at_the_sentence_that_states_it(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    write(path, extraction_a())
    assert rows(
        path,
        """SELECT ad.role, ad.role_paragraph, ad.role_sentence FROM actor_documents ad
           JOIN actors a ON a.id = ad.actor_id WHERE a.name = 'Khalifa Haftar'""",
    ) == [("commander of the Libyan National Army", 1, 0)]


def test_documents_share_an_actor_through_an_alias(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    write(path, extraction_a(), extraction_b())
    haftars = rows(path, "SELECT id, name FROM actors WHERE name LIKE '%Haftar%'")
    assert [name for _, name in haftars] == ["Khalifa Haftar"]
    actor_id = haftars[0][0]
    assert rows(path, "SELECT alias FROM actor_aliases WHERE actor_id = ? ORDER BY alias", (actor_id,)) == [
        ("Field Marshal Haftar",),
        ("Haftar",),
    ]
    assert rows(path, "SELECT count(*) FROM actor_documents WHERE actor_id = ?", (actor_id,)) == [(2,)]
    assert rows(path, "SELECT count(*) FROM mentions WHERE actor_id = ?", (actor_id,)) == [(4,)]
    # the headline role comes from the most recently published document
    assert rows(path, "SELECT role FROM actors WHERE id = ?", (actor_id,)) == [("field marshal",)]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Khalifa Haftar", "KHALIFA HAFTAR"),
        ("Khalifa Haftar", "Khalīfa Ḥaftar"),
        ("Wagner Group", "The Wagner Group"),
        ("Mu’ammar Gaddafi", "Mu'ammar Gaddafi"),
        ("Fayez al-Serraj", "Fayez al Serraj"),
    ],
)
def test_spelling_variants_of_a_name_merge(tmp_path: Path, first: str, second: str) -> None:
    path = tmp_path / "s.db"
    one = build("one", ["X met Y."], [Actor(first, "person", mentions=[Mention(1, 0, "X")])])
    two = build("two", ["X met Y."], [Actor(second, "person", mentions=[Mention(1, 0, "X")])])
    write(path, one, two)
    assert rows(path, "SELECT name FROM actors") == [(first,)]


def test_replacing_a_document_drops_its_old_facts_and_orphans(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    write(path, extraction_a(), extraction_b())
    smaller = build(
        "a", ["Haftar spoke."], [Actor("Khalifa Haftar", "person", mentions=[Mention(1, 0, "Haftar")])]
    )
    write(path, smaller)
    assert rows(path, "SELECT name FROM actors ORDER BY name") == [("Khalifa Haftar",), ("Sergei Shoigu",)]
    assert rows(path, "SELECT count(*) FROM events") == [(0,)]
    assert rows(path, "SELECT count(*) FROM relations") == [(0,)]
    assert rows(
        path, "SELECT text FROM paragraphs p JOIN documents d ON d.id = p.document_id WHERE d.key = 'a'"
    ) == [("Haftar spoke.",)]
    # "Haftar" is still vouched for by document b; "Moscow" (Russia's alias) went with Russia
    assert rows(path, "SELECT alias FROM actor_aliases ORDER BY alias") == [
        ("Field Marshal Haftar",),
        ("Haftar",),
        ("Shoigu",),
    ]


def test_deleting_a_document_removes_aliases_only_it_used(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    write(path, extraction_a(), extraction_b())
    conn = connect(path)
    with transaction(conn):
        delete_document(conn, "b")
        finish_run(conn, "v1", "t", "t")
    conn.close()
    assert_healthy(path)
    assert rows(path, "SELECT name FROM actors ORDER BY name") == [("Khalifa Haftar",), ("Russia",)]
    assert rows(path, "SELECT alias FROM actor_aliases ORDER BY alias") == [("Haftar",), ("Moscow",)]
    assert rows(path, "SELECT count(*) FROM quotes") == [(0,)]


def test_names_only_used_in_facts_become_actors_linked_to_the_document(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    egypt_backs = Actor(
        "Egypt", "country", relations=[Relation("backs", "LNA", 1, 0)], mentions=[Mention(1, 0, "Egypt")]
    )
    quote = Quote("Ahmed Mismari", "reported", "the army would advance", PartialDate(2019), 1, 0)
    write(path, build("c", ["Egypt backs the LNA, Ahmed Mismari said."], [egypt_backs], quotes=[quote]))
    assert rows(path, "SELECT name, kind FROM actors ORDER BY name") == [
        ("Ahmed Mismari", "other"),
        ("Egypt", "country"),
        ("LNA", "other"),
    ]
    assert rows(path, "SELECT count(*) FROM actor_documents") == [(3,)]
    # a later document that knows the LNA's kind upgrades it
    lna = Actor("LNA", "armed_group", mentions=[Mention(1, 0, "LNA")])
    write(path, build("d", ["The LNA advanced."], [lna]))
    assert rows(path, "SELECT kind FROM actors WHERE name = 'LNA'") == [("armed_group",)]


def test_an_actor_joins_the_actor_its_alias_names(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    russia = Actor("Russia", "country", mentions=[Mention(1, 0, "Russia")])
    kremlin = Actor("Kremlin", "government", ["Russia", "Moscow"], mentions=[Mention(1, 0, "Kremlin")])
    write(
        path, build("e", ["Russia and the Kremlin."], [russia]), build("f", ["The Kremlin spoke."], [kremlin])
    )
    # the Kremlin's "Russia" alias resolved it to the existing actor Russia rather than splitting names
    assert rows(path, "SELECT name FROM actors") == [("Russia",)]
    assert rows(path, "SELECT alias FROM actor_aliases ORDER BY alias") == [("Kremlin",), ("Moscow",)]


def test_an_alias_already_owned_by_another_actor_is_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    russia = Actor("Russia", "country", ["Moscow"], mentions=[Mention(1, 0, "Russia")])
    egypt = Actor("Egypt", "country", mentions=[Mention(1, 0, "Egypt")])
    egypt_again = Actor("Egypt", "country", ["Cairo", "Moscow"], mentions=[Mention(1, 0, "Egypt")])
    write(path, build("h", ["Russia spoke."], [russia]), build("i", ["Egypt spoke."], [egypt]))
    write(path, build("j", ["Egypt spoke."], [egypt_again]))
    assert rows(
        path,
        "SELECT a.name, al.alias FROM actor_aliases al JOIN actors a ON a.id = al.actor_id ORDER BY alias",
    ) == [("Egypt", "Cairo"), ("Russia", "Moscow")]


def test_an_extraction_citing_a_missing_sentence_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    broken = build("g", ["One sentence."], [Actor("Egypt", "country", mentions=[Mention(3, 0, "Egypt")])])
    conn = connect(path)
    with pytest.raises(sqlite3.IntegrityError), transaction(conn):
        write_extraction(conn, broken, "v1", "t")
    assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    conn.close()


def test_an_article_read_again_keeps_when_it_came_in_and_a_changed_one_is_new(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.db")

    def write(paragraphs: list[str], at: str) -> str:
        with transaction(conn):
            write_extraction(conn, build("a", paragraphs, [haftar_a()]), "v", at)
        return conn.execute("SELECT ingested_at FROM documents WHERE key = 'a'").fetchone()[0]

    assert write(PARAGRAPHS_A, "2020-01-01") == "2020-01-01"
    assert write(PARAGRAPHS_A, "2020-02-02") == "2020-01-01"  # same text, a new extractor: not news
    assert write([*PARAGRAPHS_A, "Talks resumed."], "2020-03-03") == "2020-03-03"  # an update is news
    conn.close()


def write_one(path: Path, extraction: Extraction, library: int = 0) -> None:
    """As the ingest writes: one document, then only the actors it names (before and after) settled."""
    conn = connect(path)
    key = extraction.document.key
    with transaction(conn):
        before = document_actor_ids(conn, key)
        write_extraction(conn, extraction, "v1", "2024-01-01T00:00:00+00:00", Origin(library))
        actors = before | document_actor_ids(conn, key)
        finish_run(conn, "v1", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00", actors)
    conn.close()
    assert_healthy(path)  # every kept count and link recounted from the rows


def test_a_write_settles_the_counts_and_links_of_its_own_actors_only(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    write_one(path, extraction_a())
    # Haftar again, in a server's library: that library's row counts only that library's events
    haftar = Actor("Khalifa Haftar", "person", mentions=[Mention(1, 0, "Haftar")])
    write_one(path, build("c", ["Haftar spoke."], [haftar]), library=111)
    # Russia again, with a link of its own: the link to Haftar (an actor this document leaves alone) stays
    russia = Actor(
        "Russia",
        "country",
        relations=[Relation("backs", "Sergei Shoigu", 1, 0)],
        mentions=[Mention(1, 0, "Russia")],
    )
    write_one(path, build("d", ["Russia backs Shoigu."], [russia]))
    links = """SELECT a.name, k.type, t.name, k.library, k.attested FROM actor_links k
               JOIN actors a ON a.id = k.actor_id JOIN actors t ON t.id = k.target_id ORDER BY t.name"""
    assert rows(path, links) == [
        ("Russia", "backs", "Khalifa Haftar", 0, 1),
        ("Russia", "backs", "Sergei Shoigu", 0, 1),
    ]
    counts = """SELECT l.library, l.events, l.documents FROM actor_libraries l
                JOIN actors a ON a.id = l.actor_id WHERE a.name = 'Khalifa Haftar' ORDER BY l.library"""
    assert rows(path, counts) == [(0, 1, 1), (111, 0, 1)]
    conn = connect(path)
    with transaction(conn):  # a server's article removed: its actors settled again
        actors = document_actor_ids(conn, "c")
        delete_document(conn, "c")
        finish_run(conn, "v1", "now", "now", actors)
    conn.close()
    assert rows(path, counts) == [(0, 1, 1)]
    assert_healthy(path)
