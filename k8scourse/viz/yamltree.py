"""A YAML document as a tree: dictionaries, lists and lists of dictionaries, with their keys.

Each line of the picture is one key or one list item, indented as deep as it is nested. A
dictionary's keys sit inside a blue frame, a list's items inside an orange one, so a list of
dictionaries (the seed's Payslips) shows as orange around blue: each `-` starts one dictionary.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from k8scourse.viz import style as st
from k8scourse.viz.canvas import Canvas, fit_text, line_height
from k8scourse.viz.shapes import heading

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WIDTH = 9.0
MARGIN = 0.15
INDENT = 0.34
ROW = 0.25
CLOSE_GAP = 0.05
SIZE = 8.0
MAX_ROWS = 90
DICT_COLOURS = ("#1f5fa8", "#e8f0fa")
LIST_COLOURS = ("#c46a0a", "#fdf0e1")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "dictionary"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return "list of dictionaries"
        return "list"
    return "scalar"


def _scalar(value: Any) -> str:
    """A scalar as YAML would write it back (`true`, `null`, quoted when it would look different)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        if value == "" or value.strip() != value or value.lower() in (
                "true", "false", "yes", "no", "null", "on", "off", "~") or _numeric(value):
            return f'"{value}"'
        return value.replace("\n", "⏎")
    return str(value)


def _numeric(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _summary(value: Any) -> str:
    k = _kind(value)
    n = len(value)
    if k == "dictionary":
        return f"dictionary · {n} key{'s' * (n != 1)}"
    return f"{k} · {n} item{'s' * (n != 1)}"


def _rows(value: Any, depth: int, label: str | None, out: list, is_item: bool = False,
          index: int = 0) -> int:
    """Flatten into rows of (depth, label, value, kind, is_item, index); returns the last row."""
    row = len(out)
    out.append([depth, label, value, _kind(value), is_item, index, row])
    if isinstance(value, dict):
        for k, v in value.items():
            last = _rows(v, depth + 1, str(k), out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            last = _rows(v, depth + 1, None, out, is_item=True, index=i)
    if isinstance(value, (dict, list)) and value:
        out[row][6] = last
        return last
    return row


def load(source: Any) -> list[Any]:
    """The documents of `source`: YAML text, a path to a YAML file, or already parsed data."""
    import yaml

    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source and
                                           source.endswith((".yml", ".yaml")) and
                                           os.path.exists(source)):
        with open(source, encoding="utf-8") as f:
            source = f.read()
    if isinstance(source, str):
        return [d for d in yaml.safe_load_all(source) if d is not None]
    return [source]


def draw_yaml(source: Any, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Any YAML document (text, a file, or parsed data) as a tree of its dictionaries and lists.

    Returns the Axes.
    """
    docs = load(source)
    c = Canvas(WIDTH)
    y = MARGIN + heading(
        c, MARGIN, MARGIN, title or "The structure of a YAML document",
        "Blue frames are dictionaries (key: value pairs, in any order); orange frames are lists "
        "(ordered items, each starting with '-'). A list of dictionaries is orange around blue.")
    rows: list = []
    for i, doc in enumerate(docs):
        _rows(doc, 0, f"document {i + 1}" if len(docs) > 1 else "document", rows)
    if not rows:
        c.text(MARGIN, y, "An empty document.", size=8.5, color=st.MUTED, style="italic")
        return c.render(ax)
    hidden = max(0, len(rows) - MAX_ROWS)
    rows = rows[:MAX_ROWS]
    top = y
    right = WIDTH - MARGIN
    # where each row goes: after a row that closes frames, a little room per closing frame
    closing: dict[int, list[int]] = {}
    for r_i, r in enumerate(rows):
        if r[3] != "scalar" and r[2]:
            closing.setdefault(min(r[6], len(rows) - 1), []).append(r_i)
    ypos = []
    bottom = top
    for r_i in range(len(rows)):
        ypos.append(bottom)
        bottom += ROW + len(closing.get(r_i, ())) * CLOSE_GAP
    # frames behind the rows, outermost lowest; inner frames close first
    for end, frames in closing.items():
        for order, r_i in enumerate(sorted(frames, key=lambda i: -rows[i][0])):
            depth, kind = rows[r_i][0], rows[r_i][3]
            x = MARGIN + (depth + 0.5) * INDENT + 0.05
            y0 = ypos[r_i] + ROW - 0.02
            y1 = ypos[end] + ROW + order * CLOSE_GAP + 0.01
            strong, light = DICT_COLOURS if kind == "dictionary" else LIST_COLOURS
            c.box(x, y0, right - x - depth * 0.05, y1 - y0, face=light, edge=strong, lw=0.9,
                  style="round", radius=0.05, z=0.5 + depth * 0.01, gid=f"yaml/{kind}/{r_i}")
    for r_i, (depth, label, value, kind, is_item, index, last) in enumerate(rows):
        yy = ypos[r_i] + (ROW - line_height(SIZE)) / 2
        x = MARGIN + depth * INDENT + 0.1
        room = right - x - 0.1
        colour = DICT_COLOURS[0] if kind == "dictionary" else LIST_COLOURS[0] \
            if kind != "scalar" else st.INK
        if depth == 0:
            w = c.text(x, yy, label, size=SIZE, weight="bold", color=st.MUTED, z=3)
            c.text(x + w + 0.12, yy, fit_text(_summary(value) if kind != "scalar" else
                                            _scalar(value), room - w - 0.12, SIZE),
                   size=SIZE, color=colour, z=3)
            continue
        if is_item:
            w = c.text(x, yy, "-", size=SIZE, weight="bold", color=LIST_COLOURS[0], z=3)
            rest = f"item {index + 1}: " if kind != "scalar" else ""
        else:
            key = fit_text(f"{label}:", room * 0.6, SIZE, "bold")
            w = c.text(x, yy, key, size=SIZE, weight="bold", color=st.INK, z=3)
            rest = ""
        x2 = x + w + 0.1
        if kind == "scalar":
            c.text(x2, yy, fit_text(_scalar(value), right - x2 - 0.1, SIZE), size=SIZE,
                   color="#2b6a2f", z=3)
        else:
            words = rest + (_summary(value) if value else ("{} (empty dictionary)"
                                                           if kind == "dictionary"
                                                           else "[] (empty list)"))
            c.text(x2, yy, fit_text(words, right - x2 - 0.1, SIZE, "normal", "italic"),
                   size=SIZE, color=colour, style="italic", z=3)
    y = bottom
    if hidden:
        c.text(MARGIN, y + 0.02, f"… {hidden} more lines", size=7.5, color=st.MUTED,
               style="italic")
        y += line_height(7.5) + 0.05
    c.legend(MARGIN, y + 0.08, WIDTH - 2 * MARGIN,
             [("box", DICT_COLOURS[0], "dictionary: key: value pairs"),
              ("box", LIST_COLOURS[0], "list: ordered items, each after '-'"),
              ("box", "#2b6a2f", "scalar value: text, number, true/false")])
    return c.render(ax)

