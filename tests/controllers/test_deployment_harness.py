"""A small cluster for the Deployment controller's tests: the real API server, clock and the
DeploymentController, with a fake ReplicaSet controller and a fake kubelet whose behaviour the
tests control (pods become ready `start_delay` seconds after they are created; an image whose
name starts with `bad` never does; a deleted pod is gone `stop_delay` seconds later).

It holds no tests itself; the test_deployment*.py files import it.
"""

from __future__ import annotations

from k8scourse.apiserver.store import key_of
from k8scourse.controllers.base import Controller
from k8scourse.controllers.deployment import DeploymentController
from k8scourse.errors import AlreadyExists
from k8scourse.sim.clock import KUBELET
from tests.support.harness import SimHarness


def _controller_ref(obj):
    for r in obj["metadata"].get("ownerReferences") or ():
        if r.get("controller"):
            return r
    return None


class FakeReplicaSetController(Controller):
    """Keeps spec.replicas pods per ReplicaSet and reports their counts in its status."""

    name = "replicaset-controller"
    interval = 0.1  # coalesce bursts of pod changes, as the real one does

    def __init__(self, cluster):
        super().__init__(cluster)
        self.store.watch("ReplicaSet", lambda ev, o, old: self.enqueue(key_of(o)))
        self.store.watch("Pod", self._on_pod)

    def _on_pod(self, ev, pod, old):
        ref = _controller_ref(pod)
        if ref and ref.get("kind") == "ReplicaSet":
            self.enqueue((pod["metadata"]["namespace"], ref["name"]))

    def _pods(self, rs):
        uid = rs["metadata"]["uid"]
        return [p for p in self.store.owned_by(uid) if p["kind"] == "Pod"
                and (_controller_ref(p) or {}).get("uid") == uid]

    def reconcile(self, key):
        rs = self.store.get("ReplicaSet", *key)
        if rs is None:
            return
        pods = [p for p in self._pods(rs) if not p["metadata"].get("deletionTimestamp")
                and p.get("status", {}).get("phase") not in ("Succeeded", "Failed")]
        want = rs["spec"].get("replicas", 1)
        if len(pods) < want:
            for _ in range(want - len(pods)):
                self._create(rs)
        elif len(pods) > want:
            # not-ready first, then the newest (ActivePodsWithRanks, roughly)
            ranked = sorted(pods, key=lambda p: (_ready(p), p["metadata"]["creationTimestamp"],
                                                 p["metadata"]["name"]))
            ranked = sorted(ranked, key=_ready)
            notready = [p for p in ranked if not _ready(p)]
            ready = sorted([p for p in ranked if _ready(p)],
                           key=lambda p: p["metadata"]["creationTimestamp"], reverse=True)
            for p in (notready + ready)[:len(pods) - want]:
                self.api.delete("Pod", key[0], p["metadata"]["name"], actor=self.name)
        self._status(key)

    def _create(self, rs):
        template = rs["spec"]["template"]
        meta = rs["metadata"]
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"generateName": meta["name"] + "-", "namespace": meta["namespace"],
                            "labels": dict(template["metadata"].get("labels") or {}),
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                 "name": meta["name"], "uid": meta["uid"],
                                                 "controller": True,
                                                 "blockOwnerDeletion": True}]},
               "spec": dict(template["spec"], nodeName="node01")}
        for _ in range(8):  # a generated name may collide; the API server retries (1.31+)
            try:
                self.api.create(pod, actor=self.name)
                return
            except AlreadyExists:
                continue

    def _status(self, key):
        rs = self.store.get("ReplicaSet", *key)
        if rs is None:
            return
        pods = [p for p in self._pods(rs) if not p["metadata"].get("deletionTimestamp")
                and p.get("status", {}).get("phase") not in ("Succeeded", "Failed")]
        ready = sum(1 for p in pods if _ready(p))
        status = {"replicas": len(pods)}
        if pods:
            status["fullyLabeledReplicas"] = len(pods)
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        status["observedGeneration"] = rs["metadata"].get("generation", 1)
        self.api.update_status("ReplicaSet", key[0], key[1], status, actor=self.name)


