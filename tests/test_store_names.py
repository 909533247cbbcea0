"""Name normalisation and the consonant skeleton (matching itself: tests/test_resolve.py)."""

from __future__ import annotations

import pytest

from bot.store.names import normalize_name, skeleton


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Khalifa Haftar", "khalifa haftar"),
        ("  KHALĪFA   Ḥaftar ", "khalifa haftar"),
        ("The Wagner Group", "wagner group"),
        ("the", "the"),
        ("Mu’ammar al-Gaddafi", "muammar al gaddafi"),
        ("Mu'ammar al Gaddafi", "muammar al gaddafi"),
        ("Søren Łukasz", "soren lukasz"),
        ("", ""),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("haftar", "hifter"),
        ("shoigu", "shoygu"),
        ("serraj", "sarraj"),
        ("wagner", "vagner"),
        ("yevgeny", "evgeny"),
    ],
)
def test_transliteration_variants_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)
