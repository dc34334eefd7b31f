"""What diagrams read: a cluster's objects, live or frozen in a snapshot, never written.

`view_of(source)` accepts a Cluster (read through its store, without copying), a `Snapshot`
(copies taken at one simulated instant, so an explorer can move back over a rolling update), or
anything else shaped like a cluster (`.api.store`, `.clock`). Helpers here answer the questions
every diagram asks: a pod's status as kubectl shows it, its owner, the app it belongs to, its
colour.
"""

from __future__ import annotations

from typing import Any, Iterable

from k8scourse.viz import style as st

#: the kinds a snapshot copies
SNAPSHOT_KINDS = ("Node", "Pod", "ReplicaSet", "ReplicationController", "Deployment", "DaemonSet",
                  "Service", "Endpoints")
#: kinds that own pods (directly or through another), for finding an app's owner
OWNER_KINDS = ("ReplicaSet", "ReplicationController", "Deployment", "DaemonSet", "StatefulSet",
               "Job", "CronJob")


def _sort_key(o: dict) -> tuple[str, str]:
    m = o["metadata"]
    return (m.get("namespace", ""), m["name"])


class View:
    """Read-only access to the objects of one cluster state."""

    now: float = 0.0
    config: Any = None

    def _objects(self, kind: str) -> Iterable[dict]:  # pragma: no cover - abstract
        raise NotImplementedError

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        """Objects of `kind` (in `namespace`, or all), sorted by namespace and name. Read-only."""
        objs = self._objects(kind)
        if namespace is not None:
            objs = [o for o in objs if o["metadata"].get("namespace", "") == namespace]
        return sorted(objs, key=_sort_key)

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        for o in self._objects(kind):
            m = o["metadata"]
            if m["name"] == name and m.get("namespace", "") == namespace:
                return o
        return None

    @property
    def requests(self) -> list[tuple]:
        return []

    @property
    def decisions(self) -> list:
        return []

    # answers every diagram needs --------------------------------------------------------------
    def by_uid(self, uid: str) -> dict | None:
        """An owner (ReplicaSet, Deployment, ...) by uid."""
        index = getattr(self, "_uid_index", None)
        if index is None:
            index = {}
            for kind in OWNER_KINDS:
                for o in self._objects(kind):
                    index[o["metadata"].get("uid")] = o
            self._uid_index = index
        return index.get(uid)

    def top_owner(self, obj: dict) -> dict | None:
        """The object at the top of `obj`'s controller chain (pod -> ReplicaSet -> Deployment)."""
        owner = None
        seen = 0
        ref = controller_ref(obj)
        while ref is not None and seen < 5:
            nxt = self.by_uid(ref.get("uid", ""))
            if nxt is None:
                break
            owner, ref, seen = nxt, controller_ref(nxt), seen + 1
        return owner

    def app_key(self, obj: dict) -> str:
        """The app `obj` belongs to: an app-like label, else its top owner's name, else its own."""
        meta = obj["metadata"]
        key = st.app_key_of_labels(meta.get("labels"))
        if key is None and obj.get("kind") == "Service":
            key = st.app_key_of_labels((obj.get("spec") or {}).get("selector"))
        if key is None and obj.get("kind") in ("Deployment", "ReplicaSet", "DaemonSet",
                                               "ReplicationController"):
            tmpl = ((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}
            key = st.app_key_of_labels(tmpl.get("labels"))
        if key is None:
            owner = self.top_owner(obj)
            key = owner["metadata"]["name"] if owner is not None else meta["name"]
        return key

    @property
    def palette(self) -> st.Palette:
        """The colours of every app in the cluster (the same app, the same colour everywhere)."""
        pal = getattr(self, "_palette", None)
        if pal is None:
            keys = set()
            for kind in ("Deployment", "ReplicaSet", "ReplicationController", "DaemonSet",
                         "Service", "Pod"):
                for o in self._objects(kind):
                    if kind == "Service" and o["metadata"]["name"] == "kubernetes":
                        continue
                    keys.add(self.app_key(o))
            pal = self._palette = st.Palette(keys)
        return pal

    def colours(self, obj: dict) -> tuple[str, str]:
        """(strong, light) colour of the app `obj` belongs to."""
        return self.palette.pair(self.app_key(obj))


class LiveView(View):
    """A cluster read through its store: no copies, nothing written."""

    def __init__(self, cluster: Any):
        self.cluster = cluster
        self.store = cluster.api.store
        self.now = cluster.clock.now
        self.config = getattr(cluster, "config", None)

    def _objects(self, kind: str) -> Iterable[dict]:
        return self.store.iter(kind)

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        return sorted(self.store.list(kind, namespace), key=_sort_key)

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        return self.store.get(kind, namespace, name)

    @property
    def requests(self) -> list[tuple]:
        return list(self.cluster.api.requests)

    @property
    def decisions(self) -> list:
        trace = getattr(self.cluster, "trace", None)
        return list(trace.decisions) if trace is not None else []


class Snapshot(View):
    """Copies of a cluster's objects at one simulated instant (for moving back in time)."""

    def __init__(self, cluster: Any, kinds: Iterable[str] = SNAPSHOT_KINDS,
                 namespace: str | None = None, keep_history: bool = False):
        from k8scourse.apiserver.store import clone

        store = cluster.api.store
        self.now = cluster.clock.now
        self.config = getattr(cluster, "config", None)
        self._by_kind: dict[str, list[dict]] = {}
        for kind in kinds:
            objs = store.list(kind, None)
            if namespace is not None and kind not in ("Node",):
                objs = [o for o in objs if o["metadata"].get("namespace", "") == namespace]
            self._by_kind[kind] = [clone(o) for o in objs]
        self._requests = list(cluster.api.requests) if keep_history else []
        trace = getattr(cluster, "trace", None)
        self._decisions = list(trace.decisions) if keep_history and trace is not None else []

    def _objects(self, kind: str) -> Iterable[dict]:
        return self._by_kind.get(kind, ())

    @property
    def requests(self) -> list[tuple]:
        return self._requests

    @property
    def decisions(self) -> list:
        return self._decisions

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(v)} {k}" for k, v in self._by_kind.items() if v)
        return f"<Snapshot t={self.now:.1f}s {counts}>"


