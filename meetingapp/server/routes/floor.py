"""The floor: requests, their order, granting and ending a speech."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from meetingapp.errors import NotFound
from meetingapp.events import Event
from meetingapp.server import models as m
from meetingapp.server.deps import (
    RUNNERS,
    Anyone,
    ApiError,
    Runner,
    acting_for,
)
from meetingapp.server.host import Host
from meetingapp.server.routes import call, event_result
from meetingapp.server.writer import Writer
from meetingapp.wire import Role


def add_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/sessions/{session_id}/floor")
    async def request_floor(session_id: str, body: m.FloorIn, caller: Anyone) -> dict[str, Any]:
        if caller.device.role in (Role.CLERK, Role.DISPLAY):
            raise ApiError(403, "auth.forbidden", role=caller.device.role.value)
        delegate_id = acting_for(caller, body.delegate_id)
        event = await call(
            host,
            lambda w: w.machine.request_floor(
                session_id, delegate_id, actor=caller.actor, command_id=body.command_id
            ),
        )
        return {**event_result(event), "request_id": event.payload["id"]}

    @app.post("/api/sessions/{session_id}/floor/{request_id}/withdraw")
    async def withdraw(session_id: str, request_id: str, caller: Anyone) -> dict[str, Any]:
        def run(w: Writer) -> Event:
            req = w.machine.record(session_id).floor.get(request_id)
            if req is None:
                raise NotFound(kind="floor request", ident=request_id)
            if caller.device.role not in RUNNERS:
                acting_for(caller, req.delegate_id)  # refuses another delegate's request
            return w.machine.withdraw_floor(session_id, request_id, actor=caller.actor)

        return event_result(await call(host, run))

    @app.post("/api/sessions/{session_id}/floor/reorder")
    async def reorder(session_id: str, body: m.ReorderIn, caller: Runner) -> dict[str, Any]:
        return event_result(
            await call(
                host, lambda w: w.machine.reorder_floor(session_id, body.order, actor=caller.actor)
            )
        )

    @app.post("/api/sessions/{session_id}/floor/{request_id}/grant")
    async def grant(
        session_id: str, request_id: str, body: m.GrantIn, caller: Runner
    ) -> dict[str, Any]:
        speech_id = await call(
            host,
            lambda w: w.machine.grant_floor(
                session_id, request_id, time_limit_s=body.time_limit_s, actor=caller.actor
            ),
        )
        return {"speech_id": speech_id}

    @app.post("/api/sessions/{session_id}/speeches/{speech_id}/end")
    async def end_speech(session_id: str, speech_id: str, caller: Runner) -> dict[str, Any]:
        return event_result(
            await call(
                host, lambda w: w.machine.end_speech(session_id, speech_id, actor=caller.actor)
            )
        )
