"""`kubectl label` and `kubectl annotate`: add (`k=v`), overwrite (--overwrite), remove (`k-`).

    pod/nginx labeled | pod/nginx not labeled | pod/nginx unlabeled | pod/nginx annotated
    error: 'env' already has a value (prod), and --overwrite is false

(staging/src/k8s.io/kubectl/pkg/cmd/label/label.go, annotate/annotate.go). The change is sent as a
JSON merge patch of metadata.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError
from k8scourse.kubectl import builder, mutate, printing, selectors
from k8scourse.kubectl.render import aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env


def resources_and_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs."""
    res: list[str] = []
    pairs: list[str] = []
    found = False
    for s in args:
        non_resource = ("=" in s and not s.startswith("=")) or (s.endswith("-") and s != "-")
        if non_resource:
            found = True
            pairs.append(s)
        elif not found:
            res.append(s)
        else:
            raise ClientError(f"all resources must be specified before {pair_type} changes: {s}")
    return res, pairs


def parse_label_pairs(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise ClientError(f"invalid label spec: {spec}")
            errs = selectors.label_value_errors(parts[1])
            if errs:
                raise ClientError(f'invalid label value: "{spec}": {";".join(errs)}')
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise ClientError(f"unknown label spec: {spec}")
    for r in remove:
        if r in labels:
            raise ClientError("can not both modify and remove a label in the same command")
    return labels, remove


def parse_pairs(specs: list[str], pair_type: str) -> tuple[dict[str, str], list[str]]:
    """cmdutil.ParsePairs (annotations)."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in specs:
        if "=" in spec and not spec.startswith("="):
            k, v = spec.split("=", 1)
            new[k] = v
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise ClientError(f"invalid {pair_type} format: {', '.join(invalid)}")
    return new, remove


def _run(env: "Env", fl: "FlagSet", args: list[str], what: str) -> None:
    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    res_args, pair_args = resources_and_pairs(args, what)
    if what == "label":
        new, remove = parse_label_pairs(pair_args)
    else:
        new, remove = parse_pairs(pair_args, "annotation")
    if fl["list"] and fmt:
        raise ClientError(f"--list and --output may not be specified together")
    dry = mutate.dry_run_strategy(env, fl)
    if fl["all"] and fl["selector"]:
        raise ClientError("cannot set --all and --selector at the same time")
    if fl["all"] and fl["field-selector"]:
        raise ClientError("cannot set --all and --field-selector at the same time")
    if fl["local"]:
        if dry == "server":
            raise ClientError("cannot specify --local and --dry-run=server - did you mean "
                              "--dry-run=client?")
        if res_args:
            raise ClientError("can only use local files by -f pod.yaml or --filename=pod.json "
                              "when --local=true is set")
        if not fl["filename"]:
            raise ClientError("one or more files must be specified as -f pod.yaml or "
                              "--filename=pod.json")
    elif not res_args and not fl["filename"]:
        raise ClientError("one or more resources must be specified as <resource> <name> or "
                          "<resource>/<name>")
    if not new and not remove and not fl["list"]:
        raise ClientError(f"at least one {what} update is required")
    if what == "annotate":
        both = [r for r in remove if r in new]
        if both:
            raise ClientError("can not both modify and remove the following annotation(s) in "
                              f"the same command: {', '.join(both)}")
    res = builder.build(env, res_args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], field_selector=fl["field-selector"],
                        all_namespaces=fl["all-namespaces"], allow_empty_selector=fl["all"],
                        latest=not fl["local"])
    if fl["resource-version"] and not res.single_item:
        raise ClientError("--resource-version may only be used with a single resource")
    errors = list(res.errors)
    field = "labels" if what == "label" else "annotations"
    for info in res.infos:
        from k8scourse.apiserver.store import clone

        obj = clone(info.obj if info.obj is not None else info.local)
        meta = obj.setdefault("metadata", {})
        current = dict(meta.get(field) or {})
        try:
            if not fl["overwrite"]:
                if what == "label":
                    clash = [(k, current[k]) for k in new if k in current and current[k] != new[k]]
                    if clash:
                        raise aggregate([ClientError(f"'{k}' already has a value ({v}), and "
                                                     "--overwrite is false") for k, v in clash])
                else:
                    clash = [(k, current[k]) for k in new
                             if k in current and k != "kubernetes.io/change-cause"]
                    if clash:
                        raise ClientError(
                            "--overwrite is false but found the following declared annotation(s): "
                            + "; ".join(f"'{k}' already has a value ({v})" for k, v in clash))
            if what == "label" and not (dry == "client" or fl["local"] or fl["list"]):
                for r in remove:
                    if r not in current:
                        env.println(f'label "{r}" not found.')
            old_json = json.dumps(obj, sort_keys=True, separators=(",", ":"))
            updated = dict(current)
            updated.update(new)
            for r in remove:
                updated.pop(r, None)
            meta[field] = updated
            if not updated and field in meta:
                meta[field] = {}
            new_json = json.dumps(obj, sort_keys=True, separators=(",", ":"))
            if what == "label":
                msg = "not labeled"
                if old_json != new_json:
                    msg = "labeled"
                    if not fl["overwrite"] and len(new_json) < len(old_json):
                        msg = "unlabeled"
            else:
                msg = "annotated"
            out = obj
            if not (dry == "client" or fl["local"] or fl["list"]) and old_json != new_json:
                live = clone(info.obj)
                live_meta = live.setdefault("metadata", {})
                if updated:
                    live_meta[field] = updated
                else:
                    live_meta.pop(field, None)
                if fl["resource-version"]:
                    live_meta["resourceVersion"] = fl["resource-version"]
                else:
                    live_meta.pop("resourceVersion", None)
                out = mutate.send_update(env, info.rtype, live, directive="Ignore",
                                         dry_run=dry)
        except K8sError as e:
            errors.append(e)
            continue
        if fl["list"]:
            shown = (out.get("metadata") or {}).get(field) or {}
            indent = ""
            if not res.single_item:
                indent = " "
                kind_word = "labels" if what == "label" else "annotations"
                env.println(f"Listing {kind_word} for {info.rtype.kind}.{info.rtype.group}/"
                            f"{info.name}:")
            for k in sorted(shown):
                env.println(f"{indent}{k}={shown[k]}")
            continue
        printing.success(env, fmt, f"{info.rtype.ref}/{info.name}", msg, out, dry)
    if errors:
        raise aggregate(errors)


def run_label(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    _run(env, fl, args, "label")


def run_annotate(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    _run(env, fl, args, "annotate")
