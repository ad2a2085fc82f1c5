"""Face check-in on the host: consent, enrolment into encrypted templates, and roll-call
sessions that combine identification, frame voting and the liveness challenge.

Image work runs in worker threads (never on the event loop or the writer thread); only the
resulting decisions go through the writer as events."""

from __future__ import annotations

import io
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from sqlite_utils import Database

from attendance.errors import FaceError
from attendance.faces import Face, analyse, detect, enrolment_face
from attendance.images import load_rgb
from attendance.liveness import PLANAR_MAX, HeadTurnChallenge, Liveness, planar_score
from attendance.matching import Candidate, FrameVoter, Gallery, Match, Thresholds, decide
from attendance.vault import TemplateVault
from meetingapp.errors import MeetingAppError, NotFound
from meetingapp.i18n import tr
from meetingapp.session import SessionMachine

MIN_PHOTOS, MAX_PHOTOS = 3, 5


class EnrolmentRefused(MeetingAppError):
    """Some photos failed the quality gate: nothing was stored; each problem is named."""

    key = "face.enrol_refused"

    def __init__(self, problems: list[tuple[int, FaceError]], count: int) -> None:
        self.problems = problems
        self.count = count
        super().__init__(count=count)

    def message(self, lang: str | None = None) -> str:
        lines = [
            tr(
                "face.too_few",
                lang,
                minimum=MIN_PHOTOS,
                maximum=MAX_PHOTOS,
                count=self.count - len(self.problems),
            )
        ]
        label = "Ảnh" if (lang or "vi") == "vi" else "Photo"
        lines += [f"  {label} {i + 1}: {err.message(lang)}" for i, err in self.problems]
        return "\n".join(lines)


def encode_enrolment(photos: list[bytes]) -> list[np.ndarray]:
    """Check every photo; return the encodings only when 3–5 photos all pass."""
    problems: list[tuple[int, FaceError]] = []
    encodings = []
    for i, data in enumerate(photos):
        try:
            face = enrolment_face(load_rgb(data))
        except FaceError as exc:
            problems.append((i, exc))
            continue
        if face.encoding is not None:
            encodings.append(face.encoding)
    if problems or not MIN_PHOTOS <= len(encodings) <= MAX_PHOTOS:
        raise EnrolmentRefused(problems, len(photos))
    return encodings


def store_enrolment(
    machine: SessionMachine,
    vault: TemplateVault,
    delegate_id: str,
    encodings: list[np.ndarray],
    *,
    actor: str = "",
) -> int:
    """Replace the delegate's templates (sealed) and log the enrolment, in one transaction."""
    if delegate_id not in machine.world.delegates:
        raise NotFound(kind="delegate", ident=delegate_id)
    sealed = [vault.seal(e) for e in encodings]

    def write(db: Database) -> None:
        db.execute("DELETE FROM face_templates WHERE delegate_id = ?", [delegate_id])
        for blob in sealed:
            db.execute(
                "INSERT INTO face_templates (template_id, delegate_id, sealed, "
                "created_at) VALUES (?, ?, ?, ?)",
                [uuid.uuid4().hex, delegate_id, blob, machine.clock()],
            )

    machine.face_enrolled(delegate_id, len(sealed), store=write, actor=actor)
    return len(sealed)


def withdraw(machine: SessionMachine, delegate_id: str, *, actor: str = "") -> None:
    """Consent withdrawn: the templates are deleted; PIN/QR check-in remains."""
    machine.record_consent(delegate_id, given=False, text_version="withdrawal", actor=actor)
    machine.face_deleted(delegate_id, reason="consent withdrawn", actor=actor)


def load_templates(
    db: Database, vault: TemplateVault, delegate_ids: set[str] | None = None
) -> dict[str, list[np.ndarray]]:
    out: dict[str, list[np.ndarray]] = {}
    for did, blob in db.execute("SELECT delegate_id, sealed FROM face_templates"):
        if delegate_ids is None or did in delegate_ids:
            out.setdefault(did, []).append(vault.open(blob))
    return out


