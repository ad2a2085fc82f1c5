"""Rescoring Whisper's N best hypotheses with Vietnamese: a syllable language model and the
share of adjacent syllable pairs that are dictionary words.

    combined = model log-probability + a × LM log-probability + b × dictionary-pair share

Whisper base's errors in Vietnamese are mostly real syllables with a wrong tone or initial
("nhân sách" for "ngân sách"): a syllable list cannot catch them, word pairs and an LM can.
The LM (syllable trigrams, interpolated absolute discounting) is built at first use from
``asr/data`` (made by ``scripts/build_vi_lexicon.py``; sources and licences in
``asr/data/README.md`` and docs/asr.md): a word list (underthesea's Viet74K, Apache-2.0;
pyvi's words.txt, MIT), running text (the Vietnamese LibreOffice help, MPL-2.0: the pairs
across word boundaries) and general syllable frequencies (wordfreq, CC-BY-SA-4.0); per
session, also from that session's own text (agenda documents, roster names and units, body
and place names): ``SyllableLM.with_text``.
"""

from __future__ import annotations

import functools
import gzip
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asr.normalize import normalize

DATA = Path(__file__).with_name("data")
LEXICON = DATA / "vi_words.txt.gz"  # word list
TEXT = DATA / "vi_text.txt.gz"  # running text, one sentence a line
FREQ = DATA / "vi_syllables.tsv.gz"  # general-language syllable frequencies
DISCOUNT = 0.75
BOS = "<s>"
BASE_FLOOR = 1e-7  # a syllable the general-language list lacks


@dataclass(frozen=True)
class Weights:
    """Chosen by two-fold cross-validation on the development sets (bench/rescore_tune.py)."""

    a: float = 0.4  # × LM log-probability (natural log, summed over syllables)
    b: float = 3.0  # × share of adjacent syllable pairs that are dictionary words


def syllables(text: str) -> list[str]:
    return normalize(text).split()


