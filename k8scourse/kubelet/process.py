"""What runs inside a container: a Process, built from the ContainerContext the runtime gives it.

The kubelet's runtime creates one ContainerContext per container start and asks `process_for(ctx)`
for the Process. The life cycle, all in simulated time:

    start() -> float | None    seconds until the process exits by itself, or None (it runs until
                               stopped, or until it calls ctx.exit(code) later)
    exit_code                  its exit status once it has exited
    ready() -> bool            what a readiness probe finds (default: True once started)
    alive() -> bool            what a liveness probe finds (default: True)
    stop() -> float            SIGTERM: seconds until it exits; float("inf") if it ignores the
                               signal (the kubelet kills it with SIGKILL when the grace period ends)
    kill()                     optional: SIGKILL arrived

Richer behaviours (HTTP servers, redis, the voting app) live in k8scourse.apps and plug in with
`register("nginx", Nginx)` (nginx is k8scourse.apps.nginx); `process_for` imports k8scourse.apps
before looking a repository up. Without a registered behaviour, `Process` gives command semantics: the shell
(`sh -c "echo hi; sleep 5"`), `sleep N`, `echo`, `false`, an image's default command (busybox's
`sh` exits at once without a terminal), and a long-running server for anything else.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Callable

from k8scourse.kubelet import shell as _shell
from k8scourse.kubelet.images import Repository, executables, shell_of
from k8scourse.sim.clock import KUBELET

if TYPE_CHECKING:
    from k8scourse.kubelet.images import ImageRef

#: Keep at most this many lines per container (the kubelet rotates logs at 10 MiB).
MAX_LOG_LINES = 50_000
#: A script is unrolled ahead of time this many steps at a time.
CHUNK = 2000


def rfc3339nano(dt) -> str:
    """Go's time.RFC3339Nano: nanoseconds with trailing zeros trimmed, `Z` for UTC."""
    base = dt.strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{dt.microsecond:06d}000".rstrip("0")
    return f"{base}.{frac}Z" if frac else f"{base}Z"


class ContainerLog:
    """One container instance's output: (time, seq, stream, text) lines in time order.

    Lines a process wrote ahead of time (a script's future echo lines) carry future times and are
    not shown until the clock reaches them. Lines written together at one instant (a server's
    start-up banner) are kept as one entry holding a tuple of texts, which many containers of
    the same image share; `visible` hands them out line by line.
    """

    __slots__ = ("_entries", "_seq", "_count", "closed_at")

    def __init__(self) -> None:
        # (time, first seq, stream, text or tuple of texts), ordered by (time, seq)
        self._entries: list[tuple] = []
        self._seq = 0
        self._count = 0
        self.closed_at: float | None = None

    def write(self, at: float, text: str, stream: str = "stdout") -> None:
        if self.closed_at is not None and at > self.closed_at:
            return
        self._seq += 1
        item = (at, self._seq, stream, text)
        entries = self._entries
        if not entries or entries[-1][0] <= at:
            entries.append(item)
        else:
            bisect.insort(entries, item)
        self._count += 1
        if self._count > MAX_LOG_LINES:
            self._trim()

    def write_lines(self, at: float, texts: "tuple[str, ...]", stream: str = "stdout") -> None:
        """Several lines written at the same instant `at`, kept as one entry."""
        if self.closed_at is not None and at > self.closed_at or not texts:
            return
        entries = self._entries
        if entries and entries[-1][0] > at:
            for text in texts:
                self.write(at, text, stream)
            return
        entries.append((at, self._seq + 1, stream, tuple(texts)))
        self._seq += len(texts)
        self._count += len(texts)
        if self._count > MAX_LOG_LINES:
            self._trim()

    def _trim(self) -> None:
        """Keep the newest MAX_LOG_LINES lines."""
        lines = self._expand(self._entries)
        del lines[: len(lines) - MAX_LOG_LINES]
        self._entries = lines
        self._count = len(lines)

    @staticmethod
    def _expand(entries: list[tuple]) -> list[tuple[float, int, str, str]]:
        out: list[tuple[float, int, str, str]] = []
        for entry in entries:
            text = entry[3]
            if type(text) is tuple:
                at, seq, stream = entry[0], entry[1], entry[2]
                out.extend((at, seq + i, stream, t) for i, t in enumerate(text))
            else:
                out.append(entry)
        return out

    @property
    def lines(self) -> list[tuple[float, int, str, str]]:
        """Every line, shown or still to come."""
        return self._expand(self._entries)

    def close(self, at: float) -> None:
        """The process ended at `at`: what it would have written later never happens."""
        self.closed_at = at
        entries = self._entries
        while entries and entries[-1][0] > at:
            text = entries.pop()[3]
            self._count -= len(text) if type(text) is tuple else 1

    def visible(self, now: float) -> list[tuple[float, int, str, str]]:
        i = bisect.bisect_right(self._entries, (now, float("inf")))
        return self._expand(self._entries[:i])


