"""The pager on a real answer (/actors, 33 actors on two pages), clicked through the stand-in."""

from __future__ import annotations

import asyncio

import pytest

from bot.standin import InteractionResult, Message, StandIn

pytestmark = pytest.mark.cogs("cogs.actors", "cogs.timeline")

TINY_TIMEOUT = 0.2


def footer(message: Message) -> str:
    return message.embeds[0]["footer"]["text"]


def disabled(message: Message) -> dict[str, bool]:
    return {custom_id: bool(c.get("disabled")) for custom_id, c in message.custom_ids().items()}


async def paged_list(standin: StandIn) -> InteractionResult:
    return await standin.slash("actors")


async def test_pager_starts_on_the_first_page_with_previous_disabled(standin: StandIn, bot):
    result = await paged_list(standin)
    assert disabled(result.message) == {"pager:previous": True, "pager:next": False}


async def test_next_turns_to_the_next_page(standin: StandIn, bot):
    result = await paged_list(standin)
    turned = await standin.click(result.message, "pager:next")
    assert footer(turned.message) == "Page 2/2 · 33 actors"


async def test_next_on_the_last_page_is_disabled(standin: StandIn, bot):
    result = await paged_list(standin)
    turned = await standin.click(result.message, "pager:next")
    assert disabled(turned.message) == {"pager:previous": False, "pager:next": True}


async def test_previous_turns_back(standin: StandIn, bot):
    result = await paged_list(standin)
    await standin.click(result.message, "pager:next")
    back = await standin.click(result.message, "pager:previous")
    assert footer(back.message) == "Page 1/2 · 33 actors"


async def test_another_user_cannot_page_and_is_told_so_privately(standin: StandIn, bot):
    result = await paged_list(standin)
    refused = await standin.click(result.message, "pager:next", user=standin.find_user("owner"))
    assert (refused.ephemeral, refused.content.startswith("Only member can page this")) == (True, True)


async def test_another_users_click_leaves_the_page_alone(standin: StandIn, bot):
    result = await paged_list(standin)
    await standin.click(result.message, "pager:next", user=standin.find_user("owner"))
    assert footer(result.message) == "Page 1/2 · 33 actors"


async def test_a_double_click_answers_both_clicks_without_error(standin: StandIn, bot):
    result = await paged_list(standin)
    clicks = await asyncio.gather(*(standin.click(result.message, "pager:next") for _ in range(2)))
    assert [(c.callback_type, c.rejections) for c in clicks] == [(7, []), (7, [])]


async def test_a_double_click_ends_on_the_last_page(standin: StandIn, bot):
    result = await paged_list(standin)
    await asyncio.gather(*(standin.click(result.message, "pager:next") for _ in range(2)))
    assert footer(result.message) == "Page 2/2 · 33 actors"


async def test_timeout_disables_the_buttons(standin: StandIn, bot):
    bot.get_cog("Actors").pager_timeout = TINY_TIMEOUT
    result = await paged_list(standin)
    await result.wait_for(lambda r: r.message is not None and all(disabled(r.message).values()), timeout=3)
    assert result.rejections == []


async def test_a_single_page_has_no_buttons(standin: StandIn, bot):
    result = await standin.slash("actors", {"kind": "person"})
    assert result.message.components == []
