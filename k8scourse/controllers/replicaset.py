"""The ReplicaSet controller, and the ReplicationController manager as an adapter over it.

As pkg/controller/replicaset/replica_set.go (and pkg/controller/replication, which runs the same
code for v1 ReplicationControllers): each pass over a ReplicaSet

1. claims pods: adopts active orphans in its namespace whose labels match its selector (adding
   a controller ownerReference with blockOwnerDeletion), releases pods it controls whose labels no
   longer match (removing the reference);
2. compares the active pods it controls (not Succeeded/Failed, not being deleted) with
   spec.replicas, then creates pods from the template in slow-start batches 1, 2, 4, ... (at most
   500 per pass) or deletes the surplus in ActivePodsWithRanks order;
3. writes status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
   observedGeneration and the ReplicaFailure condition when creating or deleting failed.

So that a 10,000-replica ReplicaSet costs O(n) in all, the controller does not recount every pod
each pass: the pod watch marks the pods that changed, and a pass looks only at those (plus the
orphans of its namespace, which are normally none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.controllers import podutil
from k8scourse.controllers.base import Controller, Key
from k8scourse.errors import Forbidden, K8sError, NotFound

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

#: pkg/controller/replicaset BurstReplicas: the most pods one pass creates or deletes.
BURST_REPLICAS = 500
#: workqueue.DefaultControllerRateLimiter: a failing key comes back after 5 ms, doubling to 1000 s.
RETRY_BASE, RETRY_MAX = 0.005, 1000.0


def _terminating_namespace(err: K8sError) -> bool:
    """The NamespaceTerminatingCause: creating in a namespace being deleted (no event for it)."""
    return isinstance(err, Forbidden) and "because it is being terminated" in str(err)


class _OwnedPods:
    """What one ReplicaSet (by uid) controls, kept current from the pod watch."""

    __slots__ = ("uid", "selector_src", "template_labels", "match", "active", "ready", "labeled",
                 "mismatched")

    def __init__(self, uid: str, selector_src, template_labels: dict, match):
        self.uid = uid
        self.selector_src = selector_src
        self.template_labels = template_labels
        self.match = match
        #: active pods it controls and whose labels match (insertion-ordered set of names)
        self.active: dict[str, None] = {}
        self.ready: set[str] = set()
        self.labeled: set[str] = set()
        #: active pods it controls whose labels no longer match: to release
        self.mismatched: dict[str, None] = {}

    def refresh(self, name: str, pod: dict | None) -> None:
        """Re-file one pod (None: it is gone)."""
        self.active.pop(name, None)
        self.ready.discard(name)
        self.labeled.discard(name)
        self.mismatched.pop(name, None)
        if pod is None or not podutil.is_pod_active(pod):
            return
        ref = podutil.controller_ref(pod)
        if ref is None or ref.get("uid") != self.uid:
            return
        labels = podutil.labels_of(pod)
        if not self.match(labels):
            self.mismatched[name] = None
            return
        self.active[name] = None
        if podutil.is_pod_ready(pod):
            self.ready.add(name)
        tl = self.template_labels
        if all(labels.get(k) == v for k, v in tl.items()):
            self.labeled.add(name)


def _counts_changed(old: dict, new: dict) -> bool:
    """Whether a pod update can change its ReplicaSet's counts: labels, deletion, becoming
    Succeeded/Failed, readiness (a kubelet's other status updates cannot)."""
    om, nm = old["metadata"], new["metadata"]
    if om.get("labels") != nm.get("labels") or \
            om.get("deletionTimestamp") != nm.get("deletionTimestamp"):
        return True
    old_status, new_status = old.get("status"), new.get("status")
    if old_status is new_status:
        return False
    if podutil.is_pod_terminal(old) != podutil.is_pod_terminal(new):
        return True
    return podutil.ready_signature(old) != podutil.ready_signature(new)


class ReplicaSetController(Controller):
    """Keeps spec.replicas pods matching a ReplicaSet's selector running."""

    name = "replicaset-controller"
    interval = 0.2
    kind = "ReplicaSet"
    api_version = "apps/v1"
    burst_replicas = BURST_REPLICAS

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        self._owned: dict[str, _OwnedPods] = {}      # ReplicaSet uid -> its pods
        # ReplicaSet uid -> names of changed pods, in the order they changed (a dict, not a set:
        # re-filing in a set's hash order made the pods' order, and so which pods a scale-down
        # deletes among equals, differ from one Python process to the next)
        self._dirty: dict[str, dict[str, None]] = {}
        self._orphans: dict[str, dict[str, None]] = {}  # namespace -> active orphan pod names
        self._failures: dict[Key, int] = {}
        self._retry: dict[Key, object] = {}
        self._availability: dict[Key, float] = {}
        self.store.watch(self.kind, self._on_owner)
        self.store.watch("Pod", self._on_pod)

    # selectors: the only place where ReplicaSet and ReplicationController differ ------------
    def selector_matcher(self, obj: dict):
        return podutil.compile_selector(obj["spec"].get("selector"))

    def selector_text(self, obj: dict) -> str:
        return podutil.selector_string(obj["spec"].get("selector"))

    # watches ------------------------------------------------------------------------------
    def _on_owner(self, event: str, obj: dict, old: dict | None) -> None:
        meta = obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if event == "DELETED":
            uid = meta.get("uid")
            self._owned.pop(uid, None)
            self._dirty.pop(uid, None)
            self._failures.pop(key, None)
            self._availability.pop(key, None)
            timer = self._retry.pop(key, None)
            if timer is not None:
                timer.cancel()
            return
        if event == "MODIFIED" and old is not None and old.get("spec") == obj.get("spec"):
            om = old["metadata"]
            if (om.get("deletionTimestamp") == meta.get("deletionTimestamp") and
                    om.get("ownerReferences") == meta.get("ownerReferences") and
                    om.get("uid") == meta.get("uid")):
                return  # only status (ours) or annotations changed
        self.enqueue(key)

    def _on_pod(self, event: str, pod: dict, old: dict | None) -> None:
        meta = pod["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        kind = self.kind
        ref = podutil.controller_ref(pod)
        if event == "MODIFIED" and old is not None and \
                old["metadata"].get("ownerReferences") is meta.get("ownerReferences") and \
                ref is not None:
            # the same controller as before: only a change of what counts matters
            if ref.get("kind") == kind and _counts_changed(old, pod):
                self._mark(ref["uid"], name)
                self.enqueue((ns, ref["name"]))
            return
        old_ref = podutil.controller_ref(old) if old is not None else None
        if event == "DELETED":
            ref, old_ref = None, ref
        elif event == "MODIFIED" and old_ref is not None and ref is not None and \
                old_ref.get("uid") == ref.get("uid"):
            if ref.get("kind") != kind or not _counts_changed(old, pod):
                return  # someone else's pod, or nothing that counts changed
        if old_ref is not None and old_ref.get("kind") == kind and \
                (ref is None or ref.get("uid") != old_ref.get("uid")):
            self._mark(old_ref["uid"], name)
            self.enqueue((ns, old_ref["name"]))
        if ref is not None:
            self._orphans.get(ns, {}).pop(name, None)
            if ref.get("kind") == kind:
                self._mark(ref["uid"], name)
                self.enqueue((ns, ref["name"]))
            return
        # an orphan (or gone)
        orphans = self._orphans.setdefault(ns, {})
        if event == "DELETED" or not podutil.is_pod_active(pod):
            orphans.pop(name, None)
            return
        orphans[name] = None
        if old is not None and old_ref is None and \
                podutil.labels_of(old) == podutil.labels_of(pod):
            return  # nothing that could make someone adopt it changed
        labels = podutil.labels_of(pod)
        for owner in self.store.list(kind, ns):
            if self.selector_matcher(owner)(labels):
                self.enqueue((ns, owner["metadata"]["name"]))

    def _mark(self, uid: str, pod_name: str) -> None:
        self._dirty.setdefault(uid, {})[pod_name] = None

    # the pods an owner controls ---------------------------------------------------------------
    def _pods_of(self, rs: dict) -> _OwnedPods:
        meta = rs["metadata"]
        uid = meta["uid"]
        ns = meta.get("namespace", "")
        spec = rs["spec"]
        selector_src = spec.get("selector")
        tlabels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        state = self._owned.get(uid)
        pods = self.store
        if state is None or state.selector_src != selector_src or state.template_labels != tlabels:
            state = _OwnedPods(uid, selector_src, dict(tlabels), self.selector_matcher(rs))
            self._owned[uid] = state
            self._dirty.pop(uid, None)
            for obj in self.store.owned_by(uid):
                if obj.get("kind") == "Pod":
                    state.refresh(obj["metadata"]["name"], obj)
            return state
        dirty = self._dirty.pop(uid, None)
        if dirty:
            for name in dirty:
                state.refresh(name, pods.get("Pod", ns, name))
        return state

    # reconcile ------------------------------------------------------------------------------
    def reconcile(self, key: Key) -> None:
        """Make the number of active pods owned by the ReplicaSet `key` equal spec.replicas."""
        ns, name = key
        rs = self.store.get(self.kind, ns, name)
        if rs is None:
            return
        owned = self._pods_of(rs)
        deleting = bool(rs["metadata"].get("deletionTimestamp"))
        if not deleting:
            self._claim(rs, owned)
            owned = self._pods_of(rs)
        replicas = rs["spec"].get("replicas", 1)
        if replicas is None:
            replicas = 1
        diff = len(owned.active) - replicas
        err: K8sError | None = None
        if not deleting and diff < 0:
            err = self._create(rs, owned, -diff, replicas)
        elif not deleting and diff > 0:
            err = self._delete(rs, owned, diff, replicas)
        if diff:
            owned = self._pods_of(rs)
        self._write_status(rs, owned, err, diff)
        self._after(key, err)

    def _claim(self, rs: dict, owned: _OwnedPods) -> None:
        """ClaimPods: release what no longer matches, adopt matching orphans."""
        meta = rs["metadata"]
        ns = meta.get("namespace", "")
        kind = self.kind
        for pod_name in list(owned.mismatched):
            pod = self.store.get("Pod", ns, pod_name)
            if pod is None:
                continue
            self.api.write(podutil.without_owner_ref(pod, meta["uid"]), actor=self.name)
            self.trace(f"{kind} {meta['name']} releases pod {pod_name}: its labels no longer "
                       f"match {self.selector_text(rs)}")
        orphans = self._orphans.get(ns)
        if not orphans:
            return
        match = owned.match
        ref = None
        for pod_name in list(orphans):
            pod = self.store.get("Pod", ns, pod_name)
            if pod is None or not podutil.is_pod_active(pod) or \
                    podutil.controller_ref(pod) is not None:
                orphans.pop(pod_name, None)
                continue
            if not match(podutil.labels_of(pod)):
                continue
            ref = ref or podutil.new_controller_ref(rs, self.api_version, kind)
            self.api.write(podutil.with_owner_ref(pod, ref), actor=self.name)
            self.trace(f"{kind} {meta['name']} adopts pod {pod_name}: its labels match "
                       f"{self.selector_text(rs)} and no controller owns it")

    def _create(self, rs: dict, owned: _OwnedPods, count: int, replicas: int) -> K8sError | None:
        meta = rs["metadata"]
        count = min(count, self.burst_replicas)
        have = len(owned.active)
        template = rs["spec"].get("template") or {}
        ref = podutil.new_controller_ref(rs, self.api_version, self.kind)
        self.trace(f"{self.kind} {meta['name']} has {have} of {replicas} pods matching "
                   f"{self.selector_text(rs)}; creating {count}")
        if not ((template.get("metadata") or {}).get("labels")):
            return K8sError("unable to create pods, no labels")

        def create_one() -> K8sError | None:
            pod = podutil.pod_from_template(template, rs, ref)
            try:
                new = self.api.create(pod, actor=self.name)
            except K8sError as e:
                if _terminating_namespace(e):
                    return None
                self.event(rs, "Warning", "FailedCreate", f"Error creating: {e}")
                return e
            self.event(rs, "Normal", "SuccessfulCreate", f"Created pod: {new['metadata']['name']}")
            return None

        done, err = podutil.slow_start_batch(count, create_one)
        if err is not None:
            self.trace(f"{self.kind} {meta['name']} could create only {done} of {count} pods: "
                       f"{err}")
        return err

    def _delete(self, rs: dict, owned: _OwnedPods, count: int, replicas: int) -> K8sError | None:
        meta = rs["metadata"]
        ns = meta.get("namespace", "")
        count = min(count, self.burst_replicas)
        pods = [p for p in (self.store.get("Pod", ns, n) for n in owned.active) if p is not None]
        if count < len(pods):
            on_node: dict[str, int] = {}
            for p in self._related_pods(rs):
                if podutil.is_pod_active(p):
                    node = (p.get("spec") or {}).get("nodeName") or ""
                    on_node[node] = on_node.get(node, 0) + 1
            ranks = [on_node.get((p.get("spec") or {}).get("nodeName") or "", 0) for p in pods]
            victims = podutil.rank_pods_for_deletion(pods, ranks, podutil.unix_now(self.clock),
                                                     limit=count)
        else:
            victims = pods[:count]
        self.trace(f"{self.kind} {meta['name']} has {len(pods)} of {replicas} pods matching "
                   f"{self.selector_text(rs)}; deleting {len(victims)}: " +
                   ", ".join(f"{p['metadata']['name']} ({podutil.deletion_reason(p)})"
                             for p in victims))
        first: K8sError | None = None
        for p in victims:
            pod_name = p["metadata"]["name"]
            try:
                self.api.delete("Pod", ns, pod_name, actor=self.name)
            except NotFound:
                continue
            except K8sError as e:
                self.event(rs, "Warning", "FailedDelete", f"Error deleting: {e}")
                first = first or e
                continue
            self.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {pod_name}")
        return first

    def _related_pods(self, rs: dict) -> list[dict]:
        """getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller (the
        Deployment's old and new ReplicaSets), for counting pods doubled up on a node."""
        cref = podutil.controller_ref(rs)
        if cref is None:
            return []
        ns = rs["metadata"].get("namespace", "")
        seen: dict[str, dict] = {}
        for other in self.store.list(self.kind, ns):
            oref = podutil.controller_ref(other)
            if oref is None or oref.get("uid") != cref.get("uid"):
                continue
            state = self._pods_of(other)
            for n in state.active:
                p = self.store.get("Pod", ns, n)
                if p is not None:
                    seen.setdefault(n, p)
        return list(seen.values())

    # status -----------------------------------------------------------------------------------
    def _write_status(self, rs: dict, owned: _OwnedPods, err: K8sError | None, diff: int) -> None:
        meta = rs["metadata"]
        ns = meta.get("namespace", "")
        min_ready = rs["spec"].get("minReadySeconds") or 0
        ready = len(owned.ready)
        if min_ready:
            now = podutil.unix_now(self.clock)
            available = 0
            wait_until = None
            for n in owned.ready:
                since = podutil.pod_ready_since(self.store.get("Pod", ns, n) or {})
                if since is None:
                    continue
                if since + min_ready < now:
                    available += 1
                elif wait_until is None or since + min_ready < wait_until:
                    wait_until = since + min_ready
            if wait_until is not None:
                self._recheck_at((ns, meta["name"]), wait_until - now + 1.0)
        else:
            available = ready
        old = rs.get("status") or {}
        status: dict = {"replicas": len(owned.active)}
        if owned.labeled:
            status["fullyLabeledReplicas"] = len(owned.labeled)
        if ready:
            status["readyReplicas"] = ready
        if available:
            status["availableReplicas"] = available
        if meta.get("generation"):
            status["observedGeneration"] = meta["generation"]
        conditions = [dict(c) for c in old.get("conditions") or ()]
        failure = next((c for c in conditions if c.get("type") == "ReplicaFailure"), None)
        if err is not None and failure is None:
            reason = "FailedCreate" if diff < 0 else "FailedDelete"
            conditions.append({"type": "ReplicaFailure", "status": "True",
                               "lastTransitionTime": self.clock.timestamp(),
                               "reason": reason, "message": str(err)})
        elif err is None and failure is not None:
            conditions = [c for c in conditions if c.get("type") != "ReplicaFailure"]
        if conditions:
            status["conditions"] = conditions
        self.api.update_status(self.kind, ns, meta["name"], status, actor=self.name)

    def _recheck_at(self, key: Key, delay: float) -> None:
        """Come back when a ready pod has been ready for minReadySeconds (once per instant)."""
        when = self.clock.now + max(delay, 0.0)
        pending = self._availability.get(key)
        if pending is not None and self.clock.now <= pending <= when:
            return
        self._availability[key] = when
        self.enqueue_after(key, when - self.clock.now)

    def _after(self, key: Key, err: K8sError | None) -> None:
        """Requeue a failed pass with the workqueue's exponential back-off (housekeeping that
        never ends while the error lasts); forget the failures after a good pass."""
        timer = self._retry.pop(key, None)
        if timer is not None:
            timer.cancel()
        if err is None:
            self._failures.pop(key, None)
            return
        n = self._failures.get(key, 0)
        self._failures[key] = n + 1
        delay = min(RETRY_BASE * 2 ** n, RETRY_MAX)
        self._retry[key] = self.clock.call_later(delay, lambda: self._retry_now(key),
                                                 self.priority, periodic=True)

    def _retry_now(self, key: Key) -> None:
        self._retry.pop(key, None)
        self.enqueue(key)


class ReplicationManager(ReplicaSetController):
    """The same loop for v1 ReplicationControllers, whose selector is a plain label map."""

    name = "replication-controller"
    kind = "ReplicationController"
    api_version = "v1"

    def selector_matcher(self, obj: dict):
        return podutil.compile_set_selector(obj["spec"].get("selector"))

    def selector_text(self, obj: dict) -> str:
        return podutil.selector_string(obj["spec"].get("selector"), plain=True)
