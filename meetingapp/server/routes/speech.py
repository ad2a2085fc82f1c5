"""The host's speech endpoints: recording chunks, audio import, transcription, clerk edits."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import Field

from asr.recording import RATE, SAMPLE_BYTES, decode_to_pcm, level_dbfs
from meetingapp.domain import Speech
from meetingapp.errors import NotFound
from meetingapp.server.deps import BINARY_BODY, Anyone, ApiError, Caller, Operator, Runner
from meetingapp.server.documents import TooLarge
from meetingapp.server.host import HEX64, Host
from meetingapp.server.models import Strict
from meetingapp.server.speech import store_chunk
from meetingapp.server.writer import Writer
from meetingapp.wire import Role

MAX_IMPORT = 500 * 2**20
OPERATORS = frozenset({Role.SECRETARY, Role.CHAIR, Role.CLERK})  # told of each chunk's level
SEAL_AFTER_S = 10.0  # the tablet's last partial chunk arrives within ~1 s of the speech's end


class EditIn(Strict):
    text: str = Field(max_length=5000)


class SpeakerIn(Strict):
    delegate_id: str = Field(min_length=1, max_length=64)


def _may_record(w: Writer, caller: Caller, session_id: str, speech_id: str) -> Speech:
    """Consoles record any speech; a delegate's tablet only the speech it is giving."""
    rec = w.machine.record(session_id)
    sp = rec.speeches.get(speech_id)
    if sp is None:
        raise NotFound(kind="speech", ident=speech_id)
    if caller.device.role is Role.DELEGATE and caller.device.delegate_id != sp.delegate_id:
        raise ApiError(403, "auth.not_yours")
    return sp


def _may_add_chunk(sp: Speech, folder: Path, index: int) -> None:
    """A recording is sealed when its speech ends: only the tablet's last, not yet stored
    chunks may still land during a short grace; nothing once the audio is joined and its hash
    recorded (``speech_audio``), and never a replacement of a stored chunk."""
    if not sp.ended_at:
        return
    ended = dt.datetime.fromisoformat(sp.ended_at)
    late = (dt.datetime.now(ended.tzinfo) - ended).total_seconds()
    if sp.audio_ref or late > SEAL_AFTER_S or (folder / f"chunk-{index:06d}.pcm").exists():
        raise ApiError(409, "recording.sealed")


def add_routes(app: FastAPI, host: Host) -> None:
    base = "/api/sessions/{session_id}/speeches/{speech_id}"
    # speech -> the device whose chunks it takes: the speaker's tablet or the console's hall
    # microphone, never both (their chunks would replace each other's)
    recorders: dict[str, str] = {}

    @app.post(base + "/audio", openapi_extra=BINARY_BODY)
    async def chunk(
        session_id: str,
        speech_id: str,
        request: Request,
        caller: Operator,
        index: int = Query(ge=0, lt=100_000),
    ) -> dict[str, Any]:
        """One chunk (≤ 1 s of 16-bit mono PCM at 16 kHz) as it is captured; a retry of the
        same index replaces it, so nothing is doubled."""
        sp = await host.writer.call(lambda w: _may_record(w, caller, session_id, speech_id))
        _may_add_chunk(sp, host.audio_dir / speech_id, index)
        if recorders.setdefault(speech_id, caller.device.device_id) != caller.device.device_id:
            raise ApiError(409, "recording.other_device")
        data = await request.body()  # at most 64 KB: limited while streaming (server.limits)
        await asyncio.to_thread(store_chunk, host.audio_dir, speech_id, index, data)
        level = await asyncio.to_thread(level_dbfs, data)
        # the operators' screens hear at once that sound arrives, and how loud (a dead or muted
        # microphone on the speaker's tablet is seen while the speech runs, not after it)
        message = {"type": "audio", "speech_id": speech_id, "index": index, "level_db": level}
        host.hub.broadcast(session_id, message, roles=OPERATORS)
        if host.captions:
            host.captions.heard(session_id, speech_id, index)
        return {"index": index, "bytes": len(data)}

    @app.post(base + "/audio-file", openapi_extra=BINARY_BODY)
    async def import_file(
        session_id: str, speech_id: str, request: Request, caller: Runner
    ) -> dict[str, Any]:
        """A recording made elsewhere (any format PyAV decodes) becomes the speech's audio."""
        await host.writer.call(lambda w: _may_record(w, caller, session_id, speech_id))
        with tempfile.NamedTemporaryFile(suffix=".audio") as tmp:  # streamed, never in memory
            size = 0
            async for part in request.stream():
                size += len(part)
                if size > MAX_IMPORT:
                    raise TooLarge(limit_mb=MAX_IMPORT // 2**20)
                await asyncio.to_thread(tmp.write, part)
            await asyncio.to_thread(tmp.flush)
            seconds = await asyncio.to_thread(_import, host, speech_id, Path(tmp.name))
        return {"seconds": round(seconds, 3)}

    @app.post(base + "/transcribe")
    async def transcribe(session_id: str, speech_id: str, caller: Runner) -> dict[str, Any]:
        await host.writer.call(lambda w: _may_record(w, caller, session_id, speech_id))
        queued = await asyncio.to_thread(host.finish_recording, session_id, speech_id)
        return {"queued": queued}

    @app.post(base + "/transcribe/cancel")
    async def cancel(session_id: str, speech_id: str, caller: Runner) -> dict[str, Any]:
        return {"cancelled": host.transcriber.cancel(speech_id)}

    @app.post(base + "/speaker")
    async def mark_speaker(
        session_id: str, speech_id: str, body: SpeakerIn, caller: Runner
    ) -> dict[str, Any]:
        """A speaker change inside the running speech (the chair interjects, or the floor goes
        back to the speaker), timed by the host as it arrives."""
        event = await host.writer.call(
            lambda w: w.machine.mark_speaker(
                session_id, speech_id, body.delegate_id, actor=caller.actor
            )
        )
        return {"seq": event.seq, "offset_s": event.payload["offset_s"]}

    @app.post(base + "/segments/{index}")
    async def edit(
        session_id: str, speech_id: str, index: int, body: EditIn, caller: Anyone
    ) -> dict[str, Any]:
        if caller.device.role not in (Role.CLERK, Role.SECRETARY):
            raise ApiError(403, "auth.forbidden", role=caller.device.role.value)
        event = await host.writer.call(
            lambda w: w.machine.edit_transcript(
                session_id, speech_id, index, body.text, actor=caller.actor
            )
        )
        return {"seq": event.seq}

    @app.get("/api/audio/{sha256}")
    async def audio(sha256: str, caller: Anyone) -> Response:
        if caller.device.role not in (Role.CLERK, Role.SECRETARY, Role.CHAIR):
            raise ApiError(403, "auth.forbidden", role=caller.device.role.value)
        if not HEX64.match(sha256):
            raise NotFound(kind="recording", ident=sha256[:64])
        path = host.files.path_for(sha256, kind="audio", suffix=".wav")
        if not path.exists():
            raise NotFound(kind="recording", ident=sha256[:64])
        return FileResponse(path, media_type="audio/wav")


def _import(host: Host, speech_id: str, path: Path) -> float:
    pcm = decode_to_pcm(path)
    folder = host.audio_dir / speech_id
    for old in folder.glob("chunk-*.pcm"):
        old.unlink()
    step = RATE * SAMPLE_BYTES
    for i in range(0, len(pcm), step):
        store_chunk(host.audio_dir, speech_id, i // step, pcm[i : i + step])
    return len(pcm) / SAMPLE_BYTES / RATE
