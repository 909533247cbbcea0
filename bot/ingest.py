"""Articles on disk → documents → extractions → the store, one file at a time, each all or nothing.

A file that cannot be an article (empty, not UTF-8, binary, broken front matter, unreadable, too large, a
crash in its extraction) is refused: nothing of that file is written, any earlier version of it stays, and
the run goes on with the other files. The report lists every refusal, one line each. Unchanged documents
(same content hash and extractor version) are skipped without extraction; every changed one is written in
its own transaction, so readers never see half a document.

Two passes: the first reads each file for its key and content hash only (to find duplicates and removals);
the second reads, extracts and writes each changed file and forgets it before the next, so memory does not
grow with the batch and a crash midway leaves every file before it stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.config import Settings
from bot.extract.model import Document, Extraction
from bot.store.schema import StoreError, connect, transaction
from bot.store.write import (
    OPERATOR_LIBRARY,
    WRITER_VERSION,
    DocumentCounts,
    Fingerprint,
    Origin,
    delete_document,
    document_actor_ids,
    document_counts,
    fingerprints,
    finish_run,
    get_meta,
    merge_search_indexes,
    set_meta,
    set_path,
    write_extraction,
)
from bot.web import normalize_url

ARTICLE_SUFFIXES = (".txt", ".md")
KEY_SLUG_LIMIT = 60
Status = Literal["added", "updated", "unchanged", "removed", "duplicate"]
# The article folder as last checked by ensure_store: each file's (path, mtime_ns, size), and its refusals.
SNAPSHOT_META = "articles_snapshot"
MERGE_AFTER = 50  # documents written or removed in one run before the full-text indexes are merged
log = logging.getLogger(__name__)


class IngestError(StoreError):
    """One file cannot be an article; nothing of that file is written."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"refused {path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Refusal:
    """A file left out of the store, and why (one line)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Pipeline:
    """The extraction steps ingest runs; tests and benchmarks can pass their own."""

    parse: Callable[[str, str, str | None], Document]
    extract: Callable[[Document], Extraction]
    version: str  # stored with each document: a different version re-extracts it
    article_errors: tuple[type[Exception], ...] = ()  # parse errors that mean "refuse this file"


def pipeline_version() -> str:
    """The real pipeline's version, without loading it (spaCy takes seconds to import)."""
    from bot.extract.version import EXTRACTOR_VERSION

    return f"{EXTRACTOR_VERSION}/{WRITER_VERSION}"


def default_pipeline() -> Pipeline:
    """The real pipeline, imported only when needed."""
    from bot.extract import document, pipeline

    return Pipeline(
        parse=document.parse_document,
        extract=pipeline.extract,
        version=pipeline_version(),
        article_errors=(document.ArticleError,),
    )


@dataclass(frozen=True)
class FileResult:
    key: str
    path: str | None
    status: Status
    counts: DocumentCounts
    duplicate_of: str | None = None  # for "duplicate": the document that already has this text
    warnings: tuple[str, ...] = ()  # what the file's author should fix ("front matter key 'publised' …")


@dataclass(frozen=True)
class IngestReport:
    db_path: Path
    results: tuple[FileResult, ...]
    refused: tuple[Refusal, ...] = ()

    def count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status == status)


@dataclass(frozen=True)
class _Article:
    path: Path
    document: Document


@dataclass(frozen=True)
class _Scanned:
    """What the first pass keeps of a file: enough to decide, not its text (peak memory stays flat)."""

    path: Path
    key: str
    content_hash: str
    document_path: str | None
    warnings: tuple[str, ...]


def find_articles(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their ``*.txt``/``*.md`` files (recursively, skipping hidden ones); keep
    files named explicitly whatever their suffix. Paths that do not exist are left out (``ingest``
    refuses them by name)."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            for child, real, _ in _article_files(path):
                found.setdefault(Path(real), Path(child))
        elif path.exists():
            found.setdefault(path.resolve(), path)
    return list(found.values())


def _article_files(folder: Path) -> list[tuple[str, str, os.stat_result]]:
    """Each article file under ``folder`` in path order, with its resolved path and its stat, from one
    walk in plain strings: linked folders are not entered, and only linked files are resolved one by one
    (resolving every path took more than a second at start with 10,000 articles)."""
    files = []
    pending = [(str(folder), str(folder.resolve()))]
    while pending:
        here, real_here = pending.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, os.path.join(real_here, entry.name)))
                elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES and entry.is_file():
                    linked = entry.is_symlink()
                    real = os.path.realpath(entry.path) if linked else os.path.join(real_here, entry.name)
                    files.append((entry.path, real, entry.stat()))
    return sorted(files, key=lambda file: file[0].split(os.sep))


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
    try:
        return decode_article(data)
    except ValueError as error:
        raise IngestError(path, str(error)) from None


