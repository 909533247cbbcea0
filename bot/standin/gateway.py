"""The stand-in gateway: HELLO, IDENTIFY, heartbeats, READY, GUILD_CREATE, RESUME replay, sharding."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from bot.standin.interactions import Pulse
from bot.standin.model import Guild, Member, World
from bot.standin.payloads import Json, guild_create_payload, member_payload, user_payload

# Gateway opcodes
DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
RESUME = 6
RECONNECT = 7
REQUEST_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11
# Intent bits
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
BACKLOG_SIZE = 1000
CLIENT_CLOSES_THAT_END_SESSION = (1000, 1001)
Payload = Json | Callable[["Session"], Json | None]


@dataclass(eq=False)
class Outbound:
    """One frame for a client; ``on_sent`` runs (once) when it is written to a socket."""

    text: str
    seq: int | None = None
    on_sent: Callable[[float], None] | None = None


@dataclass(frozen=True)
class GatewayRecord:
    """What happened on the gateway, for tests: identify, resume, invalid_session, connect, close."""

    kind: str
    shard_id: int | None
    path: str
    at: float
    code: int | None = None


def stream_encoder(kind: str | None) -> Callable[[str], bytes] | None:
    """The transport compression discord.py asked for in the ``compress`` query parameter.

    zlib-stream: one compressor per connection, every message ends with a Z_SYNC_FLUSH marker.
    zstd-stream is what discord.py requests instead when ``zstandard`` or ``compression.zstd`` is importable.
    """
    if kind is None:
        return None
    if kind == "zlib-stream":
        compressor = zlib.compressobj()
        return lambda text: compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH)
    if kind == "zstd-stream":
        return _zstd_encoder()
    raise ValueError(f"unsupported compress={kind}")


def _zstd_encoder() -> Callable[[str], bytes]:
    try:
        import zstandard  # type: ignore[import-not-found]
    except ImportError:
        from compression import zstd  # type: ignore[import-not-found]

        stdlib = zstd.ZstdCompressor()
        return lambda text: stdlib.compress(text.encode(), mode=zstd.ZstdCompressor.FLUSH_BLOCK)
    stream = zstandard.ZstdCompressor().compressobj()
    return lambda text: stream.compress(text.encode()) + stream.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)


class Connection:
    """One websocket; frames go through a queue so every send keeps its order."""

    def __init__(
        self, ws: web.WebSocketResponse, request: web.Request, encode: Callable[[str], bytes] | None
    ) -> None:
        self.ws = ws
        self.path = request.path
        self.transport = request.transport
        self.encode = encode
        self.queue: asyncio.Queue[Outbound | int] = asyncio.Queue()
        self.session: Session | None = None
        self.closed_by_us = False
        self.sent_close_code: int | None = None
        self.heartbeats = 0

    def send(self, op: int, data: Any) -> None:
        self.queue.put_nowait(Outbound(json.dumps({"op": op, "d": data, "s": None, "t": None})))

    def close(self, code: int) -> None:
        """Close after the frames already queued."""
        self.closed_by_us = True
        self.sent_close_code = code
        self.queue.put_nowait(code)

    def drop(self) -> None:
        """Cut the TCP connection without a close frame, as a network failure would."""
        self.closed_by_us = True
        if self.transport is not None:
            self.transport.abort()

    async def write_loop(self) -> None:
        """Send queued frames in order; stops at a close request or when the socket is gone."""
        try:
            while True:
                item = await self.queue.get()
                if isinstance(item, int):
                    await self.ws.close(code=item)
                    return
                await self._write(item)
        except ConnectionError:
            return  # dropped: the frames stay in the session backlog for RESUME

    async def _write(self, item: Outbound) -> None:
        if self.encode is None:
            await self.ws.send_str(item.text)
        else:
            await self.ws.send_bytes(self.encode(item.text))
        if item.on_sent is not None:
            item.on_sent(time.perf_counter())
            item.on_sent = None


@dataclass(eq=False)
class Session:
    id: str
    shard_id: int
    shard_count: int
    intents: int
    seq: int = 0
    backlog: deque[Outbound] = field(default_factory=lambda: deque(maxlen=BACKLOG_SIZE))
    connection: Connection | None = None
    resumable: bool = True

    def owns(self, guild_id: int | None) -> bool:
        """Discord's shard formula; DMs go to shard 0."""
        if guild_id is None:
            return self.shard_id == 0
        return (guild_id >> 22) % self.shard_count == self.shard_id

    def emit(self, event: str, data: Json, on_sent: Callable[[float], None] | None = None) -> None:
        self.seq += 1
        frame = Outbound(
            json.dumps({"op": DISPATCH, "t": event, "s": self.seq, "d": data}), self.seq, on_sent
        )
        self.backlog.append(frame)
        if self.connection is not None:
            self.connection.queue.put_nowait(frame)


