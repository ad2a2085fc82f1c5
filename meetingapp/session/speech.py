"""A speech's recording and transcript: the audio's hash, the recognised segments, and the
clerk's corrections (the recognised text stays beside each correction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from meetingapp.domain import ReviewWord, SpeakerMark, Speech, TranscriptSegment
from meetingapp.errors import InvalidTransition, InvalidValue, NotFound
from meetingapp.events import Event
from meetingapp.session.base import MachineBase
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import SessionRecord, World, record_of


@event("speech_audio")
@dataclass(frozen=True)
class SpeechAudio(Payload):
    speech_id: str
    sha256: str
    seconds: float


@reducer(SpeechAudio)
def _speech_audio(w: World, p: SpeechAudio, e: Event) -> None:
    rec = record_of(w, e)
    sp = rec.speeches[p.speech_id]
    rec.speeches[sp.id] = replace(sp, audio_ref=p.sha256, audio_seconds=p.seconds)


@event("transcript_ready")
@dataclass(frozen=True)
class TranscriptReady(Payload):
    speech_id: str
    # {"start": s, "end": s, "text": ..., "review": [[word, start, end, probability], ...]}
    segments: tuple[dict[str, Any], ...]
    asr: str


@reducer(TranscriptReady)
def _transcript_ready(w: World, p: TranscriptReady, e: Event) -> None:
    rec = record_of(w, e)
    sp = rec.speeches[p.speech_id]
    segments = tuple(
        TranscriptSegment(
            s["start"],
            s["end"],
            s["text"],
            review=tuple(ReviewWord(*w) for w in s.get("review", ())),
        )
        for s in p.segments
    )
    rec.speeches[sp.id] = attribute(replace(sp, segments=segments, asr=p.asr))


def attribute(sp: Speech) -> Speech:
    """Each segment's speaker from the speech's marks (by the segment's middle); without marks
    every segment is the floor-holder's and ``speaker`` stays empty."""
    if not sp.marks:
        return sp
    segments = tuple(
        replace(
            s,
            speaker=who if (who := sp.speaker_at((s.start + s.end) / 2)) != sp.delegate_id else "",
        )
        for s in sp.segments
    )
    return replace(sp, segments=segments)


@event("speaker_marked")
@dataclass(frozen=True)
class SpeakerMarked(Payload):
    speech_id: str
    delegate_id: str
    offset_s: float  # seconds since the speech started, measured by the host at receipt


@reducer(SpeakerMarked)
def _speaker_marked(w: World, p: SpeakerMarked, e: Event) -> None:
    rec = record_of(w, e)
    sp = rec.speeches[p.speech_id]
    marks = tuple(sorted((*sp.marks, SpeakerMark(p.offset_s, p.delegate_id)), key=_offset))
    rec.speeches[sp.id] = attribute(replace(sp, marks=marks))


def _offset(mark: SpeakerMark) -> float:
    return mark.offset_s


@event("transcript_edited")
@dataclass(frozen=True)
class TranscriptEdited(Payload):
    speech_id: str
    index: int
    text: str


@reducer(TranscriptEdited)
def _transcript_edited(w: World, p: TranscriptEdited, e: Event) -> None:
    rec = record_of(w, e)
    sp = rec.speeches[p.speech_id]
    segments = list(sp.segments)
    segments[p.index] = replace(segments[p.index], edited=p.text, edited_by=e.actor, edited_at=e.ts)
    rec.speeches[sp.id] = replace(sp, segments=tuple(segments))


class Speeches(MachineBase):
    def _speech(self, session_id: str, speech_id: str) -> SessionRecord:
        rec = self.record(session_id)
        if speech_id not in rec.speeches:
            raise NotFound(kind="speech", ident=speech_id)
        return rec

    def speech_audio(
        self, session_id: str, speech_id: str, *, sha256: str, seconds: float, actor: str = ""
    ) -> Event:
        self._speech(session_id, speech_id)
        payload = SpeechAudio(speech_id, sha256, round(seconds, 3))
        return self._one(payload, session_id, actor=actor)

    def transcript_ready(
        self,
        session_id: str,
        speech_id: str,
        *,
        segments: Sequence[dict[str, Any]],
        asr: str,
        actor: str = "",
    ) -> Event:
        self._speech(session_id, speech_id)
        payload = TranscriptReady(speech_id, tuple(segments), asr)
        return self._one(payload, session_id, actor=actor)

    def mark_speaker(
        self, session_id: str, speech_id: str, delegate_id: str, *, actor: str = ""
    ) -> Event:
        """From now on ``delegate_id`` speaks inside the running speech (the chair interjects,
        or the floor goes back to the speaker); the offset is taken from the host's clock."""
        rec = self._speech(session_id, speech_id)
        if rec.current_speech != speech_id:
            raise InvalidTransition("mark_speaker", "reason.speech_not_running")
        sp = rec.speeches[speech_id]
        if delegate_id not in (sp.delegate_id, *rec.session.chair_panel):
            raise InvalidValue(field="delegate_id", detail="the speaker or a chair of the session")
        started = datetime.fromisoformat(sp.started_at)
        offset = max(0.0, (datetime.fromisoformat(self.clock()) - started).total_seconds())
        payload = SpeakerMarked(speech_id, delegate_id, round(offset, 3))
        return self._one(payload, session_id, actor=actor)

    def edit_transcript(
        self, session_id: str, speech_id: str, index: int, text: str, *, actor: str = ""
    ) -> Event:
        """The clerk's correction of one segment; the recognised text stays beside it."""
        rec = self._speech(session_id, speech_id)
        if rec.minutes is not None:
            raise InvalidTransition("edit_transcript", "reason.minutes_final")
        if not 0 <= index < len(rec.speeches[speech_id].segments):
            raise NotFound(kind="segment", ident=str(index))
        payload = TranscriptEdited(speech_id, index, text.strip())
        return self._one(payload, session_id, actor=actor)
