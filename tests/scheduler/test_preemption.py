"""DefaultPreemption: who gets evicted for a higher-priority pod, and what the message says."""

from __future__ import annotations

from tests.scheduler.helpers import add_node, add_pod, condition, events, node_of, pod, reap, run


def put_pod(c, name, priority, cpu, node=None):
    """A pod with a priority (as a PriorityClass would give it), pending or already bound."""
    spec = {"priority": priority, "schedulerName": "default-scheduler", "containers": [
        {"name": "a", "image": "nginx", "resources": {"requests": {"cpu": cpu}}}]}
    status = {"phase": "Pending"}
    if node:
        spec["nodeName"] = node
        status = {"phase": "Running", "startTime": c.clock.timestamp()}
    c.api.store.put({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}",
                                  "creationTimestamp": c.clock.timestamp()},
                     "spec": spec, "status": status})


def test_higher_priority_pod_preempts_lower_priority_ones(cluster):
    """Preemption: victims are deleted (Preempted event), the pod is nominated, then bound."""
    add_node(cluster, "node01", cpu="1")
    for name, prio in (("low", 0), ("high", 1000)):
        put_pod(cluster, name, prio, "800m")
        run(cluster, 1)
    assert node_of(cluster, "low") == "node01"
    high = pod(cluster, "high")
    assert high["status"]["nominatedNodeName"] == "node01"
    [failed] = [e for e in events(cluster, "high") if e["reason"] == "FailedScheduling"]
    assert failed["message"] == "0/1 nodes are available: 1 Insufficient cpu."
    low = pod(cluster, "low")
    assert low["metadata"].get("deletionTimestamp")
    assert condition(cluster, "low", "DisruptionTarget")["reason"] == "PreemptionByScheduler"
    [pre] = [e for e in events(cluster, "low") if e["reason"] == "Preempted"]
    assert pre["message"] == "Preempted by pod uid-high on node node01"
    reap(cluster)
    run(cluster, 2)
    assert node_of(cluster, "high") == "node01"


def test_preemption_policy_never(cluster):
    """preemptionPolicy: Never ends the message with `preemption: not eligible ...`."""
    add_node(cluster, "node01", cpu="1")
    add_pod(cluster, "p", cpu="2", preemptionPolicy="Never")
    run(cluster)
    [ev] = events(cluster, "p")
    assert ev["message"] == ("0/1 nodes are available: 1 Insufficient cpu. preemption: not "
                             "eligible due to preemptionPolicy=Never.")


def test_preemption_picks_the_node_with_the_least_important_victims(cluster):
    """pickOneNodeForPreemption: the node whose most important victim has the lowest priority."""
    add_node(cluster, "a", cpu="1")
    add_node(cluster, "b", cpu="1")
    put_pod(cluster, "mid", 50, "800m", node="a")
    put_pod(cluster, "low", 10, "800m", node="b")
    put_pod(cluster, "vip", 100, "800m")
    run(cluster, 0)
    assert pod(cluster, "vip")["status"]["nominatedNodeName"] == "b"
    assert pod(cluster, "low")["metadata"].get("deletionTimestamp")
    assert not pod(cluster, "mid")["metadata"].get("deletionTimestamp")


def test_only_as_many_victims_as_needed(cluster):
    """Victims are reprieved, most important first, while the preemptor still fits."""
    add_node(cluster, "a", cpu="1")
    put_pod(cluster, "keep", 20, "300m", node="a")
    put_pod(cluster, "evict", 10, "300m", node="a")
    put_pod(cluster, "vip", 100, "600m")
    run(cluster, 0)
    assert pod(cluster, "evict")["metadata"].get("deletionTimestamp")
    assert not pod(cluster, "keep")["metadata"].get("deletionTimestamp")


def test_preemption_that_would_not_help_names_the_filter_reason(cluster):
    """Removing every lower-priority pod is still not enough: the filter's reason is reported."""
    add_node(cluster, "a", cpu="1")
    put_pod(cluster, "low", 0, "200m", node="a")
    put_pod(cluster, "vip", 100, "2")
    run(cluster, 0)
    [ev] = [e for e in events(cluster, "vip") if e["reason"] == "FailedScheduling"]
    assert ev["message"] == ("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes "
                             "are available: 1 Insufficient cpu.")
    assert not pod(cluster, "low")["metadata"].get("deletionTimestamp")
