"""Every kubectl command of the seed course works and prints what kubectl prints."""

import pathlib
import re

from tests.kubectl.conftest import full_cluster

SEED = pathlib.Path(__file__).resolve().parents[2] / "data" / "seed"
FLANNEL_URL = "https://raw.githubusercontent.com/coreos/flannel/master/Documentation/kube-flannel.yml"


def test_run_hello_minikube_without_an_image(minikube):
    """`kubectl run hello-minikube` (as the seed writes it) needs --image."""
    r = minikube.kubectl("run hello-minikube")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", 'error: required flag(s) "image" not set\n')


def test_cluster_info_on_minikube(minikube):
    """`kubectl cluster-info` names the control plane and CoreDNS (reference 4.4)."""
    r = minikube.kubectl("cluster-info")
    assert r.exit_code == 0
    assert r.stdout == (
        "Kubernetes control plane is running at https://192.168.49.2:8443\n"
        "CoreDNS is running at https://192.168.49.2:8443/api/v1/namespaces/kube-system/services/"
        "kube-dns:dns/proxy\n"
        "\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")


def test_get_nodes_on_minikube(minikube):
    """`kubectl get nodes`: one Ready control-plane node."""
    r = minikube.kubectl("get nodes")
    header, row, end = r.stdout.split("\n")
    assert header == "NAME       STATUS   ROLES           AGE   VERSION"
    assert re.fullmatch(r"minikube   Ready    control-plane   \d+s +v1\.32\.5", row)
    assert end == ""


def test_get_nodes_on_kubeadm(cluster):
    """The kubeadm cluster: a control plane and two workers."""
    lines = cluster.kubectl("get nodes").stdout.splitlines()
    assert lines[0] == "NAME           STATUS   ROLES           AGE   VERSION"
    assert [ln.split()[:3] for ln in lines[1:]] == [
        ["controlplane", "Ready", "control-plane"], ["node01", "Ready", "<none>"],
        ["node02", "Ready", "<none>"]]


def test_create_flannel_from_the_seed_url():
    """The seed's flannel URL is served from the bundled manifest; the nodes become Ready."""
    c = full_cluster("kubeadm", network=None)
    assert "NotReady" in c.kubectl("get nodes").stdout
    r = c.kubectl(f"create -f {FLANNEL_URL}")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ("namespace/kube-flannel created\n"
                        "clusterrole.rbac.authorization.k8s.io/flannel created\n"
                        "clusterrolebinding.rbac.authorization.k8s.io/flannel created\n"
                        "serviceaccount/flannel created\n"
                        "configmap/kube-flannel-cfg created\n"
                        "daemonset.apps/kube-flannel-ds created\n")
    c.settle()
    assert "NotReady" not in c.kubectl("get nodes").stdout


def test_creating_flannel_twice_reports_each_existing_object():
    """The second create fails per object, naming the URL (AddSourceToErr)."""
    c = full_cluster("kubeadm", network=None)
    c.kubectl(f"create -f {FLANNEL_URL}")
    r = c.kubectl(f"create -f {FLANNEL_URL}")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        f'Error from server (AlreadyExists): error when creating "{FLANNEL_URL}": namespaces '
        '"kube-flannel" already exists')


def test_an_unknown_url_cannot_be_fetched_offline(cluster):
    """Any other URL: the error of a host name that does not resolve."""
    r = cluster.kubectl("create -f https://example.com/app.yaml")
    assert r.exit_code == 1
    assert r.stderr == ("Unable to connect to the server: dial tcp: lookup example.com: no such "
                        "host\n")


def test_run_nginx_and_get_pods(cluster):
    """`kubectl run nginx --image=nginx`, then the pod shows in `kubectl get pods`."""
    assert cluster.kubectl("run nginx --image=nginx").stdout == "pod/nginx created\n"
    cluster.settle()
    lines = cluster.kubectl("get pods").stdout.splitlines()
    assert lines[0] == "NAME    READY   STATUS    RESTARTS   AGE"
    assert re.fullmatch(r"nginx   1/1     Running   0          \d+s", lines[1])


def test_create_pod_definition(cluster):
    """`kubectl create -f pod-definition.yml`."""
    r = cluster.kubectl("create -f pod-definition.yml", cwd=str(SEED))
    assert (r.exit_code, r.stdout, r.stderr) == (0, "pod/myapp-pod created\n", "")


def test_create_rc_definition_and_get_replicationcontroller(cluster):
    """The replication controller keeps 3 pods."""
    r = cluster.kubectl("create -f rc-definition.yml", cwd=str(SEED))
    assert r.stdout == "replicationcontroller/myapp-rc created\n"
    cluster.settle()
    lines = cluster.kubectl("get replicationcontroller").stdout.splitlines()
    assert lines[0] == "NAME       DESIRED   CURRENT   READY   AGE"
    assert re.fullmatch(r"myapp-rc   3         3         3       \d+s", lines[1])


def test_create_replace_and_scale_the_replicaset(cluster):
    """create, replace, and both scale forms of the seed's ReplicaSet."""
    kw = {"cwd": str(SEED)}
    assert cluster.kubectl("create -f replicaset-definition.yml", **kw).stdout == \
        "replicaset.apps/myapp-replicaset created\n"
    assert cluster.kubectl("replace -f replicaset-definition.yml", **kw).stdout == \
        "replicaset.apps/myapp-replicaset replaced\n"
    assert cluster.kubectl("scale --replicas=6 -f replicaset-definition.yml", **kw).stdout == \
        "replicaset.apps/myapp-replicaset scaled\n"
    assert cluster.get("ReplicaSet", "myapp-replicaset").spec["replicas"] == 6
    assert cluster.kubectl("scale --replicas=6 replicaset myapp-replicaset").stdout == \
        "replicaset.apps/myapp-replicaset scaled\n"
    cluster.settle()
    row = cluster.kubectl("get rs myapp-replicaset").stdout.splitlines()[1]
    assert row.split()[:4] == ["myapp-replicaset", "6", "6", "6"]


def test_create_service_definition_and_get_services(cluster):
    """The NodePort service with the fixed nodePort 30008."""
    r = cluster.kubectl("create -f service-definition.yml", cwd=str(SEED))
    assert r.stdout == "service/myapp-service created\n"
    lines = cluster.kubectl("get services").stdout.splitlines()
    assert re.fullmatch(r"NAME            TYPE        CLUSTER-IP +EXTERNAL-IP   PORT\(S\)        AGE",
                        lines[0])
    assert re.fullmatch(r"myapp-service   NodePort    10\.\d+\.\d+\.\d+ +<none>        "
                        r"80:30008/TCP   \d+s", lines[2])


def test_create_deployment_definition(cluster):
    """The seed's Deployment sample."""
    r = cluster.kubectl("create -f deployment-definition.yml", cwd=str(SEED))
    assert (r.exit_code, r.stdout) == (0, "deployment.apps/frontend created\n")
    cluster.settle()
    row = cluster.kubectl("get deployment frontend").stdout.splitlines()[1]
    assert row.split()[:4] == ["frontend", "4/4", "4", "4"]
