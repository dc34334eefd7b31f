"""kube-scheduler as a learner meets it: binding, FailedScheduling, retries."""

from __future__ import annotations

from tests.scheduler.helpers import (CONTROL_PLANE_TAINT, add_node, add_pod, condition, events, kubeadm,
                      make_cluster, node_of, pod, run)

KUBEADM_TOO_BIG = (
    "0/3 nodes are available: 1 node(s) had untolerated taint "
    "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are "
    "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for "
    "incoming pod.")


def test_pod_is_bound_with_scheduled_event_and_condition(cluster):
    """A fitting pod gets spec.nodeName, PodScheduled=True and `Successfully assigned`."""
    kubeadm(cluster)
    add_pod(cluster, "web")
    run(cluster)
    node = node_of(cluster, "web")
    assert node in ("node01", "node02")
    cond = condition(cluster, "web")
    assert cond == {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                    "lastTransitionTime": "2025-01-01T00:00:00Z"}
    [ev] = events(cluster, "web")
    assert (ev["type"], ev["reason"], ev["source"]["component"]) == \
        ("Normal", "Scheduled", "default-scheduler")
    assert ev["message"] == f"Successfully assigned default/web to {node}"


def test_kubeadm_control_plane_taint_and_insufficient_cpu_message(cluster):
    """The exact FitError text for a pod too big for the workers on a kubeadm cluster."""
    kubeadm(cluster)
    add_pod(cluster, "big", cpu="3")
    run(cluster)
    assert node_of(cluster, "big") is None
    [ev] = events(cluster, "big")
    assert (ev["type"], ev["reason"]) == ("Warning", "FailedScheduling")
    assert ev["message"] == KUBEADM_TOO_BIG
    cond = condition(cluster, "big")
    assert (cond["status"], cond["reason"], cond["message"]) == \
        ("False", "Unschedulable", KUBEADM_TOO_BIG)
    assert pod(cluster, "big")["status"]["phase"] == "Pending"


def test_no_nodes_message(cluster):
    """With no nodes at all the event says `no nodes available to schedule pods`."""
    add_pod(cluster, "lonely")
    run(cluster)
    [ev] = events(cluster, "lonely")
    assert ev["message"] == "no nodes available to schedule pods"


def test_pod_with_node_name_is_never_touched(cluster):
    """spec.nodeName set by hand bypasses the scheduler: no Scheduled event, no condition."""
    kubeadm(cluster)
    add_pod(cluster, "pinned", nodeName="controlplane")
    run(cluster)
    assert node_of(cluster, "pinned") == "controlplane"
    assert events(cluster, "pinned") == []
    assert condition(cluster, "pinned") is None


def test_other_scheduler_name_is_left_alone(cluster):
    """A pod for another scheduler stays unbound and gets no events from this one."""
    kubeadm(cluster)
    add_pod(cluster, "custom", schedulerName="my-scheduler")
    run(cluster, 5)
    assert node_of(cluster, "custom") is None
    assert events(cluster, "custom") == []


def test_six_replicas_spread_over_two_workers(cluster):
    """Replicas of one ReplicaSet spread 3/3 over the workers (system default topology spread)."""
    kubeadm(cluster)
    rs = cluster.api.create({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web-5d4f8", "labels": {"app": "web"}},
        "spec": {"replicas": 6, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "app", "image": "nginx"}]}}}})
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs["metadata"]["name"],
             "uid": rs["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}
    for i in range(6):
        m = {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": f"web-5d4f8-{i}", "labels": {"app": "web"},
                          "ownerReferences": [owner]},
             "spec": {"containers": [{"name": "app", "image": "nginx"}]}}
        cluster.api.create(m, actor="replicaset-controller")
    run(cluster)
    placed = [node_of(cluster, f"web-5d4f8-{i}") for i in range(6)]
    assert sorted(placed) == ["node01"] * 3 + ["node02"] * 3


def test_retry_after_node_is_uncordoned(cluster):
    """A pod pending because every worker is cordoned is bound once one is uncordoned."""
    add_node(cluster, "controlplane", taints=[CONTROL_PLANE_TAINT])
    add_node(cluster, "node01", unschedulable=True,
             taints=[{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}])
    add_pod(cluster, "waiting")
    run(cluster, 2)
    [ev] = events(cluster, "waiting")
    assert ev["message"] == (
        "0/2 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: "
        "0/2 nodes are available: 2 Preemption is not helpful for scheduling.")
    node = cluster.api.get("Node", "", "node01")
    node["spec"] = {}
    cluster.api.update(node)
    run(cluster, 1)
    assert node_of(cluster, "waiting") == "node01"
    assert condition(cluster, "waiting")["status"] == "True"


