"""The same scheduling attempt as framework.schedule_pod, for clusters with many nodes.

A Python loop over hundreds of nodes per pod is too slow for thousands of pods. But between two
pods of a ReplicaSet only the node the first one went to has changed. So, per distinct pod shape
(tolerations, node affinity, requests, images), the fast path keeps an array over all nodes of

* whether the node passes every filter (and, if not, the filter's Status),
* the part of the score that depends on that node alone (LeastAllocated, BalancedAllocation,
  ImageLocality),

computed by the plain plugin functions themselves, and recomputes only the rows of nodes that
changed since. Per pod, numpy then does what spans nodes: walking from where the last pod
stopped, the normalisations (TaintToleration, NodeAffinity, PodTopologySpread) and the choice.

Pods using features that are rare in practice (host ports, their own topology spread
constraints, node-name affinity, extended resources, a nominated node, zones) take the plain
path; the results are the same either way (tests/scheduler/test_fastpath.py).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from k8scourse.scheduler import framework, preemption
from k8scourse.scheduler.plugins import (balancedallocation, imagelocality, nodeaffinity,
                                         noderesources, nodeunschedulable, podtopologyspread,
                                         tainttoleration)
from k8scourse.scheduler.plugins.helper import MAX_NODE_SCORE
from k8scourse.scheduler.podinfo import HOSTNAME_LABEL, normalized_image_name
from k8scourse.scheduler.types import fit_error

if TYPE_CHECKING:
    from k8scourse.scheduler.cache import Cache
    from k8scourse.scheduler.podinfo import PodInfo

#: how many pod shapes to remember, and how many changed rows to remember for them
MAX_SHAPES = 16
MAX_LOG = 8192
_STATIC_FILTERS = (nodeunschedulable, tainttoleration, nodeaffinity)


def handles(pod: "PodInfo", cache: "Cache") -> bool:
    """Whether the fast path covers this pod (otherwise the plain path runs)."""
    return not (pod.host_ports or pod.spread_constraints or pod.nominated_node
                or pod.requests.scalars or cache.nominated or cache.zoned_nodes
                or pod.prefilter_node_names() is not None
                or (pod.pod.get("spec") or {}).get("nodeName"))


class _Shape:
    """What one pod shape needs per node, kept up to date row by row."""

    __slots__ = ("pod", "fits", "base", "status", "hist", "resolvable", "nfit", "seq",
                 "prefer", "preferred", "plugins", "idx", "idx2", "static", "bad")

    def __init__(self, pod: "PodInfo", n: int):
        self.pod = pod
        self.fits = np.zeros(n, dtype=bool)
        self.base = np.zeros(n, dtype=np.int64)
        self.status: list = [None] * n
        self.hist: Counter = Counter()
        self.plugins: Counter = Counter()
        self.resolvable = 0  # nodes rejected only for resources (preemption might help)
        self.nfit = 0
        self.seq = 0
        self.prefer = None
        self.preferred = None
        self.static: list = [False] * n  # the node-only filters' Status (False: not computed)
        self.idx = None  # positions of the nodes that fit (None: recompute)
        self.idx2 = None  # the same, followed by the positions + n (to walk round the end)
        self.bad = None  # positions of the nodes that do not fit


class FastPath:
    """Per-shape arrays over the cache's nodes, refreshed from the rows the cache marks dirty."""

    def __init__(self, cache: "Cache"):
        self.cache = cache
        self.order_version = -1
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        self.has_hostname = np.zeros(0, dtype=bool)
        self.all_hostname = True
        self.shapes: dict[tuple, _Shape] = {}
        self.spread: dict[tuple, list] = {}  # key -> [counts array, seq]
        self.images: dict[str, np.ndarray] = {}  # image name -> which nodes have it
        self._spread_tables: dict[tuple[int, int, int], "np.ndarray | int"] = {}
        #: ImageLocality of every node for (images, nodes, how many nodes have each image)
        self._image_totals: dict[tuple, np.ndarray] = {}
        self._image_names: dict[tuple, tuple] = {}  # a pod's images -> their normalized names
        #: rows changed, in order: i for the pods on node i, -(i + 1) for node i itself
        self.log: list[int] = []
        self.log_start = 0  # the sequence number of log[0]
        #: also report every feasible node's total score (tests compare them)
        self.keep_scores = False

    # -- following the cache -------------------------------------------------------------------
    def sync(self) -> None:
        cache = self.cache
        if cache.order_version != self.order_version:
            self.names = list(cache.order)
            self.index = {n: i for i, n in enumerate(self.names)}
            self.has_hostname = np.array([HOSTNAME_LABEL in cache.infos[n].labels
                                          for n in self.names], dtype=bool)
            self.all_hostname = bool(self.has_hostname.all()) if self.names else True
            self.shapes = {}
            self.spread = {}
            self.images = {}
            self._image_totals = {}
            self.log = []
            self.log_start = 0
            cache.dirty.clear()
            cache.changed.clear()
            cache.image_dirty.clear()
            self.order_version = cache.order_version
            return
        index = self.index
        if cache.changed:
            for name in cache.changed:
                i = index.get(name)
                if i is not None:
                    self.log.append(-i - 1)
                    self.has_hostname[i] = HOSTNAME_LABEL in cache.infos[name].labels
            self.all_hostname = bool(self.has_hostname.all())
            cache.dirty.difference_update(cache.changed)
            cache.changed.clear()
        if cache.dirty:
            self.log.extend(index[n] for n in cache.dirty if n in index)
            cache.dirty.clear()
        if len(self.log) > MAX_LOG:
            self.log_start += len(self.log)
            self.log = []
        if cache.image_dirty:
            self._image_totals.clear()
            for name in cache.image_dirty:
                i = index.get(name)
                if i is None:
                    continue
                have = cache.infos[name].images
                for image, mask in self.images.items():
                    mask[i] = image in have
            cache.image_dirty.clear()

    def _changed_since(self, seq: int) -> tuple[set, set] | None:
        """(rows whose pods changed, rows whose node changed) since `seq`, or None when the
        log no longer reaches back that far."""
        if seq < self.log_start:
            return None
        rows: set = set()
        nodes: set = set()
        for e in self.log[seq - self.log_start:]:
            if e >= 0:
                rows.add(e)
            else:
                nodes.add(-e - 1)
        return rows, nodes

    @property
    def seq(self) -> int:
        return self.log_start + len(self.log)

    # -- per pod shape ---------------------------------------------------------------------------
    def _shape(self, pod: "PodInfo") -> _Shape:
        r = pod.requests
        key = (repr(pod.tolerations), repr(pod.node_selector),
               repr(pod.required_terms), repr(pod.preferred_terms), r.cpu, r.memory,
               r.ephemeral, pod.non_zero_cpu, pod.non_zero_mem)
        cache = self.cache
        shape = self.shapes.get(key)
        if shape is not None:
            changes = self._changed_since(shape.seq)
            if changes is not None:
                shape.pod = pod
                rows, nodes = changes
                if cache.prefer_no_schedule_nodes and shape.prefer is None:
                    self._prefer(shape)
                for i in nodes:
                    shape.static[i] = False
                    ni = cache.infos[self.names[i]]
                    if shape.prefer is not None:
                        shape.prefer[i] = tainttoleration.intolerable_prefer_no_schedule(
                            ni.taints, tainttoleration.prefer_no_schedule_tolerations(pod))
                    if shape.preferred is not None:
                        shape.preferred[i] = nodeaffinity.preferred_score(pod, ni)
                for i in rows | nodes:
                    self._row(shape, i)
                shape.seq = self.seq
                return shape
        shape = _Shape(pod, len(self.names))
        if cache.prefer_no_schedule_nodes:
            self._prefer(shape)
        if pod.preferred_terms:
            shape.preferred = np.array([nodeaffinity.preferred_score(pod, cache.infos[n])
                                        for n in self.names], dtype=np.int64)
        for i in range(len(self.names)):
            self._row(shape, i)
        shape.seq = self.seq
        if len(self.shapes) >= MAX_SHAPES:
            del self.shapes[next(iter(self.shapes))]
        self.shapes[key] = shape
        return shape

    def _prefer(self, shape: _Shape) -> None:
        tols = tainttoleration.prefer_no_schedule_tolerations(shape.pod)
        infos = self.cache.infos
        shape.prefer = np.array([tainttoleration.intolerable_prefer_no_schedule(
            infos[n].taints, tols) for n in self.names], dtype=np.int64)

    def _row(self, shape: _Shape, i: int) -> None:
        """Recompute one node's verdict and node-local score with the plain plugins."""
        pod = shape.pod
        ni = self.cache.infos[self.names[i]]
        old = shape.status[i]
        if old is not None:
            for r in old.reasons:
                shape.hist[r] -= 1
            shape.plugins[old.plugin] -= 1
            if old.resolvable:
                shape.resolvable -= 1
        elif shape.fits[i]:
            shape.nfit -= 1
        status = shape.static[i]
        if status is False:  # cordon, taints and labels only change with the node itself
            for plugin in _STATIC_FILTERS:
                status = plugin.filter(pod, ni)
                if status is not None:
                    break
            shape.static[i] = status
        if status is None:
            status = noderesources.filter(pod, ni)
        shape.status[i] = status
        if (status is None) != bool(shape.fits[i]):
            shape.idx = None
        if status is None:
            shape.fits[i] = True
            shape.nfit += 1
            shape.base[i] = (noderesources.least_allocated(pod, ni)
                             + balancedallocation.balanced(pod, ni))
        else:
            shape.fits[i] = False
            for r in status.reasons:
                shape.hist[r] += 1
            shape.plugins[status.plugin] += 1
            if status.resolvable:
                shape.resolvable += 1

    def _spread_counts(self, namespace: str, selector: tuple) -> np.ndarray:
        key = (namespace, selector)
        entry = self.spread.get(key)
        counter = self.cache.counters.get(key)
        if entry is not None and counter is not None:
            changes = self._changed_since(entry[1])
            if changes is not None:
                arr = entry[0]
                counts = counter.counts
                for i in changes[0] | changes[1]:
                    arr[i] = counts.get(self.names[i], 0)
                entry[1] = self.seq
                return arr
        counts = self.cache.counter(namespace, selector).counts
        arr = np.array([counts.get(n, 0) for n in self.names], dtype=np.int64)
        self.spread = {k: v for k, v in self.spread.items() if k in self.cache.counters}
        self.spread[key] = [arr, self.seq]
        return arr

    def _image_mask(self, image: str) -> np.ndarray:
        mask = self.images.get(image)
        if mask is None:
            infos = self.cache.infos
            mask = np.array([image in infos[n].images for n in self.names], dtype=bool)
            if len(self.images) > 64:
                self.images.clear()
            self.images[image] = mask
        return mask

    def _image_scores(self, pod: "PodInfo", sel: np.ndarray):
        """ImageLocality for the selected nodes (0 everywhere unless some node has an image).

        A node's score depends on the node (which images it has) and on how many nodes have each
        image, so it is worked out for every node at once and kept until either changes."""
        cache = self.cache
        names = self._image_names.get(pod.images)
        if names is None:
            if len(self._image_names) >= 256:
                self._image_names.clear()
            names = self._image_names[pod.images] = tuple(normalized_image_name(i)
                                                           for i in pod.images)
        image_nodes = cache.image_nodes
        if not any(n in image_nodes for n in names):
            return 0
        total_nodes = cache.num_nodes()
        key = (names, total_nodes, tuple(len(image_nodes.get(n) or ()) for n in names))
        scores = self._image_totals.get(key)
        if scores is None:
            sums = np.zeros(len(self.names), dtype=np.int64)
            for image in names:
                nodes = image_nodes.get(image)
                if nodes:
                    s = imagelocality.scaled_image_score(cache.image_size[image], len(nodes),
                                                         total_nodes)
                    sums += self._image_mask(image) * s
            max_threshold = imagelocality.MAX_CONTAINER_THRESHOLD * len(names)
            sums = np.clip(sums, imagelocality.MIN_THRESHOLD, max_threshold)
            scores = MAX_NODE_SCORE * (sums - imagelocality.MIN_THRESHOLD) // \
                (max_threshold - imagelocality.MIN_THRESHOLD)
            if len(self._image_totals) >= 64:
                self._image_totals.clear()
            self._image_totals[key] = scores
        return scores.take(sel, mode="wrap")

    # -- one attempt ---------------------------------------------------------------------------
    def schedule_pod(self, sched, pod: "PodInfo", state: framework.CycleState) -> framework.Result:
        self.sync()
        n = len(self.names)
        result = framework.Result(n)
        if n == 0:
            return result
        shape = self._shape(pod)
        start = sched.next_start_node_index
        want = framework.num_feasible_nodes_to_find(n)
        if shape.nfit == 0:
            sched.next_start_node_index = start  # (start + n) % n
            result.evaluated = n
            self._diagnose(pod, shape, result, sched.rand)
            return result
        if shape.idx is None:
            shape.idx = shape.fits.nonzero()[0]
            shape.idx2 = np.concatenate((shape.idx, shape.idx + n))
            shape.bad = (~shape.fits).nonzero()[0]
        k = int(shape.idx.searchsorted(start)) if start else 0
        sel = shape.idx2[k:k + min(want, shape.nfit)]  # positions, maybe past n: wrap
        m = len(sel)
        last = int(sel[-1]) % n
        processed = (last - start) % n + 1 if m >= want else n
        sched.next_start_node_index = (start + processed) % n
        result.evaluated = processed
        result.n_feasible = m
        diag = result.diagnosis
        diag.ruled_out = processed - m
        names = self.names
        if m <= 6 or self.keep_scores:
            result.feasible = [names[i % n] for i in sel]
        if 0 < diag.ruled_out <= 4 and sched.explain:
            bad = shape.bad
            for i in sorted(bad[(bad - start) % n < processed].tolist(), key=lambda i: (i - start) % n):
                diag.statuses[names[i]] = shape.status[i]
        if m == 1:
            result.node = names[last]
            return result
        total = shape.base.take(sel, mode="wrap")
        const = 0
        if shape.prefer is None:
            const += tainttoleration.WEIGHT * MAX_NODE_SCORE
        else:
            total += tainttoleration.WEIGHT * _normalize(shape.prefer.take(sel, mode="wrap"),
                                                         reverse=True)
        if shape.preferred is not None:
            total += nodeaffinity.WEIGHT * _normalize(shape.preferred.take(sel, mode="wrap"),
                                                      reverse=False)
        total += self._image_scores(pod, sel)
        selector = sched.spread_selector(pod)
        if selector:
            spread = self._spread_scores(pod.namespace, selector, sel, m)
            if isinstance(spread, int):
                const += spread
            else:
                total += spread
        best = int(total.max())
        tied = (total == best).nonzero()[0]
        if len(tied) == 1:
            pick = int(tied[0])
        else:
            pick = int(tied[sched.rand.randrange(len(tied))])
        result.node = names[int(sel[pick]) % n]
        result.best = best + const
        result.tied = len(tied)
        if len(tied) > 1:
            result.runner_up = best + const
        if self.keep_scores:
            result.scores = dict(zip(result.feasible, (int(t) + const for t in total)))
        return result

    def _spread_scores(self, namespace: str, selector: tuple, sel: np.ndarray, m: int):
        """PodTopologySpread (system default, hostname) for the selected nodes, weighted.

        A node's raw score is round(count * log(m + 2) + 2), a function of its count of
        matching pods alone, so the normalised score is looked up in a small table."""
        cnt = self._spread_counts(namespace, selector).take(sel, mode="wrap")
        lo_c = int(cnt.min())
        hi_c = int(cnt.max())
        if self.all_hostname:
            table = self._spread_table(lo_c, hi_c, m)
            return table if isinstance(table, int) else table[cnt - lo_c]
        w = math.log(m + 2)
        raw = [podtopologyspread.round_half_away(float(c) * w + 2.0) for c in range(lo_c, hi_c + 1)]
        rawv = np.where(self.has_hostname.take(sel, mode="wrap"),
                        np.array(raw, dtype=np.int64)[cnt - lo_c], 0)
        hi, lo = int(rawv.max()), int(rawv.min())
        if hi == 0:
            return podtopologyspread.WEIGHT * MAX_NODE_SCORE
        return podtopologyspread.WEIGHT * (MAX_NODE_SCORE * (hi + lo - rawv) // hi)

    def _spread_table(self, lo_c: int, hi_c: int, m: int):
        """The weighted, normalised spread score of each count from lo_c to hi_c among m nodes
        that all have a hostname label (an int when every count scores the same). Pods of one
        ReplicaSet meet the same few (lo_c, hi_c, m) again and again."""
        key = (lo_c, hi_c, m)
        table = self._spread_tables.get(key)
        if table is not None:
            return table
        w = math.log(m + 2)
        raw = [podtopologyspread.round_half_away(float(c) * w + 2.0) for c in range(lo_c, hi_c + 1)]
        hi, lo = raw[-1], raw[0]
        if hi == 0:
            table = podtopologyspread.WEIGHT * MAX_NODE_SCORE
        elif lo_c == hi_c:
            table = podtopologyspread.WEIGHT * (MAX_NODE_SCORE * (hi + lo - raw[0]) // hi)
        else:
            table = np.array([podtopologyspread.WEIGHT * (MAX_NODE_SCORE * (hi + lo - r) // hi)
                              for r in raw], dtype=np.int64)
        if len(self._spread_tables) >= 1024:
            self._spread_tables.clear()
        self._spread_tables[key] = table
        return table

    # -- why nothing fits ----------------------------------------------------------------------
    def _diagnose(self, pod: "PodInfo", shape: _Shape, result: framework.Result, rand) -> None:
        """Every node failed: the histogram is kept up to date already; answer for preemption
        when no node can have victims, else hand the statuses to the plain PostFilter."""
        diag = result.diagnosis
        n = len(self.names)
        diag.counts = Counter({r: c for r, c in shape.hist.items() if c > 0})
        diag.plugins = {p for p, c in shape.plugins.items() if c > 0}
        diag.ruled_out = n
        if pod.preemption_policy == "Never":
            diag.preemption = "preemption: " + preemption.NOT_ELIGIBLE_NEVER
            return
        resolvable = shape.resolvable
        if self.cache.lowest_priority() >= pod.priority:
            if resolvable:
                rand.randrange(resolvable)  # the dry run's random offset, as the plain path draws
            pc: Counter = Counter()
            if resolvable:
                pc[preemption.NO_VICTIMS] = resolvable
            if n - resolvable:
                pc[preemption.NOT_HELPFUL] = n - resolvable
            diag.preemption = "preemption: " + fit_error(n, {}, counts=pc)
            return
        diag.counts = None
        diag.statuses = {self.names[i]: st for i, st in enumerate(shape.status)}


def _normalize(raw: np.ndarray, reverse: bool) -> np.ndarray:
    """DefaultNormalizeScore over the selected nodes."""
    top = int(raw.max()) if len(raw) else 0
    if top == 0:
        return np.full(len(raw), MAX_NODE_SCORE if reverse else 0, dtype=np.int64)
    s = MAX_NODE_SCORE * raw // top
    return MAX_NODE_SCORE - s if reverse else s
