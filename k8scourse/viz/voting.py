"""The voting app on the cluster: its five parts, their Services and pods, and a vote's journey.

A vote goes from the browser through the voting-app's Service to a vote pod, which pushes it
onto the list in redis; the worker takes it from redis and writes it into postgres (`db`); the
result app reads the tally from `db` and the browser shows it through the result Service.
The parts find each other by Service name, exactly as their code is written: `redis` on 6379
and `db` on 5432. A missing or misnamed Service is drawn in red with what goes wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st
from k8scourse.viz.canvas import Canvas, fit_name, fit_text, line_height, wrap
from k8scourse.viz.model import View, pod_ip, pod_status, selects, view_of
from k8scourse.viz.shapes import heading

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WIDTH = 9.0
MARGIN = 0.15
MAX_PODS = 3
SERVICE_H = 0.08 + line_height(7.5) + line_height(7)


@dataclass
class Tier:
    """One part of the app: which images it runs, which Service name the others look for."""

    key: str
    title: str
    repos: tuple[str, ...]
    needs_service: str | None        # the name the code connects to, or "outside" for NodePorts
    port: int | None
    pods: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)


def _tiers() -> list[Tier]:
    from k8scourse.apps.vote import RESULT_REPOS, VOTE_REPOS, WORKER_REPOS

    return [
        Tier("vote", "voting-app (Python)", VOTE_REPOS, "outside", 80),
        Tier("redis", "redis (in-memory queue)", ("redis",), "redis", 6379),
        Tier("worker", "worker (.NET)", WORKER_REPOS, None, None),
        Tier("db", "db: postgres", ("postgres",), "db", 5432),
        Tier("result", "result-app (Node.js)", RESULT_REPOS, "outside", 80),
    ]


def _repository(image: str) -> str:
    try:
        from k8scourse.kubelet.images import parse

        return parse(image).repository
    except Exception:
        name = image.split("@")[0]
        if ":" in name.rsplit("/", 1)[-1]:
            name = name.rsplit(":", 1)[0]
        return name.removeprefix("docker.io/").removeprefix("library/")


def find_tiers(view: View, namespace: str = "default") -> list[Tier]:
    """The app's parts with the pods running their images and the Services selecting those pods."""
    tiers = _tiers()
    for p in view.list("Pod", namespace):
        repos = {_repository(c.get("image", "")) for c in (p.get("spec") or {}).get("containers") or ()}
        for t in tiers:
            if repos & set(t.repos):
                t.pods.append(p)
                break
    for svc in view.list("Service", namespace):
        sel = (svc.get("spec") or {}).get("selector")
        for t in tiers:
            if t.pods and any(selects(sel, p["metadata"].get("labels")) for p in t.pods):
                t.services.append(svc)
    return tiers


def _service_problem(t: Tier) -> tuple[str, str, bool]:
    """(the Service's name line, what it does or what is wrong, whether it is a problem)."""
    if t.needs_service is None:
        return "no Service needed", "nobody connects to the worker", False
    if not t.services:
        if t.needs_service == "outside":
            return "no Service", "the browser cannot reach it", True
        return f"no Service '{t.needs_service}'", "the others cannot find it", True
    svc = t.services[0]
    spec = svc.get("spec") or {}
    name = svc["metadata"]["name"]
    port = next((p for p in spec.get("ports") or () if isinstance(p, dict)), {})
    if t.needs_service == "outside":
        if spec.get("type") in ("NodePort", "LoadBalancer") and port.get("nodePort"):
            return (f"svc {name}", f"NodePort {port['nodePort']} → port {port.get('port')} → "
                    f"pod {port.get('targetPort', port.get('port'))}", False)
        return f"svc {name}", f"{spec.get('type', 'ClusterIP')}: not reachable from outside", True
    if name != t.needs_service:
        return f"svc {name}", f"but the code looks for '{t.needs_service}'", True
    if port.get("port") != t.port:
        return f"svc {name}", f"port {port.get('port')}, but the code uses {t.port}", True
    return f"svc {name}", f"{name}:{t.port} → pod {port.get('targetPort', t.port)}", False


STEPS = [
    ("browser", "vote", "you vote on the voting-app page (POST /)"),
    ("vote", "redis", "the vote is pushed onto the list 'votes' in redis (RPUSH)"),
    ("redis", "worker", "the worker takes each vote off the list (LPOP)"),
    ("worker", "db", "the worker writes it into the table 'votes' in postgres (INSERT/UPDATE)"),
    ("db", "result", "the result app counts the votes (SELECT vote, COUNT(id) … GROUP BY vote)"),
    ("result", "browser", "you see the percentages on the result page"),
]


