"""Every way of naming an actor, through every place that takes one: /actor, /timeline actor, /quote
speaker, the chat answers and the message menu; one strong match answers saying which name matched,
several give an invoker-only menu that times out cleanly."""

from __future__ import annotations

import pytest

from bot.standin import InteractionResult, StandIn
from bot.standin.model import Message

pytestmark = pytest.mark.cogs("cogs.actors", "cogs.timeline", "cogs.quotes", "cogs.lookup")

TINY_TIMEOUT = 0.2
# Typed text → the actor the seed article means by it, one per way of naming.
NAMINGS = {
    "Kortunov": "Andrei Kortunov",  # surname
    "Yevgeny": "Yevgeny Prigozhin",  # given name
    "the LNA leader": "Khalifa Haftar",  # alias
    "Hifter": "Khalifa Haftar",  # spelling variant
    "Fayez al-Sarraj": "Fayez al-Serraj",  # transliteration
    "Kortunv": "Andrei Kortunov",  # typo
    "Wagner chairman": "Yevgeny Prigozhin",  # role phrase
    "Russian deputy minister of foreign affairs": "Mikhail Bogdanov",  # role phrase
    "RIAC director": "Andrei Kortunov",  # role with the acronym of the council it names
    "GNA prime minister": "Fayez al-Serraj",  # role words together
}
AMBIGUOUS = "minister of foreign affairs"  # Bogdanov (Russia's deputy one) and Siala (the GNA's)
PICK = "actor:pick"


def picked_options(message: Message) -> list[str]:
    menu = message.custom_ids()[PICK]
    return [option["value"] for option in menu["options"]]


@pytest.mark.parametrize(("typed", "actor"), NAMINGS.items(), ids=list(NAMINGS))
async def test_actor_answers_any_naming_saying_who_is_shown(
    bot, standin: StandIn, typed: str, actor: str
) -> None:
    result = await standin.slash("actor", {"name": typed})
    assert result.embeds[0]["title"] == actor
    assert result.content.startswith(f"Showing **{actor}**")


@pytest.mark.parametrize(("typed", "actor"), NAMINGS.items(), ids=list(NAMINGS))
async def test_timeline_answers_any_naming(bot, standin: StandIn, typed: str, actor: str) -> None:
    result = await standin.slash("timeline", {"actor": typed})
    assert actor in result.content


async def test_quote_speaker_answers_a_role_phrase(bot, standin: StandIn) -> None:
    result = await standin.slash("quote", {"speaker": "Russian Foreign Ministry spokeswoman"})
    assert result.embeds[0]["title"] == "Statements by Maria Zakharova"
    role = "the Russian Ministry of Foreign Affairs spokeswoman"
    assert f"Showing **Maria Zakharova**, {role}" in result.content


async def test_an_exact_name_needs_no_note(bot, standin: StandIn) -> None:
    result = await standin.slash("actor", {"name": "andrei kortunov"})
    assert result.content == ""


ACTOR_OPTIONS = [("actor", "name"), ("timeline", "actor"), ("quote", "speaker")]


@pytest.mark.parametrize(("command", "option"), ACTOR_OPTIONS)
async def test_several_matches_give_a_menu_to_pick_from(
    bot, standin: StandIn, command: str, option: str
) -> None:
    result = await standin.slash(command, {option: AMBIGUOUS})
    assert result.ephemeral and f"Several actors fit “{AMBIGUOUS}”" in result.content
    assert {"Mikhail Bogdanov", "Mohamed Siala"} <= set(picked_options(result.message))
    picked = await standin.click(result.message, PICK, values=["Mikhail Bogdanov"])
    assert picked.rejections == []
    assert "Mikhail Bogdanov" in picked.embeds[0]["title"]
    await result.wait_for(lambda r: r.message.custom_ids()[PICK].get("disabled"))
    assert result.message.content == "Showing **Mikhail Bogdanov**."


async def test_only_the_user_who_asked_may_pick(bot, standin: StandIn) -> None:
    result = await standin.slash("actor", {"name": AMBIGUOUS})
    owner = standin.find_user("owner")
    other = await standin.click(result.message, PICK, values=["Mohamed Siala"], user=owner)
    assert other.ephemeral and other.content.startswith("Only the person who asked can pick")
    mine = await standin.click(result.message, PICK, values=["Mohamed Siala"])
    assert mine.embeds[0]["title"] == "Mohamed Siala"


async def test_the_menu_times_out_cleanly(bot, standin: StandIn) -> None:
    bot.get_cog("Actors").pager_timeout = TINY_TIMEOUT
    result: InteractionResult = await standin.slash("actor", {"name": AMBIGUOUS})
    await result.wait_for(lambda r: bool(r.message.custom_ids()[PICK].get("disabled")), timeout=3)
    assert result.message.content.startswith("No actor was picked in time")
    assert result.rejections == []


async def test_autocomplete_shows_the_role_beside_each_name(bot, standin: StandIn) -> None:
    result = await standin.autocomplete("actor", {"name": "Kortunov"}, "name")
    assert result.choices[0] == {
        "name": "Andrei Kortunov — director general of the Russian International Affairs Council",
        "value": "Andrei Kortunov",
    }


@pytest.mark.parametrize(("command", "option"), ACTOR_OPTIONS)
async def test_autocomplete_ranks_alike_in_every_command(
    bot, standin: StandIn, command: str, option: str
) -> None:
    result = await standin.autocomplete(command, {option: AMBIGUOUS}, option)
    assert {choice["value"] for choice in result.choices[:2]} == {"Mikhail Bogdanov", "Mohamed Siala"}


async def test_a_mention_resolves_a_role_phrase(bot, standin: StandIn) -> None:
    message = standin.user_message("who is the Wagner chairman?", mention_bot=True)
    answer = await standin.wait_for_message(
        standin.default_channel, lambda m: str((m.reference or {}).get("message_id")) == str(message.id)
    )
    assert [embed["title"] for embed in answer.embeds] == ["Yevgeny Prigozhin"]


async def test_the_message_menu_finds_surnames_and_aliases(bot, standin: StandIn) -> None:
    target = standin.user_message("Kortunov thinks the LNA leader will talk to Serraj")
    result = await standin.message_command("Look up actors", target)
    titles = [embed["title"] for embed in result.embeds]
    assert titles == ["Andrei Kortunov", "Khalifa Haftar", "Fayez al-Serraj"]
