"""kubectl's help texts (`kubectl`, `kubectl get --help`), kept in help.txt, Kubernetes' own words.

help.txt holds one section per command path, each starting with a line `=== <path> ===`
(`=== kubectl get ===`). The text is what kubectl v1.32 prints for `--help`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8scourse.kubectl.commands import Command

_SECTIONS: dict[str, str] | None = None


def _load() -> dict[str, str]:
    global _SECTIONS
    if _SECTIONS is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "help.txt")
        sections: dict[str, str] = {}
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            text = ""
        current, lines = None, []
        for line in text.split("\n"):
            if line.startswith("=== ") and line.endswith(" ===") and len(line) > 8:
                if current is not None:
                    sections[current] = "\n".join(lines).rstrip("\n") + "\n"
                current, lines = line[4:-4], []
            elif current is not None:
                lines.append(line)
        if current is not None:
            sections[current] = "\n".join(lines).rstrip("\n") + "\n"
        _SECTIONS = sections
    return _SECTIONS


def _root_shorts() -> dict[str, str]:
    """`kubectl <name>` -> its one-line description, as the root help lists it."""
    out = {}
    for line in _load().get("kubectl", "").splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            name, _, short = line.strip().partition(" ")
            if short.strip() and not name.startswith("kubectl"):
                out[f"kubectl {name}"] = short.strip()
    return out


def help_for(cmd: "Command") -> str:
    """The help text of a command (a short usage when the data file lacks it)."""
    text = _load().get(cmd.path)
    if text is not None:
        return text
    subs = [c for c in cmd.subcommands if not c.hidden]
    out = []
    short = cmd.short or _root_shorts().get(cmd.path, "")
    if short:
        out += [short + ".", ""]
    if subs:
        out.append("Available Commands:")
        width = max(len(c.name) for c in subs) + 3
        for c in subs:
            out.append(f"  {c.name.ljust(width)}{c.short}".rstrip())
        out.append("")
    out.append("Usage:")
    out.append(f"  {cmd.path} [options]" if not subs else f"  {cmd.path} [flags] [options]")
    out.append("")
    out.append('Use "kubectl options" for a list of global command-line options (applies to all '
               "commands).")
    return "\n".join(out) + "\n"
