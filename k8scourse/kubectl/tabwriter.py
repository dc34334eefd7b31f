"""Go's text/tabwriter, which lays out every table kubectl prints.

kubectl's tables (`get`, `api-resources`, custom columns) use minimum width 6 and padding 3
(cli-runtime printers.GetNewTabWriter); `describe` uses minimum width 0 and padding 2
(describe.tabbedString). The text after the last tab of a line is never padded.

    >>> print(format_rows([["NAME", "READY"], ["web", "1/1"]]), end="")
    NAME   READY
    web    1/1
"""

from __future__ import annotations

__all__ = ["format_rows", "tabwrite", "TABLE_MINWIDTH", "TABLE_PADDING"]

#: printers.GetNewTabWriter: tabwriter.NewWriter(out, 6, 4, 3, ' ', ...)
TABLE_MINWIDTH = 6
TABLE_PADDING = 3


def format_rows(rows: list[list[str]], *, minwidth: int = TABLE_MINWIDTH,
                padding: int = TABLE_PADDING) -> str:
    """Lay out rows of cells as kubectl's tables: each column as wide as its widest cell plus
    `padding` (at least `minwidth`), the last column unpadded, every line ending in a newline."""
    if not rows:
        return ""
    n = len(rows[0])
    if any(len(r) != n for r in rows):
        return tabwrite("".join("\t".join(r) + "\n" for r in rows), minwidth=minwidth,
                        padding=padding)
    widths = []
    for j in range(n - 1):
        w = max(len(r[j]) for r in rows) + padding
        widths.append(w if w > minwidth else minwidth)
    out = []
    for r in rows:
        out.append("".join(r[j].ljust(widths[j]) for j in range(n - 1)) + r[n - 1] + "\n")
    return "".join(out)


def tabwrite(text: str, *, minwidth: int = 0, padding: int = 1) -> str:
    """Filter `text` through a Go tabwriter (pad character ' ', no flags).

    Cells are tab-terminated. A column block is a run of consecutive lines that all have a cell
    in that column; each block is as wide as its widest cell plus `padding`. A line with fewer
    cells ends the blocks of the columns it lacks, so each section of `describe` aligns on its
    own.
    """
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    widths: list[int] = []
    last = len(lines) - 1

    def write_lines(line0: int, line1: int) -> None:
        nw = len(widths)
        for i in range(line0, line1):
            cells = lines[i]
            parts = []
            for j, c in enumerate(cells):
                if j < nw:
                    parts.append(c.ljust(widths[j]))
                else:
                    parts.append(c)
            out.append("".join(parts))
            if i != last:
                out.append("\n")

    def format_block(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write_lines(line0, this)
            line0 = this
            width = minwidth
            while this < line1:
                cells = lines[this]
                if column >= len(cells) - 1:
                    break
                w = len(cells[column]) + padding
                if w > width:
                    width = w
                this += 1
            widths.append(width)
            format_block(line0, this)
            widths.pop()
            line0 = this
            this += 1
        write_lines(line0, line1)

    format_block(0, len(lines))
    return "".join(out)
