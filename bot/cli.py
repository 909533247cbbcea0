"""``python -m bot``: run the bot (the default), or manage the store (ingest, export, stats, check,
forget-server).

Every failure the user can fix is one ``error: …`` line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.config import ConfigError, Settings, load_settings
from bot.store.models import StoreStats
from bot.store.schema import StoreError

Command = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Conflict briefing Discord bot.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="store file (default: BRIEFING_DB or data/briefing.db)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ingest = commands.add_parser("ingest", parents=[common], help="add or update articles in the store")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article files or directories")
    ingest.add_argument(
        "--prune", action="store_true", help="also remove stored articles whose file in this folder is gone"
    )
    ingest.set_defaults(handler=_ingest)
    export = commands.add_parser("export", parents=[common], help="print the whole store as JSON")
    export.set_defaults(handler=_export)
    stats = commands.add_parser("stats", parents=[common], help="rows per table and per document")
    stats.set_defaults(handler=_stats)
    for command, what in (
        (ingest, "into that server's own library"),
        (export, "what that server sees"),
        (stats, "what that server sees"),
    ):
        command.add_argument("--server", type=_server_id, metavar="GUILD_ID", help=what)
    forget = commands.add_parser(
        "forget-server", parents=[common], help="delete a server's own articles and settings now"
    )
    forget.add_argument("guild_id", type=_server_id, metavar="GUILD_ID")
    forget.set_defaults(handler=_forget_server)
    check = commands.add_parser(
        "check", parents=[common], help="read every page of the store; exit code 1 if it is damaged"
    )
    check.set_defaults(handler=_check)
    invite = commands.add_parser("invite", help="print the link that adds the bot to a server")
    invite.add_argument("client_id", type=int, metavar="APPLICATION_ID", help="from the developer portal")
    invite.set_defaults(handler=_invite)
    for name, text in (
        ("run", "build the store if stale, then start the bot (the default)"),
        ("playground", "try the bot's commands locally, without Discord"),
        ("sync", "sync the application commands with Discord"),
    ):
        commands.add_parser(name, parents=[common], help=text).set_defaults(handler=_runner(name))
    parser.set_defaults(handler=_runner("run"), db=None)
    return parser


def _server_id(text: str) -> int:
    """A Discord server (guild) id: a positive whole number (0 is the operator's own library)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a server id is a number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"a server id is a positive number, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        if args.db is not None:
            settings = dataclasses.replace(settings, db_path=args.db)
        return int(args.handler(args, settings) or 0)
    except (ConfigError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `python -m bot export | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130


def _runner(name: str) -> Command:
    """Dispatch to ``bot.runner.<name>(settings)``, imported only when that command is used."""

    def handler(args: argparse.Namespace, settings: Settings) -> int:
        from bot import runner

        result: Any = getattr(runner, name)(settings)
        return result if isinstance(result, int) else 0

    return handler


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Every file is reported: stored ones on stdout, refused ones on stderr (exit code 1 if any)."""
    from bot.ingest import ingest

    if args.prune and (len(args.paths) != 1 or not args.paths[0].is_dir()):
        print("error: --prune takes one folder (e.g. data/articles)", file=sys.stderr)
        return 1
    report = ingest(
        args.paths,
        settings.db_path,
        prune_under=args.paths[0] if args.prune else None,
        library=args.server or 0,
    )
    if not report.results and not report.refused:
        print(f"error: no *.txt or *.md articles in {' '.join(map(str, args.paths))}", file=sys.stderr)
        return 1
    width = max([len(result.key) for result in report.results], default=0)
    for result in report.results:
        counts = result.counts
        detail = (
            f"same text as {result.duplicate_of}, skipped"
            if result.duplicate_of
            else f"{counts.actors} actors, {counts.events} events, {counts.quotes} quotes"
        )
        print(f"{result.status:<10} {result.key:<{width}}  {detail}")
        for warning in result.warnings:
            print(f"warning: {result.path or result.key}: {warning}", file=sys.stderr)
    for refusal in report.refused:
        print(f"error: refused {refusal}", file=sys.stderr)
    summary = ", ".join(f"{report.count(s)} {s}" for s in ("added", "updated", "unchanged"))
    print(f"{summary}, {len(report.refused)} refused → {report.db_path}")
    return 1 if report.refused else 0


def _invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.invite import PERMISSIONS, invite_url

    print(invite_url(args.client_id))
    print("It asks for these permissions:")
    for _, name, why in PERMISSIONS:
        print(f"  {name}: {why}")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.report import export_store

    json.dump(export_store(settings.db_path, args.server), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.report import store_stats

    print(format_stats(settings.db_path, store_stats(settings.db_path, args.server)))
    return 0


def _forget_server(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime

    from bot.store.servers import forget_now

    articles = forget_now(settings.db_path, args.guild_id, datetime.now(UTC))
    print(f"forgot server {args.guild_id}: {articles} of its own articles, and its settings")
    return 0


def _check(args: argparse.Namespace, settings: Settings) -> int:
    """SQLite's full integrity check, read-only; one line either way (start-up checks only the schema)."""
    from bot.store.schema import check_store_file, integrity_problems

    path = settings.db_path
    if not path.exists():
        raise StoreError(f"{path}: no store here")
    check_store_file(path)
    started = time.perf_counter()
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        problems = integrity_problems(conn)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        print(f"error: {path}: damaged store: {problems[0]}{more}", file=sys.stderr)
        return 1
    size = path.stat().st_size / 1e6
    print(f"{path}: no damage found ({size:.1f} MB read in {time.perf_counter() - started:.1f} s)")
    return 0


def format_stats(db_path: Path, stats: StoreStats) -> str:
    lines = [
        f"store {db_path}: schema {stats.schema_version}, extractor {stats.extractor_version or '-'}, "
        f"last ingest {stats.last_ingest or 'never'}",
        "",
        f"{'table':<22}{'rows':>8}",
    ]
    lines += [f"{table:<22}{rows:>8}" for table, rows in stats.tables.items()]
    columns = ("paragraphs", "sentences", "actors", "mentions", "relations", "events", "quotes")
    width = max([len("document"), *(len(d.key) for d in stats.documents)]) + 2
    lines += ["", "document".ljust(width) + "".join(f"{c:>11}" for c in columns)]
    for document in stats.documents:
        lines.append(document.key.ljust(width) + "".join(f"{getattr(document, c):>11}" for c in columns))
    if not stats.documents:
        lines.append("(no documents)")
    return "\n".join(lines)
