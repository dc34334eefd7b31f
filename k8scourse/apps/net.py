"""The network an application sees, and the few client calls the course's images make over it.

A running app never reaches another app directly: it asks its `Network` to resolve a name and to
connect to an ip:port, exactly as a process asks its container's resolver and kernel. Two worlds
implement `Network`:

* the docker engine (k8scourse.docker.network): the default bridge with `--link` entries in
  /etc/hosts, user-defined networks with the embedded DNS server at 127.0.0.11, and the ports
  published on the host;
* the Kubernetes cluster (pod IPs, Services through kube-proxy, CoreDNS), written elsewhere.

Each only has to answer four questions:

    resolve(name) -> ip | None     what getaddrinfo() gives the app (/etc/hosts first, then DNS)
    lookup(name)  -> DnsAnswer | None   what a DNS query gives (nslookup: no /etc/hosts)
    connect(ip, port) -> Endpoint  a TCP connection, or ConnectionRefused / HostUnreachable / Timeout
    ping(ip) -> bool               whether an ICMP echo gets a reply (a Service's ClusterIP never answers)

Everything else here (HTTP, the redis protocol, postgres queries) is built on those four, so a new
network gets every client for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit


# errors -------------------------------------------------------------------------------------------
class NetError(Exception):
    """A network operation failed the way a socket call fails."""


class NameNotResolved(NetError):
    """getaddrinfo() found no address (EAI_NONAME: "Name or service not known")."""

    def __init__(self, host: str):
        super().__init__(f"{host}: Name or service not known")
        self.host = host


class ConnectionRefused(NetError):
    """The host answered with a TCP RST: nothing listens on that port (ECONNREFUSED)."""

    def __init__(self, ip: str, port: int):
        super().__init__(f"{ip}:{port}: Connection refused")
        self.ip, self.port = ip, port


class HostUnreachable(NetError):
    """No route to the host (EHOSTUNREACH): the address belongs to nothing on this network."""

    def __init__(self, ip: str, port: int = 0):
        super().__init__(f"{ip}: No route to host")
        self.ip, self.port = ip, port


class Timeout(NetError):
    """The SYN was never answered (ETIMEDOUT): e.g. a Service with no endpoints, or a dropped packet."""

    def __init__(self, ip: str, port: int):
        super().__init__(f"{ip}:{port}: Connection timed out")
        self.ip, self.port = ip, port


class ProtocolMismatch(NetError):
    """The server on that port speaks another protocol (HTTP sent to redis, ...)."""

    def __init__(self, expected: str, spoken: str):
        super().__init__(f"server speaks {spoken}, not {expected}")
        self.expected, self.spoken = expected, spoken


# the protocol ----------------------------------------------------------------------------------------
@dataclass
class DnsAnswer:
    """One DNS answer: the name that matched (after the search list) and its addresses."""

    name: str
    ips: list[str]
    #: CoreDNS answers its own zone authoritatively; docker's embedded DNS does not set the AA bit
    authoritative: bool = True
    #: the DNS server that answered (what nslookup prints as Server:)
    server: str = ""


class Listener(Protocol):
    """An application that accepts connections (an app instance from k8scourse.apps)."""

    #: the protocol spoken on its ports: "http", "redis" or "postgres"
    protocol: str

    def serve(self, protocol: str, request: Any, conn: "Endpoint") -> Any: ...


@dataclass
class Endpoint:
    """An established TCP connection to `server` listening on ip:port, opened by `client_ip`."""

    server: Any
    ip: str
    port: int
    client_ip: str = ""
    #: the name the client used (HTTP Host header), when it used one
    host: str = ""

    def request(self, protocol: str, payload: Any) -> Any:
        """Send one request in `protocol` and return the server's reply."""
        spoken = getattr(self.server, "protocol", "")
        if spoken != protocol:
            raise ProtocolMismatch(protocol, spoken)
        return self.server.serve(protocol, payload, self)


class Network(Protocol):
    """The network as one container (or pod) sees it."""

    def resolve(self, name: str) -> str | None: ...

    def lookup(self, name: str) -> DnsAnswer | None: ...

    def connect(self, ip: str, port: int) -> Endpoint: ...

    def ping(self, ip: str) -> bool: ...


class Isolated:
    """A network with nothing on it: the fallback when a runtime gives an app no network."""

    def resolve(self, name: str) -> str | None:
        return "127.0.0.1" if name == "localhost" else None

    def lookup(self, name: str) -> DnsAnswer | None:
        return None

    def connect(self, ip: str, port: int) -> Endpoint:
        raise ConnectionRefused(ip, port)

    def ping(self, ip: str) -> bool:
        return ip.startswith("127.")


@dataclass
class Sandbox:
    """What a process sees of its machine: hostname, environment, a few /etc files, the network.

    In Kubernetes terms this is the pod sandbox (its network namespace, hostname, /etc/hosts and
    /etc/resolv.conf); in docker terms the container's own namespaces.
    """

    hostname: str
    ip: str
    net: Any = field(default_factory=Isolated)
    env: dict[str, str] = field(default_factory=dict)
    #: file path -> content, e.g. "/etc/hosts", "/etc/resolv.conf", "/etc/hostname"
    files: dict[str, str] = field(default_factory=dict)
    #: the kernel release `uname -r` prints: the host's, since containers share its kernel
    kernel: str = ""
    #: the simulated clock `date` reads (None: the epoch of k8scourse.sim.clock)
    clock: Any = None
    #: the container's main process (PID 1), as `ps` lists it
    command: "list[str] | tuple[str, ...]" = ()

    def resolv_conf(self) -> dict[str, Any]:
        """The parsed /etc/resolv.conf: nameserver, search list, ndots."""
        conf: dict[str, Any] = {"nameserver": "", "search": [], "ndots": 1}
        for line in self.files.get("/etc/resolv.conf", "").splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            if parts[0] == "nameserver" and not conf["nameserver"] and len(parts) > 1:
                conf["nameserver"] = parts[1]
            elif parts[0] == "search":
                conf["search"] = parts[1:]
            elif parts[0] == "options":
                for opt in parts[1:]:
                    if opt.startswith("ndots:"):
                        conf["ndots"] = int(opt[6:])
        return conf


