"""Long-form transcription: development clips joined (0.6 s of silence between) into one
recording of at least 10 minutes, transcribed in one go as a meeting recording would be.
Prints JSON: WER, CER, real-time factor, segments, peak RSS.

    python bench/asr_long.py [--minutes 10.5]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asr.evaluate import read_manifest  # noqa: E402
from asr.metrics import corpus_error  # noqa: E402
from asr.models import ensure_bundled_model  # noqa: E402
from asr.normalize import normalize  # noqa: E402
from asr.recording import RATE, decode_to_pcm, write_wav  # noqa: E402
from asr.transcribe import Transcriber  # noqa: E402

SPEECH = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech" / "dev"


def joined(minutes: float) -> tuple[bytes, list[str]]:
    pcm, refs = bytearray(), []
    gap = b"\x00\x00" * int(RATE * 0.6)
    for name in ("vivos", "fosd"):
        manifest = SPEECH / f"{name}_manifest.tsv"
        for row in read_manifest(manifest):
            pcm += decode_to_pcm(manifest.parent / row["audio"]) + gap
            refs.append(row["text"])
            if len(pcm) / 2 / RATE >= minutes * 60:
                return bytes(pcm), refs
    return bytes(pcm), refs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.5)
    args = parser.parse_args()
    pcm, refs = joined(args.minutes)
    with tempfile.TemporaryDirectory() as tmp:
        wav = write_wav(pcm, Path(tmp) / "long.wav")
        model = Transcriber(ensure_bundled_model())
        start = time.perf_counter()
        segments = list(model.segments(wav))
        took = time.perf_counter() - start
    seconds = len(pcm) / 2 / RATE
    ref = normalize(" ".join(refs))
    hyp = normalize(" ".join(s.text for s in segments))
    print(
        json.dumps(
            {
                "set": "long-form (vivos + fosd joined)",
                "audio_s": round(seconds, 1),
                "segments": len(segments),
                "wer": round(corpus_error([(ref, hyp)]), 4),
                "cer": round(corpus_error([(ref, hyp)], unit="char"), 4),
                "rtf": round(took / seconds, 3),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
