"""The hall display as a web page (``/display/``) in a real browser (Debian's Chromium through
Playwright) against the real host: paired as a display, it shows the session, the speaker with
the time left, a vote while it is open (its title only) and its result as the host computes it
(the body's rule: 6 of 12 in favour is not passed, though 6 of 9 votes is a majority), live
captions of a real speech, and the host-lost banner; it comes back by itself and resyncs."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from meetingapp.domain import BallotForm
from meetingapp.i18n import tr
from meetingapp.results import result_texts, vote_result
from tests.meeting_api import api_meeting
from tests.web.conftest import WebHost

pytestmark = pytest.mark.usefixtures("browser_home")  # skips cleanly without the tools

CLIP = "VIVOSSPK01_R002.flac"


async def _world(proc: Any, sid: str) -> Any:
    """The session's state as the host has it (the console's replica, the host's reducer)."""
    console = proc.client(console=True)
    live = console.live(sid).start()
    try:
        await live.wait_for(lambda s: s.world is not None, timeout=30)
        return live.world
    finally:
        await live.stop()
        await console.close()


def _meeting(host: WebHost, **kw: Any) -> Any:
    """A meeting set up through the host's API (its clients closed; their tokens kept)."""

    async def make(proc: Any) -> Any:
        meeting = await api_meeting(proc, **kw)
        await meeting.close()
        return meeting

    return host.run(make)


def _console(host: WebHost, action: Any) -> Any:
    async def run(proc: Any) -> Any:
        console = proc.client(console=True)
        try:
            return await action(console)
        finally:
            await console.close()

    return host.run(run)


def _pair_display(page: Any, host: WebHost) -> None:
    code = _console(host, lambda c: c.pairing_code("display"))["code"]
    form = page.locator("#pair")
    form.wait_for(state="visible")
    assert page.locator("#pair h1").inner_text() == tr("web.display.pair_heading", "vi")
    page.fill("#pair-code", "")
    page.click("#pair button")
    assert page.locator("#pair-error").inner_text() == tr("web.display.enter_the_code", "vi")
    page.fill("#pair-code", "ZZZZZ-ZZZZZ")  # a wrong code: the host's own message, in Vietnamese
    page.click("#pair button")
    page.wait_for_function("() => document.querySelector('#pair-error').textContent.length > 0")
    assert page.locator("#pair-error").inner_text() == tr("auth.bad_code", "vi")
    page.fill("#pair-code", code.lower())
    page.click("#pair button")
    page.locator("#screen").wait_for(state="visible")


def test_the_display_shows_the_hosts_result_and_recovers_from_a_lost_host(
    web_host: WebHost, open_page: Any
) -> None:
    meeting = _meeting(web_host, seats=12, present=10, tablets=1)
    sid = meeting.session
    page = open_page(web_host, "/display/", viewport=(1920, 1080))
    _pair_display(page, web_host)

    expect_text(page, "#title", "Kỳ họp thứ Nhất")
    expect_text(page, "#item", tr("ui.item", "vi") + "Nghị quyết về kế hoạch năm")
    world = web_host.run(lambda p: _world(p, sid))
    heads = world.headcount(sid)
    rule = world.rules[meeting.body]["quorum"]
    base, need = heads.base(rule.basis), world.needed(sid, "quorum")
    expect_text(
        page,
        "#quorum",
        tr("ui.present_x_of_x_needs_x", "vi", present=10, elected=base, need=need),
    )

    # a show of hands: 6 in favour, 2 against, 1 abstains, of 12 delegates
    title = "Biểu quyết thông qua kế hoạch năm"
    motion = _console(
        web_host, lambda c: c.open_motion(sid, title, BallotForm.SHOW_OF_HANDS, allow_change=False)
    )
    expect_text(page, "#vote-title", tr("ui.voting", "vi") + title)
    assert page.locator("#vote-lines li").count() == 0  # never a running count
    assert page.locator("#verdict").is_hidden()

    async def count_and_close(c: Any) -> Any:
        await c.record_hands(sid, motion, 6, 2, 1)
        return await c.close_motion(sid, motion)

    _console(web_host, count_and_close)
    expect_text(page, "#vote-title", title)
    closed = web_host.run(lambda p: _world(p, sid)).sessions[sid].motions[motion]
    result = vote_result(closed)
    assert 6 > (6 + 2 + 1) / 2 and not result.passed  # the body's rule, not a show of majority
    lines = page.locator("#vote-lines li").all_inner_texts()
    assert lines == list(result_texts(result, "vi"))
    assert lines[0] == "Tán thành: 6/12 (50,00%)"
    assert page.locator("#verdict").inner_text() == tr("ui.not_passed", "vi")
    assert page.locator("#verdict").get_attribute("class") == "failed"

    # the floor: the delegate speaks with 90 s granted; the display counts down
    speaker_id, tablet = next(iter(meeting.tablets.items()))

    async def give_floor(c: Any) -> str:
        t = type(c)(c.url, c.ssl, token=tablet.token)
        try:
            request = await t.request_floor(sid)
        finally:
            await t.close()
        return await c.grant_floor(sid, request, time_limit_s=90)

    speech = _console(web_host, give_floor)
    name = world.delegates[speaker_id].full_name
    expect_text(page, "#speaker", tr("ui.speaking_2", "vi") + name)
    page.wait_for_function(
        "() => /^⏱ 01:[0-3]\\d$/.test(document.querySelector('#timer').textContent)"
    )
    assert page.locator("#lost").is_hidden()
    assert page.js_errors == []

    # the host goes away: the banner, no countdown, no result it can no longer vouch for
    web_host.proc.stop()
    page.locator("#lost").wait_for(state="visible", timeout=20_000)
    assert page.locator("#lost").inner_text() == tr(
        "ui.the_host_is_unreachable_what_is_shown_ma", "vi"
    )
    expect_text(page, "#timer", "")
    assert page.locator("#verdict").is_hidden()

    # ... and comes back: the display reconnects by itself and shows the host's state again
    web_host.proc.start()
    page.locator("#lost").wait_for(state="hidden", timeout=30_000)
    expect_text(page, "#vote-title", title)
    assert page.locator("#verdict").inner_text() == tr("ui.not_passed", "vi")
    _console(web_host, lambda c: c.end_speech(sid, speech))  # a change after the return
    expect_text(page, "#speaker", "")
    expect_text(page, "#timer", "")
    # a second vote passes by the same rule: 8 of 12
    second = _console(web_host, lambda c: c.open_motion(sid, "Lần hai", BallotForm.SHOW_OF_HANDS))

    async def count_again(c: Any) -> Any:
        await c.record_hands(sid, second, 8, 1, 0)
        return await c.close_motion(sid, second)

    _console(web_host, count_again)
    expect_text(page, "#vote-title", "Lần hai")
    assert page.locator("#verdict").inner_text() == tr("ui.passed", "vi")
    assert page.js_errors == []


