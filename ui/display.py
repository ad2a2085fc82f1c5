"""The hall projector: session title, current item, speaker and timer, quorum, and the result of
the last vote once it is closed (never a running count of choices)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from meetingapp.client import HostClient
from ui.bridge import Bridge, Feed
from ui.strings import L, countdown, quorum_status, result_lines


class PublicDisplay(QWidget):
    def __init__(self, bridge: Bridge, client: HostClient, session_id: str) -> None:
        super().__init__()
        self.setWindowTitle(L("Màn hình hội trường", "Hall display"))
        self.setStyleSheet(
            "QWidget { background: #0b2a4a; color: white; } QLabel { font-size: 26px; }"
            "QLabel#head { font-size: 38px; font-weight: bold; color: #ffd54f; }"
            "QLabel#result { font-size: 32px; font-weight: bold; }"
        )
        self.sid = session_id
        self.feed = Feed(bridge, client, session_id)
        self.head = QLabel("")
        self.head.setObjectName("head")
        self.item = QLabel("")
        self.speaker = QLabel("")
        self.timer = QLabel("")
        self.quorum = QLabel("")
        self.result = QLabel("")
        self.result.setObjectName("result")
        layout = QVBoxLayout(self)
        for w in (self.head, self.item, self.speaker, self.timer, self.quorum, self.result):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            w.setWordWrap(True)
            layout.addWidget(w)
            if w is self.quorum:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                layout.addWidget(line)
        self._speech: Any = None
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start()
        self.resize(1280, 720)
        self.feed.changed.connect(self.render)
        self.feed.start()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        self.feed.stop()
        super().closeEvent(event)

    def render(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        if rec is None:
            return
        body = world.bodies.get(rec.session.body_id)
        self.head.setText(f"{body.name if body else ''}\n{rec.session.title}")
        item = rec.items.get(rec.active_item) if rec.active_item else None
        self.item.setText(
            L("Nội dung: ", "Item: ") + item.title if item else L("Giữa các nội dung", "—")
        )
        speech = rec.speeches.get(rec.current_speech) if rec.current_speech else None
        self._speech = speech
        if speech:
            d = world.delegates.get(speech.delegate_id)
            name = d.full_name if d else speech.delegate_id
            self.speaker.setText(L("Đang phát biểu: ", "Speaking: ") + name)
        else:
            self.speaker.setText("")
        self._update_timer()
        present, base, need = quorum_status(world, self.sid)
        self.quorum.setText(
            L(
                f"Có mặt {present}/{base} đại biểu (cần {need})",
                f"Present: {present} of {base} (quorum {need})",
            )
        )
        closed = [m for m in rec.motions.values() if m.result is not None]
        if rec.open_motion:
            self.result.setText(
                L("Đang biểu quyết: ", "Voting: ") + rec.motions[rec.open_motion].title
            )
        elif closed:
            m = closed[-1]
            counts, verdict = result_lines(m, "   ")
            self.result.setText(f"{m.title}\n{counts}\n{verdict}")
        else:
            self.result.setText("")

    def _update_timer(self) -> None:
        self.timer.setText(countdown(self._speech))
