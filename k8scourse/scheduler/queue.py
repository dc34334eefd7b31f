"""The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go).

Three places a pending pod can wait:

* activeQ: ready to be tried, highest priority first, then the oldest;
* backoffQ: failed recently and waits out its back-off (1 s, doubling per attempt, at most 10 s),
  checked once a second;
* unschedulablePods: failed, and waits for a change in the cluster that might help (a node added
  or uncordoned, a taint removed, a pod deleted). Every 30 s, pods waiting there for more than
  5 minutes are retried anyway.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from typing import TYPE_CHECKING, Callable

from k8scourse.sim.clock import SCHEDULER

if TYPE_CHECKING:
    from k8scourse.scheduler.podinfo import PodInfo

INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 10.0
BACKOFF_FLUSH_PERIOD = 1.0
UNSCHEDULABLE_FLUSH_PERIOD = 30.0
MAX_IN_UNSCHEDULABLE = 300.0

ACTIVE, BACKOFF, UNSCHEDULABLE = "activeQ", "backoffQ", "unschedulablePods"


class QueuedPodInfo:
    """A pending pod with its queue bookkeeping."""

    __slots__ = ("pinfo", "timestamp", "attempts", "plugins", "where", "seq", "timer", "forever",
                 "gated", "initial")

    def __init__(self, pinfo: "PodInfo", now: float):
        self.pinfo = pinfo
        self.timestamp = now
        self.initial = now
        self.attempts = 0
        self.plugins: set[str] = set()
        self.where = ""
        self.seq = 0
        self.timer = None
        self.forever = False
        self.gated = False

    @property
    def key(self) -> tuple[str, str]:
        return self.pinfo.key

    def __repr__(self) -> str:
        return f"<QueuedPod {self.pinfo.namespace}/{self.pinfo.name} in {self.where}>"


def backoff_duration(attempts: int) -> float:
    """calculateBackoffDuration: 1 s after the first failure, doubling, capped at 10 s."""
    if attempts == 0:
        return 0.0
    d = INITIAL_BACKOFF
    for _ in range(1, attempts):
        if d > MAX_BACKOFF - d:
            return MAX_BACKOFF
        d += d
    return d


class SchedulingQueue:
    """activeQ, backoffQ and unschedulablePods, driven by the simulated clock."""

    def __init__(self, clock, on_active: Callable[[], None]):
        self.clock = clock
        self.on_active = on_active
        self.start = clock.now
        self.pods: dict[tuple[str, str], QueuedPodInfo] = {}
        self._heap: list[tuple[int, float, int, tuple[str, str]]] = []
        self._seq = 0
        self._flush_timer = None
        self.unschedulable: dict[tuple[str, str], QueuedPodInfo] = {}
        #: how many unschedulable pods each plugin rejected (to skip events nobody waits for)
        self.rejected_by: Counter = Counter()

    # -- entering ------------------------------------------------------------------------------
    def add(self, pinfo: "PodInfo") -> QueuedPodInfo:
        """A new pending pod: straight to activeQ (or held while it has scheduling gates)."""
        q = self.pods.get(pinfo.key)
        if q is not None:
            q.pinfo = pinfo
            return q
        q = QueuedPodInfo(pinfo, self.clock.now)
        self.pods[pinfo.key] = q
        if pinfo.gates:
            q.gated = True
            self._to_unschedulable(q)
        else:
            self._to_active(q)
        return q

    def delete(self, key: tuple[str, str]) -> None:
        q = self.pods.pop(key, None)
        if q is None:
            return
        self._leave(q)
        q.where = ""

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self.pods

    def get(self, key: tuple[str, str]) -> QueuedPodInfo | None:
        return self.pods.get(key)

    # -- leaving -------------------------------------------------------------------------------
    def pop(self) -> QueuedPodInfo | None:
        """The next pod to try (highest priority, then longest waiting), or None."""
        heap = self._heap
        while heap:
            _, _, seq, key = heapq.heappop(heap)
            q = self.pods.get(key)
            if q is None or q.where != ACTIVE or q.seq != seq:
                continue
            q.where = ""
            q.attempts += 1
            return q
        return None

    def waiting_on(self, plugin: str) -> bool:
        """Whether some unschedulable pod was rejected by `plugin`."""
        return self.rejected_by[plugin] > 0

    # -- after an attempt ----------------------------------------------------------------------
    def add_unschedulable(self, q: QueuedPodInfo, plugins: set[str]) -> None:
        """AddUnschedulableIfNotPresent: wait for a helpful event; with no plugin to blame (an
        error, or no nodes at all) retry after the back-off instead, for as long as it takes."""
        if self.pods.get(q.key) is not q:
            return
        q.timestamp = self.clock.now
        q.plugins = set(plugins)
        if not plugins:
            q.forever = True
            self._to_backoff(q)
        else:
            q.forever = False
            self._to_unschedulable(q)

    def requeue(self, q: QueuedPodInfo) -> None:
        """A failed attempt that should simply be retried after its back-off."""
        if self.pods.get(q.key) is q:
            q.timestamp = self.clock.now
            self._to_backoff(q)

    # -- cluster events ------------------------------------------------------------------------
    def move_all(self, worth: Callable[[QueuedPodInfo], bool]) -> int:
        """MoveAllToActiveOrBackoffQueue: every waiting pod `worth` says the event may help."""
        moved = 0
        for q in list(self.unschedulable.values()):
            if q.gated:
                continue
            if worth(q):
                self._activate_or_backoff(q)
                moved += 1
        return moved

    def update(self, pinfo: "PodInfo", changed: bool) -> None:
        """A watch update of a pending pod; `changed` when its spec or labels changed."""
        q = self.pods.get(pinfo.key)
        if q is None:
            self.add(pinfo)
            return
        q.pinfo = pinfo
        if q.gated and not pinfo.gates:
            q.gated = False
            self._leave(q)
            self._to_active(q)
            return
        if changed and q.where == UNSCHEDULABLE and not q.gated:
            self._activate_or_backoff(q)

    # -- internals -----------------------------------------------------------------------------
    def _leave(self, q: QueuedPodInfo) -> None:
        if q.timer is not None:
            q.timer.cancel()
            q.timer = None
        if q.where == UNSCHEDULABLE:
            self.unschedulable.pop(q.key, None)
            self.rejected_by.subtract(q.plugins)
        q.where = ""

    def _to_active(self, q: QueuedPodInfo) -> None:
        self._leave(q)
        self._seq += 1
        q.seq = self._seq
        q.where = ACTIVE
        heapq.heappush(self._heap, (-q.pinfo.priority, q.timestamp, q.seq, q.key))
        self.on_active()

    def _to_unschedulable(self, q: QueuedPodInfo) -> None:
        self._leave(q)
        q.where = UNSCHEDULABLE
        self.unschedulable[q.key] = q
        self.rejected_by.update(q.plugins)
        if self._flush_timer is None and not q.gated:
            k = math.floor((self.clock.now - self.start) / UNSCHEDULABLE_FLUSH_PERIOD) + 1
            self._flush_timer = self.clock.call_at(self.start + k * UNSCHEDULABLE_FLUSH_PERIOD,
                                                   self._flush_unschedulable, SCHEDULER,
                                                   periodic=True)

    def backoff_expiry(self, q: QueuedPodInfo) -> float:
        return q.timestamp + backoff_duration(q.attempts)

    def _activate_or_backoff(self, q: QueuedPodInfo) -> None:
        if self.backoff_expiry(q) > self.clock.now:
            self._to_backoff(q)
        else:
            self._to_active(q)

    def _to_backoff(self, q: QueuedPodInfo) -> None:
        self._leave(q)
        q.where = BACKOFF
        expiry = self.backoff_expiry(q)
        # flushBackoffQCompleted runs once a second
        ticks = math.ceil((expiry - self.start) / BACKOFF_FLUSH_PERIOD - 1e-9)
        when = max(self.clock.now, self.start + ticks * BACKOFF_FLUSH_PERIOD)
        q.timer = self.clock.call_at(when, lambda: self._backoff_done(q), SCHEDULER,
                                     periodic=q.forever)

    def _backoff_done(self, q: QueuedPodInfo) -> None:
        q.timer = None
        if q.where == BACKOFF and self.pods.get(q.key) is q:
            self._to_active(q)

    def _flush_unschedulable(self) -> None:
        """flushUnschedulablePodsLeftover: retry pods that waited more than 5 minutes."""
        self._flush_timer = None
        now = self.clock.now
        for q in list(self.unschedulable.values()):
            if not q.gated and now - q.timestamp > MAX_IN_UNSCHEDULABLE:
                self._activate_or_backoff(q)
        if any(not q.gated for q in self.unschedulable.values()):
            self._flush_timer = self.clock.call_at(now + UNSCHEDULABLE_FLUSH_PERIOD,
                                                   self._flush_unschedulable, SCHEDULER,
                                                   periodic=True)
