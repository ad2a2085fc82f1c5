"""The minutes' stages: finalised (numbered per body and calendar year, the PDF frozen by its
hash), then signed in the legal order — secretary, chair, seal (``SIGNATURE_ORDER``).

The host renders the documents (``server/minutes.py``) and checks the signatures themselves
cryptographically; whether a session may be finalised, which number it takes and whether a
signed copy is the next legal stage are decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from meetingapp.domain import (
    SIGNATURE_ORDER,
    SIGNED_STAGE,
    Minutes,
    MinutesState,
    SessionState,
)
from meetingapp.errors import InvalidTransition, InvalidValue
from meetingapp.events import Event
from meetingapp.session.base import MachineBase, now_iso
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import World, record_of


@event("minutes_finalised")
@dataclass(frozen=True)
class MinutesFinalised(Payload):
    number: int
    year: int
    pdf_sha256: str
    docx_sha256: str = ""


@reducer(MinutesFinalised)
def _minutes_finalised(w: World, p: MinutesFinalised, e: Event) -> None:
    record_of(w, e).minutes = Minutes(
        e.session_id or "", MinutesState.FINALISED, p.number, p.year, p.pdf_sha256
    )


@event("minutes_signed")
@dataclass(frozen=True)
class MinutesSigned(Payload):
    """A signed copy, checked by the host; ``fields`` are its signatures in order."""

    sha256: str
    fields: tuple[str, ...]
    signers: tuple[str, ...] = ()


@reducer(MinutesSigned)
def _minutes_signed(w: World, p: MinutesSigned, e: Event) -> None:
    rec = record_of(w, e)
    if rec.minutes is None:
        return
    rec.minutes = replace(
        rec.minutes, state=SIGNED_STAGE[len(p.fields)], signed_sha256=p.sha256, signed_by=p.fields
    )


class MinutesStages(MachineBase):
    def next_minutes_number(self, body_id: str, year: int) -> int:
        """Minutes are numbered per body and calendar year from 01."""
        taken = [
            r.minutes.number
            for r in self.world.sessions.values()
            if r.session.body_id == body_id
            and r.minutes is not None
            and r.minutes.year == year
            and r.minutes.number is not None
        ]
        return max(taken, default=0) + 1

    def minutes_number(self, session_id: str) -> tuple[int, int]:
        """The (number, year) the session's minutes would take if finalised now; refused
        when the session is not closed or its minutes are already final."""
        rec = self.record(session_id)
        if rec.minutes is not None:
            raise InvalidTransition("finalise_minutes", "reason.minutes_final")
        if rec.session.state is not SessionState.CLOSED:
            raise InvalidTransition("finalise_minutes", "reason.session_not_closed")
        year = int((rec.session.closed_at or now_iso())[:4])
        return self.next_minutes_number(rec.session.body_id, year), year

    def minutes_finalised(
        self,
        session_id: str,
        *,
        number: int,
        year: int,
        docx_sha256: str,
        pdf_sha256: str,
        actor: str = "",
    ) -> Event:
        """Record the finalised minutes under the number ``minutes_number`` gave; refused if
        another session took that number meanwhile."""
        if self.minutes_number(session_id) != (number, year):
            raise InvalidTransition("finalise_minutes", "reason.minutes_final")
        payload = MinutesFinalised(number, year, pdf_sha256, docx_sha256)
        return self._one(payload, session_id, actor=actor)

    def signing_stage(self, session_id: str, fields: Sequence[str]) -> MinutesState:
        """The stage a signed copy with signature ``fields`` reaches; refused unless the
        minutes are final and the fields are the legal order's next step."""
        rec = self.record(session_id)
        if rec.minutes is None:
            raise InvalidTransition("store_signed_minutes", "reason.minutes_not_final")
        n = len(fields)
        legal = 1 <= n <= len(SIGNATURE_ORDER) and tuple(fields) == SIGNATURE_ORDER[:n]
        if not legal or n <= len(rec.minutes.signed_by):
            raise InvalidValue(field="signatures", detail=", ".join(fields) or "-")
        return SIGNED_STAGE[n]

    def minutes_signed(
        self,
        session_id: str,
        *,
        sha256: str,
        fields: Sequence[str],
        signers: Sequence[str],
        actor: str = "",
    ) -> Event:
        """A signed copy of the finalised minutes was checked and stored."""
        self.signing_stage(session_id, fields)
        payload = MinutesSigned(sha256, tuple(fields), tuple(signers))
        return self._one(payload, session_id, actor=actor)
