"""Plain data the extraction pipeline produces; the store persists exactly these."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Precision = Literal["day", "month", "year"]
ActorKind = Literal["person", "organization", "country", "armed_group", "government", "other"]
RelationType = Literal["leads", "member_of", "ally_of", "backs", "opposes"]
QuoteKind = Literal["direct", "reported"]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            dt.date(self.year, self.month or 1, self.day)  # raises on 31 April and the like

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` by precision."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph. ``paragraph`` is 1-based, ``index`` 0-based within it."""

    paragraph: int
    index: int
    text: str


@dataclass
class Document:
    key: str  # stable identifier: the file name without its extension
    title: str | None
    author: str | None
    published: PartialDate | None
    source: str | None
    url: str | None
    paragraphs: list[str]
    content_hash: str
    path: str | None = None
    # per paragraph, a transcript's speaker label for that turn ("MR. KIRBY", "Q"); empty or None elsewhere
    speakers: list[str | None] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # title and header lines: names and roles, not story
    warnings: list[str] = field(default_factory=list)  # what the reader of the file should fix


@dataclass(frozen=True)
class Mention:
    paragraph: int
    sentence: int
    surface: str


@dataclass(frozen=True)
class Relation:
    type: RelationType
    target: str  # canonical name of the other actor
    paragraph: int
    sentence: int


@dataclass
class Actor:
    name: str  # canonical name
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    relations: list[Relation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Event:
    date: PartialDate
    summary: str
    actors: list[str]
    paragraph: int
    sentence: int
    evidence: str  # the whole sentence, verbatim


@dataclass
class Quote:
    speaker: str | None  # canonical actor name
    kind: QuoteKind
    text: str  # verbatim words (the quotation, or the reported clause)
    date: PartialDate | None
    paragraph: int
    sentence: int


@dataclass
class Extraction:
    document: Document
    sentences: list[Sentence]
    actors: list[Actor]
    events: list[Event]
    quotes: list[Quote]
