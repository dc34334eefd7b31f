"""`kubectl delete`: by name, type/name, -f, -l, --all; graceful, --now, --force; cascades; --wait.

As staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go: each DELETE prints `pod "x" deleted`
(`force deleted` with --grace-period=0 --force), then kubectl waits until every deleted object is
gone (simulated time runs meanwhile, as the real command blocks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError, NotFound
from k8scourse.kubectl import builder, mutate, resources
from k8scourse.kubectl.render import add_source, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env
    from k8scourse.kubectl.resources import Info

FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running "
                 "resource has been terminated. The resource may continue to run on the cluster "
                 "indefinitely.")

#: How long `--wait` follows the cluster at most when no --timeout is given (simulated seconds).
WAIT_CAP = 600.0


def cascade_strategy(env: "Env", value: str) -> str:
    """parseCascadingFlag: Background, Foreground or Orphan."""
    mapping = {"orphan": "Orphan", "foreground": "Foreground", "background": "Background"}
    if value in mapping:
        return mapping[value]
    truth = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}
    if value in truth:
        new = "background" if truth[value] else "orphan"
        env.eprintln(f"warning: --cascade={value} is deprecated (boolean value) and can be "
                     f"replaced with --cascade={new}.")
        return "Background" if truth[value] else "Orphan"
    raise ClientError(f'invalid cascade value ({value}). Must be "background", "foreground", or '
                      '"orphan"')


def delete_message(info: "Info", grace: int, dry: str, output: str) -> str:
    kind = info.rtype.singular + (f".{info.rtype.group}" if info.rtype.group else "")
    if output == "name":
        return f"{kind}/{info.name}"
    op = "force deleted" if grace == 0 else "deleted"
    op += {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    return f'{kind} "{info.name}" {op}'


def send_delete(env: "Env", info: "Info", propagation: str, grace: int | None) -> dict:
    t = info.rtype
    if not t.modelled:
        return resources.opaque_delete(env, t, info.namespace, info.name)
    return env.api.delete(t.kind, info.namespace if t.namespaced else "", info.name,
                          propagation=propagation, grace_period=grace, actor="kubectl")


def wait_deleted(env: "Env", deleted: list[tuple["Info", str]], timeout: float) -> None:
    """cmdwait.IsDeleted for every object: run simulated time until each one is gone."""
    clock = env.cluster.clock
    store = env.api.store

    def gone(info: "Info", uid: str) -> bool:
        t = info.rtype
        obj = store.get(t.kind, info.namespace if t.namespaced else "", info.name)
        return obj is None or obj["metadata"].get("uid") != uid

    limit = timeout if timeout > 0 else WAIT_CAP
    deadline = clock.now + limit
    pending = [(i, u) for i, u in deleted if not gone(i, u)]
    while pending:
        nxt = clock.next_time()
        if nxt is None or nxt > deadline:
            clock.run(deadline)
            pending = [(i, u) for i, u in pending if not gone(i, u)]
            break
        clock.step()
        pending = [(i, u) for i, u in pending if not gone(i, u)]
    if pending:
        info = pending[0][0]
        raise ClientError(f"timed out waiting for the condition on "
                          f"{info.rtype.qualified_plural}/{info.name}")


def run_delete(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    output = fl["output"]
    grace = fl["grace-period"]
    force = fl["force"]
    propagation = cascade_strategy(env, fl["cascade"])
    if fl["raw"]:
        raise ClientError("--raw is not available in this course's cluster")
    if fl["interactive"]:
        raise ClientError("--interactive needs a terminal to answer its question, which this "
                          "course's notebook does not have")
    ignore_not_found = fl["ignore-not-found"]
    if (fl["all"] or fl["selector"] or fl["field-selector"]) and not fl.is_set("ignore-not-found"):
        ignore_not_found = True
    if fl["now"]:
        if grace != -1:
            raise ClientError("--now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        grace = 1
    if force and grace < 0:
        grace = 0
    dry = mutate.dry_run_strategy(env, fl)
    if output and output != "name":
        raise ClientError(f"unexpected -o output mode: {output}. We only support '-o name'")
    if fl["all"] and fl["selector"]:
        raise ClientError("cannot set --all and --selector at the same time")
    if fl["all"] and fl["field-selector"]:
        raise ClientError("cannot set --all and --field-selector at the same time")
    if grace == 0 and force:
        env.eprintln(FORCE_WARNING)
    elif grace > 0 and force:
        raise ClientError("--force and --grace-period greater than 0 cannot be specified together")
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], field_selector=fl["field-selector"],
                        all_namespaces=fl["all-namespaces"], select_all=fl["all"],
                        allow_empty_selector=False, latest=False, fetch_objects=False)
    errors = [e for e in res.errors if not (ignore_not_found and isinstance(e, NotFound))]
    warn_cluster_scope = env.explicit_namespace and not fl["all-namespaces"]
    found = 0
    deleted: list[tuple["Info", str]] = []
    for info in res.infos:
        found += 1
        if warn_cluster_scope and not info.rtype.namespaced:
            env.eprintln("warning: deleting cluster-scoped resources, not scoped to the provided "
                         "namespace")
            warn_cluster_scope = False
        if dry == "client":
            env.println(delete_message(info, grace, dry, output))
            continue
        try:
            if dry == "server":
                resources.get_object(env, info.rtype, info.namespace, info.name)
                before = None
            else:
                before = send_delete(env, info, propagation, grace if grace >= 0 else None)
        except K8sError as e:
            if ignore_not_found and isinstance(e, NotFound):
                continue
            errors.append(add_source("deleting", info.source, e))
            continue
        env.println(delete_message(info, grace, dry, output))
        if before is not None:
            deleted.append((info, (before.get("metadata") or {}).get("uid", "")))
    if errors:
        # kubectl stops at the visit's errors before waiting
        raise aggregate(errors)
    if found == 0:
        env.println("No resources found")
        return
    if not fl["wait"] or dry != "none" or not deleted:
        return
    wait_deleted(env, deleted, fl["timeout"])
