"""Containers and what they are not: virtual machines; and what they come from: images.

Both pictures read the container engine model (k8scourse.docker): the containers actually
running, their images with their layers. Without an engine they draw a small example engine
(redis, postgres, the voting app and two nginx) so a chapter can show the idea before the
learner has run anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st
from k8scourse.viz.canvas import Canvas, fit_name, fit_text, line_height, wrap
from k8scourse.viz.shapes import heading

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WIDTH = 9.0
MARGIN = 0.15
MAX_GUESTS = 5
HARDWARE = ("#4a5260", "#e3e6eb")
KERNEL = ("#b3261e", "#fbe3e1")
RUNTIME = ("#1f5fa8", "#dfeaf7")
USERLAND = ("#5b6475", "#f1f2f5")


def example_engine():
    """A docker host running what the course runs first: redis, postgres, vote, two nginx."""
    from k8scourse.docker import DockerEngine

    engine = DockerEngine(seed=0)
    for cmd in ("run -d --name=redis redis", "run -d --name=db postgres:9.4",
                "run -d --name=vote -p 5000:80 --link redis:redis voting-app",
                "run -d --name=web1 nginx", "run -d --name=web2 -p 8080:80 nginx"):
        engine.docker(cmd)
    engine.advance(5)
    return engine


def _bar(c: Canvas, x: float, y: float, w: float, h: float, text: str, colours, *, size=7.8,
         weight="bold", gid: str | None = None) -> None:
    strong, light = colours
    c.box(x, y, w, h, face=light, edge=strong, lw=1.0, style="round", radius=0.04, gid=gid)
    c.text(x + w / 2, y + h / 2, fit_text(text, w - 0.12, size, weight), size=size,
           weight=weight, color=strong, ha="center", va="center_baseline")


def draw_containers_vs_vms(engine: Any = None, ax: Axes | None = None, *,
                           vms: int = 3) -> Axes:
    """A VM host beside a container host: every VM boots its own kernel, containers share one.

    `engine` is a k8scourse.docker.DockerEngine (default: a small example). Returns the Axes.
    """
    from k8scourse.docker import vms_vs_containers

    engine = engine or example_engine()
    vm_stack, c_stack = vms_vs_containers(engine, vms=vms)
    c = Canvas(WIDTH)
    running = len(c_stack.guests)
    y = MARGIN + heading(
        c, MARGIN, MARGIN, "Virtual machines and containers",
        f"{len(vm_stack.guests)} VMs run {vm_stack.kernels} kernels on their machine; "
        f"{running} container{'s' * (running != 1)} run{'s' * (running == 1)} on the one kernel "
        "of theirs. A container carries only its app and its image's files.")
    # each side as wide as its guests need, within limits
    room = WIDTH - 2 * MARGIN - 0.3
    n_vm = min(len(vm_stack.guests), MAX_GUESTS) or 1
    n_ct = min(len(c_stack.guests) + (len(c_stack.guests) > MAX_GUESTS), MAX_GUESTS + 1) or 1
    vm_w = min(max(room * n_vm / (n_vm + n_ct), 2.8), room - 2.8)
    _stack(c, vm_stack, MARGIN, y, vm_w)
    _stack(c, c_stack, MARGIN + vm_w + 0.3, y, room - vm_w)
    return c.render(ax)


def _stack(c: Canvas, stack, x: float, y: float, w: float) -> float:
    vm = stack.kind == "virtual machines"
    c.text(x, y, "Virtual machines" if vm else "Containers", size=9.5, weight="bold")
    y += line_height(9.5) + 0.08
    guests = stack.guests[:MAX_GUESTS]
    more = len(stack.guests) - len(guests)
    n = max(1, len(guests) + (1 if more else 0))
    gap = 0.08
    gw = (w - (n - 1) * gap) / n
    part = 0.3
    bars = 2 if vm else 1       # the userland, and a VM's own kernel
    gh = 0.12 + line_height(7.8) + line_height(7) + 0.06 + bars * (part + 0.05) + \
        2 * line_height(7) + 0.04
    if not guests:
        c.box(x, y, w, gh, face="white", edge="#c3c9d3", lw=1.0, ls=(0, (4, 2)), style="round")
        c.text(x + w / 2, y + gh / 2, "no container running", size=8, color=st.MUTED,
               ha="center", va="center_baseline", style="italic")
    for i, g in enumerate(guests):
        gx = x + i * (gw + gap)
        kind = "vm" if vm else "container"
        c.box(gx, y, gw, gh, face="white", edge=st.INK, lw=1.1, style="round", radius=0.06,
              gid=f"{kind}/{g.name}")
        py = y + 0.06
        inner = gw - 0.12
        c.text(gx + gw / 2, py, fit_name(g.name, inner, 7.8, "bold"), size=7.8, weight="bold",
               ha="center", gid=f"{kind}/{g.name}")
        c.text(gx + gw / 2, py + line_height(7.8), fit_text(g.app, inner, 7), size=7,
               color=st.MUTED, ha="center")
        py += line_height(7.8) + line_height(7) + 0.06
        _bar(c, gx + 0.06, py, inner, part, _short_os(g.userland), USERLAND, size=7,
             weight="normal")
        py += part + 0.05
        if vm:
            _bar(c, gx + 0.06, py, inner, part, f"kernel {g.kernel.split('-')[0]}", KERNEL,
                 size=7)
            py += part + 0.05
        c.text(gx + gw / 2, py + 0.02, fit_text(g.size, inner, 7), size=7, color=st.MUTED,
               ha="center")
        c.text(gx + gw / 2, py + 0.02 + line_height(7), fit_text(
            f"{'boots' if vm else 'starts'} in {g.boot_seconds:g} s", inner, 7), size=7,
            color=st.MUTED, ha="center")
    if more:
        gx = x + len(guests) * (gw + gap)
        c.box(gx, y, gw, gh, face="white", edge="#c3c9d3", lw=1.0, ls=(0, (4, 2)), style="round")
        c.text(gx + gw / 2, y + gh / 2, f"+ {more} more", size=8, color=st.MUTED, ha="center",
               va="center_baseline")
    y += gh + 0.08
    bar = 0.34
    if vm:
        _bar(c, x, y, w, bar, f"{stack.layer}: {stack.host_os}", RUNTIME)
        y += bar + 0.06
    else:
        _bar(c, x, y, w, bar, stack.layer, RUNTIME)
        y += bar + 0.06
        _bar(c, x, y, w, bar, f"host OS {_short_os(stack.host_os)} · kernel {stack.host_kernel}"
             " (shared)", KERNEL, size=7.5)
        y += bar + 0.06
    _bar(c, x, y, w, bar, "hardware: CPU, memory, disk, network", HARDWARE)
    y += bar
    lines = wrap(f"{len(stack.guests)} guest{'s' * (len(stack.guests) != 1)}, "
                 f"{stack.kernels} kernel{'s' * (stack.kernels != 1)} on this machine", w, 7.5)
    c.lines(x, y + 0.08, lines, size=7.5, color=st.MUTED, style="italic")
    return y


def _short_os(name: str) -> str:
    """`Debian GNU/Linux 12 (bookworm)` -> `Debian 12`, `Ubuntu 22.04.5 LTS` -> `Ubuntu 22.04.5`."""
    name = name.split(" (")[0]
    for word in (" GNU/Linux", " LTS", " Linux"):
        name = name.replace(word, "")
    return name


SHARED_LAYERS = ["#c46a0a", "#7a52b3", "#118fa0", "#a9771c"]
OWN_LAYER = "#c9d1dc"


def _layer_colours(images) -> dict[str, str]:
    """Layers in more than one image get a colour each; a layer of one image only is grey."""
    users: dict[str, int] = {}
    for img in images:
        for layer in set(img.layers):
            users[layer] = users.get(layer, 0) + 1
    shared = sorted(layer for layer, n in users.items() if n > 1)
    colours = {layer: SHARED_LAYERS[i % len(SHARED_LAYERS)] for i, layer in enumerate(shared)}
    return {layer: colours.get(layer, OWN_LAYER) for layer in users}


def draw_images_vs_containers(engine: Any = None, ax: Axes | None = None) -> Axes:
    """Each image (its layers, size) and the containers started from it.

    Layers with the same colour are the same layer, shared between images built on the same base.
    `engine` is a k8scourse.docker.DockerEngine (default: a small example). Returns the Axes.
    """
    from k8scourse.docker.images import human_size

    engine = engine or example_engine()
    c = Canvas(WIDTH)
    images = sorted(engine.images.values(), key=lambda i: (i.repository, i.tag))
    containers = sorted(engine.containers.values(), key=lambda ct: ct.created)
    layer_colour = _layer_colours(images)
    by_image: dict[str, list] = {}
    for ct in containers:
        by_image.setdefault(ct.image.id, []).append(ct)
    n_running = sum(1 for ct in containers if ct.running)
    y = MARGIN + heading(
        c, MARGIN, MARGIN, "Images and containers",
        f"{len(images)} image{'s' * (len(images) != 1)}, {len(containers)} container"
        f"{'s' * (len(containers) != 1)} ({n_running} running). An image is a read-only "
        "template made of layers; every container is one running instance of an image with a "
        "thin writable layer of its own.")
    ix, iw = MARGIN, 3.7
    cx, cw = 4.6, WIDTH - MARGIN - 4.6
    c.text(ix, y, "images (docker images)", size=7.5, weight="bold", color=st.FAINT)
    c.text(cx, y, "containers (docker ps -a)", size=7.5, weight="bold", color=st.FAINT)
    y += line_height(7.5) + 0.06
    img_h = 0.1 + line_height(8.5) + line_height(7) + 0.24
    ct_h = 0.1 + line_height(8) + line_height(7)
    if not images:
        c.text(ix, y, fit_text("No images yet: docker pull or docker run fetches one.",
                               WIDTH - 2 * MARGIN, 8, style="italic"), size=8,
               color=st.MUTED, style="italic")
        return c.render(ax)
    for img in images:
        cts = by_image.get(img.id, [])
        block = max(img_h, len(cts) * (ct_h + 0.07) - 0.07 if cts else line_height(7.5))
        iy = y + (block - img_h) / 2 if cts else y
        ref = f"{img.repository}:{img.tag}"
        c.box(ix, iy, iw, img_h, face="#f7f8fa", edge=st.INK, lw=1.0, style="square",
              gid=f"image/{ref}")
        c.text(ix + 0.08, iy + 0.06, fit_name(ref, iw - 0.16, 8.5, "bold"), size=8.5,
               weight="bold", gid=f"image/{ref}")
        c.text(ix + 0.08, iy + 0.06 + line_height(8.5),
               fit_text(f"{human_size(img.spec.size)} · {len(img.layers)} layers · "
                        f"IMAGE ID {img.id[:12]}", iw - 0.16, 7), size=7, color=st.MUTED)
        ly = iy + img_h - 0.2
        lw = min(0.3, (iw - 0.16) / max(1, len(img.layers)) - 0.02)
        for k, layer in enumerate(img.layers):
            colour = layer_colour[layer]
            c.box(ix + 0.08 + k * (lw + 0.02), ly, lw, 0.13, face=colour, edge=colour, lw=0.4,
                  style="square")
        for j, ct in enumerate(cts):
            ty = y + j * (ct_h + 0.07)
            running = ct.running
            colour = st.STATUS_COLOURS["Running"] if running else st.MUTED
            c.box(cx, ty, cw, ct_h, face="white", edge=colour, lw=1.2 if running else 0.9,
                  style="round", radius=0.05, gid=f"container/{ct.name}")
            c.box(cx, ty, 0.07, ct_h, face=colour, edge=colour, lw=0.4, style="square")
            c.text(cx + 0.14, ty + 0.05, fit_name(ct.name, cw - 0.22, 8, "bold"), size=8,
                   weight="bold", gid=f"container/{ct.name}")
            detail = ct.status + (f" · {ct.ip}" if ct.ip and running else "")
            if ct.ports:
                detail += " · " + ", ".join(f"{h}:{hp}->{p}/{proto}" for h, hp, p, proto
                                            in ct.ports)
            c.text(cx + 0.14, ty + 0.05 + line_height(8), fit_text(detail, cw - 0.22, 7),
                   size=7, color=colour if running else st.MUTED)
            c.arrow((ix + iw, iy + img_h / 2), (cx, ty + ct_h / 2), color="#8792a2", lw=1.0,
                    head=6)
        if not cts:
            c.text(cx, y + 0.02, "no container from this image", size=7.5, color=st.FAINT,
                   style="italic")
        y += block + 0.16
    holders: dict[str, list[str]] = {}
    for img in images:
        for layer in dict.fromkeys(img.layers):
            holders.setdefault(layer, []).append(img.repository)
    entries = [("box", layer_colour[layer], f"a layer shared by {', '.join(repos)}")
               for layer, repos in holders.items() if len(repos) > 1][:4]
    entries.append(("box", OWN_LAYER, "a layer of this image only"))
    c.legend(MARGIN, y, WIDTH - 2 * MARGIN, entries)
    return c.render(ax)
