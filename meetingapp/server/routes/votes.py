"""Motions and ballots: open, cast (with a receipt only once committed), show of hands, close."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from meetingapp.domain import Choice, choice_padding
from meetingapp.server import models as m
from meetingapp.server.deps import (
    Runner,
    Voter,
    acting_for,
)
from meetingapp.server.host import Host
from meetingapp.server.routes import call, event_result


def add_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/sessions/{session_id}/motions")
    async def open_motion(session_id: str, body: m.MotionIn, caller: Runner) -> dict[str, str]:
        mid = await call(
            host,
            lambda w: w.machine.open_motion(
                session_id,
                title=body.title,
                form=body.form,
                rule=body.rule,
                item_id=body.item_id,
                allow_change=body.allow_change,
                resolution=body.resolution,
                actor=caller.actor,
            ),
        )
        return {"id": mid}

    @app.post("/api/sessions/{session_id}/motions/{motion_id}/ballots")
    async def cast(
        session_id: str, motion_id: str, body: m.BallotIn, caller: Voter
    ) -> dict[str, Any]:
        """Cast (or, while allowed, change) this delegate's ballot. The receipt comes only
        after the ballot is committed to disk; retrying with the same command_id is safe."""
        delegate_id = acting_for(caller, None)
        event = await call(
            host,
            lambda w: w.machine.cast_ballot(
                session_id,
                motion_id,
                delegate_id,
                Choice(body.choice),
                actor=delegate_id,
                command_id=f"{caller.device.device_id}:{body.command_id}",
            ),
        )
        return {
            "receipt": event.hash[:16],
            "seq": event.seq,
            "motion_id": motion_id,
            "choice": body.choice.value,
            "pad": choice_padding(body.choice),  # a receipt's size says nothing of the choice
        }

    @app.post("/api/sessions/{session_id}/motions/{motion_id}/hands")
    async def hands(
        session_id: str, motion_id: str, body: m.HandsIn, caller: Runner
    ) -> dict[str, Any]:
        return event_result(
            await call(
                host,
                lambda w: w.machine.record_show_of_hands(
                    session_id,
                    motion_id,
                    yes=body.yes,
                    no=body.no,
                    abstain=body.abstain,
                    actor=caller.actor,
                ),
            )
        )

    @app.post("/api/sessions/{session_id}/motions/{motion_id}/close")
    async def close(session_id: str, motion_id: str, caller: Runner) -> dict[str, Any]:
        event = await call(
            host, lambda w: w.machine.close_motion(session_id, motion_id, actor=caller.actor)
        )
        return {**event_result(event), "result": event.payload}
