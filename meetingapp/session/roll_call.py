"""Roll call and attendance: check-in (face, PIN, card, or manual with a reason), check-out,
reasons for absence, and the quorum figure announced when the roll call closes."""

from __future__ import annotations

from dataclasses import dataclass

from meetingapp.domain import Attendance, AttendanceMethod
from meetingapp.errors import InvalidTransition
from meetingapp.events import Event
from meetingapp.rules import QUORUM, quorum_met
from meetingapp.session.base import Change, MachineBase
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import World, record_of


@event("roll_call_started")
@dataclass(frozen=True)
class RollCallStarted(Payload):
    pass


@reducer(RollCallStarted)
def _roll_call_started(w: World, p: RollCallStarted, e: Event) -> None:
    record_of(w, e).roll_call_open = True


@event("roll_call_closed")
@dataclass(frozen=True)
class RollCallClosed(Payload):
    """The figures announced when the roll call closed (the state recomputes them)."""

    present: int = 0
    total: int = 0
    quorum_met: bool = False


@reducer(RollCallClosed)
def _roll_call_closed(w: World, p: RollCallClosed, e: Event) -> None:
    rec = record_of(w, e)
    rec.roll_call_open = False
    rec.roll_call_closed_at = e.ts


@event("checked_in")
@dataclass(frozen=True)
class CheckedIn(Payload):
    delegate_id: str
    method: str
    confidence: float | None = None
    reason: str = ""


@reducer(CheckedIn)
def _checked_in(w: World, p: CheckedIn, e: Event) -> None:
    rec = record_of(w, e)
    rec.attendance[p.delegate_id] = Attendance(
        p.delegate_id, True, AttendanceMethod(p.method), e.ts, p.confidence, p.reason
    )
    if rec.roll_call_closed_at and not rec.roll_call_open:  # a late arrival, for the minutes
        rec.arrived_late.setdefault(p.delegate_id, e.ts)


@event("checked_out")
@dataclass(frozen=True)
class CheckedOut(Payload):
    delegate_id: str
    reason: str


@reducer(CheckedOut)
def _checked_out(w: World, p: CheckedOut, e: Event) -> None:
    record_of(w, e).attendance[p.delegate_id] = Attendance(
        p.delegate_id, False, AttendanceMethod.MANUAL, e.ts, None, p.reason
    )


@event("absence_noted")
@dataclass(frozen=True)
class AbsenceNoted(Payload):
    """Why a delegate is absent (vắng có lý do), for the minutes."""

    delegate_id: str
    reason: str


@reducer(AbsenceNoted)
def _absence_noted(w: World, p: AbsenceNoted, e: Event) -> None:
    record_of(w, e).absences[p.delegate_id] = p.reason


class RollCall(MachineBase):
    def start_roll_call(self, session_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "start_roll_call")
        if rec.roll_call_open:
            raise InvalidTransition("start_roll_call", "reason.roll_call_open")
        return self._one(RollCallStarted(), session_id, actor=actor)

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
            payload = CheckedIn(delegate_id, method.value, confidence, reason.strip())
            return [Change(payload, session_id)]

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
        return self._one(CheckedOut(delegate_id, reason.strip()), session_id, actor=actor)

    def note_absence(
        self, session_id: str, delegate_id: str, *, reason: str, actor: str = ""
    ) -> Event:
        """Record why a delegate is absent (vắng có lý do), for the minutes."""
        rec = self.record(session_id)
        self._delegate_on_roster(rec, delegate_id, "note_absence")
        if rec.minutes is not None:
            raise InvalidTransition("note_absence", "reason.minutes_final")
        if not reason.strip():
            raise InvalidTransition("note_absence", "reason.reason_required")
        return self._one(AbsenceNoted(delegate_id, reason.strip()), session_id, actor=actor)

    def close_roll_call(self, session_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "close_roll_call")
        if not rec.roll_call_open:
            raise InvalidTransition("close_roll_call", "reason.roll_call_not_open")
        heads = self.world.headcount(session_id)
        met = quorum_met(self.rule(rec.session.body_id, QUORUM), heads)
        payload = RollCallClosed(heads.present, heads.total, met)
        return self._one(payload, session_id, actor=actor)
