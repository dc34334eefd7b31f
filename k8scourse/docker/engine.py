"""A docker engine on one host: images, containers, networks, and the `docker` CLI's words.

    engine = DockerEngine(seed=0)
    engine.docker("run -d --name=redis redis")          # DockerResult(exit_code, stdout, stderr)
    engine.docker("ps")
    engine.curl("http://localhost:5000/")                 # what the laptop's browser would get

Time is simulated (k8scourse.sim.clock): each docker command takes `step` seconds (the time a
person needs to type the next one); a pull takes as long as its size needs; `advance(s)` moves on.
Errors are the docker 27 CLI's own texts and exit codes (125 for `docker run` failures).
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from k8scourse.apps.base import AppContext, CommandProcess
from k8scourse.apps.net import Sandbox, http_request
from k8scourse.docker import images as catalog
from k8scourse.docker.names import random_name
from k8scourse.docker.network import ContainerNet, DockerNetwork, HostNet
from k8scourse.sim.clock import KUBELET, Clock
from k8scourse.sim.rand import Rand

DOCKER_VERSION = "27.4.1"
#: `docker stop` waits this long after SIGTERM, then SIGKILLs
STOP_TIMEOUT = 10.0


@dataclass
class DockerResult:
    """What a docker command printed and how it ended."""

    exit_code: int
    stdout: str = ""
    stderr: str = ""
    #: stdout and stderr interleaved as a terminal shows them, when the order matters
    combined: str | None = None

    @property
    def output(self) -> str:
        return self.combined if self.combined is not None else self.stdout + self.stderr

    def __str__(self) -> str:
        return self.output

    def _repr_pretty_(self, p, cycle):
        p.text(self.output.rstrip("\n"))


class DockerError(Exception):
    """A command failure: its text (printed to stderr) and exit code."""

    def __init__(self, text: str, code: int = 1):
        super().__init__(text)
        self.text, self.code = text, code

    def with_code(self, code: int) -> "DockerError":
        self.code = code
        return self


def run_error(msg: str, help: bool = True) -> DockerError:
    """docker run's reportError: `docker: <msg>.` and the help hint, exit 125."""
    msg = msg.rstrip(".") + "."
    if help:
        msg += "\nSee 'docker run --help'."
    return DockerError("docker: " + msg, 125)


@dataclass
class Image:
    repository: str
    tag: str
    version: str
    spec: catalog.ImageSpec
    id: str
    layers: list[str]
    created: float           # simulated seconds (negative: before the engine started)


@dataclass
class Container:
    id: str
    name: str
    image_ref: str
    image: Image
    cmd: list[str]
    entrypoint: list[str]
    env: list[str]
    created: float
    ports: list[tuple[str, int, int, str]] = field(default_factory=list)   # host ip, host port, port, proto
    links: list[tuple[str, str]] = field(default_factory=list)             # (container name, alias)
    link_ids: dict[str, str] = field(default_factory=dict)                 # alias -> container id
    network: str = "bridge"
    network_aliases: list[str] = field(default_factory=list)
    auto_remove: bool = False
    hostname: str = ""
    status: str = "created"        # created | running | exited
    started: float | None = None
    finished: float | None = None
    exit_code: int = 0
    process: Any = None
    ips: dict[str, str] = field(default_factory=dict)
    logs: list[tuple[float, str]] = field(default_factory=list)
    exit_timer: Any = None
    kill_timer: Any = None

    @property
    def running(self) -> bool:
        return self.status == "running"

    @property
    def ip(self) -> str:
        return next(iter(self.ips.values()), "")

    @property
    def command_line(self) -> str:
        return " ".join(self.entrypoint + self.cmd)


def human_duration(seconds: float) -> str:
    """go-units HumanDuration: `Less than a second`, `5 seconds`, `About a minute`, `3 hours`."""
    seconds += 1e-6          # simulated times are sums of floats: 1.2 - 0.2 must count as 1 s
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


def table(rows: list[list[str]]) -> str:
    """docker's tabwriter layout: minwidth 10... as text/tabwriter(…, 10, 1, 3, ' ', 0)."""
    if not rows:
        return ""
    n = max(len(r) for r in rows)
    widths = [0] * n
    for r in rows:
        for i, cell in enumerate(r[:-1]):
            widths[i] = max(widths[i], len(cell))
    out = []
    for r in rows:
        line = ""
        for i, cell in enumerate(r):
            if i == len(r) - 1:
                line += cell
            else:
                line += cell.ljust(max(widths[i] + 3, 10))
        out.append(line.rstrip() if r[-1] == "" else line)
    return "\n".join(out) + "\n"


