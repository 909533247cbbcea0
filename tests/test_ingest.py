"""Ingest runs (files → store) with the stand-in pipeline: idempotence, replacement, refusals, ensure."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.extract.model import Document, Extraction
from bot.ingest import IngestError, IngestReport, Pipeline, ensure_store, find_articles, ingest
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
def test_a_refused_file_leaves_the_store_exactly_as_it_was(
    articles: Path, db: Path, name: str, content: bytes, reason: str
) -> None:
    run([articles], db)
    before = dump(db)
    (articles / "offensive.txt").write_text(
        ARTICLE_ONE + "\nEgypt backs Haftar.\n", encoding="utf-8"
    )  # a change…
    (articles / name).write_bytes(content)  # …and a bad file in the same run
    with pytest.raises(IngestError) as refused:
        ingest([articles], db, FAKE_PIPELINE)
    message = str(refused.value)
    assert message.startswith(f"refused {articles / name}: ")
    assert reason in message
    assert "\n" not in message
    assert dump(db) == before
    assert_healthy(db)


def test_a_refused_first_run_creates_no_store(articles: Path, db: Path) -> None:
    (articles / "empty.txt").write_bytes(b"")
    with pytest.raises(IngestError):
        ingest([articles], db, FAKE_PIPELINE)
    assert not db.exists()


def test_an_unreadable_file_is_refused(articles: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "moscow.md":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(IngestError, match=r"moscow\.md: unreadable \(Permission denied\)"):
        ingest([articles], db, FAKE_PIPELINE)


def test_a_missing_path_is_refused(tmp_path: Path, db: Path) -> None:
    with pytest.raises(IngestError, match="no such file or directory"):
        ingest([tmp_path / "nope.txt"], db, FAKE_PIPELINE)


def test_two_files_with_one_key_are_refused(articles: Path, db: Path) -> None:
    (articles / "offensive.md").write_text(ARTICLE_TWO, encoding="utf-8")
    with pytest.raises(IngestError, match="same document key 'offensive'"):
        ingest([articles], db, FAKE_PIPELINE)


def test_an_extraction_crash_refuses_the_file(articles: Path, db: Path) -> None:
    def crash(document: Document) -> Extraction:
        if document.key == "moscow":
            raise KeyError("lexicon entry")
        return fake_extract(document)

    with pytest.raises(IngestError, match=r"moscow\.md: extraction failed \(KeyError: 'lexicon entry'\)"):
        ingest([articles], db, dataclasses.replace(FAKE_PIPELINE, extract=crash))
    assert not db.exists()


def test_an_extraction_that_does_not_fit_its_document_is_refused(articles: Path, db: Path) -> None:
    def misplaced(document: Document) -> Extraction:
        extraction = fake_extract(document)
        extraction.events[0].paragraph = 99
        return extraction

    run([articles], db)
    before = dump(db)
    (articles / "offensive.txt").write_text(ARTICLE_ONE + "\nMore.\n", encoding="utf-8")
    with pytest.raises(IngestError, match="does not fit the document"):
        ingest([articles], db, dataclasses.replace(FAKE_PIPELINE, extract=misplaced, version="fake-2"))
    assert dump(db) == before


# -- ensure_store ---------------------------------------------------------------------------------------


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
        with pytest.raises(StoreError, match="database is locked; nothing was written"):
            ingest([articles], db, FAKE_PIPELINE)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dump(db) == before
