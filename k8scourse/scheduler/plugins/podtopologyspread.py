"""PodTopologySpread: keep a workload's pods spread over nodes (and zones), weight 2.

A pod without topologySpreadConstraints of its own gets the cluster's system defaults
(`kubernetes.io/hostname` maxSkew 3 and `topology.kubernetes.io/zone` maxSkew 5, both
ScheduleAnyway), aimed at the pods that share its Services and its ReplicaSet,
ReplicationController or StatefulSet. ScheduleAnyway only scores: nodes already running many
matching pods score lower, which is why a Deployment's replicas spread over the workers.
DoNotSchedule constraints also filter, with maxSkew as a hard limit.
"""

from __future__ import annotations

import math

from k8scourse.scheduler.podinfo import (HOSTNAME_LABEL, ZONE_LABEL, parse_label_selector,
                                         selector_matches, tolerations_tolerate)
from k8scourse.scheduler.plugins.helper import MAX_NODE_SCORE
from k8scourse.scheduler.types import UNRESOLVABLE, UNSCHEDULABLE, Status

NAME = "PodTopologySpread"
WEIGHT = 2
REASON = "node(s) didn't match pod topology spread constraints"
REASON_MISSING_LABEL = REASON + " (missing required label)"
MAX_INT32 = 2**31 - 1


class Constraint:
    """A topologySpreadConstraint ready to evaluate (selector parsed, defaults applied)."""

    __slots__ = ("max_skew", "key", "selector", "min_domains", "honor_affinity", "honor_taints")

    def __init__(self, max_skew: int, key: str, selector: tuple, min_domains: int = 1,
                 honor_affinity: bool = True, honor_taints: bool = False):
        self.max_skew = max_skew
        self.key = key
        self.selector = selector
        self.min_domains = min_domains
        self.honor_affinity = honor_affinity
        self.honor_taints = honor_taints

    def includes(self, pod, node) -> bool:
        """matchNodeInclusionPolicies: nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore by default."""
        if self.honor_affinity and not pod.required_affinity_matches(node.labels, node.name):
            return False
        if self.honor_taints:
            for t in node.taints:
                if t.get("effect") in ("NoSchedule", "NoExecute") and \
                        not tolerations_tolerate(pod.tolerations, t):
                    return False
        return True


#: the scheduler's system default constraints (maxSkew, topologyKey), both ScheduleAnyway
SYSTEM_DEFAULTS = ((3, HOSTNAME_LABEL), (5, ZONE_LABEL))

_OWNER_KINDS = {("v1", "ReplicationController"), ("apps/v1", "ReplicaSet"),
                ("apps/v1", "StatefulSet")}


def default_selector(pod, store) -> tuple:
    """helper.DefaultSelector: the selectors of the Services that select the pod, merged, plus the
    selector of its controlling ReplicaSet, ReplicationController or StatefulSet."""
    label_set: dict = {}
    for svc in store.list("Service", pod.namespace):
        sel = (svc.get("spec") or {}).get("selector")
        if not sel:  # nil selectors match nothing
            continue
        if all(pod.labels.get(k) == v for k, v in sel.items()):
            label_set.update(sel)
    reqs = [(k, "=", (str(v),)) for k, v in label_set.items()]
    owner = pod.owner
    if owner is not None and (owner.get("apiVersion"), owner.get("kind")) in _OWNER_KINDS:
        obj = store.get(owner["kind"], pod.namespace, owner.get("name", ""))
        if obj is not None:
            sel = (obj.get("spec") or {}).get("selector")
            if owner["kind"] == "ReplicationController":
                if sel:
                    label_set.update(sel)
                    reqs = [(k, "=", (str(v),)) for k, v in label_set.items()]
            elif isinstance(sel, dict):
                reqs += list(parse_label_selector(sel) or ())
    return tuple(sorted(set(reqs)))


def _explicit(pod, action: str) -> list[Constraint]:
    out = []
    for c in pod.spread_constraints:
        if not isinstance(c, dict) or c.get("whenUnsatisfiable") != action:
            continue
        reqs = list(parse_label_selector(c.get("labelSelector")) or ())
        for key in c.get("matchLabelKeys") or ():
            if key in pod.labels:
                reqs.append((key, "=", (pod.labels[key],)))
        out.append(Constraint(int(c.get("maxSkew") or 1), c.get("topologyKey", ""),
                              tuple(sorted(set(reqs))), int(c.get("minDomains") or 1),
                              (c.get("nodeAffinityPolicy") or "Honor") == "Honor",
                              (c.get("nodeTaintsPolicy") or "Ignore") == "Honor"))
    return out


def scoring_constraints(pod, store) -> tuple[list[Constraint], bool]:
    """The ScheduleAnyway constraints to score with, and whether nodes must carry every key."""
    if pod.spread_constraints:
        return _explicit(pod, "ScheduleAnyway"), True
    selector = default_selector(pod, store)
    if not selector:
        return [], False
    return [Constraint(skew, key, selector) for skew, key in SYSTEM_DEFAULTS], False


