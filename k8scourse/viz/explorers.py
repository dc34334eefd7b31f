"""Explorers: change the cluster with a control and watch the picture answer.

    scale_explorer(cluster, "web")            # a replicas slider over the cluster map
    rollout_explorer(cluster, "web")          # step a rolling update forward, slide back over it
    healing_explorer(cluster)                 # delete a pod or fail a node; step time; watch
    traffic_explorer(cluster, "web")          # send requests; see which pods answered

Controls and picture are kept apart: the controls act on the cluster (as kubectl would) and then
`refresh()` draws the picture into an Image widget as a PNG. Each explorer is a VBox whose
display also carries that PNG, so wherever widgets cannot run (nbgrader's feedback HTML, a
static export) the current picture shows instead of an error; without ipywidgets at all the
explorers return a `StaticPicture`.

The model cannot run backwards: "back in time" in the rollout explorer moves over snapshots
(copies of the objects) recorded while stepping forward.
"""

from __future__ import annotations

import io
from typing import Any, Callable

from k8scourse.viz.canvas import offscreen
from k8scourse.viz.style import HIGHLIGHT
from k8scourse.viz.model import Snapshot, pod_status

PNG_DPI = 100


def render_png(draw: Callable[..., Any]) -> bytes:
    """Run `draw()` (a draw_* call returning Axes) offscreen and return the figure as PNG."""
    with offscreen():
        ax = draw()
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=PNG_DPI)
    return buf.getvalue()


def stack_png(*draws: Callable[..., Any]) -> bytes:
    """Several pictures one above the other in one PNG (a map above a timeline)."""
    if len(draws) == 1:
        return render_png(draws[0])
    import numpy as np
    from matplotlib.image import imread, imsave

    images = [imread(io.BytesIO(render_png(d)), format="png") for d in draws]
    width = max(i.shape[1] for i in images)
    padded = []
    for img in images:
        if img.shape[1] < width:
            pad = np.ones((img.shape[0], width - img.shape[1], img.shape[2]), dtype=img.dtype)
            img = np.concatenate([img, pad], axis=1)
        padded.append(img)
    buf = io.BytesIO()
    imsave(buf, np.concatenate(padded, axis=0), format="png")
    return buf.getvalue()


class StaticPicture:
    """A picture of the current state, for where widgets cannot run."""

    def __init__(self, png: bytes, text: str = ""):
        self.png = png
        self.text = text

    def _repr_png_(self) -> bytes:
        return self.png

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": self.png, "text/plain": self.text or "<picture of the cluster>"}

    def __repr__(self) -> str:
        return f"<StaticPicture {len(self.png)} bytes: {self.text}>"


def _widgets():
    try:
        import ipywidgets
    except ImportError:  # pragma: no cover - ipywidgets is a dependency; degrade all the same
        return None
    return ipywidgets


class Explorer:
    """Controls above a picture; subclasses build the controls and say what to draw."""

    title = ""

    def __init__(self, cluster: Any):
        self.cluster = cluster
        self.png = b""
        self.message = ""
        w = _widgets()
        self._w = w
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="900px")) \
            if w else None
        self.status = w.HTML() if w else None
        self.box = None

    # what subclasses provide --------------------------------------------------------------------
    def controls(self) -> list:
        return []

    def draws(self) -> list[Callable[[], Any]]:  # pragma: no cover - every explorer defines it
        raise NotImplementedError

    # drawing -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Draw the picture of the current state (and show the last message)."""
        self.png = stack_png(*self.draws())
        if self.image is not None:
            self.image.value = self.png
        if self.status is not None:
            from html import escape

            self.status.value = f"<code>{escape(self.message)}</code>" if self.message else ""

    def build(self):
        """The widget (a VBox of the controls, a status line and the picture)."""
        self.refresh()
        w = self._w
        if w is None:
            return StaticPicture(self.png, self.message or self.title)
        self.box = _ExplorerBox([w.HBox(self.controls()), self.status, self.image], explorer=self)
        return self.box

    def static(self) -> StaticPicture:
        return StaticPicture(self.png, self.message or self.title)


