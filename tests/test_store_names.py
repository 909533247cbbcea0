"""Name normalisation and the fuzzy name index."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.store.names import NameIndex, normalize_name, skeleton

ACTORS = [
    ("Khalifa Haftar", ["Haftar", "Field Marshal Haftar"], 40),
    ("Fayez al-Serraj", ["Serraj"], 12),
    ("Sergei Shoigu", ["Shoigu"], 4),
    ("Yevgeny Prigozhin", ["Prigozhin"], 3),
    ("Wagner Group", [], 6),
    ("Russia", ["Moscow"], 60),
    ("Hafez al-Assad", [], 1),
    ("Libyan National Army", ["LNA"], 30),
]


def index(extra: list[tuple[str, str, int]] | None = None) -> NameIndex:
    names = [(name, name, weight) for name, _, weight in ACTORS]
    names += [(name, alias, weight) for name, aliases, weight in ACTORS for alias in aliases]
    return NameIndex(names + (extra or []))


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


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Hifter", "Khalifa Haftar"),
        ("Sarraj", "Fayez al-Serraj"),
        ("Shoygu", "Sergei Shoigu"),
        ("wagner", "Wagner Group"),
        ("haf", "Khalifa Haftar"),  # prefix; the more mentioned of Haftar / Hafez first
        ("HAFEZ", "Hafez al-Assad"),
        ("Prigojin", "Yevgeny Prigozhin"),
        ("khalifa hifter", "Khalifa Haftar"),
        ("moscow", "Russia"),
        ("lna", "Libyan National Army"),
        ("Fayez Serraj", "Fayez al-Serraj"),
    ],
)
def test_suggestions(typed: str, expected: str) -> None:
    assert index().suggest(typed, 5)[0].actor == expected


def test_one_suggestion_per_actor_with_the_matched_name() -> None:
    suggestions = index().suggest("Haftar", 10)
    assert [s.actor for s in suggestions].count("Khalifa Haftar") == 1
    assert suggestions[0].matched in {"Khalifa Haftar", "Haftar"}


def test_exact_lookup() -> None:
    names = index()
    assert names.exact("field marshal HAFTAR") == "Khalifa Haftar"
    assert names.exact("Hifter") is None


def test_limits() -> None:
    names = index()
    assert names.suggest("a", 0) == []
    assert len(names.suggest("", 3)) == 3
    assert names.suggest("", 1)[0].actor == "Russia"  # most mentioned
    assert names.suggest("x" * 6000, 5) == []


@given(st.text(max_size=80))
def test_any_text_is_safe(text: str) -> None:
    for match in index().suggest(text, 5):
        assert 0 <= match.score <= 1


def test_thousands_of_names_still_find_the_right_actor() -> None:
    """Correctness at scale; the speed of the index is measured in bench/, not asserted here."""
    rng = random.Random(5)

    def word() -> str:
        return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))

    extra = []
    for _ in range(5000):
        name = f"{word().title()} {word().title()}"
        extra += [(name, name, rng.randint(1, 50)), (name, name.split()[1], 1)]
    names = index(extra)
    assert names.suggest("Hifter", 3)[0].actor == "Khalifa Haftar"
    assert names.suggest("Shoygu", 3)[0].actor == "Sergei Shoigu"
