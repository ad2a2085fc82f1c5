"""Which actions each role may take now: ONE pure function from (role, a snapshot of the session)
to the set of enabled actions. Every window enables its buttons from it, so a button is enabled
exactly when the host would accept the command (and the tests check the rules per role and
state without a window).

The snapshot is built from the replica of the session (``snapshot``) plus what only the window
knows (the item selected in a list, the minutes files it holds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# the secretary's console
OPEN_SESSION = "open_session"
START_ROLL_CALL = "start_roll_call"
CLOSE_ROLL_CALL = "close_roll_call"
CHECK_IN_OTHERS = "check_in_others"  # manual, face at the door
START_ITEM = "start_item"
END_ITEM = "end_item"
PRESENT = "present"
GRANT = "grant"
END_SPEECH = "end_speech"
HALL_MIC = "hall_mic"  # record the running speech with the console's microphone
MARK_SPEAKER = "mark_speaker"  # the chair interjects / back to the speaker
OPEN_MOTION = "open_motion"
CLOSE_MOTION = "close_motion"
RECORD_HANDS = "record_hands"
CLOSE_SESSION = "close_session"
ADD_ITEM = "add_item"
UPLOAD = "upload"
PAIR = "pair"
# the delegate's tablet
CHECK_IN = "check_in"
REQUEST_FLOOR = "request_floor"
WITHDRAW = "withdraw"
VOTE = "vote"
# the clerk
DRAFT = "draft"
OPEN_DOCX = "open_docx"
REIMPORT = "reimport"
FINALISE = "finalise"
SIGN_SECRETARY = "sign_secretary"
SIGN_CHAIR = "sign_chair"
SEAL = "seal"
VERIFY = "verify"
EXPORT = "export"

ROLES = ("secretary", "delegate", "clerk", "display")


@dataclass(frozen=True)
class Snapshot:
    """What the rules need to know, as plain values."""

    session: str = "scheduled"  # scheduled / open / closed
    online: bool = True  # the link to the host is up
    roll_call_open: bool = False
    active_item: bool = False
    selected_item: str | None = None  # state of the item chosen in the list, if any
    documents: int = 0
    queue: int = 0  # floor requests waiting
    speaking: bool = False
    motion_form: str | None = None  # form of the open motion (None: no vote open)
    hands_recorded: bool = False
    quorum: bool = False
    minutes: str | None = None  # None before finalising, then its MinutesState value
    # the delegate's own situation (tablet)
    present: bool = False
    queued: bool = False
    has_floor: bool = False
    voted: bool = False
    may_change: bool = False
    # files the clerk's window holds
    draft: bool = False
    final_copy: bool = False


def allowed(role: str, s: Snapshot) -> frozenset[str]:
    """The actions ``role`` may take in state ``s``; everything else is shown disabled."""
    if not s.online:
        return frozenset()  # nothing reaches the host: nothing looks pressable
    rules = {"secretary": _secretary, "delegate": _delegate, "clerk": _clerk}.get(role)
    return frozenset(a for a, ok in rules(s).items() if ok) if rules else frozenset()


def _secretary(s: Snapshot) -> dict[str, bool]:
    is_open = s.session == "open"
    vote = s.motion_form is not None
    return {
        OPEN_SESSION: s.session == "scheduled",
        START_ROLL_CALL: is_open and not s.roll_call_open,
        CLOSE_ROLL_CALL: is_open and s.roll_call_open,
        CHECK_IN_OTHERS: is_open,
        START_ITEM: is_open and not s.active_item and s.selected_item == "pending",
        END_ITEM: is_open and s.selected_item == "active" and not vote,
        PRESENT: s.session != "closed" and s.documents > 0,
        GRANT: is_open and s.queue > 0 and not s.speaking,
        END_SPEECH: is_open and s.speaking,
        HALL_MIC: is_open and s.speaking,
        MARK_SPEAKER: is_open and s.speaking,
        OPEN_MOTION: is_open and s.active_item and not vote and s.quorum,
        CLOSE_MOTION: is_open and vote and (s.motion_form != "show_of_hands" or s.hands_recorded),
        RECORD_HANDS: is_open and s.motion_form == "show_of_hands",
        CLOSE_SESSION: is_open and not vote,
        ADD_ITEM: s.session != "closed",
        UPLOAD: s.session != "closed",
        PAIR: True,
    }


def _delegate(s: Snapshot) -> dict[str, bool]:
    is_open = s.session == "open"
    return {
        CHECK_IN: is_open and not s.present,
        REQUEST_FLOOR: is_open and s.active_item and not s.queued and not s.has_floor,
        WITHDRAW: is_open and s.queued,
        VOTE: is_open
        and s.present
        and s.motion_form in ("electronic", "secret")
        and (not s.voted or s.may_change),
    }


def _clerk(s: Snapshot) -> dict[str, bool]:
    closed = s.session == "closed"
    return {
        DRAFT: s.session != "scheduled" and s.minutes is None,
        OPEN_DOCX: s.draft and s.minutes is None,
        REIMPORT: s.draft and s.minutes is None,
        FINALISE: closed and s.minutes is None and s.draft,
        SIGN_SECRETARY: s.final_copy and s.minutes == "finalised",
        SIGN_CHAIR: s.final_copy and s.minutes == "signed_secretary",
        SEAL: s.final_copy and s.minutes == "signed_chair",
        VERIFY: s.final_copy and s.minutes not in (None, "draft", "finalised"),
        EXPORT: closed,
    }


def snapshot(
    world: Any,
    rec: Any,
    *,
    me: str | None = None,
    selected_item: str | None = None,
    online: bool = True,
    draft: bool = False,
    final_copy: bool = False,
) -> Snapshot:
    """The snapshot of session ``rec`` (a replica's record) for one window."""
    from meetingapp.rules import QUORUM, quorum_met

    motion = rec.motions.get(rec.open_motion) if rec.open_motion else None
    rule = world.rules.get(rec.session.body_id, {}).get(QUORUM)
    heads = world.headcount(rec.session.id)
    item = rec.items.get(selected_item) if selected_item else None
    speech = rec.speeches.get(rec.current_speech) if rec.current_speech else None
    queued = bool(me) and any(r.delegate_id == me for r in rec.floor_queue())
    return Snapshot(
        session=rec.session.state.value,
        online=online,
        roll_call_open=rec.roll_call_open,
        active_item=rec.active_item is not None,
        selected_item=item.state.value if item else None,
        documents=len(rec.documents),
        queue=len(rec.queue),
        speaking=speech is not None,
        motion_form=motion.form.value if motion else None,
        hands_recorded=bool(motion and motion.hands is not None),
        quorum=rule is not None and quorum_met(rule, heads),  # the body's own rule
        minutes=rec.minutes.state.value if rec.minutes else None,
        present=bool(me) and me in rec.present_ids(),
        queued=queued,
        has_floor=bool(me) and speech is not None and speech.delegate_id == me,
        voted=bool(motion and me in motion.participants),
        may_change=bool(motion and motion.allow_change),
        draft=draft,
        final_copy=final_copy,
    )
