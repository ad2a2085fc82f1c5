"""The web pages' security model, attacked for real (docs/web.md, docs/security.md): the token
only in an HttpOnly/Secure/SameSite=Strict cookie, a cookie-authenticated write without the CSRF
proof refused, a WebSocket from a foreign page refused, strict headers on every answer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import websockets

from meetingapp.client import HostClient
from tests.meeting_api import api_meeting
from tests.web.conftest import WebHost, run_async

pytestmark = pytest.mark.usefixtures("browser_home")  # skips cleanly without the tools


def _http(host: WebHost) -> httpx.Client:
    return httpx.Client(base_url=host.origin, verify=host.proc.ssl(), timeout=20)


def _code(host: WebHost, delegate: str | None = "d000", role: str = "delegate") -> str:
    async def issue(proc: Any) -> str:
        console = proc.client(console=True)
        try:
            return (await console.pairing_code(role, delegate))["code"]
        finally:
            await console.close()

    return str(host.run(issue))


def _meeting(host: WebHost) -> Any:
    async def make(proc: Any) -> Any:
        meeting = await api_meeting(proc, seats=5, present=3, tablets=0)
        await meeting.close()
        return meeting

    return host.run(make)


def _web_pair(http: httpx.Client, host: WebHost, code: str) -> httpx.Response:
    return http.post(
        "/api/pair",
        json={"code": code, "device_name": "web"},
        headers={"X-Meetingapp-Csrf": "1", "Origin": host.origin},
    )


def test_every_answer_carries_a_strict_policy_and_pages_are_cached_by_etag(
    web_host: WebHost,
) -> None:
    with _http(web_host) as http:
        r = http.get("/common/web.js", headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/javascript")
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["cache-control"] == "no-cache"
        policy = r.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert f"connect-src 'self' wss://127.0.0.1:{web_host.proc.port}" in policy
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"
        again = http.get("/common/web.js", headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        # the API answers carry the same headers; unknown files are problem details
        api = http.get("/api/health")
        assert api.headers["x-content-type-options"] == "nosniff"
        missing = http.get("/common/../server/web.py")
        assert missing.status_code == 404
        assert "web.py" not in missing.text or "server" not in missing.text
        # a Host header cannot inject into the policy
        odd = http.get("/common/web.js", headers={"Host": "x; script-src *"})
        assert "script-src *" not in odd.headers["content-security-policy"]


def test_texts_come_from_the_one_catalogue(web_host: WebHost) -> None:
    from meetingapp.i18n import tr

    with _http(web_host) as http:
        vi = http.get("/api/texts/vi").json()
        en = http.get("/api/texts/en").json()
        assert vi["web.seat.title"] == tr("web.seat.title", "vi") == "Ghế đại biểu"
        assert en["ui.request_the_floor"] == tr("ui.request_the_floor", "en")
        assert vi["choice.yes"] == "Tán thành"
        assert set(vi) == set(en)
        assert not any(k.startswith("cli.") for k in vi)  # only what the pages show
        assert http.get("/api/texts/xx").status_code == 404


def test_pairing_from_a_page_sets_an_httponly_secure_strict_cookie_and_never_shows_the_token(
    web_host: WebHost, browser: Any
) -> None:
    _meeting(web_host)
    code = _code(web_host)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(web_host.origin + "/api/health")
        answer = page.evaluate(
            """async (code) => {
                const r = await fetch('/api/pair', {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'X-Meetingapp-Csrf': '1'},
                    body: JSON.stringify({code, device_name: 'web'})});
                return {status: r.status, body: await r.json(), visible: document.cookie,
                        local: JSON.stringify(localStorage),
                        session: JSON.stringify(sessionStorage)};
            }""",
            code,
        )
        assert answer["status"] == 200, answer
        assert "token" not in answer["body"]
        assert answer["body"]["delegate_id"] == "d000"
        assert answer["visible"] == ""  # the page's script cannot read it
        assert answer["local"] == "{}" and answer["session"] == "{}"
        (cookie,) = context.cookies()
        assert cookie["name"] == "__Host-meetingapp"
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
        assert cookie["path"] == "/"
        me = page.evaluate("async () => (await fetch('/api/me')).json()")
        assert me["role"] == "delegate" and me["delegate_id"] == "d000"
    finally:
        context.close()


def test_a_cross_site_write_with_the_cookie_but_no_csrf_proof_is_refused(
    web_host: WebHost,
) -> None:
    meeting = _meeting(web_host)
    with _http(web_host) as http:
        paired = _web_pair(http, web_host, _code(web_host, meeting.delegates[0]))
        assert paired.status_code == 200
        token = paired.cookies["__Host-meetingapp"]
        cookie = {"Cookie": f"__Host-meetingapp={token}"}
        floor = f"/api/sessions/{meeting.session}/floor"
        http.cookies.clear()
        attacks = {
            "no header": {},
            "foreign origin": {"X-Meetingapp-Csrf": "1", "Origin": "https://evil.example"},
            "cross-site fetch": {"X-Meetingapp-Csrf": "1", "Sec-Fetch-Site": "cross-site"},
            "same-site other port": {
                "X-Meetingapp-Csrf": "1",
                "Origin": "https://127.0.0.1:9",
                "Sec-Fetch-Site": "same-site",
            },
        }
        for name, headers in attacks.items():
            r = http.post(floor, json={}, headers={**cookie, **headers})
            assert r.status_code == 403, name
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "auth.csrf"
            assert r.json()["detail"].startswith("Yêu cầu bị từ chối"), name
        state = http.get(f"/api/sessions/{meeting.session}/state", headers=cookie).json()
        assert state["session"]["queue"] == []  # nothing was written
        # the page's own request (header, own origin) passes
        ok = http.post(
            floor,
            json={},
            headers={**cookie, "X-Meetingapp-Csrf": "1", "Origin": web_host.origin},
        )
        assert ok.status_code == 200, ok.text
        # pairing from a foreign page is refused too (a login CSRF)
        foreign = http.post(
            "/api/pair",
            json={"code": _code(web_host), "device_name": "x"},
            headers={"X-Meetingapp-Csrf": "1", "Origin": "https://evil.example"},
        )
        assert foreign.status_code == 403 and "set-cookie" not in foreign.headers


def test_a_form_posted_from_another_page_on_the_same_site_is_refused_in_the_browser(
    web_host: WebHost, browser: Any
) -> None:
    """SameSite=Strict does not help here (https://127.0.0.1:9 is the same site): the CSRF gate
    does. A plain form POST and a fetch with the custom header (which needs a CORS preflight
    the host never grants) both fail, and nothing is written."""
    meeting = _meeting(web_host)
    code = _code(web_host, meeting.delegates[0])
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(web_host.origin + "/api/health")
        page.evaluate(
            """async (code) => fetch('/api/pair', {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-Meetingapp-Csrf': '1'},
                body: JSON.stringify({code, device_name: 'web'})})""",
            code,
        )
        target = f"{web_host.origin}/api/sessions/{meeting.session}/floor"
        evil = "https://127.0.0.1:9/evil.html"
        html = (
            f"<form id=f method=post action='{target}' enctype='text/plain'>"
            "<input name='{\"x\":\"' value='\"}'></form>"
        )
        context.route(evil, lambda route: route.fulfill(body=html, content_type="text/html"))
        attacker = context.new_page()
        attacker.goto(evil)
        fetched = attacker.evaluate(
            """async (target) => {
                try {
                    const r = await fetch(target, {method: 'POST', credentials: 'include',
                        headers: {'X-Meetingapp-Csrf': '1', 'Content-Type': 'application/json'},
                        body: '{}'});
                    return 'status ' + r.status;
                } catch (e) { return 'blocked'; }
            }""",
            target,
        )
        assert fetched == "blocked"
        with attacker.expect_navigation():
            attacker.evaluate("document.getElementById('f').submit()")
        assert "auth.csrf" in attacker.content()
        state = page.evaluate(
            f"async () => (await fetch('/api/sessions/{meeting.session}/state')).json()"
        )
        assert state["session"]["queue"] == []
    finally:
        context.close()


def test_a_websocket_from_a_foreign_page_is_refused(web_host: WebHost) -> None:
    meeting = _meeting(web_host)
    with _http(web_host) as http:
        token = _web_pair(http, web_host, _code(web_host, meeting.delegates[0])).cookies[
            "__Host-meetingapp"
        ]
    url = f"wss://127.0.0.1:{web_host.proc.port}/api/ws?session_id={meeting.session}"
    ctx = web_host.proc.ssl()

    async def attempt(origin: str) -> str:
        try:
            async with websockets.connect(
                url,
                ssl=ctx,
                origin=origin,  # type: ignore[arg-type]
                additional_headers={"Cookie": f"__Host-meetingapp={token}"},
            ) as ws:
                return str(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
        except websockets.exceptions.InvalidStatus as exc:
            return f"refused {exc.response.status_code}"

    assert run_async(lambda: attempt("https://evil.example")) == "refused 403"
    assert run_async(lambda: attempt("https://127.0.0.1:9")) == "refused 403"
    # the host's own page, with the cookie and no token in the URL: the snapshot comes
    assert run_async(lambda: attempt(web_host.origin)) == "snapshot"


def test_bearer_clients_are_unchanged(web_host: WebHost) -> None:
    """The Qt clients keep their bearer tokens: pairing still answers with the token, and the
    CSRF gate never applies to them."""
    meeting = _meeting(web_host)

    async def qt(proc: Any) -> dict[str, Any]:
        console = proc.client(console=True)
        tablet = HostClient(console.url, proc.ssl())
        try:
            code = (await console.pairing_code("delegate", meeting.delegates[1]))["code"]
            answer = await tablet.pair(code, "qt tablet")
            return {
                "token": bool(answer.get("token")),
                "floor": await tablet.request_floor(meeting.session),
            }
        finally:
            await tablet.close()
            await console.close()

    result = web_host.run(qt)
    assert result["token"] and result["floor"]
