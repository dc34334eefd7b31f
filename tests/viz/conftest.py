"""Cluster states for the diagram tests.

The named states are real clusters (`k8scourse.Cluster`) driven as a learner would, with kubectl
commands and manifests:

* empty: a fresh kubeadm cluster (control plane and two workers), nothing in `default`;
* one-node: minikube with a Deployment of 2, a bare pod and a NodePort Service;
* three-nodes: kubeadm with 30 pods in `default` (two Deployments, a ReplicaSet, bare pods, one
  asking for 100 CPUs that stays Pending) and a NodePort Service;
* long-names: workers, Deployment, pod and Service with names as long as Kubernetes allows;
* voting: the course's voting app (five pods, four Services) on kubeadm.

`FakeCluster` is a small stand-in for what a real cluster never is: a cluster without any node
(its own scheduler and kubelet: the scheduler binds to the Ready, untainted node with the
fewest pods or marks the pod Unschedulable with the scheduler's FitError words; the kubelet runs
a bound pod one second later and removes a deleted one a second after).
"""

from __future__ import annotations

import os
from types import SimpleNamespace

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pytest  # noqa: E402

from k8scourse.sim.clock import KUBELET, SCHEDULER  # noqa: E402
from tests.support.harness import SimHarness  # noqa: E402

PNG_DIR = "/tmp/k8scourse-viz"
RUNTIME = {"container_runtime": "containerd://1.7.24"}


def kubectl(c, command: str, stdin: str | None = None) -> None:
    """Run a kubectl command that must succeed."""
    r = c.kubectl(command, stdin=stdin)
    assert r.exit_code == 0, f"kubectl {command}: {r.output}"


def kubeadm(workers: int = 2):
    """A real kubeadm cluster: `controlplane` and `workers` workers."""
    from k8scourse import Cluster

    return Cluster.kubeadm(workers=workers)


def finish_rollout(c, name: str, namespace: str = "default", timeout: float = 300.0) -> None:
    """Run until Deployment `name` is complete and no pod of it is terminating.

    (`settle()` alone may return while a new pod is still starting: its start is driven by
    the kubelet's periodic work.)
    """
    from k8scourse.controllers import deployment_util as du

    def done(cluster) -> bool:
        d = cluster.api.store.get("Deployment", namespace, name)
        return d is not None and du.deployment_complete(d, d.get("status") or {}) and not any(
            p["metadata"].get("deletionTimestamp")
            for p in cluster.api.store.list("Pod", namespace))

    c.settle()
    assert c.run(done, timeout=timeout), f"deployment {name} did not complete"


def apply(c, *objs: dict) -> None:
    """`kubectl create -f -` of manifests (dicts)."""
    import yaml

    kubectl(c, "create -f -", stdin=yaml.safe_dump_all(objs, sort_keys=False))


