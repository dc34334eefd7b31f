"""One scheduling attempt, node by node, as schedule_one.go runs it: filter, score, select.

This is the straightforward algorithm: every filter plugin on every node, in the default plugin
order. `fastpath.py` computes the same answer with arrays for large clusters; the tests hold the
two to the same results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8scourse.scheduler.plugins import (balancedallocation, imagelocality, nodeaffinity,
                                         nodename, nodeports, noderesources, nodeunschedulable,
                                         podtopologyspread, tainttoleration)
from k8scourse.scheduler.types import UNRESOLVABLE, Status

if TYPE_CHECKING:
    from k8scourse.scheduler.cache import Cache, NodeInfo
    from k8scourse.scheduler.podinfo import PodInfo

#: Filter plugins in the order of default_plugins.go (a node's first failing filter explains it).
FILTERS = (nodeunschedulable, nodename, tainttoleration, nodeaffinity, nodeports, noderesources,
           podtopologyspread)
#: Score plugins with their default weights.
SCORES = ((tainttoleration, 3), (nodeaffinity, 2), (noderesources, 1), (podtopologyspread, 2),
          (balancedallocation, 1), (imagelocality, 1))

MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5


def num_feasible_nodes_to_find(num_all_nodes: int, percentage: int = 0) -> int:
    """How many feasible nodes are enough: all below 100 nodes, else an adaptive percentage
    (50% minus 1% per 125 nodes, at least 5%) and never fewer than 100."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    if percentage == 0:
        percentage = 50 - num_all_nodes // 125
        if percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND:
            percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND
    num = num_all_nodes * percentage // 100
    return max(num, MIN_FEASIBLE_NODES_TO_FIND)


class CycleState:
    """What one scheduling cycle shares between plugins."""

    __slots__ = ("cache", "store", "_all_nodes", "num_all_nodes", "memo")

    def __init__(self, cache: "Cache", store, all_nodes: list | None = None):
        self.cache = cache
        self.store = store
        self._all_nodes = all_nodes
        self.num_all_nodes = cache.num_nodes() if all_nodes is None else len(all_nodes)
        self.memo: dict = {}

    @property
    def all_nodes(self) -> list:
        """Every node, in node tree order (built on first use)."""
        if self._all_nodes is None:
            self._all_nodes = self.cache.node_infos()
        return self._all_nodes


class Diagnosis:
    """Why nodes were rejected: a Status for each node checked, one for the nodes left out.

    The fast path may instead give only `counts` (reason -> number of nodes) and `ruled_out`,
    and its own `preemption` message when it can tell preemption cannot help.
    """

    __slots__ = ("statuses", "absent", "prefilter_msg", "postfilter_msg", "plugins", "counts",
                 "ruled_out", "preemption")

    def __init__(self) -> None:
        self.statuses: dict[str, Status] = {}
        self.absent: Status | None = None
        self.prefilter_msg = ""
        self.postfilter_msg = ""
        self.plugins: set[str] = set()
        self.counts = None
        self.ruled_out = 0
        self.preemption: str | None = None

    def set(self, node: str, status: Status) -> None:
        if node not in self.statuses:
            self.ruled_out += 1
        self.statuses[node] = status
        if status.plugin:
            self.plugins.add(status.plugin)

    def fit_error(self, num_all_nodes: int) -> str:
        from k8scourse.scheduler.types import fit_error

        return fit_error(num_all_nodes, self.statuses, self.absent, self.prefilter_msg,
                         self.postfilter_msg, counts=self.counts)


class Result:
    """The outcome of one attempt: the chosen node or why none fits, with what the trace needs."""

    __slots__ = ("node", "feasible", "n_feasible", "scores", "best", "runner_up", "tied",
                 "diagnosis", "evaluated", "num_all_nodes")

    def __init__(self, num_all_nodes: int):
        self.node: str | None = None
        #: the feasible nodes' names (the fast path lists them only when there are a few)
        self.feasible: list[str] = []
        self.n_feasible = 0
        #: every feasible node's total score (the fast path fills it only when asked to)
        self.scores: dict[str, int] = {}
        self.best: int | None = None
        self.runner_up: int | None = None
        self.tied = 0
        self.diagnosis = Diagnosis()
        self.evaluated = 0
        self.num_all_nodes = num_all_nodes


