"""The controllers' shared helpers: selectors, node fitting, readiness, ranks, hashes."""

from __future__ import annotations

import re

import pytest

from k8scourse.controllers import podutil

EPOCH = 1735689600.0  # 2025-01-01T00:00:00Z


def ts(seconds: float) -> str:
    from datetime import datetime, timezone
    return datetime.fromtimestamp(EPOCH + seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# selectors ---------------------------------------------------------------------------------------
def test_match_labels_selector_needs_every_pair():
    """matchLabels selects pods that carry every listed label, whatever else they carry."""
    sel = {"matchLabels": {"app": "web", "tier": "frontend"}}
    assert podutil.selector_matches(sel, {"app": "web", "tier": "frontend", "x": "y"})
    assert not podutil.selector_matches(sel, {"app": "web"})


def test_match_expressions_operators():
    """In, NotIn (also true when the label is absent), Exists and DoesNotExist."""
    sel = {"matchExpressions": [
        {"key": "env", "operator": "In", "values": ["prod", "qa"]},
        {"key": "tier", "operator": "NotIn", "values": ["db"]},
        {"key": "app", "operator": "Exists"},
        {"key": "canary", "operator": "DoesNotExist"}]}
    assert podutil.selector_matches(sel, {"env": "qa", "app": "x"})
    assert podutil.selector_matches(sel, {"env": "prod", "app": "x", "tier": "web"})
    assert not podutil.selector_matches(sel, {"env": "dev", "app": "x"})
    assert not podutil.selector_matches(sel, {"env": "qa", "app": "x", "tier": "db"})
    assert not podutil.selector_matches(sel, {"env": "qa"})
    assert not podutil.selector_matches(sel, {"env": "qa", "app": "x", "canary": "1"})


def test_nil_selector_matches_nothing_and_empty_matches_everything():
    """metav1.LabelSelectorAsSelector: nil selects nothing, {} selects everything."""
    assert not podutil.selector_matches(None, {"a": "b"})
    assert podutil.selector_matches({}, {"a": "b"})


def test_plain_map_selector():
    """A v1 ReplicationController's or Service's selector is a plain map of required labels."""
    assert podutil.set_selector_matches({"app": "web"}, {"app": "web", "v": "1"})
    assert not podutil.set_selector_matches({"app": "web"}, {"app": "db"})


def test_selector_string_as_labels_selector_prints_it():
    """Requirements sorted by key; `in (...)` with sorted values, `!key`, bare `key`."""
    sel = {"matchLabels": {"tier": "frontend"},
           "matchExpressions": [{"key": "env", "operator": "In", "values": ["qa", "prod"]},
                                {"key": "canary", "operator": "DoesNotExist"},
                                {"key": "app", "operator": "Exists"},
                                {"key": "zone", "operator": "NotIn", "values": ["b", "a"]}]}
    assert podutil.selector_string(sel) == "app,!canary,env in (prod,qa),tier=frontend,zone notin (a,b)"
    assert podutil.selector_string({"b": "2", "a": "1"}, plain=True) == "a=1,b=2"


# nodes --------------------------------------------------------------------------------------------
def node(name, labels=None, taints=None):
    return {"kind": "Node", "metadata": {"name": name, "labels": labels or {}},
            "spec": {"taints": taints} if taints else {}}


def test_node_affinity_match_fields_selects_by_name():
    """A matchFields metadata.name term (what DaemonSet pods get) fits only that node."""
    spec = {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                                "values": ["node02"]}]}]}}}}
    assert podutil.required_node_affinity_matches(spec, node("node02"))
    assert not podutil.required_node_affinity_matches(spec, node("node01"))


def test_node_selector_and_affinity_expressions():
    """nodeSelector labels and matchExpressions (Gt compares integers) must both fit."""
    spec = {"nodeSelector": {"disk": "ssd"},
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "cores", "operator": "Gt", "values": ["4"]}]}]}}}}
    assert podutil.required_node_affinity_matches(spec, node("a", {"disk": "ssd", "cores": "8"}))
    assert not podutil.required_node_affinity_matches(spec, node("a", {"disk": "ssd", "cores": "4"}))
    assert not podutil.required_node_affinity_matches(spec, node("a", {"disk": "hdd", "cores": "8"}))


