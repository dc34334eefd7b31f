"""`kubectl get -o yaml|json|name|jsonpath=...|custom-columns=...`, byte for byte.

kubectl prints the object it got from the server, as a map:

* `-o json` is Go's json.MarshalIndent with 4 spaces: keys sorted, `<`, `>` and `&` escaped
  as `\\u003c`, `\\u003e`, `\\u0026`, then a newline.
* `-o yaml` is sigs.k8s.io/yaml: the JSON re-read and written by go-yaml v2, which sorts the
  keys of every map (its own order: non-letters before letters, numbers by value), indents by
  two with list items not indented under their key, double-quotes strings that would read back
  as something else (`"2025-01-01T00:00:05Z"`, `"80"`, `"true"`, `""`), single-quotes strings
  that plain YAML cannot hold (`'{"a":1}'`, `'*'`), writes multi-line strings as `|` blocks and
  folds long lines at 80 columns.
* Several objects (`get pods -o yaml`) are wrapped in a `List` whose metadata is
  `resourceVersion: ""`.
* `-o jsonpath` is client-go's JSONPath with missing keys allowed; `-o custom-columns` prints
  `<none>` for a field that is not there.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from k8scourse.errors import ClientError

__all__ = ["to_yaml", "to_json", "names", "jsonpath", "custom_columns", "as_list",
           "go_json", "go_sprint", "go_sharp_v", "go_float_g"]


def as_list(items: Sequence[dict]) -> dict:
    """The `List` kubectl prints for several objects."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List",
            "metadata": {"resourceVersion": ""}}


def _data(obj_or_list: Any) -> Any:
    return as_list(obj_or_list) if isinstance(obj_or_list, (list, tuple)) else obj_or_list


# --- Go number formatting -------------------------------------------------------------------------

def _digits(f: float) -> tuple[str, int]:
    """The shortest decimal digits of |f| (no trailing zeros) and where the point goes."""
    _, digits, exp = Decimal(repr(abs(f))).as_tuple()
    ds = "".join(map(str, digits)).lstrip("0")
    if not ds:
        return "0", 1
    return ds.rstrip("0"), len(ds) + int(exp)


def _fmt_f(digits: str, dp: int) -> str:
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def _fmt_e(digits: str, dp: int) -> str:
    exp = dp - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{mant}e{sign}{abs(exp):02d}"


def go_float_g(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v and go-yaml use: 1e+06, 0.5, 100000."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "+Inf" if f > 0 else "-Inf"
    neg = "-" if f < 0 or (f == 0 and str(f).startswith("-")) else ""
    if f == 0:
        return neg + "0"
    digits, dp = _digits(f)
    x = dp - 1
    # shortest formatting switches to an exponent below 1e-4 and from 1e6 on
    return neg + (_fmt_e(digits, dp) if x < -4 or x >= 6 else _fmt_f(digits, dp))


def _go_json_float(f: float) -> str:
    """encoding/json's float format: plain decimals between 1e-6 and 1e21, else 1e-7 style."""
    if f == 0:
        return "-0" if str(f).startswith("-") else "0"
    neg = "-" if f < 0 else ""
    digits, dp = _digits(f)
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        s = _fmt_e(digits, dp)
        s = re.sub(r"e-0(\d)$", r"e-\1", s)
        return neg + s
    return neg + _fmt_f(digits, dp)


# --- JSON -----------------------------------------------------------------------------------------

_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                 "\b": "\\b", "\f": "\\f", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_SPECIAL = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029]')


def _json_str(s: str) -> str:
    def repl(m: re.Match) -> str:
        ch = m.group(0)
        return _JSON_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"
    return '"' + _JSON_SPECIAL.sub(repl, s) + '"'


