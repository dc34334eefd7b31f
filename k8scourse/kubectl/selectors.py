"""Label and field selectors, parsed as apimachinery's labels.Parse and fields.ParseSelector do.

    env=prod,tier!=cache      tier in (web, api)      !canary      partition notin (a)    release

`parse_labels(text)` returns a LabelSelector whose `matches(labels)` says whether an object's labels
satisfy every requirement; errors are ValueError with apimachinery's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from k8scourse.api import labels as _labels

# lexer tokens (labels/selector.go)
_ERR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(14)
_SYMBOLS = {")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "<": _LT,
            "!=": _NEQ, "(": _OPEN}
_KEYWORDS = {"in": _IN, "notin": _NOTIN}
_SPECIAL = set("=!(),><")

_LABEL_VALUE_RE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_NAME_RE = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS1123_SUB_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

_QUALIFIED_NAME_MSG = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                       "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                       "or '123-abc', regex used for validation is "
                       "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
_LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, "
                    "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                    "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def qualified_name_errors(key: str) -> list[str]:
    """validation.IsQualifiedName: `prefix/name` label keys."""
    errs: list[str] = []
    parts = key.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        elif len(prefix) > 253 or not _DNS1123_SUB_RE.match(prefix):
            if len(prefix) > 253:
                errs.append("prefix part must be no more than 253 characters")
            else:
                errs.append("prefix part a lowercase RFC 1123 subdomain must consist of lower case "
                            "alphanumeric characters, '-' or '.', and must start and end with an "
                            "alphanumeric character (e.g. 'example.com', regex used for validation "
                            "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
    else:
        return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and "
                "must start and end with an alphanumeric character (e.g. 'MyName',  or "
                "'my.name',  or '123-abc', regex used for validation is "
                "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
                "and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part must be no more than 63 characters")
    elif not _NAME_RE.match(name):
        errs.append(_QUALIFIED_NAME_MSG)
    return errs


def label_value_errors(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append("must be no more than 63 characters")
    if not _LABEL_VALUE_RE.match(value):
        errs.append(_LABEL_VALUE_MSG)
    return errs


@dataclass(frozen=True)
class Requirement:
    key: str
    op: str            # "=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt"
    values: tuple[str, ...] = ()

    def matches(self, labels: dict) -> bool:
        return _labels.requirements_match(((self.key, self.op, self.values),), labels)

    def __str__(self) -> str:
        return _labels.requirement_string(self.key, self.op, self.values)


@dataclass(frozen=True)
class LabelSelector:
    requirements: tuple[Requirement, ...] = ()

    def matches(self, labels: dict | None) -> bool:
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        return not self.requirements


class _Lexer:
    def __init__(self, s: str):
        self.s = s
        self.pos = 0

    def lex(self) -> tuple[int, str]:
        s = self.s
        while self.pos < len(s) and s[self.pos] in " \t\r\n":
            self.pos += 1
        if self.pos >= len(s):
            return _EOS, ""
        ch = s[self.pos]
        if ch in _SPECIAL:
            # the longest run of special symbols that is still an operator
            buf, tok = "", _ERR
            while self.pos < len(s) and s[self.pos] in _SPECIAL:
                if buf + s[self.pos] in _SYMBOLS:
                    buf += s[self.pos]
                    tok = _SYMBOLS[buf]
                    self.pos += 1
                else:
                    break
            if not buf:
                return _ERR, f"error expected: keyword found '{ch}'"
            return tok, buf
        start = self.pos
        while self.pos < len(s) and s[self.pos] not in _SPECIAL and s[self.pos] not in " \t\r\n":
            self.pos += 1
        word = s[start:self.pos]
        return _KEYWORDS.get(word, _ID), word


class _Parser:
    def __init__(self, s: str):
        lexer = _Lexer(s)
        self.items: list[tuple[int, str]] = []
        while True:
            tok, lit = lexer.lex()
            self.items.append((tok, lit))
            if tok in (_EOS, _ERR):
                break
        self.pos = 0

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        if values and tok in (_IN, _NOTIN):
            tok = _ID
        return tok, lit

    def consume(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.lookahead(values)
        if self.pos < len(self.items) - 1:
            self.pos += 1
        return tok, lit

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.lookahead()
            if tok in (_ID, _NOT):
                try:
                    reqs.append(self.requirement())
                except ValueError as e:
                    raise ValueError(f"unable to parse requirement: {e}") from None
                t, l = self.consume()
                if t == _EOS:
                    return reqs
                if t == _COMMA:
                    t2, l2 = self.lookahead()
                    if t2 not in (_ID, _NOT):
                        raise ValueError(f"found '{l2}', expected: identifier after ','")
                    continue
                raise ValueError(f"found '{l}', expected: ',' or 'end of string'")
            if tok == _EOS:
                return reqs
            raise ValueError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        op = None
        tok, lit = self.consume()
        if tok == _NOT:
            op = "!"
            tok, lit = self.consume()
        if tok != _ID:
            raise ValueError(f"found '{lit}', expected: identifier")
        key = lit
        errs = qualified_name_errors(key)
        if errs:
            raise ValueError(f'key: Invalid value: "{key}": {"; ".join(errs)}')
        t, _ = self.lookahead()
        if t in (_EOS, _COMMA):
            return Requirement(key, op or "exists")
        if op == "!":
            t, l = self.lookahead()
            raise ValueError(f"found '{l}', expected: ',' or 'end of string'")
        tok, lit = self.consume(values=False)
        ops = {_IN: "in", _NOTIN: "notin", _EQ: "=", _DEQ: "==", _NEQ: "!=", _GT: "gt", _LT: "lt"}
        if tok not in ops:
            raise ValueError(f"found '{lit}', expected: in, notin, =, ==, !=, gt, lt")
        op = ops[tok]
        if op in ("in", "notin"):
            values = self.values_list()
        else:
            values = self.exact_value()
        if op in ("gt", "lt"):
            if len(values) != 1 or not re.fullmatch(r"-?[0-9]+", values[0]):
                raise ValueError(f'values[0]: Invalid value: "{values[0] if values else ""}": '
                                 "for 'Gt', 'Lt' operators, the value must be an integer")
        for v in values:
            verrs = label_value_errors(v)
            if verrs:
                raise ValueError(f'values[0][{key}]: Invalid value: "{v}": {"; ".join(verrs)}')
        return Requirement(key, op, tuple(values))

    def values_list(self) -> list[str]:
        tok, lit = self.consume()
        if tok != _OPEN:
            raise ValueError(f"found '{lit}' expected: '('")
        out: list[str] = []
        tok, lit = self.lookahead()
        if tok == _CLOSE:
            self.consume()
            return [""]
        while True:
            tok, lit = self.lookahead()
            if tok == _ID:
                self.consume()
                out.append(lit)
            elif tok == _COMMA:
                out.append("")
            else:
                raise ValueError(f"found '{lit}', expected: ',', or identifier")
            tok, lit = self.consume()
            if tok == _CLOSE:
                return sorted(set(out))
            if tok == _COMMA:
                t2, l2 = self.lookahead()
                if t2 == _CLOSE:
                    self.consume()
                    out.append("")
                    return sorted(set(out))
                continue
            raise ValueError(f"found '{lit}', expected: ',' or ')'")

    def exact_value(self) -> list[str]:
        tok, _ = self.lookahead()
        if tok in (_EOS, _COMMA):
            return [""]
        tok, lit = self.consume()
        if tok == _ID:
            return [lit]
        raise ValueError(f"found '{lit}', expected: identifier")


def parse_labels(text: str) -> LabelSelector:
    """labels.Parse: ValueError with apimachinery's message when the text is not a selector."""
    return LabelSelector(tuple(_Parser(text).parse()))


