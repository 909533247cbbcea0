"""Relations between actors (leads, member of, ally of, backs, opposes) that the text states.

Three sources, in order of how sure they are:

1. roles: "Wagner Group chairman Yevgeny Prigozhin" -> Prigozhin leads Wagner Group; "GNA Minister of
   Foreign Affairs Mohamed Siala" -> Siala member of GNA (a deputy, adviser or spokesperson is a member);
2. hyphenated modifiers on an actor or its appositive: "the Wagner Group, a Kremlin-aligned security
   company" -> Wagner Group ally of Russia; "Russian-backed forces" would be Russia backs …;
3. trigger phrases between two actors of one clause, at most a few words apart: "Russia has backed
   Haftar’s offensive" -> Russia backs Khalifa Haftar; "one of Haftar’s leading allies, alongside Egypt and
   the UAE" -> the clause's subject, Egypt and the UAE are allies of Haftar.

Only relations between two different actors found in the text are kept, each once, with its citation.
"""

from __future__ import annotations

import re

from bot.extract import lexicon
from bot.extract.actors import ActorIndex, Occurrence
from bot.extract.gazetteer import fold, gazetteer
from bot.extract.model import Relation, RelationType, Sentence
from bot.extract.roles import is_leader_role

_DATA = lexicon.load("relations")
_MODIFIERS: dict[str, str] = _DATA["modifier_relations"]
_MAX_GAP = _DATA["max_gap_words"]
_TRIGGERS = [
    (
        re.compile(rf"\b(?:{t['pattern']})\b", re.IGNORECASE),
        t["type"],
        t["direction"],
        t.get("object_first", False),
    )
    for t in _DATA["triggers"]
]
_POSSESSIVE_ALLIES = re.compile(rf"^\s*{_DATA['possessive_allies']}\b", re.IGNORECASE)
_CLAUSE_EDGE = re.compile(r"[;:]|,\s+(?:which|who|while|but|although|though|despite)\b|\.\s")
_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|at|on|to|from|within|across|over|into|toward|towards|near)\s+(?:the\s+)?$", re.IGNORECASE
)
_TOPIC_PREPOSITIONS = re.compile(
    r"\b(?:on|about|over|in|to|toward|towards|with)\s+(?:the\s+)?$", re.IGNORECASE
)


def _add(actors: ActorIndex, source: str, type_: str, target: str, sentence: Sentence) -> None:
    if source == target or source not in actors.actors or target not in actors.actors:
        return
    actor = actors.actors[source]
    if any(r.type == type_ and r.target == target for r in actor.relations):
        return
    relation_type: RelationType = type_  # type: ignore[assignment]
    actor.relations.append(Relation(relation_type, target, sentence.paragraph, sentence.index))


def _words_between(text: str, start: int, end: int) -> int:
    return len(re.findall(r"\w+", text[start:end]))


def _from_roles(sentence: Sentence, occurrences: list[Occurrence], actors: ActorIndex) -> None:
    gaz = gazetteer()
    for occurrence in occurrences:
        role = occurrence.role
        if not role or actors.actors[occurrence.actor].kind != "person":
            continue
        role_start = sentence.text.find(role)
        if role_start < 0:
            continue
        role_end = role_start + len(role)
        inside = [
            o
            for o in occurrences
            if role_start <= o.start < role_end
            and o.actor != occurrence.actor
            and not _TOPIC_PREPOSITIONS.search(sentence.text[role_start : o.start])
        ]
        organisations = [o for o in inside if actors.actors[o.actor].kind != "country"]
        countries = [o for o in inside if actors.actors[o.actor].kind == "country"]
        target = (organisations or countries or [None])[0]  # "director of X at Y": X
        target_name = target.actor if target else None
        if target_name is None:
            demonyms = [gaz.demonyms[fold(w)] for w in re.findall(r"[\w-]+", role) if fold(w) in gaz.demonyms]
            target_name = demonyms[0] if demonyms and demonyms[0] in actors.actors else None
        if target_name:
            _add(
                actors,
                occurrence.actor,
                "leads" if is_leader_role(role) else "member_of",
                target_name,
                sentence,
            )


def _from_modifiers(sentence: Sentence, occurrences: list[Occurrence], actors: ActorIndex) -> None:
    for modifier in actors.modifiers.get((sentence.paragraph, sentence.index), []):
        relation = _MODIFIERS.get(modifier.relation_word)
        source = actors.resolve(modifier.name)
        if relation is None or source is None:
            continue
        described = None
        for occurrence in occurrences:
            gap = sentence.text[occurrence.end : modifier.start]
            if occurrence.end <= modifier.start and re.fullmatch(r",\s+(?:a|an|the)\s+[^,;]*", gap):
                described = occurrence
        for occurrence in occurrences:
            if occurrence.start >= modifier.end and re.fullmatch(
                r"\s+(?:\w+\s+){0,2}", sentence.text[modifier.end : occurrence.start]
            ):
                described = described or occurrence
        if described is None:
            continue
        if relation == "ally_of":
            _add(actors, described.actor, "ally_of", source, sentence)
        else:
            _add(actors, source, relation, described.actor, sentence)


def _clause_of(text: str, position: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for match in _CLAUSE_EDGE.finditer(text):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


def _from_triggers(sentence: Sentence, occurrences: list[Occurrence], actors: ActorIndex) -> None:
    text = sentence.text
    for pattern, type_, direction, object_first in _TRIGGERS:
        for match in pattern.finditer(text):
            start, end = _clause_of(text, match.start())
            before = [
                o
                for o in occurrences
                if start <= o.start
                and o.end <= match.start()
                and not _AFTER_PREPOSITION.search(text[max(0, o.start - 30) : o.start])
            ]
            after = [
                o
                for o in occurrences
                if match.end() <= o.start < end
                and not _AFTER_PREPOSITION.search(text[max(match.end(), o.start - 30) : o.start])
            ]
            if not before or not after:
                continue
            subject, obj = before[-1], after[0]
            if _words_between(text, subject.end, match.start()) > _MAX_GAP:
                subject = (
                    before[0] if _words_between(text, before[0].end, match.start()) <= _MAX_GAP else None
                )
            if subject is None or _words_between(text, match.end(), obj.start) > (
                4 if not object_first else 1
            ):
                continue
            if direction == "backward":
                subject, obj = obj, subject
            _add(actors, subject.actor, type_, obj.actor, sentence)


def _from_possessive_allies(sentence: Sentence, occurrences: list[Occurrence], actors: ActorIndex) -> None:
    """ "one of Haftar’s leading allies, alongside Egypt and the UAE"."""
    text = sentence.text
    for occurrence in occurrences:
        if not occurrence.possessive or not _POSSESSIVE_ALLIES.match(text[occurrence.end + 2 :]):
            continue
        start, end = _clause_of(text, occurrence.start)
        subjects = [o for o in occurrences if start <= o.start < occurrence.start]
        partners = [o for o in occurrences if occurrence.end < o.start < end]
        for other in subjects[:1] + partners:
            _add(actors, other.actor, "ally_of", occurrence.actor, sentence)


def find_relations(sentences: list[Sentence], actors: ActorIndex) -> None:
    """Attach every stated relation to its actor (``Actor.relations``)."""
    for sentence in sentences:
        occurrences = actors.in_sentence(sentence)
        _from_roles(sentence, occurrences, actors)
        _from_modifiers(sentence, occurrences, actors)
        _from_possessive_allies(sentence, occurrences, actors)
        _from_triggers(sentence, occurrences, actors)
