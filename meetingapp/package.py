"""``meetingapp verify-package``: a record package checked offline, as a whole, and the first
thing that fails named.

In this order: every member is in the manifest and matches its SHA-256 (and nothing is
missing or added); every signature of the signed minutes is intact and valid (and trusted,
given the CA); the event log's hash chain holds from the first event to the last, whose hash
is the manifest's, and it contains the hash printed in the signed minutes (annex IV). Then
what the signed minutes anchor through that printed hash: every recording is one the log
recorded before it (``speech_audio``), and the DOCX and the signed PDF are those whose hashes
the log recorded at finalisation.

What anchors what: the signatures protect the minutes, the minutes print the log's hash at
finalisation, the log holds the hashes of the recordings. The derived exports (transcripts,
CSV, XLSX) and the log's events after finalisation are protected by the manifest only, which
is not signed: someone who rewrites the manifest too can change them unseen.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exports.records import AUDIO_DIR, EVENT_LOG, MANIFEST
from exports.signing import SigningError, signature_reports
from meetingapp.events import GENESIS
from meetingapp.i18n import tr
from meetingapp.store.eventlog import event_hash

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


@dataclass(frozen=True)
class PackageReport:
    ok: bool
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def member(self) -> str:
        return str(self.params.get("member", ""))

    def message(self, lang: str | None = None) -> str:
        return tr(self.key, lang, **self.params)


class _Failed(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def verify_package(path: Path, trust: list[bytes] | None = None) -> PackageReport:
    """Check the package at ``path``; ``trust``: CA certificates (PEM) the signers must chain
    to (without them, signatures are checked for integrity and validity only)."""
    try:
        return _verify(path, trust or [])
    except _Failed as failed:
        return PackageReport(False, failed.key, failed.params)


def _verify(path: Path, trust: list[bytes]) -> PackageReport:
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise _Failed("package.unreadable", name=path.name, detail=str(exc)) from exc
    with zf:
        contents = _members(zf, path.name)
    signed = sorted(n for n in contents if n.endswith(".signed.pdf"))
    if not signed:
        raise _Failed("package.no_signed")
    signatures = sum(_signatures(name, contents[name], trust) for name in signed)
    log_name = EVENT_LOG
    entries = _chain(log_name, contents[log_name], contents[MANIFEST])
    printed = _printed_hash(signed[0], contents[signed[0]])
    position = next(
        (i for i, e in enumerate(entries) if e["hash"] == printed and not e.get("elided")), None
    )
    if position is None:
        raise _Failed("package.log_hash", printed=printed, member=log_name)
    _anchors(contents, entries, position, signed)
    return PackageReport(
        True,
        "package.ok",
        {
            "files": len(contents) - 1,
            "signatures": signatures,
            "events": len(entries),
            "printed": printed[:16] + "…",
        },
    )


def _members(zf: zipfile.ZipFile, zip_name: str) -> dict[str, bytes]:
    names = [i.filename for i in zf.infolist() if not i.is_dir()]
    if MANIFEST not in names:
        raise _Failed("package.no_manifest")
    manifest_data = _read(zf, MANIFEST)
    try:
        listed = json.loads(manifest_data)["files"]
        if not isinstance(listed, dict):
            raise TypeError("files is not a mapping")
    except (ValueError, KeyError, TypeError) as exc:
        raise _Failed("package.unreadable", name=f"{zip_name}/{MANIFEST}", detail=str(exc)) from exc
    for name in names:
        if name != MANIFEST and name not in listed:
            raise _Failed("package.unlisted", member=name)
    contents = {MANIFEST: manifest_data}
    for name, digest in listed.items():
        if name not in names:
            raise _Failed("package.missing", member=name)
        data = _read(zf, name)
        if hashlib.sha256(data).hexdigest() != digest:
            raise _Failed("package.hash", member=name)
        contents[name] = data
    if EVENT_LOG not in contents:
        raise _Failed("package.missing", member=EVENT_LOG)
    return contents


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:  # a bad CRC: changed bytes
        raise _Failed("package.hash", member=name) from exc


def _signatures(name: str, data: bytes, trust: list[bytes]) -> int:
    try:
        reports = signature_reports(data, trust)
    except SigningError as exc:
        raise _Failed("package.signature", member=name, field="-", detail=exc.message()) from exc
    if not reports:
        raise _Failed("package.signature", member=name, field="-", detail="no signature")
    for r in reports:
        if not r.ok or (trust and not r.trusted):
            detail = (
                f"intact={r.intact}, valid={r.valid}, trusted={r.trusted}, "
                f"modification={r.modification}"
            )
            raise _Failed("package.signature", member=name, field=r.field, detail=detail)
    return len(reports)


def _chain(name: str, data: bytes, manifest: bytes) -> list[dict[str, Any]]:
    """Every entry of the log, checked: sequence, link to the previous hash, and (for whole
    events) the hash recomputed from the event itself."""
    entries: list[dict[str, Any]] = []
    prev = GENESIS
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        try:
            e = json.loads(line)
            seq, prev_hash, digest = int(e["seq"]), str(e["prev_hash"]), str(e["hash"])
        except (ValueError, KeyError, TypeError) as exc:
            raise _Failed(
                "package.log", member=name, seq=number, reason=tr("log.reason.unreadable")
            ) from exc
        if seq != number:
            raise _Failed("package.log", member=name, seq=seq, reason=tr("log.reason.seq"))
        if prev_hash != prev:
            raise _Failed("package.log", member=name, seq=seq, reason=tr("log.reason.prev"))
        if not e.get("elided"):
            try:
                json.loads(e["payload_json"])
                recomputed = event_hash(
                    seq, e["ts"], e["session_id"], e["kind"], e["actor"], e["payload_json"], prev
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise _Failed(
                    "package.log", member=name, seq=seq, reason=tr("log.reason.unreadable")
                ) from exc
            if recomputed != digest:
                raise _Failed("package.log", member=name, seq=seq, reason=tr("log.reason.hash"))
        entries.append(e)
        prev = digest
    if not entries or json.loads(manifest).get("event_log_hash") != prev:
        raise _Failed("package.log", member=name, seq=len(entries), reason=tr("log.reason.hash"))
    return entries


def _printed_hash(name: str, pdf: bytes) -> str:
    """The event-log hash printed in the minutes' annex IV (the last 64-hex-digit string)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    found = HEX64.findall(text.replace("\r", "").replace("\n", " "))
    if not found:
        raise _Failed("package.no_printed_hash", member=name)
    return str(found[-1])


