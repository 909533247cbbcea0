"""Option values as Discord sends them: the ``options`` tree and the ``resolved`` objects it refers to."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping, Sequence
from typing import Any

from bot.standin.core import Core
from bot.standin.limits import SUB_COMMAND, SUB_COMMAND_GROUP
from bot.standin.model import Channel, Message, Role, User
from bot.standin.payloads import Json, channel_payload, member_payload, role_payload, user_payload

# Option types
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


class Resolved:
    """The ``resolved`` block of an interaction: the users, members, roles, channels, files it refers to."""

    def __init__(self, core: Core, channel: Channel, invoker: User) -> None:
        self.core = core
        self.channel = channel
        self.invoker = invoker
        self.data: dict[str, dict[str, Json]] = {}

    def _put(self, kind: str, key: int, value: Json) -> str:
        self.data.setdefault(kind, {})[str(key)] = value
        return str(key)

    def user(self, user: User) -> str:
        guild = self.core.world.guilds.get(self.channel.guild_id or 0)
        member = guild.members.get(user.id) if guild else None
        if member is not None:
            permissions = self.core.world.permissions_in(self.channel, user.id)
            self._put("members", user.id, member_payload(member, permissions=permissions, with_user=False))
        return self._put("users", user.id, user_payload(user))

    def role(self, role: Role) -> str:
        return self._put("roles", role.id, role_payload(role))

    def channel_ref(self, channel: Channel) -> str:
        permissions = self.core.world.permissions_in(channel, self.invoker.id)
        return self._put(
            "channels", channel.id, {**channel_payload(channel), "permissions": str(permissions)}
        )

    def attachment(self, file: tuple[str, bytes]) -> str:
        filename, data = file
        attachment = self.core.world.add_attachment(filename, data, mimetypes.guess_type(filename)[0])
        payload = self.core.messages.attachment_payload(attachment, self.channel.id)
        return self._put("attachments", attachment.id, payload)

    def message(self, message: Message) -> str:
        return self._put("messages", message.id, self.core.messages.payload(message))

    def convert(self, option: Json, value: Any, *, focused: bool) -> Any:
        """An option value in the form Discord sends it; the focused autocomplete value stays raw text."""
        kind = option["type"]
        if focused:
            return str(value)
        converters: dict[int, Any] = {
            STRING: str,
            INTEGER: int,
            BOOLEAN: bool,
            NUMBER: float,
            USER: self.user,
            CHANNEL: self.channel_ref,
            ROLE: self.role,
            MENTIONABLE: lambda v: self.role(v) if isinstance(v, Role) else self.user(v),
            ATTACHMENT: self.attachment,
        }
        converted = converters[kind](value)
        choices = [choice["value"] for choice in option.get("choices") or []]
        if choices and converted not in choices:
            raise ValueError(f"option {option['name']!r}: {value!r} is not one of the choices {choices}")
        return converted


def build_options(
    schema: Sequence[Json],
    path: Sequence[str],
    values: Mapping[str, Any],
    resolved: Resolved,
    focused: str | None,
) -> list[Json]:
    """The ``options`` tree of a chat-input interaction, following the registered command's definition."""
    if path:
        sub = next(
            (o for o in schema if o["name"] == path[0] and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)),
            None,
        )
        if sub is None:
            raise LookupError(f"no subcommand or group {path[0]!r}")
        inner = build_options(sub.get("options") or [], path[1:], values, resolved, focused)
        return [{"type": sub["type"], "name": sub["name"], "options": inner}]
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in schema):
        raise LookupError(f"name a subcommand: {[o['name'] for o in schema]}")
    known = {option["name"]: option for option in schema}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown options {sorted(unknown)}; the command has {sorted(known)}")
    missing = [name for name, option in known.items() if option.get("required") and name not in values]
    if missing and focused is None:
        raise ValueError(f"required options missing: {missing}")
    built = []
    for name, value in values.items():
        option: Json = {"type": known[name]["type"], "name": name}
        option["value"] = resolved.convert(known[name], value, focused=name == focused)
        if name == focused:
            option["focused"] = True
        built.append(option)
    return built
