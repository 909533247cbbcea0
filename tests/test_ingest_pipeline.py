"""Ingest with the real extraction pipeline over the repo's articles (skipped until the pipeline lands)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.ingest import ensure_store, ingest
from bot.resolve import resolver_for
from bot.store import Store
from tests.store_fixtures import ARTICLES, assert_healthy, dump, needs_pipeline

pytestmark = needs_pipeline
SEED = "russia-mediation-goals-in-libya"


def test_the_seed_article_builds_a_healthy_store(store_path: Path) -> None:
    assert_healthy(store_path)
    report = ingest([ARTICLES], store_path)
    assert {r.status for r in report.results} == {"unchanged"}
    seed = next(r for r in report.results if r.key == SEED)
    assert seed.counts.actors > 5
    assert seed.counts.events > 3


def test_reingest_is_idempotent(store_path: Path) -> None:
    before = dump(store_path)
    ingest([ARTICLES], store_path)
    assert dump(store_path) == before


def test_export_of_the_seed_store(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(store_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data["documents"]] == [SEED]
    assert data["documents"][0]["published"] == "2019-04"
    names = {a["name"] for a in data["actors"]}
    for actor in data["actors"]:
        assert actor["kind"] in {"person", "organization", "country", "armed_group", "government", "other"}
        assert all(r["target"] in names for r in actor["relations"])
    for event in data["events"]:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", event["date"])
        assert set(event["actors"]) <= names
        assert event["document"] == SEED
    for quote in data["quotes"]:
        assert quote["speaker"] is None or quote["speaker"] in names
        assert quote["kind"] in {"direct", "reported"}


async def test_the_store_fixture_answers(store: Store) -> None:
    haftar = (await resolver_for(store)).exact("Haftar")
    assert haftar == "Khalifa Haftar"
    hits = await store.search("Haftar offensive Tripoli")
    assert hits
    assert hits[0].citation.document == SEED
    profile = await store.actor(haftar)
    assert profile is not None
    assert profile.mentions > 10


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Hifter", "Khalifa Haftar"),
        ("Sarraj", "Fayez al-Serraj"),
        ("Shoygu", "Sergei Shoigu"),
        ("wagner", "Wagner Group"),
        ("haf", "Khalifa Haftar"),
    ],
)
async def test_fuzzy_names_on_the_seed_article(store: Store, typed: str, expected: str) -> None:
    resolution = (await resolver_for(store)).resolve(typed)
    assert resolution.candidates[0].name == expected


def test_ensure_store_with_the_real_pipeline(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES, articles)
    db = tmp_path / "briefing.db"
    settings = load_settings({"BRIEFING_DB": str(db), "BRIEFING_ARTICLES": str(articles)}, env_file=None)
    ensure_store(settings)
    before = dump(db)
    ensure_store(settings)
    assert dump(db) == before
    assert_healthy(db)
