"""The DaemonSet controller: one pod on every node the DaemonSet's pods may run on.

As pkg/controller/daemon (daemon_controller.go, update.go, util/daemonset_util.go) in v1.32:

* NodeShouldRunDaemonPod: the template's nodeName, nodeSelector and required node affinity must
  fit the node, and every NoSchedule/NoExecute taint must be tolerated, counting the tolerations
  every DaemonSet pod gets (not-ready and unreachable NoExecute without seconds; disk-, memory-,
  pid-pressure and unschedulable NoSchedule; network-unavailable for hostNetwork pods). A pod that
  already runs stays while it tolerates the node's NoExecute taints.
* The controller does not bind pods itself: each pod gets a required node affinity
  `matchFields metadata.name In [<node>]` and the default scheduler binds it.
* Pods carry `controller-revision-hash` (ComputeHash of the template) and
  `pod-template-generation`; ControllerRevisions are not served by this model, so the revisions
  (hash -> revision number) are kept here.
* RollingUpdate replaces out-of-date pods so that at most maxUnavailable nodes lack an available
  pod (or, with maxSurge, starts the new pod first); OnDelete waits for the user to delete them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.controllers import podutil
from k8scourse.controllers.base import Controller, Key
from k8scourse.errors import Forbidden, K8sError, NotFound

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

#: pkg/controller/daemon BurstReplicas.
BURST_REPLICAS = 250
REVISION_HASH_LABEL = "controller-revision-hash"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"
TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation"
#: flowcontrol back-off for deleting failed daemon pods on a node: 1 s doubling to 15 min.
FAILED_BACKOFF_INITIAL, FAILED_BACKOFF_MAX = 1.0, 900.0

#: util.AddOrUpdateDaemonPodTolerations, in its order.
DAEMON_TOLERATIONS = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
)
NETWORK_UNAVAILABLE_TOLERATION = {"key": "node.kubernetes.io/network-unavailable",
                                  "operator": "Exists", "effect": "NoSchedule"}


def daemon_pod_tolerations(pod_spec: dict) -> list[dict]:
    """The pod spec's tolerations with the ones every DaemonSet pod gets added or updated."""
    tolerations = list(pod_spec.get("tolerations") or ())
    extra = list(DAEMON_TOLERATIONS)
    if pod_spec.get("hostNetwork"):
        extra.append(NETWORK_UNAVAILABLE_TOLERATION)
    for t in extra:
        tolerations = podutil.add_or_update_toleration(tolerations, t)
    return tolerations


