"""TaintToleration: NoSchedule and NoExecute taints keep out pods that do not tolerate them;
PreferNoSchedule taints only lower the score (weight 3)."""

from __future__ import annotations

from k8scourse.scheduler.plugins.helper import default_normalize
from k8scourse.scheduler.podinfo import tolerations_tolerate
from k8scourse.scheduler.types import UNRESOLVABLE, Status

NAME = "TaintToleration"
WEIGHT = 3


def untolerated_taint(taints: list, tolerations: list) -> dict | None:
    """FindMatchingUntoleratedTaint: the first NoSchedule/NoExecute taint no toleration covers."""
    for t in taints:
        if t.get("effect") in ("NoSchedule", "NoExecute") and not tolerations_tolerate(tolerations, t):
            return t
    return None


def reason(taint: dict) -> str:
    return f"node(s) had untolerated taint {{{taint.get('key', '')}: {taint.get('value', '')}}}"


def filter(pod, node, state=None) -> Status | None:
    taint = untolerated_taint(node.taints, pod.tolerations)
    if taint is None:
        return None
    return Status(UNRESOLVABLE, (reason(taint),), NAME)


def prefer_no_schedule_tolerations(pod) -> list:
    """Tolerations with effect PreferNoSchedule or no effect (which covers every effect)."""
    return [t for t in pod.tolerations if not t.get("effect") or t.get("effect") == "PreferNoSchedule"]


def intolerable_prefer_no_schedule(taints: list, tolerations: list) -> int:
    return sum(1 for t in taints if t.get("effect") == "PreferNoSchedule"
               and not tolerations_tolerate(tolerations, t))


def score(pod, nodes, state=None) -> list[int]:
    tolerations = prefer_no_schedule_tolerations(pod)
    raw = [intolerable_prefer_no_schedule(n.taints, tolerations) for n in nodes]
    return default_normalize(raw, reverse=True)
