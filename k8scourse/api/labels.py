"""Label selectors as apimachinery's pkg/labels and metav1's label_selector.go handle them.

A selector is a list of requirements `(key, operator, values)`, the operators spelled as
pkg/selection spells them: `=`, `==`, `!=`, `in`, `notin`, `exists`, `!`, `gt`, `lt`.

* `requirements(sel)`: metav1.LabelSelectorAsSelector of a `{matchLabels, matchExpressions}`
  dict (None for a nil selector, which matches nothing; [] for an empty one, which matches
  everything); `set_requirements(m)`: labels.SelectorFromSet of a plain map (v1
  ReplicationController and Service selectors, where an empty map matches everything).
* `compile_selector` / `compile_set` / `compile_requirements`: a fast `labels -> bool` for hot
  paths; `matches` / `set_matches` / `requirements_match` answer once.
* `selector_string` / `set_string` / `requirements_string`: `labels.Selector.String()`
  (`app=web,tier in (a,b),!canary`); `format_selector`: metav1.FormatLabelSelector (`<none>`).

An operator that is not one of these (which validation refuses) matches nothing and prints nothing.
Everything here reads the dicts it is given and never changes them.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

Requirement = tuple[str, str, tuple[str, ...]]
Matcher = Callable[[dict], bool]

#: metav1.LabelSelectorOperator -> selection.Operator
OPERATORS = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}

_INT64_RE = re.compile(r"[+-]?[0-9]+")


def nothing(labels: dict) -> bool:
    """labels.Nothing()."""
    return False


def everything(labels: dict) -> bool:
    """labels.Everything()."""
    return True


# ------------------------------------------------------------------------------------------------
# requirements
def requirements(selector: dict | None) -> list[Requirement] | None:
    """The requirements of a metav1.LabelSelector, sorted by key as LabelSelectorAsSelector sorts
    them (matchLabels before matchExpressions for one key), each expression's values sorted;
    None for a nil selector."""
    if selector is None:
        return None
    reqs: list[Requirement] = [(k, "=", (str(v),))
                               for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for e in selector.get("matchExpressions") or ():
        op = e.get("operator", "")  # anything else is no operator: it matches nothing
        values = tuple(sorted(str(x) for x in e.get("values") or ()))
        reqs.append((e.get("key", ""), OPERATORS.get(op, ""), values))
    reqs.sort(key=lambda r: r[0])
    return reqs


def set_requirements(selector: dict | None) -> list[Requirement]:
    """labels.SelectorFromSet: one `key=value` requirement per pair, sorted by key."""
    return [(k, "=", (str(v),)) for k, v in sorted((selector or {}).items())]


def is_empty(selector: dict | None) -> bool:
    """A non-nil metav1.LabelSelector without matchLabels and matchExpressions (selects all)."""
    return selector is not None and not selector.get("matchLabels") and \
        not selector.get("matchExpressions")


def _int64(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64), None when it fails."""
    if not _INT64_RE.fullmatch(text):
        return None
    v = int(text)
    return v if -(1 << 63) <= v < (1 << 63) else None


def requirements_match(reqs: Iterable[Requirement], labels: dict) -> bool:
    """labels.Selector.Matches: every requirement holds for `labels`."""
    for key, op, values in reqs:
        if op == "=" or op == "in" or op == "==":
            if key not in labels or labels[key] not in values:
                return False
        elif op == "notin" or op == "!=":
            if key in labels and labels[key] in values:
                return False
        elif op == "exists":
            if key not in labels:
                return False
        elif op == "!":
            if key in labels:
                return False
        elif op == "gt" or op == "lt":
            if key not in labels or len(values) != 1:
                return False
            have, want = _int64(str(labels[key])), _int64(values[0])
            if have is None or want is None:
                return False
            if not (have > want if op == "gt" else have < want):
                return False
        else:  # an operator validation would have refused: matches nothing
            return False
    return True


def compile_requirements(reqs: Sequence[Requirement]) -> Matcher:
    """A fast matcher for `reqs`: plain `key=value` lists become dict look-ups."""
    if not reqs:
        return everything
    if all(op == "=" or op == "==" for _, op, _ in reqs):
        pairs = tuple((k, vs[0]) for k, _, vs in reqs)
        if len(pairs) == 1:
            (k0, v0), = pairs
            return lambda labels: labels.get(k0) == v0
        return lambda labels: all(labels.get(k) == v for k, v in pairs)
    reqs = tuple(reqs)
    return lambda labels: requirements_match(reqs, labels)


def compile_selector(selector: dict | None) -> Matcher:
    """A function telling whether a label map matches a metav1.LabelSelector
    (nil matches nothing, empty everything)."""
    reqs = requirements(selector)
    if reqs is None:
        return nothing
    return compile_requirements(reqs)


def compile_set(selector: dict | None) -> Matcher:
    """The same for a plain map (labels.SelectorFromSet: empty or missing matches everything)."""
    return compile_requirements(set_requirements(selector))


def matches(selector: dict | None, labels: dict | None) -> bool:
    """Whether `labels` match a metav1.LabelSelector (nil matches nothing, {} everything)."""
    if selector is None:
        return False
    labels = labels or {}
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != str(v):
            return False
    exprs = selector.get("matchExpressions")
    if not exprs:
        return True
    return requirements_match([(e.get("key", ""), OPERATORS.get(e.get("operator", ""), ""),
                                tuple(str(x) for x in e.get("values") or ())) for e in exprs], labels)


def set_matches(selector: dict | None, labels: dict | None) -> bool:
    """Whether `labels` carry every pair of a plain map."""
    return compile_set(selector)(labels or {})


# ------------------------------------------------------------------------------------------------
# text
def requirement_string(key: str, op: str, values: Sequence[str]) -> str:
    """labels.Requirement.String(): `a=b`, `a!=b`, `a in (x,y)` (values sorted), `a`, `!a`, `a>1`."""
    if op in ("=", "==", "!="):
        return f"{key}{op}{values[0] if values else ''}"
    if op in ("in", "notin"):
        return f"{key} {op} ({','.join(sorted(values))})"
    if op == "exists":
        return key
    if op == "!":
        return f"!{key}"
    if op == "gt":
        return f"{key}>{values[0] if values else ''}"
    if op == "lt":
        return f"{key}<{values[0] if values else ''}"
    return ""


def requirements_string(reqs: Iterable[Requirement]) -> str:
    """labels.Selector.String(): the requirements joined by `,` (unknown operators left out)."""
    return ",".join(s for s in (requirement_string(*r) for r in reqs) if s)


def selector_string(selector: dict | None) -> str:
    """metav1.LabelSelectorAsSelector(sel).String(); "" for a nil or empty selector."""
    return requirements_string(requirements(selector) or ())


def set_string(selector: dict | None) -> str:
    """labels.SelectorFromSet(m).String(): `a=1,b=2`."""
    return requirements_string(set_requirements(selector))


def format_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: the selector string, `<none>` when it is empty or nil."""
    return selector_string(selector) or "<none>"
