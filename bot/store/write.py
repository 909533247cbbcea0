"""The synchronous writer: one extraction replaces one document's facts. The caller owns the transaction.

Actors are shared across documents. An incoming actor joins a stored one when any of its names (the
canonical name or an alias, normalised by :func:`normalize_name`) is already a stored canonical name or
alias; otherwise it becomes a new actor. The first canonical name stays canonical, later spellings
become aliases. A document's own aliases are recorded per document so replacing the document can drop
them; :func:`finish_run` then removes aliases and actors no document refers to any more.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.extract.model import Actor, Event, Extraction, PartialDate, Quote
from bot.store.names import normalize_name
from bot.store.schema import ACTOR_EVENTS_SQL, ACTOR_LIBRARIES_SQL, ACTOR_LINKS_SQL

# Bump when the writer derives stored facts differently, so stores written by an older writer are rebuilt.
WRITER_VERSION = 1
SET_META_SQL = (
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


@dataclass(frozen=True)
class Fingerprint:
    """What decides whether a stored document is still current."""

    content_hash: str
    extractor_version: str
    path: str | None


OPERATOR_LIBRARY = 0  # the host's articles, visible in every server; a server's library is its guild id


@dataclass(frozen=True)
class Origin:
    """Where a document comes from: the operator's library, or a server's (with who added it and its
    text, kept because no file on the host holds it)."""

    library: int = OPERATOR_LIBRARY
    added_by: int | None = None
    text: str | None = None
    url_key: str | None = None  # the normalised URL, to refuse the same page twice


@dataclass(frozen=True)
class DocumentCounts:
    actors: int
    events: int
    quotes: int


def text_hash(paragraphs: Sequence[str]) -> str:
    """The article's text alone (not its metadata): the same article added as a file and as a page matches."""
    return hashlib.sha256("\n\n".join(" ".join(p.split()) for p in paragraphs).encode()).hexdigest()


def fingerprints(conn: sqlite3.Connection, library: int = OPERATOR_LIBRARY) -> dict[str, Fingerprint]:
    rows = conn.execute(
        "SELECT key, content_hash, extractor_version, path FROM documents WHERE library = ?", (library,)
    )
    return {key: Fingerprint(content_hash, version, path) for key, content_hash, version, path in rows}


def document_counts(conn: sqlite3.Connection, key: str) -> DocumentCounts:
    row = conn.execute(
        """SELECT (SELECT count(*) FROM actor_documents WHERE document_id = d.id),
                  (SELECT count(*) FROM events WHERE document_id = d.id),
                  (SELECT count(*) FROM quotes WHERE document_id = d.id)
           FROM documents d WHERE d.key = ?""",
        (key,),
    ).fetchone()
    return DocumentCounts(*row) if row else DocumentCounts(0, 0, 0)


def delete_document(conn: sqlite3.Connection, key: str) -> bool:
    """Delete a document and, by cascade, everything cited from it. Call :func:`finish_run` afterwards."""
    return conn.execute("DELETE FROM documents WHERE key = ?", (key,)).rowcount > 0


def set_path(conn: sqlite3.Connection, key: str, path: str | None) -> None:
    conn.execute("UPDATE documents SET path = ? WHERE key = ?", (path, key))


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(SET_META_SQL, (key, value))


def write_extraction(
    conn: sqlite3.Connection,
    extraction: Extraction,
    extractor_version: str,
    ingested_at: str,
    origin: Origin = Origin(),
) -> DocumentCounts:
    """Replace the document's rows with this extraction. Raises ``sqlite3.IntegrityError`` when the
    extraction cites a paragraph or sentence the document does not have."""
    document = extraction.document
    before = conn.execute(
        "SELECT content_hash, ingested_at FROM documents WHERE key = ?", (document.key,)
    ).fetchone()
    if before is not None and before[0] == document.content_hash:
        ingested_at = before[1]  # read again (a new extractor), not new: briefings do not announce it again
    delete_document(conn, document.key)
    document_id = _insert_document(conn, extraction, extractor_version, ingested_at, origin)
    sentences = {(s.paragraph, s.index): s.text for s in extraction.sentences}
    actors = _DocumentActors(conn, document_id, origin.library)
    for actor in extraction.actors:
        actors.add(actor, _role_position(actor, sentences))
    for actor in extraction.actors:
        _insert_actor_facts(conn, document_id, actors, actor)
    for event in extraction.events:
        _insert_event(conn, document_id, actors, event)
    for quote in extraction.quotes:
        _insert_quote(conn, document_id, actors, quote)
    _count(conn, document_id)
    return document_counts(conn, document.key)