def decode_article(data: bytes) -> str:
    """The bytes as article text, or ``ValueError`` saying in a few words why they cannot be one."""
    if not data.strip():
        raise ValueError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes), not an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})") from None


def ingest(
    paths: Iterable[Path],
    db_path: Path,
    pipeline: Pipeline | None = None,
    *,
    prune_under: Path | None = None,
    library: int = OPERATOR_LIBRARY,
) -> IngestReport:
    """Bring the store up to date with these files, each file in its own transaction; refused files are
    listed in the report and leave the store as it was for them. With ``prune_under``, documents stored
    from a file under that directory which no longer exists are removed. The store file is created only
    when something is written to it. ``library``: the operator's (0, seen in every server) or one
    server's (its guild id; the text is kept in the store, as for articles added from Discord)."""
    started = _timestamp(time.time())
    pipeline = pipeline or default_pipeline()
    paths = list(paths)
    refused = [Refusal(str(path), "no such file or directory") for path in paths if not path.exists()]
    scanned: list[_Scanned] = []
    for path in find_articles(paths):
        try:
            scanned.append(_scan(path, pipeline, library))
        except IngestError as error:
            refused.append(Refusal(str(path), error.reason))
    scanned = _one_file_per_key(scanned, refused)
    stored = _stored_fingerprints(db_path, library)
    scanned, duplicates = _skip_same_text(scanned, stored)
    kept = {str(Path(r.path).resolve()) for r in refused}  # a refused new version keeps the old one
    removed = _removed_keys(stored, {item.key for item in scanned}, prune_under, kept)
    writer = _Writer(db_path, pipeline.version, started, library)
    results: list[FileResult] = []
    try:
        for item in scanned:  # read, extract, write, forget: one file at a time
            status = writer.article(item, stored.get(item.key), pipeline, refused)
            if status is not None:
                counts = writer.counts(item.key)
                results.append(
                    FileResult(item.key, item.document_path, status, counts, warnings=item.warnings)
                )
        for key in removed:
            writer.remove(key)
        written = sum(1 for result in results if result.status in ("added", "updated"))
        if written + len(removed) >= MERGE_AFTER:
            writer.merge_search_indexes()
    finally:
        writer.close()
    results += [FileResult(key, stored[key].path, "removed", DocumentCounts(0, 0, 0)) for key in removed]
    results += [
        FileResult(item.key, item.document_path, "duplicate", DocumentCounts(0, 0, 0), original)
        for item, original in duplicates
    ]
    return IngestReport(db_path, tuple(results), tuple(refused))


class _Writer:
    """Writes one document per transaction; opens (and so creates) the store on the first write."""

    def __init__(self, db_path: Path, version: str, started: str, library: int = OPERATOR_LIBRARY) -> None:
        self.db_path = db_path
        self.version = version
        self.started = started
        self.library = library
        self.conn: sqlite3.Connection | None = connect(db_path) if db_path.exists() else None

    def article(
        self, item: _Scanned, before: Fingerprint | None, pipeline: Pipeline, refused: list[Refusal]
    ) -> Status | None:
        """Extract and write the article if new or changed (content or extractor version); None if refused."""
        if before is not None and (before.content_hash, before.extractor_version) == (
            item.content_hash,
            self.version,
        ):
            if before.path != item.document_path:  # the same file, moved
                self._write(item.path, lambda conn: set_path(conn, item.key, item.document_path))
            return "unchanged"
        try:
            article = _parse(item.path, pipeline, self.library)  # read again: only this file's text is held
            extraction = _extract(article, pipeline)
            self._write(article.path, lambda conn: self._replace(conn, article, extraction))
        except IngestError as error:
            refused.append(Refusal(str(item.path), error.reason))
            return None
        return "updated" if before is not None else "added"

    def again(self, key: str, pipeline: Pipeline) -> list[FileResult]:
        """Extract a server's stored article again from its kept text (see :func:`refresh_libraries`)."""
        assert self.conn is not None
        row = self.conn.execute(
            """SELECT d.library, d.added_by, d.url_key, d.ingested_at, t.text FROM documents d
               JOIN document_texts t ON t.document_id = d.id WHERE d.key = ?""",
            (key,),
        ).fetchone()
        library, added_by, url_key, ingested_at, text = row
        try:
            extraction = pipeline.extract(pipeline.parse(key, text, None))
        except Exception as error:  # the old facts stay; the next start tries again
            log.warning("store: could not read %s again: %s", key, error)
            return []
        origin = Origin(library, added_by, text, url_key)

        def change(conn: sqlite3.Connection) -> None:
            before = document_actor_ids(conn, key)
            write_extraction(conn, extraction, self.version, ingested_at, origin)
            self._finish(conn, before | document_actor_ids(conn, key))

        self._write(key, change)
        return [FileResult(key, None, "updated", document_counts(self.conn, key))]

    def remove(self, key: str) -> None:
        def change(conn: sqlite3.Connection) -> None:
            actors = document_actor_ids(conn, key)
            delete_document(conn, key)
            self._finish(conn, actors)

        self._write(key, change)

    def merge_search_indexes(self) -> None:
        self._write("the full-text indexes", merge_search_indexes)

    def counts(self, key: str) -> DocumentCounts:
        return DocumentCounts(0, 0, 0) if self.conn is None else document_counts(self.conn, key)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def _replace(self, conn: sqlite3.Connection, article: _Article, extraction: Extraction) -> None:
        key = article.document.key
        before = document_actor_ids(conn, key)
        try:
            origin = Origin(
                self.library,
                text=read_article(article.path) if self.library else None,
                url_key=normalize_url(article.document.url) if article.document.url else None,
            )
            write_extraction(conn, extraction, self.version, _timestamp(time.time()), origin)
        except sqlite3.IntegrityError as error:
            raise IngestError(article.path, f"the extraction does not fit the document ({error})") from None
        self._finish(conn, before | document_actor_ids(conn, key))

    def _finish(self, conn: sqlite3.Connection, actor_ids: set[int]) -> None:
        now = _timestamp(time.time())
        finish_run(conn, self.version, finished_at=now, started_at=self.started, actor_ids=actor_ids)

    def _write(self, name: Path | str, change: Callable[[sqlite3.Connection], object]) -> None:
        if self.conn is None:
            self.conn = connect(self.db_path)
        try:
            with transaction(self.conn):
                change(self.conn)
        except sqlite3.OperationalError as error:  # e.g. "database is locked" by another ingest
            raise StoreError(
                f"{self.db_path}: {error}; stopped at {name} (the files before it are stored)"
            ) from None
        except sqlite3.DatabaseError as error:  # damage the cheap check at opening could not see
            raise StoreError(
                f"{self.db_path}: damaged store ({error}); stopped at {name}; run `python -m bot check`"
            ) from None


