"""nginx and httpd: static web servers that serve their real welcome pages and log every request.

The page is byte for byte the one the image ships; which container or pod answered is carried in
the response's `served_by` (the server's hostname), never written into the page.
"""

from __future__ import annotations

import functools
import math
from datetime import timedelta
from types import MappingProxyType

from k8scourse.apps.base import App
from k8scourse.apps.net import HttpRequest, HttpResponse

#: /usr/share/nginx/html/index.html of the official image (615 bytes)
NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

#: the nginx version each tag runs ("latest" and "1.27" are the 2024 mainline)
NGINX_VERSIONS = {"latest": "1.27.3", "1.27": "1.27.3", "1.27.3": "1.27.3", "mainline": "1.27.3",
                  "stable": "1.26.2", "1.26": "1.26.2", "1.25": "1.25.5", "1.24": "1.24.0",
                  "alpine": "1.27.3", "1.21": "1.21.6", "1.19": "1.19.10", "1.18": "1.18.0",
                  "1.17": "1.17.10", "1.16": "1.16.1", "1.14": "1.14.2"}

#: index.html's mtime in the image (Last-Modified / ETag come from it)
INDEX_MTIME = 1732636500  # Tue, 26 Nov 2024 15:55:00 GMT

#: the start-up lines of the official image's /docker-entrypoint.sh (1.25+)
ENTRYPOINT_LINES = [
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
]

_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def http_date(dt) -> str:
    """RFC 7231 date: `Wed, 01 Jan 2025 00:00:05 GMT`."""
    return (f"{_DAYS[dt.weekday()]}, {dt.day:02d} {_MONTHS[dt.month - 1]} {dt.year} "
            f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} GMT")


def clf_time(dt) -> str:
    """Common log format time: `01/Jan/2025:00:00:05 +0000`."""
    return (f"{dt.day:02d}/{_MONTHS[dt.month - 1]}/{dt.year}:{dt.hour:02d}:{dt.minute:02d}:"
            f"{dt.second:02d} +0000")


def error_log_time(dt) -> str:
    """nginx's error-log time: `2025/01/01 00:00:05`."""
    return dt.strftime("%Y/%m/%d %H:%M:%S")


def _error_log_now(clock) -> str:
    """error_log_time of the clock's current second (one strftime per second, not per start)."""
    return _error_log_second(clock.epoch, math.floor(clock.now))


@functools.lru_cache(maxsize=256)
def _error_log_second(epoch, second: int) -> str:
    return error_log_time(epoch + timedelta(seconds=second))


@functools.lru_cache(maxsize=64)
def _startup_lines(t: str, version: str, kernel: str, cpus: int) -> tuple[str, ...]:
    """What the image's entrypoint and nginx print on start at error-log time `t` (the same for
    every container started in that second)."""
    return tuple(ENTRYPOINT_LINES) + (
        f'{t} [notice] 1#1: using the "epoll" event method',
        f"{t} [notice] 1#1: nginx/{version}",
        f"{t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
        f"{t} [notice] 1#1: OS: Linux {kernel}",
        f"{t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        f"{t} [notice] 1#1: start worker processes",
    ) + tuple(f"{t} [notice] 1#1: start worker process {29 + i}" for i in range(cpus))


#: what the image's default server serves, by path
_PAGES = MappingProxyType({"/": NGINX_INDEX, "/index.html": NGINX_INDEX})


