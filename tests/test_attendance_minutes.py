"""Absences with a reason, late arrivals and early departures reach the minutes (the model
and the DOCX the secretary signs), through the real host API for the absence."""

from __future__ import annotations

import asyncio
from pathlib import Path

from docx import Document

from exports.docx_minutes import render_docx
from meetingapp.domain import AttendanceMethod
from meetingapp.server.minutes import build_minutes
from meetingapp.session import SessionMachine
from meetingapp.store import open_db
from tests.helpers import make_meeting
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting


def test_absent_late_and_early_in_the_minutes(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path, seats=12, present=9)  # 9 at the roll call, then the item
    m, sid, ids = mt.machine, mt.session, mt.delegates
    m.note_absence(sid, ids[11], reason="Đi công tác")
    m.check_in(sid, ids[9], method=AttendanceMethod.PIN)  # after the roll call: late
    m.check_out(sid, ids[2], reason="Ốm")  # leaves early

    model = build_minutes(m.world, sid)
    assert model.absent_with_reason == (("Đại biểu Số 12", "Đi công tác"),)
    assert model.absent_without_reason == ("Đại biểu Số 11",)  # no reason given
    assert [n for n, _ in model.late_arrivals] == ["Đại biểu Số 10"]
    assert [(n, why) for n, _, why in model.early_departures] == [("Đại biểu Số 3", "Ốm")]
    assert model.present == 10  # nine at the roll call + one late; the early leaver attended

    text = "\n".join(
        p.text for p in Document(str(render_docx(model, tmp_path / "bb.docx"))).paragraphs
    )
    assert "có lý do: Đại biểu Số 12 (Đi công tác)" in text
    assert "không có lý do: Đại biểu Số 11" in text
    assert "Đến muộn: Đại biểu Số 10 (" in text
    assert "Về sớm: Đại biểu Số 3 (" in text and "lý do: Ốm" in text

    # the same from the log, replayed
    again = SessionMachine(open_db(mt.db_path, create=False))
    assert again.record(sid).arrived_late == m.record(sid).arrived_late


def test_absence_with_reason_over_the_api(host: HostProcess) -> None:
    async def run() -> None:
        mt = await api_meeting(host, seats=12, present=10, tablets=0)
        c = mt.console
        await c.post(
            f"/api/sessions/{mt.session}/absences",
            {"delegate_id": mt.delegates[11], "reason": "Nghỉ ốm"},
        )
        await c.check_in(
            mt.session, mt.delegates[10], method=AttendanceMethod.MANUAL, reason="Đến muộn"
        )
        state = await c.state(mt.session)
        rec = state["session"]
        assert rec["absences"] == {mt.delegates[11]: "Nghỉ ốm"}
        assert list(rec["arrived_late"]) == [mt.delegates[10]]
        await mt.close()

    asyncio.run(run())
