"""Write ``meeting.db`` (an event log) and ``world.json`` (the World it replays to) with the
code of the day: the fixture that proves logs written before the event registry still load.

Written by commit aa5892e (the code before the registry). Run once, before the change, from
the repository root:
``python -m tests.data.old_log.make_old_log``. Both files are committed; rerunning with newer
code would defeat the purpose (the test compares new code against the old dump).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

from meetingapp.domain import (
    AttendanceMethod,
    BallotForm,
    BodyKind,
    Choice,
    DelegateSpec,
    ItemKind,
)
from meetingapp.rules import Basis, Rule
from meetingapp.session import SessionMachine
from meetingapp.state import World
from meetingapp.store import open_db
from meetingapp.wire import to_jsonable

HERE = Path(__file__).parent


def clock() -> Callable[[], str]:
    ticks = itertools.count()

    def tick() -> str:
        n = next(ticks)
        return f"2026-11-30T08:{n // 60:02d}:{n % 60:02d}+07:00"

    return tick


def write(db_path: Path) -> SessionMachine:
    m = SessionMachine(open_db(db_path), clock=clock())
    body = m.create_body(kind=BodyKind.HDND, name="Hội đồng nhân dân xã Cũ", total_seats=7)
    m.define_rule(body, Rule("three_quarters", 3, 4, False, Basis.TOTAL, label_vi="ba phần tư"))
    d = m.add_delegates(
        body, [DelegateSpec(full_name=f"Đại biểu Cũ {i}", seat=str(i)) for i in range(1, 8)]
    )
    m.device_paired("dev-1", role="delegate", name="Máy tính bảng 1", delegate_id=None)
    m.device_bound("dev-1", d[1])
    m.record_consent(d[2], given=True, text_version="v1")
    m.face_enrolled(d[2], 3, store=lambda db: None)
    m.face_deleted(d[2], reason="rút đồng ý")
    sid = m.create_session(
        body_id=body,
        number=1,
        title="Kỳ họp thứ Nhất",
        place="Hội trường",
        chair_panel=[d[0]],
        secretaries=[d[6]],
        guests=["Khách mời A"],
    )
    item = m.add_agenda_item(sid, title="Nghị quyết ngân sách", presenter="Chủ tịch")
    doc = m.add_document(sid, item_id=item, title="Tờ trình", doc_type="Tờ trình", pages=3)
    m.open_session(sid)
    m.start_roll_call(sid)
    m.face_match(sid, delegate_id=d[0], distance=0.31, outcome="checked_in")
    m.check_in(sid, d[0], method=AttendanceMethod.FACE, confidence=0.69)
    for did in d[1:5]:
        m.check_in(sid, did, method=AttendanceMethod.PIN, command_id=f"ci-{did}")
    m.check_in(sid, d[5], method=AttendanceMethod.MANUAL, reason="Thư ký xác nhận")
    m.note_absence(sid, d[6], reason="Đi công tác")
    m.close_roll_call(sid)
    m.start_item(sid, item)
    m.move_presenter(sid, doc, 2)
    r1 = m.request_floor(sid, d[1], command_id="fl-1").payload["id"]
    r2 = m.request_floor(sid, d[2]).payload["id"]
    r3 = m.request_floor(sid, d[3]).payload["id"]
    m.withdraw_floor(sid, r3)
    m.reorder_floor(sid, [r2, r1])
    speech = m.grant_floor(sid, r2, time_limit_s=300)
    m.speech_audio(sid, speech, sha256="ab" * 32, seconds=12.3456)
    m.end_speech(sid, speech)
    segments = [
        {"start": 0.0, "end": 4.5, "text": "tôi đồng ý với tờ trình"},
        {"start": 4.5, "end": 9.0, "text": "đề nghị bổ sung kinh phí"},
    ]
    m.transcript_ready(sid, speech, segments=segments, asr="faster-whisper test")
    m.edit_transcript(sid, speech, 1, "Đề nghị bổ sung kinh phí.")
    named = m.open_motion(sid, title="Thông qua nghị quyết", form=BallotForm.ELECTRONIC)
    for did in d[:4]:
        m.cast_ballot(sid, named, did, Choice.YES, command_id=f"b-{did}")
    m.cast_ballot(sid, named, d[4], Choice.YES)
    m.cast_ballot(sid, named, d[4], Choice.ABSTAIN)
    m.close_motion(sid, named)
    secret = m.open_motion(
        sid, title="Bầu chức danh", form=BallotForm.SECRET, rule="three_quarters"
    )
    for did, ch in zip(d[:6], [Choice.YES] * 4 + [Choice.NO, Choice.ABSTAIN], strict=True):
        m.cast_ballot(sid, secret, did, ch)
    m.close_motion(sid, secret)
    hands = m.open_motion(sid, title="Chương trình kỳ họp", form=BallotForm.SHOW_OF_HANDS)
    m.record_show_of_hands(sid, hands, yes=5, no=0, abstain=1)
    m.close_motion(sid, hands)
    m.check_out(sid, d[5], reason="Về sớm")
    m.close_session(sid)
    m.minutes_finalised(
        sid, number=1, year=2026, docx_sha256="cd" * 32, pdf_sha256="ef" * 32, actor="clerk"
    )
    for n, field in enumerate(("secretary", "chair", "seal"), start=1):
        fields = ["secretary", "chair", "seal"][:n]
        m.minutes_signed(
            sid, sha256=f"{n:02d}" * 32, fields=fields, signers=[field.upper()], actor="clerk"
        )
    # a second, scheduled session with an agenda, to keep untouched records in the dump
    other = m.create_session(body_id=body, number=2, title="Kỳ họp thứ Hai")
    m.add_agenda_item(other, title="Chất vấn", kind=ItemKind.QA)
    return m


def main() -> None:
    db_path = HERE / "meeting.db"
    for p in HERE.glob("meeting.db*"):
        p.unlink()
    m = write(db_path)
    world = World.replay(m.log.events())
    m.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    m.db.execute("PRAGMA journal_mode=DELETE")
    m.db.conn.close()
    (HERE / "world.json").write_text(
        json.dumps(to_jsonable(world), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