def go_json(value: Any, indent: str | None = None, _prefix: str = "") -> str:
    """Go's json.Marshal (indent None) or json.MarshalIndent(v, "", indent) of a decoded object."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_json_float(value)
    if isinstance(value, str):
        return _json_str(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = sorted(value, key=str)
        if indent is None:
            return "{" + ",".join(f"{_json_str(str(k))}:{go_json(value[k])}" for k in keys) + "}"
        inner = _prefix + indent
        body = ",\n".join(f"{inner}{_json_str(str(k))}: {go_json(value[k], indent, inner)}"
                          for k in keys)
        return "{\n" + body + "\n" + _prefix + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if indent is None:
            return "[" + ",".join(go_json(v) for v in value) + "]"
        inner = _prefix + indent
        body = ",\n".join(f"{inner}{go_json(v, indent, inner)}" for v in value)
        return "[\n" + body + "\n" + _prefix + "]"
    return _json_str(str(value))


def to_json(obj_or_list: Any) -> str:
    """`kubectl get -o json`: 4-space indented JSON with sorted keys and a final newline."""
    return go_json(_data(obj_or_list), "    ") + "\n"


# --- YAML -----------------------------------------------------------------------------------------

_YAML_BOOL_NULL = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                   "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
                   "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
                   ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"}
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMPS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?"
               r"(Z|[+-]\d{2}:\d{2})$"),
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$"),
)
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")


def _is_timestamp(s: str) -> bool:
    for rx in _TIMESTAMPS:
        m = rx.match(s)
        if m:
            g = m.groups()
            month, day = int(g[1]), int(g[2])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                return False
            if len(g) > 3 and (int(g[3]) > 23 or int(g[4]) > 59 or int(g[5]) > 59):
                return False
            return True
    return False


_STR, _BOOL, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_TIMESTAMP, _MAP, _SEQ = "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_BOOLS = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
          "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
_NULLS = {"", "~", "null", "Null", "NULL"}


@functools.lru_cache(maxsize=65536)
def _go_yaml_tag(s: str) -> str:
    """go-yaml v2's resolve(""): the type a plain scalar `s` reads back as."""
    if s in _BOOLS:
        return _BOOL
    if s in _NULLS:
        return _NULL
    if s in _YAML_BOOL_NULL:
        return _FLOAT            # .nan, .inf and friends
    c = s[0]
    if c == ".":
        try:
            float(s)
            return _FLOAT
        except ValueError:
            return _STR
    if c in "+-0123456789":
        if c.isdigit() and _is_timestamp(s):
            return _TIMESTAMP
        plain = s.replace("_", "")
        if _GO_INT.match(plain):
            return _INT
        if _YAML_STYLE_FLOAT.match(plain):
            return _FLOAT
    return _STR


def _yaml_reads_as_string(s: str) -> bool:
    """Would `s`, written plain, read back as the same string? go-yaml also quotes base-60
    floats (`1:20`), which no longer exist in YAML 1.2, for the sake of other parsers."""
    if _go_yaml_tag(s) != _STR:
        return False
    return not (s[0].isdigit() and ":" in s and _BASE60_FLOAT.match(s))


def _yaml_key_cmp(a: str, b: str) -> int:
    """go-yaml v2's map key order (sorter.go keyList.Less)."""
    ar, br = a, b
    n = min(len(ar), len(br))
    for i in range(n):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return -1 if ar[i] < br[i] else 1
        if al or bl:
            return -1 if bl else 1
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = an * 10 + int(ar[ai])
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = bn * 10 + int(br[bi])
            bi += 1
        if an != bn:
            return -1 if an < bn else 1
        if ai != bi:
            return -1 if ai < bi else 1
        return -1 if ar[i] < br[i] else 1
    if len(ar) == len(br):
        return 0
    return -1 if len(ar) < len(br) else 1


_yaml_key = functools.cmp_to_key(_yaml_key_cmp)


@functools.lru_cache(maxsize=4096)
def _key_order(keys: tuple[str, ...]) -> tuple[int, ...]:
    """The positions of `keys` in go-yaml's order (objects of a kind share their key sets)."""
    return tuple(sorted(range(len(keys)), key=lambda i: _yaml_key(keys[i])))


@functools.lru_cache(maxsize=1)
def _dumper():
    import yaml

    # libyaml's emitter (CSafeDumper) is the C original that go-yaml v2 ported line by line;
    # PyYAML's pure-Python emitter is a port of the same code
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class GoYAMLDumper(base):
        """A YAML emitter that resolves plain scalars the way go-yaml v2 does."""

        def resolve(self, kind, value, implicit):
            if kind is ScalarNode:
                if implicit[0]:
                    return _go_yaml_tag(value) if value else _NULL
                return _STR
            return super().resolve(kind, value, implicit)

    ScalarNode = yaml.ScalarNode
    global _Scalar, _Mapping, _Sequence
    _Scalar, _Mapping, _Sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    return GoYAMLDumper


