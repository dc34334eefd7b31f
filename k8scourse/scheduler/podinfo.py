"""What the scheduler reads from a Pod or a Node, parsed once (framework.PodInfo, NodeInfo's inputs).

Requests follow resourcehelper.PodRequests (k8s.io/component-helpers/resource): containers add up,
each init container is a lower bound (`max(sum(containers), init)`), restartable (sidecar) init
containers add to both, and spec.overhead is added last. `non_zero` applies the scheduler's
defaults for a container that does not request cpu or memory at all (100m and 200Mi), which only
scoring and NodeInfo.NonZeroRequested use.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from k8scourse.api import labels as _labels

#: schedutil.DefaultMilliCPURequest and DefaultMemoryRequest
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

HOSTNAME_LABEL = "kubernetes.io/hostname"
ZONE_LABEL = "topology.kubernetes.io/zone"
REGION_LABEL = "topology.kubernetes.io/region"

_TERMINATED = ("Succeeded", "Failed")


@lru_cache(maxsize=4096)
def _exact(text: str) -> Fraction | int:
    """A quantity's exact value (an int when it is whole); invalid text counts as 0."""
    from k8scourse.api.quantity import QuantityError, parse

    try:
        v = parse(text).value
    except (QuantityError, ValueError, TypeError):
        return 0
    return int(v) if v.denominator == 1 else v


def quantity(raw: object) -> Fraction | int:
    """The exact value of a JSON quantity (`"500m"`, `1`, `0.5`)."""
    if isinstance(raw, str):
        return _exact(raw)
    if isinstance(raw, bool) or raw is None:
        return 0
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        from k8scourse.api.quantity import to_text

        return _exact(to_text(raw))
    return 0


