"""A small cluster for scheduler tests: the real APIServer, Clock, Rand and Trace, plus the
Scheduler, with Nodes and Pods created directly through the API (no kubelets, no controllers)."""

from __future__ import annotations

from types import SimpleNamespace

from k8scourse.apiserver.server import APIServer
from k8scourse.scheduler import Scheduler
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand
from k8scourse.sim.trace import Trace

CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def make_cluster(seed: int = 0):
    clock = Clock()
    rand = Rand(seed)
    c = SimpleNamespace(clock=clock, rand=rand, trace=Trace(clock), seed=seed)
    c.api = APIServer(clock, rand)
    c.scheduler = Scheduler(c)
    return c


def add_node(c, name, *, cpu="2", memory="4Gi", pods="110", taints=(), labels=None,
             unschedulable=False, images=None):
    """A Node as a kubelet registers it, then its status (allocatable) as the kubelet reports it."""
    spec = {}
    if taints:
        spec["taints"] = [dict(t) for t in taints]
    if unschedulable:
        spec["unschedulable"] = True
    lbls = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    lbls.update(labels or {})
    c.api.create({"apiVersion": "v1", "kind": "Node",
                  "metadata": {"name": name, "labels": lbls}, "spec": spec}, actor="kubelet")
    status = {"capacity": {"cpu": cpu, "memory": memory, "pods": pods},
              "allocatable": {"cpu": cpu, "memory": memory, "pods": pods},
              "conditions": [{"type": "Ready", "status": "True"}]}
    if images:
        status["images"] = images
    c.api.update_status("Node", "", name, status, actor="kubelet")


def kubeadm(c, workers=2, **kw):
    add_node(c, "controlplane", taints=[CONTROL_PLANE_TAINT], **kw)
    for i in range(1, workers + 1):
        add_node(c, f"node{i:02d}", **kw)


def pod_manifest(name, *, cpu=None, memory=None, image="nginx", labels=None, namespace="default",
                 **spec):
    requests = {}
    if cpu is not None:
        requests["cpu"] = cpu
    if memory is not None:
        requests["memory"] = memory
    container = {"name": "app", "image": image}
    if requests:
        container["resources"] = {"requests": requests}
    meta = {"name": name, "namespace": namespace}
    if labels:
        meta["labels"] = dict(labels)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [container], **spec}}


def add_pod(c, name, **kw):
    return c.api.create(pod_manifest(name, **kw))


def run(c, seconds=1.0):
    c.clock.run(c.clock.now + seconds)


def pod(c, name, namespace="default"):
    return c.api.get("Pod", namespace, name)


def node_of(c, name, namespace="default"):
    return pod(c, name, namespace)["spec"].get("nodeName")


def events(c, name, namespace="default"):
    uid = pod(c, name, namespace)["metadata"]["uid"]
    return [e for e in c.api.list("Event", namespace) if e["involvedObject"]["uid"] == uid]


def condition(c, name, type_="PodScheduled"):
    for cond in pod(c, name)["status"].get("conditions") or ():
        if cond["type"] == type_:
            return cond
    return None


def reap(c) -> int:
    """What kubelets would do: remove the pods whose graceful deletion has begun."""
    gone = [p["metadata"] for p in c.api.store.iter("Pod") if p["metadata"].get("deletionTimestamp")]
    for m in gone:
        c.api.remove_now("Pod", m["namespace"], m["name"])
    return len(gone)


def settle(c, seconds: float = 15.0) -> None:
    """Run for a while, reaping evicted pods, so preemptors get bound to their nominated nodes."""
    for _ in range(int(seconds)):
        run(c, 1)
        reap(c)
