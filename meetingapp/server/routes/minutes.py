"""The host's minutes endpoints: draft, finalise, download, and storing signed copies.

Rendering (LibreOffice, ~1–2 s) runs in a worker thread; only the quick steps — building the
model, taking the number, recording the result — run on the writer thread, so votes are never
held up. Signing happens on the signer's own machine (the key never leaves it: a .p12 file or a
USB token); the host checks what comes back before storing it."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, Response

from exports.signing import SigningError, accept_signed_minutes
from meetingapp.errors import NotFound
from meetingapp.server.deps import BINARY_BODY, Anyone, ApiError, Caller, Setup
from meetingapp.server.host import HEX64, Host
from meetingapp.server.minutes import (
    MinutesFiles,
    build_minutes,
    collect_export,
    file_stem,
    package_files,
    plan_finalisation,
    record_final,
    render_docx,
    render_final,
    write_export,
)
from meetingapp.server.writer import Writer
from meetingapp.store.files import FileStore
from meetingapp.wire import Role

READERS = (Role.SECRETARY, Role.CHAIR, Role.CLERK)
MAX_DOC = 100 * 2**20


def _reader(caller: Caller) -> None:
    if caller.device.role not in READERS:
        raise ApiError(403, "auth.forbidden", role=caller.device.role.value)


def _store(files: FileStore, result: MinutesFiles) -> dict[str, Any]:
    out: dict[str, Any] = {"number": result.number, "year": result.year}
    for kind, path in (("docx", result.docx), ("pdf", result.pdf)):
        digest, _ = files.put(path.read_bytes(), kind="minutes", suffix=f".{kind}")
        out[kind] = {"sha256": digest, "name": path.name}
    return out


def _body_exists(w: Writer, body_id: str) -> None:
    if body_id not in w.machine.world.bodies:
        raise NotFound(kind="body", ident=body_id)


def signing_people(world: Any, session_id: str) -> dict[str, list[str]]:
    """Who may sign each field: the session's secretaries (ThuKy), its chair panel (ChuToa),
    and the body itself for the organisation's seal (DauCoQuan)."""
    rec = world.sessions[session_id]

    def names(ids: tuple[str, ...] | list[str]) -> list[str]:
        return [world.delegates[i].full_name if i in world.delegates else i for i in ids]

    return {
        "ThuKy": names(rec.session.secretaries),
        "ChuToa": names(rec.session.chair_panel),
        "DauCoQuan": [world.bodies[rec.session.body_id].name],
    }


