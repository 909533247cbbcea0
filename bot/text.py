"""Plain-text helpers every answer uses: Discord's limits, cutting at a word, dates and citations."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.extract.model import PartialDate
from bot.store.models import Citation

# Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
CHOICE_NAME_LIMIT = 100
AUTOCOMPLETE_CHOICES = 25
ELLIPSIS = "…"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_INLINE_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")
_LINE_START_MARKDOWN = re.compile(r"^(\s*)([#>-])", re.MULTILINE)
T = TypeVar("T")


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending with "…" when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def format_date(date: PartialDate | None) -> str:
    """ "11 Apr 2019", "Nov 2018" or "2019"; "undated" for None."""
    if date is None:
        return "undated"
    if date.day is not None:
        return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"  # type: ignore[index,operator]
    if date.month is not None:
        return f"{_MONTHS[date.month - 1]} {date.year}"
    return str(date.year)


def cite(citation: Citation) -> str:
    """ "Russia's Mediation Goals in Libya, ¶14"."""
    return f"{citation.title}, ¶{citation.paragraph}"


def escape(text: str) -> str:
    """Text from an article or a user shown literally (no markdown); pings are stopped by allowed_mentions."""
    return _LINE_START_MARKDOWN.sub(r"\1\\\2", _INLINE_MARKDOWN.sub(r"\\\1", text))


def literal(text: str, limit: int) -> str:
    """Article or user text, escaped so it shows literally, in at most ``limit`` characters."""
    budget = limit
    while True:
        shown = escape(truncate(text, budget))
        if len(shown) <= limit:
            return shown
        # escaping added backslashes (at most one a character): cut the source by half the excess at least
        budget -= max(1, (len(shown) - limit + 1) // 2)


def fitting(items: Sequence[T], limit: int, *, size: Callable[[T], int] = len, gap: int = 0) -> list[T]:
    """The longest run of ``items`` from the start whose sizes, plus ``gap`` between each two (a
    separator's length), add up to at most ``limit``: the embed-size bookkeeping every answer shares."""
    kept: list[T] = []
    used = -gap
    for item in items:
        used += gap + size(item)
        if used > limit:
            break
        kept.append(item)
    return kept
