"""k8scourse: learn Kubernetes on an in-process cluster that behaves like a real one.

    from k8scourse import Cluster
    cluster = Cluster.kubeadm(workers=2)
    print(cluster.kubectl("get nodes"))

In IPython, `%load_ext k8scourse` gives `%kubectl` and `%%kubectl apply` (a cell of YAML).
Importing this package is light; the cluster, diagrams and widgets load when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.errors import (AlreadyExists, BadRequest, ClientError, Conflict, DecodeError,
                              Invalid, K8sError, NotFound, StatusError)

__version__ = "0.1.0"

__all__ = [
    "Cluster", "ClusterConfig", "NodeConfig", "KubectlResult", "load_ipython_extension",
    "K8sError", "StatusError", "NotFound", "AlreadyExists", "Conflict", "Invalid", "BadRequest",
    "ClientError", "DecodeError", "__version__",
]

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster, ClusterConfig, KubectlResult, NodeConfig

_LAZY = {"Cluster", "ClusterConfig", "NodeConfig", "KubectlResult"}


def __getattr__(name: str):
    if name in _LAZY:
        from k8scourse import cluster

        return getattr(cluster, name)
    raise AttributeError(f"module 'k8scourse' has no attribute {name!r}")


def load_ipython_extension(ipython) -> None:
    """`%load_ext k8scourse`: the %kubectl line magic and the %%kubectl cell magic."""
    from k8scourse.magics import register

    register(ipython)
