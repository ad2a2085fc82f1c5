"""A device's replica of one session (Qt-free): the state kept current from the host's event
stream with the host's own reducers, reconnecting by itself and resuming from the last event it
saw (or a fresh snapshot when the host no longer has those events)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import websockets

from meetingapp.events import Event
from meetingapp.session.registry import REGISTRY
from meetingapp.session.world import World, apply
from meetingapp.wire import message_event, world_from_snapshot

if TYPE_CHECKING:
    from meetingapp.client import HostClient

log = logging.getLogger(__name__)


class LiveSession:
    """The session's state on this device, kept current from the host's event stream.

    Reconnects by itself; after a drop it resumes from the last event it saw, or takes a fresh
    snapshot when the host no longer has those events.
    """

    def __init__(self, client: HostClient, session_id: str) -> None:
        self.client = client
        self.session_id = session_id
        self.world: World | None = None
        self.last_seq = -1
        self.progress: dict[str, int] = {}  # motion -> ballots received
        self.connected = asyncio.Event()
        self.reconnects = 0
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._ws: Any = None
        self.listeners: list[Callable[[dict[str, Any]], None]] = []

    def start(self) -> LiveSession:
        self._task = asyncio.create_task(self._run())
        return self

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def drop_connection(self) -> None:
        """Close the socket as a network failure would (for tests and the benchmark)."""
        if self._ws is not None:
            await self._ws.close()

    def _uri(self) -> str:
        base = self.client.url.replace("https://", "wss://", 1)
        query = {
            "session_id": self.session_id,
            "token": self.client.token or "",
            "after": self.last_seq if self.world is not None else -1,
        }
        return f"{base}/api/ws?{urlencode(query)}"

    async def _run(self) -> None:
        delay = 0.05
        while True:
            try:
                headers = {"Accept-Language": self.client.lang, **self.client.stream_headers()}
                async with websockets.connect(
                    self._uri(),
                    ssl=self.client.ssl,
                    max_size=1 << 24,
                    additional_headers=headers,
                    open_timeout=30,
                ) as ws:
                    self._ws = ws
                    self.connected.set()
                    delay = 0.05
                    async for raw in ws:
                        await self._handle(json.loads(raw))
            except asyncio.CancelledError:
                raise
            except (OSError, websockets.WebSocketException) as exc:
                log.info("event stream dropped: %s", exc)
            self._ws = None
            self.connected.clear()
            self.reconnects += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _handle(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "snapshot":
            self.world = world_from_snapshot(msg)
            self.last_seq = msg["seq"]
        elif kind == "event" and self.world is not None and msg["seq"] > self.last_seq:
            event = message_event(msg)
            if self._concerns(event):
                apply(self.world, event)
            self.last_seq = msg["seq"]
        elif kind == "progress":
            self.progress[msg["motion_id"]] = msg["ballots"]
        for listener in self.listeners:
            listener(msg)
        async with self._changed:
            self._changed.notify_all()

    def _concerns(self, event: Event) -> bool:
        if event.kind not in _SESSION_KINDS or self.world is None:
            return False
        if event.session_id is None:  # organisation-wide: only this session's body
            return event.payload.get("body_id") in self.world.bodies
        return event.session_id == self.session_id

    async def wait_for(self, predicate: Callable[[LiveSession], bool], timeout: float = 10) -> None:
        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: self.world is not None and predicate(self))

        await asyncio.wait_for(wait(), timeout)


# Events that change a session's state as a client sees it (device audit events and other
# sessions' set-up are not part of it): the registry marks them ``replica``.
_SESSION_KINDS = REGISTRY.select(replica=True)
