"""Time to draw the diagrams: the cluster map of a 3-node, 30-pod cluster, and the others.

Target (issue 4): drawing a 3-node, 30-pod cluster map takes under 0.3 s. "Drawing" is the whole
job: reading the cluster, laying the picture out, creating the artists and rendering them to
pixels (Agg, 100 dpi); writing the PNG file is shown apart. Medians of several runs after a
warm-up (the first run pays for importing matplotlib and loading fonts); wall and CPU time are
both printed because a busy machine stretches wall time. Prints figures; never fails on time.
Run: MPLBACKEND=Agg .venv/bin/python benchmarks/draw.py [runs]
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import yaml  # noqa: E402

from k8scourse import Cluster  # noqa: E402


def thirty_pods() -> Cluster:
    """kubeadm with two workers (3 nodes) and 30 pods in `default`, one of them Pending."""
    c = Cluster.kubeadm(workers=2)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=12")
    api = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "api", "labels": {"app": "api"}},
           "spec": {"replicas": 9, "selector": {"matchLabels": {"app": "api"}},
                    "template": {"metadata": {"labels": {"app": "api", "tier": "backend"}},
                                 "spec": {"containers": [{"name": "api", "image": "nginx"}]}}}}
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "frontend"},
          "spec": {"replicas": 6, "selector": {"matchLabels": {"tier": "frontend"}},
                   "template": {"metadata": {"labels": {"tier": "frontend"}},
                                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
    huge = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "huge"},
            "spec": {"containers": [{"name": "c", "image": "nginx",
                                     "resources": {"requests": {"cpu": "100"}}}]}}
    c.kubectl("create -f -", stdin=yaml.safe_dump_all([api, rs, huge]))
    c.kubectl("run debug --image=nginx")
    c.kubectl("run tools --image=busybox")
    c.kubectl("expose deployment web --type=NodePort --port=80")
    c.settle()
    pods = len(c.api.store.list("Pod", "default"))
    assert pods == 30 and len(c.api.store.list("Node")) == 3, pods
    return c


def timed(fn, runs: int) -> tuple[float, float, float, float]:
    """Median wall and CPU seconds of drawing+rendering, and of writing the PNG."""
    import matplotlib.pyplot as plt

    walls, cpus, pngs, pcpus = [], [], [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        ax = fn()
        ax.figure.canvas.draw()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        w, c = time.perf_counter(), time.process_time()
        ax.figure.savefig(io.BytesIO(), format="png", dpi=100)
        pngs.append(time.perf_counter() - w)
        pcpus.append(time.process_time() - c)
        plt.close(ax.figure)
    return (statistics.median(walls), statistics.median(cpus), statistics.median(pngs),
            statistics.median(pcpus))


def main(runs: int = 7) -> dict[str, float]:
    import k8scourse.viz as viz

    cluster = thirty_pods()
    viz.draw_cluster(cluster)       # warm-up: imports, fonts, glyph widths
    diagrams = {
        "cluster map (3 nodes, 30 pods)": lambda: viz.draw_cluster(cluster),
        "ownership": lambda: viz.draw_ownership(cluster),
        "architecture": lambda: viz.draw_architecture(cluster),
        "service routing": lambda: viz.draw_service(cluster, name="web"),
        "voting app (none here)": lambda: viz.draw_voting_app(cluster),
        "YAML tree (employee.yml)": lambda: viz.draw_yaml("data/seed/employee.yml"),
    }
    results = {}
    print(f"median of {runs} runs; draw = read + lay out + artists + render to pixels")
    for name, fn in diagrams.items():
        wall, cpu, png, pcpu = timed(fn, runs)
        results[name] = wall
        print(f"{name:32s} draw {wall * 1000:6.0f} ms wall {cpu * 1000:6.0f} ms CPU   "
              f"+ PNG {png * 1000:5.0f} ms wall {pcpu * 1000:5.0f} ms CPU")
    target = results["cluster map (3 nodes, 30 pods)"]
    print(f"target: cluster map under 300 ms: {target * 1000:.0f} ms "
          f"({'met' if target < 0.3 else 'NOT met'})")
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
