"""The local playground: the real bot on the loopback Discord stand-in, driven by lines typed (or piped) in.

``make run`` without ``DISCORD_TOKEN`` lands here. A line is a slash command (``/briefing setup
channel:#briefings time:08:00``), ``press <label>`` for a button of the last answer, or a chat message
(``@bot …`` mentions the bot). Answers, and anything the bot posts to a channel meanwhile, are printed as
plain text. The bot works on a copy of the store: the copy's command-sync fingerprint and any server
settings made here never reach the real bot's store.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import sqlite3
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import closing
from pathlib import Path
from typing import Any, TextIO

import discord

from bot.client import BriefingBot
from bot.config import Settings
from bot.standin import InteractionResult, Message, StandIn
from bot.standin.limits import CHAT_INPUT, SUB_COMMAND, SUB_COMMAND_GROUP
from bot.standin.options import BOOLEAN, CHANNEL, INTEGER, MENTIONABLE, NUMBER, ROLE, STRING, USER
from bot.standin.testing import run_bot

Json = dict[str, Any]

MANAGE_GUILD = 1 << 5
CHAT_WAIT = 2.0  # seconds to wait for the bot to answer a chat line
RESPONSE_TIMEOUT = 15.0  # seconds a command may take (charts are slow on a cold start)
READY_TIMEOUT = 60.0  # seconds the bot may take to connect (a cold start on a busy machine)
EXAMPLES = (
    "/actor name:Haftar",
    "/timeline from:2019-04-01",
    "/quote speaker:Kortunov",
    "/search text:Haftar offensive",
    "/briefing setup channel:#briefings time:08:00 timezone:Europe/Moscow",
)
TYPE_NAMES = {INTEGER: "a whole number", NUMBER: "a number", BOOLEAN: "true or false"}
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}
_DISCORD_ESCAPE = re.compile(r"\\([^\w\s])")


class PlaygroundError(Exception):
    """A line the playground cannot act on; the message says what to type instead."""


# -- reading commands -----------------------------------------------------------------------------------


def command_usage(definition: Json) -> list[str]:
    """``/quote [speaker] [topic]`` lines for a command and each of its subcommands."""
    options = definition.get("options") or []
    subcommands = [o for o in options if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if subcommands:
        return [
            f"/{definition['name']} {line.removeprefix('/')}"
            for sub in subcommands
            for line in command_usage(sub)
        ]
    words = [f"{o['name']}:…" if o.get("required") else f"[{o['name']}:…]" for o in options]
    return [" ".join([f"/{definition['name']}", *words])]


def command_list(definitions: Iterable[Json]) -> str:
    lines = [line for d in sorted(definitions, key=lambda d: d["name"]) for line in command_usage(d)]
    return "Commands:\n" + "\n".join(f"  {line}" for line in lines)


def split_options(text: str, names: list[str]) -> tuple[str, dict[str, str]]:
    """The free text before the first ``name:`` and each option's value, which runs up to the next
    `` name:`` of a known option (so values may hold spaces and colons, as in ``time:08:00``)."""
    if not names:
        return text.strip(), {}
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    matches = list(re.finditer(rf"(?:^|(?<=\s))({alternatives}):", text, re.IGNORECASE))
    if not matches:
        return text.strip(), {}
    ends = [m.start() for m in matches[1:]] + [len(text)]
    values = {m[1].lower(): text[m.end() : end].strip() for m, end in zip(matches, ends, strict=True)}
    return text[: matches[0].start()].strip(), values


def parse_command(line: str, definitions: list[Json]) -> tuple[str, list[Json], dict[str, str]]:
    """``/name [sub …] key:value …`` → (the command path, the options it takes, the raw values)."""
    name, _, rest = line.removeprefix("/").strip().partition(" ")
    definition = next((d for d in definitions if d["name"] == name.lower()), None)
    if definition is None:
        raise PlaygroundError(f"There is no /{name}.\n{command_list(definitions)}")
    path, schema = [definition["name"]], definition.get("options") or []
    while any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in schema):
        word, _, rest = rest.strip().partition(" ")
        sub = next((o for o in schema if o["name"] == word.lower()), None)
        if sub is None:
            choices = ", ".join(o["name"] for o in schema)
            raise PlaygroundError(f"/{' '.join(path)} needs one of: {choices}.\n{command_list([definition])}")
        path.append(sub["name"])
        schema = sub.get("options") or []
    free, values = split_options(rest, [o["name"] for o in schema])
    if free:
        unset = [o["name"] for o in schema if o["name"] not in values]
        if not unset:
            raise PlaygroundError(f"Write options as name:value.\n{command_list([definition])}")
        values[unset[0]] = free
    return " ".join(path), schema, values


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError(text)
    return word in TRUE_WORDS


def pick_choice(option: Json, raw: str) -> Any:
    """A choice by its value or its display name (any case)."""
    for choice in option["choices"]:
        if raw.casefold() in (str(choice["value"]).casefold(), choice["name"].casefold()):
            return choice["value"]
    names = ", ".join(choice["name"] for choice in option["choices"])
    raise PlaygroundError(f"{option['name']}: choose one of {names}")


# -- showing answers ------------------------------------------------------------------------------------


def readable(text: str) -> str:
    """Text as Discord shows it: markdown escapes (``\\(``) without their backslash."""
    return _DISCORD_ESCAPE.sub(r"\1", text)


def indent(text: str, prefix: str) -> list[str]:
    return [(prefix + line).rstrip() for line in readable(text).splitlines()]


def render_embed(embed: Json) -> list[str]:
    lines = []
    if embed.get("author", {}).get("name"):
        lines += indent(embed["author"]["name"], "  │ ")
    if embed.get("title"):
        lines += indent(embed["title"], "  ┌ ")
    if embed.get("description"):
        lines += indent(embed["description"], "  │ ")
    for field in embed.get("fields") or []:
        lines += indent(field["name"], "  │ ▸ ") + indent(field["value"], "  │   ")
    if embed.get("image", {}).get("url"):
        lines.append(f"  │ (image: {embed['image']['url']})")
    lines += indent(embed.get("footer", {}).get("text") or "", "  └ ") or ["  └"]
    return lines


def render_component(component: Json) -> str:
    if component.get("type") == 2:  # button
        label = component.get("label") or (component.get("emoji") or {}).get("name") or "?"
        if component.get("url"):
            return f"[{label} ↗ {component['url']}]"
        return f"[{label}{', disabled' if component.get('disabled') else ''}]"
    options = " / ".join(o["label"] for o in component.get("options") or [])
    return f"<{component.get('placeholder') or 'choose'}: {options}>" if options else "<select>"


def render_message(message: Message, header: str) -> str:
    lines = [header + (" (only you can see this)" if message.ephemeral else "") + ":"]
    lines += indent(message.content, "  ")
    for embed in message.embeds:
        lines += render_embed(embed)
    for row in message.components:
        lines.append("  " + " ".join(render_component(c) for c in row.get("components") or [row]))
    lines += [f"  (attachment: {a.filename}, {len(a.data)} bytes)" for a in message.attachments]
    return "\n".join(lines)


def render_result(result: InteractionResult, bot_name: str) -> str:
    parts = [render_message(message, bot_name) for message in result.all_messages() if not message.deleted]
    if result.modal is not None:
        parts.append(
            f"(the bot opened the form “{result.modal.get('title')}”; forms can't be filled in here)"
        )
    parts += [f"(the stand-in refused a request of the bot: {r.status} {r.body})" for r in result.rejections]
    return "\n".join(parts) or "(the bot acknowledged without answering)"


def buttons(messages: Iterable[Message]) -> Iterable[tuple[Message, Json]]:
    for message in messages:
        for row in message.components:
            for component in row.get("components") or []:
                if component.get("type") == 2:
                    yield message, component


# -- the playground ----------------------------------------------------------------------------------------


class Playground:
    """One server ("Playground": #general, #briefings), one user ("you", Manage Server), and a bot."""

    def __init__(self, standin: StandIn, out: TextIO) -> None:
        self.standin = standin
        self.out = out
        owner = standin.add_user("Playground owner")
        self.you = standin.add_user("you")
        self.guild = standin.add_guild("Playground", owner=owner)
        standin.add_member(self.guild, self.you, [standin.add_role(self.guild, "Manager", MANAGE_GUILD)])
        self.general = standin.add_channel(self.guild, "general", topic="Try the bot here")
        standin.add_channel(self.guild, "briefings", topic="Daily briefings")
        standin.default_channel, standin.default_user = self.general, self.you
        self.last: list[Message] = []  # the messages of the last answer, for "press"
        self.seen: set[int] = set()
        self.output = asyncio.Lock()

    @property
    def definitions(self) -> list[Json]:
        return [d for d in self.standin.commands.get(None, []) if d.get("type", CHAT_INPUT) == CHAT_INPUT]

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def handle(self, line: str) -> str:
        """What to print for one input line."""
        try:
            if line.startswith("/"):
                return await self.command(line)
            if line.lower().startswith("press "):
                return await self.press(line[6:].strip())
            if line.lower() in ("commands", "help"):
                return command_list(self.definitions) + "\n(/help asks the bot itself.)"
            return await self.chat(line)
        except (PlaygroundError, LookupError, ValueError, PermissionError) as error:
            return f"(playground) {error}"
        except TimeoutError as error:
            return f"(no answer: {error})"

    async def command(self, line: str) -> str:
        path, schema, raw = parse_command(line, self.definitions)
        by_name = {option["name"]: option for option in schema}
        options = {name: self.convert(by_name[name], value) for name, value in raw.items()}
        result = await self.standin.slash(path, options, channel=self.general, user=self.you)
        return self.answer(result)

    async def press(self, label: str) -> str:
        found = [
            (m, b) for m, b in buttons(self.last) if label.casefold() == (b.get("label") or "").casefold()
        ]
        if not found or "custom_id" not in found[0][1]:
            offered = " ".join(render_component(b) for _, b in buttons(self.last)) or "none"
            raise PlaygroundError(f"No button “{label}” to press on the last answer (buttons: {offered}).")
        message, button = found[0]
        return self.answer(await self.standin.click(message, button["custom_id"], user=self.you))

    def answer(self, result: InteractionResult) -> str:
        self.last = result.all_messages()
        return render_result(result, self.standin.bot_user.username)

    async def chat(self, line: str) -> str:
        """Post a chat line in #general (``@bot …`` mentions the bot) and show the bot's reply, if any."""
        mention = line.lower().startswith("@bot")
        text = line[4:].strip() if mention else line
        sent = self.standin.user_message(text, channel=self.general, author=self.you, mention_bot=mention)
        try:
            await self.standin.changed.wait_until(
                lambda: any(m.id > sent.id for m in self.posts()), CHAT_WAIT
            )
        except TimeoutError:
            hint = "" if mention else "; start a line with @bot to mention it"
            return f"(no answer from the bot{hint})"
        return self.render_posts()

    def posts(self) -> list[Message]:
        """Messages the bot posted to a channel (not answers to a command) that were not shown yet."""
        return [
            message
            for channel in self.guild.channels.values()
            for message in channel.visible_messages()
            if message.author.id == self.standin.bot_user.id
            and message.interaction is None
            and message.id not in self.seen
        ]

    def render_posts(self) -> str:
        rendered = []
        for message in self.posts():
            channel = self.guild.channels[message.channel_id]
            rendered.append(render_message(message, f"[#{channel.name}] {message.author.username}"))
            self.seen.add(message.id)
        return "\n".join(rendered)

    async def watch_channels(self) -> None:
        """Print what the bot posts on its own (e.g. a scheduled briefing) while nothing else is printing."""
        while True:
            with contextlib.suppress(TimeoutError):
                await self.standin.changed.wait_until(lambda: bool(self.posts()), timeout=60)
            async with self.output:
                if posts := self.render_posts():
                    self.say(posts)

    def convert(self, option: Json, raw: str) -> Any:
        """An option value typed as text → what the stand-in sends for the option's type."""
        if option.get("choices"):
            return pick_choice(option, raw)
        converters: dict[int, Callable[[str], Any]] = {
            STRING: str,
            INTEGER: int,
            NUMBER: float,
            BOOLEAN: parse_bool,
            CHANNEL: lambda text: self.standin.find_channel(text.lstrip("#"), self.guild),
            USER: lambda text: self.standin.find_user(text.lstrip("@")),
            ROLE: self.role,
            MENTIONABLE: self.mentionable,
        }
        converter = converters.get(option["type"])
        if converter is None:
            raise PlaygroundError(f"{option['name']}: this kind of option can't be typed in the playground")
        try:
            return converter(raw)
        except ValueError:
            wanted = TYPE_NAMES.get(option["type"], "a value")
            raise PlaygroundError(f"{option['name']}: expected {wanted}, got {raw!r}") from None

    def role(self, text: str) -> Any:
        name = text.lstrip("@")
        role = next((r for r in self.guild.roles.values() if r.name.casefold() == name.casefold()), None)
        if role is None:
            raise PlaygroundError(
                f"No role {name!r}; roles: {', '.join(r.name for r in self.guild.roles.values())}"
            )
        return role

    def mentionable(self, text: str) -> Any:
        try:
            return self.standin.find_user(text.lstrip("@"))
        except LookupError:
            return self.role(text)

    async def repl(self, lines: AsyncIterator[str], interactive: bool) -> None:
        """Handle each line until the input ends (or ``quit``), printing answers in order."""
        watcher = asyncio.create_task(self.watch_channels())
        try:
            while True:
                if interactive:
                    print("> ", end="", file=self.out, flush=True)
                line = await anext(lines, None)
                if line is None or line.strip().lower() in ("quit", "exit"):
                    break
                if not line.strip():
                    continue
                async with self.output:
                    if not interactive:
                        self.say(f"> {line.strip()}")
                    self.say(await self.handle(line.strip()))
                    if posts := self.render_posts():
                        self.say(posts)
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)


NOTICE = """\
This is the LOCAL PLAYGROUND: a stand-in for Discord on 127.0.0.1, not Discord itself.
To run the bot on real Discord, set DISCORD_TOKEN=<your bot token> in .env (see README) and run
`make run` again.
Starting the bot…"""


def usage_banner(playground: Playground) -> str:
    """How to talk to the bot, with examples of the commands it actually has."""
    names = {d["name"] for d in playground.definitions}
    examples = [f"  {e}" for e in EXAMPLES if e.removeprefix("/").split()[0] in names]
    lines = [
        'You are "you" in the server "Playground" (#general, #briefings), with the Manage Server permission.',
        "Type a slash command, e.g.:",
        *examples,
        "  /help                   what the bot knows",
        "  @bot <text>             a chat message that mentions the bot",
        "  press <label>           click a button of the last answer",
        "  commands                list the commands; quit (or end of input) to leave",
    ]
    return "\n".join(lines) + "\n"


# -- start and stop --------------------------------------------------------------------------------------


def copy_store(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (safe while another process writes)."""
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


async def stdin_lines(stream: TextIO) -> AsyncIterator[str]:
    """Lines of ``stream`` read by a daemon thread, so the loop never blocks and quitting never waits
    for a pending ``readline``."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed while a line was being read
            for line in iter(stream.readline, ""):
                loop.call_soon_threadsafe(queue.put_nowait, line)
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="playground-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


def playground_settings(settings: Settings, standin: StandIn, db_path: Path) -> Settings:
    """The user's settings pointed at the stand-in: its token and URL, one shard, global commands."""
    return dataclasses.replace(
        settings,
        token=standin.config.token,
        api_base=standin.api_base,
        db_path=db_path,
        dev_guild_id=None,
        shard_count=None,
        shard_ids=None,
    )


async def run_playground(settings: Settings) -> int:
    """Run the playground on stdin and stdout until the input ends; 0 on a clean exit."""
    print(NOTICE, flush=True)
    discord.utils.setup_logging(level=logging.WARNING, root=True)
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # "voice will NOT be supported"
    with tempfile.TemporaryDirectory(prefix="briefing-playground-") as scratch:
        db_path = Path(scratch) / "briefing.db"
        await asyncio.to_thread(copy_store, settings.db_path, db_path)
        async with StandIn(response_timeout=RESPONSE_TIMEOUT) as standin:
            playground = Playground(standin, sys.stdout)
            bot = BriefingBot(playground_settings(settings, standin, db_path))
            async with run_bot(bot, standin, timeout=READY_TIMEOUT):
                playground.say(usage_banner(playground))
                await playground.repl(stdin_lines(sys.stdin), interactive=sys.stdin.isatty())
    return 0
