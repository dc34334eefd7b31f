"""A kubeadm cluster with the pod network, an nginx Deployment `web` behind a NodePort Service and
a busybox pod `bb` to send traffic from."""

import pytest

from k8scourse import Cluster
from k8scourse.network import PodNetwork

WEB = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
"""


def with_network(c):
    """The cluster's network (the Cluster makes it once the lead wires it; until then, here)."""
    if getattr(c, "network", None) is None:
        c.network = PodNetwork(c)
    return c


def deploy_web(c, replicas=3):
    c.kubectl(["create", "-f", "-"], stdin=f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - name: http
          containerPort: 80
""")
    c.kubectl(["create", "-f", "-"], stdin=WEB)


@pytest.fixture
def cluster():
    c = with_network(Cluster.kubeadm(workers=2, seed=3))
    deploy_web(c)
    c.kubectl("run bb --image=busybox -- sleep 3600")
    c.settle()
    return c


def net_of(c, pod, ns="default"):
    """What pod `pod` sees of the network."""
    return c.network.pod_sandbox(ns, pod).net


def pod_ip(c, name, ns="default"):
    return c.get("Pod", name, ns).status["podIP"]


def web_pods(c):
    return sorted(c.pods(selector={"app": "web"}), key=lambda p: p.status["podIP"])
