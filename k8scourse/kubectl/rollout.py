"""`kubectl rollout status|history|undo|pause|resume|restart`.

The Deployment logic is helper G's (k8scourse.controllers.deployment_util); this module finds the
objects, follows simulated time for `status` (each new Waiting line printed once, until done,
--timeout, or the progress deadline) and words the errors for other kinds as kubectl does:
`error: no status viewer has been implemented for ReplicaSet.apps`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError
from k8scourse.kubectl import builder
from k8scourse.kubectl.render import aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env
    from k8scourse.kubectl.resources import Info, RType

#: How long `rollout status` without --timeout follows the cluster at most (simulated seconds);
#: a Deployment's progress deadline (600 s by default) ends a stuck rollout before that.
STATUS_CAP = 900.0


def _group_kind(t: "RType") -> str:
    return f"{t.kind}.{t.group}" if t.group else t.kind


def _infos(env: "Env", fl: "FlagSet", args: list[str]) -> tuple[list["Info"], list]:
    if not args and not fl["filename"]:
        raise ClientError("required resource not specified")
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], allow_empty_selector=True)
    return res.infos, list(res.errors)


def _daemonset_status(ds: dict) -> tuple[str, bool, str | None]:
    name = ds["metadata"]["name"]
    strategy = ((ds.get("spec") or {}).get("updateStrategy") or {}).get("type", "RollingUpdate")
    if strategy != "RollingUpdate":
        return "", True, "rollout status is only available for RollingUpdate strategy type"
    status = ds.get("status") or {}
    if int(ds["metadata"].get("generation") or 0) <= int(status.get("observedGeneration") or 0):
        desired = int(status.get("desiredNumberScheduled") or 0)
        updated = int(status.get("updatedNumberScheduled") or 0)
        available = int(status.get("numberAvailable") or 0)
        if updated < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of '
                    f"{desired} new pods have been updated...", False, None)
        if available < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {available} of '
                    f"{desired} updated pods are available...", False, None)
        return f'daemon set "{name}" successfully rolled out', True, None
    return "Waiting for daemon set spec update to be observed...", False, None


def _status_line(env: "Env", info: "Info", revision: int) -> tuple[str, bool, str | None]:
    from k8scourse.controllers import deployment_util

    obj = env.api.store.get(info.rtype.kind, info.namespace, info.name)
    if obj is None:
        raise info.rtype.not_found(info.name)
    if info.rtype.kind == "Deployment":
        return deployment_util.rollout_status_line(obj, None, revision)
    return _daemonset_status(obj)


def run_status(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    infos, errors = _infos(env, fl, args)
    if errors:
        raise aggregate(errors)
    if len(infos) != 1:
        raise ClientError("rollout status is only supported on individual resources and "
                          "resource collections are not supported yet")
    clock = env.cluster.clock
    for info in infos:
        if info.rtype.kind not in ("Deployment", "DaemonSet"):
            if info.rtype.kind == "StatefulSet":
                raise ClientError("rollout status for StatefulSets is not available in this "
                                  "course's cluster")
            raise ClientError("no status viewer has been implemented for "
                              f"{_group_kind(info.rtype)}")
        timeout = fl["timeout"]
        deadline = clock.now + (timeout if timeout > 0 else STATUS_CAP)
        last = None
        while True:
            line, done, err = _status_line(env, info, fl["revision"])
            if err:
                raise ClientError(err)
            if line != last:
                env.println(line)
                last = line
            if done or not fl["watch"]:
                break
            # run the cluster until this object changes or time is up
            changed = False
            while not changed:
                nxt = clock.next_time()
                if nxt is None or nxt > deadline:
                    clock.run(deadline) if nxt is not None else None
                    line, done, err = _status_line(env, info, fl["revision"])
                    if err:
                        raise ClientError(err)
                    if line != last:
                        env.println(line)
                    if done:
                        return
                    raise ClientError("timed out waiting for the condition")
                clock.step()
                new_line = _status_line(env, info, fl["revision"])
                changed = new_line[0] != last or new_line[1] or new_line[2] is not None


def run_history(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.controllers import deployment_util

    fmt = fl["output"]
    infos, errors = _infos(env, fl, args)
    for info in infos:
        t = info.rtype
        if t.kind != "Deployment":
            if t.kind in ("DaemonSet", "StatefulSet"):
                errors.append(ClientError(f"rollout history for {t.plural} is not available in "
                                          "this course's cluster"))
                continue
            errors.append(ClientError(f'no history viewer has been implemented for '
                                      f'"{_group_kind(t)}"'))
            continue
        try:
            if fl["revision"]:
                if fmt:
                    from k8scourse.kubectl import printing

                    revs = deployment_util.history(env.cluster, info.namespace, info.name)
                    for v, _, rs in revs:
                        if v == fl["revision"]:
                            env.write(printing.render(env, fmt, rs))
                            break
                    else:
                        raise ClientError("unable to find the specified revision")
                    continue
                env.write(deployment_util.revision_text(env.cluster, info.namespace, info.name,
                                                        fl["revision"]))
            else:
                if fmt:
                    from k8scourse.kubectl import printing

                    revs = deployment_util.history(env.cluster, info.namespace, info.name)
                    env.write(printing.render(env, fmt, [rs for _, _, rs in revs]))
                    continue
                env.write(deployment_util.history_text(env.cluster, info.namespace, info.name))
        except K8sError as e:
            errors.append(e)
    if errors:
        raise aggregate(errors)


def run_undo(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.controllers import deployment_util

    infos, errors = _infos(env, fl, args)
    for info in infos:
        t = info.rtype
        if t.kind != "Deployment":
            errors.append(ClientError(f'no rollbacker has been implemented for '
                                      f'"{_group_kind(t)}"'))
            continue
        try:
            if fl["dry-run"] not in ("none", ""):
                env.println(f"{t.ref}/{info.name} rolled back (dry run)")
                continue
            env.println(deployment_util.rollback(env.cluster, info.namespace, info.name,
                                                 fl["to-revision"]))
        except K8sError as e:
            errors.append(e)
    if errors:
        raise aggregate(errors)


def _simple(env: "Env", fl: "FlagSet", args: list[str], action: str, what: str) -> None:
    from k8scourse.controllers import deployment_util

    infos, errors = _infos(env, fl, args)
    for info in infos:
        t = info.rtype
        if t.kind != "Deployment":
            qualified = t.plural + (f".{t.group}" if t.group else "")
            errors.append(ClientError(f'{qualified} "{info.name}" {what} is not supported'))
            continue
        try:
            env.println(getattr(deployment_util, action)(env.cluster, info.namespace,
                                                          info.name))
        except K8sError as e:
            errors.append(e)
    if errors:
        raise aggregate(errors)


def run_pause(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    _simple(env, fl, args, "pause", "pausing")


def run_resume(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    _simple(env, fl, args, "resume", "resuming")


def run_restart(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    _simple(env, fl, args, "restart", "restarting")
