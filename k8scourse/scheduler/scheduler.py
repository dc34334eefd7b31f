"""kube-scheduler: watches pending pods and binds each to a node (pkg/scheduler/schedule_one.go).

One pod at a time, in queue order, inside a clock callback at SCHEDULER priority: filter the
nodes, score the ones that fit, bind to the best (ties broken at random with the cluster's seeded
source). A pod that fits nowhere gets a `FailedScheduling` event and a PodScheduled=False
condition saying why, and waits in the queue until the cluster changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.scheduler import framework, preemption
from k8scourse.scheduler.cache import Cache, NodeInfo
from k8scourse.scheduler.plugins import (nodeaffinity, nodeports, noderesources,
                                         nodeunschedulable, podtopologyspread, tainttoleration)
from k8scourse.scheduler.podinfo import PodInfo, Resources
from k8scourse.scheduler.queue import QueuedPodInfo, SchedulingQueue
from k8scourse.scheduler.types import NO_NODES_AVAILABLE, truncate_message
from k8scourse.sim.clock import SCHEDULER

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

NAME = "default-scheduler"
_TERMINATED = ("Succeeded", "Failed")


class _NodeView:
    """The few fields of a Node the queueing hints compare before and after a change."""

    __slots__ = ("name", "labels", "taints", "unschedulable", "allocatable")

    def __init__(self, ni: NodeInfo):
        self.name = ni.name
        self.labels = ni.labels
        self.taints = ni.taints
        self.unschedulable = ni.unschedulable
        self.allocatable = ni.allocatable

    def differs(self, ni: NodeInfo) -> bool:
        a, b = self.allocatable, ni.allocatable
        return (self.labels != ni.labels or self.taints != ni.taints
                or self.unschedulable != ni.unschedulable
                or (a.cpu, a.memory, a.ephemeral, a.pods, a.scalars) !=
                (b.cpu, b.memory, b.ephemeral, b.pods, b.scalars))


class Scheduler:
    """The default scheduler of one cluster."""

    name = NAME
    #: from this many nodes on, filtering and scoring run on arrays (same results, faster)
    vectorise_from = 48

    def __init__(self, cluster: "Cluster"):
        self.cluster = cluster
        self.api = cluster.api
        self.store = cluster.api.store
        self.clock = cluster.clock
        self.rand = cluster.rand
        self.cache = Cache()
        self.queue = SchedulingQueue(self.clock, self._kick)
        self.next_start_node_index = 0
        self._timer = None
        self._fast = None
        self._binding: tuple | None = None
        self.attempts = 0
        self._selectors: dict = {}
        self.store.watch("Node", self._on_node)
        self.store.watch("Pod", self._on_pod)
        for kind in ("Service", "ReplicaSet", "ReplicationController", "StatefulSet"):
            self.store.watch(kind, self._on_selector_source)
        for node in list(self.store.iter("Node")):
            self._on_node("ADDED", node, None)
        for pod in list(self.store.iter("Pod")):
            self._on_pod("ADDED", pod, None)

    # ------------------------------------------------------------------------------------------
    # watches

    def _on_node(self, event: str, node: dict, old: dict | None) -> None:
        name = node["metadata"]["name"]
        if event == "DELETED":
            self.cache.remove_node(name)
            return
        if old is not None and event == "MODIFIED" and not _node_changed(old, node):
            ni = self.cache.infos.get(name)
            if ni is not None:
                ni.node = node
            return
        prev = self.cache.get(name)
        before = _NodeView(prev) if prev is not None else None
        _, ni = self.cache.set_node(node)
        if self.queue.unschedulable and (before is None or before.differs(ni)):
            # (a node's list of images changing never makes a pod fit)
            self.queue.move_all(lambda q: self._node_event_helps(q, before, ni))

    def _on_pod(self, event: str, pod: dict, old: dict | None) -> None:
        meta = pod["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        cache = self.cache
        if old is not None and event == "MODIFIED":
            # the common case, kept cheap: a kubelet updating the status of a bound pod
            spec = pod.get("spec") or {}
            node = spec.get("nodeName")
            if node and (old.get("spec") or {}).get("nodeName") == node and \
                    (pod.get("status") or {}).get("phase") not in _TERMINATED and \
                    not _assigned_pod_changed(old, pod):
                cur = cache.pod(key)
                if cur is not None:
                    cur.pod = pod
                    return
        if event == "DELETED":
            cache.unnominate(key)
            if key in cache.pod_node:
                gone = cache.remove_pod(key)
                if gone is not None:
                    self._assigned_pod_deleted(gone)
            else:
                self.queue.delete(key)
            return
        spec = pod.get("spec") or {}
        node = spec.get("nodeName")
        if node:
            if key in self.queue:
                self.queue.delete(key)
            if key in cache.nominated_node_of:
                cache.unnominate(key)
            if (pod.get("status") or {}).get("phase") in _TERMINATED:
                if key in cache.pod_node:
                    gone = cache.remove_pod(key)
                    if gone is not None:
                        self._assigned_pod_deleted(gone)
                return
            cur = cache.pod(key)
            if cur is not None and cache.pod_node.get(key) == node and old is not None \
                    and not _assigned_pod_changed(old, pod):
                cur.pod = pod
                return
            binding = self._binding
            if binding is not None and binding[0] == key:
                pinfo = binding[1]
                pinfo.pod = pod
                self._binding = None
            else:
                pinfo = PodInfo(pod)
            cache.add_pod(pinfo, node)
            if cur is None and self.queue.waiting_on(podtopologyspread.NAME):
                self.queue.move_all(self._assigned_pod_added_helps)
            return
        if (spec.get("schedulerName") or NAME) != NAME:
            self.queue.delete(key)
            return
        pinfo = PodInfo(pod)
        if event == "ADDED" or key not in self.queue:
            self.queue.add(pinfo)
        else:
            self.queue.update(pinfo, old is None or _pending_pod_changed(old, pod))
        if pinfo.nominated_node:
            cache.nominate(pinfo, pinfo.nominated_node)
        elif key in cache.nominated_node_of:
            cache.unnominate(key)

    def _on_selector_source(self, event: str, obj: dict, old: dict | None) -> None:
        """Services and workload controllers decide the default spreading selector of pods."""
        if not self._selectors:
            return
        if event == "MODIFIED" and obj["kind"] in ("ReplicaSet", "StatefulSet"):
            return  # their selectors cannot change
        if event == "MODIFIED" and old is not None and \
                (old.get("spec") or {}).get("selector") == (obj.get("spec") or {}).get("selector"):
            return
        self._selectors.clear()

    def spread_selector(self, pod: PodInfo) -> tuple:
        """podtopologyspread.default_selector, remembered per owner and labels."""
        owner = pod.owner
        key = (pod.namespace, owner.get("uid") if owner else None, tuple(pod.labels.items()))
        sel = self._selectors.get(key)
        if sel is None:
            if len(self._selectors) > 1024:
                self._selectors.clear()
            sel = self._selectors[key] = podtopologyspread.default_selector(pod, self.store)
        return sel

    # ------------------------------------------------------------------------------------------
    # queueing hints: may this cluster event make a waiting pod schedulable?

    def _node_event_helps(self, q: QueuedPodInfo, before: _NodeView | None, ni: NodeInfo) -> bool:
        if not q.plugins:
            return True
        pod = q.pinfo
        for plugin in q.plugins:
            if plugin == nodeunschedulable.NAME:
                now_ok = not ni.unschedulable or nodeunschedulable.tolerates_cordon(pod)
                was_ok = before is not None and (not before.unschedulable or
                                                 nodeunschedulable.tolerates_cordon(pod))
                if now_ok and not was_ok:
                    return True
            elif plugin == tainttoleration.NAME:
                now_ok = tainttoleration.untolerated_taint(ni.taints, pod.tolerations) is None
                was_ok = before is not None and \
                    tainttoleration.untolerated_taint(before.taints, pod.tolerations) is None
                if now_ok and not was_ok:
                    return True
            elif plugin == nodeaffinity.NAME:
                now_ok = pod.required_affinity_matches(ni.labels, ni.name)
                was_ok = before is not None and pod.required_affinity_matches(before.labels,
                                                                              before.name)
                if now_ok and not was_ok:
                    return True
            elif plugin == nodeports.NAME:
                if before is None:
                    return True
            elif plugin == noderesources.NAME:
                if noderesources.fits_allocatable(pod, ni.allocatable) and \
                        (before is None or _allocatable_grew(pod, before.allocatable, ni.allocatable)):
                    return True
            elif plugin == podtopologyspread.NAME:
                if before is None or before.labels != ni.labels:
                    return True
        return False

    def _assigned_pod_deleted(self, gone: PodInfo) -> None:
        if not self.queue.unschedulable:
            return

        def helps(q: QueuedPodInfo) -> bool:
            if not q.plugins:
                return True
            if noderesources.NAME in q.plugins or podtopologyspread.NAME in q.plugins:
                return True
            if nodeports.NAME in q.plugins:
                wanted = {(proto, port) for _, proto, port in q.pinfo.host_ports}
                return any((proto, port) in wanted for _, proto, port in gone.host_ports)
            return False
        self.queue.move_all(helps)

    @staticmethod
    def _assigned_pod_added_helps(q: QueuedPodInfo) -> bool:
        return podtopologyspread.NAME in q.plugins

    # ------------------------------------------------------------------------------------------
    # scheduling

    def _kick(self) -> None:
        if self._timer is None:
            self._timer = self.clock.call_at(self.clock.now, self._run, SCHEDULER)

    def _run(self) -> None:
        """Schedule every pod that is ready now, one at a time, in queue order."""
        self._timer = None
        queue = self.queue
        while True:
            q = queue.pop()
            if q is None:
                return
            self.schedule_one(q)

    def schedule_one(self, q: QueuedPodInfo) -> None:
        """One scheduling cycle for one pod: find a node and bind, or record why not."""
        self.attempts += 1
        pinfo = q.pinfo
        stored = self.store.get("Pod", pinfo.namespace, pinfo.name)
        if stored is None or (stored.get("spec") or {}).get("nodeName"):
            self.queue.delete(pinfo.key)
            return
        if stored is not pinfo.pod:
            pinfo = q.pinfo = PodInfo(stored)
        if pinfo.deleting:
            self.api.events.record(stored, "Warning", "FailedScheduling",
                                   f"skip schedule deleting pod: {pinfo.namespace}/{pinfo.name}",
                                   NAME)
            self.queue.delete(pinfo.key)
            return
        state = framework.CycleState(self.cache, self.store)
        result = self._schedule_pod(pinfo, state)
        if result.node is not None:
            self._bind(q, pinfo, stored, result)
        else:
            self._fail(q, pinfo, stored, result, state)

    @property
    def explain(self) -> bool:
        """Whether decisions are being traced (the fast path skips trace-only details if not)."""
        return self.cluster.trace.enabled

    def _schedule_pod(self, pinfo: PodInfo, state: framework.CycleState) -> framework.Result:
        if state.num_all_nodes >= self.vectorise_from:
            from k8scourse.scheduler import fastpath

            if fastpath.handles(pinfo, self.cache):
                if self._fast is None:
                    self._fast = fastpath.FastPath(self.cache)
                return self._fast.schedule_pod(self, pinfo, state)
        return framework.schedule_pod(self, pinfo, state)

    def _bind(self, q: QueuedPodInfo, pinfo: PodInfo, stored: dict, result: framework.Result) -> None:
        node = result.node
        now = self.clock.timestamp()
        new = dict(stored)
        new["metadata"] = dict(stored["metadata"])
        new["spec"] = dict(stored["spec"], nodeName=node)
        status = dict(stored.get("status") or {})
        status["conditions"] = _set_condition(status.get("conditions"), {
            "type": "PodScheduled", "status": "True", "lastProbeTime": None,
            "lastTransitionTime": now}, now)
        new["status"] = status
        self.queue.delete(pinfo.key)
        self.cache.unnominate(pinfo.key)
        self._binding = (pinfo.key, pinfo)
        written = self.api.write(new, actor=NAME)
        self._binding = None
        self.api.events.record(written, "Normal", "Scheduled",
                               f"Successfully assigned {pinfo.namespace}/{pinfo.name} to {node}", NAME)
        if self.cluster.trace.enabled:
            self.cluster.trace.add(NAME, _explain_success(pinfo, result))

    def _fail(self, q: QueuedPodInfo, pinfo: PodInfo, stored: dict, result: framework.Result,
              state: framework.CycleState) -> None:
        message, plugins, candidate, nominate = diagnose(pinfo, result, state, self.rand)
        if candidate is not None:
            self._preempt(pinfo, candidate)
        message = truncate_message(message)
        self.api.events.record(stored, "Warning", "FailedScheduling", message, NAME)
        now = self.clock.timestamp()
        status = dict(stored.get("status") or {})
        status["conditions"] = _set_condition(status.get("conditions"), {
            "type": "PodScheduled", "status": "False", "lastProbeTime": None,
            "lastTransitionTime": now, "reason": "Unschedulable", "message": message}, now)
        if nominate is not None:
            if nominate:
                status["nominatedNodeName"] = nominate
            else:
                status.pop("nominatedNodeName", None)
        self.queue.add_unschedulable(q, plugins)
        self.api.update_status("Pod", pinfo.namespace, pinfo.name, status, actor=NAME)
        if nominate:
            self.cache.nominate(q.pinfo, nominate)
        elif nominate == "":
            self.cache.unnominate(pinfo.key)
        if self.cluster.trace.enabled:
            self.cluster.trace.add(NAME, _explain_failure(pinfo, message, nominate))

    def _preempt(self, pinfo: PodInfo, candidate: preemption.Candidate) -> None:
        """prepareCandidate: mark and delete the victims, and drop weaker nominations there."""
        api = self.api
        for v in candidate.victims:
            victim = self.store.get("Pod", v.namespace, v.name)
            if victim is None:
                continue
            now = self.clock.timestamp()
            status = dict(victim.get("status") or {})
            status["conditions"] = _set_condition(status.get("conditions"), {
                "type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                "lastTransitionTime": now, "reason": "PreemptionByScheduler",
                "message": f"{NAME}: preempting to accommodate a higher priority pod"}, now)
            api.update_status("Pod", v.namespace, v.name, status, actor=NAME)
            try:
                api.delete("Pod", v.namespace, v.name, actor=NAME)
            except Exception:  # already gone
                continue
            api.events.record(victim, "Normal", "Preempted",
                              f"Preempted by pod {pinfo.uid} on node {candidate.node}", NAME)
        for other in preemption.lower_priority_nominated(self.cache, pinfo, candidate.node):
            stored = self.store.get("Pod", other.namespace, other.name)
            self.cache.unnominate(other.key)
            if stored is not None and (stored.get("status") or {}).get("nominatedNodeName"):
                status = dict(stored["status"])
                status.pop("nominatedNodeName", None)
                api.update_status("Pod", other.namespace, other.name, status, actor=NAME)
        if self.cluster.trace.enabled:
            names = ", ".join(_pod_ref(v) for v in candidate.victims)
            self.cluster.trace.add(NAME, f"Pod {_pod_ref(pinfo)} has priority {pinfo.priority}: "
                                         f"evicting lower-priority {names} from "
                                         f"{candidate.node} to make room")


# ---------------------------------------------------------------------------------------------
# helpers


def diagnose(pinfo: PodInfo, result: framework.Result, state: framework.CycleState, rand):
    """After a failed attempt: run PostFilter (preemption) and build the FitError message.

    Returns (message, rejecting plugins, preemption candidate or None, nomination) where the
    nomination is a node name, "" to clear the pod's nominatedNodeName, or None to keep it."""
    diag = result.diagnosis
    if result.num_all_nodes == 0:
        return NO_NODES_AVAILABLE, set(), None, ""
    nominate: str | None = ""
    candidate = None
    if diag.preemption is not None:
        post = diag.preemption
    else:
        post, candidate = preemption.post_filter(pinfo, diag, state, rand)
    diag.postfilter_msg = post
    if candidate is not None:
        nominate = candidate.node
    elif post.startswith("preemption: not eligible"):
        nominate = None
    return diag.fit_error(result.num_all_nodes), diag.plugins, candidate, nominate


