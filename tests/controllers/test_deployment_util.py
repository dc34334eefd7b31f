"""The rollout arithmetic and kubectl's rollout texts, as pure functions (deployment_util.py)."""

import re

import pytest

from k8scourse.controllers import deployment_util as du


def _deploy(replicas=3, surge="25%", unavailable="25%", strategy="RollingUpdate", **spec):
    s = {"type": strategy}
    if strategy == "RollingUpdate":
        s["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {"metadata": {"name": "nginx", "generation": 1},
            "spec": {"replicas": replicas, "strategy": s, **spec}, "status": {}}


@pytest.mark.parametrize("replicas,surge,unavailable,want_surge,want_unavailable,max_pods,min_avail", [
    (1, "25%", "25%", 1, 0, 2, 1),
    (3, "25%", "25%", 1, 0, 4, 3),
    (4, "25%", "25%", 1, 1, 5, 3),
    (10, "25%", "25%", 3, 2, 13, 8),
    (10, "30%", 0, 3, 0, 13, 10),
    (5, 0, "10%", 0, 1, 5, 4),
])
def test_fenceposts_match_the_reference_table(replicas, surge, unavailable, want_surge,
                                              want_unavailable, max_pods, min_avail):
    """ResolveFenceposts rounds maxSurge up and maxUnavailable down; both 0 makes unavailable 1."""
    assert du.resolve_fenceposts(surge, unavailable, replicas) == (want_surge, want_unavailable)
    d = _deploy(replicas, surge, unavailable)
    assert replicas + du.max_surge(d) == max_pods
    assert du.min_available(d) == min_avail


def test_recreate_has_no_surge_and_no_unavailability_budget():
    """A Recreate Deployment never runs extra pods (max-replicas equals replicas)."""
    d = _deploy(3, strategy="Recreate")
    assert (du.max_surge(d), du.max_unavailable(d)) == (0, 0)


def test_safe_encode_maps_digits_into_the_unpronounceable_alphabet():
    """SafeEncodeString maps 0-9 to 4,5,6,7,8,9,b,c,d,f."""
    assert du.safe_encode_string("0123456789") == "456789bcdf"


def test_fnv32a_of_known_inputs():
    """fnv32a is FNV-1a 32-bit (offset basis 2166136261 for empty input)."""
    assert du.fnv32a(b"") == 2166136261
    assert du.fnv32a(b"a") == 0xE40C292C
    assert du.fnv32a(b"foobar") == 0xBF9CF968


def test_pod_template_hash_properties():
    """The hash only uses [4-9bcdf], ignores map order, changes with content and collisionCount."""
    t1 = {"metadata": {"labels": {"app": "nginx", "tier": "web"}},
          "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26"}]}}
    t2 = {"spec": {"containers": [{"image": "nginx:1.26", "name": "nginx"}]},
          "metadata": {"labels": {"tier": "web", "app": "nginx"}}}
    h = du.compute_hash(t1)
    assert re.fullmatch(r"[4-9bcdf]{1,10}", h)
    assert du.compute_hash(t2) == h
    t3 = {**t1, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}
    assert du.compute_hash(t3) != h
    assert du.compute_hash(t1, 1) != h
    assert du.compute_hash(t1, 1) == du.compute_hash(t2, 1)


def test_equal_ignore_hash_ignores_only_the_hash_label_and_empty_maps():
    """Templates are equal apart from pod-template-hash; nil and empty maps are alike."""
    a = {"metadata": {"labels": {"app": "x", "pod-template-hash": "5d8f7c"}},
         "spec": {"containers": [{"name": "x", "image": "x"}]}}
    b = {"metadata": {"labels": {"app": "x"}, "annotations": {}},
         "spec": {"containers": [{"name": "x", "image": "x"}]}}
    assert du.equal_ignore_hash(a, b)
    c = {"metadata": {"labels": {"app": "y"}}, "spec": b["spec"]}
    assert not du.equal_ignore_hash(a, c)


