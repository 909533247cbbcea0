"""The seed article as given (no metadata): the issue's acceptance criteria, one expectation each."""

from __future__ import annotations

import pytest

from tests.extract.conftest import actor
from tests.seed_facts import SEED_PEOPLE

PEOPLE_AND_ROLES = {name: role for name, role in SEED_PEOPLE.items() if role is not None}

EVENTS_IN_ORDER = [
    ("2018-11", "initial meeting between Haftar"),
    ("2019-02", "facilitation of dialoguebetween Serraj and Haftar"),
    ("2019-02-16", "Maria Zakharova announced"),
    ("2019-03", "Wagner Group"),
    ("2019-04-04", "offensive in Tripoli began"),
    ("2019-04-07", "telephone conversation with Ahmed Maiteeq"),
    ("2019-04-08", "Russia blocked a resolution"),
    ("2019-04-09", "Kortunov"),
    ("2019-04-11", "surprise visit to Moscow"),
    ("2019-04-11", "clashes"),
    ("2019-04-12", "Bogdanov stated"),
    ("2019-04-16", "Russian–Arab Cooperation Forum"),
]

STATEMENTS = [
    ("Andrei Kortunov", "2019-04-09", "Russia has backed Haftar’s offensive"),
    ("Grigory Lukyanov", None, "Haftar lacks the manpower"),
    ("Elena Suponina", None, "Haftar’s improved position on the ground"),
    ("Ahmed Maiteeq", "2019-04-07", "the departure of Haftar’s forces"),
    ("Mikhail Bogdanov", "2019-04-12", "Mohamed Siala had promised to attend"),
    ("Maria Zakharova", "2019-02-16", "the Kremlin had decided to host"),
]


@pytest.mark.parametrize(("name", "role"), PEOPLE_AND_ROLES.items(), ids=list(PEOPLE_AND_ROLES))
def test_every_named_person_has_the_role_the_text_gives(seed_as_given, name, role):
    person = actor(seed_as_given, name)
    assert person.kind == "person"
    assert person.role == role


def test_a_person_named_by_surname_only_is_still_a_person(seed_as_given):
    assert actor(seed_as_given, "Lavrov").kind == "person"


@pytest.mark.parametrize(
    "not_an_actor",
    [
        "Tripoli",
        "Benghazi",
        "Misrata",
        "Derna",
        "Sabha",
        "Tobruk",
        "Moscow",
        "Kremlin",
        "Abu Dhabi",
        "April",
        "March",
        "November",
        "Three",
        "Samuel Ramani",
        "Middle East",
        "Mediterranean",
        "Islamic",
        "Related Articles",
    ],
)
def test_places_months_fragments_and_the_author_are_not_actors(seed_as_given, not_an_actor):
    names = {a.name for a in seed_as_given.actors} | {
        alias for a in seed_as_given.actors for alias in a.aliases
    }
    assert not_an_actor not in names


def test_dated_events_come_out_in_order_with_their_dates(seed_as_given):
    events = sorted(seed_as_given.events, key=lambda e: (e.date.first_day(), e.paragraph, e.sentence))
    assert [e.date.iso() for e in events] == [date for date, _ in EVENTS_IN_ORDER]
    for event, (_, words) in zip(events, EVENTS_IN_ORDER, strict=True):
        assert words in event.summary


def test_three_days_later_counts_from_the_main_date_of_the_previous_sentence(seed_as_given):
    visit = next(e for e in seed_as_given.events if "surprise visit" in e.summary)
    assert (visit.date.iso(), visit.date.precision) == ("2019-04-11", "day")
    assert visit.actors == ["Khalifa Haftar"]


def test_month_only_dates_keep_month_precision(seed_as_given):
    march = next(e for e in seed_as_given.events if e.date.iso() == "2019-03")
    assert march.date.precision == "month"


def test_a_relative_clause_event_names_its_subject(seed_as_given):
    start = next(e for e in seed_as_given.events if e.date.iso() == "2019-04-04")
    assert start.summary == "Khalifa Haftar’s offensive in Tripoli began"
    assert start.actors == ["Khalifa Haftar"]


