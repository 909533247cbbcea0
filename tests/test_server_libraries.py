"""Servers' own libraries from the command line: ``ingest/export/stats --server``, ``forget-server``, and
reading servers' articles again when the extractor changes."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.ingest import default_pipeline, ingest, refresh_libraries
from bot.store.schema import integrity_problems
from tests.store_fixtures import ARTICLES, PIPELINE_MISSING, REPO

SOMALIA = REPO / "tests" / "articles" / "somalia-port.txt"
YEMEN = REPO / "tests" / "articles" / "yemen-prisoner-swap.txt"
SERVER, OTHER = 111, 222

pytestmark = pytest.mark.skipif(bool(PIPELINE_MISSING), reason=PIPELINE_MISSING or "")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "store.db"
    ingest([ARTICLES], path)
    return path


def export(db: Path, capsys: pytest.CaptureFixture[str], *server: str) -> dict:
    capsys.readouterr()
    assert main(["export", "--db", str(db), *server]) == 0
    return json.loads(capsys.readouterr().out)


def problems(db: Path) -> list[str]:
    """What the full check finds, the kept totals (documents, events, statements, actors) recounted."""
    with sqlite3.connect(db) as conn:
        return integrity_problems(conn)


def names(data: dict) -> set[str]:
    return {actor["name"] for actor in data["actors"]}


def test_a_servers_articles_are_seen_by_that_server_only(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "--db", str(db), "--server", str(SERVER), str(SOMALIA)]) == 0
    assert "1 added" in capsys.readouterr().out

    mine = export(db, capsys, "--server", str(SERVER))
    theirs = export(db, capsys, "--server", str(OTHER))
    everything = export(db, capsys)
    assert {d["library"] for d in mine["documents"]} == {0, SERVER}
    assert {d["library"] for d in theirs["documents"]} == {0}
    assert "Aden Duale" in names(mine) and "Aden Duale" in names(everything)
    assert "Aden Duale" not in names(theirs) and "Khalifa Haftar" in names(theirs)
    assert not any("Kismayo" in e["evidence"] for e in theirs["events"])
    assert not any(q["speaker"] == "Ahmed Madobe" for q in theirs["quotes"])

    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--server", str(OTHER)]) == 0
    assert "somalia" not in capsys.readouterr().out

    # the same file again is unchanged, and the operator's folder, pruned, leaves the server's alone
    assert main(["ingest", "--db", str(db), "--server", str(SERVER), str(SOMALIA)]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert main(["ingest", "--db", str(db), "--prune", str(ARTICLES)]) == 0
    assert "Aden Duale" in names(export(db, capsys, "--server", str(SERVER)))


def test_forget_server_deletes_its_articles_and_settings_at_once(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for server in (SERVER, OTHER):
        assert main(["ingest", "--db", str(db), "--server", str(server), str(SOMALIA)]) == 0
    assert main(["ingest", "--db", str(db), "--server", str(SERVER), str(YEMEN)]) == 0
    assert problems(db) == []
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO guild_settings VALUES (?, 1, 'now')", (SERVER,))
        assert conn.execute("SELECT 1 FROM actors WHERE name = 'Mohammed Abdulsalam'").fetchone()
    capsys.readouterr()
    assert main(["forget-server", "--db", str(db), str(SERVER)]) == 0
    assert capsys.readouterr().out.startswith(f"forgot server {SERVER}: 2 of its own articles")
    assert problems(db) == []

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM guild_settings").fetchone() == (0,)
        assert conn.execute("SELECT DISTINCT library FROM documents ORDER BY 1").fetchall() == [
            (0,),
            (OTHER,),
        ]
        # actors only the forgotten server's articles named are gone; the other server keeps its own
        assert conn.execute("SELECT 1 FROM actors WHERE name = 'Mohammed Abdulsalam'").fetchone() is None
        assert conn.execute("SELECT 1 FROM actors WHERE name = 'Aden Duale'").fetchone() is not None


def test_a_bad_server_id_is_one_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--db", str(db), "--server", "general"])
    assert "a server id is a number" in capsys.readouterr().err


def test_servers_articles_are_read_again_when_the_extractor_changes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "elsewhere" / "port.txt"
    copy.parent.mkdir()
    shutil.copy(SOMALIA, copy)
    assert main(["ingest", "--db", str(db), "--server", str(SERVER), str(copy)]) == 0
    copy.unlink()  # a server's article lives on in the store, not in a file
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE documents SET added_by = 7, ingested_at = '2020-01-01' WHERE library = ?", (SERVER,)
        )
    before = export(db, capsys, "--server", str(SERVER))

    newer = dataclasses.replace(default_pipeline(), version="next")
    results = refresh_libraries(db, newer)
    assert [r.status for r in results] == ["updated"]
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT extractor_version, added_by, ingested_at FROM documents WHERE library = ?", (SERVER,)
        )
        assert row.fetchone() == ("next", 7, "2020-01-01")
    assert export(db, capsys, "--server", str(SERVER)) == before
    assert refresh_libraries(db, newer) == ()
    assert problems(db) == []


def test_the_check_finds_a_kept_total_that_drifted(db: Path) -> None:
    assert problems(db) == []
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE library_kinds SET actors = actors + 1 WHERE kind = 'person'")
    assert problems(db) == [
        "the kept count of actors per library and kind differs from the rows (a bug: please report it)"
    ]
