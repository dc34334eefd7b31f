"""Wall time for a 1,000-node cluster to bring a Deployment to all Running: 10,000 and 100,000 replicas.

Targets (issue 2): 10,000 pods Running in under 3 s; cost linear in pods (the 100,000 run should take
about ten times the 10,000 run). The cluster is built before the clock starts; what is timed is from
`kubectl create deployment` to every replica Running. Prints figures; never fails on time.
Run: .venv/bin/python benchmarks/cluster_scale.py [replicas ...]
"""

from __future__ import annotations

import gc
import sys
import time

from k8scourse.cluster import Cluster, ClusterConfig, NodeConfig


def big_cluster(nodes: int, seed: int = 1) -> Cluster:
    # kubeadm's usual 10.244.0.0/16 leaves a 1,000-node cluster /26 podCIDRs (62 addresses a
    # node): the host-local IPAM runs out at about 61,000 pods, as a real one would, and the
    # 100,000 run never finishes. A /9 gives every node a /24 (254 pod addresses).
    config = ClusterConfig(name="kubernetes", flavour="kubeadm", pod_cidr="10.128.0.0/9", nodes=[
        NodeConfig("controlplane", "10.0.0.1", control_plane=True,
                   taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}])
    ] + [NodeConfig(f"node{i:04d}", f"10.0.{(i + 1) // 250}.{(i + 1) % 250 + 1}", cpu="16",
                    memory="64Gi") for i in range(1, nodes)])
    return Cluster(config, seed=seed, step=0)


def running(cluster: Cluster, name: str) -> int:
    dep = cluster.api.get_or_none("Deployment", "default", name)
    return (dep or {}).get("status", {}).get("readyReplicas", 0) or 0


def all_ready(cluster: Cluster, name: str, replicas: int):
    """A stop condition for cluster.run: true from the step in which the Deployment controller
    writes readyReplicas == replicas. It follows the Deployment's writes (a watch) instead of
    reading the store after each of the ~7 steps per pod, so the measurement costs nothing."""
    ready = [False]

    def on_write(event: str, obj: dict, old: dict | None) -> None:
        if obj["metadata"]["name"] == name and event != "DELETED" and \
                ((obj.get("status") or {}).get("readyReplicas") or 0) >= replicas:
            ready[0] = True

    cluster.api.store.watch("Deployment", on_write)
    return lambda c: ready[0]


def measure(replicas: int, nodes: int = 1000) -> float:
    gc.collect()  # an earlier measurement's cluster is garbage now: free it before this one
    t0 = time.perf_counter()
    cluster = big_cluster(nodes)
    build = time.perf_counter() - t0
    cluster.trace.enabled = False
    t, cpu = time.perf_counter(), time.process_time()
    done = all_ready(cluster, "big", replicas)
    r = cluster.kubectl(f"create deployment big --image=nginx --replicas={replicas}")
    assert r.exit_code == 0, r.stderr
    cluster.run(done, timeout=3600)
    assert running(cluster, "big") >= replicas
    wall = time.perf_counter() - t
    cpu = time.process_time() - cpu
    pods = sum(1 for p in cluster.api.store.iter("Pod")
               if p["metadata"]["name"].startswith("big-") and p["status"].get("phase") == "Running")
    print(f"{nodes} nodes (built in {build:.2f} s), {replicas} replicas: all {pods} Running after "
          f"{cluster.now:.1f} simulated s, in {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"({wall / replicas * 1e6:.0f} µs per pod)")
    return wall


def main(sizes: list[int]) -> dict[int, float]:
    figures = {n: measure(n) for n in sizes}
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        print(f"cost ratio {b}/{a} replicas: {figures[b] / figures[a]:.1f}x for "
              f"{b / a:.0f}x the pods (linear = {b / a:.0f}x)")
    return figures


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
