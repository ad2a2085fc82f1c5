"""The host's single database writer.

Every command and every read of the live state runs here, one after another, on one thread
that owns the SQLite connection. Commands that arrive together are committed together (group
commit: one fsync for many ballots); each runs in its own savepoint, so one failing command
changes nothing and does not affect the others. A command's result is handed back only after
the commit, so an acknowledgement always refers to data already on disk.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from meetingapp.events import Event
from meetingapp.server.auth import DeviceStore
from meetingapp.session import SessionMachine
from meetingapp.store import open_db

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BATCH = 256
SECRET_BALLOT = "secret_ballot_cast"


class Writer:
    def __init__(self, db_path: Path, devices: DeviceStore) -> None:
        self.db_path = db_path
        self.devices = devices
        self.on_events: Callable[[list[Event]], None] = lambda events: None
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[[Writer], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="db-writer", daemon=True)
        self.db: Database
        self.machine: SessionMachine

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()
        if self._startup_error:
            raise self._startup_error

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def submit(self, fn: Callable[[Writer], T]) -> Future[T]:
        fut: Future[T] = Future()
        self._queue.put((fut, fn))
        return fut

    async def call(self, fn: Callable[[Writer], T]) -> T:
        return await asyncio.wrap_future(self.submit(fn))

    def _run(self) -> None:
        try:
            self.db = open_db(self.db_path)
            self.machine = SessionMachine(self.db)
            self.devices.load(self.db)
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        while True:
            item = self._queue.get()
            if item is None:
                break
            batch = [item]
            while len(batch) < MAX_BATCH:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)
                    break
                batch.append(nxt)
            self._run_batch(batch)
        self.db.close()

    def _run_batch(self, batch: list[tuple[Future[Any], Callable[[Writer], Any]]]) -> None:
        outcomes: list[tuple[Future[Any], Any, BaseException | None]] = []
        try:
            with self.db.atomic():
                for fut, fn in batch:
                    outcomes.append((fut, *self._run_one(fn)))
        except Exception as exc:  # the commit itself failed: nothing of the batch is stored
            log.exception("commit failed; %d commands refused", len(batch))
            self.machine.reload()
            for fut, _ in batch:
                fut.set_exception(exc)
            return
        events, self.machine.committed = self.machine.committed, []
        if any(e.kind == SECRET_BALLOT for e in events):
            self.forget_ballot_history()
        for fut, result, error in outcomes:
            if error is None:
                fut.set_result(result)
            else:
                fut.set_exception(error)
        if events:
            self.on_events(events)

    def forget_ballot_history(self) -> None:
        """After a secret ballot is committed: copy the WAL into the database and truncate it,
        so no older page versions remain from which a diff could show whose ballot moved which
        counter (``secure_delete`` zeroes what is overwritten in the file itself). Runs before
        the ballot is acknowledged."""
        busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("WAL checkpoint after a secret ballot was blocked by a reader")

    def _run_one(self, fn: Callable[[Writer], Any]) -> tuple[Any, BaseException | None]:
        mark = len(self.machine.committed)
        try:
            with self.db.atomic():
                return fn(self), None
        except Exception as exc:  # noqa: BLE001 - handed to the caller
            if len(self.machine.committed) > mark:  # part of it was applied, then rolled back
                del self.machine.committed[mark:]
                keep = list(self.machine.committed)
                self.machine.reload()
                self.machine.committed = keep
            return None, exc
