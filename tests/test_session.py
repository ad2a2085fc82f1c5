"""The session state machine on a real SQLite file: legal and illegal transitions, idempotent
commands, secret ballots, and the state rebuilt from the event log alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meetingapp.domain import (
    AttendanceMethod,
    BallotForm,
    BodyKind,
    Choice,
    ItemState,
    MotionState,
    SessionState,
    Tally,
)
from meetingapp.errors import DuplicateCommand, InvalidTransition, InvalidValue, NotFound
from meetingapp.session import SessionMachine
from meetingapp.session.world import World
from meetingapp.store import EventLog, open_db
from tests.helpers import Meeting, make_meeting


def refused(meeting: Meeting, expected: str, fn, /, *args, **kwargs) -> InvalidTransition:  # type: ignore[no-untyped-def]
    """Call ``fn``: it must raise InvalidTransition for ``expected`` and write nothing."""
    before = meeting.event_count()
    world_before = repr(meeting.machine.world)
    with pytest.raises(InvalidTransition) as info:
        fn(*args, **kwargs)
    assert info.value.reason == expected
    assert meeting.event_count() == before
    assert repr(meeting.machine.world) == world_before
    return info.value


def run_full_session(mt: Meeting) -> dict[str, str]:
    m, sid, d = mt.machine, mt.session, mt.delegates
    req = m.request_floor(sid, d[3], command_id="floor-1")
    m.request_floor(sid, d[4])
    speech = m.grant_floor(sid, req.payload["id"])
    m.end_speech(sid, speech)
    named = m.open_motion(sid, title="Nghị quyết 1", form=BallotForm.ELECTRONIC)
    for did in d[:8]:
        m.cast_ballot(sid, named, did, Choice.YES, command_id=f"b-{did}")
    m.cast_ballot(sid, named, d[8], Choice.YES)
    m.cast_ballot(sid, named, d[8], Choice.NO)  # changed while allowed
    m.close_motion(sid, named)
    secret = m.open_motion(sid, title="Nghị quyết 2", form=BallotForm.SECRET)
    for did, choice in zip(d[:10], [Choice.YES] * 6 + [Choice.NO] * 4, strict=True):
        m.cast_ballot(sid, secret, did, choice)
    m.close_motion(sid, secret)
    hands = m.open_motion(sid, title="Nghị quyết 3", form=BallotForm.SHOW_OF_HANDS)
    m.record_show_of_hands(sid, hands, yes=9, no=1, abstain=0)
    m.close_motion(sid, hands)
    m.check_out(sid, d[9], reason="Về sớm vì việc gia đình")
    m.close_session(sid)
    return {"named": named, "secret": secret, "hands": hands}


def test_a_whole_session_and_its_results(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    motions = run_full_session(mt)
    rec = mt.machine.record(mt.session)
    named, secret, hands = (rec.motions[motions[k]] for k in ("named", "secret", "hands"))
    assert named.result is not None and named.result.tally == Tally(yes=8, no=1)
    assert named.result.passed  # 8 * 2 > 12
    assert named.result.not_voting == 1
    assert secret.result is not None and secret.result.tally == Tally(yes=6, no=4)
    assert not secret.result.passed  # 6 * 2 == 12, not more than half of the total
    assert hands.result is not None and hands.result.passed
    assert rec.session.state is SessionState.CLOSED
    assert all(i.state is ItemState.DONE for i in rec.items.values())
    assert len(rec.present_ids()) == 9
    assert [r.delegate_id for r in rec.floor_queue()] == [mt.delegates[4]]


def test_state_rebuilt_from_the_event_log_alone_equals_the_live_state(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    run_full_session(mt)
    replayed = World.replay(EventLog(mt.machine.db).events())
    assert replayed == mt.machine.world
    # and after a restart of the host, from the file on disk
    mt.machine.db.close()
    reopened = SessionMachine(open_db(mt.db_path, create=False))
    assert reopened.world == mt.machine.world


def test_secret_ballot_choices_are_kept_apart_from_who_voted(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    m, sid = mt.machine, mt.session
    motion = m.open_motion(sid, title="Bầu chức danh", form=BallotForm.SECRET)
    m.cast_ballot(sid, motion, mt.delegates[0], Choice.NO)
    m.cast_ballot(sid, motion, mt.delegates[1], Choice.YES)
    events = [e for e in EventLog(m.db).events() if e.kind == "secret_ballot_cast"]
    assert [set(e.payload) for e in events] == [{"motion_id", "delegate_id"}] * 2
    assert m.db.execute("SELECT count(*) FROM secret_ballot_box").fetchone()[0] == 0
    box = m.db.execute("SELECT * FROM secret_tally ORDER BY choice").fetchall()
    assert box == [(motion, "abstain", 0), (motion, "no", 1), (motion, "yes", 1)]  # counters
    assert not any(d in json.dumps(box) for d in mt.delegates)
    assert m.tally(sid, motion) == Tally(yes=1, no=1)
    refused(mt, "reason.already_voted", m.cast_ballot, sid, motion, mt.delegates[0], Choice.YES)


def test_a_retried_command_is_applied_once(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    m, sid, d = mt.machine, mt.session, mt.delegates
    motion = m.open_motion(sid, title="Nghị quyết", form=BallotForm.ELECTRONIC)
    first = m.cast_ballot(sid, motion, d[0], Choice.YES, command_id="tablet-1-cmd-7")
    count = mt.event_count()
    again = m.cast_ballot(sid, motion, d[0], Choice.YES, command_id="tablet-1-cmd-7")
    assert again == first
    assert mt.event_count() == count
    with pytest.raises(DuplicateCommand):
        m.cast_ballot(sid, motion, d[0], Choice.NO, command_id="tablet-1-cmd-7")
    assert m.tally(sid, motion) == Tally(yes=1)


def test_retried_secret_ballot_is_not_counted_twice(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    m, sid = mt.machine, mt.session
    motion = m.open_motion(sid, title="Bỏ phiếu kín", form=BallotForm.SECRET)
    for _ in range(3):
        m.cast_ballot(sid, motion, mt.delegates[0], Choice.YES, command_id="retry-me")
    assert m.tally(sid, motion) == Tally(yes=1)


def test_voting_on_a_closed_motion_is_refused(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    m, sid = mt.machine, mt.session
    motion = m.open_motion(sid, title="Nghị quyết", form=BallotForm.ELECTRONIC)
    m.close_motion(sid, motion)
    assert m.record(sid).motions[motion].state is MotionState.CLOSED
    err = refused(
        mt, "reason.motion_not_open", m.cast_ballot, sid, motion, mt.delegates[0], Choice.YES
    )
    assert err.message("vi") == "Không thể ghi nhận phiếu biểu quyết: cuộc biểu quyết không đang mở"
    assert err.message("en") == "Cannot record the ballot: the motion is not open"


def test_illegal_ballots_are_refused(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path, present=10)
    m, sid, d = mt.machine, mt.session, mt.delegates
    motion = m.open_motion(sid, title="Nghị quyết", form=BallotForm.ELECTRONIC, allow_change=False)
    refused(mt, "reason.not_present", m.cast_ballot, sid, motion, d[11], Choice.YES)
    refused(mt, "reason.not_on_roster", m.cast_ballot, sid, motion, "dlg-stranger", Choice.YES)
    m.cast_ballot(sid, motion, d[0], Choice.YES)
    refused(mt, "reason.already_voted", m.cast_ballot, sid, motion, d[0], Choice.NO)
    refused(mt, "reason.motion_open", m.open_motion, sid, title="Khác", form=BallotForm.SECRET)
    refused(mt, "reason.wrong_form", m.record_show_of_hands, sid, motion, yes=1, no=0, abstain=0)
    refused(mt, "reason.motion_open", m.close_session, sid)
    refused(mt, "reason.motion_open", m.end_item, sid, mt.item)
    with pytest.raises(ValueError):
        m.cast_ballot(sid, motion, d[1], "maybe")  # type: ignore[arg-type]


def test_no_motion_without_quorum(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path, seats=12, present=7)
    err = refused(
        mt,
        "reason.no_quorum",
        mt.machine.open_motion,
        mt.session,
        title="X",
        form=BallotForm.ELECTRONIC,
    )
    assert "7/12" in err.message("vi")


def test_show_of_hands_counts_cannot_exceed_those_present(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path, present=10)
    m, sid = mt.machine, mt.session
    motion = m.open_motion(sid, title="Giơ tay", form=BallotForm.SHOW_OF_HANDS)
    refused(
        mt,
        "reason.counts_exceed_total",
        m.record_show_of_hands,
        sid,
        motion,
        yes=8,
        no=2,
        abstain=1,
    )
    refused(mt, "reason.wrong_form", m.cast_ballot, sid, motion, mt.delegates[0], Choice.YES)
    with pytest.raises(InvalidValue):
        m.record_show_of_hands(sid, motion, yes=-1, no=0, abstain=0)


def test_floor_rules(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    m, sid, d = mt.machine, mt.session, mt.delegates
    r1 = m.request_floor(sid, d[1]).payload["id"]
    r2 = m.request_floor(sid, d[2]).payload["id"]
    refused(mt, "reason.floor_already_requested", m.request_floor, sid, d[1])
    speech = m.grant_floor(sid, r1)
    refused(mt, "reason.someone_speaking", m.grant_floor, sid, r2)
    refused(mt, "reason.floor_request_not_waiting", m.withdraw_floor, sid, r1)
    m.withdraw_floor(sid, r2)
    refused(mt, "reason.floor_request_not_waiting", m.grant_floor, sid, r2)
    m.end_item(sid, mt.item)  # ends the running speech too
    assert m.record(sid).speeches[speech].ended_at
    refused(mt, "reason.no_active_item", m.request_floor, sid, d[3])
    refused(mt, "reason.item_not_pending", m.start_item, sid, mt.item)


def test_roll_call_rules(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path, present=5, open_item=False)
    m, sid, d = mt.machine, mt.session, mt.delegates
    refused(mt, "reason.roll_call_not_open", m.close_roll_call, sid)
    m.start_roll_call(sid)
    refused(mt, "reason.roll_call_open", m.start_roll_call, sid)
    refused(mt, "reason.already_present", m.check_in, sid, d[0], method=AttendanceMethod.PIN)
    refused(
        mt,
        "reason.reason_required",
        m.check_in,
        sid,
        d[6],
        method=AttendanceMethod.MANUAL,
        reason="  ",
    )
    m.check_in(sid, d[6], method=AttendanceMethod.MANUAL, reason="Quên thẻ")
    att = m.record(sid).attendance[d[6]]
    assert (att.method, att.reason) == (AttendanceMethod.MANUAL, "Quên thẻ")
    refused(mt, "reason.not_present", m.check_out, sid, d[7], reason="x")
    refused(mt, "reason.reason_required", m.check_out, sid, d[6], reason="")
    closed = m.close_roll_call(sid)
    assert closed.payload == {"present": 6, "total": 12, "quorum_met": False}


def test_session_lifecycle_is_enforced(tmp_path: Path) -> None:
    m = SessionMachine(open_db(tmp_path / "x.db"))
    body = m.create_body(kind=BodyKind.UBND, name="Ủy ban nhân dân phường Một", total_seats=5)
    sid = m.create_session(body_id=body, number=1, title="Phiên họp thường kỳ")
    with pytest.raises(InvalidTransition):
        m.start_roll_call(sid)
    m.open_session(sid)
    with pytest.raises(InvalidTransition):
        m.open_session(sid)
    m.close_session(sid)
    with pytest.raises(InvalidTransition):
        m.add_agenda_item(sid, title="Muộn")
    with pytest.raises(NotFound):
        m.open_session("ses-missing")
    with pytest.raises(InvalidValue):
        m.create_session(body_id=body, number=2, title="   ")
    with pytest.raises(InvalidValue):
        m.create_body(kind=BodyKind.HDND, name="X", total_seats=0)


def test_ubnd_tie_is_broken_by_the_chair(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path, seats=10, present=10, kind=BodyKind.UBND)
    m, sid, d = mt.machine, mt.session, mt.delegates
    motion = m.open_motion(sid, title="Quyết định", form=BallotForm.ELECTRONIC)
    for i, did in enumerate(d):
        m.cast_ballot(sid, motion, did, Choice.YES if i < 5 else Choice.NO)  # d[0] is the chair
    assert m.close_motion(sid, motion).payload["passed"] is True


def test_what_a_screen_shows_as_needed_follows_the_body_basis_and_rules(tmp_path: Path) -> None:
    """``World.needed``: the quorum and a motion's rule as "N needed", with the body's
    TotalBasis (serving delegates here) and a rule the body defined itself."""
    from meetingapp.domain import DelegateSpec, TotalBasis
    from meetingapp.rules import MAJORITY, Basis, Rule

    m = SessionMachine(open_db(tmp_path / "m.db"))
    body = m.create_body(
        kind=BodyKind.HDND, name="HĐND xã Cơ Sở", total_seats=30, total_basis=TotalBasis.SERVING
    )
    ids = m.add_delegates(body, [DelegateSpec(full_name=f"Đại biểu {i}") for i in range(25)])
    m.define_rule(body, Rule("three_quarters", 3, 4, strict=False))
    m.define_rule(body, Rule("half_present", 1, 2, strict=True, basis=Basis.PRESENT))
    sid = m.create_session(body_id=body, number=1, title="Kỳ họp")
    m.open_session(sid)
    m.start_roll_call(sid)
    for did in ids[:18]:
        m.check_in(sid, did, method=AttendanceMethod.PIN)
    w = m.world
    assert w.needed(sid) == 17  # 2/3 of the 25 serving (not the 30 seats): 16.67 -> 17
    assert w.needed(sid, MAJORITY) == 13  # more than half of 25
    assert w.needed(sid, "three_quarters") == 19  # 18.75 -> 19
    assert w.needed(sid, "half_present") == 10  # more than half of the 18 present
    with pytest.raises(InvalidValue):
        m.define_rule(body, Rule("", 1, 2, strict=True))
    with pytest.raises(NotFound):
        m.define_rule("body-nope", Rule("x", 1, 2, strict=True))
