"""The floor: delegates ask to speak, the chair orders the queue and grants it; a granted
request becomes a speech (its audio and transcript: ``speech.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from meetingapp.domain import FloorRequest, FloorState, Speech
from meetingapp.errors import InvalidTransition, InvalidValue, NotFound
from meetingapp.events import Event
from meetingapp.session.base import Change, MachineBase, new_id
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import SessionRecord, World, record_of


@event("floor_requested")
@dataclass(frozen=True)
class FloorRequested(Payload):
    id: str
    delegate_id: str
    item_id: str


@reducer(FloorRequested)
def _floor_requested(w: World, p: FloorRequested, e: Event) -> None:
    rec = record_of(w, e)
    rec.floor[p.id] = FloorRequest(p.id, p.delegate_id, p.item_id, e.ts)
    rec.queue.append(p.id)


@event("floor_withdrawn")
@dataclass(frozen=True)
class FloorWithdrawn(Payload):
    request_id: str


@reducer(FloorWithdrawn)
def _floor_withdrawn(w: World, p: FloorWithdrawn, e: Event) -> None:
    rec = record_of(w, e)
    rec.floor[p.request_id] = replace(rec.floor[p.request_id], state=FloorState.WITHDRAWN)
    rec.queue.remove(p.request_id)


@event("floor_reordered")
@dataclass(frozen=True)
class FloorReordered(Payload):
    order: tuple[str, ...]


@reducer(FloorReordered)
def _floor_reordered(w: World, p: FloorReordered, e: Event) -> None:
    record_of(w, e).queue = list(p.order)


@event("floor_granted")
@dataclass(frozen=True)
class FloorGranted(Payload):
    request_id: str
    speech_id: str
    time_limit_s: int | None = None


@reducer(FloorGranted)
def _floor_granted(w: World, p: FloorGranted, e: Event) -> None:
    rec = record_of(w, e)
    req = replace(rec.floor[p.request_id], state=FloorState.GRANTED)
    rec.floor[req.id] = req
    rec.queue.remove(req.id)
    rec.speeches[p.speech_id] = Speech(
        p.speech_id, req.delegate_id, req.item_id, e.ts, time_limit_s=p.time_limit_s
    )
    rec.current_speech = p.speech_id


@event("speech_ended")
@dataclass(frozen=True)
class SpeechEnded(Payload):
    speech_id: str


@reducer(SpeechEnded)
def _speech_ended(w: World, p: SpeechEnded, e: Event) -> None:
    rec = record_of(w, e)
    rec.speeches[p.speech_id] = replace(rec.speeches[p.speech_id], ended_at=e.ts)
    rec.current_speech = None


def end_current_speech(rec: SessionRecord) -> list[Change]:
    """The event ending the running speech, if any (ending an item or the session does it)."""
    if rec.current_speech is None:
        return []
    return [Change(SpeechEnded(rec.current_speech), rec.session.id)]


class Floor(MachineBase):
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
            payload = FloorRequested(new_id("flr"), delegate_id, rec.active_item)
            return [Change(payload, session_id)]

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
        return self._one(FloorWithdrawn(request_id), session_id, actor=actor)

    def reorder_floor(self, session_id: str, order: Sequence[str], *, actor: str = "") -> Event:
        """Set the speaking order of the waiting requests (all of them, each once)."""
        rec = self._open_record(session_id, "reorder_floor")
        if sorted(order) != sorted(rec.queue) or len(set(order)) != len(order):
            raise InvalidValue(field="order", detail="must list every waiting request once")
        return self._one(FloorReordered(tuple(order)), session_id, actor=actor)

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
        self._one(FloorGranted(request_id, speech_id, time_limit_s), session_id, actor=actor)
        return speech_id

    def end_speech(self, session_id: str, speech_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "end_speech")
        if rec.current_speech != speech_id:
            raise InvalidTransition("end_speech", "reason.speech_not_running")
        return self._commit(end_current_speech(rec), actor=actor)[0]
