"""NodeName: a pod that names a node fits only there (pods with spec.nodeName never reach the
scheduler in practice: the kubelet runs them directly)."""

from __future__ import annotations

from k8scourse.scheduler.types import UNRESOLVABLE, Status

NAME = "NodeName"
REASON = "node(s) didn't match the requested node name"


def filter(pod, node, state=None) -> Status | None:
    wanted = (pod.pod.get("spec") or {}).get("nodeName")
    if not wanted or wanted == node.name:
        return None
    return Status(UNRESOLVABLE, (REASON,), NAME)
