"""/timeline end to end: filters, date parsing, paging, the chart, on a store built from the seed article.

The bot's clock is the fixture's 20 Apr 2019, so a date typed without a year ("8 Apr") is in 2019.
"""

from __future__ import annotations

import os
import re
import signal

import pytest

from bot.standin import InteractionResult, StandIn

pytestmark = pytest.mark.cogs("cogs.actors", "cogs.timeline")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_DATE = re.compile(r"^\*\*(.+?)\*\* — ", re.MULTILINE)


def dates(result: InteractionResult) -> list[str]:
    """The dates of the events on the shown page, in order."""
    return _DATE.findall(result.embeds[0]["description"])


async def all_pages(standin: StandIn, result: InteractionResult) -> list[str]:
    """Every event's date, clicking Next through the pages."""
    shown = dates(result)
    while result.message.custom_ids().get("pager:next", {"disabled": True}).get("disabled") is False:
        await standin.click(result.message, "pager:next")
        shown += dates(result)
    return shown


async def test_timeline_lists_every_event_in_date_order(standin: StandIn, bot):
    result = await standin.slash("timeline")
    assert await all_pages(standin, result) == [
        "Nov 2018", "Feb 2019", "16 Feb 2019", "Mar 2019", "4 Apr 2019", "7 Apr 2019",
        "8 Apr 2019", "9 Apr 2019", "11 Apr 2019", "11 Apr 2019", "12 Apr 2019", "16 Apr 2019",
    ]  # fmt: skip


async def test_timeline_pages_a_long_list(standin: StandIn, bot):
    result = await standin.slash("timeline")
    assert result.embeds[0]["footer"]["text"] == "Page 1/2 · 12 events"


async def test_timeline_cites_each_event(standin: StandIn, bot):
    result = await standin.slash("timeline", {"on": "8 Apr"})
    assert result.embeds[0]["description"].endswith("\n*Russia's Mediation Goals in Libya, ¶2*")


async def test_timeline_from_and_to_keep_events_within_the_range(standin: StandIn, bot):
    result = await standin.slash("timeline", {"from": "2019-04-08", "to": "11 Apr"})
    assert dates(result) == ["8 Apr 2019", "9 Apr 2019", "11 Apr 2019", "11 Apr 2019"]


async def test_timeline_says_which_range_it_shows(standin: StandIn, bot):
    result = await standin.slash("timeline", {"from": "2019-04-08", "to": "11 Apr"})
    assert result.embeds[0]["description"].startswith("From 8 Apr 2019 to 11 Apr 2019\n\n")


async def test_timeline_from_a_month_includes_events_known_only_to_that_month(standin: StandIn, bot):
    result = await standin.slash("timeline", {"from": "March 2019", "to": "April 4 2019"})
    assert dates(result) == ["Mar 2019", "4 Apr 2019"]


async def test_timeline_on_a_day_shows_that_days_events(standin: StandIn, bot):
    result = await standin.slash("timeline", {"on": "8 Apr"})
    assert dates(result) == ["8 Apr 2019"]


async def test_timeline_for_an_actor_shows_only_its_events(standin: StandIn, bot):
    """Events it takes part in, and events whose sentence names it ("Haftar’s forces" on 7 April)."""
    result = await standin.slash("timeline", {"actor": "Haftar", "to": "April 8 2019"})
    assert (result.embeds[0]["title"], dates(result)) == (
        "Timeline: Khalifa Haftar",
        ["Nov 2018", "Feb 2019", "Mar 2019", "4 Apr 2019", "7 Apr 2019", "8 Apr 2019"],
    )  # fmt: skip


async def test_timeline_actor_autocompletes_like_actor(standin: StandIn, bot):
    result = await standin.autocomplete("timeline", {"actor": "Shoygu"}, "actor")
    assert result.choices[0]["value"] == "Sergei Shoigu"


async def test_timeline_for_an_unknown_actor_suggests_close_names(standin: StandIn, bot):
    result = await standin.slash("timeline", {"actor": "Fayez Smith Jones"})
    assert (result.ephemeral, "Fayez al-Serraj" in result.content.replace("\\", "")) == (True, True)


async def test_an_unreadable_date_is_explained_privately(standin: StandIn, bot):
    result = await standin.slash("timeline", {"from": "the day after never"})
    assert (result.ephemeral, result.content.startswith("`from`: I couldn't read 'the day after never'")) == (
        True, True,
    )  # fmt: skip


async def test_from_later_than_to_is_explained_privately(standin: StandIn, bot):
    result = await standin.slash("timeline", {"from": "May 2019", "to": "April 2019"})
    assert (result.ephemeral, result.content) == (
        True, "`from` (May 2019) is after `to` (Apr 2019): swap them, or leave one out.",
    )  # fmt: skip


