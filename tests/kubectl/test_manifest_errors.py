"""Reference 1.5: what kubectl prints for broken manifests given with -f."""

import pytest


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    return str(tmp_path)


POD_UNKNOWN_FIELDS = """apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx
    imagePullPolice: Always
    port: 80
"""


def test_unknown_fields_are_listed_in_sorted_order(cluster, tmp_path):
    """Strict decoding (the default --validate=strict) names every unknown field."""
    cwd = _write(tmp_path, "pod.yaml", POD_UNKNOWN_FIELDS)
    r = cluster.kubectl("create -f pod.yaml", cwd=cwd)
    assert r.exit_code == 1
    assert r.stderr == (
        'Error from server (BadRequest): error when creating "pod.yaml": Pod in version "v1" '
        'cannot be handled as a Pod: strict decoding error: unknown field '
        '"spec.containers[0].imagePullPolice", unknown field "spec.containers[0].port"\n')


def test_apply_prints_the_same_on_first_creation(cluster, tmp_path):
    """apply creates the object, so the server's answer is the same."""
    cwd = _write(tmp_path, "pod.yaml", POD_UNKNOWN_FIELDS)
    r = cluster.kubectl("apply -f pod.yaml", cwd=cwd)
    assert r.stderr.startswith('Error from server (BadRequest): error when creating "pod.yaml": '
                               'Pod in version "v1" cannot be handled as a Pod: strict decoding')


def test_validate_false_drops_unknown_fields(cluster, tmp_path):
    """--validate=false: the unknown fields are silently dropped."""
    cwd = _write(tmp_path, "pod.yaml", POD_UNKNOWN_FIELDS)
    r = cluster.kubectl("create -f pod.yaml --validate=false", cwd=cwd)
    assert (r.exit_code, r.stdout) == (0, "pod/nginx created\n")


def test_validate_warn_warns_and_creates(cluster, tmp_path):
    """--validate=warn: a warning per unknown field, and the object is created."""
    cwd = _write(tmp_path, "pod.yaml", POD_UNKNOWN_FIELDS)
    r = cluster.kubectl("create -f pod.yaml --validate=warn", cwd=cwd)
    assert r.stdout == "pod/nginx created\n"
    assert r.stderr == ('Warning: unknown field "spec.containers[0].imagePullPolice"\n'
                        'Warning: unknown field "spec.containers[0].port"\n')


def test_spec_indented_under_metadata(cluster, tmp_path):
    """The classic indentation slip: `unknown field "metadata.spec"`."""
    cwd = _write(tmp_path, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
                 "  spec:\n    containers:\n    - name: c\n      image: nginx\n")
    r = cluster.kubectl("create -f pod.yaml", cwd=cwd)
    assert r.stderr == ('Error from server (BadRequest): error when creating "pod.yaml": Pod in '
                        'version "v1" cannot be handled as a Pod: strict decoding error: unknown '
                        'field "metadata.spec"\n')


def test_wrong_type_wins_over_unknown_fields(cluster, tmp_path):
    """`replicas: "3"` is a type error."""
    cwd = _write(tmp_path, "d.yaml", """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
""")
    r = cluster.kubectl("create -f d.yaml", cwd=cwd)
    assert r.stderr == ('Error from server (BadRequest): error when creating "d.yaml": '
                        'Deployment in version "v1" cannot be handled as a Deployment: json: '
                        'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas '
                        'of type int32\n')


def test_a_numeric_label_value_fails_in_kubectl(cluster, tmp_path):
    """`version: 1.0` fails before anything is sent."""
    cwd = _write(tmp_path, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
                 "  labels:\n    version: 1.0\nspec:\n  containers:\n  - name: c\n"
                 "    image: nginx\n")
    r = cluster.kubectl("create -f pod.yaml", cwd=cwd)
    assert r.stderr == ('error: unable to decode "pod.yaml": json: cannot unmarshal number into '
                        'Go struct field ObjectMeta.metadata.labels of type string\n')


def test_kind_in_the_wrong_case(cluster, tmp_path):
    """`kind: pod` reaches the server, which does not know it."""
    cwd = _write(tmp_path, "pod.yaml", "apiVersion: v1\nkind: pod\nmetadata:\n  name: p\n"
                 "spec:\n  containers:\n  - name: c\n    image: nginx\n")
    r = cluster.kubectl("create -f pod.yaml", cwd=cwd)
    assert r.stderr.startswith(
        'Error from server (BadRequest): error when creating "pod.yaml": pod in version "v1" '
        'cannot be handled as a Pod: no kind "pod" is registered for version "v1" in scheme ')


