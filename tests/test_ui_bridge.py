"""The app's worker bridge: each window's calls are its own. Cancel in one window stops that
window's commands only (never a ballot another window is sending), and errors are said in the
user's language, never as raw exception text."""

from __future__ import annotations

import asyncio

import httpx

from meetingapp.client import HostError
from ui.bridge import Bridge, describe
from ui.strings import set_language
from ui.widgets import RoleWindow


def test_cancel_in_one_window_leaves_the_others_alone(qtbot, bridge: Bridge) -> None:  # type: ignore[no-untyped-def]
    console = RoleWindow(bridge, "console")
    tablet = RoleWindow(bridge, "tablet")
    qtbot.addWidget(console)
    qtbot.addWidget(tablet)
    done: list[str] = []

    async def slow(name: str) -> str:
        await asyncio.sleep(0.8)
        return name

    tablet.act(slow("ballot"), done.append)
    console.act(slow("roster"), done.append)
    assert not tablet.cancel.isHidden() and not console.cancel.isHidden()
    console.cancel.click()  # the secretary gives up waiting for the roster import
    qtbot.waitUntil(lambda: console.bridge.busy == 0, timeout=3000)
    assert console.status.text() == "Đã hủy" and console.cancel.isHidden()
    assert tablet.bridge.busy == 1 and not tablet.cancel.isHidden()  # the ballot still goes
    qtbot.waitUntil(lambda: done == ["ballot"], timeout=3000)
    qtbot.wait(300)
    assert done == ["ballot"]  # the cancelled one never reported
    assert tablet.status.text() == "" and tablet.activity.text() == ""


def test_background_work_survives_cancel_and_ends_with_the_window(qtbot, bridge: Bridge) -> None:  # type: ignore[no-untyped-def]
    window = RoleWindow(bridge, "tablet")
    qtbot.addWidget(window)
    got: list[str] = []

    async def chunk() -> str:
        await asyncio.sleep(0.3)
        return "sent"

    window.bridge.call(chunk(), got.append, background=True)
    assert window.cancel.isHidden()  # background work is not "in progress" for the user
    window.bridge.cancel()
    qtbot.waitUntil(lambda: got == ["sent"], timeout=3000)

    never = asyncio.Event()
    stopped: list[BaseException] = []
    window.bridge.call(never.wait(), got.append, stopped.append, background=True)
    window.close()  # closing the window stops everything it started
    qtbot.wait(300)
    assert got == ["sent"] and stopped == []


def test_errors_are_said_in_the_users_language(qapp) -> None:  # type: ignore[no-untyped-def]
    set_language("vi")
    lost = describe(httpx.ConnectError("All connection attempts failed"))
    assert "Mất kết nối" in lost and "ConnectError" not in lost and "attempts" not in lost
    assert "Mất kết nối" in describe(OSError("network unreachable"))
    odd = describe(ValueError("no %PDF- header"))
    assert "%PDF" not in odd and "ValueError" not in odd and "không mong muốn" in odd
    assert describe(HostError(409, "x", "Không thể mở biểu quyết")) == "Không thể mở biểu quyết"
    set_language("en")
    assert "Lost the connection" in describe(httpx.ConnectError("boom"))
    set_language("vi")
