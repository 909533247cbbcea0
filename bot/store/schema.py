"""The store's schema as ordered forward migrations, and opening a store file safely.

``PRAGMA user_version`` holds the number of migrations applied. Each migration runs in its own
transaction together with the version bump, so a failure leaves the file at the previous version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
_TOKENIZER = "tokenize='unicode61 remove_diacritics 2'"  # versions 1-3
_STEMMING_TOKENIZER = "tokenize='porter unicode61 remove_diacritics 2'"  # from version 4
_KINDS = "'person', 'organization', 'country', 'armed_group', 'government', 'other'"
_PRECISIONS = "'day', 'month', 'year'"
# A cited fact points at one sentence; deleting the document (and so its sentences) deletes the fact.
_CITED = (
    "document_id INTEGER NOT NULL,\n    paragraph INTEGER NOT NULL,\n    sentence INTEGER NOT NULL,\n"
    "    FOREIGN KEY (document_id, paragraph, sentence)\n"
    "        REFERENCES sentences (document_id, paragraph, position) ON DELETE CASCADE"
)


class StoreError(RuntimeError):
    """The store file cannot be used; the message is one line naming the file and the reason."""


def _fts_table(table: str, content: str, tokenizer: str) -> str:
    options = f"text, content='{content}', content_rowid='id', {tokenizer}"
    return f"CREATE VIRTUAL TABLE {table} USING fts5({options})"


def _external_fts(table: str, content: str) -> tuple[str, ...]:
    """An FTS5 index over ``content.text`` kept in step by triggers (external content: no second copy)."""
    return (
        _fts_table(table, content, _TOKENIZER),
        f"CREATE TRIGGER {content}_fts_insert AFTER INSERT ON {content} BEGIN "
        f"INSERT INTO {table} (rowid, text) VALUES (new.id, new.text); END",
        f"CREATE TRIGGER {content}_fts_delete AFTER DELETE ON {content} BEGIN "
        f"INSERT INTO {table} ({table}, rowid, text) VALUES ('delete', old.id, old.text); END",
        f"CREATE TRIGGER {content}_fts_update AFTER UPDATE OF text ON {content} BEGIN "
        f"INSERT INTO {table} ({table}, rowid, text) VALUES ('delete', old.id, old.text); "
        f"INSERT INTO {table} (rowid, text) VALUES (new.id, new.text); END",
    )


_V1_CORE: tuple[str, ...] = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    f"""CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    title TEXT,
    author TEXT,
    published TEXT,
    published_precision TEXT CHECK (published_precision IN ({_PRECISIONS})),
    source TEXT,
    url TEXT,
    content_hash TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    path TEXT,
    ingested_at TEXT NOT NULL,
    CHECK ((published IS NULL) = (published_precision IS NULL))
)""",
    """CREATE TABLE paragraphs (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number >= 1),
    text TEXT NOT NULL,
    PRIMARY KEY (document_id, number)
) WITHOUT ROWID""",
    """CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    text TEXT NOT NULL,
    UNIQUE (document_id, paragraph, position),
    FOREIGN KEY (document_id, paragraph) REFERENCES paragraphs (document_id, number) ON DELETE CASCADE
)""",
    *_external_fts("sentences_fts", "sentences"),
    f"""CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    normalized TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ({_KINDS})),
    role TEXT
)""",
    """CREATE TABLE actor_aliases (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    normalized TEXT NOT NULL UNIQUE
)""",
    "CREATE INDEX actor_aliases_actor ON actor_aliases (actor_id)",
    # Which documents vouch for an alias: an alias no document uses any more is dropped.
    """CREATE TABLE actor_alias_sources (
    alias_id INTEGER NOT NULL REFERENCES actor_aliases (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (alias_id, document_id)
) WITHOUT ROWID""",
    "CREATE INDEX actor_alias_sources_document ON actor_alias_sources (document_id)",
    # An actor's presence in one document, with the role that document gives it and where.
    """CREATE TABLE actor_documents (
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    role TEXT,
    role_paragraph INTEGER,
    role_sentence INTEGER,
    PRIMARY KEY (actor_id, document_id),
    FOREIGN KEY (document_id, role_paragraph, role_sentence)
        REFERENCES sentences (document_id, paragraph, position) ON DELETE CASCADE
) WITHOUT ROWID""",
    "CREATE INDEX actor_documents_document ON actor_documents (document_id, role_paragraph, role_sentence)",
    f"""CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors (id),
    surface TEXT NOT NULL,
    {_CITED}
)""",
    "CREATE INDEX mentions_actor ON mentions (actor_id, document_id, paragraph)",
    "CREATE INDEX mentions_sentence ON mentions (document_id, paragraph, sentence)",
    f"""CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors (id),
    type TEXT NOT NULL CHECK (type IN ('leads', 'member_of', 'ally_of', 'backs', 'opposes')),
    target_id INTEGER NOT NULL REFERENCES actors (id),
    {_CITED}
)""",
    "CREATE INDEX relations_actor ON relations (actor_id, type)",
    "CREATE INDEX relations_target ON relations (target_id, type)",
    "CREATE INDEX relations_sentence ON relations (document_id, paragraph, sentence)",
    f"""CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    precision TEXT NOT NULL CHECK (precision IN ({_PRECISIONS})),
    date_first TEXT NOT NULL,
    date_last TEXT NOT NULL,
    summary TEXT NOT NULL,
    evidence TEXT NOT NULL,
    {_CITED},
    CHECK (date_first <= date_last)
)""",
    "CREATE INDEX events_date ON events (date_first, date_last)",
    "CREATE INDEX events_sentence ON events (document_id, paragraph, sentence)",
    """CREATE TABLE event_actors (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, actor_id)
) WITHOUT ROWID""",
    "CREATE INDEX event_actors_actor ON event_actors (actor_id)",
    f"""CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    speaker_id INTEGER REFERENCES actors (id),
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'reported')),
    text TEXT NOT NULL,
    date TEXT,
    precision TEXT CHECK (precision IN ({_PRECISIONS})),
    {_CITED},
    CHECK ((date IS NULL) = (precision IS NULL))
)""",
    "CREATE INDEX quotes_speaker ON quotes (speaker_id)",
    "CREATE INDEX quotes_sentence ON quotes (document_id, paragraph, sentence)",
)

# Version 2: quotes get their own full-text index (a quotation can run past its cited sentence).
_V2_QUOTE_INDEX: tuple[str, ...] = (
    *_external_fts("quotes_fts", "quotes"),
    "INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild')",
)

# Version 3: per-server settings the bot keeps (chat lookups, daily briefings). Rebuilding the facts from
# articles never touches these tables.
_V3_SERVER_SETTINGS: tuple[str, ...] = (
    """CREATE TABLE guild_settings (
    guild_id INTEGER PRIMARY KEY,
    lookup_enabled INTEGER NOT NULL DEFAULT 0 CHECK (lookup_enabled IN (0, 1)),
    updated_at TEXT NOT NULL
)""",
    """CREATE TABLE briefing_schedules (
    guild_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    time_of_day TEXT NOT NULL CHECK (time_of_day GLOB '[0-2][0-9]:[0-5][0-9]'),
    timezone TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    problem TEXT,
    last_post_date TEXT,
    last_posted_at TEXT,
    last_briefing_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
    """CREATE TABLE briefing_shown (
    guild_id INTEGER NOT NULL REFERENCES briefing_schedules (guild_id) ON DELETE CASCADE,
    item_type TEXT NOT NULL CHECK (item_type IN ('actor', 'quote')),
    item_key TEXT NOT NULL,
    shown_on TEXT NOT NULL,
    PRIMARY KEY (guild_id, item_type, item_key)
) WITHOUT ROWID""",
)