def test_untolerated_taint_and_tolerations():
    """Exists with no key tolerates everything; Equal needs the value; effects must agree."""
    cp = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
    gpu = {"key": "gpu", "value": "yes", "effect": "NoSchedule"}
    assert podutil.find_untolerated_taint([cp], []) == cp
    assert podutil.find_untolerated_taint([cp], [{"operator": "Exists"}]) is None
    assert podutil.find_untolerated_taint([gpu], [{"key": "gpu", "value": "no"}]) == gpu
    assert podutil.find_untolerated_taint([gpu], [{"key": "gpu", "value": "yes"}]) is None
    assert podutil.find_untolerated_taint([gpu], [{"key": "gpu", "operator": "Exists",
                                                   "effect": "NoExecute"}]) == gpu
    assert podutil.find_untolerated_taint([{"key": "x", "effect": "PreferNoSchedule"}], []) is None
    assert podutil.taint_text(cp) == "node-role.kubernetes.io/control-plane:NoSchedule"
    assert podutil.taint_text(gpu) == "gpu=yes:NoSchedule"


# pods ---------------------------------------------------------------------------------------------
def pod(name, *, node="n1", phase="Running", ready=True, ready_at=0.0, created=0.0, uid=None,
        restarts=0, cost=None):
    meta = {"name": name, "uid": uid or name, "creationTimestamp": ts(created)}
    if cost is not None:
        meta["annotations"] = {podutil.POD_DELETION_COST: str(cost)}
    conditions = [{"type": "Ready", "status": "True" if ready else "False",
                   "lastTransitionTime": ts(ready_at)}]
    return {"metadata": meta, "spec": {"nodeName": node} if node else {},
            "status": {"phase": phase, "conditions": conditions,
                       "containerStatuses": [{"restartCount": restarts}]}}


def test_availability_needs_min_ready_seconds_strictly_passed():
    """IsPodAvailable: ready and ready since strictly more than minReadySeconds."""
    p = pod("a", ready_at=10)
    assert podutil.is_pod_available(p, 0, EPOCH + 10)
    assert not podutil.is_pod_available(p, 5, EPOCH + 15)
    assert podutil.is_pod_available(p, 5, EPOCH + 15.5)
    assert not podutil.is_pod_available(pod("b", ready=False), 0, EPOCH + 100)


def test_deletion_rank_rules_in_order():
    """ActivePodsWithRanks: unassigned, Pending < Unknown < Running, not ready, lower cost,
    doubled up, shorter ready, more restarts, newer."""
    now = EPOCH + 10000
    base = dict(created=0, ready_at=0)
    cases = [
        (pod("unassigned", node=None, phase="Pending", ready=False, **base), pod("x", **base), 0, 0),
        (pod("pending", phase="Pending", ready=False, **base), pod("x", **base), 0, 0),
        (pod("unknown", phase="Unknown", **base), pod("x", **base), 0, 0),
        (pod("notready", ready=False, **base), pod("x", **base), 0, 0),
        (pod("cheap", cost=-5, **base), pod("x", **base), 0, 0),
        (pod("doubled", **base), pod("x", **base), 2, 1),
        (pod("fresh", created=0, ready_at=9990), pod("x", **base), 0, 0),
        (pod("restarted", restarts=3, **base), pod("x", **base), 0, 0),
        (pod("newer", created=9000, ready_at=0), pod("x", created=0, ready_at=0), 0, 0),
    ]
    for first, second, r1, r2 in cases:
        order = podutil.rank_pods_for_deletion([second, first], [r2, r1], now)
        assert order[0] is first, first["metadata"]["name"]


