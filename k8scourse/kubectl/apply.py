"""`kubectl apply -f` (client-side apply), `kubectl replace -f` and `apply view-last-applied`.

apply (staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go, patcher.go): an object that does not
exist is created with the `kubectl.kubernetes.io/last-applied-configuration` annotation; one that
exists gets a three-way strategic merge patch computed from the last applied configuration, the
manifest and the live object: `configured` when the patch changes something, `unchanged` when it
is `{}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError, NotFound
from k8scourse.kubectl import builder, mutate, printing, resources
from k8scourse.kubectl.render import add_source, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env
    from k8scourse.kubectl.resources import Info

MISSING_ANNOTATION = ("Warning: resource {res} is missing the "
                      "kubectl.kubernetes.io/last-applied-configuration annotation which is "
                      "required by kubectl apply. kubectl apply should only be used on resources "
                      "created declaratively by either kubectl create --save-config or kubectl "
                      "apply. The missing annotation will be patched automatically.")


def info_string(info: "Info") -> str:
    """resource.Info.String()."""
    t = info.rtype
    return (f'Resource: "{t.gvr}", GroupVersionKind: "{t.group}/{t.version}, Kind={t.kind}"\n'
            f'Name: "{info.name}", Namespace: "{info.namespace}"')


def _json(obj) -> dict:
    import json

    return json.loads(mutate.compact_json(obj))


def run_apply(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.apiserver.patch import PatchError, strategic_merge, three_way_merge_patch
    from k8scourse.apiserver.store import clone

    if fl["server-side"]:
        raise ClientError("server-side apply is not available in this course's cluster; use "
                          "client-side kubectl apply (the default)")
    if fl["prune"]:
        raise ClientError("--prune is not available in this course's cluster")
    if not fl["filename"] and not fl["kustomize"]:
        raise ClientError("must specify one of -f and -k")
    if fl["kustomize"]:
        raise ClientError("kustomize (-k) is not available in this course's cluster")
    if args:
        raise ClientError("Unexpected args: [" + " ".join(args) + "]\nSee 'kubectl apply -h' "
                          "for help and examples")
    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    directive = mutate.validation_directive(fl)
    res = builder.build(env, [], filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], latest=False,
                        validate=mutate.client_validate(directive))
    errors = list(res.errors)
    count = 0
    for info in res.infos:
        t = info.rtype
        local = clone(info.local)
        mutate.default_namespace(t, local, info.namespace or env.namespace)
        ns = local["metadata"].get("namespace", "") if t.namespaced else ""
        name = info.name
        try:
            if not name:
                raise ClientError("resource name may not be empty")
            current = resources.get_object(env, t, ns, name)
        except NotFound as e:
            # a missing object in a namespace that does not exist reports the namespace
            current = None
            if t.namespaced and ns != "default" and \
                    env.api.store.get("Namespace", "", ns) is None:
                pass
            del e
        except ClientError as e:
            errors.append(ClientError(
                f"error when retrieving current configuration of:\n{info_string(info)}\n"
                f'from server for: "{info.source}": {e}'))
            continue
        count += 1
        if current is None:
            obj = clone(local)
            mutate.set_last_applied(obj)
            try:
                if dry != "client":
                    obj = mutate.send_create(env, t, obj, directive=directive, dry_run=dry)
            except K8sError as e:
                errors.append(add_source("creating", info.source, e))
                continue
            printing.success(env, fmt, f"{t.ref}/{name}", "created", obj, dry)
            continue
        annotations = (current.get("metadata") or {}).get("annotations") or {}
        original_text = annotations.get(mutate.LAST_APPLIED)
        if original_text is None:
            env.eprintln(MISSING_ANNOTATION.format(res=f"{t.plural}/{name}"))
        modified = clone(local)
        mutate.set_last_applied(modified)
        modified = _json(modified)
        original = None
        if original_text:
            import json

            try:
                original = json.loads(original_text)
            except ValueError:
                original = None
        patch = three_way_merge_patch(original, modified, current, t.kind)
        try:
            patched = strategic_merge(current, patch, t.kind) if t.modelled else \
                _opaque_merge(current, modified)
        except PatchError as e:
            errors.append(add_source(
                f"applying patch:\n{mutate.compact_json(patch)}\nto:\n{info_string(info)}\nfor:",
                info.source, ClientError(str(e))))
            continue
        result = patched
        if patch and dry != "client":
            try:
                result = mutate.send_update(env, t, patched, directive=directive, dry_run=dry)
            except K8sError as e:
                errors.append(add_source(
                    f"applying patch:\n{mutate.compact_json(patch)}\nto:\n{info_string(info)}\n"
                    "for:", info.source, e))
                continue
        verb = "configured" if patch else "unchanged"
        printing.success(env, fmt, f"{t.ref}/{name}", verb, result, dry)
    if errors:
        raise aggregate(errors)
    if count == 0:
        raise ClientError("no objects passed to apply")


def _opaque_merge(current: dict, modified: dict) -> dict:
    from k8scourse.apiserver.patch import json_merge_patch

    return json_merge_patch(current, modified)


def run_view_last_applied(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    import json

    fmt = fl["output"]
    if fmt not in ("yaml", "json"):
        raise ClientError(f"unexpected -o output mode: {fmt}, the flag 'output' must be one of "
                          "yaml|json")
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], select_all=fl["all"],
                        allow_empty_selector=False)
    if res.errors:
        raise aggregate(res.errors)
    from k8scourse.kubectl import output

    first = True
    for info in res.infos:
        obj = info.obj or {}
        text = ((obj.get("metadata") or {}).get("annotations") or {}).get(mutate.LAST_APPLIED)
        if text is None:
            raise ClientError(f"no last-applied-configuration annotation found on resource: "
                              f"{info.name}")
        data = json.loads(text)
        if fmt == "json":
            env.write(output.to_json(data))
        else:
            if not first:
                env.println("---")
            env.write(output.to_yaml(data))
        first = False


def run_unsupported(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    raise ClientError(f'"{env.path}" is not available in this course\'s cluster')


def run_replace(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.apiserver.store import clone
    from k8scourse.kubectl.delete import cascade_strategy, send_delete, wait_deleted

    if not fl["filename"] and not fl["kustomize"]:
        raise ClientError("must specify --filename to replace")
    if fl["kustomize"]:
        raise ClientError("kustomize (-k) is not available in this course's cluster")
    if fl["raw"]:
        raise ClientError("--raw is not available in this course's cluster")
    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    directive = mutate.validation_directive(fl)
    force = fl["force"]
    if force and dry != "none":
        raise ClientError("--dry-run can not be used when --force is set")
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        latest=False, validate=mutate.client_validate(directive))
    errors = list(res.errors)
    if force:
        propagation = cascade_strategy(env, fl["cascade"])
        grace = fl["grace-period"]
        deleted = []
        for info in res.infos:
            try:
                before = send_delete(env, info, propagation, grace if grace >= 0 else None)
                deleted.append((info, before["metadata"].get("uid", "")))
                kind = info.rtype.singular + (f".{info.rtype.group}" if info.rtype.group else "")
                env.println(f'{kind} "{info.name}" deleted')
            except NotFound:
                pass
            except K8sError as e:
                errors.append(add_source("deleting", info.source, e))
        if errors:
            raise aggregate(errors)
        wait_deleted(env, deleted, fl["timeout"])
    for info in res.infos:
        obj = clone(info.local)
        mutate.default_namespace(info.rtype, obj, info.namespace or env.namespace)
        if fl["save-config"]:
            mutate.set_last_applied(obj)
        try:
            if force:
                if dry != "client":
                    obj = mutate.send_create(env, info.rtype, obj, directive=directive,
                                             dry_run=dry)
            elif dry != "client":
                obj = mutate.send_update(env, info.rtype, obj, directive=directive, dry_run=dry)
        except K8sError as e:
            errors.append(add_source("replacing", info.source, e))
            continue
        printing.success(env, fmt, f"{info.rtype.ref}/{info.name}", "replaced", obj, dry)
    if errors:
        raise aggregate(errors)
