"""Which espeak-ng voice and rate the bundled model understands best: the demo's speeches
(meetingapp/demo_script.py) synthesised with each, transcribed with the shipped settings,
scored against the text. Prints one JSON line per voice, best CER first.

    python bench/demo_voices.py [--voices vi:140 vi:120 ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asr.metrics import corpus_error  # noqa: E402
from asr.models import resolve  # noqa: E402
from asr.normalize import normalize  # noqa: E402
from asr.transcribe import Transcriber  # noqa: E402
from meetingapp.demo_script import SPEECHES  # noqa: E402

VOICES = [
    "vi:140",  # shipped in the demo until now
    "vi:120",
    "vi:100",
    "vi-vn-x-south:120",
    "vi-vn-x-central:120",
    "vi+f3:120",
]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--voices", nargs="+", default=VOICES)
    args = p.parse_args()
    model = Transcriber(resolve("bundled"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.voices:
            voice, rate = spec.split(":")
            pairs = []
            for i, (_speaker, _item, text) in enumerate(SPEECHES):
                wav = Path(tmp) / f"{voice}-{rate}-{i}.wav"
                subprocess.run(
                    ["espeak-ng", "-v", voice, "-s", rate, "-w", str(wav), text], check=True
                )
                pairs.append((normalize(text), normalize(model.text(wav))))
            rows.append(
                {
                    "voice": voice,
                    "rate": int(rate),
                    "wer": round(corpus_error(pairs, unit="word"), 4),
                    "cer": round(corpus_error(pairs, unit="char"), 4),
                    "sample": pairs[0][1][:120],
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    for row in sorted(rows, key=lambda r: r["cer"]):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
