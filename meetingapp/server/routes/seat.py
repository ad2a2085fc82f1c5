"""The delegate's seat view for the web page (``meetingapp.server.seat``)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from meetingapp.errors import NotFound
from meetingapp.server.deps import ApiError, DelegateDevice, language
from meetingapp.server.host import Host
from meetingapp.server.seat import seat_view
from meetingapp.server.writer import Writer


def add_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/sessions/{session_id}/seat")
    async def seat(session_id: str, request: Request, caller: DelegateDevice) -> dict[str, Any]:
        """The session as this delegate's seat shows it: the page re-reads it whenever the
        stream says something changed (no replica, no reducer in the browser)."""
        delegate_id = caller.device.delegate_id
        if delegate_id is None:
            raise ApiError(403, "auth.not_bound")
        lang = language(request)

        def read(w: Writer) -> dict[str, Any]:
            if session_id not in w.machine.world.sessions:
                raise NotFound(kind="session", ident=session_id[:64])
            return seat_view(w.machine.world, session_id, delegate_id, lang)

        return await host.writer.call(read)
