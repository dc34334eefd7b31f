"""DefaultPreemption, the PostFilter plugin (pkg/scheduler/framework/preemption and
plugins/defaultpreemption).

When no node fits, preemption asks on which node evicting pods of lower priority would make room.
Its answer becomes the second half of the FitError text: nodes that failed for a reason eviction
cannot fix (a taint, node affinity, a cordon) are `Preemption is not helpful for scheduling`;
nodes short of resources with nothing of lower priority on them are `No preemption victims found
for incoming pod`. If some node would do, the victims are evicted and the pod is nominated to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.scheduler import framework
from k8scourse.scheduler.types import UNRESOLVABLE, UNSCHEDULABLE, Status, fit_error

if TYPE_CHECKING:
    from k8scourse.scheduler.cache import NodeInfo
    from k8scourse.scheduler.podinfo import PodInfo

NAME = "DefaultPreemption"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never."
NOT_ELIGIBLE_TERMINATING = "not eligible due to a terminating pod on the nominated node."
MIN_CANDIDATE_NODES_PERCENTAGE = 10
MIN_CANDIDATE_NODES_ABSOLUTE = 100
MAX_INT32 = 2**31 - 1


class Candidate:
    __slots__ = ("node", "victims")

    def __init__(self, node: str, victims: list):
        self.node = node
        self.victims = victims


def _terminating_by_preemption(p: "PodInfo") -> bool:
    if not p.deleting:
        return False
    for c in (p.pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "DisruptionTarget" and c.get("reason") == "PreemptionByScheduler" \
                and c.get("status") == "True":
            return True
    return False


def eligible(pod: "PodInfo", diagnosis, cache) -> tuple[bool, str]:
    """PodEligibleToPreemptOthers."""
    if pod.preemption_policy == "Never":
        return False, NOT_ELIGIBLE_NEVER
    if pod.nominated_node:
        status = diagnosis.statuses.get(pod.nominated_node)
        if status is not None and status.code == UNRESOLVABLE:
            return True, ""
        ni = cache.get(pod.nominated_node)
        if ni is not None:
            for p in ni.pods.values():
                if p.priority < pod.priority and _terminating_by_preemption(p):
                    return False, NOT_ELIGIBLE_TERMINATING
    return True, ""


#: a pod not started yet counts as starting now, later than any recorded start
_NOT_STARTED = "9999"


def more_important(a: "PodInfo") -> tuple:
    """util.MoreImportantPod as a sort key: higher priority first, then the earlier start."""
    return (-a.priority, a.start_time or _NOT_STARTED)


def select_victims_on_node(pod: "PodInfo", node: "NodeInfo", state) -> tuple[list, Status | None]:
    """Remove every lower-priority pod; if the pod then fits, give back as many as possible,
    most important first. Returns the victims, or the reason this node cannot help."""
    copy = node.clone()
    potential = [p for p in copy.pods.values() if p.priority < pod.priority]
    if not potential:
        return [], Status(UNRESOLVABLE, (NO_VICTIMS,), NAME)
    for p in potential:
        copy.remove(p)
    status = _filters(pod, copy, state)
    if status is not None:
        return [], status
    victims = []
    for p in sorted(potential, key=more_important):
        copy.add(p)
        if _filters(pod, copy, state) is not None:
            copy.remove(p)
            victims.append(p)
    return victims, None


def _filters(pod, node, state) -> Status | None:
    nominated = state.cache.nominated_for(node.name, pod)
    if nominated:
        node = framework.with_nominated(node, nominated)
    for plugin in framework.FILTERS:
        status = plugin.filter(pod, node, state)
        if status is not None:
            return status
    return None


def num_candidates(num_nodes: int) -> int:
    n = num_nodes * MIN_CANDIDATE_NODES_PERCENTAGE // 100
    n = max(n, MIN_CANDIDATE_NODES_ABSOLUTE)
    return min(n, num_nodes)


def pick_one_node(candidates: list[Candidate]) -> Candidate:
    """pickOneNodeForPreemption: fewest and least important victims, then the latest start."""
    def highest(c):
        return -c.victims[0].priority

    def sum_priorities(c):
        return -sum(v.priority + MAX_INT32 + 1 for v in c.victims)

    def num_pods(c):
        return -len(c.victims)

    def latest_start(c):
        top = c.victims[0].priority
        return min(v.start_time or _NOT_STARTED for v in c.victims if v.priority == top)

    remaining = candidates
    for f in (highest, sum_priorities, num_pods, latest_start):
        best = max(f(c) for c in remaining)
        remaining = [c for c in remaining if f(c) == best]
        if len(remaining) == 1:
            break
    return remaining[0]


def post_filter(pod: "PodInfo", diagnosis, state, rand) -> tuple[str, Candidate | None]:
    """Preempt: the `preemption: ...` message, and the chosen candidate when there is one."""
    ok, msg = eligible(pod, diagnosis, state.cache)
    if not ok:
        return "preemption: " + msg, None
    statuses = diagnosis.statuses
    absent_resolvable = diagnosis.absent is not None and diagnosis.absent.code == UNSCHEDULABLE
    potential = [n for n in state.all_nodes
                 if (statuses[n.name].code == UNSCHEDULABLE if n.name in statuses
                     else absent_resolvable)]
    not_helpful = Status(UNRESOLVABLE, (NOT_HELPFUL,))
    n_all = state.num_all_nodes
    if not potential:
        return "preemption: " + fit_error(n_all, {}, not_helpful), None
    offset = rand.randrange(len(potential))
    want = num_candidates(len(potential))
    candidates: list[Candidate] = []
    node_statuses: dict[str, Status] = {}
    for i in range(len(potential)):
        node = potential[(offset + i) % len(potential)]
        victims, status = select_victims_on_node(pod, node, state)
        if status is None and victims:
            candidates.append(Candidate(node.name, victims))
            if len(candidates) >= want:
                break
            continue
        node_statuses[node.name] = status
    if not candidates:
        return "preemption: " + fit_error(n_all, node_statuses, not_helpful), None
    return "", pick_one_node(candidates)


def lower_priority_nominated(cache, pod: "PodInfo", node: str) -> list:
    """Pods nominated to `node` with lower priority than the preemptor: they lose the nomination."""
    return [p for p in (cache.nominated.get(node) or {}).values()
            if p.priority < pod.priority and p.key != pod.key]
