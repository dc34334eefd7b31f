"""The namespace controller: empties a namespace being deleted, then lets it go.

As pkg/controller/namespace (namespace_controller.go, deletion/namespaced_resources_deleter.go):
when a namespace has a deletionTimestamp (the API server already set phase Terminating), the
controller deletes every namespaced object in it (pods gracefully; with background propagation,
so the garbage collector never orphans anything), writes the deletion conditions to the
namespace's status, and while something remains comes back after half the longest pod grace
period plus one second (`estimate/2 + 1`). When nothing is left it removes its `kubernetes`
finalizer and the namespace disappears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.api import kinds
from k8scourse.controllers.base import Controller, Key
from k8scourse.errors import K8sError, NotFound

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

FINALIZER = "kubernetes"
#: deletion/namespaced_resources_deleter.go finalizerEstimateSeconds
FINALIZER_ESTIMATE = 15
#: a pod still there this long after its grace period ended is stuck (its node is gone)
STUCK_AFTER = 60.0

#: namespaceConditionUpdater: the condition types in order, with their "all is well" texts.
CONDITION_TYPES = (
    ("NamespaceDeletionDiscoveryFailure", "ResourcesDiscovered",
     "All resources successfully discovered"),
    ("NamespaceDeletionGroupVersionParsingFailure", "ParsedGroupVersions",
     "All legacy kube types successfully parsed"),
    ("NamespaceDeletionContentFailure", "ContentDeleted",
     "All content successfully deleted, may be waiting on finalization"),
    ("NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"),
    ("NamespaceFinalizersRemaining", "ContentRemoved", "All content successfully removed"),
)

#: The order in which kinds are deleted: discovery order (core v1 first, then apps/v1).
_CORE_FIRST = sorted((k for k in kinds.KINDS if k.namespaced),
                     key=lambda k: (k.group() != "", k.group(), k.plural))


class NamespaceController(Controller):
    """Deletes everything in a terminating namespace, then finalizes it."""

    name = "namespace-controller"

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        self._retry: dict[str, object] = {}
        self.store.watch("Namespace", self._on_namespace)

    def _on_namespace(self, event: str, ns: dict, old: dict | None) -> None:
        meta = ns["metadata"]
        if event == "DELETED":
            timer = self._retry.pop(meta["name"], None)
            if timer is not None:
                timer.cancel()
            return
        if meta.get("deletionTimestamp"):
            self.enqueue(("", meta["name"]))

    def reconcile(self, key: Key) -> None:
        """Delete the content of the namespace `key[1]` if it is being deleted."""
        name = key[1]
        ns = self.store.get("Namespace", "", name)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return
        self._retry.pop(name, None)
        finalizers = list(ns["metadata"].get("finalizers") or ()) + \
            list((ns.get("spec") or {}).get("finalizers") or ())
        if FINALIZER not in finalizers:
            return
        remaining: dict[str, int] = {}
        finalizers: dict[str, int] = {}
        errors: list[str] = []
        estimate = 0
        deleted = 0
        for cls in _CORE_FIRST:
            objs = list(self.store.list(cls.kind, name))
            if not objs:
                continue
            if cls.kind == "Pod":
                for p in objs:
                    if (p.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                        continue
                    grace = (p.get("spec") or {}).get("terminationGracePeriodSeconds")
                    if grace is not None and grace > estimate:
                        estimate = grace
            for o in objs:
                if o["metadata"].get("deletionTimestamp"):
                    continue
                try:
                    self.api.delete(cls.kind, name, o["metadata"]["name"],
                                    propagation="Background", actor=self.name)
                    deleted += 1
                except NotFound:
                    pass
                except K8sError as e:
                    errors.append(str(e))
            left = self.store.list(cls.kind, name)
            if left:
                remaining[f"{cls.plural}.{cls.group()}"] = len(left)
                for o in left:
                    for f in o["metadata"].get("finalizers") or ():
                        finalizers[f] = finalizers.get(f, 0) + 1
                if finalizers and estimate < FINALIZER_ESTIMATE:
                    estimate = FINALIZER_ESTIMATE
        self._write_conditions(ns, remaining, finalizers, errors)
        if remaining:
            if deleted:
                self.trace(f"namespace {name} is being deleted: deleted {deleted} object(s); "
                           f"waiting for " + ", ".join(f"{n} {r.rstrip('.')}"
                                                       for r, n in sorted(remaining.items())))
            wait = estimate // 2 + 1 if estimate else 1
            self._retry[name] = self.clock.call_later(wait, lambda: self.enqueue(("", name)),
                                                      self.priority,
                                                      periodic=self._stuck(name, errors))
            return
        self.trace(f"namespace {name} is empty; removing the {FINALIZER} finalizer")
        self.api.finalize("Namespace", "", name, FINALIZER)

    def _stuck(self, name: str, errors: list[str]) -> bool:
        """Whether waiting longer is housekeeping rather than work that will end: nothing left
        in the namespace is still within its grace period (a pod on a dead node, a finalizer
        nobody removes), or deleting failed."""
        if errors:
            return True
        now = self.clock.now
        for cls in _CORE_FIRST:
            for o in self.store.list(cls.kind, name):
                meta = o["metadata"]
                if o["kind"] == "Pod" and meta.get("deletionTimestamp") and \
                        self.clock.parse(meta["deletionTimestamp"]) + STUCK_AFTER > now:
                    return False
        return True

    def _write_conditions(self, ns: dict, remaining: dict[str, int], finalizers: dict[str, int],
                          errors: list[str]) -> None:
        """namespaceConditionUpdater.Update: every condition type, failing or "ok"."""
        now = self.clock.timestamp()
        new: dict[str, tuple[str, str, str]] = {}
        if errors:
            msgs = sorted(errors)
            new["NamespaceDeletionContentFailure"] = (
                "True", "ContentDeletionFailed",
                f"Failed to delete all resource types, {len(msgs)} remaining: {', '.join(msgs)}")
        if remaining:
            items = sorted(f"{r} has {n} resource instances" for r, n in remaining.items())
            new["NamespaceContentRemaining"] = (
                "True", "SomeResourcesRemain", f"Some resources are remaining: {', '.join(items)}")
        if finalizers:
            items = sorted(f"{f} in {n} resource instances" for f, n in finalizers.items())
            new["NamespaceFinalizersRemaining"] = (
                "True", "SomeFinalizerRemain", f"Some finalizers are remaining: {', '.join(items)}")
        status = dict(ns.get("status") or {})
        conditions = [dict(c) for c in status.get("conditions") or ()]
        changed = False
        for ctype, ok_reason, ok_message in CONDITION_TYPES:
            want = new.get(ctype, ("False", ok_reason, ok_message))
            cur = next((c for c in conditions if c.get("type") == ctype), None)
            if cur is None:
                conditions.append({"type": ctype, "status": want[0], "lastTransitionTime": now,
                                   "reason": want[1], "message": want[2]})
                changed = True
            elif (cur.get("status"), cur.get("reason"), cur.get("message")) != want:
                if cur.get("status") != want[0]:
                    cur["lastTransitionTime"] = now
                cur["status"], cur["reason"], cur["message"] = want
                changed = True
        if changed:
            status["conditions"] = conditions
            self.api.update_status("Namespace", "", ns["metadata"]["name"], status,
                                   actor=self.name)
