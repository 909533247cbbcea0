"""The bot keeps answering through gateway drops, rate limits, command failures and concurrent ingests."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.ingest import ingest
from bot.standin import StandIn
from tests.store_fixtures import SEED_ARTICLE

pytestmark = pytest.mark.cogs("cogs.actors", "cogs.search")

NEW_ARTICLE = """---
title: Talks in Geneva
published: 2019-05-02
---
On May 2, Ghassan Salame, the UN envoy for Libya, said that both sides had agreed to meet in Geneva.
"""


async def test_a_dropped_gateway_connection_resumes_and_the_next_command_is_answered(standin: StandIn, bot):
    standin.drop_connection(0)
    await standin.wait_for_gateway("resume")
    result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    assert result.embeds[0]["title"] == "Khalifa Haftar"


async def test_a_non_resumable_close_re_identifies_and_the_next_command_is_answered(standin: StandIn, bot):
    identifies = len(standin.gateway.records("identify"))
    standin.close_connection(0, code=4009)
    await standin.wait_for_gateway("identify", count=identifies + 1)
    result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    assert result.embeds[0]["title"] == "Khalifa Haftar"


async def test_a_rate_limited_response_is_retried_and_the_command_completes(standin: StandIn, bot):
    standin.rate_limit(r"/interactions/\d+/[^/]+/callback", times=1, retry_after=0.1)
    result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    assert (result.embeds[0]["title"], standin.count_requests("POST", r"/callback$")) == ("Khalifa Haftar", 2)


async def test_an_exception_in_a_command_gets_an_apology_with_an_id_that_is_in_the_log(
    standin: StandIn, bot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    async def broken(name: str, **scope: object):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(bot.store, "actor", broken)
    with caplog.at_level(logging.ERROR, logger="bot"):
        result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    error_id = re.search(r"error `([0-9a-f]+)`", result.content or "").group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert (result.ephemeral, len(logged), logged[0].exc_info[0]) == (True, 1, RuntimeError)


async def test_the_bot_goes_on_after_a_failed_command(standin: StandIn, bot, monkeypatch: pytest.MonkeyPatch):
    async def broken(name: str, **scope: object):
        raise RuntimeError("once")

    with monkeypatch.context() as patch:
        patch.setattr(bot.store, "actor", broken)
        await standin.slash("actor", {"name": "Khalifa Haftar"})
    result = await standin.slash("actor", {"name": "Khalifa Haftar"})
    assert result.embeds[0]["title"] == "Khalifa Haftar"


async def test_an_ingest_while_the_bot_runs_is_visible_without_a_restart(
    standin: StandIn, bot, store_path: Path, tmp_path: Path
):
    article = tmp_path / "talks-in-geneva.md"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    shutil.copy(SEED_ARTICLE, tmp_path)
    ingest([tmp_path], store_path)
    suggested = await standin.autocomplete("actor", {"name": "Salame"}, "name")
    result = await standin.slash("actor", {"name": "Ghassan Salame"})
    assert ("Ghassan Salame", result.embeds[0]["title"]) == (suggested.choices[0]["value"], "Ghassan Salame")


async def test_the_token_never_appears_in_the_logs(standin: StandIn, bot, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.DEBUG):
        await standin.slash("actor", {"name": "Khalifa Haftar"})
        standin.drop_connection(0)
        await standin.wait_for_gateway("resume")
        await standin.slash("search", {"text": "Wagner"})
    assert standin.config.token not in caplog.text
    assert standin.config.token not in repr(bot.settings)


async def test_readers_keep_answering_while_an_ingest_holds_the_write_lock(
    standin: StandIn, bot, store_path: Path
):
    writer = sqlite3.connect(store_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO meta (key, value) VALUES ('ingest-in-progress', 'yes')")
    try:
        actor = await standin.slash("actor", {"name": "Khalifa Haftar"})
        search = await standin.slash("search", {"text": "Wagner"})
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert (actor.embeds[0]["title"], search.rejections, search.ephemeral) == ("Khalifa Haftar", [], False)
