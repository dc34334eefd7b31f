"""The cluster's network: pod IPs (flannel), Services (kube-proxy), DNS (CoreDNS), node ports.

The Kubernetes network model, as flannel provides it on a kubeadm cluster:

* every node owns a pod CIDR (10.244.N.0/24); its pods get addresses from it (the kubelet's
  host-local IPAM); `cni0` on the node is 10.244.N.1 and `flannel.1` is 10.244.N.0;
* any pod reaches any pod by its IP, across nodes, without NAT: a server sees the client pod's
  own IP;
* nodes reach pods too; traffic from a node leaves through cni0 (a pod on the same node) or
  flannel.1 (a pod elsewhere), so a pod sees 10.244.N.1 or 10.244.N.0 as the client.

What fails, and how, as on a real cluster:

    a pod IP nobody holds (the pod is gone)     No route to host (ARP on cni0 gets no answer)
    a pod that does not listen on the port      Connection refused (the kernel's RST)
    a pod on a node that is down                Connection timed out (VXLAN packets are lost)
    a node IP of a machine that is down         No route to host
    ClusterIP:port of a Service without ready   Connection refused (kube-proxy's REJECT rule)
      endpoints (also a NodePort)
    ClusterIP on a port the Service lacks       Connection timed out (no rule matches)
    a ClusterIP or pod IP from the laptop       Connection timed out (not routed outside)
    a Service's externalIP from the laptop      No route to host (kube-proxy only handles what
                                                reaches a node; nobody answers ARP for it)

`connect()` is what every client in the model ends up calling (apps, `kubectl exec` tools, the
laptop); each call is recorded in `requests` with who answered.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8scourse.apps.net import (ConnectionRefused, DnsAnswer, Endpoint, HostUnreachable, NetError,
                                Sandbox, Timeout, is_ip)
from k8scourse.dns.coredns import CoreDNS
from k8scourse.dns.resolver import CLUSTER_DNS, ResolvConf, hosts_file, pod_dns_config
from k8scourse.proxy.kubeproxy import KubeProxy, ServicePort

if TYPE_CHECKING:  # pragma: no cover
    from k8scourse.cluster import Cluster

#: keep at most this many request records (the oldest go first)
MAX_REQUESTS = 100_000

#: the node's own /etc/hosts on the kubeadm VMs (Ubuntu cloud image) and in minikube's node
NODE_HOSTS = "127.0.0.1 localhost\n127.0.1.1 {name}\n\n" \
             "# The following lines are desirable for IPv6 capable hosts\n" \
             "::1 ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\n" \
             "ff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n"


class DnsTimeout(NetError):
    """No DNS server answered (`;; connection timed out; no servers could be reached`)."""

    def __init__(self, server: str):
        super().__init__(f"{server}:53: connection timed out; no servers could be reached")
        self.server = server


@dataclass
class Client:
    """Who opens a connection: a pod, a node (or a hostNetwork pod), or the learner's laptop."""

    kind: str                 # "pod" | "node" | "laptop"
    ip: str
    name: str                 # "default/web-abc12", "node01", "laptop"
    node: str = ""            # the node the traffic leaves from ("" for the laptop)


@dataclass(slots=True)
class Request:
    """One connection attempt and where it ended up."""

    time: float
    client: str               # "default/vote-7c9d8-x2k8p", "node01" or "laptop"
    client_ip: str
    via: str                  # "ClusterIP", "NodePort", "LoadBalancer", "ExternalIP", "PodIP",
                              # "HostPort", "NodeIP" or "localhost"
    address: str              # what the client dialled: "10.104.3.2:80"
    service: str              # "default/web" when a Service was in the path, else ""
    pod: str                  # the pod that answered (or was tried): "default/web-abc12"
    node: str                 # the node of that pod (or the node dialled)
    port: int                 # the port on the pod
    ok: bool
    error: str = ""           # "Connection refused", "No route to host", "Connection timed out"

    def __str__(self) -> str:
        target = self.pod or self.node or "-"
        result = "ok" if self.ok else self.error
        via = f"{self.via} {self.service}" if self.service else self.via
        return (f"[{self.time:7.1f}s] {self.client} -> {self.address} ({via}) -> {target}"
                f":{self.port} {result}")


def _error_text(e: Exception) -> str:
    if isinstance(e, ConnectionRefused):
        return "Connection refused"
    if isinstance(e, HostUnreachable):
        return "No route to host"
    if isinstance(e, Timeout):
        return "Connection timed out"
    return str(e)


