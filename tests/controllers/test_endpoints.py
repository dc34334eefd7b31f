"""The endpoints controller: the ready pods behind a Service, as Endpoints."""

from __future__ import annotations

from k8scourse.controllers.endpoints import repack_subsets
from tests.controllers.conftest import Harness, bare_pod, replicaset


def service(name="web", selector=None, ports=None, **spec) -> dict:
    body = {"ports": ports or [{"port": 80, "targetPort": 8080}]}
    if selector is not False:
        body["selector"] = selector or {"tier": "web"}
    body.update(spec)
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "shop"}},
            "spec": body}


def addresses(h: Harness, name="web", field="addresses") -> list[str]:
    ep = h.get("Endpoints", name)
    return [a["ip"] for s in ep.get("subsets") or () for a in s.get(field) or ()]


def test_addresses_sorted_by_ip_string():
    """Addresses are sorted as strings, so 10.244.1.10 comes before 10.244.1.2."""
    h = Harness(nodes=("node01",))
    h.api.create(replicaset("web", 10))
    h.api.create(service())
    h.settle()
    assert addresses(h) == ["10.244.1.10", "10.244.1.11", "10.244.1.2", "10.244.1.3",
                            "10.244.1.4", "10.244.1.5", "10.244.1.6", "10.244.1.7",
                            "10.244.1.8", "10.244.1.9"]
    subsets = h.get("Endpoints", "web")["subsets"]
    assert len(subsets) == 1 and subsets[0]["ports"] == [{"port": 8080, "protocol": "TCP"}]


def test_endpoints_object_shape():
    """Labels copied from the Service; addresses carry nodeName and a targetRef to the pod; the
    first write is annotated with the Service's creation time."""
    h = Harness(nodes=("node01",))
    h.api.create(bare_pod("web-1", {"tier": "web"}))
    h.settle()
    h.api.create(service())
    h.settle()
    ep = h.get("Endpoints", "web")
    svc = h.get("Service", "web")
    pod = h.get("Pod", "web-1")
    assert ep["metadata"]["labels"] == {"app": "shop"}
    assert ep["metadata"]["annotations"] == {
        "endpoints.kubernetes.io/last-change-trigger-time": svc["metadata"]["creationTimestamp"]}
    assert ep["subsets"] == [{
        "addresses": [{"ip": "10.244.1.2", "nodeName": "node01",
                       "targetRef": {"kind": "Pod", "namespace": "default", "name": "web-1",
                                     "uid": pod["metadata"]["uid"]}}],
        "ports": [{"port": 8080, "protocol": "TCP"}]}]


def test_endpoints_follow_readiness():
    """A pod that stops being ready moves to notReadyAddresses, and back when ready again."""
    h = Harness(nodes=("node01",))
    for i in range(3):
        h.api.create(bare_pod(f"web-{i}", {"tier": "web"}))
    h.api.create(service())
    h.settle()
    assert addresses(h) == ["10.244.1.2", "10.244.1.3", "10.244.1.4"]
    h.advance(5)
    h.kubelet.set_ready("default", "web-1", False)
    h.settle()
    assert addresses(h) == ["10.244.1.2", "10.244.1.4"]
    assert addresses(h, field="notReadyAddresses") == ["10.244.1.3"]
    ep = h.get("Endpoints", "web")
    pod = h.get("Pod", "web-1")
    ready_change = [c for c in pod["status"]["conditions"] if c["type"] == "Ready"][0]
    assert ep["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"] == \
        ready_change["lastTransitionTime"]
    h.kubelet.set_ready("default", "web-1", True)
    h.settle()
    assert addresses(h) == ["10.244.1.2", "10.244.1.3", "10.244.1.4"]
    assert any("Service web now has 2 ready endpoint(s) and 1 not ready" in d
               for d in h.decisions("endpoint-controller"))


def test_publish_not_ready_addresses():
    """publishNotReadyAddresses lists not-ready pods among the addresses."""
    h = Harness(nodes=("node01",))
    h.api.create(bare_pod("sick", {"tier": "web", "test/not-ready": "1"}))
    h.api.create(service(publishNotReadyAddresses=True))
    h.settle()
    assert addresses(h) == ["10.244.1.2"]


def test_pods_without_ip_and_terminating_pods_are_left_out():
    """An unscheduled pod (no IP) is not listed; a terminating pod leaves at once."""
    h = Harness(nodes=("node01",))
    h.api.create(bare_pod("waiting", {"tier": "web", "test/unschedulable": "1"}))
    h.api.create(bare_pod("web-1", {"tier": "web"}))
    h.api.create(bare_pod("web-2", {"tier": "web"}))
    h.api.create(service())
    h.settle()
    assert addresses(h) == ["10.244.1.2", "10.244.1.3"]
    h.kubelet.stop_delay = 30
    h.api.delete("Pod", "default", "web-1")
    h.advance(1)
    assert h.get("Pod", "web-1")["metadata"]["deletionTimestamp"]
    assert addresses(h) == ["10.244.1.3"]
    assert addresses(h, field="notReadyAddresses") == []
    h.settle()


def test_named_target_port_resolves_per_pod():
    """A named targetPort takes each pod's container port of that name; pods with different
    numbers land in separate subsets; pods without the name are left out."""
    h = Harness(nodes=("node01",))
    for name, port in (("a", 8080), ("b", 9090), ("c", None)):
        pod = bare_pod(name, {"tier": "web"})
        if port:
            pod["spec"]["containers"][0]["ports"] = [{"name": "http", "containerPort": port}]
        h.api.create(pod)
    h.api.create(service(ports=[{"name": "web", "port": 80, "targetPort": "http"}]))
    h.settle()
    subsets = h.get("Endpoints", "web")["subsets"]
    got = sorted((s["addresses"][0]["targetRef"]["name"], s["ports"]) for s in subsets)
    assert got == [("a", [{"name": "web", "port": 8080, "protocol": "TCP"}]),
                   ("b", [{"name": "web", "port": 9090, "protocol": "TCP"}])]


