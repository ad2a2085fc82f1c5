"""Quorum and majority rules, as data, with integer arithmetic only.

A rule says: ``count * denominator`` must be ``>`` (strict) or ``>=`` ``base * numerator``,
where ``base`` is the body's total, the delegates currently serving, or those present.
The defaults follow specs/minutes.md §4; an organisation adds its own (3/4, …) as rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from meetingapp.domain import BodyKind, Choice, Tally, TotalBasis
from meetingapp.errors import InvalidValue


class Basis(StrEnum):
    TOTAL = "total"  # the body's total (elected or serving, per TotalBasis)
    SERVING = "serving"  # delegates currently serving ("remaining" in the reduced rule)
    PRESENT = "present"


@dataclass(frozen=True)
class Rule:
    name: str
    numerator: int
    denominator: int
    strict: bool  # True: more than the share; False: at least the share
    basis: Basis = Basis.TOTAL
    chair_breaks_tie: bool = False  # UBND: an exact half passes if the chair voted yes (VERIFY)
    label_vi: str = ""
    label_en: str = ""

    def __post_init__(self) -> None:
        if self.denominator <= 0 or not 0 < self.numerator <= self.denominator:
            raise InvalidValue(field="rule " + self.name, detail="0 < numerator <= denominator")

    def reached(self, count: int, base: int) -> bool:
        """Whether ``count`` reaches this rule's share of ``base``."""
        lhs, rhs = count * self.denominator, base * self.numerator
        return lhs > rhs if self.strict else lhs >= rhs

    def minimum(self, base: int) -> int:
        """The smallest count that reaches the rule (for "x votes needed" displays)."""
        need = base * self.numerator // self.denominator
        return need + 1 if self.strict or need * self.denominator < base * self.numerator else need


QUORUM = "quorum"
MAJORITY = "majority_of_total"
TWO_THIRDS = "two_thirds_of_total"
REDUCED = "two_thirds_of_remaining"


def default_rules(kind: BodyKind) -> dict[str, Rule]:
    """The rules table a new body starts with."""
    rules = [
        Rule(
            QUORUM,
            2,
            3,
            strict=False,
            label_vi="Ít nhất hai phần ba tổng số đại biểu có mặt",
            label_en="At least two thirds of all delegates present",
        ),
        Rule(
            MAJORITY,
            1,
            2,
            strict=True,
            chair_breaks_tie=kind is BodyKind.UBND,
            label_vi="Quá nửa tổng số đại biểu tán thành",
            label_en="More than half of all delegates in favour",
        ),
    ]
    if kind is BodyKind.HDND:
        rules += [
            Rule(
                TWO_THIRDS,
                2,
                3,
                strict=False,
                label_vi="Ít nhất hai phần ba tổng số đại biểu tán thành",
                label_en="At least two thirds of all delegates in favour",
            ),
            Rule(
                REDUCED,
                2,
                3,
                strict=True,
                basis=Basis.SERVING,
                label_vi="Trên hai phần ba tổng số đại biểu còn lại tán thành",
                label_en="More than two thirds of the remaining delegates in favour",
            ),
        ]
    return {r.name: r for r in rules}


@dataclass(frozen=True)
class Headcount:
    """The numbers a rule can be measured against."""

    elected: int  # seats of the body
    serving: int  # delegates currently on the roster
    present: int
    total_basis: TotalBasis = TotalBasis.ELECTED

    @property
    def total(self) -> int:
        return self.elected if self.total_basis is TotalBasis.ELECTED else self.serving

    def base(self, basis: Basis) -> int:
        return {Basis.TOTAL: self.total, Basis.SERVING: self.serving, Basis.PRESENT: self.present}[
            basis
        ]


def quorum_met(rule: Rule, heads: Headcount) -> bool:
    """HĐND default: ``present * 3 >= total * 2``."""
    return rule.reached(heads.present, heads.base(rule.basis))


def needed(rule: Rule, heads: Headcount) -> int:
    """How many (delegates present for a quorum, votes in favour for a motion) reach ``rule``
    with these heads: the "N needed" a screen shows. A chair's tie-break is not counted."""
    return rule.minimum(heads.base(rule.basis))


def motion_passes(
    rule: Rule, tally: Tally, heads: Headcount, chair_choice: Choice | None = None
) -> bool:
    """Whether a tally passes: e.g. ``yes * 2 > total`` — of ALL delegates, not those present."""
    base = heads.base(rule.basis)
    if rule.reached(tally.yes, base):
        return True
    exact_half = tally.yes * rule.denominator == base * rule.numerator
    return rule.chair_breaks_tie and exact_half and chair_choice is Choice.YES


def reduced_membership_applies(elected: int, serving: int, months_left: int) -> bool:
    """Fewer than 2/3 of the delegates remain with at most 18 months of the term left:
    only listed matters may be decided, by the ``two_thirds_of_remaining`` rule."""
    return serving * 3 < elected * 2 and months_left <= 18


def percent_text(count: int, total: int) -> str:
    """``count`` as a share of ``total`` with two decimals and a decimal comma: ``96,59%``.
    Rounded half up in integer arithmetic, so the minutes never show float noise."""
    if total <= 0:
        return "0,00%"
    hundredths = (count * 20000 + total) // (2 * total)
    return f"{hundredths // 100},{hundredths % 100:02d}%"
