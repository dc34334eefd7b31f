"""Build `v1.32.json`, the compact schema k8scourse checks manifests against.

Run at build time only (it needs the kubernetes-validate package, the course does not):

    .venv/bin/python -m k8scourse.api.schemas.build

It reads the Kubernetes v1.32 JSON schemas that kubernetes-validate ships and keeps, for every
definition reachable from the kinds the course serves: the description, the fields with a compact
type descriptor and their Go type name (for decode errors), and which fields are required.

Type descriptors:
    string int32 int64 bool float64 bytes time intstr quantity any
    @Name          a struct (a definition in "defs")
    []<desc>       a list
    {}<desc>       a map with string keys
"""

from __future__ import annotations

import json
import pathlib
import sys

KINDS = {
    # kind: (apiVersion, definition)
    "Pod": ("v1", "io.k8s.api.core.v1.Pod"),
    "Service": ("v1", "io.k8s.api.core.v1.Service"),
    "ReplicationController": ("v1", "io.k8s.api.core.v1.ReplicationController"),
    "ReplicaSet": ("apps/v1", "io.k8s.api.apps.v1.ReplicaSet"),
    "Deployment": ("apps/v1", "io.k8s.api.apps.v1.Deployment"),
    "DaemonSet": ("apps/v1", "io.k8s.api.apps.v1.DaemonSet"),
    "Endpoints": ("v1", "io.k8s.api.core.v1.Endpoints"),
    "Node": ("v1", "io.k8s.api.core.v1.Node"),
    "Namespace": ("v1", "io.k8s.api.core.v1.Namespace"),
    "Event": ("v1", "io.k8s.api.core.v1.Event"),
    "ConfigMap": ("v1", "io.k8s.api.core.v1.ConfigMap"),
}

# Go's reflect type names for fields whose Go type is a named type (the JSON schema loses them).
# They appear in decode errors: `... of type v1.RestartPolicy`.
GO_NAMED = {
    ("Container", "imagePullPolicy"): "v1.PullPolicy",
    ("Container", "terminationMessagePolicy"): "v1.TerminationMessagePolicy",
    ("ContainerPort", "protocol"): "v1.Protocol",
    ("ServicePort", "protocol"): "v1.Protocol",
    ("EndpointPort", "protocol"): "v1.Protocol",
    ("PodSpec", "restartPolicy"): "v1.RestartPolicy",
    ("PodSpec", "dnsPolicy"): "v1.DNSPolicy",
    ("PodSpec", "preemptionPolicy"): "v1.PreemptionPolicy",
    ("PodSpec", "overhead"): "v1.ResourceList",
    ("ResourceRequirements", "limits"): "v1.ResourceList",
    ("ResourceRequirements", "requests"): "v1.ResourceList",
    ("ServiceSpec", "type"): "v1.ServiceType",
    ("ServiceSpec", "sessionAffinity"): "v1.ServiceAffinity",
    ("ServiceSpec", "externalTrafficPolicy"): "v1.ServiceExternalTrafficPolicy",
    ("ServiceSpec", "internalTrafficPolicy"): "v1.ServiceInternalTrafficPolicy",
    ("ServiceSpec", "ipFamilies"): "[]v1.IPFamily",
    ("ServiceSpec", "ipFamilyPolicy"): "v1.IPFamilyPolicy",
    ("DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
    ("DaemonSetUpdateStrategy", "type"): "v1.DaemonSetUpdateStrategyType",
    ("Toleration", "operator"): "v1.TolerationOperator",
    ("Toleration", "effect"): "v1.TaintEffect",
    ("Taint", "effect"): "v1.TaintEffect",
    ("NodeSelectorRequirement", "operator"): "v1.NodeSelectorOperator",
    ("LabelSelectorRequirement", "operator"): "v1.LabelSelectorOperator",
    ("ObjectMeta", "uid"): "types.UID",
    ("OwnerReference", "uid"): "types.UID",
    ("ObjectReference", "uid"): "types.UID",
    ("PodStatus", "phase"): "v1.PodPhase",
    ("PodStatus", "qosClass"): "v1.PodQOSClass",
    ("PodCondition", "type"): "v1.PodConditionType",
    ("PodCondition", "status"): "v1.ConditionStatus",
    ("NamespaceSpec", "finalizers"): "[]v1.FinalizerName",
    ("NamespaceStatus", "phase"): "v1.NamespacePhase",
    ("NodeStatus", "phase"): "v1.NodePhase",
    ("NodeStatus", "capacity"): "v1.ResourceList",
    ("NodeStatus", "allocatable"): "v1.ResourceList",
    ("NodeCondition", "type"): "v1.NodeConditionType",
    ("NodeCondition", "status"): "v1.ConditionStatus",
    ("HostPathVolumeSource", "type"): "v1.HostPathType",
    ("EmptyDirVolumeSource", "medium"): "v1.StorageMedium",
    ("Capabilities", "add"): "[]v1.Capability",
    ("Capabilities", "drop"): "[]v1.Capability",
    ("SecurityContext", "procMount"): "v1.ProcMountType",
    ("HTTPGetAction", "scheme"): "v1.URIScheme",
    ("DeploymentCondition", "type"): "v1.DeploymentConditionType",
    ("DeploymentCondition", "status"): "v1.ConditionStatus",
    ("ReplicaSetCondition", "type"): "v1.ReplicaSetConditionType",
    ("ReplicaSetCondition", "status"): "v1.ConditionStatus",
    ("ReplicationControllerCondition", "type"): "v1.ReplicationControllerConditionType",
    ("ReplicationControllerCondition", "status"): "v1.ConditionStatus",
    ("DaemonSetCondition", "type"): "v1.DaemonSetConditionType",
    ("DaemonSetCondition", "status"): "v1.ConditionStatus",
    ("NodeAddress", "type"): "v1.NodeAddressType",
    ("ServiceSpec", "trafficDistribution"): "string",
    ("ConfigMap", "binaryData"): "map[string][]uint8",
}

SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "intstr",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "time",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "any",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "any",
}


