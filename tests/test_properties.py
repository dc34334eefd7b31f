"""Properties of the whole cluster under random sequences of what learners do.

Each example builds a small kubeadm cluster, applies a random sequence of operations through kubectl
and the Python API, lets it settle, and checks the invariants Kubernetes guarantees.
"""

from __future__ import annotations

import traceback

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8scourse import Cluster

INTERNAL = "internal error in the course's cluster model"

names = st.sampled_from(["web", "api", "db"])
images = st.sampled_from(["nginx", "nginx:1.27", "redis", "httpd", "nginx:no-such-tag", "ngnix"])
replicas = st.integers(min_value=0, max_value=6)

op = st.one_of(
    st.tuples(st.just("deploy"), names, images, replicas),
    st.tuples(st.just("rs"), names, images, replicas),
    st.tuples(st.just("rc"), names, images, replicas),
    st.tuples(st.just("scale"), st.sampled_from(["deployment", "rs", "rc"]), names, replicas),
    st.tuples(st.just("set-image"), names, images),
    st.tuples(st.just("delete"), st.sampled_from(["deployment", "rs", "rc"]), names),
    st.tuples(st.just("delete-pod"), st.integers(0, 20)),
    st.tuples(st.just("fail-node"), st.sampled_from(["node01", "node02"])),
    st.tuples(st.just("restore-node"), st.sampled_from(["node01", "node02"])),
    st.tuples(st.just("advance"), st.integers(0, 400)),
)


def manifest(kind: str, name: str, image: str, n: int) -> str:
    api = "v1" if kind == "ReplicationController" else "apps/v1"
    selector = (f"  selector:\n    app: {name}-{kind.lower()}\n" if kind == "ReplicationController"
                else f"  selector:\n    matchLabels:\n      app: {name}-{kind.lower()}\n")
    return (f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n  replicas: {n}\n"
            f"{selector}  template:\n    metadata:\n      labels:\n        app: {name}-{kind.lower()}\n"
            f"    spec:\n      containers:\n      - name: main\n        image: {image}\n")


def apply(cluster: Cluster, operation: tuple) -> None:
    kind_of = {"deploy": "Deployment", "rs": "ReplicaSet", "rc": "ReplicationController"}
    what = operation[0]
    if what in kind_of:
        _, name, image, n = operation
        results = [cluster.kubectl("apply -f -", stdin=manifest(kind_of[what], name, image, n))]
    elif what == "scale":
        _, typ, name, n = operation
        results = [cluster.kubectl(f"scale {typ} {name} --replicas={n}")]
    elif what == "set-image":
        _, name, image = operation
        results = [cluster.kubectl(f"set image deployment/{name} main={image}")]
    elif what == "delete":
        _, typ, name = operation
        results = [cluster.kubectl(f"delete {typ} {name}")]
    elif what == "delete-pod":
        pods = cluster.pods()
        results = []
        if pods:
            results.append(cluster.kubectl(f"delete pod {pods[operation[1] % len(pods)].name} --wait=false"))
    elif what == "fail-node":
        cluster.fail_node(operation[1])
        results = []
    elif what == "restore-node":
        cluster.restore_node(operation[1])
        results = []
    else:
        cluster.advance(operation[1])
        results = []
    for r in results:
        assert INTERNAL not in r.stderr, r.stderr
        assert "Traceback" not in r.output, r.output


def owned_active_pods(cluster: Cluster, owner_uid: str) -> list:
    return [p for p in cluster.pods()
            if any(ref.get("uid") == owner_uid for ref in p.metadata.get("ownerReferences", []))
            and not p.metadata.get("deletionTimestamp")
            and p.status.get("phase") not in ("Succeeded", "Failed")]


