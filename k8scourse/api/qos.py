"""A pod's QoS class (pkg/apis/core/v1/helper/qos): Guaranteed, Burstable or BestEffort."""

from __future__ import annotations

_COMPUTE = ("cpu", "memory")


def qos_class(pod: dict) -> str:
    """BestEffort with no requests or limits; Guaranteed when every container's requests equal its
    limits for both cpu and memory; Burstable otherwise."""
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    any_set = False
    guaranteed = True
    for c in containers:
        res = (c or {}).get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        if any(req.get(r) not in (None, "0") for r in _COMPUTE) or \
                any(lim.get(r) not in (None, "0") for r in _COMPUTE):
            any_set = True
        for r in _COMPUTE:
            if r not in lim or str(req.get(r, lim.get(r))) != str(lim.get(r)):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"
