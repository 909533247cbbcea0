"""Ingest runs (files → store) with the stand-in pipeline: idempotence, replacement, refusals, ensure."""

from __future__ import annotations

import dataclasses
import gc
import os
import sqlite3
import weakref
from contextlib import closing
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.extract.model import Document, Extraction
from bot.ingest import IngestReport, Pipeline, StoreCheck, ensure_store, find_articles, ingest
from bot.store import StoreError
from tests.store_fixtures import FAKE_PIPELINE, assert_healthy, dump, fake_extract

ARTICLE_ONE = """---
title: Haftar's Offensive
published: 2019-04
---
Khalifa Haftar is the commander of the Libyan National Army. Russia backs Khalifa Haftar.

On 2019-04-04, Haftar launched an offensive on Tripoli.

On 2019-04-12, Moscow said “we support a political settlement in Libya”.
"""
ARTICLE_TWO = """---
title: Talks in Moscow
published: 2018-11-07
---
Field Marshal Haftar met Sergei Shoigu in Moscow.

On 2018-11-07, Haftar met Sergei Shoigu and Yevgeny Prigozhin.
"""


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "offensive.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    (folder / "moscow.md").write_text(ARTICLE_TWO, encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # ignored: not an article suffix
    return folder


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


def run(paths: list[Path], db: Path, pipeline: Pipeline = FAKE_PIPELINE, **kwargs: Path) -> IngestReport:
    report = ingest(paths, db, pipeline, **kwargs)
    assert_healthy(db)
    return report


def statuses(report: IngestReport) -> dict[str, str]:
    return {result.key: result.status for result in report.results}


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_find_articles_expands_directories(articles: Path) -> None:
    (articles / ".hidden.txt").write_text("x")
    (articles / "sub").mkdir()
    (articles / "sub" / "deep.TXT").write_text("x")
    found = [p.name for p in find_articles([articles, articles / "offensive.txt"])]
    assert found == ["moscow.md", "offensive.txt", "deep.TXT"]


