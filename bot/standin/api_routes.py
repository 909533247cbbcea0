"""Bot-token routes: login, gateway discovery, application info, command sync, channels, guilds, users."""

from __future__ import annotations

from typing import Any

from bot.standin.core import Core
from bot.standin.errors import (
    EDIT_OTHERS_MESSAGE,
    MISSING_ACCESS,
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_MESSAGE,
    UNKNOWN_USER,
    ApiError,
    FormErrors,
    missing_permissions,
    not_found,
)
from bot.standin.limits import check_commands, check_message, check_not_empty
from bot.standin.model import (
    ATTACH_FILES,
    MANAGE_MESSAGES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
    Guild,
    Message,
)
from bot.standin.payloads import (
    Json,
    channel_payload,
    guild_payload,
    member_payload,
    role_payload,
    user_payload,
)
from bot.standin.rest import Call, Router

SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, COMPONENTS_V2 = 1 << 2, 1 << 12, 1 << 15
CHANNEL_MESSAGE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | COMPONENTS_V2


class ApiRoutes:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.world = core.world

    def register(self, router: Router) -> None:
        router.add("GET", "/users/@me", self.current_user)
        router.add("GET", "/gateway", self.gateway, needs_auth=False)
        router.add("GET", "/gateway/bot", self.gateway_bot)
        router.add("GET", "/oauth2/applications/@me", self.application)
        for template in (
            "/applications/{application_id}/commands",
            "/applications/{application_id}/guilds/{guild_id}/commands",
        ):
            router.add("GET", template, self.get_commands)
            router.add("PUT", template, self.put_commands)
        router.add("GET", "/channels/{channel_id}", self.get_channel)
        router.add("GET", "/channels/{channel_id}/messages", self.history)
        router.add("POST", "/channels/{channel_id}/messages", self.create_message)
        router.add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        router.add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        router.add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        router.add("POST", "/channels/{channel_id}/typing", self.typing)
        router.add("POST", "/users/@me/channels", self.open_dm)
        router.add("GET", "/users/{user_id}", self.get_user)
        router.add("GET", "/guilds/{guild_id}", self.get_guild)
        router.add("GET", "/guilds/{guild_id}/channels", self.guild_channels)
        router.add("GET", "/guilds/{guild_id}/roles", self.guild_roles)
        router.add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)

    async def current_user(self, call: Call) -> Json:
        return {
            **user_payload(self.core.bot_user),
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
            "locale": "en-US",
        }

    async def gateway(self, call: Call) -> Json:
        return {"url": self.core.gateway_url}

    async def gateway_bot(self, call: Call) -> Json:
        started = len(self.core.gateway.records("identify"))
        return {
            "url": self.core.gateway_url,
            "shards": self.core.config.recommended_shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": max(0, 1000 - started),
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    async def application(self, call: Call) -> Json:
        return {
            "id": str(self.core.application_id),
            "name": self.core.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user_payload(self.core.developer),
            "team": None,
            "verify_key": "0" * 64,
            "flags": self.core.gateway.application["flags"],
            "bot": user_payload(self.core.bot_user),
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "integration_types_config": {"0": {}},
        }

    def _command_scope(self, call: Call) -> int | None:
        if call.int_param("application_id") != self.core.application_id:
            raise ApiError(403, MISSING_ACCESS, "Missing Access")
        if "guild_id" not in call.params:
            return None
        guild_id = call.int_param("guild_id")
        if guild_id not in self.world.guilds:
            raise not_found(UNKNOWN_GUILD, "Guild")
        return guild_id

    async def get_commands(self, call: Call) -> list[Json]:
        return self.core.commands.get(self._command_scope(call), [])

    async def put_commands(self, call: Call) -> list[Json]:
        """Bulk overwrite: every command is validated; unchanged names keep their ids as on Discord."""
        scope = self._command_scope(call)
        if not isinstance(call.body, list):
            errors = FormErrors()
            errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
            errors.raise_if_any()
        check_commands(call.body).raise_if_any()
        old_ids = {(c["type"], c["name"]): c["id"] for c in self.core.commands.get(scope, [])}
        stored = [self._stored_command(command, scope, old_ids) for command in call.body]
        self.core.commands[scope] = stored
        return stored

    def _stored_command(self, command: Json, scope: int | None, old_ids: dict[tuple[int, str], str]) -> Json:
        kind = command.get("type", 1)
        permissions = command.get("default_member_permissions")
        stored = {
            **command,
            "id": old_ids.get((kind, command["name"])) or str(self.core.ids.next()),
            "application_id": str(self.core.application_id),
            "version": str(self.core.ids.next()),
            "type": kind,
            "description": command.get("description") or "",
            "default_member_permissions": None if permissions is None else str(permissions),
        }
        if scope is not None:
            stored["guild_id"] = str(scope)
        return stored

    def _channel(self, call: Call) -> Channel:
        channel = self.world.channels.get(call.int_param("channel_id"))
        if channel is None:
            raise not_found(UNKNOWN_CHANNEL, "Channel")
        return channel

    def _require(self, channel: Channel, permission: int) -> None:
        """403 as Discord: 50001 without VIEW_CHANNEL, 50013 when another needed permission is missing."""
        granted = self.world.permissions_in(channel, self.core.bot_user.id)
        if not granted & VIEW_CHANNEL:
            raise ApiError(403, MISSING_ACCESS, "Missing Access")
        if granted & permission != permission:
            raise missing_permissions()

    def _message(self, channel: Channel, call: Call) -> Message:
        message_id = call.int_param("message_id")
        for message in channel.visible_messages():
            if message.id == message_id:
                return message
        raise not_found(UNKNOWN_MESSAGE, "Message")

    async def get_channel(self, call: Call) -> Json:
        channel = self._channel(call)
        self._require(channel, 0)
        return channel_payload(channel)

    async def history(self, call: Call) -> list[Json]:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        query = call.request.query
        limit = min(int(query.get("limit", 50)), 100)
        before = int(query.get("before", 1 << 63))
        after = int(query.get("after", 0))
        found = [m for m in reversed(channel.visible_messages()) if after < m.id < before]
        if "after" in query and "before" not in query:  # discord.py pages oldest-first with ``after``
            found.reverse()
        return [self.core.messages.payload(message) for message in found[:limit]]

    async def create_message(self, call: Call) -> Json:
        channel = self._channel(call)
        self._require(channel, SEND_MESSAGES | (ATTACH_FILES if call.uploads else 0))
        check_message(call.json).raise_if_any()
        check_not_empty(call.json, len(call.uploads))
        flags = (call.json.get("flags") or 0) & CHANNEL_MESSAGE_FLAGS
        message = self.core.messages.create(channel, self.core.bot_user, call.json, call.uploads, flags=flags)
        return self.core.messages.payload(message)

    async def get_message(self, call: Call) -> Json:
        channel = self._channel(call)
        self._require(channel, READ_MESSAGE_HISTORY)
        return self.core.messages.payload(self._message(channel, call))

    async def edit_message(self, call: Call) -> Json:
        channel = self._channel(call)
        self._require(channel, 0)
        message = self._message(channel, call)
        if message.author.id != self.core.bot_user.id:
            raise ApiError(403, EDIT_OTHERS_MESSAGE, "Cannot edit a message authored by another user")
        check_message(call.json).raise_if_any()
        self.core.messages.edit(message, call.json, call.uploads)
        return self.core.messages.payload(message)

    async def delete_message(self, call: Call) -> None:
        channel = self._channel(call)
        message = self._message(channel, call)
        self._require(channel, 0 if message.author.id == self.core.bot_user.id else MANAGE_MESSAGES)
        self.core.messages.delete(message)

    async def typing(self, call: Call) -> None:
        self._require(self._channel(call), SEND_MESSAGES)

    async def open_dm(self, call: Call) -> Json:
        user = self.world.users.get(int(call.json.get("recipient_id", 0)))
        if user is None:
            raise not_found(UNKNOWN_USER, "User")
        return channel_payload(self.world.dm_channel(user))

    async def get_user(self, call: Call) -> Json:
        user = self.world.users.get(call.int_param("user_id"))
        if user is None:
            raise not_found(UNKNOWN_USER, "User")
        return user_payload(user)

    def _guild(self, call: Call) -> Guild:
        guild = self.world.guilds.get(call.int_param("guild_id"))
        if guild is None:
            raise not_found(UNKNOWN_GUILD, "Guild")
        return guild

    async def get_guild(self, call: Call) -> Json:
        guild = self._guild(call)
        payload: dict[str, Any] = guild_payload(guild)
        if call.request.query.get("with_counts") in ("true", "1"):
            payload["approximate_member_count"] = len(guild.members)
            payload["approximate_presence_count"] = 0
        return payload

    async def guild_channels(self, call: Call) -> list[Json]:
        return [channel_payload(channel) for channel in self._guild(call).channels.values()]

    async def guild_roles(self, call: Call) -> list[Json]:
        return [role_payload(role) for role in self._guild(call).roles.values()]

    async def get_member(self, call: Call) -> Json:
        member = self._guild(call).members.get(call.int_param("user_id"))
        if member is None:
            raise not_found(UNKNOWN_MEMBER, "Member")
        return member_payload(member)
