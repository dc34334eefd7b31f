"""`kubectl cordon|uncordon|drain|taint`: node maintenance.

    node/node02 cordoned
    Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-x8k2p
    evicting pod default/web-7c5ddbdf54-2xqzr
    pod/web-7c5ddbdf54-2xqzr evicted
    node/node02 drained

(staging/src/k8s.io/kubectl/pkg/cmd/drain, pkg/drain, cmd/taint). Drain evicts pods gracefully and
waits (in simulated time) until they are gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError, NotFound
from k8scourse.kubectl import builder, mutate, printing, resources, selectors
from k8scourse.kubectl.render import Aggregate, RawError, UsageError, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env


def _node_infos(env: "Env", fl: "FlagSet", args: list[str], use: str):
    if not args and not fl.is_set("selector"):
        raise UsageError(f"USAGE: {use} [flags]", env.path)
    if args and fl["selector"]:
        raise UsageError("error: cannot specify both a node name and a --selector option",
                         env.path)
    t = resources.for_kind("Node")
    if fl["selector"]:
        objs = builder.list_by_selector(env, t, None, fl["selector"], "")
        return [resources.Info(t, "", o["metadata"]["name"], o) for o in objs], []
    infos, errors = [], []
    for name in args:
        if "/" in name:
            word, _, name = name.partition("/")
            rt = resources.resolve(word)
            if rt.kind != "Node":
                errors.append(ClientError(f"{rt.plural}/{name} skipped"))
                continue
        try:
            infos.append(resources.Info(t, "", name, resources.get_object(env, t, "", name)))
        except NotFound as e:
            errors.append(e)
    return infos, errors


def _cordon(env: "Env", fl: "FlagSet", args: list[str], desired: bool, use: str) -> None:
    from k8scourse.apiserver.store import clone

    dry = mutate.dry_run_strategy(env, fl)
    infos, errors = _node_infos(env, fl, args, use)
    if errors and not infos:
        raise aggregate(errors)
    word = "cordoned" if desired else "uncordoned"
    for info in infos:
        node = clone(info.obj)
        current = bool((node.get("spec") or {}).get("unschedulable"))
        if current == desired:
            env.println(f"node/{info.name} already {word}")
            continue
        if dry != "client":
            spec = node.setdefault("spec", {})
            if desired:
                spec["unschedulable"] = True
            else:
                spec.pop("unschedulable", None)
            node["metadata"].pop("resourceVersion", None)
            try:
                mutate.send_update(env, info.rtype, node, directive="Ignore", dry_run=dry)
            except K8sError as e:
                env.eprintln(f'error: unable to {"cordon" if desired else "uncordon"} node '
                             f'"{info.name}": {e}')
                continue
        suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
        env.println(f"node/{info.name} {word}{suffix}")
    if errors:
        raise aggregate(errors)


def run_cordon(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    _cordon(env, fl, args, True, "cordon NODE")


def run_uncordon(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    _cordon(env, fl, args, False, "uncordon NODE")


# --- drain -------------------------------------------------------------------------------------

DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
UNMANAGED_FATAL = "Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"

#: How long drain waits for evicted pods at most without --timeout (simulated seconds).
DRAIN_CAP = 600.0


def _controller(pod: dict) -> dict | None:
    for ref in (pod["metadata"].get("ownerReferences") or []):
        if ref.get("controller"):
            return ref
    return None


def pods_for_deletion(env: "Env", node: str, fl: "FlagSet", pod_selector: str
                      ) -> tuple[list[dict], dict[str, list[str]], dict[str, list[str]]]:
    """drain.GetPodsForDeletion: (pods to evict, warnings by message, errors by message)."""
    sel = selectors.parse_labels(pod_selector) if pod_selector else None
    pods = sorted(env.api.store.pods_on_node(node),
                  key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"]))
    keep: list[dict] = []
    warnings: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for pod in pods:
        meta = pod["metadata"]
        if sel is not None and not sel.matches(meta.get("labels")):
            continue
        ident = f"{meta.get('namespace', '')}/{meta['name']}"
        phase = (pod.get("status") or {}).get("phase")
        if meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
            # already terminating: skipped when past the grace period, waited for otherwise
            keep.append(pod)
            continue
        annotations = meta.get("annotations") or {}
        if "kubernetes.io/config.mirror" in annotations:
            continue  # mirror (static) pods cannot be deleted through the API
        ref = _controller(pod)
        if ref is not None and ref.get("kind") == "DaemonSet":
            if fl["ignore-daemonsets"]:
                warnings.setdefault(DAEMONSET_WARNING, []).append(ident)
            else:
                errors.setdefault(DAEMONSET_FATAL, []).append(ident)
            continue
        if phase in ("Succeeded", "Failed"):
            keep.append(pod)
            continue
        if ref is None:
            if fl["force"]:
                warnings.setdefault(UNMANAGED_WARNING, []).append(ident)
            else:
                errors.setdefault(UNMANAGED_FATAL, []).append(ident)
                continue
        if any("emptyDir" in (v or {}) for v in (pod.get("spec") or {}).get("volumes") or []):
            if fl["delete-emptydir-data"] or fl["delete-local-data"]:
                warnings.setdefault(LOCAL_STORAGE_WARNING, []).append(ident)
            else:
                errors.setdefault(LOCAL_STORAGE_FATAL, []).append(ident)
                continue
        keep.append(pod)
    return keep, warnings, errors


def run_drain(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.kubectl.delete import wait_deleted

    if fl["delete-local-data"]:
        env.eprintln("Flag --delete-local-data has been deprecated, This option is deprecated "
                     "and will be deleted. Use --delete-emptydir-data.")
    dry = mutate.dry_run_strategy(env, fl)
    infos, errs = _node_infos(env, fl, args, "drain NODE")
    if errs and not infos:
        raise aggregate(errs)
    # cordon first
    _cordon(env, fl, [i.name for i in infos], True, "drain NODE") if infos else None
    fatal: list[BaseException] = []
    drained: set[str] = set()
    for info in infos:
        pods, warnings, errors = pods_for_deletion(env, info.name, fl, fl["pod-selector"])
        if errors:
            parts = [ClientError(f"cannot delete {msg}: {', '.join(p)}")
                     for msg, p in errors.items()]
            agg = Aggregate(parts)
            text = str(agg)
            env.eprintln(f'error: unable to drain node "{info.name}" due to error: {text}, '
                         "continuing command...")
            remaining = [i.name for i in infos if i.name not in drained]
            env.eprintln("There are pending nodes to be drained:")
            for n in remaining:
                env.eprintln(f" {n}")
            # kubectl returns an aggregate holding this aggregate: its lines print bare
            fatal.append(RawError("".join(f"{e}\n" for e in parts)))
            break
        if warnings:
            env.eprintln("Warning: " + "; ".join(f"{m}: {', '.join(p)}"
                                                  for m, p in warnings.items()))
        grace = fl["grace-period"]
        deleted = []
        verb = "deleted" if fl["disable-eviction"] else "evicted"
        for pod in pods:
            meta = pod["metadata"]
            ident = f"{meta.get('namespace', '')}/{meta['name']}"
            if dry == "client":
                env.println(f"evicting pod {ident} (dry run)")
                continue
            if not fl["disable-eviction"]:
                env.println(f"evicting pod {ident}")
            try:
                before = env.api.delete("Pod", meta.get("namespace", ""), meta["name"],
                                        grace_period=grace if grace >= 0 else None,
                                        actor="kubectl")
                deleted.append((pod, before["metadata"].get("uid", "")))
            except NotFound:
                continue
        for pod, uid in deleted:
            t = resources.for_kind("Pod")
            i = resources.Info(t, pod["metadata"].get("namespace", ""), pod["metadata"]["name"])
            try:
                wait_deleted(env, [(i, uid)], fl["timeout"] or DRAIN_CAP)
            except ClientError:
                fatal.append(ClientError(f"drain did not complete within {fl['timeout'] or DRAIN_CAP:g}s"))
                break
            env.println(f"pod/{pod['metadata']['name']} {verb}")
        if fatal:
            break
        drained.add(info.name)
        suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
        env.println(f"node/{info.name} drained{suffix}")
    if fatal:
        raise aggregate(fatal)
    if errs:
        raise aggregate(errs)


# --- taint -------------------------------------------------------------------------------------

_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def _validate_effect(effect: str) -> None:
    if effect not in _EFFECTS:
        raise ClientError(f"invalid taint effect: {effect}, unsupported taint effect")


def _taint_string(t: dict) -> str:
    """Taint.ToString()."""
    key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
    if not value and not effect:
        return key
    if not value:
        return f"{key}:{effect}"
    return f"{key}={value}:{effect}"


def parse_taint(spec: str) -> dict:
    parts = spec.split(":")
    value = ""
    effect = ""
    if len(parts) == 1:
        key = parts[0]
    elif len(parts) == 2:
        effect = parts[1]
        _validate_effect(effect)
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise ClientError(f"invalid taint spec: {spec}")
        key = kv[0]
        if len(kv) == 2:
            value = kv[1]
            errs = selectors.label_value_errors(value)
            if errs:
                raise ClientError(f"invalid taint spec: {spec}, {'; '.join(errs)}")
    else:
        raise ClientError(f"invalid taint spec: {spec}")
    errs = selectors.qualified_name_errors(key)
    if errs:
        raise ClientError(f"invalid taint spec: {spec}, {'; '.join(errs)}")
    t = {"key": key}
    if value:
        t["value"] = value
    if effect:
        t["effect"] = effect
    return t


def parse_taints(specs: list[str]) -> tuple[list[dict], list[dict]]:
    add: list[dict] = []
    remove: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        if spec.endswith("-"):
            key = spec[:-1]
            effect = ""
            if ":" in key:
                key, effect = key.split(":", 1)
            key = key.split("=", 1)[0]
            if effect:
                _validate_effect(effect)
            remove.append({"key": key, **({"effect": effect} if effect else {})})
        else:
            t = parse_taint(spec)
            if (t["key"], t.get("effect", "")) in seen:
                raise ClientError(f"duplicated taints with the same key and effect: "
                                  f"{{{t['key']} {t.get('value', '')} {t.get('effect', '')} "
                                  "<nil>}")
            seen.add((t["key"], t.get("effect", "")))
            add.append(t)
    return add, remove


def reorganize_taints(old: list[dict], overwrite: bool, add: list[dict], remove: list[dict]
                      ) -> tuple[str, list[dict], list[BaseException]]:
    new = [dict(t) for t in add]
    for o in old:
        if not any(t.get("key") == o.get("key") and t.get("effect") == o.get("effect")
                   for t in new):
            new.append(o)
    added = len(old) != len(new)
    errs: list[BaseException] = []
    deleted = False
    for r in remove:
        before = len(new)
        if r.get("effect"):
            new = [t for t in new if not (t.get("key") == r["key"] and
                                          t.get("effect") == r["effect"])]
        else:
            new = [t for t in new if t.get("key") != r["key"]]
        deleted = len(new) != before
        if not deleted:
            errs.append(ClientError(f'taint "{_taint_string(r)}" not found'))
    if (added and deleted) or overwrite:
        return "modified", new, errs
    if added:
        return "tainted", new, errs
    return "untainted", new, errs


def run_taint(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.apiserver.store import clone

    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    res_args: list[str] = []
    taint_args: list[str] = []
    met = False
    for s in args:
        is_taint = "=" in s or ":" in s or s.endswith("-")
        if is_taint:
            met = True
            taint_args.append(s)
        elif not met:
            res_args.append(s)
        else:
            raise ClientError(f"all resources must be specified before taint changes: {s}")
    if not res_args:
        raise ClientError("one or more resources must be specified as <resource> <name>")
    if not taint_args:
        raise ClientError("at least one taint update is required")
    try:
        add, remove = parse_taints(taint_args)
    except ClientError as e:
        raise UsageError(str(e), env.path) from None
    rtype = resources.resolve(res_args[0].lower())
    if rtype.kind != "Node":
        raise ClientError(f"invalid resource type {res_args[0].lower()}, only node types are "
                          "supported")
    conflicts = [f'{{"{r["key"]}":"{r.get("effect", "")}"}}' for a in add for r in remove
                 if a["key"] == r["key"] and (not r.get("effect") or
                                              r["effect"] == a.get("effect", ""))]
    if conflicts:
        raise ClientError("can not both modify and remove the following taint(s) in the same "
                          f"command: {', '.join(conflicts)}")
    if fl["all"] and fl["selector"]:
        raise ClientError("setting 'all' parameter with a non empty selector is prohibited")
    if not fl["all"] and not fl["selector"] and len(res_args) < 2:
        raise ClientError("at least one resource name must be specified since 'all' parameter "
                          "is not set")
    if fl["all"] or fl["selector"]:
        objs = builder.list_by_selector(env, rtype, None, fl["selector"], "")
        infos = [resources.Info(rtype, "", o["metadata"]["name"], o) for o in objs]
        errors: list[BaseException] = []
    else:
        infos, errors = [], []
        for name in res_args[1:]:
            try:
                infos.append(resources.Info(rtype, "", name,
                                            resources.get_object(env, rtype, "", name)))
            except NotFound as e:
                errors.append(e)
    for info in infos:
        node = clone(info.obj)
        taints = list((node.get("spec") or {}).get("taints") or [])
        try:
            if not fl["overwrite"]:
                exists = [a["key"] for a in add
                          if any(t.get("key") == a["key"] and t.get("effect") == a.get("effect")
                                 for t in taints)]
                if exists:
                    raise ClientError(f"node {info.name} already has {','.join(exists)} "
                                      "taint(s) with same effect(s) and --overwrite is false")
            op, new, errs = reorganize_taints(taints, fl["overwrite"], add, remove)
            if errs:
                raise aggregate(errs)
            spec = node.setdefault("spec", {})
            if new:
                spec["taints"] = new
            else:
                spec.pop("taints", None)
            out = node
            if dry != "client":
                node["metadata"].pop("resourceVersion", None)
                out = mutate.send_update(env, info.rtype, node, directive="Ignore", dry_run=dry)
        except K8sError as e:
            errors.append(e)
            continue
        printing.success(env, fmt, f"node/{info.name}", op, out, dry)
    if errors:
        raise aggregate(errors)
