"""The ReplicaSet controller and the ReplicationController manager."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8scourse.controllers import podutil
from k8scourse.controllers.replicaset import _OwnedPods
from tests.controllers.conftest import Harness, bare_pod, replicaset

NAME = r"[bcdfghjklmnpqrstvwxz2456789]{5}"


def scale(h: Harness, name: str, replicas: int, kind: str = "ReplicaSet") -> None:
    obj = h.api.get(kind, "default", name)
    obj["spec"]["replicas"] = replicas
    h.api.update(obj)


def names(pods) -> set[str]:
    return {p["metadata"]["name"] for p in pods}


def test_pods_are_named_after_the_replicaset(harness):
    """Each pod is `<rs>-` plus 5 characters of the vowel-free alphabet, and owned by the RS."""
    harness.api.create(replicaset("frontend", 3))
    harness.settle()
    pods = harness.pods()
    assert len(pods) == 3
    rs = harness.get("ReplicaSet", "frontend")
    for p in pods:
        assert re.fullmatch(rf"frontend-{NAME}", p["metadata"]["name"])
        assert p["metadata"]["ownerReferences"] == [{
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "frontend",
            "uid": rs["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
        assert p["metadata"]["labels"] == {"tier": "frontend"}


def test_events_and_status_after_creating(harness):
    """SuccessfulCreate `Created pod: <name>` per pod; status counts ready and available pods."""
    harness.api.create(replicaset("frontend", 3))
    harness.settle()
    events = harness.events("SuccessfulCreate")
    assert sorted(e["message"] for e in events) == sorted(f"Created pod: {n}"
                                                         for n in names(harness.pods()))
    assert all(e["source"] == {"component": "replicaset-controller"} for e in events)
    assert all(e["type"] == "Normal" and e["involvedObject"]["kind"] == "ReplicaSet"
               for e in events)
    assert harness.get("ReplicaSet", "frontend")["status"] == {
        "replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
        "observedGeneration": 1}


def test_trace_says_why(harness):
    """The trace explains the pass: how many pods match the selector and what it does."""
    harness.api.create(replicaset("frontend", 3))
    harness.settle()
    assert harness.decisions("replicaset-controller") == [
        "ReplicaSet frontend has 0 of 3 pods matching tier=frontend; creating 3"]


def test_adopts_a_matching_orphan(harness):
    """A ReplicaSet of 3 with 1 matching bare pod already running creates only 2."""
    harness.api.create(bare_pod("lonely", {"tier": "frontend"}))
    harness.settle()
    harness.api.create(replicaset("frontend", 3))
    harness.settle()
    rs = harness.get("ReplicaSet", "frontend")
    pods = harness.owned(rs)
    assert len(pods) == 3 and "lonely" in names(pods)
    lonely = harness.get("Pod", "lonely")
    assert lonely["metadata"]["ownerReferences"][0]["blockOwnerDeletion"] is True
    assert len(harness.events("SuccessfulCreate")) == 2
    assert ("ReplicaSet frontend adopts pod lonely: its labels match tier=frontend and no "
            "controller owns it") in harness.decisions("replicaset-controller")


def test_does_not_adopt_pods_of_another_namespace_or_controller(harness):
    """Adoption is only of orphans in the same namespace."""
    harness.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    harness.api.create(bare_pod("elsewhere", {"tier": "frontend"}, ns="other"))
    harness.api.create(replicaset("frontend", 2))
    harness.settle()
    assert "ownerReferences" not in harness.get("Pod", "elsewhere", "other")["metadata"]
    assert len(harness.owned(harness.get("ReplicaSet", "frontend"))) == 2


def test_too_many_matching_orphans_are_adopted_then_deleted(harness):
    """With more matching pods than replicas, the surplus is adopted and then deleted."""
    for i in range(3):
        harness.api.create(bare_pod(f"p{i}", {"tier": "frontend"}))
    harness.settle()
    harness.api.create(replicaset("frontend", 2))
    harness.settle()
    assert len(harness.pods()) == 2
    assert len(harness.events("SuccessfulDelete")) == 1


def test_relabelled_pod_is_released_and_replaced(harness):
    """A pod whose labels stop matching loses its ownerReference, keeps running, and the
    ReplicaSet creates a replacement."""
    harness.api.create(replicaset("frontend", 3))
    harness.settle()
    victim = harness.pods()[0]
    pod = harness.api.get("Pod", "default", victim["metadata"]["name"])
    pod["metadata"]["labels"] = {"tier": "debug"}
    harness.api.update(pod)
    harness.settle()
    released = harness.get("Pod", victim["metadata"]["name"])
    assert "ownerReferences" not in released["metadata"]
    assert released["status"]["phase"] == "Running"
    rs = harness.get("ReplicaSet", "frontend")
    assert len(harness.owned(rs)) == 3 and victim["metadata"]["name"] not in names(harness.owned(rs))
    assert len(harness.events("SuccessfulCreate")) == 4


def test_deleted_pod_is_replaced_with_a_new_name(harness):
    """Deleting a pod: it terminates and the ReplicaSet creates one with a new suffix."""
    harness.api.create(replicaset("frontend", 3))
    harness.settle()
    before = names(harness.pods())
    victim = sorted(before)[0]
    harness.api.delete("Pod", "default", victim)
    harness.advance(0.5)
    assert len(harness.pods()) == 3  # the replacement exists while the victim terminates
    assert harness.get("Pod", victim)["metadata"].get("deletionTimestamp")
    harness.settle()
    after = names(harness.pods())
    assert len(after) == 3 and victim not in after and len(after - before) == 1


def _three_pods_then_scale_down(h: Harness, pods: list[dict]) -> str:
    for p in pods:
        h.api.create(p)
    h.settle()
    h.api.create(replicaset("frontend", len(pods)))
    h.settle()
    assert len(h.events("SuccessfulCreate")) == 0
    scale(h, "frontend", len(pods) - 1)
    h.settle()
    deleted = h.events("SuccessfulDelete")
    assert len(deleted) == 1
    return deleted[0]["message"]


def test_scale_down_deletes_unscheduled_pods_first():
    """A pod that is not scheduled goes before running ones."""
    h = Harness()
    pods = [bare_pod("a", {"tier": "frontend"}), bare_pod("b", {"tier": "frontend"}),
            bare_pod("pending", {"tier": "frontend", "test/unschedulable": "1"})]
    assert _three_pods_then_scale_down(h, pods) == "Deleted pod: pending"


def test_scale_down_deletes_pending_before_running():
    """A scheduled pod that has not started (phase Pending) goes before running ones."""
    h = Harness()
    for p in (bare_pod("a", {"tier": "frontend"}), bare_pod("b", {"tier": "frontend"})):
        h.api.create(p)
    h.settle()
    h.kubelet.start_delay = 1000.0
    h.api.create(bare_pod("starting", {"tier": "frontend"}))
    h.advance(1)
    assert h.get("Pod", "starting")["spec"]["nodeName"]
    h.api.create(replicaset("frontend", 3))
    h.advance(1)
    scale(h, "frontend", 2)
    h.advance(1)
    assert [e["message"] for e in h.events("SuccessfulDelete")] == ["Deleted pod: starting"]


def test_scale_down_deletes_not_ready_before_ready():
    """A running pod that is not ready goes before ready ones."""
    h = Harness()
    pods = [bare_pod("a", {"tier": "frontend"}),
            bare_pod("sick", {"tier": "frontend", "test/not-ready": "1"}),
            bare_pod("b", {"tier": "frontend"})]
    assert _three_pods_then_scale_down(h, pods) == "Deleted pod: sick"


def test_scale_down_deletes_the_newest_first():
    """Among equal pods the newest goes first (its age is on another log2 scale)."""
    h = Harness()
    for p in (bare_pod("old1", {"tier": "frontend"}), bare_pod("old2", {"tier": "frontend"})):
        h.api.create(p)
    h.settle()
    h.advance(600)
    h.api.create(bare_pod("young", {"tier": "frontend"}))
    h.settle()
    h.advance(30)
    h.api.create(replicaset("frontend", 3))
    h.settle()
    scale(h, "frontend", 2)
    h.settle()
    assert [e["message"] for e in h.events("SuccessfulDelete")] == ["Deleted pod: young"]
    assert any("deleting 1: young (newest)" in d for d in h.decisions("replicaset-controller"))


def test_scale_to_zero_and_back(harness):
    """Scaling to 0 deletes every pod (status replicas 0); scaling up creates new ones."""
    harness.api.create(replicaset("frontend", 2))
    harness.settle()
    scale(harness, "frontend", 0)
    harness.settle()
    assert harness.pods(active_only=False) == []
    assert harness.get("ReplicaSet", "frontend")["status"] == {"replicas": 0,
                                                              "observedGeneration": 2}
    scale(harness, "frontend", 4)
    harness.settle()
    assert len(harness.pods()) == 4


def test_failed_create_event_and_condition(harness):
    """A pod the API server refuses: a FailedCreate event `Error creating: <the API error>`, the
    ReplicaFailure condition, and slow start stops after the first failing batch."""
    harness.api.create(replicaset("frontend", 0))
    harness.settle()
    rs = harness.api.get("ReplicaSet", "default", "frontend")
    broken = dict(rs)
    broken["spec"] = dict(rs["spec"], replicas=3)
    broken["spec"]["template"] = {"metadata": {"labels": {"tier": "frontend"}},
                                  "spec": {"containers": [{"name": "nginx"}]}}
    harness.api.write(broken, actor="test")
    harness.advance(0.25)
    failed = harness.events("FailedCreate")
    assert len(failed) == 1 and failed[0]["type"] == "Warning"
    assert re.fullmatch(rf'Error creating: Pod "frontend-{NAME}" is invalid: '
                        r'spec.containers\[0\].image: Required value', failed[0]["message"])
    status = harness.get("ReplicaSet", "frontend")["status"]
    cond = status["conditions"][0]
    assert (cond["type"], cond["status"], cond["reason"]) == ("ReplicaFailure", "True",
                                                              "FailedCreate")
    assert re.fullmatch(rf'Pod "frontend-{NAME}" is invalid: spec.containers\[0\].image: '
                        r'Required value', cond["message"])
    assert harness.settle(timeout=30)  # the retries are back-off housekeeping
    assert len(harness.events("FailedCreate")) > 1
    assert harness.pods() == []


def test_condition_cleared_once_creating_works_again(harness):
    """When creation succeeds again the ReplicaFailure condition goes away."""
    harness.api.create(replicaset("frontend", 0))
    harness.settle()
    rs = harness.api.get("ReplicaSet", "default", "frontend")
    good_template = rs["spec"]["template"]
    broken = dict(rs, spec=dict(rs["spec"], replicas=1,
                                template={"metadata": {"labels": {"tier": "frontend"}},
                                          "spec": {"containers": [{"name": "nginx"}]}}))
    harness.api.write(broken, actor="test")
    harness.advance(1)
    assert harness.get("ReplicaSet", "frontend")["status"].get("conditions")
    fixed = dict(harness.get("ReplicaSet", "frontend"))
    fixed["spec"] = dict(fixed["spec"], template=good_template)
    harness.api.write(fixed, actor="test")
    harness.settle()
    assert len(harness.pods()) == 1
    assert "conditions" not in harness.get("ReplicaSet", "frontend")["status"]


def test_min_ready_seconds_delays_availability(harness):
    """With minReadySeconds 10, ready pods count as available only 10 s after becoming ready."""
    harness.api.create(replicaset("frontend", 2, minReadySeconds=10))
    harness.advance(3)
    status = harness.get("ReplicaSet", "frontend")["status"]
    assert status["readyReplicas"] == 2 and "availableReplicas" not in status
    harness.settle()
    assert harness.get("ReplicaSet", "frontend")["status"]["availableReplicas"] == 2


def test_ready_count_follows_readiness(harness):
    """readyReplicas drops when a pod stops being ready."""
    harness.api.create(replicaset("frontend", 2))
    harness.settle()
    harness.kubelet.set_ready("default", harness.pods()[0]["metadata"]["name"], False)
    harness.settle()
    status = harness.get("ReplicaSet", "frontend")["status"]
    assert status["replicas"] == 2 and status["readyReplicas"] == 1


def test_burst_of_at_most_500_per_pass():
    """A pass creates at most 500 pods (burstReplicas); 1200 replicas take three passes."""
    h = Harness(controllers=("rs",))
    h.api.create(replicaset("big", 1200))
    h.advance(0.01)
    assert len(h.pods()) == 500
    h.settle()
    assert len(h.pods()) == 1200


def test_ten_thousand_replicas_in_linear_work(monkeypatch):
    """A 10,000-replica ReplicaSet reaches 10,000 ready pods while the controller looks at each
    pod only a few times (O(n) in all, not once per pass)."""
    calls = [0]
    original = _OwnedPods.refresh

    def counting(self, name, pod):
        calls[0] += 1
        return original(self, name, pod)

    monkeypatch.setattr(_OwnedPods, "refresh", counting)
    h = Harness(controllers=("rs",))
    h.trace.enabled = False
    h.api.create(replicaset("big", 10000))
    h.settle()
    assert h.get("ReplicaSet", "big")["status"]["readyReplicas"] == 10000
    assert calls[0] < 5 * 10000


def test_rc_without_selector_selects_its_template_labels():
    """A v1 ReplicationController with no selector gets its template labels as selector (API
    defaults) and keeps that many pods, owned as ReplicationController, events from
    replication-controller."""
    h = Harness()
    h.api.create({"apiVersion": "v1", "kind": "ReplicationController",
                  "metadata": {"name": "myapp-rc"},
                  "spec": {"replicas": 3, "template": {
                      "metadata": {"labels": {"app": "myapp", "type": "front-end"}},
                      "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    h.settle()
    rc = h.get("ReplicationController", "myapp-rc")
    assert rc["spec"]["selector"] == {"app": "myapp", "type": "front-end"}
    pods = h.owned(rc)
    assert len(pods) == 3
    assert all(re.fullmatch(rf"myapp-rc-{NAME}", p["metadata"]["name"]) for p in pods)
    ref = pods[0]["metadata"]["ownerReferences"][0]
    assert (ref["apiVersion"], ref["kind"], ref["name"]) == ("v1", "ReplicationController",
                                                              "myapp-rc")
    events = h.events("SuccessfulCreate")
    assert len(events) == 3
    assert all(e["source"]["component"] == "replication-controller" for e in events)
    assert rc["status"]["readyReplicas"] == 3
    assert h.decisions("replication-controller") == [
        "ReplicationController myapp-rc has 0 of 3 pods matching app=myapp,type=front-end; "
        "creating 3"]


def test_replicaset_ignores_pods_of_a_replication_controller():
    """Pods controlled by an RC are not orphans: an RS with the same selector leaves them."""
    h = Harness()
    h.api.create({"apiVersion": "v1", "kind": "ReplicationController",
                  "metadata": {"name": "rc"},
                  "spec": {"replicas": 2, "selector": {"tier": "frontend"}, "template": {
                      "metadata": {"labels": {"tier": "frontend"}},
                      "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    h.settle()
    h.api.create(replicaset("frontend", 1))
    h.settle()
    assert len(h.owned(h.get("ReplicationController", "rc"))) == 2
    assert len(h.owned(h.get("ReplicaSet", "frontend"))) == 1


def test_replicaset_being_deleted_does_not_create(harness):
    """A ReplicaSet with a deletionTimestamp (foreground deletion) makes no new pods."""
    harness.api.create(replicaset("frontend", 2))
    harness.settle()
    harness.api.delete("ReplicaSet", "default", "frontend", propagation="Foreground")
    harness.settle()
    assert harness.get("ReplicaSet", "frontend") is None
    assert harness.pods(active_only=False) == []


# the property: whatever happens, each ReplicaSet ends with spec.replicas pods -------------------
ops = st.lists(st.one_of(
    st.tuples(st.just("create"), st.sampled_from(["a", "b", "c"]), st.integers(0, 4)),
    st.tuples(st.just("scale"), st.sampled_from(["a", "b", "c"]), st.integers(0, 4)),
    st.tuples(st.just("delete-rs"), st.sampled_from(["a", "b", "c"]), st.just(0)),
    st.tuples(st.just("delete-pod"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("relabel"), st.integers(0, 20), st.sampled_from(["a", "b", "c", "z"])),
    st.tuples(st.just("wait"), st.just(""), st.integers(0, 3)),
), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_random_operations_converge(operations):
    """After any sequence of create/scale/delete-pod/relabel/delete-rs and a settle, every
    ReplicaSet owns exactly spec.replicas active pods, all matching its selector."""
    h = Harness(controllers=("rs", "gc"))
    for op, arg, n in operations:
        if op == "create" and h.get("ReplicaSet", arg) is None:
            h.api.create(replicaset(arg, n, labels={"app": arg}))
        elif op == "scale" and h.get("ReplicaSet", arg) is not None and \
                not h.get("ReplicaSet", arg)["metadata"].get("deletionTimestamp"):
            scale(h, arg, n)
        elif op == "delete-rs" and h.get("ReplicaSet", arg) is not None:
            h.api.delete("ReplicaSet", "default", arg)
        elif op == "delete-pod" and h.pods():
            pods = h.pods()
            h.api.delete("Pod", "default", pods[arg % len(pods)]["metadata"]["name"])
        elif op == "relabel" and h.pods():
            pods = h.pods()
            pod = h.api.get("Pod", "default", pods[arg % len(pods)]["metadata"]["name"])
            pod["metadata"]["labels"] = {"app": n}
            h.api.update(pod)
        elif op == "wait":
            h.advance(n * 0.3)
    assert h.settle()
    for rs in h.api.store.list("ReplicaSet", "default"):
        owned = h.owned(rs)
        assert len(owned) == rs["spec"]["replicas"], rs["metadata"]["name"]
        assert all(podutil.labels_of(p) == {"app": rs["metadata"]["name"]} for p in owned)
        assert rs["status"]["replicas"] == rs["spec"]["replicas"]


# the whole cluster --------------------------------------------------------------------------------
def test_in_a_real_cluster_pods_run_on_the_workers(real_cluster):
    """On a kubeadm cluster a ReplicaSet's pods are scheduled, run and are counted ready."""
    real_cluster.api.create(replicaset("frontend", 3))
    real_cluster.settle()
    pods = real_cluster.pods(selector={"tier": "frontend"})
    assert len(pods) == 3 and all(p.status["phase"] == "Running" for p in pods)
    assert {p.spec["nodeName"] for p in pods} <= {"node01", "node02"}
    rs = real_cluster.get("ReplicaSet", "frontend")
    assert rs.status["readyReplicas"] == 3 and rs.status["availableReplicas"] == 3
