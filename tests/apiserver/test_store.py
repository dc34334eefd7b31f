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


def note(name, text, ns="default"):
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": ns},
            "message": text}


def store_with_records():
    s = Store()
    s.register_builder("Event", lambda r: note(*r))
    return s


def test_a_record_reads_back_as_the_object_a_put_would_have_stored():
    """put_record takes its resourceVersion when written; the object is built on first read."""
    s = store_with_records()
    s.put(pod("before"))
    s.put_record("Event", ("default", "e1"), ("e1", "hello"))
    s.put(pod("after"))
    assert s.count("Event") == 1
    e1 = s.get("Event", "default", "e1")
    assert e1 == {**note("e1", "hello"), "metadata": {"name": "e1", "namespace": "default",
                                                       "resourceVersion": "2"}}
    assert s.get("Pod", "default", "after")["metadata"]["resourceVersion"] == "3"
    assert s.get("Event", "default", "nope") is None


def test_records_keep_write_order_and_a_rewritten_record_keeps_its_place():
    s = store_with_records()
    s.put_record("Event", ("default", "a"), ("a", "1"))
    s.put_record("Event", ("default", "b"), ("b", "1"))
    s.put_record("Event", ("default", "a"), ("a", "2"))
    assert s.record_of("Event", ("default", "a")) == ("a", "2")
    got = [(e["metadata"]["name"], e["message"], e["metadata"]["resourceVersion"])
           for e in s.iter("Event")]
    assert got == [("a", "2", "3"), ("b", "1", "2")]
    assert s.record_of("Event", ("default", "a")) is None  # built now


def test_list_and_remove_see_records_and_a_watched_kind_is_written_at_once():
    s = store_with_records()
    s.put_record("Event", ("default", "a"), ("a", "x"))
    s.put_record("Event", ("other", "b"), ("b", "y", "other"))
    assert [e["metadata"]["name"] for e in s.list("Event", "other")] == ["b"]
    s.put_record("Event", ("default", "c"), ("c", "z"))
    assert s.remove("Event", "default", "c")["message"] == "z"
    assert s.count("Event") == 2
    seen = []
    s.watch("Event", lambda ev, obj, old: seen.append((ev, obj["metadata"]["name"])))
    s.put_record("Event", ("default", "d"), ("d", "w"))
    assert seen == [("ADDED", "d")]
    assert s.record_of("Event", ("default", "d")) is None
