"""What the fake clusters of the tests share: the simulated clock, randomness, trace and API server
that controllers and kubelets read from their cluster, and the driving of the clock."""

from __future__ import annotations

from k8scourse.apiserver.server import APIServer
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand
from k8scourse.sim.trace import Trace


class SimHarness:
    """A base for fake clusters: `start_sim` makes clock, rand, trace, api and an empty
    kubelets map; `settle` and `advance` drive the clock."""

    def start_sim(self, seed: int = 0, **api_options) -> None:
        self.clock = Clock()
        self.rand = Rand(seed)
        self.trace = Trace(self.clock)
        self.api = APIServer(self.clock, self.rand, **api_options)
        self.kubelets: dict = {}

    def settle(self, timeout: float = 600.0) -> bool:
        """Run due work until the clock has none, at most `timeout` seconds; False on timeout."""
        deadline = self.clock.now + timeout
        while self.clock.has_work():
            nxt = self.clock.next_time()
            if nxt is None or nxt > deadline:
                self.clock.run(deadline)
                return False
            self.clock.step()
        return True

    def advance(self, seconds: float) -> None:
        self.clock.run(self.clock.now + seconds)
