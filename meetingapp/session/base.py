"""The plumbing every command shares: write events in one transaction, apply them, make a
retried command idempotent, and the look-ups the subject modules validate with.

Each command is validated against the current state (an illegal one raises
``InvalidTransition`` and changes nothing), written as an event to the hash-chained log in one
transaction, and only then applied to the in-memory state. A command may carry a
client-generated ``command_id``: repeating it returns the first result instead of doing the
work twice, which is what makes retried votes and floor requests safe.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from meetingapp import settings
from meetingapp.domain import SessionState
from meetingapp.errors import DuplicateCommand, InvalidTransition, InvalidValue, NotFound
from meetingapp.events import Event, canonical_json
from meetingapp.rules import Rule
from meetingapp.session.registry import Payload
from meetingapp.session.world import SessionRecord, World, apply
from meetingapp.store.eventlog import EventLog
from meetingapp.text_rules import check_text


def now_iso() -> str:
    """The time in the configured zone with its offset (+07:00 in Vietnam), to the second."""
    zone = ZoneInfo(settings.get("timezone"))
    return datetime.now(zone).isoformat(timespec="seconds")


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class Change:
    """One event the command wants written, plus writes that must share its transaction."""

    payload: Payload
    session_id: str | None = None
    side_effect: Callable[[Database], None] | None = None


class MachineBase:
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
                        ch.payload.event_kind,
                        ch.payload.to_payload(),
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

    def _one(self, payload: Payload, session_id: str | None = None, *, actor: str = "") -> Event:
        """Commit a single event (the common case)."""
        return self._commit([Change(payload, session_id)], actor=actor)[0]

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

    # --- look-ups the commands validate with ----------------------------------------------

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


def require_text(field: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field=field, detail="empty")
    check_text(field, value)
