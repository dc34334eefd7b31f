"""The kubelet: registers its Node, runs the pods bound to it and reports what happens.

One Kubelet per node, as on a real machine. It follows pkg/kubelet's shape:

* node status (kubelet_node_status.go, nodestatus/setters.go): registration with labels, capacity
  and conditions; a Lease renewed every 10 s and the node status re-posted when it changes
  (or every 5 minutes);
* a pod worker per pod (pod_workers.go, kuberuntime_manager.go SyncPod): sandbox and IP, init
  containers one at a time, then the app containers in order, each one's image ensured
  (images/image_manager.go), created and started; restarts with the crash back-off
  (10 s doubling to 5 min, reset after 10 min) and image-pull back-off;
* the status manager (status/status_manager.go, kubelet_pods.go generateAPIPodStatus): phase,
  conditions and container statuses as the real kubelet writes them;
* termination: SIGTERM, the grace period, SIGKILL, then the pod object is removed;
* probes (prober/): readiness, liveness and startup, exec probes run in the container.

Everything happens in simulated time on the cluster's clock, in the order a real node does it.
"""

from __future__ import annotations

import hashlib
import math
import weakref
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from k8scourse.api import quantity
from k8scourse.errors import BadRequest, NotFound, StatusError
from k8scourse.kubelet import images as _images
from k8scourse.kubelet.images import ImageRef, ReferenceError_, executables
from k8scourse.kubelet.process import ContainerContext, ContainerLog, process_for, rfc3339nano
from k8scourse.kubelet.runtime import HostLocalIPAM, PullResult, Runtime
from k8scourse.sim.clock import KUBELET, LATE

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster, NodeConfig

KUBELET_VERSION = "v1.32.5"
#: nodeStatusUpdateFrequency and the node lease's renew interval
NODE_STATUS_PERIOD = 10.0
#: nodeStatusReportFrequency: an unchanged status is re-posted this often
NODE_STATUS_REPORT = 300.0
LEASE_DURATION = 40
#: the crash-loop and image-pull back-off: 10 s doubling to 5 minutes, forgotten after 10 minutes
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 300.0
#: how long after a container exits the kubelet notices it (the PLEG relists every second)
PLEG_PERIOD = 1.0
#: a pod worker that failed (config error, missing image with pullPolicy Never) retries this often
RETRY_PERIOD = 10.0
#: an exit further in the future than this is the steady life of a process, not work to wait for
STEADY = 300.0

NETWORK_NOT_READY = ("container runtime network not ready: NetworkReady=false "
                     "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin "
                     "not initialized")
EPOCH_START = "1970-01-01T00:00:00Z"

#: Pods whose running tells the kubelet that a CNI plugin is installed (labels in a namespace)
CNI_PROVIDERS = (
    ("kube-flannel", "app", "flannel"),
    ("kube-system", "app", "flannel"),
    ("kube-system", "k8s-app", "calico-node"),
    ("calico-system", "k8s-app", "calico-node"),
    ("kube-system", "name", "weave-net"),
    ("kube-system", "k8s-app", "cilium"),
    ("kube-system", "k8s-app", "kube-router"),
)
#: A pod annotated so is a pod-network add-on too (any DaemonSet can declare itself one).
CNI_ANNOTATION = "k8scourse.io/cni-provider"

_KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                       "PodScheduled")


# ----------------------------------------------------------------------------------------------
# shared per cluster: the pod watch router, node leases, the node IPAM

class _Shared:
    """What all kubelets of one cluster share: one Pod watch (routed by spec.nodeName, so 1,000
    kubelets do not each see every pod), the kube-node-lease Leases and the podCIDR allocator."""

    def __init__(self, api):
        self.kubelets: dict[str, "Kubelet"] = {}
        self.leases: dict[str, dict] = {}
        #: when each node's kubelet last renewed its lease (simulated seconds)
        self.lease_renewed: dict[str, float] = {}
        self.cidrs: dict[str, str] = {}
        self.next_cidr = 0
        self.mask: int | None = None
        self.store = api.store
        self.services_version = 0
        self._service_env: dict[tuple[str, bool], tuple[int, dict]] = {}
        api.store.watch("Pod", self._on_pod)
        api.store.watch("Service", self._on_service)

    def _on_service(self, event: str, obj: dict, old: dict | None) -> None:
        self.services_version += 1

    def service_env(self, ns: str, links: bool) -> dict[str, str]:
        """The Service environment variables of a pod in `ns` (cached until a Service changes)."""
        key = (ns, links)
        hit = self._service_env.get(key)
        if hit is not None and hit[0] == self.services_version:
            return hit[1]
        services = list(self.store.list("Service", ns)) if links else []
        master = self.store.get("Service", "default", "kubernetes")
        if master is not None and not any(s is master for s in services):
            services.append(master)
        env = _service_env(services)
        self._service_env[key] = (self.services_version, env)
        return env

    def _on_pod(self, event: str, obj: dict, old: dict | None) -> None:
        if event == "MODIFIED" and old is not None and obj.get("spec") is old.get("spec"):
            om, nm = old["metadata"], obj["metadata"]
            if om.get("deletionTimestamp") == nm.get("deletionTimestamp") and \
                    om.get("uid") == nm.get("uid"):
                return  # a status or label change: nothing for the kubelet
        m = obj["metadata"]
        key = (m.get("namespace", ""), m["name"])
        node = (obj.get("spec") or {}).get("nodeName")
        k = self.kubelets.get(node) if node else None
        if k is not None:
            k._notify(key)
        if old is not None:
            onode = (old.get("spec") or {}).get("nodeName")
            if onode and onode != node:
                k2 = self.kubelets.get(onode)
                if k2 is not None:
                    k2._notify(key)

    def allocate_cidr(self, node: str, cluster_cidr: str, nodes: int = 1) -> str:
        """The node IPAM controller's range allocator: one /24 of the cluster CIDR per node, in
        join order (controlplane 10.244.0.0/24, node01 10.244.1.0/24, ...).

        A /16 holds 256 such ranges; for a bigger cluster the per-node mask grows (/25, /26, ...)
        as an administrator would set --node-cidr-mask-size."""
        if node in self.cidrs:
            return self.cidrs[node]
        import ipaddress
        net = ipaddress.ip_network(cluster_cidr, strict=False)
        if self.mask is None:
            mask = max(24, net.prefixlen)
            while mask < 28 and 2 ** (mask - net.prefixlen) < nodes:
                mask += 1
            self.mask = mask
        size = 2 ** (32 - self.mask)
        count = 2 ** (self.mask - net.prefixlen)
        taken = set(self.cidrs.values())
        base = int(net.network_address)
        for i in range(self.next_cidr, count):
            cidr = f"{ipaddress.IPv4Address(base + i * size)}/{self.mask}"
            if cidr not in taken:
                self.cidrs[node] = cidr
                self.next_cidr = i + 1
                return cidr
        raise RuntimeError(f"no podCIDR left in {cluster_cidr} for node {node}")


_SHARED: "weakref.WeakKeyDictionary[Any, _Shared]" = weakref.WeakKeyDictionary()


def shared(api) -> _Shared:
    s = _SHARED.get(api)
    if s is None:
        s = _SHARED[api] = _Shared(api)
    return s


def node_leases(api) -> dict[str, dict]:
    """The kube-node-lease Leases (coordination.k8s.io/v1 shape) by node name."""
    return shared(api).leases


# ----------------------------------------------------------------------------------------------
# what the kubelet keeps per pod

class Instance:
    """One run of a container (one containerID)."""

    __slots__ = ("raw_id", "id", "started_at", "finished_at", "exit_code", "reason", "message",
                 "log", "process", "ctx", "image_field", "image_id", "never_started")

    def __init__(self, raw_id: str, cid: str, image_field: str, image_id: str):
        self.raw_id = raw_id
        self.id = cid
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.exit_code = 0
        self.reason = ""
        self.message = ""
        self.log = ContainerLog()
        self.process = None
        self.ctx: ContainerContext | None = None
        self.image_field = image_field
        self.image_id = image_id
        self.never_started = False

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.finished_at is None


class Container:
    """One container of a pod as the kubelet tracks it across restarts."""

    __slots__ = ("spec", "name", "init", "field_path", "ref", "ref_error", "current", "last",
                 "restarts", "waiting", "ready", "started", "backoff", "backoff_at",
                 "pull_backoff", "pull_backoff_at", "probe_timers", "probe_counts", "changed",
                 "reported_backoff", "retry_timer", "mounts", "status_cache")

    def __init__(self, spec: dict, init: bool, index: int):
        self.spec = spec
        self.name = spec.get("name", "")
        self.init = init
        self.field_path = (f"spec.initContainers{{{self.name}}}" if init
                           else f"spec.containers{{{self.name}}}")
        self.ref: ImageRef | None = None
        self.ref_error = ""
        self.set_image(spec.get("image") or "")
        self.current: Instance | None = None
        self.last: Instance | None = None
        self.restarts = 0
        self.waiting: tuple[str, str] | None = None
        self.ready = False
        self.started = False
        self.backoff = 0.0
        self.backoff_at = float("-inf")
        self.pull_backoff = 0.0
        self.pull_backoff_at = float("-inf")
        self.probe_timers: list | tuple = ()  # a list once a probe runs
        self.probe_counts: dict[str, list[int]] = {}
        self.changed = False
        self.reported_backoff: float | None = None
        self.retry_timer = None
        self.mounts: list[dict] | None = None
        #: (what the last posted status was made of, that status): reused while nothing changed
        self.status_cache: tuple | None = None

    def set_image(self, image: str) -> None:
        try:
            self.ref = _images.parse(image)
            self.ref_error = ""
        except ReferenceError_ as e:
            self.ref = None
            self.ref_error = str(e)

    @property
    def running(self) -> bool:
        return self.current is not None and self.current.running


