"""Dated events: every resolved date in the text becomes an event summarised by the clause it sits in.

The clause is the part of the sentence between clause breaks (", which", ", though", "; ", " as his …",
" in a bid to"). The summary is that clause without its date phrase; a relative clause ("…his offensive in
Tripoli, which began on April 4") is prefixed by the noun phrase it describes, with a possessive pronoun
replaced by the person it stands for ("Khalifa Haftar’s offensive in Tripoli began").
"""

from __future__ import annotations

import itertools
import re

from bot.extract.actors import ActorIndex, Occurrence
from bot.extract.dates import DateMention
from bot.extract.model import Event, Sentence

_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:which|who|whom|whose|where|in\s+which|though|although|despite|while|but|because|after\s+which|"
    r"leaving|killing|prompting|amid|even\s+as|according\s+to)\b)"
    r"|;\s+|\s+[—–]\s+|\s+(?=in\s+a\s+bid\s+to\b|in\s+order\s+to\b)"
    r"|(?<!such)(?<!well)\s+(?=as\s+(?:his|her|its|their|the)\s+\w+)",
)
_DATE_PREPOSITION = re.compile(
    r"(?:\b(?:on|in|at|by|since|from|until|during|of|as\s+of)\s+)?$", re.IGNORECASE
)
_LEADING_NOISE = re.compile(
    r"^(?:,|\s|and\b|but\b|that\b|then\b|(?:this|that|it)\s+(?:was|came)\s+(?:after|before|when)\b)+",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"^(?:which|who|that)\s+", re.IGNORECASE)
_DETERMINER = re.compile(r"\b(?:his|her|its|their|the|a|an|this|these|those)\s", re.IGNORECASE)
_MAX_ANTECEDENT_WORDS = 8
_PRONOUN_POSSESSIVE = re.compile(r"^(?:his|her)\b", re.IGNORECASE)
_MIN_SUMMARY_WORDS = 2


def _clauses(text: str) -> list[tuple[int, int]]:
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)] + [len(text)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _without_dates(text: str, offset: int, mentions: list[DateMention]) -> str:
    pieces: list[str] = []
    cursor = offset
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start < offset or mention.end > offset + len(text):
            continue
        before = text[cursor - offset : mention.start - offset]
        pieces.append(_DATE_PREPOSITION.sub("", before))
        cursor = mention.end
    pieces.append(text[cursor - offset :])
    cleaned = re.sub(r"\s+", " ", " ".join(pieces))
    cleaned = re.sub(r"\s+([,.;:])", r"\1", cleaned)
    return cleaned.strip(" ,.;:")


def _person_before(occurrences: list[Occurrence], actors: ActorIndex, position: int) -> str | None:
    people = [o for o in occurrences if o.end <= position and actors.actors[o.actor].kind == "person"]
    return people[-1].actor if people else None


def _antecedent(text: str, clause_start: int, occurrences: list[Occurrence], actors: ActorIndex) -> str:
    """The noun phrase a relative clause describes, its "his"/"her" replaced by the person meant."""
    before = text[:clause_start].rstrip(" ,")
    starts = [m.start() for m in _DETERMINER.finditer(before)]
    if not starts or len(before[starts[-1] :].split()) > _MAX_ANTECEDENT_WORDS:
        return ""
    phrase = before[starts[-1] :].strip()
    person = _person_before(occurrences, actors, starts[-1])
    if person and _PRONOUN_POSSESSIVE.match(phrase):
        phrase = _PRONOUN_POSSESSIVE.sub(f"{person}’s", phrase, count=1)
    return phrase


def _summary(
    sentence: Sentence,
    clause: tuple[int, int],
    mentions: list[DateMention],
    mention: DateMention,
    occurrences: list[Occurrence],
    actors: ActorIndex,
) -> str:
    text = sentence.text
    start, end = clause
    in_clause = [m for m in mentions if start <= m.start < end]
    earlier = [m for m in in_clause if m.start < mention.start]
    if earlier:  # a second date in one clause: the words that lead up to it
        start = earlier[-1].end
    body = _without_dates(text[start:end], start, in_clause)
    body = _LEADING_NOISE.sub("", body).strip()
    if _RELATIVE.match(body):
        body = f"{_antecedent(text, clause[0], occurrences, actors)} {_RELATIVE.sub('', body)}".strip()
    if len(body.split()) < _MIN_SUMMARY_WORDS:
        body = _without_dates(text[clause[0] : clause[1]], clause[0], in_clause)
    return body[:1].upper() + body[1:]


def find_events(
    sentences: list[Sentence], actors: ActorIndex, dates: dict[tuple[int, int], list[DateMention]]
) -> list[Event]:
    events: list[Event] = []
    for sentence in sentences:
        mentions = [m for m in dates.get((sentence.paragraph, sentence.index), []) if m.date is not None]
        occurrences = actors.in_sentence(sentence)
        seen: set[str] = set()
        for mention in mentions:
            clause = next(
                ((a, b) for a, b in _clauses(sentence.text) if a <= mention.start < b),
                (0, len(sentence.text)),
            )
            assert mention.date is not None
            key = mention.date.iso()
            if key in seen:
                continue
            seen.add(key)
            summary = _summary(sentence, clause, mentions, mention, occurrences, actors)
            involved = [o.actor for o in occurrences if clause[0] <= o.start < clause[1]]
            if _RELATIVE.match(sentence.text[clause[0] :].lstrip(", ")):
                person = _person_before(occurrences, actors, clause[0])
                involved = ([person] if person else []) + involved
            elif not involved:
                involved = [o.actor for o in occurrences]
            events.append(
                Event(
                    date=mention.date,
                    summary=summary,
                    actors=list(dict.fromkeys(involved)),
                    paragraph=sentence.paragraph,
                    sentence=sentence.index,
                    evidence=sentence.text,
                )
            )
    return events
