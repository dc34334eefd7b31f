"""Strategic merge, JSON merge and JSON patches, and kubectl apply's three-way merge."""

import pytest

from k8scourse.apiserver.patch import (PatchError, apply_patch, list_strategy, strategic_merge,
                                       three_way_merge_patch)

POD = {
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "containers": [
            {"name": "app", "image": "nginx", "ports": [{"containerPort": 80}],
             "env": [{"name": "A", "value": "1"}]},
            {"name": "sidecar", "image": "busybox", "args": ["sleep", "3600"]},
        ],
        "tolerations": [{"key": "a", "operator": "Exists"}],
    },
}


def test_containers_merge_by_name():
    """A patch naming one container changes only that container."""
    out = apply_patch(POD, {"spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}},
                      "strategic")
    assert out["spec"]["containers"][0] == {"name": "app", "image": "nginx:1.27",
                                            "ports": [{"containerPort": 80}],
                                            "env": [{"name": "A", "value": "1"}]}
    assert out["spec"]["containers"][1] == POD["spec"]["containers"][1]


def test_a_new_container_is_appended():
    """An item with a new merge key joins the list."""
    out = apply_patch(POD, {"spec": {"containers": [{"name": "log", "image": "fluentd"}]}},
                      "strategic")
    assert [c["name"] for c in out["spec"]["containers"]] == ["app", "sidecar", "log"]


def test_nested_lists_merge_by_their_own_keys():
    """Ports merge by containerPort and env by name, inside the container."""
    patch = {"spec": {"containers": [{"name": "app", "ports": [{"containerPort": 443}],
                                      "env": [{"name": "A", "value": "2"}]}]}}
    out = apply_patch(POD, patch, "strategic")
    c = out["spec"]["containers"][0]
    assert c["ports"] == [{"containerPort": 80}, {"containerPort": 443}]
    assert c["env"] == [{"name": "A", "value": "2"}]


def test_lists_without_a_patch_strategy_are_replaced():
    """tolerations and args have no merge key: the patch replaces them."""
    patch = {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}],
                      "containers": [{"name": "sidecar", "args": ["sleep", "10"]}]}}
    out = apply_patch(POD, patch, "strategic")
    assert out["spec"]["tolerations"] == [{"key": "b", "operator": "Exists"}]
    assert out["spec"]["containers"][1]["args"] == ["sleep", "10"]


def test_patch_delete_directive():
    """`$patch: delete` removes the named item."""
    out = apply_patch(POD, {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}},
                      "strategic")
    assert [c["name"] for c in out["spec"]["containers"]] == ["app"]


def test_patch_replace_directive():
    """`$patch: replace` in a map replaces the whole map."""
    out = apply_patch(POD, {"metadata": {"labels": {"tier": "x", "$patch": "replace"}}},
                      "strategic")
    assert out["metadata"]["labels"] == {"tier": "x"}


def test_null_deletes_a_field():
    """A null in a merge patch removes the key."""
    out = apply_patch(POD, {"metadata": {"labels": {"app": None}}}, "strategic")
    assert out["metadata"]["labels"] == {}


def test_service_ports_merge_by_port():
    """Service ports are keyed by `port`."""
    svc = {"kind": "Service", "spec": {"ports": [{"port": 80, "targetPort": 8080}]}}
    out = apply_patch(svc, {"spec": {"ports": [{"port": 80, "nodePort": 30080}]}}, "strategic")
    assert out["spec"]["ports"] == [{"port": 80, "targetPort": 8080, "nodePort": 30080}]
    assert list_strategy("Deployment", ("spec", "template", "spec", "containers")) == \
        ("merge", "name")


def test_json_merge_patch_replaces_lists():
    """RFC 7386: a list in the patch replaces the list."""
    out = apply_patch(POD, {"spec": {"containers": [{"name": "x", "image": "y"}]}}, "merge")
    assert out["spec"]["containers"] == [{"name": "x", "image": "y"}]


def test_json_patch_operations():
    """RFC 6902 replace, add and remove with JSON pointers."""
    ops = [{"op": "replace", "path": "/spec/containers/0/image", "value": "nginx:1.27"},
           {"op": "add", "path": "/metadata/labels/tier", "value": "front"},
           {"op": "remove", "path": "/spec/tolerations"}]
    out = apply_patch(POD, ops, "json")
    assert out["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert out["metadata"]["labels"] == {"app": "web", "tier": "front"}
    assert "tolerations" not in out["spec"]


def test_json_patch_errors():
    """A path that is not there is the json-patch library's error."""
    with pytest.raises(PatchError) as e:
        apply_patch(POD, [{"op": "replace", "path": "/spec/nope", "value": 1}], "json")
    assert str(e.value) == ("replace operation does not apply: doc is missing key: /spec/nope: "
                            "missing value")


def test_inputs_are_not_modified():
    """Patching returns a new object."""
    before = repr(POD)
    apply_patch(POD, {"spec": {"containers": [{"name": "app", "image": "z"}]}}, "strategic")
    apply_patch(POD, [{"op": "remove", "path": "/spec/tolerations"}], "json")
    assert repr(POD) == before


def test_three_way_patch_is_empty_when_nothing_changed():
    """Applying the same manifest again: the patch is {} (kubectl prints `unchanged`)."""
    applied = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
               "spec": {"containers": [{"name": "app", "image": "nginx"}]}}
    live = strategic_merge(applied, {"status": {"phase": "Running"},
                                     "spec": {"containers": [{"name": "app",
                                                              "imagePullPolicy": "Always"}]}})
    assert three_way_merge_patch(applied, applied, live) == {}


def test_three_way_patch_deletes_what_the_manifest_dropped():
    """A label removed from the manifest is removed; one added by others stays."""
    original = {"kind": "Pod", "metadata": {"labels": {"a": "1", "b": "2"}}}
    modified = {"kind": "Pod", "metadata": {"labels": {"a": "1"}}}
    current = {"kind": "Pod", "metadata": {"labels": {"a": "1", "b": "2", "c": "3"}}}
    patch = three_way_merge_patch(original, modified, current)
    assert patch == {"metadata": {"labels": {"b": None}}}
    assert strategic_merge(current, patch)["metadata"]["labels"] == {"a": "1", "c": "3"}


def test_three_way_patch_changes_a_container_by_name():
    """Changing an image sends the container by its merge key and the list order."""
    original = {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [
        {"name": "app", "image": "nginx"}]}}}}
    modified = {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [
        {"name": "app", "image": "nginx:1.27"}]}}}}
    patch = three_way_merge_patch(original, modified, original)
    assert patch == {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "app"}],
        "containers": [{"name": "app", "image": "nginx:1.27"}]}}}}
