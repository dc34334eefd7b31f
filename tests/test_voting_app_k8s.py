"""The voting app on Kubernetes from the manifests in data/voting-app: a vote cast through the
voting-service NodePort shows on the result-service NodePort page; the beginner's mistakes (wrong
order, a misnamed Service, a wrong port or selector) fail as they do on a real cluster; the seed's
some-redis-service:7000 variant works once the app's source says so."""

import dataclasses
from pathlib import Path

import pytest

from k8scourse import Cluster
from k8scourse.network import PodNetwork
from k8scourse.network.laptop import browser_result, browser_vote, curl

ROOT = Path(__file__).resolve().parents[1]
VOTE = "http://192.168.56.11:30004/"
RESULT = "http://192.168.56.10:30005/"
FLASK_500_TITLE = "<title>500 Internal Server Error</title>"


def cluster():
    c = Cluster.kubeadm(workers=2, seed=11)
    if getattr(c, "network", None) is None:
        c.network = PodNetwork(c)
    return c


def create(c, *paths):
    out = c.kubectl(["create"] + [a for p in paths for a in ("-f", p)], cwd=str(ROOT))
    assert out.exit_code == 0, out.output
    return out


def apply_text(c, text):
    out = c.kubectl(["create", "-f", "-"], stdin=text)
    assert out.exit_code == 0, out.output


def logs(c, pod):
    return c.kubectl(f"logs {pod}").stdout


def test_pods_and_services_end_to_end():
    """Votes through the NodePort of two different nodes are tallied on the result page."""
    c = cluster()
    out = create(c, "data/voting-app/pods/", "data/voting-app/services/")
    assert out.stdout.splitlines() == [
        "pod/postgres-pod created", "pod/redis-pod created", "pod/result-app-pod created",
        "pod/voting-app-pod created", "pod/worker-app-pod created", "service/db created",
        "service/redis created", "service/result-service created", "service/voting-service created"]
    c.settle()
    page = curl(c, VOTE)
    assert page.exit_code == 0
    assert "<title>Cats vs Dogs!</title>" in page.stdout
    assert "Processed by container ID voting-app-pod" in page.stdout
    assert browser_vote(c, VOTE, "a", voter="v1").status == 200
    assert browser_vote(c, "http://192.168.56.12:30004/", "b", voter="v2").status == 200
    assert browser_vote(c, "http://192.168.56.10:30004/", "a", voter="v3").status == 200
    c.advance(3)
    tally = browser_result(c, RESULT)
    assert (tally["status"], tally["a"], tally["b"], tally["total"]) == (200, 2, 1, 3)
    assert tally["served_by"] == "result-app-pod"
    redis_ip = c.get("Service", "redis").spec["clusterIP"]
    worker = logs(c, "worker-app-pod")
    assert f"Found redis at {redis_ip}\nConnecting to redis\n" in worker
    assert "Processing vote for 'b' by 'v2'\n" in worker
    # the vote pod talked to redis through the Service's ClusterIP
    pushes = [r for r in c.network.requests if r.client == "default/voting-app-pod"]
    assert pushes and all((r.via, r.service, r.pod, r.ok) == ("ClusterIP", "default/redis", "default/redis-pod", True)
                          for r in pushes)


def test_deployments_spread_votes_over_replicas():
    """With 3 voting-app replicas, the NodePort sends votes to several pods; all are tallied."""
    c = cluster()
    create(c, "data/voting-app/deployments/", "data/voting-app/services/")
    c.kubectl("scale deployment voting-app-deploy --replicas=3")
    c.settle()
    servers = set()
    for i in range(12):
        resp = browser_vote(c, VOTE, "ab"[i % 2], voter=f"voter{i}")
        assert resp.status == 200
        servers.add(resp.served_by)
    assert len(servers) == 3 and all(s.startswith("voting-app-deploy-") for s in servers)
    c.advance(3)
    tally = browser_result(c, "http://192.168.56.12:30005/")
    assert (tally["a"], tally["b"]) == (6, 6)


def test_vote_before_redis_service_exists_then_recovers():
    """Vote pod without the redis Service: a POST is Flask's 500 (name unknown); once the Service
    exists the same pod records votes."""
    c = cluster()
    create(c, "data/voting-app/pods/voting-app-pod.yaml", "data/voting-app/services/voting-app-service.yaml",
           "data/voting-app/pods/redis-pod.yaml")
    c.settle()
    assert curl(c, VOTE).exit_code == 0                  # the page itself does not need redis
    resp = browser_vote(c, VOTE, "a")
    assert resp.status == 500 and FLASK_500_TITLE in resp.body
    assert "ConnectionError: Error -2 connecting to redis:6379. Name or service not known.\n" in \
        logs(c, "voting-app-pod")
    create(c, "data/voting-app/services/redis-service.yaml")
    c.settle()
    assert browser_vote(c, VOTE, "a").status == 200


def test_worker_without_redis_service_crash_loops():
    """db is there but redis is not: the worker exits 1 and the pod crash-loops until the Service
    exists; then the restarted worker moves the votes."""
    c = cluster()
    create(c, "data/voting-app/pods/postgres-pod.yaml", "data/voting-app/services/postgres-service.yaml",
           "data/voting-app/pods/worker-app-pod.yaml")
    c.run(lambda c: c.get("Pod", "worker-app-pod").status.get("containerStatuses", [{}])[0]
          .get("restartCount", 0) >= 1, timeout=120)
    status = c.get("Pod", "worker-app-pod").status["containerStatuses"][0]
    assert status["lastState"]["terminated"]["exitCode"] == 1
    assert "No such device or address" in c.kubectl("logs worker-app-pod --previous").stdout
    create(c, "data/voting-app/pods/redis-pod.yaml", "data/voting-app/services/redis-service.yaml",
           "data/voting-app/pods/voting-app-pod.yaml", "data/voting-app/services/voting-app-service.yaml")
    c.run(lambda c: c.get("Pod", "worker-app-pod").status["containerStatuses"][0].get("ready"), timeout=400)
    c.advance(5)
    assert "Connecting to redis\n" in logs(c, "worker-app-pod")
    assert browser_vote(c, VOTE, "b", voter="late").status == 200
    c.advance(2)
    assert "Processing vote for 'b' by 'late'\n" in logs(c, "worker-app-pod")