def test_selector_matching_nothing_gives_empty_endpoints():
    """A selector that matches no pod: the Endpoints object exists with no subsets."""
    h = Harness(nodes=("node01",))
    h.api.create(service(selector={"tier": "nothing"}))
    h.settle()
    ep = h.get("Endpoints", "web")
    assert ep is not None and "subsets" not in ep


def test_service_without_selector_is_left_alone():
    """No selector: the controller neither creates nor changes the Endpoints."""
    h = Harness(nodes=("node01",))
    h.api.create(service(selector=False))
    h.settle()
    assert h.get("Endpoints", "web") is None
    manual = {"apiVersion": "v1", "kind": "Endpoints",
              "metadata": {"name": "web", "namespace": "default"},
              "subsets": [{"addresses": [{"ip": "192.168.1.50"}], "ports": [{"port": 5432}]}]}
    h.api.create(manual)
    h.api.create(bare_pod("web-1", {"tier": "web"}))
    h.settle()
    assert addresses(h) == ["192.168.1.50"]


def test_service_deleted_deletes_endpoints():
    """Deleting the Service deletes its Endpoints."""
    h = Harness(nodes=("node01",))
    h.api.create(bare_pod("web-1", {"tier": "web"}))
    h.api.create(service())
    h.settle()
    assert h.get("Endpoints", "web") is not None
    h.api.delete("Service", "default", "web")
    h.settle()
    assert h.get("Endpoints", "web") is None


def test_headless_service_label_and_portless():
    """A headless Service's Endpoints carry service.kubernetes.io/headless; without ports the
    addresses are listed with no ports."""
    h = Harness(nodes=("node01",))
    h.api.create(bare_pod("db-0", {"tier": "web"}))
    svc = service(clusterIP="None")
    del svc["spec"]["ports"]
    h.api.create(svc)
    h.settle()
    ep = h.get("Endpoints", "web")
    assert ep["metadata"]["labels"] == {"app": "shop", "service.kubernetes.io/headless": ""}
    assert ep["subsets"] == [{"addresses": [ep["subsets"][0]["addresses"][0]]}]


def test_relabelled_pod_leaves_the_endpoints():
    """A pod whose labels stop matching leaves; one that starts matching joins."""
    h = Harness(nodes=("node01",))
    h.api.create(bare_pod("web-1", {"tier": "web"}))
    h.api.create(bare_pod("other", {"tier": "db"}))
    h.api.create(service())
    h.settle()
    assert addresses(h) == ["10.244.1.2"]
    for name, tier in (("web-1", "db"), ("other", "web")):
        pod = h.api.get("Pod", "default", name)
        pod["metadata"]["labels"] = {"tier": tier}
        h.api.update(pod)
    h.settle()
    assert addresses(h) == ["10.244.1.3"]


def test_over_capacity_truncates_to_1000():
    """More than 1000 addresses: 1000 are kept and the object is marked over-capacity."""
    h = Harness(nodes=("node01", "node02", "node03", "node04", "node05"),
                controllers=("rs", "ep"))
    h.trace.enabled = False
    h.api.create(replicaset("web", 1100))
    h.api.create(service())
    h.settle()
    ep = h.get("Endpoints", "web")
    assert ep["metadata"]["annotations"]["endpoints.kubernetes.io/over-capacity"] == "truncated"
    assert len(addresses(h)) == 1000


def test_repack_groups_addresses_by_ports():
    """RepackSubsets: an address offering two ports and one offering only the first make two
    subsets; ready and not-ready addresses of the same ports share one subset."""
    p80 = {"port": 80, "protocol": "TCP"}
    p81 = {"port": 81, "protocol": "TCP"}
    k80, k81 = ("80", p80), ("81", p81)
    a = {"ip": "10.0.0.1", "targetRef": {"uid": "a"}}
    b = {"ip": "10.0.0.2", "targetRef": {"uid": "b"}}
    c = {"ip": "10.0.0.3", "targetRef": {"uid": "c"}}
    subsets = repack_subsets([(("10.0.0.1", "a"), a, True, (k80, k81)),
                              (("10.0.0.2", "b"), b, False, (k80, k81)),
                              (("10.0.0.3", "c"), c, True, (k80,))])
    assert len(subsets) == 2
    by_ports = {tuple(p["port"] for p in s["ports"]): s for s in subsets}
    assert by_ports[(80,)] == {"addresses": [a, c], "notReadyAddresses": [b], "ports": [p80]}
    assert by_ports[(81,)] == {"addresses": [a], "notReadyAddresses": [b], "ports": [p81]}


def test_in_a_real_cluster_kube_dns_lists_the_coredns_pods(real_cluster):
    """kube-dns's Endpoints hold the CoreDNS pods' IPs on ports 53/UDP, 53/TCP and 9153/TCP."""
    pods = real_cluster.pods("kube-system", selector={"k8s-app": "kube-dns"})
    ep = real_cluster.get("Endpoints", "kube-dns", "kube-system")
    ips = sorted(a["ip"] for s in ep.raw["subsets"] for a in s.get("addresses") or ())
    assert ips == sorted(p.status["podIP"] for p in pods) and len(ips) == 2
    ports = {(p["port"], p["protocol"]) for s in ep.raw["subsets"] for p in s["ports"]}
    assert ports == {(53, "UDP"), (53, "TCP"), (9153, "TCP")}
