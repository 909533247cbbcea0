"""What the actor option shows: autocomplete choices, which name matched, the closest names."""

from __future__ import annotations

from bot.actor_option import actor_choices, choice_label, showing_note, unknown_actor_message
from bot.resolve import ActorResolver, Candidate, Resolution
from bot.store.models import ActorRecord

RESOLVER = ActorResolver(
    [
        ActorRecord("Andrei Kortunov", "person", (), ("director of RIAC",), 3),
        ActorRecord("Khalifa Haftar", "person", ("Hifter",), ("commander of the LNA",), 9),
    ]
)


def candidate(name: str, matched: str | None = None, how: str = "name", role: str | None = None) -> Candidate:
    return Candidate(name, "person", role, matched or name, how, 100.0)


def test_choices_are_at_most_25_one_per_actor() -> None:
    choices = actor_choices(candidate(f"Actor {n}") for n in range(80))
    assert len({choice.value for choice in choices}) == 25


def test_a_choice_fits_discords_100_characters_and_keeps_the_value_whole() -> None:
    choice = actor_choices([candidate("N" * 90, "alias " * 30, "alias", "role " * 40)])[0]
    assert len(choice.name) <= 100
    assert choice.value == "N" * 90
    assert actor_choices([candidate("N" * 150)]) == []  # a value Discord would refuse


def test_a_choice_shows_the_alias_typed_and_the_role() -> None:
    label = choice_label(candidate("Khalifa Haftar", "Hifter", "alias", "commander of the LNA"))
    assert label == "Khalifa Haftar (Hifter) — commander of the LNA"
    assert choice_label(candidate("Andrei Kortunov", how="word")) == "Andrei Kortunov"


def test_the_answer_says_which_name_matched() -> None:
    resolution = RESOLVER.resolve("Kortunov")
    assert resolution.actor is not None
    assert showing_note(resolution, resolution.actor) == "Showing **Andrei Kortunov** (you typed “Kortunov”)."
    role = RESOLVER.resolve("RIAC director")
    assert role.actor is not None
    assert "the director of RIAC" in (showing_note(role, role.actor) or "")
    exact = RESOLVER.resolve("Andrei Kortunov")
    assert exact.actor is not None and showing_note(exact, exact.actor) is None


def test_unknown_names_get_the_closest_names_or_a_pointer_to_actors() -> None:
    assert unknown_actor_message(RESOLVER.resolve("Haftarovich Khal")).startswith(
        "No actor called “Haftarovich Khal”. Did you mean: **Khalifa Haftar**"
    )
    assert unknown_actor_message(Resolution("zzz", ())).endswith("try /actors to see who is there.")