class ContainerContext:
    """Everything a process sees of its container (built by the runtime for one container start)."""

    __slots__ = ("image", "ref", "repo", "repository", "tag", "version", "command", "args",
                 "_env", "pod", "container", "node", "pod_ip", "clock", "rand", "cluster",
                 "output", "kernel", "cpus", "on_exit", "_timers", "hostname", "stdin", "tty",
                 "sandbox")

    def __init__(self, *, image: str, ref: "ImageRef | None", repo: Repository | None,
                 command: list[str], args: list[str], env: dict[str, str] | Callable[[], dict],
                 pod: dict, container: dict, node: str, pod_ip: str, clock, rand, cluster,
                 log: ContainerLog, version: str = "", kernel: str = "5.15.0-126-generic",
                 cpus: int = 2, on_exit: Callable[[int], None] | None = None):
        self.image = image
        self.ref = ref
        self.repo = repo
        self.repository = ref.repository if ref is not None else image
        self.tag = ref.tag if ref is not None else ""
        self.version = version or self.tag
        self.command = list(command) if command else ()
        self.args = list(args) if args else ()
        self._env = env
        self.pod = pod
        self.container = container
        self.node = node
        self.pod_ip = pod_ip
        self.clock = clock
        self.rand = rand
        self.cluster = cluster
        self.output = log
        self.kernel = kernel
        self.cpus = cpus
        self.on_exit = on_exit
        self.sandbox = None  # the networking layer may provide one (k8scourse.apps.net.Sandbox)
        self._timers: list | tuple = ()  # a list once a timer is set
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.hostname = spec.get("hostname") or meta.get("name", "")
        if spec.get("hostNetwork"):
            self.hostname = node
        self.stdin = bool(container.get("stdin"))
        self.tty = bool(container.get("tty"))

    # what the process runs -----------------------------------------------------------------
    @property
    def argv(self) -> list[str]:
        """The effective command line: the image's ENTRYPOINT/CMD overridden by command/args as
        Kubernetes defines it (command replaces ENTRYPOINT and drops CMD; args replace CMD)."""
        repo = self.repo
        entry = list(repo.entrypoint) if repo else []
        cmd = list(repo.cmd) if repo else []
        if self.command:
            return list(self.command) + list(self.args)
        return entry + (list(self.args) if self.args else cmd)

    @property
    def env(self) -> dict[str, str]:
        if callable(self._env):
            self._env = self._env()
        return self._env

    # what the process does -------------------------------------------------------------------
    def log(self, line: str, at: float | None = None, stream: str = "stdout") -> None:
        """Append a line to the container's log, stamped now (or at a later simulated time)."""
        self.output.write(self.clock.now if at is None else at, line, stream)

    def log_lines(self, lines, stream: str = "stdout") -> None:
        """Append several lines at once, all stamped now."""
        self.output.write_lines(self.clock.now, lines, stream)

    def call_later(self, delay: float, fn: Callable[[], None], periodic: bool = False):
        """Run `fn` later unless the container has stopped meanwhile."""
        timer = self.clock.call_later(delay, fn, KUBELET, periodic=periodic)
        if not self._timers:
            self._timers = [timer]
            return timer
        self._timers.append(timer)
        if len(self._timers) > 64:
            self._timers = [t for t in self._timers if not (t.done or t.cancelled)]
        return timer

    def exit(self, code: int) -> None:
        """The process exits by itself now with status `code`."""
        if self.on_exit is not None:
            self.on_exit(code)

    def cancel_timers(self) -> None:
        for t in self._timers:
            t.cancel()
        self._timers = ()

    def __repr__(self) -> str:
        return f"<ContainerContext {self.container.get('name')} image={self.image}>"