def tolerates(pod, taint: dict) -> bool:
    for t in pod.spec.get("tolerations") or []:
        if t.get("effect") not in (None, "", taint.get("effect")):
            continue
        if t.get("operator") == "Exists" and t.get("key") in (None, "", taint["key"]):
            return True
        if t.get("key") == taint["key"] and t.get("value", "") == taint.get("value", ""):
            return True
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=12), st.integers(0, 10_000))
def test_controllers_converge_and_taints_hold(operations, seed):
    """After any sequence of operations, every ReplicaSet/RC owns exactly spec.replicas active pods
    (while all nodes are up), and no pod runs on a node whose NoSchedule/NoExecute taints it does not
    tolerate unless it was bound there by hand."""
    cluster = Cluster.kubeadm(workers=2, seed=seed)
    failed = set()
    try:
        for o in operations:
            apply(cluster, o)
            if o[0] == "fail-node":
                failed.add(o[1])
            elif o[0] == "restore-node":
                failed.discard(o[1])
        for name in list(failed):
            cluster.restore_node(name)
        cluster.settle(timeout=900)
        cluster.advance(60)
        cluster.settle(timeout=900)
    except Exception as e:  # the model may only raise on purpose, and not here at all
        raise AssertionError("the model raised:\n" + traceback.format_exc()) from e
    for kind in ("ReplicaSet", "ReplicationController"):
        for rs in cluster.list(kind):
            want = rs.spec.get("replicas", 1)
            got = owned_active_pods(cluster, rs.uid)
            assert len(got) == want, f"{kind} {rs.name}: {len(got)} active pods, wants {want}"
    for dep in cluster.list("Deployment"):
        rss = [rs for rs in cluster.list("ReplicaSet")
               if any(r.get("uid") == dep.uid for r in rs.metadata.get("ownerReferences", []))]
        assert sum(rs.spec.get("replicas", 0) for rs in rss) >= dep.spec.get("replicas", 1) or \
            dep.spec.get("paused")
    taints = {n.name: [t for t in n.spec.get("taints") or []
                       if t.get("effect") in ("NoSchedule", "NoExecute")] for n in cluster.nodes()}
    for pod in cluster.pods(None):
        node = pod.spec.get("nodeName")
        if not node or pod.metadata.get("ownerReferences", [{}])[0].get("kind") in ("Node", "DaemonSet"):
            continue
        for t in taints.get(node, []):
            if t["key"].startswith("node.kubernetes.io/"):
                continue  # condition taints may come after a pod is bound; eviction handles them
            assert tolerates(pod, t), f"{pod.name} on {node} does not tolerate {t}"


junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
argv_word = st.one_of(
    st.sampled_from(["get", "describe", "create", "apply", "delete", "run", "scale", "expose",
                     "rollout", "set", "label", "annotate", "patch", "logs", "explain", "replace",
                     "pods", "pod", "deploy", "rs", "rc", "svc", "nodes", "all", "web", "nginx",
                     "-f", "-", "-o", "yaml", "json", "wide", "name", "-l", "app=web", "-A",
                     "--replicas=3", "--image=nginx", "--port=80", "status", "history", "undo",
                     "image", "deployment/web", "web=nginx:1.27", "--", "-n", "kube-system",
                     "--type=NodePort", "--show-labels", "--dry-run=client", "-w"]),
    junk,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(argv_word, max_size=8), st.one_of(st.none(), junk, st.sampled_from([
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: 3\n",
    "kind: Deployment\napiVersion: apps/v1\nmetadata: {name: d}\nspec: {replicas: '3'}\n",
    "a: [\n", "- 1\n- 2\n", "apiVersion: v1\nkind: List\nitems: [1, 2]\n",
])))
def test_fuzzed_command_lines_never_crash(argv, stdin):
    """Any command line and any stdin gives kubectl-shaped output, never a traceback."""
    cluster = _fuzz_cluster()
    result = cluster.kubectl(argv, stdin=stdin)
    assert isinstance(result.exit_code, int)
    assert INTERNAL not in result.stderr, result.stderr
    assert "Traceback" not in result.output


_cluster_cache: list = []


def _fuzz_cluster() -> Cluster:
    if not _cluster_cache:
        _cluster_cache.append(Cluster.minikube(seed=1))
    return _cluster_cache[0]