def _reindex(table: str, tokenizer: str) -> tuple[str, ...]:
    """Recreate an external-content FTS5 table with another tokenizer (its triggers name it, so they
    keep working) and index the existing rows again."""
    content = table.removesuffix("_fts")
    return (
        f"DROP TABLE {table}",
        _fts_table(table, content, tokenizer),
        f"INSERT INTO {table} ({table}) VALUES ('rebuild')",
    )


# Version 4: word forms match ("strike" finds "strikes"): the full-text indexes stem with Porter.
_V4_WORD_FORMS: tuple[str, ...] = (
    *_reindex("sentences_fts", _STEMMING_TOKENIZER),
    *_reindex("quotes_fts", _STEMMING_TOKENIZER),
)

# An actor takes part in an event when the event links it or the event's sentence names it.
ACTOR_EVENTS_SQL = """SELECT ea.actor_id, e.date_first, e.id, d.library
FROM events e JOIN event_actors ea ON ea.event_id = e.id JOIN documents d ON d.id = e.document_id
WHERE {where}
UNION
SELECT m.actor_id, e.date_first, e.id, d.library
FROM events e JOIN documents d ON d.id = e.document_id
JOIN mentions m ON m.document_id = e.document_id AND m.paragraph = e.paragraph AND m.sentence = e.sentence
WHERE {where}"""

