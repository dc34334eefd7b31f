"""The architecture: the control plane, each worker and kubectl, with who acted for the last command.

Every change goes from kubectl to kube-apiserver, which keeps it in etcd; the controllers and the
scheduler watch the API server and write back; each node's kubelet starts what is bound to its
node through the container runtime. The components that acted since the last kubectl command
that changed something are drawn in orange, numbered in the order they first acted, and listed
underneath with what they did and, from the decision trace, why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st
from k8scourse.viz.canvas import Canvas, fit_text, line_height, wrap
from k8scourse.viz.model import View, node_ip, node_ip_from_config, node_roles, view_of
from k8scourse.viz.shapes import component_box, heading

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WIDTH = 9.0
MARGIN = 0.15
COMP_H = 0.5
AGENT_H = 0.36
MAX_WORKERS = 5
#: requests that are housekeeping, not a consequence of a command (node heartbeats, leases)
HOUSEKEEPING_KINDS = ("Node", "Lease")


@dataclass
class Step:
    """One component's part in what followed a command."""

    number: int
    component: str              # kubectl, kube-controller-manager, kube-scheduler, kubelet, ...
    node: str | None = None     # for kubelets
    actors: list[str] = field(default_factory=list)
    #: (verb, kind) -> the objects it was done to, each with how many requests
    actions: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    why: str = ""


def component_of(actor: str) -> tuple[str, str | None]:
    """The component an API request's actor belongs to, and the node for node agents."""
    a = actor.strip()
    low = a.lower()
    node = None
    m = re.match(r"^(kubelet|kube-proxy)\s*(?:[/@:]|\son\s)\s*(\S+)$", a)
    if m:
        return m.group(1), m.group(2)
    if low == "kubectl" or low.startswith("kubectl"):
        return "kubectl", None
    if "scheduler" in low:
        return "kube-scheduler", None
    if low.startswith("kubelet"):
        return "kubelet", node
    if low.startswith("kube-proxy"):
        return "kube-proxy", node
    if low in ("kube-apiserver", "apiserver"):
        return "kube-apiserver", None
    if "controller" in low or low in ("garbage-collector", "node-lifecycle", "podgc"):
        return "kube-controller-manager", None
    return a, None


def _plural(kind: str, n: int) -> str:
    if n == 1 or kind.endswith("s"):
        return kind
    return kind + "s"


VERBS = {"create": "created", "update": "updated", "update-status": "updated the status of",
         "delete": "deleted", "patch": "patched"}


def last_command_steps(view: View) -> tuple[tuple | None, list[Step]]:
    """The last kubectl request that changed something, and every component's part since."""
    requests = view.requests
    last = None
    for i in range(len(requests) - 1, -1, -1):
        if component_of(requests[i][5])[0] == "kubectl":
            last = i
            break
    if last is None:
        return None, []
    start = last
    t_cmd = requests[last][0]
    while start > 0 and component_of(requests[start - 1][5])[0] == "kubectl" and \
            requests[start - 1][0] == t_cmd:
        start -= 1
    steps: dict[tuple[str, str | None], Step] = {}
    for t, verb, kind, ns, name, actor in requests[start:]:
        comp, node = component_of(actor)
        if comp in ("kubelet", "kube-proxy", "kube-controller-manager", "kube-scheduler") and \
                kind in HOUSEKEEPING_KINDS:
            continue
        if comp == "kubelet" and node is None and kind == "Pod":
            pod = view.get("Pod", ns, name)
            node = ((pod or {}).get("spec") or {}).get("nodeName")
        key = (comp, node)
        step = steps.get(key)
        if step is None:
            step = steps[key] = Step(len(steps) + 1, comp, node)
        if actor not in step.actors:
            step.actors.append(actor)
        names = step.actions.setdefault((verb, kind), {})
        names[name] = names.get(name, 0) + 1
    t0 = requests[start][0]
    for d in view.decisions:
        if d.time < t0:
            continue
        comp, node = component_of(d.component)
        for step in steps.values():
            if step.why:
                continue
            if step.component == "kubelet":
                # a kubelet's reason is its own: the same node, named or in the sentence
                ok = comp == "kubelet" and step.node is not None and (
                    node == step.node or (node is None and f" {step.node}" in d.message))
            else:
                ok = d.component in step.actors
            if ok:
                step.why = d.message
                break
    return requests[start], sorted(steps.values(), key=lambda s: s.number)


