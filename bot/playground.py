"""The local playground: the real bot on the loopback Discord stand-in, driven by lines typed (or piped) in.

``make run`` without ``DISCORD_TOKEN`` lands here. A line is a slash command (``/briefing setup
channel:#briefings time:08:00``), ``press <label>`` for a button of the last answer, ``choose <label>`` for
an option of its select menu, ``menu <name>: <text>`` for a message menu, or a chat message (``@bot …``
mentions the bot). Answers, and anything the bot posts to a channel meanwhile, are printed as Discord
would show them: times in the user's zone, channels and users by name, attachments saved to a folder.
The bot works on a copy of the store, brought up to date with the article folder before each line: the
copy's command-sync fingerprint and any server settings made here never reach the real bot's store.
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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import discord

from bot.client import BriefingBot
from bot.config import Settings
from bot.ingest import StoreCheck, ensure_store
from bot.standin import Attachment, InteractionResult, Message, StandIn
from bot.standin.limits import CHAT_INPUT, MESSAGE_COMMAND, STRING_SELECT, SUB_COMMAND, SUB_COMMAND_GROUP
from bot.standin.model import World
from bot.standin.options import (
    ATTACHMENT,
    BOOLEAN,
    CHANNEL,
    INTEGER,
    MENTIONABLE,
    NUMBER,
    ROLE,
    STRING,
    USER,
)
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


def read_attachment(text: str) -> tuple[str, bytes]:
    """``file:path/to/article.md``: the file on this machine, uploaded as Discord would."""
    path = Path(text.strip()).expanduser()
    try:
        return path.name, path.read_bytes()
    except OSError as error:
        raise PlaygroundError(f"file: cannot read {path} ({error.strerror or error})") from None


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


# Discord's timestamp styles (https://discord.com/developers/docs/reference#message-formatting), 24-hour.
TIMESTAMP_STYLES = {
    "t": "%H:%M",
    "T": "%H:%M:%S",
    "d": "%d/%m/%Y",
    "D": "%-d %B %Y",
    "f": "%-d %B %Y %H:%M",
    "F": "%A, %-d %B %Y %H:%M",
}
_MARKUP = re.compile(r"<t:(?P<ts>-?\d{1,13})(?::(?P<style>[tTdDfFR]))?>|<(?P<kind>#|@!?|@&)(?P<id>\d{1,20})>")
# (limit in seconds, unit in seconds or None for "a …", words): moment.js's thresholds, which Discord uses.
_RELATIVE = (
    (45, None, "a few seconds"),
    (90, None, "a minute"),
    (45 * 60, 60, "minutes"),
    (90 * 60, None, "an hour"),
    (22 * 3600, 3600, "hours"),
    (36 * 3600, None, "a day"),
    (26 * 86400, 86400, "days"),
    (45 * 86400, None, "a month"),
    (320 * 86400, 30.4 * 86400, "months"),
    (548 * 86400, None, "a year"),
    (float("inf"), 365 * 86400, "years"),
)


def relative_time(seconds: float) -> str:
    """``seconds`` from now as Discord words it: "in 3 hours", "2 days ago"."""
    span = abs(seconds)
    _, unit, words = next(row for row in _RELATIVE if span < row[0])
    amount = words if unit is None else f"{round(span / unit)} {words}"
    return f"in {amount}" if seconds >= 0 else f"{amount} ago"


def local_zone() -> tzinfo:
    """The machine's time zone (the user's, for the playground)."""
    return datetime.now().astimezone().tzinfo or UTC


@dataclass
class Display:
    """Messages as Discord would show them to the playground's user: markdown escapes removed,
    ``<t:…>`` in the user's time zone, ``<#id>``/``<@id>``/``<@&id>`` by name, attachments saved to
    ``files`` (when set) with their path shown."""

    zone: tzinfo = UTC
    world: World | None = None
    files: Path | None = None
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def text(self, text: str) -> str:
        return _MARKUP.sub(self._markup, readable(text))

    def _markup(self, match: re.Match[str]) -> str:
        if match["ts"] is not None:
            try:
                instant = datetime.fromtimestamp(int(match["ts"]), UTC)
            except (OverflowError, OSError, ValueError):
                return match[0]
            if match["style"] == "R":
                return relative_time((instant - self.now()).total_seconds())
            return instant.astimezone(self.zone).strftime(TIMESTAMP_STYLES[match["style"] or "f"])
        found = self._name(match["kind"], int(match["id"]))
        return match[0] if found is None else found

    def _name(self, kind: str, snowflake: int) -> str | None:
        if self.world is None:
            return None
        if kind == "#":
            channel = self.world.channels.get(snowflake)
            return None if channel is None else f"#{channel.name}"
        if kind == "@&":
            roles = (g.roles.get(snowflake) for g in self.world.guilds.values())
            role = next((r for r in roles if r is not None), None)
            return None if role is None else f"@{role.name}"
        user = self.world.users.get(snowflake)
        return None if user is None else f"@{user.username}"

    def indent(self, text: str, prefix: str) -> list[str]:
        return [(prefix + line).rstrip() for line in self.text(text).splitlines()]

    def embed(self, embed: Json, saved: dict[str, str]) -> list[str]:
        lines = []
        if embed.get("author", {}).get("name"):
            lines += self.indent(embed["author"]["name"], "  │ ")
        if embed.get("title"):
            lines += self.indent(embed["title"], "  ┌ ")
        if embed.get("description"):
            lines += self.indent(embed["description"], "  │ ")
        for embed_field in embed.get("fields") or []:
            lines += self.indent(embed_field["name"], "  │ ▸ ") + self.indent(embed_field["value"], "  │   ")
        if url := embed.get("image", {}).get("url"):
            lines.append(f"  │ (image: {saved.get(url.removeprefix('attachment://'), url)})")
        lines += self.indent(embed.get("footer", {}).get("text") or "", "  └ ") or ["  └"]
        return lines

    def message(self, message: Message, header: str) -> str:
        saved = {a.filename: self.save(message, a) for a in message.attachments}
        lines = [header + (" (only you can see this)" if message.ephemeral else "") + ":"]
        lines += self.indent(message.content, "  ")
        for embed in message.embeds:
            lines += self.embed(embed, saved)
        for row in message.components:
            lines.append("  " + " ".join(render_component(c) for c in row.get("components") or [row]))
        for attachment in message.attachments:
            path = saved[attachment.filename]
            at = "" if path == attachment.filename else f" → {path}"
            lines.append(f"  (attachment: {attachment.filename}, {len(attachment.data)} bytes{at})")
        return "\n".join(lines)

    def save(self, message: Message, attachment: Attachment) -> str:
        """Write the attachment to ``files`` (``<message id>-<name>``); its path, or its name if not kept."""
        if self.files is None:
            return attachment.filename
        self.files.mkdir(parents=True, exist_ok=True)
        path = self.files / f"{message.id}-{Path(attachment.filename).name}"
        path.write_bytes(attachment.data)
        return str(path)

    def result(self, result: InteractionResult, bot_name: str) -> str:
        parts = [self.message(message, bot_name) for message in result.all_messages() if not message.deleted]
        if result.modal is not None:
            parts.append(
                f"(the bot opened the form “{result.modal.get('title')}”; forms can't be filled in here)"
            )
        parts += [
            f"(the stand-in refused a request of the bot: {r.status} {r.body})" for r in result.rejections
        ]
        return "\n".join(parts) or "(the bot acknowledged without answering)"


def render_component(component: Json) -> str:
    if component.get("type") == 2:  # button
        label = component.get("label") or (component.get("emoji") or {}).get("name") or "?"
        if component.get("url"):
            return f"[{label} ↗ {component['url']}]"
        return f"[{label}{', disabled' if component.get('disabled') else ''}]"
    options = " / ".join(o["label"] for o in component.get("options") or [])
    return f"<{component.get('placeholder') or 'choose'}: {options}>" if options else "<select>"


def components(messages: Iterable[Message], kind: int) -> Iterable[tuple[Message, Json]]:
    """The components of one type (2 buttons, 3 select menus) on these messages."""
    for message in messages:
        for row in message.components:
            for component in row.get("components") or []:
                if component.get("type") == kind:
                    yield message, component


# -- the playground ----------------------------------------------------------------------------------------


class Playground:
    """One server ("Playground": #general, #briefings), one user ("you", Manage Server), and a bot."""

    def __init__(
        self,
        standin: StandIn,
        out: TextIO,
        display: Display | None = None,
        refresh: Callable[[], Awaitable[str]] | None = None,
    ) -> None:
        self.standin = standin
        self.out = out
        self.display = display or Display(world=standin.world)
        self.refresh = refresh  # brings the bot's store up to date with the article folder; says what changed
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
        """What to print for one input line (after news of the article folder, if any)."""
        news = await self.refresh() if self.refresh else ""
        return "\n".join(part for part in (news, await self.act(line)) if part)

    async def act(self, line: str) -> str:
        word = line.split(maxsplit=1)[0].lower()
        try:
            if line.startswith("/"):
                return await self.command(line)
            if word == "press":
                return await self.press(line[6:].strip())
            if word == "choose":
                return await self.choose(line[7:].strip())
            if word == "menu":
                return await self.menu(line[5:].strip())
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
        buttons = list(components(self.last, 2))
        found = [(m, b) for m, b in buttons if label.casefold() == (b.get("label") or "").casefold()]
        if not found or "custom_id" not in found[0][1]:
            offered = " ".join(render_component(b) for _, b in buttons) or "none"
            raise PlaygroundError(f"No button “{label}” to press on the last answer (buttons: {offered}).")
        message, button = found[0]
        return self.answer(await self.standin.click(message, button["custom_id"], user=self.you))

    async def choose(self, label: str) -> str:
        """Pick the option labelled ``label`` in a select menu of the last answer."""
        menus = list(components(self.last, STRING_SELECT))
        for message, menu in menus:
            for option in menu.get("options") or []:
                if label.casefold() == option["label"].casefold():
                    result = await self.standin.click(
                        message, menu["custom_id"], values=[option["value"]], user=self.you
                    )
                    return self.answer(result)
        offered = " ".join(render_component(m) for _, m in menus) or "none"
        raise PlaygroundError(f"No option “{label}” in a menu of the last answer (menus: {offered}).")

    async def menu(self, text: str) -> str:
        """``<menu name>: <message text>``: post the message in #general, then use the bot's message menu."""
        menus = [d["name"] for d in self.standin.commands.get(None, []) if d.get("type") == MESSAGE_COMMAND]
        name, colon, content = text.partition(":")
        chosen = next((m for m in menus if m.casefold() == name.strip().casefold()), None)
        if not colon or chosen is None or not content.strip():
            usage = ", ".join(f"menu {m}: <message text>" for m in menus) or "the bot has no message menu"
            raise PlaygroundError(f"Write {usage}")
        target = self.standin.user_message(content.strip(), channel=self.general, author=self.you)
        result = await self.standin.message_command(chosen, target, user=self.you)
        return self.answer(result)

    def answer(self, result: InteractionResult) -> str:
        self.last = result.all_messages()
        return self.display.result(result, self.standin.bot_user.username)

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
            rendered.append(self.display.message(message, f"[#{channel.name}] {message.author.username}"))
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
            ATTACHMENT: read_attachment,
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
    menus = [d["name"] for d in playground.standin.commands.get(None, []) if d.get("type") == MESSAGE_COMMAND]
    lines = [
        'You are "you" in the server "Playground" (#general, #briefings), with the Manage Server permission.',
        "Type a slash command, e.g.:",
        *examples,
        "  /help                   what the bot knows",
        "  @bot <text>             a chat message that mentions the bot",
        "  press <label>           click a button of the last answer",
        "  choose <label>          pick an option in a select menu of the last answer",
        *[f"  menu {m}: <message text>   post a message and use this menu on it" for m in menus],
        "  commands                list the commands; quit (or end of input) to leave",
        f"Times are shown in {zone_name(playground.display.zone)} (PLAYGROUND_TIMEZONE changes it).",
    ]
    if playground.display.files is not None:
        lines.append(f"Attachments (charts) are saved in {playground.display.files}/.")
    if playground.refresh is not None:
        lines.append("Articles added to or removed from the article folder are picked up before each line.")
    return "\n".join(lines) + "\n"


def zone_name(zone: tzinfo) -> str:
    return str(zone) if isinstance(zone, ZoneInfo) else (datetime.now(zone).tzname() or str(zone))


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
        allow_private_urls=True,  # a local try-out: pages on this machine or its network may be fetched
    )


