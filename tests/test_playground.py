"""The playground: ``python -m bot playground`` driven by piped lines, and its line parsing and rendering."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.client import BriefingBot
from bot.config import ConfigError, load_settings
from bot.ingest import ingest
from bot.playground import (
    Display,
    Playground,
    PlaygroundError,
    display_for,
    local_zone,
    parse_bool,
    parse_command,
    split_options,
    watch_articles,
)
from bot.standin import Attachment, Message, StandIn, User
from bot.standin.testing import bot_settings, run_bot
from tests.standin.bots import make_bot
from tests.store_fixtures import ARTICLES, PIPELINE_MISSING, REPO, SEED_ARTICLE

PLAYGROUND_TIMEOUT = 120
BRIEFING_SETUP = "/briefing setup channel:#briefings time:08:00 timezone:Europe/Moscow"
MENU = "menu Look up actors: Haftar met Shoigu in Moscow"
SCRIPT = "\n".join(
    [
        "/actor name:Haftar",
        "/quote speaker:Kortunov",
        "/help",
        "/source article:War and Peace",
        "/nothing",
        BRIEFING_SETUP,
        MENU,
        "/timeline chart:true",
        "",
    ]
)
BRIEFING = {
    "name": "briefing",
    "options": [
        {
            "type": 1,
            "name": "setup",
            "options": [
                {"type": 7, "name": "channel", "required": True},
                {"type": 3, "name": "time", "required": True},
                {"type": 3, "name": "timezone"},
            ],
        },
        {"type": 1, "name": "off", "options": []},
    ],
}
SEARCH = {"name": "search", "options": [{"type": 3, "name": "text", "required": True}]}


def play(
    script: str, db_path: Path, *args: str, articles: Path = ARTICLES
) -> subprocess.CompletedProcess[str]:
    env = {  # DISCORD_TOKEN "" also overrides a .env
        **os.environ,
        "BRIEFING_DB": str(db_path),
        "BRIEFING_ARTICLES": str(articles),
        "DISCORD_TOKEN": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=script,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=PLAYGROUND_TIMEOUT,
        check=False,
    )


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if PIPELINE_MISSING:
        pytest.skip(PIPELINE_MISSING)
    path = tmp_path_factory.mktemp("playground") / "briefing.db"
    ingest([ARTICLES], path)
    return path


@pytest.fixture(scope="module")
def session(db_path: Path) -> subprocess.CompletedProcess[str]:
    """One playground run over ``SCRIPT``; the tests below each read one thing from its transcript."""
    return play(SCRIPT, db_path, "playground")


def answer_to(session: subprocess.CompletedProcess[str], line: str) -> str:
    """The output printed for one input line (up to the next echoed line)."""
    return session.stdout.split(f"> {line}\n", 1)[1].split("\n> ", 1)[0]


# -- the whole program ---------------------------------------------------------------------------------


def test_playground_exits_with_0_at_the_end_of_input(session: subprocess.CompletedProcess[str]) -> None:
    assert session.returncode == 0, session.stderr


def test_playground_says_it_is_local_and_not_discord(session: subprocess.CompletedProcess[str]) -> None:
    assert session.stdout.startswith("This is the LOCAL PLAYGROUND: a stand-in for Discord on 127.0.0.1,")


def test_playground_says_how_to_connect_to_discord(session: subprocess.CompletedProcess[str]) -> None:
    assert "set DISCORD_TOKEN=<your bot token> in .env (see README)" in session.stdout


def test_playground_shows_the_actor_profile(session: subprocess.CompletedProcess[str]) -> None:
    profile = answer_to(session, "/actor name:Haftar")
    assert "Khalifa Haftar" in profile and "Libyan National Army leader" in profile


def test_playground_shows_a_statement(session: subprocess.CompletedProcess[str]) -> None:
    assert "▸ Andrei Kortunov · 9 Apr 2019" in answer_to(session, "/quote speaker:Kortunov")


def test_playground_shows_the_bots_help(session: subprocess.CompletedProcess[str]) -> None:
    assert "┌ What I know" in answer_to(session, "/help")


def test_playground_marks_answers_only_the_user_sees(session: subprocess.CompletedProcess[str]) -> None:
    assert answer_to(session, "/source article:War and Peace").startswith(
        "Briefing Bot (only you can see this):"
    )


def test_playground_lists_the_commands_for_an_unknown_one(session: subprocess.CompletedProcess[str]) -> None:
    assert "  /search text:…" in answer_to(session, "/nothing")


def test_playground_keeps_logs_quiet(session: subprocess.CompletedProcess[str]) -> None:
    assert "INFO" not in session.stderr


def test_playground_shows_channels_by_name_and_times_as_discord_would(
    session: subprocess.CompletedProcess[str],
) -> None:
    answer = answer_to(session, BRIEFING_SETUP)
    assert "Daily briefing in #briefings at" in answer
    assert re.search(r"· in (\d+ hours|an hour|\d+ minutes|a day)\n", answer), answer
    assert "<#" not in answer and "<t:" not in answer


def test_playground_uses_the_message_menu_on_a_message_it_posts(
    session: subprocess.CompletedProcess[str],
) -> None:
    answer = answer_to(session, MENU)
    assert "┌ Khalifa Haftar" in answer and "┌ Sergei Shoigu" in answer


def test_playground_saves_the_chart_and_prints_its_path(session: subprocess.CompletedProcess[str]) -> None:
    answer = answer_to(session, "/timeline chart:true")
    saved = re.search(r"\(attachment: timeline\.png, (\d+) bytes → (.+)\)", answer)
    assert saved is not None, answer
    chart = Path(saved[2])
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size == int(saved[1])
    assert f"(image: {chart})" in answer  # the embed shows the saved file, not attachment://


def test_running_without_a_token_starts_the_playground(db_path: Path) -> None:
    assert "┌ What I know" in play("/help\n", db_path).stdout


def test_make_run_without_a_token_starts_the_playground(db_path: Path) -> None:
    """``printf '/help\\n' | make run``, as the README says, in the installed checkout."""
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    installed = subprocess.run(["make", "-q", ".venv/.installed"], cwd=REPO, capture_output=True, check=False)
    if installed.returncode != 0:
        pytest.skip("make has not installed .venv here yet (run make test)")
    env = {**os.environ, "BRIEFING_DB": str(db_path), "BRIEFING_ARTICLES": str(ARTICLES), "DISCORD_TOKEN": ""}
    for inherited in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # e.g. -s from an outer `make -s test`
        env.pop(inherited, None)
    done = subprocess.run(
        ["make", "run"],
        input="/help\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=PLAYGROUND_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(".venv/bin/python -m bot run\n")  # make's echo of the recipe
    assert "┌ What I know" in done.stdout


def test_start_up_skips_every_bad_article_file_names_each_and_starts(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder)
    bad = {
        "empty.txt": (b"", "the file is empty"),
        "latin1.md": ("Caf\xe9".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 3)"),
        "zip.txt": (b"PK\x03\x04\x00\x00", "binary file (contains NUL bytes), not an article"),
    }
    for name, (content, _) in bad.items():
        (folder / name).write_bytes(content)
    session = play("/actor name:Haftar\n", tmp_path / "new.db", "playground", articles=folder)
    assert session.returncode == 0, session.stderr
    skipped = [line for line in session.stderr.splitlines() if line.startswith("skipped ")]
    assert skipped == [f"skipped {folder / name}: {reason}" for name, (_, reason) in sorted(bad.items())]
    assert "3 article files skipped; the bot starts with the others." in session.stderr
    assert "Khalifa Haftar" in answer_to(session, "/actor name:Haftar")


GENEVA = """---
title: Talks in Geneva
published: 2019-05-02
---
On May 2, Ghassan Salame, the UN envoy for Libya, said that both sides had agreed to meet in Geneva.
"""


async def test_the_playground_sees_articles_added_while_it_runs(standin: StandIn, tmp_path: Path) -> None:
    if PIPELINE_MISSING:
        pytest.skip(PIPELINE_MISSING)
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder)
    settings = bot_settings(standin, tmp_path / "playground-copy.db", folder)
    refresh = watch_articles(settings)
    assert await refresh() == "(articles: added russia-mediation-goals-in-libya)"  # builds the copy
    world = Playground(standin, io.StringIO(), refresh=refresh)
    async with run_bot(BriefingBot(settings), standin):
        assert "┌ Ghassan Salame" not in await world.handle("/actor name:Ghassan Salame")
        (folder / "talks-in-geneva.md").write_text(GENEVA, encoding="utf-8")
        (folder / "half-written.md").write_bytes(b"")
        answer = await world.handle("/actor name:Ghassan Salame")
        assert answer.startswith(
            "(articles: added talks-in-geneva)\n"
            f"(articles: skipped {folder / 'half-written.md'}: the file is empty)\n"
        )
        assert "┌ Ghassan Salame" in answer
        again = await world.handle("/actor name:Ghassan Salame")
        assert again.startswith("Briefing Bot")  # nothing new: no news, the skipped file not named twice


# -- lines in, answers out, in-process with a small demo bot ----------------------------------------------


IN_THREE_HOURS = 3 * 3600 + 30


@app_commands.command(description="Discord markup the playground must render")
async def markup(interaction: discord.Interaction) -> None:
    assert interaction.guild is not None
    manager = discord.utils.get(interaction.guild.roles, name="Manager")
    assert manager is not None
    soon, past = int(time.time()) + IN_THREE_HOURS, int(time.time()) - IN_THREE_HOURS
    await interaction.response.send_message(
        f"<t:0:f> | <t:0> | <t:0:t> | <t:{soon}:R> | <t:{past}:R> | <#{interaction.channel_id}> "
        f"| <@{interaction.user.id}> | <@&{manager.id}> | <#1>"
    )


class FlavourMenu(discord.ui.View):
    @discord.ui.select(
        custom_id="flavour",
        placeholder="Pick a flavour",
        options=[
            discord.SelectOption(label="Vanilla", value="v"),
            discord.SelectOption(label="Chocolate", value="c"),
        ],
    )
    async def flavour(self, interaction: discord.Interaction, select: discord.ui.Select[FlavourMenu]) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}")


@app_commands.command(description="A select menu")
async def flavours(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("Which one?", view=FlavourMenu())


@app_commands.command(description="The size of a file")
async def size(interaction: discord.Interaction, file: discord.Attachment) -> None:
    data = await file.read()
    await interaction.response.send_message(f"{file.filename}: {len(data)} bytes")


@pytest.fixture
async def demo(standin: StandIn) -> AsyncIterator[tuple[Playground, commands.Bot]]:
    """A playground world on the stand-in, with the demo bot of the stand-in's own tests connected."""
    world = Playground(standin, io.StringIO(), Display(zone=ZoneInfo("Asia/Tokyo"), world=standin.world))
    bot = make_bot()
    bot.tree.add_command(markup)
    bot.tree.add_command(flavours)
    bot.tree.add_command(size)
    async with run_bot(bot, standin):
        await bot.tree.sync()
        yield world, bot