def _listens(proc: Any, port: int) -> bool:
    return proc is not None and getattr(proc, "listening", False) and \
        port in getattr(proc, "ports", ())


class PodNetwork:
    """The network of one cluster. `cluster.network = PodNetwork(cluster)`."""

    def __init__(self, cluster: "Cluster"):
        self.cluster = cluster
        self.store = cluster.api.store
        self.clock = cluster.clock
        self.proxy = KubeProxy(cluster)
        self.dns = CoreDNS(self.store)
        self.requests: list[Request] = []
        #: when False, requests are not recorded (benchmarks)
        self.record = True
        #: pod IP -> keys of the (non-hostNetwork) pods whose status shows it
        self._ip_pods: dict[str, dict[tuple[str, str], None]] = {}
        #: node -> keys of its hostNetwork pods
        self._host_pods: dict[str, dict[tuple[str, str], None]] = {}
        #: (node, hostPort) -> pod key (CNI portmap)
        self._host_ports: dict[tuple[str, int], tuple[tuple[str, str], int]] = {}
        self.node_ips: dict[str, str] = {}
        self.node_names: dict[str, str] = {}
        self.node_cidrs: dict[str, str] = {}
        #: node -> (flannel.1 address, cni0 address) of its pod CIDR
        self._node_addrs: dict[str, tuple[str, str]] = {}
        for n in cluster.config.nodes:
            self.node_ips[n.ip] = n.name
            self.node_names[n.name] = n.ip
        #: the node's upstream resolver (VirtualBox NAT's DNS; minikube's docker network gateway)
        first = cluster.config.nodes[0].ip if cluster.config.nodes else "192.168.56.10"
        subnet = ipaddress.ip_network(f"{first}/24", strict=False)
        self.lan = subnet
        self.laptop_ip = str(subnet.network_address + 1)
        minikube = getattr(cluster.config, "flavour", "") == "minikube"
        self.host_resolv = ResolvConf([self.laptop_ip if minikube else "10.0.2.3"], [], [])
        self.runtime = (cluster.config.nodes[0].container_runtime if cluster.config.nodes
                        else "containerd://1.7.24")
        self._resolv_cache: dict[str, tuple[str, ResolvConf]] = {}
        self.store.watch("Pod", self._on_pod)
        self.store.watch("Node", self._on_node)
        for node in list(self.store.iter("Node")):
            self._on_node("ADDED", node, None)
        for pod in list(self.store.iter("Pod")):
            self._on_pod("ADDED", pod, None)
        _register_exec_tools()

    # watches ----------------------------------------------------------------------------------
    def _on_node(self, event: str, node: dict, old: dict | None) -> None:
        name = node["metadata"]["name"]
        if event == "DELETED":
            self.node_cidrs.pop(name, None)
            self._node_addrs.pop(name, None)
            return
        cidr = (node.get("spec") or {}).get("podCIDR")
        if cidr and self.node_cidrs.get(name) != cidr:
            self.node_cidrs[name] = cidr
            base = ipaddress.ip_network(cidr, strict=False).network_address
            self._node_addrs[name] = (str(base), str(base + 1))
        for addr in (node.get("status") or {}).get("addresses") or ():
            if addr.get("type") == "InternalIP" and addr.get("address"):
                self.node_ips[addr["address"]] = name
                self.node_names[name] = addr["address"]

    def _on_pod(self, event: str, pod: dict, old: dict | None) -> None:
        status = pod.get("status")
        ip = status.get("podIP") if status else None
        old_ip = None
        if old is not None:
            ost = old.get("status")
            old_ip = ost.get("podIP") if ost else None
        if event == "MODIFIED" and ip == old_ip and pod.get("spec") is old.get("spec"):
            return
        meta = pod["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if old is not None and (event == "DELETED" or old_ip != ip or
                                pod.get("spec") is not old.get("spec")):
            self._unindex(key, old, old_ip)
        if event != "DELETED" and ip:
            self._index(key, pod, ip)

    def _index(self, key, pod: dict, ip: str) -> None:
        spec = pod.get("spec") or {}
        node = spec.get("nodeName") or ""
        if spec.get("hostNetwork"):
            self._host_pods.setdefault(node, {})[key] = None
            return
        self._ip_pods.setdefault(ip, {})[key] = None
        for c in spec.get("containers") or ():
            for p in c.get("ports") or ():
                if p.get("hostPort"):
                    self._host_ports[(node, int(p["hostPort"]))] = (key, int(p["containerPort"]))

    def _unindex(self, key, pod: dict, ip: str | None) -> None:
        spec = pod.get("spec") or {}
        node = spec.get("nodeName") or ""
        if spec.get("hostNetwork"):
            self._host_pods.get(node, {}).pop(key, None)
            return
        if ip:
            keys = self._ip_pods.get(ip)
            if keys is not None:
                keys.pop(key, None)
                if not keys:
                    del self._ip_pods[ip]
        for c in spec.get("containers") or ():
            for p in c.get("ports") or ():
                hp = p.get("hostPort")
                if hp and self._host_ports.get((node, int(hp)), (None,))[0] == key:
                    del self._host_ports[(node, int(hp))]

    # nodes -------------------------------------------------------------------------------------
    def node_up(self, node: str) -> bool:
        kubelet = self.cluster.kubelets.get(node) if hasattr(self.cluster, "kubelets") else None
        if kubelet is None:
            return node in self.node_names and not self.cluster.kubelets
        return bool(getattr(kubelet, "running", True))

    def _node_addr(self, node: str, offset: int) -> str:
        addrs = self._node_addrs.get(node)
        if addrs is None:
            return self.node_names.get(node, "")
        return addrs[offset]

    def cni0_ip(self, node: str) -> str:
        """The node's bridge address (10.244.N.1): the source of node traffic to its own pods."""
        return self._node_addr(node, 1)

    def flannel_ip(self, node: str) -> str:
        """The node's flannel.1 address (10.244.N.0): the source of its traffic to other nodes' pods."""
        return self._node_addr(node, 0)

    def _node_source(self, from_node: str, to_node: str) -> str:
        return self.cni0_ip(from_node) if from_node == to_node else self.flannel_ip(from_node)

    def _cidr_node(self, ip: str) -> str | None:
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for node, cidr in self.node_cidrs.items():
            if addr in ipaddress.ip_network(cidr, strict=False):
                return node
        return None

    # pods -------------------------------------------------------------------------------------
    def pod_at(self, ip: str) -> dict | None:
        """The pod that holds `ip` now (its sandbox is up with that address), or None."""
        for key in self._ip_pods.get(ip, ()):
            pod = self.store.get("Pod", key[0], key[1])
            if pod is not None and self._holds(pod, key, ip):
                return pod
        return None

    def _holds(self, pod: dict, key, ip: str) -> bool:
        node = (pod.get("spec") or {}).get("nodeName") or ""
        kubelet = self.cluster.kubelets.get(node)
        if kubelet is None:
            return (pod.get("status") or {}).get("phase") == "Running"
        w = getattr(kubelet, "pods", {}).get(key)
        if w is None:
            return False
        if getattr(w, "sandbox", True) is None:
            return False
        return getattr(w, "pod_ip", ip) == ip

    def _listener(self, pod: dict, port: int) -> Any:
        meta, spec = pod["metadata"], pod.get("spec") or {}
        kubelet = self.cluster.kubelets.get(spec.get("nodeName") or "")
        if kubelet is None:
            return None
        fn = getattr(kubelet, "container_process", None)
        if fn is None:
            return None
        ns, name = meta.get("namespace", ""), meta["name"]
        for c in spec.get("containers") or ():
            proc = fn(ns, name, c.get("name"))
            if _listens(proc, port):
                return proc
        return None

    # the data path ------------------------------------------------------------------------------
    def connect(self, client: Client, ip: str, port: int) -> Endpoint:
        """A TCP connection from `client` to ip:port; raises ConnectionRefused, HostUnreachable
        or Timeout as the real network would. Every attempt is recorded in `requests`."""
        rec = _Attempt(client, ip, port)
        try:
            conn = self._connect(client, ip, int(port), rec)
        except NetError as e:
            rec.error = _error_text(e)
            self._record(rec)
            raise
        self._record(rec)
        return conn

    def _record(self, rec: "_Attempt") -> None:
        if not self.record:
            return
        self.requests.append(Request(self.clock.now, rec.client.name, rec.client.ip, rec.via,
                                     f"{rec.ip}:{rec.port}", rec.service, rec.pod, rec.node,
                                     rec.target_port, not rec.error, rec.error))
        if len(self.requests) > 2 * MAX_REQUESTS:
            del self.requests[:-MAX_REQUESTS]

    def _connect(self, client: Client, ip: str, port: int, rec: "_Attempt") -> Endpoint:
        # the client's own addresses
        if client.kind == "node" and (ip.startswith("127.") or ip == client.ip):
            # a node's own addresses: its node ports (kube-proxy allows localhost node ports too),
            # host ports, then what listens on the host
            return self._to_node(client, client.node, ip, port, rec)
        if ip.startswith("127.") or (client.kind == "pod" and ip == client.ip):
            rec.via = "localhost"
            return self._local(client, ip, port, rec)
        if client.kind == "laptop":
            return self._from_outside(client, ip, port, rec)
        sp = self.proxy.cluster_ip_port(ip, port)
        if sp is not None:
            rec.via = "ClusterIP"
            local = client.node if sp.internal_local else None
            return self._via_service(client, sp, rec, entry_node=None, local_node=local)
        if ip in self.proxy.service_ips:
            rec.via, rec.service = "ClusterIP", "/".join(self.proxy.service_ips[ip])
            raise Timeout(ip, port)
        node = self.node_ips.get(ip)
        if node is not None:
            return self._to_node(client, node, ip, port, rec)
        sp = self.proxy.external(ip, port)
        if sp is not None:
            return self._via_external(client, sp, ip, rec)
        if ip in self.proxy.external_ips:
            rec.via = "ExternalIP"
            raise ConnectionRefused(ip, port)
        rec.via = "PodIP"
        src = client.ip
        pod = self.pod_at(ip)
        if pod is not None and client.kind == "node":
            src = self._node_source(client.node, (pod.get("spec") or {}).get("nodeName") or "")
        return self._to_pod(ip, port, src, rec, pod=pod)

    def _local(self, client: Client, ip: str, port: int, rec: "_Attempt") -> Endpoint:
        rec.target_port = port
        if client.kind == "pod":
            ns, _, name = client.name.partition("/")
            pod = self.store.get("Pod", ns, name)
            rec.pod, rec.node = client.name, client.node
            proc = self._listener(pod, port) if pod is not None else None
            if proc is None:
                raise ConnectionRefused(ip, port)
            return Endpoint(proc, ip if not ip.startswith("127.") else "127.0.0.1", port,
                            "127.0.0.1" if ip.startswith("127.") else client.ip)
        raise ConnectionRefused(ip, port)

    def _from_outside(self, client: Client, ip: str, port: int, rec: "_Attempt") -> Endpoint:
        if ip.startswith("127.") or ip == client.ip:
            rec.via = "localhost"
            raise ConnectionRefused(ip, port)          # nothing of the cluster runs on the laptop
        node = self.node_ips.get(ip)
        if node is not None:
            return self._to_node(client, node, ip, port, rec)
        if ip in self.proxy.lb_ips:
            # the load balancer announces its IP and hands the traffic to a node
            sp = self.proxy.external(ip, port)
            if sp is not None:
                return self._via_external(client, sp, ip, rec)
            rec.via, rec.service = "LoadBalancer", "/".join(self.proxy.lb_ips[ip])
            raise ConnectionRefused(ip, port)
        # externalIPs only work for traffic something routes to a node: nobody answers for them
        if ip in self.proxy.external_ips:
            rec.via, rec.service = "ExternalIP", "/".join(self.proxy.external_ips[ip])
        elif ip in self.proxy.service_ips:
            rec.via, rec.service = "ClusterIP", "/".join(self.proxy.service_ips[ip])
        else:
            rec.via = "PodIP" if self._cidr_node(ip) else "NodeIP"
        try:
            in_lan = ipaddress.ip_address(ip) in self.lan
        except ValueError:
            in_lan = False
        if in_lan:
            raise HostUnreachable(ip, port)
        raise Timeout(ip, port)

    def _to_node(self, client: Client, node: str, ip: str, port: int, rec: "_Attempt") -> Endpoint:
        rec.node = node
        if not self.node_up(node):
            rec.via = "NodeIP"
            if client.kind == "pod":
                raise Timeout(ip, port)
            raise HostUnreachable(ip, port)
        sp = self.proxy.node_port(port)
        if sp is not None:
            rec.via = "NodePort"
            local = node if sp.external_local else None
            return self._via_service(client, sp, rec, entry_node=node, local_node=local)
        hp = self._host_ports.get((node, port))
        if hp is not None:
            rec.via = "HostPort"
            key, cport = hp
            pod = self.store.get("Pod", key[0], key[1])
            pod_ip = ((pod or {}).get("status") or {}).get("podIP") or ""
            if pod is not None and pod_ip:
                return self._to_pod(pod_ip, cport, self.cni0_ip(node), rec, pod=pod)
        rec.via = "NodeIP"
        src = client.ip
        return self._host_listener(node, ip, port, src, rec)

    def _host_listener(self, node: str, ip: str, port: int, src: str, rec: "_Attempt") -> Endpoint:
        rec.target_port = port
        for key in self._host_pods.get(node, ()):
            pod = self.store.get("Pod", key[0], key[1])
            if pod is None:
                continue
            proc = self._listener(pod, port)
            if proc is not None:
                rec.pod = f"{key[0]}/{key[1]}"
                return Endpoint(proc, ip, port, src)
        raise ConnectionRefused(ip, port)

    def _via_external(self, client: Client, sp: ServicePort, ip: str, rec: "_Attempt") -> Endpoint:
        svc = self.store.get("Service", sp.namespace, sp.service) or {}
        external_ips = (svc.get("spec") or {}).get("externalIPs") or ()
        rec.via = "ExternalIP" if ip in external_ips else "LoadBalancer"
        # from inside, the client's own node DNATs; from outside, the node the LB picked
        entry = client.node if client.kind != "laptop" else self._lb_node()
        if entry is None:
            rec.service = sp.label
            raise Timeout(ip, sp.port)
        rec.node = entry
        local = entry if sp.external_local else None
        return self._via_service(client, sp, rec, entry_node=entry, local_node=local)

    def _lb_node(self) -> str | None:
        """The node the load balancer sends traffic to: the first node that is up, leaving out
        those labelled node.kubernetes.io/exclude-from-external-load-balancers (kubeadm's
        control plane)."""
        fallback = None
        for name in sorted(self.node_names):
            if not self.node_up(name):
                continue
            node = self.store.get("Node", "", name)
            labels = ((node or {}).get("metadata") or {}).get("labels") or {}
            if "node.kubernetes.io/exclude-from-external-load-balancers" in labels:
                fallback = fallback or name
                continue
            return name
        return fallback

    def _via_service(self, client: Client, sp: ServicePort, rec: "_Attempt",
                     entry_node: str | None, local_node: str | None) -> Endpoint:
        rec.service = sp.label
        backend = self.proxy.pick(sp, client.ip, local_node)
        addr_ip = rec.ip
        if backend is None:
            if local_node is not None and self.proxy.backends(sp):
                raise Timeout(addr_ip, rec.port)     # Local policy, none here: dropped
            raise ConnectionRefused(addr_ip, rec.port)
        rec.pod = f"{backend.namespace}/{backend.pod}" if backend.pod else ""
        rec.node = backend.node
        # the source address the endpoint sees
        if entry_node is not None:
            if local_node is not None:
                src = client.ip                         # Local policy keeps the client's IP
            else:
                src = self._node_source(entry_node, backend.node)
        elif client.kind == "node":
            src = self._node_source(client.node, backend.node)
        elif backend.ip == client.ip:
            src = self.cni0_ip(client.node)             # hairpin: masqueraded on the bridge
        else:
            src = client.ip
        return self._to_pod(backend.ip, backend.port, src, rec)

    def _to_pod(self, ip: str, port: int, src: str, rec: "_Attempt", pod: dict | None = None
                ) -> Endpoint:
        rec.target_port = port
        if pod is None:
            pod = self.pod_at(ip)
        if pod is None:
            node = self._cidr_node(ip)
            if node is not None and self.node_up(node):
                rec.node = rec.node or node
                raise HostUnreachable(ip, port)
            raise Timeout(ip, port)
        meta, spec = pod["metadata"], pod.get("spec") or {}
        node = spec.get("nodeName") or ""
        rec.pod = f"{meta.get('namespace', '')}/{meta['name']}"
        rec.node = node
        if not self.node_up(node):
            raise Timeout(ip, port)
        proc = self._listener(pod, port)
        if proc is None:
            raise ConnectionRefused(ip, port)
        return Endpoint(proc, ip, port, src)

    # ICMP --------------------------------------------------------------------------------------
    def ping(self, client: Client, ip: str) -> bool:
        """Whether an echo request gets a reply (a ClusterIP never answers one)."""
        if ip.startswith("127.") or ip == client.ip:
            return True
        if ip in self.proxy.service_ips:
            return False
        node = self.node_ips.get(ip)
        if node is not None:
            return self.node_up(node)
        if client.kind == "laptop":
            return False
        pod = self.pod_at(ip)
        if pod is None:
            return False
        return self.node_up((pod.get("spec") or {}).get("nodeName") or "")

    # DNS -------------------------------------------------------------------------------------
    def dns_query(self, client: Client, server: str, name: str) -> DnsAnswer | None:
        """Ask the DNS server at `server` for `name` (absolute); None is NXDOMAIN; DnsTimeout
        when the server does not answer (CoreDNS has no ready pod, or is unreachable)."""
        kind = self._dns_server(client, server)
        if kind is None:
            raise DnsTimeout(server)
        if kind == "upstream":
            ips = self.dns.upstream.get(name.rstrip(".").lower())
            if ips is None:
                return None
            return DnsAnswer(name.rstrip("."), list(ips), authoritative=False, server=server)
        ans = self.dns.query(name)
        if ans is not None:
            ans.server = server
        return ans

    def dns_reachable(self, client: Client, server: str) -> bool:
        """Whether a query to `server` gets an answer at all."""
        return self._dns_server(client, server) is not None

    def _dns_server(self, client: Client, server: str) -> str | None:
        """"cluster" (CoreDNS answers), "upstream" (the nodes' resolver) or None (no answer)."""
        if server == self.host_resolv.nameserver:
            return "upstream"
        if client.kind == "laptop":
            return None
        sp = self.proxy.cluster_ip_port(server, 53, "UDP")
        if sp is not None:
            backends = self.proxy.backends(sp)
            if sp.internal_local:
                backends = [b for b in backends if b.node == client.node]
            return "cluster" if any(self.node_up(b.node) for b in backends) else None
        pod = self.pod_at(server)
        if pod is None:
            return None
        labels = pod["metadata"].get("labels") or {}
        running = (pod.get("status") or {}).get("phase") == "Running"
        if labels.get("k8s-app") == "kube-dns" and running and \
                self.node_up((pod.get("spec") or {}).get("nodeName") or ""):
            return "cluster"
        return None

    # what a container sees -------------------------------------------------------------------------
    def resolv_conf(self, pod: dict) -> tuple[str, ResolvConf]:
        """The pod's /etc/resolv.conf text and its parsed form."""
        spec = pod.get("spec") or {}
        ns = (pod.get("metadata") or {}).get("namespace") or "default"
        simple = not spec.get("dnsConfig") and (spec.get("dnsPolicy") in (None, "ClusterFirst")) \
            and not spec.get("hostNetwork")
        if simple:
            cached = self._resolv_cache.get(ns)
            if cached is not None:
                return cached
        conf = pod_dns_config(pod, self.host_resolv, [self._cluster_dns()])
        out = (conf.text(self.runtime), conf)
        if simple:
            self._resolv_cache[ns] = out
        return out

    def _cluster_dns(self) -> str:
        svc = self.store.get("Service", "kube-system", "kube-dns")
        ip = ((svc or {}).get("spec") or {}).get("clusterIP")
        return ip if ip and ip != "None" else CLUSTER_DNS

    def sandbox(self, ctx: Any) -> Sandbox:
        """The sandbox of a container the kubelet starts: hostname, env, /etc files, network."""
        pod = getattr(ctx, "pod", None) or {}
        meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
        ns = meta.get("namespace") or "default"
        node = getattr(ctx, "node", "") or spec.get("nodeName") or ""
        host_network = bool(spec.get("hostNetwork"))
        ip = getattr(ctx, "pod_ip", "") or (self.node_names.get(node, "") if host_network else "")
        hostname = getattr(ctx, "hostname", "") or meta.get("name", "")
        resolv_text, resolv = self.resolv_conf(pod)
        hosts = hosts_file(pod, [ip] if ip else [],
                           node_hosts=NODE_HOSTS.format(name=node) if host_network else "")
        if host_network:
            client = Client("node", ip, node, node)
        else:
            client = Client("pod", ip, f"{ns}/{meta.get('name', '')}", node)
        net = PodNet(self, client, hosts, resolv)
        env = getattr(ctx, "env", None)
        files = {"/etc/hosts": hosts, "/etc/resolv.conf": resolv_text,
                 "/etc/hostname": hostname + "\n"}
        return Sandbox(hostname=hostname, ip=ip, net=net, env=dict(env or {}), files=files,
                       kernel=getattr(ctx, "kernel", "") or "")

    def pod_sandbox(self, namespace: str, name: str) -> Sandbox | None:
        """A sandbox for a pod by name (as `kubectl exec` into its first container would see it)."""
        pod = self.store.get("Pod", namespace, name)
        if pod is None:
            return None
        node = (pod.get("spec") or {}).get("nodeName") or ""
        ctx = _PodCtx(pod, node, ((pod.get("status") or {}).get("podIP") or ""))
        return self.sandbox(ctx)

    def node_net(self, node: str) -> "PodNet":
        """The network as a node (or a hostNetwork pod on it) sees it."""
        ip = self.node_names.get(node, "")
        conf = ResolvConf(list(self.host_resolv.nameservers), [], [])
        return PodNet(self, Client("node", ip, node, node), NODE_HOSTS.format(name=node), conf)

    # reading the records ------------------------------------------------------------------------
    def requests_to(self, service: str | None = None, since: float = 0.0) -> list[Request]:
        """The recorded requests (through the Service `ns/name`, when given) since a time."""
        out = []
        for r in reversed(self.requests):
            if r.time < since:
                break
            if service is None or r.service.split(":", 1)[0] == service:
                out.append(r)
        out.reverse()
        return out

    def __repr__(self) -> str:
        return (f"<PodNetwork pods={sum(len(v) for v in self._ip_pods.values())} "
                f"services={len(self.proxy._ports)} requests={len(self.requests)}>")


