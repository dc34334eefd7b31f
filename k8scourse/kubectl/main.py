"""`kubectl` in-process: split the command line, find the command, parse its flags, run it.

    run(cluster, "get pods -o wide") -> KubectlResult(exit_code, stdout, stderr)

Command lookup and suggestions follow cobra (`unknown command "gett" for "kubectl"` then
`Did you mean this?`), flags follow pflag (see flags.py), errors are rendered only here, by
render.check_err, in kubectl's words. No exception escapes: an error the model did not mean to
raise is reported as an internal error of the course's cluster model (a bug to fix).
"""

from __future__ import annotations

import shlex
from datetime import datetime
from typing import TYPE_CHECKING, Any

from k8scourse.errors import K8sError
from k8scourse.kubectl import render
from k8scourse.kubectl.commands import GLOBAL_FLAGS, Command, root
from k8scourse.kubectl.flags import FlagError, FlagSet, HelpRequested

if TYPE_CHECKING:
    from k8scourse.cluster import Cluster, KubectlResult

INTERNAL_ERROR = "error: internal error in the course's cluster model"


class Env:
    """One kubectl invocation: the cluster, what it printed, the namespace it works in."""

    def __init__(self, cluster: "Cluster", command: Command, flags: FlagSet,
                 stdin: str | None, cwd: str | None):
        self.cluster = cluster
        self.api = cluster.api
        self.command = command
        self.flags = flags
        self.stdin = stdin
        self.cwd = cwd
        self.out: list[str] = []
        self.err: list[str] = []
        self.explicit_namespace = False
        self.namespace = "default"
        self.resolve_namespace()

    def resolve_namespace(self) -> None:
        """-n/--namespace, else the kubeconfig's namespace, else `default`."""
        kubeconfig = getattr(self.cluster, "kubeconfig", None) or {}
        ns = self.flags.get("namespace") if "namespace" in self.flags.formal else ""
        self.explicit_namespace = bool(ns)
        self.namespace = ns or kubeconfig.get("namespace") or "default"

    # output ---------------------------------------------------------------------------------
    def write(self, text: str) -> None:
        if text:
            self.out.append(text)

    def println(self, text: str = "") -> None:
        self.out.append(text + "\n")

    def ewrite(self, text: str) -> None:
        if text:
            self.err.append(text)

    def eprintln(self, text: str = "") -> None:
        self.err.append(text + "\n")

    # time -----------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self.cluster.clock.datetime()

    @property
    def path(self) -> str:
        return self.command.path


def split_command(command: str | list[str]) -> list[str]:
    """A command line split as a POSIX shell does (a leading `kubectl` is optional)."""
    if isinstance(command, str):
        argv = shlex.split(command, comments=False, posix=True)
    else:
        argv = [str(a) for a in command]
    if argv and argv[0] in ("kubectl", "k"):
        argv = argv[1:]
    return argv


def _has_no_opt(name: str, flags: dict) -> bool:
    f = flags.get(name)
    return f is not None and f.no_opt is not None


def _strip_flags(args: list[str], cmd: Command) -> list[str]:
    """cobra's stripFlags: the words that are not flags or flag values."""
    known = {f.name: f for f in [*GLOBAL_FLAGS, *cmd.flags]}
    shorts = {f.shorthand: f for f in [*GLOBAL_FLAGS, *cmd.flags] if f.shorthand}
    commands: list[str] = []
    rest = list(args)
    while rest:
        s = rest.pop(0)
        if s == "--":
            break
        if (s.startswith("--") and "=" not in s and not _has_no_opt(s[2:], known)) or (
                s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2
                and not (s[1] in shorts and shorts[s[1]].no_opt is not None)):
            if len(rest) <= 1:
                break
            rest.pop(0)
            continue
        if s and not s.startswith("-"):
            commands.append(s)
    return commands


def _args_minus_first(args: list[str], word: str, cmd: Command) -> list[str]:
    """cobra's argsMinusFirstX: drop the first occurrence of the subcommand's name."""
    known = {f.name: f for f in [*GLOBAL_FLAGS, *cmd.flags]}
    shorts = {f.shorthand: f for f in [*GLOBAL_FLAGS, *cmd.flags] if f.shorthand}
    i = 0
    while i < len(args):
        s = args[i]
        if s == "--":
            break
        if s.startswith("--") and "=" not in s and not _has_no_opt(s[2:], known):
            i += 2
            continue
        if s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2 and \
                not (s[1] in shorts and shorts[s[1]].no_opt is not None):
            i += 2
            continue
        if s == word:
            return args[:i] + args[i + 1:]
        i += 1
    return args


