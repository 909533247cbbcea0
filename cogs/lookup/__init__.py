"""Actor look-ups in chat: the "Look up actors" message menu, answers when mentioned, and opt-in automatic
answers to "who is …?" questions (``/lookup``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.lookup._cog import Lookup

if TYPE_CHECKING:
    from bot.client import BriefingBot


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Lookup(bot))