class _Attempt:
    __slots__ = ("client", "ip", "port", "via", "service", "pod", "node", "target_port", "error")

    def __init__(self, client: Client, ip: str, port: int):
        self.client, self.ip, self.port = client, ip, port
        self.via = ""
        self.service = ""
        self.pod = ""
        self.node = ""
        self.target_port = port
        self.error = ""


class _PodCtx:
    """The few ContainerContext fields `PodNetwork.sandbox` reads, for a pod looked up by name."""

    def __init__(self, pod: dict, node: str, pod_ip: str):
        spec = pod.get("spec") or {}
        self.pod = pod
        self.node = node
        self.pod_ip = pod_ip
        self.hostname = node if spec.get("hostNetwork") else \
            (spec.get("hostname") or pod["metadata"]["name"])
        self.env = {}
        self.kernel = ""


class PodNet:
    """The network as one pod (or node) sees it: implements k8scourse.apps.net.Network."""

    def __init__(self, network: PodNetwork, client: Client, hosts: str, resolv: ResolvConf):
        self.network = network
        self.client = client
        self.hosts = hosts
        self.resolv = resolv

    def resolve(self, name: str) -> str | None:
        """getaddrinfo(): /etc/hosts, then DNS through the search list (None: no address)."""
        from k8scourse.apps.net import hosts_lookup
        from k8scourse.dns.resolver import search_candidates

        if is_ip(name):
            return name
        ip = hosts_lookup(self.hosts, name)
        if ip is not None:
            return ip
        server = self.resolv.nameserver
        if not server:
            return None
        for candidate in search_candidates(name, self.resolv.searches, self.resolv.ndots):
            try:
                ans = self.network.dns_query(self.client, server, candidate)
            except DnsTimeout:
                return None
            if ans is not None and ans.ips:
                return ans.ips[0]
        return None

    def lookup(self, name: str) -> DnsAnswer | None:
        """One DNS query for exactly `name` (what nslookup sends per search candidate)."""
        server = self.resolv.nameserver
        if not server:
            return None
        try:
            return self.network.dns_query(self.client, server, name)
        except DnsTimeout:
            return None

    def dns_reachable(self) -> bool:
        server = self.resolv.nameserver
        return bool(server) and self.network.dns_reachable(self.client, server)

    def connect(self, ip: str, port: int) -> Endpoint:
        return self.network.connect(self.client, ip, port)

    def ping(self, ip: str) -> bool:
        return self.network.ping(self.client, ip)

    def __repr__(self) -> str:
        return f"<PodNet {self.client.name} {self.client.ip}>"


def _register_exec_tools() -> None:
    """Teach the kubelet's shell the network tools (see k8scourse.network.tools)."""
    from k8scourse.network import tools

    tools.register()
