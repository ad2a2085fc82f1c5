"""The browser seat and its web infrastructure attacked as a hostile LAN user and a hostile web
page would, against the real host on 127.0.0.1 (docs/security.md, "Web pages"): CSRF in its
other shapes, the cookie on a revoked device and on the WebSocket, private answers kept out of a
shared tablet's cache, odd paths and languages, open redirects, a hostile PDF given to the
page-image renderer, and script injected through every field the seat shows (in a real
browser). tests/web/test_web_security.py holds the first round."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import ssl
from typing import Any

import httpx
import pytest
import websockets

from meetingapp.client import HostError
from meetingapp.domain import AttendanceMethod, BallotForm, BodyKind, Choice, choice_padding
from tests.meeting_api import api_meeting, make_pdf
from tests.web.conftest import WebHost, run_async

pytestmark = pytest.mark.usefixtures("browser_home")  # skips cleanly without the tools

COOKIE = "__Host-meetingapp"


def _http(host: WebHost) -> httpx.Client:
    return httpx.Client(base_url=host.origin, verify=host.proc.ssl(), timeout=30)


def _meeting(host: WebHost, present: int = 3) -> Any:
    async def make(proc: Any) -> Any:
        meeting = await api_meeting(proc, seats=5, present=present, tablets=0)
        await meeting.close()
        return meeting

    return host.run(make)


def _web_token(http: httpx.Client, host: WebHost, delegate: str | None) -> str:
    code = host.code(delegate)["code"]
    r = http.post(
        "/api/pair",
        json={"code": code, "device_name": "web"},
        headers={"X-Meetingapp-Csrf": "1", "Origin": host.origin},
    )
    assert r.status_code == 200, r.text
    token = r.cookies[COOKIE]
    http.cookies.clear()
    return str(token)


def _raw_get(host: WebHost, target: str) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 GET with the request target sent byte for byte (httpx would normalise
    dots and percent-escapes away before they reach the host)."""
    ctx: ssl.SSLContext = host.proc.ssl()
    with (
        socket.create_connection(("127.0.0.1", host.proc.port), timeout=20) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{host.proc.port}\r\n"
            "Connection: close\r\n\r\n".encode("latin-1")
        )
        data = b""
        while chunk := tls.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return status, headers, body


def test_csrf_in_its_other_shapes_is_refused_and_changes_nothing(web_host: WebHost) -> None:
    """text/plain and form-encoded bodies, ``Origin: null`` (a sandboxed frame, a data: URL),
    a foreign Referer with no Origin, every unsafe method, a Basic header beside the cookie, a
    state change tried by GET: all refused, the floor queue stays empty."""
    meeting = _meeting(web_host)
    me = meeting.delegates[0]
    with _http(web_host) as http:
        cookie = {"Cookie": f"{COOKIE}={_web_token(http, web_host, me)}"}
        floor = f"/api/sessions/{meeting.session}/floor"
        shapes: dict[str, dict[str, Any]] = {
            "text/plain": {"content": b'{"x": 1}', "headers": {"Content-Type": "text/plain"}},
            "form-encoded": {"data": {"a": "b"}},
            "multipart": {"files": {"f": ("x.txt", b"x")}},
            "Origin null": {
                "json": {},
                "headers": {"X-Meetingapp-Csrf": "1", "Origin": "null"},
            },
            "foreign Referer, no Origin, no header": {
                "json": {},
                "headers": {"Referer": "https://evil.example/x"},
            },
            "header 0": {"json": {}, "headers": {"X-Meetingapp-Csrf": "0"}},
            "Basic beside the cookie": {
                "json": {},
                "headers": {"Authorization": "Basic Zm9vOmJhcg=="},
            },
            "origin with a path trick": {
                "json": {},
                "headers": {
                    "X-Meetingapp-Csrf": "1",
                    "Origin": web_host.origin + ".evil.example",
                },
            },
        }
        for name, kwargs in shapes.items():
            extra = kwargs.pop("headers", {})
            r = http.post(floor, headers={**cookie, **extra}, **kwargs)
            assert r.status_code == 403, (name, r.status_code, r.text)
            assert r.json()["code"] == "auth.csrf", name
        for method in ("PUT", "PATCH", "DELETE"):
            r = http.request(method, floor, headers=cookie)
            assert r.status_code == 403 and r.json()["code"] == "auth.csrf", method
        # a wrong bearer beside the cookie does not fall back to the cookie
        r = http.post(floor, json={}, headers={**cookie, "Authorization": "Bearer nothing"})
        assert r.status_code == 401
        # a state change is never reachable by GET (a link or an <img> cannot write)
        for path in (floor, "/api/pair", f"/api/sessions/{meeting.session}/check-in"):
            assert http.get(path, headers=cookie).status_code in (404, 405), path
        state = http.get(f"/api/sessions/{meeting.session}/state", headers=cookie).json()
        assert state["session"]["queue"] == []


