"""Plain frozen answers the store gives the bot: no SQL, no rows, and every fact with its citation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.extract.model import ActorKind, PartialDate, QuoteKind, RelationType

Direction = Literal["out", "in", "both"]


@dataclass(frozen=True)
class Citation:
    """Where a fact comes from. ``title`` falls back to the document key when the article has none."""

    document: str  # the document key (its id)
    title: str
    paragraph: int  # 1-based
    sentence: int | None = None  # 0-based within the paragraph; None for a whole-paragraph citation


@dataclass(frozen=True)
class DocumentInfo:
    key: str
    title: str | None
    author: str | None
    published: PartialDate | None
    source: str | None
    url: str | None
    paragraphs: int
    ingested_at: str
    library: int = 0  # 0: the operator's library; else the server (guild id) that added it
    added_by: int | None = None  # the Discord user who added it from Discord


@dataclass(frozen=True)
class DocumentStats:
    key: str
    title: str | None
    paragraphs: int
    sentences: int
    actors: int
    mentions: int
    relations: int
    events: int
    quotes: int


@dataclass(frozen=True)
class StoreStats:
    tables: dict[str, int]  # rows per table
    documents: tuple[DocumentStats, ...]
    schema_version: int
    extractor_version: str | None
    last_ingest: str | None


@dataclass(frozen=True)
class Summary:
    """What one server can ask about, for /help: totals from the counts the writer keeps, and the titles
    of the newest articles."""

    documents: int
    actors: int
    events: int
    quotes: int
    titles: tuple[str, ...]  # newest ingested first, at most the few /help shows


@dataclass(frozen=True)
class Paragraph:
    citation: Citation
    text: str
    total: int  # paragraphs in the document, for "3 of 28"


@dataclass(frozen=True)
class RoleFact:
    role: str
    citation: Citation | None  # None only if the extraction gave a role without any mention to cite


@dataclass(frozen=True)
class RelatedActor:
    name: str
    citations: tuple[Citation, ...]  # the first sentence that states the link (or all of them)
    attested: int = 0  # how many sentences state it (0: as many as ``citations``)

    @property
    def strength(self) -> int:
        return self.attested or len(self.citations)


@dataclass(frozen=True)
class RelationGroup:
    """One kind of link, read from the profile's actor: ``label`` is e.g. "backs" or "backed by"."""

    type: RelationType
    direction: Direction  # "both" for the symmetric ally_of
    label: str
    actors: tuple[RelatedActor, ...]
    more: int = 0  # other actors linked so, beyond ``actors`` (not read)


@dataclass(frozen=True)
class EventFact:
    date: PartialDate
    summary: str
    actors: tuple[str, ...]
    evidence: str
    citation: Citation


@dataclass(frozen=True)
class QuoteFact:
    speaker: str | None
    kind: QuoteKind
    text: str
    date: PartialDate | None
    sentence: str  # the cited sentence, for context
    citation: Citation


@dataclass(frozen=True)
class ActorDocument:
    key: str
    title: str
    paragraphs: tuple[int, ...]  # paragraphs that mention the actor
    mentions: int


@dataclass(frozen=True)
class ActorSummary:
    name: str
    kind: ActorKind
    role: str | None
    mentions: int
    documents: int


@dataclass(frozen=True)
class ActorProfile:
    name: str
    kind: ActorKind
    roles: tuple[RoleFact, ...]
    aliases: tuple[str, ...]
    relations: tuple[RelationGroup, ...]
    events: tuple[EventFact, ...]
    quotes: tuple[QuoteFact, ...]
    mentions: int
    documents: tuple[ActorDocument, ...]  # the documents that mention it most
    # Totals: the lists above hold the first few (a page); None means the list is whole.
    event_count: int | None = None
    quote_count: int | None = None
    document_count: int | None = None

    @property
    def total_events(self) -> int:
        return len(self.events) if self.event_count is None else self.event_count

    @property
    def total_quotes(self) -> int:
        return len(self.quotes) if self.quote_count is None else self.quote_count

    @property
    def total_documents(self) -> int:
        return len(self.documents) if self.document_count is None else self.document_count


@dataclass(frozen=True)
class ActorRecord:
    """What the bot resolves typed names against: an actor's names, the roles articles give it, its weight."""

    name: str  # canonical name
    kind: ActorKind
    aliases: tuple[str, ...]
    roles: tuple[str, ...]  # the actor's role first, then each document's
    weight: int  # mentions, to rank equally good matches


@dataclass(frozen=True)
class TimelinePage:
    events: tuple[EventFact, ...]
    total: int  # events matching the filters, over all pages
    offset: int
    limit: int


@dataclass(frozen=True)
class SearchHit:
    citation: Citation
    snippet: str  # matched words wrapped in the requested markers
    text: str  # the whole sentence, unmarked
