"""Active liveness: a random head-turn challenge measured from the 5-point landmarks.

A printed photo or a still on a phone screen is flat: tilting or turning it changes the apparent
eye distance but leaves the nose tip at the same place between the eyes, so the measured turn
(``Face.yaw``) does not move. A real head turning does. The random order of the turns makes a
pre-recorded video unlikely to match; the secretary also sees a thumbnail of every check-in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import StrEnum


class Liveness(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


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

    def expire(self, t: float) -> Liveness:
        """No (more) frames: fail once the time is up."""
        if self.state is Liveness.PENDING and (
            self._started is None or t - self._started > self.timeout_s
        ):
            self.state = Liveness.FAILED
        return self.state
