"""Which actor a user means by what they typed: the one resolver behind every command, the chat answers,
the message menu and autocomplete.

Every way of naming an actor gets a score out of 100 (highest wins per actor):

==== =================================================================================================
100  the name; 99 an alias (case, accents, apostrophes, hyphens and a leading "the" folded: "Türkiye")
97   the same letters without spaces ("Shin Wonsik" for "Shin Won-sik")
96   an acronym of a name or alias ("LNA", "UNSC" for "UN Security Council"), or the name is the acronym
     of what was typed ("Association of Southeast Asian Nations" for "ASEAN")
95   every typed word is a word of one name ("Jean Pierre", "Omar Alieu Touray"); 94 one word ("Kortunov")
84–93 every typed word close to a word of one name: a prefix ("Kort"), the same consonant skeleton
     ("Hifter" for "Haftar"), a close spelling ("Tumish" for "Tumysh", "Getachew Redda")
93   the typed words are a name word plus role words ("Emir Tamim")
90   every typed word is in the role the articles give ("Russian deputy foreign minister", "RIAC director":
     acronyms of names in a role count); 93 when they stand together in it ("GNA prime minister"); a
     single word only when it is the whole role ("businessman"), else 78
86   every word of a name was typed, with more ("Joe Biden" for "Biden")
85   a prefix of a name (what autocomplete sees while the user types)
≤ 90 spelling similarity (rapidfuzz), 0.9 × the ratio when at least :data:`MIN_RATIO`
50–80 some of the typed words are in a name or role (only ever a suggestion)
==== =================================================================================================

A candidate is *strong* from :data:`STRONG` up. One strong candidate clearly ahead of the others is the
answer; several are offered in a menu; none gives the closest names.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import re
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from bot.store.models import ActorRecord
from bot.store.names import normalize_name, skeleton
from bot.store.query import Term

if TYPE_CHECKING:
    from bot.store import Store

STRONG = 84.0
LEAD = 3.0  # how far the best strong candidate must be ahead of the next actor to be the answer
MIN_RATIO = 72.0
MIN_PREFIX = 4  # a prefix this long may answer on its own ("Kort"); shorter ones only suggest
MAX_QUERY = 100
FUZZY_CANDIDATES = 40
MAX_ROLE_MATCHES = 50  # actors a role phrase alone may bring up (a menu shows 25)
PREFIX_SCAN = 200  # terms a typed prefix reads at most
CROWDED_PREFIX = 50  # terms beginning with a short prefix beyond which its most mentioned actors are kept
CROWDED_PREFIX_ACTORS = 25  # the most mentioned actors kept per such prefix (a menu shows 25)
CLOSE_WORD = 0.8  # a typed word this similar to a name word counts as that word misspelt
CLOSE_ROLE_WORD = 85  # rapidfuzz ratio for a role word spelt another way ("defence" / "defense")
# Words that carry no name: never a surname, never an acronym letter, never a role word to match on.
STOPWORDS = frozenset({
    "a", "an", "and", "at", "by", "de", "del", "der", "des", "di", "du", "for", "from", "in", "la", "le",
    "of", "on", "or", "the", "to", "van", "von", "al", "el", "bin", "ibn",
})  # fmt: skip
_POSSESSIVE = re.compile(r"['’]s\b")
_OWNER = re.compile(r"(?:the\s+)?(?P<owner>[^'’]+?)['’]s?\s+\w")
_ACRONYM_STOPWORDS = STOPWORDS - {"al", "el", "bin", "ibn"}


@dataclass(frozen=True)
class Candidate:
    """One actor a text may mean: the form that matched, how, and its score out of 100."""

    name: str
    kind: str
    role: str | None
    matched: str
    how: str  # name, alias, acronym, word, role, spelling, prefix
    score: float

    @property
    def strong(self) -> bool:
        return self.score >= STRONG


@dataclass(frozen=True)
class Resolution:
    """What ``typed`` resolves to: ``actor`` when exactly one strong candidate stands out, else the strong
    ``choices`` to pick from; ``candidates`` are all matches, best first (the closest names)."""

    typed: str
    candidates: tuple[Candidate, ...]
    actor: Candidate | None = None
    choices: tuple[Candidate, ...] = field(default=())

    @property
    def restated(self) -> bool:
        """The answer's name differs from what was typed, so the answer should say which actor it shows."""
        return self.actor is not None and normalize_name(self.typed) != normalize_name(self.actor.name)