def draw_voting_app(cluster: Any, ax: Axes | None = None, *,
                    namespace: str = "default") -> Axes:
    """The voting app's parts with their Services and pods, and the numbered path of one vote.

    Returns the Axes; the cluster is only read.
    """
    view = view_of(cluster)
    tiers = {t.key: t for t in find_tiers(view, namespace)}
    c = Canvas(WIDTH)
    deployed = sum(1 for t in tiers.values() if t.pods)
    sub = ("The path of one vote, numbered. Parts find each other by Service name: 'redis' and "
           "'db' are written in their code.")
    if not deployed:
        sub = "Not deployed in this namespace yet: this is what it will look like. " + sub
    y = MARGIN + heading(c, MARGIN, MARGIN, f"The voting app (namespace {namespace})", sub)
    tw = 2.3
    col1, col2 = 1.45, 4.15
    boxes = {"vote": (col1, y), "redis": (col2, y), "worker": (WIDTH - MARGIN - tw, None),
             "result": (col1, None), "db": (col2, None)}
    heights = {k: _tier_height(t) for k, t in tiers.items()}
    row1 = max(heights["vote"], heights["redis"])
    y2 = y + row1 + 0.55
    boxes["result"] = (col1, y2)
    boxes["db"] = (col2, y2)
    row2 = max(heights["result"], heights["db"])
    mid1, mid2 = y + heights["vote"] / 2, y2 + heights["result"] / 2
    boxes["worker"] = (WIDTH - MARGIN - tw, (y + row1 + y2) / 2 - heights["worker"] / 2)
    anchors = {}
    for key, (x, ty) in boxes.items():
        _tier(c, view, tiers[key], x, ty, tw, heights[key])
        anchors[key] = (x, ty, tw, heights[key])
    # the browser, between the two rows at the left
    bx, bw, bh = MARGIN, 0.95, 0.55
    by = (mid1 + mid2) / 2 - bh / 2
    c.box(bx, by, bw, bh, face="white", edge=st.INK, lw=1.0, style="round", gid="browser")
    c.text(bx + bw / 2, by + bh / 2 - 0.09, "browser", size=8.5, weight="bold", ha="center",
           va="center_baseline")
    c.text(bx + bw / 2, by + bh / 2 + 0.11, "you", size=7, color=st.MUTED, ha="center",
           va="center_baseline")
    hot = st.HIGHLIGHT

    def edge(key: str, side: str) -> tuple[float, float]:
        x, ty, w, h = anchors[key]
        return {"left": (x, ty + min(h, 0.9) / 2), "right": (x + w, ty + min(h, 0.9) / 2),
                "top": (x + w / 2, ty), "bottom": (x + w / 2, ty + h)}[side]

    paths = [
        ((bx + bw * 0.6, by), edge("vote", "left")),
        (edge("vote", "right"), edge("redis", "left")),
        (edge("redis", "right"), (anchors["worker"][0] + 0.4, anchors["worker"][1])),
        ((anchors["worker"][0] + 0.4, anchors["worker"][1] + anchors["worker"][3]),
         edge("db", "right")),
        (edge("db", "left"), edge("result", "right")),
        (edge("result", "left"), (bx + bw * 0.6, by + bh)),
    ]
    for i, (start, end) in enumerate(paths, 1):
        ok = all(tiers[k].pods for k in (STEPS[i - 1][0], STEPS[i - 1][1]) if k in tiers)
        colour = hot if ok else "#b8bec8"
        if i in (1, 6):     # the browser's links: up then right, left then down
            corner = (start[0], end[1]) if i == 1 else (end[0], start[1])
            c.line([start[0], corner[0]], [start[1], corner[1]], color=colour, lw=1.6)
            c.arrow(corner, end, color=colour, lw=1.6, head=8)
            num = (corner[0] + (end[0] - corner[0]) / 2, corner[1] - 0.15) if i == 1 else \
                ((start[0] + corner[0]) / 2, start[1] - 0.15)
        else:
            c.arrow(start, end, color=colour, lw=1.6, head=8)
            # beside the arrow's middle, clear of the boxes it joins
            dx, dy = {3: (0.17, -0.1), 4: (0.17, 0.1)}.get(i, (0.0, -0.15))
            num = ((start[0] + end[0]) / 2 + dx, (start[1] + end[1]) / 2 + dy)
        c.number(num[0], num[1], i, color=colour if ok else st.MUTED)
    y = max(y2 + row2, by + bh) + 0.25
    c.text(MARGIN, y, "The journey of one vote", size=9, weight="bold")
    y += line_height(9) + 0.06
    for i, (_, _, words) in enumerate(STEPS, 1):
        c.number(MARGIN + 0.12, y + line_height(8) * 0.5, i)
        y += c.lines(MARGIN + 0.35, y, wrap(words, WIDTH - 2 * MARGIN - 0.4, 8), size=8) + 0.06
    return c.render(ax)


