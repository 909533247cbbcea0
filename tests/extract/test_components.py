"""The extraction components one by one: documents, sentences, names, roles."""

from __future__ import annotations

import pytest

from bot.extract.document import ArticleError, parse_document
from bot.extract.names import find_names
from bot.extract.roles import appositive_after, appositive_before, title_before
from bot.extract.segment import split_sentences

# --- documents ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \n\n ", "empty"),
        ("---\ntitle: x\nNo closing fence\n", "never closed"),
        ("---\njust words here\n---\nBody.\n", "not 'key: value'"),
        ("---\npublished: someday\n---\nBody text.\n", "published"),
        ("---\ntitle: Only metadata\n---\n", "no article text"),
    ],
)
def test_broken_articles_are_refused_with_a_reason(text, reason):
    with pytest.raises(ArticleError, match=reason):
        parse_document("broken", text)


def test_unknown_front_matter_keys_are_ignored():
    document = parse_document("a", "---\ntitle: T\ntags: war, peace\nlayout: post\n---\nBody text here.\n")
    assert (document.title, document.paragraphs) == ("T", ["Body text here."])


def test_wire_dateline_is_stripped_and_its_agency_kept():
    document = parse_document("a", "TRIPOLI, Libya (Reuters) - Fighting resumed south of the capital.\n")
    assert document.paragraphs == ["Fighting resumed south of the capital."]
    assert document.source == "Reuters"


def test_hard_wrapped_paragraphs_are_joined():
    document = parse_document("a", "Line one of a paragraph\nthat wraps here.\n\nSecond paragraph.\n")
    assert document.paragraphs == ["Line one of a paragraph that wraps here.", "Second paragraph."]


def test_author_bio_and_web_boilerplate_are_dropped():
    text = "By Ann Lee\n\nThe story itself.\n\nAnn Lee is a reporter based in Cairo.\n\nRelated Articles\n"
    document = parse_document("a", text)
    assert (document.author, document.paragraphs) == ("Ann Lee", ["The story itself."])


def test_a_sentence_starting_with_by_is_not_a_byline():
    document = parse_document("a", "By entrenching itself as an ally, Russia gains leverage.\n")
    assert document.author is None


def test_no_date_is_invented():
    assert parse_document("a", "Fighting resumed on Tuesday.\n").published is None


def test_content_hash_changes_with_the_text():
    assert parse_document("a", "One.\n").content_hash != parse_document("a", "Two.\n").content_hash


# --- sentences ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "count"),
    [
        ("Gen. Haftar spoke. Dr. Smith answered.", 2),
        ("The U.S. agreed on Jan. 5 to talks.", 1),
        ("“We will win. We must,” he said. Then he left.", 2),
        ("It ended. “Never again,” she said.", 2),
        ("No terminal punctuation", 1),
    ],
)
def test_sentences_split_at_ends_but_not_inside_quotes_or_abbreviations(paragraph, count):
    assert len(split_sentences(paragraph)) == count


# --- names --------------------------------------------------------------------------------------------------


def _names(sentence: str) -> list[str]:
    return [span.text for span in find_names(sentence)[0]]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Moscow also views Haftar’s army as a bulwark.", ["Moscow", "Haftar"]),
        ("On April 8, Russia blocked it.", ["Russia"]),
        ("Theresa May met Mohammed bin Salman.", ["Theresa May", "Mohammed bin Salman"]),
        ("The Government of National Accord said so.", ["Government of National Accord"]),
        ("Forces loyal to the Kremlin-aligned Wagner Group advanced.", ["Forces", "Wagner Group"]),
        ("Fighting in Libya’s State Council area.", ["Libya", "State Council"]),
        ("Troops from the Donetsk People's Republic advanced.", ["Troops", "Donetsk People's Republic"]),
        ("Similar weapons deliveries continued.", []),
    ],
)
def test_name_spans(sentence, names):
    assert _names(sentence) == names


