"""Attacks on the signed record (issue #14, findings 3 and 7).

Before: a secretary-signed PDF plus an unsigned incremental update writing "FORGED" on page 1
was stored as the signed stage (only the signature bytes were checked) and any certificate was
accepted; and a log rewritten from an altered event onwards passed ``verify-log``.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from exports.certs import make_demo_certs
from exports.signing import load_pkcs12, sign_minutes
from meetingapp.client import HostClient, HostError
from meetingapp.events import canonical_json
from meetingapp.store.eventlog import event_hash
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting

PEOPLE = {"secretary": "Đại biểu Thứ 1", "chair": "Đại biểu Thứ 0"}


def forge(signed: bytes) -> bytes:
    """An unsigned incremental update that writes FORGED across page 1."""
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    font = w.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
            }
        )
    )
    stream = w.add_object(
        generic.StreamObject(stream_data=b"BT /FX 60 Tf 120 420 Td (FORGED) Tj ET")
    )
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FX"): font})}
    )
    w.add_stream_to_page(0, stream, resources=resources)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


async def upload(client: HostClient, sid: str, data: bytes) -> dict:  # type: ignore[type-arg]
    return await client.request(
        "POST",
        f"/api/sessions/{sid}/minutes/signed",
        content=data,
        content_type="application/octet-stream",
    )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meetingapp", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"MEETINGAPP_LANG": "en", "PATH": "/usr/bin:/bin", "PYTHONPATH": sys.path[0]},
    )


def rewrite_from(db_path: Path, seq: int, change: dict[str, object]) -> None:
    """What an attacker with the file does: drop the append-only triggers, alter event
    ``seq`` and recompute the hash chain from there on, so the chain is consistent again."""
    db = sqlite3.connect(db_path)
    db.execute("DROP TRIGGER events_no_update")
    rows = db.execute(
        "SELECT seq, ts, session_id, kind, actor, payload, prev_hash FROM events WHERE seq >= ? "
        "ORDER BY seq",
        [seq],
    ).fetchall()
    prev = rows[0][6]
    for s, ts, session_id, kind, actor, payload, _ in rows:
        if s == seq:
            payload = canonical_json({**json.loads(payload), **change})
        digest = event_hash(s, ts, session_id, kind, actor, payload, prev)
        db.execute(
            "UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            [payload, prev, digest, s],
        )
        prev = digest
    db.commit()
    db.close()


@pytest.mark.slow
def test_forged_signed_minutes_are_refused_and_a_rewritten_log_is_caught(
    host: HostProcess, tmp_path: Path
) -> None:
    certs = make_demo_certs(tmp_path / "certs", people=PEOPLE)
    stranger_ca = make_demo_certs(tmp_path / "other-ca", people=PEOPLE)  # same names, other CA
    signed = tmp_path / "signed.pdf"

    async def scenario() -> str:
        mt = await api_meeting(host, tablets=0)
        console, sid = mt.console, mt.session
        await console.close_session(sid)
        final = await console.finalise_minutes(sid)
        pdf = tmp_path / final["pdf"]["name"]
        pdf.write_bytes(await console.minutes_file(final["pdf"]["sha256"]))

        def sign(key_set, role: str, key_role: str, out: Path, src: Path = pdf) -> bytes:  # type: ignore[no-untyped-def]
            key = load_pkcs12(key_set.p12[key_role], key_set.password)
            sign_minutes(src, role, key, out=out)
            return out.read_bytes()

        genuine = await asyncio.to_thread(sign, certs, "secretary", "secretary", signed)
        # no trust anchor configured for the body yet: nothing is accepted
        with pytest.raises(HostError) as info:
            await upload(console, sid, genuine)
        assert (info.value.status, info.value.code) == (422, "minutes.untrusted")
        await console.trust_ca(mt.body, certs.ca.read_bytes())

        attacks = {
            "changed after signing": forge(genuine),
            "untrusted CA": await asyncio.to_thread(
                sign, stranger_ca, "secretary", "secretary", tmp_path / "a.pdf"
            ),
            "wrong person": await asyncio.to_thread(
                sign, certs, "secretary", "chair", tmp_path / "b.pdf"
            ),
        }
        for name, data in attacks.items():
            with pytest.raises(HostError) as info:
                await upload(console, sid, data)
            assert info.value.status == 422, name
            assert info.value.code in ("minutes.untrusted", "minutes.bad_signatures"), name
        state = await console.state(sid)
        assert state["session"]["minutes"]["state"] == "finalised"  # nothing was recorded

        (tmp_path / "forged.pdf").write_bytes(attacks["changed after signing"])
        stored = await upload(console, sid, genuine)
        assert stored["fields"] == ["ThuKy"]
        await asyncio.to_thread(sign, certs, "chair", "chair", signed, signed)
        stored = await upload(console, sid, signed.read_bytes())
        assert stored["fields"] == ["ThuKy", "ChuToa"]
        await mt.close()
        return sid

    sid = asyncio.run(scenario())
    # the host's verdict and `meetingapp verify`'s agree
    forged = cli("verify", str(tmp_path / "forged.pdf"), "--trust", str(certs.ca))
    assert forged.returncode == 1 and "NOT VALID" in forged.stdout
    assert cli("verify", str(signed), "--trust", str(certs.ca)).returncode == 0

    host.stop()
    copy = tmp_path / "copy.db"
    for suffix in ("", "-wal"):  # the file and its write-ahead log, as a thief copies them
        src = host.data_dir / f"meetingapp.db{suffix}"
        if src.exists():
            shutil.copy(src, f"{copy}{suffix}")
    good = cli("verify-log", str(copy), "--against", str(signed))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Matches the signed minutes" in good.stdout

    db = sqlite3.connect(copy)
    seq = db.execute(
        "SELECT min(seq) FROM events WHERE session_id = ? AND kind = 'checked_in'", [sid]
    ).fetchone()[0]
    db.close()
    rewrite_from(copy, seq, {"reason": "vắng mặt (đã sửa)"})
    plain = cli("verify-log", str(copy))
    assert plain.returncode == 0  # the rewritten chain is consistent: the old check passes
    caught = cli("verify-log", str(copy), "--against", str(signed))
    assert caught.returncode == 1 and "rewritten" in caught.stderr
    assert hashlib.sha256(signed.read_bytes()).hexdigest()  # the minutes themselves unchanged
