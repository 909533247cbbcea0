"""bot.web against real HTTP servers on loopback addresses: redirects, internal addresses, sizes, types,
errors, timeouts, conditional requests, decoding, robots.txt."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import ipaddress
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp import web

from bot.web import (
    FEED_TYPES,
    USER_AGENT,
    FetchError,
    FetchPolicy,
    RobotsCache,
    decode,
    fetch,
    internal_kind,
    normalize_url,
    open_session,
    parse_retry_after,
)
from tests.web_site import LocalSite

OPEN = FetchPolicy(allow_private=True)  # the test servers are on loopback addresses
GUARDED = FetchPolicy(allow_private=False)
HTML = "<html><head><title>Hello</title></head><body><p>Hello, world.</p></body></html>"


@pytest.fixture
async def site() -> AsyncIterator[LocalSite]:
    async with LocalSite() as served:
        yield served


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with open_session(OPEN) as opened:
        yield opened


@pytest.fixture
async def guarded() -> AsyncIterator[aiohttp.ClientSession]:
    async with open_session(GUARDED) as opened:
        yield opened


async def refused(session: aiohttp.ClientSession, url: str, policy: FetchPolicy = GUARDED) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch(session, url, policy)
    assert caught.value.kind == "refused", caught.value.reason
    return caught.value


# --- a plain fetch ----------------------------------------------------------------------------------


async def test_a_page_is_fetched_with_its_type_charset_and_validators(site, session):
    site.page("/a", HTML, "text/html; charset=UTF-8", ETag='"v1"', **{"Last-Modified": "Mon, 30 Nov 2026"})
    got = await fetch(session, site.url("/a#part"), OPEN)
    assert (got.url, got.status, got.content_type, got.charset) == (site.url("/a"), 200, "text/html", "utf-8")
    assert got.text() == HTML
    assert (got.etag, got.last_modified) == ('"v1"', "Mon, 30 Nov 2026")


async def test_the_request_names_the_bot_and_the_accepted_types(site, session):
    site.page("/a", HTML)
    await fetch(session, site.url("/a"), OPEN)
    headers = site.requests[0].headers
    assert headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("BriefingBot/")
    assert set(headers["Accept"].split(", ")) == {"text/html", "application/xhtml+xml", "text/plain"}


async def test_fetch_needs_a_session_that_vets_addresses(site):
    site.page("/a", HTML)
    async with aiohttp.ClientSession() as plain:
        with pytest.raises(ValueError, match="open_session"):
            await fetch(plain, site.url("/a"), OPEN)
    async with open_session(OPEN) as permissive:
        with pytest.raises(ValueError, match="allow_private"):
            await fetch(permissive, site.url("/a"), GUARDED)
    assert site.hits["/a"] == 0


# --- redirects --------------------------------------------------------------------------------------


def chain(site: LocalSite, length: int) -> str:
    """/r0 → /r1 → … → /r{length} (a page); returns the first address."""
    for step in range(length):
        site.redirect(f"/r{step}", site.url(f"/r{step + 1}"), status=(301, 302, 303, 307, 308)[step % 5])
    site.page(f"/r{length}", HTML)
    return site.url("/r0")


async def test_five_redirects_are_followed(site, session):
    got = await fetch(session, chain(site, 5), OPEN)
    assert got.url == site.url("/r5") and got.text() == HTML


async def test_a_sixth_redirect_is_refused_without_being_followed(site, session):
    with pytest.raises(FetchError) as caught:
        await fetch(session, chain(site, 6), OPEN)
    assert caught.value.kind == "http"
    assert caught.value.reason == "the address redirects more than 5 times"
    assert site.hits["/r6"] == 0 and site.hits["/r5"] == 1


async def test_a_relative_redirect_is_resolved_against_the_current_address(site, session):
    site.redirect("/old/page", "../new/page?x=1")
    site.page("/new/page", HTML)
    got = await fetch(session, site.url("/old/page"), OPEN)
    assert got.url == site.url("/new/page?x=1")


async def test_a_redirect_to_another_scheme_is_refused(site, session):
    site.redirect("/a", "file:///etc/passwd")
    error = await refused(session, site.url("/a"), OPEN)
    assert error.reason == "only http and https addresses can be fetched, not file: addresses"


async def test_a_redirect_without_location_is_an_http_error(site, session):
    async def bare(request: web.Request) -> web.Response:
        return web.Response(status=302)

    site.routes["/a"] = bare
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/a"), OPEN)
    assert (caught.value.kind, caught.value.status) == ("http", 302)
    assert caught.value.reason == "HTTP 302 Found without a Location to go to"


# --- addresses that may not be fetched ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url, reason",
    [
        ("ftp://example.com/file", "only http and https addresses can be fetched, not ftp: addresses"),
        ("file:///etc/passwd", "only http and https addresses can be fetched, not file: addresses"),
        ("example.com/page", "only http and https addresses can be fetched, not addresses without http://"
         " or https://"),
        ("http:///nohost", "that web address has no host name"),
        ("http://user:secret@example.com/", "addresses with a user name or password are not fetched"),
    ],
)  # fmt: skip
async def test_addresses_that_are_not_plain_web_addresses_are_refused(guarded, url, reason):
    assert (await refused(guarded, url)).reason == reason


async def test_loopback_literal_is_refused_before_any_request(site, guarded):
    site.page("/a", HTML)
    error = await refused(guarded, site.url("/a"))
    assert error.reason == "127.0.0.1 is a loopback address; the bot does not fetch internal addresses"
    assert site.hits["/a"] == 0


async def test_a_name_that_resolves_to_loopback_is_refused_before_any_request(site, guarded):
    site.page("/a", HTML)
    error = await refused(guarded, f"http://localhost:{site.port}/a")
    assert error.reason.startswith("localhost (127.0.0.1) is a loopback address")
    assert site.hits["/a"] == 0


@pytest.mark.parametrize(
    "host", ["[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "127.1", "2130706433", "0x7f.0.0.1"]
)
async def test_other_spellings_of_loopback_are_refused(site, guarded, host):
    site.page("/a", HTML)
    await refused(guarded, f"http://{host}:{site.port}/a")
    assert site.hits["/a"] == 0


@pytest.mark.parametrize(
    "address, kind",
    [
        ("127.0.0.1", "a loopback address"),
        ("127.255.0.9", "a loopback address"),
        ("10.0.0.1", "a private-network address"),
        ("172.16.5.4", "a private-network address"),
        ("192.168.1.1", "a private-network address"),
        ("169.254.169.254", "a link-local address"),
        ("100.64.0.1", "a carrier-grade NAT address"),
        ("100.127.255.254", "a carrier-grade NAT address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a private-network address"),
        ("255.255.255.255", "a private-network address"),
        ("192.0.2.10", "a private-network address"),
        ("::", "an unspecified address"),
        ("::1", "a loopback address"),
        ("fc00::1", "a private-network address"),
        ("fd12:3456::1", "a private-network address"),
        ("fe80::1", "a link-local address"),
        ("fe80::1%1", "a link-local address"),
        ("fec0::1", "a private-network address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:10.0.0.1", "a private-network address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:169.254.169.254", "a link-local address"),
        ("64:ff9b::a9fe:a9fe", "a link-local address"),
        ("2002:a00:1::1", "a private-network address"),
        ("2001:db8::1", "a private-network address"),
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("100.128.0.1", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
        ("64:ff9b::808:808", None),
    ],
)
def test_internal_addresses_are_classified(address, kind):
    assert internal_kind(ipaddress.ip_address(address)) == kind


@pytest.fixture
async def outside_and_inside() -> AsyncIterator[tuple[LocalSite, LocalSite, aiohttp.ClientSession]]:
    """A server on 127.0.0.2 standing in for the public web (the classifier is told so, nothing else is
    changed) and an internal one on 127.0.0.1, with a guarded session."""

    def classify(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        return None if address == ipaddress.IPv4Address("127.0.0.2") else internal_kind(address)

    async with LocalSite("127.0.0.2") as outside, LocalSite("127.0.0.1") as inside:
        inside.page("/secret", "internal")
        async with open_session(GUARDED, classify=classify) as opened:
            yield outside, inside, opened


async def test_the_stand_in_for_the_public_web_is_reachable(outside_and_inside):
    outside, _, opened = outside_and_inside
    outside.page("/a", HTML)
    assert (await fetch(opened, outside.url("/a"), GUARDED)).text() == HTML
    assert (await fetch(opened, f"http://127.0.0.2:{outside.port}/a", GUARDED)).status == 200


async def test_a_redirect_to_an_internal_address_is_refused_before_it_is_requested(outside_and_inside):
    outside, inside, opened = outside_and_inside
    outside.redirect("/a", inside.url("/secret"))
    error = await refused(opened, outside.url("/a"))
    assert error.reason.startswith("127.0.0.1 is a loopback address")
    assert outside.hits["/a"] == 1 and inside.hits["/secret"] == 0


async def test_a_redirect_to_a_name_of_an_internal_address_is_refused_before_it_is_requested(
    outside_and_inside,
):
    outside, inside, opened = outside_and_inside
    outside.redirect("/a", f"http://localhost:{inside.port}/secret")
    error = await refused(opened, outside.url("/a"))
    assert error.reason.startswith("localhost (127.0.0.1) is a loopback address")
    assert inside.hits["/secret"] == 0


async def test_allow_private_lets_internal_addresses_through(site, session):
    site.page("/a", HTML)
    assert (await fetch(session, f"http://localhost:{site.port}/a", OPEN)).status == 200


# --- size and type -----------------------------------------------------------------------------------


async def test_a_body_over_the_limit_is_refused_by_its_content_length(site, session):
    site.page("/big", b"x" * 5_000_001)
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/big"), OPEN)
    assert (caught.value.kind, caught.value.reason) == ("too_large", "the page is larger than 5 MB")


async def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(site, session):
    async def announces(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html", "Content-Length": "6000000"})
        await response.prepare(request)
        await response.write(b"<p>")
        await asyncio.sleep(30)  # the rest never comes: reading it would time out
        return response

    site.routes["/big"] = announces
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/big"), FetchPolicy(allow_private=True, timeout=5))
    assert caught.value.kind == "too_large"


async def test_a_body_exactly_at_the_limit_is_read(site, session):
    site.page("/big", b"x" * 1000, "text/plain")
    got = await fetch(session, site.url("/big"), FetchPolicy(allow_private=True, max_bytes=1000))
    assert len(got.body) == 1000


async def test_a_streamed_body_without_length_is_cut_off_past_the_limit(site, session):
    sent: list[int] = []

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(10_000):  # 100 MB if nobody stops reading
            await response.write(b"y" * 10_000)
            sent.append(10_000)
        return response

    site.routes["/stream"] = endless
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/stream"), FetchPolicy(allow_private=True, max_bytes=50_000))
    assert (caught.value.kind, caught.value.reason) == ("too_large", "the page is larger than 50 kB")
    assert sum(sent) < 10_000_000


async def test_the_limit_counts_the_decompressed_body(site, session):
    bomb = gzip.compress(b"\0" * 20_000_000)
    site.page("/bomb", bomb, "text/html", **{"Content-Encoding": "gzip"})
    assert len(bomb) < 100_000
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/bomb"), OPEN)
    assert (caught.value.kind, caught.value.reason) == ("too_large", "the page is larger than 5 MB")


async def test_cookies_are_not_kept_between_fetches(site, session):
    site.page("/a", HTML, **{"Set-Cookie": "visitor=1; Path=/"})
    site.page("/b", HTML)
    await fetch(session, f"http://localhost:{site.port}/a", OPEN)  # aiohttp's jar ignores cookies of IPs
    await fetch(session, f"http://localhost:{site.port}/b", OPEN)
    assert "Cookie" not in site.requests[1].headers


async def test_a_type_outside_the_accepted_ones_is_refused(site, session):
    site.page("/doc.pdf", b"%PDF-1.4", "application/pdf")
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/doc.pdf"), OPEN)
    assert caught.value.kind == "type"
    assert caught.value.reason == "the address serves application/pdf, not a web page or plain text"


async def test_feed_types_are_accepted_only_when_asked_for(site, session):
    site.page("/feed", "<rss version='2.0'></rss>", "application/rss+xml; charset=utf-8")
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/feed"), OPEN)
    assert caught.value.kind == "type"
    got = await fetch(session, site.url("/feed"), OPEN, accept=FEED_TYPES)
    assert got.content_type == "application/rss+xml"
    site.page("/misserved", "<rss version='2.0'></rss>", "text/html")
    assert (await fetch(session, site.url("/misserved"), OPEN, accept=FEED_TYPES)).status == 200


# --- HTTP errors ------------------------------------------------------------------------------------


def status_page(site: LocalSite, path: str, status: int, **headers: str) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, text="error", headers=headers)

    site.routes[path] = handler


async def http_error(session: aiohttp.ClientSession, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch(session, url, OPEN)
    assert caught.value.kind == "http"
    return caught.value


async def test_not_found_is_an_http_error_with_its_status(site, session):
    error = await http_error(session, site.url("/missing"))
    assert (error.status, error.reason, error.retry_after) == (404, "HTTP 404 Not Found", None)


async def test_server_error_is_an_http_error_with_its_status(site, session):
    status_page(site, "/broken", 500)
    error = await http_error(session, site.url("/broken"))
    assert (error.status, error.reason, error.retry_after) == (500, "HTTP 500 Internal Server Error", None)


async def test_too_many_requests_gives_retry_after_in_seconds(site, session):
    status_page(site, "/busy", 429, **{"Retry-After": "120"})
    error = await http_error(session, site.url("/busy"))
    assert (error.status, error.reason, error.retry_after) == (429, "HTTP 429 Too Many Requests", 120.0)


async def test_unavailable_gives_retry_after_from_an_http_date(site, session):
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    status_page(site, "/busy", 503, **{"Retry-After": later})
    error = await http_error(session, site.url("/busy"))
    assert error.status == 503 and error.retry_after is not None and 80 <= error.retry_after <= 90


@pytest.mark.parametrize(
    "value, seconds",
    [("0", 0.0), (" 3600 ", 3600.0), ("Tue, 01 Dec 2026 08:00:30 GMT", 30.0),
     ("Tue, 01 Dec 2026 07:00:00 GMT", 0.0), ("soon", None), ("-5", None)],
)  # fmt: skip
def test_retry_after_values(value, seconds):
    assert parse_retry_after(value, now=datetime(2026, 12, 1, 8, 0, tzinfo=UTC)) == seconds


async def test_a_closed_port_is_a_network_error(session):
    async with LocalSite() as gone:
        port = gone.port
    with pytest.raises(FetchError) as caught:
        await fetch(session, f"http://127.0.0.1:{port}/", OPEN)
    assert (caught.value.kind, caught.value.reason) == ("network", "could not connect to 127.0.0.1")


# --- timeouts ---------------------------------------------------------------------------------------


async def test_a_server_that_does_not_answer_times_out(site, session):
    async def silent(request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.Response(text="late")

    site.routes["/slow"] = silent
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/slow"), FetchPolicy(allow_private=True, timeout=0.3))
    assert caught.value.kind == "timeout"
    assert caught.value.reason == "127.0.0.1 did not answer within 0.3 seconds"


async def test_a_body_that_trickles_times_out(site, session):
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(300):
            await response.write(b"<p>")
            await asyncio.sleep(0.1)
        return response

    site.routes["/trickle"] = trickle
    with pytest.raises(FetchError) as caught:
        await fetch(session, site.url("/trickle"), FetchPolicy(allow_private=True, timeout=0.5))
    assert caught.value.kind == "timeout"


# --- conditional requests ---------------------------------------------------------------------------


async def test_a_matching_etag_gives_304_without_a_body(site, session):
    async def tagged(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v7"':
            return web.Response(status=304, headers={"ETag": '"v7"'})
        return web.Response(text="<rss/>", content_type="application/rss+xml", headers={"ETag": '"v7"'})

    site.routes["/feed"] = tagged
    first = await fetch(session, site.url("/feed"), OPEN, accept=FEED_TYPES)
    again = await fetch(session, site.url("/feed"), OPEN, accept=FEED_TYPES, etag=first.etag)
    assert (first.status, first.etag) == (200, '"v7"')
    assert (again.status, again.body, again.etag) == (304, b"", '"v7"')


async def test_an_unchanged_date_gives_304(site, session):
    stamp = "Mon, 30 Nov 2026 10:00:00 GMT"

    async def dated(request: web.Request) -> web.Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return web.Response(status=304)
        return web.Response(text=HTML, content_type="text/html", headers={"Last-Modified": stamp})

    site.routes["/page"] = dated
    first = await fetch(session, site.url("/page"), OPEN)
    again = await fetch(session, site.url("/page"), OPEN, last_modified=first.last_modified)
    assert first.status == 200 and first.last_modified == stamp
    assert (again.status, again.body, again.last_modified) == (304, b"", stamp)


async def test_a_304_to_an_unconditional_request_is_an_error(site, session):
    status_page(site, "/odd", 304)
    assert (await http_error(session, site.url("/odd"))).status == 304


# --- decoding ---------------------------------------------------------------------------------------


async def test_the_header_charset_decodes_the_body(site, session):
    site.page("/latin", "<p>café à Tripoli</p>".encode("iso-8859-1"), "text/html; charset=ISO-8859-1")
    got = await fetch(session, site.url("/latin"), OPEN)
    assert got.charset == "iso-8859-1" and got.text() == "<p>café à Tripoli</p>"


@pytest.mark.parametrize(
    "body, charset, text",
    [
        ('<meta charset="windows-1251"><p>Москва</p>'.encode("cp1251"), None,
         '<meta charset="windows-1251"><p>Москва</p>'),
        ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Киев</p>'.encode("koi8-r"),
         None, '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Киев</p>'),
        ('<?xml version="1.0" encoding="ISO-8859-1"?><rss>été</rss>'.encode("latin-1"), None,
         '<?xml version="1.0" encoding="ISO-8859-1"?><rss>été</rss>'),
        ("<p>Zürich — “quoted”</p>".encode(), None, "<p>Zürich — “quoted”</p>"),
        ("<p>“smart” quotes</p>".encode("cp1252"), None, "<p>“smart” quotes</p>"),
        ("<p>bom</p>".encode("utf-8-sig"), "iso-8859-1", "<p>bom</p>"),
        ("<p>ça</p>".encode("utf-16"), None, "<p>ça</p>"),
        (b"<p>\xe9t\xe9</p>", "no-such-charset", "<p>\xe9t\xe9</p>"),
        ("<p>Ελλάδα</p>".encode(), "utf-8", "<p>Ελλάδα</p>"),
        (b"<p>broken \xff\xfe utf-8 \xc3</p>", "utf-8", "<p>broken \ufffd\ufffd utf-8 \ufffd</p>"),
    ],
)  # fmt: skip
def test_decoding(body, charset, text):
    assert decode(body, charset) == text


# --- same article, other address --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, normal",
    [
        ("HTTPS://Example.COM:443/News/Story/?utm_source=tw&utm_medium=social&id=7#comments",
         "https://example.com/News/Story?id=7"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a/", "http://example.com:8080/a"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com/a?b=2&a=1&fbclid=XYZ&gclid=1&mc_cid=2&mc_eid=3", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?ref=rss&ref_src=twsrc&igshid=abc&UTM_Campaign=x", "https://example.com/a"),
        ("https://example.com/a?q=&z=1", "https://example.com/a?q=&z=1"),
        ("https://example.com/a?page=2&page=1", "https://example.com/a?page=1&page=2"),
        ("https://[2001:DB8::1]:443/x/", "https://[2001:db8::1]/x"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)  # fmt: skip
def test_normalize_url(url, normal):
    assert normalize_url(url) == normal


def test_addresses_of_one_article_normalise_alike():
    shared = "https://www.example.org/2026/11/30/story?id=12"
    variants = [
        "https://WWW.example.org/2026/11/30/story/?id=12&utm_source=rss",
        "https://www.example.org:443/2026/11/30/story?utm_medium=feed&id=12#top",
    ]
    assert {normalize_url(url) for url in variants} == {normalize_url(shared)}
    assert normalize_url("https://www.example.org/2026/11/30/story?id=13") != normalize_url(shared)


# --- robots.txt -------------------------------------------------------------------------------------

ROBOTS = """User-agent: OtherBot
Disallow: /