def _ahead(best: Candidate, next_best: Candidate) -> bool:
    return best.score - next_best.score >= LEAD


def acronym(normalized: str, original: str = "") -> str | None:
    """First letters of the significant words ("libyan national army" → "lna"); a word written in capitals
    in ``original`` counts whole ("UN Security Council" → "unsc"). None for a one-word name."""
    capitals = {word.casefold() for word in re.findall(r"\b[A-Z]{2,6}\b", original)}
    words = [word for word in normalized.split() if word not in _ACRONYM_STOPWORDS]
    if len(words) < 2:
        return None
    return "".join(word if word in capitals else word[0] for word in words)


def _inner_acronyms(text: str) -> list[str]:
    """Acronyms of the capitalised names inside a role ("director general of the Russian International
    Affairs Council" → "riac"), so that "RIAC director" finds it."""
    runs = re.findall(r"(?:[A-Z][\w’'-]*\s+(?:(?:of|the|and|for)\s+)*){1,}[A-Z][\w’'-]*", text)
    return [short for run in runs if (short := acronym(normalize_name(run), run))]


def _fold(text: str) -> str:
    """A name or role folded for matching, without possessives ("M23's spokesman" → "m23 spokesman")."""
    return normalize_name(_POSSESSIVE.sub("", text))


def _significant(words: Iterable[str]) -> list[str]:
    return [word for word in words if word not in STOPWORDS]


@dataclass(slots=True)
class _Actor:
    """One actor as indexed, in tuples: 10,000 actors' worth of small sets cost tens of MB."""

    record: ActorRecord
    forms: list[tuple[str, str]]  # (normalised, as written) for the name and each alias
    words: tuple[str, ...] = ()  # significant words of the name and aliases
    form_words: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # each form's, unique


