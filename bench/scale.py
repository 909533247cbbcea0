"""How every answer's cost grows with the store: 100, 1,000 and 10,000 generated articles.

Stores are built once by the real ingest (generation + extraction + write) and kept under ``bench/out/scale``
keyed by seed, size and extractor version. The sizes are then measured together, interleaved in one run, each
on a copy of its store, so that a noisy shared machine slows every size alike: the ``bots`` phase (a process
of its own) starts a bare "pong" bot (``bench.commands.BareBot``) and one ``python -m bot run`` per size, each
bot in a child process and on a loopback stand-in of its own; the stand-ins and the timing share the phase's
event loop. Every row (a command with its options, an autocomplete, a context menu, the chart) is called
round-robin: once on each size and a /ping on the bare bot, then again (``_orders``), each size asked about
its own store (``Probe``). So neither the stand-in's work (it shares no event loop with a bot) nor its memory
(it keeps every interaction and message) counts as a bot's. Latency is INTERACTION_CREATE sent → callback
received; memory is each bot process's own resident set (VmRSS, and its peak VmHWM, from /proc/<pid>/status).
The ``start`` phase then times process start → IDENTIFY and → first answer, one size at a time. The commands,
options and context menus measured are the ones the bots synced to their stand-ins.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, closing, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bench.generate import write_corpus
from bench.ingest import write_section
from bot.standin import InteractionResult, Message, StandIn, User
from bot.standin.limits import CHAT_INPUT, MESSAGE_COMMAND, SUB_COMMAND, SUB_COMMAND_GROUP

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / "bench" / "out" / "scale"
SIZES = (100, 1_000, 10_000)
SEED = 1
DOC = REPO / "docs" / "benchmarks.md"
ROUNDS = 50
ROW_BUDGET_S = 15.0
PROFILED = 500
FIRST_CALLS = 30  # /actor on each size's most mentioned actors, before anything is cached
START_TIMEOUT_S = 60.0
READY_WAIT_S = 3.0  # discord.py's on_ready comes guild_ready_timeout (2 s) after the last GUILD_CREATE
STOP_TIMEOUT_S = 10.0
FIGURES = 3  # the layout of a size's saved figures (3: all sizes interleaved in one run); --reuse needs it
T = TypeVar("T")


def store_path(size: int, seed: int = SEED) -> Path:
    from bot.ingest import default_pipeline

    version = default_pipeline().version.replace("/", "-")
    return CACHE / f"seed{seed}-n{size}-v{version}.db"


def build_store(size: int, seed: int = SEED, jobs: int = 1) -> Path:
    """The store of ``size`` generated articles, built by ``python -m bot ingest`` unless already cached;
    its wall time and peak memory go to ``<store>.json`` beside it. With ``jobs`` > 1 that many ingest
    processes share the files (the store takes their writes one transaction at a time)."""
    db = store_path(size, seed)
    if db.exists():
        return db
    articles = corpus_folder(size, seed)
    if not articles.is_dir() or len(list(articles.iterdir())) != size:
        write_corpus(articles, size, seed)
    partial = db.with_suffix(".partial")  # an interrupted build resumes: stored files are skipped
    files = sorted(str(path) for path in articles.iterdir())
    batches = [[str(articles)]] if jobs == 1 else [files[i::jobs] for i in range(jobs)]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "ingest", *batch, "--db", str(partial)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            for batch in batches
        ]
        peak = 0.0
        for process in processes:
            _, status, usage = os.wait4(process.pid, 0)
            peak = max(peak, usage.ru_maxrss / 1024)
            if os.waitstatus_to_exitcode(status) != 0:
                errors.seek(0)
                raise RuntimeError(f"ingest into {partial} failed: {errors.read().decode()[-2000:]}")
    seconds = time.perf_counter() - started
    with closing(sqlite3.connect(partial)) as conn:  # everything into the main file before it moves
        conn.execute("PRAGMA journal_mode = DELETE")
    os.replace(partial, db)
    build = {"articles": size, "seconds": seconds, "peak_rss_mb": peak, "jobs": jobs}
    db.with_suffix(".json").write_text(json.dumps(build), encoding="utf-8")
    print(f"built {db.name}: {size:,} articles in {seconds:.0f} s", file=sys.stderr)
    return db


def corpus_folder(size: int, seed: int = SEED) -> Path:
    return CACHE / f"articles-seed{seed}-n{size}"


# -- what to ask: options per command, text typed per autocompleted option ------------------------------


@dataclass(frozen=True)
class Probe:
    """Names and words taken from the store itself, so every size is asked the same kind of question."""

    biggest: str  # the actor with the most mentions
    actors: list[str]  # the most mentioned first
    speaker: str  # the person quoted most
    word: str  # a word in many sentences
    year: int  # the year with the most events
    document: str  # a document key


def probe(db: Path) -> Probe:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        ranked = conn.execute(
            "SELECT a.name FROM actors a JOIN mentions m ON m.actor_id = a.id GROUP BY a.id "
            "ORDER BY count(*) DESC, a.name"
        ).fetchall()
        speaker = conn.execute(
            "SELECT a.name FROM quotes q JOIN actors a ON a.id = q.speaker_id WHERE a.kind = 'person' "
            "GROUP BY a.id ORDER BY count(*) DESC, a.name LIMIT 1"
        ).fetchone()[0]
        year = conn.execute(
            "SELECT substr(date, 1, 4) y FROM events GROUP BY y ORDER BY count(*) DESC, y LIMIT 1"
        ).fetchone()[0]
        document = conn.execute("SELECT key FROM documents ORDER BY key LIMIT 1").fetchone()[0]
    names = [row[0] for row in ranked]
    return Probe(names[0], names, speaker, COMMON_WORD, int(year), document)


COMMON_WORD = "ceasefire"  # in about one generated sentence in ten


def cases(p: Probe) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Rows per command: a label and the options. A command missing here is run without options when it
    needs none, and listed as "not measured" when it needs some."""
    return {
        "actor": [("biggest actor, cached", {"name": p.biggest})],
        "actors": [("", {}), ("kind:person", {"kind": "person"})],
        "timeline": [
            ("", {}),
            ("actor: biggest", {"actor": p.biggest}),
            ("from/to: the busiest year", {"from": f"{p.year}-01-01", "to": f"{p.year}-12-31"}),
            ("on: a month of it", {"on": f"{p.year}-06"}),
        ],
        "quote": [("", {}), ("speaker: most quoted", {"speaker": p.speaker}), ("topic:", {"topic": p.word})],
        "search": [(f"common word ({p.word})", {"text": p.word})],
        "source": [("", {}), ("article: paragraph 1", {"article": p.document, "paragraph": 1})],
        "briefing setup": [("", {"channel": "briefings", "time": "08:00", "timezone": "UTC"})],
    }


