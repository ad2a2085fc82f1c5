"""Session documents: PDF upload and download, and the presenter's page."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
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
from meetingapp.server.documents import read_pdf_upload
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
