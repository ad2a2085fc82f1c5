"""Builders shared by the tests: a real SQLite file and a body with its roster."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from meetingapp.domain import AttendanceMethod, BodyKind
from meetingapp.session import DelegateSpec, SessionMachine
from meetingapp.store import open_db


@dataclass
class Meeting:
    machine: SessionMachine
    body: str
    delegates: list[str]
    session: str
    item: str
    db_path: Path

    def event_count(self) -> int:
        return self.machine.db.execute("SELECT count(*) FROM events").fetchone()[0]


def make_meeting(
    tmp_path: Path,
    *,
    seats: int = 12,
    present: int = 10,
    kind: BodyKind = BodyKind.HDND,
    open_item: bool = True,
) -> Meeting:
    db_path = tmp_path / "meeting.db"
    m = SessionMachine(open_db(db_path))
    body = m.create_body(kind=kind, name="Hội đồng nhân dân xã Thử Nghiệm", total_seats=seats)
    ids = m.add_delegates(
        body,
        [
            DelegateSpec(full_name=f"Đại biểu Số {i}", unit=f"Tổ {i % 3}")
            for i in range(1, seats + 1)
        ],
    )
    sid = m.create_session(body_id=body, number=1, title="Kỳ họp thứ Nhất", chair_panel=[ids[0]])
    item = m.add_agenda_item(sid, title="Nghị quyết về ngân sách")
    m.open_session(sid)
    m.start_roll_call(sid)
    for did in ids[:present]:
        m.check_in(sid, did, method=AttendanceMethod.PIN)
    m.close_roll_call(sid)
    if open_item:
        m.start_item(sid, item)
    return Meeting(m, body, ids, sid, item, db_path)
