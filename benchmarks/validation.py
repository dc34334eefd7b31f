"""Our decode/default/validate pipeline against kubernetes-validate on 1,000 varied manifests.

    .venv/bin/python benchmarks/validation.py

Prints both throughputs, their ratio, and how often the two agree on valid/invalid for the
problems both check (schema level: unknown fields, wrong types, missing required fields).
Figures only: nothing passes or fails on time.
"""

from __future__ import annotations

import copy
import random
import time

from k8scourse.api import defaults, schema, strict
from k8scourse.api.validation import validate


def base_manifests() -> list[dict]:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
           "spec": {"containers": [{"name": "web", "image": "nginx:1.25",
                                    "ports": [{"containerPort": 80}],
                                    "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}]}}
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                       "template": {"metadata": {"labels": {"app": "web"}},
                                    "spec": copy.deepcopy(pod["spec"])}}}
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"type": "NodePort", "selector": {"app": "web"},
                    "ports": [{"port": 80, "targetPort": 80, "nodePort": 30080}]}}
    return [pod, deploy, svc]


def _containers(obj: dict) -> list:
    spec = obj["spec"]
    return (spec.get("template", {}).get("spec", spec)).get("containers", [])


def mutate(rng: random.Random, obj: dict) -> tuple[dict, str]:
    """A copy with one kind of problem (or none); the label says which."""
    o = copy.deepcopy(obj)
    choice = rng.randrange(8)
    if choice == 0:
        return o, "valid"
    if choice == 1:
        o["spec"][rng.choice(["replicaz", "contianers", "selecter"])] = 1
        return o, "unknown field"
    if choice == 2 and _containers(o):
        _containers(o)[0]["imagePullPolice"] = "Always"
        return o, "unknown field"
    if choice == 3 and o["kind"] == "Deployment":
        o["spec"]["replicas"] = str(o["spec"]["replicas"])
        return o, "wrong type"
    if choice == 4 and _containers(o):
        _containers(o)[0]["ports"][0]["containerPort"] = "80"
        return o, "wrong type"
    if choice == 5 and _containers(o):
        del _containers(o)[0]["name"]
        return o, "missing required"
    if choice == 6:
        o["metadata"]["name"] = rng.choice(["Web_1", "-x", "ok-name"])
        return o, "bad name (semantic only)"
    o["metadata"]["labels"] = {"tier": "front"}
    return o, "valid"


def ours(obj: dict) -> tuple[bool, bool]:
    """(schema-level valid, fully valid)."""
    err = strict.decode_error(obj)
    if err:
        return False, False
    kind = obj["kind"]
    d = schema.kind_definition(kind)
    missing = _missing_required(obj, d.name) if d else False
    o = copy.deepcopy(obj)
    o["metadata"].setdefault("namespace", "default")
    defaults.apply(o)
    return not missing, not missing and not validate(o)


def _missing_required(value, def_name: str) -> bool:
    d = schema.definition(def_name)
    if not isinstance(value, dict):
        return False
    if any(r not in value for r in d.required):
        return True
    for k, v in value.items():
        f = d.fields.get(k)
        if f is None:
            continue
        t = f.type
        if t.startswith("@") and _missing_required(v, t[1:]):
            return True
        if t.startswith("[]@") and isinstance(v, list) and any(_missing_required(x, t[3:]) for x in v):
            return True
    return False


def main() -> None:
    rng = random.Random(1032)
    bases = base_manifests()
    cases = [mutate(rng, rng.choice(bases)) for _ in range(1000)]

    t0 = time.perf_counter()
    our_verdicts = [ours(o) for o, _ in cases]
    t_ours = time.perf_counter() - t0

    try:
        import kubernetes_validate
    except ImportError:
        print("kubernetes-validate is not installed: only our figure")
        print(f"ours: {len(cases) / t_ours:,.0f} manifests/s")
        return
    t0 = time.perf_counter()
    theirs = []
    for o, _ in cases:
        try:
            kubernetes_validate.validate(o, "1.32.0", strict=True)
            theirs.append(True)
        except Exception:
            theirs.append(False)
    t_theirs = time.perf_counter() - t0

    print(f"ours (decode + defaults + validate): {len(cases) / t_ours:10,.0f} manifests/s")
    print(f"kubernetes_validate (strict schema):  {len(cases) / t_theirs:10,.0f} manifests/s")
    print(f"ratio: ours is {t_theirs / t_ours:.1f}x faster")
    agree = sum(1 for (s, _), v in zip(our_verdicts, theirs) if s == v)
    print(f"schema-level verdicts agree on {agree} of {len(cases)}")
    by_label: dict[str, list[int]] = {}
    for (o, label), (s, full), v in zip(cases, our_verdicts, theirs):
        entry = by_label.setdefault(label, [0, 0, 0])
        entry[0] += 1
        entry[1] += s == v
        entry[2] += not full
    for label, (count, same, rejected) in sorted(by_label.items()):
        print(f"  {label:28s} {count:4d} cases, schema verdict agrees {same:4d}, we reject {rejected:4d}")


if __name__ == "__main__":
    main()