# Version 5's rows per actor and library (version 7 adds the actor's kind).
_V5_ACTOR_LIBRARIES_SQL = """
INSERT INTO actor_libraries (actor_id, library, mentions, documents, role, role_published)
SELECT ad.actor_id, d.library, sum(ad.mentions), count(*),
       (SELECT x.role FROM actor_documents x JOIN documents y ON y.id = x.document_id
        WHERE x.actor_id = ad.actor_id AND y.library = d.library AND x.role IS NOT NULL
        ORDER BY y.published DESC NULLS LAST, y.key LIMIT 1),
       (SELECT coalesce(y.published, '') FROM actor_documents x JOIN documents y ON y.id = x.document_id
        WHERE x.actor_id = ad.actor_id AND y.library = d.library AND x.role IS NOT NULL
        ORDER BY y.published DESC NULLS LAST, y.key LIMIT 1)
FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
WHERE {where}
GROUP BY ad.actor_id, d.library"""

# Per actor and library: its kind, mentions, documents, events and statements, and the latest role a document
# of that library gives it (with that document's date, to pick the latest across libraries). Every event or
# statement of the actor in a library is from a document of that library naming it (the writer links each
# name it stores to the document), so the library's row is there to count them.
ACTOR_LIBRARIES_SQL = """
INSERT INTO actor_libraries
    (actor_id, library, mentions, documents, role, role_published, kind, events, quotes)
SELECT ad.actor_id, d.library, sum(ad.mentions), count(*),
       (SELECT x.role FROM actor_documents x INDEXED BY actor_documents_role
        JOIN documents y ON y.id = x.document_id
        WHERE x.actor_id = ad.actor_id AND y.library = d.library AND x.role IS NOT NULL
        ORDER BY x.published DESC, y.key LIMIT 1),
       (SELECT x.published FROM actor_documents x INDEXED BY actor_documents_role
        JOIN documents y ON y.id = x.document_id
        WHERE x.actor_id = ad.actor_id AND y.library = d.library AND x.role IS NOT NULL
        ORDER BY x.published DESC, y.key LIMIT 1),
       (SELECT kind FROM actors WHERE id = ad.actor_id),
       (SELECT count(*) FROM actor_events x WHERE x.actor_id = ad.actor_id AND x.library = d.library),
       (SELECT count(*) FROM quotes x WHERE x.speaker_id = ad.actor_id AND x.library = d.library)
FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
WHERE {where}
GROUP BY ad.actor_id, d.library"""

# Per link (actor, type, other actor) and library: how many sentences state it and the first of them, so a
# profile reads its links and not every sentence behind them. ``{where}`` picks the relations to group.
ACTOR_LINKS_SQL = """
INSERT OR IGNORE INTO actor_links (actor_id, library, type, target_id, attested, first_id)
SELECT r.actor_id, d.library, r.type, r.target_id, count(*), min(r.id)
FROM relations r JOIN documents d ON d.id = r.document_id
WHERE {where}
GROUP BY r.actor_id, d.library, r.type, r.target_id"""

