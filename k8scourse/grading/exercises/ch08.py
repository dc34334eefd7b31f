"""Chapter 8, networking: the cluster's networking requirements, pod IPs and node CIDRs, pod to
pod without NAT, what the pod-network add-on does."""

from __future__ import annotations

import ipaddress

from k8scourse.grading import Answer, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.exercises.ch02 import is_image, running
from k8scourse.grading.exercises.ch05 import containers, the_pod
from k8scourse.grading.exercises.ch06 import applied, as_dict, get, refused


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# --- Exercise 1: what every cluster network provides (concept) -----------------------------------

ex1 = exercise("ch08-ex1", 1, "concept", "The networking requirements")
choice(ex1, "61a894cde53b8660", {
    "a": "That is how docker publishes a container's port on one host. Kubernetes asks for more: "
         "a pod reaches another pod at the pod's own address, with no port mapping or address "
         "translation in between.",
    "c": "Pods on different nodes must reach each other directly, by their own IPs; Services "
         "come on top of that, they do not replace it.",
    "d": "Pods get addresses from the pod network (10.244.0.0/16 here), apart from the machines' "
         "network; each node hands out addresses from its own slice of it.",
})


# --- Exercise 2: the address a pod sees (predict) -----------------------------------------------

ex2 = exercise("ch08-ex2", 1, "predict", "Who nginx says called")
predicted(ex2, "f15b89434e02f053", {
    "192.168.56.11": "That is node01's own address: it would show if the node translated the "
                     "pod's address into its own (NAT, masquerading). Inside the pod network "
                     "nothing translates addresses.",
    "10.244.1.1": "That is node01's bridge (cni0), the gateway of its pods; packets pass through "
                  "it, but keep their source address.",
    "10.244.1.0": "That is node01's end of the flannel tunnel (flannel.1); packets travel through "
                  "it, but keep their source address.",
    "10.244.2.4": "That is the address of web itself, the server; the log names the client.",
}, form="Answer with one IP address.", valid=_is_ip,
    otherwise="Not that address. Which address does the request leave client with, and does "
              "anything change it on the way?")


# --- Exercise 3: what the add-on does (concept) --------------------------------------------------

ex3 = exercise("ch08-ex3", 1, "concept", "What flannel does")
choice(ex3, "64afb969dddca7f2", {
    "a": "Names are CoreDNS's work (Chapter 9); flannel deals in addresses and routes.",
    "b": "Spreading requests over a Service's pods is kube-proxy's work (Chapter 9).",
    "c": "Choosing a node is the scheduler's work; flannel only connects the nodes once pods run.",
})


# --- Exercise 4: a replaced pod's address (concept) ----------------------------------------------

ex4 = exercise("ch08-ex4", 1, "concept", "A new pod, a new address")
choice(ex4, "a0a4dad555094b09", {
    "a": "Nothing reserves a pod's address: it goes back to its node's pool when the pod goes, "
         "and the replacement is a new pod that gets an address where it lands.",
    "b": "Pods have addresses of their own, from the pod network; only pods that share the "
         "node's network (hostNetwork, like flannel's) show the node's IP.",
    "d": "Every pod gets its address from the network add-on as its sandbox starts; a Service "
         "gives a stable address in front of pods, not the pods' own.",
})


# --- Exercise 5: a pod placed on a node (manifest) -----------------------------------------------

ex5 = exercise("ch08-ex5", 3, "manifest", "A pod on node02")


@ex5.check
def _pod(a: Answer):
    pod = the_pod(a)
    if as_dict(pod.get("metadata")).get("name") != "pinned":
        return "The pod's name, under `metadata`, is not the one the task asks for."
    cs = containers(pod)
    if len(cs) != 1 or not is_image(str(cs[0].get("image", "")), "nginx"):
        return "The pod should have one container, running `nginx`."
    return None


@ex5.check
def _node_name(a: Answer):
    pod = the_pod(a)
    spec = as_dict(pod.get("spec"))
    if "nodeName" in as_dict(pod.get("metadata")):
        return "`nodeName` is a field of the pod's `spec`, not of its `metadata`."
    cs = containers(pod)
    if cs and "nodeName" in cs[0]:
        return "`nodeName` belongs to the pod's `spec`, beside `containers`, not inside a container."
    if "nodeName" not in spec:
        if "nodeSelector" in spec or "affinity" in spec:
            return ("A node selector or affinity asks the scheduler to choose among nodes; the task "
                    "names the node itself, in `spec.nodeName`, so that no scheduler is involved.")
        return "The pod does not name its node: the field for that is `spec.nodeName`."
    if spec["nodeName"] != "node02":
        return "`spec.nodeName` names another node than the one the task gives."
    return refused(a)


@ex5.check(hidden=True)
def _address_from_node02(a: Answer):
    cluster = applied(a, seconds=30)
    pod = get(cluster, "Pod", "pinned")
    if pod is None or not running(pod):
        return "Created on a cluster, the pod does not reach Running."
    ip = (pod.get("status") or {}).get("podIP", "")
    if pod["spec"].get("nodeName") != "node02" or \
            ipaddress.ip_address(ip) not in ipaddress.ip_network("10.244.2.0/24"):
        return "On a cluster the pod does not run on node02 with an address from its range."
    return None
