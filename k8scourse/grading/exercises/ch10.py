"""Chapter 10, microservices: the voting app with `docker run` and links, then on Kubernetes (pods,
then Deployments, and Services), the order things start in and what breaks; the working app is the
final graded state."""

from __future__ import annotations

from k8scourse.grading import Answer, AnswerError, exercise
from k8scourse.grading.exercises.ch01 import choice, container, docker_lines, predicted, published
from k8scourse.grading.exercises.ch06 import after, as_dict, get, live_pods, owner_of, refused, selects
from k8scourse.grading.exercises.ch09 import applied_on, endpoint_ips, one_port, the_service, with_network
from k8scourse.grading.helpers import cached, docker_failed

SEED = 10

# --- the manifests (the course's data/voting-app, as the notebook writes them) --------------------


def _pod(name: str, container: str, image: str, port: int | None, env: str = "") -> str:
    ports = f"      ports:\n        - containerPort: {port}\n" if port else ""
    return (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    name: {name}\n"
            f"    app: demo-voting-app\nspec:\n  containers:\n    - name: {container}\n"
            f"      image: {image}\n{ports}{env}")


def _service(name: str, label: str, port: int, node_port: int | None = None) -> str:
    kind = "  type: NodePort\n" if node_port else ""
    node = f"      nodePort: {node_port}\n" if node_port else ""
    return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  labels:\n    name: {label}\n"
            f"    app: demo-voting-app\nspec:\n{kind}  ports:\n    - port: {port}\n"
            f"      targetPort: {port}\n{node}  selector:\n    name: {name_of_pod[label]}\n"
            f"    app: demo-voting-app\n")


def _deployment(name: str, pod: str, container: str, image: str, port: int | None, env: str = "") -> str:
    ports = f"          ports:\n            - containerPort: {port}\n" if port else ""
    env = "\n".join("    " + ln if ln else ln for ln in env.split("\n")) if env else ""
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n"
            f"    name: {name}\n    app: demo-voting-app\nspec:\n  replicas: 1\n  selector:\n"
            f"    matchLabels:\n      name: {pod}\n      app: demo-voting-app\n  template:\n"
            f"    metadata:\n      name: {pod}\n      labels:\n        name: {pod}\n"
            f"        app: demo-voting-app\n    spec:\n      containers:\n        - name: {container}\n"
            f"          image: {image}\n{ports}{env}")


POSTGRES_ENV = ("      env:\n        - name: POSTGRES_USER\n          value: \"postgres\"\n"
                "        - name: POSTGRES_PASSWORD\n          value: \"postgres\"\n")
name_of_pod = {"redis-service": "redis-pod", "postgres-service": "postgres-pod",
               "voting-service": "voting-app-pod", "result-service": "result-app-pod"}

VOTE_IMAGE = "kodekloud/examplevotingapp_vote:v1"
WORKER_IMAGE = "kodekloud/examplevotingapp_worker:v1"
RESULT_IMAGE = "kodekloud/examplevotingapp_result:v1"

PODS = {
    "voting-app-pod.yaml": _pod("voting-app-pod", "voting-app", VOTE_IMAGE, 80),
    "redis-pod.yaml": _pod("redis-pod", "redis", "redis", 6379),
    "worker-app-pod.yaml": _pod("worker-app-pod", "worker-app", WORKER_IMAGE, None),
    "postgres-pod.yaml": _pod("postgres-pod", "postgres", "postgres", 5432, POSTGRES_ENV),
    "result-app-pod.yaml": _pod("result-app-pod", "result-app", RESULT_IMAGE, 80),
}
SERVICES = {
    "redis-service.yaml": _service("redis", "redis-service", 6379),
    "voting-app-service.yaml": _service("voting-service", "voting-service", 80, 30004),
    "result-app-service.yaml": _service("result-service", "result-service", 80, 30005),
}
#: the Service of Exercise 4: the notebook writes the learner's own answer into this file
POSTGRES_SERVICE = _service("db", "postgres-service", 5432)
DEPLOYMENTS = {
    "voting-app-deploy.yaml": _deployment("voting-app-deploy", "voting-app-pod", "voting-app", VOTE_IMAGE, 80),
    "redis-deploy.yaml": _deployment("redis-deploy", "redis-pod", "redis", "redis", 6379),
    "worker-app-deploy.yaml": _deployment("worker-app-deploy", "worker-app-pod", "worker-app", WORKER_IMAGE, None),
    "postgres-deploy.yaml": _deployment("postgres-deploy", "postgres-pod", "postgres", "postgres", 5432,
                                        POSTGRES_ENV),
    "result-app-deploy.yaml": _deployment("result-app-deploy", "result-app-pod", "result-app", RESULT_IMAGE, 80),
}

#: files the notebook writes with %%writefile
FILES = {**PODS, **SERVICES, **DEPLOYMENTS}
#: files the notebook writes from a learner's answer (file name -> exercise), with the text graders use
ANSWER_FILES = {"postgres-service.yaml": "ch10-ex4"}
ALL_FILES = {**FILES, "postgres-service.yaml": POSTGRES_SERVICE}

