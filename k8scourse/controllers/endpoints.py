"""The endpoints controller: an Endpoints object beside every Service that has a selector.

As pkg/controller/endpoint/endpoints_controller.go (v1.32): for a Service with a selector (and
not of type ExternalName), the pods of its namespace that match it and have an IP, are not
Succeeded or Failed and are not terminating (unless publishNotReadyAddresses) become addresses:
ready pods in `addresses`, the others in `notReadyAddresses` (all ready with
publishNotReadyAddresses). Each service port resolves its targetPort per pod (a number, or the
container port of that name and protocol; pods where the name is missing are left out of that
port). RepackSubsets then groups addresses that offer the same ports and sorts them by IP as a
string. The Endpoints object gets the Service's labels (plus service.kubernetes.io/headless for
headless Services), the annotation endpoints.kubernetes.io/last-change-trigger-time, and, past
1000 addresses, is truncated with endpoints.kubernetes.io/over-capacity: truncated.

A Service without a selector is left alone (its Endpoints are the user's); when a Service is
deleted, so are its Endpoints.

So that 10,000 pods behind one Service stay cheap, the controller keeps each Service's members
and recomputes only the pods the watch reports as changed; passes are at most every `interval`.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from k8scourse.controllers import podutil
from k8scourse.controllers.base import Controller, Key
from k8scourse.errors import Forbidden, K8sError, NotFound

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time"
OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity"
HEADLESS_LABEL = "service.kubernetes.io/headless"
#: maxCapacity: an Endpoints object holds at most this many addresses.
MAX_CAPACITY = 1000


def find_port(pod: dict, service_port: dict) -> int | None:
    """podutil.FindPort: the pod's port for a service port (targetPort number, or the container
    port with that name and protocol), or None."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str):
        if target.isdigit():
            return int(target)
        protocol = service_port.get("protocol") or "TCP"
        spec = pod.get("spec") or {}
        for c in spec.get("containers") or ():
            for p in c.get("ports") or ():
                if p.get("name") == target and (p.get("protocol") or "TCP") == protocol:
                    return p.get("containerPort")
        for c in spec.get("initContainers") or ():
            if c.get("restartPolicy") != "Always":
                continue
            for p in c.get("ports") or ():
                if p.get("name") == target and (p.get("protocol") or "TCP") == protocol:
                    return p.get("containerPort")
    return None


def should_pod_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    """endpointsliceutil.ShouldPodBeInEndpoints."""
    if podutil.is_pod_terminal(pod):
        return False
    status = pod.get("status") or {}
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    if not include_terminating and pod["metadata"].get("deletionTimestamp"):
        return False
    return True


def _pod_ip(pod: dict) -> str:
    status = pod.get("status") or {}
    if status.get("podIP"):
        return status["podIP"]
    ips = status.get("podIPs") or []
    return ips[0].get("ip", "") if ips else ""


def _hash(obj) -> str:
    return hashlib.md5(json.dumps(obj, sort_keys=True).encode()).hexdigest()


#: one pod's contribution: (sort key (ip, uid), address, ready, ((port key, port), ...)); a
#: portless headless Service has the single port ("", None).
Entry = tuple[tuple[str, str], dict, bool, tuple]


def repack_subsets(entries) -> list[dict]:
    """endpoints.RepackSubsets: addresses offering the same ports form one subset; addresses are
    sorted by IP string (then uid), ports and subsets in a stable hash order."""
    entries = list(entries)
    if not entries:
        return []
    signature = entries[0][3]
    if all(e[3] is signature or e[3] == signature for e in entries):
        # every address offers the same ports: one subset (the usual case, done fast)
        ready = [e for e in entries if e[2]]
        not_ready = [e for e in entries if not e[2]]
        subset: dict = {}
        if ready:
            ready.sort(key=lambda e: e[0])
            subset["addresses"] = [e[1] for e in ready]
        if not_ready:
            not_ready.sort(key=lambda e: e[0])
            subset["notReadyAddresses"] = [e[1] for e in not_ready]
        ports = [p for _, p in signature if p is not None]
        if ports:
            subset["ports"] = sorted(ports, key=_hash)
        return [subset]
    all_addrs: dict[tuple[str, str], dict] = {}
    port_to_addrs: dict[str, tuple[dict | None, dict[tuple[str, str], bool]]] = {}
    for key, addr, ready, ports in entries:
        all_addrs.setdefault(key, addr)
        for pkey, port in ports:
            slot = port_to_addrs.get(pkey)
            if slot is None:
                slot = port_to_addrs[pkey] = (port, {})
            seen = slot[1]
            if not seen.get(key, False):
                seen[key] = ready
    groups: dict[frozenset, list] = {}
    for port, addrs in port_to_addrs.values():
        gkey = frozenset(addrs.items())
        ports = groups.setdefault(gkey, [])
        if port is not None:
            ports.append(port)
    final = []
    for gkey, ports in groups.items():
        ready_keys = sorted(k for k, r in gkey if r)
        not_ready_keys = sorted(k for k, r in gkey if not r)
        subset = {}
        if ready_keys:
            subset["addresses"] = [all_addrs[k] for k in ready_keys]
        if not_ready_keys:
            subset["notReadyAddresses"] = [all_addrs[k] for k in not_ready_keys]
        if ports:
            subset["ports"] = sorted(ports, key=_hash)
        final.append(subset)
    final.sort(key=_hash)
    return final


