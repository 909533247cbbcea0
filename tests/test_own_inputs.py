"""Tests own their inputs: adding an article to ``data/articles`` (the operator's folder) changes no test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.store_fixtures import REPO

# Modules that build a store and run the bot and the playground on it: the ones that broke when they read
# data/articles.
REPRESENTATIVE = (
    "tests/bot/test_actors.py",
    "tests/test_playground.py::test_make_run_without_a_token_starts_the_playground",
)
COPY_IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "briefing.db*", ".env"
)


# A path to the operator's folder in code: "data/articles…" or "data" / "articles".
OPERATOR_FOLDER = re.compile(r"""["']data/articles|["']data["']\s*/\s*["']articles["']""")


def test_no_test_or_benchmark_reads_the_operators_article_folder() -> None:
    naming = [
        str(path.relative_to(REPO))
        for folder in ("tests", "bench")
        for path in (REPO / folder).rglob("*.py")
        if path.name != Path(__file__).name  # this file writes to a copy's data/articles
        and OPERATOR_FOLDER.search(path.read_text(encoding="utf-8"))
    ]
    assert naming == []


def test_an_article_added_to_data_articles_leaves_the_tests_green(tmp_path: Path) -> None:
    """The same tests, in a copy of the project whose data/articles holds one more article and a bad file."""
    copy = tmp_path / "project"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORED)
    articles = copy / "data" / "articles"
    shutil.copy(REPO / "tests" / "corpus" / "dev" / "wagner-next-in-africa.txt", articles)
    (articles / "half-written.md").write_text("---\ntitle: never closed\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    for name in ("BRIEFING_DB", "BRIEFING_ARTICLES", "DISCORD_TOKEN"):
        env.pop(name, None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *REPRESENTATIVE],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout.splitlines()[-1] and "failed" not in run.stdout.splitlines()[-1]
