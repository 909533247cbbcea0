"""Which actors a chat message names, and what a question put to the bot asks about.

No Discord here: plain text work plus look-ups in the store's in-memory name index, through the two
methods of :class:`NameLookup` (:class:`bot.store.Store` has both). Whole names and aliases match in any
case ("haftar", "the LNA"); a lone surname ("Shoigu") only when capitalised and when it is the surname of
exactly one person, so ordinary words in chat ("the Group", "Council") do not turn into actors.
"""

from __future__ import annotations

import re
from typing import Protocol

from bot.extract.names import FUNCTION_WORDS, PARTICLES, strip_possessive
from bot.extract.segment import tokenize
from bot.store.models import ActorSuggestion
from bot.store.names import normalize_name

MAX_PHRASE_WORDS = 6  # longer than any name or alias ("Al-Bunyan Al-Marsous Operation" is 3 words)
MAX_SCAN_CHARS = 4000  # Discord's longest message
MAX_SUBJECT_WORDS = 8
# Suggestion score of a query equal to one whole word of a name ("Wagner" in "Wagner Group"); below it
# are prefixes and fuzzy matches, which are fine as suggestions but too loose to answer with.
WHOLE_WORD_SCORE = 0.97

_MARKUP = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|@(?:everyone|here)\b|https?://\S+")
_QUESTION = re.compile(
    r"""^(?:(?:hey|hi|so|ok|okay|and|but|btw)\b[\s,:]*)?
    (?:
        (?:who|what)(?:\s+(?:is|are|was|were)|['’]s)
      | (?:tell|show)\s+me\s+(?:more\s+)?about
      | what\s+(?:do|does)\s+(?:you|we|anyone)\s+know\s+about
      | (?:any\s+)?info(?:rmation)?\s+(?:on|about)
    )\s+(?P<subject>.+)$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_TRAILING = re.compile(r"(?:[\s?!.,;:]|\b(?:please|pls|exactly|again|anyway|actually)\b)+$", re.IGNORECASE)


class NameLookup(Protocol):
    async def resolve_actor(self, text: str) -> str | None: ...

    async def suggest_actors(self, text: str, limit: int = 25) -> list[ActorSuggestion]: ...


def strip_markup(text: str) -> str:
    """The words of a message without user/role/channel mentions, custom emoji, @everyone/@here and links."""
    return " ".join(_MARKUP.sub(" ", text).split())


def parse_question(text: str) -> str | None:
    """The subject of "who is Maiteeq?", "what's the LNA", "tell me about Wagner" …; None for anything else
    (a question must be the whole message, and its subject a few words)."""
    match = _QUESTION.match(strip_markup(text))
    if match is None:
        return None
    subject = _TRAILING.sub("", match["subject"]).strip()
    if not subject or len(subject.split()) > MAX_SUBJECT_WORDS or not any(c.isalpha() for c in subject):
        return None
    return subject


async def resolve_subject(lookup: NameLookup, subject: str) -> str | None:
    """The one actor a question's subject clearly means: an exact name or alias, or a whole word of one
    actor's name only ("Wagner"); None when unknown or ambiguous ("Council")."""
    exact = await lookup.resolve_actor(subject)
    if exact is not None:
        return exact
    words = normalize_name(subject).split()
    if not words or all(word in FUNCTION_WORDS for word in words):
        return None
    best = _clear_best(await lookup.suggest_actors(subject, limit=2))
    return best.name if best is not None else None


async def find_actors(lookup: NameLookup, text: str) -> list[str]:
    """Canonical names of the actors ``text`` names, in order of first mention, each once.

    Within each run of words between punctuation, the longest phrase that is a name or alias wins
    ("LNA leader" is Haftar, not the LNA); a word that starts no name may still be a person's surname.
    """
    found: dict[str, None] = {}
    for words in _word_runs(strip_markup(text)[:MAX_SCAN_CHARS]):
        start = 0
        while start < len(words):
            actor, length = await _name_at(lookup, words, start)
            if actor is not None:
                found.setdefault(actor)
            start += length
    return list(found)


def _word_runs(text: str) -> list[list[str]]:
    """Words (possessives stripped) in runs that punctuation ends, so no name spans "Haftar, Serraj"."""
    runs: list[list[str]] = [[]]
    for token in tokenize(text):
        if token.text[0].isalnum():
            runs[-1].append(strip_possessive(token.text)[0])
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


async def _name_at(lookup: NameLookup, words: list[str], start: int) -> tuple[str | None, int]:
    """The actor named by the longest phrase starting at ``words[start]``, and how many words it took."""
    for length in range(min(MAX_PHRASE_WORDS, len(words) - start), 0, -1):
        phrase = words[start : start + length]
        if _is_ordinary(phrase):
            continue
        actor = await lookup.resolve_actor(" ".join(phrase))
        if actor is not None:
            return actor, length
    return await _person_by_surname(lookup, words[start]), 1


def _is_ordinary(phrase: list[str]) -> bool:
    """Only function words, not written as an acronym: "us" is not the US, "May" not Theresa May."""
    return all(w.lower() in FUNCTION_WORDS for w in phrase) and not all(w.isupper() for w in phrase)


async def _person_by_surname(lookup: NameLookup, word: str) -> str | None:
    """The one person whose surname ``word`` is ("Shoigu", "al-Assad"); capitalised words only."""
    surname = _bare_surname(word)
    if not word[:1].isupper() or surname is None:
        return None
    best = _clear_best(await lookup.suggest_actors(surname, limit=2))
    if best is None or best.kind != "person" or normalize_name(best.name).split()[-1] != surname:
        return None
    return best.name


def _bare_surname(word: str) -> str | None:
    """``word`` normalised, without a leading particle ("al-Assad" → "assad"); None if not one real word."""
    parts = normalize_name(word).split()
    while len(parts) > 1 and parts[0] in PARTICLES:
        parts.pop(0)
    if len(parts) != 1 or len(parts[0]) < 3 or parts[0] in FUNCTION_WORDS:
        return None
    return parts[0]


def _clear_best(suggestions: list[ActorSuggestion]) -> ActorSuggestion | None:
    """The top suggestion when it matches a whole word (or more) and no other actor matches as well."""
    if not suggestions or suggestions[0].score < WHOLE_WORD_SCORE:
        return None
    if len(suggestions) > 1 and suggestions[1].score >= suggestions[0].score:
        return None
    return suggestions[0]
