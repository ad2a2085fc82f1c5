"""Session documents: PDF upload and download, and the presenter's page."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import FileResponse, Response

from meetingapp.errors import NotFound
from meetingapp.server import models as m
from meetingapp.server.deps import (
    ANYONE,
    BINARY_BODY,
    Caller,
    Runner,
    Setup,
    allow,
)
from meetingapp.server.documents import (
    PAGE_TYPE,
    PageImages,
    count_pages,
    page_width,
    read_pdf_upload,
)
from meetingapp.server.host import Host
from meetingapp.server.routes import call, event_result


def add_routes(app: FastAPI, host: Host) -> None:
    @app.post(
        "/api/sessions/{session_id}/documents",
        openapi_extra=BINARY_BODY,
    )
    async def upload_document(
        session_id: str,
        request: Request,
        caller: Setup,
        item_id: Annotated[str, Query(min_length=1, max_length=64)],
        title: Annotated[str, Query(min_length=1, max_length=300)],
        doc_type: Annotated[str, Query(max_length=100)] = "",
        number_symbol: Annotated[str, Query(max_length=100)] = "",
    ) -> dict[str, Any]:
        data = await read_pdf_upload(request, host.max_upload_bytes)
        digest, pages = await asyncio.to_thread(host.store_pdf, data)
        doc_id = await call(
            host,
            lambda w: w.machine.add_document(
                session_id,
                item_id=item_id,
                title=title,
                doc_type=doc_type,
                number_symbol=number_symbol,
                file_hash=digest,
                pages=pages,
                actor=caller.actor,
            ),
        )
        return {"id": doc_id, "file_hash": digest, "pages": pages}

    @app.get("/api/documents/{file_hash}")
    async def download(
        file_hash: str, request: Request, caller: Annotated[Caller, Depends(allow(*ANYONE))]
    ) -> Response:
        path = host.document_path(file_hash)
        if path is None:
            raise NotFound(kind="document", ident=file_hash[:64])
        if request.headers.get("if-none-match") == f'"{file_hash}"':
            return Response(status_code=304)
        return FileResponse(
            path,
            media_type="application/pdf",
            headers={
                "ETag": f'"{file_hash}"',
                "Cache-Control": "private, max-age=31536000, immutable",
            },
        )

    images = PageImages(host.data_dir / "page-images")
    page_counts: dict[str, int] = {}  # file hash -> pages (a stored file never changes)

    @app.get("/api/documents/{file_hash}/pages/{page}")
    async def page_image(
        file_hash: str,
        page: Annotated[int, Path(ge=1, le=100_000)],
        request: Request,
        caller: Annotated[Caller, Depends(allow(*ANYONE))],
        w: Annotated[int, Query(ge=1, le=10_000)] = 1280,
    ) -> Response:
        """Page ``page`` (from 1) as an image about ``w`` pixels wide, for the web pages:
        rendered once on the host (signatures drawn), so a cheap tablet only decodes an image
        (docs/web.md says why this beats running PDF.js on it)."""
        path = host.document_path(file_hash)
        if path is None:
            raise NotFound(kind="document", ident=file_hash[:64])
        if file_hash not in page_counts:
            loop = asyncio.get_running_loop()  # on the renderer's thread: pdfium is busy there
            data = await loop.run_in_executor(images.pool, path.read_bytes)
            page_counts[file_hash] = await loop.run_in_executor(images.pool, count_pages, data)
        if page > page_counts[file_hash]:
            raise NotFound(kind="page", ident=str(page))
        width = page_width(w)
        etag = f'"{file_hash[:32]}-{page}-{width}"'
        headers = {"ETag": etag, "Cache-Control": "private, max-age=31536000, immutable"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        image = await images.get(path, file_hash, page, width, caller.device.device_id)
        return Response(image, media_type=PAGE_TYPE, headers=headers)

    @app.post("/api/sessions/{session_id}/presenter")
    async def presenter(session_id: str, body: m.PresenterIn, caller: Runner) -> dict[str, Any]:
        return event_result(
            await call(
                host,
                lambda w: w.machine.move_presenter(
                    session_id, body.document_id, body.page, actor=caller.actor
                ),
            )
        )