def _can_replay(session: Session, seq: int) -> bool:
    """A session resumes if it was not ended and still holds every event after ``seq``."""
    oldest = session.backlog[0].seq if session.backlog else None
    return session.resumable and (oldest is None or seq >= oldest - 1)


class Gateway:
    """Sessions per shard; every dispatch goes to the session owning the guild and is kept for RESUME."""

    def __init__(
        self,
        *,
        token: str,
        world: World,
        application: Json,
        heartbeat_interval: float,
        allowed_intents: int,
        changed: Pulse,
    ) -> None:
        self.token = token
        self.changed = changed
        self.world = world
        self.application = application
        self.heartbeat_interval = heartbeat_interval
        self.allowed_intents = allowed_intents
        self.resume_url = ""
        self.sessions: dict[str, Session] = {}
        self.connections: list[Connection] = []
        self.log: list[GatewayRecord] = []
        self._handlers: dict[int, Callable[[Connection, Any], None]] = {
            HEARTBEAT: self._heartbeat,
            IDENTIFY: self._identify,
            RESUME: self._resume,
            REQUEST_MEMBERS: self._request_members,
        }

    def records(self, kind: str) -> list[GatewayRecord]:
        return [record for record in self.log if record.kind == kind]

    def _record(
        self, kind: str, conn: Connection, shard_id: int | None = None, code: int | None = None
    ) -> None:
        if shard_id is None and conn.session is not None:
            shard_id = conn.session.shard_id
        self.log.append(GatewayRecord(kind, shard_id, conn.path, time.perf_counter(), code))
        self.changed.fire()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False)
        await ws.prepare(request)
        try:
            encode = stream_encoder(request.query.get("compress"))
        except ValueError as exc:
            await ws.close(code=4000, message=str(exc).encode())
            return ws
        conn = Connection(ws, request, encode)
        self.connections.append(conn)
        self._record("connect", conn)
        writer = asyncio.create_task(conn.write_loop())
        conn.send(HELLO, {"heartbeat_interval": int(self.heartbeat_interval * 1000)})
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    self._receive(conn, json.loads(message.data))
        finally:
            writer.cancel()
            self._detach(conn, ws.close_code)
        return ws

    def _receive(self, conn: Connection, payload: Json) -> None:
        op = payload.get("op")
        handler = self._handlers.get(op) if isinstance(op, int) else None
        if handler is None:
            if op not in (3, 4):  # presence and voice state updates are accepted and ignored
                conn.close(4001)
            return
        if conn.session is None and op not in (HEARTBEAT, IDENTIFY, RESUME):
            conn.close(4003)
            return
        handler(conn, payload.get("d"))

    def _heartbeat(self, conn: Connection, _: Any) -> None:
        conn.heartbeats += 1
        conn.send(HEARTBEAT_ACK, None)

    def _detach(self, conn: Connection, close_code: int | None) -> None:
        self.connections.remove(conn)
        self._record("close", conn, code=conn.sent_close_code or close_code)
        session = conn.session
        if session is None or session.connection is not conn:
            return
        session.connection = None
        if not conn.closed_by_us and close_code in CLIENT_CLOSES_THAT_END_SESSION:
            session.resumable = False

    def _identify(self, conn: Connection, data: Json) -> None:
        intents = data.get("intents")
        shard_id, shard_count = data.get("shard") or (0, 1)
        if conn.session is not None:
            conn.close(4005)
        elif data.get("token") != self.token:
            conn.close(4004)
        elif not isinstance(intents, int) or intents < 0:
            conn.close(4013)
        elif intents & PRIVILEGED_INTENTS & ~self.allowed_intents:
            conn.close(4014)
        elif not 0 <= shard_id < shard_count:
            conn.close(4010)
        else:
            self._start_session(conn, Session(secrets.token_hex(16), shard_id, shard_count, intents))

    def _start_session(self, conn: Connection, session: Session) -> None:
        """One session per shard: a new IDENTIFY for a shard ends the shard's older sessions."""
        for old in self.sessions.values():
            if (old.shard_id, old.shard_count) == (session.shard_id, session.shard_count):
                old.resumable = False
        self.sessions[session.id] = session
        conn.session, session.connection = session, conn
        self._record("identify", conn)
        guilds = [guild for guild in self.world.guilds.values() if session.owns(guild.id)]
        session.emit("READY", self._ready_payload(session, guilds))
        for guild in guilds:
            session.emit("GUILD_CREATE", self.guild_create(session, guild))

    def _ready_payload(self, session: Session, guilds: list[Guild]) -> Json:
        return {
            "v": 10,
            "user": {**user_payload(self.world.bot_user), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_url,
            "shard": [session.shard_id, session.shard_count],
            "application": {"id": self.application["id"], "flags": self.application["flags"]},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
            "geo_ordered_rtc_regions": [],
        }

    def guild_create(self, session: Session, guild: Guild) -> Json:
        """GUILD_CREATE as this session sees it: all members with the members intent, else only the bot."""
        if session.intents & GUILD_MEMBERS:
            members = list(guild.members.values())
        else:
            members = [guild.members[self.world.bot_user.id]]
        return guild_create_payload(guild, members)

    def _resume(self, conn: Connection, data: Json) -> None:
        if data.get("token") != self.token:
            conn.close(4004)
            return
        session = self.sessions.get(data.get("session_id", ""))
        seq = data.get("seq")
        if session is None or not isinstance(seq, int) or not _can_replay(session, seq):
            self._record("invalid_session", conn, session.shard_id if session else None)
            conn.send(INVALID_SESSION, False)
            return
        if session.connection is not None:
            session.connection.drop()
        for frame in session.backlog:
            if frame.seq is not None and frame.seq > seq:
                conn.queue.put_nowait(frame)
        conn.session, session.connection = session, conn
        self._record("resume", conn)
        session.emit("RESUMED", {})

    def _request_members(self, conn: Connection, data: Json) -> None:
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None or conn.session is None or not conn.session.owns(guild.id):
            return
        query = (data.get("query") or "").lower()
        wanted = {int(user_id) for user_id in data.get("user_ids") or []}

        def matches(member: Member) -> bool:
            if wanted:
                return member.user.id in wanted
            return member.user.username.lower().startswith(query)

        members = [member for member in guild.members.values() if matches(member)]
        limit = data.get("limit") or len(members)
        chunk = {
            "guild_id": str(guild.id),
            "members": [member_payload(member) for member in members[:limit]],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        conn.session.emit("GUILD_MEMBERS_CHUNK", chunk)

    def live_sessions(self) -> list[Session]:
        return [session for session in self.sessions.values() if session.resumable]

    def dispatch(
        self,
        event: str,
        data: Payload,
        *,
        guild_id: int | None,
        intent: int = 0,
        on_sent: Callable[[float], None] | None = None,
    ) -> int:
        """Send ``event`` to the session owning ``guild_id`` (kept while disconnected); returns how many.

        ``data`` may be a function of the session, for events whose content depends on the session's intents.
        """
        delivered = 0
        for session in self.live_sessions():
            if not session.owns(guild_id) or (intent and not session.intents & intent):
                continue
            payload = data(session) if callable(data) else data
            if payload is not None:
                session.emit(event, payload, on_sent)
                delivered += 1
        return delivered

    def session_for(self, shard_id: int) -> Session:
        for session in self.live_sessions():
            if session.shard_id == shard_id:
                return session
        raise LookupError(f"no live gateway session for shard {shard_id}")

    def connection_for(self, shard_id: int) -> Connection:
        connection = self.session_for(shard_id).connection
        if connection is None:
            raise LookupError(f"shard {shard_id} is not connected")
        return connection

    async def close_all(self) -> None:
        for conn in list(self.connections):
            conn.drop()
