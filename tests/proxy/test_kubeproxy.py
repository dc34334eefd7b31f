"""kube-proxy's tables: which address and port lead to which Service port, and which endpoint a
connection gets (uniform random, ClientIP affinity, Local policies, no endpoints)."""

from collections import Counter

import pytest

from k8scourse.apiserver.server import APIServer
from k8scourse.proxy.kubeproxy import KubeProxy
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand


class FakeCluster:
    def __init__(self, seed=0):
        self.seed = seed
        self.clock = Clock()
        self.rand = Rand(seed)
        self.api = APIServer(self.clock, self.rand)


def service(name, ports, type_="ClusterIP", ip=None, **spec):
    s = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default"},
         "spec": {"type": type_, "selector": {"app": name}, "ports": ports, **spec}}
    if ip:
        s["spec"]["clusterIP"] = ip
    return s


def endpoints(name, addrs, ports, not_ready=()):
    subset = {"addresses": [{"ip": ip, "nodeName": node, "targetRef": {"kind": "Pod", "namespace": "default",
                                                                      "name": pod}}
                            for ip, node, pod in addrs],
              "ports": ports}
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": ip} for ip in not_ready]
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": "default"},
            "subsets": [subset]}


THREE = [("10.244.1.2", "node01", "web-a"), ("10.244.2.2", "node02", "web-b"), ("10.244.2.3", "node02", "web-c")]


@pytest.fixture
def fc():
    return FakeCluster()


@pytest.fixture
def web(fc):
    proxy = KubeProxy(fc)
    fc.api.create(service("web", [{"name": "http", "port": 80, "targetPort": "http"},
                                  {"name": "metrics", "port": 9100, "targetPort": 9100}],
                          type_="NodePort", ip="10.96.100.1"))
    fc.api.create(endpoints("web", THREE, [{"name": "http", "port": 8080, "protocol": "TCP"},
                                           {"name": "metrics", "port": 9100, "protocol": "TCP"}]))
    return proxy


def test_cluster_ip_port_maps_to_endpoint_ports(web):
    """ClusterIP:80 (named targetPort `http`) leads to the pods' port 8080; :9100 to 9100."""
    sp = web.cluster_ip_port("10.96.100.1", 80)
    assert sp.label == "default/web:http"
    assert [(b.ip, b.port, b.pod, b.node) for b in web.backends(sp)] == [
        ("10.244.1.2", 8080, "web-a", "node01"), ("10.244.2.2", 8080, "web-b", "node02"),
        ("10.244.2.3", 8080, "web-c", "node02")]
    assert {b.port for b in web.backends(web.cluster_ip_port("10.96.100.1", 9100))} == {9100}


def test_unknown_port_of_a_service_ip_has_no_rule(web):
    """A port the Service does not have matches no rule (but the address is known as a Service's)."""
    assert web.cluster_ip_port("10.96.100.1", 8080) is None
    assert web.service_ips["10.96.100.1"] == ("default", "web")


def test_node_ports_of_a_nodeport_service(fc, web):
    """Both ports of a NodePort Service get a node port that leads to the same Service port."""
    svc = fc.api.get("Service", "default", "web")
    for p in svc["spec"]["ports"]:
        assert web.node_port(p["nodePort"]).port_name == p["name"]
        assert 30000 <= p["nodePort"] <= 32767


def test_cluster_ip_service_has_no_node_port(fc):
    """A ClusterIP Service opens nothing on the nodes."""
    proxy = KubeProxy(fc)
    fc.api.create(service("db", [{"port": 5432}]))
    assert proxy.by_node_port == {}
    assert len(proxy.by_cluster_ip) == 1


def test_choice_is_uniform_random(web):
    """Over many connections each of 3 endpoints gets about a third (statistic random rules)."""
    sp = web.cluster_ip_port("10.96.100.1", 80)
    counts = Counter(web.pick(sp, "10.244.9.9").pod for _ in range(3000))
    assert set(counts) == {"web-a", "web-b", "web-c"}
    assert all(850 < n < 1150 for n in counts.values()), counts


def test_choice_repeats_under_the_seed():
    """Two clusters with the same seed send the same sequence of connections to the same pods."""
    runs = []
    for _ in range(2):
        fc = FakeCluster(seed=7)
        proxy = KubeProxy(fc)
        fc.api.create(service("web", [{"port": 80}], ip="10.96.100.1"))
        fc.api.create(endpoints("web", THREE, [{"port": 80, "protocol": "TCP"}]))
        sp = proxy.cluster_ip_port("10.96.100.1", 80)
        runs.append([proxy.pick(sp, "c").pod for _ in range(20)])
    assert runs[0] == runs[1]
    assert len(set(runs[0])) > 1


def test_no_endpoints_means_no_backend(fc):
    """A Service whose Endpoints list nobody (or only not-ready pods) has no backend: REJECT."""
    proxy = KubeProxy(fc)
    fc.api.create(service("web", [{"port": 80}], ip="10.96.100.1"))
    sp = proxy.cluster_ip_port("10.96.100.1", 80)
    assert proxy.pick(sp, "c") is None
    fc.api.create(endpoints("web", [], [{"port": 80, "protocol": "TCP"}], not_ready=["10.244.1.5"]))
    assert proxy.pick(sp, "c") is None


