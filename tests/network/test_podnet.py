"""The pod network: pod to pod without NAT, Services through kube-proxy, node ports on every node,
the failures a real cluster gives, and the record of who answered each request."""

from collections import Counter

import pytest

from k8scourse import Cluster
from k8scourse.apps.net import ConnectionRefused, HostUnreachable, Timeout, http_get
from k8scourse.network import Client
from tests.network.conftest import deploy_web, net_of, pod_ip, web_pods, with_network


def test_each_node_has_a_flannel_pod_cidr(cluster):
    """Nodes own 10.244.N.0/24 ranges and each pod's IP is in its node's range."""
    cidrs = {n.name: n.spec["podCIDR"] for n in cluster.nodes()}
    assert sorted(cidrs.values()) == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    for p in web_pods(cluster):
        prefix = cidrs[p.spec["nodeName"]].rsplit(".", 2)[0]
        assert p.status["podIP"].startswith(prefix + ".")


def test_pod_reaches_pod_by_ip_without_nat(cluster):
    """bb fetches the page from each web pod by IP; nginx logs bb's own pod IP as the client."""
    net = net_of(cluster, "bb")
    bb_ip = pod_ip(cluster, "bb")
    for p in web_pods(cluster):
        resp = http_get(net, f"http://{p.status['podIP']}/")
        assert resp.status == 200 and resp.served_by == p.name
        log = cluster.kubectl(f"logs {p.name}").stdout.splitlines()[-1]
        assert log.startswith(f"{bb_ip} - - [")


def test_port_nobody_listens_on_is_refused(cluster):
    """A running pod with nothing on the port: Connection refused."""
    ip = web_pods(cluster)[0].status["podIP"]
    with pytest.raises(ConnectionRefused):
        net_of(cluster, "bb").connect(ip, 8080)
    rec = cluster.network.requests[-1]
    assert (rec.via, rec.ok, rec.error, rec.port) == ("PodIP", False, "Connection refused", 8080)


def test_address_of_a_deleted_pod_has_no_route(cluster):
    """Once a pod is gone its IP answers nothing: No route to host."""
    victim = web_pods(cluster)[0]
    ip = victim.status["podIP"]
    cluster.kubectl(f"delete pod {victim.name}")
    cluster.settle()
    assert cluster.network.pod_at(ip) is None
    with pytest.raises(HostUnreachable):
        net_of(cluster, "bb").connect(ip, 80)
    assert not net_of(cluster, "bb").ping("10.244.1.250")
    with pytest.raises(HostUnreachable):
        net_of(cluster, "bb").connect("10.244.1.250", 80)


def test_pod_on_a_failed_node_times_out(cluster):
    """The machine of a pod stopped: the packets are lost, the connection times out."""
    target = next(p for p in web_pods(cluster) if p.spec["nodeName"] != cluster.get("Pod", "bb").spec["nodeName"])
    cluster.fail_node(target.spec["nodeName"])
    with pytest.raises(Timeout):
        net_of(cluster, "bb").connect(target.status["podIP"], 80)


def test_cluster_ip_spreads_over_the_endpoints(cluster):
    """Requests to the ClusterIP reach every ready web pod, each roughly a third of the time."""
    svc_ip = cluster.get("Service", "web").spec["clusterIP"]
    net = net_of(cluster, "bb")
    served = Counter(http_get(net, f"http://{svc_ip}/").served_by for _ in range(300))
    assert set(served) == {p.name for p in web_pods(cluster)}
    assert all(60 < n < 140 for n in served.values()), served
    rec = cluster.network.requests[-1]
    assert (rec.client, rec.via, rec.address, rec.service, rec.port, rec.ok) == (
        "default/bb", "ClusterIP", f"{svc_ip}:80", "default/web:http", 80, True)
    assert rec.pod.startswith("default/web-") and rec.node in ("node01", "node02")


def test_service_port_the_service_lacks_times_out(cluster):
    """ClusterIP on a port that is not a port of the Service: no rule, a timeout."""
    svc_ip = cluster.get("Service", "web").spec["clusterIP"]
    with pytest.raises(Timeout):
        net_of(cluster, "bb").connect(svc_ip, 8080)


def test_service_without_endpoints_refuses(cluster):
    """A selector that matches no pod: the Service exists but connections are refused (REJECT)."""
    cluster.kubectl("create service clusterip typo --tcp=80:80")
    cluster.settle()
    ip = cluster.get("Service", "typo").spec["clusterIP"]
    with pytest.raises(ConnectionRefused):
        net_of(cluster, "bb").connect(ip, 80)
    rec = cluster.network.requests[-1]
    assert (rec.via, rec.service, rec.pod, rec.error) == ("ClusterIP", "default/typo:80-80", "", "Connection refused")


