"""The app's plumbing between Qt and the Qt-free client library.

All network work (HTTPS requests, the WebSocket event stream) runs on one asyncio loop in a
background thread; results come back to the window's thread through queued Qt signals, so the
window never waits on the network. Long local work (rendering PDF pages, signing in a child
process) is started the same way."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from meetingapp.client import HostClient, HostError, LiveSession
from meetingapp.errors import MeetingAppError
from ui.strings import L, lang

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """A message for the user, in the app's language."""
    if isinstance(exc, HostError):
        return exc.detail or str(exc)
    if isinstance(exc, MeetingAppError):
        return exc.message(lang())
    if isinstance(exc, OSError | TimeoutError):
        return L("Không kết nối được tới máy chủ: ", "Cannot reach the host: ") + str(exc)
    return f"{type(exc).__name__}: {exc}"


class Bridge(QObject):
    """Runs coroutines on the network thread and calls back on the Qt thread."""

    _finished = Signal(object, object, object)  # callbacks, result, error
    error = Signal(str)  # failures nobody handled: shown in the window's status bar
    busy_changed = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="network", daemon=True)
        self._thread.start()
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.busy = 0
        self._pending: set[Future[Any]] = set()

    def call(
        self,
        coro: Coroutine[Any, Any, Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> Future[Any]:
        """Start ``coro`` on the network loop; ``done``/``failed`` run later on the Qt thread."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        self._pending.add(future)
        self.busy += 1
        self.busy_changed.emit(self.busy)

        def finished(f: Future[Any]) -> None:
            try:
                result, error = f.result(), None
            except BaseException as exc:  # noqa: BLE001 - delivered to the window, never lost
                result, error = None, exc
            self._finished.emit((f, done, failed), result, error)

        future.add_done_callback(finished)
        return future

    def _deliver(self, callbacks: Any, result: Any, error: BaseException | None) -> None:
        future, done, failed = callbacks
        self._pending.discard(future)
        self.busy -= 1
        self.busy_changed.emit(self.busy)
        if error is None:
            if done:
                done(result)
        elif isinstance(error, asyncio.CancelledError | concurrent.futures.CancelledError):
            return
        elif failed:
            failed(error)
        else:
            log.warning("background call failed: %s", error)
            self.error.emit(describe(error))

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 120) -> Any:
        """Wait for ``coro`` (start-up and tests only; windows use ``call``)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def cancel_all(self) -> None:
        for future in list(self._pending):
            future.cancel()  # cancels the task on the loop; _deliver still runs for each

    def stop(self) -> None:
        """Cancel what is running (event streams included), then end the network thread."""
        self.cancel_all()

        async def shutdown() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        try:
            self.run(shutdown(), timeout=10)
        except Exception as exc:  # noqa: BLE001 - closing anyway
            log.info("network shutdown: %s", exc)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)


class Feed(QObject):
    """A session's live state: a copy of the world after every event, on the Qt thread."""

    changed = Signal(object)  # World
    message = Signal(dict)  # every stream message (progress counts, transcription progress)

    def __init__(self, bridge: Bridge, client: HostClient, session_id: str) -> None:
        super().__init__()
        self.bridge = bridge
        self.client = client
        self.session_id = session_id
        self.world: Any = None
        self.live: LiveSession | None = None
        self.changed.connect(self._keep)

    def start(self) -> Feed:
        async def go() -> None:
            self.live = self.client.live(self.session_id)
            self.live.listeners.append(self._on_message)
            self.live.start()

        self.bridge.run(go())
        return self

    def _keep(self, world: Any) -> None:
        self.world = world

    def _on_message(self, msg: dict[str, Any]) -> None:  # network thread
        if msg.get("type") in ("snapshot", "event") and self.live and self.live.world:
            self.changed.emit(copy.deepcopy(self.live.world))
        self.message.emit(msg)

    def record(self) -> Any:
        """This session's record in the latest world (None before the first snapshot)."""
        return self.world.sessions.get(self.session_id) if self.world else None

    def stop(self) -> None:
        live, self.live = self.live, None
        if live is not None and self.bridge.loop.is_running():
            self.bridge.run(live.stop(), timeout=10)
