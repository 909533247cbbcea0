"""Helpers for extraction tests: run the real pipeline on an article file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.extract.document import parse_document, split_front_matter
from bot.extract.model import Extraction
from bot.extract.pipeline import extract

ARTICLES = Path(__file__).parent.parent / "articles"
SEED = Path(__file__).parents[1] / "seed_articles" / "russia-mediation-goals-in-libya.txt"


def extract_file(path: Path, *, drop_front_matter: bool = False) -> Extraction:
    text = path.read_text(encoding="utf-8")
    if drop_front_matter:
        text = split_front_matter(text)[1]
    return extract(parse_document(path.stem, text))


@pytest.fixture(scope="session")
def seed_as_given() -> Extraction:
    """The seed article exactly as the project received it: no title, no date."""
    return extract_file(SEED, drop_front_matter=True)


@pytest.fixture(scope="session")
def yemen() -> Extraction:
    return extract_file(ARTICLES / "yemen-prisoner-swap.txt")


@pytest.fixture(scope="session")
def donbas() -> Extraction:
    return extract_file(ARTICLES / "donbas-ceasefire.md")


@pytest.fixture(scope="session")
def somalia() -> Extraction:
    return extract_file(ARTICLES / "somalia-port.txt")


def actor(extraction: Extraction, name: str):
    matches = [a for a in extraction.actors if a.name == name]
    assert matches, f"{name!r} not among {[a.name for a in extraction.actors]}"
    return matches[0]
