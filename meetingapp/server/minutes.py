"""The minutes job of the host: from a session's state to the plain model that ``exports``
renders, then draft, finalise (yearly number, frozen PDF, signature fields)."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exports import labels
from exports.docx_minutes import render_docx
from exports.model import (
    AttendanceEntry,
    DocumentRef,
    ItemEntry,
    MinutesModel,
    MotionEntry,
    Person,
    SecretCounts,
    SpeechEntry,
)
from exports.pdf import docx_to_pdf
from exports.records import export_all, record_package
from exports.signing import add_signature_fields
from meetingapp.domain import BallotForm, Choice, Delegate, MotionState
from meetingapp.errors import InvalidValue
from meetingapp.rules import QUORUM, quorum_met
from meetingapp.session import SessionMachine
from meetingapp.session.world import SessionRecord, World
from meetingapp.wire import public_payload


def _person(d: Delegate | None, fallback: str = "") -> Person:
    if d is None:
        return Person(fallback)
    return Person(d.full_name, d.title, d.unit)


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
    summary = f"{rec.session.title} {body.name}" + (f", nhiệm kỳ {body.term}" if body.term else "")
    # a delegate checked out (left early) attended: listed as leaving, not as absent
    left = [d for d in roster if d.id in rec.attendance and not rec.attendance[d.id].present]
    absent = [d for d in roster if d.id not in present and d not in left]
    return MinutesModel(
        body_kind=body.kind,
        body_name=body.name,
        issuer_lines=issuer_lines(labels.ISSUER[body.kind], body.name),
        summary=summary,
        started_at=rec.session.opened_at or rec.session.scheduled_start,
        ended_at=rec.session.closed_at or rec.session.opened_at,
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
        motions=_motions(world, rec),
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
    return tuple(
        SpeechEntry(
            _person(delegates.get(sp.delegate_id), sp.delegate_id),
            rec.items[sp.item_id].title if sp.item_id in rec.items else "",
            sp.started_at,
            sp.ended_at,
            sp.transcript,
            sp.edited,
        )
        for sp in sorted(rec.speeches.values(), key=lambda s: s.started_at)
    )


def _motions(world: World, rec: SessionRecord) -> tuple[MotionEntry, ...]:
    body_rules = world.rules[rec.session.body_id]
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
                r.tally.yes,
                r.tally.no,
                r.tally.abstain,
                r.not_voting,
                r.total,
                r.passed,
                rule.label_vi if rule else r.rule,
                named,
                secret,
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
        plain = docx_to_pdf(docx, Path(tmp))
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


def collect_export(machine: SessionMachine, session_id: str) -> ExportData:
    rec = machine.record(session_id)
    number = rec.minutes.number if rec.minutes else None
    model = build_minutes(machine.world, session_id, number=number)
    log = [
        {
            "seq": e.seq,
            "ts": e.ts,
            "kind": e.kind,
            "actor": e.actor,
            "payload": public_payload(e),
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in machine.log.events(session_id=session_id)
    ]
    stem = file_stem(number, rec.session.closed_at or rec.session.opened_at)
    return ExportData(model, log, rec.head_hash, stem)


def write_export(
    data: ExportData, out_dir: Path, *, signed_pdf: Path | None = None, audio: tuple[Path, ...] = ()
) -> Path:
    """Transcripts, votes and attendance exports plus the ZIP record package."""
    files = export_all(data.model, out_dir)
    if signed_pdf is not None:
        files.insert(0, signed_pdf)
    return record_package(
        out_dir / f"{data.stem}-ho-so.zip",
        files,
        audio=audio,
        event_log=data.log,
        log_hash=data.log_hash,
    )


def export_session(
    machine: SessionMachine,
    session_id: str,
    out_dir: Path,
    *,
    signed_pdf: Path | None = None,
    audio: tuple[Path, ...] = (),
) -> Path:
    """Transcripts, votes and attendance exports plus the ZIP record package."""
    return write_export(
        collect_export(machine, session_id), out_dir, signed_pdf=signed_pdf, audio=audio
    )
