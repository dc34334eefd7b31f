"""`kubectl expose`: a Service for a pod, service, replication controller, deployment or replica set.

The selector comes from the exposed object (a pod's labels, a workload's selector), the port from
--port or, failing that, from its container ports (staging/src/k8s.io/kubectl/pkg/cmd/expose).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from k8scourse.errors import ClientError, K8sError
from k8scourse.kubectl import builder, mutate, printing
from k8scourse.kubectl.render import UsageError, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env

EXPOSABLE = {"Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet"}


def _selector_for(obj: dict) -> dict[str, str]:
    """polymorphichelpers.MapBasedSelectorForObject."""
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise ClientError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind == "Service":
        if not spec.get("selector"):
            raise ClientError("the service has no pod selector set")
        return dict(spec["selector"])
    if kind == "ReplicationController":
        return dict(spec.get("selector") or {})
    if kind in ("Deployment", "ReplicaSet"):
        sel = spec.get("selector") or {}
        if sel.get("matchExpressions"):
            raise ClientError("couldn't convert expressions - \"" + str(sel["matchExpressions"])
                              + "\", to map-based selector format")
        return dict(sel.get("matchLabels") or {})
    raise ClientError(f"cannot extract pod selector from *v1.{kind}")


def _template_containers(obj: dict) -> list[dict]:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return spec.get("containers") or []
    return ((spec.get("template") or {}).get("spec") or {}).get("containers") or []


def _ports_for(obj: dict) -> list[tuple[str, str]]:
    """PortsForObject + ProtocolsForObject: (port, protocol) of the exposed object."""
    if obj.get("kind") == "Service":
        return [(str(p.get("port")), p.get("protocol", "TCP"))
                for p in (obj.get("spec") or {}).get("ports") or []]
    out = []
    for c in _template_containers(obj):
        for p in c.get("ports") or []:
            out.append((str(p.get("containerPort")), p.get("protocol", "TCP")))
    return out


def run_expose(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    fmt = fl["output"]
    printing.check_format(fmt, printing.ALLOWED_MUTATE)
    dry = mutate.dry_run_strategy(env, fl)
    try:
        res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                            allow_empty_selector=False)
    except ClientError as e:
        raise UsageError(str(e), env.path) from None
    errors = list(res.errors)
    for info in res.infos:
        obj = info.obj
        kind = info.rtype.kind
        try:
            if kind not in EXPOSABLE:
                raise ClientError(f"cannot expose a {kind}")
            name = fl["name"] or info.name[:63]
            if fl["selector"]:
                from k8scourse.kubectl.runpod import parse_labels

                selector = parse_labels(fl["selector"])
            else:
                try:
                    selector = _selector_for(obj)
                except ClientError as e:
                    raise UsageError(f"couldn't retrieve selectors via --selector flag or "
                                     f"introspection: {e}", env.path) from None
            headless = fl["cluster-ip"] == "None"
            protocol = fl["protocol"]
            if fl["port"]:
                ports = [(p, protocol or "TCP") for p in fl["port"].split(",")]
            else:
                ports = _ports_for(obj)
                if not ports and not headless:
                    raise UsageError("couldn't find port via --port flag or introspection",
                                     env.path)
                if protocol:
                    ports = [(p, protocol) for p, _ in ports]
            labels = None
            if fl["labels"]:
                from k8scourse.kubectl.runpod import parse_labels

                labels = parse_labels(fl["labels"])
            else:
                labels = dict((obj.get("metadata") or {}).get("labels") or {})
            svc_ports = []
            target = fl["target-port"] or fl["container-port"]
            for i, (port, proto) in enumerate(ports):
                if not re.fullmatch(r"[+-]?[0-9]+", port):
                    raise ClientError(f'strconv.Atoi: parsing "{port}": invalid syntax')
                p: dict = {}
                if len(ports) > 1:
                    p["name"] = f"port-{i + 1}"
                p["port"] = int(port)
                p["protocol"] = proto
                if target:
                    p["targetPort"] = int(target) if re.fullmatch(r"[0-9]+", target) else target
                else:
                    p["targetPort"] = int(port)
                svc_ports.append(p)
            spec: dict = {}
            if fl["cluster-ip"]:
                spec["clusterIP"] = fl["cluster-ip"]
            if fl["external-ip"]:
                spec["externalIPs"] = [fl["external-ip"]]
            if fl["load-balancer-ip"]:
                spec["loadBalancerIP"] = fl["load-balancer-ip"]
            if svc_ports:
                spec["ports"] = svc_ports
            spec["selector"] = selector
            if fl["session-affinity"]:
                if fl["session-affinity"] not in ("None", "ClientIP"):
                    raise ClientError(f"invalid session affinity: {fl['session-affinity']}")
                spec["sessionAffinity"] = fl["session-affinity"]
            if fl["type"]:
                spec["type"] = fl["type"]
            meta: dict = {"creationTimestamp": None}
            if labels:
                meta["labels"] = labels
            meta["name"] = name
            if env.explicit_namespace:
                meta["namespace"] = env.namespace
            svc = {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
                   "status": {"loadBalancer": {}}}
            if fl["overrides"]:
                import json

                from k8scourse.apiserver.patch import json_merge_patch

                try:
                    svc = json_merge_patch(svc, json.loads(fl["overrides"]))
                except ValueError as e:
                    raise ClientError(str(e)) from None
            shown = svc
            if dry != "client":
                from k8scourse.kubectl.create import strip_nulls
                from k8scourse.kubectl.resources import for_kind

                if fl["save-config"]:
                    mutate.set_last_applied(svc)
                send = strip_nulls(svc)
                send["metadata"]["namespace"] = info.namespace or env.namespace
                shown = mutate.send_create(env, for_kind("Service"), send, dry_run=dry)
            printing.success(env, fmt, f"service/{name}", "exposed", shown, dry)
        except UsageError:
            raise
        except K8sError as e:
            errors.append(e)
    if errors:
        raise aggregate(errors)
