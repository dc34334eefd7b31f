"""The scheduling queue: back-off, the 5-minute flush, gates, and the FitError layout."""

from __future__ import annotations

from k8scourse.scheduler.queue import backoff_duration
from k8scourse.scheduler.types import NOTE_LENGTH_LIMIT, Status, fit_error, truncate_message
from tests.scheduler.helpers import add_node, add_pod, condition, events, node_of, run


def test_backoff_doubles_from_one_second_to_ten():
    """podInitialBackoffDuration 1 s, doubled per attempt, podMaxBackoffDuration 10 s."""
    assert [backoff_duration(a) for a in range(7)] == [0, 1, 2, 4, 8, 10, 10]


def test_fit_error_layout():
    """`0/N nodes are available: <histogram>.` then the PostFilter message after a space."""
    statuses = {"a": Status("Unschedulable", ["Insufficient cpu", "Insufficient memory"]),
                "b": Status("Unschedulable", ["Insufficient cpu"])}
    assert fit_error(2, statuses) == \
        "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu."
    assert fit_error(3, statuses, Status("UnschedulableAndUnresolvable", ["x"]), postfilter_msg="p.") == \
        "0/3 nodes are available: 1 Insufficient memory, 1 x, 2 Insufficient cpu. p."


def test_long_messages_are_truncated():
    """Event notes stop at 1024 characters, ending in ` ...`."""
    text = "x" * 2000
    cut = truncate_message(text)
    assert len(cut) == NOTE_LENGTH_LIMIT and cut.endswith(" ...")
    assert truncate_message("short") == "short"


def test_no_nodes_retries_forever_as_housekeeping(cluster):
    """With no nodes the pod is retried after each back-off, but that never keeps settle() busy;
    a node joining gets it bound."""
    add_pod(cluster, "p")
    run(cluster, 30)
    [ev] = events(cluster, "p")
    assert ev["message"] == "no nodes available to schedule pods" and ev["count"] >= 4
    assert not cluster.clock.has_work()
    add_node(cluster, "node01")
    run(cluster, 11)
    assert node_of(cluster, "p") == "node01"


def test_settles_with_unschedulable_pods(cluster):
    """An unschedulable pod waits without keeping the clock busy (the flush is periodic)."""
    add_node(cluster, "node01", cpu="1")
    add_pod(cluster, "p", cpu="2")
    run(cluster, 0)
    assert not cluster.clock.has_work()


def test_scheduling_gates_hold_the_pod_until_removed(cluster):
    """A pod with schedulingGates is not tried (no events) until its gates are removed."""
    add_node(cluster, "node01")
    add_pod(cluster, "gated", schedulingGates=[{"name": "example.com/wait"}])
    run(cluster, 5)
    assert node_of(cluster, "gated") is None
    assert [e for e in events(cluster, "gated") if e["reason"] == "FailedScheduling"] == []
    stored = cluster.api.store.get("Pod", "default", "gated")  # the gate's controller removes it
    cluster.api.write(dict(stored, spec=dict(stored["spec"], schedulingGates=[]),
                           metadata=dict(stored["metadata"])), actor="gate-controller")
    run(cluster, 1)
    assert node_of(cluster, "gated") == "node01"


def test_condition_keeps_transition_time_while_still_unschedulable(cluster):
    """PodScheduled=False keeps its lastTransitionTime across retries."""
    add_node(cluster, "node01", cpu="1")
    add_pod(cluster, "p", cpu="2")
    run(cluster, 0)
    first = condition(cluster, "p")["lastTransitionTime"]
    run(cluster, 400)
    assert events(cluster, "p")[0]["count"] >= 2
    assert condition(cluster, "p")["lastTransitionTime"] == first
