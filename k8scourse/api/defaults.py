"""The defaults the API server fills in, per kind (pkg/apis/core/v1/defaults.go,
pkg/apis/apps/v1/defaults.go), and the admission plugins' additions to a new Pod.

Everything works in place on the plain dict, as the server stores it and `kubectl get -o yaml`
shows it. `apply` is idempotent: applying it twice changes nothing more.
"""

from __future__ import annotations

import re
from typing import Any

from k8scourse.api import quantity

__all__ = ["apply", "admit_pod", "image_pull_policy", "pod_spec", "container"]

SA_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"

# docker reference grammar (github.com/distribution/reference), enough to find the tag
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"^(?:(?P<domain>{_DOMAIN})/)?(?P<path>{_COMPONENT}(?:/{_COMPONENT})*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")


def image_pull_policy(image: Any) -> str:
    """`Always` for `:latest` or no tag (and no digest), otherwise `IfNotPresent`.

    parsers.ParseImageName gives tag "latest" when there is neither tag nor digest, and ""
    when the reference does not parse (then the policy is IfNotPresent).
    """
    if not isinstance(image, str) or not image:
        return "IfNotPresent"
    m = _REFERENCE.match(image)
    if not m:
        return "IfNotPresent"
    tag, digest = m.group("tag"), m.group("digest")
    if tag is None and digest is None:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _probe(p: Any) -> None:
    if not isinstance(p, dict):
        return
    p.setdefault("timeoutSeconds", 1)
    p.setdefault("periodSeconds", 10)
    p.setdefault("successThreshold", 1)
    p.setdefault("failureThreshold", 3)
    _handler(p)


def _handler(h: Any) -> None:
    if isinstance(h, dict) and isinstance(h.get("httpGet"), dict):
        h["httpGet"].setdefault("path", "/")
        h["httpGet"].setdefault("scheme", "HTTP")


def _canonical_resources(res: dict) -> None:
    for key in ("limits", "requests"):
        rl = res.get(key)
        if isinstance(rl, dict):
            for name, q in list(rl.items()):
                try:
                    rl[name] = quantity.canonical(quantity.to_text(q).strip())
                except quantity.QuantityError:
                    pass


def container(c: Any, host_network: bool = False) -> None:
    """SetDefaults_Container and its parts."""
    if not isinstance(c, dict):
        return
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = image_pull_policy(c.get("image"))
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    if not isinstance(c.get("resources"), dict):
        c["resources"] = {}
    _canonical_resources(c["resources"])
    for port in c.get("ports") or ():
        if isinstance(port, dict):
            if not port.get("protocol"):
                port["protocol"] = "TCP"
            if host_network and not port.get("hostPort") and "containerPort" in port:
                port["hostPort"] = port["containerPort"]
    for env in c.get("env") or ():
        if isinstance(env, dict):
            ref = (env.get("valueFrom") or {}).get("fieldRef") if isinstance(env.get("valueFrom"), dict) else None
            if isinstance(ref, dict):
                ref.setdefault("apiVersion", "v1")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        _probe(c.get(probe))
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            _handler(lifecycle.get(hook))


_VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
    "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
    "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
    "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos",
    "csi", "ephemeral", "image",
)


def _volume(v: Any) -> None:
    if not isinstance(v, dict):
        return
    if not any(v.get(s) is not None for s in _VOLUME_SOURCES):
        v["emptyDir"] = {}
    for src in ("secret", "configMap", "downwardAPI", "projected"):
        if isinstance(v.get(src), dict):
            v[src].setdefault("defaultMode", 420)
    if isinstance(v.get("hostPath"), dict):
        v["hostPath"].setdefault("type", "")


def pod_spec(spec: Any) -> None:
    """SetDefaults_PodSpec plus the defaults of everything inside (templates and pods)."""
    if not isinstance(spec, dict):
        return
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    host_network = spec.get("hostNetwork") is True
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or ():
            container(c, host_network)
    for v in spec.get("volumes") or ():
        _volume(v)


def _pod(pod: dict) -> None:
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    pod_spec(spec)
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or ():
            res = c.get("resources") if isinstance(c, dict) else None
            if isinstance(res, dict) and isinstance(res.get("limits"), dict) and res["limits"]:
                requests = res.get("requests")
                if not isinstance(requests, dict):
                    requests = res["requests"] = {}
                for name, value in res["limits"].items():
                    requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True


def _template(spec: dict) -> None:
    t = spec.get("template")
    if isinstance(t, dict):
        pod_spec(t.get("spec"))


