"""Whatever a user types into any option, the bot answers validly, within Discord's limits, pinging nobody.

Discord lets a user type up to 6,000 characters into string options; the stand-in enforces every message
and autocomplete limit (an over-limit answer is a rejection, recorded on the result).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.standin import InteractionResult, StandIn
from bot.standin.limits import embed_size
from tests.bot.test_search import hostile_text

EXAMPLES = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
short_hostile = hostile_text.map(lambda text: text[:100])


def assert_valid_answer(result: InteractionResult) -> None:
    assert result.rejections == []
    assert result.callback_type in {4, 5}
    message = result.message
    assert message is not None and message.allowed_mentions == {"parse": []}
    assert len(message.content or "") <= 2000
    assert sum(embed_size(embed) for embed in message.embeds) <= 6000


def assert_valid_choices(result: InteractionResult) -> None:
    assert result.rejections == [] and result.choices is not None and len(result.choices) <= 25
    assert all(1 <= len(choice["name"]) <= 100 for choice in result.choices)


async def _slash(standin: StandIn, command: str, options: dict[str, Any], **kwargs: Any) -> InteractionResult:
    return await standin.slash(command, {k: v for k, v in options.items() if v != ""}, **kwargs)


@EXAMPLES
@given(name=hostile_text.filter(str.strip))
async def test_actor_name(bot, standin: StandIn, name: str) -> None:
    assert_valid_answer(await standin.slash("actor", {"name": name}))


@EXAMPLES
@given(start=short_hostile, end=short_hostile, on=short_hostile)
async def test_timeline_dates(bot, standin: StandIn, start: str, end: str, on: str) -> None:
    assert_valid_answer(await _slash(standin, "timeline", {"from": start, "to": end, "on": on}))


@EXAMPLES
@given(speaker=hostile_text, topic=hostile_text)
async def test_quote_speaker_and_topic(bot, standin: StandIn, speaker: str, topic: str) -> None:
    assert_valid_answer(await _slash(standin, "quote", {"speaker": speaker, "topic": topic}))


@EXAMPLES
@given(article=hostile_text.filter(str.strip), paragraph=st.integers(min_value=1, max_value=10**6))
async def test_source_article_and_paragraph(bot, standin: StandIn, article: str, paragraph: int) -> None:
    assert_valid_answer(await standin.slash("source", {"article": article, "paragraph": paragraph}))


@EXAMPLES
@given(time=short_hostile.filter(str.strip), zone=hostile_text.filter(str.strip))
async def test_briefing_time_and_zone(bot, standin: StandIn, time: str, zone: str) -> None:
    options = {"channel": standin.find_channel("briefings"), "time": time, "timezone": zone}
    result = await standin.slash("briefing setup", options, user=standin.find_user("owner"))
    assert_valid_answer(result)


@EXAMPLES
@given(typed=hostile_text)
async def test_every_autocomplete(bot, standin: StandIn, typed: str) -> None:
    for command, option in (
        ("actor", "name"),
        ("timeline", "actor"),
        ("quote", "speaker"),
        ("source", "article"),
    ):
        assert_valid_choices(await standin.autocomplete(command, {option: typed}, option))
    zone = await standin.autocomplete(
        "briefing setup", {"timezone": typed}, "timezone", user=standin.find_user("owner")
    )
    assert_valid_choices(zone)
