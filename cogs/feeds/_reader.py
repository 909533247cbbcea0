"""Reading feeds: fetching them politely (a few at once, one request a second per host, conditional GET),
turning new items into articles of the server's library, replacing updated ones, and one poll cycle over
every feed that is due. The fetch rules are those of ``/article add url:`` (:func:`bot.web.fetch`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from yarl import URL

from bot.feeds import Feed, FeedError, Item, after_failure, after_success, item_article, parse_feed
from bot.library import Added, Refused
from bot.store import feeds as feed_store
from bot.store.feeds import FeedRow, KnownItem, SeenItem
from bot.web import FEED_TYPES, PAGE_TYPES, Fetched, FetchError, RobotsCache, fetch
from bot.workers import Worker, WorkerStopped

if TYPE_CHECKING:
    from bot.client import BriefingBot

log = logging.getLogger(__name__)

FIRST_ITEMS = 10  # items read at once when a feed is added; older ones are remembered as seen
CONCURRENT_FEEDS = 4
PARSER_NICENESS = 10  # background work: the bot's own process comes first for the CPU
PARSER_IDLE_SECONDS = 600  # between two polls (every 30 minutes by default) the parser is let go


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class HostGate:
    """At most one request per ``interval`` seconds to each host (host and port)."""

    def __init__(self, interval: float = 1.0, clock: Callable[[], float] | None = None) -> None:
        self.interval = interval
        self._clock = clock or (lambda: asyncio.get_running_loop().time())
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, url: str) -> None:
        host = URL(url).raw_authority or url
        async with self._locks.setdefault(host, asyncio.Lock()):
            delay = self._next.get(host, 0.0) - self._clock()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next[host] = self._clock() + self.interval
        if len(self._next) > 1024:
            self._forget_idle()

    def _forget_idle(self) -> None:
        """Hosts whose interval has passed need no entry (items link to many sites)."""
        now = self._clock()
        for host in [h for h, at in self._next.items() if at <= now and not self._locks[h].locked()]:
            del self._next[host], self._locks[host]


@dataclass
class Outcome:
    """What became of one feed's items in one read."""

    added: list[tuple[Item, Added]] = field(default_factory=list)
    updated: list[tuple[Item, Added]] = field(default_factory=list)
    refused: list[tuple[Item, str]] = field(default_factory=list)
    library_full: str | None = None  # items wait until the library has room


