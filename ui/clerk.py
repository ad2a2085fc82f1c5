"""The clerk's screen: transcript review (audio in step with the text, corrections kept beside
the original) and the minutes (draft, preview, reviewed DOCX, finalise, sign, verify, record).

Signing runs ``meetingapp sign`` in a child process: the key and its password never enter the
app, and pyHanko's own event loop never meets the app's."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from meetingapp.client import HostClient
from ui.bridge import Bridge, Feed
from ui.strings import L, minutes_state_label
from ui.widgets import PdfView, RoleWindow


class SigningFailed(Exception):
    pass


async def run_cli(*args: str, secret: str = "") -> str:
    """``meetingapp …`` in a child process; its message on failure, output on success."""
    env = {**os.environ, "MEETINGAPP_SIGN_SECRET": secret}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "meetingapp",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        out, err = await proc.communicate()
    except asyncio.CancelledError:  # the user pressed Cancel: the child goes too
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        lines = (err or out).decode("utf-8", "replace").strip().splitlines()
        raise SigningFailed(lines[-1] if lines else f"exit {proc.returncode}")
    return out.decode("utf-8", "replace")


class SignDialog(QDialog):
    """Who signs, and with which key: a .p12 file and its password, or a USB token and PIN."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(L("Ký số biên bản", "Sign the minutes"))
        self.role = QComboBox()
        for role, vi, en in (
            ("secretary", "Thư ký", "Secretary"),
            ("chair", "Chủ tọa", "Chair"),
            ("seal", "Văn thư (đóng dấu)", "Seal"),
        ):
            self.role.addItem(L(vi, en), role)
        self.kind = QComboBox()
        self.kind.addItem(L("Tệp chứng thư .p12", ".p12 file"), "p12")
        self.kind.addItem(L("Thiết bị ký (USB token)", "USB token (PKCS#11)"), "pkcs11")
        self.path = QLineEdit()
        browse = QPushButton("…")
        browse.clicked.connect(self._browse)
        self.token = QLineEdit()
        self.token.setPlaceholderText(L("Nhãn token", "Token label"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(L("Người ký", "Signer"), self.role)
        form.addRow(L("Khóa", "Key"), self.kind)
        form.addRow(L("Tệp / thư viện", "File / module"), row)
        form.addRow(L("Token", "Token"), self.token)
        form.addRow(L("Mật khẩu / PIN", "Password / PIN"), self.secret)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "", "", "*.p12 *.pfx *.so")
        if path:
            self.path.setText(path)

    def cli_args(self) -> list[str]:
        args = ["--role", self.role.currentData()]
        if self.kind.currentData() == "p12":
            return [*args, "--p12", self.path.text(), "--password-env", "MEETINGAPP_SIGN_SECRET"]
        return [
            *args,
            "--pkcs11-lib",
            self.path.text(),
            "--token-label",
            self.token.text(),
            "--pin-env",
            "MEETINGAPP_SIGN_SECRET",
        ]


class ClerkWindow(RoleWindow):
    def __init__(
        self,
        bridge: Bridge,
        client: HostClient,
        session_id: str,
        work_dir: Path,
        minutes_client: HostClient | None = None,
    ) -> None:
        """``minutes_client``: the secretary's device, for numbering (finalising) and storing
        signed copies (the host lets only the secretary and the chair finalise)."""
        super().__init__(bridge, L("Thư ký tổng hợp — biên bản", "Clerk — minutes"))
        self.client, self.sid, self.work = client, session_id, work_dir
        self.minutes_client = minutes_client or client
        self.feed = Feed(self.bridge, client, session_id)
        self.progress: dict[str, float] = {}
        self.speech_id: str | None = None
        self.reviewed_docx: bytes = b""
        self.current_pdf: Path | None = None
        self.final: dict[str, Any] | None = None
        self._filling = False
        tabs = QTabWidget()
        tabs.addTab(self._transcripts(), L("Văn bản phát biểu", "Transcripts"))
        tabs.addTab(self._minutes(), L("Biên bản", "Minutes"))
        self.tabs = tabs
        self.setCentralWidget(tabs)
        self.resize(1280, 800)
        self.feed.changed.connect(self.render)
        self.feed.message.connect(self._message)
        self.feed.start()

    # --- transcripts ------------------------------------------------------------------------

    def _transcripts(self) -> QWidget:
        self.speeches = QListWidget()
        self.speeches.currentRowChanged.connect(self._pick_speech)
        self.asr_progress = QProgressBar()
        self.segments = QTableWidget(0, 3)
        self.segments.setHorizontalHeaderLabels(
            [
                L("Thời gian", "Time"),
                L("Văn bản (sửa trực tiếp)", "Text (edit in place)"),
                L("Bản gốc ASR", "ASR original"),
            ]
        )
        self.segments.horizontalHeader().setStretchLastSection(True)
        self.segments.setColumnWidth(1, 520)
        self.segments.itemChanged.connect(self._edited)
        self.segments.cellClicked.connect(self._seek)
        self.play = QPushButton(L("▶ Nghe", "▶ Play"))
        self.play.clicked.connect(self._toggle_play)
        self.player: Any = None
        left = QVBoxLayout()
        left.addWidget(QLabel(L("Các lượt phát biểu", "Speeches")))
        left.addWidget(self.speeches)
        left.addWidget(self.asr_progress)
        lw = QWidget()
        lw.setLayout(left)
        right = QVBoxLayout()
        right.addWidget(self.segments)
        right.addWidget(self.play)
        rw = QWidget()
        rw.setLayout(right)
        split = QSplitter()
        split.addWidget(lw)
        split.addWidget(rw)
        split.setSizes([320, 900])
        return split

    def render(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        if rec is None:
            return
        self._speeches = list(rec.speeches.values())
        row = self.speeches.currentRow()
        self.speeches.blockSignals(True)
        self.speeches.clear()
        for sp in self._speeches:
            d = world.delegates.get(sp.delegate_id)
            if sp.segments:
                state = L("đã sửa", "edited") if sp.edited else L("xong", "done")
            elif sp.id in self.progress:
                state = f"{self.progress[sp.id]:.0f}%"
            else:
                state = L("chờ", "waiting") if sp.ended_at else L("đang nói", "speaking")
            self.speeches.addItem(
                f"{d.full_name if d else sp.delegate_id} — {sp.audio_seconds:.0f} s — {state}"
            )
        self.speeches.setCurrentRow(row)
        self.speeches.blockSignals(False)
        if self.speech_id:
            self._fill_segments()
        minutes = rec.minutes
        if minutes is not None:
            self.minutes_state.setText(
                L("Trạng thái biên bản: ", "Minutes: ") + minutes_state_label(minutes.state.value)
            )

    def _message(self, msg: dict[str, Any]) -> None:
        if msg.get("type") == "transcription":
            self.progress[msg["speech_id"]] = float(msg["percent"])
            if msg["speech_id"] == self.speech_id:
                self.asr_progress.setValue(int(msg["percent"]))

    def _pick_speech(self, row: int) -> None:
        speeches = getattr(self, "_speeches", [])
        if 0 <= row < len(speeches):
            self.speech_id = speeches[row].id
            done = bool(speeches[row].segments)
            self.asr_progress.setValue(100 if done else int(self.progress.get(self.speech_id, 0)))
            self._fill_segments()

    def _speech(self) -> Any:
        rec = self.feed.record()
        return rec.speeches.get(self.speech_id) if rec and self.speech_id else None

    def _fill_segments(self) -> None:
        sp = self._speech()
        if sp is None:
            return
        self._filling = True
        self.segments.setRowCount(len(sp.segments))
        for i, seg in enumerate(sp.segments):
            when = QTableWidgetItem(f"{seg.start:6.1f}–{seg.end:.1f}")
            when.setFlags(when.flags() & ~Qt.ItemFlag.ItemIsEditable)
            text = QTableWidgetItem(seg.edited if seg.edited is not None else seg.text)
            original = QTableWidgetItem(seg.text)
            original.setFlags(original.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if seg.edited is not None:
                text.setToolTip(L(f"Sửa bởi {seg.edited_by}", f"Edited by {seg.edited_by}"))
            for col, item in enumerate((when, text, original)):
                self.segments.setItem(i, col, item)
        self._filling = False

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1 or self.speech_id is None:
            return
        self.edit_segment(item.row(), item.text())

    def edit_segment(self, index: int, text: str) -> None:
        """Store the clerk's correction beside the original (the ASR text is never lost)."""
        assert self.speech_id is not None
        self.act(self.client.edit_segment(self.sid, self.speech_id, index, text))

    def _ensure_player(self) -> Any:
        if self.player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self.player = QMediaPlayer(self)
            self.audio_out = QAudioOutput(self)
            self.player.setAudioOutput(self.audio_out)
            self.player.positionChanged.connect(self._follow_audio)
        return self.player

    def _toggle_play(self) -> None:
        sp = self._speech()
        if sp is None or not sp.audio_ref:
            return
        player = self._ensure_player()
        if player.isPlaying():
            player.pause()
            return

        def loaded(path: Path) -> None:
            if player.source() != QUrl.fromLocalFile(str(path)):
                player.setSource(QUrl.fromLocalFile(str(path)))
            player.play()

        self.act(self.client.audio_file(sp.audio_ref, self.work / "audio"), loaded)

    def _seek(self, row: int, _col: int) -> None:
        sp = self._speech()
        if sp is not None and self.player is not None and row < len(sp.segments):
            self.player.setPosition(int(sp.segments[row].start * 1000))

    def _follow_audio(self, ms: int) -> None:
        sp = self._speech()
        if sp is None:
            return
        for i, seg in enumerate(sp.segments):
            if seg.start * 1000 <= ms < seg.end * 1000:
                self.segments.selectRow(i)
                break

    # --- minutes ----------------------------------------------------------------------------

    def _minutes(self) -> QWidget:
        self.preview = PdfView(self.bridge, width=700)
        buttons = [
            (L("Lập dự thảo", "Draft"), self.draft),
            (L("Mở DOCX để soát", "Open DOCX to review"), self._open_docx),
            (L("Nhập lại DOCX đã soát…", "Re-import reviewed DOCX…"), self._reimport),
            (L("Hoàn tất (đánh số)", "Finalise (number)"), self.finalise),
            (L("Ký số…", "Sign…"), self._sign_dialog),
            (L("Kiểm tra chữ ký", "Verify"), self.verify),
            (L("Xuất hồ sơ lưu trữ…", "Export record package…"), self._export),
        ]
        col = QVBoxLayout()
        for text, slot in buttons:
            b = QPushButton(text)
            b.clicked.connect(slot)
            col.addWidget(b)
        self.minutes_state = QLabel("")
        self.minutes_state.setWordWrap(True)
        self.minutes_info = QLabel("")
        self.minutes_info.setWordWrap(True)
        col.addWidget(self.minutes_state)
        col.addWidget(self.minutes_info)
        col.addStretch()
        cw = QWidget()
        cw.setLayout(col)
        split = QSplitter()
        split.addWidget(cw)
        split.addWidget(self.preview)
        split.setSizes([300, 900])
        return split

    def _show_pdf(self, path: Path) -> None:
        self.current_pdf = path
        self.preview.open(path)

    def draft(self) -> None:
        async def run() -> tuple[Path, Path]:
            d = await self.client.draft_minutes(self.sid)
            out = self.work / "minutes"
            out.mkdir(parents=True, exist_ok=True)
            pdf = out / d["pdf"]["name"]
            docx = out / d["docx"]["name"]
            pdf.write_bytes(await self.client.minutes_file(d["pdf"]["sha256"]))
            docx.write_bytes(await self.client.minutes_file(d["docx"]["sha256"], "docx"))
            return pdf, docx

        def done(paths: tuple[Path, Path]) -> None:
            self.docx = paths[1]
            self._show_pdf(paths[0])
            self.minutes_info.setText(L("Dự thảo: ", "Draft: ") + paths[0].name)

        self.minutes_info.setText(L("Đang lập dự thảo…", "Drafting…"))
        self.act(run(), done)

    def _open_docx(self) -> None:
        docx = getattr(self, "docx", None)
        if docx is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(docx)))

    def _reimport(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "", "", "DOCX (*.docx)")
        if path:
            self.reviewed_docx = Path(path).read_bytes()
            self.minutes_info.setText(L("Sẽ hoàn tất từ: ", "Will finalise from: ") + path)

    def finalise(self) -> None:
        async def run() -> tuple[dict[str, Any], Path]:
            final = await self.minutes_client.finalise_minutes(self.sid, self.reviewed_docx)
            pdf = self.work / "minutes" / final["pdf"]["name"]
            pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.write_bytes(await self.client.minutes_file(final["pdf"]["sha256"]))
            return final, pdf

        def done(result: tuple[dict[str, Any], Path]) -> None:
            self.final, pdf = result
            self.signed = pdf
            self._show_pdf(pdf)
            self.minutes_info.setText(
                L(f"Biên bản số {self.final['number']:02d}", f"Minutes no. {self.final['number']}")
            )

        self.act(run(), done)

    def _sign_dialog(self) -> None:
        dialog = SignDialog(self)
        if dialog.exec():
            self.sign(dialog.cli_args(), dialog.secret.text())

    def sign(self, key_args: list[str], secret: str) -> None:
        """Sign the latest copy in a child process, then hand it to the host to check."""
        source = getattr(self, "signed", None)
        if source is None:
            self.fail(L("Hãy hoàn tất biên bản trước khi ký", "Finalise the minutes first"))
            return
        signed_suffix = ".signed.pdf"
        target = (
            source
            if source.name.endswith(signed_suffix)
            else source.with_name(source.stem + signed_suffix)
        )

        async def run() -> dict[str, Any]:
            await run_cli("sign", str(source), *key_args, "--out", str(target), secret=secret)
            return await self.client.upload_signed_minutes(self.sid, target.read_bytes())

        def done(stored: dict[str, Any]) -> None:
            self.signed = target
            self._show_pdf(target)
            self.minutes_info.setText(L("Đã ký: ", "Signed: ") + ", ".join(stored["signers"]))

        self.minutes_info.setText(L("Đang ký…", "Signing…"))
        self.act(run(), done)

    def verify(self, trust: Path | None = None) -> None:
        pdf = getattr(self, "signed", None)
        if pdf is None:
            return
        args = ["verify", str(pdf)] + (["--trust", str(trust)] if trust else [])

        async def run() -> str:
            try:
                return await run_cli(*args)
            except SigningFailed as exc:
                return str(exc)

        self.act(run(), self.minutes_info.setText)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "", "ho-so.zip", "ZIP (*.zip)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        async def run() -> Path:
            _name, data = await self.client.record_package(self.sid)
            path.write_bytes(data)
            return path

        self.act(run(), lambda p: self.minutes_info.setText(L("Đã lưu: ", "Saved: ") + str(p)))