def test_the_display_in_english_and_without_a_session(web_host: WebHost, open_page: Any) -> None:
    page = open_page(web_host, "/display/?lang=en", viewport=(1280, 720), lang="en")
    page.locator("#pair").wait_for(state="visible")
    assert page.locator("#pair h1").inner_text() == tr("web.display.pair_heading", "en")
    _console_code = _console(web_host, lambda c: c.pairing_code("display"))["code"]
    page.fill("#pair-code", _console_code)
    page.click("#pair button")
    expect_text(page, "#idle", tr("web.display.no_session", "en"))
    assert page.title() == tr("ui.hall_display", "en")


@pytest.mark.slow
def test_live_captions_of_a_real_speech_reach_the_display(
    web_host: WebHost, open_page: Any, shared_data: Path
) -> None:
    """Chunks of a real recording streamed at the pace of speech: the host's speech model
    captions them and the display shows the words under the speaker's name, then the final
    transcript once the speech ends."""
    from asr.recording import RATE, decode_to_pcm

    pcm = decode_to_pcm(shared_data / "speech" / "dev" / CLIP)
    meeting = _meeting(web_host, tablets=1)
    sid = meeting.session
    page = open_page(web_host, "/display/", viewport=(1280, 720))
    _pair_display(page, web_host)
    expect_text(page, "#title", "Kỳ họp thứ Nhất")
    (_, tablet) = next(iter(meeting.tablets.items()))
    captioned = threading.Event()  # set once the page shows a caption

    async def speak(proc: Any) -> str:
        console = proc.client(console=True)
        t = type(console)(console.url, console.ssl, token=tablet.token)
        try:
            speech = await console.grant_floor(sid, await t.request_floor(sid))
            step = RATE * 2  # one second of 16-bit samples
            chunks = [pcm[i : i + step] for i in range(0, len(pcm), step)]
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 240
            index = 0
            # the delegate speaks (the clip again) until the display shows a caption
            while loop.time() < deadline and not (index >= len(chunks) and captioned.is_set()):
                await t.send_audio_chunk(sid, speech, index, chunks[index % len(chunks)])
                index += 1
                await asyncio.sleep(1.0)
            await console.end_speech(sid, speech)
            return speech
        finally:
            await t.close()
            await console.close()

    # the browser is driven from this thread while the speech streams from another
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(speech=web_host.run(speak)))
    worker.start()
    try:
        page.locator("#caption").wait_for(state="visible", timeout=240_000)
        words = page.locator("#caption-text").inner_text()
        assert len(words.split()) >= 2, words
        assert page.locator("#speaker").inner_text().startswith(tr("ui.speaking_2", "vi"))
    finally:
        captioned.set()
        worker.join(timeout=300)
    speech = result["speech"]
    final = web_host.run(lambda p: _final_transcript(p, sid, speech))
    page.wait_for_function(
        "t => document.querySelector('#caption-text').textContent === t",
        arg=" ".join(final.split()),
        timeout=240_000,
    )
    assert "final" in (page.locator("#caption").get_attribute("class") or "")
    assert page.js_errors == []


async def _final_transcript(proc: Any, sid: str, speech: str) -> str:
    console = proc.client(console=True)
    live = console.live(sid).start()
    try:
        await live.wait_for(
            lambda s: s.world is not None and bool(s.world.sessions[sid].speeches[speech].segments),
            timeout=240,
        )
        return str(live.world.sessions[sid].speeches[speech].transcript)
    finally:
        await live.stop()
        await console.close()


def expect_text(page: Any, selector: str, text: str, timeout: int = 20_000) -> None:
    """Wait until the element shows exactly ``text``."""
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return e && e.textContent === t; }",
        arg=[selector, text],
        timeout=timeout,
    )