class DockerEngine:
    """The docker daemon of one Linux host, with the CLI in front of it."""

    def __init__(self, seed: int = 0, step: float = 1.0, host: str = "docker-host",
                 kernel: str = "5.15.0-126-generic", os_name: str = "Ubuntu 22.04.5 LTS",
                 cpus: int = 2, memory: str = "4GiB", course_images: bool = True):
        self.clock = Clock()
        self.rand = Rand(seed)
        self.step = step
        self.host = {"hostname": host, "kernel": kernel, "os": os_name, "cpus": cpus, "memory": memory}
        self.host_ip = "192.168.56.20"
        self.images: dict[tuple[str, str], Image] = {}
        self.containers: dict[str, Container] = {}
        self.networks: dict[str, DockerNetwork] = {}
        self.published: dict[int, tuple[Container, int]] = {}
        self._next_subnet = 18
        for name, driver, subnet in (("bridge", "bridge", "172.17.0.0/16"), ("host", "host", None),
                                     ("none", "null", None)):
            self.networks[name] = DockerNetwork(self._hex(), name, driver, subnet, 0.0)
        if course_images:
            for spec in catalog.CATALOG.values():
                if spec.local_only:
                    self._store_image(spec, "latest")
        self._host_net = HostNet(self)

    # ------------------------------------------------------------------------------------------
    # time
    def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass (containers start, workers poll, ...)."""
        self.clock.run(self.clock.now + seconds)

    def _hex(self) -> str:
        return f"{self.rand.getrandbits(256):064x}"

    # ------------------------------------------------------------------------------------------
    # the CLI
    def docker(self, command: str | list[str]) -> DockerResult:
        """Run one `docker ...` command line (the word `docker` itself is optional)."""
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        if argv and argv[0] == "docker":
            argv = argv[1:]
        try:
            result = self._dispatch(argv)
        except DockerError as e:
            result = DockerResult(e.code, "", e.text + "\n")
        self.advance(self.step)
        return result

    def _dispatch(self, argv: list[str]) -> DockerResult:
        if not argv:
            return DockerResult(0, "Usage:  docker [OPTIONS] COMMAND\n")
        cmd, args = argv[0], argv[1:]
        if cmd == "container" and args:
            cmd, args = {"ls": "ps", "list": "ps"}.get(args[0], args[0]), args[1:]
        elif cmd == "image" and args:
            cmd, args = {"ls": "images", "list": "images", "pull": "pull", "inspect": "inspect"}.get(args[0], args[0]), args[1:]
        handler = getattr(self, "_cmd_" + cmd.replace("-", "_"), None)
        if handler is None:
            raise DockerError(f"docker: unknown command: docker {cmd}\n\nRun 'docker --help' for more information", 1)
        return handler(args)

    # images -------------------------------------------------------------------------------------
    def _store_image(self, spec: catalog.ImageSpec, tag: str) -> Image:
        version = spec.tags[tag]
        img = Image(spec.repository, tag, version, spec, catalog.hexid("image", spec.repository, version),
                    catalog.layer_ids(spec, version), -86400.0 * spec.created_days_ago)
        self.images[(spec.repository, tag)] = img
        return img

    def _pull(self, ref: str, lines: list[str]) -> Image:
        """Pull from the registry (appending docker's progress lines); DockerError when it cannot."""
        repo, tag = catalog.parse_reference(ref)
        spec = catalog.lookup(repo)
        if spec is None or spec.local_only:
            raise DockerError(f"Error response from daemon: pull access denied for {repo}, repository does "
                              "not exist or may require 'docker login': denied: requested access to the "
                              "resource is denied")
        if tag not in spec.tags:
            raise DockerError(f"Error response from daemon: manifest for {repo}:{tag} not found: "
                              "manifest unknown: manifest unknown")
        path = repo if "/" in repo else "library/" + repo
        lines.append(f"{tag}: Pulling from {path}")
        have = {layer for img in self.images.values() for layer in img.layers}
        version = spec.tags[tag]
        todo = 0
        for layer in catalog.layer_ids(spec, version):
            if layer in have:
                lines.append(f"{layer[:12]}: Already exists")
            else:
                lines.append(f"{layer[:12]}: Pull complete")
                todo += 1
        digest = catalog.hexid("digest", repo, version)
        lines.append(f"Digest: sha256:{digest}")
        existing = self.images.get((repo, tag))
        if existing is not None:
            lines[:] = [f"{tag}: Pulling from {path}", f"Digest: sha256:{digest}",
                        f"Status: Image is up to date for {repo}:{tag}"]
            return existing
        lines.append(f"Status: Downloaded newer image for {repo}:{tag}")
        # ~50 MB/s plus a second of registry round trips, for the layers not already here
        seconds = 1.0 + (spec.size_of(tag) * todo / max(spec.layers, 1)) / 50e6
        self.advance(seconds)
        return self._store_image(spec, tag)

    def _cmd_pull(self, args):
        refs = [a for a in args if not a.startswith("-")]
        if not refs:
            raise DockerError('"docker pull" requires exactly 1 argument.\nSee \'docker pull --help\'.\n\n'
                              "Usage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\n"
                              "Download an image from a registry")
        ref = refs[0]
        lines = []
        if ":" not in ref.rsplit("/", 1)[-1]:
            lines.append("Using default tag: latest")
        try:
            self._pull(ref, lines)
        except DockerError as e:
            raise DockerError("\n".join(lines + [e.text]) if lines else e.text, 1)
        repo, tag = catalog.parse_reference(ref)
        full = f"docker.io/{repo if '/' in repo else 'library/' + repo}:{tag}"
        return DockerResult(0, "\n".join(lines) + f"\n{full}\n")

    def _cmd_images(self, args):
        quiet = "-q" in args or "--quiet" in args
        imgs = sorted(self.images.values(), key=lambda i: (-i.created, i.repository, i.tag))
        if quiet:
            seen = []
            for i in imgs:
                if i.id[:12] not in seen:
                    seen.append(i.id[:12])
            return DockerResult(0, "".join(s + "\n" for s in seen))
        rows = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]]
        for i in imgs:
            rows.append([i.repository, i.tag, i.id[:12], human_duration(self.clock.now - i.created) + " ago",
                         catalog.human_size(i.spec.size_of(i.tag))])
        return DockerResult(0, table(rows))

    def _cmd_rmi(self, args):
        out = []
        for ref in [a for a in args if not a.startswith("-")]:
            repo, tag = catalog.parse_reference(ref)
            img = self.images.get((repo, tag))
            if img is None:
                raise DockerError(f"Error response from daemon: No such image: {repo}:{tag}")
            users = [c for c in self.containers.values() if c.image is img]
            if users and "-f" not in args:
                c = users[0]
                state = "running" if c.running else "stopped"
                raise DockerError(f"Error response from daemon: conflict: unable to remove repository "
                                  f"reference \"{ref}\" (must force) - container {c.id[:12]} is using its "
                                  f"referenced image {img.id[:12]}" if not c.running else
                                  f"Error response from daemon: conflict: unable to delete {img.id[:12]} "
                                  f"(cannot be forced) - image is being used by {state} container {c.id[:12]}")
            del self.images[(repo, tag)]
            out.append(f"Untagged: {repo}:{tag}")
            out.append(f"Deleted: sha256:{img.id}")
        return DockerResult(0, "".join(x + "\n" for x in out))

    # containers ---------------------------------------------------------------------------------
    def _find(self, ref: str) -> Container:
        for c in self.containers.values():
            if c.name == ref or c.name == ref.lstrip("/"):
                return c
        matches = [c for c in self.containers.values() if c.id.startswith(ref)]
        if len(matches) == 1 and ref:
            return matches[0]
        raise DockerError(f"Error response from daemon: No such container: {ref}")

    def container(self, ref: str) -> Container:
        """A container by name or ID prefix (KeyError when there is none)."""
        try:
            return self._find(ref)
        except DockerError:
            raise KeyError(ref) from None

    def _parse_run(self, args: list[str]) -> dict:
        opts: dict[str, Any] = {"detach": False, "name": None, "ports": [], "links": [], "env": [],
                                "network": None, "aliases": [], "rm": False, "tty": False,
                                "hostname": None, "publish_all": False, "entrypoint": None}
        takes = {"--name": "name", "-p": "ports", "--publish": "ports", "--link": "links", "-e": "env",
                 "--env": "env", "--network": "network", "--net": "network", "--network-alias": "aliases",
                 "-h": "hostname", "--hostname": "hostname", "--restart": None, "-v": None,
                 "--volume": None, "-w": None, "--workdir": None, "--entrypoint": "entrypoint",
                 "-m": None, "--memory": None, "--cpus": None, "-u": None, "--user": None}
        flags = {"-d": "detach", "--detach": "detach", "--rm": "rm", "-t": "tty", "--tty": "tty",
                 "-i": None, "--interactive": None, "-P": "publish_all", "--publish-all": "publish_all"}
        i = 0
        while i < len(args):
            a = args[i]
            if not a.startswith("-") or a == "-":
                break
            key, val = a, None
            if a.startswith("--") and "=" in a:
                key, val = a.split("=", 1)
            if key in flags:
                if flags[key]:
                    opts[flags[key]] = True
                i += 1
                continue
            if key in takes:
                if val is None:
                    if i + 1 >= len(args):
                        raise DockerError(f"flag needs an argument: {key}\nSee 'docker run --help'.", 125)
                    val = args[i + 1]
                    i += 1
                dest = takes[key]
                if dest in ("ports", "links", "env", "aliases"):
                    opts[dest].append(val)
                elif dest:
                    opts[dest] = val
                i += 1
                continue
            # combined short flags: -itd, -dp 5000:80
            if not a.startswith("--") and len(a) > 2:
                letters = a[1:]
                ok = True
                for j, ch in enumerate(letters):
                    f = "-" + ch
                    if f in flags:
                        if flags[f]:
                            opts[flags[f]] = True
                    elif f in ("-p", "-e") and j == len(letters) - 1 and i + 1 < len(args):
                        opts[takes[f]].append(args[i + 1])
                        i += 1
                    else:
                        ok = False
                        break
                if ok:
                    i += 1
                    continue
            flag = key.lstrip("-")
            raise DockerError(f"unknown {'flag' if key.startswith('--') else 'shorthand flag'}: "
                              f"{key if key.startswith('--') else repr(flag[0]) + ' in ' + key}\n"
                              "See 'docker run --help'.", 125)
        if i >= len(args):
            raise DockerError("\"docker run\" requires at least 1 argument.\nSee 'docker run --help'.\n\n"
                              "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
                              "Create and run a new container from an image", 125)
        opts["image"] = args[i]
        opts["command"] = args[i + 1:]
        return opts

    def _cmd_run(self, args):
        opts = self._parse_run(args)
        ref = opts["image"]
        stderr = ""
        repo, tag = catalog.parse_reference(ref)
        name = opts["name"]
        if name is not None:
            import re

            if not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+", name):
                raise run_error(f"Error response from daemon: Invalid container name ({name}), only "
                                "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        img = self.images.get((repo, tag))
        if img is None:
            stderr += f"Unable to find image '{repo}:{tag}' locally\n"
            lines: list[str] = []
            try:
                img = self._pull(ref, lines)
            except DockerError as e:
                msg = e.text
                raise DockerError(stderr + run_error(msg).text, 125) from None
            stderr += "".join(x + "\n" for x in lines)
        try:
            c = self._create(img, ref, opts)
            self._check_executable(c)
            self._start(c)
        except DockerError as e:
            raise DockerError(stderr + e.text, e.code) from None
        if opts["detach"]:
            # the pull's lines (stderr) come first, the container ID (stdout) once it is created
            return DockerResult(0, c.id + "\n", stderr, combined=stderr + c.id + "\n")
        # attached: show what the container printed; a server keeps running (as after Ctrl-P Ctrl-Q)
        out = "".join(line + "\n" for _, line in c.logs)
        code = c.exit_code if c.status == "exited" else 0
        if c.status == "exited" and c.auto_remove:
            self._remove(c)
        return DockerResult(code, out, stderr, combined=stderr + out)

    def _check_executable(self, c: Container) -> None:
        """A command the image does not have: runc cannot start it; the container stays Created
        and `docker run` exits 127 (the CLI's status for "executable file not found")."""
        from k8scourse.apps.tools import image_info

        argv = c.entrypoint + c.cmd
        spec = c.image.spec
        if not argv or argv == spec.entrypoint + spec.cmd or (c.entrypoint and not c.user_entrypoint):
            return      # the image's own command, or its entrypoint script runs the words
        prog = argv[0]
        if prog.rsplit("/", 1)[-1] in image_info(c.image.repository)[0]:
            return
        if c.auto_remove:
            self._remove(c)
        raise run_error("Error response from daemon: failed to create task for container: failed to "
                        "create shim task: OCI runtime create failed: runc create failed: unable to start "
                        f'container process: exec: "{prog}": executable file not found in $PATH: unknown',
                        help=False).with_code(127)

    def _create(self, img: Image, ref: str, opts: dict) -> Container:
        name = opts["name"]
        taken = {c.name for c in self.containers.values()}
        if name is not None and name in taken:
            other = next(c for c in self.containers.values() if c.name == name)
            raise run_error(f'Error response from daemon: Conflict. The container name "/{name}" is already '
                            f"in use by container \"{other.id}\". You have to remove (or rename) that "
                            "container to be able to reuse that name.")
        network = opts["network"] or "bridge"
        if network not in self.networks:
            raise run_error(f"Error response from daemon: network {network} not found")
        links: list[tuple[str, str]] = []
        link_ids: dict[str, str] = {}
        for spec in opts["links"]:
            lname, _, alias = spec.partition(":")
            alias = alias or lname
            try:
                child = self._find(lname)
            except DockerError:
                raise run_error(f"Error response from daemon: could not get container for {lname}: "
                                f"No such container: {lname}") from None
            if network != "bridge" and not self.networks[network].user_defined:
                raise run_error("Error response from daemon: conflicting options: links and network mode")
            links.append((child.name, alias))
            link_ids[alias] = child.id
        ports = []
        for p in opts["ports"]:
            ports.append(self._parse_port(p))
        if opts["publish_all"]:
            for e in img.spec.exposed:
                cport = int(e.split("/")[0])
                if not any(x[2] == cport for x in ports):
                    ports.append(("0.0.0.0", 0, cport, "tcp"))
        env = list(img.spec.env)
        for e in opts["env"]:
            k = e.split("=", 1)[0]
            env = [x for x in env if x.split("=", 1)[0] != k]
            env.append(e if "=" in e else f"{e}=")
        cmd = list(opts["command"]) or list(img.spec.cmd)
        entrypoint = [opts["entrypoint"]] if opts["entrypoint"] else list(img.spec.entrypoint)
        cid = self._hex()
        c = Container(cid, name or random_name(self.rand, taken), ref, img, cmd, entrypoint, env,
                      self.clock.now, ports, links, link_ids, network, list(opts["aliases"]), opts["rm"],
                      opts["hostname"] or cid[:12])
        c.user_command = list(opts["command"])
        c.user_entrypoint = bool(opts["entrypoint"])
        c.tty = opts["tty"]
        self.containers[cid] = c
        return c

    def _parse_port(self, p: str) -> tuple[str, int, int, str]:
        proto = "tcp"
        if "/" in p:
            p, proto = p.split("/", 1)
        parts = p.split(":")
        try:
            if len(parts) == 1:
                return ("0.0.0.0", 0, int(parts[0]), proto)
            if len(parts) == 2:
                return ("0.0.0.0", int(parts[0]) if parts[0] else 0, int(parts[1]), proto)
            return (parts[0], int(parts[1]) if parts[1] else 0, int(parts[2]), proto)
        except ValueError:
            raise run_error(f'invalid containerPort: {parts[-1]}') from None

    def _start(self, c: Container) -> None:
        for name, alias in c.links:
            child = self.containers.get(c.link_ids.get(alias, ""))
            if child is None:
                raise run_error(f"Error response from daemon: Could not find container for entity id "
                                f"{c.link_ids.get(alias, '')}", help=False)
            if not child.running:
                raise run_error(f"Error response from daemon: Cannot link to a non running container: "
                                f"/{child.name} AS /{c.name}/{alias}", help=False)
        # publish ports first: a taken host port fails the start
        bound = []
        for i, (hip, hport, cport, proto) in enumerate(c.ports):
            if hport == 0:
                hport = 32768
                while hport in self.published:
                    hport += 1
                c.ports[i] = (hip, hport, cport, proto)
            if hport in self.published and self.published[hport][0] is not c:
                for hp in bound:
                    self.published.pop(hp, None)
                endpoint = self._hex()
                raise run_error(f"Error response from daemon: driver failed programming external connectivity "
                                f"on endpoint {c.name} ({endpoint}): Bind for {hip}:{hport} failed: port is "
                                "already allocated", help=False)
            self.published[hport] = (c, cport)
            bound.append(hport)
        net = self.networks[c.network]
        if net.subnet is not None:
            c.ips = {c.network: net.allocate(c.id)}
            net.aliases[c.id] = list(c.network_aliases)
        else:
            c.ips = {}
        c.status = "running"
        c.started = self.clock.now
        c.finished = None
        c.exit_code = 0
        c.process = None
        self._launch(c)

    def _sandbox(self, c: Container) -> Sandbox:
        env = {}
        for e in c.env:
            k, _, v = e.partition("=")
            env[k] = v
        for name, alias in c.links:
            child = self.containers.get(c.link_ids.get(alias, ""))
            if child is None:
                continue
            prefix = alias.upper().replace("-", "_")
            ip = child.ips.get("bridge", child.ip)
            exposed = child.image.spec.exposed
            for i, e in enumerate(exposed):
                port, proto = e.split("/")
                if i == 0:
                    env[f"{prefix}_PORT"] = f"{proto}://{ip}:{port}"
                env[f"{prefix}_PORT_{port}_{proto.upper()}"] = f"{proto}://{ip}:{port}"
                env[f"{prefix}_PORT_{port}_{proto.upper()}_ADDR"] = ip
                env[f"{prefix}_PORT_{port}_{proto.upper()}_PORT"] = port
                env[f"{prefix}_PORT_{port}_{proto.upper()}_PROTO"] = proto
            env[f"{prefix}_NAME"] = f"/{c.name}/{alias}"
            for e in child.env:
                k, _, v = e.partition("=")
                env[f"{prefix}_ENV_{k}"] = v
        net = ContainerNet(self, c)
        sb = Sandbox(hostname=c.hostname, ip=c.ip, net=net, env=env,
                     files={}, kernel=self.host["kernel"], clock=self.clock,
                     command=c.entrypoint + c.cmd)
        sb.files["/etc/hosts"] = net.hosts_file()
        sb.files["/etc/resolv.conf"] = net.resolv_conf()
        sb.files["/etc/hostname"] = c.hostname + "\n"
        return sb

    def _launch(self, c: Container) -> None:
        from k8scourse.apps import app_class

        sb = self._sandbox(c)
        c.sandbox = sb

        def log(line: str, c=c) -> None:
            c.logs.append((self.clock.now, line))

        def on_exit(code: int, c=c) -> None:
            self._exited(c, code)

        user_cmd = getattr(c, "user_command", [])
        ctx = AppContext(image=c.image_ref, repository=c.image.repository, tag=c.image.tag,
                         command=[c.entrypoint[0]] if getattr(c, "user_entrypoint", False) else [],
                         args=list(user_cmd), env=dict(sb.env), clock=self.clock, rand=self.rand,
                         sandbox=sb, log=log, on_exit=on_exit, node=self.host["hostname"],
                         pod_ip=c.ip, kernel=self.host["kernel"], cpus=self.host["cpus"])
        cls = app_class(c.image.repository)
        if cls is not None:
            proc = cls(ctx)
        else:
            if not user_cmd:
                ctx.args = list(c.cmd)
            proc = self._command_process(ctx)
        c.process = proc
        seconds = proc.start()
        if c.status != "running":
            return
        if seconds is not None:
            code = getattr(proc, "exit_code", 0)
            if seconds <= 0:
                self._exited(c, code)
            else:
                c.exit_timer = self.clock.call_later(seconds, lambda: self._exited(c, proc.exit_code), KUBELET)

    def _command_process(self, ctx):
        # The kubelet's interpreter needs a kubelet ContainerContext; docker's plain commands use
        # the small CommandProcess (sleep, echo, sh -c "...", exit N).
        return CommandProcess(ctx)

    def _exited(self, c: Container, code: int) -> None:
        if c.status != "running":
            return
        c.status = "exited"
        c.exit_code = code
        c.finished = self.clock.now
        for t in (c.exit_timer, c.kill_timer):
            if t is not None:
                t.cancel()
        c.exit_timer = c.kill_timer = None
        proc = c.process
        if proc is not None:
            for attr in ("running", "listening"):
                if hasattr(proc, attr):
                    setattr(proc, attr, False)
        for hp in [hp for hp, (cc, _) in self.published.items() if cc is c]:
            del self.published[hp]
        for name in list(c.ips):
            net = self.networks.get(name)
            if net is not None:
                net.release(c.id)
        if c.auto_remove:
            self.containers.pop(c.id, None)

    def _stop(self, c: Container, timeout: float = STOP_TIMEOUT) -> None:
        if not c.running:
            return
        proc = c.process
        seconds = proc.stop() if proc is not None else 0.0
        if seconds is None or seconds > timeout:
            self.advance(timeout)
            if c.running:
                if hasattr(proc, "kill"):
                    proc.kill()
                self._exited(c, 137)
            return
        code = getattr(proc, "exit_code", 0)
        self.advance(seconds)
        self._exited(c, code)

    def _remove(self, c: Container) -> None:
        self.containers.pop(c.id, None)

    def _cmd_stop(self, args):
        names = [a for a in args if not a.startswith("-")]
        timeout = STOP_TIMEOUT
        if "-t" in args:
            timeout = float(args[args.index("-t") + 1])
            names = [n for n in names if n != args[args.index("-t") + 1]]
        out, err = "", ""
        for ref in names:
            try:
                self._stop(self._find(ref), timeout)
                out += ref + "\n"
            except DockerError as e:
                err += e.text + "\n"
        return DockerResult(1 if err else 0, out, err)

    def _cmd_kill(self, args):
        out, err = "", ""
        for ref in [a for a in args if not a.startswith("-")]:
            try:
                c = self._find(ref)
                if not c.running:
                    raise DockerError(f"Error response from daemon: cannot kill container: {ref}: "
                                      f"container {c.id} is not running")
                if hasattr(c.process, "kill"):
                    c.process.kill()
                self._exited(c, 137)
                out += ref + "\n"
            except DockerError as e:
                err += e.text + "\n"
        return DockerResult(1 if err else 0, out, err)

    def _cmd_start(self, args):
        out, err = "", ""
        for ref in [a for a in args if not a.startswith("-")]:
            try:
                c = self._find(ref)
                if not c.running:
                    try:
                        self._start(c)
                    except DockerError as e:
                        text = e.text.removeprefix("docker: ").rstrip(".")
                        raise DockerError(text + f"\nError: failed to start containers: {ref}") from None
                out += ref + "\n"
            except DockerError as e:
                err += e.text + "\n"
        return DockerResult(1 if err else 0, out, err)

    def _cmd_restart(self, args):
        out, err = "", ""
        for ref in [a for a in args if not a.startswith("-")]:
            try:
                c = self._find(ref)
                self._stop(c)
                self._start(c)
                out += ref + "\n"
            except DockerError as e:
                err += e.text + "\n"
        return DockerResult(1 if err else 0, out, err)

    def _cmd_rm(self, args):
        force = any(a in ("-f", "--force") for a in args)
        out, err = "", ""
        for ref in [a for a in args if not a.startswith("-")]:
            try:
                c = self._find(ref)
                if c.running:
                    if not force:
                        raise DockerError(f'Error response from daemon: cannot remove container "/{c.name}": '
                                          "container is running: stop the container before removing or "
                                          "force remove")
                    if hasattr(c.process, "kill"):
                        c.process.kill()
                    self._exited(c, 137)
                self._remove(c)
                out += ref + "\n"
            except DockerError as e:
                err += e.text + "\n"
        return DockerResult(1 if err else 0, out, err)

    def _cmd_ps(self, args):
        fmt, rest, i = None, [], 0
        while i < len(args):
            if args[i] == "--format" and i + 1 < len(args):
                fmt = args[i + 1]; i += 2; continue
            if args[i].startswith("--format="):
                fmt = args[i].split("=", 1)[1]
            else:
                rest.append(args[i])
            i += 1
        args = rest
        show_all = any(a in ("-a", "--all") for a in args)
        quiet = any(a in ("-q", "--quiet") for a in args) or "-aq" in args or "-qa" in args
        show_all = show_all or "-aq" in args or "-qa" in args
        cs = [c for c in self.containers.values() if show_all or c.running]
        cs.sort(key=lambda c: -c.created)
        if quiet:
            return DockerResult(0, "".join(c.id[:12] + "\n" for c in cs))
        if fmt is not None and fmt != "table":
            return DockerResult(0, format_rows(fmt, [self._ps_fields(c) for c in cs], PS_HEADERS,
                                               "ContainerContext"))
        rows = [["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]]
        for c in cs:
            rows.append([c.id[:12], c.image_ref, _quote_trunc(c.command_line),
                         human_duration(self.clock.now - c.created) + " ago", self._status(c),
                         self._ports(c), c.name])
        return DockerResult(0, table(rows))

    def _ps_fields(self, c: Container) -> dict[str, str]:
        """The fields `docker ps --format` templates can name (formatter.ContainerContext)."""
        created = self.clock.datetime(c.created).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")
        return {"ID": c.id[:12], "Image": c.image_ref, "Command": _quote_trunc(c.command_line),
                "CreatedAt": created, "RunningFor": human_duration(self.clock.now - c.created) + " ago",
                "Ports": self._ports(c), "State": c.status, "Status": self._status(c), "Size": "0B",
                "Names": c.name, "Labels": "", "Mounts": "", "Networks": c.network,
                "LocalVolumes": "0"}

    def _status(self, c: Container) -> str:
        if c.status == "running":
            return "Up " + human_duration(self.clock.now - (c.started or 0))
        if c.status == "exited":
            return f"Exited ({c.exit_code}) {human_duration(self.clock.now - (c.finished or 0))} ago"
        return "Created"

    def _ports(self, c: Container) -> str:
        if not c.running:
            return ""
        items = []
        published = {cp for _, _, cp, _ in c.ports}
        for hip, hport, cport, proto in sorted(c.ports, key=lambda p: (p[2], p[1])):
            items.append(f"{hip}:{hport}->{cport}/{proto}")
            if hip == "0.0.0.0":
                items.append(f"[::]:{hport}->{cport}/{proto}")
        for e in c.image.spec.exposed:
            if int(e.split("/")[0]) not in published:
                items.append(e)
        return ", ".join(items)

    def _cmd_logs(self, args):
        tail, ts, ref, i = None, False, None, 0
        while i < len(args):
            a = args[i]
            if a in ("--tail", "-n") and i + 1 < len(args):
                tail = args[i + 1]; i += 2; continue
            if a.startswith("--tail="):
                tail = a.split("=", 1)[1]
            elif a in ("-t", "--timestamps"):
                ts = True
            elif not a.startswith("-"):
                ref = a
            i += 1
        if ref is None:
            raise DockerError("\"docker logs\" requires exactly 1 argument.\nSee 'docker logs --help'.\n\n"
                              "Usage:  docker logs [OPTIONS] CONTAINER\n\nFetch the logs of a container")
        c = self._find(ref)
        lines = c.logs
        if tail not in (None, "all"):
            n = int(tail)
            lines = lines[-n:] if n else []
        out = ""
        for t, line in lines:
            if ts:
                out += self.clock.datetime(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int((t % 1) * 1e9):09d}Z "
            out += line + "\n"
        return DockerResult(0, out)

    def _cmd_exec(self, args):
        from k8scourse.apps.tools import ExecutableNotFound, exec_command

        tty, i = False, 0
        while i < len(args) and args[i].startswith("-"):
            if "t" in args[i].lstrip("-") and not args[i].startswith("--"):
                tty = True
            if args[i] in ("-e", "--env", "-u", "--user", "-w", "--workdir"):
                i += 1
            i += 1
        if i + 1 >= len(args):
            raise DockerError("\"docker exec\" requires at least 2 arguments.\nSee 'docker exec --help'.\n\n"
                              "Usage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\n"
                              "Execute a command in a running container")
        c = self._find(args[i])
        if not c.running:
            raise DockerError(f"Error response from daemon: container {c.id} is not running")
        argv = args[i + 1:]
        sb = getattr(c, "sandbox", None) or self._sandbox(c)
        sb.files["/etc/hosts"] = sb.net.hosts_file()
        try:
            r = exec_command(argv, sb, c.image.repository, tty=tty)
        except ExecutableNotFound as e:
            return DockerResult(127, "", "OCI runtime exec failed: exec failed: unable to start container "
                                         f"process: exec: \"{e.name}\": executable file not found in $PATH: "
                                         "unknown\n")
        return DockerResult(r.exit_code, r.stdout, r.stderr)

    def _cmd_inspect(self, args):
        fmt, refs, i = None, [], 0
        while i < len(args):
            if args[i] in ("-f", "--format") and i + 1 < len(args):
                fmt = args[i + 1]; i += 2; continue
            if args[i].startswith("--format="):
                fmt = args[i].split("=", 1)[1]
            elif not args[i].startswith("-"):
                refs.append(args[i])
            i += 1
        docs = []
        for ref in refs:
            try:
                docs.append(self._inspect_container(self._find(ref)))
            except DockerError:
                net = self.networks.get(ref)
                repo, tag = catalog.parse_reference(ref)
                img = self.images.get((repo, tag))
                if net is not None:
                    docs.append(self._inspect_network(net))
                elif img is not None:
                    docs.append({"Id": f"sha256:{img.id}", "RepoTags": [f"{repo}:{tag}"],
                                 "Config": {"Cmd": img.spec.cmd, "Entrypoint": img.spec.entrypoint or None,
                                            "ExposedPorts": {e: {} for e in img.spec.exposed} or None,
                                            "Env": img.spec.env},
                                 "Size": img.spec.size,
                                 "RootFS": {"Type": "layers",
                                            "Layers": [f"sha256:{x}" for x in img.layers]}})
                else:
                    print_ = "[]\n"
                    raise DockerError(print_ + f"Error: No such object: {ref}") from None
        if fmt is not None:
            return DockerResult(0, "".join(go_template(fmt, d) + "\n" for d in docs))
        return DockerResult(0, json.dumps(docs, indent=4) + "\n")

    def _inspect_container(self, c: Container) -> dict:
        ts = lambda t: self.clock.timestamp(t).replace("Z", ".000000000Z") if t is not None else "0001-01-01T00:00:00Z"
        nets = {}
        for name, ip in c.ips.items():
            net = self.networks[name]
            nets[name] = {"Aliases": net.aliases.get(c.id) or None, "NetworkID": net.id,
                          "Gateway": net.gateway, "IPAddress": ip, "IPPrefixLen": net.subnet.prefixlen,
                          "MacAddress": "02:42:" + ":".join(f"{int(x):02x}" for x in ip.split(".")),
                          "Links": [f"{n}:{a}" for n, a in c.links] or None}
        ports = {}
        for e in c.image.spec.exposed:
            ports[e] = None
        for hip, hport, cport, proto in c.ports:
            ports.setdefault(f"{cport}/{proto}", [])
            if ports[f"{cport}/{proto}"] is None:
                ports[f"{cport}/{proto}"] = []
            ports[f"{cport}/{proto}"].append({"HostIp": hip, "HostPort": str(hport)})
        full = c.entrypoint + c.cmd
        bridge_ip = c.ips.get("bridge", "")
        return {
            "Id": c.id, "Created": ts(c.created), "Path": full[0] if full else "", "Args": full[1:],
            "State": {"Status": c.status, "Running": c.running, "Paused": False, "Restarting": False,
                      "OOMKilled": False, "Dead": False, "ExitCode": c.exit_code, "Error": "",
                      "StartedAt": ts(c.started), "FinishedAt": ts(c.finished)},
            "Image": f"sha256:{c.image.id}", "Name": f"/{c.name}",
            "HostConfig": {"Links": [f"/{n}:/{c.name}/{a}" for n, a in c.links] or None,
                           "NetworkMode": c.network if c.network != "bridge" else "bridge",
                           "PortBindings": {f"{cp}/{pr}": [{"HostIp": "", "HostPort": str(hp)}]
                                            for _, hp, cp, pr in c.ports}},
            "Config": {"Hostname": c.hostname, "Env": c.env, "Cmd": c.cmd, "Image": c.image_ref,
                       "Entrypoint": c.entrypoint or None,
                       "ExposedPorts": {e: {} for e in c.image.spec.exposed} or None},
            "NetworkSettings": {"Ports": ports if c.running else {}, "IPAddress": bridge_ip,
                                "Gateway": self.networks["bridge"].gateway if bridge_ip else "",
                                "Networks": nets},
        }

    def _inspect_network(self, net: DockerNetwork) -> dict:
        return {"Name": net.name, "Id": net.id, "Scope": "local", "Driver": net.driver,
                "IPAM": {"Driver": "default", "Config": [{"Subnet": str(net.subnet), "Gateway": net.gateway}]
                         if net.subnet else []},
                "Containers": {cid: {"Name": self.containers[cid].name, "IPv4Address": f"{ip}/16"}
                               for cid, ip in net.members.items() if cid in self.containers}}

    def _cmd_network(self, args):
        if not args:
            raise DockerError("Usage:  docker network COMMAND\n\nManage networks")
        sub, rest = args[0], args[1:]
        if sub in ("ls", "list"):
            rows = [["NETWORK ID", "NAME", "DRIVER", "SCOPE"]]
            for n in sorted(self.networks.values(), key=lambda n: n.name):
                rows.append([n.id[:12], n.name, n.driver, "local"])
            return DockerResult(0, table(rows))
        if sub == "create":
            names = [a for a in rest if not a.startswith("-")]
            if not names:
                raise DockerError("\"docker network create\" requires exactly 1 argument.\n"
                                  "See 'docker network create --help'.")
            name = names[0]
            if name in self.networks:
                raise DockerError(f"Error response from daemon: network with name {name} already exists")
            net = DockerNetwork(self._hex(), name, "bridge", f"172.{self._next_subnet}.0.0/16", self.clock.now)
            self._next_subnet += 1
            self.networks[name] = net
            return DockerResult(0, net.id + "\n")
        if sub == "rm":
            out = ""
            for name in rest:
                net = self.networks.get(name)
                if net is None:
                    raise DockerError(f"Error response from daemon: network {name} not found")
                if not net.user_defined:
                    raise DockerError(f"Error response from daemon: {name} is a pre-defined network and cannot "
                                      "be removed")
                if net.members:
                    raise DockerError(f"Error response from daemon: error while removing network: network {name} "
                                      f"id {net.id} has active endpoints")
                del self.networks[name]
                out += name + "\n"
            return DockerResult(0, out)
        if sub == "inspect":
            docs = []
            for name in rest:
                net = self.networks.get(name)
                if net is None:
                    raise DockerError(f"[]\nError response from daemon: network {name} not found")
                docs.append(self._inspect_network(net))
            return DockerResult(0, json.dumps(docs, indent=4) + "\n")
        if sub == "connect":
            name, ref = [a for a in rest if not a.startswith("-")][:2]
            net = self.networks.get(name)
            if net is None:
                raise DockerError(f"Error response from daemon: network {name} not found")
            c = self._find(ref)
            if c.running and name not in c.ips:
                c.ips[name] = net.allocate(c.id)
                net.aliases[c.id] = []
            return DockerResult(0, "")
        raise DockerError(f"docker: unknown command: docker network {sub}\n\n"
                          "Run 'docker network --help' for more information")

    def _cmd_version(self, args):
        return DockerResult(0, f"Client: Docker Engine - Community\n Version:           {DOCKER_VERSION}\n\n"
                               f"Server: Docker Engine - Community\n Engine:\n  Version:          "
                               f"{DOCKER_VERSION}\n")

    def _cmd_info(self, args):
        running = sum(1 for c in self.containers.values() if c.running)
        stopped = len(self.containers) - running
        return DockerResult(0, f"Server:\n Containers: {len(self.containers)}\n  Running: {running}\n"
                               f"  Paused: 0\n  Stopped: {stopped}\n Images: {len(self.images)}\n"
                               f" Server Version: {DOCKER_VERSION}\n Kernel Version: {self.host['kernel']}\n"
                               f" Operating System: {self.host['os']}\n OSType: linux\n"
                               f" Architecture: x86_64\n CPUs: {self.host['cpus']}\n"
                               f" Total Memory: {self.host['memory']}\n Name: {self.host['hostname']}\n")

    # ------------------------------------------------------------------------------------------
    # the laptop side
    def host_net(self) -> HostNet:
        return self._host_net

    def http(self, method: str, url: str, form: dict | None = None, cookies: dict | None = None):
        """An HTTP request from the host; returns an HttpResponse (raises NetError when refused)."""
        return http_request(self._host_net, method, url, form=form, cookies=cookies,
                            user_agent="Mozilla/5.0 (X11; Linux x86_64)")

    def curl(self, url: str) -> DockerResult:
        """`curl -s URL` run on the host: the body, or curl's error with its exit code."""
        from k8scourse.apps.tools import _Runner

        sb = Sandbox(hostname=self.host["hostname"], ip=self.host_ip, net=self._host_net,
                     kernel=self.host["kernel"])
        r = _Runner(sb, "curlimages/curl", tty=True).cmd_curl(["-sS", url])
        self.advance(self.step)
        return DockerResult(r.exit_code, r.stdout, r.stderr)

    def browser_vote(self, port: int, choice: str, voter: str | None = None):
        """Click a button on the vote page at localhost:`port` (choice "a" or "b")."""
        cookies = {"voter_id": voter} if voter else None
        resp = self.http("POST", f"http://localhost:{port}/", form={"vote": choice}, cookies=cookies)
        self.advance(self.step)
        return resp

    def browser_result(self, port: int) -> dict:
        """What the result page at localhost:`port` shows once its scripts ran: the tally."""
        resp = self.http("GET", f"http://localhost:{port}/")
        target = self.published.get(port)
        app = target[0].process if target else None
        tally = app.tally() if hasattr(app, "tally") else {}
        self.advance(self.step)
        return {"status": resp.status, "served_by": resp.served_by, **tally}


def _quote_trunc(command: str, n: int = 20) -> str:
    """docker ps's COMMAND: Ellipsis(command, 20) then strconv.Quote."""
    if len(command) > n:
        command = command[:n - 1] + "…"
    return json.dumps(command, ensure_ascii=False)


#: the column headers of `docker ps --format "table ..."` (cli/command/formatter/container.go)
PS_HEADERS = {"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
              "RunningFor": "CREATED", "Ports": "PORTS", "State": "STATE", "Status": "STATUS",
              "Size": "SIZE", "Names": "NAMES", "Labels": "LABELS", "Mounts": "MOUNTS",
              "Networks": "NETWORKS", "LocalVolumes": "LOCAL VOLUMES"}


def format_rows(fmt: str, rows: list[dict[str, str]], headers: dict[str, str], type_name: str) -> str:
    """A `--format` Go template over each row, as the docker CLI's formatter prints it.

    `table ...` adds a header line (each field's header) and aligns the tab-separated columns with
    tabwriter; otherwise each row's text is printed as is. `\t` and `\n` written in the format
    (as a shell passes them) are tab and newline. A field the context does not have is the
    template's execution error.
    """
    import re

    if fmt == "json":            # {{json .}}: each row as one compact JSON object, keys sorted
        out = ""
        for r in rows:
            text = json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            out += text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
        return out
    is_table = fmt.startswith("table")
    body = fmt[len("table"):] if is_table else fmt
    body = body.strip(" ").replace("\\t", "\t").replace("\\n", "\n")
    field_re = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")
    for m in field_re.finditer(body):
        if m.group(1) not in headers and rows:
            # text/template's ErrorContext: line, then the byte offset of the field in that line
            pos = m.start(1) - 1
            line = body.count("\n", 0, pos) + 1
            col = pos - (body.rfind("\n", 0, pos) + 1) if line > 1 else pos
            raise DockerError(f'template parsing error: template: :{line}:{col}: executing "" at '
                              f"<.{m.group(1)}>: can't evaluate field {m.group(1)} in type "
                              f"*formatter.{type_name}")
    render = lambda values: field_re.sub(lambda m: values.get(m.group(1), "<no value>"), body)  # noqa: E731
    lines = [render(r) for r in rows]
    if not is_table:
        return "".join(line + "\n" for line in lines)
    text = [render(headers)] + lines
    return table([line.split("\t") for line in "\n".join(text).split("\n")])


def go_template(fmt: str, doc: Any) -> str:
    """The few Go-template forms people use with `docker inspect -f`: `{{.A.B}}`, `{{json .A}}`,
    `{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}`."""
    import re

    def path(expr: str, d: Any) -> Any:
        cur = d
        for part in [p for p in expr.strip().lstrip(".").split(".") if p]:
            cur = cur.get(part) if isinstance(cur, dict) else None
        return cur

    def render(v: Any) -> str:
        if v is None:
            return "<no value>"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + " ".join(render(x) for x in v) + "]"
        if isinstance(v, dict):
            return "map[" + " ".join(f"{k}:{render(x)}" for k, x in sorted(v.items())) + "]"
        return str(v)

    out = ""
    pos = 0
    for m in re.finditer(r"\{\{\s*range\s+([^\s}]+)\s*\}\}(.*?)\{\{\s*end\s*\}\}|\{\{\s*(json\s+)?(\.[^}]*)\}\}",
                         fmt, re.S):
        out += fmt[pos:m.start()]
        if m.group(1):
            coll = path(m.group(1), doc) or {}
            items = coll.values() if isinstance(coll, dict) else coll
            for item in items:
                out += go_template(m.group(2), item)
        elif m.group(3):
            out += json.dumps(path(m.group(4), doc))
        else:
            out += render(path(m.group(4), doc)) if m.group(4).strip() != "." else render(doc)
        pos = m.end()
    return out + fmt[pos:]
