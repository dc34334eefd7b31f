"""Chapter 7, Deployments: Deployment, ReplicaSet and Pod; rolling updates and Recreate; rollout
status, history and undo; a broken rollout and the way back."""

from __future__ import annotations

from k8scourse.grading import Answer, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.exercises.ch02 import is_image, running
from k8scourse.grading.exercises.ch06 import (after, applied, as_dict, check_selector, get,
                                              live_pods, manifest_of, owner_of, refused,
                                              template_of)

SEED = 7

DEPLOYMENT_DEFINITION = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  labels:
    app: mywebsite
    tier: frontend
spec:
  replicas: 4
  template:
    metadata:
      name: myapp-pod
      labels:
        app: myapp
    spec:
      containers:
        - name: nginx
          image: nginx
  selector:
    matchLabels:
      app: myapp
"""

WEBAPP_RECREATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: webapp
spec:
  replicas: 3
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: webapp
  template:
    metadata:
      labels:
        app: webapp
    spec:
      containers:
        - name: webapp
          image: kodekloud/webapp-color:v1
"""

FILES = {"deployment-definition.yml": DEPLOYMENT_DEFINITION, "webapp.yml": WEBAPP_RECREATE}

# --- helpers ------------------------------------------------------------------------------------


def tag_of(ref: str) -> str:
    """The tag of an image reference (`latest` when it has none)."""
    name = ref.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    return last.rsplit(":", 1)[1] if ":" in last else "latest"


def is_image_tag(ref: str, repository: str, tag: str) -> bool:
    return is_image(ref, repository) and tag_of(ref) == tag


def template_image(d: dict) -> str:
    containers = d["spec"]["template"]["spec"].get("containers") or [{}]
    return str(containers[0].get("image", ""))


def deployment_pods(cluster, name: str, namespace: str = "default") -> list[dict]:
    """The live pods of the ReplicaSets that Deployment `name` owns."""
    rs_names = {rs["metadata"]["name"] for rs in cluster.api.store.list("ReplicaSet", namespace)
                if owner_of(rs) == ("Deployment", name)}
    return [p for p in live_pods(cluster, namespace)
            if (owner_of(p) or ("", ""))[0] == "ReplicaSet" and owner_of(p)[1] in rs_names]