def test_result_waits_for_db():
    """The result pod without the db Service keeps logging `Waiting for db`, then connects."""
    c = cluster()
    create(c, "data/voting-app/pods/result-app-pod.yaml", "data/voting-app/pods/postgres-pod.yaml")
    c.settle()
    c.advance(5)
    assert logs(c, "result-app-pod").endswith("Waiting for db\nWaiting for db\n")
    create(c, "data/voting-app/services/postgres-service.yaml")
    c.settle()
    c.advance(3)
    assert "Connected to db\n" in logs(c, "result-app-pod")


REDIS_SVC = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  ports:
  - port: {port}
    targetPort: {target}
  selector:
    name: {selector}
    app: demo-voting-app
"""


def vote_with_redis_service(name="redis", port=6379, target=6379, selector="redis-pod"):
    c = cluster()
    create(c, "data/voting-app/pods/voting-app-pod.yaml", "data/voting-app/services/voting-app-service.yaml",
           "data/voting-app/pods/redis-pod.yaml")
    apply_text(c, REDIS_SVC.format(name=name, port=port, target=target, selector=selector))
    c.settle()
    return c, browser_vote(c, VOTE, "a")


def test_misnamed_service():
    """A Service named redis-service: the app asks for `redis`, which does not resolve."""
    c, resp = vote_with_redis_service(name="redis-service")
    assert resp.status == 500
    assert "Error -2 connecting to redis:6379. Name or service not known." in logs(c, "voting-app-pod")


def test_service_on_the_wrong_port():
    """Service port 7000 while the app uses redis:6379: no rule for 6379, the connection times out."""
    c, resp = vote_with_redis_service(port=7000)
    assert resp.status == 500
    assert "TimeoutError: Timeout connecting to server\n" in logs(c, "voting-app-pod")
    rec = [r for r in c.network.requests if r.client == "default/voting-app-pod"][-1]
    assert (rec.via, rec.service, rec.error) == ("ClusterIP", "default/redis", "Connection timed out")


def test_wrong_target_port():
    """targetPort 6380: the endpoint is redis-pod:6380, where nothing listens: refused."""
    c, resp = vote_with_redis_service(target=6380)
    assert resp.status == 500
    assert "Error 111 connecting to redis:6379. Connection refused." in logs(c, "voting-app-pod")
    assert c.kubectl("get ep redis").stdout.splitlines()[1].split()[1].endswith(":6380")


def test_selector_typo():
    """A selector that matches no pod: no endpoints, kube-proxy rejects: refused."""
    c, resp = vote_with_redis_service(selector="redis")
    assert resp.status == 500
    assert "Error 111 connecting to redis:6379. Connection refused." in logs(c, "voting-app-pod")
    assert c.kubectl("get ep redis").stdout.splitlines()[1].split()[1] == "<none>"


@pytest.fixture
def voting_app_7000(monkeypatch):
    """The voting app rebuilt with Redis(host="some-redis-service", port=7000), in the local registry."""
    from k8scourse import apps
    from k8scourse.apps.vote import VoteApp, rebuild
    from k8scourse.kubelet import images, process

    monkeypatch.setitem(images.CATALOG, "voting-app-7000",
                        dataclasses.replace(images.CATALOG["voting-app"], name="voting-app-7000"))
    monkeypatch.setitem(apps.APPS, "voting-app-7000", None)
    monkeypatch.setitem(process.PROCESSES, "voting-app-7000", None)
    return rebuild(VoteApp, "voting-app-7000", redis_host="some-redis-service", redis_port=7000)


def test_some_redis_service_on_7000(voting_app_7000):
    """some-redis-service:7000 -> targetPort 6379 works once the app's source uses that name and port."""
    c = cluster()
    create(c, "data/services/voting-app-7000-pod.yaml", "data/services/some-redis-service.yaml",
           "data/voting-app/pods/redis-pod.yaml", "data/voting-app/services/voting-app-service.yaml")
    c.settle()
    assert browser_vote(c, VOTE, "b", voter="x").status == 200
    rec = [r for r in c.network.requests if r.client == "default/voting-app-pod"][-1]
    ip = c.get("Service", "some-redis-service").spec["clusterIP"]
    assert (rec.address, rec.service, rec.pod, rec.port) == (f"{ip}:7000", "default/some-redis-service",
                                                             "default/redis-pod", 6379)


def test_some_redis_service_with_the_unchanged_app():
    """The stock voting app still asks for `redis`: with only some-redis-service, votes fail."""
    c = cluster()
    create(c, "data/voting-app/pods/voting-app-pod.yaml", "data/services/some-redis-service.yaml",
           "data/voting-app/pods/redis-pod.yaml", "data/voting-app/services/voting-app-service.yaml")
    c.settle()
    assert browser_vote(c, VOTE, "a").status == 500
    assert "Error -2 connecting to redis:6379. Name or service not known." in logs(c, "voting-app-pod")
