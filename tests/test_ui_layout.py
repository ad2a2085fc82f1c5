"""The windows at the sizes of the real screens, against the real host: nothing overlaps or is
cut off, tablets have finger-sized targets and readable text, buttons follow the session's
state (meetingapp/actions.py), and a lost host is said plainly on the tablet and the hall
display."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from meetingapp.domain import BallotForm
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, make_pdf, pair_tablet
from ui.bridge import LOST, Bridge
from ui.clerk import ClerkWindow
from ui.delegate import DelegateTablet
from ui.display import PublicDisplay
from ui.layout_check import problems
from ui.secretary import SecretaryConsole
from ui.strings import set_language
from ui.widgets import STYLE

LAPTOP = QSize(1366, 700)  # 1366×768 less the title bar and the task bar
TABLET_LANDSCAPE, TABLET_PORTRAIT = QSize(1280, 800), QSize(800, 1280)
LONG_ITEM = (
    "Nghị quyết về việc điều chỉnh chỉ tiêu phát triển kinh tế - xã hội năm 2027 "
    "và các giải pháp chủ yếu"
)


@pytest.fixture
def bridge(bridge: Bridge, qapp) -> Iterator[Bridge]:  # type: ignore[no-untyped-def]
    """The shared bridge (tests/conftest.py), with the app's own style sheet: sizes as shipped."""
    qapp.setStyleSheet(STYLE)
    yield bridge


def at(qtbot, window: QWidget, size: QSize) -> list[str]:  # type: ignore[no-untyped-def]
    window.resize(size)
    window.show()
    qtbot.wait(150)  # let layouts and deferred redraws settle
    assert window.size() == size, f"{type(window).__name__} cannot fit {size}: {window.size()}"
    return problems(window)


