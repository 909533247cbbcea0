"""Schema migrations and safe opening of store files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store.schema import (
    LATEST_VERSION,
    MIGRATIONS,
    StoreError,
    connect,
    integrity_problems,
    migrate,
    quick_check,
    schema_version,
)
from bot.store.write import finish_run
from tests.store_fixtures import assert_healthy, dump

V1_TABLES = {
    "meta",
    "documents",
    "paragraphs",
    "sentences",
    "sentences_fts",
    "actors",
    "actor_aliases",
    "actor_alias_sources",
    "actor_documents",
    "mentions",
    "relations",
    "events",
    "event_actors",
    "quotes",
}


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '%fts_%'")
    return {name for (name,) in rows}


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def test_latest_version_is_the_number_of_migrations() -> None:
    assert LATEST_VERSION == len(MIGRATIONS) >= 2


def test_empty_file_to_v1(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    conn = _raw(path)
    assert migrate(conn, path, target=1) == 1
    assert schema_version(conn) == 1
    assert _tables(conn) == V1_TABLES
    conn.close()
    assert_healthy_v1(path)


def assert_healthy_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('integrity-check')")
    conn.close()


@pytest.mark.parametrize("version", range(1, LATEST_VERSION + 1))
def test_each_version_from_an_empty_file(tmp_path: Path, version: int) -> None:
    path = tmp_path / "store.db"
    conn = _raw(path)
    assert migrate(conn, path, target=version) == version
    assert schema_version(conn) == version
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


@pytest.mark.parametrize("version", range(2, LATEST_VERSION + 1))
def test_each_version_from_the_previous_one_keeps_the_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "store.db"
    _v1_with_a_quote(path)
    conn = _raw(path)
    migrate(conn, path, target=version - 1)
    before = _data(conn)
    assert migrate(conn, path, target=version) == version
    assert schema_version(conn) == version
    assert _data(conn) == before
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


_V1_DOCUMENT_COLUMNS = (
    "id, key, title, author, published, published_precision, source, url, content_hash, extractor_version,"
    " path, ingested_at"
)

_V1_QUOTE_COLUMNS = "id, speaker_id, kind, text, date, precision, document_id, paragraph, sentence"


def _data(conn: sqlite3.Connection) -> list[tuple]:
    """The version-1 columns of every table: later versions may add columns, never change these."""
    documents = list(conn.execute(f"SELECT {_V1_DOCUMENT_COLUMNS} FROM documents"))
    quotes = list(conn.execute(f"SELECT {_V1_QUOTE_COLUMNS} FROM quotes"))
    return (
        documents
        + quotes
        + [row for table in ("sentences", "actors") for row in conn.execute(f"SELECT * FROM {table}")]
    )


def test_existing_articles_become_the_operators_library(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _v1_with_a_quote(path)
    conn = _raw(path)
    migrate(conn, path, target=4)
    assert migrate(conn, path) == LATEST_VERSION
    assert conn.execute("SELECT key, library, added_by FROM documents").fetchall() == [("doc", 0, None)]
    assert conn.execute("SELECT * FROM library_totals").fetchall() == [(0, 1, 0, 1)]  # counted from the rows
    assert integrity_problems(conn) == []
    conn.close()


def test_empty_file_to_latest(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    conn = connect(path)
    assert schema_version(conn) == LATEST_VERSION
    assert _tables(conn) >= V1_TABLES | {"quotes_fts"}
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    conn.close()
    assert_healthy(path)


def _v1_with_a_quote(path: Path) -> None:
    conn = _raw(path)
    migrate(conn, path, target=1)
    conn.executescript(
        """
        INSERT INTO documents (id, key, content_hash, extractor_version, ingested_at)
            VALUES (1, 'doc', 'h', 'v', '2024-01-01T00:00:00+00:00');
        INSERT INTO paragraphs VALUES (1, 1, 'Haftar said “we will enter Tripoli”.');
        INSERT INTO sentences (document_id, paragraph, position, text)
            VALUES (1, 1, 0, 'Haftar said “we will enter Tripoli”.');
        INSERT INTO actors (id, name, normalized, kind)
            VALUES (1, 'Khalifa Haftar', 'khalifa haftar', 'person');
        INSERT INTO actor_documents (actor_id, document_id) VALUES (1, 1);
        INSERT INTO quotes (speaker_id, kind, text, document_id, paragraph, sentence)
            VALUES (1, 'direct', 'we will enter Tripoli', 1, 1, 0);
        """
    )
    conn.close()


def test_v1_to_v2_indexes_existing_quotes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _v1_with_a_quote(path)
    conn = connect(path)  # opening an older file upgrades it
    assert schema_version(conn) == LATEST_VERSION
    rows = conn.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH '\"tripoli\"'").fetchall()
    assert rows == [(1,)]
    conn.close()
    assert_healthy(path)


def test_quotes_fts_follows_inserts_and_deletes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _v1_with_a_quote(path)
    conn = connect(path)
    conn.execute("DELETE FROM documents")
    finish_run(conn, "v", finished_at="now", started_at="now")  # as every delete of the writer's is followed
    for table in ("quotes_fts", "sentences_fts"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH 'tripoli'").fetchone() == (0,)
    conn.close()
    assert_healthy(path)


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    connect(path).close()
    raw = _raw(path)
    raw.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    raw.close()
    before = dump(path)
    with pytest.raises(StoreError, match="newer than this program knows"):
        connect(path)
    assert dump(path) == before


def test_a_failing_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    conn = _raw(path)
    migrate(conn, path, target=1)
    broken = (MIGRATIONS[0], (*MIGRATIONS[1], "THIS IS NOT SQL"))
    monkeypatch.setattr("bot.store.schema.MIGRATIONS", broken)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, path, target=2)
    assert schema_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'quotes_fts%'").fetchone() == (0,)
    conn.close()


def test_not_a_database_is_refused_and_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(StoreError, match="not a SQLite database"):
        connect(path)
    assert path.read_text() == "these are my notes, not a database\n"


def test_damaged_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    conn = connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page, keep the header
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="store"):
        conn = connect(path)
        quick_check(conn, path)
    assert path.read_bytes() == bytes(data)


def test_missing_file_is_not_created_when_opening_for_reading(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(StoreError, match="no store here yet"):
        connect(path, create=False)
    assert not path.exists()


def test_creating_makes_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "store.db"
    connect(path).close()
    assert path.exists()


def test_v3_to_v4_finds_word_forms_in_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    _v1_with_a_quote(path)
    conn = _raw(path)
    migrate(conn, path, target=3)
    conn.execute("UPDATE sentences SET text = 'Drone strikes hit the convoys.'")
    before = conn.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'strike'").fetchone()
    assert before == (0,)
    assert migrate(conn, path, target=4) == 4
    for word in ("strike", "convoy", "hitting"):
        found = conn.execute("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?", (f'"{word}"',))
        assert found.fetchall() == [(1,)], word
    assert conn.execute("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'entering'").fetchall() == [(1,)]
    conn.close()
    assert_healthy(path)
