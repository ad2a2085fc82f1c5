"""The delegate's tablet: check in, agenda, documents that follow the presenter (with private
notes), the floor, and voting with a receipt."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from meetingapp.client import HostClient
from meetingapp.domain import AttendanceMethod, Choice
from ui.bridge import Bridge, Feed
from ui.camera import FaceCheckin
from ui.recorder import SpeechRecorder
from ui.strings import L, choice_label, result_lines
from ui.widgets import PdfView, RoleWindow


class DelegateTablet(RoleWindow):
    def __init__(
        self,
        bridge: Bridge,
        client: HostClient,
        session_id: str,
        delegate_id: str,
        cache_dir: Path,
    ) -> None:
        super().__init__(bridge, L("Máy tính bảng đại biểu", "Delegate tablet"))
        self.client, self.sid, self.me = client, session_id, delegate_id
        self.cache_dir = cache_dir
        self.feed = Feed(bridge, client, session_id)
        self.doc_shown: str | None = None
        self._loading: str | None = None
        self.my_request: str | None = None
        self.command_ids: dict[tuple[str, str], str] = {}  # (motion, choice) -> command id
        self.receipts: dict[str, str] = {}  # motion -> receipt text

        self.who = QLabel("")
        self.who.setObjectName("title")
        self.presence = QLabel("")
        self.pin = QLineEdit()
        self.pin.setPlaceholderText(L("Mã PIN", "PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.check_in = QPushButton(L("Điểm danh", "Check in"))
        self.check_in.clicked.connect(self._check_in)
        self.face = FaceCheckin(bridge, client, session_id, delegate_id)
        self.face.setMaximumHeight(260)
        top = QHBoxLayout()
        for w in (self.who, self.presence):
            top.addWidget(w)
        top.addStretch()
        top.addWidget(self.face)
        top.addWidget(self.pin)
        top.addWidget(self.check_in)

        self.agenda = QListWidget()
        self.documents = QListWidget()
        self.documents.itemClicked.connect(self._open_clicked)
        left = QVBoxLayout()
        left.addWidget(QLabel(L("Chương trình", "Agenda")))
        left.addWidget(self.agenda)
        left.addWidget(QLabel(L("Tài liệu", "Documents")))
        left.addWidget(self.documents)
        left_w = QWidget()
        left_w.setLayout(left)

        self.viewer = PdfView(bridge, follow_option=True)
        self.viewer.follow.toggled.connect(self._follow_again)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(L("Ghi chú riêng (chỉ trên máy này)", "Private notes"))
        self.notes.setMaximumHeight(110)
        self._save_notes = QTimer(self, singleShot=True, interval=800)
        self._save_notes.timeout.connect(self._write_notes)
        self.notes.textChanged.connect(self._save_notes.start)
        centre = QVBoxLayout()
        centre.addWidget(self.viewer, 1)
        centre.addWidget(self.notes)
        centre_w = QWidget()
        centre_w.setLayout(centre)

        floor = QGroupBox(L("Phát biểu", "The floor"))
        self.ask = QPushButton(L("Đăng ký phát biểu", "Request the floor"))
        self.withdraw = QPushButton(L("Rút đăng ký", "Withdraw"))
        self.queue_pos = QLabel("")
        self.ask.clicked.connect(self._ask)
        self.withdraw.clicked.connect(self._withdraw)
        self.rec_label = QLabel("")
        self.meter = QProgressBar()
        self.meter.setRange(-60, 0)
        self.meter.setTextVisible(False)
        self.meter.setVisible(False)
        self.recorder = SpeechRecorder(bridge, client, session_id, cache_dir / "recordings")
        self.recorder.level.connect(lambda db: self.meter.setValue(int(max(-60.0, db))))
        self.recorder.recording.connect(self._recording)
        self.recorder.failed.connect(self.fail)
        fl = QVBoxLayout(floor)
        for w in (self.ask, self.withdraw, self.queue_pos, self.rec_label, self.meter):
            fl.addWidget(w)

        vote = QGroupBox(L("Biểu quyết", "Vote"))
        self.motion_title = QLabel(L("Không có biểu quyết", "No vote open"))
        self.motion_title.setWordWrap(True)
        self.vote_buttons: dict[str, QPushButton] = {}
        vl = QVBoxLayout(vote)
        vl.addWidget(self.motion_title)
        for choice in ("yes", "no", "abstain"):
            b = QPushButton(choice_label(choice))
            b.setObjectName(f"vote_{choice}")
            b.setMinimumHeight(64)
            b.clicked.connect(lambda _=False, c=choice: self._vote(c))
            self.vote_buttons[choice] = b
            vl.addWidget(b)
        self.receipt = QLabel("")
        self.receipt.setObjectName("receipt")
        self.receipt.setWordWrap(True)
        vl.addWidget(self.receipt)
        right = QVBoxLayout()
        right.addWidget(floor)
        right.addWidget(vote)
        right.addStretch()
        right_w = QWidget()
        right_w.setLayout(right)

        split = QSplitter()
        for w in (left_w, centre_w, right_w):
            split.addWidget(w)
        split.setSizes([220, 640, 260])
        body = QVBoxLayout()
        body.addLayout(top)
        body.addWidget(split, 1)
        root = QWidget()
        root.setLayout(body)
        self.setCentralWidget(root)
        self.resize(1180, 760)
        self.feed.changed.connect(self.render)
        self.feed.start()

    # --- showing the session ----------------------------------------------------------------

    def render(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        if rec is None:
            return
        me = world.delegates.get(self.me)
        self.who.setText(me.full_name if me else self.me)
        att = rec.attendance.get(self.me)
        present = bool(att and att.present)
        self.presence.setText(L("✔ Đã điểm danh", "✔ Checked in") if present else "")
        for w in (self.pin, self.check_in, self.face):
            w.setVisible(not present)
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
        self._render_floor(rec)
        self._render_vote(rec)

    def _render_floor(self, rec: Any) -> None:
        waiting = [r.id for r in rec.floor_queue()]
        mine = [r for r in rec.floor_queue() if r.delegate_id == self.me]
        speaking = rec.current_speech and rec.speeches[rec.current_speech].delegate_id == self.me
        self.my_request = mine[0].id if mine else None
        if speaking:
            self.queue_pos.setText(L("Bạn đang phát biểu", "You have the floor"))
        elif mine:
            pos = waiting.index(mine[0].id) + 1
            self.queue_pos.setText(L(f"Thứ tự của bạn: {pos}", f"Your place: {pos}"))
        else:
            self.queue_pos.setText("")
        self.ask.setEnabled(not mine and not speaking and rec.active_item is not None)
        self.withdraw.setEnabled(bool(mine))
        if speaking:  # the floor is ours: the tablet records and streams the speech
            self.recorder.start(rec.current_speech)
        else:
            self.recorder.stop()

    def _recording(self, on: bool) -> None:
        self.rec_label.setText("● " + L("Đang ghi âm", "Recording") if on else "")
        self.meter.setVisible(on)

    def _render_vote(self, rec: Any) -> None:
        motion = rec.motions.get(rec.open_motion) if rec.open_motion else None
        present = self.me in rec.present_ids()
        if motion is None:
            last = [m for m in rec.motions.values() if m.result is not None]
            if last:  # the same figures as the console, the hall and the minutes
                counts, verdict = result_lines(last[-1], "\n")
                closed = L("Đã kết thúc: ", "Closed: ") + last[-1].title
                self.motion_title.setText(f"{closed}\n{counts}\n{verdict}")
            else:
                self.motion_title.setText(L("Không có biểu quyết", "No vote open"))
            for b in self.vote_buttons.values():
                b.setEnabled(False)
            return
        self.motion_title.setText(motion.title)
        voted = self.me in motion.participants
        can = (
            present and (not voted or motion.allow_change) and motion.form.value != "show_of_hands"
        )
        for b in self.vote_buttons.values():
            b.setEnabled(can)
        self.receipt.setText(self.receipts.get(motion.id, ""))

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
        self.act(self.client.check_in(self.sid, method=AttendanceMethod.PIN, pin=pin))

    def _ask(self) -> None:
        self.act(self.client.request_floor(self.sid))

    def _withdraw(self) -> None:
        if self.my_request:
            self.act(self.client.withdraw_floor(self.sid, self.my_request))

    def _vote(self, choice: str) -> None:
        rec = self.feed.record()
        if rec is None or rec.open_motion is None:
            return
        motion = rec.open_motion
        # one command id per (motion, choice): a retry after a dropped link is the same ballot
        command_id = self.command_ids.setdefault((motion, choice), uuid.uuid4().hex)
        self.receipt.setText(L("Đang gửi phiếu…", "Sending…"))

        def received(receipt: dict[str, Any]) -> None:
            text = L(
                f"Đã ghi nhận: {choice_label(choice)} (mã {receipt['receipt']})",
                f"Recorded: {choice_label(choice)} (receipt {receipt['receipt']})",
            )
            self.receipts[motion] = text
            self.receipt.setText(text)

        def failed(exc: BaseException) -> None:
            self.receipt.setText(L("Chưa ghi nhận — hãy bấm lại", "Not recorded — press again"))
            self.fail(exc)

        self.bridge.call(
            self.client.cast_ballot(self.sid, motion, Choice(choice), command_id), received, failed
        )

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        self.recorder.stop()
        self.face.stop_camera()
        super().closeEvent(event)
