"""``meetingapp asr-eval``: WER, CER, real-time factor and peak memory on a manifest."""

from __future__ import annotations

import csv
import resource
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from asr.metrics import corpus_error
from asr.normalize import normalize
from asr.transcribe import DecodeSettings, Transcriber


def read_manifest(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    if not rows or not {"audio", "text"} <= set(rows[0]):
        raise ValueError(f"{path}: needs the columns audio and text")
    return rows


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def audio_seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        return float(container.duration or 0) / 1_000_000


def evaluate(
    manifest: Path,
    model_dir: Path,
    settings: DecodeSettings,
    *,
    hyp_out: Path | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] = lambda i, n: None,
) -> dict[str, Any]:
    rows = read_manifest(manifest)[:limit]
    base = manifest.parent
    start = time.perf_counter()
    model = Transcriber(model_dir, settings)
    load_s = time.perf_counter() - start
    pairs, out_rows = [], []
    audio_total = decode_total = 0.0
    cpu_start = time.process_time()
    for i, row in enumerate(rows):
        path = base / row["audio"]
        seconds = float(row["duration_s"]) if row.get("duration_s") else audio_seconds(path)
        t0 = time.perf_counter()
        hyp = model.text(path)
        took = time.perf_counter() - t0
        audio_total += seconds
        decode_total += took
        ref_n, hyp_n = normalize(row["text"]), normalize(hyp)
        pairs.append((ref_n, hyp_n))
        out_rows.append((row["audio"], row["text"], hyp, f"{took:.3f}"))
        progress(i + 1, len(rows))
    if hyp_out:
        with hyp_out.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t")
            w.writerow(["audio", "reference", "hypothesis", "seconds"])
            w.writerows(out_rows)
    return {
        "manifest": str(manifest),
        "clips": len(rows),
        "audio_s": round(audio_total, 1),
        "model": str(model_dir),
        "device": model.device,
        "compute_type": model.compute_type,
        "settings": {k: v for k, v in asdict(settings).items() if v is not None},
        "wer": round(corpus_error(pairs, unit="word"), 4),
        "cer": round(corpus_error(pairs, unit="char"), 4),
        "rtf": round(decode_total / audio_total, 3) if audio_total else None,
        # CPU seconds (all threads) per second of audio: unlike the RTF, not inflated when
        # other work shares the machine
        "cpu_per_audio_s": round((time.process_time() - cpu_start) / audio_total, 3)
        if audio_total
        else None,
        "model_load_s": round(load_s, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
