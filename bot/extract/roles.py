"""The role a text gives a person, read from the words around the name.

Three shapes cover most news prose:

- a title before the name: "Wagner Group chairman Yevgeny Prigozhin", "Russian Minister of Defense Sergei
  Shoigu", "Moscow-based Middle East expert Elena Suponina";
- an appositive after it: "Andrei Kortunov, the director general of the Russian International Affairs
  Council, argued …";
- an appositive before it: "… invited the president of Libya’s State Council, Khaled al-Meshri, to …".
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from bot.extract import lexicon
from bot.extract.segment import tokenize

_WORDS = lexicon.load("actors")
ROLE_NOUNS = frozenset(_WORDS["role_nouns"])
LEADER_NOUNS = frozenset(_WORDS["leader_nouns"])
HONORIFICS = frozenset(word.lower().rstrip(".") for word in _WORDS["honorifics"])
ROLE_MODIFIERS = frozenset(_WORDS["role_modifiers"])
_ROLE_WORDS = {word for phrase in ROLE_NOUNS for word in phrase.split()} | HONORIFICS
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TITLE_WINDOW = 200  # characters before a name that a title can take up
_STOP_BEFORE = frozenset(
    {"the", "a", "an", "and", "or", "by", "with", "upon", "that", "to", "from", "for", "as"}
)
_TITLE_RUN = re.compile(r"(?:[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'.-]*|of|the|for|and))*$")
_APPOSITIVE_END = re.compile(r",|;|—|–|\(|\)|$")


def is_role_word(word: str) -> bool:
    return word.lower().rstrip(".") in _ROLE_WORDS


def has_role_noun(phrase: str) -> bool:
    lower = phrase.lower()
    return any(re.search(rf"\b{re.escape(noun)}\b", lower) for noun in ROLE_NOUNS)


def is_leader_role(role: str) -> bool:
    """Whether a role says the person leads the body it names ("chairman", "leader", not "deputy …")."""
    lower = role.lower()
    if re.search(r"\b(?:deputy|vice|assistant|former|ex|adviser|advisor|aide|spokes\w*)\b", lower):
        return False
    return any(re.search(rf"\b{re.escape(noun)}\b", lower) for noun in LEADER_NOUNS)


def title_before(sentence: str, name_start: int, continuing: bool = False) -> str | None:
    """The title phrase that ends right before a name ("Libyan National Army leader" Khalifa Haftar).

    ``continuing`` extends a title already found inside the name's span ("UN-recognized" + "GNA Prime
    Minister"), so the words need not end on a role word.
    """
    window_start = max(0, name_start - _TITLE_WINDOW)
    tokens = tokenize(sentence[window_start:name_start])
    taken: list[str] = []
    for token in reversed(tokens):
        word = token.text
        lower = word.lower()
        if lower == "and" and taken and is_role_word(taken[-1]) and taken[-1][:1].isupper():
            taken.append(word)  # "Nigeria’s President and ECOWAS Chairman"
            continue
        if lower == "for" and taken and taken[-1][:1].isupper():
            taken.append(word)  # "Coordinator for Strategic Communications", "Minister of State for …"
            continue
        if lower in _STOP_BEFORE or (not word[:1].isalnum()):
            break
        is_title_word = is_role_word(word) or lower in ROLE_MODIFIERS
        if not taken and not is_title_word and not continuing:
            return None
        if word[:1].isupper() or is_title_word or lower == "of" or "-" in word:
            taken.append(word)
            continue
        break
    while taken and taken[-1].lower() in {"of", "for", "and"}:
        taken.pop()
    if not taken or not (continuing or any(is_role_word(word) for word in taken)):
        return None
    start = window_start + tokens[len(tokens) - len(taken)].start
    return sentence[start:name_start].strip() or None


def appositive_after(sentence: str, name_end: int) -> str | None:
    """ ", the director general of the Russian International Affairs Council," after a name."""
    rest = sentence[name_end:]
    if not rest.startswith(", "):
        return None
    phrase = _clause_segment(rest[2:])
    # "speaker of the Haftar-aligned, Tobruk-based parliament": a segment ending on a hyphenated
    # adjective continues past the comma.
    while re.search(r"-[a-z]+$", phrase) and rest[2 + len(phrase) :].startswith(", "):
        more = _clause_segment(rest[4 + len(phrase) :])
        if not more or len(more.split()) > 4:
            break
        phrase = f"{phrase}, {more}"
    return _role_phrase(phrase)


def appositive_before(sentence: str, name_start: int) -> str | None:
    """ "the president of Libya’s State Council, " before a name."""
    before = sentence[:name_start]
    if not before.endswith(", "):
        return None
    segment = re.split(r"[,;:—–(]", before[:-2])[-1]
    match = re.search(r"\b(?:the|a|an)\s+(.+)$", segment, re.IGNORECASE)
    if match is not None:
        return _role_phrase(match.group(0))
    titled = _TITLE_RUN.search(segment)  # "… before President of ECOWAS Commission, Dr. Omar …"
    if titled is None:
        return None
    words = titled.group(0).split()
    while words and not is_role_word(words[0]):
        words.pop(0)
    last_role = max((i for i, word in enumerate(words) if is_role_word(word)), default=-1)
    if last_role + 1 < len(words) and words[last_role + 1].lower() not in {"of", "for"}:
        return None  # "alongside Prime Minister Donald Tusk, Zelenskiy …": a name follows, not a body
    return " ".join(words) if words and has_role_noun(" ".join(words)) else None


def _clause_segment(text: str) -> str:
    return text[: _APPOSITIVE_END.search(text).start()].strip()


def _role_phrase(phrase: str) -> str | None:
    """A phrase is a role when it starts in lower case and names a role noun in its first five words."""
    phrase = phrase.strip()
    if not phrase or len(phrase.split()) > 16:
        return None
    if phrase[0].isupper():  # "Kenya's defence minister", but not "Russian Minister … Sergei Shoigu"
        return phrase if phrase.split()[-1].lower() in ROLE_NOUNS and has_role_noun(phrase) else None
    body = _DETERMINER.sub("", phrase)
    first = body.split()[0].lower()
    if body == phrase and first not in ROLE_NOUNS and first not in ROLE_MODIFIERS and not is_role_word(first):
        return None  # "is Libya’s legitimate leader" is a predicate, not an appositive
    head = " ".join(body.split()[:5])
    if re.match(r"^(?:who|which|that|where|when|said|says|told|added)\b", body):
        return None
    return body if has_role_noun(head) else None


_LEADING_DETERMINER = re.compile(r"^(?:the|a|an|its|their|our)\s+", re.IGNORECASE)  # "his"/"her" stay
_MAX_APPOSITION_WORDS = 14


def apposition_role(doc: Doc, name_start: int, name_end: int) -> str | None:
    """The role an apposition gives the name at these character offsets, read off the parse: "Tete
    Antonio, Angola’s Foreign Minister", "Russia's envoy, Kirill Dmitriev", "Haqqani, their deputy leader"."""
    name = [t for t in doc if name_start <= t.idx < name_end]
    if not name:
        return None
    inside = {t.i for t in name}
    head = next((t for t in name if t.head.i not in inside or t.head is t), name[-1])
    if head.dep_ == "appos" and head.head.i not in inside:
        phrase = [t for t in head.head.subtree if t.i not in {s.i for s in head.subtree}]
        phrase = [t for t in phrase if t.i < head.i]  # the title stands before the name
    else:
        children = [c for c in head.children if c.dep_ == "appos" and c.i not in inside]
        if not children:
            return None
        phrase = list(children[0].subtree)
    words = [t for t in phrase if not t.is_punct or t.text in {"’s", "'s", "-"}]
    if not words or len(words) > _MAX_APPOSITION_WORDS:
        return None
    text = doc.text[words[0].idx : words[-1].idx + len(words[-1])]
    text = _LEADING_DETERMINER.sub("", text.strip(" ,;:"))
    return text if has_role_noun(text) and not re.search(r"\b(?:who|which|that)\b", text) else None


def is_honorific_only(role: str | None) -> bool:
    """Whether a role is only a form of address ("Dr", "Mr", "Sheikh", "His Excellency")."""
    words = [w.lower().rstrip(".") for w in (role or "").split()]
    return all(w in HONORIFICS or w in {"his", "her", "excellency"} for w in words)
