"""The app's windows (offscreen) driven through their main flows against the real host on
127.0.0.1: the tablet checks in, follows the presenter, asks for the floor and votes through a
dropped connection; the console runs a vote whose result reaches the hall display; the clerk
corrects a transcript and drafts, finalises, signs and verifies the minutes."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from meetingapp import demo_script as script
from meetingapp.client import HostError
from meetingapp.domain import BallotForm, Choice
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, make_pdf, pair_tablet
from ui.bridge import Bridge
from ui.clerk import ClerkWindow
from ui.delegate import DelegateTablet
from ui.display import PublicDisplay
from ui.secretary import SecretaryConsole
from ui.widgets import RoleWindow


def test_the_qt_binding_keeps_its_reference_counts(qapp) -> None:  # type: ignore[no-untyped-def]
    """PySide6 6.12.0 dropped a reference to None on every call of a Qt method returning
    nothing and to True on every signal emitted: the app crashed ("deallocating True") after a
    few hundred events. pyproject.toml keeps it below 6.12; this guards any upgrade."""
    import sys

    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QPushButton

    class Emitter(QObject):
        fired = Signal(bool)

    emitter, button = Emitter(), QPushButton()
    emitter.fired.connect(lambda on: None)
    button.clicked.connect(lambda: None)
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(200):
        emitter.fired.emit(True)
        button.click()
        button.setEnabled(button.isEnabled())
    after = [sys.getrefcount(x) for x in (None, True, False)]
    assert all(a >= b - 5 for a, b in zip(after, before, strict=True)), (before, after)


def test_the_window_keeps_working_during_a_slow_call(qtbot, bridge: Bridge) -> None:  # type: ignore[no-untyped-def]
    window = RoleWindow(bridge, "test")
    qtbot.addWidget(window)
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    results: list[str] = []

    async def slow_backend() -> str:  # a host that takes 1.5 s to answer
        await asyncio.sleep(1.5)
        return "xong"

    started = time.monotonic()
    window.act(slow_backend(), results.append)
    assert time.monotonic() - started < 0.1  # act() returns at once
    assert window.activity.text() == "Đang xử lý…"
    qtbot.waitUntil(lambda: results == ["xong"], timeout=5000)
    timer.stop()
    assert len(ticks) >= 40  # ~75 possible: the Qt event loop ran all along
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.5
    assert window.activity.text() == ""

    # long work can be cancelled: the callback never runs, the window says so
    window.act(slow_backend(), results.append)
    qtbot.waitUntil(lambda: not window.cancel.isHidden(), timeout=2000)
    window.cancel.click()
    qtbot.waitUntil(lambda: window.bridge.busy == 0, timeout=2000)
    assert window.status.text() == "Đã hủy" and window.cancel.isHidden()
    qtbot.wait(1700)
    assert results == ["xong"]

    async def broken() -> None:
        raise OSError("network unreachable")

    window.act(broken())
    qtbot.waitUntil(lambda: "Mất kết nối tới máy chủ" in window.status.text(), timeout=5000)
    assert "network unreachable" not in window.status.text()  # never the raw text


@pytest.mark.slow
def test_delegate_tablet_checks_in_follows_asks_and_votes(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, present=8, tablets=0))
    me = mt.delegates[9]
    tablet_client = bridge.run(pair_tablet(host, mt.console, me, name="ghế 10"))
    doc = bridge.run(mt.console.upload_document(mt.session, mt.item, "Tờ trình số 1", make_pdf(3)))
    window = DelegateTablet(bridge, tablet_client, mt.session, me, tmp_path / "tablet")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.feed.world is not None, timeout=10000)
    assert window.check_in.isVisible() or not window.isVisible()

    window.pin.setText("9999")  # wrong PIN: refused, said so, still not present
    window.check_in.click()
    qtbot.waitUntil(lambda: window.status.text() != "", timeout=10000)
    assert me not in window.feed.record().present_ids()
    window.pin.setText(mt.pins[me])
    window.check_in.click()
    qtbot.waitUntil(lambda: "Đã điểm danh" in window.presence.text(), timeout=10000)

    bridge.run(mt.console.move_presenter(mt.session, doc["id"], 2))
    qtbot.waitUntil(
        lambda: window.viewer.page == 2 and window.viewer.pdf is not None, timeout=15000
    )
    qtbot.waitUntil(lambda: not window.viewer.image.pixmap().isNull(), timeout=15000)
    window.viewer.next.click()  # browsing on: no longer follows
    assert not window.viewer.follow.isChecked() and window.viewer.page == 3
    window.notes.setPlainText("Hỏi về nguồn vốn đối ứng")
    qtbot.waitUntil(lambda: any((tmp_path / "tablet" / "notes").glob("*.txt")), timeout=5000)

    window.ask.click()
    qtbot.waitUntil(lambda: "Thứ tự của bạn: 1" in window.queue_pos.text(), timeout=10000)

    motion = bridge.run(
        mt.console.open_motion(mt.session, "Nghị quyết kế hoạch năm", BallotForm.ELECTRONIC)
    )
    qtbot.waitUntil(lambda: window.vote_buttons["yes"].isEnabled(), timeout=10000)
    assert window.motion_title.text() == "Nghị quyết kế hoạch năm"
    bridge.run(window.feed.live.drop_connection())  # the Wi-Fi drops just before the vote
    window.vote_buttons["no"].click()
    qtbot.waitUntil(lambda: "Đã ghi nhận: Không tán thành" in window.receipt.text(), timeout=15000)
    window.vote_buttons["no"].click()  # pressed twice: the same ballot, counted once
    qtbot.waitUntil(lambda: me in window.feed.record().motions[motion].participants, timeout=10000)
    result = bridge.run(mt.console.close_motion(mt.session, motion))
    assert (result["yes"], result["no"], result["abstain"]) == (0, 1, 0)
    qtbot.waitUntil(lambda: not window.vote_buttons["yes"].isEnabled(), timeout=10000)
    window.feed.stop()
    bridge.run(tablet_client.close())
    bridge.run(mt.close())


@pytest.mark.slow
def test_secretary_runs_a_vote_and_the_display_shows_the_result(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, seats=12, present=9, tablets=6))
    console = SecretaryConsole(bridge, mt.console, mt.session, mt.body)
    display_client = bridge.run(pair_tablet(host, mt.console, None, role="display", name="tv"))
    display = PublicDisplay(bridge, display_client, mt.session)
    qtbot.addWidget(console)
    qtbot.addWidget(display)
    qtbot.waitUntil(lambda: console.roll.rowCount() == 12, timeout=10000)
    assert "Có mặt 9/12" in console.quorum_text.text() and console.quorum.value() == 9

    # a roster file with a bad row: every problem named, nothing imported
    bad = tmp_path / "ds.csv"
    bad.write_text("Họ và tên,PIN\nNguyễn Văn Mới,12\n,1234\n", encoding="utf-8")
    console.import_roster(bad)
    qtbot.waitUntil(lambda: "dòng 3" in console.roster_errors.text().lower(), timeout=10000)
    assert "dòng 2" in console.roster_errors.text().lower()
    assert console.roll.rowCount() == 12

    # manual check-in needs a reason
    late = mt.delegates[9]
    console.manual_check_in(late, "  ")
    assert "lý do" in console.status.text()
    console.manual_check_in(late, "Đến muộn, thư ký xác nhận")
    qtbot.waitUntil(lambda: "Có mặt 10/12" in console.quorum_text.text(), timeout=10000)

    # face check-in at a console without a camera, from image files: the demo photo enrolled
    # for one delegate, frontal then "turned" both ways by shearing the one still photo — which
    # the liveness check refuses (a flat image, issue #14); the secretary then checks her in
    from meetingapp.demo import camera_frames, enrolment_photos

    photo = script.asset("astronaut.jpg").read_bytes()
    face_id = mt.delegates[10]
    bridge.run(mt.console.record_consent(face_id, given=True, text_version="t"))
    bridge.run(mt.console.enrol_face(face_id, enrolment_photos(photo)))
    front, left, right = camera_frames(photo)
    console.face_check_in([front] * 3 + [left, front, right, front, left, front, right])
    qtbot.waitUntil(lambda: "Không đạt" in console.face.prompt.text(), timeout=30000)
    assert "Có mặt 10/12" in console.quorum_text.text()
    console.manual_check_in(face_id, "Ảnh tĩnh bị từ chối, thư ký xác nhận")
    qtbot.waitUntil(lambda: "Có mặt 11/12" in console.quorum_text.text(), timeout=10000)

    console.motion_title.setText("Thông qua đề án sáp nhập thôn")
    console.motion_form.setCurrentIndex(console.motion_form.findData("secret"))
    console._open_motion()
    qtbot.waitUntil(lambda: console.feed.record().open_motion is not None, timeout=10000)
    qtbot.waitUntil(lambda: "Đang biểu quyết" in display.result.text(), timeout=10000)
    motion = console.feed.record().open_motion
    choices = [Choice.YES] * 4 + [Choice.NO, Choice.ABSTAIN]
    for tablet, choice in zip(mt.tablets.values(), choices, strict=True):
        bridge.run(tablet.cast_ballot(mt.session, motion, choice))
    qtbot.waitUntil(lambda: "Đã nhận 6 phiếu" in console.ballot_count.text(), timeout=10000)
    assert "(bỏ phiếu kín)" in console.ballot_count.text()
    console._close_motion(confirmed=True)
    qtbot.waitUntil(lambda: "KHÔNG THÔNG QUA" in display.result.text(), timeout=10000)
    shown = display.result.text().replace("\u00a0", " ")  # its items are unbreakable
    assert "Tán thành: 4/12 (33,33%)" in shown  # 4 of 12: not more than half
    qtbot.waitUntil(lambda: "KHÔNG THÔNG QUA" in console.result.text(), timeout=10000)

    # a show of hands: the secretary enters the counts
    console.motion_title.setText("Biểu quyết giơ tay về thời gian họp")
    console.motion_form.setCurrentIndex(console.motion_form.findData("show_of_hands"))
    console._open_motion()
    qtbot.waitUntil(lambda: console.feed.record().open_motion is not None, timeout=10000)
    hands = console.feed.record().open_motion
    for box, count in zip(console.hands, (9, 1, 0), strict=True):
        box.setValue(count)
    console._record_hands()
    qtbot.waitUntil(lambda: console.feed.record().motions[hands].hands is not None, timeout=10000)
    console._close_motion(confirmed=True)
    nine = "Tán\u00a0thành:\u00a09/12\u00a0(75,00%)"  # the display's items are unbreakable
    qtbot.waitUntil(lambda: nine in display.result.text(), timeout=10000)
    assert display.result.text().endswith("\nTHÔNG QUA")

    # a good roster file adds its delegates
    good = tmp_path / "bo-sung.csv"
    good.write_text("Họ và tên,Đơn vị,PIN\nNguyễn Văn Bổ Sung,Tổ 5,4321\n", encoding="utf-8")
    console.import_roster(good)
    qtbot.waitUntil(lambda: console.roll.rowCount() == 13, timeout=10000)
    # the reply to the import may trail the event that added the delegate
    qtbot.waitUntil(lambda: "Đã nhập 1" in console.status.text(), timeout=10000)
    assert console.roster_errors.text() == ""
    for w in (console, display):
        w.feed.stop()
    bridge.run(display_client.close())
    bridge.run(mt.close())


def stamp_ink(pdf: Path) -> int:
    """Dark pixels in the box under "THƯ KÝ", drawn as the app's preview draws it."""
    from PySide6.QtGui import QColor

    from exports.signing import find_label
    from ui.widgets import render_page

    box = find_label(pdf.read_bytes(), "THƯ KÝ")
    img = render_page(pdf, box.page, 595)  # one pixel per point of an A4 page
    top = int(842 - box.y1) + 10
    return sum(
        1
        for y in range(top, top + 90)
        for x in range(int(box.x0) - 60, int(box.x1) + 60)
        if QColor(img.pixel(x, y)).lightness() < 200
    )


