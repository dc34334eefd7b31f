"""Measuring, shortening and wrapping labels; the layout checks themselves."""

from __future__ import annotations

import pytest

import tests.viz.conftest  # noqa: F401  (the Agg backend)
from k8scourse.viz.canvas import (Canvas, fit_name, fit_pairs, fit_text, pairs_lines, text_width,
                                  wrap)
from k8scourse.viz.check import layout_problems, outside_figure, overlapping_texts


def rendered_width(s: str, size: float, weight: str = "normal") -> float:
    """The width matplotlib's Agg renderer gives the text, in inches."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(4, 1), dpi=100)
    t = fig.text(0, 0, s, fontsize=size, fontweight=weight, family="DejaVu Sans")
    fig.canvas.draw()
    w = t.get_window_extent(fig.canvas.get_renderer()).width / 100
    plt.close(fig)
    return w


@pytest.mark.parametrize("s", ["web-7c5ddbdf54-2xqzr", "kube-controller-manager", "WWWWiiii"])
def test_measured_width_covers_the_rendered_width(s):
    """What the layout measures is never narrower than what the renderer draws."""
    for size, weight in ((7, "normal"), (8.5, "bold")):
        assert text_width(s, size, weight) >= rendered_width(s, size, weight) - 0.005


def test_fit_text_leaves_a_short_text_alone():
    """A text that fits is returned as it is."""
    assert fit_text("nginx", 2.0, 8) == "nginx"


def test_fit_text_cuts_with_an_ellipsis_within_the_width():
    """A text too wide ends in … and fits the width."""
    s = fit_text("a-very-long-label-that-cannot-fit-in-one-inch", 1.0, 8)
    assert s.endswith("…") and text_width(s, 8) <= 1.0


def test_fit_name_keeps_the_unique_suffix():
    """A generated pod name keeps its last segment, the part that tells siblings apart."""
    s = fit_name("customer-facing-payment-processing-frontend-service-795fdf5dc8-dnvtf", 2.0, 8)
    assert s.startswith("customer-facing") and s.endswith("…-dnvtf")
    assert text_width(s, 8) <= 2.0


def test_fit_name_of_siblings_stays_distinct():
    """Two pods of one ReplicaSet still differ once shortened."""
    a = fit_name("payment-processing-frontend-795fdf5dc8-dnvtf", 1.3, 8)
    b = fit_name("payment-processing-frontend-795fdf5dc8-lc8wb", 1.3, 8)
    assert a != b


def test_fit_pairs_shortens_the_longest_value_first():
    """In labels too wide for their room the long value gives way, the short key=value stays."""
    s = fit_pairs({"app": "customer-facing-payment-processing", "tier": "web"}, 2.2, 7)
    assert "tier=web" in s and "app=customer" in s and "…" in s
    assert text_width(s, 7) <= 2.2


def test_pairs_lines_breaks_between_pairs():
    """A selector too long for one line goes on two, each pair whole."""
    lines = pairs_lines({"app": "api", "pod-template-hash": "785b64dfcc", "tier": "backend"},
                        2.0, 7, prefix="selector: ")
    assert len(lines) == 2 and lines[0].startswith("selector: app=api,")
    assert all(text_width(line, 7) <= 2.0 for line in lines)


def test_wrap_keeps_words_and_width():
    """Wrapped lines are no wider than asked and keep every word."""
    text = "0/3 nodes are available: 1 node(s) had untolerated taint, 2 Insufficient cpu."
    lines = wrap(text, 1.5, 7)
    assert len(lines) > 1 and " ".join(lines) == text
    assert all(text_width(line, 7) <= 1.5 for line in lines)


def test_wrap_limits_the_lines():
    """With max_lines the last line ends in an ellipsis."""
    lines = wrap("one two three four five six seven eight nine ten", 0.6, 8, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")


def test_overlap_check_finds_labels_on_labels():
    """Two labels drawn at the same place are reported as overlapping."""
    c = Canvas(3)
    c.text(0.2, 0.2, "kube-apiserver", size=9)
    c.text(0.5, 0.22, "etcd", size=9)
    fig = c.render().figure
    assert overlapping_texts(fig) == [("kube-apiserver", "etcd")]


def test_overlap_check_accepts_labels_apart():
    """Labels on separate lines do not overlap."""
    c = Canvas(3)
    c.text(0.2, 0.2, "kube-apiserver", size=9)
    c.text(0.2, 0.5, "etcd", size=9)
    assert layout_problems(c.render().figure) == []


def test_outside_check_finds_what_leaves_the_figure():
    """A label that runs past the figure's right edge is reported."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1))
    fig.text(0.8, 0.5, "a label that is far too long")
    assert outside_figure(fig) == ["text 'a label that is far too long'"]


def test_canvas_figure_has_the_plan_size():
    """A plan 9 inches wide becomes a figure 9 inches wide, as tall as what was placed."""
    c = Canvas(9)
    c.box(0.1, 0.1, 2, 3)
    fig = c.render().figure
    assert fig.get_figwidth() == pytest.approx(9)
    assert fig.get_figheight() == pytest.approx(3.1 + 0.12)


def test_outside_check_finds_shapes_too():
    """A box drawn past the figure's bottom edge is reported, not only texts."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    fig = plt.figure(figsize=(2, 1))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1)
    ax.add_patch(Rectangle((0.5, -0.5), 0.5, 0.8, gid="low-box"))
    assert "Rectangle low-box" in outside_figure(fig)