def _count(conn: sqlite3.Connection, document_id: int) -> None:
    """The counts and the actor-event index the readers use instead of counting rows."""
    conn.execute(
        """UPDATE actor_documents SET mentions = (
               SELECT count(*) FROM mentions m
               WHERE m.actor_id = actor_documents.actor_id AND m.document_id = ?1)
           WHERE document_id = ?1""",
        (document_id,),
    )
    conn.execute(
        """UPDATE documents SET event_count = (SELECT count(*) FROM events WHERE document_id = ?1),
                                quote_count = (SELECT count(*) FROM quotes WHERE document_id = ?1)
           WHERE id = ?1""",
        (document_id,),
    )
    conn.execute(
        "INSERT OR IGNORE INTO actor_events (actor_id, date_first, event_id, library) "
        + ACTOR_EVENTS_SQL.format(where="e.document_id = ?1"),
        (document_id,),
    )


def document_actor_ids(conn: sqlite3.Connection, key: str) -> set[int]:
    """The actors a stored document names (their headline roles may change with it)."""
    rows = conn.execute(
        "SELECT actor_id FROM actor_documents JOIN documents d ON d.id = document_id WHERE d.key = ?", (key,)
    )
    return {actor_id for (actor_id,) in rows}


def finish_run(
    conn: sqlite3.Connection,
    extractor_version: str,
    finished_at: str,
    started_at: str,
    actor_ids: Collection[int] | None = None,
) -> None:
    """After documents changed: drop orphans, settle the headline role of ``actor_ids`` (every actor when
    None), record the run. Only the actors of the documents changed can have rows to change, so with
    ``actor_ids`` each statement reads theirs alone: a write costs the same however large the store."""
    ids = None if actor_ids is None else json.dumps(sorted(actor_ids))
    chosen = "1" if ids is None else "{column} IN (SELECT value FROM json_each(?1))"
    params = () if ids is None else (ids,)
    conn.execute("DELETE FROM actor_aliases WHERE id NOT IN (SELECT alias_id FROM actor_alias_sources)")
    conn.execute(
        f"""DELETE FROM actors WHERE {chosen.format(column="id")}
            AND NOT EXISTS (SELECT 1 FROM actor_documents WHERE actor_id = actors.id)""",
        params,
    )
    conn.execute(f"DELETE FROM actor_libraries WHERE {chosen.format(column='actor_id')}", params)
    conn.execute(ACTOR_LIBRARIES_SQL.format(where=chosen.format(column="ad.actor_id")), params)
    _relink(conn, ids)
    # The headline role is the one given by the most recently published document that gives any.
    conn.execute(
        f"""UPDATE actors SET role = (
               SELECT ad.role FROM actor_documents ad INDEXED BY actor_documents_role
               JOIN documents d ON d.id = ad.document_id
               WHERE ad.actor_id = actors.id AND ad.role IS NOT NULL
               ORDER BY ad.published DESC, d.key LIMIT 1)
           WHERE {chosen.format(column="id")}""",
        params,
    )
    generation = int(get_meta(conn, "generation") or 0) + 1
    for key, value in (
        ("generation", str(generation)),
        ("extractor_version", extractor_version),
        ("last_ingest", started_at),
        ("updated_at", finished_at),
    ):
        set_meta(conn, key, value)


