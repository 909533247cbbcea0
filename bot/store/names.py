"""Name normalisation and the in-memory fuzzy index behind actor lookup and autocomplete.

Matching works on two keys per name and per word of a name:

* the *normalised* form (case, diacritics, apostrophes and a leading "the" folded away), for exact
  lookup, prefix typing ("haf") and typo-tolerant similarity (difflib ratio);
* a *consonant skeleton* that also folds transliteration variants: vowels and ``h`` are dropped and
  look-alike consonants merged, so "Hifter"/"Haftar", "Shoygu"/"Shoigu" and "Sarraj"/"Serraj" share a key.

Candidates come from a sorted word list (prefixes, by bisection), a skeleton dictionary and a
character-bigram inverted index, so only a few dozen difflib comparisons run per keystroke.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
# Letters that NFKD does not decompose into a base letter plus a combining mark.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})
_WORD = re.compile(r"\w+")
_SKELETON_DIGRAPHS = (("ph", "f"), ("ck", "k"), ("dj", "j"), ("dzh", "j"), ("zh", "j"), ("x", "ks"))
_SKELETON_LETTERS = str.maketrans({"c": "k", "q": "k", "w": "v", "z": "s"})
_SKELETON_DROP = re.compile(r"[aeiouyh\s]")
_MAX_QUERY = 64
_MIN_FUZZY = 0.72
_MIN_DICE = 0.3
_FUZZY_CANDIDATES = 60  # difflib runs on at most this many bigram-similar terms per query


def normalize_name(text: str) -> str:
    """Fold case, diacritics, apostrophe variants, punctuation and a leading "the" ("The Wagner Group")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _WORD.findall(plain.translate(_APOSTROPHES).replace("'", "").replace("_", " "))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def skeleton(normalized: str) -> str:
    """Consonant skeleton of a normalised name: transliteration variants collapse to one key."""
    text = normalized
    for digraph, replacement in _SKELETON_DIGRAPHS:
        text = text.replace(digraph, replacement)
    text = _SKELETON_DROP.sub("", text.translate(_SKELETON_LETTERS))
    return re.sub(r"(.)\1+", r"\1", text)


@dataclass(frozen=True)
class NameMatch:
    """One suggestion: the actor's canonical name, the name or alias that matched, and a 0..1 score."""

    actor: str
    matched: str
    score: float


@dataclass(frozen=True)
class _Term:
    text: str  # normalised whole name or one of its words
    skeleton: str
    entry: int
    whole: bool  # the whole name rather than one word of it


@dataclass(frozen=True)
class _Entry:
    actor: str
    name: str
    weight: int


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class NameIndex:
    """Immutable index over ``(canonical name, name or alias, weight)`` triples; weight breaks ties."""

    def __init__(self, names: Iterable[tuple[str, str, int]]) -> None:
        self._entries: list[_Entry] = []
        self._exact: dict[str, str] = {}
        self._terms: list[_Term] = []
        for actor, name, weight in names:
            self._add(_Entry(actor, name, weight))
        self._sorted = sorted(range(len(self._terms)), key=lambda i: self._terms[i].text)
        self._sorted_texts = [self._terms[i].text for i in self._sorted]
        self._by_skeleton: dict[str, list[int]] = {}
        self._by_bigram: dict[str, list[int]] = {}
        self._gram_counts: list[int] = []
        for number, term in enumerate(self._terms):
            if " " not in term.text:
                self._by_skeleton.setdefault(term.skeleton, []).append(number)
            grams = _bigrams(term.text)
            self._gram_counts.append(len(grams))
            for gram in grams:
                self._by_bigram.setdefault(gram, []).append(number)
        self._top = self._rank({i: 0.0 for i in range(len(self._entries))})

    def __len__(self) -> int:
        return len(self._entries)

    def _add(self, entry: _Entry) -> None:
        normalized = normalize_name(entry.name)
        if not normalized:
            return
        number = len(self._entries)
        self._entries.append(entry)
        self._exact.setdefault(normalized, entry.actor)
        self._terms.append(_Term(normalized, skeleton(normalized), number, whole=True))
        words = normalized.split()
        if len(words) > 1:
            for word in dict.fromkeys(words):
                if len(word) >= 3:
                    self._terms.append(_Term(word, skeleton(word), number, whole=False))

    def exact(self, text: str) -> str | None:
        """The canonical name whose own name or alias normalises like ``text``, else None."""
        return self._exact.get(normalize_name(text))

    def suggest(self, text: str, limit: int = 25) -> list[NameMatch]:
        """Best matches for what the user typed so far; an empty query lists the most-mentioned actors."""
        if limit <= 0:
            return []
        query = normalize_name(text[: _MAX_QUERY * 4])[:_MAX_QUERY]
        if not query:
            return self._top[:limit]
        scores: dict[int, float] = {}
        query_skeleton = skeleton(query)
        for number in self._candidates(query, query_skeleton):
            term = self._terms[number]
            score = _score(query, query_skeleton, term)
            if score > scores.get(term.entry, 0.0):
                scores[term.entry] = score
        return self._rank(scores)[:limit]

    def _candidates(self, query: str, query_skeleton: str) -> set[int]:
        """Prefix matches, same-skeleton words, and the terms sharing the most character bigrams."""
        start = bisect.bisect_left(self._sorted_texts, query)
        end = bisect.bisect_right(self._sorted_texts, query + "\uffff")
        found = set(self._sorted[start:end])
        if " " not in query and len(query_skeleton) >= 2:
            found.update(self._by_skeleton.get(query_skeleton, ()))
        grams = _bigrams(query)
        if grams:
            shared = Counter(n for gram in grams for n in self._by_bigram.get(gram, ()))
            dice = ((2 * count / (len(grams) + self._gram_counts[n]), n) for n, count in shared.items())
            found.update(n for score, n in heapq.nlargest(_FUZZY_CANDIDATES, dice) if score >= _MIN_DICE)
        return found

    def _rank(self, scores: dict[int, float]) -> list[NameMatch]:
        """One match per actor, best score first, then the most mentioned, then by name."""
        best: dict[str, tuple[float, _Entry]] = {}
        for number, score in scores.items():
            entry = self._entries[number]
            if entry.actor not in best or score > best[entry.actor][0]:
                best[entry.actor] = (score, entry)
        ordered = sorted(
            best.values(), key=lambda item: (-item[0], -item[1].weight, item[1].actor.casefold())
        )
        return [NameMatch(entry.actor, entry.name, round(score, 3)) for score, entry in ordered]


def _score(query: str, query_skeleton: str, term: _Term) -> float:
    """Exact > prefix > same skeleton > substring > difflib similarity (of letters or of skeletons)."""
    if term.text == query:
        return 1.0 if term.whole else 0.97
    if term.text.startswith(query):
        return 0.9
    ratio = SequenceMatcher(None, query, term.text, autojunk=False).ratio()
    one_word = " " not in query and " " not in term.text
    if one_word and len(query_skeleton) >= 2 and term.skeleton == query_skeleton:
        return 0.7 + 0.15 * ratio
    if len(query) >= 3 and query in term.text:
        return 0.7
    if len(query_skeleton) >= 2 and len(term.skeleton) >= 2:
        ratio = max(
            ratio, SequenceMatcher(None, query_skeleton, term.skeleton, autojunk=False).ratio() - 0.05
        )
    return 0.75 * ratio if ratio >= _MIN_FUZZY else 0.0