def node_name_affinity(affinity: dict | None, node_name: str) -> dict:
    """util.ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity replaced by one
    term selecting the node by name (a new dict)."""
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}]}
    affinity = dict(affinity or {})
    node_affinity = dict(affinity.get("nodeAffinity") or {})
    required = dict(node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    required["nodeSelectorTerms"] = [term]
    node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = required
    affinity["nodeAffinity"] = node_affinity
    return affinity


def target_node_name(pod: dict) -> str | None:
    """util.GetTargetNodeName: spec.nodeName, or the node the affinity names."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or ():
        for r in term.get("matchFields") or ():
            if r.get("key") == "metadata.name" and r.get("operator") == "In":
                values = r.get("values") or []
                return values[0] if len(values) == 1 else None
    return None


class DaemonPodShape:
    """What NodeShouldRunDaemonPod needs of a DaemonSet, computed once per pass (NewPod)."""

    __slots__ = ("spec", "tolerations")

    def __init__(self, ds: dict):
        self.spec = (ds["spec"].get("template") or {}).get("spec") or {}
        self.tolerations = daemon_pod_tolerations(self.spec)

    def should_run(self, node: dict) -> tuple[bool, bool, str]:
        """(shouldRun, shouldContinueRunning, why not) for one node."""
        name = node["metadata"]["name"]
        wanted = self.spec.get("nodeName")
        if wanted and wanted != name:
            return False, False, f"the template asks for node {wanted}"
        if not podutil.required_node_affinity_matches(self.spec, node):
            return False, False, "it does not match the node selector/affinity"
        taints = (node.get("spec") or {}).get("taints") or ()
        taint = podutil.find_untolerated_taint(taints, self.tolerations)
        if taint is not None:
            no_exec = podutil.find_untolerated_taint(taints, self.tolerations, ("NoExecute",))
            return False, no_exec is None, f"untolerated taint {podutil.taint_text(taint)}"
        return True, True, ""


def node_should_run_daemon_pod(node: dict, ds: dict) -> tuple[bool, bool]:
    """NodeShouldRunDaemonPod(node, ds): (shouldRun, shouldContinueRunning)."""
    run, cont, _ = DaemonPodShape(ds).should_run(node)
    return run, cont


def _by_creation(pod: dict) -> tuple:
    """podByCreationTimestampAndPhase: scheduled first, then oldest, then name."""
    return (not (pod.get("spec") or {}).get("nodeName"),
            pod["metadata"].get("creationTimestamp") or "", pod["metadata"]["name"])


def _daemon_pod_changed(old: dict, new: dict) -> bool:
    """Whether a pod update matters to its DaemonSet: labels, deletion, node, phase, readiness."""
    om, nm = old["metadata"], new["metadata"]
    if om.get("labels") != nm.get("labels") or \
            om.get("deletionTimestamp") != nm.get("deletionTimestamp") or \
            (old.get("spec") or {}).get("nodeName") != (new.get("spec") or {}).get("nodeName"):
        return True
    old_status, new_status = old.get("status"), new.get("status")
    if old_status is new_status:
        return False
    if (old_status or {}).get("phase") != (new_status or {}).get("phase"):
        return True
    return podutil.ready_signature(old) != podutil.ready_signature(new)


class _History:
    """The ControllerRevisions of one DaemonSet: hash -> revision, plus template generations."""

    __slots__ = ("revisions", "template", "generation")

    def __init__(self) -> None:
        self.revisions: dict[str, int] = {}
        self.template: dict | None = None
        self.generation = 0


class DaemonSetController(Controller):
    """Runs one pod of each DaemonSet on every eligible node."""

    name = "daemonset-controller"
    interval = 0.2
    burst_replicas = BURST_REPLICAS

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        self._history: dict[str, _History] = {}
        self._orphans: dict[str, dict[str, None]] = {}
        self._failed_backoff: dict[str, tuple[float, float]] = {}  # key -> (delay, last update)
        # NodeShouldRunDaemonPod per DaemonSet uid: (template spec, {node: (labels, spec, verdict)})
        self._verdicts: dict[str, tuple[dict, dict]] = {}
        # the last getDaemonPods answer: (ds, resourceVersion, pods, {include_deleted: by node})
        self._claimed: tuple | None = None
        self.store.watch("DaemonSet", self._on_ds)
        self.store.watch("Pod", self._on_pod)
        self.store.watch("Node", self._on_node)

    # watches --------------------------------------------------------------------------------
    def _on_ds(self, event: str, ds: dict, old: dict | None) -> None:
        meta = ds["metadata"]
        if event == "DELETED":
            self._history.pop(meta.get("uid"), None)
            self._verdicts.pop(meta.get("uid"), None)
            return
        if event == "MODIFIED" and old is not None and old.get("spec") == ds.get("spec") and \
                old["metadata"].get("deletionTimestamp") == meta.get("deletionTimestamp"):
            return  # our own status write
        self.enqueue((meta.get("namespace", ""), meta["name"]))

    def _on_pod(self, event: str, pod: dict, old: dict | None) -> None:
        meta = pod["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        ref = podutil.controller_ref(pod)
        if event == "MODIFIED" and old is not None and ref is not None and \
                old["metadata"].get("ownerReferences") is meta.get("ownerReferences"):
            if ref.get("kind") == "DaemonSet" and _daemon_pod_changed(old, pod):
                self.enqueue((ns, ref["name"]))
            return
        old_ref = podutil.controller_ref(old) if old is not None else None
        if event == "DELETED":
            ref, old_ref = None, ref
        elif event == "MODIFIED" and ref is not None and old_ref is not None and \
                ref.get("uid") == old_ref.get("uid"):
            if ref.get("kind") != "DaemonSet" or not _daemon_pod_changed(old, pod):
                return
        if old_ref is not None and old_ref.get("kind") == "DaemonSet" and \
                (ref is None or ref.get("uid") != old_ref.get("uid")):
            self.enqueue((ns, old_ref["name"]))
        if ref is not None:
            self._orphans.get(ns, {}).pop(name, None)
            if ref.get("kind") == "DaemonSet":
                self.enqueue((ns, ref["name"]))
            return
        orphans = self._orphans.setdefault(ns, {})
        if event == "DELETED" or meta.get("deletionTimestamp"):
            orphans.pop(name, None)
            return
        orphans[name] = None
        if old is not None and old_ref is None and \
                podutil.labels_of(old) == podutil.labels_of(pod):
            return
        labels = podutil.labels_of(pod)
        for ds in self.store.list("DaemonSet", ns):
            if podutil.selector_matches(ds["spec"].get("selector"), labels):
                self.enqueue((ns, ds["metadata"]["name"]))

    def _on_node(self, event: str, node: dict, old: dict | None) -> None:
        if event == "MODIFIED" and old is not None:
            om, nm = old["metadata"], node["metadata"]
            if om.get("labels") == nm.get("labels") and old.get("spec") == node.get("spec"):
                return  # heartbeats and status: nothing NodeShouldRunDaemonPod reads
        for ds in self.store.iter("DaemonSet"):
            m = ds["metadata"]
            self.enqueue((m.get("namespace", ""), m["name"]))

    # history ----------------------------------------------------------------------------------
    def _construct_history(self, ds: dict) -> tuple[str, int, _History]:
        """The current revision's hash and the template generation (constructHistory)."""
        meta = ds["metadata"]
        spec = ds["spec"]
        template = spec.get("template") or {}
        h = self._history.get(meta["uid"])
        if h is None:
            h = self._history[meta["uid"]] = _History()
        if h.template != template:
            h.template = template
            h.generation += 1
        collision = (ds.get("status") or {}).get("collisionCount")
        current = podutil.compute_hash(template, collision)
        others = [r for k, r in h.revisions.items() if k != current]
        want = max(others, default=0) + 1
        if h.revisions.get(current, 0) < want:
            h.revisions[current] = want
        annotation = (meta.get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
        generation = h.generation
        if annotation is not None:
            try:
                generation = int(annotation)
            except ValueError:
                generation = 0
        return current, generation, h

    def revisions(self, namespace: str, name: str) -> list[tuple[int, str]]:
        """The revisions the controller keeps for a DaemonSet: (revision, controller-revision-hash),
        oldest first (what `kubectl rollout history daemonset` lists)."""
        ds = self.store.get("DaemonSet", namespace, name)
        if ds is None or ds["metadata"]["uid"] not in self._history:
            return []
        h = self._history[ds["metadata"]["uid"]]
        return sorted((r, k) for k, r in h.revisions.items())

    def _cleanup_history(self, ds: dict, h: _History, current: str,
                         node_pods: dict[str, list[dict]]) -> None:
        limit = ds["spec"].get("revisionHistoryLimit", 10)
        limit = 10 if limit is None else limit
        old = sorted((r, k) for k, r in h.revisions.items() if k != current)
        to_kill = len(old) - limit
        if to_kill <= 0:
            return
        live = {podutil.labels_of(p).get(REVISION_HASH_LABEL)
                for pods in node_pods.values() for p in pods}
        for _, k in old:
            if to_kill <= 0:
                break
            if k in live:
                continue
            del h.revisions[k]
            to_kill -= 1

    # pods -------------------------------------------------------------------------------------
    def _claim(self, ds: dict) -> list[dict]:
        """getDaemonPods: the pods it controls, after adopting orphans and releasing strays.

        Nothing in the store changed since the last answer for this same DaemonSet object: the
        same answer (a pass asks up to three times)."""
        memo = self._claimed
        version = self.store.resource_version
        if memo is not None and memo[0] is ds and memo[1] == version:
            return memo[2]
        claimed = self._claim_now(ds)
        self._claimed = (ds, version, claimed, {}) if self.store.resource_version == version \
            else None
        return claimed

    def _pods_by_node(self, ds: dict, include_deleted_terminal: bool) -> dict[str, list[dict]]:
        """_by_node of _claim(ds), computed once while the claimed pods stay the same."""
        pods = self._claim(ds)
        memo = self._claimed
        if memo is None or memo[2] is not pods:
            return self._by_node(pods, include_deleted_terminal)
        by_node = memo[3].get(include_deleted_terminal)
        if by_node is None:
            by_node = memo[3][include_deleted_terminal] = self._by_node(pods,
                                                                        include_deleted_terminal)
        return by_node

    def _should_run_all(self, ds: dict, shape: "DaemonPodShape", nodes: list[dict]) -> dict:
        """shape.should_run for every node, reusing a node's verdict while its labels and spec
        (the only parts of a Node it reads) and the pod template stay the same objects."""
        uid = ds["metadata"]["uid"]
        cached = self._verdicts.get(uid)
        if cached is None or (cached[0] is not shape.spec and cached[0] != shape.spec):
            cached = self._verdicts[uid] = (shape.spec, {})
        by_node = cached[1]
        verdicts = {}
        for n in nodes:
            meta = n["metadata"]
            name = meta["name"]
            labels, spec = meta.get("labels"), n.get("spec")
            entry = by_node.get(name)
            if entry is not None and entry[0] is labels and entry[1] is spec:
                verdicts[name] = entry[2]
            else:
                verdict = verdicts[name] = shape.should_run(n)
                by_node[name] = (labels, spec, verdict)
        if len(by_node) > len(nodes):
            for name in [k for k in by_node if k not in verdicts]:
                del by_node[name]
        return verdicts

    def _claim_now(self, ds: dict) -> list[dict]:
        meta = ds["metadata"]
        ns = meta.get("namespace", "")
        uid = meta["uid"]
        match = podutil.compile_selector(ds["spec"].get("selector"))
        claimed = []
        for pod in list(self.store.owned_by(uid)):
            if pod.get("kind") != "Pod":
                continue
            ref = podutil.controller_ref(pod)
            if ref is None or ref.get("uid") != uid:
                continue
            if match(podutil.labels_of(pod)):
                claimed.append(pod)
            else:
                self.api.write(podutil.without_owner_ref(pod, uid), actor=self.name)
                self.trace(f"DaemonSet {meta['name']} releases pod {pod['metadata']['name']}: "
                           f"its labels no longer match its selector")
        orphans = self._orphans.get(ns)
        if orphans:
            ref = podutil.new_controller_ref(ds, "apps/v1", "DaemonSet")
            for name in list(orphans):
                pod = self.store.get("Pod", ns, name)
                if pod is None or pod["metadata"].get("deletionTimestamp") or \
                        podutil.controller_ref(pod) is not None:
                    orphans.pop(name, None)
                    continue
                if not match(podutil.labels_of(pod)):
                    continue
                claimed.append(self.api.write(podutil.with_owner_ref(pod, ref), actor=self.name))
                self.trace(f"DaemonSet {meta['name']} adopts pod {name}: its labels match its "
                           f"selector and no controller owns it")
        return claimed

    @staticmethod
    def _by_node(pods: list[dict], include_deleted_terminal: bool) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for pod in pods:
            if not include_deleted_terminal and podutil.is_pod_terminal(pod) and \
                    pod["metadata"].get("deletionTimestamp"):
                continue
            node = target_node_name(pod)
            if node is None:
                continue
            out.setdefault(node, []).append(pod)
        return out

    # reconcile ------------------------------------------------------------------------------
    def reconcile(self, key: Key) -> None:
        """Make every eligible node run exactly one up-to-date pod of the DaemonSet `key`."""
        ns, name = key
        ds = self.store.get("DaemonSet", ns, name)
        if ds is None:
            return
        selector = ds["spec"].get("selector")
        if selector is not None and not selector.get("matchLabels") and \
                not selector.get("matchExpressions"):
            self.event(ds, "Warning", "SelectingAll",
                       "This daemon set is selecting all pods. A non-empty selector is required.")
            return
        if ds["metadata"].get("deletionTimestamp"):
            return
        current, generation, history = self._construct_history(ds)
        nodes = sorted(self.store.iter("Node"), key=lambda n: n["metadata"]["name"])
        shape = DaemonPodShape(ds)
        verdicts = self._should_run_all(ds, shape, nodes)
        acted = self._manage(ds, nodes, verdicts, self._pods_by_node(ds, False), current,
                             generation)
        if not acted:
            strategy = (ds["spec"].get("updateStrategy") or {}).get("type", "RollingUpdate")
            if strategy == "RollingUpdate":
                self._rolling_update(ds, nodes, verdicts, self._pods_by_node(ds, False), current,
                                     generation, history)
        node_pods = self._pods_by_node(ds, True)
        self._cleanup_history(ds, history, current, node_pods)
        self._write_status(ds, nodes, verdicts, node_pods, current, generation)

    def _manage(self, ds: dict, nodes: list[dict], verdicts: dict, node_pods: dict,
                current: str, generation: int) -> bool:
        """podsShouldBeOnNode for every node, then syncNodes; whether anything was done."""
        create: list[str] = []
        delete: list[tuple[dict, str]] = []
        skipped: list[str] = []
        surge = self._max_surge(ds, 1) > 0
        now = podutil.unix_now(self.clock)
        min_ready = ds["spec"].get("minReadySeconds") or 0
        for node in nodes:
            node_name = node["metadata"]["name"]
            should_run, should_continue, why = verdicts[node_name]
            daemon_pods = node_pods.get(node_name)
            if not should_run and why:
                skipped.append(f"{node_name}: {why}")
            if should_run and not daemon_pods:
                create.append(node_name)
            elif should_continue and daemon_pods:
                running = []
                for pod in daemon_pods:
                    if pod["metadata"].get("deletionTimestamp"):
                        continue
                    phase = (pod.get("status") or {}).get("phase")
                    pod_name = pod["metadata"]["name"]
                    ns = pod["metadata"].get("namespace", "")
                    if phase == "Failed":
                        bkey = f"{ds['metadata']['uid']}/{(ds.get('status') or {}).get('observedGeneration', 0)}/{node_name}"
                        delay = self._in_backoff(bkey)
                        if delay is not None:
                            self.enqueue_after((ns, ds["metadata"]["name"]), delay)
                            continue
                        self._next_backoff(bkey)
                        self.event(ds, "Warning", "FailedDaemonPod",
                                   f"Found failed daemon pod {ns}/{pod_name} on node {node_name}, "
                                   f"will try to kill it")
                        delete.append((pod, "it failed"))
                    elif phase == "Succeeded":
                        self.event(ds, "Normal", "SucceededDaemonPod",
                                   f"Found succeeded daemon pod {ns}/{pod_name} on node "
                                   f"{node_name}, will try to delete it")
                        delete.append((pod, "it succeeded"))
                    else:
                        running.append(pod)
                if not surge:
                    if len(running) > 1:
                        running.sort(key=_by_creation)
                        delete += [(p, "a newer extra pod on the node") for p in running[1:]]
                    continue
                if len(running) <= 1:
                    if not running and should_run:
                        create.append(node_name)
                    continue
                running.sort(key=_by_creation)
                oldest_new = oldest_old = None
                for pod in running:
                    if podutil.labels_of(pod).get(REVISION_HASH_LABEL) == current:
                        if oldest_new is None:
                            oldest_new = pod
                            continue
                    elif oldest_old is None:
                        oldest_old = pod
                        continue
                    delete.append((pod, "an extra pod on the node"))
                if oldest_new is not None and oldest_old is not None:
                    if not podutil.is_pod_ready(oldest_old):
                        delete.append((oldest_old, "replaced by a newer pod"))
                    elif podutil.is_pod_available(oldest_new, min_ready, now):
                        delete.append((oldest_old, "its replacement is available"))
            elif not should_continue and daemon_pods:
                for pod in daemon_pods:
                    if not pod["metadata"].get("deletionTimestamp"):
                        delete.append((pod, f"it may no longer run on {node_name}: {why}"))
        existing = {n["metadata"]["name"] for n in nodes}
        for node_name, pods in node_pods.items():
            if node_name in existing:
                continue
            for pod in pods:
                if not (pod.get("spec") or {}).get("nodeName"):
                    delete.append((pod, f"node {node_name} does not exist"))
        if create:
            desired = sum(1 for v in verdicts.values() if v[0])
            text = (f"DaemonSet {ds['metadata']['name']} should run on {desired} node(s); "
                    f"{len(create)} without a pod: creating on {', '.join(create)}")
            if skipped:
                text += f" (not on {'; '.join(skipped)})"
            self.trace(text)
        return self._sync_nodes(ds, create, delete, current, generation)

    def _sync_nodes(self, ds: dict, create: list[str], delete: list[tuple[dict, str]],
                    current: str, generation: int) -> bool:
        meta = ds["metadata"]
        ns = meta.get("namespace", "")
        create = create[:self.burst_replicas]
        delete = delete[:self.burst_replicas]
        template = self._pod_template(ds, current, generation)
        ref = podutil.new_controller_ref(ds, "apps/v1", "DaemonSet")
        queue = list(create)

        def create_one() -> K8sError | None:
            node_name = queue.pop(0)
            pod = podutil.pod_from_template(template, ds, ref)
            pod["spec"]["affinity"] = node_name_affinity(pod["spec"].get("affinity"), node_name)
            try:
                new = self.api.create(pod, actor=self.name)
            except K8sError as e:
                if isinstance(e, Forbidden) and "because it is being terminated" in str(e):
                    return None
                self.event(ds, "Warning", "FailedCreate", f"Error creating: {e}")
                return e
            self.event(ds, "Normal", "SuccessfulCreate", f"Created pod: {new['metadata']['name']}")
            return None

        if create:
            podutil.slow_start_batch(len(create), create_one)
        for pod, why in delete:
            pod_name = pod["metadata"]["name"]
            self.trace(f"DaemonSet {meta['name']} deletes pod {pod_name}: {why}")
            try:
                self.api.delete("Pod", ns, pod_name, actor=self.name)
            except NotFound:
                continue
            except K8sError as e:
                self.event(ds, "Warning", "FailedDelete", f"Error deleting: {e}")
                continue
            self.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {pod_name}")
        return bool(create or delete)

    @staticmethod
    def _pod_template(ds: dict, current: str, generation: int) -> dict:
        """util.CreatePodTemplate: the template with the daemon tolerations and the generation
        and revision-hash labels."""
        template = ds["spec"].get("template") or {}
        tmeta = dict(template.get("metadata") or {})
        labels = dict(tmeta.get("labels") or {})
        if generation:
            labels[TEMPLATE_GENERATION_LABEL] = str(generation)
        labels[REVISION_HASH_LABEL] = current
        tmeta["labels"] = labels
        spec = dict(template.get("spec") or {})
        spec["tolerations"] = daemon_pod_tolerations(spec)
        return {"metadata": tmeta, "spec": spec}

    # rolling update ---------------------------------------------------------------------------
    @staticmethod
    def _max_surge(ds: dict, desired: int) -> int:
        strategy = ds["spec"].get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return 0
        ru = strategy.get("rollingUpdate") or {}
        try:
            return podutil.scaled_value(ru.get("maxSurge"), desired, True)
        except ValueError:
            return 0

    @staticmethod
    def _max_unavailable(ds: dict, desired: int) -> int:
        strategy = ds["spec"].get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return 0
        ru = strategy.get("rollingUpdate") or {}
        try:
            return podutil.scaled_value(ru.get("maxUnavailable", 1), desired, True)
        except ValueError:
            return 0

    @staticmethod
    def _updated(pod: dict, current: str, generation: int) -> bool:
        """util.IsPodUpdated: the revision hash (or the template generation) is current."""
        labels = podutil.labels_of(pod)
        return (labels.get(REVISION_HASH_LABEL) == current or
                (bool(generation) and labels.get(TEMPLATE_GENERATION_LABEL) == str(generation)))

    def _find_updated(self, pods: list[dict], current: str, generation: int):
        """findUpdatedPodsOnNode: (new pod, old pod, ok) among the node's live pods."""
        new = old = None
        for pod in pods:
            if pod["metadata"].get("deletionTimestamp"):
                continue
            if self._updated(pod, current, generation):
                if new is not None:
                    return None, None, False
                new = pod
            else:
                if old is not None:
                    return None, None, False
                old = pod
        return new, old, True

    def _rolling_update(self, ds: dict, nodes: list[dict], verdicts: dict,
                        node_pods: dict[str, list[dict]], current: str, generation: int,
                        history: _History) -> None:
        meta = ds["metadata"]
        node_pods = dict(node_pods)
        desired = 0
        for node in nodes:
            n = node["metadata"]["name"]
            if verdicts[n][0]:
                desired += 1
                node_pods.setdefault(n, [])
        max_surge = self._max_surge(ds, desired)
        max_unavailable = self._max_unavailable(ds, desired)
        if desired > 0 and max_unavailable == 0 and max_surge == 0:
            max_unavailable = 1
        now = podutil.unix_now(self.clock)
        min_ready = ds["spec"].get("minReadySeconds") or 0
        revision = history.revisions.get(current)
        order = sorted(node_pods)
        if max_surge == 0:
            unavailable = 0
            replace: list[dict] = []
            candidates: list[dict] = []
            for n in order:
                new, old, ok = self._find_updated(node_pods[n], current, generation)
                if not ok:
                    unavailable += 1
                    continue
                if (old is None and new is None) or (old is not None and new is not None):
                    unavailable += 1
                elif new is not None:
                    if not podutil.is_pod_available(new, min_ready, now):
                        unavailable += 1
                elif not podutil.is_pod_available(old, min_ready, now):
                    replace.append(old)
                    unavailable += 1
                elif unavailable < max_unavailable:
                    candidates.append(old)
            room = max(0, min(max_unavailable - unavailable, len(candidates)))
            victims = replace + candidates[:room]
            if victims:
                self.trace(
                    f"DaemonSet {meta['name']} rolling update to revision {revision}: "
                    f"{len(replace) + len(candidates)} node(s) still run the old template, at most "
                    f"{max_unavailable} may be unavailable ({unavailable} are); replacing " +
                    ", ".join(p["metadata"]["name"] for p in victims))
            self._sync_nodes(ds, [], [(p, "out of date (rolling update)") for p in victims],
                             current, generation)
            return
        # surge: start the new pod first, delete the old one once the new one is available
        old_to_delete: list[dict] = []
        not_run_to_delete: list[dict] = []
        candidate_nodes: list[str] = []
        allowed_nodes: list[str] = []
        surging = available = 0
        for n in order:
            new, old, ok = self._find_updated(node_pods[n], current, generation)
            if not ok:
                surging += 1
                continue
            if old is not None:
                if podutil.is_pod_available(old, min_ready, now):
                    available += 1
            elif new is not None and podutil.is_pod_available(new, min_ready, now):
                available += 1
            if old is None:
                continue
            should_run = verdicts.get(n, (False, False, ""))[0]
            if new is None:
                if not podutil.is_pod_available(old, min_ready, now):
                    if not should_run:
                        old_to_delete.append(old)
                        continue
                    allowed_nodes.append(n)
                else:
                    if not should_run:
                        not_run_to_delete.append(old)
                        continue
                    if surging >= max_surge:
                        continue
                    candidate_nodes.append(n)
            else:
                if not podutil.is_pod_available(new, min_ready, now):
                    surging += 1
                    continue
                old_to_delete.append(old)
        deletable = available - desired
        if deletable > 0:
            old_to_delete += not_run_to_delete[:deletable]
        room = max(0, min(max_surge - surging, len(candidate_nodes)))
        new_nodes = allowed_nodes + candidate_nodes[:room]
        if new_nodes or old_to_delete:
            self.trace(f"DaemonSet {meta['name']} rolling update to revision {revision} with "
                       f"maxSurge {max_surge}: starting new pods on "
                       f"{', '.join(new_nodes) or 'no node'}; deleting "
                       f"{', '.join(p['metadata']['name'] for p in old_to_delete) or 'none'}")
        self._sync_nodes(ds, new_nodes, [(p, "replaced by an available new pod")
                                         for p in old_to_delete], current, generation)

    # failed pods back-off ---------------------------------------------------------------------
    def _in_backoff(self, key: str) -> float | None:
        entry = self._failed_backoff.get(key)
        if entry is None:
            return None
        delay, last = entry
        if self.clock.now - last < delay:
            return delay
        return None

    def _next_backoff(self, key: str) -> None:
        entry = self._failed_backoff.get(key)
        now = self.clock.now
        if entry is None or now - entry[1] > 2 * FAILED_BACKOFF_MAX:
            self._failed_backoff[key] = (FAILED_BACKOFF_INITIAL, now)
        else:
            self._failed_backoff[key] = (min(entry[0] * 2, FAILED_BACKOFF_MAX), now)

    # status -----------------------------------------------------------------------------------
    def _write_status(self, ds: dict, nodes: list[dict], verdicts: dict,
                      node_pods: dict[str, list[dict]], current: str, generation: int) -> None:
        meta = ds["metadata"]
        now = podutil.unix_now(self.clock)
        min_ready = ds["spec"].get("minReadySeconds") or 0
        desired = current_n = misscheduled = ready = updated = available = 0
        for node in nodes:
            n = node["metadata"]["name"]
            pods = node_pods.get(n)
            if verdicts[n][0]:
                desired += 1
                if not pods:
                    continue
                current_n += 1
                pod = pods[0] if len(pods) == 1 else min(pods, key=_by_creation)
                if podutil.is_pod_ready(pod):
                    ready += 1
                    if not min_ready or podutil.is_pod_available(pod, min_ready, now):
                        available += 1
                if self._updated(pod, current, generation):
                    updated += 1
            elif pods:
                misscheduled += 1
        old = ds.get("status") or {}
        status: dict = {"currentNumberScheduled": current_n, "numberMisscheduled": misscheduled,
                        "desiredNumberScheduled": desired, "numberReady": ready}
        if meta.get("generation"):
            status["observedGeneration"] = meta["generation"]
        if updated:
            status["updatedNumberScheduled"] = updated
        if available:
            status["numberAvailable"] = available
        if desired - available:
            status["numberUnavailable"] = desired - available
        for k in ("collisionCount", "conditions"):
            if old.get(k) is not None:
                status[k] = old[k]
        self.api.update_status("DaemonSet", meta.get("namespace", ""), meta["name"], status,
                               actor=self.name)
        if min_ready and ready != available:
            self.enqueue_after((meta.get("namespace", ""), meta["name"]), float(min_ready))
