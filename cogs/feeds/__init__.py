"""``/feed``: RSS and Atom feeds a server follows; their new articles go into its library (see ``_cog`` for
the commands, ``_reader`` for fetching and polling)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.feeds._cog import Feeds

if TYPE_CHECKING:
    from bot.client import BriefingBot

__all__ = ["Feeds", "setup"]


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Feeds(bot))