def _box_class():
    w = _widgets()
    if w is None:  # pragma: no cover
        return None

    class ExplorerBox(w.VBox):
        """A VBox whose display also carries a PNG of the picture (for static exports)."""

        def __init__(self, children, explorer: Explorer, **kw):
            super().__init__(children, **kw)
            self.explorer = explorer

        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs) or {}
            if isinstance(bundle, tuple):
                bundle = bundle[0]
            bundle = dict(bundle)
            bundle["image/png"] = self.explorer.png
            bundle["text/plain"] = self.explorer.message or self.explorer.title
            return bundle

    return ExplorerBox


def _ExplorerBox(children, explorer):
    cls = _box_class()
    return cls(children, explorer=explorer)


# --- scaling ----------------------------------------------------------------------------------

class ScaleExplorer(Explorer):
    """A replicas slider for a Deployment, ReplicaSet or ReplicationController, over the map."""

    title = "scale explorer"

    def __init__(self, cluster: Any, name: str, kind: str = "Deployment",
                 namespace: str = "default", max_replicas: int = 10, view: str = "map"):
        super().__init__(cluster)
        self.name, self.kind, self.namespace = name, kind, namespace
        self.view = view
        obj = cluster.api.get(kind, namespace, name)
        current = int((obj.get("spec") or {}).get("replicas", 1))
        self._new: set[str] = set()
        w = self._w
        if w is not None:
            self.replicas = w.IntSlider(value=current, min=0, max=max(max_replicas, current),
                                        description="replicas", continuous_update=False)
            self.replicas.observe(lambda ch: self.scale(ch["new"]), names="value")
            self.which = w.ToggleButtons(options=[("cluster map", "map"), ("owners", "owners")],
                                         value=view)
            self.which.observe(lambda ch: self._show(ch["new"]), names="value")

    def controls(self) -> list:
        return [self.replicas, self.which]

    def _show(self, view: str) -> None:
        self.view = view
        self.refresh()

    def scale(self, replicas: int) -> None:
        """What `kubectl scale <kind>/<name> --replicas=N` does, then let the cluster settle."""
        api = self.cluster.api
        before = _pod_names(self.cluster, self.namespace)
        obj = api.get(self.kind, self.namespace, self.name)
        obj["spec"]["replicas"] = int(replicas)
        api.update(obj, actor="kubectl")
        self.cluster.settle()
        after = _pod_names(self.cluster, self.namespace)
        self._new = after - before
        gone = before - after
        resource = self.kind.lower()
        self.message = (f"kubectl scale {resource} {self.name} --replicas={replicas}: "
                        f"{len(self._new)} pod(s) created, {len(gone)} deleted "
                        f"(t={self.cluster.clock.now:.0f} s)")
        self.refresh()

    def draws(self):
        from k8scourse.viz.cluster_map import draw_cluster
        from k8scourse.viz.ownership import draw_ownership

        if self.view == "owners":
            return [lambda: draw_ownership(self.cluster, namespace=self.namespace)]
        highlight = {n: HIGHLIGHT for n in self._new}
        return [lambda: draw_cluster(self.cluster, namespace=self.namespace, highlight=highlight)]


def _pod_names(cluster: Any, namespace: str) -> set[str]:
    return {p["metadata"]["name"] for p in cluster.api.store.list("Pod", namespace)}


def scale_explorer(cluster: Any, name: str, kind: str = "Deployment", namespace: str = "default",
                   max_replicas: int = 10):
    """A slider that scales `kind/name`; the cluster map shows where the pods go."""
    return ScaleExplorer(cluster, name, kind, namespace, max_replicas).build()


# --- rolling update ------------------------------------------------------------------------------

