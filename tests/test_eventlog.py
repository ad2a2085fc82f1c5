"""The hash-chained event log: tampering anywhere is found and named."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from meetingapp.errors import StoreError
from meetingapp.store import GENESIS, EventLog, open_db
from tests.helpers import make_meeting


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meetingapp", *args], capture_output=True, text=True, timeout=120
    )


def closed_meeting_db(tmp_path: Path) -> Path:
    mt = make_meeting(tmp_path)
    mt.machine.close_session(mt.session)
    mt.machine.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mt.machine.db.close()
    return mt.db_path


def test_chain_links_every_event(tmp_path: Path) -> None:
    log = EventLog(open_db(closed_meeting_db(tmp_path), create=False))
    events = list(log.events())
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    report = log.verify()
    assert report.ok and report.count == len(events) and report.head == events[-1].hash


def test_one_changed_byte_in_the_file_is_found_by_verify_log(tmp_path: Path) -> None:
    db_path = closed_meeting_db(tmp_path)
    raw = db_path.read_bytes()
    target = "Đại biểu Số 7".encode()
    assert raw.count(target) == 1
    at = raw.index(target) + len(target) - 1
    db_path.write_bytes(raw[:at] + b"8" + raw[at + 1 :])  # "Số 7" becomes "Số 8"

    ok = cli("verify-log", str(db_path))
    assert ok.returncode == 1
    report = EventLog(open_db(db_path, create=False)).verify()
    assert not report.ok and report.reason_key == "log.reason.hash"
    assert f"#{report.broken_seq}" in ok.stderr
    assert "bị sửa đổi" in ok.stderr
    broken = (
        open_db(db_path, create=False)
        .execute("SELECT kind FROM events WHERE seq = ?", [report.broken_seq])
        .fetchone()
    )
    assert broken[0] == "delegate_added"


def test_edits_through_sqlite_are_refused_and_removals_are_found(tmp_path: Path) -> None:
    db_path = closed_meeting_db(tmp_path)
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET payload = '{}' WHERE seq = 3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events WHERE seq = 3")
    conn.execute("DROP TRIGGER events_no_delete")  # an attacker with the file can do this
    conn.execute("DELETE FROM events WHERE seq = 5")
    conn.commit()
    conn.close()
    report = EventLog(open_db(db_path, create=False)).verify()
    assert (report.ok, report.broken_seq, report.reason_key) == (False, 6, "log.reason.seq")


def test_a_rewritten_hash_breaks_the_next_link(tmp_path: Path) -> None:
    db_path = closed_meeting_db(tmp_path)
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET hash = ? WHERE seq = 4", ["f" * 64])
    conn.commit()
    conn.close()
    report = EventLog(open_db(db_path, create=False)).verify()
    assert report.broken_seq == 4 and report.reason_key == "log.reason.hash"


def test_verify_log_on_a_good_file_exits_zero(tmp_path: Path) -> None:
    result = cli("--lang", "en", "verify-log", str(closed_meeting_db(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "Event log intact" in result.stdout


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "minutes.db"
    bogus.write_bytes(b"%PDF-1.7 not a database" * 100)
    with pytest.raises(StoreError):
        open_db(bogus, create=False)
    result = cli("verify-log", str(bogus))
    assert result.returncode == 2
    assert "Tệp không phải là cơ sở dữ liệu" in result.stderr
    missing = cli("--lang", "en", "verify-log", str(tmp_path / "nope.db"))
    assert missing.returncode == 2 and "Database not found" in missing.stderr
    assert not (tmp_path / "nope.db").exists()
