"""Transcription with faster-whisper: Vietnamese, VAD on, beam search, council hotwords, and
filters for Whisper's known hallucinations. Segments stream out with progress."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from asr.nbest import Hypothesis, NBestDecoder, Window
from asr.normalize import normalize
from asr.rescore import SyllableLM, Vocabulary, Weights, choose, default_lm, score_all

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodeSettings:
    """The shipped defaults; every run records the settings it used."""

    language: str = "vi"
    beam_size: int = 5
    vad_filter: bool = True
    temperature: tuple[float, ...] = (0.0,)  # no sampling fallback: faster, no wild retries
    condition_on_previous_text: bool = False  # one bad segment must not poison the next
    # never drop a window as "no speech": VAD already removed silence, and noisy rooms made the
    # model call real speech silent (measured on FOSD, see docs/asr.md)
    no_speech_threshold: float | None = None
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    hotwords: str | None = None
    without_timestamps: bool = False  # segment timestamps drive playback sync in review
    vad_threshold: float = 0.35  # softer than Silero's 0.5: noisy speech was being cut
    vad_speech_pad_ms: int = 400
    initial_prompt: str | None = None
    # a light penalty on tokens already emitted: beats the quoted baseline on all four dev
    # figures while keeping timestamps (1.10 and a generic prompt measured too: docs/asr.md)
    repetition_penalty: float = 1.05
    patience: float = 1.0
    cpu_threads: int = 0  # 0: let CTranslate2 decide
    # N-best rescoring with the Vietnamese LM (asr/rescore.py): each voice-activity window is
    # decoded once for its ``nbest`` best hypotheses, chosen by model + a × LM + b × pairs
    rescore: bool = True
    nbest: int = 8
    lm_weight: float = Weights.a
    pair_weight: float = Weights.b
    max_window_s: float = 20.0

    def options(self) -> dict[str, Any]:
        """faster-whisper's ``transcribe`` arguments (the path without rescoring)."""
        opts = asdict(self)
        for key in ("cpu_threads", "rescore", "nbest", "lm_weight", "pair_weight", "max_window_s"):
            opts.pop(key)
        opts["temperature"] = list(self.temperature)
        opts["vad_parameters"] = {
            "threshold": opts.pop("vad_threshold"),
            "speech_pad_ms": opts.pop("vad_speech_pad_ms"),
        }
        return opts


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    words: tuple[Word, ...] = ()  # with the model's probability of each (N-best path)


@dataclass
class Progress:
    seconds_done: float = 0.0
    seconds_total: float = 0.0

    @property
    def percent(self) -> float:
        return 100.0 * self.seconds_done / self.seconds_total if self.seconds_total else 0.0


OUTROS = [
    re.compile(p)
    for p in (
        r"subscribe",
        r"đăng ký kênh",
        r"không bỏ lỡ những video",
        r"like và share",
        r"cảm ơn các bạn đã (theo dõi|xem)",
        r"hẹn gặp lại các bạn",
        r"ghiền mì gõ",
    )
]


def is_hallucination(seg: Segment) -> bool:
    """Video outros, text over silence, and loops of the same words."""
    text = normalize(seg.text)
    if not text:
        return True
    if any(p.search(text) for p in OUTROS):
        return True
    if seg.no_speech_prob > 0.8 and seg.avg_logprob < -0.8:
        return True
    words = text.split()
    return len(words) >= 12 and len(set(words)) <= len(words) // 6


def collapse_repeats(text: str, max_repeats: int = 2) -> str:
    """Cut a phrase repeated over and over (a decoding loop) down to ``max_repeats`` times."""
    words = text.split()
    for size in range(1, 16):
        i = 0
        out: list[str] = []
        while i < len(words):
            chunk = words[i : i + size]
            reps = 1
            while words[i + reps * size : i + (reps + 1) * size] == chunk:
                reps += 1
            out += chunk * min(reps, max_repeats)
            i += size * reps
        words = out
    return " ".join(words)


def echoes_prompt(text: str, hotwords: str) -> bool:
    """Whisper sometimes "reads out" its hotword prompt (a list of names, agenda titles) when
    the audio is unclear. True when most of the segment's word triples come from the prompt."""
    words = normalize(text).split()
    if len(words) < 4 or not hotwords:
        return False
    vocab = normalize(hotwords).split()
    prompt = {tuple(vocab[i : i + 3]) for i in range(len(vocab) - 2)}
    triples = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return sum(t in prompt for t in triples) * 2 >= len(triples)


