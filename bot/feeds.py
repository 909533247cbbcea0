"""RSS and Atom feeds, pure: reading a feed's body into items, an item's own text as an article, and when
to ask a feed again (after success, 304, 429 with Retry-After, 5xx or timeouts; paused after a day of
failing). No network and no store here; :mod:`cogs.feeds` does the fetching and the writing.
"""

from __future__ import annotations

import calendar
import hashlib
import io
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import feedparser
import lxml.html
from lxml.etree import ParserError

from bot.pages import Page, article_text
from bot.web import normalize_url

MAX_BACKOFF = timedelta(hours=6)
MAX_RETRY_AFTER = timedelta(hours=24)
PAUSE_AFTER = timedelta(hours=24)  # failing this long pauses a feed until /feed add resumes it
_BLOCKS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "pre")


class FeedError(ValueError):
    """The body is not a feed; the message is one line saying so."""


@dataclass(frozen=True)
class Item:
    url: str  # absolute, as the feed gives it
    url_key: str  # :func:`normalize_url` of it: how the item is known
    guid: str | None
    title: str | None
    published: datetime | None
    content: str  # the feed's own HTML (content, else summary): the article when the page cannot be had
    content_hash: str  # changes when the feed's version of the item changes


@dataclass(frozen=True)
class Feed:
    title: str | None
    link: str | None  # the site the feed belongs to
    items: tuple[Item, ...]  # newest first


def parse_feed(body: bytes, base_url: str) -> Feed:
    """The feed in ``body``; relative links are resolved against ``base_url``. Entries without a link are
    left out. Malformed XML is accepted when feedparser still reads entries from it.

    Raises :class:`FeedError` when the body is no RSS or Atom feed.
    """
    # a stream, never bytes or str: feedparser would open those as a file name or fetch them as a URL
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={"content-location": base_url}, sanitize_html=True
    )
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise FeedError("not an RSS or Atom feed")
    items: dict[str, Item] = {}
    for entry in parsed.entries:
        item = _item(entry)
        if item is not None and item.url_key not in items:
            items[item.url_key] = item
    ordered = list(items.values())
    if all(item.published for item in ordered):
        ordered.sort(key=lambda item: item.published or datetime.min.replace(tzinfo=UTC), reverse=True)
    # else: feed order, which is newest first in practice
    feed = parsed.feed
    return Feed(title=_clean(feed.get("title")), link=feed.get("link") or None, items=tuple(ordered))


def _item(entry: feedparser.FeedParserDict) -> Item | None:
    url = entry.get("link") or ""
    guid = entry.get("id") or None
    if not url.startswith(("http://", "https://")) and guid and guid.startswith(("http://", "https://")):
        url = guid
    if not url.startswith(("http://", "https://")):
        return None
    contents = entry.get("content") or []
    content = (contents[0].get("value") if contents else None) or entry.get("summary") or ""
    title = _clean(entry.get("title"))
    # dict.get: FeedParserDict.get("updated") falls back to "published" with a DeprecationWarning
    stamp = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    version = "\n".join([title or "", content, dict.get(entry, "updated") or ""])
    return Item(
        url=url,
        url_key=normalize_url(url),
        guid=guid,
        title=title,
        published=published,
        content=content,
        content_hash=hashlib.sha256(version.encode()).hexdigest(),
    )


def _clean(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


def html_text(html: str) -> str:
    """Paragraphs of an HTML snippet (a feed item's content), blank-line separated."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except (ParserError, ValueError):
        return " ".join(html.split())
    blocks = [" ".join(element.text_content().split()) for element in root.iter(*_BLOCKS)]
    blocks = [block for block in blocks if block]
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())


def item_article(item: Item, source: str | None) -> str:
    """The feed's own version of an item as an article file (for when its page cannot be fetched)."""
    published = item.published.date().isoformat() if item.published else None
    page = Page(
        title=item.title, author=None, published=published, site=source, url=item.url,
        text=html_text(item.content),
    )  # fmt: skip
    return article_text(page)


def one_line(html_or_text: str, limit: int = 200) -> str:
    """The first sentence-ish line of a text, for a notice."""
    text = " ".join(html_text(html_or_text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


# -- when to ask again ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    """A feed's polling state, as the store keeps it."""

    state: str  # "active" or "paused"
    failures: int
    first_failure_at: datetime | None
    next_poll_at: datetime
    last_error: str | None


def after_success(health: Health, now: datetime, interval: timedelta) -> Health:
    """A 200 or a 304: back to the normal interval, failures forgotten."""
    return Health("active", 0, None, now + interval, None)


def after_failure(
    health: Health,
    now: datetime,
    interval: timedelta,
    error: str,
    *,
    retry_after: float | None = None,
) -> Health:
    """A 5xx, a timeout, a 429 (or any failed fetch): wait ``interval`` × 2^(failures-1), at most
    :data:`MAX_BACKOFF`, and at least what Retry-After asked (up to a day). Failing for
    :data:`PAUSE_AFTER` pauses the feed."""
    failures = health.failures + 1
    first = health.first_failure_at or now
    delay = min(interval * 2 ** min(failures - 1, 16), MAX_BACKOFF)
    if retry_after is not None:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_RETRY_AFTER))
    state = "paused" if now - first >= PAUSE_AFTER else "active"
    return replace(
        health, state=state, failures=failures, first_failure_at=first, next_poll_at=now + delay,
        last_error=error,
    )  # fmt: skip