@pytest.mark.parametrize(("speaker", "date", "words"), STATEMENTS, ids=[s[0] for s in STATEMENTS])
def test_every_reported_statement_has_the_right_speaker_and_date(seed_as_given, speaker, date, words):
    matches = [q for q in seed_as_given.quotes if words in q.text]
    assert len(matches) == 1
    assert matches[0].speaker == speaker
    assert (matches[0].date.iso() if matches[0].date else None) == date


def test_no_statement_without_a_known_speaker(seed_as_given):
    assert len(seed_as_given.quotes) == len(STATEMENTS)
    assert not any("it was reported" in q.text for q in seed_as_given.quotes)


def test_acronyms_introduced_in_parentheses_are_aliases(seed_as_given):
    assert "LNA" in actor(seed_as_given, "Libyan National Army").aliases
    assert "GNA" in actor(seed_as_given, "Government of National Accord").aliases
    assert "UAE" in actor(seed_as_given, "United Arab Emirates").aliases


def test_descriptive_titles_and_surnames_are_aliases(seed_as_given):
    haftar = actor(seed_as_given, "Khalifa Haftar")
    assert {"Haftar", "LNA leader"} <= set(haftar.aliases)
    assert "Serraj" in actor(seed_as_given, "Fayez al-Serraj").aliases


def test_metonyms_resolve_to_their_country(seed_as_given):
    surfaces = {m.surface for m in actor(seed_as_given, "Russia").mentions}
    assert {"Moscow", "Kremlin"} <= surfaces
    assert "Abu Dhabi" in {m.surface for m in actor(seed_as_given, "United Arab Emirates").mentions}


def test_a_city_where_something_happens_is_not_a_metonym(seed_as_given):
    visit = next(s for s in seed_as_given.sentences if "surprise visit to Moscow" in s.text)
    russia = actor(seed_as_given, "Russia")
    assert not any((m.paragraph, m.sentence) == (visit.paragraph, visit.index) for m in russia.mentions)


@pytest.mark.parametrize(
    ("source", "relation", "target"),
    [
        ("Khalifa Haftar", "leads", "Libyan National Army"),
        ("Yevgeny Prigozhin", "leads", "Wagner Group"),
        ("Fayez al-Serraj", "leads", "Government of National Accord"),
        ("Andrei Kortunov", "leads", "Russian International Affairs Council"),
        ("Mohamed Siala", "member_of", "Government of National Accord"),
        ("Maria Zakharova", "member_of", "Russian Ministry of Foreign Affairs"),
        ("Russia", "backs", "Khalifa Haftar"),
        ("Russia", "ally_of", "Khalifa Haftar"),
        ("Egypt", "ally_of", "Khalifa Haftar"),
        ("United Arab Emirates", "ally_of", "Khalifa Haftar"),
        ("Wagner Group", "ally_of", "Russia"),
        ("Russian Ministry of Defense", "backs", "Libyan National Army"),
    ],
)
def test_relations_the_text_states(seed_as_given, source, relation, target):
    assert (relation, target) in {(r.type, r.target) for r in actor(seed_as_given, source).relations}


def test_no_relation_from_an_adjective_that_looks_like_a_verb(seed_as_given):
    haftar = actor(seed_as_given, "Khalifa Haftar")
    assert all(r.target not in {"Egypt", "Libya"} for r in haftar.relations)


def test_the_wagner_group_is_an_armed_group_by_its_description(seed_as_given):
    assert actor(seed_as_given, "Wagner Group").kind == "armed_group"


def test_every_fact_cites_a_real_sentence(seed_as_given):
    sentences = {(s.paragraph, s.index): s.text for s in seed_as_given.sentences}
    for event in seed_as_given.events:
        assert sentences[(event.paragraph, event.sentence)] == event.evidence
    for quote in seed_as_given.quotes:
        assert quote.text.split("“")[0][:30] in sentences[(quote.paragraph, quote.sentence)]
    for item in seed_as_given.actors:
        for mention in item.mentions:
            assert mention.surface in sentences[(mention.paragraph, mention.sentence)]
