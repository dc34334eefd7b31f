"""The Deployment controller: rolls a pod template out through ReplicaSets.

As pkg/controller/deployment does it (deployment_controller.go, sync.go, rolling.go, recreate.go,
progress.go). Each pass over a Deployment:

1. claims its ReplicaSets (adopts matching orphans, releases owned ones that stopped matching);
2. a Deployment being deleted only gets its status updated; a paused one, or a change of
   spec.replicas, is a *scaling* pass: ReplicaSets are resized in proportion, no rollout happens;
3. otherwise the strategy runs: RollingUpdate grows the new ReplicaSet within maxSurge and
   shrinks the old ones within maxUnavailable, Recreate scales the old ones to 0, waits until
   their pods are gone, then scales the new one up;
4. the status adds up the ReplicaSets' own counts and sets the Available and Progressing
   conditions (progressDeadlineSeconds turns a stuck rollout into ProgressDeadlineExceeded).

A pass reads counts from ReplicaSet status only, never from pods (except Recreate's wait for old
pods), so it costs O(number of ReplicaSets) however many replicas there are.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from k8scourse.apiserver.store import clone, key_of
from k8scourse.controllers import deployment_util as du
from k8scourse.controllers.base import Controller, Key
from k8scourse.errors import AlreadyExists, Forbidden, NotFound, StatusError

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster
    from k8scourse.sim.clock import Timer

_MAX_INT32 = 2147483647


class _Abort(Exception):
    """Stop this pass; as in Kubernetes, the next change to the objects brings the key back."""


class DeploymentController(Controller):
    """Keeps each Deployment's ReplicaSets in line with its template, replicas and strategy."""

    name = "deployment-controller"
    interval = 0.0

    def __init__(self, cluster: "Cluster"):
        super().__init__(cluster)
        #: ReplicaSets without a controller, per namespace: the ones a Deployment may adopt
        self._orphans: dict[str, dict[tuple[str, str], None]] = defaultdict(dict)
        #: the pending progress-deadline check of each Deployment
        self._deadline_timers: dict[Key, "Timer"] = {}
        self.store.watch("Deployment", self._on_deployment)
        self.store.watch("ReplicaSet", self._on_replica_set)
        self.store.watch("Pod", self._on_pod)

    # watches: only enqueue -------------------------------------------------------------------
    def _on_deployment(self, event: str, obj: dict, old: dict | None) -> None:
        key = key_of(obj)
        if event == "DELETED":
            timer = self._deadline_timers.pop(key, None)
            if timer is not None:
                timer.cancel()
            return
        self.enqueue(key)

    def _on_replica_set(self, event: str, rs: dict, old: dict | None) -> None:
        ns, name = key_of(rs)
        ref = du.controller_ref(rs)
        if ref is None and event != "DELETED":
            self._orphans[ns][(ns, name)] = None
        else:
            self._orphans[ns].pop((ns, name), None)
        if event == "MODIFIED" and old is not None:
            old_ref = du.controller_ref(old)
            if old_ref is not None and old_ref != ref and old_ref.get("kind") == "Deployment":
                self._enqueue_owner(ns, old_ref)
        if ref is not None:
            if ref.get("kind") == "Deployment":
                self._enqueue_owner(ns, ref)
            return
        if event == "DELETED":
            return
        labels = (rs.get("metadata") or {}).get("labels")
        if event == "MODIFIED" and old is not None and \
                (old.get("metadata") or {}).get("labels") == labels and du.controller_ref(old) is None:
            return  # an orphan whose labels did not change interests nobody new
        for d in self.store.list("Deployment", ns):
            if du.selector_matches((d.get("spec") or {}).get("selector"), labels):
                self.enqueue(key_of(d))

    def _enqueue_owner(self, ns: str, ref: dict) -> None:
        d = self.store.get("Deployment", ns, ref.get("name", ""))
        if d is not None and d["metadata"].get("uid") == ref.get("uid"):
            self.enqueue((ns, d["metadata"]["name"]))

    def _on_pod(self, event: str, pod: dict, old: dict | None) -> None:
        # Recreate waits until the old pods are gone: a deleted pod may be the last one
        if event != "DELETED":
            return
        ref = du.controller_ref(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        ns = pod["metadata"].get("namespace", "")
        rs = self.store.get("ReplicaSet", ns, ref.get("name", ""))
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return
        dref = du.controller_ref(rs)
        if dref is None or dref.get("kind") != "Deployment":
            return
        d = self.store.get("Deployment", ns, dref.get("name", ""))
        if d is not None and not du.is_rolling_update(d):
            self.enqueue((ns, d["metadata"]["name"]))

    # the pass --------------------------------------------------------------------------------
    def reconcile(self, key: Key) -> None:
        """Bring the Deployment `key` one step closer to its spec (syncDeployment)."""
        stored = self.store.get("Deployment", *key)
        if stored is None:
            return
        try:
            _Pass(self, stored).run()
        except _Abort:
            pass

    def _requeue_at(self, key: Key, when: float) -> None:
        """Come back to `key` at simulated time `when` (the progress deadline check).

        The timer counts as housekeeping (periodic): `settle()` does not wait ten minutes for
        a deadline; time passing by other means (commands, run) still reaches it.
        """
        timer = self._deadline_timers.get(key)
        if timer is not None and not timer.cancelled and not timer.done:
            if timer.when == when:
                return
            timer.cancel()
        self._deadline_timers[key] = self.clock.call_at(
            when, lambda: self.enqueue(key), self.priority, periodic=True)


class _Pass:
    """One reconcile of one Deployment: a working copy of it and its ReplicaSets."""

    def __init__(self, ctrl: DeploymentController, stored: dict):
        self.ctrl = ctrl
        self.api = ctrl.api
        self.store = ctrl.store
        self.clock = ctrl.clock
        meta = dict(stored["metadata"])
        meta["annotations"] = dict(meta.get("annotations") or {})
        # the working copy: spec shared read-only, annotations and status ours to change
        self.d = dict(stored, metadata=meta, status=clone(stored.get("status") or {}))
        self.spec = stored.get("spec") or {}
        self.ns = meta.get("namespace", "")
        self.name = meta["name"]
        self.key = (self.ns, self.name)
        self.rs_list: list[dict] = []

    # helpers -----------------------------------------------------------------------------
    @property
    def status(self) -> dict:
        return self.d["status"]

    def now(self) -> str:
        return self.clock.timestamp()

    def trace(self, msg: str) -> None:
        self.ctrl.trace(msg)

    def event(self, type_: str, reason: str, msg: str) -> None:
        current = self.store.get("Deployment", self.ns, self.name) or self.d
        self.ctrl.event(current, type_, reason, msg)

    def write_deployment(self) -> None:
        """UpdateStatus: the status and (as the status strategy lets through) the annotations."""
        current = self.store.get("Deployment", self.ns, self.name)
        if current is None:
            raise _Abort
        new = dict(current)
        meta = dict(current["metadata"])
        ann = self.d["metadata"].get("annotations")
        if ann:
            meta["annotations"] = dict(ann)
        else:
            meta.pop("annotations", None)
        new["metadata"] = meta
        new["status"] = clone(self.status)
        self.api.write(new, actor=self.ctrl.name)

    def _rs_name(self, rs: dict | None) -> str:
        return rs["metadata"]["name"] if rs is not None else "<none>"

    # the level-triggered loop ----------------------------------------------------------------
    def run(self) -> None:
        d = self.d
        if du.selector_is_empty(self.spec.get("selector")):
            self.event("Warning", "SelectingAll",
                       "This deployment is selecting all pods. A non-empty selector is required.")
            gen = int(d["metadata"].get("generation") or 0)
            if int(self.status.get("observedGeneration") or 0) < gen:
                self.status["observedGeneration"] = gen
                self.write_deployment()
            return
        self.rs_list = self.claim_replica_sets()
        if d["metadata"].get("deletionTimestamp"):
            self.sync_status_only()
            return
        self.check_paused_conditions()
        if self.spec.get("paused"):
            self.sync()
            return
        if self.is_scaling_event():
            self.sync()
            return
        if du.is_rolling_update(d):
            self.rollout_rolling()
        else:
            self.rollout_recreate()

    # ReplicaSets: adoption and release (ControllerRefManager.ClaimReplicaSets) -------------------
    def claim_replica_sets(self) -> list[dict]:
        uid = self.d["metadata"].get("uid")
        selector = self.spec.get("selector")
        deleting = bool(self.d["metadata"].get("deletionTimestamp"))
        candidates: dict[tuple[str, str], dict] = {}
        for o in self.store.owned_by(uid):
            if o.get("kind") == "ReplicaSet":
                candidates[key_of(o)] = o
        for k in list(self.ctrl._orphans.get(self.ns, ())):
            o = self.store.get("ReplicaSet", *k)
            if o is not None:
                candidates[k] = o
        claimed = []
        for k in sorted(candidates):
            rs = candidates[k]
            ref = du.controller_ref(rs)
            labels = rs["metadata"].get("labels")
            if ref is not None:
                if ref.get("uid") != uid:
                    continue
                if du.selector_matches(selector, labels):
                    claimed.append(rs)
                elif not deleting:
                    self.release(rs)
                continue
            if deleting or not du.selector_matches(selector, labels):
                continue
            if rs["metadata"].get("deletionTimestamp"):
                continue
            claimed.append(self.adopt(rs))
        return claimed

    def _owner_ref(self) -> dict:
        return {"apiVersion": "apps/v1", "kind": "Deployment", "name": self.name,
                "uid": self.d["metadata"]["uid"], "controller": True,
                "blockOwnerDeletion": True}

    def adopt(self, rs: dict) -> dict:
        new = dict(rs)
        meta = dict(rs["metadata"])
        meta["ownerReferences"] = list(meta.get("ownerReferences") or []) + [self._owner_ref()]
        new["metadata"] = meta
        self.trace(f"ReplicaSet {meta['name']} has no owner and its labels match Deployment "
                   f"{self.name}'s selector {du.format_selector(self.spec.get('selector'))}; "
                   f"adopting it")
        return self.api.write(new, actor=self.ctrl.name)

    def release(self, rs: dict) -> None:
        uid = self.d["metadata"]["uid"]
        new = dict(rs)
        meta = dict(rs["metadata"])
        refs = [r for r in meta.get("ownerReferences") or [] if r.get("uid") != uid]
        if refs:
            meta["ownerReferences"] = refs
        else:
            meta.pop("ownerReferences", None)
        new["metadata"] = meta
        self.trace(f"ReplicaSet {meta['name']} no longer matches Deployment {self.name}'s "
                   f"selector {du.format_selector(self.spec.get('selector'))}; releasing it")
        self.api.write(new, actor=self.ctrl.name)

    # new and old ReplicaSets (getAllReplicaSetsAndSyncRevision, getNewReplicaSet) ----------------
    def get_all(self, create: bool) -> tuple[dict | None, list[dict]]:
        _, all_old = du.find_old_replica_sets(self.d, self.rs_list)
        new_rs = self.get_new_rs(all_old, create)
        return new_rs, all_old

    def _replace(self, rs: dict) -> None:
        uid = rs["metadata"].get("uid")
        self.rs_list = [rs if r["metadata"].get("uid") == uid else r for r in self.rs_list]

    def set_revision(self, rev: str) -> bool:
        ann = self.d["metadata"]["annotations"]
        if ann.get(du.REVISION) != rev:
            ann[du.REVISION] = rev
            return True
        return False

    def get_new_rs(self, old_rss: list[dict], create: bool) -> dict | None:
        d = self.d
        existing = du.find_new_replica_set(d, self.rs_list)
        new_revision = str(du.max_revision(old_rss) + 1)
        if existing is not None:
            ann = dict(du.annotations(existing))
            changed = du.set_new_rs_annotations(d, ann, new_revision, True)
            min_ready = self.spec.get("minReadySeconds") or 0
            if changed or (existing.get("spec") or {}).get("minReadySeconds", 0) != min_ready:
                old_rev = du.annotations(existing).get(du.REVISION)
                updated = self.write_rs(existing, annotations=ann, min_ready=min_ready)
                if old_rev and ann.get(du.REVISION) != old_rev:
                    self.trace(f"Deployment {self.name}'s template is again the one of ReplicaSet "
                               f"{existing['metadata']['name']} (revision {old_rev}); reusing "
                               f"it as revision {ann[du.REVISION]}")
                self._replace(updated)
                return updated
            needs = self.set_revision(ann.get(du.REVISION, ""))
            if du.has_progress_deadline(d) and du.get_condition(self.status, "Progressing") is None:
                du.set_condition(self.status, du.new_condition(
                    "Progressing", "True", du.FOUND_NEW_RS_REASON,
                    f'Found new replica set "{existing["metadata"]["name"]}"', self.now()))
                needs = True
            if needs:
                self.write_deployment()
            return existing
        if not create:
            return None
        return self.create_new_rs(old_rss, new_revision)

    def create_new_rs(self, old_rss: list[dict], new_revision: str) -> dict:
        d = self.d
        template = clone(self.spec.get("template") or {})
        pod_hash = du.compute_hash(template, self.status.get("collisionCount"))
        tmeta = template.get("metadata")
        if not isinstance(tmeta, dict):
            tmeta = template["metadata"] = {}
        labels = dict(tmeta.get("labels") or {})
        labels[du.POD_TEMPLATE_HASH] = pod_hash
        tmeta["labels"] = labels
        selector = clone(self.spec.get("selector") or {})
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}),
                                   du.POD_TEMPLATE_HASH: pod_hash}
        rs_name = f"{self.name}-{pod_hash}"
        rs_spec: dict = {"replicas": 0}
        if self.spec.get("minReadySeconds"):
            rs_spec["minReadySeconds"] = self.spec["minReadySeconds"]
        rs_spec["selector"] = selector
        rs_spec["template"] = template
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"name": rs_name, "namespace": self.ns, "labels": dict(labels),
                           "annotations": {}, "ownerReferences": [self._owner_ref()]},
              "spec": rs_spec}
        count = du.new_rs_new_replicas(d, old_rss + [rs], rs)
        rs_spec["replicas"] = count
        du.set_new_rs_annotations(d, rs["metadata"]["annotations"], new_revision, False)
        already = False
        try:
            self.api.create(rs, actor=self.ctrl.name)
        except AlreadyExists:
            other = self.store.get("ReplicaSet", self.ns, rs_name)
            if other is None:
                raise _Abort
            ref = du.controller_ref(other)
            if ref is not None and ref.get("uid") == d["metadata"].get("uid") and \
                    du.equal_ignore_hash(self.spec.get("template"),
                                         (other.get("spec") or {}).get("template")):
                already = True
            else:
                # a hash collision: another template already has this name; count it, so the
                # next pass computes a different hash
                self.status["collisionCount"] = int(self.status.get("collisionCount") or 0) + 1
                self.trace(f"ReplicaSet name {rs_name} is taken by a ReplicaSet with another "
                           f"template; Deployment {self.name} bumps collisionCount to "
                           f"{self.status['collisionCount']} to get a different hash")
                self.write_deployment()
                self.ctrl.enqueue(self.key)
                raise _Abort
        except Forbidden:
            raise _Abort  # the namespace is being deleted
        except StatusError as e:
            msg = f'Failed to create new replica set "{rs_name}": {e}'
            if du.has_progress_deadline(d):
                du.set_condition(self.status, du.new_condition(
                    "Progressing", "False", du.FAILED_RS_CREATE_REASON, msg, self.now()))
                self.write_deployment()
            self.event("Warning", du.FAILED_RS_CREATE_REASON, msg)
            raise _Abort
        created = self.store.get("ReplicaSet", self.ns, rs_name)
        if created is None:
            raise _Abort
        self.rs_list.append(created)
        if not already:
            n = du.replicas(d)
            if old_rss and du.is_rolling_update(d) and du.actual_replicas_sum(old_rss):
                why = (f"at most {n + du.max_surge(d)} pods in all (maxSurge "
                       f"{du.max_surge(d)}), so it starts with {count}")
            else:
                why = f"it starts with {count} of {n}"
            self.trace(f"Deployment {self.name}: no ReplicaSet has the current pod template; "
                       f"creating {rs_name} (pod-template-hash {pod_hash}, revision "
                       f"{new_revision}): {why}")
            if count > 0:
                self.event("Normal", "ScalingReplicaSet",
                           f"Scaled up replica set {rs_name} from 0 to {count}")
        needs = self.set_revision(new_revision)
        if not already and du.has_progress_deadline(d):
            du.set_condition(self.status, du.new_condition(
                "Progressing", "True", du.NEW_RS_REASON, f'Created new replica set "{rs_name}"',
                self.now()))
            needs = True
        if needs:
            self.write_deployment()
        return created

    # writing ReplicaSets -----------------------------------------------------------------------
    def write_rs(self, rs: dict, *, annotations: dict | None = None,
                 merge_annotations: dict | None = None, min_ready: int | None = None,
                 replicas: int | None = None) -> dict:
        """Update a ReplicaSet from its current stored version (never edits a stored dict)."""
        meta0 = rs["metadata"]
        current = self.store.get("ReplicaSet", meta0.get("namespace", ""), meta0["name"])
        if current is None or current["metadata"].get("uid") != meta0.get("uid"):
            raise _Abort
        new = dict(current)
        meta = dict(current["metadata"])
        if merge_annotations:
            annotations = {**(meta.get("annotations") or {}), **merge_annotations}
        if annotations is not None:
            if annotations:
                meta["annotations"] = dict(annotations)
            else:
                meta.pop("annotations", None)
        new["metadata"] = meta
        spec = dict(current.get("spec") or {})
        if min_ready is not None:
            if min_ready:
                spec["minReadySeconds"] = min_ready
            else:
                spec.pop("minReadySeconds", None)
        if replicas is not None:
            spec["replicas"] = replicas
        new["spec"] = spec
        return self.api.write(new, actor=self.ctrl.name)

    def scale_rs(self, rs: dict, new_scale: int) -> tuple[bool, dict]:
        """scaleReplicaSet: set the size and the desired/max-replicas annotations."""
        n = du.replicas(self.d)
        mx = n + du.max_surge(self.d)
        old_scale = du.replicas(rs)
        size_needs = old_scale != new_scale
        if not size_needs and not du.replicas_annotations_need_update(rs, n, mx):
            return False, rs
        stored = self.write_rs(rs, merge_annotations={du.DESIRED_REPLICAS: str(n),
                                                      du.MAX_REPLICAS: str(mx)},
                               replicas=new_scale)
        if size_needs:
            verb = "up" if old_scale < new_scale else "down"
            self.event("Normal", "ScalingReplicaSet",
                       f"Scaled {verb} replica set {rs['metadata']['name']} from {old_scale} "
                       f"to {new_scale}")
        return size_needs, stored

    def scale_and_record(self, rs: dict, new_scale: int) -> tuple[bool, dict]:
        """scaleReplicaSetAndRecordEvent: nothing to do when the size is already right."""
        if du.replicas(rs) == new_scale:
            return False, rs
        return self.scale_rs(rs, new_scale)

    # paused and scaling passes (sync.go) -------------------------------------------------------
    def sync_status_only(self) -> None:
        new_rs, old = self.get_all(False)
        self.sync_deployment_status(old + [new_rs], new_rs)

    def check_paused_conditions(self) -> None:
        if not du.has_progress_deadline(self.d):
            return
        cond = du.get_condition(self.status, "Progressing")
        if cond is not None and cond.get("reason") == du.TIMED_OUT_REASON:
            return
        paused_exists = cond is not None and cond.get("reason") == du.PAUSED_REASON
        paused = bool(self.spec.get("paused"))
        if paused and not paused_exists:
            du.set_condition(self.status, du.new_condition(
                "Progressing", "Unknown", du.PAUSED_REASON, "Deployment is paused", self.now()))
            self.trace(f"Deployment {self.name} is paused: it only scales; a template change "
                       f"rolls out after `kubectl rollout resume`")
        elif not paused and paused_exists:
            du.set_condition(self.status, du.new_condition(
                "Progressing", "Unknown", du.RESUMED_REASON, "Deployment is resumed", self.now()))
            self.trace(f"Deployment {self.name} is resumed: rollouts go on")
        else:
            return
        self.write_deployment()

    def is_scaling_event(self) -> bool:
        """Whether spec.replicas changed since the active ReplicaSets were sized."""
        new_rs, old = self.get_all(False)
        n = du.replicas(self.d)
        for rs in du.active(old + [new_rs]):
            desired = du.desired_replicas_annotation(rs)
            if desired is not None and desired != n:
                return True
        return False

    def sync(self) -> None:
        new_rs, old = self.get_all(False)
        self.scale(new_rs, old)
        if self.spec.get("paused"):
            self.cleanup(old)
        self.sync_deployment_status(old + [new_rs], new_rs)

    def scale(self, new_rs: dict | None, old_rss: list[dict]) -> None:
        """Resize the ReplicaSets after spec.replicas changed (proportional scaling)."""
        d = self.d
        n = du.replicas(d)
        only = du.find_active_or_latest(new_rs, old_rss)
        if only is not None:
            if du.replicas(only) == n:
                return
            self.trace(f"Deployment {self.name} wants {n} replicas; its only active ReplicaSet "
                       f"{only['metadata']['name']} has {du.replicas(only)}: scaling it to {n}")
            self.scale_and_record(only, n)
            return
        if du.is_saturated(d, new_rs):
            for old in du.active(old_rss):
                self.trace(f"New ReplicaSet {new_rs['metadata']['name']} runs all {n} replicas; "
                           f"scaling old ReplicaSet {old['metadata']['name']} to 0")
                self.scale_and_record(old, 0)
            return
        if not du.is_rolling_update(d):
            return
        all_rss = du.active(old_rss + [new_rs])
        current = du.spec_replicas_sum(all_rss)
        allowed = n + du.max_surge(d) if n > 0 else 0
        to_add = allowed - current
        if to_add > 0:  # ReplicaSetsBySizeNewer: bigger first, newer first among equals
            all_rss.sort(key=lambda rs: (-du.replicas(rs), _Reversed(du.creation_key(rs))))
        elif to_add < 0:  # ReplicaSetsBySizeOlder: bigger first, older first among equals
            all_rss.sort(key=lambda rs: (-du.replicas(rs), du.creation_key(rs)))
        added = 0
        sizes: dict[str, int] = {}
        for rs in all_rss:
            if to_add != 0:
                p = du.proportion(rs, d, to_add, added)
                sizes[rs["metadata"]["name"]] = du.replicas(rs) + p
                added += p
            else:
                sizes[rs["metadata"]["name"]] = du.replicas(rs)
        for i, rs in enumerate(all_rss):
            rs_name = rs["metadata"]["name"]
            if i == 0 and to_add != 0:
                sizes[rs_name] = max(0, sizes[rs_name] + to_add - added)
        if to_add != 0:
            plan = ", ".join(f"{rs['metadata']['name']} {du.replicas(rs)} -> "
                             f"{sizes[rs['metadata']['name']]}" for rs in all_rss)
            self.trace(f"Deployment {self.name} was scaled to {n} during a rollout: at most "
                       f"{allowed} pods (maxSurge {du.max_surge(d)}) shared among its "
                       f"ReplicaSets in proportion to their size: {plan}")
        for rs in all_rss:
            self.scale_rs(rs, sizes[rs["metadata"]["name"]])

    # rolling update (rolling.go) -----------------------------------------------------------
    def rollout_rolling(self) -> None:
        new_rs, old = self.get_all(True)
        all_rss = old + [new_rs]
        if self.reconcile_new(all_rss, new_rs):
            self.sync_rollout_status(all_rss, new_rs)
            return
        if self.reconcile_old(all_rss, du.active(old), new_rs):
            self.sync_rollout_status(all_rss, new_rs)
            return
        if du.deployment_complete(self.d, self.status):
            self.cleanup(old)
        self.sync_rollout_status(all_rss, new_rs)

    def _limits(self) -> str:
        d = self.d
        n, surge, unavail = du.replicas(d), du.max_surge(d), du.max_unavailable(d)
        return (f"Deployment {self.name}: {n} desired, max {n + surge} pods (maxSurge {surge}), "
                f"at least {n - unavail} available (maxUnavailable {unavail})")

    def reconcile_new(self, all_rss: list[dict], new_rs: dict) -> bool:
        n = du.replicas(self.d)
        have = du.replicas(new_rs)
        if have == n:
            return False
        if have > n:
            self.trace(f"{self._limits()}; new ReplicaSet {new_rs['metadata']['name']} has "
                       f"{have}: scaling it down to {n}")
            return self.scale_and_record(new_rs, n)[0]
        count = du.new_rs_new_replicas(self.d, all_rss, new_rs)
        if count != have:
            total = du.spec_replicas_sum(all_rss)
            self.trace(f"{self._limits()}; its ReplicaSets ask for {total} pods in all: "
                       f"scaling new ReplicaSet {new_rs['metadata']['name']} up from {have} to "
                       f"{count}")
        return self.scale_and_record(new_rs, count)[0]

    def reconcile_old(self, all_rss: list[dict], old_rss: list[dict], new_rs: dict) -> bool:
        old_count = du.spec_replicas_sum(old_rss)
        if old_count == 0:
            return False
        all_count = du.spec_replicas_sum(all_rss)
        min_avail = du.replicas(self.d) - du.max_unavailable(self.d)
        new_unavailable = du.replicas(new_rs) - int((new_rs.get("status") or {})
                                                    .get("availableReplicas") or 0)
        max_scaled_down = all_count - min_avail - new_unavailable
        if max_scaled_down <= 0:
            return False
        old_rss, cleaned = self.cleanup_unhealthy(old_rss, new_rs, max_scaled_down)
        scaled = self.scale_down_old(old_rss + [new_rs], old_rss, new_rs)
        return cleaned + scaled > 0

    def _state(self, new_rs: dict, old_rss: list[dict]) -> str:
        navail = int((new_rs.get("status") or {}).get("availableReplicas") or 0)
        return (f"new ReplicaSet {new_rs['metadata']['name']} has {du.replicas(new_rs)} "
                f"({navail} available), old has {du.spec_replicas_sum(old_rss)} "
                f"({du.available_replicas_sum(old_rss)} available)")

    def cleanup_unhealthy(self, old_rss: list[dict], new_rs: dict,
                          max_cleanup: int) -> tuple[list[dict], int]:
        """Scale old ReplicaSets down by their unavailable pods first: that costs nothing."""
        old_rss = sorted(old_rss, key=du.creation_key)
        total = 0
        for i, rs in enumerate(old_rss):
            if total >= max_cleanup:
                break
            have = du.replicas(rs)
            avail = int((rs.get("status") or {}).get("availableReplicas") or 0)
            if have == 0 or have == avail:
                continue
            count = min(max_cleanup - total, have - avail)
            target = have - count
            self.trace(f"{self._limits()}; {self._state(new_rs, old_rss)}: old ReplicaSet "
                       f"{rs['metadata']['name']} has {have - avail} unavailable pods, removing "
                       f"them first: scaling it down to {target}")
            _, updated = self.scale_and_record(rs, target)
            total += count
            old_rss[i] = updated
        return old_rss, total

    def scale_down_old(self, all_rss: list[dict], old_rss: list[dict], new_rs: dict) -> int:
        """Scale old ReplicaSets down while at least minAvailable pods stay available."""
        min_avail = du.replicas(self.d) - du.max_unavailable(self.d)
        available = du.available_replicas_sum(all_rss)
        if available <= min_avail:
            return 0
        total_to_remove = available - min_avail
        removed = 0
        for rs in sorted(old_rss, key=du.creation_key):
            if removed >= total_to_remove:
                break
            have = du.replicas(rs)
            if have == 0:
                continue
            count = min(have, total_to_remove - removed)
            self.trace(f"{self._limits()}; {self._state(new_rs, old_rss)}: scaling old "
                       f"ReplicaSet {rs['metadata']['name']} down to {have - count}")
            self.scale_and_record(rs, have - count)
            removed += count
        return removed

    # recreate (recreate.go) --------------------------------------------------------------------
    def rollout_recreate(self) -> None:
        new_rs, old = self.get_all(False)
        all_rss = old + [new_rs]
        scaled = False
        for rs in du.active(old):
            self.trace(f"Deployment {self.name} uses the Recreate strategy: scaling old "
                       f"ReplicaSet {rs['metadata']['name']} down to 0 before any new pod starts")
            if self.scale_and_record(rs, 0)[0]:
                scaled = True
        if scaled:
            self.sync_rollout_status(all_rss, new_rs)
            return
        running = self.old_pods_running(new_rs, old)
        if running:
            self.sync_rollout_status(all_rss, new_rs)
            return
        if new_rs is None:
            new_rs, old = self.get_all(True)
            all_rss = old + [new_rs]
        n = du.replicas(self.d)
        if du.replicas(new_rs) != n:
            self.trace(f"Deployment {self.name}: no old pod is left; scaling new ReplicaSet "
                       f"{new_rs['metadata']['name']} up to {n}")
        self.scale_and_record(new_rs, n)
        if du.deployment_complete(self.d, self.status):
            self.cleanup(old)
        self.sync_rollout_status(all_rss, new_rs)

    def old_pods_running(self, new_rs: dict | None, old_rss: list[dict]) -> int:
        """How many pods of old ReplicaSets still exist in a non-terminal phase (0: none)."""
        if du.actual_replicas_sum(old_rss) > 0:
            return du.actual_replicas_sum(old_rss)
        new_uid = new_rs["metadata"].get("uid") if new_rs is not None else None
        count = 0
        for rs in self.rs_list:
            uid = rs["metadata"].get("uid")
            if uid == new_uid:
                continue
            for pod in self.store.owned_by(uid):
                if pod.get("kind") != "Pod" or not du.is_controlled_by(pod, rs):
                    continue
                if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                    count += 1
        return count

    # history cleanup (cleanupDeployment) -------------------------------------------------------
    def cleanup(self, old_rss: list[dict]) -> None:
        limit = self.spec.get("revisionHistoryLimit")
        if limit is None or limit == _MAX_INT32:
            return
        cleanable = [rs for rs in old_rss if rs is not None
                     and not rs["metadata"].get("deletionTimestamp")]
        diff = len(cleanable) - int(limit)
        if diff <= 0:
            return

        def by_revision(rs: dict) -> tuple:
            try:
                return (du.revision(rs), du.creation_key(rs))
            except ValueError:
                return (0, du.creation_key(rs))

        cleanable.sort(key=by_revision)
        for rs in cleanable[:diff]:
            st = rs.get("status") or {}
            if int(st.get("replicas") or 0) != 0 or du.replicas(rs) != 0 or \
                    int(rs["metadata"].get("generation") or 0) > \
                    int(st.get("observedGeneration") or 0):
                continue
            rs_name = rs["metadata"]["name"]
            self.trace(f"Deployment {self.name} keeps at most {limit} old ReplicaSets "
                       f"(revisionHistoryLimit); deleting the oldest, {rs_name} (revision "
                       f"{du.annotations(rs).get(du.REVISION, '?')})")
            try:
                self.api.delete("ReplicaSet", self.ns, rs_name, actor=self.ctrl.name)
            except NotFound:
                pass

    # status (sync.go syncDeploymentStatus, progress.go syncRolloutStatus) ------------------------
    def sync_deployment_status(self, all_rss: list[dict | None], new_rs: dict | None) -> None:
        new_status = du.calculate_status(all_rss, new_rs, self.d, self.now())
        if new_status == self.status:
            return
        self.d["status"] = new_status
        self.write_deployment()

    def sync_rollout_status(self, all_rss: list[dict | None], new_rs: dict | None) -> None:
        d = self.d
        now = self.now()
        new_status = du.calculate_status(all_rss, new_rs, d, now)
        if not du.has_progress_deadline(d):
            du.remove_condition(new_status, "Progressing")
        current = du.get_condition(self.status, "Progressing")
        complete_already = (int(new_status.get("replicas") or 0) ==
                            int(new_status.get("updatedReplicas") or 0) and current is not None
                            and current.get("reason") == du.NEW_RS_AVAILABLE_REASON)
        rs_name = self._rs_name(new_rs)
        if du.has_progress_deadline(d) and not complete_already:
            if du.deployment_complete(d, new_status):
                msg = (f'ReplicaSet "{rs_name}" has successfully progressed.' if new_rs else
                       f'Deployment "{self.name}" has successfully progressed.')
                before = du.get_condition(new_status, "Progressing")
                du.set_condition(new_status, du.new_condition(
                    "Progressing", "True", du.NEW_RS_AVAILABLE_REASON, msg, now))
                if before is None or before.get("reason") != du.NEW_RS_AVAILABLE_REASON:
                    self.trace(f"Deployment {self.name}: all {du.replicas(d)} replicas of "
                               f"ReplicaSet {rs_name} are updated and available; the rollout "
                               f"is complete")
            elif du.deployment_progressing(d, new_status):
                msg = (f'ReplicaSet "{rs_name}" is progressing.' if new_rs else
                       f'Deployment "{self.name}" is progressing.')
                cond = du.new_condition("Progressing", "True", du.RS_UPDATED_REASON, msg, now)
                if current is not None:
                    if current.get("status") == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    du.remove_condition(new_status, "Progressing")
                du.set_condition(new_status, cond)
            elif du.deployment_timed_out(d, new_status, self.clock.now, self.clock.parse):
                msg = (f'ReplicaSet "{rs_name}" has timed out progressing.' if new_rs else
                       f'Deployment "{self.name}" has timed out progressing.')
                before = du.get_condition(new_status, "Progressing")
                du.set_condition(new_status, du.new_condition(
                    "Progressing", "False", du.TIMED_OUT_REASON, msg, now))
                if before is None or before.get("reason") != du.TIMED_OUT_REASON:
                    self.trace(f"Deployment {self.name} made no progress for "
                               f"{self.spec.get('progressDeadlineSeconds')}s "
                               f"(progressDeadlineSeconds): ReplicaSet {rs_name} has timed out "
                               f"progressing")
        failures = self.replica_failures(all_rss, new_rs)
        if failures:
            du.set_condition(new_status, failures[0])
        else:
            du.remove_condition(new_status, "ReplicaFailure")
        new_status = du._ordered_status(new_status)
        if new_status == self.status:
            self.requeue_stuck(new_status)
            return
        self.d["status"] = new_status
        self.write_deployment()

    def replica_failures(self, all_rss: list[dict | None], new_rs: dict | None) -> list[dict]:
        def conds(rs: dict) -> list[dict]:
            out = []
            for c in (rs.get("status") or {}).get("conditions") or ():
                if c.get("type") == "ReplicaFailure":
                    out.append({"type": "ReplicaFailure", "status": c.get("status"),
                                "lastUpdateTime": c.get("lastTransitionTime"),
                                "lastTransitionTime": c.get("lastTransitionTime"),
                                "reason": c.get("reason"), "message": c.get("message")})
            return out

        if new_rs is not None:
            found = conds(new_rs)
            if found:
                return found
        found = []
        for rs in all_rss:
            if rs is not None:
                found += conds(rs)
        return found

    def requeue_stuck(self, new_status: dict) -> None:
        """No visible progress: check again when the progress deadline would run out."""
        d = self.d
        current = du.get_condition(self.status, "Progressing")
        if not du.has_progress_deadline(d) or current is None:
            return
        if du.deployment_complete(d, new_status) or current.get("reason") == du.TIMED_OUT_REASON:
            return
        last = current.get("lastUpdateTime")
        if not last:
            return
        deadline = self.clock.parse(last) + int(self.spec["progressDeadlineSeconds"])
        # one second more, as Kubernetes adds, so the check lands after the deadline
        self.ctrl._requeue_at(self.key, max(deadline - self.clock.now, 0.0) + 1.0 +
                              self.clock.now)


class _Reversed:
    """Sorts its value in reverse (newer first) inside a tuple key."""

    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def __lt__(self, other: "_Reversed") -> bool:
        return other.v < self.v

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and other.v == self.v