def from_map(m: dict[str, str]) -> LabelSelector:
    """A selector from a plain map (v1 Service/RC selectors, matchLabels)."""
    return LabelSelector(tuple(Requirement(*r) for r in _labels.set_requirements(m)))


def from_label_selector(sel: dict | None) -> LabelSelector | None:
    """metav1.LabelSelectorAsSelector; None for a nil selector (matches nothing)."""
    reqs = _labels.requirements(sel)
    if reqs is None:
        return None
    return LabelSelector(tuple(Requirement(*r) for r in reqs))


#: How kubectl prints a LabelSelector (`app=web,tier in (a,b)`).
selector_text = _labels.selector_string


# field selectors ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldRequirement:
    field: str
    op: str     # "=" or "!="
    value: str


def parse_fields(text: str) -> list[FieldRequirement]:
    """fields.ParseSelector: `a=b`, `a==b`, `a!=b`, comma separated (`\\,` escapes)."""
    out: list[FieldRequirement] = []
    if not text.strip():
        return out
    parts: list[str] = []
    buf, escaped = "", False
    for ch in text:
        if escaped:
            buf += ch
            escaped = False
        elif ch == "\\":
            buf += ch
            escaped = True
        elif ch == ",":
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    for part in parts:
        if not part:
            continue
        for op in ("!=", "==", "="):
            idx = part.find(op)
            if idx >= 0:
                f, v = part[:idx], part[idx + len(op):]
                out.append(FieldRequirement(f.strip(), "!=" if op == "!=" else "=",
                                            v.replace("\\,", ",").replace("\\=", "=")))
                break
        else:
            raise ValueError(f"invalid selector: '{text}'; can't understand '{part}'")
    return out