def test_the_check_finds_overlaps_and_cut_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The checker itself: a squeezed button, a cut label and two overlapping widgets."""
    w = QWidget()
    qtbot.addWidget(w)
    a = QPushButton("Kết thúc biểu quyết", w)
    b = QPushButton("Bế mạc", w)
    a.setGeometry(0, 0, 60, 20)  # far smaller than its text
    b.setGeometry(30, 5, 100, 44)  # on top of the first
    cut = QLabel("Có mặt 10/12 — cần 8 để đủ số tối thiểu", w)
    cut.setGeometry(150, 0, 400, 30)  # sticks out of its 300 px parent
    w.resize(300, 60)
    w.show()
    found = problems(w, touch=48)
    assert any("overlaps" in p for p in found), found
    assert any("squeezed" in p for p in found), found
    assert any("cut off" in p for p in found), found
    assert any("for a finger" in p for p in found), found
    fine = QWidget()
    qtbot.addWidget(fine)
    col = QVBoxLayout(fine)
    col.addWidget(QPushButton("Khai mạc"))
    col.addWidget(QLabel("Đang họp"))
    fine.resize(300, 200)
    fine.show()
    assert problems(fine) == []


@pytest.mark.slow
def test_every_window_fits_its_screen(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, present=9, tablets=1))
    doc = bridge.run(
        mt.console.upload_document(
            mt.session, mt.item, "Tờ trình số 12/TTr-UBND về đầu tư công 2026-2030", make_pdf(3)
        )
    )
    bridge.run(mt.console.add_item(mt.session, LONG_ITEM))
    me, tablet_client = next(iter(mt.tablets.items()))
    bridge.run(mt.console.move_presenter(mt.session, doc["id"], 2))
    bridge.run(tablet_client.request_floor(mt.session))
    clerk_client = bridge.run(pair_tablet(host, mt.console, None, role="clerk", name="vp"))
    display_client = bridge.run(pair_tablet(host, mt.console, None, role="display", name="tv"))

    console = SecretaryConsole(bridge, mt.console, mt.session, mt.body)
    tablet = DelegateTablet(bridge, tablet_client, mt.session, me, tmp_path / "tablet")
    clerk = ClerkWindow(bridge, clerk_client, mt.session, tmp_path / "clerk")
    display = PublicDisplay(bridge, display_client, mt.session)
    for w in (console, tablet, clerk, display):
        qtbot.addWidget(w)
    qtbot.waitUntil(
        lambda: console.roll.rowCount() == 12 and console.queue.count() == 1, timeout=15000
    )
    qtbot.waitUntil(lambda: tablet.viewer.pdf is not None, timeout=15000)

    assert at(qtbot, console, LAPTOP) == []
    d = console._roster[0]
    dialog = console.manual_dialog(d)  # names whom it checks in, in Vietnamese
    assert d.full_name in dialog.labelText() and "Lý do" in dialog.labelText()
    assert dialog.okButtonText() == "Điểm danh" and dialog.cancelButtonText() == "Hủy"
    dialog.deleteLater()
    console.tabs.setCurrentIndex(0)
    assert at(qtbot, console, LAPTOP) == []
    console.tabs.setCurrentIndex(1)
    # a vote in progress, a speaker with a timer: the busiest the console gets
    motion = bridge.run(mt.console.open_motion(mt.session, LONG_ITEM, BallotForm.SHOW_OF_HANDS))
    qtbot.waitUntil(lambda: "Đang biểu quyết" in console.result.text(), timeout=10000)
    console._candidates([(mt.delegates[10], 0.48), (mt.delegates[11], 0.52)])
    assert at(qtbot, console, LAPTOP) == []

    for size in (TABLET_LANDSCAPE, TABLET_PORTRAIT, TABLET_LANDSCAPE):
        assert at(qtbot, tablet, size) == []
        assert problems(tablet, touch=48, min_font_px=16) == []
    qtbot.waitUntil(lambda: "giơ tay" in tablet.receipt.text(), timeout=10000)
    agenda = tablet.agenda.item(1)
    assert agenda.text().endswith("các giải pháp chủ yếu")  # whole, wrapped, never elided
    rect = tablet.agenda.visualItemRect(agenda)
    assert rect.height() > tablet.agenda.fontMetrics().height() * 1.8  # on several lines

    # a tablet whose delegate has not checked in: the PIN field, its button and an error
    absent_client = bridge.run(pair_tablet(host, mt.console, mt.delegates[11], name="ghế 12"))
    absent = DelegateTablet(bridge, absent_client, mt.session, mt.delegates[11], tmp_path / "a")
    qtbot.addWidget(absent)
    qtbot.waitUntil(lambda: absent.check_in.isVisible() or absent.who.text() != "", timeout=10000)
    absent.fail("Mã PIN không đúng", absent.check_error)
    for size in (TABLET_LANDSCAPE, TABLET_PORTRAIT):
        assert at(qtbot, absent, size) == []
        assert problems(absent, touch=48, min_font_px=16) == []
    assert absent.pin.isVisible() and absent.check_in.isEnabled()
    absent.feed.stop()
    bridge.run(absent_client.close())

    assert at(qtbot, clerk, LAPTOP) == []
    clerk.tabs.setCurrentIndex(1)
    assert at(qtbot, clerk, LAPTOP) == []

    for size in (QSize(1280, 720), QSize(1920, 1080), QSize(1024, 768)):
        assert at(qtbot, display, size) == []
    small = display.head.font().pixelSize()
    display.resize(QSize(1920, 1080))
    qtbot.wait(100)
    assert display.head.fontInfo().pixelSize() > small  # the text grows with the screen

    # a closed vote's counts on the hall display: each row fits the screen, so no item is ever
    # broken between its label and its figure ("Không biểu quyết:" / "0/12 (0,00%)")
    bridge.run(mt.console.record_hands(mt.session, motion, 7, 1, 1))
    bridge.run(mt.console.close_motion(mt.session, motion))
    qtbot.waitUntil(lambda: "Tán\u00a0thành" in display.result.text(), timeout=10000)
    for size in (QSize(1280, 720), QSize(1920, 1080), QSize(1024, 768)):
        assert at(qtbot, display, size) == []
        metrics = display.result.fontMetrics()
        rows = display.result.text().split("\n")
        assert len(rows) in (4, 6)  # title, two rows of two counts (or four of one), verdict
        assert "Không\u00a0biểu\u00a0quyết:\u00a01/12" in display.result.text()  # unbreakable
        for row in rows[1:-1]:
            assert metrics.horizontalAdvance(row) <= display.result.contentsRect().width(), row

    for w in (console, tablet, clerk, display):
        w.feed.stop()
    for c in (tablet_client, clerk_client, display_client):
        bridge.run(c.close())
    bridge.run(mt.close())


@pytest.mark.slow
def test_the_tablet_in_english_fits_too(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    set_language("en")
    mt = bridge.run(api_meeting(host, present=9, tablets=1))
    me, client = next(iter(mt.tablets.items()))
    tablet = DelegateTablet(bridge, client, mt.session, me, tmp_path / "tablet")
    qtbot.addWidget(tablet)
    qtbot.waitUntil(lambda: tablet.who.text() != "", timeout=10000)
    assert tablet.ask.text() == "Request the floor"
    for size in (TABLET_LANDSCAPE, TABLET_PORTRAIT):
        assert at(qtbot, tablet, size) == []
        assert problems(tablet, touch=48, min_font_px=16) == []
    tablet.feed.stop()
    bridge.run(client.close())
    bridge.run(mt.close())


def _colour(button: QPushButton) -> QColor:
    img = button.grab().toImage()
    return QColor(img.pixel(img.width() // 2, 6))


@pytest.mark.slow
def test_buttons_follow_the_session_and_a_lost_host_is_said(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, present=9, tablets=1))
    me, client = next(iter(mt.tablets.items()))
    display_client = bridge.run(pair_tablet(host, mt.console, None, role="display", name="tv"))
    console = SecretaryConsole(bridge, mt.console, mt.session, mt.body)
    tablet = DelegateTablet(bridge, client, mt.session, me, tmp_path / "tablet")
    display = PublicDisplay(bridge, display_client, mt.session)
    for w in (console, tablet, display):
        qtbot.addWidget(w)
        w.show()
    qtbot.waitUntil(lambda: console.roll.rowCount() == 12, timeout=10000)
    qtbot.waitUntil(lambda: "Đã kết nối" in tablet.link.text(), timeout=10000)
    b = console.buttons
    assert not b["open_session"].isEnabled() and b["close_session"].isEnabled()
    assert not b["close_motion"].isEnabled() and not b["grant"].isEnabled()
    assert not b["end_speech"].isEnabled() and not b["record_hands"].isEnabled()
    assert not tablet.vote_buttons["yes"].isEnabled()
    assert (
        _colour(tablet.vote_buttons["yes"]).green() < 200
        or _colour(tablet.vote_buttons["yes"]).red() > 150
    )  # greyed: not the green of an active "Tán thành"

    motion = bridge.run(mt.console.open_motion(mt.session, "Nghị quyết", BallotForm.ELECTRONIC))
    qtbot.waitUntil(lambda: tablet.vote_buttons["yes"].isEnabled(), timeout=10000)
    qtbot.waitUntil(lambda: b["close_motion"].isEnabled(), timeout=10000)
    assert not b["open_motion"].isEnabled() and not b["close_session"].isEnabled()
    green = _colour(tablet.vote_buttons["yes"])
    assert green.green() > green.red() + 40  # enabled: green

    # the host goes away: the tablet and the display say so; a ballot is not "sent"
    host.stop()
    tablet._vote("yes")
    assert tablet.receipt.text() == "Đang gửi phiếu…"
    assert tablet.receipt.property("state") == "pending"  # amber, not the success green
    qtbot.waitUntil(lambda: tablet.receipt.property("state") == "failed", timeout=60000)
    text = tablet.receipt.text()
    assert "Chưa ghi nhận" in text and "Mất kết nối" in text
    assert "Error" not in text and "attempts" not in text  # no raw exception text
    qtbot.waitUntil(lambda: tablet.feed.link == LOST, timeout=20000)
    assert "Mất kết nối máy chủ" in tablet.link.text() and tablet.banner.isVisible()
    assert not tablet.vote_buttons["yes"].isEnabled()  # nothing pressable reaches the host
    assert not console.buttons["close_motion"].isEnabled() or console.feed.link != LOST
    qtbot.waitUntil(lambda: display.lost.isVisible(), timeout=20000)
    assert "Mất kết nối" in display.lost.text() and display.timer.text() == ""
    assert "Đang biểu quyết" not in display.result.text()  # no stale "voting" shown
    assert motion
    for w in (console, tablet, display):
        w.feed.stop()


@pytest.mark.slow
def test_no_microphone_is_said_on_the_tablet_and_the_console(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    """ "Recording" is never shown when nothing is recorded: on a machine without a microphone
    the speaker's tablet warns at once, and the console says the speech has no audio."""
    from PySide6.QtMultimedia import QMediaDevices

    if not QMediaDevices.defaultAudioInput().isNull():
        pytest.skip("this machine has a microphone (tests/test_tablet_recording.py covers it)")
    mt = bridge.run(api_meeting(host, present=9, tablets=1))
    me, client = next(iter(mt.tablets.items()))
    console = SecretaryConsole(bridge, mt.console, mt.session, mt.body)
    tablet = DelegateTablet(bridge, client, mt.session, me, tmp_path / "tablet")
    for w in (console, tablet):
        qtbot.addWidget(w)
    qtbot.waitUntil(lambda: tablet.feed.world is not None, timeout=10000)
    request = bridge.run(client.request_floor(mt.session))
    speech = bridge.run(mt.console.grant_floor(mt.session, request, 300))
    qtbot.waitUntil(lambda: "Không có micrô" in tablet.rec_label.text(), timeout=10000)
    assert "Đang ghi âm" not in tablet.rec_label.text() and tablet.meter.isHidden()
    assert "không có micrô" in tablet.status.text()
    assert "Bạn đang phát biểu" in tablet.queue_pos.text() and "⏱ 04:" in tablet.queue_pos.text()
    assert "Đang phát biểu" in console.speaking.text()
    bridge.run(mt.console.end_speech(mt.session, speech))
    qtbot.waitUntil(lambda: "không có âm thanh" in console.speaking.text(), timeout=20000)
    assert tablet.rec_label.text() == ""
    for w in (console, tablet):
        w.feed.stop()
    bridge.run(client.close())
    bridge.run(mt.close())


def test_the_speaking_timer_warns_before_the_end_and_says_when_time_is_up(qapp) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from meetingapp.domain import Speech
    from ui.strings import countdown, timer_state

    set_language("vi")

    def speech(limit: int, ago: float) -> Speech:
        started = (datetime.now(UTC) - timedelta(seconds=ago)).isoformat()
        return Speech(id="s", delegate_id="d", item_id="i", started_at=started, time_limit_s=limit)

    assert timer_state(speech(300, 10)) == "" and countdown(speech(300, 10)).startswith("⏱ 04:")
    assert timer_state(speech(300, 250)) == "warn"  # the last minute
    late = speech(300, 330)
    assert (
        timer_state(late) == "over" and "Hết giờ" in countdown(late) and "+00:3" in countdown(late)
    )
    assert timer_state(speech(0, 10)) == "" and countdown(speech(0, 10)) == ""
