"""Extraction quality on the dev corpus (tests/corpus/dev): each article alone in a fresh store, exported and
scored against its hand-written gold; per article and mean precision, recall and F1 for actors (with
must-actor recall and person-role accuracy), events and statements, and the ingest cost per 1,000 words.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.ingest import write_section
from bench.scoring import Score, score
from bot.extract.document import parse_document
from bot.extract.parse import parse
from bot.extract.pipeline import extract
from bot.ingest import ingest
from bot.store.report import export_store

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "dev"
DOC = REPO / "docs" / "benchmarks.md"
TARGETS = {"actors F1": 0.92, "must": 0.97, "roles": 0.85, "events F1": 0.85, "statements F1": 0.80}


@dataclass
class Row:
    name: str
    words: int
    seconds: float
    score: Score

    def figures(self) -> dict[str, float]:
        a, e, s = self.score.actors, self.score.events, self.score.statements
        return {
            "actors P": a.precision,
            "actors R": a.recall,
            "actors F1": a.f1,
            "must": a.must_recall,
            "roles": a.role_accuracy,
            "events P": e.precision,
            "events R": e.recall,
            "events F1": e.f1,
            "statements P": s.precision,
            "statements R": s.recall,
            "statements F1": s.f1,
        }


def measure(corpus: Path, workdir: Path) -> list[Row]:
    parse(["The model is loaded once, before the clock starts."])
    rows = []
    for article in sorted(corpus.glob("*.txt")):
        gold = json.loads(article.with_suffix(".gold.json").read_text(encoding="utf-8"))
        db = workdir / f"{article.stem}.db"
        started = time.perf_counter()
        ingest([article], db)
        seconds = time.perf_counter() - started
        words = len(article.read_text(encoding="utf-8").split())
        rows.append(Row(article.stem, words, seconds, score(export_store(db), gold)))
    return rows


def means(rows: list[Row]) -> dict[str, float]:
    keys = rows[0].figures().keys()
    return {k: sum(r.figures()[k] for r in rows) / len(rows) for k in keys}


def report(rows: list[Row]) -> str:
    keys = list(rows[0].figures())
    lines = [
        "## Extraction quality",
        "",
        f"`python -m bench extraction` on {platform.machine()} / Python {platform.python_version()}, "
        f"{dt.date.today().isoformat()}. Each article of `tests/corpus/dev` is ingested alone into a fresh "
        "store, exported and scored against its gold (`bench/scoring.py`, rules in the corpus README).",
        "",
        "| article | " + " | ".join(keys) + " |",
        "|---|" + "---:|" * len(keys),
    ]
    lines += [f"| {r.name} | " + " | ".join(f"{v:.2f}" for v in r.figures().values()) + " |" for r in rows]
    mean = means(rows)
    lines.append("| **mean** | " + " | ".join(f"**{mean[k]:.2f}**" for k in keys) + " |")
    lines.append("")
    met = [f"{k} {mean[k]:.2f} {'≥' if mean[k] >= t else '<'} {t:.2f}" for k, t in TARGETS.items()]
    lines.append("Targets: " + "; ".join(met) + ".")
    lines.append(speed_report(rows))
    return "\n".join(lines) + "\n"


def pipeline_cost(texts: list[str], repeat: int = 3) -> float:
    """Best-of-``repeat`` seconds to parse and extract ``texts`` (one document each), model loaded."""
    documents = [parse_document(f"doc{i}", text) for i, text in enumerate(texts)]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for document in documents:
            extract(document)
        best = min(best, time.perf_counter() - started)
    return best


def speed_report(rows: list[Row]) -> str:
    """Ingest cost per 1,000 words: the whole path per article (a fresh store each), the pipeline alone,
    and the pipeline on one document made of the corpus 1, 2 and 4 times over (linear growth)."""
    words = sum(r.words for r in rows)
    seconds = sum(r.seconds for r in rows)
    texts = [(CORPUS / f"{r.name}.txt").read_text(encoding="utf-8") for r in rows]
    alone = pipeline_cost(texts)
    body = "\n\n".join(t.split("\n\n", 1)[-1] for t in texts)
    grown = [(n, pipeline_cost(["\n\n".join([body] * n)], repeat=1)) for n in (1, 2, 4)]
    growth = ", ".join(f"×{n}: {1e6 * s / (words * n):.0f}" for n, s in grown)
    return (
        f"Ingest per 1,000 words: {1e6 * seconds / words:.0f} ms for the whole path (read, parse, extract, a "
        f"fresh store written for each article), {1e6 * alone / words:.0f} ms for the pipeline alone "
        f"(best of 3; target ≤ 300). One document of the corpus repeated, ms per 1,000 words: {growth} "
        "(linear when these stay level). The language model loads once per process (about 1 s), not counted."
    )


def details(row: Row) -> str:
    a, e, s = row.score.actors, row.score.events, row.score.statements
    parts = [
        f"== {row.name}",
        f"actors missing: {a.misses}",
        f"actors wrong: {a.wrong}",
        f"roles wrong: {a.role_misses}",
        f"events missing: {e.misses}",
        f"events wrong: {e.wrong}",
        f"statements missing: {s.misses}",
        f"statements wrong: {s.wrong}",
    ]
    return "\n".join(parts)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench extraction", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of NAME.txt + NAME.gold.json")
    parser.add_argument("--details", action="store_true", help="list every miss and false positive")
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not update {DOC.name}")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-extraction-") as workdir:
        rows = measure(args.corpus, Path(workdir))
    if args.details:
        print("\n\n".join(details(r) for r in rows), end="\n\n")
    section = report(rows)
    print(section)
    if not args.no_write and args.corpus == CORPUS:
        write_section(DOC, section)
        print(f"written to {DOC}")
    return 0
