"""The cluster map: every node with the pods it runs; pods without a node apart, with the reason.

Each pod card shows its name, its status (in the status colour, also on the card's left stripe),
its IP and its owner; its fill is the colour of its app. A node that is not Ready has a red
frame. Pods the scheduler could not place are gathered under the nodes with the scheduler's own
words for why.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st
from k8scourse.viz.canvas import Canvas, line_height
from k8scourse.viz.model import pod_status, unschedulable_reason, view_of
from k8scourse.viz.shapes import (NODE_HEADER, PAD, heading, node_frame, note_lines, pod_card,
                                  pod_card_height)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WIDTH = 9.0
MARGIN = 0.15
GAP = 0.15
NODE_MIN = 2.25          # narrowest node column with pods (inches)
EMPTY_NODE = 1.6         # the column of a node without pods
POD_MIN = 1.55           # narrowest pod card
POD_GAP = 0.07


def draw_cluster(cluster: Any, ax: Axes | None = None, *, namespace: str | None = "default",
                 max_pods_per_node: int = 40, max_nodes: int = 16, max_pending: int = 12,
                 cards_up_to: int = 60, title: str | None = None,
                 highlight: dict[str, str] | None = None) -> Axes:
    """Nodes with their pods (status colour, IP, owner); Pending pods apart with the reason.

    `namespace=None` shows the pods of every namespace. `highlight` maps pod names to a colour
    for their frame (an explorer marks the pod that was just deleted or replaced). Beyond
    `max_nodes` nodes, `max_pods_per_node` pods on a node and `max_pending` Pending pods, the
    rest are counted rather than drawn, so that a big cluster still makes a readable picture;
    with more than `cards_up_to` pods on the nodes drawn, each pod is a small square in its app's
    colour framed in its status colour instead of a card.
    Returns the matplotlib Axes; the cluster is only read.
    """
    view = view_of(cluster)
    c = Canvas(WIDTH)
    nodes = view.list("Node")
    pods = [p for p in view.list("Pod", namespace)]
    on_node: dict[str, list[dict]] = {n["metadata"]["name"]: [] for n in nodes}
    pending: list[dict] = []
    for p in pods:
        node = (p.get("spec") or {}).get("nodeName")
        if node in on_node:
            on_node[node].append(p)
        else:
            pending.append(p)
    shown = nodes[:max_nodes]
    drawn = sum(min(len(on_node[n["metadata"]["name"]]), max_pods_per_node) for n in shown)
    squares = drawn > cards_up_to
    where = "all namespaces" if namespace is None else f"namespace {namespace}"
    y = MARGIN + heading(c, MARGIN, MARGIN, title or f"Cluster map: nodes and their pods ({where})",
                         f"{len(nodes)} node{'s' * (len(nodes) != 1)}, {len(pods)} "
                         f"pod{'s' * (len(pods) != 1)}, simulated time {view.now:.0f} s. " +
                         ("Each square is a pod: filled with its app's colour, framed in its "
                          "status colour." if squares else
                          "Each card: pod, status · IP, owner; its colour is its app, its left "
                          "stripe its status."))
    inner = WIDTH - 2 * MARGIN
    if not nodes:
        c.text(MARGIN, y + 0.05, "No nodes in this cluster: no pod can run until a node joins.",
               size=8.5, color=st.MUTED, style="italic")
        y += line_height(8.5) + 0.2
    else:
        if squares:
            y = _draw_squares(c, view, shown, on_node, y, inner)
        else:
            y = _draw_nodes(c, view, shown, on_node, y, inner, max_pods_per_node,
                            highlight or {})
        if len(nodes) > len(shown):
            hidden = sum(len(on_node[n["metadata"]["name"]]) for n in nodes[len(shown):])
            c.text(MARGIN, y, f"+ {len(nodes) - len(shown)} more nodes with {hidden} pods "
                   f"(max_nodes={max_nodes})", size=8, color=st.MUTED, style="italic")
            y += line_height(8) + 0.1
    if pending:
        y = _draw_pending(c, view, pending, y + 0.1, inner, highlight or {}, max_pending)
    statuses = sorted({pod_status(p) for p in pods})
    apps: dict[str, None] = {}
    for p in pods:
        apps.setdefault(view.app_key(p), None)
    entries = [("dot", st.status_colour(s), s) for s in statuses]
    entries += [("box", view.palette.strong(k), f"app {k}") for k in list(apps)[:10]]
    if len(apps) > 10:
        entries.append(("box", st.NEUTRAL[0], f"+{len(apps) - 10} more apps"))
    marked = {c_ for name, c_ in (highlight or {}).items() if name in {p["metadata"]["name"]
                                                                       for p in pods}}
    if st.HIGHLIGHT in marked:
        entries.append(("box", st.HIGHLIGHT, "orange frame: new since the last action"))
    c.legend(MARGIN, y + 0.05, inner, entries)
    return c.render(ax)


def _widths(row: list[dict], on_node, inner: float) -> list[float]:
    """Column widths: a node without pods gets a narrow column, the others share the rest."""
    busy = [bool(on_node[n["metadata"]["name"]]) for n in row]
    room = inner - (len(row) - 1) * GAP
    n_busy = sum(busy)
    if n_busy == 0 or n_busy == len(row):
        return [room / len(row)] * len(row)
    empty = min(EMPTY_NODE, room / len(row))
    share = (room - empty * (len(row) - n_busy)) / n_busy
    return [share if b else empty for b in busy]


def _draw_nodes(c: Canvas, view, nodes, on_node, y, inner, max_pods, highlight) -> float:
    n = len(nodes)
    cols = max(1, min(n, int((inner + GAP) // (NODE_MIN + GAP))))
    card_h = pod_card_height(3)
    for row_start in range(0, n, cols):
        row = nodes[row_start:row_start + cols]
        widths = _widths(row, on_node, inner)
        subs = [max(1, int((w - 2 * PAD + POD_GAP) // (POD_MIN + POD_GAP))) for w in widths]
        heights = []
        for node, sub in zip(row, subs):
            count = len(on_node[node["metadata"]["name"]])
            shown = min(count, max_pods)
            lines = math.ceil(shown / sub) if shown else 0
            h = NODE_HEADER + lines * (card_h + POD_GAP) + PAD
            if count > shown:
                h += line_height(7.5) + 0.04
            if count == 0:
                h += line_height(7.5) + 0.04
            heights.append(h)
        row_h = max(heights)
        x = MARGIN
        for i, node in enumerate(row):
            col_w, sub = widths[i], subs[i]
            card_w = (col_w - 2 * PAD - (sub - 1) * POD_GAP) / sub
            name = node["metadata"]["name"]
            node_pods = on_node[name]
            node_frame(c, view, node, x, y, col_w, row_h, pods=len(node_pods))
            py = y + NODE_HEADER
            for k, p in enumerate(node_pods[:max_pods]):
                cx = x + PAD + (k % sub) * (card_w + POD_GAP)
                cy = py + (k // sub) * (card_h + POD_GAP)
                pod_card(c, view, p, cx, cy, card_w, highlight=highlight.get(p["metadata"]["name"]))
            shown = min(len(node_pods), max_pods)
            end = py + (math.ceil(shown / sub) if shown else 0) * (card_h + POD_GAP)
            if len(node_pods) > shown:
                c.text(x + PAD, end, f"+ {len(node_pods) - shown} more pods", size=7.5,
                       color=st.MUTED, style="italic")
            elif not node_pods:
                c.text(x + PAD, end, "no pods here", size=7.5, color=st.FAINT, style="italic")
            x += col_w + GAP
        y += row_h + GAP
    return y


SQUARE = 0.13
SQUARE_GAP = 0.035
MAX_SQUARES = 500


def _draw_squares(c: Canvas, view, nodes, on_node, y, inner) -> float:
    """Each node a frame of small squares, one per pod: the overview of a big cluster."""
    n = len(nodes)
    cols = max(1, min(n, int((inner + GAP) // (NODE_MIN + GAP))))
    for row_start in range(0, n, cols):
        row = nodes[row_start:row_start + cols]
        col_w = (inner - (len(row) - 1) * GAP) / len(row)
        per_line = max(1, int((col_w - 2 * PAD + SQUARE_GAP) // (SQUARE + SQUARE_GAP)))
        counts = [len(on_node[nd["metadata"]["name"]]) for nd in row]
        lines = [math.ceil(min(n_, MAX_SQUARES) / per_line) for n_ in counts]
        row_h = NODE_HEADER + max(lines) * (SQUARE + SQUARE_GAP) + PAD
        if max(counts) > MAX_SQUARES:
            row_h += line_height(7.5)
        for i, node in enumerate(row):
            x = MARGIN + i * (col_w + GAP)
            pods = on_node[node["metadata"]["name"]]
            node_frame(c, view, node, x, y, col_w, row_h, pods=len(pods))
            cells = []
            for k, p in enumerate(pods[:MAX_SQUARES]):
                strong, light = view.colours(p)
                cells.append((x + PAD + (k % per_line) * (SQUARE + SQUARE_GAP),
                              y + NODE_HEADER + (k // per_line) * (SQUARE + SQUARE_GAP),
                              SQUARE, strong, st.status_colour(pod_status(p))))
            c.squares(cells, lw=1.2)
            if len(pods) > MAX_SQUARES:
                c.text(x + PAD, y + row_h - PAD - line_height(7.5),
                       f"+ {len(pods) - MAX_SQUARES} more pods", size=7.5, color=st.MUTED,
                       style="italic")
        y += row_h + GAP
    return y


def _draw_pending(c: Canvas, view, pending, y, inner, highlight, limit: int) -> float:
    title_h = line_height(9) + 2 * PAD
    more = len(pending) - min(len(pending), limit)
    total = len(pending)
    pending = pending[:limit]
    cols = max(1, min(len(pending), int((inner - 2 * PAD + POD_GAP) // (2.8 + POD_GAP))))
    card_w = (inner - 2 * PAD - (cols - 1) * POD_GAP) / cols
    cards = []
    for p in pending:
        note = note_lines(f"Why: {unschedulable_reason(p)}", card_w)
        cards.append((p, note, pod_card_height(3, len(note))))
    rows = [cards[i:i + cols] for i in range(0, len(cards), cols)]
    body = sum(max(h for _, _, h in r) + POD_GAP for r in rows)
    if more:
        body += line_height(7.5) + 0.04
    h = title_h + body + PAD
    c.box(MARGIN, y, inner, h, face="#fffaf0", edge=st.WAITING_COLOUR, lw=1.2, ls=(0, (4, 2)),
          style="square", z=1)
    c.text(MARGIN + PAD, y + PAD, f"Not on any node ({total} pod"
           f"{'s' * (total != 1)}): the scheduler found no node for them yet",
           size=9, weight="bold", color="#8a6100")
    cy = y + title_h
    for r in rows:
        for i, (p, note, _) in enumerate(r):
            pod_card(c, view, p, MARGIN + PAD + i * (card_w + POD_GAP), cy, card_w, note=note,
                     highlight=highlight.get(p["metadata"]["name"]))
        cy += max(hh for _, _, hh in r) + POD_GAP
    if more:
        c.text(MARGIN + PAD, cy, f"+ {more} more Pending pods", size=7.5, color=st.MUTED,
               style="italic")
    return y + h + GAP
