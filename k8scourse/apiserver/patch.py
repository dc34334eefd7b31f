"""Patches, as the API server applies them: strategic merge, JSON merge (RFC 7386), JSON (RFC 6902).

    apply_patch(obj, patch, "strategic") -> dict      # kubectl patch -p '{"spec": ...}'
    three_way_merge_patch(original, modified, current) -> dict   # what kubectl apply sends

Strategic merge patch (apimachinery/pkg/util/strategicpatch) merges lists of objects by the merge
key the Go types declare: containers, initContainers and volumes by `name`, container ports by
`containerPort`, env by `name`, volumeMounts by `mountPath`, service ports by `port`, ownerReferences
by `uid`; finalizers are merged as a set. Other lists (tolerations, args, command, taints, ...)
are replaced whole. The directives `$patch: delete|replace|merge`, `$retainKeys`,
`$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured.

Pure functions on JSON-shaped data: inputs are never modified.
"""

from __future__ import annotations

import copy
import json
from typing import Any

__all__ = ["apply_patch", "strategic_merge", "json_merge_patch", "json_patch",
           "three_way_merge_patch", "PatchError", "list_strategy"]


class PatchError(ValueError):
    """A patch that cannot be applied (the API server answers 422 or 400)."""


_MISSING = object()

# (strategy, merge key) of the lists declared with a patch strategy, by Go type ---------------
_POD_SPEC = {
    "containers": ("merge", "name"), "initContainers": ("merge", "name"),
    "ephemeralContainers": ("merge", "name"), "volumes": ("merge,retainKeys", "name"),
    "imagePullSecrets": ("merge", "name"), "hostAliases": ("merge", "ip"),
    "topologySpreadConstraints": ("merge", "topologyKey"), "schedulingGates": ("merge", "name"),
    "resourceClaims": ("merge,retainKeys", "name"),
}
_CONTAINER = {
    "ports": ("merge", "containerPort"), "env": ("merge", "name"),
    "volumeMounts": ("merge", "mountPath"), "volumeDevices": ("merge", "devicePath"),
}
_OBJECT_META = {"finalizers": ("merge", None), "ownerReferences": ("merge", "uid")}
_POD_STATUS = {"conditions": ("merge", "type"), "podIPs": ("merge", "ip"),
               "hostIPs": ("merge", "ip")}
_NODE_SPEC = {"podCIDRs": ("merge", None)}
_NODE_STATUS = {"conditions": ("merge", "type"), "addresses": ("merge", "type")}
_SERVICE_SPEC = {"ports": ("merge", "port")}

_TEMPLATE_KINDS = {"Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet",
                   "Job", "PodTemplate"}


def _pod_spec_rule(rest: tuple[str, ...]) -> tuple[str, str | None] | None:
    if len(rest) == 1:
        return _POD_SPEC.get(rest[0])
    if len(rest) == 2 and rest[0] in ("containers", "initContainers", "ephemeralContainers"):
        return _CONTAINER.get(rest[1])
    return None


def list_strategy(kind: str, path: tuple[str, ...]) -> tuple[str, str | None] | None:
    """(patch strategy, merge key) of the list at `path` (map keys only), or None (atomic list)."""
    if not path:
        return None
    if len(path) == 2 and path[0] == "metadata":
        return _OBJECT_META.get(path[1])
    if kind in _TEMPLATE_KINDS and path[:2] == ("spec", "template"):
        sub = path[2:]
        if len(sub) == 2 and sub[0] == "metadata":
            return _OBJECT_META.get(sub[1])
        if sub[:1] == ("spec",):
            return _pod_spec_rule(sub[1:])
        return None
    if kind == "CronJob" and path[:4] == ("spec", "jobTemplate", "spec", "template"):
        sub = path[4:]
        if sub[:1] == ("spec",):
            return _pod_spec_rule(sub[1:])
        return None
    if kind == "Pod":
        if path[0] == "spec":
            return _pod_spec_rule(path[1:])
        if path[0] == "status" and len(path) == 2:
            return _POD_STATUS.get(path[1])
    if kind == "Service" and path[0] == "spec" and len(path) == 2:
        return _SERVICE_SPEC.get(path[1])
    if kind == "Node" and len(path) == 2:
        return (_NODE_SPEC if path[0] == "spec" else _NODE_STATUS if path[0] == "status"
                else {}).get(path[1])
    return None


def _is_merge(rule: tuple[str, str | None] | None) -> bool:
    return rule is not None and "merge" in rule[0].split(",")


# --- directives helpers --------------------------------------------------------------------

