"""The WebSocket event stream: a snapshot or the missed events, then every event."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from meetingapp.errors import NotFound
from meetingapp.server.auth import Device
from meetingapp.server.deps import (
    ApiError,
    authenticate,
    language,
    request_token,
)
from meetingapp.server.host import Host
from meetingapp.server.hub import Subscriber
from meetingapp.server.web import same_origin
from meetingapp.wire import event_message, visible


def add_routes(app: FastAPI, host: Host) -> None:
    @app.websocket("/api/ws")
    async def stream(ws: WebSocket, session_id: str, token: str = "", after: int = -1) -> None:
        """A snapshot (or the events missed since ``after``), then every event as it happens.
        A web page authenticates with its cookie; a handshake from a foreign page (its
        ``Origin`` is not the host's own) is refused before anything is sent."""
        if not same_origin(ws.headers):
            await ws.close(code=4403)
            return
        try:
            device = authenticate(host, token or request_token(ws))
        except ApiError:
            await ws.close(code=4401)
            return
        await ws.accept()
        sub = Subscriber(device.role, device.delegate_id, session_id)
        host.hub.subscribe(sub)
        sender = asyncio.create_task(_send_loop(ws, host, sub, device, after))
        try:
            while True:  # clients send nothing; this notices when they go away
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            sender.cancel()
            host.hub.unsubscribe(sub)


async def _send_loop(
    ws: WebSocket, host: Host, sub: Subscriber, device: Device, after: int
) -> None:
    try:
        last = await _catch_up(ws, host, sub, device, after)
        if last is None:
            return
        while True:
            item = await sub.queue.get()
            if item is None:
                await ws.close(code=4408)  # too slow: reconnect and resync
                return
            seq, text = item
            if not host.devices.active(device.device_id):
                await ws.close(code=4401)  # revoked or expired while connected
                return
            if seq == 0 or seq > last:
                await ws.send_text(text)
                last = max(last, seq)
    except (WebSocketDisconnect, RuntimeError, OSError):
        return


async def _catch_up(
    ws: WebSocket, host: Host, sub: Subscriber, device: Device, after: int
) -> int | None:
    missed = host.hub.since(after) if after >= 0 else None
    if missed is not None:
        for event in missed:
            if event.session_id in (sub.session_id, None) and visible(
                event, sub.role, sub.delegate_id
            ):
                await ws.send_json(event_message(event))
        return missed[-1].seq if missed else after
    try:
        seq, text = await host.snapshot(sub.session_id, device)
    except NotFound as exc:
        await ws.send_json({"type": "error", "code": exc.key, "detail": exc.message(language(ws))})
        await ws.close(code=4404)
        return None
    await ws.send_text(text)
    return seq
