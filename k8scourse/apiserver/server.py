"""The API server's request pipeline: decode, default, admit, allocate, validate, store.

The order is the real one (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go):
strict decoding and defaulting, mutating admission, BeginCreate (ClusterIP/NodePort allocation),
validation, validating admission (namespace lifecycle), then storage (AlreadyExists). So a fixed
nodePort that is taken is reported before "already exists", exactly as on a real cluster.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from k8scourse.api import field, kinds
from k8scourse.apiserver.allocators import AllocationError, ClusterIPAllocator, NodePortAllocator
from k8scourse.apiserver.events import EventRecorder
from k8scourse.apiserver.store import Store, clone
from k8scourse.errors import AlreadyExists, BadRequest, Conflict, Forbidden, Invalid, NotFound
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand

#: Kinds whose spec changes bump metadata.generation.
GENERATION_KINDS = frozenset({"Deployment", "ReplicaSet", "ReplicationController", "DaemonSet"})
INITIAL_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
#: NamespaceLifecycle refuses to delete these (kube-node-lease is not among them).
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})


class APIServer:
    """kube-apiserver: the only way anything reads or changes the cluster's state."""

    def __init__(self, clock: Clock, rand: Rand, *, service_cidr: str = "10.96.0.0/12",
                 node_port_range: tuple[int, int] = (30000, 32767)):
        self.clock = clock
        self.rand = rand
        self.store = Store()
        self.service_cidr = service_cidr
        self.cluster_ips = ClusterIPAllocator(service_cidr, rand)
        self.node_ports = NodePortAllocator(*node_port_range, rand)
        self.events = EventRecorder(self)
        #: pod specs that controllers copied from a template, admitted once (see _template_key)
        self._templates: dict[tuple, _Template] = {}
        #: the last requests, for the architecture diagram: (time, verb, kind, namespace, name, actor)
        self.requests: deque[tuple[float, str, str, str, str, str]] = deque(maxlen=2000)
        for ns in INITIAL_NAMESPACES:
            self.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
                        actor="kube-apiserver")

    # ---------------------------------------------------------------------------------------
    # reading
    def get(self, kind: str, namespace: str, name: str) -> dict:
        """A copy of the object, or NotFound in the API server's words."""
        cls = _cls(kind)
        obj = self.store.get(kind, namespace if cls.namespaced else "", name)
        if obj is None:
            raise NotFound(cls.plural, name, cls.group(), kind)
        return clone(obj)

    def get_or_none(self, kind: str, namespace: str, name: str) -> dict | None:
        """The stored object itself (read-only!), or None."""
        return self.store.get(kind, namespace, name)

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        """Copies of every object of `kind` (in `namespace`, or all), sorted by namespace and name."""
        objs = self.store.list(kind, namespace if _cls(kind).namespaced else None)
        return [clone(o) for o in sorted(objs, key=_sort_key)]

    # ---------------------------------------------------------------------------------------
    # writing
    def create(self, obj: dict, *, validate: str = "Strict", dry_run: bool = False,
               actor: str = "kubectl") -> dict:
        """POST: the whole admission chain.

        Returns a copy of what was stored; to the cluster's own components (any `actor` but
        kubectl) it returns the stored object itself, which they only read. Their requests come
        from typed clients, so they cannot carry unknown fields: strict decoding is kubectl's.
        """
        from k8scourse.api import defaults, strict, validation

        cls = self._kind_for(obj)
        external = actor == "kubectl"
        template_key = _template_key(obj) if not external and cls is kinds.Pod else None
        problem = strict.decode_error(obj, validate) if external else None
        if problem:
            raise BadRequest(problem, kind=cls.kind)
        templated = None
        if template_key is not None and validate == "Strict":
            templated = self._template(obj, template_key)
            obj = {k: v if k == "spec" else clone(v) for k, v in obj.items()}
        else:
            obj = strict.drop_unknown(obj) if validate != "Strict" else clone(obj)
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            meta = obj["metadata"] = {}
        ns = ""
        if cls.namespaced:
            ns = meta.get("namespace") or "default"
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
        if templated is None:
            defaults.apply(obj)
        # mutating admission: NamespaceLifecycle, then ServiceAccount & co. for pods
        if cls.namespaced:
            self._admit_namespace(cls, meta.get("name") or meta.get("generateName", ""), ns)
        if templated is not None:
            obj["spec"] = defaults.with_token_volume(templated.spec, self.rand.suffix())
        elif cls is kinds.Pod:
            defaults.admit_pod(obj, self.rand.suffix())
        # BeginCreate: names from generateName, ClusterIP/NodePort allocation; then validation
        generated = not meta.get("name") and bool(meta.get("generateName"))
        if generated:
            meta["name"] = self._generate_name(cls, ns, meta["generateName"])
        allocated: list[tuple[str, Any]] = []
        errors: list[field.FieldError] = []
        if cls is kinds.Service:
            errors += self._allocate_service(obj, None, allocated)
        if not errors:
            if templated is not None:
                errors = self._validate_templated_pod(obj, templated)
            else:
                errors = validation.validate(obj)
        if errors:
            self._release(allocated)
            raise Invalid(cls.kind, meta.get("name", ""), errors, cls.group())
        name = meta["name"]
        if self.store.get(cls.kind, ns, name) is not None:
            self._release(allocated)
            raise AlreadyExists(cls.plural, name, cls.group(), cls.kind)
        if dry_run:
            self._release(allocated)
            return obj
        meta["uid"] = self.rand.uid()
        meta["creationTimestamp"] = self.clock.timestamp()
        if cls.kind in GENERATION_KINDS:
            meta["generation"] = 1
        _initial_status(obj, cls, templated.qos if templated is not None else None)
        _prepare_for_create(obj, cls)
        self._log("create", cls.kind, ns, name, actor)
        stored = self.store.put(obj)
        return clone(stored) if external else stored

    def _template(self, pod: dict, key: tuple) -> "_Template":
        """The template a controller's pod was copied from, defaulted and admitted once (with
        the token volume's name left to fill in per pod); see _template_key."""
        from k8scourse.api import defaults
        from k8scourse.api.qos import qos_class

        known = self._templates.get(key[0])
        if known is not None and known.values == key[1]:
            return known
        probe = {"apiVersion": "v1", "kind": "Pod", "metadata": {}, "spec": clone(pod["spec"])}
        defaults.apply(probe)
        defaults.admit_pod(probe, defaults.TOKEN_PLACEHOLDER[-5:])
        if len(self._templates) >= 256:
            self._templates.clear()
        entry = self._templates[key[0]] = _Template(key[1], probe["spec"], qos_class(probe))
        return entry

    def _validate_templated_pod(self, pod: dict, template: "_Template") -> list[field.FieldError]:
        """validate_pod for a pod whose spec a controller copied from a stored template: the
        metadata every time, the spec once per template (see _template_key)."""
        from k8scourse.api.validation import core
        from k8scourse.api.validation import names as n

        errs = core.validate_object_meta(pod.get("metadata"), True, n.name_is_dns_subdomain)
        if template.spec_errors is None:
            template.spec_errors = core.validate_pod_spec(pod.get("spec"), field.Path("spec"))
        return errs + template.spec_errors

    def update(self, obj: dict, *, validate: str = "Strict", dry_run: bool = False,
               actor: str = "kubectl") -> dict:
        """PUT of the main resource: status is kept from the stored object."""
        from k8scourse.api import defaults, strict, validation

        cls = self._kind_for(obj)
        problem = strict.decode_error(obj, validate)
        if problem:
            raise BadRequest(problem, kind=cls.kind)
        obj = strict.drop_unknown(obj) if validate != "Strict" else clone(obj)
        meta = obj.setdefault("metadata", {})
        ns = (meta.get("namespace") or "default") if cls.namespaced else ""
        name = meta.get("name", "")
        old = self.store.get(cls.kind, ns, name)
        if old is None:
            raise NotFound(cls.plural, name, cls.group(), cls.kind)
        rv = meta.get("resourceVersion")
        if rv and rv != old["metadata"]["resourceVersion"]:
            raise Conflict(cls.plural, name, "the object has been modified; please apply your "
                           "changes to the latest version and try again", cls.group(), cls.kind)
        if cls.namespaced:
            meta["namespace"] = ns
        for k in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                  "generation"):
            if k in old["metadata"]:
                meta[k] = old["metadata"][k]
            else:
                meta.pop(k, None)
        defaults.apply(obj)
        if "status" in old:
            obj["status"] = clone(old["status"])
        else:
            obj.pop("status", None)
        allocated: list[tuple[str, Any]] = []
        errors: list[field.FieldError] = []
        if cls is kinds.Service:
            errors += self._allocate_service(obj, old, allocated)
        if not errors:
            errors = validation.validate(obj, old)
        if errors:
            self._release(allocated)
            raise Invalid(cls.kind, name, errors, cls.group())
        if dry_run:
            self._release(allocated)
            return obj
        if cls.kind in GENERATION_KINDS and obj.get("spec") != old.get("spec"):
            meta["generation"] = old["metadata"].get("generation", 1) + 1
        _prepare_for_update(obj, old, cls)
        if cls is kinds.Service:
            self._release_unused_service(old, obj)
        if _same_content(obj, old):
            return clone(old)  # a no-op update writes nothing (resourceVersion unchanged)
        self._log("update", cls.kind, ns, name, actor)
        return clone(self.store.put(obj))

    def write(self, obj: dict, actor: str) -> dict:
        """A controller's write of an object it rebuilt from a stored one (status, labels, owners).

        The caller passes a fresh dict; it is stored as is, without re-validation (the
        controllers are trusted components, as their service accounts are).
        """
        kind = obj["kind"]
        m = obj["metadata"]
        old = self.store.get(kind, m.get("namespace", ""), m["name"])
        if old is None:
            raise NotFound(_cls(kind).plural, m["name"], _cls(kind).group(), kind)
        if kind in GENERATION_KINDS and obj.get("spec") != old.get("spec"):
            m["generation"] = old["metadata"].get("generation", 1) + 1
        self._log("update", kind, m.get("namespace", ""), m["name"], actor)
        return self.store.put(obj)

    def update_status(self, kind: str, namespace: str, name: str, status: dict,
                      actor: str) -> dict | None:
        """PUT .../status: replace the status of the stored object (None if it is gone)."""
        old = self.store.get(kind, namespace, name)
        if old is None:
            return None
        if old.get("status") == status:
            return old
        new = dict(old)
        new["metadata"] = dict(old["metadata"])
        new["status"] = status
        self._log("update-status", kind, namespace, name, actor)
        return self.store.put(new)

    def delete(self, kind: str, namespace: str, name: str, *, propagation: str = "Background",
               grace_period: int | None = None, actor: str = "kubectl") -> dict:
        """DELETE: graceful for running pods, finalizers for orphan/foreground cascades.

        Returns a copy of the object as it was when the request arrived.
        """
        cls = _cls(kind)
        ns = namespace if cls.namespaced else ""
        if kind == "Namespace" and name in IMMORTAL_NAMESPACES:
            raise Forbidden(f'namespaces "{name}" is forbidden: this namespace may not be deleted',
                            kind=kind, name=name)
        obj = self.store.get(kind, ns, name)
        if obj is None:
            raise NotFound(cls.plural, name, cls.group(), kind)
        before = clone(obj)
        self._log("delete", kind, ns, name, actor)
        meta = obj["metadata"]
        finalizers = list(meta.get("finalizers") or [])
        if propagation == "Orphan" and "orphan" not in finalizers and self.store.owned_by(meta["uid"]):
            finalizers.append("orphan")
        if propagation == "Foreground" and "foregroundDeletion" not in finalizers and \
                self.store.owned_by(meta["uid"]):
            finalizers.append("foregroundDeletion")
        graceful = (kind == "Pod" and obj.get("spec", {}).get("nodeName") and grace_period != 0
                    and obj.get("status", {}).get("phase") not in ("Succeeded", "Failed"))
        spec_finalizers = (obj.get("spec") or {}).get("finalizers") or [] \
            if kind == "Namespace" else []
        if graceful or finalizers or spec_finalizers:
            if meta.get("deletionTimestamp") and not (grace_period == 0 and kind == "Pod"):
                if finalizers != list(meta.get("finalizers") or []):
                    self._write_meta(obj, finalizers=finalizers)
                return before
            if graceful:
                grace = grace_period if grace_period is not None else \
                    obj["spec"].get("terminationGracePeriodSeconds", 30)
                extra = {"deletionTimestamp": self.clock.timestamp(self.clock.now + grace),
                         "deletionGracePeriodSeconds": grace}
            else:
                extra = {"deletionTimestamp": self.clock.timestamp(),
                         "deletionGracePeriodSeconds": 0}
            if kind == "Namespace":
                status = dict(obj.get("status") or {}, phase="Terminating")
                self._write_meta(obj, finalizers=finalizers, **extra)
                self.update_status("Namespace", "", name, status, actor="kube-apiserver")
            else:
                self._write_meta(obj, finalizers=finalizers or None, **extra)
            return before
        self._remove(kind, ns, name)
        return before

    def finalize(self, kind: str, namespace: str, name: str, finalizer: str) -> None:
        """Remove one finalizer; an object being deleted goes once none is left.

        A Namespace keeps its `kubernetes` finalizer in spec.finalizers (the namespace controller
        removes it through the finalize subresource); other finalizers live in metadata.
        """
        obj = self.store.get(kind, namespace, name)
        if obj is None:
            return
        finalizers = [f for f in obj["metadata"].get("finalizers") or [] if f != finalizer]
        spec = obj.get("spec") or {}
        spec_finalizers = [f for f in spec.get("finalizers") or [] if f != finalizer] \
            if kind == "Namespace" else []
        if not finalizers and not spec_finalizers and obj["metadata"].get("deletionTimestamp"):
            self._remove(kind, namespace, name)
            return
        if kind == "Namespace" and spec_finalizers != (spec.get("finalizers") or []):
            obj = dict(obj, spec=dict(spec, finalizers=spec_finalizers))
            if not spec_finalizers:
                obj["spec"].pop("finalizers")
        self._write_meta(obj, finalizers=finalizers or None)

    def remove_now(self, kind: str, namespace: str, name: str) -> None:
        """The last step of a graceful deletion (the kubelet confirms the pod is gone)."""
        obj = self.store.get(kind, namespace, name)
        if obj is None:
            return
        if obj["metadata"].get("finalizers"):
            return
        self._remove(kind, namespace, name)

    # ---------------------------------------------------------------------------------------
    # internals
    def _admit_namespace(self, cls: type[kinds.APIObject], name: str, ns: str) -> None:
        """NamespaceLifecycle: no new content in a namespace that is missing or terminating."""
        ns_obj = self.store.get("Namespace", "", ns)
        if ns_obj is None:
            raise NotFound("namespaces", ns, kind="Namespace")
        if (ns_obj.get("status") or {}).get("phase") == "Terminating":
            raise Forbidden(f'{cls.qualified_plural()} "{name}" is forbidden: unable to create new '
                            f'content in namespace {ns} because it is being terminated',
                            kind=cls.kind, name=name)

    def _generate_name(self, cls: type[kinds.APIObject], ns: str, base: str) -> str:
        """generateName plus 5 random characters; with RetryGenerateName (on since 1.31) the API
        server tries again when the name is taken, up to 8 attempts in all."""
        base = base[:58] if len(base) > 58 else base
        for _ in range(8):
            name = f"{base}{self.rand.suffix()}"
            if self.store.get(cls.kind, ns, name) is None:
                return name
        return name

    def _kind_for(self, obj: dict) -> type[kinds.APIObject]:
        from k8scourse.api import strict

        if not isinstance(obj, dict):
            raise BadRequest("the object provided is unrecognized")
        api_version, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
        cls = kinds.by_gvk(api_version, kind)
        if cls is None:
            other = kinds.by_kind_any_case(kind)
            if other is not None and other.api_version == api_version:
                raise BadRequest(strict.unregistered_kind_error(api_version, kind), kind=kind)
            raise BadRequest(f'no matches for kind "{kind}" in version "{api_version}"', kind=kind)
        return cls

    def _write_meta(self, obj: dict, **changes: Any) -> dict:
        new = dict(obj)
        meta = dict(obj["metadata"])
        for k, v in changes.items():
            if v is None:
                meta.pop(k, None)
            else:
                meta[k] = v
        new["metadata"] = meta
        return self.store.put(new)

    def _remove(self, kind: str, namespace: str, name: str) -> None:
        old = self.store.remove(kind, namespace, name)
        if old is not None and kind == "Service":
            self._release_service(old)

    def _log(self, verb: str, kind: str, ns: str, name: str, actor: str) -> None:
        self.requests.append((self.clock.now, verb, kind, ns, name, actor))

    # Service allocation ----------------------------------------------------------------------
    def _allocate_service(self, svc: dict, old: dict | None, allocated: list) -> list:
        """BeginCreate/BeginUpdate: ClusterIP and NodePorts, with the allocators' own errors."""
        spec = svc.get("spec") or {}
        errs: list[field.FieldError] = []
        path = field.Path("spec")
        stype = spec.get("type", "ClusterIP")
        if stype not in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"):
            return errs  # validation will report the type
        if old is not None:
            ospec = old.get("spec") or {}
            # an update that leaves out allocated values keeps them (PatchAllocatedValues)
            if not spec.get("clusterIP") and ospec.get("clusterIP") and stype != "ExternalName":
                spec["clusterIP"] = ospec["clusterIP"]
                spec["clusterIPs"] = list(ospec.get("clusterIPs") or [ospec["clusterIP"]])
            if stype in ("NodePort", "LoadBalancer"):
                oldports = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort")
                            for p in ospec.get("ports") or [] if isinstance(p, dict)}
                for p in spec.get("ports") or []:
                    if isinstance(p, dict) and not p.get("nodePort"):
                        np_ = oldports.get((p.get("port"), p.get("protocol", "TCP")))
                        if np_:
                            p["nodePort"] = np_
        if stype != "ExternalName":
            ip = spec.get("clusterIP")
            old_ip = (old or {}).get("spec", {}).get("clusterIP")
            if ip in (None, ""):
                try:
                    ip = self.cluster_ips.allocate_next()
                    allocated.append(("ip", ip))
                    spec["clusterIP"] = ip
                    spec["clusterIPs"] = [ip]
                except AllocationError as e:
                    errs.append(field.invalid(path.child("clusterIPs"), [], str(e)))
            elif ip != "None" and ip != old_ip:
                try:
                    self.cluster_ips.allocate(ip)
                    allocated.append(("ip", ip))
                    spec.setdefault("clusterIPs", [ip])
                except (AllocationError, ValueError) as e:
                    if self.cluster_ips.contains(ip) or isinstance(e, AllocationError):
                        errs.append(field.invalid(path.child("clusterIPs"), [ip], str(e)))
            elif ip == "None":
                spec.setdefault("clusterIPs", ["None"])
        if stype in ("NodePort", "LoadBalancer"):
            old_nps = set()
            if old is not None:
                old_nps = {p.get("nodePort") for p in (old.get("spec") or {}).get("ports") or []
                           if isinstance(p, dict)}
            ports = spec.get("ports") if isinstance(spec.get("ports"), list) else []
            for i, p in enumerate(ports):
                if not isinstance(p, dict):
                    continue
                np_ = p.get("nodePort")
                if np_ in (None, 0):
                    try:
                        p["nodePort"] = self.node_ports.allocate_next()
                        allocated.append(("port", p["nodePort"]))
                    except AllocationError as e:
                        errs.append(field.invalid(path.child("ports").index(i).child("nodePort"),
                                                  0, str(e)))
                elif isinstance(np_, int) and np_ not in old_nps:
                    try:
                        self.node_ports.allocate(np_)
                        allocated.append(("port", np_))
                    except AllocationError as e:
                        errs.append(field.invalid(path.child("ports").index(i).child("nodePort"),
                                                  np_, str(e)))
        return errs

    def _release(self, allocated: list) -> None:
        for what, value in allocated:
            if what == "ip":
                self.cluster_ips.release(value)
            else:
                self.node_ports.release(value)

    def _release_service(self, svc: dict) -> None:
        spec = svc.get("spec") or {}
        ip = spec.get("clusterIP")
        if ip and ip != "None":
            self.cluster_ips.release(ip)
        for p in spec.get("ports") or []:
            if isinstance(p, dict) and p.get("nodePort"):
                self.node_ports.release(p["nodePort"])

    def _release_unused_service(self, old: dict, new: dict) -> None:
        keep = {p.get("nodePort") for p in (new.get("spec") or {}).get("ports") or []
                if isinstance(p, dict) and new["spec"].get("type") in ("NodePort", "LoadBalancer")}
        for p in (old.get("spec") or {}).get("ports") or []:
            if isinstance(p, dict) and p.get("nodePort") and p["nodePort"] not in keep:
                self.node_ports.release(p["nodePort"])


