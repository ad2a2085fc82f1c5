"""The host's routes, one module per resource; ``server/app.py`` assembles them.

Every state change goes through the single writer (``call``); a command's answer is the event
it wrote (``event_result``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI

from meetingapp.events import Event
from meetingapp.server.deps import Caller, Runner
from meetingapp.server.host import Host
from meetingapp.server.writer import Writer


def call(host: Host, fn: Callable[[Writer], Any]) -> Awaitable[Any]:
    """Run ``fn`` on the writer thread (the one place state changes)."""
    return host.writer.call(fn)


def event_result(result: Event | str | None) -> dict[str, Any]:
    if isinstance(result, Event):
        return {"seq": result.seq, "kind": result.kind}
    return {"id": result}


def post_simple(
    app: FastAPI,
    host: Host,
    path: str,
    action: Callable[[Writer, str, Caller], Event | str | None],
) -> None:
    """``POST /api/sessions/{session_id}<path>`` for the chair or secretary, no body."""

    async def handler(session_id: str, caller: Runner) -> dict[str, Any]:
        result = await call(host, lambda w: action(w, session_id, caller))
        return event_result(result)

    handler.__name__ = "post_" + path.strip("/").replace("/", "_").replace("-", "_")
    app.post("/api/sessions/{session_id}" + path)(handler)
