"""The stand-in's in-memory Discord: users, guilds, roles, channels, members and messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.standin.snowflake import SnowflakeGenerator

# Permission bits (https://discord.com/developers/docs/topics/permissions).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = 0x1F7FFFFFFFFFFF  # bits 0-52 except the unassigned bit 47

EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES

TEXT_CHANNEL = 0
DM_CHANNEL = 1
EPHEMERAL = 1 << 6
LOADING = 1 << 7


@dataclass(eq=False)
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None


@dataclass(eq=False)
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False


@dataclass(eq=False)
class Overwrite:
    """A channel permission overwrite; ``type`` 0 targets a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0


@dataclass(eq=False)
class Member:
    user: User
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None


@dataclass(eq=False)
class Message:
    """A message as stored: what the sender sent (embeds, components, allowed_mentions verbatim)."""

    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    mentions: list[User] = field(default_factory=list)
    type: int = 0
    webhook_id: int | None = None
    interaction: dict[str, Any] | None = None
    reference: dict[str, Any] | None = None
    edited_at: datetime | None = None
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def custom_ids(self) -> dict[str, dict[str, Any]]:
        """Every component with a custom_id on this message, by custom_id."""
        found: dict[str, dict[str, Any]] = {}
        stack = list(self.components)
        while stack:
            component = stack.pop()
            if "custom_id" in component:
                found[component["custom_id"]] = component
            stack.extend(component.get("components", []))
            if "accessory" in component:
                stack.append(component["accessory"])
        return found


@dataclass(eq=False)
class Channel:
    id: int
    name: str
    guild_id: int | None
    type: int = TEXT_CHANNEL
    position: int = 0
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    recipient: User | None = None

    def visible_messages(self) -> list[Message]:
        return [m for m in self.messages if not m.deleted]


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]


class World:
    """All objects by id, with the permission arithmetic Discord applies."""

    def __init__(self, ids: SnowflakeGenerator, bot_user: User) -> None:
        self.ids = ids
        self.bot_user = bot_user
        self.users: dict[int, User] = {bot_user.id: bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.attachments: dict[int, Attachment] = {}
        self.dm_channels: dict[int, Channel] = {}

    def add_user(self, username: str, *, bot: bool = False) -> User:
        user = User(id=self.ids.next(), username=username, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, owner: User, *, shard_id: int | None, shard_count: int) -> Guild:
        """A guild with @everyone (id = guild id) and two members: the owner, the bot (with its role)."""
        guild_id = self.ids.next(shard_id=shard_id, shard_count=shard_count)
        guild = Guild(id=guild_id, name=name, owner_id=owner.id)
        guild.roles[guild_id] = Role(id=guild_id, name="@everyone", permissions=EVERYONE_PERMISSIONS)
        self.guilds[guild_id] = guild
        self.add_member(guild, owner)
        bot_role = self.add_role(guild, self.bot_user.username, BOT_PERMISSIONS, managed=True)
        self.add_member(guild, self.bot_user, [bot_role])
        return guild

    def add_role(self, guild: Guild, name: str, permissions: int, *, managed: bool = False) -> Role:
        role = Role(
            id=self.ids.next(), name=name, permissions=permissions, position=len(guild.roles), managed=managed
        )
        guild.roles[role.id] = role
        return role

    def add_member(self, guild: Guild, user: User, roles: Iterable[Role] = ()) -> Member:
        member = Member(user=user, roles=[role.id for role in roles])
        guild.members[user.id] = member
        return member

    def add_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        channel = Channel(
            id=self.ids.next(), name=name, guild_id=guild.id, position=len(guild.channels), topic=topic
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def dm_channel(self, user: User) -> Channel:
        """The DM channel between the bot and ``user``, made on first use."""
        if user.id not in self.dm_channels:
            channel = Channel(id=self.ids.next(), name="", guild_id=None, type=DM_CHANNEL, recipient=user)
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return self.dm_channels[user.id]

    def add_attachment(
        self, filename: str, data: bytes, content_type: str | None, description: str | None = None
    ) -> Attachment:
        attachment = Attachment(self.ids.next(), filename, data, content_type, description)
        self.attachments[attachment.id] = attachment
        return attachment

    def remove_channel(self, channel: Channel) -> None:
        self.channels.pop(channel.id, None)
        if channel.guild_id is not None:
            self.guilds[channel.guild_id].channels.pop(channel.id, None)

    def store_message(self, message: Message) -> None:
        """Index a message; ephemeral ones are not part of the channel's history."""
        self.messages[message.id] = message
        channel = self.channels.get(message.channel_id)
        if channel is not None and not message.ephemeral:
            channel.messages.append(message)

    def guild_permissions(self, guild: Guild, user_id: int) -> int:
        if user_id == guild.owner_id:
            return ALL_PERMISSIONS
        member = guild.members.get(user_id)
        roles = member.roles if member else []
        value = guild.everyone.permissions
        for role_id in roles:
            value |= guild.roles[role_id].permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def permissions_in(self, channel: Channel, user_id: int) -> int:
        """Channel permissions as Discord computes them: base, then @everyone, role and member overwrites."""
        if channel.guild_id is None:
            return VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
        guild = self.guilds[channel.guild_id]
        value = self.guild_permissions(guild, user_id)
        if value & ADMINISTRATOR or value == ALL_PERMISSIONS:
            return ALL_PERMISSIONS
        member = guild.members.get(user_id)
        member_roles = set(member.roles) if member else set()
        by_target = {(o.type, o.id): o for o in channel.overwrites}
        everyone = by_target.get((0, guild.id))
        if everyone:
            value = (value & ~everyone.deny) | everyone.allow
        role_allow = role_deny = 0
        for overwrite in channel.overwrites:
            if overwrite.type == 0 and overwrite.id in member_roles:
                role_allow |= overwrite.allow
                role_deny |= overwrite.deny
        value = (value & ~role_deny) | role_allow
        own = by_target.get((1, user_id))
        if own:
            value = (value & ~own.deny) | own.allow
        return value
