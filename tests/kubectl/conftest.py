"""Fixtures for the kubectl tests: a bare API server (always) and a whole cluster (when it imports)."""

from __future__ import annotations

import pytest

from k8scourse.kubectl.main import INTERNAL_ERROR


class BareCluster:
    """What kubectl needs from a Cluster, with the real API server, clock and randomness only."""

    def __init__(self, flavour: str = "kubeadm"):
        from k8scourse.apiserver.server import APIServer
        from k8scourse.cluster import ClusterConfig, NodeConfig
        from k8scourse.sim.clock import Clock
        from k8scourse.sim.rand import Rand
        from k8scourse.sim.trace import Trace

        if flavour == "minikube":
            self.config = ClusterConfig(name="minikube", flavour="minikube",
                                        nodes=[NodeConfig("minikube", "192.168.49.2", True)],
                                        api_server_url="https://192.168.49.2:8443")
        else:
            self.config = ClusterConfig(nodes=[NodeConfig("controlplane", "192.168.56.10", True),
                                               NodeConfig("node01", "192.168.56.11")])
        self.clock = Clock()
        self.rand = Rand(0)
        self.trace = Trace(self.clock)
        self.api = APIServer(self.clock, self.rand, service_cidr=self.config.service_cidr)
        self.kubelets: dict = {}
        self.kubeconfig = {"namespace": "default", "context": self.config.name}

    def kubectl(self, command, *, stdin=None, cwd=None):
        from k8scourse.kubectl import run

        result = run(self, command, stdin=stdin, cwd=cwd)
        assert INTERNAL_ERROR not in result.stderr, result.stderr
        return result


@pytest.fixture
def bare():
    return BareCluster()


def full_cluster(kind: str = "kubeadm", **kw):
    """A whole Cluster, or skip the test while the other components are not there yet."""
    try:
        from k8scourse.cluster import Cluster

        c = Cluster.minikube(**kw) if kind == "minikube" else Cluster.kubeadm(**kw)
    except ImportError as e:  # the scheduler/controllers/kubelet land later
        pytest.skip(f"the whole cluster is not available yet: {e}")
    original = c.kubectl

    def kubectl(command, **kwargs):
        result = original(command, **kwargs)
        assert INTERNAL_ERROR not in result.stderr, result.stderr
        return result

    c.kubectl = kubectl
    return c


@pytest.fixture
def cluster():
    return full_cluster("kubeadm")


@pytest.fixture
def minikube():
    return full_cluster("minikube")
