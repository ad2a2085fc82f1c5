"""One writer per database, really: the process that writes (the host, or a CLI command that
changes the data) holds an exclusive ``fcntl`` lock on ``<db>.writer.lock`` for as long as it
runs. The kernel releases the lock when the process ends, however it ends, so a crash never
leaves a stale lock behind (unlike a pid file). On Windows (the packaged app) the same with
``msvcrt.locking`` on one byte far past the holder's note, which others can still read."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO

from meetingapp.errors import StoreError

if sys.platform == "win32":
    import msvcrt

    _FAR = 1 << 30  # the locked byte: past the JSON note, so it stays readable

    def _try_lock(file: IO[str]) -> None:
        os.lseek(file.fileno(), _FAR, os.SEEK_SET)
        try:
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise BlockingIOError(str(exc)) from exc
        finally:
            os.lseek(file.fileno(), 0, os.SEEK_SET)

    def _unlock(file: IO[str]) -> None:
        os.lseek(file.fileno(), _FAR, os.SEEK_SET)
        msvcrt.locking(file.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(file: IO[str]) -> None:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(file: IO[str]) -> None:
        fcntl.flock(file.fileno(), fcntl.LOCK_UN)


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
            _try_lock(file)
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
            _unlock(self._file)
            self._file.close()
            self._file = None

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
