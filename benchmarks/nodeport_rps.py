"""Requests per second through a NodePort Service with 10 endpoints.

A kubeadm cluster (control plane + 3 workers) runs `web` (nginx, 10 replicas) behind a NodePort
Service. The laptop sends HTTP GETs to <node IP>:30080, cycling over the four nodes; each one goes
through kube-proxy's random choice to a pod, which serves nginx's page. Measured three ways:

    http      the whole request: resolve, connect through kube-proxy, nginx serves, recorded
    connect   the TCP connection only (kube-proxy's choice and the pod lookup), recorded
    no-record http without keeping a record per request (network.record = False)

It also prints how the requests spread over the 10 endpoints (kube-proxy's choice is uniform).
Prints figures; never fails on time.
Run: .venv/bin/python benchmarks/nodeport_rps.py [requests]
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from k8scourse import Cluster
from k8scourse.apps.net import http_get
from k8scourse.network import PodNetwork
from k8scourse.network.laptop import LaptopNet

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
"""


def build() -> Cluster:
    cluster = Cluster.kubeadm(workers=3, seed=1)
    if getattr(cluster, "network", None) is None:
        cluster.network = PodNetwork(cluster)
    cluster.trace.enabled = False
    assert cluster.kubectl("create deployment web --image=nginx --replicas=10").exit_code == 0
    assert cluster.kubectl(["create", "-f", "-"], stdin=SERVICE).exit_code == 0
    cluster.settle()
    ready = sum(1 for p in cluster.pods(selector={"app": "web"})
                if any(c["type"] == "Ready" and c["status"] == "True" for c in p.status["conditions"]))
    assert ready == 10, ready
    return cluster


def run(label: str, n: int, fn) -> float:
    t = time.perf_counter()
    for i in range(n):
        fn(i)
    wall = time.perf_counter() - t
    print(f"{label:<10} {n:>7} requests in {wall:6.2f} s: {n / wall:>9,.0f} requests/s "
          f"({wall / n * 1e6:5.1f} µs each)")
    return n / wall


def main(n: int = 50_000) -> dict[str, float]:
    cluster = build()
    network = cluster.network
    laptop = LaptopNet(network)
    urls = [f"http://{node.ip}:30080/" for node in cluster.config.nodes]
    addrs = [node.ip for node in cluster.config.nodes]
    figures = {}
    start = len(network.requests)
    figures["http"] = run("http", n, lambda i: http_get(laptop, urls[i % 4]))
    spread = Counter(r.pod for r in network.requests[start:])
    figures["connect"] = run("connect", n, lambda i: network.connect(laptop.client, addrs[i % 4], 30080))
    network.record = False
    figures["no-record"] = run("no-record", n, lambda i: http_get(laptop, urls[i % 4]))
    network.record = True
    counts = sorted(spread.values())
    print(f"spread over {len(spread)} endpoints: min {counts[0]}, max {counts[-1]} "
          f"(uniform: {n / 10:.0f} each)")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
