"""Decide which names are actors, merge their forms into one canonical actor each, and find every mention.

The work is done over the whole document, because a name is often clearer later than where it first
appears: "Haftar" in the first paragraph is the "Khalifa Haftar" of the second, and "LNA" is defined by
"Libyan National Army (LNA)". The rules:

- a known country, organisation or place (gazetteer) is what the gazetteer says; a capital city or an
  institution ("Moscow", "the Kremlin") stands for its country when it acts, not when it is a place
  ("Moscow's continued willingness" is Russia, "a visit to Moscow" is not);
- a span headed by an organisation word ("Army", "Ministry of …", "Group") is an organisation of that
  word's kind; an appositive ("a Kremlin-aligned security company") can make it an armed group;
- a span ending in a personal name, after a title ("Russian Minister of Defense Sergei Shoigu"), is that
  person, with the title as a role; two or more name words are a person;
- a single word is a person when it is the surname of a person the document names, or is marked as
  one (a title, a possessive, a speech verb); otherwise it is left out;
- the author of the article is not an actor.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from bot.extract import lexicon
from bot.extract.gazetteer import Gazetteer, fold, gazetteer
from bot.extract.model import Actor, Mention, Sentence
from bot.extract.names import (
    FUNCTION_WORDS,
    PARTICLES,
    Modifier,
    Span,
    find_names,
    is_acronym,
    lowercase_vocabulary,
)
from bot.extract.parse import Entity
from bot.extract.roles import (
    HONORIFICS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    apposition_role,
    appositive_after,
    appositive_before,
    is_honorific_only,
    is_role_word,
    title_before,
)

_WORDS = lexicon.load("actors")
ORG_HEADS: dict[str, str] = _WORDS["org_heads"]
EVENT_HEADS = frozenset(_WORDS["event_heads"])
GEO_NOUNS = frozenset(_WORDS["geo_nouns"])
ARMED_DESCRIPTORS = tuple(_WORDS["armed_descriptors"])
PATRONYMIC = tuple(_WORDS["patronymic_suffixes"])
_SUBJECT_POSITION = frozenset(
    {
        ",",
        "and",
        "but",
        "that",
        "which",
        "while",
        "as",
        "because",
        "though",
        "although",
        "when",
        "since",
        "whereas",
        "so",
        "yet",
        "if",
        "unless",
        "whether",
        "“",
        '"',
    }
)
_NOT_AFTER = frozenset(_WORDS["locative_prepositions"]) | {
    "of",
    "for",
    "on",
    "by",
    "with",
    "against",
    "over",
    "about",
    "the",
    "a",
    "an",
    "-",
}
_ACTING_WORDS = frozenset(
    {
        "also",
        "has",
        "had",
        "have",
        "will",
        "would",
        "could",
        "is",
        "was",
        "says",
        "said",
        "continues",
        "continued",
        "hopes",
        "wants",
        "views",
        "sees",
        "insists",
        "denies",
        "may",
        "might",
        "must",
        "should",
        "can",
        "does",
        "did",
        "remains",
        "seeks",
    }
)
_NOT_ACRONYMS = frozenset(
    {
        "GMT",
        "UTC",
        "EST",
        "CET",
        "AM",
        "PM",
        "TV",
        "ID",
        "OK",
        "II",
        "III",
        "IV",
        "USD",
        "EUR",
        "KM",
        "PHD",
        "CEO",
        "NB",
        "PS",
        "AD",
        "BC",
        "COVID",
        "POW",
        "POWS",
        "GDP",
        "UAV",
        "IDP",
        "HQ",
    }
)
_SPELLING_SIMILARITY = 0.8  # "mohammmed"/"mohamed" 0.88; "raul"/"fidel" 0.22
# the model's labels that it rarely gives a person's name (it does confuse names with ORG and GPE)
_NOT_PERSON_LABELS = frozenset({"EVENT", "NORP", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "LOC", "FAC"})
_INSTITUTION_NOUNS = (
    r"government|gov't|ministry|army|military|armed\s+forces|presidency|police|navy|parliament|guards?"
)
_ARMED_INSTITUTIONS = frozenset({"army", "military", "armed force", "navy", "guard"})
_INSTITUTION_ADJECTIVES = frozenset(_WORDS["institution_adjectives"])  # "presidential guards"
_OWNER = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}"
_INSTITUTION_OF = re.compile(
    rf"\b(?:[Tt]he\s+)?(?P<mod>)(?P<noun>[Gg]overnment|[Pp]residency|[Aa]rmy|[Pp]arliament)\s+of\s+(?:the\s+)?"
    rf"(?P<owner>{_OWNER})"
)
_INSTITUTION_AFTER = re.compile(
    rf"(?P<owner>{_OWNER})\s+(?P<mod>(?:[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Tt]ransitional|[Ff]ederal)\s+)?"
    rf"(?P<noun>{_INSTITUTION_NOUNS})\b"
)
_POSSESSIVE_PRONOUN = re.compile(r"^(?:his|her)\s+", re.IGNORECASE)
_MONARCHS = frozenset(_WORDS["monarch_titles"])
_NOT_TURN_SPEAKERS = frozenset(_WORDS["transcript_non_speakers"])
_KNOWN_AS = re.compile(
    r"^,?\s+(?:better |also |widely |commonly |popularly )?known as ([A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,2})"
)
_KNOWN_AS_BEFORE = re.compile(r"known as\s+$")
_SPEECH_AFTER = re.compile(
    r"^\s+(?:said|says|told|stated|argued|added|warned|noted|announced|claimed|insisted)\b"
)


@dataclass
class Candidate:
    sentence: Sentence
    span: Span
    category: str  # person, single, org, country, metonym, acronym, place, event
    name: str
    start: int
    end: int
    kind: str | None = None
    title: str | None = None


@dataclass
class Occurrence:
    """One mention of an actor in a sentence, with the role the text gives there (persons)."""

    actor: str
    sentence: Sentence
    start: int
    end: int
    surface: str
    possessive: bool = False
    role: str | None = None


@dataclass
class ActorIndex:
    actors: dict[str, Actor] = field(default_factory=dict)
    occurrences: dict[tuple[int, int], list[Occurrence]] = field(default_factory=lambda: defaultdict(list))
    modifiers: dict[tuple[int, int], list[Modifier]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> canonical name
    turns: dict[int, str] = field(default_factory=dict)  # transcript paragraph -> the actor speaking

    def in_sentence(self, sentence: Sentence) -> list[Occurrence]:
        return self.occurrences.get((sentence.paragraph, sentence.index), [])

    def resolve(self, name: str) -> str | None:
        """The actor a name, alias or country metonym refers to in this document, if any."""
        gaz = gazetteer()
        folded = fold(name)
        actor = self.aliases.get(folded) or gaz.capitals.get(folded) or gaz.institutions.get(folded)
        if actor is None and (country := gaz.country(name)) is not None:
            actor = country.name
        return actor if actor in self.actors else None


def _person_core(words: tuple[str, ...], gaz: Gazetteer) -> int:
    """How many trailing words of a span form a personal name (0 when none)."""
    count = 0
    for word in reversed(words):
        lower = word.lower().rstrip(".")
        if (
            lower in HONORIFICS
            or lower in ROLE_NOUNS
            or lower.removesuffix("s") in HONORIFICS | ROLE_NOUNS  # "Presidents Kagame and Tshisekedi"
            or lower in ORG_HEADS
            or lower in {"of", "for", "the"}
            or is_acronym(word)
            or fold(word) in gaz.demonyms
            or gaz.country(word)
        ):
            break
        count += 1
    return count


def _classify(sentence: Sentence, span: Span, gaz: Gazetteer, named: list[Entity]) -> list[Candidate]:
    """The candidate a span is, plus the acronyms and countries inside a title ("GNA Prime Minister …")."""
    candidate = _titled_person(sentence, span, named) or _classify_span(sentence, span, gaz)
    if candidate is None or _not_a_person(candidate, named):
        return []
    extra: list[Candidate] = []
    if candidate.title:
        position = span.start
        for word in candidate.title.split():
            position = sentence.text.index(word, position)
            word = word.removesuffix("’s").removesuffix("'s")
            country = gaz.country(word) or (
                gaz.country(gaz.demonyms[fold(word)]) if fold(word) in gaz.demonyms else None
            )
            if is_acronym(word) or country:
                sub_span = Span(position, position + len(word), (word,), False, False, None, None)
                category = "country" if country else "acronym"
                name = country.name if country else word
                extra.append(Candidate(sentence, sub_span, category, name, position, position + len(word)))
            position += len(word)
    return [*extra, candidate]


def _not_a_person(candidate: Candidate, named: list[Entity]) -> bool:
    """Two capitalised words with no title are a person by default; not when the model reads them as
    something else ("Black Friday", "Social Security", "East African", "Great Lakes")."""
    if candidate.category != "person" or candidate.title:
        return False
    covering = [label for start, end, label in named if start <= candidate.start and candidate.end <= end]
    return bool(covering) and all(label in _NOT_PERSON_LABELS for label in covering)


def _read_as_person(candidate: Candidate, named: list[Entity]) -> bool:
    return any(
        label == "PERSON" and start <= candidate.start and candidate.end <= end for start, end, label in named
    )


def _titled_person(sentence: Sentence, span: Span, named: list[Entity]) -> Candidate | None:
    """A title run into a name the model reads as a person: "NSC Coordinator for Strategic Communications"
    + "John Kirby"."""
    end = span.start + len(sentence.text[span.start : span.end].removesuffix("’s").removesuffix("'s"))
    for start, entity_end, label in named:
        if label != "PERSON" or entity_end != end or not span.start < start:
            continue
        title = sentence.text[span.start : start].strip()
        name = sentence.text[start:end]
        before = title.split()[-1] if title else ""
        if (
            len(name.split()) < 2
            or not any(is_role_word(w) for w in title.split())
            or "-" in before  # "Abd-Rabbu" + "Mansour Hadi": the model cut a hyphenated name
            or before.lower() in PARTICLES
        ):
            return None
        return Candidate(sentence, span, "person", name, start, end, title=title)
    return None


def _classify_span(sentence: Sentence, span: Span, gaz: Gazetteer) -> Candidate | None:
    words = span.words
    text = sentence.text[span.start : span.end]
    if span.possessive:
        text = re.sub(r"(?:’s|'s)$", "", text)

    def make(category: str, name: str, start: int = span.start, end: int | None = None, **extra) -> Candidate:
        return Candidate(sentence, span, category, name, start, end or span.start + len(text), **extra)

    if (country := gaz.country(text)) is not None:
        return make("country", country.name)
    if (known := gaz.organization(text)) is not None:
        return make("org", known.name, kind=known.kind)
    if (country_name := gaz.capitals.get(fold(text)) or gaz.institutions.get(fold(text))) is not None:
        return make("metonym", country_name)
    if gaz.is_place(text):
        return make("place", text)
    lowered = [w.lower() for w in words]
    if "of" in lowered:
        before_of = lowered[: lowered.index("of")]
        if any(w in ORG_HEADS for w in before_of):
            head = [w for w in before_of if w in ORG_HEADS][-1]
            return make("org", text, kind=ORG_HEADS[head])
        if not any(w.rstrip(".") in HONORIFICS for w in before_of):
            # "Troops of the Donetsk People's Republic": only what follows "of (the)" is a name.
            rest = lowered.index("of") + 1 + (lowered[lowered.index("of") + 1] == "the")
            start = _word_offset(sentence.text, span.start, words, rest)
            previous = words[rest - 1].lower()
            tail = Span(start, span.end, words[rest:], span.possessive, False, previous, span.following)
            return _classify_span(sentence, tail, gaz)
    if _only_a_title(words, gaz):
        return None  # "the President", "Foreign Minister", "President of Niger": a role, not a name
    if lowered[-1] in EVENT_HEADS or (len(words) > 1 and " ".join(lowered[-2:]) in EVENT_HEADS):
        return make("event", text)
    core = _person_core(words, gaz)
    if 0 < core < len(words):
        title_words = words[: len(words) - core]
        last_title = title_words[-1].lower().rstrip(".")
        if (
            last_title in HONORIFICS
            or last_title in ROLE_NOUNS
            or last_title.removesuffix("s") in HONORIFICS | ROLE_NOUNS
            or is_acronym(title_words[-1])
            or fold(title_words[-1]) in gaz.demonyms
        ):
            name_start = _word_offset(sentence.text, span.start, words, len(words) - core)
            name = sentence.text[name_start : span.start + len(text)]
            category = "person" if core >= 2 else "single"
            return make(
                category, name, start=name_start, title=sentence.text[span.start : name_start].strip()
            )
    if any(w in ORG_HEADS for w in lowered) and len(words) >= 2:
        head = [w for w in lowered if w in ORG_HEADS][-1]
        return make("org", text, kind=ORG_HEADS[head])
    if len(words) == 1:
        if words[0].lower() in FUNCTION_WORDS:
            return None  # "I", "It", "There" opening a sentence are no names
        if is_acronym(words[0]):
            return None if words[0].replace(".", "") in _NOT_ACRONYMS else make("acronym", text)
        if fold(text) in gaz.demonyms or fold(text).removesuffix("s") in gaz.demonyms:  # "Africans"
            return None
        return make("single", text)
    if fold(words[0]) in gaz.demonyms or len(words) > 5:
        return None
    name_words = [w for w in words if w.lower() not in PARTICLES and _strip_particle(w)[:1].isupper()]
    if len(name_words) >= 2 and not any(is_acronym(w) for w in words):
        return make("person", text)
    return None


def _only_a_title(words: tuple[str, ...], gaz: Gazetteer) -> bool:
    """Whether every word is a title word, "of"/"the" or a country ("President of the Republic of Rwanda").
    A monarch's style names one person ("the Amir of Qatar") and stays a name."""
    if words[0].lower() in _MONARCHS:
        return False
    lowered = [w.lower() for w in words]
    if "of" in lowered:  # "President of the Republic of Rwanda": the rest may be one country's name
        rest = " ".join(words[lowered.index("of") + 1 :])
        if gaz.country(rest) is not None or gaz.country(re.sub(r"^the\s+", "", rest)) is not None:
            words = words[: lowered.index("of")]
    titled = False
    for word in words:
        lower = word.lower().rstrip(".").removesuffix("’s").removesuffix("'s")
        if lower in ORG_HEADS:
            return False
        if {lower, lower.removesuffix("s")} & (HONORIFICS | ROLE_NOUNS | ROLE_MODIFIERS):
            titled = True
        elif not (lower in {"of", "the", "for"} or gaz.country(word) or fold(word) in gaz.demonyms):
            return False
    return titled


