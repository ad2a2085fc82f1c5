"""Decode the development manifests once with the N-best path (asr/nbest.py) and keep every
window's hypotheses and model scores in a JSON-lines file, so the rescoring weights can be
tuned (bench/rescore_tune.py) without decoding again. Resumable: clips already in the file are
skipped. Prints one JSON summary line per set.

    python bench/nbest_cache.py [--sets vivos fosd] [--n 8] [--out DIR] [--every K]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SPEECH = ROOT.parent / "shared" / "data" / "speech" / "dev"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sets", nargs="+", default=["vivos", "fosd"])
    p.add_argument("--n", type=int, default=8)
    p.add_argument("--out", default=str(ROOT / "bench" / "cache"))
    p.add_argument("--every", type=int, default=1, help="keep every K-th clip (subsample)")
    p.add_argument("--speech", default=str(SPEECH))
    args = p.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel, decode_audio

    from asr.evaluate import read_manifest
    from asr.models import resolve
    from asr.nbest import NBestDecoder

    model = WhisperModel(str(resolve("bundled")), device="cpu", compute_type="int8")
    decoder = NBestDecoder(model, n=args.n)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in args.sets:
        manifest = Path(args.speech) / f"{name}_manifest.tsv"
        rows = read_manifest(manifest)[:: args.every]
        path = out_dir / f"{name}_n{args.n}.jsonl"
        done = set()
        if path.exists():
            done = {json.loads(line)["audio"] for line in path.open(encoding="utf-8")}
        audio_s = took_s = 0.0
        with path.open("a", encoding="utf-8") as fh:
            for row in rows:
                if row["audio"] in done:
                    continue
                audio = decode_audio(str(manifest.parent / row["audio"]))
                t0 = time.perf_counter()
                windows = [w for w, _ in decoder.nbest(audio)]
                took = time.perf_counter() - t0
                audio_s += len(audio) / 16000
                took_s += took
                rec = {
                    "audio": row["audio"],
                    "reference": row["text"],
                    "duration_s": round(len(audio) / 16000, 3),
                    "decode_s": round(took, 3),
                    "windows": [
                        {
                            "start": w.start,
                            "end": w.end,
                            "no_speech_prob": round(w.no_speech_prob, 4),
                            "hyps": [
                                {"text": h.text, "score": h.score, "ntok": len(h.tokens)}
                                for h in w.hypotheses
                            ],
                        }
                        for w in windows
                    ],
                }
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                fh.flush()
        print(
            json.dumps(
                {
                    "set": name,
                    "clips": len(rows),
                    "audio_s": round(audio_s, 1),
                    "rtf_nbest": round(took_s / audio_s, 3) if audio_s else None,
                    "cache": str(path),
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
