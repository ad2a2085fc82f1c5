"""Corpus-level WER and CER by Levenshtein distance over words or characters."""

from __future__ import annotations

from collections.abc import Sequence


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def corpus_error(pairs: Sequence[tuple[str, str]], *, unit: str = "word") -> float:
    """Total edits over total reference units (normalised text in, ``word`` or ``char``)."""
    edits = total = 0
    for ref, hyp in pairs:
        # characters include the single spaces between words, as jiwer and most papers count
        r = ref.split() if unit == "word" else list(" ".join(ref.split()))
        h = hyp.split() if unit == "word" else list(" ".join(hyp.split()))
        edits += edit_distance(r, h)
        total += len(r)
    return edits / total if total else 0.0
