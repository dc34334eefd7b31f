"""NodeAffinity: spec.nodeSelector and requiredDuringScheduling node affinity filter nodes;
preferredDuringScheduling terms add their weights to the score (weight 2)."""

from __future__ import annotations

from k8scourse.scheduler.plugins.helper import default_normalize
from k8scourse.scheduler.podinfo import node_selector_term_matches
from k8scourse.scheduler.types import UNRESOLVABLE, Status

NAME = "NodeAffinity"
WEIGHT = 2
REASON = "node(s) didn't match Pod's node affinity/selector"
REASON_CONFLICT = "pod affinity terms conflict"


def filter(pod, node, state=None) -> Status | None:
    if pod.required_affinity_matches(node.labels, node.name):
        return None
    return Status(UNRESOLVABLE, (REASON,), NAME)


def preferred_score(pod, node) -> int:
    """The sum of the weights of the preferred terms the node matches."""
    return sum(t.get("weight", 0) for t in pod.preferred_terms
               if node_selector_term_matches(t.get("preference"), node.labels, node.name))


def score(pod, nodes, state=None) -> list[int] | None:
    if not pod.preferred_terms:
        return None
    return default_normalize([preferred_score(pod, n) for n in nodes], reverse=False)