def test_hyphenated_modifiers_are_kept_aside():
    _, modifiers = find_names("The Kremlin-aligned company and pro-LNA forces")
    assert [(m.name, m.relation_word) for m in modifiers] == [("Kremlin", "aligned"), ("LNA", "pro")]


# --- roles --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        (
            "It called upon Libyan National Army leader Khalifa Haftar to halt.",
            "Khalifa Haftar",
            "Libyan National Army leader",
        ),
        ("A group headed by businessman Lev Dengov met.", "Lev Dengov", "businessman"),
        (
            "Moscow-based Middle East expert Elena Suponina contends that",
            "Elena Suponina",
            "Moscow-based Middle East expert",
        ),
        ("They met Ahmed Maiteeq, who spoke.", "Ahmed Maiteeq", None),
    ],
)
def test_title_before_a_name(sentence, name, role):
    assert title_before(sentence, sentence.index(name)) == role


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        (
            "Andrei Kortunov, the director general of the Council, argued",
            "Andrei Kortunov",
            "director general of the Council",
        ),
        (
            "Aguila Saleh, speaker of the Haftar-aligned, Tobruk-based parliament, asked",
            "Aguila Saleh",
            "speaker of the Haftar-aligned, Tobruk-based parliament",
        ),
        ("Aden Duale, Kenya's defence minister, said", "Aden Duale", "Kenya's defence minister"),
        ("GNA Prime Minister Fayez al-Serraj, not Haftar, is Libya’s legitimate leader.", "Haftar", None),
        ("between Haftar, Russian Minister of Defense Sergei Shoigu, and others", "Haftar", None),
    ],
)
def test_appositive_after_a_name(sentence, name, role):
    assert appositive_after(sentence, sentence.index(name) + len(name)) == role


def test_appositive_before_a_name():
    sentence = "Russia invited the president of Libya’s State Council, Khaled al-Meshri, to Moscow."
    assert appositive_before(sentence, sentence.index("Khaled")) == "president of Libya’s State Council"


# --- nicknames and attributions -----------------------------------------------------------------------------


def _extract(text: str):
    from bot.extract.pipeline import extract

    return extract(parse_document("t", text))


def test_a_nickname_introduced_by_known_as_is_an_alias_and_is_mentioned():
    extraction = _extract(
        "The RSF, led by Mohamed Hamdan Dagalo, better known as Hemedti, advanced.\n\nHemedti spoke.\n"
    )
    dagalo = next(a for a in extraction.actors if a.name == "Mohamed Hamdan Dagalo")
    assert ("Hemedti" in dagalo.aliases, len(dagalo.mentions)) == (True, 2)


def test_according_to_drops_the_speakers_appositive_from_the_words():
    extraction = _extract(
        "According to Alex de Waal, executive director of the World Peace Foundation, neither side can win.\n"
    )
    assert [(q.speaker, q.text) for q in extraction.quotes] == [("Alex de Waal", "neither side can win")]


def test_a_role_names_the_body_right_after_of():
    extraction = _extract(
        "Alex de Waal, executive director of the World Peace Foundation at Tufts University, spoke.\n"
    )
    de_waal = next(a for a in extraction.actors if a.name == "Alex de Waal")
    assert [(r.type, r.target) for r in de_waal.relations] == [("leads", "World Peace Foundation")]


def test_a_call_for_stops_at_the_next_clause():
    extraction = _extract("Egypt called for an immediate ceasefire, while Qatar urged talks in Doha.\n")
    assert ("Egypt", "called for an immediate ceasefire") in [(q.speaker, q.text) for q in extraction.quotes]


def test_a_name_inside_a_hyphenated_modifier_is_not_a_mention():
    extraction = _extract("The Government of National Accord (GNA) met.\n\nGNA-aligned forces advanced.\n")
    gna = next(a for a in extraction.actors if a.name == "Government of National Accord")
    assert len(gna.mentions) == 1
