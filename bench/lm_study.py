"""Which rescoring language model? Builds LM variants from the shipped resources (asr/data:
word list, running text, general syllable frequencies) and scores each on the cached N-best
lists of the development sets (bench/nbest_cache.py) by the same two-fold cross-validation as
bench/rescore_tune.py. Also counts how many 4-syllable sequences of the dev references the
running text contains (leakage check). Prints JSON.

    python bench/lm_study.py [--cache bench/cache] [--n 8] [--variants NAME ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asr.normalize import normalize  # noqa: E402
from asr.rescore import SyllableLM, load_base, load_lines  # noqa: E402
from bench.rescore_tune import cross_validate, load  # noqa: E402

VARIANTS: dict[str, dict] = {
    # name: use the running text, n-gram order, weight of the general frequencies, sentence
    # start, times the text is counted, discount
    "words": {"text": False, "order": 2},
    "words+text": {"text": True, "order": 2},
    "words+text+freq": {"text": True, "order": 2, "base_weight": 0.5},
    "words+freq": {"text": False, "order": 2, "base_weight": 0.5},
    "words+text3": {"text": True, "order": 3},
    "words+text3+freq": {"text": True, "order": 3, "base_weight": 0.5},
    "words+text3+freq+bos": {"text": True, "order": 3, "base_weight": 0.5, "bos": True},
    "words+text+freq+bos": {"text": True, "order": 2, "base_weight": 0.5, "bos": True},
    "words+text3x3+freq": {"text": True, "order": 3, "base_weight": 0.5, "text_weight": 3},
    "words+text+freq0.2": {"text": True, "order": 2, "base_weight": 0.2},
    "words+text+freq0.8": {"text": True, "order": 2, "base_weight": 0.8},
    "words+text3+freq0.2+bos": {"text": True, "order": 3, "base_weight": 0.2, "bos": True},
    # shipped (asr.rescore.default_lm)
    "words+text3+freq+bos+d0.9": {
        "text": True,
        "order": 3,
        "base_weight": 0.5,
        "bos": True,
        "discount": 0.9,
    },
}


def build(spec: dict, words: list[str], text: list[str], base: dict[str, float]) -> SyllableLM:
    return SyllableLM.from_phrases(
        words,
        text=text if spec.get("text") else (),
        text_weight=spec.get("text_weight", 1),
        order=spec.get("order", 2),
        base=base if spec.get("base_weight") else None,
        base_weight=spec.get("base_weight", 0.0),
        bos=spec.get("bos", False),
        discount=spec.get("discount", 0.75),
    )


def leakage(text: list[str], cache: Path, n: int) -> dict[str, float]:
    grams = {tuple(sy[i : i + 4]) for s in text for sy in [s.split()] for i in range(len(sy) - 3)}
    out = {}
    for name in ("vivos", "fosd"):
        path = cache / f"{name}_n{n}.jsonl"
        if not path.exists():
            continue
        refs = [normalize(json.loads(line)["reference"]).split() for line in path.open()]
        dev = [tuple(r[i : i + 4]) for r in refs for i in range(len(r) - 3)]
        out[name] = round(sum(g in grams for g in dev) / max(len(dev), 1), 4)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--cache", default=str(ROOT / "bench" / "cache"))
    p.add_argument("--n", type=int, default=8)
    p.add_argument("--variants", nargs="+", default=list(VARIANTS))
    args = p.parse_args()
    from asr.rescore import FREQ, LEXICON, TEXT

    words, text, base = load_lines(LEXICON), load_lines(TEXT), load_base(FREQ)
    cache = Path(args.cache)
    print(
        json.dumps(
            {
                "text_sentences": len(text),
                "text_syllables": sum(len(s.split()) for s in text),
                "dev_4grams_in_text": leakage(text, cache, args.n),
            }
        ),
        flush=True,
    )
    for name in args.variants:
        t0 = time.perf_counter()
        lm = build(VARIANTS[name], words, text, base)
        built = time.perf_counter() - t0
        sets = {}
        for s in ("vivos", "fosd"):
            path = cache / f"{s}_n{args.n}.jsonl"
            if path.exists():
                sets[s] = load(path, lm)
        res = cross_validate(sets)
        row = {"variant": name, "build_s": round(built, 1), "fold_weights": res["fold_weights"]}
        for s in sets:
            row[s] = {
                "cv": res[s]["cross_validated"],
                "mean_weights": res[s]["shipped_weights"],
                "model_top": res[s]["model_top"]["wer"],
            }
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
