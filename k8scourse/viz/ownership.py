"""Who owns whom: Deployments, their ReplicaSets (revision, replicas) and the pods of each.

Read left to right: a Deployment owns ReplicaSets, one per revision of its pod template; each
ReplicaSet owns the pods its selector matches. The selector in a box and the labels on a pod
are written in the same colour: they are what ties a pod to its ReplicaSet, and the
pod-template-hash label is what keeps the ReplicaSets of one Deployment apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st
from k8scourse.viz.canvas import Canvas, fit_pairs, line_height, pairs_lines
from k8scourse.viz.model import View, controller_ref, view_of
from k8scourse.viz.shapes import (DETAIL_SIZE, heading, pod_card, pod_card_height, pod_chip,
                                  pod_chip_height, workload_box)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WIDTH = 9.0
MARGIN = 0.15
COLS = ((0.15, 2.45), (2.9, 2.55), (5.75, 3.1))   # (x, width) of Deployment, ReplicaSet, pods
#: a ReplicaSet with more pods than this shows them as small chips, two a row
CARDS_UP_TO = 4
POD_GAP = 0.07
GROUP_GAP = 0.28
OWNED_KINDS = ("ReplicaSet", "ReplicationController", "DaemonSet")


def _template_image(obj: dict) -> str:
    spec = ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}
    return ", ".join(c.get("image", "") for c in spec.get("containers") or ())


def _revision(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get(
            "deployment.kubernetes.io/revision", "0"))
    except ValueError:
        return 0


def _selector(obj: dict) -> dict[str, str]:
    sel = (obj.get("spec") or {}).get("selector") or {}
    if "matchLabels" in sel or "matchExpressions" in sel:
        out = dict(sel.get("matchLabels") or {})
        for e in sel.get("matchExpressions") or ():
            out[f"{e.get('key')} {e.get('operator', '')}"] = ",".join(e.get("values") or ())
        return out
    return dict(sel)


def _selector_row(obj: dict):
    sel = _selector(obj)
    return lambda room: pairs_lines(sel, room, DETAIL_SIZE, prefix="selector: ") if sel \
        else "selector: <none>"


def draw_ownership(cluster: Any, ax: Axes | None = None, *, namespace: str = "default",
                   name: str | None = None, max_pods: int = 40) -> Axes:
    """Deployments -> ReplicaSets -> pods, with the selectors and labels that tie them.

    `name` keeps one Deployment (or standalone ReplicaSet). Returns the Axes.
    """
    view = view_of(cluster)
    c = Canvas(WIDTH)
    y = MARGIN + heading(
        c, MARGIN, MARGIN, f"Who owns whom (namespace {namespace})",
        "A Deployment owns one ReplicaSet per revision; a ReplicaSet owns the pods whose labels "
        "match its selector (selector and labels in the same colour).")
    deployments = view.list("Deployment", namespace)
    owned = view.list("ReplicaSet", namespace) + view.list("ReplicationController", namespace) + \
        view.list("DaemonSet", namespace)
    pods = view.list("Pod", namespace)
    children: dict[str, list[dict]] = {}
    for o in owned + pods:
        ref = controller_ref(o)
        if ref is not None:
            children.setdefault(ref.get("uid", ""), []).append(o)
    groups: list[tuple[dict | None, list[dict]]] = []
    for d in deployments:
        rss = [o for o in children.get(d["metadata"]["uid"], ()) if o["kind"] == "ReplicaSet"]
        rss.sort(key=lambda r: (-_revision(r), r["metadata"]["name"]))
        groups.append((d, rss))
    known = {d["metadata"]["uid"] for d in deployments}
    for o in owned:
        ref = controller_ref(o)
        if ref is None or ref.get("uid") not in known and view.by_uid(ref.get("uid", "")) is None:
            groups.append((None, [o]))
    if name is not None:
        groups = [g for g in groups if (g[0] or g[1][0])["metadata"]["name"] == name]
    if not groups:
        c.text(MARGIN, y + 0.05, "Nothing here owns pods yet: no Deployment, ReplicaSet or "
               "ReplicationController in this namespace.", size=8.5, color=st.MUTED,
               style="italic")
        y += line_height(8.5) + 0.2
    for top, middles in groups:
        y = _draw_group(c, view, top, middles, children, y, max_pods) + GROUP_GAP
    bare = [p for p in pods if controller_ref(p) is None]
    if bare and name is None:
        y = _draw_bare(c, view, bare, y)
    return c.render(ax)


def _rs_rows(view: View, rs: dict, current: bool | None) -> list[tuple[str, str]]:
    strong = view.colours(rs)[0]
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    rows = []
    if rs["kind"] == "ReplicaSet" and current is not None:
        rev = _revision(rs)
        rows.append((f"revision {rev} · {'current' if current else 'old'}",
                     st.INK if current else st.MUTED))
    if rs["kind"] == "DaemonSet":
        rows.append((f"pods: {status.get('desiredNumberScheduled', 0)} desired · "
                     f"{status.get('numberReady', 0)} ready (one per node)", st.INK))
    else:
        rows.append((f"replicas: {spec.get('replicas', 1)} desired · {status.get('replicas', 0)} "
                     f"current · {status.get('readyReplicas', 0)} ready", st.INK))
    rows.append((_selector_row(rs), strong))
    rows.append((f"image: {_template_image(rs)}", st.MUTED))
    return rows


def _deployment_rows(view: View, d: dict) -> list[tuple[str, str]]:
    strong = view.colours(d)[0]
    spec, status = d.get("spec") or {}, d.get("status") or {}
    strategy = spec.get("strategy") or {}
    kind = strategy.get("type", "RollingUpdate")
    rows = [
        (f"replicas: {spec.get('replicas', 1)} desired", st.INK),
        (f"{status.get('updatedReplicas', 0)} up-to-date · {status.get('availableReplicas', 0)} "
         "available", st.INK),
        (_selector_row(d), strong),
        (f"strategy: {kind}", st.MUTED),
    ]
    if kind == "RollingUpdate":
        ru = strategy.get("rollingUpdate") or {}
        rows.append((f"maxSurge {ru.get('maxSurge', '25%')} · maxUnavailable "
                     f"{ru.get('maxUnavailable', '25%')}", st.MUTED))
    rows.append((f"image: {_template_image(d)}", st.MUTED))
    return rows


def _draw_pods(c: Canvas, view: View, pods: list[dict], x: float, y: float, w: float,
               max_pods: int) -> tuple[list[float], float]:
    """The pods of one owner: cards (few) or chips two a row (many); (middles, height)."""
    shown = pods[:max_pods]
    mids = []
    py = y
    if len(pods) <= CARDS_UP_TO:
        for p in shown:
            h = pod_card(c, view, p, x, py, w, labels=p["metadata"].get("labels") or {})
            mids.append(py + h / 2)
            py += h + POD_GAP
    else:
        cw = (w - POD_GAP) / 2
        h = pod_chip_height()
        labels = shown[0]["metadata"].get("labels") or {}
        c.text(x, py, fit_pairs(labels, w, DETAIL_SIZE, prefix="labels: "), size=DETAIL_SIZE,
               color=view.colours(shown[0])[0])
        py += line_height(DETAIL_SIZE) + 0.02
        for i, p in enumerate(shown):
            cy = py + (i // 2) * (h + POD_GAP)
            pod_chip(c, view, p, x + (i % 2) * (cw + POD_GAP), cy, cw)
            if i % 2 == 0:
                mids.append(cy + h / 2)
        py += ((len(shown) + 1) // 2) * (h + POD_GAP)
    if len(pods) > len(shown):
        c.text(x, py, f"+ {len(pods) - len(shown)} more pods", size=7.5, color=st.MUTED,
               style="italic")
        py += line_height(7.5) + 0.04
    return mids, py - y


def _draw_group(c: Canvas, view: View, top: dict | None, middles: list[dict], children, y: float,
                max_pods: int) -> float:
    (dx, dw), (rx, rw), (px, pw) = COLS
    top_h = 0.0
    if top is not None:
        top_h = workload_box(c, view, top, dx, y, dw, _deployment_rows(view, top), emphasis=True)
    newest = max((_revision(r) for r in middles), default=0)
    cy = y
    anchors = []
    if not middles:
        c.text(rx, y + 0.05, "no ReplicaSet yet", size=7.5, color=st.FAINT, style="italic")
        cy += line_height(7.5) + 0.1
    for rs in middles:
        current = (_revision(rs) == newest) if top is not None else None
        rs_h = workload_box(c, view, rs, rx, cy, rw, _rs_rows(view, rs, current),
                            emphasis=bool(current))
        anchors.append(cy + min(rs_h, 0.5) / 2)
        rs_pods = [p for p in children.get(rs["metadata"]["uid"], ()) if p["kind"] == "Pod"]
        strong = view.colours(rs)[0]
        stack_h = line_height(7.5) + 0.1
        pod_mids: list[float] = []
        if not rs_pods:
            c.text(px, cy + 0.05, "no pods (scaled to 0)" if (rs.get("spec") or {}).get(
                "replicas", 1) == 0 else "no pods yet", size=7.5, color=st.FAINT, style="italic")
        else:
            pod_mids, stack_h = _draw_pods(c, view, rs_pods, px, cy, pw, max_pods)
        _connect(c, rx + rw, cy + min(rs_h, 0.5) / 2, px, pod_mids, strong)
        cy += max(rs_h, stack_h) + 0.12
    if top is not None and anchors:
        _connect(c, dx + dw, y + min(top_h, 0.5) / 2, rx, anchors, view.colours(top)[0])
    return max(cy, y + top_h)


def _connect(c: Canvas, x0: float, y0: float, x1: float, targets: list[float], colour: str) -> None:
    """An owner's line to each of its children: out of the owner, down a bus, into each child."""
    if not targets:
        return
    bus = x0 + (x1 - x0) * 0.45
    c.line([x0, bus], [y0, y0], color=colour, lw=1.1)
    c.line([bus, bus], [min(targets + [y0]), max(targets + [y0])], color=colour, lw=1.1)
    for t in targets:
        c.arrow((bus, t), (x1, t), color=colour, lw=1.1, head=6)


def _draw_bare(c: Canvas, view: View, bare: list[dict], y: float) -> float:
    (_, _), (rx, rw), (px, pw) = COLS
    c.text(MARGIN, y, "Pods with no owner: nothing recreates them if they are deleted",
           size=8.5, weight="bold", color=st.MUTED)
    y += line_height(8.5) + 0.06
    cols = 2
    w = (WIDTH - 2 * MARGIN - POD_GAP) / cols
    h = pod_card_height(3)
    for i, p in enumerate(bare):
        x = MARGIN + (i % cols) * (w + POD_GAP)
        pod_card(c, view, p, x, y + (i // cols) * (h + POD_GAP), w,
                 labels=p["metadata"].get("labels") or {})
    return y + ((len(bare) + cols - 1) // cols) * (h + POD_GAP)
