"""Trust on the tablet: the host's own CA as an iPadOS configuration profile and as an Android
CA certificate, a small landing page to download them, and the printed instruction sheet that
tells a clerk what to do on each tablet.

The tablet does not trust the host yet, so it cannot fetch the CA over a checked HTTPS
connection: it fetches it over plain HTTP (``meetingapp serve`` answers on ``--ca-port``, 8080
by default; only these public files) or over HTTPS past the browser's warning. Either way a
man in the middle could hand it another certificate. What makes the step safe is the SHA-256
fingerprint printed on the sheet (printed on the host's own machine): the clerk compares it
with the one the tablet shows before trusting the certificate, and stops when they differ.

Qt-free. The sheet is a real text PDF (PDFium with Noto Sans embedded), so it reads in any
PDF viewer, prints crisply and its fingerprint can be searched and copied."""

from __future__ import annotations

import ctypes
import hashlib
import html
import plistlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from meetingapp import qr
from meetingapp.i18n import tr

PROFILE_TYPE = "application/x-apple-aspen-config"
CRT_TYPE = "application/x-x509-ca-cert"
PROFILE_NAME = "meetingapp-ca.mobileconfig"
CRT_NAME = "meetingapp-ca.crt"
# one namespace for the profile's identifiers: the same CA always gives the same profile, so
# installing it again replaces the old one instead of adding a second
_NS = uuid.UUID("5b0c3f36-5c1e-4a7e-9a51-6d1c8e2f7a10")
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu"))


def ca_der(pem: bytes) -> bytes:
    """The CA certificate in DER (what Android installs as a ``.crt``)."""
    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def fingerprint(pem: bytes) -> str:
    """SHA-256 of the DER certificate, lower-case hex (as host.json and the pairing QR say)."""
    return hashlib.sha256(ca_der(pem)).hexdigest()


def grouped(fp: str) -> str:
    """``AB:CD:…`` as iPadOS and Android show a fingerprint (upper case, bytes in pairs)."""
    fp = fp.upper()
    return ":".join(fp[i : i + 2] for i in range(0, len(fp), 2))


def fingerprint_lines(fp: str, per_line: int = 8) -> list[str]:
    """The fingerprint in four lines of eight bytes: easy to compare on paper."""
    pairs = grouped(fp).split(":")
    return [" ".join(pairs[i : i + per_line]) for i in range(0, len(pairs), per_line)]


def mobileconfig(pem: bytes, *, organisation: str = "meetingapp") -> bytes:
    """An (unsigned) Apple configuration profile with one payload of type
    ``com.apple.security.root``: the CA, to install on an iPad (Settings › Profile Downloaded)
    and then trust (General › About › Certificate Trust Settings)."""
    der = ca_der(pem)
    fp = hashlib.sha256(der).hexdigest()
    cert = x509.load_der_x509_certificate(der)
    name = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    common = str(name[0].value) if name else "meetingapp host CA"
    ident = f"vn.meetingapp.host-ca.{fp[:16]}"
    profile = {
        "PayloadContent": [
            {
                "PayloadCertificateFileName": "meetingapp-ca.cer",
                "PayloadContent": der,
                "PayloadDescription": tr("trust.profile_description", "vi")
                + " / "
                + tr("trust.profile_description", "en"),
                "PayloadDisplayName": common,
                "PayloadIdentifier": f"{ident}.root",
                "PayloadType": "com.apple.security.root",
                "PayloadUUID": str(uuid.uuid5(_NS, fp + ".root")).upper(),
                "PayloadVersion": 1,
            }
        ],
        "PayloadDescription": tr("trust.profile_description", "vi")
        + " / "
        + tr("trust.profile_description", "en"),
        "PayloadDisplayName": f"{common} ({fp[:8].upper()})",
        "PayloadIdentifier": ident,
        "PayloadOrganization": organisation,
        "PayloadRemovalDisallowed": False,
        "PayloadType": "Configuration",
        "PayloadUUID": str(uuid.uuid5(_NS, fp)).upper(),
        "PayloadVersion": 1,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=True)


@dataclass(frozen=True)
class TrustLinks:
    """Where a tablet downloads the CA: ``plain`` (http://…:8080/, no certificate needed) and
    ``https`` (the host's own /trust/ page, behind the browser's warning until trusted), and
    where it goes afterwards (the seat and the display pages)."""

    plain: tuple[str, ...]
    https: tuple[str, ...]

    @property
    def first(self) -> str:
        """What the QR code opens: plain HTTP when the host serves it (no warning to click
        through), else its HTTPS page."""
        return (self.plain or self.https)[0]


