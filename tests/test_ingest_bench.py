"""The ingest benchmark's own plumbing, run small with the stand-in pipeline."""

from __future__ import annotations

from pathlib import Path

from bench.ingest import report, run, write_section
from tests.store_fixtures import FAKE_PIPELINE


def test_run_and_report(tmp_path: Path) -> None:
    rows, unchanged = run([2, 6], FAKE_PIPELINE, tmp_path)
    assert [(r.corpus, r.articles) for r in rows] == [("seed article", 1), ("generated", 2), ("generated", 6)]
    assert all(r.total_s > 0 for r in rows)
    folders = [tmp_path / "seed", tmp_path / "generated-2", tmp_path / "generated-6"]
    assert [r.actors for r in rows] == [actors_named_in(folder) for folder in folders]
    assert rows[0].actors > 0 and rows[-1].actors > 0  # the fake pipeline knows a few of the names
    assert unchanged > 0
    section = report(rows, unchanged)
    assert section.startswith("## Ingest\n")
    assert "| generated | 6 |" in section
    assert "Target under 50 ms per article" in section


def actors_named_in(folder: Path) -> int:
    """Distinct actors the pipeline finds in a folder's articles: what the store must hold after ingest."""
    names = set()
    for path in sorted(folder.iterdir()):
        extraction = FAKE_PIPELINE.extract(FAKE_PIPELINE.parse(path.stem, path.read_text("utf-8"), None))
        names |= {actor.name for actor in extraction.actors}
    return len(names)


def test_write_section_replaces_only_its_own_section(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    write_section(doc, "## Ingest\n\nfirst\n")
    assert doc.read_text() == "# Benchmarks\n\n## Ingest\n\nfirst\n"
    doc.write_text(doc.read_text() + "\n## Autocomplete\n\nkept\n")
    write_section(doc, "## Ingest\n\nsecond\n")
    assert doc.read_text() == "# Benchmarks\n\n## Ingest\n\nsecond\n\n## Autocomplete\n\nkept\n"
