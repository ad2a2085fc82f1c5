"""Signature fields, PAdES signing in the legal order, and verification (pyHanko).

Order (specs/minutes.md §5): THƯ KÝ (field ``ThuKy``) → CHỦ TỌA (``ChuToa``) → optional
organisation seal (``DauCoQuan``). Any other order is refused; every earlier signature is
re-validated before the next one is added; each signature is an incremental update, so the
finalised content never changes. A failed signing leaves the file exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from exports.appearance import (
    MM,
    SEAL_FIELD_MM,
    SEAL_MM,
    SEAL_TEXT_MM,
    SIGNATURE_MM,
    stamp_style,
)
from meetingapp.atomic import atomic_write
from meetingapp.domain import SIGNATURE_ORDER
from meetingapp.errors import MeetingAppError

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ORDER = SIGNATURE_ORDER
ROLE_FIELD = {"secretary": "ThuKy", "chair": "ChuToa", "seal": "DauCoQuan"}
ROLE_TITLE = {"secretary": "THƯ KÝ", "chair": "CHỦ TỌA", "seal": "ĐÓNG DẤU"}
LABELS = {"ThuKy": "THƯ KÝ", "ChuToa": "CHỦ TỌA"}
ACCEPTED = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


class SigningError(MeetingAppError):
    key = "sign.failed"


# --- fields ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x0), round(self.y0), round(self.x1), round(self.y1))


def find_label(pdf: bytes, label: str) -> Box:
    """Where the last occurrence of ``label`` (exact case) is drawn in the rendered PDF."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    found: Box | None = None
    try:
        for index in range(len(doc)):
            text = doc[index].get_textpage()
            search = text.search(label, match_case=True, match_whole_word=True)
            while (hit := search.get_next()) is not None:
                first, count = hit
                x0, y0, _, y1 = text.get_charbox(first)
                _, _, x1, y1b = text.get_charbox(first + count - 1)
                found = Box(index, x0, y0, x1, max(y1, y1b))
    finally:
        doc.close()
    if found is None:
        raise SigningError("sign.no_label", label=label)
    return found


def field_boxes(pdf: bytes, *, seal: bool) -> dict[str, Box]:
    """Signature boxes (45×20 mm) under THƯ KÝ and CHỦ TỌA, and the seal's box: the seal at
    real size, its right edge a third of the way into the chair's box (so it covers the left
    third of the chair's signature), centred on it in height, with room under it for the
    organisation's name and the signing time."""
    boxes = {}
    for name, label in LABELS.items():
        lab = find_label(pdf, label)
        centre, top = (lab.x0 + lab.x1) / 2, lab.y0 - 3
        w, h = SIGNATURE_MM[0] * MM, SIGNATURE_MM[1] * MM
        boxes[name] = Box(lab.page, centre - w / 2, top - h, centre + w / 2, top)
    if seal:
        chair = boxes["ChuToa"]
        name_bottom = _lowest_text(pdf, chair, depth=45 * MM)
        boxes["DauCoQuan"] = seal_box(chair, name_bottom)
    return boxes


def seal_box(chair: Box, name_bottom: float | None = None) -> Box:
    """The seal's field: the seal image at the top, the name and time at the bottom, below
    the chair's name line (``name_bottom``) when that is lower than the seal."""
    size, width, text = SEAL_MM * MM, SEAL_FIELD_MM * MM, SEAL_TEXT_MM * MM
    right = chair.x0 + (chair.x1 - chair.x0) / 3
    cx, cy = right - size / 2, (chair.y0 + chair.y1) / 2
    text_top = cy - size / 2
    if name_bottom is not None:
        text_top = min(text_top, name_bottom - 2)
    return Box(chair.page, cx - width / 2, text_top - text, cx + width / 2, cy + size / 2)


