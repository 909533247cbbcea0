"""The benchmark corpus generator: seedable, a cast with a long tail, dates over years, and text the real
extraction reads the planted people, organisations and statements from."""

from __future__ import annotations

import collections
from pathlib import Path

from bench.generate import FIRST_YEAR, LAST_YEAR, generate, write_corpus
from bot.extract.document import parse_document
from bot.extract.pipeline import extract


def test_the_same_seed_writes_the_same_files_and_another_seed_other_ones(tmp_path: Path) -> None:
    first = [path.read_bytes() for path in write_corpus(tmp_path / "a", 20, seed=5)]
    again = [path.read_bytes() for path in write_corpus(tmp_path / "b", 20, seed=5)]
    other = [path.read_bytes() for path in write_corpus(tmp_path / "c", 20, seed=6)]
    assert first == again
    assert all(a != b for a, b in zip(first, other, strict=True))
    assert len(set(first)) == 20


def test_a_smaller_corpus_is_the_start_of_a_larger_one() -> None:
    assert [a.text for a in generate(30)] == [a.text for a in generate(300)[:30]]


def test_new_names_keep_appearing_and_a_few_are_everywhere() -> None:
    articles = generate(1000)
    small = {name for article in articles[:100] for name in article.persons}
    counts = collections.Counter(name for article in articles for name in article.persons)
    assert len(counts) > 5 * len(small)  # the cast keeps growing, about one newcomer per article
    assert sum(1 for n in counts.values() if n == 1) > len(counts) / 3  # a long tail named once
    assert counts.most_common(1)[0][1] > 100  # and someone in more than one article in ten
    organisations = {name for article in articles for name in article.organisations}
    assert len(organisations) > 50


def test_publication_dates_span_the_years() -> None:
    years = collections.Counter(article.text.split("published: ")[1][:4] for article in generate(300))
    assert sorted(years) == [str(year) for year in range(FIRST_YEAR, LAST_YEAR + 1)]


def test_extraction_finds_most_of_what_was_planted() -> None:
    planted = found = quoted = statements = events = dated = 0
    for number, article in enumerate(generate(12, seed=3)):
        extraction = extract(parse_document(f"generated-{number}", article.text))
        names = {actor.name for actor in extraction.actors}
        planted += len(article.persons) + len(article.organisations)
        found += sum(name in names for name in (*article.persons, *article.organisations))
        statements += article.statements
        quoted += sum(quote.speaker in article.persons for quote in extraction.quotes)
        events += article.events
        dated += len(extraction.events)
    assert found >= 0.9 * planted
    assert quoted >= 0.9 * statements
    assert dated >= events
