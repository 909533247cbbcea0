"""Rule families that must hold on any article: headers, transcripts, statements, roles (our own texts)."""

from __future__ import annotations

import pytest

from bot.extract.document import parse_document
from bot.extract.model import Extraction, PartialDate
from bot.extract.pipeline import extract


def _extract(text: str) -> Extraction:
    return extract(parse_document("t", text))


def _statements(text: str) -> list[tuple[str | None, str, str]]:
    return [(q.speaker, q.kind, q.text) for q in _extract(text).quotes]


def _speaker_of(text: str, words: str) -> str | None:
    found = [q.speaker for q in _extract(text).quotes if words in q.text]
    assert len(found) == 1, _statements(text)
    return found[0]


# --- headers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("https://example.org/20221102/talks-end-1103.html\n\nTalks end in Pretoria", "2022-11-02"),
        ("https://example.org/world/2021/03/09/story\n\nHeadline of the story", "2021-03-09"),
        ("Feb 27th 2020KABUL", "2020-02-27"),
        ("SC/13399-PKO/741\n\n27 JUNE 2018", "2018-06-27"),
        (
            "Briefing by the spokesperson\n\nOctober 25, 2024\n\nVia Teleconference\n\n12:42 P.M. EDT",
            "2024-10-25",
        ),
    ],
)
def test_header_lines_date_the_story_and_stay_out_of_it(header, date):
    document = parse_document(
        "t", f"{header}\n\nThe rebels said on Tuesday that they would leave the city.\n"
    )
    assert document.published == PartialDate.from_iso(date)
    assert document.paragraphs == ["The rebels said on Tuesday that they would leave the city."]


def test_a_dateline_with_a_date_dates_the_story_and_leaves_the_paragraph():
    document = parse_document("t", "ABUJA, Nigeria, July 30, 2023 - Leaders met on Sunday in the capital.\n")
    assert document.published == PartialDate(2023, 7, 30)
    assert document.paragraphs == ["Leaders met on Sunday in the capital."]


def test_a_yearless_time_stamp_takes_the_year_the_story_gives():
    text = "21 Jun. 14:30 (UTC+3 MSK)\n\nThe ministers met on May 10, 2023, and again on April 25, 2023.\n"
    assert parse_document("t", text).published == PartialDate(2023, 6, 21)


def test_a_wire_credit_line_is_not_story():
    text = "Talks resumed on Monday in Geneva.\n\nReporting by Ann Lee; Editing by Tom Roe and Kim Poe\n"
    document = parse_document("t", text)
    assert document.paragraphs == ["Talks resumed on Monday in Geneva."]
    assert not any(a.name in {"Tom Roe", "Kim Poe"} for a in extract(document).actors)


def test_an_unknown_front_matter_key_warns_with_the_closest_key():
    document = parse_document("t", "---\npublised: 2020-01-02\n---\nBody text here.\n")
    assert document.warnings == ["front matter key 'publised' is not used (did you mean 'published'?)"]
    assert parse_document("t", "---\npublished: 2020-01-02\n---\nBody.\n").warnings == []


# --- transcripts --------------------------------------------------------------------------------------------

TRANSCRIPT = """Press Briefing by Press Secretary Jane Roe

March 3, 2024

MS. ROE:  Good afternoon.

Q    Will the talks resume this week in Geneva?

MS. ROE:  We expect Russia and Ukraine to meet again in Geneva on Thursday to discuss a prisoner swap.

I hope everyone had a restful holiday with their families and friends.

And we remain committed to helping the Red Cross reach every prisoner along the front line.

Q    Thank you.
"""


def test_a_transcript_turn_speaking_of_someone_is_its_speakers_statement_the_questioner_never_speaks():
    extraction = _extract(TRANSCRIPT)
    statements = [(q.speaker, q.kind, q.text[:40]) for q in extraction.quotes]
    assert statements == [
        ("Jane Roe", "direct", "We expect Russia and Ukraine to meet aga"),
        ("Jane Roe", "direct", "And we remain committed to helping the R"),
    ]
    assert all(q.date == PartialDate(2024, 3, 3) for q in extraction.quotes)
    roe = next(a for a in extraction.actors if a.name == "Jane Roe")
    assert roe.role == "Press Secretary"
    assert not any(p.startswith(("MS. ROE", "Q ")) for p in extraction.document.paragraphs)


# --- statements ---------------------------------------------------------------------------------------------


