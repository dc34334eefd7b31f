"""etcd and the watch cache in one: objects by kind and namespace/name, resourceVersions, watch.

The store hands out the objects it holds, not copies: every reader inside the model treats them as
read-only and writes through the API server with a new dict (controllers never edit what they read).
Callers outside the model get copies from `APIServer.get/list`.

A kind may also be written as compact records that become objects only when something reads that
kind (`register_builder`, `put_record`): a cluster writes six Events for every pod it starts and
almost never reads them, so they wait as tuples instead of four dicts each. Every read (get, list,
iter, count) sees exactly what an ordinary write would have stored, resourceVersion included.
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
        #: kind -> how to build an object from its record (see put_record)
        self._builders: dict[str, Callable[[tuple], dict]] = {}
        #: kind -> key -> (resourceVersion, record), in write order: written, not built yet. Only
        #: kinds with records waiting have an entry.
        self._records: dict[str, dict[Key, tuple[int, tuple]]] = {}

    # reading --------------------------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        obj = self._objects[kind].get((namespace, name))
        if obj is None and kind in self._records:
            self._build_records(kind)
            return self._objects[kind].get((namespace, name))
        return obj

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        if kind in self._records:
            self._build_records(kind)
        objs = self._objects[kind]
        if namespace is None:
            return list(objs.values())
        return [o for (ns, _), o in objs.items() if ns == namespace]

    def iter(self, kind: str) -> Iterable[dict]:
        if kind in self._records:
            self._build_records(kind)
        return self._objects[kind].values()

    def count(self, kind: str) -> int:
        return len(self._objects[kind]) + len(self._records.get(kind, ()))

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
        if kind in self._records:
            self._build_records(kind)
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
        if kind in self._records:
            self._build_records(kind)
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

    # records: objects built when first read -------------------------------------------------
    def register_builder(self, kind: str, build: Callable[[tuple], dict]) -> None:
        """Let `kind` be written as records: `build(record)` makes the object (without its
        resourceVersion). Only for kinds that no index follows (no owner references, not Pods)."""
        self._builders[kind] = build

    def put_record(self, kind: str, key: Key, record: tuple) -> None:
        """Write the object `build(record)` under `key`, as put would: the next resourceVersion
        is its own. It is built when something first reads `kind`; at once if something watches
        `kind` or an object is already stored under `key`."""
        if self._watchers.get(kind) or key in self._objects[kind]:
            self.put(self._builders[kind](record))
            return
        self.resource_version += 1
        records = self._records.get(kind)
        if records is None:
            records = self._records[kind] = {}
        records[key] = (self.resource_version, record)

    def record_of(self, kind: str, key: Key) -> tuple | None:
        """The record written under `key` while it is not built yet, else None."""
        entry = self._records.get(kind, {}).get(key)
        return None if entry is None else entry[1]

    def _build_records(self, kind: str) -> None:
        records = self._records.pop(kind)
        build = self._builders[kind]
        bucket = self._objects[kind]
        for key, (rv, record) in records.items():
            obj = build(record)
            obj["metadata"]["resourceVersion"] = str(rv)
            bucket[key] = obj

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
