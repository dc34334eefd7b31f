"""`kubectl get` (and `kubectl events`): tables, -o formats, selectors, --sort-by and -w.

As staging/src/k8s.io/kubectl/pkg/cmd/get/get.go: one table per type (a `<type>/` prefix on names
when several types are shown), found objects printed and missing ones reported, `No resources
found in <ns> namespace.` on stderr when nothing was printed. `-w` prints the table, then a row per
change while simulated time runs, until --request-timeout (30 simulated seconds by default in the
course) or until nothing is left to happen.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from k8scourse.errors import ClientError
from k8scourse.kubectl import builder, printing, resources
from k8scourse.kubectl.render import UsageError, aggregate

if TYPE_CHECKING:
    from k8scourse.kubectl.flags import FlagSet
    from k8scourse.kubectl.main import Env
    from k8scourse.kubectl.resources import Info, RType

#: How long `get -w`, `logs -f` and `rollout status` follow the cluster when --request-timeout is 0.
DEFAULT_WATCH_SECONDS = 30.0

SUGGEST_API_RESOURCES = ('Use "kubectl api-resources" for a complete list of supported '
                         "resources.")


def request_timeout(env: "Env") -> float:
    """--request-timeout: `0` means the course's default; `10`, `10s`, `2m` otherwise."""
    from k8scourse.kubectl.flags import parse_go_duration

    raw = env.flags.get("request-timeout") if "request-timeout" in env.flags.formal else "0"
    raw = (raw or "0").strip()
    try:
        if re.fullmatch(r"[0-9]+", raw):
            seconds = float(int(raw))
        else:
            seconds = parse_go_duration(raw)
    except ValueError:
        raise ClientError("invalid timeout value. Timeout must be a single integer in seconds, or "
                          "an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)"
                          ) from None
    if seconds < 0:
        raise ClientError("invalid timeout value. Timeout must be a single integer in seconds, or "
                          "an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)")
    return seconds or DEFAULT_WATCH_SECONDS


# --- sorting ---------------------------------------------------------------------------------

def _relaxed_path(expr: str) -> str:
    """RelaxedJSONPathExpression: `.a.b`, `a.b` or `{.a.b}`."""
    e = expr.strip()
    if e.startswith("{") and e.endswith("}"):
        e = e[1:-1]
    if not e.startswith("."):
        e = "." + e
    return e


def _path_value(obj: Any, path: str) -> tuple[bool, Any]:
    cur = obj
    for part in re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", path):
        key, idx = part
        if key:
            if not isinstance(cur, dict) or key not in cur:
                return False, None
            cur = cur[key]
        else:
            i = int(idx)
            if not isinstance(cur, list) or i >= len(cur):
                return False, None
            cur = cur[i]
    return True, cur


def _sort_key(value: Any) -> tuple:
    if isinstance(value, bool):
        return (0, int(value), "")
    if isinstance(value, (int, float)):
        return (1, value, "")
    if isinstance(value, str):
        from k8scourse.api import quantity

        try:
            if re.fullmatch(r"[0-9.]+[a-zA-Z]*", value) and quantity.is_valid(value):
                return (1, float(quantity.parse_quantity(value)), value)
        except Exception:  # noqa: BLE001 - quantities are best effort
            pass
        return (2, 0, value)
    return (3, 0, str(value))


def sort_infos(infos: list["Info"], expr: str) -> list["Info"]:
    """--sort-by: stable sort by a JSONPath field; missing everywhere is an error."""
    path = _relaxed_path(expr)
    values = []
    found_any = False
    for info in infos:
        ok, v = _path_value(info.obj, path)
        found_any = found_any or ok
        values.append(v)
    if infos and not found_any:
        raise ClientError(f'couldn\'t find any field with path "{{{path}}}" in the list of '
                          "objects")
    order = sorted(range(len(infos)), key=lambda i: (values[i] is None, _sort_key(values[i])
                                                      if values[i] is not None else ()))
    return [infos[i] for i in order]


# --- tables ----------------------------------------------------------------------------------

