"""What every control loop shares: a work queue of keys, reconcile, events and the trace.

As sample-controller writes them: watches only enqueue `(namespace, name)` keys; `reconcile(key)`
reads the current state, compares desired with observed, and acts. Keys enqueued in one instant
are processed once (the queue coalesces them), which is what makes the loops level-triggered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.sim.clock import CONTROLLER

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

Key = tuple[str, str]


class Controller:
    """A level-triggered control loop."""

    #: the component name in events' `source` and in the trace
    name = "controller"
    #: the least simulated time between two passes over the queue; bursts within it coalesce
    interval = 0.0
    priority = CONTROLLER

    def __init__(self, cluster: "Cluster"):
        self.cluster = cluster
        self.api = cluster.api
        self.store = cluster.api.store
        self.clock = cluster.clock
        self._queue: dict[Key, None] = {}
        self._timer = None
        self._last_pass = float("-inf")

    # queue ----------------------------------------------------------------------------------
    def enqueue(self, key: Key) -> None:
        self._queue[key] = None
        if self._timer is None:
            when = max(self.clock.now, self._last_pass + self.interval)
            self._timer = self.clock.call_at(when, self._process, self.priority)

    def enqueue_after(self, key: Key, delay: float) -> None:
        """Come back to `key` later (a deadline, a back-off)."""
        self.clock.call_later(delay, lambda: self.enqueue(key), self.priority)

    def _process(self) -> None:
        self._timer = None
        self._last_pass = self.clock.now
        keys = list(self._queue)
        self._queue.clear()
        for key in keys:
            self.reconcile(key)

    def reconcile(self, key: Key) -> None:  # pragma: no cover - every loop defines it
        raise NotImplementedError

    # telling --------------------------------------------------------------------------------
    def trace(self, message: str) -> None:
        self.cluster.trace.add(self.name, message)

    def event(self, obj: dict, type_: str, reason: str, message: str) -> None:
        self.api.events.record(obj, type_, reason, message, self.name)
