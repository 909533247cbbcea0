"""The project's bot, running for real against the stand-in on a store built from the tests' seed article.

async def test_something(bot, standin):
    result = await standin.slash("actor", {"name": "Haftar"})
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.client import BriefingBot
from bot.config import Settings
from bot.standin import StandIn
from bot.standin.testing import bot_settings, run_bot
from tests.store_fixtures import ARTICLES


def make_settings(standin: StandIn, db_path: Path, **overrides: object) -> Settings:
    return bot_settings(standin, db_path, ARTICLES, **overrides)


class FakeClock:
    """An injectable clock tests move by hand instead of sleeping."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2019, 4, 20, 6, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cogs(*modules): load only these cogs in the bot fixture")
    config.addinivalue_line("markers", "settings(**values): Settings overrides for the bot fixture")


@pytest.fixture
async def bot(
    request: pytest.FixtureRequest, standin: StandIn, store_path: Path, clock: FakeClock
) -> AsyncIterator[BriefingBot]:
    """BriefingBot logged in, connected and its commands synced to the stand-in (all cogs, or
    ``@pytest.mark.cogs("cogs.actors", ...)``; settings overrides with ``@pytest.mark.settings(...)``)."""
    cogs_marker = request.node.get_closest_marker("cogs")
    settings_marker = request.node.get_closest_marker("settings")
    settings = make_settings(standin, store_path, **(settings_marker.kwargs if settings_marker else {}))
    kwargs = {"cogs": tuple(cogs_marker.args)} if cogs_marker else {}
    briefing_bot = BriefingBot(settings, clock=clock, **kwargs)
    async with run_bot(briefing_bot, standin):
        yield briefing_bot
