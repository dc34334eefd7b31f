"""The network tools run inside a pod (what `kubectl exec` runs): nslookup, wget, ping, redis-cli
over the pod's network, and BusyBox nslookup's text when no DNS server answers."""

from k8scourse.network import tools
from tests.network.test_sandbox import ctx_of


def test_nslookup_service(cluster):
    """nslookup web from a busybox pod: the server 10.96.0.10 and the Service's FQDN and ClusterIP."""
    ip = cluster.get("Service", "web").spec["clusterIP"]
    assert tools.run(ctx_of(cluster, "bb"), ["nslookup", "web"]) == (
        0, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
           f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}\n\n", "")


def test_nslookup_times_out_without_coredns(cluster):
    """No CoreDNS pod: `;; connection timed out; no servers could be reached`, status 1."""
    cluster.kubectl("scale deployment coredns -n kube-system --replicas=0")
    cluster.settle()
    assert tools.run(ctx_of(cluster, "bb"), ["nslookup", "web"]) == (
        1, ";; connection timed out; no servers could be reached\n\n", "")


def test_wget_through_the_service_name(cluster):
    """wget -qO- http://web prints nginx's page."""
    code, out, err = tools.run(ctx_of(cluster, "bb"), ["wget", "-qO-", "http://web"])
    assert code == 0 and "<title>Welcome to nginx!</title>" in out and err == ""


def test_wget_unknown_name(cluster):
    """A name CoreDNS does not know: BusyBox wget's `bad address`."""
    assert tools.run(ctx_of(cluster, "bb"), ["wget", "-qO-", "http://wbe"]) == (
        1, "", "wget: bad address 'wbe'\n")


def test_wget_service_without_endpoints(cluster):
    """A Service whose selector matches nothing: connection refused at its ClusterIP."""
    cluster.kubectl("create service clusterip typo --tcp=80:80")
    cluster.settle()
    ip = cluster.get("Service", "typo").spec["clusterIP"]
    assert tools.run(ctx_of(cluster, "bb"), ["wget", "-qO-", "http://typo"]) == (
        1, "", f"wget: can't connect to remote host ({ip}): Connection refused\n")


def test_ping_a_cluster_ip_gets_no_reply(cluster):
    """ping web resolves the name but the ClusterIP never answers: 100% packet loss, status 1."""
    code, out, _ = tools.run(ctx_of(cluster, "bb"), ["ping", "-c", "2", "web"])
    ip = cluster.get("Service", "web").spec["clusterIP"]
    assert code == 1
    assert out == (f"PING web ({ip}): 56 data bytes\n\n--- web ping statistics ---\n"
                   "2 packets transmitted, 0 packets received, 100% packet loss\n")


def test_redis_cli_through_a_service(cluster):
    """redis-cli -h redis ping, from a redis pod to another behind a Service: PONG."""
    cluster.kubectl("run redis --image=redis --labels=app=redis")
    cluster.kubectl("expose pod redis --port=6379")
    cluster.kubectl("run client --image=redis")
    cluster.settle()
    assert tools.run(ctx_of(cluster, "client"), ["redis-cli", "-h", "redis", "ping"]) == (0, "PONG\n", "")


def test_not_a_network_tool(cluster):
    """Other commands are left to the kubelet's shell (None)."""
    assert tools.run(ctx_of(cluster, "bb"), ["cat", "/etc/hosts"]) is None
    assert tools.run(ctx_of(cluster, "bb"), []) is None


def test_tool_the_image_lacks(cluster):
    """busybox has no curl: None, so the runtime reports `executable file not found`."""
    assert tools.run(ctx_of(cluster, "bb"), ["curl", "http://web"]) is None


def test_shell_command_uses_the_shells_container(cluster):
    """The kubelet-shell hook runs the tool in the shell's container; without one, `not found`."""

    class FakeShell:
        def __init__(self, ctx):
            self.ctx = ctx

        def not_found(self, name):
            return f"sh: {name}: not found"

    code, out, _ = tools.shell_command(FakeShell(ctx_of(cluster, "bb")), ["wget", "-qO-", "http://web"])
    assert code == 0 and "Welcome to nginx!" in out
    assert tools.shell_command(FakeShell(None), ["wget", "http://web"]) == (127, "", "sh: wget: not found\n")
