"""Chapter 9, Services: NodePort (targetPort, port, nodePort and its range), selectors choosing
endpoints across pods and nodes, ClusterIP, LoadBalancer, DNS names, redis and some-redis-service."""

from __future__ import annotations

from k8scourse.grading import Answer, AnswerError, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.helpers import apply_answer, cached
from k8scourse.grading.exercises.ch06 import (after, as_dict, get, manifest_of, refused,
                                              selects, workdir)

SEED = 9

MYAPP_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: myapp-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      type: front-end
  template:
    metadata:
      labels:
        app: myapp
        type: front-end
    spec:
      containers:
        - name: nginx-container
          image: nginx
"""

SERVICE_DEFINITION = """\
apiVersion: v1
kind: Service
metadata:
  name: myapp-service
spec:
  type: NodePort
  ports:
    - targetPort: 80
      port: 80
      nodePort: 30008
  selector:
    app: myapp
    type: front-end
"""

BROKEN_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: frontend
spec:
  type: NodePort
  selector:
    app: my-app
  ports:
    - port: 80
      targetPort: 8080
      nodePort: 30009
"""

REDIS_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: redis-pod
  labels:
    name: redis-pod
    app: demo-voting-app
spec:
  containers:
    - name: redis
      image: redis
      ports:
        - containerPort: 6379
"""

FILES = {"myapp-deployment.yml": MYAPP_DEPLOYMENT, "service-definition.yml": SERVICE_DEFINITION,
         "frontend-service.yml": BROKEN_SERVICE, "redis-pod.yaml": REDIS_POD}

MYAPP_LABELS = {"app": "myapp", "type": "front-end"}

# --- helpers shared with chapter 10 ----------------------------------------------------------------

_STARTED: dict[tuple, object] = {}


def with_network(cluster):
    """The cluster with its pod network (made now if the Cluster has none), so apps and checks
    can connect from the start."""
    from k8scourse.network.laptop import network_of

    network_of(cluster)
    return cluster


def applied_on(answer: Answer, *, seed: int, start: tuple[str, ...] = (), files: dict | None = None,
               verb: str = "apply", seconds: float = 30.0):
    """A fresh cluster with its network, in the starting state (`start` lines beside `files`,
    each settled), after `kubectl <verb> -f -` of the answer and `seconds`. Cached."""
    files = files or {}
    key = (answer.exercise.id, answer.text, seed, start, tuple(sorted(files.items())), verb, seconds)

    def build() -> object:
        from k8scourse.cluster import Cluster

        cwd = workdir(files) if files else None
        cluster = with_network(Cluster.kubeadm(workers=2, seed=seed))
        for line in start:
            result = cluster.kubectl(line, cwd=cwd)
            assert result.exit_code == 0, f"starting state: kubectl {line}: {result.stderr}"
            cluster.settle()
        return apply_answer(cluster, answer, seconds=seconds, verb=verb, cwd=cwd)
    return cached(_STARTED, key, build)


def laptop_get(cluster, url: str):
    """The laptop's browser GETs `url`: the HttpResponse, or the NetError it failed with."""
    from k8scourse.apps.net import NetError
    from k8scourse.network.laptop import http

    try:
        return http(with_network(cluster), "GET", url)
    except NetError as e:
        return e


def node_get(cluster, url: str, node: str = "node01"):
    """A GET sent from a node (as a pod or the node itself would): response or NetError."""
    from k8scourse.apps.net import NetError, http_request
    from k8scourse.network.laptop import network_of

    try:
        return http_request(network_of(cluster).node_net(node), "GET", url)
    except NetError as e:
        return e


def endpoint_ips(cluster, name: str, namespace: str = "default") -> list[str]:
    """The ready addresses of a Service's Endpoints."""
    ep = cluster.api.get_or_none("Endpoints", namespace, name) or {}
    return sorted(a["ip"] for s in ep.get("subsets") or [] for a in s.get("addresses") or [])


def the_service(a: Answer) -> dict:
    return manifest_of(a, "Service", "v1")


def one_port(svc: dict) -> dict:
    ports = as_dict(svc.get("spec")).get("ports")
    if not isinstance(ports, list) or not ports or not isinstance(ports[0], dict):
        raise AnswerError("`spec.ports` should be a list with one item (a dictionary with `port`, "
                          "`targetPort` and, for a NodePort, `nodePort`).")
    if len(ports) != 1:
        raise AnswerError(f"The Service should have one port; it has {len(ports)}.")
    return ports[0]


# --- Exercise 1: which pods a Service sends to (predict) -----------------------------------------