def _one_file_per_key(scanned: list[_Scanned], refused: list[Refusal]) -> list[_Scanned]:
    """Two files with one document key (``a.txt`` and ``a.md``): the first is kept, the second refused."""
    seen: dict[str, Path] = {}
    kept = []
    for item in scanned:
        if item.key in seen:
            refused.append(Refusal(str(item.path), f"same document key {item.key!r} as {seen[item.key]}"))
        else:
            seen[item.key] = item.path
            kept.append(item)
    return kept


def _skip_same_text(
    scanned: list[_Scanned], stored: dict[str, Fingerprint]
) -> tuple[list[_Scanned], list[tuple[_Scanned, str]]]:
    """The same text under a second file name is stored once (else every event and quote would show
    twice); the later file is skipped, naming the document that has it. A stored document whose file is
    gone (renamed) does not count, so a rename is not mistaken for a copy."""
    keys = {item.key for item in scanned}
    owner: dict[str, str] = {
        fingerprint.content_hash: key
        for key, fingerprint in stored.items()
        if key in keys or (fingerprint.path is not None and Path(fingerprint.path).exists())
    }
    kept: list[_Scanned] = []
    skipped: list[tuple[_Scanned, str]] = []
    for item in scanned:
        first = owner.setdefault(item.content_hash, item.key)
        if first == item.key:
            kept.append(item)
        else:
            skipped.append((item, first))
    return kept, skipped


def library_key(library: int, name: str, taken: Callable[[str], bool] = lambda key: False) -> str:
    """The operator's articles are known by their file name. A server's get a key that is unique in the
    store and readable: the name's slug and a short hash of the server and slug (so two servers'
    "report.txt" differ), numbered when ``taken`` says this one is already used."""
    if library == OPERATOR_LIBRARY:
        return name
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:KEY_SLUG_LIMIT].strip("-") or "article"
    base = f"{slug}-{hashlib.sha1(f'{library}/{slug}'.encode()).hexdigest()[:6]}"
    key, number = base, 1
    while taken(key):
        number += 1
        key = f"{base}-{number}"
    return key


def _scan(path: Path, pipeline: Pipeline, library: int = OPERATOR_LIBRARY) -> _Scanned:
    document = _parse(path, pipeline, library).document
    return _Scanned(path, document.key, document.content_hash, document.path, tuple(document.warnings))


def _parse(path: Path, pipeline: Pipeline, library: int = OPERATOR_LIBRARY) -> _Article:
    text = read_article(path)
    try:
        return _Article(path, pipeline.parse(library_key(library, path.stem), text, str(path.resolve())))
    except pipeline.article_errors as error:
        raise IngestError(path, str(error)) from None


def _stored_fingerprints(db_path: Path, library: int = OPERATOR_LIBRARY) -> dict[str, Fingerprint]:
    if not db_path.exists():
        return {}
    with _opened(db_path) as conn:
        return fingerprints(conn, library)


