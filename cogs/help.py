"""``/help``: what the bot knows (articles and counts) and how to use each of its commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import lines_within
from bot.store.models import Summary
from bot.text import EMBED_DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, escape, truncate

if TYPE_CHECKING:
    from bot.client import BriefingBot

TITLE_LIMIT = 150
LIBRARY_NOTE = (
    "Members with Manage Server can add articles with /article add, or follow news feeds with /feed add: "
    "only this server sees what they bring. "
    "If the bot is removed, this server's articles and settings are deleted 30 days later "
    "unless it is added back."
)
MENUS = ((discord.AppCommandType.message, "a message"), (discord.AppCommandType.user, "a user"))


def usage(command: app_commands.Command[Any, ..., Any]) -> str:
    """`/quote [speaker] [topic]`: required options bare, optional ones in brackets."""
    options = [p.display_name if p.required else f"[{p.display_name}]" for p in command.parameters]
    return " ".join([f"/{command.qualified_name}", *options])


def command_lines(tree: app_commands.CommandTree[Any]) -> list[str]:
    """One line per slash command (subcommands included), then the right-click menu commands."""
    slash = sorted(
        (c for c in tree.walk_commands() if isinstance(c, app_commands.Command)),
        key=lambda c: c.qualified_name,
    )
    lines = [f"`{usage(c)}` — {c.description}" for c in slash]
    for kind, target in MENUS:
        lines += [f"**{menu.name}** — right-click {target} › Apps" for menu in tree.get_commands(type=kind)]
    return lines


def knowledge_summary(summary: Summary) -> str:
    counts = " · ".join(
        f"**{count}** {label}"
        for count, label in (
            (summary.actors, "actors"),
            (summary.events, "events"),
            (summary.quotes, "statements"),
        )
    )
    noun = "article" if summary.documents == 1 else "articles"
    articles = f"**{summary.documents}** {noun}"
    return f"I answer from {articles}, and cite the paragraph for everything I say.\n{counts}"


def article_list(summary: Summary) -> str:
    """The newest titles that fit, then how many more (``/source`` lists them all)."""
    titles = [f"• {escape(truncate(title, TITLE_LIMIT))}" for title in summary.titles]
    more = summary.documents - len(titles)
    return (
        lines_within(titles, FIELD_VALUE_LIMIT, "…and {n} more: /source lists them", hidden=more)
        or "None yet."
    )


def help_embed(summary: Summary, tree: app_commands.CommandTree[Any]) -> discord.Embed:
    commands_text = "\n".join(command_lines(tree))
    description = f"{knowledge_summary(summary)}\n\n**Commands**\n{commands_text}"
    embed = discord.Embed(title="What I know", description=truncate(description, EMBED_DESCRIPTION_LIMIT))
    embed.add_field(name="Articles", value=article_list(summary), inline=False)
    embed.add_field(name="This server's own articles", value=LIBRARY_NOTE, inline=False)
    embed.set_footer(text="Options in [brackets] are optional; names and titles autocomplete as you type.")
    return embed


class Help(commands.Cog):
    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What I know and how to ask me")
    async def help_command(self, interaction: discord.Interaction) -> None:
        embed = help_embed(await self.bot.store.summary(guild=interaction.guild_id), self.bot.tree)
        await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Help(bot))
