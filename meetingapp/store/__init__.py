"""SQLite store: one file, WAL, foreign keys on, versioned migrations, a hash-chained event log."""

from meetingapp.events import GENESIS, Event
from meetingapp.store.db import open_db
from meetingapp.store.eventlog import EventLog, VerifyReport
from meetingapp.store.files import FileStore

__all__ = ["GENESIS", "Event", "EventLog", "FileStore", "VerifyReport", "open_db"]
