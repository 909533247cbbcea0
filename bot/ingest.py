"""Articles on disk → documents → extractions → the store, all or nothing.

A run first reads and parses every file, so a refused file (empty, not UTF-8, binary, broken front
matter, unreadable) stops the run before anything is written. Unchanged documents (same content hash
and extractor version) are skipped without extraction; the rest are written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.config import Settings
from bot.extract.model import Document, Extraction
from bot.store.schema import StoreError, connect, quick_check, transaction
from bot.store.write import (
    WRITER_VERSION,
    DocumentCounts,
    Fingerprint,
    delete_document,
    document_counts,
    fingerprints,
    finish_run,
    get_meta,
    set_path,
    write_extraction,
)

ARTICLE_SUFFIXES = (".txt", ".md")
Status = Literal["added", "updated", "unchanged", "removed", "duplicate"]
log = logging.getLogger(__name__)


class IngestError(StoreError):
    """A file was refused; nothing of the run was written."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"refused {path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Pipeline:
    """The extraction steps ingest runs; tests and benchmarks can pass their own."""

    parse: Callable[[str, str, str | None], Document]
    extract: Callable[[Document], Extraction]
    version: str  # stored with each document: a different version re-extracts it
    article_errors: tuple[type[Exception], ...] = ()  # parse errors that mean "refuse this file"


def default_pipeline() -> Pipeline:
    """The real pipeline, imported only when needed."""
    from bot.extract import document, pipeline

    return Pipeline(
        parse=document.parse_document,
        extract=pipeline.extract,
        version=f"{pipeline.EXTRACTOR_VERSION}/{WRITER_VERSION}",
        article_errors=(document.ArticleError,),
    )


@dataclass(frozen=True)
class FileResult:
    key: str
    path: str | None
    status: Status
    counts: DocumentCounts
    duplicate_of: str | None = None  # for "duplicate": the document that already has this text


@dataclass(frozen=True)
class IngestReport:
    db_path: Path
    results: tuple[FileResult, ...]

    def count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status == status)


@dataclass(frozen=True)
class _Article:
    path: Path
    document: Document


