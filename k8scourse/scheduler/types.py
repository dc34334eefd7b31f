"""Statuses and the FitError text (pkg/scheduler/framework/interface.go and types.go).

A filter plugin answers with a Status: Unschedulable (removing pods might help, so preemption may
try) or UnschedulableAndUnresolvable (it will not). The FitError message adds the reasons up over
the nodes into a histogram, sorted as strings:

    0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },
    2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for
    scheduling, 2 No preemption victims found for incoming pod.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

UNSCHEDULABLE = "Unschedulable"
UNRESOLVABLE = "UnschedulableAndUnresolvable"

#: framework.NoNodeAvailableMsg
NO_NODE_AVAILABLE = "0/{} nodes are available"
#: scheduler.ErrNoNodesAvailable
NO_NODES_AVAILABLE = "no nodes available to schedule pods"
#: validation.NoteLengthLimit: longer event notes are cut to fit
NOTE_LENGTH_LIMIT = 1024


class Status:
    """A plugin's verdict on one node: a code, the reasons (one per problem), the plugin."""

    __slots__ = ("code", "reasons", "plugin")

    def __init__(self, code: str, reasons: Iterable[str], plugin: str = ""):
        self.code = code
        self.reasons = tuple(reasons)
        self.plugin = plugin

    @property
    def resolvable(self) -> bool:
        """Whether evicting pods could change the verdict (code Unschedulable)."""
        return self.code == UNSCHEDULABLE

    def message(self) -> str:
        return ", ".join(self.reasons)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Status) and (self.code, self.reasons, self.plugin) == \
            (other.code, other.reasons, other.plugin)

    def __hash__(self) -> int:
        return hash((self.code, self.reasons, self.plugin))

    def __repr__(self) -> str:
        return f"Status({self.code}, {list(self.reasons)}, {self.plugin!r})"


def fit_error(num_all_nodes: int, statuses: dict, absent: Status | None = None,
              prefilter_msg: str = "", postfilter_msg: str = "",
              counts: Counter | None = None) -> str:
    """FitError.Error(): `0/N nodes are available: <histogram>.` plus the PostFilter message.

    `statuses` maps the nodes that were checked to their Status; the `absent` status stands for
    every other node (those a PreFilter plugin ruled out, or all nodes for preemption).
    `counts` may stand in for `statuses`: the histogram already added up (with `ruled_out`
    nodes behind it, as the fast path reports it).
    """
    msg = NO_NODE_AVAILABLE.format(num_all_nodes) + ":"
    if prefilter_msg:
        msg += f" {prefilter_msg}."
    else:
        reasons: Counter = Counter()
        explicit = len(statuses)
        if counts is not None:
            reasons.update(counts)
            explicit = num_all_nodes
        for status in statuses.values():
            for r in status.reasons:
                reasons[r] += 1
        if absent is not None and explicit < num_all_nodes:
            for r in absent.reasons:
                reasons[r] += num_all_nodes - explicit
        hist = sorted(f"{n} {r}" for r, n in reasons.items())
        if hist:
            msg += " " + ", ".join(hist) + "."
    if postfilter_msg:
        # since v1.28 the preemption message keeps its own period and no second one is added
        msg += f" {postfilter_msg}"
    return msg


def truncate_message(message: str) -> str:
    """schedule_one.truncateMessage: events and conditions carry at most 1024 characters."""
    if len(message) <= NOTE_LENGTH_LIMIT:
        return message
    suffix = " ..."
    return message[:NOTE_LENGTH_LIMIT - len(suffix)] + suffix