TYPED = {  # (command, option) -> text typed; the rest get "a"
    ("actor", "name"): "ab",
    ("search", "text"): "cease",
    ("briefing setup", "timezone"): "Europe/",
    ("briefing setup", "time"): "8",
}
ADMIN_COMMANDS = ("article", "briefing", "feed", "lookup")  # run by the owner (Manage Server)


# -- the phases, each in its own process -----------------------------------------------------------------


def _summary(values: list[float | None]) -> dict[str, float]:
    """Median and p99 in ms; ``failed`` counts calls never acknowledged (left out of the figures)."""
    ordered = sorted(value for value in values if value is not None)
    if not ordered:
        return {"median_ms": float("nan"), "p99_ms": float("nan"), "n": 0, "failed": len(values)}
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    summary = {"median_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000, "n": len(ordered)}
    return summary | {"failed": len(values) - len(ordered)}


def _memory_mb(pid: int) -> dict[str, float]:
    """Process ``pid``'s resident memory now (VmRSS) and at its peak so far (VmHWM), in MB."""
    fields = dict(line.partition(":")[::2] for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return {
        "rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
        "peak_mb": int(fields["VmHWM"].split()[0]) / 1024,
    }


def _bot_environment(standin, db: Path, articles: Path) -> dict[str, str]:
    """The environment for a bot on this stand-in, as ``bot_settings`` sets it up in process: its token and
    URL, one shard, global commands, no message content (whatever the caller's environment says)."""
    return {
        **os.environ, "DISCORD_TOKEN": standin.config.token, "DISCORD_API_BASE": standin.api_base,
        "BRIEFING_DB": str(db), "BRIEFING_ARTICLES": str(articles), "LOG_LEVEL": "WARNING",
        "DEV_GUILD_ID": "", "SHARD_COUNT": "", "SHARD_IDS": "", "MESSAGE_CONTENT_INTENT": "",
    }  # fmt: skip


@asynccontextmanager
async def _child(*argv: str, environment: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    """``python *argv``, stopped however the block ends (SIGTERM, then SIGKILL). Its stdout is dropped (the
    phase's carries the figures); its stderr is the phase's, shown when the phase fails."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *argv, env=environment, cwd=REPO, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            process.kill()
            await process.wait()


async def _unless_exited(process: asyncio.subprocess.Process, step: Awaitable[T]) -> T:
    """``step``'s result, or an error as soon as the bot process ends first (its stderr says why)."""
    waiting, exited = asyncio.ensure_future(step), asyncio.ensure_future(process.wait())
    try:
        done, _ = await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for future in (waiting, exited):
            future.cancel()  # no effect on the one that is done
    if waiting not in done:
        raise RuntimeError(f"the bot process ended (exit code {process.returncode}) before it was ready")
    return waiting.result()


async def _ready(standin, process: asyncio.subprocess.Process, probe: str) -> None:
    """Until the bot in ``process`` is as ready as ``run_bot`` waits for in process: it identified, synced its
    commands and has the guild in its cache; then READY_WAIT_S more, in which discord.py runs its on_ready
    (nothing on the wire says when)."""
    identified = len(standin.gateway.records("identify")) + 1
    await _unless_exited(process, standin.wait_for_gateway("identify", identified, timeout=START_TIMEOUT_S))
    if not standin.commands.get(None):  # the bot syncs in setup_hook, before it connects
        raise RuntimeError("the bot identified without syncing its commands to the stand-in")
    # GUILD_CREATE follows READY before anything else and the bot reads its gateway in order, so an answer
    # means the guild is in its cache; on_ready (the cogs start their loops) comes guild_ready_timeout later
    await _unless_exited(process, standin.slash(probe))
    await asyncio.sleep(READY_WAIT_S)


@dataclass(frozen=True)
class _Bot:
    """A bot under test: its own process, on its own stand-in (which runs in the phase's process)."""

    standin: StandIn
    process: asyncio.subprocess.Process


async def _bots_phase(dbs: Sequence[Path], rounds: int, profiled: int) -> dict[str, Any]:
    """The bare bot and one ``python -m bot run`` per store, started together, each in a child process and
    on a stand-in of its own; the stand-ins and the timing here, in one event loop."""
    from bot.standin.testing import build_test_guild

    async def start(stack: AsyncExitStack, argv: Sequence[str], db: Path) -> _Bot:
        standin = StandIn(heartbeat_interval=5.0, response_timeout=60.0, settle=0.0)
        build_test_guild(standin)
        await stack.enter_async_context(standin)
        environment = _bot_environment(standin, db, db.parent / "no-articles")  # not there: no ingest
        return _Bot(standin, await stack.enter_async_context(_child(*argv, environment=environment)))

    async with AsyncExitStack() as stack:
        bare = await start(stack, ("-m", "bench", "scale", "--phase", "bare-bot"), dbs[0])  # reads no store
        bots = [await start(stack, ("-m", "bot", "run"), db) for db in dbs]
        async with asyncio.TaskGroup() as group:
            group.create_task(_ready(bare.standin, bare.process, "ping"))
            for bot in bots:
                group.create_task(_ready(bot.standin, bot.process, "help"))
        return await _measure_bots(bare, bots, [probe(db) for db in dbs], rounds, profiled)


async def _serve_bare() -> None:
    """The bare bot on its own, on the API base and token of the environment (as ``python -m bot run`` reads
    them), until SIGTERM; connected as ``run_bot`` connects a client to the stand-in."""
    from bench.commands import BareBot
    from bot.discord_api import apply_api_base, use_gateway_from_api

    apply_api_base(os.environ["DISCORD_API_BASE"])
    client = BareBot()
    asyncio.get_running_loop().add_signal_handler(
        signal.SIGTERM, lambda: asyncio.ensure_future(client.close())
    )
    async with client:
        await client.login(os.environ["DISCORD_TOKEN"])  # runs setup_hook: the commands are synced
        await use_gateway_from_api(client)
        await client.connect()


def _budget(rounds: int) -> Iterator[int]:
    """``rounds`` rounds, or fewer (at least 5) once a row has taken ROW_BUDGET_S: a slow command at 10,000
    articles would otherwise take many minutes."""
    started = time.perf_counter()
    for number in range(rounds):
        if number >= 5 and time.perf_counter() - started > ROW_BUDGET_S:
            return
        yield number


Call = Callable[[int], Awaitable[InteractionResult]]  # one call on one bot, given the round's number


def _orders(count: int) -> list[list[int]]:
    """Orders of ``count`` calls for successive rounds in which each call comes first, and right after each
    of the others, equally often (a Williams design): a call slows the next one a little (the process that
    answered is still finishing), and in a fixed cycle the same size would always pay for the same one."""
    first = [0]
    for step in range(1, count):  # 0, 1, count - 1, 2, count - 2, ...
        first.append((step + 1) // 2 if step % 2 else count - step // 2)
    orders = [[(call + shift) % count for call in first] for shift in range(count)]
    return orders if count % 2 == 0 else orders + [order[::-1] for order in orders]


async def _interleaved(calls: Sequence[Call], rounds: Iterable[int]) -> list[list[InteractionResult]]:
    """Each of ``calls`` once per round, one at a time, in the round's order (``_orders``), for as many
    rounds as ``rounds`` yields. The results per call, in order."""
    results: list[list[InteractionResult]] = [[] for _ in calls]
    orders = _orders(len(calls))
    for number in rounds:
        for index in orders[number % len(orders)]:
            results[index].append(await calls[index](number))
    return results


def _slash(bot: _Bot, command: str, options: dict[str, Any] | None = None, user: User | None = None) -> Call:
    return lambda _: bot.standin.slash(command, options, user=user)


def _autocomplete(bot: _Bot, command: str, typed: dict[str, str], option: str, user: User | None) -> Call:
    return lambda _: bot.standin.autocomplete(command, typed, option, user=user)


def _menu(bot: _Bot, menu: str, target: Message) -> Call:
    return lambda _: bot.standin.message_command(menu, target)


def _actor_by_rank(bot: _Bot, actors: Sequence[str]) -> Call:
    """/actor on the round's actor: the first round's on the first of ``actors``, and so on."""
    return lambda number: bot.standin.slash("actor", {"name": actors[number]})


async def _times(
    standin: StandIn, command: str, options: dict[str, Any], count: int, **kwargs
) -> list[float]:
    values = []
    for _ in range(count):
        result = await standin.slash(command, options, **kwargs)
        values.append(result.ack_latency)
    return values


def _chat_commands(definitions: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every slash command a user can run ("name", "name sub", "name group sub") with its options, in the
    order the bot synced them (Discord's application command JSON)."""

    def leaves(name: str, options: list[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        nested = [option for option in options if option["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
        if not nested:
            yield name, options
        for option in nested:
            yield from leaves(f"{name} {option['name']}", option.get("options") or [])

    for definition in definitions:
        if definition["type"] == CHAT_INPUT:
            yield from leaves(definition["name"], definition.get("options") or [])


async def _measure_bots(
    bare: _Bot, bots: Sequence[_Bot], probes: Sequence[Probe], rounds: int, profiled: int
) -> dict[str, Any]:
    """Every row, its calls made round-robin: one on each of ``bots`` (each asked about its own store:
    ``probes``) and a /ping on ``bare``, then again."""
    not_measured: list[str] = []
    sized: list[dict[str, Any]] = [
        {"rows": {}, "answers": {}, "not_measured": not_measured, "errors": {}} for _ in bots
    ]
    pings: dict[str, list[float | None]] = {}  # the bare bot's, per row

    async def rotate(
        row: str, calls: Sequence[Call], rounds: Iterable[int], *, acknowledged: bool = True
    ) -> list[list[InteractionResult]]:
        """``row``'s calls, one per bot; their acknowledgements are the row (unless not ``acknowledged``),
        the first refusal of each bot its error."""
        *results, pinged = await _interleaved([*calls, _slash(bare, "ping")], rounds)
        pings[row] = [result.ack_latency for result in pinged]
        for figures, made in zip(sized, results, strict=True):
            if acknowledged:
                figures["rows"][row] = _summary([result.ack_latency for result in made])
            refusal = next((result.rejections[0] for result in made if result.rejections), None)
            if refusal:
                message = f"HTTP {refusal.status}, code {refusal.code}: {refusal.body.get('message')}"
                figures["errors"].setdefault(row, message)
        return results

    await _times(bare.standin, "ping", {}, 20)  # warm-up
    # /actor, first call: each size's most mentioned actors by rank, once each (nothing cached yet)
    first = [_actor_by_rank(bot, p.actors) for bot, p in zip(bots, probes, strict=True)]
    ranks = range(min(FIRST_CALLS, *(len(p.actors) for p in probes)))
    await rotate("/actor biggest actors, first call", first, ranks)
    owners = [bot.standin.find_user("owner") for bot in bots]
    tables = [cases(p) for p in probes]
    definitions = bots[0].standin.commands[None]  # what the bot synced (global commands), the same for each
    for name, parameters in _chat_commands(definitions):
        users = owners if name.split()[0] in ADMIN_COMMANDS else [None] * len(bots)
        required = any(parameter.get("required") for parameter in parameters)
        rows = (table.get(name, [] if required else [("", {})]) for table in tables)
        for variants in zip(*rows, strict=True):  # the same row on each size, with its own options
            row = f"/{name} {variants[0][0]}".rstrip()
            calls = []
            for bot, user, (_, typed_options) in zip(bots, users, variants, strict=True):
                options = {
                    k: bot.standin.find_channel(v) if k == "channel" else v for k, v in typed_options.items()
                }
                await _times(bot.standin, name, options, 3, user=user)  # warm-up
                calls.append(_slash(bot, name, options, user))
            for figures, made in zip(sized, await rotate(row, calls, _budget(rounds)), strict=True):
                if made[-1].deferred:
                    done = [r.last_activity - r.dispatched_at if r.dispatched_at else None for r in made]
                    figures["answers"][row] = _summary(done)
        if required and name not in tables[0]:
            not_measured.append(f"/{name}")
        for parameter in parameters:
            if not parameter.get("autocomplete"):
                continue
            option = parameter["name"]
            typed = {option: TYPED.get((name, option), "a")}
            for bot, user in zip(bots, users, strict=True):
                await bot.standin.autocomplete(name, typed, option, user=user)  # warm-up
            calls = [
                _autocomplete(bot, name, typed, option, user) for bot, user in zip(bots, users, strict=True)
            ]
            await rotate(f"/{name} {option}: autocomplete", calls, _budget(rounds))
    # the chart: its answer (a deferred PNG), not only the acknowledgement
    calls = []
    for bot, p in zip(bots, probes, strict=True):
        chart = {"actor": p.biggest, "chart": True}
        await bot.standin.slash("timeline", chart)  # warm-up: imports the plotting
        calls.append(_slash(bot, "timeline", chart))
    row = "/timeline chart: biggest actor"
    charts = await rotate(row, calls, range(max(3, rounds // 10)), acknowledged=False)
    for figures, made in zip(sized, charts, strict=True):
        figures["answers"][row] = _summary([result.last_activity - result.dispatched_at for result in made])
    for menu in (definition["name"] for definition in definitions if definition["type"] == MESSAGE_COMMAND):
        calls = []
        for bot, p in zip(bots, probes, strict=True):
            target = bot.standin.user_message(" met ".join(p.actors[:3]) + ".")
            calls.append(_menu(bot, menu, target))
        await rotate(f"menu {menu}", calls, _budget(rounds))
    for figures, bot, p in zip(sized, bots, probes, strict=True):  # one after the other: memory, not latency
        figures["memory"] = await _profile(bot, p.actors[:profiled])
    bare_memory = _memory_mb(bare.process.pid)
    every_ping = [value for values in pings.values() for value in values]
    return {
        "bare": {
            "rows": {"bare bot /ping": _summary(every_ping)},
            "during": {row: _summary(values) for row, values in pings.items()},
            **bare_memory,
        },
        "sizes": sized,
    }


async def _profile(bot: _Bot, actors: Sequence[str]) -> dict[str, float]:
    """The bot process's memory before and after /actor on each of ``actors``."""
    before = _memory_mb(bot.process.pid)["rss_mb"]
    for name in actors:
        await bot.standin.slash("actor", {"name": name})
    after = _memory_mb(bot.process.pid)
    return {
        "before_mb": before,
        "after_mb": after["rss_mb"],
        "peak_mb": after["peak_mb"],
        "profiled": len(actors),
    }


async def _start_phase(db: Path, articles: Path) -> dict[str, Any]:
    """`python -m bot run` against the stand-in: from the process start to READY and to a first answer."""
    from bot.standin.testing import build_test_guild

    standin = StandIn(heartbeat_interval=5.0, response_timeout=60.0, settle=0.0)
    build_test_guild(standin)
    timings = []
    async with standin:
        environment = _bot_environment(standin, db, articles)
        for run in range(1, 5):  # the first start records the folder's snapshot and syncs: not counted
            started = time.perf_counter()
            async with _child("-m", "bot", "run", environment=environment):
                await standin.wait_for_gateway("identify", run, timeout=600)
                ready = time.perf_counter() - started
                await standin.slash("help")
                answered = time.perf_counter() - started
            timings.append((ready, answered))
    counted = timings[1:]
    return {
        "ready_s": statistics.median(t[0] for t in counted),
        "first_answer_s": statistics.median(t[1] for t in counted),
    }


def _phase(argv: Sequence[str]) -> int:
    if list(argv) == ["bare-bot"]:  # the bare bot's own process, started by the bots phase
        asyncio.run(_serve_bare())
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["bots", "start"])
    parser.add_argument("dbs", type=Path, nargs="+", help="the stores (start: one)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--profiled", type=int, default=PROFILED)
    parser.add_argument("--articles", type=Path)
    args = parser.parse_args(argv)
    if args.kind == "start":
        (db,) = args.dbs
        result = asyncio.run(_start_phase(db, args.articles))
    else:
        result = asyncio.run(_bots_phase(args.dbs, args.rounds, args.profiled))
    print(json.dumps(result))
    return 0


def _run_phase(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench", "scale", "--phase", *args], capture_output=True, text=True, cwd=REPO
    )
    if out.returncode != 0:
        raise RuntimeError(f"phase {args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(sizes: Sequence[int], rounds: int, profiled: int) -> list[dict[str, Any]]:
    """Every figure for these store sizes, each on a copy of its cached store (the bots write their
    settings): latency and memory with every size's bot running at once, then each size's start times."""
    stores = [build_store(size) for size in sizes]
    run = datetime.now(UTC).isoformat(timespec="seconds")
    with ExitStack() as stack:
        copies = []
        for size, db in zip(sizes, stores, strict=True):
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"bench-scale-{size}-")))
            copies.append(folder / "store.db")
            shutil.copyfile(db, copies[-1])
        together = _run_phase("bots", *map(str, copies), "--rounds", str(rounds), "--profiled", str(profiled))
        starts = [
            _run_phase("start", str(copy), "--articles", str(corpus_folder(size)))
            for size, copy in zip(sizes, copies, strict=True)
        ]
    results = []
    for size, db, figures, start in zip(sizes, stores, together["sizes"], starts, strict=True):
        build = json.loads(db.with_suffix(".json").read_text(encoding="utf-8"))
        saved = {"figures": FIGURES, "run": run, "sizes": list(sizes), "size": size, "bare": together["bare"]}
        results.append(saved | figures | {"start": start, "build": build})
    return results


# -- the table ---------------------------------------------------------------------------------------------

PONG_FACTOR, P99_MS, SIZE_FACTOR = 2.0, 15.0, 1.3  # issue 14's targets for every command and autocomplete
CHART_S, MEMORY_MB, START_S, INGEST_MB = 1.0, 150.0, 2.0, 250.0


def _verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def _cell(row: dict[str, float] | None, form: str) -> str:
    if not row:
        return "–"
    failed = f", {row['failed']} unanswered" if row.get("failed") else ""
    return f"{form.format(row['median_ms'])} ({form.format(row['p99_ms'])}{failed})"


def report(results: list[dict[str, Any]]) -> str:
    """The "Scale" section of docs/benchmarks.md: rows are commands, columns store sizes."""
    small, large = results[0], results[-1]
    sizes = " | ".join(f"{r['size']:,}" for r in results)
    ratio = f"{large['size']:,}/{small['size']:,}"
    pings = large["bare"]["rows"]["bare bot /ping"]
    lines = [
        "## Scale",
        "",
        f"`python -m bench scale` on {platform.machine()} / Python {platform.python_version()} / SQLite "
        f"{sqlite3.sqlite_version}, {time.strftime('%Y-%m-%d')}. Stores of {sizes} generated articles "
        "(`bench/generate.py`, seed 1, built by `python -m bot ingest`). Dispatch → acknowledgement "
        f"through the loopback stand-in, median (p99) ms of {small['rows']['/help']['n']} calls per size, "
        f"one at a time (at least 5 rounds once a row took {ROW_BUDGET_S:g} s). The sizes are measured "
        "interleaved, in one run: a bot per size (`python -m bot run` on a copy of its store) and a bare "
        '"pong" bot run at the same time, each in a process of its own and on a loopback stand-in of its '
        "own, the stand-ins and the timing in one more process. Each row's calls go round-robin, one on "
        "each size and a /ping on the bare bot, then again (in orders where each goes first, and right "
        'after each of the others, equally often), so a row\'s sizes, its ratio and its "vs bare" (against '
        "the /pings of the same rounds) compare calls made at the same moments; `bare bot /ping` is all of "
        "those pings (one bot: the same in every column). Memory is each bot process's own; start times are "
        "measured afterwards, one size at a "
        f"time. Targets (issue 14, at 10,000 articles): median within {PONG_FACTOR:g}× the bare bot, p99 "
        f"under {P99_MS:g} ms, and within {SIZE_FACTOR:g}× the smallest store.",
        "",
        f"| command | {sizes} | {ratio} | vs bare | target |",
        "|---|" + "---:|" * (len(results) + 3),
    ]
    names = list(small["bare"]["rows"]) + [name for name in large["rows"]]
    for name in names:
        cells = []
        for result in results:
            cells.append(_cell(result["rows"].get(name) or result["bare"]["rows"].get(name), "{:.1f}"))
        first = small["rows"].get(name) or small["bare"]["rows"].get(name)
        last = large["rows"].get(name) or large["bare"]["rows"].get(name)
        if not (first and last):
            lines.append(f"| `{name}` | {' | '.join(cells)} | | | |")
            continue
        pong = large["bare"]["during"].get(name, pings)["median_ms"]  # the /pings between the row's calls
        growth, over = last["median_ms"] / first["median_ms"], last["median_ms"] / pong
        ok = growth <= SIZE_FACTOR and over <= PONG_FACTOR and last["p99_ms"] < P99_MS
        lines.append(f"| `{name}` | {' | '.join(cells)} | {growth:.2f}× | {over:.1f}× | {_verdict(ok)} |")
    lines += ["", "Answers that are deferred, from the command to the finished answer (median (p99) ms):", ""]
    lines += [f"| answer | {sizes} | {ratio} | target |", "|---|" + "---:|" * (len(results) + 2)]
    for name in large["answers"]:
        cells = [_cell(r["answers"].get(name), "{:.0f}") for r in results]
        last = large["answers"][name]
        growth = last["median_ms"] / small["answers"][name]["median_ms"] if name in small["answers"] else 0
        target = _verdict(last["p99_ms"] < CHART_S * 1000) if "chart" in name else ""
        lines.append(f"| `{name}` | {' | '.join(cells)} | {growth:.2f}× | {target} |")
    lines += ["", f"| resource | {sizes} | {ratio} | target |", "|---|" + "---:|" * (len(results) + 2)]
    resources = [
        ("bot RSS after profiling the most mentioned actors, MB (the bot's own process)",
         lambda r: r["memory"]["after_mb"], MEMORY_MB, "{:.0f}"),
        ("bot peak RSS over the whole run, MB (VmHWM; the chart is drawn in a process of its own)",
         lambda r: r["memory"]["peak_mb"], MEMORY_MB, "{:.0f}"),
        ("RSS growth while profiling them, MB", lambda r: r["memory"]["after_mb"] - r["memory"]["before_mb"],
         None, "{:.0f}"),
        ("bare bot RSS, MB (its own process)", lambda r: r["bare"]["rss_mb"], None, "{:.0f}"),
        ("start → first answer, s (`python -m bot run`)", lambda r: r["start"]["first_answer_s"], START_S,
         "{:.2f}"),
        ("start → IDENTIFY, s", lambda r: r["start"]["ready_s"], None, "{:.2f}"),
        ("ingest peak RSS, MB (whole corpus in one `bot ingest`)", lambda r: r["build"]["peak_rss_mb"],
         INGEST_MB, "{:.0f}"),
        ("ingest, ms per article", lambda r: r["build"]["seconds"] * 1000 / r["build"]["articles"], None,
         "{:.0f}"),
    ]  # fmt: skip
    for label, value, target, form in resources:
        cells = " | ".join(form.format(value(r)) for r in results)
        growth = value(large) / value(small) if value(small) else 0
        verdict = f"under {target:g}: {_verdict(value(large) < target)}" if target else ""
        lines.append(f"| {label} | {cells} | {growth:.2f}× | {verdict} |")
    profiled = ", ".join(f"{r['memory']['profiled']:,}" for r in results)
    lines += ["", f"Actors profiled before reading memory: {profiled}."]
    for result in results:
        for name, error in result["errors"].items():
            lines.append(f"At {result['size']:,} articles `{name}` was refused by the stand-in: {error}")
    missing = sorted({name for r in results for name in r["not_measured"]})
    if missing:
        lines.append(f"Commands with required options and no case in `bench/scale.py`: {', '.join(missing)}.")
    return "\n".join(lines) + "\n"


def _measured(sizes: Sequence[int], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Measure these sizes together, or with ``--reuse`` take the figures saved by an earlier run that
    measured them together (and the same way: ``FIGURES``); each size's go to ``<store>.measured.json``."""
    saved = [store_path(size).with_suffix(".measured.json") for size in sizes]
    if args.reuse and all(path.exists() for path in saved):
        results = [json.loads(path.read_text(encoding="utf-8")) for path in saved]
        runs = {(result.get("figures"), result.get("run")) for result in results}
        if len(runs) == 1 and runs.pop()[0] == FIGURES:
            return results
    results = measure(sizes, args.rounds, args.profiled)
    for path, result in zip(saved, results, strict=True):
        path.write_text(json.dumps(result), encoding="utf-8")
    return results


def main(argv: Sequence[str] = ()) -> int:
    if argv and argv[0] == "--phase":
        return _phase(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="articles per store")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="calls per command")
    parser.add_argument(
        "--profiled", type=int, default=PROFILED, help="actors profiled before reading memory"
    )
    parser.add_argument("--jobs", type=int, default=1, help="ingest processes for a store not yet built")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or find) the stores, measure nothing"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="take the figures of an earlier run that measured these sizes"
    )
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not update {DOC.name}")
    args = parser.parse_args(argv)
    stores = {size: build_store(size, jobs=args.jobs) for size in args.sizes}
    if args.build_only:
        for size, db in stores.items():
            print(f"{size:>6,} {db}")
        return 0
    results = _measured(sorted(stores), args)
    section = report(results)
    print(section)
    if not args.no_write:
        write_section(DOC, section)
        print(f"written to {DOC}")
    return 0
