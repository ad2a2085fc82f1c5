"""The delegate's seat (/seat/) in a real browser (Debian's Chromium through Playwright) against
the real host: pair by the QR's URL, check in by PIN, follow the presenter's page, the floor, vote
with a receipt, notes kept on the tablet, English; the host lost and back (banner, resync); a
secret ballot whose choice the console never sees."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import websockets

from meetingapp.domain import BallotForm
from tests.web.conftest import Meeting, WebHost, run_async, seat_meeting

WAIT = 15_000  # ms: a 2-core CI machine shared with other tests


def _pair_by_code(page: Any, host: WebHost, delegate: str) -> None:
    code = host.code(delegate)["code"]
    page.fill("#pair-code", code)
    page.click("#pair-button")
    page.wait_for_selector("#seat-view:not([hidden])", timeout=WAIT)


def _text(page: Any, selector: str) -> str:
    return str(page.locator(selector).inner_text())


def _wait_text(page: Any, selector: str, text: str) -> None:
    page.locator(selector).filter(has_text=text).wait_for(timeout=WAIT)


def _state(host: WebHost, meeting: Meeting) -> dict[str, Any]:
    return dict(host.console(lambda c: c.state(meeting.session)))


def test_a_delegate_pairs_by_the_qr_checks_in_follows_the_page_takes_the_floor_and_votes(
    web_host: WebHost, open_page: Any
) -> None:
    meeting = seat_meeting(web_host)
    me = meeting.delegates[5]  # not checked in yet
    web_host.console(lambda c: c.move_presenter(meeting.session, meeting.document, 2))
    qr = web_host.code(me)["qr"]
    assert qr.startswith(web_host.origin + "/seat/#")

    # the QR's URL opens the seat with the code filled in (and gone from the address bar)
    page = open_page(web_host, qr.removeprefix(web_host.origin))
    page.wait_for_selector("#pair-view:not([hidden])")
    assert page.input_value("#pair-code") == re.search(r"code=([\w-]+)", qr).group(1)  # type: ignore[union-attr]
    assert "#" not in page.url
    page.click("#pair-button")
    page.wait_for_selector("#seat-view:not([hidden])", timeout=WAIT)
    # the view shows at once; its content follows the first read of the host's seat view
    page.wait_for_function(
        "() => document.querySelector('#delegate-name').textContent", timeout=WAIT
    )
    assert _text(page, "#delegate-name") == "Đại biểu Thứ 5"
    assert _text(page, "#presence") == "Chưa điểm danh"
    assert page.title() == "Ghế đại biểu"

    # check in by PIN: bad input gets a Vietnamese message and changes nothing
    page.fill("#checkin-pin", "12")
    page.click("#checkin-button")
    assert _text(page, "#checkin-error") == "Mã PIN gồm 4 đến 8 chữ số."
    page.fill("#checkin-pin", "9999")
    page.click("#checkin-button")
    _wait_text(page, "#checkin-error", "Mã PIN không đúng.")
    assert me not in {d for d, a in _state(web_host, meeting)["session"]["attendance"].items()}
    page.fill("#checkin-pin", meeting.pins[me])
    page.click("#checkin-button")
    _wait_text(page, "#presence", "✔ Đã điểm danh")
    assert page.locator("#checkin").is_hidden()
    attendance = _state(web_host, meeting)["session"]["attendance"][me]
    assert attendance["present"] and attendance["method"] == "pin"

    # the document follows the presenter's page, as an image the host rendered
    page.wait_for_selector("#page[data-page='2']", timeout=WAIT)
    assert _text(page, "#page-no") == "Trang 2/3"
    assert page.evaluate("document.getElementById('page').naturalWidth") > 0
    web_host.console(lambda c: c.move_presenter(meeting.session, meeting.document, 3))
    page.wait_for_selector("#page[data-page='3']", timeout=WAIT)
    page.click("#prev")  # turning by hand stops following
    page.wait_for_selector("#page[data-page='2']")
    assert not page.is_checked("#follow")
    web_host.console(lambda c: c.move_presenter(meeting.session, meeting.document, 1))
    page.wait_for_timeout(500)
    assert page.get_attribute("#page", "data-page") == "2"
    page.check("#follow")
    page.wait_for_selector("#page[data-page='1']", timeout=WAIT)

    # private notes stay on the tablet, per document, across a reload
    page.fill("#notes", "Hỏi về vốn đối ứng của xã")
    page.wait_for_timeout(500)
    page.reload()
    page.wait_for_selector("#seat-view:not([hidden])", timeout=WAIT)
    page.wait_for_selector("#page[data-page='1']", timeout=WAIT)
    assert page.input_value("#notes") == "Hỏi về vốn đối ứng của xã"

    # the floor: ask, see the place in the queue, withdraw
    page.click("#ask")
    _wait_text(page, "#my-place", "Thứ tự của bạn: 1")
    (request,) = _state(web_host, meeting)["session"]["queue"]
    page.click("#withdraw")
    page.wait_for_selector("#ask:not([hidden])", timeout=WAIT)
    assert _state(web_host, meeting)["session"]["queue"] == []
    assert request

    # a named vote: the receipt the host gave, and the console sees the ballot
    motion = web_host.console(
        lambda c: c.open_motion(meeting.session, "Thông qua kế hoạch", BallotForm.ELECTRONIC)
    )
    _wait_text(page, "#motion-title", "Thông qua kế hoạch")
    page.wait_for_selector("#vote-yes:enabled", timeout=WAIT)
    page.click("#vote-yes")
    _wait_text(page, "#receipt", "Đã ghi nhận: Tán thành (mã ")
    receipt = re.search(r"mã ([0-9a-f]{16})\)", _text(page, "#receipt"))
    assert receipt, _text(page, "#receipt")
    assert _state(web_host, meeting)["session"]["motions"][motion]["ballots"] == {me: "yes"}
    web_host.console(lambda c: c.close_motion(meeting.session, motion))
    _wait_text(page, "#result", "Đã kết thúc: Thông qua kế hoạch")
    passed = _state(web_host, meeting)["session"]["motions"][motion]["result"]["passed"]
    verdict = "THÔNG QUA" if passed else "KHÔNG THÔNG QUA"
    assert _text(page, "#result .verdict") == verdict
    assert "Tán thành: 1/6" in _text(page, "#result")

    # English, from the same catalogue
    page.click("#language")
    _wait_text(page, "#ask", "Request the floor")
    assert _text(page, "#presence") == "✔ Checked in"
    assert page.evaluate("document.documentElement.lang") == "en"

    assert page.js_errors == []
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_bad_input_gets_a_vietnamese_message(web_host: WebHost, open_page: Any) -> None:
    seat_meeting(web_host, pages=0)
    page = open_page(web_host, "/seat/")
    page.wait_for_selector("#pair-view:not([hidden])")
    assert _text(page, "#pair-view h1") == "Ghép máy tính bảng"
    page.fill("#pair-code", "abc")
    page.click("#pair-button")
    assert _text(page, "#pair-error").startswith("Hãy nhập mã ghép")
    page.fill("#pair-code", "ABCDE-12345")  # well formed, but no such code
    page.click("#pair-button")
    _wait_text(page, "#pair-error", "Mã ghép nối không đúng hoặc đã hết hạn.")
    assert page.context.cookies() == []


def test_the_seat_shows_the_banner_when_the_host_is_lost_and_resyncs_when_it_is_back(
    web_host: WebHost, open_page: Any
) -> None:
    meeting = seat_meeting(web_host)
    me = meeting.delegates[0]  # checked in at the console
    page = open_page(web_host, "/seat/")
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    _pair_by_code(page, web_host, me)
    _wait_text(page, "#presence", "✔ Đã điểm danh")
    assert page.locator("#banner").is_hidden()

    web_host.proc.stop()
    page.wait_for_selector("#banner:not([hidden])", timeout=WAIT)
    assert _text(page, "#banner").startswith("Mất kết nối tới máy chủ")
    assert page.is_disabled("#ask")

    web_host.proc.start()  # same port, same data
    # changes made before the page is back: it must catch up on them by itself
    web_host.console(lambda c: c.move_presenter(meeting.session, meeting.document, 3))
    motion_title = "Biểu quyết sau khi mất kết nối"
    web_host.console(lambda c: c.open_motion(meeting.session, motion_title, BallotForm.ELECTRONIC))
    page.locator("#banner").wait_for(state="hidden", timeout=WAIT * 2)
    _wait_text(page, "#motion-title", motion_title)
    page.wait_for_selector("#page[data-page='3']", timeout=WAIT)
    page.wait_for_selector("#vote-no:enabled", timeout=WAIT)
    # it reconnected asking only for what it missed, with no token in any URL
    assert len(sockets) >= 2
    assert re.search(r"after=([1-9]\d*)", sockets[-1]), sockets
    assert not any("token" in url for url in sockets)
    page.click("#vote-no")
    _wait_text(page, "#receipt", "Đã ghi nhận: Không tán thành")
    assert page.js_errors == []


def test_a_secret_ballot_from_the_page_is_never_seen_by_the_console(
    web_host: WebHost, open_page: Any
) -> None:
    meeting = seat_meeting(web_host, pages=0)
    me = meeting.delegates[1]
    page = open_page(web_host, "/seat/")
    _pair_by_code(page, web_host, me)
    motion = web_host.console(
        lambda c: c.open_motion(meeting.session, "Bầu Trưởng ban Kinh tế", BallotForm.SECRET)
    )
    _wait_text(page, "#motion-hint", "Bỏ phiếu kín")
    before = _state(web_host, meeting)  # the console's (secretary's) view
    page.wait_for_selector("#vote-no:enabled", timeout=WAIT)
    page.click("#vote-no")
    _wait_text(page, "#receipt", "Đã ghi nhận: Không tán thành (mã ")

    after = _state(web_host, meeting)
    cast = after["session"]["motions"][motion]
    assert me in cast["participants"] and cast["ballots"] == {}
    # the console's stream: who took part, never the choice
    messages = _console_stream(web_host, meeting.session, before["seq"])
    ballots = [m for m in messages if m.get("kind") == "secret_ballot_cast"]
    assert [b["payload"]["delegate_id"] for b in ballots] == [me]
    assert all("choice" not in json.dumps(b["payload"]) for b in ballots)
    assert not any('"no"' in json.dumps(m) for m in messages)
    # nor does the page's own view of the session carry it after a reload
    page.reload()
    page.wait_for_selector("#seat-view:not([hidden])", timeout=WAIT)
    _wait_text(page, "#receipt", "Phiếu của bạn đã được ghi nhận")
    assert page.locator(".choice.chosen").count() == 0


def _console_stream(host: WebHost, session: str, after: int) -> list[dict[str, Any]]:
    """What the secretary's console receives from the stream since ``after``."""
    token = (host.proc.data_dir / "console.token").read_text().strip()
    url = (
        f"wss://127.0.0.1:{host.proc.port}/api/ws?session_id={session}&after={after}&token={token}"
    )

    async def read() -> list[dict[str, Any]]:
        out = []
        async with websockets.connect(url, ssl=host.proc.ssl()) as ws:
            try:
                while True:
                    out.append(json.loads(await asyncio.wait_for(ws.recv(), 1.5)))
            except TimeoutError:
                return out

    return list(run_async(read))


