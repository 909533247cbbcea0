"""What a Discord user does, as the stand-in sends it to the bot: slash commands, autocomplete, clicks,
context menus and plain messages. Interaction drivers wait for the bot's answer and return it."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.standin.core import Core
from bot.standin.interactions import APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT, InteractionResult
from bot.standin.limits import CHAT_INPUT, MESSAGE_COMMAND, USER_COMMAND
from bot.standin.messages import Upload
from bot.standin.model import ADMINISTRATOR, Channel, Guild, Message, User
from bot.standin.options import Resolved, build_options
from bot.standin.payloads import Json, channel_payload, member_payload, user_payload

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class Drivers(Core):
    """Interaction and message drivers; ``StandIn`` adds the server and the world-building helpers."""

    default_channel: Channel | None = None
    default_user: User | None = None

    def _pick(self, channel: Channel | None, user: User | None, dm: bool) -> tuple[Channel, User]:
        user = user or self.default_user
        if user is None:
            raise ValueError("no user given and no default_user set")
        if dm:
            return self.world.dm_channel(user), user
        channel = channel or self.default_channel
        if channel is None:
            raise ValueError("no channel given and no default_channel set")
        return channel, user

    def find_command(self, name: str, guild_id: int | None, kind: int = CHAT_INPUT) -> Json:
        """The registered command a user would pick: the guild's own first, then the global one."""
        for scope in (guild_id, None) if guild_id is not None else (None,):
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", CHAT_INPUT) == kind:
                    return command
        raise LookupError(
            f"no registered command {name!r} (type {kind}) for guild {guild_id}; did the bot sync?"
        )

    def _check_visible(self, definition: Json, channel: Channel, user: User, permissions: int | None) -> None:
        """Discord only offers a command where its contexts and ``default_member_permissions`` allow."""
        in_dm = channel.guild_id is None
        contexts = definition.get("contexts")
        if contexts is None:  # older definitions: everywhere unless dm_permission is false
            contexts = [0] if definition.get("dm_permission") is False else [0, 1]
        if (1 if in_dm else 0) not in contexts:
            raise LookupError(f"/{definition['name']} is not offered in {'DMs' if in_dm else 'guilds'}")
        required = definition.get("default_member_permissions")
        if in_dm or required is None:
            return
        granted = self.world.permissions_in(channel, user.id) if permissions is None else permissions
        if not granted & ADMINISTRATOR and (int(required) == 0 or int(required) & ~granted):
            raise PermissionError(f"{user.username} is not offered /{definition['name']} (needs {required})")

    def _interaction(
        self,
        kind: int,
        data: Json,
        channel: Channel,
        user: User,
        permissions: int | None,
        message: Message | None,
    ) -> InteractionResult:
        """INTERACTION_CREATE as Discord builds it for this channel and user, registered before it is sent."""
        guild = self.world.guilds.get(channel.guild_id) if channel.guild_id is not None else None
        payload: Json = {
            "id": str(self.ids.next()),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": "standin." + secrets.token_urlsafe(48),
            "version": 1,
            "channel": channel_payload(channel),
            "channel_id": str(channel.id),
            "locale": "en-US",
            "app_permissions": str(self.world.permissions_in(channel, self.bot_user.id)),
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "context": 0 if guild else 1,
            "authorizing_integration_owners": {"0": str(guild.id)} if guild else {"1": str(user.id)},
        }
        if guild is not None:
            payload.update(self._guild_fields(guild, channel, user, permissions))
        else:
            payload["user"] = user_payload(user)
        if message is not None:
            payload["message"] = self.messages.payload(message)
        result = InteractionResult(
            int(payload["id"]),
            payload["token"],
            kind,
            user,
            channel.id,
            channel.guild_id,
            payload,
            message=message,
        )
        self.book.add(result)
        return result

    def _guild_fields(self, guild: Guild, channel: Channel, user: User, permissions: int | None) -> Json:
        member = guild.members.get(user.id)
        if member is None:
            raise ValueError(f"{user.username} is not a member of {guild.name}")
        if permissions is None:
            permissions = self.world.permissions_in(channel, user.id)
        return {
            "guild_id": str(guild.id),
            "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "member": member_payload(member, permissions=permissions),
        }

    async def _run(self, result: InteractionResult, timeout: float | None) -> InteractionResult:
        if not self.gateway.dispatch(
            "INTERACTION_CREATE", result.payload, guild_id=result.guild_id, on_sent=result.mark_sent
        ):
            raise RuntimeError("the bot has no gateway session for this interaction's shard")
        return await result.settle(timeout or self.config.response_timeout, self.config.settle)

    def _chat_input(
        self,
        command: str,
        options: Mapping[str, Any] | None,
        channel: Channel,
        user: User,
        permissions: int | None,
        focused: str | None,
    ) -> Json:
        name, *path = command.split()
        definition = self.find_command(name, channel.guild_id)
        self._check_visible(definition, channel, user, permissions)
        resolved = Resolved(self, channel, user)
        built = build_options(definition.get("options") or [], path, options or {}, resolved, focused)
        data: Json = {"id": definition["id"], "name": name, "type": CHAT_INPUT, "options": built}
        if resolved.data:
            data["resolved"] = resolved.data
        if "guild_id" in definition:
            data["guild_id"] = definition["guild_id"]
        return data

    async def slash(
        self,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        channel: Channel | None = None,
        user: User | None = None,
        dm: bool = False,
        permissions: int | None = None,
        timeout: float | None = None,
    ) -> InteractionResult:
        """Run ``/command`` ("name", "name sub" or "name group sub") with option values by name.

        Values: str/int/float/bool, or model objects for user/channel/role options and (filename, bytes) for
        attachments. ``permissions`` overrides the member's computed channel permissions.
        """
        channel, user = self._pick(channel, user, dm)
        data = self._chat_input(command, options, channel, user, permissions, None)
        return await self._run(
            self._interaction(APPLICATION_COMMAND, data, channel, user, permissions, None), timeout
        )

    async def autocomplete(
        self,
        command: str,
        options: Mapping[str, Any],
        focused: str,
        *,
        channel: Channel | None = None,
        user: User | None = None,
        dm: bool = False,
        timeout: float | None = None,
    ) -> InteractionResult:
        """The user typing in option ``focused`` (its text: ``options[focused]``); see ``result.choices``."""
        channel, user = self._pick(channel, user, dm)
        data = self._chat_input(command, options, channel, user, None, focused)
        return await self._run(self._interaction(AUTOCOMPLETE, data, channel, user, None, None), timeout)

    async def click(
        self,
        message: Message,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        user: User | None = None,
        timeout: float | None = None,
    ) -> InteractionResult:
        """Press a button (or pick ``values`` in a select menu) on a message the bot sent."""
        component = message.custom_ids().get(custom_id)
        if message.deleted or component is None:
            raise LookupError(f"message {message.id} has no component {custom_id!r}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: Json = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = list(values)
        channel, user = self._pick(self.world.channels.get(message.channel_id), user, False)
        interaction = self._interaction(MESSAGE_COMPONENT, data, channel, user, None, message)
        return await self._run(interaction, timeout)

    async def message_command(
        self, name: str, target: Message, *, user: User | None = None, timeout: float | None = None
    ) -> InteractionResult:
        """Run the message context-menu command ``name`` on ``target``."""
        channel, user = self._pick(self.world.channels.get(target.channel_id), user, False)
        resolved = Resolved(self, channel, user)
        resolved.message(target)
        return await self._context_menu(MESSAGE_COMMAND, name, target.id, resolved, timeout)

    async def user_command(
        self,
        name: str,
        target: User,
        *,
        channel: Channel | None = None,
        user: User | None = None,
        timeout: float | None = None,
    ) -> InteractionResult:
        """Run the user context-menu command ``name`` on ``target``."""
        channel, user = self._pick(channel, user, False)
        resolved = Resolved(self, channel, user)
        resolved.user(target)
        return await self._context_menu(USER_COMMAND, name, target.id, resolved, timeout)

    async def _context_menu(
        self, kind: int, name: str, target_id: int, resolved: Resolved, timeout: float | None
    ) -> InteractionResult:
        channel, user = resolved.channel, resolved.invoker
        definition = self.find_command(name, channel.guild_id, kind)
        self._check_visible(definition, channel, user, None)
        data: Json = {
            "id": definition["id"],
            "name": name,
            "type": kind,
            "target_id": str(target_id),
            "resolved": resolved.data,
        }
        if "guild_id" in definition:
            data["guild_id"] = definition["guild_id"]
        interaction = self._interaction(APPLICATION_COMMAND, data, channel, user, None, None)
        return await self._run(interaction, timeout)

    def user_message(
        self,
        content: str,
        *,
        channel: Channel | None = None,
        author: User | None = None,
        dm: bool = False,
        mention_bot: bool = False,
        files: Mapping[str, bytes] | None = None,
    ) -> Message:
        """A user posts a message (MESSAGE_CREATE). Like Discord, the bot gets its content only with the
        message_content intent, when it is mentioned (``mention_bot`` prefixes ``<@bot>``) or in a DM."""
        channel, author = self._pick(channel, author, dm)
        if mention_bot:
            content = f"<@{self.bot_user.id}> {content}"
        uploads = {
            index: Upload(index, name, data, None) for index, (name, data) in enumerate((files or {}).items())
        }
        return self.messages.create(channel, author, {"content": content}, uploads)

    async def wait_for_message(
        self,
        channel: Channel,
        condition: Callable[[Message], bool] | None = None,
        *,
        timeout: float = 5.0,
        author: User | None = None,
    ) -> Message:
        """The first message in ``channel`` by ``author`` (default: the bot) for which ``condition`` holds."""
        author = author or self.bot_user
        found: list[Message] = []

        def check() -> bool:
            for message in channel.visible_messages():
                if message.author is author and (condition is None or condition(message)):
                    found.append(message)
                    return True
            return False

        await self.changed.wait_until(check, timeout)
        return found[0]