def view_of(source: Any) -> View:
    """A View of a Cluster, a Snapshot, or a View."""
    if isinstance(source, View):
        return source
    if hasattr(source, "api") and hasattr(source.api, "store"):
        return LiveView(source)
    raise TypeError(f"cannot draw {type(source).__name__}: pass a Cluster or a Snapshot")


# --- object helpers ---------------------------------------------------------------------------

def controller_ref(obj: dict) -> dict | None:
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def pod_status(pod: dict) -> str:
    """The STATUS kubectl shows for a pod (Running, ContainerCreating, CrashLoopBackOff, ...)."""
    from k8scourse.kubectl.printers import pod_status as printed

    return printed(pod)


def pod_ready(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def pod_ip(pod: dict) -> str:
    status = pod.get("status") or {}
    ips = status.get("podIPs") or []
    return (ips[0].get("ip") if ips else status.get("podIP")) or ""


def node_status(node: dict) -> str:
    from k8scourse.kubectl.printers import node_status as printed

    return printed(node)


def node_ip(node: dict) -> str:
    for a in (node.get("status") or {}).get("addresses") or ():
        if a.get("type") == "InternalIP":
            return a.get("address", "")
    return ""


def node_roles(node: dict) -> list[str]:
    prefix = "node-role.kubernetes.io/"
    return sorted(k[len(prefix):] for k in node["metadata"].get("labels") or {}
                  if k.startswith(prefix) and k[len(prefix):])


def node_ip_from_config(view: View, name: str) -> str:
    for n in getattr(view.config, "nodes", None) or ():
        if n.name == name:
            return n.ip
    return ""


def unschedulable_reason(pod: dict) -> str:
    """Why a pod has no node: the scheduler's message on PodScheduled, in its own words."""
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "PodScheduled" and c.get("status") == "False":
            return c.get("message") or c.get("reason") or "not scheduled yet"
    if pod["metadata"].get("deletionTimestamp"):
        return "being deleted"
    return "waiting for the scheduler"


def format_labels(labels: dict | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items()))


def selector_labels(selector: dict | None) -> dict[str, str]:
    """matchLabels of a label selector (or a Service/RC's plain map)."""
    if not selector:
        return {}
    if "matchLabels" in selector or "matchExpressions" in selector:
        return dict(selector.get("matchLabels") or {})
    return {k: v for k, v in selector.items() if isinstance(v, str)}


def selects(selector: dict | None, labels: dict | None) -> bool:
    """Whether a label selector (LabelSelector or plain map) matches `labels`."""
    if not selector:
        return False
    from k8scourse.api import labels as _labels

    if "matchLabels" in selector or "matchExpressions" in selector:
        return _labels.matches(selector, labels)
    return _labels.set_matches(selector, labels)