@pytest.mark.slow
def test_clerk_corrects_a_transcript_and_signs_the_minutes(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    from exports.certs import make_demo_certs

    certs = tmp_path / "certs"
    # the host accepts signatures only from the body's trusted CA, by the person in the role
    make_demo_certs(certs, people={"secretary": "Đại biểu Thứ 1", "chair": "Đại biểu Thứ 0"})
    mt = bridge.run(api_meeting(host, present=10, tablets=1))
    bridge.run(mt.console.trust_ca(mt.body, (certs / "demo-ca.pem").read_bytes()))
    speaker = next(iter(mt.tablets.values()))
    clerk_client = bridge.run(pair_tablet(host, mt.console, None, role="clerk", name="vp"))

    async def speak() -> str:
        request = await speaker.request_floor(mt.session)
        speech = await mt.console.grant_floor(mt.session, request)
        await mt.console.import_audio(
            mt.session, speech, script.asset("speech-3.flac").read_bytes()
        )
        await mt.console.end_speech(mt.session, speech)
        return speech

    speech = bridge.run(speak())
    # the clerk prepares; numbering the minutes is the secretary's (their device is passed in)
    clerk = ClerkWindow(
        bridge, clerk_client, mt.session, tmp_path / "clerk", minutes_client=mt.console
    )
    qtbot.addWidget(clerk)
    qtbot.waitUntil(lambda: clerk.speeches.count() == 1, timeout=10000)
    clerk.speeches.setCurrentRow(0)
    qtbot.waitUntil(lambda: clerk.segments.rowCount() > 0, timeout=240000)
    original = clerk.segments.item(0, 2).text()
    fixed = "Về đề án sáp nhập thôn, cử tri thôn Bến Cát còn nhiều ý kiến khác nhau"
    clerk.segments.item(0, 1).setText(fixed)  # typed in place
    qtbot.waitUntil(
        lambda: clerk.feed.record().speeches[speech].segments[0].edited == fixed, timeout=10000
    )
    seg = clerk.feed.record().speeches[speech].segments[0]
    assert seg.text == original  # the ASR text is kept beside the correction
    qtbot.waitUntil(lambda: "đã sửa" in clerk.speeches.item(0).text(), timeout=10000)

    clerk.tabs.setCurrentIndex(1)
    clerk.draft()
    qtbot.waitUntil(lambda: clerk.preview.pdf is not None, timeout=120000)
    qtbot.waitUntil(lambda: not clerk.preview.image.pixmap().isNull(), timeout=30000)
    bridge.run(mt.console.close_session(mt.session))
    with pytest.raises(HostError) as refused:
        bridge.run(clerk_client.finalise_minutes(mt.session))
    assert refused.value.status == 403
    clerk.finalise()
    qtbot.waitUntil(
        lambda: "Biên bản số 01" in clerk.minutes_info.text() or clerk.status.text() != "",
        timeout=120000,
    )
    assert clerk.status.text() == ""
    final = clerk.signed
    before = final.read_bytes()

    p12 = ["--role", "secretary", "--p12", str(certs / "secretary.p12")]
    clerk.sign([*p12, "--password-env", "MEETINGAPP_SIGN_SECRET"], "sai-mat-khau")
    qtbot.waitUntil(lambda: clerk.status.text() != "", timeout=60000)
    assert "mật khẩu" in clerk.status.text().lower()  # said clearly, nothing changed
    assert "mật khẩu" in clerk.minutes_error.text().lower()  # beside the signing steps
    assert "Đang ký" not in clerk.minutes_info.text()  # not left "signing…"
    assert final.read_bytes() == before and clerk.signed == final
    assert clerk.buttons["sign_secretary"].isEnabled()  # the secretary's turn
    assert not clerk.buttons["sign_chair"].isEnabled()

    unsigned_ink = stamp_ink(final)
    clerk.sign([*p12, "--password-env", "MEETINGAPP_SIGN_SECRET"], "demo")
    qtbot.waitUntil(lambda: "Đã ký" in clerk.minutes_info.text(), timeout=60000)
    # the preview draws the stamp (pdfium needs its form layer for signature widgets)
    assert stamp_ink(clerk.signed) > unsigned_ink + 300, (unsigned_ink, stamp_ink(clerk.signed))
    assert clerk.signed.name.endswith(".signed.pdf")
    state = bridge.run(mt.console.state(mt.session))
    assert state["session"]["minutes"]["state"] == "signed_secretary"
    qtbot.waitUntil(lambda: clerk.buttons["sign_chair"].isEnabled(), timeout=10000)
    assert not clerk.buttons["sign_secretary"].isEnabled()  # the next step: the chair
    assert "đã ký" in clerk.step_marks["secretary"].text()
    clerk.verify(certs / "demo-ca.pem")
    qtbot.waitUntil(lambda: "HỢP LỆ" in clerk.minutes_info.text(), timeout=60000)
    report = clerk.minutes_info.text()  # in plain words, per signature
    assert "1. Thư ký:" in report and "nội dung nguyên vẹn" in report
    assert "tổ chức tin cậy" in report
    for raw in ("ThuKy", "FORM_FILLING", "--trust", "tin cậy: không"):
        assert raw not in report
    clerk.export(tmp_path / "ho-so.zip")
    qtbot.waitUntil(lambda: (tmp_path / "ho-so.zip").exists(), timeout=60000)
    clerk.feed.stop()
    bridge.run(clerk_client.close())
    bridge.run(mt.close())


@pytest.mark.slow
def test_the_demo_app_opens_every_role(qtbot, bridge: Bridge, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """What ``make run`` opens on a machine with a display: a window that shows each step while
    the demo meeting is loaded into a host started here (the event loop never waits), then a
    launcher whose buttons open each role's window."""
    from ui.app import DemoStart

    start = DemoStart(bridge, tmp_path / "demo")
    qtbot.addWidget(start)
    ticks: list[float] = []
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    start.start()
    try:
        qtbot.waitUntil(
            lambda: start.launcher is not None or start.error.text() != "", timeout=600000
        )
        assert start.error.text() == ""
        timer.stop()
        steps = start.steps.toPlainText()
        assert "Điểm danh bằng khuôn mặt" in steps and "Đang chuyển lời nói" in steps
        loading = time.monotonic() - started
        assert len(ticks) >= loading / 0.05 * 0.5  # the window kept drawing while it loaded
        assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 1.0
        launcher = start.launcher
        assert launcher is not None
        qtbot.addWidget(launcher)
        console = launcher.open_secretary()
        clerk = launcher.open_clerk()
        display = launcher.open_display()
        tablet = launcher.open_tablet(f"DB{script.FACE + 1:02d}")  # checked in by face
        qtbot.waitUntil(lambda: "Có mặt 10/12" in console.quorum_text.text(), timeout=15000)
        qtbot.waitUntil(lambda: clerk.speeches.count() == 1, timeout=15000)
        qtbot.waitUntil(lambda: "Có mặt 10/12" in display.quorum.text(), timeout=15000)
        qtbot.waitUntil(lambda: tablet.who.text() == "Vũ Thị Thu Hà", timeout=15000)
        assert "Đã điểm danh" in tablet.presence.text()
        assert (tmp_path / "demo" / "chung-thu-demo" / "secretary.p12").exists()
        for w in launcher.windows:
            w.close()
    finally:
        if start.host is not None:
            start.host.stop()


@pytest.mark.slow
def test_the_console_of_a_running_host(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    """``meetingapp run --host-dir DIR --session ID``: the console of a host on this machine;
    a session that does not exist is said plainly, with exit code 2."""
    import os
    import subprocess
    import sys

    from ui.app import host_launcher

    mt = bridge.run(api_meeting(host, present=7, tablets=0))
    launcher = host_launcher(bridge, host.data_dir, mt.session)
    qtbot.addWidget(launcher)
    assert launcher.delegate.isHidden() or launcher.delegate.parent() is None  # no tablets here
    console = launcher.open_secretary()
    qtbot.waitUntil(lambda: "Có mặt 7/12" in console.quorum_text.text(), timeout=15000)
    console.close()
    bridge.run(mt.close())

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    wrong = subprocess.run(
        [
            sys.executable,
            "-m",
            "meetingapp",
            "run",
            "--host-dir",
            str(host.data_dir),
            "--session",
            "ses-khong-co",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert wrong.returncode == 2, wrong.stdout + wrong.stderr
    assert "ses-khong-co" in wrong.stderr
