"""Agenda documents: only real PDFs, checked by content, within a size limit; their pages as
images for the web pages."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import threading
from collections import OrderedDict
from pathlib import Path

from fastapi import Request

from meetingapp.atomic import atomic_write
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

    with PDFIUM_LOCK:
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


# pdfium is not thread-safe: the host opens PDFs on one thread at a time
PDFIUM_LOCK = threading.Lock()
# the widths a page image is made in (a tablet asks for the smallest at least as wide as its
# viewer; a few sizes keep the cache small and shared by every tablet of the same kind)
PAGE_WIDTHS = (480, 800, 1280, 1920)
PAGE_FORMAT, PAGE_TYPE = "WEBP", "image/webp"
MEMORY_PAGES = 48  # recent page images kept in memory (a few hundred kB each)
# the most pixels one page image may have, whatever the PDF's page size says (an A4 page at
# 1920 px is 5.4 million; an absurdly tall or wide page is drawn smaller, docs/security.md)
MAX_PAGE_PIXELS = 12_000_000
RENDERS_PER_CLIENT = 2  # a tablet's own page and the next one, fetched ahead


def page_width(asked: int) -> int:
    return next((w for w in PAGE_WIDTHS if w >= asked), PAGE_WIDTHS[-1])


class PageImages:
    """Server-rendered page images for the web pages, made once per (document, page, width):
    on disk under ``folder`` and the latest in memory. 500 tablets turning to the same page at
    once wait for one rendering.

    Rendering is bounded per client, so one hostile tablet cannot starve the host: renders run
    on a thread of their own (pdfium renders one page at a time anyway), never in the default
    pool the PIN checks, face frames and speech audio use; and each client (``owner``: the
    device) has at most ``RENDERS_PER_CLIENT`` renders of its own queued or running; its
    further requests wait their turn (a request cancelled by a closed connection while it waits
    starts nothing). Joining a render another client started costs nothing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="page-images")
        self._memory: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
        self._making: dict[tuple[str, int, int], asyncio.Future[bytes]] = {}
        self._gates: dict[str, asyncio.Semaphore] = {}

    async def get(self, pdf: Path, file_hash: str, page: int, width: int, owner: str = "") -> bytes:
        key = (file_hash, page, width)
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        job = self._making.get(key)
        if job is None:
            gate = self._gates.setdefault(owner, asyncio.Semaphore(RENDERS_PER_CLIENT))
            await gate.acquire()
            if key in self._memory:  # made by someone else while this one waited
                gate.release()
                return self._memory[key]
            job = self._making.get(key)
            if job is None:
                job = asyncio.get_running_loop().run_in_executor(self.pool, self._make, pdf, key)
                self._making[key] = job
                job.add_done_callback(lambda done: self._done(key, done, gate))
            else:
                gate.release()
        return await asyncio.shield(job)

    def _done(
        self, key: tuple[str, int, int], job: asyncio.Future[bytes], gate: asyncio.Semaphore
    ) -> None:
        """On the event loop when a render ends, whoever still waits for it."""
        gate.release()
        del self._making[key]
        if job.cancelled() or job.exception() is not None:
            return  # the waiters get the error; nothing is kept
        self._memory[key] = job.result()
        while len(self._memory) > MEMORY_PAGES:
            self._memory.popitem(last=False)

    def _make(self, pdf: Path, key: tuple[str, int, int]) -> bytes:
        file_hash, page, width = key
        path = self.folder / file_hash / f"{page}-{width}.{PAGE_FORMAT.lower()}"
        if path.exists():
            return path.read_bytes()
        from meetingapp.pdfpages import render_page

        with PDFIUM_LOCK:
            image = render_page(pdf, page - 1, width, max_pixels=MAX_PAGE_PIXELS)
        out = io.BytesIO()
        image.save(out, PAGE_FORMAT, quality=82, method=4)
        data = out.getvalue()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        return data
