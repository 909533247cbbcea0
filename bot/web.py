"""Fetching web pages and feeds safely: only public http(s) addresses, bounded in time, size and redirects.

Every connection a session from :func:`open_session` makes goes through :class:`_VettingResolver`, which
resolves the host with ``loop.getaddrinfo`` and refuses the whole host when any of its addresses is
internal (loopback, private, link-local, …). The address that is checked is the address that is connected
to, so a name that resolves differently the second time (DNS rebinding) gains nothing. aiohttp does not
resolve IP literals, so :func:`fetch` checks those itself, before every request and every redirect.
"""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import ipaddress
import re
import socket
import time
import weakref
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from importlib import metadata
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import aiohttp
from aiohttp.abc import ResolveResult
from yarl import URL


def _version() -> str:
    try:
        return metadata.version("briefing-bot")
    except metadata.PackageNotFoundError:  # running from a source tree that was not installed
        return "0"


AGENT_TOKEN = "BriefingBot"  # the name robots.txt rules address
USER_AGENT = f"{AGENT_TOKEN}/{_version()} (Discord briefing bot; reads pages its users ask for)"

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
# feeds are often served as text/html or text/plain, so those are accepted too and the parser decides
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/xml",
        "text/xml",
    }
) | {"text/html", "text/plain"}
ANY_TYPE = frozenset({"*/*"})  # accept whatever the server says it sends (robots.txt)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Classifier = Callable[[IPAddress], str | None]

FetchKind = Literal["refused", "http", "timeout", "too_large", "type", "network", "robots"]


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False  # the operator's ALLOW_PRIVATE_URLS
    timeout: float = 20.0  # seconds for one request, connect to last byte
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = USER_AGENT


class FetchError(Exception):
    """A fetch that did not give a usable body; ``reason`` is one line a user can read."""

    def __init__(
        self,
        kind: FetchKind,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.kind: FetchKind = kind
        self.reason = reason
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait, if it said


@dataclass(frozen=True)
class Fetched:
    url: str  # the final address, after redirects
    status: int  # 2xx, or 304 when a conditional request matched
    content_type: str  # lower-case media type without parameters; "" on 304
    charset: str | None  # as the Content-Type header gave it
    body: bytes  # b"" on 304
    etag: str | None
    last_modified: str | None

    def text(self) -> str:
        """The body as text: BOM, declared charset, a <meta>/XML declaration, else UTF-8 or Windows-1252."""
        return decode(self.body, self.charset)


# --- which addresses are internal -----------------------------------------------------------------

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def internal_kind(address: IPAddress) -> str | None:
    """What kind of internal address this is ("a loopback address"), or ``None`` for a public one.

    IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by that IPv4 address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return internal_kind(embedded)
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "a carrier-grade NAT address"),
        (address.is_private or getattr(address, "is_site_local", False), "a private-network address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "a non-public address"),
    )
    return next((kind for internal, kind in checks if internal), None)


def _refusal(host: str, address: str, kind: str) -> FetchError:
    where = address if host.strip("[]") == address else f"{host} ({address})"
    return FetchError("refused", f"{where} is {kind}; the bot does not fetch internal addresses")


class _AddressRefused(OSError):
    """Raised by the resolver; aiohttp wraps it in a ClientConnectorError and :func:`fetch` unwraps it."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(error.reason)
        self.error = error


class _VettingResolver(aiohttp.ThreadedResolver):
    """``loop.getaddrinfo``, then every address is vetted: one internal address refuses the host."""

    def __init__(self, classify: Classifier) -> None:
        super().__init__()
        self._classify = classify

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await super().resolve(host, port, family)
        for result in results:
            kind = self._classify(ipaddress.ip_address(result["host"]))
            if kind is not None:
                raise _AddressRefused(_refusal(host, result["host"], kind))
        return results


@dataclass(frozen=True)
class _Vetting:
    allow_private: bool
    classify: Classifier


_SESSIONS: weakref.WeakKeyDictionary[aiohttp.ClientSession, _Vetting] = weakref.WeakKeyDictionary()


def open_session(policy: FetchPolicy, *, classify: Classifier = internal_kind) -> aiohttp.ClientSession:
    """The session :func:`fetch` needs: its connector refuses internal addresses unless ``allow_private``.

    ``classify`` says which addresses are internal; tests replace it to let a loopback server stand in
    for the public web. Call it inside the running event loop; close the session when done.
    """
    if policy.allow_private:
        connector = aiohttp.TCPConnector(limit_per_host=4)
    else:
        connector = aiohttp.TCPConnector(resolver=_VettingResolver(classify), limit_per_host=4)
    session = aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": policy.user_agent},
        cookie_jar=aiohttp.DummyCookieJar(),  # no state carried from one fetch (or server) to the next
    )
    _SESSIONS[session] = _Vetting(policy.allow_private, classify)
    return session


# --- fetching -------------------------------------------------------------------------------------


