"""The extraction pipeline: a parsed document in, its actors, events and statements out."""

from __future__ import annotations

from bot.extract.actors import add_apposition_roles, find_actors, has_unknown_names
from bot.extract.dates import DateResolver, infer_default_year
from bot.extract.events import find_events
from bot.extract.model import Document, Extraction
from bot.extract.parse import entity_spans, parse, single_word_entities, subject_spans
from bot.extract.relations import find_relations
from bot.extract.segment import sentences_of
from bot.extract.statements import find_quotes
from bot.extract.version import EXTRACTOR_VERSION

__all__ = ["EXTRACTOR_VERSION", "extract"]


def extract(document: Document) -> Extraction:
    sentences = sentences_of(document.paragraphs)
    docs = parse([s.text for s in sentences], names_in=has_unknown_names)
    named = {(s.paragraph, s.index): entity_spans(doc) for s, doc in zip(sentences, docs, strict=True)}
    named |= {(0, i): entity_spans(doc) for i, doc in enumerate(parse(document.context))}
    actors = find_actors(
        sentences,
        document.author,
        context=document.context,
        labels=document.speakers,
        entities=single_word_entities(docs),
        named=named,
        subjects={(s.paragraph, s.index): subject_spans(doc) for s, doc in zip(sentences, docs, strict=True)},
    )
    default_year = None if document.published else infer_default_year([s.text for s in sentences])
    resolver = DateResolver(published=document.published, default_year=default_year)
    dates = {(s.paragraph, s.index): resolver.resolve(s.text, s.paragraph) for s in sentences}
    find_relations(sentences, actors)
    add_apposition_roles(sentences, docs, actors)
    return Extraction(
        document=document,
        sentences=sentences,
        actors=list(actors.actors.values()),
        events=find_events(sentences, actors, dates),
        quotes=find_quotes(
            sentences,
            actors,
            dates,
            docs,
            turns=actors.turns,
            published=document.published,
        ),
    )