async def test_an_empty_timeline_says_so_and_how_to_widen_it(standin: StandIn, bot):
    result = await standin.slash("timeline", {"on": "2010"})
    assert (result.ephemeral, result.content) == (
        True, "No dated events on 2010 in the articles. Try a wider range of dates, or leave them out.",
    )  # fmt: skip


async def test_an_actor_without_events_says_so(standin: StandIn, bot):
    result = await standin.slash("timeline", {"actor": "Lavrov"})
    assert result.content == "No dated events for **Lavrov** in the articles. Try /timeline without an actor."


async def test_chart_is_deferred_first(standin: StandIn, bot):
    result = await standin.slash("timeline", {"chart": True})
    assert result.callback_type == 5


async def test_chart_attaches_a_png(standin: StandIn, bot):
    result = await standin.slash("timeline", {"actor": "Khalifa Haftar", "chart": True})
    attachment = result.message.attachments[0]
    assert (attachment.filename, attachment.data[:8]) == ("timeline.png", PNG_MAGIC)


async def test_chart_is_shown_in_the_embed(standin: StandIn, bot):
    result = await standin.slash("timeline", {"chart": True})
    assert result.embeds[0]["image"]["url"] == "attachment://timeline.png"


async def test_chart_pages_keep_the_picture(standin: StandIn, bot):
    result = await standin.slash("timeline", {"chart": True})
    await standin.click(result.message, "pager:next")
    assert (len(result.message.attachments), result.embeds[0]["footer"]["text"]) == (
        1,
        "Page 2/2 · 12 events",
    )


@pytest.mark.parametrize(
    "options",
    [{}, {"chart": True}, {"actor": "Russia"}, {"on": "April 2019"}, {"from": "x"}, {"on": "1999"}],
    ids=["all", "chart", "actor", "on", "bad_date", "empty"],
)
async def test_timeline_answers_within_discords_limits_and_pings_nobody(standin: StandIn, bot, options):
    result = await standin.slash("timeline", options)
    quiet = all(message.allowed_mentions == {"parse": []} for message in result.all_messages())
    assert (result.rejections, quiet) == ([], True)


# -- dates as users type them, with the bot's clock years after the articles -------------------------------


@pytest.fixture
def years_later(clock):
    clock.now = clock.now.replace(year=2026)
    return clock


@pytest.mark.parametrize("typed", ["8 Apr", "April 8", "8 april"])
async def test_a_day_without_a_year_is_the_year_of_the_articles(standin: StandIn, bot, years_later, typed):
    result = await standin.slash("timeline", {"on": typed})
    assert dates(result) == ["8 Apr 2019"]
    assert result.content == "No year in `on`, so I took 2019, the year of the articles' events then."


async def test_a_month_without_a_year_is_the_year_of_the_articles(standin: StandIn, bot, years_later):
    result = await standin.slash("timeline", {"on": "March"})
    assert dates(result) == ["Mar 2019"]
    assert "I took 2019" in result.content


async def test_a_day_without_events_says_which_year_it_tried(standin: StandIn, bot, years_later):
    result = await standin.slash("timeline", {"on": "25 Dec"})
    assert result.ephemeral
    said = "No year in `on`, so I took 2025, the latest before today (no events then)."
    assert result.content.startswith(said)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("2019-04-08..2019-04-11", ["8 Apr 2019", "9 Apr 2019", "11 Apr 2019", "11 Apr 2019"]),
        ("8 April to 11 April 2019", ["8 Apr 2019", "9 Apr 2019", "11 Apr 2019", "11 Apr 2019"]),
        ("first week of April 2019", ["4 Apr 2019", "7 Apr 2019"]),
    ],
)
async def test_a_range_typed_in_on(standin: StandIn, bot, typed, shown):
    result = await standin.slash("timeline", {"on": typed})
    assert await all_pages(standin, result) == shown


async def test_an_unreadable_date_says_what_it_understood(standin: StandIn, bot):
    result = await standin.slash("timeline", {"on": "Aprill 2019"})
    assert result.ephemeral
    said = "`on`: I couldn't read 'Aprill 2019' as a date (I understood the month April, the year 2019)"
    assert result.content.startswith(said)


async def test_a_chart_whose_drawing_process_died_still_answers_and_the_next_one_draws(standin: StandIn, bot):
    charts = bot.get_cog("Timeline").charts
    os.kill(await charts.run(os.getpid), signal.SIGKILL)  # the drawing process, killed between two charts
    result = await standin.slash("timeline", {"chart": True})
    assert result.content == "The chart could not be drawn this time; try again."
    assert (result.message.attachments, len(dates(result))) == ([], 6)
    again = await standin.slash("timeline", {"chart": True})
    assert again.message.attachments[0].data[:8] == PNG_MAGIC