_Scalar = _Mapping = _Sequence = None


def _yaml_node(v: Any):
    ScalarNode, MappingNode, SequenceNode = _Scalar, _Mapping, _Sequence
    if isinstance(v, str):
        if "\n" in v:
            style = "|"
        elif not v or not _yaml_reads_as_string(v):
            style = '"'
        else:
            style = None
        return ScalarNode(_STR, v, style=style)
    if v is None:
        return ScalarNode(_NULL, "null")
    if v is True or v is False:
        return ScalarNode(_BOOL, "true" if v else "false")
    if isinstance(v, int):
        return ScalarNode(_INT, str(v))
    if isinstance(v, float):
        text = go_float_g(v)
        return ScalarNode(_FLOAT, {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text))
    if isinstance(v, dict):
        keys = tuple(str(k) for k in v)
        values = list(v.values())
        return MappingNode(_MAP, [(ScalarNode(_STR, keys[i], style=_key_style(keys[i])),
                                   _yaml_node(values[i])) for i in _key_order(keys)],
                           flow_style=False)
    if isinstance(v, (list, tuple)):
        return SequenceNode(_SEQ, [_yaml_node(x) for x in v], flow_style=False)
    return _yaml_node(str(v))


def _key_style(k: str) -> str | None:
    if "\n" in k:
        return "|"
    return None if k and _yaml_reads_as_string(k) else '"'


def to_yaml(obj_or_list: Any) -> str:
    """`kubectl get -o yaml` for one object (a dict) or several (a list, printed as a List)."""
    import yaml

    dumper = _dumper()
    # building a node per value makes many short-lived objects: collecting them while they
    # are all alive only costs time
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return yaml.serialize(_yaml_node(_data(obj_or_list)), Dumper=dumper, allow_unicode=True,
                              width=80, indent=2)
    finally:
        if gc_was_enabled:
            gc.enable()


# --- -o name --------------------------------------------------------------------------------------

def names(objs: Any) -> str:
    """`kubectl get -o name`: `pod/nginx`, `deployment.apps/web`, one a line."""
    from k8scourse.kubectl.printers import kind_prefix

    if isinstance(objs, dict):
        objs = objs.get("items", []) if objs.get("kind") == "List" else [objs]
    return "".join(f"{kind_prefix(o.get('kind', ''), [o])}/{(o.get('metadata') or {}).get('name', '')}\n"
                   for o in objs)


# --- Go fmt of decoded values ---------------------------------------------------------------------

def go_sprint(v: Any) -> str:
    """fmt.Sprint of a decoded JSON value: maps as `map[k:v]` (sorted), lists as `[a b]`."""
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        return go_float_g(v)
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v[k])}" for k in sorted(v, key=str)) + "]"
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    return str(v)


def go_sharp_v(v: Any) -> str:
    """fmt's %#v of a decoded JSON value (`map[string]interface {}{"kind":"Pod", ...}`)."""
    from k8scourse.api.field import go_quote

    if v is None:
        return "interface {}(nil)"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, float):
        return go_float_g(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, dict):
        return ("map[string]interface {}{" +
                ", ".join(f"{go_quote(str(k))}:{go_sharp_v(v[k])}" for k in sorted(v, key=str))
                + "}")
    if isinstance(v, (list, tuple)):
        return "[]interface {}{" + ", ".join(go_sharp_v(x) for x in v) + "}"
    return go_quote(str(v))


# --- JSONPath (k8s.io/client-go/util/jsonpath) -----------------------------------------------------

class _JSONPathError(Exception):
    pass


class _List:
    __slots__ = ("nodes",)

    def __init__(self):
        self.nodes: list = []


class _Text:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class _Field:
    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value


class _Param:
    __slots__ = ("known", "value", "derived")

    def __init__(self, known=False, value=0, derived=False):
        self.known, self.value, self.derived = known, value, derived


class _Array:
    __slots__ = ("params",)

    def __init__(self, params):
        self.params = params


