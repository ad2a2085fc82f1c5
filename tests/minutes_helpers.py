"""Shared set-up for the minutes tests: a closed session with speeches and votes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from meetingapp.domain import BallotForm, Choice
from tests.helpers import Meeting, make_meeting


def closed_meeting(tmp_path: Path) -> tuple[Meeting, dict[str, str]]:
    mt = make_meeting(tmp_path, seats=12, present=10)
    m, sid, d = mt.machine, mt.session, mt.delegates
    m.note_absence(sid, d[10], reason="Đi công tác")
    req = m.request_floor(sid, d[3])
    speech = m.grant_floor(sid, req.payload["id"])
    m.end_speech(sid, speech)
    named = m.open_motion(
        sid, title="Nghị quyết về dự toán ngân sách năm 2027", form=BallotForm.ELECTRONIC
    )
    for i, did in enumerate(d[:10]):
        m.cast_ballot(sid, named, did, Choice.YES if i < 8 else Choice.NO)
    m.close_motion(sid, named)
    secret = m.open_motion(sid, title="Miễn nhiệm chức danh", form=BallotForm.SECRET)
    for i, did in enumerate(d[:10]):
        m.cast_ballot(sid, secret, did, Choice.YES if i < 6 else Choice.ABSTAIN)
    m.close_motion(sid, secret)
    m.close_session(sid)
    return mt, {"named": named, "secret": secret, "speech": speech}


def nss_db(folder: Path, ca_pem: Path) -> str:
    """An NSS database trusting ``ca_pem``, for poppler's pdfsig."""
    folder.mkdir(parents=True, exist_ok=True)
    db = f"sql:{folder}"
    subprocess.run(
        ["certutil", "-N", "-d", db, "--empty-password"], check=True, capture_output=True
    )
    subprocess.run(
        ["certutil", "-A", "-d", db, "-n", "demo-ca", "-t", "CT,C,C", "-i", str(ca_pem)],
        check=True,
        capture_output=True,
    )
    return db


def pdfsig(pdf: Path, nssdir: str) -> list[dict[str, str]]:
    """pdfsig's verdict per signature (it exits 0 even on a digest mismatch: parse it)."""
    out = subprocess.run(
        ["pdfsig", "-nssdir", nssdir, str(pdf)], capture_output=True, text=True, timeout=60
    )
    sigs: list[dict[str, str]] = []
    for line in out.stdout.splitlines():
        line = line.strip()
        if line.startswith("Signature #"):
            sigs.append({})
        elif line.startswith("- ") and ":" in line and sigs:
            key, _, value = line[2:].partition(":")
            sigs[-1][key.strip()] = value.strip()
    return sigs