def _strip(value: Any) -> Any:
    """A patch value as it lands in the object: directives removed."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()
                if not k.startswith("$") and v is not None}
    if isinstance(value, list):
        return [_strip(v) for v in value
                if not (isinstance(v, dict) and v.get("$patch") in ("delete",))]
    return value


# --- strategic merge ---------------------------------------------------------------------------

def strategic_merge(obj: dict, patch: dict, kind: str | None = None) -> dict:
    """StrategicMergePatch: `obj` with `patch` merged in (a new dict)."""
    if not isinstance(patch, dict):
        raise PatchError("json: cannot unmarshal array into Go value of type "
                         "map[string]interface {}")
    kind = kind or str(obj.get("kind", ""))
    merged = _merge_map(obj, patch, kind, ())
    return merged if merged is not None else {}


def _merge_map(original: dict, patch: dict, kind: str, path: tuple[str, ...]) -> dict | None:
    directive = patch.get("$patch")
    if directive is not None:
        if directive == "replace":
            return _strip({k: v for k, v in patch.items() if k != "$patch"})
        if directive == "delete":
            return None
        if directive != "merge":
            raise PatchError(f"Unknown patch type: {directive} in map: "
                             f"{_go_map(patch)}")
    result = dict(original)
    retain = patch.get("$retainKeys")
    if retain is not None:
        if not isinstance(retain, list):
            raise PatchError("invalid retainKeys value")
        result = {k: v for k, v in result.items() if k in retain}
    orders: dict[str, list] = {}
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys"):
            continue
        if key.startswith("$setElementOrder/"):
            orders[key.split("/", 1)[1]] = value if isinstance(value, list) else []
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            cur = result.get(field)
            if isinstance(cur, list) and isinstance(value, list):
                result[field] = [v for v in cur if v not in value]
            continue
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
            continue
        cur = result.get(key, _MISSING)
        sub = path + (key,)
        if isinstance(value, dict):
            base = cur if isinstance(cur, dict) else {}
            merged = _merge_map(base, value, kind, sub)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
        elif isinstance(value, list):
            rule = list_strategy(kind, sub)
            if _is_merge(rule) and isinstance(cur, list):
                result[key] = _merge_list(cur, value, rule[1], kind, sub)
            elif _is_merge(rule):
                result[key] = _merge_list([], value, rule[1], kind, sub)
            else:
                result[key] = _strip(value)
        else:
            result[key] = value
    for field, order in orders.items():
        cur = result.get(field)
        if isinstance(cur, list):
            rule = list_strategy(kind, path + (field,))
            result[field] = _reorder(cur, order, rule[1] if rule else None)
    return result


def _key_of(item: Any, merge_key: str | None) -> Any:
    if merge_key is None:
        return json.dumps(item, sort_keys=True)
    if isinstance(item, dict):
        return json.dumps(item.get(merge_key), sort_keys=True)
    return json.dumps(item, sort_keys=True)


def _reorder(items: list, order: list, merge_key: str | None) -> list:
    wanted = [_key_of(o, merge_key) for o in order]
    pos = {k: i for i, k in enumerate(wanted)}
    ordered = sorted((it for it in items if _key_of(it, merge_key) in pos),
                     key=lambda it: pos[_key_of(it, merge_key)])
    rest = [it for it in items if _key_of(it, merge_key) not in pos]
    return ordered + rest


def _merge_list(original: list, patch: list, merge_key: str | None, kind: str,
                path: tuple[str, ...]) -> list:
    if any(isinstance(p, dict) and p.get("$patch") == "replace" for p in patch):
        return [_strip(p) for p in patch if not (isinstance(p, dict) and "$patch" in p)]
    if merge_key is None:
        out = list(original)
        for p in patch:
            if isinstance(p, dict) and "$patch" in p:
                continue
            if p not in out:
                out.append(p)
        return out
    result = list(original)
    for p in patch:
        if not isinstance(p, dict):
            raise PatchError(f"found non-map element in merging list {path[-1]}")
        if merge_key not in p:
            raise PatchError(f"map: {_go_map(p)} does not contain declared merge key: "
                             f"{merge_key}")
        k = p[merge_key]
        idx = next((i for i, item in enumerate(result)
                    if isinstance(item, dict) and item.get(merge_key) == k), None)
        if p.get("$patch") == "delete":
            result = [item for item in result
                      if not (isinstance(item, dict) and item.get(merge_key) == k)]
            continue
        if idx is None:
            result.append(_strip(p))
        else:
            merged = _merge_map(result[idx], p, kind, path)
            if merged is None:
                del result[idx]
            else:
                result[idx] = merged
    return result


def _go_map(m: dict) -> str:
    inner = " ".join(f"{k}:{v}" for k, v in sorted(m.items()))
    return f"map[{inner}]"


# --- JSON merge patch (RFC 7386) --------------------------------------------------------------

def json_merge_patch(obj: Any, patch: Any) -> Any:
    """RFC 7386: maps merge recursively, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(obj) if isinstance(obj, dict) else {}
    for k, v in patch.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = json_merge_patch(result.get(k), v)
    return result


