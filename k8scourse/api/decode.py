"""Reading manifests the way `kubectl ... -f FILE` does, with kubectl's own error texts.

kubectl reads a file as a stream (apimachinery/pkg/util/yaml YAMLOrJSONDecoder):

* if the first non-space character is `{` the stream is JSON values, one after another;
* otherwise it is split into YAML documents at lines starting with `---`, and each document is
  converted to JSON by sigs.k8s.io/yaml, which parses YAML 1.1 with go-yaml v2: `on`, `yes`, `y`
  are true, `0x1F` is 31, `1e3` is 1000, a date stays a string, a duplicate key keeps its last value.

The objects returned are exactly what kubectl sends to the API server: YAML documents come back with
their keys sorted at every level (kubectl sends the JSON that sigs.k8s.io/yaml marshals from a map),
JSON documents keep their order. A syntax error raises DecodeError whose text is kubectl's, without
the leading `error: ` (kubectl prints that):

    error parsing pod.yaml: error converting YAML to JSON: yaml: line 11: mapping values are not allowed in this context

The YAML is scanned by libyaml (PyYAML's C parser), of which go-yaml v2 is a line-by-line port, so
the problem texts are the same; the line number is then computed as go-yaml computes it (a parser
error names the line *before* the one libyaml points at).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import math
import re
from decimal import Decimal
from typing import Any

import yaml
from yaml._yaml import CParser

from k8scourse.errors import ClientError, DecodeError

__all__ = ["load_manifests", "check_client_side", "go_float", "STOP_VALIDATE"]

STOP_VALIDATE = "if you choose to ignore these errors, turn validation off with --validate=false"


# --- go-yaml v2 scalar resolution (resolve.go) ---------------------------------------------------

_BOOL_NULL = {}
for _w in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"):
    _BOOL_NULL[_w] = True
for _w in ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"):
    _BOOL_NULL[_w] = False
for _w in ("", "~", "null", "Null", "NULL"):
    _BOOL_NULL[_w] = None
_SPECIAL_FLOATS = {
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
}
_MAP_HINT = set("yYnNtTfFoO~")
_NUM_HINT = set("+-0123456789")
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_FLOAT = re.compile(r"^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?|[iI]nf(inity)?|[nN]a[nN])$")
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1
_MERGE = object()


def _go_parse_int(s: str) -> int | None:
    """strconv.ParseInt(s, 0, 64) (underscores already removed), or None."""
    body = s
    sign = 1
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    low = body[:2].lower()
    try:
        if low == "0x":
            v = int(body[2:], 16) if body[2:] and _is_base(body[2:], 16) else None
        elif low == "0b":
            v = int(body[2:], 2) if body[2:] and _is_base(body[2:], 2) else None
        elif low == "0o":
            v = int(body[2:], 8) if body[2:] and _is_base(body[2:], 8) else None
        elif body[0] == "0" and len(body) > 1:
            v = int(body[1:], 8) if _is_base(body[1:], 8) else None
        else:
            v = int(body) if body.isdigit() and body.isascii() else None
    except ValueError:
        return None
    return None if v is None else sign * v


def _is_base(digits: str, base: int) -> bool:
    allowed = "0123456789abcdef"[:base]
    return all(c in allowed for c in digits.lower())


def _go_parse_float(s: str) -> float | None:
    """strconv.ParseFloat(s, 64) for the decimal forms go-yaml hands it; None on error."""
    if not _GO_FLOAT.match(s):
        return None
    f = float(s)
    if math.isinf(f) and "inf" not in s.lower():
        return None  # out of range
    return f


def _resolve_plain(s: str) -> Any:
    """A plain (unquoted, untagged) scalar as go-yaml v2 decodes it into interface{}."""
    if not s:
        return None
    c = s[0]
    if c in _MAP_HINT or s == "<<":
        if s == "<<":
            return _MERGE
        return _BOOL_NULL.get(s, s)
    if c == ".":
        if s in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[s]
        f = _go_parse_float(s)
        return s if f is None else f
    if c in _NUM_HINT:
        if s in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[s]
        # timestamps decode to their own text in interface{}: nothing to do
        plain = s.replace("_", "")
        v = _go_parse_int(plain)
        if v is not None:
            if _INT64_MIN <= v <= _INT64_MAX or 0 <= v <= _UINT64_MAX:
                return v
        if _YAML_FLOAT.match(plain):
            f = _go_parse_float(plain)
            if f is not None:
                return f
        if plain.startswith("0b") or plain.startswith("-0b"):
            try:
                v = int(plain.replace("0b", "", 1), 2)
                return v
            except ValueError:
                pass
        return s
    return s


# --- JSON-ification as sigs.k8s.io/yaml does it ---------------------------------------------------


class _Unsupported(Exception):
    pass


def go_float(f: float) -> str:
    """encoding/json's text for a float64 (`1e-7`, `1e+21`, `0.5`, `100`)."""
    literal = getattr(f, "literal", None)
    if literal is not None:
        return literal
    if f == 0:
        return "-0" if math.copysign(1, f) < 0 else "0"
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        r = repr(f)
        mant, _, exp = r.partition("e")
        if mant.endswith(".0"):
            mant = mant[:-2]
        e = int(exp)
        return f"{mant}e{'-' if e < 0 else '+'}{abs(e):02d}".replace("e-0", "e-").replace("e+0", "e+")
    r = repr(f)
    if "e" in r:
        d = Decimal(r)
        return format(d, "f")
    return r[:-2] if r.endswith(".0") else r


