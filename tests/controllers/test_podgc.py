"""The pod garbage collector: orphans, out-of-service nodes, the terminated-pod threshold."""

from __future__ import annotations

import pytest

from k8scourse.controllers.podgc import PodGCController

Cluster = pytest.importorskip("k8scourse.cluster").Cluster


def _pod(cluster, name: str, node: str = "node01", **spec) -> None:
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                        "spec": dict({"nodeName": node,
                                      "containers": [{"name": name, "image": "nginx:1.27"}]},
                                     **spec)})


def test_pods_of_a_deleted_node_are_force_deleted_after_quarantine():
    """A node deleted while its machine is off: its pods go 40-60 s later, marked Failed first."""
    c = Cluster.kubeadm(workers=2, step=0)
    _pod(c, "web")
    c.settle()
    c.fail_node("node01")
    c.api.delete("Node", "", "node01")
    seen = []

    def watch(event, obj, old):
        if obj["metadata"]["name"] == "web":
            seen.append((event, (obj.get("status") or {}).get("phase"), obj["status"].get(
                "conditions", [])[-1].get("reason")))

    c.api.store.watch("Pod", watch)
    t0 = c.now
    assert c.run(lambda cl: cl.api.get_or_none("Pod", "default", "web") is None, timeout=120)
    assert 40 <= c.now - t0 <= 61
    assert ("MODIFIED", "Failed", "DeletionByPodGC") in seen


def test_terminating_pods_on_an_out_of_service_node_are_force_deleted():
    """The admin's out-of-service taint on a dead node releases its Terminating pods."""
    c = Cluster.kubeadm(workers=2, step=0)
    _pod(c, "web")
    c.settle()
    c.fail_node("node01")
    c.advance(60)
    c.api.delete("Pod", "default", "web")
    c.advance(60)
    assert c.api.get("Pod", "default", "web")["metadata"]["deletionTimestamp"]
    node = c.api.get("Node", "", "node01")
    node["spec"]["taints"] = (node["spec"].get("taints") or []) + [
        {"key": "node.kubernetes.io/out-of-service", "value": "nodeshutdown",
         "effect": "NoExecute"}]
    c.api.write(node, actor="kubectl")
    c.advance(25)
    assert c.api.get_or_none("Pod", "default", "web") is None


def test_terminated_pods_beyond_the_threshold_go_oldest_first():
    """With a threshold of 2, the oldest of 4 completed pods are deleted."""
    c = Cluster.kubeadm(workers=1, step=0)
    gc = c.controllers["pod-garbage-collector-controller"]
    assert isinstance(gc, PodGCController) and gc.threshold == 12500
    gc.threshold = 2
    for i in range(4):
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"job{i}"},
                      "spec": {"nodeName": "node01", "restartPolicy": "Never",
                               "containers": [{"name": "c", "image": "busybox:1.36",
                                               "command": ["true"]}]}})
        c.advance(2)
    c.settle()
    c.advance(21)
    left = sorted(p["metadata"]["name"] for p in c.api.list("Pod", "default"))
    assert left == ["job2", "job3"]