def _strip_particle(word: str) -> str:
    return re.sub(r"^(?:al|el|ad|as|ash|at|az|ar|an)-", "", word)


def _word_offset(text: str, span_start: int, words: tuple[str, ...], index: int) -> int:
    """Character offset of ``words[index]`` inside the span starting at ``span_start``."""
    position = span_start
    for word in words[:index]:
        position = text.index(word, position) + len(word)
    return text.index(words[index], position)


def _person_key(name: str) -> str:
    """People match on first and last name: "Sergei Kuzhugetovich Shoigu" is "Sergei Shoigu"."""
    parts = [p for p in fold(name).split() if p.endswith(PATRONYMIC) is False or len(p) < 6]
    return f"{parts[0]} {parts[-1]}" if len(parts) >= 2 else fold(name)


def _similar(a: str, b: str) -> bool:
    return len(a) >= 4 and len(b) >= 4 and difflib.SequenceMatcher(None, a, b).ratio() >= _SPELLING_SIMILARITY


def _surnames(name: str) -> set[str]:
    """The short forms a person is referred to by: "Haftar", "al-Serraj", "Serraj", "bin Salman"."""
    words = name.split()
    last = words[-1]
    forms = {last}
    stripped = _strip_particle(last)
    if stripped != last:
        forms.add(stripped)
    if len(words) >= 3 and words[-2].lower() in PARTICLES:
        forms.add(f"{words[-2]} {last}")
    return forms


