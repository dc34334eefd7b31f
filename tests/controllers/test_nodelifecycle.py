"""The node lifecycle and taint eviction controllers: unreachable nodes, taints, eviction."""

from __future__ import annotations

import pytest

from k8scourse.controllers.nodelifecycle import (matching_tolerations, min_toleration_seconds,
                                                 tolerates)

Cluster = pytest.importorskip("k8scourse.cluster").Cluster


def _ready(cluster, name: str) -> dict:
    node = cluster.api.get("Node", "", name)
    return {c["type"]: c for c in node["status"]["conditions"]}["Ready"]


def _taints(cluster, name: str) -> set[tuple[str, str]]:
    return {(t["key"], t["effect"]) for t in cluster.api.get("Node", "", name)["spec"].get(
        "taints") or ()}


def _deleted(cluster, name: str) -> bool:
    pod = cluster.api.get_or_none("Pod", "default", name)
    return pod is None or bool(pod["metadata"].get("deletionTimestamp"))


def _pod(cluster, name: str, image: str = "nginx:1.27", node: str = "node01", **spec) -> None:
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                        "spec": dict({"nodeName": node,
                                      "containers": [{"name": name, "image": image}]}, **spec)})


@pytest.fixture(scope="module")
def failed():
    """A 2-worker cluster whose node01 was switched off; time runs on in the tests."""
    c = Cluster.kubeadm(workers=2, step=0)
    _pod(c, "web")
    c.settle()
    c.stopped_at = c.now
    c.fail_node("node01")
    return c


