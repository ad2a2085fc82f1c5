"""The web pages the host serves (``meetingapp/web/``: the delegate's seat ``/seat/``, the hall
display ``/display/``) and what keeps a browser client safe.

* **Static files**, plain HTML/CSS/JS without a build step, read once when the app is made and
  kept in memory with their gzip form and a content hash as ETag. ``Cache-Control: no-cache``:
  a tablet asks again each time (one small round trip on the LAN, 304 when nothing changed), so a
  host update reaches every tablet at once.
* **Texts**: ``GET /api/texts/{lang}`` serves the catalogue's keys the pages use (one catalogue,
  ``meetingapp/i18n_ui.py``; no second copy of labels in JavaScript).
* **Cookie auth**: a browser pairs with the ``X-Meetingapp-Csrf`` header and receives its token
  in an HttpOnly, Secure, SameSite=Strict ``__Host-`` cookie (never in the page's storage or a
  URL); the Qt clients keep their bearer tokens. Both reach the same auth dependency.
* **CSRF**: an unsafe request (POST, PUT, PATCH, DELETE) that carries the cookie and no bearer
  token must carry the custom header (a cross-site page cannot send it without a CORS preflight,
  which the host never grants) and, when the browser says where it comes from, come from the
  host's own origin (``Origin``, ``Sec-Fetch-Site``); otherwise 403 problem details.
* **No caching of private answers**: an API answer that does not say otherwise (the seat view
  with the delegate's own named ballot, the state, ``/api/me``, every problem) is
  ``Cache-Control: no-store``, so a shared tablet's browser cache keeps none of it; the pages and
  texts revalidate by ETag, page images (the same for everyone) are immutable.
* **Headers** on every answer: a strict Content-Security-Policy (scripts and styles only from
  the host, no inline script, ``connect-src`` the host and its own ``wss:``, no framing),
  ``X-Content-Type-Options``, ``Referrer-Policy``, ``X-Frame-Options``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from meetingapp.i18n import LANGUAGES, MESSAGES, tr
from meetingapp.server.limits import send_problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
COOKIE = "__Host-meetingapp"  # __Host-: Secure, Path=/, no Domain (the browser enforces it)
CSRF_HEADER = "x-meetingapp-csrf"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
COOKIE_MAX_AGE_S = 30 * 24 * 3600  # as long as a token lives (auth.TOKEN_TTL_DAYS)

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}

# The catalogue's keys the pages show: every key under these prefixes, plus the Qt windows'
# texts the pages reuse (the same label in both, defined once).
TEXT_PREFIXES = (
    "web.",
    "choice.",
    "form.",
    "item_state.",
    "session_state.",
    "item_kind.",
    "role.",
    "result.",
    "quorum.",
)
TEXT_KEYS = frozenset(
    {
        # the seat's face check-in (the same words as the Qt tablet's camera)
        "ui.check_in_by_face",
        "ui.no_face_in_view",
        "ui.not_passed_try_again",
        "ui.camera_error_use_the_pin",
        "ui.no_camera_found",
        "ui.recognising",
        "ui.agenda",
        "ui.documents",
        "ui.private_notes",
        "ui.the_floor",
        "ui.request_the_floor",
        "ui.withdraw",
        "ui.vote",
        "ui.no_vote_open",
        "ui.check_in",
        "ui.checked_in",
        "ui.pin",
        "ui.enter_your_pin",
        "ui.your_place_x",
        "ui.you_have_the_floor",
        "ui.your_ballot_is_recorded",
        "ui.recorded_x_receipt_x",
        "ui.sending",
        "ui.ballot_not_sent",
        "ui.not_recorded",
        "ui.press_again",
        "ui.vote_by_show_of_hands_in_the_hall",
        "ui.closed",
        "ui.passed",
        "ui.not_passed",
        "ui.lost_the_host_what_you_see_may_be_out_of",
        # the hall display's (the same words as the Qt display's)
        "ui.hall_display",
        "ui.the_host_is_unreachable_what_is_shown_ma",
        "ui.waiting_to_reconnect",
        "ui.time_is_up_x",
    }
)

_HOST = re.compile(r"^[A-Za-z0-9.\-\[\]:]{1,300}$")


def page_texts(lang: str) -> dict[str, str]:
    keys = sorted(k for k in MESSAGES if k.startswith(TEXT_PREFIXES) or k in TEXT_KEYS)
    return {k: tr(k, lang) for k in keys}


@dataclass(frozen=True)
class Asset:
    body: bytes
    gz: bytes
    etag: str
    content_type: str


def _asset(body: bytes, content_type: str) -> Asset:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Asset(body, gzip.compress(body, 9, mtime=0), etag, content_type)


class Assets:
    """Every file under ``meetingapp/web/`` (by its path there) and the page texts per
    language, read once."""

    def __init__(self, root: Path = WEB_DIR) -> None:
        self.files: dict[str, Asset] = {}
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                kind = TYPES.get(path.suffix)
                if path.is_file() and kind:
                    self.files[path.relative_to(root).as_posix()] = _asset(path.read_bytes(), kind)
        self.areas = sorted({name.split("/", 1)[0] for name in self.files if "/" in name})
        self.texts = {
            lang: _asset(json.dumps(page_texts(lang), ensure_ascii=False).encode(), TYPES[".json"])
            for lang in LANGUAGES
        }

    def get(self, area: str, name: str) -> Asset | None:
        if ".." in name.split("/"):
            return None
        return self.files.get(f"{area}/{name or 'index.html'}")


def asset_response(asset: Asset, headers: Mapping[str, str]) -> Any:
    """200 (gzip when the browser accepts it) or 304 when its ETag still matches."""
    from fastapi.responses import Response

    common = {"ETag": asset.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if asset.etag in headers.get("if-none-match", ""):
        return Response(status_code=304, headers=common)
    if "gzip" in headers.get("accept-encoding", ""):
        return Response(
            asset.gz,
            media_type=asset.content_type,
            headers={**common, "Content-Encoding": "gzip"},
        )
    return Response(asset.body, media_type=asset.content_type, headers=common)


# --- cookies and CSRF ---------------------------------------------------------------------------


def cookie_header(token: str) -> str:
    return (
        f"{COOKIE}={token}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; Secure; HttpOnly; SameSite=Strict"
    )


def cookie_token(headers: Mapping[str, str]) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # noqa: BLE001 - a malformed Cookie header is no token
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None and morsel.value else None


def has_bearer(headers: Mapping[str, str]) -> bool:
    return headers.get("authorization", "").lower().startswith("bearer ")


def own_origin(headers: Mapping[str, str]) -> str | None:
    host = headers.get("host", "")
    return f"https://{host}" if _HOST.match(host) else None


def same_origin(headers: Mapping[str, str]) -> bool:
    """The browser says the request comes from the host's own page (or says nothing, as a
    non-browser client does): ``Origin`` equals ``https://<Host>`` and ``Sec-Fetch-Site`` is
    ``same-origin`` (or ``none``: typed by the user)."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    return origin is None or origin == own_origin(headers)


