"""Signed checkpoints of the event log's head (issue #14, "anchored log").

Every ``EVERY_EVENTS`` events or ``EVERY_S`` seconds (whichever comes first, only when the log
moved) the host signs ``{seq, hash, ts}`` of the chain's head with the key of its own CA — the
certificate every paired device already pins by fingerprint — sends the checkpoint to every
connected screen and appends it to ``DATA_DIR/checkpoints.jsonl``. Anyone who kept a checkpoint
(a tablet, the clerk's machine, a copy of that file) can later prove that the log was rewritten:
``meetingapp verify-log DB --checkpoints FILE --ca CA.pem`` requires the event at each
checkpoint's ``seq`` to still have the signed hash. Rewriting the log after the fact would need
every copy of every checkpoint, or the CA key to sign new ones — and a forged checkpoint cannot
replace one somebody else already holds.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

EVERY_EVENTS = 50
EVERY_S = 60.0


def _message(seq: int, digest: str, ts: str) -> bytes:
    return json.dumps({"seq": seq, "hash": digest, "ts": ts}, sort_keys=True).encode()


class Checkpointer:
    """Decides when to sign (called on the host's writer thread after each commit)."""

    def __init__(self, key_pem: bytes, out: Path) -> None:
        key = serialization.load_pem_private_key(key_pem, None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise TypeError("the host's CA key must be an EC key")
        self._key = key
        self.out = out
        self._last_seq = 0
        self._last_at = time.monotonic()

    def after(self, seq: int, digest: str, ts: str) -> dict[str, Any] | None:
        now = time.monotonic()
        moved = seq > self._last_seq
        due = seq - self._last_seq >= EVERY_EVENTS or now - self._last_at >= EVERY_S
        if not (moved and due):
            return None
        signature = self._key.sign(_message(seq, digest, ts), ec.ECDSA(hashes.SHA256()))
        cp = {
            "type": "checkpoint",
            "seq": seq,
            "hash": digest,
            "ts": ts,
            "sig": base64.b64encode(signature).decode(),
        }
        with self.out.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(cp) + "\n")
        self._last_seq, self._last_at = seq, now
        return cp


def signed_by(cp: dict[str, Any], ca_pem: bytes) -> bool:
    cert = x509.load_pem_x509_certificate(ca_pem)
    public = cert.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        return False
    try:
        public.verify(
            base64.b64decode(cp["sig"]),
            _message(int(cp["seq"]), str(cp["hash"]), str(cp["ts"])),
            ec.ECDSA(hashes.SHA256()),
        )
    except (InvalidSignature, KeyError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class CheckpointReport:
    ok: bool
    checked: int
    reason_key: str = "log.checkpoints.ok"
    seq: int | None = None


def check_checkpoints(db_path: Path, lines: list[str], ca_pem: bytes) -> CheckpointReport:
    """Every checkpoint must be signed by the CA and match the chain at its ``seq``."""
    from meetingapp.store import open_db

    db = open_db(db_path, create=False)
    checked = 0
    for line in lines:
        if not line.strip():
            continue
        cp = json.loads(line)
        if not signed_by(cp, ca_pem):
            return CheckpointReport(False, checked, "log.checkpoints.bad_signature", cp.get("seq"))
        row = db.execute("SELECT hash FROM events WHERE seq = ?", [int(cp["seq"])]).fetchone()
        if row is None or row[0] != cp["hash"]:
            return CheckpointReport(False, checked, "log.checkpoints.mismatch", int(cp["seq"]))
        checked += 1
    return CheckpointReport(True, checked, seq=None)
