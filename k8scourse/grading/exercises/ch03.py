"""Chapter 3, setting up a cluster: minikube, kubeadm init and join, the flannel pod network."""

from __future__ import annotations

from k8scourse.grading import Answer, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.exercises.ch02 import cluster_after, running

# --- Exercise 1: what minikube is (concept) ------------------------------------------------------

ex1 = exercise("ch03-ex1", 1, "concept", "What minikube gives you")
choice(ex1, "5484088ec49c6bab", {
    "b": "Look at `kubectl get nodes` on minikube: how many nodes are there?",
    "c": "The minikube node is the control plane, and it has no taint: your pods ran on it.",
    "d": "minikube runs the same Kubernetes components (see `kubectl get pods -A`), so kubectl "
         "works the same way.",
})


# --- Exercise 2: joining a worker (concept) ------------------------------------------------------

ex2 = exercise("ch03-ex2", 1, "concept", "Adding a worker with kubeadm")
choice(ex2, "ea9dbe41117e9613", {
    "a": "`kubeadm init` makes a machine the control plane of a new cluster; run it once, on the "
         "control plane only.",
    "b": "minikube builds its own single-node cluster; it does not add machines to a kubeadm "
         "cluster.",
    "c": "The network add-on is applied once, from any machine with kubectl; it does not add a "
         "node to the cluster.",
})


# --- Exercise 3: nodes before the pod network (predict) ------------------------------------------

ex3 = exercise("ch03-ex3", 1, "predict", "Node status before the pod network")
predicted(ex3, "00cae6afd8b4923c", {
    "ready": "The kubelets run and registered their nodes, but a node is Ready only when its "
             "container runtime's network is ready, and no pod network add-on is installed yet.",
    "unknown": "Unknown means the node stopped reporting; these kubelets report fine. What do "
               "they report about the network?",
    "pending": "Pending is a status of pods, not of nodes.",
}, form="Answer with the word kubectl prints in the STATUS column.",
    valid=lambda v: bool(v) and " " not in v,
    otherwise="Nodes show Ready or NotReady (or Unknown when silent). Which fits a node whose "
              "network is not set up?")


# --- Exercise 4: one flannel pod per node (predict) ----------------------------------------------

ex4 = exercise("ch03-ex4", 1, "predict", "How many flannel pods")
predicted(ex4, "2bf2b49a49cc7300", {
    "2": "Flannel must run on every node that runs pods, the control plane included: its "
         "DaemonSet tolerates the control plane's taint.",
    "1": "One flannel pod could wire up only its own node; the add-on runs one on every node.",
}, form="Answer with a number.", valid=str.isdigit,
    otherwise="Not that many. A DaemonSet runs one pod on each node it may run on.")


# --- Exercise 5: a node's pod range (predict) ----------------------------------------------------

ex5 = exercise("ch03-ex5", 1, "predict", "The pod CIDR of node02")
predicted(ex5, "16505f3997fb8ee0", {
    "10.244.1.0/24": "That is node01's range. Each node gets the next /24 in the order it joined "
                     "(controlplane first).",
    "10.244.0.0/16": "That is the whole cluster's pod network; each node gets one /24 slice of it.",
    "10.244.0.0/24": "That is the range of the node that joined first, the control plane.",
}, form="Answer with a CIDR, such as 10.1.2.0/24.",
    valid=lambda v: v.count(".") == 3 and "/" in v,
    otherwise="Not that range. Look at node01's range and at the order the nodes joined.")


# --- Exercise 6: install the pod network (commands) ----------------------------------------------

ex6 = exercise("ch03-ex6", 2, "commands", "Make every node Ready")


def _fresh(a: Answer):
    return cluster_after(a, seed=3, network=None)


@ex6.check
def _nodes_ready(a: Answer):
    cluster = _fresh(a)
    not_ready = [n.name for n in cluster.nodes()
                 if not any(c.get("type") == "Ready" and c.get("status") == "True"
                            for c in (n.raw.get("status") or {}).get("conditions", []))]
    if not_ready:
        return (f"These nodes are still NotReady: {', '.join(not_ready)}. A node becomes Ready when "
                "a pod network add-on runs on it; the course uses flannel, from the manifest "
                "address given in this chapter.")
    return None


@ex6.check(hidden=True)
def _dns_runs(a: Answer):
    cluster = _fresh(a)
    dns = [p.raw for p in cluster.pods("kube-system") if p.labels.get("k8s-app") == "kube-dns"]
    if not dns or not all(running(p) for p in dns):
        return "CoreDNS does not reach Running."
    return None
