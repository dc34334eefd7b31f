"""The array fast path gives exactly the plain node-by-node algorithm's answers."""

from __future__ import annotations

import random

import pytest

from k8scourse.scheduler import framework
from k8scourse.scheduler.fastpath import FastPath, handles
from k8scourse.scheduler.podinfo import PodInfo
from k8scourse.scheduler.scheduler import diagnose
from tests.scheduler.helpers import add_node, make_cluster, run, settle

TAINTS = [
    {"key": "dedicated", "value": "db", "effect": "NoSchedule"},
    {"key": "dedicated", "value": "web", "effect": "NoSchedule"},
    {"key": "spot", "effect": "PreferNoSchedule"},
    {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
    {"key": "maintenance", "value": "soon", "effect": "NoExecute"},
]
TOLERATIONS = [
    {"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"},
    {"key": "dedicated", "operator": "Exists"},
    {"key": "spot", "operator": "Exists", "effect": "PreferNoSchedule"},
    {"operator": "Exists"},
    {"key": "maintenance", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30},
]
IMAGES = [("nginx:latest", 70_000_000), ("redis:7", 40_000_000), ("busybox:latest", 2_000_000),
          ("postgres:16", 400_000_000)]
APPS = ["web", "db", "cache", "api"]


def random_node(c, rnd, i):
    labels = {}
    if rnd.random() < 0.6:
        labels["disk"] = rnd.choice(["ssd", "hdd"])
    if rnd.random() < 0.5:
        labels["gen"] = str(rnd.randrange(1, 5))
    taints = []
    for t in TAINTS:  # at most one taint per key and effect
        if rnd.random() < 0.12 and all((u["key"], u["effect"]) != (t["key"], t["effect"]) for u in taints):
            taints.append(t)
    images = [{"names": [name, name.split(":")[0] + "@sha256:" + "ab" * 8], "sizeBytes": size}
              for name, size in IMAGES if rnd.random() < 0.3]
    add_node(c, f"n{i:03d}", cpu=rnd.choice(["1", "2", "4", "1500m"]),
             memory=rnd.choice(["1Gi", "2Gi", "4Gi", "3912Mi"]),
             pods=rnd.choice(["4", "8", "110"]), taints=taints, labels=labels,
             unschedulable=rnd.random() < 0.08, images=images or None)
    if rnd.random() < 0.05:  # a node without the hostname label
        node = c.api.get("Node", "", f"n{i:03d}")
        del node["metadata"]["labels"]["kubernetes.io/hostname"]
        c.api.update(node)


def mutate_node(c, rnd) -> None:
    """Change one node the way kubectl or a kubelet would: labels, taints, cordon, capacity, images."""
    names = list(c.scheduler.cache.order)
    name = rnd.choice(names)
    node = c.api.get("Node", "", name)
    what = rnd.randrange(5)
    if what == 0:
        node["metadata"]["labels"]["disk"] = rnd.choice(["ssd", "hdd"])
        c.api.update(node)
    elif what == 1:
        keys = {(t["key"], t["effect"]) for t in node["spec"].get("taints") or ()}
        extra = [t for t in TAINTS if (t["key"], t["effect"]) not in keys]
        node["spec"]["taints"] = [] if keys or not extra else [rnd.choice(extra)]
        c.api.update(node)
    elif what == 2:
        node["spec"]["unschedulable"] = not node["spec"].get("unschedulable")
        c.api.update(node)
    else:
        status = dict(node["status"])
        if what == 3:
            cpu = rnd.choice(["1", "2", "4"])
            status["allocatable"] = dict(status["allocatable"], cpu=cpu)
        else:
            name_, size = rnd.choice(IMAGES)
            status["images"] = list(status.get("images") or []) + [{"names": [name_], "sizeBytes": size}]
        c.api.update_status("Node", "", name, status, actor="kubelet")


def random_spec(rnd) -> dict:
    requests = {}
    if rnd.random() < 0.7:
        requests["cpu"] = rnd.choice(["50m", "100m", "250m", "500m", "1", "3"])
    if rnd.random() < 0.7:
        requests["memory"] = rnd.choice(["64Mi", "128Mi", "512Mi", "1Gi", "3Gi"])
    container = {"name": "app", "image": rnd.choice(["nginx", "redis:7", "busybox", "postgres:16"])}
    if requests:
        container["resources"] = {"requests": requests}
    spec: dict = {"containers": [container]}
    if rnd.random() < 0.2:
        spec["initContainers"] = [{"name": "init", "image": "busybox", "resources": {
            "requests": {"cpu": rnd.choice(["200m", "2"])}}}]
    tols = [t for t in TOLERATIONS if rnd.random() < 0.15]
    if tols:
        spec["tolerations"] = tols
    r = rnd.random()
    if r < 0.15:
        spec["nodeSelector"] = {"disk": rnd.choice(["ssd", "hdd"])}
    elif r < 0.3:
        spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [
                {"key": "gen", "operator": rnd.choice(["Gt", "Lt"]), "values": [str(rnd.randrange(1, 5))]}]},
                {"matchExpressions": [{"key": "disk", "operator": "DoesNotExist"}]}]}}}
    if rnd.random() < 0.2:
        spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})[
            "preferredDuringSchedulingIgnoredDuringExecution"] = [
            {"weight": rnd.randrange(1, 100), "preference": {"matchExpressions": [
                {"key": "disk", "operator": "In", "values": ["ssd"]}]}},
            {"weight": 5, "preference": {"matchExpressions": [
                {"key": "gen", "operator": "Exists"}]}}]
    if rnd.random() < 0.1:
        spec["preemptionPolicy"] = "Never"
    return spec


