"""kubectl, in process: `run(cluster, "get pods")` returns what kubectl prints and its exit code.

The command modules are imported when a command runs, so `import k8scourse.kubectl` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster, KubectlResult

__all__ = ["run"]


def run(cluster: "Cluster", command: "str | list[str]", *, stdin: str | None = None,
        cwd: str | None = None) -> "KubectlResult":
    """Run one kubectl command line (`"get pods -o wide"`, a leading `kubectl` is optional)."""
    from k8scourse.kubectl.main import run as _run

    return _run(cluster, command, stdin=stdin, cwd=cwd)
