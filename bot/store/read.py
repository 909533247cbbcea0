"""The bot's asynchronous, read-mostly view of the store.

Open it once (``await Store.open(path)``), call :meth:`Store.refresh` now and then to pick up a
concurrent ingest, and close it on shutdown. Every method answers with the frozen dataclasses of
:mod:`bot.store.models`; user text never reaches SQL or FTS syntax unquoted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import json
import os
import random
import sqlite3
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, get_args

import aiosqlite

from bot.extract.model import ActorKind, PartialDate, RelationType
from bot.store import report
from bot.store.models import (
    ActorDocument,
    ActorProfile,
    ActorRecord,
    ActorSummary,
    Citation,
    Direction,
    DocumentInfo,
    EventFact,
    Paragraph,
    QuoteFact,
    RelatedActor,
    RelationGroup,
    RoleFact,
    SearchHit,
    StoreStats,
    Summary,
    TimelinePage,
)
from bot.store.names import normalize_name
from bot.store.query import Term, fts_match, parse_terms
from bot.store.schema import BUSY_TIMEOUT_MS, StoreError, connect, visible
from bot.store.write import SET_META_SQL

_SNIPPET_TOKENS = 64  # FTS5 allows at most 64; the cog cuts the snippet to its length limit
_OUT_LABELS = {"leads": "leads", "member_of": "member of", "backs": "backs", "opposes": "opposes"}
_IN_LABELS = {"leads": "led by", "member_of": "members", "backs": "backed by", "opposes": "opposed by"}
_EVENT_COLUMNS = (
    "e.id, e.date, e.summary, e.evidence, d.key, coalesce(d.title, d.key) AS title, e.paragraph, e.sentence"
)
# CROSS JOIN keeps events the outer loop, read in the order of their date index.
_EVENT_SQL = f"SELECT {_EVENT_COLUMNS} FROM events e CROSS JOIN documents d ON d.id = e.document_id"
# An actor's events, through the index the writer keeps (``ae``); the caller puts in the columns.
_ACTOR_EVENTS_FROM = """SELECT FROM actor_events ae JOIN events e ON e.id = ae.event_id
JOIN documents d ON d.id = e.document_id"""
# The date index's order: a page is read without sorting every event (ties in the order stored).
_EVENT_ORDER = " ORDER BY e.date_first, e.date_last, e.id"
_QUOTE_SQL = """
SELECT a.name AS speaker, q.kind, q.text, q.date, s.text AS sentence,
       d.key, coalesce(d.title, d.key) AS title, q.paragraph, q.sentence AS position
FROM quotes q
JOIN documents d ON d.id = q.document_id
JOIN sentences s ON s.document_id = q.document_id AND s.paragraph = q.paragraph AND s.position = q.sentence
LEFT JOIN actors a ON a.id = q.speaker_id"""
_QUOTE_ORDER = " ORDER BY q.date IS NULL, q.date, d.key, q.paragraph, q.sentence, q.id"
# Events by their first day, kept per library: a date range's count reads a row per day, not per event.
_EVENT_DAYS_SQL = "SELECT coalesce(sum(t.events), 0) FROM event_days t WHERE {seen}"
# An actor's links both ways (the writer keeps them per library), with the other actor's name; ally_of
# reads the same both ways. The profile groups them and keeps a page of each group.
_LINKS_SQL = """SELECT k.type, iif(k.type = 'ally_of', 'both', 'out') AS direction, o.name, k.attested,
       k.first_id
FROM actor_links k JOIN actors o ON o.id = k.target_id WHERE k.actor_id = ?1 AND {seen}
UNION ALL
SELECT k.type, iif(k.type = 'ally_of', 'both', 'in'), o.name, k.attested, k.first_id
FROM actor_links k JOIN actors o ON o.id = k.actor_id WHERE k.target_id = ?1 AND {seen}"""
_DIRECTIONS: tuple[Direction, ...] = ("out", "in", "both")  # a profile's groups of one link type, in order
# The statements (relations rows) first stating the links shown, to cite.
_FIRST_STATED_SQL = """SELECT r.id, d.key, coalesce(d.title, d.key) AS title, r.paragraph, r.sentence
FROM relations r JOIN documents d ON d.id = r.document_id WHERE r.id IN (SELECT value FROM json_each(?))"""
# A profile's totals over the libraries a server sees, from the writer's row per actor and library.
_ACTOR_TOTALS_SQL = """SELECT coalesce(sum(l.documents), 0) AS documents,
       coalesce(sum(l.mentions), 0) AS mentions, coalesce(sum(l.events), 0) AS events,
       coalesce(sum(l.quotes), 0) AS quotes
FROM actor_libraries l WHERE l.actor_id = ? AND {seen}"""
_QUOTE_PAGE_SQL = """SELECT q.id FROM quotes q JOIN documents d ON d.id = q.document_id
LEFT JOIN actors a ON a.id = q.speaker_id"""


RECHECK_S = 1.0  # refresh asks SQLite at least this often, even when the WAL file looks unchanged
SEARCH_WINDOW = 500  # matching sentences ranked for /search (and read for /quote topic:), the most recent
RANDOM_QUOTE_DRAWS = 32  # ids drawn at once for a random statement before drawing among a server's own
PROFILE_CACHE_BYTES = 4_000_000  # profiles kept between ingests, by their rough size (see _footprint)
_BYTES_PER_TEXT = 300  # a text's object and its share of the objects around it (see _footprint)
# What a profile reads of each list: what its embed can show; the Timeline and Statements buttons and
# /timeline and /quote page through the rest from the store.
PROFILE_EVENTS = 25
PROFILE_QUOTES = 15
PROFILE_DOCUMENTS = 10
PROFILE_ROLES = 10
PROFILE_ALIASES = 30
RELATIONS_PER_GROUP = 25  # other actors read per link type and direction: more than a field shows


def _libraries(guild: int | None) -> tuple[int, ...]:
    return (0, int(guild)) if guild else (0,)


_PUBLISHED_ORDER = ("published DESC NULLS LAST", "key")


def _documents_page(
    guild: int | None, order: Sequence[str], where: str = "1", library: int | None = None
) -> str:
    """SQL: the ids (with the ``order`` columns) of the first ``?1`` documents (-1: all) matching ``where``
    in ``order``, of the libraries this server sees (or of ``library`` only). Each library is read in its
    own index's order and the pages merged: one IN over both libraries would sort every document."""
    columns = ", ".join(f"d.{column.split()[0]}" for column in order)
    inner = ", ".join(f"d.{column}" for column in order)
    parts = [
        f"SELECT * FROM (SELECT d.id, {columns} FROM documents d WHERE d.library = {number} AND ({where})"
        f" ORDER BY {inner} LIMIT ?1)"
        for number in ((int(library),) if library is not None else _libraries(guild))
    ]
    return " UNION ALL ".join(parts) + f" ORDER BY {', '.join(order)} LIMIT ?1"


