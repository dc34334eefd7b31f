"""The API server's decode step: JSON type errors and (with fieldValidation=Strict) unknown fields.

The server decodes the JSON kubectl sends into the Go struct of the kind (sigs.k8s.io/json, a
case-sensitive fork of encoding/json). What can go wrong there, and how it reads:

* a value of the wrong JSON type. encoding/json remembers the first one, keeps going, and reports it:
  `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`
  (the innermost Go struct, the Go field path without indices, the Go type). Types with their own
  UnmarshalJSON stop decoding at once and win over a remembered error: an IntOrString that is not
  a string or an int32, a Quantity that does not parse (`quantities must match the regular
  expression ...`), a Time that is not a string.
* unknown fields, only when there is no type error: `strict decoding error: unknown field
  "spec.containers[0].imagePullPolice", unknown field "spec.containers[0].port"`, in the order
  they come in the JSON (for YAML input kubectl sends sorted keys).

The full message is `<Kind> in version "<v>" cannot be handled as a <Kind>: <error>`
(apiserver handlers transformDecodeError).
"""

from __future__ import annotations

from typing import Any

from k8scourse.api import quantity, schema
from k8scourse.api.decode import go_float

__all__ = ["decode_error", "drop_unknown", "unregistered_kind_error", "type_error", "check"]

_INT_RANGE = {"int32": (-(1 << 31), (1 << 31) - 1), "int64": (-(1 << 63), (1 << 63) - 1)}
_SCHEME = "pkg/api/legacyscheme/scheme.go:30"


class _Hard(Exception):
    """An error from a type's own UnmarshalJSON: decoding stops there."""


def _json_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _type_err(value_kind: str, struct: str, go_path: list[str], go_type: str) -> str:
    if struct or go_path:
        return (f"json: cannot unmarshal {value_kind} into Go struct field "
                f"{struct}.{'.'.join(go_path)} of type {go_type}")
    return f"json: cannot unmarshal {value_kind} into Go value of type {go_type}"


def _number_text(v: Any) -> str:
    return go_float(v) if isinstance(v, float) else str(v)


def _elem_go(go_type: str, elem_desc: str) -> str:
    if go_type.startswith("[]"):
        return go_type[2:]
    if go_type.startswith("map[string]"):
        return go_type[len("map[string]"):]
    return _default_go(elem_desc)


def _default_go(desc: str) -> str:
    if desc.startswith("@"):
        return "v1." + desc[1:]
    if desc.startswith("[]"):
        return "[]" + _default_go(desc[2:])
    if desc.startswith("{}"):
        return "map[string]" + _default_go(desc[2:])
    return {"string": "string", "int32": "int32", "int64": "int64", "bool": "bool",
            "float64": "float64", "bytes": "[]uint8", "time": "v1.Time",
            "intstr": "intstr.IntOrString", "quantity": "resource.Quantity",
            "any": "interface {}"}[desc]


class _Walk:
    """One pass over an object: the first type error and every unknown field."""

    __slots__ = ("defs", "saved", "unknown", "collect")

    def __init__(self, collect_unknown: bool):
        self.defs = schema.definitions()
        self.saved: str | None = None
        self.unknown: list[str] = []
        self.collect = collect_unknown

    def save(self, msg: str) -> None:
        if self.saved is None:
            self.saved = msg

    def value(self, v: Any, desc: str, go_type: str, struct: str, go_path: list[str],
              spath: str) -> None:
        if v is None:
            return
        c = desc[0]
        if c == "@":
            if isinstance(v, dict):
                self.struct(v, desc[1:], go_path, spath)
            else:
                self.save(_type_err(_json_kind(v), struct, go_path, go_type))
            return
        if c == "[" and desc.startswith("[]"):
            if not isinstance(v, list):
                self.save(_type_err(_json_kind(v), struct, go_path, go_type))
                return
            elem = desc[2:]
            egot = _elem_go(go_type, elem)
            for i, item in enumerate(v):
                self.value(item, elem, egot, struct, go_path, f"{spath}[{i}]")
            return
        if c == "{" and desc.startswith("{}"):
            if not isinstance(v, dict):
                self.save(_type_err(_json_kind(v), struct, go_path, go_type))
                return
            elem = desc[2:]
            egot = _elem_go(go_type, elem)
            for k, item in v.items():
                self.value(item, elem, egot, struct, go_path, f"{spath}[{k}]")
            return
        if desc == "string" or desc == "bytes":
            if not isinstance(v, str):
                self.save(_type_err(_json_kind(v), struct, go_path, go_type))
            return
        if desc in _INT_RANGE:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                self.save(_type_err(_json_kind(v), struct, go_path, go_type))
                return
            lo, hi = _INT_RANGE[desc]
            if isinstance(v, float) or not lo <= v <= hi:
                self.save(_type_err(f"number {_number_text(v)}", struct, go_path, go_type))
            return
        if desc == "bool":
            if not isinstance(v, bool):
                self.save(_type_err(_json_kind(v), struct, go_path, go_type))
            return
        if desc == "float64":
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                self.save(_type_err(_json_kind(v), struct, go_path, go_type))
            return
        if desc == "intstr":
            if isinstance(v, str):
                return
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise _Hard(_type_err(_json_kind(v), struct, go_path, "int32"))
            lo, hi = _INT_RANGE["int32"]
            if isinstance(v, float) or not lo <= v <= hi:
                raise _Hard(_type_err(f"number {_number_text(v)}", struct, go_path, "int32"))
            return
        if desc == "quantity":
            try:
                quantity.parse(quantity.to_text(v).strip())
            except quantity.QuantityError as e:
                raise _Hard(str(e)) from None
            return
        if desc == "time":
            if not isinstance(v, str):
                raise _Hard(_type_err(_json_kind(v), struct, go_path, "string"))
            return
        # "any": anything goes

    def struct(self, obj: dict, name: str, go_path: list[str], spath: str) -> None:
        d = self.defs[name]
        fields = d.fields
        for key, v in obj.items():
            f = fields.get(key)
            if f is None:
                if self.collect:
                    self.unknown.append(f"{spath}.{key}" if spath else key)
                continue
            if v is None:
                continue
            go_path.append(key)
            self.value(v, f.type, f.go_type, name, go_path, f"{spath}.{key}" if spath else key)
            go_path.pop()


