"""Each filter's reason, literally as kube-scheduler v1.32 words it, and what each score prefers."""

from __future__ import annotations

import pytest

from k8scourse.scheduler.cache import NodeInfo
from k8scourse.scheduler.plugins import (imagelocality, nodeaffinity, noderesources,
                                         tainttoleration)
from k8scourse.scheduler.podinfo import PodInfo, toleration_tolerates
from tests.scheduler.helpers import add_node, add_pod, events, node_of, run

NOT_HELPFUL_1 = " preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
NO_VICTIMS_1 = " preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."


def message(c, name):
    [ev] = [e for e in events(c, name) if e["reason"] == "FailedScheduling"]
    return ev["message"]


def test_cordoned_node_reason(cluster):
    """NodeUnschedulable: `node(s) were unschedulable`."""
    add_node(cluster, "node01", unschedulable=True)
    add_pod(cluster, "p")
    run(cluster)
    assert message(cluster, "p") == "0/1 nodes are available: 1 node(s) were unschedulable." + NOT_HELPFUL_1


def test_cordon_is_tolerated_with_the_unschedulable_toleration(cluster):
    """A pod tolerating node.kubernetes.io/unschedulable may land on a cordoned node."""
    add_node(cluster, "node01", unschedulable=True)
    add_pod(cluster, "p", tolerations=[{"key": "node.kubernetes.io/unschedulable",
                                        "operator": "Exists", "effect": "NoSchedule"}])
    run(cluster)
    assert node_of(cluster, "p") == "node01"


def test_taint_with_value_reason(cluster):
    """TaintToleration: `node(s) had untolerated taint {key: value}`."""
    add_node(cluster, "node01", taints=[{"key": "dedicated", "value": "db", "effect": "NoSchedule"}])
    add_pod(cluster, "p")
    run(cluster)
    assert message(cluster, "p") == \
        "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}." + NOT_HELPFUL_1


def test_not_ready_taint_reason(cluster):
    """A NotReady node's taint keeps pods off: `{node.kubernetes.io/not-ready: }`."""
    add_node(cluster, "node01", taints=[{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}])
    add_pod(cluster, "p")
    run(cluster)
    assert message(cluster, "p") == ("0/1 nodes are available: 1 node(s) had untolerated taint "
                                     "{node.kubernetes.io/not-ready: }." + NOT_HELPFUL_1)


def test_no_execute_taint_filters_and_prefer_no_schedule_does_not(cluster):
    """NoExecute keeps pods out; PreferNoSchedule only makes a node less attractive."""
    add_node(cluster, "evicting", taints=[{"key": "x", "value": "y", "effect": "NoExecute"}])
    add_node(cluster, "avoided", taints=[{"key": "spot", "effect": "PreferNoSchedule"}])
    add_node(cluster, "plain")
    for i in range(3):
        add_pod(cluster, f"p{i}")
    run(cluster)
    assert [node_of(cluster, f"p{i}") for i in range(3)] == ["plain"] * 3


def test_prefer_no_schedule_node_still_takes_pods_when_nothing_else_fits(cluster):
    """PreferNoSchedule never filters: the only node left still gets the pod."""
    add_node(cluster, "only", taints=[{"key": "spot", "effect": "PreferNoSchedule"}])
    add_pod(cluster, "p")
    run(cluster)
    assert node_of(cluster, "p") == "only"


