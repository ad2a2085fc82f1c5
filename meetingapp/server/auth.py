"""Devices, pairing codes, tokens and rate limits.

A device pairs once with a short one-time code shown on the secretary's console and receives a
bearer token; the host keeps only the token's SHA-256. A delegate device is bound to one
delegate, either by the code itself or by the delegate's PIN.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from sqlite_utils import Database

from meetingapp.wire import Role

TOKEN_TTL_DAYS = 30  # a paired device pairs again after this (the local console never expires)
CODE_TTL_S = 300  # a pairing code lives five minutes and is used once
# Ten characters of Crockford's base 32 (no I, L, O, U): 32**10 ≈ 1.1e15 codes. With at most
# PAIR_LIMITS["global"] wrong guesses a minute (meetingapp.server.ratelimit), guessing one of
# the few live codes is hopeless (numbers in docs/security.md).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def normalise_code(code: str) -> str:
    """What the user typed → the code: case, spaces and dashes do not matter; I/L → 1, O → 0."""
    text = code.upper().replace("-", "").replace(" ", "")
    return text.translate(str.maketrans("ILO", "110"))


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@dataclass(frozen=True)
class Device:
    device_id: str
    role: Role
    name: str
    delegate_id: str | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class PairingCode:
    code: str
    role: Role
    delegate_id: str | None
    expires: float


class PairingCodes:
    """One-time codes, kept in memory only (a restart invalidates them, which is safe)."""

    def __init__(self) -> None:
        self._codes: dict[str, PairingCode] = {}
        self._lock = threading.Lock()

    def issue(self, role: Role, delegate_id: str | None, ttl_s: int = CODE_TTL_S) -> PairingCode:
        with self._lock:
            self._expire()
            while True:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if code not in self._codes:
                    break
            issued = PairingCode(code, role, delegate_id, time.monotonic() + ttl_s)
            self._codes[code] = issued
            return issued

    def redeem(self, code: str) -> PairingCode | None:
        with self._lock:
            self._expire()
            return self._codes.pop(normalise_code(code), None)

    def _expire(self) -> None:
        now = time.monotonic()
        for code in [c for c, p in self._codes.items() if p.expires < now]:
            del self._codes[code]


def _expiry(created_at: str, device_id: str) -> float:
    """When a token made at ``created_at`` (ISO time) stops working, as a Unix time."""
    if device_id == "console-local":
        return float("inf")
    try:
        made = dt.datetime.fromisoformat(created_at)
    except ValueError:
        return 0.0
    return (made + dt.timedelta(days=TOKEN_TTL_DAYS)).timestamp()


class DeviceStore:
    """Devices in the database (written by the host's writer thread only) plus an in-memory
    index by token hash that request handlers read. Tokens expire after ``TOKEN_TTL_DAYS``;
    a revoked device is dropped from the index at once."""

    def __init__(self) -> None:
        self._by_hash: dict[str, Device] = {}
        self._expires: dict[str, float] = {}  # device id → Unix time
        # device id → Unix time of its last authenticated request; in memory only (a restart
        # forgets it), one dict store per request, so no throttling is needed
        self._seen: dict[str, float] = {}

    def load(self, db: Database) -> None:
        rows = db.execute(
            "SELECT device_id, token_hash, role, delegate_id, name, created_at FROM devices "
            "WHERE revoked = 0"
        ).fetchall()
        self._by_hash = {r[1]: Device(r[0], Role(r[2]), r[4], r[3]) for r in rows}
        self._expires = {r[0]: _expiry(r[5], r[0]) for r in rows}

    def lookup(self, token: str) -> Device | None:
        device = self._by_hash.get(token_hash(token))
        now = time.time()
        if device is None or self._expires.get(device.device_id, 0.0) < now:
            return None
        self._seen[device.device_id] = now
        return device

    def active(self, device_id: str) -> bool:
        return self._expires.get(device_id, 0.0) >= time.time()

    def listing(self, db: Database) -> list[dict[str, object]]:
        rows = db.execute(
            "SELECT device_id, role, delegate_id, name, created_at, revoked FROM devices "
            "ORDER BY created_at, device_id"
        ).fetchall()
        out = []
        for device_id, role, delegate_id, name, created_at, revoked in rows:
            until = _expiry(created_at, device_id)
            seen = self._seen.get(device_id)
            out.append(
                {
                    "device_id": device_id,
                    "role": role,
                    "delegate_id": delegate_id,
                    "name": name,
                    "paired_at": created_at,
                    "expires_at": None
                    if until == float("inf")
                    else dt.datetime.fromtimestamp(until, dt.UTC).isoformat(timespec="seconds"),
                    "revoked": bool(revoked),
                    "expired": until < time.time(),
                    "last_seen": None
                    if seen is None
                    else dt.datetime.fromtimestamp(seen, dt.UTC).isoformat(timespec="seconds"),
                }
            )
        return out

    def revoke(self, db: Database, device_id: str) -> None:
        db.execute("UPDATE devices SET revoked = 1 WHERE device_id = ?", [device_id])
        for digest, dev in list(self._by_hash.items()):
            if dev.device_id == device_id:
                del self._by_hash[digest]
        self._expires.pop(device_id, None)

    def add(self, db: Database, device: Device, now: str) -> str:
        token = secrets.token_urlsafe(32)
        digest = token_hash(token)
        db.execute(
            "INSERT INTO devices (device_id, token_hash, role, delegate_id, name, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [device.device_id, digest, device.role.value, device.delegate_id, device.name, now],
        )
        self._by_hash[digest] = device
        self._expires[device.device_id] = _expiry(now, device.device_id)
        return token

    def bind(self, db: Database, device: Device, delegate_id: str) -> Device:
        db.execute(
            "UPDATE devices SET delegate_id = ? WHERE device_id = ?",
            [delegate_id, device.device_id],
        )
        bound = Device(device.device_id, device.role, device.name, delegate_id)
        for digest, dev in list(self._by_hash.items()):
            if dev.device_id == device.device_id:
                self._by_hash[digest] = bound
        return bound

    def ensure_local_console(self, db: Database, token: str, now: str) -> None:
        """The secretary console on the host machine itself uses a token from a 0600 file."""
        digest = token_hash(token)
        if db.execute("SELECT 1 FROM devices WHERE token_hash = ?", [digest]).fetchone():
            return
        db.execute(
            "INSERT OR REPLACE INTO devices (device_id, token_hash, role, delegate_id, "
            "name, created_at) VALUES (?, ?, ?, NULL, ?, ?)",
            ["console-local", digest, Role.SECRETARY.value, "local console", now],
        )
        self._by_hash[digest] = Device("console-local", Role.SECRETARY, "local console")
        self._expires["console-local"] = float("inf")
