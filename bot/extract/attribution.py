"""Statements: direct quotations and reported speech, each attributed to the actor who made it.

- Direct: words in quotation marks with at least four words ("scare quotes" are not statements), spoken by
  the actor next to a speech verb before or after them ("…,” said Haftar; Haftar said: “…”; “…,” he said).
- Reported: ACTOR [, appositive,] VERB [date] that CLAUSE ("Kortunov, the director general …, argued on
  April 9 that …"), ACTOR called for NOUN PHRASE, and "according to ACTOR".
- The speaker is the actor mentioned nearest before the verb with nothing but an appositive, an adverb or
  an auxiliary between them; "he"/"she" is the person mentioned last. A claim with no actor ("it was
  reported that") is not a statement: the bot never guesses who said something.
- A statement's date is the date the text attaches to it (in the attribution, or the sentence's opening
  date), else none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract import lexicon
from bot.extract.actors import ActorIndex, Occurrence
from bot.extract.dates import DateMention
from bot.extract.model import PartialDate, Quote, Sentence
from bot.extract.roles import has_role_noun

_WORDS = lexicon.load("attribution")
_MIN_QUOTE_WORDS: int = _WORDS["min_quote_words"]


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_VERBS = _alternation(_WORDS["speech_verbs"])
_SPEECH = re.compile(rf"\b(?P<verb>{_VERBS})\b")
_CALL = re.compile(rf"\b(?P<verb>{_alternation(_WORDS['call_verbs'])})\s+(?P<text>.+)$")
_ACCORDING = re.compile(rf"\b{_alternation(_WORDS['according_to'])}\s+", re.IGNORECASE)
_CONTENT_END = re.compile(
    r"(?:,[\"”]?|[\"”],)\s+(?:while|but|whereas|although|though|even\s+as)\b|;\s|\s[—–]\s"
)
_QUOTED = re.compile(r"“(?P<a>[^”]+)”|\"(?P<b>[^\"]+)\"|«(?P<c>[^»]+)»")
_GAP = re.compile(
    r"^\s*(?:,[^,]*,)?\s*(?:(?:has|have|had|also|reportedly|publicly|repeatedly|recently|once|again|then|"
    r"himself|herself|previously|later|earlier|has\s+long|had\s+long|\w+ly)\s+)*$"
)
_BRIDGE = re.compile(
    r"^\s*(?:,?\s*(?:on|in|at|last|this|earlier|later)?\s*[^,]{0,30}?,?)?\s*that\s+", re.IGNORECASE
)
_CLAUSE_VERBS = frozenset(_WORDS["clause_without_that"])


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def find_quotes(
    sentences: list[Sentence], actors: ActorIndex, dates: dict[tuple[int, int], list[DateMention]]
) -> list[Quote]:
    quotes: list[Quote] = []
    last_person: str | None = None
    for sentence in sentences:
        occurrences = actors.in_sentence(sentence)
        sentence_dates = dates.get((sentence.paragraph, sentence.index), [])
        direct_spans: list[_Span] = []
        for match in _QUOTED.finditer(sentence.text):
            words = match.group("a") or match.group("b") or match.group("c")
            direct_spans.append(_Span(match.start(), match.end()))
            if len(words.split()) < _MIN_QUOTE_WORDS:
                continue
            speaker = _direct_speaker(sentence.text, match, occurrences, actors, last_person)
            if speaker:
                date = _date_before(sentence_dates, len(sentence.text))
                quotes.append(_quote(speaker, "direct", words.strip(" ,"), date, sentence))
        direct_speakers = {
            q.speaker for q in quotes if (q.paragraph, q.sentence) == (sentence.paragraph, sentence.index)
        }
        quotes += [
            q
            for q in _reported(sentence, occurrences, actors, sentence_dates, direct_spans, last_person)
            if not (q.speaker in direct_speakers and _QUOTED.search(q.text))
        ]
        people = [o.actor for o in occurrences if actors.actors[o.actor].kind == "person"]
        if people:
            last_person = people[-1]
    return quotes


def _quote(speaker: str, kind: str, text: str, date: PartialDate | None, sentence: Sentence) -> Quote:
    return Quote(
        speaker=speaker,
        kind=kind,
        text=text,
        date=date,
        paragraph=sentence.paragraph,  # type: ignore[arg-type]
        sentence=sentence.index,
    )


def _date_before(mentions: list[DateMention], position: int) -> PartialDate | None:
    resolved = [m for m in mentions if m.date is not None and m.start < position]
    return resolved[-1].date if resolved else None


def _speaker_before(
    text: str, position: int, occurrences: list[Occurrence], last_person: str | None, actors: ActorIndex
) -> str | None:
    for occurrence in reversed([o for o in occurrences if o.end <= position]):
        if _GAP.match(text[occurrence.end : position]):
            return occurrence.actor
    before = text[:position].rstrip()
    if re.search(r"\b(?:he|she)$", before, re.IGNORECASE) and last_person is not None:
        return last_person
    return None


def _direct_speaker(
    text: str,
    match: re.Match[str],
    occurrences: list[Occurrence],
    actors: ActorIndex,
    last_person: str | None,
) -> str | None:
    """Who speaks a quotation: “…,” said X / “…,” X said / “…,” he said / X said: “…”."""
    after_start = match.end()
    after = text[after_start:]
    said_then_name = re.match(rf"^[,\s]*(?:{_VERBS})\s+", after)
    if said_then_name:
        position = after_start + said_then_name.end()
        following = [o for o in occurrences if o.start >= position]
        if following and _words(text[position : following[0].start]) <= 3:
            return following[0].actor
    pronoun = re.match(rf"^[,\s]*(?:he|she)\s+(?:{_VERBS})\b", after, re.IGNORECASE)
    if pronoun:
        people = [
            o.actor for o in occurrences if o.end <= match.start() and actors.actors[o.actor].kind == "person"
        ]
        return people[-1] if people else last_person
    for occurrence in occurrences:
        adjacent = occurrence.start >= after_start and re.fullmatch(
            r"[,\s]*", text[after_start : occurrence.start]
        )
        if adjacent and re.match(rf"^\s+(?:{_VERBS})\b", text[occurrence.end :]):
            return occurrence.actor
    according = _ACCORDING.search(text)
    if according:
        named = [o for o in occurrences if 0 <= o.start - according.end() < 3]
        if named:
            return named[0].actor
    before = text[: match.start()].rstrip(" :,")
    verb_before = list(_SPEECH.finditer(before))
    if verb_before and _words(before[verb_before[-1].end() :]) <= 3:
        return _speaker_before(text, verb_before[-1].start(), occurrences, last_person, actors)
    return None


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _inside(position: int, spans: list[_Span]) -> bool:
    return any(span.start <= position < span.end for span in spans)


def _reported(
    sentence: Sentence,
    occurrences: list[Occurrence],
    actors: ActorIndex,
    mentions: list[DateMention],
    direct: list[_Span],
    last_person: str | None,
) -> list[Quote]:
    text = sentence.text
    quotes: list[Quote] = []
    for match in _SPEECH.finditer(text):
        if _inside(match.start(), direct) or re.search(
            r"\b(?:was|were|been|being|is|are)\s+$", text[: match.start()]
        ):
            continue
        content = _reported_content(text, match, mentions)
        if content is None:
            continue
        speaker = _speaker_before(text, match.start(), occurrences, last_person, actors)
        if speaker is None or content[1][:1] in '“"«':
            continue  # no actor said it, or it is a quotation (found above as a direct statement)
        quotes.append(_quote(speaker, "reported", content[1], _date_before(mentions, content[0]), sentence))
    call = _CALL.search(text)
    if call and not _inside(call.start(), direct):
        speaker = _speaker_before(text, call.start(), occurrences, last_person, actors)
        if speaker is not None:
            end = _CONTENT_END.search(text, call.start("text"))
            words = _trim(text[call.start("text") : end.start() if end else len(text)])
            quotes.append(
                _quote(
                    speaker,
                    "reported",
                    f"{call.group('verb')} {words}",
                    _date_before(mentions, call.start()),
                    sentence,
                )
            )
    according = _ACCORDING.search(text)
    if according:
        after = [o for o in occurrences if o.start >= according.end() and o.start - according.end() < 40]
        if after:
            tail = text[after[0].end :]
            appositive = re.match(r"^,\s+([^,]*),", tail)
            if appositive and has_role_noun(" ".join(appositive.group(1).split()[:5])):
                tail = tail[appositive.end() :]
            rest = (text[: according.start()] + tail).strip(" ,.")
            if len(rest.split()) >= _MIN_QUOTE_WORDS and not any(q.speaker == after[0].actor for q in quotes):
                quotes.append(
                    _quote(
                        after[0].actor, "reported", _trim(rest), _date_before(mentions, len(text)), sentence
                    )
                )
    return quotes


def _reported_content(text: str, verb: re.Match[str], mentions: list[DateMention]) -> tuple[int, str] | None:
    """Where the reported words start and what they are, after "VERB [date] that" (or VERB + clause)."""
    after_verb = verb.end()
    for mention in mentions:  # "argued on April 9 that": step over the date phrase
        if 0 <= mention.start - after_verb <= 4:
            after_verb = mention.end
    bridge = _BRIDGE.match(text[after_verb:])
    if bridge:
        start = after_verb + bridge.end()
    elif verb.group("verb") in _CLAUSE_VERBS and re.match(r"^\s+(?:the|a|an|[A-Z])", text[after_verb:]):
        start = after_verb + 1
    else:
        return None
    end = _CONTENT_END.search(text, start)
    words = _trim(text[start : end.start() if end else len(text)])
    if len(words.split()) < _MIN_QUOTE_WORDS:
        return None
    return start, words


def _trim(text: str) -> str:
    """Strip the closing full stop; close a quotation the cut left open."""
    text = text.strip().rstrip(".").strip()
    if text.count('"') % 2:
        text += '"'
    if text.count("“") > text.count("”"):
        text += "”"
    return text