class _Filter:
    __slots__ = ("left", "right", "op")

    def __init__(self, left, right, op):
        self.left, self.right, self.op = left, right, op


class _Number:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _Wildcard:
    __slots__ = ()


class _Recursive:
    __slots__ = ()


class _Union:
    __slots__ = ("nodes",)

    def __init__(self, nodes):
        self.nodes = nodes


class _Identifier:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


_EOF = ""
_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$", re.S)


def _is_terminator(r: str) -> bool:
    return r in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _is_alnum(r: str) -> bool:
    return r == "_" or (r != "" and (r.isalpha() or r.isdigit()))


def _go_U(r: str) -> str:
    return f"U+{ord(r):04X} '{r}'"


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", "'": "'", '"': '"'}


def _unquote_extend(s: str) -> str:
    """UnquoteExtend: strconv.Unquote that also accepts single quotes."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise _JSONPathError("invalid syntax")
    quote, body = s[0], s[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == quote:
            raise _JSONPathError("invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            raise _JSONPathError("invalid syntax")
        e = body[i + 1]
        if e in _ESCAPES:
            if (e == "'" and quote != "'") or (e == '"' and quote != '"'):
                raise _JSONPathError("invalid syntax")
            out.append(_ESCAPES[e])
            i += 2
        elif e in "xuU":
            n = {"x": 2, "u": 4, "U": 8}[e]
            hexs = body[i + 2:i + 2 + n]
            if len(hexs) != n or not all(h in "0123456789abcdefABCDEF" for h in hexs):
                raise _JSONPathError("invalid syntax")
            out.append(chr(int(hexs, 16)))
            i += 2 + n
        elif e in "01234567":
            octs = body[i + 1:i + 4]
            if len(octs) != 3 or not all(o in "01234567" for o in octs) or int(octs, 8) > 255:
                raise _JSONPathError("invalid syntax")
            out.append(chr(int(octs, 8)))
            i += 4
        else:
            raise _JSONPathError("invalid syntax")
    return "".join(out)


class _Parser:
    """jsonpath.Parser: text outside `{...}` is printed as is; inside is a path."""

    def __init__(self, text: str):
        self.input = text
        self.pos = 0
        self.start = 0
        self.root = _List()

    # scanning
    def next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        r = self.input[self.pos]
        self.width = 1
        self.pos += 1
        return r

    def peek(self) -> str:
        r = self.next()
        self.pos -= self.width
        return r

    def backup(self) -> None:
        self.pos -= self.width

    def consume(self) -> str:
        value = self.input[self.start:self.pos]
        self.start = self.pos
        return value

    def parse(self) -> _List:
        cur = self.root
        in_action = False
        while True:
            if not in_action:
                # parseText
                while True:
                    if self.input.startswith("{", self.pos):
                        if self.pos > self.start:
                            self.root.nodes.append(_Text(self.consume()))
                        break
                    if self.next() == _EOF:
                        if self.pos > self.start:
                            self.root.nodes.append(_Text(self.consume()))
                        return self.root
                # parseLeftDelim
                self.pos += 1
                self.consume()
                cur = _List()
                self.root.nodes.append(cur)
                in_action = True
                continue
            # parseInsideAction
            rest = self.input[self.pos:]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                in_action = False
                continue
            if rest.startswith("[?("):
                self._filter(cur)
                continue
            if rest.startswith(".."):
                self._recursive(cur)
                continue
            r = self.next()
            if r == _EOF or r in "\r\n":
                raise _JSONPathError("unclosed action")
            if r == " " or r in "@$":
                self.consume()
            elif r == "[":
                self._array(cur)
            elif r in "\"'":
                self._quote(cur, r)
            elif r == ".":
                self._field(cur)
            elif r in "+-" or r.isdigit():
                self.backup()
                self._number(cur)
            elif _is_alnum(r):
                self.backup()
                self._identifier(cur)
            else:
                raise _JSONPathError(f"unrecognized character in action: {_go_U(r)}")

    def _identifier(self, cur: _List) -> None:
        while True:
            r = self.next()
            if _is_terminator(r):
                self.backup()
                break
        value = self.consume()
        cur.nodes.append(_Number(value == "true") if value in ("true", "false")
                         else _Identifier(value))

    def _recursive(self, cur: _List) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], _Recursive):
            raise _JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.nodes.append(_Recursive())
        if _is_alnum(self.peek()):
            self._field(cur)

    def _number(self, cur: _List) -> None:
        if self.peek() in "+-" and self.peek() != _EOF:
            self.next()
        while True:
            r = self.next()
            if r != "." and not r.isdigit():
                self.backup()
                break
        value = self.consume()
        if re.fullmatch(r"[-+]?[0-9]+", value):
            cur.nodes.append(_Number(int(value)))
            return
        try:
            if not re.fullmatch(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)", value):
                raise ValueError
            cur.nodes.append(_Number(float(value)))
        except ValueError:
            raise _JSONPathError(f"cannot parse number {value}") from None

    def _array(self, cur: _List) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise _JSONPathError("unterminated array")
            if r == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.nodes.append(_Union([_parse_action(f"[{p.strip(' ')}]") for p in parts]))
            return
        m = _DICT_KEY.match(text)
        if m:
            cur.nodes.extend(_parse_action(f".{m.group(1)}").nodes)
            return
        m = _SLICE.match(text)
        if not m:
            raise _JSONPathError(f"invalid array index {text}")
        values = list(m.groups(default=""))
        params = [_Param(), _Param(), _Param()]
        for i in range(3):
            v = values[i]
            if v != "":
                if i > 0:
                    v = v[1:]
                if i > 0 and v == "":
                    params[i].known = False
                else:
                    try:
                        params[i].known, params[i].value = True, int(v)
                    except ValueError:
                        raise _JSONPathError(f"array index {v} is not a number") from None
            elif i == 1:
                params[i].known, params[i].value, params[i].derived = True, params[0].value + 1, True
        cur.nodes.append(_Array(params))

    def _filter(self, cur: _List) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise _JSONPathError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")":
                if begin == end:
                    break
        if self.next() != "]":
            raise _JSONPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        m = _FILTER.match(text)
        if m is None:
            cur.nodes.append(_Filter(_parse_action(text), _List(), "exists"))
        else:
            cur.nodes.append(_Filter(_parse_action(m.group(1)), _parse_action(m.group(3)),
                                     m.group(2)))

    def _quote(self, cur: _List, end: str) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise _JSONPathError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            s = _unquote_extend(value)
        except _JSONPathError as e:
            raise _JSONPathError(f"unquote string {value} error {e}") from None
        cur.nodes.append(_Text(s))

    def _field(self, cur: _List) -> None:
        self.consume()
        while True:
            r = self.next()
            if r == "\\":
                self.next()
            elif _is_terminator(r):
                self.backup()
                break
        value = self.consume()
        cur.nodes.append(_Wildcard() if value == "*" else _Field(value.replace("\\", "")))


def _parse(text: str) -> _List:
    return _Parser(text).parse()


def _parse_action(text: str) -> _List:
    return _parse("{" + text + "}").nodes[0]


_MISSING = object()


def _go_type(v: Any) -> str:
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, (list, tuple)):
        return "[]interface {}"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    return "string"


def _iterate(v: Any) -> list | None:
    if isinstance(v, (list, tuple)):
        return list(v)
    if isinstance(v, dict):
        return [v[k] for k in sorted(v, key=str)]
    return None


def _compare(op: str, left: Any, right: Any) -> bool:
    """template.Less/Equal...: numbers with numbers, strings with strings, bools for (in)equality;
    comparing different kinds is not an error, it just does not pass."""
    def kind(x):
        if isinstance(x, bool):
            return "bool"
        if isinstance(x, (int, float)):
            return "number"
        if isinstance(x, str):
            return "string"
        return None

    kl, kr = kind(left), kind(right)
    if kl is None or kr is None or kl != kr:
        return False
    if kl == "bool" and op not in ("==", "!="):
        return False
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    if op == ">=":
        return left >= right
    raise _JSONPathError(f"unrecognized filter operator {op}")


class _Runner:
    """jsonpath.JSONPath.FindResults, including its `range`/`end` bookkeeping."""

    def __init__(self, root: _List, allow_missing_keys: bool):
        self.nodes = root.nodes
        self.allow_missing = allow_missing_keys
        self.stack: list = []
        self.cur: list = []
        self.begin_range = self.in_range = self.end_range = 0

    def find_results(self, data: Any) -> list[list]:
        self.cur = [data]
        nodes = self.nodes
        full: list[list] = []
        i = 0
        while i < len(nodes):
            results = self.walk(self.cur, nodes[i])
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                for k, value in enumerate(results):
                    self.nodes = nodes[i + 1:]
                    if k == len(results) - 1:
                        self.in_range -= 1
                    full.extend(self.find_results(value))
                break
            full.append(results)
            i += 1
        return full

    def walk(self, values: list, node: Any) -> list:
        if isinstance(node, _List):
            return self.eval_list(values, node)
        if isinstance(node, _Text):
            return [node.text]
        if isinstance(node, _Field):
            return self.eval_field(values, node)
        if isinstance(node, _Array):
            return self.eval_array(values, node)
        if isinstance(node, _Filter):
            return self.eval_filter(values, node)
        if isinstance(node, _Number):
            return [node.value for _ in values]
        if isinstance(node, _Wildcard):
            out = []
            for v in values:
                items = _iterate(v)
                if items is not None:
                    out.extend(items)
            return out
        if isinstance(node, _Recursive):
            return self.eval_recursive(values)
        if isinstance(node, _Union):
            out = []
            for ln in node.nodes:
                out.extend(self.eval_list(values, ln))
            return out
        if isinstance(node, _Identifier):
            return self.eval_identifier(values, node)
        raise _JSONPathError(f"unexpected Node {node}")

    def eval_list(self, values: list, node: _List) -> list:
        cur = values
        for n in node.nodes:
            cur = self.walk(cur, n)
        return cur

    def eval_identifier(self, values: list, node: _Identifier) -> list:
        if node.name == "range":
            self.stack.append(self.cur)
            self.begin_range += 1
            return values
        if node.name == "end":
            if self.end_range < self.in_range:
                self.end_range += 1
                return []
            if self.stack:
                self.cur = self.stack.pop()
                return []
            raise _JSONPathError("not in range, nothing to end")
        raise _JSONPathError(f"unrecognized identifier {node.name}")

    def eval_field(self, values: list, node: _Field) -> list:
        results = []
        if not values:
            return results
        for v in values:
            if v is None:
                continue
            if isinstance(v, dict):
                r = v.get(node.value, _MISSING)
                if r is not _MISSING:
                    results.append(r)
        if not results:
            if self.allow_missing:
                return results
            raise _JSONPathError(f"{node.value} is not found")
        return results

    def eval_array(self, values: list, node: _Array) -> list:
        result = []
        for v in values:
            if v is None:
                continue
            if not isinstance(v, (list, tuple)):
                raise _JSONPathError(f"{_go_type(v)} is not array or slice")
            n = len(v)
            p0, p1, p2 = (_Param(p.known, p.value, p.derived) for p in node.params)
            if not p0.known:
                p0.value = 0
            if p0.value < 0:
                p0.value += n
            if not p1.known:
                p1.value = n
            if p1.value < 0 or (p1.value == 0 and p1.derived):
                p1.value += n
            if p1.value != p0.value:
                if p0.value >= n or p0.value < 0:
                    raise _JSONPathError(f"array index out of bounds: index {p0.value}, length {n}")
                if p1.value > n or p1.value < 0:
                    raise _JSONPathError(
                        f"array index out of bounds: index {p1.value - 1}, length {n}")
                if p0.value > p1.value:
                    raise _JSONPathError(f"starting index {p0.value} is greater than ending "
                                         f"index {p1.value}")
            else:
                return result
            part = v[p0.value:p1.value]
            step = 1
            if p2.known:
                if p2.value <= 0:
                    raise _JSONPathError("step must be > 0")
                step = p2.value
            result.extend(part[::step])
        return result

    def eval_recursive(self, values: list) -> list:
        result = []
        for v in values:
            if v is None:
                continue
            items = _iterate(v)
            if not items:
                continue
            result.append(v)
            result.extend(self.eval_recursive(items))
        return result

    def eval_filter(self, values: list, node: _Filter) -> list:
        results = []
        for v in values:
            items = _iterate(v)
            if items is None:
                items = [v]
            for item in items:
                try:
                    lefts = self.eval_list([item], node.left)
                except _JSONPathError:
                    if not self.allow_missing:
                        raise
                    lefts = []
                rights = self.eval_list([item], node.right)
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise _JSONPathError("can only compare one element at a time")
                if node.op == "exists":
                    results.append(item)
                    continue
                if not rights:
                    continue
                if len(rights) > 1:
                    raise _JSONPathError("can only compare one element at a time")
                if _compare(node.op, lefts[0], rights[0]):
                    results.append(item)
        return results


def _text_of(v: Any) -> str:
    """PrintResults: maps and lists as compact JSON, everything else as fmt.Print would."""
    if isinstance(v, (dict, list, tuple)):
        return go_json(v)
    return go_sprint(v)


def _run(template: str, data: Any, allow_missing_keys: bool) -> list[list]:
    return _Runner(_parse(template), allow_missing_keys).find_results(data)


def jsonpath(template: str, obj_or_list: Any, *, allow_missing_keys: bool = True,
             as_json: bool = False) -> str:
    """`kubectl get -o jsonpath=<template>`: no newline is added at the end.

    `as_json` is `-o jsonpath-as-json`: each group of results is printed as an indented JSON
    array and a newline. Errors are raised as ClientError with kubectl's texts
    (`error parsing jsonpath ...`).
    """
    if not template:
        raise ClientError("template format specified but no template given")
    try:
        root = _parse(template)
    except _JSONPathError as e:
        raise ClientError(f"error parsing jsonpath {template}, {e}") from None
    data = _data(obj_or_list)
    try:
        results = _Runner(root, allow_missing_keys).find_results(data)
    except _JSONPathError as e:
        from k8scourse.api.field import go_quote

        detail = (f"Error executing template: {e}. Printing more information for debugging "
                  f"the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath "
                  f"engine was:\n\t\t{go_sharp_v(data)}\n\n")
        raise ClientError(f"error executing jsonpath {go_quote(template)}: {detail}") from None
    if as_json:
        return "".join(go_json(list(group), "    ") + "\n" for group in results)
    return "".join(" ".join(_text_of(v) for v in group) for group in results)


_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def _relaxed_jsonpath(expr: str) -> str:
    """RelaxedJSONPathExpression: `metadata.name`, `.metadata.name`, `{metadata.name}` all
    become `{.metadata.name}`."""
    if not expr:
        return expr
    m = _RELAXED.match(expr)
    if m is None:
        raise ClientError("unexpected path string, expected a 'name1.name2' or '.name1.name2' "
                          "or '{name1.name2}' or '{.name1.name2}'")
    return "{." + (m.group(1) or m.group(2)) + "}"


def custom_columns(spec: str, objs: Any, *, no_headers: bool = False) -> str:
    """`kubectl get -o custom-columns=NAME:.metadata.name,IP:.status.podIP`: a missing field is
    `<none>`, several values are joined by commas."""
    from k8scourse.kubectl.tabwriter import format_rows

    if not spec:
        raise ClientError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, expr = part.partition(":")
        if not sep:
            raise ClientError(f"unexpected custom-columns spec: {part}, expected "
                              f"<header>:<json-path-expr>")
        columns.append((header, _relaxed_jsonpath(expr)))
    parsed = []
    for _, expr in columns:
        try:
            parsed.append(_parse(expr))
        except _JSONPathError as e:
            raise ClientError(str(e)) from None
    if isinstance(objs, dict):
        objs = objs.get("items", []) if objs.get("kind") == "List" else [objs]
    rows = [] if no_headers else [[h for h, _ in columns]]
    for obj in objs:
        row = []
        for root in parsed:
            try:
                values = _Runner(root, True).find_results(obj)
            except _JSONPathError as e:
                raise ClientError(str(e)) from None
            strings = []
            if not values or not values[0]:
                strings.append("<none>")
            for group in values:
                strings.extend(go_sprint(v) for v in group)
            row.append(",".join(strings))
        rows.append(row)
    return format_rows(rows)
