"""The hall projector: session title, current item, speaker and timer, quorum, and the result of
the last vote once it is closed (never a running count of choices)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from meetingapp.client import HostClient
from ui.bridge import LOST, ONLINE, Bridge, Feed
from ui.strings import countdown, quorum_status, result_lines, t, timer_state
from ui.widgets import CaptionLine

# text sizes as a share of the screen's height: readable from the back of the hall on any
# projector, 720p to 4K
SIZES = {
    "head": 0.052,
    "body": 0.036,
    "caption": 0.04,
    "result": 0.044,
    "timer": 0.06,
    "lost": 0.04,
}


class PublicDisplay(QWidget):
    def __init__(self, bridge: Bridge, client: HostClient, session_id: str) -> None:
        super().__init__()
        self.setWindowTitle(t("ui.hall_display"))
        self.sid = session_id
        self.link = ONLINE
        self.feed = Feed(bridge, client, session_id)
        self.head = QLabel("")
        self.head.setObjectName("head")
        self.item = QLabel("")
        self.speaker = QLabel("")
        # what the speaker is saying, large, under the name (the last two lines of it)
        self.caption = CaptionLine(self.feed, lines=2)
        self.timer = QLabel("")
        self.quorum = QLabel("")
        self.timer.setObjectName("timer")
        self.result = QLabel("")
        self.result.setObjectName("result")
        self.lost = QLabel("")
        self.lost.setObjectName("lost")
        self.lost.setVisible(False)
        layout = QVBoxLayout(self)
        for w in (
            self.lost,
            self.head,
            self.item,
            self.speaker,
            self.caption,
            self.timer,
            self.quorum,
            self.result,
        ):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            w.setWordWrap(True)
            layout.addWidget(w)
            if w is self.quorum:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                layout.addWidget(line)
        self._speech: Any = None
        self._closed: Any = None  # the last closed motion shown
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start()
        self._restyle()
        self.feed.changed.connect(self.render)
        self.feed.connection.connect(self._link)
        self.feed.start()

    def show_on_screen(self, screen: Any = None) -> None:
        """Fullscreen on the given screen (the projector: the last one attached)."""
        screens = QGuiApplication.screens()
        screen = screen or (screens[-1] if screens else None)
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        self._restyle()

    def _restyle(self) -> None:
        h = max(self.height(), 480)
        px = {k: max(14, int(h * v)) for k, v in SIZES.items()}
        self.setStyleSheet(
            "QWidget { background: #0b2a4a; color: white; }"
            f"QLabel {{ font-size: {px['body']}px; }}"
            f"QLabel#head {{ font-size: {px['head']}px; font-weight: bold; color: #ffd54f; }}"
            f"QLabel#result {{ font-size: {px['result']}px; font-weight: bold; }}"
            f"QLabel#timer {{ font-size: {px['timer']}px; font-weight: bold; }}"
            'QLabel#timer[state="warn"] { color: #ffb74d; }'
            'QLabel#timer[state="over"] { color: #ff8a80; }'
            f"QLabel#lost {{ font-size: {px['lost']}px; font-weight: bold;"
            " background: #b3261e; color: white; padding: 12px; }"
            f"QLabel#caption {{ font-size: {px['caption']}px; color: #e8f1ff;"
            " background: #06182b; }"
        )
        self.caption.refit()  # the text's end that fits two lines at the new size
        self._show_result()  # two counts to a row only where they fit

    def _link(self, state: str) -> None:
        """A display that loses the host says so, and stops counting anything down."""
        self.link = state
        self.lost.setText(t("ui.the_host_is_unreachable_what_is_shown_ma"))
        self.lost.setVisible(state == LOST)
        if state == LOST:
            self.timer.setText("")
            if self.result.text():
                self.result.setText(t("ui.waiting_to_reconnect"))
        elif self.feed.world is not None:
            self.render(self.feed.world)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        self.feed.stop()
        super().closeEvent(event)

    def render(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        if rec is None or self.link == LOST:
            return
        body = world.bodies.get(rec.session.body_id)
        self.head.setText(f"{body.name if body else ''}\n{rec.session.title}")
        item = rec.items.get(rec.active_item) if rec.active_item else None
        self.item.setText(t("ui.item") + item.title if item else t("ui.text"))
        speech = rec.speeches.get(rec.current_speech) if rec.current_speech else None
        self._speech = speech
        if speech:
            d = world.delegates.get(speech.delegate_id)
            name = d.full_name if d else speech.delegate_id
            self.speaker.setText(t("ui.speaking_2") + name)
        else:
            self.speaker.setText("")
        self._update_timer()
        present, base, need = quorum_status(world, self.sid)
        self.quorum.setText(
            t("ui.present_x_of_x_needs_x", present=present, elected=base, need=need)
        )
        closed = [m for m in rec.motions.values() if m.result is not None]
        self._closed = None
        if rec.open_motion:
            self.result.setText(t("ui.voting") + rec.motions[rec.open_motion].title)
        elif closed:
            self._closed = closed[-1]
            self._show_result()
        else:
            self.result.setText("")

    def _show_result(self) -> None:
        """The last vote's counts, two to a row where two fit the screen's width, else one: an
        item ("Không biểu quyết: 0/12 (0,00%)") is never broken between label and figure."""
        m = self._closed
        if m is None or self.link == LOST:
            return
        self.result.ensurePolished()
        width = self.result.contentsRect().width() or self.width()
        for per_line in (2, 1):
            counts, verdict = result_lines(m, "   ", per_line=per_line)
            widest = max(self.result.fontMetrics().horizontalAdvance(r) for r in counts.split("\n"))
            if widest <= width:
                break
        self.result.setText(f"{m.title}\n{counts}\n{verdict}")

    def _update_timer(self) -> None:
        if self.link == LOST:
            return  # a dead host's speech is not counted down
        self.timer.setText(countdown(self._speech))
        self.timer.setProperty("state", timer_state(self._speech))
        self.timer.style().unpolish(self.timer)
        self.timer.style().polish(self.timer)
