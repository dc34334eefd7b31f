"""The success lines of reference 4.3, each from the command that prints it."""

import pytest

POD = """apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx
"""

MISSING_ANNOTATION = (
    "Warning: resource pods/nginx is missing the kubectl.kubernetes.io/last-applied-configuration "
    "annotation which is required by kubectl apply. kubectl apply should only be used on "
    "resources created declaratively by either kubectl create --save-config or kubectl apply. "
    "The missing annotation will be patched automatically.\n")


def _out(c, cmd, **kw):
    r = c.kubectl(cmd, **kw)
    assert r.exit_code == 0, (cmd, r.stderr)
    return r.stdout


def test_created_lines(cluster):
    """`<type>/<name> created` with the group for apps kinds."""
    assert _out(cluster, "run nginx --image=nginx") == "pod/nginx created\n"
    assert _out(cluster, "create deployment web --image=nginx") == "deployment.apps/web created\n"
    assert _out(cluster, "create service clusterip web --tcp=80") == "service/web created\n"
    assert _out(cluster, "create namespace dev") == "namespace/dev created\n"
    rc = ("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: myapp-rc\nspec:\n"
          "  replicas: 1\n  template:\n    metadata:\n      labels:\n        app: myapp\n"
          "    spec:\n      containers:\n      - name: c\n        image: nginx\n")
    assert _out(cluster, "create -f -", stdin=rc) == "replicationcontroller/myapp-rc created\n"


def test_apply_created_unchanged_configured(cluster):
    """apply: created, then unchanged, then configured after a change."""
    assert _out(cluster, "apply -f -", stdin=POD) == "pod/nginx created\n"
    assert _out(cluster, "apply -f -", stdin=POD) == "pod/nginx unchanged\n"
    assert _out(cluster, "apply -f -", stdin=POD.replace("image: nginx", "image: nginx:1.27")) \
        == "pod/nginx configured\n"


def test_apply_on_an_object_made_by_create_warns(cluster):
    """The missing last-applied annotation: configured, plus the warning on stderr."""
    _out(cluster, "create -f -", stdin=POD)
    r = cluster.kubectl("apply -f -", stdin=POD)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "pod/nginx configured\n", MISSING_ANNOTATION)
    assert _out(cluster, "apply -f -", stdin=POD) == "pod/nginx unchanged\n"


def test_replaced(cluster):
    """replace -f; a running pod needs --force (its spec was filled in by the API server)."""
    _out(cluster, "create -f -", stdin=POD)
    cluster.settle()
    new = POD.replace("    image: nginx\n", "    image: nginx:1.27\n")
    assert _out(cluster, "replace --force -f -", stdin=new) == \
        'pod "nginx" deleted\npod/nginx replaced\n'
    assert cluster.get("Pod", "nginx").spec["containers"][0]["image"] == "nginx:1.27"


def test_deleted_lines(cluster):
    """`<type> "<name>" deleted`, with the group, without a namespace (1.32)."""
    _out(cluster, "run nginx --image=nginx")
    _out(cluster, "create deployment web --image=nginx")
    _out(cluster, "create service loadbalancer web-lb --tcp=80")
    cluster.settle()
    assert _out(cluster, "delete pod nginx") == 'pod "nginx" deleted\n'
    assert _out(cluster, "delete deployment web") == 'deployment.apps "web" deleted\n'
    assert _out(cluster, "delete service web-lb") == 'service "web-lb" deleted\n'


def test_force_deleted(cluster):
    """--grace-period=0 --force: `force deleted` and the warning."""
    _out(cluster, "run x --image=nginx")
    cluster.settle()
    r = cluster.kubectl("delete pod x --grace-period=0 --force")
    assert r.stdout == 'pod "x" force deleted\n'
    assert r.stderr == ("Warning: Immediate deletion does not wait for confirmation that the "
                        "running resource has been terminated. The resource may continue to run "
                        "on the cluster indefinitely.\n")


def test_scaled(cluster):
    """Deployments and ReplicaSets are scaled."""
    _out(cluster, "create deployment nginx --image=nginx")
    cluster.settle()
    assert _out(cluster, "scale deployment nginx --replicas=3") == \
        "deployment.apps/nginx scaled\n"
    rs = cluster.list("ReplicaSet")[0].name
    assert _out(cluster, f"scale rs {rs} --replicas=3") == f"replicaset.apps/{rs} scaled\n"


def test_label_lines(cluster):
    """labeled, not labeled (same value again), unlabeled."""
    _out(cluster, "run x --image=nginx")
    assert _out(cluster, "label pod x tier=web") == "pod/x labeled\n"
    assert _out(cluster, "label pod x tier=web") == "pod/x not labeled\n"
    assert _out(cluster, "label pod x tier-") == "pod/x unlabeled\n"


def test_annotated_image_updated_exposed(cluster):
    """annotate, set image, expose."""
    _out(cluster, "create deployment nginx --image=nginx --port=80")
    assert _out(cluster, "annotate deployment nginx owner=me") == \
        "deployment.apps/nginx annotated\n"
    assert _out(cluster, "set image deployment/nginx nginx=nginx:1.27") == \
        "deployment.apps/nginx image updated\n"
    assert _out(cluster, "expose deployment nginx --name=web") == "service/web exposed\n"


def test_node_lines(cluster):
    """taint/untaint, cordon/uncordon."""
    assert _out(cluster, "taint nodes node01 app=blue:NoSchedule") == "node/node01 tainted\n"
    assert _out(cluster, "taint nodes node01 app=blue:NoSchedule-") == "node/node01 untainted\n"
    assert _out(cluster, "cordon node02") == "node/node02 cordoned\n"
    assert _out(cluster, "uncordon node02") == "node/node02 uncordoned\n"


def test_rolled_back(cluster):
    """rollout undo after an image change."""
    _out(cluster, "create deployment nginx --image=nginx")
    cluster.settle()
    _out(cluster, "set image deployment/nginx nginx=nginx:1.27")
    cluster.settle()
    assert _out(cluster, "rollout undo deployment/nginx") == "deployment.apps/nginx rolled back\n"


@pytest.mark.parametrize("kind,context", [("kubeadm", "kubernetes-admin@kubernetes"),
                                          ("minikube", "minikube")])
def test_context_modified(kind, context):
    """`kubectl config set-context --current --namespace=dev` with the real context names."""
    from tests.kubectl.conftest import full_cluster

    c = full_cluster(kind)
    assert _out(c, "config current-context") == f"{context}\n"
    assert _out(c, "config set-context --current --namespace=dev") == \
        f'Context "{context}" modified.\n'
    assert c.kubectl("get pods").stderr == "No resources found in dev namespace.\n"
