"""What a user searches for, as safe FTS5 queries: each term a quoted phrase (no operator survives), a
term with alternatives (an actor's names) an OR group, terms joined by AND (or OR as a fallback)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")
MAX_TERMS = 32
MAX_ALTERNATIVES = 12


@dataclass(frozen=True)
class Term:
    """One thing the text must contain: any of ``alternatives``, each a phrase of plain words."""

    alternatives: tuple[str, ...]
    quoted: bool = False  # typed in quotation marks: an exact phrase, never split into names

    @property
    def text(self) -> str:
        return self.alternatives[0]


def _phrase(text: str) -> str:
    return " ".join(_WORD.findall(text))


def parse_terms(text: str) -> list[Term]:
    """Quoted phrases ("drone strikes") as one term each, every other word as its own term, in order,
    each once."""
    terms: list[Term] = []
    position = 0
    for match in _QUOTED.finditer(text):
        terms += [Term((word,)) for word in _WORD.findall(text[position : match.start()])]
        if phrase := _phrase(match[1]):
            terms.append(Term((phrase,), quoted=True))
        position = match.end()
    terms += [Term((word,)) for word in _WORD.findall(text[position:])]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def fts_match(terms: list[Term], *, any_term: bool = False) -> str | None:
    """The FTS5 query for ``terms``: every term (or, with ``any_term``, any of them)."""
    parts = []
    for term in terms:
        phrases = [p for p in dict.fromkeys(_phrase(a) for a in term.alternatives) if p][:MAX_ALTERNATIVES]
        if not phrases:
            continue
        quoted = [f'"{phrase}"' for phrase in phrases]
        parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    if not parts:
        return None
    return (" OR " if any_term else " AND ").join(parts)