def type_error(value: Any, def_name: str, field_name: str = "", struct_hint: str = "") -> str | None:
    """The first Go decode error for `value` decoded as definition `def_name`, or None.

    With `field_name`, `value` is decoded as that field of a struct named `struct_hint`
    (kubectl checks `metadata` as a field of its metadataOnlyObject).
    """
    w = _Walk(False)
    try:
        if field_name:
            w.value(value, "@" + def_name, f"v1.{def_name}", struct_hint, [field_name], field_name)
        else:
            w.value(value, "@" + def_name, f"v1.{def_name}", "", [], "")
    except _Hard as e:
        return str(e)
    return w.saved


def check(obj: dict, kind: str, strict: bool = True) -> tuple[str | None, list[str]]:
    """(first type error, unknown field paths) for `obj` decoded as `kind`."""
    d = schema.kind_definition(kind)
    if d is None:
        return None, []
    w = _Walk(strict)
    try:
        w.struct(obj, d.name, [], "")
    except _Hard as e:
        return str(e), w.unknown
    return w.saved, w.unknown


def _prefix(obj: dict, kind: str) -> str:
    api_version = obj.get("apiVersion") if isinstance(obj.get("apiVersion"), str) else ""
    version = api_version.rpartition("/")[2]
    return f'{kind} in version "{version}" cannot be handled as a {kind}: '


def decode_error(obj: dict, validate: str = "Strict") -> str | None:
    """The server's decode error for a known kind (full BadRequest message), or None."""
    kind = obj.get("kind")
    if not isinstance(kind, str) or schema.kind_definition(kind) is None:
        return None
    strict = validate in ("Strict", "strict", "true", True)
    err, unknown = check(obj, kind, strict)
    if err:
        return _prefix(obj, kind) + err
    if strict and unknown:
        listed = ", ".join(f'unknown field "{u}"' for u in unknown)
        return _prefix(obj, kind) + f"strict decoding error: {listed}"
    return None


def unknown_fields(obj: dict) -> list[str]:
    """The unknown field paths of `obj` (Strict would reject them; Warn would warn of them)."""
    kind = obj.get("kind")
    if not isinstance(kind, str):
        return []
    return check(obj, kind, True)[1]


def unregistered_kind_error(api_version: str, kind: str) -> str:
    """`kind: pod`: the server has no such kind (kubectl matched it case-insensitively)."""
    from k8scourse.api.kinds import by_kind_any_case

    cls = by_kind_any_case(kind)
    proper = cls.kind if cls else kind
    version = api_version.rpartition("/")[2]
    return (f'{kind} in version "{version}" cannot be handled as a {proper}: no kind "{kind}" '
            f'is registered for version "{api_version}" in scheme "{_SCHEME}"')


def drop_unknown(obj: dict) -> dict:
    """A copy of `obj` without the fields its kind does not have (what `--validate=false` keeps)."""
    kind = obj.get("kind")
    d = schema.kind_definition(kind) if isinstance(kind, str) else None
    if d is None:
        return dict(obj)
    defs = schema.definitions()

    def value(v: Any, desc: str) -> Any:
        if v is None:
            return v
        if desc.startswith("@") and isinstance(v, dict):
            return struct(v, desc[1:])
        if desc.startswith("[]") and isinstance(v, list):
            return [value(x, desc[2:]) for x in v]
        if desc.startswith("{}") and isinstance(v, dict):
            return {k: value(x, desc[2:]) for k, x in v.items()}
        return v

    def struct(o: dict, name: str) -> dict:
        fields = defs[name].fields
        return {k: value(v, fields[k].type) for k, v in o.items() if k in fields}

    return struct(obj, d.name)
