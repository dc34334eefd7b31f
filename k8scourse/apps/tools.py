"""The commands `docker exec` and `kubectl exec` run inside a container, with their real outputs.

    exec_command(["wget", "-qO-", "http://web"], sandbox, "busybox") -> ExecResult(0, "<html>...", "")

Which commands exist depends on the image (busybox has wget/nslookup/ping but no curl; nginx's
Debian image has curl but no ping; redis has redis-cli; postgres has psql). A command the image
does not have raises ExecutableNotFound (the runtime turns it into its own error); inside `sh -c`
it is the shell's `sh: curl: not found` with status 127.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from k8scourse.apps.net import (ConnectionRefused, HostUnreachable, NameNotResolved, NetError, PgError,
                                ProtocolMismatch, Sandbox, Timeout, http_request, is_ip,
                                open_connection, split_url)


@dataclass
class ExecResult:
    exit_code: int
    stdout: str = ""
    stderr: str = ""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class ExecutableNotFound(Exception):
    """exec: "<name>": executable file not found in $PATH (the runtime reports it, status 126/127)."""

    def __init__(self, name: str):
        super().__init__(f'exec: "{name}": executable file not found in $PATH')
        self.name = name


BUSYBOX = {"sh", "ash", "echo", "cat", "env", "printenv", "hostname", "wget", "nslookup", "ping",
           "sleep", "true", "false", "ls", "ps", "id", "whoami", "date", "uname", "nc", "telnet",
           "head", "tail", "grep", "ip", "ifconfig", "route", "traceroute", "vi", "top"}
DEBIAN = {"sh", "bash", "dash", "echo", "cat", "env", "printenv", "hostname", "sleep", "true",
          "false", "ls", "id", "whoami", "date", "uname", "head", "tail", "grep"}

#: repository -> (executables, shell flavour "busybox"|"dash", /etc/os-release PRETTY_NAME or None)
IMAGES: dict[str, tuple[set[str], str, str | None]] = {
    "busybox": (BUSYBOX, "busybox", None),
    "alpine": (BUSYBOX, "busybox", "Alpine Linux v3.20"),
    "nginx": (DEBIAN | {"curl", "nginx"}, "dash", "Debian GNU/Linux 12 (bookworm)"),
    "httpd": (DEBIAN | {"httpd"}, "dash", "Debian GNU/Linux 12 (bookworm)"),
    "redis": (DEBIAN | {"redis-cli", "redis-server"}, "dash", "Debian GNU/Linux 12 (bookworm)"),
    "postgres": (DEBIAN | {"psql", "postgres", "pg_isready"}, "dash", "Debian GNU/Linux 12 (bookworm)"),
    "ubuntu": (DEBIAN, "dash", "Ubuntu 24.04.1 LTS"),
    "python": (DEBIAN | {"python", "python3", "pip"}, "dash", "Debian GNU/Linux 12 (bookworm)"),
    "node": (DEBIAN | {"node", "npm"}, "dash", "Debian GNU/Linux 12 (bookworm)"),
    "curlimages/curl": (BUSYBOX | {"curl"}, "busybox", "Alpine Linux v3.20"),
    "nicolaka/netshoot": (BUSYBOX | {"curl", "bash", "dig", "redis-cli", "psql"}, "busybox",
                          "Alpine Linux v3.20"),
    "voting-app": (BUSYBOX | {"python", "gunicorn"}, "busybox", "Alpine Linux v3.10"),
    "result-app": (BUSYBOX | {"node", "npm"}, "busybox", "Alpine Linux v3.10"),
    "worker": (DEBIAN | {"dotnet"}, "dash", "Debian GNU/Linux 9 (stretch)"),
    # FROM scratch: the server's binary and nothing else
    "kicbase/echo-server": ({"echo-server"}, "busybox", None),
}
for _r, _base in (("kodekloud/examplevotingapp_vote", "voting-app"),
                  ("dockersamples/examplevotingapp_vote", "voting-app"),
                  ("kodekloud/examplevotingapp_result", "result-app"),
                  ("dockersamples/examplevotingapp_result", "result-app"),
                  ("kodekloud/examplevotingapp_worker", "worker"),
                  ("dockersamples/examplevotingapp_worker", "worker")):
    IMAGES[_r] = IMAGES[_base]

#: images whose WORKDIR is not / (a bare `ls` lists that directory)
WORKDIRS = {"redis": "/data", "httpd": "/usr/local/apache2", "voting-app": "/app", "result-app": "/app",
            "worker": "/code"}

_ROOT_COMMON = ["bin", "dev", "etc", "home", "lib"]


def root_listing(os_name: str | None, repository: str = "") -> list[str]:
    """What `ls /` shows in the image (non-terminal output: one name a line)."""
    if os_name is None:                         # busybox
        return _ROOT_COMMON + ["lib64", "proc", "root", "sys", "tmp", "usr", "var"]
    if os_name.startswith("Alpine"):
        return _ROOT_COMMON + ["media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp",
                               "usr", "var"]
    if os_name.startswith("Ubuntu"):
        return ["bin", "bin.usr-is-merged", "boot", "dev", "etc", "home", "lib", "lib.usr-is-merged",
                "lib64", "media", "mnt", "opt", "proc", "root", "run", "sbin", "sbin.usr-is-merged", "srv",
                "sys", "tmp", "usr", "var"]
    names = ["bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root",
             "run", "sbin", "srv", "sys", "tmp", "usr", "var"]
    if repository == "nginx":
        names += ["docker-entrypoint.d", "docker-entrypoint.sh"]
    return sorted(names)


PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def image_info(repository: str) -> tuple[set[str], str, str | None]:
    for prefix in ("docker.io/library/", "docker.io/", "library/"):
        if repository.startswith(prefix):
            repository = repository[len(prefix):]
    return IMAGES.get(repository, (DEBIAN, "dash", "Debian GNU/Linux 12 (bookworm)"))


def exec_command(argv: list[str], sandbox: Sandbox, repository: str, tty: bool = False) -> ExecResult:
    """Run `argv` as `docker exec` / `kubectl exec` would inside a container of `repository`."""
    if not argv:
        raise ExecutableNotFound("")
    tools, shell, _ = image_info(repository)
    name = argv[0].rsplit("/", 1)[-1]
    if name not in tools:
        raise ExecutableNotFound(argv[0])
    return _Runner(sandbox, repository, tty).run(argv)


@dataclass
class ScriptResult:
    lines: list[str] = field(default_factory=list)
    exit_code: int = 0
    seconds: float | None = 0.0


SHELLS = ("sh", "ash", "dash", "bash")


def simple_script(argv: list[str], repository: str, sandbox: Sandbox | None = None) -> ScriptResult:
    """What a plain command does as a container's main process (the CommandProcess fallback).

    A shell with no script and no terminal (`docker run ubuntu`: /bin/bash) reads EOF on its
    stdin and exits 0 at once. Other commands run as `docker exec` runs them, in `sandbox`.
    """
    if not argv:
        return ScriptResult([], 0, 0.0)
    tools, shell, _ = image_info(repository)
    first = argv[0].rsplit("/", 1)[-1]
    bash = first == "bash"
    if first in SHELLS:
        if len(argv) >= 3 and argv[1] == "-c":
            parts = [p.strip() for p in argv[2].replace("&&", ";").split(";") if p.strip()]
        else:
            return ScriptResult([], 0, 0.0)
        words_of = shlex.split
    else:
        parts = [argv]
        words_of = list
    res = ScriptResult()
    total = 0.0
    runner = None
    for part in parts:
        words = words_of(part)
        if not words:
            continue
        w = words[0].rsplit("/", 1)[-1]
        if w == "sleep":
            if words[1:2] == ["infinity"]:
                res.seconds = None
                return res
            try:
                total += float(words[1]) if len(words) > 1 else 0
            except ValueError:
                res.lines.append(f"sleep: invalid number '{words[1]}'")
                res.exit_code = 1
                break
        elif w == "exit":
            res.exit_code = int(words[1]) if len(words) > 1 else 0
            break
        elif w == ":":
            res.exit_code = 0
        elif w in SHELLS and len(words) == 1:
            res.exit_code = 0
        elif w in tools:
            if runner is None:
                runner = _Runner(sandbox or Sandbox(hostname="", ip=""), repository, tty=False)
            r = runner.run(words)
            res.lines.extend((r.stdout + r.stderr).splitlines())
            res.exit_code = r.exit_code
            if r.exit_code != 0:
                break
        else:
            if bash:
                res.lines.append(f"bash: line 1: {words[0]}: command not found")
            else:
                res.lines.append(f"sh: {words[0]}: not found" if shell == "busybox"
                                 else f"sh: 1: {words[0]}: not found")
            res.exit_code = 127
            break
    res.seconds = total
    return res


class _Runner:
    def __init__(self, sandbox: Sandbox, repository: str, tty: bool):
        self.sb = sandbox
        self.repo = repository
        self.tty = tty
        self.tools, self.shell, self.os_name = image_info(repository)

    def run(self, argv: list[str]) -> ExecResult:
        name = argv[0].rsplit("/", 1)[-1]
        fn = getattr(self, "cmd_" + name.replace("-", "_"), None)
        if fn is None:
            return ExecResult(0)
        return fn(argv[1:])

    # shells ---------------------------------------------------------------------------------
    def cmd_sh(self, args):
        if len(args) >= 2 and args[0] == "-c":
            return self.script(args[1])
        return ExecResult(0)

    cmd_ash = cmd_dash = cmd_sh

    def cmd_bash(self, args):
        if len(args) >= 2 and args[0] == "-c":
            return self.script(args[1], bash=True)
        return ExecResult(0)

    def script(self, text: str, bash: bool = False) -> ExecResult:
        out = ExecResult(0)
        env = self.environ()
        for chunk in text.split(";"):
            pieces = chunk.split("&&")
            for piece in pieces:
                piece = piece.strip()
                if not piece:
                    continue
                for k in sorted(env, key=len, reverse=True):
                    piece = piece.replace("${" + k + "}", env[k]).replace("$" + k, env[k])
                try:
                    words = shlex.split(piece)
                except ValueError:
                    words = piece.split()
                name = words[0].rsplit("/", 1)[-1]
                if name in ("exit",):
                    out.exit_code = int(words[1]) if len(words) > 1 else 0
                    return out
                if name not in self.tools:
                    if bash:
                        msg = f"bash: line 1: {words[0]}: command not found\n"
                    elif self.shell == "busybox":
                        msg = f"sh: {words[0]}: not found\n"
                    else:
                        msg = f"sh: 1: {words[0]}: not found\n"
                    r = ExecResult(127, "", msg)
                else:
                    r = self.run(words)
                out.stdout += r.stdout
                out.stderr += r.stderr
                out.exit_code = r.exit_code
                if r.exit_code != 0:
                    break
        return out

    # small commands -----------------------------------------------------------------------
    def environ(self) -> dict[str, str]:
        env = {"PATH": PATH, "HOSTNAME": self.sb.hostname}
        env.update(self.sb.env)
        env["HOME"] = "/root"
        return env

    def cmd_env(self, args):
        return ExecResult(0, "".join(f"{k}={v}\n" for k, v in self.environ().items()))

    def cmd_printenv(self, args):
        env = self.environ()
        if not args:
            return self.cmd_env(args)
        vals = [env[a] for a in args if a in env]
        return ExecResult(0 if len(vals) == len(args) else 1, "".join(v + "\n" for v in vals))

    def cmd_hostname(self, args):
        if args and args[0] == "-i":
            return ExecResult(0, self.sb.ip + ("\n" if self.shell == "busybox" else " \n"))
        return ExecResult(0, self.sb.hostname + "\n")

    def cmd_echo(self, args):
        return ExecResult(0, " ".join(args) + "\n")

    def cmd_true(self, args):
        return ExecResult(0)

    def cmd_false(self, args):
        return ExecResult(1)

    def cmd_sleep(self, args):
        return ExecResult(0)

    def cmd_uname(self, args):
        kernel = self.sb.kernel or "5.15.0-126-generic"
        if args and args[0] == "-r":
            return ExecResult(0, kernel + "\n")
        if args and args[0] == "-a":
            # the kernel's version string, the machine, then the OS name: coreutils also prints the
            # processor and hardware platform (x86_64 x86_64); Alpine's busybox calls the OS "Linux"
            version = "#136-Ubuntu SMP Wed Nov 6 10:38:22 UTC 2024"
            if self.shell != "busybox":
                tail = "x86_64 x86_64 x86_64 GNU/Linux"
            elif self.os_name and self.os_name.startswith("Alpine"):
                tail = "x86_64 Linux"
            else:
                tail = "x86_64 GNU/Linux"
            return ExecResult(0, f"Linux {self.sb.hostname} {kernel} {version} {tail}\n")
        return ExecResult(0, "Linux\n")

    def cmd_id(self, args):
        groups = "0(root)"
        if self.os_name is None:                       # busybox's /etc/group
            groups = "0(root),10(wheel)"
        elif self.os_name.startswith("Alpine"):
            groups = ("0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),"
                      "20(dialout),26(tape),27(video)")
        if args and args[0] == "-u":
            return ExecResult(0, "0\n")
        return ExecResult(0, f"uid=0(root) gid=0(root) groups={groups}\n")

    def cmd_whoami(self, args):
        return ExecResult(0, "root\n")

    def cmd_date(self, args):
        clock = self.sb.clock
        if clock is None:
            from k8scourse.sim.clock import Clock

            clock = Clock()
        dt = clock.datetime()
        # `date` in the C locale: %a %b %e %H:%M:%S %Z %Y (coreutils and busybox alike)
        return ExecResult(0, dt.strftime("%a %b ") + f"{dt.day:>2}" + dt.strftime(" %H:%M:%S UTC %Y") + "\n")

    def cmd_ls(self, args):
        paths = [a for a in args if not a.startswith("-")]
        if paths and paths != ["/"]:
            files = self.sb.files
            out, err, code = "", "", 0
            for p in paths:
                if p in files:
                    out += p + "\n"
                elif not any(f.startswith(p.rstrip("/") + "/") for f in files):
                    code = 2 if self.shell != "busybox" else 1
                    err += (f"ls: {p}: No such file or directory\n" if self.shell == "busybox"
                            else f"ls: cannot access '{p}': No such file or directory\n")
                else:
                    out += "".join(f.rsplit("/", 1)[-1] + "\n" for f in sorted(files)
                                   if f.rsplit("/", 1)[0] == p.rstrip("/"))
            return ExecResult(code, out, err)
        if not paths and WORKDIRS.get(self.repo, "/") != "/":
            return ExecResult(0)                    # an image whose WORKDIR is not / (redis: /data)
        return ExecResult(0, "".join(name + "\n" for name in root_listing(self.os_name, self.repo)))

    def cmd_ps(self, args):
        main = " ".join(self.sb.command) or "sh"
        return ExecResult(0, "PID   USER     TIME  COMMAND\n"
                             f"    1 root      0:00 {main}\n"
                             f"    7 root      0:00 ps {' '.join(args)}".rstrip() + "\n")

    def cmd_cat(self, args):
        out, err, code = [], [], 0
        files = dict(self.sb.files)
        files.setdefault("/etc/hostname", self.sb.hostname + "\n")
        if self.os_name:
            files.setdefault("/etc/os-release", f'PRETTY_NAME="{self.os_name}"\n')
        for path in args:
            if path in files:
                out.append(files[path])
            else:
                code = 1
                err.append(f"cat: can't open '{path}': No such file or directory\n" if self.shell == "busybox"
                           else f"cat: {path}: No such file or directory\n")
        return ExecResult(code, "".join(out), "".join(err))

    # DNS -------------------------------------------------------------------------------------
    def _dns(self, name: str):
        """Query DNS as a resolver with the search list would; (answer, names tried)."""
        conf = self.sb.resolv_conf()
        net = self.sb.net
        candidates = []
        if name.endswith("."):
            candidates = [name[:-1]]
        else:
            rel = [f"{name}.{d}" for d in conf["search"]]
            candidates = ([name] + rel) if name.count(".") >= conf["ndots"] else (rel + [name])
        for c in candidates:
            ans = net.lookup(c)
            if ans is not None:
                return ans, candidates
        return None, candidates

    def cmd_nslookup(self, args):
        if not args:
            return ExecResult(1, "", "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
                                     "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n")
        name = args[0]
        server = self.sb.resolv_conf()["nameserver"] or "127.0.0.11"
        head = f"Server:\t\t{server}\nAddress:\t{server}:53\n\n"
        if is_ip(name):
            return ExecResult(1, head + f"** server can't find {'.'.join(reversed(name.split('.')))}"
                                        f".in-addr.arpa: NXDOMAIN\n\n")
        ans, tried = self._dns(name)
        if ans is None:
            shown = tried[-1] if tried else name
            return ExecResult(1, head + f"** server can't find {shown}: NXDOMAIN\n\n"
                                        f"** server can't find {shown}: NXDOMAIN\n\n")
        body = "" if ans.authoritative else "Non-authoritative answer:\n"
        for ip in ans.ips:
            body += f"Name:\t{ans.name}\nAddress: {ip}\n"
        return ExecResult(0, head + body + "\n")

    def _resolve(self, host: str) -> str | None:
        return host if is_ip(host) else self.sb.net.resolve(host)

    # ping -----------------------------------------------------------------------------------
    def cmd_ping(self, args):
        count, host, i = 4, None, 0
        while i < len(args):
            if args[i] == "-c" and i + 1 < len(args):
                count = int(args[i + 1]); i += 2
            elif args[i].startswith("-c") and args[i][2:].isdigit():
                count = int(args[i][2:]); i += 1
            elif args[i] in ("-W", "-w", "-i", "-s") and i + 1 < len(args):
                i += 2
            else:
                host = args[i]; i += 1
        if host is None:
            return ExecResult(1, "", "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
                                     "Usage: ping [OPTIONS] HOST\n")
        ip = self._resolve(host)
        if ip is None:
            return ExecResult(1, "", f"ping: bad address '{host}'\n")
        out = f"PING {host} ({ip}): 56 data bytes\n"
        answered = self.sb.net.ping(ip)
        times = []
        if answered:
            for seq in range(count):
                t = round(0.06 + 0.011 * ((seq * 7 + sum(map(int, ip.split(".")))) % 5), 3)
                times.append(t)
                out += f"64 bytes from {ip}: seq={seq} ttl=64 time={t:.3f} ms\n"
        out += f"\n--- {host} ping statistics ---\n"
        got = len(times)
        loss = 100 - (100 * got // count if count else 0)
        out += f"{count} packets transmitted, {got} packets received, {loss}% packet loss\n"
        if times:
            out += (f"round-trip min/avg/max = {min(times):.3f}/{sum(times) / len(times):.3f}/"
                    f"{max(times):.3f} ms\n")
        return ExecResult(0 if got else 1, out)

    # HTTP clients ----------------------------------------------------------------------------
    def cmd_wget(self, args):
        quiet, target, url, spider, i = False, None, None, False, 0
        while i < len(args):
            a = args[i]
            if a in ("-q", "--quiet"):
                quiet = True
            elif a.startswith("-qO"):
                quiet, target = True, a[3:] or (args[i + 1] if i + 1 < len(args) else "-")
                if not a[3:]:
                    i += 1
            elif a == "-O" and i + 1 < len(args):
                target = args[i + 1]; i += 1
            elif a.startswith("-O"):
                target = a[2:]
            elif a == "--spider":
                spider = True
            elif a in ("-T", "--timeout") and i + 1 < len(args):
                i += 1
            elif not a.startswith("-"):
                url = a
            i += 1
        if url is None:
            return ExecResult(1, "", "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
                                     "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
                                     "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
                                     "\t[-P DIR] [-U AGENT] [-T SEC] URL...\n")
        _, host, port, path = split_url(url)
        err = ""
        ip = self._resolve(host)
        if ip is None:
            return ExecResult(1, "", f"wget: bad address '{host}'\n")
        if not quiet:
            err += f"Connecting to {host}{'' if port == 80 else ':' + str(port)} ({ip}:{port})\n"
        try:
            resp = http_request(self.sb.net, "HEAD" if spider else "GET", url, user_agent="Wget")
        except Timeout:
            return ExecResult(1, "", err + "wget: download timed out\n")
        except (ConnectionRefused, HostUnreachable) as e:
            reason = "Connection refused" if isinstance(e, ConnectionRefused) else "No route to host"
            return ExecResult(1, "", err + f"wget: can't connect to remote host ({ip}): {reason}\n")
        except ProtocolMismatch:
            return ExecResult(1, "", err + "wget: error getting response: Connection reset by peer\n")
        except NetError as e:
            return ExecResult(1, "", err + f"wget: {e}\n")
        if resp.status >= 400:
            return ExecResult(1, "", err + f"wget: server returned error: HTTP/1.1 {resp.status} {resp.reason}\n")
        if spider:
            return ExecResult(0, "", err + ("remote file exists\n" if not quiet else ""))
        size = len(resp.body.encode())
        if target == "-":
            if not quiet:
                err += "writing to stdout\n"
                tail = f"-                    100% |********************************| {size:>5}  0:00:00 ETA\n"
                tail += "written to stdout\n"
                return ExecResult(0, resp.body, err + tail)
            return ExecResult(0, resp.body, err)
        fname = target or (path.split("?")[0].rsplit("/", 1)[-1] or "index.html")
        self.sb.files[fname if fname.startswith("/") else "/" + fname] = resp.body
        if quiet:
            return ExecResult(0)
        err += f"saving to '{fname}'\n"
        err += f"{fname:<20} 100% |********************************| {size:>5}  0:00:00 ETA\n"
        err += f"'{fname}' saved\n"
        return ExecResult(0, "", err)

    def cmd_curl(self, args):
        silent = show_err = include = head = fail = False
        method, data, out_file, url = None, None, None, None
        i = 0
        while i < len(args):
            a = args[i]
            if a.startswith("-") and not a.startswith("--") and len(a) > 2 and all(c in "sSiIfLvk" for c in a[1:]):
                flags = a[1:]
            elif a in ("-s", "--silent", "-S", "--show-error", "-i", "--include", "-I", "--head",
                       "-f", "--fail", "-L", "--location", "-v", "-k"):
                flags = {"--silent": "s", "--show-error": "S", "--include": "i", "--head": "I",
                         "--fail": "f", "--location": "L"}.get(a, a[1:])
            else:
                flags = ""
                if a in ("-X", "--request") and i + 1 < len(args):
                    method = args[i + 1]; i += 1
                elif a in ("-d", "--data") and i + 1 < len(args):
                    data = args[i + 1]; i += 1
                elif a in ("-o", "--output") and i + 1 < len(args):
                    out_file = args[i + 1]; i += 1
                elif a in ("-H", "--header", "-m", "--max-time", "--connect-timeout", "-A") and i + 1 < len(args):
                    i += 1
                elif not a.startswith("-"):
                    url = a
            silent |= "s" in flags
            show_err |= "S" in flags
            include |= "i" in flags
            head |= "I" in flags
            fail |= "f" in flags
            i += 1
        if url is None:
            return ExecResult(2, "", "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' "
                                     "for more information\n")
        meter = not silent and not self.tty
        head_lines = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
                      "                                 Dload  Upload   Total   Spent    Left  Speed\n")
        zero = "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n"

        def failed(code: int, msg: str) -> ExecResult:
            err = (head_lines + zero) if meter else ""
            if not silent or show_err:
                err += f"curl: ({code}) {msg}\n"
            return ExecResult(code, "", err)

        _, host, port, path = split_url(url)
        ip = self._resolve(host)
        if ip is None:
            return failed(6, f"Could not resolve host: {host}")
        form = None
        if data is not None:
            from k8scourse.apps.net import parse_form

            form = parse_form(data)
            method = method or "POST"
        try:
            resp = http_request(self.sb.net, "HEAD" if head else (method or "GET"), url, form=form)
        except (ConnectionRefused, HostUnreachable):
            return failed(7, f"Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server")
        except Timeout:
            return failed(28, f"Failed to connect to {host} port {port} after 134188 ms: "
                              "Couldn't connect to server")
        except ProtocolMismatch:
            return failed(1, "Received HTTP/0.9 when not allowed")
        except NetError as e:
            return failed(7, str(e))
        if fail and resp.status >= 400:
            return failed(22, f"The requested URL returned error: {resp.status}")
        body = resp.body
        size = len(body.encode())
        out = ""
        if include or head:
            out += resp.head().replace("\n", "\r\n")
        if not head:
            out += body
        err = ""
        if meter:
            err = head_lines + (f"100 {size:>5}  100 {size:>5}    0     0   {_rate(size)}      0 "
                                f"--:--:-- --:--:-- --:--:--  {_rate(size)}\n")
        if out_file:
            self.sb.files[out_file if out_file.startswith("/") else "/" + out_file] = out
            out = ""
        return ExecResult(0, out, err)

    # database clients --------------------------------------------------------------------------
    def cmd_redis_cli(self, args):
        from k8scourse.apps.redis import format_reply

        host, port, raw, cmd, i = "127.0.0.1", 6379, False, [], 0
        while i < len(args):
            a = args[i]
            if a == "-h" and i + 1 < len(args) and not cmd:
                host = args[i + 1]; i += 2; continue
            if a == "-p" and i + 1 < len(args) and not cmd:
                port = int(args[i + 1]); i += 2; continue
            if a == "--raw" and not cmd:
                raw = True; i += 1; continue
            cmd.append(a)
            i += 1
        try:
            conn = open_connection(self.sb.net, host, port)
        except NameNotResolved:
            return ExecResult(1, "", f"Could not connect to Redis at {host}:{port}: Name or service not known\n")
        except Timeout:
            return ExecResult(1, "", f"Could not connect to Redis at {host}:{port}: Connection timed out\n")
        except HostUnreachable:
            return ExecResult(1, "", f"Could not connect to Redis at {host}:{port}: No route to host\n")
        except NetError:
            return ExecResult(1, "", f"Could not connect to Redis at {host}:{port}: Connection refused\n")
        if not cmd:
            return ExecResult(0)
        try:
            reply = conn.request("redis", cmd)
        except ProtocolMismatch:
            return ExecResult(1, "", "Error: Server closed the connection\n")
        return ExecResult(0, format_reply(reply, tty=self.tty and not raw))

    def cmd_psql(self, args):
        from k8scourse.apps.postgres import format_error, format_result

        env = self.environ()
        host, port = env.get("PGHOST"), 5432
        user = env.get("PGUSER") or env.get("POSTGRES_USER") or "postgres"
        db, sql, i = None, None, 0
        password = env.get("PGPASSWORD")
        while i < len(args):
            a = args[i]
            nxt = args[i + 1] if i + 1 < len(args) else None
            if a == "-h" and nxt:
                host = nxt; i += 2
            elif a == "-p" and nxt:
                port = int(nxt); i += 2
            elif a == "-U" and nxt:
                user = nxt; i += 2
            elif a == "-d" and nxt:
                db = nxt; i += 2
            elif a == "-c" and nxt:
                sql = nxt; i += 2
            elif a.startswith("postgres://") or a.startswith("postgresql://"):
                from urllib.parse import urlsplit

                u = urlsplit(a)
                host, port = u.hostname, u.port or 5432
                user, password = u.username or user, u.password or password
                db = u.path.lstrip("/") or db
                i += 1
            elif not a.startswith("-") and db is None:
                db = a; i += 1
            else:
                i += 1
        db = db or user
        local = host is None
        target = "127.0.0.1" if local else host
        where = ('connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed' if local else None)
        try:
            conn = open_connection(self.sb.net, target, port)
            ip = conn.ip
            if local:
                # the image trusts local (unix socket) connections
                from k8scourse.apps.net import PgQuery

                server = conn.server
                results = None
                if hasattr(server, "databases"):
                    if db not in server.databases:
                        raise PgError("FATAL", f'database "{db}" does not exist')
                    if sql is None:
                        return ExecResult(0)
                    results = server.databases[db].execute(sql)
            else:
                if sql is None:
                    return ExecResult(0)
                from k8scourse.apps.net import PgQuery

                results = conn.request("postgres", PgQuery(user, password, db, sql))
        except NameNotResolved:
            return ExecResult(2, "", f'psql: error: could not translate host name "{host}" to address: '
                                     "Name or service not known\n")
        except (ConnectionRefused, HostUnreachable, Timeout, ProtocolMismatch) as e:
            if local:
                return ExecResult(2, "", f"psql: error: {where}: No such file or directory\n"
                                         "\tIs the server running locally and accepting connections on that socket?\n")
            ip = self._resolve(host) or host
            reason = {"ConnectionRefused": "Connection refused", "Timeout": "Connection timed out",
                      "HostUnreachable": "No route to host"}.get(type(e).__name__, "Connection refused")
            return ExecResult(2, "", f'psql: error: connection to server at "{host}" ({ip}), port {port} '
                                     f"failed: {reason}\n\tIs the server running on that host and accepting "
                                     "TCP/IP connections?\n")
        except PgError as e:
            if e.severity == "FATAL" or "fe_sendauth" in e.message:
                place = where if local else f'connection to server at "{host}" ({ip}), port {port} failed'
                text = e.message if e.message.startswith("fe_sendauth") else f"FATAL:  {e.message}"
                return ExecResult(2, "", f"psql: error: {place}: {text}\n")
            return ExecResult(1, "", format_error(e))
        return ExecResult(0, "".join(format_result(r) for r in results))


def _rate(size: int) -> str:
    """curl's speed column for a transfer of `size` bytes in ~1 ms."""
    kb = size * 1000 // 1024
    if kb >= 1000:
        return f"{kb / 1024:.1f}M".rjust(5)
    return f"{kb}k".rjust(5)


__all__ = ["ExecResult", "ExecutableNotFound", "IMAGES", "exec_command", "image_info", "simple_script"]