def hotwords_for(names: Sequence[str], titles: Sequence[str]) -> str:
    """Council vocabulary from the roster and the agenda (helps at no speed cost)."""
    base = [
        "Hội đồng nhân dân",
        "Ủy ban nhân dân",
        "chủ tọa",
        "nghị quyết",
        "tờ trình",
        "đại biểu",
        "biểu quyết",
        "thư ký",
        "kỳ họp",
    ]
    words = list(dict.fromkeys([*base, *names, *titles]))
    return ", ".join(words)[:800]


def pick_device() -> tuple[str, str]:
    """("cuda", "float16") when a GPU is usable, else ("cpu", "int8")."""
    try:
        import ctranslate2

        if ctranslate2.get_cuda_device_count() > 0:
            return "cuda", "float16"
    except (ImportError, RuntimeError):
        pass
    return "cpu", "int8"


def preload_cuda_libraries() -> list[str]:
    """Load cuBLAS and cuDNN from the ``gpu`` extra's PyPI wheels (nvidia-cublas-cu12,
    nvidia-cudnn-cu12) so CTranslate2 finds them without LD_LIBRARY_PATH. Best effort: returns
    the libraries loaded."""
    import ctypes
    import importlib.util

    loaded = []
    for package, names in (
        ("nvidia.cublas", ("libcublasLt.so.12", "libcublas.so.12")),
        ("nvidia.cudnn", ("libcudnn.so.9",)),
    ):
        try:
            spec = importlib.util.find_spec(package)
        except ModuleNotFoundError:
            continue
        if spec is None or not spec.submodule_search_locations:
            continue
        lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
        for name in names:
            try:
                ctypes.CDLL(str(lib / name), mode=ctypes.RTLD_GLOBAL)
                loaded.append(name)
            except OSError:
                pass
    return loaded


