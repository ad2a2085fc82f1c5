"""The set-up window's device list against the real host (issues #14, #15): each paired device
with its role, delegate, name and when it was last seen; the secretary revokes one with a
confirmation and a reason, the row then shows it revoked and its token is refused at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QPushButton

from meetingapp.client import HostError
from meetingapp.domain import BodyKind
from tests.hostproc import HostProcess
from tests.meeting_api import pair_tablet
from ui.bridge import Bridge
from ui.layout_check import problems
from ui.setup import SetupWindow


def _row(w: SetupWindow, name: str) -> int:
    for r in range(w.devices.rowCount()):
        item = w.devices.item(r, 0)
        if item is not None and item.text() == name:
            return r
    return -1


def test_device_list_shows_last_seen_and_revokes(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path, monkeypatch
) -> None:
    console = host.client(console=True)
    body = bridge.run(console.create_body(BodyKind.HDND, "HĐND xã Tân Hà", 7))
    (delegate,) = bridge.run(
        console.add_delegates(body, [{"full_name": "Lê Thị Hoa", "title": "Đại biểu", "seat": "3"}])
    )
    lost = bridge.run(pair_tablet(host, console, delegate, name="Máy ghế 3"))
    kept = bridge.run(pair_tablet(host, console, None, role="display", name="Màn hình hội trường"))
    bridge.run(lost.get("/api/me"))  # the tablet has been seen

    w = SetupWindow(bridge, console, tmp_path / "app")
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: _row(w, "Màn hình hội trường") >= 0, timeout=15000)
    r = _row(w, "Máy ghế 3")
    assert [w.devices.item(r, c).text() for c in range(3)] == [
        "Máy ghế 3",
        "Đại biểu",
        "Lê Thị Hoa",
    ]
    assert w.devices.item(r, 3).text().count(":") == 2  # seen today: its time
    assert w.devices.item(_row(w, "Màn hình hội trường"), 2).text() == ""
    qtbot.wait(200)  # the layout settles after the texts change
    assert problems(w) == []  # the tab still fits the window at its real size
    button = w.devices.cellWidget(r, 4)
    assert isinstance(button, QPushButton) and button.text() == "Thu hồi"
    assert w.devices.rowHeight(r) >= button.sizeHint().height()  # the button shows whole

    # cancelling the confirmation changes nothing
    asked: list[str] = []

    def answer(ok: bool):  # type: ignore[no-untyped-def]
        def get_text(parent, title, label, *args, **kwargs):  # type: ignore[no-untyped-def]
            asked.append(label)
            return ("máy tính bảng bị mất", ok)

        return get_text

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer(False)))
    button.click()
    assert "Máy ghế 3" in asked[0] and "Lý do" in asked[0]
    assert bridge.run(lost.get("/api/me"))["delegate_id"] == delegate

    # confirmed with a reason: revoked, shown as such, the token refused
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer(True)))
    button.click()
    qtbot.waitUntil(lambda: "Đã thu hồi" in w.device_result.text(), timeout=15000)
    qtbot.waitUntil(
        lambda: w.devices.item(_row(w, "Máy ghế 3"), 3).text() == "Đã thu hồi", timeout=15000
    )
    assert w.devices.cellWidget(_row(w, "Máy ghế 3"), 4) is None
    with pytest.raises(HostError) as info:
        bridge.run(lost.get("/api/me"))
    assert info.value.status == 401
    assert bridge.run(kept.get("/api/me"))["role"] == "display"  # the other device unaffected
    listed = {d["name"]: d for d in bridge.run(console.devices())}
    assert listed["Máy ghế 3"]["revoked"] and listed["Máy ghế 3"]["last_seen"]
    bridge.run(lost.close())
    bridge.run(kept.close())