def test_times_that_share_a_log2_rank_fall_back_to_uid():
    """Creation times 100 s and 110 s ago share floor(log2(ns)); the smaller UID goes first."""
    now = EPOCH + 1000
    a = pod("a", created=900, uid="b-uid", ready_at=0)
    b = pod("b", created=890, uid="a-uid", ready_at=0)
    assert [p["metadata"]["name"] for p in podutil.rank_pods_for_deletion([a, b], None, now)] == \
        ["b", "a"]


def test_limit_returns_the_first_pods_to_delete():
    """With a limit, only that many pods come back, the first in rank order."""
    pods = [pod(f"p{i}", created=100000 - 2 ** (i + 3)) for i in range(10)]  # p0 is newest
    got = podutil.rank_pods_for_deletion(pods[::-1], None, EPOCH + 100000, limit=2)
    assert [p["metadata"]["name"] for p in got] == ["p0", "p1"]


# owner references ---------------------------------------------------------------------------------
def test_controller_ref_adoption_and_release():
    """NewControllerRef sets controller and blockOwnerDeletion; adoption adds, release removes."""
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs", "uid": "u1"}}
    ref = podutil.new_controller_ref(owner)
    assert ref == {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u1",
                   "controller": True, "blockOwnerDeletion": True}
    p = {"metadata": {"name": "p"}}
    adopted = podutil.with_owner_ref(p, ref)
    assert podutil.controller_ref(adopted) == ref and "ownerReferences" not in p["metadata"]
    assert "ownerReferences" not in podutil.without_owner_ref(adopted, "u1")["metadata"]


def test_pod_from_template_uses_generate_name_and_copies_labels():
    """GetPodFromTemplate: generateName `<owner>-`, template labels/annotations, the reference."""
    owner = {"metadata": {"name": "web", "namespace": "apps", "uid": "u"}}
    template = {"metadata": {"labels": {"app": "web"}, "annotations": {"a": "b"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    p = podutil.pod_from_template(template, owner, {"uid": "u"})
    assert p["metadata"]["generateName"] == "web-"
    assert p["metadata"]["namespace"] == "apps"
    assert p["metadata"]["labels"] == {"app": "web"} and p["metadata"]["annotations"] == {"a": "b"}
    assert p["spec"] == template["spec"] and p["spec"] is not template["spec"]


# hashes, intstr, slow start -----------------------------------------------------------------------
def test_compute_hash_properties():
    """ComputeHash: only the characters decimal digits map to, same template same hash (key
    order does not matter), a collision count changes it."""
    t1 = {"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"containers": [{"image": "x"}]}}
    t2 = {"spec": {"containers": [{"image": "x"}]}, "metadata": {"labels": {"b": "2", "a": "1"}}}
    h = podutil.compute_hash(t1)
    assert re.fullmatch(r"[4-9bcdf]{1,10}", h)
    assert podutil.compute_hash(t2) == h
    assert podutil.compute_hash(t1, 1) != h
    assert podutil.safe_encode_string("0123456789") == "456789bcdf"


def test_fnv32a_known_values():
    """FNV-1a 32-bit of "" and "a" (the published test vectors)."""
    assert podutil.fnv32a(b"") == 0x811C9DC5
    assert podutil.fnv32a(b"a") == 0xE40C292C


@pytest.mark.parametrize("value,total,up,want", [
    (1, 10, True, 1), ("25%", 3, True, 1), ("25%", 3, False, 0), ("50%", 5, True, 3),
    ("10%", 10, False, 1)])
def test_scaled_value(value, total, up, want):
    """intstr.GetScaledValueFromIntOrPercent rounds percentages up or down."""
    assert podutil.scaled_value(value, total, up) == want


def test_slow_start_batches_stop_after_a_failing_batch():
    """Batches 1, 2, 4, ...: when the 3rd call fails, its batch (calls 2-3) ends the run."""
    calls = []

    def fn():
        calls.append(1)
        return ValueError("boom") if len(calls) == 3 else None

    done, err = podutil.slow_start_batch(10, fn)
    assert len(calls) == 3 and done == 2 and str(err) == "boom"
    calls.clear()
    assert podutil.slow_start_batch(10, lambda: calls.append(1)) == (10, None)
