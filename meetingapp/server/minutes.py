"""The minutes job of the host: from a session's state to the plain model that ``exports``
renders, then draft, finalise (yearly number, frozen PDF, signature fields)."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exports import labels
from exports.docx_minutes import render_docx
from exports.model import (
    AttendanceEntry,
    Cue,
    DocumentRef,
    ItemEntry,
    MinutesModel,
    MotionEntry,
    Person,
    SecretCounts,
    SpeechEntry,
    SpeechPart,
)
from exports.pdf import docx_to_pdf
from exports.records import export_all, record_package
from exports.signing import add_signature_fields
from meetingapp.domain import BallotForm, Choice, Delegate, MotionState, Speech
from meetingapp.errors import InvalidValue
from meetingapp.events import Event
from meetingapp.results import vote_result
from meetingapp.rules import QUORUM, quorum_met
from meetingapp.session import SessionMachine
from meetingapp.session.world import SessionRecord, World
from meetingapp.store.files import FileStore
from meetingapp.wire import public_payload


def _person(d: Delegate | None, fallback: str = "") -> Person:
    if d is None:
        return Person(fallback)
    return Person(d.full_name, d.title, d.unit, d.honorific)


# "XI, 2021-2026" or "khóa XI, nhiệm kỳ 2021-2026": the council's term number and years
TERM_RE = re.compile(
    r"^\s*(?:khóa\s+)?(?P<number>[IVXLCDM]+|\d+)\s*[,;]\s*(?:nhiệm kỳ\s+)?"
    r"(?P<years>\d{4}\s*[-–]\s*\d{4})\s*$",
    re.IGNORECASE,
)


def summary_text(title: str, body_name: str, term: str) -> str:
    """The line under BIÊN BẢN: "Kỳ họp thứ Năm Hội đồng nhân dân xã Tân Phú khóa XI,
    nhiệm kỳ 2021-2026" (the term as "XI, 2021-2026"; years alone give no "khóa")."""
    found = TERM_RE.match(unicodedata.normalize("NFC", term))
    if found:
        number = found["number"].upper()
        return f"{title} {body_name} khóa {number}, nhiệm kỳ {found['years']}"
    return f"{title} {body_name}" + (f", nhiệm kỳ {term}" if term else "")


def issuer_lines(kind_label: str, body_name: str) -> tuple[str, ...]:
    """("HỘI ĐỒNG NHÂN DÂN", "XÃ TÂN PHÚ") from "Hội đồng nhân dân xã Tân Phú"."""
    rest = body_name
    if body_name.lower().startswith(kind_label.lower()):
        rest = body_name[len(kind_label) :].strip()
    return (kind_label, rest.upper()) if rest else (kind_label,)


def build_minutes(
    world: World,
    session_id: str,
    *,
    number: int | None = None,
    year: int | None = None,
    recipients: tuple[str, ...] = (),
) -> MinutesModel:
    rec = world.sessions[session_id]
    body = world.bodies[rec.session.body_id]
    roster = sorted(world.roster(body.id), key=lambda d: (d.seat.zfill(6), d.full_name))
    heads = world.headcount(session_id)
    present = rec.present_ids()
    delegates = world.delegates
    summary = summary_text(rec.session.title, body.name, rec.session.term or body.term)
    # a delegate checked out (left early) attended: listed as leaving, not as absent
    left = [d for d in roster if d.id in rec.attendance and not rec.attendance[d.id].present]
    absent = [d for d in roster if d.id not in present and d not in left]
    return MinutesModel(
        body_kind=body.kind,
        body_name=body.name,
        issuer_lines=issuer_lines(labels.ISSUER[body.kind], body.name),
        summary=summary,
        started_at=rec.session.opened_at or rec.session.scheduled_start,
        ended_at=rec.session.closed_at,  # empty while the session is open: never invented
        place=rec.session.place,
        present=heads.present + len(left),
        total=heads.total,
        absent_with_reason=tuple(
            (d.full_name, rec.absences[d.id]) for d in absent if d.id in rec.absences
        ),
        absent_without_reason=tuple(d.full_name for d in absent if d.id not in rec.absences),
        quorum_met=quorum_met(world.rules[body.id][QUORUM], heads),
        guests=rec.session.guests,
        chairs=tuple(_person(delegates.get(c), c) for c in rec.session.chair_panel),
        secretary=(
            _person(delegates.get(rec.session.secretaries[0]), rec.session.secretaries[0])
            if rec.session.secretaries
            else None
        ),
        items=_items(rec),
        speeches=_speeches(rec, delegates),
        motions=_motions(world, rec, roster),
        attendance=_attendance(rec, roster),
        log_hash=rec.head_hash,
        number=number,
        year=year,
        recipients=recipients,
        late_arrivals=tuple(
            (d.full_name, rec.arrived_late[d.id]) for d in roster if d.id in rec.arrived_late
        ),
        early_departures=tuple(
            (d.full_name, rec.attendance[d.id].at, rec.attendance[d.id].reason) for d in left
        ),
    )


