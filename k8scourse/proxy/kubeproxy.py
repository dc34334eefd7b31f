"""kube-proxy in iptables mode: the rules that turn a Service address into one of its endpoints.

For every Service port kube-proxy installs (pkg/proxy/iptables/proxier.go):

* `ClusterIP:port` -> the Service's chain, reachable only from inside the cluster (pods and nodes);
* `<any node IP>:nodePort` for NodePort and LoadBalancer Services, on every node, the control
  plane included;
* `externalIP:port` and the load balancer's `ingress[].ip:port`;
* each chain picks one endpoint per new connection at random: rule i of n matches with
  probability 1/(n-i) (`-m statistic --mode random`), which is a uniform choice. With
  `sessionAffinity: ClientIP`, a client IP keeps its endpoint while it comes back within
  `timeoutSeconds` (10800 by default; `-m recent --rcheck --seconds ... --reap`);
* a Service port without ready endpoints gets a REJECT rule: the client sees "Connection
  refused" at once. A port that is not a port of the Service has no rule at all: the packets go
  nowhere and the client times out;
* `externalTrafficPolicy: Local` (node ports) and `internalTrafficPolicy: Local` (ClusterIP)
  only use endpoints on the node the traffic arrives at, and drop it when there are none.

Endpoints come from the Endpoints objects (ready addresses only), which carry what the
EndpointSlices kube-proxy v1.32 reads carry for ready endpoints. The tables are rebuilt lazily:
a watch event only marks a Service's ports stale.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from k8scourse.cluster import Cluster

#: sessionAffinityConfig.clientIP.timeoutSeconds default (v1.DefaultClientIPServiceAffinitySeconds)
DEFAULT_AFFINITY_SECONDS = 10800


class Backend:
    """One endpoint of a Service port: the pod's IP and port, which pod, on which node."""

    __slots__ = ("ip", "port", "namespace", "pod", "node")

    def __init__(self, ip: str, port: int, namespace: str, pod: str, node: str):
        self.ip, self.port, self.namespace, self.pod, self.node = ip, port, namespace, pod, node

    @property
    def key(self) -> tuple[str, int]:
        return (self.ip, self.port)

    def __repr__(self) -> str:
        return f"<Backend {self.ip}:{self.port} {self.namespace}/{self.pod} on {self.node}>"


class ServicePort:
    """One port of one Service as kube-proxy programs it."""

    __slots__ = ("namespace", "service", "port_name", "protocol", "port", "node_port",
                 "cluster_ip", "type", "affinity_timeout", "external_local", "internal_local",
                 "backends", "affinity")

    def __init__(self, svc: dict, sp: dict):
        meta, spec = svc["metadata"], svc.get("spec") or {}
        self.namespace = meta.get("namespace", "")
        self.service = meta["name"]
        self.port_name = sp.get("name") or ""
        self.protocol = sp.get("protocol") or "TCP"
        self.port = sp.get("port")
        self.node_port = sp.get("nodePort")
        self.cluster_ip = spec.get("clusterIP") or ""
        self.type = spec.get("type") or "ClusterIP"
        self.affinity_timeout: float | None = None
        if spec.get("sessionAffinity") == "ClientIP":
            cfg = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {})
            self.affinity_timeout = float(cfg.get("timeoutSeconds") or DEFAULT_AFFINITY_SECONDS)
        self.external_local = spec.get("externalTrafficPolicy") == "Local"
        self.internal_local = spec.get("internalTrafficPolicy") == "Local"
        #: the endpoints, or None when they must be read again
        self.backends: list[Backend] | None = None
        #: client IP -> [backend key, last time seen]
        self.affinity: dict[str, list] = {}

    @property
    def label(self) -> str:
        """`default/web:http` (the port name only when there is one), as kube-proxy names it."""
        base = f"{self.namespace}/{self.service}"
        return f"{base}:{self.port_name}" if self.port_name else base

    def __repr__(self) -> str:
        return f"<ServicePort {self.label} {self.port}/{self.protocol}>"