def _tier_height(t: Tier) -> float:
    pods = max(1, min(len(t.pods), MAX_PODS) + (1 if len(t.pods) > MAX_PODS else 0))
    return 0.08 + line_height(8.5) + line_height(7) + 0.12 + SERVICE_H + pods * (line_height(7.5) +
                                                                     line_height(7) + 0.06) + 0.04


def _tier(c: Canvas, view: View, t: Tier, x: float, y: float, w: float, h: float) -> None:
    present = bool(t.pods)
    strong = view.colours(t.pods[0])[0] if present else st.FAINT
    c.box(x, y, w, h, face="white" if present else "#fafafa", edge=strong, lw=1.2,
          ls="-" if present else (0, (4, 2)), style="round", radius=0.07, gid=f"tier/{t.key}")
    c.text(x + 0.08, y + 0.06, fit_text(t.title, w - 0.16, 8.5, "bold"), size=8.5, weight="bold",
           color=st.INK if present else st.MUTED)
    images = ", ".join(dict.fromkeys(c_.get("image", "") for p in t.pods
                                     for c_ in (p.get("spec") or {}).get("containers") or ()))
    c.text(x + 0.08, y + 0.06 + line_height(8.5),
           fit_text(f"image {images}" if images else f"image {t.repos[0]} (not running)",
                    w - 0.16, 7), size=7, color=st.MUTED)
    sy = y + 0.08 + line_height(8.5) + line_height(7) + 0.04
    if present:
        name, what, problem = _service_problem(t)
    else:
        name, what, problem = (("no Service needed", "", False) if t.needs_service is None else
                               ("Service: not created yet", "", False))
    colour = st.ERROR_COLOUR if problem else (strong if t.services else st.MUTED)
    sh = SERVICE_H
    if t.services or problem:
        c.box(x + 0.08, sy, w - 0.16, sh, face=st.HIGHLIGHT_FILL if problem else "white",
              edge=colour, lw=1.0, style="round", radius=0.16,
              gid=f"Service/{t.services[0]['metadata'].get('namespace')}/"
                  f"{t.services[0]['metadata']['name']}" if t.services else None)
    c.text(x + 0.18, sy + 0.04, fit_text(name, w - 0.36, 7.5, "bold"), size=7.5, weight="bold",
           color=colour)
    if what:
        c.text(x + 0.18, sy + 0.04 + line_height(7.5), fit_text(what, w - 0.36, 7), size=7,
               color=colour if problem else st.MUTED)
    py = sy + sh + 0.08
    ph = line_height(7.5) + line_height(7) + 0.02
    for p in t.pods[:MAX_PODS]:
        status = pod_status(p)
        scol = st.status_colour(status)
        strong_p, light_p = view.colours(p)
        gid = f"Pod/{p['metadata'].get('namespace', '')}/{p['metadata']['name']}"
        c.box(x + 0.08, py, w - 0.16, ph, face=light_p, edge=strong_p, lw=0.9, style="round",
              radius=0.04, gid=gid)
        c.box(x + 0.08, py, 0.06, ph, face=scol, edge=scol, lw=0.4, style="square")
        c.text(x + 0.2, py + 0.02, fit_name(p["metadata"]["name"], w - 0.36, 7.5, "bold"),
               size=7.5, weight="bold", gid=gid)
        ip = pod_ip(p)
        c.text(x + 0.2, py + 0.02 + line_height(7.5),
               fit_text(f"{status} · {ip}" if ip else status, w - 0.36, 7), size=7, color=scol)
        py += ph + 0.06
    if len(t.pods) > MAX_PODS:
        c.text(x + 0.1, py, f"+ {len(t.pods) - MAX_PODS} more pods", size=7.5, color=st.MUTED,
               style="italic")
    if not t.pods:
        c.text(x + 0.1, py, "no pod runs this image", size=7.5, color=st.FAINT, style="italic")