@pytest.fixture
def playground(demo: tuple[Playground, commands.Bot]) -> Playground:
    return demo[0]


async def test_options_are_converted_to_the_command_s_types(playground: Playground) -> None:
    assert await playground.handle("/echo text:hi there times:2 loud:yes") == (
        "Briefing Bot:\n  HI THERE HI THERE"
    )


async def test_a_file_option_uploads_the_file_at_that_path(playground: Playground, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_bytes(b"# Note\n")
    assert await playground.handle(f"/size file:{note}") == "Briefing Bot:\n  note.md: 7 bytes"
    missing = await playground.handle(f"/size file:{tmp_path / 'gone.md'}")
    assert missing.startswith("(playground) file: cannot read") and "gone.md" in missing


async def test_channel_user_and_role_names_resolve_in_the_playground_server(playground: Playground) -> None:
    answer = await playground.handle("/whois member:@you channel:#briefings role:Manager")
    assert answer == "Briefing Bot:\n  you in #briefings with @Manager"


async def test_subcommands_are_extra_words(playground: Playground) -> None:
    answer = await playground.handle("/brief config set key:depth value:3")
    assert answer == "Briefing Bot (only you can see this):\n  depth=3"


async def test_a_choice_can_be_typed_by_its_name(playground: Playground) -> None:
    assert await playground.handle("/pick colour:Red") == "Briefing Bot:\n  picked red"


async def test_press_clicks_a_button_of_the_last_answer(playground: Playground) -> None:
    await playground.handle("/confirm")
    assert await playground.handle("press confirm") == "Briefing Bot:\n  Confirmed by you"


async def test_buttons_are_shown_as_labels(playground: Playground) -> None:
    assert (await playground.handle("/confirm")).endswith("\n  [Confirm]")


async def test_attachments_are_shown_with_name_and_size(playground: Playground) -> None:
    assert (await playground.handle("/report")).endswith("(attachment: report.csv, 8 bytes)")


async def test_timestamps_channels_users_and_roles_are_shown_as_discord_shows_them(
    playground: Playground,
) -> None:
    assert await playground.handle("/markup") == (
        "Briefing Bot:\n  1 January 1970 09:00 | 1 January 1970 09:00 | 09:00 | in 3 hours | 3 hours ago"
        " | #general | @you | @Manager | <#1>"
    )


async def test_choose_picks_an_option_of_a_select_menu_by_its_label(playground: Playground) -> None:
    assert (await playground.handle("/flavours")).endswith("<Pick a flavour: Vanilla / Chocolate>")
    assert await playground.handle("choose chocolate") == "Briefing Bot:\n  picked c"
    assert (await playground.handle("choose mint")).startswith("(playground) No option “mint” in a menu")


async def test_menu_without_a_known_menu_name_says_what_to_type(playground: Playground) -> None:
    answer = await playground.handle("menu Shout: hello")
    assert answer == "(playground) Write menu Quote Message: <message text>"


async def test_menu_runs_the_message_menu_on_the_posted_text(playground: Playground) -> None:
    answer = await playground.handle("menu quote message: Tripoli is quiet")
    assert "Tripoli is quiet" in answer and answer.startswith("Briefing Bot")


async def test_attachments_are_saved_to_the_folder_and_their_path_printed(
    playground: Playground, tmp_path: Path
) -> None:
    playground.display.files = tmp_path / "files"
    answer = await playground.handle("/report")
    [path] = (tmp_path / "files").iterdir()
    assert answer.endswith(f"(attachment: report.csv, 8 bytes → {path})")
    assert path.read_bytes() == b"a,b\n1,2\n"


async def test_a_wrong_number_says_what_was_expected(playground: Playground) -> None:
    answer = await playground.handle("/echo text:x times:many")
    assert answer == "(playground) times: expected a whole number, got 'many'"


async def test_what_the_bot_posts_to_a_channel_is_shown_with_the_channel(
    demo: tuple[Playground, commands.Bot],
) -> None:
    playground, bot = demo
    channel = bot.get_partial_messageable(playground.standin.find_channel("briefings", playground.guild).id)
    await channel.send("Morning briefing")
    assert playground.render_posts() == "[#briefings] Briefing Bot:\n  Morning briefing"


async def test_a_chat_line_the_bot_ignores_says_so(playground: Playground) -> None:
    answer = await playground.handle("hello")
    assert answer == "(no answer from the bot; start a line with @bot to mention it)"


# -- parsing and rendering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "/briefing setup channel:#briefings time:08:00 timezone:Europe/Moscow",
            ("briefing setup", {"channel": "#briefings", "time": "08:00", "timezone": "Europe/Moscow"}),
        ),
        ("/search text:Haftar offensive in Tripoli", ("search", {"text": "Haftar offensive in Tripoli"})),
        ("/search text:note: Haftar", ("search", {"text": "note: Haftar"})),
        ("/search Haftar offensive", ("search", {"text": "Haftar offensive"})),
        ("/SEARCH TEXT:Haftar", ("search", {"text": "Haftar"})),
    ],
)
def test_a_command_line_becomes_a_command_and_its_option_values(line: str, expected: Any) -> None:
    path, _schema, values = parse_command(line, [BRIEFING, SEARCH])
    assert (path, values) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/nothing", "There is no /nothing.\nCommands:\n  /briefing setup channel:… time:… [timezone:…]"),
        ("/briefing", "/briefing needs one of: setup, off."),
        ("/briefing off now", "Write options as name:value."),
    ],
)
def test_a_command_line_that_cannot_be_sent_says_what_to_type(line: str, message: str) -> None:
    with pytest.raises(PlaygroundError, match="^" + message.replace(".", r"\.").replace("[", r"\[")):
        parse_command(line, [BRIEFING, SEARCH])


