"""Autocomplete's own time with 10,000 actors: ``ActorResolver.rank`` and ``resolve`` in process.

Actors get generated two- and three-word names, an alias or two and a role, like an extracted store; the
typed texts cover each way of naming (prefix, surname, typo, acronym, role phrase, several words, nothing).
Autocomplete cannot be deferred, so its budget is 20 ms of own time per keystroke.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Sequence

from bench.ingest import write_section
from bench.questions import DOC
from bot.resolve import ActorResolver
from bot.store.models import ActorRecord

DOC_SECTION = "## Actor resolution"
ACTORS = 10_000
ROUNDS = 30
BUDGET_MS = 20.0
TYPED = [
    "", "k", "kor", "Kortunov", "Kortunv", "Hifter", "LNA", "the GNA", "Andrei Kortunov",
    "deputy foreign minister", "RIAC director", "Joe Biden", "Association of Southeast Asian Nations",
    "zzzzqqq", "Türkiye", "x" * 100,
]  # fmt: skip
ROLES = ["deputy foreign minister", "spokesman", "commander", "director of RIAC", "envoy", "president"]


def records(count: int, seed: int = 3) -> list[ActorRecord]:
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))

    made = [
        ActorRecord("Andrei Kortunov", "person", ("Kortunov",), ("director of RIAC",), 5),
        ActorRecord("Khalifa Haftar", "person", ("Haftar",), ("commander of the LNA",), 40),
        ActorRecord("Libyan National Army", "armed_group", ("LNA",), (), 30),
    ]
    for number in range(count - len(made)):
        words = [word().title() for _ in range(rng.choice((2, 2, 3)))]
        name = " ".join(words)
        aliases = (words[-1],) + ((f"{words[0][0]}{words[-1][0]}".upper(),) if number % 5 == 0 else ())
        role = (f"{rng.choice(ROLES)} of {word().title()}",) if number % 2 else ()
        kind = rng.choice(("person", "organization"))
        made.append(ActorRecord(name, kind, aliases, role, rng.randint(1, 50)))
    return made


def _timings(resolver: ActorResolver) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"rank": [], "resolve": []}
    for _ in range(ROUNDS):
        for text in TYPED:
            started = time.perf_counter()
            resolver.rank(text, 25)
            out["rank"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            resolver.resolve(text)
            out["resolve"].append((time.perf_counter() - started) * 1000)
    return out


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench resolve", description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=ACTORS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    actors = records(args.actors)
    started = time.perf_counter()
    resolver = ActorResolver(actors)
    build_ms = (time.perf_counter() - started) * 1000
    timings = _timings(resolver)
    worst = max(timings["rank"])
    rows = [
        f"| `{name}` | {statistics.median(v):.2f} | {_p(v, 0.99):.2f} | {max(v):.2f} |"
        for name, v in timings.items()
    ]
    section = "\n".join(
        [
            DOC_SECTION,
            "",
            f"`python -m bench resolve` on {platform.machine()} / Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d')}: {len(resolver):,} generated actors (names, aliases, roles), "
            f"{len(TYPED)} typed texts (prefix, surname, typo, acronym, role phrase, several words, "
            f"nothing) × {ROUNDS}. Building the index: {build_ms:.0f} ms (once per ingest).",
            "",
            "| own time | median ms | p99 ms | max ms |",
            "|---|---:|---:|---:|",
            *rows,
            "",
            f"Autocomplete budget {BUDGET_MS:.0f} ms: {'met' if worst < BUDGET_MS else 'NOT met'} "
            f"(slowest call {worst:.1f} ms).",
            "",
        ]
    )
    if not args.no_write:
        write_section(DOC, section)
    print(section)
    return 0 if worst < BUDGET_MS else 1
