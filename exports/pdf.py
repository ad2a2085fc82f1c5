"""DOCX → PDF through LibreOffice headless, with a private profile so runs never collide."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from meetingapp.errors import MeetingAppError

TIMEOUT_S = 180
# PDF/A-2b (ISO 19005-2, level B): fonts embedded, device-independent colour (an sRGB output
# intent), XMP metadata saying pdfaid:part 2 / conformance B. PDF/A-2 allows the transparency
# of the signature and seal images added later as incremental updates.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


class ConversionError(MeetingAppError):
    key = "export.convert_failed"


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError("export.no_libreoffice")


def docx_to_pdf(
    docx: Path, out_dir: Path, *, timeout: float = TIMEOUT_S, pdfa: bool = False
) -> Path:
    """Convert ``docx`` into ``out_dir/<stem>.pdf`` and return that path; ``pdfa``: the
    archival profile PDF/A-2b."""
    exe = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",  # file:///C:/… on Windows
            "--headless",
            "--norestore",
            "--convert-to",
            PDFA_FILTER if pdfa else "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        try:
            done = subprocess.run(
                cmd,
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**os.environ, "HOME": profile},
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError("export.convert_failed", detail=f"timeout {timeout}s") from exc
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        detail = (done.stderr or done.stdout or "").strip()[-300:]
        raise ConversionError("export.convert_failed", detail=detail or f"exit {done.returncode}")
    return pdf
