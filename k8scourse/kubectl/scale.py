"""`kubectl scale` and `kubectl set image`.

    kubectl scale --replicas=6 -f replicaset-definition.yml
    kubectl scale --replicas=6 replicaset myapp-replicaset
    kubectl scale deployment/nginx --replicas=5 --current-replicas=3
    kubectl set image deployment/nginx nginx=nginx:1.27

(staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go, set/set_image.go)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError, StatusError
from k8scourse.kubectl import builder, mutate, printing
from k8scourse.kubectl.render import aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env

SCALABLE = {"Deployment", "ReplicaSet", "ReplicationController", "StatefulSet"}


class _NoScale(StatusError):
    code, reason = 404, "NotFound"


def run_scale(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.apiserver.store import clone

    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    mutate.warn_record(env, fl)
    replicas = fl["replicas"]
    if replicas < 0:
        raise ClientError("The --replicas=COUNT flag is required, and COUNT must be greater than "
                          "or equal to 0")
    current = fl["current-replicas"]
    if current < -1:
        raise ClientError("The --current-replicas must specify an integer of -1 or greater")
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], allow_empty_selector=fl["all"])
    infos = res.infos
    info_err = aggregate(res.errors) if res.errors else None
    if fl["resource-version"] and len(infos) > 1:
        raise ClientError("cannot use --resource-version with multiple resources")
    if not infos:
        if info_err is not None:
            raise ClientError(f"no objects passed to scale {_plain(info_err)}")
        raise ClientError("no objects passed to scale")
    for info in infos:
        t = info.rtype
        if t.kind not in SCALABLE:
            raise _NoScale("the server could not find the requested resource")
        live = clone(info.obj)
        if current != -1 or fl["resource-version"]:
            have = (live.get("spec") or {}).get("replicas", 1)
            if current != -1 and have != current:
                raise ClientError(f"Expected replicas to be {current}, was {have}")
            rv = fl["resource-version"]
            if rv and live["metadata"].get("resourceVersion") != rv:
                raise ClientError(f"Expected resourceVersion to be {rv}, was "
                                  f"{live['metadata'].get('resourceVersion')}")
        live.setdefault("spec", {})["replicas"] = replicas
        mutate.record_change_cause(env, fl, args, live)
        out = live
        if dry != "client":
            live["metadata"].pop("resourceVersion", None)
            try:
                out = mutate.send_update(env, t, live, directive="Ignore", dry_run=dry)
            except K8sError:
                raise
        printing.success(env, fmt, f"{t.ref}/{info.name}", "scaled", out, dry)
    if fl["timeout"] and dry == "none":
        _wait_for_replicas(env, infos, replicas, fl["timeout"])
    if info_err is not None:
        raise info_err


def _plain(err: BaseException) -> str:
    from k8scourse.kubectl.render import Aggregate

    if isinstance(err, Aggregate) and len(err.errors) == 1:
        err = err.errors[0]
    return str(err)


def _wait_for_replicas(env: "Env", infos, replicas: int, timeout: float) -> None:
    """--timeout: wait until status.replicas (and readyReplicas) reach the new size."""
    clock = env.cluster.clock
    deadline = clock.now + timeout

    def done() -> bool:
        for info in infos:
            t = info.rtype
            obj = env.api.store.get(t.kind, info.namespace, info.name)
            if obj is None:
                continue
            status = obj.get("status") or {}
            if status.get("replicas", 0) != replicas:
                return False
        return True

    while not done():
        if not clock.step_by(deadline):
            clock.run(deadline)
            if not done():
                raise ClientError("timed out waiting for the condition")
            return


# --- set image ---------------------------------------------------------------------------------

def _pod_spec(obj: dict) -> dict | None:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind in ("Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet",
                "Job"):
        return (spec.get("template") or {}).get("spec")
    if kind == "CronJob":
        return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get(
            "spec")
    return None


def run_set_image(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.apiserver.store import clone
    from k8scourse.kubectl.label import resources_and_pairs

    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    mutate.warn_record(env, fl)
    res_args, pairs = resources_and_pairs(args, "image")
    images: dict[str, str] = {}
    invalid = []
    for p in pairs:
        if "=" in p and not p.startswith("="):
            k, v = p.split("=", 1)
            images[k] = v
        else:
            invalid.append(p)
    if invalid:
        raise ClientError(f"invalid image format: {', '.join(invalid)}")
    if not res_args and not fl["filename"]:
        raise ClientError("one or more resources must be specified as <resource> <name> or "
                          "<resource>/<name>")
    if not images:
        raise ClientError("at least one image update is required")
    if fl["local"] and dry == "server":
        raise ClientError("cannot specify --local and --dry-run=server - did you mean "
                          "--dry-run=client?")
    res = builder.build(env, res_args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], allow_empty_selector=fl["all"],
                        latest=not fl["local"])
    errors = list(res.errors)
    for info in res.infos:
        obj = clone(info.obj if info.obj is not None else info.local)
        spec = _pod_spec(obj)
        if spec is None:
            errors.append(ClientError(
                f"{info.rtype.plural}/{info.name} the object is not a pod or does not have a "
                f"pod template: *{info.rtype.version}.{info.rtype.kind}"))
            continue
        changed_any = False
        try:
            for cname, image in images.items():
                found = False
                for group in ("initContainers", "containers"):
                    for c in spec.get(group) or []:
                        if cname == "*" or c.get("name") == cname:
                            c["image"] = image
                            found = True
                            changed_any = True
                if not found:
                    raise ClientError(f'unable to find container named "{cname}"')
        except ClientError as e:
            errors.append(e)
            continue
        out = obj
        if changed_any:
            mutate.record_change_cause(env, fl, args, obj)
        if not fl["local"] and dry != "client" and changed_any:
            obj["metadata"].pop("resourceVersion", None)
            try:
                out = mutate.send_update(env, info.rtype, obj, directive="Ignore", dry_run=dry)
            except K8sError as e:
                errors.append(e)
                continue
        printing.success(env, fmt, f"{info.rtype.ref}/{info.name}", "image updated", out, dry)
    if errors:
        raise aggregate(errors)


def run_set_unsupported(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    raise ClientError(f'"{env.path}" is not available in this course\'s cluster; use kubectl '
                      "patch or edit the manifest and kubectl apply it")