def _known_kinds(kind: str | None) -> list[str]:
    """Every actor kind, after checking ``kind`` is one of them: kinds are written into the SQL."""
    known = list(get_args(ActorKind))
    if kind is not None and kind not in known:
        raise ValueError(f"no such kind: {kind!r}")
    return known


def _operator_actors_page(kind: str | None, kinds: Sequence[str]) -> str:
    """SQL: a page (``?1`` rows from ``?2``) of the operator's actors, of ``kind`` or of every kind (those
    in ``kinds`` in that order, after any other), most mentioned first: each kind read in the order of its
    index, only as far as the page reaches."""
    known = _known_kinds(kind)
    listed = [k for k in kinds if k in known]
    ordered: list[str | None] = [kind] if kind else [*(k for k in known if k not in listed), *listed]
    if not kind and not kinds:  # one list, most mentioned first whatever the kind
        ordered = [None]
    parts = [
        f"""SELECT * FROM (SELECT a.name, a.kind, l.role, l.mentions, l.documents, {rank} AS rank
            FROM actor_libraries l JOIN actors a ON a.id = l.actor_id
            WHERE l.library = 0 AND {f"l.kind = '{name}'" if name else "1"}
            ORDER BY l.mentions DESC, a.name LIMIT ?1 + ?2)"""
        for rank, name in enumerate(ordered)
    ]
    return " UNION ALL ".join(parts) + " ORDER BY rank, mentions DESC, name LIMIT ?1 OFFSET ?2"


def _footprint(profile: ActorProfile) -> int:
    """Roughly the bytes a cached profile holds: its texts (with the title and key of every citation) and
    a fixed cost for each, the objects around it. The cache is bounded by this, not by a count: a big
    actor's profile holds a hundred times a small one's. Checked against tracemalloc at 100 and 10,000
    articles: within about 10% either way (counting the objects themselves took 2-3 ms for a big profile,
    and the texts alone had missed a third)."""
    cited = [role.citation for role in profile.roles if role.citation]
    cited += [event.citation for event in profile.events] + [quote.citation for quote in profile.quotes]
    cited += [c for group in profile.relations for other in group.actors for c in other.citations]
    texts = [profile.name, *profile.aliases, *(role.role for role in profile.roles)]
    texts += [event.summary + event.evidence for event in profile.events]
    texts += [quote.text + quote.sentence for quote in profile.quotes]
    texts += [document.title + document.key for document in profile.documents]
    texts += [other.name for group in profile.relations for other in group.actors]
    texts += [citation.title + citation.document for citation in cited]
    return sum(map(len, texts)) + _BYTES_PER_TEXT * len(texts)


def _server_actors_page(kind: str | None, kinds: Sequence[str], guild: int) -> str:
    """SQL: a page (``?1`` rows from ``?2``) of the actors a server with articles of its own sees, as
    :func:`_operator_actors_page` orders them, their mentions summed over both libraries. Only actors that
    can reach the page are summed: all the server's own, and of each kind the operator's with at least
    as many mentions as its ``?3``-th (``?3`` = offset + limit). Any other has fewer mentions in all than
    ``?3`` actors of its kind, so it sorts after the page."""
    known = _known_kinds(kind)
    leaders = [
        f"""SELECT actor_id FROM actor_libraries WHERE library = 0 AND kind = '{name}'
            AND mentions >= coalesce((SELECT mentions FROM actor_libraries
                                      WHERE library = 0 AND kind = '{name}'
                                      ORDER BY mentions DESC LIMIT 1 OFFSET ?3 - 1), 0)"""
        for name in ([kind] if kind else known)
    ]
    own = f"SELECT actor_id FROM actor_libraries WHERE library = {guild}"
    if kind:
        own += f" AND kind = '{kind}'"
    return f"""WITH reach(actor_id) AS ({" UNION ".join([own, *leaders])})
        SELECT a.name, a.kind, sum(l.mentions) AS mentions, sum(l.documents) AS documents,
               (SELECT x.role FROM actor_libraries x WHERE x.actor_id = a.id AND x.role IS NOT NULL
                AND x.library IN (0, {guild}) ORDER BY x.role_published DESC LIMIT 1) AS role
        FROM reach JOIN actor_libraries l ON l.actor_id = reach.actor_id AND l.library IN (0, {guild})
        JOIN actors a ON a.id = reach.actor_id
        GROUP BY a.id
        ORDER BY instr(?4, ',' || a.kind || ','), mentions DESC, a.name
        LIMIT ?1 OFFSET ?2"""


async def _connect(path: Path) -> aiosqlite.Connection:
    try:
        conn = await aiosqlite.connect(
            path.resolve().as_uri() + "?mode=rw",
            uri=True,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot open the store ({error})") from None
    conn.row_factory = sqlite3.Row
    await conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _topic_hits(window: int) -> str:
    """The statements whose text, or whose sentence, matches the FTS query ``?1``: the ``window`` most
    recently stored matches of each (-1: all), as the CTE ``hits``."""
    recent = f" ORDER BY rowid DESC LIMIT {int(window)}"
    return f"""WITH hits(id) AS (
    SELECT rowid FROM (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?1{recent})
    UNION
    SELECT x.id FROM (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?1{recent}) f
    CROSS JOIN sentences y ON y.id = f.rowid
    CROSS JOIN quotes x
        ON x.document_id = y.document_id AND x.paragraph = y.paragraph AND x.sentence = y.position)
"""


def _citation(row: sqlite3.Row, sentence: str = "sentence") -> Citation:
    return Citation(row["key"], row["title"], row["paragraph"], row[sentence])


def _date(text: str | None) -> PartialDate | None:
    return PartialDate.from_iso(text) if text else None


def _relation_label(kind: RelationType, direction: Direction) -> str:
    """How the link reads from the profile's actor: Haftar "backed by" Russia when Russia backs Haftar."""
    if direction == "both":
        return "ally of"
    return (_OUT_LABELS if direction == "out" else _IN_LABELS)[kind]


T = TypeVar("T")


def _actor_counts(conn: sqlite3.Connection, kind: ActorKind | None, own: int) -> dict[str, int]:
    """The operator's actors per kind (kept by the store), plus those only the library ``own`` (a server's
    own, 0 for none) names."""
    rows = _rows(
        conn,
        "SELECT kind, actors FROM library_kinds WHERE library = 0 AND (?1 IS NULL OR kind = ?1)",
        (kind,),
    )
    if own:
        rows += _rows(
            conn,
            """SELECT own.kind, count(*) FROM actor_libraries own
               WHERE own.library = ?2 AND (?1 IS NULL OR own.kind = ?1) AND NOT EXISTS (
                   SELECT 1 FROM actor_libraries o WHERE o.library = 0 AND o.actor_id = own.actor_id)
               GROUP BY own.kind""",
            (kind, own),
        )
    counts: dict[str, int] = {}
    for row in rows:
        if row[1]:
            counts[row[0]] = counts.get(row[0], 0) + int(row[1])
    return counts


class _Reader:
    """A read-only connection with a thread of its own: :meth:`read` runs a function of the connection there,
    in one read transaction, so the queries of one answer agree and cost one hop from the event loop."""

    def __init__(self, conn: sqlite3.Connection, pool: ThreadPoolExecutor) -> None:
        self._conn = conn
        self._pool = pool

    @classmethod
    async def open(cls, path: Path) -> _Reader:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-reader")
        try:
            conn = await asyncio.get_running_loop().run_in_executor(pool, _open_reader, path)
        except BaseException:
            pool.shutdown(wait=False)
            raise
        return cls(conn, pool)

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._in_transaction, work)

    def _in_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        self._conn.execute("BEGIN")
        try:
            return work(self._conn)
        finally:
            self._conn.execute("COMMIT")  # a read transaction: nothing to roll back

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._pool, self._conn.close)
        self._pool.shutdown(wait=False)


