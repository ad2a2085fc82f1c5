"""Live captions on the hall display, a delegate's tablet and the clerk's window (against the
real host: real speeches granted and ended, the windows connected by their own clients), and
the words the speech model was unsure of marked in the clerk's transcript table."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QStyleOptionViewItem

from meetingapp.domain import ReviewWord, TranscriptSegment
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, pair_tablet
from ui.bridge import Bridge
from ui.clerk import MARKED, ClerkWindow, marked_html
from ui.delegate import DelegateTablet
from ui.display import PublicDisplay
from ui.layout_check import problems
from ui.strings import set_language
from ui.widgets import STYLE

LAPTOP, TABLET = QSize(1366, 700), QSize(1280, 800)
LONG = (
    "Kính thưa chủ tọa kỳ họp, thưa các vị đại biểu, tôi xin phát biểu ý kiến về tờ trình "
    "điều chỉnh chỉ tiêu phát triển kinh tế xã hội năm hai nghìn không trăm hai mươi bảy và "
    "các giải pháp chủ yếu, trong đó có việc sáp nhập thôn, tổ dân phố, đầu tư công trung hạn "
    "giai đoạn hai nghìn không trăm hai mươi sáu đến hai nghìn không trăm ba mươi, và cuối cùng "
    "là đề nghị tăng cường giám sát việc thực hiện nghị quyết"
)


@pytest.fixture
def bridge(bridge: Bridge, qapp) -> Iterator[Bridge]:  # type: ignore[no-untyped-def]
    """The shared bridge (tests/conftest.py), with the app's own style sheet: sizes as shipped."""
    qapp.setStyleSheet(STYLE)
    yield bridge


def caption(speech: str, text: str, *, final: bool = False) -> dict[str, Any]:
    """What the host sends (meetingapp/server/captions.py and host.py)."""
    msg: dict[str, Any] = {"type": "caption", "speech_id": speech, "text": text, "final": final}
    if not final:
        msg["upto"] = 6.0
    return msg


@pytest.mark.slow
def test_captions_follow_the_speech_on_every_screen(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, present=9, tablets=2))
    (_, speaker), (listener_id, listener) = list(mt.tablets.items())
    clerk_client = bridge.run(pair_tablet(host, mt.console, None, role="clerk", name="vp"))
    display_client = bridge.run(pair_tablet(host, mt.console, None, role="display", name="tv"))
    tablet = DelegateTablet(bridge, listener, mt.session, listener_id, tmp_path / "tablet")
    clerk = ClerkWindow(bridge, clerk_client, mt.session, tmp_path / "clerk")
    display = PublicDisplay(bridge, display_client, mt.session)
    windows = {display: QSize(1280, 720), tablet: TABLET, clerk: LAPTOP}
    for w, size in windows.items():
        qtbot.addWidget(w)
        w.resize(size)
        w.show()
    qtbot.waitUntil(lambda: all(w.feed.world is not None for w in windows), timeout=15000)

    def speak(client: Any) -> str:
        request = bridge.run(client.request_floor(mt.session))
        return bridge.run(mt.console.grant_floor(mt.session, request))

    def deliver(msg: dict[str, Any]) -> None:
        """Each window's feed gets the message on its network thread, as from the host."""
        for w in windows:
            bridge.loop.call_soon_threadsafe(w.feed._on_message, dict(msg))

    first = speak(speaker)
    qtbot.waitUntil(lambda: all(w.caption._current == first for w in windows), timeout=10000)
    assert all(not w.caption.isVisible() and w.caption.text() == "" for w in windows)

    deliver(caption(first, "Kính thưa chủ tọa kỳ họp"))
    qtbot.waitUntil(
        lambda: all(w.caption.text() == "Kính thưa chủ tọa kỳ họp" for w in windows), timeout=5000
    )
    assert all(w.caption.isVisible() for w in windows)
    deliver(caption(first, ""))  # a silent moment: the last words stay
    qtbot.wait(300)
    assert all(w.caption.text() == "Kính thưa chủ tọa kỳ họp" for w in windows)

    # a long caption: the end of it, on two lines at most, and every window still fits
    deliver(caption(first, LONG))
    qtbot.waitUntil(lambda: all(w.caption.full == LONG for w in windows), timeout=5000)
    qtbot.wait(150)
    for w, size in windows.items():
        line = w.caption
        assert line.text().startswith("… ") and line.text().endswith(
            "giám sát việc thực hiện nghị quyết"
        )
        frame = line.height() - line.contentsRect().height()
        lines = (line.heightForWidth(line.width()) - frame) / line.fontMetrics().lineSpacing()
        assert lines <= 2.2, (type(w).__name__, lines)
        touch = 48 if w is tablet else 0
        assert problems(w, touch=touch, min_font_px=16 if w is tablet else 0) == [], size
    big = display.caption.fontInfo().pixelSize()
    assert big > tablet.caption.fontInfo().pixelSize() and big >= 720 * 0.04 - 1  # large in hall

    # the final transcript replaces the partial captions
    bridge.run(mt.console.end_speech(mt.session, first))
    final = "Kính thưa chủ tọa kỳ họp, tôi xin phát biểu ý kiến."
    deliver(caption(first, final, final=True))
    qtbot.waitUntil(lambda: all(w.caption.text() == final for w in windows), timeout=5000)
    assert all(w.caption.final for w in windows)

    # the next speech clears it at once; a late text of the first one is not shown under it
    second = speak(listener)
    qtbot.waitUntil(lambda: all(w.caption.text() == "" for w in windows), timeout=10000)
    assert all(not w.caption.isVisible() for w in windows)
    deliver(caption(first, "lời cũ của lượt trước", final=True))
    qtbot.wait(300)
    assert all(w.caption.text() == "" for w in windows)
    deliver(caption(second, "Tôi đồng ý với tờ trình"))
    qtbot.waitUntil(
        lambda: all(w.caption.text() == "Tôi đồng ý với tờ trình" for w in windows), timeout=5000
    )

    # a final text is shown a while, then goes
    bridge.run(mt.console.end_speech(mt.session, second))
    for w in windows:
        w.caption._expire.setInterval(400)
    deliver(caption(second, "Tôi đồng ý với tờ trình.", final=True))
    qtbot.waitUntil(
        lambda: all(w.caption.text() == "Tôi đồng ý với tờ trình." for w in windows), timeout=5000
    )
    qtbot.waitUntil(lambda: all(not w.caption.isVisible() for w in windows), timeout=5000)
    assert all(w.caption.text() == "" for w in windows)

    for w in windows:
        w.feed.stop()
    for c in (listener, clerk_client, display_client):
        bridge.run(c.close())
    bridge.run(mt.close())