def _replication_controller(rc: dict) -> None:
    spec = rc.get("spec")
    if not isinstance(spec, dict):
        return
    template = spec.get("template")
    labels = None
    if isinstance(template, dict) and isinstance(template.get("metadata"), dict):
        labels = template["metadata"].get("labels")
    if isinstance(labels, dict) and labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = rc.setdefault("metadata", {})
        if isinstance(meta, dict) and not meta.get("labels"):
            meta["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _template(spec)


def _replica_set(rs: dict) -> None:
    spec = rs.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _template(spec)


def _deployment(d: dict) -> None:
    spec = d.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = spec["strategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = strategy["rollingUpdate"] = {}
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = "25%"
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    _template(spec)


def _daemon_set(ds: dict) -> None:
    spec = ds.get("spec")
    if not isinstance(spec, dict):
        return
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = spec["updateStrategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = strategy["rollingUpdate"] = {}
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = 1
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _template(spec)


def _service(svc: dict) -> None:
    spec = svc.get("spec")
    if not isinstance(spec, dict):
        return
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        cfg = spec.get("sessionAffinityConfig")
        if not isinstance(cfg, dict):
            cfg = spec["sessionAffinityConfig"] = {}
        cip = cfg.get("clientIP")
        if not isinstance(cip, dict):
            cip = cfg["clientIP"] = {}
        if cip.get("timeoutSeconds") is None:
            cip["timeoutSeconds"] = 10800
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    stype = spec["type"]
    for port in spec.get("ports") or ():
        if not isinstance(port, dict):
            continue
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, "") and "port" in port:
            port["targetPort"] = port["port"]
    externally = stype in ("LoadBalancer", "NodePort") or (
        stype == "ClusterIP" and bool(spec.get("externalIPs")))
    if externally and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and stype in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if stype == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    if stype != "ExternalName":
        # the registry's single-stack IPv4 family fields (a headless Service without a selector
        # asks for every family the cluster has)
        if spec.get("ipFamilyPolicy") is None:
            headless_no_selector = spec.get("clusterIP") == "None" and not spec.get("selector")
            spec["ipFamilyPolicy"] = "RequireDualStack" if headless_no_selector else "SingleStack"
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4"]


_BY_KIND = {
    "Pod": _pod,
    "ReplicationController": _replication_controller,
    "ReplicaSet": _replica_set,
    "Deployment": _deployment,
    "DaemonSet": _daemon_set,
    "Service": _service,
}


def apply(obj: dict) -> None:
    """Fill in the API server's defaults for `obj`'s kind, in place."""
    fn = _BY_KIND.get(obj.get("kind"))  # type: ignore[arg-type]
    if fn is not None:
        fn(obj)


#: The projected volume the ServiceAccount admission plugin adds to every pod. One object shared by
#: all pods: what the API server stores is never changed in place (writers build new dicts, and
#: readers outside the model get copies), and it saves ten containers per pod.
KUBE_API_ACCESS = {
    "defaultMode": 420,
    "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}},
    ],
}


#: The token volume's name while a controller's pod spec is admitted once for its template; a
#: name no pod can have (`?` is not a DNS label character), replaced by with_token_volume.
TOKEN_PLACEHOLDER = "kube-api-access-?????"


def with_token_volume(spec: dict, suffix5: str) -> dict:
    """The spec admit_pod would have made with `suffix5`, from `spec`, admitted with the
    suffix in TOKEN_PLACEHOLDER: new dicts and lists along the paths that hold the volume's name,
    everything else shared with `spec`."""
    volumes = spec.get("volumes")
    if not volumes or not isinstance(volumes[-1], dict) or \
            volumes[-1].get("name") != TOKEN_PLACEHOLDER:
        return dict(spec)
    name = f"kube-api-access-{suffix5}"
    new = dict(spec)
    new["volumes"] = volumes[:-1] + [{"name": name, "projected": volumes[-1]["projected"]}]
    for key in ("initContainers", "containers"):
        containers = spec.get(key)
        if not containers or not isinstance(containers, list):
            continue
        renamed = []
        for c in containers:
            mounts = c.get("volumeMounts") if isinstance(c, dict) else None
            if mounts and isinstance(mounts, list) and isinstance(mounts[-1], dict) and \
                    mounts[-1].get("name") == TOKEN_PLACEHOLDER:
                c = dict(c)
                c["volumeMounts"] = mounts[:-1] + [{**mounts[-1], "name": name}]
            renamed.append(c)
        new[key] = renamed
    return new


def admit_pod(pod: dict, suffix5: str) -> None:
    """The admission plugins' changes to a new Pod (ServiceAccount, DefaultTolerationSeconds,
    Priority), in place. `suffix5` names the token volume `kube-api-access-<suffix5>`."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec.get("serviceAccount") or "default"
    spec["serviceAccount"] = spec["serviceAccountName"]

    if spec.get("automountServiceAccountToken") is not False:
        containers = [c for key in ("initContainers", "containers")
                      for c in (spec.get(key) or ()) if isinstance(c, dict)]
        has_mount = any(isinstance(m, dict) and m.get("mountPath") == SA_MOUNT_PATH
                        for c in containers for m in (c.get("volumeMounts") or ()))
        if not has_mount:
            name = f"kube-api-access-{suffix5}"
            volumes = spec.get("volumes")
            if not isinstance(volumes, list):
                volumes = spec["volumes"] = []
            volumes.append({"name": name, "projected": KUBE_API_ACCESS})
            for c in containers:
                mounts = c.get("volumeMounts")
                if not isinstance(mounts, list):
                    mounts = c["volumeMounts"] = []
                mounts.append({"mountPath": SA_MOUNT_PATH, "name": name, "readOnly": True})

    tolerations = spec.get("tolerations")
    if not isinstance(tolerations, list):
        tolerations = []
    not_ready = unreachable = False
    for t in tolerations:
        if not isinstance(t, dict):
            continue
        key, effect = t.get("key") or "", t.get("effect") or ""
        if effect in ("", "NoExecute"):
            if key in ("", "node.kubernetes.io/not-ready"):
                not_ready = True
            if key in ("", "node.kubernetes.io/unreachable"):
                unreachable = True
    if not not_ready:
        tolerations.append({"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                            "operator": "Exists", "tolerationSeconds": 300})
    if not unreachable:
        tolerations.append({"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                            "operator": "Exists", "tolerationSeconds": 300})
    spec["tolerations"] = tolerations
    if spec.get("priority") is None:
        spec["priority"] = 0
    if not spec.get("preemptionPolicy"):
        spec["preemptionPolicy"] = "PreemptLowerPriority"
