"""NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in similar
proportions (weight 1). In v1.32 it uses the real requests, with no 100m/200Mi stand-ins."""

from __future__ import annotations

from k8scourse.scheduler.plugins.helper import MAX_NODE_SCORE

NAME = "NodeResourcesBalancedAllocation"
WEIGHT = 1


def balanced(pod, node) -> int:
    fractions = []
    for req, cap in ((node.requested.cpu + pod.requests.cpu, node.allocatable.cpu),
                     (node.requested.memory + pod.requests.memory, node.allocatable.memory)):
        if cap == 0:
            continue
        f = float(req) / float(cap)
        fractions.append(1.0 if f > 1 else f)
    std = abs((fractions[0] - fractions[1]) / 2) if len(fractions) == 2 else 0.0
    return int((1 - std) * float(MAX_NODE_SCORE))


def score(pod, nodes, state=None) -> list[int]:
    return [balanced(pod, n) for n in nodes]
