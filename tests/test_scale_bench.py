"""The scale benchmark's table, from made-up figures (`python -m bench scale` does the measuring)."""

from __future__ import annotations

from typing import Any

from bench.scale import report


def row(median: float, p99: float) -> dict[str, float]:
    return {"median_ms": median, "p99_ms": p99, "n": 50, "failed": 0}


def result(size: int, help_ms: float, actor_ms: float, rss: float) -> dict[str, Any]:
    return {
        "size": size,
        "bare": {"rows": {"bare bot /ping": row(1.0, 2.0)}, "rss_mb": 55.0},
        "rows": {"/help": row(help_ms, help_ms + 1), "/actor biggest actor, cached": row(actor_ms, actor_ms)},
        "answers": {"/timeline chart: biggest actor": row(400.0, 900.0)},
        "memory": {"before_mb": 100.0, "after_mb": rss, "peak_mb": rss + 10, "profiled": 500},
        "start": {"ready_s": 1.0, "first_answer_s": 1.5},
        "build": {"articles": size, "seconds": size * 0.3, "peak_rss_mb": 150.0},
        "not_measured": [],
        "errors": {},
    }


def test_each_command_is_a_row_with_its_growth_its_ratio_to_the_bare_bot_and_a_verdict() -> None:
    table = report([result(100, 1.5, 1.8, 120.0), result(10_000, 1.6, 30.0, 400.0)])
    lines = table.splitlines()
    assert lines[0] == "## Scale"
    assert "| command | 100 | 10,000 | 10,000/100 | vs bare | target |" in lines
    assert "| `/help` | 1.5 (2.5) | 1.6 (2.6) | 1.07× | 1.6× | pass |" in lines
    assert "| `/actor biggest actor, cached` | 1.8 (1.8) | 30.0 (30.0) | 16.67× | 30.0× | **FAIL** |" in lines
    assert "| `/timeline chart: biggest actor` | 400 (900) | 400 (900) | 1.00× | pass |" in lines
    memory = next(line for line in lines if line.startswith("| bot RSS after profiling"))
    assert memory.endswith("| 120 | 400 | 3.33× | under 150: **FAIL** |")
    peak = next(line for line in lines if line.startswith("| bot peak RSS"))
    assert peak.endswith("| 130 | 410 | 3.15× | under 150: **FAIL** |")