def _same_content(a: dict, b: dict) -> bool:
    """Equal but for metadata.resourceVersion."""
    strip = lambda o: {**o, "metadata": {k: v for k, v in o["metadata"].items()
                                         if k != "resourceVersion"}}
    return strip(a) == strip(b)


def _cls(kind: str) -> type[kinds.APIObject]:
    cls = kinds.by_kind(kind)
    if cls is None:
        raise BadRequest(f'no kind "{kind}" is registered')
    return cls


def _sort_key(o: dict) -> tuple[str, str]:
    m = o["metadata"]
    return (m.get("namespace", ""), m["name"])


#: The DaemonSet strategy's record of template changes, which `kubectl describe ds` shows.
DS_TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


class _Template:
    """A controller's pod template as the API server admits it (APIServer._template)."""

    __slots__ = ("values", "spec", "qos", "spec_errors")

    def __init__(self, values: tuple, spec: dict, qos: str):
        self.values = values  # the template spec's values (kept alive: see _template_key)
        self.spec = spec  # defaulted and admitted, the token volume named TOKEN_PLACEHOLDER
        self.qos = qos
        #: the spec's field errors, from the first pod validated (None: not validated yet)
        self.spec_errors: list[field.FieldError] | None = None


def _template_key(pod: dict) -> tuple | None:
    """What a controller's pod spec is made of, when it is a shallow copy of a template.

    The ReplicaSet controller builds every pod spec as `dict(template["spec"])`: its values are
    the stored template's own objects, which nothing changes in place. Pods with the very same
    values (compared by identity; the key keeps them alive, so an id is never reused) have specs
    that defaulting and admission turn into the same spec but for the token volume's random
    name, which is always a valid DNS label: they get the same spec verdict. A template with its
    own `kube-api-access-` volume could clash with that name, so it is validated every time.
    """
    spec = pod.get("spec")
    if type(spec) is not dict:
        return None
    for vol in spec.get("volumes") or ():
        if not isinstance(vol, dict) or str(vol.get("name", "")).startswith("kube-api-access-"):
            return None
    values = tuple(spec.values())
    return (tuple(spec), tuple(map(id, values))), values


