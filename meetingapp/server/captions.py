"""Live captions: while a delegate speaks, the last seconds of the recording are transcribed
every couple of seconds and pushed to everyone in the session (hall display, tablets, clerk)
as an unnumbered ``caption`` message; the final transcript replaces them when the speech ends.

Captions are NOT events in the hash-chained log: they are a preview of text that the final
transcription (logged as ``transcript_ready``) supersedes, they would add tens of entries per
minute of speech to a log that must be read and verified for years, and a client that missed
some needs only the next one. A client that reconnects gets the next caption within seconds.

Captions run on their own thread with greedy decoding and no rescoring (speed over accuracy),
sharing the transcription queue's loaded model (CTranslate2 serialises the two threads' calls;
a second copy of the model would cost the host about 300 MB).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from asr.recording import RATE, SAMPLE_BYTES
from asr.transcribe import DecodeSettings, Segment, Transcriber, collapse_repeats, is_hallucination

log = logging.getLogger(__name__)

CAPTION_SETTINGS = replace(DecodeSettings(), rescore=False, beam_size=1)


@dataclass
class _Live:
    session_id: str
    chunks: int = 0  # chunks on disk when last seen
    captioned: int = 0  # chunks covered by the last caption


class LiveCaptions:
    """``heard`` after each stored chunk, ``ended`` when the speech ends; thread-safe."""

    def __init__(
        self,
        model: Callable[[], Transcriber],
        audio_dir: Path,
        send: Callable[[str, dict[str, Any]], None],
        *,
        interval_s: float = 2.0,
        window_s: float = 8.0,
        settings: DecodeSettings = CAPTION_SETTINGS,
    ) -> None:
        self._model = model
        self.audio_dir = audio_dir
        self.send = send
        self.interval_s = interval_s
        self.window_s = window_s
        self.settings = settings
        self._live: dict[str, _Live] = {}
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def heard(self, session_id: str, speech_id: str, index: int) -> None:
        with self._lock:
            live = self._live.setdefault(speech_id, _Live(session_id))
            live.chunks = max(live.chunks, index + 1)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="captions", daemon=True)
                self._thread.start()
            self._lock.notify()

    def ended(self, speech_id: str) -> None:
        with self._lock:
            self._live.pop(speech_id, None)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._lock.notify()

    def _next(self) -> tuple[str, _Live] | None:
        with self._lock:
            while not self._stopped:
                for speech_id, live in self._live.items():
                    if live.chunks > live.captioned:
                        return speech_id, live
                self._lock.wait()
            return None

    def _run(self) -> None:
        while (item := self._next()) is not None:
            speech_id, live = item
            started = time.monotonic()
            try:
                self._caption(speech_id, live)
            except Exception:  # noqa: BLE001 - captions are best effort; the transcript follows
                log.exception("live caption of %s failed", speech_id)
                live.captioned = live.chunks
            rest = self.interval_s - (time.monotonic() - started)
            if rest > 0:
                time.sleep(rest)

    def _tail(self, speech_id: str, chunks: int) -> tuple[bytes, float]:
        """The last ``window_s`` seconds of the recording, and the seconds recorded."""
        folder = self.audio_dir / speech_id
        files = sorted(folder.glob("chunk-*.pcm"))[:chunks]
        total = sum(p.stat().st_size for p in files) / SAMPLE_BYTES / RATE
        need = int(self.window_s * RATE * SAMPLE_BYTES)
        parts: list[bytes] = []
        for p in reversed(files):
            parts.insert(0, p.read_bytes())
            if sum(map(len, parts)) >= need:
                break
        pcm = b"".join(parts)[-need:]
        return pcm, total

    def _caption(self, speech_id: str, live: _Live) -> None:
        import numpy as np

        chunks = live.chunks
        pcm, upto = self._tail(speech_id, chunks)
        live.captioned = chunks
        if not pcm:
            return
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        raw, _ = self._model().model.transcribe(audio, **self.settings.options())
        text = " ".join(
            collapse_repeats(s.text.strip())
            for s in raw
            if not is_hallucination(
                Segment(s.start, s.end, s.text, s.avg_logprob, s.no_speech_prob)
            )
        ).strip()
        if speech_id not in self._live:  # ended meanwhile: the final transcript follows
            return
        self.send(
            live.session_id,
            {
                "type": "caption",
                "speech_id": speech_id,
                "text": text,
                "upto": round(upto, 2),  # seconds of speech the caption has heard
                "final": False,
            },
        )
