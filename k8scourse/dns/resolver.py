"""What a pod's resolver is told: /etc/resolv.conf and /etc/hosts as the kubelet writes them, and
the order in which a resolver tries names.

* resolv.conf (pkg/kubelet/network/dns/dns.go GetPodDNS): dnsPolicy ClusterFirst (the default)
  gives the cluster DNS server (10.96.0.10) as the only nameserver, the search list
  `<ns>.svc.cluster.local svc.cluster.local cluster.local` followed by the node's own search
  domains, and `options ndots:5`. A hostNetwork pod with ClusterFirst falls back to Default (the
  node's resolv.conf); ClusterFirstWithHostNet keeps the cluster DNS; None starts empty. Then
  `spec.dnsConfig` appends nameservers and searches (duplicates dropped) and merges options.
  The container runtime writes the file: containerd as `search`, `nameserver`, `options`
  (internal/cri/server parseDNSOptions); cri-dockerd as `nameserver`, `search`, `options`.
* /etc/hosts (pkg/kubelet/kubelet_pods.go managedHostsFileContent): the localhost block, the pod's
  own IP with its hostname (`<hostname>.<subdomain>.<ns>.svc.cluster.local<TAB><hostname>` when
  the pod has a subdomain), then `spec.hostAliases`. A hostNetwork pod gets the node's file under
  the header `# Kubernetes-managed hosts file (host network).`.
* Search order (glibc and musl alike): a name ending in `.` is tried as is only; a name with at
  least `ndots` dots is tried as is first, then with each search domain; any other name with each
  search domain first and as is last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CLUSTER_DOMAIN = "cluster.local"
#: kubeadm's clusterDNS: the tenth address of the service CIDR
CLUSTER_DNS = "10.96.0.10"
DEFAULT_NDOTS = 5
#: resolv.conf limits the kubelet enforces (validation.MaxDNSNameservers, MaxDNSSearchPaths)
MAX_NAMESERVERS = 3
MAX_SEARCHES = 32

MANAGED_HOSTS_HEADER = "# Kubernetes-managed hosts file.\n"
MANAGED_HOSTS_HEADER_HOST_NETWORK = "# Kubernetes-managed hosts file (host network).\n"
HOSTS_LOCALHOST = ("127.0.0.1\tlocalhost\n"
                   "::1\tlocalhost ip6-localhost ip6-loopback\n"
                   "fe00::0\tip6-localnet\n"
                   "fe00::0\tip6-mcastprefix\n"
                   "fe00::1\tip6-allnodes\n"
                   "fe00::2\tip6-allrouters\n")


@dataclass
class ResolvConf:
    """The three things a resolver reads from /etc/resolv.conf."""

    nameservers: list[str] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)

    @property
    def ndots(self) -> int:
        """The `ndots:N` option (the resolver's default is 1)."""
        for opt in self.options:
            if opt.startswith("ndots:"):
                try:
                    return int(opt[6:])
                except ValueError:
                    return 1
        return 1

    @property
    def nameserver(self) -> str:
        return self.nameservers[0] if self.nameservers else ""

    def text(self, runtime: str = "containerd") -> str:
        """The file the container runtime writes (containerd and cri-dockerd order it differently)."""
        search = f"search {' '.join(self.searches)}\n" if self.searches else ""
        servers = "".join(f"nameserver {s}\n" for s in self.nameservers)
        options = f"options {' '.join(self.options)}\n" if self.options else ""
        if runtime.startswith("docker"):
            return servers + search + options
        return search + servers + options

    @classmethod
    def parse(cls, text: str) -> "ResolvConf":
        conf = cls()
        for line in text.splitlines():
            parts = line.split()
            if not parts or parts[0].startswith(("#", ";")):
                continue
            if parts[0] == "nameserver" and len(parts) > 1:
                conf.nameservers.append(parts[1])
            elif parts[0] in ("search", "domain"):
                conf.searches = parts[1:]
            elif parts[0] == "options":
                conf.options += parts[1:]
        return conf


def _omit_duplicates(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for s in items:
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def dns_type(pod: dict) -> str:
    """getPodDNSType: "cluster", "host" or "none" for the pod's dnsPolicy."""
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy == "None":
        return "none"
    if policy == "ClusterFirstWithHostNet":
        return "cluster"
    if policy == "ClusterFirst" and not spec.get("hostNetwork"):
        return "cluster"
    return "host"


def merge_options(existing: list[str], extra: list[dict]) -> list[str]:
    """mergeDNSOptions: options by name, later values win (sorted: Go's map order is random)."""
    opts: dict[str, str] = {}
    for op in existing:
        name, _, value = op.partition(":")
        opts[name] = value
    for op in extra or ():
        if not isinstance(op, dict) or not op.get("name"):
            continue
        value = op.get("value")
        opts[op["name"]] = "" if value is None else str(value)
    return [f"{k}:{v}" if v != "" else k for k, v in sorted(opts.items())]


def pod_dns_config(pod: dict, host: ResolvConf, cluster_dns: list[str] | None = None,
                   domain: str = CLUSTER_DOMAIN) -> ResolvConf:
    """Configurer.GetPodDNS: the resolver configuration of one pod."""
    namespace = (pod.get("metadata") or {}).get("namespace") or "default"
    kind = dns_type(pod)
    if cluster_dns is None:
        cluster_dns = [CLUSTER_DNS]
    if kind == "none":
        conf = ResolvConf()
    elif kind == "cluster" and cluster_dns:
        searches = [f"{namespace}.svc.{domain}", f"svc.{domain}", domain] + list(host.searches)
        conf = ResolvConf(list(cluster_dns), _omit_duplicates(searches), [f"ndots:{DEFAULT_NDOTS}"])
    else:
        conf = ResolvConf(list(host.nameservers), list(host.searches), list(host.options))
    extra = (pod.get("spec") or {}).get("dnsConfig")
    if isinstance(extra, dict):
        conf.nameservers = _omit_duplicates(conf.nameservers + list(extra.get("nameservers") or []))
        conf.searches = _omit_duplicates(conf.searches + list(extra.get("searches") or []))
        conf.options = merge_options(conf.options, extra.get("options") or [])
    conf.nameservers = conf.nameservers[:MAX_NAMESERVERS]
    conf.searches = conf.searches[:MAX_SEARCHES]
    return conf


def pod_hostname(pod: dict) -> tuple[str, str]:
    """GeneratePodHostNameAndDomain: (hostname, domain) of a pod; domain is "" without subdomain.

    The hostname is spec.hostname, else the pod name cut to 63 characters (without a trailing
    `-` or `.`).
    """
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    hostname = spec.get("hostname") or meta.get("name", "")
    if len(hostname) > 63:
        hostname = hostname[:63].rstrip("-.")
    domain = ""
    if spec.get("subdomain"):
        domain = f"{spec['subdomain']}.{meta.get('namespace') or 'default'}.svc.{CLUSTER_DOMAIN}"
    return hostname, domain


def host_aliases_entries(pod: dict) -> str:
    """hostsEntriesFromHostAliases."""
    aliases = (pod.get("spec") or {}).get("hostAliases") or []
    if not aliases:
        return ""
    out = "\n# Entries added by HostAliases.\n"
    for alias in aliases:
        if not isinstance(alias, dict):
            continue
        for name in alias.get("hostnames") or ():
            out += f"{alias.get('ip', '')}\t{name}\n"
    return out


def hosts_file(pod: dict, pod_ips: list[str], node_hosts: str = "") -> str:
    """The pod's /etc/hosts as the kubelet writes it."""
    if (pod.get("spec") or {}).get("hostNetwork"):
        return MANAGED_HOSTS_HEADER_HOST_NETWORK + node_hosts + host_aliases_entries(pod)
    hostname, domain = pod_hostname(pod)
    out = MANAGED_HOSTS_HEADER + HOSTS_LOCALHOST
    for ip in pod_ips:
        if domain:
            out += f"{ip}\t{hostname}.{domain}\t{hostname}\n"
        else:
            out += f"{ip}\t{hostname}\n"
    return out + host_aliases_entries(pod)


def search_candidates(name: str, searches: list[str], ndots: int) -> list[str]:
    """The names a stub resolver queries for `name`, in order (without the trailing dot)."""
    if name.endswith("."):
        return [name[:-1]]
    rel = [f"{name}.{d}" for d in searches if d and d != "."]
    if name.count(".") >= ndots:
        return [name] + rel
    return rel + [name]
