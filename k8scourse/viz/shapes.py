"""The pieces every diagram is built from: a pod card, a node frame, a workload box, a heading.

Each draws one kind the same way everywhere (see style.py), measures its own texts and shortens
long names to the room it has.
"""

from __future__ import annotations

from k8scourse.viz import style as st
from k8scourse.viz.canvas import (Canvas, fit_name, fit_pairs, fit_text, line_height, text_width,
                                  wrap)
from k8scourse.viz.model import View, controller_ref, node_ip, node_ip_from_config, node_roles
from k8scourse.viz.model import node_status as node_status_of
from k8scourse.viz.model import pod_ip, pod_status

NAME_SIZE = 7.3
DETAIL_SIZE = 7.0
PAD = 0.07
CARD_PAD = 0.05
STRIPE = 0.05


def pod_card_height(rows: int = 3, extra_lines: int = 0) -> float:
    """The height of a pod card showing `rows` lines (name, status and IP, owner)."""
    return (CARD_PAD * 2 + line_height(NAME_SIZE) + (rows - 1) * line_height(DETAIL_SIZE)
            + extra_lines * line_height(DETAIL_SIZE) + 0.02)


def owner_label(pod: dict) -> str:
    """`rs/web-7c5ddbdf54`: the pod's controller, as kubectl names it; or that it has none."""
    ref = controller_ref(pod)
    if ref is None:
        return "no owner"
    return f"{st.KIND_BADGE.get(ref.get('kind'), ref.get('kind', '').lower())}/{ref.get('name')}"


def pod_card(c: Canvas, view: View, pod: dict, x: float, y: float, w: float, *,
             rows: int = 3, note: list[str] | None = None, highlight: str | None = None,
             labels: dict | None = None) -> float:
    """A pod: app colour fill, a status stripe, name / status and IP / owner. Returns its height.

    `note` adds wrapped lines under the card's rows (a Pending pod's reason); `labels`
    replaces the owner row by the pod's labels in the app colour (the ownership diagram).
    """
    meta = pod["metadata"]
    strong, light = view.colours(pod)
    status = pod_status(pod)
    scol = st.status_colour(status)
    note = note or []
    h = pod_card_height(rows, len(note))
    gid = f"Pod/{meta.get('namespace', '')}/{meta['name']}"
    c.box(x, y, w, h, face=light, edge=highlight or strong, lw=2.2 if highlight else 1.0,
          style="round", radius=0.05, z=2, gid=gid)
    c.box(x, y, STRIPE, h, face=scol, edge=scol, lw=0.5, style="square", z=2.1)
    tx = x + STRIPE + CARD_PAD + 0.01
    room = w - (tx - x) - CARD_PAD
    ty = y + CARD_PAD + 0.01
    c.text(tx, ty, fit_name(meta["name"], room, NAME_SIZE, "bold"), size=NAME_SIZE,
           weight="bold", color=st.INK, gid=gid)
    ty += line_height(NAME_SIZE)
    if rows >= 2:
        # one text for status and IP: fewer artists keep big maps quick to draw
        ip = pod_ip(pod)
        detail = f"{status} · {ip}" if ip else status
        if text_width(detail, DETAIL_SIZE) > room:
            detail = status
        c.text(tx, ty, fit_text(detail, room, DETAIL_SIZE), size=DETAIL_SIZE, color=scol)
        ty += line_height(DETAIL_SIZE)
    if rows >= 3:
        if labels is not None:
            words = fit_pairs(labels, room, DETAIL_SIZE, prefix="labels: ") if labels \
                else "no labels"
            c.text(tx, ty, words, size=DETAIL_SIZE, color=strong)
        else:
            c.text(tx, ty, fit_name(owner_label(pod), room, DETAIL_SIZE), size=DETAIL_SIZE,
                   color=st.MUTED)
        ty += line_height(DETAIL_SIZE)
    for line in note:
        c.text(tx, ty, line, size=DETAIL_SIZE, color=st.INK, style="italic")
        ty += line_height(DETAIL_SIZE)
    return h


CHIP_SIZE = 7.2


def pod_chip_height() -> float:
    return line_height(CHIP_SIZE) + 2 * 0.05


def pod_chip(c: Canvas, view: View, pod: dict, x: float, y: float, w: float, *,
             highlight: str | None = None) -> float:
    """A pod in little room: its name on its app colour, the status as the stripe's colour."""
    meta = pod["metadata"]
    strong, light = view.colours(pod)
    scol = st.status_colour(pod_status(pod))
    h = pod_chip_height()
    gid = f"Pod/{meta.get('namespace', '')}/{meta['name']}"
    c.box(x, y, w, h, face=light, edge=highlight or strong, lw=2.0 if highlight else 0.9,
          style="round", radius=0.04, z=2, gid=gid)
    c.box(x, y, STRIPE, h, face=scol, edge=scol, lw=0.5, style="square", z=2.1)
    c.text(x + STRIPE + 0.05, y + 0.05, fit_name(meta["name"], w - STRIPE - 0.1, CHIP_SIZE),
           size=CHIP_SIZE, color=st.INK, gid=gid)
    return h


def note_lines(text: str, w: float, max_lines: int = 4) -> list[str]:
    """`text` wrapped to fit a pod card `w` inches wide."""
    return wrap(text, w - STRIPE - 2 * CARD_PAD - 0.01, DETAIL_SIZE, max_lines=max_lines)


