"""Sessions: created with an agenda, opened and closed, their state as a role sees it, and
agenda items started and ended."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response

from meetingapp.server import models as m
from meetingapp.server.deps import (
    Anyone,
    Runner,
    Setup,
)
from meetingapp.server.host import Host
from meetingapp.server.routes import call, event_result, post_simple


def add_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/sessions")
    async def create_session(body: m.SessionIn, caller: Setup) -> dict[str, str]:
        sid = await call(
            host, lambda w: w.machine.create_session(**body.model_dump(), actor=caller.actor)
        )
        return {"id": sid}

    @app.post("/api/sessions/{session_id}/agenda")
    async def add_item(session_id: str, body: m.ItemIn, caller: Setup) -> dict[str, str]:
        iid = await call(
            host,
            lambda w: w.machine.add_agenda_item(
                session_id, **body.model_dump(), actor=caller.actor
            ),
        )
        return {"id": iid}

    post_simple(app, host, "/open", lambda w, s, c: w.machine.open_session(s, actor=c.actor))
    post_simple(app, host, "/close", lambda w, s, c: w.machine.close_session(s, actor=c.actor))

    @app.get("/api/sessions/{session_id}/state")
    async def state(session_id: str, caller: Anyone) -> Response:
        _, text = await host.snapshot(session_id, caller.device)
        return Response(text, media_type="application/json")

    @app.post("/api/sessions/{session_id}/items/{item_id}/start")
    async def start_item(session_id: str, item_id: str, caller: Runner) -> dict[str, Any]:
        return event_result(
            await call(
                host, lambda w: w.machine.start_item(session_id, item_id, actor=caller.actor)
            )
        )

    @app.post("/api/sessions/{session_id}/items/{item_id}/end")
    async def end_item(session_id: str, item_id: str, caller: Runner) -> dict[str, Any]:
        return event_result(
            await call(host, lambda w: w.machine.end_item(session_id, item_id, actor=caller.actor))
        )