def test_selector_matching_with_expressions():
    """matchLabels and the four matchExpressions operators select as Kubernetes does."""
    sel = {"matchLabels": {"app": "web"},
           "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]},
                                {"key": "env", "operator": "NotIn", "values": ["prod"]},
                                {"key": "team", "operator": "Exists"},
                                {"key": "legacy", "operator": "DoesNotExist"}]}
    assert du.selector_matches(sel, {"app": "web", "tier": "a", "team": "x"})
    assert not du.selector_matches(sel, {"app": "web", "tier": "c", "team": "x"})
    assert not du.selector_matches(sel, {"app": "web", "tier": "a", "team": "x", "env": "prod"})
    assert not du.selector_matches(sel, {"app": "web", "tier": "a"})
    assert not du.selector_matches(sel, {"app": "web", "tier": "a", "team": "x", "legacy": "1"})
    assert du.selector_matches({}, {"anything": "1"})
    assert not du.selector_matches(None, {"anything": "1"})


def _rs(name, spec_replicas, available=0, created="2025-01-01T00:00:00Z", **ann):
    return {"metadata": {"name": name, "uid": name, "creationTimestamp": created,
                         "annotations": dict(ann)},
            "spec": {"replicas": spec_replicas},
            "status": {"replicas": spec_replicas, "availableReplicas": available}}


def test_new_rs_new_replicas_respects_max_surge():
    """The new ReplicaSet grows by min(maxTotal - current, replicas - new)."""
    d = _deploy(3)
    old, new = _rs("old", 3, 3), _rs("new", 0)
    assert du.new_rs_new_replicas(d, [old, new], new) == 1
    assert du.new_rs_new_replicas(d, [_rs("old", 3, 3), _rs("new", 1)], _rs("new", 1)) == 1
    assert du.new_rs_new_replicas(d, [_rs("old", 2, 2), _rs("new", 1)], _rs("new", 1)) == 2
    assert du.new_rs_new_replicas(_deploy(3, strategy="Recreate"), [new], new) == 3


def test_proportional_scaling_of_the_documented_example():
    """10 replicas (maxSurge 3) scaled to 15 mid-rollout: old 8 gets +3, new 5 gets +2."""
    d = _deploy(15, surge=3, unavailable=2)
    d["status"] = {"replicas": 13}
    old = _rs("old", 8, 8, **{du.MAX_REPLICAS: "13"})
    new = _rs("new", 5, 0, **{du.MAX_REPLICAS: "13"})
    to_add = 15 + 3 - 13
    p_old = du.proportion(old, d, to_add, 0)
    p_new = du.proportion(new, d, to_add, p_old)
    assert (p_old, p_new) == (3, 2)


def test_set_new_rs_annotations_on_rollback_keeps_the_old_revision_in_history():
    """A reused ReplicaSet gets the next revision; its former number goes to revision-history."""
    d = {"metadata": {"annotations": {du.CHANGE_CAUSE: "undo", du.REVISION: "2"}},
         "spec": {"replicas": 3}}
    ann = {du.REVISION: "1"}
    assert du.set_new_rs_annotations(d, ann, "3", True)
    assert ann == {du.REVISION: "3", du.REVISION_HISTORY: "1", du.CHANGE_CAUSE: "undo"}
    ann2 = {du.REVISION: "3", du.REVISION_HISTORY: "1"}
    du.set_new_rs_annotations(d, ann2, "5", True)
    assert ann2[du.REVISION_HISTORY] == "1,3"


def test_new_rs_annotations_for_a_created_replica_set():
    """A new ReplicaSet gets revision, desired-replicas and max-replicas (replicas + surge)."""
    ann = {}
    du.set_new_rs_annotations(_deploy(3), ann, "1", False)
    assert ann == {du.REVISION: "1", du.DESIRED_REPLICAS: "3", du.MAX_REPLICAS: "4"}


def test_condition_set_keeps_transition_time_when_status_is_unchanged():
    """SetDeploymentCondition keeps lastTransitionTime if only the reason changes."""
    st = {}
    du.set_condition(st, du.new_condition("Progressing", "True", "NewReplicaSetCreated", "a", "T1"))
    du.set_condition(st, du.new_condition("Progressing", "True", "ReplicaSetUpdated", "b", "T2"))
    (c,) = st["conditions"]
    assert (c["reason"], c["lastUpdateTime"], c["lastTransitionTime"]) == \
        ("ReplicaSetUpdated", "T2", "T1")