def _capital_acts(candidate: Candidate) -> bool:
    """A capital city stands for its government when it acts, not when it is where something happens."""
    span = candidate.span
    following = span.following or ""
    if span.possessive:
        after = candidate.sentence.text[span.end : span.end + 40].split()[:3]
        return not (following[:1].isupper() or any(w.strip(",.").lower() in GEO_NOUNS for w in after))
    previous = span.previous
    if previous is not None and previous not in _SUBJECT_POSITION:
        # "Kyiv accused Moscow of …": the object of a verb acts too; after a preposition it is a place.
        return previous not in _NOT_AFTER and previous.isalpha() and previous not in FUNCTION_WORDS
    return following.lower() in _ACTING_WORDS or (following[:1].islower() and following.endswith(("s", "ed")))


def _definitions(sentence: Sentence, candidate: Candidate) -> str | None:
    """ "Libyan National Army (LNA)": the acronym defined right after a name."""
    match = re.match(r"\s*\(([A-Z][A-Za-z.&-]{1,9})\)", sentence.text[candidate.end :])
    if (match and is_acronym(match.group(1))) or (match and match.group(1).isupper()):
        return match.group(1)
    return None


class _Builder:
    def __init__(
        self,
        sentences: list[Sentence],
        author: str | None,
        context: list[str],
        labels: list[str | None],
        entities: dict[str, str],
        named: dict[tuple[int, int], list[Entity]],
        subjects: dict[tuple[int, int], list[tuple[int, int]]],
    ) -> None:
        self.sentences = [Sentence(0, i, line) for i, line in enumerate(context)] + sentences
        self.labels = labels
        self.entities = entities
        self.named = named
        self.subjects = subjects
        self.gaz = gazetteer()
        self.authors = {fold(a) for a in re.split(r"\s+and\s+|,", author or "") if a.strip()}
        self.index = ActorIndex()
        self.alias_to_actor: dict[str, str] = {}
        self.surname_to_actor: dict[str, list[str]] = defaultdict(list)
        self.person_keys: dict[str, str] = {}

    def build(self) -> ActorIndex:
        vocabulary = lowercase_vocabulary([s.text for s in self.sentences])
        candidates: list[Candidate] = []
        for sentence in self.sentences:
            spans, modifiers = find_names(sentence.text, vocabulary)
            self.index.modifiers[(sentence.paragraph, sentence.index)] = modifiers
            named = self.named.get((sentence.paragraph, sentence.index), [])
            found = [c for span in spans for c in _classify(sentence, span, self.gaz, named)]
            if (
                sentence.paragraph == 0
            ):  # a title-case headline: evidence only of a titled or model-read person
                found = [
                    c for c in found if c.category == "person" and (c.title or _read_as_person(c, named))
                ]
            candidates += found
        for candidate in candidates:
            self._register(candidate)
        for candidate in candidates:
            if candidate.category in {"person", "org", "country"} and (
                acronym := _definitions(candidate.sentence, candidate)
            ):
                actor_name = self._actor_for(candidate)
                if actor_name is not None and actor_name in self.index.actors:
                    self._add_alias(self.index.actors[actor_name], acronym)
        for candidate in candidates:
            self._resolve(candidate)
        self._institutions()
        self._descriptive_mentions()
        self._known_as()
        self._turn_mentions()
        self._forget_context()
        self._drop_unmentioned()
        self.index.aliases = self.alias_to_actor
        return self.index

    # registration -------------------------------------------------------------------------------------
    def _new_actor(self, name: str, kind: str) -> Actor:
        actor = self.index.actors.get(name)
        if actor is None:
            actor = self.index.actors[name] = Actor(name=name, kind=kind)  # type: ignore[arg-type]
            self.alias_to_actor.setdefault(fold(name), name)
        return actor

    def _add_alias(self, actor: Actor, alias: str) -> None:
        if alias != actor.name and alias not in actor.aliases:
            actor.aliases.append(alias)
        self.alias_to_actor.setdefault(fold(alias), actor.name)

    def _register(self, candidate: Candidate) -> None:
        if candidate.category == "country":
            self._new_actor(candidate.name, "country")
        elif candidate.category == "org":
            known = self.gaz.organization(candidate.name)
            actor = self._new_actor(known.name if known else candidate.name, candidate.kind or "organization")
            if known:
                for alias in known.aliases:
                    self.alias_to_actor.setdefault(fold(alias), actor.name)
            if self._armed_appositive(candidate):
                actor.kind = "armed_group"
        elif candidate.category == "person" and fold(candidate.name) not in self.authors:
            key = _person_key(candidate.name)
            existing = self.person_keys.get(key) or self._spelling_variant(key)
            if existing is None:
                self.person_keys[key] = candidate.name
                actor = self._new_actor(candidate.name, "person")
                for surname in _surnames(candidate.name):
                    if candidate.name not in self.surname_to_actor[surname]:
                        self.surname_to_actor[surname].append(candidate.name)
            elif existing != candidate.name:
                self._add_alias(self.index.actors[existing], candidate.name)

    def _spelling_variant(self, key: str) -> str | None:
        """A person already known under another spelling of the given name ("Mohammmed Bazoum" is
        "Mohamed Bazoum"); two given names that differ ("Raúl"/"Fidel" Castro) are two people."""
        first, _, last = key.partition(" ")
        for known_key, name in self.person_keys.items():
            known_first, _, known_last = known_key.partition(" ")
            if last and known_last == last and _similar(first, known_first):
                return name
        return None

    def _armed_appositive(self, candidate: Candidate) -> bool:
        rest = candidate.sentence.text[candidate.end :]
        match = re.match(r",\s+(?:a|an|the)\s+([^,;.]+)", rest)
        return bool(match) and any(d in match.group(1).lower() for d in ARMED_DESCRIPTORS)

    # resolution ---------------------------------------------------------------------------------------
    def _actor_for(self, candidate: Candidate) -> str | None:
        category = candidate.category
        if category == "country":
            return candidate.name
        if category == "org":
            known = self.gaz.organization(candidate.name)
            return known.name if known else candidate.name
        if category == "person":
            return self.person_keys.get(_person_key(candidate.name))
        if category == "metonym":
            surface = fold(candidate.sentence.text[candidate.start : candidate.end])
            if surface in self.gaz.capitals and not _capital_acts(candidate):
                return None
            return self._new_actor(candidate.name, "country").name
        if category in {"single", "acronym"}:
            return self._resolve_short(candidate)
        return None

    def _resolve_short(self, candidate: Candidate) -> str | None:
        word = candidate.name
        if word.lower() in FUNCTION_WORDS:
            return None  # "D.C. It’s …": a pronoun after an initialism, not a name
        if (actor := self.alias_to_actor.get(fold(word))) is not None:
            return actor
        if (known := self.gaz.organization(word)) is not None:
            return self._new_actor(known.name, known.kind).name
        people = self.surname_to_actor.get(word) or self.surname_to_actor.get(
            re.sub(r"^(?:al|el)-", "", word)
        )
        if people:
            return people[0] if len(people) == 1 else self._nearest_person(people, candidate.sentence)
        given = [name for key, name in self.person_keys.items() if key.split()[0] == fold(word)]
        if len(given) == 1 and " " in given[0]:
            return given[0]  # "Hi, John" is John Kirby; "Advisor Shin" is Shin Won-sik (family name first)
        if fold(word) in self.authors:
            return None
        if candidate.category == "acronym":
            return self._new_actor(word, "organization").name
        span = candidate.span
        marked = (
            candidate.title is not None
            or span.possessive
            or bool(_SPEECH_AFTER.match(candidate.sentence.text[span.end :]))
        )
        if marked and (candidate.title is not None or not span.sentence_initial) and word.isalpha():
            return self._new_actor(word, "person").name
        if word.isalpha() and (kind := self.entities.get(word)) is not None:
            return self._new_actor(word, kind).name  # the statistical model reads it as a name
        return None

    def _nearest_person(self, people: list[str], sentence: Sentence) -> str:
        """The person with this surname mentioned most recently before ``sentence``."""
        best, best_position = people[0], (-1, -1)
        for (paragraph, index), occurrences in self.index.occurrences.items():
            if (paragraph, index) > (sentence.paragraph, sentence.index):
                continue
            for occurrence in occurrences:
                if occurrence.actor in people and (paragraph, index) > best_position:
                    best, best_position = occurrence.actor, (paragraph, index)
        return best

    def _resolve(self, candidate: Candidate) -> None:
        actor_name = self._actor_for(candidate)
        if actor_name is None:
            return
        sentence = candidate.sentence
        surface = sentence.text[candidate.start : candidate.end]
        actor = self.index.actors[actor_name]
        if candidate.category != "metonym" and fold(surface) != fold(actor_name):
            self._add_alias(actor, surface)
        role = None
        if actor.kind == "person":
            found = [
                _joined(title_before(sentence.text, candidate.span.start, continuing=True), candidate.title),
                title_before(sentence.text, candidate.start),
                appositive_after(sentence.text, candidate.end),
                appositive_before(sentence.text, candidate.span.start),
            ]
            role = max((r for r in found if r), key=len, default=None)
            if role and (actor.role is None or len(role) > len(actor.role)):
                actor.role = role
        previous = self.index.occurrences[(sentence.paragraph, sentence.index)]
        if (
            previous
            and previous[-1].actor == actor_name
            and _is_parenthetical(sentence.text, previous[-1], candidate)
        ):
            return  # "United Arab Emirates (UAE)": one mention, not two
        previous.append(
            Occurrence(
                actor_name, sentence, candidate.start, candidate.end, surface, candidate.span.possessive, role
            )
        )
        actor.mentions.append(Mention(sentence.paragraph, sentence.index, surface))

    def _institutions(self) -> None:
        """Institutions written in lower case: "the government of the DRC", "Rwanda’s foreign ministry",
        "the Ethiopian government", "Abiy's government", "Sudanese armed forces", "presidential guards".
        One actor per owner and institution, whichever way it is written."""
        keys: dict[tuple[str, str], str] = {}
        for sentence in self.sentences:
            bucket = self.index.occurrences[(sentence.paragraph, sentence.index)]
            for match in [
                *_INSTITUTION_OF.finditer(sentence.text),
                *_INSTITUTION_AFTER.finditer(sentence.text),
            ]:
                owner = self._institution_owner(match["owner"])
                if owner is None or any(o.start <= match.start("noun") < o.end for o in bucket):
                    continue
                noun = " ".join(match["noun"].lower().split()).removesuffix("s")
                kind = "armed_group" if noun in _ARMED_INSTITUTIONS else "government"
                key = (owner, f"{(match['mod'] or '').lower().strip()} {noun}".strip())
                subjects = self.subjects.get((sentence.paragraph, sentence.index), [])
                acts = any(start <= match.start("noun") < end for start, end in subjects)
                if key not in keys and not acts:
                    continue  # an institution is an actor once it acts or speaks; then every mention counts
                the = re.match(r"(?:[Tt]he\s+)?", match.group(0))
                surface = match.group(0)[the.end() if the else 0 :]
                name = keys.setdefault(key, surface[:1].upper() + surface[1:])
                actor = self._new_actor(name, kind)
                self._add_alias(actor, surface)
                start = match.end() - len(surface)
                bucket.append(Occurrence(name, sentence, start, match.end(), surface))
                bucket.sort(key=lambda o: o.start)
                actor.mentions.append(Mention(sentence.paragraph, sentence.index, surface))

    def _institution_owner(self, owner: str) -> str | None:
        """Whose the institution is: a country (by name, adjective or capital), a named actor, or the
        adjective itself for "presidential guards"; ``None`` when the words are no owner."""
        folded = fold(owner.removesuffix("’s").removesuffix("'s"))
        if folded in _INSTITUTION_ADJECTIVES:
            return folded
        country = (
            self.gaz.demonyms.get(folded)
            or self.gaz.capitals.get(folded)
            or (found.name if (found := self.gaz.country(folded)) else None)
        )
        return country or self.alias_to_actor.get(folded) or self._surname_owner(folded)

    def _surname_owner(self, folded: str) -> str | None:
        people = self.surname_to_actor.get(folded.title(), [])
        return people[0] if len(people) == 1 else None

    def _descriptive_mentions(self) -> None:
        """ "the LNA leader" is Haftar when the text calls him "Libyan National Army leader"."""
        phrases: dict[str, str] = {}
        for actor in list(self.index.actors.values()):
            role = actor.role or ""
            match = re.match(r"^(?P<body>.+?)\s+(?P<noun>[a-z][a-z -]+)$", role)
            if actor.kind != "person" or not match or match["noun"] not in ROLE_NOUNS:
                continue
            body_actor = self.alias_to_actor.get(fold(match["body"]))
            if body_actor is None or body_actor not in self.index.actors:
                continue
            body = self.index.actors[body_actor]
            for form in (body.name, *body.aliases):
                phrases[f"{form} {match['noun']}"] = actor.name
        if not phrases:
            return
        pattern = re.compile(
            r"\bthe\s+(" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b"
        )
        for sentence in self.sentences:
            for found in pattern.finditer(sentence.text):
                name = phrases[found.group(1)]
                self._add_alias(self.index.actors[name], found.group(1))
                occurrence = Occurrence(name, sentence, found.start(1), found.end(1), found.group(1))
                bucket = self.index.occurrences[(sentence.paragraph, sentence.index)]
                for inner in [o for o in bucket if found.start(1) <= o.start < found.end(1)]:
                    bucket.remove(inner)
                    self.index.actors[inner.actor].mentions.remove(
                        Mention(sentence.paragraph, sentence.index, inner.surface)
                    )
                bucket.append(occurrence)
                bucket.sort(key=lambda o: o.start)
                self.index.actors[name].mentions.append(
                    Mention(sentence.paragraph, sentence.index, found.group(1))
                )

    def _known_as(self) -> None:
        """A nickname ("Dagalo, better known as Hemedti") is an alias, and its own mentions count."""
        nicknames: dict[str, str] = {}
        for occurrences in list(self.index.occurrences.values()):
            for occurrence in list(occurrences):
                found = _KNOWN_AS.match(occurrence.sentence.text[occurrence.end :])
                if found and self.index.actors[occurrence.actor].kind == "person":
                    self._add_alias(self.index.actors[occurrence.actor], found.group(1))
                    nicknames[found.group(1)] = occurrence.actor
        if not nicknames:
            return
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in nicknames) + r")\b(?!-)")
        for sentence in self.sentences:
            bucket = self.index.occurrences[(sentence.paragraph, sentence.index)]
            for found in pattern.finditer(sentence.text):
                if any(o.start <= found.start() < o.end for o in bucket) or _KNOWN_AS_BEFORE.search(
                    sentence.text[: found.start()]
                ):
                    continue
                name = nicknames[found.group(1)]
                bucket.append(Occurrence(name, sentence, found.start(), found.end(), found.group(1)))
                bucket.sort(key=lambda o: o.start)
                self.index.actors[name].mentions.append(
                    Mention(sentence.paragraph, sentence.index, found.group(1))
                )

    def _turn_mentions(self) -> None:
        """A transcript's speaker label ("MR. KIRBY:") names the speaker of that turn: a mention of them."""
        for number, label in enumerate(self.labels, start=1):
            if not label or label.upper() in _NOT_TURN_SPEAKERS:
                continue
            name = re.sub(r"^(?:MR|MS|MRS|DR|GEN|ADM)\.\s+", "", label).title()
            actor = self.alias_to_actor.get(fold(name))
            people = self.surname_to_actor.get(name, [])
            if actor is None and len(people) == 1:
                actor = people[0]
            if actor is None or actor not in self.index.actors:
                continue
            self.index.turns[number] = actor
            self.index.actors[actor].mentions.append(Mention(number, 0, label))

    def _forget_context(self) -> None:
        """Title and header lines name actors and give roles, but are not story: no mentions there."""
        for key in [k for k in self.index.occurrences if k[0] == 0]:
            del self.index.occurrences[key]
        for actor in self.index.actors.values():
            actor.mentions = [m for m in actor.mentions if m.paragraph != 0]

    def _drop_unmentioned(self) -> None:
        for name in [n for n, actor in self.index.actors.items() if not actor.mentions]:
            del self.index.actors[name]


