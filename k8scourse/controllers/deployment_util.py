"""What the Deployment controller and `kubectl rollout` share: the rules of a rollout.

Two halves, as in Kubernetes:

* the controller's arithmetic (pkg/controller/deployment/util/deployment_util.go and
  pkg/controller/controller_utils.go): fenceposts, the pod-template-hash, revisions, which
  ReplicaSet is new, proportional scaling, the Available/Progressing conditions;
* kubectl's client-side rollout commands (staging/src/k8s.io/kubectl/pkg/polymorphichelpers:
  rollout_status.go, history.go, rollback.go, objectpauser/resumer/restarter.go): pure functions on
  the cluster that return what kubectl prints, or raise ClientError with kubectl's words.

Objects are plain dicts in Kubernetes' JSON shape; nothing here edits a dict it is given.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable

from k8scourse.api import labels as _labels
from k8scourse.apiserver.store import clone
from k8scourse.errors import ClientError, StatusError

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster

# ---------------------------------------------------------------------------------------------
# names Kubernetes gives things

#: The label the controller adds to a ReplicaSet's selector, labels and pod template.
POD_TEMPLATE_HASH = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE = "kubernetes.io/change-cause"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
DEPRECATED_ROLLBACK_TO = "deprecated.deployment.rollback.to"

#: Deployment annotations never copied onto its ReplicaSets (skipCopyAnnotation), and the ones
#: a rollback keeps from the Deployment rather than taking from the ReplicaSet.
ANNOTATIONS_TO_SKIP = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
                                 MAX_REPLICAS, DEPRECATED_ROLLBACK_TO})

#: Longest revision-history annotation the controller keeps (maxRevHistoryLengthInChars).
MAX_REV_HISTORY_CHARS = 2000

# condition reasons (deployment_util.go)
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"
NEW_RS_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
RS_UPDATED_REASON = "ReplicaSetUpdated"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
FAILED_RS_CREATE_REASON = "ReplicaSetCreateError"
PAUSED_REASON = "DeploymentPaused"
RESUMED_REASON = "DeploymentResumed"

#: rand.SafeEncodeString's alphabet (no vowels, no 0/1/3: nothing spells a word).
_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"


# ---------------------------------------------------------------------------------------------
# small readers

def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def replicas(obj: dict) -> int:
    """spec.replicas (the API server defaults it to 1)."""
    r = _spec(obj).get("replicas")
    return 1 if r is None else int(r)


def annotations(obj: dict) -> dict:
    return _meta(obj).get("annotations") or {}


def controller_ref(obj: dict) -> dict | None:
    """The ownerReference with controller: true, if any (metav1.GetControllerOf)."""
    for ref in _meta(obj).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def is_controlled_by(obj: dict, owner: dict) -> bool:
    ref = controller_ref(obj)
    return ref is not None and ref.get("uid") == _meta(owner).get("uid")


def creation_key(rs: dict) -> tuple[str, str]:
    """ReplicaSetsByCreationTimestamp: older first, then by name."""
    m = _meta(rs)
    return (m.get("creationTimestamp") or "", m.get("name", ""))


# ---------------------------------------------------------------------------------------------
# label selectors (metav1.LabelSelectorAsSelector)

# one implementation, k8scourse.api.labels; these names stay for the deployment controller
selector_matches = _labels.matches
selector_is_empty = _labels.is_empty
format_selector = _labels.format_selector  # metav1.FormatLabelSelector, for trace sentences


# ---------------------------------------------------------------------------------------------
# fenceposts (ResolveFenceposts, intstr.GetScaledValueFromIntOrPercent)

def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """An IntOrString resolved against `total`: `3` is 3, `"25%"` of 10 is 3 (up) or 2 (down)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(f"invalid value for IntOrString: {value!r}")
    if isinstance(value, int):
        return value
    s = str(value)
    if not s.endswith("%"):
        raise ValueError("invalid value for IntOrString: invalid type: string is not a percentage")
    try:
        pct = int(s[:-1])
    except ValueError:
        raise ValueError(f'invalid value "{s}": strconv.Atoi: parsing "{s[:-1]}": invalid syntax') \
            from None
    num = pct * total
    # integer arithmetic is exact where Go's float64 math.Ceil/Floor is exact too
    return -((-num) // 100) if round_up else num // 100


def resolve_fenceposts(max_surge: int | str | None, max_unavailable: int | str | None,
                       desired: int) -> tuple[int, int]:
    """(surge, unavailable) for `desired` replicas; when both round to 0, unavailable is 1."""
    surge = scaled_value(0 if max_surge is None else max_surge, desired, True)
    unavailable = scaled_value(0 if max_unavailable is None else max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def is_rolling_update(d: dict) -> bool:
    return ((_spec(d).get("strategy") or {}).get("type") or "RollingUpdate") == "RollingUpdate"


def _rolling(d: dict) -> dict:
    return (_spec(d).get("strategy") or {}).get("rollingUpdate") or {}


def max_surge(d: dict) -> int:
    """MaxSurge: how many pods above spec.replicas a rolling update may run (0 for Recreate)."""
    if not is_rolling_update(d):
        return 0
    ru = _rolling(d)
    return resolve_fenceposts(ru.get("maxSurge", "25%"), ru.get("maxUnavailable", "25%"),
                              replicas(d))[0]


def max_unavailable(d: dict) -> int:
    """MaxUnavailable: how many of spec.replicas may be unavailable (capped at spec.replicas)."""
    n = replicas(d)
    if not is_rolling_update(d) or n == 0:
        return 0
    ru = _rolling(d)
    unavailable = resolve_fenceposts(ru.get("maxSurge", "25%"), ru.get("maxUnavailable", "25%"),
                                     n)[1]
    return min(unavailable, n)


def min_available(d: dict) -> int:
    if not is_rolling_update(d):
        return 0
    return replicas(d) - max_unavailable(d)


# ---------------------------------------------------------------------------------------------
# the pod-template-hash (controller.ComputeHash)

def fnv32a(data: bytes) -> int:
    """The 32-bit FNV-1a hash (hash/fnv New32a)."""
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode_string(s: str) -> str:
    """rand.SafeEncodeString: each byte mapped into an alphabet that cannot spell words."""
    return "".join(_ALPHANUMS[ord(c) % len(_ALPHANUMS)] for c in s)


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    """The pod-template-hash of a pod template: a digit string of fnv32a, safely encoded.

    Kubernetes hashes a spew dump of the PodTemplateSpec; here the dump is the template's JSON
    with sorted keys, so the hash depends on the template's content only (never on map order,
    run, or seed). As in Kubernetes the collision count, when set, is fed in as 8 little-endian
    bytes, so a collision yields a different name.
    """
    data = json.dumps(template, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")
    if collision_count is not None:
        data += (int(collision_count) & 0xFFFFFFFF).to_bytes(4, "little") + b"\0\0\0\0"
    return safe_encode_string(str(fnv32a(data)))


def _is_empty(v: Any) -> bool:
    return v is None or v == {} or v == []


def _semantic(v: Any) -> Any:
    """A form where nil and empty maps/lists are alike (apiequality.Semantic.DeepEqual)."""
    if isinstance(v, dict):
        return {k: _semantic(x) for k, x in v.items() if not _is_empty(x)}
    if isinstance(v, list):
        return [_semantic(x) for x in v]
    return v


def _without_hash(template: dict) -> dict:
    meta = template.get("metadata") or {}
    labels = meta.get("labels") or {}
    if POD_TEMPLATE_HASH not in labels:
        return template
    labels = {k: v for k, v in labels.items() if k != POD_TEMPLATE_HASH}
    return {**template, "metadata": {**meta, "labels": labels}}


def equal_ignore_hash(t1: dict | None, t2: dict | None) -> bool:
    """Whether two pod templates are equal apart from their pod-template-hash label."""
    a, b = _without_hash(t1 or {}), _without_hash(t2 or {})
    if a == b:
        return True
    return _semantic(a) == _semantic(b)


# ---------------------------------------------------------------------------------------------
# revisions and annotations

def revision(obj: dict) -> int:
    """The deployment.kubernetes.io/revision annotation as a number (0 when missing).

    Raises ValueError when the annotation is not a number, as deploymentutil.Revision does.
    """
    v = annotations(obj).get(REVISION)
    if v is None:
        return 0
    return int(v)


def max_revision(rss: Iterable[dict]) -> int:
    best = 0
    for rs in rss:
        try:
            best = max(best, revision(rs))
        except ValueError:
            continue
    return best


def _int_annotation(obj: dict, key: str) -> int | None:
    v = annotations(obj).get(key)
    if v is None:
        return None
    try:
        return int(v)
    except ValueError:
        return None


def desired_replicas_annotation(rs: dict) -> int | None:
    return _int_annotation(rs, DESIRED_REPLICAS)


def replicas_annotations_need_update(rs: dict, desired: int, max_replicas: int) -> bool:
    ann = annotations(rs)
    return ann.get(DESIRED_REPLICAS) != str(desired) or ann.get(MAX_REPLICAS) != str(max_replicas)


def set_new_rs_annotations(d: dict, rs_annotations: dict, new_revision: str, exists: bool,
                           limit: int = MAX_REV_HISTORY_CHARS) -> bool:
    """SetNewReplicaSetAnnotations on a mutable annotations dict; True when anything changed.

    Copies the Deployment's own annotations (not the skipped ones), raises the revision to
    `new_revision` when it is higher (keeping the old number in revision-history: a rollback), and
    for a ReplicaSet about to be created sets desired-replicas and max-replicas.
    """
    changed = False
    for k, v in annotations(d).items():
        if k in ANNOTATIONS_TO_SKIP or rs_annotations.get(k) == v:
            continue
        rs_annotations[k] = v
        changed = True
    old_revision = rs_annotations.get(REVISION)
    had_revision = old_revision is not None
    try:
        old_int = int(old_revision) if old_revision not in (None, "") else 0
    except ValueError:
        return False
    try:
        new_int = int(new_revision)
    except ValueError:
        return False
    if old_int < new_int:
        rs_annotations[REVISION] = new_revision
        changed = True
    if had_revision and old_int < new_int:
        history = rs_annotations.get(REVISION_HISTORY, "")
        olds = history.split(",")
        if not olds[0]:
            rs_annotations[REVISION_HISTORY] = old_revision
        else:
            total = len(history) + len(old_revision) + 1
            start = 0
            while total > limit and start < len(olds):
                total -= len(olds[start]) + 1
                start += 1
            if total <= limit:
                rs_annotations[REVISION_HISTORY] = ",".join(olds[start:] + [old_revision])
    if not exists:
        n = replicas(d)
        desired, mx = str(n), str(n + max_surge(d))
        if rs_annotations.get(DESIRED_REPLICAS) != desired:
            rs_annotations[DESIRED_REPLICAS] = desired
            changed = True
        if rs_annotations.get(MAX_REPLICAS) != mx:
            rs_annotations[MAX_REPLICAS] = mx
            changed = True
    return changed


# ---------------------------------------------------------------------------------------------
# which ReplicaSet is which

def find_new_replica_set(d: dict, rs_list: list[dict]) -> dict | None:
    """The oldest ReplicaSet whose template equals the Deployment's (ignoring the hash label)."""
    template = _spec(d).get("template")
    for rs in sorted(rs_list, key=creation_key):
        if equal_ignore_hash(_spec(rs).get("template"), template):
            return rs
    return None


def find_old_replica_sets(d: dict, rs_list: list[dict],
                          new_rs: dict | None = None) -> tuple[list[dict], list[dict]]:
    """(old ReplicaSets with pods, all old ReplicaSets), oldest first."""
    if new_rs is None:
        new_rs = find_new_replica_set(d, rs_list)
    new_uid = _meta(new_rs).get("uid") if new_rs is not None else None
    required, allold = [], []
    for rs in sorted(rs_list, key=creation_key):
        if new_uid is not None and _meta(rs).get("uid") == new_uid:
            continue
        allold.append(rs)
        if replicas(rs) != 0:
            required.append(rs)
    return required, allold


def active(rss: Iterable[dict | None]) -> list[dict]:
    """FilterActiveReplicaSets: the ReplicaSets that want at least one pod."""
    return [rs for rs in rss if rs is not None and replicas(rs) > 0]


def spec_replicas_sum(rss: Iterable[dict | None]) -> int:
    """GetReplicaCountForReplicaSets: the pods the ReplicaSets want."""
    return sum(replicas(rs) for rs in rss if rs is not None)


def _status_sum(rss: Iterable[dict | None], field: str) -> int:
    return sum(int(_status(rs).get(field) or 0) for rs in rss if rs is not None)


def actual_replicas_sum(rss: Iterable[dict | None]) -> int:
    """GetActualReplicaCountForReplicaSets: the pods the ReplicaSets have (status.replicas)."""
    return _status_sum(rss, "replicas")


def ready_replicas_sum(rss: Iterable[dict | None]) -> int:
    return _status_sum(rss, "readyReplicas")


def available_replicas_sum(rss: Iterable[dict | None]) -> int:
    return _status_sum(rss, "availableReplicas")


def new_rs_new_replicas(d: dict, all_rss: list[dict | None], new_rs: dict) -> int:
    """NewRSNewReplicas: the size the new ReplicaSet may grow to now.

    RollingUpdate: up to spec.replicas + maxSurge pods in all, never beyond spec.replicas for
    the new one. Recreate: spec.replicas at once.
    """
    n = replicas(d)
    if not is_rolling_update(d):
        return n
    surge = scaled_value(_rolling(d).get("maxSurge", "25%"), n, True)
    current = spec_replicas_sum(all_rss)
    max_total = n + surge
    if current >= max_total:
        return replicas(new_rs)
    scale_up = min(max_total - current, n - replicas(new_rs))
    return replicas(new_rs) + scale_up


def find_active_or_latest(new_rs: dict | None, old_rss: list[dict]) -> dict | None:
    """The one ReplicaSet that has pods, the newest if none has; None when several have."""
    if new_rs is None and not old_rss:
        return None
    olds = sorted(old_rss, key=creation_key, reverse=True)
    live = active(olds + [new_rs])
    if not live:
        return new_rs if new_rs is not None else olds[0]
    if len(live) == 1:
        return live[0]
    return None


def is_saturated(d: dict, rs: dict | None) -> bool:
    """Whether `rs` runs all of the Deployment's replicas, all available."""
    if rs is None:
        return False
    desired = desired_replicas_annotation(rs)
    if desired is None:
        return False
    n = replicas(d)
    return replicas(rs) == n and desired == n and \
        int(_status(rs).get("availableReplicas") or 0) == n


def _round_half_away(x: float) -> int:
    """integer.RoundToInt32."""
    return int(x - 0.5) if x < 0 else int(x + 0.5)


def replica_set_fraction(rs: dict, d: dict) -> int:
    """getReplicaSetFraction: how much of a scaling event `rs` should take, by its share."""
    n = replicas(d)
    if n == 0:
        return -replicas(rs)
    deployment_max = n + max_surge(d)
    before = _int_annotation(rs, MAX_REPLICAS)
    if not before:
        # no annotation: fall back to the Deployment's current size
        before = int(_status(d).get("replicas") or 0)
    if not before:
        return 0
    new_size = replicas(rs) * deployment_max / before
    return _round_half_away(new_size) - replicas(rs)


def proportion(rs: dict | None, d: dict, to_add: int, added: int) -> int:
    """GetProportion: the replicas to add to (or remove from) `rs` in proportional scaling."""
    if rs is None or replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = replica_set_fraction(rs, d)
    allowed = to_add - added
    if to_add > 0:
        return min(fraction, allowed)
    return max(fraction, allowed)


# ---------------------------------------------------------------------------------------------
# conditions and status

def new_condition(type_: str, status: str, reason: str, message: str, now: str) -> dict:
    return {"type": type_, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def get_condition(status: dict, type_: str) -> dict | None:
    for c in status.get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def set_condition(status: dict, cond: dict) -> None:
    """SetDeploymentCondition: replace the condition of that type, unless status and reason
    are unchanged; keep lastTransitionTime when only the reason changes. It moves to the end."""
    current = get_condition(status, cond["type"])
    if current is not None and current.get("status") == cond["status"] and \
            current.get("reason") == cond["reason"]:
        return
    cond = dict(cond)
    if current is not None and current.get("status") == cond["status"]:
        cond["lastTransitionTime"] = current.get("lastTransitionTime")
    others = [c for c in status.get("conditions") or () if c.get("type") != cond["type"]]
    status["conditions"] = others + [cond]


def remove_condition(status: dict, type_: str) -> None:
    conds = [c for c in status.get("conditions") or () if c.get("type") != type_]
    if conds:
        status["conditions"] = conds
    else:
        status.pop("conditions", None)


def has_progress_deadline(d: dict) -> bool:
    p = _spec(d).get("progressDeadlineSeconds")
    return p is not None and p != 2147483647  # math.MaxInt32 means "no deadline"


def deployment_complete(d: dict, status: dict) -> bool:
    """All replicas updated, none old left, all available, and the spec observed."""
    n = replicas(d)
    return (int(status.get("updatedReplicas") or 0) == n and
            int(status.get("replicas") or 0) == n and
            int(status.get("availableReplicas") or 0) == n and
            int(status.get("observedGeneration") or 0) >= int(_meta(d).get("generation") or 0))


def deployment_progressing(d: dict, new: dict) -> bool:
    """Whether `new` shows progress over the Deployment's current status."""
    old = _status(d)

    def g(s: dict, k: str) -> int:
        return int(s.get(k) or 0)

    old_old = g(old, "replicas") - g(old, "updatedReplicas")
    new_old = g(new, "replicas") - g(new, "updatedReplicas")
    return (g(new, "updatedReplicas") > g(old, "updatedReplicas") or new_old < old_old or
            g(new, "readyReplicas") > g(old, "readyReplicas") or
            g(new, "availableReplicas") > g(old, "availableReplicas"))


def deployment_timed_out(d: dict, status: dict, now: float, parse) -> bool:
    """Whether the Progressing condition has not moved for progressDeadlineSeconds.

    `parse` turns a condition timestamp into simulated seconds (Clock.parse).
    """
    if not has_progress_deadline(d):
        return False
    cond = get_condition(status, "Progressing")
    if cond is None:
        return False
    if cond.get("reason") == NEW_RS_AVAILABLE_REASON:
        return False
    if cond.get("reason") == TIMED_OUT_REASON:
        return True
    last = cond.get("lastUpdateTime")
    if not last:
        return False
    return parse(last) + int(_spec(d)["progressDeadlineSeconds"]) < now


def calculate_status(all_rss: list[dict | None], new_rs: dict | None, d: dict,
                     now: str) -> dict:
    """calculateStatus: the Deployment status the ReplicaSets' own statuses add up to."""
    rss = [rs for rs in all_rss if rs is not None]
    available = available_replicas_sum(rss)
    unavailable = max(0, spec_replicas_sum(rss) - available)
    old = _status(d)
    values = (
        ("observedGeneration", int(_meta(d).get("generation") or 0)),
        ("replicas", actual_replicas_sum(rss)),
        ("updatedReplicas", actual_replicas_sum([new_rs])),
        ("readyReplicas", ready_replicas_sum(rss)),
        ("availableReplicas", available),
        ("unavailableReplicas", unavailable),
    )
    status: dict = {k: v for k, v in values if v}  # Go's omitempty drops zeros
    conditions = [dict(c) for c in old.get("conditions") or ()]
    if conditions:
        status["conditions"] = conditions
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    if available >= replicas(d) - max_unavailable(d):
        cond = new_condition("Available", "True", MINIMUM_REPLICAS_AVAILABLE,
                             "Deployment has minimum availability.", now)
    else:
        cond = new_condition("Available", "False", MINIMUM_REPLICAS_UNAVAILABLE,
                             "Deployment does not have minimum availability.", now)
    set_condition(status, cond)
    return _ordered_status(status)


_STATUS_ORDER = ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                 "availableReplicas", "unavailableReplicas", "conditions", "collisionCount")


def _ordered_status(status: dict) -> dict:
    out = {k: status[k] for k in _STATUS_ORDER if k in status}
    out.update((k, v) for k, v in status.items() if k not in out)
    return out


# =============================================================================================
# kubectl's side: rollout status, history, undo, pause, resume, restart

def _ref(name: str) -> str:
    return f"deployment.apps/{name}"


def rollout_status_line(deploy: dict, rs_list: list[dict] | None = None,
                        revision_wanted: int = 0) -> tuple[str, bool, str | None]:
    """The next line `kubectl rollout status deployment/<name>` prints for this state.

    Returns (line without its newline, done, error). `error` is kubectl's message without the
    leading `error: ` (e.g. `deployment "nginx" exceeded its progress deadline`); the line is ""
    then. As DeploymentStatusViewer.Status in kubectl v1.32 (rs_list is accepted for callers
    that have it; kubectl itself only reads the Deployment).
    """
    name = _meta(deploy).get("name", "")
    if revision_wanted > 0:
        try:
            current = revision(deploy)
        except ValueError as e:
            return "", False, f'cannot get the revision of deployment "{name}": {e}'
        if current != revision_wanted:
            return "", False, (f"desired revision ({revision_wanted}) is different from the "
                               f"running revision ({current})")
    status = _status(deploy)
    generation = int(_meta(deploy).get("generation") or 0)
    observed = int(status.get("observedGeneration") or 0)
    if generation <= observed:
        cond = get_condition(status, "Progressing")
        if cond is not None and cond.get("reason") == TIMED_OUT_REASON:
            return "", False, f'deployment "{name}" exceeded its progress deadline'
        updated = int(status.get("updatedReplicas") or 0)
        total = int(status.get("replicas") or 0)
        available = int(status.get("availableReplicas") or 0)
        want = _spec(deploy).get("replicas")
        if want is not None and updated < want:
            return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {want} '
                    f"new replicas have been updated...", False, None)
        if total > updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {total - updated} old '
                    f"replicas are pending termination...", False, None)
        if available < updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} '
                    f"updated replicas are available...", False, None)
        return f'deployment "{name}" successfully rolled out', True, None
    return "Waiting for deployment spec update to be observed...", False, None


