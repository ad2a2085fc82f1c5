"""The voting rules of specs/minutes.md §4, checked at their boundaries."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetingapp.domain import BodyKind, Choice, Tally, TotalBasis
from meetingapp.errors import InvalidValue
from meetingapp.rules import (
    MAJORITY,
    QUORUM,
    REDUCED,
    TWO_THIRDS,
    Basis,
    Headcount,
    Rule,
    default_rules,
    motion_passes,
    percent_text,
    quorum_met,
    reduced_membership_applies,
)

HDND = default_rules(BodyKind.HDND)
UBND = default_rules(BodyKind.UBND)
sizes = st.integers(min_value=1, max_value=2000)


@given(total=sizes, data=st.data())
def test_quorum_is_two_thirds_of_all_delegates(total: int, data: st.DataObject) -> None:
    present = data.draw(st.integers(0, total))
    heads = Headcount(elected=total, serving=total, present=present)
    assert quorum_met(HDND[QUORUM], heads) == (present * 3 >= total * 2)


@given(total=sizes, data=st.data())
def test_resolution_needs_more_than_half_of_the_total_not_of_those_present(
    total: int, data: st.DataObject
) -> None:
    present = data.draw(st.integers(0, total))
    yes = data.draw(st.integers(0, present))
    heads = Headcount(elected=total, serving=total, present=present)
    assert motion_passes(HDND[MAJORITY], Tally(yes=yes), heads) == (yes * 2 > total)


@given(total=sizes, data=st.data())
def test_dismissal_needs_two_thirds_of_the_total(total: int, data: st.DataObject) -> None:
    yes = data.draw(st.integers(0, total))
    heads = Headcount(elected=total, serving=total, present=total)
    assert motion_passes(HDND[TWO_THIRDS], Tally(yes=yes), heads) == (yes * 3 >= total * 2)


@given(elected=sizes, data=st.data())
def test_reduced_membership_rule_counts_the_remaining(elected: int, data: st.DataObject) -> None:
    serving = data.draw(st.integers(1, elected))
    yes = data.draw(st.integers(0, serving))
    heads = Headcount(elected=elected, serving=serving, present=serving)
    assert motion_passes(HDND[REDUCED], Tally(yes=yes), heads) == (yes * 3 > serving * 2)


@given(
    num=st.integers(1, 9), den=st.integers(1, 9), strict=st.booleans(), base=st.integers(0, 3000)
)
def test_minimum_is_the_smallest_count_that_reaches(
    num: int, den: int, strict: bool, base: int
) -> None:
    if num > den:
        num, den = den, num
    rule = Rule("r", num, den, strict)
    need = rule.minimum(base)
    assert rule.reached(need, base)
    assert need == 0 or not rule.reached(need - 1, base)


@pytest.mark.parametrize(
    ("total", "present", "ok"),
    [(12, 8, True), (12, 7, False), (95, 64, True), (95, 63, False), (3, 2, True), (3, 1, False)],
)
def test_quorum_boundaries(total: int, present: int, ok: bool) -> None:
    assert quorum_met(HDND[QUORUM], Headcount(total, total, present)) is ok


@pytest.mark.parametrize(
    ("total", "yes", "ok"), [(12, 7, True), (12, 6, False), (95, 48, True), (95, 47, False)]
)
def test_majority_boundaries(total: int, yes: int, ok: bool) -> None:
    assert motion_passes(HDND[MAJORITY], Tally(yes=yes), Headcount(total, total, total)) is ok


def test_all_present_in_favour_can_still_fail_when_too_few_attend() -> None:
    # 9 of 20 present all vote yes: unanimous among those present, but not > half of all.
    heads = Headcount(elected=20, serving=20, present=9)
    assert not motion_passes(HDND[MAJORITY], Tally(yes=9), heads)


def test_total_basis_serving_uses_the_roster_size() -> None:
    heads = Headcount(elected=15, serving=12, present=12, total_basis=TotalBasis.SERVING)
    assert motion_passes(HDND[MAJORITY], Tally(yes=7), heads)
    elected = Headcount(elected=15, serving=12, present=12)
    assert not motion_passes(HDND[MAJORITY], Tally(yes=7), elected)


def test_ubnd_exact_half_passes_only_with_the_chair_in_favour() -> None:
    heads = Headcount(elected=10, serving=10, present=10)
    rule = UBND[MAJORITY]
    assert motion_passes(rule, Tally(yes=5, no=5), heads, chair_choice=Choice.YES)
    assert not motion_passes(rule, Tally(yes=5, no=5), heads, chair_choice=Choice.NO)
    assert not motion_passes(HDND[MAJORITY], Tally(yes=5, no=5), heads, chair_choice=Choice.YES)


def test_reduced_membership_applies_only_below_two_thirds_late_in_term() -> None:
    assert reduced_membership_applies(elected=30, serving=19, months_left=18)
    assert not reduced_membership_applies(elected=30, serving=20, months_left=18)
    assert not reduced_membership_applies(elected=30, serving=19, months_left=19)


def test_an_organisation_can_add_a_three_quarters_rule_as_data() -> None:
    rule = Rule("three_quarters", 3, 4, strict=False, basis=Basis.TOTAL)
    heads = Headcount(elected=20, serving=20, present=20)
    assert motion_passes(rule, Tally(yes=15), heads)
    assert not motion_passes(rule, Tally(yes=14), heads)


@pytest.mark.parametrize(("num", "den"), [(0, 3), (4, 3), (1, 0), (-1, 2)])
def test_impossible_rules_are_refused(num: int, den: int) -> None:
    with pytest.raises(InvalidValue):
        Rule("bad", num, den, strict=True)


@pytest.mark.parametrize(
    ("count", "total", "text"),
    [
        (85, 88, "96,59%"),
        (8, 12, "66,67%"),
        (1, 12, "8,33%"),
        (6, 12, "50,00%"),
        (0, 12, "0,00%"),
        (12, 12, "100,00%"),
        (1, 8, "12,50%"),
        (1, 0, "0,00%"),
    ],
)
def test_percent_text(count: int, total: int, text: str) -> None:
    assert percent_text(count, total) == text


@given(total=sizes, data=st.data())
def test_percent_text_rounds_half_up(total: int, data: st.DataObject) -> None:
    count = data.draw(st.integers(0, total))
    exact = Fraction(count * 100, total)
    hundredths = int(exact * 100 + Fraction(1, 2))
    assert percent_text(count, total) == f"{hundredths // 100},{hundredths % 100:02d}%"
