"""What a container sees: its /etc files, its environment, and names resolved as a pod's resolver
does (search list, ndots:5, CoreDNS, /etc/hosts first)."""

from k8scourse.network import Client
from tests.network.conftest import net_of, pod_ip, web_pods


def ctx_of(c, name, ns="default"):
    """The kubelet's ContainerContext of the pod's first running container."""
    node = c.get("Pod", name, ns).spec["nodeName"]
    return c.kubelets[node].container_process(ns, name).ctx


def test_resolv_conf_of_a_pod(cluster):
    """nameserver 10.96.0.10, the namespace's search list, ndots:5 (containerd writes search first)."""
    sb = cluster.network.sandbox(ctx_of(cluster, "bb"))
    assert sb.files["/etc/resolv.conf"] == ("search default.svc.cluster.local svc.cluster.local cluster.local\n"
                                            "nameserver 10.96.0.10\n"
                                            "options ndots:5\n")
    assert sb.resolv_conf() == {"nameserver": "10.96.0.10", "ndots": 5,
                                "search": ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"]}


def test_hosts_and_hostname_of_a_pod(cluster):
    """/etc/hosts ends with the pod IP and name; the hostname is the pod name."""
    sb = cluster.network.sandbox(ctx_of(cluster, "bb"))
    ip = pod_ip(cluster, "bb")
    assert sb.files["/etc/hosts"].startswith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
    assert sb.files["/etc/hosts"].endswith(f"fe00::2\tip6-allrouters\n{ip}\tbb\n")
    assert (sb.hostname, sb.ip, sb.files["/etc/hostname"]) == ("bb", ip, "bb\n")


def test_service_variables_only_for_services_that_existed(cluster):
    """A container's env has WEB_SERVICE_HOST (web existed when bb started), not a later Service's."""
    cluster.kubectl("create service clusterip later --tcp=5678:8080")
    cluster.settle()
    env = cluster.network.sandbox(ctx_of(cluster, "bb")).env
    web_ip = cluster.get("Service", "web").spec["clusterIP"]
    assert env["WEB_SERVICE_HOST"] == web_ip
    assert env["WEB_SERVICE_PORT"] == "80" and env["WEB_SERVICE_PORT_HTTP"] == "80"
    assert env["WEB_PORT"] == f"tcp://{web_ip}:80"
    assert env["WEB_PORT_80_TCP_ADDR"] == web_ip and env["WEB_PORT_80_TCP_PROTO"] == "tcp"
    assert env["KUBERNETES_SERVICE_HOST"] == "10.96.0.1" and env["KUBERNETES_SERVICE_PORT"] == "443"
    assert not any(k.startswith("LATER_") for k in env)


def test_short_name_resolves_in_the_same_namespace(cluster):
    """`web` from a pod of `default` is web.default.svc.cluster.local: the ClusterIP."""
    ip = cluster.get("Service", "web").spec["clusterIP"]
    net = net_of(cluster, "bb")
    for name in ("web", "web.default", "web.default.svc", "web.default.svc.cluster.local",
                 "web.default.svc.cluster.local."):
        assert net.resolve(name) == ip, name


def test_other_namespace_needs_the_namespace_in_the_name(cluster):
    """From namespace prod, `web` does not resolve; `web.default` does."""
    cluster.kubectl("create namespace prod")
    cluster.kubectl("run probe -n prod --image=nginx")
    cluster.settle()
    net = net_of(cluster, "probe", ns="prod")
    assert net.resolve("web") is None
    assert net.resolve("web.default") == cluster.get("Service", "web").spec["clusterIP"]


def test_pod_a_record(cluster):
    """10-244-x-y.default.pod.cluster.local resolves to that pod IP."""
    ip = web_pods(cluster)[0].status["podIP"]
    assert net_of(cluster, "bb").resolve(ip.replace(".", "-") + ".default.pod") == ip


def test_headless_service_resolves_to_pods(cluster):
    """A headless Service's name gives the ready pods' IPs."""
    cluster.kubectl(["create", "-f", "-"], stdin="""apiVersion: v1
kind: Service
metadata:
  name: web-headless
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
""")
    cluster.settle()
    ips = sorted(p.status["podIP"] for p in web_pods(cluster))
    net = net_of(cluster, "bb")
    ans = net.lookup("web-headless.default.svc.cluster.local")
    assert sorted(ans.ips) == ips
    assert net.resolve("web-headless") in ips


def test_hosts_file_comes_before_dns(cluster):
    """hostAliases in /etc/hosts win over DNS, as getaddrinfo reads files first."""
    cluster.kubectl(["create", "-f", "-"], stdin="""apiVersion: v1
kind: Pod
metadata:
  name: aliased
spec:
  hostAliases:
  - ip: 10.1.2.3
    hostnames: [web, foo.remote]
  containers:
  - name: nginx
    image: nginx
""")
    cluster.settle()
    net = net_of(cluster, "aliased")
    assert net.resolve("web") == "10.1.2.3"
    assert net.resolve("foo.remote") == "10.1.2.3"
    assert net.resolve("aliased") == pod_ip(cluster, "aliased")


def test_dns_policy_default_does_not_know_services(cluster):
    """dnsPolicy: Default uses the node's resolver, which knows nothing of cluster names."""
    cluster.kubectl(["create", "-f", "-"], stdin="""apiVersion: v1
kind: Pod
metadata:
  name: plain
spec:
  dnsPolicy: Default
  containers:
  - name: nginx
    image: nginx
""")
    cluster.settle()
    sb = cluster.network.sandbox(ctx_of(cluster, "plain"))
    assert sb.files["/etc/resolv.conf"] == "nameserver 10.0.2.3\n"
    assert sb.net.resolve("web") is None


def test_no_coredns_pod_no_answers(cluster):
    """CoreDNS scaled to 0: the DNS server does not answer, names do not resolve."""
    cluster.kubectl("scale deployment coredns -n kube-system --replicas=0")
    cluster.settle()
    net = net_of(cluster, "bb")
    assert not net.dns_reachable()
    assert net.resolve("web") is None
    assert net.resolve(web_pods(cluster)[0].status["podIP"]) == web_pods(cluster)[0].status["podIP"]


def test_dns_query_to_a_coredns_pod_ip(cluster):
    """Asking a CoreDNS pod directly (nslookup web <pod IP>) works like asking 10.96.0.10."""
    dns_pod = cluster.pods("kube-system", selector={"k8s-app": "kube-dns"})[0]
    client = Client("pod", pod_ip(cluster, "bb"), "default/bb", "node01")
    ans = cluster.network.dns_query(client, dns_pod.status["podIP"], "web.default.svc.cluster.local")
    assert ans.ips == [cluster.get("Service", "web").spec["clusterIP"]]
    assert ans.server == dns_pod.status["podIP"]
