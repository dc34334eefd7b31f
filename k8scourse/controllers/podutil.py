"""What the workload controllers share, as pkg/controller/controller_utils.go and friends keep it.

* label selectors (metav1.LabelSelector with matchLabels and matchExpressions, and the plain maps
  of v1 ReplicationControllers and Services), with the text `labels.Selector.String()` gives;
* node selection for DaemonSets (nodeSelector, required node affinity, taints and tolerations);
* pod readiness and availability (pkg/api/v1/pod/util.go);
* controller ownerReferences (metav1.NewControllerRef, adoption and release);
* the order in which a ReplicaSet gives up pods (ActivePodsWithRanks);
* ComputeHash (the pod-template-hash / controller-revision-hash) and slow-start batches.

Everything here reads the dicts it is given and never changes them.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from functools import cmp_to_key, lru_cache
from typing import Callable, Iterable, Sequence

from k8scourse.api import labels as _labels
from k8scourse.errors import K8sError

#: apimachinery util/rand: the alphabet SafeEncodeString maps bytes onto.
_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"

#: ReplicaSets create pods in batches 1, 2, 4, ... (controller.SlowStartInitialBatchSize).
SLOW_START_INITIAL_BATCH_SIZE = 1

POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"

Matcher = Callable[[dict], bool]


# ------------------------------------------------------------------------------------------------
# label selectors
# one implementation, k8scourse.api.labels; these names stay for the controllers and their tests
compile_selector = _labels.compile_selector
compile_set_selector = _labels.compile_set
selector_matches = _labels.matches
set_selector_matches = _labels.set_matches


def selector_string(selector: dict | None, *, plain: bool = False) -> str:
    """The selector as `labels.Selector.String()` writes it: `app=web,tier in (a,b),!canary`."""
    return _labels.set_string(selector) if plain else _labels.selector_string(selector)


def labels_of(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("labels") or {}


# ------------------------------------------------------------------------------------------------
# nodes: node affinity, taints and tolerations
def _node_requirement_matches(req: dict, values_of: Callable[[str], str | None]) -> bool:
    op = req.get("operator")
    value = values_of(req.get("key", ""))
    values = req.get("values") or []
    if op == "In":
        return value is not None and value in values
    if op == "NotIn":
        return value is None or value not in values
    if op == "Exists":
        return value is not None
    if op == "DoesNotExist":
        return value is None
    if op in ("Gt", "Lt"):
        if value is None or len(values) != 1:
            return False
        try:
            have, want = int(value), int(values[0])
        except ValueError:
            return False
        return have > want if op == "Gt" else have < want
    return False


def node_selector_term_matches(term: dict, node: dict) -> bool:
    """One NodeSelectorTerm: all its matchExpressions (labels) and matchFields (metadata.name).
    A term with neither matches no node."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    labels = labels_of(node)
    name = node["metadata"].get("name")
    for r in exprs:
        if not _node_requirement_matches(r, labels.get):
            return False
    for r in fields:
        if r.get("key") != "metadata.name":
            return False
        if not _node_requirement_matches(r, lambda _k: name):
            return False
    return True


