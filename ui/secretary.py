"""The secretary's console: preparing the session (roster, agenda, documents, pairing) and
running it (roll call with quorum, agenda, presenter, the floor with a timer, motions)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from meetingapp.client import HostClient
from meetingapp.domain import AttendanceMethod, BallotForm
from ui.bridge import Bridge, Feed
from ui.camera import FaceCheckin
from ui.strings import (
    L,
    choice_label,
    countdown,
    item_state_label,
    lang,
    method_label,
    result_lines,
)
from ui.widgets import RoleWindow


def qr_pixmap(text: str, size: int = 220) -> QPixmap:
    import qrcode

    img = qrcode.make(text).get_image().convert("RGB").resize((size, size))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    q = QImage()
    q.loadFromData(buf.getvalue())
    return QPixmap.fromImage(q)


class SecretaryConsole(RoleWindow):
    def __init__(self, bridge: Bridge, client: HostClient, session_id: str, body_id: str) -> None:
        super().__init__(bridge, L("Bàn thư ký — điều hành kỳ họp", "Secretary console"))
        self.client, self.sid, self.body = client, session_id, body_id
        self.feed = Feed(bridge, client, session_id)
        self.ballots_in: dict[str, int] = {}
        tabs = QTabWidget()
        tabs.addTab(self._setup_tab(), L("Chuẩn bị", "Set-up"))
        tabs.addTab(self._run_tab(), L("Điều hành", "Running"))
        tabs.setCurrentIndex(1)
        self.tabs = tabs
        self.setCentralWidget(tabs)
        self.resize(1280, 800)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start()
        self.feed.changed.connect(self.render)
        self.feed.message.connect(self._message)
        self.feed.start()

    # --- set-up tab -------------------------------------------------------------------------

    def _setup_tab(self) -> QWidget:
        w = QWidget()
        grid = QGridLayout(w)

        roster = QGroupBox(L("Danh sách đại biểu", "Roster"))
        self.roster_errors = QLabel("")
        self.roster_errors.setObjectName("error")
        self.roster_errors.setWordWrap(True)
        imp = QPushButton(L("Nhập danh sách (CSV/XLSX)…", "Import roster (CSV/XLSX)…"))
        imp.clicked.connect(self._import_roster)
        rl = QVBoxLayout(roster)
        rl.addWidget(imp)
        rl.addWidget(self.roster_errors)
        rl.addStretch()

        agenda = QGroupBox(L("Chương trình kỳ họp", "Agenda"))
        self.item_title = QLineEdit()
        self.item_title.setPlaceholderText(L("Tên nội dung", "Item title"))
        add = QPushButton(L("Thêm nội dung", "Add item"))
        add.clicked.connect(self._add_item)
        self.setup_items = QListWidget()
        al = QVBoxLayout(agenda)
        al.addWidget(self.item_title)
        al.addWidget(add)
        al.addWidget(self.setup_items)

        docs = QGroupBox(L("Tài liệu", "Documents"))
        self.doc_item = QComboBox()
        self.doc_title = QLineEdit()
        self.doc_title.setPlaceholderText(L("Tên tài liệu", "Title"))
        upload = QPushButton(L("Tải lên PDF…", "Upload PDF…"))
        upload.clicked.connect(self._upload)
        self.setup_docs = QListWidget()
        dl = QVBoxLayout(docs)
        for x in (self.doc_item, self.doc_title, upload, self.setup_docs):
            dl.addWidget(x)

        pairing = QGroupBox(L("Ghép thiết bị", "Pair a device"))
        self.pair_role = QComboBox()
        for role, vi, en in (
            ("delegate", "Đại biểu", "Delegate"),
            ("clerk", "Thư ký tổng hợp", "Clerk"),
            ("chair", "Chủ tọa", "Chair"),
            ("display", "Màn hình hội trường", "Hall display"),
        ):
            self.pair_role.addItem(L(vi, en), role)
        self.pair_delegate = QComboBox()
        make = QPushButton(L("Tạo mã ghép", "Make a pairing code"))
        make.clicked.connect(self._pairing_code)
        self.pair_code = QLabel("")
        self.pair_code.setObjectName("big")
        self.pair_qr = QLabel("")
        pl = QVBoxLayout(pairing)
        for x in (self.pair_role, self.pair_delegate, make, self.pair_code, self.pair_qr):
            pl.addWidget(x)

        grid.addWidget(roster, 0, 0)
        grid.addWidget(agenda, 0, 1)
        grid.addWidget(docs, 1, 0)
        grid.addWidget(pairing, 1, 1)
        return w

    def _import_roster(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, L("Chọn tệp danh sách", "Roster file"), "", "CSV/XLSX (*.csv *.xlsx)"
        )
        if path:
            self.import_roster(Path(path))

    def import_roster(self, path: Path) -> None:
        """Check the file (every bad row named; nothing imported on any error), then add.
        Reading and checking run off the window's thread (a large XLSX takes a moment)."""
        from meetingapp.errors import MeetingAppError
        from meetingapp.roster import delegates_from_file

        world = self.feed.world
        known = set(world.delegates) if world else set()

        async def run() -> list[str]:
            delegates = await asyncio.to_thread(delegates_from_file, path, known)
            return await self.client.add_delegates(self.body, delegates)

        def done(ids: list[str]) -> None:
            self.roster_errors.setText("")
            self.ok(L(f"Đã nhập {len(ids)} đại biểu", f"Imported {len(ids)} delegates"))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, MeetingAppError):
                self.roster_errors.setText(exc.message(lang()))
            else:
                self.fail(exc)

        self.roster_errors.setText(L("Đang kiểm tra tệp…", "Checking the file…"))
        self.bridge.call(run(), done, failed)

    def _add_item(self) -> None:
        title = self.item_title.text().strip()
        if title:
            self.item_title.clear()
            self.act(self.client.add_item(self.sid, title))

    def _upload(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, L("Chọn tài liệu", "Document"), "", "PDF (*)")
        if path:
            self.upload(Path(path))

    def upload(self, path: Path) -> None:
        item = self.doc_item.currentData()
        title = self.doc_title.text().strip() or path.stem
        if not item:
            self.fail(L("Hãy chọn nội dung cho tài liệu", "Choose the agenda item first"))
            return

        async def run() -> Any:
            data = await asyncio.to_thread(path.read_bytes)
            return await self.client.upload_document(self.sid, item, title, data)

        self.act(run())

    def _pairing_code(self) -> None:
        role = self.pair_role.currentData()
        delegate = self.pair_delegate.currentData() if role == "delegate" else None

        def show(issued: dict[str, Any]) -> None:
            self.pair_code.setText(issued["code"])
            self.pair_qr.setPixmap(qr_pixmap(issued.get("qr") or issued["code"]))

        self.act(self.client.pairing_code(role, delegate), show)

    # --- running tab ------------------------------------------------------------------------

    def _run_tab(self) -> QWidget:
        w = QWidget()
        grid = QGridLayout(w)

        session = QGroupBox(L("Kỳ họp", "Session"))
        self.state_label = QLabel("")
        self.state_label.setObjectName("title")
        self.open_btn = QPushButton(L("Khai mạc", "Open"))
        self.roll_btn = QPushButton(L("Bắt đầu điểm danh", "Start roll call"))
        self.close_roll_btn = QPushButton(L("Kết thúc điểm danh", "Close roll call"))
        self.close_btn = QPushButton(L("Bế mạc", "Close session"))
        self.open_btn.clicked.connect(lambda: self.act(self.client.open_session(self.sid)))
        self.roll_btn.clicked.connect(lambda: self.act(self.client.start_roll_call(self.sid)))
        self.close_roll_btn.clicked.connect(lambda: self.act(self.client.close_roll_call(self.sid)))
        self.close_btn.clicked.connect(lambda: self.act(self.client.close_session(self.sid)))
        sl = QVBoxLayout(session)
        sl.addWidget(self.state_label)
        row = QHBoxLayout()
        for b in (self.open_btn, self.roll_btn, self.close_roll_btn, self.close_btn):
            row.addWidget(b)
        sl.addLayout(row)
        self.quorum = QProgressBar()
        self.quorum.setFormat("%v/%m")
        self.quorum_text = QLabel("")
        sl.addWidget(self.quorum)
        sl.addWidget(self.quorum_text)

        roll = QGroupBox(L("Điểm danh", "Roll call"))
        self.roll = QTableWidget(0, 3)
        self.roll.setHorizontalHeaderLabels(
            [L("Đại biểu", "Delegate"), L("Đơn vị", "Unit"), L("Điểm danh", "Checked in")]
        )
        self.roll.horizontalHeader().setStretchLastSection(True)
        manual = QPushButton(L("Điểm danh thủ công…", "Manual check-in…"))
        manual.clicked.connect(self._manual)
        face = QPushButton(L("Nhận diện từ ảnh…", "Recognise from images…"))
        face.clicked.connect(self._face_files)
        self.face = FaceCheckin(self.bridge, self.client, self.sid)
        self.face.candidates.connect(self._candidates)
        self.face_candidates = QListWidget()
        self.face_candidates.setMaximumHeight(60)
        self.roll.setMinimumHeight(320)
        confirm = QPushButton(L("Xác nhận người được chọn", "Confirm the chosen person"))
        confirm.clicked.connect(self._confirm_candidate)
        rl = QVBoxLayout(roll)
        rl.addWidget(self.roll, 2)
        row = QHBoxLayout()
        row.addWidget(manual)
        row.addWidget(face)
        rl.addLayout(row)
        rl.addWidget(self.face, 1)
        rl.addWidget(QLabel(L("Chưa chắc chắn — thư ký xác nhận:", "Uncertain — confirm:")))
        rl.addWidget(self.face_candidates)
        rl.addWidget(confirm)

        agenda = QGroupBox(L("Chương trình và tài liệu", "Agenda and documents"))
        self.items = QListWidget()
        start = QPushButton(L("Bắt đầu nội dung", "Start item"))
        end = QPushButton(L("Kết thúc nội dung", "End item"))
        start.clicked.connect(self._start_item)
        end.clicked.connect(self._end_item)
        self.present_doc = QComboBox()
        self.present_page = QSpinBox()
        self.present_page.setMinimum(1)
        show = QPushButton(L("Trình chiếu trang", "Show page"))
        show.clicked.connect(self._present)
        gl = QVBoxLayout(agenda)
        gl.addWidget(self.items)
        row = QHBoxLayout()
        row.addWidget(start)
        row.addWidget(end)
        gl.addLayout(row)
        row = QHBoxLayout()
        for x in (self.present_doc, self.present_page, show):
            row.addWidget(x)
        gl.addLayout(row)

        floor = QGroupBox(L("Phát biểu", "The floor"))
        self.queue = QListWidget()
        self.limit = QSpinBox()
        self.limit.setRange(0, 60)
        self.limit.setValue(5)
        self.limit.setSuffix(L(" phút", " min"))
        grant = QPushButton(L("Mời phát biểu", "Grant"))
        end_speech = QPushButton(L("Kết thúc phát biểu", "End speech"))
        grant.clicked.connect(self._grant)
        end_speech.clicked.connect(self._end_speech)
        self.speaking = QLabel("")
        self.timer = QLabel("")
        self.timer.setObjectName("title")
        fl = QVBoxLayout(floor)
        fl.addWidget(self.queue)
        row = QHBoxLayout()
        for x in (self.limit, grant, end_speech):
            row.addWidget(x)
        fl.addLayout(row)
        fl.addWidget(self.speaking)
        fl.addWidget(self.timer)

        motions = QGroupBox(L("Biểu quyết", "Votes"))
        self.motion_title = QLineEdit()
        self.motion_title.setPlaceholderText(L("Nội dung biểu quyết", "Motion"))
        self.motion_form = QComboBox()
        for form, vi, en in (
            ("electronic", "Biểu quyết điện tử", "Electronic (named)"),
            ("secret", "Bỏ phiếu kín", "Secret ballot"),
            ("show_of_hands", "Giơ tay", "Show of hands"),
        ):
            self.motion_form.addItem(L(vi, en), form)
        open_m = QPushButton(L("Mở biểu quyết", "Open vote"))
        close_m = QPushButton(L("Kết thúc biểu quyết", "Close vote"))
        open_m.clicked.connect(self._open_motion)
        close_m.clicked.connect(self._close_motion)
        self.ballot_count = QLabel("")
        self.hands = [QSpinBox() for _ in range(3)]
        record_hands = QPushButton(L("Ghi kết quả giơ tay", "Record hands"))
        record_hands.clicked.connect(self._record_hands)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setObjectName("title")
        ml = QVBoxLayout(motions)
        row = QHBoxLayout()
        from ui.setup import RuleChooser

        self.motion_rule = RuleChooser()  # the body's rules (ui/setup.py)
        for x in (self.motion_title, self.motion_form, self.motion_rule):
            row.addWidget(x)
        ml.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(open_m)
        row.addWidget(close_m)
        ml.addLayout(row)
        ml.addWidget(self.ballot_count)
        row = QHBoxLayout()
        for choice, box in zip(("yes", "no", "abstain"), self.hands, strict=True):
            box.setRange(0, 2000)
            row.addWidget(QLabel(choice_label(choice)))
            row.addWidget(box)
        row.addWidget(record_hands)
        ml.addLayout(row)
        ml.addWidget(self.result)

        grid.addWidget(session, 0, 0)
        grid.addWidget(roll, 1, 0, 2, 1)
        grid.addWidget(agenda, 0, 1)
        grid.addWidget(floor, 1, 1)
        grid.addWidget(motions, 2, 1)
        return w

    # --- showing the session ----------------------------------------------------------------

    def render(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        if rec is None:
            return
        self.motion_rule.fill(world, rec.session.body_id)
        states = {
            "scheduled": L("Chưa khai mạc", "Not opened"),
            "open": L("Đang họp", "In session"),
            "closed": L("Đã bế mạc", "Closed"),
        }
        state = rec.session.state.value
        roll = L(" — đang điểm danh", " — roll call") if rec.roll_call_open else ""
        self.state_label.setText(f"{rec.session.title}: {states.get(state, state)}{roll}")
        self.open_btn.setEnabled(state == "scheduled")
        self.roll_btn.setEnabled(state == "open" and not rec.roll_call_open)
        self.close_roll_btn.setEnabled(rec.roll_call_open)
        self.close_btn.setEnabled(state == "open")
        count = world.headcount(self.sid)
        self.quorum.setMaximum(max(count.elected, 1))
        self.quorum.setValue(count.present)
        need = -(-count.elected * 2 // 3)
        self.quorum_text.setText(
            L(
                f"Có mặt {count.present}/{count.elected} — cần {need} để đủ số tối thiểu",
                f"Present {count.present}/{count.elected} — quorum needs {need}",
            )
        )
        roster = sorted(world.roster(self.body), key=lambda d: d.seat.zfill(4) + d.full_name)
        self._roster = roster
        self.roll.setRowCount(len(roster))
        for row, d in enumerate(roster):
            att = rec.attendance.get(d.id)
            status = (
                f"✔ {method_label(att.method.value)} {att.at[11:16]}"
                if att and att.present
                else "—"
            )
            for col, text in enumerate((d.full_name, d.unit, status)):
                self.roll.setItem(row, col, QTableWidgetItem(text))
        self.roll.resizeColumnsToContents()
        chosen_delegate = self.pair_delegate.currentData()
        self.pair_delegate.clear()
        for d in roster:
            self.pair_delegate.addItem(d.full_name, d.id)
        if chosen_delegate:
            self.pair_delegate.setCurrentIndex(max(0, self.pair_delegate.findData(chosen_delegate)))
        items = sorted(rec.items.values(), key=lambda i: i.order)
        self._items = items
        for widget in (self.items, self.setup_items):
            widget.clear()
            for item in items:
                mark = "▶ " if item.id == rec.active_item else ""
                widget.addItem(
                    f"{mark}{item.order}. {item.title} ({item_state_label(item.state.value)})"
                )
        current_doc_item = self.doc_item.currentData()
        self.doc_item.clear()
        for item in items:
            self.doc_item.addItem(item.title, item.id)
        if current_doc_item:
            self.doc_item.setCurrentIndex(max(0, self.doc_item.findData(current_doc_item)))
        chosen = self.present_doc.currentData()
        self.present_doc.clear()
        self.setup_docs.clear()
        for doc in rec.documents.values():
            self.present_doc.addItem(f"{doc.number_symbol} {doc.title}".strip(), doc.id)
            self.setup_docs.addItem(f"{doc.title} ({doc.pages} {L('trang', 'pages')})")
        if chosen:
            self.present_doc.setCurrentIndex(max(0, self.present_doc.findData(chosen)))
        self._render_floor(world, rec)
        self._render_motion(rec)

    def _render_floor(self, world: Any, rec: Any) -> None:
        self._queue = rec.floor_queue()
        self.queue.clear()
        for n, r in enumerate(self._queue, start=1):
            d = world.delegates.get(r.delegate_id)
            self.queue.addItem(f"{n}. {d.full_name if d else r.delegate_id}")
        speech = rec.speeches.get(rec.current_speech) if rec.current_speech else None
        self._speech = speech
        if speech:
            d = world.delegates.get(speech.delegate_id)
            self.speaking.setText(
                "● " + L("Đang ghi âm — ", "Recording — ") + (d.full_name if d else "")
            )
        else:
            self.speaking.setText("")
        self._update_timer()

    def _render_motion(self, rec: Any) -> None:
        motion = rec.motions.get(rec.open_motion) if rec.open_motion else None
        if motion is not None:
            received = self.ballots_in.get(motion.id, len(motion.participants))
            self.ballot_count.setText(
                L(f"Đã nhận {received} phiếu", f"{received} ballots received")
                + (L(" (bỏ phiếu kín)", " (secret)") if motion.form.value == "secret" else "")
            )
            self.result.setText(L("Đang biểu quyết: ", "Voting: ") + motion.title)
            return
        self.ballot_count.setText("")
        closed = [m for m in rec.motions.values() if m.result is not None]
        if closed:
            m = closed[-1]
            counts, verdict = result_lines(m, "; ")
            self.result.setText(f"{m.title}: {counts} — {verdict}")

    def _message(self, msg: dict[str, Any]) -> None:
        if msg.get("type") == "progress":
            self.ballots_in[msg["motion_id"]] = msg["ballots"]
            rec = self.feed.record()
            if rec is not None:
                self._render_motion(rec)

    def _update_timer(self) -> None:
        self.timer.setText(countdown(getattr(self, "_speech", None)))

    # --- commands ---------------------------------------------------------------------------

    def _selected_delegate(self) -> Any:
        row = self.roll.currentRow()
        return self._roster[row] if 0 <= row < len(getattr(self, "_roster", [])) else None

    def _manual(self) -> None:
        d = self._selected_delegate()
        if d is None:
            self.fail(L("Hãy chọn một đại biểu trong bảng", "Choose a delegate in the table"))
            return
        reason, ok = QInputDialog.getText(
            self, L("Điểm danh thủ công", "Manual check-in"), L("Lý do:", "Reason:")
        )
        if ok:
            self.manual_check_in(d.id, reason)

    def manual_check_in(self, delegate_id: str, reason: str) -> None:
        if not reason.strip():
            self.fail(L("Cần ghi lý do điểm danh thủ công", "A reason is required"))
            return
        self.act(
            self.client.check_in(
                self.sid, delegate_id, method=AttendanceMethod.MANUAL, reason=reason.strip()
            )
        )

    def _face_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, L("Khung hình camera", "Camera frames"), "", "JPEG/PNG (*.jpg *.jpeg *.png)"
        )
        if paths:
            self.face_check_in([Path(p).read_bytes() for p in paths])

    def face_check_in(self, frames: list[bytes]) -> None:
        self.face.feed_frames(frames)

    def _candidates(self, found: list[tuple[str, float]]) -> None:
        world = self.feed.world
        self._found = found
        self.face_candidates.clear()
        for did, distance in found:
            d = world.delegates.get(did) if world else None
            self.face_candidates.addItem(f"{d.full_name if d else did} ({distance:.2f})")

    def _confirm_candidate(self) -> None:
        row = self.face_candidates.currentRow()
        found = getattr(self, "_found", [])
        if 0 <= row < len(found):
            did, distance = found[row]
            self.manual_check_in(
                did,
                L(
                    f"Thư ký xác nhận khuôn mặt (khoảng cách {distance:.2f})",
                    f"Face confirmed by the secretary (distance {distance:.2f})",
                ),
            )

    def _current_item(self) -> Any:
        row = self.items.currentRow()
        items = getattr(self, "_items", [])
        return items[row] if 0 <= row < len(items) else None

    def _start_item(self) -> None:
        item = self._current_item()
        if item:
            self.act(self.client.start_item(self.sid, item.id))

    def _end_item(self) -> None:
        item = self._current_item()
        if item:
            self.act(self.client.end_item(self.sid, item.id))

    def _present(self) -> None:
        doc = self.present_doc.currentData()
        if doc:
            self.act(self.client.move_presenter(self.sid, doc, self.present_page.value()))

    def _grant(self) -> None:
        row = self.queue.currentRow()
        queue = getattr(self, "_queue", [])
        if not queue:
            return
        request = queue[row if 0 <= row < len(queue) else 0]
        limit = self.limit.value() * 60 or None
        self.act(self.client.grant_floor(self.sid, request.id, limit))

    def _end_speech(self) -> None:
        speech = getattr(self, "_speech", None)
        if speech:
            self.act(self.client.end_speech(self.sid, speech.id))

    def _open_motion(self) -> None:
        title = self.motion_title.text().strip()
        if not title:
            self.fail(L("Hãy nhập nội dung biểu quyết", "Enter the motion"))
            return
        self.act(
            self.client.open_motion(
                self.sid,
                title,
                BallotForm(self.motion_form.currentData()),
                rule=self.motion_rule.rule(),
            )
        )

    def _close_motion(self) -> None:
        rec = self.feed.record()
        if rec is not None and rec.open_motion:
            self.act(self.client.close_motion(self.sid, rec.open_motion))

    def _record_hands(self) -> None:
        rec = self.feed.record()
        if rec is not None and rec.open_motion:
            yes, no, abstain = (b.value() for b in self.hands)
            self.act(self.client.record_hands(self.sid, rec.open_motion, yes, no, abstain))
