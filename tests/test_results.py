"""The one function that turns a closed motion into the figures every screen and document shows
(meetingapp.results): Vietnamese semantics — a delegate who cast nothing is not an abstention."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetingapp.domain import (
    BallotForm,
    Choice,
    Delegate,
    Motion,
    MotionResult,
    MotionState,
    Tally,
    TotalBasis,
)
from meetingapp.i18n import tr
from meetingapp.results import result_texts, vote_result
from meetingapp.rules import MAJORITY, QUORUM, Basis, Headcount, Rule, needed, percent_text


def roster(n: int) -> list[Delegate]:
    return [Delegate(f"d{i:02d}", "b", f"Đại biểu {i}") for i in range(n)]


def named_motion(people: list[Delegate], choices: dict[str, Choice], present: int) -> Motion:
    tally = Tally(*(list(choices.values()).count(c) for c in Choice))
    passed = tally.yes * 2 > len(people)
    result = MotionResult(tally, len(people), present, present - tally.cast, passed, MAJORITY)
    return Motion(
        "m1",
        "i1",
        "Nghị quyết",
        BallotForm.ELECTRONIC,
        MAJORITY,
        state=MotionState.CLOSED,
        ballots=choices,
        participants=frozenset(choices),
        result=result,
    )


def test_one_ballot_of_twelve_is_not_ten_abstentions() -> None:
    """The bug of issue 16: one ballot on a named vote, 11 present; the minutes said
    "Không biểu quyết: 10/12, chiếm 83,33%". Nobody pressed "Không biểu quyết"."""
    people = roster(12)
    r = vote_result(named_motion(people, {"d00": Choice.YES}, present=11), people)
    assert (r.yes.fraction, r.no.fraction, r.abstain.fraction) == ("1/12", "0/12", "0/12")
    assert (r.took_part.fraction, r.took_part.percent) == ("1/12", "8,33%")
    assert r.not_taking_part.count == 11
    assert [d.id for d in r.non_voters] == [f"d{i:02d}" for i in range(1, 12)]
    assert result_texts(r, "vi") == (
        "Tán thành: 1/12 (8,33%)",
        "Không tán thành: 0/12 (0,00%)",
        "Không biểu quyết: 0/12 (0,00%)",
        "Tham gia biểu quyết: 1/12 (8,33%)",
    )
    assert result_texts(r, "en")[2] == "Abstain: 0/12 (0,00%)"  # was "Did not vote"
    assert not r.passed


def test_pressing_abstain_counts_as_abstain_and_as_taking_part() -> None:
    people = roster(5)
    choices = {"d00": Choice.YES, "d01": Choice.ABSTAIN, "d02": Choice.ABSTAIN}
    r = vote_result(named_motion(people, choices, present=5), people)
    assert (r.abstain.count, r.took_part.count) == (2, 3)
    assert [d.full_name for d in r.non_voters] == ["Đại biểu 3", "Đại biểu 4"]


def test_an_open_motion_has_no_result() -> None:
    motion = Motion("m", "i", "t", BallotForm.ELECTRONIC, MAJORITY)
    with pytest.raises(ValueError, match="not closed"):
        vote_result(motion)


def test_secret_and_hands_name_nobody() -> None:
    people = roster(10)
    secret = Motion(
        "s",
        "i",
        "Miễn nhiệm",
        BallotForm.SECRET,
        MAJORITY,
        state=MotionState.CLOSED,
        participants=frozenset(d.id for d in people[:7]),
        result=MotionResult(Tally(4, 2, 1), 10, 9, 2, False, MAJORITY),
    )
    r = vote_result(secret, people)
    assert not r.named and r.non_voters == () and r.took_part.fraction == "7/10"
    hands = Motion(
        "h",
        "i",
        "Giơ tay",
        BallotForm.SHOW_OF_HANDS,
        MAJORITY,
        state=MotionState.CLOSED,
        hands=Tally(6, 1, 1),
        result=MotionResult(Tally(6, 1, 1), 10, 9, 1, True, MAJORITY),
    )
    r = vote_result(hands, people)
    assert (r.took_part.count, r.abstain.count, r.non_voters) == (8, 1, ())


@given(n=st.integers(1, 120), data=st.data())
def test_figures_of_any_named_vote(n: int, data: st.DataObject) -> None:
    people = roster(n)
    voters = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=n))
    choices = {d.id: data.draw(st.sampled_from(list(Choice))) for d in voters}
    present = data.draw(st.integers(len(voters), n))
    r = vote_result(named_motion(people, choices, present), people)
    for c in Choice:  # each option counts only those who chose it, as a share of the total
        count = sum(1 for x in choices.values() if x is c)
        assert r.share(c).count == count and r.share(c).total == n
        assert r.share(c).percent == percent_text(count, n)
    assert r.took_part.count == len(voters) == r.yes.count + r.no.count + r.abstain.count
    assert r.took_part.count + r.not_taking_part.count == n
    assert len(r.non_voters) == n - len(voters)
    assert not {d.id for d in r.non_voters} & set(choices)
    assert [d.id for d in r.non_voters] == [d.id for d in people if d.id not in choices]


@given(elected=st.integers(1, 500), data=st.data())
def test_needed_follows_the_rule_and_the_bodys_basis(elected: int, data: st.DataObject) -> None:
    """What the console and the display print as "cần N": the rule's minimum of its own base."""
    serving = data.draw(st.integers(1, elected))
    basis = data.draw(st.sampled_from(list(TotalBasis)))
    heads = Headcount(elected, serving, data.draw(st.integers(0, serving)), basis)
    quorum = Rule(QUORUM, 2, 3, strict=False)
    base = elected if basis is TotalBasis.ELECTED else serving
    assert needed(quorum, heads) == -(-base * 2 // 3)
    custom = Rule("three_quarters_present", 3, 4, strict=True, basis=Basis.PRESENT)
    need = needed(custom, heads)
    assert custom.reached(need, heads.present)
    assert need == 0 or not custom.reached(need - 1, heads.present)


def test_the_labels_are_the_apps(tmp_path: Path) -> None:
    from exports import labels

    assert labels.CHOICES[Choice.ABSTAIN] == tr("choice.abstain", "vi") == "Không biểu quyết"
    assert tr("result.did_not_take_part", "vi") == labels.NOT_TAKING_PART