class FakeCluster(SimHarness):
    def __init__(self, nodes=(("node01", "192.168.56.11"),), seed: int = 0,
                 control_plane: bool = False):
        from k8scourse.controllers.deployment import DeploymentController
        from k8scourse.controllers.endpoints import EndpointsController
        from k8scourse.controllers.garbagecollector import GarbageCollector
        from k8scourse.controllers.replicaset import ReplicaSetController

        self.start_sim(seed)
        node_cfgs = []
        if control_plane:
            node_cfgs.append(SimpleNamespace(name="controlplane", ip="192.168.56.10",
                                             control_plane=True, **RUNTIME))
        node_cfgs += [SimpleNamespace(name=n, ip=ip, control_plane=False, **RUNTIME)
                      for n, ip in nodes]
        self.config = SimpleNamespace(name="kubernetes", flavour="kubeadm", nodes=node_cfgs,
                                      pod_cidr="10.244.0.0/16", service_cidr="10.96.0.0/12",
                                      api_server_url="https://192.168.56.10:6443")
        self._ips: dict[str, int] = {}
        self._down: set[str] = set()
        for i, cfg in enumerate(node_cfgs):
            self._add_node(cfg, i)
        self.api.store.watch("Pod", self._on_pod)
        self.controllers = {c.name: c for c in (ReplicaSetController(self),
                                                DeploymentController(self),
                                                EndpointsController(self), GarbageCollector(self))}
        self.settle()

    # nodes ----------------------------------------------------------------------------------
    def _add_node(self, cfg, index: int) -> None:
        labels = {"kubernetes.io/hostname": cfg.name, "kubernetes.io/os": "linux"}
        spec = {"podCIDR": f"10.244.{index}.0/24"}
        if cfg.control_plane:
            labels["node-role.kubernetes.io/control-plane"] = ""
            spec["taints"] = [{"key": "node-role.kubernetes.io/control-plane",
                               "effect": "NoSchedule"}]
        self.api.create({"apiVersion": "v1", "kind": "Node",
                         "metadata": {"name": cfg.name, "labels": labels}, "spec": spec},
                        actor="kubelet")
        self._set_ready(cfg.name, True, cfg.ip)

    def _set_ready(self, name: str, ready: bool, ip: str | None = None) -> None:
        node = self.api.store.get("Node", "", name)
        status = dict(node.get("status") or {})
        if ip:
            status["addresses"] = [{"type": "InternalIP", "address": ip},
                                   {"type": "Hostname", "address": name}]
            status["nodeInfo"] = {"containerRuntimeVersion": "containerd://1.7.24",
                                  "kubeletVersion": "v1.32.5"}
        status["conditions"] = [{"type": "Ready", "status": "True" if ready else "Unknown",
                                 "reason": "KubeletReady" if ready else "NodeStatusUnknown"}]
        self.api.update_status("Node", "", name, status, actor=f"kubelet/{name}")

    def fail_node(self, name: str) -> None:
        self._down.add(name)
        self._set_ready(name, False)
        for pod in list(self.api.store.pods_on_node(name)):
            m = pod["metadata"]
            self.api.delete("Pod", m["namespace"], m["name"], grace_period=0,
                            actor="node-lifecycle-controller")

    def restore_node(self, name: str) -> None:
        self._down.discard(name)
        self._set_ready(name, True)

    # scheduler and kubelet ----------------------------------------------------------------------
    def _on_pod(self, event, pod, old):
        if event == "DELETED":
            return
        m = pod["metadata"]
        key = (m["namespace"], m["name"], m["uid"])
        node = pod["spec"].get("nodeName")
        if m.get("deletionTimestamp"):
            if node and not (old or {}).get("metadata", {}).get("deletionTimestamp"):
                self.clock.call_later(1.0, lambda: self._remove(key), KUBELET)
            return
        if not node:
            if old is None:
                self.clock.call_later(0, lambda: self._schedule(key), SCHEDULER)
        elif not (old or {}).get("spec", {}).get("nodeName"):
            self.clock.call_later(1.0, lambda: self._start(key), KUBELET)

    def _live(self, key):
        ns, name, uid = key
        pod = self.api.store.get("Pod", ns, name)
        if pod is None or pod["metadata"]["uid"] != uid:
            return None
        return pod

    def _schedule(self, key):
        pod = self._live(key)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        nodes = sorted(self.api.store.iter("Node"), key=lambda n: n["metadata"]["name"])
        fits, reasons = [], {}
        for n in nodes:
            name = n["metadata"]["name"]
            taint = next((t for t in (n.get("spec") or {}).get("taints") or ()), None)
            if name in self._down:
                reason = "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"
            elif taint is not None:
                reason = f"node(s) had untolerated taint {{{taint['key']}: {taint.get('value', '')}}}"
            elif "test/too-big" in (pod["metadata"].get("labels") or {}):
                reason = "Insufficient cpu"
            else:
                fits.append(n)
                continue
            reasons[reason] = reasons.get(reason, 0) + 1
        new = dict(pod)
        new["metadata"] = dict(pod["metadata"])
        status = dict(pod.get("status") or {})
        now = self.clock.timestamp()
        if not fits:
            hist = ", ".join(sorted(f"{c} {r}" for r, c in reasons.items()))
            msg = (f"0/{len(nodes)} nodes are available: {hist}." if nodes
                   else "no nodes available to schedule pods")
            status["conditions"] = [{"type": "PodScheduled", "status": "False",
                                     "lastProbeTime": None, "lastTransitionTime": now,
                                     "reason": "Unschedulable", "message": msg}]
            self.api.update_status("Pod", key[0], key[1], status, actor="default-scheduler")
            self.trace.add("default-scheduler", f"Pod {key[1]} fits on no node")
            return
        target = min(fits, key=lambda n: (len(self.api.store.pods_on_node(n["metadata"]["name"])),
                                          n["metadata"]["name"]))
        new["spec"] = dict(pod["spec"], nodeName=target["metadata"]["name"])
        status["conditions"] = [{"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                                 "lastTransitionTime": now}]
        new["status"] = status
        self.api.write(new, actor="default-scheduler")
        self.trace.add("default-scheduler",
                       f"Pod {key[1]} fits on {len(fits)} node(s); chose {target['metadata']['name']}")

    def _start(self, key):
        pod = self._live(key)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        node = pod["spec"]["nodeName"]
        names = [c.name for c in self.config.nodes]
        index = names.index(node) if node in names else 9
        n = self._ips.get(node, 1) + 1
        self._ips[node] = n
        ip = f"10.244.{index}.{n}"
        now = self.clock.timestamp()
        labels = pod["metadata"].get("labels") or {}
        if "test/crash" in labels:
            state = {"waiting": {"reason": "CrashLoopBackOff",
                                 "message": "back-off 10s restarting failed container"}}
            ready, phase = "False", "Running"
        else:
            state, ready, phase = {"running": {"startedAt": now}}, "True", "Running"
        conditions = [{"type": t, "status": ready if t in ("Ready", "ContainersReady") else "True",
                       "lastProbeTime": None, "lastTransitionTime": now}
                      for t in ("PodReadyToStartContainers", "Initialized", "Ready",
                                "ContainersReady", "PodScheduled")]
        status = dict(pod["status"], phase=phase, conditions=conditions, podIP=ip,
                      podIPs=[{"ip": ip}], hostIP=dict(
                          (c.name, c.ip) for c in self.config.nodes).get(node, ""),
                      startTime=now,
                      containerStatuses=[{"name": c["name"], "image": c["image"],
                                          "imageID": "", "containerID": "containerd://0",
                                          "ready": ready == "True", "started": ready == "True",
                                          "restartCount": 0, "state": state}
                                         for c in pod["spec"]["containers"]])
        self.api.update_status("Pod", key[0], key[1], status, actor=f"kubelet/{node}")
        self.trace.add("kubelet", f"started pod {key[1]} on {node}")

    def _remove(self, key):
        if self._live(key) is not None:
            self.api.remove_now("Pod", key[0], key[1])

    # driving ------------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.clock.now

    # building states ----------------------------------------------------------------------------
    def apply(self, obj: dict, actor: str = "kubectl") -> dict:
        return self.api.create(obj, actor=actor)


# manifests ----------------------------------------------------------------------------------------
def deployment(name="web", replicas=3, image="nginx:1.27", labels=None, ns="default",
               surge=None, unavailable=None) -> dict:
    labels = labels or {"app": name}
    spec = {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)},
                         "spec": {"containers": [{"name": "nginx", "image": image,
                                                  "ports": [{"containerPort": 80}]}]}}}
    if surge is not None or unavailable is not None:
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": {
            k: v for k, v in (("maxSurge", surge), ("maxUnavailable", unavailable))
            if v is not None}}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "labels": dict(labels)}, "spec": spec}