# Version 5: libraries. A document belongs to the operator's library (0, visible in every server) or to one
# server's (its guild id, visible only there). A server's articles keep their text here, since no file on
# the host holds it, so a new extractor can read them again. Existing documents become the operator's.
_V5_LIBRARIES: tuple[str, ...] = (
    "ALTER TABLE documents ADD COLUMN library INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE documents ADD COLUMN added_by INTEGER",  # the Discord user who added it, if one did
    "ALTER TABLE documents ADD COLUMN url_key TEXT",  # the normalised URL, for "already there"
    "ALTER TABLE documents ADD COLUMN text_hash TEXT",  # of the article text alone, for "already there"
    "CREATE INDEX documents_library ON documents (library, published)",
    "CREATE INDEX documents_library_hash ON documents (library, text_hash)",
    "CREATE INDEX documents_library_url ON documents (library, url_key)",
    "CREATE INDEX documents_library_ingested ON documents (library, ingested_at)",  # briefings: what is new
    """CREATE TABLE document_texts (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    text TEXT NOT NULL
)""",
    # Servers the bot was removed from: their library and settings go 30 days later unless it comes back.
    """CREATE TABLE guild_departures (
    guild_id INTEGER PRIMARY KEY,
    left_at TEXT NOT NULL
)""",
    # Counts kept by the writer, so answers read what they show and not every row behind a total.
    "ALTER TABLE actor_documents ADD COLUMN mentions INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE documents ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE documents ADD COLUMN quote_count INTEGER NOT NULL DEFAULT 0",
    """UPDATE actor_documents SET mentions = (
    SELECT count(*) FROM mentions m
    WHERE m.actor_id = actor_documents.actor_id AND m.document_id = actor_documents.document_id)""",
    """UPDATE documents SET event_count = (SELECT count(*) FROM events WHERE document_id = documents.id),
    quote_count = (SELECT count(*) FROM quotes WHERE document_id = documents.id)""",
    "CREATE INDEX actor_documents_actor ON actor_documents (actor_id, mentions)",
    # The events an actor takes part in (linked, or named in the event's sentence), in date order, with the
    # library of their document: a profile reads its first page from here.
    """CREATE TABLE actor_events (
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    date_first TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    library INTEGER NOT NULL,
    PRIMARY KEY (actor_id, date_first, event_id)
) WITHOUT ROWID""",
    "CREATE INDEX actor_events_event ON actor_events (event_id)",
    "INSERT OR IGNORE INTO actor_events (actor_id, date_first, event_id, library) "
    + ACTOR_EVENTS_SQL.format(where="1"),
    "CREATE INDEX quotes_speaker_date ON quotes (speaker_id, date)",
    """CREATE TABLE actor_libraries (
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    library INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    role TEXT,
    role_published TEXT,
    PRIMARY KEY (library, actor_id)
) WITHOUT ROWID""",
    "CREATE INDEX actor_libraries_actor ON actor_libraries (actor_id)",
    _V5_ACTOR_LIBRARIES_SQL.format(where="1"),
)

# Version 6: feeds a server follows, and every item seen in them (added, refused or skipped), so a restart
# fetches nothing twice. Deleting a feed deletes its items; the articles they became stay in the library.
_V6_FEEDS: tuple[str, ...] = (
    """CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    title TEXT,
    link TEXT,
    channel_id INTEGER,
    added_by INTEGER,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    last_checked_at TEXT,
    last_new_item_at TEXT,
    state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused')),
    failures INTEGER NOT NULL DEFAULT 0,
    first_failure_at TEXT,
    next_poll_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (guild_id, url_key)
)""",
    "CREATE INDEX feeds_due ON feeds (state, next_poll_at)",
    """CREATE TABLE feed_items (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    url_key TEXT NOT NULL,
    guid TEXT,
    content_hash TEXT,
    document_key TEXT,
    published TEXT,
    first_seen_at TEXT NOT NULL,
    UNIQUE (feed_id, url_key)
)""",
)

