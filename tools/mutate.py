"""``make mutate``: named breakages of the code, each applied, tested and undone; reports caught/survived.

A breakage is a one-place edit (``old`` → ``new``, ``old`` must occur exactly once) in one file, and the
tests that should fail under it. Each is applied to the working tree, its tests run in a fresh
interpreter, and the file is restored byte for byte (also on Ctrl-C). Exit code 1 when any survived.

    .venv/bin/python tools/mutate.py            # all
    .venv/bin/python tools/mutate.py lookup     # only breakages whose name contains "lookup"
    .venv/bin/python tools/mutate.py --list

Why not mutmut or cosmic-ray: on 2 cores with an ~80 s suite, a generated mutant set for these modules
(thousands of operator swaps) takes hours; these breakages are the ones a reviewer found that the suite
missed (issue 15), plus the guards a user or operator would notice, each run against its own tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120  # seconds for one breakage's tests (the slowest set takes about 25 s)


@dataclass(frozen=True)
class Breakage:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


B = Breakage
PERMISSIONS = "tests/bot/test_permissions.py"
LOOKUP = "tests/bot/test_lookup.py"
BRIEFING = "tests/bot/test_briefing.py"
SHARDS = "tests/bot/test_briefing_shards.py"
GATEWAY = "tests/bot/test_gateway_url.py"
SCHEDULE = "tests/test_schedule.py"
COMPOSE = "tests/test_briefing_compose.py"
INGEST = "tests/test_ingest.py"
HOSTILE = "tests/test_hostile_articles.py"
CONFIG = "tests/test_config.py"
PROCESS = "tests/bot/test_process.py"

BREAKAGES: tuple[Breakage, ...] = (
    # -- permissions (cogs/lookup/_cog.py, cogs/briefing/_cog.py) ------------------------------------------
    *(
        B(
            f"lookup-{sub}-without-run-time-check",
            "cogs/lookup/_cog.py",
            f'@lookup.command(name="{sub}", {rest}\n    @app_commands.check(_manages_server)\n',
            f'@lookup.command(name="{sub}", {rest}\n',
            (PERMISSIONS,),
        )
        for sub, rest in (
            ("on", 'description="Answer “who is …?” questions in this server without a mention")'),
            ("off", 'description="Stop answering questions that don\'t mention me")'),
            ("status", 'description="Whether I answer questions here without a mention")'),
        )
    ),
    B(
        "lookup-check-ignores-manage-server",
        "cogs/lookup/_cog.py",
        "if not interaction.permissions.manage_guild:",
        "if False:",
        (PERMISSIONS,),
    ),
    B(
        "briefing-gate-on-setup-only",
        "cogs/briefing/_cog.py",
        "        if not interaction.permissions.manage_guild:",
        '        if not interaction.permissions.manage_guild and interaction.command.name == "setup":',
        (PERMISSIONS,),
    ),
    B(
        "briefing-gate-removed",
        "cogs/briefing/_cog.py",
        '            raise app_commands.MissingPermissions(["manage_guild"])\n        return True',
        "            pass\n        return True",
        (PERMISSIONS,),
    ),
    # -- server settings (bot/store/settings.py) and their use -----------------------------------------------
    B(
        "lookups-on-by-default",
        "bot/store/settings.py",
        'return bool(rows and rows[0]["lookup_enabled"])',
        'return not rows or bool(rows[0]["lookup_enabled"])',
        (LOOKUP,),
    ),
    B(
        "automatic-answers-ignore-the-setting",
        "cogs/lookup/_cog.py",
        "if subject is None or not await self._lookup_enabled(guild_id):",
        "if subject is None:",
        (LOOKUP,),
    ),
    B(
        "lookup-setting-stored-inverted",
        "bot/store/settings.py",
        "(guild_id, int(enabled), now.isoformat())",
        "(guild_id, int(not enabled), now.isoformat())",
        (LOOKUP,),
    ),
    B(
        "lookup-setting-not-updated",
        "bot/store/settings.py",
        "SET lookup_enabled = excluded.lookup_enabled, updated_at",
        "SET updated_at",
        (LOOKUP,),
    ),
    B(
        "lookup-cache-not-updated-on-change",
        "cogs/lookup/_cog.py",
        "        self._enabled[guild_id] = enabled\n",
        "",
        (LOOKUP,),
    ),
    # -- start-up and configuration (bot/client.py, bot/config.py, bot/runner.py) ---------------------------
    B(
        "gateway-not-taken-from-api-base",
        "bot/client.py",
        "            await use_gateway_from_api(self)\n",
        "            pass\n",
        (GATEWAY,),
    ),
    B(
        "sigterm-exits-at-once",
        "bot/runner.py",
        "loop.add_signal_handler(signum, lambda: stopping.append(asyncio.ensure_future(bot.close())))",
        'loop.add_signal_handler(signum, lambda: __import__("os")._exit(0))',
        (PROCESS,),
    ),
    B(
        "store-not-closed-on-close",
        "bot/client.py",
        "            await store.close()\n",
        "            pass\n",
        (PROCESS, "tests/bot/test_client.py"),
    ),
    B(
        "token-logged-at-debug-on-start-up",
        "bot/client.py",
        "    async def setup_hook(self) -> None:\n",
        "    async def setup_hook(self) -> None:\n"
        '        log.debug("logged in with %s", self.settings.token)\n',
        (PROCESS,),
    ),
    B(
        "message-content-intent-true-not-read-as-on",
        "bot/config.py",
        "    return word in TRUE_WORDS\n",
        '    return word == "1"\n',
        (CONFIG,),
    ),
    B(
        "env-file-wins-over-environment",
        "bot/config.py",
        "    env.update(os.environ if environ is None else environ)\n",
        "    env = {**(os.environ if environ is None else environ), **env}\n",
        (CONFIG,),
    ),
    B(
        "shard-ids-range-unchecked",
        "bot/config.py",
        "any(not 0 <= i < shard_count for i in shard_ids)",
        "False",
        (CONFIG,),
    ),
    B(
        "api-base-not-validated",
        "bot/config.py",
        'if not api_base.startswith(("http://", "https://")):',
        "if False:",
        (CONFIG,),
    ),
    B(
        "token-in-settings-repr",
        "bot/config.py",
        'token = "set" if self.token else "unset"',
        "token = self.token",
        (CONFIG,),
    ),
    # -- the schedule (bot/schedule.py) ------------------------------------------------------------------
    B(
        "repeated-time-at-its-second-occurrence",
        "bot/schedule.py",
        "    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)",
        "    first = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)",
        (SCHEDULE,),
    ),
    B(
        "skipped-time-read-with-the-old-offset",
        "bot/schedule.py",
        "        return first\n    return _end_of_gap(wall, zone)",
        "        return first\n    return first",
        (SCHEDULE,),
    ),
    B(
        "slot-in-utc-not-local",
        "bot/schedule.py",
        "    wall = datetime.combine(day, at)\n",
        "    wall = datetime.combine(day, at)\n    zone = ZoneInfo('UTC')\n",
        (SCHEDULE,),
    ),
    B(
        "no-catch-up-window",
        "bot/schedule.py",
        "    while now - (moment := slot_on(day, at, zone)) >= CATCH_UP:",
        "    while now - (moment := slot_on(day, at, zone)) >= CATCH_UP * 100:",
        (SCHEDULE,),
    ),
    B(
        "setup-after-the-slot-posts-at-once",
        "bot/schedule.py",
        "    return day if slot_on(day, at, zone) <= now else day - ONE_DAY",
        "    return day - ONE_DAY",
        (SCHEDULE,),
    ),
    # -- composing and posting briefings (bot/briefing.py, cogs/briefing/) ---------------------------------
    B(
        "briefing-new-articles-ignore-last-briefing",
        "bot/briefing.py",
        "if since is None or opening.ingested_at > since]",
        "if True]",
        (COMPOSE, BRIEFING),
    ),
    B(
        "briefing-rotation-repeats-items",
        "bot/briefing.py",
        "    fresh = [key for key in keys if key not in shown]\n",
        "    fresh = list(keys)\n",
        (COMPOSE, BRIEFING),
    ),
    B(
        "briefing-leap-day-dropped",
        "bot/briefing.py",
        "        return date(year, 2, 28)\n",
        "        return date(year, 1, 1)\n",
        (COMPOSE,),
    ),
    B(
        "briefing-pings",
        "cogs/briefing/_poster.py",
        "embed=briefing_embed(briefing), allowed_mentions=discord.AllowedMentions.none()",
        "embed=briefing_embed(briefing), allowed_mentions=discord.AllowedMentions.all()",
        (BRIEFING,),
    ),
    B(
        "briefing-403-not-switched-off",
        "cogs/briefing/_poster.py",
        "    if isinstance(error, discord.Forbidden):\n",
        "    if False:\n",
        (BRIEFING,),
    ),
    B(
        "briefing-now-posts-twice-a-day",
        "cogs/briefing/_cog.py",
        "            raise UserFacingError(replies.already_posted(schedule))\n",
        "            pass\n",
        (BRIEFING,),
    ),
    B(
        "briefing-off-leaves-it-on",
        "bot/store/briefings.py",
        '_DISABLE_SQL = """UPDATE briefing_schedules SET enabled = 0,',
        '_DISABLE_SQL = """UPDATE briefing_schedules SET enabled = 1,',
        (BRIEFING,),
    ),
    B(
        "briefing-settled-day-moves-back-on-setup",
        "bot/store/briefings.py",
        "    last_post_date = max(coalesce(last_post_date, ''), excluded.last_post_date)",
        "    last_post_date = excluded.last_post_date",
        (BRIEFING,),
    ),
    # -- briefings across processes (cogs/briefing/_poster.py, bot/store/briefings.py) ---------------------
    B(
        "briefing-loop-without-try-except",
        "cogs/briefing/_cog.py",
        """        try:
            await self.run_due()
        except Exception:  # the loop must outlive one bad tick (a locked store, say)
            log.exception("briefing tick failed")""",
        "        await self.run_due()",
        (BRIEFING,),
    ),
    B(
        "unknown-zone-guard-removed",
        "cogs/briefing/_poster.py",
        "    except (ZoneInfoNotFoundError, ValueError):\n",
        "    except ():\n",
        (BRIEFING,),
    ),
    B(
        "every-process-serves-every-shard",
        "cogs/briefing/_poster.py",
        "        return shard_ids is None or (guild_id >> 22)",
        "        return True or (guild_id >> 22)",
        (SHARDS,),
    ),
    B(
        "claim-without-compare-and-set",
        "bot/store/briefings.py",
        "AND last_post_date IS :previous\n"
        "      AND (:force OR last_post_date IS NULL OR last_post_date < :day)",
        "",
        (SHARDS,),
    ),
    B(
        "claim-without-previous-check",
        "bot/store/briefings.py",
        "AND last_post_date IS :previous\n",
        "\n",
        (SHARDS,),
    ),
    B(
        "claim-without-day-order",
        "bot/store/briefings.py",
        "\n      AND (:force OR last_post_date IS NULL OR last_post_date < :day)",
        "",
        (SHARDS, BRIEFING),
    ),
    # -- ingest (bot/ingest.py); "one transaction per run" is issue 13's per-file ingest, not checked here ---
    B(
        "ingest-size-limit-removed",
        "bot/ingest.py",
        "        if size > MAX_ARTICLE_BYTES:\n",
        "        if False:\n",
        (f"{HOSTILE}::test_a_file_over_the_limit_is_refused_for_its_size_before_it_is_read",),
    ),
    B(
        "ingest-binary-file-accepted",
        "bot/ingest.py",
        '    if b"\\x00" in data:\n',
        "    if False:\n",
        (INGEST, HOSTILE),
    ),
    B(
        "ingest-same-text-stored-twice",
        "bot/ingest.py",
        "        if first == item.key:\n",
        "        if True:\n",
        (INGEST, HOSTILE),
    ),
    B(
        "ingest-unchanged-file-re-extracted",
        "bot/ingest.py",
        "        if before is not None and (before.content_hash, before.extractor_version) == (",
        "        if False and (before.content_hash, before.extractor_version) == (",
        (INGEST,),
    ),
    B(
        "store-never-rebuilt-for-a-newer-article",
        "bot/ingest.py",
        "    if last is not None and last[0] == snapshot:",
        "    if last is not None:",
        (INGEST, "tests/test_cli.py"),
    ),
    B(
        "store-not-rebuilt-for-a-new-extractor",
        "bot/ingest.py",
        "    return [version, sorted(files.values())]",
        '    return ["", sorted(files.values())]',
        (INGEST, "tests/test_cli.py"),
    ),
    # -- reading and rendering (bot/store/read.py, bot/render.py, bot/mentions.py) -------------------------
    B(
        "fts-words-unquoted",
        "bot/store/query.py",
        """quoted = [f'"{phrase}"' for phrase in phrases]""",
        """quoted = [f'{phrase}' for phrase in phrases]""",
        ("tests/test_store_read.py",),
    ),
    B(
        "timeline-repeats-first-drops-last",
        "bot/render.py",
        '"\\n\\n".join(event_line(event) for event in events)',
        '"\\n\\n".join(event_line(event) for event in [*events[:1], *events[:-1]])',
        ("tests/test_render.py",),
    ),
    B(
        "find-actors-returns-duplicates",
        "bot/mentions.py",
        "    return list(found)\n",
        "    return list(found) + list(found)[1:]\n",
        ("tests/test_mentions.py",),
    ),
    B(
        "kept-document-total-not-lowered-on-delete",
        "bot/store/schema.py",
        "    UPDATE library_totals SET documents = documents - 1, events = events - old.event_count,",
        "    UPDATE library_totals SET documents = documents, events = events - old.event_count,",
        ("tests/test_server_libraries.py",),
    ),
    B(
        "kept-event-day-not-lowered-on-delete",
        "bot/store/schema.py",
        "    UPDATE event_days SET events = events - 1 WHERE",
        "    UPDATE event_days SET events = events - 0 WHERE",
        ("tests/test_server_libraries.py", "tests/test_store_write.py"),
    ),
    B(
        "links-not-grouped-again-after-a-write",
        "bot/store/write.py",
        "    _relink(conn, ids)\n",
        "",
        ("tests/test_store_write.py", "tests/test_store_read.py"),
    ),
    B(
        "links-grouped-again-from-one-side-only",
        "bot/store/write.py",
        'conn.execute(f"DELETE FROM actor_links WHERE actor_id {among} AND target_id {among}", (ids,))',
        'conn.execute(f"DELETE FROM actor_links WHERE actor_id {among}", (ids,))',
        ("tests/test_server_libraries.py", "tests/test_store_write.py"),
    ),
    B(
        "actor-event-count-of-every-library",
        "bot/store/schema.py",
        "FROM actor_events x WHERE x.actor_id = ad.actor_id AND x.library = d.library),",
        "FROM actor_events x WHERE x.actor_id = ad.actor_id),",
        ("tests/test_server_libraries.py", "tests/test_store_write.py"),
    ),
    B(
        "profile-roles-oldest-first",
        "bot/store/read.py",
        "ORDER BY ad.published DESC, d.key LIMIT {PROFILE_ROLES}",
        "ORDER BY ad.published, d.key LIMIT {PROFILE_ROLES}",
        ("tests/test_store_read.py",),
    ),
    B(
        "profile-links-beyond-the-page-not-counted",
        "bot/store/read.py",
        "more=len(links[kind, direction]) - len(page),",
        "more=0,",
        ("tests/test_store_read.py",),
    ),
    B(
        "profile-links-page-not-the-best-attested",
        "bot/store/read.py",
        "key=lambda other: (-other[1][0], other[0])",
        "key=lambda other: other[0]",
        ("tests/test_store_read.py",),
    ),
    B(
        "refresh-misses-a-commit-within-the-second",
        "bot/store/read.py",
        "if mark is not None and mark == self._wal_mark and now - self._checked_at < RECHECK_S:",
        "if now - self._checked_at < RECHECK_S:",
        ("tests/test_store_read.py",),
    ),
    B(
        "crowded-prefix-reads-the-alphabetically-first",
        "bot/resolve.py",
        "        self._crowded = self._crowded_prefixes()\n",
        "        self._crowded: dict[str, tuple[tuple[int, str], ...]] = {}\n",
        ("tests/test_resolve.py",),
    ),
    B(
        "documents-page-not-merged-across-libraries",
        "bot/store/read.py",
        """f" ORDER BY {', '.join(order)} LIMIT ?1"
""",
        """" LIMIT ?1"
""",
        ("tests/test_store_read.py",),
    ),
    B(
        "server-actor-page-reach-too-short",
        "bot/store/read.py",
        "ORDER BY mentions DESC LIMIT 1 OFFSET ?3 - 1), 0)",
        "ORDER BY mentions DESC LIMIT 1 OFFSET 0), 0)",
        ("tests/test_store_read.py",),
    ),
    B(
        "speaker-page-drops-its-last-date",
        "bot/store/read.py",
        "q.date IS NOT NULL AND q.date <= ?",
        "q.date IS NOT NULL AND q.date < ?",
        ("tests/test_store_read.py",),
    ),
    B(
        "range-page-offset-not-shifted",
        "bot/store/read.py",
        "more, max(0, offset - running))",
        "more, offset)",
        ("tests/test_store_read.py",),
    ),
    B(
        "transaction-begin-outside-try",
        "bot/store/read.py",
        """            try:
                await conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
""",
        """            await conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
""",
        ("tests/test_store_read.py",),
    ),
)