def required_node_affinity_matches(pod_spec: dict, node: dict) -> bool:
    """nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): spec.nodeSelector and the required
    node affinity terms (any term may match)."""
    node_selector = pod_spec.get("nodeSelector") or {}
    if node_selector:
        labels = labels_of(node)
        for k, v in node_selector.items():
            if labels.get(k) != v:
                return False
    required = (((pod_spec.get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if required is None:
        return True
    return any(node_selector_term_matches(t, node) for t in required.get("nodeSelectorTerms") or [])


def toleration_tolerates(toleration: dict, taint: dict) -> bool:
    """v1.Toleration.ToleratesTaint."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    op = toleration.get("operator") or ""
    if op in ("", "Equal"):
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return op == "Exists"


def find_untolerated_taint(taints: Iterable[dict], tolerations: Sequence[dict],
                           effects: Iterable[str] = ("NoSchedule", "NoExecute")) -> dict | None:
    """The first taint with one of `effects` that no toleration tolerates (v1helper
    FindMatchingUntoleratedTaint), or None."""
    effects = tuple(effects)
    for taint in taints or ():
        if taint.get("effect") not in effects:
            continue
        if not any(toleration_tolerates(t, taint) for t in tolerations or ()):
            return taint
    return None


def taint_text(taint: dict) -> str:
    """`key=value:Effect` (or `key:Effect`), as describe and the scheduler write a taint."""
    value = taint.get("value")
    return f"{taint.get('key')}={value}:{taint.get('effect')}" if value else \
        f"{taint.get('key')}:{taint.get('effect')}"


def add_or_update_toleration(tolerations: list[dict], toleration: dict) -> list[dict]:
    """v1helper.AddOrUpdateTolerationInPodSpec on a list: a new list where a toleration with the
    same key, operator, value and effect is replaced (or the toleration appended)."""
    def same(t: dict) -> bool:
        return ((t.get("key") or "") == (toleration.get("key") or "") and
                (t.get("operator") or "Equal") == (toleration.get("operator") or "Equal") and
                (t.get("value") or "") == (toleration.get("value") or "") and
                (t.get("effect") or "") == (toleration.get("effect") or ""))
    out: list[dict] = []
    updated = False
    for t in tolerations:
        if same(t):
            if t == toleration:
                return list(tolerations)
            out.append(dict(toleration))
            updated = True
        else:
            out.append(t)
    if not updated:
        out.append(dict(toleration))
    return out


# ------------------------------------------------------------------------------------------------
# pods: activity, readiness, availability
def is_pod_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def is_pod_active(pod: dict) -> bool:
    """controller.IsPodActive: not Succeeded, not Failed, not being deleted."""
    return (not pod["metadata"].get("deletionTimestamp") and
            (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))


def ready_condition(pod: dict) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c
    return None


def ready_signature(pod: dict) -> tuple | None:
    """(status, lastTransitionTime) of the Ready condition: what readiness watchers compare."""
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return (c.get("status"), c.get("lastTransitionTime"))
    return None


def is_pod_ready(pod: dict) -> bool:
    """podutil.IsPodReady: the Ready condition is True."""
    c = ready_condition(pod)
    return c is not None and c.get("status") == "True"


@lru_cache(maxsize=4096)
def timestamp_seconds(ts: str) -> float:
    """Seconds since the Unix epoch of an RFC 3339 timestamp such as `2025-01-01T00:00:05Z`."""
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(timezone.utc).timestamp()


def pod_ready_since(pod: dict) -> float | None:
    """When the pod last became Ready (Unix seconds), or None when it is not ready."""
    c = ready_condition(pod)
    if c is None or c.get("status") != "True" or not c.get("lastTransitionTime"):
        return None
    return timestamp_seconds(c["lastTransitionTime"])


def is_pod_available(pod: dict, min_ready_seconds: int, now: float) -> bool:
    """podutil.IsPodAvailable: ready, and ready for longer than minReadySeconds (`now` in Unix
    seconds; the transition time plus minReadySeconds must be strictly before now)."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = pod_ready_since(pod)
    return since is not None and since + min_ready_seconds < now


def unix_now(clock) -> float:
    """The simulated now in Unix seconds (timestamps and `now` on one scale)."""
    return clock.epoch.timestamp() + clock.now


# ------------------------------------------------------------------------------------------------
# owner references
def controller_ref(obj: dict) -> dict | None:
    """metav1.GetControllerOf: the ownerReference with controller: true, or None."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def new_controller_ref(owner: dict, api_version: str | None = None,
                       kind: str | None = None) -> dict:
    """metav1.NewControllerRef: controller and blockOwnerDeletion both true."""
    m = owner["metadata"]
    return {"apiVersion": api_version or owner.get("apiVersion"), "kind": kind or owner.get("kind"),
            "name": m["name"], "uid": m["uid"], "controller": True, "blockOwnerDeletion": True}


def with_owner_ref(obj: dict, ref: dict) -> dict:
    """A new dict: `obj` with `ref` added to its ownerReferences (what adoption patches)."""
    new = dict(obj)
    meta = dict(obj["metadata"])
    meta["ownerReferences"] = [r for r in meta.get("ownerReferences") or ()
                               if r.get("uid") != ref["uid"]] + [dict(ref)]
    new["metadata"] = meta
    return new


def without_owner_ref(obj: dict, uid: str) -> dict:
    """A new dict: `obj` without the ownerReference to `uid` (release, orphaning)."""
    new = dict(obj)
    meta = dict(obj["metadata"])
    refs = [r for r in meta.get("ownerReferences") or () if r.get("uid") != uid]
    if refs:
        meta["ownerReferences"] = refs
    else:
        meta.pop("ownerReferences", None)
    new["metadata"] = meta
    return new


def pod_from_template(template: dict, owner: dict, ref: dict | None) -> dict:
    """controller.GetPodFromTemplate: a pod named `<owner>-` plus the API server's suffix, with the
    template's labels, annotations and finalizers, the controller reference and the spec.

    The spec is a shallow copy: `api.create` copies what it is given before changing anything.
    """
    tmeta = template.get("metadata") or {}
    owner_meta = owner["metadata"]
    meta: dict = {"generateName": f"{owner_meta['name']}-",
                  "namespace": owner_meta.get("namespace", "default")}
    meta["labels"] = dict(tmeta.get("labels") or {})
    if tmeta.get("annotations"):
        meta["annotations"] = dict(tmeta["annotations"])
    if ref is not None:
        meta["ownerReferences"] = [dict(ref)]
    if tmeta.get("finalizers"):
        meta["finalizers"] = list(tmeta["finalizers"])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": dict(template.get("spec") or {})}


# ------------------------------------------------------------------------------------------------
# which pods to delete first: controller.ActivePodsWithRanks
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def deletion_cost(pod: dict) -> int:
    """controller.kubernetes.io/pod-deletion-cost, 0 when absent or not an int32."""
    raw = ((pod.get("metadata") or {}).get("annotations") or {}).get(POD_DELETION_COST)
    if raw is None:
        return 0
    try:
        cost = int(str(raw).strip())
    except ValueError:
        return 0
    return cost if -2 ** 31 <= cost < 2 ** 31 else 0


def _log_rank(t: float | None, now: float) -> int | None:
    """floor(log2(now - t)) with the duration in nanoseconds, -1 when not positive."""
    if t is None:
        return None
    d = (now - t) * 1e9
    return int(math.log2(d)) if d > 0 else -1


class _Ranked:
    __slots__ = ("pod", "unassigned", "phase", "ready", "cost", "rank", "ready_at", "ready_log",
                 "restarts", "created", "created_log", "uid")

    def __init__(self, pod: dict, rank: int, now: float | None):
        self.pod = pod
        spec = pod.get("spec") or {}
        status = pod.get("status") or {}
        meta = pod["metadata"]
        self.unassigned = not spec.get("nodeName")
        self.phase = _PHASE_ORDINAL.get(status.get("phase"), 0)
        self.ready = is_pod_ready(pod)
        self.cost = deletion_cost(pod)
        self.rank = rank
        self.ready_at = pod_ready_since(pod) if self.ready else None
        self.ready_log = _log_rank(self.ready_at, now) if now is not None else None
        self.restarts = max((c.get("restartCount", 0) for c in status.get("containerStatuses") or ()),
                            default=0)
        ts = meta.get("creationTimestamp")
        self.created = timestamp_seconds(ts) if ts else None
        self.created_log = _log_rank(self.created, now) if now is not None else None
        self.uid = meta.get("uid", "")


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _less(a: _Ranked, b: _Ranked) -> bool:
    """ActivePodsWithRanks.Less: whether `a` should be deleted before `b`."""
    # 1. unassigned < assigned
    if a.unassigned != b.unassigned:
        return a.unassigned
    # 2. Pending < Unknown < Running
    if a.phase != b.phase:
        return a.phase < b.phase
    # 3. not ready < ready
    if a.ready != b.ready:
        return not a.ready
    # 4. lower pod-deletion-cost first
    if a.cost != b.cost:
        return a.cost < b.cost
    # 5. doubled up (more related pods on the same node) first
    if a.rank != b.rank:
        return a.rank > b.rank
    # 6. ready for a shorter time first, compared on a log scale, UID when the scale ties
    if a.ready and b.ready and a.ready_at != b.ready_at:
        if a.ready_log is None or a.ready_at is None or b.ready_at is None:
            return _after_or_zero(a.ready_at, b.ready_at)
        if a.ready_log != b.ready_log:
            return a.ready_log < b.ready_log
        return a.uid < b.uid
    # 7. more container restarts first
    if a.restarts != b.restarts:
        return a.restarts > b.restarts
    # 8. newer first (log scale, UID when the scale ties)
    if a.created != b.created:
        if a.created_log is None or a.created is None or b.created is None:
            return _after_or_zero(a.created, b.created)
        if a.created_log != b.created_log:
            return a.created_log < b.created_log
        return a.uid < b.uid
    return False


def _cmp(a: _Ranked, b: _Ranked) -> int:
    if _less(a, b):
        return -1
    if _less(b, a):
        return 1
    return 0


def rank_pods_for_deletion(pods: Sequence[dict], ranks: Sequence[int] | None = None,
                           now: float | None = None, limit: int | None = None) -> list[dict]:
    """`pods` in the order a ReplicaSet gives them up (ActivePodsWithRanks), the first `limit`.

    `ranks[i]` is the number of related active pods on pods[i]'s node; `now` (Unix seconds)
    enables the logarithmic comparison of ready and creation times (LogarithmicScaleDown).
    """
    ranks = ranks if ranks is not None else [0] * len(pods)
    items = [_Ranked(p, r, now) for p, r in zip(pods, ranks)]
    key = cmp_to_key(_cmp)
    if limit is not None and limit < len(items):
        import heapq
        chosen = heapq.nsmallest(limit, items, key=key)
    else:
        chosen = sorted(items, key=key)
    return [r.pod for r in chosen]


def deletion_reason(pod: dict) -> str:
    """A few words on why a pod is among the first to go (for the trace)."""
    if not (pod.get("spec") or {}).get("nodeName"):
        return "not scheduled yet"
    phase = (pod.get("status") or {}).get("phase")
    if phase != "Running":
        return phase.lower() if phase else "pending"
    if not is_pod_ready(pod):
        return "not ready"
    return "newest"


# ------------------------------------------------------------------------------------------------
# ComputeHash, intstr, slow start
def fnv32a(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode_string(s: str) -> str:
    """rand.SafeEncodeString: every byte mapped onto the vowel-free alphabet."""
    return "".join(_ALPHANUMS[ord(c) % len(_ALPHANUMS)] for c in s)


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """controller.ComputeHash: fnv32a of the pod template (here its canonical JSON, so the value
    depends on the template's content only, not on key order) plus the collision count, written
    as decimal digits and safe-encoded: `6d8f5c9b4c`, only [4-9bcdf]."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")
    if collision_count is not None:
        data += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + b"\0\0\0\0"
    return safe_encode_string(str(fnv32a(data)))


def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent: `25%` of `total` (rounded up or down) or the int."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    s = str(value)
    if not s.endswith("%"):
        try:
            return int(s)
        except ValueError:
            raise ValueError(f"invalid value for IntOrString: invalid type: string is not a "
                             f"percentage") from None
    pct = int(s[:-1])
    v = pct * total / 100
    return int(math.ceil(v)) if round_up else int(math.floor(v))


def slow_start_batch(count: int, fn: Callable[[], K8sError | None],
                     initial: int = SLOW_START_INITIAL_BATCH_SIZE) -> tuple[int, K8sError | None]:
    """Call `fn` `count` times in batches 1, 2, 4, ...; a batch with a failure ends it.

    `fn` returns None on success or the error. Returns (successes, first error)."""
    remaining = count
    successes = 0
    batch = min(remaining, initial)
    while batch > 0:
        errors = [e for e in (fn() for _ in range(batch)) if e is not None]
        successes += batch - len(errors)
        if errors:
            return successes, errors[0]
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None
