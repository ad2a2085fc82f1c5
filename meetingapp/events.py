"""The event record shared by the host's log and its clients (no I/O here)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Event:
    seq: int
    ts: str
    session_id: str | None
    kind: str
    actor: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    command_id: str | None = None
