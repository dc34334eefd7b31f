"""The API server's decode step (k8scourse.api.strict)."""

from k8scourse.api.decode import load_manifests
from k8scourse.api.strict import decode_error, drop_unknown, unregistered_kind_error

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
"""
POD = """apiVersion: v1
kind: Pod
metadata: {name: nginx}
spec:
  containers:
  - name: nginx
    image: nginx
"""


def _load(text, **replace):
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new)
    return load_manifests(text, "f.yaml")[0]


def test_valid_objects_decode():
    """A correct manifest has no decode error."""
    assert decode_error(_load(DEPLOY)) is None and decode_error(_load(POD)) is None


def test_string_replicas_is_a_type_error():
    """replicas: "3" cannot go into an int32."""
    obj = _load(DEPLOY.replace("replicas: 3", 'replicas: "3"'))
    assert decode_error(obj) == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
        "string into Go struct field DeploymentSpec.spec.replicas of type int32")


def test_containers_as_a_map():
    """containers written as a map instead of a list."""
    obj = _load(POD.replace("  - name: nginx\n    image: nginx", "    name: nginx\n    image: nginx"))
    assert decode_error(obj) == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go '
        "struct field PodSpec.spec.containers of type []v1.Container")


def test_container_port_as_string_has_no_indices_in_the_go_path():
    """containerPort: "80" names the Go path without indices."""
    obj = _load(POD + '    ports:\n    - containerPort: "80"\n')
    assert decode_error(obj) == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go '
        "struct field ContainerPort.spec.containers.ports.containerPort of type int32")


def test_unknown_fields_are_listed_sorted_with_indices():
    """Strict decoding lists every unknown field, in sorted-key order, with indices."""
    obj = _load(POD + "    port: 80\n    imagePullPolice: Always\n")
    assert decode_error(obj) == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field '
        '"spec.containers[0].imagePullPolice", unknown field "spec.containers[0].port"')


def test_spec_indented_under_metadata():
    """The classic beginner slip: spec under metadata."""
    obj = _load("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  spec:\n    containers: []\n")
    assert decode_error(obj) == ('Pod in version "v1" cannot be handled as a Pod: strict decoding '
                                 'error: unknown field "metadata.spec"')


def test_type_errors_win_over_unknown_fields():
    """A type error is reported instead of the unknown fields."""
    obj = _load(DEPLOY.replace("replicas: 3", 'replicas: "3"\n  foo: 1'))
    assert "cannot unmarshal string" in decode_error(obj)


def test_ignore_drops_unknown_fields_silently():
    """With validation off the unknown fields are dropped, not reported."""
    obj = _load(POD + "    port: 80\n")
    assert decode_error(obj, "Ignore") is None
    assert "port" not in drop_unknown(obj)["spec"]["containers"][0]


def test_bad_quantity_fails_decoding():
    """A quantity that does not parse stops decoding with apimachinery's text."""
    obj = _load(POD + "    resources:\n      limits:\n        cpu: abc\n")
    assert decode_error(obj) == (
        'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular '
        "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


def test_fractional_replicas():
    """A float into an int32 prints the number."""
    obj = _load(DEPLOY.replace("replicas: 3", "replicas: 1.5"))
    assert decode_error(obj).endswith("json: cannot unmarshal number 1.5 into Go struct field "
                                      "DeploymentSpec.spec.replicas of type int32")


def test_lowercase_kind_is_not_registered():
    """kind: pod reaches the server, which has no such kind."""
    assert unregistered_kind_error("v1", "pod") == (
        'pod in version "v1" cannot be handled as a Pod: no kind "pod" is registered for version '
        '"v1" in scheme "pkg/api/legacyscheme/scheme.go:30"')
