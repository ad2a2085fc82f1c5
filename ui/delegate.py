"""The delegate's tablet: check in, agenda, documents that follow the presenter (with private
notes), the floor, and voting with a receipt."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from meetingapp import actions as A
from meetingapp.client import HostClient
from meetingapp.domain import AttendanceMethod, Choice
from ui.bridge import LOST, Bridge, Feed, describe
from ui.camera import FaceCheckin
from ui.recorder import LIVE, NO_MIC, NOT_SENT, SILENT_MIC, WAITING, SpeechRecorder
from ui.strings import choice_label, countdown, result_lines, t, timer_state
from ui.widgets import TABLET_STYLE, CaptionLine, PdfView, RoleWindow, WrapLabel, restyle


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold;")
    return label


RECORDER_LOOK = {  # the colour of each state of the recording (texts: ui.recorder.*)
    WAITING: "warning",
    LIVE: "receipt_ok",
    NO_MIC: "error",
    SILENT_MIC: "error",
    NOT_SENT: "warning",
}


class DelegateTablet(RoleWindow):
    """Laid out for a 10-inch tablet held either way: 1280×800 (landscape: lists | document |
    floor and vote) or 800×1280 (portrait: the document on top, lists and actions below).
    Text of 17 px and targets of 52 px; agenda titles wrap."""

    def __init__(
        self,
        bridge: Bridge,
        client: HostClient,
        session_id: str,
        delegate_id: str,
        cache_dir: Path,
    ) -> None:
        super().__init__(bridge, t("ui.delegate_tablet_2"))
        self.setStyleSheet(TABLET_STYLE)
        self.client, self.sid, self.me = client, session_id, delegate_id
        self.cache_dir = cache_dir
        self.feed = Feed(self.bridge, client, session_id)
        self.doc_shown: str | None = None
        self._loading: str | None = None
        self.my_request: str | None = None
        self.command_ids: dict[tuple[str, str], str] = {}  # (motion, choice) -> command id
        self.receipts: dict[str, str] = {}  # motion -> receipt text
        self.sending: set[str] = set()  # motions whose ballot is on its way
        self._portrait: bool | None = None

        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#banner { background: #b3261e; color: white; font-weight: bold;"
            " font-size: 18px; padding: 8px; }"
        )
        self.banner.setVisible(False)
        self.who = WrapLabel("")
        self.who.setObjectName("title")
        self.who.setWordWrap(True)
        self.presence = QLabel("")
        self.pin = QLineEdit()
        self.pin.setPlaceholderText(t("ui.pin"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaximumWidth(180)
        self.check_in = QPushButton(t("ui.check_in"))
        self.check_in.clicked.connect(self._check_in)
        self.face = FaceCheckin(self.bridge, client, session_id, delegate_id, compact=True)
        self.check_error = WrapLabel("")
        self.check_error.setObjectName("error")
        self.check_error.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(self.presence)
        top.addWidget(self.pin)
        top.addWidget(self.check_in)
        top.addWidget(self.face)

        self.agenda = QListWidget()
        self.documents = QListWidget()
        for lst in (self.agenda, self.documents):
            lst.setWordWrap(True)
            lst.setTextElideMode(Qt.TextElideMode.ElideNone)
            lst.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
            lst.setResizeMode(QListWidget.ResizeMode.Adjust)
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            lst.setStyleSheet("QListWidget::item { padding: 10px 4px; }")
        self.documents.itemClicked.connect(self._open_clicked)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(_heading(t("ui.agenda")))
        side.addWidget(self.agenda, 3)
        side.addWidget(_heading(t("ui.documents")))
        side.addWidget(self.documents, 2)
        self.side = QWidget()
        self.side.setLayout(side)

        self.viewer = PdfView(self.bridge, follow_option=True)
        self.viewer.follow.toggled.connect(self._follow_again)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(t("ui.private_notes"))
        self.notes.setMaximumHeight(96)
        self._save_notes = QTimer(self, singleShot=True, interval=800)
        self._save_notes.timeout.connect(self._write_notes)
        self.notes.textChanged.connect(self._save_notes.start)
        centre = QVBoxLayout()
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addWidget(self.viewer, 1)
        self.caption = CaptionLine(self.feed, lines=2)  # what the speaker is saying
        centre.addWidget(self.caption)
        centre.addWidget(self.notes)
        self.centre = QWidget()
        self.centre.setLayout(centre)

        floor = QGroupBox(t("ui.the_floor"))
        self.ask = QPushButton(t("ui.request_the_floor"))
        self.withdraw = QPushButton(t("ui.withdraw"))
        self.queue_pos = WrapLabel("")
        self.queue_pos.setWordWrap(True)
        self.ask.clicked.connect(self._ask)
        self.withdraw.clicked.connect(self._withdraw)
        self.rec_label = WrapLabel("")
        self.rec_label.setWordWrap(True)
        self.meter = QProgressBar()
        self.meter.setRange(-60, 0)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(14)
        self.meter.setVisible(False)
        self.recorder = SpeechRecorder(self.bridge, client, session_id, cache_dir / "recordings")
        self.recorder.level.connect(lambda db: self.meter.setValue(int(max(-60.0, db))))
        self.recorder.recording.connect(self._recording)
        self.recorder.health.connect(self._recorder_health)
        self.recorder.failed.connect(self.fail)
        self.floor_error = WrapLabel("")
        self.floor_error.setObjectName("error")
        self.floor_error.setWordWrap(True)
        fl = QVBoxLayout(floor)
        for w in (
            self.ask,
            self.withdraw,
            self.queue_pos,
            self.rec_label,
            self.meter,
            self.floor_error,
        ):
            fl.addWidget(w)

        vote = QGroupBox(t("ui.vote"))
        self.motion_title = WrapLabel(t("ui.no_vote_open"))
        self.motion_title.setWordWrap(True)
        self.motion_title.setObjectName("title")
        self.vote_buttons: dict[str, QPushButton] = {}
        vl = QVBoxLayout(vote)
        vl.addWidget(self.motion_title)
        for choice in ("yes", "no", "abstain"):
            b = QPushButton(choice_label(choice))
            b.setObjectName(f"vote_{choice}")
            b.setMinimumHeight(60)
            b.clicked.connect(lambda _=False, c=choice: self._vote(c))
            self.vote_buttons[choice] = b
            vl.addWidget(b)
        self.receipt = WrapLabel("")
        self.receipt.setObjectName("receipt")
        self.receipt.setWordWrap(True)
        vl.addWidget(self.receipt)
        acts = QVBoxLayout()
        acts.setContentsMargins(0, 0, 0, 0)
        acts.addWidget(floor)
        acts.addWidget(vote)
        acts.addStretch()
        self.actions_panel = QWidget()
        self.actions_panel.setLayout(acts)

        self.body = QGridLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        page = QVBoxLayout()
        page.addWidget(self.banner)
        page.addLayout(top)
        page.addWidget(self.check_error)
        page.addLayout(self.body, 1)
        root = QWidget()
        root.setLayout(page)
        self.setCentralWidget(root)
        self._arrange(portrait=False)
        # turned to portrait, the window must be allowed to narrow before it re-lays itself out
        self.setMinimumSize(640, 640)
        self.resize(1280, 800)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._show_my_time)
        self._tick.start()
        self.feed.changed.connect(self.render)
        self.feed.connection.connect(self._link)
        self.feed.start()

    # --- layout for the way the tablet is held ----------------------------------------------

    def _arrange(self, *, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for w in (self.side, self.centre, self.actions_panel):
            self.body.removeWidget(w)
        for i in range(3):
            self.body.setColumnStretch(i, 0)
            self.body.setRowStretch(i, 0)
        if portrait:  # the document on top, the lists and the actions side by side below
            self.body.addWidget(self.centre, 0, 0, 1, 2)
            self.body.addWidget(self.side, 1, 0)
            self.body.addWidget(self.actions_panel, 1, 1)
            self.body.setRowStretch(0, 1)
            self.body.setColumnStretch(0, 1)
            self.body.setColumnStretch(1, 1)
            self.side.setMaximumWidth(16777215)
            self.actions_panel.setFixedWidth(400)
        else:
            self.body.addWidget(self.side, 0, 0)
            self.body.addWidget(self.centre, 0, 1)
            self.body.addWidget(self.actions_panel, 0, 2)
            self.body.setColumnStretch(1, 1)
            self.side.setMaximumWidth(280)
            self.actions_panel.setFixedWidth(330)
        self.side.setMinimumWidth(220)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        self._arrange(portrait=self.height() > self.width())
        super().resizeEvent(event)

    # --- showing the session ----------------------------------------------------------------

    def _link(self, state: str) -> None:
        self.link_changed(state)
        if state == LOST:
            self.banner.setText(t("ui.lost_the_host_what_you_see_may_be_out_of"))
        self.banner.setVisible(state == LOST)
        if self.feed.world is not None:
            self.render(self.feed.world)

    def _snapshot(self, rec: Any) -> A.Snapshot:
        return A.snapshot(self.feed.world, rec, me=self.me, online=self.feed.link != LOST)

    def render(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        if rec is None:
            return
        snap = self._snapshot(rec)
        ok = A.allowed("delegate", snap)
        me = world.delegates.get(self.me)
        self.who.setText(me.full_name if me else self.me)
        present = snap.present
        self.presence.setText(t("ui.checked_in") if present else "")
        for w in (self.pin, self.check_in, self.face):
            w.setVisible(not present)
        self.check_in.setEnabled(A.CHECK_IN in ok)
        self.face.start_btn.setEnabled(A.CHECK_IN in ok and bool(self.face.devices))
        if present:
            self.check_error.setText("")
        self.agenda.clear()
        for item in sorted(rec.items.values(), key=lambda i: i.order):
            mark = "▶ " if item.id == rec.active_item else ""
            self.agenda.addItem(f"{mark}{item.order}. {item.title}")
        self.documents.clear()
        self._docs = list(rec.documents.values())
        for doc in self._docs:
            self.documents.addItem(f"{doc.number_symbol} {doc.title}".strip())
        if rec.presenter is not None and self.viewer.follow.isChecked():
            self._show_document(rec.documents[rec.presenter.document_id], rec.presenter.page)
        self._render_floor(rec, ok)
        self._render_vote(rec, ok)

    def _render_floor(self, rec: Any, ok: frozenset[str]) -> None:
        waiting = [r.id for r in rec.floor_queue()]
        mine = [r for r in rec.floor_queue() if r.delegate_id == self.me]
        speaking = rec.current_speech and rec.speeches[rec.current_speech].delegate_id == self.me
        self.my_request = mine[0].id if mine else None
        if not speaking:
            self._my_speech = None
        if speaking:
            self._my_speech = rec.speeches[rec.current_speech]
            self._show_my_time()
        elif mine:
            pos = waiting.index(mine[0].id) + 1
            self.queue_pos.setText(t("ui.your_place_x", pos=pos))
        else:
            self.queue_pos.setText("")
        self.ask.setEnabled(A.REQUEST_FLOOR in ok)
        self.withdraw.setEnabled(A.WITHDRAW in ok)
        # one button in one place: "withdraw" takes the place of "ask" while waiting
        self.ask.setVisible(not mine)
        self.withdraw.setVisible(bool(mine))
        if speaking:  # the floor is ours: the tablet records and streams the speech
            self.recorder.start(rec.current_speech)
        else:
            self.recorder.stop()

    def _show_my_time(self) -> None:
        """The speaker sees the time left: amber in the last minute, red once it is up."""
        speech = getattr(self, "_my_speech", None)
        if speech is None:
            return
        left = countdown(speech)
        self.queue_pos.setText(t("ui.you_have_the_floor") + (f"  {left}" if left else ""))
        state = timer_state(speech)
        colour = {"warn": "#8a5a00", "over": "#b3261e"}.get(state, "")
        self.queue_pos.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")

    def _recording(self, on: bool) -> None:
        if not on:
            self.rec_label.setText("")
            self.meter.setVisible(False)

    def _recorder_health(self, state: str) -> None:
        """Only sound that arrives and reaches the host is called "recording"."""
        if not state:
            self.rec_label.setText("")
            self.meter.setVisible(False)
            return
        look = RECORDER_LOOK[state]
        self.rec_label.setText(t(f"ui.recorder.{state}"))
        color = {"error": "#b3261e", "warning": "#8a5a00", "receipt_ok": "#1b7f3b"}[look]
        self.rec_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.meter.setVisible(state == LIVE)

    def _render_vote(self, rec: Any, ok: frozenset[str]) -> None:
        motion = rec.motions.get(rec.open_motion) if rec.open_motion else None
        can = A.VOTE in ok
        for b in self.vote_buttons.values():
            b.setEnabled(can)
        if motion is None:
            last = [m for m in rec.motions.values() if m.result is not None]
            if last:  # the same figures as the console, the hall and the minutes
                counts, verdict = result_lines(last[-1], "\n")
                closed = t("ui.closed") + last[-1].title
                self.motion_title.setText(f"{closed}\n{counts}\n{verdict}")
            else:
                self.motion_title.setText(t("ui.no_vote_open"))
            if not self.sending:
                self._receipt("", "")
            return
        self.motion_title.setText(motion.title)
        if motion.form.value == "show_of_hands":
            self._receipt(
                t("ui.vote_by_show_of_hands_in_the_hall"),
                "pending",
            )
        elif motion.id in self.sending:
            pass  # "Sending…" stays until the host answers
        elif motion.id in self.receipts:
            self._receipt(self.receipts[motion.id], "sent")
        elif self.me in motion.participants:
            # the host has our ballot (the reply may have been lost with the connection)
            self._receipt(t("ui.your_ballot_is_recorded"), "sent")
        elif self.receipt.property("state") == "failed":
            pass
        else:
            self._receipt("", "")

    def _receipt(self, text: str, state: str) -> None:
        self.receipt.setText(text)
        restyle(self.receipt, state=state)

    def _show_document(self, doc: Any, page: int = 1) -> None:
        if self.doc_shown == doc.id:
            self.viewer.presenter_moved(page)
            return
        if self._loading == doc.id:
            return  # already downloading it

        def downloaded(path: Path) -> None:
            self._loading = None
            self.doc_shown = doc.id
            rec = self.feed.record()  # the presenter may have moved on meanwhile
            now = (
                rec.presenter.page
                if rec
                and rec.presenter
                and self.viewer.follow.isChecked()
                and rec.presenter.document_id == doc.id
                else page
            )
            self.viewer.open(path, now)
            self._load_notes()

        def failed(exc: BaseException) -> None:
            self._loading = None
            self.fail(exc)

        self._loading = doc.id
        self.ok()
        self.bridge.call(
            self.client.download_document(doc.file_hash, self.cache_dir), downloaded, failed
        )

    def _follow_again(self, on: bool) -> None:
        if on and self.feed.world is not None:
            self.render(self.feed.world)  # back to the presenter's page now

    def _open_clicked(self) -> None:
        row = self.documents.currentRow()
        if 0 <= row < len(self._docs):
            self.viewer.follow.setChecked(False)
            self._show_document(self._docs[row])

    # --- notes, kept on the tablet only -------------------------------------------------------

    def _notes_path(self) -> Path:
        return self.cache_dir / "notes" / f"{self.sid}-{self.doc_shown}.txt"

    def _load_notes(self) -> None:
        path = self._notes_path()
        self.notes.blockSignals(True)
        self.notes.setPlainText(path.read_text(encoding="utf-8") if path.exists() else "")
        self.notes.blockSignals(False)

    def _write_notes(self) -> None:
        if self.doc_shown is None:
            return
        from meetingapp.atomic import atomic_write

        path = self._notes_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, self.notes.toPlainText().encode("utf-8"))

    # --- commands ---------------------------------------------------------------------------

    def _check_in(self) -> None:
        pin = self.pin.text().strip()
        self.pin.clear()
        if not pin:
            self.fail(t("ui.enter_your_pin"), self.check_error)
            return
        self.act(
            self.client.check_in(self.sid, method=AttendanceMethod.PIN, pin=pin),
            near=self.check_error,
        )

    def _ask(self) -> None:
        self.act(self.client.request_floor(self.sid), near=self.floor_error)

    def _withdraw(self) -> None:
        if self.my_request:
            self.act(self.client.withdraw_floor(self.sid, self.my_request), near=self.floor_error)

    def _vote(self, choice: str) -> None:
        rec = self.feed.record()
        if rec is None or rec.open_motion is None:
            return
        motion = rec.open_motion
        # one command id per (motion, choice): a retry after a dropped link is the same ballot
        command_id = self.command_ids.setdefault((motion, choice), uuid.uuid4().hex)
        self.sending.add(motion)
        self._receipt(t("ui.sending"), "pending")

        def received(receipt: dict[str, Any]) -> None:
            self.sending.discard(motion)
            text = t(
                "ui.recorded_x_receipt_x",
                choice_label=choice_label(choice),
                receipt=receipt["receipt"],
            )
            self.receipts[motion] = text
            self._receipt(text, "sent")

        def failed(exc: BaseException) -> None:
            self.sending.discard(motion)
            if isinstance(exc, asyncio.CancelledError | concurrent.futures.CancelledError):
                self._receipt(t("ui.ballot_not_sent"), "failed")
                return
            self._receipt(
                t("ui.not_recorded") + describe(exc) + t("ui.press_again"),
                "failed",
            )

        self.bridge.call(
            self.client.cast_ballot(self.sid, motion, Choice(choice), command_id),
            received,
            failed,
        )

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        self.recorder.stop()
        self.face.stop_camera()
        super().closeEvent(event)