def csrf_ok(headers: Mapping[str, str]) -> bool:
    """A cookie-authenticated unsafe request carries the custom header and is same-origin."""
    return headers.get(CSRF_HEADER) == "1" and same_origin(headers)


def csp(headers: Mapping[str, str]) -> str:
    origin = own_origin(headers)
    wss = " " + origin.replace("https://", "wss://", 1) if origin else ""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        f"font-src 'self'; connect-src 'self'{wss}; manifest-src 'self'; media-src 'self' blob:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class WebGuard:
    """Raw ASGI middleware: security headers on every HTTP answer, and the CSRF gate for
    cookie-authenticated unsafe requests (before routing, so no route can forget it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        extra = [
            (b"content-security-policy", csp(headers).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(self), microphone=(self), geolocation=()"),
        ]

        private = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = message.get("headers", [])
                more = extra
                if private and not any(k.lower() == b"cache-control" for k, _ in given):
                    more = [*extra, (b"cache-control", b"no-store")]
                message["headers"] = [*given, *more]
            await send(message)

        if (
            scope["method"] in UNSAFE
            and cookie_token(headers)
            and not has_bearer(headers)
            and not csrf_ok(headers)
        ):
            await _refuse(headers, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


async def _refuse(headers: Mapping[str, str], send: Send) -> None:
    lang = headers.get("accept-language", "vi")[:2].lower()
    await send_problem(send, 403, "auth.csrf", lang if lang in LANGUAGES else "vi")
