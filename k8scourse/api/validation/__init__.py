"""API validation: every field error of an object, in Kubernetes' order and words.

    >>> from k8scourse.api.validation import validate
    >>> [str(e) for e in validate({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x",
    ...     "namespace": "default"}, "spec": {"containers": [], "restartPolicy": "Always",
    ...     "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30}})]
    ['spec.containers: Required value']

Objects are validated as the API server does: after defaulting (`k8scourse.api.defaults.apply`),
with `metadata.namespace` already set for namespaced kinds. With `old`, the update rules apply too
(immutable fields, the pod update restrictions).
"""

from __future__ import annotations

from k8scourse.api.field import FieldError
from k8scourse.api.validation import apps, core

__all__ = ["validate"]

_CREATE = {
    "Pod": core.validate_pod,
    "Service": core.validate_service,
    "ReplicationController": core.validate_replication_controller,
    "Namespace": core.validate_namespace,
    "ConfigMap": core.validate_config_map,
    "Node": core.validate_node,
    "Endpoints": core.validate_simple,
    "Event": core.validate_simple,
    "Deployment": apps.validate_deployment,
    "ReplicaSet": apps.validate_replica_set,
    "DaemonSet": apps.validate_daemon_set,
}


def _strip_meta(errs: list[FieldError]) -> list[FieldError]:
    return [e for e in errs if not e.field.startswith("metadata.")]


def validate(obj: dict, old: dict | None = None) -> list[FieldError]:
    """Every field error of `obj` (a create), or of the update from `old` to `obj`."""
    kind = obj.get("kind")
    fn = _CREATE.get(kind)  # type: ignore[arg-type]
    if fn is None:
        return []
    if old is None:
        return fn(obj)
    if kind == "Pod":
        return core.validate_pod_update(obj, old)
    if kind == "Service":
        return core.validate_service_update(obj, old)
    # ValidateObjectMetaUpdate first, then the spec as on create, then (strategy) the selector
    errs = core.validate_object_meta_update(obj.get("metadata"), old.get("metadata"))
    errs += _strip_meta(fn(obj))
    if kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        errs += apps.immutable_selector(obj, old)
    return errs