@dataclass
class Transcriber:
    """One loaded model. Calls from several threads are serialised by CTranslate2."""

    model_dir: Path
    settings: DecodeSettings = field(default_factory=DecodeSettings)
    device: str = "auto"

    def __post_init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel

        device, compute = (
            pick_device()
            if self.device == "auto"
            else (self.device, "float16" if self.device == "cuda" else "int8")
        )
        self.fallback = ""  # why CUDA was not used, when it was asked for and failed
        if device == "cuda":
            try:
                preload_cuda_libraries()
                self.model = WhisperModel(str(self.model_dir), device="cuda", compute_type=compute)
                # cuBLAS/cuDNN load at the first call: try one now, not mid-meeting
                import numpy as np

                self.model.encode(np.zeros((self.model.model.n_mels, 3000), dtype=np.float32))
            except (RuntimeError, ValueError, OSError) as exc:
                self.fallback = f"CUDA did not start ({exc}); using the CPU"
                log.warning("%s", self.fallback)
                device, compute = "cpu", "int8"
        self.device, self.compute_type = device, compute
        if device != "cuda":
            self.model = WhisperModel(
                str(self.model_dir),
                device=device,
                compute_type=compute,
                cpu_threads=self.settings.cpu_threads,
            )
        self._decoder: NBestDecoder | None = None
        self._lm_cache: tuple[Vocabulary, SyllableLM] | None = None

    def segments(
        self,
        audio: str | Path | Any,
        *,
        progress: Callable[[Progress], None] | None = None,
        hotwords: str | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> Iterator[Segment]:
        """Transcribe; yields kept segments as they are decoded (stop iterating to cancel).
        ``vocabulary``: the session's own words, added to the rescoring LM."""
        if self.settings.rescore:
            yield from self._rescored(audio, progress, hotwords, vocabulary)
            return
        opts = self.settings.options()
        if hotwords:
            if isinstance(audio, str | Path):
                from faster_whisper import decode_audio

                # kept in memory (16 kHz float32: 4 MB a minute) to re-decode echoing segments
                audio = decode_audio(str(audio))
            opts["hotwords"] = hotwords
        raw, info = self.model.transcribe(
            audio if not isinstance(audio, Path) else str(audio), **opts
        )
        state = Progress(0.0, float(info.duration))
        for s in raw:
            seg = Segment(
                s.start, s.end, collapse_repeats(s.text.strip()), s.avg_logprob, s.no_speech_prob
            )
            state.seconds_done = min(seg.end, state.seconds_total)
            if progress:
                progress(state)
            if hotwords and echoes_prompt(seg.text, hotwords):
                log.info("segment %.1f–%.1f echoes the hotwords: %r", seg.start, seg.end, seg.text)
                yield from self._without_prompt(audio, seg)
                continue
            if is_hallucination(seg):
                log.info("dropped hallucinated segment %.1f–%.1f: %r", seg.start, seg.end, seg.text)
                continue
            yield seg
        if progress:
            state.seconds_done = state.seconds_total
            progress(state)

    def lm_for(self, vocabulary: Vocabulary | None) -> SyllableLM:
        """The word-list LM, with the session's vocabulary when there is one (cached per
        vocabulary: a session's speeches share it)."""
        if vocabulary is None or vocabulary.empty:
            return default_lm()
        if self._lm_cache is None or self._lm_cache[0] != vocabulary:
            self._lm_cache = (vocabulary, default_lm().with_text(vocabulary.terms, vocabulary.text))
        return self._lm_cache[1]

    def decoder(self) -> NBestDecoder:
        if self._decoder is None:
            st = self.settings
            self._decoder = NBestDecoder(
                self.model,
                n=st.nbest,
                language=st.language,
                repetition_penalty=st.repetition_penalty,
                vad_threshold=st.vad_threshold,
                vad_speech_pad_ms=st.vad_speech_pad_ms,
                max_window_s=st.max_window_s,
            )
        return self._decoder

    def _rescored(
        self,
        audio: str | Path | Any,
        progress: Callable[[Progress], None] | None,
        hotwords: str | None,
        vocabulary: Vocabulary | None,
    ) -> Iterator[Segment]:
        import numpy as np
        from faster_whisper import decode_audio

        if not isinstance(audio, np.ndarray):
            audio = decode_audio(str(audio) if isinstance(audio, str | Path) else audio)
        lm = self.lm_for(vocabulary)
        decoder = self.decoder()
        weights = Weights(self.settings.lm_weight, self.settings.pair_weight)
        state = Progress(0.0, len(audio) / 16000)
        for window, encoded in decoder.nbest(audio, hotwords):
            seg = self._pick(decoder, window, encoded, lm, weights, hotwords)
            state.seconds_done = min(window.end, state.seconds_total)
            if progress:
                progress(state)
            if seg is not None:
                yield seg
        if progress:
            state.seconds_done = state.seconds_total
            progress(state)

    def _pick(
        self,
        decoder: NBestDecoder,
        window: Window,
        encoded: Any,
        lm: SyllableLM,
        weights: Weights,
        hotwords: str | None,
    ) -> Segment | None:
        """The window's hypothesis with the best combined score, hallucinations left out."""

        def kept(hyps: list[Hypothesis]) -> list[Hypothesis]:
            return [
                h
                for h in hyps
                if not is_hallucination(
                    Segment(window.start, window.end, h.text, h.score, window.no_speech_prob)
                )
            ]

        cands = kept(window.hypotheses)
        if hotwords and cands:
            plain = [h for h in cands if not echoes_prompt(h.text, hotwords)]
            if not plain:  # every hypothesis reads out the prompt: decode without it
                log.info("window %.1f–%.1f echoes the hotwords", window.start, window.end)
                plain = kept(decoder.decode(encoded, None)[0])
            cands = plain
        if not cands:
            return None
        scored = score_all(lm, [h.text for h in cands], [h.logprob for h in cands])
        best = cands[choose(scored, weights).index]
        words = tuple(Word(*w) for w in decoder.words(encoded, best, window))
        start = words[0].start if words else window.start
        end = words[-1].end if words else window.end
        return Segment(
            start,
            max(end, start),
            collapse_repeats(best.text),
            best.score,
            window.no_speech_prob,
            words,
        )

    def _without_prompt(self, audio: Any, seg: Segment) -> Iterator[Segment]:
        """Decode one segment's stretch of audio again, without the hotwords."""
        import numpy as np

        if not isinstance(audio, np.ndarray):  # a stream we cannot seek: the echo is dropped
            return
        rate = 16000
        piece = audio[int(seg.start * rate) : int(seg.end * rate) + rate // 4]
        raw, _ = self.model.transcribe(piece, **self.settings.options())
        for s in raw:
            again = Segment(
                seg.start + s.start,
                min(seg.start + s.end, seg.end),
                collapse_repeats(s.text.strip()),
                s.avg_logprob,
                s.no_speech_prob,
            )
            if not is_hallucination(again):
                yield again

    def text(self, audio: str | Path | Any, **kw: Any) -> str:
        return " ".join(s.text for s in self.segments(audio, **kw)).strip()
