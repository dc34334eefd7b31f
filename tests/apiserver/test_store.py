from k8scourse.apiserver.store import Store, clone


def pod(name, ns="default", owner=None, node=None):
    meta = {"name": name, "namespace": ns}
    if owner:
        meta["ownerReferences"] = [{"uid": owner, "kind": "ReplicaSet", "name": "rs"}]
    spec = {"nodeName": node} if node else {}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def test_every_write_gets_a_higher_resource_version():
    """resourceVersion is one cluster-wide counter, as etcd's revision."""
    s = Store()
    a = s.put(pod("a"))
    b = s.put(pod("b"))
    a2 = s.put(pod("a"))
    assert int(a["metadata"]["resourceVersion"]) < int(b["metadata"]["resourceVersion"]) < \
        int(a2["metadata"]["resourceVersion"])


def test_watchers_see_added_modified_deleted_with_the_old_object():
    """A watch delivers each change with the previous version."""
    s, seen = Store(), []
    s.watch("Pod", lambda ev, obj, old: seen.append((ev, obj["metadata"]["name"], old is None)))
    s.put(pod("a"))
    s.put(pod("a"))
    s.remove("Pod", "default", "a")
    assert seen == [("ADDED", "a", True), ("MODIFIED", "a", False), ("DELETED", "a", False)]


def test_owner_index_follows_owner_references():
    """owned_by(uid) lists dependents, and forgets them when the reference goes."""
    s = Store()
    s.put(pod("a", owner="u1"))
    s.put(pod("b", owner="u1"))
    s.put(pod("c"))
    assert sorted(o["metadata"]["name"] for o in s.owned_by("u1")) == ["a", "b"]
    s.put(pod("a"))  # released
    assert [o["metadata"]["name"] for o in s.owned_by("u1")] == ["b"]
    s.remove("Pod", "default", "b")
    assert s.owned_by("u1") == []


def test_pods_on_node_index_follows_binding_and_deletion():
    """pods_on_node tracks spec.nodeName."""
    s = Store()
    s.put(pod("a"))
    assert s.pods_on_node("n1") == []
    s.put(pod("a", node="n1"))
    s.put(pod("b", node="n2"))
    assert [p["metadata"]["name"] for p in s.pods_on_node("n1")] == ["a"]
    s.remove("Pod", "default", "a")
    assert s.pods_on_node("n1") == []


def test_namespaces_keep_names_apart():
    """The same name in two namespaces is two objects."""
    s = Store()
    s.put(pod("web", "a"))
    s.put(pod("web", "b"))
    assert len(s.list("Pod")) == 2 and len(s.list("Pod", "a")) == 1


def test_clone_is_deep():
    """clone copies nested dicts and lists."""
    o = {"a": [{"b": 1}], "c": {"d": [1, 2]}}
    c = clone(o)
    c["a"][0]["b"] = 2
    c["c"]["d"].append(3)
    assert o == {"a": [{"b": 1}], "c": {"d": [1, 2]}}
