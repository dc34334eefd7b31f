"""The Service routing picture: nodePorts, ClusterIP and DNS name, endpoints, request counts."""

from __future__ import annotations

from types import SimpleNamespace

from tests.viz.conftest import FakeCluster, apply, deployment, kubeadm, save, service
from k8scourse.viz import draw_service, layout_problems
from k8scourse.viz.service import request_counts


def texts(ax) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_text()]


def web_cluster():
    c = kubeadm(2)
    apply(c, deployment("web", 3),
          service("web", {"app": "web"}, port=8080, target=80, node_port=30008))
    c.settle()
    return c


def test_nodeport_service_shows_each_node_port_and_the_cluster_names():
    """Every node's IP:nodePort, ClusterIP:port → targetPort, and the DNS name are written."""
    c = web_cluster()
    ip = c.api.store.get("Service", "default", "web")["spec"]["clusterIP"]
    words = texts(draw_service(c, name="web"))
    assert {"192.168.56.10:30008", "192.168.56.11:30008", "192.168.56.12:30008"} <= set(words)
    assert f"{ip}:8080 → targetPort 80" in words
    assert "DNS web.default.svc.cluster.local" in words
    assert "nodePort 30008 on every node" in words


def test_endpoints_are_the_pods_ip_and_target_port():
    """Each endpoint shows its pod IP with the targetPort and the node it runs on."""
    c = web_cluster()
    words = texts(draw_service(c, name="web"))
    for p in c.api.store.list("Pod", "default"):
        assert f"{p['status']['podIP']}:80 on {p['spec']['nodeName']}" in words


def test_selector_that_matches_nothing_is_explained():
    """A Service whose selector matches no pod says that requests will fail, and why."""
    c = web_cluster()
    apply(c, service("typo", {"app": "wbe"}))
    c.settle()
    ax = draw_service(c, name="typo")
    save(ax, "service-typo")
    joined = " ".join(texts(ax))
    assert "No endpoints: no ready pod matches the selector app=wbe." in joined
    assert layout_problems(ax.figure) == []


def test_counts_come_from_the_network_records():
    """Requests recorded through the Service are counted per pod that answered, and per node."""
    c = web_cluster()
    pods = [p["metadata"]["name"] for p in c.api.store.list("Pod", "default")]
    rec = lambda pod, ok=True, via="NodePort", address="192.168.56.11:30008": SimpleNamespace(
        pod=f"default/{pod}", ok=ok, via=via, address=address, error="" if ok else "refused")
    records = [rec(pods[0]), rec(pods[0]), rec(pods[1], address="192.168.56.12:30008"),
               rec(pods[2], ok=False)]
    c.network = SimpleNamespace(
        node_ips={"192.168.56.11": "node01", "192.168.56.12": "node02"},
        requests_to=lambda service, since=0.0: records if service == "default/web" else [])
    answered, failed, entered = request_counts(c, c.api.store.get("Service", "default", "web"))
    assert answered == {pods[0]: 2, pods[1]: 1}
    assert failed == {pods[2]: 1}
    assert entered == {"node01": 3, "node02": 1}
    ax = draw_service(c, name="web")
    words = texts(ax)
    assert "answered 2 requests" in words and "answered 1 request" in words
    assert "1 request failed here" in words
    assert layout_problems(ax.figure) == []


def test_explicit_counts_override_the_records():
    """Counts passed by the caller are what the picture shows."""
    c = web_cluster()
    pod = c.api.store.list("Pod", "default")[0]["metadata"]["name"]
    assert "answered 7 requests" in texts(draw_service(c, name="web", counts={pod: 7}))


def test_no_service_says_how_to_make_one():
    """Without any Service the picture says there is none yet."""
    c = FakeCluster()
    words = " ".join(texts(draw_service(c)))
    assert "No Service in namespace default yet" in words


def test_many_endpoints_are_listed_compactly():
    """Twenty endpoints: sixteen drawn, the rest counted, nothing overlapping."""
    c = kubeadm(2)
    apply(c, deployment("web", 20), service("web", {"app": "web"}))
    c.settle()
    ax = draw_service(c, name="web")
    assert "+ 4 more endpoints" in texts(ax)
    assert layout_problems(ax.figure) == []
