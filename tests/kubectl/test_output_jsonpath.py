"""`-o jsonpath=` and `-o custom-columns=`: client-go's JSONPath as kubectl uses it.

The document and most templates are the examples of kubernetes.io's JSONPath reference; maps
and lists print as JSON (kubernetes#89660, in kubectl since 1.19).
"""

import pytest

from k8scourse.errors import ClientError
from k8scourse.kubectl.output import custom_columns, jsonpath

DOC = {
    "kind": "List",
    "items": [
        {"kind": "None",
         "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
         "status": {"capacity": {"cpu": "4"},
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
        {"kind": "None",
         "metadata": {"name": "127.0.0.2"},
         "status": {"capacity": {"cpu": "8"},
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                  {"type": "another", "address": "127.0.0.3"}]}},
    ],
    "users": [
        {"name": "myself", "user": {}},
        {"name": "e2e", "user": {"username": "admin", "password": "secret"}},
    ],
}


@pytest.mark.parametrize("template,expected", [
    ("kind is {.kind}", "kind is List"),
    ("{.kind}", "List"),
    ("{['kind']}", "List"),
    ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
    ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
    ("{.users[0].name}", "myself"),
    ("{.items[*]['metadata.name', 'status.capacity']}",
     '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}'),
    ('{.users[?(@.name=="e2e")].user.password}', "secret"),
    ("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
     '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '),
    ("{range .items[*]}{.metadata.name}{'\\t'}{end}", "127.0.0.1\t127.0.0.2\t"),
    ("{.items[0].metadata.labels.kubernetes\\.io/hostname}", "127.0.0.1"),
    ("{.users[-1:].name}", "e2e"),
    ("{.users[-1].name}", "e2e"),
    ("{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
    ("{.items[1].status.addresses[0:2:1].type}", "LegacyHostIP another"),
    ("{.users[0,1].name}", "myself e2e"),
    ("{.users[?(@.user.password)].name}", "e2e"),
])
def test_reference_examples(template, expected):
    """Each example template prints what kubectl's JSONPath prints."""
    assert jsonpath(template, DOC) == expected


def pods():
    return [
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "namespace": "default"},
         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}], "nodeName": "node01"},
         "status": {"phase": "Running", "podIP": "10.244.1.2"}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-2", "namespace": "default"},
         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"},
                                 {"name": "sidecar", "image": "busybox"}]},
         "status": {"phase": "Pending"}},
    ]


def test_lists_of_objects_are_walked_through_items():
    """`get pods -o jsonpath` sees a List: `.items[*]` reaches the pods; no newline is added."""
    assert jsonpath("{.items[*].metadata.name}", pods()) == "web-1 web-2"
    assert jsonpath('{range .items[*]}{.metadata.name}{"\\n"}{end}', pods()) == "web-1\nweb-2\n"
    assert jsonpath('{.items[?(@.status.phase=="Running")].metadata.name}', pods()) == "web-1"


def test_jsonpath_as_json_prints_an_indented_array():
    """-o jsonpath-as-json: the results as an indented JSON array and a newline."""
    assert jsonpath("{.items[*].metadata.name}", pods(), as_json=True) == (
        '[\n    "web-1",\n    "web-2"\n]\n')


def test_missing_keys_print_nothing():
    """Missing keys are allowed: `{.status.podIP}` of a pod without an IP prints nothing."""
    assert jsonpath("{.status.podIP}", pods()[1]) == ""
    assert jsonpath("{.items[*].status.podIP}", pods()) == "10.244.1.2"


@pytest.mark.parametrize("template,message", [
    ("{.items[}", "error parsing jsonpath {.items[}, unterminated array"),
    ('{.items[?(@.x=="y")}', 'error parsing jsonpath {.items[?(@.x=="y")}, unclosed array expect ]'),
    ("{.kind", "error parsing jsonpath {.kind, unclosed action"),
    ("{#}", "error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'"),
    ("{.items[x]}", "error parsing jsonpath {.items[x]}, invalid array index x"),
    ("{....kind}", "error parsing jsonpath {....kind}, invalid multiple recursive descent"),
    ("", "template format specified but no template given"),
])
def test_bad_templates_give_kubectls_errors(template, message):
    """A template that does not parse is a client error with kubectl's text."""
    with pytest.raises(ClientError) as err:
        jsonpath(template, DOC)
    assert str(err.value) == message


def test_index_out_of_range_is_an_execution_error():
    """Indexing past the end fails with `array index out of bounds` and the debugging help."""
    with pytest.raises(ClientError) as err:
        jsonpath("{.users[5].name}", {"users": [{"name": "a"}]})
    assert str(err.value) == (
        'error executing jsonpath "{.users[5].name}": Error executing template: array index out '
        "of bounds: index 5, length 1. Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.users[5].name}\n"
        "\tobject given to jsonpath engine was:\n"
        '\t\tmap[string]interface {}{"users":[]interface {}{map[string]interface {}{"name":"a"}}}\n\n')


def test_custom_columns_print_none_for_missing_fields():
    """Custom columns: a header row, one row per object, `<none>` where the field is missing,
    several values joined by commas."""
    assert custom_columns("NAME:.metadata.name,IP:.status.podIP,IMAGES:.spec.containers[*].image",
                          pods()) == (
        "NAME    IP           IMAGES\n"
        "web-1   10.244.1.2   nginx:1.27\n"
        "web-2   <none>       nginx:1.27,busybox\n")


def test_custom_columns_accept_relaxed_paths_and_no_headers():
    """`metadata.name`, `.metadata.name` and `{.metadata.name}` all work; --no-headers drops
    the header row."""
    assert custom_columns("A:metadata.name,B:{.spec.nodeName}", pods(), no_headers=True) == (
        "web-1   node01\n"
        "web-2   <none>\n")


def test_custom_columns_print_maps_as_go_does():
    """A map value prints with Go's fmt (`map[k:v]`), not as JSON."""
    obj = {"metadata": {"name": "p", "labels": {"run": "p", "app": "web"}}}
    assert custom_columns("NAME:.metadata.name,LABELS:.metadata.labels", [obj]) == (
        "NAME   LABELS\n"
        "p      map[app:web run:p]\n")


@pytest.mark.parametrize("spec,message", [
    ("", "custom-columns format specified but no custom columns given"),
    ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
    ("NAME:{.a}}", "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                   "'{name1.name2}' or '{.name1.name2}'"),
])
def test_custom_columns_errors(spec, message):
    """A bad custom-columns spec is a client error with kubectl's text."""
    with pytest.raises(ClientError) as err:
        custom_columns(spec, pods())
    assert str(err.value) == message