BASELINE_TIMEOUT = 1800  # seconds for the run of all chosen tests before any breakage


def run_tests(tests: tuple[str, ...], timeout: float | None = None) -> tuple[bool, float]:
    """Run ``tests`` in a fresh interpreter; True when they failed (the breakage was caught).

    No bytecode is written, so a broken module's .pyc never outlives the breakage."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    started = time.perf_counter()
    try:
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout or TIMEOUT,
        )
    except subprocess.TimeoutExpired:  # a hang is a failure too (subprocess.run killed pytest)
        return True, time.perf_counter() - started
    return result.returncode != 0, time.perf_counter() - started


def apply_and_test(breakage: Breakage) -> tuple[bool | None, float]:
    """(caught, seconds); caught is None when the text to break is not (exactly once) in the file."""
    path = ROOT / breakage.path
    original = path.read_bytes()
    text = original.decode()
    if text.count(breakage.old) != 1:
        raise SystemExit(
            f"{breakage.name}: the text to break occurs {text.count(breakage.old)} times in {path}"
        )
    stat = path.stat()
    try:
        path.write_text(text.replace(breakage.old, breakage.new), encoding="utf-8")
        # another mtime than the original's, so the original's cached bytecode is not used for it
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
        return run_tests(breakage.tests)
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a SIGTERM still restores the file being broken (the finally above)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _stop)
    if "--list" in argv:
        for breakage in BREAKAGES:
            print(f"{breakage.name:45} {breakage.path}")
        return 0
    chosen = [b for b in BREAKAGES if not argv or any(word in b.name for word in argv)]
    survived: list[Breakage] = []
    stale: list[Breakage] = []
    # every chosen breakage's tests at once: longer than one breakage's run may take
    failing, _ = run_tests(tuple(sorted({t for b in chosen for t in b.tests})), timeout=BASELINE_TIMEOUT)
    if failing:
        print("the tests fail without any breakage; fix them first", file=sys.stderr)
        return 2
    for breakage in chosen:
        caught, seconds = apply_and_test(breakage)
        verdict = {True: "caught  ", False: "SURVIVED", None: "STALE   "}[caught]
        print(f"{verdict} {breakage.name:45} {seconds:5.1f} s", flush=True)
        if caught is None:
            stale.append(breakage)
        elif not caught:
            survived.append(breakage)
    print(f"\n{len(chosen) - len(survived) - len(stale)} of {len(chosen)} caught")
    print("survived: " + (", ".join(b.name for b in survived) or "none"))
    if stale:
        print("stale (the code they break has changed; rewrite them): " + ", ".join(b.name for b in stale))
    return 1 if survived or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
