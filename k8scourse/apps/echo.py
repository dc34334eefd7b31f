"""Small HTTP echo servers: they answer any request with the request itself.

`kicbase/echo-server:1.0` is the image minikube's docs deploy as hello-minikube
(`kubectl create deployment hello-minikube --image=kicbase/echo-server:1.0`). It is a build of
jmalloc/echo-server: one static Go binary listening on $PORT (8080), printing

    Echo server listening on port 8080.

at start and `<client ip:port> | GET /` for each request, and answering every path with
`text/plain`: who served it, the request line (`HTTP/1.1 GET /`), an empty line, the Host header
and the other request headers, then the request body (after an empty line) when there is one.
"""

from __future__ import annotations

from urllib.parse import urlencode

from k8scourse.apps.base import App
from k8scourse.apps.net import HttpRequest, HttpResponse
from k8scourse.apps.nginx import http_date


class EchoServer(App):
    """jmalloc/echo-server (kicbase/echo-server): echoes each request back as plain text."""

    repositories = ("kicbase/echo-server",)
    default_command = ["/bin/echo-server"]
    ports = (8080,)
    stop_seconds = 0.05      # a Go server exits at once on SIGTERM
    stop_exit_code = 2       # Go's default SIGTERM handling: the process dies of the signal

    def __init__(self, ctx):
        super().__init__(ctx)
        try:
            port = int(self.env.get("PORT") or 8080)
        except ValueError:
            port = 8080
        self.ports = (port,)

    def start(self):
        super().start()
        self.log(f"Echo server listening on port {self.ports[0]}.")
        return None

    def serve(self, protocol: str, req: HttpRequest, conn) -> HttpResponse:
        client_port = 32768 + self.rand.randrange(28000)
        self.log(f"{conn.client_ip or '127.0.0.1'}:{client_port} | {req.method} {req.path}")
        body = f"Request served by {self.hostname}\n\nHTTP/1.1 {req.method} {req.path}\n\n"
        body += f"Host: {req.headers.get('Host', '')}\n"
        for k, v in req.headers.items():
            if k != "Host":
                body += f"{k}: {v}\n"
        if req.form:
            body += "\n" + urlencode(req.form)
        headers = [("Content-Type", "text/plain"), ("Date", http_date(self.now_dt())),
                   ("Content-Length", str(len(body.encode())))]
        return HttpResponse(200, headers, "" if req.method == "HEAD" else body,
                            served_by=self.hostname, server_ip=conn.ip)
