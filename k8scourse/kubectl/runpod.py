"""`kubectl run NAME --image=IMAGE`: one pod, as kubectl's run-pod/v1 generator builds it.

    kubectl run nginx --image=nginx --port=80 --labels=app=web --env=MODE=dev -- --verbose

The pod is named NAME, labelled `run=NAME` (or --labels), its one container also named NAME
(so `My_Pod` fails twice: the pod name and the container name).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from k8scourse.errors import ClientError
from k8scourse.kubectl import mutate, printing
from k8scourse.kubectl.render import aggregate
# docker/distribution's reference grammar: kubectl run validates --image with the same one
from k8scourse.kubelet.images import REFERENCE_RE

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env

_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


def parse_labels(spec: str) -> dict[str, str]:
    """generate.ParseLabels: `a=b,c=d`."""
    labels: dict[str, str] = {}
    for part in spec.split(","):
        kv = part.split("=")
        if len(kv) != 2:
            raise ClientError(f"unexpected label spec: {part}")
        if not kv[0]:
            raise ClientError("unexpected empty label key")
        labels[kv[0]] = kv[1]
    return labels


def parse_envs(envs: list[str]) -> list[dict]:
    out = []
    for e in envs:
        pos = e.find("=")
        if pos < 0:
            raise ClientError(f"invalid env: {e}")
        name, value = e[:pos], e[pos + 1:]
        if not name or not _ENV_NAME.match(name):
            raise ClientError(f"invalid env: {e}")
        out.append({"name": name, "value": value})
    return out


def restart_policy(restart: str, interactive: bool) -> str:
    if not restart:
        return "OnFailure" if interactive else "Always"
    if restart in ("Always", "OnFailure", "Never"):
        return restart
    raise ClientError(f"invalid restart policy: {restart}")


def pod_object(name: str, image: str, *, labels: dict, annotations: dict, args: list[str],
               command: bool, envs: list[dict], port: str, restart: str, pull_policy: str,
               stdin: bool, tty: bool, leave_stdin_open: bool, privileged: bool,
               namespace: str) -> dict:
    container: dict = {}
    if args:
        container["command" if command else "args"] = list(args)
    if envs:
        container["env"] = envs
    container["image"] = image
    if pull_policy:
        container["imagePullPolicy"] = pull_policy
    container["name"] = name
    if port:
        try:
            p = int(port) if re.fullmatch(r"[+-]?[0-9]+", port) else None
        except ValueError:
            p = None
        if p is None:
            raise ClientError(f'strconv.Atoi: parsing "{port}": invalid syntax')
        if p > -1:
            container["ports"] = [{"containerPort": p}]
    container["resources"] = {}
    if privileged:
        container["securityContext"] = {"privileged": True}
    if stdin:
        container["stdin"] = True
        if not leave_stdin_open:
            container["stdinOnce"] = True
    if tty:
        container["tty"] = True
    meta: dict = {}
    if annotations:
        meta["annotations"] = annotations
    meta["creationTimestamp"] = None
    meta["labels"] = labels
    meta["name"] = name
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst",
                     "restartPolicy": restart},
            "status": {}}


def run_run(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl.create import strip_nulls
    from k8scourse.kubectl.resources import for_kind

    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl) if fl.is_set("dry-run") else "none"
    if not args or fl.args_len_at_dash == 0:
        raise ClientError("NAME is required for run")
    image = fl["image"]
    if not image:
        raise ClientError("--image is required")
    if not REFERENCE_RE.match(image):
        raise ClientError(f'Invalid image name "{image}": invalid reference format')
    interactive, tty = fl["stdin"], fl["tty"]
    if tty and not interactive:
        raise ClientError("-i/--stdin is required for containers with -t/--tty=true")
    if fl["expose"] and not fl["port"]:
        raise ClientError("--port must be set when exposing a service")
    restart = restart_policy(fl["restart"], interactive)
    attach = fl["attach"] or interactive
    if not attach and fl["rm"]:
        raise ClientError("--rm should only be used for attached containers")
    if attach and dry != "none":
        raise ClientError("--dry-run=[server|client] can't be used with attached containers "
                          "options (--attach, --stdin, or --tty)")
    policy = fl["image-pull-policy"]
    if policy and policy not in ("Always", "IfNotPresent", "Never"):
        raise ClientError(f"image pull policy {policy} is invalid, valid values are Always, "
                          "IfNotPresent, Never")
    if attach:
        raise ClientError("unable to attach to the container: this course's cluster has no "
                          "interactive terminal. Run the pod without -i/-t/--attach/--rm, then "
                          'use "kubectl logs" or "kubectl exec"')
    name = args[0]
    labels = parse_labels(fl["labels"]) if fl["labels"] else {"run": name}
    annotations = {}
    for a in fl["annotations"]:
        if "=" not in a:
            raise ClientError(f"invalid annotation spec: {a}")
        k, v = a.split("=", 1)
        annotations[k] = v
    namespace = env.namespace if env.explicit_namespace else ""
    pod = pod_object(name, image, labels=labels, annotations=annotations, args=args[1:],
                     command=fl["command"], envs=parse_envs(fl["env"]), port=fl["port"],
                     restart=restart, pull_policy=policy, stdin=interactive, tty=tty,
                     leave_stdin_open=fl["leave-stdin-open"], privileged=fl["privileged"],
                     namespace=namespace)
    if fl["save-config"]:
        mutate.set_last_applied(pod)
    errors: list[BaseException] = []
    shown_pod = pod
    if dry != "client":
        send = strip_nulls(pod)
        send["metadata"].setdefault("namespace", env.namespace)
        shown_pod = mutate.send_create(env, for_kind("Pod"), send, dry_run=dry)
    if fl["expose"]:
        try:
            _expose(env, fl, name, labels, fl["port"], namespace, dry)
        except ClientError as e:
            errors.append(e)
        except Exception as e:  # noqa: BLE001
            from k8scourse.errors import K8sError

            if isinstance(e, K8sError):
                errors.append(e)
            else:
                raise
    printing.success(env, fmt, f"pod/{name}", "created", shown_pod, dry)
    if errors:
        raise aggregate(errors)


def _expose(env: "Env", fl: "FlagSet", name: str, labels: dict, port: str, namespace: str,
            dry: str) -> None:
    from k8scourse.kubectl.create import strip_nulls
    from k8scourse.kubectl.resources import for_kind

    p = int(port)
    svc = {"apiVersion": "v1", "kind": "Service",
           "metadata": {"creationTimestamp": None, "name": name,
                        **({"namespace": namespace} if namespace else {})},
           "spec": {"ports": [{"port": p, "protocol": "TCP", "targetPort": p}],
                    "selector": dict(labels)},
           "status": {"loadBalancer": {}}}
    shown = svc
    if dry != "client":
        send = strip_nulls(svc)
        send["metadata"].setdefault("namespace", env.namespace)
        shown = mutate.send_create(env, for_kind("Service"), send, dry_run=dry)
    printing.success(env, fl["output"], f"service/{name}", "created", shown, dry)
