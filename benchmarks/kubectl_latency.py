"""p50/p95 wall-clock latency of common kubectl commands on a 3-node cluster with 100 pods.

Target (issue 2): p95 under 20 ms for each command. Prints figures; never fails on time.
Run: .venv/bin/python benchmarks/kubectl_latency.py
"""

from __future__ import annotations

import statistics
import time

from k8scourse import Cluster

COMMANDS = [
    "get pods",
    "get pods -o wide",
    "get deployments",
    "get rs",
    "get svc",
    "get nodes",
    "get all",
    "describe deployment web",
    "describe node node01",
    "get pods -l app=web -o name",
    "scale deployment web --replicas=100",
    "label deployment web tier=frontend --overwrite",
]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main(repeats: int = 30) -> dict:
    cluster = Cluster.kubeadm(workers=2, seed=1, step=0)
    cluster.kubectl("create deployment web --image=nginx --replicas=100")
    cluster.kubectl("expose deployment web --port=80 --type=NodePort")
    cluster.settle()
    pod = cluster.pods()[0].name
    commands = COMMANDS + [f"describe pod {pod}", f"logs {pod}", f"get pod {pod} -o yaml",
                           "get deployment web -o yaml", f"get pod {pod} -o json"]
    print(f"kubectl latency on {len(cluster.nodes())} nodes, {len(cluster.pods())} pods "
          f"({repeats} runs each)")
    print(f"{'command':48} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    figures = {}
    for cmd in commands:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            r = cluster.kubectl(cmd)
            times.append((time.perf_counter() - t) * 1000)
            assert r.exit_code == 0, (cmd, r.stderr)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        worst = max(worst, p95)
        figures[cmd] = (p50, p95)
        print(f"{cmd:48} {p50:8.2f} {p95:8.2f}")
    print(f"worst p95: {worst:.2f} ms (target < 20 ms)")
    # not a command a beginner types often, but worth watching: every pod as YAML
    for cmd in ("get pods -o yaml", "get pods -o json"):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            cluster.kubectl(cmd)
            times.append((time.perf_counter() - t) * 1000)
        print(f"bulk: {cmd} (all {len(cluster.pods())} pods): p50 {statistics.median(times):.1f} ms")
    return figures


if __name__ == "__main__":
    main()
