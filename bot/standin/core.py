"""The stand-in's shared state: settings, model, gateway, interactions, commands and the request log."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.standin.gateway import GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT, PRIVILEGED_INTENTS, Gateway
from bot.standin.interactions import InteractionBook, Pulse
from bot.standin.messages import MessageService
from bot.standin.model import User, World
from bot.standin.payloads import Json
from bot.standin.snowflake import SnowflakeGenerator


@dataclass(frozen=True)
class StandInConfig:
    """Knobs; the defaults are Discord's values except where a test needs them smaller."""

    token: str = "standin-bot-token"
    bot_name: str = "Briefing Bot"
    recommended_shards: int = 1
    heartbeat_interval: float = 41.25
    ack_deadline: float = 3.0
    token_ttl: float = 15 * 60.0
    allowed_intents: int = PRIVILEGED_INTENTS
    response_timeout: float = 5.0
    settle: float = 0.05


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    status: int
    at: float
    body: Any = None


@dataclass(eq=False)
class RateLimitFault:
    """Answer 429 to the next ``remaining`` requests whose path matches ``pattern``."""

    pattern: re.Pattern[str]
    method: str | None
    remaining: int
    retry_after: float
    is_global: bool

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in (None, method) and bool(self.pattern.search(path))


@dataclass(eq=False)
class Core:
    config: StandInConfig = field(default_factory=StandInConfig)

    def __post_init__(self) -> None:
        self.ids = SnowflakeGenerator()
        self.bot_user = User(id=self.ids.next(), username=self.config.bot_name, bot=True)
        self.application_id = self.bot_user.id  # modern apps: application id == bot user id
        self.world = World(self.ids, self.bot_user)
        self.developer = self.world.add_user("developer")
        self.changed = Pulse()
        self.gateway = Gateway(
            token=self.config.token,
            world=self.world,
            application={"id": str(self.application_id), "flags": self._application_flags()},
            heartbeat_interval=self.config.heartbeat_interval,
            allowed_intents=self.config.allowed_intents,
            changed=self.changed,
        )
        self.messages = MessageService(self.world, self.gateway, self.changed)
        self.book = InteractionBook()
        self.commands: dict[int | None, list[Json]] = {}
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[str] = []
        self.rate_limits: list[RateLimitFault] = []
        self.base_url = ""

    def _application_flags(self) -> int:
        """The "limited" intent flags the developer portal sets when a privileged intent is switched on."""
        portal_flags = {GUILD_PRESENCES: 1 << 13, GUILD_MEMBERS: 1 << 15, MESSAGE_CONTENT: 1 << 19}
        return sum(flag for intent, flag in portal_flags.items() if self.config.allowed_intents & intent)

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1) + "/gateway"

    def count_requests(self, method: str, path_pattern: str) -> int:
        """Requests with this method whose path (relative to /api/v10) matches the regex."""
        pattern = re.compile(path_pattern)
        return sum(1 for r in self.requests if r.method == method and pattern.search(r.path))
