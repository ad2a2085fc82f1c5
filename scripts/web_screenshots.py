"""The web seat (/seat/) in a real browser, to docs/screenshots/seat-*.png: 1280×800 (landscape)
and 800×1280 (portrait), in Vietnamese, during the demo meeting's first vote.

Starts a local host, sets the meeting up through its API as the secretary's console does
(roster and agenda of the demo; the agenda documents rendered by LibreOffice when it is there),
and drives Debian's Chromium with Playwright, trusting the host's CA for real (an NSS database).
Each page is checked: nothing wider than the screen, every button at least 44 px tall; a fault
is printed and the exit code is 1.

``make screenshots`` runs it; alone: ``.venv/bin/python scripts/web_screenshots.py``."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.web.browser

from meetingapp import demo_script as script  # noqa: E402
from meetingapp.client import HostClient  # noqa: E402
from meetingapp.domain import AttendanceMethod, BallotForm  # noqa: E402
from meetingapp.localhost import LocalHost  # noqa: E402
from tests.meeting_api import demo_session, make_pdf  # noqa: E402
from tests.web.browser import launch, missing_tools, trusting_home  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
FAULTS: list[str] = []


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


CHECK = """() => {
  const faults = [];
  if (document.documentElement.scrollWidth > innerWidth + 1)
    faults.push(`page ${document.documentElement.scrollWidth}px wide on a ${innerWidth}px screen`);
  for (const b of document.querySelectorAll('button')) {
    const r = b.getBoundingClientRect();
    if (b.offsetParent !== null && r.height < 44)
      faults.push(`button "${b.textContent.trim()}" ${Math.round(r.height)}px tall`);
    if (b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
      faults.push(`button "${b.textContent.trim()}" text overflows`);
  }
  return faults;
}"""


def documents(folder: Path) -> list[tuple[str, str, str, bytes]]:
    """(title, type, number, PDF) of the demo's agenda documents."""
    try:
        from meetingapp.demo import make_documents

        pdfs = [p.read_bytes() for p in make_documents(folder)]
    except Exception as exc:  # noqa: BLE001 - no LibreOffice here: blank pages still show the page
        say(f"LibreOffice documents unavailable ({exc}); blank pages instead")
        pdfs = [make_pdf(len(pages)) for *_, pages in script.DOCUMENTS]
    return [(t, k, s, pdf) for (_, t, k, s, _), pdf in zip(script.DOCUMENTS, pdfs, strict=True)]


async def prepare(host: LocalHost, folder: Path) -> dict[str, Any]:
    console = host.client(console=True)
    try:
        ids, sid, items = await demo_session(console)
        docs = []
        for title, kind, symbol, pdf in documents(folder):
            doc = await console.upload_document(sid, items[0], title, pdf, kind, symbol)
            docs.append(doc["id"])
        await console.open_session(sid)
        await console.start_roll_call(sid)
        for did in [d for i, d in enumerate(ids) if i not in (3, 4, 11)]:  # 9 of 12
            await console.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="Có mặt")
        await console.close_roll_call(sid)
        await console.start_item(sid, items[0])
        await console.move_presenter(sid, docs[0], 1)
        codes = {d: (await console.pairing_code("delegate", d))["code"] for d in (ids[3], ids[4])}
        # two delegates ask for the floor first, so a seat waits third
        for did in ids[5:7]:
            await console.request_floor(sid, did)
        return {
            "sid": sid,
            "ids": ids,
            "codes": codes,
            "pins": {d: script.pin_of(i) for i, d in enumerate(ids)},
        }
    finally:
        await console.close()


async def open_vote(host: LocalHost, sid: str) -> None:
    console: HostClient = host.client(console=True)
    try:
        await console.open_motion(sid, script.MOTIONS[0][1], BallotForm.ELECTRONIC)
    finally:
        await console.close()


def shoot(
    browser: Any,
    origin: str,
    meeting: dict[str, Any],
    who: str,
    size: tuple[int, int],
    name: str,
    vote: str | None,
) -> None:
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]}, locale="vi-VN", has_touch=True
    )
    page = context.new_page()
    page.goto(origin + "/seat/")
    page.fill("#pair-code", meeting["codes"][who])
    page.click("#pair-button")
    page.wait_for_selector("#seat-view:not([hidden])")
    page.fill("#checkin-pin", meeting["pins"][who])
    page.click("#checkin-button")
    page.locator("#presence.present").wait_for()
    page.click("#ask")
    page.locator("#my-place").filter(has_text="Thứ tự").wait_for()
    page.fill("#notes", "Đề nghị làm rõ nguồn vốn đối ứng của xã cho dự án đường liên ấp.")
    page.wait_for_selector("#vote-yes:enabled")
    if vote:
        page.click(f"#vote-{vote}")
        page.locator("#receipt[data-state='sent']").wait_for()
    page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.wait_for_function("() => document.getElementById('page').complete")
    page.wait_for_timeout(300)
    for fault in page.evaluate(CHECK):
        FAULTS.append(f"{name}: {fault}")
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / name))
    say(f"wrote docs/screenshots/{name}")
    context.close()


def main() -> int:
    why = missing_tools()
    if why:
        say(f"web screenshots skipped: {why}")
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        host = LocalHost(root / "host", advertise=False).start()
        try:
            meeting = asyncio.run(prepare(host, root / "docs"))
            asyncio.run(open_vote(host, meeting["sid"]))
            home = trusting_home(Path(host.info["ca_cert"]), root / "browser")
            origin = f"https://127.0.0.1:{host.port}"
            with sync_playwright() as p:
                browser = launch(p, home)
                a, b = meeting["ids"][3], meeting["ids"][4]
                shoot(browser, origin, meeting, a, (1280, 800), "seat-1280x800.png", "yes")
                shoot(browser, origin, meeting, b, (800, 1280), "seat-800x1280.png", None)
                browser.close()
        finally:
            host.stop()
    for fault in FAULTS:
        say(f"LAYOUT FAULT {fault}")
    return 1 if FAULTS else 0


if __name__ == "__main__":
    sys.exit(main())
