"""The session state machine: the single place where state changes.

Each command is validated against the current state (an illegal one raises
``InvalidTransition`` and changes nothing), written as an event to the hash-chained log in one
transaction, and only then applied to the in-memory state. A command may carry a
client-generated ``command_id``: repeating it returns the first result instead of doing the
work twice, which is what makes retried votes and floor requests safe.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from meetingapp import settings
from meetingapp.domain import (
    AttendanceMethod,
    BallotForm,
    BodyKind,
    Choice,
    DelegateSpec,
    FloorState,
    ItemKind,
    ItemState,
    Motion,
    MotionState,
    SessionState,
    Tally,
    TotalBasis,
)
from meetingapp.errors import DuplicateCommand, InvalidTransition, InvalidValue, NotFound
from meetingapp.events import Event, canonical_json
from meetingapp.rules import MAJORITY, QUORUM, Rule, default_rules, motion_passes, quorum_met
from meetingapp.state import SessionRecord, World, apply, rule_to
from meetingapp.store.eventlog import EventLog


def now_iso() -> str:
    """The time in the configured zone with its offset (+07:00 in Vietnam), to the second."""
    zone = ZoneInfo(settings.get("timezone"))
    return datetime.now(zone).isoformat(timespec="seconds")


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class Change:
    """One event the command wants written, plus writes that must share its transaction."""

    kind: str
    payload: dict[str, Any]
    session_id: str | None = None
    side_effect: Callable[[Database], None] | None = None


class SessionMachine:
    """Owns the world state and the database it is written to. One instance per host."""

    def __init__(self, db: Database, *, clock: Callable[[], str] = now_iso) -> None:
        self.db = db
        self.log = EventLog(db)
        self.clock = clock
        self.world = World.replay(self.log.events())
        self.committed: list[Event] = []  # written since the host last drained them

    def reload(self) -> None:
        """Rebuild the state from the log (after a transaction the host had to roll back)."""
        self.world = World.replay(self.log.events())
        self.committed.clear()

    # --- plumbing ------------------------------------------------------------------------

    def _commit(
        self,
        changes: Sequence[Change],
        *,
        actor: str = "",
        command_id: str | None = None,
        fingerprint: str | None = None,
    ) -> list[Event]:
        ts = self.clock()
        written: list[Event] = []
        with self.db.atomic():
            for i, ch in enumerate(changes):
                first = i == 0
                written.append(
                    self.log.append(
                        ch.kind,
                        ch.payload,
                        ts=ts,
                        session_id=ch.session_id,
                        actor=actor,
                        command_id=command_id if first else None,
                        command_fp=fingerprint if first else None,
                    )
                )
                if ch.side_effect:
                    ch.side_effect(self.db)
        for event in written:
            apply(self.world, event)
        self.committed.extend(written)
        return written

    def _run(
        self,
        action: str,
        args: dict[str, Any],
        build: Callable[[], list[Change]],
        *,
        actor: str = "",
        command_id: str | None = None,
    ) -> Event:
        """Validate-and-build, then commit; or return the earlier result of ``command_id``."""
        fingerprint = None
        if command_id:
            fingerprint = hashlib.sha256(canonical_json([action, args]).encode()).hexdigest()
            earlier = self.log.by_command(command_id)
            if earlier is not None:
                if earlier[1] != fingerprint:
                    raise DuplicateCommand(command_id=command_id)
                return earlier[0]
        return self._commit(build(), actor=actor, command_id=command_id, fingerprint=fingerprint)[0]

    def record(self, session_id: str) -> SessionRecord:
        rec = self.world.sessions.get(session_id)
        if rec is None:
            raise NotFound(kind="session", ident=session_id)
        return rec

    def _open_record(self, session_id: str, action: str) -> SessionRecord:
        rec = self.record(session_id)
        if rec.session.state is not SessionState.OPEN:
            raise InvalidTransition(action, "reason.session_not_open")
        return rec

    def _delegate_on_roster(self, rec: SessionRecord, delegate_id: str, action: str) -> None:
        d = self.world.delegates.get(delegate_id)
        if d is None or d.body_id != rec.session.body_id:
            raise InvalidTransition(action, "reason.not_on_roster")

    def rule(self, body_id: str, name: str) -> Rule:
        rule = self.world.rules.get(body_id, {}).get(name)
        if rule is None:
            raise NotFound(kind="rule", ident=name)
        return rule

    # --- organisation --------------------------------------------------------------------

    def create_body(
        self,
        *,
        kind: BodyKind,
        name: str,
        total_seats: int,
        term: str = "",
        total_basis: TotalBasis = TotalBasis.ELECTED,
        body_id: str = "",
        actor: str = "",
    ) -> str:
        _require_text("name", name)
        if total_seats <= 0:
            raise InvalidValue(field="total_seats", detail="> 0")
        body_id = body_id or new_id("body")
        rules = [rule_to(r) for r in default_rules(kind).values()]
        payload = {
            "id": body_id,
            "kind": kind.value,
            "name": name.strip(),
            "total_seats": total_seats,
            "term": term,
            "total_basis": total_basis.value,
            "rules": rules,
        }
        self._commit([Change("body_created", payload)], actor=actor)
        return body_id

    def define_rule(self, body_id: str, rule: Rule, *, actor: str = "") -> None:
        """Add or replace one rule of a body (e.g. a 3/4 threshold) — data, not code."""
        if body_id not in self.world.bodies:
            raise NotFound(kind="body", ident=body_id)
        self._commit(
            [Change("rule_defined", {"body_id": body_id, "rule": rule_to(rule)})], actor=actor
        )

    def add_delegates(
        self, body_id: str, specs: Sequence[DelegateSpec], *, actor: str = ""
    ) -> list[str]:
        """Add several delegates in one transaction: all are added or none."""
        if body_id not in self.world.bodies:
            raise NotFound(kind="body", ident=body_id)
        changes, ids = [], []
        for spec in specs:
            _require_text("full_name", spec.full_name)
            did = spec.id or new_id("dlg")
            if did in self.world.delegates or did in ids:
                raise InvalidValue(field="id", detail=did)
            ids.append(did)
            changes.append(
                Change(
                    "delegate_added",
                    {
                        "id": did,
                        "body_id": body_id,
                        "full_name": spec.full_name.strip(),
                        "title": spec.title,
                        "unit": spec.unit,
                        "seat": spec.seat,
                        "contact": spec.contact,
                        "pin_hash": spec.pin_hash,
                    },
                )
            )
        self._commit(changes, actor=actor)
        return ids

    def device_paired(
        self, device_id: str, *, role: str, name: str, delegate_id: str | None, actor: str = ""
    ) -> Event:
        payload = {"device_id": device_id, "role": role, "name": name, "delegate_id": delegate_id}
        return self._commit([Change("device_paired", payload)], actor=actor)[0]

    def device_bound(self, device_id: str, delegate_id: str, *, actor: str = "") -> Event:
        if delegate_id not in self.world.delegates:
            raise NotFound(kind="delegate", ident=delegate_id)
        payload = {"device_id": device_id, "delegate_id": delegate_id}
        return self._commit([Change("device_bound", payload)], actor=actor)[0]

    # --- face data (consent first; templates themselves live outside the log) -------------

    def record_consent(
        self, delegate_id: str, *, given: bool, text_version: str, actor: str = ""
    ) -> Event:
        if delegate_id not in self.world.delegates:
            raise NotFound(kind="delegate", ident=delegate_id)
        _require_text("text_version", text_version)
        payload = {"delegate_id": delegate_id, "given": given, "text_version": text_version}
        return self._commit([Change("face_consent", payload)], actor=actor)[0]

    def face_enrolled(
        self,
        delegate_id: str,
        templates: int,
        *,
        store: Callable[[Database], None],
        actor: str = "",
    ) -> Event:
        """Record an enrolment; ``store`` writes the sealed templates in the same transaction."""
        consent = self.world.consents.get(delegate_id)
        if consent is None or not consent.given:
            raise InvalidTransition("enrol_face", "reason.no_consent")
        payload = {"delegate_id": delegate_id, "templates": templates}
        return self._commit([Change("face_enrolled", payload, side_effect=store)], actor=actor)[0]

    def face_deleted(self, delegate_id: str, *, reason: str, actor: str = "") -> Event:
        def delete(db: Database) -> None:
            db.execute("DELETE FROM face_templates WHERE delegate_id = ?", [delegate_id])

        payload = {"delegate_id": delegate_id, "reason": reason}
        return self._commit([Change("face_deleted", payload, side_effect=delete)], actor=actor)[0]

    def face_match(
        self,
        session_id: str,
        *,
        delegate_id: str | None,
        distance: float | None,
        outcome: str,
        actor: str = "",
    ) -> Event:
        payload = {"delegate_id": delegate_id, "distance": distance, "outcome": outcome}
        return self._commit([Change("face_match", payload, session_id)], actor=actor)[0]

    # --- session set-up -------------------------------------------------------------------

    def create_session(
        self,
        *,
        body_id: str,
        number: int,
        title: str,
        place: str = "",
        term: str = "",
        scheduled_start: str = "",
        public: bool = True,
        chair_panel: Sequence[str] = (),
        secretaries: Sequence[str] = (),
        guests: Sequence[str] = (),
        actor: str = "",
    ) -> str:
        if body_id not in self.world.bodies:
            raise NotFound(kind="body", ident=body_id)
        _require_text("title", title)
        if number <= 0:
            raise InvalidValue(field="number", detail="> 0")
        sid = new_id("ses")
        payload = {
            "id": sid,
            "body_id": body_id,
            "number": number,
            "title": title.strip(),
            "place": place,
            "term": term or self.world.bodies[body_id].term,
            "scheduled_start": scheduled_start,
            "public": public,
            "chair_panel": list(chair_panel),
            "secretaries": list(secretaries),
            "guests": list(guests),
        }
        self._commit([Change("session_created", payload, sid)], actor=actor)
        return sid

    def add_agenda_item(
        self,
        session_id: str,
        *,
        title: str,
        presenter: str = "",
        kind: ItemKind = ItemKind.REPORT,
        actor: str = "",
    ) -> str:
        rec = self.record(session_id)
        if rec.session.state is SessionState.CLOSED:
            raise InvalidTransition("add_agenda_item", "reason.session_closed")
        _require_text("title", title)
        iid = new_id("item")
        payload = {
            "id": iid,
            "order": len(rec.items) + 1,
            "title": title.strip(),
            "presenter": presenter,
            "kind": kind.value,
        }
        self._commit([Change("agenda_item_added", payload, session_id)], actor=actor)
        return iid

    def add_document(
        self,
        session_id: str,
        *,
        item_id: str,
        title: str,
        doc_type: str = "",
        number_symbol: str = "",
        file_hash: str = "",
        pages: int = 0,
        actor: str = "",
    ) -> str:
        rec = self.record(session_id)
        if item_id not in rec.items:
            raise NotFound(kind="agenda item", ident=item_id)
        _require_text("title", title)
        doc_id = new_id("doc")
        payload = {
            "id": doc_id,
            "item_id": item_id,
            "title": title.strip(),
            "doc_type": doc_type,
            "number_symbol": number_symbol,
            "file_hash": file_hash,
            "pages": pages,
        }
        self._commit([Change("document_added", payload, session_id)], actor=actor)
        return doc_id

    # --- opening, roll call -----------------------------------------------------------------

    def open_session(self, session_id: str, *, actor: str = "") -> Event:
        rec = self.record(session_id)
        if rec.session.state is not SessionState.SCHEDULED:
            raise InvalidTransition("open_session", "reason.session_already_opened")
        return self._commit([Change("session_opened", {}, session_id)], actor=actor)[0]

    def start_roll_call(self, session_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "start_roll_call")
        if rec.roll_call_open:
            raise InvalidTransition("start_roll_call", "reason.roll_call_open")
        return self._commit([Change("roll_call_started", {}, session_id)], actor=actor)[0]

    def check_in(
        self,
        session_id: str,
        delegate_id: str,
        *,
        method: AttendanceMethod,
        confidence: float | None = None,
        reason: str = "",
        actor: str = "",
        command_id: str | None = None,
    ) -> Event:
        """Record a delegate as present. A manual check-in needs a reason (it is audited)."""
        args = {"session": session_id, "delegate": delegate_id, "method": method.value}

        def build() -> list[Change]:
            rec = self._open_record(session_id, "check_in")
            self._delegate_on_roster(rec, delegate_id, "check_in")
            if delegate_id in rec.present_ids():
                raise InvalidTransition("check_in", "reason.already_present")
            if method is AttendanceMethod.MANUAL and not reason.strip():
                raise InvalidTransition("check_in", "reason.reason_required")
            payload = {
                "delegate_id": delegate_id,
                "method": method.value,
                "confidence": confidence,
                "reason": reason.strip(),
            }
            return [Change("checked_in", payload, session_id)]

        return self._run("check_in", args, build, actor=actor, command_id=command_id)

    def check_out(
        self, session_id: str, delegate_id: str, *, reason: str, actor: str = ""
    ) -> Event:
        rec = self._open_record(session_id, "check_out")
        self._delegate_on_roster(rec, delegate_id, "check_out")
        if delegate_id not in rec.present_ids():
            raise InvalidTransition("check_out", "reason.not_present")
        if not reason.strip():
            raise InvalidTransition("check_out", "reason.reason_required")
        payload = {"delegate_id": delegate_id, "reason": reason.strip()}
        return self._commit([Change("checked_out", payload, session_id)], actor=actor)[0]

    def note_absence(
        self, session_id: str, delegate_id: str, *, reason: str, actor: str = ""
    ) -> Event:
        """Record why a delegate is absent (vắng có lý do), for the minutes."""
        rec = self.record(session_id)
        self._delegate_on_roster(rec, delegate_id, "note_absence")
        if not reason.strip():
            raise InvalidTransition("note_absence", "reason.reason_required")
        payload = {"delegate_id": delegate_id, "reason": reason.strip()}
        return self._commit([Change("absence_noted", payload, session_id)], actor=actor)[0]

    def close_roll_call(self, session_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "close_roll_call")
        if not rec.roll_call_open:
            raise InvalidTransition("close_roll_call", "reason.roll_call_not_open")
        heads = self.world.headcount(session_id)
        met = quorum_met(self.rule(rec.session.body_id, QUORUM), heads)
        payload = {"present": heads.present, "total": heads.total, "quorum_met": met}
        return self._commit([Change("roll_call_closed", payload, session_id)], actor=actor)[0]

    # --- agenda ------------------------------------------------------------------------------

    def start_item(self, session_id: str, item_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "start_item")
        item = rec.items.get(item_id)
        if item is None:
            raise NotFound(kind="agenda item", ident=item_id)
        if rec.active_item is not None:
            raise InvalidTransition("start_item", "reason.item_active")
        if item.state is not ItemState.PENDING:
            raise InvalidTransition("start_item", "reason.item_not_pending")
        return self._commit(
            [Change("item_started", {"item_id": item_id}, session_id)], actor=actor
        )[0]

    def end_item(self, session_id: str, item_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "end_item")
        if rec.active_item != item_id:
            raise InvalidTransition("end_item", "reason.item_not_active")
        if rec.open_motion is not None:
            raise InvalidTransition("end_item", "reason.motion_open")
        changes = self._end_current_speech(rec)
        changes.append(Change("item_ended", {"item_id": item_id}, session_id))
        return self._commit(changes, actor=actor)[-1]

    # --- the floor ---------------------------------------------------------------------------

    def request_floor(
        self, session_id: str, delegate_id: str, *, actor: str = "", command_id: str | None = None
    ) -> Event:
        args = {"session": session_id, "delegate": delegate_id}

        def build() -> list[Change]:
            rec = self._open_record(session_id, "request_floor")
            self._delegate_on_roster(rec, delegate_id, "request_floor")
            if rec.active_item is None:
                raise InvalidTransition("request_floor", "reason.no_active_item")
            if any(r.delegate_id == delegate_id for r in rec.floor_queue()):
                raise InvalidTransition("request_floor", "reason.floor_already_requested")
            payload = {"id": new_id("flr"), "delegate_id": delegate_id, "item_id": rec.active_item}
            return [Change("floor_requested", payload, session_id)]

        return self._run("request_floor", args, build, actor=actor, command_id=command_id)

    def _waiting_request(self, rec: SessionRecord, request_id: str, action: str) -> None:
        req = rec.floor.get(request_id)
        if req is None:
            raise NotFound(kind="floor request", ident=request_id)
        if req.state is not FloorState.WAITING:
            raise InvalidTransition(action, "reason.floor_request_not_waiting")

    def withdraw_floor(self, session_id: str, request_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "withdraw_floor")
        self._waiting_request(rec, request_id, "withdraw_floor")
        return self._commit(
            [Change("floor_withdrawn", {"request_id": request_id}, session_id)], actor=actor
        )[0]

    def reorder_floor(self, session_id: str, order: Sequence[str], *, actor: str = "") -> Event:
        """Set the speaking order of the waiting requests (all of them, each once)."""
        rec = self._open_record(session_id, "reorder_floor")
        if sorted(order) != sorted(rec.queue) or len(set(order)) != len(order):
            raise InvalidValue(field="order", detail="must list every waiting request once")
        payload = {"order": list(order)}
        return self._commit([Change("floor_reordered", payload, session_id)], actor=actor)[0]

    def grant_floor(
        self, session_id: str, request_id: str, *, time_limit_s: int | None = None, actor: str = ""
    ) -> str:
        rec = self._open_record(session_id, "grant_floor")
        self._waiting_request(rec, request_id, "grant_floor")
        if rec.current_speech is not None:
            raise InvalidTransition("grant_floor", "reason.someone_speaking")
        if time_limit_s is not None and time_limit_s <= 0:
            raise InvalidValue(field="time_limit_s", detail="> 0")
        speech_id = new_id("sp")
        payload = {"request_id": request_id, "speech_id": speech_id, "time_limit_s": time_limit_s}
        self._commit([Change("floor_granted", payload, session_id)], actor=actor)
        return speech_id

    def end_speech(self, session_id: str, speech_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "end_speech")
        if rec.current_speech != speech_id:
            raise InvalidTransition("end_speech", "reason.speech_not_running")
        return self._commit(self._end_current_speech(rec), actor=actor)[0]

    @staticmethod
    def _end_current_speech(rec: SessionRecord) -> list[Change]:
        if rec.current_speech is None:
            return []
        return [Change("speech_ended", {"speech_id": rec.current_speech}, rec.session.id)]

    def move_presenter(
        self, session_id: str, document_id: str, page: int, *, actor: str = ""
    ) -> Event:
        """Show ``page`` (1-based) of a document; following tablets turn to it."""
        rec = self._open_record(session_id, "move_presenter")
        doc = rec.documents.get(document_id)
        if doc is None:
            raise NotFound(kind="document", ident=document_id)
        if page < 1 or (doc.pages and page > doc.pages):
            raise InvalidValue(field="page", detail=f"1..{doc.pages or '?'}")
        payload = {"document_id": document_id, "page": page}
        return self._commit([Change("presenter_moved", payload, session_id)], actor=actor)[0]

    # --- speech audio and transcripts --------------------------------------------------------

    def _speech(self, session_id: str, speech_id: str) -> SessionRecord:
        rec = self.record(session_id)
        if speech_id not in rec.speeches:
            raise NotFound(kind="speech", ident=speech_id)
        return rec

    def speech_audio(
        self, session_id: str, speech_id: str, *, sha256: str, seconds: float, actor: str = ""
    ) -> Event:
        self._speech(session_id, speech_id)
        payload = {"speech_id": speech_id, "sha256": sha256, "seconds": round(seconds, 3)}
        return self._commit([Change("speech_audio", payload, session_id)], actor=actor)[0]

    def transcript_ready(
        self,
        session_id: str,
        speech_id: str,
        *,
        segments: Sequence[dict[str, Any]],
        asr: str,
        actor: str = "",
    ) -> Event:
        self._speech(session_id, speech_id)
        payload = {"speech_id": speech_id, "segments": list(segments), "asr": asr}
        return self._commit([Change("transcript_ready", payload, session_id)], actor=actor)[0]

    def edit_transcript(
        self, session_id: str, speech_id: str, index: int, text: str, *, actor: str = ""
    ) -> Event:
        """The clerk's correction of one segment; the recognised text stays beside it."""
        rec = self._speech(session_id, speech_id)
        if rec.minutes is not None:
            raise InvalidTransition("edit_transcript", "reason.minutes_final")
        if not 0 <= index < len(rec.speeches[speech_id].segments):
            raise NotFound(kind="segment", ident=str(index))
        payload = {"speech_id": speech_id, "index": index, "text": text.strip()}
        return self._commit([Change("transcript_edited", payload, session_id)], actor=actor)[0]

    # --- motions and ballots -----------------------------------------------------------------

    def open_motion(
        self,
        session_id: str,
        *,
        title: str,
        form: BallotForm,
        rule: str = MAJORITY,
        item_id: str | None = None,
        allow_change: bool = True,
        actor: str = "",
    ) -> str:
        """Open a vote. Refused without a quorum (HĐND: present*3 >= total*2)."""
        rec = self._open_record(session_id, "open_motion")
        _require_text("title", title)
        item = item_id or rec.active_item
        if item is None or item not in rec.items:
            raise InvalidTransition("open_motion", "reason.no_active_item")
        if rec.open_motion is not None:
            raise InvalidTransition("open_motion", "reason.motion_open")
        self.rule(rec.session.body_id, rule)
        heads = self.world.headcount(session_id)
        if not quorum_met(self.rule(rec.session.body_id, QUORUM), heads):
            raise InvalidTransition(
                "open_motion", "reason.no_quorum", present=heads.present, total=heads.total
            )
        mid = new_id("mot")
        payload = {
            "id": mid,
            "item_id": item,
            "title": title.strip(),
            "form": form.value,
            "rule": rule,
            "allow_change": allow_change and form is not BallotForm.SECRET,
        }
        self._commit([Change("motion_opened", payload, session_id)], actor=actor)
        return mid

    def _motion(self, rec: SessionRecord, motion_id: str, action: str) -> Motion:
        motion = rec.motions.get(motion_id)
        if motion is None:
            raise NotFound(kind="motion", ident=motion_id)
        if motion.state is not MotionState.OPEN:
            raise InvalidTransition(action, "reason.motion_not_open")
        return motion

    def cast_ballot(
        self,
        session_id: str,
        motion_id: str,
        delegate_id: str,
        choice: Choice,
        *,
        actor: str = "",
        command_id: str | None = None,
    ) -> Event:
        """Record one delegate's ballot. The event is committed before this returns, so a
        receipt given after it can never refer to a lost ballot."""
        args = {
            "session": session_id,
            "motion": motion_id,
            "delegate": delegate_id,
            "choice": Choice(choice).value,
        }
        return self._run(
            "cast_ballot",
            args,
            lambda: self._ballot_changes(session_id, motion_id, delegate_id, Choice(choice)),
            actor=actor,
            command_id=command_id,
        )

    def _ballot_changes(
        self, session_id: str, motion_id: str, delegate_id: str, choice: Choice
    ) -> list[Change]:
        rec = self._open_record(session_id, "cast_ballot")
        motion = self._motion(rec, motion_id, "cast_ballot")
        self._delegate_on_roster(rec, delegate_id, "cast_ballot")
        if delegate_id not in rec.present_ids():
            raise InvalidTransition("cast_ballot", "reason.not_present")
        if motion.form is BallotForm.SHOW_OF_HANDS:
            raise InvalidTransition("cast_ballot", "reason.wrong_form")
        voted = delegate_id in motion.participants
        if voted and not motion.allow_change:
            raise InvalidTransition("cast_ballot", "reason.already_voted")
        if motion.form is BallotForm.SECRET:
            key = secrets.token_hex(16)

            def drop_in_box(db: Database) -> None:
                db.execute(
                    "INSERT INTO secret_ballot_box (ballot_key, motion_id, choice) "
                    "VALUES (?, ?, ?)",
                    [key, motion_id, choice.value],
                )

            payload = {"motion_id": motion_id, "delegate_id": delegate_id}
            return [Change("secret_ballot_cast", payload, session_id, drop_in_box)]
        kind = "ballot_changed" if voted else "ballot_cast"
        payload = {"motion_id": motion_id, "delegate_id": delegate_id, "choice": choice.value}
        return [Change(kind, payload, session_id)]

    def record_show_of_hands(
        self, session_id: str, motion_id: str, *, yes: int, no: int, abstain: int, actor: str = ""
    ) -> Event:
        rec = self._open_record(session_id, "record_show_of_hands")
        motion = self._motion(rec, motion_id, "record_show_of_hands")
        if motion.form is not BallotForm.SHOW_OF_HANDS:
            raise InvalidTransition("record_show_of_hands", "reason.wrong_form")
        if min(yes, no, abstain) < 0:
            raise InvalidValue(field="counts", detail=">= 0")
        present = len(rec.present_ids())
        if yes + no + abstain > present:
            raise InvalidTransition(
                "record_show_of_hands",
                "reason.counts_exceed_total",
                counted=yes + no + abstain,
                present=present,
            )
        payload = {"motion_id": motion_id, "yes": yes, "no": no, "abstain": abstain}
        return self._commit([Change("show_of_hands_recorded", payload, session_id)], actor=actor)[0]

    def tally(self, session_id: str, motion_id: str) -> Tally:
        motion = self.record(session_id).motions[motion_id]
        if motion.form is BallotForm.SHOW_OF_HANDS:
            return motion.hands or Tally()
        if motion.form is BallotForm.SECRET:
            rows = self.db.execute(
                "SELECT choice, count(*) FROM secret_ballot_box "
                "WHERE motion_id = ? GROUP BY choice",
                [motion_id],
            )
            counts = dict(rows.fetchall())
            return Tally(counts.get("yes", 0), counts.get("no", 0), counts.get("abstain", 0))
        choices = list(motion.ballots.values())
        return Tally(
            choices.count(Choice.YES), choices.count(Choice.NO), choices.count(Choice.ABSTAIN)
        )

    def close_motion(self, session_id: str, motion_id: str, *, actor: str = "") -> Event:
        """Close the vote and decide it under the motion's rule and the body's quorum."""
        rec = self._open_record(session_id, "close_motion")
        motion = self._motion(rec, motion_id, "close_motion")
        body_id = rec.session.body_id
        tally = self.tally(session_id, motion_id)
        heads = self.world.headcount(session_id)
        rule = self.rule(body_id, motion.rule)
        chair = rec.session.chair_panel[0] if rec.session.chair_panel else None
        has_quorum = quorum_met(self.rule(body_id, QUORUM), heads)
        passed = has_quorum and motion_passes(rule, tally, heads, motion.ballots.get(chair or ""))
        payload = {
            "motion_id": motion_id,
            "yes": tally.yes,
            "no": tally.no,
            "abstain": tally.abstain,
            "total": heads.base(rule.basis),
            "present": heads.present,
            "not_voting": max(heads.present - tally.cast, 0),
            "quorum_met": has_quorum,
            "passed": passed,
            "rule": rule.name,
        }
        return self._commit([Change("motion_closed", payload, session_id)], actor=actor)[0]

    # --- minutes ---------------------------------------------------------------------------

    def next_minutes_number(self, body_id: str, year: int) -> int:
        """Minutes are numbered per body and calendar year from 01."""
        taken = [
            r.minutes.number
            for r in self.world.sessions.values()
            if r.session.body_id == body_id
            and r.minutes is not None
            and r.minutes.year == year
            and r.minutes.number is not None
        ]
        return max(taken, default=0) + 1

    def minutes_finalised(
        self,
        session_id: str,
        *,
        number: int,
        year: int,
        docx_sha256: str,
        pdf_sha256: str,
        actor: str = "",
    ) -> Event:
        rec = self.record(session_id)
        if rec.minutes is not None:
            raise InvalidTransition("finalise_minutes", "reason.minutes_final")
        payload = {
            "number": number,
            "year": year,
            "docx_sha256": docx_sha256,
            "pdf_sha256": pdf_sha256,
        }
        return self._commit([Change("minutes_finalised", payload, session_id)], actor=actor)[0]

    def minutes_signed(
        self,
        session_id: str,
        *,
        sha256: str,
        fields: Sequence[str],
        signers: Sequence[str],
        actor: str = "",
    ) -> Event:
        """A signed copy of the finalised minutes was checked and stored."""
        rec = self.record(session_id)
        if rec.minutes is None:
            raise InvalidTransition("store_signed_minutes", "reason.minutes_not_final")
        if not 1 <= len(fields) <= 3 or len(fields) <= len(rec.minutes.signed_by):
            raise InvalidValue(field="signatures", detail=", ".join(fields) or "-")
        payload = {"sha256": sha256, "fields": list(fields), "signers": list(signers)}
        return self._commit([Change("minutes_signed", payload, session_id)], actor=actor)[0]

    # --- closing -------------------------------------------------------------------------------

    def close_session(self, session_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "close_session")
        if rec.open_motion is not None:
            raise InvalidTransition("close_session", "reason.motion_open")
        changes = self._end_current_speech(rec)
        if rec.active_item is not None:
            changes.append(Change("item_ended", {"item_id": rec.active_item}, session_id))
        changes.append(Change("session_closed", {}, session_id))
        return self._commit(changes, actor=actor)[-1]


def _require_text(field: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field=field, detail="empty")
