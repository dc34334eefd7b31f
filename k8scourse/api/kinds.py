"""The kinds the model serves, each small, with its identity in class attributes.

Objects themselves are plain dicts in the shape `kubectl get -o json` shows; a kind class wraps one
for convenient reading (`pod.name`, `rs.spec["replicas"]`) without copying it.
"""

from __future__ import annotations

from typing import Any, ClassVar


class APIObject:
    """A read-only view of one object (a dict in Kubernetes' JSON shape)."""

    api_version: ClassVar[str] = ""
    kind: ClassVar[str] = ""
    plural: ClassVar[str] = ""
    short_names: ClassVar[tuple[str, ...]] = ()
    namespaced: ClassVar[bool] = True
    # kubectl's categories: `kubectl get all` lists the kinds in "all", in this order
    all_order: ClassVar[int | None] = None

    __slots__ = ("raw",)

    def __init__(self, raw: dict):
        self.raw = raw

    # identity -------------------------------------------------------------------------------
    @classmethod
    def group(cls) -> str:
        return cls.api_version.rpartition("/")[0]

    @classmethod
    def version(cls) -> str:
        return cls.api_version.rpartition("/")[2]

    @classmethod
    def singular(cls) -> str:
        return cls.kind.lower()

    @classmethod
    def resource_ref(cls) -> str:
        """`pod`, `deployment.apps`: how kubectl names the type in `<type>/<name>`."""
        g = cls.group()
        return f"{cls.singular()}.{g}" if g else cls.singular()

    @classmethod
    def qualified_plural(cls) -> str:
        """`pods`, `deployments.apps`: how the API server names the resource in messages."""
        g = cls.group()
        return f"{cls.plural}.{g}" if g else cls.plural

    # reading --------------------------------------------------------------------------------
    @property
    def metadata(self) -> dict:
        return self.raw.get("metadata") or {}

    @property
    def name(self) -> str:
        return self.metadata.get("name", "")

    @property
    def namespace(self) -> str:
        return self.metadata.get("namespace", "")

    @property
    def uid(self) -> str:
        return self.metadata.get("uid", "")

    @property
    def labels(self) -> dict[str, str]:
        return self.metadata.get("labels") or {}

    @property
    def annotations(self) -> dict[str, str]:
        return self.metadata.get("annotations") or {}

    @property
    def spec(self) -> dict:
        return self.raw.get("spec") or {}

    @property
    def status(self) -> dict:
        return self.raw.get("status") or {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, APIObject) and other.raw == self.raw

    def __repr__(self) -> str:
        ns = f"{self.namespace}/" if self.namespaced and self.namespace else ""
        return f"<{self.kind} {ns}{self.name}>"


class Pod(APIObject):
    """The smallest deployable unit: one or more containers sharing a network namespace."""
    api_version, kind, plural, short_names, all_order = "v1", "Pod", "pods", ("po",), 0


class Service(APIObject):
    """A stable virtual IP and DNS name in front of the pods its selector matches."""
    api_version, kind, plural, short_names, all_order = "v1", "Service", "services", ("svc",), 1


class ReplicationController(APIObject):
    """The original way to keep N copies of a pod running (superseded by ReplicaSet)."""
    api_version, kind, plural, short_names, all_order = (
        "v1", "ReplicationController", "replicationcontrollers", ("rc",), 2)


class DaemonSet(APIObject):
    """Runs one copy of a pod on every (matching) node."""
    api_version, kind, plural, short_names, all_order = "apps/v1", "DaemonSet", "daemonsets", ("ds",), 3


class Deployment(APIObject):
    """Declarative updates for pods through ReplicaSets."""
    api_version, kind, plural, short_names, all_order = (
        "apps/v1", "Deployment", "deployments", ("deploy",), 4)


class ReplicaSet(APIObject):
    """Keeps spec.replicas copies of a Pod template running."""
    api_version, kind, plural, short_names, all_order = "apps/v1", "ReplicaSet", "replicasets", ("rs",), 5


class Endpoints(APIObject):
    """The addresses of the ready pods behind a Service."""
    api_version, kind, plural, short_names = "v1", "Endpoints", "endpoints", ("ep",)


class Node(APIObject):
    """A machine (here simulated) that runs pods."""
    api_version, kind, plural, short_names, namespaced = "v1", "Node", "nodes", ("no",), False


class Namespace(APIObject):
    """A scope for names."""
    api_version, kind, plural, short_names, namespaced = "v1", "Namespace", "namespaces", ("ns",), False


class Event(APIObject):
    """A record of something that happened to an object."""
    api_version, kind, plural, short_names = "v1", "Event", "events", ("ev",)


class ConfigMap(APIObject):
    """Configuration data as key-value pairs."""
    api_version, kind, plural, short_names = "v1", "ConfigMap", "configmaps", ("cm",)


KINDS: tuple[type[APIObject], ...] = (
    Pod, Service, ReplicationController, DaemonSet, Deployment, ReplicaSet, Endpoints, Node,
    Namespace, Event, ConfigMap,
)

_BY_KIND: dict[str, type[APIObject]] = {k.kind: k for k in KINDS}
_BY_GVK: dict[tuple[str, str], type[APIObject]] = {(k.api_version, k.kind): k for k in KINDS}
_BY_WORD: dict[str, type[APIObject]] = {}
for _k in KINDS:
    for _w in (_k.plural, _k.singular(), *_k.short_names):
        _BY_WORD[_w] = _k
        if _k.group():
            _BY_WORD[f"{_w}.{_k.group()}"] = _k
            _BY_WORD[f"{_w}.{_k.version()}.{_k.group()}"] = _k


def by_kind(kind: str) -> type[APIObject] | None:
    """The class for an exact Kind name (`Pod`), or None."""
    return _BY_KIND.get(kind)


def by_gvk(api_version: str, kind: str) -> type[APIObject] | None:
    """The class served at (apiVersion, kind), or None (as the RESTMapper would say: no match)."""
    return _BY_GVK.get((api_version, kind))


def by_kind_any_case(kind: str) -> type[APIObject] | None:
    """kubectl's RESTMapper matches a kind case-insensitively (`kind: pod` is sent as-is)."""
    low = kind.lower()
    for k in KINDS:
        if k.kind.lower() == low:
            return k
    return None


def by_resource(word: str) -> type[APIObject] | None:
    """The class for a word on kubectl's command line: `pods`, `po`, `pod`, `deploy`, `rs.apps`."""
    return _BY_WORD.get(word) or _BY_WORD.get(word.lower())


def wrap(raw: dict) -> APIObject:
    """A view of `raw` as its kind's class (APIObject for kinds the model does not serve)."""
    cls = _BY_KIND.get(raw.get("kind", ""), APIObject)
    return cls(raw)