def test_retry_after_a_pod_is_deleted_frees_cpu(cluster):
    """A pod waiting for cpu is bound when a bound pod is deleted, after its back-off."""
    add_node(cluster, "node01", cpu="1")
    add_pod(cluster, "first", cpu="800m")
    run(cluster)
    add_pod(cluster, "second", cpu="500m")
    run(cluster, 0)
    assert node_of(cluster, "second") is None
    cluster.api.delete("Pod", "default", "first", grace_period=0)
    run(cluster, 0.5)  # still inside the 1 s back-off of its first attempt
    assert node_of(cluster, "second") is None
    run(cluster, 1)
    assert node_of(cluster, "second") == "node01"


def test_unrelated_node_heartbeat_does_not_retry(cluster):
    """A status update that changes nothing the scheduler reads does not bring a retry."""
    kubeadm(cluster)
    add_pod(cluster, "big", cpu="3")
    run(cluster, 2)
    node = cluster.api.get("Node", "", "node01")
    status = dict(node["status"], conditions=[{"type": "Ready", "status": "True",
                                               "lastHeartbeatTime": "later"}])
    cluster.api.update_status("Node", "", "node01", status, actor="kubelet")
    run(cluster, 15)
    assert events(cluster, "big")[0]["count"] == 1


def test_repeated_failures_aggregate_into_one_event(cluster):
    """Each retry of an unschedulable pod bumps the count of the same FailedScheduling event."""
    kubeadm(cluster)
    add_pod(cluster, "big", cpu="3")
    run(cluster, 2)
    for i in range(3):  # a bound pod goes away: resources might be free now, so retry
        add_pod(cluster, f"short-{i}")
        run(cluster, 0)
        cluster.api.delete("Pod", "default", f"short-{i}", grace_period=0)
        run(cluster, 11)
    [ev] = events(cluster, "big")
    assert ev["count"] == 4
    assert ev["message"] == KUBEADM_TOO_BIG


def test_unschedulable_pods_are_retried_after_five_minutes(cluster):
    """The leftover flush retries a pod that waited more than 5 minutes (count goes up)."""
    kubeadm(cluster)
    add_pod(cluster, "big", cpu="3")
    run(cluster, 299)
    assert events(cluster, "big")[0]["count"] == 1
    run(cluster, 35)
    assert events(cluster, "big")[0]["count"] == 2


def test_same_seed_same_placement():
    """Two clusters with the same seed place the same pods on the same nodes."""
    def placements(seed):
        c = make_cluster(seed)
        for i in range(1, 6):
            add_node(c, f"node{i:02d}")
        for i in range(12):
            add_pod(c, f"p{i}")
        run(c)
        return [node_of(c, f"p{i}") for i in range(12)]
    assert placements(7) == placements(7)
    assert len({tuple(placements(s)) for s in range(6)}) > 1


def test_pods_are_tried_in_priority_then_fifo_order(cluster):
    """Higher priority first, then the order the pods arrived in."""
    add_node(cluster, "node01", cpu="1")
    add_pod(cluster, "low-a", cpu="600m")
    add_pod(cluster, "low-b", cpu="600m")
    m = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "high"},
         "spec": {"priority": 1000, "containers": [{"name": "app", "image": "nginx",
                                                    "resources": {"requests": {"cpu": "600m"}}}]}}
    cluster.scheduler.store.put({**m, "metadata": {**m["metadata"], "namespace": "default",
                                                   "uid": "u-high"}, "status": {"phase": "Pending"}})
    run(cluster)
    assert node_of(cluster, "high") == "node01"
    assert node_of(cluster, "low-a") is None and node_of(cluster, "low-b") is None


def test_trace_explains_the_choice(cluster):
    """The trace has one sentence per decision, naming the nodes and the reason others failed."""
    kubeadm(cluster)
    add_pod(cluster, "web")
    run(cluster)
    [d] = [d for d in cluster.trace.decisions if d.component == "default-scheduler"]
    assert d.message.startswith("Pod web fits on node01 and node02 (not controlplane: node(s) had "
                                "untolerated taint {node-role.kubernetes.io/control-plane: }); chose ")