def test_find_articles_skips_hidden_folders_and_counts_a_linked_file_once(
    articles: Path, tmp_path: Path
) -> None:
    (articles / ".git").mkdir()
    (articles / ".git" / "notes.txt").write_text("x")
    (articles / "again.txt").symlink_to(articles / "offensive.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "outside.txt").write_text("x")
    (articles / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    found = find_articles([articles])
    assert [p.name for p in found] == ["again.txt", "moscow.md"]  # the link first: its target is the same
    assert len({p.resolve() for p in found}) == len(found) == 2


def test_first_ingest_adds_every_article(articles: Path, db: Path) -> None:
    report = run([articles], db)
    assert statuses(report) == {"moscow": "added", "offensive": "added"}
    offensive = next(r for r in report.results if r.key == "offensive")
    assert (offensive.counts.actors, offensive.counts.events, offensive.counts.quotes) == (3, 2, 1)
    assert offensive.path == str((articles / "offensive.txt").resolve())
    assert count(db, "documents") == 2


def test_reingesting_the_same_text_changes_nothing(articles: Path, db: Path) -> None:
    first = run([articles], db)
    before = dump(db)
    second = run([articles], db)
    assert statuses(second) == {"moscow": "unchanged", "offensive": "unchanged"}
    assert [r.counts for r in second.results] == [r.counts for r in first.results]
    assert dump(db) == before


def test_a_changed_file_replaces_its_facts(articles: Path, db: Path) -> None:
    run([articles], db)
    (articles / "offensive.txt").write_text(ARTICLE_ONE.replace("2019-04-04", "2019-04-05"), encoding="utf-8")
    report = run([articles], db)
    assert statuses(report) == {"moscow": "unchanged", "offensive": "updated"}
    conn = sqlite3.connect(db)
    dates = [d for (d,) in conn.execute("SELECT date FROM events ORDER BY date")]
    conn.close()
    assert dates == ["2018-11-07", "2019-04-05", "2019-04-12"]


def test_removing_an_actor_from_the_only_document_naming_it_removes_the_actor(
    articles: Path, db: Path
) -> None:
    run([articles], db)
    (articles / "moscow.md").write_text(ARTICLE_TWO.replace("Yevgeny Prigozhin", "others"), encoding="utf-8")
    run([articles], db)
    conn = sqlite3.connect(db)
    names = {n for (n,) in conn.execute("SELECT name FROM actors")}
    conn.close()
    assert "Yevgeny Prigozhin" not in names
    assert "Sergei Shoigu" in names


def test_a_new_extractor_version_reextracts(articles: Path, db: Path) -> None:
    run([articles], db)
    report = run([articles], db, dataclasses.replace(FAKE_PIPELINE, version="fake-2"))
    assert statuses(report) == {"moscow": "updated", "offensive": "updated"}


def test_a_moved_file_keeps_its_document(articles: Path, db: Path, tmp_path: Path) -> None:
    run([articles], db)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (articles / "moscow.md").rename(elsewhere / "moscow.md")
    report = run([elsewhere / "moscow.md"], db)
    assert statuses(report) == {"moscow": "unchanged"}
    assert report.results[0].path == str((elsewhere / "moscow.md").resolve())


def test_prune_removes_documents_whose_file_is_gone(articles: Path, db: Path) -> None:
    run([articles], db)
    (articles / "moscow.md").unlink()
    report = run([articles], db, prune_under=articles)
    assert statuses(report) == {"offensive": "unchanged", "moscow": "removed"}
    assert count(db, "documents") == 1


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"  \n\n\t \n", "the file is empty"),
    ("latin1.txt", "Caf\xe9 in Tripoli".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 3)"),
    ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary file"),
    ("utf16.txt", "Tripoli".encode("utf-16"), "UTF-16"),
    ("frontmatter.txt", b"---\ntitle: Never closed\n\nHaftar spoke.\n", "front matter starts with '---'"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[name for name, _, _ in BAD_FILES])
def test_a_refused_file_is_named_and_the_other_files_are_stored(
    articles: Path, db: Path, name: str, content: bytes, reason: str
) -> None:
    run([articles], db)
    (articles / "offensive.txt").write_text(ARTICLE_ONE + "\nEgypt backs Haftar.\n", encoding="utf-8")
    (articles / name).write_bytes(content)  # a bad file in the same run as a change
    report = run([articles], db)
    [refusal] = report.refused
    assert refusal.path == str(articles / name)
    assert reason in refusal.reason and "\n" not in str(refusal)
    assert statuses(report) == {"offensive": "updated", "moscow": "unchanged"}
    assert count(db, "documents") == 2
    assert count(db, "relations") == 2  # Russia backs Haftar, and the change: Egypt backs Haftar


def test_every_bad_file_is_named_in_one_run(articles: Path, db: Path) -> None:
    for name, content, _ in BAD_FILES:
        (articles / name).write_bytes(content)
    report = run([articles], db)
    reasons = {Path(r.path).name: r.reason for r in report.refused}
    assert all(reason in reasons[name] for name, _, reason in BAD_FILES)
    assert statuses(report) == {"offensive": "added", "moscow": "added"}


def test_a_refused_first_run_creates_no_store(tmp_path: Path, db: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    report = ingest([tmp_path / "empty.txt"], db, FAKE_PIPELINE)
    assert [r.reason for r in report.refused] == ["the file is empty"]
    assert not db.exists()


def test_an_unreadable_file_is_refused(articles: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "moscow.md":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = ingest([articles], db, FAKE_PIPELINE)
    assert [str(r) for r in report.refused] == [f"{articles / 'moscow.md'}: unreadable (Permission denied)"]
    assert statuses(report) == {"offensive": "added"}


def test_a_missing_path_is_refused(tmp_path: Path, db: Path) -> None:
    report = ingest([tmp_path / "nope.txt"], db, FAKE_PIPELINE)
    assert [str(r) for r in report.refused] == [f"{tmp_path / 'nope.txt'}: no such file or directory"]


def test_of_two_files_with_one_key_the_second_is_refused(articles: Path, db: Path) -> None:
    (articles / "offensive.md").write_text("Egypt backs Haftar.\n", encoding="utf-8")
    report = run([articles], db)
    [refusal] = report.refused
    assert refusal.path == str(articles / "offensive.txt")  # sorted: offensive.md comes first
    assert refusal.reason.startswith("same document key 'offensive' as ")
    assert statuses(report) == {"offensive": "added", "moscow": "added"}


def test_an_extraction_crash_refuses_the_file(articles: Path, db: Path) -> None:
    def crash(document: Document) -> Extraction:
        if document.key == "moscow":
            raise KeyError("lexicon entry")
        return fake_extract(document)

    report = run([articles], db, dataclasses.replace(FAKE_PIPELINE, extract=crash))
    assert [str(r) for r in report.refused] == [
        f"{articles / 'moscow.md'}: extraction failed (KeyError: 'lexicon entry')"
    ]
    assert statuses(report) == {"offensive": "added"}


def test_a_failure_inside_one_file_leaves_nothing_of_it_and_keeps_the_others(
    articles: Path, db: Path
) -> None:
    """The failing file's old version stays whole; the file written before it in the same run stays too."""

    def misplaced(document: Document) -> Extraction:
        extraction = fake_extract(document)
        if document.key == "offensive":
            extraction.events[-1].paragraph = 99  # fails on insert, after its old rows were deleted
        return extraction

    run([articles], db)
    before = dump(db)
    offensive_rows = [line for line in before if "offensive" in line or "Tripoli" in line]
    report = run([articles], db, dataclasses.replace(FAKE_PIPELINE, extract=misplaced, version="fake-2"))
    assert [Path(r.path).name for r in report.refused] == ["offensive.txt"]
    assert "does not fit the document" in report.refused[0].reason
    assert statuses(report) == {"moscow": "updated"}
    conn = sqlite3.connect(db)
    versions = dict(conn.execute("SELECT key, extractor_version FROM documents"))
    conn.close()
    assert versions == {"moscow": "fake-2", "offensive": "fake-1"}
    after = dump(db)
    assert [line for line in after if "offensive" in line or "Tripoli" in line] == offensive_rows


def test_a_refused_new_version_keeps_the_old_one_under_prune(articles: Path, db: Path) -> None:
    run([articles], db, prune_under=articles)
    (articles / "moscow.md").write_bytes(b"")
    report = run([articles], db, prune_under=articles)
    assert [Path(r.path).name for r in report.refused] == ["moscow.md"]
    assert count(db, "documents") == 2


# -- ensure_store ---------------------------------------------------------------------------------------


# -- one file at a time ---------------------------------------------------------------------------------


@pytest.fixture
def five_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "five"
    folder.mkdir()
    for number in range(5):
        (folder / f"a{number}.txt").write_text(f"{ARTICLE_ONE}\nNote {number}.\n", encoding="utf-8")
    return folder


def stored_keys(db: Path) -> list[str]:
    if not db.exists():
        return []
    with closing(sqlite3.connect(db)) as conn:
        return [key for (key,) in conn.execute("SELECT key FROM documents ORDER BY key")]


def test_each_file_is_written_and_forgotten_before_the_next_is_extracted(
    five_articles: Path, db: Path
) -> None:
    """Peak memory stays flat in the batch: no other file's document is alive while one is extracted."""
    parsed: list[weakref.ref[Document]] = []
    seen: list[tuple[str, list[str], int]] = []

    def parse(key: str, text: str, path: str | None = None) -> Document:
        document = FAKE_PIPELINE.parse(key, text, path)
        parsed.append(weakref.ref(document))
        return document

    def extract(document: Document) -> Extraction:
        gc.collect()
        others = sum(1 for ref in parsed if ref() is not None and ref() is not document)
        seen.append((document.key, stored_keys(db), others))
        return fake_extract(document)

    run([five_articles], db, dataclasses.replace(FAKE_PIPELINE, parse=parse, extract=extract))
    keys = [f"a{number}" for number in range(5)]
    assert seen == [(key, keys[:number], 0) for number, key in enumerate(keys)]


class Crash(BaseException):
    """Not an error ingest may catch: the process going down."""


def test_a_crash_midway_leaves_the_files_before_it_stored(five_articles: Path, db: Path) -> None:
    def extract(document: Document) -> Extraction:
        if document.key == "a3":
            raise Crash
        return fake_extract(document)

    with pytest.raises(Crash):
        ingest([five_articles], db, dataclasses.replace(FAKE_PIPELINE, extract=extract))
    assert stored_keys(db) == ["a0", "a1", "a2"]
    assert_healthy(db)
    assert statuses(run([five_articles], db)) == {"a0": "unchanged", "a1": "unchanged", "a2": "unchanged",
                                                  "a3": "added", "a4": "added"}  # fmt: skip


def search_segments(db: Path) -> int:
    """How many b-trees (segments) the sentences' full-text index is split into."""
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT count(DISTINCT segid) FROM sentences_fts_idx").fetchone()[0]


@pytest.mark.parametrize(("merge_after", "merged"), [(5, True), (6, False)])
def test_a_large_run_merges_the_full_text_indexes(
    five_articles: Path, db: Path, monkeypatch: pytest.MonkeyPatch, merge_after: int, merged: bool
) -> None:
    monkeypatch.setattr("bot.ingest.MERGE_AFTER", merge_after)
    run([five_articles], db)  # each article in a transaction of its own: a segment each, until merged
    assert (search_segments(db) == 1) is merged
    with closing(sqlite3.connect(db)) as conn:  # and the merged index still finds what it holds
        assert conn.execute(
            "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'note'"
        ).fetchone() == (5,)


@pytest.fixture
def use_fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.ingest.default_pipeline", lambda: FAKE_PIPELINE)


def settings_for(db: Path, articles: Path) -> Settings:
    return load_settings({"BRIEFING_DB": str(db), "BRIEFING_ARTICLES": str(articles)}, env_file=None)


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_builds_a_missing_store(articles: Path, db: Path) -> None:
    ensure_store(settings_for(db, articles))
    assert count(db, "documents") == 2
    assert_healthy(db)


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_leaves_a_current_store_alone(
    articles: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_store(settings_for(db, articles))
    before = dump(db)

    def no_ingest(*args: object, **kwargs: object) -> None:
        raise AssertionError("a current store must not be re-ingested")

    monkeypatch.setattr("bot.ingest.ingest", no_ingest)
    ensure_store(settings_for(db, articles))
    assert dump(db) == before


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_picks_up_changed_added_and_removed_articles(articles: Path, db: Path) -> None:
    settings = settings_for(db, articles)
    ensure_store(settings)
    changed = articles / "offensive.txt"
    changed.write_text(ARTICLE_ONE.replace("Tripoli", "Sirte"), encoding="utf-8")
    future = changed.stat().st_mtime + 5
    os.utime(changed, (future, future))
    ensure_store(settings)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM sentences WHERE text LIKE '%Sirte%'").fetchone() == (1,)
    conn.close()
    (articles / "moscow.md").unlink()
    (articles / "third.txt").write_text("Egypt backs Haftar.\n", encoding="utf-8")
    ensure_store(settings)
    conn = sqlite3.connect(db)
    assert [k for (k,) in conn.execute("SELECT key FROM documents ORDER BY key")] == ["offensive", "third"]
    conn.close()
    assert_healthy(db)


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_rebuilds_for_a_new_extractor(
    articles: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_store(settings_for(db, articles))
    monkeypatch.setattr(
        "bot.ingest.default_pipeline", lambda: dataclasses.replace(FAKE_PIPELINE, version="fake-9")
    )
    monkeypatch.setattr("bot.ingest.pipeline_version", lambda: "fake-9")  # read without the pipeline
    ensure_store(settings_for(db, articles))
    conn = sqlite3.connect(db)
    assert {v for (v,) in conn.execute("SELECT extractor_version FROM documents")} == {"fake-9"}
    conn.close()


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_refuses_a_file_that_is_not_a_store(articles: Path, db: Path) -> None:
    db.write_bytes(b"my precious spreadsheet")
    with pytest.raises(StoreError, match="not a SQLite database"):
        ensure_store(settings_for(db, articles))
    assert db.read_bytes() == b"my precious spreadsheet"


def wreck_page_of(db: Path, table: str) -> bytes:
    """Overwrite the first page of ``table`` (checkpointed into the file first); the file's new bytes."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page,) = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    data = bytearray(db.read_bytes())
    data[(page - 1) * size : page * size] = b"\xff" * size
    db.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.usefixtures("use_fake_pipeline")
def test_damage_start_up_reads_is_one_clear_error_and_the_file_is_left_alone(
    articles: Path, db: Path
) -> None:
    ensure_store(settings_for(db, articles))
    (articles / "offensive.txt").write_text(ARTICLE_ONE + "\nEgypt backs Haftar.\n", encoding="utf-8")
    damaged = wreck_page_of(db, "documents")  # a changed file: start-up reads the stored documents
    with pytest.raises(StoreError, match=r"damaged store .*malformed.*; refusing to overwrite it"):
        ensure_store(settings_for(db, articles))
    assert db.read_bytes() == damaged


@pytest.mark.usefixtures("use_fake_pipeline")
def test_start_up_does_not_read_every_page(articles: Path, db: Path) -> None:
    """The full check is `python -m bot check` (tests/test_cli.py); start-up costs the same at any size."""
    ensure_store(settings_for(db, articles))
    wreck_page_of(db, "sentences_fts_data")  # search's index: start-up has no reason to read it
    assert ensure_store(settings_for(db, articles)) == StoreCheck()


def test_ensure_store_without_articles_or_store(tmp_path: Path, db: Path) -> None:
    with pytest.raises(StoreError, match="no articles directory"):
        ensure_store(settings_for(db, tmp_path / "missing"))


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_without_articles_keeps_an_existing_store(
    articles: Path, db: Path, tmp_path: Path
) -> None:
    ensure_store(settings_for(db, articles))
    before = dump(db)
    ensure_store(settings_for(db, tmp_path / "missing"))
    assert dump(db) == before


def test_a_store_locked_by_another_writer_fails_cleanly(
    articles: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run([articles], db)
    before = dump(db)
    (articles / "offensive.txt").write_text(ARTICLE_ONE + "\nEgypt backs Haftar.\n", encoding="utf-8")
    monkeypatch.setattr("bot.store.schema.BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match=r"database is locked; stopped at .*offensive\.txt"):
            ingest([articles], db, FAKE_PIPELINE)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dump(db) == before


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_starts_with_the_good_files_and_names_the_bad_ones(articles: Path, db: Path) -> None:
    for name, content, _ in BAD_FILES[:3]:
        (articles / name).write_bytes(content)
    refused = ensure_store(settings_for(db, articles)).refused
    assert sorted(Path(r.path).name for r in refused) == sorted(name for name, _, _ in BAD_FILES[:3])
    assert count(db, "documents") == 2


@pytest.mark.usefixtures("use_fake_pipeline")
def test_a_bad_file_newer_than_the_store_does_not_rebuild_it_at_every_start(
    articles: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = articles / "empty.txt"
    bad.write_bytes(b"")
    future = bad.stat().st_mtime + 3600
    os.utime(bad, (future, future))
    settings = settings_for(db, articles)
    first = ensure_store(settings).refused
    calls: list[object] = []
    real_ingest = ingest
    monkeypatch.setattr("bot.ingest.ingest", lambda *a, **k: calls.append(a) or real_ingest(*a, **k))
    assert ensure_store(settings) == StoreCheck(first)  # still named at every start, nothing changed…
    assert calls == []  # …but not ingested again while nothing changed
    bad.write_text(ARTICLE_TWO.replace("Moscow", "Cairo"), encoding="utf-8")  # fixed
    assert ensure_store(settings).refused == ()
    assert len(calls) == 1
    assert count(db, "documents") == 3


@pytest.mark.usefixtures("use_fake_pipeline")
def test_ensure_store_with_only_bad_files_builds_an_empty_store(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    assert [r.reason for r in ensure_store(settings_for(db, folder)).refused] == ["the file is empty"]
    assert count(db, "documents") == 0


def test_the_headline_role_follows_the_newest_document_as_files_come_and_go(articles: Path, db: Path) -> None:
    def roles_by_document(document: Document) -> Extraction:
        extraction = fake_extract(document)
        for actor in extraction.actors:
            actor.role = f"role in {document.key}"
        return extraction

    pipeline = dataclasses.replace(FAKE_PIPELINE, extract=roles_by_document)

    def headline() -> str:
        conn = sqlite3.connect(db)
        try:
            return conn.execute("SELECT role FROM actors WHERE name = 'Khalifa Haftar'").fetchone()[0]
        finally:
            conn.close()

    run([articles], db, pipeline)
    assert headline() == "role in offensive"  # published 2019-04, after moscow's 2018-11-07
    (articles / "offensive.txt").unlink()
    run([articles], db, pipeline, prune_under=articles)
    assert headline() == "role in moscow"
