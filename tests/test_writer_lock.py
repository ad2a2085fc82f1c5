"""One writer, really: CLI commands that change the data refuse while a real host runs on that
database, and a host refuses to start while such a command holds it. The lock is the kernel's
(fcntl): a host killed with SIGKILL leaves nothing stale behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from meetingapp.localhost import LocalHost
from meetingapp.store import open_db
from meetingapp.store.lock import DatabaseInUse, WriterLock


def cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meetingapp", "--lang", lang, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def events(db: Path) -> int:
    return open_db(db, create=False).execute("SELECT count(*) FROM events").fetchone()[0]


def test_writing_commands_refuse_while_the_host_runs(tmp_path: Path) -> None:
    host = LocalHost(tmp_path / "host").start()
    db = tmp_path / "host" / "meetingapp.db"
    roster = tmp_path / "roster.csv"
    roster.write_text("Họ và tên\nNguyễn Văn An\n", encoding="utf-8")
    try:
        assert host.proc is not None
        before = events(db)
        for args in (
            ["import-roster", str(db), str(roster)],
            ["finalise", str(db), "--out", str(tmp_path / "out")],
            ["minutes", str(db), "--out", str(tmp_path / "out")],
            ["faces", "withdraw", str(db), "dlg-x"],
            ["faces", "calibrate", str(db)],
            ["init", str(db), "--name", "Hội đồng nhân dân xã B", "--seats", "5"],
        ):
            done = cli(*args)
            assert done.returncode == 2, (args, done.stdout, done.stderr)
            assert "is being written by meetingapp serve" in done.stderr, done.stderr
            assert f"(process {host.proc.pid})" in done.stderr
        vi = cli("import-roster", str(db), str(roster), lang="vi")
        assert "đang được meetingapp serve" in vi.stderr and "Hãy dừng máy chủ" in vi.stderr
        assert events(db) == before  # nothing was written
        assert cli("verify-log", str(db)).returncode == 0  # reading is fine
    finally:
        host.stop()
    # the host has stopped: the same command now goes ahead (and fails only on its own terms)
    done = cli("init", str(db), "--name", "Hội đồng nhân dân xã B", "--seats", "5")
    assert done.returncode == 0, done.stderr
    assert events(db) == before + 1


def test_a_killed_host_leaves_no_stale_lock(tmp_path: Path) -> None:
    host = LocalHost(tmp_path / "host").start()
    db = tmp_path / "host" / "meetingapp.db"
    host.kill()
    assert (tmp_path / "host" / "meetingapp.db.writer.lock").exists()
    done = cli("init", str(db), "--name", "Hội đồng nhân dân xã C", "--seats", "7")
    assert done.returncode == 0, done.stderr


def test_the_host_does_not_start_while_a_command_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETINGAPP_LANG", "en")  # the host's own message, in English
    db = tmp_path / "host" / "meetingapp.db"
    with WriterLock.acquire(db, "meetingapp import-roster"):
        with pytest.raises(DatabaseInUse):  # a second writer in this very process, too
            WriterLock.acquire(db, "meetingapp finalise")
        with pytest.raises(RuntimeError, match="is being written by meetingapp import-roster"):
            LocalHost(tmp_path / "host").start()
    host = LocalHost(tmp_path / "host").start()  # released: it starts
    host.stop()