def test_tolerations_match_taints_as_kubernetes_does():
    """Exists matches any value; an empty key with Exists matches every taint; effects must agree."""
    taint = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
    assert tolerates({"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                      "effect": "NoExecute", "tolerationSeconds": 300}, taint)
    assert tolerates({"operator": "Exists"}, taint)
    assert not tolerates({"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                          "effect": "NoSchedule"}, taint)
    assert tolerates({"key": "app", "value": "blue", "effect": "NoExecute"},
                     {"key": "app", "value": "blue", "effect": "NoExecute"})
    assert not tolerates({"key": "app", "value": "red"}, {"key": "app", "value": "blue",
                                                          "effect": "NoExecute"})
    ok, used = matching_tolerations([taint], [{"operator": "Exists", "effect": "NoExecute",
                                               "tolerationSeconds": 60}])
    assert ok and min_toleration_seconds(used) == 60
    assert min_toleration_seconds([{"operator": "Exists"}]) == -1
    assert matching_tolerations([taint], []) == (False, [])


def test_node_goes_unknown_50_seconds_after_its_last_heartbeat(failed):
    """Ready=Unknown 'Kubelet stopped posting node status.' 50 s (v1.32's node-monitor-grace-period)
    after the last lease renewal, which came at most 10 s before power off: 40-65 s after it."""
    c = failed
    assert c.run(lambda cl: _ready(cl, "node01")["status"] == "Unknown", timeout=90)
    assert 40 <= c.now - c.stopped_at <= 65
    ready = _ready(c, "node01")
    assert ready["reason"] == "NodeStatusUnknown"
    assert ready["message"] == "Kubelet stopped posting node status."
    conds = {x["type"]: x for x in c.api.get("Node", "", "node01")["status"]["conditions"]}
    assert conds["MemoryPressure"]["status"] == "Unknown"
    assert "NotReady" in c.kubectl("get node node01").stdout


def test_unreachable_node_is_tainted_and_its_pods_marked_not_ready(failed):
    """unreachable NoSchedule and NoExecute taints; NodeNotReady events; pods Ready=False."""
    c = failed
    c.run(lambda cl: ("node.kubernetes.io/unreachable", "NoExecute") in _taints(cl, "node01"),
          timeout=60)
    assert {("node.kubernetes.io/unreachable", "NoSchedule"),
            ("node.kubernetes.io/unreachable", "NoExecute")} <= _taints(c, "node01")
    taint = [t for t in c.api.get("Node", "", "node01")["spec"]["taints"]
             if t["effect"] == "NoExecute"][0]
    assert taint["timeAdded"]
    evs = [(e["reason"], e["message"], e["source"]["component"])
           for e in c.api.list("Event", "default")]
    assert ("NodeNotReady", "Node node01 status is now: NodeNotReady", "node-controller") in evs
    assert ("NodeNotReady", "Node is not ready", "node-controller") in evs
    ready = {x["type"]: x for x in c.api.get("Pod", "default", "web")["status"]["conditions"]}
    assert ready["Ready"]["status"] == "False"


def test_pods_are_evicted_300_seconds_after_the_taint(failed):
    """The default tolerations (300 s) run out: TaintManagerEviction, and the pod Terminating."""
    c = failed
    c.run(lambda cl: ("node.kubernetes.io/unreachable", "NoExecute") in _taints(cl, "node01"),
          timeout=60)
    tainted_at = c.clock.parse([t for t in c.api.get("Node", "", "node01")["spec"]["taints"]
                                if t["effect"] == "NoExecute"][0]["timeAdded"])
    assert c.run(lambda cl: cl.api.get("Pod", "default", "web")["metadata"].get(
        "deletionTimestamp"), timeout=400)
    assert c.now - tainted_at == pytest.approx(300, abs=1.5)
    ev = [e for e in c.api.list("Event", "default") if e["reason"] == "TaintManagerEviction"][0]
    assert ev["message"] == "Marking for deletion Pod default/web"
    assert ev["source"] == {"component": "taint-eviction-controller"}
    conds = {x["type"]: x for x in c.api.get("Pod", "default", "web")["status"]["conditions"]}
    assert conds["DisruptionTarget"]["reason"] == "DeletionByTaintManager"
    c.advance(120)
    assert c.api.get("Pod", "default", "web")["metadata"]["deletionTimestamp"]  # still Terminating


def test_node_back_removes_taints_and_the_terminating_pod(failed):
    """When the machine comes back: Ready, taints gone, the evicted pod removed."""
    c = failed
    c.run(lambda cl: cl.api.get("Pod", "default", "web")["metadata"].get("deletionTimestamp"),
          timeout=500)
    c.restore_node("node01")
    c.advance(20)
    assert _ready(c, "node01")["status"] == "True"
    assert not {k for k, _ in _taints(c, "node01")} & {"node.kubernetes.io/unreachable",
                                                         "node.kubernetes.io/not-ready"}
    assert c.api.get_or_none("Pod", "default", "web") is None


def test_untolerated_no_execute_taint_evicts_at_once():
    """A NoExecute taint added by hand evicts pods that do not tolerate it immediately, and a
    pod tolerating it for 60 s after 60 s."""
    c = Cluster.kubeadm(workers=1, step=0)
    _pod(c, "plain")
    _pod(c, "patient", tolerations=[{"key": "app", "operator": "Equal", "value": "blue",
                                     "effect": "NoExecute", "tolerationSeconds": 60}])
    c.settle()
    node = c.api.get("Node", "", "node01")
    node["spec"]["taints"] = (node["spec"].get("taints") or []) + [
        {"key": "app", "value": "blue", "effect": "NoExecute"}]
    c.api.write(node, actor="kubectl")
    t0 = c.now
    c.advance(0.5)
    assert _deleted(c, "plain")
    assert not _deleted(c, "patient")
    assert c.run(lambda cl: _deleted(cl, "patient"), timeout=100)
    assert c.now - t0 == pytest.approx(60, abs=1)


def test_removing_the_taint_cancels_the_eviction():
    """Untainting before tolerationSeconds run out cancels it: 'Cancelling deletion of Pod'."""
    c = Cluster.kubeadm(workers=1, step=0)
    _pod(c, "patient", tolerations=[{"key": "maint", "operator": "Exists",
                                     "effect": "NoExecute", "tolerationSeconds": 60}])
    c.settle()
    node = c.api.get("Node", "", "node01")
    node["spec"]["taints"] = [{"key": "maint", "effect": "NoExecute"}]
    c.api.write(node, actor="kubectl")
    c.advance(10)
    node = c.api.get("Node", "", "node01")
    node["spec"].pop("taints")
    c.api.write(node, actor="kubectl")
    c.advance(100)
    assert not c.api.get("Pod", "default", "patient")["metadata"].get("deletionTimestamp")
    msgs = [e["message"] for e in c.api.list("Event", "default")
            if e["reason"] == "TaintManagerEviction"]
    assert msgs == ["Cancelling deletion of Pod default/patient"]


def test_cordon_adds_the_unschedulable_taint():
    """spec.unschedulable: true gets node.kubernetes.io/unschedulable:NoSchedule, and loses it."""
    c = Cluster.kubeadm(workers=1, step=0)
    node = c.api.get("Node", "", "node01")
    node["spec"]["unschedulable"] = True
    c.api.write(node, actor="kubectl")
    c.advance(1)
    assert ("node.kubernetes.io/unschedulable", "NoSchedule") in _taints(c, "node01")
    node = c.api.get("Node", "", "node01")
    node["spec"].pop("unschedulable")
    c.api.write(node, actor="kubectl")
    c.advance(1)
    assert ("node.kubernetes.io/unschedulable", "NoSchedule") not in _taints(c, "node01")


def test_every_node_down_stops_evictions():
    """Full disruption: with no node Ready the controller adds no NoExecute taint."""
    c = Cluster.kubeadm(workers=1, step=0)
    c.fail_node("controlplane")
    c.fail_node("node01")
    c.advance(120)
    for n in ("controlplane", "node01"):
        assert _ready(c, n)["status"] == "Unknown"
        assert ("node.kubernetes.io/unreachable", "NoExecute") not in _taints(c, n)
        assert ("node.kubernetes.io/unreachable", "NoSchedule") in _taints(c, n)


def test_a_node_without_kubelet_never_posts_status():
    """A Node object nobody runs: after the 60 s startup grace, 'Kubelet never posted node status.'"""
    c = Cluster.kubeadm(workers=1, step=0)
    c.api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "ghost"}})
    c.advance(70)
    ready = _ready(c, "ghost")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status.")
    evs = [e["message"] for e in c.api.list("Event", "default") if e["reason"] == "RegisteredNode"]
    assert "Node ghost event: Registered Node ghost in Controller" in evs