def test_an_institution_speaks_through_its_members_and_later_as_they():
    text = (
        "The members of the Security Council condemned in the strongest terms the attack on the convoy.\n\n"
        "They called on the Government of South Sudan to swiftly investigate the attack.\n"
    )
    statements = _statements(text)
    assert [s[0] for s in statements] == ["UN Security Council", "UN Security Council"]
    assert statements[0][2].startswith("condemned in the strongest terms the attack")


def test_unnamed_sources_are_never_speakers():
    text = "Russian officials said the convoy had been attacked by unknown gunmen near the border.\n"
    assert _statements(text) == []


def test_the_speaker_after_the_quotation_with_a_long_title():
    text = (
        "“No more time for warning signals, it is time for action,” said Nigeria’s President Bola Tinubu.\n"
    )
    assert _speaker_of(text, "time for action") == "Bola Tinubu"


def test_a_pronoun_speaker_is_the_person_named_before():
    text = (
        "Olusegun Obasanjo announced the agreement in Pretoria.\n\n"
        "“The eyes of the world will now shift to the implementation,” he said.\n"
    )
    assert _speaker_of(text, "eyes of the world") == "Olusegun Obasanjo"


def test_a_quotation_standing_alone_continues_the_speaker_before():
    text = (
        "“We are keen on any peaceful solution,” said Corneille Nangaa in Goma.\n\n"
        "“We will not stop until the talks with the government begin,” the rebel leader continued.\n"
    )
    assert {s[0] for s in _statements(text)} == {"Corneille Nangaa"}
    assert _speaker_of(text, "will not stop until") == "Corneille Nangaa"


def test_according_to_makes_the_named_actor_the_speaker():
    text = "The ceasefire is holding across the region, according to Maria Zakharova.\n"
    assert _statements(text) == [
        ("Maria Zakharova", "reported", "The ceasefire is holding across the region")
    ]


def test_a_reported_clause_is_the_statement_and_its_date_is_the_verbs():
    text = "On March 2, 2021, Andrei Kortunov argued on March 9 that the offensive had stalled near Sirte.\n"
    (quote,) = _extract(text).quotes
    assert (quote.speaker, quote.kind, quote.text) == (
        "Andrei Kortunov",
        "reported",
        "the offensive had stalled near Sirte",
    )
    assert quote.date == PartialDate(2021, 3, 9)


def test_a_statement_the_text_does_not_date_stays_undated():
    text = "---\npublished: 2021-03-10\n---\nAndrei Kortunov believes that the offensive has stalled.\n"
    (quote,) = _extract(text).quotes
    assert quote.date is None


def test_a_report_speaks_for_its_author_and_later_as_it():
    text = (
        "Last week a report by the Foreign Affairs Committee charged the government with neglecting Mali.\n\n"
        "It lamented the early withdrawal of British troops from Mali in 2022.\n"
    )
    assert {s[0] for s in _statements(text)} == {"Foreign Affairs Committee"}
    assert len(_statements(text)) == 2


def test_a_warning_after_by_belongs_to_the_sentences_subject():
    text = "President Trump added urgency by warning that tariff talks with both would not proceed.\n"
    assert _speaker_of(text, "tariff talks") == "Trump"


def test_a_belief_maintained_is_a_statement_communications_maintained_are_not():
    said = "Scott Bessent maintained his belief that the invasion of Ukraine was illegal.\n"
    assert _speaker_of(said, "invasion of Ukraine was illegal") == "Scott Bessent"
    assert _statements("Russia has maintained regular backchannel communications with the rebels.\n") == []


def test_a_leader_named_by_title_is_the_person_with_that_role():
    text = (
        "Corneille Nangaa, the leader of the Alliance Fleuve Congo (AFC), visited Goma on Monday.\n\n"
        "The AFC leader said the rebel movement is still open to direct dialogue with Kinshasa.\n"
    )
    assert _speaker_of(text, "still open to direct dialogue") == "Corneille Nangaa"


def test_orders_and_reassurances_are_statements():
    told = "The Taliban leadership told its fighters to “remain defensively alert” near the cities.\n"
    assert _speaker_of(told, "remain defensively alert") == "Taliban"
    used = "Sergei Lavrov used Russia Today to reassure Mali that Wagner’s work there would continue.\n"
    assert _speaker_of(used, "would continue") == "Sergei Lavrov"


def test_an_announcement_by_an_actor_is_its_statement():
    text = "We welcome the announcement — an hour ago — by Qatar that the pause in Gaza will be extended.\n"
    assert _speaker_of(text, "pause in Gaza will be extended") == "Qatar"


