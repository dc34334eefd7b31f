"""curl on the learner's laptop: node ports answer, ClusterIPs and Service names do not."""

from k8scourse.network.laptop import browser_result, curl, http
from tests.network.conftest import web_pods


def test_curl_node_port(cluster):
    """curl http://<node>:30080/ prints nginx's page and nothing on stderr."""
    r = curl(cluster, "http://192.168.56.12:30080/")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.startswith("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>")


def test_curl_accepts_a_command_line(cluster):
    """`curl -i URL` (a leading `curl` is optional) prints the status line and headers first."""
    r = curl(cluster, "curl -i http://192.168.56.10:30080/")
    assert r.exit_code == 0
    assert r.stdout.startswith("HTTP/1.1 200 OK\r\nServer: nginx/")


def test_curl_port_without_node_port_is_refused(cluster):
    """Nothing on that port of the node: curl's exit 7 and its message."""
    r = curl(cluster, "http://192.168.56.11:30081/")
    assert (r.exit_code, r.stdout) == (7, "")
    assert r.stderr == ("curl: (7) Failed to connect to 192.168.56.11 port 30081 after 0 ms: "
                        "Couldn't connect to server\n")


def test_curl_cluster_ip_times_out(cluster):
    """The ClusterIP is not routed to the laptop: the connection times out (exit 28)."""
    ip = cluster.get("Service", "web").spec["clusterIP"]
    r = curl(cluster, f"http://{ip}/")
    assert r.exit_code == 28
    assert r.stderr.startswith(f"curl: (28) Failed to connect to {ip} port 80 after ")


def test_curl_service_name_does_not_resolve(cluster):
    """The laptop's resolver knows nothing of cluster names."""
    r = curl(cluster, "http://web/")
    assert (r.exit_code, r.stderr) == (6, "curl: (6) Could not resolve host: web\n")


def test_node_port_after_pods_are_gone(cluster):
    """Scaled to zero: every node refuses on the node port (kube-proxy's REJECT)."""
    cluster.kubectl("scale deployment web --replicas=0")
    cluster.settle()
    r = curl(cluster, "http://192.168.56.11:30080/")
    assert r.exit_code == 7
    rec = cluster.network.requests[-1]
    assert (rec.via, rec.service, rec.error) == ("NodePort", "default/web:http", "Connection refused")


def test_http_records_which_pod_answered(cluster):
    """A browser request's response names the pod that served it, as the record does."""
    resp = http(cluster, "GET", "http://192.168.56.11:30080/")
    assert resp.served_by in {p.name for p in web_pods(cluster)}
    assert cluster.network.requests[-1].pod == "default/" + resp.served_by


def test_browser_result_on_a_non_result_page(cluster):
    """browser_result on nginx: the page loads, there are no scores (no socket.io)."""
    out = browser_result(cluster, "http://192.168.56.11:30080/")
    assert (out["status"], out["total"]) == (200, 0)


def test_curl_localhost_on_the_laptop(cluster):
    """Nothing of the cluster listens on the laptop itself: localhost refuses."""
    r = curl(cluster, "http://localhost:30080/")
    assert r.exit_code == 7
    assert r.stderr == ("curl: (7) Failed to connect to localhost port 30080 after 0 ms: "
                        "Couldn't connect to server\n")