class FeedReader:
    """The bot's feed reader: one per bot, shared by ``/feed add`` and the poll loop."""

    def __init__(self, bot: BriefingBot, *, gate: HostGate | None = None) -> None:
        self.bot = bot
        self.gate = gate or HostGate()
        self.robots = RobotsCache()
        self.limit = asyncio.Semaphore(CONCURRENT_FEEDS)
        self._cycle = asyncio.Lock()
        self._parser = Worker(niceness=PARSER_NICENESS, idle_seconds=PARSER_IDLE_SECONDS)

    def close(self) -> None:
        self._parser.close()

    async def parse(self, body: bytes, url: str) -> Feed:
        """:func:`parse_feed` in a process of its own: feedparser is pure Python (about 60 ms for 50
        items here) and would hold the event loop's GIL in a thread."""
        try:
            return await self._parser.run(parse_feed, body, url)
        except WorkerStopped:
            raise FeedError("the feed reader stopped; the feed is read again at the next check") from None

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.bot.settings.feed_poll_minutes)

    async def get(
        self,
        url: str,
        accept: Collection[str],
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        await self.gate.wait(url)
        return await fetch(
            self.bot.web, url, self.bot.fetch_policy, accept=accept, etag=etag, last_modified=last_modified
        )

    async def read_feed(self, url: str) -> tuple[Fetched, Feed]:
        """Fetch and parse a feed; :class:`FetchError` or :class:`FeedError` say why not."""
        got = await self.get(url, FEED_TYPES)
        return got, await self.parse(got.body, got.url)

    # -- items into articles ------------------------------------------------------------------------------

    async def take(self, row: FeedRow, feed: Feed, *, first: int | None = None, now: datetime) -> Outcome:
        """Read the feed's new items (all of them, or the newest ``first`` when it was just added: the rest
        are remembered as seen) and replace the articles of items whose feed version changed."""
        known = await feed_store.known_items(self.bot.store, row.id)
        new = [item for item in feed.items if item.url_key not in known]
        changed = [
            (item, known[item.url_key])
            for item in feed.items
            if item.url_key in known
            and known[item.url_key].document_key
            and known[item.url_key].content_hash != item.content_hash
        ]
        outcome = Outcome()
        if first is not None:
            await self._remember(row, [(item, None) for item in new[first:]], now)
            new = new[:first]
        source = row.title or feed.title
        for item in new:
            if await self.bot.library.count(row.guild_id) >= self.bot.library.article_limit:
                outcome.library_full = (
                    f"this server's library is full ({self.bot.library.article_limit} articles); "
                    "new items wait until there is room"
                )
                break
            key = await self._add(row, item, source, outcome)
            await self._remember(row, [(item, key)], now)
        for item, before in changed:
            await self._update(row, item, before, source, outcome)
            await self._remember(row, [(item, None)], now)
        return outcome

    async def _add(self, row: FeedRow, item: Item, source: str | None, outcome: Outcome) -> str | None:
        library = self.bot.library
        try:
            if (same := await library.already_there(row.guild_id, item.url_key)) is not None:
                raise Refused(f"already there: “{same}”")
            text, name = await self._article(item, source)
            added = await library.add(
                text, guild=row.guild_id, added_by=row.added_by, name=name, url_key=item.url_key
            )
        except Refused as error:
            outcome.refused.append((item, str(error)))
            return None
        outcome.added.append((item, added))
        return added.key

    async def _update(
        self, row: FeedRow, item: Item, before: KnownItem, source: str | None, outcome: Outcome
    ) -> None:
        assert before.document_key is not None
        try:
            text, _ = await self._article(item, source)
            updated = await self.bot.library.replace(
                text, guild=row.guild_id, key=before.document_key, url_key=item.url_key
            )
        except Refused as error:
            outcome.refused.append((item, str(error)))
            return
        if updated is not None:
            outcome.updated.append((item, updated))

    async def _article(self, item: Item, source: str | None) -> tuple[str, str]:
        """The item's page as article text and a name for its key; the feed's own text when the page
        cannot be had (robots.txt says no, an error, no article text on it)."""
        try:
            await self.robots.check(self.bot.web, item.url, self.bot.fetch_policy)
            page = await self.get(item.url, PAGE_TYPES)
            if page.content_type == "text/plain":
                return page.text(), item.title or item.url
            text, title = await self.bot.library.page_article(page.text(), page.url)
            return text, title or item.title or item.url
        except (FetchError, Refused) as error:
            log.info("feed item %s: its own text is used (%s)", item.url, error)
        text = item_article(item, source)
        if not item.content.strip():
            raise Refused("its page could not be fetched and the feed gives no text for it")
        return text, item.title or item.url

    async def _remember(self, row: FeedRow, items: list[tuple[Item, str | None]], now: datetime) -> None:
        seen = [
            SeenItem(
                item.url_key, item.guid, item.content_hash, key,
                item.published.isoformat() if item.published else None,
            )
            for item, key in items
        ]  # fmt: skip
        await feed_store.remember_items(self.bot.store, row.id, seen, now)

    # -- polling --------------------------------------------------------------------------------------------

    async def poll_cycle(self) -> list[tuple[FeedRow, Outcome]]:
        """Poll every feed that is due, a few at a time; returns what each one added."""
        async with self._cycle:
            now = self.bot.clock()
            due = await feed_store.due_feeds(self.bot.store, now)
            results = await asyncio.gather(*(self._poll_limited(row, now) for row in due))
        if any(outcome.added or outcome.updated for _, outcome in results):
            await self.bot.store.refresh()
        return list(results)

    async def _poll_limited(self, row: FeedRow, now: datetime) -> tuple[FeedRow, Outcome]:
        async with self.limit:
            try:
                return row, await self.poll(row, now)
            except Exception:  # one broken feed must not stop the others
                log.exception("polling feed %s failed", row.id)
                return row, Outcome()

    async def poll(self, row: FeedRow, now: datetime) -> Outcome:
        """One conditional GET of the feed and whatever it brought; the feed's health saved."""
        store = self.bot.store
        try:
            got = await self.get(row.url, FEED_TYPES, etag=row.etag, last_modified=row.last_modified)
            digest = body_hash(got.body) if got.status != 304 else row.body_hash
            unchanged = got.status == 304 or digest == row.body_hash  # many sites send no validators
            feed = None if unchanged else await self.parse(got.body, got.url)
        except (FetchError, FeedError) as error:
            retry_after = error.retry_after if isinstance(error, FetchError) else None
            reason = error.reason if isinstance(error, FetchError) else str(error)
            health = after_failure(row.health, now, self.interval, reason, retry_after=retry_after)
            await feed_store.save_poll(
                store, row.id, health, now, etag=row.etag, last_modified=row.last_modified,
                body_hash=row.body_hash,
            )  # fmt: skip
            if health.state == "paused":
                log.info("feed %s paused after failing for a day: %s", row.id, reason)
            return Outcome()
        health = after_success(row.health, now, self.interval)
        if feed is None:
            await feed_store.save_poll(
                store, row.id, health, now, etag=got.etag, last_modified=got.last_modified, body_hash=digest
            )
            return Outcome()
        outcome = await self.take(row, feed, now=now)
        full = outcome.library_full is not None  # no validators then: the waiting items need a full GET
        await feed_store.save_poll(
            store, row.id, replace(health, last_error=outcome.library_full), now,
            etag=None if full else got.etag, last_modified=None if full else got.last_modified,
            title=feed.title, new_items=bool(outcome.added), body_hash=None if full else digest,
        )  # fmt: skip
        return outcome
