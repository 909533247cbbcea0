"""The two keys names are compared by (:mod:`bot.resolve` does the matching):

* the *normalised* form: case, diacritics, apostrophes, punctuation and a leading "the" folded away;
* a *consonant skeleton* that also folds transliteration variants: vowels and ``h`` are dropped and
  look-alike consonants merged, so "Hifter"/"Haftar", "Shoygu"/"Shoigu" and "Sarraj"/"Serraj" share a key.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
# Letters that NFKD does not decompose into a base letter plus a combining mark.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})
_WORD = re.compile(r"\w+")
_SKELETON_DIGRAPHS = (("ph", "f"), ("ck", "k"), ("dj", "j"), ("dzh", "j"), ("zh", "j"), ("x", "ks"))
_SKELETON_LETTERS = str.maketrans({"c": "k", "q": "k", "w": "v", "z": "s"})
_SKELETON_DROP = re.compile(r"[aeiouyh\s]")


def normalize_name(text: str) -> str:
    """Fold case, diacritics, apostrophe variants, punctuation and a leading "the" ("The Wagner Group")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _WORD.findall(plain.translate(_APOSTROPHES).replace("'", "").replace("_", " "))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def skeleton(normalized: str) -> str:
    """Consonant skeleton of a normalised name: transliteration variants collapse to one key."""
    text = normalized
    for digraph, replacement in _SKELETON_DIGRAPHS:
        text = text.replace(digraph, replacement)
    text = _SKELETON_DROP.sub("", text.translate(_SKELETON_LETTERS))
    return re.sub(r"(.)\1+", r"\1", text)
