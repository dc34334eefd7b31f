"""cli-runtime's resource.Builder: turn arguments, selectors and files into the objects to act on.

The rules and messages are the real ones (staging/src/k8s.io/cli-runtime/pkg/resource/builder.go):
`get pods`, `get pods,svc`, `get pod a b`, `get pod/a svc/b`, `-l app=web`, `-f file`, and errors
such as `there is no need to specify a resource type as a separate argument when passing arguments
in resource/name form ...`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from k8scourse.errors import BadRequest, ClientError, NotFound
from k8scourse.kubectl import resources, selectors
from k8scourse.kubectl.resources import Info, RType

if TYPE_CHECKING:
    from k8scourse.kubectl.main import Env

MISSING_RESOURCE = ("You must provide one or more resources by argument or filename.\n"
                    "Example resource specifications include:\n"
                    "   '-f rsrc.yaml'\n"
                    "   '--filename=rsrc.json'\n"
                    "   '<resource> <name>'\n"
                    "   '<resource>'")


class MissingResource(ClientError):
    """resource.IsUsageError: commands add their own usage hint."""

    def __init__(self) -> None:
        super().__init__(MISSING_RESOURCE)


@dataclass
class Result:
    infos: list[Info] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    single_item: bool = False
    #: the types listed by selector (each one is a "table" even when empty)
    listed_types: list[RType] = field(default_factory=list)
    by_selector: bool = False
    from_files: bool = False


def _normalize_multiple(args: list[str]) -> list[str]:
    """`a,b c d` -> `a/c a/d b/c b/d`."""
    if len(args) >= 2:
        types = resources.split_resource_argument(args[0])
        if len(types) > 1:
            return [f"{t}/{n}" for t in types for n in args[1:]]
    return args


def _split_tuple(s: str) -> tuple[str, str] | None:
    if "/" not in s:
        return None
    seg = s.split("/")
    if len(seg) != 2:
        raise ClientError("arguments in resource/name form may not have more than one slash")
    res, name = seg
    if not res or not name or len(resources.split_resource_argument(res)) != 1:
        raise ClientError("arguments in resource/name form must have a single resource and name")
    return res, name


def parse_args(args: list[str], allow_empty_selector: bool = True
               ) -> tuple[list[str], list[str], list[tuple[str, str]], bool]:
    """ResourceTypeOrNameArgs: (types, names, type/name tuples, select everything)."""
    args = _normalize_multiple(list(args))
    slashes = sum(1 for a in args if "/" in a)
    if slashes and slashes == len(args):
        tuples = []
        for a in args:
            t = _split_tuple(a)
            if t:
                tuples.append(t)
        return [], [], tuples, False
    if slashes:
        raise ClientError(
            "there is no need to specify a resource type as a separate argument when passing "
            "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
            "instead of 'kubectl get resource resource/<resource_name>'")
    if not args:
        return [], [], [], False
    first = resources.expand_aliases(args[0])
    types = resources.split_resource_argument(first)
    if len(args) >= 2:
        return types, args[1:], [], False
    return types, [], [], allow_empty_selector


FIELD_SELECTORS = {
    "*": {"metadata.name", "metadata.namespace"},
    "Pod": {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
            "status.nominatedNodeName"},
    "Node": {"spec.unschedulable"},
    "Namespace": {"status.phase"},
    "ReplicaSet": {"status.replicas"},
    "ReplicationController": {"status.replicas"},
    "Event": {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
              "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
              "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"},
    "Secret": {"type"},
    "Service": {"spec.clusterIP", "spec.type"},
}


def _field_value(obj: dict, path: str) -> str:
    if path == "source":
        return (obj.get("source") or {}).get("component", "")
    cur: object = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
    if cur is None:
        if path == "spec.unschedulable" or path == "spec.hostNetwork":
            return "false"
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    if isinstance(cur, list):
        return ",".join(str(x.get("ip", x)) if isinstance(x, dict) else str(x) for x in cur)
    return str(cur)


def field_filter(t: RType, text: str):
    """A predicate for --field-selector, or BadRequest as the API server answers."""
    reqs = selectors.parse_fields(text)
    allowed = FIELD_SELECTORS["*"] | FIELD_SELECTORS.get(t.kind, set())
    for r in reqs:
        if r.field not in allowed:
            raise BadRequest(f"field label not supported: {r.field}")

    def match(obj: dict) -> bool:
        for r in reqs:
            v = _field_value(obj, r.field)
            if (v == r.value) != (r.op == "="):
                return False
        return True
    return match


def list_by_selector(env: "Env", t: RType, namespace: str | None, label_selector: str,
                     field_selector: str) -> list[dict]:
    """GET a list with labelSelector/fieldSelector: stored objects, read-only."""
    try:
        sel = selectors.parse_labels(label_selector) if label_selector else None
        ffilter = field_filter(t, field_selector) if field_selector else None
    except (ValueError, BadRequest) as e:
        msg = e.message if isinstance(e, BadRequest) else str(e)
        if isinstance(e, ValueError) and field_selector and not label_selector:
            msg = str(e)
        raise BadRequest(f'Unable to find "{t.gvr}" that match label selector "{label_selector}", '
                         f'field selector "{field_selector}": {msg}') from None
    objs = resources.list_objects(env, t, namespace)
    if sel is not None and not sel.empty():
        objs = [o for o in objs if sel.matches(o["metadata"].get("labels"))]
    if ffilter is not None:
        objs = [o for o in objs if ffilter(o)]
    return objs


def fetch(env: "Env", t: RType, namespace: str, name: str) -> dict:
    """Info.Get: the object, or NotFound (for the namespace itself when it does not exist)."""
    try:
        return resources.get_object(env, t, namespace, name)
    except NotFound:
        if t.namespaced and namespace and namespace != "default" and \
                env.api.store.get("Namespace", "", namespace) is None:
            raise NotFound("namespaces", namespace, kind="Namespace") from None
        raise


def build(env: "Env", args: list[str], *, filenames: list[str] | None = None,
          recursive: bool = False, label_selector: str = "", field_selector: str = "",
          all_namespaces: bool = False, select_all: bool = False,
          allow_empty_selector: bool = True, latest: bool = True, validate: str = "strict",
          single_type: bool = False, enforce_namespace: bool | None = None,
          fetch_objects: bool = True) -> Result:
    """What the resource builder returns for these inputs; fatal problems are raised."""
    filenames = filenames or []
    namespace = "" if all_namespaces else env.namespace
    label_selector = label_selector.strip()
    field_selector = field_selector.strip()
    if select_all and (label_selector or field_selector):
        raise ClientError("setting 'all' parameter but found a non empty selector. ")
    types, names, tuples, everything = parse_args(args, allow_empty_selector)
    res = Result()
    if filenames:
        if types:
            raise ClientError("when paths, URLs, or stdin is provided as input, you may not "
                              "specify resource arguments as well")
        if names:
            raise ClientError("name cannot be provided when a path is specified")
        if tuples:
            raise ClientError("resource/name arguments cannot be provided when a path is "
                              "specified")
        enforce = env.explicit_namespace if enforce_namespace is None else enforce_namespace
        infos, errs, single = resources.infos_from_files(
            env, filenames, recursive, validate=validate, namespace=env.namespace,
            enforce_namespace=enforce)
        res.from_files = True
        res.single_item = single
        res.errors.extend(errs)
        sel = selectors.parse_labels(label_selector) if label_selector else None
        for info in infos:
            if latest:
                try:
                    info.obj = fetch(env, info.rtype, info.namespace, info.name) \
                        if info.name else None
                    if not info.name:
                        raise ClientError("resource name may not be empty")
                except Exception as e:  # noqa: BLE001
                    if isinstance(e, (NotFound, ClientError)):
                        from k8scourse.kubectl.render import add_source

                        res.errors.append(e if isinstance(e, ClientError)
                                          else add_source("getting", "", e))
                        continue
                    raise
            if sel is not None and not sel.matches(((info.obj or info.local or {}).get(
                    "metadata") or {}).get("labels")):
                continue
            res.infos.append(info)
        return res

    if select_all:
        everything = True
    if label_selector or field_selector or (everything and not names and not tuples):
        if names:
            raise ClientError("name cannot be provided when a selector is specified")
        if tuples:
            raise ClientError("selectors and the all flag cannot be used when passing "
                              "resource/name arguments")
        if not types:
            raise ClientError("at least one resource must be specified to use a selector")
        mapped = _map_types(types)
        if single_type and len(mapped) > 1:
            raise ClientError("you may only specify a single resource type")
        res.by_selector = True
        res.listed_types = mapped
        for t in mapped:
            ns = namespace if t.namespaced else None
            if all_namespaces:
                ns = None
            try:
                objs = list_by_selector(env, t, ns, label_selector, field_selector)
            except BadRequest as e:
                res.errors.append(e)
                continue
            for o in objs:
                m = o["metadata"]
                res.infos.append(Info(t, m.get("namespace", ""), m["name"], o))
        return res

    if tuples:
        if types:
            raise ClientError("you may not specify individual resources and bulk resources in "
                              "the same call")
        mapping: dict[str, RType] = {}
        for word, _ in tuples:
            if word not in mapping:
                mapping[word] = resources.resolve(word)
        if single_type and len({(t.api_version, t.kind) for t in mapping.values()}) > 1:
            raise ClientError("you may only specify a single resource type")
        res.single_item = len(tuples) == 1
        for word, name in tuples:
            t = mapping[word]
            _check_namespace(t, namespace, all_namespaces)
            res.infos.append(Info(t, namespace if t.namespaced else "", name))
    elif names:
        if len(types) > 1:
            raise ClientError("you must specify only one resource")
        t = _map_types(types)[0]
        _check_namespace(t, namespace, all_namespaces)
        res.single_item = len(names) == 1
        for name in names:
            res.infos.append(Info(t, namespace if t.namespaced else "", name))
    elif types:
        _map_types(types)
        raise ClientError("resource(s) were provided, but no name was specified")
    else:
        raise MissingResource()

    if fetch_objects:
        found = []
        for info in res.infos:
            try:
                info.obj = fetch(env, info.rtype, info.namespace, info.name)
                found.append(info)
            except NotFound as e:
                res.errors.append(e)
        res.infos = found
    return res


def _check_namespace(t: RType, namespace: str, all_namespaces: bool) -> None:
    if t.namespaced and not namespace:
        if all_namespaces:
            raise ClientError("a resource cannot be retrieved by name across all namespaces")
        raise ClientError("namespace may not be empty when retrieving a resource by name")


def _map_types(types: list[str]) -> list[RType]:
    out: list[RType] = []
    for word in types:
        t = resources.resolve(word)
        if t not in out:
            out.append(t)
    return out
