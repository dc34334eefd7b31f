"""How fast the scheduler binds pods: 10,000 replicas of one ReplicaSet on 1,000 nodes.

    .venv/bin/python benchmarks/scheduler.py [--nodes 1000] [--pods 10000] [--profile]

Only the scheduler runs (no kubelets or controllers), so the figure is the scheduler's own share
of the cluster's budget: filtering, scoring, binding (the API write), the Scheduled event and the
trace. Prints pods per second; never fails on time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from k8scourse.apiserver.server import APIServer  # noqa: E402
from k8scourse.scheduler import Scheduler  # noqa: E402
from k8scourse.sim.clock import Clock  # noqa: E402
from k8scourse.sim.rand import Rand  # noqa: E402
from k8scourse.sim.trace import Trace  # noqa: E402


def build(nodes: int, seed: int = 0):
    clock = Clock()
    rand = Rand(seed)
    c = SimpleNamespace(clock=clock, rand=rand, trace=Trace(clock))
    c.api = APIServer(clock, rand)
    c.scheduler = Scheduler(c)
    for i in range(nodes):
        name = f"node{i:04d}"
        spec = {"taints": [{"key": "node-role.kubernetes.io/control-plane",
                            "effect": "NoSchedule"}]} if i == 0 else {}
        c.api.create({"apiVersion": "v1", "kind": "Node",
                      "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
                      "spec": spec}, actor="kubelet")
        c.api.update_status("Node", "", name, {
            "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110"}}, actor="kubelet")
    return c


def add_pods(c, n: int) -> None:
    """The pods a ReplicaSet controller would create (written straight to the store: the API
    server's admission is not the scheduler's cost)."""
    rs = c.api.create({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web-7c5ddbdf54", "labels": {"app": "web"}},
        "spec": {"replicas": n, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
    owner = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs["metadata"]["name"],
              "uid": rs["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    store = c.api.store
    ts = c.clock.timestamp()
    for i in range(n):
        store.put({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"web-7c5ddbdf54-{i:05d}", "namespace": "default",
                         "labels": {"app": "web"}, "ownerReferences": owner,
                         "uid": f"uid-{i}", "creationTimestamp": ts},
            "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                     "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}],
                     "schedulerName": "default-scheduler", "priority": 0},
            "status": {"phase": "Pending", "qosClass": "Burstable"}})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--pods", type=int, default=10000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--no-trace", action="store_true", help="disable the decision trace")
    args = ap.parse_args()
    c = build(args.nodes)
    add_pods(c, args.pods)
    c.trace.enabled = not args.no_trace
    import numpy  # noqa: F401  (loaded by the fast path on first use; not part of the figure)
    start = time.perf_counter()
    cpu = time.process_time()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(c.clock.run, c.clock.now)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    else:
        c.clock.run(c.clock.now)
    took = time.perf_counter() - start
    cpu = time.process_time() - cpu
    bound = sum(1 for p in c.api.store.iter("Pod") if p["spec"].get("nodeName"))
    per_node = {}
    for p in c.api.store.iter("Pod"):
        per_node[p["spec"].get("nodeName")] = per_node.get(p["spec"].get("nodeName"), 0) + 1
    print(f"{bound} of {args.pods} pods bound on {args.nodes} nodes in {took:.3f} s wall, "
          f"{cpu:.3f} s CPU: {bound / took:,.0f} pods/s "
          f"(pods per node {min(per_node.values())}-{max(per_node.values())})")


if __name__ == "__main__":
    main()
