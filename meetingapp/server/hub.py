"""Pushes events to connected clients over their WebSockets (runs on the event loop).

Each event is serialised once and queued to every client allowed to see it. Ballots of others
are not sent to delegates or displays; displays and consoles get a throttled count instead.
A client too slow to keep up is disconnected; it reconnects and resumes or resyncs.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from meetingapp.events import Event
from meetingapp.wire import BALLOT_EVENTS, Role, event_message, visible

log = logging.getLogger(__name__)
BUFFER_EVENTS = 50_000
CLIENT_QUEUE = 10_000
PROGRESS_INTERVAL_S = 0.2


@dataclass(eq=False)
class Subscriber:
    role: Role
    delegate_id: str | None
    session_id: str
    queue: asyncio.Queue[tuple[int, str] | None] = field(
        default_factory=lambda: asyncio.Queue(CLIENT_QUEUE)
    )
    overflowed: bool = False

    def push(self, seq: int, text: str) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait((seq, text))
        except asyncio.QueueFull:
            self.overflowed = True
            self.queue = asyncio.Queue(1)
            self.queue.put_nowait(None)  # tells the sender to close: the client will resync


class Hub:
    def __init__(self) -> None:
        self.subscribers: set[Subscriber] = set()
        self.recent: deque[Event] = deque(maxlen=BUFFER_EVENTS)
        self._progress: dict[tuple[str, str], int] = {}  # (session, motion) -> ballots
        self._progress_task: asyncio.TimerHandle | None = None

    def subscribe(self, sub: Subscriber) -> None:
        self.subscribers.add(sub)

    def unsubscribe(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)

    def since(self, after: int) -> list[Event] | None:
        """Events after ``after`` if the buffer still holds all of them, else None."""
        if after == (self.recent[-1].seq if self.recent else after):
            return []
        if not self.recent or self.recent[0].seq > after + 1:
            return None
        return [e for e in self.recent if e.seq > after]

    def publish(self, events: Iterable[Event], ballots: dict[tuple[str, str], int]) -> None:
        for event in events:
            self.recent.append(event)
            text = json.dumps(event_message(event), ensure_ascii=False)
            for sub in self.subscribers:
                if event.session_id in (sub.session_id, None) and visible(
                    event, sub.role, sub.delegate_id
                ):
                    sub.push(event.seq, text)
        if ballots:
            self._progress.update(ballots)
            if self._progress_task is None:
                loop = asyncio.get_running_loop()
                self._progress_task = loop.call_later(PROGRESS_INTERVAL_S, self._flush_progress)

    def broadcast(
        self, session_id: str, message: dict[str, Any], roles: frozenset[Role] | None = None
    ) -> None:
        """An unnumbered message (progress of long work) to everyone in the session, or only to
        the devices of ``roles``."""
        text = json.dumps(message, ensure_ascii=False)
        for sub in self.subscribers:
            if sub.session_id == session_id and (roles is None or sub.role in roles):
                sub.push(0, text)

    def _flush_progress(self) -> None:
        self._progress_task = None
        pending, self._progress = self._progress, {}
        for (session_id, motion_id), count in pending.items():
            msg: dict[str, Any] = {
                "type": "progress",
                "session_id": session_id,
                "motion_id": motion_id,
                "ballots": count,
            }
            text = json.dumps(msg)
            for sub in self.subscribers:
                # Seat tablets do not need the running count; 500 of them would each get
                # five messages a second.
                if sub.session_id == session_id and sub.role is not Role.DELEGATE:
                    sub.push(0, text)


def ballot_counts(
    events: Iterable[Event], participants: dict[str, int]
) -> dict[tuple[str, str], int]:
    """(session, motion) -> ballots received, for the motions these events voted in."""
    return {
        (e.session_id or "", e.payload["motion_id"]): participants[e.payload["motion_id"]]
        for e in events
        if e.kind in BALLOT_EVENTS
    }
