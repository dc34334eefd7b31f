"""The learner's laptop: outside the cluster, on the same network as the nodes.

    curl(cluster, "http://192.168.56.11:30004/")        # a NodePort on node01
    curl(cluster, "-i http://192.168.56.10:30004/")     # every node, the control plane too

From the laptop (192.168.56.1 on the kubeadm VMs' host-only network, 192.168.49.1 beside
minikube's node), node IPs answer on their node ports and load-balancer IPs on their Service
ports; ClusterIPs and pod IPs are not routed outside the cluster, so those connections time out.
`curl` prints what curl 8 prints in a terminal (no progress meter): the body, or
`curl: (7) Failed to connect to 192.168.56.11 port 30004 after 0 ms: Couldn't connect to server`
with exit status 7 (refused), 28 (timed out) or 6 (a name that does not resolve).

These functions do not move simulated time: the Cluster's wrappers (`cluster.curl`) do, as
`cluster.kubectl` does.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8scourse.apps.net import (DnsAnswer, Endpoint, HttpResponse, Sandbox, hosts_lookup,
                                http_request, is_ip)

if TYPE_CHECKING:  # pragma: no cover
    from k8scourse.cluster import Cluster
    from k8scourse.network.podnet import PodNetwork

LAPTOP_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@dataclass
class CurlResult:
    """What curl printed and how it ended."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __str__(self) -> str:
        return self.output

    def _repr_pretty_(self, p, cycle):  # IPython shows what a terminal would
        p.text(self.output.rstrip("\n"))


def network_of(cluster: "Cluster") -> "PodNetwork":
    """The cluster's network (made here if the Cluster did not make one)."""
    network = getattr(cluster, "network", None)
    if network is None:
        from k8scourse.network.podnet import PodNetwork

        network = cluster.network = PodNetwork(cluster)
    return network


class LaptopNet:
    """The network as the laptop sees it (implements k8scourse.apps.net.Network)."""

    def __init__(self, network: "PodNetwork"):
        from k8scourse.network.podnet import Client

        self.network = network
        self.client = Client("laptop", network.laptop_ip, "laptop")

    def resolve(self, name: str) -> str | None:
        if is_ip(name):
            return name
        ip = hosts_lookup(LAPTOP_HOSTS, name)
        if ip is not None:
            return ip
        ans = self.lookup(name)
        return ans.ips[0] if ans and ans.ips else None

    def lookup(self, name: str) -> DnsAnswer | None:
        ips = self.network.dns.upstream.get(name.rstrip(".").lower())
        return DnsAnswer(name, list(ips), authoritative=False) if ips else None

    def connect(self, ip: str, port: int) -> Endpoint:
        return self.network.connect(self.client, ip, port)

    def ping(self, ip: str) -> bool:
        return self.network.ping(self.client, ip)


def laptop(cluster: "Cluster") -> Sandbox:
    """The laptop as a sandbox (for the exec tools: curl, wget, ...)."""
    network = network_of(cluster)
    return Sandbox(hostname="laptop", ip=network.laptop_ip, net=LaptopNet(network),
                   files={"/etc/hosts": LAPTOP_HOSTS})


def curl(cluster: "Cluster", args: str | list[str]) -> CurlResult:
    """`curl ARGS` typed in the laptop's terminal: `curl(cluster, "-s http://192.168.56.11:30004")`."""
    from k8scourse.apps.tools import exec_command

    argv = shlex.split(args) if isinstance(args, str) else list(args)
    if argv and argv[0] == "curl":
        argv = argv[1:]
    r = exec_command(["curl"] + argv, laptop(cluster), "curlimages/curl", tty=True)
    return CurlResult(r.exit_code, r.stdout, r.stderr)


def http(cluster: "Cluster", method: str, url: str, form: dict | None = None,
         cookies: dict | None = None) -> HttpResponse:
    """One request from the laptop's browser; raises k8scourse.apps.net.NetError when it fails."""
    return http_request(LaptopNet(network_of(cluster)), method, url, form=form, cookies=cookies,
                        user_agent=BROWSER)


def browser_vote(cluster: "Cluster", url: str, choice: str, voter: str | None = None
                 ) -> HttpResponse:
    """Click button `choice` ("a" or "b") on the vote page at `url`."""
    return http(cluster, "POST", url, form={"vote": choice},
                cookies={"voter_id": voter} if voter else None)


def browser_result(cluster: "Cluster", url: str) -> dict[str, Any]:
    """What the result page at `url` shows once its scripts ran: the page loads, then its
    socket.io connection brings the scores (a, b, total, aPercent, bPercent, served_by)."""
    page = http(cluster, "GET", url)
    base = url.rstrip("/")
    scores = http(cluster, "GET", base + "/socket.io/")
    a = b = 0
    if scores.status == 200:
        data = json.loads(scores.body)
        a, b = int(data.get("a", 0)), int(data.get("b", 0))
    total = a + b
    return {"status": page.status, "served_by": page.served_by, "a": a, "b": b, "total": total,
            "aPercent": (100.0 * a / total) if total else 50.0,
            "bPercent": (100.0 * b / total) if total else 50.0}
