"""The scale benchmark's round-robin, its saved figures and its table, without bots or stores (`python -m
bench scale` does the measuring)."""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench import scale
from bench.scale import FIGURES, _interleaved, _measured, report


def row(median: float, p99: float) -> dict[str, float]:
    return {"median_ms": median, "p99_ms": p99, "n": 50, "failed": 0}


def result(size: int, help_ms: float, actor_ms: float, rss: float) -> dict[str, Any]:
    return {
        "figures": FIGURES,
        "run": "2026-12-01T12:00:00+00:00",
        "sizes": [100, 10_000],
        "size": size,
        "bare": {
            "rows": {"bare bot /ping": row(1.0, 2.0)},
            "during": {"/help": row(0.8, 1.0), "/actor biggest actor, cached": row(1.5, 2.0)},
            "rss_mb": 55.0,
        },
        "rows": {"/help": row(help_ms, help_ms + 1), "/actor biggest actor, cached": row(actor_ms, actor_ms)},
        "answers": {"/timeline chart: biggest actor": row(400.0, 900.0)},
        "memory": {"before_mb": 100.0, "after_mb": rss, "peak_mb": rss + 10, "profiled": 500},
        "start": {"ready_s": 1.0, "first_answer_s": 1.5},
        "build": {"articles": size, "seconds": size * 0.3, "peak_rss_mb": 150.0},
        "not_measured": [],
        "errors": {},
    }


@pytest.mark.parametrize("count", [2, 3, 4])
async def test_a_row_calls_each_bot_once_per_round_each_first_and_after_each_other_equally_often(
    count: int,
) -> None:
    calls: list[tuple[int, int]] = []

    def bot(index: int):
        async def call(number: int) -> str:
            calls.append((number, index))
            return f"{index}:{number}"

        return call

    rounds = 2 * count * (count - 1)  # whole cycles of the orders for 2, 3 and 4 calls
    results = await _interleaved([bot(index) for index in range(count)], range(rounds))
    assert results == [[f"{index}:{number}" for number in range(rounds)] for index in range(count)]
    orders = [[index for number, index in calls if number == round_] for round_ in range(rounds)]
    assert all(sorted(order) == list(range(count)) for order in orders)  # each bot once in every round
    assert Counter(order[0] for order in orders) == dict.fromkeys(range(count), rounds // count)
    after = Counter(pair for order in orders for pair in itertools.pairwise(order))
    assert after == dict.fromkeys(itertools.permutations(range(count), 2), rounds // count)


def test_each_command_is_a_row_with_its_growth_its_ratio_to_the_bare_bot_and_a_verdict() -> None:
    table = report([result(100, 1.5, 1.8, 120.0), result(10_000, 1.6, 30.0, 400.0)])
    lines = table.splitlines()
    assert lines[0] == "## Scale"
    assert "interleaved, in one run" in lines[2]
    assert "| command | 100 | 10,000 | 10,000/100 | vs bare | target |" in lines
    assert "| `bare bot /ping` | 1.0 (2.0) | 1.0 (2.0) | 1.00× | 1.0× | pass |" in lines
    # vs bare: against the bare bot's /pings made between the row's own calls (0.8 ms here, not 1.0)
    assert "| `/help` | 1.5 (2.5) | 1.6 (2.6) | 1.07× | 2.0× | pass |" in lines
    assert "| `/actor biggest actor, cached` | 1.8 (1.8) | 30.0 (30.0) | 16.67× | 20.0× | **FAIL** |" in lines
    assert "| `/timeline chart: biggest actor` | 400 (900) | 400 (900) | 1.00× | pass |" in lines
    memory = next(line for line in lines if line.startswith("| bot RSS after profiling"))
    assert memory.endswith("| 120 | 400 | 3.33× | under 150: **FAIL** |")
    peak = next(line for line in lines if line.startswith("| bot peak RSS"))
    assert peak.endswith("| 130 | 410 | 3.15× | under 150: **FAIL** |")


@pytest.fixture
def saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Stores under ``tmp_path``; a made-up ``measure`` that records the sizes it measured together."""
    measured: list[list[int]] = []

    def measure(sizes: list[int], rounds: int, profiled: int) -> list[dict[str, Any]]:
        measured.append(list(sizes))
        return [result(size, 1.0, 1.0, 100.0) | {"run": "new", "sizes": list(sizes)} for size in sizes]

    monkeypatch.setattr(scale, "store_path", lambda size: tmp_path / f"n{size}.db")
    monkeypatch.setattr(scale, "measure", measure)
    return measured


def test_reuse_takes_sizes_saved_by_one_run_and_measures_all_together_otherwise(
    tmp_path: Path, saved: list[list[int]]
) -> None:
    reuse = argparse.Namespace(reuse=True, rounds=50, profiled=500)
    first = _measured([100, 1_000], reuse)  # nothing saved yet
    assert saved == [[100, 1_000]]
    assert _measured([100, 1_000], reuse) == first
    assert saved == [[100, 1_000]]
    figures = json.loads((tmp_path / "n1000.measured.json").read_text(encoding="utf-8"))
    (tmp_path / "n1000.measured.json").write_text(json.dumps(figures | {"run": "other"}), encoding="utf-8")
    _measured([100, 1_000], reuse)  # measured at other times: not compared, both measured again
    assert saved == [[100, 1_000], [100, 1_000]]
    for size in (100, 1_000):  # saved the way an older version measured: measured again
        path = tmp_path / f"n{size}.measured.json"
        figures = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(figures | {"figures": FIGURES - 1}), encoding="utf-8")
    _measured([100, 1_000], reuse)
    assert saved == [[100, 1_000]] * 3
    _measured([100, 1_000], argparse.Namespace(reuse=False, rounds=50, profiled=500))
    assert saved == [[100, 1_000]] * 4
