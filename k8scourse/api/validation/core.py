"""Validation of core/v1 objects, in the order pkg/apis/core/validation/validation.go checks them.

Every function takes plain dicts (already defaulted, as the API server validates after defaulting)
and returns a list of FieldError. Go iterates maps in random order; here map keys go sorted.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from k8scourse.api import quantity
from k8scourse.api.field import (FieldError, GoRepr, Path, duplicate, forbidden, go_quote,
                                 invalid, not_supported, required)
from k8scourse.api.validation import names as n

NameFn = Callable[[str, bool], list]

FIELD_IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"


def _s(v: Any) -> str:
    return v if isinstance(v, str) else ""


def _i(v: Any) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


def _d(v: Any) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v: Any) -> list:
    return v if isinstance(v, list) else []


def not_found(path: Path, value: Any) -> FieldError:
    """field.NotFound, which prints its value (`Not found: "data"`)."""
    from k8scourse.api.field import go_value

    return FieldError("Not found", str(path), detail=go_value(value))


def go_string_map(m: Any) -> GoRepr:
    """%#v of a map[string]string field: `map[string]string(nil)` when absent."""
    if not isinstance(m, dict):
        return GoRepr("map[string]string(nil)")
    inner = ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(m.items()))
    return GoRepr(f"map[string]string{{{inner}}}")


def nonnegative(value: Any, path: Path) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid(path, value, IS_NEGATIVE)]
    return []


# --- ObjectMeta ----------------------------------------------------------------------------------


def validate_object_meta(meta: Any, requires_namespace: bool, name_fn: NameFn,
                         path: Path = Path("metadata")) -> list[FieldError]:
    meta = _d(meta)
    errs: list[FieldError] = []
    generate = _s(meta.get("generateName"))
    if generate:
        for msg in name_fn(generate, True):
            errs.append(invalid(path.child("generateName"), generate, msg))
    name = _s(meta.get("name"))
    if not name:
        errs.append(required(path.child("name"), "name or generateName is required"))
    else:
        for msg in name_fn(name, False):
            errs.append(invalid(path.child("name"), name, msg))
    namespace = _s(meta.get("namespace"))
    if requires_namespace:
        if not namespace:
            errs.append(required(path.child("namespace")))
        else:
            for msg in n.name_is_dns_label(namespace, False):
                errs.append(invalid(path.child("namespace"), namespace, msg))
    elif namespace:
        errs.append(forbidden(path.child("namespace"), "not allowed on this type"))
    errs += nonnegative(meta.get("generation"), path.child("generation"))
    errs += n.validate_labels(meta.get("labels"), path.child("labels"))
    errs += n.validate_annotations(meta.get("annotations"), path.child("annotations"))
    return errs


def validate_object_meta_update(new: Any, old: Any, path: Path = Path("metadata")) -> list[FieldError]:
    new, old = _d(new), _d(old)
    errs: list[FieldError] = []
    for f in ("name", "namespace", "uid"):
        if new.get(f, "") != old.get(f, ""):
            errs.append(invalid(path.child(f), new.get(f, ""), FIELD_IMMUTABLE))
    errs += n.validate_labels(new.get("labels"), path.child("labels"))
    errs += n.validate_annotations(new.get("annotations"), path.child("annotations"))
    return errs


# --- Pod -----------------------------------------------------------------------------------------

_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
    "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
    "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
    "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos",
    "csi", "ephemeral", "image",
)


def _volumes(volumes: Any, path: Path) -> tuple[set[str], list[FieldError]]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, vol in enumerate(_l(volumes)):
        vol = _d(vol)
        idx = path.index(i)
        sources = [s for s in _VOLUME_SOURCES if vol.get(s) is not None]
        if not sources:
            errs.append(required(idx, "must specify a volume type"))
        for s in sources[1:]:
            errs.append(forbidden(idx.child(s), "may not specify more than 1 volume type"))
        name = _s(vol.get("name"))
        if not name:
            errs.append(required(idx.child("name")))
        else:
            for msg in n.is_dns1123_label(name):
                errs.append(invalid(idx.child("name"), name, msg))
        if name in seen:
            errs.append(duplicate(idx.child("name"), name))
        seen.add(name)
    return seen, errs