@pytest.mark.parametrize("toleration,tolerated", [
    ({"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}, True),
    ({"key": "dedicated", "value": "db"}, True),                      # Equal is the default
    ({"key": "dedicated", "operator": "Equal", "value": "web"}, False),
    ({"key": "dedicated", "operator": "Exists"}, True),
    ({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}, False),
    ({"operator": "Exists"}, True),                                   # empty key tolerates all
    ({"key": "other", "operator": "Exists"}, False),
])
def test_toleration_operators(toleration, tolerated):
    """Equal needs the value, Exists any value; no effect means every effect."""
    taint = {"key": "dedicated", "value": "db", "effect": "NoSchedule"}
    assert toleration_tolerates(toleration, taint) is tolerated


def test_node_selector_reason(cluster):
    """NodeAffinity: `node(s) didn't match Pod's node affinity/selector`."""
    add_node(cluster, "node01", labels={"disk": "hdd"})
    add_pod(cluster, "p", nodeSelector={"disk": "ssd"})
    run(cluster)
    assert message(cluster, "p") == \
        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector." + NOT_HELPFUL_1


def _node(labels, name="node01"):
    ni = NodeInfo(name)
    ni.set_node({"metadata": {"name": name, "labels": labels}, "spec": {}, "status": {}})
    return ni


def _affinity_pod(*expressions):
    return PodInfo({"metadata": {"name": "p", "namespace": "default"}, "spec": {
        "containers": [{"name": "a", "image": "x"}],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": list(expressions)}]}}}}})


@pytest.mark.parametrize("expr,matches", [
    ({"key": "disk", "operator": "In", "values": ["ssd", "nvme"]}, True),
    ({"key": "disk", "operator": "In", "values": ["hdd"]}, False),
    ({"key": "disk", "operator": "NotIn", "values": ["hdd"]}, True),
    ({"key": "zone", "operator": "NotIn", "values": ["a"]}, True),     # absent label: NotIn holds
    ({"key": "disk", "operator": "Exists"}, True),
    ({"key": "zone", "operator": "Exists"}, False),
    ({"key": "zone", "operator": "DoesNotExist"}, True),
    ({"key": "cores", "operator": "Gt", "values": ["4"]}, True),
    ({"key": "cores", "operator": "Gt", "values": ["8"]}, False),
    ({"key": "cores", "operator": "Lt", "values": ["16"]}, True),
    ({"key": "disk", "operator": "Gt", "values": ["1"]}, False),       # not a number
])
def test_node_affinity_operators(expr, matches):
    """requiredDuringScheduling matchExpressions: In, NotIn, Exists, DoesNotExist, Gt, Lt."""
    node = _node({"disk": "ssd", "cores": "8"})
    assert (nodeaffinity.filter(_affinity_pod(expr), node) is None) is matches


def test_node_affinity_terms_are_ored_and_expressions_anded():
    """Any one term may match; inside a term every expression must."""
    pod = PodInfo({"metadata": {"name": "p", "namespace": "default"}, "spec": {
        "containers": [{"name": "a", "image": "x"}],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]},
                                      {"key": "cores", "operator": "Gt", "values": ["16"]}]},
                {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}]}}}}})
    assert nodeaffinity.filter(pod, _node({"disk": "ssd", "cores": "8"})) is not None
    assert nodeaffinity.filter(pod, _node({"disk": "ssd", "cores": "32"})) is None
    assert nodeaffinity.filter(pod, _node({"gpu": "1"})) is None


def test_host_port_reason(cluster):
    """NodePorts: `node(s) didn't have free ports for the requested pod ports`."""
    add_node(cluster, "node01")
    ports = [{"containerPort": 80, "hostPort": 8080}]
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
                        "spec": {"containers": [{"name": "a", "image": "nginx", "ports": ports}]}})
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"},
                        "spec": {"containers": [{"name": "b", "image": "nginx", "ports": ports}]}})
    run(cluster)
    assert node_of(cluster, "a") == "node01"
    assert message(cluster, "b") == ("0/1 nodes are available: 1 node(s) didn't have free ports "
                                     "for the requested pod ports." + NO_VICTIMS_1)


def test_insufficient_cpu_and_memory_both_reported(cluster):
    """NodeResourcesFit reports every resource the node lacks."""
    add_node(cluster, "node01", cpu="1", memory="1Gi")
    add_pod(cluster, "p", cpu="2", memory="2Gi")
    run(cluster)
    assert message(cluster, "p") == \
        "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory." + NO_VICTIMS_1


def test_too_many_pods(cluster):
    """`Too many pods` once the node holds status.allocatable.pods pods."""
    add_node(cluster, "node01", pods="1")
    add_pod(cluster, "first")
    add_pod(cluster, "second")
    run(cluster)
    assert node_of(cluster, "first") == "node01"
    assert message(cluster, "second") == "0/1 nodes are available: 1 Too many pods." + NO_VICTIMS_1


