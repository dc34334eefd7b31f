"""Chapter 5, pods: kubectl run, get, describe, pod IPs, pods from YAML, helper containers, delete."""

from __future__ import annotations

from k8scourse.grading import Answer, AnswerError, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.exercises.ch02 import cluster_after, images_of, is_image, pod_or_none, running
from k8scourse.grading.helpers import apply_answer, cached, refused

SEED = 5
_APPLIED: dict[str, object] = {}


def applied(answer: Answer):
    """A fresh cluster after `kubectl apply -f` of the answer, given a minute to run; kubectl's
    error (as a problem) when it refuses the manifest."""
    def build() -> object:
        from k8scourse.cluster import Cluster

        return apply_answer(Cluster.kubeadm(workers=2, seed=SEED), answer, seconds=60)
    return cached(_APPLIED, answer.text, build)


def the_pod(answer: Answer) -> dict:
    """The one Pod of a manifest answer, with a problem for the usual top-level mistakes."""
    objs = answer.objects()
    for obj in objs:
        if obj.get("kind") in ("pod", "POD"):
            raise AnswerError("`kind` is case-sensitive: a Pod is written with a capital P.")
    pod = answer.one("Pod")
    missing = [k for k in ("apiVersion", "kind", "metadata", "spec") if k not in pod]
    if missing:
        raise AnswerError(f"A manifest has four top-level fields; this one lacks: {', '.join(missing)}.")
    return pod


def containers(pod: dict) -> list[dict]:
    spec = pod.get("spec")
    cs = spec.get("containers") if isinstance(spec, dict) else None
    if not isinstance(cs, list):
        raise AnswerError("`spec.containers` should be a list of containers, each item starting "
                          "with `- name:`.")
    return [c for c in cs if isinstance(c, dict)]


# --- Exercise 1: which node from the pod IP (predict) -------------------------------------------

ex1 = exercise("ch05-ex1", 1, "predict", "The node of a pod IP")
predicted(ex1, "63420e82079ccee3", {
    "node01": "node01 hands out addresses from its own range, 10.244.1.0/24. Which node has the "
              "range this address is in?",
    "controlplane": "The control plane's range is 10.244.0.0/24, and it runs none of your pods.",
}, form="Answer with one node name.", valid=lambda v: bool(v) and " " not in v,
    otherwise="That is not one of this cluster's nodes (`kubectl get nodes`).")


# --- Exercise 2: a typo in the image (predict) ----------------------------------------------------

ex2 = exercise("ch05-ex2", 1, "predict", "The status of a pod whose image does not exist")
predicted(ex2, "157da79f94853c48", {
    "errimagepull": "ErrImagePull shows right after a pull fails. The kubelet then waits longer and "
                    "longer between attempts; STATUS shows something else while it waits.",
    "pending": "The pod was scheduled and its phase is Pending, but STATUS shows why its container "
               "is waiting. Look at the events `kubectl describe` lists for such a pod.",
    "crashloopbackoff": "CrashLoopBackOff is for a container that starts and then exits. This "
                        "container never starts: its image cannot be pulled.",
    "containercreating": "ContainerCreating lasts while the image is being pulled; this pull fails.",
    "running": "The container cannot run without its image, and no registry has an image "
               "with that name.",
}, form="Answer with the one word kubectl prints in the STATUS column.",
    valid=lambda v: bool(v) and " " not in v,
    otherwise="Not that status. What does the kubelet do after a pull fails?")


# --- Exercise 3: pod-definition.yml (manifest) ---------------------------------------------------

ex3 = exercise("ch05-ex3", 3, "manifest", "pod-definition.yml")


@ex3.check
def _four_fields(a: Answer):
    pod = the_pod(a)
    if pod.get("apiVersion") != "v1":
        return refused(a) or "Pods are in the core API group: check `apiVersion`."
    meta = pod.get("metadata")
    if not isinstance(meta, dict) or meta.get("name") != "myapp-pod":
        return "The pod's name, under `metadata`, is not the one the task asks for."
    return None


@ex3.check
def _labels(a: Answer):
    labels = the_pod(a)["metadata"].get("labels")
    want = {"app": "myapp", "type": "front-end"}
    if not isinstance(labels, dict):
        if "app" in the_pod(a)["metadata"] or "type" in the_pod(a)["metadata"]:
            return ("The labels sit directly under `metadata`; they belong in a dictionary "
                    "`labels:` inside `metadata`.")
        return "The pod has no `labels` under `metadata`."
    missing = [k for k in want if k not in labels]
    if missing:
        return f"The pod's labels lack the key(s): {', '.join(missing)}."
    if any(str(labels[k]) != v for k, v in want.items()):
        return "A label has another value than the task gives."
    if set(labels) != set(want):
        return "The pod has labels the task does not ask for."
    return None


@ex3.check
def _container(a: Answer):
    cs = containers(the_pod(a))
    if len(cs) != 1:
        return f"The pod should have one container; it has {len(cs)}."
    if cs[0].get("name") != "nginx-container":
        return "The container's `name` is not the one the task gives."
    if not is_image(str(cs[0].get("image", "")), "nginx"):
        return "The container does not run the nginx image."
    return refused(a)


