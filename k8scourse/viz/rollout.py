"""A rolling update over simulated time: the pods of the old and the new ReplicaSet, and the bounds.

    recorder = RolloutRecorder(cluster, "web")      # starts listening to the store
    cluster.kubectl("set image deployment/web nginx=nginx:1.28")
    cluster.settle()
    draw_rollout(recorder)

The recorder only listens (store watches): it counts, per ReplicaSet of the Deployment, the pods
that are ready, not ready yet, and terminating, and keeps every change; `samples()` reads the
counts at each whole simulated second (the first one is the state when recording began). The picture stacks those counts and draws the two bounds a rolling update keeps:
at most `replicas + maxSurge` pods, and at least `replicas - maxUnavailable` of them ready.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

OLD_COLOURS = [("#6b7585", "#c6ccd5"), ("#98a1ae", "#dde1e7")]   # older revisions: greys
TERMINATING = "#8c8c8c"


@dataclass
class Sample:
    """The state of a rollout at the end of one simulated second."""

    time: int
    counts: dict[str, tuple[int, int, int]]   # ReplicaSet name -> (ready, not ready, terminating)
    desired: int
    max_surge: int
    max_unavailable: int
    rolling: bool


class RolloutRecorder:
    """Counts the pods of each ReplicaSet of one Deployment, every simulated second, by watching."""

    def __init__(self, cluster: Any, deployment: str, namespace: str = "default"):
        self.cluster = cluster
        self.deployment = deployment
        self.namespace = namespace
        self.store = cluster.api.store
        self.clock = cluster.clock
        self._deploy_uid: str | None = None
        self._rs: dict[str, dict] = {}                 # uid -> {"name", "revision", "since"}
        self._pods: dict[tuple[str, str], tuple[str, int, int, int]] = {}
        self._counts: dict[str, list[int]] = {}        # rs uid -> [ready, not ready, terminating]
        self._changes: list[tuple[float, Sample]] = []   # (simulated time, state from then on)
        self._spec = (0, 0, 0, True)
        self._stops = []
        self._loading = True
        d = self.store.get("Deployment", namespace, deployment)
        if d is not None:
            self._on_deployment("ADDED", d, None)
        for rs in list(self.store.list("ReplicaSet", namespace)):
            self._on_rs("ADDED", rs, None)
        for pod in list(self.store.list("Pod", namespace)):
            self._on_pod("ADDED", pod, None)
        self._stops = [self.store.watch("Deployment", self._on_deployment),
                       self.store.watch("ReplicaSet", self._on_rs),
                       self.store.watch("Pod", self._on_pod)]
        self._loading = False
        self._sample()

    def stop(self) -> None:
        """Stop listening (the samples stay)."""
        for stop in self._stops:
            try:
                stop()
            except ValueError:
                pass
        self._stops = []

    # watching ---------------------------------------------------------------------------------
    def _on_deployment(self, event: str, d: dict, old: dict | None) -> None:
        m = d["metadata"]
        if m["name"] != self.deployment or m.get("namespace") != self.namespace:
            return
        if event == "DELETED":
            return
        from k8scourse.controllers import deployment_util as du

        self._deploy_uid = m.get("uid")
        self._spec = (du.replicas(d), du.max_surge(d), du.max_unavailable(d),
                      du.is_rolling_update(d))
        self._sample()

    def _on_rs(self, event: str, rs: dict, old: dict | None) -> None:
        m = rs["metadata"]
        if m.get("namespace") != self.namespace:
            return
        ref = next((r for r in m.get("ownerReferences") or () if r.get("controller")), None)
        if ref is None or ref.get("kind") != "Deployment" or ref.get("name") != self.deployment:
            return
        uid = m.get("uid")
        rev = (m.get("annotations") or {}).get("deployment.kubernetes.io/revision", "0")
        info = self._rs.setdefault(uid, {"name": m["name"], "since": self.clock.now})
        try:
            info["revision"] = int(rev)
        except ValueError:
            info["revision"] = 0
        self._counts.setdefault(uid, [0, 0, 0])

    def _on_pod(self, event: str, pod: dict, old: dict | None) -> None:
        m = pod["metadata"]
        if m.get("namespace") != self.namespace:
            return
        key = (m["namespace"], m["name"])
        before = self._pods.pop(key, None)
        if before is not None:
            counts = self._counts.get(before[0])
            if counts is not None:
                counts[0] -= before[1]
                counts[1] -= before[2]
                counts[2] -= before[3]
        if event != "DELETED":
            ref = next((r for r in m.get("ownerReferences") or () if r.get("controller")), None)
            uid = ref.get("uid") if ref else None
            if uid in self._rs:
                phase = (pod.get("status") or {}).get("phase")
                if phase in ("Succeeded", "Failed"):
                    entry = None
                elif m.get("deletionTimestamp"):
                    entry = (uid, 0, 0, 1)
                elif _ready(pod):
                    entry = (uid, 1, 0, 0)
                else:
                    entry = (uid, 0, 1, 0)
                if entry is not None:
                    self._pods[key] = entry
                    counts = self._counts[uid]
                    counts[0] += entry[1]
                    counts[1] += entry[2]
                    counts[2] += entry[3]
        if before is not None or key in self._pods:
            self._sample()

    def _sample(self) -> None:
        if self._loading:
            return
        now = self.clock.now
        counts = {self._rs[uid]["name"]: tuple(c) for uid, c in self._counts.items()}
        desired, surge, unavailable, rolling = self._spec
        sample = Sample(int(math.floor(now + 1e-9)), counts, desired, surge, unavailable, rolling)
        if self._changes and self._changes[-1][0] == now and len(self._changes) > 1:
            self._changes[-1] = (now, sample)     # one state per instant: the last one
        else:
            self._changes.append((now, sample))

    # reading ------------------------------------------------------------------------------------
    def replica_sets(self) -> list[tuple[str, int]]:
        """(name, revision) of every ReplicaSet seen, oldest revision first."""
        return sorted(((i["name"], i.get("revision", 0)) for i in self._rs.values()),
                      key=lambda nr: (nr[1], nr[0]))

    def samples(self, until: float | None = None) -> list[Sample]:
        """The counts at every whole simulated second, from when recording began to `until`
        (default: now). The first sample is the state when the recorder was created."""
        if not self._changes:
            return []
        end = int(math.floor((self.clock.now if until is None else until) + 1e-9))
        first = self._changes[0][1]
        out = []
        last = first
        i = 1
        changes = self._changes
        for t in range(first.time, max(end, first.time) + 1):
            if t > first.time:
                while i < len(changes) and changes[i][0] <= t + 1e-9:
                    last = changes[i][1]
                    i += 1
            out.append(Sample(t, last.counts, last.desired, last.max_surge, last.max_unavailable,
                              last.rolling))
        return out

    def __repr__(self) -> str:
        return (f"<RolloutRecorder deployment/{self.deployment} "
                f"{len(self._rs)} ReplicaSets, {len(self._changes)} changes>")


def _ready(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _colours(recorder: RolloutRecorder, app: tuple[str, str]) -> dict[str, tuple[str, str]]:
    rss = recorder.replica_sets()
    out = {}
    for i, (name, _) in enumerate(reversed(rss)):
        out[name] = app if i == 0 else OLD_COLOURS[min(i - 1, len(OLD_COLOURS) - 1)]
    return out


def draw_rollout(recorder: RolloutRecorder, ax: Axes | None = None, *, cursor: float | None = None,
                 until: float | None = None) -> Axes:
    """Pods of each ReplicaSet over simulated time, stacked, with maxSurge and maxUnavailable.

    `cursor` marks one instant (an explorer's slider); `until` ends the time axis there.
    Returns the Axes.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from k8scourse.viz.canvas import fit_text, new_figure, wrap
    from k8scourse.viz.model import view_of

    samples = recorder.samples(until)
    rss = recorder.replica_sets()
    view = view_of(recorder.cluster)
    d = recorder.store.get("Deployment", recorder.namespace, recorder.deployment)
    app = view.colours(d) if d is not None else st.NEUTRAL
    colours = _colours(recorder, app)
    width, height = 9.0, 4.6
    own = ax is None
    if own:
        fig = new_figure(width, height)
        ax = fig.add_axes((0.07, 0.27, 0.78, 0.56))
    fig = ax.figure
    title = f"Rolling update of deployment {recorder.deployment}: pods per ReplicaSet over time"
    last = samples[-1] if samples else None
    if last is None:
        sub = "Nothing recorded yet."
    elif last.rolling:
        sub = (f"At most {last.desired + last.max_surge} pods at any time ({last.desired} replicas "
               f"+ maxSurge {last.max_surge}); at least {last.desired - last.max_unavailable} ready "
               f"({last.desired} − maxUnavailable {last.max_unavailable}).")
    else:
        sub = "Recreate: every old pod goes before the first new one starts."
    fw = fig.get_figwidth() * ax.get_position().width + 0.8
    if own:
        fig.text(0.015, 0.975, fit_text(title, width - 0.3, 11, "bold"), fontsize=11,
                 fontweight="bold", va="top", color=st.INK)
        for i, line in enumerate(wrap(sub, width - 0.3, 8, max_lines=2)):
            fig.text(0.015, 0.975 - (0.22 + i * 0.16) / height, line, fontsize=8, va="top",
                     color=st.MUTED)
    else:
        ax.set_title(fit_text(title, fw, 9, "bold"), fontsize=9, fontweight="bold", loc="left")
    if not samples:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "Nothing recorded yet: create the recorder before the rollout.",
                transform=ax.transAxes, ha="center", va="center", color=st.MUTED, fontsize=9)
        return ax
    ts = [s.time for s in samples] + [samples[-1].time + 1]
    base = [0] * len(samples)
    handles = []
    for name, rev in rss:
        strong, light = colours[name]
        for layer, colour, what in ((0, strong, "ready"), (1, light, "not ready")):
            values = [s.counts.get(name, (0, 0, 0))[layer] for s in samples]
            if not any(values):
                continue
            top = [b + v for b, v in zip(base, values)]
            ax.fill_between(ts, base + base[-1:], top + top[-1:], step="post", color=colour,
                            linewidth=0, zorder=2)
            base = top
            handles.append(Patch(facecolor=colour, label=f"{_short(name)} (rev {rev}) {what}"))
    term = [sum(s.counts.get(n, (0, 0, 0))[2] for n, _ in rss) for s in samples]
    if any(term):
        top = [b + v for b, v in zip(base, term)]
        ax.fill_between(ts, base + base[-1:], top + top[-1:], step="post", facecolor="white",
                        edgecolor=TERMINATING, hatch="////", linewidth=0, zorder=2)
        base = top
        handles.append(Patch(facecolor="white", edgecolor=TERMINATING, hatch="////",
                             label="terminating (not counted)"))
    upper = [s.desired + s.max_surge for s in samples]
    lower = [s.desired - s.max_unavailable for s in samples]
    desired = [s.desired for s in samples]
    ax.step(ts, upper + upper[-1:], where="post", color=st.ERROR_COLOUR, linestyle=(0, (5, 3)),
            linewidth=1.4, zorder=4)
    ax.step(ts, desired + desired[-1:], where="post", color=st.INK, linestyle=":", linewidth=1.0,
            zorder=4)
    ax.step(ts, lower + lower[-1:], where="post", color="#1f5fa8", linestyle=(0, (5, 3)),
            linewidth=1.4, zorder=4)
    handles += [Line2D([], [], color=st.ERROR_COLOUR, linestyle=(0, (5, 3)), linewidth=1.4,
                       label="most pods allowed (replicas + maxSurge)"),
                Line2D([], [], color=st.INK, linestyle=":", label="replicas"),
                Line2D([], [], color="#1f5fa8", linestyle=(0, (5, 3)), linewidth=1.4,
                       label="fewest ready allowed (replicas − maxUnavailable)")]
    if cursor is not None:
        ax.axvline(cursor, color=st.HIGHLIGHT, linewidth=1.5, zorder=5)
    top = max(max(upper), max(base)) if upper else max(base)
    ax.set_ylim(0, top + 1)
    ax.set_xlim(ts[0], ts[-1])
    ax.set_xlabel("simulated time (s)", fontsize=8, color=st.MUTED)
    ax.set_ylabel("pods", fontsize=8, color=st.MUTED)
    ax.tick_params(labelsize=7.5, colors=st.MUTED)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e6e8ec", linewidth=0.8, zorder=0)
    _label_bounds(ax, [(upper[-1], f"max {upper[-1]}", st.ERROR_COLOUR),
                       (desired[-1], f"replicas {desired[-1]}", st.INK),
                       (lower[-1], f"min ready {lower[-1]}", "#1f5fa8")])
    if own:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(-0.07, -0.2), ncol=2,
                  fontsize=7.5, frameon=False, handlelength=1.6, columnspacing=1.2)
    return ax


def _short(name: str) -> str:
    return name if len(name) <= 28 else name[:16] + "…" + name[-10:]


def _label_bounds(ax, labels: list[tuple[float, str, str]]) -> None:
    """Name each bound at the right end of its line, pushed apart where they would touch."""
    fig = ax.figure
    pos = ax.get_position()
    ymin, ymax = ax.get_ylim()
    px_per_unit = pos.height * fig.get_figheight() * 72 / (ymax - ymin)   # points per pod
    min_gap = 10.0 / px_per_unit                                          # 10 points apart
    placed: list[list] = []
    for value, text, colour in sorted(labels, key=lambda l: l[0]):
        y = value
        if placed and y - placed[-1][0] < min_gap:
            y = placed[-1][0] + min_gap
        placed.append([y, value, text, colour])
    for y, value, text, colour in placed:
        ax.annotate(text, xy=(1.0, value), xycoords=("axes fraction", "data"),
                    xytext=(6, (y - value) * px_per_unit), textcoords="offset points",
                    fontsize=7.5, color=colour, va="center", ha="left",
                    arrowprops=dict(arrowstyle="-", color=colour, linewidth=0.6)
                    if abs(y - value) > 1e-6 else None, annotation_clip=False)
