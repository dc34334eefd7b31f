"""CoreDNS's kubernetes plugin: which names answer, with what, and which are NXDOMAIN or NODATA."""

import pytest

from k8scourse.apiserver.server import APIServer
from k8scourse.dns.coredns import CnameAnswer, CoreDNS
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand


@pytest.fixture
def api():
    api = APIServer(Clock(), Rand(0))
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}})
    api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "prod"},
                "spec": {"clusterIP": "10.96.5.5", "selector": {"app": "web"}, "ports": [{"port": 80}]}})
    api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "prod"},
                "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}})
    api.create({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "db", "namespace": "prod"},
                "subsets": [{"addresses": [{"ip": "10.244.1.7", "hostname": "db-0"},
                                           {"ip": "10.244.2.4"}],
                             "notReadyAddresses": [{"ip": "10.244.2.9"}],
                             "ports": [{"port": 5432, "protocol": "TCP"}]}]})
    api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "empty", "namespace": "prod"},
                "spec": {"clusterIP": "None", "selector": {"app": "none"}, "ports": [{"port": 80}]}})
    api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext", "namespace": "prod"},
                "spec": {"type": "ExternalName", "externalName": "my.database.example.com"}})
    return api


@pytest.fixture
def dns(api):
    return CoreDNS(api.store)


def test_service_fqdn_is_its_cluster_ip(dns):
    """web.prod.svc.cluster.local -> the ClusterIP, authoritative, from 10.96.0.10."""
    ans = dns.query("web.prod.svc.cluster.local")
    assert (ans.name, ans.ips, ans.authoritative, ans.server) == (
        "web.prod.svc.cluster.local", ["10.96.5.5"], True, "10.96.0.10")


def test_trailing_dot_and_case_do_not_matter(dns):
    """DNS names are case-insensitive; the root dot is optional."""
    assert dns.query("WEB.Prod.svc.cluster.local.").ips == ["10.96.5.5"]


def test_short_names_are_not_in_the_zone(dns):
    """`web` or `web.prod` alone are NXDOMAIN: only the resolver's search list completes them."""
    assert dns.query("web") is None
    assert dns.query("web.prod") is None
    assert dns.query("web.prod.svc") is None


def test_missing_service_or_namespace_is_nxdomain(dns):
    """A Service or namespace that does not exist: NXDOMAIN."""
    assert dns.query("nope.prod.svc.cluster.local") is None
    assert dns.query("web.default.svc.cluster.local") is None
    assert dns.query("web.nons.svc.cluster.local") is None


def test_headless_service_answers_ready_pod_ips(dns):
    """A headless Service resolves to its ready endpoints only (not-ready ones are left out)."""
    ans = dns.query("db.prod.svc.cluster.local")
    assert sorted(ans.ips) == ["10.244.1.7", "10.244.2.4"]


def test_headless_answers_rotate(dns):
    """The loadbalance plugin rotates the order of several A records between answers."""
    first = dns.query("db.prod.svc.cluster.local").ips
    second = dns.query("db.prod.svc.cluster.local").ips
    assert first != second and sorted(first) == sorted(second)


def test_headless_without_endpoints_is_nxdomain(dns):
    """A headless Service with no ready endpoints has no record at all."""
    assert dns.query("empty.prod.svc.cluster.local") is None


def test_endpoint_hostname_records(dns):
    """db-0.db.prod.svc.cluster.local names one endpoint; an endpoint without hostname by its dashed IP."""
    assert dns.query("db-0.db.prod.svc.cluster.local").ips == ["10.244.1.7"]
    assert dns.query("10-244-2-4.db.prod.svc.cluster.local").ips == ["10.244.2.4"]
    assert dns.query("db-9.db.prod.svc.cluster.local") is None


def test_pod_a_record_from_dashed_ip(dns):
    """10-244-1-3.prod.pod.cluster.local -> 10.244.1.3 (pods insecure: not checked)."""
    assert dns.query("10-244-1-3.prod.pod.cluster.local").ips == ["10.244.1.3"]
    assert dns.query("10-244-1-3.nons.pod.cluster.local") is None
    assert dns.query("not-an-ip.prod.pod.cluster.local") is None


def test_external_name_is_a_cname(dns):
    """An ExternalName Service answers with a CNAME to spec.externalName."""
    ans = dns.query("ext.prod.svc.cluster.local")
    assert isinstance(ans, CnameAnswer)
    assert ans.cname == "my.database.example.com" and ans.ips == []


def test_zone_names_without_records_are_nodata(dns):
    """cluster.local, svc.cluster.local and <ns>.svc.cluster.local exist but hold no address."""
    for name in ("cluster.local", "svc.cluster.local", "prod.svc.cluster.local", "prod.pod.cluster.local"):
        ans = dns.query(name)
        assert ans is not None and ans.ips == [], name


def test_names_outside_the_zone_go_upstream(dns):
    """Other names are forwarded: unknown upstream -> NXDOMAIN; known -> non-authoritative."""
    assert dns.query("example.com") is None
    dns.upstream["example.com"] = ["93.184.215.14"]
    ans = dns.query("example.com")
    assert ans.ips == ["93.184.215.14"] and ans.authoritative is False


def test_kube_dns_and_kubernetes_on_a_cluster():
    """On a kubeadm cluster, kubernetes.default and kube-dns.kube-system resolve to their fixed IPs."""
    from k8scourse import Cluster

    c = Cluster.kubeadm(workers=1)
    dns = CoreDNS(c.api.store)
    assert dns.query("kubernetes.default.svc.cluster.local").ips == ["10.96.0.1"]
    assert dns.query("kube-dns.kube-system.svc.cluster.local").ips == ["10.96.0.10"]
