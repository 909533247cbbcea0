"""HTTP side of the stand-in: routing, auth, request log, injected 429s and Discord-style errors."""

from __future__ import annotations

import json
import math
import mimetypes
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from bot.standin.core import Core, RateLimitFault, RecordedRequest
from bot.standin.errors import ApiError, route_not_found, unauthorized
from bot.standin.messages import Upload

API_PREFIX = "/api/v10"
FILE_PART = re.compile(r"files\[(\d+)\]")


@dataclass
class Call:
    """One matched request: URL parameters, the JSON body (or ``payload_json``) and uploaded files."""

    request: web.Request
    params: dict[str, str]
    body: Any
    uploads: dict[int, Upload]

    def int_param(self, name: str) -> int:
        return int(self.params[name])

    @property
    def json(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}


Handler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class RouteDef:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    needs_auth: bool


def compile_route(template: str) -> re.Pattern[str]:
    """``/channels/{channel_id}`` → a regex; ``*_id`` parameters are snowflakes, others any path segment."""

    def group(match: re.Match[str]) -> str:
        name = match.group(1)
        return rf"(?P<{name}>\d+)" if name.endswith("_id") else rf"(?P<{name}>[^/]+)"

    return re.compile("^" + re.sub(r"\{(\w+)\}", group, template) + "$")


class Router:
    def __init__(self) -> None:
        self.routes: list[RouteDef] = []

    def add(self, method: str, template: str, handler: Handler, *, needs_auth: bool = True) -> None:
        self.routes.append(RouteDef(method, compile_route(template), handler, needs_auth))

    def match(self, method: str, path: str) -> tuple[RouteDef, dict[str, str]] | None:
        for route in self.routes:
            found = route.pattern.match(path)
            if found and route.method == method:
                return route, found.groupdict()
        return None


async def read_body(request: web.Request) -> tuple[Any, dict[int, Upload]]:
    """JSON, or multipart/form-data with ``payload_json`` and ``files[n]`` parts (discord.py's uploads)."""
    if request.content_type == "multipart/form-data":
        body: Any = None
        uploads: dict[int, Upload] = {}
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):  # nested multipart is not something Discord accepts
                continue
            file_match = FILE_PART.fullmatch(part.name or "")
            if part.name == "payload_json":
                body = json.loads(await part.text())
            elif file_match:
                filename = part.filename or "unknown"
                content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
                index = int(file_match.group(1))
                uploads[index] = Upload(index, filename, bytes(await part.read()), content_type)
        return body, uploads
    raw = await request.read()
    return (json.loads(raw) if raw else None), {}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with exactly ``Content-Type: application/json``: discord.py parses nothing else (no charset)."""
    if body is None:
        return web.Response(status=204, headers=headers)
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(body).encode(), status=status, headers=all_headers)


def rate_limited_response(fault: RateLimitFault) -> web.Response:
    """A 429 as Discord sends it; discord.py retries only with ``Via`` (else it blames Cloudflare)."""
    headers = {
        "Retry-After": str(math.ceil(fault.retry_after)),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
        "X-RateLimit-Bucket": f"standin-{fault.pattern.pattern}",
        "X-RateLimit-Scope": "global" if fault.is_global else "user",
        "Via": "1.1 google",
    }
    if fault.is_global:
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": fault.retry_after,
        "global": fault.is_global,
    }
    return json_response(429, body, headers)


class HttpFront:
    """The aiohttp handler for everything under /api/v10 and the attachment downloads."""

    def __init__(self, core: Core, router: Router) -> None:
        self.core = core
        self.router = router

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/attachments/"):
            return self._attachment(request)
        try:
            body, uploads = await read_body(request)
        except (ValueError, UnicodeDecodeError):
            return self._finish(
                request, request.path, ApiError(400, 50109, "The request body contains invalid JSON.")
            )
        if not request.path.startswith(API_PREFIX + "/"):
            return self._finish(request, request.path, route_not_found(), body, unknown=True)
        return await self._api(request, request.path.removeprefix(API_PREFIX), body, uploads)

    async def _api(
        self, request: web.Request, path: str, body: Any, uploads: dict[int, Upload]
    ) -> web.Response:
        """Injected 429, then routing, auth and the handler; ``path`` is relative to /api/v10."""
        fault = next((f for f in self.core.rate_limits if f.matches(request.method, path)), None)
        if fault is not None:
            fault.remaining -= 1
            self._record(request.method, path, 429, body)
            return rate_limited_response(fault)
        matched = self.router.match(request.method, path)
        if matched is None:
            return self._finish(request, path, route_not_found(), body, unknown=True)
        route, params = matched
        if route.needs_auth and request.headers.get("Authorization") != f"Bot {self.core.config.token}":
            return self._finish(request, path, unauthorized(), body)
        try:
            result = await route.handler(Call(request, params, body, uploads))
        except ApiError as error:
            return self._finish(request, path, error, body)
        status = 200 if result is not None else 204
        self._record(request.method, path, status, body)
        return json_response(status, result)

    def _finish(
        self, request: web.Request, path: str, error: ApiError, body: Any = None, *, unknown: bool = False
    ) -> web.Response:
        if unknown:
            self.core.unknown_routes.append(f"{request.method} {request.path}")
        self._record(request.method, path, error.status, body)
        return json_response(error.status, error.body())

    def _record(self, method: str, path: str, status: int, body: Any) -> None:
        self.core.requests.append(RecordedRequest(method, path, status, time.perf_counter(), body))
        self.core.changed.fire()

    def _attachment(self, request: web.Request) -> web.Response:
        """``/attachments/{channel}/{id}/{name}``: the bytes, so ``Attachment.read()`` works in bot code."""
        parts = request.path.split("/")
        attachment = (
            self.core.world.attachments.get(int(parts[3])) if len(parts) > 3 and parts[3].isdigit() else None
        )
        if attachment is None:
            return json_response(404, route_not_found().body())
        return web.Response(body=attachment.data, content_type=attachment.content_type)
