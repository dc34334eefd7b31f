"""helper.DefaultNormalizeScore: scale scores to 0-100 against the highest, optionally reversed."""

from __future__ import annotations

MAX_NODE_SCORE = 100


def default_normalize(scores: list[int], reverse: bool) -> list[int]:
    """The highest score becomes 100 and the others in proportion (integer division, as in Go);
    `reverse` turns it round (100 - score), for plugins that count something bad."""
    top = max(scores, default=0)
    if top == 0:
        return [MAX_NODE_SCORE] * len(scores) if reverse else [0] * len(scores)
    out = []
    for s in scores:
        s = MAX_NODE_SCORE * s // top
        out.append(MAX_NODE_SCORE - s if reverse else s)
    return out
