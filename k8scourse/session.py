"""The cluster a notebook or terminal session talks to, and how simulated time follows the learner.

At the keyboard the cluster feels live: before each command, simulated time catches up with the
wall-clock time the learner spent since the previous one (capped), so a pod created a few seconds
ago is Running now. The wall clock is read only here, in the front end, never inside the model;
`live=False` (or K8SCOURSE_LIVE=0, as the graders set it) makes every command take exactly
`cluster.step` simulated seconds, which is what tests and autograding use.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster, KubectlResult

#: The most simulated time one pause at the keyboard may add (a lunch break is not a rollout).
MAX_CATCH_UP = 600.0


class Session:
    """A cluster plus the wall-clock bookkeeping that makes it feel live."""

    def __init__(self, cluster: "Cluster", live: bool | None = None):
        self.cluster = cluster
        if live is None:
            live = os.environ.get("K8SCOURSE_LIVE", "1") not in ("0", "false", "no")
        self.live = live
        self._last_wall: float | None = None

    def catch_up(self) -> None:
        """Let simulated time pass as much as wall time did since the last command."""
        now = time.monotonic()
        if self.live and self._last_wall is not None:
            behind = min(now - self._last_wall, MAX_CATCH_UP) - self.cluster.step
            if behind > 0:
                self.cluster.advance(behind)
        self._last_wall = now

    def kubectl(self, command, *, stdin: str | None = None, cwd: str | None = None) -> "KubectlResult":
        self.catch_up()
        result = self.cluster.kubectl(command, stdin=stdin, cwd=cwd)
        self._last_wall = time.monotonic()
        return result


_current: Session | None = None


def current() -> Session:
    """This kernel's session, created on first use with a two-worker kubeadm cluster."""
    global _current
    if _current is None:
        from k8scourse.cluster import Cluster

        _current = Session(Cluster.kubeadm(workers=2))
    return _current


def use(cluster: "Cluster", live: bool | None = None) -> Session:
    """Make `cluster` the one `%kubectl` talks to."""
    global _current
    _current = Session(cluster, live)
    return _current