def hosts_lookup(hosts_file: str, name: str) -> str | None:
    """The address /etc/hosts gives `name` (first match wins, as glibc reads it)."""
    for line in hosts_file.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and name in parts[1:]:
            return parts[0]
    return None


# HTTP -------------------------------------------------------------------------------------------------
REASONS = {200: "OK", 201: "Created", 301: "Moved Permanently", 302: "FOUND", 304: "Not Modified",
           400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    query: str = ""

    @property
    def user_agent(self) -> str:
        return self.headers.get("User-Agent", "-")


@dataclass
class HttpResponse:
    """An HTTP response, plus who served it (the page itself stays the real one)."""

    status: int
    headers: list[tuple[str, str]]
    body: str
    #: hostname of the container or pod that served the request (response metadata, not page text)
    served_by: str = ""
    server_ip: str = ""

    @property
    def reason(self) -> str:
        return REASONS.get(self.status, "")

    @property
    def status_line(self) -> str:
        return f"HTTP/1.1 {self.status} {self.reason}"

    def header(self, name: str) -> str | None:
        low = name.lower()
        for k, v in self.headers:
            if k.lower() == low:
                return v
        return None

    def head(self) -> str:
        """The status line and headers as `curl -i` prints them (CRLF line ends shown as \\n)."""
        return "\n".join([self.status_line] + [f"{k}: {v}" for k, v in self.headers]) + "\n\n"


def split_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path?query) of an URL; a bare `host` or `host:port` means http."""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    scheme = parts.scheme or "http"
    port = parts.port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname or "", port, path


def open_connection(net: Any, host: str, port: int, client_ip: str = "") -> Endpoint:
    """resolve + connect, as a client library does; raises NameNotResolved or a connect error."""
    ip = host if _is_ip(host) else net.resolve(host)
    if ip is None:
        raise NameNotResolved(host)
    conn = net.connect(ip, port)
    if client_ip and not conn.client_ip:
        conn.client_ip = client_ip
    conn.host = host
    return conn


def http_request(net: Any, method: str, url: str, form: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None,
                 user_agent: str = "curl/8.5.0") -> HttpResponse:
    """One HTTP/1.1 request over `net`; raises NetError when the connection cannot be made."""
    _, host, port, path = split_url(url)
    conn = open_connection(net, host, port)
    hdrs = {"Host": host if port == 80 else f"{host}:{port}", "User-Agent": user_agent,
            "Accept": "*/*"}
    hdrs.update(headers or {})
    path_only, _, query = path.partition("?")
    req = HttpRequest(method.upper(), path, hdrs, dict(form or {}), dict(cookies or {}), query)
    if form:
        hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        hdrs["Content-Length"] = str(len(urlencode(form)))
    return conn.request("http", req)


def http_get(net: Any, url: str, **kw) -> HttpResponse:
    return http_request(net, "GET", url, **kw)


def http_post(net: Any, url: str, form: dict[str, str], **kw) -> HttpResponse:
    return http_request(net, "POST", url, form=form, **kw)


def parse_form(body: str) -> dict[str, str]:
    """`vote=a&x=1` -> {"vote": "a", "x": "1"}."""
    return dict(parse_qsl(body, keep_blank_values=True))


# redis --------------------------------------------------------------------------------------------------
class RedisError(Exception):
    """An error reply (`-ERR ...`, `-WRONGTYPE ...`): the text after the minus sign."""


def redis_command(net: Any, host: str, port: int, *args: str) -> Any:
    """Send one command; returns str | int | None | list | RedisError (an error reply)."""
    conn = open_connection(net, host, port)
    return conn.request("redis", [str(a) for a in args])


# postgres ------------------------------------------------------------------------------------------------
class PgError(Exception):
    """An ErrorResponse from the server: severity (FATAL/ERROR) and message."""

    def __init__(self, severity: str, message: str, code: str = ""):
        super().__init__(f"{severity}:  {message}")
        self.severity, self.message, self.code = severity, message, code


@dataclass
class PgQuery:
    user: str
    password: str | None
    database: str
    sql: str


@dataclass
class SqlResult:
    """What one statement returned: a command tag (`INSERT 0 1`) and, for SELECT, columns and rows."""

    tag: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    #: a NOTICE the server sent with it (`relation "votes" already exists, skipping`)
    notice: str = ""


def sql_query(net: Any, host: str, port: int, user: str, password: str | None, database: str,
              sql: str) -> list[SqlResult]:
    """Run `sql` (one or more statements) as `user`; raises PgError or NetError."""
    conn = open_connection(net, host, port)
    return conn.request("postgres", PgQuery(user, password, database, sql))


def _is_ip(s: str) -> bool:
    parts = s.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


is_ip = _is_ip
