"""Helpers shared by the commands that change objects: dry-run, validation directive, sending.

    create_object(env, obj, ...)   POST through the API server (or the opaque store)
    last_applied(obj)              the kubectl.kubernetes.io/last-applied-configuration value
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from k8scourse.errors import ClientError

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env
    from k8scourse.kubectl.resources import RType

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def dry_run_strategy(env: "Env", fl: "FlagSet") -> str:
    """cmdutil.GetDryRunStrategy: "none", "client" or "server" (with kubectl's warnings)."""
    value = fl["dry-run"] if "dry-run" in fl.formal else "none"
    if value in ("client", "server", "none"):
        return value
    if value == "unchanged":
        env.eprintln(_klog_warning(env, "--dry-run is deprecated and can be replaced with "
                                        "--dry-run=client."))
        return "client"
    truth = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}
    if value in truth:
        new = "client" if truth[value] else "none"
        env.eprintln(_klog_warning(env, f"--dry-run={value} is deprecated (boolean value) and can "
                                        f"be replaced with --dry-run={new}."))
        return new
    raise ClientError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')


def _klog_warning(env: "Env", message: str) -> str:
    """A klog warning line as kubectl writes it to stderr (the simulated time, kubectl's pid)."""
    now = env.now
    return f"W{now:%m%d} {now:%H:%M:%S}.{now.microsecond:06d}   12345 helpers.go:703] {message}"


def validation_directive(fl: "FlagSet") -> str:
    """cmdutil.GetValidationDirective: Strict, Warn or Ignore."""
    value = fl["validate"] if "validate" in fl.formal else "strict"
    truth = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}
    if value in truth:
        return "Strict" if truth[value] else "Ignore"
    if value == "strict":
        return "Strict"
    if value == "warn":
        return "Warn"
    if value == "ignore":
        return "Ignore"
    raise ClientError(f'invalid - validate option "{value}"; must be one of: strict (or true), '
                      "warn, ignore (or false)")


def client_validate(directive: str) -> str:
    """What decode.check_client_side expects."""
    return "ignore" if directive == "Ignore" else "strict"


def compact_json(obj) -> str:
    """Go's json.Marshal of a map: sorted keys, no spaces, <>& escaped."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def last_applied(obj: dict) -> str:
    """GetModifiedConfiguration: the object without the annotation (annotations kept as `{}`)."""
    meta = dict(obj.get("metadata") or {})
    annots = dict(meta.get("annotations") or {})
    annots.pop(LAST_APPLIED, None)
    meta["annotations"] = annots
    copy = dict(obj)
    copy["metadata"] = meta
    return compact_json(copy) + "\n"


def set_last_applied(obj: dict) -> None:
    """CreateOrUpdateAnnotation(true, ...): in place."""
    value = last_applied(obj)
    meta = obj.setdefault("metadata", {})
    annots = dict(meta.get("annotations") or {})
    annots[LAST_APPLIED] = value
    meta["annotations"] = annots


def warn_unknown_fields(env: "Env", obj: dict, directive: str) -> None:
    """--validate=warn: the server accepts the object and warns about each unknown field."""
    if directive != "Warn":
        return
    from k8scourse.api import strict

    try:
        fields = strict.unknown_fields(obj)
    except Exception:  # noqa: BLE001 - unknown kinds have no schema
        return
    for f in fields:
        env.eprintln(f'Warning: unknown field "{f}"')


def send_create(env: "Env", t: "RType", obj: dict, *, directive: str = "Strict",
                dry_run: str = "none", actor: str = "kubectl") -> dict:
    """POST: the API server's create (or the opaque store for kinds the model does not serve)."""
    from k8scourse.kubectl import resources

    if not t.modelled:
        return resources.opaque_create(env, t, obj, dry_run=dry_run == "server")
    warn_unknown_fields(env, obj, directive)
    return env.api.create(obj, validate="Strict" if directive == "Strict" else "Ignore",
                          dry_run=dry_run == "server", actor=actor)


def send_update(env: "Env", t: "RType", obj: dict, *, directive: str = "Strict",
                dry_run: str = "none", actor: str = "kubectl") -> dict:
    """PUT."""
    from k8scourse.kubectl import resources

    if not t.modelled:
        return resources.opaque_update(env, t, obj)
    warn_unknown_fields(env, obj, directive)
    return env.api.update(obj, validate="Strict" if directive == "Strict" else "Ignore",
                          dry_run=dry_run == "server", actor=actor)


def default_namespace(t: "RType", obj: dict, namespace: str) -> None:
    """The builder's SetNamespace: fill metadata.namespace of a namespaced object."""
    if not t.namespaced:
        return
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    if not meta.get("namespace"):
        meta["namespace"] = namespace


CHANGE_CAUSE = "kubernetes.io/change-cause"


def record_change_cause(env: "Env", fl: "FlagSet", args: list[str], obj: dict) -> bool:
    """--record (deprecated): the command line in the kubernetes.io/change-cause annotation."""
    if "record" not in fl.formal or not fl["record"]:
        return False
    flags = "".join(f" --{name}={_flag_text(fl, name)}" for name in sorted(fl.changed))
    cause = env.path + ("" if not args else " " + " ".join(args)) + flags
    meta = obj.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations[CHANGE_CAUSE] = cause
    meta["annotations"] = annotations
    return True


def _flag_text(fl: "FlagSet", name: str) -> str:
    value = fl.get(name)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ",".join(value) + "]"
    return str(value)


def warn_record(env: "Env", fl: "FlagSet") -> None:
    if "record" in fl.formal and fl.is_set("record"):
        env.eprintln("Flag --record has been deprecated, --record will be removed in the future")
