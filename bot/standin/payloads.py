"""JSON shapes of the model objects, as Discord's REST API and gateway send them."""

from __future__ import annotations

from typing import Any

from bot.standin.model import Attachment, Channel, Guild, Member, Message, Role, User, World
from bot.standin.snowflake import iso_timestamp

Json = dict[str, Any]


def user_payload(user: User) -> Json:
    return {
        "id": str(user.id),
        "username": user.username,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
    }


def role_payload(role: Role) -> Json:
    return {
        "id": str(role.id),
        "name": role.name,
        "permissions": str(role.permissions),
        "position": role.position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": role.managed,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }


def channel_payload(channel: Channel) -> Json:
    if channel.recipient is not None:
        return {"id": str(channel.id), "type": channel.type, "recipients": [user_payload(channel.recipient)]}
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "topic": channel.topic,
        "nsfw": False,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "last_message_id": str(channel.messages[-1].id) if channel.messages else None,
        "permission_overwrites": [
            {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}
            for o in channel.overwrites
        ],
    }


def member_payload(member: Member, *, permissions: int | None = None, with_user: bool = True) -> Json:
    """A guild member; ``permissions`` (resolved channel permissions) is what interactions carry."""
    payload: Json = {
        "roles": [str(role_id) for role_id in member.roles],
        "nick": member.nick,
        "avatar": None,
        "joined_at": member.joined_at.isoformat(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if with_user:
        payload["user"] = user_payload(member.user)
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def guild_payload(guild: Guild) -> Json:
    """The guild object of ``GET /guilds/{id}`` (no channels or members)."""
    return {
        "id": str(guild.id),
        "name": guild.name,
        "owner_id": str(guild.owner_id),
        "icon": None,
        "splash": None,
        "banner": None,
        "description": None,
        "features": [],
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
        "roles": [role_payload(role) for role in guild.roles.values()],
        "emojis": [],
        "stickers": [],
    }


def guild_create_payload(guild: Guild, members: list[Member]) -> Json:
    """GUILD_CREATE: the guild with channels, the given members and the counters discord.py reads."""
    payload = guild_payload(guild)
    payload.update(
        {
            "unavailable": False,
            "large": False,
            "member_count": len(guild.members),
            "joined_at": iso_timestamp(guild.id),
            "channels": [channel_payload(channel) for channel in guild.channels.values()],
            "members": [member_payload(member) for member in members],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
    )
    return payload


def attachment_payload(attachment: Attachment, base_url: str, channel_id: int) -> Json:
    url = f"{base_url}/attachments/{channel_id}/{attachment.id}/{attachment.filename}"
    return {
        "id": str(attachment.id),
        "filename": attachment.filename,
        "size": len(attachment.data),
        "url": url,
        "proxy_url": url,
        "content_type": attachment.content_type,
        "description": attachment.description,
    }


def message_payload(message: Message, world: World, base_url: str, *, with_content: bool = True) -> Json:
    """A message; without ``with_content`` the content fields are blanked as for a bot lacking the intent."""
    payload: Json = {
        "id": str(message.id),
        "channel_id": str(message.channel_id),
        "author": user_payload(message.author),
        "content": message.content if with_content else "",
        "timestamp": iso_timestamp(message.id),
        "edited_timestamp": message.edited_at.isoformat() if message.edited_at else None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [user_payload(user) for user in message.mentions],
        "mention_roles": [],
        "attachments": [
            attachment_payload(a, base_url, message.channel_id) for a in message.attachments if with_content
        ],
        "embeds": message.embeds if with_content else [],
        "components": message.components if with_content else [],
        "pinned": False,
        "type": message.type,
        "flags": message.flags,
    }
    if message.guild_id is not None:
        payload["guild_id"] = str(message.guild_id)
        member = world.guilds[message.guild_id].members.get(message.author.id)
        if member is not None and message.webhook_id is None:
            payload["member"] = member_payload(member, with_user=False)
    if message.webhook_id is not None:
        payload["webhook_id"] = str(message.webhook_id)
        payload["application_id"] = str(message.webhook_id)
    if message.interaction is not None:
        payload["interaction_metadata"] = message.interaction
    if message.reference is not None:
        payload["message_reference"] = message.reference
    return payload
