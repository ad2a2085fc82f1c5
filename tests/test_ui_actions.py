"""The enable/disable rules of every role (meetingapp/actions.py), per session state: a button is
enabled exactly when the host would take the command. Pure: no window, no host."""

from __future__ import annotations

from dataclasses import replace

import pytest

from meetingapp import actions as A
from meetingapp.actions import Snapshot, allowed

SCHEDULED = Snapshot(session="scheduled")
OPEN = Snapshot(session="open", quorum=True)
ITEM = replace(OPEN, active_item=True, selected_item="active", documents=1)
CLOSED = Snapshot(session="closed")


def sec(s: Snapshot) -> frozenset[str]:
    return allowed("secretary", s)


def test_secretary_before_opening_can_only_prepare_and_open() -> None:
    ok = sec(SCHEDULED)
    assert {A.OPEN_SESSION, A.ADD_ITEM, A.UPLOAD, A.PAIR} <= ok
    for act in (A.START_ROLL_CALL, A.CLOSE_SESSION, A.OPEN_MOTION, A.GRANT, A.START_ITEM):
        assert act not in ok


def test_secretary_roll_call_and_items() -> None:
    assert A.START_ROLL_CALL in sec(OPEN) and A.CLOSE_ROLL_CALL not in sec(OPEN)
    rolling = replace(OPEN, roll_call_open=True)
    assert A.CLOSE_ROLL_CALL in sec(rolling) and A.START_ROLL_CALL not in sec(rolling)
    assert A.OPEN_SESSION not in sec(OPEN)
    # an item is started only when chosen, pending, and nothing else runs
    assert A.START_ITEM not in sec(OPEN)
    assert A.START_ITEM in sec(replace(OPEN, selected_item="pending"))
    assert A.START_ITEM not in sec(replace(OPEN, selected_item="pending", active_item=True))
    assert A.START_ITEM not in sec(replace(OPEN, selected_item="done"))
    assert A.END_ITEM in sec(ITEM)
    assert A.END_ITEM not in sec(replace(ITEM, motion_form="electronic"))  # a vote runs


def test_secretary_floor() -> None:
    assert A.GRANT not in sec(ITEM)  # nobody asked
    assert A.GRANT in sec(replace(ITEM, queue=2))
    speaking = replace(ITEM, queue=2, speaking=True)
    assert A.GRANT not in sec(speaking) and A.END_SPEECH in sec(speaking)
    assert A.END_SPEECH not in sec(ITEM)
    # the hall microphone and the speaker marks: only while a speech runs
    for act in (A.HALL_MIC, A.MARK_SPEAKER):
        assert act in sec(speaking)
        assert act not in sec(replace(ITEM, queue=2))
        assert act not in sec(replace(speaking, online=False))


def test_secretary_votes() -> None:
    assert A.OPEN_MOTION in sec(ITEM)
    assert A.OPEN_MOTION not in sec(OPEN)  # no item in progress
    assert A.OPEN_MOTION not in sec(replace(ITEM, quorum=False))  # the host refuses it
    voting = replace(ITEM, motion_form="secret")
    ok = sec(voting)
    assert A.CLOSE_MOTION in ok and A.OPEN_MOTION not in ok and A.RECORD_HANDS not in ok
    assert A.CLOSE_SESSION not in ok  # close the vote first
    hands = replace(ITEM, motion_form="show_of_hands")
    assert A.RECORD_HANDS in sec(hands) and A.CLOSE_MOTION not in sec(hands)  # count first
    assert A.CLOSE_MOTION in sec(replace(hands, hands_recorded=True))


def test_nothing_runs_after_the_session_closed() -> None:
    ok = sec(CLOSED)
    assert ok == {A.PAIR}
    assert allowed("delegate", replace(CLOSED, present=True)) == frozenset()


def test_delegate_tablet() -> None:
    me = replace(ITEM, present=True)
    assert A.CHECK_IN in allowed("delegate", OPEN)
    assert A.CHECK_IN not in allowed("delegate", me)
    assert A.REQUEST_FLOOR in allowed("delegate", me)
    queued = replace(me, queued=True)
    assert A.REQUEST_FLOOR not in allowed("delegate", queued)
    assert A.WITHDRAW in allowed("delegate", queued)
    assert A.REQUEST_FLOOR not in allowed("delegate", replace(me, has_floor=True))
    assert A.VOTE not in allowed("delegate", me)  # no vote open
    voting = replace(me, motion_form="electronic", may_change=False)
    assert A.VOTE in allowed("delegate", voting)
    assert A.VOTE not in allowed("delegate", replace(voting, voted=True))
    assert A.VOTE in allowed("delegate", replace(voting, voted=True, may_change=True))
    assert A.VOTE not in allowed("delegate", replace(voting, present=False))
    assert A.VOTE not in allowed("delegate", replace(voting, motion_form="show_of_hands"))


def test_clerk_minutes_steps_in_order() -> None:
    def clerk(s: Snapshot) -> frozenset[str]:
        return allowed("clerk", s)

    assert clerk(SCHEDULED) == frozenset()
    assert clerk(OPEN) == {A.DRAFT}  # nothing to finalise, sign, verify or export yet
    drafted = replace(CLOSED, draft=True)
    assert {A.DRAFT, A.OPEN_DOCX, A.REIMPORT, A.FINALISE, A.EXPORT} == clerk(drafted)
    assert A.FINALISE not in clerk(replace(OPEN, draft=True))  # the session is still open
    final = replace(CLOSED, draft=True, final_copy=True, minutes="finalised")
    assert clerk(final) == {A.SIGN_SECRETARY, A.EXPORT}
    assert clerk(replace(final, minutes="signed_secretary")) == {A.SIGN_CHAIR, A.VERIFY, A.EXPORT}
    assert clerk(replace(final, minutes="signed_chair")) == {A.SEAL, A.VERIFY, A.EXPORT}
    assert clerk(replace(final, minutes="sealed")) == {A.VERIFY, A.EXPORT}
    # finalised on another device: nothing to sign here until the copy is fetched
    assert A.SIGN_SECRETARY not in clerk(replace(final, final_copy=False))


@pytest.mark.parametrize("role", A.ROLES)
def test_a_lost_host_disables_everything(role: str) -> None:
    every = replace(ITEM, queue=1, present=True, motion_form="electronic", draft=True)
    assert allowed(role, replace(every, online=False)) == frozenset()


def test_the_display_has_no_actions() -> None:
    assert allowed("display", ITEM) == frozenset()
