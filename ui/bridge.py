"""The app's plumbing between Qt and the Qt-free client library.

All network work (HTTPS requests, the WebSocket event stream) runs on one asyncio loop in a
background thread; results come back to the window's thread through queued Qt signals, so the
window never waits on the network. Long local work (rendering PDF pages, signing in a child
process) is started the same way."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import gc
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal

from meetingapp.client import HostClient, HostError, LiveSession
from meetingapp.errors import MeetingAppError
from ui.strings import lang, t

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """A message for the user, in the app's language: never a raw exception's text."""
    if isinstance(exc, HostError):
        if exc.status >= 500 and not exc.detail:
            return t("ui.the_host_failed_try_again")
        return exc.detail or t("ui.the_host_refused")
    if isinstance(exc, MeetingAppError) or callable(getattr(exc, "message", None)):
        return str(exc.message(lang()))  # type: ignore[attr-defined]
    if isinstance(exc, httpx.TransportError | OSError | TimeoutError):
        return t("ui.lost_the_connection_to_the_host_not_done")
    log.warning("unexpected failure", exc_info=exc)
    return t("ui.something_unexpected_went_wrong_nothing")


class QtThreadCollector(QObject):
    """Python's cycle collector, run on the Qt thread only, while a ``Bridge`` runs.

    Python code runs on other threads too (the network loop, ``asyncio.to_thread`` workers,
    zeroconf), and an automatic collection runs on whichever thread happens to allocate. A
    window is often in a reference cycle (its lambdas capture it), so the collection that
    frees it can run off the Qt thread: a QObject is then destroyed on the wrong thread (a
    running QTimer stays registered with the Qt thread's dispatcher and fires into freed
    memory), and a widget's deletion is deferred by shiboken to the main thread, where Qt
    may already have deleted it (``deleteLater``, a parent): a double delete. Both crashed
    single-process test runs with a segfault in the garbage collector. So while any Bridge
    runs, automatic collection is off and this timer collects on the Qt thread by Python's
    own thresholds (pyqtgraph's ``GarbageCollector`` does the same); the last Bridge to stop
    turns automatic collection back on after a last collection here."""

    INTERVAL_MS = 100

    _instance: QtThreadCollector | None = None
    _users = 0
    _was_enabled = True

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, interval=self.INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds (as Python would)."""
        t0, t1, t2 = gc.get_threshold()
        c0, c1, c2 = gc.get_count()
        if c0 > t0:
            gc.collect(2 if c1 > t1 and c2 > t2 else 1 if c1 > t1 else 0)

    @classmethod
    def hold(cls) -> None:
        """A Bridge starts (on the Qt thread): collect only there from now on."""
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return  # no Qt thread to collect on (a Bridge without an application)
        if cls._users == 0:
            cls._was_enabled = gc.isenabled()
            gc.disable()
            cls._instance = cls(app)
        cls._users += 1

    @classmethod
    def release(cls) -> None:
        """A Bridge stopped: the last one collects here, then lets Python collect anywhere."""
        if cls._users == 0:
            return
        cls._users -= 1
        if cls._users:
            return
        collector, cls._instance = cls._instance, None
        if collector is not None:
            collector._timer.stop()
            collector.deleteLater()
        app = QCoreApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            gc.collect()  # the windows' cycles go now, here, not later on some other thread
        if cls._was_enabled:
            gc.enable()


class Bridge(QObject):
    """Runs coroutines on the network thread and calls back on the Qt thread (and, while it
    runs, Python's cycle collector runs on the Qt thread only: ``QtThreadCollector``)."""

    _finished = Signal(object, object, object)  # callbacks, result, error
    error = Signal(str)  # failures nobody handled: shown in the window's status bar
    busy_changed = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        QtThreadCollector.hold()  # before the network thread runs any Python
        self._held = True
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
        *,
        always: bool = False,
    ) -> Future[Any]:
        """Start ``coro`` on the network loop; ``done``/``failed`` run later on the Qt thread
        (``always``: ``failed`` hears of a cancellation too)."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        self._pending.add(future)
        self.busy += 1
        self.busy_changed.emit(self.busy)

        def finished(f: Future[Any]) -> None:
            try:
                result, error = f.result(), None
            except BaseException as exc:  # noqa: BLE001 - delivered to the window, never lost
                result, error = None, exc
            self._finished.emit((f, done, failed, always), result, error)

        future.add_done_callback(finished)
        return future

    def _deliver(self, callbacks: Any, result: Any, error: BaseException | None) -> None:
        future, done, failed, always = callbacks
        self._pending.discard(future)
        self.busy -= 1
        self.busy_changed.emit(self.busy)
        if error is None:
            if done:
                done(result)
        elif failed and always:
            failed(error)
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
        """Every call of every window (shutting down only: a window cancels its own scope)."""
        for future in list(self._pending):
            future.cancel()  # cancels the task on the loop; _deliver still runs for each

    def scope(self) -> Scope:
        """A window's own set of calls: its Cancel button cancels those and nothing else."""
        return Scope(self)

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
        if self._held:
            self._held = False
            QtThreadCollector.release()