NODE_HEADER = PAD + line_height(9) + 2 * line_height(DETAIL_SIZE) + PAD + 0.04


def node_frame(c: Canvas, view: View, node: dict, x: float, y: float, w: float, h: float, *,
               pods: int | None = None) -> None:
    """A node: a square frame with its name, Ready status and IP, roles and pod count on top."""
    name = node["metadata"]["name"]
    status = node_status_of(node)
    scol = st.STATUS_COLOURS["Ready"] if status.startswith("Ready") else st.ERROR_COLOUR
    c.kind_box("Node", x, y, w, h, gid=f"Node/{name}",
               edge=None if status.startswith("Ready") else st.ERROR_COLOUR)
    bw = c.badge(x + PAD, y + PAD, "node", color=st.MUTED)
    c.text(x + PAD + bw + 0.06, y + PAD - 0.01, fit_name(name, w - bw - 3 * PAD, 9, "bold"),
           size=9, weight="bold", gid=f"Node/{name}")
    ty = y + PAD + line_height(9)
    c.dot(x + PAD + 0.05, ty + line_height(DETAIL_SIZE) * 0.45, 0.045, color=scol)
    status = fit_text(status, w - 2 * PAD - 0.14, DETAIL_SIZE, "bold")
    sw = c.text(x + PAD + 0.14, ty, status, size=DETAIL_SIZE, weight="bold", color=scol)
    ip = node_ip(node) or node_ip_from_config(view, name)
    room = w - (PAD + 0.14 + sw + 0.08) - PAD
    if ip and room > 0.3:
        c.text(x + PAD + 0.14 + sw + 0.08, ty, fit_text(ip, room, DETAIL_SIZE), size=DETAIL_SIZE,
               color=st.MUTED)
    parts = [",".join(node_roles(node)) or "worker"]
    if pods:
        parts.append(f"{pods} pod{'s' if pods != 1 else ''}")
    c.text(x + PAD, ty + line_height(DETAIL_SIZE), fit_text("  ·  ".join(parts), w - 2 * PAD,
                                                          DETAIL_SIZE),
           size=DETAIL_SIZE, color=st.MUTED)


def heading(c: Canvas, x: float, y: float, title: str, subtitle: str = "",
            width: float | None = None) -> float:
    """A diagram's title (and a line saying what to look at); returns the height used."""
    width = width or (c.width - 2 * x)
    c.text(x, y, fit_text(title, width, 11, "bold"), size=11, weight="bold")
    h = line_height(11)
    if subtitle:
        lines = wrap(subtitle, width, 8)
        h += c.lines(x, y + h, lines, size=8, color=st.MUTED)
    return h + 0.08


def workload_box(c: Canvas, view: View, obj: dict, x: float, y: float, w: float,
                 rows: list[tuple], *, gid: str | None = None, emphasis: bool = False) -> float:
    """A Deployment/ReplicaSet/Service box: its kind badge and name, then rows of (text, colour).

    A row's text may be a function of the room (inches) returning a line or a list of lines.
    """
    kind = obj.get("kind", "")
    strong, light = view.colours(obj)
    inset = PAD + (0.05 if kind in ("Deployment", "DaemonSet", "Service") else 0)
    room = w - 2 * inset
    lines: list[tuple[str, str]] = []
    for text, colour in rows:
        text = text(room) if callable(text) else fit_text(text, room, DETAIL_SIZE)
        for line in ([text] if isinstance(text, str) else text):
            lines.append((line, colour))
    h = PAD * 2 + line_height(8.5) + len(lines) * line_height(DETAIL_SIZE) + 0.02
    if kind == "Service":
        h += 0.04
    meta = obj["metadata"]
    gid = gid or f"{kind}/{meta.get('namespace', '')}/{meta['name']}"
    c.kind_box(kind, x, y, w, h, face=light if emphasis else "white", edge=strong, gid=gid)
    bw = c.badge(x + inset, y + PAD, st.KIND_BADGE.get(kind, kind.lower()), color=strong)
    c.text(x + inset + bw + 0.06, y + PAD - 0.01,
           fit_name(meta["name"], w - bw - 2 * inset - 0.06, 8.5, "bold"), size=8.5,
           weight="bold", gid=gid)
    ty = y + PAD + line_height(8.5) + 0.02
    for text, colour in lines:
        c.text(x + inset, ty, text, size=DETAIL_SIZE, color=colour)
        ty += line_height(DETAIL_SIZE)
    return h


def component_box(c: Canvas, x: float, y: float, w: float, h: float, name: str, detail: str = "",
                  *, active: bool = False, size: float = 7.8, gid: str | None = None) -> None:
    """A control-plane or node component (kube-apiserver, kubelet, ...), orange when it acted."""
    c.box(x, y, w, h, face=st.HIGHLIGHT_FILL if active else "white",
          edge=st.HIGHLIGHT if active else "#8792a2", lw=1.8 if active else 0.9,
          style="round", radius=0.05, z=2, gid=gid or f"component/{name}")
    lh = line_height(size)
    total = lh + (line_height(DETAIL_SIZE) if detail else 0)
    ty = y + (h - total) / 2
    c.text(x + w / 2, ty, fit_text(name, w - 0.1, size, "bold"), size=size, weight="bold",
           ha="center", color=st.HIGHLIGHT if active else st.INK)
    if detail:
        c.text(x + w / 2, ty + lh, fit_text(detail, w - 0.1, DETAIL_SIZE), size=DETAIL_SIZE,
               ha="center", color=st.MUTED)
