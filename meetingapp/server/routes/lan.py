"""What devices on the LAN need around pairing: which host this is and which session to follow
(the same facts as the mDNS TXT record, for a tablet that typed the address), the organisation
as the secretary's set-up screens show it, and the codes of the printed pairing sheet."""

from __future__ import annotations

import socket
from typing import Any

from fastapi import FastAPI
from pydantic import Field

from meetingapp.domain import AttendanceMethod
from meetingapp.errors import NotFound
from meetingapp.server.auth import format_code
from meetingapp.server.deps import Anyone, Runner, Setup
from meetingapp.server.host import Host
from meetingapp.server.models import Strict
from meetingapp.server.routes.devices import check_pin
from meetingapp.server.writer import Writer
from meetingapp.wire import Role

SHEET_TTL_MAX_MIN = 24 * 60


class ConsolePinIn(Strict):
    delegate_id: str = Field(min_length=1, max_length=64)
    pin: str = Field(pattern=r"^\d{4,8}$")


class SheetIn(Strict):
    body_id: str | None = None  # default: the body of the current session, else the only one
    delegate_ids: list[str] | None = None  # default: the whole roster
    ttl_min: int = Field(default=180, ge=1, le=SHEET_TTL_MAX_MIN)


def add_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/host-info")
    async def host_info() -> dict[str, Any]:
        """Public, like the mDNS advertisement: body, current session, CA fingerprint."""
        props = await host.writer.call(lambda w: host.advertised(w.machine.world))
        return {
            "name": socket.gethostname(),
            "body": props["body"],
            "session_id": props["session"] or None,
            "session_title": props["title"],
            "ca_fingerprint": host.tls.fingerprint,
            "urls": host.lan_urls,
        }

    @app.get("/api/current-session")
    async def current(caller: Anyone) -> dict[str, Any]:
        """The session a paired device should follow now (None when there is none yet)."""
        props = await host.writer.call(lambda w: host.advertised(w.machine.world))
        return {"session_id": props["session"] or None, "title": props["title"]}

    @app.get("/api/organisation")
    async def organisation(caller: Setup) -> dict[str, Any]:
        """Bodies (with rules), rosters and sessions: what the set-up screens start from."""

        def read(w: Writer) -> dict[str, Any]:
            world = w.machine.world
            return {
                "bodies": [
                    {
                        "id": b.id,
                        "kind": b.kind.value,
                        "name": b.name,
                        "total_seats": b.total_seats,
                        "term": b.term,
                        "rules": sorted(world.rules.get(b.id, {})),
                        "delegates": [
                            {
                                "id": d.id,
                                "full_name": d.full_name,
                                "title": d.title,
                                "unit": d.unit,
                                "seat": d.seat,
                                "has_pin": bool(d.pin_hash),
                            }
                            for d in world.roster(b.id)
                        ],
                    }
                    for b in world.bodies.values()
                ],
                "sessions": [
                    {
                        "id": r.session.id,
                        "body_id": r.session.body_id,
                        "number": r.session.number,
                        "title": r.session.title,
                        "state": r.session.state.value,
                        "place": r.session.place,
                        "scheduled_start": r.session.scheduled_start,
                    }
                    for r in world.sessions.values()
                ],
                "current_session": host.advertised(world)["session"] or None,
                "devices": [
                    {
                        "device_id": d.device_id,
                        "role": d.role,
                        "name": d.name,
                        "delegate_id": d.delegate_id,
                    }
                    for d in world.devices.values()
                ],
                "host": {"urls": host.lan_urls, "ca_fingerprint": host.tls.fingerprint},
            }

        return await host.writer.call(read)

    @app.post("/api/pairing-sheet")
    async def pairing_sheet(body: SheetIn, caller: Setup) -> dict[str, Any]:
        """One delegate pairing code per delegate, valid ``ttl_min`` minutes (a printed sheet
        is laid out before the session): what ``meetingapp.pairing_sheet`` prints."""

        def roster(w: Writer) -> tuple[str, list[Any]]:
            world = w.machine.world
            body_id = body.body_id
            if body_id is None:
                props = host.advertised(world)
                sid = props["session"]
                if sid:
                    body_id = world.sessions[sid].session.body_id
                elif len(world.bodies) == 1:
                    body_id = next(iter(world.bodies))
            if body_id not in world.bodies:
                raise NotFound(kind="body", ident=body_id or "-")
            people = world.roster(body_id)
            if body.delegate_ids is not None:
                wanted = set(body.delegate_ids)
                unknown = wanted - {d.id for d in people}
                if unknown:
                    raise NotFound(kind="delegate", ident=", ".join(sorted(unknown)))
                people = [d for d in people if d.id in wanted]
            return world.bodies[body_id].name, people

        name, people = await host.writer.call(roster)
        cards = []
        for d in people:
            issued = host.codes.issue(Role.DELEGATE, d.id, ttl_s=body.ttl_min * 60)
            cards.append(
                {
                    "delegate_id": d.id,
                    "name": d.full_name,
                    "detail": " · ".join(x for x in (d.seat, d.title, d.unit) if x),
                    "code": format_code(issued.code),
                    "qr": host.pairing_uri(issued.code),
                }
            )
        return {"body": name, "ttl_min": body.ttl_min, "cards": cards}

    @app.post("/api/sessions/{session_id}/console-check-in")
    async def console_check_in(
        session_id: str, body: ConsolePinIn, caller: Runner
    ) -> dict[str, Any]:
        """A delegate without a tablet checks in at the console by typing the PIN (checked and
        locked out after five wrong tries, as on a tablet)."""
        await check_pin(host, body.delegate_id, body.pin, caller.device.device_id)
        event = await host.writer.call(
            lambda w: w.machine.check_in(
                session_id, body.delegate_id, method=AttendanceMethod.PIN, actor=caller.actor
            )
        )
        return {"seq": event.seq, "kind": event.kind}
