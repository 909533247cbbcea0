"""``/article add|list|remove``: a server's own library.

Adding needs Manage Server (the commands' default permission, checked again at run time). What a server
adds is visible only there; the operator's articles are visible everywhere and are not the server's to
remove.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import UserFacingError
from bot.ingest import MAX_ARTICLE_BYTES, decode_article
from bot.library import Added, Refused
from bot.pager import DEFAULT_TIMEOUT, NO_MENTIONS, ExpiringView, Pager
from bot.render import added_embed, library_pages
from bot.text import CHOICE_NAME_LIMIT, literal, truncate
from bot.web import FetchError, fetch, normalize_url

if TYPE_CHECKING:
    from bot.client import BriefingBot


TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
AUTOCOMPLETE_CHOICES = 25
CONFIRM_TIMEOUT = 60.0


def _guild_id(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


def _require_manage_server(interaction: discord.Interaction) -> int:
    """The run-time check behind the default permission (a server may have opened the command to all)."""
    guild_id = _guild_id(interaction)
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return guild_id


def refusal(reason: str) -> str:
    return truncate(f"Not added: {reason}.", 300)


class ConfirmRemove(ExpiringView):
    """Remove / Cancel, for the person who asked only."""

    expired_content = "Nothing was removed (no answer in time)."

    def __init__(self, owner: discord.abc.User) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.owner = owner
        self.confirmed: discord.Interaction | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner.id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can confirm this.", ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return False

    @discord.ui.button(label="Remove", style=discord.ButtonStyle.danger, custom_id="article:remove")
    async def remove(self, interaction: discord.Interaction, _: discord.ui.Button[ConfirmRemove]) -> None:
        self.confirmed = interaction
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="article:cancel")
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button[ConfirmRemove]) -> None:
        await interaction.response.edit_message(content="Nothing was removed.", view=None)
        self.stop()


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Library(commands.GroupCog, group_name="article", group_description="This server's own articles"):
    """``/article``: Manage Server by default for the whole group (Discord sets permissions per top-level
    command); a server can open it to others in its Integrations settings, and add and remove check
    Manage Server again."""

    def __init__(self, bot: BriefingBot) -> None:
        self.bot = bot
        self.timeout = DEFAULT_TIMEOUT

    # -- /article add ----------------------------------------------------------------------------------------

    @app_commands.command(
        name="add", description="Add an article (a file or a web page) for this server only"
    )
    @app_commands.describe(file="A .txt, .md or .html file (at most 5 MB)", url="The address of a web page")
    async def add(
        self,
        interaction: discord.Interaction[BriefingBot],
        file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
    ) -> None:
        guild_id = _require_manage_server(interaction)
        if (file is None) == (url is None):
            raise UserFacingError("Give either a file or a url (one of them).")
        if file is not None:
            suffix = PurePosixPath(file.filename).suffix.lower()
            if suffix == ".pdf":
                raise UserFacingError(refusal("PDF is not supported; save the article as .txt, .md or .html"))
            if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
                raise UserFacingError(refusal("not a text file; use .txt, .md or .html"))
            if file.size > MAX_ARTICLE_BYTES:
                raise UserFacingError(refusal(f"too large ({file.size / 1e6:.1f} MB; the limit is 5 MB)"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            added = await (
                self._add_file(file, guild_id, interaction.user.id)
                if file
                else self._add_page(str(url), guild_id, interaction.user.id)
            )
        except Refused as error:
            await interaction.followup.send(refusal(str(error)), ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await self.bot.store.refresh()
        await interaction.followup.send(
            embed=added_embed(added), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    async def _add_file(self, file: discord.Attachment, guild_id: int, user_id: int) -> Added:
        try:
            data = await file.read()
        except discord.HTTPException as error:
            raise Refused(f"the file could not be downloaded ({error.status})") from None
        if len(data) > MAX_ARTICLE_BYTES:
            raise Refused("too large: the limit is 5 MB")
        try:
            text = decode_article(data)
        except ValueError as error:
            raise Refused(f"not text: {error}") from None
        name = PurePosixPath(file.filename).stem
        if PurePosixPath(file.filename).suffix.lower() in HTML_SUFFIXES:
            text, title = await self.bot.library.page_article(text, None)
            name = title or name
        return await self.bot.library.add(text, guild=guild_id, added_by=user_id, name=name)

    async def _add_page(self, url: str, guild_id: int, user_id: int) -> Added:
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise Refused("only http:// and https:// addresses can be fetched")
        asked = normalize_url(url)
        if (same := await self.bot.library.already_there(guild_id, asked)) is not None:
            raise Refused(f"already there: “{same}”")
        try:
            page = await fetch(self.bot.web, url, self.bot.fetch_policy)
        except FetchError as error:
            raise Refused(error.reason) from None
        final = normalize_url(page.url)
        if final != asked and (same := await self.bot.library.already_there(guild_id, final)) is not None:
            raise Refused(f"already there: “{same}”")
        if page.content_type == "text/plain":
            text, name = page.text(), PurePosixPath(page.url).stem or page.url
        else:
            text, title = await self.bot.library.page_article(page.text(), page.url)
            name = title or page.url
        return await self.bot.library.add(text, guild=guild_id, added_by=user_id, name=name, url_key=final)

    # -- /article list ---------------------------------------------------------------------------------------

    @app_commands.command(name="list", description="The articles this server added, newest first")
    async def list_articles(self, interaction: discord.Interaction[BriefingBot]) -> None:
        guild_id = _guild_id(interaction)
        own = await self.bot.store.documents(library=guild_id)
        shared = await self.bot.store.document_count(library=0)
        pager = Pager(library_pages(own, shared), interaction.user, timeout=self.timeout)
        await pager.start(interaction)

    # -- /article remove -------------------------------------------------------------------------------------

    @app_commands.command(
        name="remove", description="Remove an article this server added, and what it taught me"
    )
    @app_commands.describe(article="The article (start typing its title)")
    async def remove(self, interaction: discord.Interaction[BriefingBot], article: str) -> None:
        guild_id = _require_manage_server(interaction)
        own = {d.key: d for d in await self.bot.store.documents(library=guild_id)}
        document = own.get(article) or next(
            (d for d in own.values() if (d.title or "").casefold() == article.casefold().strip()), None
        )
        if document is None:
            raise UserFacingError(
                "This server has no article by that name; /article list shows them "
                "(the bot's own articles cannot be removed here)."
            )
        title = literal(document.title or document.key, 200)
        view = ConfirmRemove(interaction.user)
        await interaction.response.send_message(
            f"Remove **{title}** and every fact only it gave?",
            view=view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        view.sent_with(interaction)
        if await view.wait() or view.confirmed is None:
            return
        await view.confirmed.response.defer()
        removed = await self.bot.library.remove(guild_id, document.key)
        await self.bot.store.refresh()
        message = (
            f"Removed **{title}** and every fact only it gave."
            if removed
            else "That article was already gone."
        )
        await interaction.edit_original_response(content=message, view=None)

    @remove.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[BriefingBot], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        documents = await self.bot.store.documents(
            library=interaction.guild_id, containing=current.strip(), limit=AUTOCOMPLETE_CHOICES
        )
        return [
            app_commands.Choice(name=truncate(d.title or d.key, CHOICE_NAME_LIMIT), value=d.key)
            for d in documents
        ]


async def setup(bot: BriefingBot) -> None:
    await bot.add_cog(Library(bot))