def _node_changed(old: dict, new: dict) -> bool:
    """Whether an update touched anything the scheduler looks at (not just a heartbeat)."""
    if old.get("spec") != new.get("spec"):
        return True
    if (old.get("metadata") or {}).get("labels") != (new.get("metadata") or {}).get("labels"):
        return True
    os_, ns_ = old.get("status") or {}, new.get("status") or {}
    return os_.get("allocatable") != ns_.get("allocatable") or os_.get("images") != ns_.get("images")


def _assigned_pod_changed(old: dict, new: dict) -> bool:
    om, nm = old.get("metadata") or {}, new.get("metadata") or {}
    if om.get("labels") != nm.get("labels") or \
            bool(om.get("deletionTimestamp")) != bool(nm.get("deletionTimestamp")):
        return True
    os_, ns_ = old.get("spec") or {}, new.get("spec") or {}
    if os_ is ns_:
        return False
    return os_.get("containers") != ns_.get("containers") or \
        os_.get("initContainers") != ns_.get("initContainers") or \
        os_.get("priority") != ns_.get("priority") or os_.get("overhead") != ns_.get("overhead")


def _pending_pod_changed(old: dict, new: dict) -> bool:
    """PodSchedulingPropertiesChange, roughly: anything but status and bookkeeping changed."""
    if old.get("spec") != new.get("spec"):
        return True
    om, nm = old.get("metadata") or {}, new.get("metadata") or {}
    return om.get("labels") != nm.get("labels") or om.get("annotations") != nm.get("annotations")