def _lowest_text(pdf: bytes, box: Box, *, depth: float) -> float | None:
    """The bottom of the lowest text drawn under ``box``'s top within its width (the signer's
    name line), looking ``depth`` points down."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    lowest = None
    try:
        text = doc[box.page].get_textpage()
        for i in range(text.count_chars()):
            x0, y0, x1, y1 = text.get_charbox(i)
            if x1 - x0 <= 0 or not box.x0 <= (x0 + x1) / 2 <= box.x1:
                continue
            if box.y1 - depth <= y0 < box.y1:
                lowest = y0 if lowest is None else min(lowest, y0)
    finally:
        doc.close()
    return lowest


def add_signature_fields(pdf_in: Path, pdf_out: Path, *, seal: bool = False) -> dict[str, Box]:
    """Create the empty fields once, at finalisation, before anybody signs."""
    data = pdf_in.read_bytes()
    boxes = field_boxes(data, seal=seal)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    for name in ORDER:
        if name in boxes:
            spec = fields.SigFieldSpec(name, on_page=boxes[name].page, box=boxes[name].as_tuple())
            fields.append_signature_field(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    atomic_write(pdf_out, out.getvalue())
    return boxes


# --- keys -----------------------------------------------------------------------------------


def load_pkcs12(path: Path, password: str) -> signers.Signer:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError("sign.no_key_file", path=str(path)) from exc
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:  # check the password ourselves: pyHanko only logs a wrong one
        pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError as exc:
        raise SigningError("sign.bad_password", path=path.name) from exc
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode())
    if signer is None:
        raise SigningError("sign.bad_password", path=path.name)
    return signer


def load_pkcs11(
    library: str, *, token_label: str, key_label: str, pin: str, cert_label: str | None = None
) -> signers.Signer:
    """A key on a PKCS#11 token (USB token, SoftHSM2). The PIN is tried exactly once."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as p11

    try:
        session = p11.open_pkcs11_session(
            library, token_criteria=TokenCriteria(label=token_label), user_pin=pin
        )
    except Exception as exc:  # noqa: BLE001 - python-pkcs11 raises many types
        raise SigningError("sign.token", detail=f"{type(exc).__name__}: {exc}") from exc
    return p11.PKCS11Signer(session, key_label=key_label, cert_label=cert_label or key_label)


def _check_certificate(cert: asn1_x509.Certificate, now: dt.datetime) -> None:
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if not not_before <= now <= not_after:
        raise SigningError(
            "sign.cert_expired",
            subject=cert.subject.human_friendly,
            until=not_after.astimezone(VN_TZ).isoformat(timespec="seconds"),
        )
    usage = cert.key_usage_value
    if usage is not None and not ({"digital_signature", "non_repudiation"} & set(usage.native)):
        raise SigningError("sign.cert_unsuitable", subject=cert.subject.human_friendly)


# --- signing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    signed_at: str
    intact: bool
    valid: bool
    trusted: bool
    modification: str
    ok: bool


def signature_reports(data: bytes, trust: list[bytes] | None = None) -> list[SignatureReport]:
    """Validate every signature in the PDF (integrity, signature, trust, later changes)."""
    try:
        reader = PdfFileReader(io.BytesIO(data))
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        raise SigningError("sign.not_pdf", detail=str(exc)) from exc
    roots = [asn1_x509.Certificate.load(_der(pem)) for pem in trust or []]
    reports = []
    quiet = logging.getLogger("pyhanko")
    old_level = quiet.level
    if not roots:  # without trust roots pyHanko logs every untrusted path as an error
        quiet.setLevel(logging.CRITICAL)
    try:  # only the given roots are trusted, never the operating system's list; offline
        statuses = [
            (
                sig,
                validate_pdf_signature(
                    sig,
                    ValidationContext(trust_roots=roots, allow_fetching=False),
                ),
            )
            for sig in embedded
        ]
    except Exception as exc:  # noqa: BLE001 - damaged signature bytes fail in asn1crypto & co
        raise SigningError("sign.not_pdf", detail=f"{type(exc).__name__}") from exc
    finally:
        quiet.setLevel(old_level)
    for sig, status in statuses:
        level = status.modification_level
        ok = bool(
            status.intact
            and status.valid
            and (status.trusted or not roots)
            and level in ACCEPTED
            and status.docmdp_ok is not False
        )
        when = status.signer_reported_dt
        reports.append(
            SignatureReport(
                sig.field_name,
                status.signing_cert.subject.native.get("common_name", "?"),
                when.astimezone(VN_TZ).isoformat(timespec="seconds") if when else "",
                bool(status.intact),
                bool(status.valid),
                bool(status.trusted),
                level.name if level is not None else "UNKNOWN",
                ok,
            )
        )
    return reports


