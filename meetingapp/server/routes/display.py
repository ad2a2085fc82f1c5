"""The hall display's view (``/display/``): what the screen shows, projected by the host
(``server/display_view.py``); the page re-reads it whenever the event stream says something
changed, so results and the quorum are always the host's own."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from meetingapp.i18n import LANGUAGES
from meetingapp.server.deps import Anyone, language
from meetingapp.server.display_view import display_view
from meetingapp.server.host import Host
from meetingapp.server.routes import call


def add_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/display")
    async def display(
        request: Request, caller: Anyone, session_id: str = "", lang: str = ""
    ) -> dict[str, Any]:
        """The hall display's content in ``lang`` (else Accept-Language, Vietnamese by
        default) for ``session_id`` (none: the open session, else the latest scheduled)."""
        chosen = lang if lang in LANGUAGES else language(request)
        return await call(host, lambda w: display_view(w.machine.world, session_id or None, chosen))
