"""/actor: one actor's cited profile, with buttons for its full timeline and statements; /actors: who is
in the articles, grouped by kind."""

from __future__ import annotations

from typing import cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.actor_option import ActorOption, pick_actor
from bot.client import BriefingBot, UserFacingError
from bot.extract.model import ActorKind
from bot.pager import DEFAULT_TIMEOUT, ExpiringView, LazyPager, Pager
from bot.render import ACTORS_PER_PAGE, KIND_NAMES, actor_page, profile_embed, statement_pages
from bot.resolve import Resolution
from bot.store import Store
from bot.store.models import ActorProfile
from bot.timeline_view import timeline_pager

BUTTON_ITEMS = 200

KIND_CHOICES = [app_commands.Choice(name=names[0], value=kind) for kind, names in KIND_NAMES.items()]


class ProfileView(ExpiringView):
    """The profile's buttons: anyone may press them and gets the list as a private pager of their own,
    read from the store when pressed (the timeline a page at a time; at most :data:`BUTTON_ITEMS`
    statements, /quote narrows further)."""

    def __init__(self, profile: ActorProfile, store: Store, guild: int | None, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.profile = profile
        self.store = store
        self.guild = guild
        self.show_timeline.disabled = not profile.events
        self.show_statements.disabled = not profile.quotes

    @discord.ui.button(label="Timeline", emoji="🗓️", custom_id="profile:timeline")
    async def show_timeline(
        self, interaction: discord.Interaction, _: discord.ui.Button[ProfileView]
    ) -> None:
        pager, _ = await timeline_pager(
            self.store,
            interaction.user,
            f"Timeline: {self.profile.name}",
            actor=self.profile.name,
            guild=self.guild,
            timeout=self.timeout or DEFAULT_TIMEOUT,
        )
        await pager.start(interaction, ephemeral=True)

    @discord.ui.button(label="Statements", emoji="💬", custom_id="profile:statements")
    async def show_statements(
        self, interaction: discord.Interaction, _: discord.ui.Button[ProfileView]
    ) -> None:
        quotes = await self.store.quotes(speaker=self.profile.name, limit=BUTTON_ITEMS, guild=self.guild)
        title = f"Statements: {self.profile.name}"
        if self.profile.total_quotes > len(quotes):
            title += f" (first {len(quotes)} of {self.profile.total_quotes}; /quote narrows by topic)"
        await self._page(interaction, statement_pages(quotes, title))

    async def _page(self, interaction: discord.Interaction, pages: list[discord.Embed]) -> None:
        pager = Pager(pages, interaction.user, timeout=self.timeout or DEFAULT_TIMEOUT)
        await pager.start(interaction, ephemeral=True)


class Actors(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.pager_timeout = DEFAULT_TIMEOUT  # seconds the buttons stay live; tests shorten it

    @app_commands.command(
        name="actor", description="Who someone is in the articles: role, links, events, quotes"
    )
    @app_commands.describe(name="A person, group, country or organization: a name, alias, surname or role")
    async def actor(
        self,
        interaction: discord.Interaction[BriefingBot],
        name: app_commands.Transform[Resolution, ActorOption],
    ) -> None:
        picked = await pick_actor(interaction, name, timeout=self.pager_timeout)
        if picked is None:
            return
        profile = await self.bot.store.actor(picked.name, guild=interaction.guild_id)
        if profile is None:  # removed by an ingest since the name was resolved
            raise UserFacingError("That actor is no longer in the articles; try /actors.")
        view = ProfileView(profile, self.bot.store, interaction.guild_id, timeout=self.pager_timeout)
        await view.send(picked.interaction, profile_embed(profile), content=picked.note)

    @app_commands.command(name="actors", description="Everyone the articles name, grouped by kind")
    @app_commands.describe(kind="Only list actors of this kind")
    @app_commands.choices(kind=KIND_CHOICES)
    async def actors(
        self, interaction: discord.Interaction[BriefingBot], kind: app_commands.Choice[str] | None = None
    ) -> None:
        chosen = cast(ActorKind, kind.value) if kind else None
        store, guild = self.bot.store, interaction.guild_id
        counts = await store.actor_counts(chosen, guild=guild)
        total = sum(counts.values())
        if not total:
            raise UserFacingError("No actors of that kind in the articles yet; try /actors without a kind.")
        pages = -(-total // ACTORS_PER_PAGE)

        async def page(number: int) -> discord.Embed:
            """One page, read from the store when it is turned to."""
            actors = await store.actors(
                chosen,
                guild=guild,
                kinds=list(KIND_NAMES),
                limit=ACTORS_PER_PAGE,
                offset=number * ACTORS_PER_PAGE,
            )
            return actor_page(actors, number, pages, counts, chosen)

        pager = LazyPager(await page(0), pages, page, interaction.user, timeout=self.pager_timeout)
        await pager.start(interaction)


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Actors(bot))
