"""Chapter 2, orchestration and architecture: nodes, control plane and workers, each component."""

from __future__ import annotations

from k8scourse.grading import Answer, AnswerError, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.helpers import cached

# --- helpers shared with the later chapters ------------------------------------------------------

_CLUSTERS: dict[tuple, object] = {}


def cluster_after(answer: Answer, *, seed: int, start: tuple[str, ...] = (), workers: int = 2,
                  network: str | None = "flannel", preset: str = "kubeadm"):
    """A fresh cluster in the exercise's starting state (the `start` kubectl commands, settled),
    after the answer's kubectl commands and settled again. Cached by answer and start."""
    key = (answer.exercise.id, answer.text, seed, start, workers, network, preset)

    def build() -> object:
        from k8scourse.cluster import Cluster

        if preset == "minikube":
            cluster = Cluster.minikube(seed=seed)
        else:
            cluster = Cluster.kubeadm(workers=workers, seed=seed, network=network)
        for line in start:
            result = cluster.kubectl(line)
            assert result.exit_code == 0, f"starting state: kubectl {line}: {result.stderr}"
        cluster.settle()
        try:
            if not answer.commands():
                raise AnswerError("Write the kubectl commands, one per line.")
            answer.run(cluster)
        except AnswerError as e:
            return e
        return cluster
    return cached(_CLUSTERS, key, build)


def pod_or_none(cluster, name: str, namespace: str = "default") -> dict | None:
    return cluster.api.get_or_none("Pod", namespace, name)


def images_of(pod: dict) -> list[str]:
    return [c.get("image", "") for c in pod["spec"].get("containers", [])]


def is_image(ref: str, repository: str) -> bool:
    """Whether an image reference names `repository` (any tag, with or without docker.io)."""
    name = ref.split("@")[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    for prefix in ("docker.io/library/", "docker.io/", "library/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name == repository


def running(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running"


# --- Exercise 1: who picks the node (concept) -----------------------------------------------------

ex1 = exercise("ch02-ex1", 1, "concept", "Which component picks the node")
choice(ex1, "2c0ce6ef5a1a801a", {
    "a": "The API server is the front door every request goes through, and it stores what it "
         "is given, but it does not decide where pods run.",
    "b": "etcd only stores the cluster's data; it never decides anything.",
    "d": "A kubelet acts only after a pod has been given to its node: it runs what is already "
         "placed there.",
})

# --- Exercise 2: what every worker runs (concept) -------------------------------------------------

ex2 = exercise("ch02-ex2", 1, "concept", "What every worker node runs")
choice(ex2, "4213abbbf19fb20d", {
    "a": "The API server and etcd are control plane components; in this cluster they run only "
         "on `controlplane` (see `kubectl get pods -n kube-system -o wide`).",
    "c": "The scheduler and the controller manager are control plane components; workers do not "
         "run them.",
    "d": "etcd is the control plane's store; a worker does not keep a copy.",
})

# --- Exercise 3: where the cluster's state lives (predict) ---------------------------------------

ex3 = exercise("ch02-ex3", 1, "predict", "Where the cluster keeps its objects")
predicted(ex3, "0d33bbda20880b1c", {
    "kube-apiserver": "Every request goes through the API server, but it keeps nothing itself: "
                      "it writes to another component.",
    "kubelet": "A kubelet knows only the pods of its own node, and keeps no record of the "
               "cluster's objects.",
    "kube-scheduler": "The scheduler reads pods and nodes to decide placements; it stores nothing.",
    "kube-controller-manager": "Controllers read and change objects through the API server; they "
                               "store nothing themselves.",
}, form="Answer with the name of one component, as it appears in `kubectl get pods -n kube-system`"
        " without the node suffix.",
    valid=lambda v: bool(v) and " " not in v,
    otherwise="Not that one. Which control plane component is the cluster's key-value store?",
    synonyms={"apiserver": "kube-apiserver", "api server": "kube-apiserver",
              "kube-apiserver-controlplane": "kube-apiserver", "scheduler": "kube-scheduler",
              "controller-manager": "kube-controller-manager",
              "etcd-controlplane": "etcd"})

# --- Exercise 4: kubectl run (commands) ----------------------------------------------------------

ex4 = exercise("ch02-ex4", 2, "commands", "Run hello-minikube")


@ex4.check
def _hello_exists(a: Answer):
    cluster = cluster_after(a, seed=2)
    pod = pod_or_none(cluster, "hello-minikube")
    if pod is None:
        names = ", ".join(p.name for p in cluster.pods()) or "none"
        return (f"There is no pod named `hello-minikube` in the default namespace (pods: {names}). "
                "The name comes right after `kubectl run`.")
    if not any(is_image(i, "nginx") for i in images_of(pod)):
        return "`hello-minikube` does not run the image the task names (`--image=`)."
    return None


@ex4.check(hidden=True)
def _hello_runs(a: Answer):
    pod = pod_or_none(cluster_after(a, seed=2), "hello-minikube")
    if not running(pod):
        return "`hello-minikube` does not reach Running."
    return None


# --- Exercise 5: where your pods never go (predict) ----------------------------------------------

ex5 = exercise("ch02-ex5", 1, "predict", "The node that runs none of your pods")
predicted(ex5, "af4af51472d11e3b", {
    "node01": "node01 is a worker: the scheduler places pods there (look at the NODE column of "
              "`kubectl get pods -o wide`).",
    "node02": "node02 is a worker: the scheduler places pods there (look at the NODE column of "
              "`kubectl get pods -o wide`).",
}, form="Answer with one node name, as `kubectl get nodes` prints it.",
    valid=lambda v: bool(v) and " " not in v,
    otherwise="That is not a node of this cluster; `kubectl get nodes` lists them.")

# --- Exercise 6: two pods (commands) -------------------------------------------------------------

ex6 = exercise("ch02-ex6", 2, "commands", "A web server and a cache")


@ex6.check
def _two_pods(a: Answer):
    cluster = cluster_after(a, seed=2)
    for name, repo in (("frontend", "nginx"), ("cache", "redis")):
        pod = pod_or_none(cluster, name)
        if pod is None:
            return f"There is no pod named `{name}`."
        if not any(is_image(i, repo) for i in images_of(pod)):
            return f"`{name}` does not run the image the task gives it."
    return None


@ex6.check
def _nothing_else(a: Answer):
    extra = [p.name for p in cluster_after(a, seed=2).pods() if p.name not in ("frontend", "cache")]
    if extra:
        return f"The task asks for exactly two pods; there are more: {', '.join(extra)}."
    return None


@ex6.check(hidden=True)
def _both_run(a: Answer):
    cluster = cluster_after(a, seed=2)
    if not all(running(pod_or_none(cluster, n)) for n in ("frontend", "cache")):
        return "Not every pod reaches Running."
    return None
