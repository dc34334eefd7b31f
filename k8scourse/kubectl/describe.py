"""`kubectl describe`: the text kubectl v1.32's describers write (staging/src/k8s.io/kubectl/pkg/describe).

Each describer writes tab-separated lines, indented two spaces per level, through a Go
tabwriter (minimum width 0, padding 2), so every run of lines that share a column aligns on
its own: `Name:             nginx` in a pod, `Name:               node01` in a node.

    describe(pod, ctx)

`ctx` gives what kubectl would fetch besides the object itself:

* `ctx.now`: the simulated time (a timezone-aware datetime), for ages;
* `ctx.events_for(obj)`: the v1 Events whose involvedObject is `obj`;
* `ctx.list(kind, namespace)`: objects of a kind (namespace None: all namespaces), for a
  Deployment's ReplicaSets, a Service's EndpointSlices or Endpoints, a node's pods.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from k8scourse.api import labels as _labels
from k8scourse.kubectl.age import human_duration_us, parse_time, rfc1123z, since_us
from k8scourse.kubectl.printers import (format_label_selector, format_labels, join_host_port,
                                        node_roles, selector_string)
from k8scourse.kubectl.tabwriter import tabwrite

__all__ = ["describe", "describe_events", "Quantity"]

_ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"   # Go's zero time.Time in RFC1123Z
_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_MAX_ANNOTATION_LEN = 140


# --- resource.Quantity, as far as describe needs it ------------------------------------------------

_BINARY = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}
_DECIMAL = {"n": Fraction(1, 10 ** 9), "u": Fraction(1, 10 ** 6), "m": Fraction(1, 1000),
            "": Fraction(1), "k": Fraction(10 ** 3), "M": Fraction(10 ** 6),
            "G": Fraction(10 ** 9), "T": Fraction(10 ** 12), "P": Fraction(10 ** 15),
            "E": Fraction(10 ** 18)}
_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
                       r"(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?|[eE][+-]?[0-9]+)$")
_DECIMAL_SUFFIX = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P",
                   18: "E"}


class Quantity:
    """A resource quantity (`100m`, `50Mi`, `16`) that adds up and prints as Go's Quantity."""

    __slots__ = ("value", "format")

    def __init__(self, value: Fraction | int = 0, format: str = "DecimalSI"):
        self.value = Fraction(value)
        self.format = format

    @classmethod
    def parse(cls, text: Any) -> "Quantity":
        """resource.ParseQuantity: `100m`, `0.5`, `50Mi`, `1e3`, `2G`."""
        m = _QUANTITY.match(str(text).strip())
        if m is None:
            return cls()
        number, suffix = Fraction(m.group(1)), m.group(2)
        if suffix in _BINARY:
            return cls(number * _BINARY[suffix], "BinarySI")
        if suffix in _DECIMAL:
            return cls(number * _DECIMAL[suffix], "DecimalSI")
        return cls(number * Fraction(10) ** int(suffix[1:]), "DecimalExponent")

    def __add__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.value + other.value, self.format)

    def milli_value(self) -> int:
        """MilliValue: thousandths, rounded up."""
        return math.ceil(self.value * 1000)

    def int_value(self) -> int:
        """Value: rounded up to a whole number."""
        return math.ceil(self.value)

    def __str__(self) -> str:
        v = self.value
        if v == 0:
            return "0"
        fmt = self.format
        if fmt == "BinarySI" and (abs(v) < 1024 or v.denominator != 1):
            fmt = "DecimalSI"
        if fmt == "BinarySI":
            n = v.numerator
            suffix = ""
            for name, mult in _BINARY.items():
                if n % mult == 0:
                    suffix = name
            return f"{n // _BINARY[suffix]}{suffix}" if suffix else str(n)
        # DecimalSI: the largest exponent (a multiple of 3) that keeps the mantissa whole
        for exp in range(18, -10, -3):
            mant = v / (Fraction(10) ** exp)
            if mant.denominator == 1:
                if fmt == "DecimalExponent":
                    return f"{mant.numerator}e{exp}" if exp else str(mant.numerator)
                return f"{mant.numerator}{_DECIMAL_SUFFIX[exp]}"
        # finer than a nano: round up to nanos as Go does
        return f"{math.ceil(v * 10 ** 9)}n"


def _quantities(resources: dict | None) -> dict[str, Quantity]:
    return {k: Quantity.parse(v) for k, v in (resources or {}).items()}


def _pod_requests_and_limits(pod: dict) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """kubectl's resource.PodRequestsAndLimits: containers summed, init containers as a floor,
    sidecars (restartable init containers) added, plus the pod overhead."""
    spec = pod.get("spec") or {}
    reqs: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}

    def add(into: dict, res: dict) -> None:
        for name, q in res.items():
            into[name] = into[name] + q if name in into else Quantity(q.value, q.format)

    for c in spec.get("containers") or []:
        r = c.get("resources") or {}
        add(reqs, _quantities(r.get("requests")))
        add(limits, _quantities(r.get("limits")))
    sidecar_reqs: dict[str, Quantity] = {}
    sidecar_limits: dict[str, Quantity] = {}
    for c in spec.get("initContainers") or []:
        r = c.get("resources") or {}
        c_reqs, c_limits = _quantities(r.get("requests")), _quantities(r.get("limits"))
        if c.get("restartPolicy") == "Always":
            add(reqs, c_reqs)
            add(limits, c_limits)
            add(sidecar_reqs, c_reqs)
            add(sidecar_limits, c_limits)
            continue
        for into, own, side in ((reqs, c_reqs, sidecar_reqs), (limits, c_limits, sidecar_limits)):
            for name, q in own.items():
                total = q + side[name] if name in side else q
                if name not in into or into[name].value < total.value:
                    into[name] = total
    overhead = _quantities(spec.get("overhead"))
    add(reqs, overhead)
    add(limits, overhead)
    return reqs, limits


