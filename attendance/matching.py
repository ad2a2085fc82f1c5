"""1:N identification against the invited roster, 1:1 verification, decisions with an accept
threshold, a margin to the second-best identity and agreement over several frames, and
calibration of the thresholds from the enrolled gallery itself (specs/attendance.md)."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


class Verdict(StrEnum):
    ACCEPT = "accept"
    UNCERTAIN = "uncertain"  # to the secretary with the top candidates; PIN/QR fallback
    REJECT = "reject"  # nobody on the roster


@dataclass(frozen=True)
class Thresholds:
    accept: float = 0.45
    margin: float = 0.08
    uncertain: float = 0.55
    frames: int = 5  # the decision window
    agree: int = 3  # frames in the window that must name the same delegate


@dataclass(frozen=True)
class Candidate:
    delegate_id: str
    distance: float


@dataclass(frozen=True)
class Match:
    candidates: tuple[Candidate, ...]  # best first, one per delegate

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def margin(self) -> float:
        if len(self.candidates) < 2:
            return float("inf")
        return self.candidates[1].distance - self.candidates[0].distance


class Gallery:
    """The templates of the delegates one may match against (today's invited roster)."""

    def __init__(self, templates: Mapping[str, Sequence[np.ndarray]]) -> None:
        rows = [(did, enc) for did, encs in templates.items() for enc in encs]
        self.labels = np.array([did for did, _ in rows])
        self.matrix = (
            np.stack([enc for _, enc in rows]).astype(np.float32)
            if rows
            else np.zeros((0, 128), np.float32)
        )
        self.ids = sorted(templates)

    def __len__(self) -> int:
        return len(self.matrix)

    def identify(
        self, encoding: np.ndarray, top: int = 3, only: Iterable[str] | None = None
    ) -> Match:
        """Distances to every delegate (their closest template), best ``top`` first."""
        if not len(self.matrix):
            return Match(())
        dist = np.linalg.norm(self.matrix - encoding.astype(np.float32), axis=1)
        allowed = set(only) if only is not None else None
        order = np.argsort(dist)
        seen: dict[str, float] = {}
        for i in order:
            did = str(self.labels[i])
            if did in seen or (allowed is not None and did not in allowed):
                continue
            seen[did] = float(dist[i])
            if len(seen) == top:
                break
        return Match(tuple(Candidate(d, v) for d, v in seen.items()))

    def verify(self, encoding: np.ndarray, delegate_id: str) -> float:
        """1:1 — the distance to one delegate (a seat tablet bound to that delegate)."""
        rows = self.matrix[self.labels == delegate_id]
        if not len(rows):
            return float("inf")
        return float(np.linalg.norm(rows - encoding.astype(np.float32), axis=1).min())


def decide(match: Match, t: Thresholds) -> Verdict:
    best = match.best
    if best is None or best.distance > t.uncertain:
        return Verdict.REJECT
    if best.distance <= t.accept and match.margin >= t.margin:
        return Verdict.ACCEPT
    return Verdict.UNCERTAIN


@dataclass
class FrameVoter:
    """Accept a delegate only when a majority of the last frames accepted that same delegate."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    _recent: deque[str | None] = field(default_factory=deque)

    def add(self, match: Match) -> str | None:
        verdict = decide(match, self.thresholds)
        winner = match.best.delegate_id if verdict is Verdict.ACCEPT and match.best else None
        self._recent.append(winner)
        while len(self._recent) > self.thresholds.frames:
            self._recent.popleft()
        counts = Counter(w for w in self._recent if w is not None)
        if not counts:
            return None
        who, n = counts.most_common(1)[0]
        return who if n >= self.thresholds.agree else None

    def reset(self) -> None:
        self._recent.clear()


@dataclass(frozen=True)
class Calibration:
    accept: float
    expected_fmr: float  # share of impostor pairs within the accept threshold
    impostor_pairs: int
    genuine_pairs: int
    genuine_accept_rate: float
    lookalikes: tuple[tuple[str, str, float], ...]  # delegate pairs closer than accept + margin


def calibrate(
    templates: Mapping[str, Sequence[np.ndarray]],
    *,
    target_fmr: float = 0.001,
    ceiling: float = 0.5,
    floor: float = 0.3,
    margin: float = 0.08,
) -> Calibration:
    """Pick the accept threshold from the enrolled gallery's own impostor distances: the
    largest value whose impostor share is at most ``target_fmr``, kept within
    [floor, ceiling], and a little below the closest impostor pair."""
    labels = np.array([did for did in sorted(templates) for _ in templates[did]])
    if len(labels) < 2:
        return Calibration(ceiling, 0.0, 0, 0, float("nan"), ())
    m = np.stack([e for did in sorted(templates) for e in templates[did]]).astype(np.float64)
    sq = (m * m).sum(axis=1)
    dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * m @ m.T, 0.0))
    upper = np.triu(np.ones(dist.shape, dtype=bool), k=1)
    same = labels[:, None] == labels[None, :]
    imp = np.sort(dist[upper & ~same])
    genuine = dist[upper & same]
    if len(imp):
        k = int(np.floor(target_fmr * len(imp)))
        threshold = float(imp[k]) - 0.01
    else:
        threshold = ceiling
    threshold = min(ceiling, max(floor, threshold))
    fmr = float(np.mean(imp <= threshold)) if len(imp) else 0.0
    gar = float(np.mean(genuine <= threshold)) if len(genuine) else float("nan")
    closest: dict[tuple[str, str], float] = {}
    rows, cols = np.nonzero(upper & ~same & (dist <= threshold + margin))
    for r, c in zip(rows, cols, strict=True):
        a, b = sorted((str(labels[r]), str(labels[c])))
        closest[(a, b)] = min(closest.get((a, b), float("inf")), float(dist[r, c]))
    looks = tuple(
        sorted(((a, b, round(d, 3)) for (a, b), d in closest.items()), key=lambda x: x[2])
    )
    return Calibration(round(threshold, 3), fmr, len(imp), len(genuine), gar, looks)
