"""nginx: the real welcome page, its headers and the access-log line; which container served it."""

import subprocess
import sys

from k8scourse.apps import Nginx
from k8scourse.apps.base import AppContext
from k8scourse.apps.net import Endpoint, HttpRequest, Sandbox
from k8scourse.sim.clock import Clock
from k8scourse.sim.rand import Rand


def make(tag="latest"):
    lines = []
    ctx = AppContext("nginx", "nginx", tag, [], [], {}, Clock(), Rand(0),
                     Sandbox("web-7d4b9c8f6-x2k8p", "10.244.1.3"), lines.append)
    app = Nginx(ctx)
    app.start()
    return app, lines


def test_welcome_page_headers_and_log():
    """GET / returns the 615-byte page, Server: nginx/1.27.3, and a `main`-format log line."""
    app, lines = make()
    resp = app.serve("http", HttpRequest("GET", "/", {"User-Agent": "curl/8.5.0"}),
                     Endpoint(app, "10.244.1.3", 80, "10.244.2.7"))
    assert resp.status == 200 and len(resp.body) == 615
    assert resp.body.startswith("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>")
    assert resp.header("Server") == "nginx/1.27.3"
    assert resp.served_by == "web-7d4b9c8f6-x2k8p"
    assert "web-7d4b9c8f6" not in resp.body
    assert lines[-1] == '10.244.2.7 - - [01/Jan/2025:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"'


def test_start_lines():
    """The image's entrypoint lines, then nginx's notices."""
    _, lines = make()
    assert lines[0] == ("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
                        "configuration")
    assert lines[8] == "/docker-entrypoint.sh: Configuration complete; ready for start up"
    assert lines[10] == "2025/01/01 00:00:00 [notice] 1#1: nginx/1.27.3"
    assert lines[-1] == "2025/01/01 00:00:00 [notice] 1#1: start worker process 30"


def test_404_page():
    """A missing file: nginx's 404 page (CRLF lines) with the version in its footer."""
    app, _ = make()
    resp = app.serve("http", HttpRequest("GET", "/x"), Endpoint(app, "10.244.1.3", 80, "10.244.2.7"))
    assert resp.status == 404
    assert resp.body == ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                         "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n"
                         "</body>\r\n</html>\r\n")


def test_command_override_runs_the_command():
    """A container of the nginx image with another command does not run nginx."""
    ctx = AppContext("nginx", "nginx", "latest", ["sleep"], ["3600"], {}, Clock(), Rand(0),
                     Sandbox("x", ""), lambda line: None)
    assert not isinstance(Nginx(ctx), Nginx)


def test_import_is_cheap():
    """Importing k8scourse.apps pulls in no numpy, yaml or matplotlib."""
    code = ("import sys, k8scourse.apps, k8scourse.docker; "
            "print(sorted(m for m in ('numpy', 'yaml', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_registered_with_the_kubelet():
    """Importing k8scourse.apps registers the behaviours in the kubelet's process table."""
    import pytest

    process = pytest.importorskip("k8scourse.kubelet.process")
    import k8scourse.apps as apps

    assert process.PROCESSES["nginx"] is apps.Nginx
    assert process.PROCESSES["kodekloud/examplevotingapp_worker"] is apps.Worker
    assert process.PROCESSES["voting-app"] is apps.VoteApp
