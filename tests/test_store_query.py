"""Search terms as users type them, and the FTS5 queries made of them."""

from __future__ import annotations

from bot.resolve import ActorResolver
from bot.store.models import ActorRecord
from bot.store.query import Term, fts_match, parse_terms


def test_words_and_quoted_phrases_become_terms() -> None:
    assert parse_terms('Haftar "drone strikes" “southern suburbs”, Haftar') == [
        Term(("Haftar",)),
        Term(("drone strikes",), quoted=True),
        Term(("southern suburbs",), quoted=True),
    ]


def test_operators_never_survive() -> None:
    assert fts_match(parse_terms('AND( "NEAR ***  OR -x')) == '"AND" AND "NEAR OR x"'  # unclosed quote
    assert fts_match(parse_terms("*** ---")) is None


def test_alternatives_are_an_or_group_and_any_term_is_the_fallback() -> None:
    terms = [Term(("Haftar", "Khalifa Haftar")), Term(("offensive",))]
    assert fts_match(terms) == '("Haftar" OR "Khalifa Haftar") AND "offensive"'
    assert fts_match(terms, any_term=True) == '("Haftar" OR "Khalifa Haftar") OR "offensive"'


def test_a_name_in_the_text_matches_any_of_the_actors_names() -> None:
    resolver = ActorResolver([ActorRecord("Khalifa Haftar", "person", ("Haftar", "LNA leader"), (), 1)])
    terms = resolver.expand_names(parse_terms('the LNA leader "Haftar" offensive'))
    assert [t.alternatives[:2] for t in terms] == [
        ("the LNA leader", "Khalifa Haftar"),
        ("Haftar",),  # a quoted phrase stays as typed
        ("offensive",),
    ]