VOTE_URLS = ("http://192.168.56.11:30004/", "http://192.168.56.12:30004/", "http://192.168.56.10:30004/")
RESULT_URL = "http://192.168.56.12:30005/"


def tally(cluster, votes: str = "abab") -> dict | None:
    """Cast `votes` through the voting-service NodePort (a different node and voter each time),
    give the worker a few seconds, and read the result page: its tally, or None if it fails."""
    from k8scourse.apps.net import NetError
    from k8scourse.network.laptop import browser_result, browser_vote

    with_network(cluster)
    try:
        for i, choice_ in enumerate(votes):
            if browser_vote(cluster, VOTE_URLS[i % 3], choice_, voter=f"grader{i}").status != 200:
                return None
        cluster.advance(5)
        return browser_result(cluster, RESULT_URL)
    except NetError:
        return None


# --- Exercise 1: what --link does (concept) ------------------------------------------------------

ex1 = exercise("ch10-ex1", 1, "concept", "What a link gives a container")
choice(ex1, "551616819b8edea7", {
    "a": "Publishing a port is `-p`; a link publishes nothing on the host.",
    "c": "docker refuses to link to a container that is not running; a link never starts one.",
    "d": "Containers keep their own files; a link only lets one find the other on the network.",
})


# --- Exercise 2: the rest of the app with docker (commands) --------------------------------------

ex2 = exercise("ch10-ex2", 2, "commands", "Start result and worker with docker")
#: the docker commands the notebook runs before this exercise
DOCKER_START = ("run -d --name=redis redis", "run -d --name=db postgres:9.4",
                "run -d --name=vote -p 5000:80 --link redis:redis voting-app")
_ENGINES: dict[str, object] = {}


def engine_after(answer: Answer):
    """A fresh docker host with redis, db and vote started, after the answer's docker commands."""
    def build() -> object:
        from k8scourse.docker import DockerEngine

        engine = DockerEngine(seed=SEED)
        for line in DOCKER_START:
            assert engine.docker(line).exit_code == 0, line
        try:
            lines = docker_lines(answer)
        except AnswerError as e:
            return e
        for line in lines:
            r = engine.docker(line)
            if r.exit_code != 0:
                return docker_failed(line, r)
        engine.advance(20)
        return engine
    return cached(_ENGINES, answer.text, build, limit=16)


@ex2.check
def _result(a: Answer):
    engine = engine_after(a)
    result = container(engine, "result")
    if result is None:
        return "There is no container named `result`."
    if not result.running:
        return "`result` is not running (`docker ps -a`, `docker logs result`)."
    if published(result).get(5001) != 80:
        return ("The result page should be reachable on port 5001 of the host: publish the "
                "container's port 80 there.")
    if "db" not in {alias for _, alias in result.links}:
        return ("The result app reads the votes from the host name `db`; link the `db` container "
                "to it under that name.")
    return None


@ex2.check
def _worker(a: Answer):
    engine = engine_after(a)
    worker = container(engine, "worker")
    if worker is None:
        return "There is no container named `worker`."
    aliases = {alias for _, alias in worker.links}
    if not worker.running:
        return ("`worker` stopped (`docker ps -a` shows it Exited; `docker logs worker` says why): "
                "it could not find a host it needs.")
    missing = [n for n in ("db", "redis") if n not in aliases]
    if missing:
        return f"The worker needs links to both hosts it uses; it has none to: {', '.join(missing)}."
    return None


@ex2.check(hidden=True)
def _votes_counted(a: Answer):
    engine = engine_after(a)
    try:
        engine.browser_vote(5000, "a", voter="grader")
        engine.advance(5)
        counted = engine.browser_result(5001).get("a", 0)
    except Exception:
        counted = 0
    if counted != 1:
        return "A vote cast on port 5000 does not show on the result page at port 5001."
    return None


# --- Exercise 3: which parts need a Service (predict) --------------------------------------------

ex3 = exercise("ch10-ex3", 1, "predict", "How many Services the app needs")
predicted(ex3, "ba3f616e8696d099", {
    "5": "Nobody connects to the worker: it only connects out to redis and db, so it needs no "
         "Service.",
    "2": "vote and result need a Service to be reached from outside, but the others are reached "
         "too: by name, from inside the cluster.",
    "3": "Count who is connected to: the browser reaches two parts, and the apps reach two more "
         "by name.",
}, form="Answer with a number of Services.", valid=str.isdigit,
    otherwise="Not that many. For each part, ask whether anything connects to it.")


# --- Exercise 4: the db Service (manifest) -------------------------------------------------------

ex4 = exercise("ch10-ex4", 3, "manifest", "The Service named db")
POSTGRES_LABELS = {"name": "postgres-pod", "app": "demo-voting-app"}
ex4_start = ("create -f postgres-pod.yaml", "create -f redis-pod.yaml", "create -f redis-service.yaml",
             "create -f worker-app-pod.yaml")


