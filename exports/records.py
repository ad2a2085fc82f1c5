"""The other exports of a session: transcripts (DOCX, TXT, SRT, VTT), votes and attendance
(CSV, XLSX), and the record package (one ZIP with everything and a manifest of hashes)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from docx import Document

from exports import labels as L
from exports.model import Cue, MinutesModel, Person, SpeechEntry
from meetingapp.domain import Choice
from meetingapp.text_rules import spreadsheet_safe


def _seconds(sp: SpeechEntry) -> float:
    if not sp.started_at or not sp.ended_at:
        return 0.0
    return max(
        0.0,
        (
            datetime.fromisoformat(sp.ended_at) - datetime.fromisoformat(sp.started_at)
        ).total_seconds(),
    )


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _speaker(sp: SpeechEntry) -> str:
    return sp.speaker.name + (f" ({sp.speaker.unit})" if sp.speaker.unit else "")


def speech_parts(sp: SpeechEntry) -> list[tuple[str, str]]:
    """(who, words) of a speech: one pair for the floor-holder alone, else one per marked run,
    the chair's interjection under "Chủ tọa <name>"."""

    def who(p: Person, chair: bool) -> str:
        unit = f" ({p.unit})" if p.unit and not chair else ""
        return f"{L.AS_CHAIR if chair else L.AS_DELEGATE} {p.name}{unit}"

    if not sp.parts:
        return [(who(sp.speaker, False), sp.text)]
    return [(who(p.speaker, p.chair), p.text) for p in sp.parts]


def transcript_txt(model: MinutesModel) -> str:
    blocks = []
    for n, sp in enumerate(model.speeches, start=1):
        when = sp.started_at[11:16] if sp.started_at else ""
        text = (sp.text or L.NO_TRANSCRIPT) + (f" {L.EDITED_MARK}" if sp.edited else "")
        if sp.parts:  # the speaker changed inside the speech: each run under its own name
            text = "\n".join(f"{who}: {words}" for who, words in speech_parts(sp))
            text += f" {L.EDITED_MARK}" if sp.edited else ""
        blocks.append(f"{n}. {_speaker(sp)} — {sp.item_title} — {when}\n{text}\n")
    return "\n".join(blocks)


def _cues(sp: SpeechEntry) -> list[Cue]:
    """The transcript's segments with their real times; a speech without segments (typed in,
    or not transcribed) is one cue over its duration."""
    if sp.cues:
        return [Cue(c.start, max(c.end, c.start + 0.001), c.text, c.speaker) for c in sp.cues]
    return [Cue(0.0, _seconds(sp) or 1.0, sp.text)]


def _who(sp: SpeechEntry, c: Cue) -> str:
    """A cue's speaker: the chair when a mark attributes the words to the chair."""
    return c.speaker or _speaker(sp)


def speech_srt(sp: SpeechEntry) -> str:
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{_who(sp, c)}: {c.text}\n"
        for n, c in enumerate(_cues(sp), start=1)
    ]
    return "\n".join(blocks)