def _version(tag: str) -> tuple[int, ...] | None:
    """`1.27.5` -> (1, 27, 5), `v2` -> (2,); None for a tag that is not a version."""
    parts = (tag[1:] if tag[:1] == "v" else tag).split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def _next_image(image: str) -> str:
    """Another version of an image for a rolling update, one the registry has.

    The next version up with the same form of tag (`nginx:1.25` -> `nginx:1.26`); at the newest,
    the one just below (`nginx:1.27` -> `nginx:1.26`). Unknown images get `:latest`.
    """
    name, sep, tag = image.rpartition(":")
    if not sep or "/" in tag:
        name, tag = image, "latest"
    repo = None
    try:
        from k8scourse.kubelet.images import parse, repository_of

        repo = repository_of(parse(image))
    except Exception:
        repo = None
    if repo is not None:
        current = repo.resolve(tag)
        here = _version(current or "") or _version(tag)
        tags = [t for t in set(repo.sizes) | set(repo.aliases)
                if _version(t) and repo.resolve(t) != current]
        shape = len(_version(tag) or ())
        pool = [t for t in tags if len(_version(t)) == shape] or tags
        if here is not None and pool:
            up = sorted((t for t in pool if _version(t) > here), key=_version)
            if up:
                return f"{name}:{up[0]}"
            down = sorted((t for t in pool if _version(t) < here), key=_version)
            if down:
                return f"{name}:{down[-1]}"
    return f"{name}:latest" if tag != "latest" else f"{name}:stable"


class RolloutExplorer(Explorer):
    """Start a rolling update, step it forward second by second, slide back over the steps."""

    title = "rolling update explorer"

    def __init__(self, cluster: Any, name: str, image: str | None = None,
                 namespace: str = "default", step: float = 1.0):
        from k8scourse.viz.rollout import RolloutRecorder

        super().__init__(cluster)
        self.name, self.namespace, self.step = name, namespace, step
        d = cluster.api.get("Deployment", namespace, name)
        containers = d["spec"]["template"]["spec"]["containers"]
        self.container = containers[0]["name"]
        self.new_image = image or _next_image(containers[0].get("image", "nginx"))
        self.recorder = RolloutRecorder(cluster, name, namespace)
        self.snapshots: list[Snapshot] = [Snapshot(cluster, namespace=namespace)]
        self.index = 0
        self.started = False
        self._action = ""
        w = self._w
        if w is not None:
            self.image_box = w.Text(value=self.new_image, description="new image")
            self.start_button = w.Button(description="start rolling update")
            self.step_button = w.Button(description=f"+{step:g} s")
            self.finish_button = w.Button(description="run to the end")
            self.time = w.IntSlider(value=0, min=0, max=0, description="step",
                                    continuous_update=False)
            self.start_button.on_click(lambda _: self.start(self.image_box.value))
            self.step_button.on_click(lambda _: self.forward())
            self.finish_button.on_click(lambda _: self.finish())
            self.time.observe(lambda ch: self.show(ch["new"]), names="value")

    def controls(self) -> list:
        return [self.image_box, self.start_button, self.step_button, self.finish_button,
                self.time]

    def start(self, image: str | None = None) -> None:
        """`kubectl set image deployment/<name> <container>=<image>`."""
        if image:
            self.new_image = image
        d = self.cluster.api.get("Deployment", self.namespace, self.name)
        for c in d["spec"]["template"]["spec"]["containers"]:
            if c["name"] == self.container:
                c["image"] = self.new_image
        self.cluster.api.update(d, actor="kubectl")
        self.started = True
        self.message = (f"kubectl set image deployment/{self.name} "
                        f"{self.container}={self.new_image} (t={self.cluster.clock.now:.0f} s)")
        self._record()

    def forward(self, seconds: float | None = None) -> None:
        """Let `seconds` (default: one step) of simulated time pass and record a snapshot."""
        self.cluster.advance(self.step if seconds is None else seconds)
        self.message = f"t={self.cluster.clock.now:.0f} s: {self._counts()}"
        self._record()

    def finish(self, limit: float = 300.0) -> None:
        """Step until the rollout is complete (or `limit` simulated seconds have passed)."""
        end = self.cluster.clock.now + limit
        while self.cluster.clock.now < end:
            self.cluster.advance(self.step)
            self.snapshots.append(Snapshot(self.cluster, namespace=self.namespace))
            if self._complete():
                break
        self.message = f"t={self.cluster.clock.now:.0f} s: {self._counts()}"
        self._record(snapshot=False)

    def _complete(self) -> bool:
        from k8scourse.controllers import deployment_util as du

        d = self.cluster.api.store.get("Deployment", self.namespace, self.name)
        return d is not None and du.deployment_complete(d, d.get("status") or {}) and \
            not any(p["metadata"].get("deletionTimestamp")
                    for p in self.cluster.api.store.list("Pod", self.namespace))

    def _counts(self) -> str:
        samples = self.recorder.samples()
        if not samples:
            return ""
        last = samples[-1]
        return ", ".join(f"{n}: {r} ready, {nr} starting, {t} terminating"
                         for n, (r, nr, t) in last.counts.items())

    def _record(self, snapshot: bool = True) -> None:
        self._action = self.message
        if snapshot:
            self.snapshots.append(Snapshot(self.cluster, namespace=self.namespace))
        self.index = len(self.snapshots) - 1
        if self._w is not None:
            self.time.max = self.index
            if self.time.value != self.index:
                self.time.value = self.index      # observe() calls show(), which refreshes
                return
        self.refresh()

    def show(self, index: int) -> None:
        """Move to recorded step `index` (0 is the state before the update)."""
        self.index = max(0, min(int(index), len(self.snapshots) - 1))
        snap = self.snapshots[self.index]
        self.message = f"step {self.index} of {len(self.snapshots) - 1} (t={snap.now:.0f} s)"
        if self.index == len(self.snapshots) - 1 and self._action:
            self.message += f": {self._action}"
        self.refresh()

    def draws(self):
        from k8scourse.viz.ownership import draw_ownership
        from k8scourse.viz.rollout import draw_rollout

        snap = self.snapshots[self.index]
        return [lambda: draw_ownership(snap, namespace=self.namespace, name=self.name),
                lambda: draw_rollout(self.recorder, cursor=snap.now)]