# Version 7: totals kept as rows change, so an answer never counts what it does not show. Events and
# statements carry their document's library (a document never changes library), so a date range or a
# speaker's statements are counted from an index alone; an actor's row per library carries its kind, so
# /actors reads a page of one kind in order.
# Triggers keep the totals per library (documents, events, statements) and per library and kind (actors).
_V7_TOTALS: tuple[str, ...] = (
    "ALTER TABLE events ADD COLUMN library INTEGER NOT NULL DEFAULT 0",
    """UPDATE events SET library = (SELECT library FROM documents WHERE id = events.document_id)
    WHERE document_id IN (SELECT id FROM documents WHERE library != 0)""",
    "DROP INDEX events_date",
    "CREATE INDEX events_date ON events (date_first, date_last, library)",
    # Events spanning a month or a year, apart: a date range counts the ones that began before it here.
    """CREATE INDEX events_spanning ON events (date_first, date_last, library)
    WHERE date_first != date_last""",
    # A briefing's "on this day": day-precise events (their first and last day are the same) by month-day.
    """CREATE INDEX events_month_day ON events (substr(date_first, 6, 5), library)
    WHERE date_first = date_last""",
    "ALTER TABLE quotes ADD COLUMN library INTEGER NOT NULL DEFAULT 0",
    """UPDATE quotes SET library = (SELECT library FROM documents WHERE id = quotes.document_id)
    WHERE document_id IN (SELECT id FROM documents WHERE library != 0)""",
    "CREATE INDEX quotes_speaker_library ON quotes (speaker_id, library)",
    "ALTER TABLE actor_libraries ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'",
    "UPDATE actor_libraries SET kind = (SELECT kind FROM actors WHERE id = actor_libraries.actor_id)",
    "CREATE INDEX actor_libraries_kind ON actor_libraries (library, kind, mentions)",
    """CREATE TABLE library_totals (
    library INTEGER PRIMARY KEY,
    documents INTEGER NOT NULL,
    events INTEGER NOT NULL,
    quotes INTEGER NOT NULL
)""",
    """INSERT INTO library_totals
    SELECT library, count(*), sum(event_count), sum(quote_count) FROM documents GROUP BY library""",
    """CREATE TRIGGER documents_total_insert AFTER INSERT ON documents BEGIN
    INSERT INTO library_totals VALUES (new.library, 1, new.event_count, new.quote_count)
    ON CONFLICT (library) DO UPDATE SET documents = documents + 1,
        events = events + excluded.events, quotes = quotes + excluded.quotes; END""",
    """CREATE TRIGGER documents_total_delete AFTER DELETE ON documents BEGIN
    UPDATE library_totals SET documents = documents - 1, events = events - old.event_count,
        quotes = quotes - old.quote_count WHERE library = old.library; END""",
    """CREATE TRIGGER documents_total_update AFTER UPDATE OF event_count, quote_count ON documents BEGIN
    UPDATE library_totals SET events = events - old.event_count + new.event_count,
        quotes = quotes - old.quote_count + new.quote_count WHERE library = new.library; END""",
    """CREATE TABLE library_kinds (
    library INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actors INTEGER NOT NULL,
    PRIMARY KEY (library, kind)
) WITHOUT ROWID""",
    "INSERT INTO library_kinds SELECT library, kind, count(*) FROM actor_libraries GROUP BY library, kind",
    """CREATE TRIGGER actor_libraries_kind_insert AFTER INSERT ON actor_libraries BEGIN
    INSERT INTO library_kinds VALUES (new.library, new.kind, 1)
    ON CONFLICT (library, kind) DO UPDATE SET actors = actors + 1; END""",
    """CREATE TRIGGER actor_libraries_kind_delete AFTER DELETE ON actor_libraries BEGIN
    UPDATE library_kinds SET actors = actors - 1 WHERE library = old.library AND kind = old.kind; END""",
)