def _allocatable_grew(pod: PodInfo, before: Resources, after: Resources) -> bool:
    req = pod.requests
    if req.cpu and after.cpu > before.cpu:
        return True
    if req.memory and after.memory > before.memory:
        return True
    if req.ephemeral and after.ephemeral > before.ephemeral:
        return True
    if after.pods > before.pods:
        return True
    return any(q and after.scalars.get(n, 0) > before.scalars.get(n, 0)
               for n, q in req.scalars.items())


def _set_condition(conditions: list | None, cond: dict, now: str) -> list:
    """podutil.UpdatePodCondition: replace the condition of that type; keep lastTransitionTime
    when the status did not change."""
    out = []
    found = False
    for c in conditions or ():
        if c.get("type") == cond["type"]:
            found = True
            if c.get("status") == cond["status"] and c.get("lastTransitionTime"):
                cond = dict(cond, lastTransitionTime=c["lastTransitionTime"])
            out.append(cond)
        else:
            out.append(c)
    if not found:
        out.append(cond)
    return out


def _pod_ref(p: PodInfo) -> str:
    return p.name if p.namespace == "default" else f"{p.namespace}/{p.name}"


def _names(names: list[str], count: int, limit: int = 6) -> str:
    if names and count <= limit:
        if count == 1:
            return names[0]
        return ", ".join(names[:-1]) + " and " + names[-1]
    return f"{count} nodes"