def _items(rec: SessionRecord) -> tuple[ItemEntry, ...]:
    return tuple(
        ItemEntry(
            item.order,
            item.title,
            item.presenter,
            item.kind,
            tuple(
                DocumentRef(d.title, d.doc_type, d.number_symbol)
                for d in rec.documents.values()
                if d.item_id == item.id
            ),
        )
        for item in sorted(rec.items.values(), key=lambda i: i.order)
    )


def _speeches(rec: SessionRecord, delegates: dict[str, Delegate]) -> tuple[SpeechEntry, ...]:
    def name(delegate_id: str) -> str:
        d = delegates.get(delegate_id)
        return d.full_name if d else delegate_id

    return tuple(
        SpeechEntry(
            _person(delegates.get(sp.delegate_id), sp.delegate_id),
            rec.items[sp.item_id].title if sp.item_id in rec.items else "",
            sp.started_at,
            sp.ended_at,
            sp.transcript,
            sp.edited,
            tuple(
                Cue(s.start, s.end, s.final, name(s.speaker) if s.speaker else "")
                for s in sp.segments
                if s.final.strip()
            ),
            _parts(rec, sp, delegates),
        )
        for sp in sorted(rec.speeches.values(), key=lambda s: s.started_at)
    )


def _parts(
    rec: SessionRecord, sp: Speech, delegates: dict[str, Delegate]
) -> tuple[SpeechPart, ...]:
    """The speech cut where its speaker changes (the chair's interjection under the chair's
    name); none when the floor-holder alone spoke."""
    if not any(s.speaker for s in sp.segments):
        return ()
    runs: list[tuple[str, list[str]]] = []
    for s in sp.segments:
        who = sp.speaker_of(s)
        if not s.final.strip():
            continue
        if runs and runs[-1][0] == who:
            runs[-1][1].append(s.final)
        else:
            runs.append((who, [s.final]))
    return tuple(
        SpeechPart(
            _person(delegates.get(who), who),
            " ".join(texts).strip(),
            chair=who != sp.delegate_id and who in rec.session.chair_panel,
        )
        for who, texts in runs
    )


def _motions(world: World, rec: SessionRecord, roster: list[Delegate]) -> tuple[MotionEntry, ...]:
    body_rules = world.rules[rec.session.body_id]
    body_kind = world.bodies[rec.session.body_id].kind
    entries = []
    for m in rec.motions.values():
        if m.state is not MotionState.CLOSED or m.result is None:
            continue
        r = m.result
        rule = body_rules.get(r.rule)
        named = None
        if m.form is BallotForm.ELECTRONIC:
            named = {
                c: tuple(
                    sorted(
                        world.delegates[d].full_name
                        for d, ch in m.ballots.items()
                        if ch is c and d in world.delegates
                    )
                )
                for c in Choice
            }
        secret = None
        if m.form is BallotForm.SECRET:
            returned = len(m.participants)
            secret = SecretCounts(
                issued=r.present,
                returned=returned,
                valid=r.tally.cast,
                invalid=max(returned - r.tally.cast, 0),
            )
        entries.append(
            MotionEntry(
                m.title,
                m.form,
                vote_result(m, roster),  # the same figures as every screen
                rule.label_vi if rule else r.rule,
                named,
                secret,
                resolution=(
                    f"{m.resolution_number:02d}/{labels.RESOLUTION_SYMBOL[body_kind]}"
                    if m.resolution_number is not None
                    else ""
                ),
            )
        )
    return tuple(entries)


def _attendance(rec: SessionRecord, roster: list[Delegate]) -> tuple[AttendanceEntry, ...]:
    rows = []
    for d in roster:
        a = rec.attendance.get(d.id)
        if a is None:
            rows.append(AttendanceEntry(_person(d), False, reason=rec.absences.get(d.id, "")))
        else:
            rows.append(AttendanceEntry(_person(d), a.present, a.method.value, a.at, a.reason))
    return tuple(rows)


# --- the minutes workflow: draft, finalise (number, fields), record ------------------------


@dataclass(frozen=True)
class MinutesFiles:
    docx: Path
    pdf: Path
    number: int | None
    year: int | None


