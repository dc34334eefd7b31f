"""The garbage collector: dependents follow their owners (pkg/controller/garbagecollector).

The graph is the store's owner index (`store.owned_by(uid)`); the collector watches every kind
and acts a moment later, as the real one does after its informers catch up:

* An object whose owners are all gone (no object of that kind and name, or one with another uid:
  a "dangling" reference) is deleted, in the background; pods go through `api.delete`, so they
  terminate gracefully. An object that keeps at least one live owner only loses the dangling
  references.
* An owner deleted with `propagationPolicy: Orphan` carries the `orphan` finalizer: the collector
  removes the ownerReferences pointing to it from its dependents, then removes the finalizer.
* An owner deleted with `Foreground` carries `foregroundDeletion`: the collector deletes the
  dependents that block it (blockOwnerDeletion: true; those with dependents of their own in the
  foreground too) and removes the finalizer once none is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.api import kinds
from k8scourse.controllers import podutil
from k8scourse.controllers.base import Controller
from k8scourse.errors import K8sError, NotFound
from k8scourse.sim.clock import CONTROLLER

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"

#: Item: (what, kind, namespace, name, uid); what is "delete" (attemptToDelete) or "orphan".
Item = tuple[str, str, str, str, str]


class GarbageCollector(Controller):
    """Deletes objects whose owners are gone; carries out Orphan and Foreground deletions."""

    name = "garbage-collector-controller"
    #: how long after a change the collector acts (its informers' and queues' latency)
    delay = 0.2

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        self._pending: dict[Item, None] = {}
        self._flush_timer = None
        for cls in kinds.KINDS:
            if cls.kind != "Event":
                self.store.watch(cls.kind, self._on_change)

    # queue: every item waits `delay`; items arriving together are handled together -----------
    def _add(self, item: Item) -> None:
        self._pending[item] = None
        if self._flush_timer is None:
            self._flush_timer = self.clock.call_later(self.delay, self._flush, CONTROLLER)

    def _flush(self) -> None:
        self._flush_timer = None
        items = list(self._pending)
        self._pending.clear()
        for item in items:
            self.reconcile(item)

    def _add_object(self, obj: dict, what: str = "delete") -> None:
        m = obj["metadata"]
        self._add((what, obj["kind"], m.get("namespace", ""), m["name"], m.get("uid", "")))

    # watch: the graph builder -------------------------------------------------------------------
    def _on_change(self, event: str, obj: dict, old: dict | None) -> None:
        meta = obj["metadata"]
        if event == "DELETED":
            uid = meta.get("uid")
            for dep in self.store.owned_by(uid) if uid else ():
                self._add_object(dep)
            self._wake_owners(obj, meta.get("ownerReferences"))
            return
        refs = meta.get("ownerReferences")
        old_refs = old["metadata"].get("ownerReferences") if old is not None else None
        if meta.get("deletionTimestamp") and meta.get("finalizers"):
            finalizers = meta["finalizers"]
            if ORPHAN in finalizers:
                self._add_object(obj, "orphan")
            if FOREGROUND in finalizers:
                self._add_object(obj)
        if refs is old_refs or refs == old_refs:
            return
        if old_refs:
            # a reference went away: an owner deleting in the foreground may be free now
            kept = {r.get("uid") for r in refs or ()}
            self._wake_owners(obj, [r for r in old_refs if r.get("uid") not in kept])
        if refs:
            known = {r.get("uid") for r in old_refs or ()}
            for ref in refs:
                if ref.get("uid") not in known and self._owner(obj, ref) is None:
                    self._add_object(obj)  # an owner that does not exist: a virtual node
                    break

    def _wake_owners(self, obj: dict, refs) -> None:
        for ref in refs or ():
            owner = self._owner(obj, ref)
            if owner is not None and owner["metadata"].get("deletionTimestamp") and \
                    FOREGROUND in (owner["metadata"].get("finalizers") or ()):
                self._add_object(owner)

    def _owner(self, dependent: dict, ref: dict) -> dict | None:
        """The live owner a reference points to (same kind, name and uid), or None."""
        cls = kinds.by_kind(ref.get("kind", ""))
        if cls is None:
            return None
        ns = dependent["metadata"].get("namespace", "") if cls.namespaced else ""
        owner = self.store.get(cls.kind, ns, ref.get("name", ""))
        if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
            return None
        return owner

    # the work -----------------------------------------------------------------------------------
    def reconcile(self, item) -> None:
        what, kind, ns, name, uid = item
        obj = self.store.get(kind, ns, name)
        if obj is None or obj["metadata"].get("uid") != uid:
            return
        if what == "orphan":
            self._orphan_dependents(obj)
        else:
            self._attempt_to_delete(obj)

    def _attempt_to_delete(self, obj: dict) -> None:
        """attemptToDeleteItem."""
        meta = obj["metadata"]
        finalizers = meta.get("finalizers") or ()
        if meta.get("deletionTimestamp"):
            if FOREGROUND in finalizers:
                self._process_deleting_dependents(obj)
            return
        refs = meta.get("ownerReferences") or ()
        if not refs:
            return
        solid, dangling, waiting = [], [], []
        for ref in refs:
            if kinds.by_kind(ref.get("kind", "")) is None:
                solid.append(ref)  # a kind the model does not serve: cannot tell, keep it
                continue
            owner = self._owner(obj, ref)
            if owner is None:
                dangling.append(ref)
            elif owner["metadata"].get("deletionTimestamp") and \
                    FOREGROUND in (owner["metadata"].get("finalizers") or ()):
                waiting.append(ref)
            else:
                solid.append(ref)
        label = f"{obj['kind']} {meta['name']}"
        if solid:
            drop = {r.get("uid") for r in dangling + waiting}
            if not drop:
                return
            new = dict(obj)
            new["metadata"] = dict(meta)
            new["metadata"]["ownerReferences"] = [r for r in refs if r.get("uid") not in drop]
            self.trace(f"{label} keeps its owner {solid[0].get('kind')} {solid[0].get('name')}; "
                       f"removing its references to owners that are gone or being deleted")
            self.api.write(new, actor=self.name)
            return
        if waiting and self.store.owned_by(meta.get("uid", "")):
            policy = "Foreground"
            why = (f"its owner {waiting[0].get('kind')} {waiting[0].get('name')} is being deleted "
                   f"in the foreground; deleting it and its own dependents first")
        else:
            if ORPHAN in finalizers:
                policy = "Orphan"
            elif FOREGROUND in finalizers:
                policy = "Foreground"
            else:
                policy = "Background"
            gone = (dangling or waiting)[0]
            why = (f"its owner {gone.get('kind')} {gone.get('name')} "
                   + ("is being deleted in the foreground" if waiting else
                      "no longer exists") + "; deleting it")
        self.trace(f"{label}: {why}")
        self._delete(obj, policy)

    def _delete(self, obj: dict, policy: str) -> None:
        meta = obj["metadata"]
        try:
            self.api.delete(obj["kind"], meta.get("namespace", ""), meta["name"],
                            propagation=policy, actor=self.name)
        except NotFound:
            pass
        except K8sError as e:  # e.g. a namespace that may not be deleted: try again later
            self.trace(f"deleting {obj['kind']} {meta['name']} failed: {e}")

    def _process_deleting_dependents(self, owner: dict) -> None:
        """processDeletingDependentsItem: delete the blocking dependents; finalize when none is
        left."""
        meta = owner["metadata"]
        uid = meta.get("uid", "")
        blocking = []
        for dep in self.store.owned_by(uid):
            for ref in dep["metadata"].get("ownerReferences") or ():
                if ref.get("uid") == uid and ref.get("blockOwnerDeletion"):
                    blocking.append(dep)
                    break
        if not blocking:
            self.trace(f"{owner['kind']} {meta['name']} has no dependents left; removing its "
                       f"foregroundDeletion finalizer")
            self.api.finalize(owner["kind"], meta.get("namespace", ""), meta["name"], FOREGROUND)
            return
        for dep in blocking:
            dm = dep["metadata"]
            if dm.get("deletionTimestamp") and FOREGROUND in (dm.get("finalizers") or ()):
                continue
            if dm.get("deletionTimestamp"):
                continue  # already going (a pod terminating): its removal wakes the owner
            self._attempt_to_delete(dep)

    def _orphan_dependents(self, owner: dict) -> None:
        """orphanDependents: strip the references to the owner, then remove the finalizer."""
        meta = owner["metadata"]
        uid = meta.get("uid", "")
        deps = list(self.store.owned_by(uid))
        for dep in deps:
            self.api.write(podutil.without_owner_ref(dep, uid), actor=self.name)
        if deps:
            self.trace(f"{owner['kind']} {meta['name']} is deleted with its dependents orphaned: "
                       f"removed the ownerReference from " +
                       ", ".join(f"{d['kind']} {d['metadata']['name']}" for d in deps[:5]) +
                       (f" and {len(deps) - 5} more" if len(deps) > 5 else ""))
        self.api.finalize(owner["kind"], meta.get("namespace", ""), meta["name"], ORPHAN)
