"""kubectl get: types, names, selectors, formats, empty results and bounded -w."""

import re

import pytest


@pytest.fixture
def web(cluster):
    """Two labelled pods and a deployment, all running."""
    cluster.kubectl("run web1 --image=nginx --labels=app=web,tier=front")
    cluster.kubectl("run db1 --image=redis --labels=app=db")
    cluster.settle()
    return cluster


def test_no_resources_found_goes_to_stderr(cluster):
    """An empty list: the message on stderr, exit 0 (also for a namespace that does not exist)."""
    r = cluster.kubectl("get pods")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "No resources found in default namespace.\n")
    assert cluster.kubectl("get pods -n nowhere").stderr == \
        "No resources found in nowhere namespace.\n"
    assert cluster.kubectl("get rc -A").stderr == "No resources found\n"


def test_label_selectors(web):
    """=, !=, in, notin, exists and !key."""
    def names(sel):
        return [ln.split()[0] for ln in web.kubectl(["get", "pods", "-l", sel]).stdout
                .splitlines()[1:]]
    assert names("app=web") == ["web1"]
    assert names("app!=web") == ["db1"]
    assert names("app in (db,web)") == ["db1", "web1"]
    assert names("app notin (db)") == ["web1"]
    assert names("tier") == ["web1"]
    assert names("!tier") == ["db1"]


def test_field_selectors(web):
    """metadata.name and status.phase; an unsupported field is the server's error."""
    out = web.kubectl("get pods --field-selector metadata.name=db1").stdout
    assert [ln.split()[0] for ln in out.splitlines()[1:]] == ["db1"]
    r = web.kubectl("get pods --field-selector status.phase!=Running")
    assert r.stderr == "No resources found in default namespace.\n"
    r = web.kubectl("get pods --field-selector spec.foo=bar")
    assert r.stderr == ('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that '
                        'match label selector "", field selector "spec.foo=bar": field label not '
                        'supported: spec.foo\n')


def test_show_labels_and_label_columns(web):
    """--show-labels adds LABELS; -L adds one column per key."""
    lines = web.kubectl("get pods --show-labels").stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]
    assert lines[2].endswith("app=web,tier=front")
    lines = web.kubectl("get pods -L tier").stdout.splitlines()
    assert lines[0].split()[-1] == "TIER" and lines[2].split()[-1] == "front"


def test_names_and_types(web):
    """Several types get `<type>/` prefixes; one type does not."""
    out = web.kubectl("get pods,services").stdout
    assert "pod/web1" in out and "service/kubernetes" in out and "\n\nNAME" in out
    out = web.kubectl("get pod web1").stdout
    assert out.splitlines()[1].startswith("web1 ")
    out = web.kubectl("get pod/web1 svc/kubernetes").stdout
    assert "pod/web1" in out and "service/kubernetes" in out


def test_output_name_yaml_json_jsonpath(web):
    """-o name lists `pod/<name>`; -o yaml of one object is the object; of many, a List."""
    assert web.kubectl("get pods -o name").stdout == "pod/db1\npod/web1\n"
    one = web.kubectl("get pod web1 -o yaml").stdout
    assert one.startswith("apiVersion: v1\nkind: Pod\nmetadata:\n")
    many = web.kubectl("get pods -o yaml").stdout
    assert many.startswith("apiVersion: v1\nitems:\n") and many.endswith(
        'kind: List\nmetadata:\n  resourceVersion: ""\n')
    assert web.kubectl("get pod web1 -o jsonpath={.spec.containers[0].image}").stdout == "nginx"
    assert web.kubectl("get pods -o json").stdout.startswith('{\n    "apiVersion": "v1",\n')


def test_unknown_output_format(web):
    """kubectl lists the formats it knows."""
    r = web.kubectl("get pods -o xml")
    assert r.stderr == ('error: unable to match a printer suitable for the output format "xml", '
                        "allowed formats are: custom-columns,custom-columns-file,go-template,"
                        "go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
                        "template,templatefile,wide,yaml\n")


