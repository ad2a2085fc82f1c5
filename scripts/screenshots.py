"""Render every main screen of the app, in Vietnamese, to docs/screenshots/*.png.

Runs offscreen (no display needed): ``make screenshots`` or
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py``. It starts a local host
with the demo meeting, drives each role through a step of the meeting and grabs its window."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from meetingapp.domain import BallotForm, Choice  # noqa: E402
from ui.app import demo_launcher, prepare_demo  # noqa: E402
from ui.bridge import Bridge  # noqa: E402
from ui.strings import set_language  # noqa: E402
from ui.widgets import STYLE  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def wait(app: QApplication, predicate: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state")
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):  # let pending paints and page renders land
        app.processEvents()
        time.sleep(0.01)


def shot(window: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / f"{name}.png"))
    sys.stdout.write(f"{OUT / name}.png\n")


def main() -> int:
    set_language("vi")
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    bridge = Bridge()
    with tempfile.TemporaryDirectory(prefix="screens-") as tmp:
        host, demo = prepare_demo(bridge, Path(tmp), "vi")
        try:
            launcher = demo_launcher(bridge, demo, Path(tmp) / "app")
            launcher.show()
            wait(app, lambda: True)
            shot(launcher, "launcher")

            console = launcher.open_secretary()
            wait(app, lambda: console.feed.world is not None)
            tablet = launcher.open_tablet(demo.ids[4])
            display = launcher.open_display()
            doc_id = demo.documents[0][0]
            bridge.run(demo.console.move_presenter(demo.sid, doc_id, 2))
            wait(app, lambda: tablet.viewer.page == 2 and tablet.viewer.image.pixmap() is not None)
            wait(app, lambda: not tablet.viewer.image.pixmap().isNull())
            shot(tablet, "tablet-document")

            tablet.ask.click()
            wait(app, lambda: bool(console._queue) if hasattr(console, "_queue") else False)
            shot(console, "secretary-running")
            console.tabs.setCurrentIndex(0)
            console._pairing_code()
            wait(app, lambda: bool(console.pair_code.text()))
            shot(console, "secretary-setup")
            console.tabs.setCurrentIndex(1)

            motion = bridge.run(
                demo.console.open_motion(
                    demo.sid, "Thông qua kế hoạch đầu tư công năm 2027", BallotForm.ELECTRONIC
                )
            )
            wait(app, lambda: tablet.vote_buttons["yes"].isEnabled())
            tablet._vote("yes")
            wait(app, lambda: "Đã ghi nhận" in tablet.receipt.text())
            shot(tablet, "tablet-vote")
            for did, client in launcher.clients["tablets"].items():
                if did != demo.ids[4]:
                    bridge.run(client.cast_ballot(demo.sid, motion, Choice.YES))
            bridge.run(demo.console.close_motion(demo.sid, motion))
            wait(app, lambda: "THÔNG QUA" in display.result.text())
            shot(display, "display")

            clerk = launcher.open_clerk()
            wait(app, lambda: clerk.speeches.count() > 0)
            clerk.speeches.setCurrentRow(0)
            wait(app, lambda: clerk.segments.rowCount() > 0)
            shot(clerk, "clerk-transcript")
            clerk.tabs.setCurrentIndex(1)
            clerk.draft()
            wait(app, lambda: clerk.preview.image.pixmap() is not None, timeout=120)
            wait(app, lambda: not clerk.preview.image.pixmap().isNull(), timeout=120)
            shot(clerk, "clerk-minutes")
            for w in launcher.windows:
                w.close()
        finally:
            bridge.stop()
            host.stop()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