def replicaset(name="frontend", replicas=3, labels=None, ns="default") -> dict:
    labels = labels or {"tier": name}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": ns, "labels": dict(labels)},
            "spec": {"replicas": replicas, "selector": {"matchLabels": dict(labels)},
                     "template": {"metadata": {"labels": dict(labels)},
                                  "spec": {"containers": [{"name": "nginx",
                                                           "image": "nginx:1.27"}]}}}}


def pod(name, labels=None, image="nginx:1.27", ns="default") -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "labels": dict(labels or {"run": name})},
            "spec": {"containers": [{"name": "c", "image": image}]}}


def service(name, selector, port=80, target=80, node_port=None, ns="default",
            type_=None) -> dict:
    p = {"port": port, "targetPort": target}
    if node_port:
        p["nodePort"] = node_port
    spec = {"selector": dict(selector), "ports": [p]}
    if node_port or type_ == "NodePort":
        spec["type"] = "NodePort"
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": spec}


VOTING_PODS = [  # (pod name, labels, image, containerPort)
    ("voting-app-pod", {"name": "voting-app-pod", "app": "demo-voting-app"},
     "kodekloud/examplevotingapp_vote:v1", 80),
    ("result-app-pod", {"name": "result-app-pod", "app": "demo-voting-app"},
     "kodekloud/examplevotingapp_result:v1", 80),
    ("redis-pod", {"name": "redis-pod", "app": "demo-voting-app"}, "redis", 6379),
    ("postgres-pod", {"name": "postgres-pod", "app": "demo-voting-app"}, "postgres", 5432),
    ("worker-app-pod", {"name": "worker-app-pod", "app": "demo-voting-app"},
     "kodekloud/examplevotingapp_worker:v1", None),
]
VOTING_SERVICES = [  # (name, selector name, port, nodePort)
    ("voting-service", "voting-app-pod", 80, 30004),
    ("result-service", "result-app-pod", 80, 30005),
    ("redis", "redis-pod", 6379, None),
    ("db", "postgres-pod", 5432, None),
]