def _prepare_for_create(obj: dict, cls: type[kinds.APIObject]) -> None:
    """What each kind's registry strategy sets on a new object."""
    if cls is kinds.Namespace:
        spec = obj.setdefault("spec", {})
        if "kubernetes" not in (spec.get("finalizers") or []):
            spec["finalizers"] = list(spec.get("finalizers") or []) + ["kubernetes"]
    elif cls is kinds.DaemonSet:
        obj["metadata"].setdefault("annotations", {})[DS_TEMPLATE_GENERATION] = "1"


def _prepare_for_update(obj: dict, old: dict, cls: type[kinds.APIObject]) -> None:
    if cls is kinds.Namespace:
        # finalizers change only through the finalize subresource
        obj.setdefault("spec", {})["finalizers"] = list((old.get("spec") or {}).get("finalizers") or [])
        if not obj["spec"]["finalizers"]:
            obj["spec"].pop("finalizers")
    elif cls is kinds.DaemonSet:
        old_gen = int(((old["metadata"].get("annotations") or {}).get(DS_TEMPLATE_GENERATION)) or 1)
        changed = (obj.get("spec") or {}).get("template") != (old.get("spec") or {}).get("template")
        obj["metadata"].setdefault("annotations", {})[DS_TEMPLATE_GENERATION] = \
            str(old_gen + 1 if changed else old_gen)


def _initial_status(obj: dict, cls: type[kinds.APIObject], qos: str | None = None) -> None:
    kind = cls.kind
    if kind == "Pod":
        if qos is None:
            from k8scourse.api.qos import qos_class

            qos = qos_class(obj)
        obj["status"] = {"phase": "Pending", "qosClass": qos}
    elif kind == "Namespace":
        obj["status"] = {"phase": "Active"}
    elif kind == "Service":
        obj["status"] = {"loadBalancer": {}}
    elif kind in ("ReplicaSet", "ReplicationController"):
        obj["status"] = {"replicas": 0}
    elif kind in ("Deployment", "DaemonSet"):
        obj["status"] = {}
