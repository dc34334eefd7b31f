"""Properties of the Service data path, over random clusters (hypothesis):

* Endpoints always list exactly the ready pods that match the Service's selector (the others that
  match, not ready, under notReadyAddresses);
* every request to a Service reaches an endpoint of that Service, and only a Service without
  ready endpoints refuses;
* no two Services share a clusterIP or a nodePort, and kube-proxy's tables point each address at
  its own Service.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8scourse import Cluster
from k8scourse.apiserver.server import APIServer
from k8scourse.apps.net import ConnectionRefused, NetError
from k8scourse.errors import Invalid, K8sError
from k8scourse.network import Client
from k8scourse.proxy.kubeproxy import KubeProxy
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand
from tests.network.conftest import with_network

LABELS = st.fixed_dictionaries({"app": st.sampled_from(["a", "b"]), "tier": st.sampled_from(["x", "y"])})
SELECTORS = st.dictionaries(st.sampled_from(["app", "tier"]), st.sampled_from(["a", "b", "x", "y"]),
                            min_size=1, max_size=2)

OPS = st.lists(st.one_of(
    st.tuples(st.just("pod"), st.integers(0, 5), LABELS, st.booleans()),
    st.tuples(st.just("delete-pod"), st.integers(0, 5)),
    st.tuples(st.just("label"), st.integers(0, 5), LABELS),
    st.tuples(st.just("svc"), st.integers(0, 2), SELECTORS, st.sampled_from(["ClusterIP", "NodePort"])),
    st.tuples(st.just("delete-svc"), st.integers(0, 2)),
), min_size=2, max_size=14)
#: Services every example ends with (a no-op when the ops already made one of that name)
FINAL = [("svc", 0, {"app": "a"}, "ClusterIP"), ("svc", 1, {"tier": "x"}, "NodePort")]


def make_pod(i, labels, ready):
    if ready:
        container = {"name": "web", "image": "nginx", "ports": [{"name": "http", "containerPort": 80}]}
    else:  # a readiness probe that never passes
        container = {"name": "web", "image": "busybox", "command": ["sleep", "3600"],
                     "ports": [{"name": "http", "containerPort": 80}],
                     "readinessProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 5}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}", "labels": dict(labels)},
            "spec": {"containers": [container]}}


def make_svc(j, selector, type_):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"s{j}"},
            "spec": {"type": type_, "selector": dict(selector),
                     "ports": [{"port": 80, "targetPort": "http"}]}}


def apply(c, op):
    api = c.api
    try:
        if op[0] == "pod":
            api.create(make_pod(op[1], op[2], op[3]))
        elif op[0] == "delete-pod":
            api.delete("Pod", "default", f"p{op[1]}", grace_period=0)
        elif op[0] == "label":
            pod = api.get_or_none("Pod", "default", f"p{op[1]}")
            if pod is not None:
                new = dict(pod)
                new["metadata"] = dict(pod["metadata"], labels=dict(op[2]))
                api.write(new, actor="test")
        elif op[0] == "svc":
            api.create(make_svc(op[1], op[2], op[3]))
        elif op[0] == "delete-svc":
            api.delete("Service", "default", f"s{op[1]}")
    except K8sError:
        pass   # already exists / not found: the op does nothing, as kubectl would fail
    c.advance(1.0)


def ready(pod):
    return any(cond.get("type") == "Ready" and cond.get("status") == "True"
               for cond in (pod.get("status") or {}).get("conditions") or ())


def matches(selector, pod):
    labels = pod["metadata"].get("labels") or {}
    return all(labels.get(k) == v for k, v in selector.items())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_endpoints_are_the_ready_matching_pods_and_requests_reach_only_them(ops):
    """After any sequence of pod/label/Service changes, Endpoints = ready matching pods, and
    every request through a Service lands on one of them (refused only when there is none)."""
    c = with_network(Cluster.kubeadm(workers=2, seed=5))
    for op in ops + FINAL:
        apply(c, op)
    c.settle()
    c.advance(20)                 # readiness probes have run
    pods = [p for p in c.api.store.list("Pod", "default") if (p.get("status") or {}).get("podIP")
            and not p["metadata"].get("deletionTimestamp")]
    client = Client("node", "192.168.56.10", "controlplane", "controlplane")
    for svc in c.api.store.list("Service", "default"):
        name = svc["metadata"]["name"]
        if name == "kubernetes":
            continue
        selector = svc["spec"]["selector"]
        want_ready = sorted(p["status"]["podIP"] for p in pods if matches(selector, p) and ready(p))
        want_not = sorted(p["status"]["podIP"] for p in pods if matches(selector, p) and not ready(p))
        ep = c.api.store.get("Endpoints", "default", name) or {}
        got_ready = sorted(a["ip"] for s in ep.get("subsets") or () for a in s.get("addresses") or ())
        got_not = sorted(a["ip"] for s in ep.get("subsets") or () for a in s.get("notReadyAddresses") or ())
        assert (got_ready, got_not) == (want_ready, want_not), name
        allowed = {f"default/{p['metadata']['name']}" for p in pods if matches(selector, p) and ready(p)}
        for _ in range(10):
            before = len(c.network.requests)
            try:
                c.network.connect(client, svc["spec"]["clusterIP"], 80)
            except ConnectionRefused:
                assert not allowed or c.network.requests[-1].pod in allowed
            except NetError:
                pass
            rec = c.network.requests[before]
            assert rec.service == f"default/{name}"
            if allowed:
                assert rec.pod in allowed
            else:
                assert (rec.pod, rec.error) == ("", "Connection refused")


SVC_OPS = st.lists(st.one_of(
    st.tuples(st.just("create"), st.integers(0, 9), st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"]),
              st.one_of(st.none(), st.integers(30000, 30010)),
              st.one_of(st.none(), st.sampled_from(["10.96.0.50", "10.96.0.51", "10.96.200.7"]))),
    st.tuples(st.just("delete"), st.integers(0, 9)),
), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(SVC_OPS)
def test_no_two_services_share_an_address(ops):
    """Whatever Services come and go (fixed or automatic clusterIPs and nodePorts), no clusterIP or
    nodePort belongs to two Services, and kube-proxy maps each one to its own Service."""
    class FC:
        seed = 0
        clock = Clock()
        rand = Rand(1)
        api = APIServer(clock, rand)

    proxy = KubeProxy(FC)
    api = FC.api
    for op in ops:
        if op[0] == "create":
            _, i, type_, node_port, ip = op
            port = {"port": 80}
            if node_port is not None and type_ != "ClusterIP":
                port["nodePort"] = node_port
            spec = {"type": type_, "selector": {"app": "x"}, "ports": [port]}
            if ip:
                spec["clusterIP"] = ip
            try:
                api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"s{i}"}, "spec": spec})
            except (Invalid, K8sError):
                pass
        else:
            try:
                api.delete("Service", "default", f"s{op[1]}")
            except K8sError:
                pass
    services = api.store.list("Service", None)
    ips = [s["spec"]["clusterIP"] for s in services]
    assert len(ips) == len(set(ips))
    node_ports = [p["nodePort"] for s in services for p in s["spec"]["ports"] if p.get("nodePort")]
    assert len(node_ports) == len(set(node_ports))
    for s in services:
        name = s["metadata"]["name"]
        assert proxy.cluster_ip_port(s["spec"]["clusterIP"], 80).service == name
        for p in s["spec"]["ports"]:
            if p.get("nodePort"):
                assert proxy.node_port(p["nodePort"]).service == name
    assert len(proxy.by_cluster_ip) == len(services)
