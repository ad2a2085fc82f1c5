"""Face data: consent first, then enrolment or deletion; each match is audited. The templates
themselves live outside the log (``face_templates``, sealed), written in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from meetingapp.errors import InvalidTransition, NotFound
from meetingapp.events import Event
from meetingapp.session.base import Change, MachineBase, require_text
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import Consent, World


@event("face_consent", replica=False)
@dataclass(frozen=True)
class FaceConsent(Payload):
    delegate_id: str
    given: bool
    text_version: str


@reducer(FaceConsent)
def _face_consent(w: World, p: FaceConsent, e: Event) -> None:
    w.consents[p.delegate_id] = Consent(p.given, p.text_version, e.ts)


@event("face_enrolled", replica=False)
@dataclass(frozen=True)
class FaceEnrolled(Payload):
    delegate_id: str
    templates: int


@reducer(FaceEnrolled)
def _face_enrolled(w: World, p: FaceEnrolled, e: Event) -> None:
    w.enrolled[p.delegate_id] = p.templates


@event("face_deleted", replica=False)
@dataclass(frozen=True)
class FaceDeleted(Payload):
    delegate_id: str
    reason: str = ""


@reducer(FaceDeleted)
def _face_deleted(w: World, p: FaceDeleted, e: Event) -> None:
    w.enrolled.pop(p.delegate_id, None)


@event("face_match", replica=False)
@dataclass(frozen=True)
class FaceMatch(Payload):
    """Audit only: who was matched, how closely, with which outcome."""

    outcome: str
    delegate_id: str | None = None
    distance: float | None = None


@reducer(FaceMatch)
def _face_match(w: World, p: FaceMatch, e: Event) -> None:
    """Changes no state: the event is the audit record."""


class Faces(MachineBase):
    def record_consent(
        self, delegate_id: str, *, given: bool, text_version: str, actor: str = ""
    ) -> Event:
        if delegate_id not in self.world.delegates:
            raise NotFound(kind="delegate", ident=delegate_id)
        require_text("text_version", text_version)
        return self._one(FaceConsent(delegate_id, given, text_version), actor=actor)

    def face_enrolled(
        self,
        delegate_id: str,
        templates: int,
        *,
        store: Callable[[Database], None],
        actor: str = "",
    ) -> Event:
        """Record an enrolment; ``store`` writes the sealed templates in the same transaction."""
        consent = self.world.consents.get(delegate_id)
        if consent is None or not consent.given:
            raise InvalidTransition("enrol_face", "reason.no_consent")
        change = Change(FaceEnrolled(delegate_id, templates), side_effect=store)
        return self._commit([change], actor=actor)[0]

    def face_deleted(self, delegate_id: str, *, reason: str, actor: str = "") -> Event:
        def delete(db: Database) -> None:
            db.execute("DELETE FROM face_templates WHERE delegate_id = ?", [delegate_id])

        change = Change(FaceDeleted(delegate_id, reason), side_effect=delete)
        return self._commit([change], actor=actor)[0]

    def face_match(
        self,
        session_id: str,
        *,
        delegate_id: str | None,
        distance: float | None,
        outcome: str,
        actor: str = "",
    ) -> Event:
        return self._one(FaceMatch(outcome, delegate_id, distance), session_id, actor=actor)
