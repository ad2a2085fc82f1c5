"""N-best decoding per voice-activity window: the model's N best hypotheses for each stretch of
speech, with the model's scores, so a Vietnamese language model can pick among them
(asr/rescore.py). Each window keeps its real start and end in the recording, and the chosen
hypothesis gets word times and word probabilities from the model's cross-attention alignment.

This goes below ``WhisperModel.transcribe`` (faster-whisper 1.2.1 returns one hypothesis per
window) to the CTranslate2 call it wraps: ``model.model.generate(..., num_hypotheses=N,
return_scores=True)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

RATE = 16000
PREPEND = "\"'“¿([{-"  # faster-whisper's defaults
APPEND = "\"'.。,，!！?？:：”)]}、"


@dataclass(frozen=True)
class Hypothesis:
    text: str
    tokens: tuple[int, ...]
    score: float  # CTranslate2's score: log-probability / token count (length_penalty 1)

    @property
    def logprob(self) -> float:
        """The hypothesis's total log-probability under the model."""
        return self.score * max(len(self.tokens), 1)


@dataclass
class Window:
    """A stretch of speech (seconds in the recording) and its hypotheses, best first."""

    start: float
    end: float
    hypotheses: list[Hypothesis] = field(default_factory=list)
    no_speech_prob: float = 0.0


def speech_windows(
    audio: np.ndarray,
    *,
    threshold: float = 0.35,
    speech_pad_ms: int = 400,
    max_window_s: float = 20.0,
    max_gap_s: float = 1.5,
) -> list[tuple[int, int]]:
    """Silero VAD's speech chunks (split at ``max_window_s``), neighbours closer than
    ``max_gap_s`` merged while the window stays under ``max_window_s``. Sample indices."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(
        threshold=threshold, speech_pad_ms=speech_pad_ms, max_speech_duration_s=max_window_s
    )
    chunks = get_speech_timestamps(audio, opts)
    windows: list[tuple[int, int]] = []
    for c in chunks:
        s, e = int(c["start"]), int(c["end"])
        if windows:
            ps, pe = windows[-1]
            if s - pe <= max_gap_s * RATE and e - ps <= max_window_s * RATE:
                windows[-1] = (ps, e)
                continue
        windows.append((s, e))
    return windows


class NBestDecoder:
    """Wraps a loaded ``faster_whisper.WhisperModel``; not thread-safe (one per worker)."""

    def __init__(
        self,
        whisper: Any,
        *,
        n: int = 8,
        language: str = "vi",
        repetition_penalty: float = 1.05,
        vad_threshold: float = 0.35,
        vad_speech_pad_ms: int = 400,
        max_window_s: float = 20.0,
    ) -> None:
        from faster_whisper.tokenizer import Tokenizer

        self.whisper = whisper
        self.n = n
        self.repetition_penalty = repetition_penalty
        self.vad_threshold, self.vad_speech_pad_ms = vad_threshold, vad_speech_pad_ms
        self.max_window_s = max_window_s
        self.tokenizer = Tokenizer(
            whisper.hf_tokenizer,
            whisper.model.is_multilingual,
            task="transcribe",
            language=language,
        )

    def windows(self, audio: np.ndarray) -> list[tuple[int, int]]:
        return speech_windows(
            audio,
            threshold=self.vad_threshold,
            speech_pad_ms=self.vad_speech_pad_ms,
            max_window_s=self.max_window_s,
        )

    def encode(self, piece: np.ndarray) -> Any:
        from faster_whisper.audio import pad_or_trim

        features = self.whisper.feature_extractor(piece)
        return self.whisper.encode(pad_or_trim(features[:, :-1]))

    def decode(self, encoded: Any, hotwords: str | None = None) -> tuple[list[Hypothesis], float]:
        prompt = self.whisper.get_prompt(
            self.tokenizer, [], without_timestamps=True, hotwords=hotwords or None
        )
        result = self.whisper.model.generate(
            encoded,
            [prompt],
            beam_size=self.n,
            num_hypotheses=self.n,
            patience=1.0,
            length_penalty=1.0,
            repetition_penalty=self.repetition_penalty,
            max_length=self.whisper.max_length,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        hyps = []
        for ids, score in zip(result.sequences_ids, result.scores, strict=True):
            ids = [t for t in ids if t < self.tokenizer.eot]
            hyps.append(Hypothesis(self.tokenizer.decode(ids).strip(), tuple(ids), float(score)))
        return hyps, float(result.no_speech_prob)

    def nbest(self, audio: np.ndarray, hotwords: str | None = None) -> Iterator[tuple[Window, Any]]:
        """(window with its hypotheses, the window's encoder output) for each speech window."""
        for s, e in self.windows(audio):
            piece = audio[s:e]
            encoded = self.encode(piece)
            hyps, no_speech = self.decode(encoded, hotwords)
            yield Window(s / RATE, e / RATE, hyps, no_speech), encoded

    def words(
        self, encoded: Any, hyp: Hypothesis, window: Window
    ) -> list[tuple[str, float, float, float]]:
        """(word, start s, end s, probability) for the hypothesis, times in the recording."""
        from faster_whisper.transcribe import merge_punctuations

        if not hyp.tokens:
            return []
        frames = int(
            round((window.end - window.start) * RATE / self.whisper.feature_extractor.hop_length)
        )
        aligned = self.whisper.find_alignment(
            self.tokenizer, [list(hyp.tokens)], encoded, max(min(frames, 3000), 1)
        )[0]
        merge_punctuations(aligned, PREPEND, APPEND)  # "đáp" "." -> "đáp."
        out = []
        for w in aligned:
            word = w["word"].strip()
            if not word:
                continue
            out.append(
                (
                    word,
                    round(window.start + float(w["start"]), 2),
                    round(min(window.start + float(w["end"]), window.end), 2),
                    round(float(w["probability"]), 3),
                )
            )
        return out
