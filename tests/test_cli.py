"""``python -m bot``: ingest, export, stats, and lazy dispatch of the bot's own commands."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import types
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import LATEST_VERSION
from tests.store_fixtures import FAKE_PIPELINE, REPO, assert_healthy
from tests.test_ingest import ARTICLE_ONE, ARTICLE_TWO, wreck_page_of

KINDS = {"person", "organization", "country", "armed_group", "government", "other"}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No .env from the repo, no BRIEFING_* from the caller, and the stand-in pipeline."""
    monkeypatch.chdir(tmp_path)
    for name in ("BRIEFING_DB", "BRIEFING_ARTICLES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("bot.ingest.default_pipeline", lambda: FAKE_PIPELINE)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "offensive.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    (folder / "moscow.md").write_text(ARTICLE_TWO, encoding="utf-8")
    return folder


@pytest.fixture
def db(tmp_path: Path, articles: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "store.db"
    assert main(["ingest", str(articles), "--db", str(path)]) == 0
    capsys.readouterr()
    return path


def test_ingest_reports_each_file(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "store.db"
    assert main(["ingest", str(articles), "--db", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["added", "moscow", "4", "actors,", "1", "events,", "0", "quotes"]
    assert out[1].split() == ["added", "offensive", "3", "actors,", "2", "events,", "1", "quotes"]
    assert out[2] == f"2 added, 0 updated, 0 unchanged, 0 refused → {path}"
    assert main(["ingest", str(articles / "moscow.md"), "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("unchanged  moscow")
    assert_healthy(path)


def test_ingest_uses_the_configured_store_by_default(
    articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_DB", str(tmp_path / "configured.db"))
    assert main(["ingest", str(articles)]) == 0
    assert (tmp_path / "configured.db").exists()


def test_every_refused_file_is_one_error_line_and_the_exit_code_is_1(
    articles: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (articles / "broken.txt").write_bytes(b"\xff\xfe\xfa not text")
    (articles / "empty.md").write_bytes(b"")
    assert main(["ingest", str(articles), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"error: refused {articles / 'broken.txt'}: UTF-16 text; save it as UTF-8",
        f"error: refused {articles / 'empty.md'}: the file is empty",
    ]
    assert captured.out.splitlines()[-1] == f"0 added, 0 updated, 2 unchanged, 2 refused → {db}"


def test_ingest_of_a_folder_without_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "s.db")]) == 1
    assert capsys.readouterr().err.startswith("error: no *.txt or *.md articles in")
    assert not (tmp_path / "s.db").exists()


def test_export_shape(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(db)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"documents", "actors", "events", "quotes"}
    assert data["documents"] == [
        {
            "id": "moscow",
            "title": "Talks in Moscow",
            "author": None,
            "published": "2018-11-07",
            "source": None,
            "library": 0,
        },
        {
            "id": "offensive",
            "title": "Haftar's Offensive",
            "author": None,
            "published": "2019-04",
            "source": None,
            "library": 0,
        },
    ]
    names = {actor["name"] for actor in data["actors"]}
    for actor in data["actors"]:
        assert set(actor) == {"name", "kind", "aliases", "role", "relations", "mentions"}
        assert actor["kind"] in KINDS
        assert isinstance(actor["mentions"], int)
        assert all(set(r) == {"type", "target"} and r["target"] in names for r in actor["relations"])
    russia = next(a for a in data["actors"] if a["name"] == "Russia")
    assert russia["relations"] == [{"type": "backs", "target": "Khalifa Haftar"}]
    assert russia["aliases"] == ["Moscow"]
    assert data["events"][0] == {
        "date": "2018-11-07",
        "precision": "day",
        "summary": "Haftar met Sergei Shoigu and Yevgeny Prigozhin.",
        "actors": ["Khalifa Haftar", "Sergei Shoigu", "Yevgeny Prigozhin"],
        "document": "moscow",
        "paragraph": 2,
        "evidence": "On 2018-11-07, Haftar met Sergei Shoigu and Yevgeny Prigozhin.",
    }
    assert all(set(e["actors"]) <= names for e in data["events"])
    assert data["quotes"] == [
        {
            "speaker": "Russia",
            "kind": "direct",
            "text": "we support a political settlement in Libya",
            "date": "2019-04-12",
            "document": "offensive",
            "paragraph": 3,
        }
    ]


def test_stats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"store {db}: schema {LATEST_VERSION}, extractor fake-1")
    lines = [line.split() for line in out.splitlines()]
    assert ["documents", "2"] in lines
    for key, text in (("offensive", ARTICLE_ONE), ("moscow", ARTICLE_TWO)):
        assert [key, *map(str, counts_of(text))] in lines


def counts_of(text: str) -> tuple[int, ...]:
    """What the stats row of an article must say, counted from the pipeline's own extraction of it:
    paragraphs, sentences, actors, mentions, relations, events, quotes."""
    extraction = FAKE_PIPELINE.extract(FAKE_PIPELINE.parse("key", text, None))
    actors = extraction.actors
    return (
        len(extraction.document.paragraphs),
        len(extraction.sentences),
        len(actors),
        sum(len(actor.mentions) for actor in actors),
        sum(len(actor.relations) for actor in actors),
        len(extraction.events),
        len(extraction.quotes),
    )


@pytest.mark.parametrize("command", ["export", "stats"])
def test_reading_a_missing_store_fails_cleanly(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.db"
    assert main([command, "--db", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {missing}: no store here yet")
    assert err.count("\n") == 1
    assert not missing.exists()


def test_a_foreign_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("hello")
    assert main(["stats", "--db", str(notes)]) == 1
    assert "not a SQLite database" in capsys.readouterr().err
    assert notes.read_text() == "hello"


@pytest.mark.parametrize(
    ("argv", "called"), [([], "run"), (["run"], "run"), (["playground"], "playground"), (["sync"], "sync")]
)
def test_bot_commands_dispatch_lazily_to_the_runner(
    argv: list[str], called: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, Path]] = []
    runner = types.ModuleType("bot.runner")
    for name in ("run", "playground", "sync"):
        setattr(runner, name, lambda settings, name=name: calls.append((name, settings.db_path)))
    monkeypatch.setitem(sys.modules, "bot.runner", runner)
    monkeypatch.setattr("bot.runner", runner, raising=False)  # also if the real one was imported before
    assert main([*argv, "--db", str(tmp_path / "x.db")] if argv else []) == 0
    expected_db = tmp_path / "x.db" if argv else Path("data/briefing.db")
    assert calls == [(called, expected_db)]


def test_store_commands_never_import_the_runner(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bot.runner", None)  # importing it would now fail
    assert main(["stats", "--db", str(db)]) == 0
    assert main(["export", "--db", str(db)]) == 0


def test_python_dash_m_bot_errors_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=60,  # killed rather than left running if it hangs
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_ingest_prune_removes_articles_whose_file_is_gone(
    articles: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (articles / "moscow.md").unlink()
    assert main(["ingest", str(articles), "--db", str(db)]) == 0
    assert "removed" not in capsys.readouterr().out
    assert main(["ingest", "--prune", str(articles), "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "unchanged  offensive  3 actors, 2 events, 1 quotes",
        "removed    moscow     0 actors, 0 events, 0 quotes",
    ]
    assert main(["ingest", "--prune", str(articles / "offensive.txt"), "--db", str(db)]) == 1
    assert capsys.readouterr().err == "error: --prune takes one folder (e.g. data/articles)\n"


def test_invite_prints_the_link_with_the_scopes_and_permissions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "1234567890"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "https://discord.com/oauth2/authorize?client_id=1234567890"
        "&scope=bot+applications.commands&permissions=274877991936"
    )
    assert out[1:3] == [
        "It asks for these permissions:",
        "  View Channels: see the briefing channel and the messages that mention it",
    ]


def test_ingest_warns_of_an_unknown_front_matter_key_with_the_closest_one(tmp_path):
    """The real pipeline, in a process of its own (this module's tests use a fake one)."""
    article = tmp_path / "typo.md"
    article.write_text("---\npublised: 2020-01-14\n---\nThe rebels left on Monday.\n", encoding="utf-8")
    command = [sys.executable, "-m", "bot", "ingest", "--db", str(tmp_path / "s.db"), str(article)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    err = done.stderr
    hint = "front matter key 'publised' is not used (did you mean 'published'?)"
    assert f"warning: {article.resolve()}: {hint}" in err


def check(db: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bot", "check", "--db", str(db)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60, check=False)


def test_check_reads_a_sound_store_and_says_so_in_one_line(db: Path) -> None:
    done = check(db)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"{db}: no damage found (") and done.stdout.count("\n") == 1


def test_check_finds_damage_anywhere_one_line_exit_code_1(db: Path) -> None:
    damaged = wreck_page_of(db, "sentences_fts_data")  # a page start-up never reads
    done = check(db)
    assert (done.returncode, done.stdout, "Traceback" in done.stderr) == (1, "", False)
    assert done.stderr.startswith(f"error: {db}: damaged store: ") and done.stderr.count("\n") == 1
    assert db.read_bytes() == damaged


def test_check_of_a_missing_store_or_not_a_store(tmp_path: Path) -> None:
    assert check(tmp_path / "none.db").stderr == f"error: {tmp_path / 'none.db'}: no store here\n"
    (tmp_path / "notes.db").write_text("my notes")
    assert "not a SQLite database" in check(tmp_path / "notes.db").stderr


def test_malloc_arenas_are_capped_unless_the_operator_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("mallopt is glibc's")
    from bot.runner import limit_malloc_arenas  # not at the top: the test above stands in for bot.runner

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False  # the operator's setting stands
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    assert limit_malloc_arenas() is True
