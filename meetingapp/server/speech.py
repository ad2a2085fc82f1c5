"""Speech on the host: recording chunks as they arrive, the joined recording, and the
transcription queue (one model, one worker thread, progress to every console, cancellable,
and restartable: after a crash every speech with audio but no transcript is queued again)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from asr.recording import RATE, SAMPLE_BYTES, recovered_pcm, write_chunk, write_wav
from asr.rescore import Vocabulary
from asr.transcribe import DecodeSettings, Progress, Transcriber, hotwords_for
from meetingapp.errors import InvalidValue
from meetingapp.session.world import World
from meetingapp.store.files import FileStore

log = logging.getLogger(__name__)
MAX_CHUNK_BYTES = RATE * SAMPLE_BYTES * 2  # a chunk is at most a second; allow slack
REVIEW_BELOW = 0.5  # a word the model gave less than this probability is marked for review


def store_chunk(audio_dir: Path, speech_id: str, index: int, pcm: bytes) -> None:
    if not 0 <= index < 100_000:
        raise InvalidValue(field="chunk", detail="0..99999")
    if len(pcm) > MAX_CHUNK_BYTES or len(pcm) % SAMPLE_BYTES:
        raise InvalidValue(field="chunk", detail="16-bit mono PCM at 16 kHz, at most 1 s")
    write_chunk(audio_dir / speech_id, index, pcm)


def join_recording(audio_dir: Path, files: FileStore, speech_id: str) -> tuple[str, float]:
    """Join the chunks into one WAV in the file store: (sha256, seconds)."""
    pcm = recovered_pcm(audio_dir / speech_id)
    if not pcm:
        raise InvalidValue(field="audio", detail="no recording for this speech")
    tmp = audio_dir / speech_id / "joined.wav"
    write_wav(pcm, tmp)
    digest, _ = files.put(tmp.read_bytes(), kind="audio", suffix=".wav")
    tmp.unlink()
    return digest, len(pcm) / SAMPLE_BYTES / RATE


@dataclass(frozen=True)
class SessionWords:
    """A session's own vocabulary for its transcriptions: names, units, body, place and
    agenda titles, and the agenda documents (read on the transcription thread, not here)."""

    terms: tuple[str, ...] = ()
    documents: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Job:
    session_id: str
    speech_id: str
    audio: Path
    hotwords: str
    words: SessionWords = field(default_factory=SessionWords)


def hotwords_from(world: World, session_id: str) -> str:
    rec = world.sessions[session_id]
    names = [d.full_name for d in world.roster(rec.session.body_id)]
    titles = [i.title for i in rec.items.values()] + [d.title for d in rec.documents.values()]
    return hotwords_for(names, titles)


def session_words(world: World, session_id: str, files: FileStore) -> SessionWords:
    rec = world.sessions[session_id]
    body = world.bodies.get(rec.session.body_id)
    roster = world.roster(rec.session.body_id)
    terms = [
        *(d.full_name for d in roster),
        *(d.unit for d in roster),
        *(d.title for d in roster),
        body.name if body else "",
        rec.session.place,
        rec.session.title,
        *(i.title for i in rec.items.values()),
        *(d.title for d in rec.documents.values()),
    ]
    docs = [
        files.path_for(d.file_hash, kind="documents", suffix=".pdf")
        for d in rec.documents.values()
        if d.file_hash
    ]
    return SessionWords(tuple(dict.fromkeys(t for t in terms if t.strip())), tuple(docs))


def pdf_text(path: Path, limit: int = 400_000) -> str:
    """The text layer of a PDF (pypdfium2); empty for a scan or an unreadable file."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        log.warning("no text from %s: %s", path.name, exc)
        return ""
    parts, size = [], 0
    try:
        for page in pdf:
            text = page.get_textpage().get_text_range()
            parts.append(text)
            size += len(text)
            if size >= limit:
                break
    finally:
        pdf.close()
    return "\n".join(parts)[:limit]


class TranscriptionQueue:
    """Transcribes queued speeches one after another on its own thread."""

    def __init__(
        self,
        model_dir: Callable[[], Path],
        *,
        settings: DecodeSettings | None = None,
        on_progress: Callable[[Job, Progress], None],
        on_done: Callable[[Job, list[dict[str, Any]], str], None],
        on_error: Callable[[Job, Exception], None],
    ) -> None:
        self._model_dir = model_dir
        self.settings = settings or DecodeSettings()
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._cancelled: set[str] = set()
        self._queued: set[str] = set()
        self.on_progress, self.on_done, self.on_error = on_progress, on_done, on_error
        self._thread = threading.Thread(target=self._run, name="transcriber", daemon=True)
        self._model: Transcriber | None = None
        self._model_lock = threading.Lock()
        self._pdf_text: dict[Path, str] = {}  # the transcription thread only

    def vocabulary(self, words: SessionWords) -> Vocabulary:
        for path in words.documents:
            if path not in self._pdf_text:
                self._pdf_text[path] = pdf_text(path)
        text = tuple(t for t in (self._pdf_text[p] for p in words.documents) if t)
        return Vocabulary(words.terms, text)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._jobs.put(None)

    def submit(self, job: Job) -> bool:
        if job.speech_id in self._queued:
            return False
        self._cancelled.discard(job.speech_id)
        self._queued.add(job.speech_id)
        self._jobs.put(job)
        return True

    def cancel(self, speech_id: str) -> bool:
        if speech_id not in self._queued:
            return False
        self._cancelled.add(speech_id)
        return True

    @property
    def pending(self) -> set[str]:
        return set(self._queued)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                self._transcribe(job)
            except Exception as exc:  # noqa: BLE001 - reported to the consoles, queue goes on
                log.exception("transcription of %s failed", job.speech_id)
                self.on_error(job, exc)
            finally:
                self._queued.discard(job.speech_id)

    def model(self) -> Transcriber:
        """The loaded model, loaded once (the live captions share it; any thread)."""
        with self._model_lock:
            if self._model is None:
                self._model = Transcriber(self._model_dir(), self.settings)
            return self._model

    def _transcribe(self, job: Job) -> None:
        self.model()
        assert self._model is not None
        segments: list[dict[str, Any]] = []
        for seg in self._model.segments(
            job.audio,
            hotwords=job.hotwords,
            vocabulary=self.vocabulary(job.words),
            progress=lambda p: self.on_progress(job, p),
        ):
            if job.speech_id in self._cancelled:
                log.info("transcription of %s cancelled", job.speech_id)
                return
            entry: dict[str, Any] = {
                "start": round(seg.start, 2),
                "end": round(seg.end, 2),
                "text": seg.text,
            }
            if seg.words:  # the model's doubts, for the clerk's review
                entry["review"] = [
                    [w.text, w.start, w.end, w.probability]
                    for w in seg.words
                    if w.probability < REVIEW_BELOW
                ]
            segments.append(entry)
        asr = (
            f"{self._model_dir().name} {self._model.device}/{self._model.compute_type} "
            f"{ {k: v for k, v in asdict(self.settings).items() if k != 'hotwords'} }"
        )
        self.on_done(job, segments, asr)