def deployment_replica_sets(cluster: "Cluster", deploy: dict) -> tuple[list[dict], dict | None]:
    """kubectl's GetAllReplicaSets: (all old ReplicaSets, the new one or None).

    The ReplicaSets matching the Deployment's selector and controlled by it, read-only.
    """
    store = cluster.api.store
    uid = _meta(deploy).get("uid")
    selector = _spec(deploy).get("selector")
    owned = [o for o in store.owned_by(uid) if o.get("kind") == "ReplicaSet"
             and is_controlled_by(o, deploy) and selector_matches(selector, _meta(o).get("labels"))]
    new_rs = find_new_replica_set(deploy, owned)
    _, allold = find_old_replica_sets(deploy, owned, new_rs)
    return allold, new_rs


def history(cluster: "Cluster", namespace: str, name: str) -> list[tuple[int, str | None, dict]]:
    """The Deployment's revisions: (revision, change-cause or None, ReplicaSet), oldest first.

    NotFound when the Deployment does not exist. ReplicaSets whose revision is not a number are
    left out; two with the same number keep the one kubectl would (the later in its list).
    """
    deploy = cluster.api.get("Deployment", namespace, name)
    olds, new_rs = deployment_replica_sets(cluster, deploy)
    by_rev: dict[int, dict] = {}
    for rs in olds + ([new_rs] if new_rs is not None else []):
        try:
            v = revision(rs)
        except ValueError:
            continue
        by_rev[v] = rs
    return [(v, annotations(rs).get(CHANGE_CAUSE) or None, clone(rs))
            for v, rs in sorted(by_rev.items())]