def _anchors(
    contents: dict[str, bytes], entries: list[dict[str, Any]], printed: int, signed: list[str]
) -> None:
    def payloads(kind: str, upto: int) -> list[dict[str, Any]]:
        return [
            json.loads(e["payload_json"])
            for e in entries[: upto + 1]
            if not e.get("elided") and e["kind"] == kind
        ]

    recorded = {p["sha256"] for p in payloads("speech_audio", printed)}
    for name, data in contents.items():
        if name.startswith(AUDIO_DIR) and hashlib.sha256(data).hexdigest() not in recorded:
            raise _Failed("package.audio", member=name)
    finalised = payloads("minutes_finalised", len(entries) - 1)
    if not finalised:
        return
    docx_hash, pdf_hash = finalised[-1].get("docx_sha256"), finalised[-1].get("pdf_sha256")
    for name, data in contents.items():
        is_minutes_docx = name.endswith(".docx") and name.startswith("BB-")
        if is_minutes_docx and hashlib.sha256(data).hexdigest() != docx_hash:
            raise _Failed("package.docx", member=name)
    for name in signed:
        if not _starts_with_finalised(contents[name], pdf_hash):
            raise _Failed("package.not_finalised", member=name)


def _starts_with_finalised(data: bytes, digest: object) -> bool:
    """Whether a revision of the signed PDF (its bytes up to one of its ``%%EOF`` marks) is
    the finalised PDF: the signatures only ever add incremental updates after it."""
    for match in re.finditer(rb"%%EOF(\r\n|\r|\n)?", data):
        if hashlib.sha256(data[: match.end()]).hexdigest() == digest:
            return True
    return False
