"""A small discord.py bot with one command per stand-in feature under test."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

TOPICS = ["ceasefire", "elections", "energy", "refugees", "sanctions"]


class ConfirmView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Confirm", custom_id="confirm", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]) -> None:
        await interaction.response.edit_message(content=f"Confirmed by {interaction.user.name}", view=None)


brief = app_commands.Group(name="brief", description="Briefings")
config = app_commands.Group(name="config", description="Settings", parent=brief)


@brief.command(description="Latest briefing on a topic")
async def latest(interaction: discord.Interaction, topic: str) -> None:
    await interaction.response.send_message(f"latest on {topic}")


@latest.autocomplete("topic")
async def topic_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=t.title(), value=t) for t in TOPICS if t.startswith(current)]


@config.command(name="set", description="Change a setting")
async def config_set(interaction: discord.Interaction, key: str, value: int) -> None:
    await interaction.response.send_message(f"{key}={value}", ephemeral=True)


@app_commands.command(description="Echo text back")
@app_commands.describe(text="What to say")
async def echo(
    interaction: discord.Interaction,
    text: str,
    times: app_commands.Range[int, 1, 5] = 1,
    loud: bool = False,
    private: bool = False,
) -> None:
    message = " ".join([text.upper() if loud else text] * times)
    await interaction.response.send_message(message, ephemeral=private)


@app_commands.command(description="Who is who")
async def whois(
    interaction: discord.Interaction, member: discord.Member, channel: discord.TextChannel, role: discord.Role
) -> None:
    await interaction.response.send_message(f"{member.name} in #{channel.name} with @{role.name}")


@app_commands.command(description="Pick a colour")
@app_commands.choices(
    colour=[app_commands.Choice(name="Red", value="red"), app_commands.Choice(name="Blue", value="blue")]
)
async def pick(interaction: discord.Interaction, colour: app_commands.Choice[str]) -> None:
    await interaction.response.send_message(f"picked {colour.value}")


@app_commands.command(description="Think, then answer")
async def slow(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await asyncio.sleep(0.05)
    await interaction.followup.send("done thinking")
    await interaction.followup.send("and one more thing")


@app_commands.command(description="Answer, then revise")
async def revise(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("draft")
    await interaction.edit_original_response(content="final", embed=discord.Embed(title="Revised"))


@app_commands.command(description="Ask for confirmation")
async def confirm(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("Please confirm", view=ConfirmView())


@app_commands.command(description="Send a file")
async def report(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(
        "report attached", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "report.csv")
    )


@app_commands.command(description="Show permissions")
async def perms(interaction: discord.Interaction) -> None:
    text = f"user={interaction.permissions.value} app={interaction.app_permissions.value}"
    await interaction.response.send_message(text)


@app_commands.context_menu(name="Quote Message")
async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"> {message.content}")


@app_commands.context_menu(name="Inspect User")
async def inspect(interaction: discord.Interaction, user: discord.Member) -> None:
    await interaction.response.send_message(f"{user.name} has {len(user.roles)} roles", ephemeral=True)


ALL_COMMANDS = [brief, echo, whois, pick, slow, revise, confirm, report, perms, quote, inspect]


def make_bot(
    *, intents: discord.Intents | None = None, sharded: bool = False, **options: object
) -> commands.Bot:
    """A bot with every demo command on its tree (not yet synced)."""
    cls = commands.AutoShardedBot if sharded else commands.Bot
    bot = cls(command_prefix="!", intents=intents or discord.Intents.default(), **options)
    for command in ALL_COMMANDS:
        bot.tree.add_command(command)
    return bot
