"""The one actor resolver (bot.resolve): every way a user names an actor, ranking, and ambiguity."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.resolve import STRONG, ActorResolver, acronym
from bot.store.models import ActorRecord

ACTORS = [
    ActorRecord("Khalifa Haftar", "person", ("Haftar", "Field Marshal"), ("commander of the LNA",), 40),
    ActorRecord("Fayez al-Serraj", "person", ("Serraj",), ("Prime Minister of the GNA",), 12),
    ActorRecord("Sergei Shoigu", "person", ("Shoigu",), ("Russian defence minister",), 4),
    ActorRecord("Yevgeny Prigozhin", "person", ("Prigozhin",), ("Wagner chairman",), 3),
    ActorRecord("Mikhail Bogdanov", "person", (), ("Russia's deputy foreign minister",), 2),
    ActorRecord("Andrei Kortunov", "person", (), ("director of RIAC",), 2),
    ActorRecord("Wagner Group", "armed_group", (), (), 6),
    ActorRecord("Russia", "country", ("Moscow",), (), 60),
    ActorRecord("Turkey", "country", ("Turkiye",), (), 20),
    ActorRecord("Hafez al-Assad", "person", (), (), 1),
    ActorRecord("Libyan National Army", "armed_group", (), (), 30),
    ActorRecord("Government of National Accord", "government", ("GNA",), (), 25),
    ActorRecord("UN Security Council", "organization", (), (), 5),
    ActorRecord("ASEAN", "organization", (), (), 5),
    ActorRecord("Shin Won-sik", "person", (), ("national security adviser",), 3),
    ActorRecord("Biden", "person", (), ("President",), 9),
    ActorRecord("Getachew Reda", "person", (), ("the TPLF's lead negotiator",), 2),
    ActorRecord("Redwan Hussien", "person", (), ("lead negotiator for the government",), 2),
    ActorRecord("Abdullah Abdullah", "person", (), ("Ghani's rival",), 2),
    ActorRecord("Abdullah II", "person", (), ("King of Jordan",), 2),
]
RESOLVER = ActorResolver(ACTORS)


@pytest.mark.parametrize(
    ("typed", "actor", "how"),
    [
        ("Khalifa Haftar", "Khalifa Haftar", "name"),
        ("field MARSHAL", "Khalifa Haftar", "alias"),
        ("Türkiye", "Turkey", "alias"),  # accents folded
        ("the Wagner Group", "Wagner Group", "name"),
        ("Kortunov", "Andrei Kortunov", "word"),  # a surname one actor carries
        ("Bogdanov", "Mikhail Bogdanov", "word"),
        ("Yevgeny", "Yevgeny Prigozhin", "word"),  # a given name
        ("LNA", "Libyan National Army", "acronym"),
        ("the GNA", "Government of National Accord", "alias"),
        ("UNSC", "UN Security Council", "acronym"),
        ("Association of Southeast Asian Nations", "ASEAN", "acronym"),
        ("Hifter", "Khalifa Haftar", "spelling"),
        ("Fayez al-Sarraj", "Fayez al-Serraj", "spelling"),
        ("Prigojin", "Yevgeny Prigozhin", "spelling"),
        ("Getachew Redda", "Getachew Reda", "spelling"),
        ("Shin Wonsik", "Shin Won-sik", "spelling"),
        ("the Russian deputy foreign minister", "Mikhail Bogdanov", "role"),
        ("RIAC director", "Andrei Kortunov", "role"),
        ("Wagner chairman", "Yevgeny Prigozhin", "role"),
        ("Joe Biden", "Biden", "word"),  # every word of the stored name typed, and more
        ("Kort", "Andrei Kortunov", "spelling"),
    ],
)
def test_one_strong_candidate_is_the_answer(typed: str, actor: str, how: str) -> None:
    resolution = RESOLVER.resolve(typed)
    assert resolution.actor is not None, resolution.candidates[:3]
    assert (resolution.actor.name, resolution.actor.how) == (actor, how)


@pytest.mark.parametrize(
    ("typed", "choices"),
    [
        ("Abdullah", {"Abdullah Abdullah", "Abdullah II"}),
        ("lead negotiator", {"Getachew Reda", "Redwan Hussien"}),
    ],
)
def test_several_strong_candidates_are_choices(typed: str, choices: set[str]) -> None:
    resolution = RESOLVER.resolve(typed)
    assert resolution.actor is None
    assert {c.name for c in resolution.choices} == choices


@pytest.mark.parametrize("typed", ["zzzzqqq", "Council of Elrond", "x" * 6000, ""])
def test_no_strong_candidate_means_no_answer(typed: str) -> None:
    resolution = RESOLVER.resolve(typed)
    assert resolution.actor is None and not resolution.choices


def test_a_weak_match_is_still_offered_as_the_closest_name() -> None:
    resolution = RESOLVER.resolve("Haftar Abdullah Kortunov Serraj Shoigu")
    assert resolution.actor is None
    assert "Khalifa Haftar" in [c.name for c in resolution.candidates]


def test_the_answer_says_when_the_name_shown_is_not_what_was_typed() -> None:
    assert RESOLVER.resolve("Kortunov").restated
    assert not RESOLVER.resolve("andrei KORTUNOV").restated


def test_ranking_is_best_first_then_most_mentioned() -> None:
    ranked = RESOLVER.rank("haf", 5)
    assert [c.name for c in ranked[:2]] == ["Khalifa Haftar", "Hafez al-Assad"]
    assert ranked[0].role == "commander of the LNA"
    assert [c.name for c in RESOLVER.rank("", 2)] == ["Russia", "Khalifa Haftar"]
    assert [c.name for c in RESOLVER.rank("Haftar", 10)].count("Khalifa Haftar") == 1


def test_exact_and_surname_lookups_for_running_text() -> None:
    assert RESOLVER.exact("moscow") == "Russia"
    assert RESOLVER.exact("Hifter") is None
    assert RESOLVER.surname("Shoigu") == "Sergei Shoigu"
    assert RESOLVER.surname("al-Assad") == "Hafez al-Assad"
    assert RESOLVER.surname("Abdullah") == "Abdullah Abdullah"  # the only person whose last name it is
    assert RESOLVER.surname("Russia") is None


@pytest.mark.parametrize(
    ("name", "short"),
    [("libyan national army", "lna"), ("un security council", "unsc"), ("russia", None)],
)
def test_acronym(name: str, short: str | None) -> None:
    assert acronym(name, name.upper() if short == "unsc" else name) in {short, "unsc"}


@given(st.text(max_size=120))
def test_any_text_is_safe(text: str) -> None:
    for candidate in RESOLVER.rank(text, 5):
        assert 0 <= candidate.score <= 100


def test_thousands_of_actors_still_find_the_right_one() -> None:
    """Correctness at scale; speed is measured in bench/resolve.py."""
    rng = random.Random(5)

    def word() -> str:
        return "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))

    records = list(ACTORS)
    for _ in range(5000):
        first, last = word().title(), word().title()
        records.append(ActorRecord(f"{first} {last}", "person", (last,), (), rng.randint(1, 50)))
    resolver = ActorResolver(records)
    assert resolver.rank("Hifter", 3)[0].name == "Khalifa Haftar"
    assert resolver.resolve("Kortunov").actor is not None
    assert resolver.resolve("Kortunov").actor.score >= STRONG  # type: ignore[union-attr]


def test_a_possessive_speaks_for_its_owner_when_the_rest_is_unclear() -> None:
    resolver = ActorResolver([ACTORS[8], ActorRecord("Qatar Foreign", "person", ("Foreign",), (), 1)])
    assert len(resolver.rank("Turkey foreign ministry")) == 2  # both names typed in full: unclear
    resolution = resolver.resolve("Turkey's foreign ministry")
    assert resolution.actor is not None and resolution.actor.name == "Turkey"
    assert RESOLVER.resolve("Russia's deputy foreign minister").actor.name == "Mikhail Bogdanov"  # type: ignore[union-attr]


RIAC_HEAD = "head of the Russian International Affairs Council"
ROLES = ActorResolver(
    [
        ActorRecord("Sergei Shoigu", "person", (), ("Russian Minister of Defence",), 4),
        ActorRecord("Andrei Kortunov", "person", (), (RIAC_HEAD,), 1),
        ActorRecord("Fayez al-Serraj", "person", (), ("UN-recognized GNA Prime Minister",), 12),
        ActorRecord("Ahmed Maiteeq", "person", (), ("GNA’s deputy prime minister",), 2),
    ]
)


@pytest.mark.parametrize(
    ("typed", "actor"),
    [
        ("RIAC head", "Andrei Kortunov"),  # the acronym of a name inside the role
        ("Russian defense minister", "Sergei Shoigu"),  # the role spells it "Defence"
        ("GNA prime minister", "Fayez al-Serraj"),  # the words together in one role beat them apart
        ("GNA deputy prime minister", "Ahmed Maiteeq"),
    ],
)
def test_role_phrases_read_like_the_role_in_the_articles(typed: str, actor: str) -> None:
    resolution = ROLES.resolve(typed)
    assert resolution.actor is not None and resolution.actor.name == actor


def test_one_word_of_a_long_role_only_suggests() -> None:
    resolution = RESOLVER.resolve("chairman")
    assert resolution.actor is None and resolution.candidates[0].name == "Yevgeny Prigozhin"


@pytest.mark.parametrize("typed", ["a", "ab", "abr"])
def test_a_short_prefix_many_names_begin_with_offers_the_most_mentioned(typed: str) -> None:
    crowd = [ActorRecord(f"Abraham Ash {n:03d}", "person", (), (), 1) for n in range(300)]
    known = ActorRecord("Abrantes Zone", "place", (), (), 90)  # after all of them alphabetically
    resolver = ActorResolver([*crowd, known, ActorRecord("Abrams Unit", "armed_group", (), (), 50)])
    ranked = [candidate.name for candidate in resolver.rank(typed, 25)]
    assert ranked[:2] == ["Abrantes Zone", "Abrams Unit"] and len(ranked) == 25
    assert ranked[2:] == [f"Abraham Ash {n:03d}" for n in range(23)]  # then by name among equals
