"""Field paths and field errors, as apimachinery/pkg/util/validation/field builds them.

    >>> err = invalid(Path("spec").child("replicas"), -1, "must be greater than or equal to 0")
    >>> str(err)
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class Path:
    """A field path such as `spec.containers[0].image`."""

    __slots__ = ("_text",)

    def __init__(self, *names: str):
        self._text = ".".join(names)

    @classmethod
    def _of(cls, text: str) -> "Path":
        p = cls.__new__(cls)
        p._text = text
        return p

    def child(self, *names: str) -> "Path":
        key = (self._text, names)
        p = _CHILDREN.get(key)
        if p is None:
            text = self._text
            for n in names:
                text = f"{text}.{n}" if text else n
            p = _remember(key, Path._of(text))
        return p

    def index(self, i: int) -> "Path":
        key = (self._text, i)
        p = _CHILDREN.get(key)
        if p is None:
            p = _remember(key, Path._of(f"{self._text}[{i}]"))
        return p

    def key(self, k: str) -> "Path":
        return Path._of(f"{self._text}[{k}]")

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"Path({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Path) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)


#: Paths are immutable, and validation builds the same ones for every object of a kind
#: (`spec.containers[0].ports`): child and index paths are made once and reused.
_CHILDREN: dict[tuple, Path] = {}


def _remember(key: tuple, path: Path) -> Path:
    if len(_CHILDREN) >= 50_000:
        _CHILDREN.clear()
    _CHILDREN[key] = path
    return path


_OMIT = object()


def go_quote(s: str) -> str:
    """Go's %q / strconv.Quote for the strings a learner types."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def go_value(value: Any) -> str:
    """How field.Error prints a bad value in Kubernetes 1.32.

    Strings use %q, numbers and booleans %v, and anything else Go's %#v: a map of labels prints
    as `map[string]string{"app":"web"}` with sorted keys.
    """
    if isinstance(value, GoRepr):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, dict):
        if all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            inner = ", ".join(f"{go_quote(k)}:{go_quote(v)}" for k, v in sorted(value.items()))
            return f"map[string]string{{{inner}}}"
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    if value is None:
        return "<nil>"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[]string{" + ", ".join(go_quote(v) for v in value) + "}"
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class GoRepr:
    """A value whose Go rendering is already known (e.g. an IntOrString printed as `"25%"`)."""

    text: str


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: `<field>: <Type>[: <value>][: <detail>]`."""

    type: str          # "Required value", "Invalid value", ...
    field: str
    value: Any = _OMIT
    detail: str = ""

    def body(self) -> str:
        """The message without the field path (what Status causes carry)."""
        if self.type in ("Required value", "Forbidden", "Too long", "Internal error", "Too many") \
                or self.value is _OMIT:
            return f"{self.type}: {self.detail}" if self.detail else self.type
        text = f"{self.type}: {go_value(self.value)}"
        return f"{text}: {self.detail}" if self.detail else text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(path: Path, detail: str = "") -> FieldError:
    return FieldError("Required value", str(path), _OMIT, detail)


def invalid(path: Path, value: Any, detail: str = "") -> FieldError:
    return FieldError("Invalid value", str(path), value, detail)


def not_supported(path: Path, value: Any, supported: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(go_quote(s) for s in supported) if supported else ""
    return FieldError("Unsupported value", str(path), value, detail)


def duplicate(path: Path, value: Any) -> FieldError:
    return FieldError("Duplicate value", str(path), value, "")


def forbidden(path: Path, detail: str) -> FieldError:
    return FieldError("Forbidden", str(path), _OMIT, detail)


def too_long(path: Path, max_length: int) -> FieldError:
    return FieldError("Too long", str(path), _OMIT, f"must have at most {max_length} bytes")


def not_found(path: Path, value: Any) -> FieldError:
    return FieldError("Not found", str(path), value, "")


def aggregate(errors: list[FieldError]) -> str:
    """ErrorList.ToAggregate().Error(): identical texts dropped; one prints alone, more as [a, b]."""
    seen: list[str] = []
    for e in errors:
        s = str(e)
        if s not in seen:
            seen.append(s)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"
