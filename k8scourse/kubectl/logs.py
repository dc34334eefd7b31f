"""`kubectl logs`: a pod's (or a workload's first pod's) container log, from its node's kubelet.

    kubectl logs nginx                      kubectl logs deploy/web -c app --tail=20
    kubectl logs nginx --previous           kubectl logs -f nginx   (follows simulated time)

Which container (`Defaulted container "a" out of: a, b`), which pod of a workload
(`Found 3 pods, using pod/web-...`) and the API server's checks are done here; the log text
itself comes from `cluster.kubelets[node].logs(...)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.errors import BadRequest, ClientError, K8sError, NotFound
from k8scourse.kubectl import builder, resources, selectors
from k8scourse.kubectl.render import UsageError, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env

DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"


def _rank(pod: dict) -> tuple:
    """podutils.ByLogging: the pod kubectl picks first."""
    status = pod.get("status") or {}
    phase = status.get("phase", "")
    phase_rank = {"Running": 0, "Unknown": 1, "Pending": 2}.get(phase, 3)
    ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                for c in status.get("conditions") or [])
    ready_since = next((c.get("lastTransitionTime") or "" for c in status.get("conditions") or []
                        if c.get("type") == "Ready" and c.get("status") == "True"), "")
    restarts = sum(c.get("restartCount", 0) for c in status.get("containerStatuses") or [])
    created = pod["metadata"].get("creationTimestamp") or "~"
    return (0 if (pod.get("spec") or {}).get("nodeName") else 1, phase_rank, 0 if ready else 1,
            ready_since, -restarts, created)


def workload_selector(obj: dict) -> dict | None:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind in ("ReplicationController", "Service"):
        sel = spec.get("selector")
        return {"matchLabels": sel} if sel else None
    if kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"):
        return spec.get("selector")
    return None


def pod_for(env: "Env", info, quiet: bool = False) -> dict:
    """AttachablePodForObject: the pod itself, or the first pod a workload selects."""
    obj = info.obj
    if info.rtype.kind == "Pod":
        return obj
    sel = workload_selector(obj)
    if sel is None:
        raise ClientError(f"cannot attach to {info.rtype.kind}: selector for "
                          f"{info.rtype.plural}/{info.name} not implemented")
    matcher = selectors.from_label_selector(sel)
    pods = [p for p in resources.list_objects(env, resources.for_kind("Pod"), info.namespace)
            if matcher is not None and matcher.matches(p["metadata"].get("labels"))]
    if not pods:
        raise ClientError(f"timed out waiting for the condition")
    pods.sort(key=_rank)
    if len(pods) > 1 and not quiet:
        env.eprintln(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}")
    return pods[0]


def container_names(pod: dict) -> str:
    spec = pod.get("spec") or {}
    names = [c.get("name", "") for c in spec.get("containers") or []]
    names += [f"{c.get('name', '')} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c.get('name', '')} (init)" for c in spec.get("initContainers") or []]
    return ", ".join(names)


def choose_container(env: "Env", pod: dict, requested: str, all_containers: bool = False) -> str:
    """The container kubectl asks for: -c, the default-container annotation, or the first one."""
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or []
    name = pod["metadata"]["name"]
    every = [c.get("name") for c in containers + (spec.get("initContainers") or []) +
             (spec.get("ephemeralContainers") or [])]
    if requested:
        if requested not in every:
            raise BadRequest(f"container {requested} is not valid for pod {name}")
        return requested
    default = ((pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER))
    if default and default in every:
        return default
    if not containers:
        raise BadRequest(f"a container name must be specified for pod {name}")
    if len(containers) > 1 or spec.get("initContainers"):
        env.eprintln(f'Defaulted container "{containers[0].get("name")}" out of: '
                     f"{container_names(pod)}")
    return containers[0].get("name", "")


def read_logs(env: "Env", pod: dict, container: str, *, previous: bool, tail: int | None,
              timestamps: bool) -> str:
    node = (pod.get("spec") or {}).get("nodeName")
    name = pod["metadata"]["name"]
    if not node:
        return ""
    kubelet = getattr(env.cluster, "kubelets", {}).get(node)
    if kubelet is None or not hasattr(kubelet, "logs"):
        raise BadRequest(f'container "{container}" in pod "{name}" is waiting to start: '
                         "ContainerCreating")
    return kubelet.logs(pod["metadata"].get("namespace", "default"), name, container,
                        previous=previous, tail=tail, timestamps=timestamps)


def run_logs(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl.get import request_timeout

    container = fl["container"]
    if fl["selector"]:
        if args:
            raise ClientError("only one of -l or POD/TYPE/NAME may be specified")
        pods = builder.list_by_selector(env, resources.for_kind("Pod"), env.namespace,
                                        fl["selector"], "")
        if not pods:
            env.eprintln(f"No resources found in {env.namespace} namespace.")
            return
        if fl["follow"] and len(pods) > fl["max-log-requests"]:
            raise ClientError(f"you are attempting to follow {len(pods)} log streams, but "
                              f"maximum allowed concurrency is {fl['max-log-requests']}, use "
                              "--max-log-requests to increase the limit")
        targets = pods
    else:
        if not args:
            raise UsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                             "POD or TYPE/NAME is a required argument for the logs command",
                             env.path)
        if len(args) == 2 and "/" not in args[0]:
            if container:
                raise UsageError("only one of -c or an inline [CONTAINER] arg is allowed",
                                 env.path)
            container = args[1]
            args = args[:1]
        elif len(args) > 2 or (len(args) == 2 and "/" in args[0]):
            raise UsageError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                             "POD or TYPE/NAME is a required argument for the logs command",
                             env.path)
        word = args[0] if "/" in args[0] else f"pods/{args[0]}"
        kind_word, _, name = word.partition("/")
        t = resources.resolve(kind_word)
        try:
            obj = builder.fetch(env, t, env.namespace if t.namespaced else "", name)
        except NotFound as e:
            raise ClientError(f"error from server (NotFound): {e} in namespace "
                              f'"{env.namespace}"') from None
        info = resources.Info(t, env.namespace, name, obj)
        targets = [pod_for(env, info)]
    tail = fl["tail"] if fl["tail"] >= 0 else None
    errors: list[BaseException] = []
    chunks: list[tuple[dict, str, str, str]] = []
    for pod in targets:
        try:
            names = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or []] \
                if fl["all-containers"] else [choose_container(env, pod, container)]
            for cname in names:
                full = read_logs(env, pod, cname, previous=fl["previous"], tail=None,
                                 timestamps=fl["timestamps"])
                shown = full if tail is None else read_logs(
                    env, pod, cname, previous=fl["previous"], tail=tail,
                    timestamps=fl["timestamps"])
                chunks.append((pod, cname, full, shown))
        except K8sError as e:
            if fl["ignore-errors"]:
                continue
            errors.append(e)
    for pod, cname, _, shown in chunks:
        env.write(_prefixed(shown, pod, cname, fl["prefix"]))
    if errors:
        raise aggregate(errors)
    if fl["follow"] and chunks:
        clock = env.cluster.clock
        deadline = clock.now + request_timeout(env)
        while clock.has_work():
            nxt = clock.next_time()
            if nxt is None or nxt > deadline:
                break
            clock.step()
        for pod, cname, before, _ in chunks:
            try:
                after = read_logs(env, pod, cname, previous=False, tail=None,
                                  timestamps=fl["timestamps"])
            except K8sError:
                continue
            if after.startswith(before):
                env.write(_prefixed(after[len(before):], pod, cname, fl["prefix"]))


def _prefixed(text: str, pod: dict, container: str, prefix: bool) -> str:
    if not prefix or not text:
        return text
    tag = f"[pod/{pod['metadata']['name']}/{container}] "
    return "".join(tag + line for line in text.splitlines(keepends=True))