@pytest.mark.parametrize("api_version,kind,name", [("v1", "ReplicaSet", "frontend"),
                                                   ("apps/v1", "Pod", "p"),
                                                   ("extensions/v1beta1", "Deployment", "web")])
def test_wrong_api_version_for_the_kind(cluster, tmp_path, api_version, kind, name):
    """The RESTMapper finds no such kind in that version."""
    cwd = _write(tmp_path, "x.yaml", f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n"
                 f"  name: {name}\n")
    r = cluster.kubectl("create -f x.yaml", cwd=cwd)
    assert r.stderr == (
        f'error: resource mapping not found for name: "{name}" namespace: "" from "x.yaml": no '
        f'matches for kind "{kind}" in version "{api_version}"\nensure CRDs are installed first\n')


def test_kind_not_set(cluster, tmp_path):
    """The client-side check for kind."""
    cwd = _write(tmp_path, "x.yaml", "apiVersion: v1\nmetadata:\n  name: p\n")
    r = cluster.kubectl("create -f x.yaml", cwd=cwd)
    assert r.stderr == ('error: error validating "x.yaml": error validating data: kind not set; '
                        'if you choose to ignore these errors, turn validation off with '
                        '--validate=false\n')


def test_yaml_syntax_error(cluster, tmp_path):
    """A key indented one space too far."""
    cwd = _write(tmp_path, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n"
                 "spec:\n  containers:\n  - name: nginx\n    image: nginx\n    ports:\n"
                 "    - containerPort: 80\n      protocol: TCP\n       name: http\n")
    r = cluster.kubectl("create -f pod.yaml", cwd=cwd)
    assert r.exit_code == 1
    assert r.stderr.startswith("error: error parsing pod.yaml: error converting YAML to JSON: "
                               "yaml: line ")


def test_duplicate_key_last_one_wins(cluster, tmp_path):
    """metadata.name twice: the second one is used."""
    cwd = _write(tmp_path, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n"
                 "  name: nginx2\nspec:\n  containers:\n  - name: c\n    image: nginx\n")
    assert cluster.kubectl("create -f pod.yaml", cwd=cwd).stdout == "pod/nginx2 created\n"


def test_a_file_that_does_not_exist(cluster):
    """`error: the path "nope.yaml" does not exist`."""
    r = cluster.kubectl("create -f nope.yaml")
    assert r.stderr == 'error: the path "nope.yaml" does not exist\n'


def test_apply_an_object_without_a_name(cluster, tmp_path):
    """kubectl cannot look up an object without a name."""
    cwd = _write(tmp_path, "pod-noname.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n"
                 "  labels:\n    app: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n")
    r = cluster.kubectl("apply -f pod-noname.yaml", cwd=cwd)
    assert r.stderr == ('error: error when retrieving current configuration of:\n'
                        'Resource: "/v1, Resource=pods", GroupVersionKind: "/v1, Kind=Pod"\n'
                        'Name: "", Namespace: "default"\n'
                        'from server for: "pod-noname.yaml": resource name may not be empty\n')


def test_create_without_a_name_is_the_servers_error(cluster, tmp_path):
    """create sends it; the server requires a name (reference 1.1)."""
    cwd = _write(tmp_path, "p.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {}\nspec:\n"
                 "  containers:\n  - name: c\n    image: nginx\n")
    r = cluster.kubectl("create -f p.yaml", cwd=cwd)
    assert r.stderr == ('The Pod "" is invalid: metadata.name: Required value: name or '
                        'generateName is required\n')


def test_a_directory_of_manifests(cluster, tmp_path):
    """-f on a directory reads its .yaml/.yml/.json files (not recursively)."""
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n")
    (tmp_path / "b.yml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n")
    (tmp_path / "notes.txt").write_text("not a manifest")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n"
                                             "  name: c\n")
    r = cluster.kubectl(f"create -f {tmp_path}")
    assert r.stdout == "namespace/a created\nnamespace/b created\n"
    r = cluster.kubectl(f"create -R -f {tmp_path}")
    assert r.stdout == "namespace/c created\n"


def test_several_documents_and_a_list(cluster):
    """`---` separated documents and `kind: List` are all created, in order."""
    text = ("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: one\n---\n"
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n"
            "  metadata:\n    name: two\n")
    assert cluster.kubectl("create -f -", stdin=text).stdout == \
        "namespace/one created\nnamespace/two created\n"