def links(https_urls: Sequence[str], ca_port: int | None) -> TrustLinks:
    """From the host's HTTPS base URLs (``https://10.0.0.5:8443``) and its plain CA port."""
    plain = []
    if ca_port:
        for url in https_urls:
            hostpart = url.split("://", 1)[1].rsplit(":", 1)[0]
            plain.append(f"http://{hostpart}:{ca_port}/")
    return TrustLinks(tuple(plain), tuple(f"{u}/trust/" for u in https_urls))


# --- the landing page (served over plain HTTP and at https://…/trust/) ------------------------


PAGE_CSS = (
    "body{font-family:sans-serif;font-size:20px;margin:1em;max-width:46em}"
    "a.b{display:block;padding:.8em;margin:.5em 0;background:#0b2a4a;color:#fff;"
    "text-decoration:none;border-radius:.4em;font-size:1.2em;text-align:center}"
    ".fp{font-family:monospace;font-size:1.1em;background:#fff3c4;padding:.5em}"
)


def landing_page(pem: bytes, https_urls: Sequence[str]) -> str:
    """A static page in Vietnamese then English: the two downloads (links relative to the
    page: ``/`` over plain HTTP, ``/trust/`` on the HTTPS host), the fingerprint to compare,
    and where to go once trusted. No script, no inline style, no external request."""
    fp_lines = "<br>".join(fingerprint_lines(fingerprint(pem)))
    base = https_urls[0] if https_urls else ""
    parts = [
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(tr('trust.title', 'vi'))}</title>",
        "<link rel='stylesheet' href='trust.css'>",
        "</head><body>",
    ]
    for lang in ("vi", "en"):
        parts += [
            f"<section lang='{lang}'><h1>{html.escape(tr('trust.title', lang))}</h1>",
            f"<p>{html.escape(tr('trust.intro', lang))}</p>",
            f"<a class='b' id='profile-{lang}' href='ca.mobileconfig'>"
            f"{html.escape(tr('trust.download_ipad', lang))}</a>",
            f"<a class='b' id='crt-{lang}' href='ca.crt'>"
            f"{html.escape(tr('trust.download_android', lang))}</a>",
            f"<p>{html.escape(tr('trust.compare', lang))}</p>",
            f"<p class='fp'>{fp_lines}</p>",
            f"<p>{html.escape(tr('trust.why_fingerprint', lang))}</p>",
        ]
        if base:
            parts.append(
                f"<p>{html.escape(tr('trust.then_open', lang))} "
                f"<a href='{html.escape(base)}/seat/'>{html.escape(base)}/seat/</a> · "
                f"<a href='{html.escape(base)}/display/'>{html.escape(base)}/display/</a></p>"
            )
        parts.append("</section><hr>")
    parts.append("</body></html>")
    return "".join(parts)


# --- the printed sheet ------------------------------------------------------------------------

PT = 1.0
A4 = (595.0, 842.0)  # points
MARGIN = 48.0


def _font_file(bold: bool = False) -> Path:
    names = ["NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"] if bold else []
    names += ["NotoSans-Regular.ttf", "DejaVuSans.ttf"]
    for folder in FONT_DIRS:
        for name in names:
            if (folder / name).exists():
                return folder / name
    raise FileNotFoundError("no Noto Sans or DejaVu Sans font (apt-get install fonts-noto-core)")