def current_replicaset(cluster, name: str, namespace: str = "default") -> dict | None:
    """The ReplicaSet of the Deployment's current revision."""
    d = get(cluster, "Deployment", name, namespace)
    if d is None:
        return None
    revision = (d["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision")
    for rs in cluster.api.store.list("ReplicaSet", namespace):
        if owner_of(rs) == ("Deployment", name) and \
                (rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision") == revision:
            return rs
    return None


def rolled_out(cluster, name: str, image: str) -> str | None:
    """A problem when not every pod of the Deployment is ready and runs `image`."""
    d = get(cluster, "Deployment", name)
    want = d["spec"].get("replicas", 1)
    pods = deployment_pods(cluster, name)
    new = [p for p in pods if p["spec"]["containers"][0].get("image") == image]
    if len(pods) != want or len(new) != want or not all(running(p) for p in new) or \
            not all(any(c.get("type") == "Ready" and c.get("status") == "True"
                        for c in (p.get("status") or {}).get("conditions", [])) for p in new):
        waiting = [s.get("state", {}).get("waiting", {}).get("reason")
                   for p in pods for s in (p.get("status") or {}).get("containerStatuses", [])]
        stuck = sorted({w for w in waiting if w})
        return ("The rollout did not finish: not every pod of the Deployment runs the new image "
                "and is ready" + (f" (pods are waiting with {', '.join(stuck)})" if stuck else "")
                + ". `kubectl rollout status` and `kubectl get pods` show how far it got.")
    return None


# --- Exercise 1: who replaces a deleted pod (concept) --------------------------------------------

ex1 = exercise("ch07-ex1", 1, "concept", "Who replaces a pod of a Deployment")
choice(ex1, "7d0d4749e550d60e", {
    "a": "The Deployment manages ReplicaSets, not pods: look at a pod's owner (`Controlled By` in "
         "`kubectl describe pod`).",
    "c": "A kubelet restarts the containers of a pod it runs, but it never creates a pod.",
    "d": "The scheduler only chooses a node for a pod that already exists.",
})


# --- Exercise 2: how many pods during a rolling update (predict) ---------------------------------

ex2 = exercise("ch07-ex2", 1, "predict", "The most pods during a rolling update")
predicted(ex2, "322909006d26dcf8", {
    "4": "maxSurge lets a rolling update run more pods than `replicas` for a while: new pods start "
         "before old ones go.",
    "8": "A rolling update never runs the old and the new ReplicaSet in full side by side; "
         "maxSurge caps how many pods it may add.",
    "3": "That is the fewest pods that must stay ready (replicas - maxUnavailable); the question "
         "asks for the most pods.",
    "6": "25% of 4 replicas is one pod: how many extra pods does maxSurge allow?",
}, form="Answer with a number of pods.", valid=str.isdigit,
    otherwise="Not that many. Work out replicas + maxSurge, with maxSurge as a number of pods "
              "(25% of the replicas, rounded up).")


# --- Exercise 3: an update with its cause (commands) ---------------------------------------------

ex3 = exercise("ch07-ex3", 2, "commands", "Update the image and say why")
ex3.start = ("create -f deployment-definition.yml",)


def _after3(a: Answer):
    cluster, _ = after(a, seed=SEED, start=ex3.start, files=FILES)
    return cluster


@ex3.check
def _new_image(a: Answer):
    cluster = _after3(a)
    d = get(cluster, "Deployment", "frontend")
    if d is None:
        return "The Deployment `frontend` is gone; the task updates it in place."
    image = template_image(d)
    if is_image_tag(image, "nginx", "latest"):
        return "The Deployment's pod template still has the old image."
    if not is_image_tag(image, "nginx", "1.26"):
        return "The Deployment's pod template has another image than the one the task gives."
    return rolled_out(cluster, "frontend", image)


@ex3.check
def _change_cause(a: Answer):
    cluster = _after3(a)
    rs = current_replicaset(cluster, "frontend")
    cause = ((rs or {}).get("metadata", {}).get("annotations") or {}).get("kubernetes.io/change-cause")
    if cause is None:
        return ("`kubectl rollout history deployment/frontend` shows <none> as the CHANGE-CAUSE of "
                "the new revision. The cause is an annotation you put on the Deployment.")
    if cause != "nginx 1.26":
        return "The CHANGE-CAUSE of the new revision is not the text the task gives."
    return None


@ex3.check(hidden=True)
def _still_four(a: Answer):
    d = get(_after3(a), "Deployment", "frontend")
    if d["spec"].get("replicas") != 4:
        return "The Deployment should keep its 4 replicas."
    return None


# --- Exercise 4: how many ReplicaSets (predict) --------------------------------------------------

ex4 = exercise("ch07-ex4", 1, "predict", "ReplicaSets kept for rollbacks")
predicted(ex4, "a3118a17967988dc", {
    "1": "A Deployment does not delete the ReplicaSets of earlier revisions: it scales them to 0 "
         "and keeps them, so it can roll back.",
    "2": "Each change of the pod template makes a ReplicaSet of its own; the earlier ones stay, "
         "scaled to 0.",
}, form="Answer with a number of ReplicaSets.", valid=str.isdigit,
    otherwise="Not that many. Count the revisions `kubectl rollout history` will list.")


# --- Exercise 5: a stuck rollout (predict) -------------------------------------------------------

ex5 = exercise("ch07-ex5", 1, "predict", "Running pods while a rollout is stuck")
predicted(ex5, "2f5b3bb7f48b24b4", {
    "0": "A rolling update takes old pods away only as new ones become ready (within "
         "maxUnavailable); here no new pod ever becomes ready.",
    "4": "Look at maxUnavailable: the rollout may take one old pod away before any new pod is "
         "ready, and it does so at once.",
    "5": "The new pods cannot start without their image, so they are not Running.",
    "2": "The new ReplicaSet's pods never become ready, so the rollout cannot take more old "
         "pods away than maxUnavailable allows.",
}, form="Answer with a number of pods.", valid=str.isdigit,
    otherwise="Not that many. Which old pods may the rollout stop while no new pod is ready?")


# --- Exercise 6: back to the version that worked (commands) -------------------------------------

ex6 = exercise("ch07-ex6", 2, "commands", "Roll back a broken update")
ex6.start = ("create -f deployment-definition.yml", "set image deployment/frontend nginx=nginx:1.27",
             "set image deployment/frontend nginx=nginx:1.277")


def _after6(a: Answer):
    cluster, _ = after(a, seed=SEED, start=ex6.start, files=FILES)
    return cluster


@ex6.check
def _good_version(a: Answer):
    cluster = _after6(a)
    d = get(cluster, "Deployment", "frontend")
    if d is None:
        return ("The Deployment `frontend` is gone; the task brings it back to a working version, "
                "keeping it.")
    image = template_image(d)
    if is_image_tag(image, "nginx", "1.277"):
        return ("The Deployment still asks for the image that does not exist, so its new pods "
                "cannot start.")
    if is_image_tag(image, "nginx", "latest"):
        return ("That is an older version than the last one that worked: `kubectl rollout "
                "history` lists the revisions in order.")
    if not is_image_tag(image, "nginx", "1.27"):
        return "The pods should run the version that worked last, before the broken update."
    return rolled_out(cluster, "frontend", image)


@ex6.check(hidden=True)
def _four_ready(a: Answer):
    cluster = _after6(a)
    d = get(cluster, "Deployment", "frontend")
    if d["spec"].get("replicas") != 4 or (d.get("status") or {}).get("readyReplicas") != 4:
        return "The Deployment should end with its 4 replicas ready."
    return None


# --- Exercise 7: Recreate or RollingUpdate (concept) ---------------------------------------------

ex7 = exercise("ch07-ex7", 1, "concept", "When to recreate")
choice(ex7, "88247b1e113583be", {
    "a": "A rolling update keeps old pods serving until new ones are ready, so both versions run "
         "side by side for a while: that is what this application cannot have.",
    "b": "maxSurge and maxUnavailable tune a rolling update; with any values, old and new pods "
         "overlap during the update.",
    "d": "A Deployment with several replicas can use either strategy.",
})


# --- Exercise 8: a Deployment that recreates (manifest) ------------------------------------------

ex8 = exercise("ch07-ex8", 3, "manifest", "A Deployment with the Recreate strategy")


def _d8(a: Answer) -> dict:
    return manifest_of(a, "Deployment", "apps/v1")


@ex8.check
def _name_replicas(a: Answer):
    d = _d8(a)
    if as_dict(d.get("metadata")).get("name") != "api":
        return "The Deployment's name, under `metadata`, is not the one the task asks for."
    replicas = as_dict(d.get("spec")).get("replicas")
    if replicas is None:
        return "`spec.replicas` is missing, and a Deployment without it runs a single pod."
    if replicas != 3:
        return "`spec.replicas` is not the number of pods the task asks for."
    return None


@ex8.check
def _pods(a: Answer):
    labels, cs = template_of(_d8(a))
    if str(labels.get("app")) != "api":
        return "The pod template's labels lack the label the task gives."
    if len(cs) != 1:
        return "The pod template should have one container."
    image = str(cs[0].get("image", ""))
    if not is_image(image, "httpd"):
        return "The container does not run the image the task gives."
    if not is_image_tag(image, "httpd", "2.4"):
        return ("The image has no tag or another tag than the task's: without a tag, `latest` is "
                "pulled, which changes over time.")
    return check_selector(_d8(a), "Deployment")


@ex8.check
def _strategy(a: Answer):
    d = _d8(a)
    strategy = as_dict(d.get("spec")).get("strategy")
    if strategy is None:
        return ("The Deployment has no `strategy`, so it uses the default, RollingUpdate, and runs "
                "old and new pods side by side during an update.")
    if isinstance(strategy, str):
        return ("`strategy` is a dictionary with a `type:` key, not a single word. " + (refused(a) or ""))
    if as_dict(strategy).get("type") != "Recreate":
        return refused(a) or ("The strategy's `type` is not the one that stops every old pod "
                              "before starting new ones.")
    return refused(a)


@ex8.check(hidden=True)
def _three_running(a: Answer):
    pods = deployment_pods(applied(a), "api")
    if len(pods) != 3 or not all(running(p) for p in pods):
        return "Created on a cluster, the Deployment does not reach three running pods."
    return None
