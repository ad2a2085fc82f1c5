"""Paired devices: the list the secretary sees, and revocation (a lost tablet, a device to be
re-paired). A revoked device's token stops working at once, its open event stream is closed,
and the revocation is an event in the log. Re-pairing is pairing again with a fresh one-time
code: the device gets a new identity and token; the old one stays revoked."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import Field

from meetingapp.server.deps import Setup
from meetingapp.server.host import Host
from meetingapp.server.models import Strict
from meetingapp.server.writer import Writer


class RevokeIn(Strict):
    reason: str = Field("", max_length=300)


def add_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/devices")
    async def devices(caller: Setup) -> dict[str, Any]:
        return {"devices": await host.writer.call(lambda w: w.devices.listing(w.db))}

    @app.post("/api/devices/{device_id}/revoke")
    async def revoke(device_id: str, body: RevokeIn, caller: Setup) -> dict[str, Any]:
        def run(w: Writer) -> int:
            event = w.machine.device_revoked(device_id, reason=body.reason, actor=caller.actor)
            w.devices.revoke(w.db, device_id)
            return event.seq

        seq = await host.writer.call(run)
        return {"device_id": device_id, "revoked": True, "seq": seq}
