"""The web hall display (/display/) in a real browser, to docs/screenshots/display-web-1920.png
(1920×1080) and display-web-1280.png (1280×720), in Vietnamese, during the demo meeting: the
first vote closed with its result as the host computes it, a delegate speaking with the time
counting down and, when the development recordings are there, the live caption of a real
recording that delegate's tablet streams (the host's speech model captions it).

Starts a local host, sets the meeting up through its API as the secretary's console does, pairs
the display with a display-role code, and drives Debian's Chromium with Playwright trusting the
host's CA for real (``tests/web/browser.py``). Each size is checked: nothing wider or taller
than the screen; a fault is printed and the exit code is 1.

``make screenshots`` runs it; alone: ``.venv/bin/python scripts/web_display_screenshots.py``."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.web.browser

from meetingapp import demo_script as script  # noqa: E402
from meetingapp.client import HostClient  # noqa: E402
from meetingapp.domain import AttendanceMethod, BallotForm, Choice  # noqa: E402
from meetingapp.localhost import LocalHost  # noqa: E402
from tests.meeting_api import demo_session, pair_tablet  # noqa: E402
from tests.web.browser import launch, missing_tools, trusting_home  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
CLIP = REPO.parent / "shared" / "data" / "speech" / "dev" / "VIVOSSPK01_R002.flac"
SIZES = {"display-web-1920.png": (1920, 1080), "display-web-1280.png": (1280, 720)}
FAULTS: list[str] = []

CHECK = """() => {
  const faults = [];
  const d = document.documentElement;
  if (d.scrollWidth > innerWidth + 1) faults.push(`${d.scrollWidth}px wide on ${innerWidth}px`);
  const screen = document.getElementById('screen');
  if (screen.scrollHeight > innerHeight + 1)
    faults.push(`content ${screen.scrollHeight}px tall on a ${innerHeight}px screen`);
  for (const el of screen.querySelectorAll('div, li')) {
    if (el.offsetParent !== null && el.id !== 'caption' && el.scrollWidth > el.clientWidth + 1)
      faults.push(`#${el.id || el.tagName} overflows`);
  }
  return faults;
}"""


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def prepare(host: LocalHost) -> dict[str, Any]:
    """The demo body and session, roll call, the first vote closed, a display code."""
    console = host.client(console=True)
    try:
        ids, sid, items = await demo_session(console)
        await console.open_session(sid)
        await console.start_roll_call(sid)
        present = ids[: len(script.NAMES) - 1]  # one is absent
        for did in present:
            await console.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="Có mặt")
        await console.close_roll_call(sid)
        await console.start_item(sid, items[0])
        # the demo's first vote, from the delegates' own tablets
        _, title, _, choices = script.MOTIONS[0]
        motion = await console.open_motion(sid, title, BallotForm.ELECTRONIC)
        for did, choice in zip(present, choices, strict=False):
            tablet = await pair_tablet(host, console, did, name=f"ghế {did}")
            await tablet.cast_ballot(sid, motion, Choice(choice))
            await tablet.close()
        await console.close_motion(sid, motion)
        speaker = ids[3]
        tablet = await pair_tablet(host, console, speaker, name="ghế phát biểu")
        code = (await console.pairing_code("display"))["code"]
        return {"sid": sid, "speaker_token": tablet.token, "code": code}
    finally:
        await console.close()


async def speak(host: LocalHost, meeting: dict[str, Any], stop: threading.Event) -> None:
    """The delegate asks for the floor, is given 5 minutes, and speaks (the real recording,
    streamed at the pace of speech) until the screenshots are taken."""
    console: HostClient = host.client(console=True)
    tablet = HostClient(console.url, console.ssl, token=meeting["speaker_token"])
    sid = meeting["sid"]
    try:
        speech = await console.grant_floor(sid, await tablet.request_floor(sid), time_limit_s=300)
        meeting["speech"] = speech
        if not CLIP.exists():
            while not stop.is_set():
                await asyncio.sleep(0.2)
            return
        from asr.recording import RATE, decode_to_pcm

        pcm = decode_to_pcm(CLIP)
        step = RATE * 2  # one second of 16-bit samples
        chunks = [pcm[i : i + step] for i in range(0, len(pcm), step)]
        index = 0
        while not stop.is_set() and index < 240:
            await tablet.send_audio_chunk(sid, speech, index, chunks[index % len(chunks)])
            index += 1
            await asyncio.sleep(1.0)
    finally:
        await tablet.close()
        await console.close()


def main() -> int:
    why = missing_tools()
    if why:
        say(f"web display screenshots skipped: {why}")
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        host = LocalHost(root / "host", advertise=False).start()
        stop = threading.Event()
        speaker: threading.Thread | None = None
        try:
            meeting = asyncio.run(prepare(host))
            home = trusting_home(Path(host.info["ca_cert"]), root / "browser")
            origin = f"https://127.0.0.1:{host.port}"
            with sync_playwright() as p:
                browser = launch(p, home)
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                page = context.new_page()
                page.goto(origin + "/display/?kiosk")
                page.fill("#pair-code", meeting["code"])
                page.click("#pair button")
                page.locator("#verdict").wait_for(state="visible")
                speaker = threading.Thread(target=lambda: asyncio.run(speak(host, meeting, stop)))
                speaker.start()
                page.locator("#timer").filter(has_text="⏱").wait_for()
                if CLIP.exists():
                    page.locator("#caption").wait_for(state="visible", timeout=240_000)
                    page.wait_for_function(
                        "() => document.querySelector('#caption-text')"
                        ".textContent.split(' ').length > 6",
                        timeout=120_000,
                    )
                else:
                    say(f"no recording at {CLIP}: the screenshots show no caption")
                for name, (w, h) in SIZES.items():
                    page.set_viewport_size({"width": w, "height": h})
                    page.wait_for_timeout(300)
                    FAULTS.extend(f"{name}: {f}" for f in page.evaluate(CHECK))
                    OUT.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(OUT / name))
                    say(f"wrote docs/screenshots/{name}")
                stop.set()
                context.close()
                browser.close()
        finally:
            stop.set()
            if speaker is not None:
                speaker.join(timeout=30)
            host.stop()
    for fault in FAULTS:
        say(f"LAYOUT FAULT {fault}")
    return 1 if FAULTS else 0


if __name__ == "__main__":
    sys.exit(main())