def test_requests_count_not_limits(cluster):
    """Only requests are compared with allocatable; limits play no part."""
    add_node(cluster, "node01", cpu="1")
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "containers": [{"name": "a", "image": "nginx", "resources": {
            "requests": {"cpu": "500m"}, "limits": {"cpu": "4"}}}]}})
    run(cluster)
    assert node_of(cluster, "p") == "node01"


def test_histogram_is_sorted_as_strings(cluster):
    """`10 ...` sorts before `2 ...`, exactly as Go's sort.Strings does."""
    for i in range(10):
        add_node(cluster, f"small{i}", cpu="1")
    for i in range(2):
        add_node(cluster, f"tainted{i}", taints=[{"key": "a", "effect": "NoSchedule"}])
    add_pod(cluster, "p", cpu="2")
    run(cluster)
    assert message(cluster, "p") == (
        "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {a: }. "
        "preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling.")


def _pod_with(init, containers, sidecar=None):
    spec = {"containers": [{"name": f"c{i}", "image": "x", "resources": {"requests": {"cpu": c}}}
                           for i, c in enumerate(containers)],
            "initContainers": [{"name": f"i{i}", "image": "x", "resources": {"requests": {"cpu": c}}}
                               for i, c in enumerate(init)]}
    if sidecar:
        spec["initContainers"].insert(0, {"name": "side", "image": "x", "restartPolicy": "Always",
                                          "resources": {"requests": {"cpu": sidecar}}})
    return PodInfo({"metadata": {"name": "p", "namespace": "default"}, "spec": spec})


def test_init_containers_take_the_max_and_sidecars_add():
    """max(sum of containers, each init container); a restartable init container adds to both."""
    assert _pod_with(["800m"], ["300m", "200m"]).requests.cpu == 800
    assert _pod_with(["200m"], ["300m", "400m"]).requests.cpu == 700
    assert _pod_with(["2"], ["500m"]).requests.cpu == 2000
    assert _pod_with(["800m"], ["300m"], sidecar="100m").requests.cpu == 900
    assert _pod_with(["100m"], ["300m"], sidecar="100m").requests.cpu == 400


def test_init_container_request_filters(cluster):
    """A big init container alone can make a pod not fit."""
    add_node(cluster, "node01", cpu="1")
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "initContainers": [{"name": "i", "image": "busybox", "resources": {"requests": {"cpu": "2"}}}],
        "containers": [{"name": "a", "image": "nginx", "resources": {"requests": {"cpu": "100m"}}}]}})
    run(cluster)
    assert message(cluster, "p") == "0/1 nodes are available: 1 Insufficient cpu." + NO_VICTIMS_1


def test_least_allocated_prefers_the_emptier_node(cluster):
    """LeastAllocated: with other scores equal, the node with more room left wins."""
    add_node(cluster, "busy", cpu="4", memory="8Gi")
    add_node(cluster, "idle", cpu="4", memory="8Gi")
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hog"},
                        "spec": {"nodeName": "busy", "containers": [{"name": "a", "image": "x",
                                 "resources": {"requests": {"cpu": "3", "memory": "6Gi"}}}]}})
    for i in range(3):
        add_pod(cluster, f"p{i}", cpu="100m", memory="100Mi")
    run(cluster)
    assert {node_of(cluster, f"p{i}") for i in range(3)} == {"idle"}


def test_least_allocated_counts_empty_pods_as_100m_and_200mi():
    """Scoring treats a pod without requests as 100m CPU and 200Mi memory."""
    node = NodeInfo("n")
    node.set_node({"metadata": {"name": "n"}, "spec": {},
                   "status": {"allocatable": {"cpu": "1", "memory": "1000Mi", "pods": "110"}}})
    empty = PodInfo({"metadata": {"name": "p", "namespace": "d"},
                     "spec": {"containers": [{"name": "a", "image": "x"}]}})
    assert (empty.non_zero_cpu, empty.non_zero_mem) == (100, 200 * 1024 * 1024)
    # cpu (1000-100)*100/1000 = 90, memory (1000-200)*100/1000 = 80 -> (90+80)/2 = 85
    assert noderesources.least_allocated(empty, node) == 85


