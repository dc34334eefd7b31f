"""The scheduler's cache: every node with the pods bound to it (pkg/scheduler/backend/cache).

It is fed by the watches, so what it counts is exactly what the API server holds: a pod counts on
its node from the moment it is bound until it is deleted or reaches Succeeded/Failed (the
scheduler's informer leaves terminated pods out). Terminating pods still hold their resources.

Nodes are listed as the node tree lists them (nodetree.go): zones take turns, and inside a zone
nodes keep the order in which they joined. Filtering walks this list from where the previous pod
stopped.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from k8scourse.scheduler.podinfo import (REGION_LABEL, ZONE_LABEL, PodInfo, Resources,
                                         selector_matches)

BETA_ZONE = "failure-domain.beta.kubernetes.io/zone"
BETA_REGION = "failure-domain.beta.kubernetes.io/region"


def zone_key(labels: dict) -> str:
    """utilnode.GetZoneKey: region and zone joined, or "" when a node has neither."""
    zone = labels.get(ZONE_LABEL, labels.get(BETA_ZONE, ""))
    region = labels.get(REGION_LABEL, labels.get(BETA_REGION, ""))
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"


class NodeInfo:
    """framework.NodeInfo: a node and the sums over the pods bound to it."""

    __slots__ = ("name", "node", "labels", "taints", "unschedulable", "allocatable", "images",
                 "zone", "requested", "nz_cpu", "nz_mem", "pods", "used_ports", "generation")

    def __init__(self, name: str):
        self.name = name
        self.node: dict | None = None
        self.labels: dict = {}
        self.taints: list = []
        self.unschedulable = False
        self.allocatable = Resources()
        self.images: dict[str, int] = {}
        self.zone = ""
        self.requested = Resources()
        self.nz_cpu = 0
        self.nz_mem = 0
        self.pods: dict[tuple[str, str], PodInfo] = {}
        self.used_ports: Counter = Counter()
        self.generation = 0

    def set_node(self, node: dict) -> None:
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        self.node = node
        self.labels = meta.get("labels") or {}
        self.taints = [t for t in spec.get("taints") or () if isinstance(t, dict)]
        self.unschedulable = bool(spec.get("unschedulable"))
        self.allocatable = Resources.from_list(status.get("allocatable"))
        images = {}
        for img in status.get("images") or ():
            size = img.get("sizeBytes") or 0
            for n in img.get("names") or ():
                images[n] = size
        self.images = images
        self.zone = zone_key(self.labels)

    def clone(self) -> "NodeInfo":
        """A copy whose pods can be added and removed without touching this one."""
        c = NodeInfo(self.name)
        c.node, c.labels, c.taints = self.node, self.labels, self.taints
        c.unschedulable, c.allocatable, c.images, c.zone = (
            self.unschedulable, self.allocatable, self.images, self.zone)
        r = self.requested
        c.requested = Resources(r.cpu, r.memory, r.ephemeral, 0, dict(r.scalars))
        c.nz_cpu, c.nz_mem = self.nz_cpu, self.nz_mem
        c.pods = dict(self.pods)
        c.used_ports = Counter(self.used_ports)
        c.generation = self.generation
        return c

    def add(self, p: PodInfo) -> None:
        self.pods[p.key] = p
        r, q = self.requested, p.requests
        r.cpu += q.cpu
        r.memory += q.memory
        r.ephemeral += q.ephemeral
        for k, v in q.scalars.items():
            r.scalars[k] = r.scalars.get(k, 0) + v
        self.nz_cpu += p.non_zero_cpu
        self.nz_mem += p.non_zero_mem
        for port in p.host_ports:
            self.used_ports[port] += 1
        self.generation += 1

    def remove(self, p: PodInfo) -> None:
        self.pods.pop(p.key, None)
        r, q = self.requested, p.requests
        r.cpu -= q.cpu
        r.memory -= q.memory
        r.ephemeral -= q.ephemeral
        for k, v in q.scalars.items():
            r.scalars[k] = r.scalars.get(k, 0) - v
        self.nz_cpu -= p.non_zero_cpu
        self.nz_mem -= p.non_zero_mem
        for port in p.host_ports:
            self.used_ports[port] -= 1
            if self.used_ports[port] <= 0:
                del self.used_ports[port]
        self.generation += 1

    def port_conflict(self, ip: str, protocol: str, port: int) -> bool:
        """HostPortInfo.CheckConflict: 0.0.0.0 clashes with every address on the same port."""
        if port <= 0:
            return False
        for (uip, uproto, uport) in self.used_ports:
            if uport != port or uproto != protocol:
                continue
            if ip == "0.0.0.0" or uip == "0.0.0.0" or uip == ip:
                return True
        return False

    def __repr__(self) -> str:
        return f"<NodeInfo {self.name} pods={len(self.pods)} requested={self.requested}>"


class SpreadCounter:
    """How many pods matching one selector (in one namespace) run on each node, kept up to date."""

    __slots__ = ("namespace", "selector", "counts")

    def __init__(self, namespace: str, selector: tuple):
        self.namespace = namespace
        self.selector = selector
        self.counts: Counter = Counter()

    def counts_pod(self, p: PodInfo) -> bool:
        return (not p.deleting and p.namespace == self.namespace
                and selector_matches(self.selector, p.labels))


class Cache:
    """Nodes and their pods, plus the pods nominated to a node by preemption."""

    MAX_COUNTERS = 32

    def __init__(self) -> None:
        self.infos: dict[str, NodeInfo] = {}
        self.pod_node: dict[tuple[str, str], str] = {}
        self._zones: dict[str, list[str]] = {}
        self.order: list[str] = []
        #: each node's place in `order`
        self.position: dict[str, int] = {}
        self.order_version = 0
        #: bumped whenever a node is added, removed or changed (labels, taints, allocatable...)
        self.node_version = 0
        #: how many bound pods have each priority (preemption needs the lowest)
        self.priorities: Counter = Counter()
        #: node names whose NodeInfo changed since the fast path last looked
        self.dirty: set[str] = set()
        #: ... of which the Node itself changed (labels, taints, cordon, allocatable)
        self.changed: set[str] = set()
        #: ... and those whose list of images changed
        self.image_dirty: set[str] = set()
        self.image_version = 0
        self.counters: dict[tuple[str, tuple], SpreadCounter] = {}
        self.image_nodes: dict[str, set[str]] = {}
        self.image_size: dict[str, int] = {}
        self.nominated: dict[str, dict[tuple[str, str], PodInfo]] = {}
        self.nominated_node_of: dict[tuple[str, str], str] = {}
        #: counts of node features the fast path can skip when nobody uses them
        self.prefer_no_schedule_nodes = 0
        self.zoned_nodes = 0

    # nodes ----------------------------------------------------------------------------------
    def node_infos(self) -> list[NodeInfo]:
        """The snapshot's node list, in node tree order."""
        infos = self.infos
        return [infos[n] for n in self.order]

    def num_nodes(self) -> int:
        return len(self.order)

    def get(self, name: str) -> NodeInfo | None:
        ni = self.infos.get(name)
        return ni if ni is not None and ni.node is not None else None

    def _info(self, name: str) -> NodeInfo:
        ni = self.infos.get(name)
        if ni is None:
            ni = self.infos[name] = NodeInfo(name)
        return ni

    def set_node(self, node: dict) -> tuple[dict | None, NodeInfo]:
        """Add or update a Node; returns the previous Node object (None when new) and its info."""
        name = node["metadata"]["name"]
        ni = self._info(name)
        old = ni.node
        old_zone = ni.zone
        had_pns = old is not None and _has_prefer_no_schedule(ni.taints)
        had_zone = old is not None and _has_zone_label(ni.labels)
        old_images = ni.images if old is not None else {}
        before = _static_view(ni) if old is not None else None
        ni.set_node(node)
        ni.generation += 1
        if before != _static_view(ni):
            self.node_version += 1
            self.changed.add(name)
            self.dirty.add(name)
        self.prefer_no_schedule_nodes += _has_prefer_no_schedule(ni.taints) - had_pns
        self.zoned_nodes += _has_zone_label(ni.labels) - had_zone
        if ni.images != old_images:
            self._update_images(name, old_images, ni.images)
            self.image_version += 1
            self.image_dirty.add(name)
        if old is None:
            self._zones.setdefault(ni.zone, []).append(name)
            self._rebuild_order()
        elif ni.zone != old_zone:
            self._tree_remove(name, old_zone)
            self._zones.setdefault(ni.zone, []).append(name)
            self._rebuild_order()
        return old, ni

    def remove_node(self, name: str) -> dict | None:
        ni = self.infos.get(name)
        if ni is None or ni.node is None:
            return None
        old = ni.node
        self.prefer_no_schedule_nodes -= _has_prefer_no_schedule(ni.taints)
        self.zoned_nodes -= _has_zone_label(ni.labels)
        self._update_images(name, ni.images, {})
        self.image_version += 1
        self._tree_remove(name, ni.zone)
        ni.node = None
        ni.images = {}
        ni.generation += 1
        self.node_version += 1
        self.dirty.add(name)
        if not ni.pods:
            del self.infos[name]
        self._rebuild_order()
        return old

    def _tree_remove(self, name: str, zone: str) -> None:
        names = self._zones.get(zone)
        if names and name in names:
            names.remove(name)
            if not names:
                del self._zones[zone]

    def _rebuild_order(self) -> None:
        zones = list(self._zones.values())
        order: list[str] = []
        i = 0
        while True:
            added = False
            for names in zones:
                if i < len(names):
                    order.append(names[i])
                    added = True
            if not added:
                break
            i += 1
        self.order = order
        self.position = {n: i for i, n in enumerate(order)}
        self.order_version += 1

    def _update_images(self, node: str, old: dict, new: dict) -> None:
        for n in old:
            if n not in new:
                s = self.image_nodes.get(n)
                if s is not None:
                    s.discard(node)
                    if not s:
                        del self.image_nodes[n]
                        self.image_size.pop(n, None)
        for n, size in new.items():
            if n not in self.image_nodes:
                self.image_nodes[n] = set()
                self.image_size[n] = size
            self.image_nodes[n].add(node)

    # pods -----------------------------------------------------------------------------------
    def add_pod(self, p: PodInfo, node: str) -> None:
        if p.key in self.pod_node:
            self.remove_pod(p.key)
        self.pod_node[p.key] = node
        self._info(node).add(p)
        self.priorities[p.priority] += 1
        self.dirty.add(node)
        for c in self.counters.values():
            if c.counts_pod(p):
                c.counts[node] += 1

    def remove_pod(self, key: tuple[str, str]) -> PodInfo | None:
        node = self.pod_node.pop(key, None)
        if node is None:
            return None
        ni = self.infos[node]
        p = ni.pods.get(key)
        if p is None:
            return None
        ni.remove(p)
        self.priorities[p.priority] -= 1
        if not self.priorities[p.priority]:
            del self.priorities[p.priority]
        self.dirty.add(node)
        for c in self.counters.values():
            if c.counts_pod(p):
                c.counts[node] -= 1
        if ni.node is None and not ni.pods:
            del self.infos[node]
        return p

    def pod(self, key: tuple[str, str]) -> PodInfo | None:
        node = self.pod_node.get(key)
        return None if node is None else self.infos[node].pods.get(key)

    def lowest_priority(self) -> float:
        """The lowest priority among bound pods (infinity when there are none)."""
        return min(self.priorities, default=float("inf"))

    def counter(self, namespace: str, selector: tuple) -> SpreadCounter:
        """The live per-node count of pods matching `selector` (built on first use)."""
        key = (namespace, selector)
        c = self.counters.get(key)
        if c is not None:
            return c
        if len(self.counters) >= self.MAX_COUNTERS:
            del self.counters[next(iter(self.counters))]
        c = SpreadCounter(namespace, selector)
        for name, ni in self.infos.items():
            n = 0
            for p in ni.pods.values():
                if c.counts_pod(p):
                    n += 1
            if n:
                c.counts[name] = n
        self.counters[key] = c
        return c

    # nominated pods (preemption) ------------------------------------------------------------
    def nominate(self, p: PodInfo, node: str) -> None:
        self.unnominate(p.key)
        if node:
            self.nominated.setdefault(node, {})[p.key] = p
            self.nominated_node_of[p.key] = node
            self.dirty.add(node)

    def unnominate(self, key: tuple[str, str]) -> None:
        node = self.nominated_node_of.pop(key, None)
        if node is not None:
            pods = self.nominated.get(node, {})
            pods.pop(key, None)
            if not pods:
                self.nominated.pop(node, None)
            self.dirty.add(node)

    def nominated_for(self, node: str, p: PodInfo) -> list[PodInfo]:
        """Pods nominated to `node` that `p` must leave room for (same or higher priority)."""
        pods = self.nominated.get(node)
        if not pods:
            return []
        return [q for k, q in pods.items() if k != p.key and q.priority >= p.priority]


def _static_view(ni: NodeInfo) -> tuple:
    a = ni.allocatable
    return (ni.labels, ni.taints, ni.unschedulable, a.cpu, a.memory, a.ephemeral, a.pods,
            a.scalars)


def _has_prefer_no_schedule(taints: Iterable[dict]) -> int:
    return int(any(t.get("effect") == "PreferNoSchedule" for t in taints))


def _has_zone_label(labels: dict) -> int:
    return int(ZONE_LABEL in labels)


__all__ = ["Cache", "NodeInfo", "SpreadCounter", "zone_key"]
