"""``/briefing``: each server's daily briefing, configured by members with Manage Server and posted by one
scheduler loop (see ``_cog``, ``_poster``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.briefing._cog import Briefing

if TYPE_CHECKING:
    from bot.client import BriefingBot

__all__ = ["Briefing", "setup"]


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Briefing(bot))
