"""Changing the agenda before or during the session: amend an item (title, presenter, type),
put the items in a new order, take a pending item off. Each change is an event in the log."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import Field

from meetingapp.domain import ItemKind
from meetingapp.server.deps import Runner
from meetingapp.server.host import Host
from meetingapp.server.models import Strict


class AmendIn(Strict):
    title: str = Field(min_length=1, max_length=500)
    presenter: str = Field("", max_length=300)
    kind: ItemKind = ItemKind.REPORT


class ReorderIn(Strict):
    order: list[str] = Field(min_length=1, max_length=500)


class RemoveIn(Strict):
    reason: str = Field("", max_length=300)


def add_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/sessions/{session_id}/agenda/{item_id}/amend")
    async def amend(session_id: str, item_id: str, body: AmendIn, caller: Runner) -> dict[str, Any]:
        event = await host.writer.call(
            lambda w: w.machine.amend_agenda_item(
                session_id,
                item_id,
                title=body.title,
                presenter=body.presenter,
                kind=body.kind,
                actor=caller.actor,
            )
        )
        return {"seq": event.seq, "kind": event.kind}

    @app.post("/api/sessions/{session_id}/agenda/reorder")
    async def reorder(session_id: str, body: ReorderIn, caller: Runner) -> dict[str, Any]:
        event = await host.writer.call(
            lambda w: w.machine.reorder_agenda(session_id, body.order, actor=caller.actor)
        )
        return {"seq": event.seq, "kind": event.kind}

    @app.post("/api/sessions/{session_id}/agenda/{item_id}/remove")
    async def remove(
        session_id: str, item_id: str, body: RemoveIn, caller: Runner
    ) -> dict[str, Any]:
        event = await host.writer.call(
            lambda w: w.machine.remove_agenda_item(
                session_id, item_id, reason=body.reason, actor=caller.actor
            )
        )
        return {"seq": event.seq, "kind": event.kind}
