"""The clerk's screen: transcript review (audio in step with the text, corrections kept beside
the original) and the minutes (draft, preview, reviewed DOCX, finalise, sign, verify, record).

Signing runs ``meetingapp sign`` in a child process: the key and its password never enter the
app, and pyHanko's own event loop never meets the app's."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from meetingapp import actions as A
from meetingapp.client import HostClient
from ui.bridge import LOST, Bridge, Feed
from ui.strings import lang, minutes_state_label, role_label, t
from ui.widgets import CaptionLine, PdfView, RoleWindow, confirm

log = logging.getLogger(__name__)

# a segment cell's marked text: (the plain text it was made from, the same as HTML)
MARKED = Qt.ItemDataRole.UserRole + 1
UNSURE_STYLE = "background-color: #fff176; text-decoration: underline;"


def marked_html(text: str, review: Any) -> str:
    """``text`` as HTML with each word the speech model was unsure of (``segment.review``, in
    the order spoken) highlighted; a word no longer found in the text is skipped."""
    out, pos = [], 0
    for word in review:
        w = word.text.strip()
        found = re.compile(rf"(?<!\w){re.escape(w)}(?!\w)").search(text, pos) if w else None
        if found is None:
            continue
        out.append(html.escape(text[pos : found.start()]))
        out.append(f'<span style="{UNSURE_STYLE}">{html.escape(found.group())}</span>')
        pos = found.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


class MarkedText(QStyledItemDelegate):
    """Draws a cell's ``MARKED`` HTML (low-confidence words highlighted) while its text is
    still the one marked; a cell being typed into, or corrected, is drawn as plain text."""

    def _doc(self, option: QStyleOptionViewItem, index: Any) -> QTextDocument | None:
        mark = index.data(MARKED)
        if not mark or mark[0] != index.data(Qt.ItemDataRole.DisplayRole):
            return None
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(mark[1])
        if option.rect.width() > 0:
            doc.setTextWidth(option.rect.width())
        return doc

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Any) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._doc(opt, index)
        if doc is None:
            super().paint(painter, option, index)
            return
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.translate(opt.rect.topLeft())
        doc.drawContents(painter, QRect(0, 0, opt.rect.width(), opt.rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._doc(opt, index)
        if doc is None:
            return super().sizeHint(option, index)
        return QSize(int(doc.idealWidth()) + 1, int(doc.size().height()) + 1)


class SigningFailed(Exception):
    """The child's own message (already in the user's language), or a plain one."""

    def message(self, lang: str | None = None) -> str:
        return str(self.args[0]) if self.args else ""


async def run_cli(*args: str, secret: str = "", check: bool = True) -> str:
    """``meetingapp …`` in a child process; its message on failure, output on success."""
    env = {**os.environ, "MEETINGAPP_SIGN_SECRET": secret, "MEETINGAPP_LANG": lang()}
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
    if proc.returncode != 0 and not (not check and out.strip()):
        text = (err or out).decode("utf-8", "replace").strip()
        lines = text.splitlines()
        if not lines or "Traceback (most recent call last)" in text:
            log.warning("meetingapp %s failed: %s", args[0], text)
            raise SigningFailed(t("ui.it_failed_see_the_log"))
        raise SigningFailed(lines[-1])  # the command's own message, in the user's language
    return out.decode("utf-8", "replace")


SIGN_STEPS = (
    ("secretary", A.SIGN_SECRETARY),
    ("chair", A.SIGN_CHAIR),
    ("seal", A.SEAL),
)
FIELD_ROLE = {"ThuKy": "secretary", "ChuToa": "chair", "DauCoQuan": "seal"}


class SignDialog(QDialog):
    """One step of the signing order: the signer is fixed by the step; the key (a .p12 file
    and its password, or a USB token and PIN) — the file is remembered for next time."""

    def __init__(self, role: str, remembered: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.role = role
        self.setWindowTitle(t("ui.sign_the_minutes") + role_label(role))
        self.kind = QComboBox()
        self.kind.addItem(t("ui.p12_file"), "p12")
        self.kind.addItem(t("ui.usb_token_pkcs_11"), "pkcs11")
        self.kind.setCurrentIndex(max(0, self.kind.findData(remembered.get("kind", "p12"))))
        self.path = QLineEdit(remembered.get("path", ""))
        browse = QPushButton("…")
        browse.setToolTip(t("ui.choose_a_file"))
        browse.clicked.connect(self._browse)
        self.token = QLineEdit(remembered.get("token", ""))
        self.token.setPlaceholderText(t("ui.token_label"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        form = QFormLayout(self)
        signer = QLabel(role_label(role))
        signer.setObjectName("title")
        form.addRow(t("ui.signer"), signer)
        form.addRow(t("ui.key"), self.kind)
        form.addRow(t("ui.file_module"), row)
        form.addRow(t("ui.token"), self.token)
        form.addRow(t("ui.password_pin"), self.secret)
        buttons = QDialogButtonBox()
        buttons.addButton(t("ui.sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(t("ui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.secret.setFocus()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, t("ui.signing_key"), "", t("ui.keys") + " (*.p12 *.pfx *.so)"
        )
        if path:
            self.path.setText(path)

    def remembered(self) -> dict[str, str]:
        return {
            "kind": self.kind.currentData(),
            "path": self.path.text(),
            "token": self.token.text(),
        }

    def cli_args(self) -> list[str]:
        args = ["--role", self.role]
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


MODIFICATIONS = ("NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER")  # ui.modification.*


def verification_report(reports: list[Any], trust_checked: bool) -> str:
    """The signatures in words a secretary can read out: who signed as what and when, whether
    the text is untouched, whether the certificate comes from a trusted authority."""
    if not reports:
        return t("ui.the_file_has_no_digital_signature")
    lines = []
    for n, r in enumerate(reports, start=1):
        role = FIELD_ROLE.get(r.field)
        who = role_label(role) if role else r.field
        when = r.signed_at.replace("T", " ")[:16]
        mark = "✔" if r.ok else "✘"
        lines.append(f"{mark} {n}. {who}: {r.signer}" + (f" — {when}" if when else ""))
        lines.append(
            "   "
            + (
                t("ui.signature_correct_content_intact")
                if r.intact and r.valid
                else t("ui.signature_wrong_or_content_altered")
            )
        )
        level = r.modification if r.modification in MODIFICATIONS else "OTHER"
        lines.append("   " + t(f"ui.modification.{level}"))
        if trust_checked:
            lines.append(
                "   "
                + (
                    t("ui.certificate_from_a_trusted_authority")
                    if r.trusted
                    else t("ui.certificate_not_from_a_trusted_authority")
                )
            )
    ok = all(r.ok for r in reports)
    verdict = t("ui.verdict_the_signatures_are_valid") if ok else t("ui.verdict_not_valid")
    if not trust_checked:
        verdict += t("ui.the_issuer_was_not_checked_choose_the_ro")
    return "\n".join([*lines, verdict])


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
        super().__init__(bridge, t("ui.clerk_minutes"))
        self.client, self.sid, self.work = client, session_id, work_dir
        self.minutes_client = minutes_client or client
        self.feed = Feed(self.bridge, client, session_id)
        self.progress: dict[str, float] = {}
        self.speech_id: str | None = None
        self.reviewed_docx: bytes = b""
        self.current_pdf: Path | None = None
        self.final: dict[str, Any] | None = None
        self.signed: Path | None = None  # the latest final (then signed) copy held here
        self.docx: Path | None = None
        self.keys: dict[str, dict[str, str]] = {}  # role -> the key last used (never secrets)
        self.trust: Path | None = None
        self.buttons: dict[str, QPushButton] = {}
        self._filling = False
        tabs = QTabWidget()
        tabs.addTab(self._transcripts(), t("ui.transcripts"))
        tabs.addTab(self._minutes(), t("ui.minutes"))
        self.tabs = tabs
        self.setCentralWidget(tabs)
        self.resize(1366, 700)  # a 1366×768 laptop, less the title and task bars
        self.feed.changed.connect(self.render)
        self.feed.message.connect(self._message)
        self.feed.connection.connect(self.link_changed)
        self.feed.connection.connect(lambda _s: self._enable())
        self.feed.start()

    # --- transcripts ------------------------------------------------------------------------

    def _transcripts(self) -> QWidget:
        self.speeches = QListWidget()
        self.speeches.setWordWrap(True)
        self.speeches.currentRowChanged.connect(self._pick_speech)
        self.asr_progress = QProgressBar()
        self.segments = QTableWidget(0, 3)
        self.segments.setHorizontalHeaderLabels(
            [
                t("ui.time"),
                t("ui.text_edit_in_place"),
                t("ui.asr_original"),
            ]
        )
        header = self.segments.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.segments.setWordWrap(True)  # whole sentences, never cut with "…"
        self.segments.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.segments.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.segments.setItemDelegateForColumn(1, MarkedText(self.segments))
        self.segments.itemChanged.connect(self._edited)
        self.segments.cellClicked.connect(self._seek)
        self.play = QPushButton(t("ui.play"))
        self.play.clicked.connect(self._toggle_play)
        self.play_note = QLabel("")
        self.play_note.setObjectName("error")
        self.play_note.setWordWrap(True)
        self.player: Any = None
        left = QVBoxLayout()
        left.addWidget(QLabel(t("ui.speeches")))
        left.addWidget(self.speeches)
        left.addWidget(self.asr_progress)
        lw = QWidget()
        lw.setLayout(left)
        right = QVBoxLayout()
        self.caption = CaptionLine(self.feed, lines=2)  # the speech being made, live
        right.addWidget(self.caption)
        right.addWidget(self.segments)
        row = QHBoxLayout()
        row.addWidget(self.play)
        row.addWidget(self.play_note, 1)
        right.addLayout(row)
        rw = QWidget()
        rw.setLayout(right)
        split = QSplitter()
        split.addWidget(lw)
        split.addWidget(rw)
        split.setSizes([340, 1000])
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
                state = t("ui.edited") if sp.edited else t("ui.done")
            elif sp.id in self.progress:
                state = f"{self.progress[sp.id]:.0f}%"
            elif sp.ended_at and not sp.audio_ref:
                state = t("ui.no_audio")
            else:
                state = t("ui.waiting") if sp.ended_at else t("ui.speaking")
            self.speeches.addItem(
                f"{d.full_name if d else sp.delegate_id} — {sp.audio_seconds:.0f} s — {state}"
            )
        self.speeches.setCurrentRow(row)
        self.speeches.blockSignals(False)
        if self.speech_id:
            self._fill_segments()
        minutes = rec.minutes
        if minutes is not None:
            self.minutes_state.setText(t("ui.minutes_2") + minutes_state_label(minutes.state.value))
        elif rec.session.state.value != "closed":
            self.minutes_state.setText(t("ui.the_session_is_still_open_a_draft_is_pro"))
        else:
            self.minutes_state.setText(t("ui.minutes_not_finalised"))
        self._render_steps(rec)
        self._enable()

    def _enable(self) -> None:
        rec = self.feed.record()
        if rec is None:
            return
        snap = A.snapshot(
            self.feed.world,
            rec,
            online=self.feed.link != LOST,
            draft=self.docx is not None,
            final_copy=self.signed is not None,
        )
        ok = A.allowed("clerk", snap)
        for action, button in self.buttons.items():
            button.setEnabled(action in ok)

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
            if seg.edited is not None:  # the correction, unmarked
                text.setToolTip(t("ui.edited_by_x", edited_by=seg.edited_by))
            elif seg.review:
                text.setData(MARKED, (seg.text, marked_html(seg.text, seg.review)))
                words = ", ".join(w.text.strip() for w in seg.review)
                text.setToolTip(t("ui.low_confidence_words_x", words=words))
            for col, item in enumerate((when, text, original)):
                self.segments.setItem(i, col, item)
        self.segments.resizeRowsToContents()
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
            self.player.errorOccurred.connect(
                lambda *_: self.play_note.setText(t("ui.this_recording_cannot_be_played"))
            )
        return self.player

    def _toggle_play(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices

        sp = self._speech()
        if sp is None:
            self.play_note.setText(t("ui.choose_a_speech"))
            return
        if not sp.audio_ref:
            self.play_note.setText(t("ui.this_speech_has_no_audio"))
            return
        if not QMediaDevices.audioOutputs():
            self.play_note.setText(t("ui.this_computer_has_no_audio_output_speake"))
            return
        self.play_note.setText("")
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

    def _button(self, text: str, action: str, slot: Any) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(lambda: slot())
        self.buttons[action] = b
        return b

    def _minutes(self) -> QWidget:
        self.preview = PdfView(self.bridge, thumbnails=False)
        prepare = QGroupBox(t("ui.1_draft_and_review"))
        pl = QGridLayout(prepare)
        pl.addWidget(self._button(t("ui.draft"), A.DRAFT, self.draft), 0, 0)
        pl.addWidget(self._button(t("ui.open_docx"), A.OPEN_DOCX, self._open_docx), 0, 1)
        pl.addWidget(
            self._button(t("ui.reviewed_docx"), A.REIMPORT, self._reimport),
            1,
            0,
        )
        pl.addWidget(
            self._button(t("ui.finalise_2"), A.FINALISE, self._finalise),
            1,
            1,
        )
        sign = QGroupBox(t("ui.2_sign_in_order"))
        sl = QGridLayout(sign)
        self.step_marks: dict[str, QLabel] = {}
        for n, (role, action) in enumerate(SIGN_STEPS):
            mark = QLabel("")
            self.step_marks[role] = mark
            sl.addWidget(QLabel(f"{n + 1}. {role_label(role)}"), n, 0)
            sl.addWidget(mark, n, 1)
            sl.addWidget(
                self._button(t("ui.sign_2"), action, lambda r=role: self._sign_dialog(r)), n, 2
            )
        check = QGroupBox(t("ui.3_check_and_archive"))
        cl = QVBoxLayout(check)
        row = QHBoxLayout()
        row.addWidget(self._button(t("ui.verify"), A.VERIFY, self.verify))
        trust = QPushButton(t("ui.root_certificate"))
        trust.clicked.connect(self._choose_trust)
        row.addWidget(trust)
        export = self._button(t("ui.export"), A.EXPORT, self._export)
        export.setToolTip(t("ui.export_record_package"))
        row.addWidget(export)
        cl.addLayout(row)
        self.minutes_state = QLabel("")
        self.minutes_state.setWordWrap(True)
        self.minutes_state.setObjectName("warning")
        self.minutes_info = QLabel("")
        self.minutes_info.setWordWrap(True)
        self.minutes_info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.minutes_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.minutes_error = QLabel("")
        self.minutes_error.setObjectName("error")
        self.minutes_error.setWordWrap(True)
        col = QVBoxLayout()
        col.addWidget(self.minutes_state)
        for box in (prepare, sign, check):
            box.layout().setContentsMargins(6, 4, 6, 4)
            col.addWidget(box)
        col.addWidget(self.minutes_error)
        info = QScrollArea()
        info.setWidget(self.minutes_info)
        info.setWidgetResizable(True)
        info.setFrameShape(QScrollArea.Shape.NoFrame)
        info.setMinimumHeight(40)
        col.addWidget(info, 1)
        cw = QWidget()
        cw.setLayout(col)
        split = QSplitter()
        split.addWidget(cw)
        split.addWidget(self.preview)
        split.setSizes([430, 930])
        return split

    def _render_steps(self, rec: Any) -> None:
        signed = set(rec.minutes.signed_by) if rec.minutes else set()
        roles = {FIELD_ROLE[f] for f in signed if f in FIELD_ROLE}
        for role, mark in self.step_marks.items():
            mark.setText(t("ui.signed") if role in roles else "")

    def _show_pdf(self, path: Path) -> None:
        self.current_pdf = path
        self.preview.open(path)  # drawn again even when the same file changed (new stamps)

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
            self.minutes_info.setText(t("ui.draft_2") + paths[0].name)
            self._enable()

        self.minutes_info.setText(t("ui.drafting"))
        self.act(run(), done, near=self.minutes_error)

    def _open_docx(self) -> None:
        if self.docx is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.docx)))

    def _reimport(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, t("ui.reviewed_minutes"), "", "DOCX (*.docx)")
        if path:
            self.reviewed_docx = Path(path).read_bytes()
            self.minutes_info.setText(t("ui.will_finalise_from") + path)

    def _finalise(self) -> None:
        if confirm(
            self,
            t("ui.finalise_the_minutes"),
            t("ui.finalising_numbers_the_minutes_nothing_i"),
            t("ui.finalise"),
        ):
            self.finalise()

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
            self.minutes_info.setText(t("ui.minutes_no_x", number=self.final["number"]))
            self._enable()

        self.act(run(), done, near=self.minutes_error)

    def _sign_dialog(self, role: str) -> None:
        dialog = SignDialog(role, self.keys.get(role, {}), self)
        if dialog.exec():
            self.keys[role] = dialog.remembered()
            self.sign(dialog.cli_args(), dialog.secret.text())

    def sign(self, key_args: list[str], secret: str) -> None:
        """Sign the latest copy in a child process, then hand it to the host to check."""
        source = self.signed
        if source is None:
            self.fail(
                t("ui.finalise_the_minutes_first"),
                self.minutes_error,
            )
            return
        signed_suffix = ".signed.pdf"
        target = (
            source
            if source.name.endswith(signed_suffix)
            else source.with_name(source.stem + signed_suffix)
        )
        scratch = target.with_name(target.stem + ".new.pdf")  # the copy only replaces on success

        async def run() -> dict[str, Any]:
            await run_cli("sign", str(source), *key_args, "--out", str(scratch), secret=secret)
            stored = await self.client.upload_signed_minutes(self.sid, scratch.read_bytes())
            os.replace(scratch, target)
            return stored  # type: ignore[no-any-return]

        def done(stored: dict[str, Any]) -> None:
            self.signed = target
            self._show_pdf(target)
            self.minutes_info.setText(t("ui.signed_2") + ", ".join(stored["signers"]))

        def failed(exc: BaseException) -> None:
            self.minutes_info.setText("")  # no "Signing…" left behind
            scratch.unlink(missing_ok=True)
            self.fail(exc, self.minutes_error)

        self.ok()
        self.minutes_info.setText(t("ui.signing"))
        self.bridge.call(run(), done, failed)

    def _choose_trust(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, t("ui.root_certificate_ca"), "", "PEM (*.pem *.crt)"
        )
        if path:
            self.trust = Path(path)

    def verify(self, trust: Path | None = None) -> None:
        pdf = self.signed
        if pdf is None:
            return
        trust = trust or self.trust
        if trust is not None:
            self.trust = trust

        args = ["verify", str(pdf), "--json"] + (["--trust", str(trust)] if trust else [])

        async def run() -> str:  # in a child process, like signing: pyHanko stays out of the app
            reports = [SimpleNamespace(**r) for r in json.loads(await run_cli(*args, check=False))]
            return verification_report(reports, trust is not None)

        self.act(run(), self.minutes_info.setText, near=self.minutes_error)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, t("ui.save_the_record_package"), "ho-so.zip", "ZIP (*.zip)"
        )
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        async def run() -> Path:
            _name, data = await self.client.record_package(self.sid)
            await asyncio.to_thread(path.write_bytes, data)
            return path

        self.act(
            run(),
            lambda p: self.minutes_info.setText(t("ui.saved") + str(p)),
            near=self.minutes_error,
        )
