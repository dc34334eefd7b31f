"""The garbage collector: background, orphan and foreground cascades, dangling owners."""

from __future__ import annotations

from k8scourse.controllers import podutil
from tests.controllers.conftest import Harness, bare_pod, replicaset


def _with_rs(replicas: int = 3) -> Harness:
    h = Harness()
    h.api.create(replicaset("frontend", replicas))
    h.settle()
    assert len(h.pods()) == replicas
    return h


def _removals(h: Harness) -> list[tuple[float, str, str]]:
    """Record (time, kind, name) of every object that leaves the store."""
    seen: list[tuple[float, str, str]] = []
    for kind in ("Pod", "ReplicaSet"):
        h.api.store.watch(kind, lambda ev, o, old, kind=kind: seen.append(
            (h.clock.now, kind, o["metadata"]["name"])) if ev == "DELETED" else None)
    return seen


def test_background_cascade_deletes_the_pods():
    """Deleting a ReplicaSet (default propagation) removes it at once; the collector then
    deletes its pods, which terminate gracefully."""
    h = _with_rs()
    h.api.delete("ReplicaSet", "default", "frontend")
    assert h.get("ReplicaSet", "frontend") is None
    assert len(h.pods()) == 3  # not yet: the collector acts a moment later
    h.advance(0.5)
    pods = h.pods(active_only=False)
    assert len(pods) == 3 and all(p["metadata"].get("deletionTimestamp") for p in pods)
    h.settle()
    assert h.pods(active_only=False) == []
    assert any("its owner ReplicaSet frontend no longer exists; deleting it" in d
               for d in h.decisions("garbage-collector-controller"))


def test_orphan_cascade_keeps_the_pods_without_owner_references():
    """--cascade=orphan: the ReplicaSet goes, its pods stay, without ownerReferences."""
    h = _with_rs()
    before = {p["metadata"]["name"] for p in h.pods()}
    h.api.delete("ReplicaSet", "default", "frontend", propagation="Orphan")
    rs = h.get("ReplicaSet", "frontend")
    assert rs["metadata"]["finalizers"] == ["orphan"] and rs["metadata"]["deletionTimestamp"]
    h.settle()
    assert h.get("ReplicaSet", "frontend") is None
    pods = h.pods()
    assert {p["metadata"]["name"] for p in pods} == before
    assert all("ownerReferences" not in p["metadata"] for p in pods)


def test_orphaned_pods_are_adopted_by_a_new_replicaset():
    """Pods orphaned from one ReplicaSet are adopted by a new one with the same selector."""
    h = _with_rs()
    before = {p["metadata"]["name"] for p in h.pods()}
    h.api.delete("ReplicaSet", "default", "frontend", propagation="Orphan")
    h.settle()
    h.api.create(replicaset("frontend", 3))
    h.settle()
    assert {p["metadata"]["name"] for p in h.owned(h.get("ReplicaSet", "frontend"))} == before


def test_foreground_cascade_deletes_the_pods_first():
    """--cascade=foreground: the ReplicaSet stays (deletionTimestamp, foregroundDeletion) until
    every pod is gone, then goes last."""
    h = _with_rs()
    removed = _removals(h)
    h.api.delete("ReplicaSet", "default", "frontend", propagation="Foreground")
    rs = h.get("ReplicaSet", "frontend")
    assert rs["metadata"]["finalizers"] == ["foregroundDeletion"]
    h.advance(0.5)
    assert h.get("ReplicaSet", "frontend") is not None
    assert all(p["metadata"].get("deletionTimestamp") for p in h.pods(active_only=False))
    h.settle()
    assert h.get("ReplicaSet", "frontend") is None and h.pods(active_only=False) == []
    kinds = [k for _, k, _ in removed]
    assert kinds == ["Pod", "Pod", "Pod", "ReplicaSet"]


def test_owner_that_never_existed():
    """A pod whose owner uid belongs to no object is collected."""
    h = Harness()
    pod = bare_pod("stray", {"app": "x"})
    pod["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                           "name": "ghost", "uid": "1234"}]
    h.api.create(pod)
    h.settle()
    assert h.get("Pod", "stray") is None


def test_owner_with_the_same_name_but_another_uid():
    """An ownerReference to `frontend` with a uid other than the live frontend's is dangling."""
    h = Harness()
    h.api.create(replicaset("frontend", 0))
    pod = bare_pod("stray", {"app": "x"})
    pod["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                           "name": "frontend", "uid": "not-the-real-uid"}]
    h.api.create(pod)
    h.settle()
    assert h.get("Pod", "stray") is None


def test_live_owner_keeps_the_dependent_and_dangling_reference_is_dropped():
    """With one live owner and one gone, only the dangling reference is removed."""
    h = Harness()
    h.api.create(replicaset("keeper", 0))
    keeper = h.get("ReplicaSet", "keeper")
    pod = bare_pod("shared", {"app": "x"})
    pod["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "ghost", "uid": "1234"},
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "keeper",
         "uid": keeper["metadata"]["uid"]}]
    h.api.create(pod)
    h.settle()
    refs = h.get("Pod", "shared")["metadata"]["ownerReferences"]
    assert [r["name"] for r in refs] == ["keeper"]


def test_orphan_without_dependents_goes_at_once():
    """An owner with no dependents needs no finalizer: deleting it with Orphan removes it."""
    h = Harness()
    h.api.create(replicaset("empty", 0))
    h.api.delete("ReplicaSet", "default", "empty", propagation="Orphan")
    assert h.get("ReplicaSet", "empty") is None


def test_dependents_of_a_deleted_owner_in_another_kind_chain():
    """Owner -> ReplicaSet -> pods: deleting the top owner collects both levels."""
    h = Harness()
    h.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "top"},
                  "data": {"a": "b"}})
    top = h.get("ConfigMap", "top")
    rs = replicaset("frontend", 2)
    rs["metadata"]["ownerReferences"] = [{"apiVersion": "v1", "kind": "ConfigMap", "name": "top",
                                          "uid": top["metadata"]["uid"],
                                          "blockOwnerDeletion": True}]
    h.api.create(rs)
    h.settle()
    assert len(h.pods()) == 2
    h.api.delete("ConfigMap", "default", "top")
    h.settle()
    assert h.get("ReplicaSet", "frontend") is None and h.pods(active_only=False) == []
    assert all(podutil.is_pod_active(p) for p in h.pods())


def test_in_a_real_cluster_deleting_a_replicaset_deletes_its_pods(real_cluster):
    """The background cascade on a whole cluster: the pods terminate and disappear."""
    real_cluster.api.create(replicaset("frontend", 2))
    real_cluster.settle()
    real_cluster.api.delete("ReplicaSet", "default", "frontend")
    real_cluster.settle()
    assert real_cluster.pods(selector={"tier": "frontend"}) == []