def describe(step: Step) -> str:
    """`created Deployment web; created 3 Pods` for a step's requests."""
    parts = []
    for (verb, kind), names in step.actions.items():
        n = len(names)
        what = f"{kind} {next(iter(names))}" if n == 1 else f"{n} {_plural(kind, n)}"
        if step.component == "kube-scheduler" and (verb, kind) == ("update", "Pod"):
            parts.append(f"bound {what} to {'a node' if n == 1 else 'nodes'}")
        elif step.component == "kubelet" and (verb, kind) == ("update-status", "Pod"):
            parts.append(f"ran and reported on {what}")
        else:
            parts.append(f"{VERBS.get(verb, verb)} {what}")
    return "; ".join(parts)


def _who(step: Step) -> str:
    if step.component == "kubelet":
        return f"kubelet on {step.node}" if step.node else "kubelet"
    if step.component == "kube-controller-manager":
        return f"kube-controller-manager ({', '.join(step.actors)})"
    return step.component


def draw_architecture(cluster: Any, ax: Axes | None = None) -> Axes:
    """The control plane, the workers, kubectl; what acted for the last command in orange.

    Returns the Axes; the cluster is only read.
    """
    view = view_of(cluster)
    c = Canvas(WIDTH)
    cmd, steps = last_command_steps(view)
    if cmd is None:
        sub = ("No kubectl command has changed the cluster yet. Every change will travel from "
               "kubectl to kube-apiserver, which keeps it in etcd.")
    else:
        sub = (f"The last change kubectl asked for: {cmd[1]} {cmd[2]} {cmd[4]}, at {cmd[0]:.0f} s. "
               "Orange: the components that acted since, numbered in order.")
    y = MARGIN + heading(c, MARGIN, MARGIN, "Kubernetes architecture", sub)
    acting = {(s.component, s.node): s for s in steps}
    by_comp: dict[str, Step] = {}
    for s in steps:
        by_comp.setdefault(s.component, s)

    nodes = view.list("Node")
    cp_names = {n["metadata"]["name"] for n in nodes if "control-plane" in node_roles(n)}
    for cfg in getattr(view.config, "nodes", None) or ():
        if getattr(cfg, "control_plane", False):
            cp_names.add(cfg.name)
    cp_nodes = [n for n in nodes if n["metadata"]["name"] in cp_names]
    workers = [n for n in nodes if n["metadata"]["name"] not in cp_names]
    tainted = {n["metadata"]["name"] for n in cp_nodes if any(
        t.get("key") == "node-role.kubernetes.io/control-plane"
        for t in (n.get("spec") or {}).get("taints") or ())}

    # the control plane -------------------------------------------------------------------------
    fx, fw = 1.75, WIDTH - MARGIN - 1.75
    top = y
    cp_title = "control plane"
    if cp_nodes:
        n0 = cp_nodes[0]
        ip = node_ip(n0) or node_ip_from_config(view, n0["metadata"]["name"])
        cp_title += f" · node {n0['metadata']['name']}" + (f" ({ip})" if ip else "")
    r1 = top + 0.42
    r2 = r1 + COMP_H + 0.42
    frame_h = (r2 + COMP_H + 0.2) - top
    c.box(fx, top, fw, frame_h, face="#f5f6f8", edge="#8792a2", lw=1.2, style="square", z=0.3,
          gid="component/control-plane")
    c.text(fx + 0.1, top + 0.08, fit_text(cp_title, fw - 0.2, 8.5, "bold"), size=8.5,
           weight="bold", color=st.MUTED)
    sx, sw = fx + 0.3, 1.95
    mx, mw = sx + sw + 0.3, 2.15
    ax_, aw = sx, mx + mw - sx
    ex, ew = ax_ + aw + 0.55, 1.45
    gx, gw = ex, ew
    sched, cm = by_comp.get("kube-scheduler"), by_comp.get("kube-controller-manager")
    component_box(c, sx, r1, sw, COMP_H, "kube-scheduler", "picks a node for each pod",
                  active=sched is not None)
    component_box(c, mx, r1, mw, COMP_H, "kube-controller-manager",
                  "the controllers' loops", active=cm is not None)
    any_write = bool(steps)
    component_box(c, ax_, r2, aw, COMP_H, "kube-apiserver", "every request goes through it",
                  active=any_write)
    component_box(c, ex, r2, ew, COMP_H, "etcd", "the cluster's state", active=any_write)
    cp_agent = None
    if cp_nodes:
        cp_agent = cp_nodes[0]["metadata"]["name"]
        a = acting.get(("kubelet", cp_agent))
        component_box(c, gx, r1, gw, COMP_H, "kubelet", f"kube-proxy, {_runtime(cp_nodes[0])}",
                      active=a is not None, gid=f"component/kubelet/{cp_agent}")
        # down from the node agents, left above the API server's end, down into it
        ymid = (r1 + COMP_H + r2) / 2
        into = ax_ + aw - 0.2
        c.line([gx + gw / 2, gx + gw / 2, into], [r1 + COMP_H, ymid, ymid], color=_edge(a),
               lw=_lw(a), z=0.7 if a else 0.5)
        c.arrow((into, ymid), (into, r2), color=_edge(a), lw=_lw(a), head=6, z=0.7 if a else 0.5)
        if a:
            c.number(gx + gw / 2 + 0.16, ymid - 0.13, a.number)
    hot = st.HIGHLIGHT
    c.line([ex, ax_ + aw], [r2 + COMP_H / 2] * 2, color=hot if any_write else "#8792a2",
           lw=1.8 if any_write else 1.0)
    for box_x, box_w, s in ((sx, sw, sched), (mx, mw, cm)):
        mid = box_x + box_w / 2
        c.arrow((mid, r1 + COMP_H), (mid, r2), color=_edge(s), lw=_lw(s), both=True, head=6)
        if s:
            c.number(mid + 0.17, (r1 + COMP_H + r2) / 2, s.number)

    # kubectl --------------------------------------------------------------------------------------
    k = by_comp.get("kubectl")
    kx, kw = MARGIN, 1.25
    component_box(c, kx, r2, kw, COMP_H, "kubectl", "you", active=k is not None)
    c.arrow((kx + kw, r2 + COMP_H / 2), (ax_, r2 + COMP_H / 2), color=_edge(k), lw=_lw(k),
            head=8)
    if k:
        c.number((kx + kw + fx) / 2, r2 + COMP_H / 2 - 0.16, k.number)

    # the workers ----------------------------------------------------------------------------------
    y = top + frame_h
    bus = y + 0.25
    wy = bus + 0.25
    inner = WIDTH - 2 * MARGIN
    shown = workers[:MAX_WORKERS]
    if not shown:
        note = ("No worker nodes: " + ("the control plane node runs the pods too."
                                       if cp_nodes and not tainted else "nothing can run your pods."))
        c.text(MARGIN, y + 0.2, note, size=8, color=st.MUTED, style="italic")
        y += 0.2 + line_height(8)
    else:
        n = len(shown) + (1 if len(workers) > len(shown) else 0)
        gap = 0.15
        ww = (inner - (n - 1) * gap) / n
        api_mid = ax_ + aw / 2
        xs = [MARGIN + i * (ww + gap) + ww / 2 for i in range(len(shown))]
        kube_acted = any(s.component == "kubelet" and s.node in
                         {w["metadata"]["name"] for w in shown} for s in steps)
        c.line([api_mid, api_mid], [r2 + COMP_H, bus], color=hot if kube_acted else "#8792a2",
               lw=1.8 if kube_acted else 1.0)
        c.line([min(xs + [api_mid]), max(xs + [api_mid])], [bus, bus], color="#8792a2", lw=1.0)
        for wx, w in zip(xs, shown):
            if ("kubelet", w["metadata"]["name"]) in acting:
                c.line([api_mid, wx], [bus, bus], color=hot, lw=1.8, z=0.7)
        wh = 0.32 + 3 * (AGENT_H + 0.08) + 0.1
        for i, w in enumerate(shown):
            x = MARGIN + i * (ww + gap)
            name = w["metadata"]["name"]
            _worker(c, view, w, x, wy, ww, wh, acting.get(("kubelet", name)), bus)
        if len(workers) > len(shown):
            x = MARGIN + len(shown) * (ww + gap)
            c.box(x, wy, ww, wh, face="white", edge="#c3c9d3", lw=1.0, ls=(0, (4, 2)),
                  style="square")
            c.text(x + ww / 2, wy + wh / 2, f"+ {len(workers) - len(shown)} more",
                   size=8, color=st.MUTED, ha="center", va="center")
        y = wy + wh
    y = _what_happened(c, steps, y + 0.2)
    return c.render(ax)