class Nginx(App):
    """nginx: the welcome page on /, 404 elsewhere, access log in the image's `main` format."""

    repositories = ("nginx",)
    default_command = ["nginx", "-g", "daemon off;"]
    ports = (80,)
    stop_seconds = 0.1   # STOPSIGNAL SIGQUIT: a graceful shutdown, exit 0

    def __init__(self, ctx):
        super().__init__(ctx)
        tag = getattr(ctx, "tag", "latest") or "latest"
        self.version = NGINX_VERSIONS.get(tag, NGINX_VERSIONS.get(tag.split("-")[0], "1.27.3"))
        self.requests = 0
        self.pages = _PAGES  # shared: nothing writes to it

    def start(self):
        super().start()
        kernel = getattr(self.ctx, "kernel", "5.15.0-126-generic")
        cpus = max(1, int(getattr(self.ctx, "cpus", 2) or 2))
        self.workers = tuple(range(29, 29 + cpus))
        self.log_lines(_startup_lines(_error_log_now(self.clock), self.version, kernel, cpus))
        return None

    def stop(self):
        t = error_log_time(self.now_dt())
        self.log(f"{t} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down")
        for pid in getattr(self, "workers", []):
            self.log(f"{t} [notice] {pid}#{pid}: gracefully shutting down")
            self.log(f"{t} [notice] {pid}#{pid}: exiting")
            self.log(f"{t} [notice] {pid}#{pid}: exit")
        self.log(f"{t} [notice] 1#1: exit")
        return super().stop()

    def serve(self, protocol: str, req: HttpRequest, conn) -> HttpResponse:
        self.requests += 1
        dt = self.now_dt()
        path = req.path.split("?", 1)[0]
        body = self.pages.get(path)
        headers = [("Server", f"nginx/{self.version}"), ("Date", http_date(dt))]
        if req.method not in ("GET", "HEAD") and body is not None:
            status, body = 405, self._error_page(405, "Not Allowed")
            headers += [("Content-Type", "text/html"), ("Content-Length", str(len(body))),
                        ("Connection", "keep-alive")]
        elif body is None:
            status, body = 404, self._error_page(404, "Not Found")
            headers += [("Content-Type", "text/html"), ("Content-Length", str(len(body))),
                        ("Connection", "keep-alive")]
            worker = getattr(self, "workers", [29])[0]
            self.log(f'{error_log_time(dt)} [error] {worker}#{worker}: *{self.requests} open() '
                     f'"/usr/share/nginx/html{path}" failed (2: No such file or directory), '
                     f'client: {conn.client_ip}, server: localhost, request: '
                     f'"{req.method} {req.path} HTTP/1.1", host: "{req.headers.get("Host", "")}"')
        else:
            status = 200
            headers += [("Content-Type", "text/html"), ("Content-Length", str(len(body))),
                        ("Last-Modified", _mtime_date()), ("Connection", "keep-alive"),
                        ("ETag", f'"{INDEX_MTIME:x}-{len(body):x}"'), ("Accept-Ranges", "bytes")]
        sent = 0 if req.method == "HEAD" else len(body)
        self.log(f'{conn.client_ip or "-"} - - [{clf_time(dt)}] "{req.method} {req.path} HTTP/1.1" '
                 f'{status} {sent} "-" "{req.user_agent}" "-"')
        return HttpResponse(status, headers, "" if req.method == "HEAD" else body,
                            served_by=self.hostname, server_ip=conn.ip)

    def _error_page(self, status: int, text: str) -> str:
        return (f"<html>\r\n<head><title>{status} {text}</title></head>\r\n<body>\r\n"
                f"<center><h1>{status} {text}</h1></center>\r\n"
                f"<hr><center>nginx/{self.version}</center>\r\n</body>\r\n</html>\r\n")


def _mtime_date() -> str:
    from datetime import datetime, timezone

    return http_date(datetime.fromtimestamp(INDEX_MTIME, tz=timezone.utc))


#: Apache's htdocs/index.html in the official httpd image
HTTPD_INDEX = "<html><body><h1>It works!</h1></body></html>\n"

HTTPD_VERSION = "2.4.62"


class Httpd(App):
    """Apache httpd 2.4: `It works!`, and the combined access log without the forwarded field."""

    repositories = ("httpd",)
    default_command = ["httpd-foreground"]
    ports = (80,)
    stop_seconds = 1.0   # STOPSIGNAL SIGWINCH: graceful stop

    def start(self):
        super().start()
        ip = self.sandbox.ip or "172.17.0.2"
        dt = self.now_dt()
        stamp = dt.strftime("%a %b %d %H:%M:%S.000000 %Y")
        self.log(f"AH00558: httpd: Could not reliably determine the server's fully qualified domain "
                 f"name, using {ip}. Set the 'ServerName' directive globally to suppress this message")
        self.log(f"AH00558: httpd: Could not reliably determine the server's fully qualified domain "
                 f"name, using {ip}. Set the 'ServerName' directive globally to suppress this message")
        self.log(f"[{stamp}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{HTTPD_VERSION} (Unix) "
                 f"configured -- resuming normal operations")
        self.log(f"[{stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'")
        return None

    def serve(self, protocol: str, req: HttpRequest, conn) -> HttpResponse:
        dt = self.now_dt()
        path = req.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            status, body = 200, HTTPD_INDEX
            headers = [("Date", http_date(dt)), ("Server", f"Apache/{HTTPD_VERSION} (Unix)"),
                       ("Last-Modified", "Mon, 11 Jun 2007 18:53:14 GMT"), ("ETag", '"2d-432a5e4a73a80"'),
                       ("Accept-Ranges", "bytes"), ("Content-Length", str(len(body))),
                       ("Content-Type", "text/html")]
        else:
            status = 404
            body = ('<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
                    "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
                    "<p>The requested URL was not found on this server.</p>\n</body></html>\n")
            headers = [("Date", http_date(dt)), ("Server", f"Apache/{HTTPD_VERSION} (Unix)"),
                       ("Content-Length", str(len(body))), ("Content-Type", "text/html; charset=iso-8859-1")]
        self.log(f'{conn.client_ip or "-"} - - [{clf_time(dt)}] "{req.method} {req.path} HTTP/1.1" '
                 f'{status} {len(body)}')
        return HttpResponse(status, headers, body, served_by=self.hostname, server_ip=conn.ip)
