"""The node lifecycle controller and the taint eviction controller (kube-controller-manager).

NodeLifecycleController (pkg/controller/nodelifecycle), events from `node-controller`:

* watches the kubelets' heartbeats (the kube-node-lease Leases, renewed every 10 s): a node that
  has not renewed for node-monitor-grace-period (50 s since v1.32, PR #126287; 60 s for a node
  that never posted status)
  gets Ready=Unknown "Kubelet stopped posting node status." (and its pressure conditions too),
  the event `NodeNotReady`, and its pods are marked not ready;
* taints nodes by condition (TaintNodesByCondition): `node.kubernetes.io/not-ready:NoSchedule`
  for Ready=False, `node.kubernetes.io/unreachable:NoSchedule` for Ready=Unknown, pressure taints,
  `node.kubernetes.io/unschedulable:NoSchedule` for a cordoned node;
* adds the NoExecute not-ready/unreachable taints that drive eviction, rate limited (0.1 node/s)
  and not at all when every node is down (full disruption) or, in a cluster of at most 50 nodes,
  when more than 2 nodes and at least 55 % are (partial disruption); removes them when the node
  is Ready again.

TaintEvictionController (pkg/controller/tainteviction), events from `taint-eviction-controller`:
a pod on a node with a NoExecute taint it does not tolerate is deleted at once; one that tolerates
it for `tolerationSeconds` (300 s for the not-ready/unreachable tolerations every pod gets) is
deleted when that time is up: event `TaintManagerEviction` "Marking for deletion Pod ns/name".
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING

from k8scourse.controllers.base import Controller
from k8scourse.sim.clock import CONTROLLER

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
#: which condition status gives which taint (nodeConditionToTaintKeyStatusMap)
CONDITION_TAINTS = {
    ("Ready", "False"): NOT_READY,
    ("Ready", "Unknown"): UNREACHABLE,
    ("MemoryPressure", "True"): "node.kubernetes.io/memory-pressure",
    ("DiskPressure", "True"): "node.kubernetes.io/disk-pressure",
    ("NetworkUnavailable", "True"): "node.kubernetes.io/network-unavailable",
    ("PIDPressure", "True"): "node.kubernetes.io/pid-pressure",
}
CONDITION_TAINT_KEYS = frozenset(CONDITION_TAINTS.values())

NODE_MONITOR_PERIOD = 5.0
NODE_MONITOR_GRACE_PERIOD = 50.0
NODE_STARTUP_GRACE_PERIOD = 60.0
EVICTION_LIMITER_QPS = 0.1
LARGE_CLUSTER_THRESHOLD = 50
UNHEALTHY_ZONE_THRESHOLD = 0.55


def tolerates(toleration: dict, taint: dict) -> bool:
    """v1.Toleration.ToleratesTaint."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    op = toleration.get("operator") or "Equal"
    if key and key != taint.get("key"):
        return False
    if op == "Exists":
        return True
    if not key:
        return False
    return (toleration.get("value") or "") == (taint.get("value") or "")


def matching_tolerations(taints: list[dict], tolerations: list[dict]) -> tuple[bool, list[dict]]:
    """v1helper.GetMatchingTolerations: whether every taint is tolerated, and by which."""
    used = []
    for taint in taints:
        for t in tolerations:
            if isinstance(t, dict) and tolerates(t, taint):
                used.append(t)
                break
        else:
            return False, []
    return True, used


def min_toleration_seconds(used: list[dict]) -> float:
    """getMinTolerationTime: the shortest tolerationSeconds (<= 0 means 0), -1 for for ever."""
    best = math.inf
    for t in used:
        s = t.get("tolerationSeconds")
        if s is None:
            continue
        if s <= 0:
            return 0.0
        best = min(best, float(s))
    return -1.0 if best == math.inf else best


def _conditions(node: dict) -> dict[str, dict]:
    return {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or ()}


def _ready_status(node: dict) -> str | None:
    c = _conditions(node).get("Ready")
    return c.get("status") if c else None


