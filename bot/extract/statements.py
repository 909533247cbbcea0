"""Statements: what each actor said, wrote or declared, direct (quoted) or reported, read off the parse.

- A speech verb ("said", "warned", "condemned", "called for", "reiterated" …: lexicon ``attribution``) has
  a subject; the subject names the speaker: an actor mentioned there (a person, an institution, a country
  or its capital acting); "the members of the Security Council" is the Council; "he"/"she" is the person
  named last, "it"/"they" the institution that spoke last. Unnamed sources ("officials said", "a source
  told") are never speakers: the bot does not guess who said something.
- What was said: the quotation the verb introduces (“…,” he said; X said: “…”), else the verb's reported
  clause ("said that …") or, for verbs that carry their object ("condemned the attack", "called for a
  ceasefire"), the rest of the predicate. A quotation standing alone right after one continues it.
- "according to X" makes X the speaker of the rest of the sentence.
- In a transcript, each paragraph of a named speaker's turn is that speaker's direct statement; "I" and
  "we" there are the speaker; the questioner ("Q") and the moderator never are.
- A statement's date is the date the sentence puts on the speaking (nearest the verb, outside what was
  said); none when the text gives none. A transcript's turns are dated by the transcript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from bot.extract import lexicon
from bot.extract.actors import ActorIndex, Occurrence
from bot.extract.dates import DateMention
from bot.extract.model import PartialDate, Quote, Sentence
from bot.extract.parse import lemma as lemma_of
from bot.extract.parse import word_class
from bot.extract.roles import is_role_word

_WORDS = lexicon.load("attribution")
_MIN_WORDS: int = _WORDS["min_quote_words"]
_SAY_LEMMAS = frozenset(_WORDS["say_lemmas"])  # the reported words follow in a clause
_ACT_LEMMAS = frozenset(_WORDS["act_lemmas"])  # the verb and its object are the statement
_COLLECTIVE = frozenset(_WORDS["collective_heads"])  # "members of X", "leaders of X": X speaks
_COLLECTIVE_PLURAL = frozenset(_WORDS["collective_plural_heads"])  # "ECOWAS leaders", not "the AFC leader"
_UNNAMED = frozenset(_WORDS["unnamed_heads"])  # "officials", "a source": nobody we can name
_TURN_MIN_WORDS: int = _WORDS["transcript_min_words"]
_TURN_SUBSTANTIAL_WORDS: int = _WORDS["transcript_substantial_words"]
_SPEECH_NOUNS = frozenset(_WORDS["speech_nouns"])  # "the announcement by Qatar that …"
_DIRECTIVE = frozenset(_WORDS["directive_lemmas"])  # "told its fighters to …", "asked them to …"
_SPEECH_OBJECTS = frozenset(_WORDS["speech_objects"])  # "maintained his belief that …"
_QUOTED = re.compile(r"“[^”]+”?|\"[^\"]+\"?|«[^»]+»?")
_CONTENT_END = re.compile(r",[\"”]?\s+(?:while|but|whereas|although|though|even\s+as)\b|;\s|\s[—–]\s")
_FIRST_PERSON = frozenset({"i", "we"})
_PERSONAL = frozenset({"he", "she"})
_GROUP = frozenset({"it", "they"})


@dataclass
class _Context:
    """What earlier sentences tell a later one: who was named and who spoke last."""

    last_person: str | None = None
    last_group_speaker: str | None = None
    last_direct: Quote | None = None
    paragraph: int = 0
    seen: set[tuple[str, str]] = field(default_factory=set)


def find_quotes(
    sentences: list[Sentence],
    actors: ActorIndex,
    dates: dict[tuple[int, int], list[DateMention]],
    docs: list[Doc],
    *,
    turns: dict[int, str] | None = None,
    published: PartialDate | None = None,
) -> list[Quote]:
    """Every statement of the document, in text order. ``docs``: each sentence parsed; ``turns``: paragraph
    -> the transcript speaker."""
    turns = turns or {}
    quotes: list[Quote] = []
    context = _Context()
    turn_paragraphs: set[int] = set()
    for sentence, doc in zip(sentences, docs, strict=True):
        if sentence.paragraph != context.paragraph:
            context.paragraph = sentence.paragraph
            turn_speaker = turns.get(sentence.paragraph)
            if turn_speaker and sentence.paragraph not in turn_paragraphs:
                turn_paragraphs.add(sentence.paragraph)
                quotes += _turn_statement(sentences, sentence.paragraph, turn_speaker, published, actors)
        occurrences = actors.in_sentence(sentence)
        found = _Sentence(sentence, doc, occurrences, actors, context, turns.get(sentence.paragraph))
        mentions = dates.get((sentence.paragraph, sentence.index), [])
        for quote in found.statements(mentions):
            key = (quote.speaker or "", _fold(quote.text))
            duplicate = any(key[1] in seen_text for speaker, seen_text in context.seen if speaker == key[0])
            if quote.speaker == turns.get(sentence.paragraph) or duplicate:
                continue
            context.seen.add(key)
            quotes.append(quote)
        people = [o.actor for o in occurrences if actors.actors[o.actor].kind == "person"]
        if people:
            context.last_person = people[-1]
    return quotes


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _turn_statement(
    sentences: list[Sentence], paragraph: int, speaker: str, published: PartialDate | None, actors: ActorIndex
) -> list[Quote]:
    """A paragraph of a speaker's turn that speaks about someone, or at length: greetings and housekeeping
    are not statements."""
    own = [s for s in sentences if s.paragraph == paragraph]
    text = " ".join(s.text for s in own)
    if len(text.split()) < _TURN_MIN_WORDS or text.rstrip().endswith("?"):
        return []
    names_someone = any(o.actor != speaker for s in own for o in actors.in_sentence(s))
    if not names_someone and len(text.split()) < _TURN_SUBSTANTIAL_WORDS:
        return []
    return [Quote(speaker, "direct", text, published, paragraph, 0)]


class _Sentence:
    """The statements of one parsed sentence."""

    def __init__(
        self,
        sentence: Sentence,
        doc: Doc,
        occurrences: list[Occurrence],
        actors: ActorIndex,
        context: _Context,
        turn_speaker: str | None,
    ) -> None:
        self.sentence = sentence
        self.doc = doc
        self.occurrences = occurrences
        self.actors = actors
        self.context = context
        self.turn_speaker = turn_speaker
        self.quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(sentence.text)]

    def statements(self, mentions: list[DateMention]) -> list[Quote]:
        found: list[Quote] = []
        used_quotes: set[tuple[int, int]] = set()
        for verb in self._speech_verbs():
            speaker = self._speaker(verb)
            if speaker is None:
                continue
            quoted = self._quotes_of(verb)
            if quoted:
                used_quotes.update(quoted)
                text = " … ".join(self._quote_text(span) for span in quoted)
                if len(text.split()) >= _MIN_WORDS:
                    date = _date_near(mentions, verb.idx, (quoted[0][0], quoted[-1][1]))
                    found.append(self._quote(speaker, "direct", text, date))
                    continue
            content = self._content(verb)
            words = self.sentence.text[content[0] : content[1]] if content else ""
            text = _trim(re.sub(r"^that\s+", "", _CONTENT_END.split(words)[0]))
            if content and len(text.split()) >= _MIN_WORDS:
                date = _date_near(mentions, verb.idx, content)
                found.append(self._quote(speaker, "reported", text, date))
        found += self._according_to(mentions, bool(found))
        found += [q for q in self._announcements(mentions) if q.speaker not in {f.speaker for f in found}]
        if not found:
            found += self._continued_quotation()
        direct = [q for q in found if q.kind == "direct"]
        if direct:
            self.context.last_direct = direct[-1]
        elif not self.quotes:
            self.context.last_direct = None
        speakers = [q.speaker for q in found if q.speaker and self.actors.actors[q.speaker].kind != "person"]
        if speakers:
            self.context.last_group_speaker = speakers[-1]
        return found

    # verbs and speakers ---------------------------------------------------------------------------
    def _speech_verbs(self) -> list[Token]:
        verbs = []
        for token in self.doc:
            lemma = lemma_of(token)
            if lemma not in _SAY_LEMMAS and lemma not in _ACT_LEMMAS and not _speaks_of(token):
                continue
            if word_class(token) not in {"VERB", "AUX"} or self._inside_quote(token.idx):
                continue
            if token.tag_ == "VBN" and token.dep_ in {"amod", "acl"}:
                continue  # "the statement issued today", "the agreed ceasefire"
            verbs.append(token)
        return verbs

    def _inside_quote(self, position: int) -> bool:
        return any(start < position < end for start, end in self.quotes)

    def _subject(self, verb: Token) -> Token | None:
        head = verb
        for _ in range(4):
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "csubj"}]
            if subjects:
                return subjects[0]
            if any(c.dep_ == "nsubjpass" for c in head.children):
                return None  # "it was reported that …": no speaker
            if head.dep_ not in {"conj", "xcomp", "advcl", "pcomp", "prep"} or head.head is head:
                return None
            head = head.head  # "They insisted … and said", "adding that …", "added urgency by warning"
        return None

    def _speaker(self, verb: Token) -> str | None:
        subject = self._subject(verb)
        inverted = self._after_verb_actor(verb)
        if subject is None:
            return inverted or self._opening_actor(verb)
        word = subject.text.lower()
        if word_class(subject) == "PRON":
            if inverted and subject.i < verb.i and subject.dep_ != "nsubj":
                return inverted
            return self._pronoun(word, subject)
        if inverted and subject.i > verb.i:
            return inverted
        return self._actor_of_phrase(subject)

    def _opening_actor(self, verb: Token) -> str | None:
        """Where the parse found no subject at all, the actor the sentence opens with ("President Trump
        added urgency by warning that …"), unless the verb is passive or another actor comes between."""
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
            return None
        opening = [o for o in self.occurrences if o.end <= verb.idx]
        first_words = self.sentence.text[: opening[0].start].split() if opening else []
        if not opening or len(first_words) > 2 or any(o.actor != opening[0].actor for o in opening):
            return None
        return opening[0].actor

    def _after_verb_actor(self, verb: Token) -> str | None:
        """ "“…,” said Nigeria's President Bola Tinubu": the speaker follows the verb right after a quote."""
        before = self.sentence.text[: verb.idx].rstrip()
        if not before.endswith(("”", '"', ",”", ',"', "»")) and not before.endswith(","):
            return None
        if not any(end <= verb.idx for _, end in self.quotes):
            return None
        limit = verb.idx + len(verb.text) + 90
        following = [o for o in self.occurrences if verb.idx < o.start < limit]
        people = [o for o in following if self.actors.actors[o.actor].kind == "person"]
        chosen = people or following
        return chosen[0].actor if chosen else None

    def _pronoun(self, word: str, subject: Token) -> str | None:
        if word in _FIRST_PERSON:
            return self.turn_speaker
        if word in _PERSONAL:
            people = [
                o.actor
                for o in self.occurrences
                if o.end <= subject.idx and self.actors.actors[o.actor].kind == "person"
            ]
            return people[-1] if people else self.context.last_person
        if word in _GROUP:
            return self.context.last_group_speaker
        return None

    def _actor_of_phrase(self, head: Token) -> str | None:
        """The actor a noun phrase names: its own name, or the X of "members of X"; never "officials"."""
        own = self._actor_at(head)
        if own is not None:
            return own
        lemma = lemma_of(head)
        if lemma in _UNNAMED:
            return None
        plural = head.tag_ in {"NNS", "NNPS"} and lemma in _COLLECTIVE_PLURAL
        if lemma in _COLLECTIVE or plural:  # "members of the Council", "a report by the Committee"
            for child in head.children:
                if child.dep_ == "compound" and (found := self._actor_at(child)) is not None:
                    return found
                if child.dep_ == "prep" and child.lower_ in {"of", "by", "from"}:
                    for pobj in child.children:
                        if (found := self._actor_of_phrase(pobj)) is not None:
                            return found
            return None
        if is_role_word(head.text):  # "the M23/AFC leader": the person the text gives that role, if known
            return self._person_with_role(head)
        for child in head.children:  # "Bola Tinubu" under a title head, "Russia and Turkey"
            if child.dep_ in {"compound", "appos", "conj", "nmod"} and (found := self._actor_at(child)):
                return found
        span = head.doc[head.left_edge.i : head.right_edge.i + 1]
        inside = self._occurrences_in(span)
        people = [o for o in inside if self.actors.actors[o.actor].kind == "person"]
        if people:
            return people[0].actor
        return inside[0].actor if len(inside) == 1 and word_class(head) == "PROPN" else None

    def _person_with_role(self, head: Token) -> str | None:
        """The one person whose role has this title and names the body the phrase names ("leader" + AFC)."""
        bodies = {self._actor_at(t) for t in head.subtree if t.i != head.i} - {None}
        noun = lemma_of(head)
        found = []
        for actor in self.actors.actors.values():
            role = (actor.role or "").lower()
            if actor.kind != "person" or not re.search(rf"\b{re.escape(noun)}\b", role):
                continue
            named = {a for a in bodies if a and any(f.lower() in role for f in self._forms(a))}
            if named or not bodies:
                found.append(actor.name)
        return found[0] if len(found) == 1 else None

    def _forms(self, name: str) -> list[str]:
        actor = self.actors.actors[name]
        return [actor.name, *actor.aliases]

    def _actor_at(self, token: Token) -> str | None:
        for occurrence in self.occurrences:
            if occurrence.start <= token.idx < occurrence.end:
                return occurrence.actor
        return None

    def _occurrences_in(self, span: Span) -> list[Occurrence]:
        start, end = span.start_char, span.end_char
        return [o for o in self.occurrences if start <= o.start < end]

    # what was said ----------------------------------------------------------------------------------
    def _quotes_of(self, verb: Token) -> list[tuple[int, int]]:
        """The quotations a speech verb introduces: next to it, or inside its reported clause."""
        if not self.quotes:
            return []
        subject = self._subject(verb)
        spans = []
        for start, end in self.quotes:
            words = len(self.sentence.text[start:end].split())
            if words < _MIN_WORDS:
                continue
            between = self._between(start, end, verb)
            if subject is not None:
                between = between.replace(self._text(list(subject.subtree)), " ")
            bare = re.fullmatch(r"[\s,:;—–-]*(?:that\s*)?", between)
            announced = verb.idx < start and between.rstrip().endswith(":") and len(between.split()) <= 8
            if bare or announced:
                spans.append((start, end))
        return spans

    def _between(self, start: int, end: int, verb: Token) -> str:
        """The words between a quotation and its verb, without the speaker's name (“…,” said X)."""
        text = self.sentence.text
        if verb.idx >= end:
            return text[end : verb.idx]
        return text[verb.idx + len(verb) : start]

    def _quote_text(self, span: tuple[int, int]) -> str:
        return _trim(self.sentence.text[span[0] : span[1]].strip('“”"«» ,'))

    def _content(self, verb: Token) -> tuple[int, int] | None:
        """Where the reported words are: the clause of "said (that) …", or the predicate of "condemned …"."""
        lemma = lemma_of(verb)
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        if not clauses and verb.dep_ == "xcomp":  # "used Russia Today to reassure Mali that …": the parse
            clauses = [c for c in verb.head.children if c.dep_ == "ccomp" and c.i > verb.i]  # hung it higher
        if lemma in _SAY_LEMMAS and clauses:
            clause = clauses[0]
            tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head == clause)]
            return self._span(tokens) if tokens else None
        objects = [c for c in verb.children if c.dep_ == "dobj" and self._is_said(c)]
        spoke_of = _speaks_of(verb)
        directive = lemma in _DIRECTIVE and any(c.dep_ == "xcomp" for c in verb.children)  # "told X to …"
        if lemma in _ACT_LEMMAS or (lemma in _SAY_LEMMAS and objects) or spoke_of or directive:
            # "condemned the attack", "maintained his belief that …", "noted “good results”", "spoke of …"
            subject = self._subject(verb)
            skip = set(subject.subtree) if subject is not None else set()
            tokens = [t for t in verb.subtree if t.i >= verb.i and t not in skip]
            tokens = _cut_at_coordinated_clause(tokens, verb)
            return self._span(tokens) if len(tokens) > 1 else None
        return None

    def _is_said(self, noun: Token) -> bool:
        """An object that carries words: "his belief that …", "“good results”" (not "communications")."""
        if lemma_of(noun) in _SPEECH_OBJECTS:
            return True
        start, end = self._span(list(noun.subtree))
        return any(start <= q_start < end for q_start, _ in self.quotes)

    def _span(self, tokens: list[Token]) -> tuple[int, int]:
        return min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)

    def _text(self, tokens: list[Token]) -> str:
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t) for t in tokens)
        return self.sentence.text[start:end]

    def _according_to(self, mentions: list[DateMention], have: bool) -> list[Quote]:
        for token in self.doc:
            if (
                token.lower_ != "according"
                or token.i + 1 >= len(self.doc)
                or self.doc[token.i + 1].lower_ != "to"
            ):
                continue
            objects = [c for c in self.doc[token.i + 1].children if c.dep_ == "pobj"]
            speaker = self._actor_of_phrase(objects[0]) if objects else None
            if speaker is None or have:
                return []
            phrase = {t.i for t in token.subtree}
            rest = [t for t in self.doc if t.i not in phrase and not t.is_punct]
            if len(rest) < _MIN_WORDS:
                return []
            date = _date_before(mentions, len(self.sentence.text))
            quoted = [q for q in self.quotes if len(self.sentence.text[q[0] : q[1]].split()) >= _MIN_WORDS]
            if quoted:
                return [self._quote(speaker, "direct", self._quote_text(quoted[0]), date)]
            return [self._quote(speaker, "reported", _trim(self._text(rest)), date)]
        return []

    def _announcements(self, mentions: list[DateMention]) -> list[Quote]:
        """ "the announcement by Qatar that the pause will be extended": a statement named by its noun."""
        found = []
        for noun in self.doc:
            if lemma_of(noun) not in _SPEECH_NOUNS or word_class(noun) != "NOUN":
                continue
            by = [
                p
                for c in noun.children
                if c.dep_ == "prep" and c.lower_ in {"by", "from"}
                for p in c.children
            ]
            speaker = next((a for p in by if (a := self._actor_of_phrase(p)) is not None), None)
            clauses = [c for c in noun.children if c.dep_ in {"acl", "ccomp"} and _opens_with_that(c)]
            if speaker is not None and clauses:
                tokens = [t for t in clauses[0].subtree if not (t.dep_ == "mark" and t.head == clauses[0])]
                span: tuple[int, int] | None = self._span(tokens)
            else:  # an aside between the noun and "by X that …" can break the parse: read the words
                speaker, span = self._by_actor_that(noun)
            if speaker is None or span is None:
                continue
            text = _trim(
                re.sub(r"^that\s+", "", _CONTENT_END.split(self.sentence.text[span[0] : span[1]])[0])
            )
            if len(text.split()) >= _MIN_WORDS:
                found.append(self._quote(speaker, "reported", text, _date_near(mentions, noun.idx, span)))
        return found

    def _by_actor_that(self, noun: Token) -> tuple[str | None, tuple[int, int] | None]:
        text = self.sentence.text
        for occurrence in self.occurrences:
            gap = text[noun.idx + len(noun) : occurrence.start]
            if not 0 < len(gap) <= 120 or not re.search(r"\bby\s+(?:the\s+)?$", gap):
                continue
            that = re.match(r"\s+that\s+", text[occurrence.end :])
            if that:
                return occurrence.actor, (occurrence.end + that.end(), len(text))
        return None, None

    def _standalone_quote(self) -> bool:
        text = self.sentence.text.strip()
        return bool(self.quotes) and text[:1] in '“"«' and self.quotes[0][0] == 0

    def _continued_quotation(self) -> list[Quote]:
        """A quotation standing alone right after a direct statement goes on with the same speaker."""
        previous = self.context.last_direct
        if (
            previous is None
            or not self._standalone_quote()
            or previous.paragraph < self.sentence.paragraph - 1
        ):
            return []
        span = self.quotes[0]
        text = self._quote_text(span)
        if len(text.split()) < _MIN_WORDS:
            return []
        return [self._quote(previous.speaker or "", "direct", text, previous.date)]

    def _quote(self, speaker: str, kind: str, text: str, date: PartialDate | None) -> Quote:
        return Quote(speaker, kind, text, date, self.sentence.paragraph, self.sentence.index)  # type: ignore[arg-type]


