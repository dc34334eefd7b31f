"""How a request reaches a pod through a Service: client, node IP:nodePort, Service, endpoints.

Read left to right: a NodePort Service opens its nodePort on every node, control plane
included; whichever node a client calls, kube-proxy sends the connection to the Service's
port and on to one of the endpoints (ready pods the selector matches), at their targetPort,
whatever node the pod runs on. Inside the cluster the Service is also reachable at its ClusterIP
and DNS name. After traffic, each endpoint shows how many requests it answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st
from k8scourse.viz.canvas import (Canvas, fit_name, fit_text, line_height, pairs_lines,
                                  text_width, wrap)
from k8scourse.viz.model import (View, format_labels, node_ip, node_ip_from_config, pod_ip,
                                 pod_ready, selects, view_of)
from k8scourse.viz.shapes import DETAIL_SIZE, PAD, heading, workload_box

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WIDTH = 9.0
MARGIN = 0.15
CLIENT = (0.15, 1.35)
NODES = (1.85, 2.0)
SERVICE = (4.2, 2.25)
ENDPOINTS = (6.8, 2.05)
MAX_NODES = 6
ROW_GAP = 0.12
COMPACT_AFTER = 5        # more endpoints than this: two lines each
MAX_ENDPOINTS = 16


def endpoints_of(view: View, svc: dict) -> list[dict]:
    """Each endpoint of `svc`: pod, ip, node, port, ready (from its Endpoints, else its selector)."""
    meta = svc["metadata"]
    ns = meta.get("namespace", "default")
    out = []
    ep = view.get("Endpoints", ns, meta["name"])
    if ep is not None:
        for subset in ep.get("subsets") or ():
            port = next((p.get("port") for p in subset.get("ports") or ()), None)
            for ready, key in ((True, "addresses"), (False, "notReadyAddresses")):
                for a in subset.get(key) or ():
                    ref = a.get("targetRef") or {}
                    out.append({"pod": ref.get("name", ""), "ip": a.get("ip", ""),
                                "node": a.get("nodeName", ""), "port": port, "ready": ready})
        return sorted(out, key=lambda e: (not e["ready"], e["node"], e["pod"]))
    selector = (svc.get("spec") or {}).get("selector")
    if not selector:
        return []
    target = _first_port(svc).get("targetPort")
    for p in view.list("Pod", ns):
        if selects(selector, p["metadata"].get("labels")) and pod_ip(p) and \
                not p["metadata"].get("deletionTimestamp"):
            out.append({"pod": p["metadata"]["name"], "ip": pod_ip(p),
                        "node": (p.get("spec") or {}).get("nodeName", ""),
                        "port": target if isinstance(target, int) else None,
                        "ready": pod_ready(p)})
    return sorted(out, key=lambda e: (not e["ready"], e["node"], e["pod"]))


def _first_port(svc: dict) -> dict:
    ports = (svc.get("spec") or {}).get("ports") or [{}]
    return ports[0] if isinstance(ports[0], dict) else {}


def request_counts(cluster: Any, svc: dict, since: float = 0.0) -> tuple[dict, dict, dict]:
    """What the cluster's network recorded for `svc` since `since`.

    Returns (answered per pod name, failed per pod name or error, requests per node entered
    through the nodePort), from `cluster.network.requests_to("ns/name")`; empty without a
    network model.
    """
    net = getattr(cluster, "network", None)
    if net is None or not hasattr(net, "requests_to"):
        return {}, {}, {}
    meta = svc["metadata"]
    answered: dict[str, int] = {}
    failed: dict[str, int] = {}
    entered: dict[str, int] = {}
    node_of_ip = getattr(net, "node_ips", {})
    for r in net.requests_to(f"{meta.get('namespace', 'default')}/{meta['name']}", since):
        pod = r.pod.split("/", 1)[-1] if r.pod else ""
        if r.ok and pod:
            answered[pod] = answered.get(pod, 0) + 1
        else:
            key = pod or r.error or "failed"
            failed[key] = failed.get(key, 0) + 1
        if r.via == "NodePort":
            node = node_of_ip.get(r.address.rsplit(":", 1)[0])
            if node:
                entered[node] = entered.get(node, 0) + 1
    return answered, failed, entered


def draw_service(cluster: Any, ax: Axes | None = None, *, name: str | None = None, namespace: str = "default",
                 counts: dict[str, int] | None = None) -> Axes:
    """The path of a request through Service `name`: client, nodePorts, Service, endpoints.

    `counts` (pod name -> requests answered) overrides what the cluster recorded. Returns the
    Axes; the cluster is only read.
    """
    view = view_of(cluster)
    c = Canvas(WIDTH)
    services = [s for s in view.list("Service", namespace)
                if name is not None or s["metadata"]["name"] != "kubernetes"]
    svc = next((s for s in services if name is None or s["metadata"]["name"] == name), None)
    if svc is None:
        heading(c, MARGIN, MARGIN, f"Service {name or ''} routing".replace("  ", " "),
                f"No Service {name + ' ' if name else ''}in namespace {namespace} yet: create one "
                "with kubectl expose or a Service manifest.")
        return c.render(ax)
    failed: dict[str, int] = {}
    entered: dict[str, int] = {}
    if counts is None and not isinstance(cluster, View):
        counts, failed, entered = request_counts(cluster, svc)
    counts = counts or {}
    spec = svc.get("spec") or {}
    stype = spec.get("type", "ClusterIP")
    sname = svc["metadata"]["name"]
    port = _first_port(svc)
    eps = endpoints_of(view, svc)
    total = sum(counts.get(e["pod"], counts.get(e["ip"], 0)) for e in eps)
    sub = {"NodePort": f"From outside: any node's IP at port {port.get('nodePort')}. Inside the "
                       "cluster: the ClusterIP or the DNS name.",
           "LoadBalancer": "From outside: the load balancer, then any node's nodePort.",
           "ClusterIP": "Only from inside the cluster: the ClusterIP or the DNS name.",
           }.get(stype, "")
    if total:
        sub += f" {total} request{'s' * (total != 1)} answered so far."
    n_failed = sum(failed.values())
    if n_failed:
        sub += f" {n_failed} failed."
    y0 = MARGIN + heading(c, MARGIN, MARGIN, f"Service {sname} ({stype}): how a request reaches "
                          "a pod", sub)
    # columns: heights first, so that each is centred on the tallest
    nodes = view.list("Node") if stype in ("NodePort", "LoadBalancer") else []
    shown_nodes = nodes[:MAX_NODES]
    node_h = 0.5
    nodes_height = len(shown_nodes) * (node_h + ROW_GAP) - ROW_GAP if shown_nodes else 0
    compact = len(eps) > COMPACT_AFTER
    more = max(0, len(eps) - MAX_ENDPOINTS)
    eps_shown = eps[:MAX_ENDPOINTS]
    ep_h = 0.42 if compact else 0.62
    gap = 0.07 if compact else ROW_GAP
    eps_height = max(len(eps_shown), 1) * (ep_h + gap) - gap + (0.25 if more else 0)
    rows = _service_rows(svc)
    svc_lines = sum(len(t(SERVICE[1] - 2 * PAD - 0.1)) if callable(t) else 1 for t, _ in rows)
    svc_h = PAD * 2 + line_height(8.5) + svc_lines * line_height(DETAIL_SIZE) + 0.06
    tallest = max(nodes_height, eps_height, svc_h, 0.8)
    mid = y0 + 0.3 + tallest / 2
    for label, (x, _) in (("client", CLIENT), ("node IP : nodePort", NODES),
                          ("Service", SERVICE), ("endpoints: pod IP : targetPort", ENDPOINTS)):
        if label.startswith("node") and not shown_nodes:
            continue
        c.text(x, y0, label, size=7.5, color=st.FAINT, weight="bold")
    # the client
    cx, cw = CLIENT
    client_h = 0.62
    outside = stype in ("NodePort", "LoadBalancer")
    c.box(cx, mid - client_h / 2, cw, client_h, face="white", edge=st.INK, lw=1.0, style="round",
          gid="client")
    c.text(cx + cw / 2, mid - 0.1, "client", size=8.5, weight="bold", ha="center",
           va="center_baseline")
    c.text(cx + cw / 2, mid + 0.1, "browser, curl" if outside else "a pod in the cluster",
           size=DETAIL_SIZE, color=st.MUTED, ha="center", va="center_baseline")
    # the Service
    sx, sw = SERVICE
    sy = mid - svc_h / 2
    workload_box(c, view, svc, sx, sy, sw, rows)
    strong = view.colours(svc)[0]
    # nodes
    if shown_nodes:
        nx, nw = NODES
        ny = mid - nodes_height / 2
        for i, n in enumerate(shown_nodes):
            y = ny + i * (node_h + ROW_GAP)
            nm = n["metadata"]["name"]
            ip = node_ip(n) or node_ip_from_config(view, nm)
            c.kind_box("Node", nx, y, nw, node_h, gid=f"Node/{nm}")
            c.text(nx + PAD, y + 0.06, fit_name(nm, nw - 2 * PAD, 8, "bold"), size=8, weight="bold",
                   gid=f"Node/{nm}")
            address = f"{ip}:{port.get('nodePort', '')}"
            if entered.get(nm):
                address += f" · {entered[nm]} in"
            c.text(nx + PAD, y + 0.06 + line_height(8),
                   fit_text(address, nw - 2 * PAD, DETAIL_SIZE), size=DETAIL_SIZE, color=strong,
                   weight="bold")
            c.arrow((cx + cw, mid), (nx, y + node_h / 2),
                    color=st.HIGHLIGHT if entered.get(nm) else "#8792a2", lw=0.9, head=6)
            c.arrow((nx + nw, y + node_h / 2), (sx, mid), color="#8792a2", lw=0.9, head=6)
        if len(nodes) > len(shown_nodes):
            c.text(nx, ny + nodes_height + 0.05, f"+ {len(nodes) - len(shown_nodes)} more nodes",
                   size=7.5, color=st.MUTED, style="italic")
    else:
        c.arrow((cx + cw, mid), (sx, mid), color="#8792a2", lw=1.0, head=7)
    # endpoints
    ex, ew = ENDPOINTS
    ey = mid - eps_height / 2
    if not eps:
        sel = format_labels(spec.get("selector")) or "<none>"
        lines = wrap(f"No endpoints: no ready pod matches the selector {sel}. Requests to this "
                     "Service fail.", ew, 7.5, max_lines=5)
        c.lines(ex, mid - len(lines) * line_height(7.5) / 2, lines, size=7.5,
                color=st.ERROR_COLOUR, style="italic")
    most = max([counts.get(e["pod"], counts.get(e["ip"], 0)) for e in eps] + [1])
    for i, e in enumerate(eps_shown):
        y = ey + i * (ep_h + gap)
        n = counts.get(e["pod"], counts.get(e["ip"], 0))
        bad = failed.get(e["pod"], 0)
        pod = view.get("Pod", svc["metadata"].get("namespace", "default"), e["pod"])
        strong_p, light_p = view.colours(pod) if pod is not None else (strong, "white")
        face = light_p if e["ready"] else "#f2f2f2"
        c.box(ex, y, ew, ep_h, face=face, edge=strong_p if e["ready"] else "#b0b0b0", lw=1.0,
              style="round", radius=0.05, gid=f"Pod/{svc['metadata'].get('namespace')}/{e['pod']}")
        c.text(ex + PAD, y + 0.05, fit_name(e["pod"], ew - 2 * PAD, 7.5, "bold"), size=7.5,
               weight="bold", color=st.INK if e["ready"] else st.MUTED)
        target = f"{e['ip']}:{e['port']}" if e["port"] else e["ip"]
        third = (f"answered {n} request{'s' * (n != 1)}" if n else
                 f"{bad} request{'s' * (bad != 1)} failed here" if bad else
                 ("ready: gets traffic" if e["ready"] else "not ready: gets no traffic"))
        third_colour = st.HIGHLIGHT if n else (st.ERROR_COLOUR if bad or not e["ready"]
                                               else st.MUTED)
        if compact:
            short = f"{target} on {e['node'] or '?'}"
            tail = f" · {n} req." if n else (f" · {bad} failed" if bad else
                                             "" if e["ready"] else " · not ready")
            if text_width(short + tail, DETAIL_SIZE) > ew - 2 * PAD:
                short = target
            short += tail
            c.text(ex + PAD, y + 0.05 + line_height(7.5), fit_text(short, ew - 2 * PAD,
                                                                  DETAIL_SIZE),
                   size=DETAIL_SIZE, color=third_colour if (n or not e["ready"]) else st.MUTED)
        else:
            c.text(ex + PAD, y + 0.05 + line_height(7.5),
                   fit_name(f"{target} on {e['node'] or '?'}", ew - 2 * PAD, DETAIL_SIZE),
                   size=DETAIL_SIZE, color=st.MUTED)
            c.text(ex + PAD, y + 0.05 + line_height(7.5) + line_height(DETAIL_SIZE),
                   fit_text(third, ew - 2 * PAD, DETAIL_SIZE, "bold" if n else "normal"),
                   size=DETAIL_SIZE, weight="bold" if n else "normal", color=third_colour)
        if e["ready"]:
            lw = 0.9 + 1.8 * n / most if n else 0.9
            c.arrow((sx + sw, mid), (ex, y + ep_h / 2), color=st.HIGHLIGHT if n else strong,
                    lw=lw, head=6 + lw)
        else:
            c.line([sx + sw, ex], [mid, y + ep_h / 2], color="#c3c9d3", lw=0.8, ls=(0, (3, 3)))
    if more:
        rest = sum(counts.get(e["pod"], counts.get(e["ip"], 0)) for e in eps[MAX_ENDPOINTS:])
        c.text(ex, ey + len(eps_shown) * (ep_h + gap), f"+ {more} more endpoints" +
               (f" ({rest} requests)" if rest else ""), size=7.5, color=st.MUTED, style="italic")
    return c.render(ax)


def _service_rows(svc: dict) -> list[tuple[str, str]]:
    spec = svc.get("spec") or {}
    meta = svc["metadata"]
    ns = meta.get("namespace", "default")
    rows = []
    ip = spec.get("clusterIP", "")
    if ip == "None":
        rows.append(("headless: DNS answers with pod IPs", st.INK))
    for p in (spec.get("ports") or [])[:3]:
        if not isinstance(p, dict):
            continue
        line = f"{ip}:{p.get('port')}" if ip and ip != "None" else f"port {p.get('port')}"
        line += f" → targetPort {p.get('targetPort', p.get('port'))}"
        rows.append((line, st.INK))
        if p.get("nodePort"):
            rows.append((f"nodePort {p['nodePort']} on every node", st.INK))
    dns = f"DNS {meta['name']}.{ns}.svc.cluster.local"
    rows.append((lambda room: wrap(dns, room, DETAIL_SIZE, max_lines=2), st.MUTED))
    sel = spec.get("selector")
    if sel:
        rows.append((lambda room: pairs_lines(sel, room, DETAIL_SIZE, prefix="selector: "),
                     st.MUTED))
    else:
        rows.append(("no selector (endpoints by hand)", st.MUTED))
    return rows
