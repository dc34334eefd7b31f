"""Checks a rendered figure for what makes diagrams unreadable: labels on labels, things cut off.

The extents are the real ones: the figure is drawn with its renderer and every text's window
extent is taken from it (what the PNG will show), compared with the others and with the
figure's own box.
"""

from __future__ import annotations


def _renderer(fig):
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _undrawn_tick_labels(fig) -> set[int]:
    """Tick labels outside their axis's view: matplotlib keeps them but does not draw them."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) or 1.0
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                loc = tick.get_loc()
                if loc is None or loc < lo - 1e-9 * span or loc > hi + 1e-9 * span:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def _texts(fig):
    from matplotlib.text import Text

    out = []
    hidden = _undrawn_tick_labels(fig)
    for t in fig.findobj(Text):
        if id(t) in hidden:
            continue
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        out.append(t)
    return out


def _extent(t, renderer):
    """The text's own box (an annotation's arrow is not part of its label)."""
    from matplotlib.text import Text

    return Text.get_window_extent(t, renderer)


def text_boxes(fig) -> list[tuple[str, object]]:
    """(text, window extent in pixels) of every visible, non-empty text in the figure."""
    r = _renderer(fig)
    return [(t.get_text(), _extent(t, r)) for t in _texts(fig)]


def overlapping_texts(fig, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts whose rendered boxes overlap by more than `tolerance` pixels each way."""
    boxes = sorted(text_boxes(fig), key=lambda tb: tb[1].x0)
    pairs = []
    active: list[tuple[str, object]] = []
    for s, bb in boxes:
        active = [(s2, b2) for s2, b2 in active if b2.x1 - tolerance > bb.x0]
        for s2, b2 in active:
            dx = min(bb.x1, b2.x1) - max(bb.x0, b2.x0)
            dy = min(bb.y1, b2.y1) - max(bb.y0, b2.y0)
            if dx > tolerance and dy > tolerance:
                pairs.append((s2, s))
        active.append((s, bb))
    return pairs


def outside_figure(fig, tolerance: float = 1.0) -> list[str]:
    """What is drawn (texts, patches, lines) beyond the figure's edges."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    r = _renderer(fig)
    fb = fig.bbox
    out = []

    def outside(bb) -> bool:
        return (bb.x0 < fb.x0 - tolerance or bb.y0 < fb.y0 - tolerance or
                bb.x1 > fb.x1 + tolerance or bb.y1 > fb.y1 + tolerance)

    for t in _texts(fig):
        if outside(_extent(t, r)):
            out.append(f"text {t.get_text()!r}")
    skip = {id(fig.patch)} | {id(ax.patch) for ax in fig.axes}
    for ax in fig.axes:
        skip |= {id(s) for s in ax.spines.values()}
    for a in fig.findobj(lambda a: isinstance(a, (Patch, Line2D, Collection))):
        if id(a) in skip or not a.get_visible():
            continue
        if a.axes is not None and not a.axes.get_visible():
            continue
        if isinstance(a, Line2D) and (a.axes is None or a in a.axes.xaxis.get_ticklines() or
                                      a in a.axes.yaxis.get_ticklines()):
            continue
        try:
            bb = a.get_window_extent(r)
        except Exception:  # pragma: no cover - an artist that cannot say where it is
            continue
        if bb.width == 0 and bb.height == 0:
            continue
        if not (abs(bb.width) < 1e12 and abs(bb.height) < 1e12):
            continue                     # an empty collection reports an infinite box
        if outside(bb):
            out.append(f"{type(a).__name__} {a.get_gid() or ''}".strip())
    return out


def layout_problems(fig) -> list[str]:
    """Every overlap of two texts and everything outside the figure, in words (empty if none)."""
    problems = [f"overlap: {a!r} / {b!r}" for a, b in overlapping_texts(fig)]
    problems += [f"outside the figure: {what}" for what in outside_figure(fig)]
    return problems
