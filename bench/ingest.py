"""Ingest cost: the seed article, then 10, 100 and 1,000 generated articles.

The generated articles (``bench/generate.py``: news-like, ~400 words, a cast that grows with the corpus)
go through the real extraction, so the store sees thousands of distinct actors. Each corpus is ingested
into a fresh store; the pipeline alone is timed separately to show what the store write costs on top.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.generate import write_corpus
from bot.ingest import Pipeline, default_pipeline, find_articles, ingest, read_article

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "seed_articles" / "russia-mediation-goals-in-libya.txt"  # fixed, unlike data/articles
DOC = REPO / "docs" / "benchmarks.md"
TARGET_MS = 50.0


@dataclass(frozen=True)
class Row:
    corpus: str
    articles: int
    total_s: float
    pipeline_ms: float  # parse + extract per article
    actors: int

    @property
    def per_article_ms(self) -> float:
        return self.total_s * 1000 / self.articles

    @property
    def store_ms(self) -> float:
        return max(0.0, self.per_article_ms - self.pipeline_ms)


def measure(corpus: str, folder: Path, pipeline: Pipeline, repeat: int = 1) -> Row:
    """Best of ``repeat`` full ingests into a fresh store, plus the pipeline alone."""
    files = find_articles([folder])
    totals = []
    for attempt in range(repeat):
        db = folder.parent / f"{folder.name}-{attempt}.db"
        started = time.perf_counter()
        ingest([folder], db, pipeline)
        totals.append(time.perf_counter() - started)
    started = time.perf_counter()
    for path in files:
        pipeline.extract(pipeline.parse(path.stem, read_article(path), str(path)))
    pipeline_ms = (time.perf_counter() - started) * 1000 / len(files)
    conn = sqlite3.connect(db)
    actors = conn.execute("SELECT count(*) FROM actors").fetchone()[0]
    conn.close()
    return Row(corpus, len(files), min(totals), pipeline_ms, actors)


def measure_unchanged(folder: Path, pipeline: Pipeline) -> float:
    """ms per article for re-ingesting a corpus that is already stored (read, parse, compare hashes)."""
    db = folder.parent / f"{folder.name}-0.db"
    started = time.perf_counter()
    ingest([folder], db, pipeline)
    return (time.perf_counter() - started) * 1000 / len(find_articles([folder]))


def run(sizes: Sequence[int], pipeline: Pipeline, workdir: Path) -> tuple[list[Row], float]:
    seed_dir = workdir / "seed"
    seed_dir.mkdir()
    (seed_dir / SEED.name).write_bytes(SEED.read_bytes())
    rows = [measure("seed article", seed_dir, pipeline, repeat=5)]
    for size in sizes:
        folder = workdir / f"generated-{size}"
        write_corpus(folder, size)
        rows.append(measure("generated", folder, pipeline))
    unchanged = measure_unchanged(workdir / f"generated-{max(sizes)}", pipeline) if sizes else 0.0
    return rows, unchanged


def report(rows: list[Row], unchanged_ms: float) -> str:
    """The "Ingest" section of docs/benchmarks.md."""
    lines = [
        "## Ingest",
        "",
        f"`python -m bench ingest` on {platform.machine()} / Python {platform.python_version()} / "
        f"SQLite {sqlite3.sqlite_version}, {time.strftime('%Y-%m-%d')}. Each corpus goes into a fresh store "
        "in one run (read, parse, extract, write: one transaction per file). *Pipeline* is parse + extract "
        "alone; *store* is the rest.",
        "",
        "| corpus | articles | total | ms / article | pipeline ms | store ms | actors in store |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.corpus} | {r.articles:,} | {r.total_s:.2f} s | {r.per_article_ms:.1f} | {r.pipeline_ms:.1f} "
        f"| {r.store_ms:.1f} | {r.actors:,} |"
        for r in rows
    ]
    generated = [r for r in rows if r.corpus == "generated"]
    lines.append("")
    if len(generated) >= 2:
        small, large = generated[0], generated[-1]
        growth = large.per_article_ms / small.per_article_ms
        lines.append(
            f"Cost per article at {large.articles:,} articles is {growth:.2f}× the cost at "
            f"{small.articles:,}: {'linear' if growth < 1.5 else 'NOT linear'} growth."
        )
    worst = max(r.per_article_ms for r in rows)
    verdict = "met" if worst < TARGET_MS else "MISSED"
    lines.append(f"Target under {TARGET_MS:.0f} ms per article: {verdict} (worst {worst:.1f} ms).")
    lines.append(
        f"Re-ingesting the largest corpus unchanged: {unchanged_ms:.2f} ms per article "
        "(no extraction, no writes)."
    )
    return "\n".join(lines) + "\n"


def write_section(doc: Path, section: str) -> None:
    """Replace the section headed like ``section`` in ``doc`` (or append it); other sections stay."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    heading = section.splitlines()[0]
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip("\n") == heading), None)
    if start is None:
        doc.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rest = "".join(lines[end:])
    doc.write_text("".join(lines[:start]) + section + ("\n" + rest if rest else ""), encoding="utf-8")


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000], help="generated corpora")
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not update {DOC.name}")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as workdir:
        rows, unchanged = run(args.sizes, default_pipeline(), Path(workdir))
    section = report(rows, unchanged)
    print(section)
    if not args.no_write:
        write_section(DOC, section)
        print(f"written to {DOC}")
    return 0