def truncate(subsets: list[dict]) -> bool:
    """truncateEndpoints: keep at most MAX_CAPACITY addresses, in proportion per subset (ready
    ones first); True when something was cut."""
    total_ready = sum(len(s.get("addresses") or ()) for s in subsets)
    total_not_ready = sum(len(s.get("notReadyAddresses") or ()) for s in subsets)
    if total_ready + total_not_ready <= MAX_CAPACITY:
        return False
    truncate_ready = total_ready > MAX_CAPACITY
    limit = MAX_CAPACITY if truncate_ready else MAX_CAPACITY - total_ready
    total = total_ready if truncate_ready else total_not_ready
    room = limit
    for s in subsets:
        field = "addresses" if truncate_ready else "notReadyAddresses"
        n = len(s.get(field) or ())
        add = min(int(math.ceil(n / total * limit)), room) if total else 0
        if truncate_ready:
            s["addresses"] = (s.get("addresses") or [])[:add]
            s.pop("notReadyAddresses", None)
        else:
            s["notReadyAddresses"] = (s.get("notReadyAddresses") or [])[:add]
        for f in ("addresses", "notReadyAddresses"):
            if f in s and not s[f]:
                del s[f]
        room -= add
    return True


def _endpoint_changed(old: dict, new: dict) -> bool:
    """podEndpointsChanged: labels, deletion, IP, node, hostname, terminal phase, readiness."""
    om, nm = old["metadata"], new["metadata"]
    if om.get("labels") != nm.get("labels") or \
            om.get("deletionTimestamp") != nm.get("deletionTimestamp"):
        return True
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if old_spec is not new_spec and (
            old_spec.get("nodeName") != new_spec.get("nodeName") or
            old_spec.get("hostname") != new_spec.get("hostname") or
            old_spec.get("subdomain") != new_spec.get("subdomain")):
        return True
    old_status, new_status = old.get("status"), new.get("status")
    if old_status is new_status:
        return False
    old_status, new_status = old_status or {}, new_status or {}
    if old_status.get("podIP") != new_status.get("podIP") or \
            podutil.is_pod_terminal(old) != podutil.is_pod_terminal(new):
        return True
    return podutil.ready_signature(old) != podutil.ready_signature(new)


class _Members:
    """One Service's view of its pods, kept current from the pod watch."""

    __slots__ = ("uid", "shape", "match", "entries", "trigger_times", "changed", "ports")

    def __init__(self, uid: str, shape, match):
        self.uid = uid
        self.shape = shape
        self.match = match
        #: pod name -> Entry, for the pods that are endpoints
        self.entries: dict[str, Entry] = {}
        #: pod name -> the Ready transition time last seen (the trigger time tracker's state)
        self.trigger_times: dict[str, str] = {}
        #: the earliest trigger time that changed since the last pass
        self.changed: str | None = None
        #: (service port index, number) -> (key, port dict), shared by all pods
        self.ports: dict[tuple[int, int], tuple[str, dict]] = {}

    def note_trigger(self, pod_name: str, t: str | None) -> None:
        if not t:
            self.trigger_times.pop(pod_name, None)
            return
        before = self.trigger_times.get(pod_name)
        self.trigger_times[pod_name] = t
        if before is None or t > before:
            if self.changed is None or t < self.changed:
                self.changed = t


def _service_shape(svc: dict) -> tuple:
    spec = svc.get("spec") or {}
    return (spec.get("selector"), spec.get("ports"), spec.get("publishNotReadyAddresses"),
            spec.get("clusterIP"), spec.get("type"))