def file_stem(number: int | None, when: str) -> str:
    day = when[:10] if when else "draft"
    return f"BB-{number:02d}-{day}" if number is not None else f"BB-du-thao-{day}"


def draft_minutes(
    machine: SessionMachine, session_id: str, out_dir: Path, *, annex_lang: str = "vi"
) -> MinutesFiles:
    """Compile the draft (no number yet): DOCX for the clerk to review, PDF to preview."""
    rec = machine.record(session_id)
    model = build_minutes(machine.world, session_id)
    stem = file_stem(None, rec.session.closed_at or rec.session.opened_at)
    docx = render_docx(model, out_dir / f"{stem}.docx", annex_lang=annex_lang)
    return MinutesFiles(docx, docx_to_pdf(docx, out_dir), None, None)


@dataclass(frozen=True)
class FinalisePlan:
    session_id: str
    number: int
    year: int
    stem: str
    model: MinutesModel


def plan_finalisation(machine: SessionMachine, session_id: str) -> FinalisePlan:
    """Take the number the state machine gives (it refuses a session that is not closed or
    already final) and build the model (fast: the host runs this on its writer thread, the
    rendering elsewhere)."""
    rec = machine.record(session_id)
    number, year = machine.minutes_number(session_id)
    model = build_minutes(machine.world, session_id, number=number, year=year)
    return FinalisePlan(session_id, number, year, file_stem(number, rec.session.closed_at), model)


def render_final(
    plan: FinalisePlan,
    out_dir: Path,
    *,
    edited_docx: Path | None = None,
    seal: bool = False,
    annex_lang: str = "vi",
) -> MinutesFiles:
    """The numbered DOCX, its PDF through LibreOffice and the empty signature fields."""
    docx = out_dir / f"{plan.stem}.docx"
    if edited_docx is not None:
        stamp_number(edited_docx, docx, plan.number)
    else:
        render_docx(plan.model, docx, annex_lang=annex_lang)
    with tempfile.TemporaryDirectory(prefix="minutes-") as tmp:
        plain = docx_to_pdf(docx, Path(tmp), pdfa=True)  # the archival profile, PDF/A-2b
        pdf = out_dir / f"{plan.stem}.pdf"
        add_signature_fields(plain, pdf, seal=seal)
    return MinutesFiles(docx, pdf, plan.number, plan.year)


def record_final(
    machine: SessionMachine, plan: FinalisePlan, files: MinutesFiles, *, actor: str = ""
) -> None:
    """Record the finalisation (refused by the machine if the number was taken meanwhile)."""
    machine.minutes_finalised(
        plan.session_id,
        number=plan.number,
        year=plan.year,
        docx_sha256=sha256_file(files.docx),
        pdf_sha256=sha256_file(files.pdf),
        actor=actor,
    )


def finalise_minutes(
    machine: SessionMachine,
    session_id: str,
    out_dir: Path,
    *,
    edited_docx: Path | None = None,
    seal: bool = False,
    annex_lang: str = "vi",
) -> MinutesFiles:
    """Assign the yearly number, freeze the content, render the PDF and add the empty
    signature fields. ``edited_docx`` is the clerk's reviewed DOCX (its ``Số: …`` gets the
    number); without it the minutes are compiled afresh."""
    plan = plan_finalisation(machine, session_id)
    files = render_final(plan, out_dir, edited_docx=edited_docx, seal=seal, annex_lang=annex_lang)
    record_final(machine, plan, files)
    return files


def stamp_number(src: Path, dst: Path, number: int) -> None:
    """Put the number into the ``Số: …/BB-…`` line of a reviewed DOCX."""
    from docx import Document

    try:
        doc = Document(str(src))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for bad files
        raise InvalidValue(field="docx", detail=f"{src.name}: {exc}") from exc
    paragraphs = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    for para in paragraphs + list(doc.paragraphs):
        for run in para.runs:
            if "Số: …" in run.text:
                run.text = run.text.replace("Số: …", f"Số: {number:02d}")
                dst.parent.mkdir(parents=True, exist_ok=True)
                doc.save(str(dst))
                return
    raise InvalidValue(field="docx", detail="no “Số: …” line to number")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class ExportData:
    """What the record package needs from the session, read in one go (on the writer)."""

    model: MinutesModel
    log: list[dict[str, Any]]
    log_hash: str
    stem: str
    signed_sha256: str = ""  # the latest signed copy of the minutes in the file store
    docx_sha256: str = ""  # the finalised DOCX
    audio: tuple[tuple[str, str], ...] = ()  # (name in the package, sha256 in the file store)