def _ceil(v: Fraction | int) -> int:
    return -((-v) // 1) if isinstance(v, Fraction) else v


def milli_value(v: Fraction | int) -> int:
    """Quantity.MilliValue(): thousandths, rounded up."""
    return _ceil(v * 1000)


def value(v: Fraction | int) -> int:
    """Quantity.Value(): whole units, rounded up."""
    return _ceil(v)


def is_scalar_resource(name: str) -> bool:
    """schedutil.IsScalarResourceName: extended or prefixed native (`example.com/gpu`,
    `kubernetes.io/x`), hugepages-*, attachable-volumes-*."""
    if name.startswith("hugepages-") or name.startswith("attachable-volumes-"):
        return True
    return "/" in name and not name.startswith("requests.")


def _add(acc: dict, reqs: dict) -> None:
    for k, v in reqs.items():
        acc[k] = acc.get(k, 0) + v


def _max_into(acc: dict, reqs: dict) -> None:
    for k, v in reqs.items():
        if v > acc.get(k, 0):
            acc[k] = v


def _container_requests(c: dict, non_zero: bool) -> dict:
    res = (c.get("resources") or {}) if isinstance(c, dict) else {}
    req = res.get("requests") or {}
    out = {k: quantity(v) for k, v in req.items()} if req else {}
    if non_zero:
        if "cpu" not in out:
            out["cpu"] = Fraction(DEFAULT_MILLI_CPU_REQUEST, 1000)
        if "memory" not in out:
            out["memory"] = DEFAULT_MEMORY_REQUEST
    return out


def pod_requests(spec: dict, non_zero: bool = False) -> dict:
    """resourcehelper.PodRequests: the exact amount of each resource the pod needs at once."""
    reqs: dict = {}
    for c in spec.get("containers") or ():
        _add(reqs, _container_requests(c, non_zero))
    sidecars: dict = {}
    init_max: dict = {}
    for c in spec.get("initContainers") or ():
        creq = _container_requests(c, non_zero)
        if isinstance(c, dict) and c.get("restartPolicy") == "Always":
            _add(reqs, creq)
            _add(sidecars, creq)
            use = sidecars
        else:
            use = dict(creq)
            _add(use, sidecars)
        _max_into(init_max, use)
    _max_into(reqs, init_max)
    overhead = spec.get("overhead")
    if overhead:
        _add(reqs, {k: quantity(v) for k, v in overhead.items()})
    return reqs


_REQUESTS_CACHE: dict = {}


def _requests_of(spec: dict) -> tuple:
    """(cpu, memory, ephemeral, scalars, non-zero cpu, non-zero memory) of a pod spec, cached by
    the resources the containers declare (the pods of one template all share them)."""
    key = (repr([(c.get("resources"), c.get("restartPolicy")) if isinstance(c, dict) else None
                 for c in spec.get("containers") or ()]),
           repr([(c.get("resources"), c.get("restartPolicy")) if isinstance(c, dict) else None
                 for c in spec.get("initContainers") or ()]),
           repr(spec.get("overhead")))
    hit = _REQUESTS_CACHE.get(key)
    if hit is not None:
        return hit
    r = Resources.from_exact(pod_requests(spec))
    nz = pod_requests(spec, non_zero=True)
    hit = (r.cpu, r.memory, r.ephemeral, tuple(sorted(r.scalars.items())),
           milli_value(nz.get("cpu", 0)), value(nz.get("memory", 0)))
    if len(_REQUESTS_CACHE) > 4096:
        _REQUESTS_CACHE.clear()
    _REQUESTS_CACHE[key] = hit
    return hit


class Resources:
    """framework.Resource: milli-CPU, bytes of memory and ephemeral storage, pods, scalars."""

    __slots__ = ("cpu", "memory", "ephemeral", "pods", "scalars")

    def __init__(self, cpu: int = 0, memory: int = 0, ephemeral: int = 0, pods: int = 0,
                 scalars: dict | None = None):
        self.cpu = cpu
        self.memory = memory
        self.ephemeral = ephemeral
        self.pods = pods
        self.scalars = scalars or {}

    @classmethod
    def from_list(cls, rl: dict | None) -> "Resources":
        """A ResourceList (`{"cpu": "2", "memory": "4Gi", "pods": "110"}`) in the scheduler's units."""
        r = cls()
        for name, raw in (rl or {}).items():
            q = quantity(raw)
            r.add_one(name, q)
        return r

    @classmethod
    def from_exact(cls, reqs: dict) -> "Resources":
        r = cls()
        for name, q in reqs.items():
            r.add_one(name, q)
        return r

    def add_one(self, name: str, q) -> None:
        if name == "cpu":
            self.cpu += milli_value(q)
        elif name == "memory":
            self.memory += value(q)
        elif name == "pods":
            self.pods += value(q)
        elif name == "ephemeral-storage":
            self.ephemeral += value(q)
        elif is_scalar_resource(name):
            self.scalars[name] = self.scalars.get(name, 0) + value(q)

    def is_zero(self) -> bool:
        return not (self.cpu or self.memory or self.ephemeral or self.scalars)

    def __repr__(self) -> str:
        return (f"Resources(cpu={self.cpu}m, memory={self.memory}, ephemeral={self.ephemeral}, "
                f"pods={self.pods}, scalars={self.scalars})")


# --------------------------------------------------------------------------------------------
# selectors


def parse_label_selector(sel: dict | None) -> tuple | None:
    """metav1.LabelSelectorAsSelector as a tuple of (key, op, values) (k8scourse.api.labels
    requirements); None when it is nil."""
    reqs = _labels.requirements(sel)
    return None if reqs is None else tuple(reqs)


#: labels.Selector.Matches of such a tuple (all requirements ANDed)
selector_matches = _labels.requirements_match


def _int64(s: object) -> int | None:
    try:
        text = str(s)
        if not text or text.strip() != text:
            return None
        v = int(text, 10)
    except (TypeError, ValueError):
        return None
    return v if -(1 << 63) <= v < (1 << 63) else None


def _requirement_matches(req: dict, labels: dict) -> bool | None:
    """One NodeSelectorRequirement against node labels; None when it cannot be parsed."""
    key = req.get("key", "")
    op = req.get("operator", "")
    values = [str(v) for v in req.get("values") or ()]
    if op == "In":
        if not values:
            return None
        return key in labels and labels[key] in values
    if op == "NotIn":
        if not values:
            return None
        return not (key in labels and labels[key] in values)
    if op == "Exists":
        return None if values else key in labels
    if op == "DoesNotExist":
        return None if values else key not in labels
    if op in ("Gt", "Lt"):
        if len(values) != 1:
            return None
        want = _int64(values[0])
        if want is None:
            return None
        if key not in labels:
            return False
        have = _int64(labels[key])
        if have is None:
            return False
        return have > want if op == "Gt" else have < want
    return None


def _field_matches(req: dict, node_name: str) -> bool | None:
    key = req.get("key", "")
    op = req.get("operator", "")
    values = [str(v) for v in req.get("values") or ()]
    if key != "metadata.name" or len(values) != 1 or op not in ("In", "NotIn"):
        return None
    return (node_name in values) if op == "In" else (node_name not in values)


def node_selector_term_matches(term: dict | None, labels: dict, node_name: str) -> bool:
    """A NodeSelectorTerm: every expression and field must hold; an empty term matches nothing."""
    if not isinstance(term, dict):
        return False
    exprs = term.get("matchExpressions") or ()
    fields = term.get("matchFields") or ()
    if not exprs and not fields:
        return False
    for r in exprs:
        if not _requirement_matches(r, labels):
            return False
    for r in fields:
        if not _field_matches(r, node_name):
            return False
    return True


def toleration_tolerates(t: dict, taint: dict) -> bool:
    """v1.Toleration.ToleratesTaint."""
    effect = t.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = t.get("key") or ""
    if key and key != taint.get("key"):
        return False
    op = t.get("operator") or "Equal"
    if op == "Equal":
        return (t.get("value") or "") == (taint.get("value") or "")
    return op == "Exists"


def tolerations_tolerate(tolerations: list, taint: dict) -> bool:
    return any(toleration_tolerates(t, taint) for t in tolerations)


# --------------------------------------------------------------------------------------------
# the pod as the scheduler sees it


class PodInfo:
    """framework.PodInfo plus the precomputed inputs of every plugin."""

    __slots__ = ("pod", "key", "namespace", "name", "uid", "labels", "priority", "requests",
                 "non_zero_cpu", "non_zero_mem", "host_ports", "tolerations", "node_selector",
                 "required_terms", "preferred_terms", "images", "spread_constraints",
                 "preemption_policy", "nominated_node", "gates", "has_pod_affinity",
                 "owner", "deleting", "terminated")

    def __init__(self, pod: dict):
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        status = pod.get("status") or {}
        self.pod = pod
        self.namespace = meta.get("namespace", "")
        self.name = meta.get("name", "")
        self.key = (self.namespace, self.name)
        self.uid = meta.get("uid", "")
        self.labels = meta.get("labels") or {}
        p = spec.get("priority")
        self.priority = p if isinstance(p, int) and not isinstance(p, bool) else 0
        cpu, mem, eph, scalars, self.non_zero_cpu, self.non_zero_mem = _requests_of(spec)
        self.requests = Resources(cpu, mem, eph, 0, dict(scalars) if scalars else None)
        ports = []
        for c in spec.get("containers") or ():
            for cp in (c.get("ports") or ()) if isinstance(c, dict) else ():
                hp = cp.get("hostPort") if isinstance(cp, dict) else None
                if isinstance(hp, int) and hp > 0:
                    ports.append((cp.get("hostIP") or "0.0.0.0", cp.get("protocol") or "TCP", hp))
        self.host_ports = tuple(ports) if ports else ()
        self.tolerations = tuple(t for t in spec.get("tolerations") or () if isinstance(t, dict))
        self.node_selector = spec.get("nodeSelector") or {}
        affinity = spec.get("affinity") or {}
        na = affinity.get("nodeAffinity") or {}
        req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
        self.required_terms = None if req is None else list((req or {}).get("nodeSelectorTerms") or ())
        self.preferred_terms = tuple(t for t in na.get("preferredDuringSchedulingIgnoredDuringExecution") or ()
                                     if isinstance(t, dict) and t.get("weight"))
        self.has_pod_affinity = bool(affinity.get("podAffinity") or affinity.get("podAntiAffinity"))
        self.images = tuple(c.get("image", "") for key in ("initContainers", "containers")
                            for c in spec.get(key) or () if isinstance(c, dict))
        self.spread_constraints = tuple(spec.get("topologySpreadConstraints") or ())
        self.preemption_policy = spec.get("preemptionPolicy") or "PreemptLowerPriority"
        self.nominated_node = status.get("nominatedNodeName") or ""
        self.gates = spec.get("schedulingGates") or ()
        self.owner = None
        for ref in meta.get("ownerReferences") or ():
            if ref.get("controller"):
                self.owner = ref
                break
        self.deleting = bool(meta.get("deletionTimestamp"))
        self.terminated = status.get("phase") in _TERMINATED

    @property
    def start_time(self) -> str:
        """status.startTime ("" until the kubelet has started the pod)."""
        return (self.pod.get("status") or {}).get("startTime") or ""

    def required_affinity_matches(self, labels: dict, node_name: str) -> bool:
        """nodeaffinity.RequiredNodeAffinity.Match: nodeSelector and the required terms (ORed)."""
        for k, v in self.node_selector.items():
            if labels.get(k) != v:
                return False
        if self.required_terms is None:
            return True
        return any(node_selector_term_matches(t, labels, node_name) for t in self.required_terms)

    def prefilter_node_names(self) -> set | None:
        """NodeAffinity.PreFilter's result: the node names every term pins with metadata.name In,
        or None when some term does not (all nodes stay candidates)."""
        if not self.required_terms:
            return None
        names: set | None = None
        for t in self.required_terms:
            term_names = None
            for r in (t.get("matchFields") or ()) if isinstance(t, dict) else ():
                if r.get("key") == "metadata.name" and r.get("operator") == "In":
                    s = set(str(v) for v in r.get("values") or ())
                    term_names = s if term_names is None else term_names & s
            if term_names is None:
                return None
            names = term_names if names is None else names | term_names
        return names

    def __repr__(self) -> str:
        return f"<PodInfo {self.namespace}/{self.name}>"


def is_terminated(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in _TERMINATED


def normalized_image_name(name: str) -> str:
    """imagelocality.normalizedImageName: add `:latest` when the reference has no tag."""
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name
