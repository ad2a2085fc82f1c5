"""The secretary's set-up screens, from a clean data directory to a session ready to run:
the body and its term, the roster (CSV/XLSX with a preview and every bad row named), the
session (number, title, term, place, date and time, chair, secretaries), the agenda (type,
presenter, documents with their number/symbol), the pairing sheet (one QR card per delegate,
PDF), PIN check-in at the console for a delegate without a tablet, and the console itself.

Every action is a request to the host (the same API a headless host is set up with); the
screens re-read the organisation from the host after each change."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from meetingapp.client import HostClient
from meetingapp.domain import BodyKind, ItemKind
from ui.bridge import LOST, ONLINE, Bridge
from ui.strings import body_kind_label, item_kind_label, lang, role_label, session_state_label, t
from ui.widgets import RoleWindow, ask_roster_file


def fit(table: QTableWidget, stretch: int) -> None:
    """Columns as wide as their text; column ``stretch`` takes the rest."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if 0 <= stretch < table.columnCount():
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def seen_at(iso: str | None) -> str:
    """A device's last request, in local time (today: the time only)."""
    if not iso:
        return t("ui.device_never_seen")
    when = dt.datetime.fromisoformat(iso).astimezone()
    today = dt.datetime.now().astimezone().date()
    return when.strftime("%H:%M:%S" if when.date() == today else "%H:%M %d/%m/%Y")


def preview_roster(path: Path, known: set[str]) -> tuple[list[list[str]], list[str], list[Any]]:
    """(rows as read, row errors in the user's language, delegates for the API). Off the
    window's thread: a large XLSX takes a moment."""
    from meetingapp.errors import RosterImportError
    from meetingapp.roster import delegates_from_file, read_rows

    try:
        rows = read_rows(path)
    except RosterImportError as exc:
        return [], [r.message(lang()) for r in exc.rows], []
    try:
        delegates = delegates_from_file(path, known)
    except RosterImportError as exc:
        return rows, [r.message(lang()) for r in exc.rows], []
    return rows, [], delegates


