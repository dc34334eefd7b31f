"""The scheduler inside a whole kubeadm cluster, as a learner drives it with kubectl."""

from __future__ import annotations

from k8scourse import Cluster

TOO_BIG = (
    "0/3 nodes are available: 1 node(s) had untolerated taint "
    "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are "
    "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for "
    "incoming pod.")


def test_deployment_replicas_spread_over_the_workers():
    """`kubectl create deployment --replicas=6` on kubeadm: 3 pods on each worker, none on the
    control plane."""
    c = Cluster.kubeadm(workers=2, seed=3)
    c.kubectl("create deployment web --image=nginx --replicas=6")
    c.settle()
    nodes = sorted(p.spec.get("nodeName") for p in c.pods(selector={"app": "web"}))
    assert nodes == ["node01"] * 3 + ["node02"] * 3


def test_pod_too_big_for_any_worker_shows_failed_scheduling_in_describe():
    """describe shows the FitError text from default-scheduler; get shows the pod Pending."""
    c = Cluster.kubeadm(workers=2, seed=3)
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big"}, "spec": {
        "containers": [{"name": "big", "image": "nginx",
                        "resources": {"requests": {"cpu": "3"}}}]}})
    c.settle()
    out = c.kubectl("describe pod big").stdout
    assert "default-scheduler  " + TOO_BIG in out
    assert "Pending" in c.kubectl("get pod big").stdout