def test_face_check_in_sends_the_tablet_cameras_frames_to_the_host(
    web_host: WebHost, open_page: Any
) -> None:
    """1:1 face check-in through the browser's camera (Chromium's fake camera: a test pattern,
    no face): the host's challenge is shown, frames reach the host and its verdict comes back
    in Vietnamese; nobody is checked in by a picture without a face."""
    from meetingapp import demo_script as script
    from meetingapp.demo import enrolment_photos

    meeting = seat_meeting(web_host, pages=0)
    me = meeting.delegates[5]
    photo = script.asset("astronaut.jpg").read_bytes()

    async def enrol(c: Any) -> None:
        await c.record_consent(me, given=True, text_version="v1")
        await c.enrol_face(me, enrolment_photos(photo))

    web_host.console(enrol)
    page = open_page(web_host, "/seat/")
    page.context.grant_permissions(["camera"], origin=web_host.origin)
    _pair_by_code(page, web_host, me)
    page.wait_for_selector("#face-button:enabled", timeout=WAIT)
    page.click("#face-button")
    _wait_text(page, "#face-prompt", "Không thấy khuôn mặt")
    assert page.locator("#camera").is_visible()
    assert page.is_disabled("#face-button")
    assert page.evaluate("document.getElementById('camera').videoWidth") > 0
    attendance = _state(web_host, meeting)["session"]["attendance"]
    assert me not in attendance
    assert page.js_errors == []


