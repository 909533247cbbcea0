"""Synchronous whole-store reports for the command line (stats, JSON export); the stats queries are shared
with the async reader."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.store.models import DocumentStats, StoreStats
from bot.store.schema import TABLES, connect, visible

# Rows per table that hang off one document, for counting what one server sees.
_BY_DOCUMENT = frozenset(
    (
        "paragraphs",
        "sentences",
        "actor_documents",
        "mentions",
        "relations",
        "events",
        "quotes",
        "document_texts",
    )
)


def _scoped(library: int | None) -> str:
    """``None``: the whole store; a guild id: what that server sees (the operator's library and its own)."""
    return "1" if library is None else visible(library)


def table_counts_sql(library: int | None = None) -> str:
    """One row: the rows per table in :data:`TABLES`, counting only what ``library`` sees."""
    if library is None:
        return "SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in TABLES)
    seen = _scoped(library)
    counts = []
    for table in TABLES:
        if table == "documents":
            counts.append(f"(SELECT count(*) FROM documents d WHERE {seen})")
        elif table in _BY_DOCUMENT:
            counts.append(
                f"(SELECT count(*) FROM {table} t JOIN documents d ON d.id = t.document_id WHERE {seen})"
            )
        elif table == "actors":
            counts.append(
                "(SELECT count(DISTINCT ad.actor_id) FROM actor_documents ad"
                f" JOIN documents d ON d.id = ad.document_id WHERE {seen})"
            )
        elif table in ("actor_aliases", "actor_alias_sources"):
            counts.append(
                "(SELECT count(DISTINCT src.alias_id) FROM actor_alias_sources src"
                f" JOIN documents d ON d.id = src.document_id WHERE {seen})"
            )
        elif table == "event_actors":
            counts.append(
                "(SELECT count(*) FROM event_actors ea JOIN events e ON e.id = ea.event_id"
                f" JOIN documents d ON d.id = e.document_id WHERE {seen})"
            )
        else:
            counts.append(f"(SELECT count(*) FROM {table})")
    return "SELECT " + ", ".join(counts)


def document_stats_sql(library: int | None = None) -> str:
    return DOCUMENT_STATS_SQL.replace("FROM documents d", f"FROM documents d WHERE {_scoped(library)}")


DOCUMENT_STATS_SQL = """
SELECT d.key, d.title,
       (SELECT count(*) FROM paragraphs WHERE document_id = d.id),
       (SELECT count(*) FROM sentences WHERE document_id = d.id),
       (SELECT count(*) FROM actor_documents WHERE document_id = d.id),
       (SELECT count(*) FROM mentions WHERE document_id = d.id),
       (SELECT count(*) FROM relations WHERE document_id = d.id),
       (SELECT count(*) FROM events WHERE document_id = d.id),
       (SELECT count(*) FROM quotes WHERE document_id = d.id)
FROM documents d ORDER BY d.key"""
STATS_META_SQL = "SELECT key, value FROM meta WHERE key IN ('extractor_version', 'last_ingest')"


def build_stats(
    table_counts: Sequence[int],
    documents: Iterable[Sequence[Any]],
    version: int,
    meta: Iterable[Sequence[str]],
) -> StoreStats:
    """Assemble :class:`StoreStats` from the rows of the three queries above and the schema version."""
    values = dict(meta)
    return StoreStats(
        tables=dict(zip(TABLES, table_counts, strict=True)),
        documents=tuple(DocumentStats(*row) for row in documents),
        schema_version=version,
        extractor_version=values.get("extractor_version"),
        last_ingest=values.get("last_ingest"),
    )


def store_stats(path: Path, library: int | None = None) -> StoreStats:
    """The whole store's counts, or (with a guild id) what that server sees."""
    conn = connect(path, create=False)
    try:
        return build_stats(
            conn.execute(table_counts_sql(library)).fetchone(),
            conn.execute(document_stats_sql(library)).fetchall(),
            int(conn.execute("PRAGMA user_version").fetchone()[0]),
            conn.execute(STATS_META_SQL).fetchall(),
        )
    finally:
        conn.close()


def export_store(path: Path, library: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """The whole store, or (with a guild id) what that server sees, as plain JSON-ready data (see
    ``python -m bot export``)."""
    conn = connect(path, create=False)
    conn.row_factory = sqlite3.Row
    seen = _scoped(library)
    try:
        conn.execute("BEGIN")  # one snapshot for the four sections
        export = {
            "documents": _export_documents(conn, seen),
            "actors": _export_actors(conn, seen),
            "events": _export_events(conn, seen),
            "quotes": _export_quotes(conn, seen),
        }
        conn.execute("COMMIT")
        return export
    finally:
        conn.close()


def _export_documents(conn: sqlite3.Connection, seen: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT d.key, d.title, d.author, d.published, d.source, d.library FROM documents d WHERE {seen}"
        " ORDER BY d.key"
    )
    return [
        {
            "id": r["key"],
            "title": r["title"],
            "author": r["author"],
            "published": r["published"],
            "source": r["source"],
            "library": r["library"],  # 0: the operator's; else the server (guild id) that added it
        }
        for r in rows
    ]


def _export_actors(conn: sqlite3.Connection, seen: str) -> list[dict[str, Any]]:
    aliases: dict[int, list[str]] = {}
    for row in conn.execute(
        f"""SELECT DISTINCT al.actor_id, al.alias FROM actor_aliases al
            JOIN actor_alias_sources src ON src.alias_id = al.id JOIN documents d ON d.id = src.document_id
            WHERE {seen} ORDER BY al.alias"""
    ):
        aliases.setdefault(row["actor_id"], []).append(row["alias"])
    relations: dict[int, list[dict[str, str]]] = {}
    for row in conn.execute(
        f"""SELECT DISTINCT r.actor_id, r.type, t.name FROM relations r JOIN actors t ON t.id = r.target_id
           JOIN documents d ON d.id = r.document_id WHERE {seen} ORDER BY r.type, t.name"""
    ):
        relations.setdefault(row["actor_id"], []).append({"type": row["type"], "target": row["name"]})
    rows = conn.execute(
        f"""SELECT a.id, a.name, a.kind,
                  (SELECT ad.role FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
                   WHERE ad.actor_id = a.id AND ad.role IS NOT NULL AND {seen}
                   ORDER BY d.published DESC NULLS LAST, d.key LIMIT 1) AS role,
                  (SELECT count(*) FROM mentions m JOIN documents d ON d.id = m.document_id
                   WHERE m.actor_id = a.id AND {seen}) AS mentions
           FROM actors a
           WHERE a.id IN (SELECT ad.actor_id FROM actor_documents ad JOIN documents d ON d.id = ad.document_id
                          WHERE {seen})
           ORDER BY a.name"""
    )
    return [
        {
            "name": r["name"],
            "kind": r["kind"],
            "aliases": aliases.get(r["id"], []),
            "role": r["role"],
            "relations": relations.get(r["id"], []),
            "mentions": r["mentions"],
        }
        for r in rows
    ]


def _export_events(conn: sqlite3.Connection, seen: str) -> list[dict[str, Any]]:
    names: dict[int, list[str]] = {}
    for row in conn.execute(
        """SELECT ea.event_id, a.name FROM event_actors ea JOIN actors a ON a.id = ea.actor_id
           ORDER BY ea.position"""
    ):
        names.setdefault(row["event_id"], []).append(row["name"])
    rows = conn.execute(
        f"""SELECT e.id, e.date, e.precision, e.summary, d.key, e.paragraph, e.evidence
           FROM events e JOIN documents d ON d.id = e.document_id WHERE {seen}
           ORDER BY e.date_first, e.date_last, d.key, e.paragraph, e.sentence, e.id"""
    )
    return [
        {
            "date": r["date"],
            "precision": r["precision"],
            "summary": r["summary"],
            "actors": names.get(r["id"], []),
            "document": r["key"],
            "paragraph": r["paragraph"],
            "evidence": r["evidence"],
        }
        for r in rows
    ]


def _export_quotes(conn: sqlite3.Connection, seen: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"""SELECT a.name AS speaker, q.kind, q.text, q.date, d.key, q.paragraph
           FROM quotes q JOIN documents d ON d.id = q.document_id LEFT JOIN actors a ON a.id = q.speaker_id
           WHERE {seen} ORDER BY d.key, q.paragraph, q.sentence, q.id"""
    )
    return [
        {
            "speaker": r["speaker"],
            "kind": r["kind"],
            "text": r["text"],
            "date": r["date"],
            "document": r["key"],
            "paragraph": r["paragraph"],
        }
        for r in rows
    ]
