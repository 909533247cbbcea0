"""Actor look-ups in chat, through the stand-in: the "Look up actors" menu, answers when mentioned, and
opt-in automatic answers (``/lookup``), with the real bot on a store built from the seed article."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.client import BriefingBot
from bot.standin import Message, StandIn
from bot.store import ActorProfile, Citation, RelatedActor, RelationGroup, RoleFact
from bot.store.settings import lookup_enabled
from bot.text import CONTENT_LIMIT, EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT, EMBED_TOTAL_LIMIT
from cogs.lookup._render import profiles_answer
from tests.bot.conftest import FakeClock, make_settings
from tests.standin_fixtures import run_bot

pytestmark = pytest.mark.cogs("cogs.lookup")
with_intent = pytest.mark.settings(message_content=True)

MENU = "Look up actors"
NO_PINGS = {"parse": []}  # no user, role, @everyone, nor the replied-to author


def titles(message: Message) -> list[str]:
    return [embed["title"] for embed in message.embeds]


def replies_to(message: Message) -> Callable[[Message], bool]:
    return lambda reply: str((reply.reference or {}).get("message_id")) == str(message.id)


async def answer_to(standin: StandIn, message: Message) -> Message:
    return await standin.wait_for_message(standin.default_channel, replies_to(message))


async def handlers_done() -> None:
    """Wait for every ``on_message`` handler discord.py has started (it names their tasks) to finish."""
    running = [t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_message"]
    await asyncio.gather(*running, return_exceptions=True)


async def assert_no_answer(standin: StandIn, message: Message) -> None:
    """The bot ignored ``message``: a mention sent after it is answered (so ``message`` reached the bot
    first), every message handler then ran to its end, and nothing answered ``message``."""
    sentinel = standin.user_message("Haftar", mention_bot=True)
    await answer_to(standin, sentinel)
    await handlers_done()
    bot_messages = [m for m in standin.messages_in(standin.default_channel) if m.author is standin.bot_user]
    assert [m for m in bot_messages if replies_to(message)(m)] == []


async def switch_on(standin: StandIn) -> None:
    owner = standin.find_user("owner")
    result = await standin.slash("lookup on", user=owner)
    assert result.ephemeral and "**on**" in result.content


# -- the message menu ----------------------------------------------------------------------------------------


async def test_menu_profiles_every_actor_a_message_names(bot: BriefingBot, standin: StandIn) -> None:
    target = standin.user_message("Haftar met Serraj and the LNA")
    result = await standin.message_command(MENU, target)
    assert result.ephemeral
    assert titles(result.message) == ["Khalifa Haftar", "Fayez al-Serraj", "Libyan National Army"]
    assert not result.content
    haftar = result.embeds[0]["description"]
    assert "Person" in haftar and "Libyan National Army leader" in haftar and "¶" in haftar
    assert "leads **Libyan National Army**" in haftar
    assert result.message.allowed_mentions == NO_PINGS


async def test_menu_finds_surnames_and_possessives(bot: BriefingBot, standin: StandIn) -> None:
    target = standin.user_message("Shoigu’s talks with Maiteeq, and Wagner Group fighters.")
    result = await standin.message_command(MENU, target)
    assert titles(result.message) == ["Sergei Shoigu", "Ahmed Maiteeq", "Wagner Group"]


async def test_menu_reads_embeds_too(bot: BriefingBot, standin: StandIn) -> None:
    profile = await answer_to(standin, standin.user_message("who is Maiteeq?", mention_bot=True))
    result = await standin.message_command(MENU, profile)
    assert titles(result.message)[:2] == ["Ahmed Maiteeq", "Government of National Accord"]


async def test_menu_names_the_actors_beyond_five(bot: BriefingBot, standin: StandIn) -> None:
    text = "Haftar, Serraj, Shoigu, Maiteeq, Bogdanov, Kortunov and Prigozhin met in Moscow."
    result = await standin.message_command(MENU, standin.user_message(text))
    assert len(result.embeds) == 5
    assert result.content == "Also named: Andrei Kortunov, Yevgeny Prigozhin"


async def test_menu_on_a_message_naming_nobody_says_so(bot: BriefingBot, standin: StandIn) -> None:
    target = standin.user_message("Lunch at noon? The group is meeting downstairs.")
    result = await standin.message_command(MENU, target)
    assert result.ephemeral and result.embeds == []
    assert "no actor" in result.content


# -- answers when mentioned ----------------------------------------------------------------------------------


async def test_mention_with_a_question_gets_a_profile_reply(bot: BriefingBot, standin: StandIn) -> None:
    question = standin.user_message("who is Maiteeq?", mention_bot=True)
    answer = await answer_to(standin, question)
    assert titles(answer) == ["Ahmed Maiteeq"]
    assert "GNA’s deputy prime minister" in answer.embeds[0]["description"]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Shoigu", "Sergei Shoigu"),
        ("tell me about Wagner", "Wagner Group"),
        ("what is the LNA?", "Libyan National Army"),
    ],
)
async def test_mention_with_a_name_gets_its_profile(
    bot: BriefingBot, standin: StandIn, text: str, actor: str
) -> None:
    answer = await answer_to(standin, standin.user_message(text, mention_bot=True))
    assert titles(answer) == [actor]


async def test_mention_naming_several_actors_gets_each(bot: BriefingBot, standin: StandIn) -> None:
    answer = await answer_to(
        standin, standin.user_message("what about Haftar and Bogdanov?", mention_bot=True)
    )
    assert titles(answer) == ["Khalifa Haftar", "Mikhail Bogdanov"]


async def test_mention_with_an_unknown_name_suggests_the_closest(bot: BriefingBot, standin: StandIn) -> None:
    answer = await answer_to(standin, standin.user_message("who is Khalifa Smith?", mention_bot=True))
    assert answer.embeds == []
    assert "Khalifa Smith" in answer.content and "Khalifa Haftar" in answer.content


async def test_a_bare_mention_explains_how_to_ask(bot: BriefingBot, standin: StandIn) -> None:
    answer = await answer_to(standin, standin.user_message("", mention_bot=True))
    assert "who is" in answer.content


# -- automatic answers ---------------------------------------------------------------------------------------


@with_intent
async def test_automatic_answers_are_off_by_default(bot: BriefingBot, standin: StandIn) -> None:
    assert not await lookup_enabled(bot.store, standin.default_channel.guild_id)
    await assert_no_answer(standin, standin.user_message("who is Maiteeq?"))
    assert "**off**" in (await standin.slash("lookup status", user=standin.find_user("owner"))).content


@with_intent
async def test_lookup_on_starts_automatic_answers(bot: BriefingBot, standin: StandIn) -> None:
    await switch_on(standin)
    answer = await answer_to(standin, standin.user_message("what is the LNA?"))
    assert titles(answer) == ["Libyan National Army"]
    assert answer.allowed_mentions == NO_PINGS


@with_intent
async def test_automatic_answers_skip_chat_that_asks_about_no_actor(
    bot: BriefingBot, standin: StandIn
) -> None:
    await switch_on(standin)
    for text in ("what is the time?", "who is it?", "Haftar is advancing", "who is Haftarovski?"):
        await assert_no_answer(standin, standin.user_message(text))


@with_intent
async def test_lookup_off_stops_automatic_answers(bot: BriefingBot, standin: StandIn) -> None:
    await switch_on(standin)
    result = await standin.slash("lookup off", user=standin.find_user("owner"))
    assert result.ephemeral and "**off**" in result.content
    await assert_no_answer(standin, standin.user_message("who is Maiteeq?"))


@with_intent
async def test_lookup_status_tells_the_setting(bot: BriefingBot, standin: StandIn) -> None:
    owner = standin.find_user("owner")
    assert "**off**" in (await standin.slash("lookup status", user=owner)).content
    await switch_on(standin)
    assert "**on**" in (await standin.slash("lookup status", user=owner)).content


async def test_lookup_is_offered_only_to_members_who_manage_the_server(
    bot: BriefingBot, standin: StandIn
) -> None:
    with pytest.raises(PermissionError):
        await standin.slash("lookup on")
    with pytest.raises(LookupError):
        await standin.slash("lookup on", dm=True)


@with_intent
async def test_lookup_on_is_refused_to_a_member_without_manage_server(
    bot: BriefingBot, standin: StandIn
) -> None:
    for command in standin.commands[None]:  # a server admin lets everyone see /lookup
        if command["name"] == "lookup":
            command["default_member_permissions"] = None
    result = await standin.slash("lookup on")
    assert result.ephemeral and "Manage Server" in result.content
    assert not await lookup_enabled(bot.store, standin.default_channel.guild_id)


async def test_lookup_on_explains_the_missing_intent(bot: BriefingBot, standin: StandIn) -> None:
    result = await standin.slash("lookup on", user=standin.find_user("owner"))
    assert result.ephemeral
    assert "MESSAGE_CONTENT_INTENT=true" in result.content and "Developer Portal" in result.content
    assert not await lookup_enabled(bot.store, standin.default_channel.guild_id)


@with_intent
async def test_automatic_answers_are_rate_limited_per_channel(
    bot: BriefingBot, standin: StandIn, clock: FakeClock
) -> None:
    await switch_on(standin)
    await answer_to(standin, standin.user_message("who is Maiteeq?"))
    clock.now += timedelta(seconds=29)
    await assert_no_answer(standin, standin.user_message("who is Serraj?"))
    briefings = standin.find_channel("briefings")
    other = standin.user_message("who is Serraj?", channel=briefings)
    assert titles(await standin.wait_for_message(briefings, replies_to(other))) == ["Fayez al-Serraj"]
    clock.now += timedelta(seconds=1)
    assert titles(await answer_to(standin, standin.user_message("who is Serraj?"))) == ["Fayez al-Serraj"]


async def test_the_setting_on_and_off_survives_a_restart(
    standin: StandIn, store_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(standin, store_path, message_content=True)
    async with run_bot(BriefingBot(settings, cogs=("cogs.lookup",), clock=clock), standin):
        await switch_on(standin)
    async with run_bot(BriefingBot(settings, cogs=("cogs.lookup",), clock=clock), standin):
        answer = await answer_to(standin, standin.user_message("who is Maiteeq?"))
        assert "**off**" in (await standin.slash("lookup off", user=standin.find_user("owner"))).content
    assert titles(answer) == ["Ahmed Maiteeq"]
    async with run_bot(BriefingBot(settings, cogs=("cogs.lookup",), clock=clock), standin):
        await assert_no_answer(standin, standin.user_message("who is Serraj?"))


# -- limits and safety ---------------------------------------------------------------------------------------


@with_intent
async def test_messages_from_bots_are_ignored(bot: BriefingBot, standin: StandIn) -> None:
    await switch_on(standin)
    other_bot = standin.add_user("otherbot", bot=True)
    standin.add_member(standin.find_guild("Test Guild"), other_bot)
    await assert_no_answer(
        standin, standin.user_message("who is Maiteeq?", author=other_bot, mention_bot=True)
    )
    await assert_no_answer(standin, standin.user_message("who is Maiteeq?", author=other_bot))


@with_intent
@pytest.mark.parametrize("mention_bot", [True, False])
async def test_everyone_in_the_question_pings_nobody(
    bot: BriefingBot, standin: StandIn, mention_bot: bool
) -> None:
    await switch_on(standin)
    question = standin.user_message("@everyone who is Maiteeq?", mention_bot=mention_bot)
    answer = await answer_to(standin, question)
    assert titles(answer) == ["Ahmed Maiteeq"]
    assert answer.allowed_mentions == NO_PINGS


def test_a_short_profile_of_huge_facts_fits_discord() -> None:
    cited = Citation("doc", "A" * 300, 1, 0)
    huge = "word " * 2000
    profile = ActorProfile(
        name=huge,
        kind="person",
        roles=(RoleFact(huge, cited),),
        aliases=(),
        relations=(RelationGroup("leads", "out", "leads", (RelatedActor(huge, (cited,)),)),),
        events=(),
        quotes=(),
        mentions=1,
        documents=(),
    )
    content, embeds = profiles_answer([profile] * 8, ["Someone Else"])
    assert sum(len(embed) for embed in embeds) <= EMBED_TOTAL_LIMIT
    assert all(len(embed.title or "") <= EMBED_TITLE_LIMIT for embed in embeds)
    assert all(len(embed.description or "") <= EMBED_DESCRIPTION_LIMIT for embed in embeds)
    assert content is not None and content.endswith("Someone Else") and len(content) <= CONTENT_LIMIT