def test_endpoint_changes_are_seen(fc, web):
    """When the Endpoints change, the next connection uses the new list."""
    ep = fc.api.get("Endpoints", "default", "web")
    ep["subsets"][0]["addresses"] = ep["subsets"][0]["addresses"][:1]
    fc.api.update(ep)
    sp = web.cluster_ip_port("10.96.100.1", 80)
    assert {web.pick(sp, "c").pod for _ in range(30)} == {"web-a"}


def test_deleted_service_leaves_the_tables(fc, web):
    """Deleting the Service removes its ClusterIP and node ports from every table."""
    fc.api.delete("Service", "default", "web")
    assert web.by_cluster_ip == {} and web.by_node_port == {} and web.service_ips == {}


def test_session_affinity_client_ip(fc):
    """sessionAffinity ClientIP: a client keeps its endpoint; others are spread."""
    proxy = KubeProxy(fc)
    fc.api.create(service("web", [{"port": 80}], ip="10.96.100.1", sessionAffinity="ClientIP"))
    fc.api.create(endpoints("web", THREE, [{"port": 80, "protocol": "TCP"}]))
    sp = proxy.cluster_ip_port("10.96.100.1", 80)
    assert sp.affinity_timeout == 10800
    assert len({proxy.pick(sp, "10.244.1.9").pod for _ in range(50)}) == 1
    others = {proxy.pick(sp, f"10.244.1.{i}").pod for i in range(10, 60)}
    assert len(others) == 3


def test_session_affinity_expires(fc):
    """After timeoutSeconds without a connection the client may land elsewhere (a new choice)."""
    proxy = KubeProxy(fc)
    fc.api.create(service("web", [{"port": 80}], ip="10.96.100.1", sessionAffinity="ClientIP",
                          sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}}))
    fc.api.create(endpoints("web", THREE, [{"port": 80, "protocol": "TCP"}]))
    sp = proxy.cluster_ip_port("10.96.100.1", 80)
    seen = set()
    for _ in range(30):
        seen.add(proxy.pick(sp, "10.244.1.9").pod)
        fc.clock.run(fc.clock.now + 30)          # within the timeout: kept
    assert len(seen) == 1
    for _ in range(30):
        seen.add(proxy.pick(sp, "10.244.1.9").pod)
        fc.clock.run(fc.clock.now + 61)          # past the timeout: chosen again
    assert len(seen) > 1


def test_affinity_moves_when_the_endpoint_goes(fc):
    """A client pinned to an endpoint that is gone gets another one."""
    proxy = KubeProxy(fc)
    fc.api.create(service("web", [{"port": 80}], ip="10.96.100.1", sessionAffinity="ClientIP"))
    fc.api.create(endpoints("web", THREE, [{"port": 80, "protocol": "TCP"}]))
    sp = proxy.cluster_ip_port("10.96.100.1", 80)
    pinned = proxy.pick(sp, "c").pod
    ep = fc.api.get("Endpoints", "default", "web")
    ep["subsets"][0]["addresses"] = [a for a in ep["subsets"][0]["addresses"]
                                     if a["targetRef"]["name"] != pinned]
    fc.api.update(ep)
    sp = proxy.cluster_ip_port("10.96.100.1", 80)
    again = proxy.pick(sp, "c").pod
    assert again != pinned
    assert {proxy.pick(sp, "c").pod for _ in range(20)} == {again}


def test_local_policy_keeps_traffic_on_the_node(web):
    """With a Local policy only the endpoints on the receiving node count; none there: nothing."""
    sp = web.cluster_ip_port("10.96.100.1", 80)
    assert {web.pick(sp, "c", local_node="node02").node for _ in range(20)} == {"node02"}
    assert web.pick(sp, "c", local_node="controlplane") is None


def test_external_ips_and_load_balancer_ingress(fc):
    """externalIPs and the LoadBalancer's ingress IP lead to the Service port."""
    proxy = KubeProxy(fc)
    fc.api.create(service("lb", [{"port": 80}], type_="LoadBalancer", externalIPs=["192.168.56.200"]))
    assert proxy.external("192.168.56.200", 80).service == "lb"
    assert proxy.external("192.168.56.240", 80) is None
    fc.api.update_status("Service", "default", "lb",
                         {"loadBalancer": {"ingress": [{"ip": "192.168.56.240", "ipMode": "VIP"}]}},
                         actor="test")
    assert proxy.external("192.168.56.240", 80).service == "lb"
    assert proxy.node_port(fc.api.get("Service", "default", "lb")["spec"]["ports"][0]["nodePort"])


def test_existing_services_are_loaded(fc):
    """A kube-proxy started after Services exist programs them too."""
    fc.api.create(service("web", [{"port": 80}], ip="10.96.100.1"))
    proxy = KubeProxy(fc)
    assert proxy.cluster_ip_port("10.96.100.1", 80) is not None


def test_external_name_has_no_rules(fc):
    """An ExternalName Service is only a DNS alias: kube-proxy ignores it."""
    proxy = KubeProxy(fc)
    fc.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext", "namespace": "default"},
                   "spec": {"type": "ExternalName", "externalName": "db.example.com"}})
    assert proxy.by_cluster_ip == {} and proxy.ports_of("default", "ext") == []