def _same_person(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return " ".join(unicodedata.normalize("NFC", x).casefold().split())

    return norm(a) == norm(b)


def accept_signed_minutes(
    data: bytes,
    original: bytes,
    *,
    trust: list[bytes],
    people: dict[str, list[str]],
) -> list[SignatureReport]:
    """The check a host makes before it records signed minutes: exactly what ``meetingapp
    verify --trust`` accepts, and more. The file is the finalised PDF plus incremental updates;
    every signature is intact, cryptographically valid, chains to one of ``trust`` (the body's
    CA certificates; an empty list accepts nothing), is followed only by allowed changes
    (pyHanko's difference analysis: form filling and later signatures; DocMDP respected);
    the fields are signed in the legal order; and each signer's certificate names a person
    holding that role in the session (``people``: field → acceptable names)."""
    if not data.startswith(original):
        raise SigningError("minutes.not_this")
    if not trust:
        raise SigningError("minutes.untrusted", detail="no trusted CA certificate for this body")
    reports = signature_reports(data, trust)
    fields_signed = [r.field for r in reports]
    if not reports or fields_signed != list(ORDER[: len(fields_signed)]):
        raise SigningError("minutes.bad_signatures", detail=", ".join(fields_signed) or "-")
    for r in reports:
        if not (r.intact and r.valid):
            raise SigningError("minutes.bad_signatures", detail=r.field)
        if r.modification not in {m.name for m in ACCEPTED}:
            raise SigningError(
                "minutes.untrusted", detail=f"{r.field}: changed after signing ({r.modification})"
            )
        if not r.trusted:
            raise SigningError("minutes.untrusted", detail=f"{r.field}: {r.signer} not trusted")
        if not r.ok:
            raise SigningError("minutes.untrusted", detail=f"{r.field}: DocMDP")
        names = people.get(r.field, [])
        if not any(_same_person(r.signer, n) for n in names):
            raise SigningError(
                "minutes.untrusted",
                detail=f"{r.field}: {r.signer} ≠ {' / '.join(names) or '-'}",
            )
    return reports


def _der(pem: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def sign_minutes(
    pdf: Path,
    role: str,
    signer: signers.Signer,
    *,
    out: Path | None = None,
    timestamp_url: str | None = None,
    location: str = "",
    image: Image.Image | None = None,
    organisation: str = "",
) -> SignatureReport:
    """Sign the field of ``role`` after checking the order and every earlier signature.

    ``image``: the signer's handwritten signature (or, for ``seal``, the seal) as stored by
    ``appearance.import_image``; without it the appearance is a text stamp. ``organisation``:
    the name printed under the seal (default: the certificate's name)."""
    field = ROLE_FIELD.get(role)
    if field is None:
        raise SigningError("sign.bad_role", role=role)
    data = pdf.read_bytes()
    _check_order(data, field)
    now = dt.datetime.now(VN_TZ)
    cert = signer.signing_cert
    if cert is None:
        raise SigningError("sign.token", detail="no certificate")
    _check_certificate(cert, now)
    who = cert.subject.native.get("common_name", "?")
    when = now.isoformat(timespec="seconds")
    stamp = stamp_style(role, image, organisation=organisation or who, when=when)
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        location=location or None,
        reason=f"{ROLE_TITLE[role]} ký biên bản",
    )
    timestamper = HTTPTimeStamper(timestamp_url) if timestamp_url else None
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=stamp, timestamper=timestamper)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    buffer = io.BytesIO()
    try:
        pdf_signer.sign_pdf(
            writer,
            existing_fields_only=True,
            output=buffer,
            appearance_text_params={
                "role": ROLE_TITLE[role],
                "who": who,
                "when": when,
            },
        )
    except SigningError:
        raise
    except Exception as exc:  # noqa: BLE001 - token and network errors surface here
        raise SigningError("sign.failed", detail=f"{type(exc).__name__}: {exc}") from exc
    atomic_write(out or pdf, buffer.getvalue())
    reports = signature_reports(buffer.getvalue())
    return next(r for r in reports if r.field == field)


def signed_name(pdf: Path) -> Path:
    """``BB-05-2026-01-05.pdf`` → ``BB-05-2026-01-05.signed.pdf``; a signed file stays as is."""
    if pdf.name.endswith(".signed.pdf"):
        return pdf
    return pdf.with_name(pdf.name[: -len(".pdf")] + ".signed.pdf")


def _check_order(data: bytes, field: str) -> None:
    try:
        reader = PdfFileReader(io.BytesIO(data))
        present = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
        signed = [s.field_name for s in reader.embedded_signatures]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise SigningError("sign.not_pdf", detail=str(exc)) from exc
    if field not in present:
        raise SigningError("sign.no_field", field=field)
    if field in signed:
        raise SigningError("sign.already_signed", field=field)
    needed = [f for f in ORDER[: ORDER.index(field)] if f in present or f != "DauCoQuan"]
    if signed != needed:
        raise SigningError(
            "sign.order",
            field=field,
            needed=", ".join(needed) or "-",
            signed=", ".join(signed) or "-",
        )
    for report in signature_reports(data):
        if not (
            report.intact and report.valid and report.modification in {m.name for m in ACCEPTED}
        ):
            raise SigningError("sign.earlier_invalid", field=report.field)