@dataclass
class FrameResult:
    liveness: Liveness
    prompt: str
    verdict: str  # accept | uncertain | reject | no_face
    candidates: list[tuple[str, float]]
    winner: str | None  # the delegate agreed on by the frame vote


@dataclass
class CheckinAttempt:
    """One person in front of a camera: a liveness challenge plus the frame vote."""

    id: str
    session_id: str
    gallery: Gallery
    expected: str | None = None  # a seat tablet bound to one delegate: 1:1
    thresholds: Thresholds = field(default_factory=Thresholds)
    challenge: HeadTurnChallenge = field(default_factory=HeadTurnChallenge.random)
    voter: FrameVoter = field(init=False)
    started: float = field(default_factory=time.monotonic)
    thumbnail: bytes = b""
    frontal: np.ndarray | None = None  # grey crop around the face at the frontal frame
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.voter = FrameVoter(self.thresholds)

    def feed(self, image: bytes, lang: str = "vi") -> FrameResult:
        img = load_rgb(image, max_side=1280)
        faces = analyse(img, detect(img))
        now = time.monotonic() - self.started
        with self.lock:
            if not faces:
                state = (
                    self.challenge.expire(now)
                    if now > self.challenge.timeout_s
                    else self.challenge.state
                )
                return FrameResult(state, self.challenge.prompt(lang), "no_face", [], None)
            face = max(faces, key=lambda f: f.height)  # the person nearest the camera
            self.thumbnail = _thumbnail(img, face)
            had_baseline, turns = self.challenge.has_baseline, self.challenge.turns_done
            state = self.challenge.feed(face.yaw, now)
            grey = np.asarray(Image.fromarray(img).convert("L"))
            if not had_baseline and self.challenge.has_baseline:
                self.frontal = _around(grey, face.box)
            elif (  # a counted turn must not be the frontal frame seen through a plane
                self.challenge.turns_done > turns
                and self.frontal is not None
                and planar_score(self.frontal, grey, face.box) >= PLANAR_MAX
            ):
                state = self.challenge.reject()
            match = self._match(face)
            winner = self.voter.add(match)
            verdict = decide(match, self.thresholds)
            cands = [(c.delegate_id, round(c.distance, 3)) for c in match.candidates]
            return FrameResult(state, self.challenge.prompt(lang), verdict.value, cands, winner)

    def _match(self, face: Face) -> Match:
        if face.encoding is None:
            return Match(())
        if self.expected is not None:
            dist = self.gallery.verify(face.encoding, self.expected)
            return Match((Candidate(self.expected, dist),)) if np.isfinite(dist) else Match(())
        return self.gallery.identify(face.encoding)


def _around(grey: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The face with half its size around it (features of the whole head for the fit)."""
    top, right, bottom, left = box
    ph, pw = (bottom - top) // 2, (right - left) // 2
    h, w = grey.shape[:2]
    return grey[max(0, top - ph) : min(h, bottom + ph), max(0, left - pw) : min(w, right + pw)]


def _thumbnail(img: np.ndarray, face: Face) -> bytes:
    top, right, bottom, left = face.box
    pad = (bottom - top) // 3
    h, w = img.shape[:2]
    crop = Image.fromarray(
        img[max(0, top - pad) : min(h, bottom + pad), max(0, left - pad) : min(w, right + pad)]
    )
    crop.thumbnail((160, 160))
    buf = io.BytesIO()
    crop.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def vault_for(data_dir: Path) -> TemplateVault:
    """The template key is kept apart from the data (meetingapp.keys, docs/security.md)."""
    from meetingapp.keys import face_key_from_passphrase, face_key_path

    derived = face_key_from_passphrase(data_dir)
    if derived is not None:
        return TemplateVault(data_dir / "keys" / "face-templates.salt", key=derived)
    return TemplateVault(face_key_path(data_dir))
