"""NodeUnschedulable: a cordoned node (spec.unschedulable) takes no new pods unless they tolerate
the `node.kubernetes.io/unschedulable:NoSchedule` taint."""

from __future__ import annotations

from k8scourse.scheduler.podinfo import tolerations_tolerate
from k8scourse.scheduler.types import UNRESOLVABLE, Status

NAME = "NodeUnschedulable"
REASON = "node(s) were unschedulable"
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


def tolerates_cordon(pod) -> bool:
    return tolerations_tolerate(pod.tolerations, UNSCHEDULABLE_TAINT)


def filter(pod, node, state=None) -> Status | None:
    if not node.unschedulable or tolerates_cordon(pod):
        return None
    return Status(UNRESOLVABLE, (REASON,), NAME)
