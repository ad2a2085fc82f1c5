"""Race-free limits on guessing: PINs and pairing codes.

An attempt is *counted before it is checked*: ``acquire`` runs synchronously on the event loop
(no ``await`` between looking at the counters and adding to them), so a thousand requests
arriving together see each other. Only a proven success gives its attempt back; a failure stays
counted for the whole window. Every attempt counts against several keys at once (the delegate,
the device, the source address, and one global key), and is refused with 429 as soon as any of
them is full, before the slow check (scrypt) or the code lookup runs.

The numbers are in ``PIN_LIMITS`` and ``PAIR_LIMITS`` and in docs/security.md.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from meetingapp.errors import MeetingAppError


class RateLimited(MeetingAppError):
    status = 429
    key = "auth.rate_limited"


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` unproven attempts per ``window_s`` for one kind of key."""

    attempts: int
    window_s: float


# PIN checks (login and self check-in). A delegate's PIN may be guessed at most 5 times per
# 15 minutes; one paired device may fail 10 times an hour (whatever delegates it tries); the
# whole host 60 times per 10 minutes.
PIN_LIMITS = {
    "delegate": Limit(5, 15 * 60),
    "device": Limit(10, 60 * 60),
    "global": Limit(60, 10 * 60),
}
# Pairing: one address may fail 10 times a minute, the whole host 30 times a minute.
PAIR_LIMITS = {
    "address": Limit(10, 60),
    "global": Limit(30, 60),
}


@dataclass
class Ticket:
    """One counted attempt; ``succeeded`` gives it back (only a correct PIN/code does)."""

    limiter: AttemptLimiter
    stamps: list[tuple[str, float]]

    def succeeded(self) -> None:
        self.limiter._refund(self.stamps)


@dataclass
class AttemptLimiter:
    limits: dict[str, Limit]
    clock: object = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    checked: int = 0  # attempts let through to the real check, for the tests and benchmarks

    def acquire(self, **keys: str) -> Ticket:
        """Count one attempt against every ``kind=value`` key (plus the global key), or raise
        429 without counting anything if one of them is full."""
        now = self.clock()  # type: ignore[operator]
        names = [(kind, f"{kind}:{value}") for kind, value in keys.items()]
        if "global" in self.limits:
            names.append(("global", "global"))
        with self._lock:
            wait = 0.0
            for kind, name in names:
                limit = self.limits[kind]
                seen = self._recent(name, limit, now)
                if len(seen) >= limit.attempts:
                    wait = max(wait, seen[0] + limit.window_s - now)
            if wait > 0:
                raise RateLimited(seconds=int(wait) + 1)
            stamps = []
            for _, name in names:
                self._seen[name].append(now)
                stamps.append((name, now))
            self.checked += 1
        return Ticket(self, stamps)

    def _recent(self, name: str, limit: Limit, now: float) -> deque[float]:
        seen = self._seen.setdefault(name, deque())
        while seen and seen[0] <= now - limit.window_s:
            seen.popleft()
        return seen

    def _refund(self, stamps: list[tuple[str, float]]) -> None:
        with self._lock:
            for name, stamp in stamps:
                seen = self._seen.get(name)
                if seen is not None:
                    with contextlib.suppress(ValueError):  # already out of the window
                        seen.remove(stamp)
