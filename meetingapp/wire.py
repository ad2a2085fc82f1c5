"""What travels between the host and its clients: state snapshots and events as JSON, with
what each role may see. Pure functions, shared by the server and the client library."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import replace
from enum import Enum, StrEnum
from typing import Any

from meetingapp.domain import BallotForm, Body, Delegate, MotionState
from meetingapp.events import Event
from meetingapp.session.registry import REGISTRY
from meetingapp.session.world import SessionRecord, World, rule_from, rule_to


class Role(StrEnum):
    SECRETARY = "secretary"
    CHAIR = "chair"
    CLERK = "clerk"
    DELEGATE = "delegate"
    DISPLAY = "display"

    @property
    def sees_ballots(self) -> bool:
        """Who may see each named ballot while the vote is open."""
        return self in (Role.SECRETARY, Role.CHAIR)


# One delegate's ballot: seen by that delegate and by the roles that see ballots.
BALLOT_EVENTS = REGISTRY.select(ballot=True)


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def from_jsonable(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` (dataclasses, enums, containers, optionals)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        return from_jsonable(next(a for a in args if a is not type(None)), data)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        return tp(**{k: from_jsonable(hints[k], v) for k, v in data.items() if k in hints})
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if origin is dict:
        return {k: from_jsonable(args[1], v) for k, v in data.items()}
    if origin in (list, tuple, frozenset):
        items = [from_jsonable(args[0], v) for v in data]
        return origin(items)
    return data


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def public_payload(event: Event) -> dict[str, Any]:
    """An event's payload as any client may receive it (without its kind's private fields,
    e.g. no PIN hashes)."""
    return REGISTRY.public(event.kind, event.payload)


def visible(event: Event, role: Role, delegate_id: str | None) -> bool:
    """Whether a client of ``role`` (bound to ``delegate_id``) receives this event."""
    if event.kind in BALLOT_EVENTS and not role.sees_ballots:
        return event.payload.get("delegate_id") == delegate_id
    return True


def event_message(event: Event) -> dict[str, Any]:
    return {
        "type": "event",
        "seq": event.seq,
        "ts": event.ts,
        "kind": event.kind,
        "session_id": event.session_id,
        "actor": event.actor,
        "payload": public_payload(event),
        "hash": event.hash,
    }


def message_event(msg: dict[str, Any]) -> Event:
    return Event(
        msg["seq"],
        msg["ts"],
        msg["session_id"],
        msg["kind"],
        msg.get("actor", ""),
        msg["payload"],
        "",
        msg.get("hash", ""),
    )


def snapshot(world: World, session_id: str, role: Role, delegate_id: str | None) -> dict[str, Any]:
    """The state of one session as ``role`` may see it, with the sequence number it reflects."""
    rec = world.sessions[session_id]
    body = world.bodies[rec.session.body_id]
    return {
        "type": "snapshot",
        "seq": world.last_seq,
        "body": to_jsonable(body),
        "rules": [rule_to(r) for r in world.rules[body.id].values()],
        "delegates": {d.id: to_jsonable(replace(d, pin_hash="")) for d in world.roster(body.id)},
        "session": to_jsonable(_redact(rec, role, delegate_id)),
    }


def _redact(rec: SessionRecord, role: Role, delegate_id: str | None) -> SessionRecord:
    if role.sees_ballots:
        return rec
    motions = {}
    for mid, m in rec.motions.items():
        hide = m.state is MotionState.OPEN or m.form is BallotForm.SECRET
        ballots = {d: c for d, c in m.ballots.items() if d == delegate_id} if hide else m.ballots
        motions[mid] = replace(m, ballots=ballots)
    return replace(rec, motions=motions)


def world_from_snapshot(snap: dict[str, Any]) -> World:
    """A client-side World holding the one body and session of a snapshot."""
    world = World()
    body: Body = from_jsonable(Body, snap["body"])
    world.bodies[body.id] = body
    world.rules[body.id] = {r["name"]: rule_from(r) for r in snap["rules"]}
    for did, d in snap["delegates"].items():
        world.delegates[did] = from_jsonable(Delegate, d)
    rec: SessionRecord = from_jsonable(SessionRecord, snap["session"])
    world.sessions[rec.session.id] = rec
    world.last_seq = snap["seq"]
    return world