ex1 = exercise("ch09-ex1", 1, "predict", "Endpoints chosen by labels")
predicted(ex1, "2f2304067c43f331", {
    "3": "A Service does not care who owns a pod: it sends to every ready pod whose labels match "
         "its selector, and `extra` has those labels.",
    "1": "The Deployment's pods still match the selector; the new pod adds to them.",
    "0": "Adding a pod does not take the others away from the Service.",
}, form="Answer with a number of endpoints.", valid=str.isdigit,
    otherwise="Not that many. Count the ready pods whose labels include all of the selector's.")


# --- Exercise 2: three ports (manifest) ----------------------------------------------------------

ex2 = exercise("ch09-ex2", 3, "manifest", "A NodePort Service with three different ports")
ex2_start = ("create deployment webapp --image=httpd --replicas=2",)


@ex2.check
def _name_type(a: Answer):
    svc = the_service(a)
    if as_dict(svc.get("metadata")).get("name") != "webapp-service":
        return "The Service's name, under `metadata`, is not the one the task asks for."
    kind = as_dict(svc.get("spec")).get("type")
    if kind in (None, "ClusterIP"):
        return ("This Service is of type ClusterIP (the default when `type` is left out): "
                "reachable only inside the cluster, with no port on the nodes.")
    if kind != "NodePort":
        return refused(a) or "The Service's `type` is not the one that opens a port on every node."
    return None


@ex2.check
def _ports(a: Answer):
    port = one_port(the_service(a))
    if port.get("nodePort") != 30080:
        return ("`nodePort` is the port every node opens for the Service; it is not the one the "
                "task gives.")
    if port.get("port") != 8080:
        return ("`port` is the Service's own port (the one clients inside the cluster use with its "
                "ClusterIP); it is not the one the task gives.")
    if port.get("targetPort", port.get("port")) != 80:
        return ("`targetPort` is where the pods listen: requests would reach the httpd pods on a "
                "port where nothing listens.")
    return None


@ex2.check
def _selector(a: Answer):
    sel = as_dict(the_service(a).get("spec")).get("selector")
    if not isinstance(sel, dict) or not sel:
        return "The Service has no `selector`, so no pod would ever become its endpoint."
    if "matchLabels" in sel:
        return ("A Service's selector is a plain dictionary of labels, without `matchLabels` "
                "(that form is for ReplicaSets and Deployments).")
    if not selects(sel, {"app": "webapp"}):
        return "The selector does not match the pods labelled as the task says."
    return refused(a)


@ex2.check(hidden=True)
def _reachable(a: Answer):
    cluster = applied_on(a, seed=SEED, start=ex2_start)
    if len(endpoint_ips(cluster, "webapp-service")) != 2:
        return "On a cluster with the webapp pods, the Service does not list both as endpoints."
    resp = laptop_get(cluster, "http://192.168.56.12:30080/")
    if getattr(resp, "status", None) != 200:
        return "On a cluster, a request from the laptop to a node's port 30080 gets no page."
    ip = get(cluster, "Service", "webapp-service")["spec"]["clusterIP"]
    if getattr(node_get(cluster, f"http://{ip}:8080/"), "status", None) != 200:
        return "On a cluster, a request to the Service's ClusterIP on port 8080 gets no page."
    return None


# --- Exercise 3: fix a Service without endpoints (fix) -------------------------------------------

ex3 = exercise("ch09-ex3", 2, "fix", "Fix frontend-service.yml")
ex3_start = ("create -f myapp-deployment.yml",)


@ex3.check
def _same_service(a: Answer):
    svc = the_service(a)
    spec = as_dict(svc.get("spec"))
    if as_dict(svc.get("metadata")).get("name") != "frontend" or spec.get("type") != "NodePort":
        return "Keep the Service's name, `frontend`, and its type, NodePort."
    port = one_port(svc)
    if port.get("port") != 80 or port.get("nodePort") != 30009:
        return "Keep the Service's `port` and `nodePort` as the file has them."
    return None


@ex3.check
def _selects_the_pods(a: Answer):
    sel = as_dict(the_service(a).get("spec")).get("selector")
    if not isinstance(sel, dict) or not sel or "matchLabels" in sel or not selects(sel, MYAPP_LABELS):
        return ("The selector matches none of myapp-deployment's pods, so the Service would have "
                "no endpoints. Compare it with the pods' labels (`kubectl get pods --show-labels`).")
    return None


@ex3.check
def _target_port(a: Answer):
    port = one_port(the_service(a))
    if port.get("targetPort", port.get("port")) != 80:
        return ("Requests would reach the pods on a port where nginx does not listen: `targetPort` "
                "is the container's port.")
    return refused(a)


@ex3.check(hidden=True)
def _works(a: Answer):
    cluster = applied_on(a, seed=SEED, start=ex3_start, files=FILES)
    if len(endpoint_ips(cluster, "frontend")) != 3:
        return "On a cluster with myapp-deployment, the Service does not list its three pods."
    if getattr(laptop_get(cluster, "http://192.168.56.11:30009/"), "status", None) != 200:
        return "On a cluster, a request from the laptop to a node's port 30009 gets no page."
    return None


