"""Agenda documents: only real PDFs, checked by content, within a size limit."""

from __future__ import annotations

from fastapi import Request

from meetingapp.errors import MeetingAppError


class DocumentError(MeetingAppError):
    status = 422


class TooLarge(MeetingAppError):
    status = 413
    key = "document.too_large"


async def read_pdf_upload(request: Request, limit: int) -> bytes:
    """The request body, refused early if it is larger than ``limit`` or not a PDF."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(limit_mb=limit // 2**20)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit_mb=limit // 2**20)
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data.lstrip()[:5] == b"%PDF-":
        raise DocumentError("document.not_pdf", detail="no %PDF- header")
    return data


def count_pages(data: bytes) -> int:
    """Open the PDF for real (pypdfium2); a damaged file is refused with the reason."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentError("document.not_pdf", detail=str(exc)) from exc
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages == 0:
        raise DocumentError("document.not_pdf", detail="0 pages")
    return pages