def _opens_with_that(clause: Token) -> bool:
    return any(t.lower_ == "that" and t.dep_ in {"mark", "det"} for t in clause.subtree if t.i < clause.i)


def _speaks_of(verb: Token) -> bool:
    """ "spoke of a downward trend": speaking about something says it; "spoke to relatives" does not."""
    if lemma_of(verb) != "speak":
        return False
    near = [*verb.children, *(g for c in verb.children if c.dep_ == "prep" for g in c.children)]
    return any(c.dep_ == "prep" and c.lower_ in {"of", "about"} for n in near for c in [n, *n.children])


def _cut_at_coordinated_clause(tokens: list[Token], verb: Token) -> list[Token]:
    """Stop the predicate before ", while …" or a second clause joined to it."""
    kept = []
    for token in sorted(tokens, key=lambda t: t.i):
        if token.dep_ in {"advcl", "parataxis"} and token.head == verb and token.i > verb.i + 1:
            break
        kept.append(token)
    cut = {t for t in tokens if t.i > max(t.i for t in kept)} if kept else set()
    return [t for t in kept if t not in cut]


def _date_before(mentions: list[DateMention], position: int) -> PartialDate | None:
    resolved = [m for m in mentions if m.date is not None and m.start < position]
    return resolved[-1].date if resolved else None


def _date_near(mentions: list[DateMention], position: int, content: tuple[int, int]) -> PartialDate | None:
    """The date the sentence puts on the act of speaking: outside what was said, nearest the verb."""
    outside = [m for m in mentions if m.date is not None and not content[0] <= m.start < content[1]]
    return min(outside, key=lambda m: abs(m.start - position)).date if outside else None


def _trim(text: str) -> str:
    """Strip the closing full stop; close a quotation the cut left open."""
    text = text.strip().rstrip(".,;: ").strip()
    if text.count('"') % 2:
        text += '"'
    if text.count("“") > text.count("”"):
        text += "”"
    return text
