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

from fastapi import FastAPI

from meetingapp import __version__
from meetingapp.server.host import Host
from meetingapp.server.limits import BodyLimit
from meetingapp.server.problems import install as install_problem_handlers
from meetingapp.server.routes import (
    agenda,
    attendance,
    bodies,
    ca,
    device_list,
    devices,
    display,
    documents,
    faces,
    floor,
    lan,
    minutes,
    seat,
    sessions,
    speech,
    stream,
    votes,
    web,
)
from meetingapp.server.web import WebGuard

# In the order FastAPI matches them: each module adds the routes of one resource.
ROUTES = (
    devices,
    device_list,
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
    lan,
    agenda,
    ca,
    display,
    seat,
    web,  # last: the pages' paths never shadow the API
)


def create_app(host: Host) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        host.attach(loop)
        yield

    app = FastAPI(title="meetingapp host", version=__version__, lifespan=lifespan)
    app.state.host = host

    install_problem_handlers(app)
    app.add_middleware(WebGuard)  # security headers; CSRF gate for cookie-authenticated writes
    app.add_middleware(BodyLimit)  # outermost: counts body bytes before parsing or auth
    for module in ROUTES:
        module.add_routes(app, host)
    return app