def _ready(pod) -> bool:
    for c in pod.get("status", {}).get("conditions") or ():
        if c["type"] == "Ready":
            return c["status"] == "True"
    return False


class FakeKubelet:
    """Starts bound pods after `start_delay`, removes deleted ones after `stop_delay`."""

    def __init__(self, cluster, start_delay: float, stop_delay: float):
        self.cluster = cluster
        self.start_delay = start_delay
        self.stop_delay = stop_delay
        cluster.api.store.watch("Pod", self._on_pod)

    def _on_pod(self, ev, pod, old):
        clock = self.cluster.clock
        ns, name = key_of(pod)
        if ev == "ADDED":
            clock.call_later(self.start_delay, lambda: self._start(ns, name), KUBELET)
        elif ev == "MODIFIED" and pod["metadata"].get("deletionTimestamp") and \
                not (old or {}).get("metadata", {}).get("deletionTimestamp"):
            clock.call_later(self.stop_delay,
                             lambda: self.cluster.api.remove_now("Pod", ns, name), KUBELET)

    def _start(self, ns, name):
        api = self.cluster.api
        pod = api.store.get("Pod", ns, name)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        now = api.clock.timestamp()
        image = pod["spec"]["containers"][0]["image"]
        if image.startswith("bad"):
            status = dict(pod["status"], phase="Pending", containerStatuses=[{
                "name": pod["spec"]["containers"][0]["name"], "image": image, "ready": False,
                "restartCount": 0, "started": False,
                "state": {"waiting": {"reason": "ErrImagePull", "message": "not found"}}}])
        else:
            status = dict(pod["status"], phase="Running", conditions=[
                {"type": "Ready", "status": "True", "lastProbeTime": None,
                 "lastTransitionTime": now}])
        api.update_status("Pod", ns, name, status, actor="kubelet")


class FakeCluster(SimHarness):
    """Enough of a Cluster for the Deployment controller: api, clock, rand, trace."""

    def __init__(self, *, seed: int = 0, start_delay: float = 2.0, stop_delay: float = 1.0):
        self.start_sim(seed)
        self.rs_controller = FakeReplicaSetController(self)
        self.deployments = DeploymentController(self)
        self.kubelet = FakeKubelet(self, start_delay, stop_delay)
        #: every Event the API server stored, in the order they were recorded
        self.recorded: list[dict] = []
        self.api.store.watch("Event", self._on_event)

    def _on_event(self, ev, obj, old):
        if ev == "ADDED" or (ev == "MODIFIED" and obj.get("count", 1) != (old or {}).get("count")):
            self.recorded.append(obj)

    def scaling_events(self, name: str = "web") -> list[str]:
        """The ScalingReplicaSet messages about Deployment `name`, oldest first."""
        return [e["message"] for e in self.recorded
                if e["reason"] == "ScalingReplicaSet" and e["involvedObject"]["name"] == name]

    def deployment(self, name: str = "web") -> dict:
        return self.api.get("Deployment", "default", name)

    def replicasets(self, name: str = "web") -> list[dict]:
        """The ReplicaSets of Deployment `name`, oldest first."""
        d = self.api.store.get("Deployment", "default", name)
        owned = [o for o in self.api.store.owned_by(d["metadata"]["uid"])
                 if o["kind"] == "ReplicaSet"]
        return sorted(owned, key=lambda o: (o["metadata"]["creationTimestamp"],
                                            o["metadata"]["name"]))

    def pods(self) -> list[dict]:
        return self.api.list("Pod", "default")

    def set_image(self, image: str, name: str = "web", **annotations: str) -> None:
        d = self.api.get("Deployment", "default", name)
        d["spec"]["template"]["spec"]["containers"][0]["image"] = image
        if annotations:
            d["metadata"].setdefault("annotations", {}).update(annotations)
        self.api.update(d)

    def scale(self, replicas: int, name: str = "web") -> None:
        d = self.api.get("Deployment", "default", name)
        d["spec"]["replicas"] = replicas
        self.api.update(d)


def deployment_manifest(name: str = "web", replicas: int = 3, image: str = "nginx:1.26",
                        **spec) -> dict:
    """A Deployment as `kubectl create deployment` would send it, plus any spec fields."""
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "web", "image": image}]}},
                 **spec},
    }
