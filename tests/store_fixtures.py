"""Fixtures and helpers for the knowledge store.

* ``store_path`` / ``store``: a real store built from the tests' own copy of the seed article
  (``tests/seed_articles``; tests never read ``data/articles``, which is the operator's) by the real ingest.
* ``needs_pipeline``: skip marker for tests that need ``bot.extract.pipeline`` (until it lands).
* ``fake_pipeline``: a tiny rule-based stand-in pipeline, so ingest logic is tested independently of
  the real extractor: a fixed gazetteer of actors, "A backs B" relations, sentences opening with
  "On YYYY-MM-DD," / "In YYYY-MM," as events, and “…” quotations.
* ``assert_healthy`` / ``dump``: integrity checks and a full logical dump of a store file.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.extract.model import (
    Actor,
    ActorKind,
    Document,
    Event,
    Extraction,
    Mention,
    PartialDate,
    Quote,
    Relation,
    Sentence,
)
from bot.ingest import Pipeline, ingest
from bot.store import Store
from bot.store.schema import integrity_problems

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "tests" / "seed_articles"
SEED_ARTICLE = ARTICLES / "russia-mediation-goals-in-libya.txt"


def _pipeline_missing() -> str | None:
    try:
        importlib.import_module("bot.extract.pipeline")
        importlib.import_module("bot.extract.document")
    except ImportError as error:
        return f"bot.extract.pipeline not available yet ({error})"
    return None


PIPELINE_MISSING = _pipeline_missing()
needs_pipeline = pytest.mark.skipif(PIPELINE_MISSING is not None, reason=PIPELINE_MISSING or "")


def assert_healthy(path: Path) -> None:
    """integrity_check (with the kept totals recounted), foreign_key_check and both FTS indexes' own
    integrity checks are clean."""
    conn = sqlite3.connect(path)
    try:
        assert integrity_problems(conn) == []
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table in ("sentences_fts", "quotes_fts"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    """Every schema object and row, in order: equal dumps mean equal store content."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


# -- hand-built extractions -------------------------------------------------------------------------------


def split_sentences(paragraphs: list[str]) -> list[Sentence]:
    return [
        Sentence(number, index, text)
        for number, paragraph in enumerate(paragraphs, start=1)
        for index, text in enumerate(re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", paragraph))
    ]


def make_document(
    key: str,
    paragraphs: list[str],
    *,
    title: str | None = None,
    published: PartialDate | None = None,
    path: str | None = None,
    content_hash: str | None = None,
) -> Document:
    text = "\n\n".join(paragraphs)
    return Document(
        key=key,
        title=title,
        author=None,
        published=published,
        source=None,
        url=None,
        paragraphs=paragraphs,
        content_hash=content_hash or hashlib.sha256(text.encode()).hexdigest(),
        path=path,
    )


# -- a stand-in pipeline ----------------------------------------------------------------------------------

GAZETTEER: dict[str, tuple[ActorKind, tuple[str, ...], str | None]] = {
    "Khalifa Haftar": ("person", ("Haftar", "Field Marshal Haftar"), "commander of the Libyan National Army"),
    "Fayez al-Serraj": ("person", ("Serraj", "al-Serraj"), "Prime Minister"),
    "Sergei Shoigu": ("person", ("Shoigu",), "Minister of Defense"),
    "Yevgeny Prigozhin": ("person", ("Prigozhin",), None),
    "Russia": ("country", ("Moscow",), None),
    "Egypt": ("country", ("Cairo",), None),
    "Wagner Group": ("organization", ("Wagner",), None),
    "Libyan National Army": ("armed_group", ("LNA",), None),
    "Government of National Accord": ("government", ("GNA",), None),
}
_EVENT_START = re.compile(r"^(?:On|In) (\d{4}(?:-\d{2}){0,2}),\s*(.+)$")
_QUOTE = re.compile(r"“([^”]+)”")


class FakeArticleError(ValueError):
    pass


def fake_parse(key: str, text: str, path: str | None = None) -> Document:
    text = text.lstrip("\ufeff")
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        head, sep, body = text[4:].partition("\n---\n")
        if not sep:
            raise FakeArticleError("front matter starts with '---' but is never closed")
        for line in head.splitlines():
            name, colon, value = line.partition(":")
            if not colon:
                raise FakeArticleError(f"front matter line is not 'key: value': {line!r}")
            meta[name.strip()] = value.strip()
    paragraphs = [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]
    if not paragraphs:
        raise FakeArticleError("no article text")
    published = PartialDate.from_iso(meta["published"]) if "published" in meta else None
    content_hash = hashlib.sha256(text.encode()).hexdigest()
    return make_document(
        key, paragraphs, title=meta.get("title"), published=published, path=path, content_hash=content_hash
    )


def _names(canonical: str) -> tuple[str, ...]:
    return (canonical, *GAZETTEER[canonical][1])


def _mentioned(text: str) -> list[str]:
    found = []
    for canonical in GAZETTEER:
        positions = [text.find(name) for name in _names(canonical) if name in text]
        if positions:
            found.append((min(positions), canonical))
    return [canonical for _, canonical in sorted(found)]


def fake_extract(document: Document) -> Extraction:
    sentences = split_sentences(document.paragraphs)
    actors: dict[str, Actor] = {}
    events: list[Event] = []
    quotes: list[Quote] = []
    for sentence in sentences:
        here = _mentioned(sentence.text)
        for canonical in here:
            kind, aliases, role = GAZETTEER[canonical]
            actor = actors.setdefault(canonical, Actor(canonical, kind, list(aliases), role))
            surface = next(name for name in _names(canonical) if name in sentence.text)
            actor.mentions.append(Mention(sentence.paragraph, sentence.index, surface))
            for target in here:
                if any(
                    f"{name} backs {other}" in sentence.text
                    for name in _names(canonical)
                    for other in _names(target)
                ):
                    actor.relations.append(Relation("backs", target, sentence.paragraph, sentence.index))
        event = _EVENT_START.match(sentence.text)
        if event:
            date = PartialDate.from_iso(event[1])
            events.append(Event(date, event[2], here, sentence.paragraph, sentence.index, sentence.text))
        for quoted in _QUOTE.findall(sentence.text):
            speaker = here[0] if here else None
            date = PartialDate.from_iso(event[1]) if event else None
            quotes.append(Quote(speaker, "direct", quoted, date, sentence.paragraph, sentence.index))
    return Extraction(document, sentences, list(actors.values()), events, quotes)


FAKE_PIPELINE = Pipeline(
    parse=fake_parse, extract=fake_extract, version="fake-1", article_errors=(FakeArticleError,)
)


@pytest.fixture
def fake_pipeline() -> Pipeline:
    return FAKE_PIPELINE


# -- the real store ---------------------------------------------------------------------------------------


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store built from the seed article by the real ingest and pipeline."""
    if PIPELINE_MISSING:
        pytest.skip(PIPELINE_MISSING)
    path = tmp_path / "briefing.db"
    ingest([ARTICLES], path)
    return path


@pytest.fixture
async def store(store_path: Path) -> AsyncIterator[Store]:
    async with await Store.open(store_path) as opened:
        yield opened