def test_sort_by(web):
    """--sort-by with a JSONPath field."""
    out = web.kubectl("get pods --sort-by=.metadata.name").stdout
    assert [ln.split()[0] for ln in out.splitlines()[1:]] == ["db1", "web1"]
    r = web.kubectl("get pods --sort-by=.spec.nope")
    assert r.stderr == 'error: couldn\'t find any field with path "{.spec.nope}" in the list of ' \
                       'objects\n'


def test_all_namespaces_adds_the_namespace_column(web):
    """-A lists every namespace with a NAMESPACE column."""
    lines = web.kubectl("get pods -A").stdout.splitlines()
    assert lines[0].split()[0] == "NAMESPACE"
    assert any(ln.startswith("kube-system ") for ln in lines)


def test_no_headers(web):
    """--no-headers drops the header line."""
    assert not web.kubectl("get pods --no-headers").stdout.startswith("NAME")


def test_get_all(web):
    """`get all` shows pods and services with type prefixes."""
    out = web.kubectl("get all").stdout
    assert out.startswith("NAME ")
    assert "pod/web1" in out and "service/kubernetes" in out


def test_kinds_the_model_does_not_serve_are_empty(cluster):
    """A real cluster serves secrets: the list is empty rather than unknown."""
    assert cluster.kubectl("get secrets").stderr == "No resources found in default namespace.\n"
    assert cluster.kubectl("get secret x").stderr == \
        'Error from server (NotFound): secrets "x" not found\n'


def test_watch_prints_rows_as_simulated_time_runs(cluster):
    """-w: the table, then one row per change, until nothing is left to happen."""
    cluster.kubectl("run w --image=nginx")
    r = cluster.kubectl("get pod w -w")
    lines = r.stdout.splitlines()
    assert lines[0] == "NAME   READY   STATUS              RESTARTS   AGE"
    assert re.fullmatch(r"w      0/1     ContainerCreating   0          \ds", lines[1])
    assert re.fullmatch(r"w      1/1     Running             0          \ds", lines[-1])


def test_watch_respects_the_request_timeout(cluster):
    """--request-timeout bounds the watch in simulated seconds."""
    cluster.kubectl("create deployment w --image=nginx --replicas=2")
    start = cluster.now
    cluster.kubectl("get pods -w --request-timeout=2s")
    assert cluster.now - start <= 2 + cluster.step + 0.001


def test_missing_type(cluster):
    """`kubectl get` alone: kubectl's hint, then the usage error."""
    r = cluster.kubectl("get")
    assert r.stderr == (
        'You must specify the type of resource to get. Use "kubectl api-resources" for a complete '
        "list of supported resources.\n\n"
        "error: Required resource not specified.\n"
        'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. '
        "kubectl explain pods).\n"
        "See 'kubectl get -h' for help and examples\n")


def test_mixing_type_name_forms(cluster):
    """`get pod pod/x` is refused with the builder's message."""
    r = cluster.kubectl("get pod pod/x")
    assert r.stderr == (
        "error: there is no need to specify a resource type as a separate argument when passing "
        "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
        "'kubectl get resource resource/<resource_name>'\n")


def test_events(web):
    """`kubectl get events` and `kubectl events` list what happened."""
    out = web.kubectl("get events").stdout
    assert out.splitlines()[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert "Scheduled" in out and "pod/web1" in out
    out = web.kubectl("events").stdout
    assert "Pod/web1" in out


def test_describe_matches_a_name_prefix(web):
    """`describe pod web` describes web1 when there is no pod named web."""
    out = web.kubectl("describe pod web").stdout
    assert out.startswith("Name:             web1\n")
    r = web.kubectl("describe pod zzz")
    assert r.stderr == 'Error from server (NotFound): pods "zzz" not found\n'


def test_watch_follows_a_crash_loop(cluster):
    """Back-off restarts are housekeeping for the clock, but -w still shows them."""
    cluster.kubectl("run crash --image=busybox")
    out = cluster.kubectl("get pod crash -w").stdout
    statuses = [ln.split()[2] for ln in out.splitlines()[1:]]
    assert "Completed" in statuses and "CrashLoopBackOff" in statuses
