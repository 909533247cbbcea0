"""Find the spans of a sentence that are proper names ("Khalifa Haftar", "Government of National Accord").

A span is a run of capitalised words, joined by name particles ("al-", "bin", "de") and by "of"/"for"
between capitalised words. It stops at a possessive ("Haftar’s"), at a hyphenated modifier
("Kremlin-aligned", which is kept aside as a :class:`Modifier`), at a month or weekday used as a date, and
at punctuation. A capitalised first word of the sentence only counts when it is not an ordinary word.
What a span *is* (person, organisation, place …) is decided later, in :mod:`bot.extract.actors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract import lexicon
from bot.extract.segment import Token, tokenize

_WORDS = lexicon.load("actors")
FUNCTION_WORDS = frozenset(_WORDS["function_words"])
MONTHS = frozenset(_WORDS["months"])
PARTICLES = frozenset(_WORDS["name_particles"])
ABBREVIATED_TITLES = frozenset(title for title in _WORDS["honorifics"] if title.endswith("."))
POSSESSIVE_NAME_PARTS = frozenset(
    {"people", "workers", "women", "children", "martyrs", "men", "nations", "saints"}
)
_CONNECTORS = frozenset({"of", "for"})
# "United Nations Mission in South Sudan", "Committee on Foreign Affairs": these heads take one more word
_JOINING_HEADS: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in _WORDS["name_joining_heads"].items()}
_MODIFIER_TAILS = frozenset(_WORDS["modifier_tails"])
_HYPHEN_MODIFIER = re.compile(r"^(?P<head>.+?)-(?P<tail>[a-z][a-z-]*)$")
_PREFIX_MODIFIER = re.compile(r"^(?P<prefix>pro|anti|non|ex|post|pre)-(?P<head>[A-Z].*)$")
_PARTICLE_NAME = re.compile(r"^(?:al|el|ad|as|ash|at|az|ar|an|ul)-[A-Z]", re.UNICODE)
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&]{1,7}$")


@dataclass(frozen=True)
class Span:
    """A proper-name span: character offsets in the sentence and its words."""

    start: int
    end: int
    words: tuple[str, ...]
    possessive: bool
    sentence_initial: bool
    previous: str | None  # the word before the span, lower-cased (None at sentence start)
    following: str | None  # the word after the span, as written

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Modifier:
    """A hyphenated modifier built on a name: "Kremlin-aligned", "UN-brokered", "pro-LNA"."""

    start: int
    end: int
    name: str
    relation_word: str  # "aligned", "backed", "based", … or the prefix "pro"/"anti"


def is_acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word))


def strip_possessive(word: str) -> tuple[str, bool]:
    """("Haftar’s") -> ("Haftar", True)."""
    if len(word) > 2 and word[-2:] in {"’s", "'s"}:
        return word[:-2], True
    return word, False


def _is_name_word(token: Token) -> bool:
    word = token.text
    return (word[:1].isupper() and any(c.isalpha() for c in word)) or bool(_PARTICLE_NAME.match(word))


def _is_date_word(tokens: list[Token], i: int) -> bool:
    """A month or weekday name used as a date ("On April 8", "in March"), not a name ("Theresa May")."""
    if tokens[i].text.lower().rstrip(".") not in MONTHS:
        return False
    following = tokens[i + 1].text if i + 1 < len(tokens) else ""
    previous = tokens[i - 1].text if i > 0 else ""
    if following[:1].isdigit() or previous[:1].isdigit():
        return True
    return not (previous[:1].isupper() and previous.lower() not in FUNCTION_WORDS)


def _ordinary_first_word(word: str, lowercase_vocabulary: frozenset[str]) -> bool:
    """Whether a capitalised sentence-initial word is an ordinary word rather than a name."""
    lower = word.lower()
    if lower in FUNCTION_WORDS or lower in lowercase_vocabulary:
        return True
    return len(lower) > 5 and lower.endswith(("ing", "ly", "ed", "ness", "ment", "ity"))


def find_names(
    sentence: str, lowercase_vocabulary: frozenset[str] = frozenset()
) -> tuple[list[Span], list[Modifier]]:
    """The proper-name spans and name-based hyphen modifiers of one sentence, in order.

    ``lowercase_vocabulary`` holds the words the document also uses in lower case: a capitalised first
    word found there ("Similar", "Fierce") is an ordinary word, not a name.
    """
    tokens = tokenize(sentence)
    spans: list[Span] = []
    modifiers: list[Modifier] = []
    current: list[tuple[Token, str]] = []

    index_of = {token.start: i for i, token in enumerate(tokens)}

    def close(possessive: bool = False) -> None:
        while current and (current[-1][1].lower() in _CONNECTORS | PARTICLES | _JOINING_HEADS.keys()):
            current.pop()
        if current:
            first_token = current[0][0]
            last_token = current[-1][0]
            first_index = index_of[first_token.start]
            last_index = index_of[last_token.start]
            spans.append(
                Span(
                    start=first_token.start,
                    end=last_token.end,
                    words=tuple(word for _, word in current),
                    possessive=possessive,
                    sentence_initial=first_index == 0 or tokens[first_index - 1].text in '“"‘(',
                    previous=tokens[first_index - 1].text.lower() if first_index > 0 else None,
                    following=tokens[last_index + 1].text if last_index + 1 < len(tokens) else None,
                )
            )
        current.clear()

    for i, token in enumerate(tokens):
        word = token.text
        if word == "." and current and current[-1][1] + "." in ABBREVIATED_TITLES:
            continue  # the dot of "Gen." or "Dr." inside a name
        initial = current and _is_initial(current[-1][1]) and i + 1 < len(tokens)
        if word == "." and initial and _is_name_word(tokens[i + 1]):
            continue  # a middle initial: "Vassily A. Nebenzia"
        modifier = _modifier(token)
        if modifier is not None:
            close()
            modifiers.append(modifier)
            continue
        if _is_name_word(token) and not _is_date_word(tokens, i):
            at_start = i == 0 or tokens[i - 1].text in '“"‘('
            if at_start and _ordinary_first_word(strip_possessive(word)[0], lowercase_vocabulary):
                continue
            name, possessive = strip_possessive(word)
            if (
                possessive
                and name.lower() in POSSESSIVE_NAME_PARTS
                and i + 1 < len(tokens)
                and _is_name_word(tokens[i + 1])
            ):
                current.append((token, word))  # "Donetsk People's Republic", "Kurdistan Workers' Party"
                continue
            current.append((token, name))
            if possessive:
                close(possessive=True)
            continue
        lower = word.lower()
        joins = current and (lower in _CONNECTORS or lower in PARTICLES) and i + 1 < len(tokens)
        joins = joins or bool(
            current and i + 1 < len(tokens) and current[-1][1].lower() in _JOINING_HEADS.get(lower, ())
        )
        if joins and _is_name_word(tokens[i + 1]):
            current.append((token, word))
            continue
        of_the = joins and lower == "of" and tokens[i + 1].text == "the" and i + 2 < len(tokens)
        if of_the and _is_name_word(tokens[i + 2]):
            current.append((token, word))
            continue
        if current and lower == "the" and current[-1][1].lower() == "of":
            current.append((token, word))
            continue
        close()
    close()
    return spans, modifiers


def _modifier(token: Token) -> Modifier | None:
    word = token.text
    match = _HYPHEN_MODIFIER.match(word)
    if (
        match
        and match["head"][:1].isupper()
        and not _PARTICLE_NAME.match(word)
        and _is_modifier_tail(match["tail"])
    ):
        return Modifier(token.start, token.end, match["head"], match["tail"])
    match = _PREFIX_MODIFIER.match(word)
    if match:
        return Modifier(token.start, token.end, match["head"], match["prefix"])
    return None


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _is_modifier_tail(tail: str) -> bool:
    """ "Kremlin-aligned", "UN-brokered", "Moscow-based", "Qatar-style", but not the "sik" of "Won-sik"."""
    return tail.endswith(("ed", "ing")) or tail in _MODIFIER_TAILS or "-" in tail


def lowercase_vocabulary(texts: list[str]) -> frozenset[str]:
    """Every word the texts use in lower case (to tell "Similar weapons…" from a name)."""
    return frozenset(word for text in texts for word in re.findall(r"\b[a-z][a-z'’-]+\b", text))
