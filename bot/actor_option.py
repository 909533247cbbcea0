"""The actor option of /actor, /timeline and /quote: autocomplete, resolution of what was typed
(:mod:`bot.resolve`), and a menu when several actors fit.

A command takes ``app_commands.Transform[Resolution, ActorOption]`` and calls :func:`pick_actor`, which
gives the actor to answer about and the interaction to answer on (the menu's, when the user picked one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord
from discord import app_commands

from bot.client import UserFacingError
from bot.pager import DEFAULT_TIMEOUT, NO_MENTIONS, ExpiringView
from bot.resolve import Candidate, Resolution, closest_names, resolver_for
from bot.text import AUTOCOMPLETE_CHOICES, CHOICE_NAME_LIMIT, escape, truncate

MENU_OPTIONS = 25  # Discord's limit on a select menu's options
MENU_LABEL_LIMIT = 100
MENU_DESCRIPTION_LIMIT = 100


def choice_label(candidate: Candidate) -> str:
    """ "Khalifa Haftar (Hifter) — commander of the LNA": the name, the form typed when it differs, the
    role; within Discord's 100 characters, the name kept whole where it fits."""
    label = candidate.name
    if candidate.how in {"alias", "acronym", "spelling"} and candidate.matched != candidate.name:
        label += f" ({candidate.matched})"
    if candidate.role:
        label += f" — {candidate.role}"
    return truncate(label, CHOICE_NAME_LIMIT)


def actor_choices(candidates: Iterable[Candidate]) -> list[app_commands.Choice[str]]:
    """At most 25 choices, one per actor, in the resolver's order."""
    choices: list[app_commands.Choice[str]] = []
    for candidate in candidates:
        if not candidate.name.strip() or len(candidate.name) > CHOICE_NAME_LIMIT:
            continue
        choices.append(app_commands.Choice(name=choice_label(candidate), value=candidate.name))
        if len(choices) == AUTOCOMPLETE_CHOICES:
            break
    return choices


def unknown_actor_message(resolution: Resolution) -> str:
    """What to say when no actor fits: the closest names, or where to look."""
    shown = escape(truncate(" ".join(resolution.typed.split()), 60))
    names = closest_names(resolution)
    if not names:
        return f"No actor like “{shown}” in the articles; try /actors to see who is there."
    listed = ", ".join(f"**{escape(truncate(name, 100))}**" for name in names)
    return f"No actor called “{shown}”. Did you mean: {listed}?"


def showing_note(resolution: Resolution, actor: Candidate) -> str | None:
    """ "Showing **Andrei Kortunov** (“Kortunov”)" when the name shown is not what was typed."""
    if not resolution.restated:
        return None
    why = f", the {escape(truncate(actor.role, 150))}" if actor.how == "role" and actor.role else ""
    typed = escape(truncate(" ".join(resolution.typed.split()), 80))
    return f"Showing **{escape(actor.name)}**{why} (you typed “{typed}”)."


class ActorOption(app_commands.Transformer):
    """Resolves the typed text; refuses a text no actor fits, with the closest names."""

    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return 100

    async def transform(self, interaction: discord.Interaction, value: str, /) -> Resolution:
        resolver = await resolver_for(interaction.client.store, interaction.guild_id)  # type: ignore[attr-defined]
        resolution = resolver.resolve(value)
        if resolution.actor is None and not resolution.choices:
            raise UserFacingError(unknown_actor_message(resolution))
        return resolution

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str, /
    ) -> list[app_commands.Choice[str]]:
        """Served from the resolver's in-memory index (no I/O): autocomplete cannot be deferred."""
        resolver = await resolver_for(interaction.client.store, interaction.guild_id)  # type: ignore[attr-defined]
        return actor_choices(resolver.rank(value, AUTOCOMPLETE_CHOICES))


@dataclass(frozen=True)
class Picked:
    """The actor to answer about, the interaction to answer on, and a line saying which name matched."""

    name: str
    interaction: discord.Interaction
    note: str | None


class ActorMenu(ExpiringView):
    """A select menu of the actors a text may mean; only the user who asked may pick."""

    expired_content = "No actor was picked in time; run the command again to choose one."

    def __init__(self, resolution: Resolution, owner: discord.abc.User, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner = owner
        self.picked: tuple[str, discord.Interaction] | None = None
        self.menu: discord.ui.Select[ActorMenu] = discord.ui.Select(
            custom_id="actor:pick", placeholder="Pick an actor", min_values=1, max_values=1
        )
        for candidate in resolution.choices[:MENU_OPTIONS]:
            self.menu.add_option(
                label=truncate(candidate.name, MENU_LABEL_LIMIT),
                value=candidate.name[:100],
                description=truncate(candidate.role, MENU_DESCRIPTION_LIMIT) if candidate.role else None,
            )
        self.menu.callback = self._pick
        self.add_item(self.menu)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner.id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can pick here; run the command yourself.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False

    async def _pick(self, interaction: discord.Interaction) -> None:
        self.picked = (self.menu.values[0], interaction)
        self.stop()


async def pick_actor(
    interaction: discord.Interaction, resolution: Resolution, *, timeout: float = DEFAULT_TIMEOUT
) -> Picked | None:
    """The one actor ``resolution`` means, or the one the user picks from a menu; None when the menu timed
    out (its message then says so, and the menu is disabled)."""
    if resolution.actor is not None:
        return Picked(resolution.actor.name, interaction, showing_note(resolution, resolution.actor))
    typed = escape(truncate(" ".join(resolution.typed.split()), 80))
    menu = ActorMenu(resolution, interaction.user, timeout=timeout)
    await interaction.response.send_message(
        f"Several actors fit “{typed}”: pick one.", view=menu, ephemeral=True, allowed_mentions=NO_MENTIONS
    )
    menu.sent_with(interaction)
    if await menu.wait() or menu.picked is None:
        return None
    name, chosen = menu.picked
    menu.menu.disabled = True
    await interaction.edit_original_response(content=f"Showing **{escape(name)}**.", view=menu)
    return Picked(name, chosen, None)
