"""Three short articles written for these tests (tests/articles/), each with its expected extraction.

They cover what the seed does not: a wire byline with a date ("By AGENCY, 14 January 2020") anchoring
relative dates, direct quotations, titles such as Gen./Dr./President, Arabic names with bin and al-,
Russian patronymics, names that are also places ("Aden Duale" and Aden), capital metonyms as objects,
and an article with no date at all, where relative dates must stay unresolved.
"""

from __future__ import annotations

import pytest

from tests.extract.conftest import actor


def _quote(extraction, words):
    matches = [q for q in extraction.quotes if words in q.text]
    assert len(matches) == 1, [q.text for q in extraction.quotes]
    return matches[0]


# --- yemen-prisoner-swap.txt: title line, "By Gulf Wire Service, 14 January 2020" ------------------------


def test_wire_byline_gives_author_and_publication_date(yemen):
    document = yemen.document
    assert (document.title, document.author) == (
        "Yemen's warring sides swap prisoners as truce holds",
        "Gulf Wire Service",
    )
    assert document.published.iso() == "2020-01-14"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Tariq bin Nasser al-Harbi", "spokesman of the Saudi-led coalition"),
        ("Mohammed Abdulsalam", "Houthi negotiator"),
        ("Layla Haddad", "researcher at the Sanaa Center for Strategic Studies"),
        ("Martin Griffiths", "UN envoy"),
        ("Abd-Rabbu Mansour Hadi", "President"),
    ],
)
def test_yemen_people_and_roles(yemen, name, role):
    person = actor(yemen, name)
    assert (person.kind, person.role) == ("person", role)


def test_arabic_surnames_with_al_are_aliases(yemen):
    assert "al-Harbi" in actor(yemen, "Tariq bin Nasser al-Harbi").aliases


@pytest.mark.parametrize(
    ("words", "date"),
    [
        ("exchanged 120 prisoners", "2020-01-13"),
        ("accused the coalition", "2020-01-14"),
        ("met President", "2019-12"),
    ],
)
def test_relative_dates_resolve_against_the_byline_date(yemen, words, date):
    event = next(e for e in yemen.events if words in e.summary)
    assert event.date.iso() == date


@pytest.mark.parametrize(
    ("speaker", "kind", "words"),
    [
        ("Tariq bin Nasser al-Harbi", "direct", "We hope this is the first step toward a lasting peace"),
        ("Tariq bin Nasser al-Harbi", "reported", "the exchange had gone smoothly"),
        ("Mohammed Abdulsalam", "direct", "The aggression has not stopped for a single day"),
        ("Layla Haddad", "reported", "the swap showed both sides wanted a way out of the war"),
        ("Abd-Rabbu Mansour Hadi", "reported", "the withdrawal of Houthi forces"),
    ],
)
def test_yemen_statements(yemen, speaker, kind, words):
    quote = _quote(yemen, words)
    assert (quote.speaker, quote.kind) == (speaker, kind)


def test_capital_as_subject_is_its_country(yemen):
    assert ("backs", "Houthis") in {(r.type, r.target) for r in actor(yemen, "Iran").relations}
    assert "Washington" in {m.surface for m in actor(yemen, "United States").mentions}


def test_a_city_after_a_preposition_is_a_place(yemen):
    assert "Riyadh" not in {m.surface for a in yemen.actors for m in a.mentions}


# --- donbas-ceasefire.md: front matter, markdown heading, patronymics --------------------------------------


def test_front_matter_wins_over_the_markdown_heading(donbas):
    assert donbas.document.title == "Ceasefire talks stall over Debaltseve"
    assert donbas.document.published.iso() == "2015-02-20"
    assert not donbas.document.paragraphs[0].startswith("#")


def test_patronymic_full_name_keeps_its_surname_alias(donbas):
    putin = actor(donbas, "Vladimir Vladimirovich Putin")
    assert "Putin" in putin.aliases
    assert putin.role == "Russian President"
    assert ("leads", "Russia") in {(r.type, r.target) for r in putin.relations}


def test_a_possessive_inside_a_name_does_not_split_it(donbas):
    republic = actor(donbas, "Donetsk People's Republic")
    assert "DPR" in republic.aliases
    leader = actor(donbas, "Alexander Vladimirovich Zakharchenko")
    assert ("leads", "Donetsk People's Republic") in {(r.type, r.target) for r in leader.relations}


def test_three_days_later_from_an_explicit_date(donbas):
    assault = next(e for e in donbas.events if "assault on Debaltseve" in e.summary)
    assert assault.date.iso() == "2015-02-14"


def test_according_to_attributes_a_quotation(donbas):
    quote = _quote(donbas, "a cynical attempt to derail the Minsk agreements")
    assert (quote.speaker, quote.kind) == ("Maria Zakharova", "direct")


def test_two_reported_statements_in_one_sentence(donbas):
    assert _quote(donbas, "the ceasefire would hold").speaker == "Vladimir Vladimirovich Putin"
    poroshenko = _quote(donbas, "Russian troops must leave Ukrainian territory")
    assert poroshenko.speaker == "Petro Poroshenko"


def test_institution_metonym_speaks_for_its_country(donbas):
    assert _quote(donbas, "Russian soldiers took part").speaker == "Russia"


def test_capital_as_object_of_a_verb_is_its_country(donbas):
    assert "Moscow" in {m.surface for m in actor(donbas, "Russia").mentions}


# --- somalia-port.txt: no title, no byline, no date anywhere -----------------------------------------------


def test_a_name_that_is_also_a_place_is_a_person_when_it_is_one(somalia):
    duale = actor(somalia, "Aden Duale")
    assert (duale.kind, duale.role) == ("person", "Kenya's defence minister")


def test_the_same_word_as_a_place_is_not_an_actor(somalia):
    assert all(m.surface != "Aden" for a in somalia.actors for m in a.mentions)
    assert "Yemen" not in {a.name for a in somalia.actors}


def test_without_any_date_in_the_text_nothing_is_dated(somalia):
    assert somalia.document.published is None
    assert somalia.events == []
    assert all(q.date is None for q in somalia.quotes)


def test_honorific_sheikh_and_appositive_role(somalia):
    assert actor(somalia, "Ahmed Madobe").role == "leader of the Jubaland administration"


def test_known_armed_group_from_the_gazetteer(somalia):
    assert actor(somalia, "al-Shabaab").kind == "armed_group"
