"""Schema versions. Never edit a migration that has shipped; add the next one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("meetingapp")


@migrations()
def m001_event_log(db: Database) -> None:
    # The event log is the record of everything that happened; the views below are read
    # models over it, so no state is written twice.
    db.execute(
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            session_id TEXT,
            kind TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            command_id TEXT UNIQUE,
            command_fp TEXT,
            payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        )
        """
    )
    db.execute("CREATE INDEX events_session ON events(session_id, seq)")
    # Append-only: the database itself refuses edits and deletions made through SQLite.
    # (Someone editing the file directly is caught by verify-log.)
    db.execute(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    # Secret ballots: the choice is kept apart from who voted. The key is random and the
    # table has no rowid, so row order says nothing about the order of voting.
    db.execute(
        """
        CREATE TABLE secret_ballot_box (
            ballot_key TEXT PRIMARY KEY,
            motion_id TEXT NOT NULL,
            choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain'))
        ) WITHOUT ROWID
        """
    )
    _views(db)


def _views(db: Database) -> None:
    j = "json_extract(payload, '$.{}')"
    db.execute(
        "CREATE VIEW delegates AS SELECT "
        + ", ".join(
            f"{j.format(c)} AS {c}"
            for c in ("id", "body_id", "full_name", "title", "unit", "seat", "contact")
        )
        + " FROM events WHERE kind = 'delegate_added'"
    )
    db.execute(
        "CREATE VIEW attendance AS SELECT seq, ts, session_id, kind, "
        + ", ".join(
            f"{j.format(c)} AS {c}" for c in ("delegate_id", "method", "confidence", "reason")
        )
        + " FROM events WHERE kind IN ('checked_in', 'checked_out')"
    )
    db.execute(
        "CREATE VIEW named_ballots AS SELECT seq, ts, session_id, "
        + ", ".join(f"{j.format(c)} AS {c}" for c in ("motion_id", "delegate_id", "choice"))
        + " FROM events WHERE kind IN ('ballot_cast', 'ballot_changed')"
    )
    db.execute(
        "CREATE VIEW motion_results AS SELECT seq, ts, session_id, "
        + ", ".join(
            f"{j.format(c)} AS {c}"
            for c in ("motion_id", "yes", "no", "abstain", "total", "present", "passed", "rule")
        )
        + " FROM events WHERE kind = 'motion_closed'"
    )


@migrations()
def m002_devices(db: Database) -> None:
    # Paired devices. Only a hash of each token is kept; pairing and binding are also
    # written to the event log for the audit trail.
    db.execute(
        """
        CREATE TABLE devices (
            device_id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            delegate_id TEXT,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0
        )
        """
    )


@migrations()
def m003_face_templates(db: Database) -> None:
    # Encrypted face templates (Fernet; the key is a file outside the database). Consent,
    # enrolment and deletion are events in the log; the templates themselves never are.
    db.execute(
        """
        CREATE TABLE face_templates (
            template_id TEXT PRIMARY KEY,
            delegate_id TEXT NOT NULL,
            sealed BLOB NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX face_templates_delegate ON face_templates(delegate_id)")


@migrations()
def m004_secret_tally(db: Database) -> None:
    # Secret ballots (issue #14): one counter per motion and choice, updated in place, instead
    # of one row per ballot, so no row, rowid, key or page order can be matched against the
    # order of the ``secret_ballot_cast`` events. Old ballot-box rows still count.
    db.execute(
        """
        CREATE TABLE secret_tally (
            motion_id TEXT NOT NULL,
            choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
            count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (motion_id, choice)
        ) WITHOUT ROWID
        """
    )