def watch_articles(settings: Settings) -> Callable[[], Awaitable[str]]:
    """Brings the store of ``settings`` (the playground's copy) up to date with the article folder, as at
    start-up, and says what changed: the playground sees articles added while it runs."""
    known: set[tuple[str, str]] = set()

    async def refresh() -> str:
        check: StoreCheck = await asyncio.to_thread(ensure_store, settings)
        news = [f"(articles: {r.status} {r.key})" for r in check.changed if r.status != "duplicate"]
        news += [f"(articles: skipped {r})" for r in check.refused if (r.path, r.reason) not in known]
        known.clear()
        known.update((r.path, r.reason) for r in check.refused)
        return "\n".join(news)

    return refresh


def display_for(settings: Settings, world: World) -> Display:
    """Times in PLAYGROUND_TIMEZONE or the machine's zone; attachments saved next to the store."""
    zone = ZoneInfo(settings.playground_timezone) if settings.playground_timezone else local_zone()
    return Display(zone=zone, world=world, files=(settings.db_path.parent / "playground").resolve())


async def run_playground(settings: Settings) -> int:
    """Run the playground on stdin and stdout until the input ends; 0 on a clean exit."""
    print(NOTICE, flush=True)
    discord.utils.setup_logging(level=logging.WARNING, root=True)
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # "voice will NOT be supported"
    with tempfile.TemporaryDirectory(prefix="briefing-playground-") as scratch:
        db_path = Path(scratch) / "briefing.db"
        await asyncio.to_thread(copy_store, settings.db_path, db_path)
        copy = dataclasses.replace(settings, db_path=db_path)
        refresh = watch_articles(copy)
        await refresh()  # the copy is current; remember the refusals already named at start
        async with StandIn(response_timeout=RESPONSE_TIMEOUT) as standin:
            playground = Playground(standin, sys.stdout, display_for(settings, standin.world), refresh)
            bot = BriefingBot(playground_settings(settings, standin, db_path))
            async with run_bot(bot, standin, timeout=READY_TIMEOUT):
                playground.say(usage_banner(playground))
                await playground.repl(stdin_lines(sys.stdin), interactive=sys.stdin.isatty())
    return 0