def _jsonable_float(f: float) -> Any:
    if math.isnan(f):
        raise _Unsupported("json: unsupported value: NaN")
    if math.isinf(f):
        raise _Unsupported(f"json: unsupported value: {'+Inf' if f > 0 else '-Inf'}")
    if f.is_integer() and abs(f) < 1e21:
        # Go prints 3.0 as `3`, which the API server then reads as an integer
        return int(Decimal(repr(f))) if "e" in repr(f) else int(f)
    return f


def _go_fmt_value(v: Any) -> str:
    """Go's %#v of a decoded YAML value (for the rare key errors)."""
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(_go_fmt_value(x) for x in v) + "}"
    if isinstance(v, dict):
        return "map[interface {}]interface {}{" + ", ".join(
            f"{_go_fmt_value(k)}:{_go_fmt_value(x)}" for k, x in v.items()) + "}"
    return str(v)


def _key_text(k: Any, value: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        if k.is_integer() and abs(k) < 1e21:
            return str(int(k))
        return format(k, "g")
    if k is None:
        raise _Unsupported(
            f"Unsupported map key of type: %!s(<nil>), key: <nil>, value: {_go_fmt_value(value)}")
    raise _Unsupported(f"yaml: invalid map key: {_go_fmt_value(k)}")


# --- the YAML event walker --------------------------------------------------------------------------


class _GoYAMLError(Exception):
    """A go-yaml error text (without `error converting YAML to JSON: `)."""


def _go_line(err: yaml.MarkedYAMLError, scanner: bool) -> str:
    pm, cm = err.problem_mark, err.context_mark
    line = 0
    if pm is not None and pm.line != 0:
        line = pm.line + (1 if scanner else 0)
    elif cm is not None and cm.line != 0:
        line = cm.line
    return f"line {line}: " if line else ""


def _parse_document(chunk: str) -> Any:
    """One YAML document (the first in `chunk`) as a JSON-compatible value, or raise _GoYAMLError."""
    parser = CParser(chunk)
    anchors: dict[str, Any] = {"": []}  # "" holds errors go-yaml finds only when decoding
    try:
        ev = parser.get_event()  # StreamStart
        ev = parser.get_event()
        if isinstance(ev, yaml.StreamEndEvent):
            return None
        # DocumentStart
        value = _node(parser, anchors, chunk)
        parser.get_event()  # go-yaml reads on to the end of the document
        if anchors[""]:
            raise anchors[""][0]
        return value
    except yaml.scanner.ScannerError as e:
        raise _GoYAMLError(f"yaml: {_go_line(e, True)}{e.problem}") from None
    except yaml.parser.ParserError as e:
        raise _GoYAMLError(f"yaml: {_go_line(e, False)}{e.problem}") from None
    except yaml.reader.ReaderError as e:
        raise _reader_error(chunk, e) from None
    except yaml.YAMLError as e:  # composer-level problems from libyaml
        raise _GoYAMLError(f"yaml: {getattr(e, 'problem', None) or e}") from None
    finally:
        del parser


def _reader_error(chunk: str, e: yaml.reader.ReaderError) -> _GoYAMLError:
    """go-yaml decodes its input in 512-byte blocks, libyaml all at once: a bad character is only
    reported when go-yaml's scanner gets to its block, so an earlier syntax error wins."""
    data = chunk.encode("utf-8", errors="surrogatepass")
    block = e.position - e.position % 512
    head = data[:block].decode("utf-8", errors="ignore")
    cut = head.rfind("\n")
    if cut > 0:
        head = head[:cut + 1]
        try:
            _parse_document(head)
        except _GoYAMLError as inner:
            text = str(inner)
            if "control characters" not in text and "end of stream" not in text \
                    and "did not find expected" not in text:
                return inner
    return _GoYAMLError(f"yaml: {e.reason}")


_STR_TAG = "tag:yaml.org,2002:str"
_TAGS = {
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:timestamp",
}


def _scalar(ev: yaml.ScalarEvent) -> Any:
    tag = ev.tag
    if tag is None or tag == "!":
        if ev.implicit[0] and tag is None:
            return _resolve_plain(ev.value)
        return ev.value
    if tag == _STR_TAG:
        return ev.value
    if tag == "tag:yaml.org,2002:binary":
        try:
            raw = base64.b64decode(ev.value.replace("\n", "").replace(" ", ""), validate=True)
        except (binascii.Error, ValueError):
            raise _GoYAMLError("yaml: !!binary value contains invalid base64 data") from None
        return raw.decode("utf-8", errors="replace")
    if tag in _TAGS:
        v = _resolve_plain(ev.value)
        return ev.value if v is _MERGE and tag != "tag:yaml.org,2002:merge" else v
    return ev.value  # an application tag: go-yaml keeps the text


def _node(parser: CParser, anchors: dict, text: str) -> Any:
    ev = parser.get_event()
    if isinstance(ev, yaml.DocumentStartEvent):
        ev = parser.get_event()
    return _value(ev, parser, anchors, text)


def _value(ev: Any, parser: CParser, anchors: dict, text: str) -> Any:
    if isinstance(ev, yaml.ScalarEvent):
        v = _scalar(ev)
        if ev.anchor is not None:
            anchors[ev.anchor] = v
        return v
    if isinstance(ev, yaml.AliasEvent):
        if ev.anchor not in anchors or ev.anchor == "":
            raise _GoYAMLError(f"yaml: unknown anchor '{ev.anchor}' referenced")
        v = anchors[ev.anchor]
        return copy.deepcopy(v) if isinstance(v, (dict, list)) else v
    if isinstance(ev, yaml.SequenceStartEvent):
        out: list = []
        if ev.anchor is not None:
            anchors[ev.anchor] = out
        while True:
            item = parser.get_event()
            if isinstance(item, yaml.SequenceEndEvent):
                return out
            out.append(_value(item, parser, anchors, text))
    if isinstance(ev, yaml.MappingStartEvent):
        raw: dict = {}
        if ev.anchor is not None:
            anchors[ev.anchor] = raw
        while True:
            kev = parser.get_event()
            if isinstance(kev, yaml.MappingEndEvent):
                return raw
            key = _value(kev, parser, anchors, text)
            val = _value(parser.get_event(), parser, anchors, text)
            if key is _MERGE:
                try:
                    _merge(raw, val)
                except _GoYAMLError as e:
                    anchors[""].append(e)
                continue
            if isinstance(key, (list, dict)):
                anchors[""].append(_GoYAMLError(f"yaml: invalid map key: {_go_fmt_value(key)}"))
                continue
            raw[key] = val
    raise _GoYAMLError("yaml: unknown problem parsing YAML content")


def _merge(out: dict, val: Any) -> None:
    if isinstance(val, dict):
        out.update(copy.deepcopy(val))
    elif isinstance(val, list) and all(isinstance(v, dict) for v in val):
        for v in reversed(val):
            out.update(copy.deepcopy(v))
    else:
        raise _GoYAMLError("yaml: map merge requires map or sequence of maps as the value")


def _to_json(v: Any) -> Any:
    """sigs.k8s.io/yaml's YAML->JSON step: string keys, sorted maps, Go-printed floats."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            out[_key_text(k, x)] = x
        return {k: _to_json(out[k]) for k in sorted(out)}
    if isinstance(v, list):
        return [_to_json(x) for x in v]
    if isinstance(v, float):
        return _jsonable_float(v)
    if v is _MERGE:
        return "<<"
    return v


# --- splitting the stream ------------------------------------------------------------------------


def _yaml_documents(text: str):
    """Yield each document's text as apimachinery's YAMLReader cuts it (or raise DecodeError-ish)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    buf: list[str] = []
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        if line.startswith("---"):
            trimmed = line[3:].strip(" \t\n\r\v\f\x85\xa0")
            if trimmed and trimmed[0] != "#":
                raise _GoYAMLError(f"invalid Yaml document separator: {trimmed}")
            if buf:
                yield "".join(buf)
                buf = []
                continue
        buf.append(line + "\n")
    if buf:
        yield "".join(buf)


# --- JSON streams ----------------------------------------------------------------------------------


class JSONFloat(float):
    """A float read from JSON that remembers how it was written (for Go's error texts)."""

    literal: str

    def __new__(cls, text: str) -> "JSONFloat":
        f = super().__new__(cls, text)
        f.literal = text
        return f


def _quote_char(c: str) -> str:
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    if c == "\\":
        return "'\\\\'"
    q = json.dumps(c)[1:-1] if ord(c) < 0x20 else c
    if c == "\n":
        q = "\\n"
    elif c == "\t":
        q = "\\t"
    elif c == "\r":
        q = "\\r"
    elif ord(c) < 0x20:
        q = f"\\x{ord(c):02x}"
    return f"'{q}'"


class _JSONSyntax(Exception):
    def __init__(self, msg: str, offset: int):
        super().__init__(msg)
        self.offset = offset


_WS = " \t\n\r"


def _scan_json_value(s: str, i: int) -> int:
    """Check one JSON value starting at s[i] (after whitespace) as Go's scanner does; return end."""
    n = len(s)

    def err(j: int, context: str) -> _JSONSyntax:
        return _JSONSyntax(f"invalid character {_quote_char(s[j])} {context}", j + 1)

    def ws(j: int) -> int:
        while j < n and s[j] in _WS:
            j += 1
        return j

    def value(j: int, context: str = "looking for beginning of value") -> int:
        j = ws(j)
        if j >= n:
            raise EOFError
        c = s[j]
        if c == "{":
            j = ws(j + 1)
            if j >= n:
                raise EOFError
            if s[j] == "}":
                return j + 1
            while True:
                if j >= n:
                    raise EOFError
                if s[j] != '"':
                    raise err(j, "looking for beginning of object key string")
                j = string(j)
                j = ws(j)
                if j >= n:
                    raise EOFError
                if s[j] != ":":
                    raise err(j, "after object key")
                j = value(j + 1)
                j = ws(j)
                if j >= n:
                    raise EOFError
                if s[j] == ",":
                    j = ws(j + 1)
                    continue
                if s[j] == "}":
                    return j + 1
                raise err(j, "after object key:value pair")
        if c == "[":
            j = ws(j + 1)
            if j >= n:
                raise EOFError
            if s[j] == "]":
                return j + 1
            while True:
                j = value(j)
                j = ws(j)
                if j >= n:
                    raise EOFError
                if s[j] == ",":
                    j += 1
                    continue
                if s[j] == "]":
                    return j + 1
                raise err(j, "after array element")
        if c == '"':
            return string(j)
        if c == "-" or c.isdigit() and c.isascii():
            return number(j)
        for word in ("true", "false", "null"):
            if c == word[0]:
                for k, ch in enumerate(word[1:], 1):
                    if j + k >= n:
                        raise EOFError
                    if s[j + k] != ch:
                        raise err(j + k, f"in literal {word} (expecting {_quote_char(ch)})")
                return j + len(word)
        raise err(j, context)

    def string(j: int) -> int:
        j += 1
        while True:
            if j >= n:
                raise EOFError
            c = s[j]
            if c == '"':
                return j + 1
            if c == "\\":
                j += 1
                if j >= n:
                    raise EOFError
                e = s[j]
                if e in '"\\/bfnrt':
                    j += 1
                    continue
                if e == "u":
                    for k in range(1, 5):
                        if j + k >= n:
                            raise EOFError
                        if s[j + k] not in "0123456789abcdefABCDEF":
                            raise err(j + k, "in \\u hexadecimal character escape")
                    j += 5
                    continue
                raise err(j, "in string escape code")
            if ord(c) < 0x20:
                raise err(j, "in string literal")
            j += 1

    def number(j: int) -> int:
        if s[j] == "-":
            j += 1
            if j >= n:
                raise EOFError
            if not (s[j].isdigit() and s[j].isascii()):
                raise err(j, "in numeric literal")
        if s[j] == "0":
            j += 1
        else:
            while j < n and s[j] in "0123456789":
                j += 1
        if j < n and s[j] == ".":
            j += 1
            if j >= n:
                raise EOFError
            if s[j] not in "0123456789":
                raise err(j, "after decimal point in numeric literal")
            while j < n and s[j] in "0123456789":
                j += 1
        if j < n and s[j] in "eE":
            j += 1
            if j < n and s[j] in "+-":
                j += 1
            if j >= n:
                raise EOFError
            if s[j] not in "0123456789":
                raise err(j, "in exponent of numeric literal")
            while j < n and s[j] in "0123456789":
                j += 1
        return j

    return value(i)


def _json_documents(text: str, source: str, done: list) -> None:
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in _WS:
            i += 1
        if i >= n:
            return
        try:
            end = _scan_json_value(text, i)
        except EOFError:
            _fail(source, "unexpected EOF", done)
        except _JSONSyntax as e:
            _fail(source, f"json: offset {e.offset}: {e}", done)
        # a number directly followed by a letter is one token to Go; keep it simple otherwise
        doc = json.loads(text[i:end], parse_float=JSONFloat)
        i = end
        _take(doc, source, done)


# --- the public functions ------------------------------------------------------------------------


def _fail(source: str, message: str, done: list) -> None:
    err = DecodeError(f"error parsing {source}: {message}")
    err.objects = list(done)  # what kubectl had already read (and acted on) before the error
    raise err


def _take(doc: Any, source: str, done: list) -> None:
    if doc is None:
        return
    if not isinstance(doc, dict):
        err = ClientError(f'error validating "{source}": error validating data: '
                          f"invalid object to validate; {STOP_VALIDATE}")
        err.objects = list(done)
        raise err
    items = doc.get("items")
    if items is not None and isinstance(items, list):
        for item in items:
            if isinstance(item, dict):
                _take(item, source, done)
        return
    done.append(doc)


def load_manifests(text: str, source: str) -> list[dict]:
    """The objects in a manifest file, as kubectl reads `-f <source>` (Lists flattened)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    done: list[dict] = []
    stripped = text.lstrip(" \t\n\r\v\f\x85\xa0\u2028\u2029\u3000")
    if stripped.startswith("{"):
        _json_documents(text, source, done)
        return done
    try:
        for chunk in _yaml_documents(text):
            try:
                doc = _to_json(_parse_document(chunk))
            except _Unsupported as e:
                _fail(source, f"error converting YAML to JSON: {e}", done)
            except RecursionError:
                _fail(source, "error converting YAML to JSON: yaml: exceeded max depth", done)
            _take(doc, source, done)
    except _GoYAMLError as e:
        text_ = str(e)
        if text_.startswith("invalid Yaml document separator"):
            _fail(source, text_, done)
        _fail(source, f"error converting YAML to JSON: {text_}", done)
    return done


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


def check_client_side(obj: dict, source: str, validate: str = "strict") -> None:
    """kubectl's checks before sending an object: apiVersion/kind set, metadata decodable."""
    if validate not in ("false", "ignore", "Ignore"):
        problems = []
        api_version = obj.get("apiVersion")
        if api_version is None:
            problems.append("apiVersion not set")
        elif not isinstance(api_version, str):
            problems.append("apiVersion isn't string type")
        elif api_version.count("/") > 1:
            problems.append(f"unexpected GroupVersion string: {api_version}")
        kind = obj.get("kind")
        if kind is None:
            problems.append("kind not set")
        elif not isinstance(kind, str):
            problems.append("kind isn't string type")
        if problems:
            text = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
            raise ClientError(f'error validating "{source}": error validating data: {text}; '
                              f"{STOP_VALIDATE}")
    meta = obj.get("metadata")
    if meta is None:
        return
    from k8scourse.api import strict

    err = strict.type_error(meta, "ObjectMeta", "metadata", struct_hint="metadataOnlyObject")
    if err:
        raise ClientError(f'unable to decode "{source}": {err}')
