"""Every benchmark of the course in one run (`make benchmark`); prints figures, never fails on time.

Targets (issues 2, 3 and 4):
- kubectl: p95 under 20 ms per common command on a 3-node cluster with 100 pods;
- scale: 10,000 replicas on 1,000 nodes all Running in under 3 s; cost linear in pods (100,000);
- validation: at least 10x kubernetes-validate's throughput, with the same verdicts;
- traffic: requests per second through a NodePort Service with 10 endpoints;
- drawing: a 3-node, 30-pod cluster map in under 0.3 s.
Pass `--quick` to skip the 100,000-replica run.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)))


def main(argv: list[str]) -> None:
    import cluster_scale
    import draw
    import kubectl_latency
    import nodeport_rps
    import validation

    section("kubectl latency")
    kubectl_latency.main()
    section("validation against kubernetes-validate")
    validation.main()
    section("NodePort traffic")
    nodeport_rps.main()
    section("drawing")
    draw.main()
    section("scale")
    cluster_scale.main([10_000] if "--quick" in argv else [10_000, 100_000])


if __name__ == "__main__":
    main(sys.argv[1:])
