"""Validation of apps/v1 Deployment, ReplicaSet and DaemonSet (pkg/apis/apps/validation)."""

from __future__ import annotations

import re
from typing import Any

from k8scourse.api.field import FieldError, GoRepr, Path, forbidden, go_quote, invalid, not_supported, required
from k8scourse.api.validation import core
from k8scourse.api.validation import names as n
from k8scourse.api.validation.core import _d, _l, _s, go_string_map, nonnegative

_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def go_label_selector(sel: Any) -> GoRepr:
    """%#v of a *metav1.LabelSelector."""
    if not isinstance(sel, dict):
        return GoRepr("(*v1.LabelSelector)(nil)")
    ml = sel.get("matchLabels")
    exprs = sel.get("matchExpressions")
    if isinstance(exprs, list) and exprs:
        parts = []
        for e in exprs:
            e = _d(e)
            vals = e.get("values")
            vtext = ("[]string{" + ", ".join(go_quote(str(v)) for v in vals) + "}"
                     if isinstance(vals, list) else "[]string(nil)")
            parts.append(f"v1.LabelSelectorRequirement{{Key:{go_quote(_s(e.get('key')))}, "
                         f"Operator:{go_quote(_s(e.get('operator')))}, Values:{vtext}}}")
        etext = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    else:
        etext = "[]v1.LabelSelectorRequirement(nil)" if exprs is None else "[]v1.LabelSelectorRequirement{}"
    return GoRepr(f"&v1.LabelSelector{{MatchLabels:{go_string_map(ml).text}, MatchExpressions:{etext}}}")


