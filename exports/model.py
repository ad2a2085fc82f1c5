"""The minutes as plain data: everything the DOCX needs, nothing about where it came from.
Built from the session's state by ``meetingapp.minutes``; rendered by ``exports.docx_minutes``."""

from __future__ import annotations

from dataclasses import dataclass

from meetingapp.domain import BallotForm, BodyKind, Choice, ItemKind
from meetingapp.results import VoteResult


@dataclass(frozen=True)
class Person:
    name: str
    title: str = ""
    unit: str = ""
    honorific: str = ""  # "Ông" / "Bà" from the roster; empty: labels.HONORIFIC_NEUTRAL


@dataclass(frozen=True)
class DocumentRef:
    title: str
    doc_type: str = ""
    number_symbol: str = ""


@dataclass(frozen=True)
class ItemEntry:
    order: int
    title: str
    presenter: str
    kind: ItemKind
    documents: tuple[DocumentRef, ...] = ()


@dataclass(frozen=True)
class Cue:
    """One transcript segment: seconds from the start of the speech's recording."""

    start: float
    end: float
    text: str
    speaker: str = ""  # who said it when not the floor-holder (the chair's interjection)


@dataclass(frozen=True)
class SpeechPart:
    """A run of one person's words inside a speech whose speaker changes were marked."""

    speaker: Person
    text: str
    chair: bool = False  # the chair's interjection, not the floor-holder's words


@dataclass(frozen=True)
class SpeechEntry:
    speaker: Person
    item_title: str
    started_at: str
    ended_at: str
    text: str  # verbatim, with the clerk's corrections applied
    edited: bool = False  # the clerk changed the machine transcript
    cues: tuple[Cue, ...] = ()  # the segments with their real times (corrections applied)
    parts: tuple[SpeechPart, ...] = ()  # who said what, when the console marked a change


@dataclass(frozen=True)
class SecretCounts:
    issued: int
    returned: int
    valid: int
    invalid: int


@dataclass(frozen=True)
class MotionEntry:
    title: str
    form: BallotForm
    result: VoteResult  # the figures every screen shows, from meetingapp.results.vote_result
    rule_label: str
    named: dict[Choice, tuple[str, ...]] | None = None  # names per choice (open ballots)
    secret: SecretCounts | None = None
    resolution: str = ""  # "01/NQ-HĐND" when it passed and issues a resolution


@dataclass(frozen=True)
class AttendanceEntry:
    person: Person
    present: bool
    method: str = ""
    at: str = ""
    reason: str = ""


@dataclass(frozen=True)
class MinutesModel:
    body_kind: BodyKind
    body_name: str  # "Hội đồng nhân dân xã Tân Phú"
    issuer_lines: tuple[str, ...]  # ("HỘI ĐỒNG NHÂN DÂN", "XÃ TÂN PHÚ")
    summary: str  # "Kỳ họp thứ Năm Hội đồng nhân dân xã Tân Phú, nhiệm kỳ 2021-2026"
    started_at: str  # ISO 8601
    ended_at: str  # empty while the session is still open (a draft states no closing)
    place: str
    present: int
    total: int
    absent_with_reason: tuple[tuple[str, str], ...]
    absent_without_reason: tuple[str, ...]
    quorum_met: bool
    guests: tuple[str, ...]
    chairs: tuple[Person, ...]
    secretary: Person | None
    items: tuple[ItemEntry, ...]
    speeches: tuple[SpeechEntry, ...]
    motions: tuple[MotionEntry, ...]
    attendance: tuple[AttendanceEntry, ...]
    log_hash: str
    number: int | None = None  # assigned on finalisation
    year: int | None = None
    place_date: str = ""  # "Tân Phú, ngày 05 tháng 01 năm 2026" when the body wants it
    recipients: tuple[str, ...] = ()
    late_arrivals: tuple[tuple[str, str], ...] = ()  # (name, ISO time of arrival)
    early_departures: tuple[tuple[str, str, str], ...] = ()  # (name, ISO time, reason)