def test_calculate_status_sums_replica_sets_and_sets_availability():
    """Status adds up the ReplicaSets; Available follows minAvailable with Kubernetes' texts."""
    d = _deploy(3)
    new, old = _rs("new", 1, 0), _rs("old", 3, 3)
    st = du.calculate_status([old, new], new, d, "T")
    assert {k: v for k, v in st.items() if k != "conditions"} == {
        "observedGeneration": 1, "replicas": 4, "updatedReplicas": 1, "availableReplicas": 3,
        "unavailableReplicas": 1}
    assert st["conditions"] == [{"type": "Available", "status": "True", "lastUpdateTime": "T",
                                 "lastTransitionTime": "T", "reason": "MinimumReplicasAvailable",
                                 "message": "Deployment has minimum availability."}]
    st = du.calculate_status([_rs("new", 3, 1)], None, d, "T")
    assert st["conditions"][0]["reason"] == "MinimumReplicasUnavailable"
    assert st["conditions"][0]["message"] == "Deployment does not have minimum availability."


def _status_deploy(generation=2, observed=2, replicas=3, updated=0, total=0, available=0,
                   progressing=None):
    st = {"observedGeneration": observed}
    for k, v in (("updatedReplicas", updated), ("replicas", total),
                 ("availableReplicas", available)):
        if v:
            st[k] = v
    if progressing:
        st["conditions"] = [{"type": "Progressing", "status": "False", "reason": progressing}]
    return {"metadata": {"name": "nginx", "generation": generation},
            "spec": {"replicas": replicas}, "status": st}


def test_rollout_status_lines_for_each_stage():
    """rollout status picks its line as rollout_status.go does (reference 3.4)."""
    line = du.rollout_status_line
    assert line(_status_deploy(generation=3, observed=2), []) == (
        "Waiting for deployment spec update to be observed...", False, None)
    assert line(_status_deploy(updated=1, total=4, available=3), []) == (
        'Waiting for deployment "nginx" rollout to finish: 1 out of 3 new replicas have been '
        'updated...', False, None)
    assert line(_status_deploy(updated=2, total=4, available=3), [])[0] == (
        'Waiting for deployment "nginx" rollout to finish: 2 out of 3 new replicas have been '
        'updated...')
    assert line(_status_deploy(updated=3, total=4, available=3), []) == (
        'Waiting for deployment "nginx" rollout to finish: 1 old replicas are pending '
        'termination...', False, None)
    assert line(_status_deploy(updated=3, total=3, available=2), []) == (
        'Waiting for deployment "nginx" rollout to finish: 2 of 3 updated replicas are '
        'available...', False, None)
    assert line(_status_deploy(updated=3, total=3, available=3), []) == (
        'deployment "nginx" successfully rolled out', True, None)
    assert line(_status_deploy(updated=1, progressing="ProgressDeadlineExceeded"), []) == (
        "", False, 'deployment "nginx" exceeded its progress deadline')


def test_describe_pod_template_layout():
    """DescribePodTemplate: labels one per line, ports, env, mounts, volumes, tolerations."""
    template = {
        "metadata": {"labels": {"app": "nginx", "pod-template-hash": "7854ff8877"},
                     "annotations": {"kubernetes.io/change-cause": "kubectl set image"}},
        "spec": {"containers": [{
            "name": "nginx", "image": "nginx:1.27",
            "ports": [{"containerPort": 80, "protocol": "TCP"}],
            "env": [{"name": "MODE", "value": "prod"}],
            "resources": {"limits": {"memory": "128Mi", "cpu": "500m"}},
            "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
            "volumes": [{"name": "data", "emptyDir": {}}],
            "tolerations": [{"key": "node-role.kubernetes.io/control-plane",
                             "operator": "Exists", "effect": "NoSchedule"}]}}
    assert du.describe_pod_template(template) == (
        "Pod Template:\n"
        "  Labels:\tapp=nginx\n"
        "\tpod-template-hash=7854ff8877\n"
        "  Annotations:\tkubernetes.io/change-cause: kubectl set image\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.27\n"
        "    Port:\t80/TCP\n"
        "    Host Port:\t0/TCP\n"
        "    Limits:\n"
        "      cpu:\t500m\n"
        "      memory:\t128Mi\n"
        "    Environment:\n"
        "      MODE:\tprod\n"
        "    Mounts:\n"
        "      /data from data (rw)\n"
        "  Volumes:\n"
        "   data:\n"
        "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
        "    Medium:\t\n"
        "    SizeLimit:\t<unset>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\tnode-role.kubernetes.io/control-plane:NoSchedule op=Exists\n")
