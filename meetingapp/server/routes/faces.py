"""The host's face endpoints: consent, enrolment, withdrawal, and check-in by camera frames."""

from __future__ import annotations

import asyncio
import base64
import binascii
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from attendance.liveness import Liveness
from attendance.matching import Gallery, Thresholds, calibrate
from meetingapp.domain import AttendanceMethod
from meetingapp.errors import InvalidValue, NotFound
from meetingapp.server import models as m
from meetingapp.server.deps import (
    BINARY_BODY,
    ApiError,
    Caller,
    Operator,
    Runner,
    Setup,
    acting_for,
    language,
)
from meetingapp.server.documents import TooLarge
from meetingapp.server.faces import (
    CheckinAttempt,
    FrameResult,
    encode_enrolment,
    load_templates,
    store_enrolment,
    withdraw,
)
from meetingapp.server.host import Host
from meetingapp.server.writer import Writer
from meetingapp.wire import Role

MAX_FRAME = 8 * 2**20


def add_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/delegates/{delegate_id}/consent")
    async def consent(delegate_id: str, body: m.ConsentIn, caller: Setup) -> dict[str, Any]:
        def run(w: Writer) -> None:
            w.machine.record_consent(
                delegate_id, given=body.given, text_version=body.text_version, actor=caller.actor
            )
            if not body.given and delegate_id in w.machine.world.enrolled:
                w.machine.face_deleted(delegate_id, reason="consent refused", actor=caller.actor)

        await host.writer.call(run)
        return {"delegate_id": delegate_id, "given": body.given}

    @app.post("/api/delegates/{delegate_id}/face")
    async def enrol(delegate_id: str, body: m.EnrolIn, caller: Setup) -> dict[str, Any]:
        photos = [_b64(p) for p in body.photos]
        encodings = await asyncio.to_thread(encode_enrolment, photos)
        count = await host.writer.call(
            lambda w: store_enrolment(
                w.machine, host.vault, delegate_id, encodings, actor=caller.actor
            )
        )
        return {"delegate_id": delegate_id, "templates": count}

    @app.delete("/api/delegates/{delegate_id}/face")
    async def delete(delegate_id: str, caller: Setup) -> dict[str, Any]:
        await host.writer.call(lambda w: withdraw(w.machine, delegate_id, actor=caller.actor))
        return {"delegate_id": delegate_id, "deleted": True}

    @app.post("/api/sessions/{session_id}/face-checkins")
    async def start(
        session_id: str,
        body: m.FaceCheckinIn,
        request: Request,
        caller: Operator,
    ) -> dict[str, Any]:
        expected = (
            acting_for(caller, body.delegate_id)
            if caller.device.role is Role.DELEGATE
            else body.delegate_id
        )
        templates, roster = await host.writer.call(lambda w: _templates(w, session_id, host))
        if expected is not None and expected not in roster:
            raise NotFound(kind="delegate", ident=expected)
        if not templates or (expected is not None and expected not in templates):
            raise ApiError(409, "face.not_enrolled")
        accept = (await asyncio.to_thread(calibrate, templates)).accept
        attempt = CheckinAttempt(
            uuid.uuid4().hex,
            session_id,
            Gallery(templates),
            expected,
            Thresholds(accept=min(accept, 0.5)),
        )
        host.checkins[attempt.id] = attempt
        return {
            "id": attempt.id,
            "prompt": attempt.challenge.prompt(language(request)),
            "accept_threshold": attempt.thresholds.accept,
        }

    @app.post(
        "/api/sessions/{session_id}/face-checkins/{checkin_id}/frames",
        openapi_extra=BINARY_BODY,
    )
    async def frame(
        session_id: str, checkin_id: str, request: Request, caller: Operator
    ) -> dict[str, Any]:
        attempt = host.checkins.get(checkin_id)
        if attempt is None or attempt.session_id != session_id:
            raise NotFound(kind="face check-in", ident=checkin_id)
        data = await request.body()
        if len(data) > MAX_FRAME:
            raise TooLarge(limit_mb=MAX_FRAME // 2**20)
        result = await asyncio.to_thread(attempt.feed, data, language(request))
        reply: dict[str, Any] = {
            "liveness": result.liveness.value,
            "prompt": result.prompt,
            "verdict": result.verdict,
            "checked_in": None,
        }
        if caller.device.role in (Role.SECRETARY, Role.CHAIR):
            reply["candidates"] = [
                {"delegate_id": d, "distance": dist} for d, dist in result.candidates
            ]
        if not attempt.done:
            reply["checked_in"] = await _conclude(host, attempt, result, caller)
        return reply

    @app.get("/api/sessions/{session_id}/face-checkins/{checkin_id}/thumbnail")
    async def thumbnail(session_id: str, checkin_id: str, caller: Runner) -> Response:
        attempt = host.checkins.get(checkin_id)
        if attempt is None or not attempt.thumbnail:
            raise NotFound(kind="face check-in", ident=checkin_id)
        return Response(attempt.thumbnail, media_type="image/jpeg")


async def _conclude(
    host: Host, attempt: CheckinAttempt, result: FrameResult, caller: Caller
) -> str | None:
    if result.liveness is Liveness.FAILED:
        attempt.done = True
        await host.writer.call(
            lambda w: w.machine.face_match(
                attempt.session_id,
                delegate_id=result.winner,
                distance=None,
                outcome="liveness_failed",
                actor=caller.actor,
            )
        )
        return None
    if result.winner is None or result.liveness is not Liveness.PASSED:
        return None
    attempt.done = True
    distance = next((d for c, d in result.candidates if c == result.winner), None)

    winner = result.winner

    def check_in(w: Writer) -> str:
        w.machine.face_match(
            attempt.session_id,
            delegate_id=winner,
            distance=distance,
            outcome="accepted",
            actor=caller.actor,
        )
        if winner not in w.machine.record(attempt.session_id).present_ids():
            w.machine.check_in(
                attempt.session_id,
                winner,
                method=AttendanceMethod.FACE,
                confidence=distance,
                actor=caller.actor,
            )
        return winner

    return await host.writer.call(check_in)


def _templates(w: Writer, session_id: str, host: Host) -> tuple[dict[str, list[Any]], set[str]]:
    rec = w.machine.record(session_id)
    roster = {d.id for d in w.machine.world.roster(rec.session.body_id)}
    allowed = {d for d in roster if (c := w.machine.world.consents.get(d)) is not None and c.given}
    return load_templates(w.db, host.vault, allowed), roster


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidValue(field="photos", detail="base64") from exc
