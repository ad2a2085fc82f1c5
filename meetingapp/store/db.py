"""Opening the database: the one place that sets pragmas and applies migrations."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from meetingapp.errors import StoreError
from meetingapp.store.migrations import migrations

BUSY_TIMEOUT_S = 30.0


def open_db(path: str | Path, *, create: bool = True) -> Database:
    """Open (and migrate) the SQLite file at ``path``.

    A ``Database`` belongs to the thread that opened it; the host keeps one writer.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StoreError("db.not_found", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # owner-only from the start; SQLite gives the WAL the same mode
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    elif path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        # deleted or overwritten content is zeroed, not left in free pages (secret ballots)
        conn.execute("PRAGMA secure_delete=ON")
        db = Database(conn)
        if not create and "events" not in db.table_names():
            raise StoreError("db.not_sqlite", path=str(path))
        migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError("db.not_sqlite", path=str(path)) from exc
    return db