# --- JSON patch (RFC 6902) ----------------------------------------------------------------------

def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f'add operation does not apply: doc is missing path: "{path}": '
                         "missing value")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _container(doc: Any, parts: list[str], op: str, path: str) -> Any:
    cur = doc
    for p in parts:
        if isinstance(cur, dict) and p in cur:
            cur = cur[p]
        elif isinstance(cur, list) and p.isdigit() and int(p) < len(cur):
            cur = cur[int(p)]
        else:
            raise PatchError(f'{op} operation does not apply: doc is missing path: "{path}": '
                             "missing value")
    return cur


def json_patch(obj: Any, ops: list) -> Any:
    """RFC 6902 operations: add, remove, replace, move, copy, test."""
    if not isinstance(ops, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(obj)
    for op in ops:
        if not isinstance(op, dict):
            raise PatchError("json: cannot unmarshal into Go value of type jsonpatch.Operation")
        kind = op.get("op")
        path = op.get("path", "")
        if kind not in ("add", "remove", "replace", "move", "copy", "test"):
            raise PatchError(f"Unexpected kind: {kind}")
        parts = _pointer(path)
        if kind in ("add", "replace", "test") and "value" not in op:
            raise PatchError(f"{kind} operation does not apply: doc is missing value")
        if kind in ("move", "copy"):
            src = _pointer(op.get("from", ""))
            value = copy.deepcopy(_container(doc, src, kind, op.get("from", "")))
            if kind == "move":
                doc = _remove(doc, src, op.get("from", ""))
            doc = _add(doc, parts, value, path)
            continue
        if kind == "add":
            doc = _add(doc, parts, copy.deepcopy(op["value"]), path)
        elif kind == "remove":
            doc = _remove(doc, parts, path)
        elif kind == "replace":
            if not parts:
                doc = copy.deepcopy(op["value"])
                continue
            parent = _container(doc, parts[:-1], "replace", path)
            last = parts[-1]
            if isinstance(parent, dict):
                if last not in parent:
                    raise PatchError(f"replace operation does not apply: doc is missing key: "
                                     f"{path}: missing value")
                parent[last] = copy.deepcopy(op["value"])
            elif isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
                parent[int(last)] = copy.deepcopy(op["value"])
            else:
                raise PatchError(f"replace operation does not apply: doc is missing key: "
                                 f"{path}: missing value")
        elif kind == "test":
            have = _container(doc, parts, "test", path)
            if have != op["value"]:
                raise PatchError(f"testing value {path} failed: test failed")
    return doc


def _add(doc: Any, parts: list[str], value: Any, path: str) -> Any:
    if not parts:
        return value
    parent = _container(doc, parts[:-1], "add", path)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            parent.insert(int(last), value)
        else:
            raise PatchError(f'add operation does not apply: doc is missing path: "{path}": '
                             "missing value")
    else:
        raise PatchError(f'add operation does not apply: doc is missing path: "{path}": '
                         "missing value")
    return doc


def _remove(doc: Any, parts: list[str], path: str) -> Any:
    if not parts:
        return None
    parent = _container(doc, parts[:-1], "remove", path)
    last = parts[-1]
    if isinstance(parent, dict) and last in parent:
        del parent[last]
    elif isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        del parent[int(last)]
    else:
        raise PatchError(f"Unable to remove nonexistent key: {last}: missing value")
    return doc


# --- entry point ---------------------------------------------------------------------------------

def apply_patch(obj: dict, patch: Any, patch_type: str) -> dict:
    """`obj` with `patch` applied; patch_type is "strategic", "merge" or "json"."""
    if patch_type == "strategic":
        if not isinstance(patch, dict):
            raise PatchError("json: cannot unmarshal array into Go value of type "
                             "map[string]interface {}")
        return strategic_merge(obj, patch)
    if patch_type == "merge":
        return json_merge_patch(obj, patch)
    if patch_type == "json":
        return json_patch(obj, patch)
    raise PatchError(f'unknown patch type "{patch_type}"')


# --- three-way merge (kubectl apply) -----------------------------------------------------------

def _diff(a: dict, b: dict, kind: str, path: tuple[str, ...], *, additions: bool,
          deletions: bool) -> dict:
    """The patch that takes map `a` to map `b` (only additions/changes, or only deletions)."""
    patch: dict = {}
    if additions:
        for key, bv in b.items():
            av = a.get(key, _MISSING)
            sub = path + (key,)
            if av is _MISSING:
                patch[key] = copy.deepcopy(bv)
            elif isinstance(av, dict) and isinstance(bv, dict):
                d = _diff(av, bv, kind, sub, additions=True, deletions=False)
                if d:
                    patch[key] = d
            elif isinstance(av, list) and isinstance(bv, list) and _is_merge(
                    list_strategy(kind, sub)):
                _diff_list(patch, key, av, bv, kind, sub, additions=True, deletions=False)
            elif av != bv:
                patch[key] = copy.deepcopy(bv)
    if deletions:
        for key, av in a.items():
            sub = path + (key,)
            if key not in b:
                patch[key] = None
                continue
            bv = b[key]
            if isinstance(av, dict) and isinstance(bv, dict):
                d = _diff(av, bv, kind, sub, additions=False, deletions=True)
                if d:
                    patch[key] = d
            elif isinstance(av, list) and isinstance(bv, list) and _is_merge(
                    list_strategy(kind, sub)):
                _diff_list(patch, key, av, bv, kind, sub, additions=False, deletions=True)
    return patch


def _diff_list(patch: dict, key: str, a: list, b: list, kind: str, path: tuple[str, ...], *,
               additions: bool, deletions: bool) -> None:
    rule = list_strategy(kind, path)
    merge_key = rule[1] if rule else None
    if merge_key is None:
        if additions:
            added = [v for v in b if v not in a]
            if added:
                patch[key] = added
            if added or [v for v in a if v in b] != [v for v in b if v in a]:
                patch[f"$setElementOrder/{key}"] = list(b)
        if deletions:
            removed = [v for v in a if v not in b]
            if removed:
                patch[f"$deleteFromPrimitiveList/{key}"] = removed
        return
    a_by = {json.dumps(x.get(merge_key), sort_keys=True): x for x in a if isinstance(x, dict)}
    b_by = {json.dumps(x.get(merge_key), sort_keys=True): x for x in b if isinstance(x, dict)}
    items: list = []
    if additions:
        for x in b:
            if not isinstance(x, dict):
                continue
            k = json.dumps(x.get(merge_key), sort_keys=True)
            if k not in a_by:
                items.append(copy.deepcopy(x))
            else:
                d = _diff(a_by[k], x, kind, path, additions=True, deletions=False)
                if d:
                    items.append({merge_key: x.get(merge_key), **d})
        common_a = [k for k in a_by if k in b_by]
        common_b = [k for k in b_by if k in a_by]
        if items or common_a != common_b:
            patch[f"$setElementOrder/{key}"] = [{merge_key: x.get(merge_key)} for x in b
                                               if isinstance(x, dict)]
    if deletions:
        for x in a:
            if not isinstance(x, dict):
                continue
            k = json.dumps(x.get(merge_key), sort_keys=True)
            if k not in b_by:
                items.append({merge_key: x.get(merge_key), "$patch": "delete"})
            else:
                d = _diff(x, b_by[k], kind, path, additions=False, deletions=True)
                if d:
                    items.append({merge_key: x.get(merge_key), **d})
    if items:
        patch[key] = items


def _merge_patches(p1: dict, p2: dict, kind: str, path: tuple[str, ...]) -> dict:
    out = dict(p1)
    for k, v in p2.items():
        if k in out and isinstance(out[k], dict) and isinstance(v, dict):
            out[k] = _merge_patches(out[k], v, kind, path + (k,))
        elif k in out and isinstance(out[k], list) and isinstance(v, list) and \
                not k.startswith("$"):
            rule = list_strategy(kind, path + (k,))
            mk = rule[1] if rule else None
            if mk is None:
                out[k] = out[k] + [x for x in v if x not in out[k]]
            else:
                merged = list(out[k])
                for item in v:
                    idx = next((i for i, m in enumerate(merged) if isinstance(m, dict) and
                                m.get(mk) == item.get(mk)), None)
                    if idx is None:
                        merged.append(item)
                    else:
                        merged[idx] = _merge_patches(merged[idx], item, kind, path + (k,))
                out[k] = merged
        else:
            out[k] = v
    return out


def three_way_merge_patch(original: dict | None, modified: dict, current: dict,
                          kind: str | None = None) -> dict:
    """CreateThreeWayMergePatch: changes from `current` to `modified`, plus the deletions of what
    `original` (the last applied configuration) had and `modified` no longer has."""
    kind = kind or str(modified.get("kind") or current.get("kind") or "")
    delta = _diff(current, modified, kind, (), additions=True, deletions=False)
    removed = _diff(original or {}, modified, kind, (), additions=False, deletions=True)
    return _merge_patches(removed, delta, kind, ())