def _open_reader(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            path.resolve().as_uri() + "?mode=ro",
            uri=True,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,  # only ever used on the reader's one thread
        )
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot open the store ({error})") from None
    conn.row_factory = sqlite3.Row
    return conn


def _rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
    return conn.execute(sql, tuple(params)).fetchall()


def _names_by_library(
    conn: sqlite3.Connection,
) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
    """Which names each library knows (folded name → canonical name): an actor's name where a document of
    it names the actor, and apart, an alias where a document of it gives the alias."""
    rows = conn.execute(
        """SELECT a.name AS actor, a.name, al.library, 0 AS alias
           FROM actors a JOIN actor_libraries al ON al.actor_id = a.id
           UNION ALL
           SELECT DISTINCT a.name, al.alias, d.library, 1
           FROM actor_aliases al JOIN actors a ON a.id = al.actor_id
           JOIN actor_alias_sources src ON src.alias_id = al.id
           JOIN documents d ON d.id = src.document_id"""
    )
    names: dict[int, dict[str, str]] = {}
    aliases: dict[int, dict[str, str]] = {}
    for row in rows:
        table = aliases if row["alias"] else names
        table.setdefault(row["library"], {}).setdefault(normalize_name(row["name"]), row["actor"])
    return names, aliases


class Store:
    """Async reader over one store file (writes only the ``meta`` table).

    Each answer's queries run together on the reader's own thread, in one read transaction: one hop from
    the event loop per answer, however many queries it takes (a hop costs about 0.1 ms; an answer took
    4 to 10). The bot's own tables (settings, feeds, briefings) use :meth:`transaction`."""

    def __init__(
        self, conn: aiosqlite.Connection, path: Path, background: aiosqlite.Connection, reader: _Reader
    ) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        # Long reads done after an answer was deferred (a briefing's material) have a connection of their
        # own, so the commands' short reads never wait behind them on the reader's thread.
        self._background = background
        self._background_lock = asyncio.Lock()
        self._reader = reader
        # Per library: folded canonical name → canonical name, and folded alias → canonical name.
        self._names: dict[int, dict[str, str]] = {}
        self._aliases: dict[int, dict[str, str]] = {}
        self._data_version = -1
        self._wal = Path(f"{path}-wal")
        self._wal_mark: tuple[int, int] | None = None  # the WAL file's (time, size) at the last look
        self._checked_at = -RECHECK_S
        self.generation = 0  # goes up each time refresh sees a commit, so caches over the store know
        # Profiles only change when an ingest commits (which refresh notices), so each is built once.
        self._profiles: OrderedDict[tuple[int, str], tuple[ActorProfile, int]] = OrderedDict()
        self._profile_bytes = 0

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """Open an existing store (upgrading an older schema); :class:`StoreError` if missing or unusable."""
        path = Path(path)
        await asyncio.to_thread(lambda: connect(path, create=False).close())
        opened: list[aiosqlite.Connection] = []
        try:
            opened.append(await _connect(path))
            opened.append(await _connect(path))
            reader = await _Reader.open(path)
        except BaseException:
            for conn in opened:
                await conn.close()
            raise
        store = cls(opened[0], path, opened[1], reader)
        await store.refresh()
        return store

    async def close(self) -> None:
        # A read-write connection closes last: it checkpoints the WAL and removes it.
        await self._reader.close()
        await self._background.close()
        await self._conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def refresh(self) -> bool:
        """Reload the name index if another connection committed since the last look; True when it did.
        Cheap when nothing changed (a look at the WAL file's size and time, else one PRAGMA), so callers
        may run it before every command."""
        if not self._may_have_changed():
            return False
        async with self._lock:
            version = (await self._conn.execute_fetchall("PRAGMA data_version"))[0][0]
        if version == self._data_version:
            return False
        self._names, self._aliases = await self._reader.read(_names_by_library)
        self._profiles.clear()
        self._profile_bytes = 0
        self._data_version = version
        self.generation += 1
        return True

    def _may_have_changed(self) -> bool:
        """False when no connection can have committed since the last look: in WAL mode every commit
        writes to the WAL file, and it was last looked at less than :data:`RECHECK_S` ago (a file's
        times may be coarser than two commits apart). A stat, not a round trip to the reader's thread."""
        now = time.monotonic()
        try:
            stat = os.stat(self._wal)
            mark: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            mark = None
        if mark is not None and mark == self._wal_mark and now - self._checked_at < RECHECK_S:
            return False
        self._wal_mark, self._checked_at = mark, now
        return True

    def scope(self, guild: int | None) -> int:
        """The library set a server sees, as one key: its id if it has articles of its own, else 0 (it
        sees only the operator's, like every such server: they share caches)."""
        return int(guild) if guild and (guild in self._names or guild in self._aliases) else 0

    def _canonical(self, name: str, guild: int | None = None) -> str | None:
        """The actor this server can see whose name or alias is ``name`` (case, accents and "the" folded);
        no guessing here: :mod:`bot.resolve` turns what users type into canonical names."""
        key = normalize_name(name)
        for table in (self._names, self._aliases):
            for library in _libraries(guild):
                found = table.get(library, {}).get(key)
                if found is not None:
                    return found
        return None

    @asynccontextmanager
    async def transaction(
        self, *, write: bool = False, background: bool = False
    ) -> AsyncIterator[aiosqlite.Connection]:
        """The connection alone for one transaction (``BEGIN IMMEDIATE`` to write), rolled back on error:
        for the bot's own tables, whose queries live in their modules (e.g. :mod:`bot.store.briefings`).
        ``background``: a read of its own connection, for long reads no command should wait behind.

        ``BEGIN`` is inside the ``try``: a task cancelled while waiting for it (a briefing tick stopped at
        shutdown) still rolls back, since aiosqlite runs the queued ``BEGIN`` whether or not anyone waits."""
        if background and write:
            raise ValueError("the background connection only reads")
        conn, lock = (self._background, self._background_lock) if background else (self._conn, self._lock)
        async with lock:
            try:
                await conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield conn
            except BaseException:
                with suppress(sqlite3.OperationalError):  # the BEGIN itself may have failed
                    await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

    # -- documents -------------------------------------------------------------------------------------------

    async def stats(self, *, guild: int | None = None) -> StoreStats:
        """Counts and articles this server sees."""

        def work(conn: sqlite3.Connection) -> StoreStats:
            counts = _rows(conn, report.table_counts_sql(guild or 0))[0]
            documents = _rows(conn, report.document_stats_sql(guild or 0))
            version = _rows(conn, "PRAGMA user_version")[0][0]
            meta = _rows(conn, report.STATS_META_SQL)
            return report.build_stats(tuple(counts), (tuple(row) for row in documents), version, meta)

        return await self._reader.read(work)

    async def summary(self, *, guild: int | None = None, titles: int = 20) -> Summary:
        """Totals (kept by the store as rows change) and the newest titles this server sees."""
        newest = _documents_page(guild, ("ingested_at DESC", "key"))
        own = self.scope(guild)

        def work(conn: sqlite3.Connection) -> Summary:
            counts = _rows(
                conn,
                "SELECT coalesce(sum(documents), 0), coalesce(sum(events), 0), coalesce(sum(quotes), 0)"
                f" FROM library_totals t WHERE {visible(guild, 't')}",
            )[0]
            actors = sum(_actor_counts(conn, None, own).values())
            rows = _rows(
                conn,
                f"SELECT coalesce(d.title, d.key) FROM ({newest}) page JOIN documents d ON d.id = page.id"
                " ORDER BY d.ingested_at DESC, d.key",
                (titles,),
            )
            return Summary(counts[0], actors, counts[1], counts[2], tuple(row[0] for row in rows))

        return await self._reader.read(work)

    async def documents(
        self,
        *,
        guild: int | None = None,
        library: int | None = None,
        containing: str | None = None,
        limit: int = -1,
    ) -> list[DocumentInfo]:
        """The documents this server sees (or of one library only), newest publication first; with
        ``containing``, those whose title or key contains it (any case); at most ``limit`` (-1: all)."""
        where, params = "1", [limit]
        if containing:
            where = "instr(lower(coalesce(d.title, '') || char(10) || d.key), lower(?2)) > 0"
            params.append(containing)
        page = _documents_page(guild, _PUBLISHED_ORDER, where, library)

        def work(conn: sqlite3.Connection) -> list[DocumentInfo]:
            rows = _rows(
                conn,
                f"""SELECT d.id, d.key, d.title, d.author, d.published, d.source, d.url, d.ingested_at,
                          d.library, d.added_by
                   FROM ({page}) page JOIN documents d ON d.id = page.id
                   ORDER BY d.published DESC NULLS LAST, d.key""",
                params,
            )
            sizes = {
                row[0]: row[1]
                for row in _rows(
                    conn,
                    "SELECT document_id, max(number) FROM paragraphs WHERE document_id IN"
                    " (SELECT value FROM json_each(?)) GROUP BY document_id",
                    (json.dumps([r["id"] for r in rows]),),
                )
            }
            return [
                DocumentInfo(
                    r["key"],
                    r["title"],
                    r["author"],
                    _date(r["published"]),
                    r["source"],
                    r["url"],
                    sizes.get(r["id"], 0),
                    r["ingested_at"],
                    r["library"],
                    r["added_by"],
                )
                for r in rows
            ]

        return await self._reader.read(work)

    async def paragraph(self, document: str, number: int, *, guild: int | None = None) -> Paragraph | None:
        """Paragraph ``number`` (1-based) of the document with this key or title (case-insensitive)."""
        columns = "SELECT d.id, d.key, coalesce(d.title, d.key) AS title FROM documents d"

        def work(conn: sqlite3.Connection) -> Paragraph | None:
            rows = _rows(conn, f"{columns} WHERE d.key = ? AND {visible(guild)}", (document,))
            if not rows:  # a title, typed: compared folded (case, accents, "the")
                rows = _rows(conn, f"{columns} WHERE {visible(guild)} ORDER BY d.key")
            wanted = normalize_name(document)
            match = next((r for r in rows if r["key"] == document), None) or next(
                (r for r in rows if wanted and normalize_name(r["title"]) == wanted), None
            )
            if match is None:
                return None
            found = _rows(
                conn,
                """SELECT text, (SELECT count(*) FROM paragraphs WHERE document_id = ?) AS total
                   FROM paragraphs WHERE document_id = ? AND number = ?""",
                (match["id"], match["id"], number),
            )
            if not found:
                return None
            return Paragraph(
                Citation(match["key"], match["title"], number), found[0]["text"], found[0]["total"]
            )

        return await self._reader.read(work)

    # -- actors ----------------------------------------------------------------------------------------------

    async def actor_records(self, *, guild: int | None = None) -> list[ActorRecord]:
        """Every actor this server sees with the aliases, roles and mention count its libraries give:
        what :mod:`bot.resolve` indexes."""
        seen = visible(guild)

        def work(conn: sqlite3.Connection) -> tuple[list[sqlite3.Row], ...]:
            actors = _rows(
                conn,
                f"""SELECT a.id, a.name, a.kind, NULL AS role, sum(l.mentions) AS weight
                   FROM actors a JOIN actor_libraries l ON l.actor_id = a.id WHERE {visible(guild, "l")}
                   GROUP BY a.id ORDER BY a.id""",
            )
            aliases = _rows(
                conn,
                f"""SELECT DISTINCT al.actor_id, al.alias, al.id FROM actor_aliases al
                   JOIN actor_alias_sources src ON src.alias_id = al.id
                   JOIN documents d ON d.id = src.document_id WHERE {seen} ORDER BY al.id""",
            )
            # The latest role each library gives: what users name an actor by ("the RIAC director").
            roles = _rows(
                conn,
                f"""SELECT l.actor_id, l.role FROM actor_libraries l
                   WHERE l.role IS NOT NULL AND {visible(guild, "l")} ORDER BY l.role_published DESC""",
            )
            return actors, aliases, roles

        actors, aliases, roles = await self._reader.read(work)
        names: dict[int, list[str]] = {}
        for row in aliases:
            names.setdefault(row["actor_id"], []).append(row["alias"])
        given: dict[int, list[str]] = {}
        for row in roles:
            given.setdefault(row["actor_id"], []).append(row["role"])
        return [
            ActorRecord(
                r["name"],
                r["kind"],
                tuple(names.get(r["id"], ())),
                tuple(dict.fromkeys([*([r["role"]] if r["role"] else []), *given.get(r["id"], ())])),
                r["weight"],
            )
            for r in actors
        ]

    async def actors(
        self,
        kind: ActorKind | None = None,
        *,
        guild: int | None = None,
        kinds: Sequence[str] = (),
        limit: int = -1,
        offset: int = 0,
    ) -> list[ActorSummary]:
        """The actors this server sees (or those of one kind), grouped in the order of ``kinds`` (when
        given), most mentioned first; a page of them with ``limit`` and ``offset``."""
        if not self.scope(guild):  # the operator's library alone: a page of each kind from its index
            sql = _operator_actors_page(kind, kinds)
            params: tuple[Any, ...] = (int(limit) if limit >= 0 else 2**62, int(offset))
        else:  # the operator's and the server's counts summed, over the only actors that can reach the page
            sql = _server_actors_page(kind, kinds, int(guild or 0))
            reach = int(limit) + int(offset) if limit >= 0 else 2**62
            params = (int(limit), int(offset), reach, ",".join(["", *kinds, ""]))
        rows = await self._reader.read(lambda conn: _rows(conn, sql, params))
        return [ActorSummary(r["name"], r["kind"], r["role"], r["mentions"], r["documents"]) for r in rows]

    async def document_count(self, *, guild: int | None = None, library: int | None = None) -> int:
        """How many documents this server sees (or one library holds)."""
        where = visible(guild, "t") if library is None else f"t.library = {int(library)}"
        sql = f"SELECT coalesce(sum(t.documents), 0) FROM library_totals t WHERE {where}"
        return int((await self._reader.read(lambda conn: _rows(conn, sql)))[0][0])

    async def actor_counts(
        self, kind: ActorKind | None = None, *, guild: int | None = None
    ) -> dict[str, int]:
        """How many actors of each kind this server sees (of one kind only, with ``kind``)."""
        own = self.scope(guild)
        return await self._reader.read(lambda conn: _actor_counts(conn, kind, own))

    async def actor(self, name: str, *, guild: int | None = None) -> ActorProfile | None:
        """The cited profile of the actor named (or aliased) ``name``, from what this server sees; None if
        it sees no such actor."""
        canonical = self._canonical(name, guild)
        if canonical is None:
            return None
        cache_key = (self.scope(guild), canonical)
        if cache_key in self._profiles:
            self._profiles.move_to_end(cache_key)
            return self._profiles[cache_key][0]
        profile = await self._reader.read(lambda conn: self._profile(conn, canonical, guild))
        if profile is None:
            return None
        self._profiles[cache_key] = (profile, _footprint(profile))
        self._profile_bytes += self._profiles[cache_key][1]
        while self._profile_bytes > PROFILE_CACHE_BYTES and len(self._profiles) > 1:
            self._profile_bytes -= self._profiles.popitem(last=False)[1][1]
        return profile

    def _profile(self, conn: sqlite3.Connection, canonical: str, guild: int | None) -> ActorProfile | None:
        seen = visible(guild)
        found = _rows(conn, "SELECT id, name, kind FROM actors WHERE name = ?", (canonical,))
        if not found:
            return None
        actor_id = found[0]["id"]
        roles = self._roles(conn, actor_id, guild)
        aliases = [
            r["alias"]
            for r in _rows(
                conn,
                f"""SELECT DISTINCT al.alias FROM actor_aliases al
                    JOIN actor_alias_sources src ON src.alias_id = al.id
                    JOIN documents d ON d.id = src.document_id
                    WHERE al.actor_id = ? AND {seen} ORDER BY al.alias LIMIT {PROFILE_ALIASES}""",
                (actor_id,),
            )
        ]
        relations = self._relations(conn, actor_id, guild)
        events = self._actor_events(conn, actor_id, guild, PROFILE_EVENTS)
        quotes = self._speaker_quotes(conn, actor_id, guild, PROFILE_QUOTES)
        documents = self._actor_documents(conn, actor_id, guild)
        totals = (_rows(conn, _ACTOR_TOTALS_SQL.format(seen=visible(guild, "l")), (actor_id,)))[0]
        return ActorProfile(
            name=found[0]["name"],
            kind=found[0]["kind"],
            roles=roles,
            aliases=tuple(aliases),
            relations=relations,
            events=tuple(events),
            quotes=tuple(quotes),
            mentions=totals["mentions"],
            documents=documents,
            event_count=totals["events"],
            quote_count=totals["quotes"],
            document_count=totals["documents"],
        )

    def _roles(self, conn: sqlite3.Connection, actor_id: int, guild: int | None) -> tuple[RoleFact, ...]:
        """The latest roles documents give the actor (undated documents last), read in date order from the
        index of the documents that give one: most name an actor without one."""
        rows = _rows(
            conn,
            f"""SELECT ad.role, d.key, coalesce(d.title, d.key) AS title, ad.role_paragraph AS paragraph,
                      ad.role_sentence AS sentence
               FROM actor_documents ad INDEXED BY actor_documents_role
               JOIN documents d ON d.id = ad.document_id
               WHERE ad.actor_id = ? AND ad.role IS NOT NULL AND {visible(guild)}
               ORDER BY ad.published DESC, d.key LIMIT {PROFILE_ROLES}""",
            (actor_id,),
        )
        return tuple(RoleFact(r["role"], _citation(r) if r["paragraph"] is not None else None) for r in rows)

    def _relations(
        self, conn: sqlite3.Connection, actor_id: int, guild: int | None
    ) -> tuple[RelationGroup, ...]:
        """Links in both directions, grouped by (type, direction); ally_of reads the same both ways. Each
        group holds its best attested other actors (by name among equals), as many as a field can show,
        each with the first sentence that states the link, and counts the rest."""
        links: dict[tuple[RelationType, Direction], dict[str, tuple[int, int]]] = {}
        for row in _rows(conn, _LINKS_SQL.format(seen=visible(guild, "k")), (actor_id,)):
            # each other actor once per group: summed over libraries (and ally_of's two directions)
            group = links.setdefault((row["type"], row["direction"]), {})
            attested, first = group.get(row["name"], (0, row["first_id"]))
            group[row["name"]] = (attested + row["attested"], min(first, row["first_id"]))
        pages = {
            key: heapq.nsmallest(
                RELATIONS_PER_GROUP, group.items(), key=lambda other: (-other[1][0], other[0])
            )
            for key, group in sorted(
                links.items(), key=lambda item: (item[0][0], _DIRECTIONS.index(item[0][1]))
            )
        }
        firsts = [first for page in pages.values() for _, (_, first) in page]
        cited = {row["id"]: _citation(row) for row in _rows(conn, _FIRST_STATED_SQL, (json.dumps(firsts),))}
        return tuple(
            RelationGroup(
                type=kind,
                direction=direction,
                label=_relation_label(kind, direction),
                actors=tuple(
                    RelatedActor(name, (cited[first],), attested) for name, (attested, first) in page
                ),
                more=len(links[kind, direction]) - len(page),
            )
            for (kind, direction), page in pages.items()
        )

    def _actor_documents(
        self, conn: sqlite3.Connection, actor_id: int, guild: int | None
    ) -> tuple[ActorDocument, ...]:
        """The documents that mention the actor most (the profile shows a few), with the paragraphs."""
        documents = _rows(
            conn,
            f"""SELECT d.id, d.key, coalesce(d.title, d.key) AS title, ad.mentions
               FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
               WHERE ad.actor_id = ? AND ad.mentions > 0 AND {visible(guild)}
               ORDER BY ad.mentions DESC, d.key LIMIT {PROFILE_DOCUMENTS}""",
            (actor_id,),
        )
        paragraphs: dict[int, list[int]] = {}
        for row in _rows(
            conn,
            f"""SELECT DISTINCT document_id, paragraph FROM mentions
                WHERE actor_id = ? AND document_id IN ({",".join("?" * len(documents))})
                ORDER BY paragraph""",
            (actor_id, *(d["id"] for d in documents)),
        ):
            paragraphs.setdefault(row["document_id"], []).append(row["paragraph"])
        return tuple(
            ActorDocument(d["key"], d["title"], tuple(paragraphs.get(d["id"], ())), d["mentions"])
            for d in documents
        )

    def _actor_events(
        self, conn: sqlite3.Connection, actor_id: int, guild: int | None, limit: int, offset: int = 0
    ) -> list[EventFact]:
        """The actor's events in date order, one page, from the index the writer keeps."""
        rows = _rows(
            conn,
            _ACTOR_EVENTS_FROM.replace("SELECT", f"SELECT {_EVENT_COLUMNS}", 1)
            + f" WHERE ae.actor_id = ? AND {visible(guild, 'ae')}"
            + f" ORDER BY ae.date_first, ae.event_id LIMIT {int(limit)} OFFSET {int(offset)}",
            (actor_id,),
        )
        return self._event_facts(conn, rows)

    # -- events and quotes -----------------------------------------------------------------------------------

    async def timeline(
        self,
        actor: str | None = None,
        start: PartialDate | None = None,
        end: PartialDate | None = None,
        on: PartialDate | None = None,
        limit: int = 10,
        offset: int = 0,
        *,
        guild: int | None = None,
    ) -> TimelinePage:
        """Events in date order. An event counts when its span overlaps the asked span: a month-precision
        event falls within a range that overlaps its month. ``on`` narrows to one day, month or year."""
        limit, offset = max(0, limit), max(0, offset)
        first = max((d.first_day().isoformat() for d in (start, on) if d), default=None)
        last = min((d.last_day().isoformat() for d in (end, on) if d), default=None)
        span = " AND (?1 IS NULL OR e.date_last >= ?1) AND (?2 IS NULL OR e.date_first <= ?2)"
        if actor is None:
            if first is not None:
                return await self._reader.read(
                    lambda conn: self._events_from(conn, first, last, limit, offset, guild)
                )
            where, params = f" WHERE {visible(guild, 'e')}", []
            seen = visible(guild, "t")
            if last is not None:
                where += " AND e.date_first <= ?"
                params.append(last)
                counted = _EVENT_DAYS_SQL.format(seen=seen) + " AND t.date_first <= ?"
            else:
                counted = f"SELECT coalesce(sum(t.events), 0) FROM library_totals t WHERE {seen}"

            def page(conn: sqlite3.Connection) -> TimelinePage:
                total = _rows(conn, counted, params)[0][0]
                events = self._events(conn, where, params, limit, offset)
                return TimelinePage(tuple(events), total, offset, limit)

            return await self._reader.read(page)
        canonical = self._canonical(actor, guild)
        if canonical is None:
            return TimelinePage((), 0, offset, limit)
        # One actor: the writer's index of its events, read in date order a page at a time.
        where = (
            " WHERE ae.actor_id = (SELECT id FROM actors WHERE name = ?3)"
            f" AND {visible(guild, 'ae')}" + span.replace("e.date_first", "ae.date_first")
        )
        params = [first, last, canonical]
        if first is None and last is None:  # the writer's count
            counted = (
                "SELECT coalesce(sum(l.events), 0) FROM actor_libraries l"
                f" WHERE l.actor_id = (SELECT id FROM actors WHERE name = ?3) AND {visible(guild, 'l')}"
            )
        else:
            counted = _ACTOR_EVENTS_FROM.replace("SELECT", "SELECT count(*)", 1) + where

        def actor_page(conn: sqlite3.Connection) -> TimelinePage:
            total = _rows(conn, counted, params)[0][0]
            rows = _rows(
                conn,
                _ACTOR_EVENTS_FROM.replace("SELECT", f"SELECT {_EVENT_COLUMNS}", 1)
                + where
                + f" ORDER BY ae.date_first, ae.event_id LIMIT {int(limit)} OFFSET {int(offset)}",
                params,
            )
            events = self._event_facts(conn, rows)
            return TimelinePage(tuple(events), total, offset, limit)

        return await self._reader.read(actor_page)

    def _events_from(
        self,
        conn: sqlite3.Connection,
        first: str,
        last: str | None,
        limit: int,
        offset: int,
        guild: int | None,
    ) -> TimelinePage:
        """The events overlapping ``first``..``last`` (ISO days): those that began earlier and run into the
        span (month- or year-precise, so at most a year earlier: read from their own small index), then
        those that begin within it (the date index). The first all sort before the second, so a page is
        read from one, the other or both, never by walking the year before the span."""
        seen = visible(guild, "e")
        earliest = (dt.date.fromisoformat(first) - dt.timedelta(days=366)).isoformat()
        # Written out only when given: "? IS NULL OR" would keep the date index from using the bound.
        until, until_params = (" AND e.date_first <= ?", [last]) if last else ("", [])
        before = (
            f" WHERE {seen} AND e.date_first != e.date_last AND e.date_first >= ? AND e.date_first < ?"
            f" AND e.date_last >= ?{until}"
        )
        before_params = [earliest, first, first, *until_params]
        within = f" WHERE {seen} AND e.date_first >= ?{until}"
        within_params = [first, *until_params]
        running = (_rows(conn, "SELECT count(*) FROM events e" + before, before_params))[0][0]
        days = _EVENT_DAYS_SQL.format(seen=visible(guild, "t")) + " AND t.date_first >= ?"
        days += until.replace("e.", "t.")
        total = running + (_rows(conn, days, within_params))[0][0]
        events = []
        if offset < running:
            events = self._events(conn, before, before_params, limit, offset)
        if len(events) < limit:
            more = limit - len(events)
            events += self._events(conn, within, within_params, more, max(0, offset - running))
        return TimelinePage(tuple(events), total, offset, limit)

    async def event_years(self, month: int, day: int | None = None, *, guild: int | None = None) -> list[int]:
        """Years with an event on that day (or in that month) dated at least to the month: where the
        articles are, for a date typed without a year."""
        first = f"{month:02d}-{day or 1:02d}"
        last = f"{month:02d}-{day or 31:02d}"
        rows = await self._reader.read(
            lambda conn: _rows(
                conn,
                f"""SELECT DISTINCT CAST(substr(date_first, 1, 4) AS INTEGER) AS year
                   FROM events e JOIN documents d ON d.id = e.document_id
                   WHERE {visible(guild)} AND substr(date_first, 1, 4) = substr(date_last, 1, 4)
                     AND julianday(date_last) - julianday(date_first) < 31
                     AND substr(date_first, 6, 5) <= ? AND substr(date_last, 6, 5) >= ?
                   ORDER BY year""",
                (last, first),
            )
        )
        return [row["year"] for row in rows]

    def _events(
        self, conn: sqlite3.Connection, where: str, params: Iterable[Any], limit: int = -1, offset: int = 0
    ) -> list[EventFact]:
        rows = _rows(
            conn, _EVENT_SQL + where + _EVENT_ORDER + f" LIMIT {int(limit)} OFFSET {int(offset)}", params
        )
        return self._event_facts(conn, rows)

    def _event_facts(self, conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[EventFact]:
        """Events from their rows, with the actors each links."""
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        names: dict[int, list[str]] = {}
        for row in _rows(
            conn,
            f"""SELECT ea.event_id, a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
                WHERE ea.event_id IN ({",".join("?" * len(ids))}) ORDER BY ea.position""",
            ids,
        ):
            names.setdefault(row["event_id"], []).append(row["name"])
        return [
            EventFact(
                PartialDate.from_iso(r["date"]),
                r["summary"],
                tuple(names.get(r["id"], ())),
                r["evidence"],
                _citation(r),
            )
            for r in rows
        ]

    async def quotes(
        self,
        speaker: str | None = None,
        topic: str | Sequence[Term] | None = None,
        limit: int = 25,
        *,
        guild: int | None = None,
    ) -> list[QuoteFact]:
        """Quotes in date order, optionally by one speaker (name or alias) and/or about a topic: every
        term (word forms count) in the whole quote or in its sentence. A topic is looked for among the
        :data:`SEARCH_WINDOW` most recently stored matches (in the whole store when they give too few), so
        a common word costs what the answer shows."""
        clause = f" WHERE {visible(guild)}"
        params: list[Any] = []
        if speaker is not None:
            canonical = self._canonical(speaker, guild)
            if canonical is None:
                return []
            clause, params = clause + " AND a.name = ?", [canonical]
        if topic:
            query = fts_match(parse_terms(topic) if isinstance(topic, str) else list(topic))
            if query is None:
                return []

            def about(conn: sqlite3.Connection) -> list[QuoteFact]:
                found = self._quotes(
                    conn, clause, params, limit, hits=_topic_hits(SEARCH_WINDOW), query=query
                )
                if len(found) < limit:
                    found = self._quotes(conn, clause, params, limit, hits=_topic_hits(-1), query=query)
                return found

            return await self._reader.read(about)
        if speaker is None:
            return await self._reader.read(lambda conn: self._quotes(conn, clause, params, limit))

        def by(conn: sqlite3.Connection) -> list[QuoteFact]:
            found = _rows(conn, "SELECT id FROM actors WHERE name = ?", params)
            return self._speaker_quotes(conn, found[0][0], guild, limit) if found else []

        return await self._reader.read(by)

    def _speaker_quotes(
        self, conn: sqlite3.Connection, actor_id: int, guild: int | None, limit: int
    ) -> list[QuoteFact]:
        """A speaker's statements in date order, undated last. The page's dates come from the (speaker,
        date) index, and only the statements up to its last date (those sharing it sort by article) are
        read and sorted, not every statement of a much-quoted speaker."""
        seen = f"q.speaker_id = ? AND {visible(guild, 'q')}"
        dates = _rows(
            conn,
            f"SELECT q.date FROM quotes q INDEXED BY quotes_speaker_date WHERE {seen} AND q.date IS NOT NULL"
            " ORDER BY q.date LIMIT ?",
            (actor_id, limit),
        )
        if limit >= 0 and len(dates) == limit:  # the page is dated through: up to its last date
            return self._quotes(
                conn, f" WHERE {seen} AND q.date IS NOT NULL AND q.date <= ?", (actor_id, dates[-1][0]), limit
            )
        return self._quotes(conn, f" WHERE {seen}", (actor_id,), limit)  # undated ones complete the page

    async def random_quote(self, rng: random.Random, *, guild: int | None = None) -> QuoteFact | None:
        """A quote this server sees, chosen with ``rng`` (so tests and replays can seed it); None if none.

        Ids drawn uniformly between the lowest and highest, the first that is a statement this server sees
        taken: every statement equally likely, from one read of a few rows."""
        return await self._reader.read(lambda conn: self._random_quote(conn, rng, guild))

    def _random_quote(
        self, conn: sqlite3.Connection, rng: random.Random, guild: int | None
    ) -> QuoteFact | None:
        bounds = "SELECT (SELECT min(id) FROM quotes), (SELECT max(id) FROM quotes)"
        low, high = (_rows(conn, bounds))[0]
        if low is None:
            return None
        picks = [rng.randint(low, high) for _ in range(RANDOM_QUOTE_DRAWS)]
        rows = _rows(
            conn,
            "SELECT q.id FROM quotes q"
            f" WHERE q.id IN (SELECT value FROM json_each(?)) AND {visible(guild, 'q')}",
            (json.dumps(picks),),
        )
        found = {row[0] for row in rows}
        chosen = next((pick for pick in picks if pick in found), None)
        if chosen is None:  # this server sees few of the store's statements: draw among its own
            chosen = self._random_quote_id(conn, rng, guild)
            if chosen is None:
                return None
        return (self._quotes(conn, " WHERE q.id = ?", (chosen,)))[0]

    def _random_quote_id(self, conn: sqlite3.Connection, rng: random.Random, guild: int | None) -> int | None:
        """A document drawn in proportion to its statements (the counts the writer keeps), then one of
        its statements: every statement equally likely, without counting them all."""
        documents = _rows(
            conn,
            f"SELECT d.id, d.quote_count FROM documents d WHERE {visible(guild)} AND d.quote_count > 0"
            " ORDER BY d.id",
        )
        total = sum(row[1] for row in documents)
        if not total:
            return None
        pick = rng.randrange(total)
        document = documents[-1][0]
        for row in documents:
            if pick < row[1]:
                document = row[0]
                break
            pick -= row[1]
        chosen = _rows(
            conn, "SELECT id FROM quotes WHERE document_id = ? ORDER BY id LIMIT 1 OFFSET ?", (document, pick)
        )
        return chosen[0][0]

    async def speakers(self, *, guild: int | None = None, limit: int = 10) -> list[str]:
        """Who spoke in the statements this server sees that were stored last (names, most recent first)."""
        sql = (
            "SELECT a.name FROM quotes q JOIN actors a ON a.id = q.speaker_id"
            f" WHERE {visible(guild, 'q')} ORDER BY q.id DESC LIMIT ?"
        )
        rows = await self._reader.read(lambda conn: _rows(conn, sql, (limit * 20,)))
        return list(dict.fromkeys(row[0] for row in rows))[:limit]

    def _quotes(
        self,
        conn: sqlite3.Connection,
        clause: str,
        params: Iterable[Any],
        limit: int = -1,
        *,
        hits: str = "",
        query: str = "",
    ) -> list[QuoteFact]:
        """Quotes matching ``clause``; with ``hits`` (see :func:`_topic_hits`), only those among them."""
        # The page's ids first, then their sentences: joining every match's sentence before the sort cost
        # what a much-quoted speaker's statements number.
        page = _QUOTE_PAGE_SQL + clause + _QUOTE_ORDER + f" LIMIT {int(limit)}"
        if hits:
            page = page.replace("FROM quotes q", "FROM hits CROSS JOIN quotes q ON q.id = hits.id", 1)
            params = [query, *params]
        sql = (
            (hits + ", " if hits else "WITH ")
            + f"page(id) AS ({page})"
            + _QUOTE_SQL.replace("FROM quotes q", "FROM page CROSS JOIN quotes q ON q.id = page.id", 1)
            + _QUOTE_ORDER
        )
        return [
            QuoteFact(
                r["speaker"], r["kind"], r["text"], _date(r["date"]), r["sentence"], _citation(r, "position")
            )
            for r in _rows(conn, sql, params)
        ]

    # -- full text -------------------------------------------------------------------------------------------

    async def search(
        self,
        text: str | Sequence[Term],
        limit: int = 10,
        *,
        marks: tuple[str, str] = ("**", "**"),
        guild: int | None = None,
    ) -> list[SearchHit]:
        """Sentences matching every term (any of them if none match all), best first, with the matched
        words wrapped in ``marks``. Word forms match ("strike" finds "strikes"). Any text is safe: it is
        reduced to quoted words and phrases."""
        terms = parse_terms(text) if isinstance(text, str) else list(text)
        every_term = fts_match(terms)
        if every_term is None or limit <= 0:
            return []
        any_term = fts_match(terms, any_term=True)

        def work(conn: sqlite3.Connection) -> list[SearchHit]:
            hits = self._search(conn, every_term, limit, marks, guild)
            if not hits and any_term and any_term != every_term:
                hits = self._search(conn, any_term, limit, marks, guild)
            return hits

        return await self._reader.read(work)

    def _search(
        self, conn: sqlite3.Connection, query: str, limit: int, marks: tuple[str, str], guild: int | None
    ) -> list[SearchHit]:
        """Best first among the :data:`SEARCH_WINDOW` most recently stored matching sentences: ranking
        every match of a common word would cost what the store holds, not what the answer shows. Where the
        window leaves too few for this server, the whole store is ranked."""
        sql = f"""SELECT snippet(sentences_fts, 0, ?, ?, '…', ?) AS snippet, s.text, d.key,
                         coalesce(d.title, d.key) AS title, s.paragraph, s.position
                  FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid
                  JOIN documents d ON d.id = s.document_id
                  WHERE sentences_fts MATCH ? AND sentences_fts.rowid >= ? AND {visible(guild)}
                  ORDER BY rank, s.id LIMIT ?"""
        edge = _rows(
            conn,
            "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (query, SEARCH_WINDOW - 1),
        )
        since = edge[0][0] if edge else 0
        rows = _rows(conn, sql, (marks[0], marks[1], _SNIPPET_TOKENS, query, since, limit))
        if since and len(rows) < limit:
            rows = _rows(conn, sql, (marks[0], marks[1], _SNIPPET_TOKENS, query, 0, limit))
        return [SearchHit(_citation(r, "position"), r["snippet"], r["text"]) for r in rows]

    # -- meta ------------------------------------------------------------------------------------------------

    async def meta(self, key: str) -> str | None:
        rows = await self._reader.read(
            lambda conn: _rows(conn, "SELECT value FROM meta WHERE key = ?", (key,))
        )
        return rows[0]["value"] if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        """Record a small bot setting (e.g. the hash of the synced app commands)."""
        async with self._lock:
            await self._conn.execute(SET_META_SQL, (key, value))