# Version 8: what a profile and a date range count, kept, so they read what they show. Per actor and
# library, its events and statements (the writer recounts them with its row); per link and library, its
# sentences; per library and first day, the events (triggers keep it: events carry their library). Roles
# get an index of their own in date order, since most of an actor's documents give none.
_V8_PROFILE_COUNTS: tuple[str, ...] = (
    "ALTER TABLE actor_libraries ADD COLUMN events INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE actor_libraries ADD COLUMN quotes INTEGER NOT NULL DEFAULT 0",
    """UPDATE actor_libraries SET
    events = (SELECT count(*) FROM actor_events x
              WHERE x.actor_id = actor_libraries.actor_id AND x.library = actor_libraries.library),
    quotes = (SELECT count(*) FROM quotes x
              WHERE x.speaker_id = actor_libraries.actor_id AND x.library = actor_libraries.library)""",
    """CREATE TABLE actor_links (
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    library INTEGER NOT NULL,
    type TEXT NOT NULL,
    target_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    attested INTEGER NOT NULL,
    first_id INTEGER NOT NULL,
    PRIMARY KEY (actor_id, library, type, target_id)
) WITHOUT ROWID""",
    "CREATE INDEX actor_links_target ON actor_links (target_id, library)",
    "CREATE INDEX relations_pair ON relations (actor_id, target_id)",  # the writer groups a pair's links
    ACTOR_LINKS_SQL.format(where="1"),
    # The document's date ('' when unknown) beside each actor it names, so the latest roles are read in
    # order from an index of the few rows that give one.
    "ALTER TABLE actor_documents ADD COLUMN published TEXT NOT NULL DEFAULT ''",
    """UPDATE actor_documents SET published = coalesce(
    (SELECT published FROM documents WHERE id = actor_documents.document_id), '')""",
    "CREATE INDEX actor_documents_role ON actor_documents (actor_id, published) WHERE role IS NOT NULL",
    """CREATE TABLE event_days (
    library INTEGER NOT NULL,
    date_first TEXT NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (library, date_first)
) WITHOUT ROWID""",
    "INSERT INTO event_days SELECT library, date_first, count(*) FROM events GROUP BY library, date_first",
    """CREATE TRIGGER events_day_insert AFTER INSERT ON events BEGIN
    INSERT INTO event_days VALUES (new.library, new.date_first, 1)
    ON CONFLICT (library, date_first) DO UPDATE SET events = events + 1; END""",
    """CREATE TRIGGER events_day_delete AFTER DELETE ON events BEGIN
    UPDATE event_days SET events = events - 1 WHERE library = old.library AND date_first = old.date_first;
    DELETE FROM event_days WHERE library = old.library AND date_first = old.date_first AND events = 0; END""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    _V1_CORE,
    _V2_QUOTE_INDEX,
    _V3_SERVER_SETTINGS,
    _V4_WORD_FORMS,
    _V5_LIBRARIES,
    _V6_FEEDS,
    _V7_TOTALS,
    _V8_PROFILE_COUNTS,
)
LATEST_VERSION = len(MIGRATIONS)

# Every table holding data, parents first (stats and health checks walk this list).
TABLES = (
    "documents",
    "paragraphs",
    "sentences",
    "actors",
    "actor_aliases",
    "actor_alias_sources",
    "actor_documents",
    "mentions",
    "relations",
    "events",
    "event_actors",
    "quotes",
    "document_texts",
    "meta",
)


def visible(guild: int | None, alias: str = "d") -> str:
    """SQL: the document ``alias`` is in a library this server sees, the operator's (0) or its own; outside
    a server, the operator's only. The id is an int, never user text."""
    return f"{alias}.library IN (0, {int(guild or 0)})"


def check_store_file(path: Path) -> None:
    """Refuse a file that exists but is not a SQLite database, before SQLite gets to touch it."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"{path}: cannot read the store ({error.strerror or error})") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{path}: not a SQLite database; refusing to overwrite it (move it away or set BRIEFING_DB)"
        )


def configure(conn: sqlite3.Connection) -> None:
    """Connection settings every user of the store shares."""
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def connect(path: Path, *, create: bool = True, migrate_to: int = LATEST_VERSION) -> sqlite3.Connection:
    """Open (creating it if allowed) and upgrade a store file; every problem becomes a :class:`StoreError`."""
    if not create and not path.exists():
        raise StoreError(f"{path}: no store here yet (build it with: python -m bot ingest data/articles)")
    check_store_file(path)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        configure(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn, path, migrate_to)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(f"{path}: unusable store ({error}); refusing to overwrite it") from None
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path | str, target: int = LATEST_VERSION) -> int:
    """Apply the migrations between the file's version and ``target``; refuse files from a newer schema."""
    version = schema_version(conn)
    if version > LATEST_VERSION:
        raise StoreError(
            f"{path}: store schema version {version} is newer than this program knows ({LATEST_VERSION}); "
            "update the bot or rebuild the store"
        )
    for number in range(version + 1, target + 1):
        with transaction(conn):
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    return max(version, target)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception (connections run in autocommit)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# The totals the triggers keep, and the rows they count (read in full: only the weekly check does this).
_KEPT_TOTALS = (
    (
        "documents, events and statements per library",
        "SELECT library, documents, events, quotes FROM library_totals WHERE documents OR events OR quotes",
        "SELECT library, count(*), sum(event_count), sum(quote_count) FROM documents GROUP BY library",
    ),
    (
        "actors per library and kind",
        "SELECT library, kind, actors FROM library_kinds WHERE actors",
        "SELECT library, kind, count(*) FROM actor_libraries GROUP BY library, kind",
    ),
)
_KEPT_PROFILE_COUNTS = (  # version 8
    (
        "events and statements per actor and library",
        "SELECT actor_id, library, events, quotes FROM actor_libraries WHERE events OR quotes",
        """SELECT actor_id, library, sum(events), sum(quotes) FROM (
               SELECT actor_id, library, count(*) AS events, 0 AS quotes FROM actor_events
               GROUP BY actor_id, library
               UNION ALL
               SELECT speaker_id, library, 0, count(*) FROM quotes WHERE speaker_id IS NOT NULL
               GROUP BY speaker_id, library)
           GROUP BY actor_id, library""",
    ),
    (
        "sentences per link between actors",
        "SELECT actor_id, library, type, target_id, attested, first_id FROM actor_links",
        "SELECT r.actor_id, d.library, r.type, r.target_id, count(*), min(r.id)"
        " FROM relations r JOIN documents d ON d.id = r.document_id"
        " GROUP BY r.actor_id, d.library, r.type, r.target_id",
    ),
    (
        "events per library and first day",
        "SELECT library, date_first, events FROM event_days",
        "SELECT library, date_first, count(*) FROM events GROUP BY library, date_first",
    ),
)


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """SQLite's full integrity check and the kept totals recounted (reads every page: seconds on a large
    store); empty when sound."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        version = schema_version(conn)
        if problems != ["ok"] or version < MIGRATIONS.index(_V7_TOTALS) + 1:
            return [] if problems == ["ok"] else problems
        kept_since_8 = _KEPT_PROFILE_COUNTS if version >= MIGRATIONS.index(_V8_PROFILE_COUNTS) + 1 else ()
        return [
            f"the kept count of {name} differs from the rows (a bug: please report it)"
            for name, kept, counted in (*_KEPT_TOTALS, *kept_since_8)
            if sorted(conn.execute(kept)) != sorted(conn.execute(counted))
        ]
    except sqlite3.DatabaseError as error:
        return [str(error)]


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Raise :class:`StoreError` when SQLite finds the file damaged."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: damaged store ({error}); refusing to overwrite it") from None
    if problems != ["ok"]:
        raise StoreError(f"{path}: damaged store ({problems[0]}); refusing to overwrite it")
