"""The result of a vote as the law counts it, computed in one place: the secretary's console, the
tablets, the hall display, the minutes and the CSV/XLSX exports all read ``vote_result``.

- Tán thành / Không tán thành / Không biểu quyết count only the delegates who chose that
  option: pressed the button, raised a hand for it, marked it on a secret ballot.
- Delegates who cast nothing are NOT abstentions. The result gives the number who took part
  (``Số đại biểu tham gia biểu quyết``) and, for a named (electronic) vote, who did not.
- Every share is of the total the motion's rule is measured against (the body's total number
  of delegates per its TotalBasis, or the delegates still serving for the reduced-membership
  rule), never of those present; percentages with a decimal comma (``8,33%``).

Pure: domain types in, plain data out; no I/O, no Qt, no host.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from meetingapp.domain import BallotForm, Choice, Delegate, Motion
from meetingapp.i18n import tr
from meetingapp.rules import percent_text


@dataclass(frozen=True)
class Share:
    """``count`` of ``total``: written ``1/12`` and ``8,33%``."""

    count: int
    total: int

    @property
    def fraction(self) -> str:
        return f"{self.count}/{self.total}"

    @property
    def percent(self) -> str:
        return percent_text(self.count, self.total)


@dataclass(frozen=True)
class VoteResult:
    form: BallotForm
    total: int  # the rule's base: total delegates (or those serving, for the reduced rule)
    present: int  # delegates present when the vote closed
    yes: Share
    no: Share
    abstain: Share  # pressed "Không biểu quyết" (or raised a hand / marked it): not non-voters
    took_part: Share  # cast a ballot of any choice (a secret ballot returned, a hand raised)
    not_taking_part: Share  # total - took_part: absent, present but silent, or a vacant seat
    passed: bool
    rule: str
    named: bool  # an electronic vote: every ballot carries its delegate's name
    non_voters: tuple[Delegate, ...] = ()  # named votes: delegates on the roster who cast nothing

    def share(self, choice: Choice) -> Share:
        return {Choice.YES: self.yes, Choice.NO: self.no, Choice.ABSTAIN: self.abstain}[choice]


def vote_result(motion: Motion, roster: Sequence[Delegate] = ()) -> VoteResult:
    """The figures of a closed motion. ``roster`` (in the order to list names) names the
    delegates who did not take part in a named vote; without it that list is empty."""
    r = motion.result
    if r is None:
        raise ValueError(f"motion {motion.id} is not closed: it has no result yet")
    total, tally = r.total, r.tally
    # a secret ballot returned blank would be a participant without a choice: count the box
    took_part = max(len(motion.participants), tally.cast)
    named = motion.form is BallotForm.ELECTRONIC
    voted = motion.participants | set(motion.ballots)
    return VoteResult(
        form=motion.form,
        total=total,
        present=r.present,
        yes=Share(tally.yes, total),
        no=Share(tally.no, total),
        abstain=Share(tally.abstain, total),
        took_part=Share(took_part, total),
        not_taking_part=Share(max(total - took_part, 0), total),
        passed=r.passed,
        rule=r.rule,
        named=named,
        non_voters=tuple(d for d in roster if d.id not in voted) if named else (),
    )


def result_texts(result: VoteResult, lang: str) -> tuple[str, ...]:
    """The four lines every screen shows, in the app's language:
    ``Tán thành: 1/12 (8,33%)`` … ``Tham gia biểu quyết: 1/12 (8,33%)``."""
    return tuple(
        f"{label}: {s.fraction} ({s.percent})"
        for label, s in (
            (tr("choice.yes", lang), result.yes),
            (tr("choice.no", lang), result.no),
            (tr("choice.abstain", lang), result.abstain),
            (tr("result.took_part", lang), result.took_part),
        )
    )
