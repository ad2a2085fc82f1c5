"""Request bodies of the host's API. pydantic validates each one before any handler runs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from meetingapp.domain import AttendanceMethod, BallotForm, BodyKind, Choice, ItemKind, TotalBasis
from meetingapp.rules import Basis
from meetingapp.wire import Role

Text = Field(min_length=1, max_length=300)
Id = Field(min_length=1, max_length=64)
CommandId = Field(min_length=8, max_length=100, description="client-generated; a retry reuses it")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PairingCodeIn(Strict):
    role: Role
    delegate_id: str | None = Field(None, max_length=64)


class PairIn(Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z -]{1,20}$")
    device_name: str = Field(min_length=1, max_length=100)


class LoginIn(Strict):
    delegate_id: str = Id
    pin: str = Field(pattern=r"^\d{4,8}$")


class BodyIn(Strict):
    kind: BodyKind
    name: str = Text
    total_seats: int = Field(ge=1, le=10_000)
    term: str = Field("", max_length=50)
    total_basis: TotalBasis = TotalBasis.ELECTED


class DelegateIn(Strict):
    full_name: str = Text
    title: str = Field("", max_length=200)
    unit: str = Field("", max_length=200)
    seat: str = Field("", max_length=20)
    contact: str = Field("", max_length=200)
    pin: str | None = Field(None, pattern=r"^\d{4,8}$")
    id: str = Field("", max_length=64)
    honorific: Literal["", "Ông", "Bà"] = ""  # empty: a neutral form in the minutes


class DelegatesIn(Strict):
    delegates: list[DelegateIn] = Field(min_length=1, max_length=2000)


class SessionIn(Strict):
    body_id: str = Id
    number: int = Field(ge=1, le=1000)
    title: str = Text
    place: str = Field("", max_length=300)
    term: str = Field("", max_length=50)
    scheduled_start: str = Field("", max_length=40)
    public: bool = True
    chair_panel: list[str] = Field(default_factory=list, max_length=20)
    secretaries: list[str] = Field(default_factory=list, max_length=20)
    guests: list[str] = Field(default_factory=list, max_length=200)


class ItemIn(Strict):
    title: str = Text
    presenter: str = Field("", max_length=300)
    kind: ItemKind = ItemKind.REPORT


class CheckInIn(Strict):
    delegate_id: str | None = Field(None, max_length=64)
    method: AttendanceMethod
    reason: str = Field("", max_length=300)
    pin: str | None = Field(None, pattern=r"^\d{4,8}$")
    command_id: str | None = Field(None, min_length=8, max_length=100)


class CheckOutIn(Strict):
    delegate_id: str = Id
    reason: str = Text


class AbsenceIn(Strict):
    delegate_id: str = Id
    reason: str = Text


class RuleIn(Strict):
    """A body's own rule: ``count * denominator`` must reach ``base * numerator``."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")
    numerator: int = Field(ge=1, le=1000)
    denominator: int = Field(ge=1, le=1000)
    strict: bool
    basis: Basis = Basis.TOTAL
    chair_breaks_tie: bool = False
    label_vi: str = Field("", max_length=300)
    label_en: str = Field("", max_length=300)


class FloorIn(Strict):
    delegate_id: str | None = Field(None, max_length=64)
    command_id: str | None = Field(None, min_length=8, max_length=100)


class ReorderIn(Strict):
    order: list[str] = Field(max_length=1000)


class GrantIn(Strict):
    time_limit_s: int | None = Field(None, ge=1, le=36_000)


class PresenterIn(Strict):
    document_id: str = Id
    page: int = Field(ge=1, le=100_000)


class MotionIn(Strict):
    title: str = Text
    form: BallotForm
    rule: str = Field("majority_of_total", min_length=1, max_length=64)
    item_id: str | None = Field(None, max_length=64)
    allow_change: bool = True
    resolution: bool | None = None  # issues a numbered resolution when it passes (default: by item)


class BallotIn(Strict):
    choice: Choice
    command_id: str = CommandId
    pad: str = Field("", max_length=8, pattern=r"^ *$", description="domain.choice_padding")


class HandsIn(Strict):
    yes: int = Field(ge=0, le=10_000)
    no: int = Field(ge=0, le=10_000)
    abstain: int = Field(ge=0, le=10_000)


class ConsentIn(Strict):
    given: bool
    text_version: str = Field(min_length=1, max_length=50)


class EnrolIn(Strict):
    photos: list[str] = Field(min_length=1, max_length=5, description="base64 JPEG/PNG/WebP")


class FaceCheckinIn(Strict):
    delegate_id: str | None = Field(None, max_length=64, description="1:1 at a seat tablet")
