"""CoreDNS as kubeadm configures it: the `kubernetes` plugin answers cluster.local, `forward`
sends everything else to the node's resolver.

The kubernetes plugin (github.com/coredns/coredns plugin/kubernetes), for A queries:

    <svc>.<ns>.svc.cluster.local          the ClusterIP; a headless Service: the IPs of its ready
                                          endpoints (NXDOMAIN when it has none); ExternalName: a
                                          CNAME to spec.externalName
    <host>.<svc>.<ns>.svc.cluster.local   one endpoint of a headless Service, by its hostname
                                          (or its IP with dashes when it has none)
    <a-b-c-d>.<ns>.pod.cluster.local      a.b.c.d (`pods insecure`: the IP is not checked)
    <ns>.svc.cluster.local, cluster.local ... names that exist but hold no A record: NODATA

A Service or namespace that does not exist is NXDOMAIN. The `loadbalance` plugin rotates the
order of several A records from one answer to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from k8scourse.apps.net import DnsAnswer
from k8scourse.dns.resolver import CLUSTER_DNS, CLUSTER_DOMAIN


@dataclass
class CnameAnswer(DnsAnswer):
    """An answer that is an alias: `<name> canonical name = <cname>` (ExternalName Services)."""

    cname: str = ""


def dashed(ip: str) -> str:
    return ip.replace(".", "-")


def _undashed(label: str) -> str | None:
    parts = label.split("-")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        return None
    return ".".join(str(int(p)) for p in parts)


class CoreDNS:
    """The answers of the cluster's DNS server (what any CoreDNS replica says: they share the API)."""

    def __init__(self, store, domain: str = CLUSTER_DOMAIN, server: str = CLUSTER_DNS):
        self.store = store
        self.domain = domain
        self.server = server
        #: names the upstream resolver knows (the course's cluster has no internet by default)
        self.upstream: dict[str, list[str]] = {}
        self._rotation = 0

    # -------------------------------------------------------------------------------------
    def query(self, name: str) -> DnsAnswer | None:
        """The answer to an A query for `name` (absolute, with or without the final dot);
        None is NXDOMAIN, an answer without addresses is NODATA."""
        name = name.rstrip(".").lower()
        domain = self.domain
        if name == domain:
            return self._nodata(name)
        if not name.endswith("." + domain):
            ips = self.upstream.get(name)
            if ips is None:
                return None
            return DnsAnswer(name, list(ips), authoritative=False, server=self.server)
        labels = name[: -len(domain) - 1].split(".")
        kind = labels[-1]
        rest = labels[:-1]
        if kind == "svc":
            return self._svc(name, rest)
        if kind == "pod":
            return self._pod(name, rest)
        return None

    def _nodata(self, name: str) -> DnsAnswer:
        return DnsAnswer(name, [], authoritative=True, server=self.server)

    def _answer(self, name: str, ips: list[str]) -> DnsAnswer:
        if len(ips) > 1:
            self._rotation += 1
            k = self._rotation % len(ips)
            ips = ips[k:] + ips[:k]
        return DnsAnswer(name, ips, authoritative=True, server=self.server)

    def _namespace_exists(self, ns: str) -> bool:
        return self.store.get("Namespace", "", ns) is not None

    def _svc(self, name: str, rest: list[str]) -> DnsAnswer | None:
        if not rest:
            return self._nodata(name)                     # svc.cluster.local
        ns = rest[-1]
        if not self._namespace_exists(ns):
            return None
        if len(rest) == 1:
            return self._nodata(name)                     # <ns>.svc.cluster.local
        svc = self.store.get("Service", ns, rest[-2])
        if svc is None:
            return None
        spec = svc.get("spec") or {}
        if len(rest) == 2:
            if spec.get("type") == "ExternalName":
                return CnameAnswer(name, [], authoritative=True, server=self.server,
                                   cname=str(spec.get("externalName") or ""))
            ip = spec.get("clusterIP")
            if ip and ip != "None":
                return self._answer(name, [ip])
            ips = [ip for ip, _ in self._endpoint_addresses(ns, rest[-2])]
            return self._answer(name, ips) if ips else None
        if len(rest) == 3:
            host = rest[0]
            ips = [ip for ip, h in self._endpoint_addresses(ns, rest[-2]) if h == host]
            return self._answer(name, ips) if ips else None
        if len(rest) == 4 and rest[0].startswith("_") and rest[1].startswith("_"):
            return self._nodata(name)                     # an SRV name asked for an A record
        return None

    def _endpoint_addresses(self, ns: str, svc: str) -> list[tuple[str, str]]:
        """(ip, hostname) of the ready addresses of a Service's Endpoints, without repeats."""
        ep = self.store.get("Endpoints", ns, svc)
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for subset in (ep or {}).get("subsets") or ():
            for addr in subset.get("addresses") or ():
                ip = addr.get("ip", "")
                if ip and ip not in seen:
                    seen.add(ip)
                    out.append((ip, addr.get("hostname") or dashed(ip)))
        return out

    def _pod(self, name: str, rest: list[str]) -> DnsAnswer | None:
        if not rest:
            return self._nodata(name)
        ns = rest[-1]
        if not self._namespace_exists(ns):
            return None
        if len(rest) == 1:
            return self._nodata(name)
        if len(rest) == 2:
            ip = _undashed(rest[0])
            if ip is not None:
                return self._answer(name, [ip])
        return None