def _joined(before: str | None, title: str | None) -> str | None:
    if title is None:
        return None
    return f"{before} {title}" if before else title


def _is_parenthetical(text: str, previous: Occurrence, candidate: Candidate) -> bool:
    return text[previous.end : candidate.start].strip() == "("


def has_unknown_names(doc: Doc) -> bool:
    """Whether a parsed sentence has a proper noun after its first word that no word list knows: only
    there can the model's reading of names change what the rules find."""
    gaz = gazetteer()
    for token in doc[1:]:
        if token.tag_ not in {"NNP", "NNPS"} or not token.text[:1].isupper():
            continue
        word = fold(token.text)
        known = (
            gaz.country(token.text)
            or word in gaz.demonyms
            or word in gaz.capitals
            or gaz.is_place(token.text)
        )
        if not known and word not in FUNCTION_WORDS and not is_acronym(token.text):
            return True
    return False


def add_apposition_roles(sentences: list[Sentence], docs: list[Doc], index: ActorIndex) -> None:
    """Give a person the role an apposition states, where the name's own title gave none (or only "Dr")."""
    last_person: str | None = None
    for sentence, doc in zip(sentences, docs, strict=True):
        for occurrence in index.in_sentence(sentence):
            actor = index.actors[occurrence.actor]
            if actor.kind != "person":
                continue
            role = (
                apposition_role(doc, occurrence.start, occurrence.end)
                if is_honorific_only(actor.role)
                else None
            )
            if role:  # "His main rival, Abdullah Abdullah": the rival of the person named before
                owner = last_person if last_person and last_person != actor.name else None
                actor.role = _POSSESSIVE_PRONOUN.sub(f"{owner}’s " if owner else "", role)
            last_person = actor.name


def find_actors(
    sentences: list[Sentence],
    author: str | None = None,
    *,
    context: list[str] | None = None,
    labels: list[str | None] | None = None,
    entities: dict[str, str] | None = None,
    named: dict[tuple[int, int], list[Entity]] | None = None,
    subjects: dict[tuple[int, int], list[tuple[int, int]]] | None = None,
) -> ActorIndex:
    """All actors of a document with their aliases, roles and mentions. ``context``: the title and header
    lines (names and roles, no mentions); ``labels``: a transcript's speaker label per paragraph;
    ``entities``: single words the statistical model reads as a person; ``named``: (paragraph, sentence)
    -> the model's named entities there (paragraph 0: the context lines); ``subjects``: where the
    sentence's subjects are (an institution written in lower case is an actor once it is one)."""
    return _Builder(
        sentences, author, context or [], labels or [], entities or {}, named or {}, subjects or {}
    ).build()