def test_text_before_any_option_is_kept_apart() -> None:
    assert split_options(" Haftar  on:2019 ", ["on"]) == ("Haftar", {"on": "2019"})


@pytest.mark.parametrize(("text", "expected"), [("yes", True), ("True", True), ("off", False), ("0", False)])
def test_booleans_are_typed_as_words(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


def test_a_message_renders_as_readable_text() -> None:
    message = Message(
        id=1,
        channel_id=2,
        guild_id=3,
        author=User(4, "Briefing Bot", bot=True),
        content="Hello",
        embeds=[
            {
                "title": "Statements",
                "description": r"Haftar \(LNA\)",
                "fields": [{"name": "Kortunov", "value": "said it"}],
                "footer": {"text": "1 of 1"},
            }
        ],
        components=[{"type": 1, "components": [{"type": 2, "label": "Next", "custom_id": "n"}]}],
        attachments=[Attachment(5, "chart.png", b"12345")],
        flags=discord.MessageFlags(ephemeral=True).value,
    )
    assert Display().message(message, "Bot") == (
        "Bot (only you can see this):\n  Hello\n  ┌ Statements\n  │ Haftar (LNA)\n  │ ▸ Kortunov\n"
        "  │   said it\n  └ 1 of 1\n  [Next]\n  (attachment: chart.png, 5 bytes)"
    )


def test_playground_timezone_is_an_iana_name_or_the_machines_zone(tmp_path: Path) -> None:
    world = StandIn().world
    berlin = load_settings({"PLAYGROUND_TIMEZONE": "Europe/Berlin"}, env_file=None)
    assert display_for(berlin, world).zone == ZoneInfo("Europe/Berlin")
    assert display_for(load_settings({}, env_file=None), world).zone == local_zone()
    with pytest.raises(ConfigError, match="PLAYGROUND_TIMEZONE must be an IANA time zone name"):
        load_settings({"PLAYGROUND_TIMEZONE": "UTC+2"}, env_file=None)