def validate_label_selector(sel: dict, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, e in enumerate(_l(sel.get("matchExpressions"))):
        e = _d(e)
        idx = path.child("matchExpressions").index(i)
        op, values = e.get("operator"), _l(e.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(idx.child("values"),
                                     "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(idx.child("values"),
                                      "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(idx.child("operator"), op if isinstance(op, str) else "",
                                "not a valid selector operator"))
        errs += n.validate_label_name(_s(e.get("key")), idx.child("key"))
        for j, v in enumerate(values):
            if isinstance(v, str):
                errs += [invalid(idx.child("values").index(j), v, m) for m in n.is_valid_label_value(v)]
    errs += n.validate_labels(sel.get("matchLabels"), path.child("matchLabels"))
    return errs


def selector_matches(sel: Any, labels: dict) -> bool | None:
    """Whether a LabelSelector matches `labels`; None for an empty selector (matches everything),
    False for a nil one (matches nothing)."""
    if not isinstance(sel, dict):
        return False
    ml, exprs = _d(sel.get("matchLabels")), _l(sel.get("matchExpressions"))
    if not ml and not exprs:
        return None
    for k, v in ml.items():
        if labels.get(k) != v:
            return False
    for e in exprs:
        e = _d(e)
        key, op, values = e.get("key"), e.get("operator"), _l(e.get("values"))
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _selector_valid(sel: Any) -> bool:
    if not isinstance(sel, dict):
        return True
    for e in _l(sel.get("matchExpressions")):
        e = _d(e)
        if e.get("operator") not in _OPERATORS:
            return False
        if e.get("operator") in ("In", "NotIn") and not _l(e.get("values")):
            return False
        if e.get("operator") in ("Exists", "DoesNotExist") and _l(e.get("values")):
            return False
    return True


def _template_labels(template: Any) -> dict:
    return _d(_d(_d(template).get("metadata")).get("labels"))


def _template_for_replica_set(template: Any, sel: Any, path: Path, kind: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if template is None:
        return [required(path)]
    match = selector_matches(sel, _template_labels(template))
    if match is False:
        meta = _d(template).get("metadata")
        errs.append(invalid(path.child("metadata", "labels"),
                            go_string_map(meta.get("labels") if isinstance(meta, dict) else None),
                            "`selector` does not match template `labels`"))
    errs += core.validate_pod_template_spec(template, path)
    tspec = _d(_d(template).get("spec"))
    rp = tspec.get("restartPolicy")
    if rp != "Always":
        errs.append(not_supported(path.child("spec", "restartPolicy"), rp or "", ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden(path.child("spec", "activeDeadlineSeconds"),
                              "activeDeadlineSeconds in ReplicaSet is not Supported"))
    return errs


def _selector(spec: dict, path: Path, what: str) -> list[FieldError]:
    sel = spec.get("selector")
    errs: list[FieldError] = []
    if sel is None:
        errs.append(required(path.child("selector")))
    else:
        sel = _d(sel)
        errs += validate_label_selector(sel, path.child("selector"))
        if not _d(sel.get("matchLabels")) and not _l(sel.get("matchExpressions")):
            errs.append(invalid(path.child("selector"), go_label_selector(sel),
                                f"empty selector is invalid for {what}"))
    return errs


def _go_intstr(v: Any) -> GoRepr:
    if isinstance(v, str):
        return GoRepr(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(v)}}}")
    iv = v if isinstance(v, int) and not isinstance(v, bool) else 0
    return GoRepr(f"intstr.IntOrString{{Type:0, IntVal:{iv}, StrVal:\"\"}}")


def _percent(v: Any) -> int | None:
    if isinstance(v, str) and not n.is_valid_percent(v):
        return int(v[:-1])
    return None


def _int_or_percent_value(v: Any) -> int:
    p = _percent(v)
    if p is not None:
        return p
    if isinstance(v, str):
        return int(v) if re.fullmatch(r"[+-]?[0-9]+", v) else 0
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


def _positive_int_or_percent(v: Any, path: Path) -> list[FieldError]:
    if isinstance(v, str):
        return [invalid(path, _go_intstr(v), m) for m in n.is_valid_percent(v)]
    return nonnegative(v, path)


def validate_rolling_update_deployment(ru: dict, path: Path) -> list[FieldError]:
    mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
    errs = _positive_int_or_percent(mu, path.child("maxUnavailable"))
    errs += _positive_int_or_percent(ms, path.child("maxSurge"))
    if _int_or_percent_value(mu) == 0 and _int_or_percent_value(ms) == 0:
        errs.append(invalid(path.child("maxUnavailable"), _go_intstr(mu),
                            "may not be 0 when `maxSurge` is 0"))
    p = _percent(mu)
    if p is not None and p > 100:
        errs.append(invalid(path.child("maxUnavailable"), _go_intstr(mu), "must not be greater than 100%"))
    return errs


def validate_deployment_strategy(strategy: Any, path: Path) -> list[FieldError]:
    strategy = _d(strategy)
    t = strategy.get("type")
    if t == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            return [forbidden(path.child("rollingUpdate"),
                              "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if t == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            return [required(path.child("rollingUpdate"), "this should be defaulted and never be nil")]
        return validate_rolling_update_deployment(_d(ru), path.child("rollingUpdate"))
    value = GoRepr(f"apps.DeploymentStrategy{{Type:{go_quote(_s(t))}, "
                   f"RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}}")
    return [not_supported(path, value, ["Recreate", "RollingUpdate"])]


def validate_deployment(d: dict) -> list[FieldError]:
    errs = core.validate_object_meta(d.get("metadata"), True, n.name_is_dns_subdomain)
    spec = _d(d.get("spec"))
    path = Path("spec")
    errs += nonnegative(spec.get("replicas"), path.child("replicas"))
    errs += _selector(spec, path, "deployment")
    if not _selector_valid(spec.get("selector")):
        errs.append(invalid(path.child("selector"), go_label_selector(spec.get("selector")),
                            "invalid label selector"))
    else:
        errs += _template_for_replica_set(spec.get("template"), spec.get("selector"),
                                          path.child("template"), "ReplicaSet")
    errs += validate_deployment_strategy(spec.get("strategy"), path.child("strategy"))
    errs += nonnegative(spec.get("minReadySeconds"), path.child("minReadySeconds"))
    errs += nonnegative(spec.get("revisionHistoryLimit"), path.child("revisionHistoryLimit"))
    pds = spec.get("progressDeadlineSeconds")
    if isinstance(pds, int):
        errs += nonnegative(pds, path.child("progressDeadlineSeconds"))
        mrs = spec.get("minReadySeconds") if isinstance(spec.get("minReadySeconds"), int) else 0
        if pds <= mrs:
            errs.append(invalid(path.child("progressDeadlineSeconds"), pds,
                                "must be greater than minReadySeconds"))
    return errs


def validate_replica_set(rs: dict) -> list[FieldError]:
    errs = core.validate_object_meta(rs.get("metadata"), True, n.name_is_dns_subdomain)
    spec = _d(rs.get("spec"))
    path = Path("spec")
    errs += nonnegative(spec.get("replicas"), path.child("replicas"))
    errs += nonnegative(spec.get("minReadySeconds"), path.child("minReadySeconds"))
    errs += _selector(spec, path, "deployment")
    if not _selector_valid(spec.get("selector")):
        errs.append(invalid(path.child("selector"), go_label_selector(spec.get("selector")),
                            "invalid label selector"))
    else:
        errs += _template_for_replica_set(spec.get("template"), spec.get("selector"),
                                          path.child("template"), "ReplicaSet")
    return errs


def validate_daemon_set(ds: dict) -> list[FieldError]:
    errs = core.validate_object_meta(ds.get("metadata"), True, n.name_is_dns_subdomain)
    spec = _d(ds.get("spec"))
    path = Path("spec")
    sel = spec.get("selector")
    if isinstance(sel, dict):
        errs += validate_label_selector(sel, path.child("selector"))
    template = _d(spec.get("template"))
    if _selector_valid(sel) and selector_matches(sel, _template_labels(template)) is False:
        meta = template.get("metadata")
        errs.append(invalid(path.child("template", "metadata", "labels"),
                            go_string_map(meta.get("labels") if isinstance(meta, dict) else None),
                            "`selector` does not match template `labels`"))
    if isinstance(sel, dict) and not _d(sel.get("matchLabels")) and not _l(sel.get("matchExpressions")):
        errs.append(invalid(path.child("selector"), go_label_selector(sel),
                            "empty selector is invalid for daemonset"))
    tpath = path.child("template")
    errs += core.validate_pod_template_spec(template, tpath)
    tspec = _d(template.get("spec"))
    rp = tspec.get("restartPolicy")
    if rp != "Always":
        errs.append(not_supported(tpath.child("spec", "restartPolicy"), rp or "", ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(invalid(tpath.child("spec", "activeDeadlineSeconds"), tspec["activeDeadlineSeconds"],
                            "activeDeadlineSeconds must be nil for daemon set pods"))
    errs += nonnegative(spec.get("minReadySeconds"), path.child("minReadySeconds"))
    strategy = _d(spec.get("updateStrategy"))
    spath = path.child("updateStrategy")
    t = strategy.get("type")
    if t == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            errs.append(required(spath.child("rollingUpdate")))
        else:
            ru = _d(ru)
            rpath = spath.child("rollingUpdate")
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs += _positive_int_or_percent(mu, rpath.child("maxUnavailable"))
            errs += _positive_int_or_percent(ms, rpath.child("maxSurge"))
            if _int_or_percent_value(mu) == 0 and _int_or_percent_value(ms) == 0:
                errs.append(invalid(rpath.child("maxUnavailable"), _go_intstr(mu),
                                    "may not be 0 when `maxSurge` is 0"))
    elif t != "OnDelete":
        errs.append(not_supported(spath.child("type"), t or "", ["OnDelete", "RollingUpdate"]))
    errs += nonnegative(spec.get("revisionHistoryLimit"), path.child("revisionHistoryLimit"))
    return errs


def immutable_selector(new: dict, old: dict) -> list[FieldError]:
    ns, os_ = _d(new.get("spec")).get("selector"), _d(old.get("spec")).get("selector")
    if ns != os_:
        return [invalid(Path("spec", "selector"), go_label_selector(ns), core.FIELD_IMMUTABLE)]
    return []