def build(seed: int, nodes: int, bound: int):
    """A random cluster, filled by the plain path; returns it with its ReplicaSets' owner refs."""
    rnd = random.Random(seed)
    c = make_cluster(seed)
    c.scheduler.vectorise_from = 10**9
    for i in range(nodes):
        random_node(c, rnd, i)
    owners = {}
    for app in APPS:
        rs = c.api.create({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                           "metadata": {"name": f"{app}-rs"},
                           "spec": {"selector": {"matchLabels": {"app": app}},
                                    "template": {"metadata": {"labels": {"app": app}},
                                                 "spec": {"containers": [{"name": "a", "image": "x"}]}}}})
        owners[app] = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs["metadata"]["name"],
                       "uid": rs["metadata"]["uid"], "controller": True}
    c.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                  "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    for i in range(bound):
        add_random_pod(c, rnd, owners, f"b{i:04d}")
    settle(c)
    return c, rnd, owners


def manifest(rnd, owners, name) -> dict:
    app = rnd.choice(APPS + [None])
    meta: dict = {"name": name, "namespace": "default"}
    if app:
        meta["labels"] = {"app": app}
        if rnd.random() < 0.8:
            meta["ownerReferences"] = [owners[app]]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": random_spec(rnd)}


def add_random_pod(c, rnd, owners, name):
    m = manifest(rnd, owners, name)
    if rnd.random() < 0.1:  # a low-priority pod bound by hand: preemption has victims
        m["metadata"].update(uid=f"uid-{name}", creationTimestamp=c.clock.timestamp())
        m["spec"].update(priority=-10, nodeName=f"n{rnd.randrange(len(c.scheduler.cache.order)):03d}",
                         schedulerName="default-scheduler")
        m["status"] = {"phase": "Running", "startTime": c.clock.timestamp()}
        c.api.store.put(m)
    else:
        c.api.create(m)


def compare(c, fast: FastPath, pinfo: PodInfo, start: int) -> None:
    sched = c.scheduler
    results = []
    saved = sched.rand.getstate()
    for path in ("plain", "fast"):
        sched.rand.setstate(saved)
        sched.next_start_node_index = start
        state = framework.CycleState(sched.cache, sched.store)
        if path == "plain":
            r = framework.schedule_pod(sched, pinfo, state)
        else:
            r = fast.schedule_pod(sched, pinfo, state)
        message = None
        if r.node is None:
            message, plugins, candidate, nominate = diagnose(pinfo, r, state, sched.rand)
            message = (message, sorted(plugins), candidate and candidate.node, nominate)
        results.append((r.node, r.scores, r.evaluated, r.n_feasible, r.best, r.tied,
                        sched.next_start_node_index, message, sched.rand.getstate()))
    assert results[0] == results[1]


@pytest.mark.parametrize("seed,nodes,bound", [(1, 7, 20), (2, 30, 60), (3, 120, 250),
                                              (4, 260, 400), (5, 101, 900)])
def test_fast_path_matches_plain_on_random_clusters(seed, nodes, bound):
    """Same node, scores, FitError text, rotation index and random draws, pod after pod."""
    c, rnd, owners = build(seed, nodes, bound)
    fast = FastPath(c.scheduler.cache)
    fast.keep_scores = True
    n = len(c.scheduler.cache.order)
    checked = 0
    for i in range(60):
        m = manifest(rnd, owners, f"probe{i}")
        m["metadata"].update(uid=f"probe-{i}")
        pinfo = PodInfo(m)
        if not handles(pinfo, c.scheduler.cache):
            continue
        for start in (0, rnd.randrange(n)):
            compare(c, fast, pinfo, start)
            checked += 1
        if i % 10 == 9:  # the cluster changes between probes: rows go stale and are refreshed
            for j in range(5):
                add_random_pod(c, rnd, owners, f"more{i}-{j}")
                mutate_node(c, rnd)
            settle(c)
    assert checked > 40


def test_whole_clusters_agree_event_for_event():
    """Two clusters with one seed, one on the fast path, one on the plain: same history."""
    def history(vectorise_from):
        c, rnd, owners = build(11, 150, 0)
        c.scheduler.vectorise_from = vectorise_from
        for i in range(400):
            add_random_pod(c, rnd, owners, f"p{i:04d}")
            if i % 7 == 0:
                mutate_node(c, rnd)
            if i % 37 == 0:
                run(c, 0.5)
        run(c, 30)
        pods = [(p["metadata"]["name"], p["spec"].get("nodeName")) for p in c.api.list("Pod")]
        evs = [(e["involvedObject"]["name"], e["reason"], e["message"], e["count"])
               for e in c.api.list("Event", "default")]
        return pods, evs, [d.message for d in c.trace.decisions]
    plain = history(10**9)
    fast = history(0)
    assert plain[0] == fast[0]
    assert plain[1] == fast[1]
    assert sum(1 for _, node in fast[0] if node) > 200