def short(ref: str) -> str:
    return ref.rsplit(".", 1)[1]


def go_package(ref: str) -> str:
    # io.k8s.api.core.v1.X -> v1 ; io.k8s.apimachinery.pkg.apis.meta.v1.X -> v1
    return ref.rsplit(".", 2)[1]


def main(out: pathlib.Path) -> None:
    import kubernetes_validate

    base = pathlib.Path(kubernetes_validate.__file__).parent
    path = base / "kubernetes-json-schema" / "v1.32.0-local-strict" / "_definitions.json"
    defs = json.loads(path.read_text())["$defs"]

    out_defs: dict[str, dict] = {}
    full_names: dict[str, str] = {}
    todo = [d for _, d in KINDS.values()]

    def descriptor(schema: dict, owner: str, prop: str) -> tuple[str, str]:
        """(type descriptor, Go type name)."""
        if "$ref" in schema:
            ref = schema["$ref"].rsplit("/", 1)[1]
            if ref in SPECIAL:
                kind = SPECIAL[ref]
                go = {"intstr": "intstr.IntOrString", "quantity": "resource.Quantity",
                      "time": "v1.Time", "any": "runtime.RawExtension"}[kind]
                return kind, go
            todo.append(ref)
            return "@" + short(ref), f"{go_package(ref)}.{short(ref)}"
        if "allOf" in schema:
            return descriptor(schema["allOf"][0], owner, prop)
        t = schema.get("type")
        if isinstance(t, list):
            t = [x for x in t if x != "null"][0] if len(t) > 1 else t[0]
        fmt = schema.get("format")
        if t == "string":
            if fmt == "byte":
                return "bytes", "[]uint8"
            if fmt == "date-time":
                return "time", "v1.Time"
            return "string", "string"
        if t == "integer":
            return ("int64", "int64") if fmt == "int64" else ("int32", "int32")
        if t == "boolean":
            return "bool", "bool"
        if t == "number":
            return "float64", "float64"
        if t == "array":
            d, go = descriptor(schema.get("items", {}), owner, prop)
            return "[]" + d, "[]" + go
        if t == "object":
            ap = schema.get("additionalProperties")
            if isinstance(ap, dict):
                d, go = descriptor(ap, owner, prop)
                return "{}" + d, f"map[string]{go}"
            return "any", "map[string]interface {}"
        return "any", "interface {}"

    while todo:
        ref = todo.pop()
        name = short(ref)
        if name in out_defs:
            if full_names[name] != ref:
                raise SystemExit(f"name clash: {ref} vs {full_names[name]}")
            continue
        schema = defs[ref]
        full_names[name] = ref
        entry: dict = {"description": schema.get("description", ""), "fields": {}}
        out_defs[name] = entry
        for prop, pschema in (schema.get("properties") or {}).items():
            d, go = descriptor(pschema, name, prop)
            go = GO_NAMED.get((name, prop), go)
            desc = pschema.get("description", "")
            entry["fields"][prop] = [d, go, desc]
        if schema.get("required"):
            entry["required"] = sorted(schema["required"])

    data = {
        "version": "v1.32.0",
        "source": "kubernetes-validate v1.32.0-local-strict _definitions.json",
        "kinds": {k: [v, short(d)] for k, (v, d) in KINDS.items()},
        "defs": {k: out_defs[k] for k in sorted(out_defs)},
    }
    out.write_text(json.dumps(data, indent=0, sort_keys=False, ensure_ascii=False) + "\n")
    print(f"wrote {out} ({len(out_defs)} definitions, {out.stat().st_size} bytes)")


if __name__ == "__main__":
    target = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).with_name("v1.32.json")
    main(target)