def _port_num_or_name(port: Any, path: Path) -> list[FieldError]:
    if isinstance(port, str):
        return [invalid(path, port, msg) for msg in n.is_valid_port_name(port)]
    p = _i(port)
    return [invalid(path, p, msg) for msg in n.is_valid_port_num(p)]


def _handler(h: dict, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    kinds = [k for k in ("exec", "httpGet", "tcpSocket", "grpc") if h.get(k) is not None]
    if not kinds:
        return [required(path, "must specify a handler type")]
    for k in kinds[1:]:
        errs.append(forbidden(path.child(k), "may not specify more than 1 handler type"))
    k = kinds[0]
    sub = _d(h.get(k))
    if k == "exec":
        if not _l(sub.get("command")):
            errs.append(required(path.child("exec", "command")))
    elif k == "httpGet":
        if not _s(sub.get("path")):
            errs.append(required(path.child("httpGet", "path")))
        errs += _port_num_or_name(sub.get("port"), path.child("httpGet", "port"))
        scheme = sub.get("scheme")
        if scheme not in ("HTTP", "HTTPS"):
            errs.append(not_supported(path.child("httpGet", "scheme"), scheme, ["HTTP", "HTTPS"]))
    elif k == "tcpSocket":
        errs += _port_num_or_name(sub.get("port"), path.child("tcpSocket", "port"))
    elif k == "grpc":
        p = _i(sub.get("port"))
        errs += [invalid(path.child("grpc", "port"), p, m) for m in n.is_valid_port_num(p)]
    return errs


def _probe(probe: Any, path: Path, success_must_be_one: bool) -> list[FieldError]:
    if probe is None:
        return []
    probe = _d(probe)
    errs = _handler(probe, path)
    for f in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
              "failureThreshold"):
        errs += nonnegative(probe.get(f), path.child(f))
    tgps = probe.get("terminationGracePeriodSeconds")
    if isinstance(tgps, int) and tgps <= 0:
        errs.append(invalid(path.child("terminationGracePeriodSeconds"), tgps,
                            "must be greater than 0"))
    if success_must_be_one and probe.get("successThreshold", 1) != 1:
        errs.append(invalid(path.child("successThreshold"), probe.get("successThreshold"), "must be 1"))
    return errs