def _tabbed(rows: list[list[str]], padding: int = 2) -> str:
    """Go's tabwriter (minwidth 0, padding 2, spaces) for cells ended by tabs; the rest as is."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            if i >= len(widths):
                widths.append(0)
            widths[i] = max(widths[i], len(cell))
    out = []
    for row in rows:
        line = "".join(cell.ljust(widths[i] + padding) for i, cell in enumerate(row[:-1]))
        out.append(line + row[-1] + "\n")
    return "".join(out)


def history_text(cluster: "Cluster", namespace: str, name: str) -> str:
    """What `kubectl rollout history deployment/<name>` prints (trailing space, blank last line)."""
    revisions = history(cluster, namespace, name)
    if not revisions:
        body = "No rollout history found."
    else:
        rows = [["REVISION", "CHANGE-CAUSE"]]
        rows += [[str(v), cause or "<none>"] for v, cause, _ in revisions]
        body = _tabbed(rows)
    return f"{_ref(name)} \n{body}\n"


def revision_text(cluster: "Cluster", namespace: str, name: str, revision_number: int) -> str:
    """What `kubectl rollout history deployment/<name> --revision=N` prints.

    ClientError `unable to find the specified revision` when there is no such revision.
    """
    revisions = history(cluster, namespace, name)
    if not revisions:
        return f"{_ref(name)} with revision #{revision_number}\nNo rollout history found.\n"
    for v, cause, rs in revisions:
        if v == revision_number:
            template = dict(_spec(rs).get("template") or {})
            meta = dict(template.get("metadata") or {})
            if cause:
                meta["annotations"] = {**(meta.get("annotations") or {}), CHANGE_CAUSE: cause}
            template["metadata"] = meta
            return (f"{_ref(name)} with revision #{revision_number}\n"
                    f"{describe_pod_template(template)}\n")
    raise ClientError("unable to find the specified revision")


def _find_revision(cluster: "Cluster", deploy: dict, to_revision: int) -> dict:
    """deploymentRevision: the ReplicaSet of `to_revision` (0: the one before the newest)."""
    olds, new_rs = deployment_replica_sets(cluster, deploy)
    all_rss = olds + ([new_rs] if new_rs is not None else [])
    latest_rev, previous_rev = -1, -1
    latest = previous = None
    for rs in all_rss:
        try:
            v = revision(rs)
        except ValueError:
            continue
        if to_revision == 0:
            if latest_rev < v:
                previous_rev, previous = latest_rev, latest
                latest_rev, latest = v, rs
            elif previous_rev < v:
                previous_rev, previous = v, rs
        elif to_revision == v:
            return rs
    if to_revision > 0:
        raise ClientError(f"unable to find specified revision {to_revision} in history")
    if previous is None:
        raise ClientError(f'no rollout history found for deployment "{_meta(deploy).get("name")}"')
    return previous


def rollback(cluster: "Cluster", namespace: str, name: str, to_revision: int = 0) -> str:
    """`kubectl rollout undo deployment/<name> [--to-revision=N]`, as kubectl does it client-side.

    Puts the pod template of that revision's ReplicaSet (without pod-template-hash) back into the
    Deployment, with the ReplicaSet's annotations, and returns what kubectl prints
    (`deployment.apps/nginx rolled back`). The controller then reuses that ReplicaSet and gives it
    the next revision number.
    """
    if to_revision < 0:
        raise ClientError(f"unable to find specified revision {to_revision} in history")
    deploy = cluster.api.get("Deployment", namespace, name)
    rs = _find_revision(cluster, deploy, to_revision)
    if _spec(deploy).get("paused"):
        raise ClientError(f"you cannot rollback a paused deployment; resume it first with "
                          f"'kubectl rollout resume deployment/{name}' and try again")
    template = _spec(rs).get("template") or {}
    if equal_ignore_hash(template, _spec(deploy).get("template")):
        return (f"{_ref(name)} skipped rollback (current template already matches revision "
                f"{to_revision})")
    template = clone(template)
    labels = (template.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(POD_TEMPLATE_HASH, None)
    new_annotations = {k: v for k, v in annotations(deploy).items() if k in ANNOTATIONS_TO_SKIP}
    new_annotations.update((k, v) for k, v in annotations(rs).items()
                           if k not in ANNOTATIONS_TO_SKIP)
    deploy["spec"]["template"] = template
    deploy["metadata"]["annotations"] = new_annotations
    if not new_annotations:
        deploy["metadata"].pop("annotations")
    try:
        cluster.api.update(deploy, actor="kubectl")
    except StatusError as e:  # the server's answer, in kubectl's words
        raise ClientError(f"failed restoring revision {to_revision}: {e}") from e
    return f"{_ref(name)} rolled back"


def _patch_error(name: str, detail: str) -> ClientError:
    # rollout pause/resume/restart: fmt.Errorf("error: %s %q %v", "deployments.apps", name, err)
    return ClientError(f'deployments.apps "{name}" {detail}')


def pause(cluster: "Cluster", namespace: str, name: str) -> str:
    """`kubectl rollout pause deployment/<name>`: `deployment.apps/<name> paused`."""
    deploy = cluster.api.get("Deployment", namespace, name)
    if _spec(deploy).get("paused"):
        raise _patch_error(name, "is already paused")
    deploy["spec"]["paused"] = True
    cluster.api.update(deploy, actor="kubectl")
    return f"{_ref(name)} paused"


def resume(cluster: "Cluster", namespace: str, name: str) -> str:
    """`kubectl rollout resume deployment/<name>`: `deployment.apps/<name> resumed`."""
    deploy = cluster.api.get("Deployment", namespace, name)
    if not _spec(deploy).get("paused"):
        raise _patch_error(name, "is not paused")
    deploy["spec"].pop("paused", None)
    cluster.api.update(deploy, actor="kubectl")
    return f"{_ref(name)} resumed"


def rfc3339_now(cluster: "Cluster") -> str:
    """time.Now().Format(time.RFC3339) on the simulated clock: `Z` for UTC, else `+hh:mm`."""
    dt = cluster.clock.datetime().replace(microsecond=0)
    offset = dt.utcoffset()
    if not offset:
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return dt.isoformat()


def restart(cluster: "Cluster", namespace: str, name: str) -> str:
    """`kubectl rollout restart deployment/<name>`: stamps the pod template, so a new rollout
    replaces every pod. Returns `deployment.apps/<name> restarted`."""
    deploy = cluster.api.get("Deployment", namespace, name)
    if _spec(deploy).get("paused"):
        raise _patch_error(name, "can't restart paused deployment (run rollout resume first)")
    template = deploy["spec"].setdefault("template", {})
    meta = template.get("metadata")
    if not isinstance(meta, dict):
        meta = template["metadata"] = {}
    ann = meta.get("annotations")
    if not isinstance(ann, dict):
        ann = meta["annotations"] = {}
    stamp = rfc3339_now(cluster)
    if ann.get(RESTARTED_AT) == stamp:
        raise ClientError(f"failed to create patch for {name}: if restart has already been "
                          f"triggered within the past second, please wait before attempting to "
                          f"trigger another")
    ann[RESTARTED_AT] = stamp
    cluster.api.update(deploy, actor="kubectl")
    return f"{_ref(name)} restarted"


def describe_pod_template(template: dict | None) -> str:
    """kubectl describe's DescribePodTemplate (v1.32), tabs kept as tabs, as `rollout history
    --revision` prints it: the describe printer's own, without its tabwriter."""
    from k8scourse.kubectl.describe import pod_template_text

    return pod_template_text(template)


__all__ = [
    "POD_TEMPLATE_HASH", "REVISION", "REVISION_HISTORY", "DESIRED_REPLICAS", "MAX_REPLICAS",
    "CHANGE_CAUSE", "RESTARTED_AT", "resolve_fenceposts", "scaled_value", "max_surge",
    "max_unavailable", "min_available", "compute_hash", "safe_encode_string", "fnv32a",
    "equal_ignore_hash", "selector_matches", "new_rs_new_replicas", "calculate_status",
    "rollout_status_line", "history", "history_text", "revision_text", "rollback", "pause",
    "resume", "restart", "describe_pod_template", "deployment_replica_sets",
]