def with_nominated(node: "NodeInfo", pods: list) -> "NodeInfo":
    """A copy of the node with the nominated pods added (RunFilterPluginsWithNominatedPods)."""
    copy = node.clone()
    for p in pods:
        copy.add(p)
    return copy


def run_filters(pod: "PodInfo", node: "NodeInfo", state: CycleState) -> Status | None:
    """Every filter plugin in order; the first failure is the node's status."""
    nominated = state.cache.nominated_for(node.name, pod)
    if nominated:
        node = with_nominated(node, nominated)
    for plugin in FILTERS:
        status = plugin.filter(pod, node, state)
        if status is not None:
            return status
    return None


def find_nodes_that_fit(sched, pod: "PodInfo", state: CycleState, result: Result) -> list:
    """PreFilter, the nominated node first, then the filters from where the last pod stopped."""
    diag = result.diagnosis
    names = pod.prefilter_node_names()
    if names is not None and not names:
        status = Status(UNRESOLVABLE, (nodeaffinity.REASON_CONFLICT,), nodeaffinity.NAME)
        diag.absent = status
        diag.prefilter_msg = status.message()
        diag.plugins.add(nodeaffinity.NAME)
        return []
    if pod.nominated_node:
        ni = state.cache.get(pod.nominated_node)
        if ni is not None and (names is None or ni.name in names):
            status = run_filters(pod, ni, state)
            if status is None:
                return [ni]
            diag.set(ni.name, status)
    if names is None:
        nodes = state.all_nodes
    else:
        cache = state.cache
        nodes = [cache.infos[n] for n in sorted((n for n in names if n in cache.position),
                                                 key=cache.position.__getitem__)]
        diag.absent = Status(UNRESOLVABLE, (f"node(s) didn't satisfy plugin(s) [{nodeaffinity.NAME}]",))
        diag.plugins.add(nodeaffinity.NAME)
    n = len(nodes)
    want = num_feasible_nodes_to_find(n)
    feasible = []
    start = sched.next_start_node_index
    for i in range(n):
        ni = nodes[(start + i) % n]
        status = run_filters(pod, ni, state)
        if status is None:
            feasible.append(ni)
            if len(feasible) >= want:
                break
        else:
            diag.set(ni.name, status)
    processed = len(feasible) + len(diag.statuses)
    if state.num_all_nodes:
        sched.next_start_node_index = (start + processed) % state.num_all_nodes
    result.evaluated = processed
    return feasible


def prioritize(pod: "PodInfo", nodes: list, state: CycleState) -> list[int]:
    """The weighted sum of every score plugin's normalised score, per node."""
    totals = [0] * len(nodes)
    for plugin, weight in SCORES:
        scores = plugin.score(pod, nodes, state)
        if scores is None:
            continue
        for i, s in enumerate(scores):
            totals[i] += weight * s
    return totals


def select_host(names: list[str], totals: list[int], rand) -> str:
    """The highest total wins; a tie is broken at random, each tied node equally likely (as the
    reservoir sampling of selectHost), with one draw from the cluster's seeded random source."""
    best = max(totals)
    tied = [n for n, t in zip(names, totals) if t == best]
    if len(tied) == 1:
        return tied[0]
    return tied[rand.randrange(len(tied))]


def schedule_pod(sched, pod: "PodInfo", state: CycleState) -> Result:
    """schedulePod: a node for the pod, or a Result whose diagnosis explains the FitError."""
    result = Result(state.num_all_nodes)
    if state.num_all_nodes == 0:
        return result
    feasible = find_nodes_that_fit(sched, pod, state, result)
    result.feasible = [n.name for n in feasible]
    result.n_feasible = len(feasible)
    if not feasible:
        return result
    if len(feasible) == 1:
        result.node = feasible[0].name
        return result
    totals = prioritize(pod, feasible, state)
    result.scores = dict(zip(result.feasible, totals))
    result.node = select_host(result.feasible, totals, sched.rand)
    summarize_scores(result, totals)
    return result


def summarize_scores(result: Result, totals) -> None:
    """The winner's score, the best of the others, and how many nodes tied for first (trace)."""
    best = max(totals)
    result.best = int(best)
    result.tied = sum(1 for t in totals if t == best)
    others = [t for t in totals if t != best]
    result.runner_up = int(best) if result.tied > 1 else (int(max(others)) if others else None)