def voting_app(c) -> None:
    """The course's voting app: five pods and four Services, as the chapter writes them."""
    objs = []
    for name, labels, image, port in VOTING_PODS:
        p = pod(name, labels, image)
        p["spec"]["containers"][0]["name"] = name.removesuffix("-pod")
        if port:
            p["spec"]["containers"][0]["ports"] = [{"containerPort": port}]
        if name == "postgres-pod":
            p["spec"]["containers"][0]["env"] = [
                {"name": "POSTGRES_USER", "value": "postgres"},
                {"name": "POSTGRES_PASSWORD", "value": "postgres"}]
        objs.append(p)
    for name, target, port, node_port in VOTING_SERVICES:
        objs.append(service(name, {"name": target, "app": "demo-voting-app"}, port, port,
                            node_port=node_port))
    apply(c, *objs)
    c.settle()


# states -------------------------------------------------------------------------------------------
LONG_DEPLOYMENT = "customer-facing-payment-processing-frontend-service"
LONG_NODES = ("worker-node-with-a-really-long-hostname-01",
              "worker-node-with-a-really-long-hostname-02")


def huge_pod(name: str = "huge") -> dict:
    """A pod asking for 100 CPUs: no node has them, it stays Pending."""
    p = pod(name)
    p["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "100"}}
    return p


def make_state(name: str):
    """One of the named cluster states every diagram is drawn for."""
    from k8scourse import Cluster
    from k8scourse.cluster import CONTROL_PLANE_TAINT, ClusterConfig, NodeConfig

    if name == "no-nodes":
        return FakeCluster(nodes=())
    if name == "empty":
        return Cluster.kubeadm(workers=2)
    if name == "one-node":
        c = Cluster.minikube()
        kubectl(c, "create deployment web --image=nginx:1.27 --replicas=2")
        kubectl(c, "run nginx --image=nginx")
        kubectl(c, "expose deployment web --type=NodePort --port=80")
        c.settle()
        return c
    if name == "three-nodes":
        c = Cluster.kubeadm(workers=2)
        kubectl(c, "create deployment web --image=nginx:1.27 --replicas=12")
        apply(c, deployment("api", 9, labels={"app": "api", "tier": "backend"}),
              replicaset("frontend", 6), huge_pod())
        kubectl(c, "run debug --image=nginx")
        kubectl(c, "run tools --image=busybox")
        kubectl(c, "expose deployment web --type=NodePort --port=80")
        c.settle()
        return c
    if name == "long-names":
        config = ClusterConfig(nodes=[
            NodeConfig("controlplane", "192.168.56.10", control_plane=True,
                       taints=[dict(CONTROL_PLANE_TAINT)]),
            NodeConfig(LONG_NODES[0], "192.168.56.11"), NodeConfig(LONG_NODES[1], "192.168.56.12")])
        c = Cluster(config)
        kubectl(c, f"create deployment {LONG_DEPLOYMENT} --image=nginx --replicas=4")
        apply(c, pod("a-standalone-pod-whose-name-is-as-long-as-kubernetes-allows-it-to-be-x",
                     labels={"run": "standalone-debugging-pod"}))
        apply(c, service("payment-frontend-external-nodeport-service", {"app": LONG_DEPLOYMENT},
                         node_port=31999))
        c.settle()
        return c
    if name == "voting":
        c = Cluster.kubeadm(workers=2)
        voting_app(c)
        return c
    raise KeyError(name)


STATES = ("no-nodes", "empty", "one-node", "three-nodes", "long-names", "voting")


@pytest.fixture(params=STATES)
def state(request) -> FakeCluster:
    return make_state(request.param)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def save(ax, name: str) -> str:
    """Write the figure of `ax` to /tmp/k8scourse-viz/<name>.png (to look at) and return the path."""
    os.makedirs(PNG_DIR, exist_ok=True)
    path = os.path.join(PNG_DIR, f"{name}.png")
    ax.figure.savefig(path, dpi=100)
    return path


THREE_NODES = (("node01", "192.168.56.11"), ("node02", "192.168.56.12"),
               ("node03", "192.168.56.13"))
