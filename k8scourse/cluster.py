"""A whole cluster in one process: wires the components as the cmd/kube-* binaries do.

    cluster = Cluster.kubeadm(workers=2, seed=1)
    cluster.kubectl("create deployment web --image=nginx --replicas=3")
    cluster.settle()                      # run simulated time until nothing is left to do
    [p.name for p in cluster.pods()]      # ['web-7c5ddbdf54-2xqzr', ...]

Time is simulated. Every kubectl command takes `step` simulated seconds (the time a person needs to
type the next one), so a pod created by one command shows ContainerCreating in the next, and Running
a few commands later, as on a real cluster. Code and graders move time exactly with `advance`,
`run` and `settle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from k8scourse.api import kinds
from k8scourse.apiserver.server import APIServer
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand
from k8scourse.sim.trace import Trace

KUBERNETES_VERSION = "v1.32.5"


@dataclass
class NodeConfig:
    """What a node is made of: a machine and how it joined the cluster."""

    name: str
    ip: str
    control_plane: bool = False
    taints: list[dict] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    cpu: str = "2"
    memory: str = "4Gi"
    pods: int = 110
    os_image: str = "Ubuntu 22.04.5 LTS"
    kernel: str = "5.15.0-126-generic"
    container_runtime: str = "containerd://1.7.24"


@dataclass
class ClusterConfig:
    """The shape of a cluster: its nodes and how it was set up."""

    name: str = "kubernetes"
    flavour: str = "kubeadm"            # "kubeadm" or "minikube"
    nodes: list[NodeConfig] = field(default_factory=list)
    api_server_url: str = "https://192.168.56.10:6443"
    pod_cidr: str = "10.244.0.0/16"
    service_cidr: str = "10.96.0.0/12"
    #: the pod-network add-on already installed ("flannel"), or None: nodes stay NotReady until one is applied
    network: str | None = "flannel"
    #: whether LoadBalancer Services get an external IP (a simulated cloud)
    cloud_load_balancer: bool = False


CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


@dataclass
class KubectlResult:
    """What a kubectl command printed and how it ended (as click's CliRunner gives it)."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """stdout followed by stderr, as a terminal shows them."""
        return self.stdout + self.stderr

    def __str__(self) -> str:
        return self.output

    def _repr_pretty_(self, p, cycle):  # IPython shows what a terminal would
        p.text(self.output.rstrip("\n"))


class Cluster:
    """An in-process Kubernetes cluster driven by kubectl commands, deterministic under `seed`."""

    def __init__(self, config: ClusterConfig | None = None, *, seed: int = 0, step: float = 1.0):
        from k8scourse.bootstrap import boot
        from k8scourse.controllers.daemonset import DaemonSetController
        from k8scourse.controllers.deployment import DeploymentController
        from k8scourse.controllers.endpoints import EndpointsController
        from k8scourse.controllers.garbagecollector import GarbageCollector
        from k8scourse.controllers.namespace import NamespaceController
        from k8scourse.controllers.nodelifecycle import NodeLifecycleController
        from k8scourse.controllers.podgc import PodGCController
        from k8scourse.controllers.replicaset import (ReplicaSetController,
                                                      ReplicationManager)
        from k8scourse.network import PodNetwork
        from k8scourse.proxy.loadbalancer import ServiceLBController
        from k8scourse.scheduler import Scheduler

        self.config = config or ClusterConfig(nodes=[NodeConfig("node01", "192.168.56.11")])
        self.seed = seed
        self.step = step
        self.clock = Clock()
        self.rand = Rand(seed)
        self.trace = Trace(self.clock)
        self.api = APIServer(self.clock, self.rand, service_cidr=self.config.service_cidr)
        self.scheduler = Scheduler(self)
        self.controllers = {
            c.name: c for c in (
                ReplicaSetController(self), ReplicationManager(self), DeploymentController(self),
                DaemonSetController(self), EndpointsController(self), GarbageCollector(self),
                NamespaceController(self), NodeLifecycleController(self), PodGCController(self),
                ServiceLBController(self),
            )
        }
        self.kubelets: dict = {}
        #: the pod network with kube-proxy and CoreDNS: how traffic finds pods
        self.network = PodNetwork(self)
        #: kubectl's own state between commands (the current namespace of the context, ...)
        self.kubeconfig = {"namespace": "default", "context": self.config.name}
        boot(self)
        self.settle()

    # presets --------------------------------------------------------------------------------
    @classmethod
    def minikube(cls, *, seed: int = 0, step: float = 1.0) -> "Cluster":
        """One node named `minikube` that is both control plane and worker (not tainted)."""
        node = NodeConfig("minikube", "192.168.49.2", control_plane=True, cpu="2",
                          memory="3912Mi", os_image="Ubuntu 22.04.5 LTS",
                          kernel="6.8.0-1021-gcp", container_runtime="docker://27.4.1")
        config = ClusterConfig(name="minikube", flavour="minikube", nodes=[node],
                               api_server_url="https://192.168.49.2:8443")
        return cls(config, seed=seed, step=step)

    @classmethod
    def kubeadm(cls, workers: int = 2, *, seed: int = 0, step: float = 1.0,
                network: str | None = "flannel", cloud_load_balancer: bool = False) -> "Cluster":
        """A kubeadm cluster: a tainted `controlplane` and workers `node01`, `node02`, ...

        With `network=None` the cluster is as `kubeadm init` and `kubeadm join` leave it: nodes
        NotReady and CoreDNS Pending until a pod-network add-on is applied.
        """
        nodes = [NodeConfig("controlplane", "192.168.56.10", control_plane=True,
                            taints=[dict(CONTROL_PLANE_TAINT)])]
        nodes += [NodeConfig(f"node{i:02d}", f"192.168.56.{10 + i}") for i in range(1, workers + 1)]
        config = ClusterConfig(name="kubernetes", flavour="kubeadm", nodes=nodes,
                               network=network, cloud_load_balancer=cloud_load_balancer)
        return cls(config, seed=seed, step=step)

    # driving --------------------------------------------------------------------------------
    def kubectl(self, command: str | list[str], *, stdin: str | None = None,
                cwd: str | None = None) -> KubectlResult:
        """Run one kubectl command line (`"get pods -o wide"`; a leading `kubectl` is optional)."""
        from k8scourse.kubectl import run

        result = run(self, command, stdin=stdin, cwd=cwd)
        if self.step:
            self.advance(self.step)
        return result

    def curl(self, args: str | list[str]):
        """`curl` on the learner's laptop, outside the cluster (`cluster.curl("http://192.168.56.11:30008/")`).

        Node IPs and nodePorts answer; ClusterIPs and pod IPs are not reachable from outside.
        """
        from k8scourse.network.laptop import curl

        result = curl(self, args)
        if self.step:
            self.advance(self.step)
        return result

    def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass (everything due in that time happens)."""
        self.clock.run(self.clock.now + max(0.0, seconds))

    def run(self, until: float | Callable[["Cluster"], bool], *, timeout: float = 3600.0) -> bool:
        """Run simulated time until a condition holds.

        `until` is either a number, the simulated time (in seconds since the cluster started) to
        run to, or a predicate `until(cluster) -> bool` checked after each step; then time runs
        until it is true (True) or `timeout` simulated seconds have passed (False).
        """
        if not callable(until):
            self.clock.run(float(until))
            return True
        deadline = self.clock.now + timeout
        step = self.clock.step_by
        while not until(self):
            if not step(deadline):
                self.clock.run(deadline)
                return bool(until(self))
        return True

    def settle(self, timeout: float = 600.0) -> bool:
        """Run until nothing but periodic housekeeping is left to do (True), or `timeout`.

        A crash-looping pod never settles; its back-off restarts count as housekeeping, so
        `settle()` still returns once everything else is done.
        """
        deadline = self.clock.now + timeout
        clock = self.clock
        while clock.has_work():
            if not clock.step_by(deadline):
                clock.run(deadline)
                return False
        return True

    # reading --------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started."""
        return self.clock.now

    def get(self, kind: str, name: str, namespace: str = "default") -> kinds.APIObject:
        """A copy of one object (`cluster.get("Deployment", "web")`); NotFound if absent."""
        return kinds.wrap(self.api.get(kind, namespace, name))

    def list(self, kind: str, namespace: str | None = "default",
             selector: dict[str, str] | None = None) -> list[kinds.APIObject]:
        """Copies of the objects of a kind, sorted by name (`namespace=None` for all)."""
        objs = self.api.list(kind, namespace)
        if selector:
            objs = [o for o in objs if _matches(selector, o)]
        return [kinds.wrap(o) for o in objs]

    def pods(self, namespace: str | None = "default",
             selector: dict[str, str] | None = None) -> list[kinds.APIObject]:
        """The pods (of a namespace, default `default`), as copies."""
        return self.list("Pod", namespace, selector)

    def nodes(self) -> list[kinds.APIObject]:
        return self.list("Node", None)

    def events(self, namespace: str | None = "default") -> list[kinds.APIObject]:
        evs = self.list("Event", namespace)
        return sorted(evs, key=lambda e: (e.raw.get("lastTimestamp") or "", e.name))

    # disturbing -----------------------------------------------------------------------------
    def fail_node(self, name: str) -> None:
        """The machine stops: its kubelet stops reporting; after the grace period the node goes
        NotReady and its pods are evicted and replaced by their controllers elsewhere."""
        self.kubelets[name].stop()

    def restore_node(self, name: str) -> None:
        """The machine comes back and its kubelet reports again."""
        self.kubelets[name].start()

    def __repr__(self) -> str:
        return (f"<Cluster {self.config.flavour} nodes={len(self.config.nodes)} "
                f"t={self.clock.now:.1f}s seed={self.seed}>")


def _matches(selector: dict[str, str], obj: dict) -> bool:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


def iter_nodes(config: ClusterConfig) -> Iterable[NodeConfig]:
    return iter(config.nodes)