def export_chain(machine: SessionMachine, session_id: str) -> list[dict[str, Any]]:
    """The event log from the first event to this session's last, as the package carries it:
    this session's events whole (the payload as the exact JSON text that was hashed, so
    anyone can recompute every hash), the others (other sessions, the roster with its PIN
    hashes) reduced to their sequence number and hashes, which keep the chain checkable."""
    last = 0
    for event in machine.log.events(session_id=session_id):
        last = event.seq
    chain: list[dict[str, Any]] = []
    for seq, ts, sid, kind, actor, payload, prev_hash, digest in machine.log.raw(upto=last):
        whole = sid == session_id
        if whole:
            event = Event(seq, ts, sid, kind, actor, json.loads(payload), prev_hash, digest)
            whole = public_payload(event) == event.payload  # nothing withheld from clients
        if whole:
            chain.append(
                {
                    "seq": seq,
                    "ts": ts,
                    "session_id": sid,
                    "kind": kind,
                    "actor": actor,
                    "payload_json": payload,
                    "prev_hash": prev_hash,
                    "hash": digest,
                }
            )
        else:
            chain.append({"seq": seq, "prev_hash": prev_hash, "hash": digest, "elided": True})
    return chain


def collect_export(machine: SessionMachine, session_id: str) -> ExportData:
    rec = machine.record(session_id)
    number = rec.minutes.number if rec.minutes else None
    model = build_minutes(machine.world, session_id, number=number)
    chain = export_chain(machine, session_id)
    docx = ""
    for entry in chain:
        if entry.get("kind") == "minutes_finalised":
            docx = json.loads(entry["payload_json"]).get("docx_sha256", "")
    speeches = sorted(rec.speeches.values(), key=lambda s: s.started_at)  # as in the model
    audio = tuple(
        (f"phat-bieu-{n:03d}.wav", sp.audio_ref)
        for n, sp in enumerate(speeches, start=1)
        if sp.audio_ref
    )
    stem = file_stem(number, rec.session.closed_at or rec.session.opened_at)
    return ExportData(
        model,
        chain,
        chain[-1]["hash"] if chain else rec.head_hash,
        stem,
        rec.minutes.signed_sha256 if rec.minutes else "",
        docx,
        audio,
    )


def write_export(
    data: ExportData,
    out_dir: Path,
    *,
    signed_pdf: Path | None = None,
    docx: Path | None = None,
    audio: tuple[tuple[str, Path], ...] = (),
) -> Path:
    """Transcripts, votes and attendance exports plus the ZIP record package."""
    files = export_all(data.model, out_dir)
    if docx is not None:
        files.insert(0, docx)
    if signed_pdf is not None:
        files.insert(0, signed_pdf)
    return record_package(
        out_dir / f"{data.stem}-ho-so.zip",
        files,
        audio=audio,
        event_log=data.log,
        log_hash=data.log_hash,
    )


def package_files(
    data: ExportData, files: FileStore, folder: Path
) -> tuple[Path | None, Path | None, tuple[tuple[str, Path], ...]]:
    """The signed minutes, the DOCX (copied into ``folder`` under their package names) and the
    recordings, from the host's file store; what is not there is left out."""
    signed = docx = None
    if data.signed_sha256:
        kept = files.path_for(data.signed_sha256, kind="minutes", suffix=".signed.pdf")
        if kept.exists():
            signed = folder / f"{data.stem}.signed.pdf"
            signed.write_bytes(kept.read_bytes())
    if data.docx_sha256:
        kept = files.path_for(data.docx_sha256, kind="minutes", suffix=".docx")
        if kept.exists():
            docx = folder / f"{data.stem}.docx"
            docx.write_bytes(kept.read_bytes())
    audio = tuple(
        (name, path)
        for name, ref in data.audio
        if (path := files.path_for(ref, kind="audio", suffix=".wav")).exists()
    )
    return signed, docx, audio


def export_session(
    machine: SessionMachine,
    session_id: str,
    out_dir: Path,
    *,
    signed_pdf: Path | None = None,
    files: FileStore | None = None,
) -> Path:
    """Transcripts, votes and attendance exports plus the ZIP record package; with the host's
    ``files``, also the signed minutes, the DOCX and the recordings kept there."""
    data = collect_export(machine, session_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    docx: Path | None = None
    audio: tuple[tuple[str, Path], ...] = ()
    with tempfile.TemporaryDirectory(prefix="record-") as tmp:
        if files is not None:
            kept, docx, audio = package_files(data, files, Path(tmp))
            signed_pdf = signed_pdf or kept
        return write_export(data, out_dir, signed_pdf=signed_pdf, docx=docx, audio=audio)
