"""Rescoring Whisper's N best hypotheses with Vietnamese: a syllable-bigram language model and
the share of adjacent syllable pairs that are dictionary words.

    combined = model log-probability + a × LM log-probability + b × dictionary-pair share

Whisper base's errors in Vietnamese are mostly real syllables with a wrong tone or initial
("nhân sách" for "ngân sách"): a syllable list cannot catch them, word pairs and an LM can.
The LM is built at first use from ``asr/data/vi_words.txt.gz`` (a word list made by
``scripts/build_vi_lexicon.py`` from underthesea's Viet74K, Apache-2.0, and pyvi's words.txt,
MIT; see docs/asr.md) and, per session, from that session's own text (agenda documents, roster
names and units, body and place names): ``SyllableLM.with_text``.
"""

from __future__ import annotations

import functools
import gzip
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from asr.normalize import normalize

LEXICON = Path(__file__).with_name("data") / "vi_words.txt.gz"
DISCOUNT = 0.75


@dataclass(frozen=True)
class Weights:
    """Chosen by two-fold cross-validation on the development sets (bench/rescore_tune.py)."""

    a: float = 0.225  # × LM log-probability (natural log, summed over syllables)
    b: float = 1.0  # × share of adjacent syllable pairs that are dictionary words


def syllables(text: str) -> list[str]:
    return normalize(text).split()


class SyllableLM:
    """Interpolated absolute-discounting syllable bigram model over word-list entries (each
    entry one short "sentence") plus any running text; ``pairs`` are the syllable pairs seen
    inside dictionary words and session terms."""

    def __init__(
        self,
        unigrams: Counter[str],
        bigrams: Counter[tuple[str, str]],
        pairs: frozenset[tuple[str, str]] | set[tuple[str, str]],
    ) -> None:
        self.uni = unigrams
        self.bi = bigrams
        self.pairs = frozenset(pairs)
        self.total = sum(unigrams.values())
        self.vocab = len(unigrams)
        self.left: Counter[str] = Counter()  # c(a, ·)
        self.fanout: Counter[str] = Counter()  # distinct continuations of a
        for (a, _b), n in bigrams.items():
            self.left[a] += n
            self.fanout[a] += 1

    @classmethod
    def from_phrases(
        cls, phrases: Iterable[str], *, text: Iterable[str] = (), text_weight: int = 1
    ) -> SyllableLM:
        uni: Counter[str] = Counter()
        bi: Counter[tuple[str, str]] = Counter()
        pairs: set[tuple[str, str]] = set()
        for phrase in phrases:
            sy = syllables(phrase)
            uni.update(sy)
            for p in zip(sy, sy[1:], strict=False):
                bi[p] += 1
                pairs.add(p)
        for passage in text:
            sy = syllables(passage)
            for s in sy:
                uni[s] += text_weight
            for p in zip(sy, sy[1:], strict=False):
                bi[p] += text_weight
        return cls(uni, bi, pairs)

    def with_text(
        self, terms: Sequence[str] = (), text: Sequence[str] = (), weight: int = 3
    ) -> SyllableLM:
        """A copy that also knows a session's terms (names, units, titles: their pairs count as
        dictionary words) and running text (agenda documents), counted ``weight`` times."""
        if not terms and not text:
            return self
        extra = SyllableLM.from_phrases(terms, text=text)
        uni = self.uni.copy()
        bi = self.bi.copy()
        for s, n in extra.uni.items():
            uni[s] += n * weight
        for p, n in extra.bi.items():
            bi[p] += n * weight
        return SyllableLM(uni, bi, self.pairs | extra.pairs)

    def p_uni(self, s: str) -> float:
        return (self.uni.get(s, 0) + 0.5) / (self.total + 0.5 * (self.vocab + 1))

    def p_bi(self, a: str, b: str) -> float:
        left = self.left.get(a, 0)
        if not left:
            return self.p_uni(b)
        seen = max(self.bi.get((a, b), 0) - DISCOUNT, 0.0) / left
        return seen + DISCOUNT * self.fanout[a] / left * self.p_uni(b)

    def logprob(self, sy: Sequence[str]) -> float:
        if not sy:
            return 0.0
        total = math.log(self.p_uni(sy[0]))
        for a, b in zip(sy, sy[1:], strict=False):
            total += math.log(self.p_bi(a, b))
        return total

    def pair_share(self, sy: Sequence[str]) -> float:
        pairs = list(zip(sy, sy[1:], strict=False))
        return sum(p in self.pairs for p in pairs) / len(pairs) if pairs else 0.0


@dataclass(frozen=True)
class Vocabulary:
    """A session's own words: ``terms`` (names, units, body and place names, agenda titles:
    their syllable pairs count as dictionary words) and ``text`` (agenda documents)."""

    terms: tuple[str, ...] = ()
    text: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms and not self.text


@functools.lru_cache(maxsize=1)
def default_lm() -> SyllableLM:
    """The word-list LM, built once per process (about a second)."""
    with gzip.open(LEXICON, "rt", encoding="utf-8") as fh:
        words = [line.strip() for line in fh if line.strip()]
    return SyllableLM.from_phrases(words)


@dataclass(frozen=True)
class Scored:
    index: int  # position in the model's N-best list (0: the model's own choice)
    text: str
    model: float
    lm: float
    pairs: float

    def combined(self, w: Weights) -> float:
        return self.model + w.a * self.lm + w.b * self.pairs


def score_all(
    lm: SyllableLM, texts: Sequence[str], model_logprobs: Sequence[float]
) -> list[Scored]:
    out = []
    for i, (text, lp) in enumerate(zip(texts, model_logprobs, strict=True)):
        sy = syllables(text)
        out.append(Scored(i, text, lp, lm.logprob(sy), lm.pair_share(sy)))
    return out


def choose(scored: Sequence[Scored], weights: Weights) -> Scored:
    """The hypothesis with the highest combined score; ties keep the model's order."""
    return max(scored, key=lambda s: (s.combined(weights), -s.index))
