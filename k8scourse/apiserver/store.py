"""etcd and the watch cache in one: objects by kind and namespace/name, resourceVersions, watch.

The store hands out the objects it holds, not copies: every reader inside the model treats them as
read-only and writes through the API server with a new dict (controllers never edit what they read).
Callers outside the model get copies from `APIServer.get/list`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped kinds
Watcher = Callable[[str, dict, "dict | None"], None]  # (ADDED|MODIFIED|DELETED, obj, old)


def clone(o):
    """A deep copy of JSON-shaped data (dicts, lists, scalars), several times faster than deepcopy."""
    t = type(o)
    if t is dict:
        return {k: clone(v) for k, v in o.items()}
    if t is list:
        return [clone(v) for v in o]
    return o


def key_of(obj: dict) -> Key:
    m = obj["metadata"]
    return (m.get("namespace", ""), m["name"])


class Store:
    """Objects of every kind, each version stamped with a cluster-wide resourceVersion."""

    def __init__(self) -> None:
        self._objects: dict[str, dict[Key, dict]] = defaultdict(dict)
        self._watchers: dict[str, list[Watcher]] = defaultdict(list)
        self._owned: dict[str, dict[tuple[str, str, str], None]] = defaultdict(dict)
        self._pods_on_node: dict[str, dict[Key, None]] = defaultdict(dict)
        self.resource_version = 0

    # reading --------------------------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        return self._objects[kind].get((namespace, name))

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        objs = self._objects[kind]
        if namespace is None:
            return list(objs.values())
        return [o for (ns, _), o in objs.items() if ns == namespace]

    def iter(self, kind: str) -> Iterable[dict]:
        return self._objects[kind].values()

    def count(self, kind: str) -> int:
        return len(self._objects[kind])

    def owned_by(self, uid: str) -> list[dict]:
        """Every object with an ownerReference to `uid` (the garbage collector's graph)."""
        out = []
        for kind, ns, name in list(self._owned.get(uid, ())):
            obj = self._objects[kind].get((ns, name))
            if obj is not None:
                out.append(obj)
        return out

    def pods_on_node(self, node: str) -> list[dict]:
        pods = self._objects["Pod"]
        return [pods[k] for k in self._pods_on_node.get(node, ()) if k in pods]

    # writing --------------------------------------------------------------------------------
    def put(self, obj: dict) -> dict:
        """Store `obj` (already a fresh dict) with the next resourceVersion; notify watchers."""
        kind = obj["kind"]
        key = key_of(obj)
        self.resource_version += 1
        obj["metadata"]["resourceVersion"] = str(self.resource_version)
        bucket = self._objects[kind]
        old = bucket.get(key)
        bucket[key] = obj
        self._index(kind, key, old, obj)
        event = "ADDED" if old is None else "MODIFIED"
        for w in self._watchers.get(kind, ()):
            w(event, obj, old)
        return obj

    def remove(self, kind: str, namespace: str, name: str) -> dict | None:
        bucket = self._objects[kind]
        old = bucket.pop((namespace, name), None)
        if old is None:
            return None
        self.resource_version += 1
        self._index(kind, (namespace, name), old, None)
        for w in self._watchers.get(kind, ()):
            w("DELETED", old, old)
        return old

    def _index(self, kind: str, key: Key, old: dict | None, new: dict | None) -> None:
        old_refs = old["metadata"].get("ownerReferences") if old else None
        new_refs = new["metadata"].get("ownerReferences") if new else None
        if old_refs is not new_refs:  # most writes keep the very same list
            ref = (kind, key[0], key[1])
            old_owners = _owner_uids(old)
            new_owners = _owner_uids(new)
            if old_owners != new_owners:
                for uid in old_owners - new_owners:
                    self._owned[uid].pop(ref, None)
                for uid in new_owners - old_owners:
                    self._owned[uid][ref] = None
        if kind == "Pod":
            old_node = (old or {}).get("spec", {}).get("nodeName") if old else None
            new_node = new.get("spec", {}).get("nodeName") if new else None
            if old_node != new_node:
                if old_node:
                    self._pods_on_node[old_node].pop(key, None)
                if new_node:
                    self._pods_on_node[new_node][key] = None

    # watching -------------------------------------------------------------------------------
    def watch(self, kind: str, watcher: Watcher) -> Callable[[], None]:
        """Call `watcher(event, obj, old)` on every change of `kind`; returns a function that stops it."""
        self._watchers[kind].append(watcher)
        return lambda: self._watchers[kind].remove(watcher)


def _owner_uids(obj: dict | None) -> set[str]:
    if not obj:
        return set()
    refs = obj["metadata"].get("ownerReferences")
    if not refs:
        return set()
    return {r["uid"] for r in refs if "uid" in r}