# ----------------------------------------------------------------------------------------------

_SHELLS = {"sh", "ash", "bash", "dash"}
_WRAPPERS = {"docker-entrypoint.sh", "tini", "dumb-init"}
#: commands the interpreter imitates when they are the container's own command
_COMMANDS = {"sleep", "echo", "printf", "true", "false", "date", "env", "printenv", "cat",
             "tail", "yes", "seq", "hostname", "touch", "ls", "whoami", "id", "uname", "expr",
             "test", "[", "exit", "rm", "mkdir", "nproc", "wc", "grep", "head", "kill", "cp"}


class Process:
    """The default behaviour of a container: command semantics, else a long-running server."""

    exit_code: int = 0

    def __init__(self, ctx: ContainerContext):
        self.ctx = ctx
        self.exit_code = 0
        self.mode = ""            # "shell" (interpreted commands), "server", "interactive"
        self._shell: _shell.Shell | None = None
        self._gen = None
        self._t = 0.0
        self._partial: dict[str, str] = {}
        self._sleeps: list[tuple[float, float]] = []
        self._fs: list[tuple[float, str, str | None]] = []
        self._started_at = 0.0
        self._stopped = False

    # -- life cycle -----------------------------------------------------------------------
    def start(self) -> float | None:
        ctx = self.ctx
        self._started_at = ctx.clock.now
        argv = _strip_wrappers(ctx.argv)
        if not argv:
            self.mode = "shell"
            return 0.0
        prog = argv[0].rsplit("/", 1)[-1]
        repo = ctx.repo
        if prog in _SHELLS:
            if len(argv) >= 3 and argv[1] == "-c":
                return self._run(lambda sh: sh.run_script(argv[2]), prog)
            if len(argv) >= 2 and not argv[1].startswith("-"):
                return self._cant_open(prog, argv[1])
            if ctx.stdin:
                self.mode = "interactive"
                return None
            self.mode = "shell"
            return 0.0  # no terminal attached: the shell reads EOF and exits 0
        default = _strip_wrappers(_image_default(repo))
        if repo is not None and repo.kind == "shell" and argv == default:
            # python3, node, bash: an interpreter with nothing to read exits at once
            if ctx.stdin:
                self.mode = "interactive"
                return None
            self.mode = "shell"
            return 0.0
        if prog in _COMMANDS and not (repo is not None and default and
                                      default[0].rsplit("/", 1)[-1] == prog):
            return self._run(lambda sh: sh.run_argv(argv), "sh")
        self.mode = "server"
        return None

    def ready(self) -> bool:
        return True

    def alive(self) -> bool:
        return True

    def stop(self) -> float:
        """SIGTERM. A server exits promptly; a shell or `sleep` as PID 1 has no handler for it
        and the kernel ignores the signal, so it lasts until the kubelet's SIGKILL."""
        self._stopped = True
        if self.mode == "server":
            self.exit_code = 0
            return round(0.05 + self.ctx.rand.random() * 0.1, 3)
        if self._shell is not None and "TERM" in self._shell.traps:
            return self._run_trap(self._shell.traps["TERM"])
        return float("inf")

    def kill(self) -> None:
        self._stopped = True
        self.exit_code = 137

    # -- exec and probes ------------------------------------------------------------------
    def files_at(self, t: float) -> dict[str, str]:
        """The files the process has written, as they are at simulated time `t`."""
        files = dict(_initial_files(self.ctx))
        for when, path, data in self._fs:
            if when > t:
                break
            if data is None:
                files.pop(path, None)
            else:
                files[path] = data
        return files

    def exec(self, argv: list[str]) -> tuple[int, str, str]:
        """`kubectl exec`: run a command beside the main process; (status, stdout, stderr)."""
        ctx = self.ctx
        programs = executables(ctx.repo) if ctx.repo is not None else None
        if programs is not None and argv and argv[0].rsplit("/", 1)[-1] not in programs \
                and argv[0].rsplit("/", 1)[-1] not in _shell.COMMANDS:
            return 126, "", _exec_not_found(argv[0])
        networked = _network_tool(ctx, argv)
        if networked is not None:
            return networked
        sh = self._new_shell("sh", files=self.files_at(ctx.clock.now))
        out, err, code = [], [], 0
        for ev in sh.run_argv(argv):
            if ev[0] == "out":
                (out if ev[1] == "stdout" else err).append(ev[2])
            elif ev[0] == "exit":
                code = ev[1]
            elif ev[0] == "sleep" and ev[1] == float("inf"):
                break
        return code, "".join(out), "".join(err)

    # -- the interpreter -----------------------------------------------------------------
    def _new_shell(self, name: str, files: dict | None = None) -> _shell.Shell:
        ctx = self.ctx
        repo = ctx.repo
        flavour = "bash" if name == "bash" else (shell_of(repo) if repo is not None else "ash")
        programs = executables(repo) if repo is not None else None
        start = ctx.clock.now
        _register_network_tools()
        return _shell.Shell(flavour or "ash", env=ctx.env, hostname=ctx.hostname,
                            now=lambda: start, epoch=ctx.clock.epoch,
                            files=files if files is not None else _initial_files(ctx),
                            programs=programs, name=name, ctx=ctx)

    def _run(self, make, name: str) -> float | None:
        self.mode = "shell"
        self._shell = self._new_shell(name)
        self._gen = make(self._shell)
        self._t = self.ctx.clock.now
        state = self._pump()
        if state == "exit":
            return max(0.0, self._t - self.ctx.clock.now)
        if state == "more":
            self.ctx.call_later(max(0.0, self._t - self.ctx.clock.now), self._pump_more,
                                periodic=True)
        return None

    def _pump(self) -> str:
        """Unroll the next CHUNK steps of the script onto the timeline."""
        ctx = self.ctx
        for _ in range(CHUNK):
            try:
                ev = next(self._gen)
            except StopIteration:
                return "exit"
            kind = ev[0]
            if kind == "out":
                stream, text = ev[1], ev[2]
                text = self._partial.pop(stream, "") + text
                *lines, rest = text.split("\n")
                for line in lines:
                    ctx.log(line, at=self._t, stream=stream)
                if rest:
                    self._partial[stream] = rest
            elif kind == "sleep":
                if ev[1] == float("inf"):
                    self._sleeps.append((self._t, float("inf")))
                    return "forever"
                self._sleeps.append((self._t, self._t + ev[1]))
                self._t += ev[1]
            elif kind == "fs":
                self._fs.append((self._t, ev[1], ev[2]))
            elif kind == "exit":
                for stream, rest in self._partial.items():
                    ctx.log(rest, at=self._t, stream=stream)
                self._partial.clear()
                self.exit_code = ev[1]
                return "exit"
            elif kind == "busy":
                return "forever"
        return "more"

    def _pump_more(self) -> None:
        if self._stopped:
            return
        state = self._pump()
        now = self.ctx.clock.now
        if state == "exit":
            code = self.exit_code
            self.ctx.call_later(max(0.0, self._t - now), lambda: self.ctx.exit(code),
                                periodic=True)
        elif state == "more":
            self.ctx.call_later(max(0.0, self._t - now), self._pump_more, periodic=True)

    def _cant_open(self, prog: str, path: str) -> float:
        self.mode = "shell"
        flavour = shell_of(self.ctx.repo) if self.ctx.repo is not None else "ash"
        if flavour == "dash" and prog != "bash":
            msg = f"{prog}: 0: cannot open {path}: No such file"
        elif prog == "bash":
            msg = f"bash: {path}: No such file or directory"
        else:
            msg = f"{prog}: can't open '{path}': No such file or directory"
        self.ctx.log(msg, stream="stderr")
        self.exit_code = 127 if prog == "bash" else 2
        return 0.0

    def _run_trap(self, action: str) -> float:
        """SIGTERM with `trap '...' TERM`: the shell runs the handler once the foreground command
        (a `sleep`) has finished, then exits."""
        now = self.ctx.clock.now
        when = now
        for start, end in self._sleeps:
            if start <= now < end:
                when = end
                break
        if when == float("inf"):
            return float("inf")
        sh = self._new_shell(self._shell.name if self._shell else "sh",
                             files=self.files_at(now))
        code = 0
        for ev in sh.run_script(action):
            if ev[0] == "out":
                for line in ev[2].rstrip("\n").split("\n"):
                    self.ctx.log(line, at=when, stream=ev[1])
            elif ev[0] == "exit":
                code = ev[1]
        self.exit_code = code
        return when - now


