"""The DaemonSet controller: one pod per eligible node, rolling updates, status."""

from __future__ import annotations

import re

from k8scourse.controllers import podutil
from k8scourse.controllers.daemonset import node_should_run_daemon_pod
from tests.controllers.conftest import Harness

NAME = r"[bcdfghjklmnpqrstvwxz2456789]{5}"
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def kubeadm_like() -> Harness:
    h = Harness(nodes=())
    h.add_node("controlplane", taints=[CONTROL_PLANE_TAINT])
    h.add_node("node01")
    h.add_node("node02")
    return h


def daemonset(name="agent", image="busybox:1.36", tolerations=None, node_selector=None, **spec):
    pod_spec = {"containers": [{"name": "agent", "image": image}]}
    if tolerations is not None:
        pod_spec["tolerations"] = tolerations
    if node_selector:
        pod_spec["nodeSelector"] = node_selector
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": pod_spec},
                     **spec}}


def by_node(h: Harness, name="agent") -> dict[str, dict]:
    out = {}
    for p in h.pods():
        if p["metadata"]["labels"].get("app") == name:
            assert p["spec"]["nodeName"] not in out
            out[p["spec"]["nodeName"]] = p
    return out


def test_one_pod_per_untainted_node():
    """A DaemonSet without tolerations runs on the workers, not on the tainted control plane."""
    h = kubeadm_like()
    h.api.create(daemonset())
    h.settle()
    pods = by_node(h)
    assert sorted(pods) == ["node01", "node02"]
    for node, p in pods.items():
        assert re.fullmatch(rf"agent-{NAME}", p["metadata"]["name"])
        assert p["spec"]["affinity"] == {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{
                "matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}}
        labels = p["metadata"]["labels"]
        assert re.fullmatch(r"[4-9bcdf]+", labels["controller-revision-hash"])
        assert labels["pod-template-generation"] == "1" and labels["app"] == "agent"
    assert any("(not on controlplane: untolerated taint "
               "node-role.kubernetes.io/control-plane:NoSchedule)" in d
               for d in h.decisions("daemonset-controller"))


def test_daemon_pods_get_the_automatic_tolerations():
    """Every DaemonSet pod tolerates not-ready/unreachable (NoExecute, no seconds) and the
    pressure and unschedulable taints (NoSchedule)."""
    h = kubeadm_like()
    h.api.create(daemonset())
    h.settle()
    tolerations = next(iter(by_node(h).values()))["spec"]["tolerations"]
    assert tolerations[:6] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
        {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists",
         "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]
    assert len(tolerations) == 6  # the 300 s defaults are not added again


def test_host_network_pods_tolerate_network_unavailable():
    """hostNetwork DaemonSet pods also tolerate node.kubernetes.io/network-unavailable."""
    ds = daemonset()
    ds["spec"]["template"]["spec"]["hostNetwork"] = True
    h = kubeadm_like()
    h.api.create(ds)
    h.settle()
    tolerations = next(iter(by_node(h).values()))["spec"]["tolerations"]
    assert {"key": "node.kubernetes.io/network-unavailable", "operator": "Exists",
            "effect": "NoSchedule"} in tolerations


def test_tolerating_everything_includes_the_control_plane():
    """`operator: Exists` (as kube-proxy has) puts a pod on every node."""
    h = kubeadm_like()
    h.api.create(daemonset(tolerations=[{"operator": "Exists"}]))
    h.settle()
    assert sorted(by_node(h)) == ["controlplane", "node01", "node02"]


def test_status_counts():
    """desired/current/ready/available/updated count the eligible nodes; observedGeneration."""
    h = kubeadm_like()
    h.api.create(daemonset())
    h.settle()
    assert h.get("DaemonSet", "agent")["status"] == {
        "currentNumberScheduled": 2, "numberMisscheduled": 0, "desiredNumberScheduled": 2,
        "numberReady": 2, "observedGeneration": 1, "updatedNumberScheduled": 2,
        "numberAvailable": 2}
    events = h.events("SuccessfulCreate")
    assert len(events) == 2 and all(e["source"]["component"] == "daemonset-controller"
                                    for e in events)
    assert all(re.fullmatch(rf"Created pod: agent-{NAME}", e["message"]) for e in events)


def test_new_node_gets_a_pod():
    """A node that joins later gets its pod."""
    h = kubeadm_like()
    h.api.create(daemonset())
    h.settle()
    h.add_node("node03")
    h.settle()
    assert sorted(by_node(h)) == ["node01", "node02", "node03"]
    assert h.get("DaemonSet", "agent")["status"]["desiredNumberScheduled"] == 3


def test_node_selector_limits_the_nodes():
    """With a nodeSelector only matching nodes run the pod; relabelling a node adds one."""
    h = kubeadm_like()
    h.api.create(daemonset(node_selector={"disk": "ssd"}))
    h.settle()
    assert by_node(h) == {}
    node = h.api.get("Node", "", "node02")
    node["metadata"]["labels"]["disk"] = "ssd"
    h.api.update(node)
    h.settle()
    assert sorted(by_node(h)) == ["node02"]


def test_noexecute_taint_evicts_and_noschedule_keeps():
    """A running pod stays on a node that gets a NoSchedule taint (counted misscheduled) but
    is deleted when the node gets an untolerated NoExecute taint."""
    h = kubeadm_like()
    h.api.create(daemonset())
    h.settle()
    node = h.api.get("Node", "", "node01")
    node["spec"]["taints"] = [{"key": "maintenance", "effect": "NoSchedule"}]
    h.api.update(node)
    h.settle()
    assert sorted(by_node(h)) == ["node01", "node02"]
    status = h.get("DaemonSet", "agent")["status"]
    assert status["desiredNumberScheduled"] == 1 and status["numberMisscheduled"] == 1
    node = h.api.get("Node", "", "node01")
    node["spec"]["taints"] = [{"key": "maintenance", "effect": "NoExecute"}]
    h.api.update(node)
    h.settle()
    assert sorted(by_node(h)) == ["node02"]
    assert len(h.events("SuccessfulDelete")) == 1


def test_deleted_daemon_pod_is_recreated_after_it_is_gone():
    """A deleted pod is replaced once it has terminated (never two pods on one node)."""
    h = kubeadm_like()
    h.api.create(daemonset())
    h.settle()
    victim = by_node(h)["node01"]["metadata"]["name"]
    h.kubelet.stop_delay = 5.0
    h.api.delete("Pod", "default", victim)
    h.advance(2)
    assert [p["metadata"]["name"] for p in h.pods(active_only=False)
            if p["spec"].get("nodeName") == "node01"] == [victim]
    h.settle()
    replacement = by_node(h)["node01"]["metadata"]["name"]
    assert replacement != victim


def test_rolling_update_replaces_one_node_at_a_time():
    """Changing the template replaces pods with maxUnavailable 1: never more than one node
    without an available pod, and at the end every pod has the new hash and generation 2."""
    h = Harness(nodes=("node01", "node02", "node03", "node04"))
    h.api.create(daemonset())
    h.settle()
    old_hash = next(iter(by_node(h).values()))["metadata"]["labels"]["controller-revision-hash"]
    ds = h.api.get("DaemonSet", "default", "agent")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.37"
    h.api.update(ds)
    worst = 0
    while h.clock.has_work():
        h.clock.step()
        up = {p["spec"]["nodeName"] for p in h.pods() if podutil.is_pod_ready(p)}
        worst = max(worst, 4 - len(up))
    assert worst == 1
    pods = by_node(h)
    assert sorted(pods) == ["node01", "node02", "node03", "node04"]
    hashes = {p["metadata"]["labels"]["controller-revision-hash"] for p in pods.values()}
    assert len(hashes) == 1 and old_hash not in hashes
    assert {p["metadata"]["labels"]["pod-template-generation"] for p in pods.values()} == {"2"}
    assert all(p["spec"]["containers"][0]["image"] == "busybox:1.37" for p in pods.values())
    assert h.get("DaemonSet", "agent")["status"]["updatedNumberScheduled"] == 4
    revisions = h.controllers["ds"].revisions("default", "agent")
    assert [r for r, _ in revisions] == [1, 2] and revisions[1][1] in hashes


def test_on_delete_strategy_waits_for_the_user():
    """OnDelete: a template change replaces nothing until a pod is deleted."""
    h = kubeadm_like()
    h.api.create(daemonset(updateStrategy={"type": "OnDelete"}))
    h.settle()
    before = {n: p["metadata"]["name"] for n, p in by_node(h).items()}
    ds = h.api.get("DaemonSet", "default", "agent")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.37"
    h.api.update(ds)
    h.settle()
    assert {n: p["metadata"]["name"] for n, p in by_node(h).items()} == before
    assert "updatedNumberScheduled" not in h.get("DaemonSet", "agent")["status"]
    h.api.delete("Pod", "default", before["node01"])
    h.settle()
    assert by_node(h)["node01"]["spec"]["containers"][0]["image"] == "busybox:1.37"
    assert h.get("DaemonSet", "agent")["status"]["updatedNumberScheduled"] == 1


def test_rollback_reuses_the_old_hash_with_a_new_revision():
    """Going back to an earlier template gives its old hash the next revision number."""
    h = Harness(nodes=("node01",))
    h.api.create(daemonset())
    h.settle()
    first = by_node(h)["node01"]["metadata"]["labels"]["controller-revision-hash"]
    for image in ("busybox:1.37", "busybox:1.36"):
        ds = h.api.get("DaemonSet", "default", "agent")
        ds["spec"]["template"]["spec"]["containers"][0]["image"] = image
        h.api.update(ds)
        h.settle()
    assert by_node(h)["node01"]["metadata"]["labels"]["controller-revision-hash"] == first
    revisions = dict((k, r) for r, k in h.controllers["ds"].revisions("default", "agent"))
    assert revisions[first] == 3 and len(revisions) == 2


def test_node_should_run_daemon_pod():
    """NodeShouldRunDaemonPod: (shouldRun, shouldContinueRunning) for the usual cases."""
    ds = daemonset()
    plain = {"metadata": {"name": "n", "labels": {}}, "spec": {}}
    tainted = {"metadata": {"name": "n", "labels": {}}, "spec": {"taints": [CONTROL_PLANE_TAINT]}}
    noexec = {"metadata": {"name": "n", "labels": {}},
              "spec": {"taints": [{"key": "x", "effect": "NoExecute"}]}}
    not_ready = {"metadata": {"name": "n", "labels": {}},
                 "spec": {"taints": [{"key": "node.kubernetes.io/not-ready",
                                      "effect": "NoExecute"},
                                     {"key": "node.kubernetes.io/unschedulable",
                                      "effect": "NoSchedule"}]}}
    assert node_should_run_daemon_pod(plain, ds) == (True, True)
    assert node_should_run_daemon_pod(tainted, ds) == (False, True)
    assert node_should_run_daemon_pod(noexec, ds) == (False, False)
    assert node_should_run_daemon_pod(not_ready, ds) == (True, True)


def test_adopted_orphan_without_revision_hash_is_rolled():
    """A bare pod matching the selector is adopted, not doubled; lacking the revision hash it is
    out of date, so the rolling update deletes it first and then creates the new pod."""
    h = Harness(nodes=("node01",))
    h.api.create({"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": "handmade", "labels": {"app": "agent"}},
                  "spec": {"nodeName": "node01",
                           "containers": [{"name": "agent", "image": "busybox:1.36"}]}})
    h.settle()
    h.api.create(daemonset())
    h.advance(0.01)
    assert h.get("Pod", "handmade")["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet"
    h.settle()
    events = sorted(h.events(), key=lambda e: e["metadata"]["name"])
    assert [e["reason"] for e in events] == ["SuccessfulDelete", "SuccessfulCreate"]
    assert events[0]["message"] == "Deleted pod: handmade"
    assert [p["metadata"]["name"] for p in h.pods()] != ["handmade"] and len(h.pods()) == 1


def test_rolling_update_with_surge_keeps_every_node_available():
    """maxSurge 1, maxUnavailable 0: the new pod starts beside the old one, which goes only once
    the new one is available; every node always has an available pod."""
    h = Harness(nodes=("node01", "node02", "node03"))
    h.api.create(daemonset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": {
        "maxSurge": 1, "maxUnavailable": 0}}))
    h.settle()
    ds = h.api.get("DaemonSet", "default", "agent")
    ds["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.37"
    h.api.update(ds)
    most = 0
    while h.clock.has_work():
        h.clock.step()
        ready_nodes = {p["spec"]["nodeName"] for p in h.pods() if podutil.is_pod_ready(p)}
        assert ready_nodes == {"node01", "node02", "node03"}
        most = max(most, len(h.pods()))
    assert most == 4  # one surge pod at a time
    pods = by_node(h)
    assert all(p["spec"]["containers"][0]["image"] == "busybox:1.37" for p in pods.values())


def test_in_a_real_cluster_kube_proxy_runs_everywhere(real_cluster):
    """kubeadm's kube-proxy DaemonSet tolerates everything: one Running pod on each node."""
    pods = real_cluster.pods("kube-system", selector={"k8s-app": "kube-proxy"})
    assert sorted(p.spec["nodeName"] for p in pods) == ["controlplane", "node01", "node02"]
    assert all(re.fullmatch(rf"kube-proxy-{NAME}", p.name) for p in pods)
    status = real_cluster.get("DaemonSet", "kube-proxy", "kube-system").status
    assert status["desiredNumberScheduled"] == 3 and status["numberReady"] == 3