# --- the prefix writer ------------------------------------------------------------------------------

class _Writer:
    """describe's PrefixWriter: two spaces per level before each write."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self.parts.append("  " * level + text)

    def line(self, text: str) -> None:
        """WriteLine: the text and a newline, no indentation."""
        self.parts.append(text + "\n")

    def text(self) -> str:
        return tabwrite("".join(self.parts), minwidth=0, padding=2)


def _go_bool(b: Any) -> str:
    return "true" if b else "false"


def _print_bool(b: Any) -> str:
    return "True" if b else "False"


def _since(ts: str | None, now) -> str:
    if not ts:
        return "<unknown>"
    return human_duration_us(since_us(ts, now))


def _date(ts: str | None) -> str:
    return rfc1123z(ts) if ts else _ZERO_TIME


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _int_or_string(v: Any) -> str:
    return "" if v is None else str(v)


def _print_labels(w: _Writer, title: str, labels: dict | None, initial: str = "",
                  inner: str = "\t") -> None:
    w.write(0, f"{initial}{title}:{inner}")
    if not labels:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, initial)
            w.write(0, inner)
        w.write(0, f"{key}={labels[key]}\n")


def _shorten(s: str, n: int) -> str:
    b = s.encode()
    return b[:n].decode(errors="ignore") + "..." if len(b) > n else s


def _print_annotations(w: _Writer, title: str, annotations: dict | None) -> None:
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {}) if k != _LAST_APPLIED)
    if not keys:
        w.line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = annotations[key]
        if value.endswith("\n"):
            value = value[:-1]
        if len(value.encode()) + len(key.encode()) + 2 > _MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for s in value.split("\n"):
                w.write(0, f"\t  {_shorten(s, _MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def _taint_text(t: dict) -> str:
    if t.get("value"):
        return f"{t.get('key', '')}={t['value']}:{t.get('effect', '')}"
    return f"{t.get('key', '')}:{t.get('effect', '')}"


def _print_taints(w: _Writer, title: str, taints: Sequence[dict] | None) -> None:
    w.write(0, f"{title}:\t")
    if not taints:
        w.line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, t in enumerate(ordered):
        if i:
            w.write(0, "\t")
        w.write(0, _taint_text(t) + "\n")


def _print_tolerations(w: _Writer, title: str, tolerations: Sequence[dict] | None,
                       initial: str = "") -> None:
    w.write(0, f"{initial}{title}:\t")
    if not tolerations:
        w.line("<none>")
        return
    for i, t in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(0, initial)
            w.write(0, "\t")
        text = t.get("key", "")
        if t.get("value"):
            text += f"={t['value']}"
        if t.get("effect"):
            text += f":{t['effect']}"
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        w.write(0, text + "\n")


def _controller_of(obj: dict) -> dict | None:
    for ref in _meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def _print_controller(obj: dict) -> str:
    ref = _controller_of(obj)
    return f"{ref.get('kind', '')}/{ref.get('name', '')}" if ref else ""


# --- events -----------------------------------------------------------------------------------------

def _event_last(ev: dict):
    ts = ev.get("lastTimestamp")
    return parse_time(ts) if ts else None


def describe_events(w: _Writer, events: Sequence[dict] | None, now) -> None:
    """DescribeEvents: a Type Reason Age From Message table, oldest first; `<none>` if empty."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    from datetime import datetime, timezone

    zero = datetime(1, 1, 1, tzinfo=timezone.utc)
    ordered = sorted(events, key=lambda e: _event_last(e) or zero)
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in ordered:
        first = _since(e.get("eventTime"), now) if e.get("eventTime") else \
            _since(e.get("firstTimestamp"), now)
        series = e.get("series")
        count = e.get("count") or 0
        if series:
            interval = (f"{_since(series.get('lastObservedTime'), now)} "
                        f"(x{series.get('count', 0)} over {first})")
        elif count > 1:
            interval = f"{_since(e.get('lastTimestamp'), now)} (x{count} over {first})"
        else:
            interval = first
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        w.write(1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t"
                   f"{(e.get('message') or '').strip()}\n")


# --- containers and pod templates -------------------------------------------------------------------