def _strip_wrappers(argv: list[str]) -> list[str]:
    argv = list(argv)
    while argv and argv[0].rsplit("/", 1)[-1] in _WRAPPERS:
        argv = argv[1:]
        if argv and argv[0] == "--":
            argv = argv[1:]
    return argv


def _image_default(repo: Repository | None) -> list[str]:
    if repo is None:
        return []
    return list(repo.entrypoint) + list(repo.cmd)


def _initial_files(ctx: ContainerContext) -> dict[str, str]:
    """/etc/hostname, and the pod sandbox's /etc/hosts and /etc/resolv.conf when there is a network."""
    files = {"/etc/hostname": ctx.hostname + "\n"}
    try:
        from k8scourse.network.tools import sandbox_for
    except ImportError:
        return files
    sandbox = sandbox_for(ctx)
    if sandbox is not None:
        files.update(sandbox.files or {})
    return files


def _network_tool(ctx: ContainerContext, argv: list[str]) -> tuple[int, str, str] | None:
    """wget, curl, nslookup, ping, redis-cli, psql: run over the pod network (None: not one)."""
    try:
        from k8scourse.network.tools import run
    except ImportError:
        return None
    return run(ctx, list(argv))


def _register_network_tools() -> None:
    try:
        from k8scourse.network.tools import register
    except ImportError:
        return
    register()