class PodWorker:
    """The kubelet's state of one pod."""

    __slots__ = ("key", "uid", "pod", "init", "main", "sandbox", "pod_ip", "start_time",
                 "conditions", "busy", "resync", "terminating", "gone", "terminal", "timers",
                 "static", "net_warned", "host_network", "mirror_pending", "restart_policy",
                 "requests")

    def __init__(self, pod: dict):
        m = pod["metadata"]
        spec = pod.get("spec") or {}
        self.key = (m.get("namespace", ""), m["name"])
        self.uid = m.get("uid", "")
        self.pod = pod
        self.init = tuple(Container(c, True, i) for i, c in enumerate(spec.get("initContainers") or ()))
        self.main = tuple(Container(c, False, i) for i, c in enumerate(spec.get("containers") or ()))
        self.sandbox: str | None = None
        self.pod_ip = ""
        self.start_time = ""
        self.conditions: dict[str, tuple] = {}  # type -> (status, reason, message, transition)
        self.busy = False
        self.resync = False
        self.terminating = False
        self.gone = False
        self.terminal = False
        self.timers: list | tuple = ()  # a list once something is scheduled
        self.static = "kubernetes.io/config.mirror" in (m.get("annotations") or {})
        self.net_warned = False
        self.host_network = bool(spec.get("hostNetwork"))
        self.mirror_pending = False
        self.restart_policy = spec.get("restartPolicy") or "Always"
        self.requests: tuple[int, int] | None = None

    def containers(self) -> tuple[Container, ...]:
        return self.init + self.main

    def container(self, name: str) -> Container | None:
        for c in self.init + self.main:
            if c.name == name:
                return c
        return None


_KUBELET_ORDER = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady")
_CONDITIONS: dict[tuple, dict] = {}


def _condition(ctype: str, status: str, reason: str, message: str, transition: str) -> dict:
    """A pod condition as the kubelet posts it. The same condition (type, status, reason, message,
    transition time) is one shared dict: many pods change state in the same second, and what the
    API server stores is never changed in place."""
    key = (ctype, status, reason, message, transition)
    cond = _CONDITIONS.get(key)
    if cond is None:
        if len(_CONDITIONS) >= 4096:
            _CONDITIONS.clear()
        cond = {"lastProbeTime": None, "lastTransitionTime": transition, "status": status,
                "type": ctype}
        if reason:
            cond["reason"] = reason
        if message:
            cond["message"] = message
        _CONDITIONS[key] = cond
    return cond


_CONDITION_LISTS: dict[tuple, list[dict]] = {}


def _conditions(kubelet_conds: tuple, scheduled: str) -> list[dict]:
    """The conditions list of a pod status: the kubelet's four (in _KUBELET_ORDER) then
    PodScheduled. The same list is one shared object, as _condition's dicts are: pods started
    together post the very same conditions."""
    key = (kubelet_conds, scheduled)
    conditions = _CONDITION_LISTS.get(key)
    if conditions is None:
        if len(_CONDITION_LISTS) >= 4096:
            _CONDITION_LISTS.clear()
        conditions = [_condition(ctype, *c) for ctype, c in zip(_KUBELET_ORDER, kubelet_conds)]
        conditions.append(_condition("PodScheduled", "True", "", "", scheduled))
        _CONDITION_LISTS[key] = conditions
    return conditions


def _pod_ref(pod: dict) -> str:
    """format.Pod: `name_namespace(uid)`."""
    m = pod["metadata"]
    return f"{m['name']}_{m.get('namespace', '')}({m.get('uid', '')})"


# ----------------------------------------------------------------------------------------------

