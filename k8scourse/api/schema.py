"""The Kubernetes v1.32 schema of the kinds the course serves: field types and descriptions.

The data (`schemas/v1.32.json`) is extracted at build time from the published OpenAPI schemas by
`schemas/build.py`; the course reads only that file. It feeds the API server's decode checks
(`strict.py`) and `kubectl explain` (`field_info`, `explain`).
"""

from __future__ import annotations

import json
import pathlib
import textwrap
from dataclasses import dataclass, field as dc_field

from k8scourse.errors import ClientError

_PATH = pathlib.Path(__file__).with_name("schemas") / "v1.32.json"


@dataclass(frozen=True)
class Field:
    """One field of a definition: compact type descriptor, Go type name, description."""

    name: str
    type: str          # string int32 int64 bool float64 bytes time intstr quantity any @Def []X {}X
    go_type: str       # v1.PodSpec, []v1.Container, int32, map[string]string, v1.RestartPolicy
    description: str


@dataclass(frozen=True)
class Definition:
    name: str
    description: str
    fields: dict[str, Field]
    required: frozenset[str] = dc_field(default_factory=frozenset)


_DEFS: dict[str, Definition] | None = None
_KINDS: dict[str, tuple[str, str]] = {}


def _load() -> dict[str, Definition]:
    global _DEFS
    if _DEFS is None:
        data = json.loads(_PATH.read_text(encoding="utf-8"))
        defs = {}
        for name, d in data["defs"].items():
            fields = {f: Field(f, t, go, desc) for f, (t, go, desc) in d["fields"].items()}
            defs[name] = Definition(name, d.get("description", ""), fields,
                                    frozenset(d.get("required", ())))
        _KINDS.update({k: (v[0], v[1]) for k, v in data["kinds"].items()})
        _DEFS = defs
    return _DEFS


def definitions() -> dict[str, Definition]:
    """Every definition by its short name (`PodSpec`, `ObjectMeta`)."""
    return _load()


def definition(name: str) -> Definition:
    return _load()[name]


def kind_definition(kind: str) -> Definition | None:
    """The top-level definition of a served kind (`Pod` -> the Pod definition), or None."""
    _load()
    entry = _KINDS.get(kind)
    return _load()[entry[1]] if entry else None


def kind_api_version(kind: str) -> str | None:
    _load()
    entry = _KINDS.get(kind)
    return entry[0] if entry else None


def type_text(t: str) -> str:
    """How `kubectl explain` (v1.32, OpenAPI v3) names a type: `<string>`, `<[]Container>`."""
    return f"<{_type_name(t)}>"


def _type_name(t: str) -> str:
    if t.startswith("[]"):
        return "[]" + _type_name(t[2:])
    if t.startswith("{}"):
        return "map[string]" + _type_name(t[2:])
    if t.startswith("@"):
        return t[1:]
    return {
        "string": "string", "int32": "integer", "int64": "integer", "bool": "boolean",
        "float64": "number", "bytes": "string", "time": "string", "intstr": "IntOrString",
        "quantity": "Quantity", "any": "Object",
    }[t]


def _resolve(kind: str, path: str) -> tuple[str | None, Field | None, Definition | None]:
    """Walk `spec.containers.ports` from `kind`: (the field's name, the field, its struct)."""
    top = kind_definition(kind)
    if top is None:
        raise ClientError(f'the server doesn\'t have a resource type "{kind.lower()}"')
    current: Definition | None = top
    fld: Field | None = None
    parts = [p for p in path.split(".") if p] if path else []
    walked: list[str] = []
    for part in parts:
        if current is None or part not in current.fields:
            raise ClientError(f'field "{part}" does not exist')
        fld = current.fields[part]
        walked.append(part)
        t = fld.type
        while t.startswith("[]") or t.startswith("{}"):
            t = t[2:]
        current = definition(t[1:]) if t.startswith("@") else None
    return (parts[-1] if parts else None), fld, current


def field_info(kind: str, path: str = "") -> dict:
    """What `kubectl explain <kind>.<path>` shows, as data.

    Returns dict(name, type_text, description, required, fields=[(name, type_text)],
    required_fields=set of names); for the kind itself (path "") name is None.
    """
    name, fld, struct = _resolve(kind, path)
    if fld is None:
        top = kind_definition(kind)
        assert top is not None
        description, ttext, required = top.description, "<Object>", False
    else:
        description = fld.description or (struct.description if struct else "")
        ttext = type_text(fld.type)
        parent_path = path.rsplit(".", 1)[0] if "." in path else ""
        _, _, parent = _resolve(kind, parent_path)
        required = bool(parent and name in parent.required)
    fields = []
    req: set[str] = set()
    if struct is not None:
        for f in sorted(struct.fields):
            fields.append((f, type_text(struct.fields[f].type)))
        req = set(struct.required)
    return {"name": name, "type_text": ttext, "description": description, "required": required,
            "fields": fields, "required_fields": req}


def _wrap(text: str, indent: int, width: int = 80) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        if not para.strip():
            out.append(" " * indent)
            continue
        out.extend(textwrap.wrap(para, width=width - indent, initial_indent=" " * indent,
                                 subsequent_indent=" " * indent, break_long_words=False,
                                 break_on_hyphens=False))
    return out


def explain_head(kind: str, info: dict) -> list[str]:
    """The lines `kubectl explain` prints before FIELDS: GROUP, KIND, VERSION, the FIELD line of a
    field path, and the wrapped DESCRIPTION; `info` is `field_info(kind, path)`."""
    api_version = kind_api_version(kind) or "v1"
    group, _, version = api_version.rpartition("/")
    lines = []
    if group:
        lines.append(f"GROUP:      {group}")
    lines.append(f"KIND:       {kind}")
    lines.append(f"VERSION:    {version}")
    lines.append("")
    if info["name"] is not None:
        req = " -required-" if info["required"] else ""
        lines.append(f"FIELD: {info['name']} {info['type_text']}{req}")
        lines.append("")
    lines.append("DESCRIPTION:")
    lines.extend(_wrap(info["description"], 4))
    lines.append("    ")
    return lines


def explain(kind: str, field_path: str = "") -> str:
    """The text of `kubectl explain <kind>[.<field_path>]` (layout as kubectl v1.32 prints it)."""
    info = field_info(kind, field_path)
    lines = explain_head(kind, info)
    if info["fields"]:
        lines.append("FIELDS:")
        for fname, ttext in info["fields"]:
            req = " -required-" if fname in info["required_fields"] else ""
            lines.append(f"  {fname}\t{ttext}{req}")
            _, sub, _ = _resolve(kind, f"{field_path}.{fname}" if field_path else fname)
            if sub is not None and sub.description:
                lines.extend(_wrap(sub.description, 4))
            lines.append("")
    return "\n".join(lines) + "\n"
