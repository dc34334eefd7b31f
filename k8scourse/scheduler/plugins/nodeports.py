"""NodePorts: two pods cannot take the same hostPort (and protocol) on one node."""

from __future__ import annotations

from k8scourse.scheduler.types import UNSCHEDULABLE, Status

NAME = "NodePorts"
REASON = "node(s) didn't have free ports for the requested pod ports"


def filter(pod, node, state=None) -> Status | None:
    for ip, proto, port in pod.host_ports:
        if node.port_conflict(ip, proto, port):
            return Status(UNSCHEDULABLE, (REASON,), NAME)
    return None