def add_routes(app: FastAPI, host: Host) -> None:
    finalising = asyncio.Lock()

    @app.post("/api/sessions/{session_id}/minutes/draft")
    async def draft(session_id: str, caller: Anyone) -> dict[str, Any]:
        _reader(caller)

        def model(w: Writer) -> tuple[Any, str]:
            rec = w.machine.record(session_id)
            stem = file_stem(None, rec.session.closed_at or rec.session.opened_at)
            return build_minutes(w.machine.world, session_id), stem

        built, stem = await host.writer.call(model)

        def render() -> dict[str, Any]:
            from exports.pdf import docx_to_pdf

            with tempfile.TemporaryDirectory(prefix="draft-") as tmp:
                docx = render_docx(built, Path(tmp) / f"{stem}.docx")
                return _store(
                    host.files, MinutesFiles(docx, docx_to_pdf(docx, Path(tmp)), None, None)
                )

        return await asyncio.to_thread(render)

    @app.post("/api/sessions/{session_id}/minutes/finalise", openapi_extra=BINARY_BODY)
    async def finalise(
        session_id: str, request: Request, caller: Setup, seal: bool = Query(False)
    ) -> dict[str, Any]:
        """Number, freeze and prepare for signing; an optional body is the reviewed DOCX."""
        reviewed = await request.body()
        if len(reviewed) > MAX_DOC:
            raise ApiError(413, "document.too_large", limit_mb=MAX_DOC // 2**20)
        async with finalising:
            plan = await host.writer.call(lambda w: plan_finalisation(w.machine, session_id))

            def render() -> tuple[MinutesFiles, dict[str, Any]]:
                with tempfile.TemporaryDirectory(prefix="final-") as tmp:
                    edited = None
                    if reviewed:
                        edited = Path(tmp) / "reviewed.docx"
                        edited.write_bytes(reviewed)
                    out = Path(tmp) / "out"
                    result = render_final(plan, out, edited_docx=edited, seal=seal)
                    stored = _store(host.files, result)
                    kept = MinutesFiles(
                        host.files.path_for(
                            stored["docx"]["sha256"], kind="minutes", suffix=".docx"
                        ),
                        host.files.path_for(stored["pdf"]["sha256"], kind="minutes", suffix=".pdf"),
                        result.number,
                        result.year,
                    )
                    return kept, stored

            result, stored = await asyncio.to_thread(render)
            await host.writer.call(
                lambda w: record_final(w.machine, plan, result, actor=caller.actor)
            )
        return stored

    @app.get("/api/minutes-files/{sha256}")
    async def download(
        sha256: str, caller: Anyone, kind: str = Query("pdf", pattern="^(pdf|docx)$")
    ) -> Response:
        _reader(caller)
        path = (
            host.files.path_for(sha256, kind="minutes", suffix=f".{kind}")
            if HEX64.match(sha256)
            else None
        )
        if path is None or not path.exists():
            raise NotFound(kind="minutes file", ident=sha256[:64])
        media = (
            "application/pdf"
            if kind == "pdf"
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        return FileResponse(path, media_type=media)

    @app.post("/api/sessions/{session_id}/minutes/signed", openapi_extra=BINARY_BODY)
    async def signed(session_id: str, request: Request, caller: Anyone) -> dict[str, Any]:
        """A copy signed on the signer's machine: it must be the finalised PDF plus
        incremental updates, with valid signatures in the legal order."""
        _reader(caller)
        data = await request.body()  # at most 100 MB: limited while streaming (server.limits)

        def context(w: Writer) -> tuple[Any, str, dict[str, list[str]]]:
            rec = w.machine.record(session_id)
            return rec.minutes, rec.session.body_id, signing_people(w.machine.world, session_id)

        minutes, body_id, people = await host.writer.call(context)
        if minutes is None:
            raise ApiError(
                409,
                "illegal_transition",
                action="store_signed_minutes",
                reason="reason.minutes_not_final",
            )
        final = host.files.path_for(minutes.pdf_sha256, kind="minutes", suffix=".pdf")
        original = await asyncio.to_thread(final.read_bytes)
        trust = await asyncio.to_thread(host.trust.anchors, body_id)
        try:  # exactly what `meetingapp verify --trust` accepts, signers matched to their roles
            reports = await asyncio.to_thread(
                accept_signed_minutes, data, original, trust=trust, people=people
            )
        except SigningError as exc:
            raise ApiError(422, exc.key, **exc.params) from exc
        fields = [r.field for r in reports]
        # the legal order and the next stage are the state machine's to decide
        await host.writer.call(lambda w: w.machine.signing_stage(session_id, fields))
        digest, _ = await asyncio.to_thread(
            host.files.put, data, kind="minutes", suffix=".signed.pdf"
        )
        await host.writer.call(
            lambda w: w.machine.minutes_signed(
                session_id,
                sha256=digest,
                fields=fields,
                signers=[r.signer for r in reports],
                actor=caller.actor,
            )
        )
        return {"sha256": digest, "fields": fields, "signers": [r.signer for r in reports]}

    @app.post("/api/bodies/{body_id}/trust", openapi_extra=BINARY_BODY)
    async def add_trust(body_id: str, request: Request, caller: Setup) -> dict[str, Any]:
        """Trust a CA certificate (PEM) for the signed minutes of this body (``all``: every
        body)."""
        pem = await request.body()  # at most 1 MB (server.limits)
        if body_id != "all":
            await host.writer.call(lambda w: _body_exists(w, body_id))
        digest, subject = await asyncio.to_thread(host.trust.add, body_id, pem)
        return {"body_id": body_id, "sha256": digest, "subject": subject}

    @app.get("/api/sessions/{session_id}/record")
    async def record(session_id: str, caller: Anyone) -> Response:
        """The record package (ZIP): the signed minutes when there are any, the DOCX, the
        transcripts, votes, attendance, the recordings, the event log and a manifest."""
        _reader(caller)

        data = await host.writer.call(lambda w: collect_export(w.machine, session_id))

        def build() -> tuple[str, bytes]:
            with tempfile.TemporaryDirectory(prefix="record-") as tmp:
                signed, docx, audio = package_files(data, host.files, Path(tmp))
                out = Path(tmp) / "out"
                out.mkdir()
                zip_path = write_export(data, out, signed_pdf=signed, docx=docx, audio=audio)
                return zip_path.name, zip_path.read_bytes()

        name, body = await asyncio.to_thread(build)
        return Response(
            body,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