def test_a_photo_held_to_the_tablets_camera_is_refused(
    web_host: WebHost, browser: Any, browser_home: Any, tmp_path: Any
) -> None:
    """The tablet's camera films a still photo of the enrolled delegate, 'turned' by shearing
    (as tests/test_ui.py feeds the console): the browser sends the frames, the host finds the
    face and refuses the flat picture; the delegate is not checked in."""
    from meetingapp import demo_script as script
    from meetingapp.demo_hall import camera_frames, enrolment_photos
    from tests.web.browser import launch, y4m_video

    meeting = seat_meeting(web_host, pages=0)
    me = meeting.delegates[5]
    photo = script.asset("astronaut.jpg").read_bytes()

    async def enrol(c: Any) -> None:
        await c.record_consent(me, given=True, text_version="v1")
        await c.enrol_face(me, enrolment_photos(photo))

    web_host.console(enrol)
    front, left, right = camera_frames(photo)
    video = y4m_video(
        [front] * 3 + [left, front, right, front, left, front, right], tmp_path / "c.y4m"
    )
    chromium = launch(browser.browser_type, browser_home, camera=video)  # a camera of its own
    try:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        context.grant_permissions(["camera"], origin=web_host.origin)
        page = context.new_page()
        page.goto(web_host.origin + "/seat/")
        _pair_by_code(page, web_host, me)
        page.wait_for_selector("#face-button:enabled", timeout=WAIT)
        page.click("#face-button")
        page.locator("#face-prompt").filter(has_text="Không đạt — hãy thử lại").wait_for(
            timeout=45_000
        )
        assert page.locator("#camera").is_hidden()  # the camera is off again
    finally:
        chromium.close()
    assert me not in _state(web_host, meeting)["session"]["attendance"]
