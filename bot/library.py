"""A server's own library: articles added from Discord, kept in the store with their text, and removed.

Extraction is CPU-bound Python (spaCy) that holds the GIL, so it runs in one worker process: the bot's event
loop keeps answering while an article is read. The store write is short and runs in a thread with its own
connection. One server write at a time, so two uploads cannot both pass the limit check.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from bot.extract.model import Document, Extraction, PartialDate
from bot.ingest import MAX_ARTICLE_BYTES, default_pipeline, library_key
from bot.store.schema import connect, transaction
from bot.store.write import (
    DocumentCounts,
    Origin,
    delete_document,
    document_actor_ids,
    finish_run,
    text_hash,
    write_extraction,
)
from bot.workers import Worker, WorkerStopped

WORKER_NICENESS = 10
WORKER_IDLE_SECONDS = 600  # then spaCy's few hundred MB go back to the system until the next article
NO_DATE_WARNING = "no date found: relative dates (“two days later”) are left unresolved"


class Refused(Exception):
    """The article is not added; the message is one line saying why."""


@dataclass(frozen=True)
class Added:
    """What the store learned from one article."""

    key: str
    title: str | None
    published: PartialDate | None
    counts: DocumentCounts
    new_actors: tuple[str, ...]  # actors this server had not seen before, most mentioned first
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Removed:
    key: str
    title: str | None


# -- the worker process ----------------------------------------------------------------------------------


def _parse(key: str, text: str) -> Document:
    from bot.extract.document import ArticleError, parse_document

    try:
        return parse_document(key, text)
    except ArticleError as error:
        raise Refused(str(error)) from None


def _extract(document: Document) -> tuple[Extraction, str]:
    """The extraction and the pipeline's version (known here without importing spaCy in the bot)."""
    pipeline = default_pipeline()
    return pipeline.extract(document), pipeline.version


def _html_article(html: str, url: str | None) -> tuple[str, str | None]:
    """A web page as article text (front matter and main text) and its title; boilerplate left out."""
    from bot.pages import PageError, article_text, page_from_html

    try:
        page = page_from_html(html, url)
    except PageError as error:
        raise Refused(str(error)) from None
    return article_text(page), page.title


# -- the library -----------------------------------------------------------------------------------------