def _ruled_out(diag) -> str:
    if not diag.ruled_out:
        return ""
    if len(diag.statuses) == diag.ruled_out and diag.ruled_out <= 4:
        parts = [f"{n}: {s.message()}" for n, s in diag.statuses.items()]
        return " (not " + "; not ".join(parts) + ")"
    return f" ({diag.ruled_out} others ruled out)"


def _explain_success(pinfo: PodInfo, result: framework.Result) -> str:
    who = _pod_ref(pinfo)
    ruled = _ruled_out(result.diagnosis)
    if result.n_feasible == 1:
        return f"Pod {who} fits only on {result.node}{ruled}; bound it there"
    if result.tied > 1:
        how = f"score {result.best}, tied with {result.tied - 1} other node(s): picked at random"
    else:
        how = f"score {result.best}" + (f" vs {result.runner_up}" if result.runner_up is not None else "")
    return (f"Pod {who} fits on {_names(result.feasible, result.n_feasible)}{ruled}; "
            f"chose {result.node} ({how})")


def _explain_failure(pinfo: PodInfo, message: str, nominate: str | None) -> str:
    text = f"Pod {_pod_ref(pinfo)} fits on no node ({message}); it stays Pending until the cluster changes"
    if nominate:
        text += f"; nominated to {nominate} once the evicted pods are gone"
    return text