def test_unsure_words_are_marked_in_html() -> None:
    review = (ReviewWord(" trình", 6.1, 6.4, 0.31), ReviewWord("vắng", 9.0, 9.2, 0.2))
    html = marked_html("tôi xin trình bày tờ trình <số 5>", review)
    assert html.count("background-color: #fff176") == 1  # "vắng" is not in the text: skipped
    assert 'underline;">trình</span> bày tờ trình &lt;số 5&gt;' in html
    assert html.startswith("tôi xin <span")
    assert marked_html("bày trình", ()) == "bày trình"


@pytest.mark.slow
def test_the_clerk_sees_the_unsure_words_and_not_in_a_correction(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    """The table as the clerk's window draws a speech whose transcript (a ``transcript_ready``
    with review words, here put into the window's copy of the world) has a corrected segment."""
    mt = bridge.run(api_meeting(host, present=9, tablets=1))
    speaker = next(iter(mt.tablets.values()))
    clerk_client = bridge.run(pair_tablet(host, mt.console, None, role="clerk", name="vp"))
    request = bridge.run(speaker.request_floor(mt.session))
    speech = bridge.run(mt.console.grant_floor(mt.session, request))
    bridge.run(mt.console.end_speech(mt.session, speech))
    clerk = ClerkWindow(bridge, clerk_client, mt.session, tmp_path / "clerk")
    qtbot.addWidget(clerk)
    clerk.resize(LAPTOP)
    clerk.show()
    qtbot.waitUntil(lambda: clerk.speeches.count() == 1, timeout=10000)
    clerk.feed.stop()  # the copy below stays as drawn

    unsure = (ReviewWord(" ngân", 7.0, 7.3, 0.28), ReviewWord(" sách", 7.3, 7.6, 0.41))
    world = copy.deepcopy(clerk.feed.world)
    rec = world.sessions[mt.session]
    rec.speeches[speech] = replace(
        rec.speeches[speech],
        segments=(
            TranscriptSegment(0.5, 4.0, "Kính thưa chủ tọa kỳ họp"),
            TranscriptSegment(4.5, 9.0, "tôi xin trình bày về ngân sách năm sau", review=unsure),
            TranscriptSegment(
                9.5,
                12.0,
                "đề nghị tăng cường dám sát",
                edited="đề nghị tăng cường giám sát",
                edited_by="Thư ký",
                review=(ReviewWord(" dám", 11.0, 11.3, 0.3),),
            ),
        ),
    )
    clerk.feed.changed.emit(world)
    clerk.speeches.setCurrentRow(0)
    qtbot.waitUntil(lambda: clerk.segments.rowCount() == 3, timeout=5000)

    plain, marked, edited = (clerk.segments.item(i, 1) for i in range(3))
    assert plain.data(MARKED) is None and plain.toolTip() == ""
    source, html = marked.data(MARKED)
    assert source == marked.text() == "tôi xin trình bày về ngân sách năm sau"
    assert html.count("background-color: #fff176") == 2 and ">ngân</span>" in html
    assert marked.toolTip() == "Độ tin cậy thấp: cần nghe lại (ngân, sách)"
    assert edited.data(MARKED) is None and edited.text() == "đề nghị tăng cường giám sát"
    assert "Sửa bởi Thư ký" in edited.toolTip()
    # the marked row is drawn from the HTML, and is as tall as the text needs
    index = clerk.segments.model().index(1, 1)
    option = QStyleOptionViewItem()
    option.rect = clerk.segments.visualRect(index)
    option.font = clerk.segments.font()
    doc = clerk.segments.itemDelegateForColumn(1)._doc(option, index)
    assert doc is not None and doc.toPlainText() == marked.text()
    assert clerk.segments.rowHeight(1) >= doc.size().height() - 2
    assert problems(clerk) == []
    set_language("en")
    clerk._fill_segments()
    assert clerk.segments.item(1, 1).toolTip() == "Low confidence: listen again (ngân, sách)"
    set_language("vi")
    bridge.run(clerk_client.close())
    bridge.run(speaker.close())
    bridge.run(mt.close())
