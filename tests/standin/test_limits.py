"""Discord's payload limits on every message-like payload, seen through discord.py's HTTPException."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.http import MultipartParameters, Route
from discord.webhook.async_ import async_context

from bot.standin import StandIn
from bot.standin.interactions import AUTOCOMPLETE_RESULT
from tests.standin.bots import make_bot
from tests.standin_fixtures import run_bot

Payload = dict[str, Any]


def button(custom_id: str, label: str = "Go") -> Payload:
    return {"type": 2, "style": 1, "custom_id": custom_id, "label": label}


def row(*buttons: Payload) -> Payload:
    return {"type": 1, "components": list(buttons)}


def fields(count: int, name: str = "n", value: str = "v") -> list[Payload]:
    return [{"name": name, "value": value, "inline": False} for _ in range(count)]


# name: (over-limit payload, the error discord.py reports, the same payload at the limit)
CASES: dict[str, tuple[Payload, str, Payload]] = {
    "content": ({"content": "x" * 2001}, "content: Must be 2000 or fewer", {"content": "x" * 2000}),
    "embed count": (
        {"embeds": [{"title": "t"}] * 11},
        "embeds: Must be 10 or fewer",
        {"embeds": [{"title": "t"}] * 10},
    ),
    "title": (
        {"embeds": [{"title": "x" * 257}]},
        "embeds.0.title: Must be 256",
        {"embeds": [{"title": "x" * 256}]},
    ),
    "description": (
        {"embeds": [{"description": "x" * 4097}]},
        "embeds.0.description: Must be 4096",
        {"embeds": [{"description": "x" * 4096}]},
    ),
    "field count": (
        {"embeds": [{"fields": fields(26)}]},
        "embeds.0.fields: Must be 25 or fewer",
        {"embeds": [{"fields": fields(25)}]},
    ),
    "field name": (
        {"embeds": [{"fields": fields(1, name="x" * 257)}]},
        "embeds.0.fields.0.name: Must be 256",
        {"embeds": [{"fields": fields(1, name="x" * 256)}]},
    ),
    "empty field name": (
        {"embeds": [{"fields": fields(1, name="")}]},
        "embeds.0.fields.0.name: This field is required",
        {"embeds": [{"fields": fields(1, name="n")}]},
    ),
    "field value": (
        {"embeds": [{"fields": fields(1, value="x" * 1025)}]},
        "embeds.0.fields.0.value: Must be 1024",
        {"embeds": [{"fields": fields(1, value="x" * 1024)}]},
    ),
    "empty field value": (
        {"embeds": [{"fields": fields(1, value=" ")}]},
        "embeds.0.fields.0.value: This field is required",
        {"embeds": [{"fields": fields(1, value=".")}]},
    ),
    "footer": (
        {"embeds": [{"footer": {"text": "x" * 2049}}]},
        "embeds.0.footer.text: Must be 2048",
        {"embeds": [{"footer": {"text": "x" * 2048}}]},
    ),
    "author": (
        {"embeds": [{"author": {"name": "x" * 257}}]},
        "embeds.0.author.name: Must be 256",
        {"embeds": [{"author": {"name": "x" * 256}}]},
    ),
    "embed total": (
        {"embeds": [{"description": "x" * 4096}, {"description": "x" * 1900, "title": "x" * 5}]},
        "embeds: Embed size exceeds maximum size of 6000",
        {"embeds": [{"description": "x" * 4096}, {"description": "x" * 1900, "title": "x" * 4}]},
    ),
    "action rows": (
        {"components": [row(button(f"b{i}")) for i in range(6)]},
        "components: Must be 5 or fewer",
        {"components": [row(button(f"b{i}")) for i in range(5)]},
    ),
    "buttons per row": (
        {"components": [row(*(button(f"b{i}") for i in range(6)))]},
        "components.0.components: Must be 5 or fewer",
        {"components": [row(*(button(f"b{i}") for i in range(5)))]},
    ),
    "custom_id": (
        {"components": [row(button("x" * 101))]},
        "components.0.components.0.custom_id: Must be between 1 and 100",
        {"components": [row(button("x" * 100))]},
    ),
    "button label": (
        {"components": [row(button("b", label="x" * 81))]},
        "components.0.components.0.label: Must be 80",
        {"components": [row(button("b", label="x" * 80))]},
    ),
}


def outcome(error: discord.HTTPException | None) -> str:
    """ "ok", or "<status>/<code>: <discord.py's error text>"."""
    return "ok" if error is None else f"{error.status}/{error.code}: {error.text}"


def assert_outcomes(observed: dict[str, str], prefix: str = "") -> None:
    """Over-limit payloads fail with 400/50035 at the expected path; at-limit payloads pass."""
    for name, (_, error, _) in CASES.items():
        assert observed[f"{name} over"].startswith("400/50035: Invalid Form Body"), name
        assert f"In {prefix}{error}" in observed[f"{name} over"], observed[f"{name} over"]
        assert observed[f"{name} at limit"] == "ok", name


def cases() -> list[tuple[str, Payload]]:
    return [
        (f"{name} {kind}", payload)
        for name, (over, _, at) in CASES.items()
        for kind, payload in (("over", over), ("at limit", at))
    ]


@pytest.fixture
async def http_client(standin: StandIn) -> AsyncIterator[discord.Client]:
    async with run_bot(make_bot(), standin) as bot:
        yield bot


async def test_channel_messages(standin: StandIn, http_client: discord.Client) -> None:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=standin.default_channel.id)
    observed: dict[str, str] = {}
    for name, payload in cases():
        try:
            await http_client.http.request(route, json=payload)
            observed[name] = "ok"
        except discord.HTTPException as error:
            observed[name] = outcome(error)
    assert_outcomes(observed)


async def test_channel_message_edits(standin: StandIn, http_client: discord.Client) -> None:
    channel = http_client.get_channel(standin.default_channel.id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("original")
    route = Route(
        "PATCH", "/channels/{channel_id}/messages/{message_id}", channel_id=channel.id, message_id=message.id
    )
    observed: dict[str, str] = {}
    for name, payload in cases():
        try:
            await http_client.http.request(route, json=payload)
            observed[name] = "ok"
        except discord.HTTPException as error:
            observed[name] = outcome(error)
    assert_outcomes(observed)


async def test_empty_message_is_refused(standin: StandIn, http_client: discord.Client) -> None:
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=standin.default_channel.id)
    with pytest.raises(discord.HTTPException) as caught:
        await http_client.http.request(route, json={"content": ""})
    assert (caught.value.status, caught.value.code) == (400, 50006)


def raw_bot(mode: str, payloads: list[Payload], outcomes: asyncio.Queue[str]) -> discord.Client:
    """A bot whose /raw answers with the next raw payload: as callback, follow-up or @original edit."""
    bot = make_bot()

    @bot.tree.command(description="Answer with a raw payload")
    async def raw(interaction: discord.Interaction) -> None:
        adapter = async_context.get()
        payload = payloads.pop(0)
        session = interaction._session
        try:
            if mode == "callback":
                params = MultipartParameters(payload={"type": 4, "data": payload}, multipart=None, files=None)
                await adapter.create_interaction_response(
                    interaction.id, interaction.token, session=session, params=params
                )
            else:
                await interaction.response.send_message("placeholder")
                app_id, token = interaction.application_id, interaction.token
                if mode == "followup":
                    await adapter.execute_webhook(app_id, token, session=session, payload=payload, wait=True)
                else:
                    await adapter.edit_original_interaction_response(
                        app_id, token, session=session, payload=payload
                    )
            outcomes.put_nowait("ok")
        except discord.HTTPException as error:
            outcomes.put_nowait(outcome(error))

    return bot


@pytest.mark.standin(settle=0.0)
@pytest.mark.parametrize(("mode", "prefix"), [("callback", "data."), ("followup", ""), ("edit", "")])
async def test_interaction_payloads(standin: StandIn, mode: str, prefix: str) -> None:
    outcomes: asyncio.Queue[str] = asyncio.Queue()
    bot = raw_bot(mode, [payload for _, payload in cases()], outcomes)
    observed: dict[str, str] = {}
    async with run_bot(bot, standin):
        await bot.tree.sync()
        for name, _ in cases():
            result = await standin.slash("raw")
            observed[name] = await asyncio.wait_for(outcomes.get(), 5)
            if observed[name] != "ok":
                assert result.rejections[-1].code == 50035
    assert_outcomes(observed, prefix)


async def test_over_limit_reply_through_the_public_api(standin: StandIn) -> None:
    bot = make_bot()
    errors: list[discord.HTTPException] = []

    @bot.tree.command(description="Too long")
    async def ramble(interaction: discord.Interaction) -> None:
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="more", custom_id="m" * 101))
        try:
            await interaction.response.send_message(
                "x" * 2001, embed=discord.Embed(title="t" * 257), view=view
            )
        except discord.HTTPException as error:
            errors.append(error)
            await interaction.response.send_message("sorry, too long")

    async with run_bot(bot, standin):
        await bot.tree.sync()
        result = await standin.slash("ramble")
    assert result.content == "sorry, too long"
    [error] = errors
    assert "In data.content" in error.text and "In data.embeds.0.title" in error.text
    assert "In data.components.0.components.0.custom_id" in error.text
    assert result.rejections[0].body["errors"]["data"]["embeds"]["0"]["title"]["_errors"][0]["code"] == (
        "BASE_TYPE_MAX_LENGTH"
    )


async def test_autocomplete_limits(standin: StandIn) -> None:
    bot = make_bot()
    offered: list[list[app_commands.Choice[str]]] = [
        [app_commands.Choice(name=f"c{i}", value=str(i)) for i in range(26)],
        [app_commands.Choice(name="x" * 101, value="x")],
        [app_commands.Choice(name=f"c{i}", value=str(i)) for i in range(25)],
    ]

    @bot.tree.command(description="Search")
    async def search(interaction: discord.Interaction, query: str) -> None:
        await interaction.response.send_message(query)

    @search.autocomplete("query")
    async def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return offered.pop(0)

    async with run_bot(bot, standin):
        await bot.tree.sync()
        too_many = await standin.autocomplete("search", {"query": "c"}, focused="query")
        too_long = await standin.autocomplete("search", {"query": "x"}, focused="query")
        fine = await standin.autocomplete("search", {"query": "c"}, focused="query")
    assert too_many.callback_type is None and "choices" in too_many.rejections[0].body["errors"]["data"]
    assert too_many.rejections[0].body["errors"]["data"]["choices"]["_errors"][0]["message"] == (
        "Must be 25 or fewer in length."
    )
    assert "name" in too_long.rejections[0].body["errors"]["data"]["choices"]["0"]
    assert fine.callback_type == AUTOCOMPLETE_RESULT and len(fine.choices or []) == 25


def command(name: str = "ok", **overrides: Any) -> Payload:
    return {"name": name, "description": "A command", "type": 1, **overrides}


def option(name: str, *, required: bool = False, **overrides: Any) -> Payload:
    return {"name": name, "description": "An option", "type": 3, "required": required, **overrides}


INVALID_COMMANDS: dict[str, tuple[list[Payload], str]] = {
    "capitals": ([command("Echo")], "In 0.name: Command name is invalid"),
    "space": ([command("two words")], "In 0.name: Command name is invalid"),
    "33 chars": ([command("x" * 33)], "In 0.name: Command name is invalid"),
    "empty description": ([command(description="")], "In 0.description: Must be between 1 and 100"),
    "long description": ([command(description="x" * 101)], "In 0.description: Must be between 1 and 100"),
    "26 options": (
        [command(options=[option(f"o{i}") for i in range(26)])],
        "In 0.options: Must be 25 or fewer",
    ),
    "26 choices": (
        [command(options=[option("o", choices=[{"name": f"c{i}", "value": f"{i}"} for i in range(26)])])],
        "In 0.options.0.choices: Must be 25 or fewer",
    ),
    "required after optional": (
        [command(options=[option("a"), option("b", required=True)])],
        "In 0.options.1.required: Required options must be placed before non-required options",
    ),
    "duplicate options": (
        [command(options=[option("a"), option("a")])],
        "In 0.options.1.name: Option names must be unique",
    ),
    "option name": ([command(options=[option("Bad")])], "In 0.options.0.name: Command name is invalid"),
    "duplicate commands": (
        [command("a"), command("a")],
        "In 1.name: Application command names must be unique",
    ),
    "menu description": (
        [{"name": "Quote It", "type": 3, "description": "no"}],
        "In 0.description: Context menu commands cannot have a description",
    ),
    "menu name": ([{"name": "x" * 33, "type": 2}], "In 0.name: Must be between 1 and 32"),
}

VALID_COMMANDS = [
    command("brief-me_2"),
    command("café"),
    command("x" * 32, description="x" * 100, options=[option("a", required=True), option("b")]),
    {"name": "Quote This Message", "type": 3},
    {"name": "Who Is", "type": 2, "description": ""},
]


async def test_command_registration_rules(standin: StandIn, http_client: discord.Client) -> None:
    app_id = standin.application_id
    observed: dict[str, str] = {}
    for name, (payload, _) in INVALID_COMMANDS.items():
        try:
            await http_client.http.bulk_upsert_global_commands(app_id, payload)
            observed[name] = "ok"
        except discord.HTTPException as error:
            observed[name] = outcome(error)
    for name, (_, expected) in INVALID_COMMANDS.items():
        assert observed[name].startswith("400/50035") and expected in observed[name], (name, observed[name])
    stored = await http_client.http.bulk_upsert_global_commands(app_id, VALID_COMMANDS)
    assert [c["name"] for c in stored] == [c["name"] for c in VALID_COMMANDS]
    guild_id = standin.find_guild("Test Guild").id
    with pytest.raises(discord.HTTPException) as caught:
        await http_client.http.bulk_upsert_guild_commands(app_id, guild_id, [command("BAD")])
    assert caught.value.code == 50035


async def test_tree_sync_of_an_invalid_command_is_rejected(standin: StandIn) -> None:
    bot = make_bot()

    @bot.tree.command(description="Too many choices")
    @app_commands.choices(pick=[app_commands.Choice(name=f"c{i}", value=i) for i in range(26)])
    async def crowded(interaction: discord.Interaction, pick: int) -> None:
        await interaction.response.send_message(str(pick))

    async with run_bot(bot, standin):
        with pytest.raises(discord.HTTPException) as caught:
            await bot.tree.sync()
    assert caught.value.code == 50035
    assert "choices: Must be 25 or fewer in length." in caught.value.text
    assert None not in standin.commands  # nothing was stored