class EndpointsController(Controller):
    """Keeps an Endpoints object listing the ready pods behind each Service with a selector."""

    name = "endpoint-controller"
    interval = 0.5

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        #: namespace -> service name -> label matcher, for Services with a selector
        self._selectors: dict[str, dict[str, object]] = {}
        self._members: dict[Key, _Members] = {}
        self._dirty: dict[Key, set[str]] = {}
        self.store.watch("Service", self._on_service)
        self.store.watch("Pod", self._on_pod)
        self.store.watch("Endpoints", self._on_endpoints)

    # watches --------------------------------------------------------------------------------
    def _on_service(self, event: str, svc: dict, old: dict | None) -> None:
        meta = svc["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        selectors = self._selectors.setdefault(ns, {})
        spec = svc.get("spec") or {}
        if event == "DELETED" or not spec.get("selector") or spec.get("type") == "ExternalName":
            selectors.pop(name, None)
        else:
            selectors[name] = podutil.compile_set_selector(spec["selector"])
        if event == "MODIFIED" and old is not None and old.get("spec") == svc.get("spec") and \
                old["metadata"].get("labels") == meta.get("labels"):
            return
        self.enqueue((ns, name))

    def _on_pod(self, event: str, pod: dict, old: dict | None) -> None:
        meta = pod["metadata"]
        ns = meta.get("namespace", "")
        selectors = self._selectors.get(ns)
        if not selectors:
            return
        if event == "MODIFIED" and old is not None and not _endpoint_changed(old, pod):
            return
        labels = podutil.labels_of(pod) if event != "DELETED" else None
        old_labels = podutil.labels_of(old) if old is not None else None
        name = meta["name"]
        for svc_name, match in selectors.items():
            if (labels is not None and match(labels)) or \
                    (old_labels is not None and match(old_labels)):
                key = (ns, svc_name)
                self._dirty.setdefault(key, set()).add(name)
                self.enqueue(key)

    def _on_endpoints(self, event: str, ep: dict, old: dict | None) -> None:
        if event != "DELETED":
            return
        meta = ep["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        if name in self._selectors.get(ns, {}):
            self.enqueue((ns, name))

    # members ----------------------------------------------------------------------------------
    def _entry(self, svc: dict, members: _Members, pod: dict | None) -> Entry | None:
        """What one pod contributes to the Service's endpoints, or None."""
        if pod is None:
            return None
        spec = svc.get("spec") or {}
        publish = bool(spec.get("publishNotReadyAddresses"))
        if not should_pod_be_in_endpoints(pod, publish):
            return None
        ports: list = []
        service_ports = spec.get("ports") or []
        if not service_ports and spec.get("clusterIP") == "None":
            ports.append(("", None))
        for i, sp in enumerate(service_ports):
            number = find_port(pod, sp)
            if number is None:
                continue
            cached = members.ports.get((i, number))
            if cached is None:
                port: dict = {}
                if sp.get("name"):
                    port["name"] = sp["name"]
                port["port"] = number
                port["protocol"] = sp.get("protocol") or "TCP"
                if sp.get("appProtocol"):
                    port["appProtocol"] = sp["appProtocol"]
                cached = members.ports[(i, number)] = (json.dumps(port, sort_keys=True), port)
            ports.append(cached)
        if not ports:
            return None
        pmeta = pod["metadata"]
        pspec = pod.get("spec") or {}
        ip = _pod_ip(pod)
        addr: dict = {"ip": ip}
        if pspec.get("hostname") and pspec.get("subdomain") == svc["metadata"]["name"]:
            addr["hostname"] = pspec["hostname"]
        if pspec.get("nodeName"):
            addr["nodeName"] = pspec["nodeName"]
        uid = pmeta.get("uid", "")
        addr["targetRef"] = {"kind": "Pod", "namespace": pmeta.get("namespace", ""),
                             "name": pmeta["name"], "uid": uid}
        ready = publish or podutil.is_pod_ready(pod)
        return (ip, uid), addr, ready, tuple(ports)

    def _refresh(self, svc: dict, members: _Members, pod_name: str, pod: dict | None) -> None:
        entry = None
        if pod is not None and members.match(podutil.labels_of(pod)):
            entry = self._entry(svc, members, pod)
        if entry is None:
            members.entries.pop(pod_name, None)
            members.note_trigger(pod_name, None)
        else:
            members.entries[pod_name] = entry
            members.note_trigger(pod_name, (podutil.ready_condition(pod) or {})
                                 .get("lastTransitionTime"))

    def _members_of(self, svc: dict) -> tuple[_Members, bool]:
        """The Service's members, brought up to date; and whether the Service was known."""
        meta = svc["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        key = (ns, name)
        shape = _service_shape(svc)
        members = self._members.get(key)
        known = members is not None and members.uid == meta.get("uid")
        if members is None or not known or members.shape != shape:
            fresh = _Members(meta.get("uid", ""), shape,
                             podutil.compile_set_selector(svc["spec"]["selector"]))
            if known:
                fresh.trigger_times = members.trigger_times
            members = self._members[key] = fresh
            self._dirty.pop(key, None)
            for pod in self.store.list("Pod", ns):
                self._refresh(svc, members, pod["metadata"]["name"], pod)
            return members, known
        for pod_name in self._dirty.pop(key, ()):
            self._refresh(svc, members, pod_name, self.store.get("Pod", ns, pod_name))
        return members, known

    # reconcile ------------------------------------------------------------------------------
    def reconcile(self, key: Key) -> None:
        """Make the Endpoints of the Service `key` list the pods behind it."""
        ns, name = key
        svc = self.store.get("Service", ns, name)
        if svc is None:
            self._members.pop(key, None)
            self._dirty.pop(key, None)
            if self.store.get("Endpoints", ns, name) is not None:
                try:
                    self.api.delete("Endpoints", ns, name, actor=self.name)
                    self.trace(f"Service {name} is gone; deleting its Endpoints")
                except (NotFound, K8sError):
                    pass
            return
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            self._members.pop(key, None)
            return
        members, known = self._members_of(svc)
        # TriggerTimeTracker: the Service's creation time the first time; later the earliest
        # pod Ready transition that changed since the last pass
        trigger = svc["metadata"].get("creationTimestamp") if not known else members.changed
        members.changed = None
        subsets = repack_subsets(members.entries.values())
        current = self.store.get("Endpoints", ns, name)
        labels = dict(svc["metadata"].get("labels") or {})
        over = truncate(subsets)
        if current is not None:
            cur_labels = dict(current["metadata"].get("labels") or {})
            cur_labels.pop(HEADLESS_LABEL, None)
            cur_ann = current["metadata"].get("annotations") or {}
            capacity_ok = (OVER_CAPACITY_ANNOTATION in cur_ann) == over
            if (current.get("subsets") or []) == subsets and cur_labels == labels and capacity_ok:
                return
        annotations = dict((current or {}).get("metadata", {}).get("annotations") or {})
        if trigger:
            annotations[TRIGGER_TIME_ANNOTATION] = _rfc3339nano(trigger)
        else:
            annotations.pop(TRIGGER_TIME_ANNOTATION, None)
        if over:
            annotations[OVER_CAPACITY_ANNOTATION] = "truncated"
        else:
            annotations.pop(OVER_CAPACITY_ANNOTATION, None)
        if spec.get("clusterIP") == "None":
            labels[HEADLESS_LABEL] = ""
        self._trace_change(name, current, subsets)
        if current is None:
            meta: dict = {"name": name, "namespace": ns}
            if labels:
                meta["labels"] = labels
            if annotations:
                meta["annotations"] = annotations
            obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta}
            if subsets:
                obj["subsets"] = subsets
            try:
                self.api.create(obj, actor=self.name)
            except Forbidden:
                pass  # the namespace is being deleted
            return
        new = dict(current)
        meta = dict(current["metadata"])
        if labels:
            meta["labels"] = labels
        else:
            meta.pop("labels", None)
        if annotations:
            meta["annotations"] = annotations
        else:
            meta.pop("annotations", None)
        new["metadata"] = meta
        if subsets:
            new["subsets"] = subsets
        else:
            new.pop("subsets", None)
        self.api.write(new, actor=self.name)

    def _trace_change(self, name: str, current: dict | None, subsets: list[dict]) -> None:
        ready = sum(len(s.get("addresses") or ()) for s in subsets)
        not_ready = sum(len(s.get("notReadyAddresses") or ()) for s in subsets)
        before = sum(len(s.get("addresses") or ()) for s in (current or {}).get("subsets") or ())
        if current is not None and before == ready:
            return
        text = f"Service {name} now has {ready} ready endpoint(s)"
        if not_ready:
            text += f" and {not_ready} not ready (they get no traffic)"
        if current is not None:
            text += f"; was {before}"
        self.trace(text)


def _rfc3339nano(ts: str) -> str:
    """Go's time.RFC3339Nano of a whole-second UTC timestamp: the same text."""
    dt = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
