"""Active liveness: a random head-turn challenge measured from the 5-point landmarks.

A printed photo or a still on a phone screen is flat: tilting or turning it changes the apparent
eye distance but leaves the nose tip at the same place between the eyes, so the measured turn
(``Face.yaw``) does not move. A real head turning does. The random order of the turns makes a
pre-recorded video unlikely to match; the secretary also sees a thumbnail of every check-in.

A photo that is sheared, rotated, zoomed or tilted in perspective from frame to frame *does*
move the nose tip between the eyes, so the yaw alone is fooled (issue #14). But every such frame
is the first one seen through a plane-to-plane mapping (a homography): ``planar_score`` fits one
between the frontal frame and each frame counted as a turn (ORB features, RANSAC) and measures
how well it explains the face's pixels. A head is not a plane — the nose, cheeks and ears move
against each other as it turns — so a real turn is poorly explained; a warped photo is almost
perfectly. Measured on the dev photos (tests/security/test_liveness.py): warped photos score
0.94–1.0, different photos of the same person −0.1–0.45; ``PLANAR_MAX`` sits between.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


class Liveness(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


PLANAR_MAX = 0.85  # a turn whose face is this well explained by a homography is a flat image


def planar_score(before: np.ndarray, after: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """How well one homography maps ``before`` (grey crop around the frontal face) onto the face
    box (top, right, bottom, left, in ``after``'s coordinates) of ``after``: the normalised
    cross-correlation of the aligned pixels, 1.0 for the same flat picture; 0.0 when no
    homography can be fitted (too few matching features), which is what a real head gives."""
    import cv2

    orb = cv2.ORB_create(1500)  # type: ignore[attr-defined]
    ka, da = orb.detectAndCompute(before, None)
    kb, db = orb.detectAndCompute(after, None)
    if da is None or db is None:
        return 0.0
    matches = cv2.BFMatcher(cv2.NORM_HAMMING, crossCheck=True).match(da, db)
    if len(matches) < 12:
        return 0.0
    src = np.array([ka[m.queryIdx].pt for m in matches], dtype=np.float32)
    dst = np.array([kb[m.trainIdx].pt for m in matches], dtype=np.float32)
    homography, _ = cv2.findHomography(src, dst, cv2.RANSAC, 4.0)
    if homography is None:
        return 0.0
    h, w = after.shape[:2]
    warped = cv2.warpPerspective(before, homography, (w, h))
    covered = cv2.warpPerspective(np.ones_like(before), homography, (w, h)) > 0
    top, right, bottom, left = box
    region = np.zeros_like(covered)
    region[max(0, top) : max(0, bottom), max(0, left) : max(0, right)] = True
    mask = covered & region
    if mask.sum() < 0.6 * region.sum() or not region.any():
        return 0.0
    x = warped[mask].astype(float)
    y = after[mask].astype(float)
    x -= x.mean()
    y -= y.mean()
    return float((x * y).sum() / np.sqrt((x * x).sum() * (y * y).sum() + 1e-9))


PROMPTS = {
    "left": {"vi": "Hãy quay đầu sang trái", "en": "Turn your head to the left"},
    "right": {"vi": "Hãy quay đầu sang phải", "en": "Turn your head to the right"},
}


@dataclass
class HeadTurnChallenge:
    directions: tuple[str, ...]
    turn: float = 0.12  # change of yaw that counts as a turn
    frontal: float = 0.08  # the first frame must be about frontal
    timeout_s: float = 10.0
    _baseline: float | None = None
    _started: float | None = None
    _done: int = 0
    state: Liveness = Liveness.PENDING
    yaws: list[float] = field(default_factory=list)

    @classmethod
    def random(cls, rng: random.Random | None = None) -> HeadTurnChallenge:
        first = (rng or random.SystemRandom()).choice(["left", "right"])
        return cls((first, "right" if first == "left" else "left"))

    def prompt(self, lang: str = "vi") -> str:
        if self.state is not Liveness.PENDING:
            return ""
        return PROMPTS[self.directions[self._done]][lang]

    def feed(self, yaw: float, t: float) -> Liveness:
        """One frame's measured yaw at time ``t`` (seconds)."""
        if self.state is not Liveness.PENDING:
            return self.state
        self.yaws.append(yaw)
        if self._baseline is None:
            if abs(yaw) <= self.frontal:
                self._baseline, self._started = yaw, t
            return self.state
        if self._started is not None and t - self._started > self.timeout_s:
            self.state = Liveness.FAILED
            return self.state
        sign = -1 if self.directions[self._done] == "left" else 1
        if (yaw - self._baseline) * sign >= self.turn:
            self._done += 1
            if self._done == len(self.directions):
                self.state = Liveness.PASSED
        return self.state

    @property
    def turns_done(self) -> int:
        return self._done

    @property
    def has_baseline(self) -> bool:
        return self._baseline is not None

    def reject(self) -> Liveness:
        """A turn was made by a flat image (see ``planar_score``): the attempt fails."""
        self.state = Liveness.FAILED
        return self.state

    def expire(self, t: float) -> Liveness:
        """No (more) frames: fail once the time is up."""
        if self.state is Liveness.PENDING and (
            self._started is None or t - self._started > self.timeout_s
        ):
            self.state = Liveness.FAILED
        return self.state
