"""``meetingapp demo`` as a user runs it: a real process, a real database, real output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from meetingapp.demo import run_demo
from meetingapp.domain import Tally
from meetingapp.store import EventLog, open_db


def test_demo_command_runs_a_meeting_and_reports_it(tmp_path: Path) -> None:
    out = tmp_path / "demo-output"
    result = subprocess.run(
        [sys.executable, "-m", "meetingapp", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "có mặt 10/12 đại biểu — đủ số đại biểu tối thiểu" in text
    assert "Tán thành: 8/12 (66,67%)" in text and "Kết quả: Thông qua" in text
    assert "Tán thành: 6/12 (50,00%)" in text and "Kết quả: Không thông qua" in text
    log = EventLog(open_db(out / "demo.db", create=False))
    assert log.verify().ok
    closed = [e for e in log.events() if e.kind == "session_closed"][-1]
    assert f"mã băm cuối {closed.hash}" in text  # the hash printed in the minutes' annex
    assert "Kiểm tra chữ ký: 3 chữ ký, HỢP LỆ" in text
    signed = next((out / "bien-ban").glob("BB-01-*.signed.pdf"))
    verify = subprocess.run(
        [
            sys.executable,
            "-m",
            "meetingapp",
            "verify",
            str(signed),
            "--trust",
            str(out / "chung-thu-demo" / "demo-ca.pem"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0 and "Kết luận: HỢP LỆ" in verify.stdout
    pdf_text = subprocess.run(["pdftotext", str(signed), "-"], capture_output=True, text=True)
    assert closed.hash in pdf_text.stdout.replace("\n", "")
    assert next((out / "ho-so").glob("BB-01-*-ho-so.zip")).stat().st_size > 0
    # running it again replaces the earlier demo rather than failing or mixing the two
    again = subprocess.run(
        [sys.executable, "-m", "meetingapp", "--lang", "en", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "Result: Passed" in again.stdout and "Result: Not passed" in again.stdout


def test_demo_counts_retried_ballots_once(tmp_path: Path) -> None:
    lines: list[str] = []
    result = run_demo(tmp_path, say=lines.append)
    assert result.log_ok and (result.present, result.total) == (10, 12)
    assert result.signatures_ok and result.signed_pdf.exists()
    assert sorted(result.motions.values(), key=lambda t: t.yes) == [Tally(6, 3, 1), Tally(8, 1, 1)]
    assert sorted(result.passed.values()) == [False, True]
    db = open_db(result.db_path, create=False)
    named = db.execute("SELECT count(*) FROM named_ballots").fetchone()[0]
    assert named == 10  # each of the 10 tablets sent its ballot twice
