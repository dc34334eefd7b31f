"""The service controller of a (simulated) cloud: external IPs for LoadBalancer Services.

On a cluster without a cloud provider (a kubeadm cluster on VMs, minikube without `minikube
tunnel`) nothing ever fills `status.loadBalancer`, so `kubectl get svc` shows EXTERNAL-IP
`<pending>` for ever; the Service still works as a NodePort. That is the default here.

With `ClusterConfig.cloud_load_balancer` the cluster behaves as one with a load-balancer
implementation (a cloud's, or MetalLB in layer-2 mode on the VMs' network). Addresses come from
the pool `<first node's /24>.240` to `.250` (`192.168.56.240-192.168.56.250` on the kubeadm preset,
the range a MetalLB IPAddressPool on a VirtualBox host-only network typically gets). As
k8s.io/cloud-provider's service controller does, it:

* adds the finalizer `service.kubernetes.io/load-balancer-cleanup`, records `EnsuringLoadBalancer`
  "Ensuring load balancer", writes `status.loadBalancer.ingress: [{ip, ipMode: VIP}]` and records
  `EnsuredLoadBalancer` "Ensured load balancer";
* honours `spec.loadBalancerIP` when it is a free address of the pool;
* when the pool is empty: `SyncLoadBalancerFailed` "Error syncing load balancer: failed to ensure
  load balancer: no available IPs in the pool";
* records `Type` "LoadBalancer -> NodePort" (or the reverse) when the type changes, and gives the
  address back;
* on deletion records `DeletingLoadBalancer` / `DeletedLoadBalancer`, frees the address and
  removes its finalizer, so the Service goes.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from k8scourse.controllers.base import Controller, Key

if TYPE_CHECKING:  # pragma: no cover
    from k8scourse.cluster import Cluster, ClusterConfig

FINALIZER = "service.kubernetes.io/load-balancer-cleanup"
POOL_FIRST, POOL_LAST = 240, 250


def address_pool(config: "ClusterConfig") -> list[str]:
    """The external addresses the simulated load balancer hands out, in order."""
    first = config.nodes[0].ip if config.nodes else "192.168.56.10"
    net = ipaddress.ip_network(f"{first}/24", strict=False)
    base = int(net.network_address)
    return [str(ipaddress.ip_address(base + i)) for i in range(POOL_FIRST, POOL_LAST + 1)]


def _wants_lb(svc: dict | None) -> bool:
    return bool(svc) and (svc.get("spec") or {}).get("type") == "LoadBalancer"


class ServiceLBController(Controller):
    """Gives LoadBalancer Services an external IP when the cluster simulates a cloud."""

    name = "service-controller"

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        self.enabled = bool(getattr(cluster.config, "cloud_load_balancer", False))
        self.pool = address_pool(cluster.config)
        #: service key -> its address
        self.assigned: dict[Key, str] = {}
        self.store.watch("Service", self._on_service)
        for svc in list(self.store.iter("Service")):
            self._on_service("ADDED", svc, None)

    def _on_service(self, event: str, svc: dict, old: dict | None) -> None:
        meta = svc["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if not self.enabled:
            return
        if event == "MODIFIED" and old is not None and (_wants_lb(old) or _wants_lb(svc)):
            otype = (old.get("spec") or {}).get("type") or "ClusterIP"
            ntype = (svc.get("spec") or {}).get("type") or "ClusterIP"
            if otype != ntype:
                self.event(svc, "Normal", "Type", f"{otype} -> {ntype}")
        if _wants_lb(svc) or key in self.assigned or \
                FINALIZER in (meta.get("finalizers") or ()):
            self.enqueue(key)

    # -------------------------------------------------------------------------------------
    def reconcile(self, key: Key) -> None:
        ns, name = key
        svc = self.store.get("Service", ns, name)
        if svc is None:
            self._release(key)
            return
        meta = svc["metadata"]
        deleting = bool(meta.get("deletionTimestamp"))
        if _wants_lb(svc) and not deleting:
            self._ensure(key, svc)
            return
        had = key in self.assigned or FINALIZER in (meta.get("finalizers") or ())
        if not had:
            return
        if deleting:
            self.event(svc, "Normal", "DeletingLoadBalancer", "Deleting load balancer")
        ip = self._release(key)
        if not deleting and ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress"):
            self.api.update_status("Service", ns, name, {"loadBalancer": {}}, actor=self.name)
        if deleting:
            self.event(svc, "Normal", "DeletedLoadBalancer", "Deleted load balancer")
        if ip:
            self.trace(f"Service {name} no longer needs a load balancer; {ip} goes back to the pool")
        if FINALIZER in (meta.get("finalizers") or ()):
            self.api.finalize("Service", ns, name, FINALIZER)

    def _ensure(self, key: Key, svc: dict) -> None:
        ns, name = key
        ip = self.assigned.get(key)
        if ip is None:
            ip = self._allocate(svc)
            if ip is None:
                self.event(svc, "Warning", "SyncLoadBalancerFailed",
                           "Error syncing load balancer: failed to ensure load balancer: no "
                           "available IPs in the pool")
                self.trace(f"Service {name} wants a load balancer but all of "
                           f"{self.pool[0]}-{self.pool[-1]} are taken; EXTERNAL-IP stays <pending>")
                return
            self.assigned[key] = ip
        meta = svc["metadata"]
        if FINALIZER not in (meta.get("finalizers") or ()):
            new = dict(svc)
            new["metadata"] = dict(meta, finalizers=list(meta.get("finalizers") or []) + [FINALIZER])
            svc = self.api.write(new, actor=self.name)
        wanted = {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}
        if svc.get("status") == wanted:
            return
        self.event(svc, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer")
        self.api.update_status("Service", ns, name, wanted, actor=self.name)
        self.event(svc, "Normal", "EnsuredLoadBalancer", "Ensured load balancer")
        self.trace(f"Service {name} is of type LoadBalancer; the load balancer got external IP "
                   f"{ip} and forwards to node port(s) "
                   + ", ".join(str(p.get("nodePort")) for p in (svc.get("spec") or {}).get("ports")
                               or () if isinstance(p, dict)))

    def _allocate(self, svc: dict) -> str | None:
        taken = set(self.assigned.values())
        asked = (svc.get("spec") or {}).get("loadBalancerIP")
        if asked and asked in self.pool and asked not in taken:
            return asked
        for ip in self.pool:
            if ip not in taken:
                return ip
        return None

    def _release(self, key: Key) -> str | None:
        return self.assigned.pop(key, None)
