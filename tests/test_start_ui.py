"""The start screen (``meetingapp run`` with no arguments) against the real host: pairing by
code and by a QR picture, the pairing remembered so the next start opens the right window, a
tablet that loses the host saying so and coming back by itself, hosting a session here, and
the host found on the LAN by mDNS in the list."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from meetingapp import device_store, lan, qr
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from ui.bridge import Bridge
from ui.clerk import ClerkWindow
from ui.delegate import DelegateTablet
from ui.setup import SetupWindow
from ui.start import App, StartScreen


def _close(app: App) -> None:
    for w in app.windows:
        w.close()
    if app.start is not None:
        app.start.close()


def test_pair_by_code_remembered_and_reconnects(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, tablets=0))
    me = mt.delegates[2]
    data = tmp_path / "tablet-data"
    app = App(bridge, data, browse=False)
    app.run()
    start = app.start
    assert start is not None and start.isVisible()
    asked: list[str] = []
    start.confirm_fingerprint = lambda fp: asked.append(fp) or True  # type: ignore[func-returns-value]

    # a wrong code: said so, nothing remembered
    start.address.setText(f"127.0.0.1:{host.port}")
    start.code.setText("000000")
    start.pair_btn.click()
    qtbot.waitUntil(lambda: "mã" in start.message.text().lower(), timeout=15000)
    assert not device_store.path(data).exists()
    assert asked == [host.info["ca_fingerprint"]]  # the typed address: fingerprint shown

    code = bridge.run(mt.console.pairing_code("delegate", me))["code"]
    start.code.setText(code)
    start.pair_btn.click()
    qtbot.waitUntil(lambda: any(isinstance(w, DelegateTablet) for w in app.windows), timeout=20000)
    tablet = app.windows[0]
    assert isinstance(tablet, DelegateTablet) and tablet.me == me
    saved = json.loads(device_store.path(data).read_text())
    assert saved["role"] == "delegate" and saved["delegate_id"] == me
    assert saved["fingerprint"] == host.info["ca_fingerprint"]
    assert oct(os.stat(device_store.path(data)).st_mode & 0o777) == "0o600"
    qtbot.waitUntil(lambda: tablet.feed.world is not None, timeout=10000)

    # the host goes away: the tablet says so, and comes back by itself when the host returns
    qtbot.waitUntil(lambda: tablet.feed.link == "online", timeout=10000)
    host.stop()
    qtbot.waitUntil(lambda: tablet.feed.link == "lost", timeout=30000)
    assert tablet.banner.isVisible() and "Mất kết nối" in tablet.link.text()
    host.start()
    qtbot.waitUntil(lambda: tablet.feed.link == "online", timeout=30000)
    assert "Đã kết nối" in tablet.link.text() and not tablet.banner.isVisible()
    _close(app)

    # the next start goes straight to the tablet, no start screen
    again = App(bridge, data, browse=False)
    again.run()
    qtbot.waitUntil(lambda: bool(again.windows), timeout=20000)
    assert isinstance(again.windows[0], DelegateTablet) and again.start is None
    _close(again)
    bridge.run(mt.close())


def test_pair_from_a_qr_picture(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, tablets=0))
    data = tmp_path / "clerk-data"
    app = App(bridge, data, browse=False)
    app.run()
    start = app.start
    assert start is not None

    not_qr = tmp_path / "blank.png"
    not_qr.write_bytes(qr.png("x")[:40])  # a broken picture
    start.pair_with_qr_file(not_qr)
    qtbot.waitUntil(lambda: "QR" in start.message.text(), timeout=10000)
    other = tmp_path / "other.png"
    other.write_bytes(qr.png("https://example.org/not-a-pairing-code"))
    start.pair_with_qr_file(other)
    qtbot.waitUntil(lambda: "không phải mã ghép" in start.message.text(), timeout=10000)

    issued = bridge.run(mt.console.pairing_code("clerk"))
    # a QR pointing at the right host with a forged fingerprint: refused, nothing saved
    forged = issued["qr"].replace(host.info["ca_fingerprint"], "ab" * 32)
    start.pair_with_qr(forged)
    qtbot.waitUntil(
        lambda: start.message.text() != "" and start.pair_btn.isEnabled(), timeout=15000
    )
    assert not device_store.path(data).exists()

    picture = tmp_path / "qr.png"
    picture.write_bytes(qr.png(issued["qr"]))
    start.pair_with_qr_file(picture)
    qtbot.waitUntil(lambda: any(isinstance(w, ClerkWindow) for w in app.windows), timeout=20000)
    assert device_store.load(data).role == "clerk"  # type: ignore[union-attr]
    _close(app)
    bridge.run(mt.close())


def test_host_a_session_here_opens_the_set_up(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, tmp_path: Path
) -> None:
    data = tmp_path / "host-data"
    app = App(bridge, data, browse=False)
    app.run()
    start = app.start
    assert start is not None
    start.interface.setCurrentIndex(start.interface.findData("127.0.0.1"))
    start.port.setValue(0)
    start.host_btn.click()
    try:
        qtbot.waitUntil(lambda: any(isinstance(w, SetupWindow) for w in app.windows), timeout=60000)
        setup = app.windows[0]
        qtbot.waitUntil(lambda: "Chưa có cơ quan" in setup.body_summary.text(), timeout=10000)
        assert (data / "host" / "host.json").exists()
        assert device_store.load(data).role == "host"  # type: ignore[union-attr]
    finally:
        _close(app)
        if app.hosted is not None:
            app.hosted.host.stop()


@pytest.mark.slow
def test_the_start_screen_lists_a_host_found_on_the_lan(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, tmp_path: Path
) -> None:
    """A host serving a LAN interface of this machine appears in the list by its body's name
    (multicast loops back to this machine)."""
    ifaces = [i for i in lan.lan_interfaces() if ":" not in i.address]
    if not ifaces:
        pytest.skip("no LAN interface with an IPv4 address on this machine")
    host = HostProcess(tmp_path / "h", bind=ifaces[0].address).start()
    try:
        console = host.client(console=True)
        from meetingapp.domain import BodyKind

        bridge.run(console.create_body(BodyKind.HDND, "Hội đồng nhân dân xã Tân Hà", 15))
        start = StartScreen(bridge, tmp_path / "t")
        qtbot.addWidget(start)
        fp = host.info["ca_fingerprint"]

        def listed() -> bool:
            return any(
                start.hosts.item(i).data(256).fingerprint == fp for i in range(start.hosts.count())
            )

        qtbot.waitUntil(listed, timeout=30000)
        qtbot.waitUntil(
            lambda: any("Tân Hà" in start.hosts.item(i).text() for i in range(start.hosts.count())),
            timeout=30000,
        )
        row = next(
            i for i in range(start.hosts.count()) if start.hosts.item(i).data(256).fingerprint == fp
        )
        start._pick(start.hosts.item(row))
        assert start.address.text() == f"https://{ifaces[0].address}:{host.port}"
        start.close()
        bridge.run(console.close())
    finally:
        host.stop()
