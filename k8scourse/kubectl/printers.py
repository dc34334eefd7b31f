"""`kubectl get` tables: the columns the API server sends for each kind, laid out as kubectl does.

The cells are computed as pkg/printers/internalversion/printers.go computes them on the server
(printPod, printService, ...); the decoration (NAMESPACE first, `kind/` prefixes, `-L` and
`--show-labels` columns, priority-1 columns only with `-o wide`) is cli-runtime's table printer.

    table("Pod", pods, now)                  kubectl get pods
    table("Pod", pods, now, wide=True)       kubectl get pods -o wide
    get_all([("Pod", pods), ("Service", svcs)], now)    kubectl get all
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from k8scourse.api import labels as _labels
from k8scourse.kubectl.age import parse_time, translate_timestamp_since
from k8scourse.kubectl.tabwriter import format_rows

__all__ = ["table", "get_all", "columns", "format_labels", "format_label_selector",
           "selector_string", "kind_prefix", "pod_status", "pod_restarts", "join_host_port",
           "format_endpoints"]

Row = list[str]

# --- label and selector formatting (apimachinery labels / metav1 helpers) --------------------------


def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


#: metav1.LabelSelectorAsSelector(sel).String() ("" when empty) and metav1.FormatLabelSelector
#: (`<none>` when it selects by nothing)
selector_string = _labels.selector_string
format_label_selector = _labels.format_selector


def join_host_port(host: str, port: int | str) -> str:
    """net.JoinHostPort: IPv6 addresses get brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _sanitize(cell: str) -> str:
    """cli-runtime cuts a cell at its first line break and marks the cut with `...`."""
    for i, ch in enumerate(cell):
        if ch in "\f\n\r":
            return cell[:i] + "..."
    return cell


# --- Pod ------------------------------------------------------------------------------------------

def _later(current: str | None, candidate: str | None) -> str | None:
    if not candidate:
        return current
    if current is None or parse_time(current) < parse_time(candidate):
        return candidate
    return current