def _exec_not_found(prog: str) -> str:
    return (f'OCI runtime exec failed: exec failed: unable to start container process: exec: '
            f'"{prog}": executable file not found in $PATH: unknown')


def runs_image_default(ctx: ContainerContext) -> bool:
    """Whether the container runs its image's own program (nginx, flanneld, kube-proxy), even
    with other flags, rather than another command (`sleep 3600` on the nginx image)."""
    default = _strip_wrappers(_image_default(ctx.repo))
    argv = _strip_wrappers(ctx.argv)
    if not default or not argv:
        return False
    return argv[0].rsplit("/", 1)[-1] == default[0].rsplit("/", 1)[-1]


# ----------------------------------------------------------------------------------------------
# the images' own servers (the plain, default behaviours; k8scourse.apps may register richer ones)

def klog(ctx: ContainerContext, level: str, source: str, msg: str, at: float | None = None) -> None:
    """A klog line: `I0101 00:00:03.123456       1 server.go:498] msg`."""
    t = ctx.clock.now if at is None else at
    ctx.log(f"{level}{_klog_time(ctx.clock, t)}       1 {source}] {msg}", at=t, stream="stderr")


_klog_cache: dict = {}


def _klog_time(clock, t: float) -> str:
    key = (id(clock), t)
    v = _klog_cache.get(key)
    if v is None:
        if len(_klog_cache) > 1024:
            _klog_cache.clear()
        dt = clock.datetime(t)
        v = _klog_cache[key] = f"{dt:%m%d %H:%M:%S}.{dt.microsecond:06d}"
    return v


class ImageProcess(Process):
    """A process that is its image's own server: when the pod runs another command instead
    (`sleep 3600` on the nginx image), the plain command Process runs."""

    stop_seconds = 0.1

    def __new__(cls, ctx: ContainerContext | None = None, *a, **kw):
        if ctx is not None and not runs_image_default(ctx):
            return Process(ctx)
        return super().__new__(cls)

    def start(self) -> float | None:
        self.mode = "server"
        self._started_at = self.ctx.clock.now
        self.boot()
        return None

    def boot(self) -> None:
        """Write the start-up log lines."""

    def stop(self) -> float:
        self._stopped = True
        self.exit_code = 0
        return self.stop_seconds


