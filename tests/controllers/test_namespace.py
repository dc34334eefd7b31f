"""The namespace controller: a namespace being deleted is emptied, then goes."""

from __future__ import annotations

import pytest

from k8scourse.errors import Forbidden
from tests.controllers.conftest import Harness, replicaset


def _namespace_with_content(h: Harness, name: str = "shop") -> None:
    h.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    h.api.create(replicaset("frontend", 2, ns=name))
    h.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web",
                                                                      "namespace": name},
                  "spec": {"selector": {"tier": "frontend"}, "ports": [{"port": 80}]}})
    h.api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg",
                                                                        "namespace": name},
                  "data": {"k": "v"}})
    h.settle()
    assert len(h.pods(name)) == 2


def test_deleting_a_namespace_empties_it_then_removes_it():
    """Every object in the namespace is deleted; then the namespace itself disappears."""
    h = Harness()
    _namespace_with_content(h)
    h.api.delete("Namespace", "", "shop")
    ns = h.get("Namespace", "shop")
    assert ns["status"]["phase"] == "Terminating"
    h.settle()
    assert h.get("Namespace", "shop") is None
    for kind in ("Pod", "ReplicaSet", "Service", "ConfigMap", "Endpoints"):
        assert h.api.store.list(kind, "shop") == [], kind


def test_conditions_while_pods_terminate():
    """While pods terminate the namespace reports what remains, in the controller's words."""
    h = Harness()
    _namespace_with_content(h)
    h.kubelet.stop_delay = 20.0
    h.api.delete("Namespace", "", "shop")
    h.advance(1)
    conditions = {c["type"]: c for c in h.get("Namespace", "shop")["status"]["conditions"]}
    assert [c["type"] for c in h.get("Namespace", "shop")["status"]["conditions"]] == [
        "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
        "NamespaceDeletionContentFailure", "NamespaceContentRemaining",
        "NamespaceFinalizersRemaining"]
    remaining = conditions["NamespaceContentRemaining"]
    assert (remaining["status"], remaining["reason"], remaining["message"]) == (
        "True", "SomeResourcesRemain", "Some resources are remaining: pods. has 2 resource "
                                       "instances")
    content = conditions["NamespaceDeletionContentFailure"]
    assert (content["status"], content["reason"], content["message"]) == (
        "False", "ContentDeleted", "All content successfully deleted, may be waiting on "
                                   "finalization")
    assert conditions["NamespaceDeletionDiscoveryFailure"]["message"] == \
        "All resources successfully discovered"
    assert conditions["NamespaceFinalizersRemaining"]["reason"] == "ContentRemoved"
    assert h.get("Namespace", "shop")["status"]["phase"] == "Terminating"
    h.settle()
    assert h.get("Namespace", "shop") is None


def test_namespace_goes_after_half_the_grace_period_plus_one():
    """With 30 s pods that stop quickly, the controller comes back after 30/2 + 1 = 16 s."""
    h = Harness()
    _namespace_with_content(h)
    start = h.clock.now
    h.api.delete("Namespace", "", "shop")
    h.advance(15)
    assert h.get("Namespace", "shop") is not None
    h.advance(2)
    assert h.get("Namespace", "shop") is None
    assert h.clock.now - start < 18


def test_no_new_content_while_terminating():
    """Creating in a terminating namespace is forbidden (the API server's admission)."""
    h = Harness()
    _namespace_with_content(h)
    h.kubelet.stop_delay = 20.0
    h.api.delete("Namespace", "", "shop")
    with pytest.raises(Forbidden) as err:
        h.api.create({"apiVersion": "v1", "kind": "ConfigMap",
                      "metadata": {"name": "late", "namespace": "shop"}})
    assert str(err.value) == ('configmaps "late" is forbidden: unable to create new content in '
                              'namespace shop because it is being terminated')
    h.settle()


def test_the_trace_tells_what_it_waits_for():
    """The trace names the deletion and the remaining pods."""
    h = Harness()
    _namespace_with_content(h)
    h.api.delete("Namespace", "", "shop")
    h.settle()
    decisions = h.decisions("namespace-controller")
    assert decisions[0].startswith("namespace shop is being deleted: deleted ")
    assert decisions[0].endswith("; waiting for 2 pods")
    assert decisions[-1] == "namespace shop is empty; removing the kubernetes finalizer"


def test_in_a_real_cluster_a_namespace_goes_with_its_pods(real_cluster):
    """Deleting a namespace with running pods on a whole cluster leaves nothing behind."""
    real_cluster.api.create({"apiVersion": "v1", "kind": "Namespace",
                             "metadata": {"name": "shop"}})
    real_cluster.api.create(replicaset("frontend", 2, ns="shop"))
    real_cluster.settle()
    assert len(real_cluster.pods("shop")) == 2
    real_cluster.api.delete("Namespace", "", "shop")
    real_cluster.settle()
    assert real_cluster.api.get_or_none("Namespace", "", "shop") is None
    assert real_cluster.pods("shop") == []
