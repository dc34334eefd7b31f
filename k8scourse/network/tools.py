"""The network tools `kubectl exec` runs in a pod (wget, curl, nslookup, ping, redis-cli, psql),
over the pod's own sandbox.

    run(ctx, ["wget", "-qO-", "http://web"]) -> (0, "<!DOCTYPE html>...", "")

`ctx` is the kubelet's ContainerContext of the container (image, pod, node, pod IP, cluster).
The texts are k8scourse.apps.tools'; this module gives them the pod's network
(`cluster.network.sandbox(ctx)`: its resolv.conf, /etc/hosts, Services, CoreDNS) and the one
answer that module cannot give from a DnsAnswer: BusyBox nslookup when no DNS server answers

    ;; connection timed out; no servers could be reached

(networking/nslookup.c prints it on stdout, with an empty line, and exits 1).
"""

from __future__ import annotations

import inspect
from typing import Any

NETWORK_TOOLS = ("wget", "curl", "nslookup", "ping", "redis-cli", "psql")
NSLOOKUP_TIMEOUT = ";; connection timed out; no servers could be reached\n\n"


def sandbox_for(ctx: Any):
    """The container's sandbox: the one the runtime gave it, else the cluster network's."""
    sb = getattr(ctx, "sandbox", None)
    if sb is not None:
        return sb
    network = getattr(getattr(ctx, "cluster", None), "network", None)
    if network is None:
        return None
    return network.sandbox(ctx)


def run(ctx: Any, argv: list[str], tty: bool = False) -> tuple[int, str, str] | None:
    """Run a network tool inside the container of `ctx`: (status, stdout, stderr); None when
    `argv` is not a network tool, or the image does not have it (the caller reports that)."""
    from k8scourse.apps.tools import ExecutableNotFound, exec_command

    if not argv:
        return None
    name = argv[0].rsplit("/", 1)[-1]
    if name not in NETWORK_TOOLS:
        return None
    sandbox = sandbox_for(ctx)
    if sandbox is None:
        return None
    repository = getattr(ctx, "repository", "") or getattr(ctx, "image", "")
    if name == "nslookup":
        args = [a for a in argv[1:] if not a.startswith("-")]
        net = sandbox.net
        explicit = args[1] if len(args) > 1 else None
        reachable = getattr(net, "dns_reachable", None)
        if args and reachable is not None:
            if explicit is None and not reachable():
                return 1, NSLOOKUP_TIMEOUT, ""
            if explicit is not None and not net.network.dns_reachable(net.client, explicit):
                return 1, NSLOOKUP_TIMEOUT, ""
    try:
        result = exec_command(list(argv), sandbox, repository, tty=tty)
    except ExecutableNotFound:
        return None
    return result.exit_code, result.stdout, result.stderr


def shell_command(shell: Any, argv: list[str], stdin: Any = None) -> tuple[int, str, str]:
    """A command for the kubelet's shell (`COMMANDS[name]`): runs the tool in the shell's
    container; falls back to the shell's own "not found" when it is not a network tool there."""
    ctx = getattr(shell, "ctx", None) or getattr(shell, "context", None)
    out = run(ctx, list(argv)) if ctx is not None else None
    if out is not None:
        return out
    not_found = getattr(shell, "not_found", None)
    msg = not_found(argv[0]) if callable(not_found) else f"sh: {argv[0]}: not found"
    return 127, "", msg + "\n"


_registered = False


def register() -> bool:
    """Install `shell_command` for the network tools in the kubelet's shell, when that shell can
    tell which container it runs in (a `ctx` argument); True when installed."""
    global _registered
    if _registered:
        return True
    try:
        from k8scourse.kubelet import shell as kshell
    except ImportError:
        return False
    shell_cls = getattr(kshell, "Shell", None)
    commands = getattr(kshell, "COMMANDS", None)
    if shell_cls is None or commands is None:
        return False
    try:
        params = inspect.signature(shell_cls.__init__).parameters
    except (TypeError, ValueError):
        return False
    if "ctx" not in params and "context" not in params:
        return False
    for name in NETWORK_TOOLS:
        commands.setdefault(name, shell_command)
    _registered = True
    return True
