"""A small cluster for kubelet tests: the real API server and one kubelet per node, nothing else.

No scheduler and no controllers: a test creates a bare pod with `api.create` and binds it by hand
(`api.write` with spec.nodeName), as the scheduler would.
"""

from __future__ import annotations

import pytest

from k8scourse.cluster import ClusterConfig, NodeConfig
from k8scourse.kubelet import Kubelet
from tests.support.harness import SimHarness


class NodeHarness(SimHarness):
    """The API server and the kubelets of `nodes`; the pod network is installed (`cni=True`)."""

    def __init__(self, nodes=("node01",), *, flavour: str = "kubeadm", seed: int = 0,
                 cni: bool = True, runtime: str = "containerd://1.7.24",
                 images: list[str] | None = None):
        self.config = ClusterConfig(
            flavour=flavour,
            nodes=[NodeConfig(n, f"192.168.56.{11 + i}", container_runtime=runtime)
                   for i, n in enumerate(nodes)])
        self.start_sim(seed, service_cidr=self.config.service_cidr)
        for nc in self.config.nodes:
            self.kubelets[nc.name] = Kubelet(self, nc, images=images)
            if cni:
                self.kubelets[nc.name].cni_ready = True

    # driving ----------------------------------------------------------------------------------
    def run_until(self, pred, timeout: float = 600.0, step: float = 0.1) -> bool:
        end = self.clock.now + timeout
        while self.clock.now < end:
            if pred():
                return True
            self.advance(step)
        return pred()

    # pods -------------------------------------------------------------------------------------
    def create_pod(self, name: str, image: str, node: str | None = "node01", *,
                   namespace: str = "default", containers: list[dict] | None = None,
                   pod_spec: dict | None = None, **container) -> dict:
        """Create a one-container pod (or `containers=[...]`) and bind it to `node`."""
        c = {"name": name, "image": image}
        c.update(container)
        spec = {"containers": containers if containers is not None else [c]}
        spec.update(pod_spec or {})
        self.api.create({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": name, "namespace": namespace}, "spec": spec})
        if node:
            self.bind(name, node, namespace)
        return self.pod(name, namespace)

    def bind(self, name: str, node: str, namespace: str = "default") -> None:
        old = self.api.get_or_none("Pod", namespace, name)
        new = dict(old)
        new["metadata"] = dict(old["metadata"])
        new["spec"] = dict(old["spec"], nodeName=node)
        self.api.write(new, actor="default-scheduler")

    def pod(self, name: str, namespace: str = "default") -> dict | None:
        return self.api.get_or_none("Pod", namespace, name)

    def state(self, name: str, namespace: str = "default", index: int = 0) -> dict:
        """containerStatuses[index].state of the pod ({} before the kubelet reported it)."""
        statuses = (self.pod(name, namespace).get("status") or {}).get("containerStatuses")
        return statuses[index]["state"] if statuses else {}

    def reason(self, name: str, namespace: str = "default") -> str:
        """The container's waiting or terminated reason, or "Running"."""
        st = self.state(name, namespace)
        if "running" in st:
            return "Running"
        return next(iter(st.values())).get("reason", "") if st else ""

    def events(self, name: str | None = None) -> list[tuple[str, str, str]]:
        """(type, reason, message) of the events about `name`, oldest first."""
        evs = sorted(self.api.store.list("Event", None),
                     key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
        return [(e["type"], e["reason"], e["message"]) for e in evs
                if name is None or e["involvedObject"]["name"] == name]

    def logs(self, name: str, node: str = "node01", **kw) -> str:
        return self.kubelets[node].logs("default", name, **kw)


@pytest.fixture
def node():
    """One node, node01, with its pod network ready."""
    return NodeHarness()


@pytest.fixture
def harness():
    return NodeHarness
