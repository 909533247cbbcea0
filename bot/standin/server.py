"""``StandIn``: the loopback Discord (aiohttp on 127.0.0.1, random port), world building, fault switches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from aiohttp import web

from bot.standin.api_routes import ApiRoutes
from bot.standin.core import RateLimitFault, StandInConfig
from bot.standin.drivers import Drivers
from bot.standin.gateway import GUILD_MEMBERS, INVALID_SESSION, RECONNECT, GatewayRecord
from bot.standin.interaction_routes import InteractionRoutes
from bot.standin.interactions import InteractionResult
from bot.standin.model import SEND_MESSAGES, Channel, Guild, Member, Message, Overwrite, Role, User
from bot.standin.payloads import Json, channel_payload, member_payload
from bot.standin.rest import HttpFront, Router

# Close codes after which Discord will not resume the session.
NON_RESUMABLE_CLOSES = frozenset({4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014})
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
T = TypeVar("T")


def _first(items: Iterator[T], description: str) -> T:
    found = next(items, None)
    if found is None:
        raise LookupError(f"no {description}")
    return found


class StandIn(Drivers):
    """A Discord for one bot: REST under ``api_base``, the gateway at ``gateway_url``."""

    def __init__(self, config: StandInConfig | None = None, **overrides: Any) -> None:
        super().__init__(replace(config or StandInConfig(), **overrides))
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        router = Router()
        ApiRoutes(self).register(router)
        InteractionRoutes(self).register(router)
        front = HttpFront(self, router)
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway-resume", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", front.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        self.messages.base_url = self.base_url
        self.gateway.resume_url = self.base_url.replace("http://", "ws://", 1) + "/gateway-resume"

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> StandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- world building (usable before and while the bot is connected) --

    def add_user(self, username: str, *, bot: bool = False) -> User:
        return self.world.add_user(username, bot=bot)

    def add_guild(self, name: str, *, owner: User | None = None, shard_id: int | None = None) -> Guild:
        """A guild the bot is in; ``shard_id`` picks an id on that shard of ``recommended_shards``."""
        owner = owner or self.add_user(f"{name} owner")
        guild = self.world.add_guild(
            name, owner, shard_id=shard_id, shard_count=self.config.recommended_shards
        )
        self.gateway.dispatch(
            "GUILD_CREATE", lambda session: self.gateway.guild_create(session, guild), guild_id=guild.id
        )
        return guild

    def remove_bot(self, guild: Guild) -> None:
        """The bot is removed from ``guild`` (kicked, or the guild deleted): GUILD_DELETE, not unavailable."""
        self.gateway.dispatch("GUILD_DELETE", {"id": str(guild.id)}, guild_id=guild.id)
        self.world.guilds.pop(guild.id, None)

    def readd_bot(self, guild: Guild) -> None:
        """The bot is added back to ``guild``, as it was: GUILD_CREATE without ``unavailable`` (a join)."""
        self.world.guilds[guild.id] = guild

        def joined(session: Any) -> Json:
            payload = dict(self.gateway.guild_create(session, guild))
            payload.pop("unavailable", None)
            return payload

        self.gateway.dispatch("GUILD_CREATE", joined, guild_id=guild.id)

    def add_role(self, guild: Guild, name: str, permissions: int) -> Role:
        return self.world.add_role(guild, name, permissions)

    def add_member(self, guild: Guild, user: User, roles: Iterable[Role] = ()) -> Member:
        """Make ``user`` a member with ``roles`` (replacing an earlier membership)."""
        event_name = "GUILD_MEMBER_UPDATE" if user.id in guild.members else "GUILD_MEMBER_ADD"
        member = self.world.add_member(guild, user, roles)
        event = {**member_payload(member), "guild_id": str(guild.id)}
        self.gateway.dispatch(event_name, event, guild_id=guild.id, intent=GUILD_MEMBERS)
        return member

    def add_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        channel = self.world.add_channel(guild, name, topic=topic)
        self.gateway.dispatch("CHANNEL_CREATE", channel_payload(channel), guild_id=guild.id)
        return channel

    def find_guild(self, name: str) -> Guild:
        return _first((g for g in self.world.guilds.values() if g.name == name), f"guild {name!r}")

    def find_channel(self, name: str, guild: Guild | None = None) -> Channel:
        guilds = [guild] if guild else list(self.world.guilds.values())
        channels = (c for g in guilds for c in g.channels.values() if c.name == name)
        return _first(channels, f"channel {name!r}")

    def find_user(self, username: str) -> User:
        return _first((u for u in self.world.users.values() if u.username == username), f"user {username!r}")

    def messages_in(self, channel: Channel) -> list[Message]:
        """The channel's history as users see it (no ephemeral or deleted messages), oldest first."""
        return channel.visible_messages()

    @property
    def interactions(self) -> list[InteractionResult]:
        return self.book.all()

    # -- fault switches --

    def rate_limit(
        self,
        path_pattern: str,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        method: str | None = None,
        is_global: bool = False,
    ) -> RateLimitFault:
        """Answer the next ``times`` matching requests with 429 (path regex, relative to /api/v10)."""
        fault = RateLimitFault(re.compile(path_pattern), method, times, retry_after, is_global)
        self.rate_limits.append(fault)
        return fault

    def deny(self, channel: Channel, permissions: int = SEND_MESSAGES) -> None:
        """Take ``permissions`` from the bot in ``channel`` with a member overwrite (→ 403 50013 on send)."""
        channel.overwrites.append(Overwrite(id=self.bot_user.id, type=1, deny=permissions))
        self.gateway.dispatch("CHANNEL_UPDATE", channel_payload(channel), guild_id=channel.guild_id)

    def delete_channel(self, channel: Channel, *, notify: bool = True) -> None:
        """Remove the channel (→ 404 10003); ``notify=False`` leaves it in the bot's cache."""
        self.world.remove_channel(channel)
        if notify:
            self.gateway.dispatch("CHANNEL_DELETE", channel_payload(channel), guild_id=channel.guild_id)

    def drop_connection(self, shard_id: int = 0) -> None:
        """Cut the shard's TCP connection; the session stays resumable."""
        self.gateway.connection_for(shard_id).drop()

    def close_connection(self, shard_id: int = 0, code: int = 4009) -> None:
        """Close the shard's socket with ``code``; 4007/4009 (and the fatal codes) also end the session."""
        session = self.gateway.session_for(shard_id)
        connection = self.gateway.connection_for(shard_id)
        if code in NON_RESUMABLE_CLOSES:
            session.resumable = False
        connection.close(code)

    def invalidate_session(self, shard_id: int = 0, *, resumable: bool = False) -> None:
        """Send INVALID_SESSION (op 9); with ``resumable=False`` the client must IDENTIFY again."""
        session = self.gateway.session_for(shard_id)
        connection = self.gateway.connection_for(shard_id)
        session.resumable = resumable
        connection.send(INVALID_SESSION, resumable)

    def request_reconnect(self, shard_id: int = 0) -> None:
        """Send RECONNECT (op 7): the client reconnects and resumes."""
        self.gateway.connection_for(shard_id).send(RECONNECT, None)

    async def wait_for_gateway(
        self, kind: str, count: int = 1, *, shard_id: int | None = None, timeout: float = 5.0
    ) -> list[GatewayRecord]:
        """Wait for ``count`` records of ``kind`` (identify, resume, invalid_session, connect, close)."""

        def matching() -> list[GatewayRecord]:
            return [r for r in self.gateway.records(kind) if shard_id is None or r.shard_id == shard_id]

        await self.changed.wait_until(lambda: len(matching()) >= count, timeout)
        return matching()