class Kubelet:
    """The node agent of one machine."""

    component = "kubelet"

    def __init__(self, cluster: "Cluster", node_config: "NodeConfig",
                 images: list[str] | None = None):
        self.cluster = cluster
        self.config = node_config
        self.api = cluster.api
        self.store = cluster.api.store
        self.clock = cluster.clock
        self.rand = cluster.rand
        self.node_name = node_config.name
        self.flavour = getattr(cluster.config, "flavour", "kubeadm")
        self.runtime = Runtime(self.clock, self.rand, node_config.container_runtime)
        self.pods: dict[tuple[str, str], PodWorker] = {}
        self.running = False
        self.ipam: HostLocalIPAM | None = None
        self.cni_ready = self.flavour == "minikube"
        self.cni_provider = "bridge" if self.cni_ready else ""
        self.static_manifests: dict[str, dict] = {}
        self._shared = shared(self.api)
        self._queue: dict[tuple[str, str], None] = {}
        self._drain_timer = None
        self._dirty: dict[tuple[str, str], PodWorker] = {}
        self._flush_timer = None
        self._waiting_network: dict[tuple[str, str], None] = {}
        self._heartbeat_timer = None
        self._node_conditions: dict[str, list] = {}
        self._last_post = float("-inf")
        self._images_posted = -1
        self._ts_cache: dict[float, str] = {}
        self._used = [0, 0, 0]   # cpu millis, memory bytes, pods the admitted pods request
        self._node_uid = ""
        self._stopped_at: float | None = None
        self.boot_id = ""
        self.machine_id = f"{self.rand.getrandbits(128):032x}"
        self.system_uuid = self.rand.uid()
        self.cpus = max(1, quantity.cpu_millis(node_config.cpu) // 1000)
        self._host_ips = [{"ip": node_config.ip}]  # status.hostIPs, the same in every status
        if images:
            self.runtime.preload(images)
        self._shared.kubelets[self.node_name] = self
        self.start()

    # =========================================================================================
    # the machine
    def start(self) -> None:
        """Power on: the kubelet starts, (re)registers the node and takes up its pods again."""
        if self.running:
            return
        rebooted = self._stopped_at is not None
        self.running = True
        self.boot_id = self.rand.uid()
        self._register(rebooted)
        self._heartbeat_timer = self.clock.call_later(NODE_STATUS_PERIOD, self._heartbeat,
                                                      KUBELET, periodic=True)
        if rebooted:
            self._resume_after_reboot()
        else:
            for pod in self.store.pods_on_node(self.node_name):
                self._notify(self._key(pod))

    def stop(self) -> None:
        """Power off: no more heartbeats; every container dies with the machine. The API still
        shows the pods as they were until the node lifecycle controller notices."""
        if not self.running:
            return
        self.running = False
        self._stopped_at = self.clock.now
        if self._heartbeat_timer is not None:
            self._heartbeat_timer.cancel()
            self._heartbeat_timer = None
        for t in (self._drain_timer, self._flush_timer):
            if t is not None:
                t.cancel()
        self._drain_timer = self._flush_timer = None
        self._queue.clear()
        self._dirty.clear()
        self._waiting_network.clear()
        now = self.clock.now
        for w in self.pods.values():
            self._cancel(w)
            w.busy = False
            for c in w.containers():
                self._stop_probes(c)
                inst = c.current
                if inst is not None and inst.running:
                    inst.finished_at = now
                    inst.exit_code = 255
                    inst.reason = "Unknown"
                    inst.log.close(now)
                    if inst.ctx is not None:
                        inst.ctx.cancel_timers()
                c.ready = False
                c.started = False
        self.runtime.power_off()
        self.cluster.trace.add("kubelet", f"Node {self.node_name} is off: its kubelet stopped "
                                          "posting status and its containers are gone")

    def _resume_after_reboot(self) -> None:
        for pod in list(self.store.pods_on_node(self.node_name)):
            key = self._key(pod)
            w = self.pods.get(key)
            meta = pod["metadata"]
            if meta.get("deletionTimestamp"):
                if w is not None:
                    self._drop(w)
                self.api.remove_now("Pod", key[0], key[1])
                continue
            if w is None or w.uid != meta.get("uid"):
                self._notify(key)
                continue
            if w.terminal:
                continue
            # the old sandbox died with the machine: a new one (and a new IP) is needed
            self._teardown_sandbox(w)
            self._event(w, "Normal", "SandboxChanged",
                        "Pod sandbox changed, it will be killed and re-created.")
            for c in w.containers():
                c.waiting = None
            self._mark(w)
            self._request_sync(w)

    # =========================================================================================
    # node registration and status
    def _node_ref(self) -> dict:
        """How the kubelet refers to its node in events (its UID field is the node name)."""
        return {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": self.node_name, "uid": self.node_name}}

    def _node_event(self, type_: str, reason: str, message: str) -> None:
        self.api.events.record(self._node_ref(), type_, reason, message, self.component,
                               host=self.node_name)

    def _labels(self) -> dict[str, str]:
        cfg = self.config
        labels = {
            "beta.kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": cfg.name,
            "kubernetes.io/os": "linux",
        }
        if self.flavour == "minikube":
            labels.update({
                "minikube.k8s.io/commit": "dd5d320e41b5451cdf3c01891bc4e13d189586ed-dirty",
                "minikube.k8s.io/name": self.cluster.config.name,
                "minikube.k8s.io/primary": "true" if cfg.control_plane else "false",
                "minikube.k8s.io/updated_at": self.clock.datetime().strftime("%Y_%m_%dT%H_%M_%S_0700"),
                "minikube.k8s.io/version": "v1.35.0",
            })
        if cfg.control_plane:
            labels["node-role.kubernetes.io/control-plane"] = ""
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        labels.update(cfg.labels or {})
        return labels

    def _capacity(self) -> tuple[dict, dict]:
        cfg = self.config
        mem_ki = quantity.memory_bytes(cfg.memory) // 1024
        if self.flavour == "minikube":
            disk_ki = 61202244
            alloc_mem, alloc_disk = f"{mem_ki}Ki", f"{disk_ki}Ki"
        else:
            disk_ki = 20134592
            # kubeadm's kubelet reserves nothing but the hard eviction thresholds:
            # memory.available<100Mi and nodefs.available<10%
            alloc_mem = f"{mem_ki - 102400}Ki"
            alloc_disk = str(int(disk_ki * 1024 * 0.9))
        capacity = {"cpu": str(cfg.cpu), "ephemeral-storage": f"{disk_ki}Ki",
                    "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": f"{mem_ki}Ki",
                    "pods": str(cfg.pods)}
        allocatable = dict(capacity, **{"ephemeral-storage": alloc_disk, "memory": alloc_mem})
        return capacity, allocatable

    def _allocatable_amounts(self) -> tuple[int, int, int]:
        """(cpu millis, memory bytes, pods) of the node's allocatable, worked out again only when
        the node's configured size changes."""
        cfg = self.config
        key = (cfg.cpu, cfg.memory, cfg.pods, self.flavour)
        cached = getattr(self, "_allocatable_cache", None)
        if cached is None or cached[0] != key:
            _, allocatable = self._capacity()
            cached = self._allocatable_cache = (key, (
                quantity.cpu_millis(allocatable["cpu"]), quantity.memory_bytes(allocatable["memory"]),
                int(allocatable["pods"])))
        return cached[1]

    def _annotations(self) -> dict[str, str]:
        sock = ("unix:///var/run/cri-dockerd.sock" if self.runtime.kind == "docker"
                else "unix:///var/run/containerd/containerd.sock")
        return {"kubeadm.alpha.kubernetes.io/cri-socket": sock,
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"}

    def _ready_condition(self) -> tuple[str, str, str]:
        if self.cni_ready:
            return "True", "KubeletReady", "kubelet is posting ready status"
        return "False", "KubeletNotReady", NETWORK_NOT_READY

    def _refresh_conditions(self, stored: dict | None) -> list[str]:
        """The kubelet's conditions against the node's stored ones (nodestatus setters): a
        condition whose status changes gets a new transition time and an event."""
        stored_conds = {c.get("type"): c for c in
                        ((stored or {}).get("status") or {}).get("conditions") or ()}
        now = self.clock.timestamp()
        ready = self._ready_condition()
        evs = []
        for ctype, status, reason, msg, event in (
                ("MemoryPressure", "False", "KubeletHasSufficientMemory",
                 "kubelet has sufficient memory available", "NodeHasSufficientMemory"),
                ("DiskPressure", "False", "KubeletHasNoDiskPressure",
                 "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
                ("PIDPressure", "False", "KubeletHasSufficientPID",
                 "kubelet has sufficient PID available", "NodeHasSufficientPID"),
                ("Ready", *ready, "NodeReady" if ready[0] == "True" else "NodeNotReady")):
            old = stored_conds.get(ctype)
            if old is None or old.get("status") != status:
                trans = now
                evs.append(event)
            else:
                trans = old.get("lastTransitionTime") or now
            self._node_conditions[ctype] = [status, reason, msg, trans]
        return evs

    def _node_status(self, stored: dict | None) -> dict:
        now = self.clock.timestamp()
        capacity, allocatable = self._capacity()
        conditions = []
        if stored is not None:
            # conditions other components own (NetworkUnavailable, set by the network add-on)
            for c in (stored.get("status") or {}).get("conditions") or ():
                if c.get("type") not in self._node_conditions:
                    conditions.append(c)
        for ctype in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready"):
            st, reason, msg, trans = self._node_conditions[ctype]
            conditions.append({"lastHeartbeatTime": now, "lastTransitionTime": trans,
                               "message": msg, "reason": reason, "status": st, "type": ctype})
        cfg = self.config
        status = {
            "addresses": [{"address": cfg.ip, "type": "InternalIP"},
                          {"address": cfg.name, "type": "Hostname"}],
            "allocatable": allocatable,
            "capacity": capacity,
            "conditions": conditions,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": self.boot_id,
                "containerRuntimeVersion": cfg.container_runtime,
                "kernelVersion": cfg.kernel,
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "machineID": self.machine_id,
                "operatingSystem": "linux",
                "osImage": cfg.os_image,
                "systemUUID": self.system_uuid,
            },
        }
        imgs = self.runtime.node_images()
        if imgs:
            status["images"] = imgs
        return status

    def _register(self, rebooted: bool) -> None:
        cfg = self.config
        if self.ipam is None:
            cidr = self._shared.allocate_cidr(self.node_name, self.cluster.config.pod_cidr,
                                              len(self.cluster.config.nodes))
            self.ipam = HostLocalIPAM(cidr)
        self._node_event("Normal", "Starting", "Starting kubelet.")
        existing = self.api.get_or_none("Node", "", self.node_name)
        evs = self._refresh_conditions(existing)
        if existing is None:
            node = {
                "apiVersion": "v1", "kind": "Node",
                "metadata": {"name": cfg.name, "labels": self._labels(),
                             "annotations": self._annotations()},
                "spec": {"podCIDR": self.ipam.cidr, "podCIDRs": [self.ipam.cidr]},
                "status": self._node_status(None),
            }
            taints = [dict(t) for t in cfg.taints or ()]
            # the TaintNodesByCondition admission plugin taints every new Node not-ready until the
            # node lifecycle controller sees it Ready
            if not any(t.get("key") == "node.kubernetes.io/not-ready" and
                       t.get("effect") == "NoSchedule" for t in taints):
                taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"})
            node["spec"]["taints"] = taints
            created = self.api.create(node, actor="kubelet")
            self._node_uid = created["metadata"]["uid"]
            self.cluster.trace.add("kubelet", f"Node {cfg.name} registered with podCIDR "
                                              f"{self.ipam.cidr}")
        else:
            self._node_uid = existing["metadata"]["uid"]
            self.api.update_status("Node", "", self.node_name, self._node_status(existing),
                                   actor="kubelet")
        if rebooted:
            self._node_event("Warning", "Rebooted",
                             f"Node {self.node_name} has been rebooted, boot id: {self.boot_id}")
        self._last_post = self.clock.now
        self._renew_lease()
        for reason in evs:
            self._node_event("Normal", reason, f"Node {self.node_name} status is now: {reason}")
        self._node_event("Normal", "NodeAllocatableEnforced",
                         "Updated Node Allocatable limit across pods")

    def _renew_lease(self) -> None:
        dt = self.clock.datetime()
        now = f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond:06d}Z"  # a MicroTime
        lease = self._shared.leases.get(self.node_name)
        if lease is None:
            lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                     "metadata": {"name": self.node_name, "namespace": "kube-node-lease"},
                     "spec": {"holderIdentity": self.node_name,
                              "leaseDurationSeconds": LEASE_DURATION, "renewTime": now}}
            self._shared.leases[self.node_name] = lease
        lease["spec"]["renewTime"] = now
        self._shared.lease_renewed[self.node_name] = self.clock.now

    def _heartbeat(self) -> None:
        if not self.running:
            return
        self._heartbeat_timer = self.clock.call_later(NODE_STATUS_PERIOD, self._heartbeat,
                                                      KUBELET, periodic=True)
        self._renew_lease()
        self._post_status()

    def _post_status(self, force: bool = False) -> None:
        """tryUpdateNodeStatus: post when something changed, or every 5 minutes."""
        if not self.running:
            return
        stored = self.api.get_or_none("Node", "", self.node_name)
        if stored is None:
            return  # deleted: a running kubelet registers only when it starts
        if not force and self.clock.now - self._last_post < NODE_STATUS_REPORT and \
                self._images_posted == self.runtime.version_changes and \
                self._conditions_hold(stored):
            return  # nothing to tell (the cheap check of nodeStatusHasChanged)
        self._images_posted = self.runtime.version_changes
        evs = self._refresh_conditions(stored)
        status = self._node_status(stored)
        changed = force or evs or _without_heartbeats(status) != _without_heartbeats(
            stored.get("status") or {})
        if not changed and self.clock.now - self._last_post < NODE_STATUS_REPORT:
            return
        self.api.update_status("Node", "", self.node_name, status, actor="kubelet")
        self._last_post = self.clock.now
        for reason in evs:
            self._node_event("Normal", reason, f"Node {self.node_name} status is now: {reason}")

    def _conditions_hold(self, stored: dict) -> bool:
        """Whether the stored node shows the conditions the kubelet would post."""
        want = {"Ready": self._ready_condition()[0], "MemoryPressure": "False",
                "DiskPressure": "False", "PIDPressure": "False"}
        found = 0
        for c in (stored.get("status") or {}).get("conditions") or ():
            t = c.get("type")
            if t in want:
                if c.get("status") != want[t]:
                    return False
                found += 1
        return found == len(want)

    def _schedule_status_post(self, delay: float) -> None:
        self.clock.call_later(delay, self._post_status, KUBELET)

    # =========================================================================================
    # the network add-on
    def _is_cni_pod(self, w: PodWorker) -> str:
        meta = w.pod["metadata"]
        if (meta.get("annotations") or {}).get(CNI_ANNOTATION):
            return meta["annotations"][CNI_ANNOTATION]
        labels = meta.get("labels") or {}
        for ns, k, v in CNI_PROVIDERS:
            if meta.get("namespace") == ns and labels.get(k) == v:
                return v if v != "calico-node" else "calico"
        for vol in (w.pod.get("spec") or {}).get("volumes") or ():
            if ((vol.get("hostPath") or {}).get("path") or "").rstrip("/") == "/etc/cni/net.d":
                return meta["name"].split("-")[0]
        return ""

    def _check_cni(self, w: PodWorker) -> None:
        if self.cni_ready or not w.main:
            return
        provider = self._is_cni_pod(w)
        if not provider:
            return
        if any(not (c.current is not None and not c.current.running and c.current.exit_code == 0)
               for c in w.init):
            return
        if not all(c.running for c in w.main):
            return
        self.cni_ready = True
        self.cni_provider = provider
        self.cluster.trace.add("kubelet", f"The {provider} pod {w.key[1]} installed its CNI "
                                          f"configuration on {self.node_name}: the pod network is "
                                          "ready, the node will report Ready")
        if provider == "flannel":
            self._flannel_node_setup()
        self._schedule_status_post(round(1.0 + self.rand.random() * 4.0, 3))
        waiting = list(self._waiting_network)
        self._waiting_network.clear()
        for key in waiting:
            w2 = self.pods.get(key)
            if w2 is not None:
                self._request_sync(w2)

    def _flannel_node_setup(self) -> None:
        """What flanneld writes on its node: annotations and the NetworkUnavailable condition."""
        node = self.api.get_or_none("Node", "", self.node_name)
        if node is None:
            return
        mac = ":".join(f"{self.rand.randrange(256):02x}" for _ in range(6))
        new = dict(node)
        new["metadata"] = dict(node["metadata"])
        ann = dict(node["metadata"].get("annotations") or {})
        ann.update({
            "flannel.alpha.coreos.com/backend-data": '{"VNI":1,"VtepMAC":"' + mac + '"}',
            "flannel.alpha.coreos.com/backend-type": "vxlan",
            "flannel.alpha.coreos.com/kube-subnet-manager": "true",
            "flannel.alpha.coreos.com/public-ip": self.config.ip,
        })
        new["metadata"]["annotations"] = dict(sorted(ann.items()))
        now = self.clock.timestamp()
        status = dict(node.get("status") or {})
        conds = [c for c in status.get("conditions") or () if c.get("type") != "NetworkUnavailable"]
        conds.insert(0, {"lastHeartbeatTime": now, "lastTransitionTime": now,
                         "message": "Flannel is running on this node", "reason": "FlannelIsUp",
                         "status": "False", "type": "NetworkUnavailable"})
        status["conditions"] = conds
        new["status"] = status
        self.api.write(new, actor="flanneld")

    # =========================================================================================
    # pods: watch -> queue -> reconcile
    @staticmethod
    def _key(pod: dict) -> tuple[str, str]:
        m = pod["metadata"]
        return (m.get("namespace", ""), m["name"])

    def _notify(self, key: tuple[str, str]) -> None:
        if not self.running:
            return
        self._queue[key] = None
        if self._drain_timer is None:
            self._drain_timer = self.clock.call_at(self.clock.now, self._drain, KUBELET)

    def _drain(self) -> None:
        self._drain_timer = None
        keys = list(self._queue)
        self._queue.clear()
        for key in keys:
            self._reconcile(key)

    def _reconcile(self, key: tuple[str, str]) -> None:
        """Bring the kubelet's view of one pod in line with the API's."""
        if not self.running:
            return
        pod = self.store.get("Pod", key[0], key[1])
        w = self.pods.get(key)
        if pod is not None and (pod.get("spec") or {}).get("nodeName") != self.node_name:
            pod = None
        if pod is None:
            if w is not None:
                if w.static and not w.terminating:
                    self._recreate_mirror(w)
                else:
                    self._drop(w)
            return
        meta = pod["metadata"]
        if w is not None and w.uid != meta.get("uid"):
            if w.static:
                # the mirror pod came back with a new UID: same static pod, same containers
                w.uid = meta.get("uid", "")
                w.pod = pod
                w.mirror_pending = False
                self._mark(w)
                return
            self._drop(w)
            w = None
        if w is None:
            if meta.get("deletionTimestamp"):
                self.api.remove_now("Pod", key[0], key[1])
                return
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                return
            self._admit(pod)
            return
        old_spec = (w.pod.get("spec") or {})
        w.pod = pod
        if meta.get("deletionTimestamp") and not w.terminating:
            if w.static:
                self.api.remove_now("Pod", key[0], key[1])
                return
            self._terminate(w)
            return
        spec = pod.get("spec") or {}
        if spec is not old_spec and not w.terminating:
            self._spec_changed(w, spec)

    def _admit(self, pod: dict) -> None:
        requests = _pod_requests(pod)
        rejected = self._admission(pod, requests)
        if rejected is not None:
            self._reject(pod, *rejected)
            return
        w = PodWorker(pod)
        w.requests = requests
        self._use(requests, +1)
        self.pods[w.key] = w
        w.start_time = (pod.get("status") or {}).get("startTime") or self.clock.timestamp()
        self._mark(w)
        self._request_sync(w)

    def _use(self, requests: tuple[int, int], sign: int) -> None:
        self._used[0] += sign * requests[0]
        self._used[1] += sign * requests[1]
        self._used[2] += sign

    def _release(self, w: PodWorker) -> None:
        """The pod no longer holds the node's resources (gone or terminal)."""
        if w.requests is not None:
            self._use(w.requests, -1)
            w.requests = None

    def _admission(self, pod: dict, requests: tuple[int, int]) -> tuple[str, str] | None:
        """The kubelet's own admission (GeneralPredicates): resources, then the node selector.

        A pod bound by hand (spec.nodeName) skips the scheduler, not these checks."""
        cpu_cap, mem_cap, pods_cap = self._allocatable_amounts()
        used_cpu, used_mem, used_pods = self._used
        for name, req, used, cap in (("pods", 1, used_pods, pods_cap),
                                     ("cpu", requests[0], used_cpu, cpu_cap),
                                     ("memory", requests[1], used_mem, mem_cap)):
            if req and used + req > cap:
                return (f"OutOf{name}", f"Node didn't have enough resource: {name}, requested: "
                                      f"{req}, used: {used}, capacity: {cap}")
        selector = (pod.get("spec") or {}).get("nodeSelector") or {}
        if selector:
            labels = self._labels()
            if any(labels.get(k) != v for k, v in selector.items()):
                return ("NodeAffinity", "Predicate NodeAffinity failed: node(s) didn't match "
                                        "Pod's node affinity/selector")
        return None

    def _reject(self, pod: dict, reason: str, message: str) -> None:
        m = pod["metadata"]
        self.api.events.record(pod, "Warning", reason, message, self.component,
                               host=self.node_name)
        status = dict(pod.get("status") or {})
        status.update({"message": f"Pod was rejected: {message}", "phase": "Failed",
                       "reason": reason, "startTime": self.clock.timestamp()})
        self.api.update_status("Pod", m.get("namespace", ""), m["name"], status, actor="kubelet")
        self.cluster.trace.add("kubelet", f"Pod {m['name']} was rejected by the kubelet on "
                                          f"{self.node_name}: {message}")

    def _drop(self, w: PodWorker) -> None:
        """The pod is gone from the API (deleted with grace 0, or moved away): stop everything."""
        w.gone = True
        self._cancel(w)
        now = self.clock.now
        for c in w.containers():
            self._stop_probes(c)
            inst = c.current
            if inst is not None and inst.running:
                inst.finished_at = now
                inst.exit_code = 137
                inst.reason = "Error"
                inst.log.close(now)
                if inst.ctx is not None:
                    inst.ctx.cancel_timers()
                if inst.process is not None and hasattr(inst.process, "kill"):
                    inst.process.kill()
        self._teardown_sandbox(w)
        self._release(w)
        self.pods.pop(w.key, None)
        self._dirty.pop(w.key, None)
        self._waiting_network.pop(w.key, None)

    def _spec_changed(self, w: PodWorker, spec: dict) -> None:
        """`kubectl set image` on a pod: a container whose image changed is restarted."""
        specs = {c.get("name"): c for c in spec.get("containers") or ()}
        specs.update({c.get("name"): c for c in spec.get("initContainers") or ()})
        for c in w.containers():
            new = specs.get(c.name)
            if new is None or new.get("image") == c.spec.get("image"):
                if new is not None:
                    c.spec = new
                continue
            c.spec = new
            c.mounts = None
            c.set_image(new.get("image") or "")
            c.pull_backoff, c.pull_backoff_at = 0.0, float("-inf")
            if c.running:
                c.changed = True
                self._event(w, "Normal", "Killing",
                            f"Container {c.name} definition changed, will be restarted", c)
                self._kill_container(w, c, self._grace(w))
            elif c.waiting is not None and not c.init:
                c.waiting = None
                c.changed = True
                self._request_sync(w)

    # =========================================================================================
    # the pod worker
    def _later(self, w: PodWorker, delay: float, fn: Callable[..., None],
               periodic: bool = False, args: tuple = ()):
        """Run `fn(*args)` after `delay`; the timer is the pod's (cancelled if it goes)."""
        t = self.clock.call_later(delay, fn, KUBELET, periodic=periodic, args=args)
        timers = w.timers
        if len(timers) >= 4:  # forget the ones that have run (most do, quickly)
            w.timers = [x for x in timers if not (x.done or x.cancelled)]
            w.timers.append(t)
        elif timers:
            timers.append(t)
        else:
            w.timers = [t]
        return t

    def _cancel(self, w: PodWorker) -> None:
        for t in w.timers:
            t.cancel()
        w.timers = ()

    def _request_sync(self, w: PodWorker, delay: float = 0.0, periodic: bool = False) -> None:
        if delay <= 0:
            if w.busy:
                w.resync = True
                return
            self._sync(w)
        else:
            self._later(w, delay, self._sync, periodic, (w,))

    def _sync(self, w: PodWorker) -> None:
        """SyncPod: what does this pod need next?"""
        if not self.running or w.gone or w.terminating or w.terminal:
            return
        if w.busy:
            w.resync = True
            return
        if w.sandbox is None:
            if not w.host_network and not self.cni_ready:
                self._waiting_network[w.key] = None
                if not w.net_warned:
                    w.net_warned = True
                    self._event(w, "Warning", "NetworkNotReady",
                                f"network is not ready: {NETWORK_NOT_READY}")
                return
            w.busy = True
            self._later(w, round(0.3 + self.rand.random() * 0.5, 3), self._sandbox_ready,
                        args=(w,))
            return
        policy = w.restart_policy
        for c in w.init:
            cur = c.current
            if cur is not None and cur.running:
                return
            if cur is not None and cur.exit_code == 0 and not c.changed and c.waiting is None \
                    and not cur.never_started:
                continue
            if cur is not None and not c.changed:
                if policy == "Never":
                    self._finish(w)
                    return
                if self._in_backoff(w, c):
                    return
            self._start_chain(w, [c])
            return
        to_start = []
        for c in w.main:
            cur = c.current
            if cur is None:
                to_start.append(c)
                continue
            if cur.running:
                continue
            if c.changed:
                to_start.append(c)
                continue
            if not self._should_restart(w, c):
                continue
            if self._in_backoff(w, c):
                continue
            to_start.append(c)
        if to_start:
            self._start_chain(w, to_start)
            return
        if w.main and all(c.current is not None and not c.current.running and
                          not self._should_restart(w, c) for c in w.main):
            self._finish(w)

    def _should_restart(self, w: PodWorker, c: Container) -> bool:
        policy = w.restart_policy
        if policy == "Always":
            return True
        if policy == "OnFailure":
            return c.current is not None and c.current.exit_code != 0
        return False

    def _in_backoff(self, w: PodWorker, c: Container) -> bool:
        """doBackOff: keep a crashed container down for its back-off period."""
        finished = c.current.finished_at if c.current is not None else None
        if finished is None:
            return False
        now = self.clock.now
        expired = finished - c.backoff_at > 2 * BACKOFF_MAX
        remaining = finished + c.backoff - now
        if c.backoff and not expired and remaining > 1e-6:
            self._retry(w, c, remaining)
            if c.reported_backoff != finished:
                c.reported_backoff = finished
                c.waiting = ("CrashLoopBackOff",
                             f"back-off {_images.go_duration(c.backoff)} restarting failed "
                             f"container={c.name} pod={_pod_ref(w.pod)}")
                self._event(w, "Warning", "BackOff",
                            f"Back-off restarting failed container {c.name} in pod "
                            f"{_pod_ref(w.pod)}", c)
                self._mark(w)
                self.cluster.trace.add(
                    "kubelet", f"Container {c.name} of pod {w.key[1]} exited "
                               f"{c.restarts + 1} times; waiting {c.backoff:g}s before "
                               "restarting it (CrashLoopBackOff)")
            return True
        c.backoff = BACKOFF_INITIAL if (not c.backoff or expired) else min(c.backoff * 2,
                                                                           BACKOFF_MAX)
        c.backoff_at = finished
        return False

    def _retry(self, w: PodWorker, c: Container, delay: float) -> None:
        """Sync the pod again when a back-off ends (one pending retry per container)."""
        t = c.retry_timer
        if t is not None and not (t.done or t.cancelled) and abs(t.when - (self.clock.now + delay)) < 1e-6:
            return
        if t is not None:
            t.cancel()
        c.retry_timer = self._later(w, delay, self._sync, True, (w,))

    def _sandbox_ready(self, w: PodWorker) -> None:
        w.busy = False
        if w.gone or w.terminating or not self.running:
            return
        if not w.host_network:
            ip = self.ipam.allocate() if self.ipam is not None else None
            if ip is None:
                rng = self.ipam.cidr if self.ipam else ""
                self._event(w, "Warning", "FailedCreatePodSandBox",
                            "Failed to create pod sandbox: plugin type=\"flannel\" failed (add): "
                            f"failed to allocate for range 0: no IP addresses available in range "
                            f"set: {rng}")
                self._request_sync(w, RETRY_PERIOD, periodic=True)
                return
            w.pod_ip = ip
        else:
            w.pod_ip = self.config.ip
        w.sandbox = self.runtime.new_id()
        self._set_cond(w, "PodReadyToStartContainers", "True")
        # the new IP and PodReadyToStartContainers are posted with the next change (at once if
        # an image has to be pulled, else when the containers start a moment later)
        self._sync(w)

    def _teardown_sandbox(self, w: PodWorker) -> None:
        if w.sandbox is not None and not w.host_network and w.pod_ip and self.ipam is not None:
            self.ipam.release(w.pod_ip)
        w.sandbox = None

    def _start_chain(self, w: PodWorker, containers: list[Container]) -> None:
        """Start containers one after another, as SyncPod does (each may pull its image)."""
        w.busy = True
        self._chain_step(w, containers, 0)

    def _chain_step(self, w: PodWorker, containers: list[Container], i: int) -> None:
        """Start containers[i], then (when it is done) the next one."""
        if w.gone or w.terminating or not self.running:
            w.busy = False
            return
        if i == len(containers):
            w.busy = False
            self._check_cni(w)
            if w.resync:
                w.resync = False
                self._sync(w)
            return
        self._start_one(w, containers[i], partial(self._chain_step, w, containers, i + 1))

    def _start_one(self, w: PodWorker, c: Container, done: Callable[[], None]) -> None:
        image = c.spec.get("image") or ""
        if c.ref is None:
            msg = (f'Failed to apply default image tag "{image}": couldn\'t parse image '
                   f'reference "{image}": {c.ref_error}')
            if c.waiting is None or c.waiting[0] != "InvalidImageName":
                self._event(w, "Warning", "InspectFailed", msg, c)
            c.waiting = ("InvalidImageName", msg)
            self._mark(w)
            done()
            return
        err = self._config_error(w, c)
        if err:
            self._event(w, "Warning", "Failed", f"Error: {err}", c)
            c.waiting = ("CreateContainerConfigError", err)
            self._mark(w)
            self._request_sync(w, RETRY_PERIOD, periodic=True)
            done()
            return
        ref = c.ref
        present = self.runtime.present(ref)
        policy = c.spec.get("imagePullPolicy") or ("Always" if ref.tag == "latest" else
                                                    "IfNotPresent")
        if policy == "Never" and present is None:
            msg = f'Container image "{image}" is not present with pull policy of Never'
            self._event(w, "Warning", "ErrImageNeverPull", msg, c)
            c.waiting = ("ErrImageNeverPull", msg)
            self._mark(w)
            self._request_sync(w, RETRY_PERIOD, periodic=True)
            done()
            return
        if present is not None and policy != "Always":
            self._event(w, "Normal", "Pulled", f'Container image "{image}" already present on '
                                               "machine", c)
            self._later(w, round(0.1 + self.rand.random() * 0.2, 3), self._create,
                        args=(w, c, present, done))
            return
        now = self.clock.now
        remaining = c.pull_backoff_at + c.pull_backoff - now
        if c.pull_backoff and remaining > 1e-6:
            msg = f'Back-off pulling image "{image}"'
            self._event(w, "Normal", "BackOff", msg, c)
            self._event(w, "Warning", "Failed", "Error: ImagePullBackOff", c)
            c.waiting = ("ImagePullBackOff", msg)
            self._mark(w)
            self._retry(w, c, remaining)
            done()
            return
        self._event(w, "Normal", "Pulling", f'Pulling image "{image}"', c)
        if not self.runtime.layers_on_disk(ref):
            self._mark(w)  # a real download: show the pod's IP while it lasts
        # the pull goes on in the runtime even if the pod goes away meanwhile
        self.runtime.pull(ref, partial(self._pulled, w, c, image, w.uid, done))

    def _pulled(self, w: PodWorker, c: Container, image: str, pod_uid: str,
                done: Callable[[], None], res: PullResult) -> None:
        """The runtime finished pulling `image` for container `c` (of the pod with `pod_uid`)."""
        if w.gone or w.terminating or not self.running or w.uid != pod_uid:
            done()
            return
        if res.ok:
            self._event(w, "Normal", "Pulled",
                        f'Successfully pulled image "{image}" in '
                        f"{_images.go_duration(res.pull_seconds)} "
                        f"({_images.go_duration(res.total_seconds)} including waiting). "
                        f"Image size: {res.image.size} bytes.", c)
            self._later(w, round(0.1 + self.rand.random() * 0.2, 3), self._create,
                        args=(w, c, res.image, done))
            return
        self._event(w, "Warning", "Failed", f'Failed to pull image "{image}": {res.error}', c)
        self._event(w, "Warning", "Failed", "Error: ErrImagePull", c)
        t = self.clock.now
        expired = t - c.pull_backoff_at > 2 * BACKOFF_MAX
        c.pull_backoff = BACKOFF_INITIAL if (not c.pull_backoff or expired) else \
            min(c.pull_backoff * 2, BACKOFF_MAX)
        c.pull_backoff_at = t
        c.waiting = ("ErrImagePull", res.error)
        self._mark(w)
        self.cluster.trace.add("kubelet", f"Pulling {image} for pod {w.key[1]} failed; next "
                                          f"try in {c.pull_backoff:g}s (ImagePullBackOff)")
        self._later(w, PLEG_PERIOD, self._sync, args=(w,))
        done()

    def _create(self, w: PodWorker, c: Container, img, done: Callable[[], None]) -> None:
        """CreateContainer + StartContainer."""
        if w.gone or w.terminating or not self.running:
            done()
            return
        ref = c.ref
        raw = self.runtime.new_id()
        inst = Instance(raw, self.runtime.container_id(raw), self.runtime.image_field(ref),
                        self.runtime.image_id(img, ref))
        if c.current is not None:
            c.last = c.current
            c.restarts += 1
        c.current = inst
        c.waiting = None
        changed, c.changed = c.changed, False
        ctx = ContainerContext(
            image=c.spec.get("image") or "", ref=ref, repo=img.repository,
            command=c.spec.get("command") or [], args=c.spec.get("args") or [],
            env=partial(self._env, w, c), pod=w.pod, container=c.spec, node=self.node_name,
            pod_ip=w.pod_ip, clock=self.clock, rand=self.rand, cluster=self.cluster,
            log=inst.log, version=img.version, kernel=self.config.kernel, cpus=self.cpus,
            on_exit=partial(self._exited, w, c, inst))
        inst.ctx = ctx
        self._event(w, "Normal", "Created", f"Created container: {c.name}", c)
        argv = ctx.argv
        prog = argv[0].rsplit("/", 1)[-1] if argv else ""
        if not argv or prog not in executables(img.repository):
            reason, code, message, event = self.runtime.exec_error(argv[0] if argv else "")
            self._event(w, "Warning", "Failed", event, c)
            inst.started_at = self.clock.now
            inst.never_started = True
            inst.finished_at = self.clock.now
            inst.exit_code, inst.reason, inst.message = code, reason, message
            c.waiting = ("RunContainerError", message)
            c.ready = c.started = False
            self._mark(w)
            self._later(w, PLEG_PERIOD, self._after_exit, args=(w, c))
            done()
            return
        inst.started_at = self.clock.now
        self._event(w, "Normal", "Started", f"Started container {c.name}", c)
        c.started = True
        c.ready = not c.spec.get("readinessProbe")
        process = process_for(ctx)
        inst.process = process
        self._mark(w)
        delay = process.start()
        if inst.finished_at is None and delay is not None:
            self.clock.call_later(delay, self._exited_by_itself, KUBELET,
                                  periodic=delay > STEADY, args=(w, c, inst, process))
        if inst.running:
            self._start_probes(w, c, inst)
        if changed:
            self.cluster.trace.add("kubelet", f"Container {c.name} of pod {w.key[1]} restarted "
                                              f"with its new image {ctx.image}")
        done()

    def _exited_by_itself(self, w: PodWorker, c: Container, inst: Instance, process) -> None:
        """The process said when it would end, and that time has come."""
        self._exited(w, c, inst, process.exit_code)

    def _exited(self, w: PodWorker, c: Container, inst: Instance, code: int,
                reason: str | None = None) -> None:
        """The process of `inst` ended with `code`."""
        if inst.finished_at is not None or w.gone or not self.running:
            return
        now = self.clock.now
        inst.finished_at = now
        inst.exit_code = int(code)
        inst.reason = reason or ("Completed" if code == 0 else "Error")
        inst.log.close(now)
        if inst.ctx is not None:
            inst.ctx.cancel_timers()
        self._stop_probes(c)
        c.ready = False
        c.started = False
        c.waiting = None
        self._mark(w)
        if w.terminating:
            self._maybe_gone(w)
            return
        self._check_cni(w)
        self._later(w, PLEG_PERIOD, lambda: self._after_exit(w, c))

    def _after_exit(self, w: PodWorker, c: Container) -> None:
        self._request_sync(w)

    def _finish(self, w: PodWorker) -> None:
        """Every container has ended for good: the pod is Succeeded or Failed; the sandbox goes."""
        if w.terminal:
            return
        w.terminal = True
        self._cancel(w)
        self._teardown_sandbox(w)
        self._release(w)
        self._set_cond(w, "PodReadyToStartContainers", "False")
        self._mark(w)

    # =========================================================================================
    # termination
    def _grace(self, w: PodWorker) -> float:
        meta = w.pod["metadata"]
        g = meta.get("deletionGracePeriodSeconds")
        if g is None:
            g = (w.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
        try:
            return max(0.0, float(g))
        except (TypeError, ValueError):
            return 30.0

    def _terminate(self, w: PodWorker) -> None:
        """The pod was deleted: SIGTERM every container, SIGKILL at the end of the grace period,
        then tell the API server the pod is gone."""
        w.terminating = True
        w.busy = False
        self._cancel(w)
        self._waiting_network.pop(w.key, None)
        grace = self._grace(w)
        running = [c for c in w.containers() if c.running]
        for c in running:
            self._event(w, "Normal", "Killing", f"Stopping container {c.name}", c)
        for c in running:
            self._kill_container(w, c, grace)
        if running:
            self.cluster.trace.add("kubelet", f"Pod {w.key[1]} is being deleted: SIGTERM sent to "
                                              f"{', '.join(c.name for c in running)}; "
                                              f"{grace:g}s grace period")
        self._maybe_gone(w)

    def _kill_container(self, w: PodWorker, c: Container, grace: float) -> None:
        inst = c.current
        if inst is None or not inst.running:
            return
        self._stop_probes(c)
        proc = inst.process
        took = float("inf")
        try:
            took = proc.stop() if proc is not None else 0.0
        except Exception:  # pragma: no cover - an app's bug must not stop the node
            took = 0.0
        if took is None:
            took = 0.0
        if took <= grace:
            code = getattr(proc, "exit_code", 0)
            self.clock.call_later(took, lambda: self._exited(w, c, inst, code), KUBELET)
        else:
            def sigkill():
                if inst.finished_at is None:
                    if proc is not None and hasattr(proc, "kill"):
                        proc.kill()
                    self._exited(w, c, inst, 137)
            self.clock.call_later(grace, sigkill, KUBELET)

    def _maybe_gone(self, w: PodWorker) -> None:
        if not w.terminating or w.gone:
            return
        if any(c.running for c in w.containers()):
            return
        w.gone = True
        self._teardown_sandbox(w)
        self._release(w)
        self.pods.pop(w.key, None)
        self._dirty.pop(w.key, None)
        ns, name = w.key
        stored = self.store.get("Pod", ns, name)
        if stored is not None and stored["metadata"].get("uid") == w.uid:
            self.api.remove_now("Pod", ns, name)

    # =========================================================================================
    # static pods
    def add_static_pod(self, manifest: dict) -> dict:
        """A manifest in /etc/kubernetes/manifests: the kubelet runs it and mirrors it in the API."""
        name = f"{manifest['metadata']['name']}-{self.node_name}"
        self.static_manifests[name] = manifest
        return self._create_mirror(name)

    def _create_mirror(self, name: str) -> dict:
        from k8scourse.apiserver.store import clone

        manifest = clone(self.static_manifests[name])
        meta = manifest["metadata"]
        ns = meta.get("namespace", "kube-system")
        config_hash = hashlib.md5(f"{self.node_name}/{name}".encode()).hexdigest()
        meta["name"] = name
        meta["namespace"] = ns
        ann = dict(meta.get("annotations") or {})
        ann.update({"kubernetes.io/config.hash": config_hash,
                    "kubernetes.io/config.mirror": config_hash,
                    "kubernetes.io/config.seen": rfc3339nano(self.clock.datetime()),
                    "kubernetes.io/config.source": "file"})
        meta["annotations"] = dict(sorted(ann.items()))
        if self._node_uid:
            meta["ownerReferences"] = [{"apiVersion": "v1", "controller": True, "kind": "Node",
                                        "name": self.node_name, "uid": self._node_uid}]
        manifest["spec"]["nodeName"] = self.node_name
        return self.api.create(manifest, actor="kubelet")

    def _recreate_mirror(self, w: PodWorker) -> None:
        if w.mirror_pending:
            return
        w.mirror_pending = True
        name = w.key[1]

        def again():
            if not self.running or name not in self.static_manifests:
                return
            if self.store.get("Pod", w.key[0], name) is None:
                self._create_mirror(name)

        self.clock.call_later(round(0.5 + self.rand.random() * 0.5, 3), again, KUBELET)

    # =========================================================================================
    # probes
    def _start_probes(self, w: PodWorker, c: Container, inst: Instance) -> None:
        for kind in ("readiness", "liveness", "startup"):
            probe = c.spec.get(f"{kind}Probe")
            if not isinstance(probe, dict):
                continue
            c.probe_counts[kind] = [0, 0]
            delay = float(probe.get("initialDelaySeconds") or 0)
            period = float(probe.get("periodSeconds") or 10)
            # the prober ticks every period from the container's start and skips ticks that come
            # before initialDelaySeconds
            first = math.ceil(delay / period) * period if delay > 0 else 0.0
            # the first readiness result is a certain step toward Ready; later ones are routine
            self._probe_timer(w, c, inst, kind, first, periodic=kind != "readiness")

    def _probe_timer(self, w, c, inst, kind, delay, periodic=True) -> None:
        t = self.clock.call_later(delay, lambda: self._probe(w, c, inst, kind), KUBELET,
                                  periodic=periodic)
        if not c.probe_timers:
            c.probe_timers = [t]
            return
        c.probe_timers.append(t)
        if len(c.probe_timers) > 8:
            c.probe_timers = [x for x in c.probe_timers if not (x.done or x.cancelled)]

    def _stop_probes(self, c: Container) -> None:
        for t in c.probe_timers:
            t.cancel()
        c.probe_timers = ()

    def _probe(self, w: PodWorker, c: Container, inst: Instance, kind: str) -> None:
        if not inst.running or w.gone or w.terminating or not self.running:
            return
        probe = c.spec.get(f"{kind}Probe") or {}
        period = float(probe.get("periodSeconds") or 10)
        ok, msg = self._run_probe(w, inst, probe, kind)
        counts = c.probe_counts.setdefault(kind, [0, 0])
        if ok:
            counts[0] += 1
            counts[1] = 0
        else:
            counts[0] = 0
            counts[1] += 1
            self._event(w, "Warning", "Unhealthy", f"{kind.capitalize()} probe failed: {msg}", c)
        success_threshold = int(probe.get("successThreshold") or 1)
        failure_threshold = int(probe.get("failureThreshold") or 3)
        if kind == "readiness":
            if ok and counts[0] >= success_threshold and not c.ready:
                c.ready = True
                self._mark(w)
            elif not ok and counts[1] >= failure_threshold and c.ready:
                c.ready = False
                self._mark(w)
            elif not ok and not c.ready and counts[1] == 1:
                self._mark(w)
        elif kind == "liveness" and not ok and counts[1] >= failure_threshold:
            self._event(w, "Normal", "Killing",
                        f"Container {c.name} failed liveness probe, will be restarted", c)
            self.cluster.trace.add("kubelet", f"Container {c.name} of pod {w.key[1]} failed its "
                                              f"liveness probe {failure_threshold} times in a "
                                              "row: restarting it")
            self._kill_container(w, c, self._grace(w))
            return
        elif kind == "startup" and not ok and counts[1] >= failure_threshold:
            self._event(w, "Normal", "Killing",
                        f"Container {c.name} failed startup probe, will be restarted", c)
            self._kill_container(w, c, self._grace(w))
            return
        elif kind == "startup" and ok:
            return  # a passed startup probe stops probing
        if ok and "exec" not in probe and _constant(inst.process, kind):
            return  # a process whose health cannot change: probing again would tell nothing new
        self._probe_timer(w, c, inst, kind, period)

    def _run_probe(self, w: PodWorker, inst: Instance, probe: dict, kind: str) -> tuple[bool, str]:
        proc = inst.process
        if "exec" in probe:
            argv = list((probe.get("exec") or {}).get("command") or [])
            fn = getattr(proc, "exec", None)
            if fn is None or not argv:
                return True, ""
            code, out, err = fn(argv)
            if code == 0:
                return True, ""
            return False, (out + err).strip() or f"command {argv!r} exited with {code}"
        good = proc.ready() if kind == "readiness" else (
            proc.alive() if hasattr(proc, "alive") else True)
        if good:
            return True, ""
        ip = w.pod_ip
        if "httpGet" in probe:
            h = probe.get("httpGet") or {}
            port = h.get("port", 80)
            scheme = (h.get("scheme") or "HTTP").lower()
            return False, (f'Get "{scheme}://{h.get("host") or ip}:{port}{h.get("path", "/")}": '
                           f"dial tcp {ip}:{port}: connect: connection refused")
        if "tcpSocket" in probe:
            port = (probe.get("tcpSocket") or {}).get("port")
            return False, f"dial tcp {ip}:{port}: connect: connection refused"
        return False, "probe failed"

    # =========================================================================================
    # the environment a container sees
    def _config_error(self, w: PodWorker, c: Container) -> str:
        """A missing ConfigMap/Secret (or key) behind env or envFrom."""
        ns = w.key[0]
        for ef in c.spec.get("envFrom") or ():
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                ref = ef.get(key)
                if isinstance(ref, dict) and not ref.get("optional"):
                    if self._source(kind, ns, ref.get("name", "")) is None:
                        return f'{kind.lower()} "{ref.get("name", "")}" not found'
        for e in c.spec.get("env") or ():
            vf = e.get("valueFrom") if isinstance(e, dict) else None
            if not isinstance(vf, dict):
                continue
            for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                ref = vf.get(key)
                if not isinstance(ref, dict) or ref.get("optional"):
                    continue
                obj = self._source(kind, ns, ref.get("name", ""))
                if obj is None:
                    return f'{kind.lower()} "{ref.get("name", "")}" not found'
                data = dict(obj.get("data") or {})
                data.update(obj.get("binaryData") or {})
                if ref.get("key") not in data:
                    return (f"couldn't find key {ref.get('key')} in {kind} "
                            f"{ns}/{ref.get('name', '')}")
        return ""

    def _source(self, kind: str, ns: str, name: str) -> dict | None:
        try:
            return self.store.get(kind, ns, name)
        except Exception:  # pragma: no cover - a kind the store never held
            return None

    def _env(self, w: PodWorker, c: Container) -> dict[str, str]:
        """makeEnvironmentVariables: PATH and HOSTNAME from the runtime, envFrom, env, then the
        Service links (only Services that exist now), then HOME."""
        pod = w.pod
        meta = pod["metadata"]
        ns = w.key[0]
        env: dict[str, str] = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                                       "/sbin:/bin",
                               "HOSTNAME": (self.node_name if w.host_network else
                                            (pod.get("spec") or {}).get("hostname") or
                                            meta["name"])}
        declared: dict[str, str] = {}
        for ef in c.spec.get("envFrom") or ():
            prefix = ef.get("prefix") or ""
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                ref = ef.get(key)
                if isinstance(ref, dict):
                    obj = self._source(kind, ns, ref.get("name", ""))
                    for k, v in ((obj or {}).get("data") or {}).items():
                        declared[prefix + k] = v
        for e in c.spec.get("env") or ():
            if not isinstance(e, dict) or not e.get("name"):
                continue
            if "valueFrom" in e:
                declared[e["name"]] = self._value_from(w, e["valueFrom"])
            else:
                declared[e["name"]] = _expand(str(e.get("value", "")), declared)
        env.update(declared)
        links = (pod.get("spec") or {}).get("enableServiceLinks", True) is not False
        for k, v in self._shared.service_env(ns, links).items():
            env.setdefault(k, v)
        env.setdefault("HOME", "/root")
        return env

    def _value_from(self, w: PodWorker, vf: dict) -> str:
        pod = w.pod
        ns = w.key[0]
        if "fieldRef" in vf:
            path = (vf.get("fieldRef") or {}).get("fieldPath", "")
            meta, spec = pod["metadata"], pod.get("spec") or {}
            simple = {"metadata.name": meta.get("name", ""),
                      "metadata.namespace": ns,
                      "metadata.uid": meta.get("uid", ""),
                      "spec.nodeName": self.node_name,
                      "spec.serviceAccountName": spec.get("serviceAccountName", ""),
                      "status.hostIP": self.config.ip, "status.hostIPs": self.config.ip,
                      "status.podIP": w.pod_ip, "status.podIPs": w.pod_ip}
            if path in simple:
                return simple[path]
            for field_, src in (("metadata.labels", "labels"),
                                ("metadata.annotations", "annotations")):
                if path.startswith(field_ + "['") and path.endswith("']"):
                    return (meta.get(src) or {}).get(path[len(field_) + 2:-2], "")
            return ""
        if "resourceFieldRef" in vf:
            return "0"
        for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
            ref = vf.get(key)
            if isinstance(ref, dict):
                obj = self._source(kind, ns, ref.get("name", "")) or {}
                return str((obj.get("data") or {}).get(ref.get("key"), ""))
        return ""

    # =========================================================================================
    # status
    def _event(self, w: PodWorker, type_: str, reason: str, message: str,
               c: Container | None = None) -> None:
        self.api.events.record(w.pod, type_, reason, message, self.component,
                               host=self.node_name, field_path=c.field_path if c else "")

    def _set_cond(self, w: PodWorker, ctype: str, status: str, reason: str = "",
                  message: str = "") -> None:
        cur = w.conditions.get(ctype)
        if cur is None or cur[0] != status:
            w.conditions[ctype] = (status, reason, message, self.clock.timestamp())
        elif cur[1] != reason or cur[2] != message:
            w.conditions[ctype] = (status, reason, message, cur[3])

    def _mark(self, w: PodWorker) -> None:
        """The pod's status changed: post it (once per instant, however many changes)."""
        self._dirty[w.key] = w
        if self._flush_timer is None:
            self._flush_timer = self.clock.call_at(self.clock.now, self._flush, LATE)

    def _flush(self) -> None:
        self._flush_timer = None
        dirty = list(self._dirty.values())
        self._dirty.clear()
        for w in dirty:
            if w.gone or not self.running:
                continue
            ns, name = w.key
            stored = self.store.get("Pod", ns, name)
            if stored is None or stored["metadata"].get("uid") != w.uid:
                continue
            self.api.update_status("Pod", ns, name, self._pod_status(w, stored), actor="kubelet")

    def _phase(self, w: PodWorker) -> str:
        """getPhase (kubelet_pods.go)."""
        pending_init = failed_init = 0
        for c in w.init:
            cur = c.current
            if cur is None or cur.running:
                pending_init += 1
            elif c.waiting is not None:
                if cur.exit_code != 0:
                    failed_init += 1
            elif cur.exit_code != 0:
                failed_init += 1
        running = waiting = stopped = succeeded = 0
        for c in w.main:
            cur = c.current
            if cur is None:
                waiting += 1
            elif cur.running:
                running += 1
            else:
                stopped += 1
                if c.waiting is None and cur.exit_code == 0:
                    succeeded += 1
        policy = w.restart_policy
        if failed_init and policy == "Never":
            return "Failed"
        if pending_init or waiting:
            return "Pending"
        if running:
            return "Running"
        if stopped:
            if policy == "Always":
                return "Running"  # every container is on its way to a restart
            if stopped == succeeded:
                return "Succeeded"
            if policy == "Never":
                return "Failed"
            return "Running"
        return "Pending"

    def _pod_status(self, w: PodWorker, stored: dict) -> dict:
        old = stored.get("status") or {}
        phase = self._phase(w)
        has_init = bool(w.init)
        default_wait = "PodInitializing" if has_init else "ContainerCreating"
        init_statuses = [self._container_status(c, default_wait) for c in w.init]
        statuses = [self._container_status(c, default_wait) for c in w.main]

        # conditions (status.GeneratePod*Condition)
        self._set_cond(w, "PodReadyToStartContainers", "True" if w.sandbox else "False")
        incomplete = [c.name for c in w.init
                      if not (c.current is not None and not c.current.running and
                              c.current.exit_code == 0 and c.waiting is None)]
        any_started = any(c.current is not None for c in w.main)
        if not w.init:
            self._set_cond(w, "Initialized", "True")
        elif phase == "Succeeded":
            self._set_cond(w, "Initialized", "True", "PodCompleted")
        elif any_started or not incomplete:
            self._set_cond(w, "Initialized", "True")
        else:
            self._set_cond(w, "Initialized", "False", "ContainersNotInitialized",
                           f"containers with incomplete status: [{' '.join(incomplete)}]")
        unready = [c.name for c in w.main if not (c.running and c.ready)]
        if phase == "Succeeded":
            self._set_cond(w, "ContainersReady", "False", "PodCompleted")
            self._set_cond(w, "Ready", "False", "PodCompleted")
        elif unready:
            msg = f"containers with unready status: [{' '.join(unready)}]"
            self._set_cond(w, "ContainersReady", "False", "ContainersNotReady", msg)
            self._set_cond(w, "Ready", "False", "ContainersNotReady", msg)
        else:
            self._set_cond(w, "ContainersReady", "True")
            self._set_cond(w, "Ready", "True")

        sched_time = None
        others = []
        for cond in old.get("conditions") or ():
            t = cond.get("type")
            if t == "PodScheduled":
                sched_time = cond.get("lastTransitionTime")
            elif t not in _KUBELET_CONDITIONS:
                others.append(cond)
        conds = w.conditions
        if others:
            conditions = [_condition(ctype, *conds[ctype]) for ctype in _KUBELET_ORDER]
            conditions.append(_condition("PodScheduled", "True", "", "", sched_time or w.start_time))
            conditions.extend(others)
        else:
            conditions = _conditions(tuple(conds[ctype] for ctype in _KUBELET_ORDER),
                                     sched_time or w.start_time)
        status: dict[str, Any] = {
            "conditions": conditions,
            "containerStatuses": statuses,
            "hostIP": self.config.ip,
            "hostIPs": self._host_ips,
            "phase": phase,
        }
        if init_statuses:
            status["initContainerStatuses"] = init_statuses
        if w.pod_ip:
            status["podIP"] = w.pod_ip
            status["podIPs"] = [{"ip": w.pod_ip}]
        elif old.get("podIP"):
            status["podIP"] = old["podIP"]
            status["podIPs"] = old.get("podIPs") or [{"ip": old["podIP"]}]
        if old.get("qosClass"):
            status["qosClass"] = old["qosClass"]
        status["startTime"] = w.start_time
        return status

    def _ts(self, t: float) -> str:
        """clock.timestamp, memoised (a pod's times repeat in every status it posts)."""
        cache = self._ts_cache
        v = cache.get(t)
        if v is None:
            if len(cache) > 4096:
                cache.clear()
            v = cache[t] = self.clock.timestamp(t)
        return v

    def _container_status(self, c: Container, default_wait: str) -> dict:
        cur = c.current
        last = c.last
        sig = (default_wait, c.spec, c.ready, c.started, c.restarts, c.waiting, cur, last,
               None if cur is None else (cur.started_at, cur.finished_at, cur.exit_code,
                                         cur.reason, cur.message))
        cached = c.status_cache
        if cached is not None and cached[0] == sig:
            return cached[1]  # shared by the statuses posted: stored objects are read-only
        st = self._build_container_status(c, default_wait)
        c.status_cache = (sig, st)
        return st

    def _build_container_status(self, c: Container, default_wait: str) -> dict:
        ts = self._ts
        cur = c.current
        st: dict[str, Any] = {"name": c.name, "ready": bool(c.ready and c.running),
                              "restartCount": c.restarts, "started": bool(c.started and c.running)}
        if cur is None:
            st["image"] = c.spec.get("image") or ""
            st["imageID"] = ""
            st["lastState"] = {}
            reason, msg = c.waiting if c.waiting is not None else (default_wait, "")
            waiting = {"reason": reason}
            if msg:
                waiting["message"] = msg
            st["state"] = {"waiting": waiting}
        else:
            st["containerID"] = cur.id
            st["image"] = cur.image_field
            st["imageID"] = cur.image_id
            if cur.running:
                st["state"] = {"running": {"startedAt": ts(cur.started_at)}}
                st["lastState"] = self._terminated(c.last)
            elif c.waiting is not None:
                reason, msg = c.waiting
                waiting = {"reason": reason}
                if msg:
                    waiting["message"] = msg
                st["state"] = {"waiting": waiting}
                st["lastState"] = self._terminated(cur)
            else:
                st["state"] = self._terminated(cur)
                st["lastState"] = self._terminated(c.last)
        if c.mounts is None:
            mounts = []
            for m in c.spec.get("volumeMounts") or ():
                if not isinstance(m, dict):
                    continue
                vm = {"mountPath": m.get("mountPath", ""), "name": m.get("name", "")}
                if m.get("readOnly"):
                    vm["readOnly"] = True
                    vm["recursiveReadOnly"] = "Disabled"
                mounts.append(vm)
            c.mounts = mounts
        if c.mounts:
            st["volumeMounts"] = c.mounts  # shared by every status posted: stored objects are read-only
        return st

    def _terminated(self, inst: Instance | None) -> dict:
        if inst is None or inst.finished_at is None:
            return {}
        ts = self._ts
        t = {"containerID": inst.id, "exitCode": inst.exit_code,
             "finishedAt": ts(inst.finished_at), "reason": inst.reason,
             "startedAt": EPOCH_START if inst.never_started else ts(inst.started_at)}
        if inst.message:
            t["message"] = inst.message
        return {"terminated": t}

    # =========================================================================================
    # kubectl logs / exec
    def logs(self, namespace: str, pod: str, container: str | None = None,
             previous: bool = False, tail: int | None = None, timestamps: bool = False,
             since_seconds: float | None = None) -> str:
        """What `kubectl logs` prints for a container of a pod on this node.

        Errors are the API server's and kubelet's own: NotFound for a missing pod, BadRequest for
        a container that is not in the pod or has no logs yet.
        """
        stored = self.store.get("Pod", namespace, pod)
        if stored is None:
            raise NotFound("pods", pod, kind="Pod")
        spec = stored.get("spec") or {}
        names = [c.get("name") for c in spec.get("containers") or ()]
        init_names = [c.get("name") for c in spec.get("initContainers") or ()]
        if container is None:
            if len(names) != 1:
                msg = (f"a container name must be specified for pod {pod}, choose one of: "
                       f"[{' '.join(names)}]")
                if init_names:
                    msg += f" or one of the init containers: [{' '.join(init_names)}]"
                raise BadRequest(msg, kind="Pod", name=pod)
            container = names[0]
        if container not in names and container not in init_names:
            raise BadRequest(f"container {container} is not valid for pod {pod}", kind="Pod",
                             name=pod)
        if not self.running:
            # the API server cannot reach the kubelet of a machine that is off
            err = StatusError(f'Get "https://{self.config.ip}:10250/containerLogs/{namespace}/'
                              f'{pod}/{container}": dial tcp {self.config.ip}:10250: connect: no '
                              "route to host", kind="Pod", name=pod)
            err.reason = ""
            raise err
        w = self.pods.get((namespace, pod))
        c = w.container(container) if w is not None and w.uid == stored["metadata"].get("uid") \
            else None
        inst = self._log_instance(c, stored, container, pod, previous)
        now = self.clock.now
        lines = inst.log.visible(now)
        if since_seconds is not None:
            lines = [ln for ln in lines if ln[0] >= now - since_seconds]
        if tail is not None and tail >= 0:
            lines = lines[-tail:] if tail else []
        out = []
        for t, _, _, text in lines:
            if timestamps:
                out.append(f"{rfc3339nano(self.clock.datetime(t))} {text}\n")
            else:
                out.append(text + "\n")
        return "".join(out)

    def _log_instance(self, c: Container | None, stored: dict, container: str, pod: str,
                      previous: bool) -> Instance:
        """validateContainerLogStatus (kubelet_pods.go)."""
        if c is None:
            raise BadRequest(f'container "{container}" in pod "{pod}" is waiting to start: '
                             f"{'PodInitializing' if (stored.get('spec') or {}).get('initContainers') else 'ContainerCreating'}",
                             kind="Pod", name=pod)
        cur = c.current
        last_terminated = None
        if cur is not None and not cur.running and c.waiting is not None:
            last_terminated = cur
        elif c.last is not None:
            last_terminated = c.last
        if previous:
            if last_terminated is None:
                raise BadRequest(f'previous terminated container "{container}" in pod "{pod}" '
                                 "not found", kind="Pod", name=pod)
            return last_terminated
        if cur is not None and cur.running:
            return cur
        if cur is not None and c.waiting is None:
            return cur  # terminated
        if last_terminated is not None:
            return last_terminated
        reason = c.waiting[0] if c.waiting else ("PodInitializing" if (stored.get("spec") or {})
                                                 .get("initContainers") else "ContainerCreating")
        if reason == "ErrImagePull":
            detail = "image can't be pulled"
        elif reason == "ImagePullBackOff":
            detail = "trying and failing to pull image"
        else:
            detail = reason
        raise BadRequest(f'container "{container}" in pod "{pod}" is waiting to start: {detail}',
                         kind="Pod", name=pod)

    def exec(self, namespace: str, pod: str, container: str | None,
             argv: list[str]) -> tuple[int, str, str]:
        """`kubectl exec`: run `argv` in a running container; (exit status, stdout, stderr)."""
        stored = self.store.get("Pod", namespace, pod)
        if stored is None:
            raise NotFound("pods", pod, kind="Pod")
        w = self.pods.get((namespace, pod))
        if container is None:
            names = [c.get("name") for c in (stored.get("spec") or {}).get("containers") or ()]
            container = names[0] if names else ""
        c = w.container(container) if w is not None else None
        if c is None or not c.running:
            raise BadRequest(f'unable to upgrade connection: container not found ("{container}")',
                             kind="Pod", name=pod)
        proc = c.current.process
        fn = getattr(proc, "exec", None)
        if fn is None:
            from k8scourse.kubelet.process import Process
            fn = Process(c.current.ctx).exec
        return fn(list(argv))

    def container_process(self, namespace: str, pod: str, container: str | None = None):
        """The running Process of a container (for the networking layer and the apps), or None."""
        w = self.pods.get((namespace, pod))
        if w is None:
            return None
        cs = [w.container(container)] if container else w.main
        for c in cs:
            if c is not None and c.running:
                return c.current.process
        return None

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Kubelet {self.node_name} {state} pods={len(self.pods)}>"


# ----------------------------------------------------------------------------------------------

def _constant(proc, kind: str) -> bool:
    """Whether the process's probe answers are fixed (the default Process ones)."""
    from k8scourse.kubelet.process import Process

    name = "ready" if kind == "readiness" else "alive"
    fn = getattr(type(proc), name, None)
    return fn is getattr(Process, name)


def _pod_requests(pod: dict) -> tuple[int, int]:
    """The pod's effective cpu (millis) and memory (bytes) requests: the sum over its containers,
    or the largest init container's if bigger (resourcehelper.PodRequests)."""
    spec = pod.get("spec") or {}

    def one(c: dict) -> tuple[int, int]:
        req = ((c.get("resources") or {}).get("requests") or {}) if isinstance(c, dict) else {}
        cpu = req.get("cpu")
        mem = req.get("memory")
        try:
            return (quantity.cpu_millis(cpu) if cpu is not None else 0,
                    quantity.memory_bytes(mem) if mem is not None else 0)
        except Exception:
            return (0, 0)

    cpu = mem = 0
    for c in spec.get("containers") or ():
        a, b = one(c)
        cpu += a
        mem += b
    for c in spec.get("initContainers") or ():
        a, b = one(c)
        cpu, mem = max(cpu, a), max(mem, b)
    return cpu, mem


def _without_heartbeats(status: dict) -> dict:
    conds = [{k: v for k, v in c.items() if k != "lastHeartbeatTime"}
             for c in status.get("conditions") or ()]
    return dict(status, conditions=conds)


def _expand(value: str, env: dict[str, str]) -> str:
    """`$(VAR)` references to variables declared before (expansion.MappingFuncFor)."""
    if "$(" not in value:
        return value
    out = []
    i = 0
    while i < len(value):
        if value.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        if value.startswith("$(", i):
            j = value.find(")", i)
            if j > 0:
                name = value[i + 2:j]
                out.append(env.get(name, value[i:j + 1]))
                i = j + 1
                continue
        out.append(value[i])
        i += 1
    return "".join(out)


def _service_env(services: list[dict]) -> dict[str, str]:
    """envvars.FromServices: Docker-link style variables for each Service with a ClusterIP."""
    env: dict[str, str] = {}
    for svc in sorted(services, key=lambda s: s["metadata"]["name"]):
        spec = svc.get("spec") or {}
        ip = spec.get("clusterIP")
        if not ip or ip == "None":
            continue
        ports = [p for p in spec.get("ports") or () if isinstance(p, dict)]
        if not ports:
            continue
        prefix = svc["metadata"]["name"].upper().replace("-", "_")
        env[f"{prefix}_SERVICE_HOST"] = ip
        env[f"{prefix}_SERVICE_PORT"] = str(ports[0].get("port"))
        for p in ports:
            if p.get("name"):
                env[f"{prefix}_SERVICE_PORT_{p['name'].upper().replace('-', '_')}"] = \
                    str(p.get("port"))
        for i, p in enumerate(ports):
            proto = (p.get("protocol") or "TCP")
            port = p.get("port")
            pp = f"{prefix}_PORT_{port}_{proto.upper()}"
            if i == 0:
                env[f"{prefix}_PORT"] = f"{proto.lower()}://{ip}:{port}"
            env[pp] = f"{proto.lower()}://{ip}:{port}"
            env[f"{pp}_PROTO"] = proto.lower()
            env[f"{pp}_PORT"] = str(port)
            env[f"{pp}_ADDR"] = ip
    return env