class SetupWindow(RoleWindow):
    def __init__(self, bridge: Bridge, client: HostClient, work_dir: Path) -> None:
        super().__init__(bridge, t("ui.session_set_up_secretary"))
        self.client, self.work = client, work_dir
        self.org: dict[str, Any] = {"bodies": [], "sessions": []}
        self.pending_roster: list[Any] = []
        self.items: dict[str, Any] = {}
        self._select_after: int | None = None
        self.consoles: list[QWidget] = []
        self.tabs = QTabWidget()
        self.tabs.addTab(self._body_tab(), t("ui.1_body_and_term"))
        self.tabs.addTab(self._roster_tab(), t("ui.2_delegates"))
        self.tabs.addTab(self._session_tab(), t("ui.3_session"))
        self.tabs.addTab(self._agenda_tab(), t("ui.4_agenda"))
        self.tabs.addTab(self._devices_tab(), t("ui.5_devices_check_in"))
        self.setCentralWidget(self.tabs)
        self.resize(1100, 760)
        self.refresh()

    # --- the organisation, as the host has it --------------------------------------------------

    def refresh(self, *_: Any) -> None:
        async def read() -> tuple[dict[str, Any], dict[str, Any] | None]:
            org = await self.client.get("/api/organisation")
            org["device_list"] = await self.client.devices()  # with last seen and revoked
            sid = self._session_id(org)
            return org, (await self.client.state(sid)) if sid else None

        self.bridge.call(read(), self._show, self._not_read)

    def _not_read(self, exc: BaseException) -> None:
        """The organisation could not be read: a host out of reach is said on the status bar's
        link, as the console's live stream says it."""
        if isinstance(exc, httpx.TransportError | OSError | TimeoutError):
            self.link_changed(LOST)
        self.fail(exc)

    def body(self) -> dict[str, Any] | None:
        return self.org["bodies"][0] if self.org["bodies"] else None

    def _session_id(self, org: dict[str, Any] | None = None) -> str | None:
        org = org or self.org
        chosen = self.session_pick.currentData() if self.session_pick.count() else None
        known = {s["id"] for s in org["sessions"]}
        if chosen in known:
            return str(chosen)
        return org.get("current_session") or (
            org["sessions"][-1]["id"] if org["sessions"] else None
        )

    def _show(self, loaded: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
        self.org, state = loaded
        self.link_changed(ONLINE)  # this window has no live stream: a read that worked says so
        body = self.body()
        self.body_summary.setText(
            t(
                "ui.x_term_x_x_seats",
                name=body["name"],
                term=body["term"] or "…",
                seats=body["total_seats"],
            )
            if body
            else t("ui.no_body_yet_fill_in_and_create")
        )
        self.create_body_btn.setEnabled(body is None)
        people = body["delegates"] if body else []
        self.roster.setRowCount(len(people))
        for r, d in enumerate(people):
            for c, key in enumerate(("seat", "full_name", "title", "unit")):
                self.roster.setItem(r, c, QTableWidgetItem(d[key]))
            self.roster.setItem(r, 4, QTableWidgetItem("✔" if d["has_pin"] else ""))
        self.roster_count.setText(t("ui.x_delegates", count=len(people)))
        for combo in (self.chair, self.pin_delegate, self.absent_delegate):
            keep = combo.currentData()
            combo.clear()
            for d in people:
                combo.addItem(d["full_name"], d["id"])
            if keep is not None and combo.findData(keep) >= 0:
                combo.setCurrentIndex(combo.findData(keep))
        checked = {
            self.secretaries.item(i).data(256)
            for i in range(self.secretaries.count())
            if self.secretaries.item(i).checkState() == Qt.CheckState.Checked
        }
        self.secretaries.clear()
        for d in people:
            item = QListWidgetItem(d["full_name"])
            item.setData(256, d["id"])
            item.setCheckState(
                Qt.CheckState.Checked if d["id"] in checked else Qt.CheckState.Unchecked
            )
            self.secretaries.addItem(item)
        if body and not self.session_term.text():
            self.session_term.setText(body["term"])
        keep = self.session_pick.currentData()
        self.session_pick.blockSignals(True)
        self.session_pick.clear()
        for s in self.org["sessions"]:
            label = session_state_label(s["state"])
            self.session_pick.addItem(f"{s['number']}. {s['title']} ({label})", s["id"])
        sid = keep if keep and self.session_pick.findData(keep) >= 0 else self._session_id()
        if sid:
            self.session_pick.setCurrentIndex(self.session_pick.findData(sid))
        self.session_pick.blockSignals(False)
        if self.number.value() <= len(self.org["sessions"]):
            self.number.setValue(len(self.org["sessions"]) + 1)
        self._show_agenda(state)
        self.open_console_btn.setEnabled(bool(self.org["sessions"]))
        self._show_devices()

    # --- 1. body and term -------------------------------------------------------------------

    def _body_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout()
        self.body_kind = QComboBox()
        for kind in BodyKind:
            self.body_kind.addItem(body_kind_label(kind.value), kind.value)
        self.body_name = QLineEdit()
        self.body_name.setPlaceholderText("Hội đồng nhân dân xã Tân Hà")
        self.seats = QSpinBox()
        self.seats.setRange(1, 1000)
        self.seats.setValue(25)
        self.term = QLineEdit()
        self.term.setPlaceholderText("2021-2026")
        form.addRow(t("ui.kind"), self.body_kind)
        form.addRow(t("ui.body_name"), self.body_name)
        form.addRow(t("ui.seats_elected"), self.seats)
        form.addRow(t("ui.term"), self.term)
        self.create_body_btn = QPushButton(t("ui.create_the_body"))
        self.create_body_btn.clicked.connect(self.create_body)
        self.body_summary = QLabel("")
        self.body_summary.setObjectName("title")
        self.body_summary.setWordWrap(True)
        col = QVBoxLayout(w)
        col.addWidget(self.body_summary)
        col.addLayout(form)
        col.addWidget(self.create_body_btn)
        col.addStretch()
        return w

    def create_body(self) -> None:
        kind = BodyKind(self.body_kind.currentData())
        self.act(
            self.client.create_body(
                kind, self.body_name.text().strip(), self.seats.value(), self.term.text().strip()
            ),
            self.refresh,
        )

    # --- 2. roster ----------------------------------------------------------------------------

    def _roster_tab(self) -> QWidget:
        w = QWidget()
        pick = QPushButton(t("ui.choose_a_roster_file_csv_xlsx"))
        pick.clicked.connect(self._pick_roster)
        self.preview = QTableWidget(0, 0)
        self.preview.setMaximumHeight(220)
        self.row_errors = QLabel("")
        self.row_errors.setObjectName("error")
        self.row_errors.setWordWrap(True)
        self.import_btn = QPushButton(t("ui.import_these_delegates"))
        self.import_btn.setEnabled(False)
        self.import_btn.clicked.connect(self.import_previewed)
        self.roster = QTableWidget(0, 5)
        self.roster.setHorizontalHeaderLabels(
            [
                t("ui.seat"),
                t("ui.full_name"),
                t("ui.job_title"),
                t("ui.group_or_unit"),
                "PIN",
            ]
        )
        fit(self.roster, stretch=1)
        self.roster_count = QLabel("")
        col = QVBoxLayout(w)
        col.addWidget(pick)
        col.addWidget(QLabel(t("ui.preview")))
        col.addWidget(self.preview)
        col.addWidget(self.row_errors)
        col.addWidget(self.import_btn)
        col.addWidget(self.roster_count)
        col.addWidget(self.roster, 1)
        return w

    def _pick_roster(self) -> None:
        if path := ask_roster_file(self):
            self.preview_file(path)

    def preview_file(self, path: Path) -> None:
        """Show the file as read and every bad row; importing is possible only without errors."""
        body = self.body()
        known = {d["id"] for d in body["delegates"]} if body else set()

        def show(result: tuple[list[list[str]], list[str], list[Any]]) -> None:
            rows, errors, delegates = result
            header, data = (rows[0], rows[1:]) if rows else ([], [])
            self.preview.setColumnCount(len(header))
            self.preview.setHorizontalHeaderLabels(header)
            self.preview.setRowCount(len(data))
            fit(self.preview, stretch=0)
            for r, row in enumerate(data):
                for c, cell in enumerate(row[: len(header)]):
                    self.preview.setItem(r, c, QTableWidgetItem(cell))
            self.row_errors.setText("\n".join(errors))
            self.pending_roster = delegates
            self.import_btn.setEnabled(bool(delegates) and not errors and body is not None)

        self.row_errors.setText(t("ui.reading_the_file"))
        self.bridge.call(asyncio.to_thread(preview_roster, path, known), show, self.fail)

    def import_previewed(self) -> None:
        body = self.body()
        if body is None or not self.pending_roster:
            return
        delegates, self.pending_roster = self.pending_roster, []
        self.import_btn.setEnabled(False)

        def done(ids: list[str]) -> None:
            self.ok(t("ui.imported_x_delegates", count=len(ids)))
            self.refresh()

        self.act(self.client.add_delegates(body["id"], delegates), done)

    # --- 3. session ---------------------------------------------------------------------------

    def _session_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout()
        self.number = QSpinBox()
        self.number.setRange(1, 1000)
        self.session_title = QLineEdit()
        self.session_title.setPlaceholderText("Kỳ họp thứ Mười (kỳ họp thường lệ cuối năm)")
        self.session_term = QLineEdit()
        self.place = QLineEdit()
        self.place.setPlaceholderText(t("ui.meeting_hall"))
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setCalendarPopup(True)
        self.chair = QComboBox()
        self.secretaries = QListWidget()
        self.secretaries.setMaximumHeight(160)
        form.addRow(t("ui.session_number"), self.number)
        form.addRow(t("ui.session_title"), self.session_title)
        form.addRow(t("ui.term"), self.session_term)
        form.addRow(t("ui.place"), self.place)
        form.addRow(t("ui.date_and_time"), self.when)
        form.addRow(t("role.chair"), self.chair)
        form.addRow(t("ui.secretaries"), self.secretaries)
        create = QPushButton(t("ui.create_the_session"))
        create.clicked.connect(self.create_session)
        col = QVBoxLayout(w)
        col.addLayout(form)
        col.addWidget(create)
        col.addStretch()
        return w

    def create_session(self) -> None:
        body = self.body()
        if body is None:
            self.fail(t("ui.create_the_body_first"))
            return
        secretaries = [
            self.secretaries.item(i).data(256)
            for i in range(self.secretaries.count())
            if self.secretaries.item(i).checkState() == Qt.CheckState.Checked
        ]
        fields = {
            "body_id": body["id"],
            "number": self.number.value(),
            "title": self.session_title.text().strip(),
            "term": self.session_term.text().strip(),
            "place": self.place.text().strip(),
            "scheduled_start": self.when.dateTime().toString(Qt.DateFormat.ISODate),
            "chair_panel": [self.chair.currentData()] if self.chair.currentData() else [],
            "secretaries": secretaries,
        }

        def done(sid: str) -> None:
            self.ok(t("ui.session_created"))
            self.session_pick.addItem(fields["title"], sid)
            self.session_pick.setCurrentIndex(self.session_pick.count() - 1)
            self.refresh()
            self.tabs.setCurrentIndex(3)

        self.act(self.client.create_session(**fields), done)

    # --- 4. agenda and documents ------------------------------------------------------------

    def _agenda_tab(self) -> QWidget:
        w = QWidget()
        self.session_pick = QComboBox()
        self.session_pick.currentIndexChanged.connect(self.refresh)
        add = QGroupBox(t("ui.add_an_item"))
        form = QFormLayout(add)
        self.item_kind = QComboBox()
        for kind in ItemKind:
            self.item_kind.addItem(item_kind_label(kind.value), kind.value)
        self.item_title = QLineEdit()
        self.presenter = QLineEdit()
        self.presenter.setPlaceholderText(t("ui.e_g_chair_of_the_committee"))
        add_btn = QPushButton(t("ui.add_to_the_agenda"))
        add_btn.clicked.connect(self.add_item)
        form.addRow(t("ui.item_type"), self.item_kind)
        form.addRow(t("ui.agenda_item_title"), self.item_title)
        form.addRow(t("ui.presenter"), self.presenter)
        form.addRow(add_btn)
        self.agenda = QTableWidget(0, 4)
        self.agenda.setHorizontalHeaderLabels(
            ["#", t("ui.item_type"), t("ui.agenda_item_title"), t("ui.presenter")]
        )
        fit(self.agenda, stretch=2)
        docs = QGroupBox(t("ui.documents_of_an_item"))
        dform = QFormLayout(docs)
        self.doc_item = QComboBox()
        self.doc_title = QLineEdit()
        self.doc_type = QLineEdit()
        self.doc_type.setPlaceholderText(t("ui.document_type_examples"))
        self.doc_number = QLineEdit()
        self.doc_number.setPlaceholderText("125/TTr-UBND")
        upload = QPushButton(t("ui.choose_a_pdf_and_upload"))
        upload.clicked.connect(self._pick_document)
        dform.addRow(t("ui.agenda_item"), self.doc_item)
        dform.addRow(t("ui.title"), self.doc_title)
        dform.addRow(t("ui.document_type"), self.doc_type)
        dform.addRow(t("ui.number_symbol"), self.doc_number)
        dform.addRow(upload)
        self.doc_list = QListWidget()
        col = QVBoxLayout(w)
        col.addWidget(self.session_pick)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(docs)
        col.addLayout(row)
        col.addWidget(self.agenda, 1)
        edit = QHBoxLayout()
        for text, slot in (
            (t("ui.up"), lambda: self.move_item(-1)),
            (t("ui.down"), lambda: self.move_item(1)),
            (t("ui.amend_from_the_fields_above"), self.amend_item),
            (t("ui.remove_from_the_agenda"), self.remove_item),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            edit.addWidget(b)
        self.agenda.itemSelectionChanged.connect(self._selected_item)
        col.addLayout(edit)
        col.addWidget(self.doc_list)
        return w

    def _item_ids(self) -> list[str]:
        return [self.agenda.item(r, 0).data(256) for r in range(self.agenda.rowCount())]

    def _current_item(self) -> str | None:
        row = self.agenda.currentRow()
        return self._item_ids()[row] if 0 <= row < self.agenda.rowCount() else None

    def _selected_item(self) -> None:
        """The selected item's fields, ready to amend."""
        item = self.items.get(self._current_item() or "")
        if item is not None:
            self.item_kind.setCurrentIndex(self.item_kind.findData(item["kind"]))
            self.item_title.setText(item["title"])
            self.presenter.setText(item["presenter"])

    def move_item(self, step: int) -> None:
        sid, ids, row = self._session_id(), self._item_ids(), self.agenda.currentRow()
        if not sid or not 0 <= row + step < len(ids) or row < 0:
            return
        ids[row], ids[row + step] = ids[row + step], ids[row]
        self._select_after = row + step
        self.act(self.client.reorder_agenda(sid, ids), self.refresh)

    def amend_item(self) -> None:
        sid, item = self._session_id(), self._current_item()
        if not sid or not item:
            self.fail(t("ui.choose_an_item"))
            return
        kind = ItemKind(self.item_kind.currentData())
        title, presenter = self.item_title.text().strip(), self.presenter.text().strip()
        self._select_after = self.agenda.currentRow()
        self.act(self.client.amend_item(sid, item, title, presenter, kind), self.refresh)

    def remove_item(self) -> None:
        sid, item = self._session_id(), self._current_item()
        if not sid or not item:
            self.fail(t("ui.choose_an_item"))
            return
        self.act(self.client.remove_item(sid, item), self.refresh)

    def _show_agenda(self, state: dict[str, Any] | None) -> None:
        record = (state or {}).get("session") or {}
        items = sorted(record.get("items", {}).values(), key=lambda i: i["order"])
        self.agenda.setRowCount(len(items))
        keep = self.doc_item.currentData()
        self.doc_item.clear()
        self.items = {i["id"]: i for i in items}
        self.agenda.blockSignals(True)
        for r, item in enumerate(items):
            kind = item_kind_label(item["kind"])
            for c, text in enumerate((str(item["order"]), kind, item["title"], item["presenter"])):
                self.agenda.setItem(r, c, QTableWidgetItem(text))
            self.doc_item.addItem(f"{item['order']}. {item['title']}", item["id"])
            self.agenda.item(r, 0).setData(256, item["id"])
        self.agenda.blockSignals(False)
        if self._select_after is not None and self._select_after < len(items):
            self.agenda.selectRow(self._select_after)
        self._select_after = None
        if keep is not None and self.doc_item.findData(keep) >= 0:
            self.doc_item.setCurrentIndex(self.doc_item.findData(keep))
        self.doc_list.clear()
        for d in record.get("documents", {}).values():
            number = f" — {d['number_symbol']}" if d.get("number_symbol") else ""
            self.doc_list.addItem(
                f"{d['doc_type'] or '📄'}: {d['title']}{number} ({d['pages']} tr.)"
            )

    def add_item(self) -> None:
        sid = self._session_id()
        if not sid:
            self.fail(t("ui.create_the_session_first"))
            return
        title = self.item_title.text().strip()
        kind = ItemKind(self.item_kind.currentData())

        def done(_id: str) -> None:
            self.item_title.clear()
            self.presenter.clear()
            self.refresh()

        self.act(self.client.add_item(sid, title, self.presenter.text().strip(), kind), done)

    def _pick_document(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("ui.document"), "", "PDF (*.pdf)")
        if path:
            self.upload_document(Path(path))

    def upload_document(self, path: Path) -> None:
        sid, item = self._session_id(), self.doc_item.currentData()
        if not sid or not item:
            self.fail(t("ui.add_an_agenda_item_first"))
            return
        title = self.doc_title.text().strip() or path.stem
        doc_type, number = self.doc_type.text().strip(), self.doc_number.text().strip()

        async def run() -> Any:
            pdf = await asyncio.to_thread(path.read_bytes)
            return await self.client.upload_document(sid, item, title, pdf, doc_type, number)

        def done(_doc: Any) -> None:
            for w in (self.doc_title, self.doc_type, self.doc_number):
                w.clear()
            self.refresh()

        self.act(run(), done)

    # --- 5. devices, the pairing sheet, PIN check-in, the console --------------------------

    def _devices_tab(self) -> QWidget:
        w = QWidget()
        sheet = QGroupBox(t("ui.tablet_pairing_sheet"))
        self.ttl = QSpinBox()
        self.ttl.setRange(10, 1440)
        self.ttl.setValue(180)
        self.ttl.setSuffix(t("ui.min"))
        print_btn = QPushButton(t("ui.print_the_qr_cards_pdf"))
        print_btn.clicked.connect(self._pick_sheet)
        self.sheet_result = QLabel("")
        self.sheet_result.setWordWrap(True)
        # browsers (the web seat and display) trust the host's CA once: the clerk's steps
        trust_btn = QPushButton(t("ui.print_the_trust_sheet"))
        trust_btn.clicked.connect(self._pick_trust_sheet)
        sl = QFormLayout(sheet)
        sl.addRow(t("ui.codes_valid_for"), self.ttl)
        sl.addRow(print_btn)
        sl.addRow(trust_btn)
        sl.addRow(self.sheet_result)

        pin = QGroupBox(t("ui.pin_check_in_at_the_console"))
        self.pin_delegate = QComboBox()
        self.pin_code = QLineEdit()
        self.pin_code.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_code.setPlaceholderText(t("ui.the_delegate_types_the_pin"))
        pin_btn = QPushButton(t("ui.check_in"))
        pin_btn.clicked.connect(self.pin_check_in)
        self.pin_result = QLabel("")
        pl = QFormLayout(pin)
        pl.addRow(t("ui.delegate"), self.pin_delegate)
        pl.addRow("PIN", self.pin_code)
        pl.addRow(pin_btn)
        pl.addRow(self.pin_result)

        absent = QGroupBox(t("ui.absent_leaving_early_minutes"))
        self.absent_delegate = QComboBox()
        self.absent_reason = QLineEdit()
        self.absent_reason.setPlaceholderText(t("ui.reason_e_g_away_on_duty"))
        absent_btn = QPushButton(t("ui.record_the_absence"))
        absent_btn.clicked.connect(self.note_absence)
        left_btn = QPushButton(t("ui.record_leaving_early"))
        left_btn.clicked.connect(self.leave_early)
        al = QFormLayout(absent)
        al.addRow(t("ui.delegate"), self.absent_delegate)
        al.addRow(t("ui.reason"), self.absent_reason)
        buttons = QHBoxLayout()
        buttons.addWidget(absent_btn)
        buttons.addWidget(left_btn)
        al.addRow(buttons)

        devices = QGroupBox(t("ui.paired_devices"))
        self.where = QLabel("")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.devices = QTableWidget(0, 5)
        self.devices.setHorizontalHeaderLabels(
            [t("ui.device"), t("ui.role"), t("ui.delegate"), t("ui.device_last_seen"), ""]
        )
        self.devices.verticalHeader().setVisible(False)
        fit(self.devices, stretch=0)
        self.device_result = QLabel("")
        self.device_result.setWordWrap(True)
        dl = QVBoxLayout(devices)
        dl.addWidget(self.where)
        dl.addWidget(self.devices)
        dl.addWidget(self.device_result)

        self.open_console_btn = QPushButton(t("ui.open_the_session_console"))
        self.open_console_btn.setObjectName("primary")
        self.open_console_btn.clicked.connect(self.open_console)
        col = QVBoxLayout(w)
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(sheet)
        left.addWidget(pin)
        left.addWidget(absent)
        left.addStretch()
        row.addLayout(left, 1)
        row.addWidget(devices, 1)
        col.addLayout(row, 1)
        col.addWidget(self.open_console_btn)
        return w

    def _show_devices(self) -> None:

        host = self.org.get("host") or {}
        if host:
            from meetingapp.device_store import short_fingerprint

            self.where.setText(
                t("ui.tablets_connect_to")
                + ", ".join(host["urls"])
                + "\n"
                + t("ui.certificate_fingerprint")
                + short_fingerprint(host["ca_fingerprint"])
            )
        body = self.body()
        names = {d["id"]: d["full_name"] for d in body["delegates"]} if body else {}
        listed = self.org.get("device_list", [])
        rows = [d for d in listed if d["device_id"] != "console-local"]
        self.devices.setRowCount(len(rows))
        for r, d in enumerate(rows):
            who = names.get(d["delegate_id"] or "", "")
            seen = (
                t("ui.device_revoked")
                if d["revoked"]
                else t("ui.device_expired")
                if d["expired"]
                else seen_at(d.get("last_seen"))
            )
            for c, text in enumerate((d["name"], role_label(d["role"]), who, seen)):
                item = QTableWidgetItem(text)
                item.setToolTip(d["device_id"])
                self.devices.setItem(r, c, item)
            if d["revoked"]:
                self.devices.removeCellWidget(r, 4)
                continue
            btn = QPushButton(t("ui.revoke_device"))
            btn.setObjectName(f"revoke-{d['device_id']}")
            btn.clicked.connect(lambda _=False, d=d: self.ask_revoke(d["device_id"], d["name"]))
            self.devices.setCellWidget(r, 4, btn)
        self.devices.resizeRowsToContents()  # rows as tall as their buttons

    def ask_revoke(self, device_id: str, name: str) -> None:
        """Confirm, with a reason (kept in the log), then revoke."""
        reason, ok = QInputDialog.getText(
            self, t("ui.revoke_device_title"), t("ui.revoke_device_question", name=name)
        )
        if ok:
            self.revoke_device(device_id, name, reason.strip())

    def revoke_device(self, device_id: str, name: str, reason: str) -> None:
        def done(_: Any) -> None:
            self.device_result.setText(t("ui.device_revoked_x", name=name))
            self.refresh()

        self.act(self.client.revoke_device(device_id, reason), done, near=self.device_result)

    def _pick_sheet(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, t("ui.save_the_pairing_sheet"), "phieu-ghep-may.pdf", "PDF (*.pdf)"
        )
        if path:
            self.print_sheet(Path(path))

    def print_sheet(self, path: Path) -> None:
        from meetingapp.pairing_sheet import make_sheet

        def done(sheet: dict[str, Any]) -> None:
            self.sheet_result.setText(
                t("ui.printed_x_cards_x", count=len(sheet["cards"]), path=path)
            )

        self.act(make_sheet(self.client, path, ttl_min=self.ttl.value(), lang=lang()), done)

    def _pick_trust_sheet(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, t("ui.print_the_trust_sheet"), "tin-cay-may-chu.pdf", "PDF (*.pdf)"
        )
        if path:
            self.print_trust_sheet(Path(path))

    def print_trust_sheet(self, path: Path) -> None:
        """The printed steps to trust the host's CA on iPads, Android tablets and displays."""
        from meetingapp.atomic import atomic_write

        async def fetch() -> None:
            data = await self.client.trust_sheet()
            await asyncio.to_thread(atomic_write, path, data)

        self.act(
            fetch(), lambda _: self.sheet_result.setText(t("ui.trust_sheet_written_x", path=path))
        )

    def pin_check_in(self) -> None:
        sid, did, pin = self._session_id(), self.pin_delegate.currentData(), self.pin_code.text()
        if not sid or not did:
            return
        self.pin_code.clear()

        def done(_r: Any) -> None:
            self.pin_result.setText(t("ui.x_checked_in", name=self.pin_delegate.currentText()))

        def failed(exc: BaseException) -> None:
            self.pin_result.setText("")
            self.fail(exc)

        self.pin_result.setText("")
        self.bridge.call(
            self.client.post(
                f"/api/sessions/{sid}/console-check-in", {"delegate_id": did, "pin": pin}
            ),
            done,
            failed,
        )

    def note_absence(self) -> None:
        """Vắng có lý do: the reason goes into the minutes."""
        sid, did = self._session_id(), self.absent_delegate.currentData()
        if sid and did:
            body = {"delegate_id": did, "reason": self.absent_reason.text().strip()}
            self.act(self.client.post(f"/api/sessions/{sid}/absences", body), self._noted)

    def leave_early(self) -> None:
        """Về sớm: a check-out with its reason, in the minutes."""
        sid, did = self._session_id(), self.absent_delegate.currentData()
        if sid and did:
            reason = self.absent_reason.text().strip()
            self.act(self.client.check_out(sid, did, reason), self._noted)

    def _noted(self, _result: Any) -> None:
        self.ok(t("ui.recorded_x", name=self.absent_delegate.currentText()))
        self.absent_reason.clear()

    def open_console(self) -> QWidget | None:
        from ui.secretary import SecretaryConsole

        sid, body = self._session_id(), self.body()
        if not sid or body is None:
            return None
        console = SecretaryConsole(self.shared, self.client, sid, body["id"])
        console.show()
        self.consoles.append(console)
        return console

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        for w in self.consoles:
            w.close()
        super().closeEvent(event)
