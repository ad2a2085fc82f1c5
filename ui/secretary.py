"""The secretary's console: preparing the session (roster, agenda, documents, pairing) and
running it (roll call with quorum, agenda, presenter, the floor with a timer, motions)."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
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

from meetingapp import actions as A
from meetingapp.client import HostClient
from meetingapp.domain import AttendanceMethod, BallotForm
from meetingapp.rules import MAJORITY, QUORUM
from ui.bridge import ONLINE, Bridge, Feed
from ui.camera import FaceCheckin
from ui.recorder import LIVE, NO_MIC, NOT_SENT, SILENT_MIC, WAITING, RemoteMic, SpeechRecorder
from ui.strings import (
    choice_label,
    countdown,
    form_label,
    item_state_label,
    lang,
    method_label,
    quorum_status,
    result_lines,
    role_label,
    rule_label,
    t,
    timer_state,
)
from ui.widgets import RoleWindow, ask_roster_file, confirm, restyle, scrolled

NO_AUDIO_AFTER_S = 8.0  # the host joins a speech's chunks a moment after it ends


def qr_pixmap(text: str, size: int = 220) -> QPixmap:
    import qrcode

    img = qrcode.make(text).get_image().convert("RGB").resize((size, size))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    q = QImage()
    q.loadFromData(buf.getvalue())
    return QPixmap.fromImage(q)


class SecretaryConsole(RoleWindow):
    def __init__(
        self,
        bridge: Bridge,
        client: HostClient,
        session_id: str,
        body_id: str,
        recordings: Path | None = None,
    ) -> None:
        super().__init__(bridge, t("ui.secretary_console_2"))
        self.client, self.sid, self.body = client, session_id, body_id
        if recordings is None:
            from meetingapp.settings import data_dir

            recordings = data_dir() / "console"
        # the hall microphone: the tablet's recorder, run from here for a speaker without one
        self.recorder = SpeechRecorder(self.bridge, client, session_id, recordings / "recordings")
        self.feed = Feed(self.bridge, client, session_id)
        self.ballots_in: dict[str, int] = {}
        self.no_audio: set[str] = set()  # speeches the host got no recording for
        self.remote = RemoteMic()  # the running speech's sound, as the host receives it
        self.buttons: dict[str, QPushButton] = {}  # action (meetingapp/actions.py) -> its button
        tabs = QTabWidget()
        tabs.addTab(self._setup_tab(), t("ui.set_up"))
        tabs.addTab(self._run_tab(), t("ui.running"))
        tabs.setCurrentIndex(1)
        self.tabs = tabs
        self.setCentralWidget(tabs)
        self.resize(1366, 700)  # a 1366×768 laptop, less the title and task bars
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start()
        self.feed.changed.connect(self.render)
        self.feed.message.connect(self._message)
        self.feed.connection.connect(self.link_changed)
        self.feed.connection.connect(self._link)
        self.feed.start()

    # --- set-up tab -------------------------------------------------------------------------

    def _setup_tab(self) -> QWidget:
        w = QWidget()
        grid = QGridLayout(w)

        roster = QGroupBox(t("ui.roster"))
        self.roster_errors = QLabel("")
        self.roster_errors.setObjectName("error")
        self.roster_errors.setWordWrap(True)
        imp = QPushButton(t("ui.import_roster_csv_xlsx"))
        imp.clicked.connect(self._import_roster)
        rl = QVBoxLayout(roster)
        rl.addWidget(imp)
        rl.addWidget(self.roster_errors)
        rl.addStretch()

        agenda = QGroupBox(t("ui.agenda_2"))
        self.item_title = QLineEdit()
        self.item_title.setPlaceholderText(t("ui.item_title"))
        add = self._button(t("ui.add_item"), A.ADD_ITEM, self._add_item)
        self.setup_items = QListWidget()
        al = QVBoxLayout(agenda)
        al.addWidget(self.item_title)
        al.addWidget(add)
        al.addWidget(self.setup_items)

        docs = QGroupBox(t("ui.documents"))
        self.doc_item = QComboBox()
        self.doc_title = QLineEdit()
        self.doc_title.setPlaceholderText(t("ui.title"))
        upload = self._button(t("ui.upload_pdf"), A.UPLOAD, self._upload)
        self.setup_docs = QListWidget()
        dl = QVBoxLayout(docs)
        for x in (self.doc_item, self.doc_title, upload, self.setup_docs):
            dl.addWidget(x)

        pairing = QGroupBox(t("ui.pair_a_device"))
        self.pair_role = QComboBox()
        for role in ("delegate", "clerk", "chair", "display"):
            self.pair_role.addItem(role_label(role), role)
        self.pair_delegate = QComboBox()
        make = self._button(t("ui.make_a_pairing_code"), A.PAIR, self._pairing_code)
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
        if path := ask_roster_file(self):
            self.import_roster(path)

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
            self.ok(t("ui.imported_x_delegates", count=len(ids)))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, MeetingAppError):
                self.roster_errors.setText(exc.message(lang()))
            else:
                self.fail(exc)

        self.roster_errors.setText(t("ui.checking_the_file"))
        self.bridge.call(run(), done, failed)

    def _add_item(self) -> None:
        title = self.item_title.text().strip()
        if title:
            self.item_title.clear()
            self.act(self.client.add_item(self.sid, title))

    def _upload(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("ui.document"), "", "PDF (*)")
        if path:
            self.upload(Path(path))

    def upload(self, path: Path) -> None:
        item = self.doc_item.currentData()
        title = self.doc_title.text().strip() or path.stem
        if not item:
            self.fail(t("ui.choose_the_agenda_item_first"))
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

    def _button(self, text: str, action: str, slot: Any, name: str = "") -> QPushButton:
        b = QPushButton(text)
        if name:
            b.setObjectName(name)
        b.clicked.connect(slot)
        self.buttons[action] = b
        return b

    def _run_tab(self) -> QWidget:
        """Three columns that fit a 1366×768 laptop: the session and its roll call; the agenda
        and the floor; the votes. Every error of a group shows inside it."""
        w = QWidget()
        cols = QHBoxLayout(w)
        cols.setContentsMargins(6, 6, 6, 6)

        # column 1: the session and the roll call
        session = QGroupBox(t("ui.session"))
        self.state_label = QLabel("")
        self.state_label.setObjectName("title")
        self.state_label.setWordWrap(True)
        self.open_btn = self._button(
            t("ui.open"),
            A.OPEN_SESSION,
            lambda: self.act(self.client.open_session(self.sid), near=self.session_error),
        )
        self.roll_btn = self._button(
            t("ui.start_roll_call"),
            A.START_ROLL_CALL,
            lambda: self.act(self.client.start_roll_call(self.sid), near=self.session_error),
        )
        self.close_roll_btn = self._button(
            t("ui.close_roll_call"),
            A.CLOSE_ROLL_CALL,
            lambda: self.act(self.client.close_roll_call(self.sid), near=self.session_error),
        )
        self.close_btn = self._button(
            t("ui.close_session"), A.CLOSE_SESSION, self._close_session, "danger"
        )
        self.session_error = self._error_label()
        sl = QVBoxLayout(session)
        sl.addWidget(self.state_label)
        grid = QGridLayout()
        grid.addWidget(self.open_btn, 0, 0)
        grid.addWidget(self.close_btn, 0, 1)
        grid.addWidget(self.roll_btn, 1, 0)
        grid.addWidget(self.close_roll_btn, 1, 1)
        sl.addLayout(grid)
        self.quorum = QProgressBar()
        self.quorum.setFormat("%v/%m")
        self.quorum_text = QLabel("")
        self.quorum_text.setWordWrap(True)
        sl.addWidget(self.quorum)
        sl.addWidget(self.quorum_text)
        sl.addWidget(self.session_error)

        roll = QGroupBox(t("ui.roll_call"))
        self.roll = QTableWidget(0, 3)
        self.roll.setHorizontalHeaderLabels([t("ui.delegate"), t("ui.unit"), t("ui.checked_in_2")])
        self.roll.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.roll.verticalHeader().setVisible(False)
        self.roll.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.roll.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.roll.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.roll.setMinimumHeight(100)
        manual = self._button(t("ui.manual"), A.CHECK_IN_OTHERS + ".manual", self._manual)
        face = self._button(t("ui.from_images"), A.CHECK_IN_OTHERS + ".images", self._face_files)
        self.face = FaceCheckin(self.bridge, self.client, self.sid, compact=True)
        self.face.candidates.connect(self._candidates)
        self.buttons[A.CHECK_IN_OTHERS + ".camera"] = self.face.start_btn
        self.face.start_btn.setText(t("ui.camera"))
        self.candidates_box = QWidget()
        self.face_candidates = QListWidget()
        self.face_candidates.setMaximumHeight(64)
        confirm_face = QPushButton(t("ui.confirm"))
        confirm_face.setToolTip(t("ui.confirm_the_chosen_person"))
        confirm_face.clicked.connect(self._confirm_candidate)
        cl = QGridLayout(self.candidates_box)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(QLabel(t("ui.uncertain_confirm")), 0, 0)
        cl.addWidget(self.face_candidates, 1, 0)
        cl.addWidget(confirm_face, 1, 1)
        self.candidates_box.setVisible(False)
        self.roll_error = self._error_label()
        rl = QVBoxLayout(roll)
        rl.addWidget(self.roll, 1)
        row = QHBoxLayout()
        row.addWidget(manual)
        row.addWidget(face)
        row.addWidget(self.face.start_btn)  # the camera's button beside the other two
        rl.addLayout(row)
        rl.addWidget(self.face)
        rl.addWidget(self.candidates_box)
        rl.addWidget(self.roll_error)
        col1 = QVBoxLayout()
        col1.addWidget(session)
        col1.addWidget(roll, 1)

        # column 2: the agenda and documents, the floor
        agenda = QGroupBox(t("ui.agenda_and_documents"))
        self.items = QListWidget()
        self.items.setWordWrap(True)
        self.items.setMinimumHeight(90)
        self.items.currentRowChanged.connect(lambda _row: self._enable())
        start = self._button(t("ui.start_item"), A.START_ITEM, self._start_item)
        end = self._button(t("ui.end_item"), A.END_ITEM, self._end_item)
        self.present_doc = QComboBox()
        self.present_doc.setMinimumContentsLength(12)
        self.present_doc.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.present_page = QSpinBox()
        self.present_page.setMinimum(1)
        self.present_page.setPrefix(t("ui.p"))
        self.present_doc.currentIndexChanged.connect(self._doc_pages)
        show = self._button(t("ui.show"), A.PRESENT, self._present)
        self.agenda_error = self._error_label()
        gl = QVBoxLayout(agenda)
        gl.addWidget(self.items, 1)
        row = QHBoxLayout()
        row.addWidget(start)
        row.addWidget(end)
        gl.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.present_doc, 1)
        row.addWidget(self.present_page)
        row.addWidget(show)
        gl.addLayout(row)
        gl.addWidget(self.agenda_error)

        floor = QGroupBox(t("ui.the_floor"))
        self.queue = QListWidget()
        self.queue.setMinimumHeight(70)
        self.limit = QSpinBox()
        self.limit.setRange(0, 60)
        self.limit.setValue(5)
        self.limit.setSuffix(t("ui.min"))
        self.limit.setToolTip(t("ui.time_limit_0_none"))
        grant = self._button(t("ui.grant"), A.GRANT, self._grant)
        end_speech = self._button(t("ui.end_speech"), A.END_SPEECH, self._end_speech)
        self.speaking = QLabel("")
        self.speaking.setWordWrap(True)
        self.timer = QLabel("")
        self.timer.setObjectName("timer")
        self.timer.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.floor_error = self._error_label()
        # the hall microphone and the speaker changes inside a speech
        self.hall_mic = self._button(
            t("ui.record_with_the_hall_microphone"), A.HALL_MIC, self._hall_mic, "hall_mic"
        )
        self.hall_mic.setCheckable(True)
        self.hall_mic.setToolTip(t("ui.hall_microphone_tip"))
        self.interject = self._button(
            t("ui.chair_interjects"), A.MARK_SPEAKER + ".chair", self._chair_interjects
        )
        self.back_to_speaker = self._button(
            t("ui.back_to_the_speaker"), A.MARK_SPEAKER + ".back", self._back_to_speaker
        )
        self.mic_state = QLabel("")
        self.mic_state.setWordWrap(True)
        self.mic_meter = QProgressBar()
        self.mic_meter.setRange(-60, 0)
        self.mic_meter.setTextVisible(False)
        self.mic_meter.setMaximumHeight(10)
        self.mic_meter.setVisible(False)
        self.recorder.level.connect(lambda db: self.mic_meter.setValue(int(max(-60.0, db))))
        self.recorder.health.connect(self._mic_health)
        self.recorder.failed.connect(lambda text: self.fail(text, self.floor_error))
        fl = QVBoxLayout(floor)
        fl.addWidget(self.queue, 1)
        row = QHBoxLayout()
        for x in (self.limit, grant, end_speech):
            row.addWidget(x)
        fl.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.speaking, 1)
        row.addWidget(self.timer)
        fl.addLayout(row)
        fl.addWidget(self.hall_mic)
        row = QHBoxLayout()
        for x in (self.interject, self.back_to_speaker):
            row.addWidget(x)
        fl.addLayout(row)
        fl.addWidget(self.mic_state)
        fl.addWidget(self.mic_meter)
        fl.addWidget(self.floor_error)
        col2 = QVBoxLayout()
        col2.addWidget(agenda, 1)
        col2.addWidget(floor, 1)

        # column 3: the votes
        motions = QGroupBox(t("ui.votes"))
        self.motion_title = QLineEdit()
        self.motion_title.setPlaceholderText(t("ui.motion"))
        self.motion_form = QComboBox()
        for form in ("electronic", "secret", "show_of_hands"):
            self.motion_form.addItem(form_label(form), form)
        self.motion_rule = QComboBox()  # the body's own rules (filled from the host's state)
        open_m = self._button(t("ui.open_vote"), A.OPEN_MOTION, self._open_motion)
        close_m = self._button(t("ui.close_vote"), A.CLOSE_MOTION, self._close_motion)
        self.ballot_count = QLabel("")
        self.ballot_count.setWordWrap(True)
        self.hands = [QSpinBox() for _ in range(3)]
        record_hands = self._button(t("ui.record_hands"), A.RECORD_HANDS, self._record_hands)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setObjectName("title")
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.vote_error = self._error_label()
        ml = QVBoxLayout(motions)
        ml.addWidget(self.motion_title)
        ml.addWidget(self.motion_form)
        ml.addWidget(self.motion_rule)  # the rules' labels are long: a row of their own
        row = QHBoxLayout()
        row.addWidget(open_m)
        row.addWidget(close_m)
        ml.addLayout(row)
        ml.addWidget(self.ballot_count)
        hands = QGridLayout()
        for n, (choice, box) in enumerate(zip(("yes", "no", "abstain"), self.hands, strict=True)):
            box.setRange(0, 2000)
            hands.addWidget(QLabel(choice_label(choice)), n, 0)
            hands.addWidget(box, n, 1)
        hands.addWidget(record_hands, 3, 0, 1, 2)
        ml.addLayout(hands)
        ml.addWidget(self.vote_error)
        ml.addWidget(scrolled(self.result), 1)

        cols.addLayout(col1, 5)
        cols.addLayout(col2, 4)
        cols.addWidget(motions, 4)
        for group in (session, roll, agenda, floor, motions):
            group.layout().setContentsMargins(6, 4, 6, 4)
        return w

    def _error_label(self) -> QLabel:
        label = QLabel("")
        label.setObjectName("error")
        label.setWordWrap(True)
        return label

    # --- showing the session ----------------------------------------------------------------

    def render(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        if rec is None:
            return
        states = {
            "scheduled": t("ui.not_opened"),
            "open": t("ui.in_session"),
            "closed": t("ui.closed_2"),
        }
        state = rec.session.state.value
        roll = t("ui.roll_call_2") if rec.roll_call_open else ""
        self.state_label.setText(f"{rec.session.title}: {states.get(state, state)}{roll}")
        present, base, need = quorum_status(world, self.sid)
        self.quorum.setMaximum(max(base, 1))
        self.quorum.setValue(present)
        self.quorum_text.setText(
            t(
                "ui.present_x_x_quorum_needs_x",
                present=present,
                elected=base,
                need=need,
            )
        )
        roster = sorted(world.roster(self.body), key=lambda d: d.seat.zfill(4) + d.full_name)
        chosen_row = self.roll.currentRow()
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
        for col in (1, 2):
            self.roll.resizeColumnToContents(col)
        if chosen_row >= 0:
            self.roll.selectRow(chosen_row)
        chosen_delegate = self.pair_delegate.currentData()
        self.pair_delegate.clear()
        for d in roster:
            self.pair_delegate.addItem(d.full_name, d.id)
        if chosen_delegate:
            self.pair_delegate.setCurrentIndex(max(0, self.pair_delegate.findData(chosen_delegate)))
        items = sorted(rec.items.values(), key=lambda i: i.order)
        self._items = items
        for widget in (self.items, self.setup_items):
            row = widget.currentRow()
            widget.blockSignals(True)
            widget.clear()
            for item in items:
                mark = "▶ " if item.id == rec.active_item else ""
                widget.addItem(
                    f"{mark}{item.order}. {item.title} ({item_state_label(item.state.value)})"
                )
            widget.setCurrentRow(row)
            widget.blockSignals(False)
        current_doc_item = self.doc_item.currentData()
        self.doc_item.clear()
        for item in items:
            self.doc_item.addItem(item.title, item.id)
        if current_doc_item:
            self.doc_item.setCurrentIndex(max(0, self.doc_item.findData(current_doc_item)))
        chosen = self.present_doc.currentData()
        self.present_doc.blockSignals(True)
        self.present_doc.clear()
        self.setup_docs.clear()
        self._doc_pages_of = {}
        for doc in rec.documents.values():
            self.present_doc.addItem(f"{doc.number_symbol} {doc.title}".strip(), doc.id)
            self.setup_docs.addItem(f"{doc.title} ({doc.pages} {t('ui.pages')})")
            self._doc_pages_of[doc.id] = doc.pages
        if chosen:
            self.present_doc.setCurrentIndex(max(0, self.present_doc.findData(chosen)))
        self._render_rules(world)
        self.present_doc.blockSignals(False)
        self._doc_pages()
        self._render_floor(world, rec)
        self._render_motion(rec)
        self._enable()

    def _doc_pages(self) -> None:
        pages = getattr(self, "_doc_pages_of", {}).get(self.present_doc.currentData(), 1)
        self.present_page.setMaximum(max(1, pages))

    def _snapshot(self) -> A.Snapshot | None:
        world, rec = self.feed.world, self.feed.record()
        if rec is None:
            return None
        item = self._current_item()
        return A.snapshot(
            world, rec, selected_item=item.id if item else None, online=self.feed.link == ONLINE
        )

    def _enable(self) -> None:
        """Every button from the one rule table (meetingapp/actions.py)."""
        snap = self._snapshot()
        ok = A.allowed("secretary", snap) if snap else frozenset()
        for action, button in self.buttons.items():
            button.setEnabled(action.split(".")[0] in ok)
        if snap is not None and A.CHECK_IN_OTHERS in ok and not self.face.devices:
            self.face.start_btn.setEnabled(False)  # no camera here: the images button instead
        for box in self.hands:
            box.setEnabled(A.RECORD_HANDS in ok)
        speech, rec = getattr(self, "_speech", None), self.feed.record()
        chair = self._chair(rec)
        now = self._now_speaking(speech)
        self.interject.setEnabled(
            A.MARK_SPEAKER in ok and chair is not None and now not in (chair, None)
        )
        self.back_to_speaker.setEnabled(
            A.MARK_SPEAKER in ok and speech is not None and now != speech.delegate_id
        )

    def _render_rules(self, world: Any) -> None:
        """The rules a motion may be decided by: the body's rules table, quorum aside."""
        rules = [(n, r) for n, r in world.rules.get(self.body, {}).items() if n != QUORUM]
        shown = [self.motion_rule.itemData(i) for i in range(self.motion_rule.count())]
        if shown == [n for n, _ in rules]:
            return  # unchanged: keep the secretary's choice (and an open drop-down) as it is
        chosen = self.motion_rule.currentData() or MAJORITY
        self.motion_rule.clear()
        for name, rule in rules:
            self.motion_rule.addItem(rule_label(rule) or name, name)
        self.motion_rule.setCurrentIndex(max(0, self.motion_rule.findData(chosen)))

    def _render_floor(self, world: Any, rec: Any) -> None:
        self._queue = rec.floor_queue()
        row = self.queue.currentRow()
        self.queue.clear()
        for n, r in enumerate(self._queue, start=1):
            d = world.delegates.get(r.delegate_id)
            self.queue.addItem(f"{n}. {d.full_name if d else r.delegate_id}")
        self.queue.setCurrentRow(min(row, self.queue.count() - 1))
        speech = rec.speeches.get(rec.current_speech) if rec.current_speech else None
        self._speech = speech
        self.remote.follow(speech.id if speech else None)
        if self.recorder.speech and (speech is None or speech.id != self.recorder.speech):
            self._hall_mic(False)  # the speech ended: the last second and any unsent go now
        if speech:
            d = world.delegates.get(speech.delegate_id)
            text = t("ui.speaking_2") + (d.full_name if d else "")
            now = self._now_speaking(speech)
            if now != speech.delegate_id:
                c = world.delegates.get(now)
                text += "\n" + t("ui.chair_interjecting", name=c.full_name if c else now)
            self.speaking.setText(text)
        else:
            self.speaking.setText(self._silent_speech(world, rec))
        self._update_timer()

    @staticmethod
    def _chair(rec: Any) -> str | None:
        panel = rec.session.chair_panel if rec is not None else ()
        return panel[0] if panel else None

    @staticmethod
    def _now_speaking(speech: Any) -> str | None:
        """Who speaks now inside the running speech: the last mark, else the floor-holder."""
        if speech is None:
            return None
        return speech.marks[-1].delegate_id if speech.marks else speech.delegate_id

    def _silent_speech(self, world: Any, rec: Any) -> str:
        """The last speech reached the host without sound: said here, where it can be redone."""
        ended = [s for s in rec.speeches.values() if s.ended_at]
        if not ended:
            return ""
        last = max(ended, key=lambda s: s.ended_at)
        silent = last.audio_ref and (last.audio_seconds or 0) < 0.5
        try:  # no recording reached the host by a few seconds after the end
            ended = datetime.fromisoformat(last.ended_at)
            late = (datetime.now(ended.tzinfo) - ended).total_seconds() > NO_AUDIO_AFTER_S
        except ValueError:
            late = False
        if silent or (not last.audio_ref and (late or last.id in self.no_audio)):
            d = world.delegates.get(last.delegate_id)
            return t("ui.speech_without_audio", name=d.full_name if d else last.delegate_id)
        return ""

    def _render_motion(self, rec: Any) -> None:
        motion = rec.motions.get(rec.open_motion) if rec.open_motion else None
        if motion is not None:
            received = self.ballots_in.get(motion.id, len(motion.participants))
            self.ballot_count.setText(
                t("ui.x_ballots_received_2", received=received)
                + (t("ui.secret") if motion.form.value == "secret" else "")
                + self._votes_needed(motion.rule)
            )
            self.result.setText(t("ui.voting") + motion.title)
            return
        self.ballot_count.setText("")
        closed = [m for m in rec.motions.values() if m.result is not None]
        if closed:
            m = closed[-1]
            counts, verdict = result_lines(m, "\n")
            self.result.setText(f"{m.title}:\n{counts}\n{verdict}")

    def _votes_needed(self, rule_name: str) -> str:
        """ "cần 7 phiếu tán thành": the motion's rule with the body's numbers (rules module)."""
        world = self.feed.world
        if world is None or rule_name not in world.rules.get(self.body, {}):
            return ""
        need = world.needed(self.sid, rule_name)
        return t("ui.x_in_favour_needed", need=need)

    def _message(self, msg: dict[str, Any]) -> None:
        self.remote.heard(msg)
        if msg.get("type") == "transcription_error":  # e.g. nothing was recorded
            self.no_audio.add(msg.get("speech_id", ""))
            world, rec = self.feed.world, self.feed.record()
            if rec is not None and not rec.current_speech:
                self.speaking.setText(self._silent_speech(world, rec))
        if msg.get("type") == "progress":
            self.ballots_in[msg["motion_id"]] = msg["ballots"]
            rec = self.feed.record()
            if rec is not None:
                self._render_motion(rec)

    def _link(self, state: str) -> None:
        self._enable()

    def _update_timer(self) -> None:
        speech = getattr(self, "_speech", None)
        rec = self.feed.record()
        if speech is None and rec is not None:
            self.speaking.setText(self._silent_speech(self.feed.world, rec))
        self.timer.setText(countdown(speech))
        restyle(self.timer, state=timer_state(speech))
        if self.recorder.speech is None:  # the hall microphone says its own state
            self._remote_health(speech)

    def _remote_health(self, speech: Any) -> None:
        """The speaker's tablet's microphone, as the host receives it, while the speech runs:
        a dead or silent one is said here at once, next to the hall-microphone button."""
        state = self.remote.state()
        world = self.feed.world
        d = world.delegates.get(speech.delegate_id) if world and speech else None
        name = d.full_name if d else ""
        text = t(f"ui.remote_mic.{state}", name=name) if state else ""
        if text != self.mic_state.text():
            self.mic_state.setText(text)
            colour = {LIVE: "#1b7f3b", WAITING: "#8a5a00"}.get(state, "#b3261e")
            self.mic_state.setStyleSheet(f"color: {colour}; font-weight: bold;" if state else "")

    # --- commands ---------------------------------------------------------------------------

    def _selected_delegate(self) -> Any:
        row = self.roll.currentRow()
        return self._roster[row] if 0 <= row < len(getattr(self, "_roster", [])) else None

    def _manual(self) -> None:
        d = self._selected_delegate()
        if d is None:
            self.fail(
                t("ui.choose_a_delegate_in_the_table"),
                self.roll_error,
            )
            return
        dialog = self.manual_dialog(d)
        if dialog.exec():
            self.manual_check_in(d.id, dialog.textValue())

    def manual_dialog(self, d: Any) -> QInputDialog:
        """Asks for the reason, naming the delegate being checked in."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(t("ui.manual_check_in"))
        dialog.setLabelText(t("ui.check_in_x_x_by_hand_reason", full_name=d.full_name, unit=d.unit))
        dialog.setOkButtonText(t("ui.check_in"))
        dialog.setCancelButtonText(t("ui.cancel"))
        return dialog

    def manual_check_in(self, delegate_id: str, reason: str) -> None:
        if not reason.strip():
            self.fail(t("ui.a_reason_is_required"), self.roll_error)
            return
        self.act(
            self.client.check_in(
                self.sid, delegate_id, method=AttendanceMethod.MANUAL, reason=reason.strip()
            ),
            near=self.roll_error,
        )

    def _face_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, t("ui.camera_frames"), "", "JPEG/PNG (*.jpg *.jpeg *.png)"
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
        self.candidates_box.setVisible(bool(found))

    def _confirm_candidate(self) -> None:
        row = self.face_candidates.currentRow()
        found = getattr(self, "_found", [])
        if 0 <= row < len(found):
            did, distance = found[row]
            self.manual_check_in(
                did,
                t("ui.face_confirmed_by_the_secretary_distance", distance=distance),
            )
            self.candidates_box.setVisible(False)

    def _current_item(self) -> Any:
        row = self.items.currentRow()
        items = getattr(self, "_items", [])
        return items[row] if 0 <= row < len(items) else None

    def _start_item(self) -> None:
        item = self._current_item()
        if item:
            self.act(self.client.start_item(self.sid, item.id), near=self.agenda_error)

    def _end_item(self) -> None:
        item = self._current_item()
        if item:
            self.act(self.client.end_item(self.sid, item.id), near=self.agenda_error)

    def _present(self) -> None:
        doc = self.present_doc.currentData()
        if doc:
            self.act(
                self.client.move_presenter(self.sid, doc, self.present_page.value()),
                near=self.agenda_error,
            )

    def _grant(self) -> None:
        row = self.queue.currentRow()
        queue = getattr(self, "_queue", [])
        if not queue:
            return
        request = queue[row if 0 <= row < len(queue) else 0]
        limit = self.limit.value() * 60 or None
        self.act(self.client.grant_floor(self.sid, request.id, limit), near=self.floor_error)

    def _end_speech(self) -> None:
        speech = getattr(self, "_speech", None)
        if speech:
            self.act(self.client.end_speech(self.sid, speech.id), near=self.floor_error)

    def _hall_mic(self, on: bool) -> None:
        """The console's microphone records the running speech (streamed as the tablet does)."""
        speech = getattr(self, "_speech", None)
        if on and speech is not None:
            self.recorder.start(speech.id)
        else:
            self.recorder.stop()
            self.hall_mic.setChecked(False)

    def _mic_health(self, state: str) -> None:
        texts = {
            WAITING: t("ui.hall_mic.waiting"),
            LIVE: t("ui.hall_mic.live"),
            NO_MIC: t("ui.hall_mic.no_mic"),
            SILENT_MIC: t("ui.hall_mic.silent_mic"),
            NOT_SENT: t("ui.hall_mic.not_sent"),
        }
        self.mic_state.setText(texts.get(state, ""))
        colour = {LIVE: "#1b7f3b", WAITING: "#8a5a00", NOT_SENT: "#8a5a00"}.get(state, "#b3261e")
        self.mic_state.setStyleSheet(f"color: {colour}; font-weight: bold;" if state else "")
        self.mic_meter.setVisible(state == LIVE)

    def _mark(self, delegate_id: str | None) -> None:
        speech = getattr(self, "_speech", None)
        if speech is not None and delegate_id:
            self.act(
                self.client.mark_speaker(self.sid, speech.id, delegate_id), near=self.floor_error
            )

    def _chair_interjects(self) -> None:
        self._mark(self._chair(self.feed.record()))

    def _back_to_speaker(self) -> None:
        speech = getattr(self, "_speech", None)
        self._mark(speech.delegate_id if speech else None)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        self.recorder.stop()
        super().closeEvent(event)

    def _open_motion(self) -> None:
        title = self.motion_title.text().strip()
        if not title:
            self.fail(t("ui.enter_the_motion"), self.vote_error)
            return
        rule = self.motion_rule.currentData() or MAJORITY
        self.act(
            self.client.open_motion(
                self.sid, title, BallotForm(self.motion_form.currentData()), rule=rule
            ),
            near=self.vote_error,
        )

    def _close_motion(self, *, confirmed: bool = False) -> None:
        rec = self.feed.record()
        if rec is None or not rec.open_motion:
            return
        motion = rec.motions[rec.open_motion]
        received = self.ballots_in.get(motion.id, len(motion.participants))
        if motion.form.value == "show_of_hands":
            counted = t("ui.the_recorded_show_of_hands")
        else:
            counted = t("ui.x_ballots_received", received=received)
        if not confirmed and not confirm(
            self,
            t("ui.close_the_vote"),
            t("ui.close_the_vote_x_with_x_nobody_can_vote", title=motion.title, counted=counted),
            t("ui.close_the_vote"),
        ):
            return
        self.act(self.client.close_motion(self.sid, rec.open_motion), near=self.vote_error)

    def _close_session(self, *, confirmed: bool = False) -> None:
        rec = self.feed.record()
        if rec is None:
            return
        unheard = [i.title for i in rec.items.values() if i.state.value != "done"]
        text = t("ui.close_the_session_it_cannot_reopen")
        if unheard:
            text += "\n\n" + t("ui.x_agenda_items_are_not_done", count=len(unheard))
            text += "\n• ".join(unheard)
        if not confirmed and not confirm(self, t("ui.close_the_session"), text, t("ui.close")):
            return
        self.act(self.client.close_session(self.sid), near=self.session_error)

    def _record_hands(self) -> None:
        rec = self.feed.record()
        if rec is not None and rec.open_motion:
            yes, no, abstain = (b.value() for b in self.hands)
            self.act(
                self.client.record_hands(self.sid, rec.open_motion, yes, no, abstain),
                near=self.vote_error,
            )