def _container_ports(ports: Any, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(_l(ports)):
        port = _d(port)
        idx = path.index(i)
        name = _s(port.get("name"))
        if name:
            msgs = n.is_valid_port_name(name)
            if msgs:
                errs += [invalid(idx.child("name"), name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(idx.child("name"), name))
            else:
                names.add(name)
        cp = _i(port.get("containerPort"))
        if cp == 0:
            errs.append(required(idx.child("containerPort")))
        else:
            errs += [invalid(idx.child("containerPort"), cp, m) for m in n.is_valid_port_num(cp)]
        hp = _i(port.get("hostPort"))
        if hp:
            errs += [invalid(idx.child("hostPort"), hp, m) for m in n.is_valid_port_num(hp)]
        proto = _s(port.get("protocol"))
        if not proto:
            errs.append(required(idx.child("protocol")))
        elif proto not in ("TCP", "UDP", "SCTP"):
            errs.append(not_supported(idx.child("protocol"), proto, ["SCTP", "TCP", "UDP"]))
    return errs


def _env(env: Any, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, ev in enumerate(_l(env)):
        ev = _d(ev)
        idx = path.index(i)
        name = _s(ev.get("name"))
        if not name:
            errs.append(required(idx.child("name")))
        errs += [invalid(idx.child("name"), name, m) for m in n.is_relaxed_env_var_name(name)]
        vf = ev.get("valueFrom")
        if vf is not None:
            vf = _d(vf)
            refs = [k for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
                    if vf.get(k) is not None]
            if ev.get("value"):
                if refs:
                    errs.append(invalid(idx.child("valueFrom"), "",
                                        "may not be specified when `value` is not empty"))
            elif not refs:
                errs.append(invalid(idx.child("valueFrom"), "",
                                    "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                    "`configMapKeyRef` or `secretKeyRef`"))
            elif len(refs) > 1:
                errs.append(invalid(idx.child("valueFrom"), "",
                                    "may not have more than one field specified at a time"))
    return errs


def _volume_mounts(mounts: Any, volumes: set[str], path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    points: set[str] = set()
    for i, m in enumerate(_l(mounts)):
        m = _d(m)
        idx = path.index(i)
        name = _s(m.get("name"))
        if not name:
            errs.append(required(idx.child("name")))
        if name not in volumes:
            errs.append(not_found(idx.child("name"), name))
        mp = _s(m.get("mountPath"))
        if not mp:
            errs.append(required(idx.child("mountPath")))
        if mp in points:
            errs.append(invalid(idx.child("mountPath"), mp, "must be unique"))
        points.add(mp)
    return errs


def _quantity_text(v: Any) -> quantity.Quantity | None:
    try:
        return quantity.parse(quantity.to_text(v).strip())
    except quantity.QuantityError:
        return None


def _resource_name(name: str, path: Path) -> list[FieldError]:
    errs = [invalid(path, name, m) for m in n.is_qualified_name(name)]
    if "/" not in name:
        if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
            errs.append(invalid(path, name, "must be a standard resource for containers"))
    return errs


def _resources(res: Any, path: Path) -> list[FieldError]:
    res = _d(res)
    errs: list[FieldError] = []
    lim_path, req_path = path.child("limits"), path.child("requests")
    limits, requests = _d(res.get("limits")), _d(res.get("requests"))
    for rname in sorted(limits):
        kp = lim_path.key(rname)
        errs += _resource_name(rname, kp)
        q = _quantity_text(limits[rname])
        if q is not None and q.value < 0:
            errs.append(invalid(kp, q.text, IS_NEGATIVE))
    for rname in sorted(requests):
        kp = req_path.key(rname)
        errs += _resource_name(rname, kp)
        q = _quantity_text(requests[rname])
        if q is None:
            continue
        if q.value < 0:
            errs.append(invalid(kp, q.text, IS_NEGATIVE))
        if rname in limits:
            lq = _quantity_text(limits[rname])
            if lq is not None and q.value > lq.value:
                errs.append(invalid(req_path, q.text,
                                    f"must be less than or equal to {rname} limit of {lq.text}"))
    return errs


def _container_common(c: dict, volumes: set[str], path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    name = _s(c.get("name"))
    if not name:
        errs.append(required(path.child("name")))
    else:
        errs += [invalid(path.child("name"), name, m) for m in n.is_dns1123_label(name)]
    if not _s(c.get("image")):
        errs.append(required(path.child("image")))
    tmp = c.get("terminationMessagePolicy")
    if tmp in ("File", "FallbackToLogsOnError"):
        pass
    elif not tmp:
        errs.append(required(path.child("terminationMessagePolicy")))
    else:
        errs.append(not_supported(path.child("terminationMessagePolicy"), tmp,
                                  ["File", "FallbackToLogsOnError"]))
    errs += _container_ports(c.get("ports"), path.child("ports"))
    errs += _env(c.get("env"), path.child("env"))
    errs += _volume_mounts(c.get("volumeMounts"), volumes, path.child("volumeMounts"))
    policy = c.get("imagePullPolicy")
    if policy in ("Always", "IfNotPresent", "Never"):
        pass
    elif not policy:
        errs.append(required(path.child("imagePullPolicy")))
    else:
        errs.append(not_supported(path.child("imagePullPolicy"), policy,
                                  ["Always", "IfNotPresent", "Never"]))
    errs += _resources(c.get("resources"), path.child("resources"))
    return errs


def _containers(containers: Any, volumes: set[str], path: Path) -> list[FieldError]:
    containers = _l(containers)
    if not containers:
        return [required(path)]
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, c in enumerate(containers):
        c = _d(c)
        idx = path.index(i)
        errs += _container_common(c, volumes, idx)
        name = _s(c.get("name"))
        if name in seen:
            errs.append(duplicate(idx.child("name"), name))
        else:
            seen.add(name)
        errs += _probe(c.get("livenessProbe"), idx.child("livenessProbe"), True)
        errs += _probe(c.get("readinessProbe"), idx.child("readinessProbe"), False)
        errs += _probe(c.get("startupProbe"), idx.child("startupProbe"), True)
        if c.get("restartPolicy") is not None:
            errs.append(forbidden(idx.child("restartPolicy"), "may not be set for non-init containers"))
    return errs


def _init_containers(containers: Any, regular: Any, volumes: set[str], path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    names = {_s(_d(c).get("name")) for c in _l(regular)}
    for i, c in enumerate(_l(containers)):
        c = _d(c)
        idx = path.index(i)
        errs += _container_common(c, volumes, idx)
        name = _s(c.get("name"))
        if name in names:
            errs.append(duplicate(idx.child("name"), name))
        else:
            names.add(name)
    return errs


def validate_tolerations(tolerations: Any, path: Path) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, t in enumerate(_l(tolerations)):
        t = _d(t)
        idx = path.index(i)
        key, op, effect = _s(t.get("key")), t.get("operator") or "", t.get("effect") or ""
        if key:
            errs += n.validate_label_name(key, idx.child("key"))
        if not key and op != "Exists":
            errs.append(invalid(idx.child("operator"), op,
                                "operator must be Exists when `key` is empty, which means "
                                "\"match all values and all keys\""))
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid(idx.child("effect"), effect,
                                "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        value = _s(t.get("value"))
        if op in ("Equal", ""):
            msgs = n.is_valid_label_value(value)
            if msgs:
                errs.append(invalid(idx.child("operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(invalid(idx.child("operator"), GoRepr(_go_toleration(t)),
                                    "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(idx.child("operator"), op, ["Equal", "Exists"]))
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            errs.append(not_supported(idx.child("effect"), effect,
                                      ["NoSchedule", "PreferNoSchedule", "NoExecute"]))
    return errs


def _go_toleration(t: dict) -> str:
    secs = t.get("tolerationSeconds")
    secs_text = "(*int64)(nil)" if secs is None else f"(*int64)(0x{id(t) & 0xffffff:x})"
    return (f"core.Toleration{{Key:{go_quote(_s(t.get('key')))}, "
            f"Operator:{go_quote(_s(t.get('operator')))}, Value:{go_quote(_s(t.get('value')))}, "
            f"Effect:{go_quote(_s(t.get('effect')))}, TolerationSeconds:{secs_text}}}")


def validate_pod_spec(spec: Any, path: Path) -> list[FieldError]:
    spec = _d(spec)
    errs: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(path.child("terminationGracePeriodSeconds")))
    volumes, verrs = _volumes(spec.get("volumes"), path.child("volumes"))
    errs += verrs
    errs += _containers(spec.get("containers"), volumes, path.child("containers"))
    errs += _init_containers(spec.get("initContainers"), spec.get("containers"), volumes,
                             path.child("initContainers"))
    rp = spec.get("restartPolicy")
    if rp in ("Always", "OnFailure", "Never"):
        pass
    elif not rp:
        errs.append(required(path.child("restartPolicy")))
    else:
        errs.append(not_supported(path.child("restartPolicy"), rp, ["Always", "OnFailure", "Never"]))
    dp = spec.get("dnsPolicy")
    if dp in ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"):
        pass
    elif not dp:
        errs.append(required(path.child("dnsPolicy")))
    else:
        errs.append(not_supported(path.child("dnsPolicy"), dp,
                                  ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]))
    errs += n.validate_labels(spec.get("nodeSelector"), path.child("nodeSelector"))
    sa = _s(spec.get("serviceAccountName"))
    if sa:
        errs += [invalid(path.child("serviceAccountName"), sa, m)
                 for m in n.name_is_dns_subdomain(sa, False)]
    node = _s(spec.get("nodeName"))
    if node:
        errs += [invalid(path.child("nodeName"), node, m) for m in n.name_is_dns_subdomain(node, False)]
    ads = spec.get("activeDeadlineSeconds")
    if isinstance(ads, int) and not 1 <= ads <= 2**31 - 1:
        errs.append(invalid(path.child("activeDeadlineSeconds"), ads,
                            n.inclusive_range_error(1, 2**31 - 1)))
    hostname = _s(spec.get("hostname"))
    if hostname:
        errs += [invalid(path.child("hostname"), hostname, m) for m in n.is_dns1123_label(hostname)]
    if _l(spec.get("tolerations")):
        errs += validate_tolerations(spec.get("tolerations"), path.child("tolerations"))
    pp = spec.get("preemptionPolicy")
    if pp is not None and pp not in ("PreemptLowerPriority", "Never"):
        errs.append(not_supported(path.child("preemptionPolicy"), pp, ["PreemptLowerPriority", "Never"]))
    return errs


def validate_pod_template_spec(template: Any, path: Path) -> list[FieldError]:
    template = _d(template)
    meta = _d(template.get("metadata"))
    errs = n.validate_labels(meta.get("labels"), path.child("labels"))
    errs += n.validate_annotations(meta.get("annotations"), path.child("annotations"))
    errs += validate_pod_spec(template.get("spec"), path.child("spec"))
    if _l(_d(template.get("spec")).get("ephemeralContainers")):
        errs.append(forbidden(path.child("spec", "ephemeralContainers"),
                              "ephemeral containers not allowed in pod template"))
    return errs


def validate_pod(pod: dict) -> list[FieldError]:
    errs = validate_object_meta(pod.get("metadata"), True, n.name_is_dns_subdomain)
    errs += validate_pod_spec(pod.get("spec"), Path("spec"))
    return errs


POD_UPDATE_FORBIDDEN = (
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
    "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
    "(allow it to be set to 1 if it was previously negative)")


def _go_field(name: str) -> str:
    return name[:1].upper() + name[1:]


def _spec_diff(old: dict, new: dict) -> str:
    """A cmp.Diff-like rendering of what changed between two pod specs (only its shape is Go's)."""
    lines = ["  core.PodSpec{"]
    for key in sorted(set(old) | set(new), key=lambda k: (k not in ("volumes", "initContainers", "containers"), k)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is not None:
            lines.append(f"- \t{_go_field(key)}: {json.dumps(a, sort_keys=True)},")
        if b is not None:
            lines.append(f"+ \t{_go_field(key)}: {json.dumps(b, sort_keys=True)},")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def validate_pod_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    new_spec, old_spec = _d(new.get("spec")), _d(old.get("spec"))
    munged = json.loads(json.dumps(new_spec))
    for key in ("containers", "initContainers"):
        olds, news = _l(old_spec.get(key)), _l(munged.get(key))
        if len(olds) == len(news):
            for oc, nc in zip(olds, news):
                if isinstance(oc, dict) and isinstance(nc, dict):
                    if "image" in oc:
                        nc["image"] = oc["image"]
                    else:
                        nc.pop("image", None)
    if "activeDeadlineSeconds" in munged or "activeDeadlineSeconds" in old_spec:
        ads_new, ads_old = munged.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
        if ads_old is None or (isinstance(ads_new, int) and ads_new <= ads_old):
            if ads_old is None:
                munged.pop("activeDeadlineSeconds", None)
            else:
                munged["activeDeadlineSeconds"] = ads_old
    old_tol, new_tol = _l(old_spec.get("tolerations")), _l(munged.get("tolerations"))
    if all(t in new_tol for t in old_tol):
        if old_tol or "tolerations" in old_spec:
            munged["tolerations"] = old_spec.get("tolerations")
        else:
            munged.pop("tolerations", None)
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if munged != old_spec:
        errs.append(forbidden(Path("spec"),
                              f"{POD_UPDATE_FORBIDDEN}\n{_spec_diff(old_spec, munged)}"))
    return errs


# --- ReplicationController -------------------------------------------------------------------------


def validate_replication_controller(rc: dict) -> list[FieldError]:
    errs = validate_object_meta(rc.get("metadata"), True, n.name_is_dns_subdomain)
    spec = _d(rc.get("spec"))
    path = Path("spec")
    errs += nonnegative(spec.get("minReadySeconds"), path.child("minReadySeconds"))
    selector = _d(spec.get("selector"))
    if not selector:
        errs.append(required(path.child("selector")))
    errs += nonnegative(spec.get("replicas"), path.child("replicas"))
    template = spec.get("template")
    tpath = path.child("template")
    if template is None:
        errs.append(required(tpath))
    else:
        labels = _d(_d(_d(template).get("metadata")).get("labels"))
        if selector and not all(labels.get(k) == v for k, v in selector.items()):
            errs.append(invalid(tpath.child("metadata", "labels"),
                                go_string_map(_d(template).get("metadata", {}).get("labels")
                                              if isinstance(_d(template).get("metadata"), dict) else None),
                                "`selector` does not match template `labels`"))
        errs += validate_pod_template_spec(template, tpath)
        tspec = _d(_d(template).get("spec"))
        rp = tspec.get("restartPolicy")
        if rp != "Always":
            errs.append(not_supported(tpath.child("spec", "restartPolicy"), rp or "", ["Always"]))
        if tspec.get("activeDeadlineSeconds") is not None:
            errs.append(forbidden(tpath.child("spec", "activeDeadlineSeconds"),
                                  "activeDeadlineSeconds in ReplicationController is not Supported"))
    return errs


# --- Service -----------------------------------------------------------------------------------------


def validate_service(svc: dict) -> list[FieldError]:
    errs = validate_object_meta(svc.get("metadata"), True, n.name_is_dns1035_label)
    spec = _d(svc.get("spec"))
    path = Path("spec")
    stype = spec.get("type")
    ports = _l(spec.get("ports"))
    headless = spec.get("clusterIP") == "None"
    if not ports and not headless and stype != "ExternalName":
        errs.append(required(path.child("ports")))
    if stype == "ExternalName":
        if _s(spec.get("clusterIP")) and not headless:
            errs.append(forbidden(path.child("clusterIP"), "may not be set for `type` 'ExternalName'"))
        cname = _s(spec.get("externalName"))
        if cname.endswith("."):
            cname = cname[:-1]
        if cname:
            errs += [invalid(path.child("externalName"), cname, m) for m in n.is_dns1123_subdomain(cname)]
        else:
            errs.append(required(path.child("externalName")))
    names: set[str] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        idx = path.child("ports").index(i)
        name = _s(port.get("name"))
        if len(ports) > 1 and not name:
            errs.append(required(idx.child("name")))
        elif name:
            errs += [invalid(idx.child("name"), name, m) for m in n.is_dns1123_label(name)]
            if name in names:
                errs.append(duplicate(idx.child("name"), name))
            else:
                names.add(name)
        p = _i(port.get("port"))
        errs += [invalid(idx.child("port"), p, m) for m in n.is_valid_port_num(p)]
        proto = _s(port.get("protocol"))
        if not proto:
            errs.append(required(idx.child("protocol")))
        elif proto not in ("TCP", "UDP", "SCTP"):
            errs.append(not_supported(idx.child("protocol"), proto, ["SCTP", "TCP", "UDP"]))
        errs += _port_num_or_name(port.get("targetPort"), idx.child("targetPort"))
    if spec.get("selector") is not None:
        errs += n.validate_labels(spec.get("selector"), path.child("selector"))
    affinity = spec.get("sessionAffinity")
    if not affinity:
        errs.append(required(path.child("sessionAffinity")))
    elif affinity not in ("ClientIP", "None"):
        errs.append(not_supported(path.child("sessionAffinity"), affinity, ["ClientIP", "None"]))
    if affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden(path.child("sessionAffinityConfig"),
                              "must not be set when session affinity is None"))
    cluster_ips = _l(spec.get("clusterIPs")) or ([spec["clusterIP"]] if _s(spec.get("clusterIP")) else [])
    for i, ip in enumerate(cluster_ips):
        if ip == "None" or not isinstance(ip, str) or not ip:
            continue
        errs += [invalid(path.child("clusterIPs").index(i), ip, m) for m in n.is_valid_ip(ip)]
    if not stype:
        errs.append(required(path.child("type")))
    elif stype not in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"):
        errs.append(not_supported(path.child("type"), stype,
                                  ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]))
    if stype == "ClusterIP":
        for i, port in enumerate(ports):
            if _i(_d(port).get("nodePort")):
                errs.append(forbidden(path.child("ports").index(i).child("nodePort"),
                                      "may not be used when `type` is 'ClusterIP'"))
    seen_np: set[tuple] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        np = _i(port.get("nodePort"))
        if not np:
            continue
        key = (port.get("protocol"), np)
        if key in seen_np:
            errs.append(duplicate(path.child("ports").index(i).child("nodePort"), np))
        seen_np.add(key)
    seen_p: set[tuple] = set()
    for i, port in enumerate(ports):
        port = _d(port)
        key = (_s(port.get("protocol")), _i(port.get("port")))
        if key in seen_p:
            errs.append(duplicate(path.child("ports").index(i),
                                  GoRepr(f"core.ServicePort{{Name:\"\", Protocol:{go_quote(key[0])}, "
                                         f"AppProtocol:(*string)(nil), Port:{key[1]}, "
                                         f"TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, "
                                         f"NodePort:0}}")))
        seen_p.add(key)
    etp = spec.get("externalTrafficPolicy")
    if etp and etp not in ("Cluster", "Local"):
        errs.append(not_supported(path.child("externalTrafficPolicy"), etp, ["Cluster", "Local"]))
    itp = spec.get("internalTrafficPolicy")
    if itp and itp not in ("Cluster", "Local"):
        errs.append(not_supported(path.child("internalTrafficPolicy"), itp, ["Cluster", "Local"]))
    return errs


def validate_service_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    ns, os_ = _d(new.get("spec")), _d(old.get("spec"))
    if ns.get("type") != "ExternalName" and os_.get("type") != "ExternalName":
        old_ips = _l(os_.get("clusterIPs")) or ([os_["clusterIP"]] if _s(os_.get("clusterIP")) else [])
        new_ips = _l(ns.get("clusterIPs")) or ([ns["clusterIP"]] if _s(ns.get("clusterIP")) else [])
        if old_ips and new_ips and old_ips[0] != new_ips[0]:
            errs.append(invalid(Path("spec", "clusterIPs").index(0),
                                GoRepr("[]string{" + ", ".join(go_quote(str(x)) for x in new_ips) + "}"),
                                "may not change once set"))
    errs += validate_service(new)[len(validate_object_meta(new.get("metadata"), True,
                                                           n.name_is_dns1035_label)):]
    return errs


# --- Namespace, ConfigMap, Node, Endpoints, Event -------------------------------------------------


def validate_namespace(ns: dict) -> list[FieldError]:
    errs = validate_object_meta(ns.get("metadata"), False, n.name_is_dns_label)
    for i, f in enumerate(_l(_d(ns.get("spec")).get("finalizers"))):
        if isinstance(f, str):
            errs += [invalid(Path("spec", "finalizers").index(i), f, m) for m in n.is_qualified_name(f)]
    return errs


def validate_config_map(cm: dict) -> list[FieldError]:
    errs = validate_object_meta(cm.get("metadata"), True, n.name_is_dns_subdomain)
    data, binary = _d(cm.get("data")), _d(cm.get("binaryData"))
    total = 0
    for key in sorted(data):
        errs += [invalid(Path("data").key(key), key, m) for m in n.is_config_map_key(key)]
        total += len(data[key]) if isinstance(data[key], str) else 0
    for key in sorted(binary):
        errs += [invalid(Path("binaryData").key(key), key, m) for m in n.is_config_map_key(key)]
        if key in data:
            errs.append(invalid(Path("binaryData").key(key), key, "duplicate of key present in data"))
        total += len(binary[key]) if isinstance(binary[key], str) else 0
    if total > 1024 * 1024:
        errs.append(FieldError("Too long", "", detail=f"must have at most {1024 * 1024} bytes"))
    return errs


def validate_node(node: dict) -> list[FieldError]:
    errs = validate_object_meta(node.get("metadata"), False, n.name_is_dns_subdomain)
    seen: set[tuple] = set()
    for i, taint in enumerate(_l(_d(node.get("spec")).get("taints"))):
        taint = _d(taint)
        idx = Path("spec", "taints").index(i)
        key = _s(taint.get("key"))
        errs += n.validate_label_name(key, idx.child("key"))
        value = _s(taint.get("value"))
        errs += [invalid(idx.child("value"), value, m) for m in n.is_valid_label_value(value)]
        effect = _s(taint.get("effect"))
        if not effect:
            errs.append(required(idx.child("effect")))
        elif effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            errs.append(not_supported(idx.child("effect"), effect,
                                      ["NoSchedule", "PreferNoSchedule", "NoExecute"]))
        if (key, effect) in seen:
            errs.append(duplicate(idx, GoRepr(f"core.Taint{{Key:{go_quote(key)}, Value:{go_quote(value)}, "
                                              f"Effect:{go_quote(effect)}, TimeAdded:<nil>}}")))
        seen.add((key, effect))
    return errs


def validate_simple(obj: dict) -> list[FieldError]:
    """Endpoints and Event: the object metadata."""
    return validate_object_meta(obj.get("metadata"), True, n.name_is_dns_subdomain)