@contextmanager
def _opened(path: Path) -> Iterator[sqlite3.Connection]:
    """The store, after the cheap check made at every opening: the header (``connect``) and the schema pages
    can be read. It costs the same at any size; the full check reads every page (``python -m bot check``).
    Damage met while reading here is one line too, never a traceback."""
    with closing(connect(path, create=False)) as conn:
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
            yield conn
        except sqlite3.OperationalError:  # busy, locked: not damage
            raise
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path}: damaged store ({error}); refusing to overwrite it") from None


def _extract(article: _Article, pipeline: Pipeline) -> Extraction:
    """Run the extraction; a crash in it refuses the file rather than ending in a traceback."""
    try:
        return pipeline.extract(article.document)
    except Exception as error:
        raise IngestError(article.path, f"extraction failed ({type(error).__name__}: {error})") from error


def _removed_keys(
    stored: dict[str, Fingerprint], present: set[str], under: Path | None, kept_paths: set[str]
) -> list[str]:
    if under is None:
        return []
    root = under.resolve()
    return sorted(
        key
        for key, fingerprint in stored.items()
        if key not in present
        and fingerprint.path
        and fingerprint.path not in kept_paths
        and Path(fingerprint.path).is_relative_to(root)
    )


def _timestamp(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat()


# -- at start -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreCheck:
    """The files refused (now or, unchanged since, at the last check) and what this check changed."""

    refused: tuple[Refusal, ...] = ()
    changed: tuple[FileResult, ...] = ()  # added, updated, removed or duplicate; empty when it was current


def ensure_store(settings: Settings) -> StoreCheck:
    """Build or refresh the store from ``settings.articles_dir`` when the folder changed since the last
    check (a file added, removed or touched) or the extractor is new. Refused files are reported, never
    fatal: the bot starts with the rest. A file at the store path that is not a usable SQLite store raises
    :class:`StoreError` and is left untouched."""
    db_path, articles_dir = settings.db_path, settings.articles_dir
    if not articles_dir.is_dir():
        if not db_path.exists():
            raise StoreError(
                f"{db_path}: no store, and no articles directory {articles_dir} to build it from"
            )
        _stored_fingerprints(db_path)  # still refuse a damaged store
        return StoreCheck()
    snapshot = _snapshot(articles_dir, pipeline_version())
    last = _last_snapshot(db_path)
    if last is not None and last[0] == snapshot:
        return StoreCheck(last[1])
    pipeline = default_pipeline()
    report = ingest([articles_dir], db_path, pipeline, prune_under=articles_dir)
    changed = tuple(result for result in report.results if result.status != "unchanged")
    changed += refresh_libraries(db_path, pipeline)
    for result in changed:
        log.info("store: %s %s", result.status, result.key)
        for warning in result.warnings:
            log.warning("store: %s: %s", result.path or result.key, warning)
    with closing(connect(db_path)) as conn, transaction(conn):
        refusals = [[r.path, r.reason] for r in report.refused]
        set_meta(conn, SNAPSHOT_META, json.dumps({"files": snapshot, "refused": refusals}))
    return StoreCheck(report.refused, changed)


def refresh_libraries(db_path: Path, pipeline: Pipeline | None = None) -> tuple[FileResult, ...]:
    """Read servers' articles again from their kept text when the extractor changed, one transaction
    each; who added them and when stays. An article the new extractor refuses keeps its old facts."""
    pipeline = pipeline or default_pipeline()
    if not db_path.exists():
        return ()
    with closing(connect(db_path, create=False)) as conn:
        stale = conn.execute(
            "SELECT d.key FROM documents d JOIN document_texts t ON t.document_id = d.id"
            " WHERE d.library != 0 AND d.extractor_version != ?",
            (pipeline.version,),
        ).fetchall()
    writer = _Writer(db_path, pipeline.version, _timestamp(time.time()))
    results = []
    try:
        for (key,) in stale:
            results += writer.again(key, pipeline)
    finally:
        writer.close()
    return tuple(results)


def _snapshot(articles_dir: Path, version: str) -> list[object]:
    """What the folder looks like: the extractor version and each article file's path, mtime and size."""
    files = {
        str(real): [str(real), stat.st_mtime_ns, stat.st_size]
        for _, real, stat in _article_files(articles_dir)
    }
    return [version, sorted(files.values())]


def _last_snapshot(db_path: Path) -> tuple[list[object], tuple[Refusal, ...]] | None:
    if not db_path.exists():
        return None
    with _opened(db_path) as conn:
        value = get_meta(conn, SNAPSHOT_META)
    if value is None:
        return None
    saved = json.loads(value)
    return saved["files"], tuple(Refusal(path, reason) for path, reason in saved["refused"])