def count_matching(node, selector: tuple, namespace: str) -> int:
    """countPodsMatchSelector: pods of the namespace matching the selector, terminating ones left out."""
    if not selector:
        return 0
    n = 0
    for p in node.pods.values():
        if not p.deleting and p.namespace == namespace and selector_matches(selector, p.labels):
            n += 1
    return n


def _has_all_keys(labels: dict, constraints: list[Constraint]) -> bool:
    return all(c.key in labels for c in constraints)


def round_half_away(x: float) -> int:
    """Go's math.Round for the non-negative scores here."""
    r = math.trunc(x)
    return int(r + 1) if x - r >= 0.5 else int(r)


def raw_scores(pod, nodes: list, all_nodes: list, constraints: list[Constraint],
               require_all: bool) -> tuple[list[int], set]:
    """PreScore and Score: each node's weighted count of matching pods (lower is better)."""
    ignored: set = set()
    counts: list[dict] = [{} for _ in constraints]
    sizes = [0] * len(constraints)
    for n in nodes:
        if require_all and not _has_all_keys(n.labels, constraints):
            ignored.add(n.name)
            continue
        for i, c in enumerate(constraints):
            if c.key == HOSTNAME_LABEL:
                continue
            v = n.labels.get(c.key, "")
            if v not in counts[i]:
                counts[i][v] = 0
                sizes[i] += 1
    weights = []
    for i, c in enumerate(constraints):
        size = len(nodes) - len(ignored) if c.key == HOSTNAME_LABEL else sizes[i]
        weights.append(math.log(size + 2))
    if any(c.key != HOSTNAME_LABEL for c in constraints):
        for n in all_nodes:
            if require_all and not _has_all_keys(n.labels, constraints):
                continue
            for i, c in enumerate(constraints):
                if c.key == HOSTNAME_LABEL or not c.includes(pod, n):
                    continue
                v = n.labels.get(c.key, "")
                if v in counts[i]:
                    counts[i][v] += count_matching(n, c.selector, pod.namespace)
    out = []
    for n in nodes:
        if n.name in ignored:
            out.append(0)
            continue
        s = 0.0
        for i, c in enumerate(constraints):
            if c.key in n.labels:
                if c.key == HOSTNAME_LABEL:
                    cnt = count_matching(n, c.selector, pod.namespace)
                else:
                    cnt = counts[i][n.labels[c.key]]
                s += float(cnt) * weights[i] + float(c.max_skew - 1)
        out.append(round_half_away(s))
    return out, ignored


def normalize(scores: list[int], names: list[str], ignored: set) -> list[int]:
    """NormalizeScore: fewest matching pods -> 100; ignored nodes -> 0."""
    valid = [s for s, n in zip(scores, names) if n not in ignored]
    lo = min(valid, default=0)
    hi = max(valid, default=0)
    out = []
    for s, n in zip(scores, names):
        if n in ignored:
            out.append(0)
        elif hi == 0:
            out.append(MAX_NODE_SCORE)
        else:
            out.append(MAX_NODE_SCORE * (hi + lo - s) // hi)
    return out


def score(pod, nodes, state) -> list[int] | None:
    if state.num_all_nodes == 0:
        return None
    constraints, require_all = scoring_constraints(pod, state.store)
    if not constraints:
        return None
    if not require_all and not state.cache.zoned_nodes:
        # no node has a zone label, so the zone default adds nothing to any node's score
        constraints = [c for c in constraints if c.key != ZONE_LABEL]
    raw, ignored = raw_scores(pod, nodes, state.all_nodes, constraints, require_all)
    return normalize(raw, [n.name for n in nodes], ignored)


# filtering (DoNotSchedule) -------------------------------------------------------------------


class FilterState:
    """PreFilter: matching pods per topology domain for each DoNotSchedule constraint."""

    def __init__(self, pod, all_nodes: list):
        self.constraints = _explicit(pod, "DoNotSchedule") if pod.spread_constraints else []
        self.match: list[dict] = [{} for _ in self.constraints]
        for n in all_nodes:
            if not _has_all_keys(n.labels, self.constraints):
                continue
            for i, c in enumerate(self.constraints):
                if not c.includes(pod, n):
                    continue
                v = n.labels[c.key]
                self.match[i][v] = self.match[i].get(v, 0) + count_matching(n, c.selector, pod.namespace)

    def min_match(self, i: int) -> int:
        values = self.match[i]
        if len(values) < self.constraints[i].min_domains:
            return 0
        return min(values.values(), default=MAX_INT32)


def filter(pod, node, state) -> Status | None:
    if not pod.spread_constraints:
        return None
    fs = state.memo.get(NAME)
    if fs is None:
        fs = state.memo[NAME] = FilterState(pod, state.all_nodes)
    for i, c in enumerate(fs.constraints):
        if c.key not in node.labels:
            return Status(UNRESOLVABLE, (REASON_MISSING_LABEL,), NAME)
        self_match = 1 if selector_matches(c.selector, pod.labels) else 0
        skew = fs.match[i].get(node.labels[c.key], 0) + self_match - fs.min_match(i)
        if skew > c.max_skew:
            return Status(UNSCHEDULABLE, (REASON,), NAME)
    return None
