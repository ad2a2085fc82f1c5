"""Plain domain types: no I/O, no Qt. Everything the session state machine keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class BodyKind(StrEnum):
    HDND = "hdnd"  # Hội đồng nhân dân — People's Council
    UBND = "ubnd"  # Ủy ban nhân dân — People's Committee


class TotalBasis(StrEnum):
    """What "the total number of delegates" means for majorities (a per-body setting)."""

    ELECTED = "elected"  # seats elected at the start of the term
    SERVING = "serving"  # delegates currently serving (on the roster)


class SessionState(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class ItemKind(StrEnum):
    REPORT = "report"  # báo cáo
    PROPOSAL = "proposal"  # tờ trình
    RESOLUTION = "resolution"  # nghị quyết
    QA = "qa"  # chất vấn


class ItemState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DONE = "done"


class AttendanceMethod(StrEnum):
    FACE = "face"
    PIN = "pin"
    QR = "qr"
    MANUAL = "manual"


class FloorState(StrEnum):
    WAITING = "waiting"
    WITHDRAWN = "withdrawn"
    GRANTED = "granted"


class BallotForm(StrEnum):
    SHOW_OF_HANDS = "show_of_hands"  # giơ tay
    ELECTRONIC = "electronic"  # biểu quyết điện tử
    SECRET = "secret"  # bỏ phiếu kín


class Choice(StrEnum):
    YES = "yes"  # Tán thành
    NO = "no"  # Không tán thành
    ABSTAIN = "abstain"  # Không biểu quyết


def choice_padding(choice: Choice | str) -> str:
    """Spaces that make every choice as long as the longest on the wire: a ballot's request and
    receipt have the same size whatever the choice, so the length of the encrypted traffic
    says nothing about a (secret) ballot."""
    return " " * (max(len(c.value) for c in Choice) - len(Choice(choice).value))


class MotionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class MinutesState(StrEnum):
    DRAFT = "draft"
    FINALISED = "finalised"
    SIGNED_SECRETARY = "signed_secretary"
    SIGNED_CHAIR = "signed_chair"
    SEALED = "sealed"


# The signature fields of the minutes PDF in their legal order: secretary, chair, seal. The
# state machine checks a signed copy against it; ``exports.signing`` draws the fields by it.
SIGNATURE_ORDER = ("ThuKy", "ChuToa", "DauCoQuan")
SIGNED_STAGE = {
    1: MinutesState.SIGNED_SECRETARY,
    2: MinutesState.SIGNED_CHAIR,
    3: MinutesState.SEALED,
}


@dataclass(frozen=True)
class Body:
    """An organisation that meets: one People's Council or People's Committee."""

    id: str
    kind: BodyKind
    name: str  # e.g. "Hội đồng nhân dân tỉnh Lâm Đồng"
    total_seats: int
    term: str = ""  # e.g. "2021-2026", or "XI, 2021-2026" (khóa XI) for the minutes' title
    total_basis: TotalBasis = TotalBasis.ELECTED
    rules: dict[str, str] = field(default_factory=dict)  # purpose -> rule name, see rules.py


@dataclass(frozen=True)
class Delegate:
    id: str
    body_id: str
    full_name: str
    title: str = ""  # chức vụ
    unit: str = ""  # đơn vị / tổ đại biểu
    seat: str = ""
    contact: str = ""
    pin_hash: str = ""
    honorific: str = ""  # "Ông" / "Bà" from the roster; empty: the minutes use a neutral form


@dataclass(frozen=True)
class AgendaItem:
    id: str
    order: int
    title: str
    presenter: str = ""
    kind: ItemKind = ItemKind.REPORT
    state: ItemState = ItemState.PENDING


@dataclass(frozen=True)
class Document:
    id: str
    item_id: str
    title: str
    doc_type: str = ""  # Tờ trình, Báo cáo, Dự thảo nghị quyết…
    number_symbol: str = ""  # e.g. "125/TTr-UBND"
    file_hash: str = ""
    pages: int = 0


@dataclass(frozen=True)
class Attendance:
    delegate_id: str
    present: bool
    method: AttendanceMethod
    at: str
    confidence: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class FloorRequest:
    id: str
    delegate_id: str
    item_id: str
    requested_at: str
    state: FloorState = FloorState.WAITING


@dataclass(frozen=True)
class ReviewWord:
    """A word the speech model was unsure of (probability below 0.5), for the clerk to check."""

    text: str
    start: float  # seconds into the speech's recording
    end: float
    probability: float


@dataclass(frozen=True)
class TranscriptSegment:
    start: float
    end: float
    text: str  # as recognised; never overwritten
    edited: str | None = None  # the clerk's correction, kept beside the original
    edited_by: str = ""
    edited_at: str = ""
    review: tuple[ReviewWord, ...] = ()
    # who said it when the console marked a speaker change inside the speech (a delegate id);
    # empty: the floor-holder
    speaker: str = ""

    @property
    def final(self) -> str:
        return self.text if self.edited is None else self.edited


@dataclass(frozen=True)
class SpeakerMark:
    """From ``offset_s`` seconds into a speech, ``delegate_id`` speaks (the chair interjects,
    or the floor goes back to the speaker); marked at the console, timed by the host."""

    offset_s: float
    delegate_id: str


@dataclass(frozen=True)
class Speech:
    id: str
    delegate_id: str
    item_id: str
    started_at: str
    ended_at: str = ""
    audio_ref: str = ""  # sha256 of the joined recording (WAV) in the file store
    audio_seconds: float = 0.0
    time_limit_s: int | None = None  # speaking time granted, for the timer on every screen
    segments: tuple[TranscriptSegment, ...] = ()
    asr: str = ""  # model and settings that produced the segments
    marks: tuple[SpeakerMark, ...] = ()  # speaker changes inside the recording, in time order

    def speaker_at(self, seconds: float) -> str:
        """Who speaks ``seconds`` into the recording: the last mark before it, else the
        floor-holder."""
        who = self.delegate_id
        for mark in self.marks:
            if mark.offset_s <= seconds:
                who = mark.delegate_id
        return who

    def speaker_of(self, segment: TranscriptSegment) -> str:
        return segment.speaker or self.delegate_id

    def seconds_left(self, now: datetime | None = None) -> float | None:
        """Speaking time left (negative: over; None: no limit, or no valid start), as every
        screen counts it: the Qt console and display, the web seat and the web display."""
        if not self.time_limit_s:
            return None
        try:
            started = datetime.fromisoformat(self.started_at)
        except ValueError:
            return None
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        now = now or datetime.now(UTC)
        return float(self.time_limit_s - (now - started).total_seconds())

    @property
    def transcript(self) -> str:
        return " ".join(s.final for s in self.segments).strip()

    @property
    def edited(self) -> bool:
        return any(s.edited is not None for s in self.segments)


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass(frozen=True)
class MotionResult:
    tally: Tally
    total: int  # the denominator of the rule ("total delegates" or "remaining")
    present: int
    not_voting: int  # present but cast nothing
    passed: bool
    rule: str


@dataclass(frozen=True)
class Motion:
    id: str
    item_id: str
    title: str
    form: BallotForm
    rule: str
    allow_change: bool = True
    state: MotionState = MotionState.OPEN
    opened_at: str = ""
    closed_at: str = ""
    ballots: dict[str, Choice] = field(default_factory=dict)  # named ballots only
    participants: frozenset[str] = frozenset()  # who cast a ballot (all forms but hands)
    hands: Tally | None = None  # counts entered by the secretary for a show of hands
    result: MotionResult | None = None
    resolution: bool = False  # adopting it issues a resolution (nghị quyết)
    resolution_number: int | None = None  # assigned when it passes: per body and year
    resolution_year: int | None = None


@dataclass(frozen=True)
class Session:
    """One sitting (kỳ họp / phiên họp) of a body."""

    id: str
    body_id: str
    number: int  # kỳ họp thứ …
    title: str
    place: str = ""
    term: str = ""
    scheduled_start: str = ""
    public: bool = True
    chair_panel: tuple[str, ...] = ()
    secretaries: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    state: SessionState = SessionState.SCHEDULED
    opened_at: str = ""
    closed_at: str = ""


@dataclass(frozen=True)
class Minutes:
    session_id: str
    state: MinutesState = MinutesState.DRAFT
    number: int | None = None  # assigned once, on finalisation
    year: int | None = None
    pdf_sha256: str = ""  # the finalised PDF, before any signature
    signed_sha256: str = ""  # the latest signed copy (each signature an incremental update)
    signed_by: tuple[str, ...] = ()  # signature fields, in order: ThuKy, ChuToa, DauCoQuan


@dataclass(frozen=True)
class DelegateSpec:
    """A delegate to add to a body's roster (from the UI, a CSV/XLSX row or the demo)."""

    full_name: str
    title: str = ""
    unit: str = ""
    seat: str = ""
    contact: str = ""
    pin_hash: str = ""
    id: str = ""
    honorific: str = ""  # "Ông" / "Bà" (roster.HONORIFICS), or empty
