"""Creating, editing and deleting messages, with the gateway events Discord sends for them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.standin.gateway import DIRECT_MESSAGES, GUILD_MESSAGES, MESSAGE_CONTENT, Gateway, Session
from bot.standin.interactions import Pulse
from bot.standin.model import LOADING, VIEW_CHANNEL, Attachment, Channel, Message, User, World
from bot.standin.payloads import Json, attachment_payload, message_payload

SUPPRESS_EMBEDS = 1 << 2
COMPONENTS_V2 = 1 << 15
EDITABLE_FLAGS = SUPPRESS_EMBEDS | COMPONENTS_V2
MENTION = re.compile(r"<@!?(\d+)>")
REPLY = 19


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request (``files[n]``)."""

    index: int
    filename: str
    data: bytes
    content_type: str | None


class MessageService:
    def __init__(self, world: World, gateway: Gateway, changed: Pulse) -> None:
        self.world = world
        self.gateway = gateway
        self.changed = changed
        self.base_url = ""

    def payload(self, message: Message, *, with_content: bool = True) -> Json:
        return message_payload(message, self.world, self.base_url, with_content=with_content)

    def attachment_payload(self, attachment: Attachment, channel_id: int) -> Json:
        return attachment_payload(attachment, self.base_url, channel_id)

    def create(
        self,
        channel: Channel,
        author: User,
        data: Json,
        uploads: dict[int, Upload],
        *,
        flags: int = 0,
        message_type: int = 0,
        webhook_id: int | None = None,
        interaction: Json | None = None,
    ) -> Message:
        """Store a new message and tell the bot about it (ephemeral messages are only seen by their user)."""
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=author,
            flags=flags,
            type=message_type,
            webhook_id=webhook_id,
            interaction=interaction,
        )
        self._apply(message, data, uploads)
        if data.get("message_reference") and message_type == 0:
            message.reference, message.type = data["message_reference"], REPLY
        self.world.store_message(message)
        if not message.ephemeral:
            self.gateway.dispatch("MESSAGE_CREATE", self._for_session(message), **self._route(message))
        self.changed.fire()
        return message

    def edit(self, message: Message, data: Json, uploads: dict[int, Upload]) -> None:
        """Apply the fields present in ``data``; a deferred "thinking" message becomes a normal one."""
        if message.flags & LOADING:
            message.flags &= ~LOADING
        else:
            message.edited_at = datetime.now(UTC)
        if data.get("flags") is not None:
            message.flags = (message.flags & ~EDITABLE_FLAGS) | (data["flags"] & EDITABLE_FLAGS)
        self._apply(message, data, uploads)
        if not message.ephemeral:
            self.gateway.dispatch("MESSAGE_UPDATE", self._for_session(message), **self._route(message))
        self.changed.fire()

    def delete(self, message: Message) -> None:
        message.deleted = True
        if not message.ephemeral:
            event = {"id": str(message.id), "channel_id": str(message.channel_id)}
            if message.guild_id is not None:
                event["guild_id"] = str(message.guild_id)
            self.gateway.dispatch("MESSAGE_DELETE", event, **self._route(message))
        self.changed.fire()

    def _route(self, message: Message) -> dict[str, Any]:
        intent = DIRECT_MESSAGES if message.guild_id is None else GUILD_MESSAGES
        return {"guild_id": message.guild_id, "intent": intent}

    def _for_session(self, message: Message) -> Callable[[Session], Json | None]:
        """The payload builder: content only where Discord delivers it (intent, bot's own, mention or DM)."""
        bot_id = self.world.bot_user.id

        channel = self.world.channels.get(message.channel_id)
        if channel is not None and not self.world.permissions_in(channel, bot_id) & VIEW_CHANNEL:
            return lambda session: None

        def build(session: Session) -> Json:
            visible = (
                bool(session.intents & MESSAGE_CONTENT)
                or message.guild_id is None
                or message.author.id == bot_id
                or any(user.id == bot_id for user in message.mentions)
            )
            return self.payload(message, with_content=visible)

        return build

    def _apply(self, message: Message, data: Json, uploads: dict[int, Upload]) -> None:
        if "content" in data:
            message.content = data["content"] or ""
            message.mentions = self._mentions(message.content)
        if "embeds" in data:
            message.embeds = [{"type": "rich", **embed} for embed in data["embeds"] or []]
        if "components" in data:
            message.components = data["components"] or []
        if "allowed_mentions" in data:
            message.allowed_mentions = data["allowed_mentions"]
        if "attachments" in data or uploads:
            message.attachments = self._attachments(message, data, uploads)

    def _mentions(self, content: str) -> list[User]:
        ids = dict.fromkeys(int(match) for match in MENTION.findall(content))
        return [self.world.users[user_id] for user_id in ids if user_id in self.world.users]

    def _attachments(self, message: Message, data: Json, uploads: dict[int, Upload]) -> list[Attachment]:
        """``attachments`` lists kept attachments by id and new uploads by ``files[n]`` index."""
        if "attachments" not in data:
            return message.attachments + [self._new_attachment(upload, {}) for upload in uploads.values()]
        existing = {attachment.id: attachment for attachment in message.attachments}
        kept: list[Attachment] = []
        for entry in data["attachments"] or []:
            key = int(entry["id"])
            if key in uploads:
                kept.append(self._new_attachment(uploads[key], entry))
            elif key in existing:
                kept.append(existing[key])
        return kept

    def _new_attachment(self, upload: Upload, entry: Json) -> Attachment:
        filename = entry.get("filename") or upload.filename
        return self.world.add_attachment(filename, upload.data, upload.content_type, entry.get("description"))
