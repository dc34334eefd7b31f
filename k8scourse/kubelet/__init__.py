"""The node agent: the kubelet, its container runtime, the image catalog and what runs in containers.

    from k8scourse.kubelet import Kubelet
    cluster.kubelets["node01"].logs("default", "web", "nginx")

Modules: kubelet (node status, pod workers, status, probes, logs), runtime (images, pulls, IDs,
host-local IPAM), images (the registries' catalog and image references), process (the Process
protocol and the default behaviours), shell (the small shell that runs `sh -c` scripts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["Kubelet", "node_leases"]

if TYPE_CHECKING:
    from k8scourse.kubelet.kubelet import Kubelet, node_leases


def __getattr__(name: str):
    if name in __all__:
        from k8scourse.kubelet import kubelet

        return getattr(kubelet, name)
    raise AttributeError(f"module 'k8scourse.kubelet' has no attribute {name!r}")