class CoreDNS(ImageProcess):
    def boot(self) -> None:
        for line in (".:53",
                     "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481"
                     "273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f525"
                     "94972691cd6ff41be96639138a43908",
                     "CoreDNS-1.11.3", "linux/amd64, go1.21.11, a6338e9"):
            self.ctx.log(line)

    def stop(self) -> float:
        self.ctx.log("[INFO] SIGTERM: Shutting down servers then terminating")
        self.ctx.log("[INFO] plugin/health: Going into lameduck mode for 5s")
        self.stop_seconds = 5.0
        return super().stop()


class KubeProxy(ImageProcess):
    def boot(self) -> None:
        ctx = self.ctx
        node_ip = (ctx.pod.get("status") or {}).get("hostIP") or ctx.pod_ip
        if ctx.cluster is not None:
            # kube-proxy announces itself on its Node (named by name in the UID field)
            ref = {"apiVersion": "v1", "kind": "Node",
                   "metadata": {"name": ctx.node, "uid": ctx.node}}
            ctx.cluster.api.events.record(ref, "Normal", "Starting", "", "kube-proxy",
                                          host=ctx.node)
        for src, msg in (
                ("server_linux.go:66", '"Using iptables proxy mode"'),
                ("server.go:698", f'"Successfully retrieved node IP(s)" IPs=["{node_ip}"]'),
                ("conntrack.go:60", '"Setting nf_conntrack_max" nfConntrackMax=131072'),
                ("server.go:243", '"kube-proxy running in dual-stack mode" primary ipFamily="IPv4"'),
                ("server_linux.go:170", '"Using iptables Proxier"'),
                ("server.go:497", '"Version info" version="v1.32.5"'),
                ("server.go:499", '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
                ("config.go:199", '"Starting service config controller"'),
                ("shared_informer.go:313", "Waiting for caches to sync for service config"),
                ("config.go:105", '"Starting endpoint slice config controller"'),
                ("shared_informer.go:313", "Waiting for caches to sync for endpoint slice config"),
                ("config.go:329", '"Starting node config controller"'),
                ("shared_informer.go:313", "Waiting for caches to sync for node config"),
                ("shared_informer.go:320", "Caches are synced for node config"),
                ("shared_informer.go:320", "Caches are synced for service config"),
                ("shared_informer.go:320", "Caches are synced for endpoint slice config")):
            klog(ctx, "I", src, msg)


class Flanneld(ImageProcess):
    def boot(self) -> None:
        ctx = self.ctx
        node = ctx.node
        node_ip = (ctx.pod.get("status") or {}).get("hostIP") or ctx.pod_ip
        cidr = ""
        n = ctx.cluster.api.get_or_none("Node", "", node) if ctx.cluster is not None else None
        if n is not None:
            cidr = (n.get("spec") or {}).get("podCIDR", "")
        lines = [
            ("I", "main.go:211", "CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,"
             "http://127.0.0.1:2379 etcdPrefix:/coreos.com/network etcdKeyfile: etcdCertfile: "
             "etcdCAFile: etcdUsername: etcdPassword: version:false kubeSubnetMgr:true "
             "kubeApiUrl: kubeAnnotationPrefix:flannel.alpha.coreos.com kubeConfigFile: iface:[] "
             "ifaceRegex:[] ipMasq:true ifaceCanReach: subnetFile:/run/flannel/subnet.env "
             "publicIP: publicIPv6: subnetLeaseRenewMargin:60 healthzIP:0.0.0.0 healthzPort:0 "
             "iptablesResyncSeconds:5 iptablesForwardRules:true "
             "netConfPath:/etc/kube-flannel/net-conf.json setNodeNetworkUnavailable:true}"),
            ("W", "client_config.go:659", "Neither --kubeconfig nor --master was specified.  "
             "Using the inClusterConfig.  This might not work."),
            ("I", "kube.go:139", "Waiting 10m0s for node controller to sync"),
            ("I", "kube.go:469", "Starting kube subnet manager"),
            ("I", "kube.go:146", "Node controller sync successful"),
            ("I", "main.go:231", f"Created subnet manager: Kubernetes Subnet Manager - {node}"),
            ("I", "main.go:234", "Installing signal handlers"),
            ("I", "main.go:452", "Found network config - Backend type: vxlan"),
            ("I", "match.go:211", "Determining IP address of default interface"),
            ("I", "match.go:264", f"Using interface with name eth0 and address {node_ip}"),
            ("I", "match.go:286", f"Defaulting external address to interface address ({node_ip})"),
            ("I", "vxlan.go:141", "VXLAN config: VNI=1 Port=0 GBP=false Learning=false "
             "DirectRouting=false"),
            ("I", "kube.go:490", f"Creating the node lease for IPv4. This is the n.Spec.PodCIDRs: "
             f"[{cidr}]"),
            ("I", "main.go:342", "Setting up masking rules"),
            ("I", "main.go:364", "Changing default FORWARD chain policy to ACCEPT"),
            ("I", "main.go:477", "Wrote subnet file to /run/flannel/subnet.env"),
            ("I", "main.go:481", "Running backend."),
            ("I", "vxlan_network.go:65", "watching for new subnet leases"),
            ("I", "main.go:502", "Waiting for all goroutines to exit"),
        ]
        for level, src, msg in lines:
            klog(ctx, level, src, msg)


class Etcd(ImageProcess):
    def boot(self) -> None:
        dt = self.ctx.clock.datetime()
        ts = f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond:06d}Z"
        for msg in ('"msg":"Running: ","args":["etcd"]',
                    '"msg":"starting an etcd server","etcd-version":"3.5.16"',
                    '"msg":"serving client traffic securely","address":"127.0.0.1:2379"'):
            self.ctx.log('{"level":"info","ts":"' + ts + '","caller":"embed/etcd.go:128",' + msg
                         + "}", stream="stderr")


