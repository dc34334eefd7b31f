"""kubectl delete (waiting, grace, cascades, selectors) and node maintenance (cordon, drain, taint)."""

import pytest


@pytest.fixture
def web(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=4")
    cluster.settle()
    return cluster


def test_delete_waits_until_the_pod_is_gone(cluster):
    """kubectl blocks (simulated time runs) until the pod is removed."""
    cluster.kubectl("run nginx --image=nginx")
    cluster.settle()
    assert cluster.kubectl("delete pod nginx").stdout == 'pod "nginx" deleted\n'
    assert cluster.api.get_or_none("Pod", "default", "nginx") is None


def test_delete_without_wait_leaves_it_terminating(cluster):
    """--wait=false returns at once; the pod is still Terminating."""
    cluster.kubectl(["run", "sleeper", "--image=busybox", "--", "sleep", "3600"])
    cluster.settle()
    cluster.kubectl("delete pod sleeper --wait=false")
    assert "Terminating" in cluster.kubectl("get pod sleeper").stdout


def test_deleting_a_pod_of_a_deployment_brings_a_replacement(web):
    """The ReplicaSet replaces the deleted pod with a new name."""
    victim = web.pods()[0].name
    web.kubectl(f"delete pod {victim}")
    web.settle()
    names = {p.name for p in web.pods()}
    assert victim not in names and len(names) == 4


def test_delete_by_selector_and_all(web):
    """-l and --all; nothing matching prints `No resources found`."""
    r = web.kubectl("delete pods -l app=nope")
    assert (r.exit_code, r.stdout) == (0, "No resources found\n")
    r = web.kubectl("delete deploy --all")
    assert r.stdout == 'deployment.apps "web" deleted\n'


def test_delete_needs_names_or_selector(cluster):
    """`kubectl delete pods` with no name and no --all."""
    r = cluster.kubectl("delete pods")
    assert r.stderr == "error: resource(s) were provided, but no name was specified\n"
    r = cluster.kubectl("delete")
    assert r.stderr.startswith("error: You must provide one or more resources by argument or "
                               "filename.\n")


def test_cascade_orphan_keeps_the_pods(web):
    """--cascade=orphan removes the Deployment and leaves its ReplicaSet and pods running."""
    web.kubectl("delete deployment web --cascade=orphan")
    web.settle()
    assert len(web.list("ReplicaSet")) == 1 and len(web.pods()) == 4
    assert web.list("ReplicaSet")[0].metadata.get("ownerReferences") is None


def test_invalid_cascade_value(web):
    """kubectl's words for a bad --cascade."""
    assert web.kubectl("delete deploy web --cascade=sideways").stderr == \
        'error: invalid cascade value (sideways). Must be "background", "foreground", or ' \
        '"orphan"\n'


def test_now_and_grace_period_together(web):
    """--now means --grace-period=1."""
    assert web.kubectl("delete pod x --now --grace-period=5").stderr == \
        "error: --now and --grace-period cannot be specified together\n"


def test_delete_from_a_file_names_the_file(cluster, tmp_path):
    """-f: deleted line, then NotFound wrapped with the file name (reference 0.3)."""
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n"
                                       "spec:\n  containers:\n  - name: nginx\n    image: nginx\n")
    cluster.kubectl("create -f pod.yaml", cwd=str(tmp_path))
    assert cluster.kubectl("delete -f pod.yaml", cwd=str(tmp_path)).stdout == \
        'pod "nginx" deleted\n'
    assert cluster.kubectl("delete -f pod.yaml", cwd=str(tmp_path)).stderr == \
        'Error from server (NotFound): error when deleting "pod.yaml": pods "nginx" not found\n'


def test_delete_a_namespace_waits_for_its_contents(cluster):
    """A namespace goes once the namespace controller has emptied it."""
    cluster.kubectl("create namespace dev")
    cluster.kubectl("run p --image=nginx -n dev")
    cluster.settle()
    assert cluster.kubectl("delete namespace dev").stdout == 'namespace "dev" deleted\n'
    assert cluster.api.get_or_none("Namespace", "", "dev") is None


def test_cordon_twice(cluster):
    """A node already cordoned says so."""
    cluster.kubectl("cordon node01")
    assert cluster.kubectl("cordon node01").stdout == "node/node01 already cordoned\n"
    assert "SchedulingDisabled" in cluster.kubectl("get node node01").stdout


def test_drain_refuses_daemonset_pods(web):
    """Without --ignore-daemonsets drain stops and lists the DaemonSet pods."""
    r = web.kubectl("drain node01")
    assert r.exit_code == 1
    assert r.stdout == "node/node01 cordoned\n"
    lines = r.stderr.splitlines()
    assert lines[0].startswith('error: unable to drain node "node01" due to error: cannot delete '
                               "DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ")
    assert lines[0].endswith(", continuing command...")
    assert lines[1:3] == ["There are pending nodes to be drained:", " node01"]
    assert lines[3].startswith("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to "
                               "ignore): kube-flannel/kube-flannel-ds-")


def test_drain_evicts_and_the_pods_move(web):
    """With --ignore-daemonsets: evicting/evicted lines, drained, and the pods run elsewhere."""
    on_node01 = [p.name for p in web.pods() if p.spec.get("nodeName") == "node01"]
    assert on_node01
    r = web.kubectl("drain node01 --ignore-daemonsets")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "node/node01 cordoned"
    assert lines[-1] == "node/node01 drained"
    for name in on_node01:
        assert f"evicting pod default/{name}" in lines
        assert f"pod/{name} evicted" in lines
    assert r.stderr.startswith("Warning: ignoring DaemonSet-managed Pods: ")
    web.settle()
    assert all(p.spec.get("nodeName") != "node01" for p in web.pods())


def test_drain_refuses_bare_pods_without_force(cluster):
    """A pod without a controller would be lost: --force is needed."""
    cluster.kubectl("run bare --image=nginx --overrides={}")
    cluster.settle()
    node = cluster.get("Pod", "bare").spec["nodeName"]
    r = cluster.kubectl(f"drain {node} --ignore-daemonsets")
    assert f"cannot delete Pods that declare no controller (use --force to override): " \
           f"default/bare" in r.stderr


def test_taint_overwrite_and_modified(cluster):
    """--overwrite reports `modified`; removing by key only removes every effect."""
    cluster.kubectl("taint nodes node01 app=blue:NoSchedule")
    assert cluster.kubectl("taint nodes node01 app=green:NoSchedule --overwrite").stdout == \
        "node/node01 modified\n"
    assert cluster.kubectl("taint nodes node01 app-").stdout == "node/node01 untainted\n"
    assert cluster.kubectl("taint nodes node01 app-").stderr == 'error: taint "app" not found\n'


def test_taint_needs_nodes(cluster):
    """Only nodes can be tainted; a name alone is not a type."""
    assert cluster.kubectl("taint pods x a=b:NoSchedule").stderr == \
        "error: invalid resource type pods, only node types are supported\n"
    assert cluster.kubectl("taint node01 a=b:NoSchedule").stderr == \
        'error: the server doesn\'t have a resource type "node01"\n'
