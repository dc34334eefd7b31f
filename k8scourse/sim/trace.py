"""The decision trace: one sentence per decision, in a beginner's words, beside the events.

Events say what happened ("Created pod: web-6xk2p"); the trace says why
("ReplicaSet web has 2 of 3 pods matching app=web; creating 1").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    time: float
    component: str
    message: str

    def __str__(self) -> str:
        return f"[{self.time:7.1f}s] {self.component}: {self.message}"


class Trace:
    """The last `maxlen` decisions of every component."""

    def __init__(self, clock, maxlen: int = 20000):
        self.clock = clock
        self.decisions: deque[Decision] = deque(maxlen=maxlen)
        self.enabled = True

    def add(self, component: str, message: str) -> None:
        if self.enabled:
            self.decisions.append(Decision(self.clock.now, component, message))

    def since(self, t: float) -> list[Decision]:
        return [d for d in self.decisions if d.time >= t]

    def tail(self, n: int = 20) -> list[Decision]:
        return list(self.decisions)[-n:]

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.decisions)
