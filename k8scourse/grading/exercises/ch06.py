"""Chapter 6, ReplicationControllers and ReplicaSets: rc-definition.yml, replicaset-definition.yml,
labels and selectors, self-healing, adopting pods, the three ways to scale.

The helpers at the top (files beside the commands, workload manifests, ownership) serve the later
chapters too.
"""

from __future__ import annotations

import os
import tempfile

from k8scourse.grading import Answer, AnswerError, exercise
from k8scourse.grading.exercises.ch01 import choice, predicted
from k8scourse.grading.exercises.ch02 import is_image, running
from k8scourse.grading.helpers import apply_answer, cached, refused

SEED = 6

# --- the files the notebook writes (its %%writefile cells hold the same text) --------------------

RC_DEFINITION = """\
apiVersion: v1
kind: ReplicationController
metadata:
  name: myapp-rc
  labels:
    app: myapp
    type: front-end
spec:
  template:
    metadata:
      name: myapp-pod
      labels:
        app: myapp
        type: front-end
    spec:
      containers:
        - name: nginx-container
          image: nginx
  replicas: 3
"""

RS_DEFINITION = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: myapp-replicaset
  labels:
    app: myapp
    type: front-end
spec:
  template:
    metadata:
      name: myapp-pod
      labels:
        app: myapp
        type: front-end
    spec:
      containers:
        - name: nginx-container
          image: nginx
  replicas: 3
  selector:
    matchLabels:
      type: front-end
"""

BROKEN_RS = """\
apiVersion: v1
kind: ReplicaSet
metadata:
  name: web-replicaset
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: webserver
    spec:
      containers:
        - name: nginx
          image: nginx