User-agent: *
Disallow: /private/
"""


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_robots_rules_allow_and_deny(site, session):
    site.page("/robots.txt", ROBOTS, "text/plain")
    robots = RobotsCache()
    assert await robots.allowed(session, site.url("/news/story"), OPEN)
    assert not await robots.allowed(session, site.url("/private/x"), OPEN)
    with pytest.raises(FetchError) as caught:
        await robots.check(session, site.url("/private/x"), OPEN)
    assert caught.value.kind == "robots"
    assert site.hits["/robots.txt"] == 1


async def test_a_group_for_briefingbot_replaces_the_general_one(site, session):
    site.page("/robots.txt", ROBOTS + "\nUser-agent: BriefingBot\nDisallow: /no-bots/\n", "text/plain")
    robots = RobotsCache()
    assert not await robots.allowed(session, site.url("/no-bots/x?y=1"), OPEN)
    assert await robots.allowed(session, site.url("/private/x"), OPEN)


async def test_robots_txt_served_as_html_is_still_read(site, session):
    site.page("/robots.txt", ROBOTS, "text/html")
    assert not await RobotsCache().allowed(session, site.url("/private/x"), OPEN)


async def test_a_missing_robots_txt_allows_everything_for_an_hour(site, session):
    clock = Clock()
    robots = RobotsCache(clock=clock)
    assert await robots.allowed(session, site.url("/private/x"), OPEN)
    clock.now += 3599
    assert await robots.allowed(session, site.url("/a"), OPEN)
    assert site.hits["/robots.txt"] == 1
    site.page("/robots.txt", ROBOTS, "text/plain")
    clock.now += 2
    assert not await robots.allowed(session, site.url("/private/x"), OPEN)
    assert site.hits["/robots.txt"] == 2


async def test_robots_rules_are_kept_an_hour_then_asked_for_again(site, session):
    site.page("/robots.txt", ROBOTS, "text/plain")
    clock = Clock()
    robots = RobotsCache(clock=clock)
    assert not await robots.allowed(session, site.url("/private/x"), OPEN)
    site.page("/robots.txt", "User-agent: *\nDisallow:\n", "text/plain")
    clock.now += 3000
    assert not await robots.allowed(session, site.url("/private/x"), OPEN)
    clock.now += 601
    assert await robots.allowed(session, site.url("/private/x"), OPEN)
    assert site.hits["/robots.txt"] == 2


async def test_an_unreachable_robots_txt_allows_but_is_asked_for_again_soon(site, session):
    status_page(site, "/robots.txt", 503)
    clock = Clock()
    robots = RobotsCache(clock=clock)
    assert await robots.allowed(session, site.url("/private/x"), OPEN)
    assert await robots.allowed(session, site.url("/private/x"), OPEN)
    assert site.hits["/robots.txt"] == 1
    site.page("/robots.txt", ROBOTS, "text/plain")
    clock.now += 301
    assert not await robots.allowed(session, site.url("/private/x"), OPEN)
    assert site.hits["/robots.txt"] == 2


async def test_concurrent_checks_of_one_site_fetch_robots_txt_once(site, session):
    site.page("/robots.txt", ROBOTS, "text/plain")
    robots = RobotsCache()
    answers = await asyncio.gather(*(robots.allowed(session, site.url(f"/p{n}"), OPEN) for n in range(5)))
    assert answers == [True] * 5 and site.hits["/robots.txt"] == 1


async def test_robots_of_an_internal_address_is_refused_like_the_page(site, guarded):
    with pytest.raises(FetchError) as caught:
        await RobotsCache().allowed(guarded, site.url("/a"), GUARDED)
    assert caught.value.kind == "refused" and site.hits["/robots.txt"] == 0