class NodeLifecycleController(Controller):
    """Marks unresponsive nodes Unknown, taints nodes by condition, and drives taint eviction."""

    name = "node-lifecycle-controller"
    event_source = "node-controller"

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        self.known: dict[str, str] = {}                 # node name -> uid
        self.probe: dict[str, float] = {}               # when the node last showed life
        self.seen_lease: dict[str, str] = {}
        self.seen_heartbeat: dict[str, str | None] = {}
        self.ready: dict[str, str | None] = {}          # Ready condition status per node
        self._ready_count = 0
        self.zone_state = "Initial"
        self._t0 = cluster.clock.now
        self._deadlines: list[tuple[float, str]] = []
        self._taint_queue: dict[str, None] = {}
        self._next_token = 0.0
        self._taint_timer = None
        self.store.watch("Node", self._on_node)
        self.store.watch("Pod", self._on_pod)
        self.taint_eviction = TaintEvictionController(cluster)
        self.clock.call_later(NODE_MONITOR_PERIOD, self._monitor, CONTROLLER, periodic=True)

    # events --------------------------------------------------------------------------------
    def event(self, obj: dict, type_: str, reason: str, message: str) -> None:
        self.api.events.record(obj, type_, reason, message, self.event_source)

    def _node_event(self, node: dict, reason: str, message: str) -> None:
        """controllerutil.RecordNodeEvent: `Node <name> event: <message>`."""
        self.event(node, "Normal", reason, f"Node {node['metadata']['name']} event: {message}")

    # watches --------------------------------------------------------------------------------
    def _on_node(self, event: str, obj: dict, old: dict | None) -> None:
        name = obj["metadata"]["name"]
        if event == "DELETED":
            if name in self.known:
                del self.known[name]
                self._node_event(obj, "RemovingNode", f"Removing Node {name} from Controller")
                self.trace(f"Node {name} was deleted; the controller forgets it")
            self.probe.pop(name, None)
            self._set_ready(name, None, forget=True)
            self._taint_queue.pop(name, None)
            return
        if name not in self.known:
            self.known[name] = obj["metadata"].get("uid", "")
            self._node_event(obj, "RegisteredNode", f"Registered Node {name} in Controller")
            self.probe[name] = self.clock.now
            self._push_deadline(name, NODE_STARTUP_GRACE_PERIOD
                                if _ready_status(obj) is None else NODE_MONITOR_GRACE_PERIOD)
        self.enqueue(("", name))

    def _on_pod(self, event: str, obj: dict, old: dict | None) -> None:
        if event != "ADDED" and event != "MODIFIED":
            return
        node = (obj.get("spec") or {}).get("nodeName")
        if not node or (old is not None and (old.get("spec") or {}).get("nodeName") == node):
            return
        if self.ready.get(node) == "Unknown":
            # processPod: a pod bound to a node that stopped reporting is not ready
            self.clock.call_later(0, lambda: self._mark_pods_not_ready(
                [self._pod(obj)], node, record_node=False), CONTROLLER)

    def _set_ready(self, name: str, status: str | None, forget: bool = False) -> None:
        """Keep the Ready status per node and the count of Ready nodes (for the zone state)."""
        old = self.ready.get(name)
        if old == "True":
            self._ready_count -= 1
        if forget:
            self.ready.pop(name, None)
            return
        self.ready[name] = status
        if status == "True":
            self._ready_count += 1

    def _pod(self, obj: dict) -> dict | None:
        m = obj["metadata"]
        return self.store.get("Pod", m.get("namespace", ""), m["name"])

    # reconcile: taints by condition and the NoExecute decision ----------------------------------
    def reconcile(self, key) -> None:
        name = key[1]
        node = self.store.get("Node", "", name)
        if node is None:
            return
        status = _ready_status(node)
        self._set_ready(name, status)
        self._observe(name, node)
        self._no_schedule_pass(node)
        self._zone_state()
        node = self.store.get("Node", "", name)
        if node is not None and status is not None:
            self._taint_based_eviction(node, status)

    def _observe(self, name: str, node: dict) -> None:
        """A new heartbeat in the node's status counts as a sign of life."""
        hb = (_conditions(node).get("Ready") or {}).get("lastHeartbeatTime")
        if hb and hb != self.seen_heartbeat.get(name):
            self.seen_heartbeat[name] = hb
            tick = self._tick_after(self.clock.now)
            if self.probe.get(name, -1) < tick:
                self.probe[name] = tick
                self._push_deadline(name, NODE_MONITOR_GRACE_PERIOD)

    def _no_schedule_pass(self, node: dict) -> None:
        """doNoScheduleTaintingPass."""
        wanted = []
        for c in (node.get("status") or {}).get("conditions") or ():
            key = CONDITION_TAINTS.get((c.get("type"), c.get("status")))
            if key:
                wanted.append({"key": key, "effect": "NoSchedule"})
        if (node.get("spec") or {}).get("unschedulable"):
            wanted.append({"key": UNSCHEDULABLE, "effect": "NoSchedule"})
        taints = list((node.get("spec") or {}).get("taints") or ())
        current = [t for t in taints if t.get("effect") == "NoSchedule" and
                   (t.get("key") in CONDITION_TAINT_KEYS or t.get("key") == UNSCHEDULABLE)]
        cur_keys = {t["key"] for t in current}
        want_keys = {t["key"] for t in wanted}
        add = [t for t in wanted if t["key"] not in cur_keys]
        remove = cur_keys - want_keys
        if add or remove:
            self._swap_taints(node, add, [(k, "NoSchedule") for k in remove])

    def _swap_taints(self, node: dict, add: list[dict], remove: list[tuple[str, str]]) -> dict:
        """SwapNodeControllerTaint: new taints get timeAdded."""
        taints = [t for t in (node.get("spec") or {}).get("taints") or ()
                  if (t.get("key"), t.get("effect")) not in remove]
        now = self.clock.timestamp()
        have = {(t.get("key"), t.get("effect")) for t in taints}
        for t in add:
            if (t["key"], t["effect"]) not in have:
                taints.append({"effect": t["effect"], "key": t["key"], "timeAdded": now})
        new = dict(node)
        new["spec"] = dict(node.get("spec") or {})
        if taints:
            new["spec"]["taints"] = taints
        else:
            new["spec"].pop("taints", None)
        new["metadata"] = dict(node["metadata"])
        name = node["metadata"]["name"]
        if add:
            self.trace(f"Node {name}: adding taint(s) "
                       + ", ".join(f"{t['key']}:{t['effect']}" for t in add))
        if remove:
            self.trace(f"Node {name}: removing taint(s) "
                       + ", ".join(f"{k}:{e}" for k, e in remove))
        return self.api.write(new, actor=self.name)

    def _taint_based_eviction(self, node: dict, status: str) -> None:
        """processTaintBaseEviction."""
        name = node["metadata"]["name"]
        keys = {(t.get("key"), t.get("effect")) for t in (node.get("spec") or {}).get("taints")
                or ()}
        if status == "False":
            if (UNREACHABLE, "NoExecute") in keys:
                self._swap_taints(node, [{"key": NOT_READY, "effect": "NoExecute"}],
                                  [(UNREACHABLE, "NoExecute")])
            elif (NOT_READY, "NoExecute") not in keys:
                self._queue_taint(name)
        elif status == "Unknown":
            if (NOT_READY, "NoExecute") in keys:
                self._swap_taints(node, [{"key": UNREACHABLE, "effect": "NoExecute"}],
                                  [(NOT_READY, "NoExecute")])
            elif (UNREACHABLE, "NoExecute") not in keys:
                self._queue_taint(name)
        elif status == "True":
            self._mark_reachable(node)

    def _mark_reachable(self, node: dict) -> None:
        name = node["metadata"]["name"]
        self._taint_queue.pop(name, None)
        if not self._taint_queue and self._taint_timer is not None:
            self._taint_timer.cancel()
            self._taint_timer = None
        keys = {(t.get("key"), t.get("effect")) for t in (node.get("spec") or {}).get("taints")
                or ()}
        gone = [k for k in ((UNREACHABLE, "NoExecute"), (NOT_READY, "NoExecute")) if k in keys]
        if gone:
            self._swap_taints(node, [], gone)

    # the rate-limited NoExecute tainter ----------------------------------------------------
    def _limiter_qps(self) -> float:
        if self.zone_state == "FullDisruption":
            return 0.0
        if self.zone_state == "PartialDisruption":
            return 0.01 if len(self.known) > LARGE_CLUSTER_THRESHOLD else 0.0
        return EVICTION_LIMITER_QPS

    def _queue_taint(self, name: str) -> None:
        self._taint_queue[name] = None
        self._schedule_tainter()

    def _schedule_tainter(self) -> None:
        if self._taint_timer is not None or not self._taint_queue:
            return
        qps = self._limiter_qps()
        if qps <= 0:
            return
        when = max(self.clock.now, self._next_token)
        self._taint_timer = self.clock.call_at(when, self._taint_pass, CONTROLLER)

    def _taint_pass(self) -> None:
        """doNoExecuteTaintingPass: one node per token of the 0.1 qps bucket."""
        self._taint_timer = None
        qps = self._limiter_qps()
        if qps <= 0:
            return
        while self._taint_queue:
            name = next(iter(self._taint_queue))
            del self._taint_queue[name]
            node = self.store.get("Node", "", name)
            if node is None:
                continue
            status = _ready_status(node)
            if status == "False":
                add, opposite = NOT_READY, UNREACHABLE
            elif status == "Unknown":
                add, opposite = UNREACHABLE, NOT_READY
            else:
                continue
            self._swap_taints(node, [{"key": add, "effect": "NoExecute"}],
                              [(opposite, "NoExecute")])
            self._next_token = self.clock.now + 1.0 / qps
            break
        self._schedule_tainter()

    # health monitoring ----------------------------------------------------------------------
    def _push_deadline(self, name: str, grace: float) -> None:
        heapq.heappush(self._deadlines, (self.probe.get(name, self.clock.now) + grace, name))

    def _tick_after(self, t: float) -> float:
        """The first monitor pass at or after `t` (the passes run every 5 s)."""
        k = math.ceil((t - self._t0) / NODE_MONITOR_PERIOD - 1e-9)
        return self._t0 + max(0, k) * NODE_MONITOR_PERIOD

    def _monitor(self) -> None:
        """monitorNodeHealth, every 5 s: nodes silent for the grace period become Unknown.

        A node is looked at only when its grace period could have run out (a heap of deadlines),
        so a pass costs nothing for healthy nodes."""
        self.clock.call_later(NODE_MONITOR_PERIOD, self._monitor, CONTROLLER, periodic=True)
        now = self.clock.now
        from k8scourse.kubelet.kubelet import shared

        renewed = shared(self.api).lease_renewed
        heap = self._deadlines
        due = []
        while heap and heap[0][0] <= now + 1e-9:
            due.append(heapq.heappop(heap)[1])
        for name in dict.fromkeys(due):
            if name not in self.known or self.ready.get(name) == "Unknown":
                continue
            node = self.store.get("Node", "", name)
            if node is None:
                continue
            last = renewed.get(name)
            if last is not None:
                # the controller sees a renewed lease at its next pass
                self.probe[name] = max(self.probe.get(name, 0.0), self._tick_after(last))
            grace = NODE_MONITOR_GRACE_PERIOD if _ready_status(node) is not None else \
                NODE_STARTUP_GRACE_PERIOD
            if now + 1e-9 >= self.probe[name] + grace:
                self._mark_unknown(node)
            else:
                heapq.heappush(heap, (self.probe[name] + grace, name))

    def _mark_unknown(self, node: dict) -> None:
        name = node["metadata"]["name"]
        conds = _conditions(node)
        observed = (conds.get("Ready") or {}).get("status")
        now = self.clock.timestamp()
        created = node["metadata"].get("creationTimestamp", now)
        new_conds = []
        changed = False
        by_type = {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or ()}
        for ctype in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure"):
            c = by_type.get(ctype)
            if c is None:
                by_type[ctype] = {"lastHeartbeatTime": created, "lastTransitionTime": now,
                                  "message": "Kubelet never posted node status.",
                                  "reason": "NodeStatusNeverUpdated", "status": "Unknown",
                                  "type": ctype}
                changed = True
            elif c.get("status") != "Unknown":
                by_type[ctype] = dict(c, status="Unknown", reason="NodeStatusUnknown",
                                      message="Kubelet stopped posting node status.",
                                      lastTransitionTime=now)
                changed = True
        if not changed:
            return
        order = [c.get("type") for c in (node.get("status") or {}).get("conditions") or ()]
        for ctype in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready"):
            if ctype not in order:
                order.append(ctype)
        new_conds = [by_type[t] for t in order if t in by_type]
        status = dict(node.get("status") or {}, conditions=new_conds)
        self.api.update_status("Node", "", name, status, actor=self.name)
        self._set_ready(name, "Unknown")
        self.trace(f"Node {name} has not renewed its lease for {NODE_MONITOR_GRACE_PERIOD:g}s: "
                   "marking it Unknown (NotReady) and its pods not ready")
        if observed == "True":
            self.event(node, "Normal", "NodeNotReady", f"Node {name} status is now: NodeNotReady")
            self._mark_pods_not_ready(self.store.pods_on_node(name), name)

    def _mark_pods_not_ready(self, pods, node_name: str, record_node: bool = True) -> None:
        """controllerutil.MarkPodsNotReady: the Ready condition of each pod becomes False."""
        now = self.clock.timestamp()
        for pod in list(pods):
            if pod is None or (pod.get("spec") or {}).get("nodeName") != node_name:
                continue
            status = pod.get("status") or {}
            conds = status.get("conditions") or ()
            for i, c in enumerate(conds):
                if c.get("type") != "Ready":
                    continue
                if c.get("status") == "False":
                    break
                new_conds = list(conds)
                new_conds[i] = dict(c, status="False", lastTransitionTime=now)
                m = pod["metadata"]
                self.api.update_status("Pod", m.get("namespace", ""), m["name"],
                                       dict(status, conditions=new_conds), actor=self.name)
                self.event(pod, "Warning", "NodeNotReady", "Node is not ready")
                break

    def _zone_state(self) -> None:
        """handleDisruption for the cluster's single zone."""
        total = len(self.known)
        if not total:
            return
        ready = self._ready_count
        not_ready = total - ready
        if ready == 0 and not_ready > 0:
            state = "FullDisruption"
        elif not_ready > 2 and not_ready / total >= UNHEALTHY_ZONE_THRESHOLD:
            state = "PartialDisruption"
        else:
            state = "Normal"
        if state == self.zone_state:
            return
        previous, self.zone_state = self.zone_state, state
        if state == "FullDisruption":
            self.trace("Every node is not ready: the controller stops evictions (full disruption) "
                       "and removes their NoExecute taints")
            self._taint_queue.clear()
            for name in list(self.known):
                node = self.store.get("Node", "", name)
                if node is not None:
                    self._mark_reachable(node)
        elif previous == "FullDisruption":
            now = self.clock.now
            for name in self.known:
                self.probe[name] = max(self.probe.get(name, now), now)
            for name in list(self.known):
                if self.ready.get(name) in ("False", "Unknown"):
                    self._taint_queue[name] = None
        self._schedule_tainter()


