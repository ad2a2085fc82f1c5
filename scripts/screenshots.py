"""Render every window of the app at the size of the screen it is made for, to
docs/screenshots/*.png: the secretary console and the clerk on a 1366×768 laptop (1366×700 of
window), the delegate tablet at 1280×800 and 800×1280 in Vietnamese and in English, the hall
display fullscreen at 1920×1080 (and when it has lost the host).

Runs offscreen (no display needed): ``make screenshots`` or
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py``. It starts a local host
with the demo meeting, drives each role through a step of the meeting and grabs its window;
each window's layout is checked (ui/layout_check.py) and any fault is printed (exit code 1)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from meetingapp.domain import BallotForm, Choice  # noqa: E402
from ui import qt_vi  # noqa: E402
from ui.app import demo_launcher, prepare_demo  # noqa: E402
from ui.bridge import Bridge  # noqa: E402
from ui.layout_check import problems  # noqa: E402
from ui.strings import set_language  # noqa: E402
from ui.widgets import STYLE  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
LAPTOP = QSize(1366, 700)
LANDSCAPE, PORTRAIT = QSize(1280, 800), QSize(800, 1280)
FAULTS: list[str] = []


def wait(app: QApplication, predicate: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state")
        app.processEvents()
        time.sleep(0.02)
    settle(app)


def settle(app: QApplication, seconds: float = 0.4) -> None:
    """Let pending layouts, page renders and repaints land."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shot(
    app: QApplication, window: QWidget, name: str, size: QSize | None = None, **check: int
) -> None:
    if size is not None:
        window.resize(size)
        settle(app, 0.8)
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / f"{name}.png"))
    found = problems(window, **check)
    if size is not None and window.size() != size:
        found.append(
            f"window is {window.width()}×{window.height()}, not {size.width()}×{size.height()}"
        )
    FAULTS.extend(f"{name}: {f}" for f in found)
    sys.stdout.write(f"{OUT / name}.png {window.width()}×{window.height()}\n")


def show_stamp(app: QApplication, clerk: QWidget) -> None:
    """Turn the clerk's preview to the secretary's signature and scroll it into view."""
    from exports.signing import find_label

    pdf = clerk.signed.read_bytes()  # type: ignore[attr-defined]
    box = find_label(pdf, "THƯ KÝ")
    view = clerk.preview  # type: ignore[attr-defined]
    view.show_page(box.page + 1)
    wait(app, lambda: view.page == box.page + 1 and not view.image.pixmap().isNull())
    settle(app, 1.5)
    bar = view.scroll.verticalScrollBar()
    share = 1 - box.y1 / 842  # A4 height in points; the label's top, from the page's top
    bar.setValue(int(share * view.image.pixmap().height()) - 40)
    settle(app, 0.5)