def _runtime(node: dict) -> str:
    """`containerd` or `docker`: the node's container runtime, as its kubelet reports it."""
    version = ((node.get("status") or {}).get("nodeInfo") or {}).get("containerRuntimeVersion", "")
    return version.split("://")[0] or "container runtime"


def _edge(step: Step | None) -> str:
    return st.HIGHLIGHT if step else "#8792a2"


def _lw(step: Step | None) -> float:
    return 1.8 if step else 1.0


def _worker(c: Canvas, view: View, node: dict, x: float, y: float, w: float, h: float,
            step: Step | None, bus: float) -> None:
    name = node["metadata"]["name"]
    ip = node_ip(node) or node_ip_from_config(view, name)
    pods = len(view.store.pods_on_node(name)) if hasattr(view, "store") else \
        sum(1 for p in view.list("Pod") if (p.get("spec") or {}).get("nodeName") == name)
    c.box(x, y, w, h, face="#f5f6f8", edge="#8792a2", lw=1.2, style="square", z=0.3,
          gid=f"Node/{name}")
    c.text(x + 0.08, y + 0.07, fit_text(f"worker · {name}", w - 0.16, 8, "bold"), size=8,
           weight="bold", color=st.MUTED, gid=f"Node/{name}")
    detail = f"{ip} · {pods} pod{'s' * (pods != 1)}" if ip else f"{pods} pod{'s' * (pods != 1)}"
    c.text(x + 0.08, y + 0.07 + line_height(8), fit_text(detail, w - 0.16, 7), size=7,
           color=st.MUTED)
    runtime = _runtime(node)
    ay = y + 0.42
    bw = w - 0.2
    mid = x + w / 2
    c.line([mid, mid], [bus, ay], color=_edge(step), lw=_lw(step), z=0.7 if step else 0.5)
    component_box(c, x + 0.1, ay, bw, AGENT_H, "kubelet", active=step is not None,
                  gid=f"component/kubelet/{name}")
    component_box(c, x + 0.1, ay + AGENT_H + 0.08, bw, AGENT_H, "kube-proxy",
                  gid=f"component/kube-proxy/{name}")
    component_box(c, x + 0.1, ay + 2 * (AGENT_H + 0.08), bw, AGENT_H, runtime,
                  active=step is not None, gid=f"component/runtime/{name}")
    if step:
        c.number(mid + 0.17, (bus + y) / 2, step.number)


def _what_happened(c: Canvas, steps: list[Step], y: float) -> float:
    if not steps:
        return y
    c.text(MARGIN, y, "What happened since that command", size=9, weight="bold")
    y += line_height(9) + 0.06
    width = WIDTH - 2 * MARGIN - 0.35
    shown = steps[:8]
    for s in shown:
        c.number(MARGIN + 0.12, y + line_height(8) * 0.5, s.number)
        lines = wrap(f"{_who(s)}: {describe(s)}", width, 8, max_lines=2)
        y += c.lines(MARGIN + 0.35, y, lines, size=8)
        if s.why:
            why = wrap(f"why: {s.why}", width, 7.5, max_lines=2)
            y += c.lines(MARGIN + 0.35, y, why, size=7.5, color=st.MUTED, style="italic")
        y += 0.05
    if len(steps) > len(shown):
        c.text(MARGIN + 0.35, y, f"… and {len(steps) - len(shown)} more components",
               size=7.5, color=st.MUTED, style="italic")
        y += line_height(7.5)
    return y
