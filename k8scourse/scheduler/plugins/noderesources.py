"""NodeResourcesFit: the pod's requests must fit in what the node has left (filter), and nodes
with more room left score higher (strategy LeastAllocated, weight 1).

Filtering adds up the requests of the pods already bound to the node and compares with the node's
status.allocatable; limits play no part. Scoring counts a pod that requests nothing as 100m CPU
and 200Mi memory, so that empty pods still spread.
"""

from __future__ import annotations

from k8scourse.scheduler.plugins.helper import MAX_NODE_SCORE
from k8scourse.scheduler.types import UNSCHEDULABLE, Status

NAME = "NodeResourcesFit"
WEIGHT = 1
TOO_MANY_PODS = "Too many pods"


def insufficient(pod, node) -> list[str]:
    """fitsRequest: every resource the node lacks, in the order Kubernetes checks them."""
    reasons = []
    alloc, used, req = node.allocatable, node.requested, pod.requests
    if len(node.pods) + 1 > alloc.pods:
        reasons.append(TOO_MANY_PODS)
    if req.is_zero():
        return reasons
    if req.cpu > 0 and req.cpu > alloc.cpu - used.cpu:
        reasons.append("Insufficient cpu")
    if req.memory > 0 and req.memory > alloc.memory - used.memory:
        reasons.append("Insufficient memory")
    if req.ephemeral > 0 and req.ephemeral > alloc.ephemeral - used.ephemeral:
        reasons.append("Insufficient ephemeral-storage")
    if req.scalars:
        for name in sorted(req.scalars):
            q = req.scalars[name]
            if q and q > alloc.scalars.get(name, 0) - used.scalars.get(name, 0):
                reasons.append(f"Insufficient {name}")
    return reasons


def filter(pod, node, state=None) -> Status | None:
    reasons = insufficient(pod, node)
    return Status(UNSCHEDULABLE, reasons, NAME) if reasons else None


def fits_allocatable(pod, allocatable) -> bool:
    """Whether the pod would fit on an empty node with this allocatable (the queueing hint's isFit)."""
    req = pod.requests
    if req.cpu > allocatable.cpu or req.memory > allocatable.memory or \
            req.ephemeral > allocatable.ephemeral:
        return False
    return all(q <= allocatable.scalars.get(n, 0) for n, q in req.scalars.items() if q)


def least_requested(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def least_allocated(pod, node) -> int:
    """LeastAllocated over cpu and memory (weight 1 each), ignoring a resource the node lacks."""
    total = weights = 0
    for req, cap in ((node.nz_cpu + pod.non_zero_cpu, node.allocatable.cpu),
                     (node.nz_mem + pod.non_zero_mem, node.allocatable.memory)):
        if cap == 0:
            continue
        total += least_requested(req, cap)
        weights += 1
    return total // weights if weights else 0


def score(pod, nodes, state=None) -> list[int]:
    return [least_allocated(pod, n) for n in nodes]
