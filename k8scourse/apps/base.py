"""What every image's behaviour shares: the Process life cycle the kubelet and docker drive.

An app is built from a context (the kubelet's ContainerContext, or the docker engine's AppContext
below): image, command, env, clock, rand, a `log(line)` function and, when the runtime has one, a
`sandbox` (k8scourse.apps.net.Sandbox: hostname, env, /etc files, the network) and an
`on_exit(code)` callback for a process that decides by itself to exit later (the voting app's
worker does). Life cycle, as k8scourse.kubelet.process describes it:

    start() -> float | None    seconds until it exits by itself, or None (runs until stopped)
    exit_code                  its exit status once it has exited
    ready() -> bool            readiness
    stop() -> float            SIGTERM received: seconds until it is gone

A running app listens on `ports` once `listening` is True; the network hands connections to
`serve(protocol, request, conn)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from k8scourse.apps.net import Isolated, Sandbox


@dataclass
class AppContext:
    """The docker engine's container context (the same fields as the kubelet's, plus sandbox)."""

    image: str
    repository: str
    tag: str
    command: list[str]
    args: list[str]
    env: dict[str, str]
    clock: Any
    rand: Any
    sandbox: Sandbox
    log: Callable[[str], None]
    on_exit: Callable[[int], None] | None = None
    node: str = ""
    pod: dict | None = None
    container: dict | None = None
    pod_ip: str = ""
    cluster: Any = None
    #: the host's kernel release and CPU count (nginx prints the kernel in its start-up lines)
    kernel: str = "5.15.0-126-generic"
    cpus: int = 2
    extra: dict = field(default_factory=dict)


def sandbox_of(ctx: Any) -> Sandbox:
    """The sandbox the runtime gave this container, or an isolated one.

    The docker engine sets `ctx.sandbox`. On a cluster, the networking component provides it
    through `cluster.network.sandbox(ctx)` when it exists.
    """
    sb = getattr(ctx, "sandbox", None)
    if sb is not None:
        return sb
    cluster = getattr(ctx, "cluster", None)
    network = getattr(cluster, "network", None)
    if network is not None and hasattr(network, "sandbox"):
        sb = network.sandbox(ctx)
        if sb is not None:
            return sb
    pod = getattr(ctx, "pod", None) or {}
    name = (pod.get("metadata") or {}).get("name", "") or getattr(ctx, "image", "app")
    return Sandbox(hostname=name, ip=getattr(ctx, "pod_ip", "") or "", net=Isolated(),
                   env=dict(getattr(ctx, "env", {}) or {}))


def default_command_overridden(ctx: Any, default: list[str]) -> bool:
    """Whether the container runs something other than the image's own server.

    `command:` in a pod (or an entrypoint override) always replaces it; `args:` (or the words after
    the image in `docker run IMAGE ...`) replace it unless they name the same server.
    """
    command = list(getattr(ctx, "command", None) or [])
    args = list(getattr(ctx, "args", None) or [])
    if command:
        return True
    if not args:
        return False
    # the official images' entrypoints run the server when the first argument is an option
    # (`docker run redis --port 7000` is `redis-server --port 7000`)
    return not args[0].startswith("-") and args[0] != default[0]


class App:
    """Base of every image behaviour: a Process that may listen on ports and log."""

    #: repository names this behaviour serves (registered with the kubelet on import)
    repositories: tuple[str, ...] = ()
    #: the image's default command (CMD), used to tell an override from the default
    default_command: list[str] = ["sh"]
    protocol = "http"
    ports: tuple[int, ...] = (80,)
    #: seconds between SIGTERM and exit; exit status after SIGTERM (None: ignores SIGTERM)
    stop_seconds: float = 0.1
    stop_exit_code: int | None = 0

    def __new__(cls, ctx: Any = None, *a, **kw):
        # A pod or `docker run` that gives another command (`sleep 3600` on the nginx image) runs
        # that command, not the image's server: hand over to the plain command process.
        if ctx is not None and cls.default_command and default_command_overridden(ctx, cls.default_command):
            return command_process(ctx)
        return super().__new__(cls)

    def __init__(self, ctx: Any):
        self.ctx = ctx
        self._sandbox: Sandbox | None = None
        self.env = dict(getattr(ctx, "env", None) or {})
        self.clock = ctx.clock
        self.rand = ctx.rand
        self.exit_code = 0
        self.running = False
        self.exited = False
        self.listening = False
        self._timers: list | tuple = ()  # a list once a timer is set

    # Process API ---------------------------------------------------------------------------
    def start(self) -> float | None:
        self.running = True
        self.listening = True
        return None

    def ready(self) -> bool:
        return self.running and self.listening

    def stop(self) -> float:
        """SIGTERM: stop listening at once; exit after stop_seconds (or never, if it ignores it)."""
        self.listening = False
        self._cancel_timers()
        if self.stop_exit_code is None:
            return float("inf")
        self.exit_code = self.stop_exit_code
        self.running = False
        return self.stop_seconds

    def kill(self) -> None:
        """SIGKILL (the runtime gave up waiting): gone at once with status 137."""
        self._cancel_timers()
        self.listening = False
        self.running = False
        self.exit_code = 137

    # helpers -----------------------------------------------------------------------------
    @property
    def sandbox(self) -> Sandbox:
        """The container's sandbox, made the first time something needs it (its network, a
        `kubectl exec`): most containers never serve anything. What it is made of is fixed when
        the container starts (its context's env, pod and IP), so it is the same whenever made."""
        sb = self._sandbox
        if sb is None:
            sb = self._sandbox = sandbox_of(self.ctx)
        return sb

    @sandbox.setter
    def sandbox(self, sb: Sandbox) -> None:
        self._sandbox = sb

    @property
    def net(self):
        return self.sandbox.net

    @property
    def hostname(self) -> str:
        return self.sandbox.hostname

    def log(self, line: str) -> None:
        self.ctx.log(line)

    def log_lines(self, lines) -> None:
        """Several lines at the same instant (through the context's bulk write when it has one)."""
        bulk = getattr(self.ctx, "log_lines", None)
        if bulk is not None:
            bulk(lines)
        else:
            for line in lines:
                self.ctx.log(line)

    def later(self, delay: float, fn: Callable[[], None], periodic: bool = False):
        """Run `fn` after `delay` simulated seconds, unless the app has stopped meanwhile."""
        from k8scourse.sim.clock import KUBELET

        def fire():
            if self.running and not self.exited:
                fn()

        t = self.clock.call_later(delay, fire, KUBELET, periodic=periodic)
        if not self._timers:
            self._timers = [t]
            return t
        self._timers.append(t)
        if len(self._timers) > 64:
            self._timers = [x for x in self._timers if not (x.done or x.cancelled)]
        return t

    def exit(self, code: int) -> None:
        """The process exits by itself now (a crash, or the end of its work)."""
        if self.exited:
            return
        self.exited = True
        self.running = False
        self.listening = False
        self.exit_code = code
        self._cancel_timers()
        # the kubelet's ContainerContext has exit(code); the docker engine's AppContext on_exit
        cb = getattr(self.ctx, "exit", None) or getattr(self.ctx, "on_exit", None)
        if callable(cb):
            cb(code)

    def _cancel_timers(self) -> None:
        for t in self._timers:
            t.cancel()
        self._timers = ()

    def now_dt(self):
        return self.clock.datetime()

    def serve(self, protocol: str, request: Any, conn: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


class CommandProcess:
    """A plain command when no richer behaviour exists: `sleep N`, `sh -c ...`, `echo`, `true`.

    Used only when k8scourse.kubelet.process (which owns command semantics) is not available;
    it covers what `docker run busybox ...` needs.
    """

    protocol = ""

    def __init__(self, ctx: Any):
        self.ctx = ctx
        self.exit_code = 0
        argv = list(getattr(ctx, "command", None) or []) + list(getattr(ctx, "args", None) or [])
        self.argv = argv

    def start(self) -> float | None:
        from k8scourse.apps.tools import simple_script

        result = simple_script(self.argv, getattr(self.ctx, "repository", ""),
                               getattr(self.ctx, "sandbox", None))
        for line in result.lines:
            self.ctx.log(line)
        self.exit_code = result.exit_code
        return result.seconds

    def ready(self) -> bool:
        return True

    def stop(self) -> float:
        # a shell or sleep as PID 1 has no SIGTERM handler: the kernel ignores the signal for it
        return float("inf")

    def kill(self) -> None:
        self.exit_code = 137

    def serve(self, protocol, request, conn):  # pragma: no cover - listens on nothing
        raise NotImplementedError


def command_process(ctx: Any):
    """The kubelet's command Process when it exists, else CommandProcess."""
    if isinstance(ctx, AppContext):       # the docker engine's context, not the kubelet's
        return CommandProcess(ctx)
    try:
        from k8scourse.kubelet.process import Process
    except ImportError:
        return CommandProcess(ctx)
    return Process(ctx)
