"""The append-only, hash-chained event log.

Each event stores the SHA-256 of the previous one, so changing, inserting or removing an
event in the middle of the log breaks the chain at that event. The hash of the last event of
a session is printed in its minutes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from meetingapp.events import GENESIS, Event, canonical_json


def event_hash(
    seq: int,
    ts: str,
    session_id: str | None,
    kind: str,
    actor: str,
    payload_json: str,
    prev_hash: str,
) -> str:
    body = canonical_json([seq, ts, session_id, kind, actor, payload_json, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    count: int
    head: str
    broken_seq: int | None = None
    reason_key: str = ""


class EventLog:
    """Reads and appends events. Appending must happen inside ``db.atomic()`` together with
    any other write of the same change, so a change is either wholly recorded or not at all."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def head(self) -> tuple[int, str]:
        row = self.db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def append(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        ts: str,
        session_id: str | None = None,
        actor: str = "",
        command_id: str | None = None,
        command_fp: str | None = None,
    ) -> Event:
        last_seq, prev = self.head()
        seq = last_seq + 1
        payload_json = canonical_json(payload)
        digest = event_hash(seq, ts, session_id, kind, actor, payload_json, prev)
        self.db.execute(
            "INSERT INTO events (seq, ts, session_id, kind, actor, command_id, command_fp, "
            "payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, ts, session_id, kind, actor, command_id, command_fp, payload_json, prev, digest],
        )
        return Event(seq, ts, session_id, kind, actor, payload, prev, digest, command_id)

    def events(self, *, session_id: str | None = None, after: int = 0) -> Iterator[Event]:
        sql = (
            "SELECT seq, ts, session_id, kind, actor, payload, prev_hash, hash, command_id "
            "FROM events WHERE seq > ?"
        )
        args: list[Any] = [after]
        if session_id is not None:
            sql += " AND session_id = ?"
            args.append(session_id)
        for row in self.db.execute(sql + " ORDER BY seq", args):
            yield Event(
                row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], row[7], row[8]
            )

    def raw(self, *, upto: int) -> Iterator[tuple[Any, ...]]:
        """Events 1..``upto`` exactly as stored (the payload as the JSON text that was hashed):
        (seq, ts, session_id, kind, actor, payload_json, prev_hash, hash)."""
        yield from self.db.execute(
            "SELECT seq, ts, session_id, kind, actor, payload, prev_hash, hash FROM events "
            "WHERE seq <= ? ORDER BY seq",
            [upto],
        )

    def by_command(self, command_id: str) -> tuple[Event, str | None] | None:
        """The event a command produced earlier, with the fingerprint it was made with."""
        row = self.db.execute(
            "SELECT seq, command_fp FROM events WHERE command_id = ?", [command_id]
        ).fetchone()
        if row is None:
            return None
        event = next(self.events(after=row[0] - 1))
        return event, row[1]

    def verify(self) -> VerifyReport:
        """Recompute the whole chain; report the first event that does not hold."""
        prev, count, expected_seq = GENESIS, 0, 1
        cursor = self.db.execute(
            "SELECT seq, ts, session_id, kind, actor, payload, prev_hash, hash FROM events "
            "ORDER BY seq"
        )
        for seq, ts, session_id, kind, actor, payload, prev_hash, digest in cursor:
            reason = self._check(
                seq,
                expected_seq,
                prev,
                prev_hash,
                payload,
                event_hash(seq, ts, session_id, kind, actor, payload, prev_hash),
                digest,
            )
            if reason:
                return VerifyReport(False, count, prev, broken_seq=seq, reason_key=reason)
            prev, count, expected_seq = digest, count + 1, seq + 1
        return VerifyReport(True, count, prev)

    @staticmethod
    def _check(
        seq: int,
        expected_seq: int,
        prev: str,
        prev_hash: str,
        payload: str,
        recomputed: str,
        stored: str,
    ) -> str:
        if seq != expected_seq:
            return "log.reason.seq"
        if prev_hash != prev:
            return "log.reason.prev"
        try:
            json.loads(payload)
        except (TypeError, ValueError):
            return "log.reason.unreadable"
        return "" if recomputed == stored else "log.reason.hash"