class ActorResolver:
    """Immutable index over the store's actors; build it once per store version (:func:`resolver_for`)."""

    def __init__(self, records: Iterable[ActorRecord]) -> None:
        self._actors: list[_Actor] = []
        self._exact: dict[str, tuple[int, str, str]] = {}  # normalised form → (actor, written form, how)
        self._compact: dict[str, tuple[int, str]] = {}
        self._acronyms: dict[str, list[tuple[int, str]]] = {}
        self._short_names: list[str] = []  # names written as acronyms ("ASEAN")
        by_word: dict[str, set[int]] = {}
        by_role_word: dict[str, set[int]] = {}
        terms: dict[str, set[tuple[int, str]]] = {}  # name, alias or word → (actor, written form)
        for number, record in enumerate(records):
            self._add(number, record, terms, by_word, by_role_word)
        # Kept as tuples: a set of one actor takes four times the memory, and most words name one or two.
        self._by_word = {word: tuple(sorted(actors)) for word, actors in by_word.items()}
        self._by_role_word = {word: tuple(sorted(actors)) for word, actors in by_role_word.items()}
        self._terms = sorted(terms)
        self._term_actors = [tuple(sorted(terms[term])) for term in self._terms]
        # Spelling similarity runs only over terms with the same first letter (rapidfuzz over every term
        # costs ~15 ms at 10,000 actors); variants that differ there share a consonant skeleton instead.
        self._terms_by_initial: dict[str, list[int]] = {}
        for position, term in enumerate(self._terms):
            self._terms_by_initial.setdefault(term[0], []).append(position)
        self._words = sorted(self._by_word)
        self._words_by_initial: dict[str, list[str]] = {}
        for word in self._words:
            self._words_by_initial.setdefault(word[0], []).append(word)
        self._role_word_list = sorted(self._by_role_word)
        self._role_words_by_initial: dict[str, list[str]] = {}
        for word in self._role_word_list:
            self._role_words_by_initial.setdefault(word[0], []).append(word)
        self._word_skeletons: dict[str, list[str]] = {}
        for word in self._words:
            if len(word) >= 4:
                self._word_skeletons.setdefault(skeleton(word), []).append(word)
        self._crowded = self._crowded_prefixes()
        self._top = sorted(range(len(self._actors)), key=lambda n: -self._actors[n].record.weight)

    def __len__(self) -> int:
        return len(self._actors)

    def _add(
        self,
        number: int,
        record: ActorRecord,
        terms: dict[str, set[tuple[int, str]]],
        by_word: dict[str, set[int]],
        by_role_word: dict[str, set[int]],
    ) -> None:
        forms = [(normalize_name(form), form) for form in (record.name, *record.aliases)]
        forms = [(norm, form) for norm, form in forms if norm]
        role_words = {w for role in record.roles for w in _significant(_fold(role).split())}
        role_words |= {short for role in record.roles for short in _inner_acronyms(role)}
        actor = _Actor(record, forms)
        self._actors.append(actor)
        words: dict[str, None] = {}
        for position, (norm, form) in enumerate(forms):
            self._exact.setdefault(norm, (number, form, "name" if position == 0 else "alias"))
            self._compact.setdefault(norm.replace(" ", ""), (number, form))
            terms.setdefault(norm, set()).add((number, form))
            if form.isupper() and 2 <= len(norm) <= 8 and " " not in norm:
                self._short_names.append(norm)
            short = acronym(norm, form)
            if short:
                self._acronyms.setdefault(short, []).append((number, form))
            significant = _significant(norm.split())
            actor.form_words.append((tuple(dict.fromkeys(significant)), form))
            for word in significant:
                words[word] = None
                by_word.setdefault(word, set()).add(number)
                if len(word) >= 3:
                    terms.setdefault(word, set()).add((number, form))
        actor.words = tuple(words)
        for word in role_words:
            by_role_word.setdefault(word, set()).add(number)

    # -- lookups -----------------------------------------------------------------------------------------

    def exact(self, text: str) -> str | None:
        """The canonical name whose name or alias is ``text`` (folded), else None."""
        found = self._exact.get(normalize_name(text))
        return self._actors[found[0]].record.name if found else None

    def names_of(self, name: str) -> list[str]:
        """The canonical name and every alias of the actor named ``name`` exactly; [] if none."""
        found = self._exact.get(normalize_name(name))
        return [form for _, form in self._actors[found[0]].forms] if found else []

    def expand_names(self, terms: Sequence[Term], max_words: int = 6) -> list[Term]:
        """Search terms with each run of words that names an actor ("Haftar", "the LNA leader") turned
        into one term matching any of its names; quoted phrases stay as typed."""
        out: list[Term] = []
        position = 0
        while position < len(terms):
            term = terms[position]
            for length in range(min(max_words, len(terms) - position), 0, -1):
                run = terms[position : position + length]
                if any(t.quoted for t in run):
                    continue
                typed = " ".join(t.text for t in run)
                names = self.names_of(typed) or ([n] if length == 1 and (n := self.surname(typed)) else [])
                if names and typed.casefold() not in STOPWORDS:
                    out.append(Term((typed, *self.names_of(names[0]), *names)))
                    position += length
                    break
            else:
                out.append(term)
                position += 1
        return out

    def surname(self, word: str) -> str | None:
        """The one person whose last name word ``word`` is ("Shoigu", "al-Assad"), else None."""
        words = _significant(normalize_name(word).split())
        if len(words) != 1 or len(words[0]) < 3:
            return None
        people = {
            n
            for n in self._by_word.get(words[0], ())
            if self._actors[n].record.kind == "person"
            and any(_significant(norm.split())[-1:] == words for norm, _ in self._actors[n].forms)
        }
        return self._actors[people.pop()].record.name if len(people) == 1 else None

    def rank(self, text: str, limit: int = 25) -> list[Candidate]:
        """Every actor ``text`` may mean, best first (then the most mentioned); an empty text lists the
        most mentioned actors."""
        query = _fold(text[: MAX_QUERY * 4])[:MAX_QUERY]
        if not query:
            return [self._candidate(n, self._actors[n].forms[0][1], "name", 0.0) for n in self._top[:limit]]
        best: dict[int, tuple[float, str, str]] = {}  # actor → its best (score, form, how)
        for number, form, how, score in self._matches(query, text):
            current = best.get(number)
            if current is None or score > current[0]:
                best[number] = (score, form, how)

        def order(item: tuple[int, tuple[float, str, str]]) -> tuple[float, int, str]:
            record = self._actors[item[0]].record
            return (-item[1][0], -record.weight, record.name)

        # Only the shown candidates are made: a short text matches hundreds of actors at 10,000.
        top = heapq.nsmallest(limit, best.items(), key=order)
        return [self._candidate(number, form, how, score) for number, (score, form, how) in top]

    def resolve(self, text: str, limit: int = 25) -> Resolution:
        """The actor ``text`` means, the strong candidates to pick from, or only the closest names."""
        found = self._exact.get(_fold(text[: MAX_QUERY * 4])[:MAX_QUERY])
        if found is not None and found[2] == "name":  # a name typed whole wins outright: rank nothing
            exact = self._candidate(found[0], found[1], "name", 100.0)
            return Resolution(text, (exact,), actor=exact)
        candidates = tuple(self.rank(text, limit))
        strong = [c for c in candidates if c.strong]
        if strong and (len(strong) == 1 or strong[0].score >= 99 or _ahead(strong[0], strong[1])):
            return Resolution(text, candidates, actor=strong[0])
        if (owner := _OWNER.match(text.strip())) is not None:  # "Rwanda's foreign ministry" speaks for Rwanda
            whose = self.resolve(owner["owner"], limit).actor
            if whose is not None:
                return Resolution(text, candidates, actor=whose)
        return Resolution(text, candidates, choices=tuple(strong))

    def _weight(self, number: int) -> int:
        return self._actors[number].record.weight

    def _candidate(self, number: int, form: str, how: str, score: float) -> Candidate:
        record = self._actors[number].record
        role = record.roles[0] if record.roles else None
        return Candidate(record.name, record.kind, role, form, how, score)

    # -- scoring -----------------------------------------------------------------------------------------

    def _matches(self, query: str, typed: str) -> Iterable[tuple[int, str, str, float]]:
        if (found := self._exact.get(query)) is not None:
            yield found[0], found[1], found[2], 100.0 if found[2] == "name" else 99.0
        if (compact := self._compact.get(query.replace(" ", ""))) is not None:
            yield compact[0], compact[1], "spelling", 97.0
        yield from self._acronym_matches(query, typed)
        words = _significant(query.split()) or query.split()
        yield from self._word_matches(words)
        yield from self._prefix_matches(query)
        yield from self._spelling_matches(query)

    def _acronym_matches(self, query: str, typed: str) -> Iterable[tuple[int, str, str, float]]:
        for number, form in self._acronyms.get(query.replace(" ", ""), ()):
            yield number, form, "acronym", 96.0
        short = acronym(query, typed)
        if short and (found := self._exact.get(short)) is not None:
            yield found[0], found[1], "acronym", 96.0
        elif short and len(short) >= 3 and self._short_names:
            # "Southeast" gives one letter where ASEAN has two: a close acronym still counts
            best = process.extractOne(short, self._short_names, scorer=fuzz.ratio, score_cutoff=85)
            if best is not None and (found := self._exact.get(best[0])) is not None:
                yield found[0], found[1], "acronym", 90.0

    def _close_words(self, word: str) -> dict[str, float]:
        """Name words like ``word``, each with a similarity out of 1: the word itself, a prefix either way
        ("kort" / "kortunov", "sudanese" / "sudan"), the same consonant skeleton ("hifter" / "haftar"), or
        a close spelling ("tumish" / "tumysh")."""
        close: dict[str, float] = {}
        if word in self._by_word:
            close[word] = 1.0
        if len(word) < 3:
            return close
        start = bisect.bisect_left(self._words, word)
        for other in self._words[start : start + 50]:
            if not other.startswith(word):
                break
            close.setdefault(other, 0.9)
        for size in range(max(MIN_PREFIX + 1, len(word) - 3), len(word)):
            if word[:size] in self._by_word:
                close.setdefault(word[:size], 0.85)
        if len(word) < 5:
            return close
        for other in self._word_skeletons.get(skeleton(word), ()):
            if abs(len(other) - len(word)) <= 2:
                close.setdefault(other, 0.85 + (0.03 if other[0] == word[0] else 0.0))
        for other, ratio, _ in process.extract(
            word,
            self._words_by_initial.get(word[0], []),
            scorer=fuzz.ratio,
            limit=FUZZY_CANDIDATES,
            score_cutoff=CLOSE_WORD * 100,
        ):
            close[other] = max(close.get(other, 0.0), ratio / 100)
        return close

    def _role_words(self, word: str) -> set[int]:
        """Actors whose role has ``word``, or a form of it ("russian" / "russia's", "negotiators")."""
        forms = [word] if word in self._by_role_word else []
        forms += [
            word[:size]
            for size in range(max(MIN_PREFIX + 1, len(word) - 3), len(word))
            if word[:size] in self._by_role_word
        ]
        start = bisect.bisect_left(self._role_word_list, word)
        for other in self._role_word_list[start : start + 20]:
            if not other.startswith(word) or len(other) > len(word) + 3:
                break
            if other != word:
                forms.append(other)
        if len(word) >= 5:  # "defence" / "defense"
            bucket = self._role_words_by_initial.get(word[0], [])
            close = process.extract(word, bucket, scorer=fuzz.ratio, score_cutoff=CLOSE_ROLE_WORD)
            forms += [other for other, _, _ in close]
        return set().union(*(self._by_role_word[form] for form in forms))

    def _word_matches(self, words: list[str]) -> Iterable[tuple[int, str, str, float]]:
        """Typed words that are (close to) words of a name, words of a role, or both; a name all of whose
        words were typed ("Joe Biden" for "Biden"); else a weak match on the share of words found."""
        close = [self._close_words(word) for word in words]
        actors = {n for found in close for other in found for n in self._by_word[other]}
        in_roles = [self._role_words(word) for word in words]
        if len(words) > 1 or len(words[0]) >= 4:  # a role phrase: every word in the role
            role_only = set.intersection(*in_roles) - actors
            for number in heapq.nlargest(MAX_ROLE_MATCHES, role_only, key=self._weight):
                yield self._role_match(number, words)
        typed = set(words)
        for number in actors:
            actor = self._actors[number]
            similar = [max((found[w] for w in actor.words if w in found), default=0.0) for found in close]
            in_role = [number in found for found in in_roles]
            name = actor.forms[0][1]
            if all(s == 1.0 for s in similar):
                form = next((f for n, f in actor.forms if typed <= set(n.split())), name)
                yield number, form, "word", 95.0 if len(words) > 1 else 94.0
            elif all(s >= CLOSE_WORD for s in similar):
                average = sum(similar) / len(similar)
                yield number, name, "spelling", min(93.0, 84.0 + 40 * (average - CLOSE_WORD))
            elif all(s == 1.0 or r for s, r in zip(similar, in_role, strict=True)):
                if any(s == 1.0 for s in similar):
                    yield number, name, "word", 93.0
                elif len(words) > 1 or len(words[0]) >= 4:
                    yield self._role_match(number, words)
            elif (form := self._contained(actor, typed)) is not None:
                yield number, form, "word", 86.0
            else:
                found = sum(1 for s in similar if s >= CLOSE_WORD) + sum(in_role) / 2
                if found:
                    yield number, name, "word", 50.0 + 30.0 * min(1.0, found / len(words))

    def _role_match(self, number: int, words: list[str]) -> tuple[int, str, str, float]:
        """An actor whose role has every typed word: 92 when the words stand together in it ("GNA prime
        minister" in "UN-recognized GNA Prime Minister"), else 90; one word alone ("Moscow") only
        suggests, unless it is the whole role ("businessman")."""
        roles = self._actors[number].record.roles
        folded = [" ".join(_significant(_fold(role).split())) for role in roles]
        phrase = " ".join(words)
        role = next((r for r, f in zip(roles, folded, strict=True) if phrase in f), roles[0] if roles else "")
        if len(words) == 1:
            return number, role, "role", 90.0 if phrase in folded else 78.0
        return number, role, "role", 93.0 if any(f" {phrase} " in f" {f} " for f in folded) else 90.0

    @staticmethod
    def _contained(actor: _Actor, typed: set[str]) -> str | None:
        """A name or alias every significant word of which was typed, with more besides."""
        for own, form in actor.form_words:
            if own and len(own) < len(typed) and typed.issuperset(own) and any(len(w) >= 3 for w in own):
                return form
        return None

    def _prefix_matches(self, query: str) -> Iterable[tuple[int, str, str, float]]:
        score = 85.0 if len(query) >= MIN_PREFIX else 80.0
        if (heaviest := self._crowded.get(query)) is not None:  # "a": the most mentioned, not the first
            for number, form in heaviest:
                yield number, form, "prefix", score
            return
        start = bisect.bisect_left(self._terms, query)
        end = bisect.bisect_right(self._terms, query + "\uffff")
        for position in range(start, min(end, start + PREFIX_SCAN)):
            for number, form in self._term_actors[position]:
                yield number, form, "prefix", score

    def _crowded_prefixes(self) -> dict[str, tuple[tuple[int, str], ...]]:
        """For each prefix of up to three letters that more than :data:`CROWDED_PREFIX` terms begin with,
        its most mentioned actors (each once, with the form the first such term gives): all a prefix match
        can add to the first page, since such matches differ only by weight. So typing "a" costs the same
        at any size, and offers the most mentioned actors rather than the alphabetically first."""
        crowded: dict[str, tuple[tuple[int, str], ...]] = {}
        for size in (1, 2, 3):
            for prefix, positions in groupby(range(len(self._terms)), key=lambda p: self._terms[p][:size]):
                group = list(positions)
                if len(prefix) < size or len(group) <= CROWDED_PREFIX:
                    continue
                pairs: dict[int, tuple[int, str]] = {}  # the index's own (actor, form) pairs, not copies
                for position in group:
                    for pair in self._term_actors[position]:
                        pairs.setdefault(pair[0], pair)
                heaviest = heapq.nsmallest(
                    CROWDED_PREFIX_ACTORS,
                    pairs,
                    key=lambda n: (-self._weight(n), self._actors[n].record.name),
                )
                crowded[prefix] = tuple(pairs[number] for number in heaviest)
        return crowded

    def _spelling_matches(self, query: str) -> Iterable[tuple[int, str, str, float]]:
        """The whole text spelt like a whole name or a word of one."""
        if len(query) < 3:
            return
        positions = self._terms_by_initial.get(query[0], [])
        found = process.extract(
            query,
            [self._terms[p] for p in positions],
            scorer=fuzz.ratio,
            limit=FUZZY_CANDIDATES,
            score_cutoff=MIN_RATIO,
        )
        for _, ratio, index in found:
            for number, form in self._term_actors[positions[index]]:
                yield number, form, "spelling", round(0.9 * ratio, 1)