@ex3.check(hidden=True)
def _runs(a: Answer):
    pod = pod_or_none(applied(a), "myapp-pod")
    if pod is None or not running(pod):
        return "Created on a cluster, the pod does not reach Running."
    return None


# --- Exercise 4: fix a manifest the cluster refuses (fix) ----------------------------------------

ex4 = exercise("ch05-ex4", 2, "fix", "Fix the redis pod")


@ex4.check
def _accepted(a: Answer):
    return refused(a)


@ex4.check
def _same_pod(a: Answer):
    pod = the_pod(a)
    if (pod.get("metadata") or {}).get("name") != "redis-pod":
        return "Keep the pod's name, `redis-pod`."
    cs = containers(pod)
    if len(cs) != 1 or cs[0].get("name") != "redis" or not is_image(str(cs[0].get("image")), "redis"):
        return "Keep the one container, named `redis`, running the image `redis`."
    return None


@ex4.check(hidden=True)
def _redis_runs(a: Answer):
    pod = pod_or_none(applied(a), "redis-pod")
    if pod is None or not running(pod):
        return "Created on a cluster, the pod does not reach Running."
    return None


# --- Exercise 5: a pod with a helper container (manifest) ----------------------------------------

ex5 = exercise("ch05-ex5", 3, "manifest", "A web server with a helper")


@ex5.check
def _two_containers(a: Answer):
    pod = the_pod(a)
    if (pod.get("metadata") or {}).get("name") != "webapp":
        return "The pod should be named `webapp`."
    cs = containers(pod)
    names = [c.get("name") for c in cs]
    if len(cs) != 2:
        return (f"The pod should have two containers, two items in the `containers` list; it has "
                f"{len(cs)}.")
    if sorted(map(str, names)) != ["helper", "web"]:
        return "The two containers should be named `web` and `helper`."
    byname = {c["name"]: c for c in cs}
    if not is_image(str(byname["web"].get("image", "")), "nginx"):
        return "`web` should run the nginx image."
    if not is_image(str(byname["helper"].get("image", "")), "busybox"):
        return "`helper` should run the busybox image."
    return refused(a)


@ex5.check
def _helper_keeps_running(a: Answer):
    pod = pod_or_none(applied(a), "webapp")
    for status in (pod.get("status") or {}).get("containerStatuses", []):
        if status["name"] == "helper" and (status.get("restartCount", 0) > 0 or not status.get("ready")):
            return ("On a cluster, `helper` exits as soon as it starts and the kubelet keeps "
                    "restarting it (CrashLoopBackOff): busybox's default command is a shell, "
                    "which ends at once when nobody types into it. Give the helper a command that "
                    "keeps running.")
    return None


@ex5.check(hidden=True)
def _both_ready(a: Answer):
    pod = pod_or_none(applied(a), "webapp")
    statuses = (pod.get("status") or {}).get("containerStatuses", [])
    if not running(pod) or len(statuses) != 2 or not all(s.get("ready") for s in statuses):
        return "On a cluster the pod does not reach 2/2 Running."
    return None


# --- Exercise 6: tidy up the pods (commands) -----------------------------------------------------

ex6 = exercise("ch05-ex6", 2, "commands", "Remove one pod, add another")
#: the pods the notebook's cell creates before this exercise (also its starting state here)
ex6.start = ("run web --image=nginx", "run api --image=httpd",
             "run debug --image=busybox -- sleep 3600")


def _after6(a: Answer):
    return cluster_after(a, seed=SEED, start=ex6.start)


@ex6.check
def _debug_gone(a: Answer):
    cluster = _after6(a)
    if pod_or_none(cluster, "debug") is not None:
        return "The pod `debug` is still there."
    missing = [n for n in ("web", "api") if pod_or_none(cluster, n) is None]
    if missing:
        return f"Only `debug` should go; {', '.join(missing)} was deleted too."
    return None


@ex6.check
def _cache_added(a: Answer):
    cluster = _after6(a)
    pod = pod_or_none(cluster, "cache")
    if pod is None:
        return "There is no pod named `cache`."
    if not any(is_image(i, "redis") for i in images_of(pod)):
        return "`cache` does not run the image the task gives it."
    names = sorted(p.name for p in cluster.pods())
    if names != ["api", "cache", "web"]:
        return f"Exactly three pods should remain; there are: {', '.join(names)}."
    return None


@ex6.check(hidden=True)
def _cache_runs(a: Answer):
    if not running(pod_or_none(_after6(a), "cache")):
        return "`cache` does not reach Running."
    return None


# --- Exercise 7: how pods scale (concept) --------------------------------------------------------

ex7 = exercise("ch05-ex7", 1, "concept", "Scaling an application")
choice(ex7, "f72bdae48dde9394", {
    "a": "A pod holds one instance of an application. Two nginx containers in one pod would share "
         "one network address, and their port 80 would clash.",
    "c": "A bigger image is still one instance of the application; more users need more "
         "instances.",
    "d": "A pod runs on one node, and its containers share one network address: one big pod "
         "cannot spread over the cluster.",
})
