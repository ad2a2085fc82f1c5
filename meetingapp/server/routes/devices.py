"""Pairing devices, PIN login and who a device is; the host's public health and CA."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from meetingapp import __version__
from meetingapp.errors import NotFound
from meetingapp.pins import verify_pin
from meetingapp.server import models as m
from meetingapp.server.auth import Device, format_code
from meetingapp.server.deps import (
    Anyone,
    ApiError,
    Caller,
    Setup,
    allow,
)
from meetingapp.server.host import Host
from meetingapp.server.routes import call
from meetingapp.server.web import CSRF_HEADER, cookie_header, csrf_ok
from meetingapp.server.writer import Writer
from meetingapp.session import new_id
from meetingapp.wire import Role


def add_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "ca_fingerprint": host.tls.fingerprint}

    @app.get("/api/ca.pem")
    async def ca() -> Response:
        return Response(host.tls.ca_cert.read_bytes(), media_type="application/x-pem-file")

    @app.post("/api/pair")
    async def pair(body: m.PairIn, request: Request) -> Any:
        """Redeem a one-time code for a token. A web page pairs with the CSRF header: its token
        then comes only as an HttpOnly cookie, never in the answer (``server/web.py``)."""
        web = request.headers.get(CSRF_HEADER) is not None
        if web and not csrf_ok(request.headers):
            raise ApiError(403, "auth.csrf")
        where = request.client.host if request.client else "?"
        attempt = host.pair_limiter.acquire(address=where)  # counted before the code is tried
        code = host.codes.redeem(body.code)
        if code is None:
            raise ApiError(401, "auth.bad_code")
        attempt.succeeded()
        device = Device(new_id("dev"), code.role, body.device_name, code.delegate_id)

        def register(w: Writer) -> str:
            w.machine.device_paired(
                device.device_id,
                role=device.role.value,
                name=device.name,
                delegate_id=device.delegate_id,
                actor="pairing",
            )
            return w.devices.add(w.db, device, w.machine.clock())

        token = await call(host, register)
        answer = {
            "device_id": device.device_id,
            "role": device.role.value,
            "delegate_id": device.delegate_id,
            "ca_fingerprint": host.tls.fingerprint,
        }
        if web:
            response = JSONResponse(answer)
            response.headers["set-cookie"] = cookie_header(token)
            response.headers["cache-control"] = "no-store"
            return response
        return {"token": token, **answer}

    @app.post("/api/login")
    async def login(
        body: m.LoginIn, caller: Annotated[Caller, Depends(allow(Role.DELEGATE))]
    ) -> dict[str, Any]:
        await check_pin(host, body.delegate_id, body.pin, caller.device.device_id)

        def bind(w: Writer) -> None:
            w.machine.device_bound(
                caller.device.device_id, body.delegate_id, actor=caller.device.device_id
            )
            w.devices.bind(w.db, caller.device, body.delegate_id)

        await call(host, bind)
        return {"device_id": caller.device.device_id, "delegate_id": body.delegate_id}

    @app.get("/api/me")
    async def me(caller: Anyone) -> dict[str, Any]:
        d = caller.device
        return {
            "device_id": d.device_id,
            "role": d.role.value,
            "delegate_id": d.delegate_id,
            "name": d.name,
        }

    @app.post("/api/pairing-codes")
    async def pairing_code(body: m.PairingCodeIn, caller: Setup) -> dict[str, Any]:
        if body.delegate_id is not None:
            await call(host, lambda w: _delegate_exists(w, body.delegate_id or ""))
        issued = host.codes.issue(body.role, body.delegate_id)
        return {
            "code": format_code(issued.code),
            "role": issued.role.value,
            "delegate_id": issued.delegate_id,
            "qr": host.pairing_uri(issued.code),
        }


async def check_pin(host: Host, delegate_id: str, pin: str, device_id: str) -> None:
    """Verify a delegate's PIN. The attempt is counted (per delegate, per device and for the
    whole host) before anything is awaited, so parallel guesses cannot slip past the limit."""
    attempt = host.pin_limiter.acquire(delegate=delegate_id, device=device_id)

    def stored(w: Writer) -> str:
        d = w.machine.world.delegates.get(delegate_id)
        if d is None:
            raise NotFound(kind="delegate", ident=delegate_id)
        return d.pin_hash

    pin_hash = await call(host, stored)
    if not pin_hash or not await asyncio.to_thread(verify_pin, pin, pin_hash):
        raise ApiError(401, "auth.bad_pin")
    attempt.succeeded()


def _delegate_exists(w: Writer, delegate_id: str) -> None:
    if delegate_id not in w.machine.world.delegates:
        raise NotFound(kind="delegate", ident=delegate_id)