class Scope(QObject):
    """One window's calls on the shared network thread.

    ``cancel`` stops only what this scope started: the Cancel button of the console never
    cancels a ballot a tablet is sending. ``background=True`` calls (page renders, audio
    chunks) are not counted as "working" and survive Cancel; every call of the scope ends with
    ``close``."""

    busy_changed = Signal(int)

    def __init__(self, bridge: Bridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.loop = bridge.loop
        self.busy = 0
        self._mine: dict[Future[Any], bool] = {}  # future -> cancellable by the user

    def call(
        self,
        coro: Coroutine[Any, Any, Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
        *,
        background: bool = False,
    ) -> Future[Any]:
        counted = not background

        def settle() -> None:
            if counted:
                self.busy -= 1
                self.busy_changed.emit(self.busy)

        def on_done(result: Any) -> None:
            self._mine.pop(future, None)
            settle()
            if done:
                done(result)

        def on_failed(exc: BaseException) -> None:
            self._mine.pop(future, None)
            settle()
            if isinstance(exc, asyncio.CancelledError | concurrent.futures.CancelledError):
                return
            if failed:
                failed(exc)
            else:
                log.warning("background call failed: %s", exc)
                self.bridge.error.emit(describe(exc))

        future = self.bridge.call(coro, on_done, on_failed, always=True)
        self._mine[future] = counted
        if counted:
            self.busy += 1
            self.busy_changed.emit(self.busy)
        return future

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 120) -> Any:
        return self.bridge.run(coro, timeout)

    def cancel(self) -> None:
        """Stop waiting for this window's commands (not its background work)."""
        for future, counted in list(self._mine.items()):
            if counted:
                future.cancel()

    def close(self) -> None:
        """The window closes: everything it started stops."""
        for future in list(self._mine):
            future.cancel()


ONLINE, RECONNECTING, LOST = "online", "reconnecting", "lost"
LOST_AFTER_S = 6.0  # reconnecting this long: the host is said to be lost


class Feed(QObject):
    """A session's live state: a copy of the world after every event, on the Qt thread, and
    the state of the link to the host (online / reconnecting / lost), checked twice a second."""

    changed = Signal(object)  # World
    message = Signal(dict)  # every stream message (progress counts, transcription progress)
    connection = Signal(str)  # ONLINE, RECONNECTING or LOST, when it changes

    def __init__(self, bridge: Bridge | Scope, client: HostClient, session_id: str) -> None:
        super().__init__()
        self.bridge = bridge
        self.client = client
        self.session_id = session_id
        self.world: Any = None
        self.live: LiveSession | None = None
        self.link = RECONNECTING
        self._down_since: float | None = time.monotonic()
        self.changed.connect(self._keep)
        self._watch = QTimer(self, interval=500)
        self._watch.timeout.connect(self._check_link)

    def start(self) -> Feed:
        async def go() -> None:
            self.live = self.client.live(self.session_id)
            self.live.listeners.append(self._on_message)
            self.live.start()

        self.bridge.run(go())
        self._watch.start()
        return self

    def _check_link(self) -> None:
        live = self.live
        up = bool(live is not None and live.connected.is_set() and live.world is not None)
        if up:
            self._down_since = None
            state = ONLINE
        else:
            now = time.monotonic()
            if self._down_since is None:
                self._down_since = now
            state = RECONNECTING if now - self._down_since < LOST_AFTER_S else LOST
        if state != self.link:
            self.link = state
            self.connection.emit(state)

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
        self._watch.stop()
        live, self.live = self.live, None
        if live is not None and self.bridge.loop.is_running():
            self.bridge.run(live.stop(), timeout=10)