def merge_search_indexes(conn: sqlite3.Connection) -> None:
    """Merge each full-text index into one b-tree (FTS5's ``optimize``). Documents written one at a time
    leave many small segments, and a common word is then read from each of them: at 10,000 articles a
    /search read 1.25 ms of SQL before and 0.94 ms after. It rewrites the whole index (a quarter of a
    second at 10,000 articles), so the batch ingest runs it after a large run, the weekly upkeep after its
    check."""
    for table in ("sentences_fts", "quotes_fts"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def _relink(conn: sqlite3.Connection, ids: str | None) -> None:
    """Group again the links between the actors in ``ids`` (a JSON list; None: every link). A link is
    between two actors of one document, so the links a changed document held or holds are all between
    its actors: each pair of them is read from its own index, not every link of a much-linked actor."""
    if ids is None:
        conn.execute("DELETE FROM actor_links")
        conn.execute(ACTOR_LINKS_SQL.format(where="1"))
        return
    among = "IN (SELECT value FROM json_each(?1))"
    conn.execute(f"DELETE FROM actor_links WHERE actor_id {among} AND target_id {among}", (ids,))
    conn.execute(ACTOR_LINKS_SQL.format(where=f"r.actor_id {among} AND r.target_id {among}"), (ids,))


def _insert_document(
    conn: sqlite3.Connection, extraction: Extraction, version: str, ingested_at: str, origin: Origin
) -> int:
    document = extraction.document
    published = document.published
    cursor = conn.execute(
        """INSERT INTO documents (key, title, author, published, published_precision, source, url,
                                  content_hash, extractor_version, path, ingested_at, library, added_by,
                                  url_key, text_hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            document.key,
            document.title,
            document.author,
            published.iso() if published else None,
            published.precision if published else None,
            document.source,
            document.url,
            document.content_hash,
            version,
            document.path,
            ingested_at,
            origin.library,
            origin.added_by,
            origin.url_key,
            text_hash(document.paragraphs),
        ),
    )
    document_id = int(cursor.lastrowid or 0)
    if origin.text is not None:
        conn.execute(
            "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", (document_id, origin.text)
        )
    conn.executemany(
        "INSERT INTO paragraphs (document_id, number, text) VALUES (?, ?, ?)",
        [(document_id, number, text) for number, text in enumerate(document.paragraphs, start=1)],
    )
    conn.executemany(
        "INSERT INTO sentences (document_id, paragraph, position, text) VALUES (?, ?, ?, ?)",
        [(document_id, s.paragraph, s.index, s.text) for s in extraction.sentences],
    )
    return document_id


def _role_position(actor: Actor, sentences: dict[tuple[int, int], str]) -> tuple[int, int] | None:
    """The sentence to cite for the actor's role: a mention that states it, any sentence that does, or the
    first mention."""
    mentioned = [(m.paragraph, m.sentence) for m in actor.mentions]
    if actor.role:
        role = actor.role.casefold()
        for position in [*mentioned, *sentences]:
            if role in sentences.get(position, "").casefold():
                return position
    return mentioned[0] if mentioned else None


class _DocumentActors:
    """Maps the names one extraction uses to stored actor ids, creating and linking actors as needed.

    An actor is one identity across libraries (found by its canonical name), but an alias only links a
    name to an actor when a document of the operator's library or of this document's own library gives
    it: another server's articles never decide who a name is here."""

    def __init__(self, conn: sqlite3.Connection, document_id: int, library: int) -> None:
        self._conn = conn
        self._document_id = document_id
        self._library = library
        self._local: dict[str, int] = {}

    def add(self, actor: Actor, role_at: tuple[int, int] | None) -> int:
        names = [actor.name, *actor.aliases]
        keys = [key for key in (normalize_name(name) for name in names) if key]
        actor_id = next((self._local[key] for key in keys if key in self._local), None)
        actor_id = actor_id or self._find(keys) or self._create(actor.name, actor.kind)
        self._conn.execute(
            "UPDATE actors SET kind = ? WHERE id = ? AND kind = 'other'", (actor.kind, actor_id)
        )
        for name in names:
            self._add_alias(actor_id, name)
        for key in keys:
            self._local.setdefault(key, actor_id)
        role = actor.role or None
        paragraph, sentence = role_at if role and role_at else (None, None)
        self._conn.execute(
            """INSERT INTO actor_documents
                   (actor_id, document_id, role, role_paragraph, role_sentence, published)
               VALUES (?1, ?2, ?3, ?4, ?5, coalesce((SELECT published FROM documents WHERE id = ?2), ''))
               ON CONFLICT (actor_id, document_id) DO UPDATE SET
                   role = coalesce(role, excluded.role),
                   role_paragraph = iif(role IS NULL, excluded.role_paragraph, role_paragraph),
                   role_sentence = iif(role IS NULL, excluded.role_sentence, role_sentence)""",
            (actor_id, self._document_id, role, paragraph, sentence),
        )
        return actor_id

    def id_for(self, name: str) -> int:
        """The id behind a name used in a relation, event or quote; unknown names become 'other' actors."""
        key = normalize_name(name)
        if key in self._local:
            return self._local[key]
        return self.add(Actor(name=name, kind="other"), None)

    def _find(self, keys: list[str]) -> int | None:
        for key in keys:
            row = self._conn.execute("SELECT id FROM actors WHERE normalized = ?", (key,)).fetchone()
            if row:
                return int(row[0])
        for key in keys:
            row = self._conn.execute(
                """SELECT al.actor_id FROM actor_aliases al
                   JOIN actor_alias_sources src ON src.alias_id = al.id
                   JOIN documents d ON d.id = src.document_id
                   WHERE al.normalized = ? AND d.library IN (0, ?) LIMIT 1""",
                (key, self._library),
            ).fetchone()
            if row:
                return int(row[0])
        return None

    def _create(self, name: str, kind: str) -> int:
        cursor = self._conn.execute(
            "INSERT INTO actors (name, normalized, kind) VALUES (?, ?, ?)", (name, normalize_name(name), kind)
        )
        return int(cursor.lastrowid or 0)

    def _add_alias(self, actor_id: int, alias: str) -> None:
        """Record ``alias`` for this document unless it is a canonical name or another actor's alias."""
        key = normalize_name(alias)
        if not key or self._conn.execute("SELECT 1 FROM actors WHERE normalized = ?", (key,)).fetchone():
            return
        self._conn.execute(
            "INSERT INTO actor_aliases (actor_id, alias, normalized) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (actor_id, alias, key),
        )
        alias_id, owner = self._conn.execute(
            "SELECT id, actor_id FROM actor_aliases WHERE normalized = ?", (key,)
        ).fetchone()
        if owner == actor_id:
            self._conn.execute(
                "INSERT OR IGNORE INTO actor_alias_sources (alias_id, document_id) VALUES (?, ?)",
                (alias_id, self._document_id),
            )


def _insert_actor_facts(
    conn: sqlite3.Connection, document_id: int, actors: _DocumentActors, actor: Actor
) -> None:
    actor_id = actors.id_for(actor.name)
    conn.executemany(
        "INSERT INTO mentions (actor_id, surface, document_id, paragraph, sentence) VALUES (?, ?, ?, ?, ?)",
        [(actor_id, m.surface, document_id, m.paragraph, m.sentence) for m in actor.mentions],
    )
    conn.executemany(
        """INSERT INTO relations (actor_id, type, target_id, document_id, paragraph, sentence)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [
            (actor_id, r.type, actors.id_for(r.target), document_id, r.paragraph, r.sentence)
            for r in actor.relations
        ],
    )


def _insert_event(conn: sqlite3.Connection, document_id: int, actors: _DocumentActors, event: Event) -> None:
    date = event.date
    cursor = conn.execute(
        """INSERT INTO events (date, precision, date_first, date_last, summary, evidence,
                               document_id, paragraph, sentence, library)
           VALUES (?, ?, ?, ?, ?, ?, ?7, ?, ?, (SELECT library FROM documents WHERE id = ?7))""",
        (
            date.iso(),
            date.precision,
            date.first_day().isoformat(),
            date.last_day().isoformat(),
            event.summary,
            event.evidence,
            document_id,
            event.paragraph,
            event.sentence,
        ),
    )
    actor_ids = dict.fromkeys(actors.id_for(name) for name in event.actors)
    conn.executemany(
        "INSERT INTO event_actors (event_id, actor_id, position) VALUES (?, ?, ?)",
        [(cursor.lastrowid, actor_id, position) for position, actor_id in enumerate(actor_ids)],
    )


def _insert_quote(conn: sqlite3.Connection, document_id: int, actors: _DocumentActors, quote: Quote) -> None:
    date: PartialDate | None = quote.date
    conn.execute(
        """INSERT INTO quotes (speaker_id, kind, text, date, precision, document_id, paragraph, sentence,
                               library)
           VALUES (?, ?, ?, ?, ?, ?6, ?, ?, (SELECT library FROM documents WHERE id = ?6))""",
        (
            actors.id_for(quote.speaker) if quote.speaker else None,
            quote.kind,
            quote.text,
            date.iso() if date else None,
            date.precision if date else None,
            document_id,
            quote.paragraph,
            quote.sentence,
        ),
    )
