"""Motions and ballots: open (only with a quorum), named electronic ballots, secret ballots,
a show of hands counted by the secretary, and the close that decides under the body's rule.

A secret ballot: the log records only *who* took part (``secret_ballot_cast``); the choice only
adds one to a per-motion counter (``secret_tally``) in the same transaction. No row per ballot
exists, the command's fingerprint leaves the choice out, and the host truncates the write-ahead
log after each secret ballot (server/writer.py), so neither the database nor its WAL links a
choice to a voter (docs/security.md; tests/security/test_secret_ballot.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlite_utils import Database

from meetingapp.domain import (
    BallotForm,
    Choice,
    ItemKind,
    Motion,
    MotionResult,
    MotionState,
    Tally,
)
from meetingapp.errors import InvalidTransition, InvalidValue, NotFound
from meetingapp.events import Event
from meetingapp.rules import MAJORITY, QUORUM, motion_passes, quorum_met
from meetingapp.session.base import Change, MachineBase, new_id, now_iso, require_text
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import SessionRecord, World, record_of


@event("motion_opened")
@dataclass(frozen=True)
class MotionOpened(Payload):
    id: str
    item_id: str
    title: str
    form: str
    rule: str
    allow_change: bool
    resolution: bool = False  # absent in logs written before resolution numbers


@reducer(MotionOpened)
def _motion_opened(w: World, p: MotionOpened, e: Event) -> None:
    rec = record_of(w, e)
    rec.motions[p.id] = Motion(
        p.id,
        p.item_id,
        p.title,
        BallotForm(p.form),
        p.rule,
        p.allow_change,
        opened_at=e.ts,
        resolution=p.resolution,
    )
    rec.open_motion = p.id


@event("ballot_cast", ballot=True)
@dataclass(frozen=True)
class BallotCast(Payload):
    """A named ballot: who chose what (seen by the chair and secretary while the vote runs)."""

    motion_id: str
    delegate_id: str
    choice: str


@event("ballot_changed", ballot=True)
@dataclass(frozen=True)
class BallotChanged(Payload):
    """A named ballot changed while the motion allowed it."""

    motion_id: str
    delegate_id: str
    choice: str


def _vote(w: World, p: BallotCast | BallotChanged, e: Event) -> None:
    rec = record_of(w, e)
    m = rec.motions[p.motion_id]
    ballots = {**m.ballots, p.delegate_id: Choice(p.choice)}
    rec.motions[m.id] = replace(m, ballots=ballots, participants=m.participants | {p.delegate_id})


@reducer(BallotCast)
def _ballot_cast(w: World, p: BallotCast, e: Event) -> None:
    _vote(w, p, e)


@reducer(BallotChanged)
def _ballot_changed(w: World, p: BallotChanged, e: Event) -> None:
    _vote(w, p, e)


@event("secret_ballot_cast", ballot=True)
@dataclass(frozen=True)
class SecretBallotCast(Payload):
    """Who took part in a secret ballot; the choice is in ``secret_ballot_box`` only."""

    motion_id: str
    delegate_id: str


@reducer(SecretBallotCast)
def _secret_ballot_cast(w: World, p: SecretBallotCast, e: Event) -> None:
    rec = record_of(w, e)
    m = rec.motions[p.motion_id]
    rec.motions[m.id] = replace(m, participants=m.participants | {p.delegate_id})


@event("show_of_hands_recorded")
@dataclass(frozen=True)
class ShowOfHandsRecorded(Payload):
    motion_id: str
    yes: int
    no: int
    abstain: int


@reducer(ShowOfHandsRecorded)
def _show_of_hands(w: World, p: ShowOfHandsRecorded, e: Event) -> None:
    rec = record_of(w, e)
    m = rec.motions[p.motion_id]
    rec.motions[m.id] = replace(m, hands=Tally(p.yes, p.no, p.abstain))


@event("motion_closed")
@dataclass(frozen=True)
class MotionClosed(Payload):
    """The decided result, with the figures it was decided on."""

    motion_id: str
    yes: int
    no: int
    abstain: int
    total: int
    present: int
    not_voting: int
    passed: bool
    rule: str
    quorum_met: bool = True
    resolution_number: int = 0  # a resolution that passed: its number in the body's year
    resolution_year: int = 0


@reducer(MotionClosed)
def _motion_closed(w: World, p: MotionClosed, e: Event) -> None:
    rec = record_of(w, e)
    m = rec.motions[p.motion_id]
    tally = Tally(p.yes, p.no, p.abstain)
    result = MotionResult(tally, p.total, p.present, p.not_voting, p.passed, p.rule)
    rec.motions[m.id] = replace(
        m,
        state=MotionState.CLOSED,
        closed_at=e.ts,
        result=result,
        resolution_number=p.resolution_number or None,
        resolution_year=p.resolution_year or None,
    )
    rec.open_motion = None


class Votes(MachineBase):
    def open_motion(
        self,
        session_id: str,
        *,
        title: str,
        form: BallotForm,
        rule: str = MAJORITY,
        item_id: str | None = None,
        allow_change: bool = True,
        resolution: bool | None = None,
        actor: str = "",
    ) -> str:
        """Open a vote. Refused without a quorum (HĐND: present*3 >= total*2). ``resolution``:
        whether adopting it issues a resolution that gets a number when it passes (default:
        when its agenda item is a resolution or a proposal — tờ trình — to adopt one)."""
        rec = self._open_record(session_id, "open_motion")
        require_text("title", title)
        item = item_id or rec.active_item
        if item is None or item not in rec.items:
            raise InvalidTransition("open_motion", "reason.no_active_item")
        if rec.open_motion is not None:
            raise InvalidTransition("open_motion", "reason.motion_open")
        self.rule(rec.session.body_id, rule)
        heads = self.world.headcount(session_id)
        if not quorum_met(self.rule(rec.session.body_id, QUORUM), heads):
            raise InvalidTransition(
                "open_motion", "reason.no_quorum", present=heads.present, total=heads.total
            )
        mid = new_id("mot")
        change = allow_change and form is not BallotForm.SECRET
        if resolution is None:
            resolution = rec.items[item].kind in (ItemKind.RESOLUTION, ItemKind.PROPOSAL)
        payload = MotionOpened(mid, item, title.strip(), form.value, rule, change, resolution)
        self._one(payload, session_id, actor=actor)
        return mid

    def _motion(self, rec: SessionRecord, motion_id: str, action: str) -> Motion:
        motion = rec.motions.get(motion_id)
        if motion is None:
            raise NotFound(kind="motion", ident=motion_id)
        if motion.state is not MotionState.OPEN:
            raise InvalidTransition(action, "reason.motion_not_open")
        return motion

    def cast_ballot(
        self,
        session_id: str,
        motion_id: str,
        delegate_id: str,
        choice: Choice,
        *,
        actor: str = "",
        command_id: str | None = None,
    ) -> Event:
        """Record one delegate's ballot. The event is committed before this returns, so a
        receipt given after it can never refer to a lost ballot."""
        args = {"session": session_id, "motion": motion_id, "delegate": delegate_id}
        rec = self.world.sessions.get(session_id)
        motion = rec.motions.get(motion_id) if rec else None
        if motion is None or motion.form is not BallotForm.SECRET:
            # a secret ballot's fingerprint must not hash the choice (three guesses would
            # recover it); its retries are recognised by command id, delegate and motion
            args["choice"] = Choice(choice).value
        return self._run(
            "cast_ballot",
            args,
            lambda: self._ballot_changes(session_id, motion_id, delegate_id, Choice(choice)),
            actor=actor,
            command_id=command_id,
        )

    def _ballot_changes(
        self, session_id: str, motion_id: str, delegate_id: str, choice: Choice
    ) -> list[Change]:
        rec = self._open_record(session_id, "cast_ballot")
        motion = self._motion(rec, motion_id, "cast_ballot")
        self._delegate_on_roster(rec, delegate_id, "cast_ballot")
        if delegate_id not in rec.present_ids():
            raise InvalidTransition("cast_ballot", "reason.not_present")
        if motion.form is BallotForm.SHOW_OF_HANDS:
            raise InvalidTransition("cast_ballot", "reason.wrong_form")
        voted = delegate_id in motion.participants
        if voted and not motion.allow_change:
            raise InvalidTransition("cast_ballot", "reason.already_voted")
        if motion.form is BallotForm.SECRET:

            def drop_in_box(db: Database) -> None:
                # all three counters exist from the first ballot on: no row appears later
                db.execute(
                    "INSERT OR IGNORE INTO secret_tally (motion_id, choice, count) "
                    "VALUES (?, 'yes', 0), (?, 'no', 0), (?, 'abstain', 0)",
                    [motion_id, motion_id, motion_id],
                )
                db.execute(
                    "UPDATE secret_tally SET count = count + 1 WHERE motion_id = ? AND choice = ?",
                    [motion_id, choice.value],
                )

            return [Change(SecretBallotCast(motion_id, delegate_id), session_id, drop_in_box)]
        kind = BallotChanged if voted else BallotCast
        return [Change(kind(motion_id, delegate_id, choice.value), session_id)]

    def record_show_of_hands(
        self, session_id: str, motion_id: str, *, yes: int, no: int, abstain: int, actor: str = ""
    ) -> Event:
        rec = self._open_record(session_id, "record_show_of_hands")
        motion = self._motion(rec, motion_id, "record_show_of_hands")
        if motion.form is not BallotForm.SHOW_OF_HANDS:
            raise InvalidTransition("record_show_of_hands", "reason.wrong_form")
        if min(yes, no, abstain) < 0:
            raise InvalidValue(field="counts", detail=">= 0")
        present = len(rec.present_ids())
        if yes + no + abstain > present:
            raise InvalidTransition(
                "record_show_of_hands",
                "reason.counts_exceed_total",
                counted=yes + no + abstain,
                present=present,
            )
        payload = ShowOfHandsRecorded(motion_id, yes, no, abstain)
        return self._one(payload, session_id, actor=actor)

    def tally(self, session_id: str, motion_id: str) -> Tally:
        motion = self.record(session_id).motions[motion_id]
        if motion.form is BallotForm.SHOW_OF_HANDS:
            return motion.hands or Tally()
        if motion.form is BallotForm.SECRET:
            rows = self.db.execute(
                "SELECT choice, sum(n) FROM ("
                " SELECT choice, count AS n FROM secret_tally WHERE motion_id = ?"
                " UNION ALL"  # ballots stored before the counters (old databases)
                " SELECT choice, 1 AS n FROM secret_ballot_box WHERE motion_id = ?"
                ") GROUP BY choice",
                [motion_id, motion_id],
            )
            counts = dict(rows.fetchall())
            return Tally(counts.get("yes", 0), counts.get("no", 0), counts.get("abstain", 0))
        choices = list(motion.ballots.values())
        return Tally(
            choices.count(Choice.YES), choices.count(Choice.NO), choices.count(Choice.ABSTAIN)
        )

    def close_motion(self, session_id: str, motion_id: str, *, actor: str = "") -> Event:
        """Close the vote and decide it under the motion's rule and the body's quorum."""
        rec = self._open_record(session_id, "close_motion")
        motion = self._motion(rec, motion_id, "close_motion")
        body_id = rec.session.body_id
        tally = self.tally(session_id, motion_id)
        heads = self.world.headcount(session_id)
        rule = self.rule(body_id, motion.rule)
        chair = rec.session.chair_panel[0] if rec.session.chair_panel else None
        has_quorum = quorum_met(self.rule(body_id, QUORUM), heads)
        passed = has_quorum and motion_passes(rule, tally, heads, motion.ballots.get(chair or ""))
        number = year = 0
        if passed and motion.resolution:
            year = int(now_iso()[:4])
            number = self.next_resolution_number(body_id, year)
        payload = MotionClosed(
            motion_id,
            tally.yes,
            tally.no,
            tally.abstain,
            heads.base(rule.basis),
            heads.present,
            max(heads.present - tally.cast, 0),
            passed,
            rule.name,
            has_quorum,
            number,
            year,
        )
        return self._one(payload, session_id, actor=actor)

    def next_resolution_number(self, body_id: str, year: int) -> int:
        """Resolutions are numbered per body and calendar year from 01, when they pass."""
        taken = [
            m.resolution_number
            for r in self.world.sessions.values()
            if r.session.body_id == body_id
            for m in r.motions.values()
            if m.resolution_year == year and m.resolution_number is not None
        ]
        return max(taken, default=0) + 1
