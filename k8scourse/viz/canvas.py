"""A drawing laid out in inches before it is drawn, so that every label is measured and fitted.

Diagrams place boxes, texts and arrows on a `Canvas` whose unit is the inch, origin at the top
left and y growing downwards (the way a page is read). Texts are measured with the real font's
glyph advances, and long names are shortened to the room they have (`fit_name`), so labels never
run into each other. `render(ax)` turns the plan into matplotlib artists: into a new figure of
exactly the right size, or scaled to fit an axes the caller gives.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from k8scourse.viz import style as st

ELLIPSIS = "…"
#: line height as a multiple of the font size
LEADING = 1.32
#: safety margins on measured widths: hinting at screen resolution widens glyphs a little, and
#: a text's ink reaches past its last advance (measured: at 100 dpi at most 4 % + 0.25 em)
WIDTH_MARGIN = 1.05
WIDTH_PAD_EM = 0.3
FONT_FAMILY = "DejaVu Sans"


# --- measuring ----------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _measurer(weight: str, style: str):
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=FONT_FAMILY, size=100, weight=weight, style=style)
    ttp = TextToPath()
    cache: dict[str, float] = {}

    def advance(ch: str) -> float:
        w = cache.get(ch)
        if w is None:
            w = ttp.get_text_width_height_descent(ch, prop, ismath=False)[0] / 100.0
            cache[ch] = w
        return w

    return advance


def text_width(s: str, size: float, weight: str = "normal", style: str = "normal") -> float:
    """The width in inches of one line of `s` at `size` points."""
    if not s:
        return 0.0
    advance = _measurer(weight, style)
    return (sum(advance(c) for c in s) * WIDTH_MARGIN + WIDTH_PAD_EM) * size / 72.0


def line_height(size: float) -> float:
    """The distance in inches between two lines of text at `size` points."""
    return size * LEADING / 72.0


def fit_text(s: str, width: float, size: float, weight: str = "normal",
             style: str = "normal") -> str:
    """`s`, cut at the end with an ellipsis if it is wider than `width` inches."""
    if text_width(s, size, weight, style) <= width:
        return s
    lo, hi = 0, len(s)
    while lo < hi:                                   # the longest prefix that fits with "…"
        mid = (lo + hi + 1) // 2
        if text_width(s[:mid] + ELLIPSIS, size, weight, style) <= width:
            lo = mid
        else:
            hi = mid - 1
    return s[:lo].rstrip() + ELLIPSIS if lo else ELLIPSIS


def fit_name(name: str, width: float, size: float, weight: str = "normal") -> str:
    """A Kubernetes name shortened to `width` inches, keeping what tells objects apart.

    Generated names end in what is unique (`web-7c5ddbdf54-2xqzr`): the start and the last
    segment are kept and the middle gives way (`very-long-na…-2xqzr`), so sibling pods stay
    distinguishable however narrow their boxes. Where a long prefix left no dash before the
    random suffix, the last five characters are kept.
    """
    if text_width(name, size, weight) <= width:
        return name
    head, sep, tail = name.rpartition("-")
    if not sep or not head or len(tail) > 8:
        # a long generateName is cut before its random 5-character suffix (no dash left)
        head, tail = name[:-5], name[-5:]
        sep = ""
    tail = sep + tail
    room = width - text_width(ELLIPSIS + tail, size, weight)
    if room <= 0:
        return fit_text(name, width, size, weight)
    return fit_text(head, room + text_width(ELLIPSIS, size, weight), size, weight) + tail


def fit_pairs(pairs: dict[str, str], width: float, size: float, weight: str = "normal",
              prefix: str = "") -> str:
    """`k=v,k=v` (labels, a selector) within `width` inches: the longest values give way first."""
    items = [[str(k), str(v)] for k, v in sorted(pairs.items())]

    def joined() -> str:
        return prefix + ",".join(f"{k}={v}" for k, v in items)

    text = joined()
    if text_width(text, size, weight) <= width:
        return text
    for _ in range(200):
        longest = max(items, key=lambda kv: len(kv[1]), default=None)
        if longest is None or len(longest[1]) <= 4:
            break
        v = longest[1].rstrip(ELLIPSIS)
        keep = max(3, len(v) - max(2, len(v) // 4))
        longest[1] = v[:keep] + ELLIPSIS
        text = joined()
        if text_width(text, size, weight) <= width:
            return text
    return fit_text(text, width, size, weight)


def pairs_lines(pairs: dict[str, str], width: float, size: float, prefix: str = "",
                max_lines: int = 2, weight: str = "normal") -> list[str]:
    """`k=v` pairs packed into at most `max_lines` lines of `width` inches (then shortened)."""
    items = [f"{k}={v}" for k, v in sorted(pairs.items())]
    lines: list[str] = []
    current = prefix
    for item in items:
        candidate = current + ("," if current not in ("", prefix) else "") + item
        if text_width(candidate, size, weight) <= width or current in ("", prefix):
            current = candidate
        else:
            lines.append(current + ",")
            current = "  " + item
    lines.append(current)
    if len(lines) > max_lines:
        rest = ",".join(l.strip().rstrip(",") for l in lines[max_lines - 1:])
        lines = lines[:max_lines - 1] + ["  " + rest]
    return [fit_text(l, width, size, weight) for l in lines]


def wrap(s: str, width: float, size: float, weight: str = "normal",
         max_lines: int | None = None) -> list[str]:
    """`s` broken into lines no wider than `width` inches (words kept whole where they fit)."""
    lines: list[str] = []
    for paragraph in s.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, weight) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size, weight) > width and len(word) > 1:
                cut = len(fit_text(word, width, size, weight)) - 1   # without the ellipsis
                cut = max(1, cut)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit_text(lines[-1] + " " + ELLIPSIS, width, size, weight)
        if not lines[-1].endswith(ELLIPSIS):
            lines[-1] = fit_text(lines[-1] + "    ", width, size, weight)
    return lines


# --- figures ------------------------------------------------------------------------------------

_OFFSCREEN: ContextVar[bool] = ContextVar("k8scourse_viz_offscreen", default=False)


@contextmanager
def offscreen():
    """Draw into figures pyplot does not know about (explorers render them to PNG themselves,
    so that nothing pops up in the notebook's next output)."""
    token = _OFFSCREEN.set(True)
    try:
        yield
    finally:
        _OFFSCREEN.reset(token)


_FIGURE_CLASS = None


def _figure_class():
    """A Figure that draws its texts without font hinting.

    Diagrams hold a hundred small labels; FreeType's hinting of every glyph is most of the time
    they take to draw, and at 100 dpi unhinted DejaVu Sans looks the same. Only our own figures
    draw this way; the setting is restored when the drawing ends.
    """
    global _FIGURE_CLASS
    if _FIGURE_CLASS is None:
        import matplotlib
        from matplotlib.figure import Figure

        class DiagramFigure(Figure):
            def draw(self, renderer):
                with matplotlib.rc_context({"text.hinting": "no_hinting"}):
                    return super().draw(renderer)

        _FIGURE_CLASS = DiagramFigure
    return _FIGURE_CLASS


def new_figure(width: float, height: float):
    """A figure of `width` x `height` inches: pyplot's, or a bare Agg one when offscreen."""
    cls = _figure_class()
    if _OFFSCREEN.get():
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = cls(figsize=(width, height))
        FigureCanvasAgg(fig)
        return fig
    import matplotlib.pyplot as plt

    return plt.figure(figsize=(width, height), FigureClass=cls)


# --- the plan -----------------------------------------------------------------------------------

@dataclass
class _Item:
    kind: str
    args: dict[str, Any] = field(default_factory=dict)


class Canvas:
    """A plan of a drawing in inches (origin top left, y down), rendered at the end."""

    def __init__(self, width: float = 9.0, height: float = 0.0):
        self.width = width
        self.height = height
        self.items: list[_Item] = []

    # primitives ----------------------------------------------------------------------------------
    def box(self, x: float, y: float, w: float, h: float, *, face: str = "white",
            edge: str = "#8792a2", lw: float = 1.0, ls: Any = "-", style: str = "round",
            radius: float = 0.06, z: float = 1, gid: str | None = None, alpha: float = 1.0) -> None:
        """A rectangle with its top-left corner at (x, y)."""
        self.items.append(_Item("box", dict(x=x, y=y, w=w, h=h, face=face, edge=edge, lw=lw, ls=ls,
                                            style=style, radius=radius, z=z, gid=gid, alpha=alpha)))
        self._grow(y + h)

    def kind_box(self, kind: str, x: float, y: float, w: float, h: float, *,
                 face: str | None = None, edge: str | None = None, lw: float | None = None,
                 z: float = 1, gid: str | None = None) -> None:
        """A box in the shape the visual language gives `kind` (see style.KIND_STYLE)."""
        ks = st.KIND_STYLE.get(kind, st.KIND_STYLE["component"])
        face = face or ks.get("face", "white")
        edge = edge or ks.get("edge", "#8792a2")
        lw = lw if lw is not None else ks.get("lw", 1.0)
        shape = ks["style"]
        if ks.get("double"):
            self.box(x, y, w, h, face=face, edge=edge, lw=lw, ls="-", style="round", z=z, gid=gid)
            self.box(x + 0.04, y + 0.04, w - 0.08, h - 0.08, face="none", edge=edge,
                     lw=lw * 0.6, style="round", radius=0.04, z=z + 0.01)
            return
        if shape == "pill":
            self.box(x, y, w, h, face=face, edge=edge, lw=lw, ls=ks["ls"], style="round",
                     radius=min(h / 2, 0.25), z=z, gid=gid)
            return
        self.box(x, y, w, h, face=face, edge=edge, lw=lw, ls=ks["ls"], style=shape, z=z, gid=gid)

    def text(self, x: float, y: float, s: str, *, size: float = 8, color: str = st.INK,
             weight: str = "normal", style: str = "normal", ha: str = "left", va: str = "top",
             z: float = 5, gid: str | None = None, rotation: float = 0) -> float:
        """One line of text anchored at (x, y); returns its width in inches."""
        self.items.append(_Item("text", dict(x=x, y=y, s=s, size=size, color=color, weight=weight,
                                             style=style, ha=ha, va=va, z=z, gid=gid,
                                             rotation=rotation)))
        if va == "top":
            self._grow(y + line_height(size))
        return text_width(s, size, weight, style)

    def lines(self, x: float, y: float, lines: list[str], *, size: float = 8, **kw) -> float:
        """Several lines of text, one below the other; returns the height they take."""
        step = line_height(size)
        for i, s in enumerate(lines):
            self.text(x, y + i * step, s, size=size, **kw)
        return step * len(lines)

    def line(self, xs: list[float], ys: list[float], *, color: str = "#8792a2", lw: float = 1.0,
             ls: Any = "-", z: float = 0.5, alpha: float = 1.0) -> None:
        self.items.append(_Item("line", dict(xs=list(xs), ys=list(ys), color=color, lw=lw, ls=ls,
                                             z=z, alpha=alpha)))

    def arrow(self, start: tuple[float, float], end: tuple[float, float], *,
              color: str = "#8792a2", lw: float = 1.0, ls: Any = "-", z: float = 0.6,
              both: bool = False, head: float = 7.0, rad: float = 0.0) -> None:
        """A straight (or, with `rad`, gently curved) arrow from `start` to `end`."""
        self.items.append(_Item("arrow", dict(start=start, end=end, color=color, lw=lw, ls=ls, z=z,
                                              both=both, head=head, rad=rad)))

    def dot(self, x: float, y: float, r: float, *, color: str, edge: str | None = None,
            z: float = 4, gid: str | None = None) -> None:
        self.items.append(_Item("dot", dict(x=x, y=y, r=r, color=color, edge=edge or color, z=z,
                                            gid=gid)))

    def badge(self, x: float, y: float, label: str, *, color: str, size: float = 6.5,
              face: str = "white", z: float = 6, ha: str = "left") -> float:
        """A small framed word (a kind's short name, a step number); returns its width."""
        w = text_width(label, size, "bold") + 0.08
        h = line_height(size) + 0.02
        if ha == "right":
            x -= w
        self.box(x, y, w, h, face=face, edge=color, lw=0.8, style="round", radius=0.04, z=z)
        self.text(x + w / 2, y + h / 2, label, size=size, color=color, weight="bold",
                  ha="center", va="center_baseline", z=z + 0.1)
        return w

    def number(self, x: float, y: float, n: int, *, color: str = st.HIGHLIGHT,
               size: float = 7.5, z: float = 8) -> None:
        """A step number in a filled circle centred on (x, y)."""
        r = line_height(size) * 0.62
        self.dot(x, y, r, color=color, z=z)
        self.text(x, y, str(n), size=size, color="white", weight="bold", ha="center",
                  va="center_baseline", z=z + 0.1)

    def squares(self, cells: list[tuple[float, float, float, str, str]], *, lw: float = 1.0,
                z: float = 2) -> None:
        """Many small squares (x, y, size, face, edge) drawn as one collection (big clusters)."""
        if cells:
            self.items.append(_Item("squares", dict(cells=list(cells), lw=lw, z=z)))
            self._grow(max(y + size for _, y, size, _, _ in cells))

    def legend(self, x: float, y: float, width: float,
               entries: list[tuple[str, str, str]], *, size: float = 7.5) -> float:
        """Swatches with words, flowing over lines within `width`; returns the height used.

        Each entry is (shape, colour, words) with shape "dot", "box", "line" or "dashed".
        """
        if not entries:
            return 0.0
        step = line_height(size) + 0.05
        cx, cy = x, y
        for shape, colour, words in entries:
            words = fit_text(words, width - 0.3, size)
            w = 0.22 + text_width(words, size) + 0.2
            if cx > x and cx + w > x + width:
                cx, cy = x, cy + step
            mid = cy + step / 2 - 0.02
            if shape == "dot":
                self.dot(cx + 0.07, mid, 0.055, color=colour)
            elif shape in ("line", "dashed"):
                self.line([cx, cx + 0.16], [mid, mid], color=colour, lw=1.8,
                          ls="-" if shape == "line" else (0, (3, 2)))
            else:
                self.box(cx, mid - 0.06, 0.16, 0.12, face=colour, edge=colour, lw=0.6,
                         style="square")
            self.text(cx + 0.22, mid, words, size=size, color=st.MUTED, va="center_baseline")
            cx += w
        self._grow(cy + step)
        return cy + step - y

    def _grow(self, y: float) -> None:
        if y > self.height:
            self.height = y

    # rendering -----------------------------------------------------------------------------------
    def render(self, ax=None, *, margin: float = 0.12):
        """Draw the plan; a new figure of the plan's size when `ax` is None. Returns the axes."""
        width, height = self.width, self.height + margin
        if ax is None:
            fig = new_figure(width, height)
            ax = fig.add_axes((0, 0, 1, 1))
            scale = 1.0
            x0, x1, y0, y1 = 0.0, width, 0.0, height
        else:
            fig = ax.figure
            pos = ax.get_position()
            aw, ah = pos.width * fig.get_figwidth(), pos.height * fig.get_figheight()
            scale = min(aw / width, ah / height)
            extra_x, extra_y = aw / scale - width, ah / scale - height
            x0, x1 = -extra_x / 2, width + extra_x / 2
            y0, y1 = -extra_y / 2, height + extra_y / 2
        ax.set_axis_off()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y1, y0)
        ax.set_autoscale_on(False)
        for item in sorted(self.items, key=lambda i: i.args.get("z", 0)):
            getattr(self, f"_draw_{item.kind}")(ax, scale, **item.args)
        return ax

    @staticmethod
    def _draw_box(ax, scale, *, x, y, w, h, face, edge, lw, ls, style, radius, z, gid, alpha):
        from matplotlib.patches import FancyBboxPatch, Rectangle

        if style == "square":
            patch = Rectangle((x, y), w, h, facecolor=face, edgecolor=edge, linewidth=lw * scale,
                              linestyle=ls, zorder=z, alpha=alpha)
        else:
            r = min(radius, w / 2, h / 2)
            patch = FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad=0,rounding_size={r}",
                                   facecolor=face, edgecolor=edge, linewidth=lw * scale,
                                   linestyle=ls, zorder=z, alpha=alpha, mutation_aspect=1)
        if gid:
            patch.set_gid(gid)
        ax.add_artist(patch)

    @staticmethod
    def _draw_text(ax, scale, *, x, y, s, size, color, weight, style, ha, va, z, gid, rotation):
        t = ax.text(x, y, s, fontsize=size * scale, color=color, fontweight=weight,
                    fontstyle=style, ha=ha, va=va, zorder=z, family=FONT_FAMILY,
                    rotation=rotation, clip_on=False)
        if gid:
            t.set_gid(gid)

    @staticmethod
    def _draw_line(ax, scale, *, xs, ys, color, lw, ls, z, alpha):
        ax.plot(xs, ys, color=color, linewidth=lw * scale, linestyle=ls, zorder=z, alpha=alpha,
                solid_capstyle="butt")

    @staticmethod
    def _draw_arrow(ax, scale, *, start, end, color, lw, ls, z, both, head, rad):
        from matplotlib.patches import FancyArrowPatch

        style = "<|-|>" if both else "-|>"
        patch = FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=head * scale,
                                color=color, linewidth=lw * scale, linestyle=ls, zorder=z,
                                shrinkA=0, shrinkB=0,
                                connectionstyle=f"arc3,rad={rad}" if rad else "arc3")
        ax.add_artist(patch)

    @staticmethod
    def _draw_squares(ax, scale, *, cells, lw, z):
        from matplotlib.collections import PatchCollection
        from matplotlib.patches import Rectangle

        patches = [Rectangle((x, y), size, size) for x, y, size, _, _ in cells]
        coll = PatchCollection(patches, facecolors=[c[3] for c in cells],
                               edgecolors=[c[4] for c in cells], linewidths=lw * scale, zorder=z)
        ax.add_collection(coll, autolim=False)

    @staticmethod
    def _draw_dot(ax, scale, *, x, y, r, color, edge, z, gid):
        from matplotlib.patches import Circle

        patch = Circle((x, y), r, facecolor=color, edgecolor=edge, linewidth=0.8 * scale, zorder=z)
        if gid:
            patch.set_gid(gid)
        ax.add_artist(patch)

