"""What a session's own documents do to the rescoring, on the cached N-best lists of the
development sets (bench/nbest_cache.py; no decoding here).

The clips of each set are grouped ten at a time in manifest order; a group's "agenda document"
is the running text of its ten reference sentences. Each clip is rescored three ways:
without a document, with its own group's document (it contains the words spoken, as when a
delegate reads from a report on the agenda), and with another group's document (unrelated
text: the document must not make such speech worse). Prints JSON with WER/CER per set.

Only the language-model side is measured here: hotwords (names and titles, unchanged by this
work) act in the decoder and would need a new decode.

    python bench/session_vocab.py [--cache bench/cache] [--n 8]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asr.metrics import edit_distance  # noqa: E402
from asr.normalize import normalize  # noqa: E402
from asr.rescore import Weights, choose, default_lm, score_all  # noqa: E402
from asr.transcribe import DecodeSettings, Segment, is_hallucination  # noqa: E402

GROUP = 10


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--cache", default=str(ROOT / "bench" / "cache"))
    p.add_argument("--n", type=int, default=8)
    args = p.parse_args()
    st = DecodeSettings()
    weights = Weights(st.lm_weight, st.pair_weight)
    base = default_lm()
    result: dict[str, object] = {"weights": vars(weights), "group": GROUP}
    for name in ("vivos", "fosd"):
        path = Path(args.cache) / f"{name}_n{args.n}.jsonl"
        if not path.exists():
            continue
        recs = [json.loads(line) for line in path.open(encoding="utf-8")]
        groups = [recs[i : i + GROUP] for i in range(0, len(recs), GROUP)]
        docs = [". ".join(r["reference"] for r in g) for g in groups]
        lms = [base.with_text((), (d,)) for d in docs]
        totals = {k: [0, 0, 0, 0] for k in ("none", "own_document", "unrelated_document")}
        for gi, group in enumerate(groups):
            other = (gi + 1) % len(groups)
            for rec in group:
                ref = normalize(rec["reference"])
                for key, lm in (
                    ("none", base),
                    ("own_document", lms[gi]),
                    ("unrelated_document", lms[other]),
                ):
                    words = []
                    for w in rec["windows"]:
                        hyps = [
                            h
                            for h in w["hyps"]
                            if not is_hallucination(Segment(w["start"], w["end"], h["text"]))
                        ]
                        if not hyps:
                            continue
                        scored = score_all(
                            lm, [h["text"] for h in hyps], [h["score"] * h["ntok"] for h in hyps]
                        )
                        words.append(choose(scored, weights).text)
                    hyp = normalize(" ".join(words))
                    t = totals[key]
                    t[0] += edit_distance(ref.split(), hyp.split())
                    t[1] += len(ref.split())
                    t[2] += edit_distance(list(ref), list(hyp))
                    t[3] += len(ref)
        result[name] = {
            "clips": len(recs),
            **{
                k: {"wer": round(t[0] / t[1], 4), "cer": round(t[2] / t[3], 4)}
                for k, t in totals.items()
            },
        }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