def test_node_port_on_every_node_control_plane_included(cluster):
    """<any node IP>:30080 reaches the web pods, even on the control plane that runs none of them."""
    from k8scourse.network.laptop import LaptopNet

    net = LaptopNet(cluster.network)
    for node_ip in ("192.168.56.10", "192.168.56.11", "192.168.56.12"):
        resp = http_get(net, f"http://{node_ip}:30080/")
        assert resp.status == 200 and resp.served_by.startswith("web-")
        rec = cluster.network.requests[-1]
        assert (rec.client, rec.client_ip, rec.via, rec.service) == (
            "laptop", "192.168.56.1", "NodePort", "default/web:http")


def test_node_port_source_is_the_entry_node(cluster):
    """Through a NodePort the pod sees the entry node's cni0 (pod on that node) or flannel.1 address."""
    from k8scourse.network.laptop import LaptopNet

    net = LaptopNet(cluster.network)
    seen = set()
    for _ in range(40):
        resp = http_get(net, "http://192.168.56.11:30080/")
        pod = cluster.get("Pod", resp.served_by)
        line = cluster.kubectl(f"logs {pod.name}").stdout.splitlines()[-1]
        expected = "10.244.1.1" if pod.spec["nodeName"] == "node01" else "10.244.1.0"
        assert line.startswith(expected + " - - ["), line
        seen.add(expected)
    assert seen == {"10.244.1.1", "10.244.1.0"}


def test_external_traffic_policy_local_keeps_client_ip(cluster):
    """externalTrafficPolicy Local: only local endpoints, the client IP is kept; none local: timeout."""
    svc = cluster.api.get("Service", "default", "web")
    svc["spec"]["externalTrafficPolicy"] = "Local"
    cluster.api.update(svc)
    from k8scourse.network.laptop import LaptopNet

    net = LaptopNet(cluster.network)
    nodes = {p.spec["nodeName"] for p in web_pods(cluster)}
    for node, ip in (("node01", "192.168.56.11"), ("node02", "192.168.56.12")):
        if node in nodes:
            resp = http_get(net, f"http://{ip}:30080/")
            assert cluster.get("Pod", resp.served_by).spec["nodeName"] == node
            line = cluster.kubectl(f"logs {resp.served_by}").stdout.splitlines()[-1]
            assert line.startswith("192.168.56.1 - - [")
    with pytest.raises(Timeout):
        net.connect("192.168.56.10", 30080)


def test_laptop_cannot_reach_cluster_ips_or_pod_ips(cluster):
    """ClusterIPs and pod IPs are not routed outside the cluster: the laptop times out."""
    from k8scourse.network.laptop import LaptopNet

    net = LaptopNet(cluster.network)
    with pytest.raises(Timeout):
        net.connect(cluster.get("Service", "web").spec["clusterIP"], 80)
    with pytest.raises(Timeout):
        net.connect(web_pods(cluster)[0].status["podIP"], 80)
    with pytest.raises(ConnectionRefused):
        net.connect("192.168.56.11", 8080)          # a node, but nothing there
    with pytest.raises(HostUnreachable):
        net.connect("192.168.56.99", 80)            # nobody on the LAN has that address


def test_cluster_ip_does_not_answer_ping(cluster):
    """ping: pods and nodes answer, a ClusterIP never does."""
    net = net_of(cluster, "bb")
    assert net.ping(web_pods(cluster)[0].status["podIP"])
    assert net.ping("192.168.56.10")
    assert not net.ping(cluster.get("Service", "web").spec["clusterIP"])


def test_hairpin_through_own_service(cluster):
    """A pod reaching itself through its Service is seen from its node's bridge address."""
    p = web_pods(cluster)[0]
    net = net_of(cluster, p.name)
    svc_ip = cluster.get("Service", "web").spec["clusterIP"]
    for _ in range(30):
        resp = http_get(net, f"http://{svc_ip}/")
        if resp.served_by == p.name:
            line = cluster.kubectl(f"logs {p.name}").stdout.splitlines()[-1]
            gw = p.status["podIP"].rsplit(".", 1)[0] + ".1"
            assert line.startswith(gw + " - - [")
            return
    pytest.fail("the pod never answered itself")


def test_localhost_inside_a_pod(cluster):
    """127.0.0.1 is the pod's own network namespace: its own nginx answers, bb has nothing there."""
    p = web_pods(cluster)[0]
    assert http_get(net_of(cluster, p.name), "http://127.0.0.1/").served_by == p.name
    with pytest.raises(ConnectionRefused):
        net_of(cluster, "bb").connect("127.0.0.1", 80)


