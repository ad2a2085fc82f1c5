"""Roll call and attendance: check-in (PIN, manual with a reason), check-out, reasons for
absence. Face check-in is in ``faces.py``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from meetingapp.domain import AttendanceMethod
from meetingapp.errors import InvalidValue
from meetingapp.server import models as m
from meetingapp.server.deps import (
    Anyone,
    ApiError,
    Runner,
    acting_for,
)
from meetingapp.server.host import Host
from meetingapp.server.routes import call, event_result, post_simple
from meetingapp.server.routes.devices import check_pin
from meetingapp.wire import Role


def add_routes(app: FastAPI, host: Host) -> None:
    post_simple(
        app, host, "/roll-call/start", lambda w, s, c: w.machine.start_roll_call(s, actor=c.actor)
    )
    post_simple(
        app, host, "/roll-call/close", lambda w, s, c: w.machine.close_roll_call(s, actor=c.actor)
    )

    @app.post("/api/sessions/{session_id}/check-in")
    async def check_in(session_id: str, body: m.CheckInIn, caller: Anyone) -> dict[str, Any]:
        if caller.device.role in (Role.CLERK, Role.DISPLAY):
            raise ApiError(403, "auth.forbidden", role=caller.device.role.value)
        delegate_id = acting_for(caller, body.delegate_id)
        if caller.device.role is Role.DELEGATE:  # self check-in needs the PIN
            if body.method is not AttendanceMethod.PIN or body.pin is None:
                raise InvalidValue(field="pin", detail="required")
            await check_pin(host, delegate_id, body.pin, caller.device.device_id)
        event = await call(
            host,
            lambda w: w.machine.check_in(
                session_id,
                delegate_id,
                method=body.method,
                reason=body.reason,
                actor=caller.actor,
                command_id=body.command_id,
            ),
        )
        return event_result(event)

    @app.post("/api/sessions/{session_id}/check-out")
    async def check_out(session_id: str, body: m.CheckOutIn, caller: Runner) -> dict[str, Any]:
        event = await call(
            host,
            lambda w: w.machine.check_out(
                session_id, body.delegate_id, reason=body.reason, actor=caller.actor
            ),
        )
        return event_result(event)

    @app.post("/api/sessions/{session_id}/absences")
    async def note_absence(session_id: str, body: m.AbsenceIn, caller: Runner) -> dict[str, Any]:
        """Why an absent delegate is absent (vắng có lý do), for the minutes."""
        event = await call(
            host,
            lambda w: w.machine.note_absence(
                session_id, body.delegate_id, reason=body.reason, actor=caller.actor
            ),
        )
        return event_result(event)