# --- Exercise 4: a Service's DNS name (predict) --------------------------------------------------

ex4 = exercise("ch09-ex4", 1, "predict", "The full name of a Service")
predicted(ex4, "f3c107537861f59d", {
    "redis.default.svc.cluster.local": "`default` is the namespace of this chapter's Services; the "
                                       "name includes the namespace the Service lives in.",
    "redis.shop": "That short form works from other namespaces thanks to the search list, but it "
                  "is not the whole name: two more parts follow.",
    "redis.shop.svc": "That short form works thanks to the search list, but it is not the whole "
                      "name: it ends with the cluster's domain.",
    "redis.shop.cluster.local": "A part is missing between the namespace and the cluster's "
                                "domain: the one that says the name is a Service's.",
    "redis": "That short name works only from pods in the Service's own namespace; the full name "
             "says which namespace, and more.",
}, form="Answer with a DNS name, such as name.example.org.", valid=lambda v: "." in v or v == "redis",
    otherwise="Not that name. `nslookup` printed the full name of `web` above: follow its pattern.")


# --- Exercise 5: the redis Service (commands) ----------------------------------------------------

ex5 = exercise("ch09-ex5", 2, "commands", "A Service named redis")
ex5.start = ("create -f redis-pod.yaml",)


def _after5(a: Answer):
    cluster, _ = after(a, seed=SEED, start=ex5.start, files=FILES)
    return with_network(cluster)


@ex5.check
def _redis_service(a: Answer):
    cluster = _after5(a)
    svc = get(cluster, "Service", "redis")
    if svc is None:
        names = [s["metadata"]["name"] for s in cluster.api.store.list("Service", "default")
                 if s["metadata"]["name"] != "kubernetes"]
        return ("There is no Service named `redis`" + (f" (there is: {', '.join(names)})" if names else "")
                + ". The voting app looks for the host name `redis`, so that is the Service's name.")
    if svc["spec"].get("type", "ClusterIP") != "ClusterIP":
        return "The task asks for a Service reachable only inside the cluster (type ClusterIP)."
    ports = svc["spec"].get("ports") or []
    if [p.get("port") for p in ports] != [6379]:
        return "The Service should listen on one port, redis's default port, as the task says."
    return None


@ex5.check
def _redis_endpoint(a: Answer):
    cluster = _after5(a)
    pod_ip = (get(cluster, "Pod", "redis-pod") or {}).get("status", {}).get("podIP")
    if not pod_ip or endpoint_ips(cluster, "redis") != [pod_ip]:
        return ("The Service has no endpoint: its selector does not match the labels of "
                "`redis-pod` (`kubectl describe svc redis`, `kubectl get pods --show-labels`).")
    target = get(cluster, "Service", "redis")["spec"]["ports"][0].get("targetPort")
    if target not in (6379, "6379"):
        return "The Service forwards to a port of redis-pod where redis does not listen."
    return None


@ex5.check(hidden=True)
def _pong(a: Answer):
    from k8scourse.apps.net import NetError, redis_command
    from k8scourse.network.laptop import network_of

    cluster = _after5(a)
    ip = get(cluster, "Service", "redis")["spec"]["clusterIP"]
    try:
        reply = redis_command(network_of(cluster).node_net("node01"), ip, 6379, "PING")
    except NetError:
        reply = None
    if reply != "PONG":
        return "On a cluster, redis does not answer through the Service."
    return None


# --- Exercise 6: port and targetPort (predict) ---------------------------------------------------

ex6 = exercise("ch09-ex6", 1, "predict", "The port of some-redis-service")
predicted(ex6, "1fd1a006a4bd1d87", {
    "6379": "That is the port redis listens on inside its pod (the targetPort); clients talk to "
            "the Service's own port, which it then forwards.",
    "30000": "some-redis-service is a ClusterIP Service: it opens no port on the nodes.",
}, form="Answer with a port number.", valid=str.isdigit,
    otherwise="Not that port. Which of the file's two ports belongs to the Service itself?")


# --- Exercise 7: LoadBalancer without a cloud (concept) ------------------------------------------

ex7 = exercise("ch09-ex7", 1, "concept", "A LoadBalancer on VMs")
choice(ex7, "57d247fa3cf76527", {
    "a": "Nothing on these VMs hands out external addresses: that is the cloud provider's job.",
    "b": "The API server accepts the Service; without a cloud, nobody fills in its external "
         "address.",
    "d": "A LoadBalancer Service is also a NodePort Service: it gets a node port, which works "
         "from outside.",
})
