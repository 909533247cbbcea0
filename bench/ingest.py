"""Ingest cost: the seed article, then 10, 100 and 1,000 generated articles of similar size.

The generated articles follow the seed article's shape (front matter, byline, ~25 paragraphs, ~8 kB)
and are filled from templates with a different cast, places and dates each, so extraction does real
work and the store sees thousands of distinct actors. Each corpus is ingested into a fresh store; the
pipeline alone is timed separately to show what the store write costs on top.
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.ingest import Pipeline, default_pipeline, find_articles, ingest, read_article

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "seed_articles" / "russia-mediation-goals-in-libya.txt"  # fixed, unlike data/articles
DOC = REPO / "docs" / "benchmarks.md"
TARGET_MS = 50.0


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words("""Khalid Omar Yusuf Ali Hassan Ibrahim Tariq Samir Nabil Walid Karim Adel Fathi Mustafa Salah
Hamid Anwar Jamal Rashid Ziad Igor Dmitry Viktor Pavel Oleg Nikolai Andrei Boris Mikhail Sergei""")
LAST = _words("""Mansour Haddad Qasimi Barghouti Zawawi Obeidi Senussi Warfalli Tarhouni Misrati Zintani
Gharyani Fezzani Kikhia Jadallah Volkov Sokolov Lebedev Kozlov Novikov Morozov Pavlov Orlov Belov Gusev
Titov""")
CITIES = _words("Tripoli Benghazi Misrata Sirte Derna Sabha Tobruk Zawiya Gharyan Ajdabiya")
MONTHS = _words("January February March April May June July August September October November December")
COUNTRIES = [  # name, adjective, capital
    tuple(entry.split("/"))
    for entry in _words("""Russia/Russian/Moscow Egypt/Egyptian/Cairo Turkey/Turkish/Ankara
France/French/Paris Italy/Italian/Rome Qatar/Qatari/Doha Algeria/Algerian/Algiers Tunisia/Tunisian/Tunis
Sudan/Sudanese/Khartoum Jordan/Jordanian/Amman""")
]
GROUPS = [
    ("Libyan National Army", "LNA"),
    ("Government of National Accord", "GNA"),
    ("Southern Defence Force", "SDF"),
    ("Coastal Shield Brigade", "CSB"),
    ("Fezzan Protection Force", "FPF"),
]
COMPANIES = ["Wagner Group", "Redline Security", "Steppe Logistics", "Falcon Guard", "Northwind Contractors"]
INSTITUTES = [
    "Russian International Affairs Council",
    "Higher School of Economics",
    "Carnegie Middle East Center",
    "Arab Reform Initiative",
    "Institute for Strategic Dialogue",
]

# One paragraph template per block, in the seed article's style (hard-wrapped here, joined when loaded).
_TEMPLATES = """
In order to secure its economic interests in Libya, {c1} is seeking to bolster {leader_last}’s
influence over a future UN-brokered diplomatic settlement.

On {m} {d1}, {c1} blocked a resolution in the UN Security Council that would have called upon {group}
leader {leader} to halt his offensive in {city}, which began on {m} {d0}.

{c1}’s decision reaffirmed its position as one of {leader_last}’s leading allies, alongside {c2} and
{c3}, and highlighted {cap1}’s continued willingness to shield {leader_last} from international criticism.

Three days later, {leader_last} made a surprise visit to {cap1} as his offensive against {city}
intensified in a bid to secure military assistance from {adj1} Ministry of Defense officials.

{c1}’s recent diplomatic conduct and strategic interests in Libya underline its support for
{leader_last}’s offensive, as {adj1} companies seek to profit from Libya’s expanded oil production.

{cap1} also views {leader_last}’s self-proclaimed {group} ({abbr}) as a bulwark against extremism in Libya.

While the {adj1} foreign policy community largely agrees that {leader_last}’s offensive suits {c1}’s
goals, {cap1} is also trying to keep a channel open with the {group2} by engaging in dialogue with its
officials.

These failures are linked to perceptions that {group2} Prime Minister {pm}, not {leader_last}, is
Libya’s legitimate leader.

{expert}, the director general of the {institute}, argued on {m} {d2} that {c1} has backed
{leader_last}’s offensive because it wants the {abbr} to use its military successes as a bargaining chip.