class ControlPlane(ImageProcess):
    """kube-apiserver, kube-controller-manager, kube-scheduler: a few start-up lines."""

    def boot(self) -> None:
        name = self.ctx.repository.rsplit("/", 1)[-1]
        klog(self.ctx, "I", "options.go:228", f'"Version info" component="{name}" '
                                              'version="v1.32.5"')
        klog(self.ctx, "I", "serving.go:386", "Generated self-signed cert in-memory")


class Silent(ImageProcess):
    """The pause container and the storage provisioner: running, quiet."""


#: Behaviours by repository ("nginx", "busybox", "kodekloud/webapp-color", ...).
PROCESSES: dict[str, type] = {
    "registry.k8s.io/coredns/coredns": CoreDNS,
    "registry.k8s.io/kube-proxy": KubeProxy,
    "flannel/flannel": Flanneld,
    "registry.k8s.io/etcd": Etcd,
    "registry.k8s.io/kube-apiserver": ControlPlane,
    "registry.k8s.io/kube-controller-manager": ControlPlane,
    "registry.k8s.io/kube-scheduler": ControlPlane,
    "registry.k8s.io/pause": Silent,
    "gcr.io/k8s-minikube/storage-provisioner": Silent,
}

_apps_loaded = False


def register(repository: str, cls: type) -> None:
    """Make `cls` the behaviour of every container of `repository` (as written: "redis")."""
    PROCESSES[repository] = cls


def _load_apps() -> None:
    global _apps_loaded
    if _apps_loaded:
        return
    _apps_loaded = True
    try:
        import k8scourse.apps  # noqa: F401  (its import registers the apps' behaviours)
    except ImportError:
        pass


def process_for(ctx: ContainerContext):
    """The Process for one container start: a registered behaviour for its repository, else the
    default command semantics."""
    _load_apps()
    cls = PROCESSES.get(ctx.repository)
    if cls is None and ctx.ref is not None:
        cls = PROCESSES.get(ctx.ref.name)
    if cls is None:
        return Process(ctx)
    return cls(ctx)
