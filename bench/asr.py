"""Speech-to-text figures: WER, CER, RTF and peak RSS on the development manifests for a list
of decoding settings, one JSON line per (set, setting). Each run is a separate process so peak
memory is per run.

    python bench/asr.py [--sets vivos fosd] [--settings shipped baseline ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "data" / "speech" / "dev"
SETTINGS = {
    # faster-whisper's defaults with beam 5 and VAD: the baseline of specs/asr.md
    "baseline": {
        "temperature": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
        "condition_on_previous_text": True,
        "no_speech_threshold": 0.6,
        "vad_threshold": 0.5,
        "vad_speech_pad_ms": 400,
    },
    "shipped": {},  # DecodeSettings() as shipped
    # the steps from the baseline to the shipped settings, as measured
    "no_fallback": {"no_speech_threshold": 0.6, "vad_threshold": 0.5, "vad_speech_pad_ms": 400},
    "keep_quiet": {"vad_threshold": 0.5, "vad_speech_pad_ms": 400},
    "vad_soft": {"no_speech_threshold": 0.6},
    "soft_pad600": {"vad_speech_pad_ms": 600},
    "softer": {"vad_threshold": 0.25, "vad_speech_pad_ms": 800},
    "no_timestamps": {"without_timestamps": True},
    "no_timestamps_vad50": {"without_timestamps": True, "vad_threshold": 0.5},
    "beam1": {"beam_size": 1},
    "beam8": {"beam_size": 8},
    "no_vad": {"vad_filter": False},
    # a generic Vietnamese sentence as the first prompt (orthography and punctuation, no
    # words from the test sets)
    "vi_prompt": {"initial_prompt": "Xin chào các bạn. Hôm nay, chúng ta cùng nhau trao đổi."},
    "rep100": {"repetition_penalty": 1.0},  # the shipped settings before the penalty
    "rep110": {"repetition_penalty": 1.10},
    "patience2": {"patience": 2.0},
    "no_timestamps_vad40": {"without_timestamps": True, "vad_threshold": 0.4},
}


def run_one(manifest: Path, name: str) -> dict[str, object]:
    code = (
        "import json,sys,dataclasses;"
        "from pathlib import Path;"
        "from asr.evaluate import evaluate;from asr.models import ensure_bundled_model;"
        "from asr.transcribe import DecodeSettings;"
        f"over=json.loads({json.dumps(json.dumps(SETTINGS[name]))});"
        "over={k:(tuple(v) if isinstance(v,list) else v) for k,v in over.items()};"
        "s=dataclasses.replace(DecodeSettings(),**over);"
        f"r=evaluate(Path({str(manifest)!r}),ensure_bundled_model(),s);"
        "print(json.dumps(r))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["setting"] = name
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=["vivos", "fosd"])
    parser.add_argument("--settings", nargs="+", default=["shipped", "baseline"])
    parser.add_argument("--manifest", type=Path, help="another manifest (audio, text columns)")
    args = parser.parse_args()
    manifests = (
        [args.manifest]
        if args.manifest
        else [SPEECH / f"{name}_manifest.tsv" for name in args.sets]
    )
    for manifest in manifests:
        for name in args.settings:
            r = run_one(manifest, name)
            keep = ("setting", "clips", "audio_s", "wer", "cer", "rtf", "peak_rss_mb")
            print(
                json.dumps(
                    {"set": manifest.stem.replace("_manifest", ""), **{k: r[k] for k in keep}}
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