class SyllableLM:
    """Interpolated absolute-discounting syllable n-gram model (order 2 or 3).

    Counts come from word-list entries (each one a short phrase: its syllable pairs are what a
    word list can say) and running text (sentences, which start with ``<s>``: the only source
    of pairs across word boundaries). The lowest order mixes the counted syllables with a
    general-language syllable distribution (``base``, e.g. frequencies from large corpora),
    weight ``base_weight``. ``pairs`` are the syllable pairs seen inside dictionary words and
    session terms."""

    def __init__(
        self,
        counts: dict[int, Counter[tuple[str, ...]]],
        pairs: frozenset[tuple[str, str]] | set[tuple[str, str]],
        *,
        base: dict[str, float] | None = None,
        base_weight: float = 0.0,
        discount: float = DISCOUNT,
        bos: bool = False,
    ) -> None:
        self.counts = counts
        self.order = max(counts)
        self.pairs = frozenset(pairs)
        self.base = base or {}
        self.base_weight = base_weight if self.base else 0.0
        self.discount = discount
        self.bos = bos  # score a hypothesis as a sentence start
        self.uni: Counter[str] = Counter({k[0]: n for k, n in counts[1].items() if k[0] != BOS})
        self.total = sum(self.uni.values())
        self.vocab = len(self.uni)
        self.ctx_total: dict[tuple[str, ...], int] = {}
        self.ctx_types: dict[tuple[str, ...], int] = {}
        for k in range(2, self.order + 1):
            for gram, n in counts[k].items():
                h = gram[:-1]
                self.ctx_total[h] = self.ctx_total.get(h, 0) + n
                self.ctx_types[h] = self.ctx_types.get(h, 0) + 1

    @property
    def bi(self) -> Counter[tuple[str, ...]]:
        """Syllable-pair counts."""
        return self.counts[2]

    @staticmethod
    def count(
        phrases: Iterable[str] = (),
        text: Iterable[str] = (),
        *,
        order: int = 2,
        text_weight: int = 1,
    ) -> tuple[dict[int, Counter[tuple[str, ...]]], set[tuple[str, str]]]:
        """n-gram counts of word-list ``phrases`` (no sentence start) and running ``text``
        (each passage a sentence, starting with ``<s>``), and the phrases' syllable pairs."""
        counts: dict[int, Counter[tuple[str, ...]]] = {k: Counter() for k in range(1, order + 1)}
        pairs: set[tuple[str, str]] = set()
        for phrase in phrases:
            sy = tuple(syllables(phrase))
            pairs.update(zip(sy, sy[1:], strict=False))
            for k in range(1, order + 1):
                counts[k].update(sy[i : i + k] for i in range(len(sy) - k + 1))
        for passage in text:
            sy = (BOS, *syllables(passage))
            if len(sy) < 2:
                continue
            for k in range(1, order + 1):
                for i in range(len(sy) - k + 1):
                    counts[k][sy[i : i + k]] += text_weight
        return counts, pairs

    @classmethod
    def from_phrases(
        cls,
        phrases: Iterable[str],
        *,
        text: Iterable[str] = (),
        text_weight: int = 1,
        order: int = 2,
        **kw: Any,
    ) -> SyllableLM:
        counts, pairs = cls.count(phrases, text, order=order, text_weight=text_weight)
        return cls(counts, pairs, **kw)

    def with_text(
        self, terms: Sequence[str] = (), text: Sequence[str] = (), weight: int = 3
    ) -> SyllableLM:
        """A copy that also knows a session's terms (names, units, titles: their pairs count as
        dictionary words) and running text (agenda documents), counted ``weight`` times."""
        if not terms and not text:
            return self
        extra, pairs = SyllableLM.count(terms, text, order=self.order)
        counts = {k: c.copy() for k, c in self.counts.items()}
        for k, c in extra.items():
            for gram, n in c.items():
                counts[k][gram] += n * weight
        return SyllableLM(
            counts,
            self.pairs | pairs,
            base=self.base,
            base_weight=self.base_weight,
            discount=self.discount,
            bos=self.bos,
        )

    def p_uni(self, s: str) -> float:
        counted = (self.uni.get(s, 0) + 0.5) / (self.total + 0.5 * (self.vocab + 1))
        if not self.base_weight:
            return counted
        return (1 - self.base_weight) * counted + self.base_weight * self.base.get(s, BASE_FLOOR)

    def p(self, s: str, history: tuple[str, ...]) -> float:
        """P(s | history), the history at most ``order - 1`` syllables."""
        if not history:
            return self.p_uni(s)
        lower = self.p(s, history[1:])
        total = self.ctx_total.get(history, 0)
        if not total:
            return lower
        seen = max(self.counts[len(history) + 1].get((*history, s), 0) - self.discount, 0.0)
        return (seen + self.discount * self.ctx_types[history] * lower) / total

    def p_bi(self, a: str, b: str) -> float:
        return self.p(b, (a,))

    def logprob(self, sy: Sequence[str]) -> float:
        if not sy:
            return 0.0
        seq = [BOS, *sy] if self.bos else list(sy)
        start = 1 if self.bos else 0
        n = self.order - 1
        total = 0.0
        for i in range(start, len(seq)):
            total += math.log(self.p(seq[i], tuple(seq[max(i - n, 0) : i])))
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


def load_lines(path: Path) -> list[str]:
    """A gzipped text file's non-empty lines; none when the file is missing."""
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.strip() for line in fh if line.strip()]


def load_base(path: Path) -> dict[str, float]:
    """General-language syllable probabilities from ``syllable<TAB>count`` lines."""
    counts = {}
    for line in load_lines(path):
        word, _, n = line.partition("\t")
        counts[word] = float(n)
    total = sum(counts.values())
    return {w: n / total for w, n in counts.items()} if total else {}


# The shipped LM's shape, chosen with its weights by cross-validation on the development sets
# (bench/lm_study.py, bench/rescore_tune.py; docs/asr.md has the figures).
ORDER = 3
BASE_WEIGHT = 0.5
LM_DISCOUNT = 0.9


@functools.lru_cache(maxsize=1)
def default_lm() -> SyllableLM:
    """The shipped LM, built once per process from asr/data (a few seconds): syllable
    trigrams of the word list and the running text over general syllable frequencies."""
    return SyllableLM.from_phrases(
        load_lines(LEXICON),
        text=load_lines(TEXT),
        order=ORDER,
        base=load_base(FREQ),
        base_weight=BASE_WEIGHT,
        discount=LM_DISCOUNT,
        bos=True,
    )


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
