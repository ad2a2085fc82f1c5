"""The state of everything the host knows (``World``), rebuilt from the event log.

``apply(world, event)`` is the only code that changes state: it hands the event to the reducer
its kind registered (``registry.py``; each subject module of this package holds its events'
reducers). The session machine validates a command, writes its event, then applies that same
event, so replaying the log gives exactly the state the host had (tests/test_session.py and the
old-log test in tests/test_registry.py prove it). The client keeps a replica with the same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from meetingapp.domain import (
    AgendaItem,
    Attendance,
    Body,
    Delegate,
    Document,
    FloorRequest,
    Minutes,
    Motion,
    Session,
    Speech,
)
from meetingapp.events import GENESIS, Event
from meetingapp.rules import QUORUM, Basis, Headcount, Rule, needed
from meetingapp.session.registry import REGISTRY


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
    roll_call_closed_at: str = ""  # when the (last) roll call closed
    arrived_late: dict[str, str] = field(default_factory=dict)  # delegate -> check-in time after it
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

    def needed(self, session_id: str, rule_name: str = QUORUM) -> int:
        """The "N needed" of one of the body's rules in this session (the quorum by default;
        a motion's rule for the votes in favour it needs), with the body's ``TotalBasis``."""
        rec = self.sessions[session_id]
        rule = self.rules[rec.session.body_id][rule_name]
        return needed(rule, self.headcount(session_id))

    @classmethod
    def replay(cls, events: Iterable[Event]) -> World:
        world = cls()
        for event in events:
            apply(world, event)
        return world


def apply(world: World, event: Event) -> None:
    """Reduce one event into ``world`` (the reducer registered for its kind)."""
    REGISTRY.apply(world, event)
    world.last_seq, world.head_hash = event.seq, event.hash
    if event.session_id in world.sessions:
        world.sessions[event.session_id].head_hash = event.hash


def record_of(w: World, e: Event) -> SessionRecord:
    """The session an event belongs to (for the reducers of session events)."""
    return w.sessions[e.session_id or ""]


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