# -- one resolver per store version and server ------------------------------------------------------------

RESOLVERS_KEPT = (
    4  # per store: the operator's, and those of the servers with articles of their own asked last
)
_CACHE: weakref.WeakKeyDictionary[Store, OrderedDict[int, tuple[int, asyncio.Future[ActorResolver]]]] = (
    weakref.WeakKeyDictionary()
)


async def resolver_for(store: Store, guild: int | None = None) -> ActorResolver:
    """The resolver over the actors this server sees, rebuilt only after an ingest changed them. Calls
    that arrive while it is being built wait for that one build (about 0.5 s at 10,000 actors)."""
    cache = _CACHE.setdefault(store, OrderedDict())
    key = store.scope(guild)
    cached = cache.get(key)
    if cached is None or cached[0] != store.generation or _failed(cached[1]):
        cached = (store.generation, asyncio.ensure_future(_build_resolver(store, key)))
        cache[key] = cached
    cache.move_to_end(key)
    while len(cache) > RESOLVERS_KEPT:
        cache.popitem(last=False)
    return await asyncio.shield(cached[1])  # one caller's timeout does not cancel the others' build


async def _build_resolver(store: Store, scope: int) -> ActorResolver:
    records = await store.actor_records(guild=scope)
    return await asyncio.to_thread(ActorResolver, records)


def _failed(build: asyncio.Future[ActorResolver]) -> bool:
    return build.done() and (build.cancelled() or build.exception() is not None)


def closest_names(resolution: Resolution, limit: int = 5) -> Sequence[str]:
    return list(dict.fromkeys(c.name for c in resolution.candidates))[:limit]