async def fetch(
    session: aiohttp.ClientSession,
    url: str,
    policy: FetchPolicy,
    *,
    accept: Collection[str] = PAGE_TYPES,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url`` under ``policy``, following redirects ourselves. Raises :class:`FetchError`.

    With ``etag``/``last_modified`` the request is conditional; a 304 answer gives a body-less
    :class:`Fetched` with status 304.
    """
    vetting = _SESSIONS.get(session)
    if vetting is None:
        raise ValueError("fetch() needs a session made by bot.web.open_session()")
    if vetting.allow_private != policy.allow_private:
        raise ValueError("the session was opened with another allow_private than this policy")
    headers = {"User-Agent": policy.user_agent, "Accept": ", ".join(sorted(accept))}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = _checked_url(url)
    for _ in range(policy.max_redirects + 1):
        if not policy.allow_private:
            _check_literal(current, vetting.classify)
        try:
            async with asyncio.timeout(policy.timeout):
                answer = await _request(session, current, policy, accept, headers)
        except TimeoutError:
            raise FetchError(
                "timeout", f"{current.host} did not answer within {policy.timeout:g} seconds"
            ) from None
        if isinstance(answer, Fetched):
            return answer
        current = answer
    raise FetchError("http", f"the address redirects more than {policy.max_redirects} times")


def _checked_url(url: str, base: URL | None = None) -> URL:
    try:
        parsed = URL(url.strip())
        if base is not None:
            parsed = base.join(parsed)
    except (ValueError, TypeError):
        raise FetchError("refused", "that is not a valid web address") from None
    if parsed.scheme not in {"http", "https"}:
        shown = f"{parsed.scheme}: addresses" if parsed.scheme else "addresses without http:// or https://"
        raise FetchError("refused", f"only http and https addresses can be fetched, not {shown}")
    if not parsed.host:
        raise FetchError("refused", "that web address has no host name")
    if parsed.user is not None or parsed.password is not None:
        raise FetchError("refused", "addresses with a user name or password are not fetched")
    return parsed.with_fragment(None)


def _check_literal(url: URL, classify: Classifier) -> None:
    """An IP-literal host never reaches the resolver, so it is vetted here."""
    host = url.host or ""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return
    kind = classify(address)
    if kind is not None:
        raise _refusal(host, host.strip("[]"), kind)


async def _request(
    session: aiohttp.ClientSession,
    url: URL,
    policy: FetchPolicy,
    accept: Collection[str],
    headers: dict[str, str],
) -> Fetched | URL:
    """One GET: the final :class:`Fetched`, or the URL a redirect points to."""
    host = url.host or str(url)
    try:
        async with session.get(url, headers=headers, allow_redirects=False) as response:
            return await _answer(response, url, policy, accept, headers)
    except TimeoutError:
        raise  # aiohttp's own timeouts are ClientErrors too; fetch() words them
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.os_error, _AddressRefused):
            raise error.os_error.error from None
        if isinstance(error, aiohttp.ClientConnectorDNSError):
            raise FetchError("network", f"no server called {host} could be found") from None
        if isinstance(error, aiohttp.ClientConnectorCertificateError):
            raise FetchError("network", f"{host}'s certificate could not be verified") from None
        if isinstance(error, aiohttp.ClientSSLError):
            raise FetchError("network", f"no secure connection to {host} could be made") from None
        raise FetchError("network", f"could not connect to {host}") from None
    except aiohttp.InvalidURL:
        raise FetchError("refused", "that is not a valid web address") from None
    except aiohttp.ClientPayloadError:
        raise FetchError("network", f"the connection to {host} broke while the page was read") from None
    except aiohttp.ClientResponseError:
        raise FetchError("network", f"{host} sent an answer that is not valid HTTP") from None
    except aiohttp.ClientError:
        raise FetchError("network", f"the connection to {host} failed") from None


async def _answer(
    response: aiohttp.ClientResponse,
    url: URL,
    policy: FetchPolicy,
    accept: Collection[str],
    headers: dict[str, str],
) -> Fetched | URL:
    status = response.status
    if status in _REDIRECTS:
        location = response.headers.get("Location")
        if not location:
            raise FetchError("http", f"{_status_line(response)} without a Location to go to", status=status)
        return _checked_url(location, base=url)
    if status == 304 and ("If-None-Match" in headers or "If-Modified-Since" in headers):
        return Fetched(
            url=str(url),
            status=304,
            content_type="",
            charset=None,
            body=b"",
            etag=response.headers.get("ETag") or headers.get("If-None-Match"),
            last_modified=response.headers.get("Last-Modified") or headers.get("If-Modified-Since"),
        )
    if not 200 <= status < 300:
        retry = response.headers.get("Retry-After")
        raise FetchError(
            "http",
            _status_line(response),
            status=status,
            retry_after=parse_retry_after(retry) if retry and status >= 400 else None,
        )
    content_type = response.content_type.lower()
    if "*/*" not in accept and content_type not in accept:
        raise FetchError("type", f"the address serves {content_type}, not {_describe(accept)}")
    if response.content_length is not None and response.content_length > policy.max_bytes:
        raise FetchError("too_large", f"the page is larger than {_size(policy.max_bytes)}")
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > policy.max_bytes:
            raise FetchError("too_large", f"the page is larger than {_size(policy.max_bytes)}")
    return Fetched(
        url=str(url),
        status=status,
        content_type=content_type,
        charset=response.charset.lower() if response.charset else None,
        body=bytes(body),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )


def _status_line(response: aiohttp.ClientResponse) -> str:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = response.reason or ""
    return f"HTTP {response.status} {phrase}".rstrip()


def _describe(accept: Collection[str]) -> str:
    if set(accept) <= PAGE_TYPES:
        return "a web page or plain text"
    if set(accept) & (FEED_TYPES - PAGE_TYPES):
        return "a feed, a web page or plain text"
    return " or ".join(sorted(accept))


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:g} MB"
    if count >= 1_000:
        return f"{count / 1_000:g} kB"
    return f"{count} bytes"


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: a number of seconds or an HTTP date; ``None`` if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# --- decoding -------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# browsers read these labels as Windows-1252, and so do pages that use them
_AS_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})


def decode(body: bytes, charset: str | None) -> str:
    """Bytes to text: BOM, then the declared charset, then the document's own declaration, then UTF-8,
    and Windows-1252 as the last resort; undecodable bytes become U+FFFD."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, "replace")
    head = body[:4096]
    declared = [charset]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            declared.append(match.group(1).decode("ascii"))
    for name in declared:
        codec = _codec(name)
        if codec is not None:
            return body.decode(codec, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", "replace")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    if name in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec.startswith("utf-16") or codec.startswith("utf-32") else codec


# --- same-article addresses -----------------------------------------------------------------------

_TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "li_fat_id", "mc_cid", "mc_eid", "igshid", "igsh", "ref", "ref_src", "ref_url", "_ga", "_gl",
        "_hsenc", "_hsmi", "mkt_tok", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid",
        "cmpid", "ncid", "ocid", "smid", "wt.mc_id", "at_medium", "at_campaign",
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The form two addresses of the same article share: lower-case scheme and host, no default port,
    no fragment, no tracking parameters (``utm_*``, ``fbclid``, …), the other parameters sorted, no
    trailing slash on the path (the root stays ``/``)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = (parts.path.rstrip("/") or "/") if netloc else parts.path
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


# --- robots.txt -----------------------------------------------------------------------------------


@dataclass
class _Rules:
    parser: RobotFileParser | None  # None: everything allowed
    expires: float


class RobotsCache:
    """robots.txt per origin (scheme, host, port), fetched through :func:`fetch` under the caller's policy.

    A robots.txt that is read, or missing (4xx), is kept for an hour. When it cannot be had (5xx,
    timeout, network), everything is allowed for a few minutes and it is asked for again after that.
    """

    def __init__(
        self,
        *,
        ttl: float = 3600.0,
        retry_ttl: float = 300.0,
        max_origins: int = 2048,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._retry_ttl = retry_ttl
        self._max_origins = max_origins
        self._clock = clock
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, session: aiohttp.ClientSession, url: str, policy: FetchPolicy) -> bool:
        """Whether the origin's robots.txt lets this bot fetch ``url``. Raises :class:`FetchError`
        (kind "refused") when the address itself may not be fetched."""
        target = _checked_url(url)
        origin = str(target.origin())
        rules = self._fresh(origin)
        if rules is None:
            async with self._locks.setdefault(origin, asyncio.Lock()):
                rules = self._fresh(origin) or await self._load(session, origin, policy)
        return rules.parser is None or rules.parser.can_fetch(AGENT_TOKEN, str(target))

    async def check(self, session: aiohttp.ClientSession, url: str, policy: FetchPolicy) -> None:
        """Raise :class:`FetchError` (kind "robots") when robots.txt disallows ``url``."""
        if not await self.allowed(session, url, policy):
            raise FetchError("robots", "the site's robots.txt does not allow bots to fetch that page")

    def _fresh(self, origin: str) -> _Rules | None:
        rules = self._rules.get(origin)
        return rules if rules is not None and rules.expires > self._clock() else None

    async def _load(self, session: aiohttp.ClientSession, origin: str, policy: FetchPolicy) -> _Rules:
        small = replace(policy, max_bytes=min(policy.max_bytes, 512_000))
        try:
            got = await fetch(session, f"{origin}/robots.txt", small, accept=ANY_TYPE)
        except FetchError as error:
            if error.kind == "refused":
                raise
            missing = error.kind == "http" and error.status is not None and 400 <= error.status < 500
            missing = missing and error.status != 429
            rules = _Rules(None, self._clock() + (self._ttl if missing else self._retry_ttl))
        else:
            parser = RobotFileParser()
            parser.parse(got.text().splitlines())
            rules = _Rules(parser, self._clock() + self._ttl)
        self._remember(origin, rules)
        return rules

    def _remember(self, origin: str, rules: _Rules) -> None:
        self._rules.pop(origin, None)
        self._rules[origin] = rules
        while len(self._rules) > self._max_origins:
            oldest = next(iter(self._rules))
            del self._rules[oldest]
            lock = self._locks.get(oldest)
            if lock is not None and not lock.locked():
                del self._locks[oldest]
