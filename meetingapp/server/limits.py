"""Bounded memory before authentication: a body-size limit per route, enforced while streaming.

A raw ASGI middleware sits in front of everything (routing, parsing, authentication). It refuses
a request whose ``Content-Length`` is over the route's limit before reading a byte of it, and it
counts the bytes of every ``http.request`` message as they arrive, so a chunked or lying body is
cut off at the limit, not after it has been read. Either way the answer is 413 problem details
and the connection is closed; uvicorn reads no further than its small flow-control buffer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from meetingapp.i18n import LANGUAGES, tr

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KB, MB = 2**10, 2**20
JSON_LIMIT = 1 * MB  # every JSON command
# (method, path pattern, limit): the first match wins; anything else gets JSON_LIMIT.
ROUTE_LIMITS: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (method, re.compile(pattern), limit)
    for method, pattern, limit in (
        ("POST", r"^/api/sessions/[^/]+/speeches/[^/]+/audio$", 64 * KB),  # ≤ 1 s of PCM
        ("POST", r"^/api/sessions/[^/]+/speeches/[^/]+/audio-file$", 500 * MB),  # streamed
        ("POST", r"^/api/sessions/[^/]+/face-checkins/[^/]+/frames$", 8 * MB),
        ("POST", r"^/api/delegates/[^/]+/face$", 48 * MB),  # up to a few photos in base64
        ("POST", r"^/api/sessions/[^/]+/documents$", 50 * MB),
        ("POST", r"^/api/sessions/[^/]+/minutes/(signed|finalise)$", 100 * MB),
        ("POST", r"^/api/bodies/[^/]+/delegates$", 4 * MB),  # up to 2,000 delegates
    )
)


def limit_for(method: str, path: str) -> int:
    for m, pattern, limit in ROUTE_LIMITS:
        if m == method and pattern.match(path):
            return limit
    return JSON_LIMIT


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when the body passes its limit: the app stops reading. An
    ``HTTPException`` so that FastAPI's body parsing passes it on as it is (413, not 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")
        self.limit = limit


def _language(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            lang = value.decode("latin-1")[:2].lower()
            return lang if lang in LANGUAGES else "vi"
    return "vi"


def size_text(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{max(1, limit // KB)} KB"


def problem_body(status: int, code: str, lang: str, **params: object) -> bytes:
    """Problem details (RFC 9457) as bytes, for the raw ASGI layers that answer before any
    route runs (this body limit, the web pages' CSRF gate); the routes' own errors go through
    ``server.problems``."""
    body = {"type": "about:blank", "title": code, "status": status, "code": code}
    body["detail"] = tr(code, lang, **params)
    return json.dumps(body, ensure_ascii=False).encode()


async def send_problem(
    send: Send, status: int, code: str, lang: str, *, close: bool = False, **params: object
) -> None:
    body = problem_body(status, code, lang, **params)
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: wraps ``receive`` of every HTTP request with a byte counter."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str, str], int] = limit_for) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("method", "GET"), scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit, _language(scope))
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _refuse(send, limit, _language(scope))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int, lang: str) -> None:
    await send_problem(send, 413, "request.too_large", lang, close=True, limit=size_text(limit))