class Library:
    """Adds and removes the articles of servers' own libraries in the store at ``db_path``."""

    def __init__(self, db_path: Path, *, article_limit: int) -> None:
        self.db_path = db_path
        self.article_limit = article_limit
        self._worker = Worker(niceness=WORKER_NICENESS, idle_seconds=WORKER_IDLE_SECONDS)
        self._write = asyncio.Lock()

    async def add(
        self, text: str, *, guild: int, added_by: int | None, name: str, url_key: str | None = None
    ) -> Added:
        """Read ``text`` (an article file's text) into the server's library; :class:`Refused` says why
        not. ``name`` (a title or file name) makes the key; ``url_key`` is the page's normalised URL."""
        if len(text.encode("utf-8", "replace")) > MAX_ARTICLE_BYTES:
            raise Refused(f"too large: the limit is {MAX_ARTICLE_BYTES // 10**6} MB")
        document = await self._run(_parse, "", text)
        async with self._write:
            await asyncio.to_thread(self._check, guild, document, url_key)
            extraction, version = await self._run(_extract, document)
            origin = Origin(guild, added_by, text, url_key)
            return await asyncio.to_thread(self._store, extraction, version, origin, name)

    async def replace(self, text: str, *, guild: int, key: str, url_key: str | None = None) -> Added | None:
        """A new version of one of the server's articles (a feed item that changed): read ``text`` and
        write it under the same key, with its facts, in one transaction; who added it and when stay.
        None when the server has no such article or the text did not change; :class:`Refused` says why
        not otherwise (the same text as another article, unreadable)."""
        if len(text.encode("utf-8", "replace")) > MAX_ARTICLE_BYTES:
            raise Refused(f"too large: the limit is {MAX_ARTICLE_BYTES // 10**6} MB")
        document = await self._run(_parse, key, text)
        async with self._write:
            earlier = await asyncio.to_thread(self._earlier, guild, key, document)
            if earlier is None:
                return None
            extraction, version = await self._run(_extract, document)
            origin = Origin(guild, earlier[0], text, url_key)
            return await asyncio.to_thread(self._restore, extraction, version, origin, earlier[1])

    async def page_article(self, html: str, url: str | None) -> tuple[str, str | None]:
        """The main text of an HTML page as article text, and its title (read in the worker process)."""
        return await self._run(_html_article, html, url)

    async def already_there(self, guild: int, url_key: str) -> str | None:
        """The title (or key) of the article this server already has from that page, if any."""
        return await asyncio.to_thread(self._by_url, guild, url_key)

    async def remove(self, guild: int, key: str) -> Removed | None:
        """Delete one of the server's own articles and every fact only it vouched for; None if it has
        no such article (the operator's articles are not the server's to remove)."""
        async with self._write:
            return await asyncio.to_thread(self._remove, guild, key)

    async def count(self, guild: int) -> int:
        def count() -> int:
            with closing(connect(self.db_path, create=False)) as conn:
                return int(
                    conn.execute("SELECT count(*) FROM documents WHERE library = ?", (guild,)).fetchone()[0]
                )

        return await asyncio.to_thread(count)

    def close(self) -> None:
        self._worker.close()

    async def _run(self, function: Callable[..., object], *args: object):  # type: ignore[no-untyped-def]
        """``function(*args)`` in the worker process, started on first use; a crashed worker is replaced."""
        try:
            return await self._worker.run(function, *args)
        except WorkerStopped:
            raise Refused("the article could not be read (the reader stopped); try again") from None
        except Refused:
            raise
        except Exception as error:  # a crash in the extraction refuses this article only
            raise Refused(f"the article could not be read ({type(error).__name__})") from error

    # -- in a thread, with a connection of its own ----------------------------------------------------------

    def _check(self, guild: int, document: Document, url_key: str | None) -> None:
        with closing(connect(self.db_path)) as conn:
            same = _find(conn, guild, "text_hash", text_hash(document.paragraphs))
            if same is None and url_key:
                same = _find(conn, guild, "url_key", url_key)
            if same is not None:
                raise Refused(f"already there: “{same}”")
            count = conn.execute("SELECT count(*) FROM documents WHERE library = ?", (guild,)).fetchone()[0]
            if count >= self.article_limit:
                raise Refused(
                    f"this server's library is full ({self.article_limit} articles); "
                    "remove some with /article remove"
                )

    def _earlier(self, guild: int, key: str, document: Document) -> tuple[int | None, str] | None:
        """Who added the article ``key`` and when, if the server has it and ``document`` is new text."""
        digest = text_hash(document.paragraphs)
        with closing(connect(self.db_path)) as conn:
            row = conn.execute(
                "SELECT added_by, ingested_at, text_hash FROM documents WHERE key = ? AND library = ?",
                (key, guild),
            ).fetchone()
            if row is None or row[2] == digest:
                return None
            same = conn.execute(
                """SELECT coalesce(title, key) FROM documents
                   WHERE text_hash = ? AND library IN (0, ?) AND key != ? LIMIT 1""",
                (digest, guild, key),
            ).fetchone()
            if same is not None:
                raise Refused(f"already there: “{same[0]}”")
        return row[0], row[1]

    def _restore(self, extraction: Extraction, version: str, origin: Origin, ingested_at: str) -> Added:
        """Write the new version over the old one (same key, same ingest time)."""
        document = extraction.document
        with closing(connect(self.db_path)) as conn, transaction(conn):
            actors = document_actor_ids(conn, document.key)
            counts = write_extraction(conn, extraction, version, ingested_at, origin)
            actors |= document_actor_ids(conn, document.key)
            now = _now()
            finish_run(conn, version, finished_at=now, started_at=now, actor_ids=actors)
            new_actors = _new_actors(conn, document.key, origin.library)
        warnings = list(document.warnings)
        if document.published is None:
            warnings.append(NO_DATE_WARNING)
        return Added(document.key, document.title, document.published, counts, new_actors, tuple(warnings))

    def _by_url(self, guild: int, url_key: str) -> str | None:
        with closing(connect(self.db_path)) as conn:
            return _find(conn, guild, "url_key", url_key)

    def _store(self, extraction: Extraction, version: str, origin: Origin, name: str) -> Added:
        document = extraction.document
        with closing(connect(self.db_path)) as conn, transaction(conn):
            key = library_key(origin.library, name, lambda k: _taken(conn, k))
            extraction = replace(extraction, document=replace(document, key=key))
            now = _now()
            counts = write_extraction(conn, extraction, version, now, origin)
            actors = document_actor_ids(conn, key)
            finish_run(conn, version, finished_at=now, started_at=now, actor_ids=actors)
            new_actors = _new_actors(conn, key, origin.library)
        warnings = list(document.warnings)
        if document.published is None:
            warnings.append(NO_DATE_WARNING)
        return Added(key, document.title, document.published, counts, new_actors, tuple(warnings))

    def _remove(self, guild: int, key: str) -> Removed | None:
        with closing(connect(self.db_path)) as conn, transaction(conn):
            row = conn.execute(
                "SELECT title FROM documents WHERE key = ? AND library = ?", (key, guild)
            ).fetchone()
            if row is None:
                return None
            actors = document_actor_ids(conn, key)
            delete_document(conn, key)
            now = _now()
            version = conn.execute("SELECT value FROM meta WHERE key = 'extractor_version'").fetchone()
            finish_run(conn, version[0] if version else "", finished_at=now, started_at=now, actor_ids=actors)
        return Removed(key, row[0])


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _find(conn: sqlite3.Connection, guild: int, column: str, value: str) -> str | None:
    row = conn.execute(
        f"SELECT coalesce(title, key) FROM documents WHERE {column} = ? AND library IN (0, ?) LIMIT 1",
        (value, guild),
    ).fetchone()
    return row[0] if row else None


def _taken(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE key = ?", (key,)).fetchone() is not None


def _new_actors(conn: sqlite3.Connection, key: str, guild: int) -> tuple[str, ...]:
    """Actors this document names that no other article the server sees names, most mentioned first."""
    rows = conn.execute(
        """SELECT a.name FROM documents d
           JOIN actor_documents ad ON ad.document_id = d.id JOIN actors a ON a.id = ad.actor_id
           WHERE d.key = ?1 AND NOT EXISTS (
               SELECT 1 FROM actor_documents other JOIN documents od ON od.id = other.document_id
               WHERE other.actor_id = ad.actor_id AND od.id != d.id AND od.library IN (0, ?2))
           ORDER BY (SELECT count(*) FROM mentions m WHERE m.actor_id = a.id AND m.document_id = d.id) DESC,
                    a.name""",
        (key, guild),
    )
    return tuple(name for (name,) in rows)
