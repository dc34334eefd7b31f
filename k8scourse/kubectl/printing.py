"""The -o/--output printers shared by get, create, apply, run, expose, ... (genericclioptions.PrintFlags).

    -o yaml | json | name | wide | jsonpath=... | jsonpath-file=... | custom-columns=... |
       custom-columns-file=...

Formatting is helper B's (k8scourse.kubectl.output and printers); this module picks the printer and
gives kubectl's errors for formats it does not know.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Sequence

from k8scourse.errors import ClientError

if TYPE_CHECKING:
    from k8scourse.kubectl.main import Env

ALLOWED_GET = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json",
               "jsonpath", "jsonpath-as-json", "jsonpath-file", "name", "template",
               "templatefile", "wide", "yaml")
ALLOWED_MUTATE = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json",
                  "jsonpath-file", "name", "template", "templatefile", "yaml")


def check_format(fmt: str, allowed: Sequence[str] = ALLOWED_GET) -> None:
    """printFlags.ToPrinter: an unknown -o value is an error listing the allowed formats."""
    if not fmt:
        return
    name = fmt.split("=", 1)[0]
    if name in allowed:
        if name in ("go-template", "go-template-file", "template", "templatefile"):
            raise ClientError(f'the output format "{name}" (Go templates) is not available in '
                              "this course's cluster; use -o jsonpath=... instead")
        if name in ("jsonpath", "jsonpath-file", "jsonpath-as-json", "custom-columns",
                    "custom-columns-file") and "=" not in fmt:
            if name.startswith("custom-columns"):
                raise ClientError("custom-columns format specified but no custom columns given")
            raise ClientError("template format specified but no template given")
        return
    raise ClientError(f'unable to match a printer suitable for the output format "{fmt}", '
                      f"allowed formats are: {','.join(sorted(allowed))}")


def is_human(fmt: str) -> bool:
    return fmt in ("", "wide")


def _read_file(env: "Env", path: str) -> str:
    full = path if os.path.isabs(path) or not env.cwd else os.path.join(env.cwd, path)
    try:
        with open(full, encoding="utf-8") as f:
            return f.read()
    except OSError:
        raise ClientError(f"error reading template {path}, open {path}: no such file or "
                          "directory") from None


def render(env: "Env", fmt: str, obj: dict | list[dict], *, as_list: bool | None = None) -> str:
    """Print an object (or several, as a `kind: List`) in a machine format."""
    from k8scourse.kubectl import output

    name, _, arg = fmt.partition("=")
    items = obj if isinstance(obj, list) else None
    if items is not None:
        doc = {"apiVersion": "v1", "items": list(items), "kind": "List",
               "metadata": {"resourceVersion": ""}}
    else:
        doc = obj
    if name == "yaml":
        return output.to_yaml(doc)
    if name == "json":
        return output.to_json(doc)
    if name == "name":
        return output.names(items if items is not None else [obj])
    if name in ("jsonpath", "jsonpath-file", "jsonpath-as-json"):
        template = _read_file(env, arg) if name == "jsonpath-file" else arg
        return output.jsonpath(template, doc)
    if name in ("custom-columns", "custom-columns-file"):
        spec = _read_file(env, arg) if name == "custom-columns-file" else arg
        return output.custom_columns(spec, items if items is not None else [obj])
    raise ClientError(f'unable to match a printer suitable for the output format "{fmt}"')


def success(env: "Env", fmt: str, ref: str, verb: str, obj: dict | None = None,
            dry_run: str = "none") -> None:
    """The success line (`pod/nginx created`) or, with -o, the object in that format."""
    if fmt and fmt != "name" and obj is not None:
        env.write(render(env, fmt, obj))
        return
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry_run, "")
    if fmt == "name":
        env.println(ref)
        return
    env.println(f"{ref} {verb}{suffix}")
