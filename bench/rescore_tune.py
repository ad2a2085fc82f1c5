"""Choose the rescoring weights (a, b) by two-fold cross-validation on the cached N-best lists
of the development sets (bench/nbest_cache.py): each half of the clips is scored with the
weights that did best on the other half. Prints JSON: the model's own choice, the oracle
(best of N), the cross-validated figures per set, and the weights to ship (the mean of the two
folds' choices: never fitted on the whole of the dev sets).

    python bench/rescore_tune.py [--cache bench/cache] [--n 8]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asr.metrics import edit_distance  # noqa: E402
from asr.normalize import normalize  # noqa: E402
from asr.rescore import Weights, default_lm, score_all  # noqa: E402
from asr.transcribe import Segment, is_hallucination  # noqa: E402

A_GRID = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0]
B_GRID = [0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0]


def load(path: Path, lm):
    """clips: (set, reference words, reference chars, [window: [Scored]])."""
    clips = []
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        windows = []
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
            windows.append(scored)
        clips.append((path.stem.split("_")[0], normalize(rec["reference"]), windows))
    return clips


def errors(clip, pick) -> tuple[int, int, int, int]:
    _name, ref, windows = clip
    hyp = normalize(" ".join(pick(w).text for w in windows))
    return (
        edit_distance(ref.split(), hyp.split()),
        len(ref.split()),
        edit_distance(list(ref), list(" ".join(hyp.split()))),
        len(ref),
    )


def rate(clips, pick) -> dict[str, float]:
    e = [errors(c, pick) for c in clips]
    return {
        "wer": round(sum(x[0] for x in e) / max(sum(x[1] for x in e), 1), 4),
        "cer": round(sum(x[2] for x in e) / max(sum(x[3] for x in e), 1), 4),
    }


def chooser(w: Weights):
    return lambda scored: max(scored, key=lambda s: (s.combined(w), -s.index))


def word_errors(clips, w: Weights) -> int:
    pick = chooser(w)
    return sum(errors(c, pick)[0] for c in clips)


def best_weights(clips) -> Weights:
    grid = [Weights(a, b) for a, b in itertools.product(A_GRID, B_GRID)]
    return min(grid, key=lambda w: (word_errors(clips, w), w.a + w.b))


def oracle(clips) -> float:
    """Best of N per clip (clips with one speech window; others keep the model's choice)."""
    edits = words = 0
    for name, ref, windows in clips:
        if len(windows) == 1:
            edits += min(errors((name, ref, [[h]]), lambda s: s[0])[0] for h in windows[0])
        else:
            edits += errors((name, ref, windows), lambda s: s[0])[0]
        words += len(ref.split())
    return round(edits / max(words, 1), 4)


def cross_validate(sets: dict[str, list]) -> dict:
    """Two folds, each half of every set (alternate clips in manifest order): each half scored
    with the weights that did best on the other half; shipped = the mean of the two."""
    folds: list[list] = [[], []]
    for clips in sets.values():
        for i, c in enumerate(clips):
            folds[i % 2].append(c)
    chosen = [best_weights(folds[1 - k]) for k in range(2)]
    ship = Weights(
        round((chosen[0].a + chosen[1].a) / 2, 3), round((chosen[0].b + chosen[1].b) / 2, 3)
    )
    result: dict = {"fold_weights": [vars(w) for w in chosen], "ship": vars(ship)}
    for name, clips in sets.items():
        cv_pairs = []
        for k in range(2):
            pick = chooser(chosen[k])
            cv_pairs += [errors(c, pick) for i, c in enumerate(clips) if i % 2 == k]
        result[name] = {
            "clips": len(clips),
            "model_top": rate(clips, lambda s: s[0]),
            "oracle_wer": oracle(clips),
            "cross_validated": {
                "wer": round(sum(x[0] for x in cv_pairs) / max(sum(x[1] for x in cv_pairs), 1), 4),
                "cer": round(sum(x[2] for x in cv_pairs) / max(sum(x[3] for x in cv_pairs), 1), 4),
            },
            "shipped_weights": rate(clips, chooser(ship)),
        }
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--cache", default=str(ROOT / "bench" / "cache"))
    p.add_argument("--n", type=int, default=8)
    args = p.parse_args()
    lm = default_lm()
    sets = {}
    for name in ("vivos", "fosd"):
        path = Path(args.cache) / f"{name}_n{args.n}.jsonl"
        if path.exists():
            sets[name] = load(path, lm)
    result = {"n": args.n, **cross_validate(sets)}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
