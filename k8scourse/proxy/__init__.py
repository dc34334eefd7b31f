"""The Service data path: kube-proxy's rules, and the load balancer of a simulated cloud.

    from k8scourse.proxy import KubeProxy, ServiceLBController
"""

from __future__ import annotations

from k8scourse.proxy.kubeproxy import Backend, KubeProxy, ServicePort
from k8scourse.proxy.loadbalancer import FINALIZER, ServiceLBController, address_pool

__all__ = ["Backend", "FINALIZER", "KubeProxy", "ServiceLBController", "ServicePort",
           "address_pool"]