def find_articles(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their ``*.txt``/``*.md`` files (recursively, skipping hidden ones); keep
    files named explicitly whatever their suffix. A path that does not exist is refused."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and child.suffix.lower() in ARTICLE_SUFFIXES and not hidden:
                    found.setdefault(child.resolve(), child)
        elif path.exists():
            found.setdefault(path.resolve(), path)
        else:
            raise IngestError(path, "no such file or directory")
    return list(found.values())


# Far beyond any article (the seed is 8 kB): a bigger file is a mistake (a dump, a book, a log).
MAX_ARTICLE_BYTES = 5 * 10**6


def read_article(path: Path) -> str:
    """The file's text, or :class:`IngestError` saying in a few words why it cannot be an article."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            sizes = f"{size / 1e6:.1f} MB; the limit is {MAX_ARTICLE_BYTES / 1e6:.0f} MB"
            raise IngestError(path, f"too large for an article ({sizes})")
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(path, f"unreadable ({error.strerror or error})") from None
    if not data.strip():
        raise IngestError(path, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(path, "UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise IngestError(path, "binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IngestError(
            path, f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def ingest(
    paths: Iterable[Path], db_path: Path, pipeline: Pipeline | None = None, *, prune_under: Path | None = None
) -> IngestReport:
    """Bring the store up to date with these files in one transaction. With ``prune_under``, documents
    stored from a file under that directory which no longer exists are removed."""
    started = time.time()
    pipeline = pipeline or default_pipeline()
    articles = [_parse(path, pipeline) for path in find_articles(paths)]
    _refuse_duplicate_keys(articles)
    stored = _stored_fingerprints(db_path)
    articles, duplicates = _skip_same_text(articles, stored)
    extractions, moved = _plan(articles, stored, pipeline)
    removed = _removed_keys(stored, {a.document.key for a in articles}, prune_under)
    conn = connect(db_path)
    try:
        if extractions or removed or moved:
            counts = _write(conn, articles, extractions, removed, moved, pipeline.version, started)
        else:
            counts = {a.document.key: document_counts(conn, a.document.key) for a in articles}
    except sqlite3.OperationalError as error:  # e.g. "database is locked" by another ingest
        raise StoreError(f"{db_path}: {error}; nothing was written") from None
    finally:
        conn.close()
    results = [
        FileResult(key, a.document.path, _status(key, stored, extractions), counts[key])
        for a in articles
        for key in [a.document.key]
    ]
    results += [FileResult(key, stored[key].path, "removed", DocumentCounts(0, 0, 0)) for key in removed]
    results += [
        FileResult(a.document.key, a.document.path, "duplicate", DocumentCounts(0, 0, 0), original)
        for a, original in duplicates
    ]
    return IngestReport(db_path, tuple(results))


def _skip_same_text(
    articles: list[_Article], stored: dict[str, Fingerprint]
) -> tuple[list[_Article], list[tuple[_Article, str]]]:
    """The same text under a second file name is stored once (else every event and quote would show
    twice); the later file is skipped, naming the document that has it. A stored document whose file is
    gone (renamed) does not count, so a rename is not mistaken for a copy."""
    keys = {a.document.key for a in articles}
    owner: dict[str, str] = {
        fingerprint.content_hash: key
        for key, fingerprint in stored.items()
        if key in keys or (fingerprint.path is not None and Path(fingerprint.path).exists())
    }
    kept: list[_Article] = []
    skipped: list[tuple[_Article, str]] = []
    for article in articles:
        first = owner.setdefault(article.document.content_hash, article.document.key)
        if first == article.document.key:
            kept.append(article)
        else:
            skipped.append((article, first))
    return kept, skipped


def _plan(
    articles: list[_Article], stored: dict[str, Fingerprint], pipeline: Pipeline
) -> tuple[dict[str, Extraction], dict[str, str | None]]:
    """Extract what is new or changed (content or extractor version); note unchanged files that moved."""
    extractions: dict[str, Extraction] = {}
    moved: dict[str, str | None] = {}
    for article in articles:
        document = article.document
        before = stored.get(document.key)
        if before is None or (before.content_hash, before.extractor_version) != (
            document.content_hash,
            pipeline.version,
        ):
            extractions[document.key] = _extract(article, pipeline)
        elif before.path != document.path:
            moved[document.key] = document.path
    return extractions, moved


def _parse(path: Path, pipeline: Pipeline) -> _Article:
    text = read_article(path)
    try:
        return _Article(path, pipeline.parse(path.stem, text, str(path.resolve())))
    except pipeline.article_errors as error:
        raise IngestError(path, str(error)) from None


def _refuse_duplicate_keys(articles: list[_Article]) -> None:
    seen: dict[str, Path] = {}
    for article in articles:
        key = article.document.key
        if key in seen:
            raise IngestError(article.path, f"same document key {key!r} as {seen[key]}")
        seen[key] = article.path


def _stored_fingerprints(db_path: Path) -> dict[str, Fingerprint]:
    return _stored_state(db_path)[0]


def _stored_state(db_path: Path) -> tuple[dict[str, Fingerprint], str | None]:
    """The stored documents' fingerprints and the start time of the last ingest that changed anything."""
    if not db_path.exists():
        return {}, None
    conn = connect(db_path, create=False)
    try:
        quick_check(conn, db_path)
        return fingerprints(conn), get_meta(conn, "last_ingest")
    finally:
        conn.close()


def _extract(article: _Article, pipeline: Pipeline) -> Extraction:
    """Run the extraction; a crash in it refuses the file rather than ending in a traceback."""
    try:
        return pipeline.extract(article.document)
    except Exception as error:
        raise IngestError(article.path, f"extraction failed ({type(error).__name__}: {error})") from error


def _removed_keys(stored: dict[str, Fingerprint], present: set[str], under: Path | None) -> list[str]:
    if under is None:
        return []
    root = under.resolve()
    return sorted(
        key
        for key, fingerprint in stored.items()
        if key not in present and fingerprint.path and Path(fingerprint.path).is_relative_to(root)
    )


def _write(
    conn: sqlite3.Connection,
    articles: list[_Article],
    extractions: dict[str, Extraction],
    removed: list[str],
    moved: dict[str, str | None],
    version: str,
    started: float,
) -> dict[str, DocumentCounts]:
    paths = {a.document.key: a.path for a in articles}
    now = _timestamp(time.time())
    with transaction(conn):
        for key, extraction in extractions.items():
            try:
                write_extraction(conn, extraction, version, now)
            except sqlite3.IntegrityError as error:
                raise IngestError(paths[key], f"the extraction does not fit the document ({error})") from None
        for key in removed:
            delete_document(conn, key)
        for key, path in moved.items():
            set_path(conn, key, path)
        if extractions or removed:
            finish_run(conn, version, finished_at=now, started_at=_timestamp(started))
        return {key: document_counts(conn, key) for key in paths}


def _status(key: str, stored: dict[str, Fingerprint], extractions: dict[str, Extraction]) -> Status:
    if key not in extractions:
        return "unchanged"
    return "updated" if key in stored else "added"


def _timestamp(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat()


def ensure_store(settings: Settings) -> None:
    """Build or refresh the store from ``settings.articles_dir`` when it is missing or stale (an article
    added, removed, newer than the last ingest, or a different extractor version). A file at the store
    path that is not a usable SQLite store raises :class:`StoreError` and is left untouched."""
    db_path, articles_dir = settings.db_path, settings.articles_dir
    if not articles_dir.is_dir():
        if not db_path.exists():
            raise StoreError(
                f"{db_path}: no store, and no articles directory {articles_dir} to build it from"
            )
        _stored_fingerprints(db_path)  # still refuse a damaged store
        return
    pipeline = default_pipeline()
    if _is_current(db_path, articles_dir, pipeline.version):
        return
    report = ingest([articles_dir], db_path, pipeline, prune_under=articles_dir)
    for result in report.results:
        if result.status != "unchanged":
            log.info("store: %s %s", result.status, result.key)


def _is_current(db_path: Path, articles_dir: Path, version: str) -> bool:
    if not db_path.exists():
        return False
    stored, last_ingest = _stored_state(db_path)
    files = find_articles([articles_dir])
    root = articles_dir.resolve()
    from_here = [f for f in stored.values() if f.path and Path(f.path).is_relative_to(root)]
    if {f.path for f in from_here} != {str(path.resolve()) for path in files}:
        return False
    if any(f.extractor_version != version for f in from_here):
        return False
    if last_ingest is None:
        return not files
    since = dt.datetime.fromisoformat(last_ingest).timestamp()
    return all(path.stat().st_mtime < since for path in files)
