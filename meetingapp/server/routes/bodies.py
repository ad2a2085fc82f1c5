"""Bodies (HĐND/UBND), their delegates and their own rules."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from meetingapp.pins import hash_pin
from meetingapp.rules import Rule
from meetingapp.server import models as m
from meetingapp.server.deps import (
    Setup,
)
from meetingapp.server.host import Host
from meetingapp.server.routes import call, event_result
from meetingapp.session import DelegateSpec


def add_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/bodies")
    async def create_body(body: m.BodyIn, caller: Setup) -> dict[str, str]:
        body_id = await call(
            host, lambda w: w.machine.create_body(**body.model_dump(), actor=caller.actor)
        )
        return {"id": body_id}

    @app.post("/api/bodies/{body_id}/delegates")
    async def add_delegates(body_id: str, body: m.DelegatesIn, caller: Setup) -> dict[str, Any]:
        specs = [
            DelegateSpec(
                full_name=d.full_name,
                title=d.title,
                unit=d.unit,
                seat=d.seat,
                contact=d.contact,
                id=d.id,
                pin_hash=await asyncio.to_thread(hash_pin, d.pin) if d.pin else "",
                honorific=d.honorific,
            )
            for d in body.delegates
        ]
        ids = await call(
            host, lambda w: w.machine.add_delegates(body_id, specs, actor=caller.actor)
        )
        return {"ids": ids}

    @app.post("/api/bodies/{body_id}/rules")
    async def define_rule(body_id: str, body: m.RuleIn, caller: Setup) -> dict[str, Any]:
        """Add or replace one of the body's rules (e.g. three quarters of the total)."""
        rule = Rule(**body.model_dump())
        event = await call(host, lambda w: w.machine.define_rule(body_id, rule, actor=caller.actor))
        return event_result(event)
