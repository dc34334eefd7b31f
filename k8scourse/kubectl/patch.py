"""`kubectl patch`: strategic merge (default), JSON merge or JSON patch, `-p` inline or --patch-file.

    kubectl patch deployment web -p '{"spec":{"replicas":3}}'           deployment.apps/web patched
    kubectl patch pod web --type=json -p '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.27"}]'

The patch itself is applied by k8scourse.apiserver.patch, as the API server does.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from k8scourse.errors import BadRequest, ClientError, K8sError
from k8scourse.kubectl import builder, mutate, printing
from k8scourse.kubectl.render import RawError, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env

PATCH_TYPES = {"json": "json", "merge": "merge", "strategic": "strategic"}


def parse_patch_text(text: str) -> Any:
    """yaml.ToJSON of the patch: JSON or YAML; kubectl's `unable to parse` otherwise."""
    import yaml

    try:
        return yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as e:
        line = ""
        mark = getattr(e, "problem_mark", None)
        if mark is not None:
            line = f"line {mark.line + 1}: "
        problem = getattr(e, "problem", None) or str(e)
        raise ClientError(f'unable to parse "{text}": yaml: {line}{problem}') from None


def run_patch(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    from k8scourse.apiserver.patch import PatchError, apply_patch
    from k8scourse.apiserver.store import clone

    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    ptype = fl["type"].lower()
    if ptype not in PATCH_TYPES:
        raise ClientError(f'--type must be one of [json merge strategic], not "{fl["type"]}"')
    text = fl["patch"]
    if text and fl["patch-file"]:
        raise ClientError("--patch and --patch-file are mutually exclusive")
    if fl["patch-file"]:
        path = fl["patch-file"]
        full = path if os.path.isabs(path) or not env.cwd else os.path.join(env.cwd, path)
        try:
            with open(full, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            raise ClientError(f"unable to read patch file: open {path}: no such file or "
                              "directory") from None
    if not text:
        raise ClientError("must specify --patch or --patch-file containing the contents of the "
                          "patch")
    if fl["local"] and dry == "server":
        raise ClientError("cannot specify --local and --dry-run=server - did you mean "
                          "--dry-run=client?")
    if fl["local"] and args:
        raise ClientError("cannot specify --local and server resources")
    patch = parse_patch_text(text)
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        allow_empty_selector=False, latest=not fl["local"])
    errors = list(res.errors)
    count = 0
    for info in res.infos:
        count += 1
        current = clone(info.obj if info.obj is not None else info.local)
        try:
            try:
                patched = apply_patch(current, patch, PATCH_TYPES[ptype])
            except PatchError as e:
                if ptype == "json":
                    raise RawError("The request is invalid: the server rejected our request due "
                                   f"to an error in our request: {e}") from None
                raise BadRequest(str(e)) from None
            if not isinstance(patched, dict):
                raise BadRequest("the object provided is unrecognized")
            for key in ("apiVersion", "kind"):
                if patched.get(key) != current.get(key):
                    raise BadRequest(f"the {key} of the patched object does not match")
            changed = patched != current
            out = patched
            if changed and not fl["local"] and dry != "client":
                send = clone(patched)
                send.setdefault("metadata", {})["resourceVersion"] = \
                    (current.get("metadata") or {}).get("resourceVersion")
                if not send["metadata"]["resourceVersion"]:
                    send["metadata"].pop("resourceVersion")
                out = mutate.send_update(env, info.rtype, send, directive="Warn", dry_run=dry)
        except K8sError as e:
            errors.append(e)
            continue
        verb = "patched" if changed else "patched (no change)"
        printing.success(env, fmt, f"{info.rtype.ref}/{info.name}", verb, out, dry)
    if errors:
        raise aggregate(errors)
    if count == 0:
        raise ClientError("no objects passed to patch")