def _table(env: "Env", t: "RType", objs: list[dict], *, wide: bool, show_labels: bool,
           show_namespace: bool, no_headers: bool, show_kind: bool,
           label_columns: list[str]) -> str:
    from k8scourse.kubectl import printers

    return printers.table(t.kind, objs, env.now, wide=wide, show_labels=show_labels,
                          show_namespace=show_namespace and t.namespaced, no_headers=no_headers,
                          show_kind=show_kind, label_columns=label_columns)


def run_get(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    fmt = fl["output"]
    printing.check_format(fmt)
    watch = fl["watch"] or fl["watch-only"]
    if fl["raw"]:
        raise ClientError("--raw is not available in this course's cluster")
    if not args and not fl["filename"] and not watch:
        env.eprintln(f"You must specify the type of resource to get. {SUGGEST_API_RESOURCES}\n")
        raise UsageError('Required resource not specified.\nUse "kubectl explain <resource>" '
                         "for a detailed description of that resource (e.g. kubectl explain "
                         "pods).", env.path)
    if fl["show-labels"] and fmt not in ("", "wide"):
        raise ClientError(f"--show-labels option cannot be used with {fmt} printer")
    if fl["output-watch-events"] and not watch:
        raise ClientError("--output-watch-events option can only be used with --watch or "
                          "--watch-only")
    sort_by = fl["sort-by"]
    if watch and sort_by:
        env.eprintln("warning: --watch requested, --sort-by will be ignored for watch events "
                     "received")
    all_ns = fl["all-namespaces"]
    res = builder.build(env, args, filenames=fl["filename"], recursive=fl["recursive"],
                        label_selector=fl["selector"], field_selector=fl["field-selector"],
                        all_namespaces=all_ns, single_type=watch)
    errors = list(res.errors)
    if fl["ignore-not-found"]:
        from k8scourse.errors import NotFound

        errors = [e for e in errors if not isinstance(e, NotFound)]
    if watch:
        if errors:
            raise aggregate(errors)
        _watch(env, fl, res, fmt, all_ns)
        return
    infos = res.infos
    if sort_by:
        infos = sort_infos(infos, sort_by)
    if not printing.is_human(fmt):
        objs = [i.obj for i in infos]
        if res.single_item and len(objs) == 1:
            env.write(printing.render(env, fmt, objs[0]))
        elif not (res.single_item and errors and not objs):
            env.write(printing.render(env, fmt, objs))
        if errors:
            raise aggregate(errors)
        return
    wide = fmt == "wide"
    no_headers = fl["no-headers"]
    if res.by_selector:
        kinds_shown = {(t.api_version, t.kind) for t in res.listed_types}
    else:
        kinds_shown = {(i.rtype.api_version, i.rtype.kind) for i in infos}
    show_kind = len(kinds_shown) > 1 or fl["show-kind"]
    blocks: list[tuple["RType", list[dict]]] = []
    if res.by_selector and not sort_by:
        by_type: dict[tuple[str, str], list[dict]] = {}
        for info in infos:
            by_type.setdefault((info.rtype.api_version, info.rtype.kind), []).append(info.obj)
        for t in res.listed_types:
            blocks.append((t, by_type.get((t.api_version, t.kind), [])))
    else:
        for info in infos:
            if blocks and blocks[-1][0] == info.rtype:
                blocks[-1][1].append(info.obj)
            else:
                blocks.append((info.rtype, [info.obj]))
    texts = []
    for t, objs in blocks:
        text = _table(env, t, objs, wide=wide, show_labels=fl["show-labels"],
                      show_namespace=all_ns, no_headers=no_headers, show_kind=show_kind,
                      label_columns=fl["label-columns"])
        if text:
            texts.append(text)
    env.write(("" if no_headers else "\n").join(texts))
    if not texts and not fl["ignore-not-found"] and not errors:
        namespaced = not all_ns and all(i.rtype.namespaced for i in infos) and all(
            t.namespaced for t in res.listed_types)
        if namespaced:
            env.eprintln(f"No resources found in {env.namespace} namespace.")
        else:
            env.eprintln("No resources found")
    if errors:
        raise aggregate(errors)


# --- watch -----------------------------------------------------------------------------------

def _columns_of(env: "Env", t: "RType", header_line: str, cells: list[str]) -> list[int]:
    """Start offsets of each header cell in a header line."""
    starts, pos = [], 0
    for c in cells:
        i = header_line.find(c, pos)
        if i < 0:
            return []
        starts.append(i)
        pos = i + len(c)
    return starts


def _cells(line: str, starts: list[int]) -> list[str]:
    out = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(line)
        out.append(line[s:e].rstrip())
    return out


class _RowWriter:
    """kubectl's tabwriter with remembered widths: later rows align with the first table."""

    def __init__(self) -> None:
        self.widths: list[int] = []

    def lines(self, rows: list[list[str]]) -> str:
        if not rows:
            return ""
        n = len(rows[0])
        widths = list(self.widths) + [0] * max(0, n - 1 - len(self.widths))
        for r in rows:
            for j in range(n - 1):
                w = max(len(r[j]) + 3, 6)
                if w > widths[j]:
                    widths[j] = w
        self.widths = widths
        return "".join("".join(r[j].ljust(widths[j]) for j in range(n - 1)) + r[n - 1] + "\n"
                       for r in rows)


def _watch(env: "Env", fl: "FlagSet", res: "builder.Result", fmt: str, all_ns: bool) -> None:
    from k8scourse.kubectl import printers

    if res.from_files or res.infos and not res.by_selector:
        t = res.infos[0].rtype if res.infos else None
        names = {(i.namespace, i.name) for i in res.infos}
    else:
        t = res.listed_types[0] if res.listed_types else None
        names = None
    if t is None:
        return
    wide = fmt == "wide"
    human = printing.is_human(fmt)
    sel = None
    if fl["selector"]:
        from k8scourse.kubectl import selectors

        sel = selectors.parse_labels(fl["selector"])
    ffilter = builder.field_filter(t, fl["field-selector"]) if fl["field-selector"] else None
    ns = None if all_ns or not t.namespaced else env.namespace

    def wanted(obj: dict) -> bool:
        m = obj["metadata"]
        if ns is not None and m.get("namespace", "") != ns:
            return False
        if names is not None and (m.get("namespace", "") if t.namespaced else "", m["name"]) \
                not in {(n if t.namespaced else "", nm) for n, nm in names}:
            return False
        if sel is not None and not sel.matches(m.get("labels")):
            return False
        if ffilter is not None and not ffilter(obj):
            return False
        return True

    header_cells = ([["NAMESPACE"]] if all_ns and t.namespaced else [[]])[0] + \
        printers.columns(t.kind, wide=wide) + \
        [c.split("/")[-1].upper() for c in fl["label-columns"]] + \
        (["LABELS"] if fl["show-labels"] else [])
    writer = _RowWriter()

    def row_cells(obj: dict) -> list[str]:
        text = _table(env, t, [obj], wide=wide, show_labels=fl["show-labels"],
                      show_namespace=all_ns, no_headers=False, show_kind=False,
                      label_columns=fl["label-columns"])
        head, _, line = text.partition("\n")
        starts = _columns_of(env, t, head, header_cells)
        if not starts:
            return [line.rstrip("\n")]
        return _cells(line.rstrip("\n"), starts)

    initial = [i.obj for i in res.infos]
    if not fl["watch-only"]:
        if human:
            if initial:
                rows = [] if fl["no-headers"] else [header_cells]
                rows += [row_cells(o) for o in initial]
                env.write(writer.lines(rows))
        else:
            for o in initial:
                env.write(_machine(env, fmt, o, fl["output-watch-events"], "ADDED"))

    pending: list[tuple[str, dict]] = []

    def on_event(event: str, obj: dict, old: Any) -> None:
        if wanted(obj):
            pending.append((event, obj))

    unwatch = env.api.store.watch(t.kind, on_event)
    clock = env.cluster.clock
    deadline = clock.now + request_timeout(env)
    printed_header = bool(initial) or fl["no-headers"] or not human

    def flush() -> None:
        nonlocal printed_header
        if not pending:
            return
        latest: dict[tuple[str, str], tuple[str, dict]] = {}
        for event, obj in pending:
            m = obj["metadata"]
            latest[(m.get("namespace", ""), m["name"])] = (event, obj)
        pending.clear()
        if human:
            rows = []
            if not printed_header:
                rows.append(header_cells)
                printed_header = True
            rows += [row_cells(obj) for _, obj in latest.values()]
            env.write(writer.lines(rows))
        else:
            for event, obj in latest.values():
                env.write(_machine(env, fmt, obj, fl["output-watch-events"], event))

    try:
        while clock.has_work() or _backing_off(env, t, wanted):
            nxt = clock.next_time()
            if nxt is None or nxt > deadline:
                break
            if pending and nxt > clock.now:
                flush()
            clock.step()
        flush()
    finally:
        unwatch()


_BACK_OFF = {"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull"}


def _backing_off(env: "Env", t: "RType", wanted) -> bool:
    """Whether a watched pod is in a back-off loop: its restarts are periodic housekeeping for
    the clock, yet they are exactly what a learner watches for, so -w keeps following them."""
    if t.kind != "Pod":
        return False
    for pod in env.api.store.iter("Pod"):
        if not wanted(pod):
            continue
        for cs in (pod.get("status") or {}).get("containerStatuses") or []:
            waiting = (cs.get("state") or {}).get("waiting") or {}
            if waiting.get("reason") in _BACK_OFF or cs.get("restartCount"):
                return True
    return False


def _machine(env: "Env", fmt: str, obj: dict, events: bool, kind: str) -> str:
    """One watched object in a machine format (YAML documents separated by `---`)."""
    if events:
        obj = {"type": kind, "object": obj}
    text = printing.render(env, fmt, obj)
    if fmt == "yaml" and any(env.out):
        text = "---\n" + text
    return text


# --- kubectl events ----------------------------------------------------------------------------

def run_events(env: "Env", fl: "FlagSet", args: list[str]) -> None:
    """`kubectl events`: the namespace's events, oldest first (LAST SEEN TYPE REASON OBJECT MESSAGE)."""
    from k8scourse.kubectl import tabwriter
    from k8scourse.kubectl.age import translate_timestamp_since

    if args:
        raise ClientError("unknown command: " + " ".join(args))
    all_ns = fl["all-namespaces"]
    t = resources.for_kind("Event")
    evs = resources.list_objects(env, t, None if all_ns else env.namespace)
    types = [x.lower() for x in fl["types"]]
    for x in fl["types"]:
        if x.lower() not in ("normal", "warning"):
            raise ClientError(f"valid --types are Normal or Warning")
    if types:
        evs = [e for e in evs if (e.get("type") or "").lower() in types]
    target = fl["for"]
    if target:
        kind_word, _, name = target.partition("/")
        if not name:
            raise ClientError("--for must be in resource/name form")
        kt = resources.resolve(kind_word)
        evs = [e for e in evs if (e.get("involvedObject") or {}).get("kind") == kt.kind and
               (e.get("involvedObject") or {}).get("name") == name]
    evs = sorted(evs, key=lambda e: (e.get("lastTimestamp") or e.get("eventTime") or "",
                                     e["metadata"]["name"]))
    fmt = fl["output"]
    if fmt:
        printing.check_format(fmt, printing.ALLOWED_MUTATE)
        env.write(printing.render(env, fmt, list(evs)))
        return
    if not evs:
        if all_ns:
            env.eprintln("No events found.")
        else:
            env.eprintln(f"No events found in {env.namespace} namespace.")
        return
    rows = [] if fl["no-headers"] else [
        (["NAMESPACE"] if all_ns else []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]]
    for e in evs:
        inv = e.get("involvedObject") or {}
        obj = f"{inv.get('kind', '')}/{inv.get('name', '')}"
        row = ([e["metadata"].get("namespace", "")] if all_ns else []) + [
            translate_timestamp_since(e.get("lastTimestamp"), env.now), e.get("type", ""),
            e.get("reason", ""), obj, (e.get("message") or "").strip()]
        rows.append(row)
    env.write(tabwriter.format_rows(rows))
