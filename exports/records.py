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
from exports.model import MinutesModel, SpeechEntry
from meetingapp.rules import percent_text
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


def transcript_txt(model: MinutesModel) -> str:
    blocks = []
    for n, sp in enumerate(model.speeches, start=1):
        when = sp.started_at[11:16] if sp.started_at else ""
        text = (sp.text or L.NO_TRANSCRIPT) + (f" {L.EDITED_MARK}" if sp.edited else "")
        blocks.append(f"{n}. {_speaker(sp)} — {sp.item_title} — {when}\n{text}\n")
    return "\n".join(blocks)


def speech_srt(sp: SpeechEntry) -> str:
    end = _seconds(sp) or 1.0
    return f"1\n{_stamp(0, ',')} --> {_stamp(end, ',')}\n{_speaker(sp)}: {sp.text}\n"


def speech_vtt(sp: SpeechEntry) -> str:
    end = _seconds(sp) or 1.0
    return f"WEBVTT\n\n{_stamp(0, '.')} --> {_stamp(end, '.')}\n<v {_speaker(sp)}>{sp.text}\n"


def transcript_docx(model: MinutesModel, path: Path) -> Path:
    doc = Document()
    doc.add_heading(f"Bản ghi lời phát biểu — {model.summary}", level=1)
    for sp in model.speeches:
        doc.add_heading(f"{_speaker(sp)} — {sp.item_title}", level=2)
        doc.add_paragraph((sp.text or L.NO_TRANSCRIPT) + (f" {L.EDITED_MARK}" if sp.edited else ""))
    doc.save(str(path))
    return path


def votes_rows(model: MinutesModel) -> list[list[str]]:
    rows = [
        [
            "TT",
            "Nội dung",
            "Hình thức",
            "Tán thành",
            "Không tán thành",
            "Không biểu quyết",
            "Tổng số đại biểu",
            "Tỷ lệ tán thành",
            "Kết quả",
        ]
    ]
    for n, m in enumerate(model.motions, start=1):
        rows.append(
            [
                str(n),
                m.title,
                L.FORMS[m.form],
                str(m.yes),
                str(m.no),
                str(m.abstain + m.not_voting),
                str(m.total),
                percent_text(m.yes, m.total),
                L.PASSED if m.passed else L.FAILED,
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


def record_package(
    zip_path: Path,
    files: Iterable[Path],
    *,
    audio: Iterable[Path] = (),
    event_log: Sequence[dict[str, object]] = (),
    log_hash: str = "",
) -> Path:
    """One ZIP: the signed PDF, annexes and exports, the list of recordings with their
    hashes, the event log, and a manifest with the SHA-256 of every member."""
    hashes: dict[str, str] = {}
    recordings: dict[str, dict[str, object]] = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, path.name)
            hashes[path.name] = sha256(path)
        for path in audio:
            recordings[path.name] = {"sha256": sha256(path), "bytes": path.stat().st_size}
        log_lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in event_log)
        zf.writestr("event-log.jsonl", log_lines)
        manifest = {"files": hashes, "audio": recordings, "event_log_hash": log_hash}
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    zip_path.write_bytes(buf.getvalue())
    return zip_path