def speech_vtt(sp: SpeechEntry) -> str:
    blocks = [
        f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n<v {_who(sp, c)}>{c.text}\n"
        for c in _cues(sp)
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def transcript_docx(model: MinutesModel, path: Path) -> Path:
    doc = Document()
    doc.add_heading(f"Bản ghi lời phát biểu — {model.summary}", level=1)
    for sp in model.speeches:
        doc.add_heading(f"{_speaker(sp)} — {sp.item_title}", level=2)
        if sp.parts:
            for who, words in speech_parts(sp):
                doc.add_paragraph(f"{who}: {words}")
            if sp.edited:
                doc.add_paragraph(L.EDITED_MARK)
        else:
            text = sp.text or L.NO_TRANSCRIPT
            doc.add_paragraph(text + (f" {L.EDITED_MARK}" if sp.edited else ""))
    doc.save(str(path))
    return path


def votes_rows(model: MinutesModel) -> list[list[str]]:
    """One row per vote. "Không biểu quyết" counts only those who chose it; who cast nothing
    is under "Không tham gia biểu quyết". Shares are of the rule's total (as in the minutes)."""
    choices = [L.CHOICES[c] for c in Choice]
    rows = [
        [
            "TT",
            "Nội dung",
            "Hình thức",
            *choices,
            "Tham gia biểu quyết",
            L.NOT_TAKING_PART,
            "Tổng số đại biểu",
            *(f"Tỷ lệ {c[0].lower()}{c[1:]}" for c in choices),
            "Tỷ lệ tham gia biểu quyết",
            "Kết quả",
        ]
    ]
    for n, m in enumerate(model.motions, start=1):
        r = m.result
        shares = [r.share(c) for c in Choice]
        rows.append(
            [
                str(n),
                m.title,
                L.FORMS[m.form],
                *(str(s.count) for s in shares),
                str(r.took_part.count),
                str(r.not_taking_part.count),
                str(r.total),
                *(s.percent for s in shares),
                r.took_part.percent,
                L.PASSED if r.passed else L.FAILED,
            ]
        )
    return rows


def attendance_rows(model: MinutesModel) -> list[list[str]]:
    rows = [["TT", "Họ và tên", "Chức vụ", "Đơn vị", "Có mặt", "Hình thức", "Thời gian", "Ghi chú"]]
    for n, a in enumerate(model.attendance, start=1):
        rows.append(
            [
                str(n),
                a.person.name,
                a.person.title,
                a.person.unit,
                "x" if a.present else "",
                L.METHODS.get(a.method, a.method),
                a.at,
                a.reason,
            ]
        )
    return rows


def write_csv(rows: Sequence[Sequence[str]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel reads UTF-8
        csv.writer(fh).writerows([[spreadsheet_safe(str(v)) for v in row] for row in rows])
    return path


def write_xlsx(sheets: dict[str, Sequence[Sequence[str]]], path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title[:31])
        for row in rows:
            ws.append([_number(v) for v in row])
    wb.save(path)
    return path


def _number(value: str) -> str | int:
    return int(value) if value.isdigit() and len(value) < 10 else spreadsheet_safe(value)


def export_all(model: MinutesModel, out_dir: Path) -> list[Path]:
    """Every export of a session into ``out_dir``; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [transcript_docx(model, out_dir / "ban-ghi.docx")]
    txt = out_dir / "ban-ghi.txt"
    txt.write_text(transcript_txt(model), encoding="utf-8")
    files.append(txt)
    for n, sp in enumerate(model.speeches, start=1):
        for ext, render in (("srt", speech_srt), ("vtt", speech_vtt)):
            path = out_dir / f"phat-bieu-{n:03d}.{ext}"
            path.write_text(render(sp), encoding="utf-8")
            files.append(path)
    files.append(write_csv(votes_rows(model), out_dir / "bieu-quyet.csv"))
    files.append(write_csv(attendance_rows(model), out_dir / "diem-danh.csv"))
    files.append(
        write_xlsx(
            {"Biểu quyết": votes_rows(model), "Điểm danh": attendance_rows(model)},
            out_dir / "ket-qua.xlsx",
        )
    )
    return files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PACKAGE_FORMAT = "meetingapp-record/2"
MANIFEST = "manifest.json"
EVENT_LOG = "event-log.jsonl"
AUDIO_DIR = "am-thanh/"


def record_package(
    zip_path: Path,
    files: Iterable[Path],
    *,
    audio: Iterable[tuple[str, Path]] = (),
    event_log: Sequence[dict[str, object]] = (),
    log_hash: str = "",
) -> Path:
    """One ZIP that proves itself: the signed minutes, the DOCX, the transcripts, votes and
    attendance, the recording of every speech (``am-thanh/<name>``), the event log (the hash
    chain from the first event, see ``meetingapp.package``) and ``manifest.json`` with the
    SHA-256 of every other member. ``meetingapp verify-package`` checks it offline."""
    hashes: dict[str, str] = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            data = path.read_bytes()
            zf.writestr(path.name, data)
            hashes[path.name] = hashlib.sha256(data).hexdigest()
        for name, path in audio:  # already compressed audio gains nothing from deflate
            data = path.read_bytes()
            zf.writestr(AUDIO_DIR + name, data, compress_type=zipfile.ZIP_STORED)
            hashes[AUDIO_DIR + name] = hashlib.sha256(data).hexdigest()
        log_lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in event_log).encode()
        zf.writestr(EVENT_LOG, log_lines)
        hashes[EVENT_LOG] = hashlib.sha256(log_lines).hexdigest()
        manifest = {
            "format": PACKAGE_FORMAT,
            "files": hashes,
            "event_log": EVENT_LOG,
            "event_log_hash": log_hash,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    zip_path.write_bytes(buf.getvalue())
    return zip_path
