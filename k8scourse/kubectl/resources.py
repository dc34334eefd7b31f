"""What kubectl's RESTMapper and resource builder do: words to types, arguments and files to objects.

    get pods                 one type, every object (in the namespace)
    get pods,svc             several types
    get pod web db           one type, some names
    get pod/web svc/db       type/name pairs
    get all                  the "all" category: pods, services, replication controllers, ...
    create -f a.yaml -f dir/ objects read from files, directories, URLs or stdin

The kinds the model serves come from k8scourse.api.kinds. A real v1.32 cluster serves more
(secrets, service accounts, roles, ...): kubectl still knows their names, so `get secrets` lists
nothing instead of failing, and manifests with such objects (the flannel add-on's RBAC) are kept
as opaque objects that nothing acts upon (see `opaque_*`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from k8scourse.api import kinds
from k8scourse.errors import AlreadyExists, BadRequest, ClientError, NotFound

if TYPE_CHECKING:
    from k8scourse.kubectl.main import Env


@dataclass(frozen=True)
class RType:
    """One API resource: what `kubectl api-resources` lists about it."""

    plural: str
    short_names: tuple[str, ...]
    api_version: str
    namespaced: bool
    kind: str
    modelled: bool = False

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def ref(self) -> str:
        """`pod`, `deployment.apps`: how kubectl names the type in `<type>/<name>`."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    @property
    def qualified_plural(self) -> str:
        """`pods`, `deployments.apps`: the resource in API server messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def gvr(self) -> str:
        """schema.GroupVersionResource.String(): `/v1, Resource=pods`."""
        return f"{self.group}/{self.version}, Resource={self.plural}"

    def not_found(self, name: str) -> NotFound:
        return NotFound(self.plural, name, self.group, self.kind)


# The resources a kubeadm v1.32 cluster serves (kubectl api-resources), used when helper B's table
# is not there. (plural, short names, apiVersion, namespaced, kind)
_REAL_RESOURCES = """\
bindings||v1|true|Binding
componentstatuses|cs|v1|false|ComponentStatus
configmaps|cm|v1|true|ConfigMap
endpoints|ep|v1|true|Endpoints
events|ev|v1|true|Event
limitranges|limits|v1|true|LimitRange
namespaces|ns|v1|false|Namespace
nodes|no|v1|false|Node
persistentvolumeclaims|pvc|v1|true|PersistentVolumeClaim
persistentvolumes|pv|v1|false|PersistentVolume
pods|po|v1|true|Pod
podtemplates||v1|true|PodTemplate
replicationcontrollers|rc|v1|true|ReplicationController
resourcequotas|quota|v1|true|ResourceQuota
secrets||v1|true|Secret
serviceaccounts|sa|v1|true|ServiceAccount
services|svc|v1|true|Service
mutatingwebhookconfigurations||admissionregistration.k8s.io/v1|false|MutatingWebhookConfiguration
validatingadmissionpolicies||admissionregistration.k8s.io/v1|false|ValidatingAdmissionPolicy
validatingadmissionpolicybindings||admissionregistration.k8s.io/v1|false|ValidatingAdmissionPolicyBinding
validatingwebhookconfigurations||admissionregistration.k8s.io/v1|false|ValidatingWebhookConfiguration
customresourcedefinitions|crd,crds|apiextensions.k8s.io/v1|false|CustomResourceDefinition
apiservices||apiregistration.k8s.io/v1|false|APIService
controllerrevisions||apps/v1|true|ControllerRevision
daemonsets|ds|apps/v1|true|DaemonSet
deployments|deploy|apps/v1|true|Deployment
replicasets|rs|apps/v1|true|ReplicaSet
statefulsets|sts|apps/v1|true|StatefulSet
selfsubjectreviews||authentication.k8s.io/v1|false|SelfSubjectReview
tokenreviews||authentication.k8s.io/v1|false|TokenReview
localsubjectaccessreviews||authorization.k8s.io/v1|true|LocalSubjectAccessReview
selfsubjectaccessreviews||authorization.k8s.io/v1|false|SelfSubjectAccessReview
selfsubjectrulesreviews||authorization.k8s.io/v1|false|SelfSubjectRulesReview
subjectaccessreviews||authorization.k8s.io/v1|false|SubjectAccessReview
horizontalpodautoscalers|hpa|autoscaling/v2|true|HorizontalPodAutoscaler
cronjobs|cj|batch/v1|true|CronJob
jobs||batch/v1|true|Job
certificatesigningrequests|csr|certificates.k8s.io/v1|false|CertificateSigningRequest
leases||coordination.k8s.io/v1|true|Lease
endpointslices||discovery.k8s.io/v1|true|EndpointSlice
events|ev|events.k8s.io/v1|true|Event
flowschemas||flowcontrol.apiserver.k8s.io/v1|false|FlowSchema
prioritylevelconfigurations||flowcontrol.apiserver.k8s.io/v1|false|PriorityLevelConfiguration
ingressclasses||networking.k8s.io/v1|false|IngressClass
ingresses|ing|networking.k8s.io/v1|true|Ingress
networkpolicies|netpol|networking.k8s.io/v1|true|NetworkPolicy
runtimeclasses||node.k8s.io/v1|false|RuntimeClass
poddisruptionbudgets|pdb|policy/v1|true|PodDisruptionBudget
clusterrolebindings||rbac.authorization.k8s.io/v1|false|ClusterRoleBinding
clusterroles||rbac.authorization.k8s.io/v1|false|ClusterRole
rolebindings||rbac.authorization.k8s.io/v1|true|RoleBinding
roles||rbac.authorization.k8s.io/v1|true|Role
priorityclasses|pc|scheduling.k8s.io/v1|false|PriorityClass
csidrivers||storage.k8s.io/v1|false|CSIDriver
csinodes||storage.k8s.io/v1|false|CSINode
csistoragecapacities||storage.k8s.io/v1|true|CSIStorageCapacity
storageclasses|sc|storage.k8s.io/v1|false|StorageClass
volumeattachments||storage.k8s.io/v1|false|VolumeAttachment
"""

#: The "all" category (kubectl get all), in the order kubectl prints the blocks.
ALL_CATEGORY = ("pods", "services", "replicationcontrollers", "daemonsets", "deployments",
                "replicasets", "statefulsets", "horizontalpodautoscalers", "cronjobs", "jobs")

_TYPES: list[RType] | None = None
_BY_WORD: dict[str, RType] = {}
_BY_GVK: dict[tuple[str, str], RType] = {}


def _load() -> list[RType]:
    global _TYPES
    if _TYPES is not None:
        return _TYPES
    modelled = {k.kind: k for k in kinds.KINDS}
    rows: list[tuple[str, tuple[str, ...], str, bool, str]] = []
    for line in _REAL_RESOURCES.splitlines():
        plural, shorts, api_version, namespaced, kind = line.split("|")
        rows.append((plural, tuple(s for s in shorts.split(",") if s), api_version,
                     namespaced == "true", kind))
    types: list[RType] = []
    for plural, shorts, api_version, namespaced, kind in rows:
        cls = modelled.get(kind)
        is_model = cls is not None and cls.api_version == api_version
        types.append(RType(plural, shorts, api_version, namespaced, kind, is_model))
    seen = {(t.api_version, t.kind) for t in types}
    for cls in kinds.KINDS:  # anything the model serves that the table lacks
        if (cls.api_version, cls.kind) not in seen:
            types.append(RType(cls.plural, tuple(cls.short_names), cls.api_version,
                               cls.namespaced, cls.kind, True))
    # Preferred versions first: events.k8s.io Events lose to core v1 for the bare word `events`.
    for t in types:
        words = [t.plural, t.singular, *t.short_names]
        for w in words:
            _BY_WORD.setdefault(w, t)
            if t.group:
                _BY_WORD.setdefault(f"{w}.{t.group}", t)
                _BY_WORD.setdefault(f"{w}.{t.version}.{t.group}", t)
            else:
                _BY_WORD.setdefault(f"{w}.{t.version}", t)
        _BY_WORD.setdefault(t.kind, t)
        _BY_GVK[(t.api_version, t.kind)] = t
    _TYPES = types
    return types


def all_types() -> list[RType]:
    return list(_load())


def lookup(word: str) -> RType | None:
    """The type a word on the command line names (`po`, `pods`, `Pod`, `deploy.apps`), or None."""
    _load()
    t = _BY_WORD.get(word)
    if t is None:
        t = _BY_WORD.get(word.lower())
    if t is None:
        for cand in _load():
            if cand.kind.lower() == word.lower():
                return cand
    return t


def by_gvk(api_version: str, kind: str) -> RType | None:
    _load()
    return _BY_GVK.get((api_version, kind))


def for_kind(kind: str) -> RType:
    """The type of a modelled kind (`Pod`)."""
    _load()
    for t in _TYPES or ():
        if t.kind == kind and t.modelled:
            return t
    cls = kinds.by_kind(kind)
    return RType(cls.plural, tuple(cls.short_names), cls.api_version, cls.namespaced, cls.kind, True)


def resolve(word: str) -> RType:
    """mappingFor: the type, or kubectl's `the server doesn't have a resource type "x"`."""
    t = lookup(word)
    if t is None:
        base = word.split(".")[0] if "." in word else word
        raise ClientError(f'the server doesn\'t have a resource type "{base}"')
    return t


def expand_aliases(arg: str) -> str:
    """ReplaceAliases: `all` becomes the category's resources."""
    parts = []
    for a in arg.split(","):
        if a == "all":
            a = ",".join(r if "." not in r else r for r in _all_words())
        parts.append(a)
    return ",".join(parts)


def _all_words() -> list[str]:
    out = []
    for plural in ALL_CATEGORY:
        t = lookup(plural)
        if t is not None:
            out.append(f"{t.plural}.{t.group}" if t.group else t.plural)
    return out


def split_resource_argument(arg: str) -> list[str]:
    """SplitResourceArgument: comma-separated, duplicates dropped, order kept."""
    out: list[str] = []
    for s in arg.split(","):
        if s not in out:
            out.append(s)
    return out


# ---------------------------------------------------------------------------------------------
# reading the store

def get_object(env: "Env", t: RType, namespace: str, name: str) -> dict:
    """GET one object (a copy); NotFound in the API server's words."""
    ns = namespace if t.namespaced else ""
    if t.modelled:
        obj = env.api.get(t.kind, ns, name)
        return obj
    obj = env.api.store.get(t.kind, ns, name)
    if obj is None:
        raise t.not_found(name)
    from k8scourse.apiserver.store import clone

    return clone(obj)


def get_stored(env: "Env", t: RType, namespace: str, name: str) -> dict | None:
    """The stored object (read-only) or None."""
    return env.api.store.get(t.kind, namespace if t.namespaced else "", name)


def list_objects(env: "Env", t: RType, namespace: str | None) -> list[dict]:
    """Stored objects of a type (read-only), sorted by namespace and name."""
    ns = namespace if t.namespaced else None
    objs = env.api.store.list(t.kind, ns)
    if not t.modelled:
        objs = [o for o in objs if o.get("apiVersion") == t.api_version or not t.group]
    return sorted(objs, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))


# ---------------------------------------------------------------------------------------------
# opaque objects: kinds a real cluster serves that the model does not act upon

def opaque_create(env: "Env", t: RType, obj: dict, dry_run: bool = False) -> dict:
    """Store an object of a kind nothing in the model reconciles (a ServiceAccount, a Role, ...)."""
    from k8scourse.apiserver.store import clone

    obj = clone(obj)
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise BadRequest("the object provided is unrecognized")
    name = meta.get("name") or ""
    if not name and meta.get("generateName"):
        name = meta["name"] = f"{meta['generateName']}{env.cluster.rand.suffix()}"
    if not name:
        from k8scourse.api import field
        from k8scourse.errors import Invalid

        raise Invalid(t.kind, "", [field.required(field.Path("metadata", "name"),
                                                  "name or generateName is required")], t.group)
    ns = ""
    if t.namespaced:
        ns = meta.get("namespace") or "default"
        meta["namespace"] = ns
        if env.api.store.get("Namespace", "", ns) is None:
            raise NotFound("namespaces", ns, kind="Namespace")
    else:
        meta.pop("namespace", None)
    if env.api.store.get(t.kind, ns, name) is not None:
        raise AlreadyExists(t.plural, name, t.group, t.kind)
    if dry_run:
        return obj
    meta["uid"] = env.cluster.rand.uid()
    meta["creationTimestamp"] = env.cluster.clock.timestamp()
    if t.kind == "ServiceAccount":
        obj.pop("status", None)
    return clone(env.api.store.put(obj))


def opaque_update(env: "Env", t: RType, obj: dict) -> dict:
    from k8scourse.apiserver.store import clone

    obj = clone(obj)
    meta = obj.setdefault("metadata", {})
    ns = (meta.get("namespace") or "default") if t.namespaced else ""
    old = env.api.store.get(t.kind, ns, meta.get("name", ""))
    if old is None:
        raise t.not_found(meta.get("name", ""))
    if t.namespaced:
        meta["namespace"] = ns
    for k in ("uid", "creationTimestamp"):
        if k in old["metadata"]:
            meta[k] = old["metadata"][k]
    stripped_old = {k: v for k, v in old.items() if k != "metadata"}
    stripped_new = {k: v for k, v in obj.items() if k != "metadata"}
    old_meta = {k: v for k, v in old["metadata"].items() if k != "resourceVersion"}
    new_meta = {k: v for k, v in meta.items() if k != "resourceVersion"}
    if stripped_old == stripped_new and old_meta == new_meta:
        return clone(old)
    return clone(env.api.store.put(obj))


def opaque_delete(env: "Env", t: RType, namespace: str, name: str) -> dict:
    ns = namespace if t.namespaced else ""
    old = env.api.store.remove(t.kind, ns, name)
    if old is None:
        raise t.not_found(name)
    return old


# ---------------------------------------------------------------------------------------------
# objects from files

@dataclass
class Info:
    """resource.Info: one object to act upon, where it came from, and its type."""

    rtype: RType
    namespace: str
    name: str
    obj: dict | None = None
    source: str = ""
    #: the object as read from the file (for create/apply/replace)
    local: dict | None = None

    @property
    def ref(self) -> str:
        return f"{self.rtype.ref}/{self.name}"


#: Add-on manifests the course serves offline (the cluster has no internet).
KNOWN_URLS = {
    "https://raw.githubusercontent.com/coreos/flannel/master/Documentation/kube-flannel.yml":
        "kube-flannel.yml",
    "https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml":
        "kube-flannel.yml",
    "https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml":
        "kube-flannel.yml",
}


def _data_dir() -> str:
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(os.path.dirname(here)), "data")


def _read_url(url: str) -> str:
    from k8scourse.kubectl.render import ConnectError

    bundled = KNOWN_URLS.get(url)
    if bundled:
        for base in (os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                  "data"), _data_dir()):
            path = os.path.join(base, bundled)
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    return f.read()
    rest = url.split("://", 1)[1] if "://" in url else url
    host = rest.split("/", 1)[0].split(":", 1)[0]
    raise ConnectError(f"dial tcp: lookup {host}: no such host")


@dataclass
class Source:
    """One place manifests come from: a file, stdin or a URL (read lazily, in order)."""

    name: str
    kind: str  # "file", "stdin", "url"
    path: str = ""


def expand_filenames(env: "Env", filenames: Iterable[str], recursive: bool
                     ) -> tuple[list[Source], list[BaseException], bool]:
    """FilenameParam + Path: the sources, the errors, and whether a single item is implied."""
    sources: list[Source] = []
    errs: list[BaseException] = []
    single = False
    stdin_used = False
    is_dir = False
    for s in filenames:
        if s == "-":
            if stdin_used:
                errs.append(ClientError("standard input cannot be used for multiple arguments"))
            stdin_used = True
            sources.append(Source("STDIN", "stdin"))
            continue
        if s.startswith("http://") or s.startswith("https://"):
            sources.append(Source(s, "url"))
            continue
        path = s if os.path.isabs(s) or not env.cwd else os.path.join(env.cwd, s)
        if not os.path.exists(path):
            import glob

            matches = sorted(glob.glob(path))
            if not matches:
                errs.append(ClientError(f'the path "{s}" does not exist'))
                continue
            paths = [(m, os.path.relpath(m, env.cwd) if env.cwd and not os.path.isabs(s) else m)
                     for m in matches]
        else:
            paths = [(path, s)]
        if not recursive and len(paths) == 1:
            single = True
        for real, shown in paths:
            if os.path.isdir(real):
                found = []
                for root, dirs, files in os.walk(real):
                    dirs.sort()
                    if root != real and not recursive:
                        continue
                    for fn in sorted(files):
                        if os.path.splitext(fn)[1] in (".json", ".yaml", ".yml"):
                            full = os.path.join(root, fn)
                            found.append(Source(os.path.join(shown, os.path.relpath(full, real)),
                                                "file", full))
                    if not recursive:
                        dirs[:] = []
                if len(found) > 1:
                    is_dir = True
                if not found:
                    errs.append(ClientError(
                        f'error reading [{shown}]: recognized file extensions are '
                        f'[.json .yaml .yml]'))
                sources.extend(found)
            else:
                sources.append(Source(shown, "file", real))
    single = single and not is_dir and not stdin_used and len(sources) == 1
    return sources, errs, single


def read_source(env: "Env", src: Source) -> str:
    if src.kind == "stdin":
        return env.stdin or ""
    if src.kind == "url":
        return _read_url(src.name)
    try:
        with open(src.path, encoding="utf-8-sig") as f:
            return f.read()
    except OSError as e:
        raise ClientError(f"open {src.name}: {e.strerror.lower() if e.strerror else e}") from None


def map_object(obj: dict, source: str) -> RType:
    """The RESTMapper's view of a manifest's apiVersion/kind (case-insensitive kinds)."""
    api_version = obj.get("apiVersion") if isinstance(obj.get("apiVersion"), str) else ""
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else ""
    t = by_gvk(api_version, kind)
    if t is None:
        for cand in _load():
            if cand.api_version == api_version and cand.kind.lower() == kind.lower():
                t = cand
                break
    if t is None:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        name = meta.get("name", "") if isinstance(meta.get("name", ""), str) else ""
        ns = meta.get("namespace", "") if isinstance(meta.get("namespace", ""), str) else ""
        raise ClientError(
            f'resource mapping not found for name: "{name}" namespace: "{ns}" from "{source}": '
            f'no matches for kind "{kind}" in version "{api_version}"\n'
            "ensure CRDs are installed first")
    return t


def infos_from_files(env: "Env", filenames: list[str], recursive: bool, *, validate: str = "strict",
                     namespace: str = "", enforce_namespace: bool = False
                     ) -> tuple[list[Info], list[BaseException], bool]:
    """Read every manifest: one Info per object, the errors met on the way, single-item-implied."""
    from k8scourse.api import decode

    sources, errs, single = expand_filenames(env, filenames, recursive)
    infos: list[Info] = []
    count = 0
    for src in sources:
        try:
            text = read_source(env, src)
            objs = decode.load_manifests(text, src.name)
        except Exception as e:  # noqa: BLE001 - reported like kubectl, or as internal
            if _is_model_error(e):
                errs.append(e)
                continue
            raise
        for obj in objs:
            count += 1
            try:
                if not isinstance(obj, dict):
                    raise ClientError(f'unable to decode "{src.name}": Object \'Kind\' is missing '
                                      f"in '{obj}'")
                decode.check_client_side(obj, src.name, validate)
                t = map_object(obj, src.name)
                meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
                name = meta.get("name") or ""
                ns = ""
                if t.namespaced:
                    ns = meta.get("namespace") or ""
                    if enforce_namespace and ns and ns != namespace:
                        raise ClientError(
                            f'the namespace from the provided object "{ns}" does not match the '
                            f'namespace "{namespace}". You must pass \'--namespace={ns}\' to '
                            "perform this operation.")
                    ns = ns or namespace
                infos.append(Info(t, ns, name if isinstance(name, str) else str(name),
                                  None, src.name, obj))
            except Exception as e:  # noqa: BLE001
                if _is_model_error(e):
                    errs.append(e)
                    continue
                raise
    if count > 1:
        single = False
    return infos, errs, single


def _is_model_error(e: BaseException) -> bool:
    from k8scourse.errors import K8sError

    return isinstance(e, K8sError)
