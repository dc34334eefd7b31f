"""The pod garbage collector (pkg/controller/podgc), every 20 s:

* terminated pods (Succeeded/Failed) beyond --terminated-pod-gc-threshold (12500) are deleted,
  evicted ones and the oldest first;
* terminating pods on a node that is not Ready and tainted `node.kubernetes.io/out-of-service`
  (the admin's "this node is gone for good") are force-deleted;
* pods bound to a node that no longer exists are force-deleted once the node has been missing for
  the 40 s quarantine (condition DisruptionTarget "PodGC: node no longer exists");
* terminating pods that were never scheduled are force-deleted.

Each is first marked Failed (unless already terminal), then deleted with grace period 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.controllers.base import Controller
from k8scourse.sim.clock import CONTROLLER

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

GC_CHECK_PERIOD = 20.0
QUARANTINE_TIME = 40.0
TERMINATED_POD_GC_THRESHOLD = 12500
OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"
_NOT_TERMINATED = ("Pending", "Running", "Unknown", None)


class PodGCController(Controller):
    """Force-deletes the pods nobody else will ever finish deleting."""

    name = "pod-garbage-collector-controller"

    def __init__(self, cluster: "Cluster", threshold: int = TERMINATED_POD_GC_THRESHOLD):
        super().__init__(cluster)
        self.threshold = threshold
        #: node name -> when it was first found missing
        self._missing: dict[str, float] = {}
        self.clock.call_later(GC_CHECK_PERIOD, self._gc, CONTROLLER, periodic=True)

    def reconcile(self, key) -> None:  # the collector works on its period, not on keys
        self._gc_once()

    def _gc(self) -> None:
        self.clock.call_later(GC_CHECK_PERIOD, self._gc, CONTROLLER, periodic=True)
        self._gc_once()

    def _gc_once(self) -> None:
        pods = list(self.store.iter("Pod"))
        if not pods:
            self._missing.clear()
            return
        # one pass sorts out the few pods each step looks at (the rest are Running and bound)
        nodes = {n["metadata"]["name"] for n in self.store.iter("Node")}
        terminated, terminating, unscheduled, missing_now = [], [], [], set()
        for p in pods:
            status = p.get("status")
            if (status.get("phase") if status else None) not in _NOT_TERMINATED:
                terminated.append(p)
            node_name = (p.get("spec") or {}).get("nodeName")
            if p["metadata"].get("deletionTimestamp"):
                (terminating if node_name else unscheduled).append(p)
            if node_name and node_name not in nodes:
                missing_now.add(node_name)
        if self.threshold > 0:
            self._gc_terminated(terminated)
        self._gc_terminating(terminating)
        self._gc_orphaned(pods, missing_now)
        self._gc_unscheduled_terminating(unscheduled)

    # -----------------------------------------------------------------------------------------
    def _gc_terminated(self, terminated: list[dict]) -> None:
        excess = len(terminated) - self.threshold
        if excess <= 0:
            return
        terminated.sort(key=lambda p: (not _evicted(p), p["metadata"].get("creationTimestamp", ""),
                                       p["metadata"]["name"]))
        self.trace(f"{len(terminated)} terminated pods exceed the threshold of {self.threshold}; "
                   f"deleting the {excess} oldest")
        for p in terminated[:excess]:
            self._fail_and_delete(p)

    def _gc_terminating(self, terminating: list[dict]) -> None:
        """Terminating pods bound to a node: force-deleted when the node is out of service."""
        for p in terminating:
            node_name = p["spec"]["nodeName"]
            node = self.store.get("Node", "", node_name)
            if node is None:
                continue
            ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                        for c in (node.get("status") or {}).get("conditions") or ())
            tainted = any(t.get("key") == OUT_OF_SERVICE
                          for t in (node.get("spec") or {}).get("taints") or ())
            if not ready and tainted:
                self.trace(f"Pod {_name(p)} is terminating on node {node_name}, which is out of "
                           "service: force-deleting it")
                self._fail_and_delete(p)

    def _gc_orphaned(self, pods: list[dict], missing_now: set[str]) -> None:
        """Pods bound to the nodes in `missing_now` (gone from the API) go once the node has been
        missing for the quarantine time."""
        now = self.clock.now
        for n in list(self._missing):
            if n not in missing_now:
                del self._missing[n]
        for n in missing_now:
            self._missing.setdefault(n, now)
        gone = {n for n, since in self._missing.items() if now - since >= QUARANTINE_TIME}
        if not gone:
            return
        for p in pods:
            node_name = (p.get("spec") or {}).get("nodeName")
            if node_name in gone:
                self.trace(f"Pod {_name(p)} is bound to node {node_name}, which no longer exists: "
                           "force-deleting it")
                self._fail_and_delete(p, {"lastProbeTime": None,
                                          "lastTransitionTime": self.clock.timestamp(),
                                          "message": "PodGC: node no longer exists",
                                          "reason": "DeletionByPodGC", "status": "True",
                                          "type": "DisruptionTarget"})

    def _gc_unscheduled_terminating(self, unscheduled: list[dict]) -> None:
        for p in unscheduled:
            self._fail_and_delete(p)

    # -----------------------------------------------------------------------------------------
    def _fail_and_delete(self, pod: dict, condition: dict | None = None) -> None:
        """markFailedAndDeletePodWithCondition."""
        m = pod["metadata"]
        ns, name = m.get("namespace", ""), m["name"]
        current = self.store.get("Pod", ns, name)
        if current is None or current["metadata"].get("uid") != m.get("uid"):
            return
        status = current.get("status") or {}
        if status.get("phase") not in ("Succeeded", "Failed"):
            new = dict(status, phase="Failed")
            if condition is not None:
                conds = [c for c in status.get("conditions") or ()
                         if c.get("type") != condition["type"]]
                conds.append(condition)
                new["conditions"] = conds
            self.api.update_status("Pod", ns, name, new, actor=self.name)
        try:
            self.api.delete("Pod", ns, name, grace_period=0, actor=self.name)
        except Exception:  # already gone
            pass


def _evicted(pod: dict) -> bool:
    st = pod.get("status") or {}
    return st.get("phase") == "Failed" and st.get("reason") == "Evicted"


def _name(pod: dict) -> str:
    m = pod["metadata"]
    return f"{m.get('namespace', '')}/{m['name']}"
