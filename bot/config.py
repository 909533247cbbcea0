"""Typed settings from the environment and an optional ``.env`` file (the environment wins)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_API_BASE = "https://discord.com/api/v10"


class ConfigError(ValueError):
    """A setting has a value the bot cannot use; the message names the setting."""


def read_env_file(path: Path) -> dict[str, str]:
    """Parse ``KEY=value`` lines; blank lines and ``#`` comments are skipped, quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _int_or_none(name: str, value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None


def _positive(name: str, value: str | None, default: int) -> int:
    number = _int_or_none(name, value)
    if number is None:
        return default
    if number < 1:
        raise ConfigError(f"{name} must be 1 or more, got {number}")
    return number


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _flag(name: str, value: str | None) -> bool:
    """A yes/no setting; anything but the usual words is refused rather than read as "no"."""
    word = (value or "false").lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ConfigError(f"{name} must be true or false, got {value!r}")
    return word in TRUE_WORDS


@dataclass(frozen=True)
class Settings:
    token: str | None
    api_base: str
    db_path: Path
    articles_dir: Path
    dev_guild_id: int | None
    log_level: str
    shard_count: int | None
    shard_ids: list[int] | None
    message_content: bool
    playground_timezone: str | None = None  # IANA name; None: the machine's local time zone
    server_article_limit: int = 500  # articles a server may add to its own library
    server_feed_limit: int = 20  # feeds a server may follow
    feed_poll_minutes: int = 30
    allow_private_urls: bool = False  # fetch from loopback/private addresses (tests, playground)

    @property
    def api_base_is_custom(self) -> bool:
        return self.api_base.rstrip("/") != DEFAULT_API_BASE

    def __repr__(self) -> str:  # never show the token
        token = "set" if self.token else "unset"
        return f"Settings(db_path={self.db_path!s}, api_base={self.api_base!r}, token={token})"


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
    env: dict[str, str] = read_env_file(env_file) if env_file else {}
    env.update(os.environ if environ is None else environ)

    def get(name: str, default: str | None = None) -> str | None:
        value = env.get(name, "").strip()
        return value or default

    shard_ids_text = get("SHARD_IDS")
    shard_ids = None
    if shard_ids_text:
        try:
            shard_ids = [int(part) for part in shard_ids_text.replace(" ", "").split(",") if part]
        except ValueError:
            raise ConfigError(f"SHARD_IDS must be comma-separated numbers, got {shard_ids_text!r}") from None
    shard_count = _int_or_none("SHARD_COUNT", get("SHARD_COUNT"))
    if shard_count is not None and shard_count < 1:
        raise ConfigError(f"SHARD_COUNT must be 1 or more, got {shard_count}")
    if shard_ids and shard_count is None:
        raise ConfigError("SHARD_IDS needs SHARD_COUNT as well")
    if shard_ids and shard_count is not None and any(not 0 <= i < shard_count for i in shard_ids):
        raise ConfigError("every SHARD_IDS entry must be between 0 and SHARD_COUNT - 1")

    log_level = (get("LOG_LEVEL", "INFO") or "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {log_level!r}")

    api_base = (get("DISCORD_API_BASE", DEFAULT_API_BASE) or DEFAULT_API_BASE).rstrip("/")
    if not api_base.startswith(("http://", "https://")):
        raise ConfigError(f"DISCORD_API_BASE must be an http(s) URL, got {api_base!r}")

    playground_timezone = get("PLAYGROUND_TIMEZONE")
    if playground_timezone is not None:
        try:
            ZoneInfo(playground_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"PLAYGROUND_TIMEZONE must be an IANA time zone name such as Europe/Berlin, "
                f"got {playground_timezone!r}"
            ) from None

    return Settings(
        server_article_limit=_positive("SERVER_ARTICLE_LIMIT", get("SERVER_ARTICLE_LIMIT"), 500),
        server_feed_limit=_positive("SERVER_FEED_LIMIT", get("SERVER_FEED_LIMIT"), 20),
        feed_poll_minutes=_positive("FEED_POLL_MINUTES", get("FEED_POLL_MINUTES"), 30),
        allow_private_urls=_flag("ALLOW_PRIVATE_URLS", get("ALLOW_PRIVATE_URLS")),
        token=get("DISCORD_TOKEN"),
        api_base=api_base,
        db_path=Path(get("BRIEFING_DB", "data/briefing.db") or "data/briefing.db"),
        articles_dir=Path(get("BRIEFING_ARTICLES", "data/articles") or "data/articles"),
        dev_guild_id=_int_or_none("DEV_GUILD_ID", get("DEV_GUILD_ID")),
        log_level=log_level,
        shard_count=shard_count,
        shard_ids=shard_ids,
        message_content=_flag("MESSAGE_CONTENT_INTENT", get("MESSAGE_CONTENT_INTENT")),
        playground_timezone=playground_timezone,
    )
