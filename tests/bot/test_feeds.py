"""``/feed add|list|remove`` and the poll loop through the stand-in, against feeds and pages served by a
local HTTP server. The poll loop is driven by calling the cog's cycle with the bot's clock moved on."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from aiohttp import web

from bot.standin import StandIn
from bot.standin.model import Channel
from bot.store.servers import forget_now
from bot.web import internal_kind, open_session
from cogs.feeds import Feeds
from cogs.feeds._reader import HostGate
from tests.bot.conftest import FakeClock
from tests.bot.test_library import SLOW, text_of
from tests.web_site import LocalSite

pytestmark = pytest.mark.settings(allow_private_urls=True)

# Our own short news texts: (path, title, date, paragraphs).
PORT = (
    "/news/port-talks",
    "Port talks stall in Kismayo",
    "2021-03-02",
    [
        "Aden Duale, Kenya's defence minister, said on Tuesday that Kenyan troops would stay in Somalia "
        "until the talks over the port of Kismayo were settled.",
        "Sheikh Ahmed Madobe, the leader of the Jubaland administration, said the port would stay open to "
        "traders from both countries while the talks went on.",
    ],
)
DROUGHT = (
    "/news/drought-appeal",
    "Drought appeal launched in Baidoa",
    "2021-03-04",
    [
        "Hodan Ali, a regional health official, said on Thursday that three new clinics had opened in "
        "Baidoa for families fleeing the drought.",
        "The United Nations asked donors for forty million dollars to feed the families until the rains "
        "return, according to a statement issued in Mogadishu.",
    ],
)
BRIDGE = (
    "/news/bridge-reopens",
    "Bridge reopens near Beledweyne",
    "2021-03-06",
    [
        "Abdirahman Yusuf, the district commissioner, said on Saturday that the bridge over the Shabelle "
        "river near Beledweyne had reopened after the floods.",
        "Traders said lorries carrying grain crossed the bridge for the first time in three weeks, "
        "bringing prices in the market down.",
    ],
)


def page_html(title: str, date: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title} | Horn Observer</title>"
        f'<meta property="article:published_time" content="{date}">'
        f'<meta property="og:site_name" content="Horn Observer"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
    )


def rss(items: list[tuple[str, str, str, list[str]]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{path}?utm_source=rss</link><guid>{path}</guid>"
        f"<description>{paragraphs[0]}</description></item>"
        for path, title, _, paragraphs in items
    )
    channel = f"<channel><title>Horn Observer</title>{entries}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


@dataclass
class Publisher:
    """A site with one feed whose items, status and headers the test changes as it goes."""

    site: LocalSite
    items: list = field(default_factory=list)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = '"v1"'
    conditional: list[str | None] = field(default_factory=list)

    def publish(self, *items: tuple[str, str, str, list[str]]) -> None:
        self.items[:0] = list(items)
        self.etag = f'"v{len(self.items)}-{id(self.items[0])}"'
        for path, title, date, paragraphs in items:
            self.site.page(path, page_html(title, date, paragraphs))

    async def feed(self, request: web.Request) -> web.StreamResponse:
        self.conditional.append(request.headers.get("If-None-Match"))
        if self.status != 200:
            return web.Response(status=self.status, headers=self.headers, text="unavailable")
        if request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304, headers={"ETag": self.etag})
        return web.Response(
            text=rss(self.items), content_type="application/rss+xml", headers={"ETag": self.etag}
        )

    @property
    def url(self) -> str:
        return self.site.url("/feed.xml")


@pytest.fixture
async def publisher():
    async with LocalSite() as site:
        publisher = Publisher(site)
        site.routes["/feed.xml"] = publisher.feed
        yield publisher


@pytest.fixture
def cog(bot) -> Feeds:
    feeds = bot.get_cog("Feeds")  # its module is loaded afresh for each bot: not this file's Feeds class
    assert feeds is not None
    feeds.reader.gate = HostGate(0.0)  # one host serves every page here; the 1 s spacing is tested below
    return feeds


async def add_feed(standin: StandIn, url: str, channel: Channel | None = None, **kw):
    options = {"url": url} | ({"channel": channel} if channel else {})
    return await standin.slash("feed add", options, user=standin.find_user("owner"), timeout=SLOW, **kw)


async def cycle_after(cog: Feeds, clock: FakeClock, minutes: float) -> None:
    clock.now += timedelta(minutes=minutes)
    await cog.poll_cycle()


async def test_a_feed_is_added_and_its_new_articles_are_learned_and_noticed(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn, clock: FakeClock
) -> None:
    publisher.publish(PORT, DROUGHT)
    desk = standin.find_channel("briefings")
    added = await add_feed(standin, publisher.url, desk)
    shown = text_of(added)
    assert added.ephemeral and "Following: Horn Observer" in shown and "Added 2 articles" in shown
    assert "Drought appeal launched in Baidoa" in shown and f"<#{desk.id}>" in shown
    guild_id = standin.default_channel.guild_id
    assert len(await bot.store.documents(library=guild_id)) == 2
    assert (await standin.slash("actor", {"name": "Hodan Ali"})).embeds

    publisher.publish(BRIDGE)
    await cycle_after(cog, clock, 31)
    notice = await standin.wait_for_message(desk, timeout=SLOW)
    [embed] = notice.embeds
    assert embed["title"] == "Bridge reopens near Beledweyne"
    assert embed["url"].endswith("/news/bridge-reopens?utm_source=rss")
    assert "Abdirahman Yusuf" in embed["description"] and "Horn Observer" in embed["footer"]["text"]
    assert (notice.allowed_mentions or {}).get("parse") == []
    assert len(await bot.store.documents(library=guild_id)) == 3
    assert publisher.site.hits["/news/bridge-reopens"] == 1 and publisher.site.hits["/news/port-talks"] == 1

    # unchanged: a conditional GET, a 304, nothing fetched or posted again
    await cycle_after(cog, clock, 31)
    assert publisher.conditional[-1] == publisher.etag
    assert publisher.site.hits["/news/bridge-reopens"] == 1
    assert len([m for m in standin.messages_in(desk) if m.author is standin.bot_user]) == 1


async def test_a_restart_fetches_nothing_twice(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn, clock: FakeClock
) -> None:
    publisher.publish(PORT)
    await add_feed(standin, publisher.url)
    publisher.etag = '"changed-etag-same-items"'  # a full GET that brings only known items
    fresh = Feeds(bot)  # a new cog reads everything from the store, as after a restart
    fresh.reader.gate = HostGate(0.0)
    clock.now += timedelta(minutes=31)
    await fresh.poll_cycle()
    fresh.reader.close()
    assert publisher.site.hits["/feed.xml"] == 2 and publisher.site.hits["/news/port-talks"] == 1


async def test_an_updated_article_replaces_its_earlier_version(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn, clock: FakeClock
) -> None:
    publisher.publish(PORT)
    await add_feed(standin, publisher.url)
    guild_id = standin.default_channel.guild_id
    [before] = await bot.store.documents(library=guild_id)
    path, title, date, paragraphs = PORT
    corrected = [
        paragraphs[0].replace("Tuesday", "Wednesday"),
        "Mohamed Farah, a port official, said "
        "on Wednesday that two ships had been turned away from Kismayo during the talks.",
    ]
    publisher.items = []
    publisher.publish((path, title, date, corrected))
    await cycle_after(cog, clock, 31)
    [after] = await bot.store.documents(library=guild_id)
    assert (after.key, after.added_by, after.ingested_at) == (before.key, before.added_by, before.ingested_at)
    assert "1 matching sentence" in text_of(await standin.slash("search", {"text": "ships turned away"}))
    old = await standin.slash("search", {"text": "traders from both countries"})
    assert "Madobe" not in text_of(old)
    assert publisher.site.hits["/news/port-talks"] == 2


async def test_failures_back_off_pause_and_resume_and_list_shows_it(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn, clock: FakeClock
) -> None:
    publisher.publish(PORT)
    await add_feed(standin, publisher.url)
    owner = standin.find_user("owner")
    listed = text_of(await standin.slash("feed list", user=owner))
    assert "Horn Observer" in listed and "✓ active" in listed and "last new item <t:" in listed

    publisher.status = 500
    await cycle_after(cog, clock, 31)
    listed = text_of(await standin.slash("feed list", user=owner))
    assert "backing off after 1 failure" in listed and "HTTP 500" in listed
    await cycle_after(cog, clock, 31)  # the second failure: the next try in an hour
    await cycle_after(cog, clock, 31)
    assert publisher.conditional.count(publisher.etag) == 2

    publisher.status, publisher.headers = 429, {"Retry-After": "14400"}
    await cycle_after(cog, clock, 31)
    assert "HTTP 429" in text_of(await standin.slash("feed list", user=owner))
    requests = len(publisher.conditional)
    await cycle_after(cog, clock, 200)  # the server asked for four hours (the backoff alone: two)
    assert len(publisher.conditional) == requests
    await cycle_after(cog, clock, 41)
    assert len(publisher.conditional) == requests + 1

    publisher.status, publisher.headers = 503, {}
    for _ in range(12):
        await cycle_after(cog, clock, 6 * 60)
    listed = text_of(await standin.slash("feed list", user=owner))
    assert "paused after failing for a day" in listed and "HTTP 503" in listed
    requests = len(publisher.conditional)
    await cycle_after(cog, clock, 24 * 60)
    assert len(publisher.conditional) == requests  # paused: not asked

    resumed = await add_feed(standin, publisher.url)
    assert resumed.content.startswith("Resumed **Horn Observer**")
    publisher.status = 200
    await cycle_after(cog, clock, 1)
    listed = text_of(await standin.slash("feed list", user=owner))
    assert "✓ active" in listed and "Last error" not in listed


async def test_remove_keeps_the_articles_and_says_so(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn
) -> None:
    publisher.publish(PORT, DROUGHT)
    await add_feed(standin, publisher.url)
    owner = standin.find_user("owner")
    choices = await standin.autocomplete("feed remove", {"feed": "horn"}, "feed", user=owner)
    [choice] = choices.choices
    assert choice["name"] == "Horn Observer"
    removed = await standin.slash("feed remove", {"feed": choice["value"]}, user=owner)
    assert removed.content == (
        "Stopped following **Horn Observer**. The 2 articles it added stay in this server's library "
        "(`/article remove` removes one)."
    )
    assert "No feeds yet" in text_of(await standin.slash("feed list", user=owner))
    assert len(await bot.store.documents(library=standin.default_channel.guild_id)) == 2
    async with bot.store.transaction() as conn:
        assert (await conn.execute_fetchall("SELECT count(*) FROM feed_items"))[0][0] == 0


async def test_robots_txt_is_honoured_and_the_feeds_own_text_stands_in(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn
) -> None:
    publisher.site.page("/robots.txt", "User-agent: *\nDisallow: /news/drought", content_type="text/plain")
    publisher.publish(PORT, DROUGHT)
    added = text_of(await add_feed(standin, publisher.url))
    assert "Added 2 articles" in added
    assert publisher.site.hits["/news/drought-appeal"] == 0 and publisher.site.hits["/news/port-talks"] == 1
    found = text_of(await standin.slash("search", {"text": "clinics Baidoa"}))
    assert "Drought appeal launched in Baidoa" in found  # from the feed's description, under its title
    missing = await standin.slash("search", {"text": "forty million dollars"})  # only on the page
    assert "No sentence" in missing.content


async def test_forgetting_a_server_forgets_its_feeds(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn, clock: FakeClock
) -> None:
    publisher.publish(PORT)
    await add_feed(standin, publisher.url)
    await asyncio.to_thread(forget_now, bot.store.path, standin.default_channel.guild_id, clock.now)
    async with bot.store.transaction() as conn:
        for table in ("feeds", "feed_items"):
            assert (await conn.execute_fetchall(f"SELECT count(*) FROM {table}"))[0][0] == 0


async def test_one_host_is_forgotten_once_its_interval_has_passed() -> None:
    gate = HostGate(0.0)
    for n in range(1100):
        await gate.wait(f"http://site{n}.example/feed")
    assert len(gate._next) <= 1024


@pytest.mark.settings(allow_private_urls=True, server_article_limit=1)
async def test_a_full_library_skips_items_without_pausing_the_feed(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn, clock: FakeClock
) -> None:
    publisher.publish(PORT, DROUGHT)
    added = text_of(await add_feed(standin, publisher.url))
    assert "Added 1 article" in added and "library is full (1 articles)" in added
    await cycle_after(cog, clock, 31)
    listed = text_of(await standin.slash("feed list", user=standin.find_user("owner")))
    assert "✓ active" in listed and "library is full" in listed
    assert publisher.conditional[-1] is None  # the waiting item needs a full GET, not a 304


@pytest.mark.settings(allow_private_urls=True, server_feed_limit=1)
async def test_refusals_say_why_in_one_line(publisher: Publisher, bot, cog: Feeds, standin: StandIn) -> None:
    site = publisher.site
    site.page("/page.html", page_html(*PORT[1:]))
    site.page("/huge.xml", b"<rss>" + b" " * 5_100_000, content_type="application/rss+xml")

    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.Response(text=rss([PORT]), content_type="application/rss+xml")

    site.routes["/slow.xml"] = slow
    bot.fetch_policy = replace(bot.fetch_policy, timeout=0.5)
    cases = [
        (site.url("/page.html"), "not an RSS or Atom feed"),
        (site.url("/huge.xml"), "larger than 5 MB"),
        (site.url("/slow.xml"), "did not answer within 0.5 seconds"),
        (site.url("/missing.xml"), "HTTP 404"),
        ("ftp://example.org/feed.xml", "only http:// and https://"),
    ]
    for url, reason in cases:
        answer = await add_feed(standin, url)
        assert answer.content.startswith("Not followed:") and reason in answer.content, answer.content
        assert "\n" not in answer.content
    publisher.publish(PORT)
    await add_feed(standin, publisher.url)
    full = await add_feed(standin, site.url("/other.xml"))
    assert "follows 1 feeds, the most it may" in full.content

    member = standin.find_user("member")
    standin.find_command("feed", None)["default_member_permissions"] = None
    refused = await standin.slash("feed add", {"url": publisher.url}, user=member)
    assert refused.content == "You need the Manage Server permission to do that."


@pytest.mark.settings(allow_private_urls=False)
async def test_a_redirect_to_an_internal_address_is_refused(bot, standin: StandIn) -> None:
    def classify(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if address == ipaddress.IPv4Address("127.0.0.2") else internal_kind(address)

    async with LocalSite("127.0.0.2") as outside, LocalSite("127.0.0.1") as inside:
        inside.page("/feed.xml", rss([PORT]), content_type="application/rss+xml")
        outside.redirect("/feed.xml", inside.url("/feed.xml"))
        bot._web = open_session(bot.fetch_policy, classify=classify)  # 127.0.0.2 stands in for the web
        answer = await add_feed(standin, outside.url("/feed.xml"))
    assert answer.content.startswith("Not followed: 127.0.0.1 is a loopback address")
    assert inside.hits["/feed.xml"] == 0


async def test_one_host_is_asked_at_most_once_a_second() -> None:
    gate = HostGate(1.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(gate.wait("http://a.example/x") for _ in range(3)), gate.wait("http://b.example/"))
    assert 2.0 <= loop.time() - started < 2.5


async def test_the_next_briefing_lists_exactly_what_the_feed_brought_once(
    publisher: Publisher, bot, cog: Feeds, standin: StandIn, clock: FakeClock
) -> None:
    from tests.bot.test_briefing import FIRST_SLOT, field, posts, set_up, tick_at

    owner, desk = standin.find_user("owner"), standin.find_channel("briefings")
    publisher.publish(PORT, DROUGHT)
    await add_feed(standin, publisher.url)
    await set_up(standin, owner, desk)
    await tick_at(bot, clock, FIRST_SLOT)
    publisher.publish(BRIDGE)
    await cycle_after(cog, clock, 31)
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=1))
    await tick_at(bot, clock, FIRST_SLOT + timedelta(days=2))
    _, news, quiet = posts(standin, desk)
    assert news.embeds[0]["description"].startswith("1 new article since the last briefing")
    articles = field(news, "New articles")
    assert "Bridge reopens near Beledweyne" in articles and "Port talks" not in articles
    assert "Horn Observer" in articles and "[link](http://127.0.0.1:" in articles
    assert "Abdirahman Yusuf" in field(news, "New actors") and "Hodan Ali" not in field(news, "New actors")
    assert quiet.embeds[0]["description"].startswith("Nothing new since the last briefing")
