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
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.meeting_api (quickstart)

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


def quickstart(app: QApplication, bridge: Bridge, tmp: Path) -> None:
    """docs/quickstart.md: a council from a clean data directory — the start screen, set-up
    (body, roster with a bad row, session, agenda), the pairing sheet, a tablet paired from the
    start screen, and a vote on it."""
    from meetingapp import qr
    from meetingapp.domain import AttendanceMethod
    from tests.meeting_api import make_pdf
    from ui.start import App

    data = tmp / "quickstart"
    roster = Path(__file__).resolve().parents[1] / "docs" / "examples" / "danh-sach-mau.csv"
    host_app = App(bridge, data / "host-machine", browse=False)
    host_app.run()
    start = host_app.start
    assert start is not None
    start.interface.setCurrentIndex(start.interface.findData("127.0.0.1"))
    start.port.setValue(0)
    wait(app, lambda: True)
    shot(app, start, "qs-1-start")
    start.host_btn.click()
    wait(app, lambda: bool(host_app.windows), timeout=120)
    setup = host_app.windows[0]
    wait(app, lambda: "Chưa có cơ quan" in setup.body_summary.text())
    setup.body_name.setText("Hội đồng nhân dân xã Tân Hà")
    setup.seats.setValue(12)
    setup.term.setText("2021-2026")
    shot(app, setup, "qs-2-body")
    setup.create_body_btn.click()
    wait(app, lambda: "Tân Hà" in setup.body_summary.text())
    setup.tabs.setCurrentIndex(1)
    bad = tmp / "co-loi.csv"
    bad.write_text(roster.read_text(encoding="utf-8") + ",Đại biểu,Tổ 1,13,12\n", encoding="utf-8")
    setup.preview_file(bad)
    wait(app, lambda: "dòng" in setup.row_errors.text().lower())
    shot(app, setup, "qs-3-roster-error")
    setup.preview_file(roster)
    wait(app, lambda: setup.import_btn.isEnabled())
    setup.import_btn.click()
    wait(app, lambda: setup.roster.rowCount() == 12)
    shot(app, setup, "qs-4-roster")
    setup.tabs.setCurrentIndex(2)
    setup.number.setValue(10)
    setup.session_title.setText("Kỳ họp thứ Mười (kỳ họp thường lệ cuối năm 2026)")
    setup.place.setText("Hội trường UBND xã Tân Hà")
    setup.secretaries.item(2).setCheckState(setup.secretaries.item(2).checkState().Checked)
    shot(app, setup, "qs-5-session")
    setup.create_session()
    wait(app, lambda: setup.session_pick.count() == 1 and setup.tabs.currentIndex() == 3)
    for kind, title, presenter in (
        ("report", "Báo cáo tình hình kinh tế - xã hội năm 2026", "Chủ tịch UBND xã"),
        ("resolution", "Dự thảo nghị quyết dự toán ngân sách năm 2027", "Phó Chủ tịch UBND xã"),
        ("qa", "Chất vấn và trả lời chất vấn", "Thường trực HĐND xã"),
    ):
        setup.item_kind.setCurrentIndex(setup.item_kind.findData(kind))
        setup.item_title.setText(title)
        setup.presenter.setText(presenter)
        n = setup.agenda.rowCount()
        setup.add_item()
        wait(app, lambda n=n: setup.agenda.rowCount() == n + 1)
    pdf = tmp / "to-trinh.pdf"
    pdf.write_bytes(make_pdf(3))
    setup.doc_item.setCurrentIndex(1)
    setup.doc_title.setText("Tờ trình về dự toán ngân sách năm 2027")
    setup.doc_type.setText("Tờ trình")
    setup.doc_number.setText("125/TTr-UBND")
    setup.upload_document(pdf)
    wait(app, lambda: setup.doc_list.count() == 1)
    shot(app, setup, "qs-6-agenda")
    setup.tabs.setCurrentIndex(4)
    sheet = tmp / "phieu-ghep-may.pdf"
    setup.print_sheet(sheet)
    wait(app, lambda: "12" in setup.sheet_result.text(), timeout=60)
    shot(app, setup, "qs-7-devices")
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(sheet))[0].render(scale=0.6).to_pil()
    page.save(OUT / "qs-8-sheet.png")
    # the first card, cut from the page as a tablet's camera would frame it
    first = pdfium.PdfDocument(str(sheet))[0].render(scale=150 / 72).to_pil()
    card = first.crop((40, 80, 640, 650))
    card_png = tmp / "the.png"
    card.save(card_png)
    card.save(OUT / "qs-8-card.png")

    tablet_app = App(bridge, data / "tablet", browse=False)
    tablet_app.run()
    tstart = tablet_app.start
    assert tstart is not None
    host = host_app.hosted.host  # type: ignore[union-attr]
    tstart.address.setText(f"127.0.0.1:{host.port}")
    tstart.device_name.setText("Máy tính bảng ghế 1")
    wait(app, lambda: True)
    shot(app, tstart, "qs-9-join")
    text = qr.decode(card_png)
    assert text, "the first card's QR code was not read"
    tstart.pair_with_qr(text)
    wait(app, lambda: bool(tablet_app.windows), timeout=60)
    tablet = tablet_app.windows[0]
    wait(app, lambda: tablet.feed.world is not None)
    setup.refresh()
    wait(app, lambda: setup.devices.rowCount() == 1)
    shot(app, setup, "qs-10-devices")
    console = setup.open_console()
    assert console is not None
    wait(app, lambda: console.feed.world is not None)
    c = setup.client
    sid = setup._session_id()
    people = [d["id"] for d in setup.body()["delegates"]]
    bridge.run(c.open_session(sid))
    bridge.run(c.start_roll_call(sid))
    for did in people[:10]:
        bridge.run(c.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="Có mặt"))
    bridge.run(c.close_roll_call(sid))
    items = sorted(console.feed.record().items.values(), key=lambda i: i.order)
    bridge.run(c.start_item(sid, items[1].id))
    console.tabs.setCurrentIndex(1)
    console.motion_title.setText("Thông qua Nghị quyết dự toán ngân sách năm 2027")
    console._open_motion()
    wait(app, lambda: tablet.vote_buttons["yes"].isEnabled())
    tablet._vote("yes")
    wait(app, lambda: "Đã ghi nhận" in tablet.receipt.text())
    shot(app, tablet, "qs-11-tablet-vote")
    shot(app, console, "qs-12-console-vote")
    for w in tablet_app.windows + host_app.windows:
        w.close()
    tablet_app.stop()
    host_app.stop()


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
    if "--quickstart-only" in sys.argv:
        with tempfile.TemporaryDirectory(prefix="screens-") as tmp:
            try:
                quickstart(app, bridge, Path(tmp))
            finally:
                bridge.stop()
        for fault in FAULTS:
            sys.stdout.write(f"LAYOUT FAULT {fault}\n")
        sys.stdout.flush()
        os._exit(1 if FAULTS else 0)
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
            quickstart(app, bridge, Path(tmp))
        finally:
            bridge.stop()
            host.stop()
    for fault in FAULTS:
        sys.stdout.write(f"LAYOUT FAULT {fault}\n")
    sys.stdout.flush()
    os._exit(1 if FAULTS else 0)


if __name__ == "__main__":
    main()