"""

#: file name -> text, for the commands exercises that name the notebook's files
FILES = {"rc-definition.yml": RC_DEFINITION, "replicaset-definition.yml": RS_DEFINITION,
         "web-replicaset.yml": BROKEN_RS}


# --- helpers shared with the later chapters ------------------------------------------------------

_DIRS: dict[tuple, str] = {}
_AFTER: dict[tuple, object] = {}


def workdir(files: dict[str, str]) -> str:
    """A directory holding `files` (name -> text), made once per set of files: where the
    learner's commands run, so `-f replicaset-definition.yml` finds the notebook's file."""
    key = tuple(sorted(files.items()))
    if key not in _DIRS or not os.path.isdir(_DIRS[key]):
        path = tempfile.mkdtemp(prefix="k8scourse-files-")
        for name, text in files.items():
            with open(os.path.join(path, name), "w") as f:
                f.write(text)
        _DIRS[key] = path
    return _DIRS[key]


def run_commands(answer: Answer, cluster, cwd: str | None = None) -> None:
    """Run the answer's kubectl lines on `cluster` in `cwd`; AnswerError on a line that is not
    kubectl or that fails (with kubectl's own words)."""
    lines = answer.commands()
    if not lines:
        raise AnswerError("Write the kubectl commands, one per line.")
    for line in lines:
        if not line.startswith("kubectl ") and line != "kubectl":
            raise AnswerError(f"Each line should be a kubectl command; this one is not: {line!r}")
        result = cluster.kubectl(line, cwd=cwd)
        if result.exit_code != 0:
            raise AnswerError(f"This command failed: {line!r}. kubectl says:\n" + result.stderr.rstrip())


def after(answer: Answer, *, seed: int, start: tuple[str, ...] = (), files: dict[str, str] | None = None,
          workers: int = 2, then: float = 0.0):
    """`(cluster, before)`: a fresh kubeadm cluster in the exercise's starting state (the `start`
    kubectl lines, run beside `files`, each settled), after the answer's commands, settled, then `then`
    more seconds. `before` holds the pod names of the starting state. Cached."""
    files = files or {}
    key = (answer.exercise.id, answer.text, seed, start, tuple(sorted(files.items())), workers, then)

    def build() -> object:
        from k8scourse.cluster import Cluster

        cwd = workdir(files) if files else None
        cluster = Cluster.kubeadm(workers=workers, seed=seed)
        for line in start:      # one notebook cell each: the cluster settles in between
            result = cluster.kubectl(line, cwd=cwd)
            assert result.exit_code == 0, f"starting state: kubectl {line}: {result.stderr}"
            cluster.settle()
        before = {p["metadata"]["name"] for p in cluster.api.store.list("Pod", "default")}
        try:
            run_commands(answer, cluster, cwd)
            cluster.settle()
            if then:
                cluster.advance(then)
        except AnswerError as e:
            return e
        return (cluster, before)
    return cached(_AFTER, key, build)


def get(cluster, kind: str, name: str, namespace: str = "default") -> dict | None:
    """The stored object, or None."""
    return cluster.api.get_or_none(kind, namespace, name)


def live_pods(cluster, namespace: str = "default") -> list[dict]:
    """The pods that are not being deleted."""
    return [p for p in cluster.api.store.list("Pod", namespace)
            if not p["metadata"].get("deletionTimestamp")]


def owner_of(pod: dict) -> tuple[str, str] | None:
    """(kind, name) of the pod's controller, or None for a pod nobody owns."""
    for ref in pod["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return ref.get("kind"), ref.get("name")
    return None


def owned_pods(cluster, kind: str, name: str, namespace: str = "default") -> list[dict]:
    return [p for p in live_pods(cluster, namespace) if owner_of(p) == (kind, name)]


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def manifest_of(answer: Answer, kind: str, api_version: str) -> dict:
    """The one object of `kind` in the answer, with problems for the usual top-level mistakes
    (the wrong kind or its older cousin, a lower-case kind, the wrong API group)."""
    objs = answer.objects()
    kinds = [str(o.get("kind")) for o in objs if isinstance(o, dict)]
    for k in kinds:
        if k != kind and k.lower() == kind.lower():
            raise AnswerError(f"`kind` is case-sensitive: write `{kind}`.")
    if kind not in kinds:
        if "ReplicationController" in kinds and kind == "ReplicaSet":
            raise AnswerError("This is a ReplicationController; the task asks for its successor, "
                              "a ReplicaSet.")
        if "ReplicaSet" in kinds and kind == "Deployment":
            raise AnswerError("This describes a ReplicaSet; the task asks for the object one level "
                              "up, which manages ReplicaSets for you.")
    obj = answer.one(kind)
    missing = [k for k in ("apiVersion", "kind", "metadata", "spec") if k not in obj]
    if missing:
        raise AnswerError(f"A manifest has four top-level fields; this one lacks: {', '.join(missing)}.")
    if obj.get("apiVersion") != api_version:
        err = refused(answer)
        group = api_version.split("/")[0]
        raise AnswerError(f"A {kind} is served by the `{group}` API group, not by "
                          f"`{obj.get('apiVersion')}`." + (f"\n{err}" if err else ""))
    return obj


def template_of(obj: dict) -> tuple[dict, list[dict]]:
    """(pod template labels, containers) of a workload manifest, or a problem saying what is off."""
    spec = as_dict(obj.get("spec"))
    template = spec.get("template")
    if not isinstance(template, dict):
        if "containers" in spec:
            raise AnswerError("`containers` sits directly under `spec`. A controller's `spec` holds "
                              "a `template:` for its pods, with the pod's own `metadata` and `spec` "
                              "inside it.")
        raise AnswerError("The `spec` has no `template`: the pod that the controller makes copies of.")
    labels = as_dict(as_dict(template.get("metadata")).get("labels"))
    cs = as_dict(template.get("spec")).get("containers")
    if not isinstance(cs, list) or not cs:
        raise AnswerError("The pod template has no `spec.containers` list (under `template:`, the "
                          "pod's `spec` holds its containers).")
    return labels, [c for c in cs if isinstance(c, dict)]


def match_labels(obj: dict) -> dict | None:
    """spec.selector.matchLabels (ReplicaSet, Deployment) or spec.selector (RC, Service)."""
    sel = as_dict(obj.get("spec")).get("selector")
    if not isinstance(sel, dict):
        return None
    if obj.get("kind") in ("ReplicationController", "Service"):
        return sel
    return sel.get("matchLabels") if isinstance(sel.get("matchLabels"), dict) else \
        ({} if "matchExpressions" in sel else None)


def selects(selector: dict, labels: dict) -> bool:
    return all(str(labels.get(k)) == str(v) for k, v in selector.items())


def check_selector(obj: dict, kind: str) -> str | None:
    """The selector problems a beginner meets, in words; None when it picks the template's pods."""
    labels, _ = template_of(obj)
    sel = match_labels(obj)
    if sel is None:
        if isinstance(as_dict(obj.get("spec")).get("selector"), dict):
            return ("`spec.selector` should hold `matchLabels:` with the labels the pods must "
                    "have.")
        return (f"A {kind} needs `spec.selector` (with `matchLabels`) saying which pods it counts "
                "as its own; a ReplicationController may leave it out, a ReplicaSet or Deployment "
                "cannot.")
    if not labels:
        return "The pod template has no labels, so no selector can choose the pods it makes."
    if not selects(sel, labels):
        return (f"The {kind}'s selector does not match the labels in its pod template, so it would "
                "never own the pods it creates.")
    return None


_APPLIED: dict[str, object] = {}


def applied(answer: Answer, seconds: float = 60.0):
    """A fresh cluster after `kubectl apply -f` of the answer and `seconds` to run."""
    def build() -> object:
        from k8scourse.cluster import Cluster

        return apply_answer(Cluster.kubeadm(workers=2, seed=SEED), answer, seconds=seconds)
    return cached(_APPLIED, answer.text, build)


# --- Exercise 1: a node fails (predict) ----------------------------------------------------------

ex1 = exercise("ch06-ex1", 1, "predict", "Where the pods of a failed node go")
predicted(ex1, "c6d4d2dad79db6a9", {
    "0": "Only node02 failed; node01 keeps running, and the ReplicationController still wants "
         "its replicas somewhere.",
    "1": "Pods never move from node to node, but the ReplicationController does not give up on "
         "the ones it lost: it creates replacements, and the scheduler needs a Ready node that "
         "takes your pods.",
    "2": "Pods never move from node to node, but the ReplicationController does not give up on "
         "the ones it lost: it creates replacements, and the scheduler needs a Ready node that "
         "takes your pods.",
}, form="Answer with a number of pods.", valid=str.isdigit,
    otherwise="Not that many. How many replicas does myapp-rc want, and which nodes can run "
              "them while node02 is down?")


# --- Exercise 2: ReplicationController and ReplicaSet (concept) ----------------------------------

ex2 = exercise("ch06-ex2", 1, "concept", "What changed from ReplicationController to ReplicaSet")
choice(ex2, "f5f11785dfde8bee", {
    "a": "Both replace pods that fail: you watched myapp-rc do it in this chapter.",
    "c": "Both controllers span the cluster: the scheduler places each of their pods on any node "
         "that fits, as you saw when node02 failed.",
    "d": "Neither template has `apiVersion` or `kind`: a template is only the pod's `metadata` "
         "and `spec`.",
})


# --- Exercise 3: a ReplicaSet beside a ReplicationController (predict) ---------------------------

ex3 = exercise("ch06-ex3", 1, "predict", "Two controllers, one label")
predicted(ex3, "92122107e5c784fb", {
    "3": "The ReplicaSet's selector matches the pods of myapp-rc, but a controller adopts only "
         "pods that have no controller yet. Look at `metadata.ownerReferences` of one of those "
         "pods (`kubectl get pod NAME -o yaml`).",
    "0": "Creating a ReplicaSet deletes no other controller's pods.",
}, form="Answer with a number of pods.", valid=str.isdigit,
    otherwise="Not that many. Which pods does each controller count as its own?")


# --- Exercise 4: from ReplicationController to ReplicaSet, pods untouched (commands) -------------

ex4 = exercise("ch06-ex4", 2, "commands", "Swap the controller, keep the pods")
ex4.start = ("create -f rc-definition.yml",)


def _after4(a: Answer):
    return after(a, seed=SEED, start=ex4.start, files=FILES)


@ex4.check
def _rc_gone(a: Answer):
    cluster, _ = _after4(a)
    if get(cluster, "ReplicationController", "myapp-rc") is not None:
        return "The ReplicationController `myapp-rc` still exists."
    if get(cluster, "ReplicaSet", "myapp-replicaset") is None:
        return ("There is no ReplicaSet `myapp-replicaset`; create it from "
                "`replicaset-definition.yml`.")
    return None


@ex4.check
def _same_pods(a: Answer):
    cluster, before = _after4(a)
    owned = {p["metadata"]["name"] for p in owned_pods(cluster, "ReplicaSet", "myapp-replicaset")}
    if owned == before:
        return None
    if not owned & before:
        return ("The ReplicaSet runs new pods: the pods myapp-rc had started are gone. kubectl "
                "delete removes what an object owns along with it, unless you ask it to leave "
                "those pods behind as orphans.")
    return ("Some of the original pods were replaced. While myapp-rc still owned them, the new "
            "ReplicaSet could not adopt them and started pods of its own; think about the order "
            "of your commands.")


@ex4.check(hidden=True)
def _all_running(a: Answer):
    cluster, _ = _after4(a)
    pods = owned_pods(cluster, "ReplicaSet", "myapp-replicaset")
    if len(pods) != 3 or not all(running(p) for p in pods) or len(live_pods(cluster)) != 3:
        return "At the end the ReplicaSet should own the three running pods, and no other pod runs."
    return None


# --- Exercise 5: adopt a pod by its labels (commands) --------------------------------------------

ex5 = exercise("ch06-ex5", 2, "commands", "Adopt the pod lone")
ex5.start = ("run lone --image=nginx --labels=type=back-end", "create -f replicaset-definition.yml")


def _after5(a: Answer):
    return after(a, seed=SEED, start=ex5.start, files=FILES)


@ex5.check
def _lone_adopted(a: Answer):
    cluster, _ = _after5(a)
    lone = get(cluster, "Pod", "lone")
    if lone is None or lone["metadata"].get("deletionTimestamp"):
        return "The pod `lone` is gone; the task keeps it running."
    owner = owner_of(lone)
    if owner == ("ReplicaSet", "myapp-replicaset"):
        return None
    if owner is not None:
        return f"`lone` belongs to {owner[0]} {owner[1]}, not to myapp-replicaset."
    rs = get(cluster, "ReplicaSet", "myapp-replicaset")
    if rs is None:
        return "The ReplicaSet `myapp-replicaset` is gone."
    return ("`lone` has no owner: its labels do not match the ReplicaSet's selector "
            "(`kubectl get pods --show-labels` and `kubectl describe rs myapp-replicaset`).")


@ex5.check
def _three_pods(a: Answer):
    cluster, _ = _after5(a)
    rs = get(cluster, "ReplicaSet", "myapp-replicaset")
    replicas = rs["spec"].get("replicas")
    if replicas != 3:
        return (f"The ReplicaSet now wants {replicas} pods; the task keeps it at three, with "
                "`lone` as one of them.")
    return None


@ex5.check(hidden=True)
def _others(a: Answer):
    cluster, _ = _after5(a)
    pods = owned_pods(cluster, "ReplicaSet", "myapp-replicaset")
    if len(pods) != 3 or not all(running(p) for p in pods):
        return "At the end myapp-replicaset should own three running pods, `lone` among them."
    return None


# --- Exercise 6: fix a ReplicaSet the cluster refuses (fix) --------------------------------------

ex6 = exercise("ch06-ex6", 2, "fix", "Fix web-replicaset.yml")


@ex6.check
def _kind_and_group(a: Answer):
    manifest_of(a, "ReplicaSet", "apps/v1")
    return None


@ex6.check
def _selector_matches(a: Answer):
    return check_selector(manifest_of(a, "ReplicaSet", "apps/v1"), "ReplicaSet")


@ex6.check
def _same_replicaset(a: Answer):
    rs = manifest_of(a, "ReplicaSet", "apps/v1")
    if as_dict(rs.get("metadata")).get("name") != "web-replicaset":
        return "Keep the ReplicaSet's name, `web-replicaset`."
    if as_dict(rs.get("spec")).get("replicas") != 2:
        return "Keep the number of replicas the file asks for."
    _, cs = template_of(rs)
    if len(cs) != 1 or not is_image(str(cs[0].get("image", "")), "nginx"):
        return "Keep the pod template's one container, running `nginx`."
    return refused(a)


@ex6.check(hidden=True)
def _runs(a: Answer):
    cluster = applied(a)
    pods = owned_pods(cluster, "ReplicaSet", "web-replicaset")
    if len(pods) != 2 or not all(running(p) for p in pods):
        return "Created on a cluster, the ReplicaSet does not reach two running pods."
    return None


# --- Exercise 7: scale -f, then replace -f (predict) ---------------------------------------------

ex7 = exercise("ch06-ex7", 1, "predict", "scale -f, then replace -f")
predicted(ex7, "5dcb3197215ca7db", {
    "6": "`kubectl scale -f` reads only the ReplicaSet's kind and name from the file: it changes "
         "the object in the cluster, not the file. What does the file still say, and what does "
         "`replace` send?",
    "9": "`replace` does not add to the pods running: it makes the object what the file says.",
}, form="Answer with a number of pods.", valid=str.isdigit,
    otherwise="Not that many. Which number of replicas is in the file when `replace` sends it?")


# --- Exercise 8: write a ReplicaSet (manifest) ---------------------------------------------------

ex8 = exercise("ch06-ex8", 3, "manifest", "A ReplicaSet for the API")


def _rs8(a: Answer) -> dict:
    return manifest_of(a, "ReplicaSet", "apps/v1")


@ex8.check
def _name_and_replicas(a: Answer):
    rs = _rs8(a)
    if as_dict(rs.get("metadata")).get("name") != "api-replicaset":
        return "The ReplicaSet's name, under `metadata`, is not the one the task asks for."
    replicas = as_dict(rs.get("spec")).get("replicas")
    if replicas is None:
        return ("`spec.replicas` is missing, and a ReplicaSet without it keeps a single pod "
                "running.")
    if replicas != 2:
        return "`spec.replicas` is not the number of pods the task asks for."
    return None


@ex8.check
def _template(a: Answer):
    labels, cs = template_of(_rs8(a))
    if str(labels.get("tier")) != "backend":
        if "tier" in as_dict(as_dict(_rs8(a).get("metadata")).get("labels")):
            return ("The label is on the ReplicaSet itself (`metadata.labels`); the pods get the "
                    "labels of `spec.template.metadata.labels`.")
        return "The pod template's labels lack the label the task gives."
    if len(cs) != 1 or not is_image(str(cs[0].get("image", "")), "httpd"):
        return "The pod template should have one container running the image the task gives."
    return None


@ex8.check
def _selector(a: Answer):
    rs = _rs8(a)
    problem = check_selector(rs, "ReplicaSet")
    if problem:
        return problem
    if str((match_labels(rs) or {}).get("tier")) != "backend":
        return "The selector should choose the pods by the label the task gives."
    return refused(a)


@ex8.check(hidden=True)
def _two_running(a: Answer):
    pods = owned_pods(applied(a), "ReplicaSet", "api-replicaset")
    if len(pods) != 2 or not all(running(p) for p in pods):
        return "Created on a cluster, the ReplicaSet does not reach two running pods."
    return None