class TaintEvictionController:
    """Deletes pods from nodes with NoExecute taints they do not tolerate (for long enough)."""

    name = "taint-eviction-controller"

    def __init__(self, cluster: "Cluster"):
        self.cluster = cluster
        self.api = cluster.api
        self.store = cluster.api.store
        self.clock = cluster.clock
        self.tainted: dict[str, list[dict]] = {}
        self.scheduled: dict[tuple[str, str], tuple[float, float, object]] = {}
        self.store.watch("Node", self._on_node)
        self.store.watch("Pod", self._on_pod)

    def _on_node(self, event: str, obj: dict, old: dict | None) -> None:
        name = obj["metadata"]["name"]
        new_taints = [] if event == "DELETED" else \
            [t for t in (obj.get("spec") or {}).get("taints") or () if t.get("effect") == "NoExecute"]
        old_taints = self.tainted.get(name, [])
        if _taint_keys(new_taints) == _taint_keys(old_taints):
            return
        if new_taints:
            self.tainted[name] = new_taints
        else:
            self.tainted.pop(name, None)
        if event == "DELETED":
            return
        self.clock.call_later(0, lambda: self._node_updated(name), CONTROLLER)

    def _node_updated(self, name: str) -> None:
        taints = self.tainted.get(name, [])
        now = self.clock.now
        for pod in list(self.store.pods_on_node(name)):
            key = (pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
            if not taints:
                self._cancel(key, pod)
                continue
            self._process(key, pod, taints, now)

    def _on_pod(self, event: str, obj: dict, old: dict | None) -> None:
        m = obj["metadata"]
        key = (m.get("namespace", ""), m["name"])
        if event == "DELETED":
            entry = self.scheduled.pop(key, None)
            if entry is not None:
                entry[2].cancel()
            return
        if old is not None and obj.get("spec") is old.get("spec"):
            return
        node = (obj.get("spec") or {}).get("nodeName")
        if not node or node not in self.tainted:
            return
        if old is not None and (old.get("spec") or {}).get("nodeName") == node and \
                (old.get("spec") or {}).get("tolerations") == (obj.get("spec") or {}).get("tolerations"):
            return
        self._process(key, obj, self.tainted[node], self.clock.now)

    def _process(self, key, pod: dict, taints: list[dict], now: float) -> None:
        """processPodOnNode."""
        if pod["metadata"].get("deletionTimestamp"):
            return
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        ok, used = matching_tolerations(taints, tolerations)
        if not ok:
            self._cancel(key, pod, quiet=True)
            self._schedule(key, now, now)
            return
        seconds = min_toleration_seconds(used)
        if seconds < 0:
            self._cancel(key, pod)
            return
        start = now
        trigger = now + seconds
        existing = self.scheduled.get(key)
        if existing is not None:
            start = existing[0]
            if start + seconds < trigger:
                return
            self._cancel(key, pod, quiet=True)
        self._schedule(key, start, start + seconds)

    def _schedule(self, key, created: float, fire_at: float) -> None:
        timer = self.clock.call_at(fire_at, lambda: self._evict(key), CONTROLLER)
        self.scheduled[key] = (created, fire_at, timer)
        if fire_at > self.clock.now:
            self.cluster.trace.add(self.name, f"Pod {key[0]}/{key[1]} tolerates its node's "
                                              f"NoExecute taint for {fire_at - created:g}s; it "
                                              f"will be evicted then unless the taint goes")

    def _cancel(self, key, pod: dict | None, quiet: bool = False) -> None:
        entry = self.scheduled.pop(key, None)
        if entry is None:
            return
        entry[2].cancel()
        if not quiet:
            self._event(key, "Cancelling deletion of Pod")

    def _event(self, key, text: str) -> None:
        # the controller refers to the pod without its UID (as the real one does)
        ref = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": key[1], "namespace": key[0]}}
        self.api.events.record(ref, "Normal", "TaintManagerEviction",
                               f"{text} {key[0]}/{key[1]}", self.name)

    def _evict(self, key) -> None:
        """deletePodHandler: DisruptionTarget condition, then a graceful delete."""
        self.scheduled.pop(key, None)
        pod = self.store.get("Pod", key[0], key[1])
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        self._event(key, "Marking for deletion Pod")
        status = dict(pod.get("status") or {})
        conds = [c for c in status.get("conditions") or () if c.get("type") != "DisruptionTarget"]
        conds.append({"lastProbeTime": None, "lastTransitionTime": self.clock.timestamp(),
                      "message": "Taint manager: deleting due to NoExecute taint",
                      "reason": "DeletionByTaintManager", "status": "True",
                      "type": "DisruptionTarget"})
        status["conditions"] = conds
        self.api.update_status("Pod", key[0], key[1], status, actor=self.name)
        self.cluster.trace.add(self.name, f"Evicting pod {key[0]}/{key[1]}: its node "
                                          f"{(pod.get('spec') or {}).get('nodeName')} has a "
                                          "NoExecute taint the pod no longer tolerates")
        self.api.delete("Pod", key[0], key[1], actor=self.name)


def _taint_keys(taints: list[dict]) -> list[tuple]:
    return [(t.get("key"), t.get("value"), t.get("effect")) for t in taints]
