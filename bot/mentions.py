"""Which actors a chat message names, and what a question put to the bot asks about.

No Discord here: plain text work plus look-ups in :class:`bot.resolve.ActorResolver`. In running text,
whole names and aliases match in any case ("haftar", "the LNA"); a lone surname ("Shoigu") only when
capitalised and when it is the surname of exactly one person, so ordinary words in chat ("the Group",
"Council") do not turn into actors. A question's subject is resolved like any typed name.
"""

from __future__ import annotations

import re

from bot.extract.names import FUNCTION_WORDS, strip_possessive
from bot.extract.segment import tokenize
from bot.resolve import ActorResolver

MAX_PHRASE_WORDS = 6  # longer than any name or alias ("Al-Bunyan Al-Marsous Operation" is 3 words)
MAX_SCAN_CHARS = 4000  # Discord's longest message
MAX_SUBJECT_WORDS = 8

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


def resolve_subject(resolver: ActorResolver, subject: str) -> str | None:
    """The one actor a question's subject clearly means ("Kortunov", "the LNA", "Wagner chairman"); None
    when unknown or ambiguous ("Council")."""
    if all(word.lower() in FUNCTION_WORDS for word in subject.split()):
        return None
    actor = resolver.resolve(subject).actor
    return actor.name if actor is not None else None


def find_actors(resolver: ActorResolver, text: str) -> list[str]:
    """Canonical names of the actors ``text`` names, in order of first mention, each once.

    Within each run of words between punctuation, the longest phrase that is a name or alias wins
    ("LNA leader" is Haftar, not the LNA); a word that starts no name may still be a person's surname.
    """
    found: dict[str, None] = {}
    for words in _word_runs(strip_markup(text)[:MAX_SCAN_CHARS]):
        start = 0
        while start < len(words):
            actor, length = _name_at(resolver, words, start)
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


def _name_at(resolver: ActorResolver, words: list[str], start: int) -> tuple[str | None, int]:
    """The actor named by the longest phrase starting at ``words[start]``, and how many words it took."""
    for length in range(min(MAX_PHRASE_WORDS, len(words) - start), 0, -1):
        phrase = words[start : start + length]
        if _is_ordinary(phrase):
            continue
        actor = resolver.exact(" ".join(phrase))
        if actor is not None:
            return actor, length
    word = words[start]
    if not word[:1].isupper() or word.lower() in FUNCTION_WORDS:  # "May I ask" names nobody
        return None, 1
    return resolver.surname(word), 1


def _is_ordinary(phrase: list[str]) -> bool:
    """Only function words, not written as an acronym: "us" is not the US, "May" not Theresa May."""
    return all(w.lower() in FUNCTION_WORDS for w in phrase) and not all(w.isupper() for w in phrase)