def test_a_revoked_devices_cookie_opens_nothing_and_a_preset_cookie_is_replaced(
    web_host: WebHost,
) -> None:
    meeting = _meeting(web_host)
    victim, attacker = meeting.delegates[0], meeting.delegates[1]
    with _http(web_host) as http:
        token = _web_token(http, web_host, victim)
        cookie = {"Cookie": f"{COOKIE}={token}"}
        me = http.get("/api/me", headers=cookie).json()
        assert me["delegate_id"] == victim
        web_host.console(lambda c: c.revoke_device(me["device_id"], "máy bị mất"))
        assert http.get("/api/me", headers=cookie).status_code == 401
        seat = http.get(f"/api/sessions/{meeting.session}/seat", headers=cookie)
        assert seat.status_code == 401
        assert seat.headers["content-type"] == "application/problem+json"
        post = http.post(
            f"/api/sessions/{meeting.session}/floor",
            json={},
            headers={**cookie, "X-Meetingapp-Csrf": "1", "Origin": web_host.origin},
        )
        assert post.status_code == 401

        async def stream() -> str:
            url = f"wss://127.0.0.1:{web_host.proc.port}/api/ws?session_id={meeting.session}"
            try:
                async with websockets.connect(
                    url,
                    ssl=web_host.proc.ssl(),
                    origin=web_host.origin,  # type: ignore[arg-type]
                    additional_headers=cookie,
                ) as ws:
                    return str(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
            except websockets.exceptions.InvalidStatus as exc:
                return f"refused {exc.response.status_code}"
            except websockets.exceptions.ConnectionClosed as exc:
                return f"closed {exc.rcvd.code if exc.rcvd else '?'}"

        assert run_async(stream) in ("refused 403", "closed 4401")

        # session fixation: a cookie planted beforehand (the attacker's own device) is replaced
        # by the victim's pairing; the victim's tablet never acts as the attacker
        planted = _web_token(http, web_host, attacker)
        code = web_host.code(victim)["code"]
        r = http.post(
            "/api/pair",
            json={"code": code, "device_name": "web"},
            headers={
                "X-Meetingapp-Csrf": "1",
                "Origin": web_host.origin,
                "Cookie": f"{COOKIE}={planted}",
            },
        )
        assert r.status_code == 200
        fresh = r.cookies[COOKIE]
        assert fresh != planted
        http.cookies.clear()
        assert (
            http.get("/api/me", headers={"Cookie": f"{COOKIE}={fresh}"}).json()["delegate_id"]
            == victim
        )
        # the code in the QR's fragment is single-use: a copy in the history or a photo of the
        # screen pairs nothing
        again = http.post(
            "/api/pair",
            json={"code": code, "device_name": "thief"},
            headers={"X-Meetingapp-Csrf": "1", "Origin": web_host.origin},
        )
        assert again.status_code == 401 and COOKIE not in again.cookies


def test_private_answers_are_never_kept_in_a_shared_tablets_cache(web_host: WebHost) -> None:
    """The seat view (with the delegate's own named ballot), the state, /api/me, the stream's
    resync and every problem answer say ``no-store``; the pages and texts revalidate by ETag;
    page images are immutable (a document's page is the same for everyone)."""
    meeting = _meeting(web_host, present=5)
    me = meeting.delegates[0]
    motion = web_host.console(
        lambda c: c.open_motion(meeting.session, "Thông qua", BallotForm.ELECTRONIC)
    )
    with _http(web_host) as http:
        cookie = {"Cookie": f"{COOKIE}={_web_token(http, web_host, me)}"}
        cast = http.post(
            f"/api/sessions/{meeting.session}/motions/{motion}/ballots",
            json={"choice": "yes", "command_id": "cmd-19x-0001", "pad": choice_padding(Choice.YES)},
            headers={**cookie, "X-Meetingapp-Csrf": "1", "Origin": web_host.origin},
        )
        assert cast.status_code == 200, cast.text
        assert cast.headers["cache-control"] == "no-store"  # the receipt
        private = [
            f"/api/sessions/{meeting.session}/seat",
            f"/api/sessions/{meeting.session}/state",
            "/api/me",
            "/api/sessions/nope/seat",
        ]
        for path in private:
            r = http.get(path, headers=cookie)
            assert r.headers.get("cache-control") == "no-store", (path, r.headers)
        seat = http.get(private[0], headers=cookie).json()
        assert seat["vote"]["my_choice"] == "yes"  # the reason the above matters
        assert http.get("/api/me").headers["cache-control"] == "no-store"  # 401 too
        page = http.get("/seat/")
        assert page.headers["cache-control"] == "no-cache" and page.headers["etag"]
        assert http.get("/api/texts/vi").headers["cache-control"] == "no-cache"


def test_odd_paths_languages_and_redirects_get_problem_details(web_host: WebHost) -> None:
    source = (web_host.proc.data_dir / "..").resolve()  # nothing outside the pages is served
    assert source
    traversals = [
        "/seat/../server/web.py",
        "/seat/..%2f..%2fserver%2fweb.py",
        "/seat/%2e%2e/%2e%2e/server/web.py",
        "/seat/%2E%2E%2F%2E%2E%2Fserver%2Fweb.py",
        "/seat/..%5c..%5cserver%5cweb.py",
        "/seat/....//....//server/web.py",
        "/common/web.js%00.html",
        "/seat/%c0%ae%c0%ae/%c0%ae%c0%ae/server/web.py",
        "/seat//etc/passwd",
        "/seat/%2fetc%2fpasswd",
        "/common/../../../../etc/passwd",
        "/seat/index.html/..",
    ]
    for target in traversals:
        status, headers, body = _raw_get(web_host, target)
        assert status in (400, 404), (target, status)
        assert b"import " not in body and b"root:" not in body, target
        if status == 404:
            assert headers["content-type"] == "application/problem+json", target
    for lang in ("VI", "vi-VN", "..", "%2e%2e", "vi%00", "x" * 3000, "ti%E1%BA%BFng"):
        status, headers, body = _raw_get(web_host, f"/api/texts/{lang}")
        assert status == 404, (lang, status)
        assert headers["content-type"] == "application/problem+json"
        assert len(body) < 1000  # the odd name is not echoed back whole
    # no open redirect: every Location the host gives stays on the host
    for target in (
        "//evil.example",
        "//evil.example/",
        "/\\evil.example",
        "/seat",
        "/display",
        "/%2f%2fevil.example",
        "/seat/%2f%2fevil.example",
        "/",
    ):
        status, headers, _ = _raw_get(web_host, target)
        location = headers.get("location", "")
        assert not location.startswith(("//", "/\\", "http://evil", "https://evil")), (
            target,
            location,
        )
        if location.startswith("https://"):
            assert location.startswith(web_host.origin + "/"), (target, location)


def _tall_pdf() -> bytes:
    """A 'document' whose one page is 3 pt wide and 14,400 pt tall (the PDF maximum): fitted to
    1920 px wide it would be 9.2 million pixels tall."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(3, 14_400)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_the_page_image_renderer_is_bounded_against_hostile_pdfs_and_widths(
    web_host: WebHost,
) -> None:
    from PIL import Image

    from meetingapp.server.documents import MAX_PAGE_PIXELS

    meeting = _meeting(web_host)

    async def upload(proc: Any) -> tuple[str, str]:
        console = proc.client(console=True)
        try:
            tall = await console.upload_document(
                meeting.session, meeting.item, "Tờ dài", _tall_pdf(), "Tờ trình", "1/TTr"
            )
            normal = await console.upload_document(
                meeting.session, meeting.item, "Tờ thường", make_pdf(2), "Tờ trình", "2/TTr"
            )
            return tall["file_hash"], normal["file_hash"]
        finally:
            await console.close()

    tall, normal = web_host.run(upload)
    with _http(web_host) as http:
        cookie = {"Cookie": f"{COOKIE}={_web_token(http, web_host, meeting.delegates[0])}"}
        r = http.get(f"/api/documents/{tall}/pages/1", params={"w": 1920}, headers=cookie)
        assert r.status_code == 200, r.text
        image = Image.open(io.BytesIO(r.content))
        assert image.width * image.height <= MAX_PAGE_PIXELS
        assert max(image.size) <= 16_383  # WebP's own limit
        # a huge width is bounded to the largest of the four widths
        r = http.get(f"/api/documents/{normal}/pages/1", params={"w": 10_000}, headers=cookie)
        assert Image.open(io.BytesIO(r.content)).width == 1920
        for params, path in (
            ({"w": 0}, "1"),
            ({"w": -5}, "1"),
            ({"w": "abc"}, "1"),
            ({"w": 10**12}, "1"),
            ({}, "0"),
            ({}, "3"),
            ({}, "99999999999"),
            ({}, "1e3"),
        ):
            r = http.get(f"/api/documents/{normal}/pages/{path}", params=params, headers=cookie)
            assert r.status_code in (404, 422), (params, path, r.status_code)
            assert r.headers["content-type"] == "application/problem+json"
        bad = http.get("/api/documents/" + "0" * 64 + "/pages/1", headers=cookie)
        assert bad.status_code == 404
        # the host is still up and answering
        assert http.get("/api/health").status_code == 200


HOSTILE = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"


def test_script_injected_into_every_field_the_seat_shows_is_rendered_as_text(
    web_host: WebHost, open_page: Any
) -> None:
    """A hostile name, session, item, document and motion title: the seat shows each as text,
    no injected element exists and no injected script ran (CSP would block an inline one; the
    page must not even create the element)."""

    async def make(proc: Any) -> dict[str, str]:
        console = proc.client(console=True)
        try:
            body = await console.create_body(BodyKind.HDND, f"HĐND {HOSTILE}", 3)
            (did, *_rest) = await console.add_delegates(
                body,
                [
                    {"id": "x0", "full_name": f"Nguyễn {HOSTILE}", "unit": SCRIPT, "pin": "1234"},
                    {"id": "x1", "full_name": "Trần B", "unit": "", "pin": "1235"},
                    {"id": "x2", "full_name": "Lê C", "unit": "", "pin": "1236"},
                ],
            )
            sid = await console.create_session(
                body_id=body, number=1, title=f"Kỳ họp {SCRIPT}", chair_panel=["x1"]
            )
            item = await console.add_item(sid, f"Mục {HOSTILE}")
            await console.open_session(sid)
            await console.start_roll_call(sid)
            for d in ("x0", "x1", "x2"):
                await console.check_in(sid, d, method=AttendanceMethod.MANUAL, reason="Có mặt")
            await console.close_roll_call(sid)
            await console.start_item(sid, item)
            doc = await console.upload_document(
                sid, item, f"Tờ {SCRIPT}", make_pdf(1), f"Loại {HOSTILE}", "1/TTr"
            )
            await console.move_presenter(sid, doc["id"], 1)
            await console.open_motion(sid, f"Biểu quyết {HOSTILE}", BallotForm.ELECTRONIC)
            return {"session": sid, "delegate": did}
        finally:
            await console.close()

    made = web_host.run(make)
    page = open_page(web_host, "/seat/")
    page.wait_for_selector("#pair-view:not([hidden])")
    page.fill("#pair-code", web_host.code(made["delegate"])["code"])
    page.click("#pair-button")
    page.wait_for_selector("#seat-view:not([hidden])", timeout=15_000)
    shown = (
        f"Nguyễn {HOSTILE}",
        f"Kỳ họp {SCRIPT}",
        f"Mục {HOSTILE}",
        f"Tờ {SCRIPT}",
        f"Biểu quyết {HOSTILE}",  # the motion's title (the vote panel's label is "Biểu quyết")
    )
    for text in shown:  # each field as text, once the view has it
        page.locator("body").filter(has_text=text).wait_for(timeout=15_000)
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("document.querySelectorAll('body script').length") == 0
    assert page.js_errors == []
    # the second line of defence: were a field ever written as HTML, the policy would still
    # refuse to run an inline handler or an inline script
    page.evaluate(
        """() => {
            document.body.insertAdjacentHTML('beforeend',
                '<img id=probe src=data:, onerror="window.__csp=1" onload="window.__csp=1">');
            const s = document.createElement('script');
            s.textContent = 'window.__csp = 2';
            document.body.appendChild(s);
        }"""
    )
    for _ in range(30):  # the refusal is reported on the console (wait up to 3 s for it)
        if any("Content Security Policy" in m for m in page.console_errors):
            break
        page.wait_for_timeout(100)
    assert any("Content Security Policy" in m for m in page.console_errors)
    assert page.evaluate("window.__csp") is None


def test_another_site_cannot_frame_the_seat_or_open_its_stream(
    web_host: WebHost, browser: Any
) -> None:
    """Clickjacking: a page elsewhere framing /seat/ gets nothing (``frame-ancestors 'none'``).
    The stream from a page with an opaque origin (``Origin: null``: a sandboxed frame, a
    data: URL) is refused like a foreign one."""
    meeting = _meeting(web_host)
    context = browser.new_context()
    try:
        evil = "https://127.0.0.1:9/frame.html"
        html = f"<iframe id=f src='{web_host.origin}/seat/' width=800 height=600></iframe>"
        context.route(evil, lambda route: route.fulfill(body=html, content_type="text/html"))
        page = context.new_page()
        page.goto(evil)
        page.wait_for_timeout(1500)
        framed = [f for f in page.frames if f.url.startswith(web_host.origin)]
        for frame in framed:
            assert frame.query_selector("#pair-view") is None
        assert page.frames[0].query_selector("#f") is not None
    finally:
        context.close()
    with _http(web_host) as http:
        cookie = {"Cookie": f"{COOKIE}={_web_token(http, web_host, meeting.delegates[0])}"}
    url = f"wss://127.0.0.1:{web_host.proc.port}/api/ws?session_id={meeting.session}"

    async def attempt(origin: str) -> str:
        try:
            async with websockets.connect(
                url,
                ssl=web_host.proc.ssl(),
                origin=origin,  # type: ignore[arg-type]
                additional_headers=cookie,
            ) as ws:
                return str(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
        except websockets.exceptions.InvalidStatus as exc:
            return f"refused {exc.response.status_code}"

    assert run_async(lambda: attempt("null")) == "refused 403"
    assert run_async(lambda: attempt(web_host.origin + ".evil.example")) == "refused 403"
    assert run_async(lambda: attempt("http://127.0.0.1:" + str(web_host.proc.port))) == (
        "refused 403"
    )


def test_one_tablet_flooding_the_renderer_does_not_starve_the_others(web_host: WebHost) -> None:
    """A hostile tablet asks for every page of a long document in every width at once. Its
    renders queue behind each other (at most two of its own at a time, on the renderer's own
    thread): another delegate's PIN sign-in (hashed on the host's worker threads) and another
    tablet's page are answered while the flood is still running, and every flooded page still
    comes, right."""
    meeting = _meeting(web_host)
    pages = 25

    async def upload(proc: Any) -> str:
        console = proc.client(console=True)
        try:
            doc = await console.upload_document(
                meeting.session, meeting.item, "Tờ dài", make_pdf(pages), "Tờ trình", "3/TTr"
            )
            other = await console.upload_document(
                meeting.session, meeting.item, "Tờ khác", make_pdf(1), "Tờ trình", "4/TTr"
            )
            return f"{doc['file_hash']} {other['file_hash']}"
        finally:
            await console.close()

    flood_hash, other_hash = web_host.run(upload).split()
    with _http(web_host) as http:
        attacker = {"Cookie": f"{COOKIE}={_web_token(http, web_host, meeting.delegates[0])}"}
        victim = {"Cookie": f"{COOKIE}={_web_token(http, web_host, meeting.delegates[1])}"}
        signer = {"Cookie": f"{COOKIE}={_web_token(http, web_host, None)}"}
    write = {"X-Meetingapp-Csrf": "1", "Origin": web_host.origin}

    async def go() -> dict[str, Any]:
        done: list[int] = []
        async with httpx.AsyncClient(
            base_url=web_host.origin,
            verify=web_host.proc.ssl(),
            timeout=300,
            limits=httpx.Limits(max_connections=200),
        ) as client:

            async def flood(page: int, width: int) -> int:
                r = await client.get(
                    f"/api/documents/{flood_hash}/pages/{page}",
                    params={"w": width},
                    headers=attacker,
                )
                done.append(r.status_code)
                return r.status_code

            tasks = [
                asyncio.create_task(flood(p, w))
                for p in range(1, pages + 1)
                for w in (480, 800, 1280, 1920)
            ]
            await asyncio.sleep(0.5)  # the flood is in
            login = await client.post(
                "/api/login",
                json={
                    "delegate_id": meeting.delegates[2],
                    "pin": meeting.pins[meeting.delegates[2]],
                },
                headers={**signer, **write},
            )
            login_at = len(done)
            page = await client.get(
                f"/api/documents/{other_hash}/pages/1", params={"w": 480}, headers=victim
            )
            page_at = len(done)
            statuses = await asyncio.gather(*tasks)
        return {
            "login": login.status_code,
            "login_at": login_at,
            "page": page.status_code,
            "page_at": page_at,
            "statuses": statuses,
        }

    result = run_async(go)
    total = pages * 4
    assert result["login"] == 200
    assert result["page"] == 200
    assert result["login_at"] < total // 2, result["login_at"]  # long before the flood ended
    assert result["page_at"] < total // 2, result["page_at"]
    assert result["statuses"] == [200] * total  # the flood waits its turn; nothing is lost


def test_the_seat_view_answers_only_for_the_devices_own_delegate(web_host: WebHost) -> None:
    """IDOR: the seat view has no delegate parameter to forge (one given is ignored); another
    delegate's named ballot never appears; a device bound to nobody, the console and a hall
    display get 403; an unknown or absurd session id is a short 404."""
    meeting = _meeting(web_host, present=5)
    me, other = meeting.delegates[0], meeting.delegates[1]
    motion = web_host.console(
        lambda c: c.open_motion(meeting.session, "Thông qua", BallotForm.ELECTRONIC)
    )
    write = {"X-Meetingapp-Csrf": "1", "Origin": web_host.origin}
    with _http(web_host) as http:
        mine = {"Cookie": f"{COOKIE}={_web_token(http, web_host, me)}"}
        theirs = {"Cookie": f"{COOKIE}={_web_token(http, web_host, other)}"}
        cast = http.post(
            f"/api/sessions/{meeting.session}/motions/{motion}/ballots",
            json={"choice": "no", "command_id": "cmd-19x-0002", "pad": choice_padding(Choice.NO)},
            headers={**theirs, **write},
        )
        assert cast.status_code == 200, cast.text
        # casting for someone else from my seat is refused
        forged = http.post(
            f"/api/sessions/{meeting.session}/motions/{motion}/ballots",
            json={
                "choice": "yes",
                "command_id": "cmd-19x-0003",
                "pad": choice_padding(Choice.YES),
                "delegate_id": other,
            },
            headers={**mine, **write},
        )
        seat = f"/api/sessions/{meeting.session}/seat"
        view = http.get(seat, params={"delegate_id": other}, headers=mine).json()
        assert view["me"]["delegate_id"] == me
        assert view["vote"]["my_choice"] in (None, "yes")  # mine, if the forged one counted
        assert '"no"' not in json.dumps({k: v for k, v in view.items() if k != "pads"})
        theirs_view = http.get(seat, headers=theirs).json()
        assert theirs_view["vote"]["my_choice"] == "no"  # the other's own ballot is still theirs
        if forged.status_code == 200:  # the host may take the field as its own ballot ...
            assert view["vote"]["my_choice"] == "yes"  # ... never as the other's
        unbound = {"Cookie": f"{COOKIE}={_web_token(http, web_host, None)}"}
        r = http.get(seat, headers=unbound)
        assert r.status_code == 403 and r.json()["code"] == "auth.not_bound"
        display = web_host.code(None, role="display")["code"]
        paired = http.post("/api/pair", json={"code": display, "device_name": "tv"}, headers=write)
        http.cookies.clear()
        hall = {"Cookie": f"{COOKIE}={paired.cookies[COOKIE]}"}
        assert http.get(seat, headers=hall).status_code == 403

        async def as_console(client: Any) -> int:
            try:
                await client.get(seat)
            except HostError as exc:
                return exc.status
            return 200

        assert web_host.console(as_console) == 403
        for sid in ("nope", "x" * 5000, "../" * 20):
            r = http.get(f"/api/sessions/{sid}/seat", headers=mine)
            assert r.status_code in (404, 414), sid
            assert len(r.content) < 1000
