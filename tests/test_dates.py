"""Spec for bot.extract.dates: finding, resolving and parsing dates in article text."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.extract.dates import (
    DateMention,
    DateResolver,
    Offset,
    find_dates,
    find_header_date,
    infer_default_year,
    parse_published,
)
from bot.extract.model import PartialDate

SAMPLE = Path(__file__).resolve().parent / "seed_articles" / "russia-mediation-goals-in-libya.txt"
THURSDAY = PartialDate(2020, 1, 16)  # a Thursday


def only(sentence: str) -> DateMention:
    mentions = find_dates(sentence)
    assert len(mentions) == 1, mentions
    return mentions[0]


def fields_of(mention: DateMention) -> tuple[int | None, int | None, int | None]:
    return mention.year, mention.month, mention.day


def texts(sentence: str) -> list[str]:
    return [mention.text for mention in find_dates(sentence)]


def resolve_all(resolver: DateResolver, sentences: list[str]) -> list[tuple[str, str | None]]:
    return [
        (mention.text, mention.date.iso() if mention.date else None)
        for sentence in sentences
        for mention in resolver.resolve(sentence)
    ]


# --- finding explicit dates -------------------------------------------------------------------

EXPLICIT = [
    ("On April 8, Russia blocked it.", "On April 8", (None, 4, 8)),
    ("It happened on April 8, 2019, in Tripoli.", "on April 8, 2019", (2019, 4, 8)),
    ("It happened on 8 April 2019.", "on 8 April 2019", (2019, 4, 8)),
    ("Talks began 14 January 2020 in Moscow.", "14 January 2020", (2020, 1, 14)),
    ("He left on Jan. 14 for Cairo.", "on Jan. 14", (None, 1, 14)),
    ("They met Sept. 3 in Rome.", "Sept. 3", (None, 9, 3)),
    ("They met on Dec 3 in Rome.", "on Dec 3", (None, 12, 3)),
    ("He spoke on April 8th.", "on April 8th", (None, 4, 8)),
    ("He spoke on the 14th of January.", "on the 14th of January", (None, 1, 14)),
    ("He spoke on Monday, April 8, 2019.", "on Monday, April 8, 2019", (2019, 4, 8)),
    ("A meeting in November 2018 took place.", "in November 2018", (2018, 11, None)),
    ("In March, it was reported.", "In March", (None, 3, None)),
    ("Elections were held in 2018.", "in 2018", (2018, None, None)),
    ("Fighting has continued since 2014.", "since 2014", (2014, None, None)),
    ("The report is dated 2019-04-08.", "2019-04-08", (2019, 4, 8)),
    ("Stamped 2020-01-14T09:30:00Z by the server.", "2020-01-14T09:30:00Z", (2020, 1, 14)),
    ("On February 16, Zakharova spoke.", "On February 16", (None, 2, 16)),
    ("Sudan's war, which erupted on 15 April 2023, goes on.", "on 15 April 2023", (2023, 4, 15)),
    ("MOSCOW, APRIL 12 - officials said.", "APRIL 12", (None, 4, 12)),
    ("The war started in February 2022.", "in February 2022", (2022, 2, None)),
]


@pytest.mark.parametrize(("sentence", "text", "fields"), EXPLICIT, ids=[case[1] for case in EXPLICIT])
def test_explicit_date_is_found_with_its_span_and_fields(sentence, text, fields):
    mention = only(sentence)
    assert (mention.text, fields_of(mention), mention.relative) == (text, fields, False)


APPROXIMATE = [
    ("Fighting peaked in mid-April.", "in mid-April", (None, 4, None)),
    ("It resumed in early March.", "in early March", (None, 3, None)),
    ("Troops arrived late 2018.", "late 2018", (2018, None, None)),
    ("Troops arrived in mid-2019.", "in mid-2019", (2019, None, None)),
    ("By the end of 2018, fighters had arrived.", "By the end of 2018", (2018, None, None)),
    ("It held until the summer of 2018.", "until the summer of 2018", (2018, None, None)),
    ("It began in late March 2019.", "in late March 2019", (2019, 3, None)),
]


@pytest.mark.parametrize(("sentence", "text", "fields"), APPROXIMATE, ids=[case[1] for case in APPROXIMATE])
def test_qualified_date_is_approximate_at_month_or_year_precision(sentence, text, fields):
    mention = only(sentence)
    assert (mention.text, fields_of(mention), mention.approximate) == (text, fields, True)


LISTS = [
    ("It lasted from April 4-16, 2019.", [("from April 4", (2019, 4, 4)), ("16, 2019", (2019, 4, 16))]),
    ("Between 1 and 3 April 2019, 56 died.", [("Between 1", (2019, 4, 1)), ("3 April 2019", (2019, 4, 3))]),
    (
        "They met on March 3 and April 5, 2019.",
        [("on March 3", (2019, 3, 3)), ("April 5, 2019", (2019, 4, 5))],
    ),
    (
        "From December 28 to January 3, 2020 it rained.",
        [("From December 28", (2019, 12, 28)), ("January 3, 2020", (2020, 1, 3))],
    ),
    ("It grew between 2011 and 2014.", [("between 2011", (2011, None, None)), ("2014", (2014, None, None))]),
    ("It grew from 2011-2014.", [("from 2011", (2011, None, None)), ("2014", (2014, None, None))]),
    (
        "Talks ran between February and April.",
        [("between February", (None, 2, None)), ("April", (None, 4, None))],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), LISTS, ids=[case[0] for case in LISTS])
def test_ranges_and_lists_give_one_mention_per_date_sharing_the_year(sentence, expected):
    found = [(m.text, fields_of(m)) for m in find_dates(sentence)]
    assert found == expected


# --- finding relative dates -------------------------------------------------------------------

RELATIVE = [
    ("Three days later, Haftar visited.", "Three days later", Offset(3, "day", deictic=False)),
    ("two weeks later, talks failed", "two weeks later", Offset(2, "week", deictic=False)),
    ("a day earlier, he left", "a day earlier", Offset(-1, "day", deictic=False)),
    ("twenty-one days later it ended", "twenty-one days later", Offset(21, "day", deictic=False)),
    ("30 days later it ended", "30 days later", Offset(30, "day", deictic=False)),
    ("The next day, he spoke.", "The next day", Offset(1, "day", deictic=False)),
    ("the following day he spoke", "the following day", Offset(1, "day", deictic=False)),
    ("He had arrived the day before.", "the day before", Offset(-1, "day", deictic=False)),
    ("the previous week it rained", "the previous week", Offset(-1, "week", deictic=False)),
    ("the following month it rained", "the following month", Offset(1, "month", deictic=False)),
    ("a month later it rained", "a month later", Offset(1, "month", deictic=False)),
    ("later that year it rained", "later that year", Offset(0, "year", deictic=False)),
    ("on the same day it rained", "the same day", Offset(0, "day", deictic=False)),
    ("He spoke yesterday.", "yesterday", Offset(-1, "day", deictic=True)),
    ("He speaks today.", "today", Offset(0, "day", deictic=True)),
    ("He speaks tomorrow.", "tomorrow", Offset(1, "day", deictic=True)),
    ("two years ago it began", "two years ago", Offset(-2, "year", deictic=True)),
    ("He spoke on Tuesday.", "on Tuesday", Offset(0, "weekday", deictic=True, target=1)),
    ("The ministry said Tuesday that 12 died.", "Tuesday", Offset(0, "weekday", deictic=True, target=1)),
    ("He spoke last Tuesday.", "last Tuesday", Offset(-1, "weekday", deictic=True, target=1)),
    ("He speaks next Tuesday.", "next Tuesday", Offset(1, "weekday", deictic=True, target=1)),
    ("the following Friday it ended", "the following Friday", Offset(1, "weekday", deictic=False, target=4)),
    ("He spoke last week.", "last week", Offset(-1, "week", deictic=True)),
    ("He speaks this week.", "this week", Offset(0, "week", deictic=True)),
    ("He speaks next week.", "next week", Offset(1, "week", deictic=True)),
    ("He spoke last month.", "last month", Offset(-1, "month", deictic=True)),
    ("He spoke earlier this month.", "earlier this month", Offset(0, "month", deictic=True)),
    ("He spoke this year.", "this year", Offset(0, "year", deictic=True)),
    ("He spoke last year.", "last year", Offset(-1, "year", deictic=True)),
    ("He spoke last March.", "last March", Offset(-1, "month_name", deictic=True, target=3)),
]


@pytest.mark.parametrize(("sentence", "text", "offset"), RELATIVE, ids=[case[1] for case in RELATIVE])
def test_relative_date_is_found_with_its_offset(sentence, text, offset):
    mention = only(sentence)
    assert (mention.text, mention.offset, mention.relative) == (text, offset, True)


@pytest.mark.parametrize(
    ("sentence", "approximate"),
    [
        ("two weeks later", True),
        ("last week", True),
        ("late last year", True),
        ("three days later", False),
        ("on Tuesday", False),
        ("last month", False),
    ],
    ids=["weeks later", "last week", "late last year", "days later", "weekday", "last month"],
)
def test_week_level_and_qualified_relative_dates_are_approximate(sentence, approximate):
    assert only(sentence).approximate is approximate


# --- false positives --------------------------------------------------------------------------

NOT_DATES = [
    "Similar weapons deliveries may continue.",
    "May said the deal was dead.",
    "Confidence in May's leadership fell.",
    "They organised a march on Tripoli.",
    "March on Tripoli, the leaders urged.",
    "Haftar has expanded his influence over the past year.",
    "The past year was hard.",
    "Over the last year the GNA weakened.",
    "The fund will grow over the next year.",
    "Wagner deployed 300 Russian troops to Benghazi.",
    "The clashes left 56 dead and 200 soldiers captured.",
    "The council passed Resolution 2259 unanimously.",
    "Some 2,000 fighters and 1,000 vehicles arrived.",
    "Libya has been in chaos since the 2011 uprising.",
    "It was the worst violence since the Second World War.",
    "The wars of the 1990s shaped the region.",
    "Protesters gathered on Good Friday.",
    "The March 14 Alliance won seats.",
    "Three days after the vote, he resigned.",
    "The day after the vote, he resigned.",
    "April Longley Alley wrote the report.",
    "The UN envoy Jan Kubis arrived.",
]


@pytest.mark.parametrize("sentence", NOT_DATES, ids=NOT_DATES)
def test_non_dates_are_not_emitted(sentence):
    assert find_dates(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russia may continue to back him in May.", ["in May"]),
        ("A march on Tripoli began in March.", ["in March"]),
        ("In March, 300 Russian troops arrived.", ["In March"]),
        ("On April 11, clashes left 56 dead.", ["On April 11"]),
        ("In 2019, 2,000 fighters arrived.", ["In 2019"]),
    ],
    ids=[
        "modal may, month May",
        "noun march, month March",
        "count after month",
        "count after day",
        "count after year",
    ],
)
def test_dates_next_to_look_alikes_are_found_alone(sentence, expected):
    assert texts(sentence) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=6000))
def test_find_dates_spans_are_ordered_non_overlapping_slices(sentence):
    mentions = find_dates(sentence)
    assert all(sentence[m.start : m.end] == m.text != "" for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_found_mentions_are_unresolved():
    assert only("On April 8, 2019, it began.").date is None


# --- resolution -------------------------------------------------------------------------------

CHAINS = [
    (
        "relative counts from the first date of the previous sentence",
        PartialDate(2019, 4),
        None,
        [
            "On April 8, Russia blocked a resolution on the offensive, which began on April 4.",
            "Three days later, Haftar made a surprise visit to Moscow.",
        ],
        [("On April 8", "2019-04-08"), ("on April 4", "2019-04-04"), ("Three days later", "2019-04-11")],
    ),
    (
        "relative day results chain",
        None,
        2019,
        ["On April 8, it began.", "Three days later, he flew.", "The next day, he spoke."],
        [("On April 8", "2019-04-08"), ("Three days later", "2019-04-11"), ("The next day", "2019-04-12")],
    ),
    (
        "relative counts from an earlier date in its own sentence",
        None,
        2019,
        ["On March 1, it rained.", "On April 8 it began, and two days later it ended."],
        [("On March 1", "2019-03-01"), ("On April 8", "2019-04-08"), ("two days later", "2019-04-10")],
    ),
    (
        "week-level results are approximate and do not anchor",
        None,
        2019,
        ["On April 8, it began.", "Two weeks later, he flew.", "The next day, he spoke."],
        [("On April 8", "2019-04-08"), ("Two weeks later", "2019-04"), ("The next day", "2019-04-09")],
    ),
    (
        "month-level relatives do not anchor",
        None,
        2019,
        ["On April 8, it began.", "A month later, he flew.", "The next day, he spoke."],
        [("On April 8", "2019-04-08"), ("A month later", "2019-05"), ("The next day", "2019-04-09")],
    ),
    (
        "month-precise anchor gives no day",
        None,
        2019,
        ["In March, it began.", "Three days later, he flew."],
        [("In March", "2019-03"), ("Three days later", None)],
    ),
    (
        "year-precise anchor gives no month",
        None,
        None,
        ["In 2018, it began.", "The following month, he flew.", "A year later, he left."],
        [("In 2018", "2018"), ("The following month", None), ("A year later", "2019")],
    ),
    (
        "no year anywhere gives None",
        None,
        None,
        ["On April 8, it began.", "Three days later, he flew.", "In March, he left."],
        [("On April 8", None), ("Three days later", None), ("In March", None)],
    ),
    (
        "a yearless date takes the year of an explicit date in the same year",
        None,
        None,
        ["In January 2020, it began.", "On March 3, it ended."],
        [("In January 2020", "2020-01"), ("On March 3", "2020-03-03")],
    ),
    (
        "after a flashback the narrative returns to the document year",
        PartialDate(2019, 4),
        None,
        ["This was after a meeting in November 2018.", "On April 11, clashes erupted."],
        [("in November 2018", "2018-11"), ("On April 11", "2019-04-11")],
    ),
    (
        "a flashback continues while its months increase",
        PartialDate(2020, 6, 1),
        None,
        ["In January 2011, protests erupted.", "On February 17, rebels rose.", "In March, NATO struck."],
        [("In January 2011", "2011-01"), ("On February 17", "2011-02-17"), ("In March", "2011-03")],
    ),
    (
        "a month long after a January publication is last year's",
        PartialDate(2020, 1, 16),
        None,
        ["In November, the offensive began."],
        [("In November", "2019-11")],
    ),
    (
        "a month just after the publication month stays in its year",
        PartialDate(2019, 4),
        None,
        ["The forum is due in June."],
        [("in June", "2019-06")],
    ),
    (
        "29 February in a non-leap year gives None",
        None,
        2019,
        ["On February 29, it began."],
        [("On February 29", None)],
    ),
]


@pytest.mark.parametrize(
    ("published", "default_year", "sentences", "expected"),
    [case[1:] for case in CHAINS],
    ids=[case[0] for case in CHAINS],
)
def test_resolution_chain(published, default_year, sentences, expected):
    assert resolve_all(DateResolver(published, default_year), sentences) == expected


DEICTIC = [
    ("He spoke on Tuesday.", "2020-01-14"),
    ("He spoke on Thursday.", "2020-01-16"),
    ("He spoke last Tuesday.", "2020-01-14"),
    ("He spoke last Thursday.", "2020-01-09"),
    ("He speaks next Tuesday.", "2020-01-21"),
    ("He spoke yesterday.", "2020-01-15"),
    ("He speaks today.", "2020-01-16"),
    ("He speaks tomorrow.", "2020-01-17"),
    ("He spoke two days ago.", "2020-01-14"),
    ("He spoke last week.", "2020-01"),  # a week is no day: its month
    ("He speaks next week.", "2020-01"),
    ("He spoke last month.", "2019-12"),
    ("He spoke earlier this month.", "2020-01"),
    ("He spoke last year.", "2019"),
    ("He speaks this year.", "2020"),
    ("He spoke last March.", "2019-03"),
    ("He speaks next March.", "2020-03"),
]


@pytest.mark.parametrize(("sentence", "iso"), DEICTIC, ids=[case[0] for case in DEICTIC])
def test_deictic_dates_count_from_a_day_precise_publication_date(sentence, iso):
    [mention] = DateResolver(THURSDAY, None).resolve(sentence)
    assert mention.date == PartialDate.from_iso(iso)


def test_deictic_dates_prefer_publication_over_the_story_anchor():
    resolver = DateResolver(THURSDAY, None)
    resolver.resolve("On March 3, 2018, it began.")
    [mention] = resolver.resolve("He spoke yesterday.")
    assert mention.date == PartialDate(2020, 1, 15)


@pytest.mark.parametrize(
    ("sentence", "iso"),
    [
        ("He spoke yesterday.", None),
        ("He spoke on Tuesday.", None),
        ("He spoke last month.", "2019-03"),
        ("He spoke last year.", "2018"),
    ],
    ids=["yesterday", "on Tuesday", "last month", "last year"],
)
def test_month_precise_publication_resolves_only_month_and_year_deictics(sentence, iso):
    [mention] = DateResolver(PartialDate(2019, 4), None).resolve(sentence)
    assert mention.date == (PartialDate.from_iso(iso) if iso else None)


def test_deictic_without_publication_counts_from_the_anchor():
    resolver = DateResolver(None, None)
    resolver.resolve("On Thursday, January 16, 2020, it began.")
    [mention] = resolver.resolve("On Tuesday, he had warned.")
    assert mention.date == PartialDate(2020, 1, 14)


# --- the sample article -----------------------------------------------------------------------


def sample_paragraphs() -> list[str]:
    body = SAMPLE.read_text(encoding="utf-8").split("---", 2)[2]
    return [paragraph.strip() for paragraph in body.split("\n\n") if paragraph.strip()]


def sample_mentions(published: PartialDate | None, default_year: int | None) -> list[DateMention]:
    resolver = DateResolver(published, default_year)
    return [
        mention
        for paragraph in sample_paragraphs()
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph)
        for mention in resolver.resolve(sentence)
    ]


SAMPLE_SETTINGS = {
    "front-matter published 2019-04": (PartialDate(2019, 4), None),
    "inferred default year": (None, 2019),
}


@pytest.fixture(params=list(SAMPLE_SETTINGS), ids=list(SAMPLE_SETTINGS))
def sample_dates(request) -> dict[str, PartialDate | None]:
    return {mention.text: mention.date for mention in sample_mentions(*SAMPLE_SETTINGS[request.param])}


def test_sample_year_is_inferred_as_2019():
    assert infer_default_year(sample_paragraphs()) == 2019


def test_sample_mentions_are_exactly_its_dates(sample_dates):
    assert sorted(sample_dates) == sorted(
        [
            "On April 8",
            "on April 4",
            "Three days later",
            "on April 9",
            "In March",
            "in November 2018",
            "on April 11",
            "On April 7",
            "on April 12",
            "on April 16",
            "On February 16",
            "in February",
        ]
    )


def test_sample_every_date_is_2019_except_november_2018(sample_dates):
    years = {text: date.year for text, date in sample_dates.items() if date is not None}
    assert years == {text: 2018 if text == "in November 2018" else 2019 for text in sample_dates}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Three days later", "2019-04-11"),
        ("on April 16", "2019-04-16"),
        ("In March", "2019-03"),
        ("in February", "2019-02"),
        ("in November 2018", "2018-11"),
        ("On February 16", "2019-02-16"),
    ],
    ids=["three days later", "April 16", "In March", "in February", "November 2018", "February 16"],
)
def test_sample_date(sample_dates, text, iso):
    assert sample_dates[text] == PartialDate.from_iso(iso)


def test_sample_in_march_is_month_precise(sample_dates):
    assert sample_dates["In March"].precision == "month"


# --- default year -----------------------------------------------------------------------------

INFERENCE = [
    (
        "yearless months before the latest yeared month fall in the next year",
        ["A meeting in November 2018.", "On February 16 he spoke.", "In March troops came."],
        2019,
    ),
    (
        "a yearless month after the latest yeared month stays in its year",
        ["In January 2020 it began.", "On March 3 it ended."],
        2020,
    ),
    (
        "a yearless month equal to the latest yeared month stays in its year",
        ["In November 2018 it began.", "On November 20 it ended."],
        2018,
    ),
    (
        "yeared months without yearless ones give the latest year",
        ["In March 2011 it began.", "In May 2014 it resumed."],
        2014,
    ),
    (
        "only bare years say nothing of the story's year",
        ["War broke out in 2011.", "It resumed in 2014."],
        None,
    ),
    (
        "only bare years: none when the latest is not the last mentioned",
        ["It resumed in 2014.", "War first broke out in 2011."],
        None,
    ),
    (
        "a bare year later than every yeared month takes over",
        ["In March 2011 NATO struck.", "In 2019 Haftar attacked.", "On April 8 Russia objected."],
        2019,
    ),
    ("no explicit year gives None", ["On April 8 it began.", "Three days later he flew."], None),
    ("relative dates do not count", ["Last year it began.", "In March it ended."], None),
]


@pytest.mark.parametrize(("paragraphs", "year"), [c[1:] for c in INFERENCE], ids=[c[0] for c in INFERENCE])
def test_infer_default_year(paragraphs, year):
    assert infer_default_year(paragraphs) == year


# --- publication dates ------------------------------------------------------------------------

PUBLISHED = [
    ("2019", PartialDate(2019)),
    ("2019-04", PartialDate(2019, 4)),
    ("2019-04-08", PartialDate(2019, 4, 8)),
    ("14 January 2020", PartialDate(2020, 1, 14)),
    ("January 14, 2020", PartialDate(2020, 1, 14)),
    ("2020-01-14T09:30:00Z", PartialDate(2020, 1, 14)),
    ("2020-01-14 09:30:00+02:00", PartialDate(2020, 1, 14)),
    ("Jan 2020", PartialDate(2020, 1)),
    ("january 2020", PartialDate(2020, 1)),
    ("Tuesday, 14 January 2020", PartialDate(2020, 1, 14)),
    ("  2019-04-08  ", PartialDate(2019, 4, 8)),
]


@pytest.mark.parametrize(("value", "expected"), PUBLISHED, ids=[case[0] for case in PUBLISHED])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "unreadable"),
        ("April", "unreadable"),
        ("14 January", "unreadable"),
        ("next week", "unreadable"),
        ("2019-13", "not a real date"),
        ("2019-02-30", "not a real date"),
        ("0000", "not a real date"),
        ("around 2019", "unreadable"),
    ],
    ids=["empty", "month only", "no year", "relative", "month 13", "30 February", "year 0", "prose"],
)
def test_parse_published_rejects_with_a_clear_message(value, message):
    with pytest.raises(ValueError, match=message):
        parse_published(value)


# --- header dates -----------------------------------------------------------------------------

HEADERS = [
    (
        "wire dateline with a year",
        ["BENGHAZI, Libya, Jan 14, 2020 (Reuters) - Fighting resumed."],
        PartialDate(2020, 1, 14),
    ),
    ("byline with date", ["By AFP, 14 January 2020", "Fighting resumed."], PartialDate(2020, 1, 14)),
    ("published label", ["Libya talks stall", "Published: 14 Jan 2020"], PartialDate(2020, 1, 14)),
    ("updated label", ["Updated 2020-01-14 09:30 GMT"], PartialDate(2020, 1, 14)),
    ("date and time line", ["January 14, 2020 9:30 AM", "Fighting resumed."], PartialDate(2020, 1, 14)),
    ("line that is only a date", ["", "14 January 2020", "Text."], PartialDate(2020, 1, 14)),
    ("published beats updated", ["Updated 2020-01-15", "Published 2020-01-14"], PartialDate(2020, 1, 14)),
    ("dateline without a date", ["TRIPOLI, Libya (Reuters) - Fighting resumed on Tuesday."], None),
    ("dateline without a year", ["MOSCOW, April 12 (Reuters) - Russia said on Tuesday."], None),
    (
        "body sentences are not headers",
        ["By Samuel Ramani", "On April 8, 2019, Russia blocked a resolution."],
        None,
    ),
    ("headline with a bare year", ["War in Yemen since 2014", "Fighting resumed."], None),
    ("no lines", [], None),
    ("date beyond the first lines", [*(["Some header words"] * 8), "14 January 2020"], None),
]


@pytest.mark.parametrize(("lines", "expected"), [case[1:] for case in HEADERS], ids=[c[0] for c in HEADERS])
def test_find_header_date(lines, expected):
    assert find_header_date(lines) == expected


def test_yearless_dateline_uses_a_known_year():
    assert find_header_date(["MOSCOW, April 12 (Reuters) - Russia said."], default_year=2019) == PartialDate(
        2019, 4, 12
    )


def test_sample_body_has_no_header_date():
    assert find_header_date(sample_paragraphs()) is None