In {m_prev}, it was reported that the {company}, a Kremlin-aligned security company, had allegedly
deployed {n} troops to {city2} and provided {leader_last} with artillery, drones, tanks, and ammunition.

This was after an initial meeting in {m_old} {y_old} between {leader_last}, {adj1} Minister of Defense
{minister}, and {company} chairman {chairman}.

“We will not abandon our partners in {city2},” {minister} said on {m} {d3}, according to state media.

Fierce clashes with {group2}-aligned forces in {city}’s southern suburbs on {m} {d3}, which left {n2}
dead, and the outbreak of demonstrations against {leader_last}’s offensive have elicited concerns in
{cap1}.

{expert2}, an expert on Libya at the {institute2}, believes that {leader_last} lacks the manpower to
exert lasting control over {city}.

On {m} {d4}, {adj1} Deputy Minister of Foreign Affairs {deputy} had a telephone conversation with
{official}, the {abbr2}’s deputy prime minister, who called for the departure of {leader_last}’s forces.

{deputy} stated on {m} {d5} that {abbr2} Minister of Foreign Affairs {foreign} had promised to attend
the {adj1}–Arab Cooperation Forum on {m} {d6}.

{official} said that “the aggression on {city} must stop before any talks can begin.”

Similar weapons deliveries from {c1} to the {abbr} are likely to continue, as {leader_last}’s access to
oil fields will allow him to purchase {adj1} weaponry on a more consistent basis.

To establish itself as a major contributor to a settlement, {c1} has maintained regular backchannel
communications with the {abbr2}, and {c2} has offered to host talks in {cap2}.

While {c1}’s outreach might ultimately unravel as {cap1}’s alliance with {leader_last} strengthens,
{cap1} hopes to sustain its line of communication to {pm_last}’s government for as long as possible.
"""
PARAGRAPHS = [" ".join(block.split()) for block in _TEMPLATES.strip().split("\n\n")]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def generate_article(number: int, rng: random.Random) -> str:
    """One seed-sized article (~8 kB): every template once, then a second, shuffled pass in which the
    secondary cast, places, numbers and days change."""
    (c1, adj1, cap1), (c2, _, cap2), (c3, _, _) = rng.sample(COUNTRIES, 3)
    (group, abbr), (group2, abbr2) = rng.sample(GROUPS, 2)
    leader, pm, author = _person(rng), _person(rng), _person(rng)
    year, month = rng.randint(2011, 2023), rng.randint(2, 12)
    story = {
        "c1": c1, "adj1": adj1, "cap1": cap1, "c2": c2, "cap2": cap2, "c3": c3,
        "group": group, "abbr": abbr, "group2": group2, "abbr2": abbr2,
        "leader": leader, "leader_last": leader.split()[1], "pm": pm, "pm_last": pm.split()[1],
        "institute": INSTITUTES[number % len(INSTITUTES)],
        "m": MONTHS[month - 1], "m_prev": MONTHS[month - 2], "y_old": year - 1,
    }  # fmt: skip
    passes = [PARAGRAPHS, rng.sample(PARAGRAPHS, len(PARAGRAPHS))]
    body = "\n\n".join(t.format(**story, **_details(rng)) for templates in passes for t in templates)
    return (
        f"---\ntitle: {c1}’s Goals in Libya, Part {number}\nauthor: {author}\npublished: {year}-{month:02d}\n"
        f"source: Generated benchmark corpus\n---\nBy {author}\n\n{body}\n"
    )


def _details(rng: random.Random) -> dict[str, object]:
    city, city2 = rng.sample(CITIES, 2)
    people = ("expert", "expert2", "minister", "chairman", "deputy", "official", "foreign")
    return {
        "city": city, "city2": city2, "institute2": rng.choice(INSTITUTES), "company": rng.choice(COMPANIES),
        "m_old": rng.choice(MONTHS), "n": rng.randint(50, 900), "n2": rng.randint(5, 90),
        **{person: _person(rng) for person in people},
        **{f"d{i}": day for i, day in enumerate(sorted(rng.sample(range(1, 29), 7)))},
    }  # fmt: skip


def write_corpus(folder: Path, count: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"generated-{number:04d}.txt"
        path.write_text(generate_article(number, rng), encoding="utf-8")
        paths.append(path)
    return paths


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
        "in one run (read, parse, extract, write, one transaction). *Pipeline* is parse + extract alone; "
        "*store* is the rest.",
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
