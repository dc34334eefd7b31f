"""A new cluster as kubeadm init/join or minikube start leaves it."""

from __future__ import annotations

import pytest

from k8scourse.bootstrap import FLANNEL_IMAGES, flannel_objects, load_manifest

Cluster = pytest.importorskip("k8scourse.cluster").Cluster


@pytest.fixture(scope="module")
def kubeadm():
    return Cluster.kubeadm(workers=2)


@pytest.fixture(scope="module")
def bare():
    return Cluster.kubeadm(workers=2, network=None)


@pytest.fixture(scope="module")
def minikube():
    return Cluster.minikube()


def _pods(cluster, ns: str = "kube-system") -> dict[str, dict]:
    return {p["metadata"]["name"]: p for p in cluster.api.list("Pod", ns)}


def test_nodes_are_ready_with_roles_taints_and_cidrs_in_join_order(kubeadm):
    """controlplane 10.244.0.0/24 with the control-plane taint, node01 .1, node02 .2; all Ready."""
    nodes = {n["metadata"]["name"]: n for n in kubeadm.api.list("Node")}
    assert list(nodes) == ["controlplane", "node01", "node02"]
    cp = nodes["controlplane"]
    assert cp["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] == ""
    assert cp["metadata"]["labels"]["node.kubernetes.io/exclude-from-external-load-balancers"] == ""
    assert cp["spec"]["taints"] == [{"effect": "NoSchedule",
                                     "key": "node-role.kubernetes.io/control-plane"}]
    assert "taints" not in nodes["node01"]["spec"]
    assert [nodes[n]["spec"]["podCIDR"] for n in nodes] == [
        "10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    for n in nodes.values():
        ready = {c["type"]: c for c in n["status"]["conditions"]}["Ready"]
        assert ready["status"] == "True"


def test_control_plane_static_pods_are_mirror_pods(kubeadm):
    """etcd, kube-apiserver, kube-controller-manager, kube-scheduler on the control plane."""
    pods = _pods(kubeadm)
    node_uid = kubeadm.api.get("Node", "", "controlplane")["metadata"]["uid"]
    for comp in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        p = pods[f"{comp}-controlplane"]
        assert p["metadata"]["labels"] == {"component": comp, "tier": "control-plane"}
        assert p["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "controller": True,
                                                     "kind": "Node", "name": "controlplane",
                                                     "uid": node_uid}]
        assert p["metadata"]["annotations"]["kubernetes.io/config.source"] == "file"
        assert p["spec"]["priorityClassName"] == "system-node-critical"
        assert p["spec"]["hostNetwork"] is True
        assert p["status"]["podIP"] == "192.168.56.10"
        assert p["status"]["phase"] == "Running"
    api = pods["kube-apiserver-controlplane"]["spec"]["containers"][0]
    assert api["image"] == "registry.k8s.io/kube-apiserver:v1.32.5"
    assert "--advertise-address=192.168.56.10" in api["command"]


def test_kube_proxy_and_flannel_run_on_every_node(kubeadm):
    """The kube-proxy and kube-flannel-ds DaemonSets: one Running pod per node."""
    ds = kubeadm.api.get("DaemonSet", "kube-system", "kube-proxy")
    c = ds["spec"]["template"]["spec"]["containers"][0]
    assert c["image"] == "registry.k8s.io/kube-proxy:v1.32.5"
    assert ds["spec"]["template"]["spec"]["tolerations"] == [{"operator": "Exists"}]
    for ns, prefix in (("kube-system", "kube-proxy-"), ("kube-flannel", "kube-flannel-ds-")):
        pods = [p for n, p in _pods(kubeadm, ns).items() if n.startswith(prefix)]
        assert sorted(p["spec"]["nodeName"] for p in pods) == ["controlplane", "node01", "node02"]
        assert all(p["status"]["phase"] == "Running" for p in pods)


def test_coredns_two_replicas_and_the_dns_service(kubeadm):
    """coredns: 2 Running replicas labelled k8s-app=kube-dns; kube-dns at 10.96.0.10."""
    dep = kubeadm.api.get("Deployment", "kube-system", "coredns")
    assert dep["spec"]["replicas"] == 2
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "registry.k8s.io/coredns/coredns:v1.11.3"
    dns = [p for n, p in _pods(kubeadm).items() if n.startswith("coredns-")]
    assert len(dns) == 2 and all(p["status"]["phase"] == "Running" for p in dns)
    assert all(p["metadata"]["labels"]["k8s-app"] == "kube-dns" for p in dns)
    assert all(p["status"]["podIP"].startswith("10.244.") for p in dns)
    svc = kubeadm.api.get("Service", "kube-system", "kube-dns")
    assert svc["spec"]["clusterIP"] == "10.96.0.10"
    assert [(p["name"], p["port"], p["protocol"]) for p in svc["spec"]["ports"]] == [
        ("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
    assert svc["metadata"]["labels"] == {"k8s-app": "kube-dns",
                                         "kubernetes.io/cluster-service": "true",
                                         "kubernetes.io/name": "CoreDNS"}
    assert svc["spec"]["selector"] == {"k8s-app": "kube-dns"}


def test_kubernetes_service_and_its_endpoints(kubeadm):
    """default/kubernetes: 10.96.0.1 443/TCP -> 6443 named https; Endpoints to the control plane."""
    svc = kubeadm.api.get("Service", "default", "kubernetes")
    assert svc["spec"]["clusterIP"] == "10.96.0.1"
    assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP",
                                     "targetPort": 6443}]
    assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    assert "selector" not in svc["spec"]
    ep = kubeadm.api.get("Endpoints", "default", "kubernetes")
    assert ep["subsets"] == [{"addresses": [{"ip": "192.168.56.10"}],
                              "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]


def test_without_a_network_nodes_stay_not_ready_and_coredns_pending(bare):
    """network=None: every node NotReady (cni plugin not initialized), CoreDNS Pending."""
    for n in bare.api.list("Node"):
        ready = {c["type"]: c for c in n["status"]["conditions"]}["Ready"]
        assert ready["status"] == "False"
        assert ready["message"].endswith("cni plugin not initialized")
        assert {"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"} in n["spec"]["taints"]
    dns = [p for n, p in _pods(bare).items() if n.startswith("coredns-")]
    assert len(dns) == 2 and all(p["status"]["phase"] == "Pending" for p in dns)
    assert all(not p["spec"].get("nodeName") for p in dns)
    proxies = [p for n, p in _pods(bare).items() if n.startswith("kube-proxy-")]
    assert len(proxies) == 3 and all(p["status"]["phase"] == "Running" for p in proxies)
    assert bare.api.get_or_none("Namespace", "", "kube-flannel") is None


def test_applying_flannel_makes_nodes_ready_and_coredns_run():
    """kubectl apply of the flannel manifest: the nodes turn Ready and CoreDNS is scheduled."""
    c = Cluster.kubeadm(workers=1, network=None)
    for obj in flannel_objects():
        c.api.create(obj, actor="kubectl")
    c.settle()
    c.advance(10)
    c.settle()
    assert all({x["type"]: x for x in n["status"]["conditions"]}["Ready"]["status"] == "True"
               for n in c.api.list("Node"))
    dns = [p for n, p in _pods(c).items() if n.startswith("coredns-")]
    assert all(p["status"]["phase"] == "Running" for p in dns)


def test_minikube_single_node_docker_runtime(minikube):
    """minikube: node `minikube` Ready at once, 1 coredns, storage-provisioner, port 8443."""
    nodes = minikube.api.list("Node")
    assert [n["metadata"]["name"] for n in nodes] == ["minikube"]
    assert nodes[0]["metadata"]["labels"]["minikube.k8s.io/name"] == "minikube"
    assert nodes[0]["spec"]["podCIDR"] == "10.244.0.0/24"
    names = sorted(_pods(minikube))
    assert [n for n in names if not n.startswith(("coredns-", "kube-proxy-"))] == [
        "etcd-minikube", "kube-apiserver-minikube", "kube-controller-manager-minikube",
        "kube-scheduler-minikube", "storage-provisioner"]
    pods = _pods(minikube)
    assert all(p["status"]["phase"] == "Running" for p in pods.values())
    dns = [p for n, p in pods.items() if n.startswith("coredns-")]
    assert len(dns) == 1 and dns[0]["status"]["podIP"] == "10.244.0.2"
    cs = dns[0]["status"]["containerStatuses"][0]
    assert cs["image"] == "registry.k8s.io/coredns/coredns:v1.11.3"
    assert cs["imageID"].startswith("docker-pullable://registry.k8s.io/coredns/coredns@sha256:")
    assert cs["containerID"].startswith("docker://")
    assert pods["storage-provisioner"]["status"]["podIP"] == "192.168.49.2"
    svc = minikube.api.get("Service", "default", "kubernetes")
    assert svc["spec"]["ports"][0]["targetPort"] == 8443
    assert minikube.api.get_or_none("Namespace", "", "kube-flannel") is None


def test_flannel_manifest_is_the_add_ons_objects():
    """data/kube-flannel.yml holds the flannel add-on; the model serves its ns, cm and ds."""
    docs = load_manifest("kube-flannel.yml")
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [
        ("Namespace", "kube-flannel"), ("ClusterRole", "flannel"),
        ("ClusterRoleBinding", "flannel"), ("ServiceAccount", "flannel"),
        ("ConfigMap", "kube-flannel-cfg"), ("DaemonSet", "kube-flannel-ds")]
    ds = docs[-1]["spec"]["template"]["spec"]
    images = {c["image"] for c in ds["containers"] + ds["initContainers"]}
    assert images == set(FLANNEL_IMAGES)
    assert [d["kind"] for d in flannel_objects()] == ["Namespace", "ConfigMap", "DaemonSet"]


def test_boot_is_repeatable_under_the_seed():
    """Two clusters with the same seed have the same pod names and IPs."""
    a = Cluster.kubeadm(workers=1, seed=3)
    b = Cluster.kubeadm(workers=1, seed=3)

    def view(c):
        return sorted((p["metadata"]["name"], p["status"].get("podIP"))
                      for p in c.api.list("Pod", None))

    assert view(a) == view(b)
