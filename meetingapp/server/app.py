"""The host's HTTP and WebSocket API, assembled from one module per resource
(``server/routes/``).

Commands are HTTPS requests with JSON bodies (validated by pydantic); every state change goes
through the single writer. Errors come back as RFC 9457 problem details whose ``detail`` is a
sentence in the language of ``Accept-Language`` (Vietnamese by default).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from meetingapp import __version__
from meetingapp.errors import MeetingAppError
from meetingapp.i18n import tr
from meetingapp.server.deps import STATUS, language, problem
from meetingapp.server.host import Host
from meetingapp.server.routes import (
    attendance,
    bodies,
    devices,
    documents,
    faces,
    floor,
    minutes,
    sessions,
    speech,
    stream,
    votes,
)

# In the order FastAPI matches them: each module adds the routes of one resource.
ROUTES = (
    devices,
    bodies,
    sessions,
    attendance,
    documents,
    floor,
    votes,
    stream,
    faces,
    speech,
    minutes,
)


def create_app(host: Host) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        host.attach(loop)
        yield

    app = FastAPI(title="meetingapp host", version=__version__, lifespan=lifespan)
    app.state.host = host

    @app.exception_handler(MeetingAppError)
    async def on_error(request: Request, exc: MeetingAppError) -> JSONResponse:
        status = getattr(exc, "status", None) or STATUS.get(type(exc), 400)
        return problem(status, exc.message(language(request)), exc.key)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        detail = f"{where}: {first.get('msg', '')}"
        return problem(
            422, tr("request.invalid", language(request), detail=detail), "request.invalid"
        )

    for module in ROUTES:
        module.add_routes(app, host)
    return app