@ex4.check
def _db_name(a: Answer):
    svc = the_service(a)
    name = as_dict(svc.get("metadata")).get("name")
    if name != "db":
        return ("The worker and the result app connect to the host name the task gives; a Service's "
                f"name is the name clients use, and `{name}` is not that one.")
    if as_dict(svc.get("spec")).get("type", "ClusterIP") != "ClusterIP":
        return "Only the apps inside the cluster use the database: the Service should be ClusterIP."
    return None


@ex4.check
def _db_port(a: Answer):
    port = one_port(the_service(a))
    if port.get("port") != 5432:
        return "The apps connect to PostgreSQL's port, as the task says: the Service's `port` differs."
    if port.get("targetPort", port.get("port")) != 5432:
        return "`targetPort` should be the port postgres listens on in its pod."
    return None


@ex4.check
def _db_selector(a: Answer):
    sel = as_dict(the_service(a).get("spec")).get("selector")
    if not isinstance(sel, dict) or not sel or "matchLabels" in sel or not selects(sel, POSTGRES_LABELS):
        return ("The selector does not match the labels of `postgres-pod`, so the Service would "
                "have no endpoint (compare with `postgres-pod.yaml`).")
    return refused(a)


@ex4.check(hidden=True)
def _worker_connects(a: Answer):
    cluster = applied_on(a, seed=SEED, start=ex4_start, files=ALL_FILES, verb="create", seconds=30)
    pod_ip = (get(cluster, "Pod", "postgres-pod") or {}).get("status", {}).get("podIP")
    if endpoint_ips(cluster, "db") != [pod_ip]:
        return "On a cluster, the Service does not have postgres-pod as its endpoint."
    logs = cluster.kubectl("logs worker-app-pod").stdout
    if "Connected to db" not in logs:
        return "On a cluster, the worker does not connect to the database through the Service."
    return None


# --- Exercise 5: a vote before redis has its Service (predict) -----------------------------------

ex5 = exercise("ch10-ex5", 1, "predict", "A vote without the redis Service")
predicted(ex5, "4d5ff739d1ff2f71", {
    "200": "The page itself loads, but storing the vote needs redis, and the name `redis` does "
           "not resolve yet: the app's code fails.",
    "404": "The page exists; it is the vote's trip onwards to redis that fails.",
    "503": "The Service does reach the vote pod, so the app itself answers; it is its own code "
           "that fails while handling the vote.",
    "502": "There is no proxy in between that could report a bad gateway; the app answers itself.",
}, form="Answer with an HTTP status code, such as 301.", valid=lambda v: v.isdigit() and len(v) == 3,
    otherwise="Not that status. The app catches no error: what does a Python web app answer when "
              "its code raises an exception?")


# --- Exercise 6: the app on Deployments (commands; the final state) -------------------------------

ex6 = exercise("ch10-ex6", 3, "commands", "The voting app on Deployments")
ex6.start = tuple(f"create -f {f}" for f in (
    "redis-pod.yaml", "redis-service.yaml", "postgres-pod.yaml", "postgres-service.yaml",
    "worker-app-pod.yaml", "voting-app-pod.yaml", "voting-app-service.yaml", "result-app-pod.yaml",
    "result-app-service.yaml"))
DEPLOYMENT_NAMES = ("voting-app-deploy", "redis-deploy", "worker-app-deploy", "postgres-deploy",
                    "result-app-deploy")


def _after6(a: Answer):
    cluster, _ = after(a, seed=SEED, start=ex6.start, files=ALL_FILES, then=30)
    return with_network(cluster)


@ex6.check
def _no_bare_pods(a: Answer):
    cluster = _after6(a)
    bare = sorted(p["metadata"]["name"] for p in live_pods(cluster) if owner_of(p) is None)
    if bare:
        return (f"These pods belong to no Deployment: {', '.join(bare)}. Creating a Deployment "
                "does not adopt bare pods, and the Services send requests to them too.")
    return None


@ex6.check
def _deployments(a: Answer):
    cluster = _after6(a)
    missing = [n for n in DEPLOYMENT_NAMES if get(cluster, "Deployment", n) is None]
    if missing:
        return f"These Deployments are missing: {', '.join(missing)}."
    services = {"redis", "db", "voting-service", "result-service"}
    gone = sorted(n for n in services if get(cluster, "Service", n) is None)
    if gone:
        return f"Keep the Services: {', '.join(gone)} is gone, and the app needs it."
    return None


@ex6.check
def _three_votes(a: Answer):
    d = get(_after6(a), "Deployment", "voting-app-deploy")
    if d["spec"].get("replicas") != 3:
        return "The voting app should run as many replicas as the task says."
    if (d.get("status") or {}).get("readyReplicas") != 3:
        return "Not all replicas of the voting app are ready."
    return None


@ex6.check(hidden=True)
def _works_end_to_end(a: Answer):
    cluster = _after6(a)
    for name in DEPLOYMENT_NAMES:
        d = get(cluster, "Deployment", name)
        if (d.get("status") or {}).get("readyReplicas") != d["spec"].get("replicas"):
            return f"The Deployment {name} does not have all its replicas ready."
    result = tally(cluster, "abab")
    if not result or (result["a"], result["b"]) != (2, 2):
        return "Votes cast through node port 30004 do not all show on the result page at 30005."
    return None
