"""Odd and hostile article files: each is ingested sensibly or refused clearly, and the store stays whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest import MAX_ARTICLE_BYTES, ingest
from tests.store_fixtures import assert_healthy, dump

SEED = Path(__file__).resolve().parent / "seed_articles" / "russia-mediation-goals-in-libya.txt"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    ingest([SEED], path)
    return path


def _refused(store: Path, path: Path) -> str:
    before = dump(store)
    report = ingest([path], store)
    assert (report.results, [r.path for r in report.refused]) == ((), [str(path)])
    assert dump(store) == before
    assert_healthy(store)
    return str(report.refused[0])


def test_a_ten_megabyte_file_is_refused_by_name_and_size(store: Path, tmp_path: Path):
    huge = tmp_path / "huge.txt"
    huge.write_text("Haftar spoke. " * 750_000, encoding="utf-8")
    message = _refused(store, huge)
    assert "huge.txt" in message and "too large" in message


def test_a_file_over_the_limit_is_refused_for_its_size_before_it_is_read(store: Path, tmp_path: Path):
    sparse = tmp_path / "sparse.txt"
    with sparse.open("wb") as file:
        file.truncate(MAX_ARTICLE_BYTES + 1)  # read, it would be refused as binary (NUL bytes)
    assert "too large for an article (5.0 MB; the limit is 5 MB)" in _refused(store, sparse)


def test_latin1_bytes_in_a_utf8_file_are_refused_with_the_offset(store: Path, tmp_path: Path):
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes("Haftar’s offensive ".encode() + "caf\xe9".encode("latin-1"))
    assert "not UTF-8" in _refused(store, mixed)


def test_one_100000_character_line_is_ingested(store: Path, tmp_path: Path):
    line = tmp_path / "one-line.txt"
    line.write_text(
        ("Russia backs Haftar and Khalifa Haftar leads the LNA, said Andrei Kortunov " * 1400)[:100_000]
    )
    report = ingest([line], store)
    assert [r.status for r in report.results] == ["added"]
    assert_healthy(store)


def test_front_matter_with_unexpected_keys_is_ingested(store: Path, tmp_path: Path):
    article = tmp_path / "tags.md"
    article.write_text("---\ntitle: Tagged\nlayout: post\ntags: [libya]\n---\nGen. Khalifa Haftar spoke.\n")
    assert [r.status for r in ingest([article], store).results] == ["added"]
    assert_healthy(store)


def test_two_articles_with_the_same_title_are_two_documents(store: Path, tmp_path: Path):
    for name in ("first.md", "second.md"):
        (tmp_path / name).write_text(f"---\ntitle: Same Title\n---\nText of {name} about Haftar.\n")
    report = ingest([tmp_path / "first.md", tmp_path / "second.md"], store)
    assert sorted(r.key for r in report.results) == ["first", "second"]
    assert_healthy(store)


def test_the_same_article_under_two_names_is_stored_once(store: Path, tmp_path: Path):
    copy = tmp_path / "copy-of-the-seed.txt"
    copy.write_bytes(SEED.read_bytes())
    report = ingest([copy], store)
    assert [(r.status, r.duplicate_of) for r in report.results] == [
        ("duplicate", "russia-mediation-goals-in-libya")
    ]
    assert_healthy(store)


def test_a_renamed_article_is_not_a_duplicate_of_its_old_name(tmp_path: Path):
    folder = tmp_path / "articles"
    folder.mkdir()
    old = folder / "old-name.txt"
    old.write_bytes(SEED.read_bytes())
    store = tmp_path / "store.db"
    ingest([folder], store, prune_under=folder)
    old.rename(folder / "new-name.txt")
    report = ingest([folder], store, prune_under=folder)
    assert sorted((r.key, r.status) for r in report.results) == [
        ("new-name", "added"),
        ("old-name", "removed"),
    ]