# --- roles and actors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("Russia's envoy, Kirill Dmitriev, said there was progress.", "Kirill Dmitriev", "Russia's envoy"),
        (
            "The plan surprised Angola, according to Tete Antonio, Angola’s Foreign Minister.",
            "Tete Antonio",
            "Angola’s Foreign Minister",
        ),
        (
            "Sirajuddin Haqqani, their fearsome deputy leader, wrote an opinion piece.",
            "Sirajuddin Haqqani",
            "fearsome deputy leader",
        ),
    ],
)
def test_an_apposition_gives_the_role(sentence, name, role):
    actor = next(a for a in _extract(sentence + "\n").actors if a.name == name)
    assert actor.role == role


def test_institutions_in_lower_case_are_actors_once_they_act():
    text = (
        "The government of the DRC welcomed the sanctions on Monday.\n\n"
        "The Congolese government will continue to work with its partners.\n\n"
        "Rwanda’s foreign ministry said the sanctions would not resolve the conflict.\n\n"
        "Fighters loyal to the Sudanese army were seen near the border.\n"
    )
    extraction = _extract(text)
    government = next(a for a in extraction.actors if a.name == "Government of the DRC")
    assert (government.kind, len(government.mentions)) == ("government", 2)
    assert "Congolese government" in government.aliases
    assert _speaker_of(text, "would not resolve the conflict") == "Rwanda’s foreign ministry"
    assert not any("army" in a.name for a in extraction.actors)  # named, but it does nothing here


def test_a_mission_in_a_country_is_one_name_with_its_acronym():
    text = "The United Nations Mission in South Sudan (UNMISS) convoy was attacked near Juba on Monday.\n"
    mission = next(a for a in _extract(text).actors if a.name == "United Nations Mission in South Sudan")
    assert "UNMISS" in mission.aliases


def test_a_plural_title_is_no_part_of_a_name():
    text = "Paul Kagame and Felix Tshisekedi met in Doha, where Presidents Kagame and Tshisekedi agreed.\n"
    people = sorted(a.name for a in _extract(text).actors if a.kind == "person")
    assert people == ["Felix Tshisekedi", "Paul Kagame"]


def test_a_title_with_someone_elses_name_before_a_comma_is_not_the_role():
    text = "Speaking alongside Polish Prime Minister Donald Tusk, Zelenskiy said the talks would go on.\n"
    zelenskiy = next(a for a in _extract(text).actors if a.name == "Zelenskiy")
    assert zelenskiy.role is None


def test_his_in_an_apposition_is_the_person_named_before():
    text = "Ashraf Ghani was declared the winner. His main rival, Abdullah Abdullah, disputes the results.\n"
    abdullah = next(a for a in _extract(text).actors if a.name == "Abdullah Abdullah")
    assert abdullah.role == "Ashraf Ghani’s main rival"


def test_a_bare_title_is_not_an_actor():
    text = "The President met the Foreign Minister and the President of Niger in Abuja on Monday.\n"
    assert [a.name for a in _extract(text).actors if a.kind == "person"] == []


# --- dates --------------------------------------------------------------------------------------------------


def _event_dates(text: str) -> list[str]:
    return [e.date.iso() for e in _extract(text).events]


def test_an_apostrophe_year_is_this_centurys():
    assert _event_dates("The leaders met at Camp David back in August of ’23.\n") == ["2023-08"]


def test_a_week_is_no_day_only_its_month():
    text = "---\npublished: 2023-07-30\n---\nThe guards overthrew the president last week in a coup.\n"
    assert _event_dates(text) == ["2023-07"]


def test_later_counts_only_from_a_date_nearby():
    near = "On April 8, 2019, the offensive began.\n\nThree days later, Haftar flew to Moscow.\n"
    assert _event_dates(near) == ["2019-04-08", "2019-04-11"]
    far = "On April 8, 2019, the offensive began.\n\n" + "Fighting went on.\n\n" * 3
    assert _event_dates(far + "Two days later, the minister flew to Moscow.\n") == ["2019-04-08"]


def test_a_historical_year_does_not_date_the_story():
    text = "The last border war was in 1987.\n\nOn July 28, both sides agreed to a ceasefire.\n"
    assert _event_dates(text) == ["1987"]


def test_today_in_a_name_is_no_date():
    text = "---\npublished: 2023-08-02\n---\nLavrov used Russia Today to reassure Mali and the CAR.\n"
    assert _event_dates(text) == []
