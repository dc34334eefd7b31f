"""LoadBalancer Services: <pending> without a cloud; with the simulated cloud an external IP from
192.168.56.240-250, the service controller's events and finalizer, and the address given back."""

import pytest

from k8scourse import Cluster
from k8scourse.network import PodNetwork
from k8scourse.network.laptop import curl
from k8scourse.proxy.loadbalancer import FINALIZER, ServiceLBController, address_pool


def make(cloud):
    c = Cluster.kubeadm(workers=2, cloud_load_balancer=cloud)
    if getattr(c, "network", None) is None:
        c.network = PodNetwork(c)
    if not any(isinstance(x, ServiceLBController) for x in getattr(c, "controllers", {}).values()):
        c.lb = ServiceLBController(c)
    return c


LB = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: LoadBalancer\n"
      "  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n")


def reasons(c, name):
    svc = c.api.get("Service", "default", name)
    return [(e["type"], e["reason"], e["message"], e["source"]["component"])
            for e in c.api.events.for_object(svc)]


@pytest.fixture
def cloud():
    return make(True)


def test_pool_is_240_to_250_of_the_nodes_network():
    """The address pool of the kubeadm preset is 192.168.56.240-192.168.56.250."""
    c = Cluster.kubeadm(workers=1)
    pool = address_pool(c.config)
    assert pool[0] == "192.168.56.240" and pool[-1] == "192.168.56.250" and len(pool) == 11


def test_pending_without_a_cloud():
    """No cloud provider: EXTERNAL-IP stays <pending> and status.loadBalancer stays empty."""
    c = make(False)
    c.kubectl(["create", "-f", "-"], stdin=LB.format(name="web-lb"))
    c.settle()
    assert c.api.get("Service", "default", "web-lb")["status"] == {"loadBalancer": {}}
    out = c.kubectl("get svc web-lb").stdout
    assert "<pending>" in out.splitlines()[1]


def test_cloud_assigns_an_external_ip(cloud):
    """With the simulated cloud the Service gets 192.168.56.240 with ipMode VIP and the finalizer."""
    cloud.kubectl(["create", "-f", "-"], stdin=LB.format(name="web-lb"))
    cloud.settle()
    svc = cloud.api.get("Service", "default", "web-lb")
    assert svc["status"] == {"loadBalancer": {"ingress": [{"ip": "192.168.56.240", "ipMode": "VIP"}]}}
    assert svc["metadata"]["finalizers"] == ["service.kubernetes.io/load-balancer-cleanup"]
    assert reasons(cloud, "web-lb") == [
        ("Normal", "EnsuringLoadBalancer", "Ensuring load balancer", "service-controller"),
        ("Normal", "EnsuredLoadBalancer", "Ensured load balancer", "service-controller")]
    row = cloud.kubectl("get svc web-lb").stdout.splitlines()[1].split()
    assert row[1:4] == ["LoadBalancer", svc["spec"]["clusterIP"], "192.168.56.240"]


def test_requested_load_balancer_ip_is_honoured(cloud):
    """spec.loadBalancerIP inside the pool is the address given."""
    cloud.kubectl(["create", "-f", "-"],
                  stdin=LB.format(name="web-lb") + "  loadBalancerIP: 192.168.56.245\n")
    cloud.settle()
    ing = cloud.api.get("Service", "default", "web-lb")["status"]["loadBalancer"]["ingress"]
    assert ing[0]["ip"] == "192.168.56.245"


def test_traffic_through_the_external_ip(cloud):
    """The laptop reaches the pods at the external IP on the Service port."""
    cloud.kubectl("create deployment web --image=nginx --replicas=2")
    cloud.kubectl(["create", "-f", "-"], stdin=LB.format(name="web-lb"))
    cloud.settle()
    r = curl(cloud, "http://192.168.56.240/")
    assert r.exit_code == 0 and "<title>Welcome to nginx!</title>" in r.stdout
    req = cloud.network.requests[-1]
    assert (req.via, req.service, req.ok) == ("LoadBalancer", "default/web-lb", True)
    assert req.pod.startswith("default/web-")


def test_delete_gives_the_address_back(cloud):
    """Deleting the Service runs the cleanup (events, finalizer removed) and frees the address."""
    cloud.kubectl(["create", "-f", "-"], stdin=LB.format(name="a"))
    cloud.settle()
    svc = cloud.api.get("Service", "default", "a")
    cloud.kubectl("delete svc a")
    cloud.settle()
    assert cloud.api.get_or_none("Service", "default", "a") is None
    evs = [(e["reason"], e["message"]) for e in cloud.api.events.for_object(svc)]
    assert ("DeletingLoadBalancer", "Deleting load balancer") in evs
    assert ("DeletedLoadBalancer", "Deleted load balancer") in evs
    cloud.kubectl(["create", "-f", "-"], stdin=LB.format(name="b"))
    cloud.settle()
    assert cloud.api.get("Service", "default", "b")["status"]["loadBalancer"]["ingress"][0]["ip"] == \
        "192.168.56.240"


def test_type_change_releases_the_load_balancer(cloud):
    """LoadBalancer -> NodePort: a Type event, the ingress cleared, the finalizer gone."""
    cloud.kubectl(["create", "-f", "-"], stdin=LB.format(name="web-lb"))
    cloud.settle()
    svc = cloud.api.get("Service", "default", "web-lb")
    svc["spec"]["type"] = "NodePort"
    cloud.api.update(svc)
    cloud.settle()
    svc = cloud.api.get("Service", "default", "web-lb")
    assert svc["status"] == {"loadBalancer": {}}
    assert FINALIZER not in (svc["metadata"].get("finalizers") or [])
    assert ("Normal", "Type", "LoadBalancer -> NodePort", "service-controller") in reasons(cloud, "web-lb")


def test_pool_exhausted(cloud):
    """The 12th LoadBalancer Service finds no free address: SyncLoadBalancerFailed, still <pending>."""
    for i in range(12):
        cloud.kubectl(["create", "-f", "-"], stdin=LB.format(name=f"lb{i:02d}"))
    cloud.settle()
    last = cloud.api.get("Service", "default", "lb11")
    assert last["status"] == {"loadBalancer": {}}
    assert ("Warning", "SyncLoadBalancerFailed",
            "Error syncing load balancer: failed to ensure load balancer: no available IPs in the pool",
            "service-controller") in reasons(cloud, "lb11")
    ips = {cloud.api.get("Service", "default", f"lb{i:02d}")["status"]["loadBalancer"]["ingress"][0]["ip"]
           for i in range(11)}
    assert len(ips) == 11


def test_load_balancer_ip_from_a_pod_and_other_ports(cloud):
    """A pod reaches the external IP too (its node's kube-proxy takes it); another port is refused."""
    from k8scourse.apps.net import ConnectionRefused, http_get

    cloud.kubectl("create deployment web --image=nginx --replicas=2")
    cloud.kubectl(["create", "-f", "-"], stdin=LB.format(name="web-lb"))
    cloud.kubectl("run bb --image=busybox -- sleep 3600")
    cloud.settle()
    net = cloud.network.pod_sandbox("default", "bb").net
    assert http_get(net, "http://192.168.56.240/").served_by.startswith("web-")
    assert cloud.network.requests[-1].client == "default/bb"
    from k8scourse.network.laptop import LaptopNet

    with pytest.raises(ConnectionRefused):
        LaptopNet(cloud.network).connect("192.168.56.240", 8080)