def test_node_reaches_pods_and_services(cluster):
    """From a node (or a hostNetwork pod) pods and ClusterIPs work; the pod sees cni0/flannel.1."""
    net = cluster.network.node_net("controlplane")
    resp = http_get(net, f"http://{cluster.get('Service', 'web').spec['clusterIP']}/")
    line = cluster.kubectl(f"logs {resp.served_by}").stdout.splitlines()[-1]
    assert line.startswith("10.244.0.0 - - [")
    assert net.resolve("web.default.svc.cluster.local") is None   # the node's resolver is not CoreDNS
    assert http_get(net, "http://192.168.56.10:30080/").served_by.startswith("web-")
    assert cluster.network.requests[-1].via == "NodePort"
    assert http_get(net, "http://127.0.0.1:30080/").served_by.startswith("web-")


def test_host_port(cluster):
    """A container's hostPort is reachable at its node's IP (the CNI portmap plugin)."""
    cluster.kubectl(["create", "-f", "-"], stdin="""apiVersion: v1
kind: Pod
metadata:
  name: hp
spec:
  nodeName: node02
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
      hostPort: 8080
""")
    cluster.settle()
    from k8scourse.network.laptop import LaptopNet

    resp = http_get(LaptopNet(cluster.network), "http://192.168.56.12:8080/")
    assert resp.served_by == "hp"
    assert cluster.network.requests[-1].via == "HostPort"


def test_requests_record_lists_connections(cluster):
    """network.requests keeps one record per connection with time, client, route and result."""
    n = len(cluster.network.requests)
    svc_ip = cluster.get("Service", "web").spec["clusterIP"]
    http_get(net_of(cluster, "bb"), f"http://{svc_ip}/")
    rec = cluster.network.requests[n]
    assert rec.time == cluster.now and rec.client_ip == pod_ip(cluster, "bb")
    assert str(rec).endswith(":80 ok") and "default/bb ->" in str(rec)
    assert cluster.network.requests_to("default/web")[-1] is rec


def test_dns_times_out_without_network_add_on():
    """kubeadm without a pod network: CoreDNS stays Pending, so DNS queries time out."""
    c = with_network(Cluster.kubeadm(workers=1, network=None))
    phases = {p.status.get("phase") for p in c.pods("kube-system", selector={"k8s-app": "kube-dns"})}
    assert phases == {"Pending"}
    client = Client("node", "192.168.56.11", "node01", "node01")
    assert not c.network.dns_reachable(client, "10.96.0.10")


def test_deploy_then_scale_to_zero_refuses(cluster):
    """Scaling the Deployment to 0 empties the Endpoints: the Service refuses at once."""
    cluster.kubectl("scale deployment web --replicas=0")
    cluster.settle()
    with pytest.raises(ConnectionRefused):
        net_of(cluster, "bb").connect(cluster.get("Service", "web").spec["clusterIP"], 80)
    said = [d.message for d in cluster.trace.decisions if d.component == "kube-proxy"]
    assert said[-1] == "Service web has no ready endpoint left: connections to it are refused"
    assert any(m.startswith("Service web: each new connection now goes to one of 3 ready endpoint(s), "
                            "picked at random (was ") for m in said)


def test_minikube_node_port():
    """On minikube the NodePort is at the node's 192.168.49.2; the laptop is 192.168.49.1."""
    c = with_network(Cluster.minikube())
    deploy_web(c, replicas=1)
    c.settle()
    from k8scourse.network.laptop import LaptopNet

    resp = http_get(LaptopNet(c.network), "http://192.168.49.2:30080/")
    assert resp.status == 200
    assert c.network.requests[-1].client_ip == "192.168.49.1"


def test_external_ips_work_from_inside_only(cluster):
    """spec.externalIPs: kube-proxy serves them to pods and nodes; the laptop gets no answer."""
    svc = cluster.api.get("Service", "default", "web")
    svc["spec"]["externalIPs"] = ["192.168.56.200"]
    cluster.api.update(svc)
    resp = http_get(net_of(cluster, "bb"), "http://192.168.56.200/")
    assert resp.served_by.startswith("web-")
    assert (cluster.network.requests[-1].via, cluster.network.requests[-1].service) == (
        "ExternalIP", "default/web:http")
    from k8scourse.network.laptop import LaptopNet

    with pytest.raises(HostUnreachable):
        LaptopNet(cluster.network).connect("192.168.56.200", 80)
