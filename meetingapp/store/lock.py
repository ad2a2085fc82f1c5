"""One writer per database, really: the process that writes (the host, or a CLI command that
changes the data) holds an exclusive ``fcntl`` lock on ``<db>.writer.lock`` for as long as it
runs. The kernel releases the lock when the process ends, however it ends, so a crash never
leaves a stale lock behind (unlike a pid file)."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import IO

from meetingapp.errors import StoreError


class DatabaseInUse(StoreError):
    key = "db.in_use"


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.writer.lock")


class WriterLock:
    """Held by the one process allowed to write ``db_path``; ``release`` or process exit ends it."""

    def __init__(self, db_path: str | Path, file: IO[str]) -> None:
        self.db_path = Path(db_path)
        self._file: IO[str] | None = file

    @classmethod
    def acquire(cls, db_path: str | Path, holder: str) -> WriterLock:
        """Take the lock or raise ``DatabaseInUse`` naming who holds it (never waits)."""
        path = lock_path(db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        file = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            try:
                info = json.loads(file.read() or "{}")
            except ValueError:
                info = {}
            file.close()
            raise DatabaseInUse(
                path=str(db_path),
                holder=info.get("holder", "?"),
                pid=info.get("pid", "?"),
            ) from None
        file.seek(0)
        file.truncate()
        file.write(json.dumps({"holder": holder, "pid": os.getpid()}))
        file.flush()
        return cls(db_path, file)

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