def _restartable(container: dict | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def _condition_true(conditions: Iterable[dict], type_: str) -> bool:
    for c in conditions:
        if c.get("type") == type_:
            return c.get("status") == "True"
    return False


def _pod_summary(pod: dict) -> tuple[str, int, int, int, str | None]:
    """printPod's walk over the container statuses: (reason, ready, total, restarts, last restart)."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    meta = pod.get("metadata") or {}
    conditions = status.get("conditions") or []
    restarts = 0
    restartable_init_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: str | None = None
    last_restartable_init_restart: str | None = None

    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for c in conditions:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = spec.get("initContainers") or []
    init_by_name = {c.get("name"): c for c in init_specs}
    for c in init_specs:
        if _restartable(c):
            total += 1

    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(cs.get("restartCount") or 0)
        last_term = (cs.get("lastState") or {}).get("terminated")
        if last_term:
            last_restart = _later(last_restart, last_term.get("finishedAt"))
        restartable = _restartable(init_by_name.get(cs.get("name")))
        if restartable:
            restartable_init_restarts += int(cs.get("restartCount") or 0)
            if last_term:
                last_restartable_init_restart = _later(last_restartable_init_restart,
                                                       last_term.get("finishedAt"))
        state = cs.get("state") or {}
        term, wait = state.get("terminated"), state.get("waiting")
        if term is not None and int(term.get("exitCode") or 0) == 0:
            continue
        if restartable and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if term.get("signal"):
                    reason = f"Init:Signal:{term['signal']}"
                else:
                    reason = f"Init:ExitCode:{int(term.get('exitCode') or 0)}"
            else:
                reason = "Init:" + term["reason"]
        elif wait is not None and wait.get("reason") and wait.get("reason") != "PodInitializing":
            reason = "Init:" + wait["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition_true(conditions, "Initialized"):
        restarts = restartable_init_restarts
        last_restart = last_restartable_init_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount") or 0)
            last_term = (cs.get("lastState") or {}).get("terminated")
            if last_term:
                last_restart = _later(last_restart, last_term.get("finishedAt"))
            state = cs.get("state") or {}
            term, wait = state.get("terminated"), state.get("waiting")
            if wait is not None and wait.get("reason"):
                reason = wait["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if term.get("signal"):
                    reason = f"Signal:{term['signal']}"
                else:
                    reason = f"ExitCode:{int(term.get('exitCode') or 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        # a pod whose containers completed but one still runs is Running (or NotReady)
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(conditions, "Ready") else "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return reason, ready, total, restarts, last_restart


def pod_status(pod: dict) -> str:
    """The STATUS column of `kubectl get pods` (printPod)."""
    return _pod_summary(pod)[0]


def pod_restarts(pod: dict, now: datetime) -> str:
    """The RESTARTS column: `N`, or `N (<age> ago)` once a container has restarted."""
    _, _, _, restarts, last = _pod_summary(pod)
    if restarts != 0 and last:
        return f"{restarts} ({translate_timestamp_since(last, now)} ago)"
    return str(restarts)


def _pod_row(pod: dict, now: datetime) -> Row:
    reason, ready, total, restarts, last = _pod_summary(pod)
    restarts_str = str(restarts)
    if restarts != 0 and last:
        restarts_str = f"{restarts} ({translate_timestamp_since(last, now)} ago)"
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ips = status.get("podIPs") or []
    ip = (ips[0].get("ip") if ips else status.get("podIP")) or "<none>"
    gates = spec.get("readinessGates") or []
    readiness = "<none>"
    if gates:
        conditions = status.get("conditions") or []
        true_count = 0
        for g in gates:
            for c in conditions:
                if c.get("type") == g.get("conditionType"):
                    if c.get("status") == "True":
                        true_count += 1
                    break
        readiness = f"{true_count}/{len(gates)}"
    return [_name(pod), f"{ready}/{total}", reason, restarts_str, _age(pod, now),
            ip, spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>",
            readiness]


# --- workloads ------------------------------------------------------------------------------------

def _containers_cells(pod_spec: dict | None) -> tuple[str, str]:
    """layoutContainerCells: container names and images, each joined by commas."""
    containers = (pod_spec or {}).get("containers") or []
    return (",".join(c.get("name", "") for c in containers),
            ",".join(c.get("image", "") for c in containers))


def _template_spec(obj: dict) -> dict:
    return (((obj.get("spec") or {}).get("template") or {}).get("spec")) or {}


def _replicaset_row(rs: dict, now: datetime) -> Row:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    names, images = _containers_cells(_template_spec(rs))
    return [_name(rs), str(spec.get("replicas", 1)), str(status.get("replicas") or 0),
            str(status.get("readyReplicas") or 0), _age(rs, now),
            names, images, format_label_selector(spec.get("selector"))]


def _rc_row(rc: dict, now: datetime) -> Row:
    spec, status = rc.get("spec") or {}, rc.get("status") or {}
    names, images = _containers_cells(_template_spec(rc))
    return [_name(rc), str(spec.get("replicas", 1)), str(status.get("replicas") or 0),
            str(status.get("readyReplicas") or 0), _age(rc, now),
            names, images, format_labels(spec.get("selector"))]


def _deployment_row(d: dict, now: datetime) -> Row:
    spec, status = d.get("spec") or {}, d.get("status") or {}
    names, images = _containers_cells(_template_spec(d))
    return [_name(d), f"{status.get('readyReplicas') or 0}/{spec.get('replicas', 1)}",
            str(status.get("updatedReplicas") or 0), str(status.get("availableReplicas") or 0),
            _age(d, now), names, images, selector_string(spec.get("selector"))]


def _daemonset_row(ds: dict, now: datetime) -> Row:
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    tspec = _template_spec(ds)
    names, images = _containers_cells(tspec)
    return [_name(ds), str(status.get("desiredNumberScheduled") or 0),
            str(status.get("currentNumberScheduled") or 0), str(status.get("numberReady") or 0),
            str(status.get("updatedNumberScheduled") or 0), str(status.get("numberAvailable") or 0),
            format_labels(tspec.get("nodeSelector")), _age(ds, now),
            names, images, format_label_selector(spec.get("selector"))]


# --- Service and Endpoints ------------------------------------------------------------------------

_LOAD_BALANCER_WIDTH = 16


def _load_balancer_status(status: dict, wide: bool) -> str:
    ingress = ((status.get("loadBalancer") or {}).get("ingress")) or []
    seen = set()
    for i in ingress:
        if i.get("ip"):
            seen.add(i["ip"])
        elif i.get("hostname"):
            seen.add(i["hostname"])
    r = ",".join(sorted(seen))
    if not wide and len(r) > _LOAD_BALANCER_WIDTH:
        r = r[:_LOAD_BALANCER_WIDTH - 3] + "..."
    return r


def _service_external_ip(svc: dict, wide: bool) -> str:
    spec = svc.get("spec") or {}
    type_ = spec.get("type", "ClusterIP")
    external = spec.get("externalIPs") or []
    if type_ in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if type_ == "LoadBalancer":
        lb = _load_balancer_status(svc.get("status") or {}, wide)
        if external:
            return ",".join(([*lb.split(",")] if lb else []) + list(external))
        return lb or "<pending>"
    if type_ == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def _port_string(ports: Sequence[dict]) -> str:
    pieces = []
    for p in ports:
        proto = p.get("protocol") or "TCP"
        if p.get("nodePort"):
            pieces.append(f"{p.get('port')}:{p['nodePort']}/{proto}")
        else:
            pieces.append(f"{p.get('port')}/{proto}")
    return ",".join(pieces)


def _service_row(svc: dict, now: datetime, wide: bool) -> Row:
    spec = svc.get("spec") or {}
    ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    return [_name(svc), spec.get("type", "ClusterIP"), ips[0] if ips else "<none>",
            _service_external_ip(svc, wide), _port_string(spec.get("ports") or []) or "<none>",
            _age(svc, now), format_labels(spec.get("selector"))]


def format_endpoints(ep: dict, ports: set[str] | None = None, limit: int = 3) -> str:
    """formatEndpoints: `ip:port` joined by commas, at most 3, then ` + N more...`."""
    subsets = ep.get("subsets") or []
    if not subsets:
        return "<none>"
    listed: list[str] = []
    more = False
    count = 0
    for ss in subsets:
        addresses = ss.get("addresses") or []
        ss_ports = ss.get("ports") or []
        if not ss_ports:
            # headless services may have no ports
            count += len(addresses)
            for a in addresses:
                if len(listed) == limit:
                    more = True
                    break
                listed.append(a.get("ip", ""))
            continue
        for port in ss_ports:
            if ports is None or port.get("name", "") in ports:
                count += len(addresses)
                for a in addresses:
                    if len(listed) == limit:
                        more = True
                        break
                    listed.append(join_host_port(a.get("ip", ""), port.get("port")))
    text = ",".join(listed)
    if more:
        return f"{text} + {count - limit} more..."
    return text


def _endpoints_row(ep: dict, now: datetime) -> Row:
    return [_name(ep), format_endpoints(ep), _age(ep, now)]


# --- Node, Namespace, ConfigMap, Event ------------------------------------------------------------

_ROLE_PREFIX = "node-role.kubernetes.io/"


def node_roles(node: dict) -> list[str]:
    """findNodeRoles: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role=<role>`."""
    roles = set()
    for k, v in ((node.get("metadata") or {}).get("labels") or {}).items():
        if k.startswith(_ROLE_PREFIX):
            role = k[len(_ROLE_PREFIX):]
            if role:
                roles.add(role)
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    return sorted(roles)


def _node_address(node: dict, type_: str) -> str:
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == type_:
            return a.get("address", "")
    return "<none>"


def node_status(node: dict) -> str:
    """The STATUS column of `kubectl get nodes`: Ready / NotReady / Unknown [,SchedulingDisabled]."""
    status = []
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            status = ["Ready" if c.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _node_row(node: dict, now: datetime) -> Row:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return [_name(node), node_status(node), ",".join(node_roles(node)) or "<none>", _age(node, now),
            info.get("kubeletVersion", ""), _node_address(node, "InternalIP"),
            _node_address(node, "ExternalIP"), info.get("osImage") or "<unknown>",
            info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


def _namespace_row(ns: dict, now: datetime) -> Row:
    return [_name(ns), (ns.get("status") or {}).get("phase", ""), _age(ns, now)]


def _configmap_row(cm: dict, now: datetime) -> Row:
    return [_name(cm), str(len(cm.get("data") or {}) + len(cm.get("binaryData") or {})),
            _age(cm, now)]


def _event_source(ev: dict) -> str:
    source = ev.get("source") or {}
    component = source.get("component") or ev.get("reportingComponent") or ""
    instance = source.get("host") or ev.get("reportingInstance") or ""
    return f"{component}, {instance}" if instance else component


def _event_row(ev: dict, now: datetime) -> Row:
    first = (translate_timestamp_since(ev.get("firstTimestamp"), now) if ev.get("firstTimestamp")
             else translate_timestamp_since(ev.get("eventTime"), now))
    last = translate_timestamp_since(ev.get("lastTimestamp"), now) if ev.get("lastTimestamp") \
        else first
    count = ev.get("count") or 0
    series = ev.get("series")
    if series:
        last = translate_timestamp_since(series.get("lastObservedTime"), now)
        count = series.get("count") or 0
    elif count == 0:
        count = 1  # singleton events of the new API have no count
    involved = ev.get("involvedObject") or {}
    kind = (involved.get("kind") or "").lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    return [last, ev.get("type", ""), ev.get("reason", ""), target,
            involved.get("fieldPath", ""), _event_source(ev), (ev.get("message") or "").strip(),
            first, str(count), _name(ev)]


def _default_row(obj: dict, now: datetime) -> Row:
    return [_name(obj), _age(obj, now)]


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def _age(obj: dict, now: datetime) -> str:
    return translate_timestamp_since((obj.get("metadata") or {}).get("creationTimestamp"), now)


# --- the column definitions -----------------------------------------------------------------------
# (header, priority, format-name); priority 1 shows only with -o wide.

_C = tuple[str, int, bool]
_WORKLOAD_WIDE: list[_C] = [("Containers", 1, False), ("Images", 1, False), ("Selector", 1, False)]

_COLUMNS: dict[str, list[_C]] = {
    "Pod": [("Name", 0, True), ("Ready", 0, False), ("Status", 0, False), ("Restarts", 0, False),
            ("Age", 0, False), ("IP", 1, False), ("Node", 1, False), ("Nominated Node", 1, False),
            ("Readiness Gates", 1, False)],
    "ReplicaSet": [("Name", 0, True), ("Desired", 0, False), ("Current", 0, False),
                   ("Ready", 0, False), ("Age", 0, False), *_WORKLOAD_WIDE],
    "ReplicationController": [("Name", 0, True), ("Desired", 0, False), ("Current", 0, False),
                              ("Ready", 0, False), ("Age", 0, False), *_WORKLOAD_WIDE],
    "Deployment": [("Name", 0, True), ("Ready", 0, False), ("Up-to-date", 0, False),
                   ("Available", 0, False), ("Age", 0, False), *_WORKLOAD_WIDE],
    "DaemonSet": [("Name", 0, True), ("Desired", 0, False), ("Current", 0, False),
                  ("Ready", 0, False), ("Up-to-date", 0, False), ("Available", 0, False),
                  ("Node Selector", 0, False), ("Age", 0, False), *_WORKLOAD_WIDE],
    "Service": [("Name", 0, True), ("Type", 0, False), ("Cluster-IP", 0, False),
                ("External-IP", 0, False), ("Port(s)", 0, False), ("Age", 0, False),
                ("Selector", 1, False)],
    "Endpoints": [("Name", 0, True), ("Endpoints", 0, False), ("Age", 0, False)],
    "Node": [("Name", 0, True), ("Status", 0, False), ("Roles", 0, False), ("Age", 0, False),
             ("Version", 0, False), ("Internal-IP", 1, False), ("External-IP", 1, False),
             ("OS-Image", 1, False), ("Kernel-Version", 1, False),
             ("Container-Runtime", 1, False)],
    "Namespace": [("Name", 0, True), ("Status", 0, False), ("Age", 0, False)],
    "ConfigMap": [("Name", 0, True), ("Data", 0, False), ("Age", 0, False)],
    "Event": [("Last Seen", 0, False), ("Type", 0, False), ("Reason", 0, False),
              ("Object", 0, False), ("Subobject", 1, False), ("Source", 1, False),
              ("Message", 0, False), ("First Seen", 1, False), ("Count", 1, False),
              ("Name", 1, True)],
}
_DEFAULT_COLUMNS: list[_C] = [("Name", 0, True), ("Age", 0, False)]

_ROWS: dict[str, Callable[[dict, datetime], Row]] = {
    "Pod": _pod_row, "ReplicaSet": _replicaset_row, "ReplicationController": _rc_row,
    "Deployment": _deployment_row, "DaemonSet": _daemonset_row, "Endpoints": _endpoints_row,
    "Node": _node_row, "Namespace": _namespace_row, "ConfigMap": _configmap_row,
    "Event": _event_row,
}

_CLUSTER_SCOPED = {"Node", "Namespace", "PersistentVolume", "StorageClass", "ClusterRole",
                   "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass",
                   "IngressClass", "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment",
                   "APIService", "CertificateSigningRequest", "ComponentStatus"}


def columns(kind: str, *, wide: bool = False) -> list[str]:
    """The upper-cased headers `kubectl get <kind>` prints (with `-o wide` if asked)."""
    return [h.upper() for h, prio, _ in _COLUMNS.get(kind, _DEFAULT_COLUMNS) if wide or prio == 0]


def kind_prefix(kind: str, objs: Sequence[dict] = ()) -> str:
    """`pod`, `deployment.apps`: how kubectl names the type before `/<name>`."""
    from k8scourse.api.kinds import by_kind

    cls = by_kind(kind)
    if cls is not None:
        return cls.resource_ref()
    api_version = objs[0].get("apiVersion", "") if objs else ""
    group = api_version.rpartition("/")[0]
    return f"{kind.lower()}.{group}" if group else kind.lower()


def _is_namespaced(kind: str) -> bool:
    from k8scourse.api.kinds import by_kind

    cls = by_kind(kind)
    if cls is not None:
        return cls.namespaced
    return kind not in _CLUSTER_SCOPED


def _event_sort_key(ev: dict) -> tuple[str, str]:
    meta = ev.get("metadata") or {}
    return meta.get("namespace", ""), meta.get("name", "")


def table(kind: str, objs: Sequence[dict], now: datetime, *, wide: bool = False,
          show_labels: bool = False, show_namespace: bool = False, no_headers: bool = False,
          show_kind: bool = False, label_columns: Sequence[str] = ()) -> str:
    """The table `kubectl get <kind>` prints for `objs` ("" when there are none).

    `show_namespace` is `-A` (ignored for cluster-scoped kinds), `show_kind` prefixes names
    with `pod/`, `deployment.apps/` (several types, `get all`), `label_columns` is `-L`.
    """
    if not objs:
        return ""
    if kind == "Event":
        # the API server lists by key: namespace, then name (`<object>.<timestamp>`), so each
        # object's events come together, oldest first
        objs = sorted(objs, key=_event_sort_key)
    cols = _COLUMNS.get(kind, _DEFAULT_COLUMNS)
    visible = [i for i, (_, prio, _) in enumerate(cols) if wide or prio == 0]
    name_col = next((i for i, c in enumerate(cols) if c[2]), -1) if show_kind else -1
    prefix = kind_prefix(kind, objs) + "/" if name_col >= 0 else ""
    with_ns = show_namespace and _is_namespaced(kind)

    header: Row = []
    if with_ns:
        header.append("NAMESPACE")
    header.extend(cols[i][0].upper() for i in visible)
    header.extend(label.split("/")[-1].upper() for label in label_columns)
    if show_labels:
        header.append("LABELS")

    rows: list[Row] = [] if no_headers else [header]
    if kind == "Service":
        row_of: Callable[[dict, datetime], Row] = lambda o, n: _service_row(o, n, wide)  # noqa: E731
    else:
        row_of = _ROWS.get(kind, _default_row)
    for obj in objs:
        cells = row_of(obj, now)
        if name_col >= 0:
            cells[name_col] = prefix + cells[name_col]
        row = []
        if with_ns:
            row.append((obj.get("metadata") or {}).get("namespace", ""))
        row.extend(_sanitize(cells[i]) for i in visible)
        if label_columns or show_labels:
            labels = (obj.get("metadata") or {}).get("labels") or {}
            row.extend(labels.get(key, "") for key in label_columns)
            if show_labels:
                row.append(format_labels(labels))
        rows.append(row)
    return format_rows(rows)


def get_all(blocks: Sequence[tuple[str, Sequence[dict]]], now: datetime, *, wide: bool = False,
            show_labels: bool = False, show_namespace: bool = False, no_headers: bool = False,
            show_kind: bool = True, label_columns: Sequence[str] = ()) -> str:
    """Several types in one `kubectl get` (`get all`, `get pods,svc`): one table per type, empty
    ones left out, separated by one empty line (none with `--no-headers`)."""
    texts = [table(kind, objs, now, wide=wide, show_labels=show_labels,
                   show_namespace=show_namespace, no_headers=no_headers, show_kind=show_kind,
                   label_columns=label_columns) for kind, objs in blocks]
    texts = [t for t in texts if t]
    return ("" if no_headers else "\n").join(texts)