def find_command(argv: list[str]) -> tuple[Command, list[str]]:
    """cobra's Find: walk down the tree by the first non-flag words."""
    cmd = root()
    args = list(argv)
    while True:
        words = _strip_flags(args, cmd)
        if not words:
            return cmd, args
        nxt = cmd.find(words[0])
        if nxt is None:
            return cmd, args
        args = _args_minus_first(args, words[0], cmd)
        cmd = nxt


def _ld(a: str, b: str) -> int:
    """cobra's Levenshtein distance (case-insensitive)."""
    a, b = a.lower(), b.lower()
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            cur = d[j]
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[j] = min(d[j] + 1, d[j - 1] + 1, prev + cost)
            prev = cur
    return d[len(b)]


def suggestions(cmd: Command, typed: str) -> list[str]:
    """cobra's SuggestionsFor (minimum distance 2, prefix matches, SuggestFor)."""
    out: list[str] = []
    for c in sorted(cmd.subcommands, key=lambda c: c.name):
        if c.hidden:
            continue
        if _ld(typed, c.name) <= 2 or c.name.lower().startswith(typed.lower()):
            out.append(c.name)
            continue
        if typed in c.suggest_for:
            out.append(c.name)
    return out


def unknown_command(cmd: Command, word: str) -> str:
    text = f'unknown command "{word}" for "{cmd.path}"'
    sugg = suggestions(cmd, word)
    if sugg:
        text += "\n\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in sugg)
    return text


def _call(spec: str, env: Env, flags: FlagSet, args: list[str]) -> None:
    import importlib

    module, _, fn = spec.partition(":")
    getattr(importlib.import_module(module), fn)(env, flags, args)


def _context_name(cluster: Any) -> str:
    from k8scourse.kubectl.misc import context_name

    return context_name(cluster)


def execute(cluster: "Cluster", argv: list[str], stdin: str | None, cwd: str | None
            ) -> tuple[int, str, str]:
    """Run one parsed command line; returns (exit code, stdout, stderr)."""
    from k8scourse.kubectl import helptext

    cmd, args = find_command(argv)
    flags = FlagSet([*cmd.flags, *[f for f in GLOBAL_FLAGS if f.name not in
                                   {g.name for g in cmd.flags}]])
    env = Env(cluster, cmd, flags, stdin, cwd)
    try:
        try:
            flags.parse(args)
        except HelpRequested:
            env.write(helptext.help_for(cmd))
            return 0, "".join(env.out), "".join(env.err)
        except FlagError as e:
            raise render.FlagUsageError(str(e), cmd.path) from None
        env.resolve_namespace()
        positional = flags.args
        if cmd.parent is None:
            if positional:
                raise K8sError_(unknown_command(cmd, positional[0]))
            env.write(helptext.help_for(cmd))
            return 0, "".join(env.out), "".join(env.err)
        missing = [n for n in cmd.required if not flags.is_set(n)]
        if missing:
            raise render.ClientError('required flag(s) "' + '", "'.join(missing) + '" not set')
        context = flags.get("context")
        if context and context != _context_name(cluster):
            raise render.ClientError(f"context was not found for specified context: {context}")
        if cmd.run is None:
            # a command group (`kubectl set`, `kubectl rollout`): its help, or an unknown subcommand
            if positional:
                raise render.UsageError(f'unknown command "{" ".join(positional)}"', cmd.path)
            env.write(helptext.help_for(cmd))
            return 0, "".join(env.out), "".join(env.err)
        _call(cmd.run, env, flags, positional)
        return 0, "".join(env.out), "".join(env.err)
    except render.Exit as e:
        return e.code, "".join(env.out), "".join(env.err)
    except (K8sError, K8sError_) as e:
        env.ewrite(render.check_err(e))
        return 1, "".join(env.out), "".join(env.err)


class K8sError_(K8sError):
    """An error whose text is already complete (printed after `error: `)."""


def run(cluster: "Cluster", command: str | list[str], *, stdin: str | None = None,
        cwd: str | None = None) -> "KubectlResult":
    """Run a kubectl command line against `cluster`; never raises."""
    from k8scourse.cluster import KubectlResult

    try:
        try:
            argv = split_command(command)
        except ValueError as e:
            return KubectlResult(1, "", f"error: the command line cannot be split: {e}\n")
        code, out, err = execute(cluster, argv, stdin, cwd)
        return KubectlResult(code, out, err)
    except Exception as e:  # noqa: BLE001 - a learner must never see a traceback
        return KubectlResult(1, "", f"{INTERNAL_ERROR}: {type(e).__name__}: {e}\n")
