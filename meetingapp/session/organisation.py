"""Organisation: bodies (HĐND/UBND), their rules, delegates and paired devices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from meetingapp.domain import Body, BodyKind, Delegate, DelegateSpec, TotalBasis
from meetingapp.errors import InvalidValue, NotFound
from meetingapp.events import Event
from meetingapp.rules import Rule, default_rules
from meetingapp.session.base import Change, MachineBase, new_id, require_text
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import DeviceInfo, World, rule_from, rule_to
from meetingapp.text_rules import check_text

# --- events and their reducers ----------------------------------------------------------------


@event("body_created", replica=False)
@dataclass(frozen=True)
class BodyCreated(Payload):
    id: str
    kind: str
    name: str
    total_seats: int
    total_basis: str
    rules: tuple[dict[str, Any], ...]
    term: str = ""


@reducer(BodyCreated)
def _body_created(w: World, p: BodyCreated, e: Event) -> None:
    w.bodies[p.id] = Body(
        p.id, BodyKind(p.kind), p.name, p.total_seats, p.term, TotalBasis(p.total_basis)
    )
    w.rules[p.id] = {r["name"]: rule_from(r) for r in p.rules}


@event("rule_defined")
@dataclass(frozen=True)
class RuleDefined(Payload):
    body_id: str
    rule: dict[str, Any]


@reducer(RuleDefined)
def _rule_defined(w: World, p: RuleDefined, e: Event) -> None:
    w.rules[p.body_id][p.rule["name"]] = rule_from(p.rule)


@event("delegate_added", private=("pin_hash",))
@dataclass(frozen=True)
class DelegateAdded(Payload):
    id: str
    body_id: str
    full_name: str
    title: str
    unit: str
    seat: str
    contact: str
    pin_hash: str = ""
    honorific: str = ""  # "Ông" / "Bà" from the roster (absent in logs written before it)


@reducer(DelegateAdded)
def _delegate_added(w: World, p: DelegateAdded, e: Event) -> None:
    w.delegates[p.id] = Delegate(
        p.id, p.body_id, p.full_name, p.title, p.unit, p.seat, p.contact, p.pin_hash, p.honorific
    )


@event("device_paired", replica=False)
@dataclass(frozen=True)
class DevicePaired(Payload):
    device_id: str
    role: str
    name: str
    delegate_id: str | None = None


@reducer(DevicePaired)
def _device_paired(w: World, p: DevicePaired, e: Event) -> None:
    w.devices[p.device_id] = DeviceInfo(p.device_id, p.role, p.name, p.delegate_id)


@event("device_bound", replica=False)
@dataclass(frozen=True)
class DeviceBound(Payload):
    device_id: str
    delegate_id: str


@reducer(DeviceBound)
def _device_bound(w: World, p: DeviceBound, e: Event) -> None:
    w.devices[p.device_id] = replace(w.devices[p.device_id], delegate_id=p.delegate_id)


@event("device_revoked", replica=False)
@dataclass(frozen=True)
class DeviceRevoked(Payload):
    """A paired device's token no longer works (lost tablet, re-paired, left the body)."""

    device_id: str
    reason: str = ""


@reducer(DeviceRevoked)
def _device_revoked(w: World, p: DeviceRevoked, e: Event) -> None:
    w.devices.pop(p.device_id, None)


# --- commands -----------------------------------------------------------------------------


class Organisation(MachineBase):
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
        require_text("name", name)
        if total_seats <= 0:
            raise InvalidValue(field="total_seats", detail="> 0")
        body_id = body_id or new_id("body")
        rules = tuple(rule_to(r) for r in default_rules(kind).values())
        payload = BodyCreated(
            body_id, kind.value, name.strip(), total_seats, total_basis.value, rules, term
        )
        self._one(payload, actor=actor)
        return body_id

    def define_rule(self, body_id: str, rule: Rule, *, actor: str = "") -> Event:
        """Add or replace one rule of a body (e.g. a 3/4 threshold) — data, not code."""
        if body_id not in self.world.bodies:
            raise NotFound(kind="body", ident=body_id)
        require_text("name", rule.name)  # the shares themselves are checked by Rule
        return self._one(RuleDefined(body_id, rule_to(rule)), actor=actor)

    def add_delegates(
        self, body_id: str, specs: Sequence[DelegateSpec], *, actor: str = ""
    ) -> list[str]:
        """Add several delegates in one transaction: all are added or none."""
        if body_id not in self.world.bodies:
            raise NotFound(kind="body", ident=body_id)
        changes, ids = [], []
        for spec in specs:
            require_text("full_name", spec.full_name)
            for name in ("title", "unit", "seat", "contact"):
                check_text(name, getattr(spec, name))
            did = spec.id or new_id("dlg")
            if did in self.world.delegates or did in ids:
                raise InvalidValue(field="id", detail=did)
            ids.append(did)
            payload = DelegateAdded(
                did,
                body_id,
                spec.full_name.strip(),
                spec.title,
                spec.unit,
                spec.seat,
                spec.contact,
                spec.pin_hash,
                spec.honorific,
            )
            changes.append(Change(payload))
        self._commit(changes, actor=actor)
        return ids

    def device_paired(
        self, device_id: str, *, role: str, name: str, delegate_id: str | None, actor: str = ""
    ) -> Event:
        return self._one(DevicePaired(device_id, role, name, delegate_id), actor=actor)

    def device_revoked(self, device_id: str, *, reason: str = "", actor: str = "") -> Event:
        if device_id not in self.world.devices:
            raise NotFound(kind="device", ident=device_id)
        check_text("reason", reason)
        return self._one(DeviceRevoked(device_id, reason), actor=actor)

    def device_bound(self, device_id: str, delegate_id: str, *, actor: str = "") -> Event:
        if delegate_id not in self.world.delegates:
            raise NotFound(kind="delegate", ident=delegate_id)
        return self._one(DeviceBound(device_id, delegate_id), actor=actor)