def test_preferred_node_affinity_steers(cluster):
    """preferredDuringScheduling: the node matching the preferred term wins."""
    for name, disk in (("a", "hdd"), ("b", "ssd"), ("c", "hdd")):
        add_node(cluster, name, labels={"disk": disk})
    for i in range(3):
        add_pod(cluster, f"p{i}", affinity={"nodeAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 80, "preference": {
                "matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}}]}})
    run(cluster)
    assert {node_of(cluster, f"p{i}") for i in range(3)} == {"b"}


def test_image_locality_prefers_a_node_with_the_image(cluster):
    """ImageLocality: a node that already has a large image scores higher."""
    big = [{"names": ["docker.io/library/postgres:16", "postgres:16"], "sizeBytes": 450_000_000}]
    add_node(cluster, "cold")
    add_node(cluster, "warm", images=big)
    add_pod(cluster, "db", image="postgres:16")
    run(cluster)
    assert node_of(cluster, "db") == "warm"


def test_image_locality_score_values():
    """calculatePriority clamps to 23MB..1000MB per container, scaled by the image's spread."""
    assert imagelocality.calculate_priority(0, 1) == 0
    assert imagelocality.calculate_priority(1000 * 1024 * 1024, 1) == 100
    assert imagelocality.scaled_image_score(400_000_000, 1, 2) == 200_000_000


def test_prefer_no_schedule_score_normalisation():
    """Nodes with more untolerated PreferNoSchedule taints score lower (0 for the worst)."""
    pod = PodInfo({"metadata": {"name": "p", "namespace": "d"},
                   "spec": {"containers": [{"name": "a", "image": "x"}]}})
    nodes = []
    for name, n in (("none", 0), ("one", 1), ("two", 2)):
        ni = NodeInfo(name)
        ni.set_node({"metadata": {"name": name}, "spec": {"taints": [
            {"key": f"k{i}", "effect": "PreferNoSchedule"} for i in range(n)]}, "status": {}})
        nodes.append(ni)
    assert tainttoleration.score(pod, nodes) == [100, 50, 0]


def test_daemonset_style_pod_names_its_node(cluster):
    """matchFields metadata.name pins the pod; the other nodes are left out by PreFilter."""
    for name in ("a", "b", "c"):
        add_node(cluster, name, cpu="1")
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": ["b"]}]}]}}}
    add_pod(cluster, "fits", affinity=affinity)
    add_pod(cluster, "huge", cpu="2", affinity=affinity)
    run(cluster)
    assert node_of(cluster, "fits") == "b"
    assert message(cluster, "huge") == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
        "[NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for "
        "incoming pod, 2 Preemption is not helpful for scheduling.")


def test_topology_spread_do_not_schedule_reason(cluster):
    """A DoNotSchedule constraint over maxSkew: `node(s) didn't match pod topology spread constraints`."""
    add_node(cluster, "a")
    add_node(cluster, "b", unschedulable=True)
    spread = [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
               "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "w"}}}]
    add_pod(cluster, "w1", labels={"app": "w"}, topologySpreadConstraints=spread)
    add_pod(cluster, "w2", labels={"app": "w"}, topologySpreadConstraints=spread)
    run(cluster)
    assert node_of(cluster, "w1") == "a"
    assert message(cluster, "w2") == (
        "0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints, "
        "1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption "
        "victims found for incoming pod, 1 Preemption is not helpful for scheduling.")


def test_topology_spread_missing_label_reason(cluster):
    """A node without the topology key: `... (missing required label)`."""
    add_node(cluster, "a")
    spread = [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
               "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "w"}}}]
    add_pod(cluster, "w", labels={"app": "w"}, topologySpreadConstraints=spread)
    run(cluster)
    assert message(cluster, "w") == (
        "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints "
        "(missing required label)." + NOT_HELPFUL_1)
