"""Anchoring the event log: the chain checked against the hash printed in signed minutes.

A log rewritten from an altered event onwards is internally consistent (every hash recomputed),
so ``verify-log`` alone cannot see it. The minutes print the hash of the session's last event,
and the signatures freeze that page: if the chain in the database no longer contains that exact
hash, the log was rewritten at or before the minutes' last event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HEX64 = re.compile(r"[0-9a-f]{64}")


def printed_hashes(pdf: bytes) -> list[str]:
    """Every 64-hex-digit string in the PDF's text (the minutes print the log's hash once)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return HEX64.findall(re.sub(r"\s+", "", text))


@dataclass(frozen=True)
class Anchor:
    ok: bool
    reason_key: str
    printed: str = ""
    seq: int | None = None


def check_against(db_path: Path, pdf: bytes) -> Anchor:
    """The printed hash must be the hash of an event of the (intact) chain, and the PDF's
    signatures intact with no change after signing (trust is `meetingapp verify`'s job)."""
    from exports.signing import SigningError, signature_reports
    from meetingapp.store import open_db

    try:
        reports = signature_reports(pdf)
    except SigningError:
        return Anchor(False, "log.anchor.not_signed")
    if not reports or not all(r.intact and r.valid and r.ok for r in reports):
        return Anchor(False, "log.anchor.not_signed")
    printed = printed_hashes(pdf)
    if not printed:
        return Anchor(False, "log.anchor.no_hash")
    db = open_db(db_path, create=False)
    for digest in printed:
        row = db.execute("SELECT seq FROM events WHERE hash = ?", [digest]).fetchone()
        if row is not None:
            return Anchor(True, "log.anchor.ok", digest, row[0])
    return Anchor(False, "log.anchor.missing", printed[0])