class _Pdf:
    """Just enough of PDFium's page-editing API to set text (embedded TrueType, with a Unicode
    map so the text can be searched) and images on A4 pages."""

    def __init__(self) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as c
        from PIL import ImageFont

        self.pdfium, self.c = pdfium, c
        self.doc = pdfium.PdfDocument.new()
        self._keep: list[Any] = []  # font bytes PDFium reads until the file is saved
        self.fonts: dict[bool, Any] = {}
        self.metrics: dict[tuple[bool, float], Any] = {}
        self._image_font = ImageFont
        for bold in (False, True):
            data = _font_file(bold).read_bytes()
            buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
            self._keep.append(buf)
            self.fonts[bold] = c.FPDFText_LoadFont(
                self.doc.raw, buf, len(data), c.FPDF_FONT_TRUETYPE, True
            )
        self.page: Any = None
        self.y = 0.0

    def new_page(self) -> None:
        if self.page is not None:
            self.page.gen_content()
        self.page = self.doc.new_page(*A4)
        self.y = A4[1] - MARGIN

    def width(self, text: str, size: float, bold: bool = False) -> float:
        key = (bold, size)
        if key not in self.metrics:  # measured in font units, scaled to points
            self.metrics[key] = self._image_font.truetype(str(_font_file(bold)), 1000)
        return float(self.metrics[key].getlength(text)) * size / 1000

    def text_at(self, x: float, y: float, text: str, size: float, bold: bool = False) -> None:
        c = self.c
        obj = c.FPDFPageObj_CreateTextObj(self.doc.raw, self.fonts[bold], size)
        wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(c.FPDF_WCHAR)))
        c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        c.FPDFPage_InsertObject(self.page.raw, obj)

    def para(
        self,
        text: str,
        size: float = 11,
        *,
        bold: bool = False,
        indent: float = 0,
        width: float | None = None,
        gap: float = 4,
    ) -> None:
        """Text wrapped at word boundaries, from the current line down."""
        room = (width or (A4[0] - 2 * MARGIN)) - indent
        words, line = text.split(), ""
        lines: list[str] = []
        for word in words:
            trial = f"{line} {word}".strip()
            if line and self.width(trial, size, bold) > room:
                lines.append(line)
                line = word
            else:
                line = trial
        if line:
            lines.append(line)
        for ln in lines:
            self.y -= size * 1.3
            self.text_at(MARGIN + indent, self.y, ln, size, bold)
        self.y -= gap

    def image(self, img: Any, x: float, y: float, w: float, h: float) -> None:
        pdfium = self.pdfium
        obj = pdfium.PdfImage.new(self.doc)
        obj.set_bitmap(pdfium.PdfBitmap.from_pil(img))
        obj.set_matrix(pdfium.PdfMatrix().scale(w, h).translate(x, y))
        self.page.insert_obj(obj)

    def save(self) -> bytes:
        import io

        if self.page is not None:
            self.page.gen_content()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


STEPS = {
    "ipad": [f"trust.ipad_{i}" for i in range(1, 6)],
    "android": [f"trust.android_{i}" for i in range(1, 6)],
    "display": [f"trust.display_{i}" for i in range(1, 4)],
}


def sheet_pdf(pem: bytes, trust: TrustLinks, https_urls: Sequence[str], *, body: str = "") -> bytes:
    """The instruction sheet: a page in Vietnamese, then the same page in English. Each has the
    QR code that opens the download page, its address, the CA's SHA-256 fingerprint to compare,
    and the steps on an iPad, an Android tablet and a hall display."""
    fp = fingerprint(pem)
    base = https_urls[0] if https_urls else "https://…"
    pdf = _Pdf()
    code = qr.image(trust.first, box_size=8, border=2)
    for lang in ("vi", "en"):
        pdf.new_page()
        heading = tr("trust.title", lang)
        if body:
            heading = f"{heading} — {body}"
        pdf.para(heading, 17, bold=True, gap=6)
        pdf.para(tr("trust.intro", lang), 10.5, gap=8)
        # the QR code on the right, the addresses and the fingerprint on its left
        side = 150.0
        top = pdf.y
        pdf.image(code, A4[0] - MARGIN - side, top - side, side, side)
        left = A4[0] - 2 * MARGIN - side - 16
        pdf.para(tr("trust.scan", lang), 10.5, bold=True, width=left + 0, gap=2)
        for url in (*trust.plain, *trust.https):
            pdf.para(url, 10, width=left, indent=10, gap=0)
        pdf.y -= 6
        pdf.para(tr("trust.compare", lang), 10.5, bold=True, width=left, gap=2)
        for ln in fingerprint_lines(fp):
            pdf.para(ln, 11, bold=True, width=left, indent=10, gap=0)
        pdf.y = min(pdf.y, top - side) - 8
        pdf.para(tr("trust.why_fingerprint", lang), 9.5, gap=8)
        for part, key in (("ipad", "trust.ipad"), ("android", "trust.android")):
            pdf.para(tr(key, lang), 12.5, bold=True, gap=2)
            for i, step in enumerate(STEPS[part], 1):
                pdf.para(f"{i}. {tr(step, lang, base=base)}", 10, indent=10, gap=1)
            pdf.y -= 6
        pdf.para(tr("trust.display", lang), 12.5, bold=True, gap=2)
        for i, step in enumerate(STEPS["display"], 1):
            pdf.para(f"{i}. {tr(step, lang, base=base)}", 10, indent=10, gap=1)
    return pdf.save()
