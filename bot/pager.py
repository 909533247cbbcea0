"""Buttons on an answer: a Previous/Next pager over pre-rendered embeds, and the base both views share.

A view greys its buttons out when it times out, by editing the message it was sent with (through the
interaction's token, which outlives the timeout). The pager answers only the user who asked for it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot.text import escape

log = logging.getLogger("bot.pager")

DEFAULT_TIMEOUT = 180.0
NO_MENTIONS = discord.AllowedMentions.none()


async def respond(
    interaction: discord.Interaction,
    embed: discord.Embed,
    *,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    ephemeral: bool = False,
    content: str | None = None,
) -> None:
    """Answer with ``embed`` (a follow-up if the interaction was deferred), pinging nobody."""
    kwargs: dict[str, Any] = {"embed": embed, "ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS}
    if content:
        kwargs["content"] = content
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    if interaction.response.is_done():
        await interaction.followup.send(wait=True, **kwargs)
    else:
        await interaction.response.send_message(**kwargs)


class ExpiringView(discord.ui.View):
    """A view whose buttons and menus are disabled on timeout; send it with :meth:`send`."""

    expired_content: str | None = None  # replaces the message's text on timeout, when set

    def __init__(self, *, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self._sent_with: discord.Interaction | None = None

    async def send(
        self,
        interaction: discord.Interaction,
        embed: discord.Embed,
        *,
        file: discord.File | None = None,
        ephemeral: bool = False,
        content: str | None = None,
    ) -> None:
        await respond(interaction, embed, view=self, file=file, ephemeral=ephemeral, content=content)
        self._sent_with = interaction

    def sent_with(self, interaction: discord.Interaction) -> None:
        """Remember the interaction whose answer carries this view, to disable it on timeout."""
        self._sent_with = interaction

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self._sent_with is None:
            return
        try:
            if self.expired_content is None:
                await self._sent_with.edit_original_response(view=self)
            else:
                await self._sent_with.edit_original_response(content=self.expired_content, view=self)
        except discord.HTTPException as error:  # deleted meanwhile, or the token expired
            log.info("could not disable the buttons of an expired view: %s", error)


class Pager(ExpiringView):
    """Previous/Next over ``pages``; only ``owner`` may turn them. One page is sent without buttons."""

    def __init__(
        self, pages: Sequence[discord.Embed], owner: discord.abc.User, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        if not pages:
            raise ValueError("a pager needs at least one page")
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.count = len(self.pages)
        self.owner = owner
        self.index = 0
        self._update_buttons()

    async def page_at(self, index: int) -> discord.Embed:
        return self.pages[index]

    async def start(
        self,
        interaction: discord.Interaction,
        *,
        file: discord.File | None = None,
        ephemeral: bool = False,
        content: str | None = None,
    ) -> None:
        """Answer ``interaction`` with the first page (and ``content`` above it)."""
        if self.count == 1:
            await respond(interaction, self.pages[0], file=file, ephemeral=ephemeral, content=content)
        else:
            await self.send(interaction, self.pages[0], file=file, ephemeral=ephemeral, content=content)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner.id:
            return True
        name = escape(self.owner.display_name)
        await interaction.response.send_message(
            f"Only {name} can page this; run the command yourself for your own copy.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False

    @discord.ui.button(
        label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary, custom_id="pager:previous"
    )
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[Pager]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary, custom_id="pager:next")
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Pager]) -> None:
        await self._turn(interaction, +1)

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        """Move by ``step`` pages, staying within the ends: a repeated or late click shows the last page."""
        self.index = min(max(self.index + step, 0), self.count - 1)
        self._update_buttons()
        await interaction.response.edit_message(embed=await self.page_at(self.index), view=self)

    def _update_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index == self.count - 1


class LazyPager(Pager):
    """A pager over ``count`` pages of which only the first is made up front: ``make(n)`` makes page ``n``
    when it is turned to (reading one page from the store), and pages once made are kept."""

    def __init__(
        self,
        first: discord.Embed,
        count: int,
        make: Callable[[int], Awaitable[discord.Embed]],
        owner: discord.abc.User,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__([first], owner, timeout=timeout)
        self.count = max(1, count)
        self._made = {0: first}
        self._make = make
        self._update_buttons()

    async def page_at(self, index: int) -> discord.Embed:
        if index not in self._made:
            self._made[index] = await self._make(index)
        return self._made[index]