def rollout_explorer(cluster: Any, name: str, image: str | None = None,
                     namespace: str = "default", step: float = 1.0):
    """Buttons that start and step a rolling update of Deployment `name`; a slider over the steps."""
    return RolloutExplorer(cluster, name, image, namespace, step).build()


# --- self-healing ----------------------------------------------------------------------------

class HealingExplorer(Explorer):
    """Delete a pod or fail a node, then step time and watch the controllers replace them."""

    title = "self-healing explorer"

    def __init__(self, cluster: Any, namespace: str = "default"):
        super().__init__(cluster)
        self.namespace = namespace
        self._known = _pod_names(cluster, namespace)
        self._new: set[str] = set()
        w = self._w
        if w is not None:
            self.pod = w.Dropdown(options=sorted(self._known), description="pod")
            self.delete_button = w.Button(description="delete pod")
            self.node = w.Dropdown(options=[n["metadata"]["name"]
                                            for n in cluster.api.store.list("Node")],
                                   description="node")
            self.fail_button = w.Button(description="fail node")
            self.restore_button = w.Button(description="restore node")
            self.step_buttons = [w.Button(description=f"+{s} s") for s in (1, 10, 60)]
            self.delete_button.on_click(lambda _: self.delete_pod(self.pod.value))
            self.fail_button.on_click(lambda _: self.fail_node(self.node.value))
            self.restore_button.on_click(lambda _: self.restore_node(self.node.value))
            for s, b in zip((1, 10, 60), self.step_buttons):
                b.on_click(lambda _, s=s: self.forward(s))

    def controls(self) -> list:
        w = self._w
        return [w.VBox([w.HBox([self.pod, self.delete_button]),
                        w.HBox([self.node, self.fail_button, self.restore_button]),
                        w.HBox(self.step_buttons)])]

    def delete_pod(self, name: str) -> None:
        """`kubectl delete pod <name>` (graceful), then one second."""
        if not name:
            return
        self.cluster.api.delete("Pod", self.namespace, name, actor="kubectl")
        self.message = f"kubectl delete pod {name}"
        self.forward(1, quiet=True)

    def fail_node(self, name: str) -> None:
        """The machine `name` stops (its kubelet stops reporting)."""
        self.cluster.fail_node(name)
        self.message = f"node {name} failed"
        self.forward(1, quiet=True)

    def restore_node(self, name: str) -> None:
        self.cluster.restore_node(name)
        self.message = f"node {name} restored"
        self.forward(1, quiet=True)

    def forward(self, seconds: float, quiet: bool = False) -> None:
        """Let `seconds` of simulated time pass; pods that appeared meanwhile are outlined."""
        self.cluster.advance(seconds)
        now = _pod_names(self.cluster, self.namespace)
        self._new = (self._new | (now - self._known)) & now
        self._known = now
        pods = self.cluster.api.store.list("Pod", self.namespace)
        summary = {}
        for p in pods:
            s = pod_status(p)
            summary[s] = summary.get(s, 0) + 1
        text = ", ".join(f"{n} {s}" for s, n in sorted(summary.items()))
        self.message = (f"{self.message + ': ' if quiet and self.message else ''}"
                        f"t={self.cluster.clock.now:.0f} s: {text or 'no pods'}")
        if self._w is not None:
            self.pod.options = sorted(now)
        self.refresh()

    def draws(self):
        from k8scourse.viz.cluster_map import draw_cluster

        highlight = {n: HIGHLIGHT for n in self._new}
        return [lambda: draw_cluster(self.cluster, namespace=self.namespace, highlight=highlight)]