class KubeProxy:
    """The Service rules of every node (they are the same on all nodes)."""

    name = "kube-proxy"

    def __init__(self, cluster: "Cluster"):
        self.cluster = cluster
        self.store = cluster.api.store
        self.clock = cluster.clock
        #: its own seeded stream, so traffic never shifts the names and IPs the cluster draws
        self.rand = random.Random(f"kube-proxy/{getattr(cluster, 'seed', 0)}")
        self.by_cluster_ip: dict[tuple[str, int, str], ServicePort] = {}
        #: every ClusterIP in use -> its Service (to tell "no such port" from "no such address")
        self.service_ips: dict[str, tuple[str, str]] = {}
        self.by_node_port: dict[tuple[int, str], ServicePort] = {}
        #: externalIPs and load-balancer ingress IPs: (ip, port, protocol) -> port
        self.by_external: dict[tuple[str, int, str], ServicePort] = {}
        self.external_ips: dict[str, tuple[str, str]] = {}
        #: the load balancers' ingress IPs (announced on the nodes' network, unlike externalIPs)
        self.lb_ips: dict[str, tuple[str, str]] = {}
        self._ports: dict[tuple[str, str], list[ServicePort]] = {}
        self._keys: dict[tuple[str, str], list[tuple[str, object]]] = {}
        self.store.watch("Service", self._on_service)
        self.store.watch("Endpoints", self._on_endpoints)
        for svc in list(self.store.iter("Service")):
            self._on_service("ADDED", svc, None)

    # watches --------------------------------------------------------------------------------
    def _on_service(self, event: str, svc: dict, old: dict | None) -> None:
        meta = svc["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if event == "MODIFIED" and old is not None and old.get("spec") == svc.get("spec") and \
                old.get("status") == svc.get("status"):
            return
        previous = {(p.port_name, p.protocol): p for p in self._ports.get(key, ())}
        self._remove(key)
        if event == "DELETED":
            return
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            return
        ports = []
        entries: list[tuple[str, object]] = []
        cluster_ip = spec.get("clusterIP") or ""
        has_ip = bool(cluster_ip) and cluster_ip != "None"
        if has_ip:
            self.service_ips[cluster_ip] = key
            entries.append(("ip", cluster_ip))
        externals = [ip for ip in spec.get("externalIPs") or () if ip]
        if spec.get("type") == "LoadBalancer":
            ingress = [i.get("ip") for i in ((svc.get("status") or {}).get("loadBalancer")
                                             or {}).get("ingress") or () if i.get("ip")]
            for ip in ingress:
                self.lb_ips[ip] = key
                entries.append(("lb-ip", ip))
            externals += ingress
        for ip in externals:
            self.external_ips[ip] = key
            entries.append(("ext-ip", ip))
        for sp in spec.get("ports") or ():
            if not isinstance(sp, dict):
                continue
            p = ServicePort(svc, sp)
            before = previous.get((p.port_name, p.protocol))
            if before is not None and before.affinity_timeout == p.affinity_timeout:
                p.affinity = before.affinity
            ports.append(p)
            if has_ip:
                k = (cluster_ip, p.port, p.protocol)
                self.by_cluster_ip[k] = p
                entries.append(("cluster", k))
            if p.node_port and p.type in ("NodePort", "LoadBalancer"):
                k2 = (p.node_port, p.protocol)
                self.by_node_port[k2] = p
                entries.append(("node", k2))
            for ip in externals:
                k3 = (ip, p.port, p.protocol)
                self.by_external[k3] = p
                entries.append(("ext", k3))
        self._ports[key] = ports
        self._keys[key] = entries

    def _remove(self, key: tuple[str, str]) -> None:
        tables = {"ip": self.service_ips, "cluster": self.by_cluster_ip,
                  "node": self.by_node_port, "ext": self.by_external,
                  "ext-ip": self.external_ips, "lb-ip": self.lb_ips}
        mine = set(map(id, self._ports.get(key, ())))
        for kind, k in self._keys.pop(key, ()):
            table = tables[kind]
            cur = table.get(k)
            if cur is None:
                continue
            if kind in ("ip", "ext-ip", "lb-ip"):
                if cur == key:
                    del table[k]
            elif id(cur) in mine:
                del table[k]
        self._ports.pop(key, None)

    def _on_endpoints(self, event: str, ep: dict, old: dict | None) -> None:
        meta = ep["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        ports = self._ports.get(key)
        if not ports:
            return
        for p in ports:
            p.backends = None
        if old is not None and event != "DELETED" and old.get("subsets") is ep.get("subsets"):
            return
        before = _ready_count(old) if old is not None and event != "ADDED" else 0
        after = _ready_count(ep) if event != "DELETED" else 0
        if before == after:
            return
        trace = getattr(getattr(self.cluster, "trace", None), "add", None)
        if trace is None:
            return
        name = f"{key[0]}/{key[1]}" if key[0] != "default" else key[1]
        if after:
            trace(self.name, f"Service {name}: each new connection now goes to one of {after} "
                             f"ready endpoint(s), picked at random (was {before})")
        else:
            trace(self.name, f"Service {name} has no ready endpoint left: connections to it are "
                             "refused")

    # reading the rules --------------------------------------------------------------------------
    def ports_of(self, namespace: str, name: str) -> list[ServicePort]:
        return list(self._ports.get((namespace, name), ()))

    def cluster_ip_port(self, ip: str, port: int, protocol: str = "TCP") -> ServicePort | None:
        return self.by_cluster_ip.get((ip, port, protocol))

    def node_port(self, port: int, protocol: str = "TCP") -> ServicePort | None:
        return self.by_node_port.get((port, protocol))

    def external(self, ip: str, port: int, protocol: str = "TCP") -> ServicePort | None:
        return self.by_external.get((ip, port, protocol))

    def backends(self, sp: ServicePort) -> list[Backend]:
        """The ready endpoints of a Service port, sorted by IP and port."""
        if sp.backends is not None:
            return sp.backends
        ep = self.store.get("Endpoints", sp.namespace, sp.service)
        out: list[Backend] = []
        for subset in (ep or {}).get("subsets") or ():
            numbers = [p.get("port") for p in subset.get("ports") or ()
                       if (p.get("name") or "") == sp.port_name
                       and (p.get("protocol") or "TCP") == sp.protocol]
            if not numbers:
                continue
            for addr in subset.get("addresses") or ():
                ref = addr.get("targetRef") or {}
                for number in numbers:
                    out.append(Backend(addr.get("ip", ""), number,
                                       ref.get("namespace") or sp.namespace, ref.get("name", ""),
                                       addr.get("nodeName", "")))
        out.sort(key=lambda b: (_ip_key(b.ip), b.port))
        sp.backends = out
        return out

    def pick(self, sp: ServicePort, client_ip: str, local_node: str | None = None
             ) -> Backend | None:
        """The endpoint one new connection from `client_ip` goes to, or None (no endpoints).

        `local_node`: only endpoints on that node count (a Local traffic policy)."""
        backends = self.backends(sp)
        if local_node is not None:
            backends = [b for b in backends if b.node == local_node]
        if not backends:
            return None
        now = self.clock.now
        if sp.affinity_timeout is not None:
            entry = sp.affinity.get(client_ip)
            if entry is not None and now - entry[1] <= sp.affinity_timeout:
                for b in backends:
                    if b.key == entry[0]:
                        entry[1] = now
                        return b
            chosen = backends[self.rand.randrange(len(backends))] if len(backends) > 1 \
                else backends[0]
            sp.affinity[client_ip] = [chosen.key, now]
            return chosen
        if len(backends) == 1:
            return backends[0]
        return backends[self.rand.randrange(len(backends))]


def _ready_count(ep: dict | None) -> int:
    return sum(len(s.get("addresses") or ()) for s in (ep or {}).get("subsets") or ())


def _ip_key(ip: str) -> tuple:
    try:
        return tuple(int(x) for x in ip.split("."))
    except ValueError:
        return (ip,)
