"""The state of everything the host knows, rebuilt from the event log by a pure reducer.

``apply(world, event)`` is the only code that changes state; the session machine validates a
command, writes its event, then applies that same event. Replaying the log therefore gives
exactly the state the host had (tests/test_session.py proves it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from meetingapp.domain import (
    AgendaItem,
    Attendance,
    AttendanceMethod,
    BallotForm,
    Body,
    BodyKind,
    Choice,
    Delegate,
    Document,
    FloorRequest,
    FloorState,
    ItemKind,
    ItemState,
    Minutes,
    MinutesState,
    Motion,
    MotionResult,
    MotionState,
    Session,
    SessionState,
    Speech,
    Tally,
    TotalBasis,
    TranscriptSegment,
)
from meetingapp.events import GENESIS, Event
from meetingapp.rules import Basis, Headcount, Rule


@dataclass
class SessionRecord:
    session: Session
    items: dict[str, AgendaItem] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    attendance: dict[str, Attendance] = field(default_factory=dict)  # latest per delegate
    roll_call_open: bool = False
    active_item: str | None = None
    floor: dict[str, FloorRequest] = field(default_factory=dict)
    speeches: dict[str, Speech] = field(default_factory=dict)
    current_speech: str | None = None
    motions: dict[str, Motion] = field(default_factory=dict)
    open_motion: str | None = None
    queue: list[str] = field(default_factory=list)  # waiting floor requests, in speaking order
    presenter: Presenter | None = None
    absences: dict[str, str] = field(default_factory=dict)  # delegate -> reason given
    minutes: Minutes | None = None  # set once, when the minutes are finalised
    head_hash: str = GENESIS  # hash of this session's latest event

    def present_ids(self) -> set[str]:
        return {d for d, a in self.attendance.items() if a.present}

    def floor_queue(self) -> list[FloorRequest]:
        return [self.floor[r] for r in self.queue]


@dataclass(frozen=True)
class Presenter:
    """The document and page the presenter shows; following tablets turn to it."""

    document_id: str
    page: int


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    role: str
    name: str
    delegate_id: str | None = None


@dataclass(frozen=True)
class Consent:
    given: bool
    text_version: str
    at: str


@dataclass
class World:
    bodies: dict[str, Body] = field(default_factory=dict)
    rules: dict[str, dict[str, Rule]] = field(default_factory=dict)  # body id -> name -> rule
    delegates: dict[str, Delegate] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    devices: dict[str, DeviceInfo] = field(default_factory=dict)  # paired devices, for audit
    consents: dict[str, Consent] = field(default_factory=dict)  # delegate -> face consent
    enrolled: dict[str, int] = field(default_factory=dict)  # delegate -> face templates
    last_seq: int = 0
    head_hash: str = GENESIS

    def roster(self, body_id: str) -> list[Delegate]:
        return [d for d in self.delegates.values() if d.body_id == body_id]

    def headcount(self, session_id: str) -> Headcount:
        rec = self.sessions[session_id]
        body = self.bodies[rec.session.body_id]
        return Headcount(
            elected=body.total_seats,
            serving=len(self.roster(body.id)),
            present=len(rec.present_ids()),
            total_basis=body.total_basis,
        )

    @classmethod
    def replay(cls, events: Iterable[Event]) -> World:
        world = cls()
        for event in events:
            apply(world, event)
        return world


Handler = Callable[[World, dict[str, Any], Event], None]
_HANDLERS: dict[str, Handler] = {}


def on(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def apply(world: World, event: Event) -> None:
    _HANDLERS[event.kind](world, event.payload, event)
    world.last_seq, world.head_hash = event.seq, event.hash
    if event.session_id in world.sessions:
        world.sessions[event.session_id].head_hash = event.hash


def rule_from(data: dict[str, Any]) -> Rule:
    return Rule(
        data["name"],
        data["numerator"],
        data["denominator"],
        data["strict"],
        Basis(data["basis"]),
        data.get("chair_breaks_tie", False),
        data.get("label_vi", ""),
        data.get("label_en", ""),
    )


def rule_to(rule: Rule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "numerator": rule.numerator,
        "denominator": rule.denominator,
        "strict": rule.strict,
        "basis": rule.basis.value,
        "chair_breaks_tie": rule.chair_breaks_tie,
        "label_vi": rule.label_vi,
        "label_en": rule.label_en,
    }


# --- organisation -----------------------------------------------------------------------


@on("body_created")
def _body_created(w: World, p: dict[str, Any], e: Event) -> None:
    w.bodies[p["id"]] = Body(
        p["id"],
        BodyKind(p["kind"]),
        p["name"],
        p["total_seats"],
        p.get("term", ""),
        TotalBasis(p["total_basis"]),
    )
    w.rules[p["id"]] = {r["name"]: rule_from(r) for r in p["rules"]}


@on("rule_defined")
def _rule_defined(w: World, p: dict[str, Any], e: Event) -> None:
    w.rules[p["body_id"]][p["rule"]["name"]] = rule_from(p["rule"])


@on("delegate_added")
def _delegate_added(w: World, p: dict[str, Any], e: Event) -> None:
    w.delegates[p["id"]] = Delegate(
        p["id"],
        p["body_id"],
        p["full_name"],
        p["title"],
        p["unit"],
        p["seat"],
        p["contact"],
        p.get("pin_hash", ""),
    )


@on("device_paired")
def _device_paired(w: World, p: dict[str, Any], e: Event) -> None:
    w.devices[p["device_id"]] = DeviceInfo(p["device_id"], p["role"], p["name"], p["delegate_id"])


@on("device_bound")
def _device_bound(w: World, p: dict[str, Any], e: Event) -> None:
    w.devices[p["device_id"]] = replace(w.devices[p["device_id"]], delegate_id=p["delegate_id"])


@on("face_consent")
def _face_consent(w: World, p: dict[str, Any], e: Event) -> None:
    w.consents[p["delegate_id"]] = Consent(p["given"], p["text_version"], e.ts)


@on("face_enrolled")
def _face_enrolled(w: World, p: dict[str, Any], e: Event) -> None:
    w.enrolled[p["delegate_id"]] = p["templates"]


@on("face_deleted")
def _face_deleted(w: World, p: dict[str, Any], e: Event) -> None:
    w.enrolled.pop(p["delegate_id"], None)


@on("face_match")
def _face_match(w: World, p: dict[str, Any], e: Event) -> None:
    """Audit only: who was matched, how closely, with which outcome."""


# --- session set-up ---------------------------------------------------------------------


@on("session_created")
def _session_created(w: World, p: dict[str, Any], e: Event) -> None:
    session = Session(
        p["id"],
        p["body_id"],
        p["number"],
        p["title"],
        p["place"],
        p["term"],
        p["scheduled_start"],
        p["public"],
        tuple(p["chair_panel"]),
        tuple(p["secretaries"]),
        tuple(p["guests"]),
    )
    w.sessions[p["id"]] = SessionRecord(session)


@on("agenda_item_added")
def _item_added(w: World, p: dict[str, Any], e: Event) -> None:
    w.sessions[e.session_id or ""].items[p["id"]] = AgendaItem(
        p["id"], p["order"], p["title"], p["presenter"], ItemKind(p["kind"])
    )


@on("document_added")
def _document_added(w: World, p: dict[str, Any], e: Event) -> None:
    w.sessions[e.session_id or ""].documents[p["id"]] = Document(
        p["id"],
        p["item_id"],
        p["title"],
        p["doc_type"],
        p["number_symbol"],
        p["file_hash"],
        p["pages"],
    )


# --- running the session ----------------------------------------------------------------


def _rec(w: World, e: Event) -> SessionRecord:
    return w.sessions[e.session_id or ""]


@on("session_opened")
def _session_opened(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.session = replace(rec.session, state=SessionState.OPEN, opened_at=e.ts)


@on("roll_call_started")
def _roll_call_started(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).roll_call_open = True


@on("roll_call_closed")
def _roll_call_closed(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).roll_call_open = False


@on("checked_in")
def _checked_in(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).attendance[p["delegate_id"]] = Attendance(
        p["delegate_id"],
        True,
        AttendanceMethod(p["method"]),
        e.ts,
        p.get("confidence"),
        p.get("reason", ""),
    )


@on("checked_out")
def _checked_out(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).attendance[p["delegate_id"]] = Attendance(
        p["delegate_id"], False, AttendanceMethod.MANUAL, e.ts, None, p["reason"]
    )


@on("absence_noted")
def _absence_noted(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).absences[p["delegate_id"]] = p["reason"]


@on("item_started")
def _item_started(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.items[p["item_id"]] = replace(rec.items[p["item_id"]], state=ItemState.ACTIVE)
    rec.active_item = p["item_id"]


@on("item_ended")
def _item_ended(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.items[p["item_id"]] = replace(rec.items[p["item_id"]], state=ItemState.DONE)
    rec.active_item = None


@on("floor_requested")
def _floor_requested(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.floor[p["id"]] = FloorRequest(p["id"], p["delegate_id"], p["item_id"], e.ts)
    rec.queue.append(p["id"])


@on("floor_withdrawn")
def _floor_withdrawn(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.floor[p["request_id"]] = replace(rec.floor[p["request_id"]], state=FloorState.WITHDRAWN)
    rec.queue.remove(p["request_id"])


@on("floor_reordered")
def _floor_reordered(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).queue = list(p["order"])


@on("floor_granted")
def _floor_granted(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    req = replace(rec.floor[p["request_id"]], state=FloorState.GRANTED)
    rec.floor[req.id] = req
    rec.queue.remove(req.id)
    rec.speeches[p["speech_id"]] = Speech(
        p["speech_id"], req.delegate_id, req.item_id, e.ts, time_limit_s=p.get("time_limit_s")
    )
    rec.current_speech = p["speech_id"]


@on("speech_ended")
def _speech_ended(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.speeches[p["speech_id"]] = replace(rec.speeches[p["speech_id"]], ended_at=e.ts)
    rec.current_speech = None


@on("presenter_moved")
def _presenter_moved(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).presenter = Presenter(p["document_id"], p["page"])


@on("speech_audio")
def _speech_audio(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    sp = rec.speeches[p["speech_id"]]
    rec.speeches[sp.id] = replace(sp, audio_ref=p["sha256"], audio_seconds=p["seconds"])


@on("transcript_ready")
def _transcript_ready(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    sp = rec.speeches[p["speech_id"]]
    segments = tuple(TranscriptSegment(s["start"], s["end"], s["text"]) for s in p["segments"])
    rec.speeches[sp.id] = replace(sp, segments=segments, asr=p["asr"])


@on("transcript_edited")
def _transcript_edited(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    sp = rec.speeches[p["speech_id"]]
    segments = list(sp.segments)
    segments[p["index"]] = replace(
        segments[p["index"]], edited=p["text"], edited_by=e.actor, edited_at=e.ts
    )
    rec.speeches[sp.id] = replace(sp, segments=tuple(segments))


@on("motion_opened")
def _motion_opened(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.motions[p["id"]] = Motion(
        p["id"],
        p["item_id"],
        p["title"],
        BallotForm(p["form"]),
        p["rule"],
        p["allow_change"],
        opened_at=e.ts,
    )
    rec.open_motion = p["id"]


def _vote(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    m = rec.motions[p["motion_id"]]
    ballots = {**m.ballots, p["delegate_id"]: Choice(p["choice"])}
    rec.motions[m.id] = replace(
        m, ballots=ballots, participants=m.participants | {p["delegate_id"]}
    )


on("ballot_cast")(_vote)
on("ballot_changed")(_vote)


@on("secret_ballot_cast")
def _secret_ballot_cast(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    m = rec.motions[p["motion_id"]]
    rec.motions[m.id] = replace(m, participants=m.participants | {p["delegate_id"]})


@on("show_of_hands_recorded")
def _show_of_hands(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    m = rec.motions[p["motion_id"]]
    rec.motions[m.id] = replace(m, hands=Tally(p["yes"], p["no"], p["abstain"]))


@on("motion_closed")
def _motion_closed(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    m = rec.motions[p["motion_id"]]
    tally = Tally(p["yes"], p["no"], p["abstain"])
    result = MotionResult(tally, p["total"], p["present"], p["not_voting"], p["passed"], p["rule"])
    rec.motions[m.id] = replace(m, state=MotionState.CLOSED, closed_at=e.ts, result=result)
    rec.open_motion = None


@on("minutes_finalised")
def _minutes_finalised(w: World, p: dict[str, Any], e: Event) -> None:
    _rec(w, e).minutes = Minutes(
        e.session_id or "", MinutesState.FINALISED, p["number"], p["year"], p["pdf_sha256"]
    )


@on("minutes_signed")
def _minutes_signed(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    if rec.minutes is None:
        return
    stage = {
        1: MinutesState.SIGNED_SECRETARY,
        2: MinutesState.SIGNED_CHAIR,
        3: MinutesState.SEALED,
    }[len(p["fields"])]
    rec.minutes = replace(
        rec.minutes, state=stage, signed_sha256=p["sha256"], signed_by=tuple(p["fields"])
    )


@on("session_closed")
def _session_closed(w: World, p: dict[str, Any], e: Event) -> None:
    rec = _rec(w, e)
    rec.session = replace(rec.session, state=SessionState.CLOSED, closed_at=e.ts)
    rec.roll_call_open = False