def healing_explorer(cluster: Any, namespace: str = "default"):
    """Buttons that delete a pod or fail a node, and step time; new pods are framed in orange."""
    return HealingExplorer(cluster, namespace).build()


# --- traffic ------------------------------------------------------------------------------------

class TrafficExplorer(Explorer):
    """Send requests to a Service and see which pods answered them."""

    title = "traffic explorer"

    def __init__(self, cluster: Any, service: str, namespace: str = "default"):
        super().__init__(cluster)
        self.service, self.namespace = service, namespace
        self.sent = 0
        self.failed: dict[str, int] = {}
        svc = cluster.api.get("Service", namespace, service)
        self.type = (svc.get("spec") or {}).get("type", "ClusterIP")
        self.nodes = [n["metadata"]["name"] for n in cluster.api.store.list("Node")]
        w = self._w
        if w is not None:
            self.count = w.IntSlider(value=10, min=1, max=100, description="requests")
            self.through = w.Dropdown(options=["any node"] + self.nodes, value="any node",
                                      description="via")
            self.send_button = w.Button(description="send")
            self.send_button.on_click(lambda _: self.send(self.count.value, self.through.value))

    def controls(self) -> list:
        if self.type in ("NodePort", "LoadBalancer"):
            return [self.count, self.through, self.send_button]
        return [self.count, self.send_button]

    def send(self, n: int = 10, through: str = "any node") -> None:
        """`n` HTTP requests: from the laptop to node IP:nodePort (NodePort), else from a node
        to the ClusterIP, each through kube-proxy's random choice of endpoint."""
        from k8scourse.apps.net import NetError, http_request
        from k8scourse.network.laptop import LaptopNet, network_of

        network = network_of(self.cluster)
        svc = self.cluster.api.get("Service", self.namespace, self.service)
        spec = svc.get("spec") or {}
        port = (spec.get("ports") or [{}])[0]
        targets = []
        if self.type in ("NodePort", "LoadBalancer") and port.get("nodePort"):
            names = self.nodes if through in ("any node", None) else [through]
            ips = [network.node_names.get(nm, "") for nm in names]
            targets = [(LaptopNet(network), f"http://{ip}:{port['nodePort']}/") for ip in ips if ip]
        if not targets:
            node = self.nodes[-1] if self.nodes else ""
            targets = [(network.node_net(node), f"http://{spec.get('clusterIP')}:{port.get('port')}/")]
        for i in range(int(n)):
            net, url = targets[i % len(targets)]
            try:
                http_request(net, "GET", url)
            except NetError as e:
                key = type(e).__name__
                self.failed[key] = self.failed.get(key, 0) + 1
            self.sent += 1
        failed = sum(self.failed.values())
        self.message = (f"sent {self.sent} request(s) to {self.service}" +
                        (f"; {failed} failed ({', '.join(self.failed)})" if failed else ""))
        self.refresh()

    def draws(self):
        from k8scourse.viz.service import draw_service

        return [lambda: draw_service(self.cluster, name=self.service, namespace=self.namespace)]


def traffic_explorer(cluster: Any, service: str, namespace: str = "default"):
    """A button that sends requests to Service `service`; each pod shows how many it answered."""
    return TrafficExplorer(cluster, service, namespace).build()
