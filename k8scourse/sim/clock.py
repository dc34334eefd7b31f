"""Timers in (time, priority, insertion) order: the only source of time in the model.

Components never sleep or read the wall clock; they schedule callbacks. `run(until=t)` processes every
callback due at or before simulated time `t`, in (time, priority, insertion) order, so a run is
repeatable to the letter.
"""

from __future__ import annotations

import gc
import heapq
import math
from datetime import datetime, timedelta, timezone
from typing import Callable

#: When a new cluster's clock starts (any fixed instant keeps timestamps repeatable).
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)

# Priorities inside one instant: the API server's effects (watch delivery) first, then controllers,
# then the scheduler, then kubelets. Lower runs first.
WATCH, CONTROLLER, SCHEDULER, KUBELET, LATE = 0, 10, 20, 30, 40

#: The cyclic garbage collector's thresholds while a cluster lives in the process. A cluster keeps
#: what it holds for a long time (stored objects, pod workers, logs), and almost all of it is
#: freed by reference counting (API objects are trees). With CPython's default (700, 10, 10) the
#: collector rescans that state over and over while a big cluster grows: a third of the CPU time
#: of 10,000 pods starting. These thresholds keep the young generations small and collected often
#: (what survives is scanned again while it is still in the CPU's cache; cycles made and dropped
#: by a command are freed as before) but run a full collection only after 4,000 middle-generation
#: ones (about 20 million allocations), so its cost no longer grows faster than the cluster.
#: Measured with benchmarks/cluster_scale.py: at 100,000 pods, 2.4 s of collection against 3.9 s
#: with (2000, 20, 500) and 6.0 s with (10000, 20, 100).
GC_THRESHOLDS = (1_000, 5, 4_000)
_GC_DEFAULT = (700, 10, 10)


def tune_gc() -> None:
    """Raise the collector thresholds to GC_THRESHOLDS unless someone already chose their own."""
    if gc.get_threshold() == _GC_DEFAULT:
        gc.set_threshold(*GC_THRESHOLDS)


class Timer:
    """A scheduled callback; `cancel()` stops it from running."""

    __slots__ = ("when", "callback", "args", "cancelled", "periodic", "done", "clock")

    def __init__(self, clock: "Clock", when: float, callback: Callable[..., None], periodic: bool,
                 args: tuple = ()):
        self.clock = clock
        self.when = when
        self.callback = callback
        self.args = args
        self.cancelled = False
        self.periodic = periodic
        self.done = False

    def cancel(self) -> None:
        if not self.cancelled and not self.done:
            self.cancelled = True
            self.callback = None
            self.args = ()
            if not self.periodic:
                self.clock._work -= 1


class Clock:
    """Simulated time in seconds since the cluster started.

    Timers wait in two levels: a heap of the distinct times something is due (plain numbers,
    cheap to compare) and, per time, a heap of (priority, sequence, timer). Many timers share an
    instant (everything a watch or a batch sets off "now"), and the order is the same as one heap
    of (time, priority, sequence) would give.
    """

    def __init__(self, epoch: datetime = EPOCH):
        tune_gc()
        self.epoch = epoch
        self.now = 0.0
        self._times: list[float] = []  # heap of the times in _due
        self._due: dict[float, list[tuple[int, int, Timer]]] = {}  # time -> heap of its timers
        self._seq = 0
        self._work = 0  # live timers that are not periodic housekeeping
        self._stamps: dict[int, str] = {}

    # scheduling -------------------------------------------------------------------------------
    def call_at(self, when: float, callback: Callable[..., None], priority: int = CONTROLLER,
                periodic: bool = False, args: tuple = ()) -> Timer:
        """Run `callback(*args)` at simulated time `when` (never in the past).

        `periodic` marks housekeeping that repeats for ever (node heartbeats, back-off
        re-checks): `settle()` does not wait for those. `args` spares a closure (and the cells
        its variables become) where a component schedules one of its own methods.
        """
        now = self.now
        if when < now:
            when = now
        timer = Timer(self, when, callback, periodic, args)
        if not periodic:
            self._work += 1
        self._seq += 1
        slot = self._due.get(when)
        if slot is None:
            self._due[when] = [(priority, self._seq, timer)]
            heapq.heappush(self._times, when)
        else:
            heapq.heappush(slot, (priority, self._seq, timer))
        return timer

    def call_later(self, delay: float, callback: Callable[..., None], priority: int = CONTROLLER,
                   periodic: bool = False, args: tuple = ()) -> Timer:
        return self.call_at(self.now + delay, callback, priority, periodic, args)

    # running --------------------------------------------------------------------------------
    def _pop(self, when: float) -> Timer:
        """Take the first timer due at `when` (the earliest time with timers)."""
        slot = self._due[when]
        timer = heapq.heappop(slot)[2] if len(slot) > 1 else slot.pop()[2]
        if not slot:
            heapq.heappop(self._times)
            del self._due[when]
        return timer

    def next_time(self) -> float | None:
        """When the next live callback is due, or None when nothing is scheduled."""
        times, due = self._times, self._due
        while times:
            when = times[0]
            slot = due[when]
            while slot and slot[0][2].cancelled:
                heapq.heappop(slot)
            if slot:
                return when
            heapq.heappop(times)
            del due[when]
        return None

    def has_work(self) -> bool:
        """Whether anything other than periodic housekeeping is scheduled."""
        return self._work > 0

    def step(self) -> bool:
        """Run the next callback; False when there is none."""
        return self.step_by(math.inf)

    def step_by(self, deadline: float) -> bool:
        """Run the next callback if it is due at or before `deadline`; False when none is."""
        times = self._times
        while times:
            when = times[0]
            if when > deadline:
                return False
            timer = self._pop(when)
            if timer.cancelled:
                continue
            self._fire(when, timer)
            return True
        return False

    def _fire(self, when: float, timer: Timer) -> None:
        self.now = when
        timer.done = True
        if not timer.periodic:
            self._work -= 1
        callback = timer.callback
        args = timer.args
        # a fired timer may be kept (to cancel it later); its callback and what the callback
        # closes over need not be: a third of what a started pod leaves in memory
        timer.callback = None
        if args:
            timer.args = ()
            callback(*args)
        else:
            callback()

    def run(self, until: float) -> int:
        """Run every callback due at or before `until`, then set the time to `until`.

        Returns how many callbacks ran.
        """
        times = self._times
        ran = 0
        while times and times[0] <= until:
            when = times[0]
            timer = self._pop(when)
            if timer.cancelled:
                continue
            self._fire(when, timer)
            ran += 1
        if until > self.now:
            self.now = until
        return ran

    # reading --------------------------------------------------------------------------------
    def datetime(self, at: float | None = None) -> datetime:
        """The simulated instant as an aware datetime."""
        return self.epoch + timedelta(seconds=self.now if at is None else at)

    def timestamp(self, at: float | None = None) -> str:
        """RFC 3339 in whole seconds, as metadata.creationTimestamp shows it."""
        second = math.floor(self.now if at is None else at)
        stamp = self._stamps.get(second)
        if stamp is None:
            if len(self._stamps) > 4096:
                self._stamps.clear()
            stamp = self._stamps[second] = (self.epoch + timedelta(seconds=second)).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
        return stamp

    def parse(self, ts: str) -> float:
        """Seconds since the epoch of a timestamp this clock wrote."""
        dt = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        return (dt - self.epoch).total_seconds()
