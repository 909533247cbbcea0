"""Finding actors in chat text and parsing questions (bot.mentions), over a small actor resolver."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.extract.model import ActorKind
from bot.mentions import find_actors, parse_question, resolve_subject, strip_markup
from bot.resolve import ActorResolver
from bot.store import ActorRecord

ACTORS: dict[str, tuple[ActorKind, tuple[str, ...]]] = {
    "Khalifa Haftar": ("person", ("Haftar", "LNA leader")),
    "Fayez al-Serraj": ("person", ("Serraj",)),
    "Sergei Shoigu": ("person", ()),
    "Bashar al-Assad": ("person", ()),
    "Ahmed Maiteeq": ("person", ("Maiteeq",)),
    "Theresa May": ("person", ()),
    "Libyan National Army": ("armed_group", ("LNA",)),
    "Wagner Group": ("armed_group", ()),
    "Russia": ("country", ("Russian",)),
    "United States": ("country", ("US",)),
    "State Council": ("organization", ()),
    "UN Security Council": ("organization", ()),
    "Government of National Accord": ("government", ("GNA",)),
}


NAMES = ActorResolver(ActorRecord(name, kind, aliases, (), 1) for name, (kind, aliases) in ACTORS.items())


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("who is Maiteeq?", "Maiteeq"),
        ("Who's Haftar", "Haftar"),
        ("who’s haftar??", "haftar"),
        ("what is the LNA?", "the LNA"),
        ("What are the GNA and the LNA?", "the GNA and the LNA"),
        ("who was Bashar al-Assad, exactly?", "Bashar al-Assad"),
        ("tell me about Wagner", "Wagner"),
        ("Tell me more about the Wagner Group!", "the Wagner Group"),
        ("what do you know about Serraj", "Serraj"),
        ("info on Shoigu please", "Shoigu"),
        ("hey, who is Maiteeq?", "Maiteeq"),
        ("<@123> who is Maiteeq?", "Maiteeq"),
        ("@everyone who is Maiteeq?", "Maiteeq"),
        ("who is\nMaiteeq?", "Maiteeq"),
    ],
)
def test_a_question_gives_its_subject(text: str, subject: str) -> None:
    assert parse_question(text) == subject


@pytest.mark.parametrize(
    "text",
    [
        "",
        "who is",
        "who is ???",
        "Haftar is advancing",
        "I wonder who is Haftar",
        "whois Haftar",
        "who isn't here today?",
        "what is the best way to get from the airport to the city centre tonight?",
    ],
)
def test_other_chat_is_no_question(text: str) -> None:
    assert parse_question(text) is None


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("<@123> who is <@!456> in <#789>?", "who is in ?"),
        ("@everyone @here Haftar <:wave:42> <a:dance:43>", "Haftar"),
        ("see https://example.org/a?b=c for Haftar", "see for Haftar"),
        ("  plain   text ", "plain text"),
    ],
)
def test_markup_is_stripped(text: str, cleaned: str) -> None:
    assert strip_markup(text) == cleaned


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("Haftar met Serraj and the LNA", ["Khalifa Haftar", "Fayez al-Serraj", "Libyan National Army"]),
        ("haftar met serraj", ["Khalifa Haftar", "Fayez al-Serraj"]),
        ("Shoigu’s visit to Moscow", ["Sergei Shoigu"]),
        ("Assad, then al-Assad again", ["Bashar al-Assad"]),
        ("the LNA leader spoke", ["Khalifa Haftar"]),
        ("Russian Defense Minister Sergei Shoigu", ["Russia", "Sergei Shoigu"]),
        ("the Government of National Accord and the GNA", ["Government of National Accord"]),
        ("the US backs Haftar", ["United States", "Khalifa Haftar"]),
        ("Wagner Group fighters", ["Wagner Group"]),
        ("Haftar, Serraj", ["Khalifa Haftar", "Fayez al-Serraj"]),
        ("<@1> Maiteeq", ["Ahmed Maiteeq"]),
    ],
)
def test_names_in_a_message_are_found_in_order(text: str, actors: list[str]) -> None:
    assert find_actors(NAMES, text) == actors


@pytest.mark.parametrize(
    "text",
    [
        "give it to us today",  # "us" is not the US
        "May I ask something?",  # nor "May" Theresa May
        "shoigu visited",  # a lone surname counts only when capitalised
        "The Group and the Council met",  # words of organisations' names are no names
        "Wagner composed operas",  # nor is the first word of one
        "nothing to see here",
        "",
    ],
)
def test_ordinary_words_are_no_actors(text: str) -> None:
    assert find_actors(NAMES, text) == []


@pytest.mark.parametrize(
    ("subject", "actor"),
    [
        ("Maiteeq", "Ahmed Maiteeq"),
        ("the LNA", "Libyan National Army"),
        ("Wagner", "Wagner Group"),
        ("shoigu", "Sergei Shoigu"),
        ("Council", None),  # two councils: ambiguous
        ("it", None),  # a prefix of nothing in particular
        ("Haftr", "Khalifa Haftar"),  # a typo one actor is close to
        ("Abdul", None),  # a short prefix is a suggestion, not an answer
        ("the", None),
    ],
)
def test_a_subject_resolves_only_when_clear(subject: str, actor: str | None) -> None:
    assert resolve_subject(NAMES, subject) == actor


@given(st.text(max_size=200))
def test_any_text_gives_only_known_actors_each_once(text: str) -> None:
    found = find_actors(NAMES, text)
    assert set(found) <= set(ACTORS)
    assert len(found) == len(set(found))


SEPARATORS = (", ", "; ", ". Then ", " (and) ", "! ")
EVERY_NAME = [(actor, name) for actor, (_, aliases) in ACTORS.items() for name in (actor, *aliases)]


@given(
    st.lists(st.sampled_from(EVERY_NAME), min_size=1),
    st.lists(st.sampled_from(SEPARATORS), min_size=1),
)
def test_a_text_naming_actors_gives_each_named_actor_once_in_order(
    named: list[tuple[str, str]], separators: list[str]
) -> None:
    text = "Reports say " + "".join(
        name + separators[i % len(separators)] for i, (_, name) in enumerate(named)
    )
    found = find_actors(NAMES, text)
    assert found == list(dict.fromkeys(actor for actor, _ in named))


@given(st.text(max_size=200))
def test_stripping_markup_twice_changes_nothing(text: str) -> None:
    assert strip_markup(strip_markup(text)) == strip_markup(text)