def main() -> int:
    set_language("vi")
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    qt_vi.install("vi")
    bridge = Bridge()
    with tempfile.TemporaryDirectory(prefix="screens-") as tmp:
        host, demo = prepare_demo(bridge, Path(tmp), "vi")
        try:
            launcher = demo_launcher(bridge, demo, Path(tmp) / "app")
            launcher.show()
            settle(app)
            shot(app, launcher, "launcher")

            console = launcher.open_secretary()
            wait(app, lambda: console.feed.world is not None)
            tablet = launcher.open_tablet(demo.ids[4])
            display = launcher.open_display()
            doc_id = demo.documents[0][0]
            bridge.run(demo.console.move_presenter(demo.sid, doc_id, 2))
            tablet.resize(LANDSCAPE)
            wait(app, lambda: tablet.viewer.page == 2 and tablet.viewer.image.pixmap() is not None)
            wait(app, lambda: not tablet.viewer.image.pixmap().isNull())
            touch = {"touch": 48, "min_font_px": 16}
            shot(app, tablet, "tablet-document", LANDSCAPE, **touch)
            shot(app, tablet, "tablet-document-portrait", PORTRAIT, **touch)
            tablet.resize(LANDSCAPE)

            tablet.ask.click()
            wait(app, lambda: bool(getattr(console, "_queue", None)))
            shot(app, console, "secretary-running", LAPTOP)
            console.tabs.setCurrentIndex(0)
            console._pairing_code()
            wait(app, lambda: bool(console.pair_code.text()))
            shot(app, console, "secretary-setup", LAPTOP)
            console.tabs.setCurrentIndex(1)

            motion = bridge.run(
                demo.console.open_motion(
                    demo.sid, "Thông qua kế hoạch đầu tư công năm 2027", BallotForm.ELECTRONIC
                )
            )
            wait(app, lambda: tablet.vote_buttons["yes"].isEnabled())
            tablet._vote("yes")
            wait(app, lambda: "Đã ghi nhận" in tablet.receipt.text())
            shot(app, tablet, "tablet-vote", LANDSCAPE, **touch)
            shot(app, tablet, "tablet-vote-portrait", PORTRAIT, **touch)
            shot(app, console, "secretary-voting", LAPTOP)

            # the same tablet in English (the language is the app's: switched for the grab)
            set_language("en")
            english = launcher.open_tablet(demo.ids[5])
            wait(app, lambda: english.feed.world is not None and english.who.text() != "")
            wait(app, lambda: english.vote_buttons["yes"].isEnabled())
            english.resize(LANDSCAPE)
            english.render(english.feed.world)
            shot(app, english, "tablet-en", LANDSCAPE, **touch)
            shot(app, english, "tablet-en-portrait", PORTRAIT, **touch)
            english.close()
            set_language("vi")

            for did, client in launcher.clients["tablets"].items():
                if did != demo.ids[4]:
                    bridge.run(client.cast_ballot(demo.sid, motion, Choice.YES))
            bridge.run(demo.console.close_motion(demo.sid, motion))
            wait(app, lambda: "THÔNG QUA" in display.result.text())
            shot(app, display, "display", QSize(1920, 1080))
            shot(app, display, "display-720p", QSize(1280, 720))

            clerk = launcher.open_clerk()
            clerk.resize(LAPTOP)
            wait(app, lambda: clerk.speeches.count() > 0)
            clerk.speeches.setCurrentRow(0)
            wait(app, lambda: clerk.segments.rowCount() > 0)
            shot(app, clerk, "clerk-transcript", LAPTOP)
            clerk.tabs.setCurrentIndex(1)
            clerk.draft()
            wait(app, lambda: clerk.preview.image.pixmap() is not None, timeout=180)
            wait(app, lambda: not clerk.preview.image.pixmap().isNull(), timeout=180)
            shot(app, clerk, "clerk-minutes", LAPTOP)

            # the signing steps: close the session, finalise, the secretary signs, verify
            console._close_session(confirmed=True)
            wait(app, lambda: clerk.buttons["finalise"].isEnabled(), timeout=60)
            clerk.finalise()
            wait(app, lambda: clerk.buttons["sign_secretary"].isEnabled(), timeout=180)
            certs = Path(tmp) / "chung-thu-demo"
            key = ["--role", "secretary", "--p12", str(certs / "secretary.p12")]
            clerk.sign([*key, "--password-env", "MEETINGAPP_SIGN_SECRET"], "demo")
            wait(app, lambda: "Đã ký" in clerk.minutes_info.text(), timeout=180)
            wait(app, lambda: clerk.buttons["sign_chair"].isEnabled(), timeout=60)
            clerk.verify(certs / "demo-ca.pem")
            wait(app, lambda: "Kết luận" in clerk.minutes_info.text(), timeout=120)
            show_stamp(app, clerk)
            shot(app, clerk, "clerk-signed", LAPTOP)

            # the hall display when the host goes away
            host.stop()
            wait(app, lambda: display.lost.isVisible(), timeout=60)
            shot(app, display, "display-host-lost", QSize(1920, 1080))
            for w in launcher.windows:
                w.close()
        finally:
            bridge.stop()
            host.stop()
    for fault in FAULTS:
        sys.stdout.write(f"LAYOUT FAULT {fault}\n")
    sys.stdout.flush()
    os._exit(1 if FAULTS else 0)


if __name__ == "__main__":
    main()
