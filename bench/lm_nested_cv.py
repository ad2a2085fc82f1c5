"""Nested two-fold cross-validation of the whole choice (LM variant of bench/lm_study.py and
weights a, b): for each fold, the (variant, a, b) with the fewest word errors on the OTHER
fold is picked, then this fold is scored with it. An honest figure for a choice made among
many variants on the development sets. Prints one line per variant and the nested figures.

    python bench/lm_nested_cv.py [--cache bench/cache] [--n 8]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asr.rescore import FREQ, LEXICON, TEXT, load_base, load_lines  # noqa: E402
from bench.lm_study import VARIANTS, build  # noqa: E402
from bench.rescore_tune import best_weights, chooser, errors, load, word_errors  # noqa: E402

NUMBER_WORDS = set(
    [
        "không",
        "một",
        "hai",
        "ba",
        "bốn",
        "năm",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "mươi",
        "trăm",
        "nghìn",
        "triệu",
        "tỷ",
        "linh",
        "lăm",
        "mốt",
    ]
)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--cache", default=str(ROOT / "bench" / "cache"))
    p.add_argument("--n", type=int, default=8)
    args = p.parse_args()
    words, text, base = load_lines(LEXICON), load_lines(TEXT), load_base(FREQ)
    # one more variant: the running text without its sentences made mostly of numbers
    no_numbers = [
        s for s in text if sum(x in NUMBER_WORDS for x in s.split()) < 0.5 * len(s.split())
    ]
    variants = {name: (spec, text) for name, spec in VARIANTS.items()}
    variants["words+text3(no numbers)+freq+bos"] = (
        {"text": True, "order": 3, "base_weight": 0.5, "bos": True},
        no_numbers,
    )
    rows = {}
    for name, (spec, passages) in variants.items():
        lm = build(spec, words, passages, base)
        sets = {}
        for s in ("vivos", "fosd"):
            path = Path(args.cache) / f"{s}_n{args.n}.jsonl"
            if path.exists():
                sets[s] = load(path, lm)
        folds: list[list] = [[], []]
        for clips in sets.values():
            for i, c in enumerate(clips):
                folds[i % 2].append(c)
        row = {}
        for k in (0, 1):
            w = best_weights(folds[1 - k])
            pick = chooser(w)
            test = {}
            for s, clips in sets.items():
                e = [errors(c, pick) for i, c in enumerate(clips) if i % 2 == k]
                test[s] = [sum(x[0] for x in e), sum(x[1] for x in e)]
            row[k] = {
                "weights": vars(w),
                "train_errors": word_errors(folds[1 - k], w),
                "test": test,
            }
        rows[name] = row
        print(json.dumps({"variant": name, **row}, ensure_ascii=False), flush=True)
    # variants tied on the training fold are all "the pick": their test errors are averaged
    totals: dict[str, list[float]] = {}
    picks = []
    for k in (0, 1):
        fewest = min(rows[n][k]["train_errors"] for n in rows)
        tied = [n for n in rows if rows[n][k]["train_errors"] == fewest]
        picks.append({"fold": k, "tied_variants": {n: rows[n][k]["weights"] for n in tied}})
        for s in rows[tied[0]][k]["test"]:
            t = totals.setdefault(s, [0.0, 0.0])
            t[0] += sum(rows[n][k]["test"][s][0] for n in tied) / len(tied)
            t[1] += rows[tied[0]][k]["test"][s][1]
        for s in rows[tied[0]][k]["test"]:  # how much the tie-break alone moves the result
            errs = [rows[n][k]["test"][s][0] for n in tied]
            picks[-1][s + "_test_errors"] = {"min": min(errs), "max": max(errs)}
    nested = {s: round(e / max(n, 1), 4) for s, (e, n) in totals.items()}
    print(json.dumps({"picks": picks, "nested_cv_wer": nested}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
