"""Sentence segmentation and tokenisation that keep quotations and abbreviations whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract import lexicon
from bot.extract.model import Sentence

_LEXICON = lexicon.load("segment")
ABBREVIATIONS = frozenset(a.lower() for a in _LEXICON["abbreviations"])
_OPENING_QUOTES = "“‘«"
_CLOSING_QUOTES = "”’»"
_TERMINATORS = ".!?"
MAX_SENTENCE = 1500  # characters; the longest sentences in real articles are well under this
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[\w][\w'’.\-–]*[\w]|[\w]|[^\w\s]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


def split_sentences(paragraph: str) -> list[str]:
    """Split at . ! ? followed by space and a capital, digit or quote; never inside a quotation."""
    sentences: list[str] = []
    start = 0
    depth = 0
    straight_open = False
    i = 0
    n = len(paragraph)
    while i < n:
        ch = paragraph[i]
        if ch in _OPENING_QUOTES and ch != "‘":
            depth += 1
        elif ch in _CLOSING_QUOTES and ch != "’":
            depth = max(0, depth - 1)
        elif ch == '"':
            straight_open = not straight_open
        elif ch in _TERMINATORS and depth == 0 and not straight_open and _ends_sentence(paragraph, i):
            end = i + 1
            while end < n and paragraph[end] in _CLOSING_QUOTES + '")':
                end += 1
            sentences.append(paragraph[start:end].strip())
            start = end
            i = end
            continue
        i += 1
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def _ends_sentence(text: str, i: int) -> bool:
    end = i + 1
    while end < len(text) and text[end] in _CLOSING_QUOTES + '")':
        end += 1
    if end >= len(text):
        return True
    if not text[end].isspace():
        return False
    following = text[end:].lstrip()
    if not following or not (
        following[0].isupper() or following[0].isdigit() or following[0] in _OPENING_QUOTES + '"'
    ):
        return False
    if text[i] != ".":
        return True
    word = re.search(r"(\S+)$", text[:i])
    if word is None:
        return True
    previous = word.group(1).lstrip("(\"“'")
    if previous.lower() + "." in ABBREVIATIONS:
        return False
    # Initials ("J. R. R. Tolkien", "U.S.") do not end a sentence unless the next word starts one.
    return not (re.fullmatch(r"[A-Z]", previous) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", previous))


def sentences_of(paragraphs: list[str]) -> list[Sentence]:
    """Every sentence of the document, numbered by paragraph (1-based) and position (0-based)."""
    return [
        Sentence(paragraph=number, index=index, text=text)
        for number, paragraph in enumerate(paragraphs, start=1)
        for index, text in enumerate(piece for s in split_sentences(paragraph) for piece in _bounded(s))
    ]


def _bounded(sentence: str) -> list[str]:
    """A "sentence" longer than any real one (a text without full stops) in pieces cut after a comma or
    a space, so no later step ever works on an unbounded run of words."""
    pieces = []
    while len(sentence) > MAX_SENTENCE:
        cut = max(sentence.rfind(", ", 0, MAX_SENTENCE), sentence.rfind("; ", 0, MAX_SENTENCE))
        if cut < MAX_SENTENCE // 2:
            cut = sentence.rfind(" ", 0, MAX_SENTENCE)
        cut = cut + 1 if cut > 0 else MAX_SENTENCE
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*pieces, sentence] if sentence else pieces


def tokenize(text: str) -> list[Token]:
    """Words (keeping hyphens, apostrophes and dots: "al-Serraj", "Haftar’s", "U.S.") and punctuation."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