def _state_lines(w: _Writer, name: str, state: dict) -> None:
    if state.get("running") is not None:
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{_date(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        if t.get("reason"):
            w.write(3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(3, f"Message:\t{t['message']}\n")
        w.write(3, f"Exit Code:\t{int(t.get('exitCode') or 0)}\n")
        if t.get("signal"):
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{_date(t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{_date(t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def probe_text(p: dict) -> str:
    """DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`."""
    attrs = (f"delay={int(p.get('initialDelaySeconds') or 0)}s "
             f"timeout={int(p.get('timeoutSeconds') or 0)}s "
             f"period={int(p.get('periodSeconds') or 0)}s "
             f"#success={int(p.get('successThreshold') or 0)} "
             f"#failure={int(p.get('failureThreshold') or 0)}")
    if p.get("exec") is not None:
        return f"exec [{' '.join(p['exec'].get('command') or [])}] {attrs}"
    if p.get("httpGet") is not None:
        h = p["httpGet"]
        port = _int_or_string(h.get("port"))
        host = join_host_port(h.get("host", ""), port) if port else h.get("host", "")
        path = h.get("path", "")
        if path and not path.startswith("/") and host:
            path = "/" + path
        scheme = (h.get("scheme") or "").lower()
        url = f"{scheme}://{host}{path}" if scheme else f"//{host}{path}"
        return f"http-get {url} {attrs}"
    if p.get("tcpSocket") is not None:
        t = p["tcpSocket"]
        return f"tcp-socket {t.get('host', '')}:{_int_or_string(t.get('port'))} {attrs}"
    if p.get("grpc") is not None:
        g = p["grpc"]
        return f"grpc <pod>:{g.get('port')} {g.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _field_value(pod: dict | None, field_path: str) -> str:
    """EnvValueRetriever: the value a downward-API env var gets in this pod."""
    if pod is None:
        return ""
    meta, spec, status = _meta(pod), pod.get("spec") or {}, pod.get("status") or {}
    simple = {"metadata.name": meta.get("name", ""), "metadata.namespace": meta.get("namespace", ""),
              "metadata.uid": meta.get("uid", ""), "spec.nodeName": spec.get("nodeName", ""),
              "spec.serviceAccountName": spec.get("serviceAccountName", ""),
              "status.podIP": status.get("podIP", ""), "status.hostIP": status.get("hostIP", ""),
              "status.podIPs": ",".join(i.get("ip", "") for i in status.get("podIPs") or []),
              "status.hostIPs": ",".join(i.get("ip", "") for i in status.get("hostIPs") or [])}
    if field_path in simple:
        return simple[field_path]
    for prefix, source in (("metadata.labels", meta.get("labels") or {}),
                           ("metadata.annotations", meta.get("annotations") or {})):
        if field_path == prefix:
            return "\n".join(f'{k}="{source[k]}"' for k in sorted(source))
        if field_path.startswith(prefix + "['") and field_path.endswith("']"):
            return source.get(field_path[len(prefix) + 2:-2], "")
    return ""


def _resource_field_value(ref: dict, container: dict) -> str:
    resource = ref.get("resource", "")
    kind, _, name = resource.partition(".")
    res = (container.get("resources") or {}).get(kind) or {}
    if name not in res:
        return "0"
    q = Quantity.parse(res[name])
    divisor = Quantity.parse(ref.get("divisor") or "1")
    if divisor.value == 0:
        divisor = Quantity(1)
    value = q.value / divisor.value
    return str(-((-value.numerator) // value.denominator))


def _describe_env(w: _Writer, container: dict, pod: dict | None) -> None:
    env = container.get("env") or []
    w.write(2, "Environment:" + ("\t<none>" if not env else "") + "\n")
    for e in env:
        name = e.get("name", "")
        vf = e.get("valueFrom")
        if vf is None:
            for i, s in enumerate((e.get("value") or "").split("\n")):
                w.write(3, f"{name}:\t{s}\n" if i == 0 else f"\t{s}\n")
            continue
        if vf.get("fieldRef") is not None:
            fr = vf["fieldRef"]
            value = _field_value(pod, fr.get("fieldPath", ""))
            w.write(3, f"{name}:\t{value} ({fr.get('apiVersion', 'v1')}:{fr.get('fieldPath', '')})\n")
        elif vf.get("resourceFieldRef") is not None:
            rf = vf["resourceFieldRef"]
            value = _resource_field_value(rf, container)
            resource = rf.get("resource", "")
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(3, f"{name}:\t{value} ({resource})\n")
        elif vf.get("secretKeyRef") is not None:
            r = vf["secretKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{r.get('key', '')}' in secret "
                       f"'{r.get('name', '')}'>\tOptional: {_go_bool(r.get('optional'))}\n")
        elif vf.get("configMapKeyRef") is not None:
            r = vf["configMapKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{r.get('key', '')}' of config map "
                       f"'{r.get('name', '')}'>\tOptional: {_go_bool(r.get('optional'))}\n")


def _describe_env_from(w: _Writer, container: dict) -> None:
    w.write(2, "Environment Variables from:\n")
    for e in container.get("envFrom") or []:
        if e.get("configMapRef") is not None:
            src, ref = "ConfigMap", e["configMapRef"]
        elif e.get("secretRef") is not None:
            src, ref = "Secret", e["secretRef"]
        else:
            src, ref = "", {}
        optional = _go_bool(ref.get("optional"))
        if e.get("prefix"):
            w.write(3, f"{ref.get('name', '')}\t{src} with prefix '{e['prefix']}'\t"
                       f"Optional: {optional}\n")
        else:
            w.write(3, f"{ref.get('name', '')}\t{src}\tOptional: {optional}\n")


def _describe_resources(w: _Writer, resources: dict | None, level: int) -> None:
    if not resources:
        return
    for title, key in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(key) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{Quantity.parse(values[name])}\n")


def _describe_containers(w: _Writer, label: str, containers: Sequence[dict],
                         statuses: Sequence[dict] | None, pod: dict | None, space: str) -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:{' <none>' if not containers else ''}\n")
    for c in containers:
        status = by_name.get(c.get("name"))
        w.write(1, f"{' ' if space else ''}{c.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = c.get("ports") or []
        port_text = ", ".join(f"{p.get('containerPort', 0)}/{p.get('protocol', 'TCP')}"
                              for p in ports)
        host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
        if "," in port_text:
            w.write(2, f"Ports:\t{port_text}\n")
        else:
            w.write(2, f"Port:\t{port_text or '<none>'}\n")
        if "," in host_text:
            w.write(2, f"Host Ports:\t{host_text}\n")
        else:
            w.write(2, f"Host Port:\t{host_text or '<none>'}\n")
        seccomp = ((c.get("securityContext") or {}).get("seccompProfile")) or None
        if seccomp:
            w.write(2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
            if seccomp.get("type") == "Localhost":
                w.write(3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
        for title, key in (("Command", "command"), ("Args", "args")):
            if c.get(key):
                w.write(2, f"{title}:\n")
                for part in c[key]:
                    for s in str(part).split("\n"):
                        w.write(3, f"{s}\n")
        if status is not None:
            _state_lines(w, "State", status.get("state") or {})
            last = status.get("lastState") or {}
            if last.get("terminated") is not None:
                _state_lines(w, "Last State", last)
            w.write(2, f"Ready:\t{_print_bool(status.get('ready'))}\n")
            w.write(2, f"Restart Count:\t{int(status.get('restartCount') or 0)}\n")
        _describe_resources(w, c.get("resources"), 2)
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"),
                           ("Startup", "startupProbe")):
            if c.get(key) is not None:
                w.write(2, f"{title}:\t{probe_text(c[key])}\n")
        if c.get("envFrom"):
            _describe_env_from(w, c)
        _describe_env(w, c, pod)
        mounts = c.get("volumeMounts") or []
        w.write(2, "Mounts:" + ("\t<none>" if not mounts else "") + "\n")
        for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
            flags = ["ro" if m.get("readOnly") else "rw"]
            if m.get("subPath"):
                flags.append(f'path="{m["subPath"]}"')
            w.write(3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")
        devices = c.get("volumeDevices") or []
        if devices:
            w.write(2, "Devices:\n")
            for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
                w.write(3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


def _optional_ptr(v: Any) -> str:
    # kubectl 1.32 prints the *bool itself: <nil> when unset
    return "<nil>" if v is None else _go_bool(v)


def _describe_volumes(w: _Writer, volumes: Sequence[dict] | None, space: str) -> None:
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for v in volumes:
        w.write(1, f"{' ' if space else ''}{v.get('name', '')}:\n")
        if v.get("hostPath") is not None:
            hp = v["hostPath"]
            w.write(2, "Type:\tHostPath (bare host directory volume)\n"
                       f"    Path:\t{hp.get('path', '')}\n"
                       f"    HostPathType:\t{hp['type'] if 'type' in hp else '<none>'}\n")
        elif v.get("emptyDir") is not None:
            ed = v["emptyDir"]
            size = ed.get("sizeLimit")
            size_text = str(Quantity.parse(size)) if size and Quantity.parse(size).value > 0 \
                else "<unset>"
            w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                       f"    Medium:\t{ed.get('medium', '')}\n"
                       f"    SizeLimit:\t{size_text}\n")
        elif v.get("secret") is not None:
            s = v["secret"]
            w.write(2, "Type:\tSecret (a volume populated by a Secret)\n"
                       f"    SecretName:\t{s.get('secretName', '')}\n"
                       f"    Optional:\t{_go_bool(s.get('optional'))}\n")
        elif v.get("configMap") is not None:
            cm = v["configMap"]
            w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                       f"    Name:\t{cm.get('name', '')}\n"
                       f"    Optional:\t{_go_bool(cm.get('optional'))}\n")
        elif v.get("persistentVolumeClaim") is not None:
            pvc = v["persistentVolumeClaim"]
            w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in "
                       "the same namespace)\n"
                       f"    ClaimName:\t{pvc.get('claimName', '')}\n"
                       f"    ReadOnly:\t{_go_bool(pvc.get('readOnly'))}\n")
        elif v.get("downwardAPI") is not None:
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n"
                       "    Items:\n")
            for item in v["downwardAPI"].get("items") or []:
                if item.get("fieldRef") is not None:
                    w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
                if item.get("resourceFieldRef") is not None:
                    w.write(3, f"{item['resourceFieldRef'].get('resource', '')} -> "
                               f"{item.get('path', '')}\n")
        elif v.get("projected") is not None:
            w.write(2, "Type:\tProjected (a volume that contains injected data from multiple "
                       "sources)\n")
            for src in v["projected"].get("sources") or []:
                if src.get("secret") is not None:
                    w.write(2, f"SecretName:\t{src['secret'].get('name', '')}\n"
                               f"    SecretOptionalName:\t{_optional_ptr(src['secret'].get('optional'))}\n")
                elif src.get("downwardAPI") is not None:
                    w.write(2, "DownwardAPI:\ttrue\n")
                elif src.get("configMap") is not None:
                    w.write(2, f"ConfigMapName:\t{src['configMap'].get('name', '')}\n"
                               f"    ConfigMapOptional:\t{_optional_ptr(src['configMap'].get('optional'))}\n")
                elif src.get("serviceAccountToken") is not None:
                    w.write(2, "TokenExpirationSeconds:\t"
                               f"{src['serviceAccountToken'].get('expirationSeconds', 3600)}\n")
        else:
            w.write(1, "<unknown>\n")


def _describe_topology(w: _Writer, constraints: Sequence[dict] | None, space: str) -> None:
    if not constraints:
        return
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(constraints, key=lambda t: t.get("topologyKey", ""))):
        if i:
            w.write(0, space)
            w.write(0, "\t")
        text = (f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')} when max skew "
                f"{tsc.get('maxSkew', 0)} is exceeded")
        if tsc.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(tsc['labelSelector'])}"
        w.write(0, text + "\n")


def pod_template_text(template: dict | None) -> str:
    """DescribePodTemplate into a bare PrefixWriter, tabs kept as tabs: what `kubectl rollout
    history --revision=N` prints under the revision line."""
    w = _Writer()
    _describe_pod_template(w, template)
    return "".join(w.parts)


def _describe_pod_template(w: _Writer, template: dict | None) -> None:
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    _print_labels(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        _print_annotations(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        _describe_containers(w, "Init Containers", spec["initContainers"], None, None, "  ")
    _describe_containers(w, "Containers", spec.get("containers") or [], None, None, "  ")
    _describe_volumes(w, spec.get("volumes"), "  ")
    _describe_topology(w, spec.get("topologySpreadConstraints"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    _print_labels(w, "  Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations(w, "  Tolerations", spec.get("tolerations"))


# --- the describers ---------------------------------------------------------------------------------

def _list(ctx: Any, kind: str, namespace: str | None) -> list[dict]:
    try:
        return list(ctx.list(kind, namespace) or [])
    except Exception:  # a kind the model does not serve: kubectl would find none
        return []


def _events(ctx: Any, obj: dict) -> list[dict]:
    return list(ctx.events_for(obj) or [])


def _pod_qos(pod: dict) -> str:
    qos = (pod.get("status") or {}).get("qosClass")
    if qos:
        return qos
    from k8scourse.api.qos import qos_class

    return qos_class(pod)


def _describe_pod(pod: dict, ctx: Any) -> str:
    w = _Writer()
    meta, spec, status = _meta(pod), pod.get("spec") or {}, pod.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if not spec.get("nodeName"):
        w.write(0, "Node:\t<none>\n")
    else:
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{_date(status['startTime'])}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {_since(meta['deletionTimestamp'], ctx.now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    seccomp = ((spec.get("securityContext") or {}).get("seccompProfile")) or None
    if seccomp:
        w.write(0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for ip in ips:
            w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    controlled_by = _print_controller(pod)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources"):
        w.write(0, "Resources:\n")
        _describe_resources(w, spec["resources"], 1)
    if spec.get("initContainers"):
        _describe_containers(w, "Init Containers", spec["initContainers"],
                             status.get("initContainerStatuses"), pod, "")
    _describe_containers(w, "Containers", spec.get("containers") or [],
                         status.get("containerStatuses"), pod, "")
    if spec.get("ephemeralContainers"):
        _describe_containers(w, "Ephemeral Containers", spec["ephemeralContainers"],
                             status.get("ephemeralContainerStatuses"), pod, "")
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for g in spec["readinessGates"]:
            value = next((c.get("status", "") for c in conditions
                          if c.get("type") == g.get("conditionType")), "<none>")
            w.write(1, f"{g.get('conditionType', '')} \t{value} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    _describe_volumes(w, spec.get("volumes"), "")
    w.write(0, f"QoS Class:\t{_pod_qos(pod)}\n")
    _print_labels(w, "Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations(w, "Tolerations", spec.get("tolerations"))
    _describe_topology(w, spec.get("topologySpreadConstraints"), "")
    describe_events(w, _events(ctx, pod), ctx.now)
    return w.text()


def _pods_status(ctx: Any, owner: dict, selects: Callable[[dict], bool]) -> tuple[int, int, int, int]:
    """getPodStatusForController: pods the owner controls, counted by phase."""
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    uid = _meta(owner).get("uid")
    for p in _list(ctx, "Pod", _meta(owner).get("namespace")):
        ref = _controller_of(p)
        if ref is None or ref.get("uid") != uid or not selects(p):
            continue
        phase = (p.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


_matches = _labels.set_matches
#: metav1.LabelSelectorAsSelector(sel).Matches(labels)
_matches_selector = _labels.matches


def _conditions_table(w: _Writer, conditions: Sequence[dict]) -> None:
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def _describe_replicaset(rs: dict, ctx: Any) -> str:
    w = _Writer()
    meta, spec, status = _meta(rs), rs.get("spec") or {}, rs.get("status") or {}
    selector = spec.get("selector")
    running, waiting, succeeded, failed = _pods_status(
        ctx, rs, lambda p: _matches_selector(selector, _meta(p).get("labels") or {}))
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_label_selector(selector)}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))
    controlled_by = _print_controller(rs)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    w.write(0, f"Replicas:\t{status.get('replicas') or 0} current / {spec.get('replicas', 1)} desired\n")
    w.write(0, "Pods Status:\t")
    w.write(0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _describe_pod_template(w, spec.get("template"))
    _conditions_table(w, status.get("conditions") or [])
    describe_events(w, _events(ctx, rs), ctx.now)
    return w.text()


def _describe_rc(rc: dict, ctx: Any) -> str:
    w = _Writer()
    meta, spec, status = _meta(rc), rc.get("spec") or {}, rc.get("status") or {}
    selector = spec.get("selector") or {}
    running, waiting, succeeded, failed = _pods_status(
        ctx, rc, lambda p: bool(selector) and _matches(selector, _meta(p).get("labels") or {}))
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_labels(selector)}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Replicas:\t{status.get('replicas') or 0} current / {spec.get('replicas', 1)} desired\n")
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / "
               f"{failed} Failed\n")
    _describe_pod_template(w, spec.get("template"))
    _conditions_table(w, status.get("conditions") or [])
    describe_events(w, _events(ctx, rc), ctx.now)
    return w.text()


def _without_hash(template: dict | None) -> dict:
    t = dict(template or {})
    meta = dict(t.get("metadata") or {})
    labels = dict(meta.get("labels") or {})
    labels.pop("pod-template-hash", None)
    if labels:
        meta["labels"] = labels
    else:
        meta.pop("labels", None)
    t["metadata"] = meta
    return t


def _created(obj: dict):
    ts = _meta(obj).get("creationTimestamp")
    return (parse_time(ts).timestamp() if ts else 0.0, _meta(obj).get("name", ""))


def _deployment_replicasets(d: dict, ctx: Any) -> tuple[list[dict], dict | None]:
    """deploymentutil.GetAllReplicaSets: the ReplicaSets the Deployment controls, split into
    the new one (same template, pod-template-hash aside) and all the old ones."""
    meta, spec = _meta(d), d.get("spec") or {}
    owned = []
    for rs in _list(ctx, "ReplicaSet", meta.get("namespace")):
        ref = _controller_of(rs)
        if ref is None or ref.get("uid") != meta.get("uid"):
            continue
        if not _matches_selector(spec.get("selector"), _meta(rs).get("labels") or {}):
            continue
        owned.append(rs)
    owned.sort(key=_created)
    template = _without_hash(spec.get("template"))
    new = next((rs for rs in owned
                if _without_hash((rs.get("spec") or {}).get("template")) == template), None)
    old = [rs for rs in owned if rs is not new]
    return old, new


def _rs_summary(rss: Sequence[dict]) -> str:
    text = ", ".join(f"{_meta(rs).get('name', '')} ({(rs.get('status') or {}).get('replicas') or 0}/"
                     f"{(rs.get('spec') or {}).get('replicas', 1)} replicas created)" for rs in rss)
    return text or "<none>"


def _describe_deployment(d: dict, ctx: Any) -> str:
    w = _Writer()
    meta, spec, status = _meta(d), d.get("spec") or {}, d.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{_date(meta.get('creationTimestamp'))}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas') or 0} "
               f"updated | {status.get('replicas') or 0} total | "
               f"{status.get('availableReplicas') or 0} available | "
               f"{status.get('unavailableReplicas') or 0} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds') or 0}\n")
    if strategy.get("rollingUpdate") is not None:
        ru = strategy["rollingUpdate"]
        w.write(0, f"RollingUpdateStrategy:\t{_int_or_string(ru.get('maxUnavailable'))} max "
                   f"unavailable, {_int_or_string(ru.get('maxSurge'))} max surge\n")
    _describe_pod_template(w, spec.get("template"))
    _conditions_table(w, status.get("conditions") or [])
    old, new = _deployment_replicasets(d, ctx)
    if old or new:
        w.write(0, f"OldReplicaSets:\t{_rs_summary(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_rs_summary([new] if new else [])}\n")
    describe_events(w, _events(ctx, d), ctx.now)
    return w.text()


def _describe_daemonset(ds: dict, ctx: Any) -> str:
    w = _Writer()
    meta, spec, status = _meta(ds), ds.get("spec") or {}, ds.get("status") or {}
    selector = spec.get("selector")
    running, waiting, succeeded, failed = _pods_status(
        ctx, ds, lambda p: _matches_selector(selector, _meta(p).get("labels") or {}))
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Selector:\t{selector_string(selector)}\n")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled') or 0}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled') or 0}\n")
    w.write(0, "Number of Nodes Scheduled with Up-to-date Pods: "
               f"{status.get('updatedNumberScheduled') or 0}\n")
    w.write(0, "Number of Nodes Scheduled with Available Pods: "
               f"{status.get('numberAvailable') or 0}\n")
    w.write(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled') or 0}\n")
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / "
               f"{failed} Failed\n")
    _describe_pod_template(w, spec.get("template"))
    describe_events(w, _events(ctx, ds), ctx.now)
    return w.text()


def _slices_for_service(svc: dict, ctx: Any) -> list[dict]:
    """The EndpointSlices `describe svc` reads (label kubernetes.io/service-name).

    When the model keeps no EndpointSlices, they are read from the Endpoints object the way the
    EndpointSlice controllers would build them: one slice per subset (a selector Service always
    has a slice, empty when nothing matches; a selector-less Service gets slices mirrored from
    hand-made Endpoints)."""
    meta, spec = _meta(svc), svc.get("spec") or {}
    ns, name = meta.get("namespace"), meta.get("name")
    all_slices = _list(ctx, "EndpointSlice", ns)
    if all_slices:
        return [s for s in all_slices
                if (_meta(s).get("labels") or {}).get("kubernetes.io/service-name") == name]
    ep = next((e for e in _list(ctx, "Endpoints", ns) if _meta(e).get("name") == name), None)
    subsets = (ep or {}).get("subsets") or []
    slices = []
    for ss in subsets:
        endpoints = [{"addresses": [a.get("ip", "")], "conditions": {"ready": True}}
                     for a in ss.get("addresses") or []]
        endpoints += [{"addresses": [a.get("ip", "")], "conditions": {"ready": False}}
                      for a in ss.get("notReadyAddresses") or []]
        slices.append({"ports": [{"name": p.get("name", ""), "port": p.get("port"),
                                  "protocol": p.get("protocol", "TCP")}
                                 for p in ss.get("ports") or []],
                       "endpoints": endpoints})
    if not slices and spec.get("selector"):
        slices.append({"ports": [], "endpoints": []})
    return slices


def _format_endpoint_slices(slices: Sequence[dict], port_name: str, limit: int = 3) -> str:
    """formatEndpointSlices: ready endpoints only, at most 3 then ` + N more...`."""
    if not slices:
        return "<none>"
    listed: list[str] = []
    more = False
    count = 0
    for sl in slices:
        endpoints = sl.get("endpoints") or []
        ports = sl.get("ports") or []
        if not ports:
            for ep in endpoints:
                if len(listed) == limit:
                    more = True
                ready = (ep.get("conditions") or {}).get("ready")
                if ready is False:
                    continue
                if not more:
                    listed.append((ep.get("addresses") or [""])[0])
                count += 1
            continue
        for port in ports:
            if (port.get("name") or "") != port_name:
                continue
            for ep in endpoints:
                if len(listed) == limit:
                    more = True
                ready = (ep.get("conditions") or {}).get("ready")
                if ready is False:
                    continue
                if not more:
                    listed.append(join_host_port((ep.get("addresses") or [""])[0], port.get("port")))
                count += 1
    text = ",".join(listed)
    if more:
        return f"{text} + {count - limit} more..."
    return text


def _describe_service(svc: dict, ctx: Any) -> str:
    w = _Writer()
    meta, spec = _meta(svc), svc.get("spec") or {}
    status = svc.get("status") or {}
    _write_identity(w, meta)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or []
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    cluster_ips = spec.get("clusterIPs") or []
    w.write(0, f"IPs:\t{','.join(cluster_ips) if cluster_ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = ((status.get("loadBalancer") or {}).get("ingress")) or []
    if ingress:
        parts = []
        for i in ingress:
            if i.get("ip"):
                parts.append(i["ip"] + (f" ({i['ipMode']})" if i.get("ipMode") else ""))
            else:
                parts.append(i.get("hostname", ""))
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    slices = None
    for p in spec.get("ports") or []:
        name = p.get("name") or "<unset>"
        proto = p.get("protocol", "TCP")
        w.write(0, f"Port:\t{name}\t{p.get('port')}/{proto}\n")
        w.write(0, f"TargetPort:\t{_int_or_string(p.get('targetPort', p.get('port')))}/{proto}\n")
        if p.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{p['nodePort']}/{proto}\n")
        if slices is None:
            slices = _slices_for_service(svc, ctx)
        w.write(0, f"Endpoints:\t{_format_endpoint_slices(slices, p.get('name') or '')}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    describe_events(w, _events(ctx, svc), ctx.now)
    return w.text()


def _describe_endpoints(ep: dict, ctx: Any) -> str:
    w = _Writer()
    meta = _meta(ep)
    _write_identity(w, meta)
    w.write(0, "Subsets:\n")
    for ss in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in ss.get("addresses") or [])
        not_ready = ",".join(a.get("ip", "") for a in ss.get("notReadyAddresses") or [])
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        ports = ss.get("ports") or []
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for p in ports:
                w.write(2, f"{p.get('name') or '<unset>'}\t{p.get('port')}\t"
                           f"{p.get('protocol', 'TCP')}\n")
        w.write(0, "\n")
    describe_events(w, _events(ctx, ep), ctx.now)
    return w.text()


def _node_lease(node: dict, ctx: Any) -> dict | None:
    name = _meta(node).get("name")
    return next((le for le in _list(ctx, "Lease", "kube-node-lease")
                 if _meta(le).get("name") == name), None)


def _describe_node(node: dict, ctx: Any) -> str:
    w = _Writer()
    meta, spec, status = _meta(node), node.get("spec") or {}, node.get("status") or {}
    name = meta.get("name", "")
    w.write(0, f"Name:\t{name}\n")
    roles = node_roles(node)
    w.write(0, f"Roles:\t{','.join(roles) if roles else '<none>'}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{_date(meta.get('creationTimestamp'))}\n")
    _print_taints(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{_go_bool(spec.get('unschedulable'))}\n")
    conditions = status.get("conditions") or []
    lease = _node_lease(node, ctx)
    if lease is not None:
        lspec = lease.get("spec") or {}
        holder = lspec.get("holderIdentity") or "<unset>"
        acquire = _date(lspec["acquireTime"]) if lspec.get("acquireTime") else "<unset>"
        renew = _date(lspec["renewTime"]) if lspec.get("renewTime") else "<unset>"
    else:
        # the kubelet holds its node's lease and renews it with each heartbeat
        ready = next((c for c in conditions if c.get("type") == "Ready"), {})
        holder = name
        acquire = "<unset>"
        renew = _date(ready["lastHeartbeatTime"]) if ready.get("lastHeartbeatTime") else "<unset>"
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{holder}\n")
    w.write(1, f"AcquireTime:\t{acquire}\n")
    w.write(1, f"RenewTime:\t{renew}\n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\t"
                   "Message\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t"
                       f"{_date(c.get('lastHeartbeatTime'))} \t{_date(c.get('lastTransitionTime'))} \t"
                       f"{c.get('reason', '')} \t{c.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for a in status.get("addresses") or []:
        w.write(1, f"{a.get('type', '')}:\t{a.get('address', '')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        resources = status.get(key) or {}
        if resources:
            w.write(0, f"{title}:\n")
            for r in sorted(resources):
                w.write(0, f"  {r}:\t{Quantity.parse(resources[r])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"),
                       ("Boot ID", "bootID"), ("Kernel Version", "kernelVersion"),
                       ("OS Image", "osImage"), ("Operating System", "operatingSystem"),
                       ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion"),
                       ("Kube-Proxy Version", "kubeProxyVersion")):
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    pods = [p for p in _list(ctx, "Pod", None)
            if (p.get("spec") or {}).get("nodeName") == name
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    pods.sort(key=lambda p: (_meta(p).get("namespace", ""), _meta(p).get("name", "")))
    _describe_node_resource(w, node, pods, ctx.now)
    events = _events(ctx, node)
    describe_events(w, events, ctx.now)
    return w.text()


def _percent(part: int, whole: int) -> int:
    return int(float(part) / float(whole) * 100) if whole else 0


def _describe_node_resource(w: _Writer, node: dict, pods: Sequence[dict], now) -> None:
    status = node.get("status") or {}
    allocatable = _quantities(status.get("allocatable") or status.get("capacity"))
    zero = Quantity()
    alloc_cpu = allocatable.get("cpu", zero).milli_value()
    alloc_mem = allocatable.get("memory", zero).int_value()
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    total_reqs: dict[str, Quantity] = {}
    total_limits: dict[str, Quantity] = {}
    for p in pods:
        reqs, limits = _pod_requests_and_limits(p)
        cpu_r, cpu_l = reqs.get("cpu", zero), limits.get("cpu", zero)
        mem_r, mem_l = reqs.get("memory", zero), limits.get("memory", zero)
        meta = _meta(p)
        w.write(1, f"{meta.get('namespace', '')}\t{meta.get('name', '')}\t\t"
                   f"{cpu_r} ({_percent(cpu_r.milli_value(), alloc_cpu)}%)\t"
                   f"{cpu_l} ({_percent(cpu_l.milli_value(), alloc_cpu)}%)\t"
                   f"{mem_r} ({_percent(mem_r.int_value(), alloc_mem)}%)\t"
                   f"{mem_l} ({_percent(mem_l.int_value(), alloc_mem)}%)\t"
                   f"{_since(meta.get('creationTimestamp'), now)}\n")
        for into, values in ((total_reqs, reqs), (total_limits, limits)):
            for k, q in values.items():
                into[k] = into[k] + q if k in into else Quantity(q.value, q.format)
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., "
               "overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    for res in ("cpu", "memory", "ephemeral-storage"):
        r, lim = total_reqs.get(res, zero), total_limits.get(res, zero)
        alloc = allocatable.get(res, zero)
        if res == "cpu":
            whole, rv, lv = alloc.milli_value(), r.milli_value(), lim.milli_value()
        else:
            whole, rv, lv = alloc.int_value(), r.int_value(), lim.int_value()
        w.write(1, f"{res}\t{r} ({_percent(rv, whole)}%)\t{lim} ({_percent(lv, whole)}%)\n")
    standard = {"cpu", "memory", "ephemeral-storage", "storage", "pods"}
    hugepages = sorted(k for k in allocatable if k.startswith("hugepages-"))
    extended = sorted(k for k in allocatable if k not in standard and not k.startswith("hugepages-")
                      and not k.startswith("requests.") and not k.startswith("limits."))
    for res in hugepages:
        r, lim, alloc = total_reqs.get(res, zero), total_limits.get(res, zero), allocatable[res]
        whole = alloc.int_value()
        w.write(1, f"{res}\t{r} ({_percent(r.int_value(), whole)}%)\t"
                   f"{lim} ({_percent(lim.int_value(), whole)}%)\n")
    for res in extended:
        w.write(1, f"{res}\t{total_reqs.get(res, zero)}\t{total_limits.get(res, zero)}\n")


def _describe_namespace(ns: dict, ctx: Any) -> str:
    w = _Writer()
    meta, status = _meta(ns), ns.get("status") or {}
    name = meta.get("name", "")
    w.write(0, f"Name:\t{name}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t"
                       f"{_date(c.get('lastTransitionTime'))}\t{c.get('reason', '')}\t"
                       f"{c.get('message', '')}\n")
    quotas = sorted(_list(ctx, "ResourceQuota", name), key=lambda q: _meta(q).get("name", ""))
    w.write(0, "\n")
    if not quotas:
        w.write(0, "No resource quota.\n")
    else:
        w.write(0, "Resource Quotas\n")
        for q in quotas:
            w.write(1, f"Name:\t{_meta(q).get('name', '')}\n")
            scopes = sorted((q.get("spec") or {}).get("scopes") or [])
            if scopes:
                w.write(1, f"Scopes:\t{', '.join(scopes)}\n")
            w.write(1, "Resource\tUsed\tHard\n")
            w.write(1, "--------\t---\t---\n")
            hard = ((q.get("status") or {}).get("hard")) or {}
            used = ((q.get("status") or {}).get("used")) or {}
            for r in sorted(hard):
                w.write(1, f"{r}\t{Quantity.parse(used.get(r, '0'))}\t{Quantity.parse(hard[r])}\n")
    limit_ranges = _list(ctx, "LimitRange", name)
    w.write(0, "\n")
    if not limit_ranges:
        w.write(0, "No LimitRange resource.\n")
    else:
        w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\t"
                   "Max Limit/Request Ratio\n")
        w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t"
                   "-----------------------\n")
        for lr in limit_ranges:
            for item in (lr.get("spec") or {}).get("limits") or []:
                fields = [item.get(k) or {} for k in ("min", "max", "defaultRequest", "default",
                                                      "maxLimitRequestRatio")]
                names = sorted(set().union(*fields))
                for res in names:
                    values = [str(Quantity.parse(f[res])) if res in f else "-" for f in fields]
                    w.write(0, f" {item.get('type', '')}\t{res}\t" + "\t".join(values) + "\n")
    return w.text()


def _describe_configmap(cm: dict, ctx: Any) -> str:
    w = _Writer()
    meta = _meta(cm)
    _write_identity(w, meta)
    w.write(0, "\nData\n====\n")
    data = cm.get("data") or {}
    # kubectl walks a Go map here (random order); the model prints the keys sorted
    for k in sorted(data):
        w.write(0, f"{k}:\n----\n")
        w.write(0, f"{data[k]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for k in sorted(binary):
        try:
            size = len(base64.b64decode(binary[k]))
        except ValueError:
            size = len(binary[k])
        w.write(0, f"{k}: {size} bytes\n")
    w.write(0, "\n")
    describe_events(w, _events(ctx, cm), ctx.now)
    return w.text()


def _write_identity(w: "_Writer", meta: dict) -> None:
    """The block most describers open with: Name, Namespace, Labels, Annotations."""
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels(w, "Labels", meta.get("labels"))
    _print_annotations(w, "Annotations", meta.get("annotations"))


def _describe_generic(obj: dict, ctx: Any) -> str:
    w = _Writer()
    meta = _meta(obj)
    _write_identity(w, meta)
    describe_events(w, _events(ctx, obj), ctx.now)
    return w.text()


_DESCRIBERS: dict[str, Callable[[dict, Any], str]] = {
    "Pod": _describe_pod, "ReplicaSet": _describe_replicaset,
    "ReplicationController": _describe_rc, "Deployment": _describe_deployment,
    "DaemonSet": _describe_daemonset, "Service": _describe_service,
    "Endpoints": _describe_endpoints, "Node": _describe_node, "Namespace": _describe_namespace,
    "ConfigMap": _describe_configmap,
}


def describe(obj: dict, ctx: Any) -> str:
    """The text `kubectl describe <kind> <name>` prints for `obj`."""
    return _DESCRIBERS.get(obj.get("kind", ""), _describe_generic)(obj, ctx)
