"""Reading manifests as kubectl does (k8scourse.api.decode)."""

import pathlib

import pytest

from k8scourse.api.decode import check_client_side, load_manifests
from k8scourse.errors import ClientError, DecodeError

DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "invalid"


def _err(text, source="pod.yaml"):
    with pytest.raises(DecodeError) as info:
        load_manifests(text, source)
    return str(info.value)


@pytest.mark.parametrize("name", ["pod-indent.yaml", "pod-dedent.yaml", "pod-tab.yaml"])
def test_broken_manifests_give_the_error_named_in_their_first_line(name):
    """Each data/invalid YAML file fails with the go-yaml line and text its `# expect:` names."""
    text = (DATA / name).read_text()
    expected = text.splitlines()[0].removeprefix("# expect: error: ")
    assert _err(text, name) == expected


def test_mapping_value_on_first_line_has_no_line_number():
    """go-yaml prints no line for a scanner error on the first line."""
    assert _err("a: b: c\n") == ("error parsing pod.yaml: error converting YAML to JSON: yaml: "
                                 "mapping values are not allowed in this context")


def test_unclosed_flow_sequence_names_the_line_before():
    """A parser error names the line before the one libyaml stops at (go-yaml's 0-based mark)."""
    assert _err("a: 1\nb: [1, 2\n") == ("error parsing pod.yaml: error converting YAML to JSON: "
                                        "yaml: line 2: did not find expected ',' or ']'")


def test_line_numbers_restart_in_each_document():
    """Lines count from the start of the document after `---`, as the YAMLReader cuts them."""
    assert _err("a: 1\n---\nx: 1\nb: c: d\n") == (
        "error parsing pod.yaml: error converting YAML to JSON: yaml: line 2: mapping values are "
        "not allowed in this context")


def test_document_separator_with_text_is_an_error():
    """A `---` line followed by text is rejected by the YAMLReader."""
    assert _err("a: 1\n--- x\n") == "error parsing pod.yaml: invalid Yaml document separator: x"


def test_objects_before_a_broken_document_are_kept_on_the_error():
    """kubectl has already sent the documents before the broken one."""
    with pytest.raises(DecodeError) as info:
        load_manifests("kind: A\n---\nkind: B\n  x: [\n", "f.yaml")
    assert info.value.objects == [{"kind": "A"}]


def test_yaml_1_1_scalars_as_go_yaml_v2_reads_them():
    """on/yes/y are true, 0x1F is 31, 1e3 is 1000, 3.0 is 3, a date stays a string."""
    doc = load_manifests("a: on\nb: yes\nc: y\nd: 0x1F\ne: 1e3\nf: 3.0\ng: 2024-01-01\nh: Off\n"
                         "i: ~\nj: '1'\nk: 1.5\nl: 017\n", "f.yaml")[0]
    assert doc == {"a": True, "b": True, "c": True, "d": 31, "e": 1000, "f": 3, "g": "2024-01-01",
                   "h": False, "i": None, "j": "1", "k": 1.5, "l": 15}


def test_duplicate_key_keeps_the_last_value():
    """A duplicate key is not an error: the last value wins."""
    assert load_manifests("metadata:\n  name: nginx\n  name: nginx2\n", "f")[0] == {
        "metadata": {"name": "nginx2"}}


def test_keys_come_back_sorted_as_kubectl_sends_them():
    """sigs.k8s.io/yaml marshals maps with sorted keys."""
    assert list(load_manifests("b: 1\na: 2\n", "f")[0]) == ["a", "b"]


def test_empty_documents_and_lists_are_flattened():
    """Empty documents are skipped and a List's items are returned one by one."""
    text = "---\n# nothing\n---\napiVersion: v1\nkind: List\nitems:\n- kind: Pod\n- kind: Service\n"
    assert load_manifests(text, "f") == [{"kind": "Pod"}, {"kind": "Service"}]


def test_json_syntax_error_reports_the_offset():
    """JSON streams report Go's syntax error with the byte offset."""
    assert _err('{"a": 1,}', "x.json") == (
        "error parsing x.json: json: offset 9: invalid character '}' looking for beginning of "
        "object key string")


def test_truncated_json_is_unexpected_eof():
    """A JSON value cut short is io.ErrUnexpectedEOF."""
    assert _err('{"a": 1}\n{"b": ', "x.json") == "error parsing x.json: unexpected EOF"


def test_nan_cannot_be_converted_to_json():
    """.nan is a YAML float JSON cannot carry."""
    assert _err("a: .nan\n") == ("error parsing pod.yaml: error converting YAML to JSON: json: "
                                 "unsupported value: NaN")


def test_unknown_alias():
    """An alias to no anchor is go-yaml's unknown anchor error."""
    assert _err("a: *nope\n") == ("error parsing pod.yaml: error converting YAML to JSON: yaml: "
                                  "unknown anchor 'nope' referenced")


def test_kind_not_set():
    """kubectl refuses an object without kind before sending it."""
    with pytest.raises(ClientError) as info:
        check_client_side({"apiVersion": "v1", "metadata": {"name": "x"}}, "x.yaml")
    assert str(info.value) == (
        'error validating "x.yaml": error validating data: kind not set; if you choose to ignore '
        "these errors, turn validation off with --validate=false")


def test_api_version_not_set():
    """The same check names a missing apiVersion."""
    with pytest.raises(ClientError) as info:
        check_client_side({"kind": "Pod"}, "x.yaml")
    assert str(info.value) == (
        'error validating "x.yaml": error validating data: apiVersion not set; if you choose to '
        "ignore these errors, turn validation off with --validate=false")


def test_numeric_label_value_fails_in_kubectl():
    """`version: 1.0` as a label value cannot decode into ObjectMeta."""
    obj = load_manifests("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n"
                         "    version: 1.0\n", "pod.yaml")[0]
    with pytest.raises(ClientError) as info:
        check_client_side(obj, "pod.yaml")
    assert str(info.value) == ('unable to decode "pod.yaml": json: cannot unmarshal number into Go '
                               "struct field ObjectMeta.metadata.labels of type string")
